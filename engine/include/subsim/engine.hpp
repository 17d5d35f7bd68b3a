#pragma once
/// The engine, in one header: what the command line, the benchmarks and the tests call.
/// Data flows one way:
///
///     load  →  validate (everything a run would refuse)  →  compile  →  run  →  Results
///
/// A scenario is compiled once and can be run many times (into the exact sink for reports,
/// or the totals sink for quick runs); variants are scenarios that patch a base by id.
#include <string>
#include <vector>

#include "subsim/core/executor.hpp"
#include "subsim/io/scenario_loader.hpp"
#include "subsim/model/scenario.hpp"
#include "subsim/sim/compiled.hpp"
#include "subsim/sim/results.hpp"
#include "subsim/sim/run.hpp"

namespace subsim::engine {

/// Reads a scenario (and, for a variant, the chain of scenarios it extends). Throws
/// ScenarioError naming file, line, column and key.
Scenario load(const std::string& path, const LoadOptions& options = {});

/// Checks a scenario as far as a run would: the model checks, compile(), a run into the
/// totals sink and the checks on its figures. Throws ScenarioError on the first problem;
/// returns the findings that do not stop a run.
std::vector<Warning> validate(const Scenario& s, const Executor& executor);

/// The model checks and compile(): what `run` does before costing. Warnings are
/// appended to `warnings`.
CompiledScenario compile(const Scenario& s, const Executor& executor, std::vector<Warning>& warnings);

/// Every budget line of a compiled scenario, checked like validate() checks totals
/// (coverage above 100% is refused). The results point into `compiled`.
Results run(const CompiledScenario& compiled, const Executor& executor);

/// What `sensitivity` would refuse in the scenario's own uncertainty entries, then what
/// run() checks of the figures, from a totals run (cheap): throws before any report is
/// written, so that a streamed run (run_exact_by_year) cannot fail half-way.
void check_run(const CompiledScenario& compiled, const Executor& executor);

/// Checks the figures of a run: enrolled persons above a unit's population. Throws
/// ScenarioError naming the population row.
void check_figures(const CompiledScenario& compiled, const std::vector<CoverageRow>& coverage);

/// The part of check_run() that needs no costing: what `sensitivity` would refuse in the
/// scenario's own uncertainty entries. A streamed run that passes each year's coverage
/// to check_figures() before using it, into a place discarded on failure (publish()),
/// needs only this beforehand.
void check_uncertainty_entries(const CompiledScenario& compiled, const Executor& executor);

}  // namespace subsim::engine
