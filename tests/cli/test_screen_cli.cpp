// End to end: `zonekit screen` (and `zonekit run` with a [screen] table). Every figure is checked against a
// value known without zonekit: the bundled sites' planted takes and distances (built exactly in EPSG:4544 by
// scripts/make_sites.py and checked there with GEOS through OGR), areas of rectangles worked by hand, the
// Gauss–Krüger point scale factor in closed form for ellipsoidal against planar areas, and π r² for point sites.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const std::string chongzhou = source_dir() + "/layers/chongzhou";

json read_json(const std::string& path) { return json::parse(read_file(path)); }

const json& site(const json& doc, const std::string& id) {
    for (const auto& s : doc.at("sites"))
        if (s.at("id") == id) return s;
    FAIL("no site " << id);
    return doc;
}

// The Gauss–Krüger point scale factor of CGCS2000 / 3-degree zone 35 (central meridian 105°E, k0 = 1) at a
// longitude and latitude, in closed form (to l⁴): an ellipsoidal area is the planar area divided by k².
double gk_scale(double lon, double lat) {
    const double pi = std::acos(-1.0);
    const double a = 6378137.0, f = 1 / 298.257222101;
    const double e2 = f * (2 - f), ep2 = e2 / (1 - e2);
    const double B = lat * pi / 180, l = (lon - 105.0) * pi / 180;
    const double c = std::cos(B), t = std::tan(B), eta2 = ep2 * c * c;
    (void)a;
    return 1 + l * l * c * c * (1 + eta2) / 2 + std::pow(l * c, 4) * (5 - 4 * t * t) / 24;
}

// Sum of a field of the pieces of a site in one layer (screen.gpkg site_pieces).
double pieces_sum(const std::map<std::string, std::vector<FeatureFields>>& gpkg, const std::string& id,
                  const std::string& layer, const std::string& field) {
    double sum = 0;
    for (const auto& f : gpkg.at("site_pieces"))
        if (f.text.at("site_id") == id && f.text.at("layer") == layer) sum += f.real.at(field);
    return sum;
}

std::vector<std::string> bundled_args(const std::string& out) {
    return {"screen", chongzhou + "/project.toml", chongzhou + "/sites.gpkg", "--layer", "sites", "--id-field", "id",
            "--preset", "sanxian", "--clearance", "rivers=50", "--protect", "trees=15", "-o", out};
}

}  // namespace

// The bundled screen, run once for every section of the test below (Catch2 runs a test case once per section).
struct BundledScreen {
    TempDir dir;
    std::string out = dir / "out";
    RunResult r = run_zonekit(bundled_args(out));
};
const BundledScreen& bundled_screen() {
    static const BundledScreen screen;
    return screen;
}

