#pragma once
/// Semantic checks on a loaded scenario (the loader already checked syntax, types and
/// references). Errors throw ScenarioError naming file, line, key; findings that do
/// not stop a run are returned as warnings.
#include <vector>

#include "subsim/core/error.hpp"
#include "subsim/model/scenario.hpp"

namespace subsim {

/// Throws ScenarioError on the first inconsistency:
/// - a simulated month with no base salary or contribution rate in force;
/// - rules whose shares for one cohort (group × unit × month) add up to over 100%
///   (the message names the rules);
/// - a rule paid by `commune` when no unit is a commune;
/// - a declared payer no rule uses;
/// - overlaps larger than either group (given years);
/// - cohort rows for a time-limited group, or inflows for one that is not.
/// Returns warnings: children's coverage targets not adding up to the parent's, etc.
std::vector<Warning> validate(const Scenario& s);

}  // namespace subsim
