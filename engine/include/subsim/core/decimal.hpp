#pragma once
/// Exact decimal numbers for legal parameters (shares, rates). No binary floating point.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace subsim {

/// value = units / 10^scale, exactly. Shares and rates are fractions of one
/// (70% is units=70, scale=2). Scale is at most kMaxScale.
struct Decimal {
    static constexpr int kMaxScale = 12;

    std::int64_t units = 0;
    int scale = 0;

    static constexpr Decimal whole(std::int64_t v) { return {v, 0}; }
    static constexpr Decimal percent(std::int64_t p) { return {p, 2}; }  ///< percent(70) == 0.70
    static Decimal one() { return {1, 0}; }

    /// Why a text is not a decimal.
    enum class ParseError { not_number, comma_decimal, too_large, too_many_places };

    /// Parses "4.5%", "70%", "0.045", "2340000", "-1.5%", "70.00%". A trailing '%' divides
    /// by 100. `error` (if given) receives the reason on failure.
    static std::optional<Decimal> parse(std::string_view text, ParseError* error = nullptr);

    /// Exact comparison across scales.
    friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
    friend bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == 0; }

    /// Exact sum; nullopt on overflow.
    static std::optional<Decimal> add(const Decimal& a, const Decimal& b);
    bool is_negative() const { return units < 0; }
    bool is_zero() const { return units == 0; }
    Decimal normalized() const;  ///< strips trailing zeros from the scale

    double to_double() const;  ///< for display and headcount projection only
    /// Plain decimal text, trailing zeros trimmed: "0.045", "2340000".
    std::string to_string() const;
    /// As a percentage with trailing zeros trimmed: "4.5%", "70%".
    std::string to_percent_string() const;
    /// As a percentage rounded half-up to `decimals` places, no sign: "96.40".
    std::string to_percent_fixed(int decimals) const;
};

}  // namespace subsim
