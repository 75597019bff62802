#include "zonekit/project/screen.hpp"
#include "zonekit/project/screen_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/units.hpp"
#include "zonekit/geometry/geom_ops.hpp"
#include "zonekit/geometry/spatial_index.hpp"
#include "zonekit/geometry/worker_pool.hpp"
#include "zonekit/ops/tabulate.hpp"
#include "zonekit/ops/zone_stats.hpp"
#include "zonekit/project/project.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>

namespace zk {

using namespace screen_detail;

// ---- The engine -------------------------------------------------------------------------------------------

const SiteTake* SiteResult::take(const std::string& layer) const {
    for (const auto& t : takes)
        if (t.layer == layer) return &t;
    return nullptr;
}

const SiteDistance* SiteResult::distance(const std::string& layer) const {
    for (const auto& d : distances)
        if (d.layer == layer) return &d;
    return nullptr;
}

std::size_t ScreenResult::count(Verdict v) const {
    return static_cast<std::size_t>(std::count_if(sites.begin(), sites.end(), [&](const SiteResult& s) {
        return s.error.empty() && s.verdict == v;
    }));
}

std::size_t ScreenResult::errors() const {
    return static_cast<std::size_t>(
        std::count_if(sites.begin(), sites.end(), [](const SiteResult& s) { return !s.error.empty(); }));
}

namespace {

enum class Shape { polygon, line, point, unknown };

Shape shape_of(const std::string& geometry_type) {
    if (geometry_type.find("Polygon") != std::string::npos || geometry_type.find("Surface") != std::string::npos)
        return Shape::polygon;
    if (geometry_type.find("Line") != std::string::npos || geometry_type.find("Curve") != std::string::npos)
        return Shape::line;
    if (geometry_type.find("Point") != std::string::npos) return Shape::point;
    return Shape::unknown;
}

Shape shape_of(GeosContext& ctx, const CheckLayer& layer) {
    Shape s = Shape::unknown;
    for (const auto& f : layer.features()) {
        const int t = GEOSGeomTypeId_r(ctx.handle(), f.geom.get());
        const Shape fs = f.polygonal ? Shape::polygon
                         : (t == GEOS_LINESTRING || t == GEOS_MULTILINESTRING || t == GEOS_LINEARRING) ? Shape::line
                         : (t == GEOS_POINT || t == GEOS_MULTIPOINT)                                 ? Shape::point
                                                                                                     : Shape::unknown;
        if (s == Shape::unknown) s = fs;
        else if (s != fs) return Shape::unknown;
    }
    return s;
}

struct ProtectedPoint {
    std::int64_t fid = 0;
    std::string id;
    double radius = 0;
    GeomPtr geom;
    double x = 0, y = 0;
};

struct PointLayer {
    std::string name;
    std::vector<ProtectedPoint> points;
    BoxIndex index;
    double max_radius = 0;
};

PointLayer load_points(GeosContext& ctx, const LayerSpec& spec, const ProtectSpec* protect, const Crs& analysis,
                       std::vector<std::string>& warnings) {
    Source src = Source::open(spec.path, spec.source);
    OGRLayer* layer = src.layer(spec.layer);
    const OGRFeatureDefn* defn = layer->GetLayerDefn();
    const auto field = [&](const std::string& name, const char* what) {
        const int i = defn->GetFieldIndex(name.c_str());
        if (i < 0) {
            std::string fields;
            for (int k = 0; k < defn->GetFieldCount(); ++k)
                fields += (k ? ", " : "") + std::string(defn->GetFieldDefn(k)->GetNameRef());
            throw InputError(fmt::format("{} '{}' is not a field of '{}' layer '{}' (fields: {})", what, name,
                                         spec.path, layer->GetName(), fields.empty() ? "none" : fields));
        }
        return i;
    };
    const int key = spec.key.empty() ? -1 : field(spec.key, fmt::format("key field of layer '{}'", spec.name).c_str());
    const int radius = protect && !protect->field.empty()
                           ? field(protect->field, fmt::format("protection radius field of layer '{}'", spec.name).c_str())
                           : -1;
    ReadOptions read;
    read.where = spec.where;
    LayerReader reader(src, layer, analysis, read);
    PointLayer out;
    out.name = spec.name;
    std::vector<Box> boxes;
    Feature f;
    std::int64_t no_radius = 0;
    while (reader.next(ctx, f)) {
        if (!f.geom || GEOSisEmpty_r(ctx.handle(), f.geom.get()) == 1) continue;
        const int t = GEOSGeomTypeId_r(ctx.handle(), f.geom.get());
        if (t != GEOS_POINT && t != GEOS_MULTIPOINT)
            throw InputError(fmt::format("{}: protected points must be points, but this is a {}", reader.where(f.fid),
                                         geometry_type_of(ctx, f.geom.get())));
        ProtectedPoint p;
        p.fid = f.fid;
        p.id = key >= 0 && f.ogr->IsFieldSetAndNotNull(key) ? f.ogr->GetFieldAsString(key) : std::to_string(f.fid);
        p.radius = protect ? protect->radius_m : 0.0;
        if (radius >= 0) {
            if (f.ogr->IsFieldSetAndNotNull(radius)) p.radius += std::max(0.0, f.ogr->GetFieldAsDouble(radius));
            else ++no_radius;
        }
        const Box b = envelope_of(ctx, f.geom.get());
        p.x = (b.min_x + b.max_x) / 2;
        p.y = (b.min_y + b.max_y) / 2;
        out.max_radius = std::max(out.max_radius, p.radius);
        boxes.push_back(b);
        p.geom = std::move(f.geom);
        out.points.push_back(std::move(p));
    }
    if (no_radius > 0)
        warnings.push_back(fmt::format("layer '{}': {} point(s) have no value in '{}'; their radius is {} m", spec.name,
                                       no_radius, protect->field, protect->radius_m));
    for (auto& w : issue_warnings(reader)) warnings.push_back(fmt::format("layer '{}': {}", spec.name, w));
    out.index = BoxIndex(boxes);
    return out;
}

Box grown(const Box& b, double r) { return {b.min_x - r, b.min_y - r, b.max_x + r, b.max_y + r}; }


std::string area_words(double m2) {
    return fmt::format("{} m²（{} 公顷，{} 亩）", fixed(m2, 1), fixed(m2 / 10000.0, 4),
                       fixed(from_square_metres(m2, AreaUnit::mu), 2));
}

// One worker's own things: a meter each, and its own prepared copy of each plan feature it has met (per plan
// layer: the layers taken from, then the layers measured to).
struct Worker {
    Worker(const Crs& crs, const AreaOptions& area) : meter(crs, area), pair(crs, 0.0) {}
    AreaMeter meter;
    LengthMeter pair;  // the geodesic between two points (no densifying)
    std::vector<PreparedCopies> prepared;
    const PreparedGeom& prepare(GeosContext& ctx, std::size_t layer, const CheckLayer& from, std::size_t feature,
                                const GEOSGeometry* g) {
        if (prepared.size() <= layer) prepared.resize(layer + 1);
        if (prepared[layer].size() == 0) prepared[layer] = PreparedCopies(from.features().size());
        return prepared[layer].get(ctx, feature, g);
    }
};

class Screener {
public:
    Screener(const Project& project, const ScreenSpec& spec, const ScreenOptions& options)
        : m_project(project), m_spec(spec), m_options(options) {}
    ScreenResult run();

private:
    void read_sites();
    void screen_site(GeosContext& ctx, Worker& w, SiteResult& site);
    void judge(GeosContext& ctx, Worker& w, SiteResult& site) const;
    // The area of the union of the site's pieces in `layer` whose class matches `classes` (all: empty).
    Areas union_area(GeosContext& ctx, Worker& w, const SiteResult& site, const std::string& layer,
                     const std::vector<std::string>& classes) const;

