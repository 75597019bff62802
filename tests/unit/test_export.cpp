// The export library: layers from different sources appended into one GeoPackage (as `zonekit run` does for
// analysis.gpkg), with areas worked by hand, roles, kept feature ids; and its refusals.
#include "zonekit/base/error.hpp"
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/io/styles.hpp"
#include "zonekit/present/export.hpp"

#include "support/gdal_read.hpp"
#include "support/gdal_write.hpp"
#include "support/temp_dir.hpp"
#include "support/wkt.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace zk;
using namespace zk::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// 100 m × 100 m and 200 m × 50 m squares in EPSG:4544, a second 100 m square; a river in EPSG:4490.
const std::string sq1 = square_100m, sq2 = rect_200x50m;
const std::string sq3 = "POLYGON((381000 3390000,381100 3390000,381100 3390100,381000 3390100,381000 3390000))";
const std::string river = "LINESTRING(103.6 30.6,103.7 30.65)";

}  // namespace

TEST_CASE("export_layer appends layers of two sources into one GeoPackage: areas, roles, feature ids", "[export]") {
    TempDir dir;
    write_layer(dir / "plan.gpkg", "GPKG", "zones", 4544, wkbPolygon, {"名称"},
                {{sq1, {"天府粮仓核心示范区"}, 7}, {sq2, {"先进制造业集聚区"}, 9}});
    write_layer(dir / "rivers.shp", "ESRI Shapefile", "rivers", 4490, wkbLineString, {"name"},
                {{river, {"西河"}}}, {"ENCODING=UTF-8"});
    LayerSpec zones;
    zones.name = "districts";  // the project's name for it
    zones.path = dir / "plan.gpkg";
    zones.layer = "zones";
    zones.role = "districts";
    LayerSpec rivers;
    rivers.name = "rivers";
    rivers.path = dir / "rivers.shp";
    rivers.role = "";
    ExportOptions options;
    options.areas = true;
    std::vector<std::string> warnings;
    const Crs crs = Crs::from_epsg(4544);
    {
        GpkgWriter writer(dir / "analysis.gpkg", {});
        const ExportedLayer a = export_layer(writer, zones, crs, options, warnings);
        const ExportedLayer b = export_layer(writer, rivers, crs, options, warnings);
        CHECK_THROWS_WITH(export_layer(writer, zones, crs, options, warnings), Contains("already holds"));
        writer.finish();
        CHECK(a.features == 2);
        CHECK(a.areas);
        CHECK(a.styled);
        CHECK(a.total.plan == Approx(100.0 * 100 + 200.0 * 50).epsilon(1e-12));
        CHECK(b.features == 1);
        CHECK_FALSE(b.areas);
        CHECK_FALSE(b.styled);
        CHECK(b.geometry_type == "Multi Line String");
    }
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Contains("rivers") && Contains("without area fields"));

    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "analysis.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    OGRLayer* d = ds->GetLayerByName("districts");
    REQUIRE(d);
    CHECK(std::string(d->GetSpatialRef()->GetAuthorityCode(nullptr)) == "4544");
    CHECK(wkbFlatten(d->GetGeomType()) == wkbMultiPolygon);
    OGRFeatureUniquePtr f(d->GetFeature(7));  // the source's feature ids are kept
    REQUIRE(f);
    CHECK(std::string(f->GetFieldAsString("名称")) == "天府粮仓核心示范区");
    CHECK(f->GetFieldAsDouble("plan_m2") == Approx(10000.0).epsilon(1e-12));
    // About 119.4 km west of CM 105°E the Gauss–Kruger area scale is k² ≈ 1 + (x/R)²: ellip ≈ plan / k².
    const double x = 119.95e3 / 6371e3;
    CHECK(f->GetFieldAsDouble("ellip_m2") == Approx(10000.0 / (1 + x * x)).epsilon(1e-5));
    CHECK(f->GetFieldAsDouble("geod_m2") == Approx(f->GetFieldAsDouble("ellip_m2")).epsilon(1e-8));
    f.reset(d->GetFeature(9));
    REQUIRE(f);
    CHECK(f->GetFieldAsDouble("plan_m2") == Approx(10000.0).epsilon(1e-12));

    OGRLayer* r = ds->GetLayerByName("rivers");
    REQUIRE(r);
    CHECK(r->GetLayerDefn()->GetFieldIndex("plan_m2") < 0);
    CHECK(wkbFlatten(r->GetGeomType()) == wkbMultiLineString);
    f.reset(r->GetFeature(0));  // the Shapefile's first feature keeps its id 0
    REQUIRE(f);
    CHECK(std::string(f->GetFieldAsString("name")) == "西河");
    OGREnvelope env;
    f->GetGeometryRef()->getEnvelope(&env);
    CHECK(env.MinX > 300000);  // reprojected from longitude/latitude into EPSG:4544 metres
    CHECK(env.MinX < 500000);

    const auto styles = query(*ds, "SELECT f_table_name, styleName, useAsDefault FROM layer_styles");
    CHECK(styles == std::vector<std::vector<std::string>>{{"districts", "districts", "1"}});
}

TEST_CASE("export_layers: one layer for single-layer formats, a role that exists, layers with geometry", "[export]") {
    TempDir dir;
    write_layer(dir / "plan.gpkg", "GPKG", "districts", 4544, wkbPolygon, {"name"}, {{sq1, {"A"}}});
    write_layer(dir / "plan.gpkg", "GPKG", "urban", 4544, wkbPolygon, {"name"}, {{sq3, {"U"}}});
    const auto all = source_layer_specs(dir / "plan.gpkg", {}, {});
    REQUIRE(all.size() == 2);
    CHECK(all[0].role == "districts");  // named like a role
    CHECK(all[1].role == "urban");
    CHECK(source_layer_specs(dir / "plan.gpkg", {}, {"urban"}, "boundary")[0].role == "boundary");
    CHECK_THROWS_WITH(source_layer_specs(dir / "plan.gpkg", {}, {"roads"}), Contains("not found") && Contains("urban"));
    CHECK_THROWS_WITH(source_layer_specs(dir / "plan.gpkg", {}, {}, "roads"), Contains("unknown role 'roads'"));

    CHECK_THROWS_WITH(export_layers(all, dir / "out.geojson", {}), Contains("holds one layer") && Contains("--layer"));
    CHECK_THROWS_WITH(export_layers(all, dir / "out.txt", {}), Contains("cannot tell the format"));
    CHECK_FALSE(fs::exists(dir / "out.geojson"));

    // A GeoPackage takes both; exporting into one of the inputs is refused.
    const ExportResult r = export_layers(all, dir / "out.gpkg", {});
    CHECK(r.layers.size() == 2);
    CHECK(r.crs.epsg() == 4544);
    CHECK_THROWS_WITH(export_layers(all, dir / "plan.gpkg", {}), Contains("is also an input"));

    // layer_styles of a zonekit GeoPackage is an attribute table: exporting it again leaves it out.
    const auto again = source_layer_specs(dir / "out.gpkg", {}, {});
    CHECK(again.size() == 2);
    LayerSpec table;
    table.path = dir / "out.gpkg";
    table.layer = "layer_styles";
    CHECK_THROWS_WITH(export_layers({table}, dir / "t.gpkg", {}), Contains("has no geometry"));
}
