#include "zonekit/geometry/edges.hpp"

#include "zonekit/base/gdal_errors.hpp"

#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace zk {

namespace {

// The points strictly inside edge p→q where it crosses the lines x = k·step and y = k·step, in order from p.
// They are computed from the lexicographically smaller end, so an edge and its reverse (the neighbour's side
// of a shared edge), or a collinear edge that shares the line, get bit-identical points.
void grid_crossings(double px, double py, double qx, double qy, double step, std::vector<double>& xs,
                    std::vector<double>& ys) {
    const bool flip = qx < px || (qx == px && qy < py);
    const double ax = flip ? qx : px, ay = flip ? qy : py, bx = flip ? px : qx, by = flip ? py : qy;
    struct Cut {
        double t, x, y;
    };
    static thread_local std::vector<Cut> cuts;
    cuts.clear();
    const double dx = bx - ax, dy = by - ay;
    auto along = [&](double a, double b, bool is_x) {
        const double lo = std::min(a, b), hi = std::max(a, b);
        if (!(hi - lo > 0)) return;
        const double first = std::floor(lo / step) + 1, last = std::ceil(hi / step) - 1;
        if (!(last - first < 1e4)) return;  // absurd lengths (fuzzed data): the equal parts still bound the deviation
        for (double k = first; k <= last; ++k) {
            const double v = k * step;
            if (!(v > lo && v < hi)) continue;
            if (is_x) {
                const double t = (v - ax) / dx;
                cuts.push_back({t, v, ay + t * dy});
            } else {
                const double t = (v - ay) / dy;
                cuts.push_back({t, ax + t * dx, v});
            }
        }
    };
    along(ax, bx, true);
    along(ay, by, false);
    if (cuts.empty()) return;
    std::sort(cuts.begin(), cuts.end(), [](const Cut& a, const Cut& b) { return a.t < b.t; });
    const std::size_t begin = xs.size();
    double last_t = -1;
    for (const Cut& c : cuts) {
        if (c.t - last_t < 1e-12) continue;  // a grid node: the x and the y line cross there together
        last_t = c.t;
        xs.push_back(c.x);
        ys.push_back(c.y);
    }
    if (flip) {
        std::reverse(xs.begin() + static_cast<std::ptrdiff_t>(begin), xs.end());
        std::reverse(ys.begin() + static_cast<std::ptrdiff_t>(begin), ys.end());
    }
}

// Distance from m to the line through a and b.
double off_chord(double ax, double ay, double bx, double by, double mx, double my) {
    const double dx = bx - ax, dy = by - ay;
    const double len = std::hypot(dx, dy);
    if (len == 0) return std::hypot(mx - ax, my - ay);
    return std::abs((mx - ax) * dy - (my - ay) * dx) / len;
}

class Densifier {
public:
    Densifier(const Transform& t, const EdgeRule& rule, double step) : m_t(t), m_rule(rule), m_step(step) {}

    bool curve(OGRSimpleCurve& c) {
        const int n = c.getNumPoints();
        if (n == 0) return true;
        m_sx.clear();
        m_sy.clear();
        for (int i = 0; i < n; ++i) {
            const double px = c.getX(i), py = c.getY(i);
            m_sx.push_back(px);
            m_sy.push_back(py);
            if (i + 1 < n) grid_crossings(px, py, c.getX(i + 1), c.getY(i + 1), m_step, m_sx, m_sy);
        }
        m_tx = m_sx;
        m_ty = m_sy;
        if (!m_t.transform(m_tx.size(), m_tx.data(), m_ty.data())) return false;
        // Cut the long pieces into equal parts: at most max_piece long, and enough that each part's image
        // bends away from its chord by at most the tolerance (a piece's sagitta d falls as d/m² in m parts).
        m_ox.clear();
        m_oy.clear();
        for (std::size_t i = 0; i + 1 < m_tx.size(); ++i) {
            m_ox.push_back(m_tx[i]);
            m_oy.push_back(m_ty[i]);
            if (!split(i)) return false;
        }
        m_ox.push_back(m_tx.back());
        m_oy.push_back(m_ty.back());
        c.setPoints(static_cast<int>(m_ox.size()), m_ox.data(), m_oy.data());
        return true;
    }

private:
    // Appends the points strictly inside piece i (source m_s*, target m_t*) that cut it into equal parts.
    bool split(std::size_t i) {
        const double length = std::hypot(m_tx[i + 1] - m_tx[i], m_ty[i + 1] - m_ty[i]);
        if (!(length > m_rule.max_piece)) return true;
        // From the lexicographically smaller end, so that the piece and its reverse get the same points.
        const bool flip = m_sx[i + 1] < m_sx[i] || (m_sx[i + 1] == m_sx[i] && m_sy[i + 1] < m_sy[i]);
        const std::size_t a = flip ? i + 1 : i, b = flip ? i : i + 1;
        double mx = 0.5 * (m_sx[a] + m_sx[b]), my = 0.5 * (m_sy[a] + m_sy[b]);
        if (!m_t.transform(1, &mx, &my)) return false;
        const double sagitta = off_chord(m_tx[i], m_ty[i], m_tx[i + 1], m_ty[i + 1], mx, my);
        double parts = std::max(std::ceil(length / m_rule.max_piece), std::ceil(std::sqrt(sagitta / m_rule.tolerance)));
        parts = std::min(parts, static_cast<double>(m_rule.max_parts));
        const std::size_t n = static_cast<std::size_t>(parts);
        m_px.clear();
        m_py.clear();
        for (std::size_t k = 1; k < n; ++k) {
            const double t = static_cast<double>(k) / static_cast<double>(n);
            m_px.push_back(m_sx[a] + t * (m_sx[b] - m_sx[a]));
            m_py.push_back(m_sy[a] + t * (m_sy[b] - m_sy[a]));
        }
        if (!m_t.transform(m_px.size(), m_px.data(), m_py.data())) return false;
        if (flip) {
            std::reverse(m_px.begin(), m_px.end());
            std::reverse(m_py.begin(), m_py.end());
        }
        m_ox.insert(m_ox.end(), m_px.begin(), m_px.end());
        m_oy.insert(m_oy.end(), m_py.begin(), m_py.end());
        return true;
    }

