// A GeoPackage with several layers (the findings of a check, one layer per rule; the corrected layers and the
// audit tables of a resolve), written atomically: into a temporary file beside the target, renamed into place
// by finish().
#pragma once

#include "zonekit/crs.hpp"
#include "zonekit/geos_context.hpp"
#include "zonekit/output.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <string>
#include <vector>

namespace zk {

class GpkgWriter {
public:
    // Throws OutputError when `path` is not a .gpkg, exists without overwrite, or cannot be created.
    GpkgWriter(const std::string& path, const OutputOptions& options);
    GpkgWriter(const GpkgWriter&) = delete;
    GpkgWriter& operator=(const GpkgWriter&) = delete;
    ~GpkgWriter();

    // Adds a layer (wkbNone: an attribute table) with the fields of `copy_fields` (may be null), then
    // `extra`. Returns its number for write().
    int add_layer(const std::string& name, const Crs& crs, OGRwkbGeometryType type,
                  const OGRFeatureDefn* copy_fields, const std::vector<ExtraField>& extra);
    OGRLayer* layer(int n) const { return m_layers.at(static_cast<std::size_t>(n)); }
    // A new feature of layer `n`, to fill by field name.
    OGRFeatureUniquePtr new_feature(int n) const;
    // Writes `feature` with `geom` (null: no geometry) converted from GEOS; polygons are forced to
    // MultiPolygon in a MultiPolygon layer.
    void write(GeosContext& ctx, int n, OGRFeature& feature, const GEOSGeometry* geom);
    // Commits, closes (a checked step) and moves the file into place.
    void finish();
    const std::string& path() const { return m_output.target(); }

private:
    AtomicOutput m_output;
    GDALDatasetUniquePtr m_ds;
    std::vector<OGRLayer*> m_layers;
    bool m_in_transaction = false;
};

}  // namespace zk
