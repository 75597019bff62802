// Running the zonekit binary from a test and writing fixture layers with GDAL.
#pragma once

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <string>
#include <vector>

namespace zk::test {

struct RunResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

// Runs `zonekit ARGS…` (arguments are shell-quoted) in `cwd` and captures its output.
RunResult run_zonekit(const std::vector<std::string>& args, const std::filesystem::path& cwd = {});

// A fresh, empty directory under the system temp directory, removed at destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return m_path; }
    std::string operator/(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

struct FixtureFeature {
    std::string wkt;                           // "" for a null geometry
    std::vector<std::string> values;           // one per field, as text
};

// Writes one layer with GDAL: `driver` e.g. "GPKG", "GeoJSON", "ESRI Shapefile"; string fields;
// `epsg` 0 for no CRS. `options` are layer creation options ("ENCODING=CP936").
void write_layer(const std::string& path, const std::string& driver, const std::string& layer, int epsg,
                 OGRwkbGeometryType type, const std::vector<std::string>& fields,
                 const std::vector<FixtureFeature>& features, const std::vector<std::string>& options = {});

std::string read_file(const std::string& path);
std::string source_dir();

}  // namespace zk::test

// ---- Added for the hardening tests (kill, determinism, bad input) ------------------------------------------

#include <sys/types.h>

#include <map>

namespace zk::test {

// Starts `zonekit ARGS…` in `cwd` without waiting (stdin /dev/null, stdout and stderr to the files given) and
// returns its process id; wait for it with wait_zonekit.
pid_t spawn_zonekit(const std::vector<std::string>& args, const std::filesystem::path& cwd, const std::string& out_path,
                    const std::string& err_path);
// Waits for a spawned run: its exit code, or 128 + the signal that ended it.
int wait_zonekit(pid_t pid);

// Every regular file under `dir` (recursively), by path relative to `dir`, with its bytes.
std::map<std::string, std::string> snapshot_files(const std::filesystem::path& dir);

// Every feature of every layer of a vector file as text, in order: the layer name, then per feature its fields
// (reals in shortest round-trip form, so any difference in a bit shows) and its geometry as hex ISO WKB.
// For comparing outputs feature by feature (GeoPackages embed timestamps, so their bytes differ; the
// update_time of QGIS's layer_styles table is left out for the same reason).
std::vector<std::string> dump_features(const std::string& path);

}  // namespace zk::test

// ---- Added for the realistic-data tests: findings and check reports read back ------------------------------

#include <nlohmann/json.hpp>

namespace zk::test {

// One feature's fields: as text ("NULL" when unset) and as numbers.
struct FeatureFields {
    std::map<std::string, std::string> text;
    std::map<std::string, double> real;
};

// Every layer of a vector file (e.g. check's findings GeoPackage), by name: its features' fields, in order.
std::map<std::string, std::vector<FeatureFields>> read_all(const std::string& path);

// The entry of a JSON check report (`zonekit check --report FILE.json`) for one rule and its layers, or nullptr.
const nlohmann::json* rule_entry(const nlohmann::json& doc, const std::string& rule, const std::vector<std::string>& layers);

}  // namespace zk::test

// ---- Pictures -------------------------------------------------------------------------------------------------

#include <cairo.h>

#include <memory>

namespace zk::test {

// A PNG written by zonekit, read back with Cairo (ARGB32).
struct Png {
    struct Deleter {
        void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
    };
    std::unique_ptr<cairo_surface_t, Deleter> surface;
    int width = 0, height = 0;
    explicit Png(const std::string& path);
    // Pixels within `tolerance` of (r, g, b).
    int count(int r, int g, int b, int tolerance = 3) const;
};

}  // namespace zk::test
