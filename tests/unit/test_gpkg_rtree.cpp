// The GeoPackage spatial index packed by LayerWriter (gpkg_rtree.cpp): SQLite's own rtreecheck() finds it
// sound, range queries on it return exactly the features a brute-force scan of the known boxes finds, GDAL
// uses it for spatial filters, its triggers and gpkg_extensions row are those GDAL itself writes (compared
// with a GeoPackage GDAL made), and edits through GDAL keep it up to date.
#include "zonekit/base/gdal_errors.hpp"
#include "zonekit/geometry/crs.hpp"
#include "zonekit/io/gpkg_rtree.hpp"
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/io/output.hpp"

#include "support/sqlite_read.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>

using namespace zk;
namespace fs = std::filesystem;

namespace {

struct Box {
    double minx, maxx, miny, maxy;
};

using Dir = zk::test::TempDir;

OGRGeometryUniquePtr square(const Box& b) {
    auto ring = std::make_unique<OGRLinearRing>();
    ring->addPoint(b.minx, b.miny);
    ring->addPoint(b.maxx, b.miny);
    ring->addPoint(b.maxx, b.maxy);
    ring->addPoint(b.minx, b.maxy);
    ring->addPoint(b.minx, b.miny);
    auto poly = std::make_unique<OGRPolygon>();
    poly->addRingDirectly(ring.release());
    return OGRGeometryUniquePtr(poly.release());
}

// Boxes with whole-metre corners near (500 km, 3400 km): exact as floats (below 2^24), so the index's float
// boxes equal them and a query must return exactly the brute-force answer.
std::vector<Box> boxes(std::size_t n) {
    std::vector<Box> out;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> pos(0, 20000), size(1, 300);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = 500000 + pos(rng), y = 3400000 + pos(rng);
        out.push_back({x, x + size(rng), y, y + size(rng)});
    }
    return out;
}

// The GeoPackage read with SQLite itself, and the ids its R*Tree gives for a window.
struct Sqlite : zk::test::SqliteDb {
    using SqliteDb::SqliteDb;
    std::set<std::int64_t> ids(const std::string& rtree, const Box& w) const {
        std::set<std::int64_t> out;
        for (const auto& r : rows(fmt::format("SELECT id FROM \"{}\" WHERE minx <= {} AND maxx >= {} AND miny <= {} AND "
                                              "maxy >= {}",
                                              rtree, w.maxx, w.minx, w.maxy, w.miny)))
            out.insert(std::stoll(r[0]));
        return out;
    }
};

bool meets(const Box& a, const Box& w) {
    return a.minx <= w.maxx && a.maxx >= w.minx && a.miny <= w.maxy && a.maxy >= w.miny;
}

// Writes `boxes` through LayerWriter (feature k gets fid k + 1), with a null and an empty geometry after
// every 1000th box, which the index must leave out. Returns the fid → box map of the non-empty ones.
std::map<std::int64_t, Box> write_boxes(const std::string& path, const std::string& layer, const std::vector<Box>& all,
                                        std::size_t rtree_limit = RtreeCollector::default_limit) {
    gdal_init();
    OutputOptions options;
    options.rtree_limit = rtree_limit;
    LayerWriter writer(path, layer, Crs::from_epsg(4544), wkbMultiPolygon, nullptr, {{"k", OFTReal}}, options);
    std::map<std::int64_t, Box> by_fid;
    std::int64_t fid = 0;
    for (std::size_t k = 0; k < all.size(); ++k) {
        writer.write(nullptr, square(all[k]), {static_cast<double>(k)});
        by_fid[++fid] = all[k];
        if (k % 1000 == 999) {
            writer.write(nullptr, nullptr, {-1.0});
            writer.write(nullptr, OGRGeometryUniquePtr(new OGRMultiPolygon), {-2.0});
            fid += 2;
        }
    }
    writer.finish();
    return by_fid;
}

}  // namespace

