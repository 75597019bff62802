#include "zonekit/checks/check.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/geometry/geom_ops.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace zk {

// ---- Rules ------------------------------------------------------------------------------------------------

namespace {
struct RuleInfo {
    RuleKind kind;
    const char* name;
    std::size_t arity;
    const char* title;  // in the words of a planner's review
};
constexpr RuleInfo rule_table[] = {
    {RuleKind::no_overlap, "no-overlap", 2, "图层间重叠"}, {RuleKind::no_self_overlap, "no-self-overlap", 1, "图层内重叠"},
    {RuleKind::covers, "covers", 2, "未完全覆盖（缝隙）"}, {RuleKind::within, "within", 2, "超出范围"},
    {RuleKind::valid, "valid", 1, "几何无效"},            {RuleKind::slivers, "slivers", 1, "细碎图斑"},
    {RuleKind::clearance, "clearance", 2, "安全距离"},
};
}  // namespace

const char* rule_kind_name(RuleKind kind) {
    for (const auto& r : rule_table)
        if (r.kind == kind) return r.name;
    return "?";
}

const char* rule_kind_title(RuleKind kind) {
    for (const auto& r : rule_table)
        if (r.kind == kind) return r.title;
    return "?";
}

std::size_t rule_arity(RuleKind kind) {
    for (const auto& r : rule_table)
        if (r.kind == kind) return r.arity;
    return 0;
}

std::optional<RuleKind> find_rule_kind(std::string_view text) {
    std::string t(text);
    std::replace(t.begin(), t.end(), '_', '-');
    for (const auto& r : rule_table)
        if (t == r.name) return r.kind;
    return std::nullopt;
}

RuleKind parse_rule_kind(std::string_view text) {
    if (auto kind = find_rule_kind(text)) return *kind;
    throw InputError(fmt::format("unknown rule '{}' (rules: no-overlap, no-self-overlap, covers, within, valid, "
                                 "slivers, clearance; preset: sanxian)",
                                 text));
}

std::string rule_name(const RuleSpec& rule) {
    std::string name = rule_kind_name(rule.kind);
    std::replace(name.begin(), name.end(), '-', '_');
    for (const auto& layer : rule.layers) {
        std::string part = layer;
        for (char& c : part)
            if (c == '-' || c == ' ' || c == '.' || c == ':' || c == '/') c = '_';
        name += "_" + part;
    }
    return name;
}

std::vector<RuleSpec> pairwise_no_overlap(const std::vector<std::string>& layers) {
    std::vector<RuleSpec> rules;
    for (std::size_t i = 0; i < layers.size(); ++i)
        for (std::size_t j = i + 1; j < layers.size(); ++j) {
            RuleSpec r;
            r.kind = RuleKind::no_overlap;
            r.layers = {layers[i], layers[j]};
            rules.push_back(r);
        }
    return rules;
}

std::vector<RuleSpec> sanxian_rules(const std::string& boundary, const std::string& redline,
                                    const std::string& farmland, const std::string& urban) {
    std::vector<RuleSpec> rules = pairwise_no_overlap({redline, farmland, urban});
    for (const auto& line : {redline, farmland, urban}) {
        RuleSpec r;
        r.kind = RuleKind::within;
        r.layers = {line, boundary};
        rules.push_back(r);
    }
    for (const auto& line : {redline, farmland, urban}) {
        RuleSpec r;
        r.kind = RuleKind::valid;
        r.layers = {line};
        rules.push_back(r);
    }
    return rules;
}

OGRwkbGeometryType RuleResult::geometry_type() const {
    if (spec.kind == RuleKind::valid || spec.kind == RuleKind::clearance || spec.kind == RuleKind::within)
        return wkbUnknown;
    return wkbMultiPolygon;
}

bool CheckResult::ok() const {
    for (const auto& r : rules)
        if (!r.ok()) return false;
    return true;
}

// ---- Layers -----------------------------------------------------------------------------------------------

