#pragma once
// Private to sim/: the layout of a compiled scenario. Dense arrays indexed by year, leaf,
// group, rule and month segment; values a run may change live in slots.
#include <array>
#include <cstdint>
#include <vector>

#include "subsim/core/headcount.hpp"
#include "subsim/core/money.hpp"
#include "subsim/population/projection.hpp"
#include "subsim/sim/compiled.hpp"

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

    bool applies(int rule, int unit) const {
        return match[static_cast<std::size_t>(unit) * static_cast<std::size_t>(rules) + static_cast<std::size_t>(rule)] != 0;
    }
    std::size_t year_leaf(int year_index, int leaf) const {
        return static_cast<std::size_t>(year_index) * leaves.size() + static_cast<std::size_t>(leaf);
    }
};

}  // namespace subsim
