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
    std::string output;
    std::string layer;
    std::string where;
    bool dissolve = false;
    int segments = BufferOptions{}.segments;
    std::string cap = "round";
    std::string join = "round";
    bool overwrite = false;
    double densify = AreaOptions{}.densify_m;
    InputFlags input;
};

int run_buffer(const BufferArgs& args) {
    OutputOptions out_options{args.overwrite, {args.source}};
    check_output_path(args.output, out_options);
    driver_for(args.output);
    BufferOptions options;
    options.segments = args.segments;
    options.cap = parse_cap_style(args.cap);
    options.join = parse_join_style(args.join);

    Source source = Source::open(args.source, args.input.source_options());
    OGRLayer* layer = source.layer(args.layer);
    std::vector<std::string> notes;
    const Crs analysis = choose_analysis_crs({source.describe(layer)}, args.input.requested_crs(), notes);
    for (const auto& n : notes) say("zonekit buffer: %s\n", n.c_str());

    ReadOptions read;
    read.where = args.where;
    read.validate = true;
    LayerReader reader(source, layer, analysis, read);
    AreaOptions area_options;
    area_options.densify_m = args.densify;
    GeosContext ctx;

    // One output feature per buffer (with the source's attributes), or one for their union (with their count).
    const std::vector<ExtraField> area_fields{{"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}};
    const std::vector<ExtraField> union_fields{
        {"count", OFTInteger64}, {"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}};
    LayerWriter writer(args.output, reader.info().name, analysis, wkbMultiPolygon,
                       args.dissolve ? nullptr : layer->GetLayerDefn(), args.dissolve ? union_fields : area_fields,
                       out_options);
    const BufferSink write = [&writer](GeosContext& c, const Feature* f, const GEOSGeometry* b, const Areas& a,
                                       std::int64_t n) {
        if (f) writer.write(c, f->ogr.get(), b, {a.plan, a.ellip, a.geod});
        else writer.write(c, nullptr, b, {static_cast<double>(n), a.plan, a.ellip, a.geod});
    };
    const BufferStats stats =
        buffer_layer(ctx, reader, analysis, args.distance, options, area_options, args.dissolve, write);
    for (const auto& w : issue_warnings(reader)) warn("buffer", w);
    writer.finish();
    for (const auto& w : writer.warnings()) warn("buffer", w);
    const std::int64_t written = writer.written();
    if (!args.dissolve) report_renamed_fields("buffer", writer.renamed_fields(), args.output);
    const std::int64_t vanished = stats.vanished, read_count = stats.read;
    if (vanished > 0)
        warn("buffer", fmt::format("{} of {} features have no buffer (no geometry, or shrunk away by a negative "
                                   "distance) and were not written",
                                   vanished, read_count));
    say("zonekit buffer: buffered %lld features by %g m in %s into %lld feature%s in '%s'\n",
                 static_cast<long long>(read_count - vanished), args.distance, analysis.label().c_str(),
                 static_cast<long long>(written), written == 1 ? "" : "s", args.output.c_str());
    return ok;
}
}  // namespace

Command buffer_command() {
    return {"buffer", "Buffer features by a distance in metres (in the analysis CRS), with the three areas",
            [](CLI::App& app) -> std::function<int()> {
                auto args = std::make_shared<BufferArgs>();
                app.add_option("SRC", args->source, "Layer source (points, lines or polygons)")->required();
                app.add_option("DIST", args->distance,
                               "Distance in metres of the analysis CRS; a negative distance shrinks polygons")
                    ->required();
                app.add_option("-o,--output", args->output, "Output layer (.gpkg .geojson .shp .fgb)")->required();
                app.add_option("--layer", args->layer, "Layer name (required when SRC has several)");
                app.add_option("--where", args->where, "OGR SQL attribute filter");
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
                app.add_flag("--overwrite", args->overwrite, "Replace an existing output");
                app.add_option("--densify", args->densify,
                               "Longest edge (m, in the analysis CRS) before ellip/geod are measured; 0 = bare vertices")
                    ->check(CLI::NonNegativeNumber)
                    ->capture_default_str();
                args->input.add_to(app);
                return [args] { return run_buffer(*args); };
            }};
}

}  // namespace zk::cli
