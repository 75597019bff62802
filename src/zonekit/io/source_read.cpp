// Reading a layer's features into GEOS in the analysis CRS: reprojection with densified edges, Z and M dropped,
// invalid polygons repaired or refused, damaged, null and empty geometries noted.
#include "zonekit/io/source.hpp"
#include "zonekit/io/source_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace zk {

using namespace source_detail;

namespace {

// True when a polygon ring of `g` does not end where it starts (GEOS cannot read such a ring).
bool has_open_ring(const OGRGeometry& g) {
    const OGRwkbGeometryType type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon) {
        const OGRPolygon& p = *g.toPolygon();
        for (int i = 0; i < p.getNumInteriorRings() + 1; ++i) {
            const OGRLinearRing* r = i == 0 ? p.getExteriorRing() : p.getInteriorRing(i - 1);
            if (r && r->getNumPoints() > 0 && !r->get_IsClosed()) return true;
        }
        return false;
    }
    if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
        const auto& c = *g.toGeometryCollection();
        for (int i = 0; i < c.getNumGeometries(); ++i)
            if (has_open_ring(*c.getGeometryRef(i))) return true;
    }
    return false;
}

// True when every x and y of `g` is a number (OGR's envelope skips NaN, so it cannot tell; and OGR calls a
// point with a NaN coordinate empty, so IsEmpty cannot either). For a geometry that is not empty.
bool all_coordinates_numbers(const OGRGeometry& g) {
    struct Check : public OGRDefaultConstGeometryVisitor {
        bool ok = true;
        using OGRDefaultConstGeometryVisitor::visit;
        void visit(const OGRPoint* p) override {
            if (std::isnan(p->getX()) || std::isnan(p->getY())) ok = false;
        }
    } check;
    g.accept(&check);
    return check.ok;
}

}  // namespace

LayerReader::LayerReader(const Source& source, OGRLayer* layer, const Crs& analysis, const ReadOptions& options)
    : m_source(source), m_layer(layer), m_info(source.describe(layer)), m_options(options) {
    if (m_info.crs.empty()) throw InputError(no_crs_message(m_info));
    if (!m_info.warnings.empty()) {
        if (!source.options().assume_crs) throw InputError(m_info.warnings.front());
        m_info.crs = *source.options().assume_crs;
        m_info.crs_assumed = true;
    }
    if (!m_info.crs.same_as(analysis)) {
        m_transform.emplace(m_info.crs, analysis);
        m_edges.grid_step = edge_grid_step(m_info.crs);
    }
    m_projected_analysis = analysis.is_projected();
    if (!options.where.empty()) {
        GdalErrorCapture capture;
        if (m_layer->SetAttributeFilter(options.where.c_str()) != OGRERR_NONE)
            throw InputError(fmt::format("--where '{}' is not a valid filter for layer '{}' in '{}': {}",
                                         options.where, m_info.name, m_info.source, capture.last_error()));
    } else {
        m_layer->SetAttributeFilter(nullptr);
    }
    std::vector<const char*> ignored;
    if (options.only_fields && options.where.empty()) {
        OGRFeatureDefn* defn = m_layer->GetLayerDefn();
        std::vector<int> kept;  // as GDAL finds a field by name (without case)
        for (const auto& name : *options.only_fields) kept.push_back(defn->GetFieldIndex(name.c_str()));
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (std::find(kept.begin(), kept.end(), i) == kept.end()) ignored.push_back(defn->GetFieldDefn(i)->GetNameRef());
        ignored.push_back("OGR_STYLE");
    }
    m_ignoring = !ignored.empty();
    ignored.push_back(nullptr);
    m_layer->SetIgnoredFields(m_ignoring ? ignored.data() : nullptr);
    m_layer->ResetReading();
}

LayerReader::~LayerReader() {
    if (m_ignoring) m_layer->SetIgnoredFields(nullptr);
}

void LayerReader::reset() {
    m_layer->ResetReading();
    std::lock_guard lock(m_issues_mutex);
    m_issues.clear();
    m_flattened = 0;
}

std::string LayerReader::where(std::int64_t fid) const {
    return fmt::format("'{}' layer '{}' feature {}", m_info.source, m_info.name, fid);
}

std::size_t LayerReader::count(FeatureIssue::Kind kind) const {
    std::lock_guard lock(m_issues_mutex);
    std::size_t n = 0;
    for (const auto& issue : m_issues)
        if (issue.kind == kind) ++n;
    return n;
}

