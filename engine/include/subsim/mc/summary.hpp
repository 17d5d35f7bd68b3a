#pragma once
/// Summary statistics of Monte Carlo draws. The caller stores each draw's outputs in the
/// slot of its draw index (whatever thread computed it) and passes them in draw order;
/// every statistic is then computed in that fixed order, so the result is bit-identical
/// for any thread count.
#include <cstddef>
#include <span>
#include <vector>

namespace subsim {
class Executor;
}

namespace subsim::mc {

struct Summary {
    std::size_t count = 0;
    double mean = 0.0;  ///< Σx / n, summed in draw order (Neumaier-compensated)
    double sd = 0.0;    ///< sample standard deviation √(Σ(x − mean)² / (n − 1)); 0 for n = 1
    double p5 = 0.0;    ///< percentiles, Hyndman–Fan type 7 (below)
    double p10 = 0.0;
    double p50 = 0.0;
    double p90 = 0.0;
    double p95 = 0.0;
};

/// Hyndman–Fan type 7 (the default of R and NumPy): with x₍₁₎ ≤ … ≤ x₍ₙ₎ sorted and
/// h = (n − 1)·p, Q(p) = x₍⌊h⌋+1₎ + (h − ⌊h⌋)·(x₍⌊h⌋+2₎ − x₍⌊h⌋+1₎). `sorted` ascending,
/// not empty; 0 ≤ p ≤ 1.
double percentile_sorted(std::span<const double> sorted, double p);

/// The summary of draws x (in draw order; not empty, all finite: std::logic_error
/// otherwise).
Summary summarize(std::span<const double> draws);

/// Summaries of several outputs at once: values[d * n_outputs + o] is output o of draw d.
std::vector<Summary> summarize_columns(std::span<const double> values, std::size_t n_outputs);
/// The same, columns spread over `executor` (each column summarised on its own: the
/// same results whatever the thread count).
std::vector<Summary> summarize_columns(std::span<const double> values, std::size_t n_outputs, const Executor& executor);

}  // namespace subsim::mc
