// The registry: every command, its one-line summary and the function that declares its options (in its
// command_NAME.cpp). main, --help, the man pages and the bash completion all walk this list; a new command is
// a new file and one line here.
#include "common.hpp"

namespace zk::cli {

const char* const exit_status_help =
    "0 done (and every rule holds, every site allowed); 1 findings: the checks found violations or sites that are "
    "not allowed (every output is still written); 2 bad input or usage, or an output that could not be written "
    "(nothing partial is left); 3 an output is incomplete: it is written but lacks pieces that could not be "
    "computed, each named in a warning; 128 + the signal when interrupted (130 SIGINT, 143 SIGTERM).";

const char* const exit_status_cut =
    "Exit status: 0 done, 2 bad input, 3 the output is written but lacks pieces that could not be cut (each named in "
    "a warning).";

Runner setup_info(CLI::App&), setup_area(CLI::App&), setup_overlay(CLI::App&), setup_tabulate(CLI::App&),
    setup_dissolve(CLI::App&), setup_buffer(CLI::App&), setup_count(CLI::App&), setup_length(CLI::App&),
    setup_check(CLI::App&), setup_resolve(CLI::App&), setup_export(CLI::App&), setup_render(CLI::App&),
    setup_run(CLI::App&), setup_screen(CLI::App&);

const std::vector<Command>& commands() {
    static const std::vector<Command> list = {
        {"info", "List a source's layers: geometry, count, CRS, extent, fields, encoding, geometry health", setup_info},
        {"area", "Areas per feature or group: planar, survey-ellipsoidal and geodesic, in m², ha, 亩 or km²",
         setup_area},
        {"overlay",
         "Overlay two polygon layers (intersection, union, identity, difference, symdifference, clip, erase) keeping "
         "both attribute sets and areas",
         setup_overlay},
        {"tabulate", "Zone × class area table (Tabulate Intersection), with shares, remainders and 面积平差",
         setup_tabulate},
        {"dissolve", "Union of the polygons per value of a field, with count and the three areas", setup_dissolve},
        {"buffer", "Buffer features by a distance in metres (in the analysis CRS), with the three areas", setup_buffer},
        {"count", "Points per zone (each point counted once; those in no zone as (none)), with the total", setup_count},
        {"length", "Line length per zone, planar and geodesic (the part in no zone as (none)), with the total",
         setup_length},
        {"check",
         "Check a plan: control lines do not overlap, zoning covers the county, everything lies inside, geometries "
         "are valid, no slivers; findings as features",
         setup_check},
        {"resolve",
         "Remove overlaps between layers by priority (the higher layer keeps the area), with an audit of the area "
         "moved",
         setup_resolve},
        {"export", "Convert layers: GeoPackage styled by role, RFC 7946 GeoJSON, Shapefile (.prj/.cpg), CSV with WKT",
         setup_export},
        {"render",
         "A map picture (PNG, SVG, PDF) of a project's or sources' layers in their styles, with legend, scale bar "
         "and north arrow",
         setup_render},
        {"run",
         "Run a project file: every layer with its areas, the tables, overlays and checks it declares, into a "
         "styled GeoPackage, GeoJSON, a map, report.md/html and summary.json",
         setup_run},
        {"screen",
         "Siting screen: what each proposed site takes from the control lines, zones and land use, its distances "
         "and the protected points near it, with a verdict (forbidden / conditional / allowed) and its reasons",
         setup_screen},
    };
    return list;
}

}  // namespace zk::cli
