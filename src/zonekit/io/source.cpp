#include "zonekit/io/source.hpp"
#include "zonekit/io/source_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"

#include <cpl_string.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>

namespace fs = std::filesystem;

namespace zk {

namespace source_detail {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A sidecar of a Shapefile (e.g. ".shx"), in either case, if it exists.
std::optional<fs::path> sidecar_of(const fs::path& path, const std::string& ext) {
    std::string upper = ext;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const std::string& candidate : {ext, upper}) {
        fs::path p = path;
        p.replace_extension(candidate);
        std::error_code ec;
        if (fs::exists(p, ec)) return p;
    }
    return std::nullopt;
}

// GDAL's message as part of a zonekit sentence: without its trailing full stop.
std::string clause(std::string text) {
    while (!text.empty() && (text.back() == '.' || std::isspace(static_cast<unsigned char>(text.back()))))
        text.pop_back();
    return text;
}

}  // namespace source_detail

using namespace source_detail;

namespace {

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

// The DBF beside a .shp (or the .dbf itself), if the path names a single shapefile.
std::optional<fs::path> dbf_of(const fs::path& path) {
    const std::string ext = lower(path.extension().string());
    if (ext != ".shp" && ext != ".dbf") return std::nullopt;
    for (const char* candidate : {".dbf", ".DBF"}) {
        fs::path dbf = path;
        dbf.replace_extension(candidate);
        if (fs::exists(dbf)) return dbf;
    }
    return std::nullopt;
}

std::optional<fs::path> cpg_of(const fs::path& path) {
    for (const char* candidate : {".cpg", ".CPG"}) {
        fs::path cpg = path;
        cpg.replace_extension(candidate);
        if (fs::exists(cpg)) return cpg;
    }
    return std::nullopt;
}

// Fields whose names repeat (as in a .dbf written by hand, or names differing only in case) are renamed in
// memory, NAME → NAME_2, so every field can be told apart and written out; returns a note, or "".
std::string rename_duplicate_fields(OGRLayer* layer, const std::string& path) {
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    std::vector<std::string> names, renamed;
    for (int i = 0; i < defn->GetFieldCount(); ++i) names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    auto taken = [&names](const std::string& name, int upto) {
        for (int k = 0; k < upto; ++k)
            if (EQUAL(names[static_cast<std::size_t>(k)].c_str(), name.c_str())) return true;
        return false;
    };
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const std::string name = names[static_cast<std::size_t>(i)];
        if (!taken(name, i)) continue;
        std::string fresh;
        for (int n = 2;; ++n) {
            fresh = fmt::format("{}_{}", name, n);
            bool used = false;
            for (const auto& other : names) used = used || EQUAL(other.c_str(), fresh.c_str());
            if (!used) break;
        }
        defn->GetFieldDefn(i)->SetName(fresh.c_str());
        names[static_cast<std::size_t>(i)] = fresh;
        renamed.push_back(fmt::format("field {} '{}' as '{}'", i + 1, name, fresh));
    }
    if (renamed.empty()) return "";
    return fmt::format("layer '{}' in '{}' has fields with the same name; they are read as distinct fields: {}. "
                       "Rename them in the source to choose the names",
                       layer->GetName(), path, join(renamed));
}

// What a path names when it is not a local file but a remote or database source GDAL would reach over the
// network ("a remote file (/vsicurl/)", "a database connection (PG:)"), or "" for a local path. Local virtual
// files (/vsizip/, /vsigzip/, /vsitar/, /vsimem/) are local unless they wrap a remote one.
std::string remote_source(const std::string& path) {
    const std::string low = lower(path);
    static const char* const remote_vsi[] = {"/vsicurl", "/vsis3", "/vsigs", "/vsiaz", "/vsiadls", "/vsioss",
                                             "/vsiswift", "/vsiwebhdfs", "/vsihdfs"};
    for (const char* v : remote_vsi) {
        const auto at = low.find(v);
        if (at != std::string::npos && (at == 0 || low.rfind("/vsi", 0) == 0)) {
            const auto end = low.find('/', at + 1);
            return fmt::format("a remote file ({}/)", path.substr(at, end == std::string::npos ? std::string::npos : end - at));
        }
    }
    static const char* const urls[] = {"http://", "https://", "ftp://", "ftps://", "mongodb://", "mongodb+srv://"};
    for (const char* u : urls)
        if (low.rfind(u, 0) == 0) return fmt::format("a URL ({})", std::string(u, std::strlen(u) - 3));
    static const char* const connections[] = {"pg:", "postgresql:", "mysql:", "oci:", "mssql:", "odbc:", "pgeo:",
                                              "mongodb:", "mongodbv3:", "hana:", "couchdb:", "es:",
                                              "elasticsearch:", "wfs:", "oapif:", "carto:", "amigocloud:", "ngw:",
                                              "eeda:", "plscenes:", "dods:", "gnmdatabase:"};
    for (const char* c : connections)
        if (low.rfind(c, 0) == 0) return fmt::format("a database or service connection ({})", path.substr(0, std::strlen(c)));
    return "";
}

