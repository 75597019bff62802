// The checked writes: the fault hook (ZONEKIT_FAULT_WRITE), the first failure of each file, the writes and syncs
// themselves, and the file system GDAL writes through ("/vsizkw/PATH") so that its failures are seen too.
#include "zonekit/io/output_files.hpp"
#include "zonekit/io/output_files_internal.hpp"

#include <cpl_string.h>
#include <cpl_vsi.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

namespace fs = std::filesystem;

namespace zk {

using namespace output_detail;

namespace {

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

}  // namespace

namespace output_detail {

// The first failure recorded for a file at or under `prefix` (a temporary directory), and that file; removed
// unless `keep`.
std::optional<std::pair<std::string, int>> take_failure(const std::string& prefix, bool keep) {
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

}  // namespace output_detail

namespace {

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

std::string checked_gdal_path(const std::string& path) {
    install_checked_file_system();
    return vsi_prefix + path;
}

}  // namespace zk
