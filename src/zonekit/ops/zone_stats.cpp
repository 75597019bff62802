#include "zonekit/ops/zone_stats.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/geometry/spatial_index.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace zk {

namespace {
bool is_empty(GeosContext& ctx, const GEOSGeometry* g) { return GEOSisEmpty_r(ctx.handle(), g) == 1; }

int field_or_throw(const OGRFeatureDefn* defn, const std::string& name, const LayerInfo& info) {
    const int i = defn->GetFieldIndex(name.c_str());
    if (i >= 0) return i;
    std::string fields;
    for (const auto& f : info.fields) fields += (fields.empty() ? "" : ", ") + f.name;
    throw InputError(fmt::format("field '{}' not found in layer '{}' of '{}' (fields: {})", name, info.name,
                                 info.source, fields));
}

}  // namespace

// ---------------------------------------------------------------- ZoneSet

ZoneSet::ZoneSet() = default;
ZoneSet::ZoneSet(ZoneSet&&) noexcept = default;
ZoneSet& ZoneSet::operator=(ZoneSet&&) noexcept = default;
ZoneSet::~ZoneSet() = default;

void ZoneSet::add(GeosContext& ctx, std::string key, GeomPtr geom) {
    m_keys.push_back(std::move(key));
    if (geom && !is_empty(ctx, geom.get())) m_zones.push_back(std::make_unique<PreparedGeom>(ctx, std::move(geom)));
    else m_zones.push_back(nullptr);
}

void ZoneSet::build() {
    GeosContext ctx;
    std::vector<const GEOSGeometry*> geoms;
    for (const auto& z : m_zones) geoms.push_back(z ? z->geom() : nullptr);
    m_index = GeomIndex(ctx, geoms);
}

std::vector<std::string> ZoneSet::sorted_keys() const {
    std::set<std::string> keys(m_keys.begin(), m_keys.end());
    return {keys.begin(), keys.end()};
}

std::vector<std::size_t> ZoneSet::candidates(GeosContext& ctx, const GEOSGeometry* g) const {
    std::vector<std::size_t> out;
    m_index.query(ctx, g, out);
    return out;
}

std::optional<std::size_t> ZoneSet::locate_point(GeosContext& ctx, const GEOSGeometry* p) const {
    for (std::size_t i : candidates(ctx, p)) {
        const char r = GEOSPreparedCovers_r(ctx.handle(), m_zones[i]->prepared(), p);
        if (r == 2) ctx.fail("cannot test whether a point lies in a zone");
        if (r == 1) return i;
    }
    return std::nullopt;
}

ZoneSet read_zones(GeosContext& ctx, LayerReader& reader, const std::string& zone_field,
                   std::vector<std::string>& warnings) {
    const LayerInfo& info = reader.info();
    ZoneSet zones;
    Feature f;
    int field = -1;
    while (reader.next(ctx, f)) {
        if (field < 0) field = field_or_throw(f.ogr->GetDefnRef(), zone_field, info);
        std::string key = f.ogr->IsFieldSetAndNotNull(field) ? f.ogr->GetFieldAsString(field) : "(null)";
        GeomPtr g = std::move(f.geom);
        if (g && !is_empty(ctx, g.get()) && !is_polygonal(ctx, g.get())) {
            GeomPtr part = polygonal_part(ctx, g.get());
            if (is_empty(ctx, part.get()))
                throw InputError(fmt::format("{} is a {}, not a polygon; zones must be polygons",
                                             reader.where(f.fid), geometry_type_of(ctx, g.get())));
            g = std::move(part);
        }
        zones.add(ctx, std::move(key), std::move(g));
    }
    std::size_t n = 0;
    const std::string listed =
        list_issues(reader.issues(), FeatureIssue::Kind::null_geometry, FeatureIssue::Kind::empty_geometry, n);
    if (n > 0)
        warnings.push_back(fmt::format("{} zone{} without geometry (null or empty) in layer '{}' hold nothing:{}", n,
                                       n == 1 ? "" : "s", info.name, listed));
    for (std::string& w : issue_warnings(reader)) warnings.push_back(std::move(w));
    if (zones.size() == 0)
        throw InputError(
            fmt::format("zone layer '{}' in '{}' has no features{}", info.name, info.source, damaged_left_out(reader)));
    zones.build();
    return zones;
}

