// The features of a map and the legend's symbols drawn on a Cairo context (render_draw.cpp, render_legend.cpp,
// render.cpp): map coordinates to device units, GEOS geometries to Cairo paths. Not installed.
#pragma once

#include "zonekit/present/render_parts.hpp"

#include <algorithm>
#include <cmath>

namespace zk::render_detail {

class MapDrawer {
public:
    MapDrawer(Painter& p, const Layout& layout, GeosContext& ctx) : m_p(p), m_cr(p.cr()), m_l(layout), m_ctx(ctx) {}

    double px(double x) const { return m_l.frame.min_x + (x - m_l.extent.min_x) * m_l.scale; }
    double py(double y) const { return m_l.frame.min_y + (m_l.extent.max_y - y) * m_l.scale; }

    // Appends the linear parts (rings, lines) of `g` to the current path; `polygonal` selects which.
    void trace(const GEOSGeometry* g, bool polygonal) {
        GEOSContextHandle_t h = m_ctx.handle();
        switch (GEOSGeomTypeId_r(h, g)) {
        case GEOS_POLYGON:
            if (!polygonal) return;
            trace_ring(GEOSGetExteriorRing_r(h, g), true);
            for (int i = 0, n = GEOSGetNumInteriorRings_r(h, g); i < n; ++i)
                trace_ring(GEOSGetInteriorRingN_r(h, g, i), true);
            return;
        case GEOS_LINESTRING:
        case GEOS_LINEARRING:
            if (!polygonal) trace_ring(g, false);
            return;
        case GEOS_MULTIPOLYGON:
        case GEOS_MULTILINESTRING:
        case GEOS_GEOMETRYCOLLECTION:
            for (int i = 0, n = GEOSGetNumGeometries_r(h, g); i < n; ++i) trace(GEOSGetGeometryN_r(h, g, i), polygonal);
            return;
        default: return;
        }
    }

    template <class Fn>
    void each_point(const GEOSGeometry* g, Fn&& fn) {
        GEOSContextHandle_t h = m_ctx.handle();
        const int type = GEOSGeomTypeId_r(h, g);
        if (type == GEOS_POINT) {
            double x = 0, y = 0;
            if (GEOSGeomGetX_r(h, g, &x) == 1 && GEOSGeomGetY_r(h, g, &y) == 1) fn(px(x), py(y));
        } else if (type == GEOS_MULTIPOINT || type == GEOS_GEOMETRYCOLLECTION) {
            for (int i = 0, n = GEOSGetNumGeometries_r(h, g); i < n; ++i) each_point(GEOSGetGeometryN_r(h, g, i), fn);
        }
    }

    void draw_feature(const DrawLayer& layer, const DrawFeature& f) {
        const Symbol& s = *f.symbol;
        const bool findings = layer.findings();
        KindCounts k;
        count_kinds(m_ctx, f.geom.get(), k);
        const double x0 = px(f.box.min_x), x1 = px(f.box.max_x), y0 = py(f.box.max_y), y1 = py(f.box.min_y);

        if (k.polygons > 0) {
            if (findings && s.stroke) {  // a light halo under the outline lifts the finding off the map
                cairo_new_path(m_cr);
                trace(f.geom.get(), true);
                m_p.colour(Rgba{255, 255, 255, 210});
                set_stroke(m_p, s, 1.0);
                cairo_set_dash(m_cr, nullptr, 0, 0);
                cairo_stroke(m_cr);
            }
            cairo_new_path(m_cr);
            cairo_set_fill_rule(m_cr, CAIRO_FILL_RULE_EVEN_ODD);
            paint_area(s, [&] { trace(f.geom.get(), true); }, std::max(x0, m_l.frame.min_x),
                       std::max(y0, m_l.frame.min_y), std::min(x1, m_l.frame.max_x), std::min(y1, m_l.frame.max_y));
        }
        if (k.lines > 0) {
            const Rgba colour = s.stroke ? *s.stroke : s.fill ? *s.fill : Rgba{100, 100, 100, 255};
            if (findings) {
                cairo_new_path(m_cr);
                trace(f.geom.get(), false);
                m_p.colour(Rgba{255, 255, 255, 210});
                set_stroke(m_p, s, 1.0);
                cairo_stroke(m_cr);
            }
            cairo_new_path(m_cr);
            trace(f.geom.get(), false);
            m_p.colour(colour);
            set_stroke(m_p, s);
            cairo_stroke(m_cr);
        }
        if (k.points > 0) {
            const Marker marker = s.marker ? *s.marker : Marker{"circle", findings ? 3.0 : 2.2};
            each_point(f.geom.get(), [&](double x, double y) { draw_marker(s, marker, x, y); });
        }
        // A finding too small to see at this scale gets a ring around it.
        if (findings && std::max(x1 - x0, y1 - y0) < m_p.mm(2.5) && (k.polygons > 0 || k.lines > 0)) {
            const Rgba colour = s.stroke ? *s.stroke : s.fill ? *s.fill : Rgba{255, 0, 255, 255};
            const double cx = 0.5 * (x0 + x1), cy = 0.5 * (y0 + y1);
            cairo_new_path(m_cr);
            cairo_arc(m_cr, cx, cy, m_p.mm(2.5), 0, 2 * pi);
            cairo_set_dash(m_cr, nullptr, 0, 0);
            m_p.colour(Rgba{255, 255, 255, 210});
            cairo_set_line_width(m_cr, m_p.mm(1.1));
            cairo_stroke_preserve(m_cr);
            m_p.colour(colour);
            cairo_set_line_width(m_cr, m_p.mm(0.5));
            cairo_stroke(m_cr);
        }
    }

