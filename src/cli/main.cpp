// zonekit — measure, overlay and check a county's territorial spatial plan.
// main is the only place that turns errors into exit codes: 0 done, 1 checks found violations, 2 bad input or
// a failed output, 128 + the signal when interrupted (130 SIGINT, 143 SIGTERM, 129 SIGHUP).
#include "common.hpp"

#include "zonekit/error.hpp"
#include "zonekit/output_files.hpp"
#include "zonekit/text.hpp"

#include <cpl_error.h>
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
    if (level == CE_Warning) zk::cli::warn("GDAL", message);
    else zk::cli::error("GDAL", message);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace zk::cli;
    take_signals();
    CPLSetErrorHandler(gdal_message);
    const std::vector<Command> commands = {
        info_command(),  area_command(),     overlay_command(), tabulate_command(),
        dissolve_command(), buffer_command(), count_command(),   length_command(), check_command(), resolve_command(),
        export_command(),
        render_command(),
        run_command(),
        screen_command(),
    };

    CLI::App app{"zonekit — measure, overlay and check a county's territorial spatial plan (国土空间规划)"};
    app.require_subcommand(1);
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, "Print no notes or warnings (errors are always printed)");
    app.set_version_flag("--version", "zonekit 0.1.0");
    std::function<int()> run;
    std::string verb;
    for (const auto& command : commands) {
        CLI::App* sub = app.add_subcommand(command.name, command.summary);
        sub->fallthrough();  // -q after the command's name too
        auto runner = command.setup(*sub);
        sub->callback([&run, &verb, runner, name = std::string(command.name)] {
            run = runner;
            verb = name;
        });
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return bad_input;
    }
    set_quiet(quiet);
    try {
        return run();
    } catch (const zk::GeosError& e) {
        error(verb, std::string("geometry engine (GEOS): ") + e.what());
    } catch (const std::exception& e) {  // InputError, OutputError and anything else: the message says what
        error(verb, e.what());
    }
    return bad_input;
}
