// The CSV side of the scenario loader: paths, hashes, and the tables a scenario names.
#include <algorithm>
#include <fstream>
#include <map>
#include <system_error>
#include <tuple>

#include "loader_detail.hpp"
#include "subsim/io/sha256.hpp"

namespace subsim::loader_detail {
namespace fs = std::filesystem;

void fail(const SourceLocation& where, std::string key, std::string message) {
    throw ScenarioError(where, std::move(key), std::move(message));
}

// ---------------------------------------------------------------- names

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

bool NameIndex::add(const std::string& name, int index) {
    if (!index_.emplace(name, index).second) return false;
    names_.push_back(name);
    return true;
}

int NameIndex::find(std::string_view name) const {
    auto it = index_.find(std::string(name));
    return it == index_.end() ? -1 : it->second;
}

std::string NameIndex::hint(std::string_view name) const {
    constexpr std::size_t kMaxHintLength = 64;
    if (name.empty() || name.size() > kMaxHintLength) return "";
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
    if (best == nullptr) return "";
    const std::size_t longest = std::max(name.size(), best->size());
    if (best_distance > 2 && best_distance * 2 > longest) return "";
    return " (did you mean \"" + *best + "\"?)";
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

bool starts_with_path(const fs::path& p, const fs::path& prefix) {
    auto pi = p.begin();
    for (auto qi = prefix.begin(); qi != prefix.end(); ++qi, ++pi) {
        if (qi->empty()) continue;  // trailing separator
        if (pi == p.end() || *pi != *qi) return false;
    }
    return true;
}

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
    if (ec) fail(where, key, "\"" + display + "\" cannot be read: " + ec.message());
    if (size > kMaxCsvBytes)
        fail(where, key, "\"" + display + "\" is larger than " + std::to_string(kMaxCsvBytes >> 20) + " MiB");
    std::ifstream in(path, std::ios::binary);
    std::string content(static_cast<std::size_t>(size), '\0');
    in.read(content.data(), static_cast<std::streamsize>(size));
    if (!in || in.gcount() != static_cast<std::streamsize>(size))
        fail(where, key, "\"" + display + "\" cannot be read");
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

CsvTable read_scenario_csv(const PathContext& paths, const std::string& relative,
                           const SourceLocation& where, const std::string& key,
                           std::vector<InputFile>& inputs) {
    if (relative.empty()) fail(where, key, "the file name is empty");
    const fs::path rel(relative);
    if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory())
        fail(where, key, "\"" + relative + "\" is an absolute path; write it relative to the scenario's folder");
    const fs::path lexical = (paths.scenario_dir / rel).lexically_normal();
    const fs::path canonical = canonical_or_self(lexical);
    if (!starts_with_path(lexical, paths.root_lexical) ||
        !starts_with_path(canonical, paths.root_canonical))
        fail(where, key,
             "\"" + relative + "\" leaves the scenario root \"" + paths.root_lexical.generic_string() + "\"");
    const std::string display = (paths.display_dir / rel).lexically_normal().generic_string();
    std::error_code ec;
    if (!fs::exists(canonical, ec)) fail(where, key, "\"" + relative + "\" does not exist (looked for " + display + ")");
    if (!fs::is_regular_file(canonical, ec)) fail(where, key, "\"" + relative + "\" is not a regular file");

    const std::string content = read_file_bounded(canonical, where, key, relative);
    InputFile input{paths.relative_to_root(canonical), sha256_hex(content)};
    const bool seen = std::any_of(inputs.begin(), inputs.end(),
                                  [&](const InputFile& f) { return f.path == input.path; });
    if (!seen) inputs.push_back(std::move(input));
    return parse_csv(display, content);
}

// ---------------------------------------------------------------- cells

namespace {

/// A table's columns, checked: exactly `names` (any order), no other column.
class Columns {
public:
    Columns(const CsvTable& t, std::initializer_list<std::string_view> names) {
        for (auto name : names) index_.push_back(t.require_column(name));
        for (std::size_t c = 0; c < t.header.size(); ++c) {
            if (std::find(index_.begin(), index_.end(), static_cast<int>(c)) != index_.end()) continue;
            std::string expected;
            for (auto name : names) expected += (expected.empty() ? "" : ", ") + std::string(name);
            fail({t.file, 1, static_cast<int>(c) + 1}, t.header[c],
                 "unexpected column \"" + t.header[c] + "\" (the columns are: " + expected + ")");
        }
    }
    int operator[](std::size_t i) const { return index_[i]; }

private:
    std::vector<int> index_;
};

struct Cell {
    const CsvTable& t;
    std::size_t row;
    int column;

