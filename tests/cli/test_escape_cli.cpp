// Issue #12, "nothing lost, nothing escapes": outputs named as the file system compares names (letter case, a
// Shapefile's sidecars, symlinks, `..`, hard links) never write over an input; result and layer names in a
// project file cannot leave the output directory or take a GeoPackage system table's name; a text value too long
// for a Shapefile's DBF field is cut with a warning naming the feature, the field and its length.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <unistd.h>


using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {
const Wkt at{500000, 3400000};  // EPSG:4544
std::string rect(double x1, double y1, double x2, double y2) { return at.rect(x1, y1, x2, y2); }
}  // namespace

TEST_CASE("an output that is an input under another spelling is refused, and the input is untouched",
          "[cli][escape][output]") {
    TempDir dir;
    write_layer(dir / "p.shp", "ESRI Shapefile", "p", 4544, wkbPolygon, {"name"}, {{rect(0, 0, 100, 100), {"a"}}});
    fs::create_directory(dir.path() / "sub");
    const auto before = snapshot_files(dir.path());
    REQUIRE(before.count("p.dbf") == 1);
    REQUIRE(before.count("p.shx") == 1);
    REQUIRE(before.count("p.prj") == 1);

    auto unchanged = [&] {
        const auto after = snapshot_files(dir.path());
        CHECK(after.size() == before.size());
        for (const auto& [name, bytes] : before) {
            INFO("file " << name);
            REQUIRE(after.count(name) == 1);
            CHECK(after.at(name) == bytes);
        }
    };

    SECTION("p.Shp, differing from the input only in letter case") {
        for (const bool overwrite : {false, true}) {
            std::vector<std::string> args = {"area", "p.shp", "-o", "p.Shp"};
            if (overwrite) args.push_back("--overwrite");
            const RunResult r = run_zonekit(args, dir.path());
            INFO("--overwrite " << overwrite << ": " << r.err);
            CHECK(r.exit_code == 2);
            CHECK_THAT(r.err, Contains("p.Shp") && Contains("is also an input"));
            CHECK_THAT(r.err, Contains("p.shp"));
            unchanged();
        }
    }
    SECTION("P.DBF-style sidecars: an output whose .dbf is the input's") {
        const RunResult r = run_zonekit({"area", "p.shp", "-o", "P.SHP", "--overwrite"}, dir.path());
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("is also an input"));
        unchanged();
    }
    SECTION("a symlink to the input") {
        fs::create_symlink("p.shp", dir.path() / "link.shp");
        for (const bool overwrite : {false, true}) {
            std::vector<std::string> args = {"area", "p.shp", "-o", "link.shp"};
            if (overwrite) args.push_back("--overwrite");
            const RunResult r = run_zonekit(args, dir.path());
            INFO(r.err);
            CHECK(r.exit_code == 2);
            CHECK_THAT(r.err, Contains("link.shp") && Contains("is also an input"));
        }
        CHECK(fs::is_symlink(dir.path() / "link.shp"));
        fs::remove(dir.path() / "link.shp");
        unchanged();
    }
    SECTION("a hard link to the input's .shp") {
        fs::create_hard_link(dir.path() / "p.shp", dir.path() / "h.shp");
        const RunResult r = run_zonekit({"area", "p.shp", "-o", "h.shp", "--overwrite"}, dir.path());
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("h.shp") && Contains("is also an input"));
        fs::remove(dir.path() / "h.shp");
        unchanged();
    }
    SECTION("./sub/../p.shp and an absolute spelling") {
        for (const std::string& out : {std::string("./sub/../p.shp"), (dir.path() / "sub" / ".." / "P.shp").string()}) {
            const RunResult r = run_zonekit({"area", "p.shp", "-o", out, "--overwrite"}, dir.path());
            INFO(out << ": " << r.err);
            CHECK(r.exit_code == 2);
            CHECK_THAT(r.err, Contains(out) && Contains("is also an input"));
        }
        unchanged();
    }
    SECTION("an existing output differing in case, or only by a sidecar, needs --overwrite") {
        // (A GeoPackage input here: these runs read it.)
        write_layer(dir / "g.gpkg", "GPKG", "g", 4544, wkbPolygon, {"name"}, {{rect(0, 0, 10, 10), {"g"}}});
        write_layer(dir / "old.shp", "ESRI Shapefile", "old", 4544, wkbPolygon, {"name"}, {{rect(0, 0, 10, 10), {"o"}}});
        const RunResult r = run_zonekit({"area", "g.gpkg", "-o", "OLD.shp"}, dir.path());
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("OLD.shp") && Contains("old.") && Contains("--overwrite"));
        // Only a stray .dbf of the name: still "exists" (a new .shp would be read with it).
        write_text(dir / "lone.DBF", "x");
        const RunResult lone = run_zonekit({"area", "g.gpkg", "-o", "lone.shp"}, dir.path());
        CHECK(lone.exit_code == 2);
        CHECK_THAT(lone.err, Contains("lone.DBF"));
        CHECK_FALSE(fs::exists(dir.path() / "lone.shp"));
        // A name that is another file's in no case is written as before.
        const RunResult fine = run_zonekit({"area", "g.gpkg", "-o", "new.shp"}, dir.path());
        INFO(fine.err);
        CHECK(fine.exit_code == 0);
        CHECK(fs::exists(dir.path() / "new.shp"));
    }
}

