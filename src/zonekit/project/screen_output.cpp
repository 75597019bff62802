// The outputs of a siting screen: screen.gpkg, screen.csv, screen.json, screen.md and screen.html.
#include "zonekit/project/screen.hpp"
#include "zonekit/project/screen_internal.hpp"

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

using namespace screen_detail;

namespace {

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

namespace {

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
