#include "png.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>

namespace zk::test {

Png::Png(const std::string& path) : surface(cairo_image_surface_create_from_png(path.c_str())) {
    INFO("reading " << path);
    REQUIRE(cairo_surface_status(surface.get()) == CAIRO_STATUS_SUCCESS);
    width = cairo_image_surface_get_width(surface.get());
    height = cairo_image_surface_get_height(surface.get());
}

zk::Rgba Png::at(double x, double y) const {
    const int ix = static_cast<int>(x), iy = static_cast<int>(y);
    REQUIRE(ix >= 0);
    REQUIRE(iy >= 0);
    REQUIRE(ix < width);
    REQUIRE(iy < height);
    cairo_surface_flush(surface.get());
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    const std::uint32_t p = *reinterpret_cast<const std::uint32_t*>(data + iy * stride + ix * 4);
    return {static_cast<std::uint8_t>((p >> 16) & 0xff), static_cast<std::uint8_t>((p >> 8) & 0xff),
            static_cast<std::uint8_t>(p & 0xff), 255};
}

int Png::count(int r, int g, int b, int tolerance) const {
    cairo_surface_flush(surface.get());
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    int n = 0;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const std::uint32_t p = *reinterpret_cast<const std::uint32_t*>(data + y * stride + x * 4);
            const int pr = static_cast<int>((p >> 16) & 0xff), pg = static_cast<int>((p >> 8) & 0xff),
                      pb = static_cast<int>(p & 0xff);
            if (std::abs(pr - r) <= tolerance && std::abs(pg - g) <= tolerance && std::abs(pb - b) <= tolerance) ++n;
        }
    return n;
}

}  // namespace zk::test
