#include "subsim/model/validate.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <type_traits>
#include <tuple>
#include <vector>

#include "subsim/core/unicode.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim {
namespace {

std::string unit_label(const Unit& u) { return u.code + " (" + u.name + ")"; }

std::string join_names(const std::vector<std::string>& names) {
    constexpr std::size_t kShown = 12;
    std::string out;
    for (std::size_t i = 0; i < std::min(kShown, names.size()); ++i) out += (i ? ", " : "") + names[i];
    if (names.size() > kShown) out += ", …";
    return out;
}

/// " (did you mean "x"?)" for the nearest of `names`, or empty.
Text nearest(const std::string& name, const std::vector<std::string>& names) {
    const std::string* best = nullptr;
    std::size_t best_distance = 0;
    for (const std::string& n : names) {
        const std::size_t d = edit_distance(name, n);
        if (best == nullptr || d < best_distance) {
            best = &n;
            best_distance = d;
        }
    }
    if (best == nullptr) return {};
    if (best_distance > 2 && best_distance * 2 > std::max(name.size(), best->size())) return {};
    return i18n::tr("hint.did_you_mean", {i18n::quoted(*best)});
}

void check_payers(const Scenario& s) {
    bool has_commune = false;
    for (const auto& u : s.units()) has_commune = has_commune || u.level == UnitLevel::commune;
    for (std::size_t r = 0; r < s.rules.size(); ++r) {
        const Payer& p = s.payers[static_cast<std::size_t>(s.rules[r].payer)];
        if (p.level == PayerLevel::commune && !has_commune)
            throw ScenarioError(s.rules[r].where, "rules[" + std::to_string(r) + "].payer",
                                i18n::tr("payer.commune_without_communes", {i18n::quoted(p.id)}));
    }
    for (std::size_t p = 0; p < s.payers.size(); ++p) {
        if (!s.payers[p].declared) continue;
        bool used = false;
        for (const auto& r : s.rules) used = used || r.payer == static_cast<int>(p);
        if (!used)
        {
            // Messages count declared payers only, as the YAML does (built-ins are implicit).
            std::size_t declared_index = 0;
            for (std::size_t q = 0; q < p; ++q) declared_index += s.payers[q].declared ? 1 : 0;
            throw ScenarioError(s.payers[p].where, "payers[" + std::to_string(declared_index) + "]",
                                i18n::tr("payer.unused", {i18n::quoted(s.payers[p].id)}));
        }
    }
}


/// Every name in a rule's `when` must be an attribute some unit has (a typo matches
/// nothing: an error, with the nearest name); a value no unit has is an error too, unless
/// it is true/false (a rule for poor communes when none is poor: a warning).
void check_conditions(const Scenario& s, std::vector<Warning>& warnings, std::set<int>& explained) {
    std::map<std::string, std::set<std::string>> values;  // attribute → values units hold
    for (const Unit& u : s.units())
        for (const auto& [name, value] : u.attributes) values[name].insert(value);
    std::set<std::string> said;  // attributes whose missing values were warned about
    for (std::size_t r = 0; r < s.rules.size(); ++r) {
        const Rule& rule = s.rules[r];
        for (std::size_t i = 0; i < rule.condition.equals.size(); ++i) {
            const auto& [name, value] = rule.condition.equals[i];
            const SourceLocation where = i < rule.condition.where.size() ? rule.condition.where[i] : rule.where;
            const std::string key = "rules[" + std::to_string(r) + "].when." + name;
            const auto held = values.find(name);
            // Lowest-level units without a value (a blank cell) where others have one: they
            // count as "false", which a forgotten cell should not decide in silence.
            // (An attribute no lowest-level unit has, e.g. on the province only, is meant so.)
            if (held != values.end() && said.insert(name).second) {
                int lacking = 0;
                bool some_have = false;
                const Unit* first = nullptr;
                for (std::size_t u = 0; u < s.units().size(); ++u) {
                    if (!s.is_leaf(static_cast<int>(u))) continue;
                    if (s.units()[u].attribute(name) != nullptr) {
                        some_have = true;
                    } else {
                        if (first == nullptr) first = &s.units()[u];
                        ++lacking;
                    }
                }
                if (first != nullptr && some_have)
                    warnings.push_back({first->where, key, i18n::tr("condition.value_missing", {name, lacking, unit_label(*first), i18n::quoted(rule.id)})});
            }
            if (held == values.end()) {
                std::vector<std::string> names;
                for (const auto& [n, v] : values) names.push_back(n);
                throw ScenarioError(where, key, i18n::tr("condition.no_such_attribute",
                                                         {i18n::quoted(name), nearest(name, names), join_names(names)}));
            }
            // A unit without the attribute counts as "false".
            bool some_lack = false;
            for (const Unit& u : s.units()) some_lack = some_lack || u.attribute(name) == nullptr;
            if (held->second.count(value) || (value == "false" && some_lack)) continue;
            std::vector<std::string> seen(held->second.begin(), held->second.end());
            if (some_lack && !held->second.count("false")) seen.push_back("false");
            if (value == "true" || value == "false") {
                warnings.push_back({where, key, i18n::tr("condition.value_unused", {i18n::quoted(rule.id), name, value})});
                explained.insert(static_cast<int>(r));
                continue;
            }
            throw ScenarioError(where, key, i18n::tr("condition.no_such_value",
                                                     {i18n::quoted(value), i18n::quoted(name), join_names(seen), nearest(value, seen)}));
        }
    }
}

/// A commune-budget rule pays from each commune's own budget: it may only apply to
/// communes.
void check_commune_payers(const Scenario& s) {
    std::vector<char> has_child(s.units().size(), 0);
    for (const Unit& u : s.units())
        if (u.parent >= 0) has_child[static_cast<std::size_t>(u.parent)] = 1;
    for (std::size_t r = 0; r < s.rules.size(); ++r) {
        const Rule& rule = s.rules[r];
        if (s.payers[static_cast<std::size_t>(rule.payer)].level != PayerLevel::commune) continue;
        for (std::size_t u = 0; u < s.units().size(); ++u) {
            const Unit& unit = s.units()[u];
            if (has_child[u] || unit.level == UnitLevel::commune || !rule.condition.matches(unit)) continue;
            throw ScenarioError(rule.where, "rules[" + std::to_string(r) + "].payer",
                                i18n::tr("payer.commune_rule_on_non_commune",
                                         {i18n::quoted(rule.id), unit_label(unit), std::string(to_string(unit.level))}));
        }
    }
}

/// Rules that apply to no unit, or are never in force in the simulated years, cost
/// nothing: say so.
void check_rules_apply(const Scenario& s, std::vector<Warning>& warnings, const std::set<int>& explained) {
    for (std::size_t r = 0; r < s.rules.size(); ++r) {
        const Rule& rule = s.rules[r];
        const std::string key = "rules[" + std::to_string(r) + "]";
        bool any_unit = false;
        for (std::size_t u = 0; u < s.units().size() && !any_unit; ++u)
            any_unit = s.is_leaf(static_cast<int>(u)) && rule.condition.matches(s.units()[u]);
        if (!any_unit && !explained.count(static_cast<int>(r)))
            warnings.push_back({rule.where, key, i18n::tr("rule.applies_to_no_unit", {i18n::quoted(rule.id)})});
        // In force on the first day of some simulated month?
        const YearMonth first_month = rule.from.day == 1 ? YearMonth{rule.from.year, rule.from.month}
                                                         : YearMonth::from_index(YearMonth{rule.from.year, rule.from.month}.index() + 1);
        const YearMonth last_month = rule.to ? YearMonth{rule.to->year, rule.to->month} : YearMonth{s.last_year, 12};
        const bool never = first_month > last_month || last_month < YearMonth{s.first_year, 1} ||
                           first_month > YearMonth{s.last_year, 12};
        if (never) {
            warnings.push_back({rule.where, key, i18n::tr("rule.never_in_force", {i18n::quoted(rule.id), rule.from.to_string(),
                                                                                   rule.to ? rule.to->to_string() : std::string("…"),
                                                                                   s.first_year, s.last_year})});
            continue;
        }
        if (rule.from.day != 1 || (rule.to && Date{rule.to->year, rule.to->month, Date::days_in_month(rule.to->year, rule.to->month)} != *rule.to)) {
            warnings.push_back({rule.where, key, i18n::tr("rule.mid_month", {i18n::quoted(rule.id), rule.from.to_string(),
                                                                              rule.to ? rule.to->to_string() : std::string("…"),
                                                                              first_month.to_string(), last_month.to_string()})});
        }
    }
    // Dated parameters take effect in the first month whose first day they cover.
    const auto check_timeline = [&](const auto& timeline, const char* key) {
        for (const auto& e : timeline.entries)
            if (e.from.day != 1) {
                const YearMonth from = YearMonth::from_index(YearMonth{e.from.year, e.from.month}.index() + 1);
                warnings.push_back({e.where, key, i18n::tr("parameters.mid_month", {e.from.to_string(), from.to_string()})});
            }
    };
    check_timeline(s.parameters.base_salary, "parameters.base_salary");
    check_timeline(s.parameters.contribution_rate, "parameters.contribution_rate");
}

/// The simulated years need data: cohorts and population from the first year or before.
/// Per unit: 1 if a change of units within the scenario creates it (it takes the old
/// units' figures then, so it has no rows of its own before).
std::vector<char> carried_units(const Scenario& s) {
    std::vector<char> carried(s.units().size(), 0);
    for (const ScenarioCrosswalk& x : s.data->crosswalks)
        for (int u : x.carry_new)
            if (u >= 0) carried[static_cast<std::size_t>(u)] = 1;
    return carried;
}

void check_data_years(const Scenario& s) {
    const auto earliest = [](const auto& rows) {
        const typename std::decay_t<decltype(rows)>::value_type* first = nullptr;
        for (const auto& r : rows)
            if (first == nullptr || r.year < first->year) first = &r;
        return first;
    };
    if (const CohortRow* c = earliest(s.cohorts()); c != nullptr && c->year > s.first_year)
        throw ScenarioError(s.where_of(c->where, "year"), "year", i18n::tr("cohorts.start_late", {c->year, s.first_year}));
    if (const PopulationRow* p = earliest(s.population()); p != nullptr && p->year > s.first_year)
        throw ScenarioError(s.where_of(p->where, "year"), "year", i18n::tr("population.start_late", {p->year, s.first_year}));
    // The same for each unit that exists in the first year (a unit a change of units
    // creates takes the old units' figures): before its first population row its
    // population would be 0, and its coverage unchecked.
    const std::vector<char> carried = carried_units(s);
    std::vector<const PopulationRow*> first_row(s.units().size(), nullptr);
    for (const PopulationRow& p : s.population()) {
        const PopulationRow*& f = first_row[static_cast<std::size_t>(p.unit)];
        if (f == nullptr || p.year < f->year) f = &p;
    }
    for (std::size_t u = 0; u < s.units().size(); ++u) {
        const PopulationRow* p = first_row[u];
        if (p == nullptr || p->year <= s.first_year || carried[u] || s.units()[u].months_valid(s.first_year) == 0) continue;
        const Unit& unit = s.units()[u];
        throw ScenarioError(s.where_of(p->where, "year"), "year",
                            i18n::tr("population.unit_start_late", {unit.code + " (" + unit.name + ")", p->year, s.first_year}));
    }
}

/// Data rows no simulated year uses: population, cohort and overlap rows for a year after
/// the last (figures carry forward, never back), inflows that arrive after the last year
/// or have left before the first. One warning per table, at its first such row.
void warn_unused_rows(const Scenario& s, std::vector<Warning>& warnings) {
    const auto warn = [&](const auto& rows, const char* column, auto unused) {
        const typename std::decay_t<decltype(rows)>::value_type* first = nullptr;
        long count = 0;
        for (const auto& r : rows) {
            if (!unused(r)) continue;
            if (first == nullptr) first = &r;
            ++count;
        }
        if (first == nullptr) return;
        const SourceLocation where = s.where_of(first->where, column);
        std::string file = where.file;
        if (const std::size_t slash = file.find_last_of('/'); slash != std::string::npos) file = file.substr(slash + 1);
        warnings.push_back({where, column, i18n::tr("data.rows_unused", {count, file, s.first_year, s.last_year})});
    };
    // A variant shares its base's tables: rows for the base's years are not mistyped
    // because the variant simulates fewer of them.
    int first_year = s.first_year, last_year = s.last_year;
    for (const Scenario* b = s.base.get(); b != nullptr; b = b->base.get()) {
        first_year = std::min(first_year, b->first_year);
        last_year = std::max(last_year, b->last_year);
    }
    const auto after = [&](const auto& r) { return r.year > last_year; };
    warn(s.population(), "year", after);
    warn(s.cohorts(), "year", after);
    warn(s.overlaps(), "year", after);
    const int first_month = YearMonth{first_year, 1}.index(), last_month = YearMonth{last_year, 12}.index();
    warn(s.inflows(), "month", [&](const Inflow& i) {
        const int months = s.groups()[static_cast<std::size_t>(i.group)].duration_months;
        return i.month.index() > last_month || i.month.index() + months <= first_month;
    });
}

/// Cohorts of a unit and group that start after the first year the unit exists: the
/// years before count nobody. Said once, with the first such (unit, group) and a count.
void warn_late_cohorts(const Scenario& s, std::vector<Warning>& warnings) {
    const std::vector<char> carried = carried_units(s);
    const std::size_t groups = s.groups().size();
    std::vector<const CohortRow*> first_row(s.units().size() * groups, nullptr);  // [unit][group]
    for (const CohortRow& c : s.cohorts()) {
        const CohortRow*& f = first_row[static_cast<std::size_t>(c.unit) * groups + static_cast<std::size_t>(c.group)];
        if (f == nullptr || c.year < f->year) f = &c;
    }
    const CohortRow* example = nullptr;
    long count = 0;
    for (std::size_t k = 0; k < first_row.size(); ++k) {
        const CohortRow* c = first_row[k];
        if (c == nullptr || c->year <= s.first_year) continue;
        const std::size_t u = k / groups;
        if (carried[u] || s.units()[u].months_valid(s.first_year) == 0) continue;
        if (example == nullptr || c->where.line < example->where.line) example = c;
        ++count;
    }
    if (example == nullptr) return;
    const Unit& unit = s.units()[static_cast<std::size_t>(example->unit)];
    warnings.push_back({s.where_of(example->where, "year"), "year",
                        i18n::tr("cohorts.unit_start_late", {s.groups()[static_cast<std::size_t>(example->group)].id,
                                                             unit.code + " (" + unit.name + ")", example->year, s.first_year, count})});
}

/// Population: every lowest-level unit needs a row; a parent's own figure should not be
/// below the sum of its children's.
void check_population(const Scenario& s, std::vector<Warning>& warnings) {
    const std::size_t units = s.units().size();
    // New units of a change within the scenario take the old units' population then.
    std::vector<char> has_row = carried_units(s), has_child(units, 0);
    for (const PopulationRow& p : s.population()) has_row[static_cast<std::size_t>(p.unit)] = 1;
    for (const Unit& u : s.units())
        if (u.parent >= 0) has_child[static_cast<std::size_t>(u.parent)] = 1;
    std::vector<std::string> missing;
    for (std::size_t u = 0; u < units; ++u)
        if (!has_child[u] && !has_row[u]) missing.push_back(s.units()[u].code);
    if (!missing.empty()) {
        constexpr std::size_t kShown = 5;
        std::string list;
        for (std::size_t i = 0; i < std::min(kShown, missing.size()); ++i) list += (i ? ", " : "") + missing[i];
        if (missing.size() > kShown) list += ", …";
        // At the population table (its header line), not at the top of the scenario.
        SourceLocation where = s.where;
        if (!s.population().empty())
            if (const SourceLocation table = s.where_of(s.population().front().where, ""); !table.file.empty())
                where = {table.file, 1, 0};
        warnings.push_back({where, "population", i18n::tr("population.leaf_missing", {static_cast<long>(missing.size()), list})});
    }
    // Given parent rows against the sum of their children's given rows, year by year.
    std::map<std::pair<int, int>, std::int64_t> children_sum;  // (year, parent)
    for (const PopulationRow& p : s.population()) {
        const int parent = s.units()[static_cast<std::size_t>(p.unit)].parent;
        if (parent < 0) continue;
        children_sum[{p.year, parent}] += p.persons;
    }
    // The parents' own rows (a handful: not a map of every row).
    std::map<std::pair<int, int>, std::pair<std::int64_t, const PopulationRow*>> given;  // (year, parent)
    for (const PopulationRow& p : s.population())
        if (children_sum.count({p.year, p.unit}) != 0) given[{p.year, p.unit}] = {p.persons, &p};
    for (const auto& [key, sum] : children_sum) {
        const auto own = given.find(key);
        if (own == given.end() || own->second.first >= sum) continue;
        const Unit& u = s.units()[static_cast<std::size_t>(key.second)];
        warnings.push_back({s.where_of(own->second.second->where, "population"), "population",
                            i18n::tr("population.parent_below_children",
                                     {key.first, unit_label(u), i18n::grouped(own->second.first), i18n::grouped(sum)})});
    }
}

/// Target rows for years the scenario does not simulate are never used.
void check_target_years(const Scenario& s, std::vector<Warning>& warnings) {
    const TargetRow* first = nullptr;
    std::size_t count = 0;
    for (const TargetRow& t : s.targets)
        if (t.year < s.first_year || t.year > s.last_year) {
            if (first == nullptr) first = &t;
            ++count;
        }
    if (first != nullptr)
        warnings.push_back({s.where_of(first->where, "year"), "year",
                            i18n::tr("targets.outside_years", {static_cast<long>(count), s.first_year, s.last_year})});
}

/// The cohort row for each (year, unit, group), found through a dense (unit, group)
/// index: a pair usually has one row (its base year), so a lookup walks a list of one.
class CohortIndex {
public:
    explicit CohortIndex(const Scenario& s)
        : s_(s), groups_(s.groups().size()), head_(s.units().size() * s.groups().size(), -1), next_(s.cohorts().size(), -1) {
        for (std::size_t i = 0; i < s.cohorts().size(); ++i) {  // the later row first, as a map would keep it
            int& head = head_[slot(s.cohorts()[i].unit, s.cohorts()[i].group)];
            next_[i] = head;
            head = static_cast<int>(i);
        }
    }
    /// Index into s.cohorts(), or -1.
    int find(int year, int unit, int group) const {
        for (int i = head_[slot(unit, group)]; i >= 0; i = next_[static_cast<std::size_t>(i)])
            if (s_.cohorts()[static_cast<std::size_t>(i)].year == year) return i;
        return -1;
    }

private:
    std::size_t slot(int unit, int group) const {
        return static_cast<std::size_t>(unit) * groups_ + static_cast<std::size_t>(group);
    }
    const Scenario& s_;
    std::size_t groups_;
    std::vector<int> head_;  ///< per (unit, group): the latest row, or -1
    std::vector<int> next_;  ///< per row: the previous row of its pair, or -1
};

/// (Rows on units that have sub-units are refused by the loader, at the cell.)
/// A take-up curve sets its group's enrolment: fixed shares or ramps beside it would be ignored.
void check_takeup(const Scenario& s) {
    for (const TakeupEntry& t : s.takeup) {
        const std::string& id = s.groups()[static_cast<std::size_t>(t.group)].id;
        for (std::size_t i = 0; i < s.enrolment.size(); ++i)
            if (s.enrolment[i].group == t.group)
                throw ScenarioError(s.enrolment[i].where, "enrolment.rates[" + std::to_string(i) + "].group",
                                    i18n::tr("takeup.with_rates", {i18n::quoted(id)}));
        for (std::size_t i = 0; i < s.ramps.size(); ++i)
            if (s.ramps[i].group == t.group)
                throw ScenarioError(s.ramps[i].where, "enrolment.ramps[" + std::to_string(i) + "].group",
                                    i18n::tr("takeup.with_rates", {i18n::quoted(id)}));
        if (s.groups()[static_cast<std::size_t>(t.group)].duration_months > 0)
            throw ScenarioError(t.where, "enrolment.takeup.group", i18n::tr("takeup.time_limited", {i18n::quoted(id)}));
    }
}

void check_cohorts(const Scenario& s) {
    for (const auto& c : s.cohorts())
        if (s.groups()[static_cast<std::size_t>(c.group)].duration_months > 0)
            throw ScenarioError(s.where_of(c.where, "group"), "group",
                                i18n::tr("group.time_limited_cohort", {i18n::quoted(s.groups()[static_cast<std::size_t>(c.group)].id)}));
    for (const auto& c : s.cohorts())
        if (s.groups()[static_cast<std::size_t>(c.group)].by_age())
            throw ScenarioError(s.where_of(c.where, "group"), "group",
                                i18n::tr("group.age_group_cohort", {i18n::quoted(s.groups()[static_cast<std::size_t>(c.group)].id)}));
    for (const auto& f : s.inflows()) {
        if (s.groups()[static_cast<std::size_t>(f.group)].duration_months <= 0)
            throw ScenarioError(s.where_of(f.where, "group"), "group",
                                i18n::tr("group.inflow_not_time_limited", {i18n::quoted(s.groups()[static_cast<std::size_t>(f.group)].id)}));
    }
    // Overlaps: within both groups, and all overlaps of a group together within it.
    const CohortIndex cohorts(s);
    std::vector<std::int64_t> overlap_sum(s.cohorts().size(), 0);  ///< per cohort row
    for (const auto& o : s.overlaps()) {
        if (o.group_a == o.group_b)
            throw ScenarioError(s.where_of(o.where, "group_b"), "group_b", i18n::tr("overlap.same_group", {i18n::quoted(s.groups()[static_cast<std::size_t>(o.group_b)].id)}));
        for (int g : {o.group_a, o.group_b}) {
            const char* const column = g == o.group_a ? "group_a" : "group_b";
            if (s.groups()[static_cast<std::size_t>(g)].duration_months > 0)
                throw ScenarioError(s.where_of(o.where, column), column, i18n::tr("overlap.time_limited"));
            const int row = cohorts.find(o.year, o.unit, g);
            if (row < 0) continue;  // no row that year: checked against the projection when costed
            const std::int64_t size = s.cohorts()[static_cast<std::size_t>(row)].persons;
            std::int64_t& sum = overlap_sum[static_cast<std::size_t>(row)];
            sum += o.persons;
            if (sum > size)
                throw ScenarioError(s.where_of(o.where, "persons"), "persons",
                                    i18n::tr("overlap.larger_than_group", {i18n::grouped(sum),
                                             i18n::quoted(s.groups()[static_cast<std::size_t>(g)].id), i18n::grouped(size),
                                             unit_label(s.units()[static_cast<std::size_t>(o.unit)]), o.year}));
        }
    }
}

/// Children's population-weighted targets against the parent's own target.
std::vector<Warning> check_targets(const Scenario& s) {
    std::vector<Warning> out;
    std::vector<std::vector<int>> children(s.units().size());
    for (std::size_t u = 0; u < s.units().size(); ++u)
        if (s.units()[u].parent >= 0) children[static_cast<std::size_t>(s.units()[u].parent)].push_back(static_cast<int>(u));
    // Only areas with sub-units and a target of their own are checked.
    std::vector<const TargetRow*> parent_targets;
    for (const auto& t : s.targets)
        if (!children[static_cast<std::size_t>(t.unit)].empty()) parent_targets.push_back(&t);
    if (parent_targets.empty()) return out;
    // Targets and population rows by unit (the loader refuses a second row for a year).
    std::vector<std::vector<const TargetRow*>> targets_of(s.units().size());
    for (const auto& t : s.targets) targets_of[static_cast<std::size_t>(t.unit)].push_back(&t);
    const auto target = [&](int unit, int year) -> const TargetRow* {
        for (const TargetRow* t : targets_of[static_cast<std::size_t>(unit)])
            if (t->year == year) return t;
        return nullptr;
    };
    std::vector<std::vector<const PopulationRow*>> population_of(s.units().size());
    for (const auto& p : s.population()) population_of[static_cast<std::size_t>(p.unit)].push_back(&p);
    // Population in a year as given or carried forward from the latest earlier year
    // (same rule as coverage); -1 if none.
    const auto population = [&](int unit, int year) -> std::int64_t {
        const PopulationRow* best = nullptr;
        for (const PopulationRow* p : population_of[static_cast<std::size_t>(unit)])
            if (p->year <= year && (best == nullptr || p->year >= best->year)) best = p;
        return best == nullptr ? -1 : best->persons;
    };
    std::sort(parent_targets.begin(), parent_targets.end(), [](const TargetRow* a, const TargetRow* b) {
        return std::tie(a->year, a->unit) < std::tie(b->year, b->unit);
    });
    for (const TargetRow* parent_target : parent_targets) {
        const int year = parent_target->year, parent = parent_target->unit;
        // The sub-units of that year: those valid on 1 January (a unit ended or begun
        // within the year counts in the year it starts in).
        std::vector<int> kids;
        for (int u : children[static_cast<std::size_t>(parent)])
            if (s.units()[static_cast<std::size_t>(u)].valid_on(Date{year, 1, 1})) kids.push_back(u);
        if (kids.empty()) continue;
        __int128 weighted = 0;  // Σ population × target, targets at a common scale
        std::int64_t total = 0;
        bool complete = true;
        const int scale = Decimal::kMaxScale;
        for (int u : kids) {
            const TargetRow* t = target(u, year);
            const std::int64_t p = population(u, year);
            if (t == nullptr || p < 0) {
                complete = false;
                break;
            }
            __int128 units = t->target.units;
            for (int i = t->target.scale; i < scale; ++i) units *= 10;
            weighted += units * p;
            total += p;
        }
        if (!complete || total == 0) continue;
        // implied = weighted / total, as a Decimal at `scale` (rounded half-up).
        const Decimal implied{round_quotient(weighted, total, Rounding::half_up), scale};
        const std::string implied_text = implied.to_percent_fixed(2);
        const std::string own_text = parent_target->target.to_percent_fixed(2);
        if (implied_text == own_text) continue;
        const Unit& pu = s.units()[static_cast<std::size_t>(parent)];
        out.push_back({s.where_of(parent_target->where, "target_pct"), "target_pct",
                       i18n::tr("targets.children_disagree", {year, unit_label(pu), kids.size(),
                                i18n::percent(implied, 2), i18n::percent(parent_target->target, 2)})});
    }
    return out;
}

}  // namespace

