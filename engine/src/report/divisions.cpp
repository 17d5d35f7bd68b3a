// Reports on another division: a run's budget and coverage aggregated to the units of a
// crosswalk level or of a unit attribute (see subsim/report/divisions.hpp).
#include "subsim/report/divisions.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "division_reports.hpp"
#include "report_format.hpp"
#include "report_tables.hpp"
#include "subsim/core/error.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {

namespace {

std::string level_words(CrosswalkLevel l) { return std::string(to_string(l)); }

/// A date as each language writes it (01/07/2025, 2025-07-01), for the tables' notes.
Text date_words(Date d) { return {report_detail::date_text(d, Lang::vi), report_detail::date_text(d, Lang::en)}; }

/// Names a level may be asked by, for messages.
constexpr const char* kLevels = "old_commune, old_district, old_province, new";

bool is_leaf_unit(const Scenario& s, std::size_t u, const std::vector<char>& has_child) {
    (void)s;
    return has_child[u] == 0;
}

}  // namespace

std::variant<DivisionSpec, Text> resolve_division(const Scenario& s, std::string_view text) {
    DivisionSpec spec;
    spec.text = std::string(text);
    const auto& crosswalks = s.data->crosswalks;
    std::string_view id, level_text = text;
    if (const auto colon = text.find(':'); colon != std::string_view::npos) {
        id = text.substr(0, colon);
        level_text = text.substr(colon + 1);
    }
    if (const auto level = parse_crosswalk_level(level_text)) {
        int x = -1;
        if (!id.empty()) {
            for (std::size_t i = 0; i < crosswalks.size(); ++i)
                if (crosswalks[i].id == id) x = static_cast<int>(i);
            if (x < 0) return i18n::tr("division.unknown_crosswalk", {i18n::quoted(id)});
        } else if (crosswalks.size() == 1) {
            x = 0;
        } else if (crosswalks.empty()) {
            return i18n::tr("division.no_crosswalk", {i18n::quoted(text)});
        } else {
            std::string ids;
            for (const auto& c : crosswalks) ids += (ids.empty() ? "" : ", ") + c.id;
            return i18n::tr("division.which_crosswalk", {i18n::quoted(text), ids});
        }
        const ScenarioCrosswalk& cw = crosswalks[static_cast<std::size_t>(x)];
        const UnitGroups& g = *level == CrosswalkLevel::old_province ? cw.table->old_provinces() : cw.table->old_districts();
        if ((*level == CrosswalkLevel::old_district || *level == CrosswalkLevel::old_province) && g.size() == 1 && g.names[0].empty())
            return i18n::tr("division.no_column", {i18n::quoted(cw.id), level_words(*level)});
        spec.crosswalk = x;
        spec.level = *level;
        spec.stem = (crosswalks.size() > 1 ? cw.id + "_" : std::string()) + level_words(*level);
        return spec;
    }
    if (!id.empty()) return i18n::tr("division.unknown_level", {i18n::quoted(level_text), kLevels});
    std::string name(text);
    std::replace(name.begin(), name.end(), '-', '_');
    std::set<std::string> attributes;
    for (const Unit& u : s.units())
        for (const auto& [a, v] : u.attributes) attributes.insert(a);
    const bool known = attributes.count(std::string(text)) > 0 || attributes.count(name) > 0;
    if (!known) {
        std::string list;
        for (const auto& a : attributes) list += (list.empty() ? "" : ", ") + a;
        return i18n::tr("division.unknown", {i18n::quoted(text), crosswalks.empty() ? std::string("—") : std::string(kLevels),
                                             list.empty() ? std::string("—") : list});
    }
    spec.attribute = attributes.count(std::string(text)) > 0 ? std::string(text) : name;
    spec.stem = spec.attribute;
    return spec;
}