TEST_CASE("LayerWriter packs a sound GeoPackage R-tree that answers range queries exactly", "[output][rtree]") {
    Dir dir;
    const std::string path = dir / "boxes.gpkg";
    const std::vector<Box> all = boxes(5000);
    const auto by_fid = write_boxes(path, "boxes", all);
    Sqlite db(path);
    CHECK(db.one("SELECT rtreecheck('rtree_boxes_geom')") == "ok");
    CHECK(db.one("SELECT count(*) FROM rtree_boxes_geom") == "5000");
    CHECK(db.one("SELECT count(*) FROM boxes") == "5010");  // with the 5 null and 5 empty geometries
    // 5000 boxes, 51 per node: 99 leaves, 2 inner nodes, the root: depth 2 in the root's first two bytes.
    CHECK(db.one("SELECT hex(substr(data, 1, 2)) FROM rtree_boxes_geom_node WHERE nodeno = 1") == "0002");
    CHECK(db.one("SELECT count(*) FROM rtree_boxes_geom_node") == "102");
    // Each indexed box is the feature's own.
    for (const auto& r : db.rows("SELECT id, minx, maxx, miny, maxy FROM rtree_boxes_geom WHERE id % 97 = 0")) {
        const Box& b = by_fid.at(std::stoll(r[0]));
        CHECK(std::stod(r[1]) == b.minx);
        CHECK(std::stod(r[2]) == b.maxx);
        CHECK(std::stod(r[3]) == b.miny);
        CHECK(std::stod(r[4]) == b.maxy);
    }
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> pos(-500, 20500), size(0, 3000);
    for (int q = 0; q < 50; ++q) {
        const double x = 500000 + pos(rng), y = 3400000 + pos(rng);
        const Box w{x, x + size(rng), y, y + size(rng)};
        std::set<std::int64_t> expected;
        for (const auto& [fid, b] : by_fid)
            if (meets(b, w)) expected.insert(fid);
        CHECK(db.ids("rtree_boxes_geom", w) == expected);
    }

    // GDAL takes it as the layer's spatial index and filters with it.
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    OGRLayer* layer = ds->GetLayerByName("boxes");
    REQUIRE(layer);
    CHECK(layer->TestCapability(OLCFastSpatialFilter));
    const Box w{505000, 507500, 3405000, 3406000};
    layer->SetSpatialFilterRect(w.minx, w.miny, w.maxx, w.maxy);
    std::set<std::int64_t> got;
    for (auto& f : *layer) got.insert(f->GetFID());
    std::set<std::int64_t> expected;
    for (const auto& [fid, b] : by_fid)
        if (meets(b, w)) expected.insert(fid);
    CHECK(!expected.empty());
    CHECK(got == expected);
}

