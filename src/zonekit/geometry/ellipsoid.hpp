// Area on the ellipsoid from geodetic coordinates: the national land survey's trapezoid formula and
// Karney's geodesic polygon area (PROJ's geodesic.h).
#pragma once

#include <geodesic.h>

#include <cstddef>

namespace zk {

struct Ellipsoid {
    double a = 6378137.0;             // semi-major axis, metres
    double inv_f = 298.257222101;     // inverse flattening (0 for a sphere)
    static Ellipsoid cgcs2000() { return {6378137.0, 298.257222101}; }
    double f() const { return inv_f == 0 ? 0.0 : 1.0 / inv_f; }
    double b() const { return a * (1.0 - f()); }
    double e2() const { return f() * (2.0 - f()); }  // first eccentricity squared, (a²−b²)/a²
};

// 国土调查办发〔2008〕32号, 《图幅理论面积与图斑椭球面积计算公式及要求》, formula (2): the area of an
// ellipsoidal trapezoid between two meridians ΔL apart and two parallels B1, B2, as a series in e² to e⁸.
// A polygon's area is the signed sum, over its edges, of the trapezoids between each edge and a reference
// meridian, each edge taken at its mean longitude.
class SurveyFormula {
public:
    explicit SurveyFormula(const Ellipsoid& e);
    // Trapezoid area (m², signed like dL·(B2−B1)); dL, b1, b2 in radians.
    double trapezoid(double dL, double b1, double b2) const;
    // Signed area of a ring (positive counter-clockwise in lon/lat); lon, lat in degrees, the ring may or
    // may not repeat its first point at the end.
    double ring_area(const double* lon, const double* lat, std::size_t n) const;

    double A() const { return m_A; }
    double B() const { return m_B; }
    double C() const { return m_C; }
    double D() const { return m_D; }
    double E() const { return m_E; }

private:
    double m_b2 = 0;  // b²
    double m_A = 0, m_B = 0, m_C = 0, m_D = 0, m_E = 0;
};

// Karney's geodesic area of a ring (positive counter-clockwise); lon, lat in degrees.
class GeodesicArea {
public:
    explicit GeodesicArea(const Ellipsoid& e);
    double ring_area(const double* lon, const double* lat, std::size_t n) const;

private:
    geod_geodesic m_geod{};
};

}  // namespace zk
