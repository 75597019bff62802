#include "gdal_read.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <geodesic.h>

#include <cmath>

namespace zk::test {

GDALDatasetUniquePtr open_read(const std::string& path) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    INFO("opening " << path);
    REQUIRE(ds);
    return ds;
}

std::vector<std::vector<std::string>> query(GDALDataset& ds, const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    INFO(sql);
    REQUIRE(result);
    for (auto& f : *result) {
        std::vector<std::string> row;
        for (int i = 0; i < f->GetFieldCount(); ++i)
            row.emplace_back(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "NULL");
        rows.push_back(row);
    }
    ds.ReleaseResultSet(result);
    return rows;
}

std::vector<std::vector<std::string>> query(const std::string& path, const std::string& sql) {
    return query(*open_read(path), sql);
}

namespace {
std::vector<FeatureFields> fields_of(OGRLayer& layer) {
    std::vector<FeatureFields> rows;
    for (auto& f : layer) {
        FeatureFields r;
        for (int i = 0; i < f->GetFieldCount(); ++i) {
            const std::string name = f->GetFieldDefnRef(i)->GetNameRef();
            r.text[name] = f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "NULL";
            r.real[name] = f->GetFieldAsDouble(i);
        }
        rows.push_back(r);
    }
    return rows;
}
}  // namespace

std::vector<FeatureFields> read_features(const std::string& path, const std::string& layer) {
    const GDALDatasetUniquePtr ds = open_read(path);
    OGRLayer* l = layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layer.c_str());
    INFO("layer '" << layer << "' of " << path);
    REQUIRE(l);
    return fields_of(*l);
}

std::map<std::string, std::vector<FeatureFields>> read_all(const std::string& path) {
    const GDALDatasetUniquePtr ds = open_read(path);
    std::map<std::string, std::vector<FeatureFields>> out;
    for (OGRLayer* layer : ds->GetLayers()) out[layer->GetName()] = fields_of(*layer);
    return out;
}

double sum_field(const std::string& path, const std::string& layer, const std::string& field) {
    const GDALDatasetUniquePtr ds = open_read(path);
    OGRLayer* l = ds->GetLayerByName(layer.c_str());
    INFO("layer " << layer << " of " << path);
    REQUIRE(l);
    double sum = 0;
    for (auto& f : *l) sum += f->GetFieldAsDouble(field.c_str());
    return sum;
}

std::vector<std::string> dump_features(const std::string& path) {
    const GDALDatasetUniquePtr ds = open_read(path);
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

OGRGeometryUniquePtr geometry(const std::string& wkt) {
    OGRGeometry* g = nullptr;
    INFO(wkt);
    REQUIRE(OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) == OGRERR_NONE);
    return OGRGeometryUniquePtr(g);
}

double gdal_plan_area(const std::string& path, const std::string& layer, int epsg) {
    const GDALDatasetUniquePtr ds = open_read(path);
    OGRSpatialReference target;
    target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (epsg) REQUIRE(target.importFromEPSG(epsg) == OGRERR_NONE);
    double sum = 0;
    for (OGRLayer* l : ds->GetLayers()) {
        if (!layer.empty() && layer != l->GetName()) continue;
        for (auto& f : *l) {
            const OGRGeometry* g = f->GetGeometryRef();
            if (!g) continue;
            OGRGeometryUniquePtr copy(g->getLinearGeometry());
            if (epsg) REQUIRE(copy->transformTo(&target) == OGRERR_NONE);
            sum += OGR_G_Area(OGRGeometry::ToHandle(copy.get()));
        }
    }
    return sum;
}

namespace {
double ring_geodesic_area(const geod_geodesic& geod, const OGRLinearRing& ring) {
    std::vector<double> lat, lon;
    for (const auto& p : ring) {
        lon.push_back(p.getX());
        lat.push_back(p.getY());
    }
    double area = 0, perimeter = 0;
    geod_polygonarea(&geod, lat.data(), lon.data(), static_cast<int>(lat.size()), &area, &perimeter);
    return std::abs(area);
}
}  // namespace

double geodesic_area(const std::string& path, const std::string& layer) {
    geod_geodesic geod;
    geod_init(&geod, 6378137.0, 1 / 298.257222101);  // CGCS2000
    const GDALDatasetUniquePtr ds = open_read(path);
    OGRLayer* l = ds->GetLayerByName(layer.c_str());
    INFO("layer " << layer << " of " << path);
    REQUIRE(l);
    REQUIRE(l->GetSpatialRef());
    REQUIRE(l->GetSpatialRef()->IsGeographic());
    double sum = 0;
    for (auto& f : *l) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g) continue;
        OGRGeometryUniquePtr polygons(OGRGeometryFactory::forceToMultiPolygon(g->clone()));
        for (const OGRPolygon* p : *polygons->toMultiPolygon()) {
            bool outer = true;
            for (const OGRLinearRing* ring : *p) {
                sum += (outer ? 1 : -1) * ring_geodesic_area(geod, *ring);
                outer = false;
            }
        }
    }
    return sum;
}

}  // namespace zk::test
