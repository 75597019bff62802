// Internals shared by the pieces of the map renderer (render_load, render_layout, render_legend, render_draw and
// render.cpp): the layers as loaded and styled, the picture's layout and the legend's rows. Not installed.
#pragma once

#include "zonekit/present/render_internal.hpp"

#include "zonekit/geometry/geos_context.hpp"
#include "zonekit/io/palette.hpp"

#include <cairo.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zk::render_detail {

inline constexpr double pi = 3.14159265358979323846;

// ---- Geometry helpers (render_load.cpp) -------------------------------------------------------------------

struct KindCounts {
    std::int64_t polygons = 0, lines = 0, points = 0;
};

void count_kinds(GeosContext& ctx, const GEOSGeometry* g, KindCounts& k);
bool meets(const Box& a, const Box& b);
void extend(std::optional<Box>& acc, const Box& b);

// ---- What is drawn (render_load.cpp) ----------------------------------------------------------------------

struct DrawFeature {
    GeomPtr geom;
    const Symbol* symbol = nullptr;
    std::string label;
    Box box;
    std::optional<std::string> value;  // of the style's field, until the symbol is chosen
};

struct DrawLayer {
    std::string name;     // the layer's own name
    std::string where;    // "'file' layer 'name'" for messages
    std::string role;     // "" = neutral
    const RoleStyle* style = nullptr;
    std::string title;
    int rank = 0;
    std::vector<DrawFeature> features;
    KindCounts kinds;
    bool findings() const { return role == "findings"; }
    GeometryKind kind() const {
        if (kinds.polygons == 0 && kinds.lines == 0 && kinds.points == 0) return style->geometry;
        if (kinds.points > kinds.polygons && kinds.points > kinds.lines) return GeometryKind::point;
        if (kinds.lines > kinds.polygons) return GeometryKind::line;
        return GeometryKind::polygon;
    }
};

// The symbols of a style in legend order: categories, prefixes, other (or the single symbol).
std::vector<const Symbol*> legend_symbols(const RoleStyle& style);

struct Loaded {
    std::unique_ptr<GeosContext> ctx;  // first: destroyed after the geometries
    Crs crs;
    std::vector<DrawLayer> layers;     // in draw order
    std::optional<Box> data_box;
    std::vector<std::unique_ptr<RoleStyle>> styles;  // built from the data (districts), one per role
};

// What render_internal.hpp's MapData holds.
struct MapData {
    Loaded loaded;
};

// The layers of `spec` read into the map CRS and styled, in draw order. Throws InputError when there is nothing
// to draw.
Loaded load(const MapSpec& spec, RenderResult& result);

// ---- Text and shapes on a Cairo context (render_draw.cpp) -------------------------------------------------

void marker_path(cairo_t* cr, const std::string& shape, double x, double y, double diameter);

// Parallel lines over the device-space box, anchored at the page origin (adjacent polygons' hatches line up).
void hatch_lines(Painter& p, const Hatch& h, double x0, double y0, double x1, double y1);
void set_stroke(Painter& p, const Symbol& s, double extra_width_mm = 0);

// ---- Layout (render_layout.cpp) ---------------------------------------------------------------------------

// One symbol and its text in the legend.
struct LegendCell {
    const Symbol* symbol = nullptr;
    GeometryKind geometry = GeometryKind::polygon;
    std::string text;
    std::vector<std::string> lines;  // text wrapped to the cell
};

// A layer's (or a role's) entry: a heading and its categories, or one symbol with the title as its text.
struct LegendGroup {
    std::string heading;  // "" for a single symbol
    std::vector<LegendCell> items;
};

// A line of the legend: a heading, or one or two cells side by side.
struct LegendRow {
    enum class Kind { heading, items } kind = Kind::items;
    std::vector<std::string> lines;  // heading
    std::vector<LegendCell> cells;
    double cell_width = 0;
    double height = 0;
};

struct Layout {
    double width = 0, height = 0;
    double margin = 0;
    double title_y = 0;  // middle of the title line
    Box frame;           // map frame, device px (y down)
    Box legend;          // legend panel, device px
    Box extent;          // in the map CRS, with the frame's aspect
    double scale = 1;    // px per metre
    std::vector<LegendRow> rows;
    std::size_t rows_shown = 0;
    double legend_font = 1;  // factor on the legend's text sizes when it must shrink to fit
    double scale_bar_m = 0;
    std::string convergence;  // sentence on grid vs true north, or ""
};

// Text sizes (pt) and legend measures (mm).
constexpr double title_pt = 16, legend_title_pt = 11, heading_pt = 9, item_pt = 8.5, footer_pt = 7;
constexpr double margin_mm = 4, pad_mm = 3, swatch_w_mm = 7, swatch_h_mm = 4, swatch_gap_mm = 2.2, cell_gap_mm = 3;
// A categorized entry with at least this many categories may list them in two columns.
constexpr std::size_t two_up_min = 6;

// The legend's entries: layers top-most first; layers of the same role and title share one entry; a
// categorized role lists the categories that are drawn, in the palette's order.
std::vector<LegendGroup> legend_groups(const std::vector<DrawLayer>& layers);

// The map's extent: as asked (checked), or the data plus a 4 % margin.
Box extent_of(const MapSpec& spec, const Loaded& data, const Crs& crs);

// The legend footer's sentence on grid and true north at the centre of `ext`, or "".
std::string convergence_text(const Crs& crs, const Box& ext);

