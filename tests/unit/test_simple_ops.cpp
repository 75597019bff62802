// dissolve, buffer, points per zone and line length per zone against hand calculations.
#include "zonekit/base/error.hpp"
#include "zonekit/geometry/crs.hpp"
#include "zonekit/ops/buffer.hpp"
#include "zonekit/ops/dissolve.hpp"
#include "zonekit/ops/zone_stats.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace zk;

namespace {
double planar_area(GeosContext& ctx, const GEOSGeometry* g) {
    double a = 0;
    REQUIRE(GEOSArea_r(ctx.handle(), g, &a) == 1);
    return a;
}

double planar_length(GeosContext& ctx, const GEOSGeometry* g) {
    double l = 0;
    REQUIRE(GEOSLength_r(ctx.handle(), g, &l) == 1);
    return l;
}

// Two 100 m squares side by side in EPSG:4544 (A west, B east; they share the edge x = 380100), and a
// third zone C far away. Built in the order given.
ZoneSet make_zones(GeosContext& ctx, bool b_first = false) {
    ZoneSet zones;
    const char* a = "POLYGON((380000 3390000,380100 3390000,380100 3390100,380000 3390100,380000 3390000))";
    const char* b = "POLYGON((380100 3390000,380200 3390000,380200 3390100,380100 3390100,380100 3390000))";
    if (b_first) zones.add(ctx, "B", from_wkt(ctx, b));
    zones.add(ctx, "A", from_wkt(ctx, a));
    if (!b_first) zones.add(ctx, "B", from_wkt(ctx, b));
    zones.add(ctx, "C", from_wkt(ctx, "POLYGON((390000 3390000,390100 3390000,390100 3390100,390000 3390000))"));
    zones.build();
    return zones;
}

std::string located(GeosContext& ctx, const ZoneSet& zones, const char* wkt) {
    auto p = from_wkt(ctx, wkt);
    auto z = zones.locate_point(ctx, p.get());
    return z ? zones.key(*z) : std::string(outside_zone_key);
}
}  // namespace

TEST_CASE("dissolve: two adjacent squares become one polygon with the summed area", "[dissolve]") {
    GeosContext ctx;
    for (bool coverage : {false, true}) {
        std::vector<GeomPtr> parts;
        parts.push_back(from_wkt(ctx, "POLYGON((0 0,10 0,10 10,0 10,0 0))"));
        parts.push_back(from_wkt(ctx, "MULTIPOLYGON(((10 0,20 0,20 10,10 10,10 0)))"));
        GeomPtr u = union_polygons(ctx, std::move(parts), coverage);
        CHECK(planar_area(ctx, u.get()) == Approx(200.0).epsilon(1e-12));
        CHECK(GEOSGetNumGeometries_r(ctx.handle(), u.get()) == 1);  // one polygon, the shared edge gone
        CHECK(planar_length(ctx, u.get()) == Approx(60.0).epsilon(1e-12));  // perimeter of the 20 × 10 rectangle
    }
}

TEST_CASE("dissolve: overlapping squares count their overlap once — disjoint ones stay two parts", "[dissolve]") {
    GeosContext ctx;
    std::vector<GeomPtr> parts;
    parts.push_back(from_wkt(ctx, "POLYGON((0 0,10 0,10 10,0 10,0 0))"));
    parts.push_back(from_wkt(ctx, "POLYGON((5 0,15 0,15 10,5 10,5 0))"));
    parts.push_back(from_wkt(ctx, "POLYGON((30 0,31 0,31 1,30 1,30 0))"));
    parts.push_back(nullptr);  // a feature without geometry adds nothing
    GeomPtr u = union_polygons(ctx, std::move(parts));
    CHECK(planar_area(ctx, u.get()) == Approx(150.0 + 1.0).epsilon(1e-12));
    CHECK(GEOSGetNumGeometries_r(ctx.handle(), u.get()) == 2);
}

TEST_CASE("buffer: a 1000 m line by 100 m is a stadium of 2·100·1000 + π·100² (inscribed arcs)", "[buffer]") {
    GeosContext ctx;
    auto line = from_wkt(ctx, "LINESTRING(380000 3390000,381000 3390000)");
    const double r = 100, len = 1000;
    for (int n : {8, 32}) {
        BufferOptions options;
        options.segments = n;
        GeomPtr b = buffer_geometry(ctx, line.get(), r, options);
        // The two round caps together form a regular 4n-gon inscribed in the circle of radius r:
        // area 4n · ½ r² sin(2π / 4n).
        const double polygon_caps = 2.0 * n * r * r * std::sin(M_PI / (2.0 * n));
        CHECK(planar_area(ctx, b.get()) == Approx(2 * r * len + polygon_caps).epsilon(1e-9));
        // …which misses the true disc by less than the chord error: π r² − caps < π r² (π/(2n))² / 6 · 2.
        const double ideal = 2 * r * len + M_PI * r * r;
        const double bound = M_PI * r * r * std::pow(M_PI / (2.0 * n), 2) / 3.0;
        CHECK(ideal - planar_area(ctx, b.get()) > 0);
        CHECK(ideal - planar_area(ctx, b.get()) < bound);
    }
    BufferOptions flat;
    flat.cap = CapStyle::flat;
    CHECK(planar_area(ctx, buffer_geometry(ctx, line.get(), r, flat).get()) == Approx(2 * r * len).epsilon(1e-12));
}

