// Map pictures: the palette as typed styles, the scale bar's round length, and pictures of hand-made layers
// whose pixels are checked against colours blended by hand (a over white: a·c + (1 − a)·255).
#include "zonekit/base/error.hpp"
#include "zonekit/io/palette.hpp"
#include "zonekit/io/styles.hpp"
#include "zonekit/present/render.hpp"
#include "zonekit/project/project.hpp"

#include "support/files.hpp"
#include "support/png.hpp"
#include "support/temp_dir.hpp"

#include <gdal_priv.h>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace zk::test;

namespace {

// A GeoJSON layer in EPSG:4544 (CGCS2000 / 3-degree Gauss–Kruger CM 105E), metres.
void write_geojson(const std::string& path, const std::vector<std::pair<std::string, std::string>>& features,
                   const std::string& field = "name") {
    std::ofstream out(path);
    out << R"({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4544"}},)"
        << "\n\"features\": [\n";
    for (std::size_t i = 0; i < features.size(); ++i)
        out << (i ? ",\n" : "") << R"({"type": "Feature", "properties": {")" << field << R"(": ")"
            << features[i].first << R"("}, "geometry": )" << features[i].second << "}";
    out << "\n]}\n";
}

std::string square(double x0, double y0, double side) {
    return fmt::format(R"({{"type": "Polygon", "coordinates": [[[{0}, {1}], [{2}, {1}], [{2}, {3}], [{0}, {3}], [{0}, {1}]]]}})",
                       x0, y0, x0 + side, y0 + side);
}

bool near(const zk::Rgba& c, int r, int g, int b, int tolerance = 2) {
    return std::abs(c.r - r) <= tolerance && std::abs(c.g - g) <= tolerance && std::abs(c.b - b) <= tolerance;
}

std::string describe(const zk::Rgba& c) { return fmt::format("({}, {}, {})", c.r, c.g, c.b); }

// Where a map coordinate lands on the picture.
struct Place {
    zk::RenderResult r;
    double x(double mx) const {
        return r.frame_px.min_x + (mx - r.extent.min_x) / (r.extent.max_x - r.extent.min_x) *
                                      (r.frame_px.max_x - r.frame_px.min_x);
    }
    double y(double my) const {
        return r.frame_px.min_y + (r.extent.max_y - my) / (r.extent.max_y - r.extent.min_y) *
                                      (r.frame_px.max_y - r.frame_px.min_y);
    }
};

zk::MapSpec one_layer(const std::string& path, const std::string& role) {
    zk::MapSpec spec;
    zk::MapLayer layer;
    layer.path = path;
    layer.role = role;
    spec.layers.push_back(layer);
    return spec;
}

std::string slurp(const std::string& path) { return read_file(path); }

}  // namespace

TEST_CASE("the palette holds a style for every role, rivers and points included", "[render][palette]") {
    const zk::Palette& p = zk::Palette::builtin();
    for (const auto& role : zk::layer_roles()) {
        INFO(role);
        REQUIRE(p.find(role));
        CHECK_FALSE(p.find(role)->title.empty());
        CHECK(std::find(p.draw_order().begin(), p.draw_order().end(), role) != p.draw_order().end());
        CHECK(zk::embedded_file(role + ".qml"));
        CHECK(zk::embedded_file(role + ".sld"));
    }
    CHECK(p.role("rivers").geometry == zk::GeometryKind::line);
    CHECK(p.role("points").geometry == zk::GeometryKind::point);
    REQUIRE(p.role("points").symbol.marker);
    CHECK(p.role("points").symbol.marker->shape == "circle");
    CHECK(zk::embedded_file("rivers.sld")->find("LineSymbolizer") != std::string_view::npos);
    CHECK(zk::embedded_file("points.sld")->find("PointSymbolizer") != std::string_view::npos);
    CHECK(zk::embedded_file("points.qml")->find("SimpleMarker") != std::string_view::npos);

    // The colours and marks of the palette file, read back typed.
    const auto& red = p.role("redline").symbol;
    REQUIRE(red.hatch);
    CHECK(red.hatch->angle_deg == 45);
    CHECK(red.hatch->spacing_mm == 2.0);
    CHECK(red.fill == zk::Rgba{230, 0, 0, 50});
    const auto& boundary = p.role("boundary").symbol;
    CHECK_FALSE(boundary.fill);
    CHECK(boundary.dash_mm == std::vector<double>{4.0, 1.0, 0.8, 1.0});
    REQUIRE(p.role("districts").label);
    CHECK(p.role("districts").label->font == "Noto Sans CJK SC");

    // Findings are drawn last; a layer without a role just below them.
    CHECK(p.draw_rank("findings") > p.draw_rank("boundary"));
    CHECK(p.draw_rank("") < p.draw_rank("findings"));
    CHECK(p.draw_rank("") > p.draw_rank("points"));
    CHECK(p.draw_rank("districts") < p.draw_rank("redline"));
    CHECK_THROWS_WITH(p.role("roads"), Catch::Contains("unknown role 'roads'"));
}

