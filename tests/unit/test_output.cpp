// Output formats: Shapefile field names, GeoPackage styles (layer_styles), RFC 7946 GeoJSON, GBK Shapefiles,
// CSV with WKT. Every output is read back with GDAL (or parsed as JSON, or as raw bytes); expected values come
// from the formats' specifications and hand calculations.
#include "zonekit/base/error.hpp"
#include "zonekit/geometry/crs.hpp"
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/io/layer_styles.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/styles.hpp"

#include "support/files.hpp"
#include "support/gdal_read.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <regex>

using namespace zk;
using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) { return read_file(path); }

// A layer definition with string fields, for LayerWriter's source_fields.
struct Fields {
    OGRFeatureDefn* defn;
    explicit Fields(const std::vector<std::string>& names) : defn(new OGRFeatureDefn("src")) {
        defn->Reference();
        for (const auto& n : names) {
            OGRFieldDefn fd(n.c_str(), OFTString);
            defn->AddFieldDefn(&fd);
        }
    }
    ~Fields() { defn->Release(); }
    Fields(const Fields&) = delete;
    Fields& operator=(const Fields&) = delete;
    OGRFeatureUniquePtr feature(const std::vector<std::string>& values) const {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(defn));
        for (std::size_t i = 0; i < values.size(); ++i) f->SetField(static_cast<int>(i), values[i].c_str());
        return f;
    }
};

// The meridian arc of CGCS2000 from the equator to latitude `deg` (Simpson's rule on
// M = ∫ a(1−e²)/(1−e² sin²φ)^{3/2} dφ): the northing of that latitude on a Gauss–Kruger central meridian.
double meridian_arc(double deg) {
    const double a = 6378137.0, f = 1 / 298.257222101, e2 = f * (2 - f);
    const double phi = deg * M_PI / 180;
    const int n = 20000;
    auto m = [&](double t) { return a * (1 - e2) / std::pow(1 - e2 * std::sin(t) * std::sin(t), 1.5); };
    double s = m(0) + m(phi);
    for (int i = 1; i < n; ++i) s += (i % 2 ? 4 : 2) * m(phi * i / n);
    return s * phi / n / 3;
}

// Twice the signed area of a ring of [x, y] pairs: positive when counter-clockwise.
double signed_area(const nlohmann::json& ring) {
    double s = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        s += ring[i][0].get<double>() * ring[i + 1][1].get<double>() - ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    return s;
}

const std::vector<ExtraField> no_extra;

}  // namespace

TEST_CASE("Shapefile field names: names that fit stay, longer ones are cut on a character boundary and numbered",
          "[output][shapefile]") {
    // ASCII: 10 bytes.
    CHECK(shapefile_field_names({"name", "code"}, "UTF-8") == std::vector<std::string>{"name", "code"});
    CHECK(shapefile_field_names({"district_name"}, "UTF-8") == std::vector<std::string>{"district_n"});
    // Overlay's prefixed names: the second cut collides with the first and is numbered within 10 bytes.
    CHECK(shapefile_field_names({"a_landuse_code1", "a_landuse_code2", "b_landuse_code1"}, "UTF-8") ==
          std::vector<std::string>{"a_landuse_", "a_landus_1", "b_landuse_"});
    // A name that fits keeps it, even when a longer name before it would have been cut to the same.
    CHECK(shapefile_field_names({"district_name", "district_n"}, "UTF-8") ==
          std::vector<std::string>{"district_1", "district_n"});
    // DBF readers compare names without case.
    CHECK(shapefile_field_names({"NAME", "name"}, "UTF-8") == std::vector<std::string>{"NAME", "name_1"});
    // Chinese: 3 bytes a character in UTF-8 (3 characters fit), 2 in GBK (5 fit).
    CHECK(shapefile_field_names({"规划分区名称"}, "UTF-8") == std::vector<std::string>{"规划分"});
    CHECK(shapefile_field_names({"规划分区名称"}, "GBK") == std::vector<std::string>{"规划分区名"});
    CHECK(shapefile_field_names({"规划分区名称", "规划分区编码"}, "UTF-8") ==
          std::vector<std::string>{"规划分", "规划_1"});
    CHECK(shapefile_field_names({"规划分区名称", "规划分区编码"}, "GBK") ==
          std::vector<std::string>{"规划分区名", "规划分区编"});
    CHECK(shapefile_field_names({"规划分区名称1", "规划分区名称2"}, "GBK") ==
          std::vector<std::string>{"规划分区名", "规划分区_1"});
    // Mixed: "地类bm_code" = 3+3+7 bytes in UTF-8 → "地类bm_c" (10), in GBK 2+2+7 → "地类bm_cod" (10).
    CHECK(shapefile_field_names({"地类bm_code"}, "UTF-8") == std::vector<std::string>{"地类bm_c"});
    CHECK(shapefile_field_names({"地类bm_code"}, "GBK") == std::vector<std::string>{"地类bm_cod"});
    // Eleven long names with the same first 10 bytes: _1 … _9, then _10 within 10 bytes.
    std::vector<std::string> many;
    for (int i = 0; i < 11; ++i) many.push_back("population_" + std::to_string(i));
    const auto cut = shapefile_field_names(many, "UTF-8");
    CHECK(cut[0] == "population");
    CHECK(cut[1] == "populati_1");
    CHECK(cut[9] == "populati_9");
    CHECK(cut[10] == "populat_10");
    // The same input gives the same names.
    CHECK(shapefile_field_names(many, "UTF-8") == cut);
    CHECK_THROWS_AS(shapefile_field_names({"x"}, "latin1"), InputError);
}

