// The bad-input corpus: every tests/invalid/*.yaml is a scenario with one fault. Its
// first comment lines say what the message must contain:
//   # expect: <text>     (one or more; each must appear in the English message)
//   # expect-vi: <text>  (one or more, required; each must appear in the Vietnamese one)
//   # file: <name>       (optional; the file the message must name, default the YAML)
//   # BUG: <what>        (optional; the engine does not refuse it properly yet: the case
//                         is skipped with this text until the lead engineer fixes it)
// Each case is loaded with --root tests/invalid and validated; it must end in one
// ScenarioError naming the file and a line. The real binary must answer the same
// inputs with exit status 2, the same message on one line of stderr in the language
// asked for, and write nothing.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "subsim/io/scenario_loader.hpp"
#include "subsim/engine.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim {
namespace {
namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(SUBSIM_SOURCE_DIR) / "tests" / "invalid";

struct Case {
    fs::path path;
    std::vector<std::string> expects;     ///< in the English message
    std::vector<std::string> expects_vi;  ///< in the Vietnamese message
    std::string file;  ///< the file name the message must name
    std::string bug;   ///< why the case is skipped, or empty
};

Case read_case(const fs::path& path) {
    Case c{path, {}, {}, path.filename().string()};
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line) && line.rfind('#', 0) == 0) {
        constexpr std::string_view kExpect = "# expect: ";
        constexpr std::string_view kExpectVi = "# expect-vi: ";
        constexpr std::string_view kFile = "# file: ";
        constexpr std::string_view kBug = "# BUG: ";
        if (line.rfind(kExpect, 0) == 0) c.expects.push_back(line.substr(kExpect.size()));
        if (line.rfind(kExpectVi, 0) == 0) c.expects_vi.push_back(line.substr(kExpectVi.size()));
        if (line.rfind(kFile, 0) == 0) c.file = line.substr(kFile.size());
        if (line.rfind(kBug, 0) == 0) c.bug = line.substr(kBug.size());
    }
    return c;
}

std::vector<std::string> case_names() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(kCorpus))
        if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

/// True if `message` holds `file` followed by ":<line>" with a line number from 1.
bool names_file_and_line(const std::string& message, const std::string& file) {
    for (auto at = message.find(file + ":"); at != std::string::npos; at = message.find(file + ":", at + 1)) {
        const std::size_t digit = at + file.size() + 1;
        if (digit < message.size() && message[digit] >= '1' && message[digit] <= '9') return true;
    }
    return false;
}

/// The English and Vietnamese message of the ScenarioError a case ends in ("" if none).
struct Refusal {
    std::string en, vi;
};

Refusal refusal_of(const Case& c) {
    try {
        const Scenario s = engine::load(c.path.string(), LoadOptions{kCorpus.string()});
        engine::validate(s, Executor::serial());
    } catch (const ScenarioError& e) {
        return {e.what(), e.to_string(Lang::vi)};
    }
    return {};
}

class InvalidCase : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidCase, IsRefusedWithAClearMessage) {
    const Case c = read_case(kCorpus / (GetParam() + ".yaml"));
    ASSERT_FALSE(c.expects.empty()) << c.path << " has no '# expect:' line";
    ASSERT_FALSE(c.expects_vi.empty()) << c.path << " has no '# expect-vi:' line (the corpus is bilingual)";
    if (!c.bug.empty()) GTEST_SKIP() << "BUG: " << c.bug;
    Refusal r;
    try {
        r = refusal_of(c);
    } catch (const std::exception& e) {
        FAIL() << "not a ScenarioError: " << e.what();
    }
    ASSERT_FALSE(r.en.empty()) << c.path << " was accepted";
    EXPECT_TRUE(names_file_and_line(r.en, c.file)) << "no " << c.file << ":<line> in: " << r.en;
    EXPECT_TRUE(names_file_and_line(r.vi, c.file)) << "no " << c.file << ":<line> in: " << r.vi;
    // One line: a control character in the input is shown, never obeyed.
    EXPECT_EQ(r.en.find('\n'), std::string::npos) << r.en;
    EXPECT_EQ(r.vi.find('\n'), std::string::npos) << r.vi;
    for (const auto& expect : c.expects)
        EXPECT_NE(r.en.find(expect), std::string::npos) << "expected \"" << expect << "\" in: " << r.en;
    for (const auto& expect : c.expects_vi)
        EXPECT_NE(r.vi.find(expect), std::string::npos) << "expected \"" << expect << "\" in: " << r.vi;
}

