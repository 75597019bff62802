// Converting layers between formats with zonekit's conventions (`zonekit export`, and the analysis.gpkg of
// `zonekit run`): every layer read into one CRS (the analysis CRS unless told otherwise), optionally with the
// three areas added as fields, and written as
//   - GeoPackage: several layers in one file, each with a spatial index and, by its role, QGIS's default
//     style in layer_styles;
//   - GeoJSON: RFC 7946 (WGS 84 lon/lat, 7 decimals, counter-clockwise exteriors, no "crs") unless keep_crs;
//   - Shapefile: .prj, .cpg (UTF-8 or GBK), field names shortened to 10 bytes and reported;
//   - CSV: the attributes and the geometry as WKT (column "WKT"), UTF-8;
// and, through LayerWriter, FlatGeobuf and KML. All written atomically (see output.hpp).
#pragma once

#include "zonekit/checks/check.hpp"
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/ops/area_table.hpp"

#include <optional>
#include <string>
#include <vector>

namespace zk {

struct ExportOptions {
    // export_layers: the CRS to write in; nullopt = the analysis CRS chosen from the layers
    // (choose_analysis_crs: their projected CRS, else the nearest CGCS2000 Gauss–Kruger zone).
    std::optional<Crs> crs;
    // Add plan_m2, ellip_m2 and geod_m2 (m², as `zonekit area -o`) to polygon layers; other layers are
    // written without them, with a warning.
    bool areas = false;
    // How the areas are measured: densify_m (invalid polygons are repaired and listed, or refused with --strict),
    // skip_empty (null/empty geometries get area 0 instead of stopping). `by` is not used.
    MeasureOptions measure;
    // overwrite, inputs never written over (the sources are added by export_layers), keep_crs (GeoJSON),
    // encoding (Shapefile). `role` is not used: a layer's role is its LayerSpec::role.
    OutputOptions output;
};

struct ExportedLayer {
    std::string source;        // the file it was read from
    std::string source_layer;  // its name there
    std::string name;          // its name in the output
    std::string role;          // "" = none
    bool styled = false;       // it has a default style in layer_styles (GeoPackage, role with a style)
    std::string geometry_type; // as written, e.g. "Multi Polygon"
    std::int64_t features = 0;
    bool areas = false;        // plan_m2, ellip_m2, geod_m2 were added
    Areas total;               // their sum over the layer (m²), when `areas`
    std::vector<FieldRename> renamed;  // Shapefile field names shortened
};

struct ExportResult {
    std::string path;
    std::string driver;    // GDAL's short name: GPKG, GeoJSON, ESRI Shapefile, CSV, …
    Crs crs;               // the CRS the layers were read into (a GeoJSON is then RFC 7946 WGS 84 unless keep_crs)
    std::vector<ExportedLayer> layers;
    std::vector<std::string> notes;     // how the CRS was chosen, which layers were reprojected, the format
    std::vector<std::string> warnings;  // zone straddling, repaired polygons, layers without area fields, …
};

// Specs for the layers of `path` to export: those named in `names` (InputError naming the missing one and the
// layers there), or every layer that has a geometry (attribute tables such as layer_styles are left out).
// Each spec: name = the layer's name, layer = the same, source = `source`, role = `role` when given, else
// the role the layer's name suggests (guess_role in roles.hpp: districts, GHFQ, 规划分区 → districts, …), else "".
std::vector<LayerSpec> source_layer_specs(const std::string& path, const SourceOptions& source,
                                          const std::vector<std::string>& names, const std::string& role = {});

// Converts `layers` into `output`, whose extension names the format (see driver_for). A GeoPackage takes
// any number of layers (each named by LayerSpec::name, styled by LayerSpec::role); other formats exactly one
// (InputError otherwise). Throws InputError for bad input (with file, layer and feature) and OutputError when
// the output cannot be written; nothing is left behind then.
ExportResult export_layers(const std::vector<LayerSpec>& layers, const std::string& output,
                           const ExportOptions& options);

// Appends one layer to an open GeoPackage (e.g. the analysis.gpkg of `zonekit run`): `layer` read (path,
// layer, where, source options) into `crs`, named layer.name (else the source layer's name), with area
// fields when options.areas and the layer is polygonal, styled by layer.role when writer.finish() runs.
// options.crs and options.output are not used here. Warnings are appended to `warnings`.
ExportedLayer export_layer(GpkgWriter& writer, const LayerSpec& layer, const Crs& crs, const ExportOptions& options,
                           std::vector<std::string>& warnings);

}  // namespace zk