TEST_CASE("output encodings: UTF-8 or GBK under their usual spellings", "[output]") {
    CHECK(output_encoding("utf8") == "UTF-8");
    CHECK(output_encoding("UTF-8") == "UTF-8");
    CHECK(output_encoding("") == "UTF-8");
    CHECK(output_encoding("gbk") == "GBK");
    CHECK(output_encoding("CP936") == "GBK");
    CHECK(output_encoding("936") == "GBK");
    CHECK_THROWS_WITH(output_encoding("latin1"), Contains("UTF-8 or GBK"));
}

TEST_CASE("layer_styles: QGIS's table, registered as attributes, one default row per styled layer", "[output][gpkg]") {
    TempDir dir;
    const std::string path = dir / "plan.gpkg";
    const Crs crs = Crs::from_epsg(4544);
    Fields fields({"名称", "code"});
    {
        OutputOptions options;
        options.role = "districts";
        LayerWriter w(path, "规划分区", crs, wkbMultiPolygon, fields.defn, {{"plan_m2", OFTReal}}, options);
        auto f = fields.feature({"天府粮仓核心示范区", "D1"});
        w.write(f.get(), geometry("POLYGON((380000 3390000,380100 3390000,380100 3390100,380000 3390100,380000 3390000))"),
                {10000.0});
        w.finish();
        CHECK(w.renamed_fields().empty());
    }
    auto ds = open_read(path);
    // The layer: UTF-8 names and values, its CRS, a spatial index (GDAL's R-tree table).
    OGRLayer* layer = ds->GetLayerByName("规划分区");
    REQUIRE(layer);
    CHECK(layer->GetFeatureCount() == 1);
    REQUIRE(layer->GetSpatialRef());
    CHECK(std::string(layer->GetSpatialRef()->GetAuthorityCode(nullptr)) == "4544");
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    REQUIRE(f);
    CHECK(std::string(f->GetFieldAsString("名称")) == "天府粮仓核心示范区");
    CHECK(f->GetFieldAsDouble("plan_m2") == 10000.0);
    CHECK(query(*ds, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'rtree_规划分区_geom'")[0][0] == "1");

    // Registered in gpkg_contents as an attribute table (QGIS lists it like the one it makes itself).
    const auto contents = query(*ds, "SELECT table_name, data_type FROM gpkg_contents ORDER BY table_name");
    CHECK(contents == std::vector<std::vector<std::string>>{{"layer_styles", "attributes"}, {"规划分区", "features"}});
    // QGIS's columns, in its order, with its SQL types.
    const auto columns = query(*ds, "SELECT name, type FROM pragma_table_info('layer_styles') ORDER BY cid");
    const std::vector<std::vector<std::string>> expected_columns = {
        {"id", "INTEGER"},           {"f_table_catalog", "TEXT(256)"}, {"f_table_schema", "TEXT(256)"},
        {"f_table_name", "TEXT(256)"}, {"f_geometry_column", "TEXT(256)"}, {"styleName", "TEXT(30)"},
        {"styleQML", "TEXT"},        {"styleSLD", "TEXT"},             {"useAsDefault", "BOOLEAN"},
        {"description", "TEXT"},     {"owner", "TEXT(30)"},            {"ui", "TEXT(30)"},
        {"update_time", "DATETIME"}};
    CHECK(columns == expected_columns);

    const auto rows = query(*ds, "SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
                                 "styleQML, styleSLD, useAsDefault, update_time FROM layer_styles");
    REQUIRE(rows.size() == 1);
    const auto& r = rows[0];
    CHECK(r[0] == "");  // QGIS looks a layer's style up with f_table_schema = '' (not NULL)
    CHECK(r[1] == "");
    CHECK(r[2] == "规划分区");
    CHECK(r[3] == "geom");
    CHECK(r[4] == "规划分区");
    // Districts are styled from the layer's data: no `name` field here, so its zone-name field 名称, whose one
    // value (a bundled name) keeps its colour.
    const RoleStyle expected = respelled(Palette::builtin().role("districts"), "名称").with_values({"天府粮仓核心示范区"});
    CHECK(r[5] == categorized_qml(expected));
    CHECK(r[6] == categorized_sld(expected));
    CHECK_THAT(r[5], Contains(R"(attr="名称")") && Contains(R"(<category render="true" value="天府粮仓核心示范区")") &&
                         Contains(R"(fieldName="名称")") && Contains(R"(<prop k="color" v="238,196,72,140"/>)"));
    CHECK(r[7] == "1");
    CHECK(r[8] == "NULL");  // not a timestamp: the same inputs give the same rows
}

TEST_CASE("GpkgWriter: a style row per layer with a role, none without; unknown roles refused", "[output][gpkg]") {
    TempDir dir;
    const std::string path = dir / "findings.gpkg";
    const Crs crs = Crs::from_epsg(4544);
    GeosContext ctx;
    {
        GpkgWriter w(path, {});
        const int a = w.add_layer("no_overlap_redline_farmland", crs, wkbMultiPolygon, nullptr, {{"rule", OFTString}},
                                  "findings");
        const int b = w.add_layer("districts", crs, wkbMultiPolygon, nullptr, {{"name", OFTString}});
        w.set_role(b, "districts");
        w.add_layer("resolve_pairs", crs, wkbNone, nullptr, {{"kept_layer", OFTString}});  // no role: no row
        CHECK_THROWS_WITH(w.add_layer("x", crs, wkbMultiPolygon, nullptr, {}, "roads"),
                          Contains("unknown role 'roads'") && Contains("districts"));
        CHECK_THROWS_WITH(w.add_layer("districts", crs, wkbMultiPolygon, nullptr, {}),
                          Contains("already holds a layer of that name"));
        auto f = w.new_feature(a);
        f->SetField("rule", "no-overlap");
        w.write(ctx, a, *f, from_wkt(ctx, "POLYGON((0 0,10 0,10 10,0 10,0 0))").get());
        w.finish();
        CHECK(w.styled() == 2);
    }
    auto ds = open_read(path);
    const auto rows = query(*ds, "SELECT f_table_name, styleName, useAsDefault, length(styleQML) > 0 FROM layer_styles "
                                 "ORDER BY id");
    CHECK(rows == std::vector<std::vector<std::string>>{{"no_overlap_redline_farmland", "no_overlap_redline_farmland", "1", "1"},
                                                        {"districts", "districts", "1", "1"}});
    const auto qml = query(*ds, "SELECT styleQML FROM layer_styles WHERE f_table_name = 'no_overlap_redline_farmland'");
    CHECK(qml[0][0] == std::string(*embedded_file("findings.qml")));
    // Every layer (and the style table) is in gpkg_contents.
    CHECK(query(*ds, "SELECT COUNT(*) FROM gpkg_contents")[0][0] == "4");
}

TEST_CASE("GeoJSON is RFC 7946 by default: WGS 84 lon/lat, 7 decimals, right-hand rule, no crs", "[output][geojson]") {
    TempDir dir;
    const std::string path = dir / "zones.geojson";
    // A 1 km square with a hole, drawn clockwise (and its hole counter-clockwise), in EPSG:4544 with its
    // south-west corner on the central meridian (105°E) at the northing of 30°N: that corner is (105, 30).
    const double n = meridian_arc(30.0);
    const std::string wkt = fmt::format(
        "POLYGON((500000 {0},500000 {1},501000 {1},501000 {0},500000 {0}),"
        "(500200 {2},500800 {2},500800 {3},500200 {3},500200 {2}))",
        n, n + 1000, n + 200, n + 800);
    Fields fields({"name"});
    {
        LayerWriter w(path, "zones", Crs::from_epsg(4544), wkbMultiPolygon, fields.defn, {{"plan_m2", OFTReal}}, {});
        auto f = fields.feature({"城市中央活力区"});
        w.write(f.get(), geometry(wkt), {1000.0 * 1000 - 600.0 * 600});
        w.finish();
    }
    const std::string text = slurp(path);
    const auto doc = nlohmann::json::parse(text);
    CHECK(doc["type"] == "FeatureCollection");
    CHECK_FALSE(doc.contains("crs"));
    REQUIRE(doc["features"].size() == 1);
    const auto& feature = doc["features"][0];
    CHECK(feature["properties"]["name"] == "城市中央活力区");
    CHECK(feature["properties"]["plan_m2"].get<double>() == 640000.0);
    const auto& geom = feature["geometry"];
    const auto polygons = geom["type"] == "Polygon" ? nlohmann::json::array({geom["coordinates"]}) : geom["coordinates"];
    REQUIRE(polygons.size() == 1);
    const auto& rings = polygons[0];
    REQUIRE(rings.size() == 2);
    CHECK(signed_area(rings[0]) > 0);  // exterior counter-clockwise
    CHECK(signed_area(rings[1]) < 0);  // hole clockwise
    bool corner = false;
    for (const auto& ring : rings)
        for (const auto& p : ring) {
            const double lon = p[0].get<double>(), lat = p[1].get<double>();
            CHECK(lon >= -180);
            CHECK(lon <= 180);
            CHECK(lat >= -90);
            CHECK(lat <= 90);
            CHECK(std::abs(lon - 105.005) < 0.01);  // 1 km ≈ 0.0104° of longitude at 30°N
            CHECK(std::abs(lat - 30.005) < 0.01);
            if (std::abs(lon - 105.0) < 1e-7 && std::abs(lat - 30.0) < 1e-7) corner = true;
        }
    CHECK(corner);
    // No coordinate has more than 7 decimals (as written in the file).
    const std::regex number(R"(-?\d+\.(\d+))");
    const std::string coords = text.substr(text.find("\"coordinates\""));
    std::size_t longest = 0;
    for (auto it = std::sregex_iterator(coords.begin(), coords.end(), number); it != std::sregex_iterator(); ++it)
        longest = std::max(longest, static_cast<std::size_t>((*it)[1].length()));
    CHECK(longest > 0);
    CHECK(longest <= 7);
}

TEST_CASE("GeoJSON with keep_crs: the analysis CRS, named in a crs member", "[output][geojson]") {
    TempDir dir;
    const std::string path = dir / "zones.geojson";
    OutputOptions options;
    options.keep_crs = true;
    {
        LayerWriter w(path, "zones", Crs::from_epsg(4544), wkbMultiPolygon, nullptr, {}, options);
        w.write(nullptr, geometry("POLYGON((380000 3390000,380100 3390000,380100 3390100,380000 3390000))"), {});
        w.finish();
    }
    const auto doc = nlohmann::json::parse(slurp(path));
    REQUIRE(doc.contains("crs"));
    CHECK(doc["crs"]["type"] == "name");
    CHECK_THAT(doc["crs"]["properties"]["name"].get<std::string>(), Contains("EPSG") && Contains("4544"));
    const auto& ring = doc["features"][0]["geometry"]["coordinates"][0][0];
    CHECK(ring[0][0].get<double>() == 380000.0);  // easting first, unchanged
    CHECK(ring[0][1].get<double>() == 3390000.0);
    auto ds = open_read(path);
    OGRLayer* layer = ds->GetLayer(0);
    REQUIRE(layer->GetSpatialRef());
    CHECK(std::string(layer->GetSpatialRef()->GetAuthorityCode(nullptr)) == "4544");
}

TEST_CASE("Shapefile in UTF-8: .prj in ESRI WKT, .cpg, shortened field names reported and read back",
          "[output][shapefile]") {
    TempDir dir;
    const std::string path = dir / "parcels.shp";
    Fields fields({"地类名称", "权属单位名称", "a_landuse_code1", "a_landuse_code2"});
    std::vector<FieldRename> renamed;
    {
        LayerWriter w(path, "parcels", Crs::from_epsg(4544), wkbMultiPolygon, fields.defn,
                      {{"plan_m2", OFTReal}, {"ellip_m2", OFTReal}}, {});
        auto f = fields.feature({"水田", "崇州市三江街道", "0101", "0102"});
        w.write(f.get(), geometry("POLYGON((380000 3390000,380100 3390000,380100 3390100,380000 3390100,380000 3390000))"),
                {10000.0, 9997.0});
        w.finish();
        renamed = w.renamed_fields();
    }
    // 地类名称 is 12 bytes in UTF-8, 权属单位名称 18: cut to 3 characters (9 bytes) each.
    REQUIRE(renamed.size() == 4);
    CHECK(renamed[0].original == "地类名称");
    CHECK(renamed[0].written == "地类名");
    CHECK(renamed[1].written == "权属单");
    CHECK(renamed[2].written == "a_landuse_");
    CHECK(renamed[3].written == "a_landus_1");
    CHECK(slurp(dir / "parcels.cpg") == "UTF-8");
    const std::string prj = slurp(dir / "parcels.prj");
    CHECK_THAT(prj, Contains("PROJCS[\"CGCS2000_3_Degree_GK_CM_105E\"") && Contains("Gauss_Kruger") &&
                        Contains("\"Central_Meridian\",105.0"));

    auto ds = open_read(path);
    OGRLayer* layer = ds->GetLayer(0);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    REQUIRE(defn->GetFieldCount() == 6);
    CHECK(std::string(defn->GetFieldDefn(0)->GetNameRef()) == "地类名");
    CHECK(std::string(defn->GetFieldDefn(4)->GetNameRef()) == "plan_m2");
    OGRSpatialReference* srs = const_cast<OGRSpatialReference*>(layer->GetSpatialRef());
    REQUIRE(srs);
    srs->AutoIdentifyEPSG();
    CHECK(std::string(srs->GetAuthorityCode(nullptr) ? srs->GetAuthorityCode(nullptr) : "") == "4544");
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    CHECK(std::string(f->GetFieldAsString("地类名")) == "水田");
    CHECK(std::string(f->GetFieldAsString("权属单")) == "崇州市三江街道");
    CHECK(std::string(f->GetFieldAsString("a_landus_1")) == "0102");
    CHECK(f->GetFieldAsDouble("ellip_m2") == 9997.0);
    OGREnvelope env;
    f->GetGeometryRef()->getEnvelope(&env);
    CHECK(env.MinX == 380000.0);
    CHECK(env.MaxY == 3390100.0);
}

TEST_CASE("Shapefile in GBK: .cpg 936, language driver id 0x4D, GBK bytes in the DBF, read back by GDAL",
          "[output][shapefile]") {
    TempDir dir;
    const std::string path = dir / "districts.shp";
    Fields fields({"名称", "规划分区名称"});
    OutputOptions options;
    options.encoding = "GBK";
    std::vector<FieldRename> renamed;
    {
        LayerWriter w(path, "districts", Crs::from_epsg(4544), wkbMultiPolygon, fields.defn, no_extra, options);
        auto f = fields.feature({"崇州", "大熊猫国家公园（崇州）片区"});
        w.write(f.get(), geometry("POLYGON((380000 3390000,380100 3390000,380100 3390100,380000 3390000))"), {});
        w.finish();
        renamed = w.renamed_fields();
    }
    // GBK: 2 bytes a character, so 规划分区名称 (12 bytes) keeps 5 characters; 名称 (4 bytes) fits.
    REQUIRE(renamed.size() == 1);
    CHECK(renamed[0].written == "规划分区名");
    CHECK(slurp(dir / "districts.cpg") == "936");
    const std::string dbf = slurp(dir / "districts.dbf");
    REQUIRE(dbf.size() > 32);
    CHECK(static_cast<unsigned char>(dbf[29]) == 0x4D);  // language driver id: code page 936
    // 崇州 in GBK (GB 2312 row/cell: 崇 = B3E7, 州 = D6DD), and the field name 名称 (C3FB B3C6).
    CHECK(dbf.find("\xB3\xE7\xD6\xDD") != std::string::npos);
    CHECK(dbf.find("\xC3\xFB\xB3\xC6") != std::string::npos);
    CHECK(dbf.find("崇州") == std::string::npos);  // not UTF-8
    auto ds = open_read(path);
    OGRLayer* layer = ds->GetLayer(0);
    CHECK(std::string(layer->GetLayerDefn()->GetFieldDefn(0)->GetNameRef()) == "名称");
    CHECK(std::string(layer->GetLayerDefn()->GetFieldDefn(1)->GetNameRef()) == "规划分区名");
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    CHECK(std::string(f->GetFieldAsString(0)) == "崇州");
    CHECK(std::string(f->GetFieldAsString(1)) == "大熊猫国家公园（崇州）片区");
    CHECK(std::string(layer->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE")) == "CP936");
}

TEST_CASE("CSV: the attributes and the geometry as WKT", "[output][csv]") {
    TempDir dir;
    const std::string path = dir / "zones.csv";
    Fields fields({"name"});
    {
        LayerWriter w(path, "zones", Crs::from_epsg(4544), wkbMultiPolygon, fields.defn, {{"plan_m2", OFTReal}}, {});
        auto f = fields.feature({"先进制造业集聚区"});
        w.write(f.get(), geometry("POLYGON((380000 3390000,380100 3390000,380100 3390100,380000 3390000))"), {5000.0});
        w.finish();
    }
    const std::string text = slurp(path);
    CHECK_THAT(text, Catch::StartsWith("WKT,name,plan_m2\n"));
    CHECK_THAT(text, Contains("\"MULTIPOLYGON (((380000 3390000,380100 3390000,380100 3390100,380000 3390000)))\","
                              "先进制造业集聚区,5000"));
}

TEST_CASE("an extra field named like a source field is that field, with the new value", "[output]") {
    TempDir dir;
    const std::string path = dir / "again.gpkg";
    OGRFeatureDefn* defn = new OGRFeatureDefn("src");
    defn->Reference();
    OGRFieldDefn name("name", OFTString), plan("plan_m2", OFTReal);
    defn->AddFieldDefn(&name);
    defn->AddFieldDefn(&plan);
    {
        LayerWriter w(path, "again", Crs::from_epsg(4544), wkbMultiPolygon, defn, {{"plan_m2", OFTReal}}, {});
        OGRFeature f(defn);
        f.SetField(0, "A");
        f.SetField(1, 1.0);
        w.write(&f, nullptr, {42.0});
        w.finish();
    }
    defn->Release();
    auto ds = open_read(path);
    OGRLayer* layer = ds->GetLayer(0);
    CHECK(layer->GetLayerDefn()->GetFieldCount() == 2);
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    CHECK(f->GetFieldAsDouble("plan_m2") == 42.0);
}
