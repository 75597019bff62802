// The inverse Gauss–Krüger (ellipsoidal transverse Mercator) projection in closed form: Krüger's series to
// sixth order in the third flattening n, as in C. F. F. Karney, "Transverse Mercator with an accuracy of a
// few nanometers", J. Geodesy 85 (2011) — the same series PROJ evaluates for +proj=tmerc (Poder/Engsager),
// without PROJ's per-call pipeline. Accurate to a few nanometres within 3900 km of the central meridian,
// far beyond any Gauss–Krüger zone. Used by AreaMeter when the analysis CRS is a transverse Mercator with
// latitude of origin 0 in metres on Greenwich; other CRSs go through PROJ.
#pragma once

#include <cstddef>

namespace zk {

struct TransverseMercatorParams {
    double a = 6378137.0;         // semi-major axis, metres
    double inv_f = 298.257222101; // inverse flattening (> 0)
    double lon0 = 0;              // central meridian, degrees
    double k0 = 1;                // scale factor on the central meridian
    double false_easting = 0;     // metres
    double false_northing = 0;    // metres
};

class GaussKrugerInverse {
public:
    explicit GaussKrugerInverse(const TransverseMercatorParams& p);
    // Easting/northing (metres) to longitude/latitude (degrees), in place.
    void inverse(std::size_t n, double* x, double* y) const;
    void inverse(double& x, double& y) const { inverse(1, &x, &y); }

private:
    double m_lon0 = 0, m_fe = 0, m_fn = 0;
    double m_inv_scale = 1;  // 1 / (k0 · A), A the rectifying radius
    double m_beta[6] = {};   // ξ,η → ξ',η' (ellipsoidal → spherical transverse Mercator)
    double m_delta[6] = {};  // conformal → geodetic latitude
};

}  // namespace zk