TEST_CASE("a style for a role and a value: exact, then prefix, then other", "[render][palette]") {
    const zk::Palette& p = zk::Palette::builtin();
    using sv = std::string_view;
    CHECK(p.style_for("parcels", sv("0101")).label == "0101 水田");
    CHECK(p.style_for("parcels", sv("0201K")).label == "02 园地（其他二级类）");  // a 三调 suffix: the class
    CHECK(p.style_for("parcels", sv("0203")).label == "02 园地（其他二级类）");   // uncommon code
    CHECK(p.style_for("parcels", sv("0901")).label == "09 特殊用地");
    CHECK(p.style_for("parcels", sv("99")).label == "其他 other");
    CHECK(p.style_for("parcels", std::nullopt).label == "其他 other");
    CHECK(p.style_for("districts", sv("城市中央活力区")).fill == zk::Rgba{236, 112, 99, 140});
    CHECK(p.style_for("districts", sv("城市中央")).label == "其他 other");  // districts match exactly only
    CHECK(p.style_for("findings", sv("covers")).stroke == zk::Rgba{255, 140, 0, 255});
    CHECK(p.style_for("farmland", sv("anything")).fill == zk::Rgba{245, 210, 60, 160});

    CHECK_THROWS_WITH(zk::Palette::parse(R"({"draw_order": ["x"], "roles": {}})", "test.json"),
                      Catch::Contains("'x', which has no style"));
    CHECK_THROWS_WITH(zk::Palette::parse(R"({"draw_order": [], "roles": {"a": {"title": "A", "fill": [1, 2, 3]}}})",
                                         "test.json"),
                      Catch::Contains("role 'a'") && Catch::Contains("'fill' must be [r, g, b, a]"));
}

TEST_CASE("scale bar: the largest 1, 2 or 5 × 10^k metres that fits", "[render]") {
    // A map 1 km wide whose bar may take a quarter of it: 250 m fits 200 m.
    CHECK(zk::scale_bar_length(250) == 200);
    CHECK(zk::scale_bar_length(1000) == 1000);   // exactly a power of ten
    CHECK(zk::scale_bar_length(999) == 500);
    CHECK(zk::scale_bar_length(4999) == 2000);
    CHECK(zk::scale_bar_length(5000) == 5000);
    CHECK(zk::scale_bar_length(11225) == 10000);  // a quarter of the Chongzhou map, about 44.9 km wide
    CHECK(zk::scale_bar_length(7.3) == 5);
    CHECK(zk::scale_bar_length(0.35) == Approx(0.2));
    CHECK(zk::scale_bar_label(500) == "500 m");
    CHECK(zk::scale_bar_label(1000) == "1 km");
    CHECK(zk::scale_bar_label(20000) == "20 km");
    CHECK(zk::scale_bar_label(0.5) == "0.5 m");
}

TEST_CASE("map size, and the role a layer's name suggests", "[render]") {
    int w = 0, h = 0;
    zk::parse_map_size("400x300", w, h);
    CHECK(w == 400);
    CHECK(h == 300);
    zk::parse_map_size("1600", w, h);
    CHECK(w == 1600);
    CHECK(h == 0);
    for (const char* bad : {"abc", "400x", "x300", "0x300", "400x300x2", "-400x300", "50x50", "400 x 300", ""}) {
        INFO(bad);
        if (std::string(bad) == "400x") {
            zk::parse_map_size(bad, w, h);  // width only: height from the extent
            CHECK(h == 0);
            continue;
        }
        CHECK_THROWS_AS(zk::parse_map_size(bad, w, h), zk::InputError);
    }
    CHECK(zk::guess_role("districts") == "districts");
    CHECK(zk::guess_role("County") == "boundary");
    CHECK(zk::guess_role("trees") == "points");
    CHECK(zk::guess_role("rivers") == "rivers");
    CHECK(zk::guess_role("no_overlap_redline_farmland") == "findings");
    CHECK(zk::guess_role("covers_county_districts") == "findings");
    CHECK(zk::guess_role("生态保护红线") == "redline");
    CHECK(zk::guess_role("roads") == "");
}