CheckFeature make_check_feature(GeosContext& ctx, std::int64_t fid, std::string key, GeomPtr geom,
                                MakeValidMethod method) {
    CheckFeature f;
    f.fid = fid;
    f.key = std::move(key);
    f.polygonal = is_polygonal(ctx, geom.get());
    f.validity = check_validity(ctx, geom.get());
    if (!f.validity.valid && f.polygonal) {
        Repair repair = repair_polygonal(ctx, geom.get(), method);
        f.repaired = std::move(repair.geom);
        f.changed = std::move(repair.changed);
    }
    f.box = envelope_of(ctx, geom.get());
    f.geom = std::move(geom);
    return f;
}

CheckLayer::CheckLayer(GeosContext&, std::string name, std::vector<CheckFeature> features)
    : m_name(std::move(name)), m_features(std::move(features)) {
    std::vector<Box> boxes;
    boxes.reserve(m_features.size());
    for (const auto& f : m_features) boxes.push_back(f.box);
    m_index = BoxIndex(boxes);
}

const CheckLayer& LayerSet::get(const std::string& name) const {
    for (const auto& l : layers)
        if (l.name() == name) return l;
    std::string names;
    for (const auto& l : layers) names += (names.empty() ? "" : ", ") + l.name();
    throw InputError(fmt::format("layer '{}' is not declared (layers: {})", name, names));
}

std::vector<LayerInfo> describe_layers(const std::vector<LayerSpec>& layers) {
    std::vector<LayerInfo> infos;
    for (const auto& spec : layers) {
        std::optional<Source> opened;
        OGRLayer* layer = nullptr;
        try {
            opened.emplace(Source::open(spec.path, spec.source));
            layer = opened->layer(spec.layer);
        } catch (const InputError& e) {
            if (spec.line <= 0) throw;  // a layer named on the command line: the message says it all
            throw InputError(fmt::format("layer '{}' (declared at line {} of the project file): {}", spec.name,
                                         spec.line, e.what()));
        }
        Source& src = *opened;
        LayerInfo info = src.describe(layer);
        if (info.crs.empty() && spec.source.assume_crs) {
            info.crs = *spec.source.assume_crs;
            info.crs_assumed = true;
        }
        infos.push_back(std::move(info));
    }
    return infos;
}

namespace {
// One note per layer on the invalid features that the overlap rules use repaired.
std::string repaired_note(const CheckLayer& layer, MakeValidMethod method) {
    std::size_t n = 0;
    std::string fids;
    for (const auto& f : layer.features())
        if (f.repaired) {
            if (++n <= 5) fids += (fids.empty() ? "" : ", ") + std::to_string(f.fid);
        }
    if (n == 0) return {};
    return fmt::format("{} invalid feature(s) of '{}' ({}{}) are used as repaired by MakeValid ({} method); the rule "
                       "'valid' lists them where they are",
                       n, layer.name(), fids, n > 5 ? ", …" : "", make_valid_method_name(method));
}
}  // namespace

CheckLayer load_check_layer(GeosContext& ctx, const LayerSpec& spec, const Crs& analysis) {
    Source src = Source::open(spec.path, spec.source);
    OGRLayer* layer = src.layer(spec.layer);
    int key_index = -1;
    if (!spec.key.empty()) {
        const OGRFeatureDefn* defn = layer->GetLayerDefn();
        key_index = defn->GetFieldIndex(spec.key.c_str());
        if (key_index < 0) {
            std::string fields;
            for (int i = 0; i < defn->GetFieldCount(); ++i)
                fields += (i ? ", " : "") + std::string(defn->GetFieldDefn(i)->GetNameRef());
            throw InputError(fmt::format("key field '{}' of layer '{}' is not a field of '{}' layer '{}' (fields: {})",
                                         spec.key, spec.name, spec.path, layer->GetName(),
                                         fields.empty() ? "none" : fields));
        }
    }
    ReadOptions read;
    read.where = spec.where;
    read.validate = false;  // the rule 'valid' reports invalid polygons as drawn; the other rules use them repaired
    LayerReader reader(src, layer, analysis, read);
    std::vector<CheckFeature> features;
    std::int64_t without = 0;
    Feature f;
    while (reader.next(ctx, f)) {
        if (!f.geom || GEOSisEmpty_r(ctx.handle(), f.geom.get()) == 1) {
            ++without;
            continue;
        }
        std::string key;
        if (key_index >= 0 && f.ogr->IsFieldSetAndNotNull(key_index)) key = f.ogr->GetFieldAsString(key_index);
        features.push_back(
            make_check_feature(ctx, f.fid, std::move(key), std::move(f.geom), spec.source.make_valid_method));
        const CheckFeature& made = features.back();
        if (spec.source.strict && !made.validity.valid)
            throw invalid_polygon_refusal(reader.where(made.fid), made.validity, spec.source.make_valid_method);
    }
    CheckLayer out(ctx, spec.name, std::move(features));
    out.without_geometry = without;
    out.source = fmt::format("'{}' layer '{}'", spec.path, reader.info().name);
    out.notes = issue_warnings(reader);
    if (std::string note = repaired_note(out, spec.source.make_valid_method); !note.empty()) out.notes.push_back(note);
    return out;
}

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

