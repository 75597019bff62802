// The project file (TOML): each layer named once, then the rules to check.
//
//   [project]                      # optional
//   name = "崇州市国土空间规划"
//   crs = "EPSG:4544"               # analysis CRS; default: chosen from the data
//   min_area = 1.0                  # default tolerance of the rules, m²
//
//   [layers.county]                 # one table per layer; the name is what rules use
//   path = "chongzhou.gpkg"         # relative to the project file
//   layer = "county"                # optional when the file has one layer
//   key = "name"                    # optional: field copied into key_a / key_b of findings
//   where = "code <> 'X'"           # optional OGR SQL filter
//   assume_crs = "EPSG:4490"        # optional: CRS of a layer that has none
//   encoding = "GBK"                # optional: Shapefile text encoding
//   role = "boundary"               # optional: its style (one of layer_roles()); default: the role its name
//                                   # suggests, else its `layer`'s (guess_role: county, GHFQ, 规划分区, …), else none
//
//   [[rules]]
//   rule = "no-overlap"   layers = ["redline", "farmland", "urban"]   # checked pairwise
//   rule = "no-self-overlap"  layer = "districts"          (or layers = [...], one rule each)
//   rule = "covers"       boundary = "county"  layer = "districts"
//   rule = "within"       layer = "redline"    boundary = "county"
//   rule = "valid"        layer = "districts"
//   rule = "slivers"      layer = "districts"  max_width = 2.0
//   rule = "clearance"    layer = "urban"      from = "rivers"  distance = 50
//   rule = "sanxian"      boundary = "county"  layers = ["redline", "farmland", "urban"]   # the preset
//   min_area = 1.0        # any rule: its own tolerance, m²
//   description = "…"     # any rule: a note, not used
//
// What `zonekit run` makes besides the checks (all optional; layer names are those of [layers.*]):
//
//   [outputs]
//   dir = "out"                     # default OUTDIR of `zonekit run` (relative to the project file)
//   title = "…"                     # of the report and the map; default: [project] name
//   unit = "ha"                     # unit of the tables: ha, mu, km2, m2
//   method = "ellip"                # area of the tables: plan, ellip (national survey formula), geod
//   geojson = ["districts"]         # layers (declared, or results named below) also written as NAME.geojson
//   keep_crs = false                # GeoJSON in the analysis CRS instead of RFC 7946 WGS 84
//   map = true                      # map.png and map.svg
//   csv_encoding = "utf-8-bom"      # of the CSV tables: utf-8-bom (Excel), utf-8, gbk
//   sheet = "A3"                    # also sheet.pdf, a print-ready map sheet: A3, A4, A3-portrait, A4-portrait
//   [[areas]]      layer = "districts"  by = "name"                       # area table (by: group field)
//   [[tables]]     zones = "districts"  zone_field = "name"  classes = "parcels"  class_field = "dlmc"
//                  control = "county"   # or a number in the unit; optional: 面积平差 to the control total
//   [[counts]]     points = "trees"     zones = "districts"  zone_field = "name"
//   [[lengths]]    lines = "rivers"     zones = "districts"  zone_field = "name"
//   [[overlays]]   op = "intersection"  a = "parcels"  b = "districts"  keep_fields = "a:dlbm,b:name"
//   name = "…"     # any of these: its name in analysis.gpkg and the report (default from its layers)
//
// The siting screen `zonekit run` includes when the file has a [screen] table (see screen.hpp for every key):
//
//   [screen]
//   sites = "sites"                 # a declared layer of proposed sites
//   preset = "sanxian"
//   clearance = { rivers = 50 }
//   protect = { trees = 15 }
//   [[screen.rules]]
//   layer = "parcels"  measure = "take"  classes = ["01*"]  verdict = "conditional"  wording = "占用耕地"
//
// Unknown keys and tables are errors (with line and column).
#pragma once

#include "zonekit/checks/check.hpp"
#include "zonekit/present/render.hpp"
#include "zonekit/project/screen.hpp"

#include <string>
#include <vector>

namespace zk {

struct AreaJob {
    std::string name, layer, by;
};
struct TableJob {
    std::string name, zones, zone_field, classes, class_field;
    std::string unit, method;  // "" = [outputs]
    std::string control_layer;  // a declared layer whose area is the control total, or
    std::optional<double> control;  // a number in the unit
};
struct ZoneStatJob {  // counts (points) and lengths (lines)
    std::string name, layer, zones, zone_field;
};
struct OverlayJob {
    std::string name, op, a, b, keep_fields;
};
struct RunSpec {
    std::string dir;  // resolved against the project file's directory; "" = none
    std::string title;
    std::string unit = "ha";
    std::string method = "ellip";
    std::vector<std::string> geojson;
    bool keep_crs = false;
    bool map = true;
    std::string csv_encoding = "utf-8-bom";  // of the CSV tables: utf-8-bom, utf-8, gbk
    std::string sheet;                       // "" = no sheet.pdf; else its paper (map_sheet.hpp's names)
    std::vector<AreaJob> areas;
    std::vector<TableJob> tables;
    std::vector<ZoneStatJob> counts, lengths;
    std::vector<OverlayJob> overlays;
};

struct Project {
    std::string path;
    std::string name;
    CheckPlan plan;
    std::optional<double> min_area;
    RunSpec run;
    ScreenSpec screen;  // [screen]: screen.declared when the file has one
    // The declared layer `name`, or nullptr.
    const LayerSpec* layer(const std::string& layer_name) const;
};

// Reads a project file. Throws InputError with the file, line and column on a TOML syntax error, an unknown
// key or rule, a missing or mistyped value, or a rule that names an undeclared layer.
Project load_project(const std::string& path);
// The same from text; `path` is used in messages and relative layer paths are resolved from its directory.
Project parse_project(const std::string& text, const std::string& path);

// A MapSpec for a project: its layers with their roles and the project's name as title.
MapSpec map_spec_for(const Project& project);

}  // namespace zk
