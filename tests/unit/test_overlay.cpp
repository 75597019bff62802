// The overlay engine against hand calculations: squares, holes, multipolygons, a zone with a hole holding
// another zone, touching and nearly coincident edges; pieces that add up to their features; the same output
// whatever the thread count.
#include "zonekit/base/error.hpp"
#include "zonekit/ops/overlay.hpp"

#include "support/wkt.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <random>

using namespace zk;

namespace {
const double X0 = 400000, Y0 = 3390000;  // near the central meridian of EPSG:4544

// A rectangle ring, and polygon, in local metres.
const zk::test::Wkt at{X0, Y0};
std::string rect(double x1, double y1, double x2, double y2) { return at.ring(x1, y1, x2, y2); }
std::string poly(double x1, double y1, double x2, double y2) { return at.rect(x1, y1, x2, y2); }

struct Got {
    std::int64_t a = -1, b = -1;
    bool whole = false;
    Areas areas;
    std::string wkt;
};

struct Run {
    std::vector<Got> pieces;
    OverlayStats stats;
    double a_area(std::int64_t fid) const {
        double s = 0;
        for (const auto& p : pieces)
            if (p.a == fid) s += p.areas.plan;
        return s;
    }
    double b_area(std::int64_t fid) const {
        double s = 0;
        for (const auto& p : pieces)
            if (p.b == fid) s += p.areas.plan;
        return s;
    }
    double total() const {
        double s = 0;
        for (const auto& p : pieces) s += p.areas.plan;
        return s;
    }
    std::size_t count(std::int64_t a, std::int64_t b) const {
        std::size_t n = 0;
        for (const auto& p : pieces)
            if (p.a == a && p.b == b) ++n;
        return n;
    }
};

Run overlay(OverlayOp op, const std::vector<std::string>& a_wkt, const std::vector<std::string>& b_wkt,
            unsigned threads = 2, std::size_t chunk = 64, std::size_t flush_every = 2048) {
    GeosContext ctx;
    std::vector<Zone> zones;
    for (std::size_t i = 0; i < b_wkt.size(); ++i) zones.push_back(Zone{static_cast<std::int64_t>(i + 1), nullptr, from_wkt(ctx, b_wkt[i]), {}});
    ZoneLayer layer(ctx, std::move(zones));
    std::size_t next = 0;
    FeatureSource source = [&](GeosContext& c, Feature& f) {
        if (next >= a_wkt.size()) return false;
        f.fid = static_cast<std::int64_t>(next + 1);
        f.ogr = nullptr;
        f.geom = a_wkt[next].empty() ? nullptr : from_wkt(c, a_wkt[next]);
        ++next;
        return true;
    };
    OverlayOptions options;
    options.op = op;
    options.threads = threads;
    options.chunk = chunk;
    options.flush_every = flush_every;
    Run run;
    run.stats = run_overlay(source, layer, Crs::from_epsg(4544), options, [&](GeosContext& c, const OverlayPiece& p) {
        Got g;
        g.a = p.a ? p.a->fid : -1;
        g.b = p.b ? p.b->fid : -1;
        g.whole = p.whole;
        g.areas = p.areas;
        REQUIRE(p.geom != nullptr);
        CHECK(is_polygonal(c, p.geom));
        g.wkt = to_wkt(c, p.geom, 6);
        run.pieces.push_back(g);
    });
    return run;
}
}  // namespace

TEST_CASE("overlay: operations parse and name themselves", "[overlay]") {
    for (const char* name : {"intersection", "union", "identity", "difference", "symdifference", "clip", "erase"})
        CHECK(std::string(overlay_op_name(parse_overlay_op(name))) == name);
    CHECK_THROWS_WITH(parse_overlay_op("merge"), Catch::Contains("unknown overlay operation 'merge'"));
}

TEST_CASE("overlay: a square cut by two zones: 100 × 100 into two halves of 5000 m²", "[overlay]") {
    const std::vector<std::string> a = {poly(0, 0, 100, 100)};
    const std::vector<std::string> b = {poly(-50, -50, 50, 150), poly(50, -50, 150, 150)};
    Run r = overlay(OverlayOp::intersection, a, b);
    REQUIRE(r.pieces.size() == 2);
    CHECK(r.pieces[0].b == 1);  // zone order
    CHECK(r.pieces[1].b == 2);
    CHECK(r.pieces[0].areas.plan == Approx(5000).epsilon(1e-12));
    CHECK(r.pieces[1].areas.plan == Approx(5000).epsilon(1e-12));
    CHECK(r.pieces[0].areas.ellip > 0);
    CHECK(r.pieces[0].areas.geod == Approx(r.pieces[0].areas.ellip).epsilon(1e-6));
    CHECK(r.stats.taken_whole == 0);
    CHECK(r.stats.pieces == 2);
}