void validate_plan(const CheckPlan& plan) {
    std::set<std::string> names;
    std::string known;
    for (const auto& l : plan.layers) {
        if (!names.insert(l.name).second) throw InputError(fmt::format("layer '{}' is declared twice", l.name));
        known += (known.empty() ? "" : ", ") + l.name;
    }
    if (plan.rules.empty()) throw InputError("there are no rules to check");
    for (std::size_t i = 0; i < plan.rules.size(); ++i) {
        const RuleSpec& r = plan.rules[i];
        const std::string where =
            r.line > 0 ? fmt::format("rule {} '{}' (line {}, column {})", i + 1, rule_kind_name(r.kind), r.line, r.column)
                       : fmt::format("rule {} '{}'", i + 1, rule_kind_name(r.kind));
        if (r.layers.size() != rule_arity(r.kind))
            throw InputError(fmt::format("{} takes {} layer(s), not {}", where, rule_arity(r.kind), r.layers.size()));
        for (const auto& l : r.layers)
            if (!names.count(l))
                throw InputError(fmt::format("{} names layer '{}', which is not declared (layers: {})", where, l,
                                             known.empty() ? "none" : known));
        if (r.kind == RuleKind::slivers && !(r.max_width > 0))
            throw InputError(fmt::format("{} needs max_width, the width in metres below which a feature or gap is a "
                                         "sliver (e.g. 2.0)",
                                         where));
        if (r.kind == RuleKind::clearance && !(r.distance > 0))
            throw InputError(fmt::format("{} needs a distance in metres above 0", where));
        if (r.min_area && !(*r.min_area >= 0))
            throw InputError(fmt::format("{} has a negative min_area", where));
    }
}

CheckResult run_check(GeosContext& ctx, const CheckPlan& plan, const CheckOptions& options) {
    validate_plan(plan);
    CheckResult result;
    // Only the layers some rule uses are read.
    std::vector<LayerSpec> used;
    for (const auto& l : plan.layers) {
        bool needed = false;
        for (const auto& r : plan.rules)
            needed = needed || std::find(r.layers.begin(), r.layers.end(), l.name) != r.layers.end();
        if (needed) used.push_back(l);
    }
    result.analysis = choose_analysis_crs(describe_layers(used), plan.crs, result.notes);
    LayerSet set;
    for (const auto& l : used) {
        set.layers.push_back(load_check_layer(ctx, l, result.analysis));
        const auto& notes = set.layers.back().notes;
        result.notes.insert(result.notes.end(), notes.begin(), notes.end());
    }
    for (const auto& r : plan.rules) result.rules.push_back(run_rule(ctx, r, set, result.analysis, options));
    // Findings layer names are unique within one output.
    std::set<std::string> taken;
    for (auto& r : result.rules) {
        std::string name = r.name;
        for (int n = 2; !taken.insert(name).second; ++n) name = fmt::format("{}_{}", r.name, n);
        r.name = name;
    }
    return result;
}

// ---- Reports ----------------------------------------------------------------------------------------------

const std::vector<std::string>& finding_field_names() {
    static const std::vector<std::string> names = {"rule",    "layer_a", "fid_a",  "key_a", "layer_b",
                                                   "fid_b",   "key_b",   "plan_m2", "ellip_m2", "pt_x",
                                                   "pt_y",    "lon",     "lat",    "below_tolerance", "detail"};
    return names;
}

