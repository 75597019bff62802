// End to end: `zonekit render --sheet` and `[outputs] sheet` of `zonekit run`, read back with poppler's
// pdfinfo (pages, page size), pdffonts (every font embedded) and pdftotext (the sheet's texts). Page sizes are
// ISO 216 converted by hand: A3 420 × 297 mm = 1190.55 × 841.89 pt, A4 297 × 210 mm = 841.89 × 595.28 pt.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace zk::test;
using Catch::Matchers::Contains;

namespace {

std::string chongzhou(const std::string& file) { return source_dir() + "/layers/chongzhou/" + file; }

// The standard output of a shell command (poppler's tools).
std::string capture(const std::string& command) {
    std::string out;
    FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
    REQUIRE(pipe);
    char buffer[4096];
    std::size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    pclose(pipe);
    return out;
}

std::string quoted(const std::string& path) { return "'" + path + "'"; }

struct PdfInfo {
    int pages = 0;
    double width = 0, height = 0;
};

// "Pages:           1" and "Page size:       1190.55 x 841.89 pts (A3)"
PdfInfo pdf_info(const std::string& path) {
    PdfInfo info;
    std::istringstream in(capture("pdfinfo " + quoted(path)));
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("Pages:", 0) == 0) info.pages = std::stoi(line.substr(6));
        if (line.rfind("Page size:", 0) == 0) {
            std::istringstream size(line.substr(10));
            std::string x;
            size >> info.width >> x >> info.height;
        }
    }
    return info;
}

// The fonts pdffonts lists, each with whether it is embedded (the column under "emb").
std::vector<std::pair<std::string, bool>> pdf_fonts(const std::string& path) {
    std::vector<std::pair<std::string, bool>> fonts;
    std::istringstream in(capture("pdffonts " + quoted(path)));
    std::string header, rule, line;
    std::getline(in, header);
    std::getline(in, rule);
    const std::size_t emb = header.find("emb");
    REQUIRE(emb != std::string::npos);
    while (std::getline(in, line))
        if (line.size() > emb + 3) fonts.emplace_back(line.substr(0, line.find(' ')), line.substr(emb, 3) == "yes");
    return fonts;
}

void check_fonts_embedded(const std::string& path) {
    const auto fonts = pdf_fonts(path);
    CHECK(fonts.size() >= 1);
    for (const auto& [name, embedded] : fonts) {
        INFO(name);
        CHECK(embedded);
    }
}

// Sets SOURCE_DATE_EPOCH for the commands this test runs, and unsets it after.
struct SourceDate {
    explicit SourceDate(const char* epoch) { setenv("SOURCE_DATE_EPOCH", epoch, 1); }
    ~SourceDate() { unsetenv("SOURCE_DATE_EPOCH"); }
};

}  // namespace

TEST_CASE("render --sheet A3 and A4: one page of the paper's size, fonts embedded, every text", "[cli][sheet]") {
    TempDir dir;
    // 1700000000 s after 1970-01-01 is 2023-11-14 22:13:20 UTC.
    SourceDate date("1700000000");
    struct Case {
        const char* sheet;
        double width, height;
        const char* scale;  // worked out by hand, below
        bool whole_legend;  // A4 has no room for all 40 land-use classes of the parcels: the last are left out
    };
    // The bundled county is about 41.5 × 34.7 km (0.434° × 0.313° at 30.7°N), 44.9 × 38.0 km with the 4 %
    // margin on each side. A3: the map frame is 400 − 104.7 − 5 = 290.3 mm by 277 mm, so 44.9 km needs at least
    // 1:154,700 → the round 1:200000; the scale bar at most a quarter of the frame, 14.5 km → 10 km.
    // A4: 277 − 74 − 5 = 198 mm by 190 mm → 1:226,800 → 1:250000; a quarter is 12.4 km → 10 km.
    for (const Case& c : {Case{"A3", 1190.55, 841.89, "1:200000", true}, Case{"A4", 841.89, 595.28, "1:250000", false}}) {
        DYNAMIC_SECTION(c.sheet) {
            const std::string out = dir / fmt::format("sheet_{}.pdf", c.sheet);
            auto r = run_zonekit({"render", chongzhou("chongzhou.gpkg"), "--sheet", c.sheet, "--title", "崇州市三区三线",
                                  "-o", out});
            INFO(r.err);
            REQUIRE(r.exit_code == 0);
            CHECK_THAT(r.err, Contains("wrote") && Contains(c.sheet));
            if (c.whole_legend)
                CHECK_THAT(r.err, !Contains("warning"));
            else
                CHECK_THAT(r.err, Contains("warning: the sheet's legend leaves out its last"));
            const PdfInfo info = pdf_info(out);
            CHECK(info.pages == 1);
            CHECK(info.width == Approx(c.width).margin(0.5));
            CHECK(info.height == Approx(c.height).margin(0.5));
            check_fonts_embedded(out);
            const std::string text = capture("pdftotext -enc UTF-8 " + quoted(out) + " -");
            INFO(text);
            CHECK_THAT(text, Contains("崇州市三区三线"));       // the title
            CHECK_THAT(text, Contains("chongzhou"));          // the source named as the project
            CHECK_THAT(text, Contains("图例"));
            CHECK_THAT(text, Contains("永久基本农田"));
            CHECK_THAT(text, Contains("生态保护红线"));
            CHECK_THAT(text, Contains("城镇开发边界"));
            CHECK_THAT(text, Contains("10 km"));              // the scale bar
            CHECK_THAT(text, Contains(c.scale));              // the title block's scale
            CHECK_THAT(text, Contains("N"));                  // the north arrow
            CHECK_THAT(text, Contains("EPSG:4544"));
            CHECK_THAT(text, Contains("2023-11-14"));
            CHECK_THAT(text, Contains("zonekit 0."));
            CHECK_THAT(text, Contains("位置图"));
            CHECK_THAT(text, Contains("制图单位") && Contains("审核"));
        }
    }
}

