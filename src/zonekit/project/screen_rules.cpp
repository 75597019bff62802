// The siting screen's names and settings (verdicts, measures, --protect, --clearance) and its rules: the
// sanxian preset, the rules in effect, and their check against the project.
#include "zonekit/project/screen.hpp"
#include "zonekit/project/screen_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/project/project.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace zk {

// ---- Names ------------------------------------------------------------------------------------------------

const char* verdict_name(Verdict v) {
    switch (v) {
        case Verdict::allowed: return "allowed";
        case Verdict::conditional: return "conditional";
        case Verdict::forbidden: return "forbidden";
    }
    return "allowed";
}

const char* verdict_label(Verdict v) {
    switch (v) {
        case Verdict::allowed: return "允许";
        case Verdict::conditional: return "有条件允许";
        case Verdict::forbidden: return "禁止";
    }
    return "允许";
}

Verdict parse_verdict(std::string_view text) {
    for (Verdict v : {Verdict::allowed, Verdict::conditional, Verdict::forbidden})
        if (text == verdict_name(v)) return v;
    throw InputError(fmt::format("unknown verdict '{}' (verdicts: allowed, conditional, forbidden)", text));
}

const char* screen_measure_name(ScreenMeasure m) {
    switch (m) {
        case ScreenMeasure::take: return "take";
        case ScreenMeasure::outside: return "outside";
        case ScreenMeasure::share: return "share";
        case ScreenMeasure::clearance: return "clearance";
        case ScreenMeasure::points: return "points";
    }
    return "take";
}

ScreenMeasure parse_screen_measure(std::string_view text) {
    for (ScreenMeasure m : {ScreenMeasure::take, ScreenMeasure::outside, ScreenMeasure::share, ScreenMeasure::clearance,
                            ScreenMeasure::points})
        if (text == screen_measure_name(m)) return m;
    throw InputError(
        fmt::format("unknown measure '{}' (measures: take, outside, share, clearance, points)", text));
}

namespace {

bool parse_number(std::string_view text, double& out) {
    if (text.empty()) return false;
    const std::string s(text);
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size() && std::isfinite(out);
}

std::pair<std::string, std::string> split_setting(std::string_view text, const char* option, const char* example) {
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
        throw InputError(fmt::format("{} '{}': expected LAYER=VALUE, e.g. {}", option, text, example));
    return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

}  // namespace

ProtectSpec parse_protect(std::string_view text) {
    auto [layer, value] = split_setting(text, "--protect", "trees=15, trees=crown_r or trees=crown_r+5");
    ProtectSpec p;
    p.layer = layer;
    double m = 0;
    if (parse_number(value, m)) {
        p.radius_m = m;
    } else if (const auto plus = value.find('+'); plus != std::string::npos) {
        p.field = value.substr(0, plus);
        if (p.field.empty() || !parse_number(std::string_view(value).substr(plus + 1), m))
            throw InputError(fmt::format("--protect '{}': expected a radius in metres, a field, or FIELD+METRES", text));
        p.radius_m = m;
    } else {
        p.field = value;
    }
    if (p.radius_m < 0)
        throw InputError(fmt::format("--protect '{}': the radius must not be negative", text));
    return p;
}

ClearanceSpec parse_clearance(std::string_view text) {
    auto [layer, value] = split_setting(text, "--clearance", "rivers=50");
    ClearanceSpec c;
    c.layer = layer;
    if (!parse_number(value, c.m) || c.m <= 0)
        throw InputError(fmt::format("--clearance '{}': the distance must be a positive number of metres", text));
    return c;
}

// ---- Rules ------------------------------------------------------------------------------------------------

bool class_matches(const std::vector<std::string>& classes, const std::string& value) {
    if (classes.empty()) return true;
    for (const auto& c : classes) {
        if (!c.empty() && c.back() == '*') {
            if (value.compare(0, c.size() - 1, c, 0, c.size() - 1) == 0) return true;
        } else if (value == c) {
            return true;
        }
    }
    return false;
}

const std::vector<std::string>& cultivated_classes() {
    static const std::vector<std::string> classes = {"01*", "水田", "水浇地", "旱地"};
    return classes;
}

namespace {

bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    return a == b || std::filesystem::equivalent(a, b, ec);
}

}  // namespace

namespace screen_detail {

// The declared layer that is the sites layer: the same file and layer.
bool is_sites(const LayerSpec& l, const LayerSpec& sites) {
    return same_file(l.path, sites.path) && (l.layer == sites.layer || l.layer.empty() || sites.layer.empty());
}

// The field whose values are a layer's classes in by_class: `by`, else for land-use parcels their 三调 code
// (DLBM, any case) or name (DLMC), else the layer's key.
std::string class_field_of(const ScreenSpec& spec, const LayerSpec& layer, const LayerInfo& info) {
    for (const auto& [name, field] : spec.by)
        if (name == layer.name) return field;
    if (layer.role == "parcels")
        for (const char* wanted : {"dlbm", "dlmc"})
            for (const auto& f : info.fields)
                if (ascii_lower(f.name) == wanted) return f.name;
    return layer.key;
}

}  // namespace screen_detail

using namespace screen_detail;

