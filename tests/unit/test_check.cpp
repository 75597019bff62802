// The check rules against hand calculations: overlapping rectangles, a zoning with a planted gap and overlap,
// a feature crossing the boundary, a bow-tie, slivers, clearance, the tolerance split; the project file's errors
// with line and column; the JSON report's shape.
#include "zonekit/base/error.hpp"
#include "zonekit/checks/check.hpp"
#include "zonekit/project/project.hpp"

#include "support/wkt.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace zk;
using Catch::Matchers::Contains;

namespace {
const double X0 = 500000, Y0 = 3400000;  // on the central meridian of EPSG:4544 (scale factor 1)

const zk::test::Wkt at{X0, Y0};
std::string ring(double x1, double y1, double x2, double y2) { return at.ring(x1, y1, x2, y2); }
std::string poly(double x1, double y1, double x2, double y2) { return at.rect(x1, y1, x2, y2); }

CheckLayer layer(GeosContext& ctx, const std::string& name, const std::vector<std::string>& wkts) {
    std::vector<CheckFeature> features;
    for (std::size_t i = 0; i < wkts.size(); ++i)
        features.push_back(make_check_feature(ctx, static_cast<std::int64_t>(i + 1), fmt::format("{}{}", name, i + 1),
                                              from_wkt(ctx, wkts[i])));
    return CheckLayer(ctx, name, std::move(features));
}

RuleSpec rule(RuleKind kind, std::vector<std::string> layers) {
    RuleSpec r;
    r.kind = kind;
    r.layers = std::move(layers);
    return r;
}

RuleResult run(GeosContext& ctx, const RuleSpec& r, LayerSet& set, double min_area = 1.0, unsigned threads = 2) {
    CheckOptions options;
    options.threads = threads;
    options.min_area = min_area;
    return run_rule(ctx, r, set, Crs::from_epsg(4544), options);
}
}  // namespace

TEST_CASE("check: no-overlap: two lines overlapping by a known rectangle", "[check]") {
    GeosContext ctx;
    LayerSet set;
    // redline 1: 100 x 100; farmland 1 reaches 20 m into it over 50 m: 1,000 m²; farmland 2 is far away.
    set.layers.push_back(layer(ctx, "redline", {poly(0, 0, 100, 100)}));
    set.layers.push_back(layer(ctx, "farmland", {poly(80, 20, 180, 70), poly(500, 0, 600, 100)}));
    const RuleResult r = run(ctx, rule(RuleKind::no_overlap, {"redline", "farmland"}), set);
    CHECK(r.name == "no_overlap_redline_farmland");
    CHECK_FALSE(r.ok());
    REQUIRE(r.findings.size() == 1);
    const Finding& f = r.findings[0];
    CHECK(f.rule == "no-overlap");
    CHECK(f.layer_a == "redline");
    CHECK(f.fid_a == 1);
    CHECK(f.key_a == "redline1");
    CHECK(f.layer_b == "farmland");
    CHECK(f.fid_b == 1);
    CHECK(f.key_b == "farmland1");
    CHECK(f.plan_m2 == Approx(1000.0).epsilon(1e-9));
    CHECK(f.ellip_m2 == Approx(1000.0).epsilon(2e-3));  // scale factor 1 on the central meridian
    CHECK(f.pt_x > X0 + 80);
    CHECK(f.pt_x < X0 + 100);
    CHECK(f.pt_y > Y0 + 20);
    CHECK(f.pt_y < Y0 + 70);
    CHECK(r.above == 1);
    CHECK(r.above_m2 == Approx(1000.0));
}

TEST_CASE("check: no-overlap: touching but not overlapping features give no finding", "[check]") {
    GeosContext ctx;
    LayerSet set;
    set.layers.push_back(layer(ctx, "a", {poly(0, 0, 100, 100)}));
    // shares an edge, and a corner
    set.layers.push_back(layer(ctx, "b", {poly(100, 0, 200, 100), poly(-50, 100, 0, 150)}));
    const RuleResult r = run(ctx, rule(RuleKind::no_overlap, {"a", "b"}), set);
    CHECK(r.ok());
    CHECK(r.findings.empty());
    CHECK(r.below == 0);
}