// The same for a path that a project file joined to its own directory ("dir/PG:dbname=x", "dir/http:/host/f"):
// a component that starts a connection string or URL. Only for paths that do not exist.
std::string remote_component(const std::string& path) {
    const fs::path p(path);
    for (auto it = p.begin(); it != p.end(); ++it) {
        const std::string part = it->string();
        const std::string low = lower(part);
        if (low == "http:" || low == "https:" || low == "ftp:" || low == "ftps:")
            return fmt::format("a URL ({})", part.substr(0, part.size() - 1));
        if (part.find(':') != std::string::npos && part.size() > 2) {
            std::string what = remote_source(part);
            if (!what.empty()) return what;
        }
    }
    return "";
}

// What a path names when it is there but is not a file or directory zonekit can read: "a named pipe (FIFO)",
// "a socket", "a character device", "a block device"; or "". Uses stat(), never opening it (a FIFO's open
// waits for a writer forever).
std::string special_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "";
    if (S_ISFIFO(st.st_mode)) return "a named pipe (FIFO)";
    if (S_ISSOCK(st.st_mode)) return "a socket";
    if (S_ISCHR(st.st_mode)) return "a character device";
    if (S_ISBLK(st.st_mode)) return "a block device";
    return "";
}

// True for a path under /proc or /sys (after resolving links): files of the system that report 0 bytes.
bool under_proc_or_sys(const std::string& path) {
    auto inside = [](const fs::path& p) {
        const std::string s = p.string();
        return s == "/proc" || s == "/sys" || s.rfind("/proc/", 0) == 0 || s.rfind("/sys/", 0) == 0;
    };
    std::error_code ec;
    if (inside(fs::absolute(path, ec).lexically_normal())) return true;
    const fs::path canonical = fs::canonical(path, ec);
    return !ec && inside(canonical);
}

// Reads `n` bytes at `offset` of a file; false when it is shorter.
bool read_bytes(const fs::path& path, std::streamoff offset, unsigned char* out, std::size_t n) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    in.seekg(offset);
    in.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n));
    return static_cast<std::size_t>(in.gcount()) == n;
}

// A Shapefile's .shx and .dbf that disagree on the number of records: GDAL reads the shorter and says
// nothing, so features (and area) are lost silently. Throws InputError naming both counts.
void check_shapefile_records(const std::string& shp, const fs::path& shx, const fs::path& dbf) {
    unsigned char h[4], d[4];
    if (!read_bytes(shx, 24, h, 4) || !read_bytes(dbf, 4, d, 4)) return;  // too short: GDAL says so when reading
    const std::int64_t words = (std::int64_t{h[0]} << 24) | (std::int64_t{h[1]} << 16) | (std::int64_t{h[2]} << 8) | h[3];
    if (words * 2 < 100) return;
    const std::int64_t shx_records = (words * 2 - 100) / 8;
    const std::int64_t dbf_records =
        std::int64_t{d[0]} | (std::int64_t{d[1]} << 8) | (std::int64_t{d[2]} << 16) | (std::int64_t{d[3]} << 24);
    if (shx_records == dbf_records) return;
    throw InputError(fmt::format(
        "Shapefile '{}' does not hold together: its .shx ('{}') lists {} record{} and its .dbf ('{}') {}; read as it "
        "is, {} feature{} would be lost without a word. Copy all of the Shapefile's files together again; or, if "
        "the .shx is the stale one, move it aside and let GDAL rebuild it from the .shp, writing it beside the "
        ".shp: ogrinfo --config SHAPE_RESTORE_SHX YES -so '{}'",
        shp, shx.string(), shx_records, shx_records == 1 ? "" : "s", dbf.string(), dbf_records,
        std::abs(shx_records - dbf_records), std::abs(shx_records - dbf_records) == 1 ? "" : "s", shp));
}

