#include "zonekit/ops/tabulate.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/landuse_classes.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace zk {

namespace {

std::string field_list(const OGRFeatureDefn* defn) {
    std::string out;
    for (int k = 0; k < defn->GetFieldCount(); ++k) out += (k ? ", " : "") + std::string(defn->GetFieldDefn(k)->GetNameRef());
    return out;
}

int field_index(const OGRFeatureDefn* defn, const std::string& field, const std::string& layer) {
    const int i = defn ? defn->GetFieldIndex(field.c_str()) : -1;
    if (i < 0)
        throw InputError(fmt::format("field '{}' not found in layer '{}' (fields: {})", field, layer,
                                     defn ? field_list(defn) : std::string()));
    return i;
}

std::string value_of(const OGRFeature* f, int i) {
    if (!f || !f->IsFieldSetAndNotNull(i)) return "(null)";
    return f->GetFieldAsString(i);
}

const char* method_name(AreaMethod m) {
    switch (m) {
        case AreaMethod::plan: return "plan";
        case AreaMethod::ellip: return "ellip";
        case AreaMethod::geod: return "geod";
    }
    return "plan";
}

long long pow10(int d) {
    long long p = 1;
    for (int i = 0; i < d; ++i) p *= 10;
    return p;
}

// An integer count of units of the last decimal, printed as a decimal number.
std::string from_units(long long units, int decimals) {
    const long long p = pow10(decimals);
    const bool negative = units < 0;
    const unsigned long long u = negative ? 0ULL - static_cast<unsigned long long>(units) : static_cast<unsigned long long>(units);
    std::string s = fmt::format("{}{}", negative ? "-" : "", u / static_cast<unsigned long long>(p));
    if (decimals > 0) s += fmt::format(".{:0{}d}", u % static_cast<unsigned long long>(p), decimals);
    return s;
}

double round_to(double x, int decimals) {
    const double p = static_cast<double>(pow10(decimals));
    const double r = std::round(x * p) / p;
    return r == 0 ? 0.0 : r;
}

}  // namespace

std::string fixed(double value, int decimals) {
    const double r = round_to(value, decimals);
    return fmt::format("{:.{}f}", r, decimals);
}

ZoneKey zone_key_by_field(const OGRFeatureDefn* defn, const std::string& field, const std::string& layer) {
    const int i = field_index(defn, field, layer);
    return [i](const Zone& z) { return value_of(z.ogr.get(), i); };
}

ClassKey class_key_by_field(const OGRFeatureDefn* defn, const std::string& field, const std::string& layer) {
    const int i = field_index(defn, field, layer);
    return [i](const Feature& f) { return value_of(f.ogr.get(), i); };
}

Tabulation tabulate(const FeatureSource& classes, const ZoneLayer& zones, const Crs& analysis, const ZoneKey& zone_key,
                    const ClassKey& class_key, const TabulateOptions& options) {
    Tabulation tab;
    tab.method = options.method;
    std::vector<std::size_t> group_of(zones.size());
    {
        std::map<std::string, std::size_t> index;
        GeosContext ctx;
        AreaMeter meter(analysis, options.area);
        for (std::size_t z = 0; z < zones.size(); ++z) {
            const std::string key = zone_key(zones.zones()[z]);
            auto [it, fresh] = index.emplace(key, tab.zones.size());
            if (fresh) {
                tab.zones.push_back(key);
                tab.zone_area.push_back(0);
            }
            group_of[z] = it->second;
            const GEOSGeometry* g = zones.zones()[z].geom.get();
            tab.zone_area[it->second] +=
                options.method == AreaMethod::plan ? meter.planar(ctx, g) : pick(meter.measure(ctx, g), options.method);
        }
    }
    // Per zone group: class → area, accumulated in the order the pieces come (deterministic).
    std::vector<std::map<std::string, double>> cells(tab.zones.size());
    OverlayOptions o;
    o.op = OverlayOp::intersection;
    o.threads = options.threads;
    o.planar_only = options.method == AreaMethod::plan;
    o.keep_geometry = false;
    o.area = options.area;
    o.expected = options.expected;
    o.progress = options.progress;
    tab.stats = run_overlay(classes, zones, analysis, o, [&](GeosContext&, const OverlayPiece& piece) {
        cells[group_of[piece.zone_index]][class_key(*piece.a)] += pick(piece.areas, options.method);
    });
    std::map<std::string, int> names;
    for (const auto& zone : cells)
        for (const auto& [cls, a] : zone) names.emplace(cls, 0);
    for (auto& [cls, i] : names) {
        i = static_cast<int>(tab.classes.size());
        tab.classes.push_back(cls);
    }
    tab.area.assign(tab.zones.size(), std::vector<double>(tab.classes.size(), 0.0));
    for (std::size_t z = 0; z < cells.size(); ++z)
        for (const auto& [cls, a] : cells[z]) tab.area[z][static_cast<std::size_t>(names[cls])] = a;
    return tab;
}

