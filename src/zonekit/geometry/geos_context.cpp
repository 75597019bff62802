#include "zonekit/geometry/geos_context.hpp"

#include "zonekit/base/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
// LeakSanitizer, for every program linked with zonekit (this file is in all of them; an object of a static
// library that nothing references is not linked, and its suppressions would be lost). fontconfig loses a
// little of what it allocates while loading its configuration, cairo keeps its toy font faces (until
// cairo_debug_reset_static_data) and, in 1.16, loses some bookkeeping of a finished PDF surface. None of these is zonekit's to free. The libraries have no frame pointers, so the stacks LSan
// records end in them: they are matched by module. zonekit holds every cairo and fontconfig object it makes
// in a unique_ptr or destroys it where it was made, so these lines stand for the libraries' own leaks only.
// GEOS 3.11's BufferBuilder::createSubgraphs loses its subgraphs when the buffer it builds (e.g. inside
// make-valid) throws; that one function is matched by name (fuzz_geometry found it;
// tests/fuzz/regressions-geometry/geos-buffer-leak-* replays it).
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libfontconfig.so\n"
           "leak:libcairo.so\n"
           "leak:geos::operation::buffer::BufferBuilder::createSubgraphs\n";
}
// Matched suppressions stay silent: LSan's summary of them at exit is not zonekit's output, and a test that reads
// every line of stderr (run --jobs names each line's project) would take it for one.
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
#endif

namespace zk {

GeosContext::GeosContext() : m_handle(GEOS_init_r()) {
    if (!m_handle) throw GeosError("could not create a GEOS context");
    GEOSContext_setErrorMessageHandler_r(m_handle, &GeosContext::on_error, this);
    GEOSContext_setNoticeMessageHandler_r(m_handle, nullptr, nullptr);
}

GeosContext::~GeosContext() { GEOS_finish_r(m_handle); }

void GeosContext::on_error(const char* message, void* userdata) {
    static_cast<GeosContext*>(userdata)->m_last_error = message ? message : "";
}

std::string GeosContext::take_error() {
    std::string msg;
    msg.swap(m_last_error);
    return msg;
}

void GeosContext::fail(std::string_view what) {
    std::string msg = take_error();
    if (msg.empty()) throw GeosError(std::string(what));
    throw GeosError(fmt::format("{}: {}", what, msg));
}

GeomPtr from_wkt(GeosContext& ctx, std::string_view wkt) {
    GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx.handle());
    std::string text(wkt);
    GEOSGeometry* g = GEOSWKTReader_read_r(ctx.handle(), reader, text.c_str());
    GEOSWKTReader_destroy_r(ctx.handle(), reader);
    if (!g) ctx.fail(fmt::format("cannot read WKT '{}'", text.substr(0, 60)));
    return own(ctx, g);
}

std::string geometry_type_of(GeosContext& ctx, const GEOSGeometry* g) {
    char* t = g ? GEOSGeomType_r(ctx.handle(), g) : nullptr;
    if (!t) return "geometry";
    std::string s(t);
    GEOSFree_r(ctx.handle(), t);
    return s;
}

std::string to_wkt(GeosContext& ctx, const GEOSGeometry* g, int decimals) {
    GEOSWKTWriter* writer = GEOSWKTWriter_create_r(ctx.handle());
    if (decimals >= 0) {
        GEOSWKTWriter_setRoundingPrecision_r(ctx.handle(), writer, decimals);
        GEOSWKTWriter_setTrim_r(ctx.handle(), writer, 1);
    }
    char* text = GEOSWKTWriter_write_r(ctx.handle(), writer, g);
    GEOSWKTWriter_destroy_r(ctx.handle(), writer);
    if (!text) ctx.fail("cannot write WKT");
    std::string out(text);
    GEOSFree_r(ctx.handle(), text);
    return out;
}