TEST_CASE("The packed index has GDAL's own triggers and extension row, and GDAL's edits keep it current",
          "[output][rtree]") {
    Dir dir;
    const std::string layer_name = "地块 parcels";  // a name that needs quoting, in UTF-8
    const std::string ours = dir / "ours.gpkg";
    write_boxes(ours, layer_name, boxes(120));

    // The same table written by GDAL with its default spatial index.
    const std::string theirs = dir / "gdal.gpkg";
    {
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        GDALDatasetUniquePtr ds(driver->Create(theirs.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        REQUIRE(ds);
        OGRSpatialReference srs(Crs::from_epsg(4544).srs());
        OGRLayer* layer = ds->CreateLayer(layer_name.c_str(), &srs, wkbMultiPolygon, nullptr);
        REQUIRE(layer);
        OGRFeature f(layer->GetLayerDefn());
        f.SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(square({500000, 500010, 3400000, 3400010}).release()));
        REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
    }
    const std::string triggers =
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree%' ORDER BY name";
    const std::string extension = "SELECT * FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'";
    const std::string shadow = "SELECT name, sql FROM sqlite_master WHERE name LIKE 'rtree%' AND type = 'table' ORDER BY name";
    {
        Sqlite a(ours), b(theirs);
        CHECK(a.rows(triggers).size() == 6);
        CHECK(a.rows(triggers) == b.rows(triggers));
        CHECK(a.rows(extension) == b.rows(extension));
        CHECK(a.rows(shadow) == b.rows(shadow));
        CHECK(a.one("SELECT rtreecheck('rtree_地块 parcels_geom')") == "ok");
    }

    // Edits through GDAL: delete fid 1, move fid 2 far away, add a feature; the triggers follow.
    {
        GDALDatasetUniquePtr ds(GDALDataset::Open(ours.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        REQUIRE(ds);
        OGRLayer* layer = ds->GetLayerByName(layer_name.c_str());
        REQUIRE(layer);
        REQUIRE(layer->DeleteFeature(1) == OGRERR_NONE);
        OGRFeatureUniquePtr f(layer->GetFeature(2));
        REQUIRE(f);
        f->SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(square({600000, 600100, 3500000, 3500100}).release()));
        REQUIRE(layer->SetFeature(f.get()) == OGRERR_NONE);
        OGRFeature added(layer->GetLayerDefn());
        added.SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(square({600050, 600060, 3500050, 3500060}).release()));
        REQUIRE(layer->CreateFeature(&added) == OGRERR_NONE);
    }
    Sqlite a(ours);
    CHECK(a.one("SELECT rtreecheck('rtree_地块 parcels_geom')") == "ok");
    CHECK(a.one("SELECT count(*) FROM \"rtree_地块 parcels_geom\" WHERE id = 1") == "0");
    CHECK(a.ids("rtree_地块 parcels_geom", {599000, 601000, 3499000, 3501000}) == std::set<std::int64_t>{2, 121});
}

TEST_CASE("An empty GeoPackage layer still gets its (empty) spatial index", "[output][rtree]") {
    Dir dir;
    const std::string path = dir / "empty.gpkg";
    write_boxes(path, "empty", {});
    Sqlite db(path);
    CHECK(db.one("SELECT rtreecheck('rtree_empty_geom')") == "ok");
    CHECK(db.one("SELECT count(*) FROM rtree_empty_geom") == "0");
    CHECK(db.one("SELECT count(*) FROM gpkg_extensions WHERE table_name = 'empty'") == "1");
}

TEST_CASE("Index boxes are rounded outwards to floats, as SQLite rounds them", "[output][rtree]") {
    // 0.1 lies strictly between two floats: the box's min takes the lower one, its max the upper one.
    const RtreeEntry e = rtree_entry(7, 0.1, 0.1, 3400000.3, 3400000.3);
    CHECK(e.id == 7);
    CHECK(static_cast<double>(e.box[0]) < 0.1);
    CHECK(static_cast<double>(e.box[1]) > 0.1);
    CHECK(std::nextafter(e.box[0], 1.0f) == e.box[1]);
    CHECK(static_cast<double>(e.box[2]) <= 3400000.3);
    CHECK(static_cast<double>(e.box[3]) >= 3400000.3);
    // Whole metres below 2^24 are exact.
    const RtreeEntry w = rtree_entry(1, 500000, 500001, 3400000, 3400001);
    CHECK(w.box[0] == 500000.0f);
    CHECK(w.box[3] == 3400001.0f);
    // Beyond the float range the box still covers: up to infinity, down to the largest float.
    const RtreeEntry huge = rtree_entry(2, 1e300, 1e300, -1e300, -1e300);
    CHECK(huge.box[0] == std::numeric_limits<float>::max());
    CHECK(std::isinf(huge.box[1]));
    CHECK(std::isinf(huge.box[2]));
    CHECK(huge.box[3] == -std::numeric_limits<float>::max());
}

TEST_CASE("A multi-layer GeoPackage gets a packed index per geometry layer", "[output][rtree]") {
    Dir dir;
    const std::string path = dir / "multi.gpkg";
    const std::vector<Box> all = boxes(300);
    {
        gdal_init();
        GpkgWriter out(path, {});
        const int a = out.add_layer("a", Crs::from_epsg(4544), wkbMultiPolygon, nullptr, {});
        const int t = out.add_layer("table", Crs::from_epsg(4544), wkbNone, nullptr, {{"v", OFTReal}});
        const int b = out.add_layer("b", Crs::from_epsg(4544), wkbMultiPolygon, nullptr, {});
        for (std::size_t k = 0; k < all.size(); ++k) {
            OGRFeatureUniquePtr f = out.new_feature(k % 3 == 0 ? b : a);
            out.write(k % 3 == 0 ? b : a, *f, square(all[k]));
            OGRFeatureUniquePtr row = out.new_feature(t);
            row->SetField("v", static_cast<double>(k));
            out.write(t, *row, nullptr);
        }
        out.finish();
    }
    Sqlite db(path);
    CHECK(db.one("SELECT rtreecheck('rtree_a_geom')") == "ok");
    CHECK(db.one("SELECT rtreecheck('rtree_b_geom')") == "ok");
    CHECK(db.one("SELECT count(*) FROM rtree_a_geom") == "200");
    CHECK(db.one("SELECT count(*) FROM rtree_b_geom") == "100");
    CHECK(db.one("SELECT count(*) FROM sqlite_master WHERE name LIKE 'rtree_table%'") == "0");
    CHECK(db.one("SELECT group_concat(table_name) FROM (SELECT table_name FROM gpkg_extensions WHERE extension_name = "
                 "'gpkg_rtree_index' ORDER BY table_name)") == "a,b");
    const Box w{505000, 512000, 3405000, 3409000};
    std::set<std::int64_t> expected;
    std::int64_t fid_b = 0;  // b's features are every third box, fids 1, 2, …
    for (std::size_t k = 0; k < all.size(); k += 3) {
        ++fid_b;
        if (meets(all[k], w)) expected.insert(fid_b);
    }
    CHECK(!expected.empty());
    CHECK(db.ids("rtree_b_geom", w) == expected);
}

TEST_CASE("Past its memory limit a layer gets GDAL's own index build instead", "[output][rtree]") {
    Dir dir;
    const std::string path = dir / "many.gpkg";
    const std::vector<Box> all = boxes(2500);
    const auto by_fid = write_boxes(path, "many", all, 1000);  // 2500 boxes over a limit of 1000
    Sqlite db(path);
    CHECK(db.one("SELECT rtreecheck('rtree_many_geom')") == "ok");
    CHECK(db.one("SELECT count(*) FROM rtree_many_geom") == "2500");
    CHECK(db.one("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_many_geom%'") == "6");
    CHECK(db.one("SELECT count(*) FROM gpkg_extensions WHERE table_name = 'many'") == "1");
    const Box w{502000, 509000, 3402000, 3405000};
    std::set<std::int64_t> expected;
    for (const auto& [fid, b] : by_fid)
        if (meets(b, w)) expected.insert(fid);
    CHECK(!expected.empty());
    CHECK(db.ids("rtree_many_geom", w) == expected);
}
