#include "subsim/model/crosswalk.hpp"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "subsim/i18n/i18n.hpp"

namespace subsim {
namespace {

// ---------------------------------------------------------------- exact integer helpers

std::int64_t checked_add(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r)) throw ArithmeticOverflow{};
    return r;
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) throw ArithmeticOverflow{};
    return r;
}

__int128 checked_add128(__int128 a, __int128 b) {
    __int128 r;
    if (__builtin_add_overflow(a, b, &r)) throw ArithmeticOverflow{};
    return r;
}

__int128 checked_mul128(__int128 a, __int128 b) {
    __int128 r;
    if (__builtin_mul_overflow(a, b, &r)) throw ArithmeticOverflow{};
    return r;
}

std::int64_t pow10(int n) {
    std::int64_t p = 1;
    for (int i = 0; i < n; ++i) p = checked_mul(p, 10);
    return p;
}

std::int64_t lcm_checked(std::int64_t a, std::int64_t b) {
    return checked_mul(a / std::gcd(a, b), b);
}

/// Largest-remainder apportionment. Splits `amount` over n parts in proportion to
/// weight(i) (Σ weight = total > 0): part i gets floor(|amount| × w_i / total), the units
/// left over (fewer than n) go one each to the largest remainders, equal remainders to
/// the lower i; a negative amount is split as its magnitude and negated. The parts add
/// up to `amount` exactly. emit(i, value) receives each part in order.
class Apportioner {
public:
    template <class Weight, class Emit>
    void run(std::int64_t amount, int n, std::int64_t total, Weight&& weight, Emit&& emit) {
        assert(n > 0 && total > 0);
        if (n == 1) {
            emit(0, amount);
            return;
        }
        const bool negative = amount < 0;
        const __int128 magnitude = negative ? -static_cast<__int128>(amount) : static_cast<__int128>(amount);
        parts_.resize(static_cast<std::size_t>(n));
        order_.resize(static_cast<std::size_t>(n));
        __int128 given = 0;
        for (int i = 0; i < n; ++i) {
            const __int128 quota = magnitude * weight(i);  // both < 2^63: fits
            parts_[i] = {quota / total, static_cast<std::int64_t>(quota % total)};
            given += parts_[i].floor;
            order_[i] = i;
        }
        const auto left = static_cast<std::ptrdiff_t>(magnitude - given);  // 0 ≤ left < n
        if (left > 0) {
            const auto larger = [this](int a, int b) {
                if (parts_[a].remainder != parts_[b].remainder) return parts_[a].remainder > parts_[b].remainder;
                return a < b;  // the tie-break: the earlier part
            };
            std::nth_element(order_.begin(), order_.begin() + (left - 1), order_.end(), larger);
            for (std::ptrdiff_t k = 0; k < left; ++k) parts_[order_[k]].floor += 1;
        }
        for (int i = 0; i < n; ++i)
            emit(i, static_cast<std::int64_t>(negative ? -parts_[i].floor : parts_[i].floor));
    }

private:
    struct Part {
        __int128 floor;
        std::int64_t remainder;
    };
    std::vector<Part> parts_;
    std::vector<int> order_;
};

Text division_or(const Text& given, std::string_view key_new_or_old) {
    if (!given.vi.empty() || !given.en.empty()) return given;
    return key_new_or_old == "new" ? i18n::tr("crosswalk.division.new") : i18n::tr("crosswalk.division.old");
}

SourceLocation at_column(SourceLocation where, int column) {
    where.column = column;
    return where;
}

std::string unit_label(const std::string& code, const std::string& name) {
    return name.empty() ? code : code + " " + name;
}

using CodeIndex = std::unordered_map<std::string_view, int>;

}  // namespace

// ---------------------------------------------------------------- validity periods

bool ValidityPeriod::overlaps(const ValidityPeriod& other) const {
    const bool this_ends_after_other_starts = !to || !other.from || *other.from <= *to;
    const bool other_ends_after_this_starts = !other.to || !from || *from <= *other.to;
    return this_ends_after_other_starts && other_ends_after_this_starts;
}

std::string ValidityPeriod::to_string() const {
    return (from ? from->to_string() : std::string("…")) + " – " + (to ? to->to_string() : std::string("…"));
}

int find_valid_unit(std::span<const DatedUnit> units, std::string_view code, Date on) {
    for (std::size_t i = 0; i < units.size(); ++i)
        if (units[i].code == code && units[i].valid.contains(on)) return static_cast<int>(i);
    return -1;
}

std::vector<CrosswalkIssue> check_validity_periods(std::span<const DatedUnit> units) {
    std::vector<CrosswalkIssue> issues;
    std::unordered_map<std::string_view, std::vector<int>> by_code;
    by_code.reserve(units.size());
    for (std::size_t i = 0; i < units.size(); ++i) {
        const DatedUnit& u = units[i];
        if (u.valid.from && u.valid.to && *u.valid.to < *u.valid.from) {
            issues.push_back({CrosswalkProblem::period_reversed, u.where, "valid_to",
                              i18n::tr("validity.reversed", {unit_label(u.code, u.name), u.valid.to->to_string(),
                                                             u.valid.from->to_string()})});
            continue;  // a reversed period overlaps nothing
        }
        auto& earlier = by_code[u.code];
        for (int j : earlier) {
            const DatedUnit& e = units[static_cast<std::size_t>(j)];
            if (!e.valid.overlaps(u.valid)) continue;
            issues.push_back({CrosswalkProblem::periods_overlap, u.where, "valid_from",
                              i18n::tr("validity.overlap", {i18n::quoted(u.code), e.valid.to_string(),
                                                            u.valid.to_string(), e.where.line})});
            break;
        }
        earlier.push_back(static_cast<int>(i));
    }
    return issues;
}

