// The map's features drawn in a frame: shapes, hatches and markers on a Cairo context, the labels where they
// do not cover one another, the scale bar and north arrow on top.
#include "zonekit/present/render_drawer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace zk::render_detail {

void marker_path(cairo_t* cr, const std::string& shape, double x, double y, double diameter) {
    const double r = diameter / 2;
    if (shape == "square") {
        cairo_rectangle(cr, x - r, y - r, diameter, diameter);
    } else if (shape == "triangle") {
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x + r * 0.866, y + r * 0.5);
        cairo_line_to(cr, x - r * 0.866, y + r * 0.5);
        cairo_close_path(cr);
    } else if (shape == "diamond") {
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x + r, y);
        cairo_line_to(cr, x, y + r);
        cairo_line_to(cr, x - r, y);
        cairo_close_path(cr);
    } else if (shape == "cross") {
        cairo_move_to(cr, x - r, y);
        cairo_line_to(cr, x + r, y);
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x, y + r);
    } else {
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * pi);
        cairo_close_path(cr);
    }
}

// Parallel lines over the device-space box, anchored at the page origin (adjacent polygons' hatches line up).
void hatch_lines(Painter& p, const Hatch& h, double x0, double y0, double x1, double y1) {
    cairo_t* cr = p.cr();
    const double a = h.angle_deg * pi / 180;
    const double dx = std::cos(a), dy = -std::sin(a);  // counter-clockwise on the map: y is down on the page
    const double nx = -dy, ny = dx;
    const double spacing = p.mm(h.spacing_mm);
    double lo = std::numeric_limits<double>::max(), hi = -lo, tlo = lo, thi = -lo;
    for (double x : {x0, x1})
        for (double y : {y0, y1}) {
            lo = std::min(lo, x * nx + y * ny);
            hi = std::max(hi, x * nx + y * ny);
            tlo = std::min(tlo, x * dx + y * dy);
            thi = std::max(thi, x * dx + y * dy);
        }
    if ((hi - lo) / spacing > 100000) return;
    for (double k = std::ceil(lo / spacing); k <= std::floor(hi / spacing); ++k) {
        const double ox = k * spacing * nx, oy = k * spacing * ny;
        cairo_move_to(cr, ox + tlo * dx, oy + tlo * dy);
        cairo_line_to(cr, ox + thi * dx, oy + thi * dy);
    }
    p.colour(h.color);
    cairo_set_line_width(cr, p.mm(h.width_mm));
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_stroke(cr);
}

void set_stroke(Painter& p, const Symbol& s, double extra_width_mm) {
    cairo_t* cr = p.cr();
    cairo_set_line_width(cr, std::max(p.mm(s.stroke_width_mm + extra_width_mm), 0.5));
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    if (s.dash_mm.empty()) {
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(cr, nullptr, 0, 0);
    } else {
        std::vector<double> dashes;
        for (double d : s.dash_mm) dashes.push_back(p.mm(d));
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        cairo_set_dash(cr, dashes.data(), static_cast<int>(dashes.size()), 0);
    }
}

namespace {

struct Label {
    std::string text;
    double x = 0, y = 0;
    const LabelStyle* style = nullptr;
};

}  // namespace

// The map in L.frame: the features that meet L.extent, clipped to the frame, with their labels, the scale bar
// and the north arrow as asked, then the frame's outline. Returns how many features were drawn.
int draw_frame(Painter& p, const Loaded& data, const Layout& L, bool labels, bool scale_bar, bool arrow) {
    cairo_t* cr = p.cr();
    GeosContext& ctx = *data.ctx;
    MapDrawer drawer(p, L, ctx);
    cairo_save(cr);
    cairo_rectangle(cr, L.frame.min_x, L.frame.min_y, L.frame.max_x - L.frame.min_x, L.frame.max_y - L.frame.min_y);
    cairo_clip(cr);
    std::vector<Label> placed_labels;
    int drawn = 0;
    for (const auto& layer : data.layers) {
        for (const auto& f : layer.features) {
            if (!meets(f.box, L.extent)) continue;
            drawer.draw_feature(layer, f);
            ++drawn;
            if (labels && layer.style->label && !f.label.empty()) {
                GeomPtr at = own(ctx, GEOSPointOnSurface_r(ctx.handle(), f.geom.get()));
                double x = 0, y = 0;
                if (at && GEOSGeomGetX_r(ctx.handle(), at.get(), &x) == 1 && GEOSGeomGetY_r(ctx.handle(), at.get(), &y) == 1)
                    placed_labels.push_back({f.label, drawer.px(x), drawer.py(y), &*layer.style->label});
            }
        }
    }
    // Labels on top, each where it does not cover one already placed.
    std::vector<Box> placed;
    for (const auto& l : placed_labels) {
        p.font(l.style->size_pt, l.style->bold);
        const double w = p.width(l.text), h = p.pt(l.style->size_pt) * 1.2;
        const Box box{l.x - w / 2, l.y - h / 2, l.x + w / 2, l.y + h / 2};
        if (box.min_x < L.frame.min_x || box.max_x > L.frame.max_x || box.min_y < L.frame.min_y ||
            box.max_y > L.frame.max_y)
            continue;
        if (std::any_of(placed.begin(), placed.end(), [&](const Box& o) { return meets(o, box); })) continue;
        placed.push_back(box);
        p.text(l.text, l.x, l.y, 0.5, l.style->color, l.style->halo, p.mm(l.style->halo_mm));
    }
    if (scale_bar && L.scale_bar_m > 0) draw_scale_bar(p, L);
    if (arrow) draw_north_arrow(p, L);
    cairo_restore(cr);

    cairo_new_path(cr);
    cairo_rectangle(cr, L.frame.min_x, L.frame.min_y, L.frame.max_x - L.frame.min_x, L.frame.max_y - L.frame.min_y);
    p.colour(Rgba{90, 90, 90, 255});
    cairo_set_line_width(cr, p.mm(0.3));
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_stroke(cr);

    return drawn;
}

}  // namespace zk::render_detail
