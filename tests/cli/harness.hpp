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
