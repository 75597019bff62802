#include "harness.hpp"

#include <cpl_string.h>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace zk::test {

namespace {
std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}
}  // namespace

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string source_dir() { return ZK_SOURCE_DIR; }

RunResult run_zonekit(const std::vector<std::string>& args, const fs::path& cwd) {
    TempDir io;
    std::string cmd;
    if (!cwd.empty()) cmd += "cd " + shell_quote(cwd.string()) + " && ";
    cmd += shell_quote(ZK_BINARY);
    for (const auto& a : args) cmd += " " + shell_quote(a);
    cmd += " >" + shell_quote(io / "out") + " 2>" + shell_quote(io / "err") + " </dev/null";
    const int status = std::system(cmd.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(io / "out");
    r.err = read_file(io / "err");
    return r;
}

TempDir::TempDir() {
    std::random_device rd;
    m_path = fs::temp_directory_path() / fmt::format("zonekit-test-{:08x}{:08x}", rd(), rd());
    fs::create_directories(m_path);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

void write_layer(const std::string& path, const std::string& driver_name, const std::string& layer_name, int epsg,
                 OGRwkbGeometryType type, const std::vector<std::string>& fields,
                 const std::vector<FixtureFeature>& features, const std::vector<std::string>& options) {
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
    if (!driver) throw std::runtime_error("no driver " + driver_name);
    GDALDatasetUniquePtr ds;
    if (fs::exists(path) && driver_name == "GPKG")
        ds.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    else
        ds.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw std::runtime_error("cannot create " + path);
    OGRSpatialReference srs;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (epsg) srs.importFromEPSG(epsg);
    CPLStringList opts;
    for (const auto& o : options) opts.AddString(o.c_str());
    OGRLayer* layer = ds->CreateLayer(layer_name.c_str(), epsg ? &srs : nullptr, type, opts.List());
    if (!layer) throw std::runtime_error("cannot create layer " + layer_name);
    for (const auto& f : fields) {
        OGRFieldDefn fd(f.c_str(), OFTString);
        layer->CreateField(&fd);
    }
    for (const auto& f : features) {
        OGRFeature feature(layer->GetLayerDefn());
        for (std::size_t i = 0; i < f.values.size(); ++i) feature.SetField(static_cast<int>(i), f.values[i].c_str());
        if (!f.wkt.empty()) {
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkt(f.wkt.c_str(), nullptr, &g) != OGRERR_NONE)
                throw std::runtime_error("bad WKT " + f.wkt);
            feature.SetGeometryDirectly(g);
        }
        if (layer->CreateFeature(&feature) != OGRERR_NONE) throw std::runtime_error("cannot write feature");
    }
}

}  // namespace zk::test