    const std::string& text() const { return t.rows[row][static_cast<std::size_t>(column)]; }
    const std::string& name() const { return t.header[static_cast<std::size_t>(column)]; }
    SourceLocation where() const { return t.where(row, column); }
    [[noreturn]] void fail_with(const std::string& message) const {
        fail(where(), name(), message);
    }
    std::string quoted() const {
        constexpr std::size_t kMax = 40;
        const std::string& s = text();
        return "\"" + (s.size() > kMax ? s.substr(0, kMax) + "..." : s) + "\"";
    }
};

int read_year(const Cell& c) {
    const std::string& s = c.text();
    const bool digits = !s.empty() && s.size() <= 4 &&
                        std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!digits) c.fail_with(c.quoted() + " is not a year");
    const int year = std::stoi(s);
    if (year < kMinYear || year > kMaxYear)
        c.fail_with(c.quoted() + " is outside the years " + std::to_string(kMinYear) + " to " +
                    std::to_string(kMaxYear));
    return year;
}

std::int64_t read_persons(const Cell& c) {
    if (auto n = parse_count(c.text())) return *n;
    const std::string& s = c.text();
    const bool digits = !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (digits)
        c.fail_with(c.quoted() + " is more than " + std::to_string(kMaxPersonsPerRow) +
                    " persons in one row");
    c.fail_with(c.quoted() + " is not a whole non-negative number");
}

int read_unit(const Cell& c, const Lookups& lookups) {
    const int unit = lookups.units.find(c.text());
    if (unit < 0) c.fail_with(c.quoted() + " is not in the unit list" + lookups.units.hint(c.text()));
    return unit;
}

int read_group(const Cell& c, const Lookups& lookups) {
    const int group = lookups.groups.find(c.text());
    if (group < 0) c.fail_with(c.quoted() + " is not a declared group" + lookups.groups.hint(c.text()));
    return group;
}

/// Refuses a second row with the same key.
template <class Key>
class UniqueRows {
public:
    explicit UniqueRows(const CsvTable& t) : t_(t) {}
    void check(const Key& key, std::size_t row, const std::string& key_columns, const std::string& described) {
        auto [it, fresh] = first_.emplace(key, t_.row_lines[row]);
        if (!fresh)
            fail({t_.file, t_.row_lines[row], 1}, key_columns,
                 "duplicate row for " + described + " (first at line " + std::to_string(it->second) + ")");
    }

private:
    const CsvTable& t_;
    std::map<Key, int> first_;
};

std::vector<bool> leaf_flags(const Scenario& s) {
    std::vector<bool> leaf(s.units.size(), true);
    for (const auto& u : s.units)
        if (u.parent >= 0) leaf[static_cast<std::size_t>(u.parent)] = false;
    return leaf;
}

int read_leaf_unit(const Cell& c, const Lookups& lookups, const std::vector<bool>& leaf) {
    const int unit = read_unit(c, lookups);
    if (!leaf[static_cast<std::size_t>(unit)])
        c.fail_with(c.quoted() + " has units under it; give figures for its lowest-level units");
    return unit;
}

}  // namespace

// ---------------------------------------------------------------- units

