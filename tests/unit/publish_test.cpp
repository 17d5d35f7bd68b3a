// publish(): the output folder is replaced as a whole or not at all.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/wait.h>

#include "subsim/core/error.hpp"
#include "subsim/report/output_folder.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Every file below `dir` (relative path → content), to compare folders byte for byte.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        const std::string rel = fs::relative(e.path(), dir).string();
        files[rel] = e.is_regular_file() ? read_text(e.path()) : std::string("<dir>");
    }
    return files;
}

/// What write_reports() leaves in a folder besides the files: a run.json whose manifest
/// names every file, so that a later publish() recognises the folder as subsim's, and
/// (if `kind` is given) the command that wrote it.
void write_manifest(const fs::path& dir, const std::vector<std::string>& files, const std::string& kind = "") {
    std::string list;
    for (const auto& f : files) list += (list.empty() ? "\"" : ", \"") + f + "\"";
    write_text(dir / "run.json", "{\"manifest\": {\"program\": \"subsim\", \"files\": [" + list + "]}" +
                                     (kind.empty() ? "" : ", \"kind\": \"" + kind + "\"") + "}\n");
}

/// A writer that writes `name` = `content` and its manifest.
auto writes(std::string name, std::string content) {
    return [name, content](const fs::path& dir) {
        write_text(dir / name, content);
        write_manifest(dir, {name, "run.json"});
    };
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

class PublishTest : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() /
               ("subsim-publish-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
        fs::create_directories(root);
        out = root / "report";
    }
    void TearDown() override { fs::remove_all(root); }

    fs::path root;
    fs::path out;
};

TEST_F(PublishTest, CreatesTheFolderWhenAbsent) {
    publish(out, [](const fs::path& dir) { write_text(dir / "a.csv", "x\n1\n"); });
    EXPECT_EQ(read_text(out / "a.csv"), "x\n1\n");
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"}) << "no temporary folder left behind";
}

TEST_F(PublishTest, CreatesMissingParentFolders) {
    const fs::path nested = root / "a" / "b" / "report";
    publish(nested, [](const fs::path& dir) { write_text(dir / "run.json", "{}\n"); });
    EXPECT_EQ(read_text(nested / "run.json"), "{}\n");
}

TEST_F(PublishTest, ReplacesTheFolderAsAWhole) {
    fs::create_directories(out / "sub");
    write_text(out / "old.csv", "old\n");
    write_text(out / "sub" / "deep.txt", "deep\n");
    write_text(out / "keep.csv", "previous\n");
    write_manifest(out, {"old.csv", "sub/deep.txt", "keep.csv", "run.json"});

    publish(out, writes("keep.csv", "new\n"));

    EXPECT_EQ(snapshot(out).size(), 2u);
    EXPECT_EQ(read_text(out / "keep.csv"), "new\n");
    EXPECT_FALSE(fs::exists(out / "old.csv"));
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"});
}

TEST_F(PublishTest, WriterSeesAHiddenSiblingFolderHoldingOnlyTheMarker) {
    write_text(root / "unrelated.txt", "u");
    fs::path seen;
    publish(out, [&](const fs::path& dir) {
        seen = dir;
        EXPECT_EQ(names_in(dir), std::vector<std::string>{std::string(kWritingMarker)});
    });
    EXPECT_EQ(seen.parent_path(), out.parent_path());
    EXPECT_EQ(seen.filename().string().rfind(".report.tmp-", 0), 0u) << seen;
    EXPECT_FALSE(fs::exists(seen));
}

TEST_F(PublishTest, AThrowingWriterLeavesThePreviousFolderByteIdentical) {
    fs::create_directories(out / "sub");
    write_text(out / "budget_lines.csv", "year,cost_vnd\n2026,84869700\n");
    write_text(out / "sub" / "note.md", "# Ghi chú\n");
    write_manifest(out, {"budget_lines.csv", "sub/note.md", "run.json"});
    const auto before = snapshot(out);

    EXPECT_THROW(publish(out,
                         [](const fs::path& dir) {
                             write_text(dir / "budget_lines.csv", "half");
                             throw std::runtime_error("disk full");
                         }),
                 std::runtime_error);

    EXPECT_EQ(snapshot(out), before);
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"}) << "the temporary folder is removed";
}

