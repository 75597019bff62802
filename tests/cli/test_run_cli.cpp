// End to end: `zonekit run` on a hand-made project with answers worked out by hand, on the bundled Chongzhou
// project, and on the project with planted conflicts; every output read back (GDAL, JSON, PNG header, HTML).
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {
const double X0 = 500000, Y0 = 3400000;  // EPSG:4544, on its central meridian
const Wkt at{X0, Y0};
std::string rect(double x1, double y1, double x2, double y2) { return at.rect(x1, y1, x2, y2); }
std::string point(double x, double y) { return at.point(x, y); }

// rows[i] = the fields of line i+1 of a CSV without quoted commas.
std::vector<std::vector<std::string>> read_csv(const std::string& path) {
    std::vector<std::vector<std::string>> rows;
    const auto lines = csv_lines(read_file(path));
    for (std::size_t i = 1; i < lines.size(); ++i) rows.push_back(csv_cells(lines[i]));  // after the header
    return rows;
}

GDALDatasetUniquePtr open_vector(const std::string& path) { return open_read(path); }

// The square county of 1 km², two districts (A: x < 600 m, B: x > 600 m), three parcels, four trees (one
// outside), a river along y = 250 m.
struct HandProject {
    TempDir dir;
    std::string toml;
    HandProject() {
        const std::string gpkg = dir / "plan.gpkg";
        write_layer(gpkg, "GPKG", "county", 4544, wkbPolygon, {"name"}, {{rect(0, 0, 1000, 1000), {"县"}}});
        write_layer(gpkg, "GPKG", "districts", 4544, wkbPolygon, {"name"},
                    {{rect(0, 0, 600, 1000), {"甲区"}}, {rect(600, 0, 1000, 1000), {"乙区"}}});
        write_layer(gpkg, "GPKG", "parcels", 4544, wkbPolygon, {"dlmc"},
                    {{rect(0, 0, 1000, 500), {"水田"}}, {rect(0, 500, 300, 1000), {"旱地"}},
                     {rect(300, 500, 1000, 1000), {"水田"}}});
        write_layer(gpkg, "GPKG", "trees", 4544, wkbPoint, {"id"},
                    {{point(100, 100), {"t1"}}, {point(700, 700), {"t2"}}, {point(650, 200), {"t3"}},
                     {point(2000, 2000), {"t4"}}});
        write_layer(gpkg, "GPKG", "rivers", 4544, wkbLineString, {"name"},
                    {{fmt::format("LINESTRING({} {},{} {})", X0, Y0 + 250, X0 + 1000, Y0 + 250), {"河"}}});
        toml = dir / "project.toml";
        write_text(toml, R"(
[project]
name = "手算"
[layers.county]
path = "plan.gpkg"
layer = "county"
role = "boundary"
[layers.districts]
path = "plan.gpkg"
layer = "districts"
key = "name"
[layers.parcels]
path = "plan.gpkg"
layer = "parcels"
[layers.trees]
path = "plan.gpkg"
layer = "trees"
role = "points"
[layers.rivers]
path = "plan.gpkg"
layer = "rivers"
[[rules]]
rule = "covers"
boundary = "county"
layer = "districts"
[[rules]]
rule = "no-self-overlap"
layer = "districts"
[outputs]
dir = "out"
unit = "ha"
method = "plan"
geojson = ["districts"]
[[areas]]
name = "district_areas"
layer = "districts"
by = "name"
[[tables]]
name = "landuse"
zones = "districts"
zone_field = "name"
classes = "parcels"
class_field = "dlmc"
[[counts]]
name = "tree_count"
points = "trees"
zones = "districts"
zone_field = "name"
[[lengths]]
name = "river_m"
lines = "rivers"
zones = "districts"
zone_field = "name"
[[overlays]]
name = "cut"
op = "intersection"
a = "parcels"
b = "districts"
)");
    }
};
}  // namespace