namespace {
// A project with one layer and `extra` appended (result tables).
std::string project_with(const TempDir& dir, const std::string& extra) {
    if (!fs::exists(dir / "plan.gpkg"))
        write_layer(dir / "plan.gpkg", "GPKG", "parcels", 4544, wkbPolygon, {"dlmc"}, {{rect(0, 0, 100, 100), {"水田"}}});
    const std::string toml = dir / "project.toml";
    write_text(toml, R"([project]
name = "escape"
[layers.parcels]
path = "plan.gpkg"
layer = "parcels"
[[rules]]
rule = "valid"
layer = "parcels"
[outputs]
dir = "keep/out"
map = false
)" + extra);
    return toml;
}
}  // namespace

TEST_CASE("result names in a project file cannot leave the output directory or take a system table's name",
          "[cli][escape][project]") {
    TempDir dir;
    fs::create_directories(dir.path() / "keep");
    struct Case {
        std::string extra;
        int line;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"[[areas]]\nlayer = \"parcels\"\nname = \"keep/../../../X\"\n", 14, "path separator"},
        {"[[areas]]\nlayer = \"parcels\"\nname = \"..\"\n", 14, "'..'"},
        {"[[areas]]\nlayer = \"parcels\"\nname = \"a\\\\b\"\n", 14, "path separator"},
        {"[[areas]]\nlayer = \"parcels\"\nname = \"\"\n", 14, "empty"},
        {"[[areas]]\nlayer = \"parcels\"\nname = \"a\\tb\"\n", 14, "control character"},
        {"[[areas]]\nlayer = \"parcels\"\nname = \"layer_styles\"\n", 14, "layer_styles"},
        {"[[areas]]\nlayer = \"parcels\"\nname = \"GPKG_contents\"\n", 14, "gpkg_"},
        {"[[overlays]]\nop = \"intersection\"\na = \"parcels\"\nb = \"parcels\"\nname = \"rtree_x\"\n", 16, "rtree_"},
        {"[[areas]]\nlayer = \"parcels\"\nby = \"a/b\"\n", 12, "path separator"},  // the derived name
        {"[[areas]]\nlayer = \"parcels\"\nname = \"Foo\"\n[[areas]]\nlayer = \"parcels\"\nname = \"foo\"\n", 17,
         "letter case"},
        {"[[counts]]\npoints = \"parcels\"\nzones = \"parcels\"\nzone_field = \"dlmc\"\nname = \"PARCELS\"\n", 16,
         "letter case"},
    };
    SECTION("each bad name refused with its line, by run and check") for (const auto& c : cases) {
        const std::string toml = project_with(dir, c.extra);
        for (const char* verb : {"run", "check"}) {
            std::vector<std::string> args = {verb, toml};
            if (std::string(verb) == "run") args.push_back("--overwrite");
            const RunResult r = run_zonekit(args, dir.path());
            INFO(verb << " with\n" << c.extra << "\n" << r.err);
            CHECK(r.exit_code == 2);
            CHECK_THAT(r.err, Contains(fmt::format("line {}", c.line)) && Contains(c.says));
        }
        // Nothing was written, inside or outside the output directory.
        CHECK_FALSE(fs::exists(dir.path() / "keep" / "out"));
        CHECK_FALSE(fs::exists(dir.path() / "X.csv"));
        CHECK_FALSE(fs::exists(dir.path().parent_path() / "X.csv"));
    }

    SECTION("a layer key that is a system table's name, or another's in letter case") {
        write_text(dir / "layers.toml", R"([layers.sqlite_master]
path = "plan.gpkg"
layer = "parcels"
[[rules]]
rule = "valid"
layer = "sqlite_master"
)");
        const RunResult r = run_zonekit({"check", dir / "layers.toml"});
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("line 1") && Contains("sqlite_"));
        write_text(dir / "twice.toml", R"([layers.Parcels]
path = "plan.gpkg"
layer = "parcels"
[layers.parcels]
path = "plan.gpkg"
layer = "parcels"
[[rules]]
rule = "valid"
layer = "parcels"
)");
        const RunResult t = run_zonekit({"check", dir / "twice.toml"});
        CHECK(t.exit_code == 2);
        CHECK_THAT(t.err, Contains("line 4") && Contains("letter case"));
    }
    SECTION("good names still run") {
        const std::string toml = project_with(dir, "[[areas]]\nlayer = \"parcels\"\nname = \"地块_areas-1\"\n");
        const RunResult r = run_zonekit({"run", toml});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(fs::exists(dir.path() / "keep" / "out" / "地块_areas-1.csv"));
    }
}

