#include "zonekit/project.hpp"

#include "zonekit/error.hpp"
#include "zonekit/overlay.hpp"
#include "zonekit/units.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace zk {

const LayerSpec* Project::layer(const std::string& layer_name) const {
    for (const auto& l : plan.layers)
        if (l.name == layer_name) return &l;
    return nullptr;
}

namespace {

class Reader {
public:
    explicit Reader(std::string path) : m_path(std::move(path)) {}

    [[noreturn]] void fail(const toml::source_region& at, const std::string& message) const {
        if (at.begin.line > 0)
            throw InputError(fmt::format("project file '{}' line {}, column {}: {}", m_path, at.begin.line,
                                         at.begin.column, message));
        throw InputError(fmt::format("project file '{}': {}", m_path, message));
    }

    void only_keys(const toml::table& table, const std::string& what, const std::vector<std::string>& allowed) const {
        for (const auto& [key, node] : table) {
            const std::string k(key.str());
            if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            fail(key.source().begin.line > 0 ? key.source() : node.source(),
                 fmt::format("unknown key '{}' in {} (keys: {})", k, what, list));
        }
    }

    std::string string(const toml::table& table, const std::string& key, const std::string& what,
                       bool required) const {
        const toml::node* node = table.get(key);
        if (!node) {
            if (required) fail(table.source(), fmt::format("{} needs '{}'", what, key));
            return {};
        }
        auto v = node->value<std::string>();
        if (!node->is_string() || !v) fail(node->source(), fmt::format("'{}' in {} must be a string", key, what));
        if (required && v->empty()) fail(node->source(), fmt::format("'{}' in {} is empty", key, what));
        return *v;
    }

    std::optional<double> number(const toml::table& table, const std::string& key, const std::string& what) const {
        const toml::node* node = table.get(key);
        if (!node) return std::nullopt;
        if (!node->is_number()) fail(node->source(), fmt::format("'{}' in {} must be a number", key, what));
        const double v = *node->value<double>();
        if (!(v >= 0)) fail(node->source(), fmt::format("'{}' in {} must not be negative", key, what));
        return v;
    }

    std::vector<std::string> strings(const toml::table& table, const std::string& key, const std::string& what) const {
        const toml::node* node = table.get(key);
        std::vector<std::string> out;
        if (!node) return out;
        const toml::array* arr = node->as_array();
        if (!arr) fail(node->source(), fmt::format("'{}' in {} must be a list of layer names, e.g. [\"a\", \"b\"]", key, what));
        for (const auto& item : *arr) {
            auto v = item.value<std::string>();
            if (!item.is_string() || !v) fail(item.source(), fmt::format("'{}' in {} must hold strings", key, what));
            out.push_back(*v);
        }
        return out;
    }