TEST_CASE("check: covers and no-self-overlap: a zoning with a planted gap and a planted overlap", "[check]") {
    GeosContext ctx;
    LayerSet set;
    // County 300 x 100. Zone 3 has a 20 x 20 hole (gap 400 m²); zone 2 reaches 10 m into zone 3 (overlap 1,000 m²).
    set.layers.push_back(layer(ctx, "county", {poly(0, 0, 300, 100)}));
    set.layers.push_back(layer(ctx, "zones", {poly(0, 0, 100, 100), poly(100, 0, 210, 100),
                                              "POLYGON(" + ring(200, 0, 300, 100) + "," + ring(250, 40, 270, 60) + ")"}));
    const RuleResult gaps = run(ctx, rule(RuleKind::covers, {"county", "zones"}), set);
    CHECK(gaps.name == "covers_county_zones");
    REQUIRE(gaps.findings.size() == 1);
    CHECK(gaps.findings[0].plan_m2 == Approx(400.0).epsilon(1e-9));
    CHECK(gaps.findings[0].layer_a == "county");
    CHECK(gaps.findings[0].fid_a == 1);
    CHECK(gaps.findings[0].fid_b == -1);
    CHECK(gaps.findings[0].pt_x > X0 + 250);
    CHECK(gaps.findings[0].pt_x < X0 + 270);
    CHECK_FALSE(gaps.ok());

    const RuleResult overlaps = run(ctx, rule(RuleKind::no_self_overlap, {"zones"}), set);
    REQUIRE(overlaps.findings.size() == 1);
    CHECK(overlaps.findings[0].fid_a == 2);
    CHECK(overlaps.findings[0].fid_b == 3);
    CHECK(overlaps.findings[0].plan_m2 == Approx(1000.0).epsilon(1e-9));
}

TEST_CASE("check: covers: an exact partition has no gap", "[check]") {
    GeosContext ctx;
    LayerSet set;
    set.layers.push_back(layer(ctx, "county", {poly(0, 0, 300, 100)}));
    set.layers.push_back(layer(ctx, "zones", {poly(0, 0, 100, 100), poly(100, 0, 300, 100)}));
    CHECK(run(ctx, rule(RuleKind::covers, {"county", "zones"}), set).findings.empty());
    CHECK(run(ctx, rule(RuleKind::no_self_overlap, {"zones"}), set).findings.empty());
}

TEST_CASE("check: within: the part of a feature outside the boundary", "[check]") {
    GeosContext ctx;
    LayerSet set;
    set.layers.push_back(layer(ctx, "county", {poly(0, 0, 100, 100)}));
    // 40 x 10, 30 m of it beyond x = 100: 300 m² outside; the second lies inside.
    set.layers.push_back(layer(ctx, "urban", {poly(90, 0, 130, 10), poly(10, 10, 20, 20)}));
    const RuleResult r = run(ctx, rule(RuleKind::within, {"urban", "county"}), set);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].fid_a == 1);
    CHECK(r.findings[0].layer_b == "county");
    CHECK(r.findings[0].plan_m2 == Approx(300.0).epsilon(1e-9));
    CHECK(r.findings[0].pt_x > X0 + 100);
}