TEST_CASE("screen: the bundled sites against the Chongzhou plan, each planted figure", "[screen]") {
    const BundledScreen& b = bundled_screen();
    const std::string& out = b.out;
    const auto& r = b.r;
    INFO(r.err);
    REQUIRE(r.exit_code == 1);  // sites are forbidden and conditional
    for (const char* f : {"screen.gpkg", "screen.csv", "screen.json", "screen.md", "screen.html"})
        CHECK(fs::exists(fs::path(out) / f));
    const json planted = read_json(chongzhou + "/sites_planted.json");
    const json doc = read_json(out + "/screen.json");
    const auto gpkg = read_all(out + "/screen.gpkg");
    REQUIRE(doc.at("sites").size() == 35);
    CHECK(doc["counts"]["forbidden"].get<int>() + doc["counts"]["conditional"].get<int>() +
              doc["counts"]["allowed"].get<int>() == 35);
    CHECK(doc["counts"]["error"] == 0);

    const auto k2 = [&](const std::string& id) {
        const json& p = planted.at("sites").at(id);
        const double k = gk_scale(p.at("centroid_lonlat").at(0), p.at("centroid_lonlat").at(1));
        return k * k;
    };

    SECTION("XM01 wholly inside the red line: forbidden, the whole site taken") {
        const json& s = site(doc, "XM01");
        CHECK(s["verdict"] == "forbidden");
        CHECK_THAT(s["reasons"][0].get<std::string>(), Contains("占用生态保护红线"));
        CHECK(pieces_sum(gpkg, "XM01", "redline", "plan_m2") == Approx(30000.0).margin(0.01));
        CHECK(s["takes"]["redline"]["ellip_m2"].get<double>() == Approx(30000.0 / k2("XM01")).epsilon(2e-5));
        CHECK(s["takes"]["redline"]["share"].get<double>() == Approx(1.0).margin(1e-9));
        CHECK(s["takes"]["farmland"]["ellip_m2"].get<double>() == 0.0);
        CHECK(s["takes"]["urban"]["outside_m2"].get<double>() == Approx(s["area_m2"].get<double>()).margin(1e-6));
        CHECK(s["area_m2"].get<double>() == Approx(30000.0 / k2("XM01")).epsilon(2e-5));
    }
    SECTION("XM02 straddles permanent farmland by 300 m × 120 m") {
        const json& s = site(doc, "XM02");
        CHECK(s["verdict"] == "forbidden");
        CHECK(pieces_sum(gpkg, "XM02", "farmland", "plan_m2") == Approx(36000.0).margin(0.05));
        CHECK(s["takes"]["farmland"]["ellip_m2"].get<double>() == Approx(36000.0 / k2("XM02")).epsilon(2e-5));
        CHECK(s["takes"]["farmland"]["share"].get<double>() == Approx(0.6).margin(1e-5));
        CHECK(s["takes"]["farmland"]["by_class"].size() == 1);
        CHECK(s["takes"]["redline"]["ellip_m2"].get<double>() == 0.0);
        bool farmland_reason = false;
        for (const auto& reason : s["reasons"]) farmland_reason |= reason.get<std::string>().find("占用永久基本农田") == 0;
        CHECK(farmland_reason);
    }
    SECTION("XM03 10 m from a river with a 50 m clearance: conditional, for that reason alone") {
        const json& s = site(doc, "XM03");
        CHECK(s["verdict"] == "conditional");
        REQUIRE(s["reasons"].size() == 1);
        CHECK_THAT(s["reasons"][0].get<std::string>(), Contains("rivers"));
        const json& d = s["distances"]["rivers"];
        // 10 m in the plane is 10 / k on the ground.
        CHECK(d["m"].get<double>() == Approx(10.0 / std::sqrt(k2("XM03"))).margin(0.002));
        CHECK(d["clearance_m"] == 50.0);
        CHECK(d["kept"] == false);
        CHECK(s["takes"]["urban"]["share"].get<double>() == Approx(1.0).margin(1e-9));
    }
    SECTION("XM04 over an ancient tree: that tree listed, conditional") {
        const json& s = site(doc, "XM04");
        CHECK(s["verdict"] == "conditional");
        CHECK(s["points"]["trees"] == json::array({planted.at("sites").at("XM04").at("tree").at("id")}));
        REQUIRE(s["reasons"].size() == 1);
        CHECK_THAT(s["reasons"][0].get<std::string>(), Contains("GSMM016"));
        CHECK(s["area_m2"].get<double>() == Approx(14400.0 / k2("XM04")).epsilon(2e-5));
    }
    SECTION("XM05 clean: allowed, no reason, nothing taken from the control lines") {
        const json& s = site(doc, "XM05");
        CHECK(s["verdict"] == "allowed");
        CHECK(s["reasons"].empty());
        CHECK(s["takes"]["redline"]["ellip_m2"] == 0.0);
        CHECK(s["takes"]["farmland"]["ellip_m2"] == 0.0);
        CHECK(s["takes"]["urban"]["share"].get<double>() == Approx(1.0).margin(1e-9));
        CHECK(s["distances"]["rivers"]["kept"] == true);
        CHECK(s["points"]["trees"].empty());
    }
    SECTION("every site: takes never exceed the site, shares in [0, 1], pieces add up to the zones' takes") {
        for (const auto& s : doc["sites"]) {
            const double area = s["area_m2"];
            for (const auto& [layer, t] : s["takes"].items()) {
                CHECK(t["ellip_m2"].get<double>() <= area + 1e-6);
                CHECK(t["share"].get<double>() >= 0.0);
                CHECK(t["share"].get<double>() <= 1.0 + 1e-12);
                CHECK(t["ellip_m2"].get<double>() + t["outside_m2"].get<double>() == Approx(area).margin(1e-3));
            }
            // The districts partition the county, so every site inside the county is wholly in the districts.
            if (s["takes"]["county"]["share"].get<double>() > 1 - 1e-12)
                CHECK(s["takes"]["districts"]["ellip_m2"].get<double>() == Approx(area).epsilon(1e-9));
        }
    }
    SECTION("the other outputs: CSV with BOM, GeoPackage styled, one report page per site") {
        const std::string csv = read_file(out + "/screen.csv");
        CHECK(csv.rfind("\xEF\xBB\xBFid,verdict,verdict_zh,reasons,area_m2,area_ha,area_mu,", 0) == 0);
        CHECK_THAT(csv, Contains("XM05,allowed,允许,,"));
        CHECK(gpkg.at("sites").size() == 35);
        CHECK(gpkg.at("sites")[0].text.at("verdict") == "forbidden");
        CHECK(gpkg.at("sites")[0].text.at("name").size() > 0);  // the site's own fields are kept
        std::set<std::string> styled;
        for (const auto& f : gpkg.at("layer_styles")) styled.insert(f.text.at("f_table_name"));
        CHECK(styled.count("sites") == 1);
        CHECK(styled.count("site_pieces") == 1);
        const std::string html = read_file(out + "/screen.html");
        std::size_t sections = 0, maps = 0;
        for (std::size_t at = 0; (at = html.find("<section class=\"site\">", at)) != std::string::npos; ++at) ++sections;
        for (std::size_t at = 0; (at = html.find("data:image/png;base64,", at)) != std::string::npos; ++at) ++maps;
        CHECK(sections == 35);
        CHECK(maps == 35);
        CHECK_THAT(html, Contains("page-break-before:always"));
    }
}

