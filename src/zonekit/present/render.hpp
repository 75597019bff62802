// Map pictures with Cairo: the layers in their role's style (styles/palette.json), stacked in the palette's
// draw_order, findings on top and highlighted; a title, a legend with Chinese labels (Noto Sans CJK SC), a
// scale bar with a round length in m or km, a grid-north arrow. PNG, SVG (text as glyph outlines) or PDF.
//
// The map is drawn in one projected CRS in metres: the one asked for, else choose_analysis_crs of the data
// (geographic layers are reprojected to their CGCS2000 Gauss–Kruger zone), so a metre is the same length
// everywhere on the picture and the scale bar is true near the central meridian.
#pragma once

#include "zonekit/base/roles.hpp"
#include "zonekit/geometry/crs.hpp"
#include "zonekit/geometry/spatial_index.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/source.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zk {


struct MapLayer {
    std::string path;            // any GDAL vector source
    std::string layer;           // "" = the only layer
    std::string role;            // one of layer_roles(); "" = guessed from the layer name, else a neutral grey style
    std::string where;           // optional OGR SQL filter
    std::string title;           // legend title; "" = the palette's title of the role
    SourceOptions source;        // encoding / assume_crs
    std::string key;             // the layer's key field: districts may take their categories from it (style_field)
};

struct MapSpec {
    std::vector<MapLayer> layers;        // drawn in the palette's draw_order (stable for equal roles)
    std::string title;                   // drawn at the top
    int width_px = 1600, height_px = 0;  // 0 = from the extent's aspect (plus legend panel)
    double dpi = 150;                    // scales line widths (mm) and text (pt)
    std::optional<Crs> crs;              // map CRS; default choose_analysis_crs of the data (projected, metres)
    std::optional<Box> extent;           // in the map CRS; default: all layers plus a margin
    // With an extent: read only the features whose envelope meets it (a spatial filter on each source), e.g. for
    // many small maps of one large layer. Layers whose categories come from the data (districts) are still read
    // whole, so that each value keeps its colour from map to map.
    bool clip_to_extent = false;
    std::string font = "Noto Sans CJK SC";  // fontconfig family of every text; must be installed
};

struct RenderResult {
    std::vector<std::string> warnings;
    std::vector<std::string> notes;  // how the map CRS was chosen, layers reprojected
    int features_drawn = 0;
    int width_px = 0, height_px = 0; // of the picture (PNG pixels; SVG user units; PDF at `dpi`)
    std::string crs;                 // "EPSG:4544"
    Box extent;                      // drawn, in the map CRS (the requested one widened to the frame's aspect)
    Box frame_px;                    // the map frame on the picture, in pixels (x right, y down)
    Box legend_px;                   // the legend panel, in pixels
    double scale_bar_m = 0;          // length of the scale bar
    // The legend's texts in order: each entry's heading (a categorized role) and its symbols' texts, the
    // categories drawn (for districts, one per value of the data); all of them, even when some do not fit.
    std::vector<std::string> legend;
};

// Writes PNG, SVG or PDF by the extension of `path` (.png .svg .pdf), atomically. Throws InputError for bad
// layers or sizes, OutputError when the file cannot be written or the font is not installed.
RenderResult render_map(const MapSpec& spec, const std::string& path, const OutputOptions& options);

// The SVG document as text (for embedding inline in an HTML report). Same input, same bytes.
std::string render_svg(const MapSpec& spec, RenderResult* result = nullptr);
// The PNG picture as bytes (e.g. for a report that holds its pictures inline).
std::string render_png(const MapSpec& spec, RenderResult* result = nullptr);

// The scale bar's length: the largest 1, 2 or 5 × 10^k metres that is at most `max_m` (> 0).
double scale_bar_length(double max_m);
// "500 m", "1 km", "2.5 km" (metres below 1000, else kilometres).
std::string scale_bar_label(double metres);

// Parses "1600x1200" (or "1600x" / "1600": height from the extent). Throws InputError otherwise.
void parse_map_size(std::string_view text, int& width_px, int& height_px);

}  // namespace zk
