#pragma once
/// Calendar dates and months. Value types: never compare dates as strings.
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace subsim {

/// A calendar day in the proleptic Gregorian calendar.
struct Date {
    int year = 1970;
    int month = 1;  ///< 1..12
    int day = 1;    ///< 1..31

    friend constexpr auto operator<=>(const Date&, const Date&) = default;

    /// Parses "YYYY-MM-DD"; nullopt if malformed or not a real day (2024-02-30).
    static std::optional<Date> parse(std::string_view text);
    static bool is_valid(int year, int month, int day);
    static int days_in_month(int year, int month);
    std::string to_string() const;  ///< "YYYY-MM-DD"
    Date next_day() const;
    Date previous_day() const;
};

/// A calendar month; `index()` is a dense ordinal (year * 12 + month - 1).
struct YearMonth {
    int year = 1970;
    int month = 1;  ///< 1..12

    friend constexpr auto operator<=>(const YearMonth&, const YearMonth&) = default;

    constexpr int index() const { return year * 12 + (month - 1); }
    static constexpr YearMonth from_index(int i) { return {i / 12, i % 12 + 1}; }
    constexpr Date first_day() const { return {year, month, 1}; }
    /// Parses "YYYY-MM" (or a full date, taking its month).
    static std::optional<YearMonth> parse(std::string_view text);
    std::string to_string() const;  ///< "YYYY-MM"
};

}  // namespace subsim
