// analysis.qgs: a QGIS 3.22 project (plain XML) over the layers of analysis.gpkg, so that a planner opens the
// run in QGIS and sees the plan in groups, in a planner's order, each layer styled.
//
// Groups, top to bottom in the legend (the top is drawn last): 检查结果 (findings, then overlay results, then
// attribute tables), 行政区划 (boundary: an outline, drawn over the fills), 三区三线 (redline, farmland, urban),
// 规划分区 (districts), 现状用地 (parcels, rivers, points and any input of another or no role) — the stack of
// zonekit's own map, so that no fill hides a control line. An empty group is left out, and so is a findings layer
// without features; one whose findings are all below tolerance is there but switched off. Within a group:
// points above lines above polygons above tables, then by the palette's stack (styles/palette.json
// draw_order: urban above redline above farmland), then in the GeoPackage's order.
//
// Each layer is an `ogr` layer "./analysis.gpkg|layername=NAME" (the project's paths are relative, so the
// directory can be moved or zipped whole) carrying the style layer_styles holds for it: the children of the
// QML's <qgis> element are the style elements of a <maplayer> (renderer-v2, labeling, blendMode, …), its
// attributes (labelsEnabled) the maplayer's. A layer without a stored style gets one plain symbol of its
// geometry. A layer holding several geometry types (the findings of `valid`, `within` and `clearance`: points
// and polygons) becomes one layer per type present ("NAME|geometrytype=Point", as QGIS itself splits such a
// layer), each drawn with a symbol of its type in the role's colours.
//
// The project CRS is the analysis CRS (WKT2, PROJ string and authority id), the default view the extent of the
// layers. The text holds no date, user or random id: the same GeoPackage gives the same bytes.
#pragma once

#include "zonekit/geometry/crs.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace zk {

enum class QgisGeometry { point, line, polygon, unknown, none };

// One layer of the project.
struct QgisLayer {
    std::string table;          // the layer's name in analysis.gpkg
    std::string title;          // its name in the legend; "" = table
    std::string role;           // its role (layer_roles()); "findings" for a findings layer; "" = none
    bool input = true;          // false: made by the run (an overlay or table result, findings)
    QgisGeometry geometry = QgisGeometry::polygon;
    std::string wkb_type;       // QGIS's name of its type: "MultiPolygon", "Point", "LineString", "NoGeometry", …
    std::string geometry_part;  // "" or, for one part of a layer of mixed types, "Point", "LineString", "Polygon"
    std::int64_t features = 0;
    bool visible = true;        // false: in the project but switched off (findings all below tolerance)
    bool has_extent = false;
    double xmin = 0, ymin = 0, xmax = 0, ymax = 0;  // in the project's CRS
    std::string qml;            // its style (a QML document); "" = one plain symbol of its geometry
};

// What a run knows of the layers it wrote: the name of each input with its role, and of each findings layer.
// A layer of the GeoPackage named by neither is a result (an overlay or a table).
struct QgisSource {
    std::string table;
    std::string role;
    bool findings = false;
};

// The group names, top to bottom in the legend.
const std::vector<std::string>& qgis_groups();
// The group of `layer`: 检查结果 for findings and results, else by its role (see above).
const std::string& qgis_group(const QgisLayer& layer);

// The layers of the GeoPackage at `gpkg_path` (not its layer_styles table), each with its geometry type, feature
// count, extent and default style from layer_styles (useAsDefault = 1); a layer of mixed geometry types as one
// entry per type present (titled "NAME（点）", "NAME（线）", "NAME（面）" when there are several). Roles from
// `sources`. A findings layer whose every finding is below tolerance (below_tolerance = 1) is not visible: a
// passing plan opens without them drawn. Throws OutputError naming the file when it cannot be read.
std::vector<QgisLayer> read_qgis_layers(const std::string& gpkg_path, const std::vector<QgisSource>& sources);

// The project's XML text: `layers` in groups (see above) from `gpkg_file` (a path relative to the project's
// directory, "analysis.gpkg"), CRS `crs`, title `title`.
std::string qgis_project_xml(const std::vector<QgisLayer>& layers, const Crs& crs,
                             const std::string& gpkg_file = "analysis.gpkg", const std::string& title = {});

}  // namespace zk