std::vector<CrosswalkIssue> check_keys_valid(std::span<const DatedUnit> units, std::span<const DatedKey> keys) {
    std::unordered_map<std::string_view, std::vector<int>> by_code;
    by_code.reserve(units.size());
    for (std::size_t i = 0; i < units.size(); ++i) by_code[units[i].code].push_back(static_cast<int>(i));
    std::vector<CrosswalkIssue> issues;
    for (const DatedKey& k : keys) {
        const auto it = by_code.find(k.code);
        if (it == by_code.end()) {
            issues.push_back({CrosswalkProblem::unknown_unit, k.where, k.key,
                              i18n::tr("validity.unknown_code", {i18n::quoted(k.code)})});
            continue;
        }
        const bool valid = std::any_of(it->second.begin(), it->second.end(),
                                       [&](int i) { return units[static_cast<std::size_t>(i)].valid.contains(k.on); });
        if (valid) continue;
        std::vector<Text> periods;
        for (int i : it->second) periods.push_back(same_text(units[static_cast<std::size_t>(i)].valid.to_string()));
        const DatedUnit& first = units[static_cast<std::size_t>(it->second.front())];
        issues.push_back({CrosswalkProblem::not_valid_on_date, k.where, k.key,
                          i18n::tr("validity.not_valid",
                                   {i18n::quoted(k.code), first.name, k.on.to_string(), i18n::join(periods, "; ")})});
    }
    return issues;
}

// ---------------------------------------------------------------- reading a table

std::optional<CrosswalkWeights> parse_crosswalk_weights(std::string_view text) {
    if (text == "given") return CrosswalkWeights::given;
    if (text == "population") return CrosswalkWeights::population;
    if (text == "equal") return CrosswalkWeights::equal;
    return std::nullopt;
}

std::string_view to_string(CrosswalkWeights w) {
    switch (w) {
        case CrosswalkWeights::given: return "given";
        case CrosswalkWeights::population: return "population";
        case CrosswalkWeights::equal: return "equal";
    }
    return "equal";
}

// ---------------------------------------------------------------- checking and building

namespace {

/// What check and build share: indexes and each old unit's rows. Codes and names are
/// views into the input, which outlives this.
struct Resolved {
    std::vector<std::string_view> old_codes;
    std::vector<std::string_view> old_names;
    std::vector<int> old_listed_at;  ///< index into CrosswalkInput::old_units, or -1 (from the rows)
    std::vector<int> new_of_row;     ///< -1: unknown, or a duplicate
    std::vector<int> old_begin;      ///< rows of old unit o: row_of[old_begin[o] .. old_begin[o+1])
    std::vector<int> row_of;         ///< in row order within each old unit
    std::vector<int> rows_of_new_count;

