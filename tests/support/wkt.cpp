#include "wkt.hpp"

#include <fmt/format.h>

namespace zk::test {

std::string Wkt::ring(double x1, double y1, double x2, double y2) const {
    return fmt::format("({0} {1},{2} {1},{2} {3},{0} {3},{0} {1})", x0 + x1, y0 + y1, x0 + x2, y0 + y2);
}

std::string Wkt::rect(double x1, double y1, double x2, double y2) const {
    return "POLYGON(" + ring(x1, y1, x2, y2) + ")";
}

std::string Wkt::point(double x, double y) const { return fmt::format("POINT({} {})", x0 + x, y0 + y); }

std::string Wkt::segment(double x1, double y1, double x2, double y2) const {
    return fmt::format("LINESTRING({} {},{} {})", x0 + x1, y0 + y1, x0 + x2, y0 + y2);
}

}  // namespace zk::test
