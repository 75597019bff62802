// zonekit overlay OP A B -o OUT — cut layer A by layer B: intersection, union, identity, difference,
// symdifference, clip, erase; both attribute sets, source ids and the three areas on every output feature.
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/overlay.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace zk::cli {

namespace {
struct OverlayArgs {
    std::string op;
    std::string a, b;
    OutputFlags output;
    std::string layer_a, layer_b;
    std::string keep_fields;
    WorkFlags work;
    InputFlags input;
};

std::string fid_list(const std::vector<std::int64_t>& fids, std::int64_t total) {
    std::string out;
    for (auto fid : fids) out += (out.empty() ? "" : ", ") + std::to_string(fid);
    if (total > static_cast<std::int64_t>(fids.size())) out += fmt::format(" … ({} in all)", total);
    return out;
}

Outcome run_overlay_command(const OverlayArgs& args, const Reporter& report) {
    const OverlayOp op = parse_overlay_op(args.op);
    const KeepFields keep = args.keep_fields.empty() ? KeepFields{} : parse_keep_fields(args.keep_fields);
    if (!is_vector_output(args.output.path))
        throw InputError(
            fmt::format("cannot write the overlay to '{}': use .gpkg, .geojson, .shp or .fgb", args.output.path));
    const OutputOptions out_options = args.output.options({args.a, args.b});
    check_output_path(args.output.path, out_options);

    Source a_src = Source::open(args.a, args.input.source_options());
    Source b_src = Source::open(args.b, args.input.source_options());
    OGRLayer* a_layer = a_src.layer(args.layer_a);
    OGRLayer* b_layer = b_src.layer(args.layer_b);
    std::vector<std::string> notes;
    const LayerInfo a_info = a_src.describe(a_layer);
    const Crs analysis = choose_analysis_crs({a_info, b_src.describe(b_layer)}, args.input.requested_crs(), notes);
    report.notes(notes);

    ReadOptions a_read;
    a_read.defer_geos = true;  // workers convert A's geometries to GEOS
    LayerReader a_reader(a_src, a_layer, analysis, a_read);
    LayerReader b_reader(b_src, b_layer, analysis, {});
    GeosContext ctx;
    std::vector<std::int64_t> b_skipped;
    const ZoneLayer zones = load_zones(ctx, b_reader, b_skipped);
    if (!b_skipped.empty())
        report.warn(fmt::format("{} feature(s) of B ('{}') have no geometry and take no part: {}", b_skipped.size(),
                                b_reader.info().name,
                                fid_list(b_skipped, static_cast<std::int64_t>(b_skipped.size()))));

    const OverlaySchema schema(op, a_layer->GetLayerDefn(), b_layer->GetLayerDefn(), keep, a_reader.info().name,
                               b_reader.info().name);
    report.notes(schema.renames());
    LayerWriter writer(args.output.path, overlay_op_name(op), analysis, wkbMultiPolygon, schema.defn(),
                       {{"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}}, out_options);

    OverlayOptions options;
    options.op = op;
    options.threads = args.work.threads;
    options.area.densify_m = args.work.densify;
    options.expected = a_info.feature_count;
    options.ogr_geometry = true;  // workers make the output geometries
    options.progress = args.work.progress_bar(report);
    const PieceSink write = [&](GeosContext& c, const OverlayPiece& p) {
        OGRFeatureUniquePtr feature = schema.make(p);
        if (p.ogr && *p.ogr) writer.write(feature.get(), std::move(*p.ogr), {p.areas.plan, p.areas.ellip, p.areas.geod});
        else writer.write(c, feature.get(), p.geom, {p.areas.plan, p.areas.ellip, p.areas.geod});
    };
    const OverlayStats stats = overlay_layer(a_reader, zones, analysis, options, write);
    writer.finish();
    report.warnings(writer.warnings());
    report.renamed_fields(writer.renamed_fields(), args.output.path);
    for (const LayerReader* reader : {&a_reader, &b_reader})
        report.warnings(issue_warnings(*reader));  // damaged, repaired, collections, 2D

    report.note(fmt::format("wrote {} features to '{}': {} of '{}' ({} features) by '{}' ({}); {} taken whole, {} "
                            "overlay operations",
                            writer.written(), args.output.path, overlay_op_name(op), a_reader.info().name,
                            stats.a_features, b_reader.info().name, zones.size(), stats.taken_whole, stats.overlays));
    if (stats.lower_dim_dropped > 0 || stats.touching_only > 0)
        report.note(fmt::format("polygon output only: dropped {} line/point part(s) of cuts; {} pair(s) met only "
                                "along an edge or at a point",
                                stats.lower_dim_dropped, stats.touching_only));
    if (stats.a_without_geometry > 0)
        report.warn(fmt::format("{} feature(s) of A ('{}') have no geometry and are not in the output: {}",
                                stats.a_without_geometry, a_reader.info().name,
                                fid_list(stats.a_without_geometry_fids, stats.a_without_geometry)));
    if (stats.precision_retries > 0)
        report.warn(fmt::format("{} cut(s) failed in floating point and were redone on a {} m precision grid",
                                stats.precision_retries, options.grid));
    if (stats.problems.empty()) return Outcome::done;
    std::size_t listed = 0;
    for (const auto& p : stats.problems) {
        if (++listed > 20) break;
        const std::string where =
            p.a_fid >= 0 ? a_reader.where(p.a_fid) + (p.b_fid >= 0 ? fmt::format(" with B feature {}", p.b_fid) : "")
                         : b_reader.where(p.b_fid) + " (its part not covered by A)";
        report.warn(fmt::format("{}: {}", where, p.message));
    }
    report.warn(fmt::format("the output lacks the {} piece(s) listed above: repair those geometries (e.g. zonekit "
                            "area --make-valid) and run again",
                            stats.problems.size()));
    return Outcome::incomplete;
}
}  // namespace

Runner setup_overlay(CLI::App& app) {
    auto args = std::make_shared<OverlayArgs>();
    app.add_option("OP", args->op,
                   "intersection | union | identity | difference | symdifference (GeoPandas overlay "
                   "how=…) | clip | erase (GDAL layer algebra)")
        ->required()
        ->check(CLI::IsMember(
            {"intersection", "union", "identity", "difference", "symdifference", "clip", "erase"}));
    app.add_option("A", args->a, "Polygon layer source that is cut (e.g. parcels); read as a stream")
        ->required();
    app.add_option("B", args->b, "Polygon layer source that cuts (e.g. districts); held in memory")
        ->required();
    args->output.add_to(app, {.help = "Output layer (.gpkg .geojson .shp .fgb)", .required = true});
    app.add_option("--layer-a", args->layer_a, "Layer of A (required when A has several)");
    app.add_option("--layer-b", args->layer_b, "Layer of B (required when B has several)");
    app.add_option("--keep-fields", args->keep_fields,
                   "Fields to keep, per side: a:f1,f2,b:g1 (a side not named keeps all; 'a:' keeps none)");
    args->work.add_to(app, {.threads = true, .progress = WorkFlags::show_progress});
    args->input.add_to(app, {});
    app.footer(exit_status_cut);
    return [args](const Reporter& report) { return run_overlay_command(*args, report); };
}

}  // namespace zk::cli