TEST_CASE("overlay: a feature inside one zone is taken whole, with no overlay", "[overlay]") {
    SECTION("strictly inside") {
        Run r = overlay(OverlayOp::intersection, {poly(10, 10, 20, 20)}, {poly(0, 0, 100, 100)});
        REQUIRE(r.pieces.size() == 1);
        CHECK(r.pieces[0].whole);
        CHECK(r.pieces[0].areas.plan == Approx(100).epsilon(1e-12));
        CHECK(r.stats.overlays == 0);
        CHECK(r.stats.taken_whole == 1);
    }
    SECTION("sharing the zone's boundary (covered, not properly contained)") {
        Run r = overlay(OverlayOp::identity, {poly(0, 0, 50, 100)}, {poly(0, 0, 100, 100)});
        REQUIRE(r.pieces.size() == 1);
        CHECK(r.pieces[0].whole);
        CHECK(r.pieces[0].b == 1);
        CHECK(r.stats.overlays == 0);
    }
    SECTION("equal to the zone") {
        Run r = overlay(OverlayOp::union_, {poly(0, 0, 100, 100)}, {poly(0, 0, 100, 100)});
        // union: the pair, nothing of A outside, nothing of B uncovered
        CHECK(r.count(1, 1) == 1);
        CHECK(r.total() == Approx(10000).epsilon(1e-12));
    }
}

TEST_CASE("overlay: touching edges give no piece, and are counted", "[overlay]") {
    // A (0..100) and the zone (100..200) share the edge x = 100.
    Run r = overlay(OverlayOp::intersection, {poly(0, 0, 100, 100)}, {poly(100, 0, 200, 100)});
    CHECK(r.pieces.empty());
    CHECK(r.stats.touching_only == 1);
    Run id = overlay(OverlayOp::identity, {poly(0, 0, 100, 100)}, {poly(100, 0, 200, 100)});
    REQUIRE(id.pieces.size() == 1);
    CHECK(id.pieces[0].b == -1);
    CHECK(id.pieces[0].areas.plan == Approx(10000).epsilon(1e-12));
}

TEST_CASE("overlay: zones that share a boundary split a feature without gaps", "[overlay]") {
    // Three zones in a row sharing edges at x = 30 and x = 70; A = 0..100 × 0..10 and a second A touching
    // both inner edges only at their ends.
    const std::vector<std::string> b = {poly(-10, -10, 30, 20), poly(30, -10, 70, 20), poly(70, -10, 110, 20)};
    Run r = overlay(OverlayOp::identity, {poly(0, 0, 100, 10)}, b);
    REQUIRE(r.pieces.size() == 3);
    CHECK(r.pieces[0].areas.plan == Approx(300).epsilon(1e-12));
    CHECK(r.pieces[1].areas.plan == Approx(400).epsilon(1e-12));
    CHECK(r.pieces[2].areas.plan == Approx(300).epsilon(1e-12));
    CHECK(r.a_area(1) == Approx(1000).epsilon(1e-12));
}

TEST_CASE("overlay: holes: a zone with a hole, and a feature with a hole", "[overlay]") {
    SECTION("zone −50..150 with a hole 25..75 cuts A = 0..100: 10000 − 2500 inside, 2500 in the hole") {
        const std::string zone = "POLYGON(" + rect(-50, -50, 150, 150) + "," + rect(25, 25, 75, 75) + ")";
        Run r = overlay(OverlayOp::identity, {poly(0, 0, 100, 100)}, {zone});
        REQUIRE(r.pieces.size() == 2);
        CHECK(r.pieces[0].b == 1);
        CHECK(r.pieces[0].areas.plan == Approx(7500).epsilon(1e-12));
        CHECK(r.pieces[1].b == -1);
        CHECK(r.pieces[1].areas.plan == Approx(2500).epsilon(1e-12));
    }
    SECTION("A 0..100 with a hole 40..60 over zones split at x = 50: 5000 − 200 each") {
        const std::string a = "POLYGON(" + rect(0, 0, 100, 100) + "," + rect(40, 40, 60, 60) + ")";
        Run r = overlay(OverlayOp::intersection, {a}, {poly(-10, -10, 50, 110), poly(50, -10, 110, 110)});
        REQUIRE(r.pieces.size() == 2);
        CHECK(r.pieces[0].areas.plan == Approx(4800).epsilon(1e-12));
        CHECK(r.pieces[1].areas.plan == Approx(4800).epsilon(1e-12));
    }
}

