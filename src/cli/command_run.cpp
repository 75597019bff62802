// zonekit run PROJECT.toml [-o OUTDIR] — the whole job a project file declares: layers in the analysis CRS with
// their areas, tables, overlays, checks, a styled GeoPackage, GeoJSON, a map, a report and summary.json.
// zonekit run A.toml B.toml … -o OUT [--jobs N] — several counties at once: each into OUT/<name>/, and a
// comparison across them in OUT (compare.hpp).
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/geometry/area.hpp"
#include "zonekit/geometry/crs.hpp"
#include "zonekit/project/compare.hpp"
#include "zonekit/project/project.hpp"
#include "zonekit/project/run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

namespace zk::cli {

namespace {
struct RunArgs {
    std::vector<std::string> projects;
    std::string outdir;
    std::string crs;
    unsigned threads = 0;
    unsigned jobs = 1;
    bool overwrite = false;
    bool progress = false;
    double densify = AreaOptions{}.densify_m;
    RepairFlags repair;
    bool allow_remote = false;
};

// A project file as the options say: the CRS, the repair flags and --allow-remote on every layer.
Project load_with_flags(const RunArgs& args, const std::string& file) {
    Project project = load_project(file);
    if (!args.crs.empty()) project.plan.crs = Crs::from_user_text(args.crs);
    for (auto& l : project.plan.layers) {
        args.repair.apply(l.source);
        l.source.allow_remote = args.allow_remote;
    }
    if (project.screen.declared)  // the sites layer as declared, with the flags above
        if (const LayerSpec* sites = project.layer(project.screen.sites.name)) project.screen.sites = *sites;
    return project;
}

RunOptions run_options(const RunArgs& args, const std::string& outdir, unsigned threads) {
    RunOptions options;
    options.outdir = outdir;
    options.overwrite = args.overwrite;
    options.threads = threads;
    options.area.densify_m = args.densify;
    return options;
}

// What a run says on stdout: its files, its checks, its siting screen.
std::string outcome_text(const std::string& file, const RunOutcome& outcome) {
    std::string text = fmt::format("{}: {} file(s) in {} (analysis CRS {})\n", file, outcome.files.size(),
                                   outcome.outdir, outcome.crs);
    for (const auto& f : outcome.files) text += fmt::format("  {}\n", std::filesystem::path(f).filename().string());
    if (outcome.rules > 0)
        text += fmt::format("checks: {} — {} of {} rules hold, {} finding(s) above tolerance (see report.md)\n",
                            outcome.ok() ? "PASS" : "FAIL", outcome.rules - outcome.rules_failed, outcome.rules,
                            outcome.findings);
    if (outcome.screen_sites > 0)
        text += fmt::format("siting screen: {} site(s) — {} forbidden, {} conditional, {} error(s) (see screen.html)\n",
                            outcome.screen_sites, outcome.screen_forbidden, outcome.screen_conditional,
                            outcome.screen_errors);
    return text;
}

// A message of one of several projects with every line after its first also starting "zonekit VERB: ", so
// that each line names the project (a repaired geometry's warning has several lines).
std::string named_lines(const std::string& verb, const std::string& text) {
    std::string out;
    for (char c : text) out += c == '\n' ? "\nzonekit " + verb + ": " : std::string(1, c);
    return out;
}

int run_one(const RunArgs& args) {
    const char* verb = "run";
    const std::string& file = args.projects.front();
    const Project project = load_with_flags(args, file);
    RunOptions options = run_options(args, args.outdir, args.threads);
    if (args.progress || stderr_is_terminal())
        options.step = [verb](const std::string& what) { say("zonekit %s: %s…\n", verb, what.c_str()); };
    const RunOutcome outcome = run_project(project, options);
    for (const auto& n : outcome.notes) say("zonekit %s: %s\n", verb, n.c_str());
    for (const auto& w : outcome.warnings) warn(verb, w);
    std::fputs(outcome_text(file, outcome).c_str(), stdout);
    return outcome.ok() ? ok : violations;
}

// Several projects: each into OUTDIR/<name>/, one after another or --jobs at a time, then the comparison. A
// project that cannot be loaded or run is reported (its file named) and the others still run; the exit code is
// then 2.
int run_several(const RunArgs& args) {
    if (args.outdir.empty()) {
        error("run", fmt::format("{} projects need -o OUTDIR: each project's outputs go into OUTDIR/<name>/ and "
                                 "the comparison (comparison.csv, comparison.json, index.html, index.md) beside them",
                                 args.projects.size()));
        return bad_input;
    }
    OutputOptions out;
    out.overwrite = args.overwrite;
    for (const auto& p : args.projects) out.inputs.push_back(p);
    check_comparison_outputs(args.outdir, out);  // before any project runs

    // Loaded in order, so that the folder names are the same whatever --jobs.
    struct Job {
        std::string file;
        std::optional<Project> project;
        ComparedProject compared;
        std::string verb;  // "run [NAME]": every message of this project says which it is
    };
    std::vector<Job> jobs(args.projects.size());
    std::vector<std::string> taken;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        Job& job = jobs[i];
        job.file = args.projects[i];
        std::string wanted = std::filesystem::path(job.file).stem().string();
        try {
            job.project = load_with_flags(args, job.file);
            if (!job.project->name.empty()) wanted = job.project->name;
        } catch (const std::exception& e) {
            job.compared.error = e.what();
        }
        job.compared.name = project_folder_name(wanted, taken);
        job.compared.file = job.file;
        job.verb = fmt::format("run [{}]", job.compared.name);
        if (!job.project)
            error(job.verb, named_lines(job.verb, fmt::format("project '{}' not run: {}", job.file, job.compared.error)));
    }

