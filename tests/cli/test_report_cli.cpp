// The report of `zonekit run` as a review meeting uses it: in Chinese with the rules in a planner's words, a
// title block, one notes section without repeats, findings below tolerance in one line per rule, an inline map
// that names the feature under the pointer, insets of the findings, and every column on an A4 page when printed.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace zk::test;
using Catch::Matchers::Contains;

namespace {

struct BundledRun {
    TempDir dir;
    RunResult r;
    std::string out;
    explicit BundledRun(const std::string& project) : out(dir / "out") {
        r = run_zonekit({"run", source_dir() + "/layers/chongzhou/" + project, "-o", out});
    }
};

// The text of each <th> of the HTML, tags removed and entities of the escaper undone.
std::vector<std::string> column_headers(const std::string& html) {
    std::vector<std::string> out;
    for (std::size_t at = 0; (at = html.find("<th", at)) != std::string::npos;) {
        const std::size_t open = html.find('>', at), close = html.find("</th>", at);
        std::string text, cell = html.substr(open + 1, close - open - 1);
        bool tag = false;
        for (char c : cell) {
            if (c == '<') tag = true;
            else if (c == '>') tag = false;
            else if (!tag) text += c;
        }
        for (const auto& [entity, c] : std::vector<std::pair<std::string, std::string>>{{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}})
            for (std::size_t p; (p = text.find(entity)) != std::string::npos;) text.replace(p, entity.size(), c);
        out.push_back(text);
        at = close + 5;
    }
    return out;
}

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
    return n;
}

}  // namespace

TEST_CASE("report: a passing plan in Chinese: title block, rules in planners' words, one line per rule below tolerance",
          "[report][run]") {
    BundledRun run("project.toml");
    INFO(run.r.err);
    REQUIRE(run.r.exit_code == 0);
    const std::string md = read_file(run.out + "/report.md");
    CHECK_THAT(md, Contains("| 日期 *date* |") && Contains("| 分析坐标系 *analysis CRS* | EPSG:4544"));
    CHECK_THAT(md, Contains("| 检查结论 *checks* | **通过 PASS**"));
    CHECK_THAT(md, Contains("chongzhou.gpkg") && Contains("| SHA-256 |"));
    for (const char* title : {"图层间重叠", "未完全覆盖（缝隙）", "超出范围", "几何无效"}) CHECK_THAT(md, Contains(title));
    // A passing plan lists no finding: what lies below tolerance is one line per rule.
    CHECK(md.find("位置 *where*") == std::string::npos);
    CHECK(md.find("0.00 m wide") == std::string::npos);
    CHECK_THAT(md, Contains("容差以下 *Below tolerance*"));
    // The land-use table in the survey's order with first-level subtotals, codes beside the names.
    CHECK_THAT(md, Contains("| **01** | **耕地** |") && Contains("| 0101 | 水田 |"));
    // Notes once each: every layer's reprojection is said in one line.
    const std::size_t notes = md.find("## 说明 *Notes and warnings*");
    REQUIRE(notes != std::string::npos);
    std::set<std::string> seen;
    std::istringstream lines(md.substr(notes));
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("- ", 0) == 0) CHECK(seen.insert(line).second);
    CHECK(occurrences(md, "layer 'districts' is reprojected") == 1);

    // The HTML: one file, the map inline with a pan-and-zoom script and the names of the zones under the pointer.
    const std::string html = read_file(run.out + "/report.html");
    CHECK(html.find("src=\"http") == std::string::npos);
    CHECK(html.find("<script src") == std::string::npos);
    CHECK_THAT(html, Contains("<g class=\"zk-hover\"") && Contains("<title>districts："));
    CHECK_THAT(html, Contains("addEventListener('wheel'"));
    CHECK_THAT(html, Contains("@media print{@page{size:A4"));

    // The script at work in Chromium: a wheel turn over the map's centre zooms in (the viewBox narrows), and the
    // pointer over a feature of the overlay names it in the line below the map.
    REQUIRE(std::system("command -v chromium >/dev/null 2>&1") == 0);
    const std::string probe = R"(<script>
var s=document.querySelector('figure svg.zk-map'),vb=s.viewBox.baseVal,w0=vb.width,r=s.getBoundingClientRect();
s.dispatchEvent(new WheelEvent('wheel',{deltaY:-100,clientX:r.left+r.width/2,clientY:r.top+r.height/2,bubbles:true,cancelable:true}));
var p=s.querySelector('.zk-hover path');p.dispatchEvent(new MouseEvent('mousemove',{bubbles:true}));
document.body.setAttribute('data-probe',(vb.width<w0?'zoomed':'still')+'|'+s.nextSibling.textContent+'|');
</script></body>)";
    std::string probed = html;
    probed.replace(probed.rfind("</body>"), 7, probe);
    {
        std::ofstream out(run.dir / "probe.html", std::ios::binary);
        out << probed;
    }
    const std::string dom = run.dir / "probe.dom";
    REQUIRE(std::system(fmt::format("chromium --headless --no-sandbox --disable-gpu --dump-dom 'file://{}' > '{}' 2>/dev/null",
                                    run.dir / "probe.html", dom)
                            .c_str()) == 0);
    CHECK_THAT(read_file(dom), Contains("data-probe=\"zoomed|county：崇州市|\""));
}

