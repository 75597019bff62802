// End to end: run `zonekit check` and `zonekit resolve`, read the findings back with GDAL, parse the JSON report.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>

using namespace zk::test;
using Catch::Matchers::Contains;

namespace {
const double X0 = 500000, Y0 = 3400000;  // EPSG:4544, on its central meridian
const Wkt at{X0, Y0};
std::string poly(double x1, double y1, double x2, double y2) { return at.rect(x1, y1, x2, y2); }

void layer(const std::string& path, const std::string& name, const std::vector<std::string>& wkts) {
    std::vector<FixtureFeature> features;
    for (std::size_t i = 0; i < wkts.size(); ++i) features.push_back({wkts[i], {fmt::format("{}{}", name, i + 1)}});
    write_layer(path, "GPKG", name, 4544, wkbPolygon, {"code"}, features);
}

std::vector<std::string> field_names(const std::string& path, const std::string& layer_name) {
    const GDALDatasetUniquePtr ds = open_read(path);
    OGRLayer* layer = ds->GetLayerByName(layer_name.c_str());
    REQUIRE(layer);
    std::vector<std::string> names;
    for (int i = 0; i < layer->GetLayerDefn()->GetFieldCount(); ++i)
        names.push_back(layer->GetLayerDefn()->GetFieldDefn(i)->GetNameRef());
    return names;
}
}  // namespace

TEST_CASE("check --help and resolve --help", "[check][resolve]") {
    const RunResult c = run_zonekit({"check", "--help"});
    CHECK(c.exit_code == 0);
    CHECK_THAT(c.out, Contains("--min-area") && Contains("--report") && Contains("--preset") && Contains("no-overlap"));
    const RunResult r = run_zonekit({"resolve", "--help"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("--priority") && Contains("PROJECT"));
}

TEST_CASE("check no-overlap ad hoc: findings layer and JSON report", "[check]") {
    TempDir dir;
    layer(dir / "redline.gpkg", "redline", {poly(0, 0, 100, 100)});
    // 20 x 50 = 1,000 m² into the red line, and a 0.5 m² nick (below the 1 m² tolerance)
    layer(dir / "farmland.gpkg", "farmland", {poly(80, 20, 180, 70), poly(99.5, 90, 150, 91)});
    const RunResult r = run_zonekit({"check", "no-overlap", dir / "redline.gpkg", dir / "farmland.gpkg", "--key", "code",
                                     "-o", dir / "findings.gpkg", "--report", dir / "report.json"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("warning") == std::string::npos);
    CHECK_THAT(r.out, Contains("FAIL no_overlap_redline_farmland") && Contains("1 below 1 m²"));

    const auto layers = read_all(dir / "findings.gpkg");
    REQUIRE(layers.count("no_overlap_redline_farmland") == 1);
    const auto& rows = layers.at("no_overlap_redline_farmland");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].text.at("rule") == "no-overlap");
    CHECK(rows[0].text.at("layer_a") == "redline");
    CHECK(rows[0].text.at("fid_a") == "1");
    CHECK(rows[0].text.at("key_a") == "redline1");
    CHECK(rows[0].text.at("layer_b") == "farmland");
    CHECK(rows[0].text.at("key_b") == "farmland1");
    CHECK(rows[0].real.at("plan_m2") == Approx(1000.0).epsilon(1e-9));
    CHECK(rows[0].real.at("ellip_m2") == Approx(1000.0).epsilon(2e-3));
    CHECK(rows[0].real.at("below_tolerance") == 0);
    CHECK(rows[1].real.at("plan_m2") == Approx(0.5).epsilon(1e-6));
    CHECK(rows[1].real.at("below_tolerance") == 1);
    const std::vector<std::string> fields = field_names(dir / "findings.gpkg", "no_overlap_redline_farmland");
    const std::vector<std::string> first(fields.begin(), fields.begin() + 9);
    CHECK(first == std::vector<std::string>{"rule", "layer_a", "fid_a", "key_a", "layer_b", "fid_b", "key_b", "plan_m2",
                                            "ellip_m2"});

    const auto doc = nlohmann::json::parse(read_file(dir / "report.json"));
    REQUIRE(doc["rules"].size() == 1);
    const auto& rule = doc["rules"][0];
    CHECK(rule["rule"] == "no-overlap");
    CHECK(rule["layers"] == nlohmann::json::array({"redline", "farmland"}));
    CHECK(rule["ok"] == false);
    CHECK(rule["findings"] == 1);
    CHECK(rule["area_m2"].get<double>() == Approx(1000.0));
    CHECK(rule["below_tolerance"] == 1);
    CHECK(rule["below_tolerance_area_m2"].get<double>() == Approx(0.5));

    // With a looser tolerance the check holds, and the findings are still counted.
    const RunResult loose = run_zonekit({"check", "no-overlap", dir / "redline.gpkg", dir / "farmland.gpkg",
                                         "--min-area", "2000", "--report", dir / "loose.md"});
    CHECK(loose.exit_code == 0);
    CHECK_THAT(read_file(dir / "loose.md"), Contains("*no_overlap_redline_farmland*") && Contains("| 通过 ok |"));
}

