// The parts of `zonekit run` that need no data: the project file's run sections and the HTML report.
#include "zonekit/base/error.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/present/report.hpp"
#include "zonekit/project/project.hpp"

#include <catch2/catch.hpp>

using namespace zk;
using Catch::Matchers::Contains;

namespace {
const std::string layers = R"(
[layers.county]
path = "plan.gpkg"
layer = "county"
role = "boundary"
[layers.districts]
path = "plan.gpkg"
[layers.parcels]
path = "parcels.shp"
encoding = "GBK"
[layers.trees]
path = "plan.gpkg"
role = "points"
[[rules]]
rule = "covers"
boundary = "county"
layer = "districts"
)";
}

TEST_CASE("run: the project file's run sections", "[run][project]") {
    const Project p = parse_project(layers + R"(
[outputs]
dir = "out"
title = "标题"
unit = "mu"
geojson = ["districts", "cut"]
keep_crs = true
map = false
[[areas]]
layer = "districts"
by = "name"
[[tables]]
zones = "districts"
zone_field = "name"
classes = "parcels"
class_field = "dlbm"
control = "county"
[[tables]]
name = "t2"
zones = "districts"
zone_field = "name"
classes = "parcels"
class_field = "dlbm"
control = 1234.5
method = "plan"
[[counts]]
points = "trees"
zones = "districts"
zone_field = "name"
[[overlays]]
name = "cut"
op = "identity"
a = "parcels"
b = "districts"
keep_fields = "a:dlbm"
)",
                                    "/w/p/project.toml");
    CHECK(p.plan.layers[0].role == "boundary");
    CHECK(p.plan.layers[1].role == "districts");  // the layer's name is a role
    CHECK(p.plan.layers[2].role == "parcels");
    CHECK(p.plan.layers[3].role == "points");
    const RunSpec& r = p.run;
    CHECK(r.dir == "/w/p/out");
    CHECK(r.title == "标题");
    CHECK(r.unit == "mu");
    CHECK(r.method == "ellip");  // default
    CHECK(r.geojson == std::vector<std::string>{"districts", "cut"});
    CHECK(r.keep_crs);
    CHECK_FALSE(r.map);
    REQUIRE(r.areas.size() == 1);
    CHECK(r.areas[0].name == "areas_districts_by_name");
    REQUIRE(r.tables.size() == 2);
    CHECK(r.tables[0].name == "table_districts_parcels");
    CHECK(r.tables[0].control_layer == "county");
    CHECK_FALSE(r.tables[0].control);
    CHECK(*r.tables[1].control == 1234.5);
    CHECK(r.tables[1].method == "plan");
    REQUIRE(r.counts.size() == 1);
    CHECK(r.counts[0].name == "count_trees_districts");
    REQUIRE(r.overlays.size() == 1);
    CHECK(r.overlays[0].op == "identity");
}

TEST_CASE("run: errors in the run sections name the line", "[run][project]") {
    SECTION("unknown role") {
        REQUIRE_THROWS_WITH(parse_project("[layers.a]\npath = \"a.gpkg\"\nrole = \"roads\"\n[[rules]]\nrule = \"valid\"\nlayer = \"a\"\n",
                                          "p.toml"),
                            Contains("line 3") && Contains("unknown role 'roads'") && Contains("boundary, districts"));
    }
    SECTION("a job naming an undeclared layer") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[[areas]]\nlayer = \"farmland\"\n", "p.toml"),
                            Contains("line 19") && Contains("layer 'farmland' is not declared") &&
                                Contains("county, districts, parcels, trees"));
    }
    SECTION("unknown key") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[[tables]]\nzones = \"districts\"\nzone_feild = \"x\"\n", "p.toml"),
                            Contains("unknown key 'zone_feild' in [[tables]] 1"));
    }
    SECTION("a missing key") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[[counts]]\npoints = \"trees\"\nzones = \"districts\"\n", "p.toml"),
                            Contains("[[counts]] 1 needs 'zone_field'"));
    }
    SECTION("a wrong type") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[outputs]\nmap = \"yes\"\n", "p.toml"),
                            Contains("line 19") && Contains("'map' in [outputs] must be true or false"));
    }
    SECTION("a bad unit, method, operation") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[outputs]\nunit = \"acre\"\n", "p.toml"), Contains("line 19"));
        REQUIRE_THROWS_WITH(parse_project(layers + "[outputs]\nmethod = \"sphere\"\n", "p.toml"), Contains("line 19"));
        REQUIRE_THROWS_WITH(
            parse_project(layers + "[[overlays]]\nop = \"merge\"\na = \"parcels\"\nb = \"districts\"\n", "p.toml"),
            Contains("line 19") && Contains("merge"));
    }
    SECTION("two results of one name") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[[areas]]\nlayer = \"districts\"\nname = \"x\"\n[[counts]]\npoints = "
                                                   "\"trees\"\nzones = \"districts\"\nzone_field = \"n\"\nname = \"x\"\n",
                                          "p.toml"),
                            Contains("result name 'x' is used twice"));
    }
    SECTION("geojson of something unknown") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[outputs]\ngeojson = [\"roads\"]\n", "p.toml"),
                            Contains("geojson names 'roads'"));
    }
    SECTION("an unknown section") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[output]\ndir = \"x\"\n", "p.toml"),
                            Contains("line 18") && Contains("unknown top-level key 'output'"));
    }
    SECTION("a non-positive control") {
        REQUIRE_THROWS_WITH(parse_project(layers + "[[tables]]\nzones = \"districts\"\nzone_field = \"a\"\nclasses = "
                                                   "\"parcels\"\nclass_field = \"b\"\ncontrol = 0\n",
                                          "p.toml"),
                            Contains("control area must be positive"));
    }
}