TEST_CASE("screen: point sites are circles of their radius", "[screen]") {
    TempDir dir;
    auto args = bundled_args(dir / "out");
    args[4] = "site_points";
    const auto r = run_zonekit(args);
    INFO(r.err);
    REQUIRE(r.exit_code <= 1);
    const json doc = read_json(dir / "out/screen.json");
    REQUIRE(doc["sites"].size() == 3);
    // A circle drawn with 256 segments has 0.9999 of π r²; on the ground, divided by k².
    const double pi = std::acos(-1.0);
    for (const auto& [id, radius] : std::vector<std::pair<std::string, double>>{{"XM36", 50}, {"XM37", 30}, {"XM38", 40}}) {
        const json& s = site(doc, id);
        const double lon = s["lon"], lat = s["lat"];
        const double k = gk_scale(lon, lat);
        CHECK(s["area_m2"].get<double>() == Approx(pi * radius * radius / (k * k)).epsilon(2e-4));
    }
    // XM36 stands 30 m from the river with a 50 m radius: its circle reaches the river.
    CHECK(site(doc, "XM36")["distances"]["rivers"]["m"] == 0.0);
    CHECK(site(doc, "XM36")["distances"]["rivers"]["kept"] == false);
    // XM38 lies 240 m inside permanent farmland: its whole circle is taken.
    CHECK(site(doc, "XM38")["verdict"] == "forbidden");
    CHECK(site(doc, "XM38")["takes"]["farmland"]["share"].get<double>() == Approx(1.0).margin(1e-9));
}

