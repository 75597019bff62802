// Fixture layers written with GDAL (not with zonekit), so that what zonekit reads is made independently of it.
#pragma once

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <string>
#include <vector>

namespace zk::test {

struct FixtureFeature {
    std::string wkt;                  // "" for a null geometry
    std::vector<std::string> values;  // one per field, as text
    GIntBig fid = OGRNullFID;         // the feature id to keep, or the driver's next one
};

// Writes one layer with GDAL: `driver` e.g. "GPKG", "GeoJSON", "ESRI Shapefile"; string fields; `epsg` 0 for no
// CRS; `options` are layer creation options ("ENCODING=CP936"). A GeoPackage that exists gets the layer added.
void write_layer(const std::string& path, const std::string& driver, const std::string& layer, int epsg,
                 OGRwkbGeometryType type, const std::vector<std::string>& fields,
                 const std::vector<FixtureFeature>& features, const std::vector<std::string>& options = {});

}  // namespace zk::test
