// analysis.qgs: the QGIS project's XML from hand-built layers (groups and their order, the order within a
// group, empty findings left out, relative data sources, the CRS, the style embedded), and the layers read back
// from a GeoPackage written by GpkgWriter (counts, extents, stored styles, a layer of mixed types split).
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/present/qgis_project.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cpl_minixml.h>
#include <fmt/format.h>

#include <filesystem>

using namespace zk;
using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

QgisLayer layer(const std::string& table, const std::string& role, QgisGeometry geometry, std::int64_t features,
                bool input = true) {
    QgisLayer l;
    l.table = table;
    l.role = role;
    l.input = input;
    l.geometry = geometry;
    l.wkb_type = geometry == QgisGeometry::point  ? "Point"
                 : geometry == QgisGeometry::line ? "MultiLineString"
                 : geometry == QgisGeometry::none ? "NoGeometry"
                                                  : "MultiPolygon";
    l.features = features;
    if (geometry != QgisGeometry::none && features > 0) {
        l.has_extent = true;
        l.xmin = 500000, l.ymin = 3400000, l.xmax = 501000, l.ymax = 3401000;
    }
    return l;
}

// Where `needle` first is in `text` (npos: nowhere).
std::size_t at(const std::string& text, const std::string& needle) { return text.find(needle); }

// The names of the layer-tree elements (groups and layers) in document order.
std::vector<std::string> tree_names(const std::string& xml, const char* tag) {
    std::vector<std::string> out;
    const std::string open = fmt::format("<{} ", tag);
    for (std::size_t i = xml.find(open); i != std::string::npos; i = xml.find(open, i + 1)) {
        const std::size_t n = xml.find(" name=\"", i) + 7;
        out.push_back(xml.substr(n, xml.find('"', n) - n));
    }
    return out;
}

}  // namespace

TEST_CASE("qgis project: groups in a planner's order, findings on top, empty findings left out", "[qgis]") {
    // In the GeoPackage's order, which is not the legend's.
    std::vector<QgisLayer> layers = {
        layer("county", "boundary", QgisGeometry::polygon, 1),
        layer("districts", "districts", QgisGeometry::polygon, 5),
        layer("farmland", "farmland", QgisGeometry::polygon, 3),
        layer("redline", "redline", QgisGeometry::polygon, 2),
        layer("urban", "urban", QgisGeometry::polygon, 1),
        layer("parcels", "parcels", QgisGeometry::polygon, 386),
        layer("rivers", "rivers", QgisGeometry::line, 4),
        layer("trees", "points", QgisGeometry::point, 38),
        layer("wells", "", QgisGeometry::polygon, 7),  // an input of no role: 现状用地
        layer("parcels_in_urban", "parcels", QgisGeometry::polygon, 12, false),  // an overlay result
        layer("district_areas", "", QgisGeometry::none, 6, false),                // a table
        layer("no_overlap_redline_farmland", "findings", QgisGeometry::polygon, 1, false),
        layer("covers_county_districts", "findings", QgisGeometry::polygon, 0, false),  // empty: left out
        layer("valid_county", "findings", QgisGeometry::point, 2, false),
    };
    layers.back().geometry_part = "Point";
    layers.back().title = "valid_county（点）";
    const std::string xml = qgis_project_xml(layers, Crs::from_epsg(4544), "analysis.gpkg", "崇州 & 检查");

    // Well-formed.
    CPLXMLNode* tree = CPLParseXMLString(xml.c_str());
    REQUIRE(tree);
    CPLDestroyXMLNode(tree);

    CHECK(tree_names(xml, "layer-tree-group") == std::vector<std::string>{"检查结果", "行政区划", "三区三线", "规划分区", "现状用地"});
    // Top to bottom: findings (points before polygons), results, tables; points, lines, polygons (an input of no
    // role above the parcels, as the palette stacks it); the county outline over the control lines (urban over
    // redline over farmland) over the districts over the land use.
    CHECK(tree_names(xml, "layer-tree-layer") ==
          std::vector<std::string>{"valid_county（点）", "no_overlap_redline_farmland", "parcels_in_urban", "district_areas",
                                   "county", "urban", "redline", "farmland", "districts", "trees", "rivers", "wells",
                                   "parcels"});
    CHECK(at(xml, "covers_county_districts") == std::string::npos);

    // Data sources relative to the project, the part of a mixed layer by geometrytype.
    CHECK_THAT(xml, Contains("<datasource>./analysis.gpkg|layername=county</datasource>"));
    CHECK_THAT(xml, Contains("<datasource>./analysis.gpkg|layername=valid_county|geometrytype=Point</datasource>"));
    CHECK_THAT(xml, Contains("source=\"./analysis.gpkg|layername=trees\" providerKey=\"ogr\""));
    CHECK_THAT(xml, Contains("<provider encoding=\"UTF-8\">ogr</provider>"));
    CHECK_THAT(xml, Contains("<Absolute type=\"bool\">false</Absolute>"));
    // A title is escaped.
    CHECK_THAT(xml, Contains("<title>崇州 &amp; 检查</title>"));
    CHECK_THAT(xml, Contains("version=\"3.22.16-Białowieża\""));

    // The project CRS, and the view on the layers' extent.
    const std::size_t crs = at(xml, "<projectCrs>");
    REQUIRE(crs != std::string::npos);
    CHECK(at(xml, "<authid>EPSG:4544</authid>") > crs);
    CHECK_THAT(xml, Contains("<srid>4544</srid>"));
    CHECK_THAT(xml, Contains("<proj4>+proj=tmerc +lat_0=0 +lon_0=105"));
    CHECK_THAT(xml, Contains("<DefaultViewExtent xmin=\"500000\" ymin=\"3400000\" xmax=\"501000\" ymax=\"3401000\">"));
    // A table has no geometry, no CRS and no renderer.
    const std::size_t table = at(xml, "<layername>district_areas</layername>");
    REQUIRE(table != std::string::npos);
    const std::string table_layer = xml.substr(xml.rfind("<maplayer", table), xml.find("</maplayer>", table) - xml.rfind("<maplayer", table));
    CHECK_THAT(table_layer, Contains("geometry=\"No geometry\"") && Contains("wkbType=\"NoGeometry\""));
    CHECK(table_layer.find("renderer-v2") == std::string::npos);
    // A layer without a stored style gets a plain symbol of its geometry: a marker for the trees.
    const std::size_t trees = at(xml, "<layername>trees</layername>");
    CHECK(xml.find("<symbol type=\"marker\"", trees) < xml.find("</maplayer>", trees));

    // The same layers give the same bytes.
    CHECK(qgis_project_xml(layers, Crs::from_epsg(4544), "analysis.gpkg", "崇州 & 检查") == xml);

    // Groups without layers are left out.
    const std::string only = qgis_project_xml({layers[0], layers[12]}, Crs::from_epsg(4544));
    CHECK(tree_names(only, "layer-tree-group") == std::vector<std::string>{"行政区划"});
}

