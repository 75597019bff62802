// A fixture whose size is chosen: a grid of small squares and larger zones over it, in EPSG:4544.
#pragma once

#include <string>

namespace zk::test {

// Writes (replacing the file) layer 'grid': n × n squares of 10 m from (500000, 3400000), field name = "g{i}_{j}".
void write_grid(const std::string& path, int n);

// Writes (replacing the file) layer 'zones': squares of 95 m over that grid, field zone = "z{i}_{j}". 95 m is not
// a multiple of the grid: most squares lie inside one zone, the others are cut.
void write_grid_zones(const std::string& path, int n);

}  // namespace zk::test