INSTANTIATE_TEST_SUITE_P(Corpus, InvalidCase, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// Every case is the base scenario with one fault: the base itself must be valid, or
// a case could fail for a reason other than its own.
TEST(InvalidCorpus, BaseScenarioIsValid) {
    const fs::path base = kCorpus / "data" / "base" / "scenario.yaml";
    const Scenario s = load_scenario(base.string(), LoadOptions{kCorpus.string()});
    EXPECT_EQ(s.rules.size(), 3u);
    EXPECT_NO_THROW(engine::validate(s, Executor::serial()));
}

// The same for the merger cases' base: a valid scenario across a change of units.
TEST(InvalidCorpus, MergerBaseScenarioIsValid) {
    const fs::path base = kCorpus / "data" / "merger" / "scenario.yaml";
    const Scenario s = load_scenario(base.string(), LoadOptions{kCorpus.string()});
    ASSERT_EQ(s.data->crosswalks.size(), 1u);
    EXPECT_TRUE(s.data->crosswalks.front().carry != nullptr);
    EXPECT_NO_THROW(engine::validate(s, Executor::serial()));
}

TEST(InvalidCorpus, HasTheRequiredCases) {
    const auto names = case_names();
    for (const char* required :
         {"malformed_yaml", "unknown_key", "missing_required_key", "wrong_type_list_for_mapping",
          "date_does_not_exist", "rule_dates_reversed", "share_over_100", "shares_over_100_per_cohort",
          "unknown_group", "unknown_unit", "unknown_payer", "duplicate_unit_code", "duplicate_group_id",
          "duplicate_rule_id", "duplicate_payer_id", "csv_missing_column", "csv_non_numeric_count",
          "csv_negative_count", "csv_duplicate_row", "file_missing", "absolute_path", "path_escapes_root",
          "no_base_salary_in_force", "empty", "csv_empty", "alias_bomb", "deep_nesting", "count_overflow",
          "duplicate_yaml_key", "commune_payer_without_communes", "overlap_larger_than_group",
          "quarters_do_not_cover_year", "target_over_100", "payer_without_rule", "commune_code_suggestion",
          "condition_attribute_typo", "condition_value_unknown", "coverage_over_population", "csv_header_only",
          "cohorts_start_late", "population_start_late", "household_reduction_too_long", "unit_level_order",
          "commune_payer_on_district", "csv_windows1258", "csv_utf16", "yaml_nul_byte", "yaml_not_utf8",
          "csv_semicolon_separated", "csv_tab_separated", "share_comma_decimal", "unit_code_leading_zero",
          "totals_overflow", "overlap_larger_than_projected_group", "csv_row_of_commas",
          "multi_line_cell_in_message", "overlap_time_limited_group", "inflow_group_not_time_limited",
          // Units that change (issue 12).
          "crosswalk_unit_in_neither_division", "crosswalk_weights_not_100", "crosswalk_old_unit_carried_nowhere",
          "crosswalk_new_unit_fed_by_nothing", "input_keyed_on_unit_not_valid",
          "carried_input_keyed_on_old_unit_not_valid", "validity_periods_overlap"})
        EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required;
}

// ---------------------------------------------------------------- the real binary

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

/// Exit status of `subsim args...` (output discarded), or -1 if it did not exit normally.
int run_subsim(const std::vector<std::string>& args) {
    std::string command = shell_quote(SUBSIM_BINARY);
    for (const auto& a : args) command += " " + shell_quote(a);
    command += " >/dev/null 2>&1";
    const int status = std::system(command.c_str());
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Every file under `dir` with its content.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        const std::string rel = fs::relative(entry.path(), dir).generic_string();
        if (entry.is_directory()) {
            files[rel + "/"] = "";
            continue;
        }
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        files[rel] = content.str();
    }
    return files;
}

