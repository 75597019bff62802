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
    std::string output;
    std::string layer;
    std::string where;
    bool overwrite = false;
    bool coverage = false;
    double densify = AreaOptions{}.densify_m;
    InputFlags input;
};

int run_dissolve(const DissolveArgs& args) {
    OutputOptions out_options{args.overwrite, {args.source}};
    check_output_path(args.output, out_options);
    driver_for(args.output);  // an unknown extension fails before any work

    Source source = Source::open(args.source, args.input.source_options());
    OGRLayer* layer = source.layer(args.layer);
    std::vector<std::string> notes;
    const Crs analysis = choose_analysis_crs({source.describe(layer)}, args.input.requested_crs(), notes);
    for (const auto& n : notes) say("zonekit dissolve: %s\n", n.c_str());

    ReadOptions read;
    read.where = args.where;
    read.validate = true;
    LayerReader reader(source, layer, analysis, read);

    DissolveOptions options;
    options.by = args.by;
    options.coverage = args.coverage;
    options.area.densify_m = args.densify;
    GeosContext ctx;
    DissolveResult result = dissolve_layer(ctx, reader, analysis, options);

    // The output carries the --by field (with its type) and count, plan_m2, ellip_m2, geod_m2.
    const DissolveSchema schema(layer->GetLayerDefn(), args.by, reader.info().name, args.source);
    LayerWriter writer(args.output, reader.info().name, analysis, wkbMultiPolygon, schema.defn(),
                       {{"count", OFTInteger64}, {"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}},
                       out_options);
    for (const auto& group : result.groups)
        writer.write(ctx, schema.row(group).get(), group.geom.get(),
                     {static_cast<double>(group.count), group.areas.plan, group.areas.ellip, group.areas.geod});
    writer.finish();
    for (const auto& w : writer.warnings()) warn("dissolve", w);
    report_renamed_fields("dissolve", writer.renamed_fields(), args.output);
    for (const auto& w : result.warnings) warn("dissolve", w);
    say("zonekit dissolve: %lld features dissolved into %lld (one per value of '%s') in '%s'\n",
                 static_cast<long long>(result.features), static_cast<long long>(writer.written()), args.by.c_str(),
                 args.output.c_str());
    return ok;
}
}  // namespace

Command dissolve_command() {
    return {"dissolve", "Union of the polygons per value of a field, with count and the three areas",
            [](CLI::App& app) -> std::function<int()> {
                auto args = std::make_shared<DissolveArgs>();
                app.add_option("SRC", args->source, "Polygon layer source (any format GDAL reads)")->required();
                app.add_option("--by", args->by, "Field whose values group the features (one output feature each)")
                    ->required();
                app.add_option("-o,--output", args->output, "Output layer (.gpkg .geojson .shp .fgb)")->required();
                app.add_option("--layer", args->layer, "Layer name (required when SRC has several)");
                app.add_option("--where", args->where, "OGR SQL attribute filter");
                app.add_flag("--overwrite", args->overwrite, "Replace an existing output");
                app.add_flag("--coverage", args->coverage,
                             "The polygons do not overlap (they may share edges): use GEOS's much faster coverage union");
                app.add_option("--densify", args->densify,
                               "Longest edge (m, in the analysis CRS) before ellip/geod are measured; 0 = bare vertices")
                    ->check(CLI::NonNegativeNumber)
                    ->capture_default_str();
                args->input.add_to(app);
                return [args] { return run_dissolve(*args); };
            }};
}

}  // namespace zk::cli