namespace {

/// A share of a unit's figures going to a division unit.
struct Share {
    int div = 0;
    std::int64_t weight = 0;
};

/// Splits `amount` over `shares` in proportion to their weights: floors, then the units
/// left over to the largest remainders (ties: the earlier share). Σ = amount.
template <class Emit>
void apportion(std::int64_t amount, const std::vector<Share>& shares, Emit emit) {
    if (shares.size() == 1) {
        emit(shares[0].div, amount);
        return;
    }
    __int128 total = 0;
    for (const Share& sh : shares) total += sh.weight;
    if (total <= 0) {  // nothing to weigh by: equal parts
        std::vector<Share> equal = shares;
        for (Share& sh : equal) sh.weight = 1;
        apportion(amount, equal, emit);
        return;
    }
    const bool negative = amount < 0;
    const __int128 magnitude = negative ? -static_cast<__int128>(amount) : static_cast<__int128>(amount);
    std::vector<__int128> floor(shares.size()), remainder(shares.size());
    __int128 given = 0;
    for (std::size_t i = 0; i < shares.size(); ++i) {
        const __int128 q = magnitude * shares[i].weight;
        floor[i] = q / total;
        remainder[i] = q % total;
        given += floor[i];
    }
    std::vector<std::size_t> order(shares.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
    for (__int128 left = magnitude - given, k = 0; k < left; ++k) floor[order[static_cast<std::size_t>(k)]] += 1;
    for (std::size_t i = 0; i < shares.size(); ++i) {
        const auto v = static_cast<std::int64_t>(floor[i]);
        emit(shares[i].div, negative ? -v : v);
    }
}

/// Shares merged per division unit and ordered by it.
std::vector<Share> merged(std::vector<Share> shares) {
    std::sort(shares.begin(), shares.end(), [](const Share& a, const Share& b) { return a.div < b.div; });
    std::vector<Share> out;
    for (const Share& sh : shares) {
        if (!out.empty() && out.back().div == sh.div) out.back().weight += sh.weight;
        else out.push_back(sh);
    }
    return out;
}

/// How a crosswalk level's figures come to each of the scenario's lowest-level units.
class LevelMap {
public:
    LevelMap(const Scenario& s, const Results& r, const DivisionSpec& spec, DivisionTables& t)
        : s_(s), r_(r), spec_(spec), x_(s.data->crosswalks[static_cast<std::size_t>(spec.crosswalk)]), t_(t) {
        const Crosswalk& table = *x_.table;
        // K: the crosswalk whose links carry the level. A change carried at district
        // level (the scenario's old units are districts) links new units to districts.
        const bool district_carry = x_.carry && x_.carry != x_.table;
        k_ = (district_carry && spec.level != CrosswalkLevel::old_commune) ? x_.carry : x_.table;
        old_of_k_ = k_ == x_.carry ? x_.carry_old : x_.old_unit;
        // Division units.
        switch (spec.level) {
            case CrosswalkLevel::new_unit:
                for (std::size_t n = 0; n < table.new_count(); ++n) {
                    const int u = x_.new_unit[n];
                    t.units.push_back({table.new_code(static_cast<int>(n)), u >= 0 ? s.units()[static_cast<std::size_t>(u)].name : std::string()});
                }
                break;
            case CrosswalkLevel::old_commune:
                for (std::size_t o = 0; o < table.old_count(); ++o)
                    t.units.push_back({table.old_code(static_cast<int>(o)), table.old_name(static_cast<int>(o))});
                break;
            case CrosswalkLevel::old_district:
            case CrosswalkLevel::old_province: {
                const bool district = spec.level == CrosswalkLevel::old_district;
                const UnitGroups& g = district ? table.old_districts() : table.old_provinces();
                const std::vector<int>& bound = district ? x_.district_unit : x_.province_unit;
                for (std::size_t i = 0; i < g.size(); ++i) {
                    const int u = bound[i];
                    t.units.push_back({u >= 0 ? s.units()[static_cast<std::size_t>(u)].code : g.names[i],
                                       g.parents[i].empty() ? g.names[i] : g.names[i] + ", " + g.parents[i]});
                }
                break;
            }
        }
        // The division unit of each old unit of K.
        div_of_k_old_.assign(k_->old_count(), -1);
        if (k_ == x_.table) {
            for (std::size_t o = 0; o < table.old_count(); ++o) {
                switch (spec.level) {
                    case CrosswalkLevel::old_commune: div_of_k_old_[o] = static_cast<int>(o); break;
                    case CrosswalkLevel::old_district: div_of_k_old_[o] = table.old_districts().group_of[o]; break;
                    case CrosswalkLevel::old_province: div_of_k_old_[o] = table.old_provinces().group_of[o]; break;
                    case CrosswalkLevel::new_unit: break;
                }
            }
        } else {
            // K's old units are the table's districts (or provinces), in their order.
            const UnitGroups& d = x_.carry->old_count() == table.old_districts().size() ? table.old_districts() : table.old_provinces();
            const bool by_district = &d == &table.old_districts();
            for (std::size_t o = 0; o < table.old_count(); ++o) {
                const int g = d.group_of[o];
                switch (spec.level) {
                    case CrosswalkLevel::old_district:
                        div_of_k_old_[static_cast<std::size_t>(g)] = by_district ? g : -1;
                        break;
                    case CrosswalkLevel::old_province:
                        div_of_k_old_[static_cast<std::size_t>(g)] = table.old_provinces().group_of[o];
                        break;
                    default: break;
                }
            }
        }
        // Lowest-level units of the scenario: new, old (of K), or outside.
        new_of_unit_.assign(s.units().size(), -1);
        old_of_unit_.assign(s.units().size(), -1);
        table_old_of_unit_.assign(s.units().size(), -1);
        for (std::size_t n = 0; n < x_.new_unit.size(); ++n)
            if (x_.new_unit[n] >= 0) new_of_unit_[static_cast<std::size_t>(x_.new_unit[n])] = static_cast<int>(n);
        for (std::size_t o = 0; o < old_of_k_.size(); ++o)
            if (old_of_k_[o] >= 0) old_of_unit_[static_cast<std::size_t>(old_of_k_[o])] = static_cast<int>(o);
        // Earlier units of the same code (a commune re-parented on 1/1/2025 is two units in
        // succession) stand for the same territory: they go where the old unit goes.
        {
            std::map<std::string, int> old_by_code;
            for (std::size_t o = 0; o < old_of_k_.size(); ++o)
                if (old_of_k_[o] >= 0) old_by_code.emplace(s.units()[static_cast<std::size_t>(old_of_k_[o])].code, static_cast<int>(o));
            for (std::size_t u = 0; u < s.units().size(); ++u) {
                const Unit& unit = s.units()[u];
                if (old_of_unit_[u] >= 0 || new_of_unit_[u] >= 0 || !unit.valid.to || !(*unit.valid.to < x_.change)) continue;
                if (const auto it = old_by_code.find(unit.code); it != old_by_code.end() &&
                                                                  unit.level == s.units()[static_cast<std::size_t>(old_of_k_[static_cast<std::size_t>(it->second)])].level)
                    old_of_unit_[u] = it->second;
            }
        }
        // District-level old units of the scenario asked for at commune level: spread over
        // their communes in equal parts (an assumption).
        if (district_carry && spec.level == CrosswalkLevel::old_commune)
            for (std::size_t g = 0; g < x_.carry_old.size(); ++g)
                if (x_.carry_old[g] >= 0) table_old_of_unit_[static_cast<std::size_t>(x_.carry_old[g])] = static_cast<int>(g);
        // Persons per link of K on the change date, when the scenario holds both sides.
        if (x_.carry && k_ == x_.carry) {
            std::vector<std::int64_t> per_old(k_->old_count(), 0);
            bool found = false;
            for (const CoverageRow& c : r.coverage) {
                if (c.year != x_.change.year) continue;
                const int o = old_of_unit_[static_cast<std::size_t>(c.unit)];
                if (o < 0) continue;
                per_old[static_cast<std::size_t>(o)] = std::max<std::int64_t>(0, c.population);
                found = true;
            }
            if (found) change_parts_ = k_->split_old(per_old);
        }
    }

    /// How the unit's figures of `year` go to division units; empty: outside the crosswalk.
    std::vector<Share> shares(int unit, int year) {
        const auto u = static_cast<std::size_t>(unit);
        if (spec_.level == CrosswalkLevel::new_unit) {
            if (new_of_unit_[u] >= 0) return {{new_of_unit_[u], 1}};
            if (old_of_unit_[u] >= 0) {
                std::vector<Share> out;
                for (const Crosswalk::Link& l : k_->links_of_old(old_of_unit_[u])) out.push_back({l.new_unit, l.weight});
                note_split(out.size());
                return merged(out);
            }
            return {};
        }
        if (new_of_unit_[u] >= 0) {
            const std::vector<std::int64_t>& weights = part_weights(year);
            std::vector<Share> out;
            for (int id : k_->links_of_new(new_of_unit_[u])) {
                const int div = div_of_k_old_[static_cast<std::size_t>(k_->links()[static_cast<std::size_t>(id)].old_unit)];
                if (div >= 0) out.push_back({div, weights[static_cast<std::size_t>(id)]});
            }
            out = merged(out);
            note_split(out.size());
            return out;
        }
        if (old_of_unit_[u] >= 0) {
            const int div = div_of_k_old_[static_cast<std::size_t>(old_of_unit_[u])];
            if (div >= 0) return {{div, 1}};
        }
        if (table_old_of_unit_[u] >= 0) {
            std::vector<Share> out;
            const UnitGroups& d = x_.table->old_districts();
            for (std::size_t c = 0; c < d.group_of.size(); ++c)
                if (d.group_of[c] == table_old_of_unit_[u]) out.push_back({static_cast<int>(c), 1});
            if (out.size() > 1) equal_members_ = true;
            note_split(out.size());
            return out;
        }
        return {};
    }

    /// Notes for the tables, once every unit has been seen.
    void add_notes() {
        const Crosswalk& table = *x_.table;
        if (split_seen_) {
            if (basis_ == Basis::change)
                t_.notes.push_back(i18n::tr("division.note.change", {date_words(x_.change)}));
            else if (basis_ == Basis::population)
                t_.notes.push_back(i18n::tr("division.note.population"));
            else if (basis_ == Basis::back) {
                t_.notes.push_back(i18n::tr("division.note.back_weights"));
                t_.assumed = true;
            }
        }
        if (equal_members_) {
            t_.notes.push_back(i18n::tr("division.note.equal_members"));
            t_.assumed = true;
        }
        const auto splits = table.assumed_splits();
        if (!splits.empty()) {
            std::string names;
            for (std::size_t i = 0; i < splits.size() && i < 8; ++i)
                names += (names.empty() ? "" : ", ") + table.old_code(splits[i]) + " " + table.old_name(splits[i]);
            if (splits.size() > 8) names += ", …";
            t_.notes.push_back(i18n::tr("division.note.equal_splits", {static_cast<long>(splits.size()), names}));
            t_.assumed = true;
        }
    }

    /// The scenario unit bound to division unit `div` (for its targets), or -1.
    int bound_unit(int div) const {
        switch (spec_.level) {
            case CrosswalkLevel::new_unit: return x_.new_unit[static_cast<std::size_t>(div)];
            case CrosswalkLevel::old_commune: return x_.old_unit[static_cast<std::size_t>(div)];
            case CrosswalkLevel::old_district: return x_.district_unit[static_cast<std::size_t>(div)];
            case CrosswalkLevel::old_province: return x_.province_unit[static_cast<std::size_t>(div)];
        }
        return -1;
    }
    const ScenarioCrosswalk& crosswalk() const { return x_; }

private:
    enum class Basis { none, change, population, back };

    void note_split(std::size_t parts) { split_seen_ = split_seen_ || parts > 1; }

    /// Weights of K's links for apportioning new units in `year`.
    const std::vector<std::int64_t>& part_weights(int year) {
        if (k_ == x_.table) {
            if (const std::vector<std::int64_t>* given = x_.part_population_in(year)) {
                if (basis_ == Basis::none || basis_ == Basis::population) basis_ = Basis::population;
                return *given;
            }
        }
        if (!change_parts_.empty()) {
            if (basis_ == Basis::none) basis_ = Basis::change;
            return change_parts_;
        }
        if (back_.empty()) {
            back_.reserve(k_->links().size());
            for (const Crosswalk::Link& l : k_->links()) back_.push_back(l.back_weight);
        }
        basis_ = Basis::back;
        return back_;
    }

    const Scenario& s_;
    const Results& r_;
    const DivisionSpec& spec_;
    const ScenarioCrosswalk& x_;
    DivisionTables& t_;
    std::shared_ptr<const Crosswalk> k_;
    std::vector<int> old_of_k_;
    std::vector<int> div_of_k_old_;
    std::vector<int> new_of_unit_, old_of_unit_, table_old_of_unit_;
    std::vector<std::int64_t> change_parts_, back_;
    Basis basis_ = Basis::none;
    bool split_seen_ = false;
    bool equal_members_ = false;
};

}  // namespace

namespace {

/// A division's tables from a run's totals per unit and payer and its coverage rows.
DivisionTables build_tables(const Scenario& s, const std::vector<UnitPayerTotal>& unit_totals,
                            const std::vector<CoverageRow>& coverage, const DivisionSpec& spec) {
    Results r;  // what LevelMap reads: the scenario and the coverage rows
    r.scenario = &s;
    r.coverage = coverage;
    DivisionTables t;
    t.spec = spec;
    const std::size_t unit_count = s.units().size();
    std::vector<char> has_child(unit_count, 0);
    for (const Unit& u : s.units())
        if (u.parent >= 0) has_child[static_cast<std::size_t>(u.parent)] = 1;

    std::unique_ptr<LevelMap> level;
    std::map<std::string, int> value_index;
    if (spec.crosswalk >= 0) level = std::make_unique<LevelMap>(s, r, spec, t);
    else
        for (std::size_t u = 0; u < unit_count; ++u) {
            if (!is_leaf_unit(s, u, has_child)) continue;
            const std::string* v = s.units()[u].attribute(spec.attribute);
            if (v == nullptr) continue;
            if (value_index.emplace(*v, static_cast<int>(t.units.size())).second) t.units.push_back({*v, *v});
        }
    // Units outside the division (no attribute, not in the crosswalk): one unit "—".
    int outside = -1;
    const auto outside_unit = [&] {
        if (outside < 0) {
            outside = static_cast<int>(t.units.size());
            // The tables serve the CSVs and both languages' reports: the name carries both.
            const char* key = spec.crosswalk >= 0 ? "division.outside" : "division.no_value";
            t.units.push_back({"", i18n::tr_in(Lang::vi, key) + " / " + i18n::tr_in(Lang::en, key)});
        }
        return outside;
    };
    // Shares per (year, unit), worked out once.
    std::map<std::pair<int, int>, std::vector<Share>> memo;
    const auto shares_of = [&](int year, int unit) -> const std::vector<Share>& {
        auto [it, fresh] = memo.try_emplace({year, unit});
        if (!fresh) return it->second;
        std::vector<Share> sh;
        if (level) {
            sh = level->shares(unit, year);
        } else if (const std::string* v = s.units()[static_cast<std::size_t>(unit)].attribute(spec.attribute)) {
            sh = {{value_index.at(*v), 1}};
        }
        if (sh.empty()) sh = {{outside_unit(), 1}};
        it->second = std::move(sh);
        return it->second;
    };

    // Budget: every (year, unit, payer) total apportioned.
    const std::size_t payers = s.payers.size();
    std::map<std::tuple<int, int, int>, std::pair<Dong, Dong>> budget;  // (year, div, payer) → (cost, apportioned)
    for (const UnitPayerTotal& c : unit_totals) {
        const auto& sh = shares_of(c.year, c.unit);
        apportion(c.cost, sh, [&](int div, std::int64_t v) {
            auto& [cost, split] = budget[{c.year, div, c.payer}];
            cost = add_dong(cost, v);
            if (sh.size() > 1) split = add_dong(split, v);
        });
    }
    (void)payers;
    for (const auto& [key, value] : budget)
        t.budget.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), value.first, value.second});

    // Coverage: person-months and population × months of the lowest-level units.
    struct Acc {
        __int128 pop_months = 0;
        Headcount pm = 0;
        bool apportioned = false;
        bool any = false;
    };
    std::map<std::pair<int, int>, Acc> acc;  // (year, div)
    for (const CoverageRow& c : r.coverage) {
        if (!is_leaf_unit(s, static_cast<std::size_t>(c.unit), has_child)) continue;
        const auto& sh = shares_of(c.year, c.unit);
        apportion(c.person_months, sh, [&](int div, std::int64_t v) {
            Acc& a = acc[{c.year, div}];
            a.pm = add_dong(a.pm, v);
            a.any = true;
            a.apportioned = a.apportioned || sh.size() > 1;
        });
        apportion(std::max<std::int64_t>(0, c.population), sh, [&](int div, std::int64_t v) {
            acc[{c.year, div}].pop_months += static_cast<__int128>(v) * c.months;
        });
    }
    // Targets of a division unit: its bound scenario unit's, or those keyed on its level.
    std::map<std::pair<int, int>, Decimal> targets;  // (div, year)
    if (level) {
        const ScenarioCrosswalk& x = level->crosswalk();
        for (const TargetRow& row : s.targets)
            for (std::size_t d = 0; d < t.units.size(); ++d)
                if (static_cast<int>(d) != outside && level->bound_unit(static_cast<int>(d)) == row.unit)
                    targets[{static_cast<int>(d), row.year}] = row.target;
        for (const ScenarioCrosswalk::LevelTarget& lt : x.level_targets)
            if (lt.level == spec.level) targets.try_emplace({lt.key, lt.year}, lt.target);
    }
    bool reference_used = false;
    std::vector<std::string> without_target;
    std::set<int> with_target;
    for (const auto& [key, a] : acc) {
        const auto [year, div] = key;
        DivisionTables::Coverage row;
        row.year = year;
        row.unit = div;
        row.population = static_cast<std::int64_t>((a.pop_months + 6) / 12);
        row.enrolled = round_quotient(a.pm, 12, Rounding::half_up);
        row.apportioned = a.apportioned;
        if (const auto it = targets.find({div, year}); it != targets.end()) {
            row.target = it->second;
            row.target_year = year;
        } else if (level && spec.level != CrosswalkLevel::new_unit && year >= level->crosswalk().last_old_day().year) {
            // A former unit in the year it ends or later, with no target of its own for the
            // year: its last target, stated with its year.
            for (auto it2 = targets.lower_bound({div, 0}); it2 != targets.end() && it2->first.first == div; ++it2)
                if (it2->first.second < year) {
                    row.target = it2->second;
                    row.target_year = it2->first.second;
                }
            reference_used = reference_used || row.target.has_value();
        }
        if (row.target) with_target.insert(div);
        CoverageRow c;
        c.population = row.population;
        c.enrolled = row.enrolled;
        c.target = row.target;
        row.gap = report_detail::gap_persons(c);
        t.coverage.push_back(row);
    }
    if (level) level->add_notes();
    if (reference_used)
        t.notes.push_back(i18n::tr("division.note.reference_target", {date_words(level->crosswalk().last_old_day())}));
    if (level && !with_target.empty())
        for (std::size_t d = 0; d < t.units.size(); ++d)
            if (static_cast<int>(d) != outside && !with_target.count(static_cast<int>(d))) without_target.push_back(t.units[d].name);
    if (!without_target.empty()) {
        std::string names;
        for (std::size_t i = 0; i < without_target.size() && i < 12; ++i) names += (names.empty() ? "" : "; ") + without_target[i];
        if (without_target.size() > 12) names += "; …";
        t.notes.push_back(i18n::tr("division.note.no_target", {static_cast<long>(without_target.size()), names}));
    }
    if (outside >= 0) t.notes.push_back(i18n::tr("division.note.outside"));
    return t;
}

}  // namespace

