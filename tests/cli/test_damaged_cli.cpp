// Damaged geometry is one policy in every command (#12). tests/data/bad/corrupt_blob.gpkg holds a good 100 m
// square (feature 1, 10,000 m², see tests/data/bad/README.md) and feature 2, whose GeoPackage blob GDAL cannot
// read. Every command that reads layers, with that layer in each place it reads one (and in a project file for
// check, resolve, render and run):
//   - stops with exit 2, naming the file, feature 2 and the way out (--skip-damaged), and writes nothing;
//   - with --skip-damaged, exits 0, says that 1 feature was left out, and gives the results of the same layer
//     without feature 2 (a copy made here with GDAL, not by zonekit), output by output;
//   - and some of those results are checked against values worked out by hand.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <cpl_error.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <regex>

using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

std::string corpus_dir() { return source_dir() + "/tests/data/bad"; }
std::string corrupt() { return corpus_dir() + "/corrupt_blob.gpkg"; }

// GDAL's own "Unable to read geometry" for feature 2 is expected here, not printed.
struct QuietGdal {
    QuietGdal() { CPLPushErrorHandler(CPLQuietErrorHandler); }
    ~QuietGdal() { CPLPopErrorHandler(); }
    QuietGdal(const QuietGdal&) = delete;
    QuietGdal& operator=(const QuietGdal&) = delete;
};