TEST_CASE("run: a hand-made project, every output checked against hand-worked values", "[run]") {
    HandProject p;
    const auto r = run_zonekit({"run", p.toml});  // OUTDIR from [outputs] dir, relative to the project
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path out = p.dir.path() / "out";
    for (const char* f : {"analysis.gpkg", "report.md", "report.html", "summary.json", "map.png", "map.svg",
                          "districts.geojson", "district_areas.csv", "landuse.csv", "tree_count.csv", "river_m.csv"})
        CHECK(fs::exists(out / f));
    CHECK_THAT(r.out, Contains("checks: PASS — 2 of 2 rules hold"));

    // Areas: A is 600 m × 1000 m = 60 ha, B 40 ha (plan).
    const auto areas = read_csv((out / "district_areas.csv").string());
    std::map<std::string, double> plan_ha;
    for (const auto& row : areas) plan_ha[row.at(0)] = std::stod(row.at(2));
    CHECK(plan_ha["甲区"] == Approx(60.0).margin(1e-9));
    CHECK(plan_ha["乙区"] == Approx(40.0).margin(1e-9));

    // Zone × class (plan ha): A holds 水田 0..600×0..500 (30 ha) + 300..600×500..1000 (15 ha) and 旱地 15 ha;
    // B holds 水田 40 ha.
    // The table is laid out as the survey's: classes as rows (水田 0101 and 旱地 0103 under 01 耕地), zones as
    // columns with the unit in their names, in a file for Excel (UTF-8 with a byte-order mark).
    const std::string landuse = read_file(out / "landuse.csv");
    REQUIRE(landuse.rfind("\xEF\xBB\xBFlevel,code,class,", 0) == 0);
    std::vector<std::string> columns;
    {
        std::istringstream header(landuse.substr(3, landuse.find('\n') - 3));
        for (std::string c; std::getline(header, c, ',');) columns.push_back(c);
    }
    REQUIRE(columns.size() == 6);
    CHECK(columns.back() == "total_ha");
    std::map<std::string, double> cell;
    for (const auto& row : read_csv((out / "landuse.csv").string()))
        for (std::size_t z = 3; z < columns.size(); ++z)
            cell[columns[z].substr(0, columns[z].size() - 3) + "/" + row.at(0) + "/" + row.at(1) + " " + row.at(2)] =
                std::stod(row.at(z));
    CHECK(cell["甲区/二级/0101 水田"] == Approx(45.0).margin(1e-6));
    CHECK(cell["甲区/二级/0103 旱地"] == Approx(15.0).margin(1e-6));
    CHECK(cell["乙区/二级/0101 水田"] == Approx(40.0).margin(1e-6));
    CHECK(cell["甲区/一级/01 耕地"] == Approx(60.0).margin(1e-6));
    CHECK(cell["total/合计/ 合计 total"] == Approx(100.0).margin(1e-6));

    // Trees: A 1, B 2, outside 1. River: 600 m in A, 400 m in B.
    std::map<std::string, std::string> trees;
    for (const auto& row : read_csv((out / "tree_count.csv").string())) trees[row.at(0)] = row.at(1);
    CHECK(trees["甲区"] == "1");
    CHECK(trees["乙区"] == "2");
    CHECK(trees["(none)"] == "1");
    std::map<std::string, double> river;
    for (const auto& row : read_csv((out / "river_m.csv").string())) river[row.at(0)] = std::stod(row.at(1));
    CHECK(river["甲区"] == Approx(600.0).margin(1e-6));
    CHECK(river["乙区"] == Approx(400.0).margin(1e-6));

    // analysis.gpkg: the inputs (polygons with areas), the overlay (5 pieces adding up to the county), the
    // tables, the findings layers; styles for the layers with a role.
    auto ds = open_vector((out / "analysis.gpkg").string());
    std::map<std::string, GIntBig> count;
    for (auto* layer : ds->GetLayers()) count[layer->GetName()] = layer->GetFeatureCount();
    CHECK(count["county"] == 1);
    CHECK(count["districts"] == 2);
    CHECK(count["parcels"] == 3);
    CHECK(count["trees"] == 4);
    CHECK(count["rivers"] == 1);
    CHECK(count["cut"] == 5);  // parcel 1 and 3 cut in two, parcel 2 whole
    CHECK(count["district_areas"] == 3);  // two districts and the total
    CHECK(count["covers_county_districts"] == 0);
    {
        OGRLayer* districts = ds->GetLayerByName("districts");
        REQUIRE(districts->GetLayerDefn()->GetFieldIndex("plan_m2") >= 0);
        double sum = 0;
        for (auto& f : districts) sum += f->GetFieldAsDouble("plan_m2");
        CHECK(sum == Approx(1e6).epsilon(1e-12));
        OGRLayer* cut = ds->GetLayerByName("cut");
        double cut_sum = 0;
        for (auto& f : cut) cut_sum += f->GetFieldAsDouble("plan_m2");
        CHECK(cut_sum == Approx(1e6).epsilon(1e-9));
        CHECK(ds->GetLayerByName("trees")->GetLayerDefn()->GetFieldIndex("plan_m2") < 0);
    }
    {
        OGRLayer* styles = ds->ExecuteSQL("SELECT f_table_name, useAsDefault, length(styleQML) FROM layer_styles "
                                          "ORDER BY f_table_name",
                                          nullptr, nullptr);
        REQUIRE(styles);
        std::map<std::string, int> styled;
        for (auto& f : styles) styled[f->GetFieldAsString(0)] = f->GetFieldAsInteger(1);
        ds->ReleaseResultSet(styles);
        CHECK(styled.count("county") == 1);
        CHECK(styled.count("districts") == 1);
        CHECK(styled.count("parcels") == 1);
        CHECK(styled.count("cut") == 1);  // styled as its A side, parcels
        CHECK(styled.count("covers_county_districts") == 1);  // findings
        CHECK(styled["districts"] == 1);
    }

    // GeoJSON: RFC 7946 lon/lat near the central meridian 105°E, no crs member.
    const auto geojson = nlohmann::json::parse(read_file((out / "districts.geojson").string()));
    CHECK_FALSE(geojson.contains("crs"));
    const auto& geometry = geojson["features"][0]["geometry"];
    const auto& ring = geometry["type"] == "Polygon" ? geometry["coordinates"][0] : geometry["coordinates"][0][0];
    CHECK(ring[0][0].get<double>() == Approx(105.0).margin(0.02));
    CHECK(ring[0][1].get<double>() == Approx(30.72).margin(0.05));

    // summary.json
    const auto summary = nlohmann::json::parse(read_file((out / "summary.json").string()));
    CHECK(summary["crs"] == "EPSG:4544");
    CHECK(summary["checks"]["ok"] == true);
    CHECK(summary["overlays"][0]["features"] == 5);
    CHECK(summary["counts"][0]["name"] == "tree_count");

    // The map: a PNG of the default width, 1600 px (big-endian width at byte 16 of the header).
    const std::string png = read_file((out / "map.png").string());
    REQUIRE(png.size() > 24);
    CHECK(png.substr(1, 3) == "PNG");
    const auto byte = [&png](int i) { return static_cast<unsigned>(static_cast<unsigned char>(png[static_cast<std::size_t>(i)])); };
    CHECK(((byte(16) << 24) | (byte(17) << 16) | (byte(18) << 8) | byte(19)) == 1600u);

    // The report: the tables in Markdown, the HTML self-contained with the map inline.
    const std::string md = read_file((out / "report.md").string());
    CHECK_THAT(md, Contains("| 甲区 | 1 | 60.0000 |"));
    CHECK_THAT(md, Contains("**通过 PASS**"));
    // The title block: versions, and each input file with its layer, feature count and SHA-256 (as coreutils'
    // sha256sum computes it).
    CHECK_THAT(md, Contains("zonekit 0.") && Contains("GDAL 3.") && Contains("GEOS 3.") && Contains("PROJ "));
    const fs::path gpkg = p.dir.path() / "plan.gpkg";
    REQUIRE(std::system(("sha256sum '" + gpkg.string() + "' > '" + (p.dir.path() / "sum.txt").string() + "'").c_str()) == 0);
    const std::string sum = read_file((p.dir.path() / "sum.txt").string()).substr(0, 64);
    CHECK_THAT(md, Contains("| county | plan.gpkg | county | 1 | " + std::to_string(fs::file_size(gpkg)) + " | `" + sum + "` |"));
    const std::string html = read_file((out / "report.html").string());
    CHECK_THAT(html, Contains("<svg"));
    CHECK(html.find("src=\"map") == std::string::npos);
    CHECK_THAT(html, Contains("<td>甲区</td>"));

    SECTION("outputs are not replaced without --overwrite") {
        const auto before = snapshot_files(out);
        const auto again = run_zonekit({"run", p.toml});
        CHECK(again.exit_code == 2);
        CHECK_THAT(again.err, Contains("exists. Pass --overwrite"));
        CHECK(snapshot_files(out) == before);
        CHECK(run_zonekit({"run", p.toml, "--overwrite"}).exit_code == 0);
    }
}