TEST_CASE("a farmland square on a PNG: its size, its fill blended over white, background outside",
          "[render][png]") {
    TempDir dir;
    // A 1 km square in EPSG:4544 near Chongzhou.
    write_geojson(dir / "farm.geojson", {{"a", square(380000, 3390000, 1000)}}, "code");
    zk::MapSpec spec = one_layer(dir / "farm.geojson", "farmland");
    spec.width_px = 400;
    spec.height_px = 300;
    spec.dpi = 96;
    spec.title = "测试地图";
    const zk::RenderResult r = zk::render_map(spec, dir / "map.png", {});
    CHECK(r.features_drawn == 1);
    CHECK(r.crs == "EPSG:4544");
    CHECK(r.warnings.empty());

    Png png(dir / "map.png");
    CHECK(png.width == 400);
    CHECK(png.height == 300);
    const Place at{r};
    // farmland fill (245, 210, 60) at alpha 160/255 = 0.6275 over white:
    // r = 0.6275·245 + 0.3725·255 = 248.7; g = 0.6275·210 + 95.0 = 226.8; b = 0.6275·60 + 95.0 = 132.6
    const zk::Rgba centre = png.at(at.x(380500), at.y(3390500));
    INFO("centre " << describe(centre));
    CHECK(near(centre, 249, 227, 133));
    // 5 px left of the square's west edge, at its middle: white background.
    const zk::Rgba outside = png.at(at.x(380000) - 5, at.y(3390500));
    INFO("outside " << describe(outside));
    CHECK(near(outside, 255, 255, 255, 0));
    // Aspect kept: the square is as wide as it is tall on the picture.
    CHECK(at.x(381000) - at.x(380000) == Approx(at.y(3390000) - at.y(3391000)).epsilon(1e-9));
    // A margin around the data: the square is inside the frame.
    CHECK(at.x(380000) > r.frame_px.min_x);
    CHECK(at.x(381000) < r.frame_px.max_x);

    // Text was drawn: dark pixels in the legend panel and in the title band.
    const zk::Box legend{r.legend_px.min_x + 3, r.legend_px.min_y + 3, r.legend_px.max_x - 3, r.legend_px.max_y - 3};
    auto dark = [](const zk::Rgba& c) { return c.r < 100 && c.g < 100 && c.b < 100; };
    CHECK(png.count(legend, dark) > 50);
    CHECK(png.count(zk::Box{0, 0, 400, r.frame_px.min_y - 2}, dark) > 30);
    // The legend's swatch shows the fill too.
    CHECK(png.count(legend, [](const zk::Rgba& c) { return near(c, 249, 227, 133); }) > 20);
    // The scale bar: a round length no longer than a quarter of the frame.
    const double frame_m = r.extent.max_x - r.extent.min_x;
    CHECK(r.scale_bar_m <= frame_m / 4);
    CHECK(r.scale_bar_m > frame_m / 4 / 2.5);  // 1-2-5 steps: never less than 1/2.5 of what fits
}