Tabulation tabulate_layer(LayerReader& classes, const ZoneLayer& zones, const Crs& analysis, const ZoneKey& zone_key,
                          const ClassKey& class_key, const TabulateOptions& options) {
    PolygonReader polygons(classes, "tabulate measures the areas of polygon classes");
    return tabulate(polygons.source(), zones, analysis, zone_key, class_key, options);
}

std::vector<long long> apportion(const std::vector<double>& weights, long long total) {
    const std::size_t n = weights.size();
    std::vector<long long> out(n, 0);
    long double sum = 0;
    for (double w : weights) {
        if (!(w >= 0)) throw InputError(fmt::format("cannot apportion a negative or undefined part ({})", w));
        sum += w;
    }
    if (n == 0 || sum == 0) {
        if (total != 0)
            throw InputError(fmt::format("cannot adjust parts that are all 0 to a total of {} units", total));
        return out;
    }
    std::vector<long double> remainder(n);
    long long given = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const long double quota = static_cast<long double>(weights[i]) / sum * static_cast<long double>(total);
        const long double fl = std::floor(quota);
        out[i] = static_cast<long long>(fl);
        remainder[i] = quota - fl;
        given += out[i];
    }
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (remainder[a] != remainder[b]) return remainder[a] > remainder[b];
        if (weights[a] != weights[b]) return weights[a] > weights[b];
        return a < b;
    });
    long long left = total - given;
    // Rounding of the quotas can leave left outside [0, n): settle it around the order all the same.
    for (std::size_t k = 0; left > 0; k = (k + 1) % n, --left) ++out[order[k]];
    for (std::size_t k = n; left < 0; ++left) {
        do k = (k == 0 ? n : k) - 1;
        while (out[order[k]] <= 0);
        --out[order[k]];
    }
    return out;
}

