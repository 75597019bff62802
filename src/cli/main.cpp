// zonekit — measure, overlay and check a county's territorial spatial plan.
// main is the only place that turns errors into exit codes: 0 done, 1 checks found violations, 2 bad input.
#include "common.hpp"

#include "zonekit/error.hpp"

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
    using namespace zk::cli;
    const std::vector<Command> commands = {
        info_command(),  area_command(),     overlay_command(), tabulate_command(),
        dissolve_command(), buffer_command(), count_command(),   length_command(), check_command(), resolve_command(),
        export_command(),
        render_command(),
        run_command(),
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
    } catch (const zk::InputError& e) {
        std::fprintf(stderr, "zonekit %s: %s\n", verb.c_str(), e.what());
    } catch (const zk::OutputError& e) {
        std::fprintf(stderr, "zonekit %s: %s\n", verb.c_str(), e.what());
    } catch (const zk::GeosError& e) {
        std::fprintf(stderr, "zonekit %s: geometry engine (GEOS): %s\n", verb.c_str(), e.what());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "zonekit %s: %s\n", verb.c_str(), e.what());
    }
    return bad_input;
}
