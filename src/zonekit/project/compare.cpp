#include "zonekit/project/compare.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/base/units.hpp"
#include "zonekit/ops/tabulate.hpp"
#include "zonekit/present/report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <filesystem>

namespace fs = std::filesystem;

namespace zk {

namespace {

using json = nlohmann::ordered_json;

const SummaryArea* find_area(const std::vector<SummaryArea>& areas, const std::string& name) {
    for (const auto& a : areas)
        if (a.name == name) return &a;
    return nullptr;
}

std::string ha_text(double m2) { return fixed(from_square_metres(m2, AreaUnit::ha), display_decimals(AreaUnit::ha)); }
std::string mu_text(double m2) { return fixed(from_square_metres(m2, AreaUnit::mu), display_decimals(AreaUnit::mu)); }

// A part's share of the county, %, when the county has an area.
std::optional<double> share_of(const RunSummary& s, double m2) {
    if (!s.county_m2 || *s.county_m2 <= 0) return std::nullopt;
    return 100.0 * m2 / *s.county_m2;
}

// The (ha, share %) cells of `name` among `areas`, blank when the project has no such part.
std::array<std::string, 2> area_cells(const RunSummary* s, const std::vector<SummaryArea>& areas,
                                      const std::string& name) {
    if (!s) return {"", ""};
    const SummaryArea* a = find_area(areas, name);
    if (!a) return {"", ""};
    const auto share = share_of(*s, a->m2);
    return {ha_text(a->m2), share ? fixed(*share, 2) : ""};
}

// index.html's link to a project's report: <name>/report.html, percent-encoded.
std::string report_link(const std::string& name) {
    std::string out;
    for (unsigned char c : name + "/report.html") {
        const bool ascii_alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (ascii_alnum || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') out += static_cast<char>(c);
        else out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string md_row(const std::vector<std::string>& cells) {
    std::string s = "|";
    for (const auto& c : cells) s += " " + md_cell(c) + " |";
    return s + "\n";
}

std::string md_rule(std::size_t left, std::size_t right) {
    std::string s = "|";
    for (std::size_t i = 0; i < left; ++i) s += "---|";
    for (std::size_t i = 0; i < right; ++i) s += "---:|";
    return s + "\n";
}

// A table of the comparison: its header (Chinese, English) and its rows of cells, for Markdown and HTML alike.
struct Table {
    std::string title_zh, title_en;
    std::vector<std::pair<std::string, std::string>> header;  // (Chinese, English) per column
    std::size_t text_columns = 1;                              // left-aligned; the rest are numbers
    std::vector<std::vector<std::string>> rows;
};

std::vector<Table> comparison_tables(const Comparison& c) {
    std::vector<Table> tables;

    Table areas{"面积与占比", "Areas and shares of the county (ellipsoidal, ha)", {}, 2, {}};
    areas.header = {{"项目", "project"}, {"坐标系", "CRS"}, {"县域面积 公顷", "county ha"}, {"县域面积 亩", "county mu"}};
    for (const auto& line : c.control_lines) {
        areas.header.push_back({line + " 公顷", "ha"});
        areas.header.push_back({line + " 占比%", "share %"});
    }
    for (const auto& p : c.projects) {
        const RunSummary* s = p.summary ? &*p.summary : nullptr;
        std::vector<std::string> row = {p.name, p.crs};
        row.push_back(s && s->county_m2 ? ha_text(*s->county_m2) : "");
        row.push_back(s && s->county_m2 ? mu_text(*s->county_m2) : "");
        for (const auto& line : c.control_lines)
            for (auto& cell : area_cells(s, s ? s->control_lines : std::vector<SummaryArea>{}, line))
                row.push_back(cell);
        areas.rows.push_back(row);
    }
    tables.push_back(std::move(areas));

    if (!c.zones.empty()) {
        Table zones{"规划分区", "Zones (ha, share of the county %)", {}, 1, {}};
        zones.header = {{"项目", "project"}};
        for (const auto& z : c.zones) {
            zones.header.push_back({z + " 公顷", "ha"});
            zones.header.push_back({z + " 占比%", "share %"});
        }
        for (const auto& p : c.projects) {
            const RunSummary* s = p.summary ? &*p.summary : nullptr;
            std::vector<std::string> row = {p.name};
            for (const auto& z : c.zones)
                for (auto& cell : area_cells(s, s ? s->zones : std::vector<SummaryArea>{}, z)) row.push_back(cell);
            zones.rows.push_back(row);
        }
        tables.push_back(std::move(zones));
    }

    Table checks{"检查", "Checks", {}, 1, {}};
    checks.header = {{"项目", "project"},
                     {"规则", "rules"},
                     {"未通过", "failed"},
                     {"超出容差的问题", "findings above tolerance"},
                     {"结论", "status"}};
    for (const auto& p : c.projects) {
        if (!p.summary) {
            checks.rows.push_back({p.name, "", "", "", p.status()});
            continue;
        }
        checks.rows.push_back({p.name, std::to_string(p.summary->rules), std::to_string(p.summary->rules_failed),
                               std::to_string(p.summary->findings), p.status()});
    }
    tables.push_back(std::move(checks));
    return tables;
}

std::string table_markdown(const Table& t) {
    std::string md = fmt::format("### {} {}\n\n", t.title_zh, t.title_en);
    std::vector<std::string> header;
    for (const auto& [zh, en] : t.header) header.push_back(zh == en ? zh : zh + " (" + en + ")");
    md += md_row(header);
    md += md_rule(t.text_columns, t.header.size() - t.text_columns);
    for (const auto& r : t.rows) md += md_row(r);
    return md + "\n";
}

std::string table_html(const Table& t) {
    std::string h = fmt::format("<h3>{} <small>{}</small></h3>\n<table>\n<thead><tr>", html_escape(t.title_zh),
                                html_escape(t.title_en));
    for (std::size_t i = 0; i < t.header.size(); ++i)
        h += fmt::format("<th{}>{}<br><small>{}</small></th>", i < t.text_columns ? "" : " class=\"n\"",
                         html_escape(t.header[i].first), html_escape(t.header[i].second));
    h += "</tr></thead>\n<tbody>\n";
    for (const auto& r : t.rows) {
        h += "<tr>";
        for (std::size_t i = 0; i < r.size(); ++i) {
            std::string cls = i < t.text_columns ? "" : "n";
            if (r[i] == "FAIL" || r[i] == "ERROR") cls += cls.empty() ? "bad" : " bad";
            h += fmt::format("<td{}>{}</td>", cls.empty() ? "" : " class=\"" + cls + "\"", html_escape(r[i]));
        }
        h += "</tr>\n";
    }
    return h + "</tbody>\n</table>\n";
}

std::string summary_sentence_zh(const Comparison& c) {
    std::size_t pass = 0, fail = 0, error = 0;
    for (const auto& p : c.projects) {
        const std::string s = p.status();
        (s == "PASS" ? pass : s == "FAIL" ? fail : error) += 1;
    }
    return fmt::format("{} 个项目：{} 个通过，{} 个未通过，{} 个未能运行。", c.projects.size(), pass, fail, error);
}

std::string summary_sentence_en(const Comparison& c) {
    std::size_t pass = 0, fail = 0, error = 0;
    for (const auto& p : c.projects) {
        const std::string s = p.status();
        (s == "PASS" ? pass : s == "FAIL" ? fail : error) += 1;
    }
    return fmt::format("{} project(s): {} pass, {} fail, {} could not be run. Areas are ellipsoidal (the national "
                       "land survey formula), each measured by its project's run in its own analysis CRS; shares "
                       "are of the county's area.",
                       c.projects.size(), pass, fail, error);
}

// A project's figures as data: in its summary.json ("comparison") and in comparison.json.
json summary_object(const RunSummary& s) {
    json o;
    auto part = [&s](const SummaryArea& a) {
        json x = {{"name", a.name}, {"m2", a.m2}, {"ha", from_square_metres(a.m2, AreaUnit::ha)}};
        const auto share = share_of(s, a.m2);
        x["share_pct"] = share ? json(*share) : json(nullptr);
        return x;
    };
    o["method"] = "ellip";
    o["county"] = s.county_m2 ? json{{"layer", s.county_layer},
                                     {"m2", *s.county_m2},
                                     {"ha", from_square_metres(*s.county_m2, AreaUnit::ha)},
                                     {"mu", from_square_metres(*s.county_m2, AreaUnit::mu)}}
                              : json(nullptr);
    json lines = json::array();
    for (std::size_t i = 0; i < s.control_lines.size(); ++i) {
        json x = part(s.control_lines[i]);
        x["layer"] = i < s.control_layers.size() ? s.control_layers[i] : "";
        lines.push_back(x);
    }
    o["control_lines"] = lines;
    json zones = json::array();
    for (const auto& z : s.zones) zones.push_back(part(z));
    o["zones"] = {{"layer", s.zones_layer}, {"table", s.zones_table}, {"field", s.zone_field}, {"areas", zones}};
    o["rules"] = s.rules;
    o["rules_failed"] = s.rules_failed;
    o["findings_above_tolerance"] = s.findings;
    return o;
}

}  // namespace

const std::vector<ControlLine>& control_lines() {
    static const std::vector<ControlLine> lines = {
        {"redline", "生态保护红线"}, {"farmland", "永久基本农田"}, {"urban", "城镇开发边界"}};
    return lines;
}

std::string ComparedProject::status() const {
    if (!summary) return "ERROR";
    return summary->rules_failed == 0 ? "PASS" : "FAIL";
}

Comparison make_comparison(std::vector<ComparedProject> projects) {
    Comparison c;
    c.projects = std::move(projects);
    for (const auto& line : control_lines())
        for (const auto& p : c.projects)
            if (p.summary && find_area(p.summary->control_lines, line.name)) {
                c.control_lines.push_back(line.name);
                break;
            }
    for (const auto& p : c.projects)
        if (p.summary)
            for (const auto& z : p.summary->zones)
                if (std::find(c.zones.begin(), c.zones.end(), z.name) == c.zones.end()) c.zones.push_back(z.name);
    return c;
}

std::vector<std::string> comparison_columns(const Comparison& c) {
    std::vector<std::string> columns = {"project", "crs", "county_m2", "county_ha", "county_mu"};
    for (const auto& line : c.control_lines) {
        columns.push_back(line + "_ha");
        columns.push_back(line + "_share_pct");
    }
    for (const auto& z : c.zones) {
        columns.push_back(z + "_ha");
        columns.push_back(z + "_share_pct");
    }
    columns.insert(columns.end(), {"rules", "rules_failed", "findings_above_tolerance", "status"});
    return columns;
}

std::string comparison_csv(const Comparison& c) {
    std::string csv = csv_record(comparison_columns(c));
    for (const auto& p : c.projects) {
        const RunSummary* s = p.summary ? &*p.summary : nullptr;
        std::vector<std::string> row = {p.name, p.crs};
        if (s && s->county_m2)
            row.insert(row.end(), {fixed(*s->county_m2, 2), ha_text(*s->county_m2), mu_text(*s->county_m2)});
        else
            row.insert(row.end(), {"", "", ""});
        for (const auto& l : c.control_lines)
            for (auto& cell : area_cells(s, s ? s->control_lines : std::vector<SummaryArea>{}, l)) row.push_back(cell);
        for (const auto& z : c.zones)
            for (auto& cell : area_cells(s, s ? s->zones : std::vector<SummaryArea>{}, z)) row.push_back(cell);
        if (s)
            row.insert(row.end(), {std::to_string(s->rules), std::to_string(s->rules_failed),
                                   std::to_string(s->findings)});
        else
            row.insert(row.end(), {"", "", ""});
        row.push_back(p.status());
        csv += csv_record(row);
    }
    return encode_csv(csv, CsvEncoding::utf8_bom, "comparison.csv");  // Excel reads the names as UTF-8
}

std::string comparison_json(const Comparison& c) {
    json j;
    j["method"] = "ellip";
    j["columns"] = comparison_columns(c);
    j["control_lines"] = c.control_lines;
    j["zones"] = c.zones;
    json projects = json::array();
    for (const auto& p : c.projects) {
        json o;
        o["name"] = p.name;
        o["file"] = p.file;
        o["status"] = p.status();
        if (!p.summary) {
            o["error"] = p.error;
            projects.push_back(o);
            continue;
        }
        o["report"] = p.name + "/report.html";
        o["crs"] = p.crs;
        const json figures = summary_object(*p.summary);
        for (auto it = figures.begin(); it != figures.end(); ++it) o[it.key()] = it.value();
        projects.push_back(o);
    }
    j["projects"] = projects;
    return json_text(std::move(j));
}

std::string run_summary_json(const RunSummary& summary) { return json_text(summary_object(summary)); }

std::string comparison_markdown(const Comparison& c) {
    std::string md;
    for (const auto& t : comparison_tables(c)) md += table_markdown(t);
    return md;
}

std::string comparison_index_markdown(const Comparison& c, const std::string& title) {
    std::string md = fmt::format("# {} Several counties compared\n\n{}\n\n{}\n\n", title, summary_sentence_zh(c),
                                 summary_sentence_en(c));
    md += "## 项目 Projects\n\n";
    md += md_row({"项目 (project)", "文件 (file)", "坐标系 (CRS)", "结论 (status)", "报告 (report)"});
    md += "|---|---|---|---|---|\n";
    for (const auto& p : c.projects)
        md += md_row({p.name, p.file, p.crs, p.status(),
                      p.summary ? fmt::format("[report.html](<{}/report.html>)", p.name) : p.error});
    md += "\n## 对比 Comparison\n\n" + comparison_markdown(c);
    md += "Figures as data: [comparison.csv](comparison.csv) (UTF-8 with BOM), "
          "[comparison.json](comparison.json).\n";
    return md;
}

std::string comparison_index_html(const Comparison& c, const std::string& title) {
    const char* css =
        "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",sans-serif;margin:2em;"
        "color:#222}\nh1,h2,h3{font-weight:600}\nh2,h3{margin-top:1.5em}\nsmall{color:#666;font-weight:normal;"
        "font-size:75%}\ntable{border-collapse:collapse;margin:.5em 0 1em}\nth,td{border:1px solid #bbb;"
        "padding:.25em .5em;vertical-align:top}\nth{background:#f0f0f0;text-align:left}\nth.n,td.n{text-align:"
        "right}\ntd.bad{color:#b00020;font-weight:600}\ntr:nth-child(even) td{background:#fafafa}\n.scroll{"
        "overflow-x:auto}\n@media print{body{margin:0;font-size:9pt}.scroll{overflow:visible}@page{size:A4 "
        "landscape;margin:12mm}}\n";
    std::string body = fmt::format("<h1>{} <small>Several counties compared</small></h1>\n<p>{}<br><small>{}</small></p>\n",
                                   html_escape(title),
                                   html_escape(summary_sentence_zh(c)), html_escape(summary_sentence_en(c)));
    body += "<h2>项目 <small>Projects</small></h2>\n<table>\n<thead><tr><th>项目<br><small>project</small></th>"
            "<th>文件<br><small>file</small></th><th>坐标系<br><small>CRS</small></th><th>结论<br><small>status"
            "</small></th><th>报告<br><small>report</small></th></tr></thead>\n<tbody>\n";
    for (const auto& p : c.projects) {
        const std::string status = p.status();
        body += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td{}>{}</td><td>{}</td></tr>\n",
                            html_escape(p.name), html_escape(p.file), html_escape(p.crs),
                            status == "PASS" ? "" : " class=\"bad\"", status,
                            p.summary ? fmt::format("<a href=\"{}\">report.html</a>", html_escape(report_link(p.name)))
                                      : html_escape(p.error));
    }
    body += "</tbody>\n</table>\n<h2>对比 <small>Comparison</small></h2>\n";
    for (const auto& t : comparison_tables(c)) body += "<div class=\"scroll\">\n" + table_html(t) + "</div>\n";
    body += "<p>数据 <small>Figures as data:</small> <a href=\"comparison.csv\">comparison.csv</a> "
            "<small>(UTF-8 with BOM)</small>, <a href=\"comparison.json\">comparison.json</a></p>\n";
    return fmt::format("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n"
                       "<style>\n{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
                       html_escape(title), css, body);
}

const std::vector<std::string>& comparison_files() {
    static const std::vector<std::string> files = {"comparison.csv", "comparison.json", "index.md", "index.html"};
    return files;
}

namespace {
void make_directory(const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw OutputError(fmt::format("cannot create the output directory '{}': {}", dir, ec.message()));
}
}  // namespace

void check_comparison_outputs(const std::string& dir, const OutputOptions& options) {
    make_directory(dir);
    for (const auto& f : comparison_files()) check_output_path((fs::path(dir) / f).string(), options);
}

std::vector<std::string> write_comparison(const std::string& dir, const Comparison& comparison,
                                          const std::string& title, const OutputOptions& options) {
    make_directory(dir);
    const std::vector<std::pair<std::string, std::string>> texts = {
        {"comparison.csv", comparison_csv(comparison)},
        {"comparison.json", comparison_json(comparison)},
        {"index.md", comparison_index_markdown(comparison, title)},
        {"index.html", comparison_index_html(comparison, title)}};
    std::vector<std::string> written;
    for (const auto& [file, text] : texts) {
        const std::string path = (fs::path(dir) / file).string();
        write_text_file(path, text, options);
        written.push_back(path);
    }
    return written;
}

std::string project_folder_name(const std::string& wanted, std::vector<std::string>& taken) {
    std::string name;
    for (unsigned char c : wanted) {
        const bool bad = c < 0x20 || c == 0x7F || std::string_view("/\\:*?\"<>|").find(static_cast<char>(c)) !=
                                                       std::string_view::npos;
        name += bad ? '_' : static_cast<char>(c);
    }
    // At most 80 bytes, cut where a UTF-8 character starts.
    constexpr std::size_t max_bytes = 80;
    if (name.size() > max_bytes) {
        std::size_t cut = max_bytes;
        while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
        name.resize(cut);
    }
    while (!name.empty() && (name.back() == ' ' || name.back() == '.')) name.pop_back();
    while (!name.empty() && (name.front() == ' ' || name.front() == '.')) name.erase(0, 1);
    if (name.empty()) name = "project";
    static const std::vector<std::string> dos = {"con", "prn", "aux", "nul", "com1", "com2", "com3", "com4",
                                                 "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3",
                                                 "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9"};
    const std::string stem = ascii_lower(name.substr(0, name.find('.')));
    if (std::find(dos.begin(), dos.end(), stem) != dos.end()) name += "_";

    auto used = [&taken](const std::string& n) {
        const std::string lower = ascii_lower(n);
        for (const auto& f : comparison_files())
            if (ascii_lower(f) == lower) return true;
        return std::any_of(taken.begin(), taken.end(), [&](const std::string& t) { return ascii_lower(t) == lower; });
    };
    std::string unique = name;
    for (int i = 2; used(unique); ++i) unique = fmt::format("{}-{}", name, i);
    taken.push_back(unique);
    return unique;
}

}  // namespace zk
