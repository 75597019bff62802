// zonekit buffer SRC DIST -o OUT — the area within DIST metres of each feature (in the analysis CRS).
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/geometry/area.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/buffer.hpp"
#include "zonekit/ops/dissolve.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace zk::cli {

namespace {
struct BufferArgs {
    std::string source;
    double distance = 0;
    OutputFlags output;
    std::string layer;
    bool dissolve = false;
    int segments = BufferOptions{}.segments;
    std::string cap = "round";
    std::string join = "round";
    WorkFlags work;
    InputFlags input;
};

Outcome run_buffer(const BufferArgs& args, const Reporter& report) {
    const OutputOptions out_options = args.output.options({args.source});
    check_output_path(args.output.path, out_options);
    driver_for(args.output.path);
    BufferOptions options;
    options.segments = args.segments;
    options.cap = parse_cap_style(args.cap);
    options.join = parse_join_style(args.join);

    InputLayer in(args.source, args.layer, args.input);
    report.notes(in.notes);
    const Crs& analysis = in.analysis;
    LayerReader& reader = in.reader;
    OGRLayer* layer = in.layer;
    AreaOptions area_options;
    area_options.densify_m = args.work.densify;
    GeosContext ctx;

    // One output feature per buffer (with the source's attributes), or one for their union (with their count).
    const std::vector<ExtraField> area_fields{{"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}};
    const std::vector<ExtraField> union_fields{
        {"count", OFTInteger64}, {"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}};
    LayerWriter writer(args.output.path, reader.info().name, analysis, wkbMultiPolygon,
                       args.dissolve ? nullptr : layer->GetLayerDefn(), args.dissolve ? union_fields : area_fields,
                       out_options);
    const BufferSink write = [&writer](GeosContext& c, const Feature* f, const GEOSGeometry* b, const Areas& a,
                                       std::int64_t n) {
        if (f) writer.write(c, f->ogr.get(), b, {a.plan, a.ellip, a.geod});
        else writer.write(c, nullptr, b, {static_cast<double>(n), a.plan, a.ellip, a.geod});
    };
    const BufferStats stats =
        buffer_layer(ctx, reader, analysis, args.distance, options, area_options, args.dissolve, write);
    report.warnings(issue_warnings(reader));
    writer.finish();
    report.warnings(writer.warnings());
    const std::int64_t written = writer.written();
    if (!args.dissolve) report.renamed_fields(writer.renamed_fields(), args.output.path);
    const std::int64_t vanished = stats.vanished, read_count = stats.read;
    if (vanished > 0)
        report.warn(fmt::format("{} of {} features have no buffer (no geometry, or shrunk away by a negative "
                                "distance) and were not written",
                                vanished, read_count));
    report.note(fmt::format("buffered {} features by {:g} m in {} into {} feature{} in '{}'", read_count - vanished,
                            args.distance, analysis.label(), written, written == 1 ? "" : "s", args.output.path));
    return Outcome::done;
}
}  // namespace

Runner setup_buffer(CLI::App& app) {
    auto args = std::make_shared<BufferArgs>();
    app.add_option("SRC", args->source, "Layer source (points, lines or polygons)")->required();
    app.add_option("DIST", args->distance,
                   "Distance in metres of the analysis CRS; a negative distance shrinks polygons")
        ->required();
    args->output.add_to(app, {.help = "Output layer (.gpkg .geojson .shp .fgb)", .required = true});
    app.add_option("--layer", args->layer, "Layer name (required when SRC has several)");
    app.add_flag("--dissolve", args->dissolve,
                 "Union all buffers into one feature (fields count, plan_m2, ellip_m2, geod_m2)");
    app.add_option("--segments", args->segments,
                   "Segments per quarter circle (a circle becomes a polygon of 4×N sides inscribed in it)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app.add_option("--cap", args->cap, "End cap of lines")
        ->check(CLI::IsMember({"round", "flat", "square"}))
        ->capture_default_str();
    app.add_option("--join", args->join, "Join between segments")
        ->check(CLI::IsMember({"round", "mitre", "bevel"}))
        ->capture_default_str();
    args->work.add_to(app, {});
    args->input.add_to(app, {.where = "OGR SQL attribute filter"});
    return [args](const Reporter& report) { return run_buffer(*args, report); };
}

}  // namespace zk::cli
