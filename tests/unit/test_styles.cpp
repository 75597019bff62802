#include "zonekit/styles.hpp"

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("styles/ travels inside the library", "[styles]") {
    const auto palette = zk::embedded_file("palette.json");
    REQUIRE(palette);
    CHECK(palette->front() == '{');
    CHECK(palette->find("\"roles\"") != std::string_view::npos);
    CHECK(palette->find("天府粮仓核心示范区") != std::string_view::npos);  // UTF-8 bytes kept
    for (const char* role : {"boundary", "districts", "redline", "farmland", "urban", "parcels", "findings"}) {
        const auto qml = zk::embedded_file(std::string(role) + ".qml");
        const auto sld = zk::embedded_file(std::string(role) + ".sld");
        REQUIRE(qml);
        REQUIRE(sld);
        CHECK(qml->find("<qgis") != std::string_view::npos);
        CHECK(sld->find("StyledLayerDescriptor") != std::string_view::npos);
        CHECK(qml->back() != '\0');
    }
    CHECK_FALSE(zk::embedded_file("nonexistent.qml"));
}