    void draw_marker(const Symbol& s, const Marker& marker, double x, double y) {
        const double d = m_p.mm(marker.size_mm);
        cairo_new_path(m_cr);
        marker_path(m_cr, marker.shape, x, y, d);
        const bool line_only = marker.shape == "cross";
        if (s.fill && !line_only) {
            m_p.colour(*s.fill);
            cairo_fill_preserve(m_cr);
        }
        if (s.stroke || line_only) {
            m_p.colour(s.stroke ? *s.stroke : s.fill ? *s.fill : Rgba{});
            cairo_set_dash(m_cr, nullptr, 0, 0);
            cairo_set_line_width(m_cr, std::max(m_p.mm(line_only ? 0.5 : s.stroke_width_mm), 0.5));
            cairo_stroke(m_cr);
        }
        cairo_new_path(m_cr);
    }

    // A symbol in the legend, in a box at (x, y) of w × h.
    void swatch(const Symbol& s, GeometryKind kind, double x, double y, double w, double h) {
        cairo_new_path(m_cr);
        if (kind == GeometryKind::point) {
            const Marker marker = s.marker ? *s.marker : Marker{"circle", 2.4};
            draw_marker(s, marker, x + w / 2, y + h / 2);
            return;
        }
        if (kind == GeometryKind::line || (!s.fill && !s.hatch)) {  // an outline only (a boundary): a line
            cairo_move_to(m_cr, x, y + h / 2);
            cairo_line_to(m_cr, x + w, y + h / 2);
            m_p.colour(s.stroke ? *s.stroke : s.fill ? *s.fill : Rgba{});
            set_stroke(m_p, s);
            cairo_stroke(m_cr);
            return;
        }
        paint_area(s, [&] { cairo_rectangle(m_cr, x, y, w, h); }, x, y, x + w, y + h);
    }

private:
    // Fills, hatches and outlines the area that `path` appends to the current path (appended again after the
    // hatch's clip), the hatch over the device box (x0, y0)–(x1, y1); leaves no path.
    template <class Path>
    void paint_area(const Symbol& s, const Path& path, double x0, double y0, double x1, double y1) {
        path();
        if (s.fill) {
            m_p.colour(*s.fill);
            cairo_fill_preserve(m_cr);
        }
        if (s.hatch) {
            cairo_save(m_cr);
            cairo_clip(m_cr);
            hatch_lines(m_p, *s.hatch, x0, y0, x1, y1);
            cairo_restore(m_cr);
            cairo_new_path(m_cr);
            path();
        }
        if (s.stroke) {
            m_p.colour(*s.stroke);
            set_stroke(m_p, s);
            cairo_stroke(m_cr);
        }
        cairo_new_path(m_cr);
    }

    void trace_ring(const GEOSGeometry* ring, bool close) {
        GEOSContextHandle_t h = m_ctx.handle();
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
        unsigned int n = 0;
        if (!seq || GEOSCoordSeq_getSize_r(h, seq, &n) == 0 || n == 0) return;
        double lx = 0, ly = 0;
        for (unsigned int i = 0; i < n; ++i) {
            double x = 0, y = 0;
            GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
            const double X = px(x), Y = py(y);
            if (i == 0) {
                cairo_move_to(m_cr, X, Y);
            } else if (i + 1 == n || std::abs(X - lx) + std::abs(Y - ly) > 0.3) {
                cairo_line_to(m_cr, X, Y);
            } else {
                continue;
            }
            lx = X;
            ly = Y;
        }
        if (close) cairo_close_path(m_cr);
    }

    Painter& m_p;
    cairo_t* m_cr;
    const Layout& m_l;
    GeosContext& m_ctx;
};

}  // namespace zk::render_detail
