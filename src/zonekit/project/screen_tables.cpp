// The siting screen's figures as data: screen.json (in the shape scripts rely on) and screen.csv (one row per
// site).
#include "zonekit/project/screen.hpp"
#include "zonekit/project/screen_internal.hpp"

#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/base/units.hpp"
#include "zonekit/ops/tabulate.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace zk {

namespace screen_detail {

double ha(double m2) { return m2 / 10000.0; }
double mu(double m2) { return from_square_metres(m2, AreaUnit::mu); }

std::string points_ids(const SiteResult& site, const std::string& layer) {
    std::string ids;
    for (const auto& p : site.points)
        if (p.layer == layer) ids += (ids.empty() ? "" : ";") + p.id;
    return ids;
}

std::size_t points_count(const SiteResult& site, const std::string& layer) {
    return static_cast<std::size_t>(
        std::count_if(site.points.begin(), site.points.end(), [&](const SitePoint& p) { return p.layer == layer; }));
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

}  // namespace screen_detail

using namespace screen_detail;

namespace {

using json = nlohmann::ordered_json;

// x to `decimals` places, as the nearest double (so JSON prints 59974.833, not 59974.833000000006).
double rounded(double x, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(x * scale) / scale;
}

}  // namespace

// ---- JSON and CSV -----------------------------------------------------------------------------------------

std::string screen_json(const ScreenResult& result) {
    json doc;
    doc["crs"] = result.analysis.label();
    doc["sites_source"] = result.sites_source;
    doc["counts"] = {{"forbidden", result.count(Verdict::forbidden)},
                     {"conditional", result.count(Verdict::conditional)},
                     {"allowed", result.count(Verdict::allowed)},
                     {"error", result.errors()}};
    json rules = json::array();
    for (const auto& r : result.rules) {
        json j = {{"layer", r.layer}, {"measure", screen_measure_name(r.measure)}};
        if (!r.classes.empty()) j["classes"] = r.classes;
        j["threshold"] = r.threshold ? json(*r.threshold) : json(nullptr);
        j["verdict"] = verdict_name(r.verdict);
        j["wording"] = r.wording;
        rules.push_back(std::move(j));
    }
    doc["rules"] = std::move(rules);
    // The document is written site by site (a DOM of 10⁵ sites would hold a gigabyte): the header, then each
    // site's object indented as json_text would indent it inside "sites".
    doc["sites"] = json::array();
    std::string text = json_text(std::move(doc));
    text.resize(text.rfind("[]"));
    text += "[";
    bool first = true;
    const auto add = [&](json j) {
        std::string site = json_text(std::move(j));
        site.pop_back();  // its final newline
        text += first ? "\n    " : ",\n    ";
        first = false;
        for (char c : site) {
            text += c;
            if (c == '\n') text += "    ";
        }
    };
    for (const auto& s : result.sites) {
        json j;
        j["id"] = s.id;
        j["fid"] = s.fid;
        if (!s.error.empty()) {
            j["verdict"] = nullptr;
            j["error"] = s.error;
            add(std::move(j));
            continue;
        }
        j["verdict"] = verdict_name(s.verdict);
        j["reasons"] = s.reasons;
        j["area_m2"] = rounded(s.area.ellip, 4);
        j["lon"] = rounded(s.lon, 8);
        j["lat"] = rounded(s.lat, 8);
        json takes = json::object();
        for (const auto& t : s.takes) {
            json tj = {{"ellip_m2", rounded(t.areas.ellip, 4)},
                       {"share", rounded(t.share, 8)},
                       {"outside_m2", rounded(t.outside.ellip, 4)}};
            json by = json::object();  // {} for a layer without a class field
            for (const auto& c : t.by_class) by[c.value] = rounded(c.areas.ellip, 4);
            tj["by_class"] = std::move(by);
            takes[t.layer] = std::move(tj);
        }
        j["takes"] = std::move(takes);
        json distances = json::object();
        for (const auto& d : s.distances) {
            json dj;
            dj["m"] = d.found ? json(rounded(d.m, 4)) : json(nullptr);
            dj["clearance_m"] = d.clearance_m ? json(*d.clearance_m) : json(nullptr);
            dj["kept"] = d.kept;
            if (d.found) {
                dj["feature"] = d.key.empty() ? json(d.fid) : json(d.key);
                dj["closest"] = {rounded(d.site_x, 4), rounded(d.site_y, 4)};
            }
            distances[d.layer] = std::move(dj);
        }
        j["distances"] = std::move(distances);
        json points = json::object();
        for (const auto& layer : result.point_layers) {
            json ids = json::array();
            for (const auto& p : s.points)
                if (p.layer == layer) ids.push_back(p.id);
            points[layer] = std::move(ids);
        }
        j["points"] = std::move(points);
        add(std::move(j));
    }
    text += first ? "]\n}\n" : "\n  ]\n}\n";
    return text;
}

std::string screen_csv(const ScreenResult& result) {
    std::vector<std::string> head = {"id", "verdict", "verdict_zh", "reasons", "area_m2", "area_ha", "area_mu"};
    for (const auto& l : result.take_layers)
        for (const char* f : {"_m2", "_ha", "_mu", "_share", "_outside_m2"}) head.push_back(l + f);
    for (const auto& l : result.distance_layers)
        for (const char* f : {"_dist_m", "_clearance_m", "_kept"}) head.push_back(l + f);
    for (const auto& l : result.point_layers)
        for (const char* f : {"_count", "_ids"}) head.push_back(l + f);
    head.push_back("error");
    std::string out = csv_record(head);
    for (const auto& s : result.sites) {
        std::vector<std::string> row = {s.id};
        if (!s.error.empty()) {
            row.resize(head.size() - 1);
            row.push_back(s.error);
        } else {
            row.insert(row.end(), {verdict_name(s.verdict), verdict_label(s.verdict), join(s.reasons, "；"),
                                   fixed(s.area.ellip, 2), fixed(ha(s.area.ellip), 4), fixed(mu(s.area.ellip), 2)});
            for (const auto& t : s.takes)
                row.insert(row.end(), {fixed(t.areas.ellip, 2), fixed(ha(t.areas.ellip), 4), fixed(mu(t.areas.ellip), 2),
                                       fixed(t.share, 6), fixed(t.outside.ellip, 2)});
            for (const auto& d : s.distances)
                row.insert(row.end(), {d.found ? fixed(d.m, 2) : "", d.clearance_m ? fixed(*d.clearance_m, 2) : "",
                                       d.kept ? "yes" : "no"});
            for (const auto& l : result.point_layers)
                row.insert(row.end(), {std::to_string(points_count(s, l)), points_ids(s, l)});
            row.push_back("");
        }
        for (auto& cell : row) cell = escape_non_utf8(cell);
        out += csv_record(row);
    }
    return encode_csv(out, CsvEncoding::utf8_bom, "screen.csv");  // Excel reads the names as UTF-8
}

}  // namespace zk
