// zonekit screen PROJECT.toml [SITES] -o OUTDIR — the siting screen (选址合规性分析): every proposed site checked
// against the plan's control lines, zones, land use, rivers and protected points, with a verdict and its reasons.
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/geometry/crs.hpp"
#include "zonekit/io/output_files.hpp"
#include "zonekit/project/project.hpp"
#include "zonekit/project/screen.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace zk::cli {

namespace {

struct ScreenArgs {
    std::string project;
    std::string sites;
    std::string layer;
    std::string id_field;
    std::string preset;
    std::vector<std::string> clearances, protects, by;
    double radius = 0;
    bool repair_sites = false;
    std::size_t maps = 200;
    OutputFlags output;  // a directory
    WorkFlags work;
    InputFlags input;
};

Outcome run_screen_command(const ScreenArgs& args, const Reporter& report) {
    Project project = load_project(args.project);
    if (const auto crs = args.input.requested_crs()) project.plan.crs = crs;
    for (auto& l : project.plan.layers) args.input.apply(l.source);
    // The project's [screen] settings, then the command line's on top.
    ScreenSpec spec = project.screen;
    if (!spec.sites.path.empty()) {
        if (const LayerSpec* declared = project.layer(spec.sites.name)) spec.sites = *declared;  // repair flags applied
    }
    if (!args.sites.empty()) {
        spec.sites = LayerSpec{};
        spec.sites.name = "sites";
        spec.sites.path = args.sites;
        spec.sites.layer = args.layer;
        spec.sites.source = args.input.source_options();
        spec.id_field = args.id_field;  // the [screen] id_field names a field of the declared sites, not of these
    } else if (spec.sites.path.empty()) {
        throw InputError(fmt::format(
            "no sites: give the sites layer after the project file (zonekit screen {} SITES.gpkg -o OUTDIR), or "
            "declare one in its [screen] table (sites = \"LAYER\")",
            args.project));
    } else if (!args.layer.empty()) {
        spec.sites.layer = args.layer;
    }
    if (!args.id_field.empty()) spec.id_field = args.id_field;
    if (!args.preset.empty()) spec.preset = args.preset;
    if (args.radius > 0) spec.radius = args.radius;
    for (const auto& b : args.by) {
        const auto eq = b.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == b.size())
            throw InputError(fmt::format("--by '{}': expected LAYER=FIELD, e.g. districts=name", b));
        const std::string layer = b.substr(0, eq);
        std::erase_if(spec.by, [&](const auto& x) { return x.first == layer; });
        spec.by.emplace_back(layer, b.substr(eq + 1));
    }
    for (const auto& c : args.clearances) {
        ClearanceSpec parsed = parse_clearance(c);
        std::erase_if(spec.clearances, [&](const ClearanceSpec& x) { return x.layer == parsed.layer; });
        spec.clearances.push_back(parsed);
    }
    for (const auto& p : args.protects) {
        ProtectSpec parsed = parse_protect(p);
        std::erase_if(spec.protect, [&](const ProtectSpec& x) { return x.layer == parsed.layer; });
        spec.protect.push_back(parsed);
    }

    OutputOptions out = args.output.options(layer_paths(project.plan.layers));
    out.inputs.push_back(spec.sites.path);
    StagedOutputs stage(args.output.path, out);  // creates the directory and locks it against another zonekit
    for (const auto& f : screen_output_names()) check_output_path(stage.target(f), out);

    ScreenOptions options;
    options.threads = args.work.threads;
    options.area.densify_m = args.work.densify;
    options.make_valid = args.repair_sites;
    double shown = 0;
    if (args.work.shows_progress())
        options.progress = [&shown, &report](double done) {
            if (done - shown < 0.1 && done < 1) return;
            shown = done;
            report.note(fmt::format("{:.0f} % of the sites screened", 100 * done));
        };
    const ScreenResult result = run_screen(project, spec, options);
    report.notes(result.notes);
    report.warnings(result.warnings);
    for (const auto& s : result.sites)
        if (!s.error.empty()) report.error(s.error);

