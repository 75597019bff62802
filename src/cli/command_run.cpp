// zonekit run PROJECT.toml [-o OUTDIR] — the whole job a project file declares: layers in the analysis CRS with
// their areas, tables, overlays, checks, a styled GeoPackage, GeoJSON, a map, a report and summary.json.
#include "common.hpp"

#include "zonekit/area.hpp"
#include "zonekit/crs.hpp"
#include "zonekit/error.hpp"
#include "zonekit/project.hpp"
#include "zonekit/run.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

namespace zk::cli {

namespace {
struct RunArgs {
    std::string project;
    std::string outdir;
    std::string crs;
    unsigned threads = 0;
    bool overwrite = false;
    bool progress = false;
    double densify = AreaOptions{}.densify_m;
    RepairFlags repair;
    bool allow_remote = false;
};

int run_run(const RunArgs& args) {
    const char* verb = "run";
    Project project = load_project(args.project);
    if (!args.crs.empty()) project.plan.crs = Crs::from_user_text(args.crs);
    for (auto& l : project.plan.layers) {
        args.repair.apply(l.source);
        l.source.allow_remote = args.allow_remote;
    }
    if (project.screen.declared)  // the sites layer as declared, with the flags above
        if (const LayerSpec* sites = project.layer(project.screen.sites.name)) project.screen.sites = *sites;
    RunOptions options;
    options.outdir = args.outdir;
    options.overwrite = args.overwrite;
    options.threads = args.threads;
    options.area.densify_m = args.densify;
    if (args.progress || stderr_is_terminal())
        options.step = [verb](const std::string& what) { say("zonekit %s: %s…\n", verb, what.c_str()); };
    const RunOutcome outcome = run_project(project, options);
    for (const auto& n : outcome.notes) say("zonekit %s: %s\n", verb, n.c_str());
    for (const auto& w : outcome.warnings) warn(verb, w);

    std::printf("%s: %zu file(s) in %s (analysis CRS %s)\n", args.project.c_str(), outcome.files.size(),
                outcome.outdir.c_str(), outcome.crs.c_str());
    for (const auto& f : outcome.files) std::printf("  %s\n", std::filesystem::path(f).filename().string().c_str());
    if (outcome.rules > 0)
        std::printf("checks: %s — %zu of %zu rules hold, %zu finding(s) above tolerance (see report.md)\n",
                    outcome.ok() ? "PASS" : "FAIL", outcome.rules - outcome.rules_failed, outcome.rules,
                    outcome.findings);
    if (outcome.screen_sites > 0)
        std::printf("siting screen: %zu site(s) — %zu forbidden, %zu conditional, %zu error(s) (see screen.html)\n",
                    outcome.screen_sites, outcome.screen_forbidden, outcome.screen_conditional, outcome.screen_errors);
    return outcome.ok() ? ok : violations;
}
}  // namespace

Command run_command() {
    return {"run",
            "Run a project file: every layer with its areas, the tables, overlays and checks it declares, into a "
            "styled GeoPackage, GeoJSON, a map, report.md/html and summary.json",
            [](CLI::App& app) -> std::function<int()> {
                auto args = std::make_shared<RunArgs>();
                app.add_option("PROJECT", args->project, "Project file (.toml)")->required();
                app.add_option("-o,--output", args->outdir,
                               "Output directory (created when missing; default: dir of [outputs])");
                app.add_option("--crs", args->crs, "Analysis CRS (default: the project's, else chosen from the data)");
                app.add_option("--threads", args->threads, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u));
                app.add_flag("--overwrite", args->overwrite, "Replace files that exist in the output directory");
                app.add_flag("--progress", args->progress, "Say what is being done on stderr even when it is not a terminal");
                args->repair.add_to(app);
                app.add_flag("--allow-remote", args->allow_remote, allow_remote_help);
                app.add_option("--densify", args->densify,
                               "Longest edge (m, in the analysis CRS) before ellip/geod are measured; 0 = bare vertices")
                    ->check(CLI::NonNegativeNumber)
                    ->capture_default_str();
                app.footer("Exit status: 0 done and every rule holds, 1 a rule found violations (all outputs are "
                           "written), 2 bad input.");
                return [args] { return run_run(*args); };
            }};
}

}  // namespace zk::cli
