// End to end: `zonekit run` writes analysis.qgs, and QGIS 3.22 itself (Debian's python3-qgis, offscreen, through
// tests/cli/check_qgs.py) opens it: no invalid layer, the groups and the layers in them in order, each layer
// styled, the project CRS the analysis CRS; with planted conflicts, their findings layers in 检查结果.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sys/wait.h>

using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// python3-qgis installs into Debian's own Python, which need not be the first python3 on PATH (pyenv, venvs).
const char* debian_python = "/usr/bin/python3";

struct Shell {
    int code = -1;
    std::string output;
};

Shell shell(const std::string& command) {
    TempDir io;
    const int status = std::system((command + " >" + io / "out" + " 2>&1").c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(io / "out")};
}

// QGIS's Python API is there, or the test fails saying how to get it (never a silent skip).
void require_qgis() {
    const Shell s = shell(fmt::format("{} -c 'import qgis.core'", debian_python));
    INFO(s.output);
    if (s.code != 0) FAIL("QGIS's Python API (python3-qgis) is missing: run scripts/setup.sh, which installs it");
}

// check_qgs.py on `project` with `args`: its exit code, its output shown on failure.
int check_qgs(const std::string& project, const std::string& crs, const std::vector<std::string>& args) {
    std::string command = fmt::format("QT_QPA_PLATFORM=offscreen {} '{}/tests/cli/check_qgs.py' '{}' '{}'", debian_python,
                                      source_dir(), project, crs);
    for (const auto& a : args) command += " '" + a + "'";
    const Shell s = shell(command);
    UNSCOPED_INFO(command);
    UNSCOPED_INFO(s.output);
    return s.code;
}

}  // namespace

TEST_CASE("qgis: analysis.qgs of the bundled project opens in QGIS 3.22, grouped and styled", "[qgis][run]") {
    require_qgis();
    TempDir dir;
    const auto r = run_zonekit({"run", source_dir() + "/layers/chongzhou/project.toml", "-o", dir / "out"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("  analysis.gpkg\n  analysis.qgs\n"));
    const auto summary = nlohmann::json::parse(read_file(dir / "out/summary.json"));
    CHECK(summary["files"][1] == "analysis.qgs");
    // Every rule holds: findings below tolerance only, so no findings layer is switched on (--findings=).
    CHECK(check_qgs(dir / "out/analysis.qgs", summary["crs"],
                    {"--findings=", "--group-layers=现状用地=trees,rivers,parcels", "--group-layers=规划分区=districts",
                     "--group-layers=三区三线=urban,redline,farmland", "--group-layers=行政区划=county"}) == 0);
    // In 检查结果, below the findings: the overlay, then the tables in the project's order.
    const std::string qgs = read_file(dir / "out/analysis.qgs");
    std::size_t last = 0;
    for (const char* name : {"parcels_in_urban", "district_areas", "redline_area", "landuse_by_district",
                             "trees_by_district", "rivers_by_district", "trees"}) {
        const std::size_t here = qgs.find(fmt::format("name=\"{}\" source=", name));
        INFO(name);
        REQUIRE(here != std::string::npos);
        CHECK(here > last);
        last = here;
    }

    // The checker is no rubber stamp: a layer that is not in the GeoPackage, another style, are failures.
    std::string broken = qgs;
    const std::string rivers = "layername=rivers<";
    REQUIRE(broken.find(rivers) != std::string::npos);
    broken.replace(broken.find(rivers), rivers.size(), "layername=rivers_gone<");
    const std::string county_line = "<prop k=\"line_width\" v=\"0.8\"/>";
    REQUIRE(broken.find(county_line) != std::string::npos);
    broken.replace(broken.find(county_line), county_line.size(), "<prop k=\"line_width\" v=\"0.9\"/>");
    {
        std::ofstream out(dir / "out/broken.qgs", std::ios::binary);
        out << broken;
    }
    CHECK(check_qgs(dir / "out/broken.qgs", summary["crs"], {}) == 1);
}

TEST_CASE("qgis: the planted conflicts' findings are switched on in 检查结果, on top", "[qgis][run][check]") {
    require_qgis();
    TempDir dir;
    const auto r = run_zonekit({"run", source_dir() + "/layers/chongzhou/conflicts.toml", "-o", dir / "out"});
    INFO(r.err);
    REQUIRE(r.exit_code == 1);
    // The six planted conflicts of conflicts.toml (scripts/make_conflicts.py), each in its rule's layer: the
    // bow-tie's self-intersection a point, the others polygons; then the table. No parcels, rivers or points
    // are declared, so there is no 现状用地.
    const std::string findings = "valid_redline,no_overlap_redline_farmland,within_urban_county,covers_county_districts,"
                                 "no_self_overlap_districts,slivers_districts";
    CHECK(check_qgs(dir / "out/analysis.qgs", "EPSG:4544",
                    {"--groups=检查结果,行政区划,三区三线,规划分区", "--findings=" + findings,
                     "--group-layers=检查结果=" + findings + ",district_areas", "--group-layers=规划分区=districts",
                     "--group-layers=三区三线=urban,redline,farmland", "--group-layers=行政区划=county"}) == 0);
}