    const std::string title =
        fmt::format("{}{}项目选址合规性分析", project.name, project.name.empty() ? "" : " — ");
    const ScreenFiles files = write_screen_outputs(project, result, stage, out, title, args.maps);
    stage.commit();
    report.warnings(files.warnings);

    std::printf("%s: %zu site(s) — %zu forbidden, %zu conditional, %zu allowed, %zu error(s) (analysis CRS %s)\n",
                result.sites_source.c_str(), result.sites.size(), result.count(Verdict::forbidden),
                result.count(Verdict::conditional), result.count(Verdict::allowed), result.errors(),
                result.analysis.label().c_str());
    constexpr std::size_t listed = 40;  // the rest are in screen.csv and the report
    std::size_t flagged = 0;
    for (const auto& s : result.sites)
        if (s.error.empty() && s.verdict != Verdict::allowed && ++flagged <= listed) {
            std::string reasons;
            for (const auto& r : s.reasons) reasons += (reasons.empty() ? "" : "；") + r;
            std::printf("  %-12s %-11s %s\n", s.id.c_str(), verdict_name(s.verdict), reasons.c_str());
        }
    if (flagged > listed) std::printf("  … and %zu more (see screen.csv)\n", flagged - listed);
    std::printf("%zu file(s) in %s:", files.files.size(), args.output.path.c_str());
    for (const auto& f : files.files) std::printf(" %s", f.c_str());
    std::printf("\n");
    if (result.errors() > 0) return Outcome::bad_input;
    const bool flagged_any = result.count(Verdict::forbidden) + result.count(Verdict::conditional) > 0;
    return flagged_any ? Outcome::findings : Outcome::done;
}

}  // namespace

Runner setup_screen(CLI::App& app) {
    auto args = std::make_shared<ScreenArgs>();
    app.add_option("PROJECT", args->project, "Project file (.toml): the plan's layers")->required();
    app.add_option("SITES", args->sites,
                   "Proposed sites: polygons, or points with a radius (any GDAL format, any CRS); "
                   "default: the project's [screen] sites");
    app.add_option("--layer", args->layer, "Layer of SITES (default: its only layer)");
    app.add_option("--id-field", args->id_field, "Field that names each site (default: the feature id)");
    app.add_option("--preset", args->preset,
                   "Rule preset: sanxian — forbidden for a take of the red line or permanent farmland, "
                   "conditional for a part outside the urban boundary")
        ->check(CLI::IsMember({"sanxian"}));
    app.add_option("--clearance", args->clearances,
                   "LAYER=METRES: the least distance from a line or polygon layer (repeatable)");
    app.add_option("--protect", args->protects,
                   "LAYER=METRES, LAYER=FIELD or LAYER=FIELD+METRES: protection radius around the points "
                   "of a layer, e.g. trees=15 (repeatable)");
    app.add_option("--by", args->by,
                   "LAYER=FIELD: the field whose values are a layer's classes in the takes (default: for "
                   "land-use parcels DLBM or DLMC, else the layer's key), e.g. districts=name (repeatable)");
    app.add_option("--radius", args->radius, "Radius of point sites in metres (default: their field radius_m)")
        ->check(CLI::PositiveNumber);
    app.add_flag("--repair-sites", args->repair_sites,
                 "Screen invalid sites repaired by MakeValid (said in a warning) instead of reporting each "
                 "as an error");
    app.add_option("--maps", args->maps,
                   "Sites drawn on a map in screen.html, the most severe verdicts first (0 = none)")
        ->capture_default_str();
    args->output.add_to(app, {.help = "Output directory (created when missing)",
                              .required = true,
                              .overwrite = "Replace screen.* files that exist in the output directory"});
    args->work.add_to(app, {.threads = true, .progress = WorkFlags::show_progress});
    args->input.add_to(app, {});
    app.footer("Writes screen.gpkg (sites with verdicts, pieces, distances, points; styled), screen.csv, "
               "screen.json, screen.md and screen.html (one page per site with its map).\n"
               "Exit status: 0 every site allowed, 1 a site is forbidden or conditional, 2 bad input (a bad "
               "site: the others are still screened and every output written).");
    return [args](const Reporter& report) { return run_screen_command(*args, report); };
}

}  // namespace zk::cli
