#include "subsim/core/headcount.hpp"

#include <cmath>

namespace subsim {

Headcount apply_share(Headcount h, const Decimal& share) {
    if (share.scale == 0) {
        Headcount r;
        if (__builtin_mul_overflow(h, share.units, &r)) throw ArithmeticOverflow{};
        return r;
    }
    static constexpr std::int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                              1000000000, 10000000000, 100000000000, 1000000000000};
    if (share.scale < 0 || share.scale > 12) throw ArithmeticOverflow{};
    const std::int64_t den = kPow10[share.scale];
    std::int64_t product;  // fast path: non-negative and within 64 bits
    if (h >= 0 && share.units >= 0 && !__builtin_mul_overflow(h, share.units, &product) &&
        product <= INT64_MAX - den / 2)
        return (product + den / 2) / den;
    return round_quotient(static_cast<__int128>(h) * share.units, den, Rounding::half_up);
}

Headcount headcount_from_double(double persons) {
    const double scaled = persons * static_cast<double>(kHeadcountScale);
    if (!std::isfinite(scaled) || std::fabs(scaled) > 9.0e18) throw ArithmeticOverflow{};
    return static_cast<Headcount>(std::llround(scaled));
}

std::string format_headcount(Headcount h, int decimals) {
    if (decimals < 0) decimals = 0;
    if (decimals > 4) decimals = 4;
    __int128 div = 1;
    for (int i = decimals; i < 4; ++i) div *= 10;
    const Dong scaled = round_quotient(h, div, Rounding::half_up);  // units of 10^-decimals
    Decimal d{scaled, decimals};
    return d.to_string();
}

}  // namespace subsim