TEST_CASE("report: planted conflicts: the findings table links each finding to its inset map", "[report][run]") {
    BundledRun run("conflicts.toml");
    INFO(run.r.err);
    REQUIRE(run.r.exit_code == 1);
    const std::string md = read_file(run.out + "/report.md");
    // The planted 20,000 m² overlap of red line and farmland, in a planner's words, with its inset.
    CHECK_THAT(md, Contains("## 图层间重叠 — redline, farmland"));
    CHECK_THAT(md, Contains("[图 1](inset_no_overlap_redline_farmland_1.png)"));
    const std::string png = read_file(run.out + "/inset_no_overlap_redline_farmland_1.png");
    REQUIRE(png.size() > 24);
    CHECK(png.substr(1, 3) == "PNG");
    const std::string html = read_file(run.out + "/report.html");
    CHECK_THAT(html, Contains("<a href=\"#fig-inset-no-overlap-redline-farmland-1-png\">图 1</a>"));
    CHECK_THAT(html, Contains("<figure id=\"fig-inset-no-overlap-redline-farmland-1-png\">"));
    CHECK_THAT(html, Contains("<title>图层间重叠："));  // the finding is named under the pointer on the map
}

TEST_CASE("report: printed to A4 with headless Chromium, every column header of every table is on the page",
          "[report][print]") {
    // scripts/setup.sh installs both.
    REQUIRE(std::system("command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1") == 0);
    for (const char* project : {"project.toml", "conflicts.toml"}) {
        INFO(project);
        BundledRun run(project);
        REQUIRE(run.r.exit_code <= 1);
        const std::string pdf = run.dir / "report.pdf", text = run.dir / "report.txt";
        REQUIRE(std::system(fmt::format("chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer "
                                        "--print-to-pdf='{}' 'file://{}/report.html' >/dev/null 2>&1",
                                        pdf, run.out)
                                .c_str()) == 0);
        // Only what lies on the A4 page (595 × 842 pt) counts: a column cut off at the right edge is not read.
        REQUIRE(std::system(fmt::format("pdftotext -x 0 -y 0 -W 595 -H 842 '{}' '{}'", pdf, text).c_str()) == 0);
        std::string printed;
        for (const auto& w : words(read_file(text))) printed += w + " ";
        const auto headers = column_headers(read_file(run.out + "/report.html"));
        CHECK(headers.size() > 40);
        for (const auto& h : headers)
            for (const auto& w : words(h)) {
                INFO("column header '" << h << "'");
                CHECK_THAT(printed, Contains(w));
            }
        CHECK_THAT(printed, Contains("share"));  // the area table's last column, cut off before print styles
    }
}

TEST_CASE("report: realistic lon/lat plan layers: the bow-tie red line up close, and a QGIS project that opens",
          "[report][run][realistic]") {
    // tests/data/realistic/ (scripts/make_realistic.py): lon/lat sources with long shared edges, new zone names,
    // one planted invalid red line (the bow-tie HX0003). Its one finding is a point: the inset is the smallest
    // picture, 300 m across, centred on the crossing.
    TempDir dir;
    const auto r = run_zonekit({"run", source_dir() + "/tests/data/realistic/project.toml", "-o", dir / "out"});
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    const std::string md = read_file(dir / "out/report.md");
    CHECK_THAT(md, Contains("| 几何无效 *valid_redline* | redline | **不通过 FAIL** | 1 |"));
    CHECK_THAT(md, Contains("| 1 | redline 3 (HX0003) |") && Contains("[图 1](inset_valid_redline_1.png)"));
    CHECK(fs::exists(dir / "out/inset_valid_redline_1.png"));
    // The new zone names are named under the pointer on the map.
    CHECK_THAT(read_file(dir / "out/report.html"), Contains("<title>districts：东南农业保障区</title>"));
    REQUIRE(std::system(fmt::format("/usr/bin/python3 '{}/tests/cli/check_qgs.py' '{}' EPSG:4544 --groups="
                                    "检查结果,行政区划,三区三线,规划分区,现状用地 >/dev/null 2>&1",
                                    source_dir(), dir / "out/analysis.qgs")
                            .c_str()) == 0);
}
