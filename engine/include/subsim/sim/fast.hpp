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
    /// Reusable buffers: one per thread.
    struct Scratch {
        std::vector<double> persons, base, amount, contribution;
        std::vector<std::pair<std::size_t, double>> dropped;  ///< overlaps leaving monthly groups
        /// Take-up rates [year][segment][leaf × curve] for the parameter and rule slot values
        /// last seen (a few sets: a drawn salary or rate takes few values), and their keys.
        std::vector<std::vector<double>> takeup_keys;
        std::vector<std::vector<std::vector<std::vector<double>>>> takeup_rates;
        std::size_t takeup_at = 0, takeup_next = 0;
    };

    /// The scenario's own slot values, as doubles.
    std::vector<double> baseline() const;

    /// One run. `slots`: a value per slot (as baseline()); `leaf_group_scale`: a factor
    /// per leaf × group on persons, or nullptr (1 everywhere). Slot cohort scales apply too.
    void run(const double* slots, const double* leaf_group_scale, Outputs& out, Scratch& scratch) const;

    /// Cost of every budget line, [year][leaf][line slot] (tests: agreement with the exact path).
    std::vector<double> run_lines(const double* slots) const;

private:
    struct Impl;
    std::unique_ptr<const Impl> impl_;
};

}  // namespace subsim
