#pragma once
/// Invariants every simulated result must hold, whatever the (accepted) input:
/// each line's cost is the sum of its quarters and not negative, and every aggregate
/// reconciles to the đồng with the lines it is made from.
#include <map>
#include <string>

#include "fuzz_common.hpp"
#include "subsim/core/money.hpp"
#include "subsim/sim/results.hpp"

namespace subsim::fuzz {

inline void check_results(const Results& r) {
    std::map<int, Dong> by_year;
    Dong all_lines = 0;
    for (const BudgetLine& line : r.lines) {
        Dong quarters = 0;
        for (Dong q : line.quarter_cost) quarters = add_dong(quarters, q);
        if (quarters != line.cost) finding("a budget line's quarters do not add up to its cost");
        if (line.cost < 0) finding("a negative budget line cost");
        if (line.person_months < 0) finding("negative person-months on a budget line");
        by_year[line.year] = add_dong(by_year[line.year], line.cost);
        all_lines = add_dong(all_lines, line.cost);
    }
    Dong by_payer = 0;
    for (const YearPayerTotal& t : totals_by_year_payer(r)) {
        if (t.payer != -1) {
            by_payer = add_dong(by_payer, t.cost);
            continue;
        }
        const auto year = by_year.find(t.year);
        const Dong expected = year == by_year.end() ? 0 : year->second;
        if (t.cost != expected) finding("a year's total differs from the sum of its budget lines");
    }
    if (by_payer != all_lines) finding("totals by year and payer do not add up to the budget lines");
    Dong by_unit = 0;
    for (const UnitPayerTotal& t : totals_by_unit(r)) by_unit = add_dong(by_unit, t.cost);
    if (by_unit != all_lines) finding("totals by unit do not add up to the budget lines");
    Dong by_quarter = 0;
    for (const QuarterTotal& t : totals_by_quarter(r)) by_quarter = add_dong(by_quarter, t.cost);
    if (by_quarter != all_lines) finding("totals by quarter do not add up to the budget lines");
    for (const CohortCost& c : r.cohort_costs)
        if (c.person_months < 0) finding("negative person-months on a cohort");
    (void)rule_transfers(r);
}

}  // namespace subsim::fuzz
