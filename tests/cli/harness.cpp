#include "harness.hpp"

#include <catch2/catch.hpp>
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

// ---- Added for the hardening tests (kill, determinism, bad input) ------------------------------------------

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace zk::test {

pid_t spawn_zonekit(const std::vector<std::string>& args, const fs::path& cwd, const std::string& out_path,
                    const std::string& err_path) {
    // posix_spawn has no portable "change directory" action in glibc 2.36's API; use a shell for the cd and
    // exec zonekit from it (exec keeps the pid, so the pid returned is zonekit's).
    std::string cmd = "cd " + shell_quote(cwd.empty() ? "." : cwd.string()) + " && exec " + shell_quote(ZK_BINARY);
    for (const auto& a : args) cmd += " " + shell_quote(a);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const char* argv[] = {"/bin/sh", "-c", cmd.c_str(), nullptr};
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start zonekit: " + std::string(std::strerror(rc)));
    return pid;
}

int wait_zonekit(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw std::runtime_error("waitpid failed");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::map<std::string, std::string> snapshot_files(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file())
            files[fs::relative(entry.path(), dir).string()] = read_file(entry.path().string());
    return files;
}

std::vector<std::string> dump_features(const std::string& path) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) throw std::runtime_error("cannot open " + path);
    std::vector<std::string> out;
    for (OGRLayer* layer : ds->GetLayers()) {
        out.push_back(fmt::format("layer {} ({} features, {})", layer->GetName(), layer->GetFeatureCount(),
                                  OGRGeometryTypeToName(layer->GetGeomType())));
        // QGIS's layer_styles table stamps each style with the time it was written: not compared.
        const bool styles = EQUAL(layer->GetName(), "layer_styles");
        layer->ResetReading();
        for (auto& f : *layer) {
            std::string line = fmt::format("{}:", f->GetFID());
            for (int i = 0; i < f->GetFieldCount(); ++i) {
                line += " ";
                if (!f->IsFieldSetAndNotNull(i)) line += "NULL";
                else if (styles && f->GetFieldDefnRef(i)->GetType() == OFTDateTime) line += "(time written)";
                else if (f->GetFieldDefnRef(i)->GetType() == OFTReal) line += fmt::format("{}", f->GetFieldAsDouble(i));
                else line += f->GetFieldAsString(i);
            }
            if (const OGRGeometry* g = f->GetGeometryRef()) {
                std::vector<unsigned char> wkb(g->WkbSize());
                g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
                line += " | ";
                static const char* digits = "0123456789ABCDEF";
                for (unsigned char c : wkb) {
                    line += digits[c >> 4];
                    line += digits[c & 15];
                }
            }
            out.push_back(std::move(line));
        }
    }
    return out;
}

std::map<std::string, std::vector<FeatureFields>> read_all(const std::string& path) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) throw std::runtime_error("cannot open " + path);
    std::map<std::string, std::vector<FeatureFields>> out;
    for (OGRLayer* layer : ds->GetLayers()) {
        auto& rows = out[layer->GetName()];
        for (auto& f : *layer) {
            FeatureFields r;
            for (int i = 0; i < f->GetFieldCount(); ++i) {
                const std::string name = f->GetFieldDefnRef(i)->GetNameRef();
                r.text[name] = f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "NULL";
                r.real[name] = f->GetFieldAsDouble(i);
            }
            rows.push_back(r);
        }
    }
    return out;
}

const nlohmann::json* rule_entry(const nlohmann::json& doc, const std::string& rule, const std::vector<std::string>& layers) {
    for (const auto& r : doc["rules"])
        if (r["rule"] == rule && r["layers"] == nlohmann::json(layers)) return &r;
    return nullptr;
}

}  // namespace zk::test

namespace zk::test {

Png::Png(const std::string& path) : surface(cairo_image_surface_create_from_png(path.c_str())) {
    REQUIRE(cairo_surface_status(surface.get()) == CAIRO_STATUS_SUCCESS);
    width = cairo_image_surface_get_width(surface.get());
    height = cairo_image_surface_get_height(surface.get());
}

int Png::count(int r, int g, int b, int tolerance) const {
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    int n = 0;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const std::uint32_t p = *reinterpret_cast<const std::uint32_t*>(data + y * stride + x * 4);
            const int pr = static_cast<int>((p >> 16) & 0xff), pg = static_cast<int>((p >> 8) & 0xff),
                      pb = static_cast<int>(p & 0xff);
            if (std::abs(pr - r) <= tolerance && std::abs(pg - g) <= tolerance && std::abs(pb - b) <= tolerance) ++n;
        }
    return n;
}

}  // namespace zk::test

