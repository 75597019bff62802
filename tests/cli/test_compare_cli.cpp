// End to end: `zonekit run A.toml B.toml … -o OUT` on the two bundled projects — each project into its own
// folder, the comparison beside them (comparison.csv/json, index.html/md), its figures read back against each
// project's own outputs; --jobs; the usage and bad-input cases.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {
std::string chongzhou() { return source_dir() + "/layers/chongzhou/project.toml"; }
std::string conflicts() { return source_dir() + "/layers/chongzhou/conflicts.toml"; }
const std::string chongzhou_name = "崇州市国土空间规划（示例）";          // [project] name
const std::string conflicts_name = "崇州市国土空间规划（植入冲突的示例）";  // [project] name

// comparison.csv read as rows of column → cell (no quoted commas in the bundled names).
struct Csv {
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
};
Csv read_comparison(const std::string& path) {
    std::string text = read_file(path);
    REQUIRE(text.rfind("\xEF\xBB\xBF", 0) == 0);
    const auto lines = csv_lines(text.substr(3));
    REQUIRE(!lines.empty());
    Csv csv;
    csv.header = csv_cells(lines[0]);
    for (std::size_t l = 1; l < lines.size(); ++l) {
        const auto cells = csv_cells(lines[l]);
        REQUIRE(cells.size() == csv.header.size());
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < cells.size(); ++i) row[csv.header[i]] = cells[i];
        csv.rows.push_back(row);
    }
    return csv;
}

// The sum of the ellip_m2 field of a layer of a project's analysis.gpkg (the areas its run wrote per feature).
double ellip_sum(const std::string& gpkg, const std::string& layer) { return sum_field(gpkg, layer, "ellip_m2"); }
}  // namespace

TEST_CASE("run: two projects into their folders and a comparison read back against each", "[run][compare]") {
    TempDir dir;
    const auto r = run_zonekit({"run", chongzhou(), conflicts(), "-o", dir / "out"});
    INFO(r.err);
    CHECK(r.exit_code == 1);  // the planted conflicts fail
    const fs::path out = dir.path() / "out";
    for (const auto& name : {chongzhou_name, conflicts_name}) {
        CHECK(fs::exists(out / name / "report.html"));
        CHECK(fs::exists(out / name / "summary.json"));
    }
    for (const char* f : {"comparison.csv", "comparison.json", "index.html", "index.md"}) CHECK(fs::exists(out / f));
    CHECK_THAT(r.out, Contains("comparison of 2 project(s)"));

    const Csv csv = read_comparison((out / "comparison.csv").string());
    const std::vector<std::string> head = {"project", "crs", "county_m2", "county_ha", "county_mu",
                                           "生态保护红线_ha", "生态保护红线_share_pct", "永久基本农田_ha",
                                           "永久基本农田_share_pct", "城镇开发边界_ha", "城镇开发边界_share_pct"};
    REQUIRE(csv.header.size() > head.size() + 4);
    CHECK(std::vector<std::string>(csv.header.begin(), csv.header.begin() + head.size()) == head);
    CHECK(std::vector<std::string>(csv.header.end() - 4, csv.header.end()) ==
          std::vector<std::string>{"rules", "rules_failed", "findings_above_tolerance", "status"});
    // The five districts, by name in both projects.
    for (const char* zone : {"天府粮仓核心示范区", "先进制造业集聚区", "城市中央活力区", "大青城古镇文旅产业区",
                             "大熊猫国家公园（崇州）片区"}) {
        CHECK(std::find(csv.header.begin(), csv.header.end(), std::string(zone) + "_ha") != csv.header.end());
        CHECK(std::find(csv.header.begin(), csv.header.end(), std::string(zone) + "_share_pct") != csv.header.end());
    }
    CHECK(csv.header.size() == head.size() + 5 * 2 + 4);
    REQUIRE(csv.rows.size() == 2);
    CHECK(csv.rows[0].at("project") == chongzhou_name);
    CHECK(csv.rows[1].at("project") == conflicts_name);

    // The county's area in the comparison is each project's own: its summary.json, and the sum of the county's
    // features' ellip_m2 in its analysis.gpkg.
    for (const auto& row : csv.rows) {
        const fs::path folder = out / row.at("project");
        const auto summary = nlohmann::json::parse(read_file((folder / "summary.json").string()));
        CHECK(row.at("crs") == summary["crs"].get<std::string>());
        const double m2 = summary["comparison"]["county"]["m2"].get<double>();
        CHECK(row.at("county_m2") == fmt::format("{:.2f}", m2));
        CHECK(std::stod(row.at("county_m2")) == Approx(ellip_sum((folder / "analysis.gpkg").string(), "county")).margin(0.01));
        CHECK(std::stod(row.at("county_ha")) == Approx(m2 / 1e4).margin(1e-4));
        CHECK(std::stod(row.at("county_mu")) == Approx(m2 * 15 / 1e4).margin(1e-3));
        // The red line's share of the county, from its own area.
        const double redline_m2 = ellip_sum((folder / "analysis.gpkg").string(), "redline");
        CHECK(std::stod(row.at("生态保护红线_ha")) == Approx(redline_m2 / 1e4).margin(1e-4));
        CHECK(std::stod(row.at("生态保护红线_share_pct")) == Approx(100 * redline_m2 / m2).margin(0.005));
        CHECK(row.at("rules") == std::to_string(summary["checks"]["rules"].size()));
    }
    // The bundled county is generated at 1,090 km² (ellipsoidal); both projects share its outline.
    CHECK(std::stod(csv.rows[0].at("county_ha")) == Approx(109000).margin(0.01));
    CHECK(csv.rows[0].at("status") == "PASS");
    CHECK(csv.rows[0].at("rules_failed") == "0");
    CHECK(csv.rows[1].at("status") == "FAIL");
    CHECK(std::stoi(csv.rows[1].at("rules_failed")) > 0);
    CHECK(std::stoi(csv.rows[1].at("findings_above_tolerance")) > 0);

    const auto j = nlohmann::json::parse(read_file((out / "comparison.json").string()));
    REQUIRE(j["projects"].size() == 2);
    CHECK(j["projects"][1]["status"] == "FAIL");
    const std::string html = read_file((out / "index.html").string());
    CHECK_THAT(html, Contains("href=\"%E5%B4%87"));  // 崇…/report.html, percent-encoded
    CHECK_THAT(html, Contains("生态保护红线"));
    CHECK(html.find("<script src") == std::string::npos);
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);

    // Again without --overwrite: refused before anything runs; with it, replaced.
    const auto again = run_zonekit({"run", chongzhou(), conflicts(), "-o", dir / "out"});
    CHECK(again.exit_code == 2);
    CHECK_THAT(again.err, Contains("comparison.csv"));
    const auto over = run_zonekit({"run", chongzhou(), conflicts(), "-o", dir / "out", "--overwrite"});
    INFO(over.err);
    CHECK(over.exit_code == 1);
}

