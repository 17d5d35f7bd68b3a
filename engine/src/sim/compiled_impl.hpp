#pragma once
// Private to sim/: the layout of a compiled scenario. Dense arrays indexed by year, leaf,
// group, rule and month segment; values a run may change live in slots.
#include <array>
#include <cstdint>
#include <vector>

#include "subsim/core/headcount.hpp"
#include "subsim/core/money.hpp"
#include "subsim/population/projection.hpp"
#include "subsim/population/takeup.hpp"
#include "subsim/sim/compiled.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {

/// Months of a year over which every dated input is constant: costing a segment of n
/// months as n identical monthly lines gives the same đồng as month by month.
struct SegmentPlan {
    int first_month = 1;  ///< 1..12
    int last_month = 12;  ///< inclusive
    int months = 12;
    std::array<int, 4> months_in_quarter{};
    int salary_slot = -1;  ///< the base-salary entry in force
    int rate_slot = -1;    ///< the contribution-rate entry in force
    std::vector<char> rule_in_force;  ///< per rule
    /// Per group: the slot of the group-wide enrolment share in force (or the default).
    std::vector<int> enrol_slot;
    /// Per group with unit-specific entries in force: per unit, the slot that applies
    /// (the unit's own entry, else its nearest ancestor's; -1: the group-wide one).
    std::vector<std::vector<int>> enrol_unit_slot;
    /// Per leaf: valid on the first day of the segment's months (empty: every leaf is;
    /// a scenario without validity periods). Months differ in this as in any input.
    std::vector<char> leaf_valid;
    bool valid(std::size_t leaf) const { return leaf_valid.empty() || leaf_valid[leaf] != 0; }
};

struct OverlapRef {
    int group_a = 0;
    int group_b = 0;
    Headcount persons = 0;
};

struct InflowRef {
    int month_index = 0;  ///< YearMonth::index()
    int group = 0;
    Headcount persons = 0;
};

struct CompiledScenario::Impl {
    Scenario scenario;  ///< a copy sharing the bulk data
    int first_year = 0;
    int years = 0;
    int units = 0;
    int groups = 0;
    int rules = 0;
    int payers = 0;
    Rounding rounding = Rounding::half_up;
    std::array<int, 12> quarter_of_month{};

    std::vector<int> leaves;                   ///< unit indices of the lowest-level units
    std::vector<int> leaf_of_unit;             ///< unit → leaf index, or -1
    std::vector<int> rule_payer;               ///< per rule
    std::vector<std::vector<int>> rules_of_group;  ///< per group, sorted rule indices
    std::vector<std::size_t> line_offset;      ///< per group: first (group, rule) line slot
    std::vector<char> match;                   ///< [unit][rule]: the rule's condition holds
    std::vector<char> time_limited;            ///< per group
    std::vector<int> duration;                 ///< per group (months)
    /// Per group: persons change month by month (time-limited, or defined by age).
    std::vector<char> monthly;
    std::vector<int> age_group;                ///< per group: its index among the age groups, or -1
    int age_groups = 0;
    /// Persons of each age group on the 1st of each month: [year][leaf][age group][month].
    std::vector<Headcount> age_persons;

    std::vector<Slot> slots;
    int rule_slot0 = 0;          ///< rules' slots start here (one per rule)
    int cohort_scale_slot0 = 0;  ///< one per group
    int default_enrolment_slot = 0;

    std::vector<std::vector<SegmentPlan>> plans;       ///< per year
    CohortTable persons;                               ///< [year][unit][group]
    std::vector<std::vector<OverlapRef>> overlaps;     ///< per year × leaf
    std::vector<std::vector<InflowRef>> inflows;       ///< per leaf
    std::vector<std::vector<std::int64_t>> population; ///< [year][unit], -1 = none given or derived
    std::vector<const Decimal*> target;                ///< [year][unit], nullptr = none
    /// Per year, an upper bound on the budget lines and cohort rows a run writes.
    std::vector<std::size_t> line_bound, cohort_bound;