TEST_CASE("overlay: a multipolygon feature with parts in two zones", "[overlay]") {
    const std::string a = "MULTIPOLYGON((" + rect(0, 0, 10, 10) + "),(" + rect(100, 0, 120, 10) + "))";
    Run r = overlay(OverlayOp::intersection, {a}, {poly(-5, -5, 50, 50), poly(50, -5, 150, 50)});
    REQUIRE(r.pieces.size() == 2);
    CHECK(r.pieces[0].areas.plan == Approx(100).epsilon(1e-12));
    CHECK(r.pieces[1].areas.plan == Approx(200).epsilon(1e-12));
    // A multipolygon zone: both parts of A fall in it, one piece.
    const std::string zone = "MULTIPOLYGON((" + rect(-5, -5, 50, 50) + "),(" + rect(90, -5, 150, 50) + "))";
    Run m = overlay(OverlayOp::intersection, {a}, {zone});
    REQUIRE(m.pieces.size() == 1);
    CHECK(m.pieces[0].areas.plan == Approx(300).epsilon(1e-12));
}

TEST_CASE("overlay: a zone with a hole that holds another zone (donut and island)", "[overlay]") {
    // Donut: 0..300 with a hole 100..200 (80000 m²); island: 100..200 (10000 m²). A = 50..250 (40000 m²).
    const std::string donut = "POLYGON(" + rect(0, 0, 300, 300) + "," + rect(100, 100, 200, 200) + ")";
    const std::vector<std::string> b = {donut, poly(100, 100, 200, 200)};
    const std::vector<std::string> a = {poly(50, 50, 250, 250)};
    SECTION("intersection: 30000 in the donut, 10000 on the island") {
        Run r = overlay(OverlayOp::intersection, a, b);
        REQUIRE(r.pieces.size() == 2);
        CHECK(r.pieces[0].b == 1);
        CHECK(r.pieces[0].areas.plan == Approx(30000).epsilon(1e-12));
        CHECK(r.pieces[1].b == 2);
        CHECK(r.pieces[1].whole == false);
        CHECK(r.pieces[1].areas.plan == Approx(10000).epsilon(1e-12));
    }
    SECTION("union: pieces add up to A + B − overlap = 40000 + 90000 − 40000") {
        Run r = overlay(OverlayOp::union_, a, b);
        CHECK(r.total() == Approx(90000).epsilon(1e-12));
        CHECK(r.a_area(1) == Approx(40000).epsilon(1e-12));   // A's pieces add up to A
        CHECK(r.b_area(1) == Approx(80000).epsilon(1e-12));   // the donut's pieces add up to the donut
        CHECK(r.b_area(2) == Approx(10000).epsilon(1e-12));   // the island's
        CHECK(r.count(-1, 1) == 1);  // the donut's part outside A: 80000 − 30000
        CHECK(r.count(-1, 2) == 0);  // the island is covered by A
        for (const auto& p : r.pieces)
            if (p.a == -1 && p.b == 1) CHECK(p.areas.plan == Approx(50000).epsilon(1e-12));
    }
    SECTION("symdifference: the donut's part outside A only (A lies inside B's union)") {
        Run r = overlay(OverlayOp::symdifference, a, b);
        REQUIRE(r.pieces.size() == 1);
        CHECK(r.pieces[0].b == 1);
        CHECK(r.pieces[0].areas.plan == Approx(50000).epsilon(1e-12));
    }
}

