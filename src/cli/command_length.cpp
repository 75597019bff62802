// zonekit length LINES ZONES --zone-field F — line length per zone (e.g. river kilometres per district).
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/zone_stats.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace zk::cli {

namespace {
struct LengthArgs {
    std::string lines;
    std::string zones;
    std::string zone_field;
    std::string layer_lines;
    std::string layer_zones;
    TableOutput table_out;
    WorkFlags work;
    InputFlags input;
};

Outcome run_length(const LengthArgs& args, const Reporter& report) {
    const std::string format = args.table_out.resolved_format();
    const OutputOptions out_options = args.table_out.options({args.lines, args.zones});
    if (!args.table_out.path.empty()) check_output_path(args.table_out.path, out_options);

    ZonedInput in(args.lines, args.layer_lines, args.zones, args.layer_zones, args.input);
    const std::vector<std::string>& notes = in.notes;
    const Crs& analysis = in.analysis;
    LayerReader& line_reader = in.reader;
    LayerReader& zone_reader = in.zone_reader;

    GeosContext ctx;
    ZoneLengthTable table =
        length_in_zones(ctx, line_reader, zone_reader, args.zone_field, analysis, args.work.densify);
    table.lines_layer = line_reader.info().name;
    table.zones_layer = zone_reader.info().name;
    table.crs = analysis.label();

    const std::string text = format == "csv" ? zone_length_csv(table) : format == "json" ? zone_length_json(table)
                                                                                          : zone_length_markdown(table);
    args.table_out.write(text, out_options);
    report.notes(notes);
    report.warnings(table.warnings);
    return Outcome::done;
}
}  // namespace

Runner setup_length(CLI::App& app) {
    auto args = std::make_shared<LengthArgs>();
    app.add_option("LINES", args->lines, "Line layer source")->required();
    app.add_option("ZONES", args->zones, "Zone (polygon) layer source")->required();
    app.add_option("--zone-field", args->zone_field, "Field of ZONES that names the zones")->required();
    app.add_option("--layer-lines", args->layer_lines, "Layer of LINES (when it has several)");
    app.add_option("--layer-zones", args->layer_zones, "Layer of ZONES (when it has several)");
    args->table_out.add_to(app, {.help = "Write the table to this file (.csv .json .md)"});
    args->work.densify = 20.0;  // shown as the default
    args->work.add_to(app, {.densify = "Longest segment (m, in the analysis CRS) before the geodesic length is "
                                       "measured; 0 = bare vertices"});
    args->input.add_to(app, {.where = "OGR SQL attribute filter on the lines"});
    app.footer("Columns: zone, length_m (planar, analysis CRS), length_km, geod_m (geodesic on the "
               "ellipsoid). A piece of line along an edge shared by two zones goes to the zone that comes "
               "first in the zone layer.");
    return [args](const Reporter& report) { return run_length(*args, report); };
}

}  // namespace zk::cli
