// The bad-input corpus (tests/data/bad, made by scripts/make_bad_corpus.py; its README lists every case) run
// through every command. For each case and command:
//   - no crash: exit code 0, 1 or 2 (a signal or a sanitizer report fails; the suite also runs under ASan+UBSan);
//   - no raw GDAL/GEOS text: every line on stderr is zonekit's ("zonekit VERB: …" or an indented continuation);
//   - exit code 2 comes with a message that names the file at fault (or, for a one-layer file, its layer);
//   - the corpus's bytes are unchanged, and no file appears in it.
// For `zonekit area` (layers) and `zonekit check` (project files), each case's exit code and message are also
// checked, and for the usable inputs the result.
//
// To run the corpus through a new command, add one line to the list of commands at the end of this file.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <set>
#include <sstream>

using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

std::string corpus_dir() { return source_dir() + "/tests/data/bad"; }
std::string bad(const std::string& name) { return corpus_dir() + "/" + name; }

struct LayerCase {
    std::string file;
    int exit_code;                     // of `zonekit area FILE --unit m2 --format json`
    std::vector<std::string> says;     // on its stderr
    double total_m2 = -1;              // plan area when it succeeds (-1: not checked)
    std::vector<std::string> files = {};  // its other files (sidecars), for the coverage check
};

std::vector<std::string> shp_sidecars(const std::string& stem, std::initializer_list<const char*> exts) {
    std::vector<std::string> out;
    for (const char* e : exts) out.push_back(stem + e);
    return out;
}