TEST_CASE("districts coloured by name, red line hatched, rivers blue, points as symbols", "[render][png]") {
    TempDir dir;
    // Two districts side by side at the bottom, a red line square above the first, a river between the rows and
    // a tree above it; the top right (north arrow) and bottom left corners (scale bar) stay clear of the probes.
    write_geojson(dir / "districts.geojson",
                  {{"天府粮仓核心示范区", square(380000, 3390000, 1000)},
                   {"先进制造业集聚区", square(381000, 3390000, 1000)}});
    write_geojson(dir / "redline.geojson", {{"R1", square(380000, 3391500, 1000)}}, "code");
    write_geojson(dir / "rivers.geojson",
                  {{"江", R"({"type": "LineString", "coordinates": [[380200, 3391250], [381800, 3391250]]})"}});
    write_geojson(dir / "trees.geojson", {{"T1", R"({"type": "Point", "coordinates": [381000, 3391420]})"}}, "id");
    zk::MapSpec spec;
    for (const char* name : {"trees", "rivers", "redline", "districts"}) {  // roles guessed from the layer names
        zk::MapLayer l;
        l.path = dir / (std::string(name) + ".geojson");
        spec.layers.push_back(l);
    }
    spec.width_px = 900;
    spec.dpi = 300;  // hatch lines 0.25 mm = 2.95 px, so their middle pixels are pure
    const zk::RenderResult r = zk::render_map(spec, dir / "map.png", {});
    CHECK(r.features_drawn == 5);
    CHECK(r.warnings.empty());
    Png png(dir / "map.png");
    CHECK(png.width == 900);
    const Place at{r};

    // Near the north-west corners (labels sit in the middle): 天府粮仓核心示范区 (238, 196, 72) at 140/255 = 0.549:
    // 0.549·238 + 0.451·255 = 245.7, 0.549·196 + 115.0 = 222.6, 0.549·72 + 115.0 = 154.5
    const zk::Rgba d1 = png.at(at.x(380150), at.y(3390850));
    INFO("district 1 " << describe(d1));
    CHECK(near(d1, 246, 223, 154, 3));
    // 先进制造业集聚区 (112, 140, 214): 61.5 + 115.0 = 176.5, 76.9 + 115.0 = 191.9, 117.5 + 115.0 = 232.5
    const zk::Rgba d2 = png.at(at.x(381150), at.y(3390850));
    INFO("district 2 " << describe(d2));
    CHECK(near(d2, 177, 192, 232, 3));

    // Red line: tint (230, 0, 0) at 50/255 = 0.196 → (250.1, 205.0, 205.0) between hatch lines of (220, 0, 0).
    const zk::Box red{at.x(380100), at.y(3392400), at.x(380900), at.y(3391600)};
    const int tint = png.count(red, [](const zk::Rgba& c) { return near(c, 250, 205, 205, 3); });
    const int hatch = png.count(red, [](const zk::Rgba& c) { return near(c, 220, 0, 0, 6); });
    INFO("tint " << tint << " hatch " << hatch);
    CHECK(tint > 100);
    CHECK(hatch > 100);
    // 45° hatching, 2 mm apart: across the square's 800 m the probe box crosses lines at 45°, so a horizontal
    // line of pixels meets a hatch line every 2 mm / sin 45° = 2.83 mm = 33.4 px.
    const double row = at.y(3392000);
    int crossings = 0;
    bool in_line = false;
    for (double x = at.x(380100); x < at.x(380900); ++x) {
        const bool red_px = near(png.at(x, row), 220, 0, 0, 60);
        if (red_px && !in_line) ++crossings;
        in_line = red_px;
    }
    const double expected = (at.x(380900) - at.x(380100)) / (2.0 * 300 / 25.4 / std::sin(3.14159265358979 / 4));
    INFO("crossings " << crossings << " expected about " << expected);
    CHECK(std::abs(crossings - expected) <= 1.5);

    // The river (30, 120, 210), 0.7 mm = 8.3 px wide, on its centre line; the tree (20, 120, 40) at its point.
    const zk::Rgba river = png.at(at.x(380600), at.y(3391250));
    INFO("river " << describe(river));
    CHECK(near(river, 30, 120, 210, 3));
    const zk::Rgba tree = png.at(at.x(381000), at.y(3391420));
    INFO("tree " << describe(tree));
    CHECK(near(tree, 20, 120, 40, 3));
}

TEST_CASE("SVG is text with glyph outlines and the same bytes every time; PDF is a PDF", "[render][svg]") {
    TempDir dir;
    write_geojson(dir / "districts.geojson", {{"城市中央活力区", square(380000, 3390000, 2000)}});
    zk::MapSpec spec = one_layer(dir / "districts.geojson", "districts");
    spec.title = "崇州市 SVG";
    spec.width_px = 800;
    const std::string a = zk::render_svg(spec);
    const std::string b = zk::render_svg(spec);
    CHECK(a.rfind("<?xml", 0) == 0);
    CHECK(a.find("<svg") != std::string::npos);
    CHECK(a.find("glyph") != std::string::npos);  // text as outlines: no font needed to view it
    CHECK(a.size() > 1000);
    CHECK(a == b);
    zk::render_map(spec, dir / "map.svg", {});
    CHECK(slurp(dir / "map.svg") == a);

    zk::render_map(spec, dir / "map.pdf", {});
    CHECK(slurp(dir / "map.pdf").rfind("%PDF", 0) == 0);
    // An existing output is kept unless overwrite.
    CHECK_THROWS_AS(zk::render_map(spec, dir / "map.pdf", {}), zk::OutputError);
    zk::OutputOptions overwrite;
    overwrite.overwrite = true;
    CHECK_NOTHROW(zk::render_map(spec, dir / "map.pdf", overwrite));
}