// ---------------------------------------------------------------- lengths

LengthMeter::LengthMeter(const Crs& analysis, double densify_m)
    : m_crs(analysis), m_densify(densify_m), m_to_geographic(analysis, analysis.geographic()) {
    if (!analysis.is_projected())
        throw InputError(fmt::format("the analysis CRS {} is not projected: lengths need a projected CRS, e.g. a "
                                     "CGCS2000 Gauss–Kruger zone (EPSG:4534–4554)",
                                     analysis.label()));
    const double inv_f = analysis.inverse_flattening();
    geod_init(&m_geod, analysis.semi_major(), inv_f == 0 ? 0.0 : 1.0 / inv_f);
}

void LengthMeter::line_length(GeosContext& ctx, const GEOSGeometry* line, Lengths& out) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), line);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx.handle(), seq, &n)) ctx.fail("cannot read a line");
    if (n < 2) return;
    std::vector<double> xs(n), ys(n);
    if (!GEOSCoordSeq_copyToArrays_r(ctx.handle(), seq, xs.data(), ys.data(), nullptr, nullptr))
        ctx.fail("cannot read a line's coordinates");
    m_x.assign(1, xs[0]);
    m_y.assign(1, ys[0]);
    for (unsigned i = 1; i < n; ++i) {
        const double dx = xs[i] - xs[i - 1], dy = ys[i] - ys[i - 1];
        const double len = std::hypot(dx, dy);
        out.plan += len;
        if (m_densify > 0 && len > m_densify) {
            const auto steps = static_cast<std::size_t>(std::ceil(len / m_densify));
            for (std::size_t k = 1; k < steps; ++k) {
                const double t = static_cast<double>(k) / static_cast<double>(steps);
                m_x.push_back(xs[i - 1] + t * dx);
                m_y.push_back(ys[i - 1] + t * dy);
            }
        }
        m_x.push_back(xs[i]);
        m_y.push_back(ys[i]);
    }
    if (!m_to_geographic.transform(m_x.size(), m_x.data(), m_y.data()))
        throw InputError(fmt::format("a vertex near ({:.3f}, {:.3f}) cannot be inverse-projected from {} to "
                                     "geodetic coordinates; is the layer's CRS right?",
                                     xs[0], ys[0], m_crs.label()));
    for (std::size_t i = 1; i < m_x.size(); ++i) {
        double s12 = 0;
        geod_inverse(&m_geod, m_y[i - 1], m_x[i - 1], m_y[i], m_x[i], &s12, nullptr, nullptr);
        out.geod += s12;
    }
}

Lengths LengthMeter::measure(GeosContext& ctx, const GEOSGeometry* g) {
    Lengths total;
    if (!g || is_empty(ctx, g)) return total;
    const int type = GEOSGeomTypeId_r(ctx.handle(), g);
    if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
        line_length(ctx, g, total);
    } else if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
        const int parts = GEOSGetNumGeometries_r(ctx.handle(), g);
        for (int i = 0; i < parts; ++i) total += measure(ctx, GEOSGetGeometryN_r(ctx.handle(), g, i));
    }
    return total;  // points and polygons have no length here
}

// ---------------------------------------------------------------- assigning to zones

void count_points(GeosContext& ctx, const ZoneSet& zones, const GEOSGeometry* g, std::vector<std::int64_t>& counts,
                  std::int64_t& outside) {
    const int type = GEOSGeomTypeId_r(ctx.handle(), g);
    if (type == GEOS_MULTIPOINT || type == GEOS_GEOMETRYCOLLECTION) {
        const int parts = GEOSGetNumGeometries_r(ctx.handle(), g);
        for (int i = 0; i < parts; ++i) count_points(ctx, zones, GEOSGetGeometryN_r(ctx.handle(), g, i), counts, outside);
        return;
    }
    if (type != GEOS_POINT || is_empty(ctx, g)) return;
    if (auto zone = zones.locate_point(ctx, g)) ++counts[*zone];
    else ++outside;
}

