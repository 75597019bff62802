// The check's reports (check.hpp): JSON, the Markdown report, the terminal summary, the findings' fields.
#include "zonekit/checks/check.hpp"

#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace zk {

// ---- Reports ----------------------------------------------------------------------------------------------

const std::vector<std::string>& finding_field_names() {
    static const std::vector<std::string> names = {"rule",    "layer_a", "fid_a",  "key_a", "layer_b",
                                                   "fid_b",   "key_b",   "plan_m2", "ellip_m2", "pt_x",
                                                   "pt_y",    "lon",     "lat",    "below_tolerance", "detail"};
    return names;
}

namespace {
double rounded(double x, double step = 1e-6) { return std::round(x / step) * step; }

std::string side(const std::string& layer, std::int64_t fid, const std::string& key) {
    if (layer.empty()) return "";
    std::string s = layer;
    if (fid >= 0) s += fmt::format(" {}", fid);
    if (!key.empty()) s += fmt::format(" ({})", key);
    return s;
}

std::string where_text(const Finding& f) {
    std::string a = side(f.layer_a, f.fid_a, f.key_a);
    if (f.fid_a < 0 && f.fid_b < 0) a = f.layer_a;
    std::string b = f.fid_b >= 0 ? side(f.layer_b, f.fid_b, f.key_b) : "";
    return b.empty() ? a : a + " × " + b;
}

std::string group_digits(double x, int decimals) {
    const std::string s = fmt::format("{:.{}f}", x, decimals);
    const std::size_t dot = s.find('.');
    const std::size_t end = dot == std::string::npos ? s.size() : dot;
    const std::size_t start = s[0] == '-' ? 1 : 0;
    // Copied digit by digit (not inserted in place, which GCC 12's -Wrestrict misreads at -O2).
    std::string out = s.substr(0, start);
    for (std::size_t i = start; i < end; ++i) {
        if (i > start && (end - i) % 3 == 0) out += ',';
        out += s[i];
    }
    return out + s.substr(end);
}

std::string layers_text(const RuleResult& r) {
    std::string s;
    for (const auto& l : r.spec.layers) s += (s.empty() ? "" : ", ") + l;
    if (r.spec.kind == RuleKind::slivers) s += fmt::format(" (max width {} m)", r.spec.max_width);
    if (r.spec.kind == RuleKind::clearance) s += fmt::format(" ({} m)", r.spec.distance);
    return s;
}
}  // namespace

std::string check_report_json(const CheckResult& result) {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const auto& r : result.rules) {
        nlohmann::ordered_json j;
        j["rule"] = rule_kind_name(r.spec.kind);
        j["layers"] = r.spec.layers;
        j["ok"] = r.ok();
        j["findings"] = r.above;
        j["area_m2"] = rounded(r.above_m2);
        j["below_tolerance"] = r.below;
        j["below_tolerance_area_m2"] = rounded(r.below_m2);
        nlohmann::ordered_json largest = nlohmann::ordered_json::array();
        for (const auto& f : r.findings) {
            if (f.below_tolerance || largest.size() >= 10) break;
            nlohmann::ordered_json x;
            x["layer_a"] = f.layer_a;
            x["fid_a"] = f.fid_a >= 0 ? nlohmann::ordered_json(f.fid_a) : nlohmann::ordered_json();
            x["key_a"] = f.key_a;
            x["layer_b"] = f.layer_b;
            x["fid_b"] = f.fid_b >= 0 ? nlohmann::ordered_json(f.fid_b) : nlohmann::ordered_json();
            x["key_b"] = f.key_b;
            x["plan_m2"] = rounded(f.plan_m2);
            x["ellip_m2"] = rounded(f.ellip_m2);
            x["x"] = rounded(f.pt_x, 1e-3);
            x["y"] = rounded(f.pt_y, 1e-3);
            x["lon"] = rounded(f.lon, 1e-8);
            x["lat"] = rounded(f.lat, 1e-8);
            x["detail"] = f.detail;
            largest.push_back(std::move(x));
        }
        j["largest"] = std::move(largest);
        rules.push_back(std::move(j));
    }
    nlohmann::ordered_json doc;
    doc["rules"] = std::move(rules);
    return json_text(std::move(doc));
}