    // Each project's run takes its share of the cores, so that the total stays at the count asked for.
    const unsigned cores = args.threads > 0 ? args.threads : std::max(1u, std::thread::hardware_concurrency());
    const unsigned parallel = std::max(1u, std::min<unsigned>(args.jobs, static_cast<unsigned>(jobs.size())));
    const unsigned threads = std::max(1u, cores / parallel);
    const bool progress = args.progress || stderr_is_terminal();
    std::mutex stdout_mutex;
    auto run_job = [&](Job& job) {
        if (!job.project) return;
        RunOptions options = run_options(args, (std::filesystem::path(args.outdir) / job.compared.name).string(),
                                         threads);
        if (progress) {
            const std::string verb = job.verb;
            options.step = [verb](const std::string& what) { say("zonekit %s: %s…\n", verb.c_str(), what.c_str()); };
        }
        try {
            const RunOutcome outcome = run_project(*job.project, options);
            for (const auto& n : outcome.notes)
                say("zonekit %s: %s\n", job.verb.c_str(), named_lines(job.verb, n).c_str());
            for (const auto& w : outcome.warnings) warn(job.verb, named_lines(job.verb, w));
            job.compared.crs = outcome.crs;
            job.compared.summary = outcome.summary;
            const std::string text = outcome_text(job.file, outcome);
            std::lock_guard lock(stdout_mutex);
            std::fputs(text.c_str(), stdout);
            std::fflush(stdout);
        } catch (const GeosError& e) {
            job.compared.error = std::string("geometry engine (GEOS): ") + e.what();
            error(job.verb, named_lines(job.verb, fmt::format("project '{}': {}", job.file, job.compared.error)));
        } catch (const std::exception& e) {
            job.compared.error = e.what();
            error(job.verb, named_lines(job.verb, fmt::format("project '{}': {}", job.file, job.compared.error)));
        }
    };
    if (parallel == 1) {
        for (auto& job : jobs) run_job(job);
    } else {
        std::atomic<std::size_t> next{0};
        std::vector<std::thread> workers;
        for (unsigned w = 0; w < parallel; ++w)
            workers.emplace_back([&] {
                for (std::size_t i = next++; i < jobs.size(); i = next++) run_job(jobs[i]);
            });
        for (auto& t : workers) t.join();
    }

    std::vector<ComparedProject> compared;
    for (auto& job : jobs) compared.push_back(std::move(job.compared));
    const Comparison comparison = make_comparison(std::move(compared));
    const auto files = write_comparison(args.outdir, comparison, "多县对比", out);
    std::printf("comparison of %zu project(s): %zu file(s) in %s\n", comparison.projects.size(), files.size(),
                args.outdir.c_str());
    for (const auto& f : files) std::printf("  %s\n", std::filesystem::path(f).filename().string().c_str());
    std::printf("\n%s", comparison_markdown(comparison).c_str());

    bool failed = false, bad = false;
    for (const auto& p : comparison.projects) {
        bad = bad || !p.summary;
        failed = failed || (p.summary && p.summary->rules_failed > 0);
    }
    return bad ? bad_input : failed ? violations : ok;
}

int run_run(const RunArgs& args) { return args.projects.size() == 1 ? run_one(args) : run_several(args); }
}  // namespace

Command run_command() {
    return {"run",
            "Run a project file: every layer with its areas, the tables, overlays and checks it declares, into a "
            "styled GeoPackage, GeoJSON, a map, report.md/html and summary.json",
            [](CLI::App& app) -> std::function<int()> {
                auto args = std::make_shared<RunArgs>();
                app.add_option("PROJECT", args->projects,
                               "Project file(s) (.toml); with several, each project's outputs go into OUTDIR/<name>/ "
                               "and a comparison across them (comparison.csv, comparison.json, index.html) into OUTDIR")
                    ->required();
                app.add_option("-o,--output", args->outdir,
                               "Output directory (created when missing; default with one project: dir of [outputs]; "
                               "required with several)");
                app.add_option("--crs", args->crs, "Analysis CRS (default: the project's, else chosen from the data)");
                app.add_option("--threads", args->threads, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u));
                app.add_option("--jobs", args->jobs,
                               "Projects run at once (several projects); each run gets its share of --threads")
                    ->check(CLI::Range(1u, 1024u))
                    ->capture_default_str();
                app.add_flag("--overwrite", args->overwrite, "Replace files that exist in the output directory");
                app.add_flag("--progress", args->progress, "Say what is being done on stderr even when it is not a terminal");
                args->repair.add_to(app);
                app.add_flag("--allow-remote", args->allow_remote, allow_remote_help);
                app.add_option("--densify", args->densify,
                               "Longest edge (m, in the analysis CRS) before ellip/geod are measured; 0 = bare vertices")
                    ->check(CLI::NonNegativeNumber)
                    ->capture_default_str();
                app.footer("Exit status: 0 done and every rule holds, 1 a rule found violations (all outputs are "
                           "written), 2 bad input (with several projects: one could not be run; the others' outputs "
                           "and the comparison are still written).");
                return [args] { return run_run(*args); };
            }};
}

}  // namespace zk::cli
