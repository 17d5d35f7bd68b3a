#pragma once
/// What a run produces: tidy budget lines (exact đồng) and the tables derived from
/// them. Every aggregate is a sum of lines, so all totals reconcile to the đồng.
#include <array>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "subsim/core/decimal.hpp"
#include "subsim/core/error.hpp"
#include "subsim/core/headcount.hpp"
#include "subsim/core/money.hpp"
#include "subsim/model/scenario.hpp"

namespace subsim {

/// std::allocator, except that resize() leaves new elements of a trivial type
/// uninitialised: the simulator sizes its output for the whole run first and its
/// threads then fill their own parts, so no page is touched twice (see costing.cpp).
template <class T>
struct UninitAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = UninitAllocator<U>;
    };
    UninitAllocator() = default;
    template <class U>
    UninitAllocator(const UninitAllocator<U>&) noexcept {}
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

/// Rows of a result table: a std::vector whose resize() does not zero new rows.
/// Rows have no default member values: write every field (or value-initialise, `{}`).
template <class T>
using RowVector = std::vector<T, UninitAllocator<T>>;

/// One year × unit × group × rule (the payer is the rule's). Costs are sums of monthly
/// lines, each rounded to whole đồng.
struct BudgetLine {
    int year;
    int unit;
    int group;
    int rule;
    int payer;
    Headcount person_months;          ///< enrolled person-months (× kHeadcountScale)
    std::array<Dong, 4> quarter_cost;  ///< by the scenario's transfer quarters
    Dong cost;                         ///< == sum of quarter_cost
};
static_assert(std::is_trivial_v<BudgetLine>);

/// One year × unit × group with state support: the reconciliation form's columns.
struct CohortCost {
    int year;
    int unit;
    int group;
    Headcount person_months;
    Dong contribution_due;  ///< monthly lines of enrolled × contribution, rounded
    Dong state_paid;        ///< sum of the group's budget lines in the unit
    Dong participant_paid() const { return contribution_due - state_paid; }
};
static_assert(std::is_trivial_v<CohortCost>);

/// One year × unit valid in that year (parents aggregate their leaves).
struct CoverageRow {
    int year = 0;
    int unit = 0;
    std::int64_t population = 0;
    /// Average insured persons over the unit's months in the year (person-months ÷
    /// months, 12 for a unit valid all year); a parent's is the sum of its leaves' taken
    /// over the parent's months.
    Headcount enrolled = 0;
    std::optional<Decimal> target;   ///< fraction of population
    int months = 12;                 ///< months of the year the unit is valid
    Headcount person_months = 0;     ///< insured person-months of its leaves in the year
};

/// Overlapping persons moved by the highest-benefit rule: in `unit` and `year`, persons
/// in both groups are paid under `kept_group`'s package and removed from `dropped_group`.
struct OverlapTransfer {
    int year = 0;
    int unit = 0;
    int kept_group = 0;
    int dropped_group = 0;
    Headcount person_months = 0;  ///< enrolled person-months moved
    /// The first month of the months these are (rules in force on its first day are in
    /// force in all of them: one row per month segment of the year).
    int first_month = 1;
};

struct Results {
    const Scenario* scenario = nullptr;
    RowVector<BudgetLine> lines;             ///< sorted by year, unit, group, rule
    RowVector<CohortCost> cohort_costs;      ///< sorted by year, unit, group
    std::vector<CoverageRow> coverage;       ///< sorted by year, unit
    std::vector<OverlapTransfer> transfers;  ///< sorted by year, unit, kept, dropped
    std::vector<Warning> warnings;
    /// Every figure carried from another division: the loader's (inputs keyed on old
    /// units) and those carried on a change date within the run.
    std::vector<CarriedFigure> carried;
};

// ---- Aggregates (all are sums of `lines`; see aggregate.cpp) -------------------------

struct YearPayerTotal { int year; int payer; Dong cost; };          ///< payer -1 = total
struct UnitPayerTotal { int year; int unit; int payer; Dong cost; };
struct QuarterTotal { int year; int quarter; int payer; int unit; Dong cost; };  ///< quarter 0..3
struct RuleTransfer { int year; int rule; Headcount gained; Headcount lost; };  ///< person-months

/// Per year and payer, then a total row (payer = -1) per year. Payers in scenario order.
std::vector<YearPayerTotal> totals_by_year_payer(const Results& r);
/// Per year, leaf unit and payer.
std::vector<UnitPayerTotal> totals_by_unit(const Results& r);
/// Per year, quarter, payer and leaf unit.
std::vector<QuarterTotal> totals_by_quarter(const Results& r);
/// Person-months each rule gained or lost to the highest-benefit rule.
std::vector<RuleTransfer> rule_transfers(const Results& r);

}  // namespace subsim
