// Outputs under faults, signals and concurrent runs (#12): a full or read-only disk, SIGINT/SIGTERM, a second
// zonekit writing the same place, temporaries left by a killed process. Every case runs the real binary on real
// files; the full disk is zonekit's own fault hook (ZONEKIT_FAULT_WRITE, output_files.hpp) everywhere, and a
// real tmpfs where the test may mount one (root with CAP_SYS_ADMIN).
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <map>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

const double X0 = 500000, Y0 = 3400000;  // EPSG:4544

// n × n squares of 10 m (write_grid), and zones of 95 m over them (most squares inside one zone, some cut).
void write_zones(const std::string& path, int n) { write_grid_zones(path, n); }

// zonekit's temporaries, staging directories and lock files in `dir` (".x.zk-tmp-…", ".zonekit-staging-…",
// ".x.zk-lock", ".zonekit.lock").
std::vector<std::string> in_flight(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name.find(".zk-") != std::string::npos || name.rfind(".zonekit", 0) == 0) out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// A process id that runs no process now.
pid_t dead_pid() {
    for (pid_t pid = 4000000;; --pid)
        if (::kill(pid, 0) != 0 && errno == ESRCH) return pid;
}

// Runs `zonekit ARGS…` in the background and waits until `ready()` holds (e.g. its temporary exists); false when
// the run ended first (its exit code in `ended`).
bool start_and_wait(const std::vector<std::string>& args, const TempDir& dir, pid_t& pid, int& ended,
                    const std::function<bool()>& ready) {
    pid = spawn_zonekit(args, dir.path(), dir / "bg.out", dir / "bg.err");
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::minutes(5)) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            ended = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return false;
        }
        if (ready()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::kill(pid, SIGKILL);
    wait_zonekit(pid);
    FAIL("the background run neither ended nor got ready in 5 minutes");
    return false;
}

bool has_temporary(const fs::path& dir, const std::string& prefix) {
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind(prefix, 0) == 0) return true;
    return false;
}

const char* const project_toml = R"([layers.grid]
path = "grid.gpkg"
[layers.zones]
path = "zones.gpkg"
[[rules]]
rule = "no-self-overlap"
layer = "zones"
[[areas]]
name = "grid_areas"
layer = "grid"
[[areas]]
name = "zone_areas"
layer = "zones"
[outputs]
dir = "out"
)";

// The grid, its zones and the project over them, in `dir`.
void write_project(const TempDir& dir, int n) {
    write_grid(dir / "grid.gpkg", n);
    write_zones(dir / "zones.gpkg", n);
    write_text(dir / "project.toml", project_toml);
}

// A project over an n × n grid, run once into out/: the outputs a later run must leave or replace whole.
std::map<std::string, std::string> first_run(const TempDir& dir, int n) {
    write_project(dir, n);
    const RunResult r = run_zonekit({"run", "project.toml"}, dir.path());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return snapshot_files(dir.path() / "out");
}

}  // namespace

