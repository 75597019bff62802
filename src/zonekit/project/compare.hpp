// Several counties at once (`zonekit run A.toml B.toml … -o OUT`): the figures each run keeps for a comparison
// (RunSummary, filled by run_project), and the comparison across the projects written into OUT —
//   comparison.csv   UTF-8 with a BOM (Excel on a Chinese Windows reads the names); one row per project:
//                    project,crs,county_m2,county_ha,county_mu,
//                    then per control line and per zone: <name>_ha,<name>_share_pct,
//                    then rules,rules_failed,findings_above_tolerance,status
//                    (the columns are the union over the projects, blank where a project has no such figure)
//   comparison.json  the same as data
//   index.md, index.html   the projects with links to their reports, and the comparison tables
// Every area is the ellipsoidal one (the national land survey formula, the figure a report signs), measured by
// each project's run in its own analysis CRS; nothing is measured here.
#pragma once

#include "zonekit/io/output_files.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace zk {

// The three control lines (三条控制线), by the role of their layer, in the order a comparison shows them:
// redline 生态保护红线, farmland 永久基本农田, urban 城镇开发边界.
struct ControlLine {
    const char* role;
    const char* name;
};
const std::vector<ControlLine>& control_lines();

struct SummaryArea {
    std::string name;   // the control line's (生态保护红线) or the zone's (the value of the table's field)
    double m2 = 0;      // ellipsoidal area, m²
};

// One project's figures for a comparison, from what its run measured.
struct RunSummary {
    std::string county_layer;                 // the first declared layer of role boundary; "" = none
    std::optional<double> county_m2;          // its area (every feature), m²
    std::vector<SummaryArea> control_lines;   // in control_lines() order; the first layer of each role, if any
    std::vector<std::string> control_layers;  // the declared layer each control line was measured from
    std::string zones_layer;                  // the first declared layer of role districts; "" = none
    std::string zones_table;                  // the first [[areas]] table grouping it by a field; "" = none
    std::string zone_field;                   // that field
    std::vector<SummaryArea> zones;           // its rows, in its order
    std::size_t rules = 0, rules_failed = 0;
    std::size_t findings = 0;                 // above tolerance
};

// A project's figures as JSON (summary.json's "comparison"): method, county{layer,m2,ha,mu} or null,
// control_lines[{name,m2,ha,share_pct,layer}], zones{layer,table,field,areas[{name,m2,ha,share_pct}]}, rules,
// rules_failed, findings_above_tolerance.
std::string run_summary_json(const RunSummary& summary);

// A project of a comparison: its name (its folder in OUT), its file, and its figures or why it has none.
struct ComparedProject {
    std::string name;
    std::string file;
    std::string crs;                    // the analysis CRS of its run, "EPSG:4544"
    std::optional<RunSummary> summary;  // nullopt: the project failed (error says why)
    std::string error;
    // "PASS" (every rule holds), "FAIL" (a rule failed) or "ERROR" (it could not be run).
    std::string status() const;
};

struct Comparison {
    std::vector<ComparedProject> projects;   // in the order given
    std::vector<std::string> control_lines;  // those any project has, in control_lines() order
    std::vector<std::string> zones;          // the union of the projects' zones, in the order first met
};

// The comparison of `projects`: the union of their control lines and zones.
Comparison make_comparison(std::vector<ComparedProject> projects);

// The columns of comparison.csv (see above).
std::vector<std::string> comparison_columns(const Comparison& comparison);
std::string comparison_csv(const Comparison& comparison);
std::string comparison_json(const Comparison& comparison);
// The comparison as Markdown tables (areas and shares, zones, checks), for index.md and a terminal.
std::string comparison_markdown(const Comparison& comparison);
std::string comparison_index_markdown(const Comparison& comparison, const std::string& title);
// One self-contained page (inline CSS, no script, no network): Chinese headings with English in small type.
std::string comparison_index_html(const Comparison& comparison, const std::string& title);

// The files a comparison writes into its directory.
const std::vector<std::string>& comparison_files();
// Creates `dir` when missing; throws OutputError when it cannot, or when one of comparison_files() exists in it
// and options.overwrite is off: for a check before any project is run.
void check_comparison_outputs(const std::string& dir, const OutputOptions& options);
// Writes comparison_files() into `dir` (created when missing), each atomically; returns their paths.
std::vector<std::string> write_comparison(const std::string& dir, const Comparison& comparison,
                                          const std::string& title, const OutputOptions& options);

// A folder name for a project called `wanted`: safe on any file system (no / \ : * ? " < > | or control
// characters, no leading dot, no trailing dot or space, not a reserved DOS name, at most 80 bytes cut on a
// UTF-8 character boundary; Chinese is kept), not one of comparison_files(), and unlike every name in `taken`
// (compared without ASCII case) by a suffix -2, -3, …; the name is added to `taken`.
std::string project_folder_name(const std::string& wanted, std::vector<std::string>& taken);

}  // namespace zk