TEST_CASE("overlay: difference, erase, clip and symdifference by hand", "[overlay]") {
    // A1 = 0..100 (half in the zone 50..150), A2 = 200..210 (outside), A3 = 110..120 (inside).
    const std::vector<std::string> a = {poly(0, 0, 100, 100), poly(200, 0, 210, 10), poly(110, 10, 120, 20)};
    const std::vector<std::string> b = {poly(50, -50, 150, 150)};
    for (OverlayOp op : {OverlayOp::difference, OverlayOp::erase}) {
        Run r = overlay(op, a, b);
        REQUIRE(r.pieces.size() == 2);
        CHECK(r.pieces[0].a == 1);
        CHECK(r.pieces[0].b == -1);
        CHECK(r.pieces[0].areas.plan == Approx(5000).epsilon(1e-12));
        CHECK(r.pieces[1].a == 2);
        CHECK(r.pieces[1].whole);
        CHECK(r.pieces[1].areas.plan == Approx(100).epsilon(1e-12));
    }
    Run clip = overlay(OverlayOp::clip, a, b);
    REQUIRE(clip.pieces.size() == 2);
    CHECK(clip.pieces[0].a == 1);
    CHECK(clip.pieces[0].b == -1);  // clip keeps A's attributes only
    CHECK(clip.pieces[0].areas.plan == Approx(5000).epsilon(1e-12));
    CHECK(clip.pieces[1].a == 3);
    CHECK(clip.pieces[1].whole);
    Run sym = overlay(OverlayOp::symdifference, a, b);
    // A1's part outside (5000), A2 whole (100), then B's part outside A: 20000 − 5000 − 100 = 14900.
    REQUIRE(sym.pieces.size() == 3);
    CHECK(sym.pieces[2].b == 1);
    CHECK(sym.pieces[2].areas.plan == Approx(14900).epsilon(1e-12));
}

TEST_CASE("overlay: clip of a feature crossing two zones is one feature", "[overlay]") {
    Run r = overlay(OverlayOp::clip, {poly(0, 0, 100, 100)}, {poly(-10, -10, 50, 50), poly(50, -10, 110, 50)});
    REQUIRE(r.pieces.size() == 1);
    CHECK(r.pieces[0].areas.plan == Approx(5000).epsilon(1e-12));
}

TEST_CASE("overlay: nearly coincident edges: pieces still add up to the feature", "[overlay]") {
    // The zones' shared edge is at x = 50; A's edges sit 1e-7 m off the zone's outer edges.
    const double e = 1e-7;
    const std::vector<std::string> b = {poly(0, 0, 50, 100), poly(50, 0, 100, 100)};
    const std::vector<std::string> a = {poly(e, e, 100 - e, 100 - e), poly(50 - e, 0, 100 + e, 100), poly(0, 0, 50 + e, 100)};
    Run r = overlay(OverlayOp::identity, a, b);
    const double areas[] = {(100 - 2 * e) * (100 - 2 * e), (50 + 2 * e) * 100, (50 + e) * 100};
    for (std::int64_t fid = 1; fid <= 3; ++fid) CHECK(r.a_area(fid) == Approx(areas[fid - 1]).epsilon(1e-9));
    Run u = overlay(OverlayOp::union_, a, b);
    // The zones' pieces add up to the zones (5000 each), however thin the slivers.
    CHECK(u.b_area(1) >= 5000 * (1 - 1e-9));
}

TEST_CASE("overlay: the pieces of every feature add up to it, in a random tessellation", "[overlay]") {
    // 20 × 20 cells of 37 m, shifted so they cross a 3 × 3 grid of 250 m zones; plus rotated squares.
    std::vector<std::string> a;
    for (int i = 0; i < 20; ++i)
        for (int j = 0; j < 20; ++j) a.push_back(poly(5 + i * 37.0, 5 + j * 37.0, 5 + (i + 1) * 37.0, 5 + (j + 1) * 37.0));
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> pos(0, 700), size(5, 80), ang(0, 3.14159);
    for (int k = 0; k < 60; ++k) {
        const double cx = pos(rng), cy = pos(rng), s = size(rng), t = ang(rng);
        std::string w = "POLYGON((";
        for (int v = 0; v <= 4; ++v) {
            const double th = t + (v % 4) * 3.14159265358979 / 2;
            w += fmt::format("{}{} {}", v ? "," : "", X0 + cx + s * std::cos(th), Y0 + cy + s * std::sin(th));
        }
        a.push_back(w + "))");
    }
    std::vector<std::string> b;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) b.push_back(poly(i * 250.0, j * 250.0, (i + 1) * 250.0, (j + 1) * 250.0));
    GeosContext ctx;
    Run id = overlay(OverlayOp::identity, a, b);
    for (std::size_t k = 0; k < a.size(); ++k) {
        double expected = 0;
        GEOSArea_r(ctx.handle(), from_wkt(ctx, a[k]).get(), &expected);
        CHECK(id.a_area(static_cast<std::int64_t>(k + 1)) == Approx(expected).epsilon(1e-9));
    }
    // union of the 400 cells (a partition of 5..745) and the zones (0..750): B's pieces add up to each zone.
    std::vector<std::string> cells(a.begin(), a.begin() + 400);
    Run u = overlay(OverlayOp::union_, cells, b, 2, 16, 50);
    for (std::int64_t z = 1; z <= 9; ++z) CHECK(u.b_area(z) == Approx(62500).epsilon(1e-9));
    CHECK(u.total() == Approx(750.0 * 750.0).epsilon(1e-9));

    SECTION("the same output whatever the thread count and chunk size") {
        for (OverlayOp op : {OverlayOp::intersection, OverlayOp::union_, OverlayOp::symdifference, OverlayOp::clip}) {
            Run one = overlay(op, a, b, 1, 64, 100);
            for (auto [threads, chunk] : {std::pair{2u, 64u}, std::pair{4u, 7u}, std::pair{3u, 1000u}}) {
                Run many = overlay(op, a, b, threads, chunk, 100);
                REQUIRE(many.pieces.size() == one.pieces.size());
                for (std::size_t i = 0; i < one.pieces.size(); ++i) {
                    CHECK(many.pieces[i].a == one.pieces[i].a);
                    CHECK(many.pieces[i].b == one.pieces[i].b);
                    CHECK(many.pieces[i].wkt == one.pieces[i].wkt);
                    CHECK(many.pieces[i].areas.geod == one.pieces[i].areas.geod);
                }
            }
        }
    }
}

