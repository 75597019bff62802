// Points per zone and line length per zone.
//
// Zones are polygons read in layer order; zone i is "lower" than zone j when it comes first. A point is
// counted in the lowest zone that covers it (interior or boundary), so a point on an edge shared by two
// zones is counted once, in the zone that comes first in the zone layer; a point covered by no zone is
// counted as "(none)". Lines are assigned the same way: each piece of a line goes to the lowest zone that
// covers it, so lengths are never counted twice even where zones overlap, and the pieces outside every
// zone go to "(none)". Rows are per value of the zone field (several zone features may share one value).
#pragma once

#include "zonekit/geometry/crs.hpp"
#include "zonekit/geometry/geos_context.hpp"
#include "zonekit/geometry/spatial_index.hpp"
#include "zonekit/io/source.hpp"

#include <geodesic.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zk {

inline const char* const outside_zone_key = "(none)";

// Polygonal zones keyed by a field, with the layer index (spatial_index.hpp) and a prepared geometry each
// (count and length run on one thread).
class ZoneSet {
public:
    ZoneSet();
    ZoneSet(ZoneSet&&) noexcept;
    ZoneSet& operator=(ZoneSet&&) noexcept;
    ~ZoneSet();

    // Adds a zone (in order); `geom` must be polygonal. Call build() after the last one.
    void add(GeosContext& ctx, std::string key, GeomPtr geom);
    // Packs the R-tree (bulk loading from the range of envelopes).
    void build();

    std::size_t size() const { return m_keys.size(); }
    const std::string& key(std::size_t zone) const { return m_keys[zone]; }
    const PreparedGeom& zone(std::size_t zone) const { return *m_zones[zone]; }
    // The distinct keys, sorted.
    std::vector<std::string> sorted_keys() const;

    // Zones whose envelope meets the envelope of `g`, in ascending order.
    std::vector<std::size_t> candidates(GeosContext& ctx, const GEOSGeometry* g) const;
    // The lowest zone that covers the point `p`, or nullopt.
    std::optional<std::size_t> locate_point(GeosContext& ctx, const GEOSGeometry* p) const;

private:
    std::vector<std::string> m_keys;
    std::vector<std::unique_ptr<PreparedGeom>> m_zones;  // null for a zone without geometry
    GeomIndex m_index;
};

// Reads a polygon layer into a ZoneSet keyed by `zone_field`. Throws InputError for a missing field, a
// non-polygonal layer or feature, or invalid polygons (unless the reader repairs them).
ZoneSet read_zones(GeosContext& ctx, LayerReader& reader, const std::string& zone_field,
                   std::vector<std::string>& warnings);

struct Lengths {
    double plan = 0;  // metres in the analysis CRS
    double geod = 0;  // metres on the ellipsoid (geodesic between densified vertices)
    Lengths& operator+=(const Lengths& o) {
        plan += o.plan;
        geod += o.geod;
        return *this;
    }
};

// Lengths of the linear parts of geometries: planar, and geodesic after densifying each segment in the
// plane (so a line drawn straight in the projected CRS is followed faithfully), each vertex
// inverse-projected to the datum's geographic CRS and measured with geod_inverse (PROJ geodesic.h).
// Holds a transformation: one per thread.
class LengthMeter {
public:
    LengthMeter(const Crs& analysis, double densify_m = 20.0);
    LengthMeter(const LengthMeter&) = default;
    Lengths measure(GeosContext& ctx, const GEOSGeometry* g);

private:
    void line_length(GeosContext& ctx, const GEOSGeometry* line, Lengths& out);
    Crs m_crs;
    double m_densify;
    Transform m_to_geographic;
    geod_geodesic m_geod{};
    std::vector<double> m_x, m_y;
};

struct ZoneCountRow {
    std::string zone;
    std::int64_t count = 0;
};

struct ZoneCountTable {
    std::string points_layer, zones_layer, zone_field, crs;
    std::vector<ZoneCountRow> rows;  // every zone key (sorted, zeros included), then "(none)"
    std::int64_t total = 0;          // every point read
    std::vector<std::string> warnings;
};

struct ZoneLengthRow {
    std::string zone;
    Lengths length;
};

struct ZoneLengthTable {
    std::string lines_layer, zones_layer, zone_field, crs;
    double densify_m = 0;
    std::vector<ZoneLengthRow> rows;  // every zone key (sorted), then "(none)"
    Lengths total;                    // the lines' own lengths, measured whole
    std::vector<std::string> warnings;
};

// Assigns each point of `g` (Point or MultiPoint: each part counts) to a zone: counts[zone] or *outside.
void count_points(GeosContext& ctx, const ZoneSet& zones, const GEOSGeometry* g, std::vector<std::int64_t>& counts,
                  std::int64_t& outside);

// Splits the line `g` among the zones (lowest zone first) and adds each piece's lengths to
// lengths[zone], and the rest to *outside.
void split_length(GeosContext& ctx, const ZoneSet& zones, LengthMeter& meter, const GEOSGeometry* g,
                  std::vector<Lengths>& lengths, Lengths& outside);

// Reads every point of `points` and counts them per zone key. Throws InputError for a layer that is not
// of points.
ZoneCountTable count_per_zone(GeosContext& ctx, const ZoneSet& zones, LayerReader& points);
// Reads every line of `lines` and sums their length per zone key. Throws InputError for a layer that is
// not of lines.
ZoneLengthTable length_per_zone(GeosContext& ctx, const ZoneSet& zones, LayerReader& lines, const Crs& analysis,
                                double densify_m);

// The jobs of `zonekit count` and `zonekit length` (and of their tables in `zonekit run`): the zones read
// from `zones` keyed by `zone_field` (read_zones), then the points or lines measured; the zones' warnings come
// first. The layer names and the CRS label are the caller's to fill in.
ZoneCountTable count_in_zones(GeosContext& ctx, LayerReader& points, LayerReader& zones, const std::string& zone_field);
ZoneLengthTable length_in_zones(GeosContext& ctx, LayerReader& lines, LayerReader& zones, const std::string& zone_field,
                                const Crs& analysis, double densify_m);

std::string zone_count_csv(const ZoneCountTable& table);
std::string zone_count_json(const ZoneCountTable& table);
std::string zone_count_markdown(const ZoneCountTable& table);
std::string zone_length_csv(const ZoneLengthTable& table);
std::string zone_length_json(const ZoneLengthTable& table);
std::string zone_length_markdown(const ZoneLengthTable& table);

}  // namespace zk