TEST_CASE("check: valid: the area a repair decides, by hand", "[check]") {
    GeosContext ctx;
    LayerSet set;
    // A 100 m square with a 100 m "hole" shifted by (50, 50), so that it sticks out of its shell. Linework
    // keeps the faces covered an odd number of times: the shell's and the hole's squares less their 50 × 50
    // overlap, 2 × (100² − 50²) = 15,000 m². Structure subtracts the hole from the shell: 100² − 50² = 7,500 m².
    // The part they disagree on, the hole outside its shell, is 100² − 50² = 7,500 m².
    const std::string hole_outside = fmt::format("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}),"
                                                 "({4} {5},{6} {5},{6} {7},{4} {7},{4} {5}))",
                                                 X0, Y0, X0 + 100, Y0 + 100, X0 + 50, Y0 + 50, X0 + 150, Y0 + 150);
    // A ring that touches itself at one vertex (as most county outlines do): both readings agree, 0 m².
    const std::string pinched = fmt::format("POLYGON(({0} {1},{2} {1},{2} {3},{4} {3},{5} {6},{7} {6},{4} {3},"
                                            "{0} {3},{0} {1}))",
                                            X0, Y0, X0 + 100, Y0 + 100, X0 + 50, X0 + 60, Y0 + 50, X0 + 40);
    set.layers.push_back(layer(ctx, "county", {hole_outside, pinched}));
    const RuleResult r = run(ctx, rule(RuleKind::valid, {"county"}), set);
    REQUIRE(r.findings.size() == 2);
    CHECK(r.findings[0].fid_a == 1);
    CHECK(r.findings[0].plan_m2 == Approx(7500.0).epsilon(1e-12));
    CHECK(r.findings[1].fid_a == 2);
    CHECK(r.findings[1].plan_m2 == 0.0);
    CHECK_THAT(r.findings[1].detail, Contains("Self-intersection"));
    CHECK(r.findings[1].pt_x == Approx(X0 + 50));
    CHECK(r.findings[1].pt_y == Approx(Y0 + 100));
    // The repaired forms (linework, the default): 15,000 m²; the pinched ring keeps 100 × 100 less its notch,
    // 20 × 50 / 2.
    double a = 0;
    GEOSArea_r(ctx.handle(), set.layers[0].features()[0].repaired.get(), &a);
    CHECK(a == Approx(15000.0).epsilon(1e-12));
    GEOSArea_r(ctx.handle(), set.layers[0].features()[1].repaired.get(), &a);
    CHECK(a == Approx(10000.0 - 500.0).epsilon(1e-12));
}

TEST_CASE("check: valid: a bow-tie with GEOS's reason and location", "[check]") {
    GeosContext ctx;
    LayerSet set;
    const std::string bowtie = fmt::format("POLYGON(({0} {1},{2} {3},{2} {1},{0} {3},{0} {1}))", X0, Y0, X0 + 100, Y0 + 100);
    set.layers.push_back(layer(ctx, "redline", {poly(200, 0, 300, 100), bowtie}));
    const RuleResult r = run(ctx, rule(RuleKind::valid, {"redline"}), set);
    REQUIRE(r.findings.size() == 1);
    const Finding& f = r.findings[0];
    CHECK(f.fid_a == 2);
    CHECK_THAT(f.detail, Contains("Self-intersection"));
    CHECK(f.pt_x == Approx(X0 + 50));
    CHECK(f.pt_y == Approx(Y0 + 50));
    // The finding is the defect, not the feature: both readings of a bow-tie (linework and structure) give the
    // same two triangles, so the repair decided nothing (0 m²), and the finding is the crossing point.
    CHECK(f.plan_m2 == 0.0);
    CHECK(geometry_type_of(ctx, f.geom.get()) == "Point");
    CHECK_FALSE(f.below_tolerance);
    CHECK_FALSE(r.ok());

    // Other rules use the repaired form; the layer says so once (load_check_layer), not once per rule.
    set.layers.push_back(layer(ctx, "farmland", {poly(0, 40, 10, 60)}));
    const RuleResult o = run(ctx, rule(RuleKind::no_overlap, {"redline", "farmland"}), set);
    CHECK(o.notes.empty());
    // MakeValid's left triangle (0,0) (50,50) (0,100) holds all of x 0..10, y 40..60: 200 m².
    REQUIRE(o.findings.size() == 1);
    CHECK(o.findings[0].plan_m2 == Approx(200.0).epsilon(1e-9));
}

