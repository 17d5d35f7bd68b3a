#include "subsim/population/projection.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <limits>

namespace subsim {

CohortTable::CohortTable(int first_year, int years, int units, int groups)
    : first_year_(first_year),
      years_(years),
      units_(units),
      groups_(groups),
      data_(static_cast<std::size_t>(years) * units * groups, 0) {}

namespace {

/// Yearly growth factor (1 + rate) per group for projected year `year`.
Eigen::ArrayXd growth_factors(const Scenario& s, int year) {
    const int groups = static_cast<int>(s.groups().size());
    Eigen::ArrayXd factor = Eigen::ArrayXd::Ones(groups);
    const Date jan1{year, 1, 1};
    Eigen::ArrayXi best_from = Eigen::ArrayXi::Constant(groups, std::numeric_limits<int>::min());
    for (const auto& g : s.growth) {
        if (jan1 < g.from) continue;
        const int key = g.from.year * 10000 + g.from.month * 100 + g.from.day;
        if (key >= best_from(g.group)) {
            best_from(g.group) = key;
            factor(g.group) = 1.0 + g.rate.to_double();
        }
    }
    return factor;
}

}  // namespace

CohortTable project_cohorts(const Scenario& s, std::vector<CarriedFigure>* carried) {
    const int units = static_cast<int>(s.units().size());
    const int groups = static_cast<int>(s.groups().size());
    CohortTable table(s.first_year, s.year_count(), units, groups);
    if (units == 0 || groups == 0) return table;

    int base_year = s.first_year;
    for (const auto& row : s.cohorts()) base_year = std::min(base_year, row.year);

    // Rows by year for the years that matter (base_year .. last_year).
    const int span = s.last_year - base_year + 1;
    std::vector<std::vector<const CohortRow*>> by_year(static_cast<std::size_t>(span));
    for (const auto& row : s.cohorts())
        if (row.year <= s.last_year) by_year[static_cast<std::size_t>(row.year - base_year)].push_back(&row);

    // State: the last known headcount of each unit × group, compounded year by year.
    // Given values are exact; only projected values pass through floating point.
    Eigen::ArrayXXd last = Eigen::ArrayXXd::Zero(units, groups);
    std::vector<Headcount> exact(static_cast<std::size_t>(units) * groups, 0);
    std::vector<char> is_exact(static_cast<std::size_t>(units) * groups, 0);
    for (int year = base_year; year <= s.last_year; ++year) {
        if (year > base_year) {
            const Eigen::ArrayXd factor = growth_factors(s, year);
            last.rowwise() *= factor.transpose();
            for (int g = 0; g < groups; ++g)
                if (factor(g) != 1.0)
                    for (int u = 0; u < units; ++u) is_exact[static_cast<std::size_t>(u) * groups + g] = 0;
        }
        for (const CohortRow* row : by_year[static_cast<std::size_t>(year - base_year)]) {
            const std::size_t k = static_cast<std::size_t>(row->unit) * groups + row->group;
            exact[k] = headcount_of_persons(row->persons);
            is_exact[k] = 1;
            last(row->unit, row->group) = static_cast<double>(row->persons);
        }
        // A change of units this year: the new units take the old units' persons.
        for (std::size_t x = 0; x < s.data->crosswalks.size(); ++x) {
            const ScenarioCrosswalk& cw = s.data->crosswalks[x];
            if (!cw.carry || cw.change.year != year) continue;
            const Crosswalk& carry = *cw.carry;
            std::vector<char> given(static_cast<std::size_t>(units) * groups, 0);
            for (const CohortRow* row : by_year[static_cast<std::size_t>(year - base_year)])
                given[static_cast<std::size_t>(row->unit) * groups + row->group] = 1;
            std::vector<Headcount> per_old(carry.old_count());
            for (int g = 0; g < groups; ++g) {
                bool any = false;
                for (std::size_t o = 0; o < carry.old_count(); ++o) {
                    const std::size_t k = static_cast<std::size_t>(cw.carry_old[o]) * groups + g;
                    per_old[o] = is_exact[k] ? exact[k] : headcount_from_double(last(cw.carry_old[o], g));
                    any = any || per_old[o] != 0;
                }
                if (!any) continue;
                const std::vector<Headcount> per_new = carry.carry_headcount_to_new(per_old);
                for (std::size_t n = 0; n < per_new.size(); ++n) {
                    const int u = cw.carry_new[n];
                    const std::size_t k = static_cast<std::size_t>(u) * groups + g;
                    if (given[k]) continue;
                    exact[k] = per_new[n];
                    is_exact[k] = 1;
                    last(u, g) = static_cast<double>(per_new[n]) / static_cast<double>(kHeadcountScale);
                    if (carried == nullptr) continue;
                    CarriedFigure f;
                    f.kind = CarriedFigure::Kind::cohort;
                    f.crosswalk = static_cast<int>(x);
                    f.level = cw.has(CrosswalkLevel::old_commune) ? CrosswalkLevel::old_commune : CrosswalkLevel::old_district;
                    f.year = year;
                    f.unit = u;
                    f.group = g;
                    f.persons = per_new[n];
                    f.headcount = true;
                    f.parts = static_cast<int>(carry.links_of_new(static_cast<int>(n)).size());
                    f.assumed = carry.new_unit_assumed(static_cast<int>(n)) || !cw.has(CrosswalkLevel::old_commune);
                    f.at_change = true;
                    carried->push_back(std::move(f));
                }
            }
        }
        if (year < s.first_year) continue;
        for (int u = 0; u < units; ++u)
            for (int g = 0; g < groups; ++g) {
                const std::size_t k = static_cast<std::size_t>(u) * groups + g;
                table.at(year, u, g) = is_exact[k] ? exact[k] : headcount_from_double(last(u, g));
            }
    }
    return table;
}

std::vector<std::vector<std::int64_t>> project_population(const Scenario& s, std::vector<CarriedFigure>* carried) {
    const int units = static_cast<int>(s.units().size());
    const int years = s.year_count();
    std::vector<std::vector<std::int64_t>> pop(static_cast<std::size_t>(years),
                                               std::vector<std::int64_t>(static_cast<std::size_t>(units), -1));
    // Given rows, carried forward from the latest year on or before each simulated year.
    std::vector<int> best_year(static_cast<std::size_t>(years) * units, std::numeric_limits<int>::min());
    for (const auto& row : s.population()) {
        for (int y = std::max(row.year, s.first_year); y <= s.last_year; ++y) {
            const std::size_t k = static_cast<std::size_t>(y - s.first_year) * units + row.unit;
            if (row.year >= best_year[k]) {
                best_year[k] = row.year;
                pop[static_cast<std::size_t>(y - s.first_year)][static_cast<std::size_t>(row.unit)] = row.persons;
            }
        }
    }
    // A change of units: the new units without a row of their own take the old units'
    // population of the change year (each old unit's latest row on or before it).
    for (std::size_t x = 0; x < s.data->crosswalks.size(); ++x) {
        const ScenarioCrosswalk& cw = s.data->crosswalks[x];
        if (!cw.carry) continue;
        const int change_year = cw.change.year;
        if (change_year > s.last_year) continue;
        const Crosswalk& carry = *cw.carry;
        std::vector<std::int64_t> per_old(carry.old_count(), 0);
        std::vector<int> old_best(carry.old_count(), std::numeric_limits<int>::min());
        std::vector<int> index_of_old(static_cast<std::size_t>(units), -1);
        for (std::size_t o = 0; o < carry.old_count(); ++o) index_of_old[static_cast<std::size_t>(cw.carry_old[o])] = static_cast<int>(o);
        std::vector<int> own_first(static_cast<std::size_t>(units), std::numeric_limits<int>::max());  // new units' first own year
        for (const auto& row : s.population()) {
            const int o = index_of_old[static_cast<std::size_t>(row.unit)];
            if (o >= 0 && row.year <= change_year && row.year >= old_best[static_cast<std::size_t>(o)]) {
                old_best[static_cast<std::size_t>(o)] = row.year;
                per_old[static_cast<std::size_t>(o)] = row.persons;
            }
            own_first[static_cast<std::size_t>(row.unit)] = std::min(own_first[static_cast<std::size_t>(row.unit)], row.year);
        }
        const std::vector<std::int64_t> per_new = carry.carry_to_new(per_old);
        for (std::size_t n = 0; n < per_new.size(); ++n) {
            const int u = cw.carry_new[n];
            bool used = false;
            for (int y = std::max(change_year, s.first_year); y <= s.last_year; ++y) {
                const std::size_t k = static_cast<std::size_t>(y - s.first_year) * units + u;
                if (best_year[k] >= change_year) continue;  // a row of its own, on or after the change
                pop[static_cast<std::size_t>(y - s.first_year)][static_cast<std::size_t>(u)] = per_new[n];
                used = true;
            }
            if (!used || carried == nullptr || own_first[static_cast<std::size_t>(u)] <= change_year) continue;
            CarriedFigure f;
            f.kind = CarriedFigure::Kind::population;
            f.crosswalk = static_cast<int>(x);
            f.level = cw.has(CrosswalkLevel::old_commune) ? CrosswalkLevel::old_commune : CrosswalkLevel::old_district;
            f.year = change_year;
            f.unit = u;
            f.persons = per_new[n];
            f.parts = static_cast<int>(carry.links_of_new(static_cast<int>(n)).size());
            f.assumed = carry.new_unit_assumed(static_cast<int>(n)) || !cw.has(CrosswalkLevel::old_commune);
            f.at_change = true;
            carried->push_back(std::move(f));
        }
    }
    // Parents without a row of their own: the sum of their children (deepest first),
    // each child weighted by its months of the year over the parent's.
    std::vector<int> depth(static_cast<std::size_t>(units), 0);
    for (int u = 0; u < units; ++u)
        for (int p = s.units()[static_cast<std::size_t>(u)].parent; p >= 0 && depth[static_cast<std::size_t>(u)] <= units;
             p = s.units()[static_cast<std::size_t>(p)].parent)
            ++depth[static_cast<std::size_t>(u)];
    std::vector<int> order(static_cast<std::size_t>(units));
    for (int u = 0; u < units; ++u) order[static_cast<std::size_t>(u)] = u;
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return depth[static_cast<std::size_t>(a)] > depth[static_cast<std::size_t>(b)]; });
    const bool dated = s.data->has_validity();
    for (std::size_t yi = 0; yi < pop.size(); ++yi) {
        auto& year = pop[yi];
        const int calendar_year = s.first_year + static_cast<int>(yi);
        // Σ child × its months (a child valid all year of a parent valid all year: × 12).
        std::vector<__int128> child_sum(static_cast<std::size_t>(units), 0);
        std::vector<char> has_child(static_cast<std::size_t>(units), 0);
        for (int u : order) {
            const Unit& unit = s.units()[static_cast<std::size_t>(u)];
            const int months = dated ? unit.months_valid(calendar_year) : 12;
            auto& v = year[static_cast<std::size_t>(u)];
            if (v < 0) {
                if (!has_child[static_cast<std::size_t>(u)] || months == 0) {
                    v = 0;
                } else {
                    const __int128 sum = child_sum[static_cast<std::size_t>(u)];
                    const __int128 value = (sum + months / 2) / months;  // half-up, never negative
                    if (value > INT64_MAX) throw ArithmeticOverflow{};
                    v = static_cast<std::int64_t>(value);
                }
            }
            const int p = unit.parent;
            if (p >= 0 && months > 0) {
                child_sum[static_cast<std::size_t>(p)] += static_cast<__int128>(v) * months;
                has_child[static_cast<std::size_t>(p)] = 1;
            }
        }
    }
    return pop;
}

}  // namespace subsim
