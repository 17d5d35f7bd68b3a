#pragma once
/// Starting the real `subsim` binary from a test: posix_spawn (safe in a threaded
/// test process), output to files or /dev/null, environment and working folder chosen
/// by the caller. Shared by the kill test and the determinism test.
#include <fcntl.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace subsim::testing {

/// The current environment without `drop` (a variable name), plus `extra` ("NAME=value").
inline std::vector<std::string> environment(std::string_view drop, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string_view entry(*e);
        if (entry.substr(0, entry.find('=')) == drop) continue;
        env.emplace_back(entry);
    }
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

struct SpawnOptions {
    std::vector<std::string> env;          ///< the child's whole environment
    std::filesystem::path working_dir;     ///< empty: the test's own
    std::filesystem::path stdout_file;     ///< empty: /dev/null
    std::filesystem::path stderr_file;     ///< empty: /dev/null
};

/// Starts `argv[0]` with `argv`; throws std::runtime_error if it cannot be started.
inline pid_t spawn(const std::vector<std::string>& argv, const SpawnOptions& o) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (const std::string& e : o.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string out = o.stdout_file.empty() ? "/dev/null" : o.stdout_file.string();
    const std::string err = o.stderr_file.empty() ? "/dev/null" : o.stderr_file.string();
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const std::string dir = o.working_dir.string();
    if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    return pid;
}

/// Waits for `pid`; returns its raw wait status.
inline int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    }
    return status;
}

/// "exit status N" / "killed by signal N", for messages.
inline std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "wait status " + std::to_string(status);
}

inline std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

/// Every regular file under `dir` (recursively), by path relative to `dir`, with its
/// bytes; anything that is neither a file nor a folder is recorded as "<special>".
inline std::map<std::string, std::string> read_tree(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::map<std::string, std::string> files;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
        const std::string name = fs::relative(e.path(), dir).generic_string();
        if (e.is_symlink() || (!e.is_regular_file() && !e.is_directory())) files[name] = "<special>";
        else if (e.is_regular_file()) files[name] = read_bytes(e.path());
    }
    return files;
}

/// A fresh folder under the system temp folder, removed with its content at scope end.
class TempDir {
public:
    explicit TempDir(const std::string& prefix) {
        std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace subsim::testing