TEST_CASE("a full disk: every output fails with the reason, nothing partial takes its name, an old one stays",
          "[cli][faults][bad-input]") {
    TempDir dir;
    write_project(dir, 20);
    const std::string g = dir / "grid.gpkg", z = dir / "zones.gpkg";
    write_layer(dir / "trees.gpkg", "GPKG", "trees", 4544, wkbPoint, {"id"},
                {{fmt::format("POINT({} {})", X0 + 5, Y0 + 5), {"1"}}, {fmt::format("POINT({} {})", X0 + 105, Y0 + 5), {"2"}}});
    struct Case {
        std::vector<std::string> args;  // with -o OUTPUT (or --report OUTPUT)
    };
    const std::vector<Case> cases = {
        {{"area", g, "-o", "t.geojson"}},
        {{"area", g, "-o", "t.shp"}},
        {{"area", g, "-o", "t.fgb"}},
        {{"area", g, "--by", "name", "-o", "t.csv"}},
        {{"overlay", "intersection", g, z, "-o", "t.geojson"}},
        {{"dissolve", g, "--by", "name", "-o", "t.geojson"}},
        {{"buffer", g, "5", "-o", "t.geojson"}},
        {{"export", g, "-o", "t.geojson"}},
        {{"export", g, "-o", "t.shp", "--out-encoding", "GBK"}},
        {{"tabulate", z, g, "--zone-field", "zone", "--class-field", "name", "-o", "t.csv"}},
        {{"count", dir / "trees.gpkg", z, "--zone-field", "zone", "-o", "t.csv"}},
        {{"render", g, "-o", "t.png"}},
        {{"render", g, "-o", "t.svg"}},
        {{"check", "project.toml", "--report", "t.json"}},
    };
    for (const auto& c : cases) {
        auto at = std::find(c.args.begin(), c.args.end(), "-o");
        if (at == c.args.end()) at = std::find(c.args.begin(), c.args.end(), "--report");
        REQUIRE(at + 1 < c.args.end());
        const std::string target = *(at + 1);
        INFO(fmt::format("zonekit {}", fmt::join(c.args, " ")));
        for (const auto& f : fs::directory_iterator(dir.path()))
            if (f.path().stem() == "t") fs::remove(f.path());
        // Nothing there: the failed write leaves nothing under the target's name, and no temporary.
        {
            ScopedEnv fault("ZONEKIT_FAULT_WRITE", "ENOSPC@10");
            const RunResult r = run_zonekit(c.args, dir.path());
            INFO(r.err);
            CHECK(r.exit_code == 2);
            CHECK_THAT(r.err, Contains("'" + target + "'") &&
                                  Contains("No space left on device (ENOSPC)") && Contains("Free some space"));
            CHECK_THAT(r.err, !Contains("ERROR 1") && !Contains("wrote "));
            CHECK(!fs::exists(dir.path() / target));
            CHECK(in_flight(dir.path()).empty());
        }
        // A good output, then the same run over it on a full disk: the good one stays, byte for byte.
        RunResult r = run_zonekit(c.args, dir.path());
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const auto before = snapshot_files(dir.path());
        std::vector<std::string> again = c.args;
        again.push_back("--overwrite");
        for (const char* fault_text : {"ENOSPC@0", "EIO@30"}) {
            ScopedEnv fault("ZONEKIT_FAULT_WRITE", fault_text);
            r = run_zonekit(again, dir.path());
            INFO(fault_text << "\n" << r.err);
            CHECK(r.exit_code == 2);
            CHECK_THAT(r.err, Contains(std::string(fault_text).rfind("EIO", 0) == 0 ? "(EIO)" : "(ENOSPC)"));
            CHECK(snapshot_files(dir.path()) == before);
            CHECK(in_flight(dir.path()).empty());
        }
    }
}

TEST_CASE("a run that fails before its end leaves every old output as it was", "[cli][faults]") {
    TempDir dir;
    const auto before = first_run(dir, 12);
    REQUIRE(before.count("analysis.gpkg"));
    REQUIRE(before.count("zone_areas.csv"));
    // A bigger grid, so that the new outputs differ; the disk fills at the first table (after analysis.gpkg,
    // which SQLite writes) or a little later.
    write_grid(dir / "grid.gpkg", 14);
    RunResult r;
    for (const char* fault_text : {"ENOSPC@0", "ENOSPC@2000", "ENOSPC@20000"}) {
        ScopedEnv fault("ZONEKIT_FAULT_WRITE", fault_text);
        r = run_zonekit({"run", "project.toml", "--overwrite"}, dir.path());
        INFO(fault_text << "\n" << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("(ENOSPC)"));
        CHECK(snapshot_files(dir.path() / "out") == before);
        CHECK(in_flight(dir.path() / "out").empty());
    }
    r = run_zonekit({"run", "project.toml", "--overwrite"}, dir.path());
    CHECK(r.exit_code == 0);
    CHECK(snapshot_files(dir.path() / "out") != before);
    CHECK(in_flight(dir.path() / "out").empty());
}

TEST_CASE("a real full and read-only file system (tmpfs), where the test may mount one", "[cli][faults]") {
    TempDir dir;
    const fs::path mnt = dir.path() / "mnt";
    fs::create_directory(mnt);
    if (::geteuid() != 0 || ::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=96k") != 0) {
        WARN("cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN): the fault-hook tests stand in for it");
        return;
    }
    struct Unmount {
        fs::path p;
        ~Unmount() { ::umount2(p.c_str(), MNT_DETACH); }
    } unmount{mnt};
    write_grid(dir / "grid.gpkg", 40);  // 1,600 squares: several hundred KB as GeoJSON or GeoPackage
    write_zones(dir / "zones.gpkg", 40);
    for (const char* name : {"x.geojson", "x.gpkg", "x.shp", "x.fgb"}) {
        INFO(name);
        const std::string target = (mnt / name).string();
        const RunResult r = run_zonekit({"overlay", "intersection", dir / "grid.gpkg", dir / "zones.gpkg", "-o", target});
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains(target));
        CHECK_THAT(r.err, Contains("(ENOSPC)") || Contains("database or disk is full"));
        CHECK_THAT(r.err, !Contains("ERROR 1"));
        CHECK(fs::is_empty(mnt));
    }
    // Read-only: refused at once, with the reason.
    REQUIRE(::mount("tmpfs", mnt.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=96k") == 0);
    const RunResult r = run_zonekit({"area", dir / "zones.gpkg", "-o", (mnt / "a.geojson").string()});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("Read-only file system (EROFS)"));
}

