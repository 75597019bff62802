#include "zonekit/base/error.hpp"
#include "zonekit/geometry/crs.hpp"

#include <catch2/catch.hpp>

using namespace zk;

TEST_CASE("CGCS2000 3-degree zone nearest the data", "[crs]") {
    CHECK(cgcs2000_gk3_epsg(102.0) == 4543);   // CM 102°E
    CHECK(cgcs2000_gk3_epsg(103.4) == 4543);   // 1.4° from 102, 1.6° from 105
    CHECK(cgcs2000_gk3_epsg(103.6) == 4544);   // Chongzhou's centre: nearer CM 105°E
    CHECK(cgcs2000_gk3_epsg(105.0) == 4544);
    CHECK(cgcs2000_gk3_epsg(75.0) == 4534);
    CHECK(cgcs2000_gk3_epsg(73.6) == 4534);
    CHECK(cgcs2000_gk3_epsg(116.4) == 4548);   // Beijing, CM 117°E
    CHECK(cgcs2000_gk3_epsg(135.0) == 4554);
    CHECK(cgcs2000_gk3_epsg(136.4) == 4554);
    CHECK_THROWS_WITH(cgcs2000_gk3_epsg(10.0), Catch::Contains("--crs"));
    for (int code = 4534; code <= 4554; ++code) {
        Crs crs = Crs::from_epsg(code);
        CHECK(crs.central_meridian() == 75.0 + 3 * (code - 4534));
        CHECK(crs.false_easting() == 500000.0);
        CHECK(crs.zone_half_width() == 1.5);
    }
}

TEST_CASE("CRS identity, labels and the geographic base", "[crs]") {
    Crs gk = Crs::from_user_text("EPSG:4544");
    CHECK(gk.label() == "EPSG:4544");
    CHECK(gk.is_projected());
    CHECK(gk.geographic().label() == "EPSG:4490");
    CHECK(gk.semi_major() == 6378137.0);
    CHECK(gk.inverse_flattening() == Approx(298.257222101).epsilon(1e-12));
    CHECK(Crs::from_epsg(4490).same_as(gk.geographic()));
    CHECK_THROWS_AS(Crs::from_user_text("EPSG:999999"), InputError);
    CHECK_THROWS_WITH(Crs::from_user_text("not a crs"), Catch::Contains("unknown CRS 'not a crs'"));
}

TEST_CASE("EPSG:4490 keeps longitude first", "[crs]") {
    // Traditional GIS order: x = longitude. Tianfu Square, Chengdu, 104.0657°E 30.6598°N, lies east of
    // CM 102°E (positive easting offset) and about 3,394 km north of the equator.
    Transform t(Crs::from_epsg(4490), Crs::from_epsg(4543));
    double x = 104.0657, y = 30.6598;
    REQUIRE(t.transform(1, &x, &y));
    CHECK(x > 500000 + 190000);
    CHECK(x < 500000 + 205000);
    CHECK(y == Approx(3394000).margin(3000));
}
