// zonekit tabulate ZONES CLASSES — the zone × class area matrix (ArcGIS "Tabulate Intersection"), with
// shares of zone and class, the uncovered remainder of each zone, and 面积平差 to a control area.
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/area_table.hpp"
#include "zonekit/ops/tabulate.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace zk::cli {

namespace {
struct TabulateArgs {
    std::string zones, classes;
    std::string zone_field, class_field;
    std::string layer_zones, layer_classes;
    std::string unit = "ha";
    std::string method = "plan";
    TableOutput table_out;
    bool wide = false;
    std::string control_area;
    WorkFlags work;
    InputFlags input;
};

std::optional<double> as_number(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// The control total in `unit`: a number, or the area of a boundary layer "SRC[:layer]" by `method`.
double control_total(const std::string& text, AreaUnit unit, AreaMethod method, const Crs& analysis,
                     const TabulateArgs& args, const Reporter& report, std::string& note) {
    if (auto v = as_number(text)) {
        if (*v <= 0) throw InputError(fmt::format("--control-area {}: the control area must be positive", text));
        note = fmt::format("control area {} {} (given)", text, unit_name(unit));
        return *v;
    }
    namespace fs = std::filesystem;
    std::string path = text, layer_name;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        const auto colon = text.rfind(':');
        if (colon == std::string::npos || !fs::exists(text.substr(0, colon), ec))
            throw InputError(fmt::format("--control-area '{}' is neither a number (in {}) nor a layer source "
                                         "SRC[:layer] that exists",
                                         text, unit_name(unit)));
        path = text.substr(0, colon);
        layer_name = text.substr(colon + 1);
    }
    Source src = Source::open(path, args.input.source_options());
    OGRLayer* layer = src.layer(layer_name);
    LayerReader reader(src, layer, analysis, {});
    AreaOptions area;
    area.densify_m = args.work.densify;
    const LayerArea measured = layer_area(reader, analysis, area, method);
    report.warnings(measured.warnings);
    const double total = from_square_metres(measured.m2, unit);
    note = fmt::format("control area {} {}: the {} area of '{}' layer '{}' ({} feature(s))",
                       fixed(total, display_decimals(unit)), unit_name(unit), args.method, path, reader.info().name,
                       measured.features);
    return total;
}

Outcome run_tabulate(const TabulateArgs& args, const Reporter& report) {
    const AreaUnit unit = parse_area_unit(args.unit);
    const AreaMethod method = parse_area_method(args.method);
    const std::string format = args.table_out.resolved_format();
    const OutputOptions out_options = args.table_out.options({args.zones, args.classes});
    if (!args.table_out.path.empty()) check_output_path(args.table_out.path, out_options);

    Source zone_src = Source::open(args.zones, args.input.source_options());
    Source class_src = Source::open(args.classes, args.input.source_options());
    OGRLayer* zone_layer = zone_src.layer(args.layer_zones);
    OGRLayer* class_layer = class_src.layer(args.layer_classes);
    std::vector<std::string> notes;
    const LayerInfo class_info = class_src.describe(class_layer);
    const Crs analysis =
        choose_analysis_crs({zone_src.describe(zone_layer), class_info}, args.input.requested_crs(), notes);
    const ZoneKey zone_key = zone_key_by_field(zone_layer->GetLayerDefn(), args.zone_field, zone_layer->GetName());
    const ClassKey class_key = class_key_by_field(class_layer->GetLayerDefn(), args.class_field, class_layer->GetName());

    std::optional<double> control;
    std::string control_note;
    if (!args.control_area.empty())
        control = control_total(args.control_area, unit, method, analysis, args, report, control_note);

    LayerReader zone_reader(zone_src, zone_layer, analysis, {});
    ReadOptions class_read;
    class_read.defer_geos = true;  // workers convert the classes' geometries to GEOS
    class_read.only_fields = std::vector<std::string>{args.class_field};
    LayerReader class_reader(class_src, class_layer, analysis, class_read);
    GeosContext ctx;
    std::vector<std::int64_t> skipped;
    const ZoneLayer zones = load_zones(ctx, zone_reader, skipped);

    TabulateOptions options;
    options.method = method;
    options.threads = args.work.threads;
    options.area.densify_m = args.work.densify;
    options.expected = class_info.feature_count;
    options.progress = args.work.progress_bar(report);
    const Tabulation tab = tabulate_layer(class_reader, zones, analysis, zone_key, class_key, options);
    const TabulateTable table = make_table(tab, unit, control);

    const std::string text = format == "csv"    ? (args.wide ? tabulate_wide_csv(table) : tabulate_csv(table))
                             : format == "json" ? tabulate_json(table)
                                                : tabulate_markdown(table);
    args.table_out.write(text, out_options);

    report.notes(notes);
    if (!control_note.empty()) report.note(control_note);
    if (!skipped.empty())
        report.warn(fmt::format("{} zone feature(s) have no geometry and take no part", skipped.size()));
    if (tab.stats.a_without_geometry > 0)
        report.warn(
            fmt::format("{} class feature(s) have no geometry and are not counted", tab.stats.a_without_geometry));
    if (tab.stats.precision_retries > 0)
        report.warn(fmt::format("{} cut(s) failed in floating point and were redone on a precision grid",
                                tab.stats.precision_retries));
    report.warnings(table.warnings);
    for (const LayerReader* reader : {&zone_reader, &class_reader})
        report.warnings(issue_warnings(*reader));  // damaged, repaired, collections, 2D
    for (const auto& p : tab.stats.problems)
        report.warn(fmt::format("{} with zone feature {}: {}", class_reader.where(p.a_fid), p.b_fid, p.message));
    if (!args.table_out.path.empty())
        report.note(fmt::format("wrote {} rows ({} zones × {} classes) to '{}'", table.rows.size(), table.zones.size(),
                                table.classes.size() - 1, args.table_out.path));
    if (tab.stats.problems.empty()) return Outcome::done;
    report.warn(fmt::format("the table lacks the {} piece(s) listed above: repair those geometries and run again",
                            tab.stats.problems.size()));
    return Outcome::incomplete;
}
}  // namespace