void split_length(GeosContext& ctx, const ZoneSet& zones, LengthMeter& meter, const GEOSGeometry* g,
                  std::vector<Lengths>& lengths, Lengths& outside) {
    if (!g || is_empty(ctx, g)) return;
    GeomPtr rest;  // what is not yet assigned; null = all of g
    auto current = [&] { return rest ? rest.get() : g; };
    for (std::size_t i : zones.candidates(ctx, g)) {
        const PreparedGeom& zone = zones.zone(i);
        const char covers = GEOSPreparedCovers_r(ctx.handle(), zone.prepared(), current());
        if (covers == 2) ctx.fail("cannot test whether a line lies in a zone");
        if (covers == 1) {
            lengths[i] += meter.measure(ctx, current());
            return;
        }
        const char meets = GEOSPreparedIntersects_r(ctx.handle(), zone.prepared(), current());
        if (meets == 2) ctx.fail("cannot test whether a line meets a zone");
        if (meets == 0) continue;
        GEOSGeometry* piece = GEOSIntersection_r(ctx.handle(), current(), zone.geom());
        if (!piece) ctx.fail("cannot cut a line by a zone");
        lengths[i] += meter.measure(ctx, own(ctx, piece).get());
        GEOSGeometry* left = GEOSDifference_r(ctx.handle(), current(), zone.geom());
        if (!left) ctx.fail("cannot cut a line by a zone");
        rest = own(ctx, left);
        if (is_empty(ctx, rest.get())) return;
    }
    outside += meter.measure(ctx, current());
}

namespace {
// Maps each zone index to its row (by key) in the sorted key list.
std::vector<std::size_t> rows_of(const ZoneSet& zones, const std::vector<std::string>& keys) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < keys.size(); ++i) index[keys[i]] = i;
    std::vector<std::size_t> rows(zones.size());
    for (std::size_t z = 0; z < zones.size(); ++z) rows[z] = index.at(zones.key(z));
    return rows;
}

void warn_skipped(const LayerReader& reader, std::vector<std::string>& warnings) {
    if (std::string damaged = damaged_warning(reader); !damaged.empty()) warnings.push_back(std::move(damaged));
    std::size_t n = 0;
    const std::string listed =
        list_issues(reader.issues(), FeatureIssue::Kind::null_geometry, FeatureIssue::Kind::empty_geometry, n);
    if (n > 0)
        warnings.push_back(fmt::format("{} feature{} without geometry (null or empty) in layer '{}' skipped:{}", n,
                                       n == 1 ? "" : "s", reader.info().name, listed));
}
}  // namespace

ZoneCountTable count_per_zone(GeosContext& ctx, const ZoneSet& zones, LayerReader& points) {
    ZoneCountTable table;
    const std::vector<std::string> keys = zones.sorted_keys();
    const std::vector<std::size_t> row_of = rows_of(zones, keys);
    std::vector<std::int64_t> per_zone(zones.size(), 0);
    std::int64_t outside = 0;
    Feature f;
    bool first = true;
    while (points.next(ctx, f)) {
        if (first) {
            first = false;
            const auto t = wkbFlatten(f.ogr->GetDefnRef()->GetGeomType());
            if (!(t == wkbUnknown || t == wkbPoint || t == wkbMultiPoint))
                throw InputError(fmt::format("layer '{}' in '{}' holds {} geometries; `zonekit count` counts points "
                                             "(for lines use `zonekit length`)",
                                             points.info().name, points.info().source, OGRGeometryTypeToName(t)));
        }
        if (!f.geom || is_empty(ctx, f.geom.get())) continue;
        const int type = GEOSGeomTypeId_r(ctx.handle(), f.geom.get());
        if (type != GEOS_POINT && type != GEOS_MULTIPOINT)
            throw InputError(fmt::format("{} is a {}, not a point; `zonekit count` counts points",
                                         points.where(f.fid), geometry_type_of(ctx, f.geom.get())));
        count_points(ctx, zones, f.geom.get(), per_zone, outside);
    }
    table.rows.reserve(keys.size() + 1);
    for (const auto& k : keys) table.rows.push_back({k, 0});
    for (std::size_t z = 0; z < zones.size(); ++z) table.rows[row_of[z]].count += per_zone[z];
    table.rows.push_back({outside_zone_key, outside});
    for (const auto& r : table.rows) table.total += r.count;
    warn_skipped(points, table.warnings);
    return table;
}

