// Geometry pieces of the check and resolve engines: robust cuts, unions, parts, buffers, worker threads.
#pragma once

#include "zonekit/geometry/geos_context.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace zk {

// A copy of `g`, owned through `ctx`.
GeomPtr clone(GeosContext& ctx, const GEOSGeometry* g);
// The same geometry, destroyed through `ctx` from now on (for results made by a worker's context that outlive it).
GeomPtr adopt(GeosContext& ctx, GeomPtr g);

enum class Cut { intersection, difference };
// The polygonal part of x ∩ y or x − y (OverlayNG; on a GEOS failure again on a 1 mm precision grid, then on
// MakeValid'd inputs), or null when it is empty. Throws GeosError naming `what` when every attempt fails.
GeomPtr polygonal_cut(GeosContext& ctx, Cut cut, const GEOSGeometry* x, const GEOSGeometry* y,
                      const std::string& what);
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

// Worker threads, each with its own GEOS context. Items are handed out in chunks; whatever a worker makes
// must be adopted by a longer-lived context before the pool goes away.
class WorkerPool {
public:
    explicit WorkerPool(unsigned threads);  // 0 = all cores
    std::size_t size() const { return m_contexts.size(); }
    std::size_t worker_index(const GeosContext& ctx) const;
    // Runs fn(ctx, i) for every i in [0, n). Rethrows the first exception once every worker has stopped.
    void for_each(std::size_t n, const std::function<void(GeosContext&, std::size_t)>& fn);

private:
    std::vector<std::unique_ptr<GeosContext>> m_contexts;
};

}  // namespace zk