    std::span<const int> rows_of_old(std::size_t o) const {
        return std::span<const int>(row_of).subspan(static_cast<std::size_t>(old_begin[o]),
                                                    static_cast<std::size_t>(old_begin[o + 1] - old_begin[o]));
    }
};

/// Resolves codes and collects the problems of single rows and of the divisions.
Resolved resolve(const CrosswalkInput& in, std::vector<CrosswalkIssue>& issues) {
    const Text new_division = division_or(in.new_division, "new");
    const Text old_division = division_or(in.old_division, "old");
    Resolved r;
    CodeIndex new_index;
    new_index.reserve(in.new_units.size() * 2);
    for (std::size_t i = 0; i < in.new_units.size(); ++i) {
        const DatedUnit& u = in.new_units[i];
        const auto [it, fresh] = new_index.emplace(u.code, static_cast<int>(i));
        if (!fresh)
            issues.push_back({CrosswalkProblem::duplicate_unit, u.where.file.empty() ? in.file : u.where, "code",
                              i18n::tr("crosswalk.duplicate_unit",
                                       {i18n::quoted(u.code), new_division,
                                        to_string(in.new_units[static_cast<std::size_t>(it->second)].where)})});
    }
    const bool old_listed = !in.old_units.empty();
    CodeIndex old_index;
    old_index.reserve((old_listed ? in.old_units.size() : in.rows.size()) * 2);
    for (std::size_t i = 0; i < in.old_units.size(); ++i) {
        const DatedUnit& u = in.old_units[i];
        const auto [it, fresh] = old_index.emplace(u.code, static_cast<int>(r.old_codes.size()));
        if (!fresh) {
            const int first = r.old_listed_at[static_cast<std::size_t>(it->second)];
            issues.push_back({CrosswalkProblem::duplicate_unit, u.where.file.empty() ? in.file : u.where, "code",
                              i18n::tr("crosswalk.duplicate_unit",
                                       {i18n::quoted(u.code), old_division,
                                        to_string(in.old_units[static_cast<std::size_t>(first)].where)})});
            continue;
        }
        r.old_codes.push_back(u.code);
        r.old_names.push_back(u.name);
        r.old_listed_at.push_back(static_cast<int>(i));
    }

    r.new_of_row.assign(in.rows.size(), -1);
    std::vector<int> old_of_row(in.rows.size(), -1);
    r.rows_of_new_count.assign(in.new_units.size(), 0);
    // (old, new) pairs seen, for duplicates: key old × new count + new.
    std::unordered_map<std::int64_t, int> pair_row;
    pair_row.reserve(in.rows.size() * 2);
    std::vector<int> first_row_of_old(r.old_codes.size(), -1);
    for (std::size_t i = 0; i < in.rows.size(); ++i) {
        const CrosswalkRow& row = in.rows[i];
        const auto n = new_index.find(row.new_code);
        if (n == new_index.end()) {
            issues.push_back({CrosswalkProblem::unknown_unit, at_column(row.where, in.columns.new_code), "new_code",
                              i18n::tr("crosswalk.unknown_unit", {i18n::quoted(row.new_code), new_division})});
        } else {
            r.new_of_row[i] = n->second;
        }
        int o = -1;
        const auto found = old_index.find(row.old_code);
        if (found != old_index.end()) {
            o = found->second;
        } else if (!old_listed) {
            o = static_cast<int>(r.old_codes.size());
            r.old_codes.push_back(row.old_code);
            r.old_names.push_back(row.old_name);
            r.old_listed_at.push_back(-1);
            first_row_of_old.push_back(-1);
            old_index.emplace(r.old_codes.back(), o);
        } else {
            issues.push_back({CrosswalkProblem::unknown_unit, at_column(row.where, in.columns.old_code), "old_code",
                              i18n::tr("crosswalk.unknown_unit", {i18n::quoted(row.old_code), old_division})});
            r.new_of_row[i] = -1;
            continue;
        }
        // One old unit, one district and province.
        int& first = first_row_of_old[static_cast<std::size_t>(o)];
        if (first < 0) {
            first = static_cast<int>(i);
        } else {
            const CrosswalkRow& f = in.rows[static_cast<std::size_t>(first)];
            if (f.old_district != row.old_district || f.old_province != row.old_province)
                issues.push_back({CrosswalkProblem::two_districts, at_column(row.where, in.columns.old_district),
                                  "old_district",
                                  i18n::tr("crosswalk.two_districts",
                                           {i18n::quoted(row.old_code), row.old_district + ", " + row.old_province,
                                            f.old_district + ", " + f.old_province, f.where.line})});
        }
        if (r.new_of_row[i] < 0) continue;
        const std::int64_t key = static_cast<std::int64_t>(o) * static_cast<std::int64_t>(in.new_units.size()) +
                                 r.new_of_row[i];
        const auto [it, fresh] = pair_row.emplace(key, static_cast<int>(i));
        if (!fresh) {
            issues.push_back({CrosswalkProblem::duplicate_row, at_column(row.where, in.columns.old_code), "old_code",
                              i18n::tr("crosswalk.duplicate_row",
                                       {i18n::quoted(row.old_code), i18n::quoted(row.new_code),
                                        in.rows[static_cast<std::size_t>(it->second)].where.line})});
            r.new_of_row[i] = -1;  // counted once
            continue;
        }
        old_of_row[i] = o;
        ++r.rows_of_new_count[static_cast<std::size_t>(r.new_of_row[i])];
    }
    // Rows of each old unit (those with a known new unit), in row order.
    r.old_begin.assign(r.old_codes.size() + 1, 0);
    for (int o : old_of_row)
        if (o >= 0) ++r.old_begin[static_cast<std::size_t>(o) + 1];
    for (std::size_t o = 0; o < r.old_codes.size(); ++o) r.old_begin[o + 1] += r.old_begin[o];
    r.row_of.resize(static_cast<std::size_t>(r.old_begin.back()));
    std::vector<int> fill(r.old_begin.begin(), r.old_begin.end() - 1);
    for (std::size_t i = 0; i < old_of_row.size(); ++i)
        if (old_of_row[i] >= 0) r.row_of[static_cast<std::size_t>(fill[static_cast<std::size_t>(old_of_row[i])]++)] = static_cast<int>(i);
    return r;
}

/// Works out one old unit's integer weights, into `weight_of_row`, adding the problems
/// it finds. Returns their total, or 0 when the weights are unusable.
std::int64_t weigh(const CrosswalkInput& in, const Resolved& r, std::size_t o, std::vector<std::int64_t>& weight_of_row,
                   std::vector<CrosswalkIssue>& issues) {
    const auto rows = r.rows_of_old(o);
    const std::size_t k = rows.size();
    const std::string_view code = r.old_codes[o];
    const auto row_at = [&](std::size_t j) -> const CrosswalkRow& { return in.rows[static_cast<std::size_t>(rows[j])]; };
    const auto set = [&](std::size_t j, std::int64_t w) { weight_of_row[static_cast<std::size_t>(rows[j])] = w; };
    bool ok = true;
    // Whole or part, as the rows say and as they are.
    for (std::size_t j = 0; j < k; ++j) {
        const CrosswalkRow& row = row_at(j);
        if (k > 1 && !row.split) {
            issues.push_back({CrosswalkProblem::whole_but_split, at_column(row.where, in.columns.part), "part",
                              i18n::tr("crosswalk.whole_but_split", {i18n::quoted(code), static_cast<unsigned long>(k)})});
            ok = false;
        } else if (k == 1 && row.split) {
            issues.push_back({CrosswalkProblem::part_but_single, at_column(row.where, in.columns.part), "part",
                              i18n::tr("crosswalk.part_but_single", {i18n::quoted(code), i18n::quoted(row.new_code)})});
            ok = false;
        }
    }
    std::int64_t total = 0;
    switch (in.weights) {
        case CrosswalkWeights::equal:
            for (std::size_t j = 0; j < k; ++j) set(j, 1);
            total = static_cast<std::int64_t>(k);
            break;
        case CrosswalkWeights::population: {
            for (std::size_t j = 0; j < k; ++j) {
                const CrosswalkRow& row = row_at(j);
                if (!row.population) {
                    issues.push_back({CrosswalkProblem::population_missing, at_column(row.where, in.columns.population),
                                      "population",
                                      i18n::tr("crosswalk.population_missing",
                                               {i18n::quoted(code), i18n::quoted(row.new_code)})});
                    ok = false;
                    continue;
                }
                set(j, *row.population);
                total = checked_add(total, *row.population);
            }
            if (ok && total == 0) {
                issues.push_back({CrosswalkProblem::population_zero, at_column(row_at(0).where, in.columns.population),
                                  "population", i18n::tr("crosswalk.population_zero", {i18n::quoted(code)})});
                ok = false;
            }
            break;
        }
        case CrosswalkWeights::given: {
            int scale = 0;
            for (std::size_t j = 0; j < k; ++j) {
                const CrosswalkRow& row = row_at(j);
                const SourceLocation at = at_column(row.where, in.columns.weight);
                if (!row.weight) {
                    if (k == 1) continue;  // a whole unit needs no weight
                    issues.push_back({CrosswalkProblem::weight_missing, at, "weight",
                                      i18n::tr("crosswalk.weight_missing",
                                               {i18n::quoted(code), static_cast<unsigned long>(k)})});
                    ok = false;
                    continue;
                }
                if (row.weight->is_negative() || row.weight->is_zero() || *row.weight > Decimal::one()) {
                    issues.push_back({CrosswalkProblem::weight_out_of_range, at, "weight",
                                      i18n::tr("crosswalk.weight_out_of_range", {i18n::percent(*row.weight)})});
                    ok = false;
                    continue;
                }
                scale = std::max(scale, row.weight->scale);
            }
            if (!ok) break;
            // Every weight at the unit's largest scale: 50% and 30.5% are 500 and 305 of 1,000.
            const std::int64_t whole = pow10(scale);
            for (std::size_t j = 0; j < k; ++j) {
                const auto& wt = row_at(j).weight;
                const std::int64_t w = wt ? checked_mul(wt->units, pow10(scale - wt->scale)) : whole;
                set(j, w);
                total = checked_add(total, w);
            }
            if (total != whole) {
                issues.push_back({CrosswalkProblem::weights_not_100, at_column(row_at(0).where, in.columns.weight),
                                  "weight",
                                  i18n::tr("crosswalk.weights_not_100", {i18n::quoted(code), static_cast<unsigned long>(k),
                                                                         i18n::percent(Decimal{total, scale})})});
                ok = false;
            }
            break;
        }
    }
    return ok ? total : 0;
}

void check_columns(const CrosswalkInput& in, std::vector<CrosswalkIssue>& issues) {
    const auto unused = [&](int column, std::string_view name, std::string_view wanted) {
        if (column <= 0) return;
        CrosswalkIssue issue{CrosswalkProblem::weight_unused, in.file, std::string(name),
                             i18n::tr("crosswalk.weight_unused",
                                      {i18n::quoted(name), std::string(to_string(in.weights)), wanted})};
        issue.where.line = 1;
        issue.where.column = column;
        issues.push_back(std::move(issue));
    };
    if (in.weights != CrosswalkWeights::given) unused(in.columns.weight, "weight", "given");
    if (in.weights != CrosswalkWeights::population) unused(in.columns.population, "population", "population");
}

void check_coverage(const CrosswalkInput& in, const Resolved& r, std::vector<CrosswalkIssue>& issues) {
    for (std::size_t o = 0; o < r.old_codes.size(); ++o) {
        if (!r.rows_of_old(o).empty()) continue;
        // Only a listed unit can have no rows; rows of a unit taken from the rows that
        // name an unknown new unit have been reported already.
        const int listed = r.old_listed_at[o];
        if (listed < 0) continue;
        const DatedUnit& u = in.old_units[static_cast<std::size_t>(listed)];
        issues.push_back({CrosswalkProblem::old_unit_carried_nowhere, u.where.file.empty() ? in.file : u.where,
                          "old_code",
                          i18n::tr("crosswalk.old_unit_carried_nowhere", {i18n::quoted(u.code), u.name})});
    }
    for (std::size_t n = 0; n < in.new_units.size(); ++n)
        if (r.rows_of_new_count[n] == 0) {
            const DatedUnit& u = in.new_units[n];
            issues.push_back({CrosswalkProblem::new_unit_fed_by_nothing, u.where.file.empty() ? in.file : u.where,
                              "new_code",
                              i18n::tr("crosswalk.new_unit_fed_by_nothing", {i18n::quoted(u.code), u.name})});
        }
}

struct PairHash {
    std::size_t operator()(const std::pair<std::string_view, std::string_view>& p) const {
        const std::size_t a = std::hash<std::string_view>{}(p.first);
        return a ^ (std::hash<std::string_view>{}(p.second) + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
    }
};

/// Groups members by (name, parent), first-seen order.
UnitGroups group_by(std::span<const std::pair<std::string_view, std::string_view>> key_of_member) {
    UnitGroups g;
    std::unordered_map<std::pair<std::string_view, std::string_view>, int, PairHash> index;
    index.reserve(key_of_member.size());
    g.group_of.reserve(key_of_member.size());
    for (const auto& key : key_of_member) {
        const auto [it, fresh] = index.emplace(key, static_cast<int>(g.names.size()));
        if (fresh) {
            g.names.emplace_back(key.first);
            g.parents.emplace_back(key.second);
        }
        g.group_of.push_back(it->second);
    }
    return g;
}

}  // namespace

std::vector<CrosswalkIssue> check_crosswalk(const CrosswalkInput& input) {
    std::vector<CrosswalkIssue> issues;
    check_columns(input, issues);
    const Resolved r = resolve(input, issues);
    std::vector<std::int64_t> weight_of_row(input.rows.size(), 0);
    for (std::size_t o = 0; o < r.old_codes.size(); ++o)
        if (!r.rows_of_old(o).empty()) weigh(input, r, o, weight_of_row, issues);
    check_coverage(input, r, issues);
    return issues;
}

Crosswalk build_crosswalk(const CrosswalkInput& input) {
    std::vector<CrosswalkIssue> issues;
    check_columns(input, issues);
    const Resolved r = resolve(input, issues);
    const std::size_t old_count = r.old_codes.size();
    std::vector<std::int64_t> weight_of_row(input.rows.size(), 0);
    std::vector<std::int64_t> old_total(old_count, 0);
    for (std::size_t o = 0; o < old_count; ++o)
        if (!r.rows_of_old(o).empty()) old_total[o] = weigh(input, r, o, weight_of_row, issues);
    check_coverage(input, r, issues);
    if (!issues.empty()) throw issues.front().error();

    Crosswalk c;
    c.weights_ = input.weights;
    c.new_codes_.reserve(input.new_units.size());
    for (const auto& u : input.new_units) c.new_codes_.push_back(u.code);
    c.old_codes_.reserve(old_count);
    c.old_names_.reserve(old_count);
    c.old_total_ = std::move(old_total);

    // Links by old unit, then new unit (the tie-break order of carrying).
    c.links_.reserve(r.row_of.size());
    c.old_begin_.reserve(old_count + 1);
    std::vector<std::pair<std::string_view, std::string_view>> district_of, province_of;
    district_of.reserve(old_count);
    province_of.reserve(old_count);
    for (std::size_t o = 0; o < old_count; ++o) {
        const auto rows = r.rows_of_old(o);
        const CrosswalkRow& first = input.rows[static_cast<std::size_t>(rows.front())];
        c.old_codes_.emplace_back(r.old_codes[o]);
        c.old_names_.emplace_back(r.old_names[o].empty() ? std::string_view(first.old_name) : r.old_names[o]);
        district_of.emplace_back(first.old_district, first.old_province);
        province_of.emplace_back(first.old_province, std::string_view());
        const auto begin = static_cast<std::ptrdiff_t>(c.links_.size());
        c.old_begin_.push_back(static_cast<int>(begin));
        for (int row : rows)
            c.links_.push_back({static_cast<int>(o), r.new_of_row[static_cast<std::size_t>(row)],
                                weight_of_row[static_cast<std::size_t>(row)], 0});
        if (rows.size() > 1) {
            std::sort(c.links_.begin() + begin, c.links_.end(),
                      [](const Crosswalk::Link& a, const Crosswalk::Link& b) { return a.new_unit < b.new_unit; });
            c.split_where_.emplace_back(static_cast<int>(o), first.where);
        }
    }
    c.old_begin_.push_back(static_cast<int>(c.links_.size()));

    // Parts of each new unit, by old unit (links are already in old order).
    const std::size_t new_count = input.new_units.size();
    c.new_begin_.assign(new_count + 1, 0);
    for (const auto& l : c.links_) ++c.new_begin_[static_cast<std::size_t>(l.new_unit) + 1];
    for (std::size_t n = 0; n < new_count; ++n) c.new_begin_[n + 1] += c.new_begin_[n];
    c.new_links_.resize(c.links_.size());
    {
        std::vector<int> fill(c.new_begin_.begin(), c.new_begin_.end() - 1);
        for (std::size_t i = 0; i < c.links_.size(); ++i)
            c.new_links_[static_cast<std::size_t>(fill[static_cast<std::size_t>(c.links_[i].new_unit)]++)] =
                static_cast<int>(i);
    }

    // Back weights: the share of each new unit coming from each part. With populations,
    // the part's persons; otherwise the part's share of its old unit, w / W, brought to
    // the common denominator L = lcm(W) of the new unit's parts: w × L / W.
    c.new_total_.assign(new_count, 0);
    for (std::size_t n = 0; n < new_count; ++n) {
        const auto ids = c.links_of_new(static_cast<int>(n));
        std::int64_t lcm = 1;
        if (input.weights != CrosswalkWeights::population)
            for (int id : ids)
                lcm = lcm_checked(lcm, c.old_total_[static_cast<std::size_t>(c.links_[static_cast<std::size_t>(id)].old_unit)]);
        std::int64_t total = 0;
        for (int id : ids) {
            Crosswalk::Link& l = c.links_[static_cast<std::size_t>(id)];
            l.back_weight = input.weights == CrosswalkWeights::population
                                ? l.weight
                                : checked_mul(l.weight, lcm / c.old_total_[static_cast<std::size_t>(l.old_unit)]);
            total = checked_add(total, l.back_weight);
        }
        c.new_total_[n] = total;
    }

    c.districts_ = group_by(district_of);
    c.provinces_ = group_by(province_of);
    return c;
}

// ---------------------------------------------------------------- the crosswalk

int Crosswalk::find_new(std::string_view code) const {
    const auto it = std::find(new_codes_.begin(), new_codes_.end(), code);
    return it == new_codes_.end() ? -1 : static_cast<int>(it - new_codes_.begin());
}

int Crosswalk::find_old(std::string_view code) const {
    const auto it = std::find(old_codes_.begin(), old_codes_.end(), code);
    return it == old_codes_.end() ? -1 : static_cast<int>(it - old_codes_.begin());
}

std::span<const Crosswalk::Link> Crosswalk::links_of_old(int old_unit) const {
    const auto o = static_cast<std::size_t>(old_unit);
    return std::span<const Link>(links_).subspan(static_cast<std::size_t>(old_begin_[o]),
                                                 static_cast<std::size_t>(old_begin_[o + 1] - old_begin_[o]));
}

std::span<const int> Crosswalk::links_of_new(int new_unit) const {
    const auto n = static_cast<std::size_t>(new_unit);
    return std::span<const int>(new_links_).subspan(static_cast<std::size_t>(new_begin_[n]),
                                                    static_cast<std::size_t>(new_begin_[n + 1] - new_begin_[n]));
}

std::vector<int> Crosswalk::assumed_splits() const {
    std::vector<int> out;
    if (weights_ != CrosswalkWeights::equal) return out;
    for (std::size_t o = 0; o < old_codes_.size(); ++o)
        if (old_begin_[o + 1] - old_begin_[o] > 1) out.push_back(static_cast<int>(o));
    return out;
}

bool Crosswalk::new_unit_assumed(int new_unit) const {
    if (weights_ != CrosswalkWeights::equal) return false;
    for (int id : links_of_new(new_unit)) {
        const auto o = static_cast<std::size_t>(links_[static_cast<std::size_t>(id)].old_unit);
        if (old_begin_[o + 1] - old_begin_[o] > 1) return true;
    }
    return false;
}

std::vector<Warning> Crosswalk::assumption_warnings() const {
    std::vector<Warning> out;
    if (weights_ != CrosswalkWeights::equal) return out;
    for (const auto& [o, where] : split_where_) {
        const auto k = static_cast<unsigned long>(links_of_old(o).size());
        const auto u = static_cast<std::size_t>(o);
        out.push_back({where, "part",
                       i18n::tr("crosswalk.equal_split_assumed",
                                {i18n::quoted(old_codes_[u]), old_names_[u].empty() ? old_codes_[u] : old_names_[u],
                                 k, "1/" + std::to_string(k)})});
    }
    return out;
}

std::vector<std::int64_t> Crosswalk::split_old(std::span<const std::int64_t> per_old) const {
    assert(per_old.size() == old_count());
    std::vector<std::int64_t> out(links_.size());
    Apportioner a;
    for (std::size_t o = 0; o < old_codes_.size(); ++o) {
        const int begin = old_begin_[o];
        a.run(per_old[o], old_begin_[o + 1] - begin, old_total_[o],
              [&](int i) { return links_[static_cast<std::size_t>(begin + i)].weight; },
              [&](int i, std::int64_t v) { out[static_cast<std::size_t>(begin + i)] = v; });
    }
    return out;
}

std::vector<std::int64_t> Crosswalk::split_new(std::span<const std::int64_t> per_new) const {
    assert(per_new.size() == new_count());
    std::vector<std::int64_t> out(links_.size());
    Apportioner a;
    for (std::size_t n = 0; n < new_codes_.size(); ++n) {
        const auto ids = links_of_new(static_cast<int>(n));
        if (ids.empty()) continue;
        a.run(per_new[n], static_cast<int>(ids.size()), new_total_[n],
              [&](int i) { return links_[static_cast<std::size_t>(ids[static_cast<std::size_t>(i)])].back_weight; },
              [&](int i, std::int64_t v) { out[static_cast<std::size_t>(ids[static_cast<std::size_t>(i)])] = v; });
    }
    return out;
}

std::vector<std::int64_t> Crosswalk::split_new(std::span<const std::int64_t> per_new,
                                               std::span<const std::int64_t> part_weight) const {
    assert(per_new.size() == new_count() && part_weight.size() == links_.size());
    std::vector<std::int64_t> out(links_.size());
    Apportioner a;
    for (std::size_t n = 0; n < new_codes_.size(); ++n) {
        const auto ids = links_of_new(static_cast<int>(n));
        if (ids.empty()) continue;
        std::int64_t total = 0;
        for (int id : ids) total = checked_add(total, part_weight[static_cast<std::size_t>(id)]);
        const bool fallback = total <= 0;
        a.run(per_new[n], static_cast<int>(ids.size()), fallback ? new_total_[n] : total,
              [&](int i) {
                  const auto id = static_cast<std::size_t>(ids[static_cast<std::size_t>(i)]);
                  return fallback ? links_[id].back_weight : part_weight[id];
              },
              [&](int i, std::int64_t v) { out[static_cast<std::size_t>(ids[static_cast<std::size_t>(i)])] = v; });
    }
    return out;
}

std::vector<std::int64_t> Crosswalk::sum_by_new(std::span<const std::int64_t> per_link) const {
    assert(per_link.size() == links_.size());
    std::vector<std::int64_t> out(new_codes_.size(), 0);
    for (std::size_t i = 0; i < links_.size(); ++i) {
        auto& slot = out[static_cast<std::size_t>(links_[i].new_unit)];
        slot = checked_add(slot, per_link[i]);
    }
    return out;
}

std::vector<std::int64_t> Crosswalk::sum_by_old(std::span<const std::int64_t> per_link) const {
    assert(per_link.size() == links_.size());
    std::vector<std::int64_t> out(old_codes_.size(), 0);
    for (std::size_t i = 0; i < links_.size(); ++i) {
        auto& slot = out[static_cast<std::size_t>(links_[i].old_unit)];
        slot = checked_add(slot, per_link[i]);
    }
    return out;
}

std::vector<std::int64_t> Crosswalk::carry_to_new(std::span<const std::int64_t> per_old) const {
    return sum_by_new(split_old(per_old));
}

std::vector<Headcount> Crosswalk::carry_headcount_to_new(std::span<const Headcount> per_old) const {
    assert(per_old.size() == old_count());
    std::vector<Headcount> out(new_codes_.size(), 0);
    std::vector<std::int64_t> persons(16), fraction(16);
    Apportioner a;
    for (std::size_t o = 0; o < old_codes_.size(); ++o) {
        const int begin = old_begin_[o];
        const int n = old_begin_[o + 1] - begin;
        const Headcount h = per_old[o];
        // Whole persons and the fraction of a person, each with the sign of h.
        const Headcount whole = h / kHeadcountScale;
        const Headcount rest = h % kHeadcountScale;
        persons.assign(static_cast<std::size_t>(n), 0);
        fraction.assign(static_cast<std::size_t>(n), 0);
        const auto weight = [&](int i) { return links_[static_cast<std::size_t>(begin + i)].weight; };
        a.run(whole, n, old_total_[o], weight, [&](int i, std::int64_t v) { persons[static_cast<std::size_t>(i)] = v; });
        a.run(rest, n, old_total_[o], weight, [&](int i, std::int64_t v) { fraction[static_cast<std::size_t>(i)] = v; });
        for (int i = 0; i < n; ++i) {
            auto& slot = out[static_cast<std::size_t>(links_[static_cast<std::size_t>(begin + i)].new_unit)];
            const Headcount part =
                checked_add(checked_mul(persons[static_cast<std::size_t>(i)], kHeadcountScale), fraction[static_cast<std::size_t>(i)]);
            slot = checked_add(slot, part);
        }
    }
    return out;
}

std::vector<std::int64_t> Crosswalk::aggregate_to_old(std::span<const std::int64_t> per_new) const {
    return sum_by_old(split_new(per_new));
}

std::vector<std::int64_t> Crosswalk::aggregate_to_old(std::span<const std::int64_t> per_new,
                                                      std::span<const std::int64_t> part_weight) const {
    return sum_by_old(split_new(per_new, part_weight));
}

namespace {

/// Rates brought to one scale (the largest given), as integer units.
struct ScaledRates {
    std::vector<std::int64_t> units;
    std::vector<bool> present;
    int scale = 0;
};

ScaledRates scale_rates(std::span<const std::optional<Decimal>> rates) {
    ScaledRates s;
    for (const auto& r : rates)
        if (r) s.scale = std::max(s.scale, r->scale);
    s.units.assign(rates.size(), 0);
    s.present.assign(rates.size(), false);
    for (std::size_t i = 0; i < rates.size(); ++i) {
        if (!rates[i]) continue;
        s.units[i] = checked_mul(rates[i]->units, pow10(s.scale - rates[i]->scale));
        s.present[i] = true;
    }
    return s;
}

/// Σ p × r / Σ p over the parts with a rate, rounded to `rounding.scale` places.
class RateMean {
public:
    RateMean(const ScaledRates& rates, RateRounding rounding) : rates_(rates), rounding_(rounding) {}
    void add(int source, std::int64_t persons) {
        result_.persons = checked_add(result_.persons, persons);
        if (!rates_.present[static_cast<std::size_t>(source)]) return;
        result_.persons_with_rate = checked_add(result_.persons_with_rate, persons);
        sum_ = checked_add128(sum_, checked_mul128(persons, rates_.units[static_cast<std::size_t>(source)]));
    }
    CarriedRate finish() {
        CarriedRate out = result_;
        if (out.persons_with_rate > 0) {
            const int d = rounding_.scale;
            const int s = rates_.scale;
            __int128 numerator = sum_;
            __int128 denominator = out.persons_with_rate;
            if (d >= s) numerator = checked_mul128(numerator, pow10(d - s));
            else denominator = checked_mul128(denominator, pow10(s - d));
            out.rate = Decimal{round_quotient(numerator, denominator, rounding_.rounding), d};
        }
        result_ = {};
        sum_ = 0;
        return out;
    }

private:
    const ScaledRates& rates_;
    RateRounding rounding_;
    CarriedRate result_;
    __int128 sum_ = 0;
};

}  // namespace

std::vector<CarriedRate> Crosswalk::rates_to_new(std::span<const std::optional<Decimal>> per_old,
                                                 std::span<const std::int64_t> part_population,
                                                 RateRounding rounding) const {
    assert(per_old.size() == old_count() && part_population.size() == links_.size());
    assert(rounding.scale >= 0 && rounding.scale <= Decimal::kMaxScale);
    const ScaledRates rates = scale_rates(per_old);
    RateMean mean(rates, rounding);
    std::vector<CarriedRate> out;
    out.reserve(new_codes_.size());
    for (std::size_t n = 0; n < new_codes_.size(); ++n) {
        for (int id : links_of_new(static_cast<int>(n)))
            mean.add(links_[static_cast<std::size_t>(id)].old_unit, part_population[static_cast<std::size_t>(id)]);
        out.push_back(mean.finish());
    }
    return out;
}

std::vector<CarriedRate> Crosswalk::rates_to_old(std::span<const std::optional<Decimal>> per_new,
                                                 std::span<const std::int64_t> part_population,
                                                 RateRounding rounding) const {
    assert(per_new.size() == new_count() && part_population.size() == links_.size());
    assert(rounding.scale >= 0 && rounding.scale <= Decimal::kMaxScale);
    const ScaledRates rates = scale_rates(per_new);
    RateMean mean(rates, rounding);
    std::vector<CarriedRate> out;
    out.reserve(old_codes_.size());
    for (std::size_t o = 0; o < old_codes_.size(); ++o) {
        for (int i = old_begin_[o]; i < old_begin_[o + 1]; ++i)
            mean.add(links_[static_cast<std::size_t>(i)].new_unit, part_population[static_cast<std::size_t>(i)]);
        out.push_back(mean.finish());
    }
    return out;
}

// ---------------------------------------------------------------- one level up

Crosswalk Crosswalk::regroup_old(const UnitGroups& groups, std::span<const std::int64_t> member_weight) const {
    assert(groups.group_of.size() == old_codes_.size());
    assert(member_weight.empty() || member_weight.size() == old_codes_.size());
    const std::size_t group_count = groups.size();
    std::vector<std::vector<int>> members(group_count);
    for (std::size_t m = 0; m < groups.group_of.size(); ++m)
        members[static_cast<std::size_t>(groups.group_of[m])].push_back(static_cast<int>(m));

    Crosswalk r;
    r.weights_ = weights_;
    r.new_codes_ = new_codes_;
    r.old_codes_ = groups.names;
    r.old_names_ = groups.names;
    r.old_total_.assign(group_count, 0);
    r.new_total_ = new_total_;
    r.old_begin_.reserve(group_count + 1);
    std::vector<std::int64_t> forward(new_codes_.size(), 0), back(new_codes_.size(), 0);
    std::vector<int> touched;
    for (std::size_t g = 0; g < group_count; ++g) {
        std::int64_t lcm = 1, persons = 0;
        for (int c : members[g]) {
            lcm = lcm_checked(lcm, old_total_[static_cast<std::size_t>(c)]);
            persons = checked_add(persons, member_weight.empty() ? 1 : member_weight[static_cast<std::size_t>(c)]);
        }
        // Members that hold nobody in total: taken as of equal size.
        const bool equal = member_weight.empty() || persons <= 0;
        if (equal) persons = static_cast<std::int64_t>(members[g].size());
        touched.clear();
        for (int c : members[g]) {
            const std::int64_t m = equal ? 1 : member_weight[static_cast<std::size_t>(c)];
            const std::int64_t per_unit = lcm / old_total_[static_cast<std::size_t>(c)];
            for (const Link& l : links_of_old(c)) {
                const auto n = static_cast<std::size_t>(l.new_unit);
                if (forward[n] == 0 && back[n] == 0) touched.push_back(l.new_unit);
                forward[n] = checked_add(forward[n], checked_mul(checked_mul(m, l.weight), per_unit));
                back[n] = checked_add(back[n], l.back_weight);
            }
        }
        std::sort(touched.begin(), touched.end());
        r.old_begin_.push_back(static_cast<int>(r.links_.size()));
        for (int n : touched) {
            // A member of weight 0 leaves a link of forward weight 0: kept (its back weight
            // still apportions the new unit), the forward carry gives it nothing.
            r.links_.push_back({static_cast<int>(g), n, forward[static_cast<std::size_t>(n)], back[static_cast<std::size_t>(n)]});
            forward[static_cast<std::size_t>(n)] = 0;
            back[static_cast<std::size_t>(n)] = 0;
        }
        r.old_total_[g] = checked_mul(persons, lcm);
    }
    r.old_begin_.push_back(static_cast<int>(r.links_.size()));

    const std::size_t new_count = new_codes_.size();
    r.new_begin_.assign(new_count + 1, 0);
    for (const Link& l : r.links_) ++r.new_begin_[static_cast<std::size_t>(l.new_unit) + 1];
    for (std::size_t n = 0; n < new_count; ++n) r.new_begin_[n + 1] += r.new_begin_[n];
    r.new_links_.resize(r.links_.size());
    {
        std::vector<int> fill(r.new_begin_.begin(), r.new_begin_.end() - 1);
        for (std::size_t i = 0; i < r.links_.size(); ++i)
            r.new_links_[static_cast<std::size_t>(fill[static_cast<std::size_t>(r.links_[i].new_unit)]++)] = static_cast<int>(i);
    }
    // The groups are the regrouped crosswalk's districts; their parents its provinces.
    r.districts_.names = groups.names;
    r.districts_.parents = groups.parents;
    r.districts_.group_of.resize(group_count);
    for (std::size_t g = 0; g < group_count; ++g) r.districts_.group_of[g] = static_cast<int>(g);
    std::vector<std::pair<std::string_view, std::string_view>> province_of;
    province_of.reserve(group_count);
    for (std::size_t g = 0; g < group_count; ++g) province_of.emplace_back(groups.parents[g], std::string_view());
    r.provinces_ = group_by(province_of);
    return r;
}

// ---------------------------------------------------------------- groups

std::vector<std::int64_t> UnitGroups::sum(std::span<const std::int64_t> per_member) const {
    assert(per_member.size() == group_of.size());
    std::vector<std::int64_t> out(names.size(), 0);
    for (std::size_t m = 0; m < group_of.size(); ++m) {
        auto& slot = out[static_cast<std::size_t>(group_of[m])];
        slot = checked_add(slot, per_member[m]);
    }
    return out;
}

std::vector<std::int64_t> UnitGroups::spread(std::span<const std::int64_t> per_group,
                                             std::span<const std::int64_t> member_weight) const {
    assert(per_group.size() == names.size() && member_weight.size() == group_of.size());
    // Members of each group, in member order.
    std::vector<int> begin(names.size() + 1, 0);
    for (int g : group_of) ++begin[static_cast<std::size_t>(g) + 1];
    for (std::size_t g = 0; g < names.size(); ++g) begin[g + 1] += begin[g];
    std::vector<int> members(group_of.size());
    {
        std::vector<int> fill(begin.begin(), begin.end() - 1);
        for (std::size_t m = 0; m < group_of.size(); ++m)
            members[static_cast<std::size_t>(fill[static_cast<std::size_t>(group_of[m])]++)] = static_cast<int>(m);
    }
    std::vector<std::int64_t> out(group_of.size(), 0);
    Apportioner a;
    for (std::size_t g = 0; g < names.size(); ++g) {
        const int first = begin[g];
        const int n = begin[g + 1] - first;
        assert(n > 0 || per_group[g] == 0);
        if (n == 0) continue;
        std::int64_t total = 0;
        for (int i = 0; i < n; ++i) total = checked_add(total, member_weight[static_cast<std::size_t>(members[static_cast<std::size_t>(first + i)])]);
        const bool equal = total <= 0;
        a.run(per_group[g], n, equal ? n : total,
              [&](int i) {
                  return equal ? std::int64_t{1}
                               : member_weight[static_cast<std::size_t>(members[static_cast<std::size_t>(first + i)])];
              },
              [&](int i, std::int64_t v) { out[static_cast<std::size_t>(members[static_cast<std::size_t>(first + i)])] = v; });
    }
    return out;
}

std::vector<std::optional<Decimal>> UnitGroups::inherit(std::span<const std::optional<Decimal>> per_group) const {
    assert(per_group.size() == names.size());
    std::vector<std::optional<Decimal>> out;
    out.reserve(group_of.size());
    for (int g : group_of) out.push_back(per_group[static_cast<std::size_t>(g)]);
    return out;
}

}  // namespace subsim
