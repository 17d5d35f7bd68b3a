#pragma once
/// The compiled scenario evaluated in double precision, for thousands of quick runs
/// (sensitivity draws, Sobol' designs): no strings, maps or allocation inside a run.
/// Slot values are doubles; a group's persons may be scaled per unit. At the scenario's
/// own values it reproduces the exact path's rounding (amounts per person-month, persons
/// at 1/10,000, monthly lines to the đồng), so every budget line agrees with the exact
/// one within 1 đồng (a test checks it on every shipped scenario).
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "subsim/sim/compiled.hpp"

namespace subsim {

class FastModel {
public:
    explicit FastModel(const CompiledScenario& compiled);
    ~FastModel();
    FastModel(FastModel&&) noexcept;
    FastModel& operator=(FastModel&&) = delete;
    FastModel(const FastModel&) = delete;

    int years() const;
    int payers() const;
    int leaves() const;
    int groups() const;
    int slots() const;
    /// Budget-line slots per leaf (group × rule pairs), for run_lines().
    int lines_per_leaf() const;

    /// What one run produces.
    struct Outputs {
        std::vector<double> year_payer;  ///< [year][payer], đồng
        std::vector<double> leaf_total;  ///< [leaf]: every payer, every year, đồng
    };
    /// Runs run_batch() does at once (the lanes of its kernel).
    static constexpr std::size_t kLanes = 4;

    /// Reusable buffers: one per thread. A scratch keeps caches for the model it last
    /// served (take-up rates, the month memo and its lines' costs) and clears them when
    /// another model uses it; models are told apart by address, so do not carry a scratch
    /// from a destroyed model to one made after it.
    struct Scratch {
        std::vector<double> persons, base, amount, drop;  ///< [..][lane]
        std::vector<std::size_t> lane_takeup;              ///< per lane: its take-up entry
        std::vector<char> takeup_used;                     ///< per entry: a lane of the batch uses it
        std::vector<double> month_memo;                    ///< per month-by-month group and cell (fast.cpp)
        std::vector<double> line_memo;                     ///< per line of those groups: amount, cost
        std::vector<double> package;                       ///< package amounts overlaps compare [..][lane]
        Outputs spare[kLanes];                             ///< outputs of unused lanes
        /// Take-up rates [year][segment][leaf × curve] for the parameter and rule slot values
        /// last seen (a few sets: a drawn salary or rate takes few values), and their keys.
        std::vector<std::vector<double>> takeup_keys;
        std::vector<std::vector<std::vector<std::vector<double>>>> takeup_rates;
        std::size_t takeup_next = 0;
        const void* owner = nullptr;  ///< the model the take-up rates are for (cleared on a change)
    };

    /// The scenario's own slot values, as doubles.
    std::vector<double> baseline() const;

    /// One run. `slots`: a value per slot (as baseline()); `leaf_group_scale`: a factor
    /// per leaf × group on persons, or nullptr (1 everywhere). Slot cohort scales apply too.
    void run(const double* slots, const double* leaf_group_scale, Outputs& out, Scratch& scratch) const;

    /// n runs, kLanes at a time through one walk of the cells (the same arithmetic as
    /// run(), lane by lane: each run's outputs are those run() gives it). slots[i] and
    /// leaf_group_scale[i] as run()'s arguments, out[i] its outputs.
    void run_batch(std::size_t n, const double* const* slots, const double* const* leaf_group_scale, Outputs* const* out,
                   Scratch& scratch) const;

    /// Cost of every budget line, [year][leaf][line slot] (tests: agreement with the exact path).
    std::vector<double> run_lines(const double* slots) const;

private:
    struct Impl;
    std::unique_ptr<const Impl> impl_;
};

}  // namespace subsim
