#include "zonekit/ops/buffer.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/ops/dissolve.hpp"

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

BufferStats buffer_layer(GeosContext& ctx, LayerReader& reader, const Crs& analysis, double distance,
                         const BufferOptions& options, const AreaOptions& area, bool dissolve, const BufferSink& sink) {
    if (!analysis.is_projected())
        throw InputError(fmt::format("the analysis CRS {} is not projected: a buffer distance in metres needs a "
                                     "projected CRS. Choose one with --crs (e.g. a CGCS2000 Gauss–Kruger zone, "
                                     "EPSG:4534–4554)",
                                     analysis.label()));
    AreaMeter meter(analysis, area);
    BufferStats stats;
    std::vector<GeomPtr> all;
    Feature f;
    while (reader.next(ctx, f)) {
        ++stats.read;
        if (!f.geom || GEOSisEmpty_r(ctx.handle(), f.geom.get())) {
            ++stats.vanished;
            continue;
        }
        GeomPtr b;
        try {
            b = buffer_geometry(ctx, f.geom.get(), distance, options);
        } catch (const GeosError& e) {
            throw GeosError(fmt::format("{}: {}", reader.where(f.fid), e.what()));
        }
        if (GEOSisEmpty_r(ctx.handle(), b.get())) {
            ++stats.vanished;
            continue;
        }
        ++stats.parts;
        if (dissolve) all.push_back(std::move(b));
        else sink(ctx, &f, b.get(), meter.measure(ctx, b.get()), 1);
    }
    if (dissolve) {
        const GeomPtr u = union_polygons(ctx, std::move(all));
        sink(ctx, nullptr, u.get(), meter.measure(ctx, u.get()), stats.parts);
    }
    return stats;
}

}  // namespace zk
