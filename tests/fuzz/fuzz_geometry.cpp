// libFuzzer target: the geometry pipeline fed arbitrary WKB, the way a real layer reaches it.
//
// Input: one control byte, then the WKB. The WKB is written, hex-encoded, as the geometry of the one feature
// of an in-memory CSV layer (/vsimem/; GDAL's CSV driver reads a hex WKB in a WKT column with the same WKB
// parser the GeoPackage and PostGIS drivers use), which zonekit then reads like any file, its CRS given as
// --assume-crs would. (A GeoPackage would be closer to life, but opening one costs 20 ms of SQLite setup per
// input, 50 times the rest.) Then:
//   info    — Source::open, describe, scan_geometries (validity of every geometry, in the layer's CRS);
//   area    — LayerReader into the analysis CRS with validation, measure_layer (plan, ellip, geod);
//   overlay — the layer as A against a fixed 100 m square (or 0.01° cell) as B, one worker thread.
// Control byte: bit 0 the layer's CRS (0: EPSG:4544 metres, 1: EPSG:4490 degrees), bit 1 --make-valid,
// bits 2–4 the overlay operation (intersection, union, identity, difference, symdifference, clip, erase).
// A rejection is a zk::InputError or zk::GeosError (exit 2 in the CLI); any other exception, a crash or a
// sanitizer report is a finding. Also built with g++ into fuzz_geometry_replay for CTest.
#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/area_table.hpp"
#include "zonekit/ops/overlay.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

const char* const shape_path = "/vsimem/zk_fuzz/shape.csv";

struct Setting {
    zk::SourceOptions options;  // assume_crs: the layer's CRS
    std::string square_path;    // B of the overlay, in the same CRS
};

void write_file(const std::string& path, const std::string& text) {
    VSILFILE* f = VSIFOpenL(path.c_str(), "wb");
    if (!f) __builtin_trap();
    VSIFWriteL(text.data(), 1, text.size(), f);
    VSIFCloseL(f);
}

const std::vector<Setting>& settings() {
    static const std::vector<Setting> all = [] {
        zk::gdal_init();
        CPLSetErrorHandler(CPLQuietErrorHandler);  // zonekit captures what it reports; the rest is noise here
        std::vector<Setting> out(2);
        out[0].options.assume_crs = zk::Crs::from_epsg(4544);
        out[0].square_path = "/vsimem/zk_fuzz/square_4544.csv";
        write_file(out[0].square_path,
                   "WKT,name\n\"POLYGON((500000 3400000,500100 3400000,500100 3400100,500000 3400100,500000 "
                   "3400000))\",square\n");
        out[1].options.assume_crs = zk::Crs::from_epsg(4490);
        out[1].square_path = "/vsimem/zk_fuzz/square_4490.csv";
        write_file(out[1].square_path,
                   "WKT,name\n\"POLYGON((103.60 30.70,103.61 30.70,103.61 30.71,103.60 30.71,103.60 30.70))\",square\n");
        return out;
    }();
    return all;
}

void store(const std::uint8_t* wkb, std::size_t size) {
    static const char* digits = "0123456789ABCDEF";
    std::string text = "WKT,name\n";
    text.reserve(text.size() + 2 * size + 8);
    for (std::size_t i = 0; i < size; ++i) {
        text += digits[wkb[i] >> 4];
        text += digits[wkb[i] & 15];
    }
    text += ",shape\n";
    write_file(shape_path, text);
}

void run_pipeline(const Setting& setting, bool make_valid, int op) {
    zk::SourceOptions source_options = setting.options;
    source_options.strict = !make_valid;  // --strict refuses invalid polygons; without it they are repaired
    const zk::Source source = zk::Source::open(shape_path, source_options);
    const zk::Source square_source = zk::Source::open(setting.square_path, source_options);
    OGRLayer* layer = source.layer("");
    OGRLayer* square = square_source.layer("");
    zk::scan_geometries(source, layer, "");  // info

    std::vector<std::string> notes;
    const zk::Crs analysis =
        zk::choose_analysis_crs({source.describe(layer), square_source.describe(square)}, {}, notes);

    zk::ReadOptions read;  // area
    zk::LayerReader reader(source, layer, analysis, read);
    zk::MeasureOptions measure;
    measure.skip_empty = true;
    try {
        zk::measure_layer(reader, analysis, measure);
    } catch (const zk::InputError&) {
        // e.g. an invalid polygon with --strict; the overlay below still runs, as a separate command would
    }

    zk::ReadOptions a_read;  // overlay
    a_read.defer_geos = true;
    zk::LayerReader a_reader(source, layer, analysis, a_read);
    zk::LayerReader b_reader(square_source, square, analysis, {});
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
    const auto& all = settings();
    const Setting& setting = all[data[0] & 1];
    const bool make_valid = (data[0] & 2) != 0;
    const int op = ((data[0] >> 2) & 7) % 7;
    store(data + 1, size - 1);
    try {
        run_pipeline(setting, make_valid, op);
    } catch (const zk::InputError&) {
    } catch (const zk::GeosError&) {
    }
    return 0;
}
