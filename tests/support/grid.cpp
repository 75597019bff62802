#include "grid.hpp"

#include "gdal_write.hpp"
#include "wkt.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace zk::test {

namespace {
const Wkt origin{500000, 3400000};  // EPSG:4544, on its central meridian

void write_squares(const std::string& path, const std::string& layer, const std::string& field, const char* prefix,
                   int count, double side) {
    std::filesystem::remove(path);
    std::vector<FixtureFeature> squares;
    for (int i = 0; i < count; ++i)
        for (int j = 0; j < count; ++j)
            squares.push_back({origin.square(side * i, side * j, side), {fmt::format("{}{}_{}", prefix, i, j)}});
    write_layer(path, "GPKG", layer, 4544, wkbPolygon, {field}, squares);
}
}  // namespace

void write_grid(const std::string& path, int n) { write_squares(path, "grid", "name", "g", n, 10.0); }

void write_grid_zones(const std::string& path, int n) {
    write_squares(path, "zones", "zone", "z", static_cast<int>(10.0 * n / 95.0) + 1, 95.0);
}

}  // namespace zk::test