GeomPtr LayerReader::convert(GeosContext& ctx, OGRFeature& feature, bool& deferred) {
    deferred = false;
    const std::int64_t fid = feature.GetFID();
    OGRGeometry* g = feature.GetGeometryRef();
    if (!g) {
        std::vector<FeatureIssue> none{FeatureIssue::of(FeatureIssue::Kind::null_geometry, fid)};
        add_issues(none);
        return nullptr;
    }
    if (OGR_GT_IsNonLinear(g->getGeometryType())) {
        feature.SetGeometryDirectly(g->getLinearGeometry());
        g = feature.GetGeometryRef();
    }
    if (g->Is3D() || g->IsMeasured()) {
        g->flattenTo2D();
        ++m_flattened;
    }
    if (g->IsEmpty()) {
        std::vector<FeatureIssue> empty{FeatureIssue::of(FeatureIssue::Kind::empty_geometry, fid)};
        add_issues(empty);
        return own(ctx, GEOSGeom_createEmptyPolygon_r(ctx.handle()));
    }
    OGREnvelope env;
    g->getEnvelope(&env);
    if (!std::isfinite(env.MinX) || !std::isfinite(env.MinY) || !std::isfinite(env.MaxX) || !std::isfinite(env.MaxY) ||
        std::abs(env.MinX) > 1e15 || std::abs(env.MaxX) > 1e15 || std::abs(env.MinY) > 1e15 || std::abs(env.MaxY) > 1e15)
        throw InputError(fmt::format("{} has coordinates that are not finite or absurdly large ({} … {}). Fix or "
                                     "remove the feature",
                                     where(fid), env.MinX, env.MaxX));
    if (!all_coordinates_numbers(*g))
        throw InputError(fmt::format("{} has a coordinate that is not a number (NaN). Fix or remove the feature",
                                     where(fid)));
    if (m_options.validate && has_open_ring(*g)) {
        if (m_source.options().strict)
            throw InputError(fmt::format("{} has a ring that is not closed (its last point is not its first). "
                                         "--strict refuses invalid polygons; without it zonekit closes the ring",
                                         where(fid)));
        g->closeRings();
        std::vector<FeatureIssue> closed{
            FeatureIssue::of(FeatureIssue::Kind::repaired, fid, "a ring not closed; closed by its first point")};
        add_issues(closed);
    }
    if (m_transform) {
        std::string error;
        if (!transform_keeping_edges(*g, *m_transform, m_edges, error))
            throw InputError(fmt::format("{} cannot be transformed from {} to the analysis CRS: {}", where(fid),
                                         m_info.crs.label(), error));
    }
    if (m_projected_analysis) {
        // 100,000 km from the origin of a projected CRS is no place on Earth (the largest Gauss–Kruger
        // easting, with its zone prefix, is under 5×10⁷ m); such edges would also be densified into billions
        // of points when ellipsoidal areas are measured.
        g->getEnvelope(&env);
        constexpr double limit = 1e8;
        if (!(std::abs(env.MinX) <= limit && std::abs(env.MaxX) <= limit && std::abs(env.MinY) <= limit &&
              std::abs(env.MaxY) <= limit))
            throw InputError(fmt::format("{} reaches {:.6g}, {:.6g} … {:.6g}, {:.6g} in the analysis CRS, more than "
                                         "100,000 km from its origin: no real place. Is the layer's CRS right "
                                         "(--assume-crs), or are some of its coordinates broken?",
                                         where(fid), env.MinX, env.MinY, env.MaxX, env.MaxY));
    }
    if (m_options.defer_geos) {
        deferred = true;
        return nullptr;
    }
    std::vector<FeatureIssue> found;
    GeomPtr geom = to_geos(ctx, feature, found);
    add_issues(found);
    return geom;
}

