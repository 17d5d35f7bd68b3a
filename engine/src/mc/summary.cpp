#include "subsim/mc/summary.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
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
    std::vector<double> values(draws.size());
    // −0 and +0 compare equal, so which of them lands in a place is the library's choice:
    // make them one value.
    std::transform(draws.begin(), draws.end(), values.begin(), [](double x) { return x == 0 ? 0.0 : x; });
    // The order statistics the percentiles read (percentile_sorted's i and i + 1), put in
    // their sorted places by selection, from the lowest up: each selection leaves the
    // values above its place after it. The same values as a full sort, in O(n) a place.
    constexpr double kP[] = {0.05, 0.10, 0.50, 0.90, 0.95};
    std::size_t places[2 * std::size(kP)];
    std::size_t m = 0;
    for (const double p : kP) {
        const auto i = static_cast<std::size_t>(std::floor(static_cast<double>(values.size() - 1) * p));
        places[m++] = i;
        places[m++] = std::min(i + 1, values.size() - 1);
    }
    std::sort(places, places + m);
    std::size_t from = 0;
    for (std::size_t k = 0; k < m; ++k) {
        if (places[k] < from) continue;  // already in place
        std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(from), values.begin() + static_cast<std::ptrdiff_t>(places[k]),
                         values.end());
        from = places[k] + 1;
    }
    // percentile_sorted reads only places i and i + 1, which now hold their sorted values.
    s.p5 = percentile_sorted(values, 0.05);
    s.p10 = percentile_sorted(values, 0.10);
    s.p50 = percentile_sorted(values, 0.50);
    s.p90 = percentile_sorted(values, 0.90);
    s.p95 = percentile_sorted(values, 0.95);
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