const std::vector<LayerCase>& layer_cases() {
    static const std::vector<LayerCase> cases = {
        {"truncated.gpkg", 2, {"cannot read", "truncated.gpkg'", "malformed"}},
        {"zero_bytes.gpkg", 2, {"is empty (0 bytes)", "copy it again"}},
        {"truncated.shp", 2, {"layer 'truncated' feature 0 has a damaged geometry: GDAL cannot read it", "fread",
                              "--skip-damaged"}, -1,
         shp_sidecars("truncated", {".shx", ".dbf", ".prj", ".cpg"})},
        {"zero_bytes.shp", 2, {"is empty (0 bytes)"}, -1, shp_sidecars("zero_bytes", {".shx", ".dbf", ".prj", ".cpg"})},
        {"truncated_dbf.shp", 2, {"cannot read layer 'truncated_dbf'", "truncated or damaged"}, -1,
         shp_sidecars("truncated_dbf", {".shx", ".dbf", ".prj", ".cpg"})},
        {"truncated.geojson", 2, {"cannot read", "GeoJSON"}},
        {"zero_bytes.geojson", 2, {"is empty (0 bytes)"}},
        {"not_geojson.geojson", 2, {"cannot read"}},
        {"no_shx.shp", 2, {"has no .shx", "SHAPE_RESTORE_SHX"}, -1, shp_sidecars("no_shx", {".dbf", ".prj", ".cpg"})},
        {"no_dbf.shp", 2, {"has no .dbf", "attribute table is missing"}, -1, shp_sidecars("no_dbf", {".shx", ".prj"})},
        {"shx_short.shp", 2, {"does not hold together", "lists 1 record and its .dbf", "shx_short.dbf') 4;",
                              "3 features would be lost", "SHAPE_RESTORE_SHX"}, -1,
         shp_sidecars("shx_short", {".shx", ".dbf", ".prj", ".cpg"})},
        {"shx_long.shp", 2, {"does not hold together", "lists 3 records and its .dbf", "shx_long.dbf') 2;",
                             "1 feature would be lost"}, -1, shp_sidecars("shx_long", {".shx", ".dbf", ".prj", ".cpg"})},
        {"corrupt_blob.gpkg", 2, {"layer 'zones' feature 2 has a damaged geometry: GDAL cannot read it (Unable to "
                                  "read geometry)", "--skip-damaged to leave such features out"}},
        {"nan_coords.geojson", 2, {"layer 'nan_coords' feature 0 has a coordinate that is not a number"}},
        {"infinity_coords.geojson", 2, {"feature 0 has coordinates that are not finite or absurdly large"}},
        {"nan_coords.gpkg", 2, {"layer 'zones' feature 2 has a coordinate that is not a number"}},
        {"string_coords.geojson", 2, {"feature 0 has a damaged geometry: GDAL cannot read it", "Invalid 'y' coordinate",
                                       "--skip-damaged"}},
        {"huge_coords.gpkg", 2, {"layer 'zones' feature 2 has coordinates that are not finite or absurdly large"}},
        {"huge_coords_4490.geojson", 2, {"layer 'huge_coords_4490'", "beyond ±180°/±90°", "--assume-crs"}},
        {"far_coords.geojson", 2, {"layer 'far_coords' feature 0 reaches", "100,000 km", "--assume-crs"}},
        // Invalid polygons are repaired (and listed) by default, as in every command; --strict refuses them.
        {"unclosed_ring.geojson", 0, {"warning: 1 invalid polygon", "feature 0: repaired, was a ring not closed",
                                      "--strict"}, 10000},
        {"unclosed_ring.gpkg", 0, {"warning: 1 invalid polygon", "feature 2: repaired, was a ring not closed"}, 20000},
        {"short_ring.gpkg", 0, {"warning: 1 invalid polygon", "feature 2: repaired, was Too few points", "linework"},
         10000},
        {"empty_geometry.gpkg", 2, {"feature 2: empty geometry", "--skip-empty"}},
        {"null_geometry.gpkg", 2, {"feature 2: null geometry", "--skip-empty"}},
        {"geometry_collection.gpkg", 0, {"warning: 1 feature of layer 'zones'", "is a GeometryCollection", "feature 2"},
         20000},
        {"polygon_z.gpkg", 0, {"warning: 1 geometries of layer 'zones' with Z or M values were read in 2D"}, 10000},
        {"polygon_m.gpkg", 0, {"warning: 1 geometries of layer 'zones' with Z or M values were read in 2D"}, 10000},
        {"mixed_types.gpkg", 2, {"feature 2 is a Point, not a polygon"}},
        // π·50² = 7853.98 m², less what GDAL's linearisation (a vertex every 4° or so) cuts off: the area of the
        // same linearisation measured by OGR, 7847.74 m².
        {"curve_polygon.gpkg", 0, {}, gdal_plan_area(bad("curve_polygon.gpkg"), "", 0)},
        {"duplicate_fields.shp", 0, {"fields with the same name", "field 2 'NAME' as 'NAME_2'"}, 20000,
         shp_sidecars("duplicate_fields", {".shx", ".dbf", ".prj", ".cpg"})},
        {"gbk_no_cpg.shp", 0, {"read as CP936, detected"}, 20000, shp_sidecars("gbk_no_cpg", {".shx", ".dbf", ".prj"})},
        {"no_crs.shp", 2, {"layer 'no_crs'", "has no CRS", "--assume-crs"}, -1,
         shp_sidecars("no_crs", {".shx", ".dbf", ".cpg"})},
        {"garbage_prj.shp", 2, {"layer 'garbage_prj'", "has no CRS that GDAL can read", "--assume-crs"}, -1,
         shp_sidecars("garbage_prj", {".shx", ".dbf", ".prj", ".cpg"})},
        {"unknown_epsg.geojson", 2, {"layer 'unknown_epsg'", "beyond ±180°/±90°", "crs not found", "--assume-crs"}},
        {"crs_4544.gpkg", 0, {}, 10000},
        {"crs_4490.geojson", 0, {"reprojected from EPSG:4490 to EPSG:4544"}, 10000},
        {"plan.gpkg", 0, {}, 20000},
    };
    return cases;
}

struct ProjectCase {
    std::string file;
    std::vector<std::string> says;  // on the stderr of `zonekit check FILE` (exit 2)
};

