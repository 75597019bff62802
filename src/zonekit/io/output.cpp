#include "zonekit/io/output.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/io/layer_styles.hpp"

#include <cpl_string.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace fs = std::filesystem;

namespace zk {

namespace {
std::string lower_ext(const std::string& path) { return ascii_lower(fs::path(path).extension().string()); }

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
        if (cut_name(names[i], enc, max_bytes) == names[i] && taken.insert(ascii_lower(names[i])).second)
            out[i] = names[i];
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (!out[i].empty()) continue;
        std::string candidate = cut_name(names[i], enc, max_bytes);
        for (int k = 1; !taken.insert(ascii_lower(candidate)).second; ++k) {
            const std::string suffix = fmt::format("_{}", k);
            candidate = cut_name(names[i], enc, max_bytes > suffix.size() ? max_bytes - suffix.size() : 0) + suffix;
        }
        out[i] = candidate;
    }
    return out;
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
    // GeoPackage is written by SQLite, which checks every write and sync itself; the other drivers write
    // through the checked file system (output_files.hpp), whose failures commit() reports.
    const std::string gdal_path = m_driver == "GPKG" ? m_output.temp_path() : m_output.gdal_path();
    m_ds.reset(driver->Create(gdal_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!m_ds) throw OutputError(fmt::format("cannot create '{}': {}", path, why(capture)));
    CPLStringList layer_options = layer_creation_options(m_driver, options, m_encoding);
    // A GeoPackage's spatial index is packed by finish() from the boxes collected here (see gpkg_rtree.hpp).
    if (m_driver == "GPKG" && geom_type != wkbNone) {
        layer_options.SetNameValue("SPATIAL_INDEX", "NO");
        m_rtree = std::make_unique<RtreeCollector>(options.rtree_limit);
    }
    OGRSpatialReference srs(crs.srs());
    m_layer = m_ds->CreateLayer(layer_name.c_str(), &srs, geom_type, layer_options.List());
    if (!m_layer) throw OutputError(fmt::format("cannot create layer '{}' in '{}': {}", layer_name, path, why(capture)));

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
                                          why(capture)));
    // Where each field went: a driver may have fields of its own before them (KML's Name and Description).
    for (auto& fd : fields) {
        const int at = m_layer->GetLayerDefn()->GetFieldIndex(fd->GetNameRef());
        if (at < 0)
            throw OutputError(fmt::format("cannot create field '{}' in '{}': the {} driver did not keep it", fd->GetNameRef(),
                                          path, m_driver));
        m_field_index.push_back(at);
    }
    for (int& at : extra_position) at = m_field_index[static_cast<std::size_t>(at)];
    m_extra_index = std::move(extra_position);
    if (m_ds->TestCapability(ODsCTransactions) && m_ds->StartTransaction() == OGRERR_NONE) m_in_transaction = true;
}

LayerWriter::~LayerWriter() = default;

std::string LayerWriter::why(const GdalErrorCapture& capture) const {
    std::string failure = m_output.write_failure();  // the system's reason beats a driver's "Failure writing …"
    return failure.empty() ? capture.last_error() : failure;
}

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
            if (source->IsFieldSetAndNotNull(i))
                feature.SetField(m_field_index[static_cast<std::size_t>(i)], source->GetRawFieldRef(i));
        feature.SetFID(OGRNullFID);
    }
    for (std::size_t k = 0; k < m_extra_index.size() && k < extra_values.size(); ++k)
        feature.SetField(m_extra_index[k], extra_values[k]);
    if (m_driver == "ESRI Shapefile") check_text_widths(feature, source);
    if (m_layer->CreateFeature(&feature) != OGRERR_NONE)
        throw OutputError(fmt::format("cannot write feature {} to '{}': {}", m_written + 1, m_output.target(),
                                      why(capture)));
    // What the driver could not hold but wrote anyway (a number too wide for its DBF field) is said, named.
    for (const auto& said : capture.take())
        if (said.find("truncated") == std::string::npos &&  // text cut: said above, with its length
            ++m_driver_warnings <= max_truncation_warnings)
            m_warnings.push_back(fmt::format("'{}': feature {} written: {}", m_output.target(), m_written + 1, said));
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
    if (m_driver_warnings > max_truncation_warnings)
        m_warnings.push_back(fmt::format("'{}': {} more value(s) the format could not hold (the first {} are listed "
                                         "above)",
                                         m_output.target(), m_driver_warnings - max_truncation_warnings,
                                         max_truncation_warnings));
    GdalErrorCapture capture;
    if (m_in_transaction && m_ds->CommitTransaction() != OGRERR_NONE)
        throw OutputError(fmt::format("cannot commit '{}': {}", m_output.target(), why(capture)));
    m_in_transaction = false;
    if (m_driver == "GPKG" && !m_role.empty())
        write_layer_styles(*m_ds, {{m_layer->GetName(), m_role}}, m_output.target());
    if (m_rtree) m_rtree->before_close(*m_ds, *m_layer, m_output.target());
    m_ds.reset();  // closes the dataset; GDAL reports failures through the captured errors
    if (capture.has_error())
        throw OutputError(fmt::format("cannot finish writing '{}': {}", m_output.target(), why(capture)));
    if (m_rtree) m_rtree->after_close(m_output.temp_path());
    if (m_driver == "ESRI Shapefile" && m_encoding == "GBK") {
        // Code page 936 (GBK) in the .cpg, which ArcGIS and GDAL read, beside the DBF's language driver id 0x4D.
        fs::path cpg(m_output.temp_path());
        cpg.replace_extension(".cpg");
        VSILFILE* file = VSIFOpenL(checked_gdal_path(cpg.string()).c_str(), "wb");
        if (file) {
            VSIFWriteL("936", 1, 3, file);
            VSIFCloseL(file);  // a failure is recorded for commit() to report
        }
    }
    m_output.commit();
}

}  // namespace zk
