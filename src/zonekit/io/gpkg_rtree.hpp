#pragma once
// A GeoPackage spatial index (the gpkg_rtree_index extension) built in bulk.
//
// GDAL 3.6 builds a layer's index by inserting every feature into SQLite's R*Tree one at a time, which is
// about half of the time of an ogr2ogr copy to GeoPackage. LayerWriter and GpkgWriter instead write
// without an index, collect each feature's bounding box, and then pack the tree here (sort-tile-recursive)
// straight into SQLite's R*Tree node format: the same virtual table, shadow tables, triggers (GDAL's text)
// and gpkg_extensions row that GDAL writes, so GDAL, QGIS and ArcGIS read and update it as their own.

#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace zk {

// One feature's bounding box as an R*Tree cell holds it: floats, in the order minx, maxx, miny, maxy
// (24 bytes; a million features take 24 MB until the index is built).
struct RtreeEntry {
    std::int64_t id = 0;
    float box[4] = {0, 0, 0, 0};
};

// The entry of a box in doubles, rounded outwards to floats as SQLite does, so that it covers the box.
RtreeEntry rtree_entry(std::int64_t id, double minx, double maxx, double miny, double maxy);

// The boxes of one GeoPackage layer's features as a writer adds them (layer created with SPATIAL_INDEX=NO),
// and its index at the end. Memory stays bounded: past `limit` boxes (24 bytes each) the collector frees
// them and the index is left to GDAL's own build, which holds nothing per feature but is slower.
class RtreeCollector {
public:
    static constexpr std::size_t default_limit = std::size_t{1} << 22;  // 4,194,304 features: 96 MB
    explicit RtreeCollector(std::size_t limit = default_limit) : m_limit(limit) {}
    // Feature `fid` with geometry `g` (null and empty geometries are not indexed).
    void add(std::int64_t fid, const OGRGeometry* g);
    bool packed() const { return !m_overflow; }
    // Before the dataset closes: when there were too many boxes, GDAL builds the index of layer `layer`
    // (SELECT CreateSpatialIndex). Throws OutputError.
    void before_close(GDALDataset& ds, OGRLayer& layer, const std::string& target);
    // After the dataset at `path` is closed: otherwise, packs the index (create_gpkg_rtree).
    void after_close(const std::string& path);

private:
    std::size_t m_limit;
    bool m_overflow = false;
    std::vector<RtreeEntry> m_entries;
    std::string m_table, m_geom_column, m_fid_column;
};

// Creates the spatial index rtree_<table>_<column> of a GeoPackage feature table that has none, from the
// boxes of its non-empty geometries, with the triggers that keep it up to date and its gpkg_extensions
// row. The file must not be open in GDAL. Entries with a NaN coordinate are left out. Throws OutputError.
void create_gpkg_rtree(const std::string& path, const std::string& table, const std::string& geom_column,
                       const std::string& fid_column, std::vector<RtreeEntry> entries);

}  // namespace zk