const std::vector<ProjectCase>& project_cases() {
    static const std::vector<ProjectCase> cases = {
        {"syntax_error.toml", {"syntax_error.toml' line 9, column", "TOML syntax"}},
        {"missing_key.toml", {"missing_key.toml' line 1", "[layers.a] needs 'path'"}},
        {"wrong_type.toml", {"wrong_type.toml' line 2, column 8", "'path' in [layers.a] must be a string"}},
        {"wrong_type_list.toml", {"wrong_type_list.toml' line 11", "must be a list of layer names"}},
        {"unknown_rule.toml", {"unknown_rule.toml' line 10", "unknown rule 'no-overlaps'", "no-overlap, "}},
        {"missing_layer.toml", {"missing_layer.toml'", "names layer 'c', which is not declared (layers: a, b)"}},
        {"missing_file.toml", {"layer 'a' (declared at line 1 of the project file)", "nowhere.gpkg' not found"}},
        {"bad_layer_file.toml", {"layer 'a' (declared at line 1 of the project file)", "truncated.gpkg"}},
        {"unknown_epsg.toml", {"unknown_epsg.toml' line 8", "unknown CRS 'EPSG:99999'"}},
        {"empty.toml", {"empty.toml'", "no layers declared"}},
        {"not_utf8.toml", {"not_utf8.toml' line 3", "utf-8"}},
    };
    return cases;
}

void check_says(const std::string& err, const std::vector<std::string>& says) {
    for (const auto& s : says) CHECK_THAT(err, Contains(s));
}

// The contract every run keeps, whatever the input. `names` are the files a failure must name (any of them).
void check_contract(const RunResult& r, const std::vector<std::string>& names) {
    INFO("stderr:\n" << r.err);
    CHECK(r.exit_code >= 0);
    CHECK(r.exit_code <= 2);
    CHECK(r.err.find("runtime error:") == std::string::npos);  // UBSan
    CHECK(r.err.find("Sanitizer") == std::string::npos);       // ASan, LSan
    std::istringstream lines(r.err);
    std::string line;
    while (std::getline(lines, line)) {
        INFO("line: " << line);
        CHECK((line.empty() || line.rfind("zonekit ", 0) == 0 || line.rfind("  ", 0) == 0));
    }
    if (r.exit_code == 2) {
        bool named = false;
        for (const auto& n : names) named = named || r.err.find(n) != std::string::npos;
        INFO("names one of: " << Catch::Detail::stringify(names));
        CHECK(named);
    }
}

// Snapshot of the corpus before a test, compared after it: nothing written, added or removed.
struct CorpusUnchanged {
    std::map<std::string, std::string> before = snapshot_files(corpus_dir());
    ~CorpusUnchanged() {
        const auto after = snapshot_files(corpus_dir());
        CHECK(after.size() == before.size());
        for (const auto& [name, bytes] : before) {
            INFO("corpus file " << name);
            auto it = after.find(name);
            CHECK(it != after.end());
            if (it != after.end()) CHECK(it->second == bytes);
        }
    }
};

// Where a command's run gets its inputs and writes its outputs.
struct Inputs {
    std::string layer;       // the bad layer (or project file)
    std::string good;        // a good polygon layer (two squares, field 'name')
    std::string points;      // a good point layer
    std::string lines;       // a good line layer
    std::string out;         // a fresh directory for outputs
};
using CommandLine = std::function<std::vector<std::string>(const Inputs&)>;

