#include "zonekit/checks/check.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/ops/feature_defn.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace zk {

// ---- Rules ------------------------------------------------------------------------------------------------

namespace {
struct RuleInfo {
    RuleKind kind;
    const char* name;
    std::size_t arity;
    const char* title;  // in the words of a planner's review
};
constexpr RuleInfo rule_table[] = {
    {RuleKind::no_overlap, "no-overlap", 2, "图层间重叠"}, {RuleKind::no_self_overlap, "no-self-overlap", 1, "图层内重叠"},
    {RuleKind::covers, "covers", 2, "未完全覆盖（缝隙）"}, {RuleKind::within, "within", 2, "超出范围"},
    {RuleKind::valid, "valid", 1, "几何无效"},            {RuleKind::slivers, "slivers", 1, "细碎图斑"},
    {RuleKind::clearance, "clearance", 2, "安全距离"},
};
}  // namespace

const char* rule_kind_name(RuleKind kind) {
    for (const auto& r : rule_table)
        if (r.kind == kind) return r.name;
    return "?";
}

const char* rule_kind_title(RuleKind kind) {
    for (const auto& r : rule_table)
        if (r.kind == kind) return r.title;
    return "?";
}

std::size_t rule_arity(RuleKind kind) {
    for (const auto& r : rule_table)
        if (r.kind == kind) return r.arity;
    return 0;
}

std::optional<RuleKind> find_rule_kind(std::string_view text) {
    std::string t(text);
    std::replace(t.begin(), t.end(), '_', '-');
    for (const auto& r : rule_table)
        if (t == r.name) return r.kind;
    return std::nullopt;
}

RuleKind parse_rule_kind(std::string_view text) {
    if (auto kind = find_rule_kind(text)) return *kind;
    throw InputError(fmt::format("unknown rule '{}' (rules: no-overlap, no-self-overlap, covers, within, valid, "
                                 "slivers, clearance; preset: sanxian)",
                                 text));
}

std::string rule_name(const RuleSpec& rule) {
    std::string name = rule_kind_name(rule.kind);
    std::replace(name.begin(), name.end(), '-', '_');
    for (const auto& layer : rule.layers) {
        std::string part = layer;
        for (char& c : part)
            if (c == '-' || c == ' ' || c == '.' || c == ':' || c == '/') c = '_';
        name += "_" + part;
    }
    return name;
}

std::vector<RuleSpec> pairwise_no_overlap(const std::vector<std::string>& layers) {
    std::vector<RuleSpec> rules;
    for (std::size_t i = 0; i < layers.size(); ++i)
        for (std::size_t j = i + 1; j < layers.size(); ++j) {
            RuleSpec r;
            r.kind = RuleKind::no_overlap;
            r.layers = {layers[i], layers[j]};
            rules.push_back(r);
        }
    return rules;
}

std::vector<RuleSpec> sanxian_rules(const std::string& boundary, const std::string& redline,
                                    const std::string& farmland, const std::string& urban) {
    std::vector<RuleSpec> rules = pairwise_no_overlap({redline, farmland, urban});
    for (const auto& line : {redline, farmland, urban}) {
        RuleSpec r;
        r.kind = RuleKind::within;
        r.layers = {line, boundary};
        rules.push_back(r);
    }
    for (const auto& line : {redline, farmland, urban}) {
        RuleSpec r;
        r.kind = RuleKind::valid;
        r.layers = {line};
        rules.push_back(r);
    }
    return rules;
}

OGRwkbGeometryType RuleResult::geometry_type() const {
    if (spec.kind == RuleKind::valid || spec.kind == RuleKind::clearance || spec.kind == RuleKind::within)
        return wkbUnknown;
    return wkbMultiPolygon;
}

bool CheckResult::ok() const {
    for (const auto& r : rules)
        if (!r.ok()) return false;
    return true;
}

// ---- Layers -----------------------------------------------------------------------------------------------