TEST_F(PublishTest, AThrowingWriterCreatesNothingWhenTheFolderWasAbsent) {
    EXPECT_THROW(publish(out, [](const fs::path&) { throw std::runtime_error("bad"); }), std::runtime_error);
    EXPECT_FALSE(fs::exists(out));
    EXPECT_TRUE(fs::is_empty(root));
}

TEST_F(PublishTest, RemovesStaleTemporaryFoldersOfKilledRuns) {
    // 4,000,000,000 exceeds any Linux pid, so these belong to no running process. A
    // killed run's temporary folder still holds the marker publish() puts in it.
    fs::create_directories(root / ".report.tmp-4000000000-0" / "x");
    write_text(root / ".report.tmp-4000000000-0" / std::string(kWritingMarker), "");
    write_text(root / ".report.tmp-4000000000-0" / "x" / "f", "partial");
    fs::create_directories(root / ".report.old-4000000000-3");
    // Siblings of other folders, and other hidden names, are not ours to remove.
    fs::create_directories(root / ".other.tmp-4000000000-0");
    fs::create_directories(root / ".report.keep");

    publish(out, [](const fs::path& dir) { write_text(dir / "a", "1"); });

    EXPECT_EQ(names_in(root), (std::vector<std::string>{".other.tmp-4000000000-0", ".report.keep", "report"}));
}

TEST_F(PublishTest, LeavesTheUsersFoldersWithLookalikeNamesAlone) {
    // Folders of the user's whose names look like publish()'s hidden ones: no pid, or a
    // pid of no running process but no marker (temporary) or no manifest (set aside).
    const std::vector<std::string> users = {".report.old-4000000000-0", ".report.old-backup",
                                            ".report.tmp-4000000000-1", ".report.tmp-backup"};
    for (const std::string& name : users) {
        fs::create_directories(root / name);
        write_text(root / name / "notes.txt", "mine: " + name);
    }
    // Whether the run fails (before or after the folder is there) or succeeds.
    EXPECT_THROW(publish(out, [](const fs::path&) { throw std::runtime_error("bad input"); }), std::runtime_error);
    EXPECT_FALSE(fs::exists(out)) << "no folder of the user's is put in place of the reports";
    publish(out, writes("a.csv", "1"));
    publish(out, writes("a.csv", "2"));

    std::vector<std::string> expected = users;
    expected.push_back("report");
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(names_in(root), expected);
    for (const std::string& name : users) EXPECT_EQ(read_text(root / name / "notes.txt"), "mine: " + name);
    EXPECT_EQ(read_text(out / "a.csv"), "2");
}

TEST_F(PublishTest, TheMarkerIsNeitherPublishedNorInTheManifest) {
    bool seen = false;
    publish(out, [&](const fs::path& dir) {
        seen = fs::is_regular_file(dir / std::string(kWritingMarker));
        write_text(dir / "a.csv", "1");
        write_manifest(dir, manifest_listing(dir));
    });
    EXPECT_TRUE(seen) << "the folder being written holds the marker";
    EXPECT_FALSE(fs::exists(out / std::string(kWritingMarker)));
    EXPECT_EQ(read_text(out / "run.json"),
              "{\"manifest\": {\"program\": \"subsim\", \"files\": [\"a.csv\", \"run.json\"]}}\n");
}

TEST_F(PublishTest, LeavesTheTemporaryFolderOfARunningProcessAlone) {
    // pid 1 is always running: its folder may be being written right now.
    const fs::path live = root / ".report.tmp-1-0";
    fs::create_directories(live);
    publish(out, [](const fs::path& dir) { write_text(dir / "a", "1"); });
    EXPECT_TRUE(fs::exists(live));
}

TEST_F(PublishTest, AcceptsATrailingSlash) {
    fs::create_directories(out);
    write_text(out / "old", "o");
    write_manifest(out, {"old", "run.json"});
    publish(fs::path(out.string() + "/"), writes("new", "n"));
    EXPECT_EQ(read_text(out / "new"), "n");
    EXPECT_FALSE(fs::exists(out / "old"));
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"});
}

