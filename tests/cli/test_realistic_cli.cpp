// End to end on realistic plan layers in lon/lat (tests/data/realistic/, made by scripts/make_realistic.py): a
// ragged county of ~1,900 vertices, districts cut from it with T-junctions, a self-touching outline, a bow-tie
// and a GeometryCollection. zonekit's answers are compared with the ones planted in expected.json, worked out
// independently on the CGCS2000 ellipsoid for edges straight in lon/lat (see the README there).
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <ogr_spatialref.h>

#include <map>
#include <memory>
#include <sstream>

using namespace zk::test;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {
std::string data(const std::string& name) { return source_dir() + "/tests/data/realistic/" + name; }

const json& expected() {
    static const json doc = json::parse(read_file(data("expected.json")));
    return doc;
}

// The planted features of one file, each with its key field and area_m2.
const json& planted(const std::string& file) { return expected()["files"][file]["features"]; }

// `zonekit area FILE --by FIELD`, areas in m², as JSON.
RunResult area(const std::string& file, const std::string& by) {
    return run_zonekit({"area", data(file), "--by", by, "--unit", "m2", "--format", "json"});
}

json table_of(const RunResult& r) {
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

double ellip_of(const json& table, const std::string& key) {
    for (const auto& g : table["groups"])
        if (g["key"] == key) return g["ellip"].get<double>();
    FAIL("no group '" << key << "' in the area table");
    return 0;
}

// Within 1 m² (districts and counties are 10⁸–10⁹ m²: far inside 1e-7 relative too).
Approx square_metre(double m2) { return Approx(m2).epsilon(0).margin(1.0); }

// The stderr line that names `feature`.
std::string line_naming(const std::string& err, const std::string& feature) {
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);)
        if (line.find(feature) != std::string::npos) return line;
    return "";
}

// A planted (lon, lat) in the CRS of a findings layer, and how close a finding must come: 1e-6° or 0.5 m.
struct Place {
    double x, y, tolerance;
};

Place planted_in_crs_of(const std::string& gpkg, const std::string& layer_name, const json& lon_lat) {
    const GDALDatasetUniquePtr ds = open_read(gpkg);
    OGRLayer* layer = ds->GetLayerByName(layer_name.c_str());
    REQUIRE(layer);
    REQUIRE(layer->GetSpatialRef());
    Place p{lon_lat[0].get<double>(), lon_lat[1].get<double>(), 1e-6};
    OGRSpatialReference target(*layer->GetSpatialRef());
    target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (target.IsGeographic()) return p;
    OGRSpatialReference cgcs2000;
    cgcs2000.importFromEPSG(4490);
    cgcs2000.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> to(OGRCreateCoordinateTransformation(&cgcs2000, &target));
    REQUIRE(to);
    REQUIRE(to->Transform(1, &p.x, &p.y));
    p.tolerance = 0.5;
    return p;
}
}  // namespace

TEST_CASE("realistic: the districts' ellipsoidal areas are the planted ones and add up to the county's",
          "[realistic][area]") {
    for (const std::string copy : {"", "_4326"}) {  // CGCS2000 with a legacy crs member; RFC 7946 WGS 84
        INFO("districts" + copy + ".geojson");
        const json districts = table_of(area("districts" + copy + ".geojson", "FQMC"));
        const json county = table_of(area("county" + copy + ".geojson", "XZQMC"));
        const json& want = planted("districts" + copy + ".geojson");
        REQUIRE(districts["groups"].size() == want.size());
        for (const auto& d : want) {
            INFO(d["FQMC"].get<std::string>());
            CHECK(ellip_of(districts, d["FQMC"].get<std::string>()) == square_metre(d["area_m2"].get<double>()));
        }
        const double county_m2 = planted("county" + copy + ".geojson")[0]["area_m2"].get<double>();
        CHECK(ellip_of(county, "示例县") == square_metre(county_m2));
        CHECK(districts["total"]["ellip"].get<double>() == square_metre(county["total"]["ellip"].get<double>()));
    }
}

