#include "zonekit/ops/buffer.hpp"

#include "zonekit/base/error.hpp"

#include <fmt/format.h>

namespace zk {

CapStyle parse_cap_style(std::string_view text) {
    if (text == "round") return CapStyle::round;
    if (text == "flat") return CapStyle::flat;
    if (text == "square") return CapStyle::square;
    throw InputError(fmt::format("unknown cap style '{}'. Use one of round, flat, square", text));
}

JoinStyle parse_join_style(std::string_view text) {
    if (text == "round") return JoinStyle::round;
    if (text == "mitre" || text == "miter") return JoinStyle::mitre;
    if (text == "bevel") return JoinStyle::bevel;
    throw InputError(fmt::format("unknown join style '{}'. Use one of round, mitre, bevel", text));
}

GeomPtr buffer_geometry(GeosContext& ctx, const GEOSGeometry* g, double distance, const BufferOptions& options) {
    if (options.segments < 1)
        throw InputError(fmt::format("--segments {} is too small: use at least 1 segment per quarter circle",
                                     options.segments));
    GEOSGeometry* b = GEOSBufferWithStyle_r(ctx.handle(), g, distance, options.segments, static_cast<int>(options.cap),
                                            static_cast<int>(options.join), options.mitre_limit);
    if (!b) ctx.fail(fmt::format("cannot buffer by {} m", distance));
    GeomPtr owned = own(ctx, b);
    return polygonal_part(ctx, owned.get());
}

}  // namespace zk
