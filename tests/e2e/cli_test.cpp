// The real `subsim` binary, run through the shell: exit statuses, messages, and the
// report folder it writes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = SUBSIM_SOURCE_DIR;
const fs::path kAnGiang = kSourceDir / "scenarios/an-giang-2016-2020/scenario.yaml";
// 2026-01-01T00:00:00Z: 2025-01-01 is 1,735,689,600 s; + 365 days × 86,400 s = 1,767,225,600.
constexpr const char* kEpoch = "1767225600";

const std::vector<std::string> kReportFiles = {
    "budget_by_quarter.csv", "budget_by_rule.csv", "budget_by_unit.csv", "budget_by_year_payer.csv",
    "budget_lines.csv",      "cohort_costs.csv",   "commune_bills.csv",  "coverage.csv",
    "overlaps.csv",          "provenance.csv",     "report.html",        "report.xlsx",
    "run.json",              "summary.md",
};

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_text(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

struct RunResult {
    int status = -1;
    std::string out;
    std::string err;
};

class CliTest : public ::testing::Test {
protected:
    void SetUp() override {
        tmp = fs::temp_directory_path() / ("subsim-cli-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(tmp);
        fs::create_directories(tmp / "cwd");
    }
    void TearDown() override { fs::remove_all(tmp); }

    /// Runs the binary with `args` (already shell-quoted) in `tmp/cwd`.
    RunResult subsim(const std::string& args, const std::string& env = std::string("SOURCE_DATE_EPOCH=") + kEpoch) {
        const fs::path out = tmp / "stdout", err = tmp / "stderr";
        const std::string command = "cd " + quote((tmp / "cwd").string()) + " && " + env + " " +
                                    quote(SUBSIM_BINARY) + " " + args + " >" + quote(out.string()) + " 2>" +
                                    quote(err.string());
        const int raw = std::system(command.c_str());
        RunResult r;
        r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
        r.out = read_text(out);
        r.err = read_text(err);
        return r;
    }

    fs::path tmp;
};

std::map<std::string, std::string> folder_contents(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::directory_iterator(dir)) files[e.path().filename().string()] = read_text(e.path());
    return files;
}

// ---- help, version, usage ---------------------------------------------------------

TEST_F(CliTest, HelpPrintsUsageAndSucceeds) {
    const RunResult r = subsim("--help");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("subsim run [SCENARIO] [--out DIR] [--lang vi|en] [--root DIR]"), std::string::npos);
    EXPECT_NE(r.out.find("subsim validate SCENARIO [--root DIR]"), std::string::npos);
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(subsim("run --help").status, 0);
}

TEST_F(CliTest, VersionPrintsProgramVersion) {
    const RunResult r = subsim("--version");
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(std::regex_match(r.out, std::regex("subsim [0-9]+\\.[0-9]+\\.[0-9]+\n"))) << r.out;
}

TEST_F(CliTest, BadUsageExitsTwoWithUsage) {
    const std::vector<std::string> bad = {
        "",                                // no command
        "frobnicate",                      // unknown command
        "run --lang fr",                   // unknown language
        "run --out",                       // option without its value
        "run --bogus",                     // unknown option
        "run a.yaml b.yaml",               // two scenarios
        "run --out . " + quote(kAnGiang.string()),  // would replace the working folder
        "run --out x --out y",             // option twice
        "validate",                        // validate needs a scenario
        "validate --out x " + quote(kAnGiang.string()),  // run-only option
        "--version extra",
    };
    for (const std::string& args : bad) {
        const RunResult r = subsim(args);
        EXPECT_EQ(r.status, 2) << args;
        EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << args << "\n" << r.err;
        EXPECT_NE(r.err.find("Usage:"), std::string::npos) << args;
        EXPECT_EQ(r.out, "") << args;
    }
    EXPECT_TRUE(fs::is_empty(tmp / "cwd")) << "nothing written";
}

TEST_F(CliTest, MissingScenarioFileIsAnInputError) {
    const RunResult r = subsim("validate no-such-scenario.yaml");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("no-such-scenario.yaml"), std::string::npos) << r.err;
}

TEST_F(CliTest, InvalidScenarioWritesNothingAndLeavesOldReports) {
    const fs::path dir = tmp / "scenarios" / "broken";
    fs::create_directories(dir);
    write_text(dir / "scenario.yaml", "scenario:\n  id: broken\n  years: {from: 2026, to: 2026}\n  bogus_key: 1\n");
    const fs::path out = tmp / "out";
    fs::create_directories(out);
    write_text(out / "summary.md", "previous run\n");

    const RunResult r = subsim("run " + quote((dir / "scenario.yaml").string()) + " --out " + quote(out.string()));
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("scenario.yaml:"), std::string::npos) << r.err;
    EXPECT_EQ(folder_contents(out), (std::map<std::string, std::string>{{"summary.md", "previous run\n"}}));
    EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, BadSourceDateEpochIsRefused) {
    if (!fs::exists(kAnGiang)) GTEST_SKIP() << "An Giang scenario not present";
    const RunResult r = subsim("run " + quote(kAnGiang.string()) + " --out out", "SOURCE_DATE_EPOCH=yesterday");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("SOURCE_DATE_EPOCH"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(tmp / "cwd" / "out"));
}

TEST_F(CliTest, UnwritableOutputIsReportedWithExitOne) {
    if (!fs::exists(kAnGiang)) GTEST_SKIP() << "An Giang scenario not present";
    write_text(tmp / "cwd" / "plain-file", "not a folder");
    const RunResult r = subsim("run " + quote(kAnGiang.string()) + " --out plain-file/reports");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err.rfind("error: cannot write reports to plain-file/reports: ", 0), 0u) << r.err;
    EXPECT_EQ(read_text(tmp / "cwd" / "plain-file"), "not a folder");
}

