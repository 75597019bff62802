#include "zonekit/io/output_files.hpp"

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

namespace {

const char* shapefile_sidecars[] = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"};

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
// Checked writes: the fault hook, the first failure of each file, and the writes themselves.
std::atomic<unsigned long long> g_checked_bytes{0};

struct WriteFailures {
    std::mutex mutex;
    std::map<std::string, int> first;  // file → errno of its first failed write, sync or close
};
WriteFailures& failures() {
    static WriteFailures f;
    return f;
}

void record_failure(const std::string& file, int err) {
    WriteFailures& f = failures();
    std::lock_guard lock(f.mutex);
    f.first.emplace(file, err);
}

// The first failure recorded for a file at or under `prefix` (a temporary directory), and that file; removed
// unless `keep`.
std::optional<std::pair<std::string, int>> take_failure(const std::string& prefix, bool keep = false) {
    WriteFailures& f = failures();
    std::lock_guard lock(f.mutex);
    auto it = f.first.lower_bound(prefix);
    if (it == f.first.end() || it->first.rfind(prefix, 0) != 0) return std::nullopt;
    auto found = *it;
    if (!keep)
        while (it != f.first.end() && it->first.rfind(prefix, 0) == 0) it = f.first.erase(it);
    return found;
}

// Writes all of `data` at `offset` (or at the file position when offset < 0); 0 or the errno of the failure.
int write_all(int fd, const char* data, std::size_t size, off_t offset) {
    const WriteFault fault = write_fault();
    while (size > 0) {
        std::size_t chunk = size;
        if (fault.error) {
            const unsigned long long done = g_checked_bytes.load();
            if (done >= fault.after) return fault.error;
            chunk = static_cast<std::size_t>(std::min<unsigned long long>(chunk, fault.after - done));
        }
        const ssize_t n = offset < 0 ? ::write(fd, data, chunk) : ::pwrite(fd, data, chunk, offset);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        if (n == 0) return EIO;
        g_checked_bytes += static_cast<unsigned long long>(n);
        data += n;
        size -= static_cast<std::size_t>(n);
        if (offset >= 0) offset += n;
    }
    return 0;
}

int sync_file(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    int err = ::fsync(fd) == 0 ? 0 : errno;
    if (err == EINVAL || err == EROFS) err = 0;  // a file system that cannot sync (e.g. some FUSE) has nothing to check
    ::close(fd);
    return err;
}

void sync_dir(const fs::path& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)::fsync(fd);  // durability of the rename; the data itself was checked by sync_file
    ::close(fd);
}

// ---------------------------------------------------------------------------------------------------------
// The checked file system GDAL writes through ("/vsizkw/PATH"): plain POSIX files, a write buffer, and every
// failure recorded by file (GDAL's drivers do not all look at what a write returns).
constexpr const char* vsi_prefix = "/vsizkw/";
constexpr std::size_t buffer_limit = 1 << 18;

struct VsiFile {
    int fd = -1;
    std::string path;
    off_t pos = 0;          // the logical position
    std::string buffer;     // bytes not yet written, for [buffer_start, buffer_start + size)
    off_t buffer_start = 0;
    bool eof = false;
    int error = 0;

    void fail(int err) {
        if (!error) {
            error = err;
            record_failure(path, err);
        }
    }
    bool flush() {
        if (buffer.empty()) return error == 0;
        const int err = write_all(fd, buffer.data(), buffer.size(), buffer_start);
        buffer.clear();
        if (err) fail(err);
        return error == 0;
    }
};

const char* strip_prefix(const char* name) {
    return std::strncmp(name, vsi_prefix, std::strlen(vsi_prefix)) == 0 ? name + std::strlen(vsi_prefix) : name;
}

void* vsi_open(void*, const char* name, const char* access) {
    const std::string mode = access ? access : "r";
    int flags = O_RDONLY;
    if (mode.find('w') != std::string::npos) flags = O_RDWR | O_CREAT | O_TRUNC;
    else if (mode.find('a') != std::string::npos) flags = O_RDWR | O_CREAT;
    else if (mode.find('+') != std::string::npos) flags = O_RDWR;
    const std::string path = strip_prefix(name);
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0666);
    if (fd < 0) {
        // A file made for writing that cannot be made is a failure of the output; a missing file opened for
        // update is a driver looking for an optional sidecar.
        if (flags & O_CREAT) record_failure(path, errno);
        return nullptr;
    }
    auto* f = new VsiFile;
    f->fd = fd;
    f->path = path;
    if (mode.find('a') != std::string::npos) f->pos = ::lseek(fd, 0, SEEK_END);
    return f;
}

int vsi_stat(void*, const char* name, VSIStatBufL* out, int) {
    struct stat s {};
    if (::stat(strip_prefix(name), &s) != 0) return -1;
    std::memset(out, 0, sizeof *out);
    out->st_mode = s.st_mode;
    out->st_size = s.st_size;
    out->st_mtime = s.st_mtime;
    return 0;
}