TabulateTable make_table(const Tabulation& tab, AreaUnit unit, std::optional<double> control) {
    TabulateTable t;
    t.unit = unit;
    t.method = tab.method;
    t.decimals = display_decimals(unit);
    t.zones = tab.zones;
    // Land-use classes in the order of the 三调 tables, grouped by first level; other classes as measured.
    const LanduseOrder order = order_landuse(tab.classes);
    for (std::size_t i : order.order) {
        t.classes.push_back(tab.classes[i]);
        t.class_codes.push_back(order.codes[i]);
        t.class_names.push_back(order.names[i]);
    }
    t.classes.push_back(none_class);
    t.class_codes.emplace_back();
    t.class_names.emplace_back(none_class);
    if (order.recognized) {
        std::vector<std::size_t> position(tab.classes.size());
        for (std::size_t k = 0; k < order.order.size(); ++k) position[order.order[k]] = k;
        for (const auto& g : order.groups) {
            TabulateGroup group{g.code, g.name, position[g.members.front()], position[g.members.back()] + 1, {}, 0};
            t.groups.push_back(group);
        }
    }
    const std::size_t nz = t.zones.size(), nc = t.classes.size();
    std::vector<std::vector<double>> measured(nz, std::vector<double>(nc, 0.0));
    for (std::size_t z = 0; z < nz; ++z) {
        double covered = 0;
        for (std::size_t c = 0; c + 1 < nc; ++c) {
            const double area = tab.area[z][order.order[c]];
            measured[z][c] = from_square_metres(area, unit);
            covered += area;
        }
        double rest = tab.zone_area[z] - covered;
        if (rest < -1e-9 * std::max(1.0, tab.zone_area[z])) {
            t.warnings.push_back(fmt::format("the classes cover {} m² more than zone '{}' ({} m²): class features "
                                             "overlap one another there, so its parts add up to more than 100 %",
                                             fixed(-rest, 2), t.zones[z], fixed(tab.zone_area[z], 2)));
        }
        measured[z][nc - 1] = from_square_metres(std::max(0.0, rest), unit);
    }
    t.cells = measured;
    for (const auto& row : measured)
        for (double v : row) t.measured += v;

    if (control) {
        t.adjusted = true;
        t.control = *control;
        const long long p = pow10(t.decimals);
        const long long total_units = std::llround(*control * static_cast<double>(p));
        std::vector<double> zone_weights(nz, 0.0);
        for (std::size_t z = 0; z < nz; ++z)
            for (double v : measured[z]) zone_weights[z] += v;
        const std::vector<long long> zone_units = apportion(zone_weights, total_units);
        t.units.assign(nz, std::vector<long long>(nc, 0));
        for (std::size_t z = 0; z < nz; ++z) {
            t.units[z] = apportion(measured[z], zone_units[z]);
            for (std::size_t c = 0; c < nc; ++c) t.cells[z][c] = static_cast<double>(t.units[z][c]) / static_cast<double>(p);
        }
        if (t.measured > 0 && std::abs(*control - t.measured) > 1e-3 * t.measured)
            t.warnings.push_back(fmt::format("the control area {} {} differs from the measured total {} {} by {:.3f} %; "
                                             "is it the boundary of the same zones?",
                                             from_units(total_units, t.decimals), unit_name(unit),
                                             fixed(t.measured, t.decimals), unit_name(unit),
                                             100.0 * (*control - t.measured) / t.measured));
    }

    t.zone_total.assign(nz, 0.0);
    t.class_total.assign(nc, 0.0);
    std::vector<long long> zone_units_sum(nz, 0), class_units_sum(nc, 0);
    for (std::size_t z = 0; z < nz; ++z)
        for (std::size_t c = 0; c < nc; ++c) {
            t.zone_total[z] += t.cells[z][c];
            t.class_total[c] += t.cells[z][c];
            t.total += t.cells[z][c];
            if (t.adjusted) {
                zone_units_sum[z] += t.units[z][c];
                class_units_sum[c] += t.units[z][c];
            }
        }
    if (t.adjusted) {  // exact sums, free of floating-point addition
        const double p = static_cast<double>(pow10(t.decimals));
        long long all = 0;
        for (std::size_t z = 0; z < nz; ++z) {
            t.zone_total[z] = static_cast<double>(zone_units_sum[z]) / p;
            all += zone_units_sum[z];
        }
        for (std::size_t c = 0; c < nc; ++c) t.class_total[c] = static_cast<double>(class_units_sum[c]) / p;
        t.total = static_cast<double>(all) / p;
    }
    for (auto& g : t.groups) {
        g.zone_total.assign(nz, 0.0);
        std::vector<long long> units(nz, 0);
        for (std::size_t z = 0; z < nz; ++z)
            for (std::size_t c = g.first; c < g.last; ++c) {
                g.zone_total[z] += t.cells[z][c];
                if (t.adjusted) units[z] += t.units[z][c];
            }
        long long all = 0;
        for (std::size_t z = 0; z < nz; ++z) {
            if (t.adjusted) g.zone_total[z] = static_cast<double>(units[z]) / static_cast<double>(pow10(t.decimals));
            all += units[z];
            g.total += g.zone_total[z];
        }
        if (t.adjusted) g.total = static_cast<double>(all) / static_cast<double>(pow10(t.decimals));
    }
    for (std::size_t z = 0; z < nz; ++z)
        for (std::size_t c = 0; c < nc; ++c) {
            const bool none = c + 1 == nc;
            // A class shows in a zone when its area shows at the printed precision (slivers of a cut do not).
            if (!none && (t.adjusted ? t.units[z][c] == 0 : round_to(measured[z][c], t.decimals) == 0)) continue;
            TabulateRow row;
            row.zone = t.zones[z];
            row.cls = t.classes[c];
            row.area = t.cells[z][c];
            row.pct_zone = t.zone_total[z] > 0 ? 100.0 * t.cells[z][c] / t.zone_total[z] : 0.0;
            row.pct_class = t.class_total[c] > 0 ? 100.0 * t.cells[z][c] / t.class_total[c] : 0.0;
            if (t.adjusted) {
                const long long p = pow10(t.decimals);
                row.units = t.units[z][c];
                row.adjust_units = row.units - std::llround(measured[z][c] * static_cast<double>(p));
                row.adjust = static_cast<double>(row.adjust_units) / static_cast<double>(p);
            }
            t.rows.push_back(row);
        }
    return t;
}

namespace {
std::string area_text(const TabulateTable& t, double value, long long units) {
    return t.adjusted ? from_units(units, t.decimals) : fixed(value, t.decimals);
}
}  // namespace

std::string tabulate_csv(const TabulateTable& t) {
    const std::string u = unit_name(t.unit);
    std::string out = fmt::format("zone,code,class,area_{},pct_zone,pct_class{}\n", u, t.adjusted ? ",adjust_" + u : "");
    for (const auto& r : t.rows) {
        const auto c = static_cast<std::size_t>(std::find(t.classes.begin(), t.classes.end(), r.cls) - t.classes.begin());
        out += fmt::format("{},{},{},{},{},{}", csv_field(r.zone), csv_field(t.class_codes[c]), csv_field(t.class_names[c]),
                           area_text(t, r.area, r.units), fixed(r.pct_zone, 2), fixed(r.pct_class, 2));
        if (t.adjusted) out += "," + from_units(r.adjust_units, t.decimals);
        out += "\n";
    }
    return out;
}

