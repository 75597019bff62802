// The closed-form inverse Gauss–Krüger projection against PROJ, on CGCS2000 zones and other ellipsoids,
// across and beyond a zone's width; and the CRSs it must (not) be used for.
#include "zonekit/geometry/area.hpp"
#include "zonekit/geometry/crs.hpp"
#include "zonekit/geometry/ellipsoid.hpp"
#include "zonekit/geometry/gauss_kruger.hpp"

#include <geodesic.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace zk;

namespace {
// Largest difference, in degrees, between GaussKrugerInverse and PROJ (through zk::Transform) over a grid
// of geographic points within `half_width` degrees of the central meridian, latitudes 0…60°.
double worst_difference(const Crs& crs, double half_width) {
    const auto params = crs.gauss_kruger_params();
    REQUIRE(params.has_value());
    const GaussKrugerInverse gk(*params);
    Transform to_projected(crs.geographic(), crs);
    Transform to_geographic(crs, crs.geographic());
    std::vector<double> lon, lat;
    for (double dlat = 0; dlat <= 60.0; dlat += 1.25)
        for (double dlon = -half_width; dlon <= half_width + 1e-12; dlon += half_width / 8) {
            lon.push_back(params->lon0 + dlon);
            lat.push_back(dlat);
        }
    std::vector<double> x = lon, y = lat;
    REQUIRE(to_projected.transform(x.size(), x.data(), y.data()));
    // Nudge off the exact images, so both inverses see arbitrary coordinates.
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] += 0.123456789;
        y[i] -= 0.987654321;
    }
    std::vector<double> px = x, py = y, gx = x, gy = y;
    REQUIRE(to_geographic.transform(px.size(), px.data(), py.data()));
    gk.inverse(gx.size(), gx.data(), gy.data());
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) worst = std::max({worst, std::abs(gx[i] - px[i]), std::abs(gy[i] - py[i])});
    return worst;
}
}  // namespace

TEST_CASE("Gauss–Krüger inverse agrees with PROJ to 1e-9 degrees", "[area][gauss-kruger]") {
    SECTION("CGCS2000 3-degree zone CM 105°E (EPSG:4544), 3° either side") {
        CHECK(worst_difference(Crs::from_epsg(4544), 3.0) < 1e-9);
    }
    SECTION("CGCS2000 3-degree zone with zone prefix (EPSG:4523, false easting 35 500 000)") {
        CHECK(worst_difference(Crs::from_epsg(4523), 3.0) < 1e-9);
    }
    SECTION("CGCS2000 6-degree zone (EPSG:4502)") { CHECK(worst_difference(Crs::from_epsg(4502), 4.5) < 1e-9); }
    SECTION("UTM on WGS 84 (EPSG:32648: k0 0.9996, false northing 0)") {
        CHECK(worst_difference(Crs::from_epsg(32648), 4.5) < 1e-9);
    }
    SECTION("UTM south (EPSG:32748: false northing 10 000 000)") {
        CHECK(worst_difference(Crs::from_epsg(32748), 4.5) < 1e-9);
    }
    SECTION("Xian 1980 / Beijing 1954 ellipsoids (EPSG:2383, EPSG:2435)") {
        CHECK(worst_difference(Crs::from_epsg(2383), 3.0) < 1e-9);
        CHECK(worst_difference(Crs::from_epsg(2435), 3.0) < 1e-9);
    }
    SECTION("a user-defined TM with a scale factor and offsets") {
        CHECK(worst_difference(Crs::from_user_text("+proj=tmerc +lon_0=101.5 +k=0.9999 +x_0=400000 +y_0=-100000 "
                                                   "+ellps=GRS80 +units=m +no_defs"),
                               3.0) < 1e-9);
    }
}