Runner setup_tabulate(CLI::App& app) {
    auto args = std::make_shared<TabulateArgs>();
    app.add_option("ZONES", args->zones, "Zone polygon layer source (e.g. districts); held in memory")
        ->required();
    app.add_option("CLASSES", args->classes, "Class polygon layer source (e.g. parcels); read as a stream")
        ->required();
    app.add_option("--zone-field", args->zone_field, "Field naming the zone")->required();
    app.add_option("--class-field", args->class_field, "Field naming the class (e.g. DLBM)")->required();
    app.add_option("--layer-zones", args->layer_zones, "Layer of ZONES (required when it has several)");
    app.add_option("--layer-classes", args->layer_classes, "Layer of CLASSES (required when it has several)");
    app.add_option("--unit", args->unit, "Area unit")
        ->check(CLI::IsMember({"ha", "mu", "km2", "m2"}))
        ->capture_default_str();
    app.add_option("--method", args->method, "Area method")
        ->check(CLI::IsMember({"plan", "ellip", "geod"}))
        ->capture_default_str();
    args->table_out.add_to(app, {.help = "Write the table here (.csv .json .md); default stdout"});
    app.add_flag("--wide", args->wide,
                 "CSV as the survey's tables: classes as rows with first-level subtotals, zones as columns (default: "
                 "one row per zone and class)");
    app.add_option("--control-area", args->control_area,
                   "面积平差: adjust the table to this total (a number in --unit, or the area of a boundary layer "
                   "SRC[:layer])");
    args->work.add_to(app, {.threads = true, .progress = WorkFlags::show_progress});
    args->input.add_to(app, {});
    app.footer(exit_status_cut);
    return [args](const Reporter& report) { return run_tabulate(*args, report); };
}

}  // namespace zk::cli
