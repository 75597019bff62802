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
    std::string by;
    std::string unit = "ha";
    TableOutput output;  // -o: a table (.csv .json .md) or a layer with area fields
    bool skip_empty = false;
    WorkFlags work;
    InputFlags input;
};

std::string format_table(const AreaTable& table, AreaUnit unit, const std::string& format) {
    if (format == "csv") return area_table_csv(table, unit);
    if (format == "json") return area_table_json(table, unit);
    return area_table_markdown(table, unit);
}

Outcome run_area(const AreaArgs& args, const Reporter& report) {
    const AreaUnit unit = parse_area_unit(args.unit);
    // A layer with area fields goes to -o, the table then to stdout; otherwise -o is the table's.
    const bool layer_file = !args.output.path.empty() && is_vector_output(args.output.path);
    TableOutput table_out = args.output;
    if (layer_file) table_out.path.clear();
    const std::string format = table_out.resolved_format(".gpkg, .geojson or .shp for the layer with area fields");
    const OutputOptions out_options = args.output.options({args.source});
    if (!args.output.path.empty()) check_output_path(args.output.path, out_options);

    InputLayer in(args.source, args.layer, args.input);
    const std::vector<std::string>& notes = in.notes;
    const Crs& analysis = in.analysis;
    LayerReader& reader = in.reader;
    OGRLayer* layer = in.layer;

    MeasureOptions options;
    options.by = args.by;
    options.skip_empty = args.skip_empty;
    options.area.densify_m = args.work.densify;

    std::unique_ptr<LayerWriter> writer;
    FeatureSink sink;
    if (layer_file) {
        writer = std::make_unique<LayerWriter>(
            args.output.path, reader.info().name, analysis, wkbMultiPolygon, layer->GetLayerDefn(),
            std::vector<ExtraField>{{"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}}, out_options);
        sink = [&writer](GeosContext& ctx, const Feature& f, const GEOSGeometry* g, const Areas& a) {
            writer->write(ctx, f.ogr.get(), g, {a.plan, a.ellip, a.geod});
        };
    }
    AreaTable table = measure_layer(reader, analysis, options, sink);
    table.notes = notes;
    if (writer) {
        writer->finish();
        report.renamed_fields(writer->renamed_fields(), args.output.path);
        report.warnings(writer->warnings());
    }

    const std::string text = format_table(table, unit, format);
    table_out.write(text, out_options);
    report.notes(notes);
    report.warnings(table.warnings);
    if (writer)
        report.note(fmt::format("wrote {} features with plan_m2, ellip_m2, geod_m2 to '{}'", writer->written(),
                                args.output.path));
    return Outcome::done;
}
}  // namespace

Runner setup_area(CLI::App& app) {
    auto args = std::make_shared<AreaArgs>();
    app.add_option("SRC", args->source, "Polygon layer source (any format GDAL reads)")->required();
    app.add_option("--layer", args->layer, "Layer name (required when SRC has several)");
    app.add_option("--by", args->by, "Group features by this field (default: one row per feature)");
    app.add_option("--unit", args->unit, "Area unit of the table")
        ->check(CLI::IsMember({"m2", "ha", "mu", "km2"}))
        ->capture_default_str();
    args->output.add_to(app, {.help = "Write the table (.csv .json .md) or the layer with plan_m2, ellip_m2, "
                                      "geod_m2 fields (.gpkg .geojson .shp)"});
    app.add_flag("--skip-empty", args->skip_empty,
                 "Count features without geometry (null or empty) with area 0; a damaged geometry needs "
                 "--skip-damaged");
    args->work.add_to(app, {});
    args->input.add_to(app, {.where = "OGR SQL attribute filter"});
    return [args](const Reporter& report) { return run_area(*args, report); };
}

}  // namespace zk::cli
