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
//   role = "boundary"               # optional: its style (one of layer_roles()); default: the layer's name
//                                   # when that is a role, else none
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
// Unknown keys inside [project], [layers.*] and [[rules]] are errors (with line and column). Other top-level
// tables (e.g. [outputs] of `zonekit run`) are left to the commands that read them; each is named in `notes`.
#pragma once

#include "zonekit/check.hpp"

#include <string>
#include <vector>

namespace zk {

// The roles a layer can play, each with a style in styles/: boundary, districts, redline, farmland, urban,
// parcels, rivers, points, findings.
const std::vector<std::string>& layer_roles();

struct Project {
    std::string path;
    std::string name;
    CheckPlan plan;
    std::optional<double> min_area;
    std::vector<std::string> notes;
    // The declared layer `name`, or nullptr.
    const LayerSpec* layer(const std::string& layer_name) const;
};

// Reads a project file. Throws InputError with the file, line and column on a TOML syntax error, an unknown
// key or rule, a missing or mistyped value, or a rule that names an undeclared layer.
Project load_project(const std::string& path);
// The same from text; `path` is used in messages and relative layer paths are resolved from its directory.
Project parse_project(const std::string& text, const std::string& path);

}  // namespace zk