// Runs every layer case (or project case) through one command form.
void run_corpus(const CommandLine& command, bool projects) {
    CorpusUnchanged unchanged;
    TempDir dir;
    write_layer(dir / "points.gpkg", "GPKG", "points", 4544, wkbPoint, {"name"},
                {{"POINT(500050 3400050)", {"p1"}}, {"POINT(500250 3400050)", {"p2"}}});
    write_layer(dir / "lines.gpkg", "GPKG", "lines", 4544, wkbLineString, {"name"},
                {{"LINESTRING(499900 3400050,500400 3400050)", {"l1"}}});
    std::vector<std::pair<std::string, std::vector<std::string>>> inputs;  // file, the names a failure may give
    if (projects) {
        for (const auto& c : project_cases()) inputs.push_back({c.file, {c.file, "nowhere.gpkg", "truncated.gpkg"}});
    } else {
        // The file, or its layer: a Shapefile's or GeoJSON's layer is the file's name without extension.
        for (const auto& c : layer_cases())
            inputs.push_back({c.file, {c.file, "layer '" + fs::path(c.file).stem().string() + "'"}});
    }
    for (const auto& [file, names] : inputs) {
        TempDir out;
        const Inputs in{bad(file), bad("plan.gpkg"), dir / "points.gpkg", dir / "lines.gpkg", out.path().string()};
        const std::vector<std::string> args = command(in);
        std::string shown;
        for (const auto& a : args) shown += " " + a;
        INFO("zonekit" << shown);
        const RunResult r = run_zonekit(args, out.path());
        check_contract(r, names);
    }
}

}  // namespace

TEST_CASE("bad input: the corpus is what the cases describe", "[cli][bad-input]") {
    std::set<std::string> covered = {"README.md"};
    for (const auto& c : layer_cases()) {
        covered.insert(c.file);
        covered.insert(c.files.begin(), c.files.end());
    }
    for (const auto& c : project_cases()) covered.insert(c.file);
    std::set<std::string> present;
    for (const auto& e : fs::directory_iterator(corpus_dir())) present.insert(e.path().filename().string());
    for (const auto& name : present) {
        INFO(name << " is in tests/data/bad but no case covers it");
        CHECK(covered.count(name) == 1);
    }
    for (const auto& name : covered) {
        INFO(name << " is covered by a case but missing from tests/data/bad");
        CHECK(present.count(name) == 1);
    }
    const std::string readme = read_file(bad("README.md"));
    for (const auto& c : layer_cases()) CHECK_THAT(readme, Contains("`" + c.file + "`"));
    for (const auto& c : project_cases()) CHECK_THAT(readme, Contains("`" + c.file + "`"));
}

TEST_CASE("bad input: zonekit area, case by case", "[cli][bad-input]") {
    CorpusUnchanged unchanged;
    for (const auto& c : layer_cases()) {
        const RunResult r = run_zonekit({"area", bad(c.file), "--unit", "m2", "--format", "json"});
        INFO(c.file << "\nstderr:\n" << r.err);
        check_contract(r, {c.file});
        CHECK(r.exit_code == c.exit_code);
        check_says(r.err, c.says);
        if (c.exit_code == 0 && c.total_m2 >= 0) {
            const auto j = nlohmann::json::parse(r.out);
            CHECK(j["total"]["plan"].get<double>() == Approx(c.total_m2).epsilon(1e-6));
        }
    }
}