    std::vector<Warning> warnings;
    /// Figures carried on the change date of a crosswalk within the scenario (persons,
    /// population, targets, overlaps, inflows of the old units taken by the new ones).
    std::vector<CarriedFigure> carried;
    std::vector<Decimal> carried_targets;  ///< storage `target` points into

    // Take-up: groups whose enrolment answers to what the person still pays.
    std::vector<int> takeup_of_group;             ///< per group: index into curves, or -1
    std::vector<dynamics::TakeupCurve> curves;
    std::vector<const TakeupEntry*> takeup;       ///< per curve: its entry (retention)

    bool applies(int rule, int unit) const {
        return match[static_cast<std::size_t>(unit) * static_cast<std::size_t>(rules) + static_cast<std::size_t>(rule)] != 0;
    }
    /// Persons of an age group in a month (1..12), before the group's scale.
    Headcount age_persons_at(int year_index, int leaf, int group, int month) const {
        return age_persons[((static_cast<std::size_t>(year_index) * leaves.size() + static_cast<std::size_t>(leaf)) *
                                static_cast<std::size_t>(age_groups) +
                            static_cast<std::size_t>(age_group[static_cast<std::size_t>(group)])) *
                               12 +
                           static_cast<std::size_t>(month - 1)];
    }
    std::size_t year_leaf(int year_index, int leaf) const {
        return static_cast<std::size_t>(year_index) * leaves.size() + static_cast<std::size_t>(leaf);
    }
};

/// What the rules in force for one cohort pay a person a month, added up the way compile
/// checks it against the contribution (check_shares) and solve bounds a share by it.
struct Package {
    Decimal shares = Decimal::whole(0);
    Dong amounts = 0;  ///< fixed amounts
    Dong rounded = 0;  ///< each rule's amount as its lines cost it (rounded on its own)
    /// Adds a rule's share or fixed amount; false if the shares pass the range of a Decimal.
    bool add(const Rule& rule, const Decimal& contribution, Rounding rounding);
    bool add_share(const Decimal& share, const Decimal& contribution, Rounding rounding);
    /// How the package passes the contribution, the first of: shares over 100%, shares and
    /// fixed amounts over the contribution, the amounts each rounded over the contribution
    /// rounded the same way (rounding up 66.67% + 33.33%).
    enum class Excess { none, shares, amounts, rounded };
    Excess excess(const Decimal& contribution, Rounding rounding) const;
};

/// Coverage per year and unit from the insured person-months of each leaf ([year][leaf]):
/// a leaf's yearly average over the months it is valid; a parent's, over its own
/// months, the sum of its leaves' (run_exact() and validate() share it).
std::vector<CoverageRow> coverage_from(const CompiledScenario::Impl& c, const std::vector<Headcount>& insured_pm,
                                       bool with_targets);
/// The same for years [first, first + count) only, `insured_pm` holding those years ×
/// leaves, appended to `rows` (one year at a time: run_exact_by_year()).
void append_coverage_from(const CompiledScenario::Impl& c, const Headcount* insured_pm, int first, int count,
                          bool with_targets, std::vector<CoverageRow>& rows);

/// Enrolment rates of the take-up groups per year, segment, leaf and curve
/// ([year][segment] → [leaf × curves]), for the per-segment contributions and per-rule
/// amounts of one run (đồng, as doubles: every value is a whole number well below 2⁵³).
/// A cohort's out-of-pocket amount a year is 12 × (contribution − the state's amount per
/// person-month for its group in its unit); the rate is the curve's at that amount,
/// rounded to 10⁻⁶. With retention, a year whose support is lower than the year
/// before's starts a decay: year k after it gets curve + max(0, last − curve) × w_k.
std::vector<std::vector<std::vector<double>>> takeup_rates(const CompiledScenario::Impl& c,
                                                           const std::vector<std::vector<double>>& contribution,
                                                           const std::vector<std::vector<std::vector<double>>>& amount);

}  // namespace subsim
