#pragma once
/// Running a compiled scenario into a sink. The exact sink builds every budget line the
/// reports need (Results); the totals sink keeps only year × payer, year × unit × payer,
/// year × rule and the insured person-months behind coverage, for many quick runs
/// (comparison, solve). Both compute the same đồng: the exact path is the reference.
#include <cstdint>
#include <functional>
#include <vector>

#include "subsim/core/headcount.hpp"
#include "subsim/core/money.hpp"
#include "subsim/sim/compiled.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {

class Executor;

/// The totals of a run, dense. Leaves are the lowest-level units, in unit order.
struct Totals {
    int first_year = 0;
    int years = 0;
    int payers = 0;
    int rules = 0;
    std::vector<int> leaves;               ///< unit index of each leaf
    std::vector<Dong> year_payer;          ///< [year][payer]
    std::vector<Dong> year_leaf_payer;     ///< [year][leaf][payer]
    std::vector<Dong> year_rule;           ///< [year][rule]
    std::vector<Headcount> insured;        ///< [year][leaf]: insured person-months

    Dong cost(int year, int payer) const {
        return year_payer[static_cast<std::size_t>(year - first_year) * payers + payer];
    }
    Dong cost(int year, int leaf, int payer) const {
        return year_leaf_payer[(static_cast<std::size_t>(year - first_year) * leaves.size() + leaf) * payers + payer];
    }
    Dong rule_cost(int year, int rule) const {
        return year_rule[static_cast<std::size_t>(year - first_year) * rules + rule];
    }
    Dong year_total(int year) const;
    /// Yearly-average insured persons (person-months ÷ 12, rounded half-up) per leaf.
    Headcount insured_average(int year, int leaf) const;
};

/// Every budget line, cohort cost, coverage row and overlap transfer. `values`: slot
/// values to use instead of the scenario's own (nullptr: the baseline).
Results run_exact(const CompiledScenario& c, const Executor& executor, const SlotValues* values = nullptr);

/// The exact sink one year at a time, in year order: `consume` receives each year's
/// budget lines, cohort costs, coverage rows and transfers (no warnings), in the order
/// run_exact gives them; the rows are reused for the next year once it returns, so
/// memory holds at most two years. With more than one thread the next year is costed
/// while `consume` works. Concatenating the parts gives run_exact's Results.
void run_exact_by_year(const CompiledScenario& c, const Executor& executor,
                       const std::function<void(const Results&)>& consume, const SlotValues* values = nullptr);

/// Totals only: the same đồng as summing run_exact's lines, without building them.
Totals run_totals(const CompiledScenario& c, const Executor& executor, const SlotValues* values = nullptr);

}  // namespace subsim