// ---- validate and run on a real scenario -----------------------------------------

TEST_F(CliTest, ValidatePrintsOk) {
    if (!fs::exists(kAnGiang)) GTEST_SKIP() << "An Giang scenario not present";
    const RunResult r = subsim("validate " + quote(kAnGiang.string()));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(std::regex_match(r.out, std::regex("OK: an-giang-2016-2020 \\([0-9]+ units, [0-9]+ groups, [0-9]+ rules\\)\n")))
        << r.out;
    EXPECT_TRUE(fs::is_empty(tmp / "cwd")) << "validate writes nothing";
}

TEST_F(CliTest, RunWritesEveryReportReproducibly) {
    if (!fs::exists(kAnGiang)) GTEST_SKIP() << "An Giang scenario not present";
    const fs::path out = tmp / "out";
    const RunResult first = subsim("run " + quote(kAnGiang.string()) + " --out " + quote(out.string()));
    ASSERT_EQ(first.status, 0) << first.err;
    EXPECT_EQ(first.out, "Đã ghi báo cáo vào " + out.string() + "\n");

    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(out)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, kReportFiles);

    const std::string run_json = read_text(out / "run.json");
    EXPECT_NE(run_json.find("\"scenario_id\": \"an-giang-2016-2020\""), std::string::npos);
    EXPECT_NE(run_json.find("\"generated_at\": \"2026-01-01T00:00:00Z\""), std::string::npos) << run_json;
    EXPECT_EQ(read_text(out / "budget_lines.csv")
                  .rfind("year,unit_code,unit_name,group,group_label,rule,rule_label,payer,payer_label,"
                         "enrolled_persons,person_months,cost_vnd\n",
                         0),
              0u);
    EXPECT_NE(read_text(out / "summary.md").find(" đ |"), std::string::npos) << "Vietnamese money by default";

    // Same inputs, same bytes; a stray file in the old folder is gone after the swap.
    const auto before = folder_contents(out);
    write_text(out / "stray.txt", "x");
    const RunResult second = subsim("run " + quote(kAnGiang.string()) + " --out " + quote(out.string()));
    ASSERT_EQ(second.status, 0) << second.err;
    EXPECT_EQ(folder_contents(out), before);
    std::vector<std::string> siblings;
    for (const auto& e : fs::directory_iterator(tmp)) siblings.push_back(e.path().filename().string());
    std::sort(siblings.begin(), siblings.end());
    EXPECT_EQ(siblings, (std::vector<std::string>{"cwd", "out", "stderr", "stdout"})) << "no temporary folder left";
}

TEST_F(CliTest, RefusesToReplaceAFolderThatIsNotAReportFolder) {
    if (!fs::exists(kAnGiang)) GTEST_SKIP() << "An Giang scenario not present";
    const fs::path documents = tmp / "documents";
    fs::create_directories(documents);
    write_text(documents / "letter.txt", "keep me");
    const RunResult r = subsim("run " + quote(kAnGiang.string()) + " --out " + quote(documents.string()));
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("no run.json"), std::string::npos) << r.err;
    EXPECT_EQ(read_text(documents / "letter.txt"), "keep me");
    // An empty folder is fine to fill.
    const fs::path empty = tmp / "empty";
    fs::create_directories(empty);
    EXPECT_EQ(subsim("run " + quote(kAnGiang.string()) + " --out " + quote(empty.string())).status, 0);
    EXPECT_TRUE(fs::exists(empty / "run.json"));
}

TEST_F(CliTest, RunInEnglishUsesEnglishMessagesAndNumbers) {
    if (!fs::exists(kAnGiang)) GTEST_SKIP() << "An Giang scenario not present";
    const RunResult r = subsim("run " + quote(kAnGiang.string()) + " --lang en --out=en");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "Reports written to en\n");
    const std::string summary = read_text(tmp / "cwd" / "en" / "summary.md");
    EXPECT_NE(summary.find(" VND |"), std::string::npos) << summary;
    EXPECT_EQ(summary.find(" đ |"), std::string::npos) << summary;
}

TEST_F(CliTest, RunWithoutOutWritesUnderReportsByScenarioId) {
    if (!fs::exists(kAnGiang)) GTEST_SKIP() << "An Giang scenario not present";
    const RunResult r = subsim("run " + quote(kAnGiang.string()));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "Đã ghi báo cáo vào reports/an-giang-2016-2020\n");
    EXPECT_TRUE(fs::exists(tmp / "cwd" / "reports" / "an-giang-2016-2020" / "run.json"));
}

TEST_F(CliTest, RunWithoutScenarioUsesTheDefault) {
    const bool have_default = fs::exists(kSourceDir / "scenarios/ninh-binh-2026/scenario.yaml") || fs::exists(kAnGiang);
    if (!have_default) GTEST_SKIP() << "no default scenario present";
    const RunResult r = subsim("run --out def");
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string run_json = read_text(tmp / "cwd" / "def" / "run.json");
    const std::string expected_id = fs::exists(kSourceDir / "scenarios/ninh-binh-2026/scenario.yaml")
                                        ? "ninh-binh-2026"
                                        : "an-giang-2016-2020";
    EXPECT_NE(run_json.find("\"scenario_id\": \"" + expected_id + "\""), std::string::npos) << run_json;
}

}  // namespace
