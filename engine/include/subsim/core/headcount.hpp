#pragma once
/// Headcounts as fixed-point integers: 1 person = kHeadcountScale units (1/10,000 person).
/// Enrolment shares and projections may produce fractions of a person; fixing the
/// resolution here keeps every cost computed from them exact and reproducible.
#include <cstdint>
#include <string>

#include "subsim/core/decimal.hpp"
#include "subsim/core/money.hpp"

namespace subsim {

/// Persons × 10,000 (or person-months × 10,000).
using Headcount = std::int64_t;
inline constexpr Headcount kHeadcountScale = 10000;
/// Upper bound on persons in one input row (a validation limit, not a legal one).
inline constexpr std::int64_t kMaxPersonsPerRow = 1'000'000'000;  // 10^9

constexpr Headcount headcount_of_persons(std::int64_t persons) { return persons * kHeadcountScale; }

/// round_half_up(h × share) at headcount resolution; exact.
Headcount apply_share(Headcount h, const Decimal& share);

/// Quantizes a floating-point projection to headcount resolution (half away from zero).
/// Throws ArithmeticOverflow for non-finite or out-of-range values.
Headcount headcount_from_double(double persons);

/// Cost of persons × amount per person for one month: round(h × amount / scale).
inline Dong line_cost(Headcount h, Dong amount, Rounding mode) {
    // Fast path (the usual case): non-negative, half-up, product fits in 64 bits.
    std::int64_t product;
    if (mode == Rounding::half_up && h >= 0 && amount >= 0 && !__builtin_mul_overflow(h, amount, &product) &&
        product <= INT64_MAX - kHeadcountScale / 2)
        return (product + kHeadcountScale / 2) / kHeadcountScale;
    return round_quotient(static_cast<__int128>(h) * amount, kHeadcountScale, mode);
}

/// Headcount as decimal text with up to `decimals` places, trailing zeros trimmed
/// ("1234", "950.95"); rounded half-up when decimals < 4.
std::string format_headcount(Headcount h, int decimals = 4);

}  // namespace subsim