namespace {

// One line of the wide table: a label, then each zone's value, then the row's total.
struct WideRow {
    std::string level, code, name;
    std::vector<double> values;  // per zone, then the total
    bool subtotal = false;
};

// The wide table's rows: per group its subtotal then its classes, the uncovered part, the grand total. Values
// are the cells as printed, and every total is the sum of the printed values under it (exact when adjusted).
std::vector<WideRow> wide_rows(const TabulateTable& t) {
    const std::size_t nz = t.zones.size(), nc = t.classes.size();
    auto class_row = [&](std::size_t c, const char* level) {
        WideRow row{level, t.class_codes[c], t.class_names[c], {}, false};
        if (t.class_codes[c].empty()) row.name = t.classes[c];
        for (std::size_t z = 0; z < nz; ++z) row.values.push_back(t.cells[z][c]);
        row.values.push_back(t.class_total[c]);
        return row;
    };
    std::vector<WideRow> rows;
    if (t.groups.empty()) {
        for (std::size_t c = 0; c + 1 < nc; ++c) rows.push_back(class_row(c, ""));
    } else {
        for (const auto& g : t.groups) {
            WideRow sub{"一级", g.code, g.name, g.zone_total, true};
            sub.values.push_back(g.total);
            rows.push_back(sub);
            for (std::size_t c = g.first; c < g.last; ++c) rows.push_back(class_row(c, "二级"));
        }
    }
    WideRow none = class_row(nc - 1, "未覆盖");
    none.name = "未被地类覆盖 (none)";
    rows.push_back(none);
    WideRow total{"合计", "", "合计 total", t.zone_total, true};
    total.values.push_back(t.total);
    rows.push_back(total);
    return rows;
}

}  // namespace

std::string tabulate_wide_csv(const TabulateTable& t) {
    const std::string u = unit_name(t.unit);
    std::string out = "level,code,class";
    for (const auto& z : t.zones) out += "," + csv_field(z + "_" + u);
    out += ",total_" + u + "\n";
    for (const auto& row : wide_rows(t)) {
        out += csv_field(row.level) + "," + csv_field(row.code) + "," + csv_field(row.name);
        for (double v : row.values) out += "," + fixed(v, t.decimals);
        out += "\n";
    }
    return out;
}

std::string tabulate_json(const TabulateTable& t) {
    nlohmann::ordered_json j;
    j["unit"] = unit_name(t.unit);
    j["method"] = method_name(t.method);
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    const double p = static_cast<double>(pow10(t.decimals));
    for (const auto& r : t.rows) {
        nlohmann::ordered_json row;
        row["zone"] = r.zone;
        row["class"] = r.cls;
        row["area"] = t.adjusted ? static_cast<double>(r.units) / p : round_to(r.area, t.decimals);
        row["pct_zone"] = round_to(r.pct_zone, 2);
        row["pct_class"] = round_to(r.pct_class, 2);
        if (t.adjusted) row["adjust"] = static_cast<double>(r.adjust_units) / p;
        rows.push_back(std::move(row));
    }
    j["rows"] = std::move(rows);
    return json_text(std::move(j));
}

std::string tabulate_markdown(const TabulateTable& t) {
    std::string out = fmt::format("单位 *unit* {}，方法 *method* {}", unit_label(t.unit), method_name(t.method));
    if (t.adjusted)
        out += fmt::format("；面积平差至控制面积 {}（量算合计 {}） *adjusted to the control area (measured total)*",
                           from_units(std::llround(t.control * static_cast<double>(pow10(t.decimals))), t.decimals),
                           fixed(t.measured, t.decimals));
    out += "。\n\n| 代码 *code* | 地类 *class* |";
    for (const auto& z : t.zones) out += " " + md_cell(z) + " |";
    out += " 合计 *total* |\n|---|---|";
    for (std::size_t z = 0; z <= t.zones.size(); ++z) out += "---:|";
    out += "\n";
    for (const auto& row : wide_rows(t)) {
        auto cell = [&](const std::string& text) {
            return row.subtotal && !text.empty() ? "**" + text + "**" : text;
        };
        out += "| " + cell(md_cell(row.code)) + " | " + cell(md_cell(row.name)) + " |";
        for (double v : row.values) out += " " + cell(fixed(v, t.decimals)) + " |";
        out += "\n";
    }
    return out;
}

}  // namespace zk