// The legend's rows for a panel `legend_w` wide (L.convergence set), fitted to a height.
class LegendFitter {
public:
    LegendFitter(Painter& p, const std::vector<LegendGroup>& groups, const Crs& crs, Layout& L, double legend_w)
        : m_p(p), m_groups(groups), m_crs(crs), m_l(L), m_pad(p.mm(pad_mm)), m_text_w(legend_w - 2 * m_pad) {}

    // The height the legend needs at text size factor f (L.rows set to its rows); with two_up, long category
    // lists take two columns.
    double needed(double f, bool two_up) {
        m_l.rows = rows_for(f, two_up);
        double total = m_p.pt(legend_title_pt * f) * 1.8 + footer_height(f) + 2 * m_pad;
        for (const auto& r : m_l.rows) total += r.height;
        return total;
    }

    // Fits the legend into `height`: one column; then long category lists in two columns; then smaller text
    // down to min_f. Sets L.rows and L.legend_font; returns the height needed.
    double fit(double height, double min_f) {
        double f = 1.0;
        bool two_up = false;
        double need = needed(f, two_up);
        if (need > height) {
            const double paired = needed(f, true);
            if (paired < need) {
                two_up = true;
                need = paired;
            } else {
                need = needed(f, false);
            }
        }
        while (need > height && f > min_f + 1e-9) {
            f = std::max(min_f, f * 0.92);
            need = needed(f, two_up);
        }
        m_l.legend_font = f;
        return need;
    }

    // Sets L.rows_shown: every row, or those that fit in `height` with room for "… n more".
    void show(double need, double height) {
        const double f = m_l.legend_font;
        m_l.rows_shown = m_l.rows.size();
        if (need <= height) return;
        double used = m_p.pt(legend_title_pt * f) * 1.8 + footer_height(f) + 2 * m_pad +
                      m_p.pt(item_pt * f) * 1.5;  // room for "… n more"
        std::size_t n = 0;
        while (n < m_l.rows.size() && used + m_l.rows[n].height <= height) used += m_l.rows[n++].height;
        m_l.rows_shown = n;
    }

private:
    std::vector<LegendRow> rows_for(double f, bool two_up) {
        Painter& p = m_p;
        const double swatch_w = p.mm(swatch_w_mm), gap = p.mm(swatch_gap_mm);
        std::vector<LegendRow> rows;
        for (const auto& g : m_groups) {
            if (!g.heading.empty()) {
                p.font(heading_pt * f, true);
                LegendRow r;
                r.kind = LegendRow::Kind::heading;
                r.lines = p.wrap(g.heading, m_text_w);
                r.height = p.pt(heading_pt * f) * 1.5 * static_cast<double>(r.lines.size()) + p.mm(1.0) * f;
                rows.push_back(std::move(r));
            }
            const std::size_t n = g.items.size();
            const bool pair = two_up && n >= two_up_min;
            const std::size_t down = pair ? (n + 1) / 2 : n;
            const double cell_w = pair ? (m_text_w - p.mm(cell_gap_mm)) / 2 : m_text_w;
            p.font(item_pt * f, false);
            const double line_h = p.pt(item_pt * f) * 1.45;
            for (std::size_t i = 0; i < down; ++i) {
                LegendRow r;
                r.cell_width = cell_w;
                for (std::size_t j : {i, i + down}) {
                    if (j >= n || (j != i && !pair)) continue;
                    LegendCell c = g.items[j];
                    c.lines = p.wrap(c.text, cell_w - (swatch_w + gap) * f);
                    r.height = std::max({r.height, line_h * static_cast<double>(c.lines.size()),
                                         p.mm(swatch_h_mm + 1.2) * f});
                    r.cells.push_back(std::move(c));
                }
                rows.push_back(std::move(r));
            }
        }
        return rows;
    }

    double footer_height(double f) {
        m_p.font(footer_pt * f, false);
        const double line_h = m_p.pt(footer_pt * f) * 1.4;
        std::size_t n = m_p.wrap(fmt::format("坐标系 CRS {} {}", m_crs.label(), m_crs.name()), m_text_w).size();
        if (!m_l.convergence.empty()) n += m_p.wrap(m_l.convergence, m_text_w).size();
        return line_h * static_cast<double>(n) + m_p.mm(2);
    }

    Painter& m_p;
    const std::vector<LegendGroup>& m_groups;
    const Crs& m_crs;
    Layout& m_l;
    double m_pad, m_text_w;
};
Layout make_layout(Painter& p, const MapSpec& spec, const Loaded& data, const Crs& crs);

// ---- The legend, the scale bar and the north arrow (render_legend.cpp) ------------------------------------

class MapDrawer;

// Headings and symbols of the legend rows that did not fit.
std::size_t hidden_entries(const Layout& L);
void draw_scale_bar(Painter& p, const Layout& L);
void draw_north_arrow(Painter& p, const Layout& L);
void draw_legend(Painter& p, MapDrawer& drawer, const Layout& L, const Crs& crs);

// ---- The map frame (render_draw.cpp) ----------------------------------------------------------------------

// The map in L.frame: the features that meet L.extent, clipped to the frame, with their labels, the scale bar
// and the north arrow as asked, then the frame's outline. Returns how many features were drawn.
int draw_frame(Painter& p, const Loaded& data, const Layout& L, bool labels, bool scale_bar, bool arrow);

}  // namespace zk::render_detail