class InvalidCli : public ::testing::Test {
protected:
    void SetUp() override {
        tmp_ = fs::temp_directory_path() / ("subsim-invalid-cli-" + std::to_string(::getpid()));
        fs::remove_all(tmp_);
        fs::create_directories(tmp_);
    }
    void TearDown() override { fs::remove_all(tmp_); }
    fs::path tmp_;
};

const std::vector<std::string> kCliCases = {"malformed_yaml", "share_over_100", "csv_negative_count",
                                            "alias_bomb", "shares_over_100_per_cohort", "no_base_salary_in_force"};

TEST_F(InvalidCli, ExitsWithStatus2AndCreatesNoOutput) {
    for (const auto& name : kCliCases) {
        const fs::path out = tmp_ / "out";
        EXPECT_EQ(run_subsim({"run", (kCorpus / (name + ".yaml")).string(), "--out", out.string()}), 2) << name;
        EXPECT_FALSE(fs::exists(out)) << name << " created " << out;
    }
}

TEST_F(InvalidCli, LeavesAnExistingOutputFolderUntouched) {
    const fs::path out = tmp_ / "out";
    fs::create_directories(out / "sub");
    std::ofstream(out / "budget_lines.csv") << "year,unit,cost\n2026,13285,105300\n";
    std::ofstream(out / "sub" / "keep.txt") << "an earlier run\n";
    const auto before = snapshot(out);
    for (const auto& name : kCliCases) {
        EXPECT_EQ(run_subsim({"run", (kCorpus / (name + ".yaml")).string(), "--out", out.string()}), 2) << name;
        EXPECT_EQ(snapshot(out), before) << name << " changed " << out;
    }
}

// A single scenario's figures are checked year by year while its reports are written
// (no totals run first), into a hidden folder: a scenario refused there (enrolled above
// the population) leaves the reports of an earlier run as they were, and no hidden folder behind.
TEST_F(InvalidCli, RefusedWhileStreamingLeavesTheEarlierReports) {
    const fs::path out = tmp_ / "out";
    const std::string base = (kCorpus / "data" / "base" / "scenario.yaml").string();
    ASSERT_EQ(run_subsim({"run", base, "--root", kCorpus.string(), "--out", out.string()}), 0);
    const auto before = snapshot(out);
    ASSERT_TRUE(before.count("budget_lines.csv")) << "the earlier run wrote no budget lines";
    const std::string refused = (kCorpus / "coverage_over_population.yaml").string();
    EXPECT_EQ(run_subsim({"run", refused, "--root", kCorpus.string(), "--out", out.string()}), 2);
    EXPECT_EQ(snapshot(out), before);
    std::vector<std::string> left;
    for (const fs::directory_entry& e : fs::directory_iterator(tmp_))
        if (e.path().filename() != "out") left.push_back(e.path().filename().string());
    EXPECT_TRUE(left.empty()) << left.front();
}

// Every case through the real binary: `validate` answers in Vietnamese by default and in
// English with --lang en, each time with exit status 2, nothing on stdout and exactly
// the engine's message as the one line on stderr; `run` writes nothing.
struct Outcome {
    int status = -1;
    std::string out, err;
};

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

/// Runs `subsim args...` with stdout and stderr captured through files in `dir`.
Outcome run_captured(const std::vector<std::string>& args, const fs::path& dir) {
    std::string command = shell_quote(SUBSIM_BINARY);
    for (const auto& a : args) command += " " + shell_quote(a);
    command += " >" + shell_quote((dir / "stdout").string()) + " 2>" + shell_quote((dir / "stderr").string());
    const int status = std::system(command.c_str());
    Outcome o;
    o.status = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    o.out = read_all(dir / "stdout");
    o.err = read_all(dir / "stderr");
    return o;
}