TEST_CASE("run: --jobs 2 gives the same comparison as --jobs 1 with messages one per line", "[run][compare]") {
    TempDir dir;
    const auto one = run_zonekit({"run", chongzhou(), conflicts(), "-o", dir / "one", "--jobs", "1", "--progress"});
    const auto two = run_zonekit({"run", chongzhou(), conflicts(), "-o", dir / "two", "--jobs", "2", "--progress"});
    INFO(one.err);
    INFO(two.err);
    CHECK(one.exit_code == 1);
    CHECK(two.exit_code == 1);
    CHECK(read_file(dir / "one/comparison.csv") == read_file(dir / "two/comparison.csv"));
    CHECK(read_file(dir / "one/comparison.json").size() > 0);
    // Every message line of the parallel run names its project.
    std::istringstream err(two.err);
    std::string line;
    std::size_t lines = 0;
    while (std::getline(err, line)) {
        ++lines;
        const bool named = line.rfind("zonekit run [" + chongzhou_name + "]: ", 0) == 0 ||
                           line.rfind("zonekit run [" + conflicts_name + "]: ", 0) == 0;
        INFO(line);
        CHECK(named);
    }
    CHECK(lines > 2);
}

TEST_CASE("run: several projects without -o is a usage error", "[run][compare]") {
    const auto r = run_zonekit({"run", chongzhou(), conflicts()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("-o OUTDIR"));
    CHECK(r.out.empty());
}

TEST_CASE("run: a project that cannot be read is named and the other is still run and compared", "[run][compare]") {
    TempDir dir;
    const std::string missing = dir / "nowhere.toml";
    const auto r = run_zonekit({"run", missing, conflicts(), "-o", dir / "out"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("nowhere.toml"));
    const fs::path out = dir.path() / "out";
    CHECK(fs::exists(out / conflicts_name / "report.html"));
    CHECK(!fs::exists(out / "nowhere"));
    const Csv csv = read_comparison((out / "comparison.csv").string());
    REQUIRE(csv.rows.size() == 2);
    CHECK(csv.rows[0].at("project") == "nowhere");
    CHECK(csv.rows[0].at("status") == "ERROR");
    CHECK(csv.rows[0].at("county_m2").empty());
    CHECK(csv.rows[1].at("status") == "FAIL");
    const auto j = nlohmann::json::parse(read_file((out / "comparison.json").string()));
    CHECK_THAT(j["projects"][0]["error"].get<std::string>(), Contains("nowhere.toml"));
}

TEST_CASE("run: the same project twice gets two folders", "[run][compare]") {
    TempDir dir;
    const auto r = run_zonekit({"run", conflicts(), conflicts(), "-o", dir / "out", "--jobs", "2"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    const fs::path out = dir.path() / "out";
    CHECK(fs::exists(out / conflicts_name / "report.html"));
    CHECK(fs::exists(out / (conflicts_name + "-2") / "report.html"));
    const Csv csv = read_comparison((out / "comparison.csv").string());
    REQUIRE(csv.rows.size() == 2);
    CHECK(csv.rows[0].at("project") == conflicts_name);
    CHECK(csv.rows[1].at("project") == conflicts_name + "-2");
    // The same figures in both rows but the name.
    auto a = csv.rows[0], b = csv.rows[1];
    a.erase("project");
    b.erase("project");
    CHECK(a == b);
}
