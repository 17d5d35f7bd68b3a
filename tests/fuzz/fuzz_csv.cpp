/// libFuzzer harness: the CSV reader and the scalar parsers the loaders use.
/// Beyond "no crash", it checks the contracts of what is accepted:
/// - parse_csv: every row has header.size() fields and a start line, lines increase;
/// - Decimal::parse: the value survives to_string() → parse() exactly;
/// - Date::parse / YearMonth::parse: a parsed value is a real day/month and prints back
///   to the text it came from.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "subsim/core/date.hpp"
#include "subsim/core/decimal.hpp"
#include "subsim/core/money.hpp"
#include "subsim/core/headcount.hpp"
#include "subsim/io/csv.hpp"

namespace {

using namespace subsim;
using subsim::fuzz::finding;

void check_table(const CsvTable& t) {
    if (t.header.empty()) finding("parse_csv accepted a table without a header");
    if (t.row_lines.size() != t.rows.size()) finding("row_lines and rows differ in size");
    int previous_line = 1;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        if (t.rows[i].size() != t.header.size()) finding("a row's field count differs from the header's");
        if (t.row_lines[i] <= previous_line) finding("row lines do not increase past the header");
        previous_line = t.row_lines[i];
        for (const std::string& field : t.rows[i])
            if (field.size() > kMaxCsvFieldBytes) finding("a field over kMaxCsvFieldBytes was accepted");
    }
    for (std::size_t c = 0; c < t.header.size(); ++c) {
        const int found = t.column(t.header[c]);
        if (found < 0 || static_cast<std::size_t>(found) > c) finding("column() does not find a header name");
        (void)t.where(0, found);
    }
}

void check_decimal(std::string_view text) {
    Decimal::ParseError error{};
    const std::optional<Decimal> d = Decimal::parse(text, &error);
    if (!d) return;
    if (d->scale < 0 || d->scale > Decimal::kMaxScale) finding("Decimal::parse produced a scale out of range");
    const std::string plain = d->to_string();
    const std::optional<Decimal> again = Decimal::parse(plain);
    if (!again || *again != *d) finding("Decimal does not survive to_string/parse: '" + plain + "'");
    (void)d->to_percent_string();
    (void)d->to_percent_fixed(2);
    (void)d->normalized();
    subsim::fuzz::expect_clean([&] {
        const Decimal square = exact_product(*d, *d);
        for (Rounding mode : {Rounding::half_up, Rounding::half_even, Rounding::down, Rounding::up}) {
            const Dong rounded = round_to_dong(square, mode);
            (void)format_grouped(rounded, '.');
            (void)format_dong_plain(rounded);
        }
    });
}

void check_dates(std::string_view text) {
    if (const std::optional<Date> date = Date::parse(text)) {
        if (!Date::is_valid(date->year, date->month, date->day)) finding("Date::parse accepted a day that does not exist");
        if (date->to_string() != text) finding("Date does not print back to its text: '" + std::string(text) + "'");
        (void)date->next_day();
    }
    if (const std::optional<YearMonth> month = YearMonth::parse(text)) {
        if (month->month < 1 || month->month > 12) finding("YearMonth::parse accepted a month out of 1..12");
        (void)month->to_string();
    }
}

void check_count(std::string_view text) {
    const std::optional<std::int64_t> n = parse_count(text);
    if (!n) return;
    if (*n < 0 || *n > kMaxPersonsPerRow) finding("parse_count accepted a value out of range");
    if (text.find_first_not_of("0123456789") != std::string_view::npos) finding("parse_count accepted a non-digit");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    subsim::fuzz::expect_clean([&] { check_table(parse_csv("fuzz.csv", text)); });

    std::string_view first_line = text.substr(0, text.find('\n'));
    if (!first_line.empty() && first_line.back() == '\r') first_line.remove_suffix(1);
    check_count(first_line);
    check_decimal(first_line);
    check_dates(first_line);
    (void)parse_rounding(first_line);
    return 0;
}
