#include "zonekit/io/output_files.hpp"
#include "zonekit/io/output_files_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <set>

namespace fs = std::filesystem;

namespace zk {

using namespace output_detail;

namespace {

std::string unique_suffix() {
    std::random_device rd;
    return fmt::format("{}-{:08x}", ::getpid(), rd());
}

bool is_shapefile(const fs::path& path) { return ascii_lower(path.extension().string()) == ".shp"; }

// "No space left on device (ENOSPC)": what the system says, and the name a search finds.
std::string reason(int err) {
    const char* name = nullptr;
    switch (err) {
        case ENOSPC: name = "ENOSPC"; break;
        case EROFS: name = "EROFS"; break;
        case EACCES: name = "EACCES"; break;
        case EPERM: name = "EPERM"; break;
        case EIO: name = "EIO"; break;
        case EDQUOT: name = "EDQUOT"; break;
        case EFBIG: name = "EFBIG"; break;
        case EEXIST: name = "EEXIST"; break;
        case EXDEV: name = "EXDEV"; break;
        case ENOENT: name = "ENOENT"; break;
        default: break;
    }
    return name ? fmt::format("{} ({})", std::strerror(err), name) : std::string(std::strerror(err));
}

std::string what_to_do(int err) {
    switch (err) {
        case ENOSPC:
        case EDQUOT: return ". Free some space, or write to another disk with -o";
        case EROFS: return ". The file system is read-only: write to another place with -o";
        case EACCES:
        case EPERM: return ". Write to a directory you may write in, with -o";
        default: return "";
    }
}

// ---------------------------------------------------------------------------------------------------------
// What this process has in flight: temporaries, staging directories and lock files, for abandon_outputs().
struct Pending {
    std::mutex mutex;
    std::set<std::string> paths;
    bool abandoned = false;
};
Pending& pending() {
    static Pending p;
    return p;
}

const char* const interrupted = "zonekit was interrupted: nothing more is put in place";

// Creates directory `dir` and records it as pending, as one step that abandon_outputs() cannot cut in two.
void make_pending_dir(const fs::path& dir, const std::string& target) {
    Pending& p = pending();
    std::lock_guard lock(p.mutex);
    if (p.abandoned) throw OutputError(interrupted);
    if (::mkdir(dir.c_str(), 0777) != 0) {
        const int err = errno;
        throw OutputError(fmt::format("cannot write '{}': cannot make a temporary directory in '{}': {}{}", target,
                                      dir.parent_path().string(), reason(err), what_to_do(err)));
    }
    p.paths.insert(dir.string());
}

void forget_pending(const std::string& path) {
    Pending& p = pending();
    std::lock_guard lock(p.mutex);
    p.paths.erase(path);
}

// ---------------------------------------------------------------------------------------------------------
// Putting files in place.

// Moves `from` to `to`; without `replace`, only when `to` does not exist (atomically: renameat2's
// RENAME_NOREPLACE, or link + unlink where the file system lacks it). Returns 0 or the errno.
int move_file(const fs::path& from, const fs::path& to, bool replace) {
    if (replace) return ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return errno;
    if (::link(from.c_str(), to.c_str()) != 0) return errno;
    ::unlink(from.c_str());
    return 0;
}

OutputError move_error(const std::string& target, int err) {
    if (err == EEXIST)
        return OutputError(fmt::format("output '{}' was made by another process while zonekit was writing it; it is "
                                       "left as that process wrote it. Pass --overwrite to replace it",
                                       target));
    return OutputError(fmt::format("cannot move '{}' into place: {}{}", target, reason(err), what_to_do(err)));
}

// Temporaries of zonekit processes that no longer run: ".NAME.zk-tmp-PID-XXXXXXXX[.EXT]" and
// ".zonekit-staging-PID-XXXXXXXX", left by a process killed with SIGKILL (or a power cut). A pid that runs
// (perhaps reused by another program) keeps its files.
void remove_stale_temporaries(const fs::path& dir) {
    static const std::regex pattern(R"(^\..*\.zk-tmp-(\d+)-[0-9a-f]{8}(\..*)?$|^\.zonekit-staging-(\d+)-[0-9a-f]{8}$)");
    std::error_code ec;
    std::vector<fs::path> stale;
    for (fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.find(".zk-tmp-") == std::string::npos && name.rfind(".zonekit-staging-", 0) != 0) continue;
        std::smatch m;
        if (!std::regex_match(name, m, pattern)) continue;
        const long pid = std::stol(m[1].matched ? m[1].str() : m[3].str());
        if (pid == ::getpid() || pid <= 0) continue;
        if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
        stale.push_back(it->path());
    }
    for (const auto& p : stale) fs::remove_all(p, ec);
}

// Removes `path` and all it holds, again if a writer still running made a file in it meanwhile.
bool remove_tree(const std::string& path) {
    std::error_code ec;
    for (int attempt = 0; attempt < 5; ++attempt) {
        fs::remove_all(path, ec);
        if (!fs::exists(fs::symlink_status(path, ec))) return true;
    }
    return false;
}

}  // namespace
// ---------------------------------------------------------------------------------------------------------

