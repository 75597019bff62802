#include "zonekit/geometry/area.hpp"

#include "zonekit/base/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace zk {

AreaMethod parse_area_method(std::string_view text) {
    if (text == "plan") return AreaMethod::plan;
    if (text == "ellip") return AreaMethod::ellip;
    if (text == "geod") return AreaMethod::geod;
    throw InputError(fmt::format("unknown area method '{}'. Use one of plan, ellip, geod", text));
}

double pick(const Areas& a, AreaMethod method) {
    switch (method) {
        case AreaMethod::plan: return a.plan;
        case AreaMethod::ellip: return a.ellip;
        case AreaMethod::geod: return a.geod;
    }
    return a.plan;
}

namespace {
Ellipsoid ellipsoid_of(const Crs& crs) {
    Ellipsoid e;
    e.a = crs.semi_major();
    e.inv_f = crs.inverse_flattening();
    return e;
}

Crs require_projected(const Crs& crs) {
    if (!crs.is_projected())
        throw InputError(fmt::format("the analysis CRS {} is not projected: areas need a projected CRS, e.g. a "
                                     "CGCS2000 Gauss–Kruger zone (EPSG:4534–4554)",
                                     crs.label()));
    return crs;
}
}  // namespace

AreaMeter::AreaMeter(const Crs& analysis, AreaOptions options)
    : m_crs(require_projected(analysis)),
      m_options(options),
      m_ellipsoid(ellipsoid_of(analysis)),
      m_survey(m_ellipsoid),
      m_geodesic(m_ellipsoid) {
    if (auto gk = m_crs.gauss_kruger_params()) m_gauss_kruger.emplace(*gk);
    else m_to_geographic.emplace(m_crs, m_crs.geographic());
}

double AreaMeter::planar(GeosContext& ctx, const GEOSGeometry* g) const {
    double area = 0;
    if (GEOSArea_r(ctx.handle(), g, &area) != 1) ctx.fail("cannot compute the planar area");
    return area;
}

void densify_ring(const double* x, const double* y, std::size_t n, double max_len, std::vector<double>& out_x,
                  std::vector<double>& out_y) {
    out_x.clear();
    out_y.clear();
    if (n == 0) return;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        out_x.push_back(x[i]);
        out_y.push_back(y[i]);
        if (max_len <= 0) continue;
        const double dx = x[i + 1] - x[i], dy = y[i + 1] - y[i];
        // Most edges are short: skip them on the squared length (with a margin, so exactly the edges the
        // hypot test below would skip are skipped) before paying for hypot.
        if (dx * dx + dy * dy < max_len * max_len * (1.0 - 1e-9)) continue;
        const double len = std::hypot(dx, dy);
        if (!(len > max_len)) continue;
        // (At most 10,000 pieces per edge: only an edge over 200 km long at the default 20 m — which no real
        // parcel has, and whose area changes by far less than a square metre either way — is cut into longer
        // pieces than asked for. This bounds the work for broken input such as a 20,000 km circle.)
        const auto steps = static_cast<std::size_t>(std::min(std::ceil(len / max_len), 1e4));
        for (std::size_t k = 1; k < steps; ++k) {
            const double t = static_cast<double>(k) / static_cast<double>(steps);
            out_x.push_back(x[i] + t * dx);
            out_y.push_back(y[i] + t * dy);
        }
    }
    // An unclosed sequence keeps its last point.
    if (x[n - 1] != x[0] || y[n - 1] != y[0]) {
        out_x.push_back(x[n - 1]);
        out_y.push_back(y[n - 1]);
    }
}

void AreaMeter::ring_areas(GeosContext& ctx, const GEOSGeometry* ring, double& ellip, double& geod) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &n)) ctx.fail("cannot read a ring");
    if (n < 4) {
        ellip = geod = 0;
        return;
    }
    std::vector<double>& xs = m_ring_x;
    std::vector<double>& ys = m_ring_y;
    xs.resize(n);
    ys.resize(n);
    if (!GEOSCoordSeq_copyToArrays_r(ctx.handle(), seq, xs.data(), ys.data(), nullptr, nullptr))
        ctx.fail("cannot read a ring's coordinates");
    densify_ring(xs.data(), ys.data(), n, m_options.densify_m, m_x, m_y);
    if (m_gauss_kruger) m_gauss_kruger->inverse(m_x.size(), m_x.data(), m_y.data());
    else if (!m_to_geographic->transform(m_x.size(), m_x.data(), m_y.data()))
        throw InputError(fmt::format("a vertex near ({:.3f}, {:.3f}) cannot be inverse-projected from {} to "
                                     "geodetic coordinates; is the layer's CRS right?",
                                     xs[0], ys[0], m_crs.label()));
    auto [lo, hi] = std::minmax_element(m_x.begin(), m_x.end());
    m_min_lon = std::min(m_min_lon, *lo);
    m_max_lon = std::max(m_max_lon, *hi);
    ellip = std::abs(m_survey.ring_area(m_x.data(), m_y.data(), m_x.size()));
    geod = std::abs(m_geodesic.ring_area(m_x.data(), m_y.data(), m_x.size()));
}

Areas AreaMeter::measure(GeosContext& ctx, const GEOSGeometry* g) {
    Areas total;
    const int type = GEOSGeomTypeId_r(ctx.handle(), g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int parts = GEOSGetNumGeometries_r(ctx.handle(), g);
        for (int i = 0; i < parts; ++i) total += measure(ctx, GEOSGetGeometryN_r(ctx.handle(), g, i));
        return total;
    }
    if (type != GEOS_POLYGON || GEOSisEmpty_r(ctx.handle(), g)) return total;
    total.plan = planar(ctx, g);
    double e = 0, d = 0;
    ring_areas(ctx, GEOSGetExteriorRing_r(ctx.handle(), g), e, d);
    total.ellip = e;
    total.geod = d;
    const int holes = GEOSGetNumInteriorRings_r(ctx.handle(), g);
    for (int i = 0; i < holes; ++i) {
        ring_areas(ctx, GEOSGetInteriorRingN_r(ctx.handle(), g, i), e, d);
        total.ellip -= e;
        total.geod -= d;
    }
    return total;
}

}  // namespace zk