TEST_CASE("a second zonekit writing the same place fails clearly; the first one's output stands",
          "[cli][faults][concurrent]") {
    TempDir dir;
    write_project(dir, 10);

    SECTION("a held lock: overlay into the same file, run into the same directory") {
        // The lock protocol of output_files.hpp, held by this test as another zonekit would hold it.
        auto hold = [](const fs::path& lock_file) {
            const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT, 0666);
            REQUIRE(fd >= 0);
            REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
            REQUIRE(::write(fd, "4242", 4) == 4);
            return fd;
        };
        int fd = hold(dir.path() / ".same.gpkg.zk-lock");
        RunResult r = run_zonekit({"overlay", "intersection", "grid.gpkg", "zones.gpkg", "-o", "same.gpkg"}, dir.path());
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("'same.gpkg' is being written by zonekit process 4242") && Contains("-o"));
        CHECK(!fs::exists(dir.path() / "same.gpkg"));
        ::close(fd);  // released (as a killed process's lock is): the next run takes it over
        r = run_zonekit({"overlay", "intersection", "grid.gpkg", "zones.gpkg", "-o", "same.gpkg"}, dir.path());
        CHECK(r.exit_code == 0);
        CHECK(in_flight(dir.path()).empty());

        fs::create_directory(dir.path() / "out");
        fd = hold(dir.path() / "out" / ".zonekit.lock");
        r = run_zonekit({"run", "project.toml"}, dir.path());
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("is being written by zonekit process 4242"));
        CHECK(fs::is_empty(dir.path() / "out") == false);  // only the lock file
        CHECK(in_flight(dir.path() / "out") == std::vector<std::string>{".zonekit.lock"});
        ::close(fd);
    }

    SECTION("two overlays into one new file: the one that finishes second does not replace the first") {
        // The second process is this test making the file while zonekit writes its temporary: zonekit must not
        // put its output over it without --overwrite.
        int n = 120;
        for (int attempt = 0; attempt < 4; ++attempt, n *= 2) {
            write_grid(dir / "big.gpkg", n);
            write_zones(dir / "bigzones.gpkg", n);
            fs::remove(dir.path() / "same.gpkg");
            pid_t pid = 0;
            int ended = -1;
            const bool running = start_and_wait({"overlay", "intersection", "big.gpkg", "bigzones.gpkg", "-o", "same.gpkg",
                                                 "--threads", "1"},
                                                dir, pid, ended, [&] { return has_temporary(dir.path(), ".same.gpkg.zk-tmp-"); });
            if (!running) continue;  // finished first on a fast machine: a bigger grid
            write_text(dir / "same.gpkg", "the other run's output");
            CHECK(wait_zonekit(pid) == 2);
            const std::string err = read_file(dir / "bg.err");
            INFO(err);
            CHECK_THAT(err, Contains("was made by another process while zonekit was writing it"));
            CHECK(read_file(dir / "same.gpkg") == "the other run's output");
            CHECK(in_flight(dir.path()).empty());
            return;
        }
        FAIL("the overlay always finished before its temporary was seen");
    }
}

TEST_CASE("SIGINT and SIGTERM: workers stop, temporaries go, exit 130 and 143", "[cli][faults][signals]") {
    const int sig = GENERATE(SIGINT, SIGTERM);
    TempDir dir;
    int n = 150;
    for (int attempt = 0; attempt < 4; ++attempt, n *= 2) {
        write_grid(dir / "grid.gpkg", n);
        write_zones(dir / "zones.gpkg", n);
        pid_t pid = 0;
        int ended = -1;
        if (!start_and_wait({"overlay", "intersection", "grid.gpkg", "zones.gpkg", "-o", "out.gpkg", "--threads", "2"}, dir,
                            pid, ended, [&] { return has_temporary(dir.path(), ".out.gpkg.zk-tmp-"); })) {
            fs::remove(dir.path() / "out.gpkg");
            continue;
        }
        ::kill(pid, sig);
        CHECK(wait_zonekit(pid) == 128 + sig);
        const std::string err = read_file(dir / "bg.err");
        INFO(err);
        CHECK_THAT(err, Contains(sig == SIGINT ? "interrupted (SIGINT)" : "interrupted (SIGTERM)"));
        CHECK(!fs::exists(dir.path() / "out.gpkg"));
        CHECK(in_flight(dir.path()).empty());
        return;
    }
    FAIL("the overlay always finished before its temporary was seen");
}