TEST_CASE("check: touching layers pass", "[check]") {
    TempDir dir;
    layer(dir / "a.gpkg", "a", {poly(0, 0, 100, 100)});
    layer(dir / "b.gpkg", "b", {poly(100, 0, 200, 100)});
    const RunResult r = run_zonekit({"check", "no-overlap", dir / "a.gpkg", dir / "b.gpkg"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("warning") == std::string::npos);
    CHECK_THAT(r.out, Contains("ok   no_overlap_a_b") && Contains("all 1 rules hold"));
}

TEST_CASE("check a project: zoning gap and overlap / boundary / bow-tie / sliver", "[check]") {
    TempDir dir;
    const std::string data = dir / "plan.gpkg";
    std::vector<FixtureFeature> county = {{poly(0, 0, 300, 100), {"c"}}};
    write_layer(data, "GPKG", "county", 4544, wkbPolygon, {"code"}, county);
    // zone 3 has a 20 x 20 hole (gap 400 m²); zone 2 reaches 10 m into zone 3 (overlap 1,000 m²)
    std::vector<FixtureFeature> zones = {
        {poly(0, 0, 100, 100), {"Z1"}},
        {poly(100, 0, 210, 100), {"Z2"}},
        {fmt::format("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}),({4} {5},{6} {5},{6} {7},{4} {7},{4} {5}))",
                     X0 + 200, Y0, X0 + 300, Y0 + 100, X0 + 250, Y0 + 40, X0 + 270, Y0 + 60),
         {"Z3"}}};
    write_layer(data, "GPKG", "zones", 4544, wkbPolygon, {"code"}, zones);
    // one inside, one crossing the boundary by 30 x 10 = 300 m², a bow-tie (MakeValid area 50 m²)
    std::vector<FixtureFeature> urban = {
        {poly(10, 10, 20, 20), {"U1"}},
        {poly(290, 50, 330, 60), {"U2"}},
        {fmt::format("POLYGON(({0} {1},{2} {3},{2} {1},{0} {3},{0} {1}))", X0 + 20, Y0 + 70, X0 + 30, Y0 + 80), {"U3"}}};
    write_layer(data, "GPKG", "urban", 4544, wkbPolygon, {"code"}, urban);
    write_text(dir / "plan.toml", R"(
[layers.county]
path = "plan.gpkg"
layer = "county"
key = "code"
[layers.zones]
path = "plan.gpkg"
layer = "zones"
key = "code"
[layers.urban]
path = "plan.gpkg"
layer = "urban"
key = "code"
[[rules]]
rule = "covers"
boundary = "county"
layer = "zones"
[[rules]]
rule = "no-self-overlap"
layer = "zones"
[[rules]]
rule = "within"
layer = "urban"
boundary = "county"
[[rules]]
rule = "valid"
layer = "urban"
[[rules]]
rule = "slivers"
layer = "zones"
max_width = 2
)");
    const RunResult r = run_zonekit({"check", dir / "plan.toml", "-o", dir / "f.gpkg", "--report", dir / "r.json"});
    CHECK(r.exit_code == 1);
    const auto doc = nlohmann::json::parse(read_file(dir / "r.json"));
    const auto* covers = rule_entry(doc, "covers", {"county", "zones"});
    REQUIRE(covers);
    CHECK((*covers)["findings"] == 1);
    CHECK((*covers)["area_m2"].get<double>() == Approx(400.0));
    const auto* overlap = rule_entry(doc, "no-self-overlap", {"zones"});
    REQUIRE(overlap);
    CHECK((*overlap)["area_m2"].get<double>() == Approx(1000.0));
    const auto* within = rule_entry(doc, "within", {"urban", "county"});
    REQUIRE(within);
    CHECK((*within)["findings"] == 1);
    CHECK((*within)["area_m2"].get<double>() == Approx(300.0));
    const auto* valid = rule_entry(doc, "valid", {"urban"});
    REQUIRE(valid);
    CHECK((*valid)["findings"] == 1);
    const auto* slivers = rule_entry(doc, "slivers", {"zones"});
    REQUIRE(slivers);
    CHECK((*slivers)["ok"] == true);

    const auto layers = read_all(dir / "f.gpkg");
    CHECK(layers.size() == 6);  // 5 rules and the layer_styles table
    REQUIRE(layers.at("valid_urban").size() == 1);
    CHECK(layers.at("valid_urban")[0].text.at("key_a") == "U3");
    CHECK_THAT(layers.at("valid_urban")[0].text.at("detail"), Contains("Self-intersection"));
    CHECK(layers.at("valid_urban")[0].real.at("pt_x") == Approx(X0 + 25));
    CHECK(layers.at("valid_urban")[0].real.at("pt_y") == Approx(Y0 + 75));
    CHECK(layers.at("no_self_overlap_zones")[0].text.at("key_a") == "Z2");
    CHECK(layers.at("no_self_overlap_zones")[0].text.at("key_b") == "Z3");
    CHECK(layers.at("covers_county_zones")[0].text.at("fid_b") == "NULL");
    CHECK(layers.at("slivers_zones").empty());
}

TEST_CASE("check: bad input exits 2 with the reason", "[check]") {
    TempDir dir;
    layer(dir / "a.gpkg", "a", {poly(0, 0, 100, 100)});
    SECTION("TOML syntax error") {
        write_text(dir / "p.toml", "[layers.a]\npath = \"a.gpkg\"\nlayer = \n");
        const RunResult r = run_zonekit({"check", dir / "p.toml"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("line 3, column"));
    }
    SECTION("a rule naming a missing layer") {
        write_text(dir / "p.toml", "[layers.a]\npath = \"a.gpkg\"\n[[rules]]\nrule = \"no-overlap\"\nlayers = [\"a\", \"b\"]\n");
        const RunResult r = run_zonekit({"check", dir / "p.toml"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("names layer 'b', which is not declared"));
    }
    SECTION("unknown rule") {
        const RunResult r = run_zonekit({"check", "overlaps", dir / "a.gpkg"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("neither a project file"));
    }
    SECTION("a missing file") {
        const RunResult r = run_zonekit({"check", "valid", dir / "nope.gpkg"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("nope.gpkg"));
    }
    SECTION("slivers without a width") {
        const RunResult r = run_zonekit({"check", "slivers", dir / "a.gpkg"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("--max-width"));
    }
}

TEST_CASE("resolve by priority and then a clean check", "[resolve]") {
    TempDir dir;
    layer(dir / "plan.gpkg", "redline", {poly(0, 0, 100, 100)});
    // farmland 1 overlaps the red line by 20 x 50 = 1,000 m²; farmland 2 lies wholly inside it (erased: 400 m²)
    std::vector<FixtureFeature> farmland = {{poly(80, 20, 180, 70), {"F1"}}, {poly(10, 10, 30, 30), {"F2"}}};
    write_layer(dir / "plan.gpkg", "GPKG", "farmland", 4544, wkbPolygon, {"code"}, farmland);
    // urban overlaps farmland 1 by 10 x 50 = 500 m² and the red line by nothing
    std::vector<FixtureFeature> urban = {{poly(170, 20, 200, 70), {"U1"}}};
    write_layer(dir / "plan.gpkg", "GPKG", "urban", 4544, wkbPolygon, {"code"}, urban);
    write_text(dir / "p.toml", R"(
[layers.redline]
path = "plan.gpkg"
layer = "redline"
key = "code"
[layers.farmland]
path = "plan.gpkg"
layer = "farmland"
key = "code"
[layers.urban]
path = "plan.gpkg"
layer = "urban"
key = "code"
[[rules]]
rule = "no-overlap"
layers = ["redline", "farmland", "urban"]
)");
    CHECK(run_zonekit({"check", dir / "p.toml"}).exit_code == 1);
    const RunResult r = run_zonekit({"resolve", dir / "p.toml", "--priority", "redline,farmland,urban", "-o", dir / "out.gpkg"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto layers = read_all(dir / "out.gpkg");
    CHECK(layers.at("redline").size() == 1);
    CHECK(layers.at("farmland").size() == 1);  // F2 erased entirely
    CHECK(layers.at("urban").size() == 1);
    const auto& pairs = layers.at("resolve_pairs");
    REQUIRE(pairs.size() == 3);
    CHECK(pairs[0].text.at("kept_layer") == "redline");
    CHECK(pairs[0].text.at("erased_layer") == "farmland");
    CHECK(pairs[0].real.at("plan_m2") == Approx(1400.0));
    CHECK(pairs[0].real.at("features") == 2);
    CHECK(pairs[1].text.at("erased_layer") == "urban");
    CHECK(pairs[1].real.at("plan_m2") == Approx(0.0).margin(1e-9));
    CHECK(pairs[2].text.at("kept_layer") == "farmland");
    CHECK(pairs[2].real.at("plan_m2") == Approx(500.0));
    const auto& audit = layers.at("resolve_audit");
    REQUIRE(audit.size() == 3);
    CHECK(audit[0].text.at("erased_key") == "F1");
    CHECK(audit[0].real.at("plan_m2") == Approx(1000.0));
    CHECK(audit[1].text.at("erased_key") == "F2");
    CHECK(audit[1].real.at("plan_m2") == Approx(400.0));
    CHECK(audit[2].text.at("kept_key") == "F1");
    CHECK(audit[2].text.at("erased_key") == "U1");

    const std::string out = dir / "out.gpkg";
    const RunResult again = run_zonekit({"check", "no-overlap", out + ":redline", out + ":farmland", out + ":urban",
                                         "--min-area", "0.000001"});
    INFO(again.out);
    CHECK(again.exit_code == 0);
}

TEST_CASE("check the bundled Chongzhou project: it passes and the planted conflicts fail with their sizes", "[check]") {
    TempDir dir;
    const std::string root = source_dir() + "/layers/chongzhou/";
    const RunResult pass = run_zonekit({"check", root + "project.toml", "--report", dir / "pass.json"});
    INFO(pass.out + pass.err);
    CHECK(pass.exit_code == 0);

    const RunResult fail = run_zonekit({"check", root + "conflicts.toml", "--report", dir / "fail.json", "-o", dir / "f.gpkg"});
    INFO(fail.out + fail.err);
    CHECK(fail.exit_code == 1);
    const auto doc = nlohmann::json::parse(read_file(dir / "fail.json"));
    auto expect = [&](const std::string& rule, const std::vector<std::string>& layers, int findings, double m2) {
        const auto* r = rule_entry(doc, rule, layers);
        REQUIRE(r);
        CHECK((*r)["findings"].get<int>() == findings);
        CHECK((*r)["area_m2"].get<double>() == Approx(m2).epsilon(1e-6).margin(1e-6));
    };
    expect("no-overlap", {"redline", "farmland"}, 1, 20000.0);
    expect("no-overlap", {"redline", "urban"}, 0, 0);
    expect("no-overlap", {"farmland", "urban"}, 0, 0);
    expect("within", {"urban", "county"}, 1, 10000.0);
    expect("within", {"redline", "county"}, 0, 0);
    expect("valid", {"redline"}, 1, 0.0);  // the bow-tie: both repairs agree, so the finding is its crossing point
    expect("covers", {"county", "districts"}, 2, 5100.0);
    expect("no-self-overlap", {"districts"}, 1, 2000.0);
    expect("slivers", {"districts"}, 1, 100.0);
}