ZoneLengthTable length_per_zone(GeosContext& ctx, const ZoneSet& zones, LayerReader& lines, const Crs& analysis,
                                double densify_m) {
    ZoneLengthTable table;
    table.densify_m = densify_m;
    LengthMeter meter(analysis, densify_m);
    const std::vector<std::string> keys = zones.sorted_keys();
    const std::vector<std::size_t> row_of = rows_of(zones, keys);
    std::vector<Lengths> per_zone(zones.size());
    Lengths outside;
    Feature f;
    bool first = true;
    while (lines.next(ctx, f)) {
        if (first) {
            first = false;
            const auto t = wkbFlatten(f.ogr->GetDefnRef()->GetGeomType());
            if (!(t == wkbUnknown || t == wkbLineString || t == wkbMultiLineString))
                throw InputError(fmt::format("layer '{}' in '{}' holds {} geometries; `zonekit length` measures lines "
                                             "(for points use `zonekit count`, for polygons `zonekit tabulate`)",
                                             lines.info().name, lines.info().source, OGRGeometryTypeToName(t)));
        }
        if (!f.geom || is_empty(ctx, f.geom.get())) continue;
        const int type = GEOSGeomTypeId_r(ctx.handle(), f.geom.get());
        if (type != GEOS_LINESTRING && type != GEOS_MULTILINESTRING && type != GEOS_LINEARRING)
            throw InputError(fmt::format("{} is a {}, not a line; `zonekit length` measures lines",
                                         lines.where(f.fid), geometry_type_of(ctx, f.geom.get())));
        try {
            table.total += meter.measure(ctx, f.geom.get());
            split_length(ctx, zones, meter, f.geom.get(), per_zone, outside);
        } catch (const std::runtime_error& e) {
            throw InputError(fmt::format("{}: {}", lines.where(f.fid), e.what()));
        }
    }
    for (const auto& k : keys) table.rows.push_back({k, {}});
    for (std::size_t z = 0; z < zones.size(); ++z) table.rows[row_of[z]].length += per_zone[z];
    table.rows.push_back({outside_zone_key, outside});
    Lengths sum;
    for (const auto& r : table.rows) sum += r.length;
    if (std::abs(sum.plan - table.total.plan) > 1e-6 * std::max(1.0, table.total.plan))
        table.warnings.push_back(fmt::format("the pieces add up to {:.3f} m but the lines measure {:.3f} m whole; "
                                             "the zones may have tiny overlaps or gaps along the lines",
                                             sum.plan, table.total.plan));
    warn_skipped(lines, table.warnings);
    return table;
}

ZoneCountTable count_in_zones(GeosContext& ctx, LayerReader& points, LayerReader& zones, const std::string& zone_field) {
    std::vector<std::string> warnings;
    const ZoneSet set = read_zones(ctx, zones, zone_field, warnings);
    ZoneCountTable table = count_per_zone(ctx, set, points);
    table.zone_field = zone_field;
    table.warnings.insert(table.warnings.begin(), warnings.begin(), warnings.end());
    return table;
}

ZoneLengthTable length_in_zones(GeosContext& ctx, LayerReader& lines, LayerReader& zones, const std::string& zone_field,
                                const Crs& analysis, double densify_m) {
    std::vector<std::string> warnings;
    const ZoneSet set = read_zones(ctx, zones, zone_field, warnings);
    ZoneLengthTable table = length_per_zone(ctx, set, lines, analysis, densify_m);
    table.zone_field = zone_field;
    table.warnings.insert(table.warnings.begin(), warnings.begin(), warnings.end());
    return table;
}

// ---------------------------------------------------------------- tables

namespace {
const char* const point_rule =
    "a point is counted once, in the first zone (in zone-layer order) that covers it (interior or boundary); "
    "points in no zone are counted as (none)";
const char* const line_rule =
    "each piece of a line goes to the first zone (in zone-layer order) that covers it (a piece along an edge "
    "shared by two zones goes to the first); pieces in no zone go to (none)";
}  // namespace

