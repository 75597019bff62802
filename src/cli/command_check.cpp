// zonekit check PROJECT.toml | RULE LAYER… — plan validation: the rules a project file declares, or one rule
// ad hoc; every finding a feature (-o FILE.gpkg, one layer per rule) and a row in the report.
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/checks/check.hpp"
#include "zonekit/checks/findings.hpp"
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/project/project.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace zk::cli {

namespace {
struct CheckArgs {
    std::vector<std::string> args;
    std::string preset;
    OutputFlags output;
    std::string report;
    std::string key;
    double min_area = 1.0;
    CLI::Option* min_area_option = nullptr;
    double max_width = 0;
    WorkFlags work;
    InputFlags input;
};

// A layer argument: a path, optionally "path:layer".
LayerSpec layer_argument(const std::string& arg, const CheckArgs& args) {
    LayerSpec spec;
    spec.path = arg;
    std::error_code ec;
    if (!fs::exists(arg, ec)) {
        const auto colon = arg.rfind(':');
        if (colon != std::string::npos && colon > 0 && fs::exists(arg.substr(0, colon), ec)) {
            spec.path = arg.substr(0, colon);
            spec.layer = arg.substr(colon + 1);
        }
    }
    spec.source = args.input.source_options();
    Source src = Source::open(spec.path, spec.source);
    OGRLayer* layer = src.layer(spec.layer);
    spec.name = layer->GetName();
    if (!args.key.empty() && layer->GetLayerDefn()->GetFieldIndex(args.key.c_str()) >= 0) spec.key = args.key;
    return spec;
}

// The layers named by the arguments, each once (names made unique), and their names in argument order.
std::vector<std::string> add_layers(const std::vector<std::string>& arguments, const CheckArgs& args,
                                    std::vector<LayerSpec>& layers, std::vector<std::pair<std::string, std::string>>& by_arg) {
    std::vector<std::string> names;
    for (const auto& a : arguments) {
        std::string name;
        for (const auto& [arg, n] : by_arg)
            if (arg == a) name = n;
        if (name.empty()) {
            LayerSpec spec = layer_argument(a, args);
            std::string unique = spec.name;
            for (int n = 2;; ++n) {
                bool taken = false;
                for (const auto& l : layers) taken = taken || l.name == unique;
                if (!taken) break;
                unique = fmt::format("{}_{}", spec.name, n);
            }
            spec.name = unique;
            layers.push_back(spec);
            by_arg.emplace_back(a, unique);
            name = unique;
        }
        names.push_back(name);
    }
    return names;
}

const char* usage =
    "use `zonekit check PROJECT.toml`, `zonekit check RULE LAYER…` (no-overlap A B [C…], no-self-overlap A, "
    "covers BOUNDARY A, within A BOUNDARY, valid A, slivers A --max-width W, clearance A B DIST) or "
    "`zonekit check --preset sanxian BOUNDARY REDLINE FARMLAND URBAN`";

CheckPlan ad_hoc_plan(const CheckArgs& args) {
    CheckPlan plan;
    std::vector<std::pair<std::string, std::string>> by_arg;
    const auto& a = args.args;
    if (!args.preset.empty()) {
        if (a.size() != 4)
            throw InputError(fmt::format("--preset sanxian takes four layers: BOUNDARY REDLINE FARMLAND URBAN (got {})",
                                         a.size()));
        const auto n = add_layers(a, args, plan.layers, by_arg);
        plan.rules = sanxian_rules(n[0], n[1], n[2], n[3]);
        return plan;
    }
    const RuleKind kind = parse_rule_kind(a[0]);
    const std::vector<std::string> rest(a.begin() + 1, a.end());
    auto need = [&](std::size_t n, const char* form) {
        if (rest.size() != n)
            throw InputError(fmt::format("rule {} takes {}: zonekit check {}", rule_kind_name(kind), form, a[0] + " " + form));
    };
    RuleSpec rule;
    rule.kind = kind;
    switch (kind) {
    case RuleKind::no_overlap: {
        if (rest.size() < 2) throw InputError("rule no-overlap takes two or more layers: zonekit check no-overlap A B [C …]");
        plan.rules = pairwise_no_overlap(add_layers(rest, args, plan.layers, by_arg));
        return plan;
    }
    case RuleKind::no_self_overlap:
    case RuleKind::valid: need(1, "A"); break;
    case RuleKind::covers: need(2, "BOUNDARY A"); break;
    case RuleKind::within: need(2, "A BOUNDARY"); break;
    case RuleKind::slivers:
        need(1, "A --max-width W");
        if (!(args.max_width > 0))
            throw InputError("rule slivers needs --max-width W, the width in metres below which a feature or gap is a "
                             "sliver (e.g. --max-width 2)");
        rule.max_width = args.max_width;
        break;
    case RuleKind::clearance: {
        need(3, "A B DIST");
        try {
            std::size_t used = 0;
            rule.distance = std::stod(rest[2], &used);
            if (used != rest[2].size()) throw std::invalid_argument("trailing text");
        } catch (const std::exception&) {
            throw InputError(fmt::format("clearance distance '{}' is not a number of metres", rest[2]));
        }
        if (!(rule.distance > 0)) throw InputError(fmt::format("clearance distance '{}' must be above 0 m", rest[2]));
        rule.layers = add_layers({rest[0], rest[1]}, args, plan.layers, by_arg);
        plan.rules.push_back(rule);
        return plan;
    }
    }
    rule.layers = add_layers(rest, args, plan.layers, by_arg);
    plan.rules.push_back(rule);
    return plan;
}

void write_findings(GeosContext& ctx, const CheckResult& result, const std::string& path, const OutputOptions& options) {
    GpkgWriter writer(path, options);
    add_findings_layers(ctx, writer, result);
    writer.finish();
}

Outcome run_check_command(const CheckArgs& args, const Reporter& report) {
    if (args.args.empty()) throw InputError(std::string("nothing to check: ") + usage);
    const bool project_mode = args.preset.empty() && lower_extension(args.args[0]) == ".toml";
    if (args.preset.empty() && !project_mode && !find_rule_kind(args.args[0]))
        throw InputError(fmt::format("'{}' is neither a project file (.toml) nor a rule: {}", args.args[0], usage));
    if (project_mode && args.args.size() > 1)
        throw InputError(fmt::format("a project file is checked on its own; the rules and layers come from '{}'",
                                     args.args[0]));

    std::string report_format;
    if (!args.report.empty()) {
        const std::string ext = lower_extension(args.report);
        if (ext != ".json" && ext != ".md")
            throw InputError(fmt::format("cannot tell the format of report '{}': use .json or .md", args.report));
        report_format = ext;
    }
    if (!args.output.path.empty() && lower_extension(args.output.path) != ".gpkg")
        throw InputError(fmt::format("cannot write the findings to '{}': they are one layer per rule, in a GeoPackage "
                                     "(.gpkg)",
                                     args.output.path));

    CheckPlan plan;
    CheckOptions options;
    options.threads = args.work.threads;
    options.area.densify_m = args.work.densify;
    options.min_area = args.min_area;
    if (project_mode) {
        Project project = load_project(args.args[0]);
        plan = std::move(project.plan);
        for (auto& l : plan.layers) args.input.apply(l.source);
        if (args.min_area_option->count() == 0 && project.min_area) options.min_area = *project.min_area;
    } else {
        plan = ad_hoc_plan(args);
    }
    if (const auto crs = args.input.requested_crs()) plan.crs = crs;

    OutputOptions out_options = args.output.options(layer_paths(plan.layers));
    if (project_mode) out_options.inputs.push_back(args.args[0]);
    if (!args.output.path.empty()) check_output_path(args.output.path, out_options);
    if (!args.report.empty()) check_output_path(args.report, out_options);

    GeosContext ctx;
    const CheckResult result = run_check(ctx, plan, options);
    report.notes(result.notes);
    for (const auto& r : result.rules)
        for (const auto& n : r.notes) report.note(r.name + ": " + n);

    if (!args.output.path.empty()) write_findings(ctx, result, args.output.path, out_options);
    if (!args.report.empty())
        write_text_file(args.report,
                        report_format == ".json" ? check_report_json(result) : check_report_markdown(result),
                        out_options);
    std::fputs(check_summary(result).c_str(), stdout);
    if (!args.output.path.empty()) {
        std::size_t n = 0;
        for (const auto& r : result.rules) n += r.findings.size();
        report.note(
            fmt::format("wrote {} finding(s) in {} layer(s) to '{}'", n, result.rules.size(), args.output.path));
    }
    return result.ok() ? Outcome::done : Outcome::findings;
}
}  // namespace

Runner setup_check(CLI::App& app) {
    auto args = std::make_shared<CheckArgs>();
    app.add_option("ARGS", args->args,
                   "PROJECT.toml, or a rule and its layers: no-overlap A B [C…] | no-self-overlap A | "
                   "covers BOUNDARY A | within A BOUNDARY | valid A | slivers A | clearance A B DIST. A "
                   "layer is a path, optionally path:layer");
    app.add_option("--preset", args->preset,
                   "A set of rules: sanxian BOUNDARY REDLINE FARMLAND URBAN = the three pairwise "
                   "no-overlaps, each line within the boundary, each valid")
        ->check(CLI::IsMember({"sanxian"}));
    args->output.add_to(
        app, {.help = "Write the findings, one layer per rule (.gpkg)", .overwrite = OutputFlags::replace_outputs});
    app.add_option("--report", args->report, "Write the report (.json or .md)");
    args->min_area_option =
        app.add_option("--min-area", args->min_area,
                       "Tolerance, m²: findings smaller than this are counted as below tolerance (never "
                       "hidden) and do not fail the check; a project's rules may set their own")
            ->check(CLI::NonNegativeNumber)
            ->capture_default_str();
    app.add_option("--max-width", args->max_width, "slivers: width (m) below which a feature or gap is a sliver")
        ->check(CLI::PositiveNumber);
    app.add_option("--key", args->key, "Field naming features in findings (key_a, key_b), for every layer that has it");
    args->work.add_to(app, {.threads = true, .densify = WorkFlags::densify_ellip});
    args->input.add_to(app, {});
    app.footer("Exit status: 0 all rules hold, 1 a finding is above tolerance, 2 bad input.");
    return [args](const Reporter& report) { return run_check_command(*args, report); };
}

}  // namespace zk::cli
