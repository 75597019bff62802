// What is drawn around the map: the legend panel (its entries, the CRS and north in its footer), the scale bar
// and the north arrow.
#include "zonekit/present/render_drawer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace zk::render_detail {

// Headings and symbols of the legend rows that did not fit.
std::size_t hidden_entries(const Layout& L) {
    std::size_t n = 0;
    for (std::size_t i = L.rows_shown; i < L.rows.size(); ++i) n += std::max<std::size_t>(1, L.rows[i].cells.size());
    return n;
}

void draw_scale_bar(Painter& p, const Layout& L) {
    cairo_t* cr = p.cr();
    const double metres = L.scale_bar_m;
    const double bar = metres * L.scale;
    const double h = p.mm(1.6);
    const double x = L.frame.min_x + p.mm(6);
    const double y = L.frame.max_y - p.mm(6) - h;
    // 1 and 2 × 10^k split in 4, 5 × 10^k in 5.
    const double lead = metres / std::pow(10.0, std::floor(std::log10(metres) + 1e-9));
    const int parts = lead > 4.5 ? 5 : 4;
    p.font(8, false);
    const std::string end = scale_bar_label(metres);
    const double label_h = p.pt(8) * 1.4;
    // A white box behind it.
    cairo_new_path(cr);
    cairo_rectangle(cr, x - p.mm(2), y - label_h - p.mm(1.5), bar + p.width(end) / 2 + p.mm(5), h + label_h + p.mm(3.5));
    p.colour(Rgba{255, 255, 255, 215});
    cairo_fill(cr);
    for (int i = 0; i < parts; ++i) {
        cairo_rectangle(cr, x + bar * i / parts, y, bar / parts, h);
        p.colour(i % 2 == 0 ? Rgba{33, 33, 33, 255} : Rgba{255, 255, 255, 255});
        cairo_fill(cr);
    }
    cairo_rectangle(cr, x, y, bar, h);
    p.colour(Rgba{33, 33, 33, 255});
    cairo_set_line_width(cr, p.mm(0.2));
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_stroke(cr);
    p.text("0", x, y - label_h / 2 - p.mm(0.3), 0.5, text_colour);
    p.text(end, x + bar, y - label_h / 2 - p.mm(0.3), 0.5, text_colour);
}

void draw_north_arrow(Painter& p, const Layout& L) {
    cairo_t* cr = p.cr();
    const double h = p.mm(11), w = p.mm(6);
    const double cx = L.frame.max_x - p.mm(6) - w / 2;
    const double top = L.frame.min_y + p.mm(6) + p.pt(10) * 1.3;
    p.font(10, true);
    p.text("N", cx, L.frame.min_y + p.mm(6) + p.pt(10) * 0.5, 0.5, text_colour, Rgba{255, 255, 255, 230}, p.mm(0.6));
    auto outline = [&] {
        cairo_new_path(cr);
        cairo_move_to(cr, cx, top);
        cairo_line_to(cr, cx + w / 2, top + h);
        cairo_line_to(cr, cx, top + 0.72 * h);
        cairo_line_to(cr, cx - w / 2, top + h);
        cairo_close_path(cr);
    };
    outline();
    p.colour(Rgba{255, 255, 255, 230});
    cairo_set_line_width(cr, p.mm(1.2));
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_stroke_preserve(cr);
    p.colour(Rgba{255, 255, 255, 255});
    cairo_fill(cr);
    cairo_new_path(cr);  // the left half dark
    cairo_move_to(cr, cx, top);
    cairo_line_to(cr, cx, top + 0.72 * h);
    cairo_line_to(cr, cx - w / 2, top + h);
    cairo_close_path(cr);
    p.colour(Rgba{33, 33, 33, 255});
    cairo_fill(cr);
    outline();
    cairo_set_line_width(cr, p.mm(0.25));
    cairo_stroke(cr);
}

