// Geometry pieces of the engines: the robust cut (one for overlay, tabulate, check, resolve, screen), unions,
// parts, buffers.
#pragma once

#include "zonekit/geometry/geos_context.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace zk {

// A copy of `g`, owned through `ctx`.
GeomPtr clone(GeosContext& ctx, const GEOSGeometry* g);
// The same geometry, destroyed through `ctx` from now on (for results made by a worker's context that outlive it).
GeomPtr adopt(GeosContext& ctx, GeomPtr g);

enum class Cut { intersection, difference };
const char* cut_name(Cut cut);  // "intersection", "difference"

// What a cut gave: the raw result (possibly empty, possibly with line and point parts), or null when every
// attempt failed.
struct CutResult {
    GeomPtr geom;
    bool retried = false;  // the first attempt failed, so it was redone on the precision grid
    std::string error;     // GEOS's message on the first failure
};
// x ∩ y or x − y with OverlayNG; on a GEOS failure again on a `grid` m precision grid, then on MakeValid'd
// inputs on the grid. Never throws for a failed cut: the caller decides (throw, or list a problem).
CutResult cut(GeosContext& ctx, Cut how, const GEOSGeometry* x, const GEOSGeometry* y, double grid = 1e-3);
// The polygonal part of a cut's result, or null when it has none; line and point parts are added to
// `*lower_dim` when given.
GeomPtr polygons_of(GeosContext& ctx, GeomPtr g, std::int64_t* lower_dim = nullptr);
// The polygonal part of x ∩ y or x − y (cut() above), or null when it is empty. Throws GeosError naming `what`
// when every attempt fails.
GeomPtr polygonal_cut(GeosContext& ctx, Cut how, const GEOSGeometry* x, const GEOSGeometry* y,
                      const std::string& what, double grid = 1e-3);
// The union of a GeometryCollection's members (cascaded); on a GEOS failure again on a `grid` m precision
// grid (`*retried` set). Null when both fail (GEOS's message left in `ctx`).
GeomPtr unary_union(GeosContext& ctx, const GEOSGeometry* collection, double grid = 1e-3, bool* retried = nullptr);
// The union of polygonal geometries (cascaded), an empty MultiPolygon for none.
GeomPtr union_of(GeosContext& ctx, const std::vector<const GEOSGeometry*>& parts);
// Each non-empty Polygon of a polygonal geometry or collection, as its own geometry.
std::vector<GeomPtr> polygon_parts(GeosContext& ctx, const GEOSGeometry* g);
// True when the inward buffer by `half_width` leaves nothing: the polygon is nowhere 2·half_width wide.
bool thinner_than(GeosContext& ctx, const GEOSGeometry* g, double half_width);
// 2·area / perimeter: the width of a long thin strip.
double mean_width(GeosContext& ctx, const GEOSGeometry* g);
// Morphological closing: outward then inward buffer by `r`, mitred joins.
GeomPtr closing(GeosContext& ctx, const GEOSGeometry* g, double r);
// The part of `a` within `dist` of `b` (polygonal when `a_polygonal`; then possibly an empty MultiPolygon).
GeomPtr clearance_part(GeosContext& ctx, const GEOSGeometry* a, bool a_polygonal, const GEOSGeometry* b, double dist);
// The point of `a` nearest to `b`.
void nearest_point(GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b, double& x, double& y);
// A point on the surface of `g` (its envelope's centre when GEOS cannot give one).
void representative_point(GeosContext& ctx, const GEOSGeometry* g, double& x, double& y);

}  // namespace zk