std::string check_report_markdown(const CheckResult& result, const CheckReportOptions& options) {
    const std::size_t largest = options.largest;
    const auto& inset = options.inset;
    std::string md = "# 规划检查 *zonekit check*\n\n";
    std::size_t failing = 0;
    for (const auto& r : result.rules) failing += r.ok() ? 0 : 1;
    md += fmt::format("**{}** — {} 条规则中 {} 条通过 *({} of {} rules hold)*。面积为 {} 下的平面面积，检查结果图层另记椭球面积 "
                      "*(areas planar in the analysis CRS; ellipsoidal in the findings layers)*。\n\n",
                      failing == 0 ? "通过 PASS" : "不通过 FAIL", result.rules.size(), result.rules.size() - failing,
                      result.rules.size() - failing, result.rules.size(),
                      result.analysis.empty() ? "分析坐标系" : result.analysis.label());
    md += "| 规则 *rule* | 图层 *layers* | 结论 *verdict* | 问题 *findings* | 面积 m² *area* | 容差 m² *tolerance* |\n";
    md += "|---|---|---|---:|---:|---:|\n";
    for (const auto& r : result.rules)
        md += fmt::format("| {} *{}* | {} | {} | {} | {} | {} |\n", rule_kind_title(r.spec.kind), md_cell(r.name),
                          md_cell(layers_text(r)), r.ok() ? "通过 ok" : "**不通过 FAIL**", r.above,
                          group_digits(r.above_m2, 2), r.min_area);
    // Findings below tolerance are not problems of the plan: one line per rule says how many and how much.
    std::string below;
    for (const auto& r : result.rules)
        if (r.below > 0)
            below += fmt::format("- {} *{}*：{} 处小于容差 {} m²，合计 {} m²，未逐条列出 *({} below tolerance, not listed)*\n",
                                 rule_kind_title(r.spec.kind), md_cell(r.name), r.below, r.min_area,
                                 group_digits(r.below_m2, 4), r.below);
    if (!below.empty()) md += "\n容差以下 *Below tolerance*：\n\n" + below;
    for (const auto& r : result.rules) {
        if (r.above == 0 && (r.notes.empty() || !options.notes)) continue;
        md += fmt::format("\n## {} — {} *{}*\n\n", rule_kind_title(r.spec.kind), md_cell(layers_text(r)), md_cell(r.name));
        if (options.notes) {
            for (const auto& n : r.notes) md += "- " + md_cell(n) + "\n";
            if (!r.notes.empty()) md += "\n";
        }
        if (r.above == 0) continue;
        md += "| # | 位置 *where* | 平面 m² *plan* | 椭球 m² *ellip* | x, y | 经纬度 *lon, lat* | 说明 *detail* |";
        md += inset ? " 近景 *inset* |\n|---:|---|---:|---:|---|---|---|---|\n" : "\n|---:|---|---:|---:|---|---|---|\n";
        std::size_t n = 0;
        for (const auto& f : r.findings) {
            if (f.below_tolerance || ++n > largest) break;
            md += fmt::format("| {} | {} | {} | {} | {:.2f}, {:.2f} | {:.6f}°E, {:.6f}°N | {} |", n, md_cell(where_text(f)),
                              group_digits(f.plan_m2, 2), group_digits(f.ellip_m2, 2), f.pt_x, f.pt_y, f.lon, f.lat,
                              md_cell(f.detail));
            md += inset ? " " + inset(r, n - 1) + " |\n" : "\n";
        }
        if (r.above > static_cast<std::int64_t>(largest))
            md += fmt::format("\n另有 {} 处见检查结果图层 `{}` *({} more in the findings layer)*。\n",
                              r.above - static_cast<std::int64_t>(largest), r.name, r.above - static_cast<std::int64_t>(largest));
    }
    if (options.notes)
        for (const auto& n : result.notes) md += "\n> " + md_cell(n) + "\n";
    return md;
}

std::string check_summary(const CheckResult& result, std::size_t largest) {
    std::string out;
    std::size_t width = 0, failing = 0;
    for (const auto& r : result.rules) {
        width = std::max(width, r.name.size());
        failing += r.ok() ? 0 : 1;
    }
    for (const auto& r : result.rules) {
        out += fmt::format("{:<4} {:<{}}  {} finding(s), {} m²", r.ok() ? "ok" : "FAIL", r.name, width, r.above,
                           group_digits(r.above_m2, 2));
        if (r.below > 0) out += fmt::format("; {} below {} m² ({} m²)", r.below, r.min_area, group_digits(r.below_m2, 4));
        out += "\n";
        std::size_t n = 0;
        for (const auto& f : r.findings) {
            if (f.below_tolerance || ++n > largest) break;
            out += fmt::format("       {}. {}: {} m² at ({:.2f}, {:.2f}) = {:.6f}°E {:.6f}°N{}\n", n, where_text(f),
                               group_digits(f.plan_m2, 2), f.pt_x, f.pt_y, f.lon, f.lat,
                               f.detail.empty() ? "" : " — " + f.detail);
        }
        if (r.above > static_cast<std::int64_t>(largest))
            out += fmt::format("       … {} more\n", r.above - static_cast<std::int64_t>(largest));
    }
    out += failing == 0 ? fmt::format("all {} rules hold\n", result.rules.size())
                        : fmt::format("{} of {} rules fail\n", failing, result.rules.size());
    return out;
}

}  // namespace zk