int vsi_unlink(void*, const char* name) { return ::unlink(strip_prefix(name)); }
int vsi_rename(void*, const char* from, const char* to) { return ::rename(strip_prefix(from), strip_prefix(to)); }
int vsi_mkdir(void*, const char* name, long mode) { return ::mkdir(strip_prefix(name), static_cast<mode_t>(mode)); }
int vsi_rmdir(void*, const char* name) { return ::rmdir(strip_prefix(name)); }

char** vsi_read_dir(void*, const char* name, int max_files) {
    DIR* dir = ::opendir(strip_prefix(name));
    if (!dir) return nullptr;
    CPLStringList list;
    while (const dirent* e = ::readdir(dir)) {
        if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, "..")) continue;
        list.AddString(e->d_name);
        if (max_files > 0 && list.size() >= max_files) break;
    }
    ::closedir(dir);
    return list.StealList();
}

vsi_l_offset vsi_tell(void* h) { return static_cast<vsi_l_offset>(static_cast<VsiFile*>(h)->pos); }

int vsi_seek(void* h, vsi_l_offset offset, int whence) {
    auto* f = static_cast<VsiFile*>(h);
    f->eof = false;
    if (whence == SEEK_SET) f->pos = static_cast<off_t>(offset);
    else if (whence == SEEK_CUR) f->pos += static_cast<off_t>(offset);
    else {
        f->flush();
        struct stat s {};
        if (::fstat(f->fd, &s) != 0) return -1;
        f->pos = s.st_size + static_cast<off_t>(offset);
    }
    return 0;
}

