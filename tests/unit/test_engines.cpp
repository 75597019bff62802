// The machinery every engine shares, each against a hand count or a hand calculation: the worker pool (every
// item once, jobs in the order posted, the first failure rethrown), the robust cut (areas of overlapping
// squares; line parts left out and counted) and the layer index (candidates by envelope, empty geometries
// never candidates).
#include "zonekit/base/error.hpp"
#include "zonekit/geometry/geom_ops.hpp"
#include "zonekit/geometry/spatial_index.hpp"
#include "zonekit/geometry/worker_pool.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <vector>

using namespace zk;

namespace {
double area_of(GeosContext& ctx, const GEOSGeometry* g) {
    double a = 0;
    GEOSArea_r(ctx.handle(), g, &a);
    return a;
}
}  // namespace

TEST_CASE("worker pool: for_each runs every item once, on its worker's context") {
    for (unsigned threads : {1u, 2u, 4u}) {
        WorkerPool pool(threads);
        REQUIRE(pool.size() == threads);
        std::vector<std::atomic<int>> seen(1000);
        std::mutex m;
        std::set<std::size_t> workers;
        pool.for_each(seen.size(), [&](GeosContext& ctx, std::size_t i) {
            ++seen[i];
            const std::size_t w = pool.worker_index(ctx);
            CHECK(&pool.context(w) == &ctx);
            std::lock_guard lock(m);
            workers.insert(w);
        });
        for (const auto& s : seen) CHECK(s == 1);
        CHECK(workers.size() <= threads);
    }
}

TEST_CASE("worker pool: for_each rethrows the first failure after every worker stopped") {
    WorkerPool pool(3);
    std::atomic<int> ran{0};
    CHECK_THROWS_WITH(pool.for_each(500,
                                    [&](GeosContext&, std::size_t i) {
                                        ++ran;
                                        if (i == 17) throw InputError("item 17 failed");
                                    }),
                      Catch::Contains("item 17 failed"));
    CHECK(ran < 500);
    // The pool is still usable.
    std::atomic<int> again{0};
    pool.for_each(40, [&](GeosContext&, std::size_t) { ++again; });
    CHECK(again == 40);
}

TEST_CASE("worker pool: posted jobs run in order on one thread, and all of them on several") {
    for (unsigned threads : {1u, 3u}) {
        WorkerPool pool(threads);
        std::mutex m;
        std::vector<int> ran;
        std::vector<std::promise<void>> done(50);
        for (int j = 0; j < 50; ++j)
            pool.post([&, j](std::size_t worker) {
                // Each job uses its worker's context, as the overlay's jobs do.
                GEOSGeometry* p = GEOSGeom_createPointFromXY_r(pool.context(worker).handle(), j, j);
                GEOSGeom_destroy_r(pool.context(worker).handle(), p);
                {
                    std::lock_guard lock(m);
                    ran.push_back(j);
                }
                done[static_cast<std::size_t>(j)].set_value();
            });
        for (auto& d : done) d.get_future().get();
        REQUIRE(ran.size() == 50);
        if (threads == 1)
            for (std::size_t k = 0; k < ran.size(); ++k) CHECK(ran[k] == static_cast<int>(k));
        CHECK(std::set<int>(ran.begin(), ran.end()).size() == 50);
    }
}

TEST_CASE("cut: intersection and difference of overlapping squares") {
    GeosContext ctx;
    // Two 10 × 10 squares overlapping in a 4 × 10 strip: ∩ = 40 m², − = 60 m².
    GeomPtr a = from_wkt(ctx, "POLYGON((0 0,10 0,10 10,0 10,0 0))");
    GeomPtr b = from_wkt(ctx, "POLYGON((6 0,16 0,16 10,6 10,6 0))");
    CutResult i = cut(ctx, Cut::intersection, a.get(), b.get());
    REQUIRE(i.geom);
    CHECK_FALSE(i.retried);
    CHECK(area_of(ctx, i.geom.get()) == Approx(40.0));
    GeomPtr d = polygonal_cut(ctx, Cut::difference, a.get(), b.get(), "a minus b");
    REQUIRE(d);
    CHECK(area_of(ctx, d.get()) == Approx(60.0));
    CHECK(std::string(cut_name(Cut::difference)) == "difference");
    // Squares that only share an edge: the intersection is a line, so no polygonal part.
    GeomPtr c = from_wkt(ctx, "POLYGON((10 0,20 0,20 10,10 10,10 0))");
    CHECK_FALSE(polygonal_cut(ctx, Cut::intersection, a.get(), c.get(), "a and c"));
}

TEST_CASE("polygons_of: line and point parts are left out and counted") {
    GeosContext ctx;
    std::int64_t lower = 0;
    GeomPtr mixed = from_wkt(ctx, "GEOMETRYCOLLECTION(POLYGON((0 0,1 0,1 1,0 1,0 0)),LINESTRING(2 2,3 3),"
                                  "MULTIPOINT((5 5),(6 6)))");
    GeomPtr poly = polygons_of(ctx, std::move(mixed), &lower);
    REQUIRE(poly);
    CHECK(area_of(ctx, poly.get()) == Approx(1.0));
    CHECK(lower == 3);  // one line, two points
    CHECK_FALSE(polygons_of(ctx, from_wkt(ctx, "LINESTRING(0 0,1 1)"), &lower));
}

TEST_CASE("layer index: candidates by envelope, ascending; empty geometries are never candidates") {
    GeosContext ctx;
    GeomPtr g0 = from_wkt(ctx, "POLYGON((0 0,10 0,10 10,0 10,0 0))");
    GeomPtr g2 = from_wkt(ctx, "POLYGON((20 0,30 0,30 10,20 10,20 0))");
    GeomPtr empty = from_wkt(ctx, "POLYGON EMPTY");
    GeomPtr g4 = from_wkt(ctx, "POLYGON((5 5,25 5,25 8,5 8,5 5))");
    const GeomIndex index(ctx, {g0.get(), nullptr, g2.get(), empty.get(), g4.get()});
    REQUIRE(index.size() == 5);
    CHECK(index.box(2).min_x == 20);
    std::vector<std::size_t> hits;
    index.query(Box{9, 9, 21, 9.5}, hits);
    CHECK(hits == std::vector<std::size_t>{0, 2});
    index.query(ctx, from_wkt(ctx, "POINT(22 6)").get(), hits);
    CHECK(hits == std::vector<std::size_t>{2, 4});
    index.query(ctx, empty.get(), hits);
    CHECK(hits.empty());

    PreparedCopies prepared(index.size());
    const PreparedGeom& p = prepared.get(ctx, 4, g4.get());
    CHECK(&prepared.get(ctx, 4, g4.get()) == &p);  // made once
    GeomPtr inside = from_wkt(ctx, "POINT(6 6)");
    CHECK(GEOSPreparedContains_r(ctx.handle(), p.prepared(), inside.get()) == 1);
}
