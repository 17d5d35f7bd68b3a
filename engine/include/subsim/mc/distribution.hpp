#pragma once
/// Probability distributions of uncertain scenario inputs, each sampled by its own
/// inverse CDF (quantile function) from a uniform u in (0, 1):
///
///     x = distribution.quantile(u)
///
/// The same code serves Monte Carlo draws (u from subsim/mc/random.hpp), quasi-random
/// Sobol' points (subsim/mc/saltelli.hpp) and the P5/P95 ends of a tornado chart
/// (quantile(0.05), quantile(0.95)). No std:: distribution is used.
///
/// Validation. A scenario loader builds a DistributionSpec from the file, then asks
/// check(spec) for a problem before building the Distribution:
///
///     if (auto problem = mc::check(spec))
///         throw ScenarioError(location_of(problem->key), path + "." + problem->key, problem->message);
///     mc::Distribution dist(std::move(spec));
///
/// check() knows no file or line: it names the offending parameter (`key`, spelled as the
/// field below) and gives a catalogue message in both languages; the loader, which knows
/// where each key is in the YAML, adds the location. Building a Distribution from a spec
/// that check() rejects is a programmer bug (std::invalid_argument).
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "subsim/core/decimal.hpp"
#include "subsim/core/text.hpp"

namespace subsim::mc {

/// Uniform on [low, high]; low == high is the constant low.
struct UniformSpec {
    double low = 0.0;
    double high = 1.0;
};

/// Normal with `mean` and standard deviation `sd` (sd == 0: the constant mean),
/// optionally truncated to [low, high] (either end may be absent).
struct NormalSpec {
    double mean = 0.0;
    double sd = 1.0;
    std::optional<double> low;
    std::optional<double> high;
};

/// Log-normal: exp(N(meanlog, sdlog)). The parameters are the mean and the standard
/// deviation of the LOG of the quantity, not of the quantity itself. (A quantity with
/// mean m and standard deviation s has sdlog² = ln(1 + s²/m²), meanlog = ln m − sdlog²/2.)
/// `low`/`high` (optional) truncate it to [low, high], as a normal's: the log of the
/// value is a normal truncated to [ln low, ln high] (low 0 is no bound: the value is > 0).
struct LogNormalSpec {
    double meanlog = 0.0;
    double sdlog = 1.0;
    std::optional<double> low;
    std::optional<double> high;
};

/// Triangular on [low, high] with its peak at `mode` (low ≤ mode ≤ high).
struct TriangularSpec {
    double low = 0.0;
    double mode = 0.5;
    double high = 1.0;
};

/// Beta(alpha, beta), scaled from [0, 1] to [low, high].
struct BetaSpec {
    double alpha = 1.0;
    double beta = 1.0;
    double low = 0.0;
    double high = 1.0;
};

/// A finite list of values with their probabilities (exact decimals that must add up to
/// exactly 100%, as written: "50%, 30%, 20%"). Order does not matter: the quantile
/// function sorts by value.
struct DiscreteSpec {
    std::vector<double> values;
    std::vector<Decimal> probabilities;
};

using DistributionSpec = std::variant<UniformSpec, NormalSpec, LogNormalSpec, TriangularSpec, BetaSpec, DiscreteSpec>;

/// Why a spec is not a distribution: the parameter at fault (a field name above:
/// "sd", "low", "mode", "probabilities", …) and what is wrong with it.
struct ParameterProblem {
    std::string key;
    Text message;
};

/// The first problem with the parameters, or nothing if they describe a distribution.
/// Checked: every number finite; sd, sdlog ≥ 0; low ≤ high; low ≤ mode ≤ high;
/// alpha, beta > 0; a normal's truncation holds probability; values not empty, as many
/// probabilities as values, none negative, and their exact sum 100%.
std::optional<ParameterProblem> check(const DistributionSpec& spec);

/// A validated distribution with its quantile function.
class Distribution {
public:
    /// Throws std::invalid_argument if check(spec) finds a problem.
    explicit Distribution(DistributionSpec spec);

    /// The value with probability u of not being exceeded: the inverse CDF at u, for
    /// 0 < u < 1 (std::invalid_argument otherwise). Monotone non-decreasing in u.
    /// A truncated normal's values stay within its bounds.
    double quantile(double u) const;

    const DistributionSpec& spec() const { return spec_; }

private:
    DistributionSpec spec_;
    // Precomputed for quantile():
    // Truncated normal: Φ at the standardised bounds a, b (Φ(−b), Φ(−a) when reflected)
    // and the interval's probability.
    double cdf_low_ = 0.0;
    double cdf_high_ = 1.0;
    double cdf_mass_ = 1.0;
    bool reflected_ = false; ///< truncated normal: work in the lower tail of −X (interval above the mean)
    std::vector<double> sorted_values_;  ///< discrete: distinct values, ascending
    std::vector<double> cumulative_;     ///< discrete: P(X ≤ sorted_values_[i]), last = 1
};

/// The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (Wichura 1988, algorithm AS 241,
/// PPND16: relative error about 10^−16). p ≤ 0 gives −∞, p ≥ 1 gives +∞.
double normal_quantile(double p);

/// The standard normal CDF Φ(z) = erfc(−z/√2)/2.
double normal_cdf(double z);

}  // namespace subsim::mc