std::size_t vsi_read(void* h, void* out, std::size_t size, std::size_t count) {
    auto* f = static_cast<VsiFile*>(h);
    if (!f->flush() || size == 0) return 0;
    std::size_t want = size * count, got = 0;
    auto* p = static_cast<char*>(out);
    while (got < want) {
        const ssize_t n = ::pread(f->fd, p + got, want - got, f->pos + static_cast<off_t>(got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got < want) f->eof = true;
    f->pos += static_cast<off_t>(got);
    return got / size;
}

int vsi_eof(void* h) { return static_cast<VsiFile*>(h)->eof ? 1 : 0; }

std::size_t vsi_write(void* h, const void* data, std::size_t size, std::size_t count) {
    auto* f = static_cast<VsiFile*>(h);
    if (f->error || size == 0) return 0;
    const std::size_t bytes = size * count;
    if (!f->buffer.empty() && f->pos != f->buffer_start + static_cast<off_t>(f->buffer.size()) && !f->flush())
        return 0;
    if (f->buffer.empty()) f->buffer_start = f->pos;
    f->buffer.append(static_cast<const char*>(data), bytes);
    f->pos += static_cast<off_t>(bytes);
    if (f->buffer.size() >= buffer_limit && !f->flush()) return 0;
    return count;
}

int vsi_flush(void* h) { return static_cast<VsiFile*>(h)->flush() ? 0 : -1; }

int vsi_truncate(void* h, vsi_l_offset size) {
    auto* f = static_cast<VsiFile*>(h);
    if (!f->flush()) return -1;
    if (::ftruncate(f->fd, static_cast<off_t>(size)) != 0) {
        f->fail(errno);
        return -1;
    }
    return 0;
}

int vsi_close(void* h) {
    auto* f = static_cast<VsiFile*>(h);
    f->flush();
    if (::close(f->fd) != 0) f->fail(errno);
    const int result = f->error ? -1 : 0;
    delete f;
    return result;
}

void install_checked_file_system() {
    static std::once_flag once;
    std::call_once(once, [] {
        VSIFilesystemPluginCallbacksStruct* cb = VSIAllocFilesystemPluginCallbacksStruct();
        cb->open = vsi_open;
        cb->stat = vsi_stat;
        cb->unlink = vsi_unlink;
        cb->rename = vsi_rename;
        cb->mkdir = vsi_mkdir;
        cb->rmdir = vsi_rmdir;
        cb->read_dir = vsi_read_dir;
        cb->tell = vsi_tell;
        cb->seek = vsi_seek;
        cb->read = vsi_read;
        cb->eof = vsi_eof;
        cb->write = vsi_write;
        cb->flush = vsi_flush;
        cb->truncate = vsi_truncate;
        cb->close = vsi_close;
        VSIInstallPluginHandler(vsi_prefix, cb);
        VSIFreeFilesystemPluginCallbacksStruct(cb);
    });
}

// ---------------------------------------------------------------------------------------------------------
// Names as the file system compares them.

// The file names (lower case) a file at `path` stands for: a Shapefile's every sidecar, else its own name.
std::vector<std::string> family_names(const fs::path& path) {
    const std::string name = ascii_lower(path.filename().string());
    const std::string ext = ascii_lower(path.extension().string());
    const bool shapefile = std::find(std::begin(shapefile_sidecars), std::end(shapefile_sidecars), ext) !=
                           std::end(shapefile_sidecars);
    if (!shapefile) return {name};
    const std::string stem = ascii_lower(path.stem().string());
    std::vector<std::string> out;
    for (const char* side : shapefile_sidecars) out.push_back(stem + side);
    return out;
}

// The directory `path` is in, resolved (symlinks, `.`, `..`) as far as it exists.
fs::path resolved_dir(const fs::path& path) {
    std::error_code ec;
    fs::path dir = path.parent_path();
    if (dir.empty()) dir = ".";
    fs::path out = fs::weakly_canonical(fs::absolute(dir, ec), ec);
    return ec ? fs::absolute(dir, ec).lexically_normal() : out;
}

// The files in `dir` whose names are among `lower_names` in any letter case.
std::vector<fs::path> existing_in_any_case(const fs::path& dir, const std::vector<std::string>& lower_names) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = ascii_lower(it->path().filename().string());
        if (std::find(lower_names.begin(), lower_names.end(), name) != lower_names.end()) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// A file and the files of its family, as zonekit compares them with an output: the spellings the path is
// known by (as given and resolved through symlinks), each as a resolved directory and lower-case names,
// and the files of that family that exist (for st_dev/st_ino comparison).
struct FileFamily {
    std::vector<std::pair<fs::path, std::vector<std::string>>> spellings;
    std::vector<fs::path> existing;
};

FileFamily file_family(const std::string& path_text) {
    FileFamily f;
    std::error_code ec;
    const fs::path given(path_text);
    fs::path resolved = fs::weakly_canonical(fs::absolute(given, ec), ec);
    if (ec) resolved = given;
    for (const fs::path& p : {given, resolved}) {
        std::pair<fs::path, std::vector<std::string>> s{resolved_dir(p), family_names(p)};
        if (std::find(f.spellings.begin(), f.spellings.end(), s) != f.spellings.end()) continue;
        for (auto& e : existing_in_any_case(s.first, s.second)) f.existing.push_back(e);
        f.spellings.push_back(std::move(s));
    }
    if (fs::exists(given, ec)) f.existing.push_back(given);
    return f;
}

// A file of `output`'s family that is one of `input`'s (the same name in any case in the same directory, or
// the same file through a link), as a pair (output file, input file); nothing when they are apart.
std::optional<std::pair<std::string, std::string>> shared_file(const FileFamily& output, const FileFamily& input,
                                                                const std::string& output_text,
                                                                const std::string& input_text) {
    for (const auto& [odir, onames] : output.spellings)
        for (const auto& [idir, inames] : input.spellings) {
            std::error_code ec;
            if (odir != idir && !fs::equivalent(odir, idir, ec)) continue;
            for (const auto& n : onames)
                if (std::find(inames.begin(), inames.end(), n) != inames.end()) {
                    // Name the input's own file of that name when it exists, else the input.
                    std::string in = input_text;
                    for (const auto& e : input.existing)
                        if (ascii_lower(e.filename().string()) == n) in = e.string();
                    std::string out = output_text;
                    for (const auto& e : output.existing)
                        if (ascii_lower(e.filename().string()) == n) out = e.string();
                    return std::make_pair(out, in);
                }
        }
    for (const auto& o : output.existing)
        for (const auto& i : input.existing) {
            std::error_code ec;
            if (fs::equivalent(o, i, ec)) return std::make_pair(o.string(), i.string());
        }
    return std::nullopt;
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

WriteFault write_fault() {
    static const WriteFault fault = [] {
        WriteFault f;
        const char* text = std::getenv("ZONEKIT_FAULT_WRITE");
        if (!text) return f;
        const std::string s(text);
        const auto at = s.find('@');
        const std::string name = s.substr(0, at);
        f.error = name == "ENOSPC" ? ENOSPC : name == "EIO" ? EIO : name == "EROFS" ? EROFS : name == "EDQUOT" ? EDQUOT : 0;
        f.after = at == std::string::npos ? 0 : std::strtoull(s.c_str() + at + 1, nullptr, 10);
        return f;
    }();
    return fault;
}

void check_output_path(const std::string& target, const OutputOptions& options) {
    const FileFamily out = file_family(target);
    for (const auto& input : options.inputs) {
        if (input.empty()) continue;
        if (auto shared = shared_file(out, file_family(input), target, input)) {
            const bool same = shared->second == input && fs::path(shared->first).filename() == fs::path(target).filename();
            throw OutputError(fmt::format(
                "output '{}' is also an input{}; inputs are never modified, even with --overwrite. Choose another "
                "output path",
                target,
                same ? std::string()
                     : fmt::format(": it names the same file as the input's '{}' (names are compared without letter "
                                   "case, through links, and a Shapefile by all its files)",
                                   shared->second)));
        }
    }
    std::error_code ec;
    if (!options.overwrite && !out.existing.empty()) {
        const std::string found = out.existing.front().string();
        if (found == target)
            throw OutputError(fmt::format("output '{}' exists. Pass --overwrite to replace it", target));
        throw OutputError(fmt::format("output '{}' exists as '{}' (file names are compared without letter case, and a "
                                      "Shapefile by all its files). Pass --overwrite to replace it",
                                      target, found));
    }
    fs::path parent = fs::path(target).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw OutputError(fmt::format("cannot write '{}': directory '{}' does not exist", target, parent.string()));
}

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

std::string checked_gdal_path(const std::string& path) {
    install_checked_file_system();
    return vsi_prefix + path;
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
