// The CSV side of the scenario loader: paths, hashes, and the tables a scenario names.
#include <algorithm>
#include <cmath>
#include <limits>
#include <array>
#include <bit>
#include <fstream>
#include <map>
#include <optional>
#include <system_error>

#include "loader_detail.hpp"
#include "subsim/core/paths.hpp"
#include "subsim/core/unicode.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/io/sha256.hpp"

namespace subsim::loader_detail {
namespace fs = std::filesystem;

/// A real number as messages show it ("0.5", "1000000000").
std::string fmt_real(double v) {
    std::string s = std::to_string(v);
    if (s.find('.') != std::string::npos) {
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (!s.empty() && s.back() == '.') s.pop_back();
    }
    return s;
}

void fail(const SourceLocation& where, std::string key, Text message) {
    throw ScenarioError(where, std::move(key), std::move(message));
}

Text decimal_problem(const Text& quoted, Decimal::ParseError why) {
    switch (why) {
        case Decimal::ParseError::comma_decimal: return i18n::tr("value.comma_decimal", {quoted});
        case Decimal::ParseError::too_large: return i18n::tr("value.too_large", {quoted});
        case Decimal::ParseError::too_many_places: return i18n::tr("value.too_many_places", {quoted, Decimal::kMaxScale});
        case Decimal::ParseError::not_number: break;
    }
    return i18n::tr("value.not_number", {quoted});
}

// ---------------------------------------------------------------- names

bool NameIndex::add(const std::string& name, int index) {
    if (!index_.emplace(name, index).second) return false;
    names_.push_back(name);
    return true;
}

int NameIndex::find(std::string_view name) const {
    auto it = index_.find(name);
    return it == index_.end() ? -1 : it->second;
}

Text NameIndex::hint(std::string_view name) const {
    constexpr std::size_t kMaxHintLength = 64;
    if (name.empty() || name.size() > kMaxHintLength) return {};
    // A code typed without its leading zeros (a spreadsheet drops them): "80" for "080".
    const bool digits = std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {
        for (const auto& candidate : names_) {
            if (candidate.size() <= name.size() || candidate.compare(candidate.size() - name.size(), name.size(), name) != 0)
                continue;
            const std::string_view pad(candidate.data(), candidate.size() - name.size());
            if (std::all_of(pad.begin(), pad.end(), [](char c) { return c == '0'; }))
                return i18n::tr("hint.leading_zeros", {i18n::quoted(candidate)});
        }
    }
    const std::string* best = nullptr;
    std::size_t best_distance = 0;
    for (const auto& candidate : names_) {  // declaration order breaks ties
        if (candidate.size() > kMaxHintLength) continue;
        const std::size_t d = edit_distance(name, candidate);
        if (best == nullptr || d < best_distance) {
            best = &candidate;
            best_distance = d;
        }
    }
    if (best == nullptr) return {};
    const std::size_t longest = std::max(name.size(), best->size());
    if (best_distance > 2 && best_distance * 2 > longest) return {};
    return i18n::tr("hint.did_you_mean", {i18n::quoted(*best)});
}

bool is_identifier(std::string_view text) {
    constexpr std::size_t kMaxIdLength = 64;
    if (text.empty() || text.size() > kMaxIdLength) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.';
    });
}

std::optional<UnitLevel> parse_unit_level(std::string_view text) {
    if (text == "province") return UnitLevel::province;
    if (text == "district") return UnitLevel::district;
    if (text == "commune") return UnitLevel::commune;
    return std::nullopt;
}

std::string normalize_attribute_value(std::string value) {
    if (value == "true" || value == "True" || value == "TRUE") return "true";
    if (value == "false" || value == "False" || value == "FALSE") return "false";
    return value;
}

// ---------------------------------------------------------------- paths

namespace {

fs::path absolute_normal(const fs::path& p) {
    std::error_code ec;
    fs::path a = fs::absolute(p, ec);
    if (ec) a = p;
    return a.lexically_normal();
}

fs::path canonical_or_self(const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    return ec ? p : c;
}

std::string read_file_bounded(const fs::path& path, const SourceLocation& where,
                              const std::string& key, const std::string& display) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) fail(where, key, i18n::tr("table.cannot_read_because", {i18n::quoted(display), i18n::system_error(ec)}));
    if (size > kMaxCsvBytes)
        fail(where, key, i18n::tr("table.too_large", {i18n::quoted(display), static_cast<std::int64_t>(kMaxCsvBytes >> 20)}));
    std::ifstream in(path, std::ios::binary);
    std::string content(static_cast<std::size_t>(size), '\0');
    in.read(content.data(), static_cast<std::streamsize>(size));
    if (!in || in.gcount() != static_cast<std::streamsize>(size))
        fail(where, key, i18n::tr("table.cannot_read", {i18n::quoted(display)}));
    return content;
}

}  // namespace

PathContext PathContext::make(const std::string& scenario_path, const std::string& root_option) {
    PathContext c;
    c.display_dir = fs::path(scenario_path).parent_path();
    c.scenario_dir = absolute_normal(fs::path(scenario_path)).parent_path();
    if (!root_option.empty()) {
        c.root_lexical = absolute_normal(fs::path(root_option));
    } else {
        c.root_lexical = c.scenario_dir;
        for (fs::path p = c.scenario_dir; !p.empty(); p = p.parent_path()) {
            if (p.filename() == "scenarios") {
                c.root_lexical = p;
                break;
            }
            if (p == p.parent_path()) break;
        }
    }
    c.root_canonical = canonical_or_self(c.root_lexical);
    return c;
}

std::string PathContext::relative_to_root(const fs::path& absolute) const {
    return canonical_or_self(absolute).lexically_relative(root_canonical).generic_string();
}

std::string display_path(const PathContext& paths, const std::string& relative) {
    return (paths.display_dir / fs::path(relative)).lexically_normal().generic_string();
}

