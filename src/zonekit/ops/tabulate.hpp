// Zone × class area tables (like ArcGIS "Tabulate Intersection"): the area of each class in each zone, the
// zone's part covered by no class, shares of the zone and of the class; and 面积平差, the adjustment of the
// table to a control total so that every part, every zone total and the grand total add up exactly at the
// printed precision.
#pragma once

#include "zonekit/base/units.hpp"
#include "zonekit/ops/overlay.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zk {

// The key of a feature: a zone's name, a parcel's land-use code.
using ZoneKey = std::function<std::string(const Zone&)>;
using ClassKey = std::function<std::string(const Feature&)>;

// Keys read from a field ("(null)" for a null value). Throws InputError naming the layer and listing its
// fields when `field` is not one of them.
ZoneKey zone_key_by_field(const OGRFeatureDefn* defn, const std::string& field, const std::string& layer);
ClassKey class_key_by_field(const OGRFeatureDefn* defn, const std::string& field, const std::string& layer);

struct TabulateOptions {
    AreaMethod method = AreaMethod::plan;
    unsigned threads = 0;  // 0 = all cores
    AreaOptions area;
    std::int64_t expected = -1;            // number of class features, for progress
    std::function<void(double)> progress;  // fraction done
};

// The measured matrix, in m².
struct Tabulation {
    AreaMethod method = AreaMethod::plan;
    std::vector<std::string> zones;           // in the order they first appear in the zone layer
    std::vector<double> zone_area;            // each zone's own area (its features added)
    std::vector<std::string> classes;         // sorted (byte order)
    std::vector<std::vector<double>> area;    // [zone][class]
    OverlayStats stats;
};

Tabulation tabulate(const FeatureSource& classes, const ZoneLayer& zones, const Crs& analysis, const ZoneKey& zone_key,
                    const ClassKey& class_key, const TabulateOptions& options);
// The same over a class layer, read through the polygonal source (polygon_source.hpp): `zonekit tabulate` and
// the tables of `zonekit run`.
Tabulation tabulate_layer(LayerReader& classes, const ZoneLayer& zones, const Crs& analysis, const ZoneKey& zone_key,
                          const ClassKey& class_key, const TabulateOptions& options);

// Integers that sum exactly to `total`, in proportion to `weights` (≥ 0): each gets the floor of its quota,
// then the units left over go one at a time to the largest remainders; ties go to the larger weight, then
// to the earlier position. Throws InputError when total ≠ 0 and every weight is 0.
std::vector<long long> apportion(const std::vector<double>& weights, long long total);

inline const char* none_class = "(none)";

struct TabulateRow {
    std::string zone, cls;
    double area = 0;       // in the table's unit (rounded to its decimals when adjusted)
    double pct_zone = 0;   // % of the zone
    double pct_class = 0;  // % of the class (over all zones)
    double adjust = 0;     // adjusted − measured (both as printed), when adjusted
    long long units = 0;   // area in units of the last decimal, when adjusted
    long long adjust_units = 0;  // adjust in units of the last decimal
};

// A first-level class (一级类) of the 三调: classes [first, last) of the table.
struct TabulateGroup {
    std::string code, name;  // "00" "湿地"; "" "未识别地类" for classes that are not 三调 classes
    std::size_t first = 0, last = 0;
    std::vector<double> zone_total;  // per zone: the sum of its classes' cells as printed (exact when adjusted)
    double total = 0;
};

// The table in a unit. `cells` and the totals are in that unit; classes end with "(none)". Land-use classes
// (三调 codes or names) come in the survey's order with their first levels in `groups`; other classes in
// byte order and `groups` empty.
struct TabulateTable {
    AreaUnit unit = AreaUnit::ha;
    AreaMethod method = AreaMethod::plan;
    int decimals = 4;
    bool adjusted = false;
    double control = 0;    // the control total, when adjusted
    double measured = 0;   // the measured total before adjustment
    std::vector<std::string> zones, classes;
    std::vector<std::string> class_codes;  // per class: its 三调 code, "" when it is not one
    std::vector<std::string> class_names;  // per class: its 三调 name, else the class itself ("(none)" last)
    std::vector<TabulateGroup> groups;      // first-level subtotals (三调 tables only)
    std::vector<std::vector<double>> cells;  // [zone][class], adjusted when adjusted
    std::vector<std::vector<long long>> units;  // [zone][class] in units of the last decimal, when adjusted
    std::vector<double> zone_total, class_total;
    double total = 0;
    std::vector<TabulateRow> rows;  // zone-major; cells whose area shows at the printed precision, and every zone's "(none)"
    std::vector<std::string> warnings;
};

// Builds the table; with `control` (in `unit`), adjusts it: zone totals apportioned from the control total,
// then each zone's cells from its total, in integer units of the last printed decimal.
TabulateTable make_table(const Tabulation& tab, AreaUnit unit, std::optional<double> control = std::nullopt);

// Long CSV, one row per zone and class with an area: zone,code,class,area_<unit>,pct_zone,pct_class[,adjust_<unit>]
// (code: the 三调 code or empty; class: the 三调 name, else the value as measured; unit: m2, ha, mu or km2),
// zones in order, classes in the table's order.
std::string tabulate_csv(const TabulateTable& table);
// Wide CSV, as the survey's tables are laid out: level,code,class,<zone>_<unit>…,total_<unit>; a row per
// first-level subtotal (level 一级) followed by its classes (二级), the part of the zones no class covers
// (level 未覆盖), and the grand total (合计). When adjusted (面积平差), every subtotal and total is exactly the
// sum of the cells printed under it.
std::string tabulate_wide_csv(const TabulateTable& table);
// {"unit":…, "method":…, "rows":[{"zone":…, "class":…, "area":x, "pct_zone":x, "pct_class":x[, "adjust":x]}]}
std::string tabulate_json(const TabulateTable& table);
// Classes as rows (in the table's order, with the first-level subtotals in bold), zones as columns, totals on
// both margins; preceded by a line that says the unit, the method and the adjustment.
std::string tabulate_markdown(const TabulateTable& table);

// A number printed with `decimals` (no "-0").
std::string fixed(double value, int decimals);

}  // namespace zk