PreparedGeom::PreparedGeom(GeosContext& ctx, GeomPtr geom)
    : m_geom(std::move(geom)),
      m_prepared(GEOSPrepare_r(ctx.handle(), m_geom.get()), PreparedDeleter{ctx.handle()}) {
    if (!m_prepared) ctx.fail("cannot prepare geometry");
}

Validity check_validity(GeosContext& ctx, const GEOSGeometry* g) {
    Validity v;
    char* reason = nullptr;
    GEOSGeometry* location = nullptr;
    char rc = GEOSisValidDetail_r(ctx.handle(), g, 0, &reason, &location);
    if (rc == 2) {
        v.valid = false;
        v.reason = "GEOS could not test validity: " + ctx.take_error();
        return v;
    }
    v.valid = rc == 1;
    if (reason) {
        if (!v.valid) v.reason = reason;
        GEOSFree_r(ctx.handle(), reason);
    }
    if (location) {
        if (!v.valid && GEOSGeomGetX_r(ctx.handle(), location, &v.x) == 1 &&
            GEOSGeomGetY_r(ctx.handle(), location, &v.y) == 1)
            v.has_location = true;
        GEOSGeom_destroy_r(ctx.handle(), location);
    }
    return v;
}

bool is_polygonal(GeosContext& ctx, const GEOSGeometry* g) {
    int type = GEOSGeomTypeId_r(ctx.handle(), g);
    return type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON;
}

namespace {
void collect_polygons(GeosContext& ctx, const GEOSGeometry* g, std::vector<GEOSGeometry*>& out) {
    int type = GEOSGeomTypeId_r(ctx.handle(), g);
    if (type == GEOS_POLYGON) {
        if (!GEOSisEmpty_r(ctx.handle(), g)) out.push_back(GEOSGeom_clone_r(ctx.handle(), g));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(ctx.handle(), g);
        for (int i = 0; i < n; ++i) collect_polygons(ctx, GEOSGetGeometryN_r(ctx.handle(), g, i), out);
    }
}
}  // namespace

GeomPtr polygonal_part(GeosContext& ctx, const GEOSGeometry* g) {
    std::vector<GEOSGeometry*> parts;
    collect_polygons(ctx, g, parts);
    GEOSGeometry* multi = GEOSGeom_createCollection_r(ctx.handle(), GEOS_MULTIPOLYGON, parts.data(),
                                                      static_cast<unsigned>(parts.size()));
    if (!multi) {
        for (GEOSGeometry* p : parts) GEOSGeom_destroy_r(ctx.handle(), p);
        ctx.fail("cannot collect polygons");
    }
    return own(ctx, multi);
}

const char* make_valid_method_name(MakeValidMethod method) {
    return method == MakeValidMethod::linework ? "linework" : "structure";
}

std::optional<MakeValidMethod> parse_make_valid_method(std::string_view text) {
    if (text == "linework") return MakeValidMethod::linework;
    if (text == "structure") return MakeValidMethod::structure;
    return std::nullopt;
}