    std::optional<bool> boolean(const toml::table& table, const std::string& key, const std::string& what) const {
        const toml::node* node = table.get(key);
        if (!node) return std::nullopt;
        if (!node->is_boolean()) fail(node->source(), fmt::format("'{}' in {} must be true or false", key, what));
        return *node->value<bool>();
    }

    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

LayerSpec read_layer(const Reader& r, const std::string& name, const toml::node& node, const fs::path& base) {
    const std::string what = fmt::format("[layers.{}]", name);
    const toml::table* t = node.as_table();
    if (!t) r.fail(node.source(), fmt::format("{} must be a table with path, layer, key", what));
    r.only_keys(*t, what, {"path", "layer", "key", "where", "assume_crs", "encoding", "role", "description"});
    LayerSpec spec;
    spec.name = name;
    spec.line = static_cast<int>(t->source().begin.line);
    spec.column = static_cast<int>(t->source().begin.column);
    fs::path p = r.string(*t, "path", what, true);
    spec.path = (p.is_absolute() || base.empty() ? p : base / p).lexically_normal().string();
    spec.layer = r.string(*t, "layer", what, false);
    spec.key = r.string(*t, "key", what, false);
    spec.where = r.string(*t, "where", what, false);
    spec.source.encoding = r.string(*t, "encoding", what, false);
    const auto& roles = layer_roles();
    if (const toml::node* role = t->get("role")) {
        spec.role = r.string(*t, "role", what, false);
        if (std::find(roles.begin(), roles.end(), spec.role) == roles.end()) {
            std::string list;
            for (const auto& a : roles) list += (list.empty() ? "" : ", ") + a;
            r.fail(role->source(), fmt::format("unknown role '{}' in {} (roles: {})", spec.role, what, list));
        }
    } else if (std::find(roles.begin(), roles.end(), name) != roles.end()) {
        spec.role = name;
    }
    const std::string crs = r.string(*t, "assume_crs", what, false);
    if (!crs.empty()) {
        try {
            spec.source.assume_crs = Crs::from_user_text(crs);
        } catch (const InputError& e) {
            r.fail(t->get("assume_crs")->source(), e.what());
        }
    }
    return spec;
}

void read_rule(const Reader& r, const toml::table& t, std::size_t number, std::vector<RuleSpec>& rules) {
    const std::string what0 = fmt::format("rule {}", number);
    const std::string kind_text = r.string(t, "rule", what0, true);
    const std::string what = fmt::format("rule {} '{}'", number, kind_text);
    const int line = static_cast<int>(t.source().begin.line);
    const int column = static_cast<int>(t.source().begin.column);
    std::optional<RuleKind> kind = find_rule_kind(kind_text);
    const bool sanxian = kind_text == "sanxian";
    if (!kind && !sanxian)
        r.fail(t.get("rule")->source(), fmt::format("unknown rule '{}' (rules: no-overlap, no-self-overlap, covers, "
                                                    "within, valid, slivers, clearance; preset: sanxian)",
                                                    kind_text));
    std::vector<std::string> keys = {"rule", "description", "min_area"};
    auto allow = [&keys](std::initializer_list<const char*> more) { keys.insert(keys.end(), more.begin(), more.end()); };
    if (sanxian) allow({"boundary", "layers"});
    else switch (*kind) {
        case RuleKind::no_overlap: allow({"layers"}); break;
        case RuleKind::no_self_overlap:
        case RuleKind::valid: allow({"layer", "layers"}); break;
        case RuleKind::covers:
        case RuleKind::within: allow({"layer", "layers", "boundary"}); break;
        case RuleKind::slivers: allow({"layer", "layers", "max_width"}); break;
        case RuleKind::clearance: allow({"layer", "layers", "from", "distance"}); break;
        }
    r.only_keys(t, what, keys);

    const std::optional<double> min_area = r.number(t, "min_area", what);
    auto add = [&](RuleSpec spec) {
        spec.min_area = min_area;
        spec.line = line;
        spec.column = column;
        rules.push_back(std::move(spec));
    };
    std::vector<std::string> layers = r.strings(t, "layers", what);
    const std::string layer = r.string(t, "layer", what, false);
    if (!layer.empty() && t.get("layers")) r.fail(t.get("layers")->source(), what + " takes 'layer' or 'layers', not both");
    if (!layer.empty()) layers.insert(layers.begin(), layer);

    if (sanxian) {
        const std::string boundary = r.string(t, "boundary", what, true);
        if (layers.size() != 3)
            r.fail(t.source(), what + " needs layers = [red line, farmland, urban boundary] (three layers, in that order)");
        for (auto& spec : sanxian_rules(boundary, layers[0], layers[1], layers[2])) add(spec);
        return;
    }
    if (layers.empty()) r.fail(t.source(), fmt::format("{} needs {}", what, *kind == RuleKind::no_overlap ? "layers = [\"a\", \"b\", …]" : "layer = \"…\""));
    switch (*kind) {
    case RuleKind::no_overlap:
        if (layers.size() < 2) r.fail(t.get("layers")->source(), what + " needs at least two layers");
        for (auto& spec : pairwise_no_overlap(layers)) add(spec);
        return;
    case RuleKind::no_self_overlap:
    case RuleKind::valid:
        for (const auto& l : layers) add(RuleSpec{*kind, {l}, 0, 0, {}, 0, 0});
        return;
    case RuleKind::covers: {
        const std::string boundary = r.string(t, "boundary", what, true);
        for (const auto& l : layers) add(RuleSpec{*kind, {boundary, l}, 0, 0, {}, 0, 0});
        return;
    }
    case RuleKind::within: {
        const std::string boundary = r.string(t, "boundary", what, true);
        for (const auto& l : layers) add(RuleSpec{*kind, {l, boundary}, 0, 0, {}, 0, 0});
        return;
    }
    case RuleKind::slivers: {
        const std::optional<double> width = r.number(t, "max_width", what);
        if (!width || !(*width > 0))
            r.fail(t.get("max_width") ? t.get("max_width")->source() : t.source(),
                   what + " needs max_width, the width in metres below which a feature or gap is a sliver (e.g. 2.0)");
        for (const auto& l : layers) add(RuleSpec{*kind, {l}, *width, 0, {}, 0, 0});
        return;
    }
    case RuleKind::clearance: {
        const std::string from = r.string(t, "from", what, true);
        const std::optional<double> distance = r.number(t, "distance", what);
        if (!distance || !(*distance > 0))
            r.fail(t.get("distance") ? t.get("distance")->source() : t.source(),
                   what + " needs distance, in metres above 0");
        for (const auto& l : layers) add(RuleSpec{*kind, {l, from}, 0, *distance, {}, 0, 0});
        return;
    }
    }
}

// The tables of [[NAME]] in `doc` (none when absent).
std::vector<const toml::table*> table_array(const Reader& r, const toml::table& doc, const char* name) {
    std::vector<const toml::table*> out;
    const toml::node* node = doc.get(name);
    if (!node) return out;
    const toml::array* arr = node->as_array();
    if (!arr || !arr->is_array_of_tables()) r.fail(node->source(), fmt::format("'{}' must be written as [[{}]] tables", name, name));
    for (const auto& item : *arr) out.push_back(item.as_table());
    return out;
}

void read_run(const Reader& r, const toml::table& doc, const fs::path& base, Project& project) {
    RunSpec& run = project.run;
    std::vector<std::pair<std::string, toml::source_region>> layer_refs;  // checked once all is read
    auto layer_ref = [&](const toml::table& t, const char* key, const std::string& what) {
        std::string v = r.string(t, key, what, true);
        layer_refs.emplace_back(v, t.get(key)->source());
        return v;
    };
    auto unit_of = [&](const toml::table& t, const std::string& what) {
        std::string v = r.string(t, "unit", what, false);
        if (!v.empty()) try {
                parse_area_unit(v);
            } catch (const InputError& e) {
                r.fail(t.get("unit")->source(), e.what());
            }
        return v;
    };
    auto method_of = [&](const toml::table& t, const std::string& what) {
        std::string v = r.string(t, "method", what, false);
        if (!v.empty()) try {
                parse_area_method(v);
            } catch (const InputError& e) {
                r.fail(t.get("method")->source(), e.what());
            }
        return v;
    };

    if (const toml::node* node = doc.get("outputs")) {
        const toml::table* t = node->as_table();
        if (!t) r.fail(node->source(), "[outputs] must be a table");
        const std::string what = "[outputs]";
        r.only_keys(*t, what, {"dir", "title", "unit", "method", "geojson", "keep_crs", "map", "description"});
        const fs::path dir = r.string(*t, "dir", what, false);
        if (!dir.empty()) run.dir = (dir.is_absolute() || base.empty() ? dir : base / dir).lexically_normal().string();
        run.title = r.string(*t, "title", what, false);
        if (auto u = unit_of(*t, what); !u.empty()) run.unit = u;
        if (auto m = method_of(*t, what); !m.empty()) run.method = m;
        run.geojson = r.strings(*t, "geojson", what);
        run.keep_crs = r.boolean(*t, "keep_crs", what).value_or(false);
        run.map = r.boolean(*t, "map", what).value_or(true);
    }
    std::size_t n = 0;
    for (const toml::table* t : table_array(r, doc, "areas")) {
        const std::string what = fmt::format("[[areas]] {}", ++n);
        r.only_keys(*t, what, {"layer", "by", "name", "description"});
        AreaJob job;
        job.layer = layer_ref(*t, "layer", what);
        job.by = r.string(*t, "by", what, false);
        job.name = r.string(*t, "name", what, false);
        if (job.name.empty()) job.name = job.by.empty() ? "areas_" + job.layer : fmt::format("areas_{}_by_{}", job.layer, job.by);
        run.areas.push_back(job);
    }
    n = 0;
    for (const toml::table* t : table_array(r, doc, "tables")) {
        const std::string what = fmt::format("[[tables]] {}", ++n);
        r.only_keys(*t, what, {"zones", "zone_field", "classes", "class_field", "unit", "method", "control", "name",
                               "description"});
        TableJob job;
        job.zones = layer_ref(*t, "zones", what);
        job.zone_field = r.string(*t, "zone_field", what, true);
        job.classes = layer_ref(*t, "classes", what);
        job.class_field = r.string(*t, "class_field", what, true);
        job.unit = unit_of(*t, what);
        job.method = method_of(*t, what);
        if (const toml::node* c = t->get("control")) {
            if (c->is_number()) {
                job.control = *c->value<double>();
                if (!(*job.control > 0)) r.fail(c->source(), what + ": the control area must be positive");
            } else {
                job.control_layer = layer_ref(*t, "control", what);
            }
        }
        job.name = r.string(*t, "name", what, false);
        if (job.name.empty()) job.name = fmt::format("table_{}_{}", job.zones, job.classes);
        run.tables.push_back(job);
    }
    for (const char* kind : {"counts", "lengths"}) {
        const bool counts = std::string(kind) == "counts";
        n = 0;
        for (const toml::table* t : table_array(r, doc, kind)) {
            const std::string what = fmt::format("[[{}]] {}", kind, ++n);
            const char* subject = counts ? "points" : "lines";
            r.only_keys(*t, what, {subject, "zones", "zone_field", "name", "description"});
            ZoneStatJob job;
            job.layer = layer_ref(*t, subject, what);
            job.zones = layer_ref(*t, "zones", what);
            job.zone_field = r.string(*t, "zone_field", what, true);
            job.name = r.string(*t, "name", what, false);
            if (job.name.empty()) job.name = fmt::format("{}_{}_{}", counts ? "count" : "length", job.layer, job.zones);
            (counts ? run.counts : run.lengths).push_back(job);
        }
    }
    n = 0;
    for (const toml::table* t : table_array(r, doc, "overlays")) {
        const std::string what = fmt::format("[[overlays]] {}", ++n);
        r.only_keys(*t, what, {"op", "a", "b", "keep_fields", "name", "description"});
        OverlayJob job;
        job.op = r.string(*t, "op", what, true);
        try {
            parse_overlay_op(job.op);
        } catch (const InputError& e) {
            r.fail(t->get("op")->source(), e.what());
        }
        job.a = layer_ref(*t, "a", what);
        job.b = layer_ref(*t, "b", what);
        job.keep_fields = r.string(*t, "keep_fields", what, false);
        if (!job.keep_fields.empty()) try {
                parse_keep_fields(job.keep_fields);
            } catch (const InputError& e) {
                r.fail(t->get("keep_fields")->source(), e.what());
            }
        job.name = r.string(*t, "name", what, false);
        if (job.name.empty()) job.name = fmt::format("{}_{}_{}", job.op, job.a, job.b);
        run.overlays.push_back(job);
    }

    auto declared = [&project](const std::string& name) { return project.layer(name) != nullptr; };
    std::string known;
    for (const auto& l : project.plan.layers) known += (known.empty() ? "" : ", ") + l.name;
    for (const auto& [name, where] : layer_refs)
        if (!declared(name)) r.fail(where, fmt::format("layer '{}' is not declared (layers: {})", name, known));
    // Result names are layer names in analysis.gpkg: unique, and not those of the input layers.
    std::vector<std::string> results;
    for (const auto& j : run.areas) results.push_back(j.name);
    for (const auto& j : run.tables) results.push_back(j.name);
    for (const auto& j : run.counts) results.push_back(j.name);
    for (const auto& j : run.lengths) results.push_back(j.name);
    for (const auto& j : run.overlays) results.push_back(j.name);
    std::sort(results.begin(), results.end());
    for (std::size_t i = 0; i < results.size(); ++i)
        if (declared(results[i]) || (i > 0 && results[i] == results[i - 1]))
            r.fail(doc.source(), fmt::format("the result name '{}' is used twice (or is a layer's name): give each "
                                             "[[areas]], [[tables]], [[counts]], [[lengths]], [[overlays]] its own name",
                                             results[i]));
    if (const toml::node* node = doc.get("outputs"))
        for (const auto& g : run.geojson)
            if (!declared(g) && !std::binary_search(results.begin(), results.end(), g))
                r.fail(node->source(), fmt::format("geojson names '{}', which is neither a declared layer ({}) nor a "
                                                   "result of [[overlays]]",
                                                   g, known));
}

}  // namespace

const std::vector<std::string>& layer_roles() {
    static const std::vector<std::string> roles = {"boundary", "districts", "redline", "farmland", "urban",
                                                   "parcels",  "rivers",    "points",  "findings"};
    return roles;
}

Project parse_project(const std::string& text, const std::string& path) {
    const Reader r(path);
    toml::table doc;
    try {
        doc = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        r.fail(e.source(), fmt::format("TOML syntax: {}", e.description()));
    }
    Project project;
    project.path = path;
    const fs::path base = fs::path(path).parent_path();

    const std::vector<std::string> sections = {"project", "layers", "rules", "outputs", "areas",
                                               "tables",  "counts", "lengths", "overlays"};
    for (const auto& [key, node] : doc) {
        const std::string k(key.str());
        if (std::find(sections.begin(), sections.end(), k) != sections.end()) continue;
        if (k == "rule" || k == "layer")
            r.fail(key.source(), fmt::format("unknown top-level key '{}': did you mean [{}{}s{}]?", k,
                                             k == "rule" ? "[" : "", k, k == "rule" ? "]" : ""));
        r.fail(key.source(), fmt::format("unknown top-level key '{}' (known: [project], [layers.NAME], [[rules]], "
                                         "[outputs], [[areas]], [[tables]], [[counts]], [[lengths]], [[overlays]])",
                                         k));
    }

    if (const toml::node* node = doc.get("project")) {
        const toml::table* t = node->as_table();
        if (!t) r.fail(node->source(), "[project] must be a table");
        r.only_keys(*t, "[project]", {"name", "crs", "min_area", "description"});
        project.name = r.string(*t, "name", "[project]", false);
        const std::string crs = r.string(*t, "crs", "[project]", false);
        if (!crs.empty()) {
            try {
                project.plan.crs = Crs::from_user_text(crs);
            } catch (const InputError& e) {
                r.fail(t->get("crs")->source(), e.what());
            }
        }
        project.min_area = r.number(*t, "min_area", "[project]");
    }

    const toml::node* layers = doc.get("layers");
    if (!layers) r.fail(doc.source(), "no layers declared: add a [layers.NAME] table with path (and layer, key) per layer");
    const toml::table* lt = layers->as_table();
    if (!lt) r.fail(layers->source(), "'layers' must be tables: [layers.NAME] with path, layer, key");
    // toml++ keeps keys sorted; declare layers in the order they appear in the file.
    std::vector<std::pair<const toml::key*, const toml::node*>> ordered;
    for (const auto& [key, node] : *lt) ordered.emplace_back(&key, &node);
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& x, const auto& y) {
        const auto& a = x.second->source().begin;
        const auto& b = y.second->source().begin;
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    for (const auto& [key, node] : ordered) project.plan.layers.push_back(read_layer(r, std::string(key->str()), *node, base));

    const toml::node* rules = doc.get("rules");
    if (!rules) r.fail(doc.source(), "no rules: add [[rules]] tables, e.g. rule = \"no-overlap\" with layers = [...]");
    const toml::array* arr = rules->as_array();
    if (!arr || !arr->is_array_of_tables()) r.fail(rules->source(), "'rules' must be written as [[rules]] tables");
    std::size_t number = 0;
    for (const auto& item : *arr) read_rule(r, *item.as_table(), ++number, project.plan.rules);

    read_run(r, doc, base, project);

    // Every rule names declared layers.
    try {
        validate_plan(project.plan);
    } catch (const InputError& e) {
        throw InputError(fmt::format("project file '{}': {}", path, e.what()));
    }
    return project;
}

Project load_project(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw InputError(fmt::format("cannot open project file '{}'", path));
    std::ostringstream text;
    text << file.rdbuf();
    return parse_project(text.str(), path);
}

}  // namespace zk