TEST_CASE("overlay: line and point parts of a cut are dropped and counted", "[overlay]") {
    // The zone overlaps A in 0..50 and touches A's top edge along 60..80 with a second part.
    const std::string zone = "MULTIPOLYGON((" + rect(-10, -10, 50, 110) + "),(" + rect(60, 100, 80, 120) + "))";
    Run r = overlay(OverlayOp::intersection, {poly(0, 0, 100, 100)}, {zone});
    REQUIRE(r.pieces.size() == 1);
    CHECK(r.pieces[0].areas.plan == Approx(5000).epsilon(1e-12));
    CHECK(r.pieces[0].wkt.find("LINESTRING") == std::string::npos);
    CHECK(r.stats.lower_dim_dropped == 1);  // the segment 60..80 along y = 100
    CHECK(r.stats.touching_only == 0);
}

TEST_CASE("overlay: features without geometry are counted, not lost silently", "[overlay]") {
    Run r = overlay(OverlayOp::identity, {"", poly(0, 0, 10, 10)}, {poly(0, 0, 100, 100)});
    CHECK(r.stats.a_features == 2);
    CHECK(r.stats.a_without_geometry == 1);
    REQUIRE(r.stats.a_without_geometry_fids.size() == 1);
    CHECK(r.stats.a_without_geometry_fids[0] == 1);
    CHECK(r.pieces.size() == 1);
}

TEST_CASE("overlay: an invalid (bow-tie) feature is retried on the precision grid, not lost", "[overlay]") {
    // Two triangles of 2500 m² meeting at (50, 50); OverlayNG refuses the self-intersecting ring, the retry
    // (on the grid, after MakeValid) cuts it.
    const std::string bowtie = fmt::format("POLYGON(({0} {1},{2} {3},{2} {1},{0} {3},{0} {1}))", X0, Y0, X0 + 100, Y0 + 100);
    Run r = overlay(OverlayOp::intersection, {bowtie}, {poly(-10, -10, 50, 110), poly(50, -10, 110, 110)});
    CHECK(r.stats.precision_retries >= 1);
    CHECK(r.stats.problems.empty());
    REQUIRE(r.pieces.size() == 2);
    CHECK(r.total() == Approx(5000).epsilon(1e-9));
}

TEST_CASE("overlay: zones must be polygons", "[overlay]") {
    GeosContext ctx;
    std::vector<Zone> zones;
    zones.push_back(Zone{7, nullptr, from_wkt(ctx, "LINESTRING(0 0, 1 1)"), {}});
    CHECK_THROWS_WITH(ZoneLayer(ctx, std::move(zones)), Catch::Contains("zone 7 is a LineString"));
}