ScenarioTable read_scenario_table(const PathContext& paths, const std::string& relative,
                                  const SourceLocation& where, const std::string& key) {
    if (relative.empty()) fail(where, key, i18n::tr("path.empty"));
    const fs::path rel(relative);
    if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory())
        fail(where, key, i18n::tr("path.absolute", {i18n::quoted(relative)}));
    const fs::path lexical = (paths.scenario_dir / rel).lexically_normal();
    const fs::path canonical = canonical_or_self(lexical);
    if (!starts_with_path(lexical, paths.root_lexical) ||
        !starts_with_path(canonical, paths.root_canonical))
        fail(where, key, i18n::tr("path.leaves_root", {i18n::quoted(relative), i18n::quoted(paths.root_lexical.generic_string())}));
    const std::string display = display_path(paths, relative);
    std::error_code ec;
    if (!fs::exists(canonical, ec)) fail(where, key, i18n::tr("path.missing", {i18n::quoted(relative), display}));
    if (!fs::is_regular_file(canonical, ec)) fail(where, key, i18n::tr("path.not_regular", {i18n::quoted(relative)}));

    std::string content = read_file_bounded(canonical, where, key, relative);
    InputFile input{paths.relative_to_root(canonical), sha256_hex(content)};
    return {std::move(input), csv_detail::parse_csv_cells(display, std::move(content))};
}

std::string read_scenario_text(const PathContext& paths, const std::string& relative, const SourceLocation& where,
                               const std::string& key, std::vector<InputFile>& inputs) {
    if (relative.empty()) fail(where, key, i18n::tr("path.empty"));
    const fs::path rel(relative);
    if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory())
        fail(where, key, i18n::tr("path.absolute", {i18n::quoted(relative)}));
    const fs::path lexical = (paths.scenario_dir / rel).lexically_normal();
    const fs::path canonical = canonical_or_self(lexical);
    if (!starts_with_path(lexical, paths.root_lexical) || !starts_with_path(canonical, paths.root_canonical))
        fail(where, key, i18n::tr("path.leaves_root", {i18n::quoted(relative), i18n::quoted(paths.root_lexical.generic_string())}));
    const std::string display = display_path(paths, relative);
    std::error_code ec;
    if (!fs::exists(canonical, ec)) fail(where, key, i18n::tr("path.missing", {i18n::quoted(relative), display}));
    if (!fs::is_regular_file(canonical, ec)) fail(where, key, i18n::tr("path.not_regular", {i18n::quoted(relative)}));
    std::string content = read_file_bounded(canonical, where, key, relative);
    if (const auto problem = check_utf8(content)) {
        const TextPosition at = position_of(content, problem->offset);
        fail({display, at.line, at.column}, "", i18n::tr("text.not_utf8_yaml"));
    }
    record_input(inputs, {paths.relative_to_root(canonical), sha256_hex(content)});
    return content;
}

void record_input(std::vector<InputFile>& inputs, InputFile input) {
    const bool seen = std::any_of(inputs.begin(), inputs.end(),
                                  [&](const InputFile& f) { return f.path == input.path; });
    if (!seen) inputs.push_back(std::move(input));
}

CsvCells read_scenario_csv(const PathContext& paths, const std::string& relative,
                           const SourceLocation& where, const std::string& key,
                           std::vector<InputFile>& inputs) {
    ScenarioTable table = read_scenario_table(paths, relative, where, key);
    record_input(inputs, std::move(table.input));
    return std::move(table.cells);
}

// ---------------------------------------------------------------- cells

namespace {

/// A table's columns, checked: exactly `names` (any order), no other column.
class Columns {
public:
    Columns(const CsvCells& t, std::initializer_list<std::string_view> names) {
        const auto& header = t.header();
        for (auto name : names) index_.push_back(t.require_column(name));
        for (std::size_t c = 0; c < header.size(); ++c) {
            if (std::find(index_.begin(), index_.end(), static_cast<int>(c)) != index_.end()) continue;
            std::string expected;
            for (auto name : names) expected += (expected.empty() ? "" : ", ") + std::string(name);
            fail({t.file(), 1, static_cast<int>(c) + 1}, header[c],
                 i18n::tr("table.unexpected_column", {i18n::quoted(header[c]), expected}));
        }
    }
    int operator[](std::size_t i) const { return index_[i]; }

private:
    std::vector<int> index_;
};

struct Cell {
    const CsvCells& t;
    std::size_t row;
    int column;

    std::string_view text() const { return t.cell(row, static_cast<std::size_t>(column)); }
    const std::string& name() const { return t.header()[static_cast<std::size_t>(column)]; }
    SourceLocation where() const { return t.where(row, column); }
    [[noreturn]] void fail_with(Text message) const { fail(where(), name(), std::move(message)); }
    Text quoted() const { return i18n::quoted(text()); }
};

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

int read_year(const Cell& c) {
    const std::string_view s = c.text();
    if (s.empty() || s.size() > 4 || !all_digits(s)) c.fail_with(i18n::tr("value.not_year", {c.quoted()}));
    int year = 0;
    for (char ch : s) year = year * 10 + (ch - '0');
    if (year < kMinYear || year > kMaxYear)
        c.fail_with(i18n::tr("value.year_out_of_range", {c.quoted(), kMinYear, kMaxYear}));
    return year;
}

std::int64_t read_persons(const Cell& c) {
    if (auto n = parse_count(c.text())) return *n;
    const std::string_view s = c.text();
    if (!s.empty() && all_digits(s))
        c.fail_with(i18n::tr("value.too_many_persons", {c.quoted(), i18n::grouped(kMaxPersonsPerRow)}));
    if (!s.empty() && (s.front() == '-'))
        c.fail_with(i18n::tr("value.negative_count", {c.quoted()}));
    if (s.find_first_of(".,") != std::string_view::npos && s.find_first_not_of("0123456789.,") == std::string_view::npos)
        c.fail_with(i18n::tr("value.count_with_separator", {c.quoted()}));
    c.fail_with(i18n::tr("value.not_count", {c.quoted()}));
}

/// A coverage target written as a percentage with or without its sign ("95", "95.5%"),
/// as an exact fraction of at most 1.
Decimal read_target_share(const Cell& c) {
    std::string text(c.text());
    const bool digits_only = !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) {
        return (ch >= '0' && ch <= '9') || ch == '.' || ch == '%';
    });
    if (!digits_only) {
        Decimal::ParseError why{};
        if (!Decimal::parse(text, &why) && why == Decimal::ParseError::comma_decimal)
            c.fail_with(i18n::tr("value.comma_decimal", {c.quoted()}));
        c.fail_with(i18n::tr("value.not_target", {c.quoted()}));
    }
    if (text.back() != '%') text += '%';
    Decimal::ParseError why{};
    auto value = Decimal::parse(text, &why);
    if (!value) c.fail_with(decimal_problem(c.quoted(), why));
    if (*value > Decimal::one()) c.fail_with(i18n::tr("value.target_over_100", {c.quoted()}));
    return value->normalized();
}

