// End to end: styles from the data (issue #11). Another county's districts, named by the plan database's
// standard layer name (GHFQ), exported, rendered and run: the layer_styles row lists their own names, the map
// and its legend show each in its own colour, and parcels whose code field is DLBM are coloured by code.
#include "harness.hpp"

#include "zonekit/io/palette.hpp"

#include <cairo.h>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <memory>
#include <regex>

using namespace zk::test;
using Catch::Matchers::Contains;

namespace {

// Seven zone names, none of them the Chongzhou sample's.
const std::vector<std::string> zones = {"生态保护区", "生态控制区", "农田保护区", "城镇发展区",
                                        "乡村发展区", "矿产能源发展区", "其他保护利用区"};

// Seven 1 km squares in a row (EPSG:4544 near Chongzhou), a parcel square of code 0101 below the first.
void write_county(const std::string& path) {
    std::vector<FixtureFeature> districts;
    for (std::size_t i = 0; i < zones.size(); ++i) {
        const double x = 380000 + 1000.0 * static_cast<double>(i);
        districts.push_back({fmt::format("POLYGON(({0} 3390000,{1} 3390000,{1} 3391000,{0} 3391000,{0} 3390000))", x,
                                         x + 1000),
                             {zones[i], fmt::format("{}", i + 1)}});
    }
    write_layer(path, "GPKG", "GHFQ", 4544, wkbPolygon, {"name", "BSM"}, districts);
    write_layer(path, "GPKG", "DLTB", 4544, wkbPolygon, {"DLBM"},
                {{"POLYGON((380000 3388500,381000 3388500,381000 3389500,380000 3389500,380000 3388500))", {"0101"}}});
}

// Each zone appears as a category of the QML, with a fill symbol of that number.
void check_qml_lists_zones(const std::string& qml) {
    for (const auto& zone : zones) {
        INFO(zone);
        const std::regex category("<category render=\"true\" value=\"" + zone + "\" label=\"" + zone +
                                  "\" symbol=\"([0-9]+)\"/>");
        std::smatch m;
        REQUIRE(std::regex_search(qml, m, category));
        CHECK_THAT(qml, Contains("<symbol type=\"fill\" name=\"" + m[1].str() + "\""));
    }
    CHECK_THAT(qml, Contains("<category render=\"true\" value=\"\" label=\"其他 other\""));
}

// Pixels of `fill` drawn over white.
int count_blended(const Png& png, const zk::Rgba& fill) {
    const double a = fill.a / 255.0;
    auto over_white = [a](int c) { return static_cast<int>(std::lround(a * c + (1 - a) * 255)); };
    return png.count(over_white(fill.r), over_white(fill.g), over_white(fill.b));
}

}  // namespace

TEST_CASE("export: a GHFQ layer of new zone names is styled as districts with a category per name",
          "[cli][styles][export]") {
    TempDir dir;
    write_county(dir / "county.gpkg");
    const RunResult r = run_zonekit({"export", dir / "county.gpkg", "-o", dir / "out.gpkg"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("of 'GHFQ', styled as 'districts'") && Contains("of 'DLTB', styled as 'parcels'"));
    const auto rows = query(dir / "out.gpkg", "SELECT f_table_name, styleQML, styleSLD FROM layer_styles ORDER BY id");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0][0] == "GHFQ");
    check_qml_lists_zones(rows[0][1]);
    for (const auto& zone : zones) CHECK_THAT(rows[0][2], Contains("<ogc:Literal>" + zone + "</ogc:Literal>"));
    // Parcels read DLBM, as the layer spells it.
    CHECK(rows[1][0] == "DLTB");
    CHECK_THAT(rows[1][1], Contains("&quot;DLBM&quot;") && !Contains("&quot;dlbm&quot;"));
    CHECK_THAT(rows[1][2], Contains("<ogc:PropertyName>DLBM</ogc:PropertyName>"));

    // The same data give the same style (the colours do not depend on the order the features come in).
    const RunResult again = run_zonekit({"export", dir / "county.gpkg", "-o", dir / "again.gpkg"});
    REQUIRE(again.exit_code == 0);
    CHECK(query(dir / "again.gpkg", "SELECT styleQML FROM layer_styles ORDER BY id")[0][0] == rows[0][1]);
}

TEST_CASE("render: new zone names each in their own colour, in the map and in the legend", "[cli][styles][render]") {
    TempDir dir;
    write_county(dir / "county.gpkg");
    const zk::RoleStyle style = zk::Palette::builtin().role("districts").with_values(zones);
    REQUIRE(style.categories.size() == 7);

    const RunResult r = run_zonekit({"render", dir / "county.gpkg", "-o", dir / "map.png", "--size", "1400"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("8 features") && !Contains("warning"));  // DLBM found: no missing-field warning
    const Png map(dir / "map.png");
    for (const auto& c : style.categories) {
        INFO(c.value);
        CHECK(count_blended(map, *c.fill) > 2000);  // the square (less its label) and the legend swatch
    }
    CHECK(map.count(255, 255, 100, 1) > 2000);  // the parcel in its 0101 水田 colour, not "other" grey

    // The legend alone: the map frame shows none of the squares, the legend's swatches still show each name.
    const RunResult legend = run_zonekit({"render", dir / "county.gpkg", "-o", dir / "legend.png", "--size", "1400",
                                          "--extent", "300000,3300000,301000,3301000"});
    INFO(legend.err);
    REQUIRE(legend.exit_code == 0);
    const Png only(dir / "legend.png");
    for (const auto& c : style.categories) {
        INFO(c.value);
        CHECK(count_blended(only, *c.fill) > 100);
    }
}

TEST_CASE("run: a project layer named like a role is styled from its data in analysis.gpkg", "[cli][styles][run]") {
    TempDir dir;
    write_county(dir / "county.gpkg");
    {
        std::ofstream toml(dir / "p.toml");
        toml << "[project]\nname = \"某县\"\n"
                "[layers.zones]\npath = \"county.gpkg\"\nlayer = \"GHFQ\"\nkey = \"BSM\"\n"
                "[layers.landuse]\npath = \"county.gpkg\"\nlayer = \"DLTB\"\n"
                "[[rules]]\nrule = \"valid\"\nlayer = \"zones\"\n";
    }
    const RunResult r = run_zonekit({"run", dir / "p.toml", "-o", dir / "out"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto rows = query(dir / "out/analysis.gpkg", "SELECT f_table_name, styleQML FROM layer_styles WHERE "
                                                       "f_table_name IN ('zones', 'landuse') ORDER BY id");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0][0] == "zones");
    check_qml_lists_zones(rows[0][1]);
    CHECK(rows[1][0] == "landuse");
    CHECK_THAT(rows[1][1], Contains("&quot;DLBM&quot;"));
    const auto summary = nlohmann::json::parse(read_file(dir / "out/summary.json"));
    CHECK(summary["layers"][0]["role"] == "districts");
    CHECK(summary["layers"][1]["role"] == "parcels");
}
