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

    publish(out, [](const fs::path& dir) { write_text(dir / "keep.csv", "new\n"); });

    EXPECT_EQ(snapshot(out), (std::map<std::string, std::string>{{"keep.csv", "new\n"}}));
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"});
}

TEST_F(PublishTest, WriterSeesAnEmptyHiddenSiblingFolder) {
    write_text(root / "unrelated.txt", "u");
    fs::path seen;
    publish(out, [&](const fs::path& dir) {
        seen = dir;
        EXPECT_TRUE(fs::is_empty(dir));
    });
    EXPECT_EQ(seen.parent_path(), out.parent_path());
    EXPECT_EQ(seen.filename().string().rfind(".report.tmp-", 0), 0u) << seen;
    EXPECT_FALSE(fs::exists(seen));
}

TEST_F(PublishTest, AThrowingWriterLeavesThePreviousFolderByteIdentical) {
    fs::create_directories(out / "sub");
    write_text(out / "budget_lines.csv", "year,cost_vnd\n2026,84869700\n");
    write_text(out / "sub" / "note.md", "# Ghi chú\n");
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
    // 4,000,000,000 exceeds any Linux pid, so these belong to no running process.
    fs::create_directories(root / ".report.tmp-4000000000-0" / "x");
    fs::create_directories(root / ".report.old-4000000000-3");
    fs::create_directories(root / ".report.tmp-garbage");
    write_text(root / ".report.tmp-4000000000-0" / "x" / "f", "partial");
    // Siblings of other folders, and other hidden names, are not ours to remove.
    fs::create_directories(root / ".other.tmp-4000000000-0");
    fs::create_directories(root / ".report.keep");

    publish(out, [](const fs::path& dir) { write_text(dir / "a", "1"); });

    EXPECT_EQ(names_in(root), (std::vector<std::string>{".other.tmp-4000000000-0", ".report.keep", "report"}));
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
    publish(fs::path(out.string() + "/"), [](const fs::path& dir) { write_text(dir / "new", "n"); });
    EXPECT_EQ(snapshot(out), (std::map<std::string, std::string>{{"new", "n"}}));
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"});
}

TEST_F(PublishTest, RefusesToReplaceAFileOrTheCurrentFolder) {
    write_text(out, "a file, not a folder");
    EXPECT_THROW(publish(out, [](const fs::path&) {}), std::filesystem::filesystem_error);
    EXPECT_EQ(read_text(out), "a file, not a folder");
    EXPECT_THROW(publish(root / ".", [](const fs::path&) {}), std::invalid_argument);
    EXPECT_THROW(publish(root / "..", [](const fs::path&) {}), std::invalid_argument);
    EXPECT_TRUE(fs::exists(root));
}

TEST_F(PublishTest, RepeatedPublishesKeepOnlyTheLatest) {
    for (int i = 0; i < 3; ++i)
        publish(out, [i](const fs::path& dir) { write_text(dir / ("run" + std::to_string(i)), std::to_string(i)); });
    EXPECT_EQ(snapshot(out), (std::map<std::string, std::string>{{"run2", "2"}}));
    EXPECT_EQ(names_in(root), std::vector<std::string>{"report"});
}

}  // namespace
}  // namespace subsim
