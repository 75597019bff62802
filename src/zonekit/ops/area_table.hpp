// Measuring a layer: areas per feature or per group of a field, shares, totals, warnings; and the table
// in CSV, JSON and Markdown.
#pragma once

#include "zonekit/base/units.hpp"
#include "zonekit/geometry/area.hpp"
#include "zonekit/io/source.hpp"

#include <functional>
#include <string>
#include <vector>

namespace zk {

struct AreaRow {
    std::string key;
    std::int64_t count = 0;
    Areas areas;  // m²
};

struct AreaTable {
    std::string source;
    std::string layer;
    std::string crs;         // "EPSG:4544"
    std::string by;          // the --by field, or "" for per feature
    double densify_m = 0;
    std::vector<AreaRow> groups;
    AreaRow total;
    std::vector<std::string> notes;     // how the CRS was chosen, reprojection
    std::vector<std::string> warnings;  // zone straddling, repaired geometries, skipped features
};

struct MeasureOptions {
    std::string by;            // group by this field; "" = one row per feature
    bool skip_empty = false;   // count null/empty geometries as area 0 instead of failing
    AreaOptions area;
};

// Called with each feature and its areas, in layer order (e.g. to write the layer with area fields).
using FeatureSink = std::function<void(GeosContext&, const Feature&, const GEOSGeometry*, const Areas&)>;

// Reads every feature of `reader` and measures it. Throws InputError (naming the layer and the features)
// for a layer that is not polygonal, for null/empty geometries unless skip_empty, and for a missing --by field.
// Invalid polygons follow the reader's policy (repaired and listed in the warnings, or refused with --strict).
AreaTable measure_layer(LayerReader& reader, const Crs& analysis, const MeasureOptions& options,
                        const FeatureSink& sink = {});

// The area of a whole layer by `method`, in m² — e.g. the boundary that is the control total of 面积平差.
// Features without geometry count 0.
struct LayerArea {
    double m2 = 0;
    std::int64_t features = 0;  // features with geometry
    std::vector<std::string> warnings;
};
LayerArea layer_area(LayerReader& reader, const Crs& analysis, const AreaOptions& area, AreaMethod method);

// The warning for a layer that reaches beyond the edge of its Gauss–Kruger zone, or "".
std::string zone_edge_warning(const Crs& analysis, const std::string& layer, double min_lon, double max_lon,
                              const Areas& outside_total, std::int64_t outside_count);

std::string area_table_csv(const AreaTable& table, AreaUnit unit);
std::string area_table_json(const AreaTable& table, AreaUnit unit);
std::string area_table_markdown(const AreaTable& table, AreaUnit unit);

}  // namespace zk
