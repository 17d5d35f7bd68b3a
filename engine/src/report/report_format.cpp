#include "report_format.hpp"

#include <stdexcept>

namespace subsim::report_detail {

namespace {

std::string two_digits(int v) {
    std::string s = std::to_string(v);
    return v < 10 ? "0" + s : s;
}

}  // namespace

__int128 power_of_ten(int exponent) {
    __int128 p = 1;
    for (int i = 0; i < exponent; ++i) p *= 10;
    return p;
}

const Scenario& scenario_of(const Results& r) {
    if (r.scenario == nullptr) throw std::invalid_argument("results carry no scenario");
    return *r.scenario;
}

__int128 divide_half_up(__int128 numerator, __int128 denominator) {
    const bool negative = numerator < 0;
    const __int128 magnitude = negative ? -numerator : numerator;
    const __int128 q = (magnitude + denominator / 2) / denominator;
    // Adding ⌊d/2⌋ rounds an exact half up for even d; odd d has no exact half.
    return negative ? -q : q;
}

__int128 percent_hundredths(const Decimal& share) {
    if (share.scale < 0 || share.scale > Decimal::kMaxScale) throw std::invalid_argument("decimal scale out of range");
    constexpr __int128 kHundredthsOfPercent = 10000;  // 1 = 100% = 10,000 hundredths
    return divide_half_up(static_cast<__int128>(share.units) * kHundredthsOfPercent, power_of_ten(share.scale));
}

std::string fixed_point(__int128 scaled, int decimals, char decimal_point) {
    const bool negative = scaled < 0;
    __int128 magnitude = negative ? -scaled : scaled;
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
        magnitude /= 10;
    } while (magnitude > 0);
    if (digits.size() <= static_cast<std::size_t>(decimals))
        digits.insert(0, static_cast<std::size_t>(decimals) + 1 - digits.size(), '0');
    if (decimals > 0) digits.insert(digits.size() - static_cast<std::size_t>(decimals), 1, decimal_point);
    return negative ? "-" + digits : digits;
}

std::string persons_text(Headcount h, char decimal_point) {
    const __int128 per_unit = kHeadcountScale / 100;  // headcount units per 1/100 person
    return fixed_point(divide_half_up(h, per_unit), kPersonDecimals, decimal_point);
}

std::string yearly_persons_text(Headcount person_months, char decimal_point) {
    const __int128 per_unit = (kHeadcountScale / 100) * kMonthsPerYear;
    return fixed_point(divide_half_up(person_months, per_unit), kPersonDecimals, decimal_point);
}

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string csv_row(std::initializer_list<std::string_view> fields) {
    std::string line;
    bool first = true;
    for (std::string_view f : fields) {
        if (!first) line += ',';
        line += csv_field(f);
        first = false;
    }
    line += '\n';
    return line;
}

std::string markdown_cell(std::string_view text) {
    std::string cell;
    for (char c : text) {
        if (c == '|') cell += "\\|";
        else if (c == '\n' || c == '\r') cell += ' ';
        else cell += c;
    }
    return cell;
}

std::string_view confidence_label(Confidence c, Lang lang) {
    const bool vi = lang == Lang::vi;
    switch (c) {
        case Confidence::high: return vi ? "cao" : "high";
        case Confidence::medium_high: return vi ? "khá cao" : "medium-high";
        case Confidence::medium: return vi ? "trung bình" : "medium";
        case Confidence::low: return vi ? "thấp" : "low";
        case Confidence::assumption: return vi ? "giả định" : "assumption";
        case Confidence::illustrative: return vi ? "minh họa" : "illustrative";
    }
    return "?";
}

std::string date_text(Date d, Lang lang) {
    if (lang == Lang::en) return d.to_string();
    return two_digits(d.day) + "/" + two_digits(d.month) + "/" + std::to_string(d.year);
}

std::string percent_text(const Decimal& share, Lang lang) {
    std::string text = share.to_percent_string();
    if (lang == Lang::vi) {
        for (char& c : text)
            if (c == '.') c = ',';
    }
    return text;
}

}  // namespace subsim::report_detail
