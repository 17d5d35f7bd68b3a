// CSV reader (RFC 4180), strict counts, and SHA-256 against the FIPS 180-4 examples.
#include <gtest/gtest.h>

#include <string>

#include "subsim/core/headcount.hpp"
#include "subsim/core/unicode.hpp"
#include "subsim/io/csv.hpp"
#include "subsim/io/sha256.hpp"

namespace subsim {
namespace {
using namespace std::string_literals;

std::string message_of(const std::string& content) {
    try {
        parse_csv("t.csv", content);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(Csv, HeaderRowsAndLineNumbers) {
    const CsvTable t = parse_csv("t.csv", "code,name\n00123,Xã A\n13285,Phường Phủ Lý\n");
    EXPECT_EQ(t.file, "t.csv");
    ASSERT_EQ(t.header, (std::vector<std::string>{"code", "name"}));
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0][0], "00123");  // codes stay text: leading zeros kept
    EXPECT_EQ(t.rows[1][1], "Phường Phủ Lý");
    EXPECT_EQ(t.row_lines, (std::vector<int>{2, 3}));
    EXPECT_EQ(t.column("name"), 1);
    EXPECT_EQ(t.column("parent"), -1);
}

TEST(Csv, QuotedFieldsHoldCommasAndDoubledQuotes) {
    const CsvTable t = parse_csv("t.csv", "a,b,c\n\"x, y\",\"he said \"\"hi\"\"\",\"\"\n");
    ASSERT_EQ(t.rows.size(), 1u);
    EXPECT_EQ(t.rows[0][0], "x, y");
    EXPECT_EQ(t.rows[0][1], "he said \"hi\"");
    EXPECT_EQ(t.rows[0][2], "");
}

TEST(Csv, ByteOrderMarkIsSkipped) {
    const CsvTable t = parse_csv("t.csv", "\xEF\xBB\xBFyear,persons\n2026,5\n");
    EXPECT_EQ(t.header[0], "year");
    EXPECT_EQ(t.require_column("year"), 0);
}

TEST(Csv, CrLfLineEndsLeaveNoCarriageReturns) {
    const CsvTable t = parse_csv("t.csv", "a,b\r\n1,2\r\n3,4\r\n");
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.header[1], "b");
    EXPECT_EQ(t.rows[0][1], "2");
    EXPECT_EQ(t.rows[1][1], "4");
    EXPECT_EQ(t.row_lines, (std::vector<int>{2, 3}));
}

TEST(Csv, EmbeddedNewlinesAdvanceTheLineCount) {
    // Row 1 starts on line 2 and spans lines 2-4; the next row starts on line 5.
    const CsvTable t = parse_csv("t.csv", "a,b\n\"one\ntwo\nthree\",x\nlast,y\n");
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0][0], "one\ntwo\nthree");
    EXPECT_EQ(t.row_lines, (std::vector<int>{2, 5}));
}

TEST(Csv, BlankLinesAreSkippedButCounted) {
    const CsvTable t = parse_csv("t.csv", "a\n1\n\n2\n");
    EXPECT_EQ(t.row_lines, (std::vector<int>{2, 4}));
}

TEST(Csv, LastRowWithoutNewlineAndTrailingEmptyField) {
    const CsvTable t = parse_csv("t.csv", "a,b\n1,");
    ASSERT_EQ(t.rows.size(), 1u);
    EXPECT_EQ(t.rows[0][0], "1");
    EXPECT_EQ(t.rows[0][1], "");
}

TEST(Csv, WhereIsOneBased) {
    const CsvTable t = parse_csv("t.csv", "a,b\n1,2\n");
    const SourceLocation w = t.where(0, 1);
    EXPECT_EQ(w.file, "t.csv");
    EXPECT_EQ(w.line, 2);
    EXPECT_EQ(w.column, 2);
}

TEST(Csv, RequireColumnNamesTheMissingColumn) {
    const CsvTable t = parse_csv("cohorts.csv", "year,unit_code,group\n2026,37,near_poor\n");
    try {
        t.require_column("persons");
        FAIL() << "expected ScenarioError";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(e.key(), "persons");
        EXPECT_EQ(e.where().line, 1);
        EXPECT_NE(std::string(e.what()).find("cohorts.csv:1: persons: missing column"), std::string::npos)
            << e.what();
    }
}

