#include "subsim/core/money.hpp"

#include <boost/multiprecision/cpp_int.hpp>

namespace subsim {
namespace {

namespace mp = boost::multiprecision;
using Wide = mp::int256_t;  // exact intermediate for decimal × decimal

constexpr int kMaxInternalScale = 18;

Wide pow10(int n) {
    Wide p = 1;
    for (int i = 0; i < n; ++i) p *= 10;
    return p;
}

// round(n / d) for d > 0, by `mode`. Half-up and up round away from zero; down
// truncates toward zero; half-even rounds ties to the even neighbour.
template <class Int>
Int divide_rounded(const Int& n, const Int& d, Rounding mode) {
    const bool negative = n < 0;
    const Int mag = negative ? Int(-n) : n;
    Int q = mag / d;
    const Int r = mag - q * d;
    if (r != 0) {
        switch (mode) {
            case Rounding::down: break;
            case Rounding::up: q += 1; break;
            case Rounding::half_up:
                if (r * 2 >= d) q += 1;
                break;
            case Rounding::half_even:
                if (r * 2 > d || (r * 2 == d && q % 2 != 0)) q += 1;
                break;
        }
    }
    return negative ? Int(-q) : q;
}

Dong to_dong(const Wide& w) {
    if (w > Wide(INT64_MAX) || w < Wide(INT64_MIN)) throw ArithmeticOverflow{};
    return static_cast<Dong>(w);
}

}  // namespace

std::optional<Rounding> parse_rounding(std::string_view text) {
    if (text == "half_up") return Rounding::half_up;
    if (text == "half_even") return Rounding::half_even;
    if (text == "down") return Rounding::down;
    if (text == "up") return Rounding::up;
    return std::nullopt;
}

std::string_view to_string(Rounding r) {
    switch (r) {
        case Rounding::half_up: return "half_up";
        case Rounding::half_even: return "half_even";
        case Rounding::down: return "down";
        case Rounding::up: return "up";
    }
    return "half_up";
}

Decimal exact_product(const Decimal& a, const Decimal& b) {
    Wide units = Wide(a.units) * Wide(b.units);
    int scale = a.scale + b.scale;
    while (scale > 0 && units % 10 == 0) {
        units /= 10;
        --scale;
    }
    if (scale > kMaxInternalScale) throw ArithmeticOverflow{};
    return Decimal{to_dong(units), scale};
}

Dong round_to_dong(const Decimal& value, Rounding mode) {
    if (value.scale == 0) return value.units;
    return to_dong(divide_rounded(Wide(value.units), pow10(value.scale), mode));
}

Dong round_product(const Decimal& a, const Decimal& b, Rounding mode) {
    return to_dong(divide_rounded(Wide(a.units) * Wide(b.units), pow10(a.scale + b.scale), mode));
}

Dong round_quotient(__int128 numerator, __int128 denominator, Rounding mode) {
    const __int128 q = divide_rounded<__int128>(numerator, denominator, mode);
    if (q > INT64_MAX || q < INT64_MIN) throw ArithmeticOverflow{};
    return static_cast<Dong>(q);
}

std::string format_dong_plain(Dong v) { return std::to_string(v); }

std::string format_grouped(std::int64_t v, char separator) {
    const bool negative = v < 0;
    unsigned long long mag = negative ? 0ULL - static_cast<unsigned long long>(v)
                                      : static_cast<unsigned long long>(v);
    std::string digits = std::to_string(mag);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3 + 1);
    const std::size_t lead = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (i - lead) % 3 == 0 && i >= lead) out.push_back(separator);
        out.push_back(digits[i]);
    }
    return negative ? "-" + out : out;
}

}  // namespace subsim