OutputLock::OutputLock(const std::string& target, bool directory) {
    const fs::path t(target);
    m_path = directory ? (t / ".zonekit.lock").string()
                       : (t.parent_path() / ("." + t.filename().string() + ".zk-lock")).string();
    // Take the lock on the file that is at m_path once it is held: a releasing process unlinks the file it
    // locked, so a lock taken on an unlinked file is tried again on the new one.
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int fd = ::open(m_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) {
            const int err = errno;
            if (err == EROFS || err == EACCES || err == EPERM || err == ENOSPC || err == EDQUOT)
                throw OutputError(fmt::format("cannot write '{}': {}{}", target, reason(err), what_to_do(err)));
            if (err == ENOENT)
                throw OutputError(fmt::format("cannot write '{}': directory '{}' does not exist", target,
                                              fs::path(m_path).parent_path().string()));
            throw OutputError(fmt::format("cannot write '{}': cannot make the lock file '{}': {}", target, m_path,
                                          reason(err)));
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            char pid[32] = {};
            const ssize_t n = ::pread(fd, pid, sizeof pid - 1, 0);
            ::close(fd);
            const std::string who = n > 0 ? fmt::format("zonekit process {}", std::string(pid, static_cast<std::size_t>(n)))
                                          : std::string("another zonekit process");
            throw OutputError(fmt::format("'{}' is being written by {} (lock '{}'). Wait for it to finish, or write to "
                                          "another place with -o",
                                          target, who, m_path));
        }
        struct stat held {}, now {};
        if (::fstat(fd, &held) == 0 && ::stat(m_path.c_str(), &now) == 0 && held.st_ino == now.st_ino &&
            held.st_dev == now.st_dev) {
            m_fd = fd;
            const std::string pid = std::to_string(::getpid());
            if (::ftruncate(fd, 0) == 0) (void)write_all(fd, pid.data(), pid.size(), 0);
            Pending& p = pending();
            std::lock_guard lock(p.mutex);
            p.paths.insert(m_path);
            return;
        }
        ::close(fd);
    }
    throw OutputError(fmt::format("cannot write '{}': cannot take the lock '{}'", target, m_path));
}

OutputLock::~OutputLock() {
    if (m_fd < 0) return;
    ::unlink(m_path.c_str());
    ::close(m_fd);
    forget_pending(m_path);
}

// ---------------------------------------------------------------------------------------------------------

AtomicOutput::AtomicOutput(std::string target, const OutputOptions& options)
    : m_target(std::move(target)), m_overwrite(options.overwrite), m_lock(m_target, false) {
    check_output_path(m_target, options);  // under the lock: no other zonekit is writing it now
    const fs::path t(m_target);
    remove_stale_temporaries(t.parent_path());
    m_temp_dir = t.parent_path() / fmt::format(".{}.zk-tmp-{}", t.filename().string(), unique_suffix());
    make_pending_dir(m_temp_dir, m_target);
    m_temp = (m_temp_dir / t.filename()).string();
}

AtomicOutput::~AtomicOutput() {
    if (m_committed) return;
    remove_tree(m_temp_dir.string());
    forget_pending(m_temp_dir.string());
    take_failure(m_temp_dir.string() + "/");
}

std::string AtomicOutput::gdal_path() const { return checked_gdal_path(m_temp); }

std::string AtomicOutput::write_failure() const {
    const auto failed = take_failure(m_temp_dir.string() + "/", true);
    return failed ? reason(failed->second) + what_to_do(failed->second) : std::string();
}

void AtomicOutput::commit() {
    Pending& p = pending();
    std::lock_guard lock(p.mutex);  // abandon_outputs() waits for a commit under way, and none starts after it
    if (p.abandoned) throw OutputError(interrupted);
    if (auto failed = take_failure(m_temp_dir.string() + "/"))
        throw OutputError(fmt::format("cannot write '{}': {}{}; nothing was put in its place", m_target,
                                      reason(failed->second), what_to_do(failed->second)));
    // What moves, as (temporary, target); a Shapefile's .shp last, so a reader never sees a new .shp beside an
    // old .dbf.
    std::vector<std::pair<fs::path, fs::path>> moves;
    const fs::path t(m_target);
    std::error_code ec;
    if (is_shapefile(t)) {
        for (const char* side : shapefile_sidecars) {
            fs::path fresh = m_temp_dir / t.filename();
            fresh.replace_extension(side);
            fs::path dest = t;
            dest.replace_extension(side);
            if (fs::exists(fresh, ec)) moves.emplace_back(fresh, dest);
        }
        std::stable_partition(moves.begin(), moves.end(),
                              [](const auto& m) { return ascii_lower(m.first.extension().string()) != ".shp"; });
    } else {
        moves.emplace_back(m_temp, t);
    }
    for (const auto& [from, to] : moves)
        if (const int err = sync_file(from))
            throw OutputError(fmt::format("cannot write '{}': {}{}; nothing was put in its place", m_target,
                                          reason(err), what_to_do(err)));
    if (is_shapefile(t) && m_overwrite) {
        // Files of an old Shapefile of that name that the new one does not replace (a .qix, a .SBN in another
        // letter case) would describe other records: removed.
        std::set<std::string> written;
        for (const auto& m : moves) written.insert(m.second.filename().string());
        for (const auto& old : existing_in_any_case(resolved_dir(t), family_names(t)))
            if (!written.count(old.filename().string())) fs::remove(old, ec);
    }
    for (const auto& [from, to] : moves)
        if (const int err = move_file(from, to, m_overwrite)) throw move_error(to.string(), err);
    sync_dir(t.parent_path());
    remove_tree(m_temp_dir.string());
    p.paths.erase(m_temp_dir.string());
    m_committed = true;
}

