// Outputs written atomically: into a temporary file beside the target, renamed into place when complete.
// An existing target is replaced only when asked; an output that is one of the inputs is refused.
#pragma once

#include "zonekit/crs.hpp"
#include "zonekit/geos_context.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <string>
#include <vector>

namespace zk {

struct OutputOptions {
    bool overwrite = false;
    std::vector<std::string> inputs;  // paths that must not be written over
};

// Throws OutputError when `target` exists and overwrite is off, or when it is one of the inputs.
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
std::string driver_for(const std::string& path);
bool is_vector_output(const std::string& path);

struct ExtraField {
    std::string name;
    OGRFieldType type = OFTReal;
};

// Writes one layer: the fields of a source definition plus extra fields, geometry from GEOS in `crs`.
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

private:
    void write_feature(const OGRFeature* source, OGRGeometry* geom, const std::vector<double>& extra_values);
    AtomicOutput m_output;
    std::string m_driver;
    GDALDatasetUniquePtr m_ds;
    OGRLayer* m_layer = nullptr;
    int m_source_field_count = 0;
    std::vector<int> m_extra_index;
    std::int64_t m_written = 0;
    bool m_in_transaction = false;
};

}  // namespace zk
