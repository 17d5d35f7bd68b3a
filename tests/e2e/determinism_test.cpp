/// Same inputs, same outputs: every scenario under scenarios/ (found when the test
/// runs) is run twice by the real binary, from two different working folders, with
/// SOURCE_DATE_EPOCH unset; every report must be byte-identical, except that run.json
/// may differ in exactly one value, `generated_at` (the wall-clock timestamp).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "../crash/process.hpp"

namespace {

namespace fs = std::filesystem;
using subsim::testing::describe_status;
using subsim::testing::read_bytes;
using subsim::testing::read_tree;
using subsim::testing::spawn;
using subsim::testing::SpawnOptions;
using subsim::testing::TempDir;
using subsim::testing::wait_for;

constexpr const char* kTimestampKey = "\"generated_at\"";

std::vector<fs::path> all_scenarios() {
    std::vector<fs::path> found;
    for (const fs::directory_entry& e : fs::directory_iterator(fs::path(SUBSIM_SOURCE_DIR) / "scenarios")) {
        const fs::path yaml = e.path() / "scenario.yaml";
        if (e.is_directory() && fs::is_regular_file(yaml)) found.push_back(yaml);
    }
    std::sort(found.begin(), found.end());
    return found;
}

/// run.json with the string value of its one "generated_at" key replaced by "".
/// Fails the test if the key is missing, repeated, or not followed by a JSON string.
std::string blank_timestamp(const std::string& json) {
    const std::size_t key = json.find(kTimestampKey);
    EXPECT_NE(key, std::string::npos) << "run.json has no generated_at";
    if (key == std::string::npos) return json;
    EXPECT_EQ(json.find(kTimestampKey, key + 1), std::string::npos) << "generated_at appears twice";
    const std::size_t colon = json.find_first_not_of(" \t", key + std::string(kTimestampKey).size());
    const std::size_t open = colon == std::string::npos ? colon : json.find_first_not_of(" \t", colon + 1);
    const bool well_formed = colon != std::string::npos && json[colon] == ':' && open != std::string::npos &&
                             json[open] == '"';
    EXPECT_TRUE(well_formed) << "generated_at is not followed by a string";
    if (!well_formed) return json;
    const std::size_t close = json.find('"', open + 1);  // an ISO timestamp holds no quote or backslash
    EXPECT_NE(close, std::string::npos);
    if (close == std::string::npos) return json;
    return json.substr(0, open + 1) + json.substr(close);
}

/// Runs the scenario into `out` with `working_dir` as the working folder.
void run_into(const fs::path& scenario, const fs::path& out, const fs::path& working_dir) {
    SpawnOptions o;
    o.env = subsim::testing::environment("SOURCE_DATE_EPOCH");
    o.working_dir = working_dir;
    o.stderr_file = out.parent_path() / (out.filename().string() + ".stderr");
    const int status = wait_for(spawn({SUBSIM_BINARY, "run", scenario.string(), "--out", out.string()}, o));
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << scenario << ": " << describe_status(status) << "\n" << read_bytes(o.stderr_file);
}

TEST(Determinism, TwoRunsOfEveryScenarioWriteIdenticalReports) {
    const std::vector<fs::path> scenarios = all_scenarios();
    ASSERT_FALSE(scenarios.empty()) << "no scenarios/*/scenario.yaml found";
    TempDir tmp("subsim-determinism-test");
    fs::create_directory(tmp.path() / "elsewhere");

    for (const fs::path& scenario : scenarios) {
        SCOPED_TRACE(scenario.string());
        const std::string name = scenario.parent_path().filename().string();
        const fs::path first = tmp.path() / (name + "-1");
        const fs::path second = tmp.path() / (name + "-2");
        ASSERT_NO_FATAL_FAILURE(run_into(scenario, first, SUBSIM_SOURCE_DIR));
        ASSERT_NO_FATAL_FAILURE(run_into(scenario, second, tmp.path() / "elsewhere"));

        std::map<std::string, std::string> a = read_tree(first);
        std::map<std::string, std::string> b = read_tree(second);
        ASSERT_TRUE(a.contains("run.json") && b.contains("run.json"));
        a["run.json"] = blank_timestamp(a["run.json"]);
        b["run.json"] = blank_timestamp(b["run.json"]);

        std::vector<std::string> names_a, names_b;
        for (const auto& entry : a) names_a.push_back(entry.first);
        for (const auto& entry : b) names_b.push_back(entry.first);
        ASSERT_EQ(names_a, names_b) << "the two runs wrote different files";
        for (const auto& [file, bytes] : a) {
            const std::string& other = b[file];
            const auto diverge = std::mismatch(bytes.begin(), bytes.end(), other.begin(), other.end());
            EXPECT_TRUE(bytes == other) << file << " differs at byte " << (diverge.first - bytes.begin());
        }
    }
}

}  // namespace
