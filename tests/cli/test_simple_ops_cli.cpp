// End-to-end tests of `zonekit dissolve`, `buffer`, `count` and `length`: layers written by GDAL in the test,
// outputs read back with GDAL; expected values worked by hand.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

using namespace zk::test;

namespace {
// 100 m squares in EPSG:4544 near Chongzhou: A and B share the edge x = 380100.
const std::string sq_a = "POLYGON((380000 3390000,380100 3390000,380100 3390100,380000 3390100,380000 3390000))";
const std::string sq_b = "POLYGON((380100 3390000,380200 3390000,380200 3390100,380100 3390100,380100 3390000))";
const std::string sq_far = "POLYGON((381000 3390000,381100 3390000,381100 3390100,381000 3390100,381000 3390000))";

struct Row {
    std::map<std::string, std::string> fields;
    double area = 0;
    int parts = 0;
};

std::vector<Row> read_rows(const std::string& path) {
    const GDALDatasetUniquePtr ds = open_read(path);
    OGRLayer* layer = ds->GetLayer(0);
    std::vector<Row> rows;
    for (auto& f : *layer) {
        Row r;
        for (int i = 0; i < f->GetFieldCount(); ++i)
            r.fields[f->GetFieldDefnRef(i)->GetNameRef()] = f->GetFieldAsString(i);
        if (const OGRGeometry* g = f->GetGeometryRef()) {
            r.area = g->toMultiPolygon()->get_Area();
            r.parts = g->toMultiPolygon()->getNumGeometries();
        }
        rows.push_back(r);
    }
    return rows;
}
}  // namespace

TEST_CASE("dissolve, buffer, count and length have --help", "[cli][simple]") {
    for (const char* verb : {"dissolve", "buffer", "count", "length"}) {
        auto r = run_zonekit({verb, "--help"});
        INFO(verb);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("Usage"));
        CHECK(r.err.empty());
    }
}

TEST_CASE("dissolve: adjacent squares with one key become one feature with the summed area", "[cli][dissolve]") {
    TempDir dir;
    write_layer(dir / "parcels.gpkg", "GPKG", "parcels", 4544, wkbPolygon, {"dlbm", "bsm"},
                {{sq_far, {"0301", "3"}}, {sq_a, {"0101", "1"}}, {sq_b, {"0101", "2"}}});
    auto r = run_zonekit({"dissolve", dir / "parcels.gpkg", "--by", "dlbm", "-o", dir / "out.gpkg"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("3 features dissolved into 2"));
    auto rows = read_rows(dir / "out.gpkg");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields["dlbm"] == "0101");  // sorted key order
    CHECK(rows[0].fields["count"] == "2");
    CHECK(rows[0].parts == 1);
    CHECK(rows[0].area == Approx(20000).epsilon(1e-12));
    CHECK(std::stod(rows[0].fields["plan_m2"]) == Approx(20000).epsilon(1e-12));
    CHECK(rows[0].fields.count("bsm") == 0);  // only the --by field is kept
    CHECK(rows[1].fields["dlbm"] == "0301");
    CHECK(std::stod(rows[1].fields["plan_m2"]) == Approx(10000).epsilon(1e-12));
    // 120 km west of CM 105°E the ellipsoidal area is about plan / (1 + (x/R)²).
    const double x = 119.9e3 / 6371e3;
    CHECK(std::stod(rows[1].fields["geod_m2"]) == Approx(10000 / (1 + x * x)).epsilon(1e-4));

    auto again = run_zonekit({"dissolve", dir / "parcels.gpkg", "--by", "dlbm", "-o", dir / "out.gpkg"});
    CHECK(again.exit_code == 2);
    CHECK_THAT(again.err, Catch::Contains("--overwrite"));
    auto missing = run_zonekit({"dissolve", dir / "parcels.gpkg", "--by", "nope", "-o", dir / "o2.gpkg"});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("field 'nope' not found") && Catch::Contains("dlbm, bsm"));
}

