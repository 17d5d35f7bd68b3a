#include "subsim/core/date.hpp"

#include <charconv>
#include <cstdio>

namespace subsim {
namespace {

bool parse_fixed(std::string_view s, int& out) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

int Date::days_in_month(int year, int month) {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

bool Date::is_valid(int year, int month, int day) {
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

std::optional<Date> Date::parse(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    Date d;
    if (!parse_fixed(text.substr(0, 4), d.year) || !parse_fixed(text.substr(5, 2), d.month) ||
        !parse_fixed(text.substr(8, 2), d.day))
        return std::nullopt;
    if (!is_valid(d.year, d.month, d.day)) return std::nullopt;
    return d;
}

std::string Date::to_string() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

Date Date::next_day() const {
    if (day < days_in_month(year, month)) return {year, month, day + 1};
    if (month < 12) return {year, month + 1, 1};
    return {year + 1, 1, 1};
}

Date Date::previous_day() const {
    if (day > 1) return {year, month, day - 1};
    if (month > 1) return {year, month - 1, days_in_month(year, month - 1)};
    return {year - 1, 12, 31};
}

std::optional<YearMonth> YearMonth::parse(std::string_view text) {
    if (text.size() == 10) {
        auto d = Date::parse(text);
        if (!d) return std::nullopt;
        return YearMonth{d->year, d->month};
    }
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    YearMonth m;
    if (!parse_fixed(text.substr(0, 4), m.year) || !parse_fixed(text.substr(5, 2), m.month))
        return std::nullopt;
    if (m.year < 1 || m.month < 1 || m.month > 12) return std::nullopt;
    return m;
}

std::string YearMonth::to_string() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    return buf;
}

}  // namespace subsim