namespace {
double rounded(double x, double step = 1e-6) { return std::round(x / step) * step; }

std::string side(const std::string& layer, std::int64_t fid, const std::string& key) {
    if (layer.empty()) return "";
    std::string s = layer;
    if (fid >= 0) s += fmt::format(" {}", fid);
    if (!key.empty()) s += fmt::format(" ({})", key);
    return s;
}

std::string where_text(const Finding& f) {
    std::string a = side(f.layer_a, f.fid_a, f.key_a);
    if (f.fid_a < 0 && f.fid_b < 0) a = f.layer_a;
    std::string b = f.fid_b >= 0 ? side(f.layer_b, f.fid_b, f.key_b) : "";
    return b.empty() ? a : a + " × " + b;
}

std::string group_digits(double x, int decimals) {
    std::string s = fmt::format("{:.{}f}", x, decimals);
    const std::size_t dot = s.find('.');
    std::size_t end = dot == std::string::npos ? s.size() : dot;
    const std::size_t start = s[0] == '-' ? 1 : 0;
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(end) - 3; i > static_cast<std::ptrdiff_t>(start); i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

std::string layers_text(const RuleResult& r) {
    std::string s;
    for (const auto& l : r.spec.layers) s += (s.empty() ? "" : ", ") + l;
    if (r.spec.kind == RuleKind::slivers) s += fmt::format(" (max width {} m)", r.spec.max_width);
    if (r.spec.kind == RuleKind::clearance) s += fmt::format(" ({} m)", r.spec.distance);
    return s;
}
}  // namespace

std::string check_report_json(const CheckResult& result) {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const auto& r : result.rules) {
        nlohmann::ordered_json j;
        j["rule"] = rule_kind_name(r.spec.kind);
        j["layers"] = r.spec.layers;
        j["ok"] = r.ok();
        j["findings"] = r.above;
        j["area_m2"] = rounded(r.above_m2);
        j["below_tolerance"] = r.below;
        j["below_tolerance_area_m2"] = rounded(r.below_m2);
        nlohmann::ordered_json largest = nlohmann::ordered_json::array();
        for (const auto& f : r.findings) {
            if (f.below_tolerance || largest.size() >= 10) break;
            nlohmann::ordered_json x;
            x["layer_a"] = f.layer_a;
            x["fid_a"] = f.fid_a >= 0 ? nlohmann::ordered_json(f.fid_a) : nlohmann::ordered_json();
            x["key_a"] = f.key_a;
            x["layer_b"] = f.layer_b;
            x["fid_b"] = f.fid_b >= 0 ? nlohmann::ordered_json(f.fid_b) : nlohmann::ordered_json();
            x["key_b"] = f.key_b;
            x["plan_m2"] = rounded(f.plan_m2);
            x["ellip_m2"] = rounded(f.ellip_m2);
            x["x"] = rounded(f.pt_x, 1e-3);
            x["y"] = rounded(f.pt_y, 1e-3);
            x["lon"] = rounded(f.lon, 1e-8);
            x["lat"] = rounded(f.lat, 1e-8);
            x["detail"] = f.detail;
            largest.push_back(std::move(x));
        }
        j["largest"] = std::move(largest);
        rules.push_back(std::move(j));
    }
    nlohmann::ordered_json doc;
    doc["rules"] = std::move(rules);
    return json_text(std::move(doc));
}

