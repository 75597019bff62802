#include "zonekit/ops/area_table.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/ops/polygon_source.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace zk {

namespace {

std::string key_of(const OGRFeature& feature, int field) {
    if (field < 0) return std::to_string(feature.GetFID());
    if (!feature.IsFieldSetAndNotNull(field)) return "(null)";
    return feature.GetFieldAsString(field);
}

}  // namespace

AreaTable measure_layer(LayerReader& reader, const Crs& analysis, const MeasureOptions& options,
                        const FeatureSink& sink) {
    const LayerInfo& info = reader.info();
    AreaTable table;
    table.source = info.source;
    table.layer = info.name;
    table.crs = analysis.label();
    table.by = options.by;
    table.densify_m = options.area.densify_m;

    GeosContext ctx;
    AreaMeter meter(analysis, options.area);
    int by_field = -1;
    std::map<std::string, std::size_t> group_index;
    double lon_min = 1e300, lon_max = -1e300;
    Areas outside;
    std::int64_t outside_count = 0;
    const double cm = analysis.is_transverse_mercator() ? analysis.central_meridian() : 0.0;
    const double half = analysis.zone_half_width();

    Feature feature;
    bool first = true;
    PolygonReader polygons(reader, "area measures polygons",
                           ". For lines use `zonekit length`, for points `zonekit count`");
    while (polygons.next(ctx, feature)) {
        if (first) {
            first = false;
            OGRFeatureDefn* defn = feature.ogr->GetDefnRef();
            if (!options.by.empty()) {
                by_field = defn->GetFieldIndex(options.by.c_str());
                if (by_field < 0) {
                    std::string fields;
                    for (const auto& f : info.fields) fields += (fields.empty() ? "" : ", ") + f.name;
                    throw InputError(fmt::format("field '{}' not found in layer '{}' of '{}' (fields: {})", options.by,
                                                 info.name, info.source, fields));
                }
            }
        }
        const GEOSGeometry* g = feature.geom.get();
        Areas areas;
        if (g) {
            meter.reset_lon_range();
            try {
                areas = meter.measure(ctx, g);
            } catch (const InputError& e) {
                throw InputError(fmt::format("{}: {}", reader.where(feature.fid), e.what()));
            }
            if (meter.min_lon() <= meter.max_lon()) {
                lon_min = std::min(lon_min, meter.min_lon());
                lon_max = std::max(lon_max, meter.max_lon());
                if (analysis.is_transverse_mercator() &&
                    (meter.min_lon() < cm - half || meter.max_lon() > cm + half)) {
                    outside += areas;
                    ++outside_count;
                }
            }
        }
        const std::string key = key_of(*feature.ogr, by_field);
        auto [it, inserted] = group_index.try_emplace(key, table.groups.size());
        if (inserted) table.groups.push_back({key, 0, {}});
        AreaRow& row = table.groups[it->second];
        ++row.count;
        row.areas += areas;
        ++table.total.count;
        table.total.areas += areas;
        if (sink) sink(ctx, feature, g, areas);
    }
    if (table.total.count == 0)
        throw InputError(fmt::format("layer '{}' in '{}' has no features{}{}; there is nothing to measure", info.name,
                                     info.source, reader.filtered() ? " that match --where" : "",
                                     damaged_left_out(reader)));
    if (!options.by.empty())
        std::sort(table.groups.begin(), table.groups.end(),
                  [](const AreaRow& a, const AreaRow& b) { return a.key < b.key; });

    std::size_t n = 0;
    const std::string listed =
        list_issues(reader.issues(), FeatureIssue::Kind::null_geometry, FeatureIssue::Kind::empty_geometry, n);
    if (n > 0) {
        if (!options.skip_empty)
            throw InputError(fmt::format("layer '{}' in '{}' has {} feature{} without geometry (null or empty). Remove "
                                         "them, filter them with --where, or pass --skip-empty to count them with "
                                         "area 0:{}",
                                         info.name, info.source, n, n == 1 ? "" : "s", listed));
        table.warnings.push_back(
            fmt::format("{} feature{} without geometry counted with area 0:{}", n, n == 1 ? "" : "s", listed));
    }
    for (std::string& w : issue_warnings(reader)) table.warnings.push_back(std::move(w));
    if (analysis.is_transverse_mercator() && lon_min <= lon_max) {
        std::string w = zone_edge_warning(analysis, info.name, lon_min, lon_max, outside, outside_count);
        if (!w.empty()) table.warnings.push_back(w);
    }
    return table;
}

LayerArea layer_area(LayerReader& reader, const Crs& analysis, const AreaOptions& area, AreaMethod method) {
    MeasureOptions options;
    options.skip_empty = true;
    options.area = area;
    LayerArea out;
    const AreaTable table = measure_layer(reader, analysis, options, [&out](GeosContext&, const Feature&,
                                                                            const GEOSGeometry* g, const Areas&) {
        if (g) ++out.features;
    });
    out.m2 = pick(table.total.areas, method);
    out.warnings = table.warnings;
    return out;
}

