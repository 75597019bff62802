// Writing layers: GDAL drivers by extension, Shapefile field names and text widths, styles and spatial index.
// The files themselves (temporaries, checks, locks, put in place) are output_files.hpp's.
#pragma once

#include "zonekit/geometry/crs.hpp"
#include "zonekit/geometry/geos_context.hpp"
#include "zonekit/io/gpkg_rtree.hpp"
#include "zonekit/io/output_files.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace zk {

class GdalErrorCapture;

// "UTF-8" or "GBK" for the spellings of either (utf8, gbk, cp936, 936, gb2312); throws InputError otherwise.
std::string output_encoding(const std::string& text);

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
    // output encoding), each cut by GDAL, named by feature id, field and byte length; and what else the driver
    // said it could not hold (a number wider than its DBF field), named by feature (the first 20 of each; then
    // a count). Complete after finish().
    const std::vector<std::string>& warnings() const { return m_warnings; }
    static constexpr std::size_t max_shapefile_text_bytes = 254;
    static constexpr std::size_t max_truncation_warnings = 20;

private:
    void check_text_widths(const OGRFeature& feature, const OGRFeature* source);
    // Why a step failed: the recorded write failure when there is one, else what GDAL said.
    std::string why(const GdalErrorCapture& capture) const;
    void write_feature(const OGRFeature* source, OGRGeometry* geom, const std::vector<double>& extra_values);
    AtomicOutput m_output;
    std::string m_driver;
    GDALDatasetUniquePtr m_ds;
    OGRLayer* m_layer = nullptr;
    int m_source_field_count = 0;
    std::vector<int> m_field_index;  // the layer's index of each field made, in order (source fields first)
    std::vector<int> m_extra_index;  // the layer's index of each extra field
    std::int64_t m_written = 0;
    bool m_in_transaction = false;
    std::vector<FieldRename> m_renamed;
    std::vector<std::string> m_warnings;
    std::size_t m_truncated = 0;
    std::size_t m_driver_warnings = 0;  // GDAL's warnings while writing features (a number wider than its field)
    std::string m_encoding;
    std::string m_role;
    // GeoPackage: the boxes of the features written, for the spatial index packed by finish().
    std::unique_ptr<RtreeCollector> m_rtree;
};

}  // namespace zk