CheckFeature make_check_feature(GeosContext& ctx, std::int64_t fid, std::string key, GeomPtr geom,
                                MakeValidMethod method) {
    CheckFeature f;
    f.fid = fid;
    f.key = std::move(key);
    f.polygonal = is_polygonal(ctx, geom.get());
    f.validity = check_validity(ctx, geom.get());
    if (!f.validity.valid && f.polygonal) {
        Repair repair = repair_polygonal(ctx, geom.get(), method);
        f.repaired = std::move(repair.geom);
        f.changed = std::move(repair.changed);
    }
    f.box = envelope_of(ctx, geom.get());
    f.geom = std::move(geom);
    return f;
}

CheckLayer::CheckLayer(GeosContext& ctx, std::string name, std::vector<CheckFeature> features)
    : m_name(std::move(name)), m_features(std::move(features)) {
    std::vector<const GEOSGeometry*> geoms;
    geoms.reserve(m_features.size());
    for (const auto& f : m_features) geoms.push_back(f.geom.get());
    m_index = GeomIndex(ctx, geoms);
}

const CheckLayer& LayerSet::get(const std::string& name) const {
    for (const auto& l : layers)
        if (l.name() == name) return l;
    std::string names;
    for (const auto& l : layers) names += (names.empty() ? "" : ", ") + l.name();
    throw InputError(fmt::format("layer '{}' is not declared (layers: {})", name, names));
}

std::vector<LayerInfo> describe_layers(const std::vector<LayerSpec>& layers) {
    std::vector<LayerInfo> infos;
    for (const auto& spec : layers) {
        std::optional<Source> opened;
        OGRLayer* layer = nullptr;
        try {
            opened.emplace(Source::open(spec.path, spec.source));
            layer = opened->layer(spec.layer);
        } catch (const InputError& e) {
            if (spec.line <= 0) throw;  // a layer named on the command line: the message says it all
            throw InputError(fmt::format("layer '{}' (declared at line {} of the project file): {}", spec.name,
                                         spec.line, e.what()));
        }
        Source& src = *opened;
        LayerInfo info = src.describe(layer);
        if (info.crs.empty() && spec.source.assume_crs) {
            info.crs = *spec.source.assume_crs;
            info.crs_assumed = true;
        }
        infos.push_back(std::move(info));
    }
    return infos;
}

namespace {
// One note per layer on the invalid features that the overlap rules use repaired.
std::string repaired_note(const CheckLayer& layer, MakeValidMethod method) {
    std::size_t n = 0;
    std::string fids;
    for (const auto& f : layer.features())
        if (f.repaired) {
            if (++n <= 5) fids += (fids.empty() ? "" : ", ") + std::to_string(f.fid);
        }
    if (n == 0) return {};
    return fmt::format("{} invalid feature(s) of '{}' ({}{}) are used as repaired by MakeValid ({} method); the rule "
                       "'valid' lists them where they are",
                       n, layer.name(), fids, n > 5 ? ", …" : "", make_valid_method_name(method));
}
}  // namespace

CheckLayer load_check_layer(GeosContext& ctx, const LayerSpec& spec, const Crs& analysis) {
    Source src = Source::open(spec.path, spec.source);
    OGRLayer* layer = src.layer(spec.layer);
    int key_index = -1;
    if (!spec.key.empty()) {
        const OGRFeatureDefn* defn = layer->GetLayerDefn();
        key_index = defn->GetFieldIndex(spec.key.c_str());
        if (key_index < 0) {
            const std::string fields = field_names_of(defn);
            throw InputError(fmt::format("key field '{}' of layer '{}' is not a field of '{}' layer '{}' (fields: {})",
                                         spec.key, spec.name, spec.path, layer->GetName(),
                                         fields.empty() ? "none" : fields));
        }
    }
    ReadOptions read;
    read.where = spec.where;
    read.validate = false;  // the rule 'valid' reports invalid polygons as drawn; the other rules use them repaired
    LayerReader reader(src, layer, analysis, read);
    std::vector<CheckFeature> features;
    std::int64_t without = 0;
    Feature f;
    while (reader.next(ctx, f)) {
        if (!f.geom || GEOSisEmpty_r(ctx.handle(), f.geom.get()) == 1) {
            ++without;
            continue;
        }
        std::string key;
        if (key_index >= 0 && f.ogr->IsFieldSetAndNotNull(key_index)) key = f.ogr->GetFieldAsString(key_index);
        features.push_back(
            make_check_feature(ctx, f.fid, std::move(key), std::move(f.geom), spec.source.make_valid_method));
        const CheckFeature& made = features.back();
        if (spec.source.strict && !made.validity.valid)
            throw invalid_polygon_refusal(reader.where(made.fid), made.validity, spec.source.make_valid_method);
    }
    CheckLayer out(ctx, spec.name, std::move(features));
    out.without_geometry = without;
    out.source = fmt::format("'{}' layer '{}'", spec.path, reader.info().name);
    out.notes = issue_warnings(reader);
    if (std::string note = repaired_note(out, spec.source.make_valid_method); !note.empty()) out.notes.push_back(note);
    return out;
}

