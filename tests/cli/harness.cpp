#include "harness.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace fs = std::filesystem;

namespace zk::test {

namespace {
std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}
}  // namespace

ScopedEnv::ScopedEnv(const char* name, const std::string& value) : m_name(name) { ::setenv(name, value.c_str(), 1); }
ScopedEnv::~ScopedEnv() { ::unsetenv(m_name); }

RunResult run_zonekit(const std::vector<std::string>& args, const fs::path& cwd) {
    TempDir io;
    std::string cmd;
    if (!cwd.empty()) cmd += "cd " + shell_quote(cwd.string()) + " && ";
    cmd += shell_quote(ZK_BINARY);
    for (const auto& a : args) cmd += " " + shell_quote(a);
    cmd += " >" + shell_quote(io / "out") + " 2>" + shell_quote(io / "err") + " </dev/null";
    const int status = std::system(cmd.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(io / "out");
    r.err = read_file(io / "err");
    return r;
}

pid_t spawn_zonekit(const std::vector<std::string>& args, const fs::path& cwd, const std::string& out_path,
                    const std::string& err_path) {
    // posix_spawn has no portable "change directory" action in glibc 2.36's API; use a shell for the cd and
    // exec zonekit from it (exec keeps the pid, so the pid returned is zonekit's).
    std::string cmd = "cd " + shell_quote(cwd.empty() ? "." : cwd.string()) + " && exec " + shell_quote(ZK_BINARY);
    for (const auto& a : args) cmd += " " + shell_quote(a);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const char* argv[] = {"/bin/sh", "-c", cmd.c_str(), nullptr};
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start zonekit: " + std::string(std::strerror(rc)));
    return pid;
}

int wait_zonekit(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw std::runtime_error("waitpid failed");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace zk::test