// The layer of corrupt_blob.gpkg with every feature but fid 2 (fids, fields and geometries as they are), copied
// with GDAL: what --skip-damaged must read.
void copy_without_feature_2(const std::string& to) {
    GDALAllRegister();
    QuietGdal quiet;
    GDALDatasetUniquePtr src(GDALDataset::Open(corrupt().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(src);
    OGRLayer* in = src->GetLayer(0);
    GDALDriver* gpkg = GetGDALDriverManager()->GetDriverByName("GPKG");
    REQUIRE(gpkg);
    GDALDatasetUniquePtr dst(gpkg->Create(to.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    REQUIRE(dst);
    OGRLayer* out = dst->CreateLayer(in->GetName(), in->GetSpatialRef(), in->GetGeomType(), nullptr);
    REQUIRE(out);
    OGRFeatureDefn* defn = in->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) REQUIRE(out->CreateField(defn->GetFieldDefn(i)) == OGRERR_NONE);
    int copied = 0;
    for (auto& f : *in) {
        if (f->GetFID() == 2) continue;
        OGRFeatureUniquePtr copy(OGRFeature::CreateFeature(out->GetLayerDefn()));
        REQUIRE(copy->SetFrom(f.get()) == OGRERR_NONE);
        copy->SetFID(f->GetFID());
        REQUIRE(out->CreateFeature(copy.get()) == OGRERR_NONE);
        ++copied;
    }
    REQUIRE(copied == 1);
}

std::string toml_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// Everything the commands read besides the layer under test, in one directory: the copy without feature 2;
// `other`, a square over the east half of feature 1 (5,000 m² in common) and 50 m beyond it; two points (one in
// feature 1, one in no feature that can be read); a line crossing feature 1 (100 m of it inside); and a project
// file per layer (bad.toml declaring corrupt_blob.gpkg as layer 'a', clean.toml the copy), whose rules hold.
struct Fixture {
    TempDir dir;
    std::string clean = dir / "clean.gpkg";
    std::string other = dir / "other.gpkg";
    std::string points = dir / "points.gpkg";
    std::string lines = dir / "lines.gpkg";
    std::string bad_project = dir / "bad.toml";
    std::string clean_project = dir / "clean.toml";

    Fixture() {
        copy_without_feature_2(clean);
        write_layer(other, "GPKG", "other", 4544, wkbPolygon, {"name"},
                    {{"POLYGON((500050 3400000,500150 3400000,500150 3400100,500050 3400100,500050 3400000))", {"o"}}});
        write_layer(points, "GPKG", "trees", 4544, wkbPoint, {"name"},
                    {{"POINT(500050 3400050)", {"p1"}}, {"POINT(500250 3400050)", {"p2"}}});
        write_layer(lines, "GPKG", "rivers", 4544, wkbLineString, {"name"},
                    {{"LINESTRING(499900 3400050,500400 3400050)", {"r"}}});
        write_project(bad_project, corrupt());
        write_project(clean_project, clean);
    }

    static void write_project(const std::string& path, const std::string& layer) {
        std::ofstream out(path);
        out << "[project]\nname = \"damaged\"\n"
            << "[layers.a]\npath = " << toml_string(layer) << "\nlayer = \"zones\"\nkey = \"name\"\nrole = \"districts\"\n"
            << R"([layers.b]
path = "other.gpkg"
role = "urban"
[layers.trees]
path = "points.gpkg"
role = "points"
[layers.rivers]
path = "lines.gpkg"
role = "rivers"
[[rules]]
rule = "valid"
layer = "a"
[[rules]]
rule = "no-self-overlap"
layer = "a"
[outputs]
unit = "m2"
method = "plan"
[[areas]]
name = "a_areas"
layer = "a"
by = "name"
[[tables]]
name = "a_by_b"
zones = "a"
zone_field = "name"
classes = "b"
class_field = "name"
[[tables]]
name = "b_by_a"
zones = "b"
zone_field = "name"
classes = "a"
class_field = "name"
[[counts]]
name = "trees_in_a"
points = "trees"
zones = "a"
zone_field = "name"
[[lengths]]
name = "rivers_in_a"
lines = "rivers"
zones = "a"
zone_field = "name"
[[overlays]]
name = "a_and_b"
op = "intersection"
a = "a"
b = "b"
[[overlays]]
name = "b_and_a"
op = "intersection"
a = "b"
b = "a"
)";
        REQUIRE(out.good());
    }
};

// One way of running a command: its arguments for an input (the layer, or a project file declaring it) and an
// output directory; the files it writes there; whether its standard output is a result.
struct Form {
    std::string name;
    bool project;  // the input is a project file
    std::function<std::vector<std::string>(const std::string& in, const Fixture& fx, const std::string& out)> args;
    std::vector<std::string> outputs;
    bool compare_stdout = false;
    bool warns = true;  // says on stderr that the feature was left out
    // Checks of the --skip-damaged run's outputs against values worked out by hand.
    std::function<void(const std::string& out, const RunResult& r)> expect = {};
};

std::int64_t feature_count(const std::string& path) { return open_read(path)->GetLayer(0)->GetFeatureCount(); }

// The number of features `zonekit render` says it drew.
int drawn(const std::string& err) {
    std::smatch m;
    REQUIRE(std::regex_search(err, m, std::regex(R"(, (\d+) features, map CRS)")));
    return std::stoi(m[1]);
}

const std::vector<Form>& forms() {
    using Args = std::vector<std::string>;
    static const std::vector<Form> all = {
        {"area (table)", false, [](auto& in, auto&, auto& out) { return Args{"area", in, "--unit", "m2", "-o", out + "/a.csv"}; },
         {"a.csv"}, false, true,
         [](const std::string& out, const RunResult&) {
             CHECK_THAT(read_file(out + "/a.csv"), Contains("\n(total),1,10000.00,"));
         }},
        {"area (layer)", false,
         [](auto& in, auto&, auto& out) { return Args{"area", in, "--by", "name", "-o", out + "/a.gpkg"}; }, {"a.gpkg"},
         false, true,
         [](const std::string& out, const RunResult&) {
             CHECK(feature_count(out + "/a.gpkg") == 1);
             CHECK(sum_field(out + "/a.gpkg", "zones", "plan_m2") == Approx(10000).epsilon(1e-9));
         }},
        {"overlay (A)", false,
         [](auto& in, auto& fx, auto& out) { return Args{"overlay", "intersection", in, fx.other, "-o", out + "/o.gpkg"}; },
         {"o.gpkg"}, false, true,
         [](const std::string& out, const RunResult&) {
             CHECK(sum_field(out + "/o.gpkg", "intersection", "plan_m2") == Approx(5000).epsilon(1e-9));
         }},
        {"overlay (B)", false,
         [](auto& in, auto& fx, auto& out) {
             return Args{"overlay", "union", fx.other, in, "-o", out + "/o.gpkg", "--threads", "2"};
         },
         {"o.gpkg"}, false, true,
         [](const std::string& out, const RunResult&) {
             // The union of the two squares: 15,000 m² in three pieces (feature 2 takes no part).
             CHECK(feature_count(out + "/o.gpkg") == 3);
             CHECK(sum_field(out + "/o.gpkg", "union", "plan_m2") == Approx(15000).epsilon(1e-9));
         }},
        {"tabulate (zones)", false,
         [](auto& in, auto& fx, auto& out) {
             return Args{"tabulate", in, fx.other, "--zone-field", "name", "--class-field", "name", "--unit", "m2",
                         "-o", out + "/t.csv"};
         },
         {"t.csv"}, false, true,
         [](const std::string& out, const RunResult&) {
             CHECK_THAT(read_file(out + "/t.csv"), Contains("\ngood,,o,5000.00,50.00,100.00\n"));
         }},
        {"tabulate (classes)", false,
         [](auto& in, auto& fx, auto& out) {
             return Args{"tabulate", fx.other, in, "--zone-field", "name", "--class-field", "name", "--unit", "m2",
                         "-o", out + "/t.csv"};
         },
         {"t.csv"}, false, true,
         [](const std::string& out, const RunResult&) {
             CHECK_THAT(read_file(out + "/t.csv"), Contains("\no,,good,5000.00,50.00,100.00\n"));
         }},
        {"dissolve", false,
         [](auto& in, auto&, auto& out) { return Args{"dissolve", in, "--by", "name", "-o", out + "/d.gpkg"}; },
         {"d.gpkg"}, false, true,
         [](const std::string& out, const RunResult&) { CHECK(feature_count(out + "/d.gpkg") == 1); }},
        {"buffer", false, [](auto& in, auto&, auto& out) { return Args{"buffer", in, "10", "-o", out + "/b.gpkg"}; },
         {"b.gpkg"}, false, true,
         [](const std::string& out, const RunResult&) { CHECK(feature_count(out + "/b.gpkg") == 1); }},
        {"count (zones)", false,
         [](auto& in, auto& fx, auto& out) {
             return Args{"count", fx.points, in, "--zone-field", "name", "-o", out + "/c.csv"};
         },
         {"c.csv"}, false, true,
         [](const std::string& out, const RunResult&) {
             CHECK_THAT(read_file(out + "/c.csv"), Contains("\ngood,1\n") && Contains("\n(none),1\n"));
         }},
        {"length (zones)", false,
         [](auto& in, auto& fx, auto& out) {
             return Args{"length", fx.lines, in, "--zone-field", "name", "-o", out + "/l.csv"};
         },
         {"l.csv"}, false, true,
         [](const std::string& out, const RunResult&) {
             CHECK_THAT(read_file(out + "/l.csv"), Contains("\ngood,100.000,") && Contains("\n(none),400.000,"));
         }},
        {"check valid", false,
         [](auto& in, auto&, auto& out) {
             return Args{"check", "valid", in, "-o", out + "/f.gpkg", "--report", out + "/r.md"};
         },
         {"f.gpkg"}, true},
        {"check no-self-overlap", false, [](auto& in, auto&, auto&) { return Args{"check", "no-self-overlap", in}; },
         {}, true},
        {"check covers (as the boundary)", false,
         [](auto& in, auto&, auto&) { return Args{"check", "covers", in, in}; }, {}, true},
        {"export", false, [](auto& in, auto&, auto& out) { return Args{"export", in, "-o", out + "/e.gpkg"}; },
         {"e.gpkg"}, false, true,
         [](const std::string& out, const RunResult&) { CHECK(feature_count(out + "/e.gpkg") == 1); }},
        {"export --areas", false,
         [](auto& in, auto&, auto& out) { return Args{"export", in, "-o", out + "/e.geojson", "--areas"}; },
         {"e.geojson"}, false, true,
         [](const std::string& out, const RunResult&) {
             const auto j = nlohmann::json::parse(read_file(out + "/e.geojson"));
             REQUIRE(j["features"].size() == 1);
             CHECK(j["features"][0]["properties"]["plan_m2"].get<double>() == Approx(10000).epsilon(1e-9));
         }},
        {"render", false,
         [](auto& in, auto&, auto& out) { return Args{"render", in, "-o", out + "/m.png", "--title", "t"}; },
         {"m.png"}, false, true, [](const std::string&, const RunResult& r) { CHECK(drawn(r.err) == 1); }},
        {"check (project)", true,
         [](auto& in, auto&, auto& out) { return Args{"check", in, "-o", out + "/f.gpkg"}; }, {"f.gpkg"}, true},
        {"resolve (project)", true,
         [](auto& in, auto&, auto& out) { return Args{"resolve", in, "--priority", "a,b", "-o", out + "/r.gpkg"}; },
         {"r.gpkg"}, true, true,
         [](const std::string& out, const RunResult&) {
             // b loses to a the half that feature 1 covers.
             CHECK(sum_field(out + "/r.gpkg", "resolve_pairs", "plan_m2") == Approx(5000).epsilon(1e-9));
         }},
        {"render (project)", true, [](auto& in, auto&, auto& out) { return Args{"render", in, "-o", out + "/m.png"}; },
         {"m.png"}, false, true,
         [](const std::string&, const RunResult& r) { CHECK(drawn(r.err) == 5); }},  // 1 + 1 + 2 points + 1 line
        {"run (project)", true, [](auto& in, auto&, auto& out) { return Args{"run", in, "-o", out + "/run"}; },
         {"run/analysis.gpkg", "run/a_areas.csv", "run/a_by_b.csv", "run/b_by_a.csv", "run/trees_in_a.csv",
          "run/rivers_in_a.csv", "run/map.svg", "run/map.png"},
         false, true,
         [](const std::string& out, const RunResult&) {
             CHECK_THAT(read_file(out + "/run/a_areas.csv"), Contains("\n(total),1,10000.00,"));
             CHECK_THAT(read_file(out + "/run/trees_in_a.csv"), Contains("\ngood,1\n"));
             CHECK(sum_field(out + "/run/analysis.gpkg", "a_and_b", "plan_m2") == Approx(5000).epsilon(1e-9));
         }},
    };
    return all;
}

// The same result, output by output: GeoPackages feature by feature (they embed timestamps), others byte by byte.
void check_same_outputs(const Form& form, const fs::path& skipped, const fs::path& clean) {
    for (const auto& name : form.outputs) {
        INFO("output " << name);
        REQUIRE(fs::exists(skipped / name));
        REQUIRE(fs::exists(clean / name));
        if (fs::path(name).extension() == ".gpkg") CHECK(dump_features(skipped / name) == dump_features(clean / name));
        else CHECK(read_file(skipped / name) == read_file(clean / name));
    }
}

}  // namespace

TEST_CASE("damaged geometry: every command stops at the feature, or leaves it out with --skip-damaged", "[cli][damaged]") {
    const auto corpus_before = snapshot_files(corpus_dir());
    const Fixture fx;
    for (const Form& form : forms()) {
        const std::string bad = form.project ? fx.bad_project : corrupt();
        const std::string clean = form.project ? fx.clean_project : fx.clean;
        INFO("zonekit " << form.name);

        // By default: exit 2 at feature 2, the way out named, nothing written.
        TempDir stopped;
        const RunResult r = run_zonekit(form.args(bad, fx, stopped.path().string()), fx.dir.path());
        {
            INFO("stderr:\n" << r.err);
            CHECK(r.exit_code == 2);
            CHECK_THAT(r.err, Contains(corrupt()) && Contains("feature 2") && Contains("Unable to read geometry") &&
                                  Contains("pass --skip-damaged to leave such features out (they are counted)"));
            CHECK(snapshot_files(stopped.path()).empty());
        }

        // --skip-damaged: feature 2 left out and said so; the results of the layer without it.
        TempDir skipped, reference;
        std::vector<std::string> args = form.args(bad, fx, skipped.path().string());
        args.push_back("--skip-damaged");
        const RunResult s = run_zonekit(args, fx.dir.path());
        const RunResult c = run_zonekit(form.args(clean, fx, reference.path().string()), fx.dir.path());
        INFO("stderr with --skip-damaged:\n" << s.err << "\nstderr of the copy without feature 2:\n" << c.err);
        CHECK(s.exit_code == 0);
        REQUIRE(c.exit_code == 0);
        if (form.warns) {
            CHECK_THAT(s.err, Contains("layer 'zones' in '" + corrupt() + "': 1 feature(s) with damaged geometry left out "
                                       "(--skip-damaged)") &&
                                  Contains("feature 2: damaged geometry, GDAL cannot read it (Unable to read geometry)"));
        }
        CHECK(c.err.find("damaged") == std::string::npos);
        check_same_outputs(form, skipped.path(), reference.path());
        if (form.compare_stdout) CHECK(s.out == c.out);
        if (form.expect) form.expect(skipped.path().string(), s);
    }
    CHECK(snapshot_files(corpus_dir()) == corpus_before);
}

TEST_CASE("damaged geometry: --skip-empty does not pass it, and info counts it apart from null", "[cli][damaged]") {
    const RunResult empty = run_zonekit({"area", corrupt(), "--skip-empty"});
    CHECK(empty.exit_code == 2);
    CHECK_THAT(empty.err, Contains("feature 2 has a damaged geometry") && Contains("--skip-damaged"));

    const RunResult both = run_zonekit({"area", corrupt(), "--skip-empty", "--skip-damaged", "--unit", "m2",
                                        "--format", "json"});
    REQUIRE(both.exit_code == 0);
    const auto j = nlohmann::json::parse(both.out);
    CHECK(j["total"]["count"].get<int>() == 1);
    CHECK(j["total"]["plan"].get<double>() == Approx(10000).epsilon(1e-9));

    // info describes the layer (exit 0) with or without the flag.
    const RunResult info = run_zonekit({"info", corrupt()});
    INFO(info.err);
    CHECK(info.exit_code == 0);
    CHECK_THAT(info.out, Contains("geometries 0 null, 0 empty, 0 invalid, 1 damaged") &&
                             Contains("feature 2: damaged geometry, GDAL cannot read it (Unable to read geometry)"));
    const RunResult json = run_zonekit({"info", corrupt(), "--json"});
    REQUIRE(json.exit_code == 0);
    const auto layer = nlohmann::json::parse(json.out)["layers"][0];
    CHECK(layer["null_geometries"].get<int>() == 0);
    CHECK(layer["damaged_geometries"].get<int>() == 1);
}

TEST_CASE("damaged geometry: render says what it left out", "[cli][damaged]") {
    TempDir out;
    const RunResult r = run_zonekit({"render", corrupt(), "-o", out / "m.png", "--skip-damaged"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("1 feature(s) with damaged geometry left out"));
}