TEST_CASE("an interrupted run leaves the old outputs, not a mix", "[cli][faults][signals]") {
    TempDir dir;
    const auto before = first_run(dir, 10);
    int n = 150;
    for (int attempt = 0; attempt < 4; ++attempt, n *= 2) {
        write_grid(dir / "grid.gpkg", n);
        write_zones(dir / "zones.gpkg", n);
        pid_t pid = 0;
        int ended = -1;
        // Interrupted once the staging directory holds a finished output (analysis.gpkg or a table).
        auto staged_output = [&] {
            for (const auto& e : fs::directory_iterator(dir.path() / "out"))
                if (e.path().filename().string().rfind(".zonekit-staging-", 0) == 0)
                    for (const auto& f : fs::directory_iterator(e.path()))
                        if (f.path().filename().string()[0] != '.') return true;
            return false;
        };
        if (!start_and_wait({"run", "project.toml", "--overwrite"}, dir, pid, ended, staged_output)) {
            REQUIRE(ended == 0);
            // Finished first: put the old outputs back and try a bigger grid.
            for (const auto& [name, bytes] : before) write_text((dir.path() / "out" / name).string(), bytes);
            continue;
        }
        ::kill(pid, SIGINT);
        CHECK(wait_zonekit(pid) == 130);
        CHECK(snapshot_files(dir.path() / "out") == before);
        CHECK(in_flight(dir.path() / "out").empty());
        return;
    }
    FAIL("the run always finished before it could be interrupted");
}

TEST_CASE("temporaries of a killed zonekit are removed by the next one; a running one's are kept", "[cli][faults]") {
    TempDir dir;
    write_zones(dir / "zones.gpkg", 5);
    const pid_t dead = dead_pid();
    const fs::path stale_file = dir.path() / fmt::format(".t.geojson.zk-tmp-{}-0000abcd", dead);
    const fs::path stale_old = dir.path() / fmt::format(".t.zk-tmp-{}-0000abcd.geojson", dead);  // before #12
    const fs::path live = dir.path() / fmt::format(".u.geojson.zk-tmp-{}-0000abcd", ::getpid());
    fs::create_directory(stale_file);
    write_text((stale_file / "t.geojson").string(), "{\"type\": \"FeatureCollection\", \"feat");
    write_text(stale_old.string(), "partial");
    fs::create_directory(live);
    const RunResult r = run_zonekit({"area", "zones.gpkg", "-o", "t.geojson"}, dir.path());
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(!fs::exists(stale_file));
    CHECK(!fs::exists(stale_old));
    CHECK(fs::exists(live));

    fs::create_directory(dir.path() / "out");
    const fs::path stale_stage = dir.path() / "out" / fmt::format(".zonekit-staging-{}-0000abcd", dead);
    fs::create_directory(stale_stage);
    write_text(dir / "project.toml", R"([layers.zones]
path = "zones.gpkg"
[[rules]]
rule = "no-self-overlap"
layer = "zones"
[outputs]
dir = "out"
)");
    const RunResult run = run_zonekit({"run", "project.toml"}, dir.path());
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(!fs::exists(stale_stage));
}

TEST_CASE("a run with --overwrite leaves one run's outputs: those the new one no longer makes go", "[cli][faults]") {
    TempDir dir;
    const auto before = first_run(dir, 5);
    REQUIRE(before.count("zone_areas.csv"));
    write_text(dir / "out/notes.txt", "the planner's own notes");
    std::string project = project_toml;
    const auto at = project.find("[[areas]]\nname = \"zone_areas\"");
    REQUIRE(at != std::string::npos);
    project.erase(at, project.find("[outputs]") - at);
    write_text(dir / "project.toml", project);
    const RunResult r = run_zonekit({"run", "project.toml", "--overwrite"}, dir.path());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(!fs::exists(dir.path() / "out" / "zone_areas.csv"));
    CHECK(fs::exists(dir.path() / "out" / "grid_areas.csv"));
    CHECK(read_file(dir / "out/notes.txt") == "the planner's own notes");  // not zonekit's: kept
    CHECK(in_flight(dir.path() / "out").empty());
}
