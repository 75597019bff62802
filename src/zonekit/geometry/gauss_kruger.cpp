#include "zonekit/geometry/gauss_kruger.hpp"

#include <cmath>

namespace zk {

GaussKrugerInverse::GaussKrugerInverse(const TransverseMercatorParams& p)
    : m_lon0(p.lon0), m_fe(p.false_easting), m_fn(p.false_northing) {
    const double f = 1.0 / p.inv_f;
    const double n = f / (2.0 - f);
    const double n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;
    // Rectifying radius A = a/(1+n) · (1 + n²/4 + n⁴/64 + n⁶/256).
    const double A = p.a / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0);
    m_inv_scale = 1.0 / (p.k0 * A);
    // Karney (2011), eq. (36): β_j.
    m_beta[0] = n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0 - n4 / 360.0 - 81.0 * n5 / 512.0 + 96199.0 * n6 / 604800.0;
    m_beta[1] = n2 / 48.0 + n3 / 15.0 - 437.0 * n4 / 1440.0 + 46.0 * n5 / 105.0 - 1118711.0 * n6 / 3870720.0;
    m_beta[2] = 17.0 * n3 / 480.0 - 37.0 * n4 / 840.0 - 209.0 * n5 / 4480.0 + 5569.0 * n6 / 90720.0;
    m_beta[3] = 4397.0 * n4 / 161280.0 - 11.0 * n5 / 504.0 - 830251.0 * n6 / 7257600.0;
    m_beta[4] = 4583.0 * n5 / 161280.0 - 108847.0 * n6 / 3991680.0;
    m_beta[5] = 20648693.0 * n6 / 638668800.0;
    // Geodetic latitude from conformal latitude χ: φ = χ + Σ δ_j sin 2jχ (Karney 2011, eq. 13 in n).
    m_delta[0] = 2.0 * n - 2.0 * n2 / 3.0 - 2.0 * n3 + 116.0 * n4 / 45.0 + 26.0 * n5 / 45.0 - 2854.0 * n6 / 675.0;
    m_delta[1] = 7.0 * n2 / 3.0 - 8.0 * n3 / 5.0 - 227.0 * n4 / 45.0 + 2704.0 * n5 / 315.0 + 2323.0 * n6 / 945.0;
    m_delta[2] = 56.0 * n3 / 15.0 - 136.0 * n4 / 35.0 - 1262.0 * n5 / 105.0 + 73814.0 * n6 / 2835.0;
    m_delta[3] = 4279.0 * n4 / 630.0 - 332.0 * n5 / 35.0 - 399572.0 * n6 / 14175.0;
    m_delta[4] = 4174.0 * n5 / 315.0 - 144838.0 * n6 / 6237.0;
    m_delta[5] = 601676.0 * n6 / 22275.0;
}

void GaussKrugerInverse::inverse(std::size_t count, double* x, double* y) const {
    constexpr double deg = 180.0 / M_PI;
    for (std::size_t i = 0; i < count; ++i) {
        const double xi = (y[i] - m_fn) * m_inv_scale;
        const double eta = (x[i] - m_fe) * m_inv_scale;
        // ξ' + iη' = ζ − Σ β_j sin(2jζ), ζ = ξ + iη, by Clenshaw's recurrence in complex arithmetic:
        // sin(2ζ) = sin2ξ cosh2η + i cos2ξ sinh2η, cos(2ζ) = cos2ξ cosh2η − i sin2ξ sinh2η.
        const double s2 = std::sin(2.0 * xi), c2 = std::cos(2.0 * xi);
        const double e2 = std::exp(2.0 * eta), ie2 = 1.0 / e2;
        const double sh2 = 0.5 * (e2 - ie2), ch2 = 0.5 * (e2 + ie2);
        const double ar = 2.0 * c2 * ch2, ai = -2.0 * s2 * sh2;  // 2 cos(2ζ)
        double yr0 = 0, yi0 = 0, yr1 = 0, yi1 = 0;               // b_{k+1}, b_{k+2}
        for (int k = 5; k >= 0; --k) {
            const double yr = ar * yr0 - ai * yi0 - yr1 - m_beta[k];
            const double yi = ar * yi0 + ai * yr0 - yi1;
            yr1 = yr0;
            yi1 = yi0;
            yr0 = yr;
            yi0 = yi;
        }
        // Σ (−β_k) sin(2kζ) = b_1 · sin(2ζ)
        const double sr = s2 * ch2, si = c2 * sh2;
        const double xip = xi + (yr0 * sr - yi0 * si);
        const double etap = eta + (yr0 * si + yi0 * sr);
        const double sxip = std::sin(xip), cxip = std::cos(xip);
        const double shetap = std::sinh(etap);
        const double chi = std::atan2(sxip, std::hypot(shetap, cxip));  // conformal latitude
        const double lam = std::atan2(shetap, cxip);
        const double s2c = std::sin(2.0 * chi), c2c = std::cos(2.0 * chi);
        const double a = 2.0 * c2c;
        double b0 = 0, b1 = 0;
        for (int k = 5; k >= 0; --k) {
            const double b = a * b0 - b1 + m_delta[k];
            b1 = b0;
            b0 = b;
        }
        const double phi = chi + b0 * s2c;
        x[i] = m_lon0 + lam * deg;
        y[i] = phi * deg;
    }
}

}  // namespace zk