namespace {

// A plan drawn by hand in EPSG:4544 near its central meridian (k ≈ 1 + 1e-8: ellipsoidal ≈ planar):
//   county 0..2000 × 0..2000; red line x 0..500; farmland F1 500..1000 × 0..1000 and F2 500..1000 × 500..1500
//   (they overlap: a take counts the overlap once); urban 1000..2000 × 0..1000; parcels 0101 (x < 1000) and
//   0701 (x ≥ 1000); a river along x = 1500 from y = 1200 to 2000; trees with a crown radius.
struct HandPlan {
    TempDir dir;
    std::string toml = dir / "plan.toml";
    static constexpr double X0 = 500000, Y0 = 3400000;
    static std::string rect(double x1, double y1, double x2, double y2) {
        return fmt::format("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))", X0 + x1, Y0 + y1, X0 + x2, Y0 + y2);
    }
    HandPlan(const std::string& extra = {}) {
        const std::string g = dir / "plan.gpkg";
        write_layer(g, "GPKG", "county", 4544, wkbPolygon, {"name"}, {{rect(0, 0, 2000, 2000), {"县"}}});
        write_layer(g, "GPKG", "redline", 4544, wkbPolygon, {"code"}, {{rect(0, 0, 500, 2000), {"R1"}}});
        write_layer(g, "GPKG", "farmland", 4544, wkbPolygon, {"code"},
                    {{rect(500, 0, 1000, 1000), {"F1"}}, {rect(500, 500, 1000, 1500), {"F2"}}});
        write_layer(g, "GPKG", "urban", 4544, wkbPolygon, {"code"}, {{rect(1000, 0, 2000, 1000), {"U1"}}});
        write_layer(g, "GPKG", "parcels", 4544, wkbPolygon, {"bsm", "dlbm"},
                    {{rect(0, 0, 1000, 2000), {"P1", "0101"}}, {rect(1000, 0, 2000, 2000), {"P2", "0701"}}});
        write_layer(g, "GPKG", "rivers", 4544, wkbLineString, {"name"},
                    {{fmt::format("LINESTRING({} {},{} {})", X0 + 1500, Y0 + 1200, X0 + 1500, Y0 + 2000), {"河"}}});
        write_layer(g, "GPKG", "trees", 4544, wkbPoint, {"id", "crown_r"},
                    {{fmt::format("POINT({} {})", X0 + 1250, Y0 + 207), {"T1", "3"}},    // 7 m from S2, radius 3 + 5
                     {fmt::format("POINT({} {})", X0 + 1250, Y0 + 215), {"T2", "1"}}});  // 15 m from S2, radius 1 + 5
        // Sites: S1 across the red line and farmland; S2 in the urban boundary; S3 10 m from the river;
        // S4 over the overlap of F1 and F2.
        write_layer(dir / "sites.gpkg", "GPKG", "sites", 4544, wkbPolygon, {"xmbh", "xmmc"},
                    {{rect(400, 100, 600, 300), {"S1", "跨红线与基本农田"}},
                     {rect(1200, 100, 1300, 200), {"S2", "城镇内"}},
                     {rect(1510, 1300, 1600, 1400), {"S3", "近河"}},
                     {rect(600, 900, 700, 1100), {"S4", "基本农田重叠处"}}});
        write_text(toml, fmt::format(R"([project]
name = "手算规划"
[layers.county]
path = "plan.gpkg"
layer = "county"
role = "boundary"
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
[layers.parcels]
path = "plan.gpkg"
layer = "parcels"
key = "bsm"
[layers.rivers]
path = "plan.gpkg"
layer = "rivers"
key = "name"
[layers.trees]
path = "plan.gpkg"
layer = "trees"
key = "id"
[[rules]]
rule = "valid"
layers = ["county"]
{})",
                                     extra));
    }
};

// `zonekit screen` on a hand plan with `extra` in its project file, the hand sites given as SITES when `with_sites`.
RunResult screen_hand_plan(const std::string& extra, const std::vector<std::string>& options, bool with_sites) {
    HandPlan plan(extra);
    std::vector<std::string> args = {"screen", plan.toml};
    if (with_sites) args.insert(args.end(), {plan.dir / "sites.gpkg", "--id-field", "xmbh"});
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {"-o", plan.dir / "out"});
    return run_zonekit(args);
}

// A [screen] of the county as its site, with one rule (forbidden) of `layer` and `measure`, and `more` keys.
std::string one_rule(const std::string& layer, const std::string& measure, const std::string& more = {}) {
    return fmt::format("\n[screen]\nsites = \"county\"\n[[screen.rules]]\nlayer = \"{}\"\nmeasure = \"{}\"\n{}"
                       "verdict = \"forbidden\"\n",
                       layer, measure, more);
}

}  // namespace