    const Project& m_project;
    const ScreenSpec& m_spec;
    const ScreenOptions& m_options;
    std::shared_ptr<GeosContext> m_context = std::make_shared<GeosContext>();
    GeosContext& m_ctx = *m_context;
    ScreenResult m_result;
    std::vector<CheckLayer> m_takes;       // m_result.take_layers
    std::vector<std::string> m_take_roles;
    std::vector<std::string> m_class_fields;
    std::vector<CheckLayer> m_lines;       // m_result.distance_layers
    std::vector<std::optional<double>> m_clearance;
    std::vector<PointLayer> m_points;      // m_result.point_layers
};

void Screener::read_sites() {
    const LayerSpec& spec = m_spec.sites;
    Source src = Source::open(spec.path, spec.source);
    OGRLayer* layer = src.layer(spec.layer);
    const OGRFeatureDefn* defn = layer->GetLayerDefn();
    const std::string id_name = !m_spec.id_field.empty() ? m_spec.id_field : spec.key;
    int id_field = -1;
    if (!id_name.empty()) {
        id_field = defn->GetFieldIndex(id_name.c_str());
        if (id_field < 0) {
            std::string fields;
            for (int k = 0; k < defn->GetFieldCount(); ++k)
                fields += (k ? ", " : "") + std::string(defn->GetFieldDefn(k)->GetNameRef());
            throw InputError(fmt::format("id field '{}' is not a field of '{}' layer '{}' (fields: {})", id_name,
                                         spec.path, layer->GetName(), fields.empty() ? "none" : fields));
        }
    }
    const int radius_field = defn->GetFieldIndex(m_spec.radius_field.c_str());
    OGRFeatureDefn* copy = defn->Clone();
    copy->Reference();
    m_result.sites_defn = std::shared_ptr<OGRFeatureDefn>(copy, [](OGRFeatureDefn* d) { d->Release(); });

    ReadOptions read;
    read.where = spec.where;
    read.validate = false;  // an invalid site is that site's error (or repaired with make_valid), decided here
    LayerReader reader(src, layer, m_result.analysis, read);
    m_result.sites_source = fmt::format("'{}' layer '{}'", spec.path, reader.info().name);
    const auto h = m_ctx.handle();
    Feature f;
    std::vector<double> xs, ys;
    while (reader.next(m_ctx, f)) {
        SiteResult s;
        s.fid = f.fid;
        s.id = id_field >= 0 && f.ogr->IsFieldSetAndNotNull(id_field) ? f.ogr->GetFieldAsString(id_field)
                                                                        : std::to_string(f.fid);
        OGRFeature* attrs = OGRFeature::CreateFeature(m_result.sites_defn.get());
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (f.ogr->IsFieldSetAndNotNull(i)) attrs->SetField(i, f.ogr->GetRawFieldRef(i));
            else if (f.ogr->IsFieldNull(i)) attrs->SetFieldNull(i);
        s.attributes.reset(attrs);
        const std::string where = reader.where(f.fid);
        if (!f.geom || GEOSisEmpty_r(h, f.geom.get()) == 1) {
            s.error = fmt::format("{} (site '{}'): has no geometry; give it its outline", where, s.id);
        } else {
            const int t = GEOSGeomTypeId_r(h, f.geom.get());
            if (t == GEOS_POINT || t == GEOS_MULTIPOINT) {
                double r = m_spec.radius.value_or(0);
                if (!m_spec.radius && radius_field >= 0 && f.ogr->IsFieldSetAndNotNull(radius_field))
                    r = f.ogr->GetFieldAsDouble(radius_field);
                if (!(r > 0)) {
                    s.error = fmt::format(
                        "{} (site '{}'): a point site needs a radius: a positive value in field '{}', or --radius", where,
                        s.id, m_spec.radius_field);
                    s.geom = std::move(f.geom);
                } else {
                    s.geom = own(m_ctx, GEOSBuffer_r(h, f.geom.get(), r, 64));
                    s.radius_m = r;
                    if (!s.geom)
                        s.error = fmt::format("{} (site '{}'): its circle of {} m could not be drawn: {}", where, s.id, r,
                                              m_ctx.take_error());
                }
            } else if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON) {
                const Validity v = check_validity(m_ctx, f.geom.get());
                if (v.valid) {
                    s.geom = std::move(f.geom);
                } else if (m_options.make_valid || m_spec.repair_sites) {
                    CheckFeature made = make_check_feature(m_ctx, f.fid, s.id, std::move(f.geom),
                                                           spec.source.make_valid_method);
                    s.geom = std::move(made.repaired);
                    m_result.warnings.push_back(fmt::format("{} (site '{}'): invalid ({}), repaired by MakeValid",
                                                            where, s.id, v.reason));
                } else {
                    s.error = fmt::format(
                        "{} (site '{}'): invalid polygon: {}{}; correct it, or screen it repaired (--repair-sites, or "
                        "repair_sites = true in [screen])", where,
                        s.id, v.reason, v.has_location ? fmt::format(" at ({:.3f}, {:.3f})", v.x, v.y) : "");
                    s.geom = std::move(f.geom);
                }
            } else {
                s.error = fmt::format("{} (site '{}'): is a {}; a site must be a polygon, or a point with a radius",
                                      where, s.id, geometry_type_of(m_ctx, f.geom.get()));
                s.geom = std::move(f.geom);
            }
        }
        if (s.geom && s.error.empty() && GEOSisEmpty_r(h, s.geom.get()) == 1)
            s.error = fmt::format("{} (site '{}'): nothing is left of it once repaired", where, s.id);
        if (s.geom && GEOSisEmpty_r(h, s.geom.get()) == 0) {
            s.box = envelope_of(m_ctx, s.geom.get());
            double x = 0, y = 0;
            representative_point(m_ctx, s.geom.get(), x, y);
            xs.push_back(x);
            ys.push_back(y);
        } else {
            xs.push_back(0);
            ys.push_back(0);
        }
        m_result.sites.push_back(std::move(s));
    }
    for (auto& w : issue_warnings(reader)) m_result.warnings.push_back(fmt::format("sites: {}", w));
    static const Crs cgcs2000 = Crs::from_epsg(4490);
    const Transform to_lonlat(m_result.analysis, cgcs2000);
    if (!xs.empty() && to_lonlat.transform(xs.size(), xs.data(), ys.data()))
        for (std::size_t i = 0; i < xs.size(); ++i)
            if (m_result.sites[i].geom) {
                m_result.sites[i].lon = xs[i];
                m_result.sites[i].lat = ys[i];
            }
}

void Screener::screen_site(GeosContext& ctx, Worker& w, SiteResult& site) {
    const auto h = ctx.handle();
    const GEOSGeometry* g = site.geom.get();
    site.area = w.meter.measure(ctx, g);
    std::vector<std::size_t> candidates;
    // Takes: each candidate feature's prepared copy says whether the site misses it, lies inside it, or crosses it.
    for (std::size_t li = 0; li < m_takes.size(); ++li) {
        const CheckLayer& layer = m_takes[li];
        SiteTake take;
        take.layer = layer.name();
        take.role = m_take_roles[li];
        take.class_field = m_class_fields[li];
        layer.index().query(site.box, candidates);
        const std::size_t first_piece = site.pieces.size();
        for (std::size_t c : candidates) {
            const CheckFeature& f = layer.features()[c];
            if (!f.polygonal) continue;
            const PreparedGeom& p = w.prepare(ctx, li, layer, c, f.usable());
            const char meets = GEOSPreparedIntersects_r(h, p.prepared(), g);
            if (meets == 2) ctx.fail(fmt::format("site '{}' against layer '{}' feature {}", site.id, layer.name(), f.fid));
            if (meets == 0) continue;
            SitePiece piece;
            piece.layer = layer.name();
            piece.role = take.role;
            piece.value = f.key;
            piece.fid = f.fid;
            if (GEOSPreparedCovers_r(h, p.prepared(), g) == 1) {
                piece.whole = true;  // its geometry is the site's (geom left null: no copy per layer)
                piece.areas = site.area;
            } else {
                // Adopted at once by the result's context, which outlives this worker's.
                piece.geom = adopt(m_ctx, polygonal_cut(ctx, Cut::intersection, g, f.usable(),
                                                        fmt::format("site '{}' ∩ layer '{}' feature {}", site.id,
                                                                    layer.name(), f.fid)));
                if (!piece.geom) continue;  // they meet only along an edge or at points
                piece.areas = w.meter.measure(ctx, piece.geom.get());
            }
            site.pieces.push_back(std::move(piece));
        }
        take.areas = union_area(ctx, w, site, layer.name(), {});
        take.areas.plan = std::min(take.areas.plan, site.area.plan);
        take.areas.ellip = std::min(take.areas.ellip, site.area.ellip);
        take.areas.geod = std::min(take.areas.geod, site.area.geod);
        take.outside = {site.area.plan - take.areas.plan, site.area.ellip - take.areas.ellip,
                        site.area.geod - take.areas.geod};
        take.share = site.area.ellip > 0 ? take.areas.ellip / site.area.ellip : 0.0;
        if (!take.class_field.empty()) {
            std::set<std::string> values;
            for (std::size_t k = first_piece; k < site.pieces.size(); ++k) values.insert(site.pieces[k].value);
            for (const auto& v : values) take.by_class.push_back({v, union_area(ctx, w, site, layer.name(), {v})});
            if (take.role == "parcels") take.cultivated = union_area(ctx, w, site, layer.name(), cultivated_classes());
        }
        site.takes.push_back(std::move(take));
    }
    // Distances: candidates within a growing box, until one lies within it.
    for (std::size_t li = 0; li < m_lines.size(); ++li) {
        const CheckLayer& layer = m_lines[li];
        SiteDistance d;
        d.layer = layer.name();
        d.clearance_m = m_clearance[li];
        double r = std::max(m_clearance[li].value_or(0.0), 100.0);
        double best = std::numeric_limits<double>::infinity();
        std::size_t best_feature = 0;
        std::set<std::size_t> measured;
        for (;;) {
            layer.index().query(grown(site.box, r), candidates);
            for (std::size_t c : candidates) {
                if (!measured.insert(c).second) continue;  // measured at a smaller box
                const CheckFeature& f = layer.features()[c];
                const PreparedGeom& p = w.prepare(ctx, m_takes.size() + li, layer, c, f.usable());
                double dist = 0;
                if (GEOSPreparedDistance_r(h, p.prepared(), g, &dist) != 1)
                    ctx.fail(fmt::format("distance from site '{}' to layer '{}' feature {}", site.id, layer.name(), f.fid));
                if (dist < best) {
                    best = dist;
                    best_feature = c;
                }
            }
            if (best <= r || candidates.size() == layer.features().size()) break;
            r *= 4;
        }
        if (std::isfinite(best)) {
            const CheckFeature& f = layer.features()[best_feature];
            d.found = true;
            d.fid = f.fid;
            d.key = f.key;
            d.plan_m = best;
            // The prepared feature's indexed search; its first point is on the feature, the second on the site.
            const PreparedGeom& p = w.prepare(ctx, m_takes.size() + li, layer, best_feature, f.usable());
            GEOSCoordSequence* seq = GEOSPreparedNearestPoints_r(h, p.prepared(), g);
            if (!seq) ctx.fail(fmt::format("nearest points of site '{}' and layer '{}' feature {}", site.id, layer.name(), f.fid));
            GEOSCoordSeq_getXY_r(h, seq, 0, &d.layer_x, &d.layer_y);
            GEOSCoordSeq_getXY_r(h, seq, 1, &d.site_x, &d.site_y);
            GeomPtr line = own(ctx, GEOSGeom_createLineString_r(h, seq));
            d.m = best > 0 ? w.pair.measure(ctx, line.get()).geod : 0.0;
            d.kept = !d.clearance_m || d.m >= *d.clearance_m;
        }
        site.distances.push_back(std::move(d));
    }
    // Protected points within their radius of the site.
    for (const PointLayer& layer : m_points) {
        layer.index.query(grown(site.box, layer.max_radius), candidates);
        std::vector<SitePoint> hits;
        for (std::size_t c : candidates) {
            const ProtectedPoint& p = layer.points[c];
            double dist = 0;
            if (GEOSDistance_r(h, g, p.geom.get(), &dist) != 1)
                ctx.fail(fmt::format("distance from site '{}' to point {} of layer '{}'", site.id, p.id, layer.name));
            double m = 0;
            if (dist > 0) {
                GEOSCoordSequence* seq = GEOSNearestPoints_r(h, g, p.geom.get());
                if (!seq) ctx.fail(fmt::format("nearest points of site '{}' and point {}", site.id, p.id));
                GeomPtr line = own(ctx, GEOSGeom_createLineString_r(h, seq));
                m = w.pair.measure(ctx, line.get()).geod;
            }
            if (m > p.radius) continue;
            hits.push_back({layer.name, p.fid, p.id, p.radius, m, dist == 0, p.x, p.y});
        }
        std::sort(hits.begin(), hits.end(), [](const SitePoint& a, const SitePoint& b) {
            return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.fid < b.fid;
        });
        site.points.insert(site.points.end(), hits.begin(), hits.end());
    }
    judge(ctx, w, site);
}

Areas Screener::union_area(GeosContext& ctx, Worker& w, const SiteResult& site, const std::string& layer,
                           const std::vector<std::string>& classes) const {
    std::vector<const GEOSGeometry*> parts;
    const SitePiece* one = nullptr;
    for (const auto& p : site.pieces) {
        if (p.layer != layer || (!classes.empty() && !class_matches(classes, p.value))) continue;
        if (p.whole) return site.area;
        parts.push_back(p.geom.get());
        one = &p;
    }
    if (parts.empty()) return {};
    if (parts.size() == 1) return one->areas;
    // The union, so that features that overlap each other are not counted twice.
    GeomPtr u = union_of(ctx, parts);
    return w.meter.measure(ctx, u.get());
}

void Screener::judge(GeosContext& ctx, Worker& w, SiteResult& site) const {
    site.verdict = Verdict::allowed;
    for (const ScreenRule& rule : m_result.rules) {
        std::string reason;
        switch (rule.measure) {
            case ScreenMeasure::take:
            case ScreenMeasure::share: {
                const SiteTake* t = site.take(rule.layer);
                if (!t) break;
                double m2 = t->areas.ellip;
                std::string which;
                if (!rule.classes.empty()) {
                    m2 = std::min(union_area(ctx, w, site, rule.layer, rule.classes).ellip, site.area.ellip);
                    for (const auto& c : t->by_class)
                        if (class_matches(rule.classes, c.value)) which += (which.empty() ? "" : "、") + c.value;
                }
                if (rule.measure == ScreenMeasure::take) {
                    if (m2 > rule.threshold.value_or(m_result.min_area))
                        reason = fmt::format("{}{}：{}", rule.wording, which.empty() ? "" : "（" + which + "）",
                                             area_words(m2));
                } else {
                    const double share = site.area.ellip > 0 ? m2 / site.area.ellip : 0.0;
                    if (share > rule.threshold.value_or(0.0))
                        reason = fmt::format("{}：占地块 {}%", rule.wording, fixed(100 * share, 2));
                }
                break;
            }
            case ScreenMeasure::outside: {
                const SiteTake* t = site.take(rule.layer);
                if (t && t->outside.ellip > rule.threshold.value_or(m_result.min_area))
                    reason = fmt::format("{}：{}", rule.wording, area_words(t->outside.ellip));
                break;
            }
            case ScreenMeasure::clearance: {
                const SiteDistance* d = site.distance(rule.layer);
                if (d && d->found && !d->kept)
                    reason = fmt::format("{}：距离 {} m，要求 {:g} m", rule.wording,
                                         fixed(std::floor(d->m * 100) / 100, 2), *d->clearance_m);
                break;
            }
            case ScreenMeasure::points: {
                std::string ids;
                std::size_t n = 0;
                for (const auto& p : site.points)
                    if (p.layer == rule.layer) {
                        ++n;
                        if (n <= 10) ids += (ids.empty() ? "" : "、") + p.id;
                    }
                if (static_cast<double>(n) > rule.threshold.value_or(0.0))
                    reason = fmt::format("{}：{} 处（{}{}）", rule.wording, n, ids, n > 10 ? "…" : "");
                break;
            }
        }
        if (reason.empty()) continue;
        site.reasons.push_back(std::move(reason));
        site.verdict = std::max(site.verdict, rule.verdict);
    }
}

ScreenResult Screener::run() {
    m_result.ctx = m_context;
    validate_screen(m_project, m_spec);
    m_result.rules = effective_screen_rules(m_project, m_spec);
    m_result.min_area = m_spec.min_area.value_or(m_project.min_area.value_or(1.0));

    // Which declared layers are measured how: by the spec, else by their geometry.
    std::vector<const LayerSpec*> plan;
    // The sites are not measured against themselves: a declared layer that is the sites layer is left out.
    for (const auto& l : m_project.plan.layers)
        if (!is_sites(l, m_spec.sites)) plan.push_back(&l);
    std::vector<LayerSpec> described;
    for (const auto* l : plan) described.push_back(*l);
    std::vector<LayerInfo> infos = describe_layers(described);
    std::vector<LayerInfo> all = infos;
    all.push_back(describe_layers({m_spec.sites}).front());
    m_result.analysis = choose_analysis_crs(all, m_project.plan.crs, m_result.notes);

    const auto named = [](const std::vector<std::string>& v, const std::string& n) {
        return std::find(v.begin(), v.end(), n) != v.end();
    };
    std::set<std::string> rule_takes, rule_points;
    for (const auto& r : m_result.rules) {
        if (r.measure == ScreenMeasure::take || r.measure == ScreenMeasure::share || r.measure == ScreenMeasure::outside)
            rule_takes.insert(r.layer);
        if (r.measure == ScreenMeasure::points) rule_points.insert(r.layer);
    }
    for (std::size_t i = 0; i < plan.size(); ++i) {
        const LayerSpec& spec = *plan[i];
        const ProtectSpec* protect = nullptr;
        for (const auto& p : m_spec.protect)
            if (p.layer == spec.name) protect = &p;
        std::optional<double> clearance;
        for (const auto& c : m_spec.clearances)
            if (c.layer == spec.name) clearance = c.m;
        const bool listed = m_spec.layers.empty() || named(m_spec.layers, spec.name) || rule_takes.count(spec.name);
        Shape shape = shape_of(infos[i].geometry_type);
        if (shape == Shape::point || (shape == Shape::unknown && (protect || rule_points.count(spec.name)))) {
            if (shape == Shape::point || protect) {
                if (clearance)
                    throw InputError(fmt::format("clearance {0}: layer '{0}' holds points; the distance kept from points "
                                                 "is their protection radius: protect {0} = METRES (--protect {0}=METRES)",
                                                 spec.name));
                m_points.push_back(load_points(m_ctx, spec, protect, m_result.analysis, m_result.warnings));
                m_result.point_layers.push_back(spec.name);
                continue;
            }
        }
        if (protect) throw InputError(fmt::format("protect {}: layer '{}' is not of points", spec.name, spec.name));
        const bool wanted = (shape != Shape::line && listed) || clearance || shape == Shape::line ||
                            shape == Shape::unknown;
        if (!wanted) continue;
        LayerSpec load = spec;
        load.key = class_field_of(m_spec, spec, infos[i]);
        CheckLayer layer = load_check_layer(m_ctx, load, m_result.analysis);
        for (const auto& n : layer.notes) m_result.notes.push_back(n);
        if (shape == Shape::unknown) shape = shape_of(m_ctx, layer);
        if (shape == Shape::polygon && listed) {
            if (clearance) {
                CheckLayer again = load_check_layer(m_ctx, spec, m_result.analysis);
                m_lines.push_back(std::move(again));
                m_clearance.push_back(clearance);
                m_result.distance_layers.push_back(spec.name);
            }
            m_takes.push_back(std::move(layer));
            m_take_roles.push_back(spec.role);
            m_class_fields.push_back(load.key);
            m_result.take_layers.push_back(spec.name);
        } else if (shape == Shape::line || clearance) {
            if (rule_takes.count(spec.name))
                throw InputError(fmt::format("screen rule on layer '{}': take/outside/share need polygons, and '{}' is "
                                             "not a polygon layer", spec.name, spec.name));
            m_lines.push_back(std::move(layer));
            m_clearance.push_back(clearance);
            m_result.distance_layers.push_back(spec.name);
        } else if (rule_takes.count(spec.name)) {
            throw InputError(fmt::format("screen rule on layer '{}': take/outside/share need polygons, and '{}' is "
                                         "not a polygon layer", spec.name, spec.name));
        }
    }
    for (const auto& p : m_spec.protect)
        if (!named(m_result.point_layers, p.layer))
            throw InputError(fmt::format("protect {}: layer '{}' is not of points", p.layer, p.layer));
    // Every rule can fire: its layer is measured the way its measure needs.
    for (const auto& r : m_result.rules) {
        const std::string where = r.line > 0 ? fmt::format("screen rule at line {} of '{}'", r.line, m_project.path)
                                             : fmt::format("screen rule '{}'", r.wording);
        const LayerSpec* declared = m_project.layer(r.layer);
        const std::string what = declared && is_sites(*declared, m_spec.sites) ? "the sites layer itself"
                                 : named(m_result.point_layers, r.layer)        ? "a layer of points"
                                 : named(m_result.distance_layers, r.layer)     ? "a layer of lines"
                                                                                : "not measured (see layers in [screen])";
        const auto take = std::find(m_result.take_layers.begin(), m_result.take_layers.end(), r.layer);
        switch (r.measure) {
            case ScreenMeasure::take:
            case ScreenMeasure::share:
            case ScreenMeasure::outside:
                if (take == m_result.take_layers.end())
                    throw InputError(fmt::format("{}: measure {} needs a polygon layer that is measured, and '{}' is {}",
                                                 where, screen_measure_name(r.measure), r.layer, what));
                if (!r.classes.empty() && m_class_fields[static_cast<std::size_t>(take - m_result.take_layers.begin())].empty())
                    throw InputError(fmt::format("{}: classes need a class field of layer '{}': give it one (by = {{ {} "
                                                 "= \"FIELD\" }} in [screen], --by {}=FIELD, or key = \"FIELD\")",
                                                 where, r.layer, r.layer, r.layer));
                break;
            case ScreenMeasure::points:
                if (!named(m_result.point_layers, r.layer))
                    throw InputError(fmt::format("{}: measure points needs a layer of points, and '{}' is {}", where,
                                                 r.layer, what));
                break;
            case ScreenMeasure::clearance:
                break;  // validate_screen: a clearance is declared; the loop above: not on points
        }
    }

    read_sites();

    WorkerPool pool(m_options.threads);
    std::vector<std::unique_ptr<Worker>> workers(pool.size());
    std::vector<std::size_t> screened;  // the sites without an error, in order
    for (std::size_t i = 0; i < m_result.sites.size(); ++i)
        if (m_result.sites[i].error.empty()) screened.push_back(i);
    constexpr std::size_t block = 256;
    for (std::size_t start = 0; start < screened.size(); start += block) {
        const std::size_t n = std::min(block, screened.size() - start);
        pool.for_each(n, [&](GeosContext& ctx, std::size_t k) {
            auto& w = workers[pool.worker_index(ctx)];
            if (!w) w = std::make_unique<Worker>(m_result.analysis, m_options.area);
            SiteResult& site = m_result.sites[screened[start + k]];
            screen_site(ctx, *w, site);
        });
        if (m_options.progress) m_options.progress(double(start + n) / double(screened.size()));
    }
    workers.clear();
    return std::move(m_result);
}

}  // namespace

ScreenResult run_screen(const Project& project, const ScreenSpec& spec, const ScreenOptions& options) {
    Screener screener(project, spec, options);
    return screener.run();
}

}  // namespace zk