GeomPtr LayerReader::to_geos(GeosContext& ctx, OGRFeature& feature, std::vector<FeatureIssue>& found) const {
    const std::int64_t fid = feature.GetFID();
    OGRGeometry* g = feature.GetGeometryRef();
    GdalErrorCapture capture;
    GEOSGeometry* raw = g->exportToGEOS(ctx.handle());
    if (!raw) {
        std::string cause = ctx.take_error();
        if (cause.empty()) cause = capture.last_error();
        throw InputError(fmt::format("{} has a geometry GEOS cannot read: {}. Repair it (e.g. close its rings) in "
                                     "the source",
                                     where(fid), cause));
    }
    GeomPtr geom = own(ctx, raw);
    bool changed = false;
    if (GEOSGeomTypeId_r(ctx.handle(), geom.get()) == GEOS_GEOMETRYCOLLECTION) {
        std::string dropped;
        geom = highest_dimension_parts(ctx, geom.get(), dropped);
        changed = true;
        if (!dropped.empty()) found.push_back(FeatureIssue::of(FeatureIssue::Kind::collection, fid, dropped));
    }
    if (m_options.validate && is_polygonal(ctx, geom.get())) {
        Validity v = check_validity(ctx, geom.get());
        if (!v.valid) {
            const SourceOptions& policy = m_source.options();
            if (policy.strict) throw invalid_polygon_refusal(where(fid), v, policy.make_valid_method);
            Repair repair = repair_polygonal(ctx, geom.get(), policy.make_valid_method);
            FeatureIssue issue = FeatureIssue::located(FeatureIssue::Kind::repaired, fid, v);
            issue.changed_m2 = repair.changed_plan_m2;
            issue.method = make_valid_method_name(policy.make_valid_method);
            found.push_back(std::move(issue));
            geom = std::move(repair.geom);
            changed = true;
        }
    }
    if (changed) {
        OGRGeometry* back = OGRGeometryFactory::createFromGEOS(ctx.handle(), geom.get());
        if (back) {
            back->assignSpatialReference(g->getSpatialReference());
            feature.SetGeometryDirectly(back);
        }
    }
    return geom;
}

void LayerReader::add_issues(std::vector<FeatureIssue>& found) const {
    if (found.empty()) return;
    std::lock_guard lock(m_issues_mutex);
    m_issues.insert(m_issues.end(), found.begin(), found.end());
}

std::vector<FeatureIssue> LayerReader::issues() const {
    std::lock_guard lock(m_issues_mutex);
    std::vector<FeatureIssue> out = m_issues;
    std::stable_sort(out.begin(), out.end(), [](const FeatureIssue& a, const FeatureIssue& b) { return a.fid < b.fid; });
    return out;
}

bool LayerReader::next(GeosContext& ctx, Feature& out) {
    for (;;) {
        GdalErrorCapture capture;
        OGRFeatureUniquePtr feature(m_layer->GetNextFeature());
        if (!feature) {
            if (capture.has_error())
                throw InputError(fmt::format("cannot read layer '{}' in '{}': {}. The file may be truncated or damaged",
                                             m_info.name, m_info.source, clause(capture.last_error())));
            return false;
        }
        // A geometry GDAL could not read comes as none, with an error: the feature is damaged, not without
        // geometry, and one policy decides it here, before any command sees the feature.
        if (!feature->GetGeometryRef() && capture.has_error()) {
            const std::int64_t fid = feature->GetFID();
            const std::string reason = clause(capture.last_error());
            if (!m_source.options().skip_damaged)
                throw InputError(fmt::format("{} has a damaged geometry: GDAL cannot read it ({}). Repair or "
                                             "remove the feature in the source, or pass --skip-damaged to leave "
                                             "such features out (they are counted)",
                                             where(fid), reason));
            std::vector<FeatureIssue> damaged{FeatureIssue::of(FeatureIssue::Kind::damaged, fid, reason)};
            add_issues(damaged);
            continue;
        }
        out.fid = feature->GetFID();
        bool deferred = false;
        out.geom = convert(ctx, *feature, deferred);
        out.deferred = deferred ? this : nullptr;
        out.ogr = std::move(feature);
        return true;
    }
}

void LayerReader::finish(GeosContext& ctx, Feature& f) const {
    if (!f.deferred) return;
    f.deferred = nullptr;
    if (!f.ogr || !f.ogr->GetGeometryRef()) return;
    std::vector<FeatureIssue> found;
    f.geom = to_geos(ctx, *f.ogr, found);
    add_issues(found);
}

bool is_polygonal_or_empty(GeosContext& ctx, const Feature& f) {
    if (f.geom) return GEOSisEmpty_r(ctx.handle(), f.geom.get()) == 1 || is_polygonal(ctx, f.geom.get());
    const OGRGeometry* g = f.deferred && f.ogr ? f.ogr->GetGeometryRef() : nullptr;
    if (!g || g->IsEmpty()) return true;
    const auto type = wkbFlatten(g->getGeometryType());
    // A collection is reduced to its polygons when it is finished (a collection without any is refused then).
    return type == wkbPolygon || type == wkbMultiPolygon || type == wkbGeometryCollection;
}

std::string geometry_type_name(GeosContext& ctx, const Feature& f) {
    if (f.geom) return geometry_type_of(ctx, f.geom.get());
    const OGRGeometry* g = f.ogr ? f.ogr->GetGeometryRef() : nullptr;
    return g ? OGRGeometryTypeToName(g->getGeometryType()) : "null geometry";
}

}  // namespace zk
