#pragma once
/// Comparing policy variants with a baseline before a council vote: what each variant
/// costs against the base, per year, payer, commune and policy point; how its provisions
/// add up (the stacked estimate); who gains or loses support.
#include <optional>
#include <string>
#include <vector>

#include "subsim/core/error.hpp"
#include "subsim/core/money.hpp"
#include "subsim/model/scenario.hpp"
#include "subsim/sim/compiled.hpp"
#include "subsim/sim/results.hpp"
#include "subsim/sim/run.hpp"

namespace subsim {

class Executor;

/// One scenario of a comparison: compiled and run exactly.
struct ScenarioRun {
    std::shared_ptr<const Scenario> scenario;
    std::unique_ptr<CompiledScenario> compiled;
    Results results;  ///< points into *compiled
    std::vector<Warning> warnings;
};

/// One provision of a variant added to the base and the ones before it (Tax-Brain's
/// stacked estimate): its increment per year and payer; the increments of a variant's
/// provisions sum exactly to the variant's difference from the base. `alone` is the
/// provision added to the base by itself (nullopt where it cannot stand alone: it
/// changes something an earlier provision adds).
struct StackedStep {
    int variant = 0;               ///< index into Comparison::variants
    int order = 0;                 ///< 1, 2, … in the declared order
    std::string key;               ///< Provision::key, or "scenario" for a whole scenario
    Text label;
    std::vector<Dong> increment;   ///< [year][payer], base years × Comparison::payer_ids
    std::optional<std::vector<Dong>> alone;
};

struct CompareOptions {
    /// Compare scenarios whose unit lists differ on the units they have in common (the
    /// others are listed in a warning); without it, different unit lists are an error.
    bool allow_unit_changes = false;
};

struct Comparison {
    ScenarioRun base;
    std::vector<ScenarioRun> variants;
    std::vector<StackedStep> stacked;
    /// The payers of the stacked increments: the base's, then those only a variant has.
    std::vector<std::string> payer_ids;
    /// Per variant: its unit index for each base unit (-1: not in the variant).
    std::vector<std::vector<int>> unit_map;
    std::vector<Warning> warnings;  ///< comparison findings (units only in one scenario, …)
};

/// What compare() checks before running anything (sensitivity with variants too): every
/// id differs from the others and from the base's; every variant covers the base's years
/// (a year only one of them costs would read as a 100% difference); every variant has the
/// base's unit codes — unless options.allow_unit_changes, and then at least one in common,
/// the others listed in `warnings`. Throws ScenarioError naming the variant's key (the
/// first differing unit). Returns, per variant, its unit index for each base unit (-1:
/// not in the variant).
std::vector<std::vector<int>> check_comparable(const Scenario& base, const std::vector<const Scenario*>& variants,
                                               const CompareOptions& options, std::vector<Warning>& warnings);

/// Validates, compiles and runs the base and every variant (each must pass everything
/// `run` checks), then works out the stacked estimate of each variant that extends the
/// base. Throws ScenarioError as check_comparable() does.
Comparison compare(std::shared_ptr<const Scenario> base, const std::vector<std::shared_ptr<const Scenario>>& variants,
                   const Executor& executor, const CompareOptions& options = {});

}  // namespace subsim
