#include "zonekit/io/gpkg_writer.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"
#include "zonekit/io/gpkg_rtree.hpp"
#include "zonekit/io/layer_styles.hpp"

#include <fmt/format.h>

namespace zk {

GpkgWriter::GpkgWriter(const std::string& path, const OutputOptions& options)
    : m_output(path, options), m_rtree_limit(options.rtree_limit) {
    if (driver_for(path) != "GPKG")
        throw OutputError(fmt::format("cannot write '{}': this output holds several layers, so it must be a "
                                      "GeoPackage (.gpkg)",
                                      path));
    gdal_init();
    GdalErrorCapture capture;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw OutputError(fmt::format("GDAL has no 'GPKG' driver to write '{}'", path));
    m_ds.reset(driver->Create(m_output.temp_path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!m_ds) throw OutputError(fmt::format("cannot create '{}': {}", path, capture.last_error()));
}

GpkgWriter::~GpkgWriter() = default;

int GpkgWriter::add_layer(const std::string& name, const Crs& crs, OGRwkbGeometryType type,
                          const OGRFeatureDefn* copy_fields, const std::vector<ExtraField>& extra,
                          const std::string& role) {
    require_layer_role(role, name);
    if (has_layer(name))
        throw OutputError(fmt::format("cannot add layer '{}' to '{}': it already holds a layer of that name", name, path()));
    GdalErrorCapture capture;
    if (m_in_transaction) {
        m_ds->CommitTransaction();
        m_in_transaction = false;
    }
    OGRSpatialReference srs(crs.srs());
    // The spatial index is packed by finish() (gpkg_rtree.hpp), not grown feature by feature by GDAL.
    CPLStringList options;
    options.SetNameValue("SPATIAL_INDEX", "NO");
    OGRLayer* layer = m_ds->CreateLayer(name.c_str(), type == wkbNone ? nullptr : &srs, type, options.List());
    if (!layer)
        throw OutputError(fmt::format("cannot create layer '{}' in '{}': {}", name, path(), capture.last_error()));
    auto add = [&](OGRFieldDefn& fd) {
        if (layer->CreateField(&fd) != OGRERR_NONE)
            throw OutputError(fmt::format("cannot create field '{}' of layer '{}' in '{}': {}", fd.GetNameRef(), name,
                                          path(), capture.last_error()));
    };
    if (copy_fields)
        for (int i = 0; i < copy_fields->GetFieldCount(); ++i) {
            OGRFieldDefn fd(copy_fields->GetFieldDefn(i));
            add(fd);
        }
    for (const auto& field : extra) {
        if (layer->GetLayerDefn()->GetFieldIndex(field.name.c_str()) >= 0) continue;
        OGRFieldDefn fd(field.name.c_str(), field.type);
        add(fd);
    }
    m_layers.push_back(layer);
    m_roles.push_back(role);
    m_keys.emplace_back();
    m_rtrees.push_back(type == wkbNone ? nullptr : std::make_unique<RtreeCollector>(m_rtree_limit));
    if (m_ds->StartTransaction() == OGRERR_NONE) m_in_transaction = true;
    return static_cast<int>(m_layers.size()) - 1;
}

OGRFeatureUniquePtr GpkgWriter::new_feature(int n) const {
    return OGRFeatureUniquePtr(OGRFeature::CreateFeature(layer(n)->GetLayerDefn()));
}

void GpkgWriter::set_role(int n, const std::string& role) {
    require_layer_role(role, layer(n)->GetName());
    m_roles.at(static_cast<std::size_t>(n)) = role;
}

void GpkgWriter::set_style_key(int n, const std::string& key) { m_keys.at(static_cast<std::size_t>(n)) = key; }

bool GpkgWriter::has_layer(const std::string& name) const {
    for (OGRLayer* l : m_layers)
        if (EQUAL(l->GetName(), name.c_str())) return true;
    return false;
}

void GpkgWriter::write(GeosContext& ctx, int n, OGRFeature& feature, const GEOSGeometry* geom) {
    OGRGeometry* g = nullptr;
    if (geom) {
        g = OGRGeometryFactory::createFromGEOS(ctx.handle(), const_cast<GEOSGeometry*>(geom));
        if (!g)
            throw OutputError(fmt::format("cannot convert a geometry for layer '{}' in '{}'", layer(n)->GetName(), path()));
    }
    feature.SetFID(OGRNullFID);
    write_feature(n, feature, g);
}

void GpkgWriter::write(int n, OGRFeature& feature, OGRGeometryUniquePtr geom) { write_feature(n, feature, geom.release()); }

void GpkgWriter::write_feature(int n, OGRFeature& feature, OGRGeometry* g) {
    GdalErrorCapture capture;
    OGRLayer* target = layer(n);
    if (g) {
        if (wkbFlatten(target->GetGeomType()) == wkbMultiPolygon) g = OGRGeometryFactory::forceToMultiPolygon(g);
        g->assignSpatialReference(target->GetSpatialRef());
        feature.SetGeometryDirectly(g);
    }
    if (target->CreateFeature(&feature) != OGRERR_NONE) {
        const std::string id = feature.GetFID() == OGRNullFID ? "" : fmt::format(" {}", feature.GetFID());
        throw OutputError(fmt::format("cannot write feature{} to layer '{}' in '{}': {}", id, target->GetName(), path(),
                                      capture.last_error()));
    }
    if (auto& rtree = m_rtrees.at(static_cast<std::size_t>(n))) rtree->add(feature.GetFID(), feature.GetGeometryRef());
}

void GpkgWriter::finish() {
    GdalErrorCapture capture;
    if (m_in_transaction && m_ds->CommitTransaction() != OGRERR_NONE)
        throw OutputError(fmt::format("cannot commit '{}': {}", path(), capture.last_error()));
    m_in_transaction = false;
    std::vector<StyledLayer> styled;
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        if (!m_roles[i].empty()) styled.push_back({m_layers[i]->GetName(), m_roles[i], m_keys[i]});
    m_styled = write_layer_styles(*m_ds, styled, path());
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        if (m_rtrees[i]) m_rtrees[i]->before_close(*m_ds, *m_layers[i], path());
    m_ds.reset();
    if (capture.has_error())
        throw OutputError(fmt::format("cannot finish writing '{}': {}", path(), capture.last_error()));
    for (auto& rtree : m_rtrees)
        if (rtree) rtree->after_close(m_output.temp_path());
    m_output.commit();
}

}  // namespace zk
