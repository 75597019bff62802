// Buffer: the area within a distance (metres in the analysis CRS) of each feature.
#pragma once

#include "zonekit/geometry/geos_context.hpp"

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

}  // namespace zk
