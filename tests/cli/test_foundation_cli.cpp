// End-to-end tests of `zonekit info` and `zonekit area`: the binary is run on layers written by GDAL in the
// test, and its outputs are read back with GDAL. Expected areas are worked by hand.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

using namespace zk::test;

namespace {
// Squares in EPSG:4544 (CGCS2000 GK CM 105°E) near Chongzhou: 100 m × 100 m and 200 m × 50 m, and one with a hole.
const std::string sq1 = square_100m, sq2 = rect_200x50m, holed = holed_square;

void write_zones(const std::string& path, const std::string& driver = "GPKG", int epsg = 4544) {
    write_layer(path, driver, "zones", epsg, wkbPolygon, {"name"},
                {{sq1, {"天府粮仓核心示范区"}}, {sq2, {"先进制造业集聚区"}}, {holed, {"天府粮仓核心示范区"}}});
}
}  // namespace

TEST_CASE("every command has --help", "[cli]") {
    for (const char* verb : {"info", "area"}) {
        auto r = run_zonekit({verb, "--help"});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("Usage"));
    }
    auto r = run_zonekit({});
    CHECK(r.exit_code == 2);
}

TEST_CASE("area per group: counts, planar areas by hand, shares and the total", "[cli][area]") {
    TempDir dir;
    write_zones(dir / "zones.gpkg");
    auto r = run_zonekit({"area", dir / "zones.gpkg", "--by", "name", "--unit", "m2", "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["crs"] == "EPSG:4544");
    CHECK(j["unit"] == "m2");
    CHECK(j["layer"] == "zones");
    REQUIRE(j["groups"].size() == 2);
    // Sorted by key (UTF-8 bytes): 先 (E5 85 88) before 天 (E5 A4 A9).
    CHECK(j["groups"][0]["key"] == "先进制造业集聚区");
    CHECK(j["groups"][0]["count"] == 1);
    CHECK(j["groups"][0]["plan"].get<double>() == Approx(200.0 * 50).epsilon(1e-9));
    CHECK(j["groups"][1]["count"] == 2);
    CHECK(j["groups"][1]["plan"].get<double>() == Approx(100.0 * 100 + 100.0 * 100 - 40.0 * 40).epsilon(1e-9));
    CHECK(j["total"]["count"] == 3);
    CHECK(j["total"]["plan"].get<double>() == Approx(28400).epsilon(1e-9));
    // About 119.4 km west of CM 105°E the GK area scale is k² ≈ 1 + (x/R)², R ≈ 6371 km: ellip ≈ plan / k².
    const double x = 119.4e3 / 6371e3;
    CHECK(j["total"]["ellip"].get<double>() == Approx(28400 / (1 + x * x)).epsilon(1e-5));
    CHECK(j["total"]["geod"].get<double>() == Approx(j["total"]["ellip"].get<double>()).epsilon(1e-9));
    const double shares = j["groups"][0]["share"].get<double>() + j["groups"][1]["share"].get<double>();
    CHECK(shares == Approx(100.0).epsilon(1e-12));
}

TEST_CASE("area units: ha, 亩 and km² from the same squares", "[cli][area]") {
    TempDir dir;
    write_zones(dir / "zones.gpkg");
    auto r = run_zonekit({"area", dir / "zones.gpkg", "--unit", "mu", "--format", "csv"});
    REQUIRE(r.exit_code == 0);
    // Units in the header, so that nobody takes 亩 for m²; no byte-order mark on stdout (for scripts).
    CHECK_THAT(r.out, Catch::StartsWith("key,count,plan_mu,ellip_mu,geod_mu,share_pct\n"));
    CHECK_THAT(r.out, Catch::Contains("\n1,1,15.000,"));           // 10000 m² = 15 亩
    CHECK_THAT(r.out, Catch::Contains("\n2,1,15.000,"));           // 200 × 50 m = 10000 m²
    CHECK_THAT(r.out, Catch::Contains("\n3,1,12.600,"));           // 8400 m² = 12.6 亩
    CHECK_THAT(r.out, Catch::Contains("\n(total),3,42.600,"));
    r = run_zonekit({"area", dir / "zones.gpkg", "--unit", "ha", "--format", "md"});
    CHECK_THAT(r.out, Catch::Contains("| **total** | 3 | 2.8400 |"));
    r = run_zonekit({"area", dir / "zones.gpkg", "--unit", "km2", "--format", "csv"});
    CHECK_THAT(r.out, Catch::Contains("(total),3,0.028400,"));
}

TEST_CASE("area tables as files: UTF-8 with a BOM for Excel by default, GBK or plain UTF-8 on request", "[cli][area][csv]") {
    TempDir dir;
    write_zones(dir / "zones.gpkg");
    auto r = run_zonekit({"area", dir / "zones.gpkg", "--by", "name", "-o", dir / "bom.csv"});
    REQUIRE(r.exit_code == 0);
    const std::string bom = read_file(dir / "bom.csv");
    CHECK(bom.rfind("\xEF\xBB\xBFkey,count,plan_ha,ellip_ha,geod_ha,share_pct\n", 0) == 0);
    CHECK_THAT(bom, Catch::Contains("\n天府粮仓核心示范区,2,"));
    r = run_zonekit({"area", dir / "zones.gpkg", "--by", "name", "-o", dir / "plain.csv", "--csv-encoding", "utf-8"});
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(dir / "plain.csv") == bom.substr(3));
    // GBK, as a Chinese Windows' Excel opens any CSV: 天 = 0xCCEC, 府 = 0xB8AE in the GB 2312 code table.
    r = run_zonekit({"area", dir / "zones.gpkg", "--by", "name", "-o", dir / "gbk.csv", "--csv-encoding", "gbk"});
    REQUIRE(r.exit_code == 0);
    const std::string gbk = read_file(dir / "gbk.csv");
    CHECK(gbk.rfind("key,count,plan_ha,", 0) == 0);
    CHECK_THAT(gbk, Catch::Contains("\n\xCC\xEC\xB8\xAE"));
    CHECK(gbk.find("天府") == std::string::npos);
    r = run_zonekit({"area", dir / "zones.gpkg", "-o", dir / "x.csv", "--csv-encoding", "latin1"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("latin1"));
}

TEST_CASE("area of geographic data chooses the Gauss–Kruger zone and keeps lon/lat order", "[cli][area][crs]") {
    TempDir dir;
    // A 0.01° × 0.01° cell at 103.60–103.61°E, 30.70–30.71°N in EPSG:4490 (stored lon, lat).
    write_layer(dir / "cell.gpkg", "GPKG", "cell", 4490, wkbPolygon, {"name"},
                {{"POLYGON((103.60 30.70,103.61 30.70,103.61 30.71,103.60 30.71,103.60 30.70))", {"c"}}});
    auto r = run_zonekit({"area", dir / "cell.gpkg", "--unit", "m2", "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["crs"] == "EPSG:4544");
    CHECK_THAT(r.err, Catch::Contains("reprojected from EPSG:4490 to EPSG:4544"));
    // Closed form b²·Δλ·[G(B2) − G(B1)] for this cell on CGCS2000, G(B) = sinB/(2(1 − e²sin²B)) +
    // ln((1 + e sinB)/(1 − e sinB))/(4e), evaluated by hand in Python: 1,062,047.74 m². The layer's edges
    // become straight chords in the plane once the corners are projected; along a 958 m parallel the chord
    // departs from it by ~1 cm, a few m² against 10⁶: 1e-5 relative.
    const double expected = 1062047.74;
    CHECK(j["total"]["geod"].get<double>() == Approx(expected).epsilon(1e-5));
    CHECK(j["total"]["ellip"].get<double>() == Approx(j["total"]["geod"].get<double>()).epsilon(1e-8));
}

TEST_CASE("area -o writes the layer with plan_m2, ellip_m2, geod_m2 and refuses to overwrite", "[cli][area]") {
    TempDir dir;
    write_zones(dir / "zones.gpkg");
    for (const char* ext : {".gpkg", ".geojson", ".shp"}) {
        const std::string out = dir / (std::string("out") + ext);
        auto r = run_zonekit({"area", dir / "zones.gpkg", "-o", out});
        INFO(ext << ": " << r.err);
        REQUIRE(r.exit_code == 0);
        GDALDatasetUniquePtr ds(GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        OGRLayer* layer = ds->GetLayer(0);
        CHECK(layer->GetFeatureCount() == 3);
        double plan = 0;
        std::set<std::string> names;
        for (auto& f : *layer) {
            plan += f->GetFieldAsDouble("plan_m2");
            CHECK(f->GetFieldAsDouble("ellip_m2") > 0);
            CHECK(f->GetFieldAsDouble("geod_m2") > 0);
            names.insert(f->GetFieldAsString("name"));
        }
        CHECK(plan == Approx(28400).epsilon(1e-9));
        CHECK(names.count("天府粮仓核心示范区") == 1);  // Chinese text survives as UTF-8
        // A second run without --overwrite is refused and leaves the file as it was.
        const auto before = std::filesystem::last_write_time(out);
        r = run_zonekit({"area", dir / "zones.gpkg", "-o", out});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("--overwrite"));
        CHECK(std::filesystem::last_write_time(out) == before);
        r = run_zonekit({"area", dir / "zones.gpkg", "-o", out, "--overwrite"});
        CHECK(r.exit_code == 0);
    }
    // No temporary files are left beside the outputs.
    for (auto& entry : std::filesystem::directory_iterator(dir.path()))
        CHECK(entry.path().filename().string().find("zk-tmp") == std::string::npos);
}

TEST_CASE("an output that is the input is refused", "[cli][area]") {
    TempDir dir;
    write_zones(dir / "zones.gpkg");
    const std::string before = read_file(dir / "zones.gpkg");
    auto r = run_zonekit({"area", dir / "zones.gpkg", "-o", dir / "zones.gpkg", "--overwrite"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("is also an input"));
    CHECK(read_file(dir / "zones.gpkg") == before);
}

TEST_CASE("a GBK shapefile without .cpg is read as UTF-8 text", "[cli][encoding]") {
    TempDir dir;
    const std::string shp = dir / "zones.shp";
    write_layer(shp, "ESRI Shapefile", "zones", 4544, wkbPolygon, {"name"}, {{sq1, {"城市中央活力区"}}},
                {"ENCODING=CP936"});
    std::filesystem::remove(dir / "zones.cpg");
    SECTION("language driver id 0x4D (CP936)") {
        std::fstream dbf(dir / "zones.dbf", std::ios::in | std::ios::out | std::ios::binary);
        dbf.seekp(29);
        dbf.put(static_cast<char>(0x4D));
        dbf.close();
        auto r = run_zonekit({"info", shp});
        CHECK_THAT(r.out, Catch::Contains("CP936 (from .dbf language driver id 0x4D)"));
        r = run_zonekit({"area", shp, "--by", "name", "--format", "csv"});
        CHECK_THAT(r.out, Catch::Contains("\n城市中央活力区,1,1.0000,"));
    }
    SECTION("no language driver id: detected") {
        auto r = run_zonekit({"info", shp});
        CHECK_THAT(r.out, Catch::Contains("CP936 (detected"));
        r = run_zonekit({"area", shp, "--by", "name", "--format", "csv"});
        CHECK_THAT(r.out, Catch::Contains("\n城市中央活力区,1,1.0000,"));
    }
    SECTION("--encoding GBK overrides") {
        auto r = run_zonekit({"area", shp, "--by", "name", "--format", "csv", "--encoding", "GBK"});
        CHECK_THAT(r.out, Catch::Contains("\n城市中央活力区,1,1.0000,"));
    }
}

TEST_CASE("info lists layers, CRS, extent, fields and invalid geometries", "[cli][info]") {
    TempDir dir;
    write_zones(dir / "plan.gpkg");
    write_layer(dir / "plan.gpkg", "GPKG", "bad", 4544, wkbPolygon, {"name"},
                {{"POLYGON((380000 3390000,380100 3390100,380100 3390000,380000 3390100,380000 3390000))", {"bowtie"}},
                 {"", {"nothing"}}});
    auto r = run_zonekit({"info", dir / "plan.gpkg"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("layer 'zones' (GPKG)"));
    CHECK_THAT(r.out, Catch::Contains("crs        EPSG:4544 — CGCS2000 / 3-degree Gauss-Kruger CM 105E"));
    CHECK_THAT(r.out, Catch::Contains("extent     380000.000, 3390000.000 … 381100.000, 3390100.000"));
    CHECK_THAT(r.out, Catch::Contains("name                 String"));
    CHECK_THAT(r.out, Catch::Contains("geometries 1 null, 0 empty, 1 invalid"));
    CHECK_THAT(r.out, Catch::Contains("Self-intersection at (380050.000 3390050.000)"));
}

TEST_CASE("bad input: a clear message and exit code 2", "[cli][errors]") {
    TempDir dir;
    write_zones(dir / "zones.gpkg");
    SECTION("missing file") {
        auto r = run_zonekit({"area", dir / "missing.gpkg"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("missing.gpkg' not found"));
    }
    SECTION("unreadable format") {
        std::ofstream(dir / "junk.gpkg") << "this is not a geopackage";
        auto r = run_zonekit({"area", dir / "junk.gpkg"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("cannot read"));
    }
    SECTION("missing layer lists the layers") {
        auto r = run_zonekit({"area", dir / "zones.gpkg", "--layer", "districts"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("layer 'districts' not found") && Catch::Contains("(layers: zones)"));
    }
    SECTION("several layers and none named") {
        write_layer(dir / "zones.gpkg", "GPKG", "more", 4544, wkbPolygon, {"name"}, {{sq1, {"x"}}});
        auto r = run_zonekit({"area", dir / "zones.gpkg"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("name one with --layer (layers: zones, more)"));
    }
    SECTION("no CRS, then --assume-crs") {
        write_layer(dir / "nocrs.geojson", "GeoJSON", "nocrs", 0, wkbPolygon, {"name"}, {{sq1, {"x"}}});
        // A GeoJSON without crs member is WGS 84 by definition; use a shapefile without .prj instead.
        write_layer(dir / "nocrs.shp", "ESRI Shapefile", "nocrs", 0, wkbPolygon, {"name"}, {{sq1, {"x"}}});
        auto r = run_zonekit({"area", dir / "nocrs.shp"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("layer 'nocrs'") && Catch::Contains("has no CRS") &&
                              Catch::Contains("--assume-crs"));
        r = run_zonekit({"area", dir / "nocrs.shp", "--assume-crs", "EPSG:4544", "--unit", "m2", "--format", "csv"});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("\n0,1,10000.00,"));
    }
    SECTION("empty layer") {
        write_layer(dir / "empty.gpkg", "GPKG", "empty", 4544, wkbPolygon, {"name"}, {});
        auto r = run_zonekit({"area", dir / "empty.gpkg"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("empty"));
    }
    SECTION("null and empty geometries") {
        write_layer(dir / "nulls.gpkg", "GPKG", "nulls", 4544, wkbPolygon, {"name"},
                    {{sq1, {"a"}}, {"", {"b"}}, {"POLYGON EMPTY", {"c"}}});
        auto r = run_zonekit({"area", dir / "nulls.gpkg"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("2 features without geometry") && Catch::Contains("feature 2: null geometry") &&
                              Catch::Contains("--skip-empty"));
        r = run_zonekit({"area", dir / "nulls.gpkg", "--skip-empty", "--unit", "m2", "--format", "csv"});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("(total),3,10000.00,"));
    }
    SECTION("invalid polygon: repaired and listed with reason and location, or refused with --strict") {
        // Bow-tie: two triangles of 50 × 100 / 2 = 2500 m² each, crossing at (380050, 3390050).
        write_layer(dir / "bowtie.gpkg", "GPKG", "bowtie", 4544, wkbPolygon, {"name"},
                    {{"POLYGON((380000 3390000,380100 3390100,380100 3390000,380000 3390100,380000 3390000))", {"b"}}});
        auto r = run_zonekit({"area", dir / "bowtie.gpkg", "--unit", "m2", "--format", "csv"});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("\n1,1,5000.00,"));
        CHECK_THAT(r.err, Catch::Contains("1 invalid polygon") && Catch::Contains("repaired") &&
                              Catch::Contains("Self-intersection") && Catch::Contains("380050.000 3390050.000") &&
                              Catch::Contains("linework"));
        r = run_zonekit({"area", dir / "bowtie.gpkg", "--strict"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("feature 1 is an invalid polygon") && Catch::Contains("Self-intersection") &&
                              Catch::Contains("380050.000 3390050.000") && Catch::Contains("--strict"));
        // The method is the user's: a bow-tie reads the same both ways.
        r = run_zonekit({"area", dir / "bowtie.gpkg", "--make-valid-method", "structure", "--unit", "m2", "--format", "csv"});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("\n1,1,5000.00,"));
        CHECK_THAT(r.err, Catch::Contains("structure repair"));
    }
    SECTION("a point layer given to area") {
        write_layer(dir / "pts.gpkg", "GPKG", "trees", 4544, wkbPoint, {"name"}, {{"POINT(380000 3390000)", {"银杏"}}});
        auto r = run_zonekit({"area", dir / "pts.gpkg"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("holds Point geometries") && Catch::Contains("zonekit count"));
    }
    SECTION("unknown unit and unknown CRS") {
        auto r = run_zonekit({"area", dir / "zones.gpkg", "--unit", "acre"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("acre"));
        r = run_zonekit({"area", dir / "zones.gpkg", "--crs", "EPSG:99999"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("unknown CRS 'EPSG:99999'"));
    }
    SECTION("8-digit eastings with a zone prefix in a CRS without one") {
        write_layer(dir / "prefixed.gpkg", "GPKG", "parcels", 4544, wkbPolygon, {"name"},
                    {{"POLYGON((35380000 3390000,35380100 3390000,35380100 3390100,35380000 3390000))", {"p"}}});
        auto r = run_zonekit({"area", dir / "prefixed.gpkg"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("8-digit eastings") && Catch::Contains("EPSG:4523"));
        r = run_zonekit({"info", dir / "prefixed.gpkg"});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("warning    layer 'parcels'"));
        r = run_zonekit({"area", dir / "prefixed.gpkg", "--assume-crs", "EPSG:4523", "--unit", "m2", "--format", "csv"});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("\n1,1,5000.00,"));
    }
    SECTION("input bytes are never modified") {
        const std::string before = read_file(dir / "zones.gpkg");
        run_zonekit({"area", dir / "zones.gpkg", "--by", "name"});
        run_zonekit({"info", dir / "zones.gpkg"});
        CHECK(read_file(dir / "zones.gpkg") == before);
    }
}

TEST_CASE("a layer beyond its Gauss–Kruger zone's edge is warned about", "[cli][area][crs]") {
    TempDir dir;
    // 103.40–103.45°E lies west of the 103.5°E edge of CM 105°E's zone: force EPSG:4544 with --crs.
    write_layer(dir / "west.gpkg", "GPKG", "west", 4490, wkbPolygon, {"name"},
                {{"POLYGON((103.40 30.70,103.45 30.70,103.45 30.75,103.40 30.75,103.40 30.70))", {"w"}}});
    auto r = run_zonekit({"area", dir / "west.gpkg", "--crs", "EPSG:4544"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("straddles the edge of the Gauss–Kruger zone of EPSG:4544") &&
                          Catch::Contains("plan exceeds geod by"));
    r = run_zonekit({"area", dir / "west.gpkg"});  // the nearest zone, CM 102°E, holds it: no warning
    CHECK(r.err.find("straddles") == std::string::npos);
}

TEST_CASE("any OGR source: GeoPackage, GeoJSON, Shapefile, FileGDB, KML and CSV with WKT agree", "[cli][formats]") {
    TempDir dir;
    const std::string cell = "POLYGON((103.60 30.70,103.61 30.70,103.61 30.71,103.60 30.71,103.60 30.70))";
    struct Case {
        std::string path, driver;
        std::vector<std::string> extra_args;
        std::vector<std::string> options;
    };
    const std::vector<Case> cases = {
        {dir / "cell.gpkg", "GPKG", {}, {}},
        {dir / "cell.geojson", "GeoJSON", {}, {}},
        {dir / "cell.shp", "ESRI Shapefile", {}, {"ENCODING=UTF-8"}},
        {dir / "cell.gdb", "OpenFileGDB", {}, {}},
        {dir / "cell.kml", "KML", {}, {}},
        {dir / "cell.csv", "CSV", {"--assume-crs", "EPSG:4326"}, {"GEOMETRY=AS_WKT"}},
    };
    for (const auto& c : cases) {
        write_layer(c.path, c.driver, "cell", c.driver == "CSV" ? 0 : 4326, wkbPolygon, {"name"}, {{cell, {"崇州"}}},
                    c.options);
        std::vector<std::string> args = {"area", c.path, "--unit", "m2", "--format", "json", "--by", "name"};
        args.insert(args.end(), c.extra_args.begin(), c.extra_args.end());
        auto r = run_zonekit(args);
        INFO(c.driver << ": " << r.err);
        REQUIRE(r.exit_code == 0);
        auto j = nlohmann::json::parse(r.out);
        CHECK(j["crs"] == "EPSG:4544");
        CHECK(j["groups"][0]["key"] == "崇州");
        // The closed-form quadrangle (see above): 1,062,047.74 m², to the chord effect.
        CHECK(j["total"]["ellip"].get<double>() == Approx(1062047.74).epsilon(1e-5));
    }
}
