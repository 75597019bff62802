// Areas against independent expectations: hand calculation for planar areas, the closed-form area of an
// ellipsoidal quadrangle for the survey formula and the geodesic method.
#include "zonekit/base/error.hpp"
#include "zonekit/base/units.hpp"
#include "zonekit/geometry/area.hpp"
#include "zonekit/geometry/ellipsoid.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include <cmath>
#include <vector>

using namespace zk;

namespace {
// Closed form: area between meridians dL apart and parallels b1, b2 on an ellipsoid,
// S = b² dL [G(b2) − G(b1)], G(B) = sinB / (2(1 − e² sin²B)) + ln((1 + e sinB)/(1 − e sinB)) / (4e).
double quadrangle_area(const Ellipsoid& ell, double dL_deg, double b1_deg, double b2_deg) {
    const double e2 = ell.e2(), e = std::sqrt(e2), b = ell.b();
    auto G = [&](double B) {
        const double s = std::sin(B);
        return s / (2 * (1 - e2 * s * s)) + std::log((1 + e * s) / (1 - e * s)) / (4 * e);
    };
    const double rad = M_PI / 180.0;
    return b * b * dL_deg * rad * (G(b2_deg * rad) - G(b1_deg * rad));
}

// A lon/lat quadrangle ring, counter-clockwise, its parallels densified every `step` degrees.
void quadrangle_ring(double lon1, double lat1, double lon2, double lat2, double step, std::vector<double>& lon,
                     std::vector<double>& lat) {
    lon.clear();
    lat.clear();
    const int n = static_cast<int>(std::ceil((lon2 - lon1) / step));
    for (int i = 0; i <= n; ++i) {  // south parallel, west to east
        lon.push_back(lon1 + (lon2 - lon1) * i / n);
        lat.push_back(lat1);
    }
    for (int i = 0; i <= n; ++i) {  // north parallel, east to west
        lon.push_back(lon2 - (lon2 - lon1) * i / n);
        lat.push_back(lat2);
    }
}
}  // namespace

TEST_CASE("survey formula coefficients are the published series in e²", "[area][ellip]") {
    // 国土调查办发〔2008〕32号: A = 1 + 3/6 e² + 30/80 e⁴ + 35/112 e⁶ + 630/2304 e⁸, …
    const Ellipsoid cgcs = Ellipsoid::cgcs2000();
    const double e2 = 0.00669438002290;  // CGCS2000 first eccentricity squared (published value)
    CHECK(cgcs.e2() == Approx(e2).epsilon(1e-11));
    SurveyFormula f(cgcs);
    CHECK(f.A() == Approx(1 + 0.5 * e2 + 0.375 * e2 * e2 + 35.0 / 112 * std::pow(e2, 3) + 630.0 / 2304 * std::pow(e2, 4)).epsilon(1e-15));
    CHECK(f.E() == Approx(5.0 / 2304 * std::pow(e2, 4)).epsilon(1e-12));
}

TEST_CASE("survey trapezoid equals the closed-form ellipsoidal quadrangle", "[area][ellip]") {
    const Ellipsoid cgcs = Ellipsoid::cgcs2000();
    SurveyFormula f(cgcs);
    const double rad = M_PI / 180.0;
    for (auto [b1, b2, dl] : {std::tuple{30.5, 30.9, 0.4}, std::tuple{0.0, 1.0, 1.0}, std::tuple{20.0, 25.0, 1.0},
                              std::tuple{45.0, 45.0 + 5.0 / 60, 7.5 / 60}}) {
        const double expected = quadrangle_area(cgcs, dl, b1, b2);
        CHECK(f.trapezoid(dl * rad, b1 * rad, b2 * rad) == Approx(expected).epsilon(1e-10));
    }
    // A 1° × 1° cell at 20°N on CGCS2000 is about 1.0×10⁴ km² (111.3 km × 104.6 km).
    CHECK(quadrangle_area(cgcs, 1, 20, 21) / 1e6 == Approx(11620).epsilon(0.01));
}

TEST_CASE("survey and geodesic ring areas match the closed-form quadrangle", "[area][ellip][geod]") {
    const Ellipsoid cgcs = Ellipsoid::cgcs2000();
    std::vector<double> lon, lat;
    quadrangle_ring(103.4, 30.5, 103.8, 30.9, 0.0005, lon, lat);
    const double expected = quadrangle_area(cgcs, 0.4, 30.5, 30.9);
    SECTION("survey formula") {
        CHECK(SurveyFormula(cgcs).ring_area(lon.data(), lat.data(), lon.size()) == Approx(expected).epsilon(1e-9));
    }
    SECTION("geodesic, parallels densified") {
        CHECK(GeodesicArea(cgcs).ring_area(lon.data(), lat.data(), lon.size()) == Approx(expected).epsilon(1e-6));
    }
    SECTION("clockwise rings give the negative area") {
        std::reverse(lon.begin(), lon.end());
        std::reverse(lat.begin(), lat.end());
        CHECK(SurveyFormula(cgcs).ring_area(lon.data(), lat.data(), lon.size()) == Approx(-expected).epsilon(1e-9));
    }
}

