// Overlay of a streamed polygon layer A by an in-memory zone layer B: intersection, union, identity,
// difference, symdifference (GeoPandas' overlay(how=…)), clip and erase (GDAL's layer algebra).
//
// How it does less work: a packed R-tree over B gives the candidate zones of each A feature; a prepared
// geometry per zone says whether the feature lies wholly inside it (then it is taken whole, with no overlay);
// only features that cross a zone's edge are cut (GEOS OverlayNG; on a GEOS failure the cut is retried on a
// precision grid, and counted). A is read ahead in chunks on a reader thread, chunks are cut on worker threads
// (one GEOS context each), and the pieces are handed to the sink on the calling thread, in A's order —
// identical whatever the thread count. Memory grows with B (plus, for union/symdifference, B's parts not yet
// covered by A), not with A.
#pragma once

#include "zonekit/geometry/area.hpp"
#include "zonekit/geometry/spatial_index.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/feature_defn.hpp"
#include "zonekit/ops/polygon_source.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

enum class OverlayOp { intersection, union_, identity, difference, symdifference, clip, erase };

// Parses "intersection", "union", ...; throws InputError listing the operations otherwise.
OverlayOp parse_overlay_op(std::string_view text);
const char* overlay_op_name(OverlayOp op);
// True when output features carry B's attributes and b_fid (intersection, union, identity, symdifference);
// clip, erase and difference keep A's attributes only.
bool keeps_both_sides(OverlayOp op);

// One feature of the zone layer B.
struct Zone {
    std::int64_t fid = 0;
    OGRFeatureUniquePtr ogr;  // attributes (its geometry released); may be null
    GeomPtr geom;             // polygonal, not empty
    Box box;
};

// The zone layer, in memory, with a packed R-tree over its envelopes.
class ZoneLayer {
public:
    // Takes the zones (their geometries must be polygonal and non-empty). Computes envelopes and the index.
    ZoneLayer(GeosContext& ctx, std::vector<Zone> zones);
    const std::vector<Zone>& zones() const { return m_zones; }
    const GeomIndex& index() const { return m_index; }
    std::size_t size() const { return m_zones.size(); }

private:
    std::vector<Zone> m_zones;
    GeomIndex m_index;
};

// Reads every feature of `reader` as a zone. Features without geometry (or empty) are left out and their
// ids appended to `skipped`; a non-polygonal geometry is an InputError naming the feature.
ZoneLayer load_zones(GeosContext& ctx, LayerReader& reader, std::vector<std::int64_t>& skipped);


struct OverlayPiece {
    const Feature* a = nullptr;   // null for a part of B not covered by A
    const Zone* b = nullptr;      // null for a part of A outside B, and for clip/erase/difference
    std::size_t zone_index = 0;   // index of b in the ZoneLayer (when b is set)
    const GEOSGeometry* geom = nullptr;  // null when OverlayOptions::keep_geometry is off
    bool whole = false;           // the source feature unchanged, no overlay needed
    Areas areas;                  // m² (only plan when OverlayOptions::planar_only)
    // With OverlayOptions::ogr_geometry: the piece's geometry as an OGR MultiPolygon, made on a worker
    // thread; the sink may take it (std::move(*piece.ogr)). Null otherwise.
    OGRGeometryUniquePtr* ogr = nullptr;
};

// Called on the calling thread, in order: A's features in reading order, each one's pieces with zones in
// zone order, then its part outside B; after all of A, B's parts not covered by A in zone order.
using PieceSink = std::function<void(GeosContext&, const OverlayPiece&)>;