    const Transform& m_t;
    const EdgeRule& m_rule;
    double m_step;
    std::vector<double> m_sx, m_sy, m_tx, m_ty, m_ox, m_oy, m_px, m_py;
};

bool visit(OGRGeometry& g, Densifier& d) {
    const OGRwkbGeometryType type = wkbFlatten(g.getGeometryType());
    if (type == wkbPoint || type == wkbMultiPoint) return true;  // points are transformed by the caller
    if (OGR_GT_IsSubClassOf(type, wkbCurvePolygon)) {
        auto& poly = *g.toCurvePolygon();
        for (int i = 0; i < poly.getNumInteriorRings() + 1; ++i) {
            OGRCurve* ring = i == 0 ? poly.getExteriorRingCurve() : poly.getInteriorRingCurve(i - 1);
            if (ring && !visit(*ring, d)) return false;
        }
        return true;
    }
    if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
        auto& coll = *g.toGeometryCollection();
        for (int i = 0; i < coll.getNumGeometries(); ++i)
            if (!visit(*coll.getGeometryRef(i), d)) return false;
        return true;
    }
    if (type == wkbLineString || type == wkbLinearRing) return d.curve(*g.toSimpleCurve());
    return true;
}

// True when the geometry holds a point (or multipoint) anywhere: those are transformed by OGR afterwards.
bool has_points(const OGRGeometry& g) {
    const OGRwkbGeometryType type = wkbFlatten(g.getGeometryType());
    if (type == wkbPoint || type == wkbMultiPoint) return true;
    if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
        const auto& coll = *g.toGeometryCollection();
        for (int i = 0; i < coll.getNumGeometries(); ++i)
            if (has_points(*coll.getGeometryRef(i))) return true;
    }
    return false;
}

// Transforms only the points (and multipoints) of a collection, leaving already transformed curves alone.
bool transform_points(OGRGeometry& g, const Transform& t) {
    const OGRwkbGeometryType type = wkbFlatten(g.getGeometryType());
    if (type == wkbPoint || type == wkbMultiPoint) return g.transform(t.get()) == OGRERR_NONE;
    if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
        auto& coll = *g.toGeometryCollection();
        for (int i = 0; i < coll.getNumGeometries(); ++i)
            if (!transform_points(*coll.getGeometryRef(i), t)) return false;
    }
    return true;
}

}  // namespace

double edge_grid_step(const Crs& source) {
    if (source.is_geographic()) return 0.002;
    const double to_metre = source.srs().GetLinearUnits();
    return to_metre > 0 ? 200.0 / to_metre : 200.0;
}

bool transform_keeping_edges(OGRGeometry& g, const Transform& t, const EdgeRule& rule, std::string& error) {
    GdalErrorCapture capture;
    const OGRwkbGeometryType type = wkbFlatten(g.getGeometryType());
    if (type == wkbPoint || type == wkbMultiPoint || OGR_GT_IsNonLinear(g.getGeometryType())) {
        if (g.transform(t.get()) == OGRERR_NONE) return true;
        error = capture.last_error();
        return false;
    }
    Densifier d(t, rule, rule.grid_step > 0 ? rule.grid_step : 0.002);
    const bool points = has_points(g);
    if (!visit(g, d) || (points && !transform_points(g, t))) {
        error = capture.last_error();
        if (error.empty()) error = "a point lies outside the area where the transformation is defined";
        return false;
    }
    g.assignSpatialReference(t.get()->GetTargetCS());
    return true;
}

}  // namespace zk