TEST_CASE("run: a piece that cannot be cut leaves the overlay and the table incomplete, exit status 3", "[run]") {
    HandProject p;
    // Parcel 1 (0..1000 × 0..500) crosses the districts' edge at x = 600: two cuts in the overlay 'cut', two in
    // the table 'landuse'. The hook makes each fail as a cut that fails also on the grid and after MakeValid.
    ScopedEnv fault("ZONEKIT_FAULT_CUT", "1");
    const auto r = run_zonekit({"run", p.toml});
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.out, Contains("incomplete: 4 piece(s) could not be cut"));
    CHECK_THAT(r.err, Contains("feature 1 of 'parcels' × feature 2 of 'districts'") &&
                          Contains("(missing from the output)") && Contains("(missing from the table)"));
    const fs::path out = p.dir.path() / "out";
    const GDALDatasetUniquePtr ds = open_vector((out / "analysis.gpkg").string());
    CHECK(ds->GetLayerByName("cut")->GetFeatureCount() == 3);  // 5 pieces less parcel 1's two
}

TEST_CASE("run: the same outputs whatever the thread count", "[run][determinism]") {
    HandProject p;
    const std::string one = p.dir / "one", two = p.dir / "two";
    REQUIRE(run_zonekit({"run", p.toml, "-o", one, "--threads", "1"}).exit_code == 0);
    REQUIRE(run_zonekit({"run", p.toml, "-o", two, "--threads", "2"}).exit_code == 0);
    for (const char* f : {"report.md", "summary.json", "map.svg", "landuse.csv", "district_areas.csv", "tree_count.csv",
                          "river_m.csv", "districts.geojson"}) {
        INFO(f);
        CHECK(read_file(one + "/" + f) == read_file(two + "/" + f));
    }
    // Feature for feature; layer_styles holds the time each style was written (as QGIS does), so it is left out.
    const auto features = [](const std::string& path) {
        std::vector<std::string> out;
        bool styles = false;
        for (const auto& line : dump_features(path)) {
            if (line.rfind("layer ", 0) == 0) styles = line.rfind("layer layer_styles ", 0) == 0;
            if (!styles) out.push_back(line);
        }
        return out;
    };
    const auto a = features(one + "/analysis.gpkg");
    CHECK(a.size() > 30);
    CHECK(a == features(two + "/analysis.gpkg"));
}

