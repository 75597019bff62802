// A GeoPackage with several layers (the findings of a check, one layer per rule; the corrected layers and the
// audit tables of a resolve; the layers of an export), written atomically: into a temporary file beside the
// target, renamed into place by finish(). Layers have a spatial index (GDAL's default R-tree); a layer given a
// role gets that role's style as its default in QGIS's layer_styles table (see layer_styles.hpp).
#pragma once

#include "zonekit/geometry/crs.hpp"
#include "zonekit/geometry/geos_context.hpp"
#include "zonekit/io/gpkg_rtree.hpp"
#include "zonekit/io/output.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <memory>
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
    // `extra` (an extra named like a copied field is that field). `role` (one of layer_roles(), "" = none)
    // styles it. Returns its number for write().
    int add_layer(const std::string& name, const Crs& crs, OGRwkbGeometryType type,
                  const OGRFeatureDefn* copy_fields, const std::vector<ExtraField>& extra,
                  const std::string& role = {});
    // Styles layer `n` by `role` ("" = no style); the styles are written by finish().
    void set_role(int n, const std::string& role);
    // The key field of layer `n` (a project's `key = …`), which a districts style may take its categories
    // from (style_field in layer_styles.hpp).
    void set_style_key(int n, const std::string& key);
    OGRLayer* layer(int n) const { return m_layers.at(static_cast<std::size_t>(n)); }
    // A new feature of layer `n`, to fill by field name.
    OGRFeatureUniquePtr new_feature(int n) const;
    // Writes `feature` with `geom` (null: no geometry) converted from GEOS; polygons are forced to
    // MultiPolygon in a MultiPolygon layer.
    void write(GeosContext& ctx, int n, OGRFeature& feature, const GEOSGeometry* geom);
    // The same with a geometry already in OGR form, in the layer's CRS (taken; null: no geometry); the
    // feature's id is kept when it has one (OGRNullFID: the next free id).
    void write(int n, OGRFeature& feature, OGRGeometryUniquePtr geom);
    // Commits, writes the layer_styles rows, closes (a checked step) and moves the file into place.
    void finish();
    const std::string& path() const { return m_output.target(); }
    int layer_count() const { return static_cast<int>(m_layers.size()); }
    bool has_layer(const std::string& name) const;  // (without regard to case, as SQLite)
    // How many layers finish() styled (known after finish()).
    int styled() const { return m_styled; }

private:
    void write_feature(int n, OGRFeature& feature, OGRGeometry* geom);
    AtomicOutput m_output;
    GDALDatasetUniquePtr m_ds;
    std::vector<OGRLayer*> m_layers;
    std::vector<std::string> m_roles;
    std::vector<std::string> m_keys;
    std::vector<std::unique_ptr<RtreeCollector>> m_rtrees;  // per layer: its spatial index (null: no geometry)
    std::size_t m_rtree_limit;
    bool m_in_transaction = false;
    int m_styled = 0;
};

}  // namespace zk