void validate_plan(const CheckPlan& plan) {
    std::set<std::string> names;
    std::string known;
    for (const auto& l : plan.layers) {
        if (!names.insert(l.name).second) throw InputError(fmt::format("layer '{}' is declared twice", l.name));
        known += (known.empty() ? "" : ", ") + l.name;
    }
    if (plan.rules.empty()) throw InputError("there are no rules to check");
    for (std::size_t i = 0; i < plan.rules.size(); ++i) {
        const RuleSpec& r = plan.rules[i];
        const std::string where =
            r.line > 0 ? fmt::format("rule {} '{}' (line {}, column {})", i + 1, rule_kind_name(r.kind), r.line, r.column)
                       : fmt::format("rule {} '{}'", i + 1, rule_kind_name(r.kind));
        if (r.layers.size() != rule_arity(r.kind))
            throw InputError(fmt::format("{} takes {} layer(s), not {}", where, rule_arity(r.kind), r.layers.size()));
        for (const auto& l : r.layers)
            if (!names.count(l))
                throw InputError(fmt::format("{} names layer '{}', which is not declared (layers: {})", where, l,
                                             known.empty() ? "none" : known));
        if (r.kind == RuleKind::slivers && !(r.max_width > 0))
            throw InputError(fmt::format("{} needs max_width, the width in metres below which a feature or gap is a "
                                         "sliver (e.g. 2.0)",
                                         where));
        if (r.kind == RuleKind::clearance && !(r.distance > 0))
            throw InputError(fmt::format("{} needs a distance in metres above 0", where));
        if (r.min_area && !(*r.min_area >= 0))
            throw InputError(fmt::format("{} has a negative min_area", where));
    }
}

CheckResult run_check(GeosContext& ctx, const CheckPlan& plan, const CheckOptions& options) {
    validate_plan(plan);
    CheckResult result;
    // Only the layers some rule uses are read.
    std::vector<LayerSpec> used;
    for (const auto& l : plan.layers) {
        bool needed = false;
        for (const auto& r : plan.rules)
            needed = needed || std::find(r.layers.begin(), r.layers.end(), l.name) != r.layers.end();
        if (needed) used.push_back(l);
    }
    result.analysis = choose_analysis_crs(describe_layers(used), plan.crs, result.notes);
    LayerSet set;
    for (const auto& l : used) {
        set.layers.push_back(load_check_layer(ctx, l, result.analysis));
        const auto& notes = set.layers.back().notes;
        result.notes.insert(result.notes.end(), notes.begin(), notes.end());
    }
    for (const auto& r : plan.rules) result.rules.push_back(run_rule(ctx, r, set, result.analysis, options));
    // Findings layer names are unique within one output.
    std::set<std::string> taken;
    for (auto& r : result.rules) {
        std::string name = r.name;
        for (int n = 2; !taken.insert(name).second; ++n) name = fmt::format("{}_{}", r.name, n);
        r.name = name;
    }
    return result;
}

}  // namespace zk