TEST_CASE("render --sheet zoomed in with --extent still has its locator", "[cli][sheet]") {
    TempDir dir;
    const std::string out = dir / "zoom.pdf";
    auto r = run_zonekit({"render", chongzhou("project.toml"), "--sheet", "a4-portrait", "--extent",
                          "375000,3392000,381000,3396000", "-o", out});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const PdfInfo info = pdf_info(out);
    CHECK(info.pages == 1);
    CHECK(info.width == Approx(595.28).margin(0.5));  // A4 portrait: 210 × 297 mm
    CHECK(info.height == Approx(841.89).margin(0.5));
    check_fonts_embedded(out);
    const std::string text = capture("pdftotext -enc UTF-8 " + quoted(out) + " -");
    CHECK_THAT(text, Contains("位置图"));
    // 6 km across a frame 190 mm wide needs at least 1:31,579 → the round 1:40000 (4 km in 202 mm: 1:19,802).
    CHECK_THAT(text, Contains("1:40000"));
}

TEST_CASE("render --sheet refuses an output that is not a PDF and a size it does not know", "[cli][sheet]") {
    TempDir dir;
    auto r = run_zonekit({"render", chongzhou("chongzhou.gpkg"), "--sheet", "A3", "-o", dir / "sheet.png"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--sheet") && Contains(".pdf") && Contains("sheet.png"));
    CHECK_FALSE(std::filesystem::exists(dir / "sheet.png"));
    r = run_zonekit({"render", chongzhou("chongzhou.gpkg"), "--sheet", "A5", "-o", dir / "sheet.pdf"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("A5"));
    CHECK_FALSE(std::filesystem::exists(dir / "sheet.pdf"));
}

TEST_CASE("run: sheet A4 in the outputs writes sheet.pdf and a bad sheet stops the run", "[cli][sheet][run]") {
    TempDir dir;
    const std::string gpkg = dir / "plan.gpkg";
    write_layer(gpkg, "GPKG", "county", 4544, wkbPolygon, {"name"},
                {{"POLYGON((500000 3400000,501000 3400000,501000 3401000,500000 3401000,500000 3400000))", {"县"}}});
    write_layer(gpkg, "GPKG", "farmland", 4544, wkbPolygon, {"name"},
                {{"POLYGON((500100 3400100,500500 3400100,500500 3400500,500100 3400500,500100 3400100))", {"田"}}});
    auto project = [&](const std::string& sheet) {
        const std::string path = dir / "project.toml";
        std::ofstream(path) << fmt::format(R"(
[project]
name = "一县"
[layers.county]
path = "plan.gpkg"
layer = "county"
role = "boundary"
[layers.farmland]
path = "plan.gpkg"
layer = "farmland"
role = "farmland"
[[rules]]
rule = "within"
layers = ["farmland"]
boundary = "county"
[outputs]
sheet = "{}"
)",
                                           sheet);
        return path;
    };
    auto r = run_zonekit({"run", project("A4"), "-o", dir / "out"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("sheet.pdf"));
    const PdfInfo info = pdf_info(dir / "out/sheet.pdf");
    CHECK(info.pages == 1);
    CHECK(info.width == Approx(841.89).margin(0.5));
    CHECK(info.height == Approx(595.28).margin(0.5));
    check_fonts_embedded(dir / "out/sheet.pdf");
    CHECK_THAT(capture("pdftotext -enc UTF-8 " + quoted(dir / "out/sheet.pdf") + " -"), Contains("一县"));

    r = run_zonekit({"run", project("A5"), "-o", dir / "bad"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("project.toml") && Contains("sheet") && Contains("A5"));
    CHECK_FALSE(std::filesystem::exists(dir / "bad"));
}
