// A real `zonekit overlay` killed with SIGKILL while it writes over an existing output (--overwrite): the
// output stays exactly as it was, nothing partial appears under the target's name, and the next run works.
// The temporary directory beside the target (".NAME.EXT.zk-tmp-PID-XXXXXXXX/") and the lock file
// (".NAME.EXT.zk-lock") may be left behind: a kill gives no chance to remove them. Neither has the target's
// name; the next zonekit writing there removes the temporary (its process is gone) and takes over the lock.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include <sys/wait.h>

using namespace zk::test;
namespace fs = std::filesystem;

namespace {

// n × n squares of 10 m (write_grid, in one transaction): the layer A that takes long enough to write. Zones of
// 95 m over it: most squares lie inside one zone, the others are cut.
void write_zones(const std::string& path, int n) { write_grid_zones(path, n); }

// The temporary outputs beside `target`: ".NAME.EXT.zk-tmp-*" (directories).
std::vector<fs::path> temporaries(const fs::path& target) {
    const std::string prefix = "." + target.filename().string() + ".zk-tmp-";
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(target.parent_path()))
        if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::uintmax_t size_of(const fs::path& p) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
        std::uintmax_t total = 0;
        for (const auto& e : fs::recursive_directory_iterator(p, ec))
            if (e.is_regular_file(ec)) total += e.file_size(ec);
        return total;
    }
    const auto s = fs::file_size(p, ec);
    return ec ? 0 : s;
}

// The files that make up the output `target` (for a Shapefile, its sidecars).
std::vector<fs::path> output_files(const fs::path& target) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(target.parent_path()))
        if (e.path().stem() == target.stem() && e.path().filename().string()[0] != '.') out.push_back(e.path());
    return out;
}

}  // namespace

TEST_CASE("a run killed with SIGKILL while writing leaves the existing output as it was", "[cli][kill]") {
    const std::string ext = GENERATE(as<std::string>{}, ".gpkg", ".geojson", ".shp");
    TempDir dir;
    const fs::path target = dir.path() / ("out" + ext);
    // The existing output: a complete, earlier overlay of a small grid.
    write_grid(dir / "small.gpkg", 5);
    write_zones(dir / "small_zones.gpkg", 5);
    RunResult r = run_zonekit({"overlay", "intersection", dir / "small.gpkg", dir / "small_zones.gpkg", "-o",
                               target.string(), "--threads", "1"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::map<std::string, std::string> before;
    for (const auto& f : output_files(target)) before[f.filename().string()] = read_file(f.string());
    REQUIRE(!before.empty());

    // Overwrite it with the overlay of a big grid, and kill that run once its temporary output exists and is
    // growing. On a fast machine the run may finish first: then the grid grows and the run is tried again.
    bool killed = false;
    int n = 150;  // 22,500 squares
    for (int attempt = 0; attempt < 4 && !killed; ++attempt, n *= 2) {
        INFO("grid " << n << " x " << n);
        write_grid(dir / "grid.gpkg", n);
        write_zones(dir / "zones.gpkg", n);
        const pid_t pid = spawn_zonekit({"overlay", "intersection", dir / "grid.gpkg", dir / "zones.gpkg", "-o",
                                         target.string(), "--overwrite", "--threads", "1"},
                                        dir.path(), dir / "run.out", dir / "run.err");
        std::uintmax_t first_size = 0;
        bool seen = false;
        const auto start = std::chrono::steady_clock::now();
        auto seen_at = start;
        while (true) {
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                // Finished before it could be killed: it must have succeeded; put the old output back and retry.
                INFO(read_file(dir / "run.err"));
                REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
                for (const auto& f : output_files(target)) fs::remove(f);
                for (const auto& [name, bytes] : before) {
                    std::ofstream out(dir.path() / name, std::ios::binary);
                    out << bytes;
                }
                break;
            }
            const auto now = std::chrono::steady_clock::now();
            const auto temps = temporaries(target);
            if (!temps.empty()) {
                const std::uintmax_t size = size_of(temps.front());
                if (!seen) {
                    seen = true;
                    seen_at = now;
                    first_size = size;
                }
                // Growing (features written since it was first seen, past its first 256 KB), or present for a
                // while (a slow, loaded machine).
                if ((size > first_size && size >= 256 * 1024) || now - seen_at > std::chrono::seconds(5)) {
                    ::kill(pid, SIGKILL);
                    CHECK(wait_zonekit(pid) == 128 + SIGKILL);
                    killed = true;
                    break;
                }
            }
            if (now - start > std::chrono::minutes(10)) {
                ::kill(pid, SIGKILL);
                wait_zonekit(pid);
                FAIL("the run neither finished nor wrote a temporary output in 10 minutes");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    REQUIRE(killed);

    // The existing output is exactly as it was: the same files, the same bytes, nothing partial beside them.
    std::map<std::string, std::string> after;
    for (const auto& f : output_files(target)) after[f.filename().string()] = read_file(f.string());
    CHECK(after == before);
    for (const auto& e : fs::directory_iterator(dir.path())) {
        const std::string name = e.path().filename().string();
        const bool known = name.rfind("." + target.filename().string() + ".zk-", 0) == 0 ||
                           before.count(name) || name.rfind("small", 0) == 0 || name.rfind("grid.", 0) == 0 ||
                           name.rfind("zones.", 0) == 0 || name.rfind("run.", 0) == 0;
        INFO(name);
        CHECK(known);
    }
    GDALDatasetUniquePtr ds(GDALDataset::Open(target.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    CHECK(ds->GetLayer(0)->GetFeatureCount() == 25);
    ds.reset();

    // What the killed run left is only its temporary and its lock file; the next run replaces the output,
    // removes the temporary (its process is gone) and takes over the lock.
    r = run_zonekit({"overlay", "intersection", dir / "small.gpkg", dir / "small_zones.gpkg", "-o", target.string(),
                     "--overwrite", "--threads", "1"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(temporaries(target).empty());
    CHECK(!fs::exists(dir.path() / ("." + target.filename().string() + ".zk-lock")));
}
