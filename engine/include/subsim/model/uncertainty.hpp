#pragma once
/// What a sensitivity run varies: each entry names a value of the scenario (anything a
/// variant can patch) and the distribution of its uncertain future.
///
///     uncertainty:
///       - {target: rules.nq25_b_aged_70_74.share, dist: uniform, low: 50%, high: 100%, ...}
///       - {target: cohorts.aged_70_74.scale, dist: normal, mean: 1, sd: 0.05, per: unit, ...}
///       - {target: parameters.base_salary, from: 2027-07-01, dist: discrete, values: [...], probs: [...]}
#include <optional>
#include <string>
#include <vector>

#include "subsim/core/date.hpp"
#include "subsim/core/error.hpp"
#include "subsim/mc/distribution.hpp"

namespace subsim {

struct UncertaintyEntry {
    /// What it varies, as written: rules.ID.share, rules.ID.amount, cohorts.GROUP.scale,
    /// cohorts.scale (every group), enrolment.GROUP, enrolment.default,
    /// parameters.base_salary, parameters.contribution_rate.
    std::string target;
    std::optional<Date> from;  ///< parameters: the date of the value varied
    mc::DistributionSpec distribution;
    /// all: one draw shared by every unit (and group); unit: a draw per unit
    /// (cohorts.GROUP.scale); group: a draw per group (cohorts.scale, enrolment of every group).
    enum class Per { all, unit, group } per = Per::all;
    std::string factor;   ///< a common factor's name: entries sharing it are correlated
    double loading = 0;   ///< the correlation of this entry's normal score with the factor's
    std::string reference;
    std::string confidence;
    SourceLocation where;
};

}  // namespace subsim
