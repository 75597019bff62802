// Buffer: the area within a distance (metres in the analysis CRS) of each feature.
#pragma once

#include "zonekit/geometry/area.hpp"
#include "zonekit/geometry/geos_context.hpp"
#include "zonekit/io/source.hpp"

#include <cstdint>
#include <functional>

#include <string_view>

namespace zk {

enum class CapStyle { round = 1, flat = 2, square = 3 };   // GEOSBufCapStyles
enum class JoinStyle { round = 1, mitre = 2, bevel = 3 };  // GEOSBufJoinStyles

CapStyle parse_cap_style(std::string_view text);
JoinStyle parse_join_style(std::string_view text);

struct BufferOptions {
    int segments = 8;  // segments per quarter circle; a full circle becomes a 4·segments-gon inscribed in it
    CapStyle cap = CapStyle::round;
    JoinStyle join = JoinStyle::round;
    double mitre_limit = 5.0;
};

// The buffer of `g` by `distance` (negative shrinks polygons; lines and points then vanish), as a
// MultiPolygon (possibly empty). Throws GeosError when GEOS fails.
GeomPtr buffer_geometry(GeosContext& ctx, const GEOSGeometry* g, double distance, const BufferOptions& options);

struct BufferStats {
    std::int64_t read = 0;      // features read
    std::int64_t vanished = 0;  // without geometry, or shrunk away by a negative distance: nothing handed on
    std::int64_t parts = 0;     // buffers made (with dissolve: unioned into one)
};
// A buffer, its areas and how many features' buffers it is (1; all of them for the dissolved union, whose
// `feature` is null).
using BufferSink = std::function<void(GeosContext&, const Feature* feature, const GEOSGeometry*, const Areas&,
                                      std::int64_t count)>;

// `zonekit buffer`: buffers every feature of `reader` and hands each non-empty buffer to `sink` — or, with
// `dissolve`, their union once. Throws InputError when the analysis CRS is not projected (a distance in
// metres), GeosError naming the feature when GEOS cannot buffer it.
BufferStats buffer_layer(GeosContext& ctx, LayerReader& reader, const Crs& analysis, double distance,
                         const BufferOptions& options, const AreaOptions& area, bool dissolve, const BufferSink& sink);

}  // namespace zk
