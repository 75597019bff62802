// zonekit count POINTS ZONES --zone-field F — points per zone (e.g. ancient trees per district).
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/zone_stats.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace zk::cli {

namespace {
struct CountArgs {
    std::string points;
    std::string zones;
    std::string zone_field;
    std::string layer_points;
    std::string layer_zones;
    TableOutput table_out;
    InputFlags input;
};

Outcome run_count(const CountArgs& args, const Reporter& report) {
    const std::string format = args.table_out.resolved_format();
    const OutputOptions out_options = args.table_out.options({args.points, args.zones});
    if (!args.table_out.path.empty()) check_output_path(args.table_out.path, out_options);

    ZonedInput in(args.points, args.layer_points, args.zones, args.layer_zones, args.input);
    const std::vector<std::string>& notes = in.notes;
    const Crs& analysis = in.analysis;
    LayerReader& point_reader = in.reader;
    LayerReader& zone_reader = in.zone_reader;

    GeosContext ctx;
    ZoneCountTable table = count_in_zones(ctx, point_reader, zone_reader, args.zone_field);
    table.points_layer = point_reader.info().name;
    table.zones_layer = zone_reader.info().name;
    table.crs = analysis.label();

    const std::string text = format == "csv" ? zone_count_csv(table) : format == "json" ? zone_count_json(table)
                                                                                          : zone_count_markdown(table);
    args.table_out.write(text, out_options);
    report.notes(notes);
    report.warnings(table.warnings);
    return Outcome::done;
}
}  // namespace

Runner setup_count(CLI::App& app) {
    auto args = std::make_shared<CountArgs>();
    app.add_option("POINTS", args->points, "Point layer source")->required();
    app.add_option("ZONES", args->zones, "Zone (polygon) layer source")->required();
    app.add_option("--zone-field", args->zone_field, "Field of ZONES that names the zones")->required();
    app.add_option("--layer-points", args->layer_points, "Layer of POINTS (when it has several)");
    app.add_option("--layer-zones", args->layer_zones, "Layer of ZONES (when it has several)");
    args->table_out.add_to(app, {.help = "Write the table to this file (.csv .json .md)"});
    args->input.add_to(app, {.where = "OGR SQL attribute filter on the points"});
    app.footer("A point on an edge shared by two zones is counted once, in the zone that comes first in "
               "the zone layer (the first that covers it).");
    return [args](const Reporter& report) { return run_count(*args, report); };
}

}  // namespace zk::cli