struct OverlayOptions {
    OverlayOp op = OverlayOp::intersection;
    unsigned threads = 0;            // worker threads; 0 = all cores
    bool planar_only = false;        // measure only plan areas (faster), e.g. for a plan tabulation
    bool keep_geometry = true;       // hand the pieces' geometry to the sink
    bool ogr_geometry = false;       // also as OGR MultiPolygons made by the workers (OverlayPiece::ogr)
    double grid = 1e-3;              // precision grid (m) of the retry after a GEOS failure
    AreaOptions area;
    std::size_t chunk = 64;          // features per worker task (does not change the output)
    std::size_t flush_every = 2048;  // A features between updates of B's uncovered parts (union, symdifference)
    std::int64_t expected = -1;      // number of A features, for progress; -1 unknown
    std::function<void(double)> progress;  // fraction done, called on the calling thread
};

// A pair that could not be cut even on the precision grid (and after MakeValid): listed, never dropped silently.
struct OverlayProblem {
    std::int64_t a_fid = -1;
    std::int64_t b_fid = -1;  // -1 when B is not involved
    std::string message;
};

struct OverlayStats {
    std::int64_t a_features = 0;          // read from A
    std::int64_t a_without_geometry = 0;  // null or empty geometry: nothing to overlay
    std::vector<std::int64_t> a_without_geometry_fids;  // the first 20
    std::int64_t taken_whole = 0;         // pieces that are a whole A feature (no overlay)
    std::int64_t overlays = 0;            // GEOS overlay operations run
    std::int64_t pieces = 0;              // pieces handed to the sink
    std::int64_t lower_dim_dropped = 0;   // line/point parts of a cut's result, dropped
    std::int64_t touching_only = 0;       // candidate pairs that meet only along an edge or at points
    std::int64_t precision_retries = 0;   // cuts retried on the precision grid
    std::vector<OverlayProblem> problems;
};

// Runs the overlay. Throws what the source or the sink throws (after the worker threads have stopped), and
// InputError for a non-polygonal A feature.
OverlayStats run_overlay(const FeatureSource& source, const ZoneLayer& zones, const Crs& analysis,
                         const OverlayOptions& options, const PieceSink& sink);
// The same over a layer A, read through the polygonal source (polygon_source.hpp): `zonekit overlay` and the
// overlays of `zonekit run`.
OverlayStats overlay_layer(LayerReader& a, const ZoneLayer& zones, const Crs& analysis, const OverlayOptions& options,
                           const PieceSink& sink);

// ---- Attributes of the output --------------------------------------------------------------------------

// Which fields each side keeps: "a:f1,f2,b:g1" (a side not named keeps all its fields; "a:" keeps none).
struct KeepFields {
    bool a_all = true, b_all = true;
    std::vector<std::string> a, b;
};
// Throws InputError on text it cannot read.
KeepFields parse_keep_fields(std::string_view text);

// The output fields: A's kept fields, B's kept fields (for ops that keep both sides), a_fid, b_fid. A name
// used by both sides, or by one of zonekit's own fields (a_fid, b_fid, plan_m2, ellip_m2, geod_m2), is
// written with the prefix a_ or b_ (then a number if still taken); each rename is described in `renames`.
class OverlaySchema {
public:
    // Throws InputError for a --keep-fields name that is not a field of its layer.
    OverlaySchema(OverlayOp op, const OGRFeatureDefn* a, const OGRFeatureDefn* b, const KeepFields& keep,
                  const std::string& a_name, const std::string& b_name);
    const OGRFeatureDefn* defn() const { return m_defn.get(); }
    const std::vector<std::string>& renames() const { return m_renames; }
    // A feature of defn() with the piece's attributes (a side that is absent is null).
    OGRFeatureUniquePtr make(const OverlayPiece& piece) const;

private:
    FeatureDefnPtr m_defn;
    std::vector<std::pair<int, int>> m_a_map, m_b_map;  // source field index → output index
    int m_a_fid = -1, m_b_fid = -1;
    std::vector<std::string> m_renames;
};

// Progress in GDAL's terminal style: the text to print when the fraction done goes from `from` to `to`
// ("0...10...20" — a number every 10 %, a dot every 2.5 %, "100 - done.\n" at the end).
std::string progress_text(double from, double to);

}  // namespace zk