class InvalidCaseCli : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        tmp_ = fs::temp_directory_path() / ("subsim-invalid-case-" + GetParam() + "-" + std::to_string(::getpid()));
        fs::remove_all(tmp_);
        fs::create_directories(tmp_);
    }
    void TearDown() override { fs::remove_all(tmp_); }
    fs::path tmp_;
};

TEST_P(InvalidCaseCli, ExitsWith2AndOneLineInTheLanguageAskedFor) {
    const Case c = read_case(kCorpus / (GetParam() + ".yaml"));
    if (!c.bug.empty()) GTEST_SKIP() << "BUG: " << c.bug;
    const Refusal r = refusal_of(c);
    ASSERT_FALSE(r.en.empty()) << c.path << " was accepted";
    const std::string path = c.path.string(), root = kCorpus.string();

    const Outcome vi = run_captured({"validate", path, "--root", root}, tmp_);
    EXPECT_EQ(vi.status, 2);
    EXPECT_EQ(vi.out, "");
    EXPECT_EQ(vi.err, i18n::tr_in(Lang::vi, "cli.error_prefix") + r.vi + "\n");

    const Outcome en = run_captured({"validate", path, "--root", root, "--lang", "en"}, tmp_);
    EXPECT_EQ(en.status, 2);
    EXPECT_EQ(en.out, "");
    EXPECT_EQ(en.err, i18n::tr_in(Lang::en, "cli.error_prefix") + r.en + "\n");

    const fs::path out = tmp_ / "out";
    const Outcome run = run_captured({"run", path, "--root", root, "--out", out.string(), "--lang", "en"}, tmp_);
    EXPECT_EQ(run.status, 2);
    EXPECT_EQ(run.err, en.err);
    EXPECT_FALSE(fs::exists(out)) << "run created " << out;
}

INSTANTIATE_TEST_SUITE_P(Corpus, InvalidCaseCli, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// Two faults at once: enrolled persons above the population (found by costing) and an
// uncertain share that could push support over 100% (found without costing). `run` of one
// scenario checks the uncertainty entries first and the coverage while it streams;
// `validate` must name the same fault first: the uncertain share, in both languages.
TEST_F(InvalidCli, ValidateAndRunNameTheSameFirstFault) {
    fs::create_directories(tmp_ / "root" / "data");
    for (const char* d : {"base", "coverage_over_population"})
        fs::copy(kCorpus / "data" / d, tmp_ / "root" / "data" / d, fs::copy_options::recursive);
    std::string yaml;
    {
        std::ifstream in(kCorpus / "coverage_over_population.yaml", std::ios::binary);
        yaml.assign(std::istreambuf_iterator<char>(in), {});
    }
    ASSERT_EQ(yaml.find("\nuncertainty:"), std::string::npos);
    yaml += "uncertainty:\n  - {target: rules.near_poor_province.share, dist: uniform, low: 20%, high: 40%, "
            "reference: \"assumption\", confidence: assumption}\n";
    const fs::path scenario = tmp_ / "root" / "two_faults.yaml";
    std::ofstream(scenario, std::ios::binary) << yaml;
    const std::string root = (tmp_ / "root").string();
    for (const char* lang : {"vi", "en"}) {
        const Outcome validate = run_captured({"validate", scenario.string(), "--root", root, "--lang", lang}, tmp_);
        const Outcome run = run_captured(
            {"run", scenario.string(), "--root", root, "--out", (tmp_ / "out").string(), "--lang", lang}, tmp_);
        EXPECT_EQ(validate.status, 2) << lang;
        EXPECT_EQ(run.status, 2) << lang;
        EXPECT_EQ(run.err, validate.err) << lang;
        EXPECT_FALSE(fs::exists(tmp_ / "out")) << lang;
        const std::string expected = std::string(lang) == "en" ? "could push the support of group" : "có thể đẩy mức hỗ trợ của nhóm";
        EXPECT_NE(validate.err.find(expected), std::string::npos) << validate.err;
    }
}

}  // namespace
}  // namespace subsim
