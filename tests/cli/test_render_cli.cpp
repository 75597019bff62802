// End-to-end tests of `zonekit render`: pictures of layers written by GDAL in the test and of the bundled
// Chongzhou data, read back with Cairo; expected counts and colours worked out by hand.
#include "harness.hpp"

#include <cairo.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>

using namespace zk::test;

namespace {
// A 1 km square in EPSG:4544 near Chongzhou.
const std::string km_square =
    "POLYGON((380000 3390000,381000 3390000,381000 3391000,380000 3391000,380000 3390000))";

std::string chongzhou(const std::string& file) { return source_dir() + "/layers/chongzhou/" + file; }
}  // namespace

TEST_CASE("render has --help", "[cli][render]") {
    auto r = run_zonekit({"render", "--help"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Usage"));
    CHECK_THAT(r.out, Catch::Contains("--size"));
    CHECK(r.err.empty());
}

TEST_CASE("render: one square as farmland, --size 400x300 gives a 400 × 300 PNG with its fill", "[cli][render]") {
    TempDir dir;
    write_layer(dir / "plan.gpkg", "GPKG", "zone", 4544, wkbPolygon, {"code"}, {{km_square, {"A"}}});
    auto r = run_zonekit({"render", dir / "plan.gpkg", "--role", "farmland", "--size", "400x300", "--dpi", "96",
                          "-o", dir / "map.png"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("wrote") && Catch::Contains("400 × 300 px") && Catch::Contains("1 features"));
    CHECK_THAT(r.err, !Catch::Contains("warning"));
    Png png(dir / "map.png");
    CHECK(png.width == 400);
    CHECK(png.height == 300);
    // farmland (245, 210, 60) at alpha 160/255 over white = (248.7, 226.8, 132.6). The square fills most of a
    // frame about 170 px across (400 px less a legend of at most 42 %, less margins): well over 5000 pixels of it.
    CHECK(png.count(249, 227, 133, 2) > 5000);
    CHECK(png.count(255, 255, 255, 0) > 10000);  // background
}

TEST_CASE("render: every layer of a GeoPackage, roles from the layer names", "[cli][render]") {
    TempDir dir;
    auto r = run_zonekit({"render", chongzhou("chongzhou.gpkg"), "-o", dir / "all.png", "--size", "1200"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // county 1, districts 5, redline 4, farmland 7, urban 3, parcels 386, rivers 4, trees 38 = 448
    CHECK_THAT(r.err, Catch::Contains("448 features") && Catch::Contains("EPSG:4544"));
    CHECK_THAT(r.err, !Catch::Contains("warning"));  // every layer has a role, every text its glyphs
    Png png(dir / "all.png");
    CHECK(png.width == 1200);

    r = run_zonekit({"render", chongzhou("chongzhou.gpkg"), "--layer", "districts", "--layer", "rivers", "-o",
                     dir / "two.png", "--title", "两层"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("9 features"));
}

TEST_CASE("render: the Chongzhou project as SVG (same bytes twice) and PDF", "[cli][render]") {
    TempDir dir;
    auto r = run_zonekit({"render", chongzhou("project.toml"), "-o", dir / "a.svg"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    r = run_zonekit({"render", chongzhou("project.toml"), "-o", dir / "b.svg"});
    REQUIRE(r.exit_code == 0);
    const std::string a = read_file(dir / "a.svg");
    CHECK(a.rfind("<?xml", 0) == 0);
    CHECK(a.find("<svg") != std::string::npos);
    CHECK(a == read_file(dir / "b.svg"));

    r = run_zonekit({"render", chongzhou("project.toml"), "-o", dir / "map.pdf", "--dpi", "300"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(dir / "map.pdf").rfind("%PDF", 0) == 0);
}

TEST_CASE("render: bad inputs exit 2 with a clear message", "[cli][render]") {
    TempDir dir;
    write_layer(dir / "plan.gpkg", "GPKG", "zone", 4544, wkbPolygon, {"code"}, {{km_square, {"A"}}});
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<Case> cases = {
        {{"render", dir / "missing.gpkg", "-o", dir / "m.png"}, "missing.gpkg"},
        {{"render", dir / "plan.gpkg", "--role", "roads", "-o", dir / "m.png"}, "--role"},
        {{"render", dir / "plan.gpkg", "--size", "400by300", "-o", dir / "m.png"}, "WIDTHxHEIGHT"},
        {{"render", dir / "plan.gpkg", "--size", "20x20", "-o", dir / "m.png"}, "WIDTHxHEIGHT"},
        {{"render", dir / "plan.gpkg", "--dpi", "5", "-o", dir / "m.png"}, "--dpi"},
        {{"render", dir / "plan.gpkg", "--layer", "nosuch", "-o", dir / "m.png"}, "--layer 'nosuch'"},
        {{"render", dir / "plan.gpkg", "-o", dir / "m.jpg"}, ".png, .svg or .pdf"},
        {{"render", dir / "plan.gpkg", "--crs", "EPSG:4490", "-o", dir / "m.png"}, "not projected"},
        {{"render", dir / "plan.gpkg", dir / "plan.gpkg", "--role", "urban", "-o", dir / "m.png"}, "--role"},
        {{"render", dir / "plan.gpkg", "-o", dir / "no/such/dir/m.png"}, "does not exist"},
    };
    for (const auto& c : cases) {
        auto r = run_zonekit(c.args);
        INFO(c.args[1] << " … " << c.says << "\n" << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains(c.says));
    }
    CHECK_FALSE(std::filesystem::exists(dir / "m.png"));
    CHECK_FALSE(std::filesystem::exists(dir / "m.jpg"));

    // An existing picture is replaced only with --overwrite.
    REQUIRE(run_zonekit({"render", dir / "plan.gpkg", "-o", dir / "m.png"}).exit_code == 0);
    auto r = run_zonekit({"render", dir / "plan.gpkg", "-o", dir / "m.png"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--overwrite"));
    CHECK(run_zonekit({"render", dir / "plan.gpkg", "-o", dir / "m.png", "--overwrite"}).exit_code == 0);
}
