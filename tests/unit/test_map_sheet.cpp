// The map sheet's layout: ISO paper sizes converted to points by hand, boxes that stay inside the margins and
// never overlap, round scales, and the locator's rectangle worked out by hand.
#include "zonekit/base/error.hpp"
#include "zonekit/present/map_sheet.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace {

bool overlap(const zk::Box& a, const zk::Box& b) {
    return a.min_x < b.max_x && b.min_x < a.max_x && a.min_y < b.max_y && b.min_y < a.max_y;
}

void check_layout(const zk::SheetLayout& L) {
    // 10 mm = 28.3465 pt
    CHECK(L.margin_pt == Approx(28.3465).margin(0.001));
    const std::vector<std::pair<const char*, zk::Box>> boxes = {
        {"map", L.map}, {"legend", L.legend}, {"locator", L.locator}, {"title block", L.title_block}};
    for (const auto& [name, b] : boxes) {
        INFO(name << ": " << b.min_x << " " << b.min_y << " " << b.max_x << " " << b.max_y);
        CHECK(b.min_x >= L.margin_pt - 1e-9);
        CHECK(b.min_y >= L.margin_pt - 1e-9);
        CHECK(b.max_x <= L.width_pt - L.margin_pt + 1e-9);
        CHECK(b.max_y <= L.height_pt - L.margin_pt + 1e-9);
        CHECK(b.max_x - b.min_x > 100);  // more than 35 mm each way
        CHECK(b.max_y - b.min_y > 100);
    }
    for (std::size_t i = 0; i < boxes.size(); ++i)
        for (std::size_t j = i + 1; j < boxes.size(); ++j) {
            INFO(boxes[i].first << " and " << boxes[j].first);
            CHECK_FALSE(overlap(boxes[i].second, boxes[j].second));
        }
    // The map takes most of the page.
    const double map_area = (L.map.max_x - L.map.min_x) * (L.map.max_y - L.map.min_y);
    CHECK(map_area > 0.5 * L.width_pt * L.height_pt);
}

}  // namespace

TEST_CASE("sheet: paper sizes by name, in points", "[sheet]") {
    // ISO 216 by hand: A3 420 × 297 mm, A4 297 × 210 mm; × 72 / 25.4 pt per mm.
    const auto a3 = zk::sheet_layout(zk::parse_sheet_format("A3"));
    CHECK(a3.width_pt == Approx(1190.551).margin(0.001));
    CHECK(a3.height_pt == Approx(841.890).margin(0.001));
    const auto a4 = zk::sheet_layout(zk::parse_sheet_format("a4"));
    CHECK(a4.width_pt == Approx(841.890).margin(0.001));
    CHECK(a4.height_pt == Approx(595.276).margin(0.001));
    const auto a4p = zk::sheet_layout(zk::parse_sheet_format("A4-portrait"));
    CHECK(a4p.width_pt == Approx(595.276).margin(0.001));
    CHECK(a4p.height_pt == Approx(841.890).margin(0.001));
    CHECK(zk::parse_sheet_format("a3-PORTRAIT").name == "A3-portrait");
    REQUIRE_THROWS_AS(zk::parse_sheet_format("A5"), zk::InputError);
    REQUIRE_THROWS_WITH(zk::parse_sheet_format("A5"), Catch::Contains("'A5'") && Catch::Contains("A3"));
}

TEST_CASE("sheet: the frames lie inside the margins and do not overlap, every size", "[sheet]") {
    for (const auto& name : zk::sheet_format_names()) {
        INFO(name);
        check_layout(zk::sheet_layout(zk::parse_sheet_format(name)));
    }
}

TEST_CASE("sheet: round scales", "[sheet]") {
    CHECK(zk::round_scale(154700) == 200000);
    CHECK(zk::round_scale(226800) == 250000);
    CHECK(zk::round_scale(100000) == 100000);
    CHECK(zk::round_scale(110000) == 120000);
    CHECK(zk::round_scale(26000) == 30000);
    CHECK(zk::round_scale(8100) == 10000);
    CHECK(zk::round_scale(4500) == 5000);
}