std::vector<UnitDraft> read_unit_table(const CsvTable& t) {
    const int code = t.require_column("code");
    const int name = t.require_column("name");
    const int level = t.require_column("level");
    const int parent = t.require_column("parent");
    std::vector<std::pair<std::string, int>> attributes;
    for (std::size_t c = 0; c < t.header.size(); ++c) {
        const int ci = static_cast<int>(c);
        if (ci == code || ci == name || ci == level || ci == parent) continue;
        if (!is_identifier(t.header[c]))
            fail({t.file, 1, ci + 1}, t.header[c],
                 "\"" + t.header[c] + "\" is not a valid attribute name (letters, digits, _ - .)");
        attributes.emplace_back(t.header[c], ci);
    }
    std::sort(attributes.begin(), attributes.end());

    std::vector<UnitDraft> drafts;
    drafts.reserve(t.rows.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        UnitDraft d;
        const Cell code_cell{t, r, code}, name_cell{t, r, name}, level_cell{t, r, level};
        if (code_cell.text().empty()) code_cell.fail_with("the unit code is empty");
        if (name_cell.text().empty()) name_cell.fail_with("the unit name is empty");
        auto lv = parse_unit_level(level_cell.text());
        if (!lv) level_cell.fail_with(level_cell.quoted() + " is not one of province, district, commune");
        d.unit.code = code_cell.text();
        d.unit.name = name_cell.text();
        d.unit.level = *lv;
        d.unit.where = t.where(r, -1);
        d.unit.where.column = 0;
        for (const auto& [attr, column] : attributes) {
            const std::string& value = t.rows[r][static_cast<std::size_t>(column)];
            if (value.empty()) continue;
            d.unit.attributes.emplace_back(attr, normalize_attribute_value(value));
        }
        d.code_where = code_cell.where();
        d.code_key = "code";
        d.parent_code = t.rows[r][static_cast<std::size_t>(parent)];
        d.parent_where = t.where(r, parent);
        d.parent_key = "parent";
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
            fail(first.parent_where, first.parent_key,
                 "the parents of unit \"" + first.unit.code + "\" form a cycle (" + text + ")");
        }
        for (int v : chain) state[static_cast<std::size_t>(v)] = 2;
    }
}

void resolve_units(std::vector<UnitDraft> drafts, Scenario& s, Lookups& lookups) {
    std::vector<int> first_line;
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        const auto& d = drafts[i];
        if (!lookups.units.add(d.unit.code, static_cast<int>(i))) {
            const int first = lookups.units.find(d.unit.code);
            fail(d.code_where, d.code_key,
                 "duplicate unit code \"" + d.unit.code + "\" (first at line " +
                     std::to_string(drafts[static_cast<std::size_t>(first)].code_where.line) + ")");
        }
    }
    for (auto& d : drafts) {
        if (d.parent_code.empty()) continue;
        const int parent = lookups.units.find(d.parent_code);
        if (parent < 0)
            fail(d.parent_where, d.parent_key,
                 "\"" + d.parent_code + "\" is not in the unit list" + lookups.units.hint(d.parent_code));
        d.unit.parent = parent;
    }
    refuse_parent_cycles(drafts);
    s.units.clear();
    s.units.reserve(drafts.size());
    for (auto& d : drafts) s.units.push_back(std::move(d.unit));
}

// ---------------------------------------------------------------- tables

void load_cohort_table(const CsvTable& t, const Lookups& lookups, Scenario& s) {
    const Columns col(t, {"year", "unit_code", "group", "persons"});
    const auto leaf = leaf_flags(s);
    UniqueRows<std::tuple<int, int, int>> unique(t);
    s.cohorts.reserve(s.cohorts.size() + t.rows.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        CohortRow row;
        row.year = read_year({t, r, col[0]});
        row.unit = read_leaf_unit({t, r, col[1]}, lookups, leaf);
        row.group = read_group({t, r, col[2]}, lookups);
        row.persons = read_persons({t, r, col[3]});
        row.where = t.where(r, -1);
        unique.check({row.year, row.unit, row.group}, r, "year,unit_code,group",
                     "year " + std::to_string(row.year) + ", unit " + t.rows[r][col[1]] + ", group " +
                         t.rows[r][col[2]]);
        s.cohorts.push_back(std::move(row));
    }
}

