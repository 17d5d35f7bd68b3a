#include "subsim/mc/saltelli.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "subsim/mc/random.hpp"
#include "subsim/mc/sobol.hpp"
#include "subsim/mc/summary.hpp"

namespace subsim::mc {

// ---- design --------------------------------------------------------------------------

SaltelliDesign::SaltelliDesign(std::size_t base_rows, std::size_t inputs, std::uint64_t seed, Sampling sampling)
    : n_(base_rows), k_(inputs), sampling_(sampling) {
    if (n_ < 2) throw std::logic_error("SaltelliDesign: fewer than 2 base rows");
    if (k_ < 1) throw std::logic_error("SaltelliDesign: no inputs");
    if (n_ > kMaxSobolPoints) throw std::logic_error("SaltelliDesign: more than 2^31 base rows");
    a_.resize(n_ * k_);
    b_.resize(n_ * k_);
    if (sampling_ == Sampling::sobol) {
        if (2 * k_ > kMaxSobolDimensions) throw std::logic_error("SaltelliDesign: more than 1833 inputs");
        const std::vector<double> points = scrambled_sobol(n_, 2 * k_, seed);
        for (std::size_t j = 0; j < n_; ++j)
            for (std::size_t i = 0; i < k_; ++i) {
                a_[j * k_ + i] = points[j * 2 * k_ + i];
                b_[j * k_ + i] = points[j * 2 * k_ + k_ + i];
            }
    } else {
        if (2 * k_ > std::numeric_limits<std::uint32_t>::max()) throw std::logic_error("SaltelliDesign: too many inputs");
        const RandomStream stream(seed, Purpose::design);
        for (std::size_t j = 0; j < n_; ++j)
            for (std::size_t i = 0; i < k_; ++i) {
                a_[j * k_ + i] = stream.uniform(j, static_cast<std::uint32_t>(i));
                b_[j * k_ + i] = stream.uniform(j, static_cast<std::uint32_t>(k_ + i));
            }
    }
}

void SaltelliDesign::unit_point(std::size_t p, std::span<double> u) const {
    if (p >= points()) throw std::logic_error("SaltelliDesign::unit_point: no such point");
    if (u.size() != k_) throw std::logic_error("SaltelliDesign::unit_point: u is not of size k");
    const std::size_t row = p / (k_ + 2), block = p % (k_ + 2);
    const double* a = &a_[row * k_];
    const double* b = &b_[row * k_];
    for (std::size_t i = 0; i < k_; ++i) u[i] = block == 1 ? b[i] : a[i];
    if (block >= 2) u[block - 2] = b[block - 2];
}

void SaltelliDesign::values(std::size_t p, std::span<const Distribution> distributions, std::span<double> x) const {
    if (distributions.size() != k_) throw std::logic_error("SaltelliDesign::values: not one distribution per input");
    unit_point(p, x);
    for (std::size_t i = 0; i < k_; ++i) x[i] = distributions[i].quantile(x[i]);
}

// ---- estimators ----------------------------------------------------------------------

namespace {

/// Sums over a (re)sample of base rows for one output. Layout of `s`:
/// [0] Σ f_A, [1] Σ f_B, [2] Σ f_A², [3] Σ f_B², then per input i at 4 + 3i:
/// Σ (f_ABi − f_A), Σ f_B (f_ABi − f_A), Σ (f_A − f_ABi)².
std::size_t sums_per_output(std::size_t k) { return 4 + 3 * k; }

/// Adds base row `row` of every output to the sums (centred values y).
void add_row(const double* y, std::size_t row, std::size_t k, std::size_t n_outputs, double* sums) {
    const std::size_t stride = sums_per_output(k);
    const double* r = y + row * (k + 2) * n_outputs;
    for (std::size_t o = 0; o < n_outputs; ++o) {
        double* s = sums + o * stride;
        const double fa = r[o], fb = r[n_outputs + o];
        s[0] += fa;
        s[1] += fb;
        s[2] += fa * fa;
        s[3] += fb * fb;
        for (std::size_t i = 0; i < k; ++i) {
            const double d = r[(2 + i) * n_outputs + o] - fa;
            s[4 + 3 * i] += d;
            s[5 + 3 * i] += fb * d;
            s[6 + 3 * i] += d * d;
        }
    }
}

/// Mean, V, S1 and ST of one output from its sums over n rows; indices written to
/// first[i], total[i]. V = 0 gives indices 0.
void indices_from_sums(const double* s, std::size_t k, std::size_t n, double* mean, double* variance, double* first,
                       double* total) {
    const auto nd = static_cast<double>(n);
    const double m = (s[0] + s[1]) / (2 * nd);
    const double v = std::max(0.0, (s[2] + s[3] - 2 * nd * m * m) / (2 * nd - 1));
    *mean = m;
    *variance = v;
    for (std::size_t i = 0; i < k; ++i) {
        if (v == 0) {
            first[i] = total[i] = 0.0;
            continue;
        }
        // mean((f_B − m)(f_ABi − f_A)) = (Σ f_B d − m Σ d) / n
        first[i] = (s[5 + 3 * i] - m * s[4 + 3 * i]) / nd / v;
        total[i] = s[6 + 3 * i] / (2 * nd) / v;
    }
}

}  // namespace

SobolIndices sobol_indices(const SaltelliDesign& design, std::span<const double> outputs, std::size_t n_outputs,
                           const BootstrapOptions& options) {
    const std::size_t n = design.base_rows(), k = design.inputs(), width = k + 2;
    if (n_outputs == 0) throw std::logic_error("sobol_indices: no outputs");
    if (outputs.size() != design.points() * n_outputs)
        throw std::logic_error("sobol_indices: outputs are not points × n_outputs");
    if (!(options.confidence > 0 && options.confidence < 1))
        throw std::logic_error("sobol_indices: confidence outside (0, 1)");

    // Centre each output on the mean of its f_A and f_B (row order, compensated sum).
    std::vector<double> centre(n_outputs, 0.0), compensation(n_outputs, 0.0);
    for (std::size_t j = 0; j < n; ++j)
        for (std::size_t m = 0; m < 2; ++m)
            for (std::size_t o = 0; o < n_outputs; ++o) {
                const double x = outputs[(j * width + m) * n_outputs + o];
                const double t = centre[o] + x;
                compensation[o] += std::fabs(centre[o]) >= std::fabs(x) ? (centre[o] - t) + x : (x - t) + centre[o];
                centre[o] = t;
            }
    for (std::size_t o = 0; o < n_outputs; ++o) centre[o] = (centre[o] + compensation[o]) / static_cast<double>(2 * n);
    std::vector<double> y(outputs.size());
    for (std::size_t p = 0; p < design.points(); ++p)
        for (std::size_t o = 0; o < n_outputs; ++o) {
            const double x = outputs[p * n_outputs + o];
            if (!std::isfinite(x)) throw std::logic_error("sobol_indices: an output is not finite");
            y[p * n_outputs + o] = x - centre[o];
        }

    const std::size_t stride = sums_per_output(k);
    std::vector<double> sums(n_outputs * stride);
    std::vector<double> first(k), total(k);

    // Point estimates: every row once, in order.
    SobolIndices result;
    result.outputs.resize(n_outputs);
    for (std::size_t j = 0; j < n; ++j) add_row(y.data(), j, k, n_outputs, sums.data());
    for (std::size_t o = 0; o < n_outputs; ++o) {
        OutputIndices& out = result.outputs[o];
        double mean = 0;
        indices_from_sums(&sums[o * stride], k, n, &mean, &out.variance, first.data(), total.data());
        out.mean = centre[o] + mean;
        out.first_order.resize(k);
        out.total.resize(k);
        for (std::size_t i = 0; i < k; ++i) {
            out.first_order[i].value = first[i];
            out.total[i].value = total[i];
        }
    }

    const std::size_t resamples = options.resamples;
    if (resamples == 0) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        for (OutputIndices& out : result.outputs)
            for (auto* list : {&out.first_order, &out.total})
                for (IndexEstimate& e : *list) e.low = e.high = nan;
        result.converged = false;
        result.widest_interval = nan;
        return result;
    }

