#include "zonekit/geometry/geom_ops.hpp"

#include "zonekit/base/error.hpp"

#include <fmt/format.h>


namespace zk {

GeomPtr clone(GeosContext& ctx, const GEOSGeometry* g) {
    GEOSGeometry* c = GEOSGeom_clone_r(ctx.handle(), g);
    if (!c) ctx.fail("cannot copy a geometry");
    return own(ctx, c);
}

GeomPtr adopt(GeosContext& ctx, GeomPtr g) { return GeomPtr(g.release(), GeomDeleter{ctx.handle()}); }

const char* cut_name(Cut cut) { return cut == Cut::intersection ? "intersection" : "difference"; }

CutResult cut(GeosContext& ctx, Cut how, const GEOSGeometry* x, const GEOSGeometry* y, double grid) {
    const auto h = ctx.handle();
    CutResult r;
    GEOSGeometry* g = how == Cut::intersection ? GEOSIntersection_r(h, x, y) : GEOSDifference_r(h, x, y);
    if (g) {
        r.geom = own(ctx, g);
        return r;
    }
    r.error = ctx.take_error();
    r.retried = true;
    g = how == Cut::intersection ? GEOSIntersectionPrec_r(h, x, y, grid) : GEOSDifferencePrec_r(h, x, y, grid);
    if (g) {
        r.geom = own(ctx, g);
        return r;
    }
    ctx.take_error();
    try {
        GeomPtr vx = make_valid_polygonal(ctx, x);
        GeomPtr vy = make_valid_polygonal(ctx, y);
        g = how == Cut::intersection ? GEOSIntersectionPrec_r(h, vx.get(), vy.get(), grid)
                                     : GEOSDifferencePrec_r(h, vx.get(), vy.get(), grid);
        if (g) r.geom = own(ctx, g);
    } catch (const GeosError&) {
    }
    ctx.take_error();
    return r;
}

GeomPtr polygons_of(GeosContext& ctx, GeomPtr g, std::int64_t* lower_dim) {
    const auto h = ctx.handle();
    if (GEOSisEmpty_r(h, g.get()) == 1) return nullptr;
    const int type = GEOSGeomTypeId_r(h, g.get());
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) return g;
    std::int64_t others = 0;
    const int n = type == GEOS_GEOMETRYCOLLECTION ? GEOSGetNumGeometries_r(h, g.get()) : 1;
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* part = type == GEOS_GEOMETRYCOLLECTION ? GEOSGetGeometryN_r(h, g.get(), i) : g.get();
        const int t = GEOSGeomTypeId_r(h, part);
        if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON && GEOSisEmpty_r(h, part) != 1)
            others += t == GEOS_MULTILINESTRING || t == GEOS_MULTIPOINT ? GEOSGetNumGeometries_r(h, part) : 1;
    }
    GeomPtr poly = polygonal_part(ctx, g.get());
    if (GEOSisEmpty_r(h, poly.get()) == 1) return nullptr;
    if (lower_dim) *lower_dim += others;
    return poly;
}

GeomPtr polygonal_cut(GeosContext& ctx, Cut how, const GEOSGeometry* x, const GEOSGeometry* y,
                      const std::string& what, double grid) {
    CutResult r = cut(ctx, how, x, y, grid);
    if (!r.geom)
        throw GeosError(fmt::format("cannot compute the {} of {}, also on a {} m grid and after MakeValid: {}",
                                    cut_name(how), what, grid, r.error));
    return polygons_of(ctx, std::move(r.geom));
}

GeomPtr unary_union(GeosContext& ctx, const GEOSGeometry* collection, double grid, bool* retried) {
    GEOSGeometry* u = GEOSUnaryUnion_r(ctx.handle(), collection);
    if (!u) {
        ctx.take_error();
        if (retried) *retried = true;
        u = GEOSUnaryUnionPrec_r(ctx.handle(), collection, grid);
    }
    return u ? own(ctx, u) : nullptr;
}

GeomPtr union_of(GeosContext& ctx, const std::vector<const GEOSGeometry*>& parts) {
    const auto h = ctx.handle();
    std::vector<GEOSGeometry*> copies;
    copies.reserve(parts.size());
    for (const GEOSGeometry* p : parts) copies.push_back(GEOSGeom_clone_r(h, p));
    GEOSGeometry* coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, copies.data(),
                                                     static_cast<unsigned>(copies.size()));
    if (!coll) {
        for (GEOSGeometry* c : copies) GEOSGeom_destroy_r(h, c);
        ctx.fail("cannot collect geometries");
    }
    GeomPtr all = own(ctx, coll);
    if (parts.empty()) return polygonal_part(ctx, all.get());
    GeomPtr result = unary_union(ctx, all.get());
    if (!result) ctx.fail("cannot union the features (also on a 1 mm grid)");
    return polygonal_part(ctx, result.get());
}

