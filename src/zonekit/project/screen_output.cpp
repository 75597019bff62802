// The outputs of a siting screen: screen.gpkg, screen.csv, screen.json, screen.md and screen.html.
#include "zonekit/project/screen.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/base/units.hpp"
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/ops/tabulate.hpp"
#include "zonekit/present/render.hpp"
#include "zonekit/present/report.hpp"
#include "zonekit/project/project.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace zk {

namespace {

using json = nlohmann::ordered_json;

// x to `decimals` places, as the nearest double (so JSON prints 59974.833, not 59974.833000000006).
double rounded(double x, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(x * scale) / scale;
}
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

std::string base64(const std::string& bytes) {
    static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
        out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
    }
    if (i + 1 == bytes.size()) {
        const unsigned v = (unsigned char)bytes[i] << 16;
        out += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
        out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
    }
    return out;
}

}  // namespace

std::vector<std::string> screen_output_names() {
    return {"screen.gpkg", "screen.csv", "screen.json", "screen.md", "screen.html"};
}

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

// ---- The GeoPackage ---------------------------------------------------------------------------------------

namespace {

void write_gpkg(GeosContext& ctx, const ScreenResult& result, const std::string& path, const OutputOptions& options) {
    GpkgWriter gpkg(path, options);
    std::vector<ExtraField> extra = {{"site_id", OFTString},     {"verdict", OFTString},      {"verdict_zh", OFTString},
                                     {"reasons", OFTString},     {"error", OFTString},        {"area_plan_m2", OFTReal},
                                     {"area_ellip_m2", OFTReal}, {"area_geod_m2", OFTReal},   {"area_ha", OFTReal},
                                     {"area_mu", OFTReal}};
    for (const auto& l : result.take_layers)
        for (const char* f : {"_m2", "_share", "_outside_m2"}) extra.push_back({l + f, OFTReal});
    for (const auto& l : result.distance_layers) {
        extra.push_back({l + "_dist_m", OFTReal});
        extra.push_back({l + "_kept", OFTInteger});
    }
    for (const auto& l : result.point_layers) {
        extra.push_back({l + "_count", OFTInteger});
        extra.push_back({l + "_ids", OFTString});
    }
    const int sites = gpkg.add_layer("sites", result.analysis, wkbMultiPolygon, result.sites_defn.get(), extra, "sites");
    const int pieces = gpkg.add_layer(
        "site_pieces", result.analysis, wkbMultiPolygon, nullptr,
        {{"site_id", OFTString}, {"layer", OFTString}, {"role", OFTString}, {"class", OFTString}, {"feature_fid", OFTInteger64},
         {"whole", OFTInteger}, {"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}, {"share", OFTReal}},
        "site_pieces");
    const int lines = gpkg.add_layer("site_distances", result.analysis, wkbLineString, nullptr,
                                     {{"site_id", OFTString}, {"layer", OFTString}, {"feature", OFTString},
                                      {"m", OFTReal}, {"plan_m", OFTReal}, {"clearance_m", OFTReal}, {"kept", OFTInteger}});
    const int pts = gpkg.add_layer("site_points", result.analysis, wkbPoint, nullptr,
                                   {{"site_id", OFTString}, {"layer", OFTString}, {"point_id", OFTString},
                                    {"radius_m", OFTReal}, {"distance_m", OFTReal}, {"inside", OFTInteger}});
    const auto h = ctx.handle();
    for (const auto& s : result.sites) {
        OGRFeatureUniquePtr f = gpkg.new_feature(sites);
        if (s.attributes)
            for (int i = 0; i < s.attributes->GetFieldCount(); ++i) {
                const int to = f->GetFieldIndex(s.attributes->GetFieldDefnRef(i)->GetNameRef());
                if (to < 0) continue;
                if (s.attributes->IsFieldSetAndNotNull(i)) f->SetField(to, s.attributes->GetRawFieldRef(i));
            }
        f->SetField("site_id", s.id.c_str());
        const bool polygonal = s.geom && is_polygonal(ctx, s.geom.get());
        if (!s.error.empty()) {
            f->SetField("error", s.error.c_str());
            gpkg.write(ctx, sites, *f, polygonal ? s.geom.get() : nullptr);
            continue;
        }
        f->SetField("verdict", verdict_name(s.verdict));
        f->SetField("verdict_zh", verdict_label(s.verdict));
        f->SetField("reasons", join(s.reasons, "；").c_str());
        f->SetField("area_plan_m2", s.area.plan);
        f->SetField("area_ellip_m2", s.area.ellip);
        f->SetField("area_geod_m2", s.area.geod);
        f->SetField("area_ha", ha(s.area.ellip));
        f->SetField("area_mu", mu(s.area.ellip));
        for (const auto& t : s.takes) {
            f->SetField((t.layer + "_m2").c_str(), t.areas.ellip);
            f->SetField((t.layer + "_share").c_str(), t.share);
            f->SetField((t.layer + "_outside_m2").c_str(), t.outside.ellip);
        }
        for (const auto& d : s.distances) {
            if (d.found) f->SetField((d.layer + "_dist_m").c_str(), d.m);
            f->SetField((d.layer + "_kept").c_str(), d.kept ? 1 : 0);
        }
        for (const auto& l : result.point_layers) {
            f->SetField((l + "_count").c_str(), static_cast<int>(points_count(s, l)));
            f->SetField((l + "_ids").c_str(), points_ids(s, l).c_str());
        }
        gpkg.write(ctx, sites, *f, s.geom.get());
        for (const auto& p : s.pieces) {
            OGRFeatureUniquePtr pf = gpkg.new_feature(pieces);
            pf->SetField("site_id", s.id.c_str());
            pf->SetField("layer", p.layer.c_str());
            pf->SetField("role", p.role.c_str());
            pf->SetField("class", p.value.c_str());
            pf->SetField("feature_fid", static_cast<GIntBig>(p.fid));
            pf->SetField("whole", p.whole ? 1 : 0);
            pf->SetField("plan_m2", p.areas.plan);
            pf->SetField("ellip_m2", p.areas.ellip);
            pf->SetField("geod_m2", p.areas.geod);
            pf->SetField("share", s.area.ellip > 0 ? p.areas.ellip / s.area.ellip : 0.0);
            gpkg.write(ctx, pieces, *pf, p.whole ? s.geom.get() : p.geom.get());
        }
        for (const auto& d : s.distances) {
            if (!d.found) continue;
            OGRFeatureUniquePtr lf = gpkg.new_feature(lines);
            lf->SetField("site_id", s.id.c_str());
            lf->SetField("layer", d.layer.c_str());
            lf->SetField("feature", d.key.empty() ? std::to_string(d.fid).c_str() : d.key.c_str());
            lf->SetField("m", d.m);
            lf->SetField("plan_m", d.plan_m);
            if (d.clearance_m) lf->SetField("clearance_m", *d.clearance_m);
            lf->SetField("kept", d.kept ? 1 : 0);
            GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, 2, 2);
            GEOSCoordSeq_setXY_r(h, seq, 0, d.site_x, d.site_y);
            GEOSCoordSeq_setXY_r(h, seq, 1, d.layer_x, d.layer_y);
            GeomPtr line = own(ctx, GEOSGeom_createLineString_r(h, seq));
            gpkg.write(ctx, lines, *lf, line.get());
        }
        for (const auto& p : s.points) {
            OGRFeatureUniquePtr pf = gpkg.new_feature(pts);
            pf->SetField("site_id", s.id.c_str());
            pf->SetField("layer", p.layer.c_str());
            pf->SetField("point_id", p.id.c_str());
            pf->SetField("radius_m", p.radius_m);
            pf->SetField("distance_m", p.distance_m);
            pf->SetField("inside", p.inside ? 1 : 0);
            GeomPtr pt = own(ctx, GEOSGeom_createPointFromXY_r(h, p.x, p.y));
            gpkg.write(ctx, pts, *pf, pt.get());
        }
    }
    gpkg.finish();
}

// ---- The report -------------------------------------------------------------------------------------------

std::string area_words_plain(double m2) {
    return fmt::format("{} m²（{} 公顷，{} 亩）", fixed(m2, 1), fixed(ha(m2), 4), fixed(mu(m2), 2));
}

const char* verdict_class(Verdict v) { return verdict_name(v); }

// Both forms of the report, built side by side: Markdown for plain text, HTML with the maps inline.
class Report {
public:
    void heading(int level, const std::string& text, const std::string& id = {}) {
        md += std::string(static_cast<std::size_t>(level), '#') + " " + text + "\n\n";
        html += fmt::format("<h{0}{2}>{1}</h{0}>\n", level, html_escape(text),
                            id.empty() ? "" : fmt::format(" id=\"{}\"", html_escape(id)));
    }
    void para(const std::string& text) {
        md += text + "\n\n";
        html += "<p>" + html_escape(text) + "</p>\n";
    }
    void list(const std::vector<std::string>& items) {
        if (items.empty()) return;
        html += "<ul>\n";
        for (const auto& i : items) {
            md += "- " + i + "\n";
            html += "<li>" + html_escape(i) + "</li>\n";
        }
        md += "\n";
        html += "</ul>\n";
    }
    // A table: `cells` rows of cells; `right` marks numeric columns.
    void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
               const std::vector<bool>& right = {}, const std::vector<std::string>& row_class = {}) {
        md += "|";
        for (const auto& h : head) md += " " + md_cell(h) + " |";
        md += "\n|";
        for (std::size_t i = 0; i < head.size(); ++i) md += i < right.size() && right[i] ? " ---: |" : " --- |";
        md += "\n";
        html += "<table>\n<thead><tr>";
        for (const auto& h : head) html += "<th>" + html_escape(h) + "</th>";
        html += "</tr></thead>\n<tbody>\n";
        for (std::size_t r = 0; r < rows.size(); ++r) {
            md += "|";
            html += r < row_class.size() && !row_class[r].empty() ? "<tr class=\"" + row_class[r] + "\">" : "<tr>";
            for (std::size_t i = 0; i < rows[r].size(); ++i) {
                md += " " + md_cell(rows[r][i]) + " |";
                html += (i < right.size() && right[i] ? "<td class=\"n\">" : "<td>") + html_escape(rows[r][i]) + "</td>";
            }
            md += "\n";
            html += "</tr>\n";
        }
        md += "\n";
        html += "</tbody></table>\n";
    }
    void raw_html(const std::string& h) { html += h; }
    std::string md, html;
};

const char* css = R"(body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:60em}
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:1.5em}h3{font-size:1.1em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}th,td{border:1px solid #bbb;padding:.2em .5em}
th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.forbidden td:first-child,span.forbidden{color:#b00;font-weight:bold}tr.conditional td:first-child,span.conditional{color:#c60;font-weight:bold}
tr.allowed td:first-child,span.allowed{color:#170;font-weight:bold}tr.error td:first-child{color:#555}
section.site{page-break-before:always;break-before:page}figure{margin:.5em 0}figure img{max-width:100%;border:1px solid #ccc}
@media print{body{margin:0;max-width:none;font-size:9pt}h1{font-size:14pt}h2{font-size:12pt;margin:0 0 .3em}
h3{font-size:10pt;margin:.5em 0 .2em}p{margin:.2em 0}ul{margin:.2em 0}table{font-size:8pt;margin:.2em 0 .4em}
th,td{padding:0 .4em}figure img{max-height:105mm}a{color:inherit;text-decoration:none}}
@page{size:A4;margin:12mm}
)";

MapSpec site_map_spec(const Project& project, const std::string& gpkg, const ScreenResult& result, const SiteResult& s,
                      const std::string& title) {
    MapSpec spec = map_spec_for(project);
    // Only the plan's polygons and lines under the site; the sites and their pieces on top.
    std::vector<MapLayer> keep;
    for (auto& l : spec.layers)
        if (l.role != "findings") keep.push_back(std::move(l));
    spec.layers = std::move(keep);
    MapLayer sites;
    sites.path = gpkg;
    sites.layer = "sites";
    sites.role = "sites";
    spec.layers.push_back(sites);
    spec.title = title;
    spec.crs = result.analysis;
    const double w = s.box.max_x - s.box.min_x, h = s.box.max_y - s.box.min_y;
    const double margin = std::max({w, h, 400.0}) * 0.8;
    spec.extent = Box{s.box.min_x - margin, s.box.min_y - margin, s.box.max_x + margin, s.box.max_y + margin};
    spec.clip_to_extent = true;  // only the features near the site are read (the sites layer may hold 10⁵)
    spec.width_px = 1000;
    spec.height_px = 620;
    spec.dpi = 100;
    return spec;
}

}  // namespace

ScreenFiles write_screen_outputs(const Project& project, const ScreenResult& result, StagedOutputs& stage,
                                 const OutputOptions& options, const std::string& title, std::size_t max_maps) {
    ScreenFiles out;
    // Which sites get a map: the most severe verdicts first, up to max_maps.
    std::vector<bool> mapped(result.sites.size(), false);
    std::size_t maps = 0;
    for (Verdict v : {Verdict::forbidden, Verdict::conditional, Verdict::allowed})
        for (std::size_t i = 0; i < result.sites.size() && maps < max_maps; ++i)
            if (result.sites[i].error.empty() && result.sites[i].verdict == v) {
                mapped[i] = true;
                ++maps;
            }
    const std::size_t screened = result.sites.size() - result.errors();
    GeosContext ctx;
    write_gpkg(ctx, result, stage.path("screen.gpkg"), options);
    out.files.push_back("screen.gpkg");
    write_text_file(stage.path("screen.csv"), screen_csv(result), options);
    out.files.push_back("screen.csv");
    write_text_file(stage.path("screen.json"), screen_json(result), options);
    out.files.push_back("screen.json");

    Report r;
    const std::string heading = title.empty() ? "项目选址合规性分析 siting screen" : title;
    r.heading(1, heading);
    r.para(fmt::format("分析坐标系 analysis CRS: {}；面积为椭球面积（国土调查椭球面积公式），m² / 公顷 / 亩；"
                       "选址图层 sites: {}；容差 tolerance {} m²。",
                       result.analysis.label(), result.sites_source, fixed(result.min_area, 2)));
    r.heading(2, "结论汇总 summary");
    r.table({"结论 verdict", "地块数 sites"},
            {{"禁止 forbidden", std::to_string(result.count(Verdict::forbidden))},
             {"有条件允许 conditional", std::to_string(result.count(Verdict::conditional))},
             {"允许 allowed", std::to_string(result.count(Verdict::allowed))},
             {"错误 error (not screened)", std::to_string(result.errors())}},
            {false, true}, {"forbidden", "conditional", "allowed", "error"});
    {
        std::vector<std::vector<std::string>> rows;
        std::vector<std::string> classes;
        for (Verdict v : {Verdict::forbidden, Verdict::conditional, Verdict::allowed})
            for (const auto& s : result.sites)
                if (s.error.empty() && s.verdict == v) {
                    rows.push_back({s.id, fmt::format("{} {}", verdict_label(v), verdict_name(v)), fixed(ha(s.area.ellip), 4),
                                    join(s.reasons, "；")});
                    classes.push_back(verdict_class(v));
                }
        for (const auto& s : result.sites)
            if (!s.error.empty()) {
                rows.push_back({s.id, "错误 error", "", s.error});
                classes.push_back("error");
            }
        r.table({"地块 site", "结论 verdict", "面积 ha", "原因 reasons"}, rows, {false, false, true, false}, classes);
    }
    r.heading(2, "判定规则 rules");
    {
        std::vector<std::vector<std::string>> rows;
        for (const auto& rule : result.rules)
            rows.push_back({rule.layer, screen_measure_name(rule.measure), join(rule.classes, ", "),
                            rule.threshold ? fixed(*rule.threshold, 2) : "default",
                            fmt::format("{} {}", verdict_label(rule.verdict), verdict_name(rule.verdict)), rule.wording});
        r.table({"图层 layer", "指标 measure", "类别 classes", "阈值 threshold", "结论 verdict", "表述 wording"}, rows);
    }
    std::vector<std::string> notes = result.notes;
    notes.insert(notes.end(), result.warnings.begin(), result.warnings.end());
    if (!notes.empty()) {
        r.heading(2, "说明 notes");
        r.list(notes);
    }

    if (maps < screened)
        r.para(fmt::format("地图 maps: {} of {} sites have a map (the most severe verdicts first; --maps N draws more).",
                           maps, screened));
    for (std::size_t i = 0; i < result.sites.size(); ++i) {
        const SiteResult& s = result.sites[i];
        r.raw_html("<section class=\"site\">\n");
        const std::string name = s.error.empty() ? fmt::format("地块 {} — {} {}", s.id, verdict_label(s.verdict),
                                                               verdict_name(s.verdict))
                                                 : fmt::format("地块 {} — 错误 error", s.id);
        r.heading(2, name, "site-" + s.id);
        if (!s.error.empty()) {
            r.para(s.error);
            r.raw_html("</section>\n");
            continue;
        }
        r.para(fmt::format("面积 area {}；位置 lon/lat (CGCS2000) {:.6f}, {:.6f}{}", area_words_plain(s.area.ellip), s.lon,
                           s.lat, s.radius_m > 0 ? fmt::format("；点位半径 radius {} m", fixed(s.radius_m, 1)) : ""));
        if (s.attributes) {
            std::string fields;
            for (int k = 0; k < s.attributes->GetFieldCount(); ++k)
                if (s.attributes->IsFieldSetAndNotNull(k))
                    fields += fmt::format("{}{}: {}", fields.empty() ? "" : "；", s.attributes->GetFieldDefnRef(k)->GetNameRef(),
                                          escape_non_utf8(s.attributes->GetFieldAsString(k)));
            if (!fields.empty()) r.para("属性 fields — " + fields);
        }
        if (!s.reasons.empty()) {
            r.heading(3, "判定原因 reasons");
            r.list(s.reasons);
        }
        RenderResult rendered;
        std::string png;
        if (mapped[i]) try {
            png = render_png(site_map_spec(project, stage.path("screen.gpkg"), result, s,
                                           fmt::format("{} {}", s.id, verdict_label(s.verdict))),
                             &rendered);
        } catch (const InputError& e) {
            out.warnings.push_back(fmt::format("site '{}': no map: {}", s.id, e.what()));
        }
        if (!png.empty()) {
            r.md += fmt::format("(map of site {} in screen.html)\n\n", s.id);
            r.raw_html(fmt::format("<figure><img src=\"data:image/png;base64,{}\" alt=\"site {}\"></figure>\n",
                                   base64(png), html_escape(s.id)));
        }
        r.heading(3, "占用 takes");
        std::vector<std::vector<std::string>> rows;
        for (const auto& t : s.takes) {
            // One class: named on the layer's own row.
            const bool one = t.by_class.size() == 1;
            rows.push_back({t.layer, one ? t.by_class.front().value : "", fixed(t.areas.ellip, 1), fixed(ha(t.areas.ellip), 4),
                            fixed(mu(t.areas.ellip), 2), fixed(100 * t.share, 2)});
            if (t.cultivated) {
                const double cultivated = t.cultivated->ellip;
                rows.push_back({"", "其中耕地 cultivated (01)", fixed(cultivated, 1), fixed(ha(cultivated), 4),
                                fixed(mu(cultivated), 2), fixed(s.area.ellip > 0 ? 100 * cultivated / s.area.ellip : 0, 2)});
            }
            for (const auto& c : t.by_class)
                if (!one) rows.push_back({"", c.value, fixed(c.areas.ellip, 1), fixed(ha(c.areas.ellip), 4),
                                fixed(mu(c.areas.ellip), 2),
                                fixed(s.area.ellip > 0 ? 100 * c.areas.ellip / s.area.ellip : 0, 2)});
        }
        r.table({"图层 layer", "类别 class", "m²", "公顷 ha", "亩 mu", "占比 share %"}, rows,
                {false, false, true, true, true, true});
        if (!s.distances.empty()) {
            r.heading(3, "距离 distances");
            std::vector<std::vector<std::string>> drows;
            for (const auto& d : s.distances)
                drows.push_back({d.layer, d.found ? (d.key.empty() ? std::to_string(d.fid) : d.key) : "",
                                 d.found ? fixed(d.m, 1) : "—", d.clearance_m ? fixed(*d.clearance_m, 1) : "—",
                                 d.kept ? "是 yes" : "否 no"});
            r.table({"图层 layer", "最近要素 nearest", "距离 m", "要求 clearance m", "满足 kept"}, drows,
                    {false, false, true, true, false});
        }
        if (!result.point_layers.empty()) {
            r.heading(3, "保护点 protected points");
            std::vector<std::vector<std::string>> prows;
            for (const auto& p : s.points)
                prows.push_back({p.layer, p.id, fixed(p.radius_m, 1), fixed(p.distance_m, 1), p.inside ? "是 yes" : "否 no"});
            if (prows.empty()) r.para("无 none");
            else r.table({"图层 layer", "编号 id", "保护半径 m", "距离 m", "在地块内 inside"}, prows, {false, false, true, true, false});
        }
        r.raw_html("</section>\n");
    }

    write_text_file(stage.path("screen.md"), r.md, options);
    out.files.push_back("screen.md");
    const std::string html = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{}</style>\n"
        "</head>\n<body>\n{}</body>\n</html>\n",
        html_escape(heading), css, r.html);
    write_text_file(stage.path("screen.html"), html, options);
    out.files.push_back("screen.html");
    return out;
}

}  // namespace zk
