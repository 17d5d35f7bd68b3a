#pragma once
/// Enrolment (take-up) of partly supported groups as a function of what the person still pays.
///
/// A curve gives the enrolment rate for an out-of-pocket amount p (đồng per person per year):
///
///     rate(p) = min(ceiling, s(p))            for p > 0
///     rate(0) = min(ceiling, s(0) + jump)     (full support: the extra jump at zero)
///
/// with the smooth part s either
///   - logistic:  s(p) = ceiling / (1 + exp(−(α + β·p/10^6))), β ≤ 0 (log-odds per million đồng), or
///   - piecewise linear through points (p_i, r_i), flat beyond the first and last point,
///     shifted by δ and kept within [0, ceiling]: s(p) = clamp(pl(p) + δ, 0, ceiling).
/// The intercept (α, or δ) is solved so that rate(baseline) = observed exactly.
///
/// Doubles: enrolment rates are projections, quantized by the caller.
#include <span>
#include <string>
#include <vector>

#include "subsim/core/money.hpp"
#include "subsim/core/text.hpp"

namespace subsim::dynamics {

enum class TakeupShape { logistic, piecewise_linear };

/// One point of a piecewise-linear curve: the rate at an out-of-pocket amount per year.
struct PricePoint {
    Dong out_of_pocket = 0;
    double rate = 0.0;
};

/// A take-up curve as given in a scenario, before calibration.
struct TakeupSpec {
    TakeupShape shape = TakeupShape::logistic;
    double slope_per_million = 0.0;  ///< logistic: change of log-odds per 1,000,000 đ a year (≤ 0)
    std::vector<PricePoint> points;  ///< piecewise: p strictly increasing, rate not increasing
    double jump_at_zero = 0.0;       ///< added to the rate when the person pays nothing (0..1)
    double ceiling = 1.0;            ///< the rate never exceeds it (0 < ceiling ≤ 1)
    Dong baseline_out_of_pocket = 0; ///< what the person paid when `observed_rate` was observed
    double observed_rate = 0.0;      ///< enrolment observed at the baseline amount (≤ ceiling)
};

/// One reason a take-up input is not usable; `key` names the field ("slope", "points",
/// "ceiling", "observed_rate", "jump_at_zero", "baseline_out_of_pocket", "years",
/// "keep_per_year", "close_share"), `index` the point where there is one.
struct TakeupProblem {
    std::string key;
    int index = -1;
    Text message;
};

/// Every problem: rates outside 0–1; a ceiling below the observed rate; a positive logistic
/// slope (enrolment would rise with the price); points not strictly increasing in price or whose
/// rate rises with the price; fewer than two points; a negative amount; an observed rate that no
/// curve of this shape can return (logistic: needs 0 < observed − jump·[baseline = 0] < ceiling;
/// piecewise at baseline 0: observed ≥ jump).
std::vector<TakeupProblem> check(const TakeupSpec& spec);

/// A calibrated curve.
class TakeupCurve {
public:
    /// Solves the intercept. Precondition: check(spec) is empty (else throws std::invalid_argument).
    static TakeupCurve calibrate(const TakeupSpec& spec);

    /// Enrolment rate when the person pays `out_of_pocket` đồng a year (≤ 0 counts as 0).
    double rate(Dong out_of_pocket) const;
    /// The smooth part s(p) without the jump at zero and without the ceiling's cut.
    double smooth(Dong out_of_pocket) const;
    /// Logistic: α (log-odds at p = 0); piecewise linear: the shift δ.
    double intercept() const { return intercept_; }
    const TakeupSpec& spec() const { return spec_; }

private:
    TakeupSpec spec_;
    double intercept_ = 0.0;
};

/// The logistic slope (per million đồng) whose point elasticity of enrolment with respect to the
/// out-of-pocket amount equals `elasticity` at the baseline: for s = c·σ(z),
/// ε = β·p0/10^6·(1 − observed/c), so β = ε·10^6 / (p0·(1 − observed/c)).
/// Preconditions: p0 > 0, 0 < observed < ceiling, elasticity ≤ 0.
double logistic_slope_for_elasticity(double elasticity, Dong baseline_out_of_pocket, double observed_rate,
                                     double ceiling);

// ---- paths over years -------------------------------------------------------------------

/// How enrolment decays after a local top-up ends.
enum class RetentionForm {
    linear,     ///< gap × (N − k)/N in the k-th year without the top-up: gone after N years
    geometric,  ///< gap × keep^k in year k < N, gone from year N on
};

struct Retention {
    RetentionForm form = RetentionForm::linear;
    int years = 3;               ///< N ≥ 1
    double keep_per_year = 0.5;  ///< geometric only: share of the gap kept each year, 0 ≤ keep < 1
};

std::vector<TakeupProblem> check(const Retention& retention);

/// Enrolment in the years after a top-up ends. `with_topup` is the rate in the last year with it;
/// `curve_after[k − 1]` is the curve's rate (without the top-up) in the k-th year after it ended.
/// Year k: curve + max(0, with_topup − curve) × w_k, with w_k from the retention form.
std::vector<double> retention_path(double with_topup, std::span<const double> curve_after, const Retention& retention);

/// Check for a ramp's share: 0 < close_share ≤ 1.
std::vector<TakeupProblem> check_ramp(double close_share);

/// Enrolment moving toward `targets` (one per year) by closing `close_share` of the gap each year:
/// r_k = r_{k−1} + close_share × (targets[k] − r_{k−1}), with r_{−1} = start.
std::vector<double> ramp_path(double start, std::span<const double> targets, double close_share);

}  // namespace subsim::dynamics