void draw_legend(Painter& p, MapDrawer& drawer, const Layout& L, const Crs& crs) {
    cairo_t* cr = p.cr();
    const double f = L.legend_font;
    const double pad = p.mm(pad_mm);
    const Box& b = L.legend;
    cairo_new_path(cr);
    cairo_rectangle(cr, b.min_x, b.min_y, b.max_x - b.min_x, b.max_y - b.min_y);
    p.colour(Rgba{255, 255, 255, 255});
    cairo_fill_preserve(cr);
    p.colour(Rgba{90, 90, 90, 255});
    cairo_set_line_width(cr, p.mm(0.3));
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_stroke(cr);
    cairo_save(cr);
    cairo_rectangle(cr, b.min_x, b.min_y, b.max_x - b.min_x, b.max_y - b.min_y);
    cairo_clip(cr);

    double y = b.min_y + pad;
    p.font(legend_title_pt * f, true);
    p.text("图例 Legend", b.min_x + pad, y + p.pt(legend_title_pt * f) * 0.6, 0, text_colour);
    y += p.pt(legend_title_pt * f) * 1.8;
    const double swatch_w = p.mm(swatch_w_mm) * f, swatch_h = p.mm(swatch_h_mm) * f, gap = p.mm(swatch_gap_mm) * f;
    for (std::size_t i = 0; i < L.rows_shown; ++i) {
        const LegendRow& r = L.rows[i];
        if (r.kind == LegendRow::Kind::heading) {
            p.font(heading_pt * f, true);
            const double line_h = p.pt(heading_pt * f) * 1.5;
            double ly = y + p.mm(1.0) * f + line_h / 2;
            for (const auto& line : r.lines) {
                p.text(line, b.min_x + pad, ly, 0, text_colour);
                ly += line_h;
            }
        } else {
            for (std::size_t k = 0; k < r.cells.size(); ++k) {
                const LegendCell& c = r.cells[k];
                const double x = b.min_x + pad + static_cast<double>(k) * (r.cell_width + p.mm(cell_gap_mm));
                drawer.swatch(*c.symbol, c.geometry, x, y + (r.height - swatch_h) / 2, swatch_w, swatch_h);
                p.font(item_pt * f, false);
                const double line_h = p.pt(item_pt * f) * 1.45;
                double ly = y + (r.height - line_h * static_cast<double>(c.lines.size())) / 2 + line_h / 2;
                for (const auto& line : c.lines) {
                    p.text(line, x + swatch_w + gap, ly, 0, text_colour);
                    ly += line_h;
                }
            }
        }
        y += r.height;
    }
    if (L.rows_shown < L.rows.size()) {
        p.font(item_pt * f, false);
        p.text(fmt::format("… 另有 {} 项 more", hidden_entries(L)), b.min_x + pad,
               y + p.pt(item_pt * f) * 0.75, 0, text_colour);
    }

    // Footer: the CRS and north, at the bottom of the panel.
    p.font(footer_pt * f, false);
    const double line_h = p.pt(footer_pt * f) * 1.4;
    std::vector<std::string> lines = p.wrap(fmt::format("坐标系 CRS {} {}", crs.label(), crs.name()), b.max_x - b.min_x - 2 * pad);
    if (!L.convergence.empty())
        for (auto& l : p.wrap(L.convergence, b.max_x - b.min_x - 2 * pad)) lines.push_back(l);
    double fy = b.max_y - pad - line_h * static_cast<double>(lines.size()) + line_h / 2;
    for (const auto& l : lines) {
        p.text(l, b.min_x + pad, fy, 0, Rgba{90, 90, 90, 255});
        fy += line_h;
    }
    cairo_restore(cr);
}

std::size_t draw_legend_panel(Painter& p, const MapData& data, const Box& panel, const Box& map_extent,
                              double min_font) {
    Layout L;
    L.legend = panel;
    L.convergence = convergence_text(data.loaded.crs, map_extent);
    const std::vector<LegendGroup> groups = legend_groups(data.loaded.layers);
    LegendFitter legend(p, groups, data.loaded.crs, L, panel.max_x - panel.min_x);
    const double height = panel.max_y - panel.min_y;
    legend.show(legend.fit(height, min_font), height);
    MapDrawer drawer(p, L, *data.loaded.ctx);
    draw_legend(p, drawer, L, data.loaded.crs);
    return L.rows_shown < L.rows.size() ? hidden_entries(L) : 0;
}

}  // namespace zk::render_detail
