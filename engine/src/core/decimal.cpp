#include "subsim/core/decimal.hpp"

#include <algorithm>
#include <cstdlib>

namespace subsim {
namespace {

constexpr std::int64_t kPow10[19] = {1LL,
                                     10LL,
                                     100LL,
                                     1000LL,
                                     10000LL,
                                     100000LL,
                                     1000000LL,
                                     10000000LL,
                                     100000000LL,
                                     1000000000LL,
                                     10000000000LL,
                                     100000000000LL,
                                     1000000000000LL,
                                     10000000000000LL,
                                     100000000000000LL,
                                     1000000000000000LL,
                                     10000000000000000LL,
                                     100000000000000000LL,
                                     1000000000000000000LL};

bool fail(Decimal::ParseError* error, Decimal::ParseError why) {
    if (error) *error = why;
    return false;
}

// Scales `d` up to `scale` exactly; false on overflow.
bool rescale(const Decimal& d, int scale, __int128& out) {
    out = static_cast<__int128>(d.units);
    for (int s = d.scale; s < scale; ++s) out *= 10;
    return true;
}

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text, ParseError* error) {
    std::string_view s = text;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    bool percent = false;
    if (!s.empty() && s.back() == '%') {
        percent = true;
        s.remove_suffix(1);
        while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    }
    bool negative = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    // Digits, at most one point; a comma where the point belongs gets its own reason.
    std::size_t point = std::string_view::npos;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c >= '0' && c <= '9') continue;
        if (c == '.' && point == std::string_view::npos) {
            point = i;
            continue;
        }
        const bool comma_decimal = c == ',' && s.find_first_not_of("0123456789,") == std::string_view::npos &&
                                   std::count(s.begin(), s.end(), ',') == 1;
        fail(error, comma_decimal ? ParseError::comma_decimal : ParseError::not_number);
        return std::nullopt;
    }
    std::string_view whole = s.substr(0, point);
    std::string_view fraction = point == std::string_view::npos ? std::string_view{} : s.substr(point + 1);
    if (whole.empty() && fraction.empty()) {
        fail(error, ParseError::not_number);
        return std::nullopt;
    }
    // Exact values only: "70.000000000000000000%" is 70%, whatever the number of zeros.
    while (!whole.empty() && whole.front() == '0') whole.remove_prefix(1);
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
    int scale = static_cast<int>(fraction.size()) + (percent ? 2 : 0);
    // The fraction ends in a non-zero digit, so this is its exact scale: too many places
    // (4.5000000000000000000000000000001%), whatever the size of the digits.
    if (!fraction.empty() && scale > kMaxScale) {
        fail(error, ParseError::too_many_places);
        return std::nullopt;
    }
    __int128 units = 0;
    constexpr __int128 kLimit = static_cast<__int128>(INT64_MAX) * 100;
    for (std::string_view part : {whole, fraction})
        for (char c : part) {
            units = units * 10 + (c - '0');
            if (units > kLimit) {
                fail(error, ParseError::too_large);
                return std::nullopt;
            }
        }
    while (scale > 0 && units % 10 == 0) {
        units /= 10;
        --scale;
    }
    if (scale > kMaxScale) {
        fail(error, ParseError::too_many_places);
        return std::nullopt;
    }
    if (units > INT64_MAX) {
        fail(error, ParseError::too_large);
        return std::nullopt;
    }
    Decimal d{static_cast<std::int64_t>(units), scale};
    if (negative) d.units = -d.units;
    return d;
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
    const int scale = a.scale > b.scale ? a.scale : b.scale;
    __int128 x, y;
    rescale(a, scale, x);
    rescale(b, scale, y);
    return x < y ? std::strong_ordering::less
                 : (x > y ? std::strong_ordering::greater : std::strong_ordering::equal);
}

std::optional<Decimal> Decimal::add(const Decimal& a, const Decimal& b) {
    const int scale = a.scale > b.scale ? a.scale : b.scale;
    __int128 x, y;
    rescale(a, scale, x);
    rescale(b, scale, y);
    const __int128 sum = x + y;
    if (sum > INT64_MAX || sum < INT64_MIN) return std::nullopt;
    return Decimal{static_cast<std::int64_t>(sum), scale}.normalized();
}

Decimal Decimal::normalized() const {
    Decimal d = *this;
    while (d.scale > 0 && d.units % 10 == 0) {
        d.units /= 10;
        --d.scale;
    }
    if (d.units == 0) d.scale = 0;
    return d;
}

double Decimal::to_double() const {
    return static_cast<double>(units) / static_cast<double>(kPow10[scale]);
}

namespace {

std::string plain(std::int64_t units, int scale) {
    const bool negative = units < 0;
    // Work on the magnitude as unsigned so INT64_MIN is safe.
    unsigned long long mag = negative ? 0ULL - static_cast<unsigned long long>(units)
                                      : static_cast<unsigned long long>(units);
    std::string digits = std::to_string(mag);
    if (scale > 0) {
        if (static_cast<int>(digits.size()) <= scale)
            digits.insert(0, static_cast<std::size_t>(scale) + 1 - digits.size(), '0');
        digits.insert(digits.size() - static_cast<std::size_t>(scale), 1, '.');
        while (digits.back() == '0') digits.pop_back();
        if (digits.back() == '.') digits.pop_back();
    }
    return negative ? "-" + digits : digits;
}

}  // namespace

std::string Decimal::to_string() const { return plain(units, scale); }

std::string Decimal::to_percent_string() const {
    // ×100 is a shift of the scale by two.
    if (scale >= 2) return plain(units, scale - 2) + "%";
    __int128 u = units;
    for (int s = scale; s < 2; ++s) u *= 10;
    if (u > INT64_MAX || u < INT64_MIN) return to_string() + "×100%";
    return plain(static_cast<std::int64_t>(u), 0) + "%";
}

std::string Decimal::to_percent_fixed(int decimals) const {
    // value × 100 rounded half-up (away from zero) to `decimals` places.
    const int shift = decimals + 2 - scale;  // multiply units by 10^shift
    __int128 u = units;
    if (shift >= 0) {
        for (int i = 0; i < shift; ++i) u *= 10;
    } else {
        __int128 div = 1;
        for (int i = 0; i < -shift; ++i) div *= 10;
        const bool neg = u < 0;
        __int128 mag = neg ? -u : u;
        mag = (mag + div / 2) / div;
        u = neg ? -mag : mag;
    }
    const bool neg = u < 0;
    if (neg) u = -u;
    std::string digits;
    if (u == 0) digits = "0";
    while (u > 0) {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
        u /= 10;
    }
    if (decimals > 0) {
        if (static_cast<int>(digits.size()) <= decimals)
            digits.insert(0, static_cast<std::size_t>(decimals) + 1 - digits.size(), '0');
        digits.insert(digits.size() - static_cast<std::size_t>(decimals), 1, '.');
    }
    return neg ? "-" + digits : digits;
}

}  // namespace subsim
