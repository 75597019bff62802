// libFuzzer target: the project-file parser (zk::parse_project) on arbitrary text.
// A well-formed rejection is a zk::InputError; anything else escaping (another exception, a crash, a sanitizer
// report) is a finding. Also built with g++ into fuzz_project_replay, which CTest runs on the kept inputs.
#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"
#include "zonekit/project/project.hpp"

#include <cpl_error.h>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool ready = [] {
        zk::gdal_init();
        CPLSetErrorHandler(CPLQuietErrorHandler);  // zonekit captures what it reports; the rest is noise here
        return true;
    }();
    (void)ready;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const zk::Project project = zk::parse_project(text, "/nonexistent/zk-fuzz/project.toml");
        // What a command reads from a parsed project must be usable: every rule names declared layers.
        for (const auto& rule : project.plan.rules)
            for (const auto& name : rule.layers)
                if (!project.layer(name)) __builtin_trap();
    } catch (const zk::InputError&) {
        // a rejection with a message: fine
    }
    return 0;
}