TEST_CASE("buffer: a 1000 m line by 100 m keeps its attributes and has the stadium's area", "[cli][buffer]") {
    TempDir dir;
    write_layer(dir / "river.gpkg", "GPKG", "rivers", 4544, wkbLineString, {"name"},
                {{"LINESTRING(380000 3390000,381000 3390000)", {"西河"}}});
    auto r = run_zonekit({"buffer", dir / "river.gpkg", "100", "--segments", "16", "-o", dir / "belt.gpkg"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto rows = read_rows(dir / "belt.gpkg");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields["name"] == "西河");
    // 2·r·L + the two half-discs, each a half of a 64-gon inscribed in the circle of radius r.
    const double caps = 2.0 * 16 * 100 * 100 * std::sin(M_PI / 32);
    CHECK(rows[0].area == Approx(2 * 100 * 1000 + caps).epsilon(1e-9));
    CHECK(std::stod(rows[0].fields["plan_m2"]) == Approx(2 * 100 * 1000 + M_PI * 100 * 100).epsilon(1e-3));

    // Two overlapping 100 m buffers of crossing lines, dissolved: 2·(200·2000) − 200² plus the round caps.
    write_layer(dir / "cross.gpkg", "GPKG", "lines", 4544, wkbLineString, {"name"},
                {{"LINESTRING(380000 3390000,382000 3390000)", {"a"}},
                 {"LINESTRING(381000 3389000,381000 3391000)", {"b"}}});
    auto d = run_zonekit({"buffer", dir / "cross.gpkg", "100", "--cap", "flat", "--dissolve", "-o", dir / "u.gpkg"});
    INFO(d.err);
    REQUIRE(d.exit_code == 0);
    rows = read_rows(dir / "u.gpkg");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields["count"] == "2");
    CHECK(rows[0].area == Approx(2 * 200.0 * 2000 - 200.0 * 200).epsilon(1e-9));
}

