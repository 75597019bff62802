#include "zonekit/io/source.hpp"

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

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

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

// True when a polygon ring of `g` does not end where it starts (GEOS cannot read such a ring).
bool has_open_ring(const OGRGeometry& g) {
    const OGRwkbGeometryType type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon) {
        const OGRPolygon& p = *g.toPolygon();
        for (int i = 0; i < p.getNumInteriorRings() + 1; ++i) {
            const OGRLinearRing* r = i == 0 ? p.getExteriorRing() : p.getInteriorRing(i - 1);
            if (r && r->getNumPoints() > 0 && !r->get_IsClosed()) return true;
        }
        return false;
    }
    if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
        const auto& c = *g.toGeometryCollection();
        for (int i = 0; i < c.getNumGeometries(); ++i)
            if (has_open_ring(*c.getGeometryRef(i))) return true;
    }
    return false;
}

// GDAL's message as part of a zonekit sentence: without its trailing full stop.
std::string clause(std::string text) {
    while (!text.empty() && (text.back() == '.' || std::isspace(static_cast<unsigned char>(text.back()))))
        text.pop_back();
    return text;
}

// True when every x and y of `g` is a number (OGR's envelope skips NaN, so it cannot tell; and OGR calls a
// point with a NaN coordinate empty, so IsEmpty cannot either). For a geometry that is not empty.
bool all_coordinates_numbers(const OGRGeometry& g) {
    struct Check : public OGRDefaultConstGeometryVisitor {
        bool ok = true;
        using OGRDefaultConstGeometryVisitor::visit;
        void visit(const OGRPoint* p) override {
            if (std::isnan(p->getX()) || std::isnan(p->getY())) ok = false;
        }
    } check;
    g.accept(&check);
    return check.ok;
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

std::optional<std::string> zone_prefix_problem(const LayerInfo& info) {
    if (!info.has_extent || !info.crs.is_transverse_mercator()) return std::nullopt;
    const double fe = info.crs.false_easting();
    const bool prefixed_crs = fe >= 1.0e6;
    const bool prefixed_coords = info.min_x >= 1.0e7 && info.max_x < 1.0e8;
    const bool plain_coords = info.max_x < 1.0e7;
    if (!prefixed_crs && prefixed_coords) {
        const int zone = static_cast<int>(info.min_x / 1.0e6);
        return fmt::format("layer '{}' in '{}' has 8-digit eastings ({:.0f}…) with a zone prefix ({}), but its CRS {} "
                           "has none (false easting {:.0f}): the coordinates probably belong to the prefixed zone {} "
                           "CRS (CGCS2000 3-degree: EPSG:{}). Name the right one with --assume-crs EPSG:n",
                           info.name, info.source, info.min_x, zone, info.crs.label(), fe, zone,
                           zone >= 25 && zone <= 45 ? 4513 + zone - 25 : 0);
    }
    if (prefixed_crs && plain_coords) {
        return fmt::format("layer '{}' in '{}' has 6-digit eastings ({:.0f}…) without a zone prefix, but its CRS {} "
                           "expects one (false easting {:.0f}). Name the right CRS with --assume-crs EPSG:n (CGCS2000 "
                           "3-degree without prefix: EPSG:4534–4554)",
                           info.name, info.source, info.min_x, info.crs.label(), fe);
    }
    return std::nullopt;
}

std::string no_crs_message(const LayerInfo& info) {
    const bool prj = lower(fs::path(info.source).extension().string()) == ".shp" && sidecar_of(info.source, ".prj");
    return fmt::format("layer '{}' in '{}' has no CRS{}. Say what it is with --assume-crs EPSG:n (e.g. EPSG:4490 for "
                       "CGCS2000 longitude/latitude, EPSG:4543 for CGCS2000 Gauss–Kruger CM 102°E)",
                       info.name, info.source, prj ? " that GDAL can read (its .prj is not a CRS definition)" : "");
}

namespace {
void add_once(std::vector<std::string>& list, std::string text) {
    if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(std::move(text));
}
}  // namespace

Crs choose_analysis_crs(const std::vector<LayerInfo>& layers, const std::optional<Crs>& requested,
                        std::vector<std::string>& notes) {
    for (const auto& info : layers)
        if (info.crs.empty()) throw InputError(no_crs_message(info));
    for (const auto& info : layers) notes.insert(notes.end(), info.notes.begin(), info.notes.end());
    Crs chosen;
    if (requested) {
        chosen = *requested;
        notes.push_back(fmt::format("analysis CRS {} ({}), as asked with --crs", chosen.label(), chosen.name()));
    } else {
        for (const auto& info : layers)
            if (info.crs.is_projected()) {
                chosen = info.crs;
                notes.push_back(fmt::format("analysis CRS {} ({}), the CRS of layer '{}'", chosen.label(),
                                            chosen.name(), info.name));
                break;
            }
        if (chosen.empty()) {
            double lon_min = 1e300, lon_max = -1e300;
            for (const auto& info : layers) {
                if (!info.has_extent || info.crs.empty()) continue;
                if (!info.warnings.empty()) throw InputError(info.warnings.front());
                double xs[4] = {info.min_x, info.max_x, info.min_x, info.max_x};
                double ys[4] = {info.min_y, info.min_y, info.max_y, info.max_y};
                if (!info.crs.is_geographic()) {
                    Transform to_geo(info.crs, info.crs.geographic());
                    to_geo.transform(4, xs, ys);
                }
                for (double x : xs) {
                    lon_min = std::min(lon_min, x);
                    lon_max = std::max(lon_max, x);
                }
            }
            if (lon_min > lon_max)
                throw InputError("cannot choose an analysis CRS: no layer has both a CRS and an extent. Name one "
                                 "with --crs EPSG:n");
            const double centre = 0.5 * (lon_min + lon_max);
            const int code = cgcs2000_gk3_epsg(centre);
            chosen = Crs::from_epsg(code);
            notes.push_back(fmt::format("analysis CRS {} ({}): the CGCS2000 3-degree Gauss–Kruger zone whose central "
                                        "meridian ({:.0f}°E) is nearest the data's centre ({:.4f}°E)",
                                        chosen.label(), chosen.name(), chosen.central_meridian(), centre));
        }
    }
    for (const auto& info : layers) {
        if (info.crs.empty() || info.crs.same_as(chosen)) continue;
        notes.push_back(fmt::format("layer '{}' is reprojected from {} to {}; its edges, straight in {}, are followed "
                                    "to within 1 cm (densified in the source CRS)",
                                    info.name, info.crs.label(), chosen.label(), info.crs.label()));
        if (transform_quality(info.crs, chosen).ballpark)
            add_once(notes, fmt::format(
                "{} → {} is a ballpark transformation (PROJ has no parameters or grid between the two datums here and "
                "takes them as equal): positions may be off by up to about 1 m (WGS 84 and CGCS2000 agree to that "
                "order); areas change by far less than the tolerance",
                info.crs.label(), chosen.label()));
    }
    return chosen;
}

GeometryStats scan_geometries(const Source& source, OGRLayer* layer, const std::string& where, std::size_t max_listed) {
    GeometryStats stats;
    GdalErrorCapture capture;
    if (!where.empty() && layer->SetAttributeFilter(where.c_str()) != OGRERR_NONE)
        throw InputError(fmt::format("--where '{}' is not a valid filter for layer '{}' in '{}': {}", where,
                                     layer->GetName(), source.path(), capture.last_error()));
    GeosContext ctx;
    layer->ResetReading();
    auto note = [&](FeatureIssue issue) {
        if (stats.first_problems.size() < max_listed) stats.first_problems.push_back(std::move(issue));
    };
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (;;) {
        GdalErrorCapture reading;  // what GDAL says while reading this feature
        OGRFeatureUniquePtr feature(layer->GetNextFeature());
        if (!feature) break;
        ++stats.features;
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (defn->GetFieldDefn(i)->GetType() == OFTString && feature->IsFieldSetAndNotNull(i) &&
                !is_valid_utf8(feature->GetFieldAsString(i)))
                ++stats.non_utf8_text;
        const OGRGeometry* g = feature->GetGeometryRef();
        const std::int64_t fid = feature->GetFID();
        // The test of LayerReader::next: no geometry and an error while reading is damaged, not null.
        if (!g && reading.has_error()) {
            ++stats.damaged;
            note(FeatureIssue::of(FeatureIssue::Kind::damaged, fid, clause(reading.last_error())));
            continue;
        }
        if (!g) {
            ++stats.null_geometries;
            note(FeatureIssue::of(FeatureIssue::Kind::null_geometry, fid));
            continue;
        }
        if (g->IsEmpty()) {
            ++stats.empty_geometries;
            note(FeatureIssue::of(FeatureIssue::Kind::empty_geometry, fid));
            continue;
        }
        std::unique_ptr<OGRGeometry> linear;
        if (OGR_GT_IsNonLinear(g->getGeometryType())) {
            linear.reset(g->getLinearGeometry());
            g = linear.get();
        }
        GEOSGeometry* raw = g->exportToGEOS(ctx.handle());
        if (!raw) {
            ++stats.unreadable;
            ++stats.invalid;
            std::string cause = ctx.take_error();
            note(FeatureIssue::of(FeatureIssue::Kind::invalid, fid, cause.empty() ? std::string("unreadable geometry") : cause));
            continue;
        }
        GeomPtr geom = own(ctx, raw);
        Validity v = check_validity(ctx, geom.get());
        if (!v.valid) {
            ++stats.invalid;
            note(FeatureIssue::located(FeatureIssue::Kind::invalid, fid, v));
        }
    }
    layer->SetAttributeFilter(nullptr);
    layer->ResetReading();
    return stats;
}

InputError invalid_polygon_refusal(const std::string& where, const Validity& v, MakeValidMethod method) {
    return InputError(fmt::format("{} is an invalid polygon: {}{}. --strict refuses invalid polygons; without it "
                                  "zonekit repairs them (MakeValid, {} method) and lists them",
                                  where, v.reason,
                                  v.has_location ? fmt::format(" at ({:.3f} {:.3f})", v.x, v.y) : std::string(),
                                  make_valid_method_name(method)));
}

std::string describe(const FeatureIssue& issue) {
    switch (issue.kind) {
        case FeatureIssue::Kind::null_geometry: return fmt::format("feature {}: null geometry", issue.fid);
        case FeatureIssue::Kind::damaged:
            return fmt::format("feature {}: damaged geometry, GDAL cannot read it ({})", issue.fid, issue.reason);
        case FeatureIssue::Kind::empty_geometry: return fmt::format("feature {}: empty geometry", issue.fid);
        case FeatureIssue::Kind::collection:
            return fmt::format("feature {}: a GeometryCollection; dropped {}", issue.fid, issue.reason);
        case FeatureIssue::Kind::invalid:
        case FeatureIssue::Kind::repaired: {
            std::string text = fmt::format("feature {}: {}{}", issue.fid,
                                           issue.kind == FeatureIssue::Kind::repaired ? "repaired, was " : "",
                                           issue.reason);
            if (issue.has_location) text += fmt::format(" at ({:.3f} {:.3f})", issue.x, issue.y);
            if (issue.kind == FeatureIssue::Kind::repaired && !issue.method.empty())
                text += fmt::format("; {} repair, {:.1f} m² decided by it", issue.method, issue.changed_m2);
            return text;
        }
    }
    return "";
}

std::string list_issues(const std::vector<FeatureIssue>& issues, FeatureIssue::Kind a, FeatureIssue::Kind b,
                        std::size_t& count) {
    std::string text;
    count = 0;
    for (const auto& issue : issues) {
        if (issue.kind != a && issue.kind != b) continue;
        if (++count <= 5) text += "\n  " + describe(issue);
    }
    if (count > 5) text += fmt::format("\n  … and {} more", count - 5);
    return text;
}

namespace {
std::string damaged_warning(const LayerInfo& info, const std::vector<FeatureIssue>& issues) {
    std::size_t n = 0;
    const std::string listed = list_issues(issues, FeatureIssue::Kind::damaged, FeatureIssue::Kind::damaged, n);
    if (n == 0) return "";
    return fmt::format("layer '{}' in '{}': {} feature(s) with damaged geometry left out (--skip-damaged): GDAL cannot "
                       "read their geometry, so they are in no result:{}",
                       info.name, info.source, n, listed);
}
}  // namespace

std::string damaged_warning(const LayerReader& reader) { return damaged_warning(reader.info(), reader.issues()); }

std::string damaged_left_out(const LayerReader& reader) {
    const std::size_t n = reader.count(FeatureIssue::Kind::damaged);
    if (n == 0) return "";
    return fmt::format(" other than the {} with damaged geometry left out (--skip-damaged)", n);
}

std::vector<std::string> issue_warnings(const LayerReader& reader) {
    std::vector<std::string> out;
    const LayerInfo& info = reader.info();
    const std::vector<FeatureIssue> issues = reader.issues();
    if (std::string damaged = damaged_warning(info, issues); !damaged.empty()) out.push_back(std::move(damaged));
    std::size_t n = 0;
    std::string listed = list_issues(issues, FeatureIssue::Kind::repaired, FeatureIssue::Kind::repaired, n);
    if (n > 0)
        out.push_back(fmt::format("{} invalid polygon{} of layer '{}' in '{}' {} repaired (GEOS MakeValid; the area "
                                  "each repair decided is the part the linework and structure readings disagree "
                                  "on; --strict refuses invalid polygons instead):{}",
                                  n, n == 1 ? "" : "s", info.name, info.source, n == 1 ? "was" : "were", listed));
    listed = list_issues(issues, FeatureIssue::Kind::collection, FeatureIssue::Kind::collection, n);
    if (n > 0)
        out.push_back(fmt::format("{} feature{} of layer '{}' in '{}' {} GeometryCollection{} (as other tools' repairs "
                                  "leave them): only {} parts of the highest dimension are used:{}",
                                  n, n == 1 ? "" : "s", info.name, info.source, n == 1 ? "is a" : "are",
                                  n == 1 ? "" : "s", n == 1 ? "its" : "their", listed));
    if (reader.flattened() > 0)
        out.push_back(fmt::format("{} geometries of layer '{}' with Z or M values were read in 2D", reader.flattened(),
                                  info.name));
    return out;
}

LayerReader::LayerReader(const Source& source, OGRLayer* layer, const Crs& analysis, const ReadOptions& options)
    : m_source(source), m_layer(layer), m_info(source.describe(layer)), m_options(options) {
    if (m_info.crs.empty()) throw InputError(no_crs_message(m_info));
    if (!m_info.warnings.empty()) {
        if (!source.options().assume_crs) throw InputError(m_info.warnings.front());
        m_info.crs = *source.options().assume_crs;
        m_info.crs_assumed = true;
    }
    if (!m_info.crs.same_as(analysis)) {
        m_transform.emplace(m_info.crs, analysis);
        m_edges.grid_step = edge_grid_step(m_info.crs);
    }
    m_projected_analysis = analysis.is_projected();
    if (!options.where.empty()) {
        GdalErrorCapture capture;
        if (m_layer->SetAttributeFilter(options.where.c_str()) != OGRERR_NONE)
            throw InputError(fmt::format("--where '{}' is not a valid filter for layer '{}' in '{}': {}",
                                         options.where, m_info.name, m_info.source, capture.last_error()));
    } else {
        m_layer->SetAttributeFilter(nullptr);
    }
    m_layer->ResetReading();
}

void LayerReader::reset() {
    m_layer->ResetReading();
    std::lock_guard lock(m_issues_mutex);
    m_issues.clear();
    m_flattened = 0;
}

std::string LayerReader::where(std::int64_t fid) const {
    return fmt::format("'{}' layer '{}' feature {}", m_info.source, m_info.name, fid);
}

std::size_t LayerReader::count(FeatureIssue::Kind kind) const {
    std::lock_guard lock(m_issues_mutex);
    std::size_t n = 0;
    for (const auto& issue : m_issues)
        if (issue.kind == kind) ++n;
    return n;
}

GeomPtr LayerReader::convert(GeosContext& ctx, OGRFeature& feature, bool& deferred) {
    deferred = false;
    const std::int64_t fid = feature.GetFID();
    OGRGeometry* g = feature.GetGeometryRef();
    if (!g) {
        std::vector<FeatureIssue> none{FeatureIssue::of(FeatureIssue::Kind::null_geometry, fid)};
        add_issues(none);
        return nullptr;
    }
    if (OGR_GT_IsNonLinear(g->getGeometryType())) {
        feature.SetGeometryDirectly(g->getLinearGeometry());
        g = feature.GetGeometryRef();
    }
    if (g->Is3D() || g->IsMeasured()) {
        g->flattenTo2D();
        ++m_flattened;
    }
    if (g->IsEmpty()) {
        std::vector<FeatureIssue> empty{FeatureIssue::of(FeatureIssue::Kind::empty_geometry, fid)};
        add_issues(empty);
        return own(ctx, GEOSGeom_createEmptyPolygon_r(ctx.handle()));
    }
    OGREnvelope env;
    g->getEnvelope(&env);
    if (!std::isfinite(env.MinX) || !std::isfinite(env.MinY) || !std::isfinite(env.MaxX) || !std::isfinite(env.MaxY) ||
        std::abs(env.MinX) > 1e15 || std::abs(env.MaxX) > 1e15 || std::abs(env.MinY) > 1e15 || std::abs(env.MaxY) > 1e15)
        throw InputError(fmt::format("{} has coordinates that are not finite or absurdly large ({} … {}). Fix or "
                                     "remove the feature",
                                     where(fid), env.MinX, env.MaxX));
    if (!all_coordinates_numbers(*g))
        throw InputError(fmt::format("{} has a coordinate that is not a number (NaN). Fix or remove the feature",
                                     where(fid)));
    if (m_options.validate && has_open_ring(*g)) {
        if (m_source.options().strict)
            throw InputError(fmt::format("{} has a ring that is not closed (its last point is not its first). "
                                         "--strict refuses invalid polygons; without it zonekit closes the ring",
                                         where(fid)));
        g->closeRings();
        std::vector<FeatureIssue> closed{
            FeatureIssue::of(FeatureIssue::Kind::repaired, fid, "a ring not closed; closed by its first point")};
        add_issues(closed);
    }
    if (m_transform) {
        std::string error;
        if (!transform_keeping_edges(*g, *m_transform, m_edges, error))
            throw InputError(fmt::format("{} cannot be transformed from {} to the analysis CRS: {}", where(fid),
                                         m_info.crs.label(), error));
    }
    if (m_projected_analysis) {
        // 100,000 km from the origin of a projected CRS is no place on Earth (the largest Gauss–Kruger
        // easting, with its zone prefix, is under 5×10⁷ m); such edges would also be densified into billions
        // of points when ellipsoidal areas are measured.
        g->getEnvelope(&env);
        constexpr double limit = 1e8;
        if (!(std::abs(env.MinX) <= limit && std::abs(env.MaxX) <= limit && std::abs(env.MinY) <= limit &&
              std::abs(env.MaxY) <= limit))
            throw InputError(fmt::format("{} reaches {:.6g}, {:.6g} … {:.6g}, {:.6g} in the analysis CRS, more than "
                                         "100,000 km from its origin: no real place. Is the layer's CRS right "
                                         "(--assume-crs), or are some of its coordinates broken?",
                                         where(fid), env.MinX, env.MinY, env.MaxX, env.MaxY));
    }
    if (m_options.defer_geos) {
        deferred = true;
        return nullptr;
    }
    std::vector<FeatureIssue> found;
    GeomPtr geom = to_geos(ctx, feature, found);
    add_issues(found);
    return geom;
}

GeomPtr LayerReader::to_geos(GeosContext& ctx, OGRFeature& feature, std::vector<FeatureIssue>& found) const {
    const std::int64_t fid = feature.GetFID();
    OGRGeometry* g = feature.GetGeometryRef();
    GdalErrorCapture capture;
    GEOSGeometry* raw = g->exportToGEOS(ctx.handle());
    if (!raw) {
        std::string cause = ctx.take_error();
        if (cause.empty()) cause = capture.last_error();
        throw InputError(fmt::format("{} has a geometry GEOS cannot read: {}. Repair it (e.g. close its rings) in "
                                     "the source",
                                     where(fid), cause));
    }
    GeomPtr geom = own(ctx, raw);
    bool changed = false;
    if (GEOSGeomTypeId_r(ctx.handle(), geom.get()) == GEOS_GEOMETRYCOLLECTION) {
        std::string dropped;
        geom = highest_dimension_parts(ctx, geom.get(), dropped);
        changed = true;
        if (!dropped.empty()) found.push_back(FeatureIssue::of(FeatureIssue::Kind::collection, fid, dropped));
    }
    if (m_options.validate && is_polygonal(ctx, geom.get())) {
        Validity v = check_validity(ctx, geom.get());
        if (!v.valid) {
            const SourceOptions& policy = m_source.options();
            if (policy.strict) throw invalid_polygon_refusal(where(fid), v, policy.make_valid_method);
            Repair repair = repair_polygonal(ctx, geom.get(), policy.make_valid_method);
            FeatureIssue issue = FeatureIssue::located(FeatureIssue::Kind::repaired, fid, v);
            issue.changed_m2 = repair.changed_plan_m2;
            issue.method = make_valid_method_name(policy.make_valid_method);
            found.push_back(std::move(issue));
            geom = std::move(repair.geom);
            changed = true;
        }
    }
    if (changed) {
        OGRGeometry* back = OGRGeometryFactory::createFromGEOS(ctx.handle(), geom.get());
        if (back) {
            back->assignSpatialReference(g->getSpatialReference());
            feature.SetGeometryDirectly(back);
        }
    }
    return geom;
}

void LayerReader::add_issues(std::vector<FeatureIssue>& found) const {
    if (found.empty()) return;
    std::lock_guard lock(m_issues_mutex);
    m_issues.insert(m_issues.end(), found.begin(), found.end());
}

std::vector<FeatureIssue> LayerReader::issues() const {
    std::lock_guard lock(m_issues_mutex);
    std::vector<FeatureIssue> out = m_issues;
    std::stable_sort(out.begin(), out.end(), [](const FeatureIssue& a, const FeatureIssue& b) { return a.fid < b.fid; });
    return out;
}

bool LayerReader::next(GeosContext& ctx, Feature& out) {
    for (;;) {
        GdalErrorCapture capture;
        OGRFeatureUniquePtr feature(m_layer->GetNextFeature());
        if (!feature) {
            if (capture.has_error())
                throw InputError(fmt::format("cannot read layer '{}' in '{}': {}. The file may be truncated or damaged",
                                             m_info.name, m_info.source, clause(capture.last_error())));
            return false;
        }
        // A geometry GDAL could not read comes as none, with an error: the feature is damaged, not without
        // geometry, and one policy decides it here, before any command sees the feature.
        if (!feature->GetGeometryRef() && capture.has_error()) {
            const std::int64_t fid = feature->GetFID();
            const std::string reason = clause(capture.last_error());
            if (!m_source.options().skip_damaged)
                throw InputError(fmt::format("{} has a damaged geometry: GDAL cannot read it ({}). Repair or "
                                             "remove the feature in the source, or pass --skip-damaged to leave "
                                             "such features out (they are counted)",
                                             where(fid), reason));
            std::vector<FeatureIssue> damaged{FeatureIssue::of(FeatureIssue::Kind::damaged, fid, reason)};
            add_issues(damaged);
            continue;
        }
        out.fid = feature->GetFID();
        bool deferred = false;
        out.geom = convert(ctx, *feature, deferred);
        out.deferred = deferred ? this : nullptr;
        out.ogr = std::move(feature);
        return true;
    }
}

void LayerReader::finish(GeosContext& ctx, Feature& f) const {
    if (!f.deferred) return;
    f.deferred = nullptr;
    if (!f.ogr || !f.ogr->GetGeometryRef()) return;
    std::vector<FeatureIssue> found;
    f.geom = to_geos(ctx, *f.ogr, found);
    add_issues(found);
}

bool is_polygonal_or_empty(GeosContext& ctx, const Feature& f) {
    if (f.geom) return GEOSisEmpty_r(ctx.handle(), f.geom.get()) == 1 || is_polygonal(ctx, f.geom.get());
    const OGRGeometry* g = f.deferred && f.ogr ? f.ogr->GetGeometryRef() : nullptr;
    if (!g || g->IsEmpty()) return true;
    const auto type = wkbFlatten(g->getGeometryType());
    // A collection is reduced to its polygons when it is finished (a collection without any is refused then).
    return type == wkbPolygon || type == wkbMultiPolygon || type == wkbGeometryCollection;
}

std::string geometry_type_name(GeosContext& ctx, const Feature& f) {
    if (f.geom) return geometry_type_of(ctx, f.geom.get());
    const OGRGeometry* g = f.ogr ? f.ogr->GetGeometryRef() : nullptr;
    return g ? OGRGeometryTypeToName(g->getGeometryType()) : "null geometry";
}

}  // namespace zk