TEST_CASE("realistic: check finds no false gap or overlap along the cuts, and the bow-tie at its crossing",
          "[realistic][check]") {
    TempDir dir;
    const RunResult r =
        run_zonekit({"check", data("project.toml"), "--report", dir / "report.json", "-o", dir / "f.gpkg"});
    INFO(r.out + r.err);
    REQUIRE(r.exit_code == 1);  // the bow-tie
    const json doc = json::parse(read_file(dir / "report.json"));
    const auto holds = [&](const std::string& rule, const std::vector<std::string>& layers) {
        const json* e = rule_entry(doc, rule, layers);
        REQUIRE(e);
        INFO(e->dump());
        CHECK((*e)["findings"] == 0);  // none above the project's 1 m²
    };
    holds("covers", {"county", "districts"});
    holds("no-self-overlap", {"districts"});
    holds("within", {"redline", "county"});
    holds("valid", {"county"});
    holds("valid", {"districts"});

    // valid redline: exactly the bow-tie, placed at its crossing and not measured as the whole feature
    const json& bowtie = expected()["bowtie"];
    const double bowtie_m2 = bowtie["area_m2"].get<double>();
    const json* valid = rule_entry(doc, "valid", {"redline"});
    REQUIRE(valid);
    CHECK((*valid)["findings"] == 1);
    CHECK((*valid)["area_m2"].get<double>() < 0.01 * bowtie_m2);
    const auto findings = read_all(dir / "f.gpkg").at("valid_redline");
    REQUIRE(findings.size() == 1);
    const FeatureFields& f = findings[0];
    CHECK(f.text.at("key_a") == bowtie["BSM"].get<std::string>());
    CHECK_THAT(f.text.at("detail"), Contains("Self-intersection"));
    CHECK(f.real.at("plan_m2") < 0.01 * bowtie_m2);
    CHECK(f.real.at("ellip_m2") < 0.01 * bowtie_m2);
    const Place crossing = planted_in_crs_of(dir / "f.gpkg", "valid_redline", bowtie["crossing"]);
    CHECK(f.real.at("pt_x") == Approx(crossing.x).epsilon(0).margin(crossing.tolerance));
    CHECK(f.real.at("pt_y") == Approx(crossing.y).epsilon(0).margin(crossing.tolerance));
    // … and where planners read it: CGCS2000 lon/lat, in the layer, the JSON report and on the console.
    const double lon = bowtie["crossing"][0].get<double>(), lat = bowtie["crossing"][1].get<double>();
    CHECK(f.real.at("lon") == Approx(lon).epsilon(0).margin(1e-7));
    CHECK(f.real.at("lat") == Approx(lat).epsilon(0).margin(1e-7));
    REQUIRE((*valid)["largest"].size() == 1);
    CHECK((*valid)["largest"][0]["lon"].get<double>() == Approx(lon).epsilon(0).margin(1e-7));
    CHECK((*valid)["largest"][0]["lat"].get<double>() == Approx(lat).epsilon(0).margin(1e-7));
    CHECK_THAT(r.out, Contains("103.703738°E 30.548763°N"));
    // The GeometryCollection and the repaired bow-tie of 'redline' are noted once, though three rules read it.
    const auto count = [&](const std::string& text) {
        std::size_t n = 0;
        for (auto at = r.err.find(text); at != std::string::npos; at = r.err.find(text, at + 1)) ++n;
        return n;
    };
    CHECK(count("are used as repaired by MakeValid (linework method)") == 1);
    CHECK(count("is a GeometryCollection") == 1);
}

TEST_CASE("realistic: -q says nothing but errors", "[realistic][cli]") {
    const RunResult quiet = run_zonekit({"-q", "area", data("county_selftouch.geojson")});
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.err.empty());
    const RunResult after = run_zonekit({"area", data("county_selftouch.geojson"), "--quiet"});
    CHECK(after.exit_code == 0);
    CHECK(after.err.empty());
    const RunResult strict = run_zonekit({"area", data("county_selftouch.geojson"), "-q", "--strict"});
    CHECK(strict.exit_code == 2);
    CHECK_THAT(strict.err, Contains("--strict refuses"));
}

TEST_CASE("realistic: overlay keeps the partition: the county cut by the districts gives their planted areas",
          "[realistic][overlay]") {
    TempDir dir;
    const RunResult r = run_zonekit(
        {"overlay", "identity", data("county.geojson"), data("districts.geojson"), "-o", dir / "pieces.gpkg"});
    INFO(r.out + r.err);
    REQUIRE(r.exit_code == 0);
    std::map<std::string, double> by_district;
    double outside = 0;
    const auto layers = read_all(dir / "pieces.gpkg");  // held: a range-for over a temporary's member dangles
    for (const FeatureFields& f : layers.at("identity")) {
        const auto name = f.text.find("FQMC");
        if (name == f.text.end() || name->second.empty()) outside += f.real.at("ellip_m2");
        else by_district[name->second] += f.real.at("ellip_m2");
    }
    CHECK(outside < 1.0);  // no false gap between the districts inside the county
    const json& want = planted("districts.geojson");
    REQUIRE(by_district.size() == want.size());
    for (const auto& d : want) {
        const std::string name = d["FQMC"].get<std::string>();
        INFO(name);
        REQUIRE(by_district.count(name) == 1);
        CHECK(by_district[name] == square_metre(d["area_m2"].get<double>()));
    }
}