TEST_CASE("count: points inside, outside and on a shared edge, CSV byte for byte", "[cli][count]") {
    TempDir dir;
    write_layer(dir / "zones.gpkg", "GPKG", "districts", 4544, wkbPolygon, {"name"},
                {{sq_b, {"D2"}}, {sq_a, {"D1"}}, {sq_far, {"D3"}}});
    write_layer(dir / "trees.gpkg", "GPKG", "trees", 4544, wkbPoint, {"id"},
                {{"POINT(380010 3390010)", {"1"}},
                 {"POINT(380090 3390090)", {"2"}},
                 {"POINT(380150 3390050)", {"3"}},
                 {"POINT(380100 3390050)", {"4"}},   // on the A|B edge: D2 comes first in the zone layer
                 {"POINT(380500 3390050)", {"5"}},   // between the squares: in no zone
                 {"", {"6"}}});                      // no geometry: skipped with a warning
    auto r = run_zonekit({"count", dir / "trees.gpkg", dir / "zones.gpkg", "--zone-field", "name", "--format", "csv"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "zone,count\nD1,2\nD2,2\nD3,0\n(none),1\n(total),5\n");
    CHECK_THAT(r.err, Catch::Contains("1 feature without geometry"));

    auto j = run_zonekit({"count", dir / "trees.gpkg", dir / "zones.gpkg", "--zone-field", "name", "-o", dir / "t.json"});
    REQUIRE(j.exit_code == 0);
    auto json = nlohmann::json::parse(read_file(dir / "t.json"));
    CHECK(json["total"] == 5);
    REQUIRE(json["rows"].size() == 4);
    CHECK(json["rows"][3]["zone"] == "(none)");
    CHECK(json["rows"][3]["count"] == 1);

    auto md = run_zonekit({"count", dir / "trees.gpkg", dir / "zones.gpkg", "--zone-field", "name"});
    CHECK_THAT(md.out, Catch::Contains("| D1 | 2 | 40.00 |") && Catch::Contains("| **total** | 5 | 100.00 |"));

    auto wrong = run_zonekit({"count", dir / "zones.gpkg", dir / "zones.gpkg", "--zone-field", "name"});
    CHECK(wrong.exit_code == 2);
    CHECK_THAT(wrong.err, Catch::Contains("counts points"));
}

TEST_CASE("length: a line crossing two zones, split by hand — the total is the line's length", "[cli][length]") {
    TempDir dir;
    write_layer(dir / "zones.gpkg", "GPKG", "districts", 4544, wkbPolygon, {"name"}, {{sq_a, {"D1"}}, {sq_b, {"D2"}}});
    // 40 m west of A, through A (100 m) and B (100 m), 60 m beyond: 100 m outside.
    write_layer(dir / "rivers.gpkg", "GPKG", "rivers", 4544, wkbLineString, {"name"},
                {{"LINESTRING(379960 3390030,380260 3390030)", {"西河"}},
                 {"LINESTRING(380050 3390000,380050 3390100)", {"沟渠"}}});  // 100 m wholly in A (on its edges)
    auto r = run_zonekit({"length", dir / "rivers.gpkg", dir / "zones.gpkg", "--zone-field", "name", "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["rows"].size() == 3);
    CHECK(j["rows"][0]["zone"] == "D1");
    CHECK(j["rows"][0]["length_m"].get<double>() == Approx(200).epsilon(1e-12));
    CHECK(j["rows"][0]["length_km"].get<double>() == Approx(0.2).epsilon(1e-12));
    CHECK(j["rows"][1]["length_m"].get<double>() == Approx(100).epsilon(1e-12));
    CHECK(j["rows"][2]["zone"] == "(none)");
    CHECK(j["rows"][2]["length_m"].get<double>() == Approx(100).epsilon(1e-12));
    CHECK(j["total"]["length_m"].get<double>() == Approx(400).epsilon(1e-12));
    double geod = 0;
    for (const auto& row : j["rows"]) geod += row["geod_m"].get<double>();
    CHECK(geod == Approx(j["total"]["geod_m"].get<double>()).epsilon(1e-12));
    // ~120 km from the central meridian the projection stretches lengths by k ≈ 1 + x²/(2R²).
    const double x = 119.9e3 / 6371e3;
    CHECK(j["total"]["geod_m"].get<double>() == Approx(400 / (1 + x * x / 2)).epsilon(1e-4));

    auto csv = run_zonekit({"length", dir / "rivers.gpkg", dir / "zones.gpkg", "--zone-field", "name", "--format", "csv"});
    REQUIRE(csv.exit_code == 0);
    CHECK_THAT(csv.out, Catch::StartsWith("zone,length_m,length_km,geod_m\nD1,200.000,0.200000,") &&
                            Catch::Contains("\n(none),100.000,0.100000,") && Catch::Contains("\n(total),400.000,0.400000,"));
}

TEST_CASE("count and length on the Chongzhou sample: everything is in a district", "[cli][count][length]") {
    const std::string g = source_dir() + "/layers/chongzhou/chongzhou.gpkg";
    auto c = run_zonekit({"count", g, g, "--layer-points", "trees", "--layer-zones", "districts", "--zone-field",
                          "code", "--format", "json"});
    INFO(c.err);
    REQUIRE(c.exit_code == 0);
    auto j = nlohmann::json::parse(c.out);
    CHECK(j["total"] == 38);  // the README's 38 trees
    CHECK(j["rows"][5]["zone"] == "(none)");
    CHECK(j["rows"][5]["count"] == 0);  // kept 200 m inside the county
    CHECK_THAT(c.err, Catch::Contains("EPSG:4544"));
    auto l = run_zonekit({"length", g, g, "--layer-lines", "rivers", "--layer-zones", "districts", "--zone-field",
                          "code", "--format", "json"});
    REQUIRE(l.exit_code == 0);
    j = nlohmann::json::parse(l.out);
    CHECK(j["total"]["length_km"].get<double>() == Approx(149.8).margin(0.05));  // README: 149.8 km
    CHECK(j["rows"][5]["length_m"].get<double>() == Approx(0).margin(1e-6));
}