TEST_F(PublishTest, RefusesToReplaceAFileOrTheCurrentFolder) {
    write_text(out, "a file, not a folder");
    EXPECT_THROW(publish(out, [](const fs::path&) {}), ScenarioError);
    EXPECT_EQ(read_text(out), "a file, not a folder");
    EXPECT_THROW(publish(root / ".", [](const fs::path&) {}), std::invalid_argument);
    EXPECT_THROW(publish(root / "..", [](const fs::path&) {}), std::invalid_argument);
    EXPECT_TRUE(fs::exists(root));
}

TEST_F(PublishTest, RepeatedPublishesKeepOnlyTheLatest) {
    for (int i = 0; i < 3; ++i) publish(out, writes("run" + std::to_string(i), std::to_string(i)));
    EXPECT_EQ(names_in(out), (std::vector<std::string>{"run.json", "run2"}));
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"});
}

// ---- what may be replaced (issue: a thesis folder with an unrelated run.json was wiped)

TEST_F(PublishTest, RefusesAFolderWhoseRunJsonIsNotSubsims) {
    fs::create_directories(out / "src");
    write_text(out / "run.json", "{\"name\": \"my thesis build\"}\n");
    write_text(out / "thesis.tex", "\\chapter{One}\n");
    write_text(out / "src" / "main.py", "print(1)\n");
    const auto before = snapshot(out);
    try {
        publish(out, writes("a.csv", "1"));
        FAIL() << "the folder was replaced";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(e.key(), "--out");
        EXPECT_NE(e.message().en.find("no run.json from an earlier subsim run"), std::string::npos) << e.what();
        EXPECT_NE(e.message().vi.find("hãy chỉ định một thư mục mới hoặc trống"), std::string::npos);
    }
    EXPECT_EQ(snapshot(out), before);
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"});
}

