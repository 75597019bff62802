// What the commands share: how a run ends, the registry of commands (commands.cpp), the option groups
// (options.hpp) and the reporter (report.hpp).
#pragma once

#include "options.hpp"
#include "report.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

namespace zk::cli {

// How a command's run ended. main alone turns it, or the exception a run throws, into the exit status:
// done 0, findings 1, bad_input 2 (also every InputError, OutputError or other exception), incomplete 3.
enum class Outcome {
    done,        // everything asked for is done (and every rule holds)
    findings,    // done, and the checks found violations or sites that are not allowed
    bad_input,   // some inputs could not be used; the others were, and their outputs written
    incomplete,  // the output was written but lacks parts that could not be computed (each one listed)
};

// What `zonekit --help` and every man page say about the exit status; and the footer of the commands that
// cut polygons (overlay, tabulate), whose output may be incomplete.
extern const char* const exit_status_help;
extern const char* const exit_status_cut;

// A command's run, given the reporter that names it.
using Runner = std::function<Outcome(const Reporter& report)>;

struct Command {
    const char* name;
    const char* summary;
    // Declares the command's options on `app` and returns the function that runs it.
    Runner (*setup)(CLI::App& app);
};

// Every command, in the order `zonekit --help` lists them.
const std::vector<Command>& commands();

}  // namespace zk::cli
