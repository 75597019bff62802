// The rules' engine (check.hpp): each rule over the layers held in memory, on the worker pool.
#include "zonekit/checks/check.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/geometry/geom_ops.hpp"
#include "zonekit/geometry/worker_pool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

namespace zk {
// ---- The engine -------------------------------------------------------------------------------------------

namespace {

void require_polygonal(GeosContext& ctx, const CheckLayer& layer, const char* rule, const char* role) {
    for (const auto& f : layer.features())
        if (!f.polygonal)
            throw InputError(fmt::format("rule {}: {} layer '{}' must be polygons, but {} feature {} is a {}", rule,
                                         role, layer.name(), layer.source, f.fid, geometry_type_of(ctx, f.geom.get())));
}


Finding make_finding(const RuleSpec& rule, const CheckLayer& a, const CheckFeature* fa, const CheckLayer* b,
                     const CheckFeature* fb) {
    Finding f;
    f.rule = rule_kind_name(rule.kind);
    f.layer_a = a.name();
    if (fa) {
        f.fid_a = fa->fid;
        f.key_a = fa->key;
    }
    if (b) f.layer_b = b->name();
    if (fb) {
        f.fid_b = fb->fid;
        f.key_b = fb->key;
    }
    return f;
}

// Each finding's point in CGCS2000 longitude/latitude, where planners read positions.
void locate_lonlat(const Crs& analysis, std::vector<Finding>& findings) {
    if (findings.empty()) return;
    static const Crs cgcs2000 = Crs::from_epsg(4490);
    std::vector<double> xs, ys;
    for (const auto& f : findings) {
        xs.push_back(f.pt_x);
        ys.push_back(f.pt_y);
    }
    if (!analysis.same_as(cgcs2000)) {
        const Transform to_lonlat(analysis, cgcs2000);
        if (!to_lonlat.transform(xs.size(), xs.data(), ys.data())) return;
    }
    for (std::size_t i = 0; i < findings.size(); ++i) {
        findings[i].lon = xs[i];
        findings[i].lat = ys[i];
    }
}

// Intersections of features of A with features of B (or of A with itself, each pair once).
void overlap_rule(GeosContext& ctx, const RuleSpec& rule, const CheckLayer& a, const CheckLayer& b, bool self,
                  unsigned threads, std::vector<std::vector<Finding>>& out) {
    const auto& fa = a.features();
    const auto& fb = b.features();
    WorkerPool pool(threads);
    pool.for_each(fa.size(), [&](GeosContext& w, std::size_t i) {
        const auto h = w.handle();
        const CheckFeature& x = fa[i];
        std::vector<std::size_t> candidates;
        b.index().query(x.box, candidates);
        std::unique_ptr<PreparedGeom> px;
        for (std::size_t j : candidates) {
            if (self && j <= i) continue;
            const CheckFeature& y = fb[j];
            if (!px) px = std::make_unique<PreparedGeom>(w, clone(w, x.usable()));
            const char meets = GEOSPreparedIntersects_r(h, px->prepared(), y.usable());
            if (meets == 2) w.fail(fmt::format("cannot test {} feature {} against {} feature {}", a.name(), x.fid,
                                               b.name(), y.fid));
            if (meets == 0) continue;
            if (GEOSPreparedTouches_r(h, px->prepared(), y.usable()) == 1) continue;
            GeomPtr piece = polygonal_cut(w, Cut::intersection, x.usable(), y.usable(),
                                          fmt::format("{} feature {} and {} feature {}", a.name(), x.fid, b.name(), y.fid));
            if (!piece) continue;
            Finding f = make_finding(rule, a, &x, &b, &y);
            f.geom = adopt(ctx, std::move(piece));
            out[i].push_back(std::move(f));
        }
    });
}

void covers_rule(GeosContext& ctx, const RuleSpec& rule, const CheckLayer& boundary, const CheckLayer& a,
                 unsigned threads, std::vector<std::vector<Finding>>& out) {
    const auto& fb = boundary.features();
    WorkerPool pool(threads);
    pool.for_each(fb.size(), [&](GeosContext& w, std::size_t i) {
        const CheckFeature& x = fb[i];
        std::vector<std::size_t> candidates;
        a.index().query(x.box, candidates);
        std::vector<const GEOSGeometry*> parts;
        for (std::size_t j : candidates) parts.push_back(a.features()[j].usable());
        GeomPtr cover = union_of(w, parts);
        GeomPtr gaps = polygonal_cut(w, Cut::difference, x.usable(), cover.get(),
                                     fmt::format("{} feature {} minus the union of {}", boundary.name(), x.fid, a.name()));
        if (!gaps) return;
        for (GeomPtr& part : polygon_parts(w, gaps.get())) {
            Finding f = make_finding(rule, boundary, &x, &a, nullptr);
            f.detail = "gap";
            f.geom = adopt(ctx, std::move(part));
            out[i].push_back(std::move(f));
        }
    });
}

void within_rule(GeosContext& ctx, const RuleSpec& rule, const CheckLayer& a, const CheckLayer& boundary,
                 unsigned threads, std::vector<std::vector<Finding>>& out) {
    std::vector<const GEOSGeometry*> parts;
    for (const auto& f : boundary.features()) parts.push_back(f.usable());
    const GeomPtr whole = union_of(ctx, parts);
    WorkerPool pool(threads);
    std::vector<std::unique_ptr<PreparedGeom>> prepared(pool.size());
    pool.for_each(a.features().size(), [&](GeosContext& w, std::size_t i) {
        const auto h = w.handle();
        auto& p = prepared[pool.worker_index(w)];
        if (!p) p = std::make_unique<PreparedGeom>(w, clone(w, whole.get()));
        const CheckFeature& x = a.features()[i];
        const char inside = GEOSPreparedCovers_r(h, p->prepared(), x.usable());
        if (inside == 2) w.fail(fmt::format("cannot test {} feature {} against {}", a.name(), x.fid, boundary.name()));
        if (inside == 1) return;
        GeomPtr outside;
        const std::string what = fmt::format("{} feature {} minus {}", a.name(), x.fid, boundary.name());
        if (x.polygonal) {
            outside = polygonal_cut(w, Cut::difference, x.usable(), whole.get(), what);
        } else {
            GEOSGeometry* g = GEOSDifference_r(h, x.usable(), whole.get());
            if (!g) w.fail("cannot cut " + what);
            outside = own(w, g);
            if (GEOSisEmpty_r(h, outside.get()) == 1) outside.reset();
        }
        if (!outside) return;
        Finding f = make_finding(rule, a, &x, &boundary, nullptr);
        f.detail = "outside";
        if (!x.polygonal) {
            double length = 0;
            GEOSLength_r(h, outside.get(), &length);
            f.detail = length > 0 ? fmt::format("{:.2f} m outside", length) : "outside";
        }
        f.geom = adopt(ctx, std::move(outside));
        out[i].push_back(std::move(f));
    });
    // the prepared geometries go with the pool's contexts
    for (auto& p : prepared) p.reset();
}

void valid_rule(GeosContext& ctx, const RuleSpec& rule, const CheckLayer& a, std::vector<std::vector<Finding>>& out) {
    for (std::size_t i = 0; i < a.features().size(); ++i) {
        const CheckFeature& x = a.features()[i];
        if (x.validity.valid) continue;
        Finding f = make_finding(rule, a, &x, nullptr, nullptr);
        f.detail = x.validity.has_location ? fmt::format("{} at ({:.3f}, {:.3f})", x.validity.reason, x.validity.x,
                                                         x.validity.y)
                                           : x.validity.reason;
        // The defect, not the feature: the part the repair decided when there is one, else where GEOS found it.
        const auto h = ctx.handle();
        if (x.changed && GEOSisEmpty_r(h, x.changed.get()) != 1)
            f.geom = clone(ctx, x.changed.get());
        else if (x.validity.has_location)
            f.geom = own(ctx, GEOSGeom_createPointFromXY_r(h, x.validity.x, x.validity.y));
        else
            f.geom = own(ctx, GEOSPointOnSurface_r(h, x.geom.get()));
        out[i].push_back(std::move(f));
    }
}

void slivers_rule(GeosContext& ctx, const RuleSpec& rule, const CheckLayer& a, unsigned threads,
                  std::vector<std::vector<Finding>>& out) {
    const double r = rule.max_width / 2;
    WorkerPool pool(threads);
    pool.for_each(a.features().size(), [&](GeosContext& w, std::size_t i) {
        const CheckFeature& x = a.features()[i];
        if (GEOSisEmpty_r(w.handle(), x.usable()) == 1) return;
        if (!thinner_than(w, x.usable(), r)) return;
        Finding f = make_finding(rule, a, &x, nullptr, nullptr);
        f.detail = fmt::format("about {:.2f} m wide", mean_width(w, x.usable()));
        f.geom = adopt(ctx, clone(w, x.usable()));
        out[i].push_back(std::move(f));
    });
    // Gaps between the features (and holes in them) thinner than the width: the closing of the union
    // (outward then inward buffer, mitred) minus the union.
    std::vector<const GEOSGeometry*> parts;
    for (const auto& f : a.features()) parts.push_back(f.usable());
    if (parts.empty()) return;
    const GeomPtr whole = union_of(ctx, parts);
    const GeomPtr closed = closing(ctx, whole.get(), r);
    GeomPtr gaps = polygonal_cut(ctx, Cut::difference, closed.get(), whole.get(),
                                 fmt::format("the closing of {} minus {}", a.name(), a.name()));
    if (!gaps) return;
    for (GeomPtr& part : polygon_parts(ctx, gaps.get())) {
        Finding f = make_finding(rule, a, nullptr, nullptr, nullptr);
        f.detail = fmt::format("gap about {:.2f} m wide", mean_width(ctx, part.get()));
        f.geom = std::move(part);
        out.back().push_back(std::move(f));
    }
}

void clearance_rule(GeosContext& ctx, const RuleSpec& rule, const CheckLayer& a, const CheckLayer& from,
                    unsigned threads, std::vector<std::vector<Finding>>& out) {
    const double dist = rule.distance;
    WorkerPool pool(threads);
    pool.for_each(a.features().size(), [&](GeosContext& w, std::size_t i) {
        const auto h = w.handle();
        const CheckFeature& x = a.features()[i];
        if (GEOSisEmpty_r(h, x.usable()) == 1) return;
        Box box = x.box;
        box.min_x -= dist;
        box.min_y -= dist;
        box.max_x += dist;
        box.max_y += dist;
        std::vector<std::size_t> candidates;
        from.index().query(box, candidates);
        for (std::size_t j : candidates) {
            const CheckFeature& y = from.features()[j];
            double d = 0;
            if (GEOSDistance_r(h, x.usable(), y.usable(), &d) != 1)
                w.fail(fmt::format("cannot measure the distance of {} feature {} to {} feature {}", a.name(), x.fid,
                                   from.name(), y.fid));
            if (!(d < dist)) continue;
            Finding f = make_finding(rule, a, &x, &from, &y);
            f.detail = fmt::format("{:.2f} m from {} (clearance {} m)", d, from.name(), dist);
            f.geom = adopt(ctx, clearance_part(w, x.usable(), x.polygonal, y.usable(), dist));
            nearest_point(w, x.usable(), y.usable(), f.pt_x, f.pt_y);
            out[i].push_back(std::move(f));
        }
    });
}

}  // namespace

RuleResult run_rule(GeosContext& ctx, const RuleSpec& rule, const LayerSet& layers, const Crs& analysis,
                    const CheckOptions& options) {
    RuleResult result;
    result.spec = rule;
    result.name = rule_name(rule);
    result.min_area = rule.min_area.value_or(options.min_area);
    const char* name = rule_kind_name(rule.kind);
    if (rule.layers.size() != rule_arity(rule.kind))
        throw InputError(fmt::format("rule {} takes {} layer(s), not {}", name, rule_arity(rule.kind), rule.layers.size()));
    const CheckLayer& a = layers.get(rule.layers[0]);
    const CheckLayer* b = rule.layers.size() > 1 ? &layers.get(rule.layers[1]) : nullptr;

    // One slot per feature of the layer the rule walks, plus one for findings that belong to no feature.
    std::vector<std::vector<Finding>> out;
    auto slots = [&](std::size_t n) { out.resize(n + 1); };
    switch (rule.kind) {
    case RuleKind::no_overlap:
        require_polygonal(ctx, a, name, "the first");
        require_polygonal(ctx, *b, name, "the second");
        slots(a.features().size());
        overlap_rule(ctx, rule, a, *b, false, options.threads, out);
        break;
    case RuleKind::no_self_overlap:
        require_polygonal(ctx, a, name, "the");
        slots(a.features().size());
        overlap_rule(ctx, rule, a, a, true, options.threads, out);
        break;
    case RuleKind::covers:
        require_polygonal(ctx, a, name, "the boundary");
        require_polygonal(ctx, *b, name, "the covering");
        slots(a.features().size());
        covers_rule(ctx, rule, a, *b, options.threads, out);
        break;
    case RuleKind::within:
        require_polygonal(ctx, *b, name, "the boundary");
        slots(a.features().size());
        within_rule(ctx, rule, a, *b, options.threads, out);
        break;
    case RuleKind::valid:
        slots(a.features().size());
        valid_rule(ctx, rule, a, out);
        break;
    case RuleKind::slivers:
        require_polygonal(ctx, a, name, "the");
        if (!(rule.max_width > 0)) throw InputError("rule slivers needs a maximum width above 0 m (max_width)");
        slots(a.features().size());
        slivers_rule(ctx, rule, a, options.threads, out);
        break;
    case RuleKind::clearance:
        if (!(rule.distance > 0)) throw InputError("rule clearance needs a distance above 0 m");
        slots(a.features().size());
        clearance_rule(ctx, rule, a, *b, options.threads, out);
        break;
    }

    for (const CheckLayer* l : {&a, b})
        if (l && l->without_geometry > 0)
            result.notes.push_back(fmt::format("{} feature(s) of '{}' have no geometry and take no part",
                                               l->without_geometry, l->name()));

    // Measure, place and classify each finding; then sort: above tolerance first, largest first.
    AreaMeter meter(analysis, options.area);
    for (auto& slot : out)
        for (auto& f : slot) {
            f.geom = GeomPtr(f.geom.release(), GeomDeleter{ctx.handle()});
            // A 'valid' finding measures the part its repair decided (zero for a point: nothing was decided).
            const GEOSGeometry* measured = f.geom.get();
            if (measured && is_polygonal(ctx, measured)) {
                const Areas areas = meter.measure(ctx, measured);
                f.plan_m2 = areas.plan;
                f.ellip_m2 = areas.ellip;
            }
            if (rule.kind == RuleKind::valid) {
                const CheckFeature* x = nullptr;
                for (const auto& c : a.features())
                    if (c.fid == f.fid_a) x = &c;
                if (x && x->validity.has_location) {
                    f.pt_x = x->validity.x;
                    f.pt_y = x->validity.y;
                } else {
                    representative_point(ctx, f.geom.get(), f.pt_x, f.pt_y);
                }
            } else if (rule.kind != RuleKind::clearance) {
                representative_point(ctx, f.geom.get(), f.pt_x, f.pt_y);
            }
            // Tolerance applies to areas: invalid geometries, and lines or points outside or too close,
            // always count.
            const bool by_area = rule.kind != RuleKind::valid && is_polygonal(ctx, f.geom.get());
            f.below_tolerance = by_area && f.plan_m2 < result.min_area;
            if (f.below_tolerance) {
                ++result.below;
                result.below_m2 += f.plan_m2;
            } else {
                ++result.above;
                result.above_m2 += f.plan_m2;
            }
            result.findings.push_back(std::move(f));
        }
    locate_lonlat(analysis, result.findings);
    std::stable_sort(result.findings.begin(), result.findings.end(), [](const Finding& x, const Finding& y) {
        if (x.below_tolerance != y.below_tolerance) return !x.below_tolerance;
        if (x.plan_m2 != y.plan_m2) return x.plan_m2 > y.plan_m2;
        if (x.fid_a != y.fid_a) return x.fid_a < y.fid_a;
        if (x.fid_b != y.fid_b) return x.fid_b < y.fid_b;
        if (x.pt_x != y.pt_x) return x.pt_x < y.pt_x;
        return x.pt_y < y.pt_y;
    });
    return result;
}

}  // namespace zk
