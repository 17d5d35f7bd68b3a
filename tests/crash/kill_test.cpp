/// Crash safety of `subsim run`: a run killed with SIGKILL at any moment leaves the
/// output folder either as it was or fully replaced — never missing, never half
/// written — and leaves nothing visible beside it; the next completed run removes the
/// hidden temporary folders killed runs left behind (reports.hpp, publish()).
///
/// Method: one complete run records every report's bytes (SOURCE_DATE_EPOCH fixed, so a
/// complete run always writes the same bytes); then the same run is started again and
/// again and SIGKILLed after a delay drawn from a seeded std::mt19937 (reproducible),
/// spread from 0 to a little past the measured length of one run, with a share of tiny
/// delays that hit start-up. After every kill the folder must hold exactly the recorded
/// files and bytes. The measured length only spreads the delays; nothing asserts on time.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"

namespace {

namespace fs = std::filesystem;
using subsim::testing::describe_status;
using subsim::testing::read_tree;
using subsim::testing::spawn;
using subsim::testing::SpawnOptions;
using subsim::testing::TempDir;
using subsim::testing::wait_for;

constexpr int kTotalKills = 60;             ///< at least 50, split over the scenarios
constexpr unsigned kSeed = 20260101;        ///< fixed: the same delays on every run
constexpr double kTinyDelayShare = 0.2;     ///< share of kills within the first 2 ms
constexpr auto kTinyDelayMax = std::chrono::microseconds(2000);
constexpr double kDelaySpreadFactor = 1.1;  ///< delays reach a little past a whole run
constexpr const char* kEpoch = "SOURCE_DATE_EPOCH=1767225600";  // 2026-01-01T00:00:00Z
constexpr const char* kOutName = "out";

/// A hidden temporary or set-aside sibling of `out` left by publish() in a killed run.
bool is_publish_leftover(const std::string& name) {
    const std::string tmp = std::string(".") + kOutName + ".tmp-";
    const std::string old = std::string(".") + kOutName + ".old-";
    return name.rfind(tmp, 0) == 0 || name.rfind(old, 0) == 0;
}

struct Runner {
    fs::path scenario;
    fs::path dir;  ///< holds `out` and nothing else visible

    fs::path out() const { return dir / kOutName; }

    pid_t start() const {
        SpawnOptions o;
        o.env = subsim::testing::environment("SOURCE_DATE_EPOCH", {kEpoch});
        o.stderr_file = dir.parent_path() / (dir.filename().string() + ".stderr");
        return spawn({SUBSIM_BINARY, "run", scenario.string(), "--out", out().string()}, o);
    }

    /// Runs to completion; fails the test (with the run's stderr) unless it succeeds.
    void complete() const {
        const int status = wait_for(start());
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
            << scenario << ": " << describe_status(status) << "\n"
            << subsim::testing::read_bytes(dir.parent_path() / (dir.filename().string() + ".stderr"));
    }

    /// Names in `dir` other than `out`; hidden publish leftovers only if `allow_leftovers`.
    std::vector<std::string> unexpected_entries(bool allow_leftovers) const {
        std::vector<std::string> extra;
        for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
            const std::string name = e.path().filename().string();
            if (name == kOutName) continue;
            if (allow_leftovers && is_publish_leftover(name)) continue;
            extra.push_back(name);
        }
        return extra;
    }
};

/// First difference between two report sets, or "" if identical.
std::string first_difference(const std::map<std::string, std::string>& expected,
                             const std::map<std::string, std::string>& actual) {
    for (const auto& [name, bytes] : expected) {
        const auto it = actual.find(name);
        if (it == actual.end()) return "missing " + name;
        if (it->second != bytes)
            return name + " differs (" + std::to_string(it->second.size()) + " bytes, expected " +
                   std::to_string(bytes.size()) + ")";
    }
    for (const auto& [name, bytes] : actual)
        if (!expected.contains(name)) return "unexpected file " + name;
    return "";
}

std::vector<fs::path> scenarios_under_test() {
    const fs::path source(SUBSIM_SOURCE_DIR);
    std::vector<fs::path> found = {source / "scenarios/an-giang-2016-2020/scenario.yaml"};
    const fs::path ninh_binh = source / "scenarios/ninh-binh-2026/scenario.yaml";
    if (fs::exists(ninh_binh)) found.push_back(ninh_binh);
    return found;
}

TEST(KillTest, SigkillAtAnyMomentLeavesOldOrNewReportsAndNothingElse) {
    const std::vector<fs::path> scenarios = scenarios_under_test();
    ASSERT_TRUE(fs::exists(scenarios.front())) << scenarios.front();
    const int kills_per_scenario = kTotalKills / static_cast<int>(scenarios.size());
    TempDir tmp("subsim-kill-test");
    std::mt19937 random(kSeed);

    for (std::size_t s = 0; s < scenarios.size(); ++s) {
        SCOPED_TRACE(scenarios[s].string());
        const Runner runner{scenarios[s], tmp.path() / ("case" + std::to_string(s))};
        fs::create_directory(runner.dir);

        const auto started = std::chrono::steady_clock::now();
        ASSERT_NO_FATAL_FAILURE(runner.complete());
        const auto run_length = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - started);
        const std::map<std::string, std::string> recorded = read_tree(runner.out());
        ASSERT_TRUE(recorded.contains("run.json") && recorded.contains("budget_lines.csv"))
            << "a complete run must write the report set";

        int interrupted = 0;  // kills that landed before the run ended (reported, not asserted)
        std::uniform_real_distribution<double> share(0.0, 1.0);
        std::uniform_int_distribution<long> tiny(0, kTinyDelayMax.count());
        std::uniform_int_distribution<long> spread(0, static_cast<long>(run_length.count() * kDelaySpreadFactor));
        for (int k = 0; k < kills_per_scenario; ++k) {
            const bool is_tiny = share(random) < kTinyDelayShare;
            const std::chrono::microseconds delay(is_tiny ? tiny(random) : spread(random));
            SCOPED_TRACE("kill " + std::to_string(k) + " after " + std::to_string(delay.count()) + " us");

            const pid_t pid = runner.start();
            std::this_thread::sleep_for(delay);
            ::kill(pid, SIGKILL);  // a run that already ended is a zombie until waited for
            const int status = wait_for(pid);
            ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
                << describe_status(status);
            if (WIFSIGNALED(status)) ++interrupted;

            ASSERT_TRUE(fs::is_directory(runner.out())) << "the report folder is gone";
            const std::string difference = first_difference(recorded, read_tree(runner.out()));
            ASSERT_EQ(difference, "") << "the report folder is not a complete report set";
            const std::vector<std::string> extra = runner.unexpected_entries(/*allow_leftovers=*/true);
            ASSERT_TRUE(extra.empty()) << "visible entry beside the reports: " << extra.front();
        }

        std::cout << "[ info     ] " << scenarios[s].parent_path().filename().string() << ": " << interrupted
                  << " of " << kills_per_scenario << " runs killed before they ended (one run: "
                  << run_length.count() / 1000 << " ms)\n";

        // A completed run cleans up whatever the killed runs left behind.
        ASSERT_NO_FATAL_FAILURE(runner.complete());
        EXPECT_EQ(first_difference(recorded, read_tree(runner.out())), "");
        const std::vector<std::string> leftovers = runner.unexpected_entries(/*allow_leftovers=*/false);
        EXPECT_TRUE(leftovers.empty()) << "left behind after a completed run: " << leftovers.front();
    }
}

}  // namespace
