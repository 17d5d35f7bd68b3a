#include "subsim/io/csv.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

#include "subsim/core/headcount.hpp"

namespace subsim {
namespace {

/// Total cells a table may hold (bounds memory on hostile input; the national
/// scenario needs a few million).
constexpr std::size_t kMaxCsvCells = 32u << 20;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

[[noreturn]] void fail(const std::string& file, int line, int column, std::string key,
                       std::string message) {
    throw ScenarioError({file, line, column}, std::move(key), std::move(message));
}

bool is_blank(std::string_view s) {
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
    return true;
}

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

/// A short, printable rendering of a field for messages.
std::string excerpt(std::string_view s) {
    constexpr std::size_t kMax = 40;
    std::string out(s.substr(0, kMax));
    if (s.size() > kMax) out += "...";
    return out;
}

/// RFC 4180 tokenizer over one buffer. Records end at CRLF, LF or a lone CR outside
/// quotes; a completely empty line is skipped.
class CsvParser {
public:
    CsvParser(const std::string& file, std::string_view text) : file_(file), text_(text) {}

    /// Reads the next record into `fields`; false at the end of the input.
    bool next(std::vector<std::string>& fields, int& start_line) {
        fields.clear();
        while (pos_ < text_.size()) {
            start_line = line_;
            if (at_line_end()) {  // empty line
                skip_line_end();
                continue;
            }
            read_record(fields);
            return true;
        }
        return false;
    }

private:
    bool at_line_end() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

    void skip_line_end() {
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
        ++line_;
    }

    void read_record(std::vector<std::string>& fields) {
        for (;;) {
            const int column = static_cast<int>(fields.size()) + 1;
            const bool quoted = pos_ < text_.size() && text_[pos_] == '"';
            fields.push_back(quoted ? read_quoted(column) : read_plain(column));
            if (pos_ >= text_.size()) return;
            if (text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            skip_line_end();
            return;
        }
    }

    std::string read_plain(int column) {
        const std::size_t begin = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
            if (text_[pos_] == '"')
                fail(file_, line_, column, "",
                     "a double quote inside an unquoted field (quote the whole field and "
                     "double the quote: \"\")");
            ++pos_;
        }
        check_size(pos_ - begin, column);
        return std::string(text_.substr(begin, pos_ - begin));
    }

    std::string read_quoted(int column) {
        const int start_line = line_;
        ++pos_;  // opening quote
        std::string out;
        for (;;) {
            if (pos_ >= text_.size())
                fail(file_, start_line, column, "", "a quoted field is not closed");
            const char c = text_[pos_];
            if (c == '"') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                    out += '"';
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                break;
            }
            if (c == '\n' || (c == '\r' && !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')))
                ++line_;
            out += c;
            ++pos_;
            check_size(out.size(), column);
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end())
            fail(file_, line_, column, "",
                 "unexpected text after a closing quote (a quote inside a quoted field is "
                 "written \"\")");
        return out;
    }

    void check_size(std::size_t bytes, int column) const {
        if (bytes > kMaxCsvFieldBytes)
            fail(file_, line_, column, "",
                 "a field is longer than " + std::to_string(kMaxCsvFieldBytes) + " bytes");
    }

    const std::string& file_;
    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 1;
};

std::vector<std::string> read_header(const std::string& file, std::vector<std::string> fields) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        fields[i] = trim(fields[i]);
        const int column = static_cast<int>(i) + 1;
        if (fields[i].empty()) fail(file, 1, column, "", "a column in the header has no name");
        if (!seen.insert(fields[i]).second)
            fail(file, 1, column, fields[i], "the column \"" + fields[i] + "\" appears twice in the header");
    }
    return fields;
}

void check_width(const CsvTable& t, const std::vector<std::string>& fields, int line) {
    const std::size_t want = t.header.size();
    if (fields.size() < want) {
        fail(t.file, line, static_cast<int>(fields.size()) + 1, t.header[fields.size()],
             "missing: the row has " + std::to_string(fields.size()) + " fields, the header has " +
                 std::to_string(want));
    }
    if (fields.size() > want) {
        fail(t.file, line, static_cast<int>(want) + 1, "",
             "the row has " + std::to_string(fields.size()) + " fields, the header has " +
                 std::to_string(want) + " (extra value \"" + excerpt(fields[want]) + "\")");
    }
}

}  // namespace

int CsvTable::column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
    return -1;
}

int CsvTable::require_column(std::string_view name) const {
    const int c = column(name);
    if (c >= 0) return c;
    std::string have;
    for (const auto& h : header) have += (have.empty() ? "" : ",") + h;
    fail(file, 1, 0, std::string(name), "missing column (the header is: " + have + ")");
}

SourceLocation CsvTable::where(std::size_t row, int column) const {
    const int line = row < row_lines.size() ? row_lines[row] : 0;
    return {file, line, column >= 0 ? column + 1 : 0};
}

CsvTable parse_csv(std::string display_path, std::string_view content) {
    CsvTable t;
    t.file = std::move(display_path);
    if (content.size() > kMaxCsvBytes)
        fail(t.file, 0, 0, "", "the file is larger than " + std::to_string(kMaxCsvBytes >> 20) + " MiB");
    if (content.substr(0, kUtf8Bom.size()) == kUtf8Bom) content.remove_prefix(kUtf8Bom.size());
    if (is_blank(content)) fail(t.file, 1, 0, "", "the file is empty (expected a header row)");

    CsvParser parser(t.file, content);
    std::vector<std::string> fields;
    int line = 1;
    parser.next(fields, line);
    if (line != 1) fail(t.file, line, 1, "", "the header must be on the first line");
    t.header = read_header(t.file, std::move(fields));

    std::size_t cells = t.header.size();
    while (parser.next(fields, line)) {
        check_width(t, fields, line);
        cells += fields.size();
        if (cells > kMaxCsvCells)
            fail(t.file, line, 0, "", "the table has more than " + std::to_string(kMaxCsvCells) + " cells");
        t.rows.push_back(std::move(fields));
        t.row_lines.push_back(line);
        fields = {};
    }
    return t;
}

CsvTable read_csv_file(const std::string& path, const std::string& display_path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) fail(display_path, 0, 0, "", "the file does not exist or is not a regular file");
    const auto size = fs::file_size(path, ec);
    if (ec) fail(display_path, 0, 0, "", "cannot read the file: " + ec.message());
    if (size > kMaxCsvBytes)
        fail(display_path, 0, 0, "", "the file is larger than " + std::to_string(kMaxCsvBytes >> 20) + " MiB");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(display_path, 0, 0, "", "cannot open the file");
    std::string content(static_cast<std::size_t>(size), '\0');
    in.read(content.data(), static_cast<std::streamsize>(size));
    if (in.gcount() != static_cast<std::streamsize>(size)) fail(display_path, 0, 0, "", "cannot read the file");
    return parse_csv(display_path, content);
}

std::optional<std::int64_t> parse_count(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
        if (value > kMaxPersonsPerRow) return std::nullopt;
    }
    return value;
}

}  // namespace subsim