TEST_CASE("AreaMeter measures a projected quadrangle on the ellipsoid", "[area]") {
    const Ellipsoid cgcs = Ellipsoid::cgcs2000();
    std::vector<double> lon, lat;
    quadrangle_ring(103.6, 30.6, 103.7, 30.7, 0.0002, lon, lat);
    const double expected = quadrangle_area(cgcs, 0.1, 30.6, 30.7);
    const Crs gk = Crs::from_epsg(4544);
    Transform to_gk(Crs::from_epsg(4490), gk);
    std::vector<double> x = lon, y = lat;
    REQUIRE(to_gk.transform(x.size(), x.data(), y.data()));
    std::string wkt = "POLYGON((";
    for (std::size_t i = 0; i < x.size(); ++i) wkt += fmt::format("{:.6f} {:.6f},", x[i], y[i]);
    wkt += fmt::format("{:.6f} {:.6f}))", x[0], y[0]);
    GeosContext ctx;
    GeomPtr g = from_wkt(ctx, wkt);
    AreaMeter meter(gk);
    Areas a = meter.measure(ctx, g.get());
    CHECK(a.ellip == Approx(expected).epsilon(1e-6));
    CHECK(a.geod == Approx(expected).epsilon(1e-6));
    // Gauss–Krüger scale at 1.35° from the central meridian, k ≈ 1 + (Δλ cos B)²/2 ≈ 1.000211: the planar
    // area exceeds the ellipsoidal one by about k² − 1 ≈ 4.2e-4.
    const double dl = (105.0 - 103.65) * M_PI / 180 * std::cos(30.65 * M_PI / 180);
    const double k = 1 + dl * dl / 2;
    CHECK(a.plan / a.ellip == Approx(k * k).epsilon(2e-5));
}

TEST_CASE("planar areas of squares, holes and multipolygons by hand", "[area][plan]") {
    GeosContext ctx;
    AreaMeter meter(Crs::from_epsg(4544));
    const double x0 = 400000, y0 = 3390000;
    auto sq = [&](double x, double y, double s) {
        return fmt::format("({0} {1},{2} {1},{2} {3},{0} {3},{0} {1})", x0 + x, y0 + y, x0 + x + s, y0 + y + s);
    };
    SECTION("100 m square") {
        GeomPtr g = from_wkt(ctx, "POLYGON(" + sq(0, 0, 100) + ")");
        CHECK(meter.measure(ctx, g.get()).plan == Approx(10000.0).epsilon(1e-12));
    }
    SECTION("square with a hole: 100² − 40²") {
        GeomPtr g = from_wkt(ctx, "POLYGON(" + sq(0, 0, 100) + "," + sq(30, 30, 40) + ")");
        Areas a = meter.measure(ctx, g.get());
        CHECK(a.plan == Approx(8400.0).epsilon(1e-12));
        CHECK(a.ellip == Approx(a.plan).epsilon(1e-3));  // near the CM, scale ≈ 1 − a few 1e-5
        CHECK(a.geod == Approx(a.ellip).epsilon(1e-9));
    }
    SECTION("multipolygon: two squares add") {
        GeomPtr g = from_wkt(ctx, "MULTIPOLYGON((" + sq(0, 0, 100) + "),(" + sq(500, 0, 50) + "))");
        CHECK(meter.measure(ctx, g.get()).plan == Approx(12500.0).epsilon(1e-12));
    }
    SECTION("lines and points have no area") {
        GeomPtr g = from_wkt(ctx, "LINESTRING(400000 3390000, 400100 3390100)");
        CHECK(meter.measure(ctx, g.get()).plan == 0.0);
    }
}

TEST_CASE("densify_ring splits long edges and keeps the vertices", "[area]") {
    const double x[] = {0, 100, 100, 0, 0}, y[] = {0, 0, 30, 30, 0};
    std::vector<double> ox, oy;
    densify_ring(x, y, 5, 10, ox, oy);
    CHECK(ox.size() == 10 + 3 + 10 + 3);
    densify_ring(x, y, 5, 0, ox, oy);
    CHECK(ox.size() == 4);
    // An edge of 10⁸ m at 20 m would be 5×10⁶ pieces: it is cut into at most 10⁴.
    const double fx[] = {0, 1e8, 0}, fy[] = {0, 0, 0};
    densify_ring(fx, fy, 3, 20, ox, oy);
    CHECK(ox.size() == 2 * 10000);
}

TEST_CASE("unit conversion", "[units]") {
    CHECK(from_square_metres(10000, AreaUnit::ha) == 1.0);
    CHECK(from_square_metres(10000, AreaUnit::mu) == Approx(15.0).epsilon(1e-15));  // 1 公顷 = 15 亩
    CHECK(from_square_metres(1e6, AreaUnit::km2) == 1.0);
    CHECK(from_square_metres(666.6666666666666, AreaUnit::mu) == Approx(1.0).epsilon(1e-15));
    CHECK(parse_area_unit("亩") == AreaUnit::mu);
    CHECK_THROWS_WITH(parse_area_unit("acre"), Catch::Contains("unknown area unit 'acre'"));
    CHECK_THROWS_AS(parse_area_method("cartesian"), InputError);
}