TEST_F(PublishTest, RefusesAReportFolderHoldingAFileNoRunWrote) {
    fs::create_directories(out);
    write_text(out / "budget_lines.csv", "x\n");
    write_manifest(out, {"budget_lines.csv", "run.json"});
    write_text(out / "my notes.docx", "mine");  // the user's file, dropped in later
    const auto before = snapshot(out);
    try {
        publish(out, writes("a.csv", "1"));
        FAIL() << "the folder was replaced";
    } catch (const ScenarioError& e) {
        EXPECT_NE(e.message().en.find("\"my notes.docx\", which no earlier subsim run wrote"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(snapshot(out), before);
}

TEST_F(PublishTest, AcceptsAReportFolderOfRelease010) {
    // 0.1.0 wrote no manifest; its folder holds only its eleven known files.
    fs::create_directories(out);
    write_text(out / "run.json", "{\"scenario_id\": \"x\", \"program_version\": \"0.1.0\", \"totals\": []}\n");
    write_text(out / "budget_lines.csv", "x\n");
    write_text(out / "summary.md", "# x\n");
    publish(out, writes("a.csv", "1"));
    EXPECT_EQ(names_in(out), (std::vector<std::string>{"a.csv", "run.json"}));
}

TEST_F(PublishTest, RefusesASymbolicLinkAndLeavesItsTargetAlone) {
    const fs::path real = root / "real";
    fs::create_directories(real);
    write_text(real / "a.csv", "old");
    write_manifest(real, {"a.csv", "run.json"});
    fs::create_directory_symlink(real, out);
    EXPECT_THROW(publish(out, writes("a.csv", "new")), ScenarioError);
    EXPECT_TRUE(fs::is_symlink(fs::symlink_status(out)));
    EXPECT_EQ(read_text(real / "a.csv"), "old");
    EXPECT_THROW(check_output_folder(out, {}, ReportKind::run), ScenarioError);
}

TEST_F(PublishTest, RefusesAFolderHoldingTheRunsInputsOrAboveThem) {
    const fs::path scenario_dir = root / "scenarios" / "demo";
    fs::create_directories(scenario_dir);
    write_text(scenario_dir / "scenario.yaml", "x");
    write_text(scenario_dir / "cohorts.csv", "y");
    const std::vector<fs::path> inputs = {scenario_dir / "scenario.yaml", scenario_dir / "cohorts.csv"};
    for (const fs::path& bad : {scenario_dir, root / "scenarios", root, fs::path(scenario_dir.string() + "/")}) {
        try {
            check_output_folder(bad, inputs, ReportKind::run);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const ScenarioError& e) {
            EXPECT_NE(e.message().en.find("holds an input of this run"), std::string::npos) << e.what();
        }
    }
    // A new folder beside (or below) the scenario is fine.
    EXPECT_NO_THROW(check_output_folder(root / "reports" / "demo", inputs, ReportKind::run));
    EXPECT_NO_THROW(check_output_folder(scenario_dir / "out", inputs, ReportKind::run));
    EXPECT_EQ(read_text(scenario_dir / "cohorts.csv"), "y");
}

// ---- one command does not replace another's reports

/// The message of the ScenarioError `f` throws ("" if none).
template <class F>
std::string refusal(F f) {
    try {
        f();
    } catch (const ScenarioError& e) {
        return e.message().en + "\n" + e.message().vi;
    }
    return "";
}

TEST_F(PublishTest, AnotherCommandsReportFolderIsNotReplaced) {
    // `run` of a scenario whose id is compare-x goes to compare's default reports/compare-x.
    fs::create_directories(out);
    write_text(out / "compare_by_unit.csv", "compare\n");
    write_manifest(out, {"compare_by_unit.csv", "run.json"}, "compare");
    const auto before = snapshot(out);
    // The folder is named first (quoted, and shortened as every quoted text is past 60 characters).
    const std::string message = refusal([&] { publish(out, writes("a.csv", "run")); });
    EXPECT_EQ(message.rfind("\"" + out.string().substr(0, 40), 0), 0u) << message;
    EXPECT_NE(message.find("\" holds the reports of \"subsim compare\", which \"subsim run\" does not replace (each "
                           "command keeps its own report folder): name another folder with --out\n\""),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("\" chứa báo cáo của lệnh \"subsim compare\"; lệnh \"subsim run\" không thay thế báo cáo của "
                           "lệnh khác (mỗi lệnh giữ thư mục báo cáo riêng): hãy chọn thư mục khác bằng --out"),
              std::string::npos)
        << message;
    EXPECT_NE(refusal([&] { check_output_folder(out, {}, ReportKind::solve); }).find("which \"subsim solve\" does not"),
              std::string::npos);
    EXPECT_EQ(snapshot(out), before);
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"}) << "no temporary folder left";
    // The command that wrote it replaces it as before.
    EXPECT_NO_THROW(check_output_folder(out, {}, ReportKind::compare));
    PublishOptions compare;
    compare.kind = ReportKind::compare;
    publish(out, writes("compare_by_unit.csv", "again\n"), compare);
    EXPECT_EQ(read_text(out / "compare_by_unit.csv"), "again\n");
}

TEST_F(PublishTest, AReportFolderWithoutAKindIsARunsFolder) {
    // Runs before run.json said "kind", and release 0.1.0, wrote only `run` reports.
    fs::create_directories(out);
    write_text(out / "a.csv", "old");
    write_manifest(out, {"a.csv", "run.json"});
    EXPECT_NE(refusal([&] { check_output_folder(out, {}, ReportKind::compare); }).find("holds the reports of \"subsim run\""),
              std::string::npos);
    EXPECT_NO_THROW(check_output_folder(out, {}, ReportKind::run));
    fs::remove_all(out);
    fs::create_directories(out);
    write_text(out / "run.json", "{\"scenario_id\": \"x\", \"program_version\": \"0.1.0\", \"totals\": []}\n");
    EXPECT_NE(refusal([&] { check_output_folder(out, {}, ReportKind::sensitivity); }).find("\"subsim run\""), std::string::npos);
    EXPECT_NO_THROW(check_output_folder(out, {}, ReportKind::run));
    // A "kind" that is not text is no manifest of ours: not subsim's folder at all.
    write_text(out / "run.json", "{\"manifest\": {\"program\": \"subsim\", \"files\": [\"run.json\"]}, \"kind\": 3}\n");
    EXPECT_NE(refusal([&] { check_output_folder(out, {}, ReportKind::run); }).find("no run.json from an earlier subsim run"),
              std::string::npos);
}

TEST_F(PublishTest, AFolderThatBecameAnotherCommandsWhileWritingIsNotReplaced) {
    // Checked again just before the swap: a compare that finished meanwhile keeps its folder.
    publish(out, writes("a.csv", "run"));
    const std::string message = refusal([&] {
        publish(out, [&](const fs::path& dir) {
            fs::remove(out / "a.csv");
            write_text(out / "compare_by_unit.csv", "compare\n");
            write_manifest(out, {"compare_by_unit.csv", "run.json"}, "compare");
            writes("a.csv", "new run")(dir);
        });
    });
    EXPECT_NE(message.find("holds the reports of \"subsim compare\""), std::string::npos) << message;
    EXPECT_EQ(names_in(out), (std::vector<std::string>{"compare_by_unit.csv", "run.json"}));
    EXPECT_EQ(read_text(out / "compare_by_unit.csv"), "compare\n");
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"}) << "the new reports were discarded";
}

TEST_F(PublishTest, LeftoversOfAnyCommandAreCleanedAway) {
    // A killed compare's temporary folder beside a run's reports: subsim's, removed.
    publish(out, writes("a.csv", "run"));
    const fs::path leftover = root / ".report.tmp-999999999-0";
    fs::create_directories(leftover);
    write_text(leftover / "compare_by_unit.csv", "x");
    write_manifest(leftover, {"compare_by_unit.csv", "run.json"}, "compare");
    publish(out, writes("a.csv", "run again"));
    EXPECT_EQ(read_text(out / "a.csv"), "run again");
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"});
}

// ---- the fallback for file systems without RENAME_EXCHANGE

TEST_F(PublishTest, FallbackReplacesTheFolderToo) {
    publish(out, writes("a.csv", "first"));
    publish(out, writes("a.csv", "second"), PublishOptions{false, {}});
    EXPECT_EQ(read_text(out / "a.csv"), "second");
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"});
}

TEST_F(PublishTest, AKillBetweenTheFallbacksRenamesIsRepairedByTheNextRun) {
    publish(out, writes("a.csv", "old reports"));
    // A child process takes the fallback and dies between its two renames: the old
    // reports then live only in .report.old-<pid>-<n>.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        try {
            publish(out, writes("a.csv", "new reports"), PublishOptions{false, [] { ::_exit(0); }});
        } catch (...) {
        }
        ::_exit(3);  // not reached when the hook ran
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the hook did not run";
    ASSERT_FALSE(fs::exists(out)) << "the kill left the target missing, as on NFS";
    bool aside = false;
    for (const auto& name : names_in(root)) aside = aside || name.rfind(".report.old-", 0) == 0;
    ASSERT_TRUE(aside);

    // The next run puts the old reports back before anything else, even if it fails.
    EXPECT_THROW(publish(out, [](const fs::path&) { throw std::runtime_error("bad input"); }), std::runtime_error);
    EXPECT_EQ(read_text(out / "a.csv"), "old reports");
    // And the one after it replaces them as usual, leaving no hidden folder behind.
    publish(out, writes("a.csv", "newest"));
    EXPECT_EQ(read_text(out / "a.csv"), "newest");
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"});
}

TEST_F(PublishTest, RecoverPutsBackTheNewestFolderLeftAside) {
    fs::create_directories(root / ".report.old-4000000000-1");
    write_text(root / ".report.old-4000000000-1" / "a.csv", "left aside");
    EXPECT_FALSE(recover_output_folder(out)) << "without a manifest it is not a report folder subsim wrote";
    EXPECT_FALSE(fs::exists(out));
    write_manifest(root / ".report.old-4000000000-1", {"a.csv", "run.json"});
    EXPECT_TRUE(recover_output_folder(out));
    EXPECT_EQ(read_text(out / "a.csv"), "left aside");
    EXPECT_FALSE(recover_output_folder(out)) << "nothing to do when the folder is there";
}

}  // namespace
}  // namespace subsim
