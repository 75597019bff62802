// RAII over the reentrant GEOS C API: one context per thread, owning geometry handles, prepared geometry.
#pragma once

#include <geos_c.h>

#include <memory>
#include <string>
#include <string_view>

namespace zk {

// A GEOS context handle that captures GEOS's error and notice messages. Not shareable between threads:
// each thread makes its own. Geometries made by one context may be read by another.
class GeosContext {
public:
    GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;
    ~GeosContext();

    GEOSContextHandle_t handle() const { return m_handle; }
    // The last message GEOS reported, or "" (cleared by take_error()).
    std::string take_error();
    // Throws GeosError with `what` and GEOS's last message.
    [[noreturn]] void fail(std::string_view what);

private:
    static void on_error(const char* message, void* userdata);
    GEOSContextHandle_t m_handle = nullptr;
    std::string m_last_error;
};

struct GeomDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSGeometry* g) const {
        if (g) GEOSGeom_destroy_r(ctx, g);
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

inline GeomPtr own(const GeosContext& ctx, GEOSGeometry* g) { return GeomPtr(g, GeomDeleter{ctx.handle()}); }

// A geometry read from well-known text (tests, small fixtures). Throws GeosError on bad text.
GeomPtr from_wkt(GeosContext& ctx, std::string_view wkt);
std::string to_wkt(GeosContext& ctx, const GEOSGeometry* g, int decimals = -1);

struct PreparedDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(const GEOSPreparedGeometry* p) const {
        if (p) GEOSPreparedGeom_destroy_r(ctx, p);
    }
};

// A geometry and the prepared form made from it, kept together so the prepared one never outlives it.
class PreparedGeom {
public:
    PreparedGeom(GeosContext& ctx, GeomPtr geom);
    const GEOSGeometry* geom() const { return m_geom.get(); }
    const GEOSPreparedGeometry* prepared() const { return m_prepared.get(); }

private:
    GeomPtr m_geom;
    std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter> m_prepared;
};

// Validity of a geometry as GEOS reports it.
struct Validity {
    bool valid = true;
    std::string reason;  // e.g. "Self-intersection"
    double x = 0, y = 0; // where GEOS located the problem
    bool has_location = false;
};
Validity check_validity(GeosContext& ctx, const GEOSGeometry* g);

// True for Polygon and MultiPolygon.
bool is_polygonal(GeosContext& ctx, const GEOSGeometry* g);

// GEOS's name of the geometry's type ("Polygon", "GeometryCollection", …), or "geometry"; for messages.
// (GEOSGeomType_r's string must be freed: putting it straight into a message leaks it.)
std::string geometry_type_of(GeosContext& ctx, const GEOSGeometry* g);

// The polygonal part of a geometry (a MultiPolygon, possibly empty); GeometryCollections are searched.
GeomPtr polygonal_part(GeosContext& ctx, const GEOSGeometry* g);

// MakeValid (structure method, keeping collapsed parts out), then the polygonal part.
GeomPtr make_valid_polygonal(GeosContext& ctx, const GEOSGeometry* g);

}  // namespace zk