TEST_CASE("check: slivers: a 0.5 m strip and a 0.5 m gap", "[check]") {
    GeosContext ctx;
    LayerSet set;
    // a 0.5 m x 100 m feature (50 m²); two blocks 0.5 m apart (gap 0.5 x 100 = 50 m²), far from the strip.
    set.layers.push_back(layer(ctx, "zones", {poly(0, 0, 100, 0.5), poly(0, 100, 100, 200), poly(100.5, 100, 200, 200)}));
    RuleSpec s = rule(RuleKind::slivers, {"zones"});
    s.max_width = 2.0;
    const RuleResult r = run(ctx, s, set);
    REQUIRE(r.findings.size() == 2);
    CHECK(r.findings[0].plan_m2 == Approx(50.0).epsilon(1e-6));
    CHECK(r.findings[1].plan_m2 == Approx(50.0).epsilon(1e-6));
    int strips = 0, gaps = 0;
    for (const auto& f : r.findings) {
        if (f.fid_a == 1) ++strips;
        if (f.fid_a == -1) {
            ++gaps;
            CHECK_THAT(f.detail, Contains("gap about 0.50 m wide"));
            CHECK(f.pt_x > X0 + 100);
            CHECK(f.pt_x < X0 + 100.5);
        }
    }
    CHECK(strips == 1);
    CHECK(gaps == 1);
    // Narrower than the features: nothing.
    s.max_width = 0.4;
    CHECK(run(ctx, s, set).findings.empty());
}

TEST_CASE("check: clearance: by hand", "[check]") {
    GeosContext ctx;
    LayerSet set;
    // A square 100 x 100; a river along x = 130 from y = -50 to 150: 30 m away.
    set.layers.push_back(layer(ctx, "industry", {poly(0, 0, 100, 100)}));
    set.layers.push_back(layer(ctx, "river", {fmt::format("LINESTRING({0} {1},{0} {2})", X0 + 130, Y0 - 50, Y0 + 150)}));
    RuleSpec c = rule(RuleKind::clearance, {"industry", "river"});
    c.distance = 50;
    const RuleResult r = run(ctx, c, set);
    REQUIRE(r.findings.size() == 1);
    // the band of the square within 50 m of the line: x from 80 to 100, over 100 m: 2,000 m²
    CHECK(r.findings[0].plan_m2 == Approx(2000.0).epsilon(1e-6));
    CHECK_THAT(r.findings[0].detail, Contains("30.00 m from river"));
    CHECK(r.findings[0].pt_x == Approx(X0 + 100));
    c.distance = 30;  // exactly 30 m away is not within 30 m
    CHECK(run(ctx, c, set).ok());
}

TEST_CASE("check: tolerance: findings below min-area are counted apart and never hidden", "[check]") {
    GeosContext ctx;
    LayerSet set;
    set.layers.push_back(layer(ctx, "a", {poly(0, 0, 100, 100)}));
    // 0.5 x 1 = 0.5 m² and 50 x 10 = 500 m²
    set.layers.push_back(layer(ctx, "b", {poly(99.5, 0, 150, 1), poly(50, 50, 150, 60)}));
    const RuleResult r = run(ctx, rule(RuleKind::no_overlap, {"a", "b"}), set, 1.0);
    CHECK_FALSE(r.ok());
    CHECK(r.above == 1);
    CHECK(r.above_m2 == Approx(500.0));
    CHECK(r.below == 1);
    CHECK(r.below_m2 == Approx(0.5));
    REQUIRE(r.findings.size() == 2);
    CHECK_FALSE(r.findings[0].below_tolerance);
    CHECK(r.findings[1].below_tolerance);

    const RuleResult loose = run(ctx, rule(RuleKind::no_overlap, {"a", "b"}), set, 1000.0);
    CHECK(loose.ok());
    CHECK(loose.below == 2);
    CHECK(loose.findings.size() == 2);
    CHECK(loose.below_m2 == Approx(500.5));
}

