// zonekit dissolve SRC --by FIELD -o OUT — one feature per value of a field: the union of its polygons.
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/dissolve.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace zk::cli {

namespace {
struct DissolveArgs {
    std::string source;
    std::string by;
    OutputFlags output;
    std::string layer;
    bool coverage = false;
    WorkFlags work;
    InputFlags input;
};

Outcome run_dissolve(const DissolveArgs& args, const Reporter& report) {
    const OutputOptions out_options = args.output.options({args.source});
    check_output_path(args.output.path, out_options);
    driver_for(args.output.path);  // an unknown extension fails before any work

    InputLayer in(args.source, args.layer, args.input);
    report.notes(in.notes);
    const Crs& analysis = in.analysis;
    LayerReader& reader = in.reader;
    OGRLayer* layer = in.layer;

    DissolveOptions options;
    options.by = args.by;
    options.coverage = args.coverage;
    options.area.densify_m = args.work.densify;
    GeosContext ctx;
    DissolveResult result = dissolve_layer(ctx, reader, analysis, options);

    // The output carries the --by field (with its type) and count, plan_m2, ellip_m2, geod_m2.
    const DissolveSchema schema(layer->GetLayerDefn(), args.by, reader.info().name, args.source);
    LayerWriter writer(args.output.path, reader.info().name, analysis, wkbMultiPolygon, schema.defn(),
                       {{"count", OFTInteger64}, {"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}},
                       out_options);
    for (const auto& group : result.groups)
        writer.write(ctx, schema.row(group).get(), group.geom.get(),
                     {static_cast<double>(group.count), group.areas.plan, group.areas.ellip, group.areas.geod});
    writer.finish();
    report.warnings(writer.warnings());
    report.renamed_fields(writer.renamed_fields(), args.output.path);
    report.warnings(result.warnings);
    report.note(fmt::format("{} features dissolved into {} (one per value of '{}') in '{}'", result.features,
                            writer.written(), args.by, args.output.path));
    return Outcome::done;
}
}  // namespace

Runner setup_dissolve(CLI::App& app) {
    auto args = std::make_shared<DissolveArgs>();
    app.add_option("SRC", args->source, "Polygon layer source (any format GDAL reads)")->required();
    app.add_option("--by", args->by, "Field whose values group the features (one output feature each)")
        ->required();
    args->output.add_to(app, {.help = "Output layer (.gpkg .geojson .shp .fgb)", .required = true});
    app.add_option("--layer", args->layer, "Layer name (required when SRC has several)");
    app.add_flag("--coverage", args->coverage,
                 "The polygons do not overlap (they may share edges): use GEOS's much faster coverage union");
    args->work.add_to(app, {});
    args->input.add_to(app, {.where = "OGR SQL attribute filter"});
    return [args](const Reporter& report) { return run_dissolve(*args, report); };
}

}  // namespace zk::cli
