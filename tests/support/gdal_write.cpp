#include "gdal_write.hpp"

#include <cpl_string.h>

#include <filesystem>
#include <stdexcept>

namespace fs = std::filesystem;

namespace zk::test {

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
        if (layer->CreateField(&fd) != OGRERR_NONE) throw std::runtime_error("cannot create field " + f);
    }
    // One transaction: a large grid is written in seconds rather than minutes.
    const bool transaction = ds->StartTransaction() == OGRERR_NONE;
    for (const auto& f : features) {
        OGRFeature feature(layer->GetLayerDefn());
        for (std::size_t i = 0; i < f.values.size(); ++i) feature.SetField(static_cast<int>(i), f.values[i].c_str());
        if (!f.wkt.empty()) {
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkt(f.wkt.c_str(), nullptr, &g) != OGRERR_NONE)
                throw std::runtime_error("bad WKT " + f.wkt);
            feature.SetGeometryDirectly(g);
        }
        feature.SetFID(f.fid);
        if (layer->CreateFeature(&feature) != OGRERR_NONE) throw std::runtime_error("cannot write feature");
    }
    if (transaction && ds->CommitTransaction() != OGRERR_NONE) throw std::runtime_error("cannot commit " + path);
}

}  // namespace zk::test
