#include "zonekit/geometry/ellipsoid.hpp"

#include <cmath>

namespace zk {

SurveyFormula::SurveyFormula(const Ellipsoid& e) {
    const double b = e.b();
    m_b2 = b * b;
    const double e2 = e.e2(), e4 = e2 * e2, e6 = e4 * e2, e8 = e6 * e2;
    m_A = 1 + 3.0 / 6 * e2 + 30.0 / 80 * e4 + 35.0 / 112 * e6 + 630.0 / 2304 * e8;
    m_B = 1.0 / 6 * e2 + 15.0 / 80 * e4 + 21.0 / 112 * e6 + 420.0 / 2304 * e8;
    m_C = 3.0 / 80 * e4 + 7.0 / 112 * e6 + 180.0 / 2304 * e8;
    m_D = 1.0 / 112 * e6 + 45.0 / 2304 * e8;
    m_E = 5.0 / 2304 * e8;
}

double SurveyFormula::trapezoid(double dL, double b1, double b2) const {
    const double dB = b2 - b1;
    const double bm = 0.5 * (b1 + b2);
    const double series = m_A * std::sin(0.5 * dB) * std::cos(bm) - m_B * std::sin(1.5 * dB) * std::cos(3 * bm) +
                          m_C * std::sin(2.5 * dB) * std::cos(5 * bm) - m_D * std::sin(3.5 * dB) * std::cos(7 * bm) +
                          m_E * std::sin(4.5 * dB) * std::cos(9 * bm);
    return 2.0 * m_b2 * dL * series;
}

double SurveyFormula::ring_area(const double* lon, const double* lat, std::size_t n) const {
    if (n < 3) return 0.0;
    constexpr double rad = M_PI / 180.0;
    const double l0 = lon[0];  // reference meridian: the first vertex keeps the terms small
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = (i + 1 == n) ? 0 : i + 1;
        const double dL = (0.5 * (lon[i] + lon[j]) - l0) * rad;
        sum += trapezoid(dL, lat[i] * rad, lat[j] * rad);
    }
    return sum;
}

GeodesicArea::GeodesicArea(const Ellipsoid& e) { geod_init(&m_geod, e.a, e.f()); }

namespace {
// Error-free addition and the double-double accumulator of PROJ's geodesic.c (sumx, accadd), so the sum
// below is the one geod_polygon_compute forms, bit for bit.
double sumx(double u, double v, double* t) {
    volatile double s = u + v;
    volatile double up = s - v;
    volatile double vpp = s - up;
    up = up - u;
    vpp = vpp - v;
    *t = s != 0 ? 0 - (up + vpp) : s;
    return s;
}
void accadd(double s[2], double y) {
    double u;
    const double z = sumx(y, s[1], &u);
    s[0] = sumx(z, s[0], &s[1]);
    if (s[0] == 0) s[0] = u;
    else s[1] = s[1] + u;
}
}  // namespace

double GeodesicArea::ring_area(const double* lon, const double* lat, std::size_t n) const {
    if (n < 3) return 0.0;
    // geod_polygon_addpoint/compute, without what a small ring in one hemisphere of longitude does not
    // need: the perimeter (a distance series per edge) and the normalisation of longitudes and counting
    // of antimeridian/Greenwich crossings (several remainder() calls per vertex), which are 0 there.
    bool east = true, west = true;
    for (std::size_t i = 0; i < n; ++i) {
        east = east && lon[i] > 0 && lon[i] < 180;
        west = west && lon[i] < 0 && lon[i] > -180;
    }
    if (east || west) {
        double sum[2] = {0, 0};
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t j = i + 1 == n ? 0 : i + 1;
            double S12 = 0;
            geod_geninverse(&m_geod, lat[i], lon[i], lat[j], lon[j], nullptr, nullptr, nullptr, nullptr, nullptr,
                            nullptr, &S12);
            accadd(sum, S12);
        }
        const double whole = 4 * M_PI * m_geod.c2;  // the ellipsoid's area
        if (std::abs(sum[0]) < whole / 4) {
            accadd(sum, 0.0);  // geod_polygon_compute's accrem(…, whole) leaves a small sum as it is
            return 0 + (-sum[0]);  // accneg: counter-clockwise positive, as geod_polygon_compute returns it
        }
    }
    geod_polygon poly;
    geod_polygon_init(&poly, 0);
    for (std::size_t i = 0; i < n; ++i) geod_polygon_addpoint(&m_geod, &poly, lat[i], lon[i]);
    double area = 0, perimeter = 0;
    geod_polygon_compute(&m_geod, &poly, 0, 1, &area, &perimeter);
    return area;
}

}  // namespace zk
