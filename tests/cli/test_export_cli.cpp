// End to end: `zonekit export` into each format, read back with GDAL (fields, Chinese values, CRS, feature
// count, geometry), the GeoPackage's layer_styles, RFC 7946 GeoJSON parsed as JSON, a GBK Shapefile's raw bytes;
// --overwrite and atomic writing; Shapefile names of overlay outputs; styles of check and resolve outputs.
#include "harness.hpp"

#include "zonekit/io/layer_styles.hpp"
#include "zonekit/io/palette.hpp"
#include "zonekit/io/styles.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <set>

using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {
// EPSG:4544 squares near Chongzhou: 100 m × 100 m (10,000 m²), 200 m × 50 m (10,000 m²), 100 m with a
// 40 m hole (8,400 m²).
const std::string sq1 = square_100m, sq2 = rect_200x50m, holed = holed_square;

// A plan in one GeoPackage: districts (EPSG:4544, Chinese names and a long field name) and a river.
void write_plan(const std::string& path) {
    write_layer(path, "GPKG", "districts", 4544, wkbPolygon, {"name", "规划分区编码"},
                {{sq1, {"天府粮仓核心示范区", "D1"}}, {sq2, {"先进制造业集聚区", "D2"}}, {holed, {"城市中央活力区", "D3"}}});
    write_layer(path, "GPKG", "rivers", 4544, wkbLineString, {"name"},
                {{"LINESTRING(380000 3390500,381000 3390500)", {"西河"}}});
}

std::string epsg_of(OGRLayer* layer) {
    auto* srs = const_cast<OGRSpatialReference*>(layer->GetSpatialRef());
    if (!srs) return "";
    if (!srs->GetAuthorityCode(nullptr)) srs->AutoIdentifyEPSG();
    const char* code = srs->GetAuthorityCode(nullptr);
    return code ? code : "";
}

double area_of(OGRFeature& f) {
    const OGRGeometry* g = f.GetGeometryRef();
    REQUIRE(g);
    return OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g)));
}

// Files in `dir` that a write left behind (temporary files of the atomic outputs).
std::vector<std::string> leftovers(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().find("zk-tmp") != std::string::npos) out.push_back(e.path().string());
    return out;
}

double ring_signed_area(const nlohmann::json& ring) {
    double s = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        s += ring[i][0].get<double>() * ring[i + 1][1].get<double>() - ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    return s / 2;
}
}  // namespace

