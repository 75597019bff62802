// Running the zonekit binary from a test: to completion with its output captured, or in the background. The
// rest of the kit the end-to-end tests use (temporary directories, fixture layers written and outputs read back
// with GDAL, pictures) is tests/support, shared with the unit tests.
#pragma once

#include "support/check_report.hpp"
#include "support/csv.hpp"
#include "support/files.hpp"
#include "support/gdal_read.hpp"
#include "support/gdal_write.hpp"
#include "support/grid.hpp"
#include "support/png.hpp"
#include "support/temp_dir.hpp"
#include "support/wkt.hpp"

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace zk::test {

struct RunResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

// Runs `zonekit ARGS…` (arguments are shell-quoted) in `cwd` and captures its output.
RunResult run_zonekit(const std::vector<std::string>& args, const std::filesystem::path& cwd = {});

// Starts `zonekit ARGS…` in `cwd` without waiting (stdin /dev/null, stdout and stderr to the files given) and
// returns its process id; wait for it with wait_zonekit.
pid_t spawn_zonekit(const std::vector<std::string>& args, const std::filesystem::path& cwd, const std::string& out_path,
                    const std::string& err_path);
// Waits for a spawned run: its exit code, or 128 + the signal that ended it.
int wait_zonekit(pid_t pid);

// An environment variable set for the zonekit processes started while it lives (a fault hook such as
// ZONEKIT_FAULT_WRITE or ZONEKIT_FAULT_CUT), unset after.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value);
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
};

}  // namespace zk::test
