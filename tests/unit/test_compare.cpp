// The comparison of several projects (compare.hpp) from hand-built summaries: the union of the columns, blanks
// where a project lacks a figure, shares worked out by hand, the status of each row, folder names.
#include "zonekit/project/compare.hpp"

#include "support/csv.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>


using namespace zk;
using namespace zk::test;
using Catch::Matchers::Contains;

namespace {
// The cells of a CSV line without quoted commas.
std::vector<std::string> cells(const std::string& line) { return csv_cells(line); }

ComparedProject project_a() {
    // County 1,000 ha; red line 100 ha (10 %); urban 50 ha (5 %); zones 甲 600 ha (60 %), 乙 400 ha (40 %).
    RunSummary s;
    s.county_layer = "county";
    s.county_m2 = 1000 * 1e4;
    s.control_lines = {{"生态保护红线", 100 * 1e4}, {"城镇开发边界", 50 * 1e4}};
    s.control_layers = {"redline", "urban"};
    s.zones = {{"甲", 600 * 1e4}, {"乙", 400 * 1e4}};
    s.rules = 3;
    return {"A", "a.toml", "EPSG:4544", s, ""};
}

ComparedProject project_b() {
    // County 300 亩 = 20 ha; farmland 2 ha (10 %); zones 乙 5 ha (25 %), 丙 15 ha (75 %); 2 of 4 rules fail.
    RunSummary s;
    s.county_m2 = 300 * 10000.0 / 15;
    s.control_lines = {{"永久基本农田", 2 * 1e4}};
    s.control_layers = {"farmland"};
    s.zones = {{"乙", 5 * 1e4}, {"丙", 15 * 1e4}};
    s.rules = 4;
    s.rules_failed = 2;
    s.findings = 7;
    return {"B", "b.toml", "EPSG:4545", s, ""};
}
}  // namespace

TEST_CASE("compare: the columns are the union over the projects, blank where one lacks a figure", "[compare]") {
    ComparedProject bad{"C", "c.toml", "", std::nullopt, "project file 'c.toml': cannot open"};
    const Comparison c = make_comparison({project_a(), project_b(), bad});
    // Control lines in their fixed order, whichever project has them; zones in the order first met.
    CHECK(c.control_lines == std::vector<std::string>{"生态保护红线", "永久基本农田", "城镇开发边界"});
    CHECK(c.zones == std::vector<std::string>{"甲", "乙", "丙"});
    const std::vector<std::string> header = {"project", "crs", "county_m2", "county_ha", "county_mu",
                                             "生态保护红线_ha", "生态保护红线_share_pct",
                                             "永久基本农田_ha", "永久基本农田_share_pct",
                                             "城镇开发边界_ha", "城镇开发边界_share_pct",
                                             "甲_ha", "甲_share_pct", "乙_ha", "乙_share_pct", "丙_ha", "丙_share_pct",
                                             "rules", "rules_failed", "findings_above_tolerance", "status"};
    CHECK(comparison_columns(c) == header);

    const std::string csv = comparison_csv(c);
    REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);  // BOM
    const auto lines = csv_lines(csv.substr(3));
    REQUIRE(lines.size() == 4);
    CHECK(cells(lines[0]) == header);
    CHECK(cells(lines[1]) == std::vector<std::string>{"A", "EPSG:4544", "10000000.00", "1000.0000", "15000.000",
                                                      "100.0000", "10.00", "", "", "50.0000", "5.00",
                                                      "600.0000", "60.00", "400.0000", "40.00", "", "",
                                                      "3", "0", "0", "PASS"});
    CHECK(cells(lines[2]) == std::vector<std::string>{"B", "EPSG:4545", "200000.00", "20.0000", "300.000",
                                                      "", "", "2.0000", "10.00", "", "",
                                                      "", "", "5.0000", "25.00", "15.0000", "75.00",
                                                      "4", "2", "7", "FAIL"});
    const auto error_row = cells(lines[3]);
    REQUIRE(error_row.size() == header.size());
    CHECK(error_row.front() == "C");
    CHECK(error_row.back() == "ERROR");
    for (std::size_t i = 1; i + 1 < error_row.size(); ++i) CHECK(error_row[i].empty());
}

TEST_CASE("compare: the JSON holds the same figures and the index links each report", "[compare]") {
    ComparedProject bad{"C", "c.toml", "", std::nullopt, "project file 'c.toml': cannot open"};
    const Comparison c = make_comparison({project_a(), project_b(), bad});
    const auto j = nlohmann::json::parse(comparison_json(c));
    REQUIRE(j["projects"].size() == 3);
    CHECK(j["projects"][0]["county"]["ha"].get<double>() == Approx(1000));
    CHECK(j["projects"][1]["zones"]["areas"][1]["share_pct"].get<double>() == Approx(75));
    CHECK(j["projects"][1]["status"] == "FAIL");
    CHECK(j["projects"][2]["status"] == "ERROR");
    CHECK_THAT(j["projects"][2]["error"].get<std::string>(), Contains("c.toml"));

    const std::string html = comparison_index_html(c, "多县对比");
    CHECK_THAT(html, Contains("href=\"A/report.html\""));
    CHECK_THAT(html, Contains("<small>"));
    CHECK(html.find("http") == std::string::npos);  // nothing fetched
    CHECK_THAT(comparison_index_markdown(c, "多县对比"), Contains("[report.html](<B/report.html>)"));
}

TEST_CASE("compare: a project with no county has no shares", "[compare]") {
    RunSummary s;
    s.zones = {{"甲", 1e4}};
    const Comparison c = make_comparison({{"A", "a.toml", "EPSG:4544", s, ""}});
    CHECK(c.control_lines.empty());
    const auto lines = csv_lines(comparison_csv(c).substr(3));
    REQUIRE(lines.size() == 2);
    CHECK(cells(lines[1]) == std::vector<std::string>{"A", "EPSG:4544", "", "", "", "1.0000", "", "0", "0", "0", "PASS"});
}

TEST_CASE("compare: folder names are safe and unique", "[compare]") {
    std::vector<std::string> taken;
    CHECK(project_folder_name("崇州市国土空间规划（示例）", taken) == "崇州市国土空间规划（示例）");
    CHECK(project_folder_name("崇州市国土空间规划（示例）", taken) == "崇州市国土空间规划（示例）-2");
    CHECK(project_folder_name("a/b:c*?", taken) == "a_b_c__");
    CHECK(project_folder_name("..", taken) == "project");
    CHECK(project_folder_name("", taken) == "project-2");
    CHECK(project_folder_name("Index.md", taken) == "Index.md-2");  // not a file of the comparison
    CHECK(project_folder_name("con", taken) == "con_");
    CHECK(project_folder_name("Plan", taken) == "Plan");
    CHECK(project_folder_name("plan", taken) == "plan-2");  // unlike on a case-insensitive file system too
    const std::string long_name(40, 'x');
    const std::string cjk = "县县县县县县县县县县县县县县";  // 14 × 3 bytes
    const std::string cut = project_folder_name(long_name + cjk, taken);
    CHECK(cut.size() <= 80);
    CHECK(cut == long_name + "县县县县县县县县县县县县县");  // 40 + 13 × 3 = 79 bytes: the 14th would end at 82
}