std::string check_report_markdown(const CheckResult& result, const CheckReportOptions& options) {
    const std::size_t largest = options.largest;
    const auto& inset = options.inset;
    std::string md = "# 规划检查 *zonekit check*\n\n";
    std::size_t failing = 0;
    for (const auto& r : result.rules) failing += r.ok() ? 0 : 1;
    md += fmt::format("**{}** — {} 条规则中 {} 条通过 *({} of {} rules hold)*。面积为 {} 下的平面面积，检查结果图层另记椭球面积 "
                      "*(areas planar in the analysis CRS; ellipsoidal in the findings layers)*。\n\n",
                      failing == 0 ? "通过 PASS" : "不通过 FAIL", result.rules.size(), result.rules.size() - failing,
                      result.rules.size() - failing, result.rules.size(),
                      result.analysis.empty() ? "分析坐标系" : result.analysis.label());
    md += "| 规则 *rule* | 图层 *layers* | 结论 *verdict* | 问题 *findings* | 面积 m² *area* | 容差 m² *tolerance* |\n";
    md += "|---|---|---|---:|---:|---:|\n";
    for (const auto& r : result.rules)
        md += fmt::format("| {} *{}* | {} | {} | {} | {} | {} |\n", rule_kind_title(r.spec.kind), md_cell(r.name),
                          md_cell(layers_text(r)), r.ok() ? "通过 ok" : "**不通过 FAIL**", r.above,
                          group_digits(r.above_m2, 2), r.min_area);
    // Findings below tolerance are not problems of the plan: one line per rule says how many and how much.
    std::string below;
    for (const auto& r : result.rules)
        if (r.below > 0)
            below += fmt::format("- {} *{}*：{} 处小于容差 {} m²，合计 {} m²，未逐条列出 *({} below tolerance, not listed)*\n",
                                 rule_kind_title(r.spec.kind), md_cell(r.name), r.below, r.min_area,
                                 group_digits(r.below_m2, 4), r.below);
    if (!below.empty()) md += "\n容差以下 *Below tolerance*：\n\n" + below;
    for (const auto& r : result.rules) {
        if (r.above == 0 && (r.notes.empty() || !options.notes)) continue;
        md += fmt::format("\n## {} — {} *{}*\n\n", rule_kind_title(r.spec.kind), md_cell(layers_text(r)), md_cell(r.name));
        if (options.notes) {
            for (const auto& n : r.notes) md += "- " + md_cell(n) + "\n";
            if (!r.notes.empty()) md += "\n";
        }
        if (r.above == 0) continue;
        md += "| # | 位置 *where* | 平面 m² *plan* | 椭球 m² *ellip* | x, y | 经纬度 *lon, lat* | 说明 *detail* |";
        md += inset ? " 近景 *inset* |\n|---:|---|---:|---:|---|---|---|---|\n" : "\n|---:|---|---:|---:|---|---|---|\n";
        std::size_t n = 0;
        for (const auto& f : r.findings) {
            if (f.below_tolerance || ++n > largest) break;
            md += fmt::format("| {} | {} | {} | {} | {:.2f}, {:.2f} | {:.6f}°E, {:.6f}°N | {} |", n, md_cell(where_text(f)),
                              group_digits(f.plan_m2, 2), group_digits(f.ellip_m2, 2), f.pt_x, f.pt_y, f.lon, f.lat,
                              md_cell(f.detail));
            md += inset ? " " + inset(r, n - 1) + " |\n" : "\n";
        }
        if (r.above > static_cast<std::int64_t>(largest))
            md += fmt::format("\n另有 {} 处见检查结果图层 `{}` *({} more in the findings layer)*。\n",
                              r.above - static_cast<std::int64_t>(largest), r.name, r.above - static_cast<std::int64_t>(largest));
    }
    if (options.notes)
        for (const auto& n : result.notes) md += "\n> " + md_cell(n) + "\n";
    return md;
}

std::string check_summary(const CheckResult& result, std::size_t largest) {
    std::string out;
    std::size_t width = 0, failing = 0;
    for (const auto& r : result.rules) {
        width = std::max(width, r.name.size());
        failing += r.ok() ? 0 : 1;
    }
    for (const auto& r : result.rules) {
        out += fmt::format("{:<4} {:<{}}  {} finding(s), {} m²", r.ok() ? "ok" : "FAIL", r.name, width, r.above,
                           group_digits(r.above_m2, 2));
        if (r.below > 0) out += fmt::format("; {} below {} m² ({} m²)", r.below, r.min_area, group_digits(r.below_m2, 4));
        out += "\n";
        std::size_t n = 0;
        for (const auto& f : r.findings) {
            if (f.below_tolerance || ++n > largest) break;
            out += fmt::format("       {}. {}: {} m² at ({:.2f}, {:.2f}) = {:.6f}°E {:.6f}°N{}\n", n, where_text(f),
                               group_digits(f.plan_m2, 2), f.pt_x, f.pt_y, f.lon, f.lat,
                               f.detail.empty() ? "" : " — " + f.detail);
        }
        if (r.above > static_cast<std::int64_t>(largest))
            out += fmt::format("       … {} more\n", r.above - static_cast<std::int64_t>(largest));
    }
    out += failing == 0 ? fmt::format("all {} rules hold\n", result.rules.size())
                        : fmt::format("{} of {} rules fail\n", failing, result.rules.size());
    return out;
}

}  // namespace zk
