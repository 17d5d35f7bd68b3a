#pragma once
/// Variance-based sensitivity (Sobol' indices) by the Saltelli design.
///
/// The module never evaluates the model. The caller:
///   1. builds a SaltelliDesign(N, k, seed): matrices A and B (N × k) and, for each input
///      i, AB_i = A with column i taken from B — N (k + 2) points in all;
///   2. evaluates every point p (design.values(p, distributions, x) gives the inputs), in
///      parallel and in any order, into its own slot: outputs[p * n_outputs + o];
///   3. calls sobol_indices(design, outputs, n_outputs, options).
/// Nothing here depends on the order of step 2; the estimator reads the slots in a fixed
/// order, so its result is bit-identical for any thread count.
///
/// Point layout: point p belongs to base row j = p / (k + 2) and block m = p % (k + 2):
/// m = 0 is row j of A, m = 1 row j of B, m = 2 + i row j of AB_i.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "subsim/mc/distribution.hpp"

namespace subsim::mc {

/// Where the rows of A and B come from.
enum class Sampling {
    sobol,        ///< Owen-scrambled Sobol' points in 2k dimensions (A: 0 … k−1, B: k … 2k−1)
    monte_carlo,  ///< independent Philox uniforms (RandomStream(seed, Purpose::design), draw j,
                  ///< input i for A and k + i for B); rows independent, as the bootstrap assumes
};

class SaltelliDesign {
public:
    /// N = base_rows ≥ 2 (a power of two suits Sobol' points best), k = inputs ≥ 1
    /// (at most 1833 with Sobol' points). std::logic_error otherwise.
    SaltelliDesign(std::size_t base_rows, std::size_t inputs, std::uint64_t seed, Sampling sampling = Sampling::sobol);

    std::size_t base_rows() const { return n_; }
    std::size_t inputs() const { return k_; }
    std::size_t points_per_row() const { return k_ + 2; }
    std::size_t points() const { return n_ * (k_ + 2); }
    Sampling sampling() const { return sampling_; }

    /// A[row][input] and B[row][input], in (0, 1).
    double a(std::size_t row, std::size_t input) const { return a_[row * k_ + input]; }
    double b(std::size_t row, std::size_t input) const { return b_[row * k_ + input]; }

    /// The uniforms of point p (size k).
    void unit_point(std::size_t p, std::span<double> u) const;
    /// The inputs of point p: unit_point mapped through distributions[i].quantile
    /// (distributions and x of size k). Thread-safe.
    void values(std::size_t p, std::span<const Distribution> distributions, std::span<double> x) const;

private:
    std::size_t n_;
    std::size_t k_;
    Sampling sampling_;
    std::vector<double> a_;  ///< N × k, row-major
    std::vector<double> b_;  ///< N × k, row-major
};

/// Bootstrap and convergence settings.
struct BootstrapOptions {
    std::size_t resamples = 1000;  ///< B; 0 = no intervals (low = high = NaN, converged false)
    double confidence = 0.95;      ///< level of the percentile intervals, in (0, 1)
    double converged_width = 0.1;  ///< converged: every interval narrower than this
    std::uint64_t seed = 0;        ///< RandomStream(seed, Purpose::bootstrap)
};

/// One index with its bootstrap percentile interval.
struct IndexEstimate {
    double value = 0.0;
    double low = 0.0;
    double high = 0.0;
};

/// The indices of one output.
struct OutputIndices {
    double mean = 0.0;      ///< of the 2N values f_A, f_B
    double variance = 0.0;  ///< V: sample variance (divisor 2N − 1) of f_A and f_B together
    std::vector<IndexEstimate> first_order;  ///< S1_i, per input
    std::vector<IndexEstimate> total;        ///< ST_i, per input
};

struct SobolIndices {
    std::vector<OutputIndices> outputs;
    /// Every interval (S1 and ST, every input and output) narrower than converged_width.
    bool converged = false;
    double widest_interval = 0.0;  ///< the widest interval's width (NaN without bootstrap)
};

/// First-order indices by Saltelli et al. (2010), S1_i = mean(f_B (f_ABi − f_A)) / V, and
/// total indices by Jansen (1999), ST_i = mean((f_A − f_ABi)²) / (2V), with V the sample
/// variance of f_A and f_B together. Each output is first centred on the mean of its f_A
/// and f_B (S1's numerator is not shift-invariant: for an output of 10^12 đồng spread by
/// 10^10 the raw product would be noise); ST and V are unchanged by it. Raw values: an
/// index may come out negative or above 1 by sampling error. An output with V = 0 has
/// every index 0 with interval [0, 0].
///
/// Intervals: percentile bootstrap over the N base rows (a resample draws N rows with
/// replacement, row t of resample r at index scale_to_range of Philox bits; the same rows
/// serve every output), recomputing mean, V and the indices on each resample; the bounds
/// are the (1 ∓ confidence)/2 type-7 percentiles of the B replicates.
///
/// outputs: points() × n_outputs values, outputs[p * n_outputs + o]; all finite
/// (std::logic_error otherwise, as for a size mismatch).
SobolIndices sobol_indices(const SaltelliDesign& design, std::span<const double> outputs, std::size_t n_outputs,
                           const BootstrapOptions& options = {});

}  // namespace subsim::mc
