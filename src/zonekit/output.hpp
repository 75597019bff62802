// Outputs written atomically: into a temporary file beside the target, renamed into place when complete.
// An existing target is replaced only when asked; an output that is one of the inputs is refused.
#pragma once

#include "zonekit/crs.hpp"
#include "zonekit/geos_context.hpp"
#include "zonekit/gpkg_rtree.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace zk {

struct OutputOptions {
    bool overwrite = false;
    std::vector<std::string> inputs;  // paths that must not be written over
    // GeoJSON: false (default) writes RFC 7946 — WGS 84 longitude/latitude, 7 decimals, exterior rings
    // counter-clockwise, no "crs" member; true writes the layer's own CRS (e.g. CGCS2000 / Gauss–Kruger, full
    // precision) named in a "crs" member (urn:ogc:def:crs:EPSG::4544). Other formats always keep the CRS.
    bool keep_crs = false;
    // Shapefile text: "UTF-8" (.cpg "UTF-8") or "GBK" (.cpg "936" and DBF language driver id 0x4D, CP936).
    // GeoPackage, GeoJSON and CSV are always UTF-8.
    std::string encoding = "UTF-8";
    // GeoPackage written by LayerWriter: the role (layer_roles()) whose style goes into layer_styles as the
    // layer's default; "" = none. (GpkgWriter takes a role per layer.)
    std::string role{};
    // GeoPackage: the most features whose boxes are held for the packed spatial index (gpkg_rtree.hpp);
    // a layer with more gets GDAL's slower index build instead.
    std::size_t rtree_limit = RtreeCollector::default_limit;
};

// "UTF-8" or "GBK" for the spellings of either (utf8, gbk, cp936, 936, gb2312); throws InputError otherwise.
std::string output_encoding(const std::string& text);

// Throws OutputError when `target` exists and overwrite is off, or when it is one of the inputs. Names are
// compared as a case-insensitive file system compares them, and a Shapefile by all its files: `target` exists
// when a file of its name, or for a .shp any of its sidecars (.shp .shx .dbf .prj .cpg .qix .sbn .sbx), is in
// its directory in any letter case; it is an input when it, or one of those files, is an input or an input's
// sidecar in any letter case, or the same file through a symlink, `.`/`..` or a hard link (st_dev+st_ino).
// An output that is an input is refused even with overwrite.
void check_output_path(const std::string& target, const OutputOptions& options);

// A temporary path beside the target that becomes the target on commit(); removed if never committed.
// For a Shapefile the temporary is a directory and every sidecar file (.shp .shx .dbf .prj .cpg) moves.
class AtomicOutput {
public:
    AtomicOutput(std::string target, const OutputOptions& options);
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;
    ~AtomicOutput();

    const std::string& target() const { return m_target; }
    const std::string& temp_path() const { return m_temp; }
    void commit();

private:
    std::string m_target;
    std::string m_temp;
    std::filesystem::path m_temp_dir;  // for shapefiles
    bool m_committed = false;
};

// Writes `text` to `path` atomically.
void write_text_file(const std::string& path, const std::string& text, const OutputOptions& options);

// GDAL driver for an output path by its extension (.gpkg, .geojson/.json, .shp, .csv, .kml, .fgb).
// (.csv is a layer with a WKT column for LayerWriter; is_vector_output() leaves it to the table writers.)
std::string driver_for(const std::string& path);
bool is_vector_output(const std::string& path);

struct ExtraField {
    std::string name;
    OGRFieldType type = OFTReal;
};

// A field written under another name than its own.
struct FieldRename {
    std::string original;
    std::string written;
};

// The names fields get in a Shapefile, whose DBF holds at most `max_bytes` bytes per name, counted in the
// output `encoding` ("UTF-8": 3 bytes per Chinese character; "GBK": 2): names that fit are kept (compared
// without case, as DBF readers do); each longer one, in order, is cut on a character boundary to fit, and
// when that is taken gets _1, _2, … (cut further to stay within the limit). Same input, same names.
std::vector<std::string> shapefile_field_names(const std::vector<std::string>& names, const std::string& encoding,
                                               std::size_t max_bytes = 10);

// Writes one layer: the fields of a source definition plus extra fields, geometry from GEOS in `crs`.
// An extra field named like a source field replaces it. Shapefile field names are shortened (see
// shapefile_field_names; renamed_fields() lists them), GeoJSON follows options.keep_crs, a Shapefile
// options.encoding, a GeoPackage gets options.role's style, a .csv gets its geometry as a WKT column.
class LayerWriter {
public:
    LayerWriter(const std::string& path, const std::string& layer_name, const Crs& crs, OGRwkbGeometryType geom_type,
                const OGRFeatureDefn* source_fields, const std::vector<ExtraField>& extra,
                const OutputOptions& options);
    LayerWriter(const LayerWriter&) = delete;
    LayerWriter& operator=(const LayerWriter&) = delete;
    ~LayerWriter();

    // Copies the source attributes (by position in source_fields), sets the extra fields, writes.
    void write(GeosContext& ctx, const OGRFeature* source, const GEOSGeometry* geom,
               const std::vector<double>& extra_values);
    // The same with a geometry already in OGR form (taken; forced to MultiPolygon for such a layer).
    void write(const OGRFeature* source, OGRGeometryUniquePtr geom, const std::vector<double>& extra_values);
    // Closes the dataset (a checked step) and moves it into place.
    void finish();
    std::int64_t written() const { return m_written; }
    // Fields written under a shorter name (Shapefile only), in field order.
    const std::vector<FieldRename>& renamed_fields() const { return m_renamed; }
    const std::string& driver() const { return m_driver; }
    // Warnings for the caller to show: Shapefile text values longer than a DBF field holds (254 bytes in the
    // output encoding), each cut by GDAL, named by feature id, field and byte length (the first 20; then a
    // count). Complete after finish().
    const std::vector<std::string>& warnings() const { return m_warnings; }
    static constexpr std::size_t max_shapefile_text_bytes = 254;
    static constexpr std::size_t max_truncation_warnings = 20;

private:
    void check_text_widths(const OGRFeature& feature, const OGRFeature* source);
    void write_feature(const OGRFeature* source, OGRGeometry* geom, const std::vector<double>& extra_values);
    AtomicOutput m_output;
    std::string m_driver;
    GDALDatasetUniquePtr m_ds;
    OGRLayer* m_layer = nullptr;
    int m_source_field_count = 0;
    std::vector<int> m_extra_index;
    std::int64_t m_written = 0;
    bool m_in_transaction = false;
    std::vector<FieldRename> m_renamed;
    std::vector<std::string> m_warnings;
    std::size_t m_truncated = 0;
    std::string m_encoding;
    std::string m_role;
    // GeoPackage: the boxes of the features written, for the spatial index packed by finish().
    std::unique_ptr<RtreeCollector> m_rtree;
};

}  // namespace zk
