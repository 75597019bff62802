// The report's map made to be explored: over the drawn SVG map, one invisible path per feature of the chosen
// layers, titled with the feature's name (a browser shows it under the pointer), and the map's viewBox ready for
// the report's pan-and-zoom script (report.cpp). The pictures stay as drawn; only the overlay is added.
#pragma once

#include "zonekit/present/render.hpp"

#include <string>
#include <vector>

namespace zk {

struct HoverLayer {
    std::string path, layer;  // a GDAL vector source in the map's CRS (e.g. analysis.gpkg and a table in it)
    std::string title;        // "生态保护红线": goes before each feature's name
    std::string key;          // field naming a feature ("" or missing: its fid)
    std::string where;        // OGR SQL filter, "" = all
};

// `svg` (as render_svg wrote it, with `drawn` its RenderResult) with the overlay of `layers` appended, drawn in
// order (the last on top), each path simplified to about a pixel. Features outside the frame are left out.
// Throws InputError when a layer cannot be read.
std::string add_hover_overlay(const std::string& svg, const RenderResult& drawn, const std::vector<HoverLayer>& layers);

}  // namespace zk
