#pragma once
/// Private helpers shared by the report writers: exact fixed-point text, CSV and
/// Markdown escaping, labels. Not part of the public interface.
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "subsim/core/headcount.hpp"
#include "subsim/model/scenario.hpp"
#include "subsim/report/reports.hpp"
#include "subsim/sim/results.hpp"

namespace subsim::report_detail {

/// Persons in reports are shown to 1/100 of a person.
inline constexpr int kPersonDecimals = 2;
inline constexpr std::int64_t kMonthsPerYear = 12;

/// The scenario behind `r`; throws std::invalid_argument if there is none.
const Scenario& scenario_of(const Results& r);

/// 10^exponent, exponent in 0..30.
__int128 power_of_ten(int exponent);

/// A share (fraction of one) as hundredths of a percent, rounded half-up: 0.955 → 9550.
/// Throws std::invalid_argument for a scale outside 0..Decimal::kMaxScale.
__int128 percent_hundredths(const Decimal& share);

/// round(numerator / denominator), halves away from zero; denominator > 0.
__int128 divide_half_up(__int128 numerator, __int128 denominator);

/// `scaled` / 10^decimals as plain text with exactly `decimals` places: "12.30", "-0.05".
std::string fixed_point(__int128 scaled, int decimals, char decimal_point = '.');

/// Scratch space for one number's text. The longest is a 39-digit __int128 magnitude
/// with 38 decimals: a sign, 39 digits, a point (41 bytes); 48 leave some room.
using NumberBuffer = std::array<char, 48>;

/// fixed_point(scaled, decimals, decimal_point) formatted in `buffer` (no allocation);
/// the text lives as long as `buffer`. Throws std::invalid_argument for decimals > 38.
std::string_view format_fixed_point(NumberBuffer& buffer, __int128 scaled, int decimals, char decimal_point = '.');

/// units / 10^scale with trailing fractional zeros (and then a bare point) dropped:
/// the text of Decimal{units, scale}.to_string(). (123400, 4) → "12.34",
/// (120000, 4) → "12", (-5, 4) → "-0.0005". Throws std::invalid_argument for a scale
/// outside 0..Decimal::kMaxScale.
std::string_view format_trimmed_decimal(NumberBuffer& buffer, std::int64_t units, int scale);

/// persons_text(h) / yearly_persons_text(person_months) formatted in `buffer`.
std::string_view format_persons(NumberBuffer& buffer, Headcount h, char decimal_point = '.');
std::string_view format_yearly_persons(NumberBuffer& buffer, Headcount person_months, char decimal_point = '.');

/// A headcount (persons × kHeadcountScale) to 2 decimals, rounded half-up: "95.95".
std::string persons_text(Headcount h, char decimal_point = '.');

/// Person-months as a yearly average of persons (÷ 12) to 2 decimals, rounded half-up
/// once from the exact value: "95.95".
std::string yearly_persons_text(Headcount person_months, char decimal_point = '.');

/// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view text);

/// The fields as one CSV row ending in "\n".
std::string csv_row(std::initializer_list<std::string_view> fields);

/// Text built in memory: an allocation that is never cleared (the text overwrites it)
/// and how much of it holds text. Moves only.
class TextBuffer {
public:
    TextBuffer() = default;
    explicit TextBuffer(std::size_t capacity) : data_(new char[capacity]), capacity_(capacity) {}
    TextBuffer(TextBuffer&& other) noexcept
        : data_(std::move(other.data_)),
          capacity_(std::exchange(other.capacity_, 0)),
          size_(std::exchange(other.size_, 0)) {}
    TextBuffer& operator=(TextBuffer&& other) noexcept {
        data_ = std::move(other.data_);
        capacity_ = std::exchange(other.capacity_, 0);
        size_ = std::exchange(other.size_, 0);
        return *this;
    }

    char* data() { return data_.get(); }
    const char* data() const { return data_.get(); }
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return capacity_; }
    std::string_view text() const { return {data_.get(), size_}; }
    /// size ≤ capacity().
    void set_size(std::size_t size) { size_ = size; }
    /// Makes room for at least `capacity` bytes, keeping the text.
    void reserve(std::size_t capacity);

private:
    std::unique_ptr<char[]> data_;
    std::size_t capacity_ = 0;
    std::size_t size_ = 0;
};