/// Growth rates that change no figure: for a group whose persons do not come from
/// cohorts.csv (defined by age, or by dated inflows), never in force in the simulated
/// years, or where cohorts.csv gives every year from the rate's first year on for every
/// unit it has the group in (a given year is taken as given, not grown). Scenarios whose
/// units change (a crosswalk carries persons to new units, which then grow) are left out.
void warn_unused_growth(const Scenario& s, std::vector<Warning>& warnings) {
    for (const ScenarioCrosswalk& x : s.data->crosswalks)
        if (x.carry) return;
    if (s.growth.empty()) return;
    const std::size_t groups = s.groups().size();
    const int years = s.year_count();
    std::vector<int> units_of(groups, 0);  // units with any row of the group
    std::vector<char> seen(s.units().size() * groups, 0);
    std::vector<std::vector<int>> rows_in(groups, std::vector<int>(static_cast<std::size_t>(years), 0));
    for (const CohortRow& row : s.cohorts()) {
        const auto g = static_cast<std::size_t>(row.group);
        char& had = seen[static_cast<std::size_t>(row.unit) * groups + g];
        if (!had) ++units_of[g];
        had = 1;
        if (row.year >= s.first_year && row.year <= s.last_year) ++rows_in[g][static_cast<std::size_t>(row.year - s.first_year)];
    }
    for (std::size_t i = 0; i < s.growth.size(); ++i) {
        const GrowthRate& rate = s.growth[i];
        const Group& group = s.groups()[static_cast<std::size_t>(rate.group)];
        const std::string key = "cohorts.growth[" + std::to_string(i) + "]";
        if (group.by_age() || group.duration_months > 0) {
            warnings.push_back({rate.where, key,
                                i18n::tr(group.by_age() ? "growth.group_by_age" : "growth.group_by_inflows", {i18n::quoted(group.id)})});
            continue;
        }
        // A rate from `from` grows the years whose 1 January is on or after it.
        const int first = (rate.from.month == 1 && rate.from.day == 1) ? rate.from.year : rate.from.year + 1;
        const int from_year = std::max(first, s.first_year);
        bool grows = false;
        for (int y = from_year; y <= s.last_year && !grows; ++y)
            grows = rows_in[static_cast<std::size_t>(rate.group)][static_cast<std::size_t>(y - s.first_year)] <
                    units_of[static_cast<std::size_t>(rate.group)];
        if (grows) continue;
        if (from_year > s.last_year)
            warnings.push_back({rate.where, key, i18n::tr("growth.never_in_force", {i18n::quoted(group.id), rate.from.to_string(),
                                                                                     s.first_year, s.last_year})});
        else
            warnings.push_back({rate.where, key, i18n::tr("growth.every_year_given", {i18n::quoted(group.id), rate.from.to_string(),
                                                                                       from_year, s.last_year})});
    }
}

std::vector<Warning> validate(const Scenario& s) {
    try {
        std::vector<Warning> warnings;
        check_payers(s);
        std::set<int> explained;  // rules already warned about as matching no unit
        check_conditions(s, warnings, explained);
        check_commune_payers(s);
        check_data_years(s);
        check_cohorts(s);
        check_takeup(s);
        check_rules_apply(s, warnings, explained);
        warn_unused_growth(s, warnings);
        warn_late_cohorts(s, warnings);
        warn_unused_rows(s, warnings);
        warnings.insert(warnings.end(), s.load_warnings.begin(), s.load_warnings.end());
        for (const ScenarioCrosswalk& x : s.data->crosswalks) {
            std::vector<Warning> assumed = x.table->assumption_warnings();
            warnings.insert(warnings.end(), assumed.begin(), assumed.end());
        }
        check_population(s, warnings);
        check_target_years(s, warnings);
        std::vector<Warning> targets = check_targets(s);
        warnings.insert(warnings.end(), targets.begin(), targets.end());
        return warnings;
    } catch (const ArithmeticOverflow&) {
        throw ScenarioError(s.where, "parameters", i18n::tr("sim.overflow"));
    }
}

}  // namespace subsim