TEST_CASE("the closed form is used only for the transverse Mercator CRSs it covers", "[area][gauss-kruger]") {
    CHECK(Crs::from_epsg(4544).gauss_kruger_params().has_value());
    CHECK_FALSE(Crs::from_epsg(4490).gauss_kruger_params().has_value());   // geographic
    CHECK_FALSE(Crs::from_epsg(3857).gauss_kruger_params().has_value());   // Mercator
    CHECK_FALSE(Crs::from_epsg(27700).gauss_kruger_params().has_value());  // TM with latitude of origin 49°N
    CHECK_FALSE(Crs::from_user_text("+proj=tmerc +lon_0=105 +ellps=GRS80 +units=ft +no_defs")
                    .gauss_kruger_params()
                    .has_value());  // not metres
}

TEST_CASE("AreaMeter gives the same areas in closed form as through PROJ", "[area][gauss-kruger]") {
    // EPSG:4544 takes the closed form; the same CRS as a PROJ string with latitude of origin 1e-7° (not 0, so
    // it goes through PROJ; the polygons lie 1 cm further north): the areas agree far inside 1e-9.
    const Crs closed = Crs::from_epsg(4544);
    const Crs proj = Crs::from_user_text("+proj=tmerc +lat_0=0.0000001 +lon_0=105 +k=1 +x_0=500000 +y_0=0 "
                                         "+ellps=GRS80 +units=m +no_defs");
    REQUIRE(closed.gauss_kruger_params().has_value());
    REQUIRE_FALSE(proj.gauss_kruger_params().has_value());
    GeosContext ctx;
    AreaMeter a(closed), b(proj);
    for (double x0 : {250000.0, 400000.0, 500000.0, 760000.0}) {
        const std::string wkt = fmt::format(
            "POLYGON(({0} 3390000,{1} 3390000,{1} 3402000,{2} 3405000,{0} 3390000),({3} 3391000,{3} 3392000,{4} "
            "3392000,{3} 3391000))",
            x0, x0 + 10000, x0 + 500, x0 + 2000, x0 + 2500);
        GeomPtr g = from_wkt(ctx, wkt);
        const Areas ra = a.measure(ctx, g.get()), rb = b.measure(ctx, g.get());
        CHECK(ra.plan == rb.plan);
        CHECK(ra.ellip == Approx(rb.ellip).epsilon(1e-11));
        CHECK(ra.geod == Approx(rb.geod).epsilon(1e-11));
    }
}

TEST_CASE("GeodesicArea equals PROJ's geod_polygon bit for bit", "[area][geodesic]") {
    const Ellipsoid cgcs = Ellipsoid::cgcs2000();
    const GeodesicArea area(cgcs);
    geod_geodesic g{};
    geod_init(&g, cgcs.a, cgcs.f());
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0, 1);
    auto reference = [&](const std::vector<double>& lon, const std::vector<double>& lat) {
        geod_polygon p;
        geod_polygon_init(&p, 0);
        for (std::size_t i = 0; i < lon.size(); ++i) geod_polygon_addpoint(&g, &p, lat[i], lon[i]);
        double a = 0, perimeter = 0;
        geod_polygon_compute(&g, &p, 0, 1, &a, &perimeter);
        return a;
    };
    for (int k = 0; k < 2000; ++k) {
        // Small rings (parcels, metres to kilometres) and large ones, both orientations, east and west,
        // and rings across Greenwich and the antimeridian (which take PROJ's own path).
        const double size = std::pow(10.0, -5 + 6 * u(rng));
        const double lon0 = k % 4 == 0 ? 100 + 10 * u(rng) : k % 4 == 1 ? -120 + 10 * u(rng) : k % 4 == 2 ? 0 : 180;
        const double lat0 = -60 + 120 * u(rng);
        const int n = 3 + static_cast<int>(20 * u(rng));
        std::vector<double> lon, lat;
        for (int i = 0; i < n; ++i) {
            const double t = (k % 2 ? 1 : -1) * 2 * M_PI * i / n;
            const double r = size * (0.5 + u(rng));
            double x = lon0 + r * std::cos(t);
            if (x > 180) x -= 360;
            lon.push_back(x);
            lat.push_back(lat0 + r * std::sin(t));
        }
        const double expected = reference(lon, lat);
        INFO("ring " << k << " of " << n << " points, size " << size << " degrees");
        CHECK(area.ring_area(lon.data(), lat.data(), lon.size()) == expected);
    }
}
