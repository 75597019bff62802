#include "zonekit/ops/overlay.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/geometry/geom_ops.hpp"
#include "zonekit/geometry/worker_pool.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cstdlib>
#include <deque>
#include <future>
#include <limits>

namespace zk {

namespace {

constexpr std::size_t no_zone = std::numeric_limits<std::size_t>::max();

// Pieces A∩B are needed by these operations.
bool needs_pairs(OverlayOp op) {
    return op == OverlayOp::intersection || op == OverlayOp::union_ || op == OverlayOp::identity ||
           op == OverlayOp::clip;
}
// A's part outside every zone is needed by these.
bool needs_a_rest(OverlayOp op) {
    return op == OverlayOp::union_ || op == OverlayOp::identity || op == OverlayOp::difference ||
           op == OverlayOp::symdifference || op == OverlayOp::erase;
}
// B's parts not covered by A are needed by these.
bool needs_b_rest(OverlayOp op) { return op == OverlayOp::union_ || op == OverlayOp::symdifference; }

// Counts of one task, merged into OverlayStats by the calling thread.
struct Counts {
    std::int64_t overlays = 0, whole = 0, lower_dim = 0, touching = 0, retries = 0;
    std::vector<OverlayProblem> problems;
    void add_to(OverlayStats& s) const {
        s.overlays += overlays;
        s.taken_whole += whole;
        s.lower_dim_dropped += lower_dim;
        s.touching_only += touching;
        s.precision_retries += retries;
        s.problems.insert(s.problems.end(), problems.begin(), problems.end());
    }
};

// Per worker: an area meter, and its own prepared copy of each zone it has met. The GEOS context is the pool's.
struct Worker {
    AreaMeter meter;
    PreparedCopies prepared;
    std::vector<std::size_t> candidates;

    Worker(const Crs& crs, const AreaOptions& area, std::size_t zones) : meter(crs, area), prepared(zones) {}

    const PreparedGeom& zone(GeosContext& ctx, const ZoneLayer& zones, std::size_t i) {
        return prepared.get(ctx, i, zones.zones()[i].geom.get());
    }