TEST_CASE("the bundled Chongzhou project renders with every layer in its role", "[render][chongzhou]") {
    const zk::Project project = zk::load_project(std::string(ZK_SOURCE_DIR) + "/layers/chongzhou/project.toml");
    const zk::MapSpec spec = zk::map_spec_for(project);
    CHECK(spec.title == project.name);
    REQUIRE(spec.layers.size() == project.plan.layers.size());
    // Every layer has its role; the expected features are counted with GDAL directly.
    GDALAllRegister();
    long long expected = 0;
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        const auto& declared = project.plan.layers[i];
        INFO(declared.name);
        const std::string want = declared.name == "county" ? "boundary" : declared.name == "trees" ? "points" : declared.name;
        CHECK(spec.layers[i].role == want);
        GDALDatasetUniquePtr ds(GDALDataset::Open(spec.layers[i].path.c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        expected += ds->GetLayerByName(spec.layers[i].layer.c_str())->GetFeatureCount();
    }
    TempDir dir;
    const zk::RenderResult r = zk::render_map(spec, dir / "chongzhou.png", {});
    CHECK(r.features_drawn == expected);
    CHECK(r.crs == "EPSG:4544");
    CHECK(r.warnings.empty());  // among them: any text the font cannot draw
    // About 41.5 km east–west (0.434° of longitude at 30.7°N) plus 4 % margins each side: a quarter of that is
    // about 11 km, so the bar is 10 km.
    CHECK(r.scale_bar_m == 10000);
    Png png(dir / "chongzhou.png");
    CHECK(png.width == 1600);
    CHECK(png.height == r.height_px);
}

TEST_CASE("render: bad inputs are refused with what to do", "[render][errors]") {
    TempDir dir;
    write_geojson(dir / "farm.geojson", {{"a", square(380000, 3390000, 1000)}}, "code");
    {
        zk::MapSpec spec = one_layer(dir / "missing.gpkg", "farmland");
        CHECK_THROWS_WITH(zk::render_map(spec, dir / "m.png", {}), Catch::Contains("missing.gpkg"));
    }
    {
        zk::MapSpec spec = one_layer(dir / "farm.geojson", "roads");
        CHECK_THROWS_WITH(zk::render_map(spec, dir / "m.png", {}), Catch::Contains("unknown role 'roads'"));
    }
    {
        zk::MapSpec spec = one_layer(dir / "farm.geojson", "farmland");
        spec.crs = zk::Crs::from_epsg(4490);
        CHECK_THROWS_WITH(zk::render_map(spec, dir / "m.png", {}), Catch::Contains("not projected"));
    }
    {
        zk::MapSpec spec = one_layer(dir / "farm.geojson", "farmland");
        spec.width_px = 50;
        CHECK_THROWS_AS(zk::render_map(spec, dir / "m.png", {}), zk::InputError);
    }
    {
        zk::MapSpec spec = one_layer(dir / "farm.geojson", "farmland");
        CHECK_THROWS_WITH(zk::render_map(spec, dir / "m.jpg", {}), Catch::Contains(".png, .svg or .pdf"));
    }
    {
        zk::MapSpec spec = one_layer(dir / "farm.geojson", "farmland");
        spec.font = "No Such Font ZK";
        CHECK_THROWS_WITH(zk::render_map(spec, dir / "m.png", {}),
                          Catch::Contains("'No Such Font ZK' is not installed") && Catch::Contains("fonts-noto-cjk"));
    }
    {
        zk::MapSpec spec = one_layer(dir / "farm.geojson", "farmland");
        spec.layers[0].where = "code = 'none'";
        CHECK_THROWS_WITH(zk::render_map(spec, dir / "m.png", {}), Catch::Contains("nothing to draw"));
    }
    CHECK_FALSE(fs::exists(dir / "m.png"));
}

TEST_CASE("districts of new names: a colour each from the data, in the map and the legend, whatever their order",
          "[render][png][districts]") {
    TempDir dir;
    const std::vector<std::string> zones = {"生态保护区", "生态控制区", "农田保护区", "城镇发展区",
                                            "乡村发展区", "矿产能源发展区", "其他保护利用区"};
    // Seven 1 km squares in a row; a second file holds the same features in the reverse order.
    std::vector<std::pair<std::string, std::string>> features, reversed;
    for (std::size_t i = 0; i < zones.size(); ++i)
        features.emplace_back(zones[i], square(380000 + 1000.0 * static_cast<double>(i), 3390000, 1000));
    reversed.assign(features.rbegin(), features.rend());
    write_geojson(dir / "a.geojson", features, "NAME");  // upper case: the field is found in any case
    write_geojson(dir / "b.geojson", reversed, "NAME");
    const zk::RoleStyle style = zk::Palette::builtin().role("districts").with_values(zones);
    REQUIRE(style.categories.size() == 7);

    std::vector<std::string> legends[2];
    for (int k = 0; k < 2; ++k) {
        zk::MapSpec spec = one_layer(dir / (k == 0 ? "a.geojson" : "b.geojson"), "districts");
        spec.width_px = 1400;
        spec.dpi = 96;
        const std::string png_path = dir / fmt::format("map{}.png", k);
        const zk::RenderResult r = zk::render_map(spec, png_path, {});
        INFO(fmt::format("{}", fmt::join(r.warnings, "; ")));
        CHECK(r.warnings.empty());
        CHECK(r.features_drawn == 7);
        legends[k] = r.legend;
        Png png(png_path);
        const Place at{r};
        for (std::size_t i = 0; i < zones.size(); ++i) {
            const auto& symbol = *std::find_if(style.categories.begin(), style.categories.end(),
                                               [&](const zk::Symbol& c) { return c.value == zones[i]; });
            const double a = symbol.fill->a / 255.0;
            const auto blend = [a](int c) { return static_cast<int>(std::lround(a * c + (1 - a) * 255)); };
            // Near the square's north-west corner (its label sits in the middle).
            const zk::Rgba c = png.at(at.x(380000 + 1000.0 * static_cast<double>(i) + 120), at.y(3390880));
            INFO(zones[i] << " " << describe(c));
            CHECK(near(c, blend(symbol.fill->r), blend(symbol.fill->g), blend(symbol.fill->b), 3));
        }
    }
    // The legend: the title, then the seven names in sorted order (no "other": every feature has its colour).
    std::vector<std::string> expected = {"规划分区 planning districts"};
    for (const auto& c : style.categories) expected.push_back(c.value);
    CHECK(legends[0] == expected);
    CHECK(legends[1] == expected);
    std::vector<std::string> sorted = zones;
    std::sort(sorted.begin(), sorted.end());
    CHECK(std::vector<std::string>(expected.begin() + 1, expected.end()) == sorted);
}

TEST_CASE("parcels coloured by their 三调 code whatever the case of DLBM", "[render][png][parcels]") {
    TempDir dir;
    int n = 0;
    for (const char* field : {"dlbm", "DLBM", "Dlbm"}) {
        INFO(field);
        ++n;
        write_geojson(dir / "p.geojson", {{"0101", square(380000, 3390000, 1000)}}, field);
        zk::MapSpec spec = one_layer(dir / "p.geojson", "parcels");
        spec.width_px = 400;
        spec.height_px = 300;
        spec.dpi = 96;
        // (each its own name: outputs are compared without letter case, so dlbm.png and DLBM.png would collide)
        const zk::RenderResult r = zk::render_map(spec, dir / fmt::format("{}_{}.png", field, n), {});
        CHECK(r.warnings.empty());
        CHECK(r.legend == std::vector<std::string>{"三调图斑 land-use parcels", "0101 水田"});
        Png png(dir / fmt::format("{}_{}.png", field, n));
        const Place at{r};
        const zk::Rgba c = png.at(at.x(380500), at.y(3390500));
        INFO(describe(c));
        CHECK(near(c, 255, 255, 100, 1));  // 0101 水田, opaque
    }
}

TEST_CASE("screen sites coloured by verdict over their pieces coloured by plan role", "[render][png][screen]") {
    TempDir dir;
    // Four 1 km sites in a row (forbidden, conditional, allowed, error), labelled by id; one piece, of the red
    // line, under the north-west quarter of the forbidden site, and a farmland piece on its own to the north.
    // The probes stay clear of the labels (middle), the north arrow (top right) and the scale bar (bottom left).
    {
        std::ofstream out(dir / "sites.geojson");
        out << R"({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4544"}},)"
            << "\n\"features\": [\n";
        const char* verdicts[] = {"forbidden", "conditional", "allowed", "error"};
        for (int i = 0; i < 4; ++i)
            out << (i ? ",\n" : "") << R"({"type": "Feature", "properties": {"id": "S)" << i + 1 << R"(", "verdict": ")"
                << verdicts[i] << R"("}, "geometry": )" << square(380000 + 1500.0 * i, 3390000, 1000) << "}";
        out << "\n]}\n";
    }
    write_geojson(dir / "pieces.geojson",
                  {{"redline", square(380000, 3390500, 500)}, {"farmland", square(380000, 3391500, 1000)}}, "role");
    zk::MapSpec spec;
    for (const auto& [name, role] : {std::pair{"sites", "sites"}, std::pair{"pieces", "site_pieces"}}) {
        zk::MapLayer l;
        l.path = dir / (std::string(name) + ".geojson");
        l.role = role;
        spec.layers.push_back(l);
    }
    spec.width_px = 1200;
    spec.dpi = 96;
    const zk::RenderResult r = zk::render_map(spec, dir / "map.png", {});
    INFO(fmt::format("{}", fmt::join(r.warnings, "; ")));
    CHECK(r.warnings.empty());
    CHECK(r.features_drawn == 6);
    Png png(dir / "map.png");
    const Place at{r};
    const auto over = [](const zk::Rgba& fill, const zk::Rgba& under) {
        const double a = fill.a / 255.0;
        const auto mix = [a](int c, int u) { return static_cast<std::uint8_t>(std::lround(a * c + (1 - a) * u)); };
        return zk::Rgba{mix(fill.r, under.r), mix(fill.g, under.g), mix(fill.b, under.b), 255};
    };
    const zk::Rgba white{255, 255, 255, 255};
    const zk::Palette& p = zk::Palette::builtin();
    // Each site in its verdict's fill over white, probed near its north-east corner (the label sits in the middle).
    const char* values[] = {"forbidden", "conditional", "allowed", "error"};
    for (int i = 0; i < 4; ++i) {
        const zk::Rgba want = over(*p.style_for("sites", std::string_view(values[i])).fill, white);
        const zk::Rgba c = png.at(at.x(380000 + 1500.0 * i + 850), at.y(3390850));
        INFO(values[i] << " " << describe(c) << " want " << describe(want));
        CHECK(near(c, want.r, want.g, want.b, 3));
    }
    // The farmland piece alone: farmland's yellow.
    const zk::Rgba farm = over(*p.style_for("site_pieces", std::string_view("farmland")).fill, white);
    const zk::Rgba f = png.at(at.x(380850), at.y(3392350));
    INFO("farmland piece " << describe(f));
    CHECK(near(f, farm.r, farm.g, farm.b, 3));
    // The red line piece is drawn below the site: the site's red over the piece's tint (between hatch lines).
    const zk::Rgba forbidden = *p.style_for("sites", std::string_view("forbidden")).fill;
    const zk::Rgba tint = over(*p.style_for("site_pieces", std::string_view("redline")).fill, white);
    const zk::Rgba stacked = over(forbidden, tint);
    const zk::Box piece{at.x(380050), at.y(3390950), at.x(380450), at.y(3390550)};
    const int n = png.count(piece, [&](const zk::Rgba& c) { return near(c, stacked.r, stacked.g, stacked.b, 3); });
    INFO("stacked " << describe(stacked) << " pixels " << n);
    CHECK(n > 100);
    // The legend: the sites' verdicts, then the pieces' roles, as drawn.
    CHECK(std::find(r.legend.begin(), r.legend.end(), "禁止 forbidden") != r.legend.end());
    CHECK(std::find(r.legend.begin(), r.legend.end(), "错误或其他 error, other") != r.legend.end());
    CHECK(std::find(r.legend.begin(), r.legend.end(), "永久基本农田 farmland") != r.legend.end());
}
