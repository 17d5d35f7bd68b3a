#include <algorithm>
#include "subsim/io/csv.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <span>
#include <system_error>

#include "csv_detail.hpp"
#include "subsim/core/headcount.hpp"
#include "subsim/core/unicode.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim {
namespace {

/// Total cells a table may hold (bounds memory on hostile input; the national
/// scenario needs a few million).
constexpr std::size_t kMaxCsvCells = 32u << 20;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
/// Columns a header may have (a header line of commas stays small in memory).
constexpr std::size_t kMaxCsvColumns = 1024;

[[noreturn]] void fail(const std::string& file, int line, int column, std::string key, Text message) {
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


/// Cell offsets are 32-bit: the text plus the unescaped copies of its quoted fields
/// (never longer than the text) must fit.
static_assert(2 * static_cast<std::uint64_t>(kMaxCsvBytes) <= UINT32_MAX);

/// RFC 4180 tokenizer over one buffer. Records end at CRLF, LF or a lone CR outside
/// quotes; a completely empty line is skipped. Unquoted fields are spans of the text;
/// quoted fields are unescaped into extra(), their spans counting on from the text's end.
class CsvParser {
public:
    CsvParser(const std::string& file, std::string_view text, std::size_t start)
        : file_(file), text_(text), pos_(start) {}

    /// Appends the next record's fields to `cells` and returns how many it has; 0 at the
    /// end of the input (a record has at least one field). A record is read up to
    /// `max_fields` fields: one more is enough to know it is too wide, and the rest is
    /// never stored (a line of 60 MiB of commas costs no memory).
    std::size_t next(std::vector<csv_detail::Span>& cells, int& start_line, std::size_t max_fields) {
        while (pos_ < text_.size()) {
            start_line = line_;
            if (at_line_end()) {  // empty line
                skip_line_end();
                continue;
            }
            return read_record(cells, max_fields);
        }
        return 0;
    }

    /// The text of a field read so far.
    std::string_view view(csv_detail::Span s) const {
        if (s.begin < text_.size()) return text_.substr(s.begin, s.size);
        return std::string_view(extra_).substr(s.begin - text_.size(), s.size);
    }

    /// The unescaped quoted fields, to append to the text once parsing is done.
    const std::string& extra() const { return extra_; }

private:
    bool at_line_end() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

    void skip_line_end() {
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
        ++line_;
    }

    static csv_detail::Span span(std::size_t begin, std::size_t size) {
        return {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(size)};
    }

    std::size_t read_record(std::vector<csv_detail::Span>& cells, std::size_t max_fields) {
        for (int column = 1;; ++column) {
            const bool quoted = pos_ < text_.size() && text_[pos_] == '"';
            const csv_detail::Span field = quoted ? read_quoted(column) : read_plain(column);
            if (static_cast<std::size_t>(column) <= max_fields) cells.push_back(field);
            if (pos_ >= text_.size()) return static_cast<std::size_t>(column);
            if (text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            skip_line_end();
            return static_cast<std::size_t>(column);
        }
    }

    csv_detail::Span read_plain(int column) {
        const std::size_t begin = pos_;
        std::size_t end = begin;
        while (end < text_.size() && !ends_plain_field(text_[end])) ++end;
        pos_ = end;
        if (end < text_.size() && text_[end] == '"')
            fail(file_, line_, column, "", i18n::tr("csv.quote_in_plain_field"));
        check_size(end - begin, column);
        return span(begin, end - begin);
    }

    static bool ends_plain_field(char c) { return c == ',' || c == '\n' || c == '\r' || c == '"'; }

    csv_detail::Span read_quoted(int column) {
        const int start_line = line_;
        ++pos_;  // opening quote
        const std::size_t begin = extra_.size();
        for (;;) {
            if (pos_ >= text_.size())
                fail(file_, start_line, column, "", i18n::tr("csv.unclosed_quote"));
            const char c = text_[pos_];
            if (c == '"') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                    extra_ += '"';
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                break;
            }
            if (c == '\n' || (c == '\r' && !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')))
                ++line_;
            extra_ += c;
            ++pos_;
            check_size(extra_.size() - begin, column);
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end())
            fail(file_, line_, column, "", i18n::tr("csv.text_after_quote"));
        return span(text_.size() + begin, extra_.size() - begin);
    }

    void check_size(std::size_t bytes, int column) const {
        if (bytes > kMaxCsvFieldBytes) refuse_long_field(column);
    }

    [[noreturn]] void refuse_long_field(int column) const {
        fail(file_, line_, column, "", i18n::tr("csv.field_too_long", {i18n::grouped(static_cast<std::int64_t>(kMaxCsvFieldBytes))}));
    }

    const std::string& file_;
    std::string_view text_;
    std::size_t pos_;
    int line_ = 1;
    std::string extra_;
};

/// Refuses text that is not UTF-8 (Windows-1258 from an old Excel, UTF-16, NUL bytes),
/// naming the line and column of the first offending byte, and the CSV column it is in
/// when the header before it can be read.
void refuse_non_utf8(const std::string& file, std::string_view text, std::size_t start) {
    const auto problem = check_utf8(text);
    if (!problem) return;
    const TextPosition at = position_of(text, problem->offset);
    std::string key;
    const std::size_t header_end = text.find('\n', start);
    if (at.line > 1 && header_end != std::string_view::npos && header_end < problem->offset) {
        // The field the byte is in: commas outside quotes from the start of its line.
        std::vector<std::string_view> header;
        std::string_view h = text.substr(start, header_end - start);
        if (!h.empty() && h.back() == '\r') h.remove_suffix(1);
        for (std::size_t pos = 0;;) {
            const std::size_t comma = h.find(',', pos);
            header.push_back(h.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
            if (comma == std::string_view::npos) break;
            pos = comma + 1;
        }
        std::size_t line_start = text.rfind('\n', problem->offset);
        line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
        std::size_t field = 0;
        bool quoted = false;
        for (std::size_t i = line_start; i < problem->offset; ++i) {
            if (text[i] == '"') quoted = !quoted;
            else if (text[i] == ',' && !quoted) ++field;
        }
        if (field < header.size() && !header[field].empty() && check_utf8(header[field]) == std::nullopt)
            key = trim(header[field]);
    }
    fail(file, at.line, at.column, key,
         i18n::tr(problem->kind == Utf8Problem::Kind::nul ? "text.nul_byte" : "text.not_utf8_csv"));
}

/// A header of one column holding ';' or a tab: the file was saved with another separator.
void refuse_other_separator(const std::string& file, const std::vector<std::string>& header) {
    if (header.size() != 1) return;
    if (header[0].find(';') != std::string::npos) fail(file, 1, 1, "", i18n::tr("csv.semicolon_separated"));
    if (header[0].find('\t') != std::string::npos) fail(file, 1, 1, "", i18n::tr("csv.tab_separated"));
}

std::vector<std::string> read_header(const std::string& file, const CsvParser& parser,
                                     std::span<const csv_detail::Span> fields) {
    std::vector<std::string> header;
    header.reserve(fields.size());
    std::set<std::string> seen;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string& name = header.emplace_back(trim(parser.view(fields[i])));
        const int column = static_cast<int>(i) + 1;
        if (name.empty()) fail(file, 1, column, "", i18n::tr("csv.header_unnamed_column"));
        if (!seen.insert(name).second) fail(file, 1, column, name, i18n::tr("csv.header_duplicate", {i18n::quoted(name)}));
    }
    return header;
}

/// Refuses a row whose number of fields differs from the header's.
[[noreturn]] void refuse_width(const std::string& file, const std::vector<std::string>& header,
                               const CsvParser& parser, std::span<const csv_detail::Span> fields, std::size_t width,
                               int line) {
    const std::size_t want = header.size();
    if (fields.size() < want) {
        fail(file, line, static_cast<int>(fields.size()) + 1, header[fields.size()],
             i18n::tr("csv.row_short", {i18n::grouped(static_cast<std::int64_t>(fields.size())), i18n::grouped(static_cast<std::int64_t>(want))}));
    }
    fail(file, line, static_cast<int>(want) + 1, "",
         i18n::tr("csv.row_long", {i18n::grouped(static_cast<std::int64_t>(width)), i18n::grouped(static_cast<std::int64_t>(want)),
                                   i18n::quoted(parser.view(fields[want]))}));
}

// Shared by CsvTable and CsvCells.

int find_column(const std::vector<std::string>& header, std::string_view name) {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
    return -1;
}

int require_column_in(const std::string& file, const std::vector<std::string>& header, std::string_view name) {
    const int c = find_column(header, name);
    if (c >= 0) return c;
    std::string have;
    for (const auto& h : header) have += (have.empty() ? "" : ",") + h;
    fail(file, 1, 0, std::string(name), i18n::tr("csv.missing_column", {have}));
}

SourceLocation location_of(const std::string& file, const std::vector<int>& row_lines, std::size_t row,
                           int column) {
    const int line = row < row_lines.size() ? row_lines[row] : 0;
    return {file, line, column >= 0 ? column + 1 : 0};
}

}  // namespace

int CsvTable::column(std::string_view name) const { return find_column(header, name); }

int CsvTable::require_column(std::string_view name) const { return require_column_in(file, header, name); }

SourceLocation CsvTable::where(std::size_t row, int column) const {
    return location_of(file, row_lines, row, column);
}

namespace csv_detail {

int CsvCells::column(std::string_view name) const { return find_column(header_, name); }

int CsvCells::require_column(std::string_view name) const { return require_column_in(file_, header_, name); }

SourceLocation CsvCells::where(std::size_t row, int column) const {
    return location_of(file_, row_lines_, row, column);
}

CsvTable CsvCells::to_table() const {
    CsvTable t;
    t.file = file_;
    t.header = header_;
    t.row_lines = row_lines_;
    t.rows.reserve(row_count());
    for (std::size_t r = 0; r < row_count(); ++r) {
        auto& row = t.rows.emplace_back();
        row.reserve(header_.size());
        for (std::size_t c = 0; c < header_.size(); ++c) row.emplace_back(cell(r, c));
    }
    return t;
}

CsvCells parse_csv_cells(std::string display_path, std::string text) {
    CsvCells t;
    t.file_ = std::move(display_path);
    const std::string& file = t.file_;
    if (text.size() > kMaxCsvBytes)
        fail(file, 0, 0, "", i18n::tr("file.too_large", {static_cast<std::int64_t>(kMaxCsvBytes >> 20)}));
    const std::size_t start = std::string_view(text).substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0;
    refuse_non_utf8(file, text, start);
    if (is_blank(std::string_view(text).substr(start)))
        fail(file, 1, 0, "", i18n::tr("csv.empty_file"));

    CsvParser parser(file, text, start);
    int line = 1;
    parser.next(t.cells_, line, kMaxCsvColumns + 1);
    if (line != 1) fail(file, line, 1, "", i18n::tr("csv.header_not_first"));
    if (t.cells_.size() > kMaxCsvColumns)
        fail(file, 1, static_cast<int>(kMaxCsvColumns) + 1, "", i18n::tr("csv.too_many_columns", {i18n::grouped(static_cast<std::int64_t>(kMaxCsvColumns))}));
    t.header_ = read_header(file, parser, t.cells_);
    refuse_other_separator(file, t.header_);
    t.cells_.clear();

    // Room for every row at once (a line count is a fast upper bound on the rows), so the
    // cell list is not regrown and copied as it fills; capped by the cell limit.
    const auto lines = static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(start), text.end(), '\n')) + 1;
    t.cells_.reserve(std::min(lines * t.header_.size(), kMaxCsvCells));
    t.row_lines_.reserve(std::min(lines, kMaxCsvCells));
    const auto read_rows = [&] {
        std::size_t cells = t.header_.size();
        while (const std::size_t width = parser.next(t.cells_, line, t.header_.size() + 1)) {
            if (width != t.header_.size()) {
                const std::size_t stored = std::min(width, t.header_.size() + 1);
                refuse_width(file, t.header_, parser, std::span(t.cells_).last(stored), width, line);
            }
            cells += width;
            if (cells > kMaxCsvCells)
                fail(file, line, 0, "", i18n::tr("csv.too_many_cells", {i18n::grouped(static_cast<std::int64_t>(kMaxCsvCells))}));
            t.row_lines_.push_back(line);
        }
    };
    try {
        read_rows();
    } catch (const ScenarioError& e) {
        // A structural error inside a row names the column it is in.
        const int column = e.where().column;
        if (!e.key().empty() || column < 1 || static_cast<std::size_t>(column) > t.header_.size()) throw;
        throw ScenarioError(e.where(), t.header_[static_cast<std::size_t>(column - 1)], e.message());
    }
    if (t.row_lines_.empty()) fail(file, 1, 0, "", i18n::tr("csv.no_rows"));
    // Quoted fields' spans count on from the end of the text: append their text there.
    t.buffer_ = std::move(text);
    t.buffer_ += parser.extra();
    return t;
}

}  // namespace csv_detail

CsvTable parse_csv(std::string display_path, std::string_view content) {
    return csv_detail::parse_csv_cells(std::move(display_path), std::string(content)).to_table();
}

CsvTable read_csv_file(const std::string& path, const std::string& display_path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) fail(display_path, 0, 0, "", i18n::tr("file.missing_or_not_regular"));
    const auto size = fs::file_size(path, ec);
    if (ec) fail(display_path, 0, 0, "", i18n::tr("file.cannot_read_because", {i18n::system_error(ec)}));
    if (size > kMaxCsvBytes)
        fail(display_path, 0, 0, "", i18n::tr("file.too_large", {static_cast<std::int64_t>(kMaxCsvBytes >> 20)}));
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(display_path, 0, 0, "", i18n::tr("file.cannot_read"));
    std::string content(static_cast<std::size_t>(size), '\0');
    in.read(content.data(), static_cast<std::streamsize>(size));
    if (in.gcount() != static_cast<std::streamsize>(size)) fail(display_path, 0, 0, "", i18n::tr("file.cannot_read"));
    return csv_detail::parse_csv_cells(display_path, std::move(content)).to_table();
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