TEST_CASE("export --help", "[cli][export]") {
    const RunResult r = run_zonekit({"export", "--help"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("--keep-crs") && Contains("--out-encoding") && Contains("--areas") &&
                          Contains("--role") && Contains("--layer") && Contains("--overwrite") && Contains("--encoding"));
}

TEST_CASE("export to GeoPackage: every layer, the analysis CRS, areas, styles by role", "[cli][export][gpkg]") {
    TempDir dir;
    write_plan(dir / "plan.gpkg");
    const RunResult r = run_zonekit({"export", dir / "plan.gpkg", "-o", dir / "out.gpkg", "--areas"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("wrote 3 feature(s) of 'districts' with plan_m2, ellip_m2, geod_m2, styled as 'districts'"));
    CHECK_THAT(r.err, Contains("layer 'rivers'") && Contains("without area fields"));

    auto ds = open_read(dir / "out.gpkg");
    OGRLayer* districts = ds->GetLayerByName("districts");
    REQUIRE(districts);
    CHECK(epsg_of(districts) == "4544");
    CHECK(districts->GetFeatureCount() == 3);
    const double expected_area[] = {10000, 10000, 8400};
    const char* names[] = {"天府粮仓核心示范区", "先进制造业集聚区", "城市中央活力区"};
    int i = 0;
    for (auto& f : *districts) {
        REQUIRE(i < 3);
        CHECK(f->GetFID() == i + 1);
        CHECK(std::string(f->GetFieldAsString("name")) == names[i]);
        CHECK(std::string(f->GetFieldAsString("规划分区编码")) == fmt::format("D{}", i + 1));
        CHECK(f->GetFieldAsDouble("plan_m2") == Approx(expected_area[i]).epsilon(1e-12));
        CHECK(area_of(*f) == Approx(expected_area[i]).epsilon(1e-12));
        CHECK(wkbFlatten(f->GetGeometryRef()->getGeometryType()) == wkbMultiPolygon);
        ++i;
    }
    OGRLayer* rivers = ds->GetLayerByName("rivers");
    REQUIRE(rivers);
    CHECK(rivers->GetFeatureCount() == 1);
    CHECK(rivers->GetLayerDefn()->GetFieldIndex("plan_m2") < 0);
    // Both have a spatial index; only districts and rivers are roles with a style.
    CHECK(query(*ds, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('rtree_districts_geom', 'rtree_rivers_geom')")[0][0] ==
          "2");
    const auto styles = query(*ds, "SELECT f_table_name, styleName, useAsDefault, styleQML FROM layer_styles ORDER BY id");
    REQUIRE(!styles.empty());
    CHECK(styles[0][0] == "districts");
    CHECK(styles[0][1] == "districts");
    CHECK(styles[0][2] == "1");
    // Districts styled from the layer's values: its three names, with their bundled colours.
    CHECK(styles[0][3] == zk::categorized_qml(zk::Palette::builtin().role("districts").with_values(
                              {"天府粮仓核心示范区", "先进制造业集聚区", "城市中央活力区"})));
    for (const auto& row : styles) CHECK((row[0] == "districts" || row[0] == "rivers"));
    CHECK(query(*ds, "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'")[0][0] == "attributes");

    // --role styles a layer whose name is no role; --layer picks it.
    const RunResult b = run_zonekit({"export", dir / "plan.gpkg", "--layer", "districts", "--role", "boundary", "-o",
                                     dir / "county.gpkg"});
    INFO(b.err);
    REQUIRE(b.exit_code == 0);
    auto ds2 = open_read(dir / "county.gpkg");
    CHECK(ds2->GetLayerByName("rivers") == nullptr);
    const auto rows = query(*ds2, "SELECT f_table_name, styleQML FROM layer_styles");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][1] == std::string(*zk::embedded_file("boundary.qml")));
    CHECK(run_zonekit({"export", dir / "plan.gpkg", "--role", "roads", "-o", dir / "x.gpkg"}).exit_code == 2);
}

TEST_CASE("export to GeoJSON: RFC 7946 by default, --keep-crs writes the analysis CRS", "[cli][export][geojson]") {
    TempDir dir;
    // Geographic data (EPSG:4490) around 103.6°E: the analysis CRS is EPSG:4544; RFC 7946 writes lon/lat again.
    write_layer(dir / "geo.gpkg", "GPKG", "districts", 4490, wkbPolygon, {"name"},
                {{"POLYGON((103.60 30.60,103.60 30.62,103.62 30.62,103.62 30.60,103.60 30.60),"
                  "(103.605 30.605,103.615 30.605,103.615 30.615,103.605 30.615,103.605 30.605))",
                  {"大熊猫国家公园（崇州）片区"}}});
    const RunResult r = run_zonekit({"export", dir / "geo.gpkg", "-o", dir / "d.geojson"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("RFC 7946"));
    const auto doc = nlohmann::json::parse(read_file(dir / "d.geojson"));
    CHECK_FALSE(doc.contains("crs"));
    REQUIRE(doc["features"].size() == 1);
    CHECK(doc["features"][0]["properties"]["name"] == "大熊猫国家公园（崇州）片区");
    const auto& geom = doc["features"][0]["geometry"];
    const auto rings = geom["type"] == "Polygon" ? geom["coordinates"] : geom["coordinates"][0];
    REQUIRE(rings.size() == 2);
    CHECK(ring_signed_area(rings[0]) > 0);  // the fixture's clockwise exterior comes out counter-clockwise
    CHECK(ring_signed_area(rings[1]) < 0);
    // Back at the input's corners (through EPSG:4544 and back), to 7 decimals; the points added on the way
    // (edges are densified in their source CRS, see edges.hpp) lie on the input's edges.
    std::set<std::pair<long, long>> corners;
    for (const auto& p : rings[0]) {
        const long x = std::lround(p[0].get<double>() * 1e7), y = std::lround(p[1].get<double>() * 1e7);
        const bool on_edge = x == 1036000000 || x == 1036200000 || y == 306000000 || y == 306200000;
        CHECK(on_edge);
        if ((x == 1036000000 || x == 1036200000) && (y == 306000000 || y == 306200000)) corners.insert({x, y});
    }
    CHECK(corners == std::set<std::pair<long, long>>{{1036000000, 306000000}, {1036000000, 306200000},
                                                     {1036200000, 306200000}, {1036200000, 306000000}});
    // The outer ring's area, 0.02° × 0.02° at 30.61°N on the ellipsoid ≈ 1,916 m × 2,217 m (lon scale
    // cos φ · N · π/180, lat scale M · π/180): ≈ 4.25 km², shoelace in degrees = 0.0004.
    CHECK(ring_signed_area(rings[0]) == Approx(0.0004).epsilon(1e-6));

    const RunResult k = run_zonekit({"export", dir / "geo.gpkg", "-o", dir / "k.geojson", "--keep-crs"});
    INFO(k.err);
    REQUIRE(k.exit_code == 0);
    const auto kept = nlohmann::json::parse(read_file(dir / "k.geojson"));
    REQUIRE(kept.contains("crs"));
    CHECK_THAT(kept["crs"]["properties"]["name"].get<std::string>(), Contains("EPSG::4544"));
    auto ds = open_read(dir / "k.geojson");
    OGRLayer* layer = ds->GetLayer(0);
    CHECK(epsg_of(layer) == "4544");
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    OGREnvelope env;
    f->GetGeometryRef()->getEnvelope(&env);
    CHECK(env.MinX > 330000);  // 103.6°E is about 135 km west of CM 105°E: easting ≈ 365 km
    CHECK(env.MaxX < 400000);
    CHECK(env.MinY > 3300000);
}

TEST_CASE("export to Shapefile: one layer, GBK with .cpg and DBF bytes, names shortened and reported",
          "[cli][export][shapefile]") {
    TempDir dir;
    write_plan(dir / "plan.gpkg");
    const RunResult many = run_zonekit({"export", dir / "plan.gpkg", "-o", dir / "all.shp"});
    CHECK(many.exit_code == 2);
    CHECK_THAT(many.err, Contains("holds one layer") && Contains("--layer") && Contains("districts, rivers"));
    CHECK_FALSE(fs::exists(dir / "all.shp"));

    const RunResult r = run_zonekit({"export", dir / "plan.gpkg", "--layer", "districts", "-o", dir / "d.shp",
                                     "--out-encoding", "GBK", "--areas"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // 规划分区编码: 12 bytes in GBK, cut to 5 characters (10 bytes).
    CHECK_THAT(r.err, Contains("warning: field '规划分区编码' is written as '规划分区编'"));
    CHECK_THAT(r.err, Contains("GBK"));
    CHECK(read_file(dir / "d.cpg") == "936");
    CHECK_THAT(read_file(dir / "d.prj"), Contains("CGCS2000_3_Degree_GK_CM_105E"));
    const std::string dbf = read_file(dir / "d.dbf");
    CHECK(static_cast<unsigned char>(dbf.at(29)) == 0x4D);
    // 天府 in GBK: 天 = CCEC, 府 = B8AE (GB 2312).
    CHECK(dbf.find("\xCC\xEC\xB8\xAE") != std::string::npos);
    auto ds = open_read(dir / "d.shp");
    OGRLayer* layer = ds->GetLayer(0);
    CHECK(epsg_of(layer) == "4544");
    CHECK(layer->GetFeatureCount() == 3);
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    CHECK(std::string(f->GetFieldAsString("name")) == "天府粮仓核心示范区");
    CHECK(std::string(f->GetFieldAsString("规划分区编")) == "D1");
    CHECK(f->GetFieldAsDouble("plan_m2") == Approx(10000.0).epsilon(1e-12));
    CHECK(area_of(*f) == Approx(10000.0).epsilon(1e-12));
    // The zonekit reader sees the encoding the way ArcGIS would: from the .cpg.
    const RunResult info = run_zonekit({"info", dir / "d.shp"});
    CHECK_THAT(info.out, Contains("936 (from .cpg)"));
    CHECK_THAT(info.out, Contains("规划分区编"));
}

TEST_CASE("export to CSV: attributes and the geometry as WKT", "[cli][export][csv]") {
    TempDir dir;
    write_plan(dir / "plan.gpkg");
    const RunResult r = run_zonekit({"export", dir / "plan.gpkg", "--layer", "rivers", "-o", dir / "rivers.csv"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(dir / "rivers.csv") == "WKT,name\n\"MULTILINESTRING ((380000 3390500,381000 3390500))\",西河\n");
}

TEST_CASE("export writes atomically and replaces only with --overwrite", "[cli][export]") {
    TempDir dir;
    write_plan(dir / "plan.gpkg");
    const RunResult first = run_zonekit({"export", dir / "plan.gpkg", "--layer", "rivers", "-o", dir / "out.gpkg"});
    REQUIRE(first.exit_code == 0);
    const std::string before = read_file(dir / "out.gpkg");

    const RunResult again = run_zonekit({"export", dir / "plan.gpkg", "--layer", "districts", "-o", dir / "out.gpkg"});
    CHECK(again.exit_code == 2);
    CHECK_THAT(again.err, Contains("exists") && Contains("--overwrite"));
    CHECK(read_file(dir / "out.gpkg") == before);

    // A failure while writing (an invalid polygon with --areas and --strict) leaves the old file and no temporary one.
    write_layer(dir / "bad.gpkg", "GPKG", "bowtie", 4544, wkbPolygon, {"name"},
                {{sq1, {"ok"}}, {"POLYGON((380000 3390000,380100 3390100,380100 3390000,380000 3390100,380000 3390000))", {"bad"}}});
    const RunResult bad =
        run_zonekit({"export", dir / "bad.gpkg", "-o", dir / "out.gpkg", "--areas", "--overwrite", "--strict"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Contains("invalid") && Contains("bowtie") && Contains("--strict"));
    CHECK(read_file(dir / "out.gpkg") == before);
    CHECK(leftovers(dir.path()).empty());
    const RunResult shp = run_zonekit({"export", dir / "bad.gpkg", "-o", dir / "bad.shp", "--areas", "--strict"});
    CHECK(shp.exit_code == 2);
    CHECK_FALSE(fs::exists(dir / "bad.shp"));
    CHECK_FALSE(fs::exists(dir / "bad.dbf"));
    CHECK(leftovers(dir.path()).empty());
    // Without --strict it is repaired and said so (--make-valid, once needed, is still accepted).
    const RunResult fixed = run_zonekit({"export", dir / "bad.gpkg", "-o", dir / "fixed.gpkg", "--areas", "--make-valid"});
    INFO(fixed.err);
    CHECK(fixed.exit_code == 0);

    const RunResult replaced =
        run_zonekit({"export", dir / "plan.gpkg", "--layer", "districts", "-o", dir / "out.gpkg", "--overwrite"});
    REQUIRE(replaced.exit_code == 0);
    auto ds = open_read(dir / "out.gpkg");
    CHECK(ds->GetLayerByName("districts") != nullptr);
    CHECK(ds->GetLayerByName("rivers") == nullptr);
    CHECK(leftovers(dir.path()).empty());

    // The source itself is never an output.
    const RunResult self = run_zonekit({"export", dir / "plan.gpkg", "-o", dir / "plan.gpkg", "--overwrite"});
    CHECK(self.exit_code == 2);
    CHECK_THAT(self.err, Contains("also an input"));
}

TEST_CASE("overlay to a Shapefile: a_/b_ names that collide when cut are numbered and reported", "[cli][export][shapefile]") {
    TempDir dir;
    // Both sides have landuse_code1/landuse_code2, so the output has a_landuse_code1 … b_landuse_code2.
    write_layer(dir / "a.gpkg", "GPKG", "parcels", 4544, wkbPolygon, {"landuse_code1", "landuse_code2"},
                {{sq1, {"0101", "水田"}}});
    write_layer(dir / "b.gpkg", "GPKG", "zones", 4544, wkbPolygon, {"landuse_code1", "landuse_code2"},
                {{"POLYGON((380050 3390000,380200 3390000,380200 3390100,380050 3390100,380050 3390000))", {"Z", "区"}}});
    const RunResult r = run_zonekit({"overlay", "intersection", dir / "a.gpkg", dir / "b.gpkg", "-o", dir / "x.shp"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("field 'a_landuse_code1' is written as 'a_landuse_'"));
    CHECK_THAT(r.err, Contains("field 'a_landuse_code2' is written as 'a_landus_1'"));
    CHECK_THAT(r.err, Contains("field 'b_landuse_code1' is written as 'b_landuse_'"));
    CHECK_THAT(r.err, Contains("field 'b_landuse_code2' is written as 'b_landus_1'"));
    CHECK(r.err.find("aundered") == std::string::npos);  // GDAL's own laundering never ran
    auto ds = open_read(dir / "x.shp");
    OGRLayer* layer = ds->GetLayer(0);
    std::set<std::string> names;
    for (int i = 0; i < layer->GetLayerDefn()->GetFieldCount(); ++i) {
        const std::string name = layer->GetLayerDefn()->GetFieldDefn(i)->GetNameRef();
        CHECK(name.size() <= 10);
        names.insert(name);
    }
    CHECK(names.size() == static_cast<std::size_t>(layer->GetLayerDefn()->GetFieldCount()));
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    REQUIRE(f);
    CHECK(std::string(f->GetFieldAsString("a_landuse_")) == "0101");
    CHECK(std::string(f->GetFieldAsString("a_landus_1")) == "水田");
    CHECK(std::string(f->GetFieldAsString("b_landus_1")) == "区");
    CHECK(f->GetFieldAsDouble("plan_m2") == Approx(50.0 * 100).epsilon(1e-9));
}

TEST_CASE("check and resolve outputs carry the styles of their roles", "[cli][export][gpkg]") {
    TempDir dir;
    write_layer(dir / "plan.gpkg", "GPKG", "redline", 4544, wkbPolygon, {"code"}, {{sq1, {"R1"}}});
    write_layer(dir / "plan.gpkg", "GPKG", "farmland", 4544, wkbPolygon, {"code"},
                {{"POLYGON((380080 3390020,380180 3390020,380180 3390070,380080 3390070,380080 3390020))", {"F1"}}});
    {
        std::ofstream toml(dir / "p.toml");
        toml << "[layers.redline]\npath = \"plan.gpkg\"\nlayer = \"redline\"\n"
                "[layers.farmland]\npath = \"plan.gpkg\"\nlayer = \"farmland\"\n"
                "[[rules]]\nrule = \"no-overlap\"\nlayers = [\"redline\", \"farmland\"]\n";
    }
    const RunResult c = run_zonekit({"check", dir / "p.toml", "-o", dir / "findings.gpkg"});
    CHECK(c.exit_code == 1);
    auto ds = open_read(dir / "findings.gpkg");
    const auto rows = query(*ds, "SELECT f_table_name, styleQML, useAsDefault FROM layer_styles");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0] == "no_overlap_redline_farmland");
    CHECK(rows[0][1] == std::string(*zk::embedded_file("findings.qml")));
    CHECK(rows[0][2] == "1");

    const RunResult r = run_zonekit({"resolve", dir / "p.toml", "--priority", "redline,farmland", "-o", dir / "fixed.gpkg"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto fixed = open_read(dir / "fixed.gpkg");
    const auto styled = query(*fixed, "SELECT f_table_name, styleQML FROM layer_styles ORDER BY id");
    REQUIRE(styled.size() == 2);  // the corrected layers, by role; the audit tables have none
    CHECK(styled[0][0] == "redline");
    CHECK(styled[0][1] == std::string(*zk::embedded_file("redline.qml")));
    CHECK(styled[1][0] == "farmland");
    CHECK(styled[1][1] == std::string(*zk::embedded_file("farmland.qml")));
}
