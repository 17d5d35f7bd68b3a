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

CohortTable project_cohorts(const Scenario& s) {
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
        if (year < s.first_year) continue;
        for (int u = 0; u < units; ++u)
            for (int g = 0; g < groups; ++g) {
                const std::size_t k = static_cast<std::size_t>(u) * groups + g;
                table.at(year, u, g) = is_exact[k] ? exact[k] : headcount_from_double(last(u, g));
            }
    }
    return table;
}

std::vector<std::vector<std::int64_t>> project_population(const Scenario& s) {
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
    // Parents without a row of their own: the sum of their children (deepest first).
    std::vector<int> depth(static_cast<std::size_t>(units), 0);
    for (int u = 0; u < units; ++u)
        for (int p = s.units()[static_cast<std::size_t>(u)].parent; p >= 0 && depth[static_cast<std::size_t>(u)] <= units;
             p = s.units()[static_cast<std::size_t>(p)].parent)
            ++depth[static_cast<std::size_t>(u)];
    std::vector<int> order(static_cast<std::size_t>(units));
    for (int u = 0; u < units; ++u) order[static_cast<std::size_t>(u)] = u;
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return depth[static_cast<std::size_t>(a)] > depth[static_cast<std::size_t>(b)]; });
    for (auto& year : pop) {
        std::vector<std::int64_t> child_sum(static_cast<std::size_t>(units), 0);
        std::vector<char> has_child(static_cast<std::size_t>(units), 0);
        for (int u : order) {
            auto& v = year[static_cast<std::size_t>(u)];
            if (v < 0) v = has_child[static_cast<std::size_t>(u)] ? child_sum[static_cast<std::size_t>(u)] : 0;
            const int p = s.units()[static_cast<std::size_t>(u)].parent;
            if (p >= 0) {
                child_sum[static_cast<std::size_t>(p)] = add_dong(child_sum[static_cast<std::size_t>(p)], v);
                has_child[static_cast<std::size_t>(p)] = 1;
            }
        }
    }
    return pop;
}

}  // namespace subsim