TEST_CASE("run: Markdown report to self-contained HTML", "[run][report]") {
    const std::string md = "# 崇州 <plan> & co\n\nA **bold** `code` line\ncontinued.\n\n- one\n- two\n\n"
                           "| zone | area |\n|---|---:|\n| 天府 | 1.50 |\n| a\\|b | 2 |\n\n![the map](map.svg)\n\n"
                           "![other](x.png)\n";
    const std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>\n";
    const std::string html = markdown_to_html(md, "T & t", {{"map.svg", svg}});
    CHECK_THAT(html, Contains("<!DOCTYPE html>"));
    CHECK_THAT(html, Contains("<meta charset=\"utf-8\">"));
    CHECK_THAT(html, Contains("<title>T &amp; t</title>"));
    CHECK_THAT(html, Contains("<h1>崇州 &lt;plan&gt; &amp; co</h1>"));
    CHECK_THAT(html, Contains("<p>A <strong>bold</strong> <code>code</code> line continued.</p>"));
    CHECK_THAT(html, Contains("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"));
    CHECK_THAT(html, Contains("<th>zone</th><th class=\"r\">area</th>"));
    CHECK_THAT(html, Contains("<td>天府</td><td class=\"r\">1.50</td>"));
    CHECK_THAT(html, Contains("<td>a|b</td>"));
    CHECK_THAT(html, Contains("<figure id=\"fig-map-svg\">\n<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>"));
    CHECK(html.find("<?xml") == std::string::npos);  // the declaration may not appear inside HTML
    CHECK_THAT(html, Contains("<img src=\"x.png\" alt=\"other\">"));
    // The map's pan-and-zoom is inline script; nothing is fetched.
    CHECK_THAT(html, Contains("<script>"));
    CHECK(html.find("<script src") == std::string::npos);
    CHECK(html.find("src=\"http") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    // Tags balance.
    auto count = [&html](const std::string& s) {
        std::size_t n = 0;
        for (auto p = html.find(s); p != std::string::npos; p = html.find(s, p + 1)) ++n;
        return n;
    };
    CHECK(count("<table>") == count("</table>"));
    CHECK(count("<tr>") == count("</tr>"));
    CHECK(count("<p>") == count("</p>"));
}

TEST_CASE("run: report HTML: English in small type, links to inline figures, escaped stars", "[run][report]") {
    const std::string md = "红线 *red line*，见 [图 1](inset_a_1.png) 与 [文件](other.csv)\n\n"
                           "| name |\n|---|\n| " + md_cell("a*b`c|d") + " |\n\n![近景](inset_a_1.png)\n";
    const std::string html = markdown_to_html(md, "t", {{"inset_a_1.png", "<svg viewBox=\"0 0 1 1\"></svg>"}});
    CHECK_THAT(html, Contains("红线 <em>red line</em>"));
    CHECK_THAT(html, Contains("<a href=\"#fig-inset-a-1-png\">图 1</a>"));  // to the figure inlined below
    CHECK_THAT(html, Contains("<figure id=\"fig-inset-a-1-png\">"));
    CHECK_THAT(html, Contains("<a href=\"other.csv\">文件</a>"));
    CHECK_THAT(html, Contains("<td>a*b`c|d</td>"));  // a name's own * ` | stay characters
}