/// Reads one column of unit codes or group ids. It remembers the previous row's name:
/// tables usually list a unit's rows together, so most rows skip the hash lookup.
class NameReader {
public:
    /// `unknown` is the catalogue key of the message for a name not in `index`.
    NameReader(const NameIndex& index, const char* unknown) : index_(index), unknown_(unknown) {}

    int read(const Cell& c) {
        const std::string_view name = c.text();
        if (last_ >= 0 && name == last_name_) return last_;
        // Codes and ids are compared in NFC (ASCII, nearly always, is already).
        const int found = is_ascii(name) ? index_.find(name) : index_.find(to_nfc(name));
        if (found < 0) c.fail_with(i18n::tr(unknown_, {c.quoted(), index_.hint(name)}));
        last_name_ = name;
        last_ = found;
        return found;
    }

private:
    const NameIndex& index_;
    const char* unknown_;
    std::string_view last_name_;  ///< a view into the table being read
    int last_ = -1;
};

NameReader unit_reader(const Lookups& lookups) { return {lookups.units, "unit.unknown"}; }
NameReader group_reader(const Lookups& lookups) { return {lookups.groups, "group.not_declared"}; }

/// A row's key for duplicate checks: year (or month), unit, group(s); unused parts 0.
using Key = std::array<int, 4>;

/// Finds earlier rows with the same key: an open-addressing table of indices into a
/// list of keys, sized once (never more than two thirds full), no allocation per row.
class KeyTable {
public:
    explicit KeyTable(const std::vector<Key>& keys)
        : keys_(keys), slots_(std::bit_ceil(keys.size() * 3 / 2 + 1)) {}

    /// Enters keys[row], or returns the earlier row that has the same key.
    std::optional<std::size_t> insert(std::size_t row) {
        const Key& key = keys_[row];
        const std::uint64_t h = hash(key);
        const auto tag = static_cast<std::uint32_t>(h >> 32);  // skips most key comparisons
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
            Slot& slot = slots_[i];
            if (slot.row == 0) {
                slot = {tag, static_cast<std::uint32_t>(row + 1)};
                return std::nullopt;
            }
            if (slot.tag == tag && keys_[slot.row - 1] == key) return slot.row - 1;
        }
    }

private:
    struct Slot {
        std::uint32_t tag = 0;
        std::uint32_t row = 0;  ///< 1 + index into keys_; 0 = empty (tables hold < 2^32 rows)
    };

    static std::uint64_t hash(const Key& key) {
        std::uint64_t h = 0;
        for (int part : key) h = (h ^ static_cast<std::uint32_t>(part)) * 0x9E3779B97F4A7C15u;
        h ^= h >> 33;  // let the high bits reach the low ones the mask keeps
        h *= 0xFF51AFD7ED558CCDu;
        h ^= h >> 33;
        return h;
    }

    const std::vector<Key>& keys_;
    std::vector<Slot> slots_;
};

/// Refuses the first row of `keys` whose key an earlier row has, at its cell in the
/// first of `key_columns` (wherever the header puts it). `describe(row, key)` names the
/// key as written; it runs only for the duplicate.
template <class Describe>
void refuse_duplicates(const CsvCells& t, const std::vector<Key>& keys, const char* key_columns,
                       Describe describe) {
    KeyTable table(keys);
    for (std::size_t r = 0; r < keys.size(); ++r) {
        if (const auto first = table.insert(r)) {
            const std::string_view names(key_columns);
            fail(t.where(r, t.column(names.substr(0, names.find(',')))), key_columns,
                 i18n::tr("table.duplicate_row", {describe(r, keys[r]), t.row_line(*first)}));
        }
    }
}

/// Reads every row of `t` with `read_row(row)`, which returns the row's key, and
/// refuses two rows with the same key. Keys are checked in one pass after the rows are
/// read (the table then stays in cache), yet the error is still the first problem in
/// file order: when a row is bad, a duplicate among the rows before it wins.
template <class ReadRow, class Describe>
void read_unique_rows(const CsvCells& t, const char* key_columns, ReadRow read_row, Describe describe) {
    std::vector<Key> keys;
    keys.reserve(t.row_count());
    try {
        for (std::size_t r = 0; r < t.row_count(); ++r) keys.push_back(read_row(r));
    } catch (const ScenarioError&) {
        refuse_duplicates(t, keys, key_columns, describe);
        throw;
    }
    refuse_duplicates(t, keys, key_columns, describe);
}

std::vector<bool> leaf_flags(const Scenario& s) {
    std::vector<bool> leaf(s.units().size(), true);
    for (const auto& u : s.units())
        if (u.parent >= 0) leaf[static_cast<std::size_t>(u.parent)] = false;
    return leaf;
}

/// The unit a row keyed on a code means in `year` (a code may name several units in
/// succession): refused if no unit with that code is valid in the year.
int read_unit_in_year(const Cell& c, NameReader& units, const Lookups& lookups, const Scenario& s, int year) {
    const int first = units.read(c);
    if (lookups.next_same_code.empty() || (lookups.next_same_code[static_cast<std::size_t>(first)] < 0 &&
                                          s.units()[static_cast<std::size_t>(first)].valid_in(year)))
        return first;
    const int unit = unit_in_year(lookups, s.units(), first, year);
    if (unit < 0)
        c.fail_with(i18n::tr("validity.not_valid_in_year", {c.quoted(), s.units()[static_cast<std::size_t>(first)].name, year,
                                                            periods_of(lookups, s.units(), first)}));
    return unit;
}