int dbf_language_driver_id(const fs::path& dbf) {
    std::ifstream in(dbf, std::ios::binary);
    char header[32] = {};
    if (!in.read(header, sizeof header)) return -1;
    return static_cast<unsigned char>(header[29]);
}

GDALDatasetUniquePtr open_dataset(const std::string& path, const std::string& encoding) {
    CPLStringList open_options;
    if (!encoding.empty()) open_options.SetNameValue("ENCODING", encoding.c_str());
    return GDALDatasetUniquePtr(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                                  open_options.List(), nullptr));
}

// For a shapefile with neither .cpg nor language driver id: look at the raw bytes of its text.
std::string sniff_encoding(const std::string& path) {
    GdalErrorCapture capture;
    CPLStringList open_options;
    open_options.SetNameValue("ENCODING", "");
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                              open_options.List(), nullptr));
    if (!ds || ds->GetLayerCount() == 0) return "";
    OGRLayer* layer = ds->GetLayer(0);
    bool any_non_ascii = false, all_utf8 = true, all_gbk = true;
    auto check = [&](const char* text) {
        if (!text) return;
        std::string_view s(text);
        bool ascii = true;
        for (unsigned char c : s)
            if (c >= 0x80) ascii = false;
        if (ascii) return;
        any_non_ascii = true;
        if (!is_valid_utf8(s)) all_utf8 = false;
        if (!is_plausible_gbk(s)) all_gbk = false;
    };
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) check(defn->GetFieldDefn(i)->GetNameRef());
    int seen = 0;
    for (auto& feature : *layer) {
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (defn->GetFieldDefn(i)->GetType() == OFTString && feature->IsFieldSetAndNotNull(i))
                check(feature->GetFieldAsString(i));
        if (++seen >= 2000) break;
    }
    if (!any_non_ascii) return "";
    if (all_utf8) return "UTF-8";
    if (all_gbk) return "CP936";
    return "";
}

}  // namespace
bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        int extra = 0;
        if (c < 0x80) extra = 0;
        else if (c >= 0xC2 && c <= 0xDF) extra = 1;
        else if (c >= 0xE0 && c <= 0xEF) extra = 2;
        else if (c >= 0xF0 && c <= 0xF4) extra = 3;
        else return false;
        if (i + static_cast<std::size_t>(extra) >= s.size() && extra > 0) return false;
        for (int k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += static_cast<std::size_t>(extra) + 1;
    }
    return true;
}

bool is_plausible_gbk(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c < 0x81 || c > 0xFE || i + 1 >= s.size()) return false;
        const auto t = static_cast<unsigned char>(s[i + 1]);
        if (t < 0x40 || t > 0xFE || t == 0x7F) return false;
        i += 2;
    }
    return true;
}

