// libFuzzer target: the geometry pipeline fed arbitrary WKB, the way a real layer reaches it.
//
// Input: one control byte, then the WKB. The WKB is stored as feature 1's geometry in an in-memory GeoPackage
// (/vsimem/, behind a standard GeoPackage geometry header), which zonekit then reads like any file:
//   info    — Source::open, describe, scan_geometries (validity of every geometry, in the layer's CRS);
//   area    — LayerReader into the analysis CRS with validation, measure_layer (plan, ellip, geod);
//   overlay — the layer as A against a fixed 100 m square (or 0.01° cell) as B, one worker thread.
// Control byte: bit 0 the layer's CRS (0: EPSG:4544 metres, 1: EPSG:4490 degrees), bit 1 --make-valid,
// bits 2–4 the overlay operation (intersection, union, identity, difference, symdifference, clip, erase).
// A rejection is a zk::InputError or zk::GeosError (exit 2 in the CLI); any other exception, a crash or a
// sanitizer report is a finding. Also built with g++ into fuzz_geometry_replay for CTest.
#include "zonekit/area_table.hpp"
#include "zonekit/error.hpp"
#include "zonekit/gdal_errors.hpp"
#include "zonekit/overlay.hpp"
#include "zonekit/source.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

namespace {

struct Template {
    std::string path;
    std::string header;  // GeoPackage geometry header: "GP", version 0, flags 1 (little endian, no envelope), srs_id
};

[[noreturn]] void setup_failed(const char* what) {
    std::fprintf(stderr, "fuzz_geometry: setup failed: %s: %s\n", what, CPLGetLastErrorMsg());
    std::abort();
}

// A GeoPackage in /vsimem/ with layer "shape" (any geometry type; feature 1 is replaced by each input) and
// layer "square" (the fixed B of the overlay), both in `epsg`.
Template make_template(int epsg, const char* shape_wkt, const char* square_wkt) {
    Template t;
    t.path = "/vsimem/zk_fuzz_" + std::to_string(epsg) + ".gpkg";
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    GDALDatasetUniquePtr ds(driver->Create(t.path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) setup_failed("create");
    OGRSpatialReference srs;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    srs.importFromEPSG(epsg);
    const char* options[] = {"SPATIAL_INDEX=NO", nullptr};
    for (const auto& [name, type, wkt] : {std::tuple{"shape", wkbUnknown, shape_wkt},
                                          std::tuple{"square", wkbPolygon, square_wkt}}) {
        OGRLayer* layer = ds->CreateLayer(name, &srs, type, const_cast<char**>(options));
        if (!layer) setup_failed("layer");
        OGRFieldDefn field("name", OFTString);
        layer->CreateField(&field);
        OGRFeature feature(layer->GetLayerDefn());
        feature.SetField(0, name);
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkt(wkt, nullptr, &g);
        feature.SetGeometryDirectly(g);
        if (layer->CreateFeature(&feature) != OGRERR_NONE) setup_failed("feature");
    }
    OGRLayer* srs_id = ds->ExecuteSQL("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'shape'", nullptr,
                                      nullptr);
    if (!srs_id) setup_failed("srs_id");
    OGRFeatureUniquePtr row(srs_id->GetNextFeature());
    const std::uint32_t id = row ? static_cast<std::uint32_t>(row->GetFieldAsInteger(0)) : 0;
    ds->ReleaseResultSet(srs_id);
    t.header = std::string("GP\x00\x01", 4);
    for (int k = 0; k < 4; ++k) t.header += static_cast<char>((id >> (8 * k)) & 0xFF);
    return t;
}

const std::vector<Template>& templates() {
    static const std::vector<Template> all = [] {
        zk::gdal_init();
        CPLSetErrorHandler(CPLQuietErrorHandler);  // zonekit captures what it reports; the rest is noise here
        return std::vector<Template>{
            make_template(4544, "POLYGON((500050 3400050,500150 3400050,500150 3400150,500050 3400050))",
                          "POLYGON((500000 3400000,500100 3400000,500100 3400100,500000 3400100,500000 3400000))"),
            make_template(4490, "POLYGON((103.605 30.705,103.615 30.705,103.615 30.715,103.605 30.705))",
                          "POLYGON((103.60 30.70,103.61 30.70,103.61 30.71,103.60 30.71,103.60 30.70))")};
    }();
    return all;
}

std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

void store(const Template& t, const std::string& wkb) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(t.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    if (!ds) setup_failed("reopen");
    const std::string sql = "UPDATE shape SET geom = X'" + hex(t.header + wkb) + "' WHERE fid = 1";
    ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
}

void run_pipeline(const Template& t, bool make_valid, int op) {
    const zk::Source source = zk::Source::open(t.path);
    OGRLayer* layer = source.layer("shape");
    OGRLayer* square = source.layer("square");
    zk::scan_geometries(source, layer, "");  // info

    std::vector<std::string> notes;
    const zk::Crs analysis = zk::choose_analysis_crs({source.describe(layer), source.describe(square)}, {}, notes);

    zk::ReadOptions read;  // area
    read.validate = true;
    read.make_valid = make_valid;
    zk::LayerReader reader(source, layer, analysis, read);
    zk::MeasureOptions measure;
    measure.make_valid = make_valid;
    measure.skip_empty = true;
    try {
        zk::measure_layer(reader, analysis, measure);
    } catch (const zk::InputError&) {
        // e.g. an invalid polygon without --make-valid; the overlay below still runs, as a separate command would
    }

    zk::ReadOptions a_read;  // overlay
    a_read.defer_geos = true;
    zk::LayerReader a_reader(source, layer, analysis, a_read);
    zk::LayerReader b_reader(source, square, analysis, {});
    zk::GeosContext ctx;
    std::vector<std::int64_t> skipped;
    const zk::ZoneLayer zones = zk::load_zones(ctx, b_reader, skipped);
    zk::OverlayOptions options;
    options.op = static_cast<zk::OverlayOp>(op);
    options.threads = 1;
    options.ogr_geometry = true;
    const zk::FeatureSource next = [&a_reader](zk::GeosContext& c, zk::Feature& f) {
        if (!a_reader.next(c, f)) return false;
        if (!zk::is_polygonal_or_empty(c, f)) throw zk::InputError("not a polygon");
        return true;
    };
    zk::run_overlay(next, zones, analysis, options, [](zk::GeosContext&, const zk::OverlayPiece& p) {
        if (p.ogr && *p.ogr && (*p.ogr)->IsEmpty() && p.areas.plan > 0) __builtin_trap();  // area of nothing
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const auto& all = templates();
    const Template& t = all[data[0] & 1];
    const bool make_valid = (data[0] & 2) != 0;
    const int op = ((data[0] >> 2) & 7) % 7;
    store(t, std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    try {
        run_pipeline(t, make_valid, op);
    } catch (const zk::InputError&) {
    } catch (const zk::GeosError&) {
    }
    return 0;
}