static bool same_division(const DivisionSpec& a, const DivisionSpec& b) {
    if (a.crosswalk != b.crosswalk) return false;
    return a.crosswalk >= 0 ? a.level == b.level : a.attribute == b.attribute;
}

std::optional<Text> repeated_division(const std::vector<DivisionSpec>& before, const DivisionSpec& d) {
    for (const DivisionSpec& e : before)
        if (same_division(e, d)) return i18n::tr("division.twice", {i18n::quoted(d.text), i18n::quoted(e.text)});
    return std::nullopt;
}

std::vector<DivisionSpec> scenario_divisions(const Scenario& s) {
    std::vector<DivisionSpec> out;
    for (std::size_t i = 0; i < s.report_by.size(); ++i) {
        const SourceLocation where = i < s.report_by_where.size() ? s.report_by_where[i] : s.where;
        auto division = resolve_division(s, s.report_by[i]);
        if (const Text* problem = std::get_if<Text>(&division)) throw ScenarioError(where, "reports.by", *problem);
        if (auto twice = repeated_division(out, std::get<DivisionSpec>(division))) throw ScenarioError(where, "reports.by", *twice);
        out.push_back(std::get<DivisionSpec>(std::move(division)));
    }
    return out;
}

DivisionTables build_division_tables(const Results& r, const DivisionSpec& spec) {
    return build_tables(report_detail::scenario_of(r), totals_by_unit(r), r.coverage, spec);
}

}  // namespace subsim