Source Source::open(const std::string& path, const SourceOptions& options) {
    gdal_init();
    Source src;
    src.m_path = path;
    src.m_options = options;
    std::error_code ec;
    const bool virtual_path = path.rfind("/vsi", 0) == 0;  // GDAL's virtual files: /vsizip/, /vsimem/, …
    if (!options.allow_remote) {
        std::string remote = remote_source(path);
        if (remote.empty() && !virtual_path && !fs::exists(path, ec)) remote = remote_component(path);
        if (!remote.empty())
            throw InputError(fmt::format("'{}' is {}, not a local file: zonekit reads local files only, and makes no "
                                         "network or database connection unless told to. Remote sources need "
                                         "--allow-remote (or copy the data to a local file)",
                                         path, remote));
    }
    if (!virtual_path) {
        const std::string special = special_file(path);
        if (!special.empty())
            throw InputError(fmt::format("'{}' is {}, not a file: zonekit reads layers from files only (a pipe or "
                                         "device may never end, or be read only once). Save the data to a file",
                                         path, special));
    }
    if (!path.empty() && !virtual_path && !fs::exists(path, ec) && path.find(':') == std::string::npos)
        throw InputError(fmt::format("file '{}' not found. Check the path", path));
    if (!virtual_path && fs::is_regular_file(path, ec) && fs::file_size(path, ec) == 0 && !ec &&
        under_proc_or_sys(path))
        throw InputError(fmt::format("'{}' is not a data file: it is one of the system's files under /proc or /sys, "
                                     "which report 0 bytes and are made as they are read. Give the path of a layer",
                                     path));
    if (!virtual_path && fs::is_regular_file(path, ec) && fs::file_size(path, ec) == 0 && !ec)
        throw InputError(fmt::format("file '{}' is empty (0 bytes): there is nothing to read. It may have been cut "
                                     "off while being copied or downloaded; copy it again",
                                     path));
    if (lower(fs::path(path).extension().string()) == ".shp" && fs::is_regular_file(path, ec)) {
        const char* all = "copy all of a Shapefile's files together (.shp, .shx, .dbf, .prj, .cpg)";
        if (!sidecar_of(path, ".shx"))
            throw InputError(fmt::format("Shapefile '{}' has no .shx beside it (the index of its shapes): {}. GDAL can "
                                         "rebuild a lost .shx, writing it beside the .shp: ogrinfo --config "
                                         "SHAPE_RESTORE_SHX YES -so '{}'",
                                         path, all, path));
        if (!sidecar_of(path, ".dbf"))
            throw InputError(fmt::format("Shapefile '{}' has no .dbf beside it, so its attribute table is missing: {}",
                                         path, all));
        check_shapefile_records(path, *sidecar_of(path, ".shx"), *sidecar_of(path, ".dbf"));
    }

    std::string encoding = options.encoding;
    if (!encoding.empty()) {
        std::string upper = encoding;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (upper == "GBK" || upper == "GB2312" || upper == "CP936") encoding = "CP936";
        else if (upper == "UTF8") encoding = "UTF-8";
        src.m_encoding_note = fmt::format("{} (--encoding)", encoding);
    } else if (auto dbf = dbf_of(path)) {
        if (auto cpg = cpg_of(path)) {
            std::ifstream in(*cpg);
            std::string text;
            std::getline(in, text);
            while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
            src.m_encoding_note = fmt::format("{} (from .cpg)", text);
        } else if (int ldid = dbf_language_driver_id(*dbf); ldid > 0) {
            src.m_encoding_note = fmt::format("{{}} (from .dbf language driver id 0x{:02X})", ldid);
        } else {
            std::string sniffed = sniff_encoding(path);
            if (!sniffed.empty()) {
                encoding = sniffed;
                src.m_encoding_note = fmt::format("{} (detected: no .cpg and no language driver id)", sniffed);
            } else {
                src.m_encoding_note = "ASCII/ISO-8859-1 (no .cpg and no language driver id)";
            }
        }
    }

    GdalErrorCapture capture;
    src.m_ds = open_dataset(path, encoding);
    if (!src.m_ds) {
        std::string cause = clause(capture.last_error());
        throw InputError(fmt::format("cannot read '{}' as a vector data source{}{}. zonekit reads what GDAL reads: "
                                     "GeoPackage, Shapefile, GeoJSON, FileGDB, KML, CSV with a WKT column",
                                     path, cause.empty() ? "" : ": ", cause));
    }
    if (src.m_ds->GetLayerCount() == 0)
        throw InputError(fmt::format("'{}' holds no vector layers", path));
    if (capture.has_error()) src.m_open_error = clause(capture.last_error());
    for (auto* layer : src.m_ds->GetLayers()) {
        std::string note = rename_duplicate_fields(layer, path);
        if (!note.empty()) src.m_renamed.emplace_back(layer->GetName(), std::move(note));
    }
    return src;
}

std::vector<std::string> Source::files() const {
    std::vector<std::string> out;
    char** list = m_ds->GetFileList();
    for (char** f = list; f && *f; ++f) out.emplace_back(*f);
    CSLDestroy(list);
    if (out.empty()) out.push_back(m_path);
    return out;
}

std::vector<std::string> Source::layer_names() const {
    std::vector<std::string> names;
    for (auto* layer : m_ds->GetLayers()) names.emplace_back(layer->GetName());
    return names;
}

