#include "zonekit/check_output.hpp"

#include "zonekit/error.hpp"
#include "zonekit/gdal_errors.hpp"

#include <fmt/format.h>

namespace zk {

GpkgWriter::GpkgWriter(const std::string& path, const OutputOptions& options) : m_output(path, options) {
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
                          const OGRFeatureDefn* copy_fields, const std::vector<ExtraField>& extra) {
    GdalErrorCapture capture;
    if (m_in_transaction) {
        m_ds->CommitTransaction();
        m_in_transaction = false;
    }
    OGRSpatialReference srs(crs.srs());
    OGRLayer* layer = m_ds->CreateLayer(name.c_str(), type == wkbNone ? nullptr : &srs, type, nullptr);
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
        OGRFieldDefn fd(field.name.c_str(), field.type);
        add(fd);
    }
    m_layers.push_back(layer);
    if (m_ds->StartTransaction() == OGRERR_NONE) m_in_transaction = true;
    return static_cast<int>(m_layers.size()) - 1;
}

OGRFeatureUniquePtr GpkgWriter::new_feature(int n) const {
    return OGRFeatureUniquePtr(OGRFeature::CreateFeature(layer(n)->GetLayerDefn()));
}

void GpkgWriter::write(GeosContext& ctx, int n, OGRFeature& feature, const GEOSGeometry* geom) {
    GdalErrorCapture capture;
    OGRLayer* target = layer(n);
    if (geom) {
        OGRGeometry* g = OGRGeometryFactory::createFromGEOS(ctx.handle(), const_cast<GEOSGeometry*>(geom));
        if (!g) throw OutputError(fmt::format("cannot convert a geometry for layer '{}' in '{}'", target->GetName(), path()));
        if (wkbFlatten(target->GetGeomType()) == wkbMultiPolygon) g = OGRGeometryFactory::forceToMultiPolygon(g);
        g->assignSpatialReference(target->GetSpatialRef());
        feature.SetGeometryDirectly(g);
    }
    feature.SetFID(OGRNullFID);
    if (target->CreateFeature(&feature) != OGRERR_NONE)
        throw OutputError(fmt::format("cannot write a feature to layer '{}' in '{}': {}", target->GetName(), path(),
                                      capture.last_error()));
}

void GpkgWriter::finish() {
    GdalErrorCapture capture;
    if (m_in_transaction && m_ds->CommitTransaction() != OGRERR_NONE)
        throw OutputError(fmt::format("cannot commit '{}': {}", path(), capture.last_error()));
    m_in_transaction = false;
    m_ds.reset();
    if (capture.has_error())
        throw OutputError(fmt::format("cannot finish writing '{}': {}", path(), capture.last_error()));
    m_output.commit();
}

}  // namespace zk