// ---------------------------------------------------------------------------------------------------------

namespace {
fs::path made_dir(const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        throw OutputError(fmt::format("cannot create the output directory '{}': {}", dir,
                                      ec ? reason(ec.value()) + what_to_do(ec.value()) : "a file of that name exists"));
    return dir;
}
}  // namespace

StagedOutputs::StagedOutputs(const std::string& dir, const OutputOptions& options)
    : m_dir(dir), m_options(options), m_lock(made_dir(dir).string(), true) {
    remove_stale_temporaries(m_dir);
    m_stage = fs::path(m_dir) / fmt::format(".zonekit-staging-{}", unique_suffix());
    make_pending_dir(m_stage, m_dir);
    // The writers put their own files into the stage, which is new: nothing there to overwrite or protect.
}

StagedOutputs::~StagedOutputs() {
    if (m_committed) return;
    remove_tree(m_stage.string());
    forget_pending(m_stage.string());
}

std::string StagedOutputs::path(const std::string& file) const { return (m_stage / file).string(); }
std::string StagedOutputs::target(const std::string& file) const { return (fs::path(m_dir) / file).string(); }

void StagedOutputs::retire(const std::string& file) {
    // Only a plain name in the directory (a summary is data: it cannot send zonekit elsewhere).
    if (file.empty() || file[0] == '.' || file.find('/') != std::string::npos || file.find('\\') != std::string::npos)
        return;
    m_retired.push_back(file);
}

void StagedOutputs::commit() {
    std::vector<std::string> files;
    std::error_code ec;
    for (fs::directory_iterator it(m_stage, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file() && it->path().filename().string()[0] != '.')
            files.push_back(it->path().filename().string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) check_output_path(target(f), m_options);

    Pending& p = pending();
    std::lock_guard lock(p.mutex);
    if (p.abandoned) throw OutputError(interrupted);
    // Old files are kept (hard links) until every new one is in place, so that a failure restores them.
    const fs::path kept = m_stage / ".replaced";
    fs::create_directory(kept, ec);
    std::vector<std::string> moved;
    std::set<std::string> backed_up;
    auto roll_back = [&] {
        for (auto it = moved.rbegin(); it != moved.rend(); ++it) {
            if (backed_up.count(*it)) (void)::rename((kept / *it).c_str(), target(*it).c_str());
            else (void)::rename(target(*it).c_str(), (m_stage / *it).c_str());
        }
    };
    for (const auto& f : files) {
        if (m_options.overwrite && ::link(target(f).c_str(), (kept / f).c_str()) == 0) backed_up.insert(f);
        if (const int err = move_file(m_stage / f, target(f), m_options.overwrite)) {
            roll_back();
            throw move_error(target(f), err);
        }
        moved.push_back(f);
    }
    if (m_options.overwrite)
        for (const auto& f : m_retired) {
            struct stat st {};
            if (std::find(files.begin(), files.end(), f) != files.end() || ::lstat(target(f).c_str(), &st) != 0 ||
                !S_ISREG(st.st_mode))
                continue;
            (void)::rename(target(f).c_str(), (kept / f).c_str());  // removed with the stage
        }
    sync_dir(m_dir);
    remove_tree(m_stage.string());
    p.paths.erase(m_stage.string());
    m_committed = true;
}

// ---------------------------------------------------------------------------------------------------------

void write_text_file(const std::string& path, const std::string& text, const OutputOptions& options) {
    AtomicOutput out(path, options);
    const int fd = ::open(out.temp_path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        const int err = errno;
        throw OutputError(fmt::format("cannot write '{}': {}{}", path, reason(err), what_to_do(err)));
    }
    int err = write_all(fd, text.data(), text.size(), -1);
    if (::close(fd) != 0 && !err) err = errno;
    if (err) throw OutputError(fmt::format("cannot write '{}': {}{}; nothing was put in its place", path, reason(err), what_to_do(err)));
    out.commit();
}

std::size_t abandon_outputs() noexcept {
    Pending& p = pending();
    std::lock_guard lock(p.mutex);
    p.abandoned = true;
    std::size_t removed = 0;
    try {
        for (const auto& path : p.paths)
            if (remove_tree(path)) ++removed;
        p.paths.clear();
    } catch (...) {
    }
    return removed;
}

}  // namespace zk