TEST_CASE("qgis project: the stored style is embedded in the map layer", "[qgis]") {
    QgisLayer d = layer("districts", "districts", QgisGeometry::polygon, 2);
    d.qml = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"1\">\n"
            "  <renderer-v2 type=\"categorizedSymbol\" attr=\"name\"><categories/><symbols/></renderer-v2>\n"
            "  <labeling type=\"simple\"/>\n</qgis>\n";
    const std::string xml = qgis_project_xml({d}, Crs::from_epsg(4544));
    const std::size_t layer_at = at(xml, "<maplayer ");
    REQUIRE(layer_at != std::string::npos);
    const std::string tag = xml.substr(layer_at, xml.find('>', layer_at) - layer_at);
    CHECK_THAT(tag, Contains("labelsEnabled=\"1\"") && Contains("type=\"vector\"") && Contains("geometry=\"Polygon\""));
    CHECK(tag.find("Symbology|Labeling") == std::string::npos);  // the maplayer's own styleCategories
    CHECK(xml.find("<renderer-v2 type=\"categorizedSymbol\" attr=\"name\">") > layer_at);
    CHECK(xml.find("<labeling type=\"simple\"/>") < xml.find("</maplayer>"));
    // A style that is not QML is refused, naming the layer.
    d.qml = "<StyledLayerDescriptor/>";
    CHECK_THROWS_WITH(qgis_project_xml({d}, Crs::from_epsg(4544)), Contains("'districts'") && Contains("QML"));
}

