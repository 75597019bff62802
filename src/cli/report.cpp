#include "report.hpp"

#include "zonekit/base/text.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/ops/overlay.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <set>

namespace zk::cli {

namespace {
bool g_quiet = false;
std::mutex g_mutex;  // GDAL's messages may come from any thread
std::set<std::string>& said() {
    static std::set<std::string> lines;
    return lines;
}

std::string line(const std::string& verb, const char* kind, const std::string& message) {
    return fmt::format("zonekit{}{}: {}{}\n", verb.empty() ? "" : " ", verb, kind, message);
}

void print_once(const std::string& text) {
    std::lock_guard lock(g_mutex);
    if (g_quiet || !said().insert(text).second) return;
    std::fputs(escape_non_utf8(text).c_str(), stderr);
}
}  // namespace

void set_quiet(bool quiet) { g_quiet = quiet; }

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void Reporter::note(const std::string& message) const { print_once(line(m_verb, "", message)); }

void Reporter::warn(const std::string& message) const { print_once(line(m_verb, "warning: ", message)); }

void Reporter::error(const std::string& message) const {
    std::lock_guard lock(g_mutex);
    std::fputs(escape_non_utf8(line(m_verb, "", message)).c_str(), stderr);
}

void Reporter::notes(const std::vector<std::string>& messages) const {
    for (const auto& m : messages) note(m);
}

void Reporter::warnings(const std::vector<std::string>& messages) const {
    for (const auto& m : messages) warn(m);
}

void Reporter::renamed_fields(const std::vector<FieldRename>& renamed, const std::string& path) const {
    for (const auto& r : renamed)
        warn(fmt::format("field '{}' is written as '{}' in '{}': a Shapefile field name holds at most 10 bytes",
                         r.original, r.written, path));
}

std::function<void(double)> Reporter::progress_bar() const {
    auto shown = std::make_shared<double>(-1);
    return [shown](double fraction) {
        std::lock_guard lock(g_mutex);
        std::fputs(progress_text(*shown, fraction).c_str(), stderr);
        std::fflush(stderr);
        *shown = fraction;
    };
}

}  // namespace zk::cli