TEST_CASE("a text value longer than a Shapefile field holds is cut with a warning naming it",
          "[cli][escape][shapefile]") {
    TempDir dir;
    const std::string long_ascii(300, 'x');
    std::string long_chinese;
    for (int i = 0; i < 90; ++i) long_chinese += "地";  // 270 bytes in UTF-8, 180 in GBK
    write_layer(dir / "plan.gpkg", "GPKG", "parcels", 4544, wkbPolygon, {"note", "dlmc"},
                {{rect(0, 0, 10, 10), {"short", "a"}},
                 {rect(20, 0, 30, 10), {long_ascii, "b"}},
                 {rect(40, 0, 50, 10), {long_chinese, "c"}}});

    const RunResult r = run_zonekit({"export", dir / "plan.gpkg", "-o", dir / "x.shp"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("feature 2") && Contains("'note'") && Contains("300 bytes"));
    CHECK_THAT(r.err, Contains("feature 3") && Contains("270 bytes"));
    CHECK_THAT(r.err, Contains("at most 254"));
    CHECK_THAT(r.err, !Contains("feature 1:"));
    CHECK_THAT(r.err, !Contains("ERROR") && !Contains("Warning 1"));

    // GBK: 90 Chinese characters are 180 bytes and fit; the ASCII one does not.
    const RunResult g = run_zonekit({"export", dir / "plan.gpkg", "-o", dir / "g.shp", "--out-encoding", "GBK"});
    INFO(g.err);
    REQUIRE(g.exit_code == 0);
    CHECK_THAT(g.err, Contains("feature 2") && Contains("300 bytes in GBK"));
    CHECK_THAT(g.err, !Contains("feature 3"));

    const RunResult a = run_zonekit({"area", dir / "plan.gpkg", "-o", dir / "a.shp"});
    INFO(a.err);
    REQUIRE(a.exit_code == 0);
    CHECK_THAT(a.err, Contains("feature 2") && Contains("'note'") && Contains("300 bytes"));

    // Nothing to say for a GeoPackage, which keeps the whole value.
    const RunResult k = run_zonekit({"export", dir / "plan.gpkg", "-o", dir / "k.gpkg"});
    CHECK(k.exit_code == 0);
    CHECK_THAT(k.err, !Contains("254"));
}

TEST_CASE("a number wider than its Shapefile field is said, with the feature", "[cli][escape][shapefile]") {
    TempDir dir;
    // A DBF real field is 24 characters wide (15 decimals); 1e300 written out needs over 300.
    const std::string geojson = R"({"type": "FeatureCollection",
"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4544"}},
"features": [
{"type": "Feature", "properties": {"v": 1.5}, "geometry": {"type": "Point", "coordinates": [500000, 3400000]}},
{"type": "Feature", "properties": {"v": 1e300}, "geometry": {"type": "Point", "coordinates": [500010, 3400000]}}
]})";
    write_text(dir / "wide.geojson", geojson);
    const RunResult r = run_zonekit({"export", dir / "wide.geojson", "-o", dir / "w.shp"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("feature 2 written") && Contains("field v"));
    CHECK_THAT(r.err, !Contains("feature 1 written"));
    CHECK_THAT(r.err, !Contains("Warning 1") && !Contains("ERROR"));
}
