// Issue #12 "Nothing lost, nothing escapes", in part: zonekit reads layers from files only (a FIFO, socket or
// device is refused at once, a file of /proc or /sys is no data file, remote and database sources need
// --allow-remote), and a path that is not UTF-8 comes out in JSON escaped rather than failing.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// Runs zonekit with a deadline: a run still going after `seconds` is killed and reported as -1.
RunResult run_with_deadline(const std::vector<std::string>& args, const TempDir& dir, int seconds = 30) {
    const std::string out = dir / "stdout.txt", err = dir / "stderr.txt";
    const pid_t pid = spawn_zonekit(args, dir.path(), out, err);
    RunResult r;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            r.exit_code = -1;  // hung
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    r.out = read_file(out);
    r.err = read_file(err);
    return r;
}

const char* square = "POLYGON((500000 3400000,500100 3400000,500100 3400100,500000 3400100,500000 3400000))";

}  // namespace

TEST_CASE("only files: a FIFO, a socket, a device are refused at once", "[cli][only-files]") {
    TempDir dir;
    const std::string fifo = dir / "layer.gpkg";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    for (const char* verb : {"info", "area"}) {
        const RunResult r = run_with_deadline({verb, fifo}, dir);
        INFO(verb << "\nstderr:\n" << r.err);
        REQUIRE(r.exit_code != -1);  // it did not hang waiting for a writer
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("'" + fifo + "' is a named pipe (FIFO), not a file"));
    }

    const std::string sock = dir / "layer.sock";
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(sock.size() < sizeof(addr.sun_path));
    std::copy(sock.begin(), sock.end(), addr.sun_path);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    RunResult r = run_with_deadline({"info", sock}, dir);
    ::close(fd);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("'" + sock + "' is a socket, not a file"));

    r = run_with_deadline({"area", "/dev/zero"}, dir);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("'/dev/zero' is a character device, not a file"));
}

TEST_CASE("only files: a file of /proc or /sys is not a data file", "[cli][only-files]") {
    TempDir dir;
    for (const char* path : {"/proc/self/environ", "/proc/self/status"}) {
        const RunResult r = run_with_deadline({"area", path}, dir);
        INFO(path << "\nstderr:\n" << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains(std::string("'") + path + "' is not a data file") && Contains("/proc or /sys"));
        CHECK_THAT(r.err, !Contains("0 bytes)"));
    }
}

TEST_CASE("only files: remote and database sources need --allow-remote", "[cli][only-files]") {
    TempDir dir;
    // Port 9 (discard) on the loopback: nothing listens, and nothing may be asked; the refusal comes first.
    for (const std::string path : {"/vsicurl/http://127.0.0.1:9/x.gpkg", "/vsis3/bucket/x.gpkg",
                                   "/vsizip//vsicurl/http://127.0.0.1:9/x.zip/x.shp", "http://127.0.0.1:9/x.geojson",
                                   "PG:dbname=x", "MySQL:x,user=u"}) {
        for (const char* verb : {"info", "area"}) {
            const RunResult r = run_with_deadline({verb, path}, dir);
            INFO(verb << " " << path << "\nstderr:\n" << r.err);
            CHECK(r.exit_code == 2);
            CHECK_THAT(r.err, Contains("'" + path + "' is a") && Contains("not a local file") &&
                                  Contains("Remote sources need --allow-remote"));
        }
    }
    // Local virtual files stay allowed: this one is missing, and said so by GDAL, not refused as remote.
    RunResult r = run_with_deadline({"info", "/vsizip/" + (dir / "none.zip") + "/x.shp"}, dir);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, !Contains("--allow-remote"));

    // A project file's layers too, in `check` and `run`.
    write_layer(dir / "plan.gpkg", "GPKG", "zones", 4544, wkbPolygon, {"name"}, {{square, {"a"}}});
    write_text(dir / "project.toml", R"([layers.a]
path = "plan.gpkg"
layer = "zones"
[layers.b]
path = "PG:dbname=x"
layer = "zones"
[[rules]]
rule = "no-overlap"
layers = ["a", "b"]
[outputs]
dir = "out"
)");
    for (const char* verb : {"check", "run"}) {
        r = run_with_deadline({verb, dir / "project.toml"}, dir);
        INFO(verb << "\nstderr:\n" << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Contains("PG:dbname=x") && Contains("Remote sources need --allow-remote"));
    }
    // --allow-remote lets it through to GDAL (which fails as it fails: no such database here).
    r = run_with_deadline({"check", dir / "project.toml", "--allow-remote"}, dir);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, !Contains("Remote sources need --allow-remote"));
}

TEST_CASE("paths that are not UTF-8 come out escaped in JSON and in messages", "[cli][only-files]") {
    TempDir dir;
    const fs::path gbk_dir = dir.path() / "\xb2\xe2\xca\xd4";  // 测试 in GBK
    fs::create_directory(gbk_dir);
    const std::string layer = (gbk_dir / "zones.geojson").string();
    write_layer(layer, "GeoJSON", "zones", 4544, wkbPolygon, {"name"}, {{square, {"a"}}});
    const std::string escaped = (dir.path() / "\\xb2\\xe2\\xca\\xd4" / "zones.geojson").string();

    RunResult r = run_with_deadline({"area", layer, "--unit", "m2", "--format", "json"}, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["source"].get<std::string>() == escaped);
    CHECK(j["total"]["plan"].get<double>() == Approx(10000).epsilon(1e-9));

    // Messages on stderr show such a path escaped too, as the text \xNN.
    r = run_with_deadline({"area", (gbk_dir / "missing.geojson").string()}, dir);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("\\xb2\\xe2\\xca\\xd4") && !Contains("\xb2\xe2\xca\xd4"));

    r = run_with_deadline({"info", layer, "--json"}, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    j = nlohmann::json::parse(r.out);
    CHECK(j["source"].get<std::string>() == escaped);
    CHECK(j["layers"][0]["feature_count"].get<int>() == 1);

    // `run` writes summary.json with the layer's source.
    write_text((gbk_dir / "project.toml").string(), R"([layers.zones]
path = "zones.geojson"
[[rules]]
rule = "no-self-overlap"
layer = "zones"
[outputs]
dir = "out"
[[areas]]
name = "zone_areas"
layer = "zones"
)");
    r = run_with_deadline({"run", (gbk_dir / "project.toml").string()}, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    j = nlohmann::json::parse(read_file((gbk_dir / "out" / "summary.json").string()));
    CHECK_THAT(j.dump(), Contains("\\\\xb2\\\\xe2\\\\xca\\\\xd4"));
}