void load_inflow_table(const CsvTable& t, const Lookups& lookups, Scenario& s) {
    const Columns col(t, {"month", "unit_code", "group", "persons"});
    const auto leaf = leaf_flags(s);
    UniqueRows<std::tuple<int, int, int>> unique(t);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        Inflow row;
        const Cell month{t, r, col[0]};
        auto m = YearMonth::parse(month.text());
        if (!m || month.text().size() != 7) month.fail_with(month.quoted() + " is not a month (YYYY-MM)");
        if (m->year < kMinYear || m->year > kMaxYear)
            month.fail_with(month.quoted() + " is outside the years " + std::to_string(kMinYear) + " to " +
                            std::to_string(kMaxYear));
        row.month = *m;
        row.unit = read_leaf_unit({t, r, col[1]}, lookups, leaf);
        row.group = read_group({t, r, col[2]}, lookups);
        row.persons = read_persons({t, r, col[3]});
        row.where = t.where(r, -1);
        unique.check({row.month.index(), row.unit, row.group}, r, "month,unit_code,group",
                     "month " + month.text() + ", unit " + t.rows[r][col[1]] + ", group " + t.rows[r][col[2]]);
        s.inflows.push_back(std::move(row));
    }
}

void load_overlap_table(const CsvTable& t, const Lookups& lookups, Scenario& s) {
    const Columns col(t, {"year", "unit_code", "group_a", "group_b", "persons"});
    const auto leaf = leaf_flags(s);
    UniqueRows<std::tuple<int, int, int, int>> unique(t);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        Overlap row;
        row.year = read_year({t, r, col[0]});
        row.unit = read_leaf_unit({t, r, col[1]}, lookups, leaf);
        row.group_a = read_group({t, r, col[2]}, lookups);
        const Cell b{t, r, col[3]};
        row.group_b = read_group(b, lookups);
        if (row.group_a == row.group_b) b.fail_with("a group cannot overlap itself (" + b.quoted() + ")");
        row.persons = read_persons({t, r, col[4]});
        row.where = t.where(r, -1);
        unique.check({row.year, row.unit, std::min(row.group_a, row.group_b), std::max(row.group_a, row.group_b)},
                     r, "year,unit_code,group_a,group_b",
                     "year " + std::to_string(row.year) + ", unit " + t.rows[r][col[1]] + ", groups " +
                         t.rows[r][col[2]] + " and " + t.rows[r][col[3]]);
        s.overlaps.push_back(std::move(row));
    }
}

void load_population_table(const CsvTable& t, const Lookups& lookups, Scenario& s) {
    const Columns col(t, {"year", "unit_code", "population"});
    UniqueRows<std::pair<int, int>> unique(t);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        PopulationRow row;
        row.year = read_year({t, r, col[0]});
        row.unit = read_unit({t, r, col[1]}, lookups);
        row.persons = read_persons({t, r, col[2]});
        row.where = t.where(r, -1);
        unique.check({row.year, row.unit}, r, "year,unit_code",
                     "year " + std::to_string(row.year) + ", unit " + t.rows[r][col[1]]);
        s.population.push_back(std::move(row));
    }
}

void load_target_table(const CsvTable& t, const Lookups& lookups, Scenario& s) {
    const Columns col(t, {"year", "unit_code", "target_pct"});
    UniqueRows<std::pair<int, int>> unique(t);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        TargetRow row;
        row.year = read_year({t, r, col[0]});
        row.unit = read_unit({t, r, col[1]}, lookups);
        const Cell pct{t, r, col[2]};
        std::string text = pct.text();
        const bool digits_only = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
            return (c >= '0' && c <= '9') || c == '.' || c == '%';
        });
        if (!digits_only) pct.fail_with(pct.quoted() + " is not a percentage (write 95 or 95.5)");
        if (text.back() != '%') text += '%';
        std::string why;
        auto value = Decimal::parse(text, &why);
        if (!value) pct.fail_with(pct.quoted() + " " + why);
        if (*value > Decimal::one()) pct.fail_with(pct.quoted() + " is over 100%");
        row.target = value->normalized();
        row.where = t.where(r, -1);
        unique.check({row.year, row.unit}, r, "year,unit_code",
                     "year " + std::to_string(row.year) + ", unit " + t.rows[r][col[1]]);
        s.targets.push_back(std::move(row));
    }
}

}  // namespace subsim::loader_detail
