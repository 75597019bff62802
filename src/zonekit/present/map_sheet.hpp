// A print-ready map sheet: one PDF page of ISO A3 or A4 (landscape, or portrait) with the map in a frame at a
// round scale, the legend in Chinese, a scale bar, a north arrow, a title block (title, project, date, CRS,
// scale, zonekit version, blank lines for 制图单位 and 审核) and a locator map (all layers small, with a
// rectangle where the main map is). Drawn with render.cpp's painter, legend, scale bar and arrow; fonts are
// embedded by Cairo's PDF surface as subsets.
#pragma once

#include "zonekit/geometry/spatial_index.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/present/render.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace zk {

struct SheetFormat {
    std::string name;  // "A3", "A4-portrait"
    double width_mm = 0, height_mm = 0;
};

// "A3", "A4" (landscape), "A3-portrait", "A4-portrait" (case does not matter). Throws InputError otherwise.
SheetFormat parse_sheet_format(std::string_view text);
// The names parse_sheet_format takes.
const std::vector<std::string>& sheet_format_names();

// The boxes of a sheet in PDF points (1 mm = 72/25.4 pt), x right, y down from the page's top left corner.
struct SheetLayout {
    double width_pt = 0, height_pt = 0;
    double margin_pt = 0;
    Box map, legend, locator, title_block;
};
SheetLayout sheet_layout(const SheetFormat& format);

// The smallest round scale denominator (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) at least `denominator`.
double round_scale(double denominator);

// The locator: `frame` (page units) showing `all_layers` and `main_extent` (map CRS) with their aspect kept;
// `rect` is the main map's extent on the page, inside the frame, at least `min_rect` units on a side.
struct LocatorView {
    Box extent;        // shown, in the map CRS
    double scale = 1;  // page units per metre
    Box rect;          // the main map's extent, page units
};
LocatorView locator_view(const Box& frame, const Box& all_layers, const Box& main_extent, double min_rect = 3);

struct SheetOptions {
    SheetFormat format = parse_sheet_format("A3");
    std::string project;  // the project or county named in the title block
    std::string date;     // "" = SOURCE_DATE_EPOCH if set, else today (UTC), as YYYY-MM-DD
};

struct SheetResult {
    SheetLayout layout;
    RenderResult map;             // notes, warnings, CRS, extent, scale bar, legend texts, features drawn
    double scale_denominator = 0; // the map's scale 1:n on the printed page
    LocatorView locator;
    std::size_t legend_hidden = 0;  // legend entries left out for want of room
    std::vector<std::string> title_block;  // the title block's lines, as drawn
};

// Writes the sheet as a one-page PDF at `path` (which must end in .pdf), atomically. spec.width_px, height_px,
// dpi and clip_to_extent are not used. Throws InputError for bad layers or a path that is not .pdf,
// OutputError when it cannot be written.
SheetResult render_sheet(const MapSpec& spec, const SheetOptions& options, const std::string& path,
                         const OutputOptions& output);

}  // namespace zk
