#pragma once
/// Money is whole đồng in a signed 64-bit integer; every derived amount is computed
/// exactly (128-bit intermediate, checked) and rounded once, by a named rule.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "subsim/core/decimal.hpp"

namespace subsim {

/// Whole Vietnamese đồng.
using Dong = std::int64_t;

/// How an exact amount becomes whole đồng. The scenario chooses; default half_up.
enum class Rounding { half_up, half_even, down, up };

std::optional<Rounding> parse_rounding(std::string_view text);
std::string_view to_string(Rounding r);

/// Thrown when an exact computation leaves the range of its result type.
struct ArithmeticOverflow : std::exception {
    const char* what() const noexcept override { return "arithmetic overflow"; }
};

/// Exact product a × b as a Decimal (e.g. rate 4.5% × base salary 2,340,000 = 105,300).
/// Throws ArithmeticOverflow if it does not fit.
Decimal exact_product(const Decimal& a, const Decimal& b);

/// round(value) to whole đồng.
Dong round_to_dong(const Decimal& value, Rounding mode);

/// round(a × b) to whole đồng: the amount per person-month of a share of a contribution.
Dong round_product(const Decimal& a, const Decimal& b, Rounding mode);

/// round(numerator / denominator) for integers, denominator > 0.
/// Used on 128-bit products in the costing loop.
Dong round_quotient(__int128 numerator, __int128 denominator, Rounding mode);

/// Checked addition; throws ArithmeticOverflow.
inline Dong add_dong(Dong a, Dong b) {
    Dong r;
    if (__builtin_add_overflow(a, b, &r)) throw ArithmeticOverflow{};
    return r;
}

/// "1263600" (plain, for CSV/JSON).
std::string format_dong_plain(Dong v);
/// Vietnamese style "1.263.600" or English style "1,263,600" (no currency sign).
std::string format_grouped(std::int64_t v, char separator);

}  // namespace subsim
