#include "zonekit/output.hpp"

#include "zonekit/error.hpp"
#include "zonekit/gdal_errors.hpp"

#include <cpl_string.h>
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <random>

namespace fs = std::filesystem;

namespace zk {

namespace {
std::string lower_ext(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

bool same_file(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
    return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

std::string unique_suffix() {
    std::random_device rd;
    return fmt::format("{}-{:08x}", ::getpid(), rd());
}

const char* shapefile_sidecars[] = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"};
}  // namespace

void check_output_path(const std::string& target, const OutputOptions& options) {
    for (const auto& input : options.inputs)
        if (!input.empty() && same_file(target, input))
            throw OutputError(fmt::format("output '{}' is also an input; inputs are never modified. Choose another "
                                          "output path",
                                          target));
    std::error_code ec;
    if (fs::exists(target, ec) && !options.overwrite)
        throw OutputError(fmt::format("output '{}' exists. Pass --overwrite to replace it", target));
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
    if (ext == ".geojson" || ext == ".json") return "GeoJSON";
    if (ext == ".shp") return "ESRI Shapefile";
    if (ext == ".fgb") return "FlatGeobuf";
    if (ext == ".kml") return "KML";
    throw OutputError(fmt::format("cannot tell the format of '{}' from its extension. Use .gpkg, .geojson, .shp, "
                                  ".fgb or .kml",
                                  path));
}

bool is_vector_output(const std::string& path) {
    const std::string ext = lower_ext(path);
    return ext == ".gpkg" || ext == ".geojson" || ext == ".shp" || ext == ".fgb" || ext == ".kml";
}

LayerWriter::LayerWriter(const std::string& path, const std::string& layer_name, const Crs& crs,
                         OGRwkbGeometryType geom_type, const OGRFeatureDefn* source_fields,
                         const std::vector<ExtraField>& extra, const OutputOptions& options)
    : m_output(path, options), m_driver(driver_for(path)) {
    gdal_init();
    GdalErrorCapture capture;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(m_driver.c_str());
    if (!driver) throw OutputError(fmt::format("GDAL has no '{}' driver to write '{}'", m_driver, path));
    m_ds.reset(driver->Create(m_output.temp_path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!m_ds) throw OutputError(fmt::format("cannot create '{}': {}", path, capture.last_error()));
    CPLStringList layer_options;
    if (m_driver == "GeoJSON") {
        layer_options.SetNameValue("RFC7946", "YES");
        layer_options.SetNameValue("WRITE_NAME", "NO");
    }
    if (m_driver == "ESRI Shapefile") layer_options.SetNameValue("ENCODING", "UTF-8");
    OGRSpatialReference srs(crs.srs());
    m_layer = m_ds->CreateLayer(layer_name.c_str(), &srs, geom_type, layer_options.List());
    if (!m_layer) throw OutputError(fmt::format("cannot create layer '{}' in '{}': {}", layer_name, path, capture.last_error()));
    if (source_fields) {
        m_source_field_count = source_fields->GetFieldCount();
        for (int i = 0; i < m_source_field_count; ++i) {
            OGRFieldDefn fd(source_fields->GetFieldDefn(i));
            if (m_layer->CreateField(&fd) != OGRERR_NONE)
                throw OutputError(fmt::format("cannot create field '{}' in '{}': {}", fd.GetNameRef(), path,
                                              capture.last_error()));
        }
    }
    for (const auto& field : extra) {
        OGRFieldDefn fd(field.name.c_str(), field.type);
        if (m_layer->CreateField(&fd) != OGRERR_NONE)
            throw OutputError(fmt::format("cannot create field '{}' in '{}': {}", field.name, path, capture.last_error()));
        m_extra_index.push_back(m_layer->GetLayerDefn()->GetFieldIndex(field.name.c_str()));
    }
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
    if (m_layer->CreateFeature(&feature) != OGRERR_NONE)
        throw OutputError(fmt::format("cannot write feature {} to '{}': {}", m_written + 1, m_output.target(),
                                      capture.last_error()));
    ++m_written;
    if (m_in_transaction && m_written % 20000 == 0) {
        m_ds->CommitTransaction();
        m_ds->StartTransaction();
    }
}

void LayerWriter::finish() {
    GdalErrorCapture capture;
    if (m_in_transaction && m_ds->CommitTransaction() != OGRERR_NONE)
        throw OutputError(fmt::format("cannot commit '{}': {}", m_output.target(), capture.last_error()));
    m_in_transaction = false;
    m_ds.reset();  // closes the dataset; GDAL reports failures through the captured errors
    if (capture.has_error())
        throw OutputError(fmt::format("cannot finish writing '{}': {}", m_output.target(), capture.last_error()));
    m_output.commit();
}

}  // namespace zk
