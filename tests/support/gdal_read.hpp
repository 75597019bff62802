// Outputs read back with GDAL: a dataset, an SQL query's rows, every layer's fields, every feature as text.
#pragma once

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <map>
#include <string>
#include <vector>

namespace zk::test {

// A vector dataset opened read-only; fails the test when GDAL cannot open it.
GDALDatasetUniquePtr open_read(const std::string& path);

// The rows of an SQL query (for a GeoPackage, SQLite's dialect), each column as text, "NULL" when unset.
std::vector<std::vector<std::string>> query(GDALDataset& ds, const std::string& sql);
std::vector<std::vector<std::string>> query(const std::string& path, const std::string& sql);

// One feature's fields: as text ("NULL" when unset) and as numbers.
struct FeatureFields {
    std::map<std::string, std::string> text;
    std::map<std::string, double> real;
};

// The features' fields of one layer of a vector file ("": its first layer), in order.
std::vector<FeatureFields> read_features(const std::string& path, const std::string& layer = "");

// Every layer of a vector file (e.g. check's findings GeoPackage), by name: its features' fields, in order.
std::map<std::string, std::vector<FeatureFields>> read_all(const std::string& path);

// The sum of a numeric field over a layer's features (e.g. the areas a run wrote per feature).
double sum_field(const std::string& path, const std::string& layer, const std::string& field);

// Every feature of every layer of a vector file as text, in order: the layer name, then per feature its fields
// (reals in shortest round-trip form, so any difference in a bit shows) and its geometry as hex ISO WKB.
// For comparing outputs feature by feature (GeoPackages embed timestamps, so their bytes differ; the
// update_time of QGIS's layer_styles table is left out for the same reason).
std::vector<std::string> dump_features(const std::string& path);

// A geometry from WKT, with GDAL; fails the test on bad WKT.
OGRGeometryUniquePtr geometry(const std::string& wkt);

// Second measurements, independent of zonekit's, to check its areas against:
// the planar area of a layer's features summed by OGR (every layer's when `layer` is ""), each geometry first
// transformed by GDAL (PROJ) into EPSG:`epsg` (0: as stored), curves linearised by GDAL's defaults;
double gdal_plan_area(const std::string& path, const std::string& layer, int epsg);
// the geodesic area of a layer's polygons stored in lon/lat, by PROJ's geod_polygonarea (Karney) on the CGCS2000
// ellipsoid: edges are geodesics, not straight in lon/lat, which differs by far less than 1 m² per km² for edges
// of a few hundred metres or less.
double geodesic_area(const std::string& path, const std::string& layer);

}  // namespace zk::test
