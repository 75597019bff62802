// RAII over the reentrant GEOS C API: one context per thread, owning geometry handles, prepared geometry.
#pragma once

#include <geos_c.h>

#include <memory>
#include <optional>
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

// How MakeValid reads an invalid polygon. LINEWORK (the default, as PostGIS's ST_MakeValid and QGIS's "Fix
// geometries"): every ring is linework, noded, and the faces are kept by parity, so a self-overlap becomes a
// hole. STRUCTURE: shells are unioned and holes subtracted, so a self-overlap stays filled.
enum class MakeValidMethod { linework, structure };
const char* make_valid_method_name(MakeValidMethod method);  // "linework", "structure"
// Parses "linework" or "structure"; nullopt otherwise.
std::optional<MakeValidMethod> parse_make_valid_method(std::string_view text);

// MakeValid by `method` (collapsed parts left out), then the polygonal part.
GeomPtr make_valid_polygonal(GeosContext& ctx, const GEOSGeometry* g,
                             MakeValidMethod method = MakeValidMethod::linework);

// An invalid polygon repaired, and what the repair decided: the part whose membership depends on how the
// defect is read — the symmetric difference of the LINEWORK and the STRUCTURE repair. It is empty for a
// self-touching ring or a plain bow-tie (both readings agree), and is the doubly covered part of a ring that
// overlaps itself. Never the whole feature.
struct Repair {
    GeomPtr geom;      // the repaired polygonal geometry (by the method asked for)
    GeomPtr changed;   // polygonal, possibly empty
    double changed_plan_m2 = 0;  // its planar area, in the CRS's units squared
};
Repair repair_polygonal(GeosContext& ctx, const GEOSGeometry* g, MakeValidMethod method);

// A GeometryCollection reduced to its parts of the highest dimension (polygons if it has any, else lines, else
// points); `dropped` says what was left out, e.g. "1 line, 2 points", "" when nothing. Other geometries are
// returned as a clone with `dropped` empty.
GeomPtr highest_dimension_parts(GeosContext& ctx, const GEOSGeometry* g, std::string& dropped);

}  // namespace zk
