#pragma once
/// The simulator: project headcounts, resolve rules, cost month by month.
#include "subsim/model/scenario.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {

/// compile() then run_exact() (sim/compiled.hpp, sim/run.hpp) in one call. The scenario
/// must have passed validate(); throws ScenarioError for inconsistencies only visible
/// after projection (an overlap larger than a projected group, figures too large).
struct SimOptions {
    /// Threads (years run in parallel). 0: SUBSIM_THREADS, else the number of cores.
    /// Results are identical for any value.
    int threads = 0;
};

Results simulate(const Scenario& scenario, const SimOptions& options = {});
/// Results point into the scenario: it must outlive them, so a temporary is refused.
Results simulate(const Scenario&& scenario, const SimOptions& options = {}) = delete;

/// Contribution per person-month on `d`: rate × base salary, exact.
/// Throws ScenarioError if no base salary or rate is in force.
Decimal contribution_on(const Scenario& s, Date d);

}  // namespace subsim