/// The same for a row dated `d` (a month's first day).
int read_unit_on(const Cell& c, NameReader& units, const Lookups& lookups, const Scenario& s, Date d) {
    const int first = units.read(c);
    const int unit = unit_on(lookups, s.units(), first, d);
    if (unit < 0)
        c.fail_with(i18n::tr("validity.not_valid", {c.quoted(), s.units()[static_cast<std::size_t>(first)].name, d.to_string(),
                                                    periods_of(lookups, s.units(), first)}));
    return unit;
}

int read_leaf_unit(const Cell& c, NameReader& units, const std::vector<bool>& leaf, const Lookups& lookups,
                   const Scenario& s, int year) {
    const int unit = read_unit_in_year(c, units, lookups, s, year);
    if (!leaf[static_cast<std::size_t>(unit)])
        c.fail_with(i18n::tr("unit.not_leaf", {c.quoted()}));
    return unit;
}

}  // namespace

// ---------------------------------------------------------------- units

/// A `valid_from`/`valid_to` cell: empty (an open end) or a date that exists.
static std::optional<Date> read_valid_date(const Cell& c) {
    const std::string_view text = c.text();
    if (text.empty()) return std::nullopt;
    if (auto d = Date::parse(text)) return d;
    const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                        std::all_of(text.begin(), text.end(), [](char ch) { return (ch >= '0' && ch <= '9') || ch == '-'; });
    c.fail_with(i18n::tr(shaped ? "value.date_does_not_exist" : "value.not_date", {c.quoted()}));
}

std::vector<UnitDraft> read_unit_table(const CsvCells& t) {
    const auto& header = t.header();
    const int code = t.require_column("code");
    const int name = t.require_column("name");
    const int level = t.require_column("level");
    const int parent = t.require_column("parent");
    const int valid_from = t.column("valid_from");
    const int valid_to = t.column("valid_to");
    std::vector<std::pair<std::string, int>> attributes;
    for (std::size_t c = 0; c < header.size(); ++c) {
        const int ci = static_cast<int>(c);
        if (ci == code || ci == name || ci == level || ci == parent || ci == valid_from || ci == valid_to) continue;
        if (!is_identifier(header[c]))
            fail({t.file(), 1, ci + 1}, header[c], i18n::tr("attributes.bad_name", {i18n::quoted(header[c])}));
        // Each unit keeps its own copy of every attribute: a thousand columns of 14,000
        // units took 1 GB. Far more than any unit list has (Ninh Bình's has four).
        constexpr std::size_t kMaxAttributes = 64;
        if (attributes.size() == kMaxAttributes)
            fail({t.file(), 1, ci + 1}, header[c], i18n::tr("attributes.too_many", {static_cast<long>(kMaxAttributes)}));
        attributes.emplace_back(header[c], ci);
    }
    std::sort(attributes.begin(), attributes.end());

    std::vector<UnitDraft> drafts;
    drafts.reserve(t.row_count());
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        UnitDraft d;
        const Cell code_cell{t, r, code}, name_cell{t, r, name}, level_cell{t, r, level};
        if (code_cell.text().empty()) code_cell.fail_with(i18n::tr("unit.empty_code"));
        if (name_cell.text().empty()) name_cell.fail_with(i18n::tr("unit.empty_name"));
        auto lv = parse_unit_level(level_cell.text());
        if (!lv) level_cell.fail_with(i18n::tr("value.not_one_of", {level_cell.quoted(), "province, district, commune"}));
        d.unit.code = to_nfc(code_cell.text());
        d.unit.name = to_nfc(name_cell.text());
        d.unit.level = *lv;
        d.unit.where = t.where(r, -1);
        d.unit.where.column = 0;
        for (const auto& [attr, column] : attributes) {
            const std::string_view value = t.cell(r, static_cast<std::size_t>(column));
            if (value.empty()) continue;
            d.unit.attributes.emplace_back(attr, to_nfc(normalize_attribute_value(std::string(value))));
        }
        d.code_where = code_cell.where();
        d.code_key = "code";
        d.parent_code = to_nfc(t.cell(r, static_cast<std::size_t>(parent)));
        d.parent_where = t.where(r, parent);
        d.parent_key = "parent";
        if (valid_from >= 0) {
            const Cell from{t, r, valid_from};
            d.unit.valid.from = read_valid_date(from);
            d.valid_from_where = from.where();
            d.valid_from_key = "valid_from";
        }
        if (valid_to >= 0) {
            const Cell to{t, r, valid_to};
            d.unit.valid.to = read_valid_date(to);
            d.valid_to_where = to.where();
            d.valid_to_key = "valid_to";
        }
        drafts.push_back(std::move(d));
    }
    return drafts;
}

static void refuse_parent_cycles(const std::vector<UnitDraft>& drafts) {
    // Walk each unit's parent chain once: 1 = on the chain being walked, 2 = known to
    // reach a root. Meeting a unit marked 1 again means the chain loops.
    std::vector<char> state(drafts.size(), 0);
    std::vector<int> chain;
    for (std::size_t start = 0; start < drafts.size(); ++start) {
        chain.clear();
        int u = static_cast<int>(start);
        while (u >= 0 && state[static_cast<std::size_t>(u)] == 0) {
            state[static_cast<std::size_t>(u)] = 1;
            chain.push_back(u);
            u = drafts[static_cast<std::size_t>(u)].unit.parent;
        }
        if (u >= 0 && state[static_cast<std::size_t>(u)] == 1) {
            const auto& first = drafts[static_cast<std::size_t>(u)];
            std::string text = first.unit.code;
            constexpr std::size_t kMaxShown = 8;
            std::size_t shown = 0;
            for (int v = first.unit.parent; shown < kMaxShown; v = drafts[static_cast<std::size_t>(v)].unit.parent, ++shown) {
                text += " -> " + drafts[static_cast<std::size_t>(v)].unit.code;
                if (v == u) break;
            }
            if (shown == kMaxShown) text += " -> ...";
            fail(first.parent_where, first.parent_key, i18n::tr("unit.parent_cycle", {i18n::quoted(first.unit.code), text}));
        }
        for (int v : chain) state[static_cast<std::size_t>(v)] = 2;
    }
}