TEST_CASE("screen: a plan drawn by hand, every figure worked by hand", "[screen]") {
    HandPlan p;
    const auto r = run_zonekit({"screen", p.toml, p.dir / "sites.gpkg", "--id-field", "xmbh", "--preset", "sanxian",
                                "--clearance", "rivers=50", "--protect", "trees=crown_r+5", "-o", p.dir / "out"});
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    CHECK_THAT(r.out, Contains("4 site(s) — 2 forbidden, 2 conditional, 0 allowed, 0 error(s)"));
    const json doc = read_json(p.dir / "out/screen.json");
    constexpr double eps = 1e-6;  // ellipsoidal against planar this close to the central meridian
    const json& s1 = site(doc, "S1");
    CHECK(s1["verdict"] == "forbidden");
    CHECK(s1["area_m2"].get<double>() == Approx(40000).epsilon(eps));
    CHECK(s1["takes"]["redline"]["ellip_m2"].get<double>() == Approx(20000).epsilon(eps));
    CHECK(s1["takes"]["redline"]["share"].get<double>() == Approx(0.5).epsilon(eps));
    CHECK(s1["takes"]["farmland"]["ellip_m2"].get<double>() == Approx(20000).epsilon(eps));
    CHECK(s1["takes"]["farmland"]["by_class"]["F1"].get<double>() == Approx(20000).epsilon(eps));
    CHECK(s1["takes"]["urban"]["outside_m2"].get<double>() == Approx(40000).epsilon(eps));
    CHECK(s1["takes"]["parcels"]["by_class"]["0101"].get<double>() == Approx(40000).epsilon(eps));
    REQUIRE(s1["reasons"].size() == 4);  // red line, farmland, outside urban, 耕地
    CHECK_THAT(s1["reasons"][0].get<std::string>(), Contains("占用生态保护红线") && Contains("2.0000 公顷") &&
                                                        Contains("30.00 亩"));
    CHECK_THAT(s1["reasons"][3].get<std::string>(), Contains("占用耕地（0101）"));
    // The river is 1050 m from S1's nearest corner (600, 300) to (1500, 1200): √(900² + 900²) = 1272.8 m.
    CHECK(s1["distances"]["rivers"]["m"].get<double>() == Approx(std::hypot(900, 900)).epsilon(eps));
    CHECK(s1["distances"]["rivers"]["kept"] == true);

    const json& s2 = site(doc, "S2");
    CHECK(s2["verdict"] == "conditional");
    CHECK(s2["takes"]["urban"]["share"].get<double>() == Approx(1.0).margin(1e-12));
    CHECK(s2["takes"]["parcels"]["by_class"]["0701"].get<double>() == Approx(10000).epsilon(eps));
    CHECK(s2["points"]["trees"] == json::array({"T1"}));  // T1: 7 m ≤ 3 + 5; T2: 15 m > 1 + 5
    REQUIRE(s2["reasons"].size() == 1);

    const json& s3 = site(doc, "S3");
    CHECK(s3["verdict"] == "conditional");
    CHECK(s3["distances"]["rivers"]["m"].get<double>() == Approx(10.0).epsilon(eps));
    CHECK(s3["distances"]["rivers"]["kept"] == false);
    CHECK(s3["distances"]["rivers"]["feature"] == "河");
    CHECK(s3["takes"]["urban"]["outside_m2"].get<double>() == Approx(9000).epsilon(eps));

    // S4 lies in F1 ∩ F2 for 100 × 100 and in F2 alone for 100 × 100: taken 20,000 m², not 30,000.
    const json& s4 = site(doc, "S4");
    CHECK(s4["takes"]["farmland"]["ellip_m2"].get<double>() == Approx(20000).epsilon(eps));
    CHECK(s4["takes"]["farmland"]["share"].get<double>() == Approx(1.0).epsilon(eps));
    CHECK(s4["takes"]["farmland"]["by_class"]["F1"].get<double>() == Approx(10000).epsilon(eps));
    CHECK(s4["takes"]["farmland"]["by_class"]["F2"].get<double>() == Approx(20000).epsilon(eps));

    // The distances layer holds the closest pair of S3: (1510, y) on the site and (1500, y) on the river.
    const auto gpkg = read_all(p.dir / "out/screen.gpkg");
    for (const auto& f : gpkg.at("site_distances"))
        if (f.text.at("site_id") == "S3") CHECK(f.real.at("plan_m") == Approx(10.0).margin(1e-9));
    CHECK(gpkg.at("site_points").size() == 1);

    SECTION("the same bytes whatever the thread count") {
        const auto one = run_zonekit({"screen", p.toml, p.dir / "sites.gpkg", "--id-field", "xmbh", "--preset", "sanxian",
                                      "--clearance", "rivers=50", "--protect", "trees=crown_r+5", "--threads", "1", "-o",
                                      p.dir / "one"});
        REQUIRE(one.exit_code == 1);
        CHECK(read_file(p.dir / "one/screen.json") == read_file(p.dir / "out/screen.json"));
        CHECK(read_file(p.dir / "one/screen.csv") == read_file(p.dir / "out/screen.csv"));
        CHECK(dump_features(p.dir / "one/screen.gpkg") == dump_features(p.dir / "out/screen.gpkg"));
    }
    SECTION("an existing output is kept without --overwrite") {
        const auto before = snapshot_files(p.dir / "out");
        const auto again = run_zonekit({"screen", p.toml, p.dir / "sites.gpkg", "-o", p.dir / "out"});
        CHECK(again.exit_code == 2);
        CHECK_THAT(again.err, Contains("--overwrite"));
        CHECK(snapshot_files(p.dir / "out") == before);
    }
}

