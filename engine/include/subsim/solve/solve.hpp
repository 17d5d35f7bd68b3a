#pragma once
/// The inverse question: what support level reaches the coverage target, or fits the
/// budget? A rule's share is searched in steps of 0.01 percentage point (0.00% … 100.00%)
/// by bisection on the compiled scenario (exact totals runs): coverage and cost both
/// rise with the share, so the answer is the smallest share meeting a coverage target by
/// a year, or the largest keeping a payer's cost in a year within a budget.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "subsim/core/decimal.hpp"
#include "subsim/core/money.hpp"
#include "subsim/model/scenario.hpp"

namespace subsim {

class Executor;

struct SolveRequest {
    std::string rule;  ///< the rule whose share varies (must be a share, not a fixed amount)
    enum class Kind { coverage, budget } kind = Kind::coverage;
    // coverage ≥ target in year `year`, province-wide or in `unit`
    Decimal target;
    std::string unit;  ///< a unit code, or empty for every unit together
    // the payer's cost in `year` ≤ budget
    Dong budget = 0;
    std::string payer;
    int year = 0;
};

/// One share tried.
struct SolveStep {
    std::int64_t hundredths = 0;  ///< the share in hundredths of a percent (7050 = 70.50%)
    Dong cost = 0;                ///< the payer's cost in the year (budget), or the total (coverage)
    Decimal coverage;             ///< coverage in the year (fraction of the population)
    bool meets = false;
};

struct SolveResult {
    SolveRequest request;
    bool found = false;
    std::int64_t hundredths = 0;          ///< the answer, if found
    std::int64_t max_hundredths = 10000;  ///< the largest share the other rules leave room for
    SolveStep at_answer;                  ///< the scenario at the answer
    std::optional<SolveStep> beyond;      ///< 0.01 point beyond it (does not meet), if within 0–max
    std::vector<SolveStep> path;          ///< every share tried, in order
    Text message;                         ///< what was found, in both languages
};

/// "70.50%" for 7050.
std::string share_text(std::int64_t hundredths);

/// Throws ScenarioError for an ill-posed request: an unknown rule (nearest id suggested),
/// a fixed-amount rule, a payer the rule does not use, a year not simulated, an unknown
/// unit, a target outside 0–100%. When no share in 0–100% meets the target, `found` is
/// false and `message` says so (not an error).
SolveResult solve(const Scenario& s, const SolveRequest& request, const Executor& executor);

/// A variant of `s` with the rule at the answer, as YAML text (extends `extends_path`).
std::string solve_variant_yaml(const Scenario& s, const SolveResult& r, const std::string& extends_path);

}  // namespace subsim