TEST_CASE("check: the same findings whatever the thread count", "[check]") {
    GeosContext ctx;
    LayerSet set;
    std::vector<std::string> a, b;
    for (int i = 0; i < 40; ++i) {
        a.push_back(poly(i * 10, 0, i * 10 + 10, 10));
        b.push_back(poly(i * 10 + 5, 5, i * 10 + 15, 15));
    }
    set.layers.push_back(layer(ctx, "a", a));
    set.layers.push_back(layer(ctx, "b", b));
    const RuleResult one = run(ctx, rule(RuleKind::no_overlap, {"a", "b"}), set, 1.0, 1);
    const RuleResult four = run(ctx, rule(RuleKind::no_overlap, {"a", "b"}), set, 1.0, 4);
    REQUIRE(one.findings.size() == 79);  // each a meets b i-1 and b i (except the first)
    REQUIRE(four.findings.size() == one.findings.size());
    for (std::size_t i = 0; i < one.findings.size(); ++i) {
        CHECK(one.findings[i].fid_a == four.findings[i].fid_a);
        CHECK(one.findings[i].fid_b == four.findings[i].fid_b);
    }
    CHECK(one.above_m2 == Approx(40 * 25.0 + 39 * 25.0));
}

TEST_CASE("check: rule names and presets", "[check]") {
    CHECK(rule_name(rule(RuleKind::no_overlap, {"redline", "farmland"})) == "no_overlap_redline_farmland");
    CHECK(rule_name(rule(RuleKind::no_self_overlap, {"districts"})) == "no_self_overlap_districts");
    CHECK(pairwise_no_overlap({"a", "b", "c"}).size() == 3);
    const auto preset = sanxian_rules("county", "redline", "farmland", "urban");
    REQUIRE(preset.size() == 9);
    CHECK(rule_name(preset[3]) == "within_redline_county");
    CHECK(rule_name(preset[8]) == "valid_urban");
    CHECK(parse_rule_kind("no_overlap") == RuleKind::no_overlap);
    REQUIRE_THROWS_WITH(parse_rule_kind("overlaps"), Contains("unknown rule 'overlaps'"));
}

TEST_CASE("check: project file: layers and rules / relative paths", "[check][project]") {
    const std::string text = R"(
[project]
min_area = 2.5

[layers.county]
path = "data/plan.gpkg"
layer = "county"

[layers.redline]
path = "/abs/plan.gpkg"
layer = "redline"
key = "code"

[layers.farmland]
path = "plan.gpkg"

[[rules]]
rule = "no-overlap"
layers = ["redline", "farmland", "county"]

[[rules]]
rule = "slivers"
layer = "farmland"
max_width = 2
min_area = 0.5

[outputs]
dir = "out"
)";
    const Project p = parse_project(text, "/work/p/project.toml");
    REQUIRE(p.plan.layers.size() == 3);
    CHECK(p.plan.layers[0].name == "county");  // file order
    CHECK(p.plan.layers[0].path == "/work/p/data/plan.gpkg");
    CHECK(p.plan.layers[1].path == "/abs/plan.gpkg");
    CHECK(p.plan.layers[1].key == "code");
    REQUIRE(p.plan.rules.size() == 4);
    CHECK(rule_name(p.plan.rules[2]) == "no_overlap_farmland_county");
    CHECK(p.plan.rules[3].max_width == 2.0);
    CHECK(*p.plan.rules[3].min_area == 0.5);
    CHECK(p.plan.rules[3].line == 21);  // the second [[rules]] header
    CHECK(*p.min_area == 2.5);
    CHECK(p.run.dir == "/work/p/out");  // relative to the project file
    CHECK(p.run.unit == "ha");
    CHECK(p.run.method == "ellip");
}