TEST_CASE("screen: a rule table in the project, and `zonekit run` with a [screen] table", "[screen][run]") {
    HandPlan p(R"(
[layers.sites]
path = "sites.gpkg"
key = "xmbh"
[screen]
sites = "sites"
clearance = { rivers = 50 }
protect = { trees = "crown_r+5" }
[[screen.rules]]
layer = "farmland"
measure = "share"
above = 0.9
verdict = "forbidden"
wording = "基本上位于永久基本农田内"
[[screen.rules]]
layer = "parcels"
measure = "take"
classes = ["07*"]
above = 5000
verdict = "conditional"
wording = "占用住宅用地"
[outputs]
map = false
)");
    const auto r = run_zonekit({"run", p.toml, "-o", p.dir / "run"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);  // the checks hold; the screen's verdicts are in its own outputs
    CHECK_THAT(r.out, Contains("siting screen: 4 site(s) — 1 forbidden, 2 conditional, 0 error(s)"));
    for (const char* f : {"screen.gpkg", "screen.csv", "screen.json", "screen.md", "screen.html"})
        CHECK(fs::exists(p.dir.path() / "run" / f));
    const json doc = read_json(p.dir / "run/screen.json");
    // Without the preset: S1 (farmland share 0.5) is allowed; S4 (share 1.0) forbidden; S2 takes 10,000 m² of
    // 07 and has T1 in its protection radius; S3 keeps no clearance.
    CHECK(site(doc, "S1")["verdict"] == "allowed");
    CHECK(site(doc, "S4")["verdict"] == "forbidden");
    CHECK(site(doc, "S4")["reasons"][0] == "基本上位于永久基本农田内：占地块 100.00%");
    CHECK(site(doc, "S2")["verdict"] == "conditional");
    CHECK(site(doc, "S2")["reasons"].size() == 2);
    CHECK(site(doc, "S3")["verdict"] == "conditional");
    const json summary = read_json(p.dir / "run/summary.json");
    CHECK(summary["screen"]["forbidden"] == 1);
    CHECK(summary["screen"]["conditional"] == 2);
    CHECK(summary["screen"]["allowed"] == 1);
    CHECK_THAT(read_file(p.dir / "run/report.md"), Contains("## 选址 *Siting screen*"));

    SECTION("the project's screen from `zonekit screen` without SITES; options add to it") {
        const auto s = run_zonekit({"screen", p.toml, "--preset", "sanxian", "-o", p.dir / "scr"});
        INFO(s.err);
        CHECK(s.exit_code == 1);
        const json sd = read_json(p.dir / "scr/screen.json");
        CHECK(site(sd, "S1")["verdict"] == "forbidden");
    }
    SECTION("a rule on an undeclared layer, a bad measure: exit 2 with line and key") {
        const auto b = screen_hand_plan(one_rule("lakes", "take"), {}, false);
        CHECK(b.exit_code == 2);
        CHECK_THAT(b.err, Contains("'lakes' is not declared"));
        const auto b2 = screen_hand_plan(one_rule("redline", "area"), {}, false);
        CHECK(b2.exit_code == 2);
        CHECK_THAT(b2.err, Contains("unknown measure 'area'") && Contains("line"));
    }
}

TEST_CASE("screen: bad sites are named, the others still screened", "[screen][bad-input]") {
    HandPlan p;
    // Real-data shaped: lon/lat GeoJSON with Chinese ids, a bowtie, a null geometry, a line, a point without a
    // radius, a collection holding a polygon and a line (reduced to its polygon), and one good site.
    const std::string sites = p.dir / "sites.geojson";
    // Around (500000 + 1250, 3400000 + 150) in EPSG:4544 = about 105.0130°E, 30.7215°N; small squares of ~0.0005°.
    write_text(sites, R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"编号":"好"},"geometry":{"type":"Polygon","coordinates":[[[105.0125,30.7205],[105.0130,30.7205],[105.0130,30.7210],[105.0125,30.7210],[105.0125,30.7205]]]}},
{"type":"Feature","properties":{"编号":"蝴蝶"},"geometry":{"type":"Polygon","coordinates":[[[105.0125,30.7205],[105.0130,30.7210],[105.0130,30.7205],[105.0125,30.7210],[105.0125,30.7205]]]}},
{"type":"Feature","properties":{"编号":"空"},"geometry":null},
{"type":"Feature","properties":{"编号":"线"},"geometry":{"type":"LineString","coordinates":[[105.0125,30.7205],[105.0130,30.7210]]}},
{"type":"Feature","properties":{"编号":"点"},"geometry":{"type":"Point","coordinates":[105.0125,30.7205]}},
{"type":"Feature","properties":{"编号":"集合"},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Polygon","coordinates":[[[105.0125,30.7205],[105.0130,30.7205],[105.0130,30.7210],[105.0125,30.7210],[105.0125,30.7205]]]},{"type":"LineString","coordinates":[[105.0,30.7],[105.1,30.8]]}]}}
]})");
    const auto r = run_zonekit({"screen", p.toml, sites, "--id-field", "编号", "-o", p.dir / "out"});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("feature 1 (site '蝴蝶'): invalid polygon: Ring Self-intersection") && Contains("--repair-sites"));
    CHECK_THAT(r.err, Contains("(site '空'): has no geometry"));
    CHECK_THAT(r.err, Contains("(site '线'): is a LineString"));
    CHECK_THAT(r.err, Contains("(site '点'): a point site needs a radius"));
    const json doc = read_json(p.dir / "out/screen.json");
    REQUIRE(doc["sites"].size() == 6);
    CHECK(doc["counts"]["error"] == 4);
    CHECK(site(doc, "好")["verdict"] == "allowed");
    CHECK(site(doc, "集合")["verdict"] == "allowed");
    CHECK(site(doc, "蝴蝶")["verdict"].is_null());
    CHECK(site(doc, "好")["area_m2"].get<double>() == Approx(site(doc, "集合")["area_m2"].get<double>()).epsilon(1e-12));

    SECTION("--repair-sites screens the bowtie repaired, and --radius the point") {
        const auto f = run_zonekit({"screen", p.toml, sites, "--id-field", "编号", "--repair-sites", "--radius", "20",
                                    "-o", p.dir / "fixed"});
        CHECK(f.exit_code == 2);  // the null geometry and the line are still errors
        CHECK_THAT(f.err, Contains("(site '蝴蝶'): invalid (Ring Self-intersection), repaired by MakeValid"));
        const json fd = read_json(p.dir / "fixed/screen.json");
        CHECK(fd["counts"]["error"] == 2);
        // The bowtie's two triangles are half the square.
        CHECK(site(fd, "蝴蝶")["area_m2"].get<double>() == Approx(site(fd, "好")["area_m2"].get<double>() / 2).epsilon(1e-6));
        CHECK(site(fd, "点")["verdict"] == "allowed");
    }
    SECTION("bad settings: exit 2 naming them") {
        const auto a = run_zonekit({"screen", p.toml, sites, "--clearance", "lakes=50", "-o", p.dir / "a"});
        CHECK(a.exit_code == 2);
        CHECK_THAT(a.err, Contains("layer 'lakes' is not declared"));
        const auto b = run_zonekit({"screen", p.toml, sites, "--protect", "redline=15", "-o", p.dir / "b"});
        CHECK(b.exit_code == 2);
        CHECK_THAT(b.err, Contains("'redline' is not of points"));
        const auto c = run_zonekit({"screen", p.toml, sites, "--protect", "trees=nofield", "-o", p.dir / "c"});
        CHECK(c.exit_code == 2);
        CHECK_THAT(c.err, Contains("'nofield' is not a field"));
        const auto d = run_zonekit({"screen", p.toml, p.dir / "missing.gpkg", "-o", p.dir / "d"});
        CHECK(d.exit_code == 2);
        CHECK_THAT(d.err, Contains("missing.gpkg"));
        const auto e = run_zonekit({"screen", p.toml, "-o", p.dir / "e"});
        CHECK(e.exit_code == 2);
        CHECK_THAT(e.err, Contains("no sites"));
    }
}