TEST_CASE("qgis project: layers read from a GeoPackage, a layer of mixed types split", "[qgis]") {
    TempDir dir;
    const Crs crs = Crs::from_epsg(4544);
    {
        GpkgWriter gpkg(dir / "analysis.gpkg", {});
        const int d = gpkg.add_layer("zones", crs, wkbMultiPolygon, nullptr, {{"name", OFTString}}, "districts");
        const int f = gpkg.add_layer("valid_zones", crs, wkbUnknown, nullptr, {{"rule", OFTString}}, "findings");
        const int e = gpkg.add_layer("covers_zones", crs, wkbMultiPolygon, nullptr, {{"rule", OFTString}}, "findings");
        const int t = gpkg.add_layer("zone_areas", crs, wkbNone, nullptr, {{"zone", OFTString}});
        const int s = gpkg.add_layer("slivers_zones", crs, wkbMultiPolygon, nullptr,
                                     {{"rule", OFTString}, {"below_tolerance", OFTInteger}}, "findings");
        auto put = [&](int n, const char* wkt, const char* field, const char* value) {
            OGRFeatureUniquePtr feature = gpkg.new_feature(n);
            feature->SetField(field, value);
            OGRGeometry* g = nullptr;
            if (wkt) OGRGeometryFactory::createFromWkt(wkt, nullptr, &g);
            gpkg.write(n, *feature, OGRGeometryUniquePtr(g));
        };
        put(d, "POLYGON((500000 3400000,500600 3400000,500600 3401000,500000 3401000,500000 3400000))", "name", "甲区");
        put(d, "POLYGON((500600 3400000,501000 3400000,501000 3401000,500600 3401000,500600 3400000))", "name", "乙区");
        put(f, "POINT(500100 3400200)", "rule", "valid");
        put(f, "POINT(500300 3400400)", "rule", "valid");
        put(f, "MULTIPOLYGON(((500000 3400000,500010 3400000,500010 3400010,500000 3400000)))", "rule", "valid");
        put(t, nullptr, "zone", "甲区");
        // A finding below tolerance only: in the project, switched off.
        OGRFeatureUniquePtr sliver = gpkg.new_feature(s);
        sliver->SetField("rule", "slivers");
        sliver->SetField("below_tolerance", 1);
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkt("POLYGON((500000 3400000,500001 3400000,500001 3401000,500000 3400000))", nullptr, &g);
        gpkg.write(s, *sliver, OGRGeometryUniquePtr(g));
        (void)e;
        gpkg.finish();
    }
    const auto layers = read_qgis_layers(dir / "analysis.gpkg", {{"zones", "districts", false},
                                                                 {"valid_zones", "findings", true},
                                                                 {"covers_zones", "findings", true},
                                                                 {"slivers_zones", "findings", true}});
    REQUIRE(layers.size() == 6);  // layer_styles is not one of them
    CHECK(layers[0].table == "zones");
    CHECK(layers[0].input);
    CHECK(layers[0].features == 2);
    CHECK(layers[0].wkb_type == "MultiPolygon");
    CHECK(layers[0].xmin == 500000);
    CHECK(layers[0].xmax == 501000);
    CHECK(layers[0].ymax == 3401000);
    // The style layer_styles holds: the districts' categories from the data.
    CHECK_THAT(layers[0].qml, Contains("categorizedSymbol") && Contains("甲区") && Contains("乙区"));
    // The findings of mixed types: points (in the findings' colours, categorized by rule) and polygons.
    CHECK(layers[1].table == "valid_zones");
    CHECK(layers[1].geometry == QgisGeometry::point);
    CHECK(layers[1].geometry_part == "Point");
    CHECK(layers[1].title == "valid_zones（点）");
    CHECK(layers[1].visible);
    CHECK(layers[1].features == 2);
    CHECK(layers[1].xmin == 500100);
    CHECK(layers[1].ymax == 3400400);
    CHECK_THAT(layers[1].qml, Contains("attr=\"rule\"") && Contains("<symbol type=\"marker\""));
    CHECK(layers[2].geometry == QgisGeometry::polygon);
    CHECK(layers[2].geometry_part == "Polygon");
    CHECK(layers[2].features == 1);
    CHECK_THAT(layers[2].qml, Contains("SimpleFill"));
    CHECK(layers[3].table == "covers_zones");
    CHECK(layers[3].features == 0);
    // (GDAL lists a GeoPackage's attribute tables after its layers with geometry.)
    CHECK(layers[4].table == "slivers_zones");
    CHECK(layers[4].features == 1);
    CHECK_FALSE(layers[4].visible);
    CHECK(layers[5].table == "zone_areas");
    CHECK_FALSE(layers[5].input);  // named by no source: a result
    CHECK(layers[5].geometry == QgisGeometry::none);
    CHECK(layers[5].features == 1);

    const std::string xml = qgis_project_xml(layers, crs);
    CHECK(tree_names(xml, "layer-tree-layer") ==
          std::vector<std::string>{"valid_zones（点）", "valid_zones（面）", "slivers_zones", "zone_areas", "zones"});
    CHECK_THAT(xml, Contains("name=\"slivers_zones\" source=\"./analysis.gpkg|layername=slivers_zones\" "
                             "providerKey=\"ogr\" checked=\"Qt::Unchecked\""));
    CHECK_THAT(xml, Contains("name=\"zones\" source=\"./analysis.gpkg|layername=zones\" providerKey=\"ogr\" "
                             "checked=\"Qt::Checked\""));
}