std::string zone_count_csv(const ZoneCountTable& table) {
    std::string out = "zone,count\n";
    for (const auto& r : table.rows) out += fmt::format("{},{}\n", csv_field(r.zone), r.count);
    out += fmt::format("(total),{}\n", table.total);
    return out;
}

std::string zone_count_json(const ZoneCountTable& table) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["points_layer"] = table.points_layer;
    j["zones_layer"] = table.zones_layer;
    j["zone_field"] = table.zone_field;
    j["crs"] = table.crs;
    j["rule"] = point_rule;
    ordered_json rows = ordered_json::array();
    for (const auto& r : table.rows) rows.push_back({{"zone", r.zone}, {"count", r.count}});
    j["rows"] = std::move(rows);
    j["total"] = table.total;
    j["warnings"] = table.warnings;
    return json_text(std::move(j));
}

std::string zone_count_markdown(const ZoneCountTable& table) {
    std::string out = fmt::format("Points of '{}' per zone of '{}' by {}, analysis CRS {}\n\n", table.points_layer,
                                  table.zones_layer, table.zone_field, table.crs);
    out += fmt::format("| {} | count | share % |\n|---|---:|---:|\n", md_cell(table.zone_field));
    auto share = [&](std::int64_t n) { return table.total > 0 ? 100.0 * static_cast<double>(n) / static_cast<double>(table.total) : 0.0; };
    for (const auto& r : table.rows) out += fmt::format("| {} | {} | {:.2f} |\n", md_cell(r.zone), r.count, share(r.count));
    out += fmt::format("| **total** | {} | {:.2f} |\n", table.total, table.total > 0 ? 100.0 : 0.0);
    out += fmt::format("\nRule: {}.\n", point_rule);
    return out;
}

std::string zone_length_csv(const ZoneLengthTable& table) {
    std::string out = "zone,length_m,length_km,geod_m\n";
    auto line = [&](const std::string& zone, const Lengths& l) {
        out += fmt::format("{},{:.3f},{:.6f},{:.3f}\n", csv_field(zone), l.plan, l.plan / 1000.0, l.geod);
    };
    for (const auto& r : table.rows) line(r.zone, r.length);
    line("(total)", table.total);
    return out;
}

std::string zone_length_json(const ZoneLengthTable& table) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["lines_layer"] = table.lines_layer;
    j["zones_layer"] = table.zones_layer;
    j["zone_field"] = table.zone_field;
    j["crs"] = table.crs;
    j["densify_m"] = table.densify_m;
    j["rule"] = line_rule;
    auto row = [](const std::string& zone, const Lengths& l) {
        ordered_json r;
        if (!zone.empty()) r["zone"] = zone;
        r["length_m"] = l.plan;
        r["length_km"] = l.plan / 1000.0;
        r["geod_m"] = l.geod;
        return r;
    };
    ordered_json rows = ordered_json::array();
    for (const auto& r : table.rows) rows.push_back(row(r.zone, r.length));
    j["rows"] = std::move(rows);
    j["total"] = row("", table.total);
    j["warnings"] = table.warnings;
    return json_text(std::move(j));
}

std::string zone_length_markdown(const ZoneLengthTable& table) {
    std::string out = fmt::format("Length of '{}' per zone of '{}' by {}, analysis CRS {}\n\n", table.lines_layer,
                                  table.zones_layer, table.zone_field, table.crs);
    out += fmt::format("| {} | length m | length km | geod m | share % |\n|---|---:|---:|---:|---:|\n",
                       md_cell(table.zone_field));
    auto line = [&](const std::string& zone, const Lengths& l) {
        out += fmt::format("| {} | {:.3f} | {:.6f} | {:.3f} | {:.2f} |\n", zone, l.plan, l.plan / 1000.0, l.geod,
                           table.total.plan > 0 ? 100.0 * l.plan / table.total.plan : 0.0);
    };
    for (const auto& r : table.rows) line(md_cell(r.zone), r.length);
    line("**total**", table.total);
    out += fmt::format("\nlength: planar, in {}; geod: geodesic on the ellipsoid, {}. Rule: {}.\n", table.crs,
                       table.densify_m > 0 ? fmt::format("following segments densified to {:g} m in the plane",
                                                         table.densify_m)
                                           : std::string("between the bare vertices"),
                       line_rule);
    return out;
}

}  // namespace zk
