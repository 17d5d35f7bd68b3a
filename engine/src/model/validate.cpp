#include "subsim/model/validate.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "subsim/i18n/i18n.hpp"

namespace subsim {
namespace {

std::string unit_label(const Unit& u) { return u.code + " (" + u.name + ")"; }

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
void check_cohorts(const Scenario& s) {
    for (const auto& c : s.cohorts())
        if (s.groups()[static_cast<std::size_t>(c.group)].duration_months > 0)
            throw ScenarioError(s.where_of(c.where), "group",
                                i18n::tr("group.time_limited_cohort", {i18n::quoted(s.groups()[static_cast<std::size_t>(c.group)].id)}));
    for (const auto& f : s.inflows()) {
        if (s.groups()[static_cast<std::size_t>(f.group)].duration_months <= 0)
            throw ScenarioError(s.where_of(f.where), "group",
                                i18n::tr("group.inflow_not_time_limited", {i18n::quoted(s.groups()[static_cast<std::size_t>(f.group)].id)}));
    }
    // Overlaps: within both groups, and all overlaps of a group together within it.
    const CohortIndex cohorts(s);
    std::vector<std::int64_t> overlap_sum(s.cohorts().size(), 0);  ///< per cohort row
    for (const auto& o : s.overlaps()) {
        if (o.group_a == o.group_b)
            throw ScenarioError(s.where_of(o.where), "group_b", i18n::tr("overlap.same_group", {i18n::quoted(s.groups()[static_cast<std::size_t>(o.group_b)].id)}));
        for (int g : {o.group_a, o.group_b}) {
            if (s.groups()[static_cast<std::size_t>(g)].duration_months > 0)
                throw ScenarioError(s.where_of(o.where), g == o.group_a ? "group_a" : "group_b",
                                    i18n::tr("overlap.time_limited"));
            const int row = cohorts.find(o.year, o.unit, g);
            if (row < 0) continue;  // no row that year: checked against the projection when costed
            const std::int64_t size = s.cohorts()[static_cast<std::size_t>(row)].persons;
            std::int64_t& sum = overlap_sum[static_cast<std::size_t>(row)];
            sum += o.persons;
            if (sum > size)
                throw ScenarioError(s.where_of(o.where), "persons",
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
        const auto& kids = children[static_cast<std::size_t>(parent)];
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
        out.push_back({s.where_of(parent_target->where), "target_pct",
                       i18n::tr("targets.children_disagree", {year, unit_label(pu), kids.size(),
                                i18n::percent(implied, 2), i18n::percent(parent_target->target, 2)})});
    }
    return out;
}

}  // namespace

std::vector<Warning> validate(const Scenario& s) {
    try {
        check_payers(s);
        check_cohorts(s);
        return check_targets(s);
    } catch (const ArithmeticOverflow&) {
        throw ScenarioError(s.where, "parameters", i18n::tr("sim.overflow"));
    }
}

}  // namespace subsim
