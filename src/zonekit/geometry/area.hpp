// The three areas of a polygonal geometry in the analysis CRS:
//   plan  — planar area in the projected analysis CRS;
//   ellip — the national land survey's ellipsoidal trapezoid formula (国土调查办发〔2008〕32号);
//   geod  — Karney's geodesic area (PROJ geodesic.h) on the datum's ellipsoid.
// For ellip and geod, each edge is first densified in the projected plane (a polygon drawn in a projected
// CRS has edges that are straight there), then every vertex is inverse-projected to geodetic B, L.
#pragma once

#include "zonekit/geometry/crs.hpp"
#include "zonekit/geometry/ellipsoid.hpp"
#include "zonekit/geometry/gauss_kruger.hpp"
#include "zonekit/geometry/geos_context.hpp"

#include <optional>
#include <vector>

namespace zk {

struct Areas {
    double plan = 0, ellip = 0, geod = 0;  // m²
    Areas& operator+=(const Areas& o) {
        plan += o.plan;
        ellip += o.ellip;
        geod += o.geod;
        return *this;
    }
};

enum class AreaMethod { plan, ellip, geod };
AreaMethod parse_area_method(std::string_view text);
double pick(const Areas& a, AreaMethod method);

struct AreaOptions {
    // Longest edge, in metres of the analysis CRS, before ellip/geod measure it; 0 measures the bare
    // vertices (to reproduce tables made that way).
    double densify_m = 20.0;
};

// Measures geometries in one analysis CRS. Holds a coordinate transformation, so make one per thread
// (copying is cheap and safe). A transverse Mercator CRS (every Gauss–Krüger zone) is inverted in closed
// form (GaussKrugerInverse, Krüger's series, nanometre-accurate); any other projected CRS through PROJ.
class AreaMeter {
public:
    AreaMeter(const Crs& analysis, AreaOptions options = {});
    AreaMeter(const AreaMeter&) = default;

    // The three areas of the polygonal parts of `g` (holes subtracted, parts added). Non-polygonal parts
    // have no area. Throws InputError if a vertex cannot be inverse-projected.
    Areas measure(GeosContext& ctx, const GEOSGeometry* g);
    double planar(GeosContext& ctx, const GEOSGeometry* g) const;

    const Ellipsoid& ellipsoid() const { return m_ellipsoid; }
    const AreaOptions& options() const { return m_options; }
    // Longitude range (degrees) of every vertex measured so far; for the zone-edge check.
    double min_lon() const { return m_min_lon; }
    double max_lon() const { return m_max_lon; }
    void reset_lon_range() {
        m_min_lon = 1e300;
        m_max_lon = -1e300;
    }

private:
    void ring_areas(GeosContext& ctx, const GEOSGeometry* ring, double& ellip, double& geod);

    Crs m_crs;
    AreaOptions m_options;
    Ellipsoid m_ellipsoid;
    std::optional<GaussKrugerInverse> m_gauss_kruger;  // closed form, when the CRS is a Gauss–Krüger one
    std::optional<Transform> m_to_geographic;          // PROJ, otherwise
    SurveyFormula m_survey;
    GeodesicArea m_geodesic;
    std::vector<double> m_ring_x, m_ring_y;  // a ring as stored
    std::vector<double> m_x, m_y;            // densified, then geodetic
    double m_min_lon = 1e300, m_max_lon = -1e300;
};

// Densifies the ring (x, y with the first point repeated at the end, n points) so no segment is longer
// than `max_len`, into out_x/out_y (without the closing point).
void densify_ring(const double* x, const double* y, std::size_t n, double max_len, std::vector<double>& out_x,
                  std::vector<double>& out_y);

}  // namespace zk
