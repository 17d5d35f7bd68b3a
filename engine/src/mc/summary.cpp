#include "subsim/mc/summary.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "subsim/core/executor.hpp"

namespace subsim::mc {
namespace {

/// Neumaier's compensated sum, in the order given.
class Sum {
public:
    void add(double x) {
        const double t = sum_ + x;
        if (std::fabs(sum_) >= std::fabs(x)) compensation_ += (sum_ - t) + x;
        else compensation_ += (x - t) + sum_;
        sum_ = t;
    }
    double value() const { return sum_ + compensation_; }

private:
    double sum_ = 0.0;
    double compensation_ = 0.0;
};

}  // namespace

double percentile_sorted(std::span<const double> sorted, double p) {
    if (sorted.empty()) throw std::logic_error("percentile_sorted: no values");
    if (!(p >= 0 && p <= 1)) throw std::logic_error("percentile_sorted: p outside [0, 1]");
    const double h = static_cast<double>(sorted.size() - 1) * p;
    const double below = std::floor(h);
    const auto i = static_cast<std::size_t>(below);
    if (i + 1 >= sorted.size()) return sorted.back();
    return sorted[i] + (h - below) * (sorted[i + 1] - sorted[i]);
}

Summary summarize(std::span<const double> draws) {
    if (draws.empty()) throw std::logic_error("summarize: no draws");
    Sum sum;
    for (double x : draws) {
        if (!std::isfinite(x)) throw std::logic_error("summarize: a draw is not finite");
        sum.add(x);
    }
    const auto n = static_cast<double>(draws.size());
    Summary s;
    s.count = draws.size();
    s.mean = sum.value() / n;
    if (draws.size() > 1) {
        Sum squares;
        for (double x : draws) squares.add((x - s.mean) * (x - s.mean));
        s.sd = std::sqrt(squares.value() / (n - 1));
    }
    std::vector<double> sorted(draws.size());
    // −0 and +0 compare equal, so their order after sorting is the library's choice:
    // make them one value.
    std::transform(draws.begin(), draws.end(), sorted.begin(), [](double x) { return x == 0 ? 0.0 : x; });
    std::sort(sorted.begin(), sorted.end());
    s.p5 = percentile_sorted(sorted, 0.05);
    s.p10 = percentile_sorted(sorted, 0.10);
    s.p50 = percentile_sorted(sorted, 0.50);
    s.p90 = percentile_sorted(sorted, 0.90);
    s.p95 = percentile_sorted(sorted, 0.95);
    return s;
}

std::vector<Summary> summarize_columns(std::span<const double> values, std::size_t n_outputs) {
    return summarize_columns(values, n_outputs, Executor::serial());
}

std::vector<Summary> summarize_columns(std::span<const double> values, std::size_t n_outputs, const Executor& executor) {
    if (n_outputs == 0 || values.size() % n_outputs != 0)
        throw std::logic_error("summarize_columns: values are not draws × outputs");
    const std::size_t draws = values.size() / n_outputs;
    std::vector<Summary> out(n_outputs);
    constexpr std::size_t kColumns = 16;  // columns per task
    executor.for_each((n_outputs + kColumns - 1) / kColumns, [&](std::size_t task) {
        std::vector<double> column(draws);
        for (std::size_t o = task * kColumns; o < std::min(n_outputs, (task + 1) * kColumns); ++o) {
            for (std::size_t d = 0; d < draws; ++d) column[d] = values[d * n_outputs + o];
            out[o] = summarize(column);
        }
    });
    return out;
}

}  // namespace subsim::mc