TEST_CASE("sheet: the locator's rectangle", "[sheet]") {
    const zk::Box frame{0, 0, 200, 100};
    const zk::Box all{0, 0, 1000, 1000};
    // The whole: 1000 m square in a 200 × 100 frame at 0.1 units/m, centred: x 50…150, y 0…100.
    auto v = zk::locator_view(frame, all, all);
    CHECK(v.scale == Approx(0.1));
    CHECK(v.extent.min_x == Approx(-500));
    CHECK(v.extent.max_x == Approx(1500));
    CHECK(v.rect.min_x == Approx(50));
    CHECK(v.rect.max_x == Approx(150));
    CHECK(v.rect.min_y == Approx(0));
    CHECK(v.rect.max_y == Approx(100));
    // Zoomed in on x 400…500, y 400…450: x 90…100; y down from the top: (1000 − 450)·0.1 = 55 … 60.
    v = zk::locator_view(frame, all, {400, 400, 500, 450});
    CHECK(v.rect.min_x == Approx(90));
    CHECK(v.rect.max_x == Approx(100));
    CHECK(v.rect.min_y == Approx(55));
    CHECK(v.rect.max_y == Approx(60));
    // A 1 m square is grown to 3 units about its centre (100.05, 49.95).
    v = zk::locator_view(frame, all, {500, 500, 501, 501});
    CHECK(v.rect.min_x == Approx(98.55));
    CHECK(v.rect.max_x == Approx(101.55));
    CHECK(v.rect.min_y == Approx(48.45));
    CHECK(v.rect.max_y == Approx(51.45));
    // A main map partly beyond the layers: the locator shows both; the rectangle stays in the frame.
    v = zk::locator_view(frame, all, {900, 0, 2100, 600});
    CHECK(v.extent.min_x <= 0);
    CHECK(v.extent.max_x >= 2100);
    CHECK(v.rect.min_x >= frame.min_x);
    CHECK(v.rect.max_x <= frame.max_x);
    CHECK(v.rect.max_x - v.rect.min_x == Approx(1200 * v.scale));
}

TEST_CASE("sheet: the bundled layers zoomed in on an A4 sheet keep their locator", "[sheet]") {
    zk::MapSpec spec;
    spec.title = "测试";
    const std::string gpkg = std::string(ZK_SOURCE_DIR) + "/layers/chongzhou/chongzhou.gpkg";
    for (const char* name : {"county", "districts", "redline", "farmland"}) {
        zk::MapLayer layer;
        layer.path = gpkg;
        layer.layer = name;
        spec.layers.push_back(layer);
    }
    // A 6 × 4 km window near the county's middle, in EPSG:4544 (the county spans about 360–400 km east,
    // 3380–3415 km north there).
    spec.extent = zk::Box{375000, 3392000, 381000, 3396000};
    const auto dir = std::filesystem::temp_directory_path() / "zk_sheet_unit";
    std::filesystem::create_directories(dir);
    const std::string out = (dir / "zoom.pdf").string();
    zk::SheetOptions options;
    options.format = zk::parse_sheet_format("A4");
    options.project = "崇州";
    options.date = "2024-01-02";
    zk::OutputOptions output;
    output.overwrite = true;
    const auto r = zk::render_sheet(spec, options, out, output);
    check_layout(r.layout);
    CHECK(r.map.crs == "EPSG:4544");
    CHECK(r.map.features_drawn > 0);
    // The printed map holds the window asked for.
    CHECK(r.map.extent.min_x <= 375000);
    CHECK(r.map.extent.max_x >= 381000);
    CHECK(r.map.extent.min_y <= 3392000);
    CHECK(r.map.extent.max_y >= 3396000);
    // The locator shows the whole county, so the window is a small rectangle inside it.
    const auto& loc = r.layout.locator;
    CHECK(r.locator.rect.min_x > loc.min_x);
    CHECK(r.locator.rect.max_x < loc.max_x);
    CHECK(r.locator.rect.min_y > loc.min_y);
    CHECK(r.locator.rect.max_y < loc.max_y);
    CHECK(r.locator.rect.max_x - r.locator.rect.min_x < 0.5 * (loc.max_x - loc.min_x));
    CHECK(r.legend_hidden == 0);
    // The title block names the date and the scale 1:n with a round n.
    const std::string lines = [&] {
        std::string all;
        for (const auto& l : r.title_block) all += l + "\n";
        return all;
    }();
    CHECK_THAT(lines, Catch::Contains("2024-01-02") && Catch::Contains("EPSG:4544") && Catch::Contains("崇州"));
    CHECK(zk::round_scale(r.scale_denominator) == r.scale_denominator);
    // A sheet is a PDF.
    CHECK_THROWS_AS(zk::render_sheet(spec, options, (dir / "zoom.png").string(), output), zk::InputError);
    std::filesystem::remove_all(dir);
}