/// Units nest province > district > commune, and at most kMaxUnitDepth deep; both checks
/// are linear in the number of units (depths are remembered, never re-walked).
static void refuse_bad_nesting(const std::vector<UnitDraft>& drafts) {
    const auto rank = [](UnitLevel l) { return l == UnitLevel::province ? 0 : l == UnitLevel::district ? 1 : 2; };
    for (const UnitDraft& d : drafts) {
        if (d.unit.parent < 0) continue;
        const Unit& parent = drafts[static_cast<std::size_t>(d.unit.parent)].unit;
        if (rank(parent.level) >= rank(d.unit.level))
            fail(d.parent_where, d.parent_key,
                 i18n::tr("unit.level_order", {i18n::quoted(d.unit.code), std::string(to_string(d.unit.level)),
                                               i18n::quoted(parent.code), std::string(to_string(parent.level))}));
    }
    // Levels strictly rise towards the root, so depth is at most 3 here; the cap guards
    // the algorithms that walk up the tree should more levels ever be allowed.
    std::vector<int> depth(drafts.size(), -1);
    for (std::size_t start = 0; start < drafts.size(); ++start) {
        std::vector<int> chain;
        int u = static_cast<int>(start);
        while (u >= 0 && depth[static_cast<std::size_t>(u)] < 0) {
            chain.push_back(u);
            u = drafts[static_cast<std::size_t>(u)].unit.parent;
        }
        int d = u < 0 ? 0 : depth[static_cast<std::size_t>(u)] + 1;
        for (auto it = chain.rbegin(); it != chain.rend(); ++it, ++d) {
            depth[static_cast<std::size_t>(*it)] = d;
            if (d >= kMaxUnitDepth) {
                const UnitDraft& deep = drafts[static_cast<std::size_t>(*it)];
                fail(deep.parent_where, deep.parent_key, i18n::tr("unit.too_deep", {kMaxUnitDepth}));
            }
        }
    }
}

namespace {

bool same_place(const SourceLocation& a, const SourceLocation& b) {
    return a.file == b.file && a.line == b.line && a.column == b.column;
}

/// Periods: a period that ends before it starts, or two units with one code whose
/// periods overlap, is refused (crosswalk.hpp's check_validity_periods). Two units of one
/// code with no period at all are plain duplicates.
void refuse_bad_periods(const std::vector<UnitDraft>& drafts, const Lookups& lookups) {
    std::vector<DatedUnit> dated;
    dated.reserve(drafts.size());
    for (const UnitDraft& d : drafts) dated.push_back({d.unit.code, d.unit.name, d.unit.valid, d.code_where});
    const auto issues = check_validity_periods(dated);
    if (issues.empty()) return;
    const CrosswalkIssue& issue = issues.front();
    std::size_t i = 0;
    while (i < drafts.size() && !same_place(drafts[i].code_where, issue.where)) ++i;
    if (i == drafts.size()) throw issue.error();
    const UnitDraft& d = drafts[i];
    if (issue.problem == CrosswalkProblem::period_reversed)
        fail(d.valid_to_where, d.valid_to_key, issue.message);
    const int first = lookups.units.find(d.unit.code);
    const UnitDraft& f = drafts[static_cast<std::size_t>(first)];
    if (!d.unit.valid.from && !d.unit.valid.to && !f.unit.valid.from && !f.unit.valid.to)
        fail(d.code_where, d.code_key, i18n::tr("unit.duplicate_code", {i18n::quoted(d.unit.code), f.code_where.line}));
    const bool has_from = d.unit.valid.from.has_value();
    fail(has_from ? d.valid_from_where : d.code_where, has_from ? d.valid_from_key : d.code_key, issue.message);
}

/// The period `outer` holds the whole of `inner` (open ends included).
bool holds(const ValidityPeriod& outer, const ValidityPeriod& inner) {
    const bool start = !outer.from || (inner.from && *outer.from <= *inner.from);
    const bool end = !outer.to || (inner.to && *inner.to <= *outer.to);
    return start && end;
}

}  // namespace

int unit_in_year(const Lookups& lookups, const std::vector<Unit>& units, int first, int year) {
    int later = -1;
    for (int u = first; u >= 0; u = lookups.next_same_code.empty() ? -1 : lookups.next_same_code[static_cast<std::size_t>(u)]) {
        const Unit& unit = units[static_cast<std::size_t>(u)];
        if (unit.valid_on(Date{year, 1, 1})) return u;
        if (unit.valid_in(year) && (later < 0 || *unit.valid.from < *units[static_cast<std::size_t>(later)].valid.from)) later = u;
    }
    return later;
}

int unit_on(const Lookups& lookups, const std::vector<Unit>& units, int first, Date d) {
    for (int u = first; u >= 0; u = lookups.next_same_code.empty() ? -1 : lookups.next_same_code[static_cast<std::size_t>(u)])
        if (units[static_cast<std::size_t>(u)].valid_on(d)) return u;
    return -1;
}

std::string periods_of(const Lookups& lookups, const std::vector<Unit>& units, int first) {
    std::string out;
    for (int u = first; u >= 0; u = lookups.next_same_code.empty() ? -1 : lookups.next_same_code[static_cast<std::size_t>(u)])
        out += (out.empty() ? "" : "; ") + units[static_cast<std::size_t>(u)].valid.to_string();
    return out;
}

