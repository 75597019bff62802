// `zonekit run`: the whole job a project file declares, in one output directory —
//   analysis.gpkg   every input layer in the analysis CRS (polygons with plan_m2, ellip_m2, geod_m2), every
//                   overlay and table result, every findings layer; each styled by its role (layer_styles)
//   analysis.qgs    a QGIS 3.22 project over analysis.gpkg (relative paths): its layers in groups 检查结果,
//                   现状用地, 规划分区, 三区三线, 行政区划 (top to bottom), each with its layer_styles style; findings
//                   layers without features left out (qgis_project.hpp)
//   NAME.geojson    the layers [outputs] geojson names (RFC 7946 unless keep_crs)
//   NAME.csv        every table ([[areas]], [[tables]], [[counts]], [[lengths]])
//   report.md, report.html (self-contained: the map inline as SVG), map.png, map.svg, summary.json
//   screen.*        with a [screen] table: the siting screen's outputs (screen.hpp)
// Every file is written atomically; an existing one is replaced only with `overwrite`. The same inputs give
// the same tables and features, whatever the thread count.
#pragma once

#include "zonekit/checks/check.hpp"
#include "zonekit/geometry/area.hpp"
#include "zonekit/project/compare.hpp"
#include "zonekit/project/project.hpp"

#include <functional>
#include <string>
#include <vector>

namespace zk {

struct RunOptions {
    std::string outdir;          // created when missing; "" = the project's [outputs] dir
    bool overwrite = false;      // replace files that exist in outdir
    unsigned threads = 0;        // 0 = all cores
    AreaOptions area;
    std::function<void(const std::string&)> step;  // told what is being done next (for a progress display)
};

struct RunOutcome {
    std::string outdir;
    std::string crs;                      // the analysis CRS, "EPSG:4544"
    std::vector<std::string> files;       // written, in order
    std::vector<std::string> notes;       // how the CRS was chosen, reprojections
    std::vector<std::string> warnings;    // zone straddling, repaired or skipped geometries, field renames
    std::size_t rules = 0, rules_failed = 0;
    std::size_t findings = 0;             // above tolerance
    // Pieces missing from an overlay output or a land-use table: pairs that could not be cut even on the
    // precision grid, each named in a warning.
    std::size_t missing_pieces = 0;
    // The siting screen ([screen]): sites, and how many are forbidden, conditional, bad (not screened).
    std::size_t screen_sites = 0, screen_forbidden = 0, screen_conditional = 0, screen_errors = 0;
    RunSummary summary;                   // the figures a comparison of several projects takes (compare.hpp)
    bool ok() const { return rules_failed == 0; }
    bool complete() const { return missing_pieces == 0; }
};

// Runs the project. Throws InputError (bad layers, fields, project), OutputError (existing files without
// overwrite, unwritable directory) before writing anything it can foresee.
RunOutcome run_project(const Project& project, const RunOptions& options);

}  // namespace zk
