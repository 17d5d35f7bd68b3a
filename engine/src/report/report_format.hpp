#pragma once
/// Private helpers shared by the report writers: exact fixed-point text, CSV and
/// Markdown escaping, labels. Not part of the public interface.
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
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

/// Builds CSV text in a fixed buffer and hands it to the stream whenever the buffer is
/// full: a field costs no allocation and no stream call (the national run writes about
/// two million rows). Fields of a row are separated by commas automatically. The
/// per-field members are defined here so that the writers' loops can inline them.
/// Call finish() after the last row; whatever is still buffered is otherwise lost.
class CsvWriter {
public:
    explicit CsvWriter(std::ostream& out);
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
    CsvWriter& integer(std::int64_t value) {
        char* at = start_field(room(kMaxIntegerField));
        // Cannot fail: room() made space for the longest int64.
        char* end = std::to_chars(at, buffer_.data() + buffer_.size(), value).ptr;
        used_ = static_cast<std::size_t>(end - buffer_.data());
        return *this;
    }
    /// fixed_point(scaled, decimals) as a field.
    CsvWriter& fixed(__int128 scaled, int decimals);
    /// format_headcount(h, 4) as a field.
    CsvWriter& headcount(Headcount h);
    /// yearly_persons_text(person_months) as a field.
    CsvWriter& yearly_persons(Headcount person_months);
    /// persons_text(h) as a field.
    CsvWriter& persons(Headcount h);
    /// Ends the row with "\n".
    void end_row() {
        *room(1) = '\n';
        ++used_;
        row_started_ = false;
    }
    /// The column names as one row.
    void header(std::initializer_list<std::string_view> columns);
    /// Writes what is buffered to the stream.
    void finish();

private:
    /// An integer field: a comma, a sign and 19 digits.
    static constexpr std::size_t kMaxIntegerField = 1 + 1 + std::numeric_limits<std::int64_t>::digits10 + 1;

    /// Where the next `size` bytes go, after passing the buffer on if they do not fit.
    char* room(std::size_t size) {
        if (buffer_.size() - used_ < size) make_room(size);
        return buffer_.data() + used_;
    }
    /// room()'s rare case: writes the buffer out (and grows it for a huge field).
    void make_room(std::size_t size);
    /// Writes a comma at `at` unless the field is the first of its row; returns where
    /// the field's text goes.
    char* start_field(char* at) {
        if (row_started_) *at++ = ',';
        row_started_ = true;
        return at;
    }

    std::ostream& out_;
    std::vector<char> buffer_;
    std::size_t used_ = 0;  ///< bytes of buffer_ holding text not yet written
    bool row_started_ = false;
};

/// Text safe inside a Markdown table cell: '|' escaped, line breaks become spaces.
std::string markdown_cell(std::string_view text);

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

void write_budget_by_year_payer_csv(std::ostream& out, const Results& r, const std::vector<YearPayerTotal>& totals);
void write_run_json(std::ostream& out, const Results& r, const ReportOptions& o,
                    const std::vector<YearPayerTotal>& totals);
void write_summary_md(std::ostream& out, const Results& r, const ReportOptions& o,
                      const std::vector<YearPayerTotal>& totals);

}  // namespace subsim::report_detail
