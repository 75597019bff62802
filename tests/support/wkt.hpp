// WKT of rectangles, squares, points and segments, for fixtures in a projected CRS (metres).
#pragma once

#include <string>

namespace zk::test {

// Shapes given in metres from an origin (x0, y0), e.g. (500000, 3400000) on the central meridian of EPSG:4544,
// so that a fixture reads as its hand calculation does: `at.rect(0, 0, 600, 1000)` is 600 m × 1000 m.
struct Wkt {
    double x0 = 0, y0 = 0;

    // The ring of the rectangle with corners (x1, y1) and (x2, y2), "(x1 y1,x2 y1,x2 y2,x1 y2,x1 y1)".
    std::string ring(double x1, double y1, double x2, double y2) const;
    // That rectangle as a POLYGON.
    std::string rect(double x1, double y1, double x2, double y2) const;
    // A square of `side` metres from its lower-left corner (x, y).
    std::string square(double x, double y, double side) const { return rect(x, y, x + side, y + side); }
    std::string point(double x, double y) const;
    std::string segment(double x1, double y1, double x2, double y2) const;
};

// Polygons in EPSG:4544 (CGCS2000 GK CM 105°E) near Chongzhou whose areas several tests work out by hand.
inline constexpr const char* square_100m =  // 100 m × 100 m: 10,000 m²
    "POLYGON((380000 3390000,380100 3390000,380100 3390100,380000 3390100,380000 3390000))";
inline constexpr const char* rect_200x50m =  // 200 m × 50 m east of it, on part of its edge: 10,000 m²
    "POLYGON((380100 3390000,380300 3390000,380300 3390050,380100 3390050,380100 3390000))";
inline constexpr const char* holed_square =  // 100 m × 100 m, 1 km east, with a 40 m hole: 8,400 m²
    "POLYGON((381000 3390000,381100 3390000,381100 3390100,381000 3390100,381000 3390000),"
    "(381030 3390030,381070 3390030,381070 3390070,381030 3390070,381030 3390030))";

}  // namespace zk::test