    Areas measure(GeosContext& ctx, const GEOSGeometry* g, bool planar_only) {
        if (!planar_only) return meter.measure(ctx, g);
        Areas a;
        a.plan = meter.planar(ctx, g);
        return a;
    }
};

// A test hook, like ZONEKIT_FAULT_WRITE (output_files.hpp): ZONEKIT_FAULT_CUT=FID makes every cut of A's
// feature FID fail as a cut that fails also on the grid and after MakeValid does, so that the tests can follow
// an incomplete output (exit status 3) end to end; GEOS gives no input that fails every attempt on demand.
std::int64_t cut_fault() {
    static const std::int64_t fid = [] {
        const char* text = std::getenv("ZONEKIT_FAULT_CUT");
        return text ? std::strtoll(text, nullptr, 10) : std::int64_t{-1};
    }();
    return fid;
}

// x ∩ y or x − y (geom_ops' cut), counted; null and a listed problem when every attempt fails.
GeomPtr overlay_pair(GeosContext& ctx, Cut how, const GEOSGeometry* x, const GEOSGeometry* y, double grid,
                     Counts& counts, std::int64_t a_fid, std::int64_t b_fid) {
    ++counts.overlays;
    CutResult r = a_fid >= 0 && a_fid == cut_fault()
                      ? CutResult{nullptr, false, "fault injected by ZONEKIT_FAULT_CUT"}
                      : cut(ctx, how, x, y, grid);
    if (r.retried) ++counts.retries;
    if (!r.geom)
        counts.problems.push_back({a_fid, b_fid, fmt::format("{} failed, also on a {} m grid and after MakeValid: {}",
                                                             cut_name(how), grid, r.error)});
    return std::move(r.geom);
}

// The union of the parts `parts` (released into a collection), counted; null when it fails also on the grid.
GeomPtr overlay_union(GeosContext& ctx, std::vector<GEOSGeometry*> parts, double grid, Counts& counts) {
    GeomPtr all = own(ctx, GEOSGeom_createCollection_r(ctx.handle(), GEOS_GEOMETRYCOLLECTION, parts.data(),
                                                       static_cast<unsigned>(parts.size())));
    ++counts.overlays;
    bool retried = false;
    GeomPtr u = unary_union(ctx, all.get(), grid, &retried);
    if (retried) ++counts.retries;
    return u;
}

struct OutPiece {
    std::size_t zone = no_zone;  // no_zone: A's part outside B (or clip's whole result)
    GeomPtr geom;                // null when whole
    bool whole = false;
    Areas areas;
    OGRGeometryUniquePtr ogr;    // with OverlayOptions::ogr_geometry
};

// A geometry as an OGR MultiPolygon (polygonal input).
OGRGeometryUniquePtr to_ogr_multipolygon(GeosContext& ctx, const GEOSGeometry* g) {
    OGRGeometry* o = OGRGeometryFactory::createFromGEOS(ctx.handle(), const_cast<GEOSGeometry*>(g));
    if (!o) ctx.fail("cannot convert a piece to an OGR geometry");
    return OGRGeometryUniquePtr(OGRGeometryFactory::forceToMultiPolygon(o));
}

struct FeatureResult {
    std::vector<OutPiece> pieces;
    std::vector<std::size_t> met_zones;  // zones A meets (for B's uncovered parts)
    bool no_geometry = false;
    Counts counts;
};

void cut_feature(GeosContext& ctx, Worker& w, const ZoneLayer& zones, Feature& a, const OverlayOptions& o,
                 FeatureResult& r) {
    const auto h = ctx.handle();
    // A deferred feature's GEOS geometry is made here from its OGR geometry, which then stands for it in
    // the output of whole pieces (a feature read otherwise may have been repaired in GEOS form).
    const bool ogr_is_source = a.deferred != nullptr;
    if (a.deferred) {
        a.deferred->finish(ctx, a);
        if (a.geom && GEOSisEmpty_r(h, a.geom.get()) != 1 && !is_polygonal(ctx, a.geom.get()))
            throw InputError(fmt::format("feature {} is a {}: overlay cuts polygons (Polygon, MultiPolygon)", a.fid,
                                         geometry_type_of(ctx, a.geom.get())));
    }
    const GEOSGeometry* ga = a.geom.get();
    if (!ga || GEOSisEmpty_r(h, ga) == 1) {
        r.no_geometry = true;
        return;
    }
    const OverlayOp op = o.op;
    zones.index().query(envelope_of(ctx, ga), w.candidates);

    bool inside = false;                     // A lies wholly inside one zone
    std::vector<OutPiece> pairs;             // A ∩ zone, zone order
    std::vector<std::size_t> met;            // zones whose interior A may meet
    for (std::size_t z : w.candidates) {
        const PreparedGeom& pz = w.zone(ctx, zones, z);
        const char hit = GEOSPreparedIntersects_r(h, pz.prepared(), ga);
        if (hit == 0) continue;
        char whole = GEOSPreparedContainsProperly_r(h, pz.prepared(), ga);
        if (whole != 1) whole = GEOSPreparedCovers_r(h, pz.prepared(), ga);
        ctx.take_error();
        if (whole == 1) {
            inside = true;
            ++r.counts.whole;
            met.push_back(z);
            pairs.push_back({z, nullptr, true, {}, nullptr});
            continue;
        }
        if (!needs_pairs(op)) {
            met.push_back(z);
            continue;
        }
        GeomPtr g = overlay_pair(ctx, Cut::intersection, ga, pz.geom(), o.grid, r.counts, a.fid,
                                 zones.zones()[z].fid);
        if (!g) continue;
        GeomPtr poly = polygons_of(ctx, std::move(g), &r.counts.lower_dim);
        if (!poly) {
            ++r.counts.touching;
            continue;
        }
        met.push_back(z);
        pairs.push_back({z, std::move(poly), false, {}, nullptr});
    }

    if (op == OverlayOp::clip) {
        if (inside) {
            r.pieces.push_back({no_zone, nullptr, true, {}, nullptr});
        } else if (pairs.size() == 1) {
            r.pieces.push_back({no_zone, std::move(pairs[0].geom), false, {}, nullptr});
        } else if (pairs.size() > 1) {
            std::vector<GEOSGeometry*> parts;
            for (auto& p : pairs) parts.push_back(p.geom.release());
            GeomPtr u = overlay_union(ctx, std::move(parts), o.grid, r.counts);
            if (!u)
                r.counts.problems.push_back({a.fid, -1, "union of its parts inside the zones failed: " + ctx.take_error()});
            else if (GeomPtr poly = polygons_of(ctx, std::move(u), &r.counts.lower_dim))
                r.pieces.push_back({no_zone, std::move(poly), false, {}, nullptr});
        }
    } else if (needs_pairs(op)) {
        for (auto& p : pairs) r.pieces.push_back(std::move(p));
    }

    if (needs_a_rest(op) && !inside) {
        if (met.empty()) {
            r.pieces.push_back({no_zone, nullptr, true, {}, nullptr});
            ++r.counts.whole;
        } else {
            GeomPtr rest;
            const GEOSGeometry* current = ga;
            bool failed = false;
            for (std::size_t z : met) {
                GeomPtr next = overlay_pair(ctx, Cut::difference, current, w.zone(ctx, zones, z).geom(), o.grid, r.counts,
                                            a.fid, zones.zones()[z].fid);
                if (!next) {
                    failed = true;
                    break;
                }
                rest = std::move(next);
                current = rest.get();
                if (GEOSisEmpty_r(h, current) == 1) break;
            }
            if (!failed && rest)
                if (GeomPtr poly = polygons_of(ctx, std::move(rest), &r.counts.lower_dim))
                    r.pieces.push_back({no_zone, std::move(poly), false, {}, nullptr});
        }
    }
    if (needs_b_rest(op)) r.met_zones = std::move(met);

    bool measured = false;
    Areas whole_areas;
    std::size_t wholes = 0;
    for (auto& p : r.pieces) {
        if (p.whole) {
            if (!measured) whole_areas = w.measure(ctx, ga, o.planar_only);
            measured = true;
            p.areas = whole_areas;
            ++wholes;
        } else {
            p.areas = w.measure(ctx, p.geom.get(), o.planar_only);
            if (o.ogr_geometry && o.keep_geometry) p.ogr = to_ogr_multipolygon(ctx, p.geom.get());
            if (!o.keep_geometry) p.geom.reset();
        }
    }
    if (!o.ogr_geometry || !o.keep_geometry) return;
    // A piece that is the whole feature is written as read: its OGR geometry (taken when it is the only
    // whole piece, else copied) — no round trip through GEOS.
    OGRGeometry* source = ogr_is_source && a.ogr ? a.ogr->GetGeometryRef() : nullptr;
    for (auto& p : r.pieces) {
        if (!p.whole) continue;
        OGRGeometry* g = nullptr;
        if (!source) g = to_ogr_multipolygon(ctx, ga).release();
        else if (wholes == 1) g = a.ogr->StealGeometry();
        else g = source->clone();
        p.ogr.reset(OGRGeometryFactory::forceToMultiPolygon(g));
    }
}

struct Chunk {
    std::vector<Feature> features;
    std::vector<FeatureResult> results;
    std::promise<void> done;
    std::future<void> ready = done.get_future();
};

// B's part not yet covered by A, per zone, and the A features met since the last update.
struct ZoneRest {
    GeomPtr rest;                  // null: untouched so far (the whole zone)
    std::vector<GeomPtr> pending;  // copies of A features that meet the zone
    bool empty = false;            // fully covered
    Counts counts;
    std::promise<void> done;
    std::future<void> ready;
};

}  // namespace

ZoneLayer::ZoneLayer(GeosContext& ctx, std::vector<Zone> zones) : m_zones(std::move(zones)) {
    std::vector<const GEOSGeometry*> geoms;
    geoms.reserve(m_zones.size());
    for (auto& z : m_zones) {
        if (!z.geom || GEOSisEmpty_r(ctx.handle(), z.geom.get()) == 1)
            throw InputError(fmt::format("zone {} has no geometry", z.fid));
        if (!is_polygonal(ctx, z.geom.get()))
            throw InputError(fmt::format("zone {} is a {}: zones must be polygons", z.fid,
                                         geometry_type_of(ctx, z.geom.get())));
        geoms.push_back(z.geom.get());
    }
    m_index = GeomIndex(ctx, geoms);
    for (std::size_t i = 0; i < m_zones.size(); ++i) m_zones[i].box = m_index.box(i);
}

ZoneLayer load_zones(GeosContext& ctx, LayerReader& reader, std::vector<std::int64_t>& skipped) {
    std::vector<Zone> zones;
    Feature f;
    while (reader.next(ctx, f)) {
        if (!f.geom || GEOSisEmpty_r(ctx.handle(), f.geom.get()) == 1) {
            skipped.push_back(f.fid);
            continue;
        }
        if (!is_polygonal(ctx, f.geom.get()))
            throw InputError(fmt::format("{} is a {}: overlay zones must be polygons", reader.where(f.fid),
                                         geometry_type_of(ctx, f.geom.get())));
        if (f.ogr) f.ogr->SetGeometryDirectly(nullptr);
        zones.push_back(Zone{f.fid, std::move(f.ogr), std::move(f.geom), {}});
        f = Feature{};
    }
    return ZoneLayer(ctx, std::move(zones));
}

OverlayStats run_overlay(const FeatureSource& source, const ZoneLayer& zones, const Crs& analysis,
                         const OverlayOptions& options, const PieceSink& sink) {
    const std::size_t chunk_size = std::max<std::size_t>(1, options.chunk);
    const std::size_t flush_every = std::max<std::size_t>(1, options.flush_every);
    const OverlayOp op = options.op;
    OverlayStats stats;
    GeosContext io;  // calling the sink, on this thread
    AreaMeter io_meter(analysis, options.area);
    // Before the pool and the chunks: the features it reads are owned through its context.
    ReadAhead reader(source, chunk_size, 16);

    // The pool is declared before everything its jobs touch or make, so it is joined last: pieces made by a
    // worker's GEOS context are freed while that context lives.
    WorkerPool pool(options.threads);
    std::vector<std::unique_ptr<Worker>> workers(pool.size());  // made by each worker on its first job
    std::vector<ZoneRest> rests(needs_b_rest(op) ? zones.size() : 0);
    std::deque<std::shared_ptr<Chunk>> in_flight;
    // Jobs refer to the state above: whatever happens, wait for them before it goes.
    struct Drain {
        std::deque<std::shared_ptr<Chunk>>& chunks;
        std::vector<ZoneRest>& rests;
        ~Drain() {
            for (auto& c : chunks)
                if (c->ready.valid()) c->ready.wait();
            for (auto& r : rests)
                if (r.ready.valid()) r.ready.wait();
        }
    } drain{in_flight, rests};

    auto submit = [&](const std::shared_ptr<Chunk>& c) {
        pool.post([c, &zones, &options, &analysis, &pool, &workers](std::size_t worker) {
            try {
                auto& w = workers[worker];
                if (!w) w = std::make_unique<Worker>(analysis, options.area, zones.size());
                for (std::size_t i = 0; i < c->features.size(); ++i)
                    cut_feature(pool.context(worker), *w, zones, c->features[i], options, c->results[i]);
                c->done.set_value();
            } catch (...) {
                c->done.set_exception(std::current_exception());
            }
        });
    };

    // Subtracts the A features met since the last time from each zone's uncovered part, zones in parallel.
    auto flush = [&] {
        std::vector<std::size_t> flushing;
        for (std::size_t z = 0; z < rests.size(); ++z) {
            if (rests[z].pending.empty()) continue;
            rests[z].done = std::promise<void>();
            rests[z].ready = rests[z].done.get_future();
            flushing.push_back(z);
            ZoneRest* zr = &rests[z];
            const Zone* zone = &zones.zones()[z];
            pool.post([zr, zone, &options, &pool](std::size_t worker) {
                try {
                    GeosContext& ctx = pool.context(worker);
                    const auto h = ctx.handle();
                    std::vector<GEOSGeometry*> parts;
                    for (auto& p : zr->pending) parts.push_back(p.release());
                    zr->pending.clear();
                    GeomPtr cover = overlay_union(ctx, std::move(parts), options.grid, zr->counts);
                    if (!cover) ctx.fail(fmt::format("cannot union the features that meet zone {}", zone->fid));
                    GeomPtr next = overlay_pair(ctx, Cut::difference, zr->rest ? zr->rest.get() : zone->geom.get(),
                                                cover.get(), options.grid, zr->counts, -1, zone->fid);
                    if (next) {
                        zr->rest = std::move(next);
                        zr->empty = GEOSisEmpty_r(h, zr->rest.get()) == 1;
                    }
                    zr->done.set_value();
                } catch (...) {
                    zr->done.set_exception(std::current_exception());
                }
            });
        }
        for (std::size_t z : flushing) rests[z].ready.get();
    };

    std::int64_t emitted = 0;
    auto emit = [&](Chunk& c) {
        for (std::size_t i = 0; i < c.features.size(); ++i) {
            const Feature& a = c.features[i];
            FeatureResult& r = c.results[i];
            r.counts.add_to(stats);
            if (r.no_geometry) {
                ++stats.a_without_geometry;
                if (stats.a_without_geometry_fids.size() < 20) stats.a_without_geometry_fids.push_back(a.fid);
            }
            for (auto& p : r.pieces) {
                OverlayPiece piece;
                piece.a = &a;
                if (p.zone != no_zone) {
                    piece.b = &zones.zones()[p.zone];
                    piece.zone_index = p.zone;
                }
                piece.whole = p.whole;
                piece.geom = p.whole ? (options.keep_geometry ? a.geom.get() : nullptr) : p.geom.get();
                piece.areas = p.areas;
                if (p.ogr) piece.ogr = &p.ogr;
                sink(io, piece);
                ++stats.pieces;
                p.geom.reset();
            }
            for (std::size_t z : r.met_zones) {
                if (rests[z].empty) continue;
                GEOSGeometry* copy = GEOSGeom_clone_r(io.handle(), a.geom.get());
                if (!copy) io.fail("cannot copy a feature");
                rests[z].pending.push_back(own(io, copy));
            }
            ++emitted;
            if (!rests.empty() && emitted % static_cast<std::int64_t>(flush_every) == 0) flush();
        }
        if (options.progress && options.expected > 0)
            options.progress(std::min(1.0, static_cast<double>(emitted) / static_cast<double>(options.expected)));
    };

    // The front chunk, once cut: its pieces to the sink, then its features freed by a worker, so that this
    // thread's time goes to the sink (with a writer behind it, the busiest thread).
    auto retire = [&] {
        std::shared_ptr<Chunk> c = std::move(in_flight.front());
        in_flight.pop_front();
        c->ready.get();
        emit(*c);
        pool.post([c](std::size_t) {
            c->features.clear();
            c->results.clear();
        });
    };

    const std::size_t max_in_flight = 8 * pool.size() + 8;
    bool more = true;
    if (options.progress) options.progress(0.0);
    for (;;) {
        while (!in_flight.empty() &&
               in_flight.front()->ready.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
            retire();
        if (more && in_flight.size() < max_in_flight) {
            auto c = std::make_shared<Chunk>();
            more = reader.next(c->features);
            stats.a_features += static_cast<std::int64_t>(c->features.size());
            if (c->features.empty()) continue;
            c->results.resize(c->features.size());
            in_flight.push_back(c);
            submit(c);
            continue;
        }
        if (in_flight.empty()) break;
        retire();
    }

    if (!rests.empty()) {
        flush();
        for (std::size_t z = 0; z < rests.size(); ++z) {
            ZoneRest& zr = rests[z];
            zr.counts.add_to(stats);
            OverlayPiece piece;
            piece.b = &zones.zones()[z];
            piece.zone_index = z;
            GeomPtr poly;
            if (!zr.rest) {
                piece.whole = true;
                piece.geom = zones.zones()[z].geom.get();
                ++stats.taken_whole;
            } else {
                poly = polygons_of(io, std::move(zr.rest), &stats.lower_dim_dropped);
                if (!poly) continue;
                piece.geom = poly.get();
            }
            if (options.planar_only) piece.areas.plan = io_meter.planar(io, piece.geom);
            else piece.areas = io_meter.measure(io, piece.geom);
            if (!options.keep_geometry) piece.geom = nullptr;
            sink(io, piece);
            ++stats.pieces;
        }
    }
    if (options.progress) options.progress(1.0);
    return stats;
}

OverlayStats overlay_layer(LayerReader& a, const ZoneLayer& zones, const Crs& analysis, const OverlayOptions& options,
                           const PieceSink& sink) {
    PolygonReader polygons(a, "overlay cuts polygons", ". For lines use `zonekit length`, for points `zonekit count`");
    return run_overlay(polygons.source(), zones, analysis, options, sink);
}

}  // namespace zk
