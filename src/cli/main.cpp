// zonekit — measure, overlay and check a county's territorial spatial plan.
// main is the only place that turns a run's Outcome and its errors into exit codes (exit_status_help): 0 done,
// 1 findings, 2 bad input or usage or a failed output, 3 an incomplete output, 128 + the signal when interrupted
// (130 SIGINT, 143 SIGTERM, 129 SIGHUP).
#include "common.hpp"
#include "docs.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/version.hpp"
#include "zonekit/io/output_files.hpp"

#include <cpl_error.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <thread>

namespace {

// SIGINT, SIGTERM and SIGHUP are taken by one thread (every other thread, GDAL's and TBB's included, is made
// with them blocked): it removes what this run has in flight — temporaries, the staging directory, locks —
// waits for a put-in-place under way, says so, and ends the process with 128 + the signal.
void take_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, s);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([set] {
        int sig = 0;
        while (sigwait(&set, &sig) != 0) {
        }
        const std::size_t removed = zk::abandon_outputs();
        char line[160];
        const int n = std::snprintf(line, sizeof line, "%szonekit: interrupted (%s); %zu unfinished output(s) removed, "
                                    "nothing partial left\n", zk::cli::stderr_is_terminal() ? "\n" : "",
                                    sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP", removed);
        if (n > 0) (void)!::write(STDERR_FILENO, line, static_cast<std::size_t>(std::min(n, int(sizeof line) - 1)));
        ::_exit(128 + sig);
    }).detach();
}

// GDAL's messages that no GdalErrorCapture took (one at a close, in a destructor) come as zonekit's warnings,
// never as GDAL's raw "ERROR 1:" lines.
void gdal_message(CPLErr level, CPLErrorNum, const char* message) {
    if (level == CE_Debug || !message) return;
    const zk::cli::Reporter gdal("GDAL");
    if (level == CE_Warning) gdal.warn(message);
    else gdal.error(message);
}

int exit_status(zk::cli::Outcome outcome) {
    using zk::cli::Outcome;
    switch (outcome) {
    case Outcome::done: return 0;
    case Outcome::findings: return 1;
    case Outcome::bad_input: return 2;
    case Outcome::incomplete: return 3;
    }
    return 2;
}

constexpr int usage_error = 2;

}  // namespace

int main(int argc, char** argv) {
    using namespace zk::cli;
    take_signals();
    CPLSetErrorHandler(gdal_message);
    const Reporter zonekit("");

    // Named, so that usage lines say "zonekit", not the path the binary was started by.
    CLI::App app{"zonekit — measure, overlay and check a county's territorial spatial plan (国土空间规划)", "zonekit"};
    app.require_subcommand(1);
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, "Print no notes or warnings (errors are always printed)");
    app.set_version_flag("--version", fmt::format("zonekit {} ({})", zk::zonekit_version(), zk::library_versions()),
                         "Print zonekit's version and those of the GDAL, GEOS, PROJ, Cairo and SQLite it runs on");
    std::string completion_shell, docs_dir;
    app.add_option("--completion", completion_shell, "Print a completion script: --completion bash")
        ->check(CLI::IsMember({"bash"}));
    app.add_option("--write-docs", docs_dir, "Write the man pages and the completion script into DIR (for the build)")
        ->group("");
    Runner run;
    std::string verb;
    for (const auto& command : commands()) {
        CLI::App* sub = app.add_subcommand(command.name, command.summary);
        sub->fallthrough();  // -q after the command's name too
        auto runner = command.setup(*sub);
        sub->callback([&run, &verb, runner, name = std::string(command.name)] {
            run = runner;
            verb = name;
        });
    }
    app.footer(std::string("Exit status: ") + exit_status_help);  // after the commands, which would inherit it
    // The documents made from the declarations above; they need no command.
    if (argc == 3 && (std::strcmp(argv[1], "--completion") == 0 || std::strcmp(argv[1], "--write-docs") == 0)) {
        try {
            if (std::strcmp(argv[1], "--completion") == 0) {
                if (std::strcmp(argv[2], "bash") != 0) {
                    zonekit.error(fmt::format("--completion '{}': only bash is supported", argv[2]));
                    return usage_error;
                }
                std::fputs(bash_completion(app).c_str(), stdout);
            } else {
                write_docs(app, argv[2]);
            }
            return 0;
        } catch (const std::exception& e) {
            zonekit.error(e.what());
            return usage_error;
        }
    }
    if (argc == 1) {  // no command: what there is, not "A subcommand is required"
        std::fputs(app.help().c_str(), stderr);
        return usage_error;
    }
    // A mistyped command: the nearest one.
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word.empty() || word[0] == '-') continue;
        if (std::any_of(commands().begin(), commands().end(), [&](const Command& c) { return word == c.name; })) break;
        const std::string near = closest_command(app, word);
        std::string names;
        for (const auto& c : commands()) names += (names.empty() ? "" : ", ") + std::string(c.name);
        zonekit.error(near.empty() ? fmt::format("unknown command '{}' (commands: {})", word, names)
                                   : fmt::format("unknown command '{}' — did you mean '{}'? (commands: {})", word, near,
                                                 names));
        return usage_error;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return usage_error;
    }
    set_quiet(quiet);
    const Reporter report(verb);
    try {
        return exit_status(run(report));
    } catch (const zk::GeosError& e) {
        report.error(std::string("geometry engine (GEOS): ") + e.what());
    } catch (const std::exception& e) {  // InputError, OutputError and anything else: the message says what
        report.error(e.what());
    }
    return exit_status(Outcome::bad_input);
}