TEST_CASE("screen: the report prints one A4 page per site (headless Chromium)", "[screen][print]") {
    // scripts/setup.sh installs both.
    REQUIRE(std::system("command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1") == 0);
    const BundledScreen& b = bundled_screen();
    REQUIRE(b.r.exit_code == 1);
    TempDir dir;
    const std::string pdf = dir / "screen.pdf";
    const std::string print = fmt::format(
        "chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf='{}' 'file://{}' "
        ">/dev/null 2>&1",
        pdf, b.out + "/screen.html");
    REQUIRE(std::system(print.c_str()) == 0);
    // Each site's heading "地块 XMnn" on a page of its own: the pages after the summary, one per site.
    const std::string text = dir / "screen.txt";
    int sites_on_own_page = 0;
    for (int page = 1; page <= 40; ++page) {
        if (std::system(fmt::format("pdftotext -f {0} -l {0} '{1}' '{2}' 2>/dev/null", page, pdf, text).c_str()) != 0) break;
        const std::string t = read_file(text);
        std::size_t headings = 0;
        for (std::size_t at = 0; (at = t.find("地块 XM", at)) != std::string::npos; ++at) ++headings;
        if (headings == 1 && t.find("占用 takes") != std::string::npos) ++sites_on_own_page;
    }
    CHECK(sites_on_own_page == 35);
}