TEST(Csv, ErrorsNameFileAndLine) {
    EXPECT_EQ(message_of(""), "t.csv:1: the file is empty (expected a header row)");
    EXPECT_EQ(message_of("\xEF\xBB\xBF \r\n"), "t.csv:1: the file is empty (expected a header row)");
    // Row on line 3 has 1 field where the header has 2: the missing one is "b" (column 2).
    EXPECT_EQ(message_of("a,b\n1,2\n3\n"), "t.csv:3:2: b: missing: the row has 1 fields, the header has 2");
    EXPECT_EQ(message_of("a,b\n1,2,3\n"),
              "t.csv:2:3: the row has 3 fields, the header has 2 (extra value \"3\")");
    // The unterminated quote opens on line 2 in column 2, named by its column ("b").
    EXPECT_EQ(message_of("a,b\n1,\"open\n\n"), "t.csv:2:2: b: a quoted field is not closed");
    EXPECT_NE(message_of("a\nx\"y\n").find("t.csv:2:1: a: a double quote inside an unquoted field"), std::string::npos);
    EXPECT_NE(message_of("a\n\"x\"y\n").find("t.csv:2:1: a: unexpected text after a closing quote"), std::string::npos);
    EXPECT_NE(message_of("a,a\n").find("t.csv:1:2: a: the column \"a\" appears twice"), std::string::npos);
    EXPECT_NE(message_of("a,,b\n").find("t.csv:1:2: a column in the header has no name"), std::string::npos);
}

TEST(Csv, OverlongFieldIsRefused) {
    const std::string big(kMaxCsvFieldBytes + 1, 'x');
    EXPECT_NE(message_of("a\n" + big + "\n").find("t.csv:2:1: a: a field is longer than 65,536 bytes"), std::string::npos);
    // Exactly at the limit is fine.
    const CsvTable t = parse_csv("t.csv", "a\n" + std::string(kMaxCsvFieldBytes, 'y') + "\n");
    EXPECT_EQ(t.rows[0][0].size(), kMaxCsvFieldBytes);
}

TEST(Csv, ReadFileMissing) {
    try {
        read_csv_file("/nonexistent/dir/x.csv", "x.csv");
        FAIL() << "expected ScenarioError";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(e.where().file, "x.csv");
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos);
    }
}

TEST(ParseCount, AcceptsOnlyWholeNonNegativeNumbersUpToTheLimit) {
    EXPECT_EQ(parse_count("0"), 0);
    EXPECT_EQ(parse_count("007"), 7);
    EXPECT_EQ(parse_count("29084"), 29084);
    EXPECT_EQ(parse_count("1000000000"), kMaxPersonsPerRow);  // 10^9, the limit itself
    EXPECT_FALSE(parse_count("1000000001"));
    EXPECT_FALSE(parse_count("10000000000000000000"));  // 10^19 > INT64_MAX: refused, not wrapped
    EXPECT_FALSE(parse_count("99999999999999999999999999"));
    EXPECT_FALSE(parse_count(""));
    EXPECT_FALSE(parse_count("-3"));
    EXPECT_FALSE(parse_count("+3"));
    EXPECT_FALSE(parse_count(" 3"));
    EXPECT_FALSE(parse_count("3 "));
    EXPECT_FALSE(parse_count("3.0"));
    EXPECT_FALSE(parse_count("1e3"));
    EXPECT_FALSE(parse_count("1,000"));
    EXPECT_FALSE(parse_count("abc"));
}

// A data row of 20 MiB of commas (20,971,520 commas: 20,971,521 empty fields) is refused
// with the row-width message, naming the first extra field (column 3 of a 2-column
// header). Only the fields up to one past the header's width are kept, so this stays small.
TEST(Csv, AHugeRowOfCommasGetsTheRowWidthMessage) {
    const std::size_t commas = 20u << 20;
    std::string content = "a,b\n1,2\n";
    content.append(commas, ',');
    content += "\n";
    try {
        parse_csv("t.csv", content);
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        const std::string m = e.what();
        EXPECT_EQ(m.rfind("t.csv:3:3: the row has ", 0), 0u) << m.substr(0, 200);
        EXPECT_NE(m.find(" fields, the header has 2 (extra value \"\")"), std::string::npos) << m.substr(0, 200);
        EXPECT_LT(m.size(), 200u);
        const std::string vi = e.to_string(Lang::vi);
        EXPECT_NE(vi.find("ô, dòng tiêu đề có 2 (giá trị thừa \"\")"), std::string::npos) << vi.substr(0, 200);
    }
    // The same commas as a header: too many columns, at the first column over the limit.
    const std::string header = message_of(std::string(commas, ',') + "\n");
    EXPECT_EQ(header.rfind("t.csv:1:1025: the header has more than ", 0), 0u) << header;
    EXPECT_NE(header.find(" columns"), std::string::npos) << header;
}