// ---------------------------------------------------------------- report files

namespace subsim::report_detail {

namespace {

constexpr std::string_view kAllYearsText = "all";

std::string csv_name(std::string_view text) { return csv_field(spreadsheet_text(text)); }

std::string figure_value(const CarriedFigure& f) {
    if (f.rate) return f.rate->to_percent_string();
    if (f.headcount) return persons_text(f.persons);
    return std::to_string(f.persons);
}

std::string figure_id(const Scenario& s, const CarriedFigure& f) {
    std::string id = s.units().at(static_cast<std::size_t>(f.unit)).code;
    if (f.group >= 0) id += ":" + s.groups().at(static_cast<std::size_t>(f.group)).id;
    if (f.group_b >= 0) id += ":" + s.groups().at(static_cast<std::size_t>(f.group_b)).id;
    return id;
}

}  // namespace

void DivisionInput::add(const Results& part, int year, bool units) {
    carried_.insert(carried_.end(), part.carried.begin(), part.carried.end());
    if (!units) return;
    for (const UnitPayerTotal& t : totals_by_unit(part))
        if (t.year == year) unit_totals_.push_back(t);
}

std::vector<DivisionTables> DivisionInput::build(const std::vector<CoverageRow>& coverage, const ReportOptions& o) const {
    std::vector<DivisionTables> out;
    for (const DivisionSpec& spec : o.by) out.push_back(build_tables(s_, unit_totals_, coverage, spec));
    return out;
}

std::vector<DivisionTables> build_divisions(const Results& r, const ReportOptions& o) {
    std::vector<DivisionTables> out;
    for (const DivisionSpec& spec : o.by) out.push_back(build_division_tables(r, spec));
    return out;
}

std::string level_label(CrosswalkLevel level, Lang lang) {
    switch (level) {
        case CrosswalkLevel::new_unit: return i18n::tr_in(lang, "division.level.new");
        case CrosswalkLevel::old_commune: return i18n::tr_in(lang, "division.level.old_commune");
        case CrosswalkLevel::old_district: return i18n::tr_in(lang, "division.level.old_district");
        case CrosswalkLevel::old_province: return i18n::tr_in(lang, "division.level.old_province");
    }
    return std::string(to_string(level));
}

std::string weights_label(CrosswalkWeights weights, Lang lang) {
    switch (weights) {
        case CrosswalkWeights::given: return i18n::tr_in(lang, "crosswalk.weights.given");
        case CrosswalkWeights::population: return i18n::tr_in(lang, "crosswalk.weights.population");
        case CrosswalkWeights::equal: return i18n::tr_in(lang, "crosswalk.weights.equal");
    }
    return std::string(to_string(weights));
}

std::string carried_kind_label(CarriedFigure::Kind kind, Lang lang) {
    switch (kind) {
        case CarriedFigure::Kind::target: return i18n::tr_in(lang, "carried.kind.target");
        case CarriedFigure::Kind::population: return i18n::tr_in(lang, "carried.kind.population");
        case CarriedFigure::Kind::cohort: return i18n::tr_in(lang, "carried.kind.cohort");
        case CarriedFigure::Kind::overlap: return i18n::tr_in(lang, "carried.kind.overlap");
        case CarriedFigure::Kind::inflow: return i18n::tr_in(lang, "carried.kind.inflow");
        case CarriedFigure::Kind::enrolment: return i18n::tr_in(lang, "carried.kind.enrolment");
    }
    return std::string(to_string(kind));
}

std::string division_label(const Scenario& s, const DivisionSpec& d, Lang lang) {
    if (d.crosswalk < 0) return d.attribute;
    const std::string level = level_label(d.level, lang);
    if (s.data->crosswalks.size() < 2) return level;
    return i18n::tr_in(lang, "division.level.of_crosswalk", {level, s.data->crosswalks.at(static_cast<std::size_t>(d.crosswalk)).id});
}

std::string division_budget_file(const DivisionTables& t) { return "budget_by_" + t.spec.stem + ".csv"; }
std::string division_coverage_file(const DivisionTables& t) { return "coverage_by_" + t.spec.stem + ".csv"; }

void write_division_budget_csv(std::ostream& out, const Results& r, const DivisionTables& t, Lang lang) {
    const Scenario& s = scenario_of(r);
    CsvWriter w(out);
    w.header({"year", "unit_code", "unit_name", "payer", "payer_label", "cost_vnd", "apportioned_vnd"});
    std::vector<std::string> codes, names;
    for (const auto& u : t.units) {
        codes.push_back(csv_name(u.code));
        names.push_back(csv_name(u.name));
    }
    const std::string total_label = csv_name(i18n::tr_in(lang, "report.total"));
    const auto row = [&](std::string_view year, int unit, int payer, Dong cost, Dong split) {
        w.text(year).escaped(codes[static_cast<std::size_t>(unit)]).escaped(names[static_cast<std::size_t>(unit)]);
        if (payer < 0) w.text("total").escaped(total_label);
        else w.escaped(csv_name(s.payers[static_cast<std::size_t>(payer)].id)).escaped(csv_name(payer_label(s, payer, lang)));
        w.integer(cost).integer(split);
        w.end_row();
    };
    // Whole period per unit and payer (payer -1: the unit's total).
    std::map<std::pair<int, int>, std::pair<Dong, Dong>> period;
    for (std::size_t i = 0; i < t.budget.size(); ++i) {
        const auto& b = t.budget[i];
        const std::string year = std::to_string(b.year);
        row(year, b.unit, b.payer, b.cost, b.apportioned);
        for (int p : {b.payer, -1}) {
            auto& [cost, split] = period[{b.unit, p}];
            cost = add_dong(cost, b.cost);
            split = add_dong(split, b.apportioned);
        }
        const bool last = i + 1 == t.budget.size() || t.budget[i + 1].year != b.year || t.budget[i + 1].unit != b.unit;
        if (!last) continue;
        Dong cost = 0, split = 0;
        for (std::size_t k = i + 1; k-- > 0 && t.budget[k].year == b.year && t.budget[k].unit == b.unit;) {
            cost = add_dong(cost, t.budget[k].cost);
            split = add_dong(split, t.budget[k].apportioned);
        }
        row(year, b.unit, -1, cost, split);
    }
    for (std::size_t u = 0; u < t.units.size(); ++u) {
        for (std::size_t p = 0; p < s.payers.size(); ++p)
            if (auto it = period.find({static_cast<int>(u), static_cast<int>(p)}); it != period.end())
                row(kAllYearsText, static_cast<int>(u), static_cast<int>(p), it->second.first, it->second.second);
        if (auto it = period.find({static_cast<int>(u), -1}); it != period.end())
            row(kAllYearsText, static_cast<int>(u), -1, it->second.first, it->second.second);
    }
    w.finish();
}

void write_division_coverage_csv(std::ostream& out, const DivisionTables& t) {
    CsvWriter w(out);
    w.header({"year", "unit_code", "unit_name", "population", "enrolled", "coverage_pct", "target_pct", "target_year",
              "gap_persons", "apportioned"});
    for (const auto& c : t.coverage) {
        const auto& u = t.units[static_cast<std::size_t>(c.unit)];
        w.integer(c.year).escaped(csv_name(u.code)).escaped(csv_name(u.name)).integer(c.population).persons(c.enrolled);
        if (c.population > 0) w.fixed(divide_half_up(c.enrolled, c.population), 2);
        else w.text("");
        if (c.target) w.fixed(percent_hundredths(*c.target), 2).integer(c.target_year);
        else w.text("").text("");
        w.integer(c.gap).text(c.apportioned ? "yes" : "no");
        w.end_row();
    }
    w.finish();
}

void write_carried_provenance(std::ostream& out, const Results& r, Lang lang) {
    const Scenario& s = scenario_of(r);
    for (const CarriedFigure& f : r.carried) {
        const ScenarioCrosswalk& x = s.data->crosswalks.at(static_cast<std::size_t>(f.crosswalk));
        const Unit& u = s.units().at(static_cast<std::size_t>(f.unit));
        const std::string from = f.at_change ? x.change.to_string() : Date{f.year, 1, 1}.to_string();
        const std::string label = i18n::tr_in(lang, f.at_change ? "carried.label.change" : "carried.label.table",
                                              {u.name, std::string(to_string(f.level)), i18n::quoted(x.id), f.parts});
        const Confidence confidence = f.assumed ? Confidence::assumption : x.provenance.confidence;
        out << csv_row({"carried_" + std::string(to_string(f.kind)), spreadsheet_text(figure_id(s, f)), spreadsheet_text(label),
                        from, figure_value(f), spreadsheet_text(x.provenance.reference), confidence_label(confidence, Lang::en)});
    }
}

void write_merger_json(std::ostream& out, const Results& r, const std::vector<DivisionTables>& divisions) {
    const Scenario& s = scenario_of(r);
    if (s.data->crosswalks.empty() && r.carried.empty() && divisions.empty()) return;
    out << "  \"crosswalks\": [";
    for (std::size_t i = 0; i < s.data->crosswalks.size(); ++i) {
        const ScenarioCrosswalk& x = s.data->crosswalks[i];
        std::string levels;
        for (CrosswalkLevel l : x.scenario_levels) levels += (levels.empty() ? "" : ", ") + json_string(to_string(l));
        out << (i ? ",\n    " : "\n    ") << "{\"id\": " << json_string(x.id) << ", \"file\": " << json_string(x.file)
            << ", \"change\": " << json_string(x.change.to_string()) << ", \"weights\": " << json_string(to_string(x.weights))
            << ", \"scenario_units\": [" << levels << "], \"equal_splits_assumed\": " << x.table->assumed_splits().size()
            << ", \"reference\": " << json_string(x.provenance.reference)
            << ", \"confidence\": " << json_string(to_string(x.provenance.confidence)) << "}";
    }
    out << (s.data->crosswalks.empty() ? "],\n" : "\n  ],\n");
    // Carried figures, counted per kind, crosswalk, level and source.
    std::map<std::tuple<std::string, int, std::string, bool>, std::tuple<long, long, std::int64_t>> groups;
    for (const CarriedFigure& f : r.carried) {
        auto& [count, assumed, persons] = groups[{std::string(to_string(f.kind)), f.crosswalk, std::string(to_string(f.level)), f.at_change}];
        ++count;
        assumed += f.assumed ? 1 : 0;
        if (!f.rate) persons += f.headcount ? f.persons : f.persons * kHeadcountScale;
    }
    out << "  \"carried\": [";
    bool first = true;
    for (const auto& [key, value] : groups) {
        const auto& [kind, x, level, at_change] = key;
        const auto& [count, assumed, persons] = value;
        out << (first ? "\n    " : ",\n    ") << "{\"kind\": " << json_string(kind) << ", \"crosswalk\": "
            << json_string(s.data->crosswalks.at(static_cast<std::size_t>(x)).id) << ", \"level\": " << json_string(level)
            << ", \"on_change_date\": " << (at_change ? "true" : "false") << ", \"figures\": " << count
            << ", \"assumed\": " << assumed;
        if (kind != "target" && kind != "enrolment") out << ", \"persons\": " << json_string(persons_text(persons));
        out << "}";
        first = false;
    }
    out << (first ? "],\n" : "\n  ],\n");
    out << "  \"divisions\": [";
    for (std::size_t i = 0; i < divisions.size(); ++i) {
        const DivisionTables& t = divisions[i];
        out << (i ? ",\n    " : "\n    ") << "{\"by\": " << json_string(t.spec.text) << ", \"files\": ["
            << json_string(division_budget_file(t)) << ", " << json_string(division_coverage_file(t))
            << "], \"assumed\": " << (t.assumed ? "true" : "false") << ", \"notes\": [";
        for (std::size_t k = 0; k < t.notes.size(); ++k) out << (k ? ", " : "") << json_string(t.notes[k].en);
        out << "]}";
    }
    out << (divisions.empty() ? "],\n" : "\n  ],\n");
}

void write_merger_summary(std::ostream& out, const Results& r, const ReportOptions& o,
                          const std::vector<DivisionTables>& divisions) {
    const Scenario& s = scenario_of(r);
    const Lang lang = o.lang;
    if (s.data->crosswalks.empty() && r.carried.empty() && divisions.empty()) return;
    const auto tr = [&](std::string_view key, std::initializer_list<i18n::Arg> args = {}) {
        return i18n::tr_in(lang, key, args);
    };
    out << "## " << tr("merger.summary.heading") << "\n\n";
    for (const ScenarioCrosswalk& x : s.data->crosswalks) {
        std::string levels;
        for (CrosswalkLevel l : x.scenario_levels) levels += (levels.empty() ? "" : ", ") + level_label(l, lang);
        out << "- " << markdown_cell(tr("merger.summary.crosswalk", {x.id, x.name.in(lang), date_text(x.change, lang),
                                                                     weights_label(x.weights, lang), levels,
                                                                     x.provenance.reference,
                                                                     std::string(confidence_label(x.provenance.confidence, lang))}))
            << "\n";
        for (const Warning& w : x.table->assumption_warnings()) out << "  - " << markdown_cell(w.message.in(lang)) << "\n";
    }
    // Carried figures, counted.
    std::map<std::tuple<std::string, int, bool>, std::pair<long, long>> counts;
    std::map<std::string, CarriedFigure::Kind> kinds;  // the id (provenance.csv's carried_<id>) → the kind
    for (const CarriedFigure& f : r.carried) {
        kinds.emplace(std::string(to_string(f.kind)), f.kind);
        auto& [n, assumed] = counts[{std::string(to_string(f.kind)), f.crosswalk, f.at_change}];
        ++n;
        assumed += f.assumed ? 1 : 0;
    }
    if (!counts.empty()) {
        out << "\n" << tr("merger.summary.carried_intro") << "\n\n";
        for (const auto& [key, value] : counts) {
            const auto& [kind, x, at_change] = key;
            out << "- " << markdown_cell(tr(at_change ? "merger.summary.carried_change" : "merger.summary.carried_table",
                                            {carried_kind_label(kinds.at(kind), lang), static_cast<long>(value.first), s.data->crosswalks.at(static_cast<std::size_t>(x)).id,
                                             static_cast<long>(value.second)}))
                << "\n";
        }
    }
    for (const DivisionTables& t : divisions) {
        out << "\n### " << markdown_cell(tr("merger.summary.division", {division_label(s, t.spec, lang)})) << "\n\n";
        out << markdown_cell(tr("merger.summary.files", {division_budget_file(t), division_coverage_file(t)})) << "\n\n";
        for (const Text& note : t.notes) out << "- " << markdown_cell(note.in(lang)) << "\n";
        // Coverage of the last simulated year.
        std::vector<const DivisionTables::Coverage*> rows;
        for (const auto& c : t.coverage)
            if (c.year == s.last_year) rows.push_back(&c);
        if (rows.empty()) continue;
        out << "\n| " << tr("report.col.year") << " | " << tr("division.col.unit") << " | " << tr("report.col.coverage") << " | "
            << tr("report.col.target") << " | " << tr("report.col.gap") << " |\n|---|---|---:|---:|---:|\n";
        for (const auto* c : rows) {
            const auto& u = t.units[static_cast<std::size_t>(c->unit)];
            std::string coverage = c->population > 0 ? hundredths_text(static_cast<std::int64_t>(divide_half_up(c->enrolled, c->population)), lang) + "%" : "—";
            std::string target = "—";
            if (c->target) {
                target = hundredths_text(static_cast<std::int64_t>(percent_hundredths(*c->target)), lang) + "%";
                if (c->target_year != c->year) target += " (" + std::to_string(c->target_year) + ")";
            }
            out << "| " << c->year << " | " << markdown_cell(u.name.empty() ? u.code : u.name) << " | " << coverage << " | " << target
                << " | " << grouped_text(c->gap, lang) << " |\n";
        }
    }
    out << "\n";
}

}  // namespace subsim::report_detail
