// compile(): a validated scenario laid out for many runs, with every check that needs
// the month plan or the projection.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <map>

#include "compiled_impl.hpp"
#include "subsim/core/executor.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/population/cohort_component.hpp"

namespace subsim {

bool Package::add_share(const Decimal& share, const Decimal& contribution, Rounding rounding) {
    const auto sum = Decimal::add(shares, share);
    if (!sum) return false;
    shares = *sum;
    rounded = add_dong(rounded, round_product(contribution, share, rounding));
    return true;
}

bool Package::add(const Rule& rule, const Decimal& contribution, Rounding rounding) {
    if (rule.share) return add_share(*rule.share, contribution, rounding);
    amounts = add_dong(amounts, *rule.amount);
    rounded = add_dong(rounded, *rule.amount);
    return true;
}

Package::Excess Package::excess(const Decimal& contribution, Rounding rounding) const {
    if (shares > Decimal::one()) return Excess::shares;
    if (amounts > 0) {
        const auto total = Decimal::add(exact_product(contribution, shares), Decimal::whole(amounts));
        if (!total || *total > contribution) return Excess::amounts;
    }
    return rounded > round_to_dong(contribution, rounding) ? Excess::rounded : Excess::none;
}

CompiledScenario::CompiledScenario(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
CompiledScenario::CompiledScenario(CompiledScenario&&) noexcept = default;
CompiledScenario& CompiledScenario::operator=(CompiledScenario&&) noexcept = default;
CompiledScenario::~CompiledScenario() = default;

const Scenario& CompiledScenario::scenario() const { return impl_->scenario; }
const std::vector<Slot>& CompiledScenario::slots() const { return impl_->slots; }
const std::vector<Warning>& CompiledScenario::warnings() const { return impl_->warnings; }

int CompiledScenario::find_slot(std::string_view name) const {
    for (std::size_t i = 0; i < impl_->slots.size(); ++i)
        if (impl_->slots[i].name == name) return static_cast<int>(i);
    return -1;
}

SlotValues CompiledScenario::baseline() const {
    SlotValues v;
    v.reserve(impl_->slots.size());
    for (const Slot& s : impl_->slots) v.push_back(s.value);
    return v;
}

namespace {

using Impl = CompiledScenario::Impl;

std::string unit_label(const Unit& u) { return u.code + " (" + u.name + ")"; }

void lay_out_rules(const Scenario& s, Impl& c) {
    c.units = static_cast<int>(s.units().size());
    c.groups = static_cast<int>(s.groups().size());
    c.rules = static_cast<int>(s.rules.size());
    c.payers = static_cast<int>(s.payers.size());
    c.rounding = s.parameters.rounding;
    c.quarter_of_month = s.quarter_of_month;
    c.first_year = s.first_year;
    c.years = s.year_count();

    std::vector<char> has_child(static_cast<std::size_t>(c.units), 0);
    for (const Unit& u : s.units())
        if (u.parent >= 0) has_child[static_cast<std::size_t>(u.parent)] = 1;
    c.leaf_of_unit.assign(static_cast<std::size_t>(c.units), -1);
    for (int u = 0; u < c.units; ++u)
        if (!has_child[static_cast<std::size_t>(u)]) {
            c.leaf_of_unit[static_cast<std::size_t>(u)] = static_cast<int>(c.leaves.size());
            c.leaves.push_back(u);
        }

    c.rule_payer.resize(static_cast<std::size_t>(c.rules));
    c.rules_of_group.assign(static_cast<std::size_t>(c.groups), {});
    for (int r = 0; r < c.rules; ++r) {
        c.rule_payer[static_cast<std::size_t>(r)] = s.rules[static_cast<std::size_t>(r)].payer;
        for (int g : s.rules[static_cast<std::size_t>(r)].groups) c.rules_of_group[static_cast<std::size_t>(g)].push_back(r);
    }
    for (auto& v : c.rules_of_group) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
    }
    c.line_offset.assign(static_cast<std::size_t>(c.groups) + 1, 0);
    for (int g = 0; g < c.groups; ++g)
        c.line_offset[static_cast<std::size_t>(g) + 1] =
            c.line_offset[static_cast<std::size_t>(g)] + c.rules_of_group[static_cast<std::size_t>(g)].size();
    c.match.assign(static_cast<std::size_t>(c.units) * static_cast<std::size_t>(c.rules), 0);
    for (int u = 0; u < c.units; ++u)
        for (int r = 0; r < c.rules; ++r)
            c.match[static_cast<std::size_t>(u) * static_cast<std::size_t>(c.rules) + static_cast<std::size_t>(r)] =
                s.rules[static_cast<std::size_t>(r)].condition.matches(s.units()[static_cast<std::size_t>(u)]) ? 1 : 0;
    c.time_limited.resize(static_cast<std::size_t>(c.groups));
    c.duration.resize(static_cast<std::size_t>(c.groups));
    c.monthly.resize(static_cast<std::size_t>(c.groups));
    c.age_group.assign(static_cast<std::size_t>(c.groups), -1);
    for (int g = 0; g < c.groups; ++g) {
        const Group& group = s.groups()[static_cast<std::size_t>(g)];
        c.duration[static_cast<std::size_t>(g)] = group.duration_months;
        c.time_limited[static_cast<std::size_t>(g)] = c.duration[static_cast<std::size_t>(g)] > 0 ? 1 : 0;
        if (group.by_age()) c.age_group[static_cast<std::size_t>(g)] = c.age_groups++;
        c.monthly[static_cast<std::size_t>(g)] = c.time_limited[static_cast<std::size_t>(g)] || group.by_age() ? 1 : 0;
    }
}

/// One slot per dated value a run may change, named as variants and uncertainty
/// entries name them.
void lay_out_slots(const Scenario& s, Impl& c) {
    for (std::size_t i = 0; i < s.parameters.base_salary.entries.size(); ++i) {
        const auto& e = s.parameters.base_salary.entries[i];
        c.slots.push_back({"parameters.base_salary@" + e.from.to_string(), SlotKind::base_salary,
                           Decimal::whole(e.value), static_cast<int>(i)});
    }
    for (std::size_t i = 0; i < s.parameters.contribution_rate.entries.size(); ++i) {
        const auto& e = s.parameters.contribution_rate.entries[i];
        c.slots.push_back({"parameters.contribution_rate@" + e.from.to_string(), SlotKind::contribution_rate, e.value,
                           static_cast<int>(i)});
    }
    c.rule_slot0 = static_cast<int>(c.slots.size());
    for (std::size_t r = 0; r < s.rules.size(); ++r) {
        const Rule& rule = s.rules[r];
        if (rule.share) c.slots.push_back({"rules." + rule.id + ".share", SlotKind::rule_share, *rule.share, static_cast<int>(r)});
        else c.slots.push_back({"rules." + rule.id + ".amount", SlotKind::rule_amount, Decimal::whole(*rule.amount), static_cast<int>(r)});
    }
    for (std::size_t i = 0; i < s.enrolment.size(); ++i) {
        const EnrolmentRate& e = s.enrolment[i];
        std::string name = "enrolment." + s.groups()[static_cast<std::size_t>(e.group)].id + "@" + e.from.to_string();
        if (e.unit >= 0) name += "@" + s.units()[static_cast<std::size_t>(e.unit)].code;
        c.slots.push_back({std::move(name), SlotKind::enrolment, e.share, static_cast<int>(i)});
    }
    c.default_enrolment_slot = static_cast<int>(c.slots.size());
    c.slots.push_back({"enrolment.default", SlotKind::default_enrolment, s.default_enrolment, 0});
    c.cohort_scale_slot0 = static_cast<int>(c.slots.size());
    for (int g = 0; g < c.groups; ++g)
        c.slots.push_back({"cohorts." + s.groups()[static_cast<std::size_t>(g)].id + ".scale", SlotKind::cohort_scale,
                           s.cohort_scale(g), g});
}

/// The enrolment slot that applies to each unit for a group, given the unit-specific
/// entries in force: a unit's own entry, else its nearest ancestor's (an entry for a
/// district covers its communes), else -1 (the group-wide share).
std::vector<int> enrolment_by_unit(const Scenario& s, const std::vector<std::pair<int, int>>& unit_slot) {
    const auto& units = s.units();
    std::vector<int> own(units.size(), -1);
    for (const auto& [unit, slot] : unit_slot) own[static_cast<std::size_t>(unit)] = slot;
    std::vector<int> resolved(units.size(), -1);
    for (std::size_t u = 0; u < units.size(); ++u)
        for (int p = static_cast<int>(u); p >= 0; p = units[static_cast<std::size_t>(p)].parent)
            if (own[static_cast<std::size_t>(p)] >= 0) {
                resolved[u] = own[static_cast<std::size_t>(p)];
                break;
            }
    return resolved;
}

/// The state on the first day of a month, as slot indices.
SegmentPlan month_plan(const Scenario& s, const Impl& c, int year, int month) {
    const Date d{year, month, 1};
    SegmentPlan p;
    const auto timeline_slot = [&](const auto& timeline, int slot0, const std::string& key, const char* message) {
        int found = -1;
        for (std::size_t i = 0; i < timeline.entries.size() && !(d < timeline.entries[i].from); ++i) found = static_cast<int>(i);
        if (found < 0) {
            const SourceLocation where = timeline.entries.empty() ? s.where : timeline.entries.front().where;
            throw ScenarioError(where, key, i18n::tr(message, {d.to_string(), s.first_year, s.last_year}));
        }
        return slot0 + found;
    };
    p.salary_slot = timeline_slot(s.parameters.base_salary, 0, "parameters.base_salary", "parameters.no_base_salary");
    p.rate_slot = timeline_slot(s.parameters.contribution_rate, static_cast<int>(s.parameters.base_salary.entries.size()),
                                "parameters.contribution_rate", "parameters.no_rate");
    p.rule_in_force.assign(static_cast<std::size_t>(c.rules), 0);
    for (int r = 0; r < c.rules; ++r) p.rule_in_force[static_cast<std::size_t>(r)] = s.rules[static_cast<std::size_t>(r)].in_force(d) ? 1 : 0;

    // Enrolment: per group, the latest entry on or before `d` (a later entry in the file
    // wins a tie); a unit's own entry beats its ancestors', which beat the group-wide one.
    const int enrol0 = c.rule_slot0 + c.rules;
    p.enrol_slot.assign(static_cast<std::size_t>(c.groups), c.default_enrolment_slot);
    std::vector<const EnrolmentRate*> wide(static_cast<std::size_t>(c.groups), nullptr);
    std::vector<std::map<int, std::pair<const EnrolmentRate*, int>>> specific(static_cast<std::size_t>(c.groups));
    for (std::size_t i = 0; i < s.enrolment.size(); ++i) {
        const EnrolmentRate& e = s.enrolment[i];
        if (d < e.from) continue;
        const auto g = static_cast<std::size_t>(e.group);
        const int slot = enrol0 + static_cast<int>(i);
        if (e.unit < 0) {
            if (wide[g] == nullptr || wide[g]->from <= e.from) {
                wide[g] = &e;
                p.enrol_slot[g] = slot;
            }
        } else {
            auto& best = specific[g][e.unit];
            if (best.first == nullptr || best.first->from <= e.from) best = {&e, slot};
        }
    }
    p.enrol_unit_slot.assign(static_cast<std::size_t>(c.groups), {});
    for (int g = 0; g < c.groups; ++g) {
        if (specific[static_cast<std::size_t>(g)].empty()) continue;
        std::vector<std::pair<int, int>> unit_slot;
        for (const auto& [unit, entry] : specific[static_cast<std::size_t>(g)]) unit_slot.emplace_back(unit, entry.second);
        p.enrol_unit_slot[static_cast<std::size_t>(g)] = enrolment_by_unit(s, unit_slot);
    }
    if (s.data->has_validity()) {
        p.leaf_valid.resize(c.leaves.size());
        for (std::size_t l = 0; l < c.leaves.size(); ++l)
            p.leaf_valid[l] = s.units()[static_cast<std::size_t>(c.leaves[l])].valid_on(d) ? 1 : 0;
    }
    return p;
}

bool same_state(const SegmentPlan& a, const SegmentPlan& b) {
    return a.salary_slot == b.salary_slot && a.rate_slot == b.rate_slot && a.rule_in_force == b.rule_in_force &&
           a.enrol_slot == b.enrol_slot && a.enrol_unit_slot == b.enrol_unit_slot && a.leaf_valid == b.leaf_valid;
}

void plan_months(const Scenario& s, Impl& c) {
    c.plans.resize(static_cast<std::size_t>(c.years));
    for (int y = 0; y < c.years; ++y) {
        const int year = c.first_year + y;
        auto& plan = c.plans[static_cast<std::size_t>(y)];
        for (int m = 1; m <= 12; ++m) {
            SegmentPlan p = month_plan(s, c, year, m);
            if (!plan.empty() && same_state(plan.back(), p)) {
                SegmentPlan& last = plan.back();
                last.last_month = m;
                ++last.months;
                ++last.months_in_quarter[static_cast<std::size_t>(c.quarter_of_month[static_cast<std::size_t>(m - 1)])];
                continue;
            }
            p.first_month = p.last_month = m;
            p.months = 1;
            p.months_in_quarter = {};
            ++p.months_in_quarter[static_cast<std::size_t>(c.quarter_of_month[static_cast<std::size_t>(m - 1)])];
            plan.push_back(std::move(p));
        }
    }
}

/// Shares of the rules in force for one cohort (group × unit × month) may not add up to
/// over 100%, nor fixed amounts to over the contribution. Units that differ only in
/// attributes no rule looks at are equivalent: one unit per pattern of matching rules.
void check_shares(const Scenario& s, const Impl& c) {
    std::map<std::vector<char>, int> patterns;
    for (const int u : c.leaves) {  // the units costed: the message names one of them
        const auto begin = c.match.begin() + static_cast<std::ptrdiff_t>(u) * c.rules;
        patterns.emplace(std::vector<char>(begin, begin + c.rules), u);
    }
    for (int y = 0; y < c.years; ++y) {
        const int year = c.first_year + y;
        for (const SegmentPlan& seg : c.plans[static_cast<std::size_t>(y)]) {
            const Decimal contribution = exact_product(c.slots[static_cast<std::size_t>(seg.rate_slot)].value,
                                                       c.slots[static_cast<std::size_t>(seg.salary_slot)].value);
            for (int g = 0; g < c.groups; ++g) {
                for (const auto& [pattern, unit] : patterns) {
                    Package package;
                    std::vector<int> used;
                    for (int r : c.rules_of_group[static_cast<std::size_t>(g)]) {
                        if (!seg.rule_in_force[static_cast<std::size_t>(r)] || !pattern[static_cast<std::size_t>(r)]) continue;
                        used.push_back(r);
                        if (!package.add(s.rules[static_cast<std::size_t>(r)], contribution, c.rounding)) throw ArithmeticOverflow{};
                    }
                    if (used.empty()) continue;
                    const Package::Excess excess = package.excess(contribution, c.rounding);
                    if (excess == Package::Excess::none) continue;
                    std::vector<Text> parts;
                    for (int r : used) {
                        const Rule& rule = s.rules[static_cast<std::size_t>(r)];
                        parts.push_back(i18n::join({same_text(rule.id), rule.share ? i18n::percent(*rule.share)
                                                                                   : i18n::money(*rule.amount)}, " "));
                    }
                    const Rule& last = s.rules[static_cast<std::size_t>(used.back())];
                    const Text sum_text =
                        excess == Package::Excess::shares
                            ? i18n::tr("shares.over_100", {i18n::percent(package.shares)})
                        : excess == Package::Excess::rounded
                            ? i18n::tr("shares.rounded_over_contribution",
                                       {i18n::money(package.rounded), i18n::money(round_to_dong(contribution, c.rounding))})
                            : i18n::tr("shares.over_contribution",
                                       {i18n::fixed(contribution.units, contribution.scale, std::min(contribution.scale, 2))});
                    throw ScenarioError(
                        last.share_where, "rules[" + std::to_string(used.back()) + "]." + (last.share ? "share" : "amount"),
                        i18n::tr("shares.too_much", {i18n::quoted(s.groups()[static_cast<std::size_t>(g)].id),
                                                     unit_label(s.units()[static_cast<std::size_t>(unit)]),
                                                     YearMonth{year, seg.first_month}.to_string(), sum_text,
                                                     i18n::join(parts, " + ")}));
                }
            }
        }
    }
}

/// Persons per year × unit × group, projected (each group's scale is applied by runs).
void project(const Scenario& s, Impl& c) {
    try {
        c.persons = project_cohorts(s, &c.carried);
    } catch (const ArithmeticOverflow&) {
        const SourceLocation where = s.growth.empty() ? s.where : s.growth.front().where;
        throw ScenarioError(where, "cohorts.growth", i18n::tr("sim.overflow"));
    }
}

/// A projection problem as bad input, at the file and line it was read from.
[[noreturn]] void refuse_projection(const Scenario& s, const Demography& d, const dynamics::Problem& p) {
    using dynamics::InputPart;
    SourceLocation where = d.where;
    std::string key = "demography." + p.key;
    // A unit's ages are pointed at by its first row of ages.csv (no column: the problem
    // may be in any of its rows).
    switch (p.part) {
        case InputPart::population:
            if (p.item >= 0 && static_cast<std::size_t>(p.item) < d.unit_rows.size()) where = s.where_of(d.unit_rows[static_cast<std::size_t>(p.item)], "");
            key = p.key;
            break;
        case InputPart::stated_total:
            if (p.item >= 0 && static_cast<std::size_t>(p.item) < d.unit_rows.size()) where = s.where_of(d.unit_rows[static_cast<std::size_t>(p.item)], "");
            key = "persons";
            break;
        case InputPart::life_table: where = d.life_where; key = "demography.life_table." + p.key; break;
        case InputPart::fertility: where = d.fertility_where; key = "demography.fertility." + p.key; break;
        case InputPart::migration:
            if (p.item >= 0 && static_cast<std::size_t>(p.item) < d.migration.size()) where = d.migration[static_cast<std::size_t>(p.item)].where;
            key = "demography.migration[" + std::to_string(p.item) + "]." + p.key;
            break;
        default: break;
    }
    throw ScenarioError(where, key, p.message);
}

/// Groups defined by age take their persons from a cohort-component projection of the
/// scenario's demography, month by month (population/cohort_component.hpp).
void project_ages(const Scenario& s, Impl& c) {
    if (c.age_groups == 0) return;
    // The persons come from bulk data alone (ages, life table, fertility, migration,
    // populations, the groups' bands) and the scenario's years: scenarios sharing the
    // data (a base and its variants) project once.
    if (const auto kept = s.data->memo.age_persons(c.first_year, c.years)) {
        c.age_persons = *kept;
        return;
    }
    if (!s.data->demography) {
        for (const Group& g : s.groups())
            if (g.by_age()) throw ScenarioError(g.where, "age", i18n::tr("group.age_without_demography", {i18n::quoted(g.id)}));
    }
    const Demography& d = *s.data->demography;
    dynamics::ProjectionInput in;
    in.base_year = d.base_year;
    in.years = c.first_year + c.years - d.base_year;
    in.units = static_cast<int>(d.units.size());
    in.sexes = d.sexes;
    in.base = d.ages;
    // The unit's own population in the base year, where given: the age table must agree.
    in.stated_total.assign(d.units.size(), dynamics::kMissing);
    for (const PopulationRow& p : s.population())
        if (p.year == d.base_year)
            for (std::size_t i = 0; i < d.units.size(); ++i)
                if (d.units[i] == p.unit) in.stated_total[i] = static_cast<double>(p.persons);
    dynamics::LifeTable table;
    table.form = d.life_table_form == "sx" ? dynamics::SurvivalForm::sx
                 : d.life_table_form == "lx" ? dynamics::SurvivalForm::lx : dynamics::SurvivalForm::qx;
    table.values = d.life_table;
    table.a0 = d.a0;
    // A life table of one combined sex serves a two-sex age table for both sexes.
    if (static_cast<int>(table.values.size()) == 1 && d.sexes == 2) table.values.push_back(table.values[0]);
    in.life_tables.push_back(std::move(table));
    if (!d.fertility.empty()) {
        dynamics::Fertility f;
        std::copy(d.fertility.begin(), d.fertility.end(), f.asfr.begin());
        in.fertility.push_back(f);
    } else {
        in.births.assign(d.units.size() * static_cast<std::size_t>(in.years), 0.0);  // no births modelled
    }
    std::vector<int> slot_of_unit(static_cast<std::size_t>(c.units), -1);
    for (std::size_t i = 0; i < d.units.size(); ++i) slot_of_unit[static_cast<std::size_t>(d.units[i])] = static_cast<int>(i);
    for (const Demography::Migration& m : d.migration)
        in.migration.push_back({m.unit < 0 ? dynamics::kAllUnits : slot_of_unit[static_cast<std::size_t>(m.unit)], m.from_year, m.rate});
    in.sex_ratio_at_birth = d.sex_ratio_at_birth;
    in.female_fraction = d.female_fraction;
    for (int u : c.leaves)
        if (slot_of_unit[static_cast<std::size_t>(u)] < 0)
            throw ScenarioError(d.ages_where, "ages",
                                i18n::tr("demography.unit_missing", {unit_label(s.units()[static_cast<std::size_t>(u)])}));
    if (const auto problems = dynamics::check(in); !problems.empty()) refuse_projection(s, d, problems.front());
    const dynamics::Projection projection = dynamics::project(in);
    // Persons per age group on the 1st of each month.
    c.age_persons.assign(static_cast<std::size_t>(c.years) * c.leaves.size() * static_cast<std::size_t>(c.age_groups) * 12, 0);
    for (int g = 0; g < c.groups; ++g) {
        const int a = c.age_group[static_cast<std::size_t>(g)];
        if (a < 0) continue;
        std::vector<dynamics::BandRate> bands;
        for (const AgeBand& b : s.groups()[static_cast<std::size_t>(g)].age_bands)
            bands.push_back({dynamics::AgeWindow{b.from, b.to}, b.share.to_double()});
        for (int y = 0; y < c.years; ++y)
            for (std::size_t leaf = 0; leaf < c.leaves.size(); ++leaf) {
                const dynamics::MonthlyPersons monthly =
                    dynamics::banded_persons(projection, c.first_year + y, slot_of_unit[static_cast<std::size_t>(c.leaves[leaf])], bands);
                for (int m = 0; m < 12; ++m)
                    c.age_persons[((static_cast<std::size_t>(y) * c.leaves.size() + leaf) * static_cast<std::size_t>(c.age_groups) +
                                   static_cast<std::size_t>(a)) * 12 + static_cast<std::size_t>(m)] = headcount_from_double(monthly[static_cast<std::size_t>(m)]);
            }
    }
    s.data->memo.keep_age_persons(c.first_year, c.years, std::make_shared<const std::vector<Headcount>>(c.age_persons));
}

/// Persons of a group in a unit and year with the group's scale applied.
Headcount scaled_persons(const Impl& c, int year, int unit, int group) {
    const Decimal& scale = c.slots[static_cast<std::size_t>(c.cohort_scale_slot0 + group)].value;
    const Headcount h = c.persons.at(year, unit, group);
    return scale == Decimal::one() ? h : apply_share(h, scale);
}

// ---- a change of units within the scenario (a crosswalk whose both sides are its units)

/// The crosswalks whose change falls in a simulated year, with the year's index.
template <class F>
void for_each_change(const Scenario& s, const Impl& c, F f) {
    for (std::size_t x = 0; x < s.data->crosswalks.size(); ++x) {
        const ScenarioCrosswalk& cw = s.data->crosswalks[x];
        if (!cw.carry) continue;
        const int y = cw.change.year - c.first_year;
        if (y < 0 || y >= c.years) continue;
        f(static_cast<int>(x), cw, y);
    }
}

/// Overlaps of the old units in the change year go with their persons to the new units
/// that have none of their own that year: per pair of groups, by the crosswalk's
/// weights (largest remainder), each at most the smaller of the two groups carried.
void carry_overlaps(const Scenario& s, Impl& c) {
    for_each_change(s, c, [&](int x, const ScenarioCrosswalk& cw, int y) {
        const Crosswalk& carry = *cw.carry;
        const int year = c.first_year + y;
        std::map<std::pair<int, int>, std::vector<Headcount>> per_pair;
        for (std::size_t o = 0; o < carry.old_count(); ++o) {
            const int leaf = c.leaf_of_unit[static_cast<std::size_t>(cw.carry_old[o])];
            if (leaf < 0) continue;
            for (const OverlapRef& ov : c.overlaps[c.year_leaf(y, leaf)]) {
                auto& v = per_pair[{ov.group_a, ov.group_b}];
                if (v.empty()) v.assign(carry.old_count(), 0);
                v[o] = add_dong(v[o], ov.persons);
            }
        }
        std::vector<char> given(static_cast<std::size_t>(c.units), 0);  // units with overlaps of their own that year
        for (const Overlap& o : s.overlaps())
            if (o.year == year) given[static_cast<std::size_t>(o.unit)] = 1;
        for (const auto& [pair, per_old] : per_pair) {
            const std::vector<Headcount> per_new = carry.carry_headcount_to_new(per_old);
            for (std::size_t n = 0; n < per_new.size(); ++n) {
                const int unit = cw.carry_new[n];
                const int leaf = c.leaf_of_unit[static_cast<std::size_t>(unit)];
                if (leaf < 0 || per_new[n] == 0 || given[static_cast<std::size_t>(unit)]) continue;
                auto& own = c.overlaps[c.year_leaf(y, leaf)];
                const Headcount h = std::min({per_new[n], c.persons.at(year, unit, pair.first), c.persons.at(year, unit, pair.second)});
                if (h <= 0) continue;
                own.push_back({pair.first, pair.second, h});
                CarriedFigure f;
                f.kind = CarriedFigure::Kind::overlap;
                f.crosswalk = x;
                f.level = cw.has(CrosswalkLevel::old_commune) ? CrosswalkLevel::old_commune : CrosswalkLevel::old_district;
                f.year = year;
                f.unit = unit;
                f.group = pair.first;
                f.group_b = pair.second;
                f.persons = h;
                f.headcount = true;
                f.parts = static_cast<int>(carry.links_of_new(static_cast<int>(n)).size());
                f.assumed = carry.new_unit_assumed(static_cast<int>(n)) || !cw.has(CrosswalkLevel::old_commune);
                f.at_change = true;
                c.carried.push_back(std::move(f));
            }
        }
    });
}

/// Persons of time-limited groups who entered an old unit before the change and still
/// count after it go to the new units (their months stay as they were).
void carry_inflows(const Scenario& s, Impl& c) {
    for (std::size_t x = 0; x < s.data->crosswalks.size(); ++x) {
        const ScenarioCrosswalk& cw = s.data->crosswalks[x];
        if (!cw.carry) continue;
        const Crosswalk& carry = *cw.carry;
        const int change = YearMonth{cw.change.year, cw.change.month}.index() + (cw.change.day == 1 ? 0 : 1);
        std::map<std::pair<int, int>, std::vector<Headcount>> per_inflow;  // (month, group) → per old unit
        for (std::size_t o = 0; o < carry.old_count(); ++o) {
            const int leaf = c.leaf_of_unit[static_cast<std::size_t>(cw.carry_old[o])];
            if (leaf < 0) continue;
            for (const InflowRef& f : c.inflows[static_cast<std::size_t>(leaf)]) {
                if (f.month_index >= change || f.month_index + c.duration[static_cast<std::size_t>(f.group)] <= change) continue;
                auto& v = per_inflow[{f.month_index, f.group}];
                if (v.empty()) v.assign(carry.old_count(), 0);
                v[o] = add_dong(v[o], f.persons);
            }
        }
        for (const auto& [key, per_old] : per_inflow) {
            const std::vector<Headcount> per_new = carry.carry_headcount_to_new(per_old);
            for (std::size_t n = 0; n < per_new.size(); ++n) {
                const int leaf = c.leaf_of_unit[static_cast<std::size_t>(cw.carry_new[n])];
                if (leaf < 0 || per_new[n] == 0) continue;
                c.inflows[static_cast<std::size_t>(leaf)].push_back({key.first, key.second, per_new[n]});
                CarriedFigure f;
                f.kind = CarriedFigure::Kind::inflow;
                f.crosswalk = static_cast<int>(x);
                f.level = cw.has(CrosswalkLevel::old_commune) ? CrosswalkLevel::old_commune : CrosswalkLevel::old_district;
                f.year = YearMonth::from_index(key.first).year;
                f.unit = cw.carry_new[n];
                f.group = key.second;
                f.persons = per_new[n];
                f.headcount = true;
                f.parts = static_cast<int>(carry.links_of_new(static_cast<int>(n)).size());
                f.assumed = carry.new_unit_assumed(static_cast<int>(n)) || !cw.has(CrosswalkLevel::old_commune);
                f.at_change = true;
                c.carried.push_back(std::move(f));
            }
        }
    }
}

/// Targets of the new units in the change year, where they have none: the
/// population-weighted mean of the targets in force for their parts (an old unit's own,
/// else its nearest ancestor's), weighted by the population each part brought.
void carry_targets(const Scenario& s, Impl& c) {
    std::vector<std::pair<std::size_t, Decimal>> found;  // (target slot, value)
    for_each_change(s, c, [&](int x, const ScenarioCrosswalk& cw, int y) {
        const Crosswalk& carry = *cw.carry;
        const auto slot = [&](int unit) {
            return static_cast<std::size_t>(y) * static_cast<std::size_t>(c.units) + static_cast<std::size_t>(unit);
        };
        std::vector<std::optional<Decimal>> per_old(carry.old_count());
        std::vector<std::int64_t> old_population(carry.old_count(), 0);
        bool any = false;
        for (std::size_t o = 0; o < carry.old_count(); ++o) {
            for (int u = cw.carry_old[o]; u >= 0; u = s.units()[static_cast<std::size_t>(u)].parent)
                if (const Decimal* t = c.target[slot(u)]) {
                    per_old[o] = *t;
                    any = true;
                    break;
                }
            old_population[o] = std::max<std::int64_t>(0, c.population[static_cast<std::size_t>(y)][static_cast<std::size_t>(cw.carry_old[o])]);
        }
        if (!any) return;
        const std::vector<CarriedRate> rates = carry.rates_to_new(per_old, carry.split_old(old_population));
        for (std::size_t n = 0; n < rates.size(); ++n) {
            const int unit = cw.carry_new[n];
            if (!rates[n].rate || c.target[slot(unit)] != nullptr) continue;
            found.emplace_back(slot(unit), *rates[n].rate);
            CarriedFigure f;
            f.kind = CarriedFigure::Kind::target;
            f.crosswalk = x;
            f.level = cw.has(CrosswalkLevel::old_commune) ? CrosswalkLevel::old_commune : CrosswalkLevel::old_district;
            f.year = c.first_year + y;
            f.unit = unit;
            f.rate = rates[n].rate;
            f.parts = static_cast<int>(carry.links_of_new(static_cast<int>(n)).size());
            f.assumed = carry.new_unit_assumed(static_cast<int>(n)) || !cw.has(CrosswalkLevel::old_commune) ||
                        rates[n].persons_with_rate < rates[n].persons;
            f.at_change = true;
            c.carried.push_back(std::move(f));
        }
    });
    c.carried_targets.reserve(found.size());
    for (const auto& [at, value] : found) {
        c.carried_targets.push_back(value);
        c.target[at] = &c.carried_targets.back();
    }
}

/// Unit-specific enrolment shares of old units are not carried: warn when one is in
/// force on the change date (the new units take the group-wide share).
void warn_enrolment_at_change(const Scenario& s, Impl& c) {
    for_each_change(s, c, [&](int, const ScenarioCrosswalk& cw, int) {
        std::vector<char> old(static_cast<std::size_t>(c.units), 0);
        for (int u : cw.carry_old)
            for (int p = u; p >= 0; p = s.units()[static_cast<std::size_t>(p)].parent) old[static_cast<std::size_t>(p)] = 1;
        for (std::size_t i = 0; i < s.enrolment.size(); ++i) {
            const EnrolmentRate& e = s.enrolment[i];
            if (e.unit < 0 || !old[static_cast<std::size_t>(e.unit)] || cw.change < e.from) continue;
            c.warnings.push_back({e.where, "enrolment.rates[" + std::to_string(i) + "].unit",
                                  i18n::tr("merger.enrolment_not_carried",
                                           {i18n::quoted(s.units()[static_cast<std::size_t>(e.unit)].code), cw.change.to_string(),
                                            i18n::quoted(cw.id)})});
            break;
        }
    });
}

/// Persons a group has in a cell, for the overlap check: the cohort figure after the
/// group's scale, or for a group by age the fewest in any month.
Headcount overlap_room(const Impl& c, int year_index, int unit, int leaf, int group) {
    if (c.age_group[static_cast<std::size_t>(group)] < 0) return scaled_persons(c, c.first_year + year_index, unit, group);
    const Decimal& scale = c.slots[static_cast<std::size_t>(c.cohort_scale_slot0 + group)].value;
    const bool unscaled = scale == Decimal::one();
    Headcount size = std::numeric_limits<Headcount>::max();
    for (int m = 1; m <= 12; ++m) {
        const Headcount h = c.age_persons_at(year_index, leaf, group, m);
        size = std::min(size, unscaled ? h : apply_share(h, scale));
    }
    return size;
}

/// Overlaps per year and leaf; all overlaps of a group in a year and unit together must
/// fit in the group as projected (whichever side the highest-benefit rule drops). Rows go
/// to their cell (year × leaf) in file order; the first row (in file order) at which some
/// cell's sum goes over is refused.
void lay_out_overlaps(const Scenario& s, Impl& c) {
    const std::size_t cells = static_cast<std::size_t>(c.years) * c.leaves.size();
    c.overlaps.assign(cells, {});
    const std::vector<Overlap>& rows = s.overlaps();
    // Row indices grouped by cell (a counting sort keeps file order within a cell).
    std::vector<std::uint32_t> start(cells + 1, 0);
    const auto cell_of = [&](const Overlap& o) -> std::ptrdiff_t {
        if (o.year < c.first_year || o.year >= c.first_year + c.years) return -1;
        const int leaf = c.leaf_of_unit[static_cast<std::size_t>(o.unit)];
        if (leaf < 0) return -1;  // the loader refuses rows on units with sub-units
        return static_cast<std::ptrdiff_t>(c.year_leaf(o.year - c.first_year, leaf));
    };
    for (const Overlap& o : rows)
        if (const std::ptrdiff_t cell = cell_of(o); cell >= 0) ++start[static_cast<std::size_t>(cell) + 1];
    for (std::size_t i = 0; i < cells; ++i) start[i + 1] += start[i];
    std::vector<std::uint32_t> order(start[cells]);
    {
        std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (const std::ptrdiff_t cell = cell_of(rows[i]); cell >= 0) order[fill[static_cast<std::size_t>(cell)]++] = static_cast<std::uint32_t>(i);
    }
    // Per group within the current cell: persons overlapped so far, and the group's size
    // (worked out when first needed).
    const auto groups = static_cast<std::size_t>(c.groups);
    std::vector<Headcount> sum(groups), room(groups);
    std::vector<char> touched(groups, 0);
    struct Refusal {
        std::size_t row = std::numeric_limits<std::size_t>::max();
        int group = -1;
        Headcount sum = 0, room = 0;
    } first;
    for (std::size_t cell = 0; cell < cells; ++cell) {
        if (start[cell] == start[cell + 1]) continue;
        const int y = static_cast<int>(cell / c.leaves.size());
        const int leaf = static_cast<int>(cell % c.leaves.size());
        const int unit = c.leaves[static_cast<std::size_t>(leaf)];
        std::fill(touched.begin(), touched.end(), 0);
        bool refused = false;
        for (std::uint32_t k = start[cell]; k < start[cell + 1]; ++k) {
            const Overlap& o = rows[order[k]];
            const Headcount h = headcount_of_persons(o.persons);
            c.overlaps[cell].push_back({o.group_a, o.group_b, h});
            if (refused) continue;
            for (int g : {o.group_a, o.group_b}) {
                const auto gi = static_cast<std::size_t>(g);
                if (!touched[gi]) {
                    touched[gi] = 1;
                    sum[gi] = 0;
                    room[gi] = overlap_room(c, y, unit, leaf, g);
                }
                sum[gi] = add_dong(sum[gi], h);
                if (sum[gi] > room[gi]) {
                    if (order[k] < first.row) first = {order[k], g, sum[gi], room[gi]};
                    refused = true;  // later rows of this cell come after this one
                    break;
                }
            }
        }
    }
    if (first.group >= 0) {
        const Overlap& o = rows[first.row];
        throw ScenarioError(s.where_of(o.where, "persons"), "persons",
                            i18n::tr("overlap.larger_than_group",
                                     {i18n::grouped((first.sum + kHeadcountScale - 1) / kHeadcountScale),
                                      i18n::quoted(s.groups()[static_cast<std::size_t>(first.group)].id),
                                      // In each language's style, as the sum: "1,140" (en), "1.140" (vi).
                                      first.room % kHeadcountScale == 0 ? i18n::grouped(first.room / kHeadcountScale)
                                                                        : i18n::fixed(first.room, 4, 2),
                                      unit_label(s.units()[static_cast<std::size_t>(o.unit)]), o.year}));
    }
}

void lay_out_inflows(const Scenario& s, Impl& c) {
    c.inflows.assign(c.leaves.size(), {});
    for (const Inflow& f : s.inflows()) {
        const int leaf = c.leaf_of_unit[static_cast<std::size_t>(f.unit)];
        if (leaf < 0) continue;
        c.inflows[static_cast<std::size_t>(leaf)].push_back({f.month.index(), f.group, headcount_of_persons(f.persons)});
    }
    carry_inflows(s, c);
}

void lay_out_coverage(const Scenario& s, Impl& c) {
    c.population = project_population(s, &c.carried);
    c.target.assign(static_cast<std::size_t>(c.years) * static_cast<std::size_t>(c.units), nullptr);
    for (const TargetRow& t : s.targets)
        if (t.year >= c.first_year && t.year < c.first_year + c.years)
            c.target[static_cast<std::size_t>(t.year - c.first_year) * static_cast<std::size_t>(c.units) +
                     static_cast<std::size_t>(t.unit)] = &t.target;
}

/// At most this many budget lines a year (72 bytes each): ten times the national
/// synthetic scenario's at 10,000 communes (README, Performance).
constexpr std::size_t kMaxLinesPerYear = 3'000'000;

/// Bounds each year's output: a line per leaf and (group, rule) pair whose rule applies
/// to the leaf and is in force in some month of the year, a cohort row per leaf and
/// group with such a pair.
void bound_output(Impl& c) {
    c.line_bound.assign(static_cast<std::size_t>(c.years), 0);
    c.cohort_bound.assign(static_cast<std::size_t>(c.years), 0);
    std::vector<char> in_force(static_cast<std::size_t>(c.rules));
    for (int y = 0; y < c.years; ++y) {
        std::fill(in_force.begin(), in_force.end(), 0);
        for (const SegmentPlan& seg : c.plans[static_cast<std::size_t>(y)])
            for (int r = 0; r < c.rules; ++r) in_force[static_cast<std::size_t>(r)] |= seg.rule_in_force[static_cast<std::size_t>(r)];
        std::size_t lines = 0, cohorts = 0;
        for (int u : c.leaves)
            for (int g = 0; g < c.groups; ++g) {
                bool any = false;
                for (int r : c.rules_of_group[static_cast<std::size_t>(g)])
                    if (in_force[static_cast<std::size_t>(r)] && c.applies(r, u)) {
                        ++lines;
                        any = true;
                    }
                cohorts += any ? 1 : 0;
            }
        c.line_bound[static_cast<std::size_t>(y)] = lines;
        c.cohort_bound[static_cast<std::size_t>(y)] = cohorts;
        // Memory: a year's lines are held while they are written (two years at once).
        if (lines > kMaxLinesPerYear)
            throw ScenarioError(c.scenario.where, "rules",
                                i18n::tr("sim.too_many_lines", {c.first_year + y, i18n::grouped(static_cast<std::int64_t>(lines)),
                                                                i18n::grouped(static_cast<std::int64_t>(kMaxLinesPerYear))}));
    }
}

/// One year's bound for prove_bounds(): the sum of its terms (stopping once over the
/// limit) and the (unit, group) of the largest term so far.
struct YearBound {
    __int128 bound = 0;
    std::pair<int, int> culprit{-1, -1};
    std::exception_ptr error;  ///< the bound could not be worked out (overflow)
};

YearBound bound_year(const Scenario& s, const Impl& c, const std::vector<char>& unscaled_group, int y) {
    constexpr __int128 kLimit = INT64_MAX;
    const int year = c.first_year + y;
    // The largest amount per person-month any rule can take this year.
    std::vector<__int128> rule_max(static_cast<std::size_t>(c.rules), 0);
    __int128 contribution_max = 0;
    for (const SegmentPlan& seg : c.plans[static_cast<std::size_t>(y)]) {
        const Decimal contribution = exact_product(c.slots[static_cast<std::size_t>(seg.rate_slot)].value,
                                                   c.slots[static_cast<std::size_t>(seg.salary_slot)].value);
        const __int128 whole_contribution = round_to_dong(contribution, Rounding::up) + 1;
        contribution_max = std::max(contribution_max, whole_contribution);
        for (int r = 0; r < c.rules; ++r) {
            if (!seg.rule_in_force[static_cast<std::size_t>(r)]) continue;
            const Rule& rule = s.rules[static_cast<std::size_t>(r)];
            const __int128 amount = rule.amount ? std::max<__int128>(*rule.amount, whole_contribution) : whole_contribution;
            rule_max[static_cast<std::size_t>(r)] = std::max(rule_max[static_cast<std::size_t>(r)], amount);
        }
    }
    __int128 year_bound = 0;
    __int128 largest = -1;
    std::pair<int, int> culprit{-1, -1};
    for (int u : c.leaves) {
        const int leaf = c.leaf_of_unit[static_cast<std::size_t>(u)];
        for (int g = 0; g < c.groups; ++g) {
            const Decimal& scale = c.slots[static_cast<std::size_t>(c.cohort_scale_slot0 + g)].value;
            const bool unscaled = unscaled_group[static_cast<std::size_t>(g)] != 0;
            __int128 heads = 0;
            if (c.age_group[static_cast<std::size_t>(g)] >= 0) {  // by age: the most in any month
                for (int m = 1; m <= 12; ++m) {
                    const Headcount h = c.age_persons_at(y, leaf, g, m);
                    heads = std::max<__int128>(heads, unscaled ? h : apply_share(h, scale));
                }
            } else {
                const Headcount h = c.persons.at(year, u, g);
                heads = unscaled ? h : apply_share(h, scale);
            }
            if (c.time_limited[static_cast<std::size_t>(g)])
                for (const InflowRef& f : c.inflows[static_cast<std::size_t>(leaf)])
                    if (f.group == g) heads += f.persons;
            __int128 amount = 0;
            for (int r : c.rules_of_group[static_cast<std::size_t>(g)])
                if (c.applies(r, u)) amount += rule_max[static_cast<std::size_t>(r)];
            // Contribution due (cohort costs) is at most one more contribution; +1 đồng
            // per month and line for rounding.
            const __int128 months = heads * (amount + contribution_max) * 12;
            // (A 128-bit division is a library call; most terms fit in 64 bits.)
            const __int128 whole = months <= INT64_MAX ? static_cast<__int128>(static_cast<std::int64_t>(months) / kHeadcountScale)
                                                       : months / kHeadcountScale;
            const __int128 term = whole + 12 * static_cast<__int128>(c.rules_of_group[static_cast<std::size_t>(g)].size() + 1);
            year_bound += term;
            if (term > largest) {
                largest = term;
                culprit = {u, g};
            }
            if (year_bound > kLimit) break;
        }
        if (year_bound > kLimit) break;
    }
    return {year_bound, culprit, nullptr};
}

/// Proves that no run can leave the range of whole đồng: for every year the sum over
/// leaves and groups of persons × (the contribution, or a rule's fixed amount, for each
/// rule that may apply) × 12 months fits, and so does the sum over all years. Shares
/// never exceed 100% (check_shares), so every cost, and every sum of costs, of any run
/// with shares of at most 100% is below this bound. Refused inputs name the largest
/// contributor's cohort row. The years are bounded side by side on `executor`, then
/// checked in order: the first year over the limit (or whose bound could not be worked
/// out) is refused, as if bounded one after another.
void prove_bounds(const Scenario& s, const Impl& c, const Executor& executor) {
    constexpr __int128 kLimit = INT64_MAX;
    std::vector<char> unscaled_group(static_cast<std::size_t>(c.groups));
    for (int g = 0; g < c.groups; ++g)
        unscaled_group[static_cast<std::size_t>(g)] = c.slots[static_cast<std::size_t>(c.cohort_scale_slot0 + g)].value == Decimal::one();
    std::vector<YearBound> bounds(static_cast<std::size_t>(c.years));
    executor.for_each(bounds.size(), [&](std::size_t i) {
        try {
            bounds[i] = bound_year(s, c, unscaled_group, static_cast<int>(i));
        } catch (...) {
            bounds[i].error = std::current_exception();
        }
    });
    __int128 whole_period = 0;
    for (int y = 0; y < c.years; ++y) {
        const YearBound& b = bounds[static_cast<std::size_t>(y)];
        if (b.error) std::rethrow_exception(b.error);
        const int year = c.first_year + y;
        const std::pair<int, int> culprit = b.culprit;
        whole_period += b.bound;
        if (b.bound > kLimit || whole_period > kLimit) {
            // Point at the largest contributor's cohort row, if it has one.
            SourceLocation where = s.where;
            for (const CohortRow& row : s.cohorts())
                if (row.unit == culprit.first && row.group == culprit.second && row.year <= year) where = s.where_of(row.where, "persons");
            throw ScenarioError(where, "persons", i18n::tr("sim.overflow_at", {year,
                                       culprit.first >= 0 ? unit_label(s.units()[static_cast<std::size_t>(culprit.first)]) : std::string("?"),
                                       culprit.second >= 0 ? i18n::quoted(s.groups()[static_cast<std::size_t>(culprit.second)].id) : i18n::quoted("?")}));
        }
    }
}

/// Ramps become dated enrolment entries: from 1 January of the ramp's first year, each
/// year closes its share of the gap to the target, rounded to 10⁻⁶.
Scenario with_ramps(const Scenario& original) {
    if (original.ramps.empty()) return original;
    Scenario s = original;
    for (const EnrolmentRamp& r : original.ramps) {
        // The share in force on the ramp's first 1 January, before the ramp.
        const Date start{r.from_year, 1, 1};
        Decimal share = s.default_enrolment;
        const EnrolmentRate* best = nullptr;
        for (const EnrolmentRate& e : s.enrolment) {
            if (e.group != r.group || start < e.from) continue;
            const bool fits = e.unit == r.unit || (e.unit < 0 && (best == nullptr || best->unit < 0));
            if (!fits) continue;
            if (best == nullptr || (e.unit >= 0 && best->unit < 0) || best->from <= e.from) best = &e;
        }
        if (best != nullptr) share = best->share;
        double rate = share.to_double();
        const double target = r.target.to_double(), close = r.close.to_double();
        for (int y = r.from_year; y <= s.last_year; ++y) {
            rate += close * (target - rate);
            const Decimal value{static_cast<std::int64_t>(std::llround(rate * 1e6)), 6};
            EnrolmentRate e{r.group, r.unit, Date{y, 1, 1}, value.normalized(), r.provenance, r.where};
            e.provenance.note = "ramp toward " + r.target.to_percent_string();
            auto same = std::find_if(s.enrolment.begin(), s.enrolment.end(), [&](const EnrolmentRate& x) {
                return x.group == e.group && x.unit == e.unit && x.from == e.from;
            });
            if (same != s.enrolment.end()) *same = e;
            else s.enrolment.push_back(e);
        }
    }
    return s;
}

void lay_out_takeup(const Scenario& s, Impl& c) {
    c.takeup_of_group.assign(static_cast<std::size_t>(c.groups), -1);
    for (const TakeupEntry& t : s.takeup) {
        c.takeup_of_group[static_cast<std::size_t>(t.group)] = static_cast<int>(c.curves.size());
        c.curves.push_back(dynamics::TakeupCurve::calibrate(t.spec));
        c.takeup.push_back(&t);
    }
}

}  // namespace

std::vector<std::vector<std::vector<double>>> takeup_rates(const Impl& c, const std::vector<std::vector<double>>& contribution,
                                                           const std::vector<std::vector<std::vector<double>>>& amount) {
    const std::size_t leaves = c.leaves.size(), curves = c.curves.size();
    std::vector<std::vector<std::vector<double>>> out(static_cast<std::size_t>(c.years));
    if (curves == 0) return out;
    // Per leaf and curve: the year before's support share and rate, and the decay in course.
    struct State {
        double last_support = -1;
        double last_rate = 0;
        double with_topup = 0;
        int year_in_decay = 0;  ///< k ≥ 1 while decaying
    };
    std::vector<State> state(leaves * curves);
    // Leaves whose rules give the same out-of-pocket amount share the curve's rate: the
    // last amount and rate per (segment, curve) are remembered.
    struct Seen {
        Dong out_of_pocket = -1;
        double rate = 0;
    };
    std::vector<Seen> seen;
    for (int y = 0; y < c.years; ++y) {
        const auto& plan = c.plans[static_cast<std::size_t>(y)];
        out[static_cast<std::size_t>(y)].assign(plan.size(), std::vector<double>(leaves * curves, 0.0));
        seen.assign(plan.size() * curves, Seen{});
        for (std::size_t leaf = 0; leaf < leaves; ++leaf) {
            const int unit = c.leaves[leaf];
            for (int g = 0; g < c.groups; ++g) {
                const int t = c.takeup_of_group[static_cast<std::size_t>(g)];
                if (t < 0) continue;
                const TakeupEntry& entry = *c.takeup[static_cast<std::size_t>(t)];
                State& st = state[leaf * curves + static_cast<std::size_t>(t)];
                double year_support = -1, year_rate = 0;
                for (std::size_t seg = 0; seg < plan.size(); ++seg) {
                    double package = 0;
                    for (int r : c.rules_of_group[static_cast<std::size_t>(g)])
                        if (plan[seg].rule_in_force[static_cast<std::size_t>(r)] && c.applies(r, unit))
                            package += amount[static_cast<std::size_t>(y)][seg][static_cast<std::size_t>(r)];
                    const double contrib = contribution[static_cast<std::size_t>(y)][seg];
                    const double support = contrib > 0 ? package / contrib : 0;
                    const auto out_of_pocket = static_cast<Dong>(std::llround(std::max(0.0, contrib - package) * 12));
                    Seen& memo = seen[seg * curves + static_cast<std::size_t>(t)];
                    if (memo.out_of_pocket != out_of_pocket) memo = {out_of_pocket, c.curves[static_cast<std::size_t>(t)].rate(out_of_pocket)};
                    double rate = memo.rate;
                    if (seg == 0 && entry.retention) {
                        // A fall in support from one year to the next starts (or restarts) a decay.
                        if (st.last_support >= 0 && support < st.last_support - 1e-12) {
                            st.with_topup = st.last_rate;
                            st.year_in_decay = 1;
                        } else if (st.year_in_decay > 0) {
                            ++st.year_in_decay;
                        }
                    }
                    if (entry.retention && st.year_in_decay > 0) {
                        const dynamics::Retention& ret = entry.retention_form;
                        const int k = st.year_in_decay;
                        const double w = ret.form == dynamics::RetentionForm::linear
                                             ? std::max(0, ret.years - k) / static_cast<double>(ret.years)
                                             : (k < ret.years ? std::pow(ret.keep_per_year, k) : 0.0);
                        rate += std::max(0.0, st.with_topup - rate) * w;
                    }
                    rate = std::llround(rate * 1e6) / 1e6;
                    out[static_cast<std::size_t>(y)][seg][leaf * curves + static_cast<std::size_t>(t)] = rate;
                    if (seg == 0) year_support = support;
                    year_rate = rate;
                }
                st.last_support = year_support;
                st.last_rate = year_rate;
            }
        }
    }
    return out;
}

CompiledScenario compile(const Scenario& original, const Executor& executor) {
    auto c = std::make_unique<Impl>();
    c->scenario = with_ramps(original);
    // Everything below points into c->scenario, which lives as long as the compiled form.
    const Scenario& s = c->scenario;
    try {
        lay_out_rules(s, *c);
        lay_out_slots(s, *c);
        lay_out_takeup(s, *c);
        plan_months(s, *c);
        check_shares(s, *c);
        project(s, *c);
        project_ages(s, *c);
        lay_out_inflows(s, *c);
        lay_out_overlaps(s, *c);
        carry_overlaps(s, *c);
        lay_out_coverage(s, *c);
        carry_targets(s, *c);
        warn_enrolment_at_change(s, *c);
        bound_output(*c);
        prove_bounds(s, *c, executor);
    } catch (const ArithmeticOverflow&) {
        throw ScenarioError(s.where, "parameters", i18n::tr("sim.overflow"));
    }
    return CompiledScenario(std::move(c));
}

}  // namespace subsim