std::string zone_edge_warning(const Crs& analysis, const std::string& layer, double min_lon, double max_lon,
                              const Areas& outside, std::int64_t outside_count) {
    const double cm = analysis.central_meridian();
    const double half = analysis.zone_half_width();
    const double west = cm - half, east = cm + half;
    if (min_lon >= west && max_lon <= east) return "";
    std::string where;
    if (min_lon < west) where = fmt::format("to {:.4f}°E, {:.4f}° west of the zone's western edge ({:.1f}°E)", min_lon,
                                            west - min_lon, west);
    if (max_lon > east) {
        if (!where.empty()) where += " and ";
        where += fmt::format("to {:.4f}°E, {:.4f}° east of its eastern edge ({:.1f}°E)", max_lon, max_lon - east, east);
    }
    const double diff = outside.plan - outside.geod;
    const double rel = outside.geod > 0 ? diff / outside.geod : 0.0;
    return fmt::format("layer '{}' straddles the edge of the Gauss–Kruger zone of {} (central meridian {:.0f}°E): it "
                       "reaches {}. The planar area is inflated there: for the {} feature{} that reach{} beyond the "
                       "edge, plan exceeds geod by {:.0f} m² ({:.3f}%). Sign the ellipsoidal areas, or choose the "
                       "zone that holds the data with --crs",
                       layer, analysis.label(), cm, where, outside_count, outside_count == 1 ? "" : "s", outside_count == 1 ? "es" : "", diff,
                       rel * 100.0);
}

namespace {
double share_of(const AreaRow& row, const AreaRow& total) {
    return total.areas.ellip > 0 ? row.areas.ellip / total.areas.ellip * 100.0 : 0.0;
}

}  // namespace

std::string area_table_csv(const AreaTable& table, AreaUnit unit) {
    const int d = display_decimals(unit);
    const std::string u = unit_name(unit);
    std::string out = fmt::format("key,count,plan_{0},ellip_{0},geod_{0},share_pct\n", u);
    auto line = [&](const AreaRow& row, const std::string& key) {
        out += fmt::format("{},{},{:.{}f},{:.{}f},{:.{}f},{:.4f}\n", csv_field(key), row.count,
                           from_square_metres(row.areas.plan, unit), d, from_square_metres(row.areas.ellip, unit), d,
                           from_square_metres(row.areas.geod, unit), d, share_of(row, table.total));
    };
    for (const auto& row : table.groups) line(row, row.key);
    line(table.total, "(total)");
    return out;
}

std::string area_table_json(const AreaTable& table, AreaUnit unit) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["source"] = table.source;
    j["layer"] = table.layer;
    j["crs"] = table.crs;
    j["unit"] = unit_name(unit);
    ordered_json groups = ordered_json::array();
    for (const auto& row : table.groups) {
        ordered_json g;
        if (table.by.empty()) g["key"] = std::stoll(row.key);
        else g["key"] = row.key;
        g["count"] = row.count;
        g["plan"] = from_square_metres(row.areas.plan, unit);
        g["ellip"] = from_square_metres(row.areas.ellip, unit);
        g["geod"] = from_square_metres(row.areas.geod, unit);
        g["share"] = share_of(row, table.total);
        groups.push_back(std::move(g));
    }
    j["groups"] = std::move(groups);
    ordered_json total;
    total["count"] = table.total.count;
    total["plan"] = from_square_metres(table.total.areas.plan, unit);
    total["ellip"] = from_square_metres(table.total.areas.ellip, unit);
    total["geod"] = from_square_metres(table.total.areas.geod, unit);
    j["total"] = std::move(total);
    j["densify_m"] = table.densify_m;
    j["warnings"] = table.warnings;
    return json_text(std::move(j));
}

std::string area_table_markdown(const AreaTable& table, AreaUnit unit) {
    const int d = display_decimals(unit);
    const std::string u = unit_label(unit);
    std::string out = fmt::format("Areas of layer '{}' in '{}', analysis CRS {}, unit {}\n\n", table.layer,
                                  table.source, table.crs, u);
    out += fmt::format("| {} | count | plan | ellip | geod | share % |\n", table.by.empty() ? "fid" : md_cell(table.by));
    out += "|---|---:|---:|---:|---:|---:|\n";
    auto line = [&](const AreaRow& row, const std::string& key) {
        out += fmt::format("| {} | {} | {:.{}f} | {:.{}f} | {:.{}f} | {:.2f} |\n", key, row.count,
                           from_square_metres(row.areas.plan, unit), d, from_square_metres(row.areas.ellip, unit), d,
                           from_square_metres(row.areas.geod, unit), d, share_of(row, table.total));
    };
    for (const auto& row : table.groups) line(row, md_cell(row.key));
    line(table.total, "**total**");
    out += fmt::format("\nplan: planar area in {}; ellip: national land survey ellipsoidal formula (国土调查办发〔2008〕32号); "
                       "geod: Karney geodesic area. {}; share: percent of the total ellip.\n",
                       table.crs,
                       table.densify_m > 0 ? fmt::format("ellip and geod follow edges densified to {:g} m in the plane", table.densify_m)
                                           : std::string("ellip and geod use the bare vertices (--densify 0)"));
    return out;
}

}  // namespace zk