TEST_CASE("bad input: the way out that each message names works", "[cli][bad-input]") {
    CorpusUnchanged unchanged;
    auto total = [](const std::vector<std::string>& args) {
        const RunResult r = run_zonekit(args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return nlohmann::json::parse(r.out)["total"]["plan"].get<double>();
    };
    const std::vector<std::string> json = {"--unit", "m2", "--format", "json"};
    auto with = [&json](std::vector<std::string> args) {
        args.insert(args.end(), json.begin(), json.end());
        return args;
    };
    // --skip-empty: the good square only.
    for (const char* f : {"empty_geometry.gpkg", "null_geometry.gpkg"}) {
        INFO(f);
        CHECK(total(with({"area", bad(f), "--skip-empty"})) == Approx(10000).epsilon(1e-9));
    }
    // A damaged geometry is not an empty one: --skip-empty still stops on it, --skip-damaged leaves it out (and
    // says so); where every feature is damaged, nothing is left to measure, and the message says why.
    {
        const RunResult still = run_zonekit(with({"area", bad("corrupt_blob.gpkg"), "--skip-empty"}));
        CHECK(still.exit_code == 2);
        CHECK_THAT(still.err, Contains("feature 2 has a damaged geometry") && Contains("--skip-damaged"));
        CHECK(total(with({"area", bad("corrupt_blob.gpkg"), "--skip-damaged"})) == Approx(10000).epsilon(1e-9));
        const RunResult left = run_zonekit(with({"area", bad("corrupt_blob.gpkg"), "--skip-damaged"}));
        CHECK_THAT(left.err, Contains("1 feature(s) with damaged geometry left out") &&
                                 Contains("feature 2: damaged geometry, GDAL cannot read it (Unable to read geometry)"));
    }
    for (const char* f : {"truncated.shp", "string_coords.geojson"}) {
        INFO(f);
        const RunResult r = run_zonekit(with({"area", bad(f), "--skip-damaged"}));
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("has no features other than the") &&
                              Contains("with damaged geometry left out (--skip-damaged)"));
    }
    // --strict refuses what is otherwise repaired, naming the feature; --make-valid (once needed) changes nothing.
    for (const char* f : {"unclosed_ring.geojson", "unclosed_ring.gpkg", "short_ring.gpkg"}) {
        INFO(f);
        const RunResult strict = run_zonekit(with({"area", bad(f), "--strict"}));
        CHECK(strict.exit_code == 2);
        CHECK_THAT(strict.err, Contains("feature") && Contains("--strict refuses invalid polygons"));
    }
    CHECK(total(with({"area", bad("unclosed_ring.geojson"), "--make-valid"})) == Approx(10000).epsilon(1e-9));
    CHECK(total(with({"area", bad("unclosed_ring.gpkg"), "--make-valid"})) == Approx(20000).epsilon(1e-9));
    CHECK(total(with({"area", bad("short_ring.gpkg"), "--make-valid"})) == Approx(10000).epsilon(1e-9));
    // --assume-crs gives a layer without a (usable) CRS its CRS.
    for (const char* f : {"no_crs.shp", "garbage_prj.shp", "unknown_epsg.geojson"}) {
        INFO(f);
        CHECK(total(with({"area", bad(f), "--assume-crs", "EPSG:4544"})) == Approx(10000).epsilon(1e-9));
    }
    // The renamed duplicate field and the detected GBK text are usable, and written out.
    RunResult r = run_zonekit({"area", bad("duplicate_fields.shp"), "--by", "NAME_2", "--format", "csv"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("\nfirst,1,") && Contains("\nsecond,1,"));
    TempDir dir;
    r = run_zonekit({"area", bad("duplicate_fields.shp"), "-o", dir / "areas.gpkg"});
    CHECK(r.exit_code == 0);
    const auto features = dump_features(dir / "areas.gpkg");
    REQUIRE(features.size() == 3);
    CHECK_THAT(features[1], Contains(" a first "));
    r = run_zonekit({"area", bad("gbk_no_cpg.shp"), "--by", "名称", "--format", "csv"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("\n城市中央活力区,1,") && Contains("\n天府粮仓,1,"));
    // Layers in different CRSs meet in one: the intersection of a square with itself, once reprojected.
    r = run_zonekit({"overlay", "intersection", bad("crs_4490.geojson"), bad("crs_4544.gpkg"), "-o", dir / "x.gpkg"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("layer 'crs_4490' is reprojected from EPSG:4490 to EPSG:4544"));
    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "x.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    double plan = 0;
    for (auto& f : *ds->GetLayer(0)) plan += f->GetFieldAsDouble("plan_m2");
    CHECK(plan == Approx(10000).epsilon(1e-6));  // corners kept to 1e-10° (1e-5 m)
}

TEST_CASE("bad input: zonekit check, project file by project file", "[cli][bad-input]") {
    CorpusUnchanged unchanged;
    for (const auto& c : project_cases()) {
        for (const char* verb : {"check", "resolve"}) {
            std::vector<std::string> args = {verb, c.file};
            TempDir out;
            if (std::string(verb) == "resolve") args.insert(args.end(), {"--priority", "a,b", "-o", out / "r.gpkg"});
            // Run from the corpus directory, as a planner would: the project file's name as given.
            const RunResult r = run_zonekit(args, corpus_dir());
            INFO(verb << " " << c.file << "\nstderr:\n" << r.err);
            check_contract(r, {c.file, "nowhere.gpkg", "truncated.gpkg"});
            CHECK(r.exit_code == 2);
            check_says(r.err, c.says);
        }
    }
}

// ---- Every case through every command: one line per command form ----------------------------------------
// A layer command gets the bad layer in each of the places it reads one.

#define ZK_BAD_LAYERS(NAME, ...) \
    TEST_CASE("bad input: every layer case through " NAME, "[cli][bad-input]") { \
        run_corpus([](const Inputs& in) { return std::vector<std::string> __VA_ARGS__; }, false); \
    }
#define ZK_BAD_PROJECTS(NAME, ...) \
    TEST_CASE("bad input: every project file through " NAME, "[cli][bad-input]") { \
        run_corpus([](const Inputs& in) { return std::vector<std::string> __VA_ARGS__; }, true); \
    }

ZK_BAD_LAYERS("info", {"info", in.layer})
ZK_BAD_LAYERS("area -o", {"area", in.layer, "-o", in.out + "/a.gpkg", "--by", "name"})
ZK_BAD_LAYERS("overlay (A)", {"overlay", "intersection", in.layer, in.good, "-o", in.out + "/o.gpkg", "--threads", "2"})
ZK_BAD_LAYERS("overlay (B)", {"overlay", "union", in.good, in.layer, "-o", in.out + "/o.shp", "--threads", "2"})
ZK_BAD_LAYERS("tabulate (classes)", {"tabulate", in.good, in.layer, "--zone-field", "name", "--class-field", "name"})
ZK_BAD_LAYERS("tabulate (zones)", {"tabulate", in.layer, in.good, "--zone-field", "name", "--class-field", "name",
                                   "-o", in.out + "/t.csv"})
ZK_BAD_LAYERS("dissolve", {"dissolve", in.layer, "--by", "name", "-o", in.out + "/d.geojson"})
ZK_BAD_LAYERS("buffer", {"buffer", in.layer, "10", "-o", in.out + "/b.gpkg"})
ZK_BAD_LAYERS("count (zones)", {"count", in.points, in.layer, "--zone-field", "name"})
ZK_BAD_LAYERS("count (points)", {"count", in.layer, in.good, "--zone-field", "name"})
ZK_BAD_LAYERS("length (zones)", {"length", in.lines, in.layer, "--zone-field", "name", "--format", "json"})
ZK_BAD_LAYERS("check valid", {"check", "valid", in.layer, "-o", in.out + "/f.gpkg", "--report", in.out + "/r.json"})
ZK_BAD_LAYERS("check no-overlap", {"check", "no-overlap", in.layer, in.good})
ZK_BAD_LAYERS("check covers", {"check", "covers", in.good, in.layer})

ZK_BAD_PROJECTS("check", {"check", in.layer, "-o", in.out + "/f.gpkg"})
ZK_BAD_PROJECTS("resolve", {"resolve", in.layer, "--priority", "a,b", "-o", in.out + "/r.gpkg"})

TEST_CASE("bad input: overlay and tabulate say what the reader repaired, as area does", "[cli][bad-input]") {
    CorpusUnchanged unchanged;
    TempDir dir;
    const std::string ring = bad("unclosed_ring.gpkg");
    const RunResult o = run_zonekit({"overlay", "intersection", ring, ring, "-o", dir / "o.gpkg"});
    INFO(o.err);
    CHECK(o.exit_code == 0);
    CHECK_THAT(o.err, Contains("warning: 1 invalid polygon") && Contains("feature 2: repaired, was a ring not closed"));
    const RunResult t = run_zonekit({"tabulate", ring, ring, "--zone-field", "name", "--class-field", "name"});
    INFO(t.err);
    CHECK(t.exit_code == 0);
    CHECK_THAT(t.err, Contains("warning: 1 invalid polygon") && Contains("feature 2: repaired, was a ring not closed"));
}
