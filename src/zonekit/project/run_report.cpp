// What `zonekit run` says of itself: report.md and report.html (title block, tables, checks, notes), the inset
// of each finding, and summary.json (run_internal.hpp).
#include "zonekit/project/run_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/roles.hpp"
#include "zonekit/base/sha256.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/base/units.hpp"
#include "zonekit/base/version.hpp"
#include "zonekit/present/report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>


namespace zk::run_detail {

using json = nlohmann::ordered_json;

namespace {


// "| a | b |" rows of a Markdown table, from cells already in Markdown (data escaped with md_cell).
std::string md_row(const std::vector<std::string>& cells) {
    std::string s = "|";
    for (const auto& c : cells) s += " " + c + " |";
    return s + "\n";
}

// Headings one level deeper, for a report embedded in this one.
std::string demote_headings(const std::string& md) {
    std::string out;
    std::size_t start = 0;
    while (start < md.size()) {
        std::size_t end = md.find('\n', start);
        if (end == std::string::npos) end = md.size();
        const std::string line = md.substr(start, end - start);
        out += (line.rfind('#', 0) == 0 ? "#" : "") + line + "\n";
        start = end + 1;
    }
    return out;
}

}  // namespace

void Runner::record_inputs() {
    std::map<std::string, std::string> hashed;  // file → digest, a file shared by layers hashed once
    for (const auto& l : m_layers) {
        const std::string& path = l.spec->path;
        const bool remote = path.rfind("/vsicurl", 0) == 0 || path.find("://") != std::string::npos;
        const std::vector<std::string> files = remote ? std::vector<std::string>{path} : open_layer(*l.spec).source.files();
        for (std::size_t i = 0; i < files.size(); ++i) {
            InputFile f{i == 0 ? l.spec->name : "", files[i], i == 0 ? l.info.name : "", i == 0 ? l.info.feature_count : -1, 0,
                        ""};
            std::error_code ec;
            if (!remote && fs::is_regular_file(files[i], ec)) {
                f.bytes = fs::file_size(files[i], ec);
                auto it = hashed.find(files[i]);
                if (it == hashed.end()) it = hashed.emplace(files[i], file_sha256(files[i])).first;
                f.sha256 = it->second;
            }
            m_inputs.push_back(std::move(f));
        }
    }
}

// Each finding above tolerance of a failing rule (the first `inset_limit` of each) drawn up close: its
// neighbourhood at a scale where it is plainly visible, as inset_RULE_N.png beside the report and inline in
// report.html.
void Runner::draw_insets(std::map<std::string, std::string>& svg) {
    constexpr std::size_t inset_limit = 10;
    if (!m_check || !m_project.run.map) return;
    const MapSpec base = map_spec();
    for (const auto& r : m_check->rules) {
        if (r.ok()) continue;
        std::size_t n = 0;
        for (const auto& f : r.findings) {
            if (f.below_tolerance || n >= inset_limit) break;
            MapSpec spec = base;
            // The finding fills about a third of the picture, and the picture is at least 300 m across.
            Box box{f.pt_x, f.pt_y, f.pt_x, f.pt_y};
            if (f.geom) box = envelope_of(m_ctx, f.geom.get());
            const double side = std::max({3 * (box.max_x - box.min_x), 3 * (box.max_y - box.min_y), 300.0});
            const double cx = (box.min_x + box.max_x) / 2, cy = (box.min_y + box.max_y) / 2;
            spec.extent = Box{cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2};
            spec.clip_to_extent = true;
            spec.width_px = 900;
            spec.height_px = 0;
            spec.title = fmt::format("{} #{} — {:.6f}°E {:.6f}°N", rule_kind_title(r.spec.kind), n + 1, f.lon, f.lat);
            const std::string file = fmt::format("inset_{}_{}.png", r.name, n + 1);
            step(fmt::format("drawing {}", file));
            render_map(spec, staged(file), m_out);
            m_outcome.files.push_back(target(file));
            svg[file] = render_svg(spec);
            m_insets[{r.name, n}] = file;
            ++n;
        }
    }
}

// The layers named under the pointer on the report's map: the zones and control lines as written to
// analysis.gpkg, then the findings of failing rules (on top).
std::vector<HoverLayer> Runner::hover_layers() const {
    std::vector<HoverLayer> out;
    for (const char* role : {"boundary", "districts", "urban", "farmland", "redline", "points"})
        for (const auto& l : m_layers)
            if ((l.spec->role.empty() ? guess_role(l.spec->name) : l.spec->role) == role)
                out.push_back({staged("analysis.gpkg"), l.spec->name, l.spec->name, l.spec->key, ""});
    if (m_check)
        for (const auto& r : m_check->rules)
            if (!r.ok()) out.push_back({staged("analysis.gpkg"), r.name, rule_kind_title(r.spec.kind), "key_a", "below_tolerance = 0"});
    return out;
}

std::string Runner::title_block() const {
    const std::string date = stamp_date();
    std::string md = md_row({"项目 *project*", "内容 *value*"}) + "|---|---|\n";
    md += md_row({"项目文件 *project file*", md_cell(fs::path(m_project.path).filename().string())});
    md += md_row({"日期 *date*", date});
    md += md_row({"软件 *software*", fmt::format("zonekit {}; {}", zonekit_version(), library_versions())});
    md += md_row({"分析坐标系 *analysis CRS*", md_cell(fmt::format("{} ({})", m_outcome.crs, m_crs.name()))});
    md += md_row({"面积方法 *area methods*",
                  fmt::format("平面 plan：分析坐标系下的平面面积；椭球 ellip：国土调查椭球面积计算公式（CGCS2000 椭球）；"
                              "测地 geod：Karney 测地线面积；边加密 {} m", m_options.area.densify_m)});
    if (m_check)
        md += md_row({"检查结论 *checks*", fmt::format("**{}** — {} 条规则中 {} 条通过", m_outcome.ok() ? "通过 PASS" : "不通过 FAIL",
                                                        m_outcome.rules, m_outcome.rules - m_outcome.rules_failed)});
    md += "\n### 输入数据 *Input files*\n\n";
    md += md_row({"图层 *layer*", "文件 *file*", "源图层 *source layer*", "要素 *features*", "字节 *bytes*", "SHA-256"});
    md += "|---|---|---|---:|---:|---|\n";
    for (const auto& f : m_inputs)
        md += "| " + md_cell(f.layer) + " | " + md_cell(fs::path(f.file).filename().string()) + " | " + md_cell(f.source_layer) +
              " | " + (f.features >= 0 ? std::to_string(f.features) : "") + " | " + std::to_string(f.bytes) + " | " +
              (f.sha256.empty() ? "—" : "`" + f.sha256 + "`") + " |\n";
    return md + "\n";
}

std::string Runner::report_markdown() const {
    const AreaUnit ha = AreaUnit::ha, mu = AreaUnit::mu;
    std::string md = fmt::format("# {}\n\n国土空间规划检查与面积报告 *Spatial plan check and area report*\n\n", m_title);
    md += title_block();
    if (m_project.run.map) md += "![总图 map](map.svg)\n\n";

    md += "## 图层 *Layers*\n\n";
    md += md_row({"图层 *layer*", "类型 *role*", "来源 *source*", "要素 *features*", "源坐标系 *source CRS*", "写出 *written*"});
    md += "|---|---|---|---:|---|---:|\n";
    for (const auto& l : m_layers)
        md += md_row({md_cell(l.spec->name), l.spec->role.empty() ? "—" : md_cell(l.spec->role),
                      md_cell(fmt::format("{} : {}", fs::path(l.info.source).filename().string(), l.info.name)),
                      std::to_string(l.info.feature_count), l.info.crs.empty() ? "none" : md_cell(l.info.crs.label()),
                      std::to_string(l.written)});
    md += "\n";

    if (!m_areas.empty()) md += "## 面积 *Areas*\n\n";
    for (const auto& r : m_areas) {
        const std::string key = r.table.by.empty() ? "要素 *feature*" : md_cell(r.table.by);
        md += fmt::format("### {} — {}{}\n\n", r.job->name, r.job->layer, r.table.by.empty() ? "" : fmt::format(" × {}", r.table.by));
        md += md_row({key, "个数 *count*", "平面 公顷 *plan ha*", "椭球 公顷 *ellip ha*", "测地 公顷 *geod ha*", "平面 亩 *plan mu*",
                      "椭球 亩 *ellip mu*", "测地 亩 *geod mu*", "占比 % *share*"});
        md += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        auto row = [&](const AreaRow& a, bool total) {
            const int dh = display_decimals(ha), dm = display_decimals(mu);
            const double share = r.table.total.areas.ellip > 0 ? 100.0 * a.areas.ellip / r.table.total.areas.ellip : 0;
            md += md_row({total ? "**合计 total**" : md_cell(a.key), std::to_string(a.count),
                          fixed(from_square_metres(a.areas.plan, ha), dh), fixed(from_square_metres(a.areas.ellip, ha), dh),
                          fixed(from_square_metres(a.areas.geod, ha), dh), fixed(from_square_metres(a.areas.plan, mu), dm),
                          fixed(from_square_metres(a.areas.ellip, mu), dm), fixed(from_square_metres(a.areas.geod, mu), dm),
                          fixed(share, 2)});
        };
        for (const auto& g : r.table.groups) row(g, false);
        row(r.table.total, true);
        md += "\n";
    }

    if (!m_tables.empty()) md += "## 地类 *Land use by zone*\n\n";
    for (const auto& r : m_tables) {
        md += fmt::format("### {} — {} ({}) × {} ({})\n\n", r.job->name, r.job->zones, r.job->zone_field, r.job->classes,
                          r.job->class_field);
        std::string table = tabulate_markdown(r.table);
        if (r.table.adjusted) md += fmt::format("控制面积 *control area*：{}。\n\n", r.control_note);
        md += table + "\n";
    }

    if (!m_counts.empty() || !m_lengths.empty()) md += "## 点与线 *Points and lines per zone*\n\n";
    for (const auto& r : m_counts)
        md += fmt::format("### {} — {} / {}\n\n{}\n", r.job->name, r.job->layer, r.job->zone_field, zone_count_markdown(r.table));
    for (const auto& r : m_lengths)
        md += fmt::format("### {} — {} / {}\n\n{}\n", r.job->name, r.job->layer, r.job->zone_field, zone_length_markdown(r.table));

    if (!m_overlays.empty()) {
        md += "## 叠加 *Overlays*\n\n";
        md += md_row({"结果 *result*", "运算 *operation*", "A", "B", "要素 *features*", "整体取用 *whole*", "切割 *cut*",
                      "舍去线点 *dropped*"});
        md += "|---|---|---|---|---:|---:|---:|---:|\n";
        for (const auto& r : m_overlays)
            md += md_row({md_cell(r.job->name), r.job->op, md_cell(r.job->a), md_cell(r.job->b), std::to_string(r.features),
                          std::to_string(r.stats.taken_whole), std::to_string(r.stats.overlays),
                          std::to_string(r.stats.lower_dim_dropped)});
        md += "\n";
    }

    if (m_screen) {
        md += "## 选址 *Siting screen*\n\n";
        md += fmt::format("{} 个选址（图层 {}）：禁止 **{}**，有条件允许 **{}**，允许 **{}**，错误 {}。每个选址一页见 "
                          "[screen.html](screen.html)；数据见 screen.csv、screen.json、screen.gpkg。\n\n",
                          m_screen->sites.size(), m_project.screen.sites.name, m_screen->count(Verdict::forbidden),
                          m_screen->count(Verdict::conditional), m_screen->count(Verdict::allowed), m_screen->errors());
        md += md_row({"选址 *site*", "结论 *verdict*", "原因 *reasons*"});
        md += md_row({"---", "---", "---"});
        for (const auto& site : m_screen->sites)
            if (site.error.empty() && site.verdict != Verdict::allowed) {
                std::string reasons;
                for (const auto& r : site.reasons) reasons += (reasons.empty() ? "" : "；") + r;
                md += md_row({md_cell(site.id), verdict_name(site.verdict), md_cell(reasons)});
            }
        md += "\n";
    }
    if (m_check) {
        CheckReportOptions options;
        options.notes = false;  // they are in the notes section below, once
        if (!m_insets.empty())
            options.inset = [this](const RuleResult& r, std::size_t i) {
                const auto it = m_insets.find({r.name, i});
                return it == m_insets.end() ? std::string() : fmt::format("[图 {}]({})", i + 1, it->second);
            };
        md += "## 检查 *Checks*\n\n" + demote_headings(demote_headings(check_report_markdown(*m_check, options))) + "\n";
        if (!m_insets.empty()) {
            md += "### 近景图 *Findings up close*\n\n";
            for (const auto& r : m_check->rules)
                for (std::size_t i = 0; m_insets.count({r.name, i}); ++i)
                    md += fmt::format("![{} {} #{}]({})\n\n", rule_kind_title(r.spec.kind), md_cell(r.name), i + 1,
                                      m_insets.at({r.name, i}));
        }
    }

    md += "## 说明 *Notes and warnings*\n\n";
    for (const auto& n : m_outcome.notes) md += "- " + md_cell(n) + "\n";
    for (const auto& w : m_outcome.warnings) md += "- **注意 warning:** " + md_cell(w) + "\n";
    if (m_outcome.notes.empty() && m_outcome.warnings.empty()) md += "无 *None*。\n";
    return md;
}

std::string Runner::summary_json() const {
    json j;
    j["project"] = m_project.path;
    j["title"] = m_title;
    j["crs"] = m_outcome.crs;
    j["densify_m"] = m_options.area.densify_m;
    json files = json::array();
    for (const auto& f : m_outcome.files) files.push_back(fs::path(f).filename().string());
    files.push_back("summary.json");
    j["files"] = files;
    json layers = json::array();
    for (const auto& l : m_layers)
        layers.push_back({{"name", l.spec->name},
                          {"role", l.spec->role},
                          {"source", l.info.source},
                          {"layer", l.info.name},
                          {"features", l.info.feature_count},
                          {"crs", l.info.crs.empty() ? "" : l.info.crs.label()}});
    j["layers"] = layers;
    json areas = json::array();
    for (const auto& r : m_areas) {
        json a = json::parse(area_table_json(r.table, AreaUnit::m2));
        a["name"] = r.job->name;
        areas.push_back(a);
    }
    j["areas"] = areas;
    // A table's own JSON (as its command writes it) with the job's name.
    auto named = [](const std::string& text, const std::string& name) {
        json t = json::parse(text);
        t["name"] = name;
        return t;
    };
    json tables = json::array();
    for (const auto& r : m_tables) {
        json t = named(tabulate_json(r.table), r.job->name);
        if (r.table.adjusted) t["control"] = r.control_note;
        tables.push_back(t);
    }
    j["tables"] = tables;
    json counts = json::array();
    for (const auto& r : m_counts) counts.push_back(named(zone_count_json(r.table), r.job->name));
    j["counts"] = counts;
    json lengths = json::array();
    for (const auto& r : m_lengths) lengths.push_back(named(zone_length_json(r.table), r.job->name));
    j["lengths"] = lengths;
    json overlays = json::array();
    for (const auto& r : m_overlays)
        overlays.push_back({{"name", r.job->name},
                            {"op", r.job->op},
                            {"a", r.job->a},
                            {"b", r.job->b},
                            {"features", r.features},
                            {"taken_whole", r.stats.taken_whole},
                            {"overlays", r.stats.overlays},
                            {"lower_dim_dropped", r.stats.lower_dim_dropped},
                            {"problems", r.stats.problems.size()}});
    j["overlays"] = overlays;
    json checks = m_check ? json::parse(check_report_json(*m_check)) : json::object();
    checks["ok"] = m_outcome.ok();
    j["checks"] = checks;
    if (m_screen)
        j["screen"] = {{"sites", m_screen->sites.size()},
                       {"forbidden", m_screen->count(Verdict::forbidden)},
                       {"conditional", m_screen->count(Verdict::conditional)},
                       {"allowed", m_screen->count(Verdict::allowed)},
                       {"error", m_screen->errors()}};
    j["notes"] = m_outcome.notes;
    j["warnings"] = m_outcome.warnings;
    j["comparison"] = json::parse(run_summary_json(m_outcome.summary));
    return json_text(std::move(j));
}

}  // namespace zk::run_detail
