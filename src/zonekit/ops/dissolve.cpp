#include "zonekit/ops/dissolve.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/ops/polygon_source.hpp"

#include <fmt/format.h>

#include <map>
#include <tuple>

namespace zk {

namespace {

// Sort order of the groups: null first, then numbers by value (for number fields) or text bytewise.
struct SortKey {
    bool not_null = false;
    double number = 0;
    std::string text;
    bool operator<(const SortKey& o) const {
        return std::tie(not_null, number, text) < std::tie(o.not_null, o.number, o.text);
    }
};

void collect_polygons(GeosContext& ctx, const GEOSGeometry* g, std::vector<GEOSGeometry*>& out) {
    const int type = GEOSGeomTypeId_r(ctx.handle(), g);
    if (type == GEOS_POLYGON) {
        if (!GEOSisEmpty_r(ctx.handle(), g)) out.push_back(GEOSGeom_clone_r(ctx.handle(), g));
        return;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(ctx.handle(), g);
        for (int i = 0; i < n; ++i) collect_polygons(ctx, GEOSGetGeometryN_r(ctx.handle(), g, i), out);
    }
}

}  // namespace

GeomPtr union_polygons(GeosContext& ctx, std::vector<GeomPtr> parts, bool coverage) {
    // One flat MultiPolygon of all the polygon parts (the collection takes ownership of the clones).
    std::vector<GEOSGeometry*> polys;
    for (const auto& p : parts)
        if (p) collect_polygons(ctx, p.get(), polys);
    parts.clear();
    GEOSGeometry* multi =
        GEOSGeom_createCollection_r(ctx.handle(), GEOS_MULTIPOLYGON, polys.data(), static_cast<unsigned>(polys.size()));
    if (!multi) {
        for (GEOSGeometry* p : polys) GEOSGeom_destroy_r(ctx.handle(), p);
        ctx.fail("cannot collect polygons for the union");
    }
    GeomPtr all = own(ctx, multi);
    if (polys.size() <= 1) return all;
    GEOSGeometry* u = coverage ? GEOSCoverageUnion_r(ctx.handle(), all.get()) : GEOSUnaryUnion_r(ctx.handle(), all.get());
    if (!u) ctx.fail(coverage ? "coverage union failed (do the polygons overlap? then drop --coverage)"
                              : "union failed");
    GeomPtr result = own(ctx, u);
    return polygonal_part(ctx, result.get());
}

DissolveResult dissolve_layer(GeosContext& ctx, LayerReader& reader, const Crs& analysis,
                              const DissolveOptions& options) {
    const LayerInfo& info = reader.info();
    int field = -1;
    bool numeric = false;
    struct Pending {
        DissolveGroup group;
        std::vector<GeomPtr> parts;
    };
    std::map<SortKey, Pending> groups;
    DissolveResult result;

    Feature feature;
    bool first = true;
    PolygonReader polygons(reader, "dissolve unions polygons");
    while (polygons.next(ctx, feature)) {
        if (first) {
            first = false;
            OGRFeatureDefn* defn = feature.ogr->GetDefnRef();
            field = defn->GetFieldIndex(options.by.c_str());
            if (field < 0) {
                std::string fields;
                for (const auto& f : info.fields) fields += (fields.empty() ? "" : ", ") + f.name;
                throw InputError(fmt::format("field '{}' not found in layer '{}' of '{}' (fields: {})", options.by,
                                             info.name, info.source, fields));
            }
            const OGRFieldType t = defn->GetFieldDefn(field)->GetType();
            numeric = t == OFTInteger || t == OFTInteger64 || t == OFTReal;
        }
        ++result.features;
        SortKey key;
        std::string text = "(null)";
        if (feature.ogr->IsFieldSetAndNotNull(field)) {
            key.not_null = true;
            text = feature.ogr->GetFieldAsString(field);
            if (numeric) key.number = feature.ogr->GetFieldAsDouble(field);
            key.text = text;
        }
        auto [it, inserted] = groups.try_emplace(key);
        Pending& p = it->second;
        if (inserted) {
            p.group.key = text;
            p.group.first.reset(feature.ogr->Clone());
        }
        ++p.group.count;
        if (feature.geom) p.parts.push_back(std::move(feature.geom));
    }

    std::size_t n = 0;
    const std::string listed =
        list_issues(reader.issues(), FeatureIssue::Kind::null_geometry, FeatureIssue::Kind::empty_geometry, n);
    if (n > 0)
        result.warnings.push_back(fmt::format("{} feature{} without geometry (null or empty) counted in their group "
                                              "but add no area:{}",
                                              n, n == 1 ? "" : "s", listed));
    for (std::string& w : issue_warnings(reader)) result.warnings.push_back(std::move(w));

    AreaMeter meter(analysis, options.area);
    for (auto& [key, p] : groups) {
        try {
            p.group.geom = union_polygons(ctx, std::move(p.parts), options.coverage);
        } catch (const GeosError& e) {
            throw GeosError(fmt::format("dissolving the {} features with {} = '{}' in layer '{}': {}", p.group.count,
                                        options.by, p.group.key, info.name, e.what()));
        }
        p.group.areas = meter.measure(ctx, p.group.geom.get());
        result.groups.push_back(std::move(p.group));
    }
    return result;
}

DissolveSchema::DissolveSchema(const OGRFeatureDefn* source, const std::string& by, const std::string& layer,
                               const std::string& where)
    : m_defn(new_feature_defn(layer)), m_by(source->GetFieldIndex(by.c_str())) {
    if (m_by < 0) throw InputError(fmt::format("field '{}' not found in layer '{}' of '{}'", by, layer, where));
    OGRFieldDefn field(source->GetFieldDefn(m_by));
    m_defn->AddFieldDefn(&field);
}

OGRFeatureUniquePtr DissolveSchema::row(const DissolveGroup& group) const {
    OGRFeatureUniquePtr f(new OGRFeature(m_defn.get()));
    if (group.first && group.first->IsFieldSetAndNotNull(m_by)) f->SetField(0, group.first->GetRawFieldRef(m_by));
    return f;
}

}  // namespace zk