void resolve_units(std::vector<UnitDraft> drafts, Scenario& s, Lookups& lookups) {
    lookups.next_same_code.assign(drafts.size(), -1);
    std::vector<int> last_same(drafts.size(), -1);  // per first unit of a code: the last one so far
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        const auto& d = drafts[i];
        if (lookups.units.add(d.unit.code, static_cast<int>(i))) {
            last_same[i] = static_cast<int>(i);
            continue;
        }
        const int first = lookups.units.find(d.unit.code);
        lookups.next_same_code[static_cast<std::size_t>(last_same[static_cast<std::size_t>(first)])] = static_cast<int>(i);
        last_same[static_cast<std::size_t>(first)] = static_cast<int>(i);
    }
    refuse_bad_periods(drafts, lookups);
    for (auto& d : drafts) {
        if (d.parent_code.empty()) continue;
        const int first = lookups.units.find(d.parent_code);
        if (first < 0)
            fail(d.parent_where, d.parent_key,
                 i18n::tr("unit.unknown", {i18n::quoted(d.parent_code), lookups.units.hint(d.parent_code)}));
        // The unit of that code whose period holds the child's.
        int parent = -1;
        for (int u = first; u >= 0; u = lookups.next_same_code[static_cast<std::size_t>(u)])
            if (holds(drafts[static_cast<std::size_t>(u)].unit.valid, d.unit.valid)) {
                parent = u;
                break;
            }
        if (parent < 0) {
            std::string periods;
            for (int u = first; u >= 0; u = lookups.next_same_code[static_cast<std::size_t>(u)])
                periods += (periods.empty() ? "" : "; ") + drafts[static_cast<std::size_t>(u)].unit.valid.to_string();
            fail(d.parent_where, d.parent_key,
                 i18n::tr("validity.parent_not_valid", {i18n::quoted(d.unit.code), d.unit.valid.to_string(),
                                                        i18n::quoted(d.parent_code), periods}));
        }
        d.unit.parent = parent;
    }
    refuse_parent_cycles(drafts);
    refuse_bad_nesting(drafts);
    s.data_mut().units.clear();
    s.data_mut().units.reserve(drafts.size());
    for (auto& d : drafts) {
        d.unit.code_where = d.code_where;
        s.data_mut().units.push_back(std::move(d.unit));
    }
}

// ---------------------------------------------------------------- tables

void load_cohort_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, Scenario& s) {
    const Columns col(t, {"year", "unit_code", "group", "persons"});
    const auto leaf = leaf_flags(s);
    NameReader units = unit_reader(lookups), groups = group_reader(lookups);
    s.data->cohorts.reserve(s.data->cohorts.size() + t.row_count());
    const auto read_row = [&](std::size_t r) {
        CohortRow row;
        row.year = read_year({t, r, col[0]});
        row.unit = read_leaf_unit({t, r, col[1]}, units, leaf, lookups, s, row.year);
        row.group = groups.read({t, r, col[2]});
        row.persons = read_persons({t, r, col[3]});
        row.where = RowRef{file, t.row_line(r)};
        const Key key{row.year, row.unit, row.group, 0};
        s.data->cohorts.push_back(std::move(row));
        return key;
    };
    read_unique_rows(t, "year,unit_code,group", read_row, [&](std::size_t r, const Key& key) {
        return i18n::tr("table.key.year_unit_group", {key[0], std::string(t.cell(r, col[1])), std::string(t.cell(r, col[2]))});
    });
}

void load_inflow_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, Scenario& s) {
    const Columns col(t, {"month", "unit_code", "group", "persons"});
    const auto leaf = leaf_flags(s);
    NameReader units = unit_reader(lookups), groups = group_reader(lookups);
    s.data->inflows.reserve(s.data->inflows.size() + t.row_count());
    const auto read_row = [&](std::size_t r) {
        Inflow row;
        const Cell month{t, r, col[0]};
        auto m = YearMonth::parse(month.text());
        if (!m || month.text().size() != 7) month.fail_with(i18n::tr("value.not_month", {month.quoted()}));
        if (m->year < kMinYear || m->year > kMaxYear)
            month.fail_with(i18n::tr("value.year_out_of_range", {month.quoted(), kMinYear, kMaxYear}));
        row.month = *m;
        const Cell unit{t, r, col[1]};
        row.unit = read_unit_on(unit, units, lookups, s, m->first_day());
        if (!leaf[static_cast<std::size_t>(row.unit)]) unit.fail_with(i18n::tr("unit.not_leaf", {unit.quoted()}));
        row.group = groups.read({t, r, col[2]});
        row.persons = read_persons({t, r, col[3]});
        row.where = RowRef{file, t.row_line(r)};
        const Key key{row.month.index(), row.unit, row.group, 0};
        s.data->inflows.push_back(std::move(row));
        return key;
    };
    read_unique_rows(t, "month,unit_code,group", read_row, [&](std::size_t r, const Key&) {
        return i18n::tr("table.key.month_unit_group", {std::string(t.cell(r, col[0])), std::string(t.cell(r, col[1])), std::string(t.cell(r, col[2]))});
    });
}

void load_overlap_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, Scenario& s) {
    const Columns col(t, {"year", "unit_code", "group_a", "group_b", "persons"});
    const auto leaf = leaf_flags(s);
    NameReader units = unit_reader(lookups), groups_a = group_reader(lookups), groups_b = group_reader(lookups);
    s.data->overlaps.reserve(s.data->overlaps.size() + t.row_count());
    const auto read_row = [&](std::size_t r) {
        Overlap row;
        row.year = read_year({t, r, col[0]});
        row.unit = read_leaf_unit({t, r, col[1]}, units, leaf, lookups, s, row.year);
        row.group_a = groups_a.read({t, r, col[2]});
        const Cell b{t, r, col[3]};
        row.group_b = groups_b.read(b);
        if (row.group_a == row.group_b) b.fail_with(i18n::tr("overlap.same_group", {b.quoted()}));
        row.persons = read_persons({t, r, col[4]});
        row.where = RowRef{file, t.row_line(r)};
        const Key key{row.year, row.unit, std::min(row.group_a, row.group_b), std::max(row.group_a, row.group_b)};
        s.data->overlaps.push_back(std::move(row));
        return key;
    };
    read_unique_rows(t, "year,unit_code,group_a,group_b", read_row, [&](std::size_t r, const Key& key) {
        return i18n::tr("table.key.year_unit_groups", {key[0], std::string(t.cell(r, col[1])), std::string(t.cell(r, col[2])), std::string(t.cell(r, col[3]))});
    });
}

