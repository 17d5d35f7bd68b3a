#pragma once
/// A scenario compiled once and run many times. compile() does every input check that
/// needs the projection (an overlap larger than its projected group, totals beyond the
/// range of whole đồng) and lays the scenario out as dense arrays: months grouped into
/// segments over which every dated input is constant, persons per year × unit × group,
/// rule-unit matches, overlaps and inflows per unit. Running it cannot fail on input.
///
/// Every value a run can change is a named parameter slot (a base-salary entry, a rule's
/// share, an enrolment share, …): solve and sensitivity runs change slot values, never
/// re-reading, re-validating or re-planning the scenario.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "subsim/core/decimal.hpp"
#include "subsim/model/scenario.hpp"

namespace subsim {

class Executor;

/// What a parameter slot holds.
enum class SlotKind {
    base_salary,        ///< parameters.base_salary@DATE: đồng per month
    contribution_rate,  ///< parameters.contribution_rate@DATE: fraction of the base salary
    rule_share,         ///< rules.ID.share: fraction of the contribution
    rule_amount,        ///< rules.ID.amount: đồng per person-month
    enrolment,          ///< enrolment.GROUP@DATE (group-wide) or enrolment.GROUP@DATE@UNIT
    default_enrolment,  ///< enrolment.default
    cohort_scale,       ///< cohorts.GROUP.scale: a factor on the group's persons (1 = as given)
};

struct Slot {
    std::string name;  ///< e.g. "rules.nq25_b_aged_70_74.share"
    SlotKind kind;
    Decimal value;     ///< the scenario's own value (đồng slots hold whole numbers)
    int index = 0;     ///< the rule, group, or timeline/enrolment entry it belongs to
};

/// Slot values for one run: the baseline with some values changed.
using SlotValues = std::vector<Decimal>;

class CompiledScenario {
public:
    struct Impl;
    explicit CompiledScenario(std::unique_ptr<const Impl> impl);
    CompiledScenario(CompiledScenario&&) noexcept;
    CompiledScenario& operator=(CompiledScenario&&) noexcept;
    ~CompiledScenario();

    /// The scenario it was compiled from (a copy sharing the bulk data).
    const Scenario& scenario() const;
    const std::vector<Slot>& slots() const;
    /// The slot of that name, or -1.
    int find_slot(std::string_view name) const;
    /// Every slot at the scenario's own value.
    SlotValues baseline() const;
    /// Warnings found while compiling (e.g. coverage above 100%).
    const std::vector<Warning>& warnings() const;

    const Impl& impl() const { return *impl_; }

private:
    std::unique_ptr<const Impl> impl_;
};

/// Compiles a scenario that passed validate(). Throws ScenarioError (file, line, key)
/// for what only the projection shows; `executor` projects units in parallel.
CompiledScenario compile(const Scenario& s, const Executor& executor);

}  // namespace subsim
