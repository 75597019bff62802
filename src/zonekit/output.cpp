#include "zonekit/output.hpp"

#include "zonekit/error.hpp"
#include "zonekit/gdal_errors.hpp"
#include "zonekit/layer_styles.hpp"

#include <cpl_string.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <random>
#include <set>

namespace fs = std::filesystem;

namespace zk {

namespace {
std::string lower_ext(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

std::string unique_suffix() {
    std::random_device rd;
    return fmt::format("{}-{:08x}", ::getpid(), rd());
}

const char* shapefile_sidecars[] = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"};

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

// The length of the UTF-8 sequence that starts with `lead` (1 for a stray continuation byte).
std::size_t utf8_length(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

// `name` cut to at most `max_bytes` bytes in `encoding` ("UTF-8" or "GBK") on a character boundary.
std::string cut_name(const std::string& name, const std::string& encoding, std::size_t max_bytes) {
    std::size_t bytes = 0, i = 0;
    while (i < name.size()) {
        const std::size_t n = std::min(utf8_length(static_cast<unsigned char>(name[i])), name.size() - i);
        // GBK: ASCII is one byte, every other character it holds two.
        const std::size_t encoded = encoding == "GBK" ? (n == 1 ? 1 : 2) : n;
        if (bytes + encoded > max_bytes) break;
        bytes += encoded;
        i += n;
    }
    return name.substr(0, i);
}

std::string lower_ascii(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

CPLStringList layer_creation_options(const std::string& driver, const OutputOptions& options,
                                     const std::string& encoding) {
    CPLStringList list;
    if (driver == "GeoJSON") {
        list.SetNameValue("RFC7946", options.keep_crs ? "NO" : "YES");
        if (!options.keep_crs) list.SetNameValue("COORDINATE_PRECISION", "7");
        list.SetNameValue("WRITE_NAME", "NO");
    } else if (driver == "ESRI Shapefile") {
        // GBK: the DBF's language driver id 0x4D (CP936); the .cpg ("936") is written by finish().
        list.SetNameValue("ENCODING", encoding == "GBK" ? "LDID/77" : "UTF-8");
    } else if (driver == "CSV") {
        list.SetNameValue("GEOMETRY", "AS_WKT");
    }
    return list;
}
}  // namespace

std::string output_encoding(const std::string& text) {
    const std::string u = upper(text);
    if (u.empty() || u == "UTF-8" || u == "UTF8") return "UTF-8";
    if (u == "GBK" || u == "CP936" || u == "936" || u == "GB2312") return "GBK";
    throw InputError(fmt::format("unknown output encoding '{}': Shapefiles are written in UTF-8 or GBK", text));
}

std::vector<std::string> shapefile_field_names(const std::vector<std::string>& names, const std::string& encoding,
                                               std::size_t max_bytes) {
    const std::string enc = output_encoding(encoding);
    std::vector<std::string> out(names.size());
    std::set<std::string> taken;  // lower case
    // Names that fit keep their name, whatever comes before them.
    for (std::size_t i = 0; i < names.size(); ++i)
        if (cut_name(names[i], enc, max_bytes) == names[i] && taken.insert(lower_ascii(names[i])).second)
            out[i] = names[i];
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (!out[i].empty()) continue;
        std::string candidate = cut_name(names[i], enc, max_bytes);
        for (int k = 1; !taken.insert(lower_ascii(candidate)).second; ++k) {
            const std::string suffix = fmt::format("_{}", k);
            candidate = cut_name(names[i], enc, max_bytes > suffix.size() ? max_bytes - suffix.size() : 0) + suffix;
        }
        out[i] = candidate;
    }
    return out;
}

namespace {
// The file names (lower case) a file at `path` stands for: a Shapefile's every sidecar, else its own name.
std::vector<std::string> family_names(const fs::path& path) {
    const std::string name = lower_ascii(path.filename().string());
    const std::string ext = lower_ascii(path.extension().string());
    const bool shapefile = std::find(std::begin(shapefile_sidecars), std::end(shapefile_sidecars), ext) !=
                           std::end(shapefile_sidecars);
    if (!shapefile) return {name};
    const std::string stem = lower_ascii(path.stem().string());
    std::vector<std::string> out;
    for (const char* side : shapefile_sidecars) out.push_back(stem + side);
    return out;
}

// The directory `path` is in, resolved (symlinks, `.`, `..`) as far as it exists.
fs::path resolved_dir(const fs::path& path) {
    std::error_code ec;
    fs::path dir = path.parent_path();
    if (dir.empty()) dir = ".";
    fs::path out = fs::weakly_canonical(fs::absolute(dir, ec), ec);
    return ec ? fs::absolute(dir, ec).lexically_normal() : out;
}

// The files in `dir` whose names are among `lower_names` in any letter case.
std::vector<fs::path> existing_in_any_case(const fs::path& dir, const std::vector<std::string>& lower_names) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = lower_ascii(it->path().filename().string());
        if (std::find(lower_names.begin(), lower_names.end(), name) != lower_names.end()) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// A file and the files of its family, as zonekit compares them with an output: the spellings the path is
// known by (as given and resolved through symlinks), each as a resolved directory and lower-case names,
// and the files of that family that exist (for st_dev/st_ino comparison).
struct FileFamily {
    std::vector<std::pair<fs::path, std::vector<std::string>>> spellings;
    std::vector<fs::path> existing;
};

FileFamily file_family(const std::string& path_text) {
    FileFamily f;
    std::error_code ec;
    const fs::path given(path_text);
    fs::path resolved = fs::weakly_canonical(fs::absolute(given, ec), ec);
    if (ec) resolved = given;
    for (const fs::path& p : {given, resolved}) {
        std::pair<fs::path, std::vector<std::string>> s{resolved_dir(p), family_names(p)};
        if (std::find(f.spellings.begin(), f.spellings.end(), s) != f.spellings.end()) continue;
        for (auto& e : existing_in_any_case(s.first, s.second)) f.existing.push_back(e);
        f.spellings.push_back(std::move(s));
    }
    if (fs::exists(given, ec)) f.existing.push_back(given);
    return f;
}

// A file of `output`'s family that is one of `input`'s (the same name in any case in the same directory, or
// the same file through a link), as a pair (output file, input file); nothing when they are apart.
std::optional<std::pair<std::string, std::string>> shared_file(const FileFamily& output, const FileFamily& input,
                                                                const std::string& output_text,
                                                                const std::string& input_text) {
    for (const auto& [odir, onames] : output.spellings)
        for (const auto& [idir, inames] : input.spellings) {
            std::error_code ec;
            if (odir != idir && !fs::equivalent(odir, idir, ec)) continue;
            for (const auto& n : onames)
                if (std::find(inames.begin(), inames.end(), n) != inames.end()) {
                    // Name the input's own file of that name when it exists, else the input.
                    std::string in = input_text;
                    for (const auto& e : input.existing)
                        if (lower_ascii(e.filename().string()) == n) in = e.string();
                    std::string out = output_text;
                    for (const auto& e : output.existing)
                        if (lower_ascii(e.filename().string()) == n) out = e.string();
                    return std::make_pair(out, in);
                }
        }
    for (const auto& o : output.existing)
        for (const auto& i : input.existing) {
            std::error_code ec;
            if (fs::equivalent(o, i, ec)) return std::make_pair(o.string(), i.string());
        }
    return std::nullopt;
}
}  // namespace

void check_output_path(const std::string& target, const OutputOptions& options) {
    const FileFamily out = file_family(target);
    for (const auto& input : options.inputs) {
        if (input.empty()) continue;
        if (auto shared = shared_file(out, file_family(input), target, input)) {
            const bool same = shared->second == input && fs::path(shared->first).filename() == fs::path(target).filename();
            throw OutputError(fmt::format(
                "output '{}' is also an input{}; inputs are never modified, even with --overwrite. Choose another "
                "output path",
                target,
                same ? std::string()
                     : fmt::format(": it names the same file as the input's '{}' (names are compared without letter "
                                   "case, through links, and a Shapefile by all its files)",
                                   shared->second)));
        }
    }
    std::error_code ec;
    if (!options.overwrite && !out.existing.empty()) {
        const std::string found = out.existing.front().string();
        if (found == target)
            throw OutputError(fmt::format("output '{}' exists. Pass --overwrite to replace it", target));
        throw OutputError(fmt::format("output '{}' exists as '{}' (file names are compared without letter case, and a "
                                      "Shapefile by all its files). Pass --overwrite to replace it",
                                      target, found));
    }
    fs::path parent = fs::path(target).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw OutputError(fmt::format("cannot write '{}': directory '{}' does not exist", target, parent.string()));
}

AtomicOutput::AtomicOutput(std::string target, const OutputOptions& options) : m_target(std::move(target)) {
    check_output_path(m_target, options);
    fs::path t(m_target);
    fs::path dir = t.parent_path();
    const std::string suffix = unique_suffix();
    if (lower_ext(m_target) == ".shp") {
        m_temp_dir = dir / fmt::format(".{}.zk-tmp-{}", t.stem().string(), suffix);
        fs::create_directory(m_temp_dir);
        m_temp = (m_temp_dir / t.filename()).string();
    } else {
        m_temp = (dir / fmt::format(".{}.zk-tmp-{}{}", t.stem().string(), suffix, t.extension().string())).string();
    }
}

AtomicOutput::~AtomicOutput() {
    if (m_committed) return;
    std::error_code ec;
    if (!m_temp_dir.empty()) fs::remove_all(m_temp_dir, ec);
    else {
        fs::remove(m_temp, ec);
        for (const char* side : {"-journal", "-wal", "-shm"}) fs::remove(m_temp + side, ec);
    }
}

void AtomicOutput::commit() {
    std::error_code ec;
    if (!m_temp_dir.empty()) {
        fs::path t(m_target);
        // Remove sidecars of an old shapefile that the new one does not have, then move the new ones.
        for (const char* side : shapefile_sidecars) {
            fs::path old = t;
            old.replace_extension(side);
            fs::path fresh = m_temp_dir / old.filename();
            if (!fs::exists(fresh) && fs::exists(old) && std::string(side) != ".shp") fs::remove(old, ec);
        }
        // The .shp moves last, so a reader never sees a new .shp beside old .dbf.
        for (const char* side : shapefile_sidecars) {
            if (std::string(side) == ".shp") continue;
            fs::path fresh = m_temp_dir / t.filename();
            fresh.replace_extension(side);
            if (!fs::exists(fresh)) continue;
            fs::path dest = t;
            dest.replace_extension(side);
            fs::rename(fresh, dest, ec);
            if (ec) throw OutputError(fmt::format("cannot move '{}' into place: {}", dest.string(), ec.message()));
        }
        fs::rename(m_temp_dir / t.filename(), t, ec);
        if (ec) throw OutputError(fmt::format("cannot move '{}' into place: {}", m_target, ec.message()));
        fs::remove_all(m_temp_dir, ec);
    } else {
        fs::rename(m_temp, m_target, ec);
        if (ec) throw OutputError(fmt::format("cannot move '{}' into place: {}", m_target, ec.message()));
    }
    m_committed = true;
}

void write_text_file(const std::string& path, const std::string& text, const OutputOptions& options) {
    AtomicOutput out(path, options);
    {
        std::ofstream file(out.temp_path(), std::ios::binary);
        file << text;
        file.flush();
        if (!file) throw OutputError(fmt::format("cannot write '{}'", path));
    }
    out.commit();
}

std::string driver_for(const std::string& path) {
    const std::string ext = lower_ext(path);
    if (ext == ".gpkg") return "GPKG";
    if (ext == ".csv") return "CSV";
    if (ext == ".geojson" || ext == ".json") return "GeoJSON";
    if (ext == ".shp") return "ESRI Shapefile";
    if (ext == ".fgb") return "FlatGeobuf";
    if (ext == ".kml") return "KML";
    throw OutputError(fmt::format("cannot tell the format of '{}' from its extension. Use .gpkg, .geojson, .shp, "
                                  ".csv, .fgb or .kml",
                                  path));
}

bool is_vector_output(const std::string& path) {
    const std::string ext = lower_ext(path);
    return ext == ".gpkg" || ext == ".geojson" || ext == ".shp" || ext == ".fgb" || ext == ".kml";
}

LayerWriter::LayerWriter(const std::string& path, const std::string& layer_name, const Crs& crs,
                         OGRwkbGeometryType geom_type, const OGRFeatureDefn* source_fields,
                         const std::vector<ExtraField>& extra, const OutputOptions& options)
    : m_output(path, options),
      m_driver(driver_for(path)),
      m_encoding(output_encoding(options.encoding)),
      m_role(options.role) {
    gdal_init();
    GdalErrorCapture capture;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(m_driver.c_str());
    if (!driver) throw OutputError(fmt::format("GDAL has no '{}' driver to write '{}'", m_driver, path));
    m_ds.reset(driver->Create(m_output.temp_path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!m_ds) throw OutputError(fmt::format("cannot create '{}': {}", path, capture.last_error()));
    CPLStringList layer_options = layer_creation_options(m_driver, options, m_encoding);
    // A GeoPackage's spatial index is packed by finish() from the boxes collected here (see gpkg_rtree.hpp).
    if (m_driver == "GPKG" && geom_type != wkbNone) {
        layer_options.SetNameValue("SPATIAL_INDEX", "NO");
        m_rtree = std::make_unique<RtreeCollector>(options.rtree_limit);
    }
    OGRSpatialReference srs(crs.srs());
    m_layer = m_ds->CreateLayer(layer_name.c_str(), &srs, geom_type, layer_options.List());
    if (!m_layer) throw OutputError(fmt::format("cannot create layer '{}' in '{}': {}", layer_name, path, capture.last_error()));

    // The fields in order: the source's, then the extras that do not replace one of them.
    std::vector<std::unique_ptr<OGRFieldDefn>> fields;
    if (source_fields) {
        m_source_field_count = source_fields->GetFieldCount();
        for (int i = 0; i < m_source_field_count; ++i)
            fields.push_back(std::make_unique<OGRFieldDefn>(source_fields->GetFieldDefn(i)));
    }
    std::vector<int> extra_position;
    for (const auto& field : extra) {
        int at = -1;
        for (int i = 0; i < m_source_field_count; ++i)
            if (EQUAL(fields[static_cast<std::size_t>(i)]->GetNameRef(), field.name.c_str())) at = i;
        if (at < 0) {  // (a source field of the same name keeps its type; its value is replaced)
            at = static_cast<int>(fields.size());
            fields.push_back(std::make_unique<OGRFieldDefn>(field.name.c_str(), field.type));
        }
        extra_position.push_back(at);
    }
    if (m_driver == "ESRI Shapefile") {
        std::vector<std::string> names;
        for (const auto& f : fields) names.emplace_back(f->GetNameRef());
        const std::vector<std::string> short_names = shapefile_field_names(names, m_encoding);
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (short_names[i] != names[i]) {
                fields[i]->SetName(short_names[i].c_str());
                m_renamed.push_back({names[i], short_names[i]});
            }
    }
    for (auto& fd : fields)
        if (m_layer->CreateField(fd.get()) != OGRERR_NONE)
            throw OutputError(fmt::format("cannot create field '{}' in '{}': {}", fd->GetNameRef(), path,
                                          capture.last_error()));
    if (m_layer->GetLayerDefn()->GetFieldCount() != static_cast<int>(fields.size()))
        throw OutputError(fmt::format("cannot create the fields of '{}': GDAL made {} of {}", path,
                                      m_layer->GetLayerDefn()->GetFieldCount(), fields.size()));
    m_extra_index = std::move(extra_position);
    if (m_ds->TestCapability(ODsCTransactions) && m_ds->StartTransaction() == OGRERR_NONE) m_in_transaction = true;
}

LayerWriter::~LayerWriter() = default;

void LayerWriter::write(GeosContext& ctx, const OGRFeature* source, const GEOSGeometry* geom,
                        const std::vector<double>& extra_values) {
    OGRGeometry* g = nullptr;
    if (geom) {
        g = OGRGeometryFactory::createFromGEOS(ctx.handle(), const_cast<GEOSGeometry*>(geom));
        if (!g) throw OutputError(fmt::format("cannot convert a geometry for '{}'", m_output.target()));
    }
    write_feature(source, g, extra_values);
}

void LayerWriter::write(const OGRFeature* source, OGRGeometryUniquePtr geom, const std::vector<double>& extra_values) {
    write_feature(source, geom.release(), extra_values);
}

void LayerWriter::write_feature(const OGRFeature* source, OGRGeometry* g, const std::vector<double>& extra_values) {
    OGRFeature feature(m_layer->GetLayerDefn());
    if (g) {
        if (wkbFlatten(m_layer->GetGeomType()) == wkbMultiPolygon) g = OGRGeometryFactory::forceToMultiPolygon(g);
        g->assignSpatialReference(m_layer->GetSpatialRef());
        feature.SetGeometryDirectly(g);
    }
    GdalErrorCapture capture;
    if (source) {
        for (int i = 0; i < m_source_field_count && i < source->GetFieldCount(); ++i)
            if (source->IsFieldSetAndNotNull(i)) feature.SetField(i, source->GetRawFieldRef(i));
        feature.SetFID(OGRNullFID);
    }
    for (std::size_t k = 0; k < m_extra_index.size() && k < extra_values.size(); ++k)
        feature.SetField(m_extra_index[k], extra_values[k]);
    if (m_driver == "ESRI Shapefile") check_text_widths(feature, source);
    if (m_layer->CreateFeature(&feature) != OGRERR_NONE)
        throw OutputError(fmt::format("cannot write feature {} to '{}': {}", m_written + 1, m_output.target(),
                                      capture.last_error()));
    ++m_written;
    if (m_rtree) m_rtree->add(feature.GetFID(), g);
    if (m_in_transaction && m_written % 20000 == 0) {
        m_ds->CommitTransaction();
        m_ds->StartTransaction();
    }
}

namespace {
// The bytes `text` (UTF-8) takes in `encoding`: as is for UTF-8; for GBK one per ASCII character, two per other.
std::size_t encoded_bytes(const std::string& text, const std::string& encoding) {
    if (encoding != "GBK") return text.size();
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8_length(static_cast<unsigned char>(text[i]));
        bytes += n == 1 ? 1 : 2;
        i += n;
    }
    return bytes;
}
}  // namespace

void LayerWriter::check_text_widths(const OGRFeature& feature, const OGRFeature* source) {
    const OGRFeatureDefn* defn = feature.GetDefnRef();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        if (defn->GetFieldDefn(i)->GetType() != OFTString || !feature.IsFieldSetAndNotNull(i)) continue;
        const std::size_t bytes = encoded_bytes(feature.GetFieldAsString(i), m_encoding);
        if (bytes <= max_shapefile_text_bytes) continue;
        if (++m_truncated > max_truncation_warnings) continue;
        std::string field = defn->GetFieldDefn(i)->GetNameRef();
        for (const auto& r : m_renamed)
            if (r.written == field) field = fmt::format("{}' (written as '{}", r.original, r.written);
        const std::string id = source && source->GetFID() != OGRNullFID
                                   ? fmt::format("feature {}", source->GetFID())
                                   : fmt::format("feature {} written", m_written + 1);
        m_warnings.push_back(fmt::format("'{}': {}: the value of field '{}' is {} bytes in {}, and a Shapefile field "
                                         "holds at most {}: it is cut to {} bytes. Write a GeoPackage (.gpkg) to "
                                         "keep it whole",
                                         m_output.target(), id, field, bytes, m_encoding, max_shapefile_text_bytes,
                                         max_shapefile_text_bytes));
    }
}

void LayerWriter::finish() {
    if (m_truncated > max_truncation_warnings)
        m_warnings.push_back(fmt::format("'{}': {} more text value(s) longer than {} bytes cut (the first {} are "
                                         "listed above)",
                                         m_output.target(), m_truncated - max_truncation_warnings,
                                         max_shapefile_text_bytes, max_truncation_warnings));
    GdalErrorCapture capture;
    if (m_in_transaction && m_ds->CommitTransaction() != OGRERR_NONE)
        throw OutputError(fmt::format("cannot commit '{}': {}", m_output.target(), capture.last_error()));
    m_in_transaction = false;
    if (m_driver == "GPKG" && !m_role.empty())
        write_layer_styles(*m_ds, {{m_layer->GetName(), m_role}}, m_output.target());
    if (m_rtree) m_rtree->before_close(*m_ds, *m_layer, m_output.target());
    m_ds.reset();  // closes the dataset; GDAL reports failures through the captured errors
    if (capture.has_error())
        throw OutputError(fmt::format("cannot finish writing '{}': {}", m_output.target(), capture.last_error()));
    if (m_rtree) m_rtree->after_close(m_output.temp_path());
    if (m_driver == "ESRI Shapefile" && m_encoding == "GBK") {
        // Code page 936 (GBK) in the .cpg, which ArcGIS and GDAL read, beside the DBF's language driver id 0x4D.
        fs::path cpg(m_output.temp_path());
        cpg.replace_extension(".cpg");
        std::ofstream file(cpg, std::ios::binary);
        file << "936";
        file.flush();
        if (!file) throw OutputError(fmt::format("cannot write '{}'", cpg.string()));
    }
    m_output.commit();
}

}  // namespace zk