TEST_CASE("screen: overlapping features are counted once per class too; rules that could never fire are refused",
          "[screen]") {
    HandPlan p(R"(
[layers.sites]
path = "sites.gpkg"
key = "xmbh"
[screen]
sites = "sites"
[[screen.rules]]
layer = "farmland"
measure = "share"
classes = ["F*"]
above = 0.9
verdict = "forbidden"
wording = "基本上位于永久基本农田内"
)");
    const auto r = run_zonekit({"screen", p.toml, "-o", p.dir / "out"});
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    const json doc = read_json(p.dir / "out/screen.json");
    // S4 lies in F1 and F2 where they overlap: the classes F* take 100 % of it, not 150 %.
    CHECK(site(doc, "S4")["reasons"][0] == "基本上位于永久基本农田内：占地块 100.00%");
    CHECK(site(doc, "S1")["verdict"] == "allowed");  // F1 takes half of S1
    // A layer without a class field still has by_class, empty.
    CHECK(site(doc, "S1")["takes"]["county"]["by_class"] == json::object());

    const auto refused = [&](const std::string& extra, const std::vector<std::string>& options, const std::string& says) {
        const auto b = screen_hand_plan(extra, options, true);
        INFO(extra);
        CHECK(b.exit_code == 2);
        CHECK_THAT(b.err, Contains(says));
    };
    // A clearance from points is their protection radius.
    refused("", {"--clearance", "trees=50"}, "protect trees = METRES");
    // take on points, points on polygons, classes without a class field.
    refused(one_rule("trees", "take"), {}, "measure take needs a polygon layer that is measured, and 'trees' is a layer of points");
    refused(one_rule("urban", "points"), {}, "measure points needs a layer of points");
    refused(one_rule("county", "take", "classes = [\"县\"]\n"), {}, "classes need a class field of layer 'county'");
}