TEST_CASE("buffer: a negative distance shrinks a square and makes a line vanish", "[buffer]") {
    GeosContext ctx;
    auto square = from_wkt(ctx, "POLYGON((0 0,100 0,100 100,0 100,0 0))");
    CHECK(planar_area(ctx, buffer_geometry(ctx, square.get(), -10, {}).get()) == Approx(80.0 * 80).epsilon(1e-12));
    auto line = from_wkt(ctx, "LINESTRING(0 0,100 0)");
    CHECK(GEOSisEmpty_r(ctx.handle(), buffer_geometry(ctx, line.get(), -10, {}).get()) == 1);
    CHECK_THROWS_AS(parse_cap_style("butt"), InputError);
    BufferOptions none;
    none.segments = 0;
    CHECK_THROWS_WITH(buffer_geometry(ctx, line.get(), 10, none), Catch::Contains("--segments"));
}

TEST_CASE("count: inside, outside, on a shared edge (first zone wins) and at a corner", "[count]") {
    GeosContext ctx;
    ZoneSet zones = make_zones(ctx);
    CHECK(zones.sorted_keys() == std::vector<std::string>{"A", "B", "C"});
    CHECK(located(ctx, zones, "POINT(380050 3390050)") == "A");
    CHECK(located(ctx, zones, "POINT(380150 3390050)") == "B");
    CHECK(located(ctx, zones, "POINT(380100 3390050)") == "A");  // shared edge: A comes first
    CHECK(located(ctx, zones, "POINT(380100 3390100)") == "A");  // shared corner
    CHECK(located(ctx, zones, "POINT(380200 3390050)") == "B");  // B's outer edge is B's
    CHECK(located(ctx, zones, "POINT(380300 3390050)") == "(none)");
    CHECK(located(ctx, zones, "POINT(390010 3390090)") == "(none)");  // in C's envelope, not in the triangle C
    ZoneSet reversed = make_zones(ctx, true);
    CHECK(located(ctx, reversed, "POINT(380100 3390050)") == "B");  // now B comes first

    std::vector<std::int64_t> counts(zones.size(), 0);
    std::int64_t outside = 0;
    auto multi = from_wkt(ctx, "MULTIPOINT((380050 3390050),(380100 3390050),(380150 3390050),(0 0))");
    count_points(ctx, zones, multi.get(), counts, outside);
    CHECK(counts == std::vector<std::int64_t>{2, 1, 0});
    CHECK(outside == 1);
}

TEST_CASE("length: a line crossing two zones is split by hand — one along the shared edge is counted once",
          "[length]") {
    GeosContext ctx;
    ZoneSet zones = make_zones(ctx);
    LengthMeter meter(Crs::from_epsg(4544), 20.0);
    std::vector<Lengths> per(zones.size());
    Lengths outside;
    // From 30 m west of A to 70 m east of B at y = +50: 30 outside, 100 in A, 100 in B, 70 outside.
    auto across = from_wkt(ctx, "LINESTRING(379970 3390050,380270 3390050)");
    split_length(ctx, zones, meter, across.get(), per, outside);
    CHECK(per[0].plan == Approx(100).epsilon(1e-12));
    CHECK(per[1].plan == Approx(100).epsilon(1e-12));
    CHECK(per[2].plan == 0);
    CHECK(outside.plan == Approx(100).epsilon(1e-12));
    // Along the shared edge x = 380100, and on beyond it: 100 m in A (first), 50 m outside.
    per.assign(zones.size(), {});
    outside = {};
    auto edge = from_wkt(ctx, "LINESTRING(380100 3390000,380100 3390150)");
    split_length(ctx, zones, meter, edge.get(), per, outside);
    CHECK(per[0].plan == Approx(100).epsilon(1e-12));
    CHECK(per[1].plan == Approx(0).margin(1e-9));
    CHECK(outside.plan == Approx(50).epsilon(1e-12));
    // The pieces' geodesic lengths add up to the whole line's.
    per.assign(zones.size(), {});
    outside = {};
    split_length(ctx, zones, meter, across.get(), per, outside);
    const Lengths whole = meter.measure(ctx, across.get());
    CHECK(per[0].geod + per[1].geod + outside.geod == Approx(whole.geod).epsilon(1e-12));
}

TEST_CASE("length: geodesic length against the Gauss–Kruger scale factor", "[length]") {
    GeosContext ctx;
    LengthMeter meter(Crs::from_epsg(4544), 20.0);
    // On the central meridian (x = 500000) the projection keeps meridian distances: 10 km stays 10 km.
    auto meridian = from_wkt(ctx, "LINESTRING(500000 3400000,500000 3410000)");
    const Lengths m = meter.measure(ctx, meridian.get());
    CHECK(m.plan == 10000.0);
    CHECK(m.geod == Approx(10000.0).margin(1e-4));
    // 100 km west of it, an east–west line is stretched by k ≈ 1 + x²/(2R²) with R² = M·N (the Gaussian
    // radius of curvature at about 30.7°N on CGCS2000).
    auto parallel = from_wkt(ctx, "LINESTRING(399500 3400000,400500 3400000)");
    const Lengths p = meter.measure(ctx, parallel.get());
    const double a = 6378137.0, f = 1 / 298.257222101, e2 = f * (2 - f), phi = 30.72 * M_PI / 180;
    const double w = 1 - e2 * std::sin(phi) * std::sin(phi);
    const double R2 = a * a * (1 - e2) / (w * w);  // M·N = a²(1−e²)/W⁴
    const double k = 1 + 100000.0 * 100000.0 / (2 * R2);
    CHECK(p.plan == Approx(1000.0).epsilon(1e-15));
    CHECK(p.geod == Approx(1000.0 / k).epsilon(2e-7));
    CHECK_THROWS_WITH(LengthMeter(Crs::from_epsg(4490)), Catch::Contains("not projected"));
}
