// Determinism: every command, run twice — and, when it takes --threads, with --threads 1 and --threads 2 —
// gives byte-identical stdout, CSV, JSON, Markdown and GeoJSON, and feature-identical GeoPackages (every
// layer's features in order: fields, reals to the last bit, geometry as WKB; GeoPackages embed timestamps,
// so their bytes differ). Runs on the bundled Chongzhou layers.
//
// To cover a new command, add one line: deterministic({ARGS…}, {OUTPUTS…}[, exit code]); inputs are absolute
// paths, outputs are relative (each run has its own working directory). Whether it takes --threads is read
// from its --help.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace zk::test;
namespace fs = std::filesystem;

namespace {

std::string chongzhou() { return source_dir() + "/layers/chongzhou/chongzhou.gpkg"; }
std::string conflicts_project() { return source_dir() + "/layers/chongzhou/conflicts.toml"; }

bool takes_threads(const std::string& command) {
    const RunResult help = run_zonekit({command, "--help"});
    return help.exit_code == 0 && help.out.find("--threads") != std::string::npos;
}

// What a run produced, for comparison: stdout, then each output (bytes, or features for a GeoPackage).
std::vector<std::string> produced(const RunResult& r, const fs::path& dir, const std::vector<std::string>& outputs) {
    std::vector<std::string> all = {"stdout:\n" + r.out};
    for (const auto& name : outputs) {
        const fs::path p = dir / name;
        REQUIRE(fs::exists(p));
        all.push_back("output " + name + ":");
        if (p.extension() == ".gpkg") {
            for (auto& line : dump_features(p.string())) all.push_back(std::move(line));
        } else {
            all.push_back(read_file(p.string()));
        }
    }
    return all;
}

void deterministic(const std::vector<std::string>& args, const std::vector<std::string>& outputs, int exit_code = 0) {
    std::string shown;
    for (const auto& a : args) shown += " " + a;
    INFO("zonekit" << shown);
    std::vector<std::string> variants = {""};
    if (takes_threads(args.front())) variants = {"1", "2"};
    std::vector<std::string> reference;
    std::string reference_run;
    for (const auto& threads : variants)
        for (int run = 1; run <= 2; ++run) {
            TempDir dir;
            std::vector<std::string> a = args;
            if (!threads.empty()) a.insert(a.end(), {"--threads", threads});
            const RunResult r = run_zonekit(a, dir.path());
            INFO(r.err);
            REQUIRE(r.exit_code == exit_code);
            const std::vector<std::string> got = produced(r, dir.path(), outputs);
            const std::string this_run = (threads.empty() ? "" : "--threads " + threads + ", ") + "run " +
                                         std::to_string(run);
            if (reference.empty()) {
                reference = got;
                reference_run = this_run;
                continue;
            }
            INFO(this_run << " against " << reference_run);
            REQUIRE(got.size() == reference.size());
            for (std::size_t i = 0; i < got.size(); ++i) {
                INFO("item " << i);
                CHECK(got[i] == reference[i]);  // Catch shows the first difference
                if (got[i] != reference[i]) break;
            }
        }
}

}  // namespace

TEST_CASE("determinism: info", "[cli][determinism]") {
    deterministic({"info", chongzhou(), "--json"}, {});
}

TEST_CASE("determinism: area", "[cli][determinism]") {
    deterministic({"area", chongzhou(), "--layer", "parcels", "--by", "dlbm", "--unit", "mu", "-o", "areas.csv"},
                  {"areas.csv"});
    deterministic({"area", chongzhou(), "--layer", "districts", "--format", "json"}, {});
    deterministic({"area", chongzhou(), "--layer", "parcels", "-o", "parcels.gpkg"}, {"parcels.gpkg"});
}

TEST_CASE("determinism: overlay", "[cli][determinism]") {
    deterministic({"overlay", "intersection", chongzhou(), chongzhou(), "--layer-a", "parcels", "--layer-b",
                   "districts", "-o", "x.gpkg"},
                  {"x.gpkg"});
    deterministic({"overlay", "union", chongzhou(), chongzhou(), "--layer-a", "redline", "--layer-b", "districts",
                   "-o", "u.geojson"},
                  {"u.geojson"});
}

TEST_CASE("determinism: tabulate", "[cli][determinism]") {
    deterministic({"tabulate", chongzhou(), chongzhou(), "--layer-zones", "districts", "--layer-classes", "parcels",
                   "--zone-field", "name", "--class-field", "dlbm", "--unit", "km2", "--method", "ellip",
                   "--control-area", chongzhou() + ":county", "-o", "t.csv"},
                  {"t.csv"});
    deterministic({"tabulate", chongzhou(), chongzhou(), "--layer-zones", "districts", "--layer-classes", "parcels",
                   "--zone-field", "name", "--class-field", "dlbm", "--format", "json"},
                  {});
}

TEST_CASE("determinism: dissolve", "[cli][determinism]") {
    deterministic({"dissolve", chongzhou(), "--layer", "parcels", "--by", "dlbm", "-o", "d.gpkg"}, {"d.gpkg"});
}

TEST_CASE("determinism: buffer", "[cli][determinism]") {
    deterministic({"buffer", chongzhou(), "500", "--layer", "rivers", "--dissolve", "-o", "b.gpkg"}, {"b.gpkg"});
    deterministic({"buffer", chongzhou(), "50", "--layer", "trees", "-o", "t.gpkg"}, {"t.gpkg"});
}

TEST_CASE("determinism: count", "[cli][determinism]") {
    deterministic({"count", chongzhou(), chongzhou(), "--layer-points", "trees", "--layer-zones", "districts",
                   "--zone-field", "name", "-o", "c.json"},
                  {"c.json"});
}

TEST_CASE("determinism: length", "[cli][determinism]") {
    deterministic({"length", chongzhou(), chongzhou(), "--layer-lines", "rivers", "--layer-zones", "districts",
                   "--zone-field", "name", "-o", "l.csv"},
                  {"l.csv"});
}

TEST_CASE("determinism: check", "[cli][determinism]") {
    // The planted conflicts: findings in several rules (exit 1), written as features and as a report.
    deterministic({"check", conflicts_project(), "-o", "findings.gpkg", "--report", "report.json"},
                  {"findings.gpkg", "report.json"}, 1);
}

TEST_CASE("determinism: resolve", "[cli][determinism]") {
    deterministic({"resolve", conflicts_project(), "--priority", "redline,farmland,urban", "-o", "resolved.gpkg"},
                  {"resolved.gpkg"});
}