std::vector<GeomPtr> polygon_parts(GeosContext& ctx, const GEOSGeometry* g) {
    std::vector<GeomPtr> out;
    GeomPtr multi = polygonal_part(ctx, g);
    const int n = GEOSGetNumGeometries_r(ctx.handle(), multi.get());
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* p = GEOSGetGeometryN_r(ctx.handle(), multi.get(), i);
        if (GEOSisEmpty_r(ctx.handle(), p) != 1) out.push_back(clone(ctx, p));
    }
    return out;
}

bool thinner_than(GeosContext& ctx, const GEOSGeometry* g, double half_width) {
    GEOSGeometry* inner = GEOSBuffer_r(ctx.handle(), g, -half_width, 8);
    if (!inner) ctx.fail("cannot buffer a geometry inwards");
    GeomPtr owned = own(ctx, inner);
    return GEOSisEmpty_r(ctx.handle(), inner) == 1;
}

double mean_width(GeosContext& ctx, const GEOSGeometry* g) {
    double area = 0, length = 0;
    GEOSArea_r(ctx.handle(), g, &area);
    GEOSLength_r(ctx.handle(), g, &length);
    return length > 0 ? 2 * area / length : 0;
}

GeomPtr closing(GeosContext& ctx, const GEOSGeometry* g, double r) {
    const auto h = ctx.handle();
    GEOSGeometry* out = GEOSBufferWithStyle_r(h, g, r, 8, GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_MITRE, 10.0);
    if (!out) ctx.fail("cannot buffer a geometry outwards");
    GeomPtr grown = own(ctx, out);
    GEOSGeometry* in = GEOSBufferWithStyle_r(h, grown.get(), -r, 8, GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_MITRE, 10.0);
    if (!in) ctx.fail("cannot buffer a geometry inwards");
    return own(ctx, in);
}

GeomPtr clearance_part(GeosContext& ctx, const GEOSGeometry* a, bool a_polygonal, const GEOSGeometry* b, double dist) {
    const auto h = ctx.handle();
    GEOSGeometry* zone = GEOSBuffer_r(h, b, dist, 16);
    if (!zone) ctx.fail("cannot buffer a geometry");
    GeomPtr z = own(ctx, zone);
    if (a_polygonal) {
        GeomPtr part = polygonal_cut(ctx, Cut::intersection, a, z.get(), "a feature and a clearance zone");
        if (part) return part;
        return own(ctx, GEOSGeom_createEmptyCollection_r(h, GEOS_MULTIPOLYGON));
    }
    GEOSGeometry* part = GEOSIntersection_r(h, a, z.get());
    if (!part) ctx.fail("cannot cut a feature by a clearance zone");
    GeomPtr p = own(ctx, part);
    if (GEOSisEmpty_r(h, part) == 1) {
        double x = 0, y = 0;
        nearest_point(ctx, a, b, x, y);
        return own(ctx, GEOSGeom_createPointFromXY_r(h, x, y));
    }
    return p;
}

void nearest_point(GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b, double& x, double& y) {
    GEOSCoordSequence* seq = GEOSNearestPoints_r(ctx.handle(), a, b);
    if (!seq) ctx.fail("cannot find the nearest points of two features");
    GEOSCoordSeq_getXY_r(ctx.handle(), seq, 0, &x, &y);
    GEOSCoordSeq_destroy_r(ctx.handle(), seq);
}

void representative_point(GeosContext& ctx, const GEOSGeometry* g, double& x, double& y) {
    const auto h = ctx.handle();
    x = y = 0;
    if (!g || GEOSisEmpty_r(h, g) == 1) return;
    GEOSGeometry* p = GEOSPointOnSurface_r(h, g);
    if (p) {
        GeomPtr owned = own(ctx, p);
        if (GEOSisEmpty_r(h, p) != 1 && GEOSGeomGetX_r(h, p, &x) == 1 && GEOSGeomGetY_r(h, p, &y) == 1) return;
    }
    ctx.take_error();
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    GEOSGeom_getXMin_r(h, g, &x0);
    GEOSGeom_getYMin_r(h, g, &y0);
    GEOSGeom_getXMax_r(h, g, &x1);
    GEOSGeom_getYMax_r(h, g, &y1);
    x = (x0 + x1) / 2;
    y = (y0 + y1) / 2;
}

}  // namespace zk