TEST_CASE("realistic: an outline whose ring touches itself is repaired with a warning and measured right; --strict "
          "refuses it",
          "[realistic][area]") {
    const json& county = planted("county_selftouch.geojson")[0];
    const std::string feature = "feature " + std::to_string(county["fid"].get<int>());
    const RunResult r = area("county_selftouch.geojson", "XZQMC");
    const json table = table_of(r);
    INFO(r.err);
    CHECK_THAT(r.err, Contains("warning"));
    CHECK_THAT(line_naming(r.err, feature), Contains("Self-intersection"));
    CHECK(ellip_of(table, "示例县") == square_metre(county["area_m2"].get<double>()));

    const RunResult strict = run_zonekit({"area", data("county_selftouch.geojson"), "--strict"});
    INFO(strict.err);
    CHECK(strict.exit_code == 2);
    CHECK_THAT(strict.err, Contains(feature));
}

TEST_CASE("realistic: a GeometryCollection red line is measured by its polygon, and the warning says what was dropped",
          "[realistic][area]") {
    const RunResult r = area("redline.geojson", "BSM");
    INFO(r.err);
    CHECK(r.exit_code != 2);
    const json table = table_of(r);
    for (const auto& red : planted("redline.geojson")) {
        if (red.contains("invalid")) continue;  // the bow-tie: see the check above
        INFO(red["BSM"].get<std::string>());
        CHECK(ellip_of(table, red["BSM"].get<std::string>()) == square_metre(red["area_m2"].get<double>()));
        if (red.contains("geometry")) {  // the GeometryCollection: 1 polygon, 1 line, 2 points
            const std::string said = line_naming(r.err, "feature " + std::to_string(red["fid"].get<int>()));
            CHECK_THAT(said, Contains("line", Catch::CaseSensitive::No) && Contains("point", Catch::CaseSensitive::No));
        }
    }
}

TEST_CASE("realistic: run writes the plan with the districts styled by their own names and findings in lon/lat",
          "[realistic][run]") {
    TempDir dir;
    const RunResult r = run_zonekit({"run", data("project.toml"), "-o", dir / "out"});
    INFO(r.out + r.err);
    CHECK(r.exit_code == 1);  // the bow-tie
    GDALAllRegister();
    GDALDatasetUniquePtr gpkg(GDALDataset::Open((dir / "out/analysis.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(gpkg);
    OGRLayer* rows = gpkg->ExecuteSQL("SELECT styleQML FROM layer_styles WHERE f_table_name = 'districts'", nullptr, nullptr);
    REQUIRE(rows);
    std::string qml;
    if (OGRFeatureUniquePtr row{rows->GetNextFeature()}) qml = row->GetFieldAsString(0);
    gpkg->ReleaseResultSet(rows);
    for (const auto& d : planted("districts.geojson"))
        CHECK_THAT(qml, Contains("value=\"" + d["FQMC"].get<std::string>() + "\""));
    const std::string report = read_file(dir / "out/report.md");
    CHECK_THAT(report, Contains("103.703738°E, 30.548763°N"));
    CHECK_THAT(report, Contains("linework"));
}

TEST_CASE("realistic: a WGS 84 source is said to reach CGCS2000 by a ballpark transformation, once; a CGCS2000 one "
          "is not",
          "[realistic][crs]") {
    // PROJ has no parameters between WGS 84 and CGCS2000 and takes them as equal (a "ballpark" operation): the
    // ~1 m of that is below any area tolerance, but a planner should know it. The CGCS2000 copy needs no datum shift.
    RunResult r = run_zonekit({"area", data("districts_4326.geojson"), "--unit", "m2"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string note = "is a ballpark transformation";
    CHECK_THAT(r.err, Contains(note) && Contains("about 1 m"));
    CHECK(r.err.find(note) == r.err.rfind(note));
    r = run_zonekit({"area", data("districts.geojson"), "--unit", "m2"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, !Contains("ballpark"));
}