TEST_CASE("run: the bundled Chongzhou project", "[run][chongzhou]") {
    TempDir dir;
    const std::string project = source_dir() + "/layers/chongzhou/project.toml";
    const auto r = run_zonekit({"run", project, "-o", dir / "out"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("checks: PASS — 25 of 25 rules hold"));
    const auto summary = nlohmann::json::parse(read_file(dir / "out/summary.json"));
    // The generator made the county 1,090 km² (geodesic) and the five districts partition it.
    const auto& districts = summary["areas"][0];
    CHECK(districts["name"] == "district_areas");
    CHECK(districts["total"]["geod"].get<double>() == Approx(1.09e9).epsilon(1e-6));
    // 面积平差: the land-use table adds up exactly to the county's ellip area at the printed 4 decimals.
    // Read back as integers of the last decimal: the classes and the uncovered part add up to the grand total,
    // the first-level subtotals too, and the grand total is the control.
    auto units = [](std::string v) {
        v.erase(std::remove(v.begin(), v.end(), '.'), v.end());
        return std::stoll(v);
    };
    long long classes = 0, groups = 0, grand = -1;
    for (const auto& row : read_csv(dir / "out/landuse_by_district.csv")) {
        const long long total = units(row.back());
        if (row.at(0) == "二级" || row.at(0) == "未覆盖" || row.at(0).empty()) classes += total;
        if (row.at(0) == "一级" || row.at(0) == "未覆盖") groups += total;
        if (row.at(0) == "合计") grand = total;
    }
    const double control = summary["areas"][0]["total"]["ellip"].get<double>() / 1e4;
    CHECK(grand == std::llround(control * 1e4));
    CHECK(classes == grand);
    CHECK(groups == grand);
    auto ds = open_vector(dir / "out/analysis.gpkg");
    CHECK(ds->GetLayerByName("parcels")->GetFeatureCount() == 386);
    CHECK(ds->GetLayerByName("trees")->GetFeatureCount() == 38);
    std::size_t trees = 0;
    for (const auto& row : summary["counts"][0]["rows"]) trees += row["count"].get<std::size_t>();
    CHECK(trees == 38);
}

TEST_CASE("run: the planted conflicts fail the checks and still write everything", "[run][check]") {
    TempDir dir;
    const std::string project = source_dir() + "/layers/chongzhou/conflicts.toml";
    const auto r = run_zonekit({"run", project, "-o", dir / "out"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("checks: FAIL"));
    auto ds = open_vector(dir / "out/analysis.gpkg");
    OGRLayer* overlap = ds->GetLayerByName("no_overlap_redline_farmland");
    REQUIRE(overlap);
    REQUIRE(overlap->GetFeatureCount() == 1);
    for (auto& f : overlap) CHECK(f->GetFieldAsDouble("plan_m2") == Approx(20000).epsilon(1e-6));  // planted
    const auto summary = nlohmann::json::parse(read_file(dir / "out/summary.json"));
    CHECK(summary["checks"]["ok"] == false);
    CHECK(fs::exists(dir / "out/report.html"));
    const std::string md = read_file(dir / "out/report.md");
    CHECK_THAT(md, Contains("**不通过 FAIL**"));
    // In a planner's words, with an inset map of each finding linked from the findings table.
    CHECK_THAT(md, Contains("图层间重叠"));
    CHECK_THAT(md, Contains("[图 1](inset_no_overlap_redline_farmland_1.png)"));
    CHECK(fs::exists(dir / "out/inset_no_overlap_redline_farmland_1.png"));
}

TEST_CASE("run: bad project input exits 2 and writes nothing", "[run]") {
    TempDir dir;
    write_text(dir / "p.toml", "[layers.a]\npath = \"missing.gpkg\"\n[[rules]]\nrule = \"valid\"\nlayer = \"a\"\n");
    const auto r = run_zonekit({"run", dir / "p.toml", "-o", dir / "out"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("missing.gpkg"));
    CHECK((!fs::exists(dir / "out") || fs::is_empty(dir / "out")));
    const auto no_dir = run_zonekit({"run", dir / "p.toml"});
    CHECK(no_dir.exit_code == 2);
    CHECK_THAT(no_dir.err, Contains("no output directory"));
}
