#pragma once
// Private to the engine: the months of a year grouped into segments over which every
// dated input (base salary, rate, rules, enrolment) is constant. Costing a segment of
// n months as n identical monthly lines gives the same đồng as costing month by month.
#include <array>
#include <utility>
#include <vector>

#include "subsim/model/scenario.hpp"

namespace subsim::detail {

struct MonthState {
    Decimal contribution;               ///< rate × base salary, exact
    std::vector<char> rule_in_force;    ///< per rule
    std::vector<Dong> rule_amount;      ///< per rule, đồng per person-month (0 if not in force)
    std::vector<Decimal> enrol_group;   ///< per group: the group-wide enrolment share
    /// per group: unit-specific shares (unit, share), sorted by unit
    std::vector<std::vector<std::pair<int, Decimal>>> enrol_unit;

    bool operator==(const MonthState&) const = default;

    Decimal enrolment(int group, int unit) const;
};

struct Segment {
    int year = 0;
    int first_month = 1;  ///< 1..12
    int last_month = 12;  ///< inclusive
    int months = 12;
    std::array<int, 4> months_in_quarter{};
    MonthState state;
};

/// The state on the first day of `month` of `year`. Throws ScenarioError if no base
/// salary or contribution rate is in force (naming the scenario's parameters).
MonthState month_state(const Scenario& s, int year, int month);

/// Consecutive months with equal state, for one year.
std::vector<Segment> plan_year(const Scenario& s, int year);

}  // namespace subsim::detail