void load_population_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, Scenario& s) {
    const Columns col(t, {"year", "unit_code", "population"});
    NameReader units = unit_reader(lookups);
    s.data->population.reserve(s.data->population.size() + t.row_count());
    const auto read_row = [&](std::size_t r) {
        PopulationRow row;
        row.year = read_year({t, r, col[0]});
        row.unit = read_unit_in_year({t, r, col[1]}, units, lookups, s, row.year);
        row.persons = read_persons({t, r, col[2]});
        row.where = RowRef{file, t.row_line(r)};
        const Key key{row.year, row.unit, 0, 0};
        s.data->population.push_back(std::move(row));
        return key;
    };
    read_unique_rows(t, "year,unit_code", read_row, [&](std::size_t r, const Key& key) {
        return i18n::tr("table.key.year_unit", {key[0], std::string(t.cell(r, col[1]))});
    });
}

void load_target_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, Scenario& s) {
    const Columns col(t, {"year", "unit_code", "target_pct"});
    NameReader units = unit_reader(lookups);
    s.targets.reserve(s.targets.size() + t.row_count());
    const auto read_row = [&](std::size_t r) {
        TargetRow row;
        row.year = read_year({t, r, col[0]});
        row.unit = read_unit_in_year({t, r, col[1]}, units, lookups, s, row.year);
        row.target = read_target_share({t, r, col[2]});
        row.where = RowRef{file, t.row_line(r)};
        const Key key{row.year, row.unit, 0, 0};
        s.targets.push_back(std::move(row));
        return key;
    };
    read_unique_rows(t, "year,unit_code", read_row, [&](std::size_t r, const Key& key) {
        return i18n::tr("table.key.year_unit", {key[0], std::string(t.cell(r, col[1]))});
    });
}

// ---------------------------------------------------------------- tables keyed on another division

void load_keyed_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, const Scenario& s, KeyedTable& out) {
    const ScenarioCrosswalk& x = s.data->crosswalks[static_cast<std::size_t>(out.crosswalk)];
    const Date last_old = x.last_old_day();
    std::vector<std::string_view> names;
    int value_col = -1, group_col = -1, group_b_col = -1;
    switch (out.kind) {
        case CarriedFigure::Kind::cohort: {
            const Columns col(t, {"year", "unit_code", "group", "persons"});
            group_col = col[2];
            value_col = col[3];
            break;
        }
        case CarriedFigure::Kind::population: value_col = Columns(t, {"year", "unit_code", "population"})[2]; break;
        case CarriedFigure::Kind::target: value_col = Columns(t, {"year", "unit_code", "target_pct"})[2]; break;
        case CarriedFigure::Kind::overlap: {
            const Columns col(t, {"year", "unit_code", "group_a", "group_b", "persons"});
            group_col = col[2];
            group_b_col = col[3];
            value_col = col[4];
            break;
        }
        default: break;
    }
    const int year_col = t.require_column("year"), unit_col = t.require_column("unit_code");
    // The level's units by code (or name): one index for the whole table.
    NameIndex keys;
    {
        const Crosswalk& cw = *x.table;
        if (out.level == CrosswalkLevel::old_commune) {
            for (std::size_t o = 0; o < cw.old_count(); ++o) keys.add(cw.old_code(static_cast<int>(o)), static_cast<int>(o));
        } else {
            const UnitGroups& g = out.level == CrosswalkLevel::old_district ? cw.old_districts() : cw.old_provinces();
            std::map<std::string, int> count;
            for (const auto& n : g.names) ++count[n];
            for (std::size_t i = 0; i < g.size(); ++i) {
                if (count[g.names[i]] == 1) keys.add(to_nfc(g.names[i]), static_cast<int>(i));
                if (!g.parents[i].empty()) keys.add(to_nfc(g.names[i] + ", " + g.parents[i]), static_cast<int>(i));
            }
        }
    }
    NameReader units(keys, "merger.not_in_level");
    NameReader groups = group_reader(lookups), groups_b = group_reader(lookups);
    out.file = t.file();
    out.rows.reserve(t.row_count());
    std::vector<Key> seen;
    seen.reserve(t.row_count());
    const auto read_row = [&](std::size_t r) {
        KeyedRow row;
        const Cell year{t, r, year_col};
        row.year = read_year(year);
        const Cell unit{t, r, unit_col};
        row.key = units.read(unit);
        // The old units end on the day before the change: no figure for a later year.
        if (row.year > last_old.year)
            unit.fail_with(i18n::tr("merger.keyed_not_valid", {unit.quoted(), row.year, last_old.to_string(), i18n::quoted(x.id)}));
        if (group_col >= 0) row.group = groups.read({t, r, group_col});
        if (group_b_col >= 0) {
            const Cell b{t, r, group_b_col};
            row.group_b = groups_b.read(b);
            if (row.group == row.group_b) b.fail_with(i18n::tr("overlap.same_group", {b.quoted()}));
        }
        const Cell value{t, r, value_col};
        if (out.kind == CarriedFigure::Kind::target) row.rate = read_target_share(value);
        else row.persons = read_persons(value);
        row.where = RowRef{file, t.row_line(r)};
        const Key key{row.year, row.key, std::min(row.group, row.group_b), std::max(row.group, row.group_b)};
        out.rows.push_back(row);
        return key;
    };
    read_unique_rows(t, "year,unit_code", read_row, [&](std::size_t r, const Key& key) {
        return i18n::tr("table.key.year_unit", {key[0], std::string(t.cell(r, static_cast<std::size_t>(unit_col)))});
    });
}

// ---------------------------------------------------------------- demography