TEST_CASE("overlay: keep-fields text: a:f1,f2,b:g1", "[overlay]") {
    KeepFields k = parse_keep_fields("a:dlbm,dlmc,b:name");
    CHECK_FALSE(k.a_all);
    CHECK_FALSE(k.b_all);
    CHECK(k.a == std::vector<std::string>{"dlbm", "dlmc"});
    CHECK(k.b == std::vector<std::string>{"name"});
    KeepFields only_b = parse_keep_fields("b:name");
    CHECK(only_b.a_all);
    CHECK(only_b.b == std::vector<std::string>{"name"});
    KeepFields none = parse_keep_fields("a:");
    CHECK_FALSE(none.a_all);
    CHECK(none.a.empty());
    CHECK_THROWS_WITH(parse_keep_fields("dlbm"), Catch::Contains("name the side first"));
}

TEST_CASE("overlay: output fields: clashes take a prefix and are said", "[overlay]") {
    OGRFeatureDefn* a = new OGRFeatureDefn("parcels");
    a->Reference();
    OGRFieldDefn name("name", OFTString), dlbm("dlbm", OFTString), plan("plan_m2", OFTReal);
    a->AddFieldDefn(&name);
    a->AddFieldDefn(&dlbm);
    a->AddFieldDefn(&plan);
    OGRFeatureDefn* b = new OGRFeatureDefn("districts");
    b->Reference();
    OGRFieldDefn bname("NAME", OFTString), code("code", OFTString);
    b->AddFieldDefn(&bname);
    b->AddFieldDefn(&code);
    {
        OverlaySchema s(OverlayOp::intersection, a, b, {}, "parcels", "districts");
        std::vector<std::string> names;
        for (int i = 0; i < s.defn()->GetFieldCount(); ++i) names.push_back(s.defn()->GetFieldDefn(i)->GetNameRef());
        CHECK(names == std::vector<std::string>{"a_name", "dlbm", "a_plan_m2", "b_NAME", "code", "a_fid", "b_fid"});
        CHECK(s.renames().size() == 3);
        CHECK_THAT(s.renames()[0], Catch::Contains("'name'") && Catch::Contains("'a_name'"));

        OGRFeatureDefn* defn = const_cast<OGRFeatureDefn*>(s.defn());
        Feature fa;
        fa.fid = 12;
        fa.ogr.reset(new OGRFeature(a));
        fa.ogr->SetField(0, "x");
        fa.ogr->SetField(1, "0101");
        Zone zb;
        zb.fid = 3;
        zb.ogr.reset(new OGRFeature(b));
        zb.ogr->SetField(0, "天府粮仓核心示范区");
        OverlayPiece piece;
        piece.a = &fa;
        OGRFeatureUniquePtr only_a = s.make(piece);
        CHECK(only_a->GetFieldAsInteger64(defn->GetFieldIndex("a_fid")) == 12);
        CHECK_FALSE(only_a->IsFieldSetAndNotNull(defn->GetFieldIndex("b_fid")));
        CHECK_FALSE(only_a->IsFieldSetAndNotNull(defn->GetFieldIndex("b_NAME")));
        piece.b = &zb;
        OGRFeatureUniquePtr both = s.make(piece);
        CHECK(std::string(both->GetFieldAsString(defn->GetFieldIndex("b_NAME"))) == "天府粮仓核心示范区");
        CHECK(std::string(both->GetFieldAsString(defn->GetFieldIndex("dlbm"))) == "0101");
        CHECK(both->GetFieldAsInteger64(defn->GetFieldIndex("b_fid")) == 3);
    }
    {
        KeepFields keep = parse_keep_fields("a:dlbm,b:code");
        OverlaySchema s(OverlayOp::union_, a, b, keep, "parcels", "districts");
        CHECK(s.defn()->GetFieldCount() == 4);  // dlbm, code, a_fid, b_fid
        CHECK(s.renames().empty());
        OverlaySchema clip(OverlayOp::clip, a, b, keep, "parcels", "districts");
        CHECK(clip.defn()->GetFieldCount() == 2);  // dlbm, a_fid: clip keeps A's attributes only
        CHECK_THROWS_WITH(OverlaySchema(OverlayOp::union_, a, b, parse_keep_fields("a:dlmc"), "parcels", "districts"),
                          Catch::Contains("field 'dlmc' not found in layer 'parcels'"));
    }
    a->Release();
    b->Release();
}

TEST_CASE("overlay: progress in GDAL's style", "[overlay]") {
    CHECK(progress_text(-1, 0) == "0");
    CHECK(progress_text(0, 0.1) == "...10");
    CHECK(progress_text(-1, 1) == "0...10...20...30...40...50...60...70...80...90...100 - done.\n");
    CHECK(progress_text(0.5, 0.5) == "");
}
