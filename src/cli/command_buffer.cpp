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

    Source source = Source::open(args.source, args.input.source_options());
    OGRLayer* layer = source.layer(args.layer);
    std::vector<std::string> notes;
    const Crs analysis = choose_analysis_crs({source.describe(layer)}, args.input.requested_crs(), notes);
    report.notes(notes);
    if (!analysis.is_projected())
        throw InputError(fmt::format("the analysis CRS {} is not projected: a buffer distance in metres needs a "
                                     "projected CRS. Choose one with --crs (e.g. a CGCS2000 Gauss–Kruger zone, "
                                     "EPSG:4534–4554)",
                                     analysis.label()));

    ReadOptions read;
    read.where = args.input.where;
    read.validate = true;
    LayerReader reader(source, layer, analysis, read);
    AreaOptions area_options;
    area_options.densify_m = args.work.densify;
    AreaMeter meter(analysis, area_options);
    GeosContext ctx;

    const std::vector<ExtraField> area_fields{{"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}};
    std::unique_ptr<LayerWriter> writer;
    if (!args.dissolve)
        writer = std::make_unique<LayerWriter>(args.output.path, reader.info().name, analysis, wkbMultiPolygon,
                                               layer->GetLayerDefn(), area_fields, out_options);
    std::vector<GeomPtr> all;
    std::int64_t read_count = 0, vanished = 0;
    Feature f;
    while (reader.next(ctx, f)) {
        ++read_count;
        if (!f.geom || GEOSisEmpty_r(ctx.handle(), f.geom.get())) {
            ++vanished;
            continue;
        }
        GeomPtr b;
        try {
            b = buffer_geometry(ctx, f.geom.get(), args.distance, options);
        } catch (const GeosError& e) {
            throw GeosError(fmt::format("{}: {}", reader.where(f.fid), e.what()));
        }
        if (GEOSisEmpty_r(ctx.handle(), b.get())) {
            ++vanished;
            continue;
        }
        if (writer) {
            const Areas a = meter.measure(ctx, b.get());
            writer->write(ctx, f.ogr.get(), b.get(), {a.plan, a.ellip, a.geod});
        } else {
            all.push_back(std::move(b));
        }
    }
    report.warnings(issue_warnings(reader));
    std::int64_t written = 0;
    if (writer) {
        writer->finish();
        report.warnings(writer->warnings());
        written = writer->written();
        report.renamed_fields(writer->renamed_fields(), args.output.path);
    } else {
        const std::int64_t parts = static_cast<std::int64_t>(all.size());
        GeomPtr u = union_polygons(ctx, std::move(all));
        const Areas a = meter.measure(ctx, u.get());
        LayerWriter one(args.output.path, reader.info().name, analysis, wkbMultiPolygon, nullptr,
                        {{"count", OFTInteger64}, {"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}},
                        out_options);
        one.write(ctx, nullptr, u.get(), {static_cast<double>(parts), a.plan, a.ellip, a.geod});
        one.finish();
        report.warnings(one.warnings());
        written = one.written();
    }
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
