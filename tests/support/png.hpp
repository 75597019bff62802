// A PNG written by zonekit, read back with Cairo (ARGB32): pixels by place, and counted by colour.
#pragma once

#include "zonekit/io/palette.hpp"

#include <cairo.h>

#include <memory>
#include <string>

namespace zk::test {

struct Png {
    struct Deleter {
        void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
    };
    std::unique_ptr<cairo_surface_t, Deleter> surface;
    int width = 0, height = 0;

    explicit Png(const std::string& path);
    // The pixel at (x, y) (pixels, y down), opaque; fails the test outside the picture.
    zk::Rgba at(double x, double y) const;
    // Pixels within `tolerance` of (r, g, b), in the whole picture.
    int count(int r, int g, int b, int tolerance = 3) const;
    // Pixels inside the box (pixels, y down; a zk::Box) for which pred(colour) holds.
    template <class Box, class Pred>
    int count(const Box& b, Pred pred) const {
        int n = 0;
        for (int y = static_cast<int>(b.min_y); y < static_cast<int>(b.max_y); ++y)
            for (int x = static_cast<int>(b.min_x); x < static_cast<int>(b.max_x); ++x)
                if (pred(at(x, y))) ++n;
        return n;
    }
};

}  // namespace zk::test
