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
    OutputFlags output;  // a directory
    unsigned jobs = 1;
    WorkFlags work;
    InputFlags input;
};

// A project file as the options say: the CRS, the repair flags and --allow-remote on every layer.
Project load_with_flags(const RunArgs& args, const std::string& file) {
    Project project = load_project(file);
    if (const auto crs = args.input.requested_crs()) project.plan.crs = crs;
    for (auto& l : project.plan.layers) args.input.apply(l.source);
    if (project.screen.declared)  // the sites layer as declared, with the flags above
        if (const LayerSpec* sites = project.layer(project.screen.sites.name)) project.screen.sites = *sites;
    return project;
}

RunOptions run_options(const RunArgs& args, const std::string& outdir, unsigned threads) {
    RunOptions options;
    options.outdir = outdir;
    options.overwrite = args.output.overwrite;
    options.threads = threads;
    options.area.densify_m = args.work.densify;
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
    if (!outcome.complete())
        text += fmt::format("incomplete: {} piece(s) could not be cut and are missing from the outputs (see the "
                            "warnings)\n",
                            outcome.missing_pieces);
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

// "zonekit run: reading the layers…" at each step of a run, when progress is shown.
std::function<void(const std::string&)> step_notes(const RunArgs& args, const Reporter& report) {
    if (!args.work.shows_progress()) return {};
    return [report](const std::string& what) { report.note(what + "…"); };
}

Outcome run_one(const RunArgs& args, const Reporter& report) {
    const std::string& file = args.projects.front();
    const Project project = load_with_flags(args, file);
    RunOptions options = run_options(args, args.output.path, args.work.threads);
    options.step = step_notes(args, report);
    const RunOutcome outcome = run_project(project, options);
    report.notes(outcome.notes);
    report.warnings(outcome.warnings);
    std::fputs(outcome_text(file, outcome).c_str(), stdout);
    return !outcome.complete() ? Outcome::incomplete : outcome.ok() ? Outcome::done : Outcome::findings;
}

// Several projects: each into OUTDIR/<name>/, one after another or --jobs at a time, then the comparison. A
// project that cannot be loaded or run is reported (its file named) and the others still run; the outcome is
// then bad_input.
Outcome run_several(const RunArgs& args) {
    const std::string& outdir = args.output.path;
    if (outdir.empty())
        throw InputError(fmt::format("{} projects need -o OUTDIR: each project's outputs go into OUTDIR/<name>/ and "
                                     "the comparison (comparison.csv, comparison.json, index.html, index.md) beside "
                                     "them",
                                     args.projects.size()));
    const OutputOptions out = args.output.options(args.projects);
    check_comparison_outputs(outdir, out);  // before any project runs

    // Loaded in order, so that the folder names are the same whatever --jobs.
    struct Job {
        std::string file;
        std::optional<Project> project;
        ComparedProject compared;
        std::optional<Reporter> report;  // "zonekit run [NAME]": every message of this project says which
        bool complete = true;            // no piece missing from its overlays and tables
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
        job.report.emplace(fmt::format("run [{}]", job.compared.name));
        if (!job.project)
            job.report->error(
                named_lines(job.report->verb(), fmt::format("project '{}' not run: {}", job.file, job.compared.error)));
    }

    // Each project's run takes its share of the cores, so that the total stays at the count asked for.
    const unsigned cores =
        args.work.threads > 0 ? args.work.threads : std::max(1u, std::thread::hardware_concurrency());
    const unsigned parallel = std::max(1u, std::min<unsigned>(args.jobs, static_cast<unsigned>(jobs.size())));
    const unsigned threads = std::max(1u, cores / parallel);
    std::mutex stdout_mutex;
    auto run_job = [&](Job& job) {
        if (!job.project) return;
        const Reporter& report = *job.report;
        RunOptions options = run_options(args, (std::filesystem::path(outdir) / job.compared.name).string(), threads);
        options.step = step_notes(args, report);
        try {
            const RunOutcome outcome = run_project(*job.project, options);
            for (const auto& n : outcome.notes) report.note(named_lines(report.verb(), n));
            for (const auto& w : outcome.warnings) report.warn(named_lines(report.verb(), w));
            job.compared.crs = outcome.crs;
            job.compared.summary = outcome.summary;
            job.complete = outcome.complete();
            const std::string text = outcome_text(job.file, outcome);
            std::lock_guard lock(stdout_mutex);
            std::fputs(text.c_str(), stdout);
            std::fflush(stdout);
        } catch (const GeosError& e) {
            job.compared.error = std::string("geometry engine (GEOS): ") + e.what();
        } catch (const std::exception& e) {
            job.compared.error = e.what();
        }
        if (!job.compared.error.empty())
            report.error(named_lines(report.verb(), fmt::format("project '{}': {}", job.file, job.compared.error)));
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
    const auto files = write_comparison(outdir, comparison, "多县对比", out);
    std::printf("comparison of %zu project(s): %zu file(s) in %s\n", comparison.projects.size(), files.size(),
                outdir.c_str());
    for (const auto& f : files) std::printf("  %s\n", std::filesystem::path(f).filename().string().c_str());
    std::printf("\n%s", comparison_markdown(comparison).c_str());

    bool failed = false, bad = false, incomplete = false;
    for (const auto& p : comparison.projects) {
        bad = bad || !p.summary;
        failed = failed || (p.summary && p.summary->rules_failed > 0);
    }
    for (const auto& job : jobs) incomplete = incomplete || !job.complete;
    return bad ? Outcome::bad_input : incomplete ? Outcome::incomplete : failed ? Outcome::findings : Outcome::done;
}

Outcome run_run(const RunArgs& args, const Reporter& report) {
    return args.projects.size() == 1 ? run_one(args, report) : run_several(args);
}
}  // namespace

Runner setup_run(CLI::App& app) {
    auto args = std::make_shared<RunArgs>();
    app.add_option("PROJECT", args->projects,
                   "Project file(s) (.toml); with several, each project's outputs go into OUTDIR/<name>/ "
                   "and a comparison across them (comparison.csv, comparison.json, index.html) into OUTDIR")
        ->required();
    args->output.add_to(app, {.help = "Output directory (created when missing; default with one project: dir of "
                                      "[outputs]; required with several)",
                              .overwrite = "Replace files that exist in the output directory"});
    app.add_option("--jobs", args->jobs,
                   "Projects run at once (several projects); each run gets its share of --threads")
        ->check(CLI::Range(1u, 1024u))
        ->capture_default_str();
    args->work.add_to(app, {.threads = true,
                            .progress = "Say what is being done on stderr even when it is not a terminal"});
    args->input.add_to(app,
                       {.sources = false, .crs = "Analysis CRS (default: the project's, else chosen from the data)"});
    app.footer("Exit status: 0 done and every rule holds, 1 a rule found violations (all outputs are "
               "written), 2 bad input (with several projects: one could not be run; the others' outputs "
               "and the comparison are still written), 3 an overlay output or land-use table lacks pieces that "
               "could not be cut, each named in a warning (before 1: repair those geometries first).");
    return [args](const Reporter& report) { return run_run(*args, report); };
}

}  // namespace zk::cli
