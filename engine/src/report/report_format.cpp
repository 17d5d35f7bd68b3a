#include "report_format.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace subsim::report_detail {

namespace {

std::string two_digits(int v) {
    std::string s = std::to_string(v);
    return v < 10 ? "0" + s : s;
}

constexpr std::uint64_t kMaxUint64 = std::numeric_limits<std::uint64_t>::max();

/// Most decimals format_fixed_point() takes (NumberBuffer is sized for them).
constexpr int kMaxFixedDecimals = 38;

/// |v| without overflow (the magnitude of the most negative value fits unsigned).
unsigned __int128 magnitude_of(__int128 v) {
    return v < 0 ? 0 - static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
}

char digit_char(unsigned value) { return static_cast<char>('0' + value); }

/// Writes magnitude / 10^decimals backwards so that the text ends just before `end`:
/// exactly `decimals` digits after the point (no point for 0 decimals) and at least one
/// before it. Returns the first character.
template <class Unsigned>
char* write_fixed_using(char* end, Unsigned magnitude, int decimals, char decimal_point) {
    char* first = end;
    for (int i = 0; i < decimals; ++i) {
        *--first = digit_char(static_cast<unsigned>(magnitude % 10));
        magnitude /= 10;
    }
    if (decimals > 0) *--first = decimal_point;
    do {
        *--first = digit_char(static_cast<unsigned>(magnitude % 10));
        magnitude /= 10;
    } while (magnitude > 0);
    return first;
}

/// write_fixed_using() in 64-bit arithmetic whenever the value fits: 64-bit division
/// by 10 compiles to a multiplication, 128-bit division is a library call per digit.
char* write_fixed_before(char* end, unsigned __int128 magnitude, int decimals, char decimal_point) {
    if (magnitude <= kMaxUint64)
        return write_fixed_using<std::uint64_t>(end, static_cast<std::uint64_t>(magnitude), decimals, decimal_point);
    return write_fixed_using<unsigned __int128>(end, magnitude, decimals, decimal_point);
}

std::string_view text_between(const char* first, const char* end) {
    return {first, static_cast<std::size_t>(end - first)};
}

/// True when csv_field() must quote the text.
bool needs_csv_quotes(std::string_view text) {
    for (char c : text)
        if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
    return false;
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
    const unsigned __int128 magnitude = magnitude_of(numerator);
    const auto divisor = static_cast<unsigned __int128>(denominator);
    // Adding ⌊d/2⌋ rounds an exact half up for even d; odd d has no exact half.
    const unsigned __int128 rounded = magnitude + divisor / 2;
    // The report writers divide once per row; when both operands fit 64 bits (they
    // always do there) a 64-bit division avoids the 128-bit library call.
    const unsigned __int128 q = rounded <= kMaxUint64 && divisor <= kMaxUint64
                                    ? static_cast<std::uint64_t>(rounded) / static_cast<std::uint64_t>(divisor)
                                    : rounded / divisor;
    return negative ? -static_cast<__int128>(q) : static_cast<__int128>(q);
}

__int128 percent_hundredths(const Decimal& share) {
    if (share.scale < 0 || share.scale > Decimal::kMaxScale) throw std::invalid_argument("decimal scale out of range");
    constexpr __int128 kHundredthsOfPercent = 10000;  // 1 = 100% = 10,000 hundredths
    return divide_half_up(static_cast<__int128>(share.units) * kHundredthsOfPercent, power_of_ten(share.scale));
}

std::string_view format_fixed_point(NumberBuffer& buffer, __int128 scaled, int decimals, char decimal_point) {
    if (decimals > kMaxFixedDecimals) throw std::invalid_argument("too many decimals");
    if (decimals < 0) decimals = 0;  // no fractional part, as with 0
    char* const end = buffer.data() + buffer.size();
    char* first = write_fixed_before(end, magnitude_of(scaled), decimals, decimal_point);
    if (scaled < 0) *--first = '-';
    return text_between(first, end);
}

std::string_view format_trimmed_decimal(NumberBuffer& buffer, std::int64_t units, int scale) {
    if (scale < 0 || scale > Decimal::kMaxScale) throw std::invalid_argument("decimal scale out of range");
    char* const end = buffer.data() + buffer.size();
    char* first = write_fixed_before(end, magnitude_of(units), scale, '.');
    if (units < 0) *--first = '-';
    const char* last = end;
    if (scale > 0) {
        // Trailing fractional zeros go, then a bare point; the point stops the zeros.
        while (last[-1] == '0') --last;
        if (last[-1] == '.') --last;
    }
    return text_between(first, last);
}

std::string fixed_point(__int128 scaled, int decimals, char decimal_point) {
    NumberBuffer buffer;
    return std::string(format_fixed_point(buffer, scaled, decimals, decimal_point));
}

std::string_view format_persons(NumberBuffer& buffer, Headcount h, char decimal_point) {
    constexpr Headcount kPerHundredth = kHeadcountScale / 100;  // headcount units per 1/100 person
    return format_fixed_point(buffer, divide_half_up(h, kPerHundredth), kPersonDecimals, decimal_point);
}

std::string_view format_yearly_persons(NumberBuffer& buffer, Headcount person_months, char decimal_point) {
    constexpr Headcount kPerHundredth = (kHeadcountScale / 100) * kMonthsPerYear;
    return format_fixed_point(buffer, divide_half_up(person_months, kPerHundredth), kPersonDecimals, decimal_point);
}

std::string persons_text(Headcount h, char decimal_point) {
    NumberBuffer buffer;
    return std::string(format_persons(buffer, h, decimal_point));
}

std::string yearly_persons_text(Headcount person_months, char decimal_point) {
    NumberBuffer buffer;
    return std::string(format_yearly_persons(buffer, person_months, decimal_point));
}

std::string csv_field(std::string_view text) {
    if (!needs_csv_quotes(text)) return std::string(text);
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

// ---- CsvWriter ----------------------------------------------------------------------

namespace {

/// The buffer goes to the stream when full: large enough that stream and system calls
/// are rare, small enough to stay in the CPU cache.
constexpr std::size_t kCsvBufferBytes = std::size_t{1} << 18;  // 256 KiB

}  // namespace

void TextBuffer::reserve(std::size_t capacity) {
    if (capacity <= capacity_) return;
    std::unique_ptr<char[]> grown(new char[capacity]);
    if (size_ > 0) std::memcpy(grown.get(), data_.get(), size_);
    data_ = std::move(grown);
    capacity_ = capacity;
}

CsvWriter::CsvWriter(std::ostream& out) : out_(&out), buffer_(kCsvBufferBytes) {}

CsvWriter::CsvWriter(TextBuffer buffer) : out_(nullptr), buffer_(std::move(buffer)) {
    buffer_.set_size(0);
    buffer_.reserve(kCsvBufferBytes);
}

void CsvWriter::make_room(std::size_t size) {
    if (out_ == nullptr) {
        buffer_.set_size(used_);
        buffer_.reserve(std::max(buffer_.capacity() * 2, used_ + size));
        return;
    }
    finish();
    if (buffer_.capacity() < size) buffer_ = TextBuffer(size);  // a field larger than the buffer
}

CsvWriter& CsvWriter::text(std::string_view value) {
    if (!needs_csv_quotes(value)) return escaped(value);
    return escaped(csv_field(value));
}

CsvWriter& CsvWriter::fixed(__int128 scaled, int decimals) {
    NumberBuffer number;
    return escaped(format_fixed_point(number, scaled, decimals));
}

void CsvWriter::header(std::initializer_list<std::string_view> columns) {
    for (std::string_view c : columns) text(c);
    end_row();
}

void CsvWriter::finish() {
    if (out_ == nullptr) return;
    out_->write(buffer_.data(), static_cast<std::streamsize>(used_));
    used_ = 0;
}

TextBuffer CsvWriter::take() {
    buffer_.set_size(used_);
    TextBuffer text = std::move(buffer_);
    buffer_ = TextBuffer();
    used_ = 0;
    row_started_ = false;
    return text;
}

// ---- CsvTable -------------------------------------------------------------------------

void CsvTable::header(CsvWriter& w) const {
    for (std::string_view c : columns_) w.text(c);
    w.end_row();
}

void CsvTable::format(CsvWriter& w, std::size_t begin, std::size_t end) const {
    if (begin > end || end > rows_) throw std::out_of_range("CSV rows out of range");
    format_rows_(w, begin, end);
}

void CsvTable::write(std::ostream& out) const {
    CsvWriter w(out);
    header(w);
    format(w, 0, rows_);
    w.finish();
}

std::string markdown_cell(std::string_view text) { return markdown_text(text); }

std::string markdown_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '\n':
            case '\r':
            case '\t': out += ' '; break;
            case '|': out += "\\|"; break;
            case '\\': out += "\\\\"; break;
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default: out += c;
        }
    }
    return out;
}

bool spreadsheet_formula_like(std::string_view text) {
    if (text.empty()) return false;
    switch (text.front()) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r': return true;
        default: return false;
    }
}

std::string spreadsheet_text(std::string_view text) {
    if (!spreadsheet_formula_like(text)) return std::string(text);
    std::string out = "'";
    out += text;
    return out;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
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
