#pragma once
/// Private helpers shared by the report writers: exact fixed-point text, CSV and
/// Markdown escaping, labels. Not part of the public interface.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "subsim/core/headcount.hpp"
#include "subsim/model/scenario.hpp"
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

/// A headcount (persons × kHeadcountScale) to 2 decimals, rounded half-up: "95.95".
std::string persons_text(Headcount h, char decimal_point = '.');

/// Person-months as a yearly average of persons (÷ 12) to 2 decimals, rounded half-up
/// once from the exact value: "95.95".
std::string yearly_persons_text(Headcount person_months, char decimal_point = '.');

/// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view text);

/// The fields as one CSV row ending in "\n".
std::string csv_row(std::initializer_list<std::string_view> fields);

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

}  // namespace subsim::report_detail