/// Decimal digits written with a table of digit pairs, faster than std::to_chars (the
/// national run's reports hold about eight million numbers): a number is cut into
/// groups of 8 and 4 digits with 32-bit arithmetic, whose digit pairs do not wait on
/// one another.
namespace digits {

inline constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/// Exactly 2 digits of v < 100.
inline char* two(char* at, std::uint32_t v) {
    std::memcpy(at, kPairs + 2 * v, 2);
    return at + 2;
}
/// Exactly 4 digits of v < 10^4.
inline char* four(char* at, std::uint32_t v) {
    two(at, v / 100);
    two(at + 2, v % 100);
    return at + 4;
}
/// Exactly 8 digits of v < 10^8.
inline char* eight(char* at, std::uint32_t v) {
    four(at, v / 10'000);
    four(at + 4, v % 10'000);
    return at + 8;
}
/// v < 10^4 without leading zeros.
inline char* up_to_four(char* at, std::uint32_t v) {
    if (v < 10) {
        *at = static_cast<char>('0' + v);
        return at + 1;
    }
    if (v < 100) return two(at, v);
    if (v < 1'000) {
        *at = static_cast<char>('0' + v / 100);
        return two(at + 1, v % 100);
    }
    return four(at, v);
}
/// v < 10^8 without leading zeros.
inline char* up_to_eight(char* at, std::uint32_t v) {
    if (v < 10'000) return up_to_four(at, v);
    return four(up_to_four(at, v / 10'000), v % 10'000);
}

}  // namespace digits

/// Writes `v` in decimal (up to 20 digits) at `at`; returns the end. The text of
/// std::to_chars.
inline char* write_unsigned(char* at, std::uint64_t v) {
    constexpr std::uint64_t kTenToEight = 100'000'000;
    if (v < kTenToEight) return digits::up_to_eight(at, static_cast<std::uint32_t>(v));
    const std::uint64_t high = v / kTenToEight;  // < 1.9 × 10^11
    const auto low = static_cast<std::uint32_t>(v % kTenToEight);
    if (high < kTenToEight) {
        at = digits::up_to_eight(at, static_cast<std::uint32_t>(high));
    } else {
        at = digits::up_to_four(at, static_cast<std::uint32_t>(high / kTenToEight));  // ≤ 1844
        at = digits::eight(at, static_cast<std::uint32_t>(high % kTenToEight));
    }
    return digits::eight(at, low);
}

/// |v| without overflow (the magnitude of the most negative int64 fits unsigned).
inline std::uint64_t magnitude64(std::int64_t v) {
    return v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

/// round(value / divisor), halves away from zero, for divisor ≥ 2: divide_half_up() in
/// 64-bit arithmetic (a constant divisor becomes a multiplication).
inline std::int64_t divide_half_up_64(std::int64_t value, std::uint64_t divisor) {
    // magnitude ≤ 2^63 and divisor / 2 < 2^63: the sum cannot overflow; with divisor ≥ 2
    // the quotient is below 2^63, so it can be negated.
    const std::uint64_t q = (magnitude64(value) + divisor / 2) / divisor;
    return value < 0 ? -static_cast<std::int64_t>(q) : static_cast<std::int64_t>(q);
}

/// Writes `v` in decimal with a '-' if negative (up to 20 bytes); returns the end.
inline char* write_integer(char* at, std::int64_t v) {
    if (v < 0) *at++ = '-';
    return write_unsigned(at, magnitude64(v));
}

/// Writes hundredths as "-12.34" at `at` (up to 1 + 17 + 3 bytes); returns the end.
/// The text of format_fixed_point(v, 2).
inline char* write_hundredths(char* at, std::int64_t hundredths) {
    const std::uint64_t magnitude = magnitude64(hundredths);
    if (hundredths < 0) *at++ = '-';
    at = write_unsigned(at, magnitude / 100);
    *at++ = '.';
    return digits::two(at, static_cast<std::uint32_t>(magnitude % 100));
}

/// Writes units / 10^4 with trailing fractional zeros (and then a bare point) dropped,
/// as format_trimmed_decimal(units, 4) does: "1151.4", "-0.0005", "12". Up to
/// 1 + 15 + 5 bytes; returns the end.
inline char* write_ten_thousandths_trimmed(char* at, std::int64_t units) {
    const std::uint64_t magnitude = magnitude64(units);
    if (units < 0) *at++ = '-';
    at = write_unsigned(at, magnitude / 10'000);
    const auto fraction = static_cast<std::uint32_t>(magnitude % 10'000);
    if (fraction == 0) return at;
    *at++ = '.';
    at = digits::four(at, fraction);
    while (at[-1] == '0') --at;  // stops at a non-zero digit: fraction ≠ 0
    return at;
}

/// Builds CSV text in a fixed buffer and hands it to the stream whenever the buffer is
/// full: a field costs no allocation and no stream call (the national run writes about
/// two million rows). Fields of a row are separated by commas automatically. The
/// per-field members are defined here so that the writers' loops can inline them.
/// Call finish() after the last row; whatever is still buffered is otherwise lost.
///
/// Without a stream (the second constructor) the writer keeps all its text in memory,
/// growing its buffer as needed, until take() hands it over: the largest reports are
/// formatted that way in chunks of rows on several threads.
class CsvWriter {
public:
    explicit CsvWriter(std::ostream& out);
    /// Formats into memory, reusing the allocation of `buffer` (its text is dropped).
    explicit CsvWriter(TextBuffer buffer);
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;

    /// A text field, quoted as csv_field() does.
    CsvWriter& text(std::string_view value);
    /// A field that is already CSV text (the result of csv_field()), copied as is.
    CsvWriter& escaped(std::string_view csv_text) {
        char* at = start_field(room(csv_text.size() + 1));
        std::memcpy(at, csv_text.data(), csv_text.size());
        used_ = static_cast<std::size_t>(at + csv_text.size() - buffer_.data());
        return *this;
    }
    /// Bytes padded() copies at once.
    static constexpr std::size_t kPaddedCopy = 32;
    /// As escaped(), for text whose storage has at least kPaddedCopy readable bytes from
    /// its start: a short field is copied with one fixed-size copy instead of a call to
    /// memcpy (names are most of the national run's fields).
    CsvWriter& padded(std::string_view csv_text) {
        if (csv_text.size() > kPaddedCopy) return escaped(csv_text);
        char* at = start_field(room(kPaddedCopy + 1));
        std::memcpy(at, csv_text.data(), kPaddedCopy);
        used_ = static_cast<std::size_t>(at + csv_text.size() - buffer_.data());
        return *this;
    }
    CsvWriter& integer(std::int64_t value) {
        char* at = start_field(room(kMaxNumberField));
        used_ = static_cast<std::size_t>(write_integer(at, value) - buffer_.data());
        return *this;
    }
    /// fixed_point(scaled, decimals) as a field.
    CsvWriter& fixed(__int128 scaled, int decimals);
    /// format_headcount(h, 4) as a field.
    CsvWriter& headcount(Headcount h) {
        char* at = start_field(room(kMaxNumberField));
        used_ = static_cast<std::size_t>(write_ten_thousandths_trimmed(at, h) - buffer_.data());
        return *this;
    }
    /// yearly_persons_text(person_months) as a field.
    CsvWriter& yearly_persons(Headcount person_months) {
        return hundredths(divide_half_up_64(person_months, kHeadcountPerYearlyHundredth));
    }
    /// persons_text(h) as a field.
    CsvWriter& persons(Headcount h) { return hundredths(divide_half_up_64(h, kHeadcountPerHundredth)); }
    /// Ends the row with "\n".
    void end_row() {
        *room(1) = '\n';
        ++used_;
        row_started_ = false;
    }
    /// The column names as one row.
    void header(std::initializer_list<std::string_view> columns);
    /// Writes what is buffered to the stream (without a stream: does nothing).
    void finish();
    /// Without a stream: all the text so far; the writer starts again, empty.
    TextBuffer take();

private:
    /// The longest number the writer formats inline: a sign, 20 digits, a point and 4
    /// decimals.
    static constexpr std::size_t kMaxNumberText = 1 + 20 + 1 + 4;
    /// A number field: a comma and the number.
    static constexpr std::size_t kMaxNumberField = 1 + kMaxNumberText;
    /// Headcount units (1/10,000 person) per 1/100 person, and per 1/100 person-year.
    static constexpr std::uint64_t kHeadcountPerHundredth = kHeadcountScale / 100;
    static constexpr std::uint64_t kHeadcountPerYearlyHundredth = kHeadcountPerHundredth * kMonthsPerYear;

    CsvWriter& hundredths(std::int64_t value) {
        char* at = start_field(room(kMaxNumberField));
        used_ = static_cast<std::size_t>(write_hundredths(at, value) - buffer_.data());
        return *this;
    }
    /// Where the next `size` bytes go, after passing the buffer on if they do not fit.
    char* room(std::size_t size) {
        if (buffer_.capacity() - used_ < size) make_room(size);
        return buffer_.data() + used_;
    }
    /// room()'s rare case: writes the buffer out (and grows it for a huge field), or
    /// without a stream grows it.
    void make_room(std::size_t size);
    /// Writes a comma at `at` unless the field is the first of its row; returns where
    /// the field's text goes.
    char* start_field(char* at) {
        if (row_started_) *at++ = ',';
        row_started_ = true;
        return at;
    }

    std::ostream* out_;  ///< nullptr: the text stays in buffer_ until take()
    TextBuffer buffer_;  ///< its size is not kept up to date: used_ is
    std::size_t used_ = 0;  ///< bytes of buffer_ holding text not yet written
    bool row_started_ = false;
};

/// A CSV report as its columns and rows, where rows can be formatted in any contiguous
/// ranges: a row's text never depends on the range it is formatted in (each range ends
/// with a whole row), so a file is byte-identical however its rows are split.
class CsvTable {
public:
    /// Formats rows [begin, end) (begin ≤ end ≤ rows) with `w`.
    using FormatRows = std::function<void(CsvWriter& w, std::size_t begin, std::size_t end)>;

    CsvTable(std::initializer_list<std::string_view> columns, std::size_t rows, FormatRows format_rows)
        : columns_(columns), rows_(rows), format_rows_(std::move(format_rows)) {}

    std::size_t rows() const { return rows_; }
    /// The column names as one row.
    void header(CsvWriter& w) const;
    /// Rows [begin, end); throws std::out_of_range unless begin ≤ end ≤ rows().
    void format(CsvWriter& w, std::size_t begin, std::size_t end) const;
    /// The whole file: the header and every row.
    void write(std::ostream& out) const;

private:
    std::vector<std::string_view> columns_;  ///< string literals
    std::size_t rows_;
    FormatRows format_rows_;
};

/// budget_lines.csv and cohort_costs.csv (the two largest reports) as tables; the
/// tables refer to `r`, which must outlive them. Throw std::invalid_argument without a
/// scenario.
CsvTable budget_lines_table(const Results& r, Lang lang = Lang::vi);
CsvTable cohort_costs_table(const Results& r, Lang lang = Lang::vi);

/// Writes `table` to the new file `path` as write() would, its rows formatted in
/// `chunks` contiguous ranges of nearly equal size on up to `threads` threads and
/// written in order; at most a few ranges are held in memory at once. The file is the
/// same for any chunk and thread count. Throws std::runtime_error when the file cannot
/// be written. (write_reports() does the same for the large reports while writing the
/// other files.)
void write_csv_in_chunks(const std::filesystem::path& path, const CsvTable& table, std::size_t chunks,
                         unsigned threads);

/// Text safe inside a Markdown table cell: markdown_text().
std::string markdown_cell(std::string_view text);

/// Text from the scenario made safe for one line of Markdown: line breaks (CR, LF) and
/// tabs become spaces, so that it cannot start a heading or a table row; '|' and '\\'
/// are escaped; '&', '<' and '>' become HTML entities, so that no HTML passes through.
std::string markdown_text(std::string_view text);

/// True when a spreadsheet would read the text as a formula (OWASP "CSV injection"): it
/// starts with '=', '+', '-', '@', a tab or a carriage return.
bool spreadsheet_formula_like(std::string_view text);

/// Text from the scenario as a CSV cell: formula-like text gets a
/// single quote in front ("'=HYPERLINK(...)"), anything else is unchanged. Only for
/// text: numbers are written as numbers and stay untouched.
std::string spreadsheet_text(std::string_view text);

/// Text escaped for HTML content and attribute values: & < > " '.
std::string html_escape(std::string_view text);

/// A JSON string literal with quotes; valid UTF-8 passes through, invalid bytes
/// become U+FFFD, control characters are escaped.
std::string json_string(std::string_view text);

/// Confidence as a word in the chosen language.
std::string_view confidence_label(Confidence c, Lang lang);

/// "2024-07-01" (en) or "01/07/2024" (vi).
std::string date_text(Date d, Lang lang);

/// A share as a percentage ("70%", vi "4,5%").
std::string percent_text(const Decimal& share, Lang lang);

// ---- Writers taking the year × payer totals ------------------------------------------
// budget_by_year_payer.csv, run.json and summary.md all show totals_by_year_payer(r);
// write_reports() computes it once and hands it to these. The public writers of the same
// names compute it themselves and call these.

/// `divisions`: the reports on other divisions (--by), worked out once; nullptr: none.
void write_run_json(std::ostream& out, const Results& r, const ReportOptions& o,
                    const std::vector<YearPayerTotal>& totals, const std::vector<std::string>& files,
                    const std::vector<DivisionTables>* divisions = nullptr);
void write_summary_md(std::ostream& out, const Results& r, const ReportOptions& o,
                      const std::vector<YearPayerTotal>& totals, const std::vector<DivisionTables>* divisions = nullptr);

}  // namespace subsim::report_detail