    // Bootstrap: replicates[(o * 2k + index) * B + r], index i = S1_i, k + i = ST_i.
    std::vector<double> replicates(n_outputs * 2 * k * resamples);
    const RandomStream stream(options.seed, Purpose::bootstrap);
    std::vector<std::uint32_t> rows(n);
    for (std::size_t r = 0; r < resamples; ++r) {
        // Row t of resample r: 64 bits from Philox call (r, t / 2), words (0, 1) or (2, 3).
        for (std::size_t t = 0; t < n; t += 2) {
            const Bits128 b = stream.bits(r, static_cast<std::uint32_t>(t / 2));
            rows[t] = static_cast<std::uint32_t>(scale_to_range((std::uint64_t{b[0]} << 32) | b[1], n));
            if (t + 1 < n) rows[t + 1] = static_cast<std::uint32_t>(scale_to_range((std::uint64_t{b[2]} << 32) | b[3], n));
        }
        std::fill(sums.begin(), sums.end(), 0.0);
        for (std::size_t t = 0; t < n; ++t) add_row(y.data(), rows[t], k, n_outputs, sums.data());
        for (std::size_t o = 0; o < n_outputs; ++o) {
            double mean = 0, variance = 0;
            indices_from_sums(&sums[o * stride], k, n, &mean, &variance, first.data(), total.data());
            for (std::size_t i = 0; i < k; ++i) {
                replicates[(o * 2 * k + i) * resamples + r] = first[i];
                replicates[(o * 2 * k + k + i) * resamples + r] = total[i];
            }
        }
    }

    const double tail = (1 - options.confidence) / 2;
    result.converged = true;
    result.widest_interval = 0.0;
    for (std::size_t o = 0; o < n_outputs; ++o)
        for (std::size_t index = 0; index < 2 * k; ++index) {
            const auto begin = replicates.begin() + static_cast<std::ptrdiff_t>((o * 2 * k + index) * resamples);
            std::sort(begin, begin + static_cast<std::ptrdiff_t>(resamples));
            const std::span<const double> sorted(&*begin, resamples);
            IndexEstimate& e = index < k ? result.outputs[o].first_order[index] : result.outputs[o].total[index - k];
            e.low = percentile_sorted(sorted, tail);
            e.high = percentile_sorted(sorted, 1 - tail);
            const double w = e.high - e.low;
            result.widest_interval = std::max(result.widest_interval, w);
            if (!(w < options.converged_width)) result.converged = false;
        }
    return result;
}

}  // namespace subsim::mc
