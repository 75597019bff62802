// zonekit area SRC — plan, ellip and geod areas per feature or per group, with shares and the total.
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/area_table.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace zk::cli {

namespace {
struct AreaArgs {
    std::string source;
    std::string layer;
    std::string where;
    std::string by;
    std::string unit = "ha";
    std::string output;   // a table (.csv .json .md) or a layer with area fields
    TableOutput table_out;
    bool overwrite = false;
    bool skip_empty = false;
    double densify = AreaOptions{}.densify_m;
    InputFlags input;
};

std::string format_table(const AreaTable& table, AreaUnit unit, const std::string& format) {
    if (format == "csv") return area_table_csv(table, unit);
    if (format == "json") return area_table_json(table, unit);
    return area_table_markdown(table, unit);
}

int run_area(const AreaArgs& args) {
    const AreaUnit unit = parse_area_unit(args.unit);
    const bool table_file = !args.output.empty() && !is_vector_output(args.output);
    TableOutput table_out = args.table_out;
    if (table_file) table_out.output = args.output;
    std::string format;
    try {
        format = table_out.resolved_format();
    } catch (const InputError&) {
        throw InputError(fmt::format("cannot tell the format of '{}': use .csv, .json or .md for the table (or say "
                                     "--format), or .gpkg, .geojson, .shp for the layer with area fields",
                                     args.output));
    }
    OutputOptions out_options{args.overwrite, {args.source}};
    if (!args.output.empty()) check_output_path(args.output, out_options);

    Source source = Source::open(args.source, args.input.source_options());
    OGRLayer* layer = source.layer(args.layer);
    std::vector<std::string> notes;
    const Crs analysis = choose_analysis_crs({source.describe(layer)}, args.input.requested_crs(), notes);

    ReadOptions read;
    read.where = args.where;
    read.validate = true;
    LayerReader reader(source, layer, analysis, read);

    MeasureOptions options;
    options.by = args.by;
    options.skip_empty = args.skip_empty;
    options.area.densify_m = args.densify;

    std::unique_ptr<LayerWriter> writer;
    FeatureSink sink;
    if (!args.output.empty() && !table_file) {
        writer = std::make_unique<LayerWriter>(
            args.output, reader.info().name, analysis, wkbMultiPolygon, layer->GetLayerDefn(),
            std::vector<ExtraField>{{"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}}, out_options);
        sink = [&writer](GeosContext& ctx, const Feature& f, const GEOSGeometry* g, const Areas& a) {
            writer->write(ctx, f.ogr.get(), g, {a.plan, a.ellip, a.geod});
        };
    }
    AreaTable table = measure_layer(reader, analysis, options, sink);
    table.notes = notes;
    if (writer) {
        writer->finish();
        report_renamed_fields("area", writer->renamed_fields(), args.output);
        for (const auto& w : writer->warnings()) warn("area", w);
    }

    const std::string text = format_table(table, unit, format);
    table_out.write(text, out_options);
    for (const auto& n : notes) say("zonekit area: %s\n", n.c_str());
    for (const auto& w : table.warnings) warn("area", w);
    if (writer) say("zonekit area: wrote %lld features with plan_m2, ellip_m2, geod_m2 to '%s'\n",
                             static_cast<long long>(writer->written()), args.output.c_str());
    return ok;
}
}  // namespace

Command area_command() {
    return {"area", "Areas per feature or group: planar, survey-ellipsoidal and geodesic, in m², ha, 亩 or km²",
            [](CLI::App& app) -> std::function<int()> {
                auto args = std::make_shared<AreaArgs>();
                app.add_option("SRC", args->source, "Polygon layer source (any format GDAL reads)")->required();
                app.add_option("--layer", args->layer, "Layer name (required when SRC has several)");
                app.add_option("--where", args->where, "OGR SQL attribute filter");
                app.add_option("--by", args->by, "Group features by this field (default: one row per feature)");
                app.add_option("--unit", args->unit, "Area unit of the table")
                    ->check(CLI::IsMember({"m2", "ha", "mu", "km2"}))
                    ->capture_default_str();
                args->table_out.add_to(app);
                app.add_option("-o,--output", args->output,
                               "Write the table (.csv .json .md) or the layer with plan_m2, ellip_m2, geod_m2 fields "
                               "(.gpkg .geojson .shp)");
                app.add_flag("--overwrite", args->overwrite, "Replace an existing output");
                app.add_flag("--skip-empty", args->skip_empty,
                             "Count features without geometry (null or empty) with area 0; a damaged geometry "
                             "needs --skip-damaged");
                app.add_option("--densify", args->densify,
                               "Longest edge (m, in the analysis CRS) before ellip/geod are measured; 0 = bare vertices")
                    ->check(CLI::NonNegativeNumber)
                    ->capture_default_str();
                args->input.add_to(app);
                return [args] { return run_area(*args); };
            }};
}

}  // namespace zk::cli