// Counts in CSV structure messages are written in the language's number style: a row
// of 10,001 fields reads 10,001 (en) and 10.001 (vi); likewise "more than 1,024 columns".
TEST(Csv, RowWidthCountsAreGroupedInEachLanguage) {
    try {
        parse_csv("t.csv", "a,b,c,d\n" + std::string(10000, ',') + "\n");
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), "t.csv:2:5: the row has 10,001 fields, the header has 4 (extra value \"\")");
        EXPECT_EQ(e.to_string(Lang::vi), "t.csv:2:5: dòng có 10.001 ô, dòng tiêu đề có 4 (giá trị thừa \"\")");
    }
    EXPECT_EQ(message_of(std::string(2000, ',') + "\n"), "t.csv:1:1025: the header has more than 1,024 columns");
}

// UTF-16 without a byte-order mark ("y\0e\0a\0r\0" …) is recognized as UTF-16, and told
// "not UTF-8" (save as CSV UTF-8) rather than "a NUL byte", at the first zero byte.
TEST(Csv, Utf16WithoutByteOrderMarkIsNotUtf8) {
    const std::string text = "year,persons\n2026,5\n";
    std::string le, be;
    for (char c : text) {
        le += c;
        le += '\0';
        be += '\0';
        be += c;
    }
    ASSERT_TRUE(check_utf8(le).has_value());
    EXPECT_EQ(check_utf8(le)->kind, Utf8Problem::Kind::utf16);
    EXPECT_EQ(check_utf8(be)->kind, Utf8Problem::Kind::utf16);
    // Little-endian: "y" then its zero byte, the second character of line 1.
    EXPECT_EQ(message_of(le), "t.csv:1:2: not UTF-8 (save it as \"CSV UTF-8\")");
    EXPECT_EQ(message_of(be), "t.csv:1:1: not UTF-8 (save it as \"CSV UTF-8\")");
    try {
        parse_csv("t.csv", le);
    } catch (const ScenarioError& e) {
        EXPECT_EQ(e.to_string(Lang::vi), "t.csv:1:2: tệp không dùng bảng mã UTF-8 (hãy lưu tệp dưới dạng \"CSV UTF-8\")");
    }
    // One stray NUL in UTF-8 text is a NUL byte, not UTF-16.
    EXPECT_EQ(message_of("year,persons\n2026,5\0\n"s), "t.csv:2:7: persons: the file holds a NUL byte: it is not UTF-8 text (save it as \"CSV UTF-8\")");
}

// A byte that is not UTF-8 inside a cell is reported at its line and column and with the
// column's name (the key), as every other cell error is. "Phường" in Windows-1258 is
// P h 0xFD 0xF5 0xCC n g: the bad byte is the 9th character of line 2.
TEST(Csv, NotUtf8InACellNamesItsColumn) {
    try {
        parse_csv("t.csv", "code,name\n13285,Ph\xFD\xF5\xCCng\n");
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), "t.csv:2:9: name: not UTF-8 (save it as \"CSV UTF-8\")");
    }
}

// FIPS 180-4 / NIST CAVS example digests.
TEST(Sha256, FipsExamples) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    // 56 bytes: the length no longer fits in the first block, padding takes a second one.
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Messages that end exactly at, or just across, the 64-byte block and padding
// boundaries, and input that does not start on an aligned address. The digests are
// those of Python's hashlib (an independent implementation), e.g.
// hashlib.sha256(b"a" * 64).hexdigest().
TEST(Sha256, BlockBoundariesAndUnalignedInput) {
    EXPECT_EQ(sha256_hex(std::string(55, 'a')), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    EXPECT_EQ(sha256_hex(std::string(63, 'a')), "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34");
    EXPECT_EQ(sha256_hex(std::string(64, 'a')), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
    EXPECT_EQ(sha256_hex(std::string(65, 'a')), "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0");
    EXPECT_EQ(sha256_hex(std::string(128, 'a')), "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e");
    const std::string padded = "x" + std::string(200, 'a');
    EXPECT_EQ(sha256_hex(std::string_view(padded).substr(1)),
              "c2a908d98f5df987ade41b5fce213067efbcc21ef2240212a41e54b5e7c28ae5");
}

}  // namespace
}  // namespace subsim
