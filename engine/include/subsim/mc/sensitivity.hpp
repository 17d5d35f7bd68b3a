#pragma once
/// Sensitivity runs: thousands of futures drawn from a scenario's `uncertainty` entries,
/// each costed on the compiled scenario in double precision; percentiles per year and
/// payer, the distribution of each variant's difference from the base on common random
/// numbers, a tornado, and Sobol' indices. Draw i of input k is a pure function of
/// (seed, i, k): results are byte-identical whatever the thread count.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "subsim/mc/saltelli.hpp"
#include "subsim/mc/summary.hpp"
#include "subsim/model/scenario.hpp"

namespace subsim {

class Executor;

struct SensitivityOptions {
    std::uint64_t draws = 1000;
    std::uint64_t seed = 1;
    /// Rows N of the Saltelli design (N × (k + 2) runs); 0: no Sobol' indices.
    std::size_t sobol_rows = 0;
    /// Outputs for the Sobol' indices, named cost:YEAR:PAYER (cost:all:total for the whole
    /// period); empty: every year × payer and the totals.
    std::vector<std::string> sobol_outputs;
    std::size_t bootstrap = 500;
    double converged_width = 0.1;
    bool keep_draws = false;
    /// Called now and then from the calling thread with (runs done, runs in all).
    std::function<void(std::uint64_t, std::uint64_t)> progress;
};

/// Largest number of draws (more needs --force).
inline constexpr std::uint64_t kMaxDraws = 100'000;

struct TornadoRow {
    int input = 0;             ///< index into the uncertainty entries
    std::string output;        ///< cost:YEAR:PAYER
    double low_value = 0;      ///< the input at its P5
    double high_value = 0;     ///< and at its P95
    double at_low = 0;         ///< the output with the input at P5, others at baseline
    double at_high = 0;
    double swing = 0;          ///< |at_high − at_low|
};

struct SensitivityResult {
    std::vector<std::string> scenario_ids;  ///< the base first, then the variants
    std::vector<UncertaintyEntry> inputs;
    std::vector<std::string> outputs;       ///< cost:YEAR:PAYER, cost:YEAR:total, cost:all:…
    std::vector<double> baseline;           ///< per output: the base at its own values
    std::vector<mc::Summary> base;          ///< per output
    std::vector<std::vector<mc::Summary>> difference;  ///< per variant, per output: variant − base
    std::vector<std::string> unit_codes;    ///< lowest-level units
    std::vector<std::string> unit_names;
    std::vector<mc::Summary> unit_total;    ///< per unit: whole period, every payer (base)
    std::vector<TornadoRow> tornado;        ///< sorted by output, then swing (largest first)
    std::optional<mc::SobolIndices> sobol;
    std::vector<std::string> sobol_outputs;
    std::size_t sobol_rows = 0;
    std::uint64_t draws = 0;
    std::uint64_t seed = 0;
    std::vector<double> draw_inputs;        ///< --keep-draws: [draw][input] (the first value of per-unit/group entries)
    std::vector<double> draw_outputs;       ///< --keep-draws: [draw][output] (base)
    /// Inputs a variant sets itself: they are not drawn in that variant (its value stands).
    std::vector<Warning> warnings;
};

/// What run_sensitivity() would refuse in `s`'s own uncertainty entries, without drawing:
/// a share that could push support over 100%, enrolment drawn for a take-up group. Throws
/// ScenarioError; nothing when the scenario has no entries. (engine::validate calls it, so
/// that `validate` finds everything `sensitivity` would refuse.)
void check_uncertainty(const Scenario& s, const Executor& executor);

/// Runs the sensitivity study of `scenarios` (the base first; variants share its draws).
/// The base's `uncertainty` entries are used. Throws ScenarioError for entries that do not
/// fit (a share that could push a cohort's support over 100%, a target a variant lacks is
/// skipped for it) and for a Sobol' output that does not exist.
SensitivityResult run_sensitivity(const std::vector<Scenario>& scenarios, const Executor& executor,
                                  const SensitivityOptions& options);

}  // namespace subsim
