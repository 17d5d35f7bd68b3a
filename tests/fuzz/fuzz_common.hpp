#pragma once
/// Shared by the libFuzzer harnesses: which failures are expected on hostile input,
/// and a private scratch folder per fuzzing process.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include "subsim/core/error.hpp"
#include "subsim/core/money.hpp"

namespace subsim::fuzz {

/// A finding: print it where libFuzzer's log shows it, then crash so the input is kept.
[[noreturn]] inline void finding(std::string_view what) {
    std::fprintf(stderr, "\n==subsim-fuzz== FINDING: %.*s\n", static_cast<int>(what.size()), what.data());
    std::fflush(stderr);
    std::abort();
}

/// Runs `body`. Bad input must be answered with ScenarioError (carrying a message) or,
/// for amounts beyond int64, ArithmeticOverflow; any other exception is a finding.
/// (Crashes, sanitizer reports and hangs are caught by libFuzzer itself.)
template <class Body>
void expect_clean(Body&& body) {
    try {
        body();
    } catch (const ScenarioError& e) {
        if (std::string_view(e.what()).empty()) finding("ScenarioError with an empty message");
    } catch (const ArithmeticOverflow&) {
        // Expected: amounts that leave int64 are refused, not wrapped.
    } catch (const std::exception& e) {
        finding(std::string("unexpected exception: ") + e.what());
    } catch (...) {
        finding("unexpected non-std exception");
    }
}

/// A fresh folder under the system temp folder, removed when the process exits normally.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& prefix) {
        std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (::mkdtemp(pattern.data()) == nullptr) finding("cannot create a scratch folder");
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// Writes `content` to `path` exactly (binary), or reports a finding.
inline void write_file(const std::filesystem::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) finding("cannot write " + path.string());
}

}  // namespace subsim::fuzz