OGRLayer* Source::layer(const std::string& name) const {
    if (name.empty()) {
        if (m_ds->GetLayerCount() == 1) return m_ds->GetLayer(0);
        throw InputError(fmt::format("'{}' holds {} layers; name one with --layer (layers: {})", m_path,
                                     m_ds->GetLayerCount(), join(layer_names())));
    }
    OGRLayer* layer = m_ds->GetLayerByName(name.c_str());
    if (!layer)
        throw InputError(fmt::format("layer '{}' not found in '{}' (layers: {})", name, m_path, join(layer_names())));
    return layer;
}

LayerInfo Source::describe(OGRLayer* layer) const {
    GdalErrorCapture capture;
    LayerInfo info;
    info.source = m_path;
    info.driver = m_ds->GetDriver() ? m_ds->GetDriver()->GetDescription() : "";
    info.name = layer->GetName();
    info.geometry_type = OGRGeometryTypeToName(layer->GetGeomType());
    info.feature_count = layer->GetFeatureCount(TRUE);
    if (const OGRSpatialReference* srs = layer->GetSpatialRef()) info.crs = Crs::from_srs(*srs);
    if (info.crs.empty() && m_options.assume_crs) {
        info.crs = *m_options.assume_crs;
        info.crs_assumed = true;
    }
    OGREnvelope env;
    if (layer->GetExtent(&env, TRUE) == OGRERR_NONE && std::isfinite(env.MinX) && env.MinX <= env.MaxX) {
        info.has_extent = true;
        info.min_x = env.MinX;
        info.min_y = env.MinY;
        info.max_x = env.MaxX;
        info.max_y = env.MaxY;
    }
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        OGRFieldDefn* fd = defn->GetFieldDefn(i);
        std::string type = OGRFieldDefn::GetFieldTypeName(fd->GetType());
        if (fd->GetSubType() != OFSTNone) type += fmt::format("({})", OGRFieldDefn::GetFieldSubTypeName(fd->GetSubType()));
        info.fields.push_back({fd->GetNameRef(), type});
    }
    info.fid_column = layer->GetFIDColumn();
    if (!m_encoding_note.empty()) {
        info.encoding = m_encoding_note;
        const char* src_enc = layer->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE");
        if (info.encoding.find("{}") != std::string::npos) {
            std::string enc = src_enc && *src_enc ? src_enc : "unknown";
            info.encoding.replace(info.encoding.find("{}"), 2, enc);
        }
    } else {
        info.encoding = layer->TestCapability(OLCStringsAsUTF8) ? "UTF-8" : "as stored (not declared UTF-8)";
    }
    if (auto problem = zone_prefix_problem(info)) info.warnings.push_back(*problem);
    if (info.has_extent && info.crs.is_geographic() && !info.crs_assumed &&
        (info.min_x < -180.0 || info.max_x > 360.0 || info.min_y < -90.0 || info.max_y > 90.0)) {
        if (m_options.assume_crs) {
            info.crs = *m_options.assume_crs;
            info.crs_assumed = true;
        } else {
            info.warnings.push_back(fmt::format(
                "layer '{}' in '{}' has a geographic CRS ({}, degrees), but its coordinates reach {}, {} … {}, {}, "
                "beyond ±180°/±90°{}. Either its CRS is wrong — name the right one with --assume-crs EPSG:n "
                "(e.g. EPSG:4544 for CGCS2000 Gauss–Kruger CM 105°E) — or some features have broken coordinates "
                "(`zonekit info` shows the extent)",
                info.name, m_path, info.crs.label(), info.min_x, info.min_y, info.max_x, info.max_y,
                m_open_error.empty() ? "" : fmt::format(" (GDAL, opening the file: {})", m_open_error)));
        }
    }
    for (const auto& [layer_name, note] : m_renamed)
        if (layer_name == info.name) info.notes.push_back(note);
    if (m_encoding_note.find("(detected") != std::string::npos)
        info.notes.push_back(fmt::format("text of '{}' is read as {}, detected from its bytes (it has no .cpg and no "
                                         "language driver id); pass --encoding if that is wrong",
                                         m_path, m_encoding_note.substr(0, m_encoding_note.find(' '))));
    if (!m_open_error.empty())
        info.notes.push_back(fmt::format("GDAL reported an error while opening '{}': {}", m_path, m_open_error));
    return info;
}

}  // namespace zk