GeomPtr make_valid_polygonal(GeosContext& ctx, const GEOSGeometry* g, MakeValidMethod method) {
    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(ctx.handle());
    GEOSMakeValidParams_setMethod_r(ctx.handle(), params,
                                    method == MakeValidMethod::linework ? GEOS_MAKE_VALID_LINEWORK
                                                                        : GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(ctx.handle(), params, 0);
    GEOSGeometry* fixed = GEOSMakeValidWithParams_r(ctx.handle(), g, params);
    GEOSMakeValidParams_destroy_r(ctx.handle(), params);
    if (!fixed) ctx.fail("cannot repair geometry");
    GeomPtr owned = own(ctx, fixed);
    return polygonal_part(ctx, owned.get());
}

Repair repair_polygonal(GeosContext& ctx, const GEOSGeometry* g, MakeValidMethod method) {
    const auto h = ctx.handle();
    Repair r;
    r.geom = make_valid_polygonal(ctx, g, method);
    GeomPtr other = make_valid_polygonal(
        ctx, g, method == MakeValidMethod::linework ? MakeValidMethod::structure : MakeValidMethod::linework);
    GEOSGeometry* diff = GEOSSymDifference_r(h, r.geom.get(), other.get());
    if (!diff) {
        ctx.take_error();
        r.changed = own(ctx, GEOSGeom_createEmptyPolygon_r(h));
        return r;
    }
    GeomPtr owned = own(ctx, diff);
    r.changed = polygonal_part(ctx, owned.get());
    double area = 0;
    if (GEOSArea_r(h, r.changed.get(), &area) == 1) r.changed_plan_m2 = area;
    return r;
}

namespace {
// 0 points, 1 lines, 2 polygons; -1 for an empty or other part. Collections are walked by the caller.
int dimension_of(GeosContext& ctx, const GEOSGeometry* g) {
    switch (GEOSGeomTypeId_r(ctx.handle(), g)) {
        case GEOS_POINT:
        case GEOS_MULTIPOINT: return 0;
        case GEOS_LINESTRING:
        case GEOS_LINEARRING:
        case GEOS_MULTILINESTRING: return 1;
        case GEOS_POLYGON:
        case GEOS_MULTIPOLYGON: return 2;
        default: return -1;
    }
}

void flatten_parts(GeosContext& ctx, const GEOSGeometry* g, std::vector<const GEOSGeometry*>& out) {
    const int type = GEOSGeomTypeId_r(ctx.handle(), g);
    if (type == GEOS_GEOMETRYCOLLECTION || type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING ||
        type == GEOS_MULTIPOLYGON) {
        const int n = GEOSGetNumGeometries_r(ctx.handle(), g);
        for (int i = 0; i < n; ++i) flatten_parts(ctx, GEOSGetGeometryN_r(ctx.handle(), g, i), out);
    } else if (GEOSisEmpty_r(ctx.handle(), g) != 1) {
        out.push_back(g);
    }
}
}  // namespace

GeomPtr highest_dimension_parts(GeosContext& ctx, const GEOSGeometry* g, std::string& dropped) {
    const auto h = ctx.handle();
    dropped.clear();
    if (GEOSGeomTypeId_r(h, g) != GEOS_GEOMETRYCOLLECTION) return own(ctx, GEOSGeom_clone_r(h, g));
    std::vector<const GEOSGeometry*> parts;
    flatten_parts(ctx, g, parts);
    int top = -1;
    for (const GEOSGeometry* p : parts) top = std::max(top, dimension_of(ctx, p));
    std::size_t count[3] = {0, 0, 0};
    std::vector<GEOSGeometry*> kept;
    for (const GEOSGeometry* p : parts) {
        const int d = dimension_of(ctx, p);
        if (d == top) kept.push_back(GEOSGeom_clone_r(h, p));
        else if (d >= 0) ++count[d];
    }
    const char* names[3][2] = {{"point", "points"}, {"line", "lines"}, {"polygon", "polygons"}};
    for (int d = 2; d >= 0; --d)
        if (count[d] > 0)
            dropped += fmt::format("{}{} {}", dropped.empty() ? "" : ", ", count[d], names[d][count[d] == 1 ? 0 : 1]);
    const int type = top == 2 ? GEOS_MULTIPOLYGON : top == 1 ? GEOS_MULTILINESTRING : top == 0 ? GEOS_MULTIPOINT
                                                                                            : GEOS_GEOMETRYCOLLECTION;
    GEOSGeometry* out = GEOSGeom_createCollection_r(h, type, kept.data(), static_cast<unsigned>(kept.size()));
    if (!out) {
        for (GEOSGeometry* p : kept) GEOSGeom_destroy_r(h, p);
        ctx.fail("cannot collect the parts of a GeometryCollection");
    }
    return own(ctx, out);
}

}  // namespace zk