namespace {

const LayerSpec* layer_of_role(const Project& project, const std::string& role, const LayerSpec* sites) {
    for (const auto& l : project.plan.layers)
        if (l.role == role && !(sites && !sites->path.empty() && is_sites(l, *sites))) return &l;
    return nullptr;
}

}  // namespace

std::vector<ScreenRule> sanxian_screen_rules(const Project& project, const LayerSpec* sites) {
    const LayerSpec* redline = layer_of_role(project, "redline", sites);
    const LayerSpec* farmland = layer_of_role(project, "farmland", sites);
    const LayerSpec* urban = layer_of_role(project, "urban", sites);
    std::string missing;
    if (!redline) missing += " redline";
    if (!farmland) missing += " farmland";
    if (!urban) missing += " urban";
    if (!missing.empty())
        throw InputError(fmt::format(
            "project file '{}': the preset sanxian needs a layer of each role redline, farmland and urban; none "
            "has the role{} (set `role = …` in its [layers.*] table)",
            project.path, missing));
    std::vector<ScreenRule> rules;
    rules.push_back({redline->name, ScreenMeasure::take, {}, {}, Verdict::forbidden, "占用生态保护红线", 0, 0});
    rules.push_back({farmland->name, ScreenMeasure::take, {}, {}, Verdict::forbidden, "占用永久基本农田", 0, 0});
    rules.push_back({urban->name, ScreenMeasure::outside, {}, {}, Verdict::conditional, "位于城镇开发边界外", 0, 0});
    // 耕地 (三调 first-level class 01: 水田, 水浇地, 旱地), by code or by name, in the land-use parcels.
    if (const LayerSpec* parcels = layer_of_role(project, "parcels", sites))
        rules.push_back({parcels->name, ScreenMeasure::take, cultivated_classes(), {}, Verdict::conditional,
                         "占用耕地", 0, 0});
    return rules;
}

std::vector<ScreenRule> effective_screen_rules(const Project& project, const ScreenSpec& spec) {
    std::vector<ScreenRule> rules;
    if (spec.preset == "sanxian") rules = sanxian_screen_rules(project, &spec.sites);
    rules.insert(rules.end(), spec.rules.begin(), spec.rules.end());
    const auto has_rule = [&](const std::string& layer, ScreenMeasure m) {
        return std::any_of(rules.begin(), rules.end(),
                           [&](const ScreenRule& r) { return r.layer == layer && r.measure == m; });
    };
    for (const auto& c : spec.clearances)
        if (!has_rule(c.layer, ScreenMeasure::clearance))
            rules.push_back({c.layer, ScreenMeasure::clearance, {}, {}, Verdict::conditional,
                             fmt::format("不满足与{}的{} m间距要求", c.layer, fmt::format("{:g}", c.m)),
                             0, 0});
    for (const auto& p : spec.protect)
        if (!has_rule(p.layer, ScreenMeasure::points))
            rules.push_back({p.layer, ScreenMeasure::points, {}, {}, Verdict::conditional,
                             fmt::format("涉及{}保护范围", p.layer), 0, 0});
    return rules;
}

void validate_screen(const Project& project, const ScreenSpec& spec) {
    const auto need = [&](const std::string& layer, const std::string& where) {
        if (!project.layer(layer)) {
            std::string known;
            for (const auto& l : project.plan.layers) known += (known.empty() ? "" : ", ") + l.name;
            throw InputError(fmt::format("{}: layer '{}' is not declared in project file '{}' (layers: {})", where,
                                         layer, project.path, known.empty() ? "none" : known));
        }
    };
    for (const auto& l : spec.layers) need(l, "screen layers");
    for (const auto& [l, f] : spec.by) need(l, fmt::format("screen by.{}", l));
    for (const auto& c : spec.clearances) need(c.layer, fmt::format("clearance {}={}", c.layer, c.m));
    for (const auto& p : spec.protect) need(p.layer, fmt::format("protect {}", p.layer));
    if (!spec.preset.empty() && spec.preset != "sanxian")
        throw InputError(fmt::format("unknown screen preset '{}' (presets: sanxian)", spec.preset));
    if (spec.radius && !(*spec.radius > 0))
        throw InputError(fmt::format("the radius of point sites must be positive (got {})", *spec.radius));
    if (spec.min_area && *spec.min_area < 0) throw InputError("the screen's min_area must not be negative");
    for (const auto& r : effective_screen_rules(project, spec)) {
        const std::string where = r.line > 0 ? fmt::format("screen rule at line {} of '{}'", r.line, project.path)
                                             : fmt::format("screen rule '{}'", r.wording);
        need(r.layer, where);
        if (r.measure == ScreenMeasure::clearance &&
            std::none_of(spec.clearances.begin(), spec.clearances.end(),
                         [&](const ClearanceSpec& c) { return c.layer == r.layer; }))
            throw InputError(fmt::format("{}: measure clearance on layer '{}', which has no clearance declared "
                                         "(clearance = {{ {} = METRES }} or --clearance {}=METRES)",
                                         where, r.layer, r.layer, r.layer));
        if (!r.classes.empty() && r.measure != ScreenMeasure::take && r.measure != ScreenMeasure::share)
            throw InputError(fmt::format("{}: classes apply to the measures take and share only", where));
        if (r.threshold && *r.threshold < 0) throw InputError(fmt::format("{}: a negative threshold", where));
    }
}

}  // namespace zk