TEST_CASE("check: project file: errors with line and column", "[check][project]") {
    const std::string layers = "[layers.a]\npath = \"a.gpkg\"\n[layers.b]\npath = \"b.gpkg\"\n";
    SECTION("TOML syntax") {
        REQUIRE_THROWS_WITH(parse_project("[layers.a]\npath = \"a.gpkg\"\nlayer = \n", "p.toml"),
                            Contains("'p.toml' line 3, column") && Contains("TOML syntax"));
    }
    SECTION("unknown rule") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[[rules]]\nrule = \"no-overlaps\"\nlayers = [\"a\", \"b\"]\n", "p.toml"),
                            Contains("line 6, column") && Contains("unknown rule 'no-overlaps'"));
    }
    SECTION("a rule naming a missing layer") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[[rules]]\nrule = \"no-overlap\"\nlayers = [\"a\", \"farmland\"]\n", "p.toml"),
                            Contains("line 5, column 1") && Contains("names layer 'farmland', which is not declared") &&
                                Contains("layers: a, b"));
    }
    SECTION("unknown key in a layer") {
        REQUIRE_THROWS_WITH(parse_project("[layers.a]\npaht = \"a.gpkg\"\n", "p.toml"),
                            Contains("line 2, column 1") && Contains("unknown key 'paht' in [layers.a]"));
    }
    SECTION("unknown key in a rule") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[[rules]]\nrule = \"slivers\"\nlayer = \"a\"\nmax_widht = 2\n", "p.toml"),
                            Contains("line 8, column 1") && Contains("unknown key 'max_widht'"));
    }
    SECTION("slivers without a width") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[[rules]]\nrule = \"slivers\"\nlayer = \"a\"\n", "p.toml"),
                            Contains("needs max_width"));
    }
    SECTION("a mistyped value") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[[rules]]\nrule = \"clearance\"\nlayer = \"a\"\nfrom = \"b\"\ndistance = \"50\"\n", "p.toml"),
                            Contains("line 9, column 12") && Contains("'distance'") && Contains("must be a number"));
    }
    SECTION("no rules") {
        REQUIRE_THROWS_WITH(parse_project(layers, "p.toml"), Contains("no rules"));
    }
    SECTION("a misspelt [[rules]]") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[[rule]]\nrule = \"valid\"\nlayer = \"a\"\n", "p.toml"),
                            Contains("did you mean [[rules]]"));
    }
}

TEST_CASE("check: the JSON report has the agreed shape", "[check]") {
    GeosContext ctx;
    LayerSet set;
    set.layers.push_back(layer(ctx, "a", {poly(0, 0, 100, 100)}));
    set.layers.push_back(layer(ctx, "b", {poly(99.5, 0, 150, 1), poly(50, 50, 150, 60)}));
    CheckResult result;
    result.analysis = Crs::from_epsg(4544);
    result.rules.push_back(run(ctx, rule(RuleKind::no_overlap, {"a", "b"}), set));
    result.rules.push_back(run(ctx, rule(RuleKind::valid, {"a"}), set));
    const auto doc = nlohmann::json::parse(check_report_json(result));
    REQUIRE(doc.size() == 1);
    REQUIRE(doc["rules"].size() == 2);
    const auto& r = doc["rules"][0];
    CHECK(r.size() == 8);  // the agreed seven, and "largest": the largest findings with their lon/lat
    CHECK(r["rule"] == "no-overlap");
    CHECK(r["layers"] == nlohmann::json::array({"a", "b"}));
    CHECK(r["ok"] == false);
    CHECK(r["findings"] == 1);
    CHECK(r["area_m2"].get<double>() == Approx(500.0));
    CHECK(r["below_tolerance"] == 1);
    CHECK(r["below_tolerance_area_m2"].get<double>() == Approx(0.5));
    CHECK(doc["rules"][1]["ok"] == true);
    CHECK(doc["rules"][1]["findings"] == 0);
    CHECK_THAT(check_summary(result), Contains("FAIL no_overlap_a_b") && Contains("1 of 2 rules fail"));
    CHECK_THAT(check_report_markdown(result), Contains("*no_overlap_a_b*") && Contains("**不通过 FAIL**"));
}