namespace {

/// A non-negative real number (persons, rates) from a cell.
double read_real(const Cell& c, double min, double max) {
    const std::string_view text = c.text();
    Decimal::ParseError why{};
    const auto d = Decimal::parse(text, &why);
    if (!d) c.fail_with(decimal_problem(c.quoted(), why));
    const double v = d->to_double();
    if (v < min || v > max) c.fail_with(i18n::tr("value.out_of_range", {c.quoted(), fmt_real(min), fmt_real(max)}));
    return v;
}

int read_age(const Cell& c, int min, int max) {
    const std::string_view s = c.text();
    if (s.empty() || s.size() > 3 || !all_digits(s)) c.fail_with(i18n::tr("demography.not_age", {c.quoted()}));
    int age = 0;
    for (char ch : s) age = age * 10 + (ch - '0');
    if (age < min || age > max) c.fail_with(i18n::tr("demography.age_range", {c.quoted(), min, max}));
    return age;
}

/// The sex index of a cell: both → 0 with one sex; male → 0, female → 1 with two.
int read_sex(const Cell& c, int sexes) {
    const std::string_view s = c.text();
    if (sexes == 1 && (s == "both" || s.empty())) return 0;
    if (sexes == 2 && s == "male") return 0;
    if (sexes == 2 && s == "female") return 1;
    c.fail_with(i18n::tr("value.not_one_of", {c.quoted(), sexes == 1 ? "both" : "male, female"}));
}

/// How many sexes a table with a `sex` column gives: 2 if any row says male or female.
int sexes_of(const CsvCells& t, int column) {
    if (column < 0) return 1;
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const std::string_view s = t.cell(r, static_cast<std::size_t>(column));
        if (s == "male" || s == "female") return 2;
    }
    return 1;
}

}  // namespace

void load_age_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, const Scenario& s, Demography& d) {
    const int unit_col = t.require_column("unit_code"), age_col = t.require_column("age"), persons_col = t.require_column("persons");
    const int sex_col = t.column("sex");
    for (std::size_t c = 0; c < t.header().size(); ++c) {
        const int ci = static_cast<int>(c);
        if (ci != unit_col && ci != age_col && ci != persons_col && ci != sex_col)
            fail({t.file(), 1, ci + 1}, t.header()[c], i18n::tr("table.unexpected_column", {i18n::quoted(t.header()[c]), "unit_code, age, persons, sex"}));
    }
    d.sexes = sexes_of(t, sex_col);
    const auto leaf = leaf_flags(s);
    NameReader units = unit_reader(lookups);
    std::vector<int> slot_of_unit(s.units().size(), -1);
    std::vector<std::size_t> first_row(s.units().size(), 0);
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const int unit = read_leaf_unit({t, r, unit_col}, units, leaf, lookups, s, d.base_year);
        int& slot = slot_of_unit[static_cast<std::size_t>(unit)];
        if (slot < 0) {
            slot = static_cast<int>(d.units.size());
            d.units.push_back(unit);
            d.unit_rows.push_back(RowRef{file, t.row_line(r)});
            d.ages.resize(d.units.size() * static_cast<std::size_t>(d.sexes) * 101, std::numeric_limits<double>::quiet_NaN());
            first_row[static_cast<std::size_t>(unit)] = r;
        }
        const int age = read_age({t, r, age_col}, 0, 100);
        const int sex = sex_col >= 0 ? read_sex({t, r, sex_col}, d.sexes) : 0;
        double& cell = d.ages[(static_cast<std::size_t>(slot) * static_cast<std::size_t>(d.sexes) + static_cast<std::size_t>(sex)) * 101 +
                              static_cast<std::size_t>(age)];
        if (!std::isnan(cell))
            fail({t.file(), t.row_line(r), age_col + 1}, "age",
                 i18n::tr("table.duplicate_row", {i18n::tr("demography.key.unit_age", {s.units()[static_cast<std::size_t>(unit)].code, age}),
                                                  t.row_line(first_row[static_cast<std::size_t>(unit)])}));
        cell = read_real({t, r, persons_col}, 0, static_cast<double>(kMaxPersonsPerRow));
    }
}

void load_life_table(const CsvCells& t, Demography& d) {
    const int sex_col = t.column("sex"), age_col = t.require_column("age");
    const int value_col = t.require_column(d.life_table_form);
    const int sexes = sexes_of(t, sex_col);
    const int ages = d.life_table_form == "lx" ? 102 : 101;
    d.life_table.assign(static_cast<std::size_t>(sexes), std::vector<double>(static_cast<std::size_t>(ages), std::numeric_limits<double>::quiet_NaN()));
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const int sex = sex_col >= 0 ? read_sex({t, r, sex_col}, sexes) : 0;
        const int age = read_age({t, r, age_col}, 0, ages - 1);
        double& cell = d.life_table[static_cast<std::size_t>(sex)][static_cast<std::size_t>(age)];
        if (!std::isnan(cell)) fail({t.file(), t.row_line(r), age_col + 1}, "age", i18n::tr("demography.duplicate_age", {age}));
        cell = read_real({t, r, value_col}, 0, d.life_table_form == "lx" ? 1e12 : 1.0);
    }
    for (std::size_t sex = 0; sex < d.life_table.size(); ++sex)
        for (int age = 0; age < ages; ++age)
            if (std::isnan(d.life_table[sex][static_cast<std::size_t>(age)]))
                fail({t.file(), 1, value_col + 1}, d.life_table_form, i18n::tr("demography.missing_age", {age}));
}

void load_fertility_table(const CsvCells& t, Demography& d) {
    const int age_col = t.require_column("age"), rate_col = t.require_column("asfr");
    d.fertility.assign(35, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const int age = read_age({t, r, age_col}, 15, 49);
        double& cell = d.fertility[static_cast<std::size_t>(age - 15)];
        if (!std::isnan(cell)) fail({t.file(), t.row_line(r), age_col + 1}, "age", i18n::tr("demography.duplicate_age", {age}));
        cell = read_real({t, r, rate_col}, 0, 1);
    }
    for (int age = 15; age <= 49; ++age)
        if (std::isnan(d.fertility[static_cast<std::size_t>(age - 15)]))
            fail({t.file(), 1, rate_col + 1}, "asfr", i18n::tr("demography.missing_age", {age}));
}

}  // namespace subsim::loader_detail
