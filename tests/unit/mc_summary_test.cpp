// Summary statistics of draws: mean, sample sd and type-7 percentiles, by hand on small
// cases and against the known quantiles of uniform draws.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "subsim/mc/random.hpp"
#include "subsim/mc/summary.hpp"

namespace subsim::mc {
namespace {

// Type 7: h = (n − 1) p, Q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) (0-based, sorted).
// Draws 3, 1, 5, 2, 4 sort to 1 2 3 4 5 (n = 5, h = 4p):
//   p5:  h = 0.2 → 1 + 0.2 × 1 = 1.2     p10: h = 0.4 → 1.4     p50: h = 2 → 3
//   p90: h = 3.6 → 4 + 0.6 = 4.6         p95: h = 3.8 → 4.8
// mean 15/5 = 3; squared deviations 4 + 1 + 0 + 1 + 4 = 10, sd = √(10/4) = 1.5811388300841898.
TEST(Summary, SmallCaseByHand) {
    const std::vector<double> draws{3, 1, 5, 2, 4};
    const Summary s = summarize(draws);
    EXPECT_EQ(s.count, 5u);
    EXPECT_DOUBLE_EQ(s.mean, 3.0);
    EXPECT_DOUBLE_EQ(s.sd, 1.5811388300841898);
    EXPECT_DOUBLE_EQ(s.p5, 1.2);
    EXPECT_DOUBLE_EQ(s.p10, 1.4);
    EXPECT_DOUBLE_EQ(s.p50, 3.0);
    EXPECT_DOUBLE_EQ(s.p90, 4.6);
    EXPECT_DOUBLE_EQ(s.p95, 4.8);
}

// Two draws 10, 20 (h = p): p5 = 10 + 0.05 × 10 = 10.5, p50 = 15, p95 = 19.5;
// sd = √((25 + 25)/1) = 7.0710678118654755.
TEST(Summary, TwoDrawsInterpolate) {
    const std::vector<double> draws{20, 10};
    const Summary s = summarize(draws);
    EXPECT_DOUBLE_EQ(s.p5, 10.5);
    EXPECT_DOUBLE_EQ(s.p10, 11.0);
    EXPECT_DOUBLE_EQ(s.p50, 15.0);
    EXPECT_DOUBLE_EQ(s.p95, 19.5);
    EXPECT_DOUBLE_EQ(s.sd, 7.0710678118654755);
}

TEST(Summary, OneDrawHasNoSpread) {
    const std::vector<double> draws{7};
    const Summary s = summarize(draws);
    EXPECT_EQ(s.mean, 7.0);
    EXPECT_EQ(s.sd, 0.0);
    EXPECT_EQ(s.p5, 7.0);
    EXPECT_EQ(s.p95, 7.0);
}

TEST(Summary, PercentileEnds) {
    const std::vector<double> sorted{1, 2, 4};
    EXPECT_EQ(percentile_sorted(sorted, 0.0), 1.0);
    EXPECT_EQ(percentile_sorted(sorted, 1.0), 4.0);
    EXPECT_DOUBLE_EQ(percentile_sorted(sorted, 0.75), 3.0);  // h = 1.5: 2 + 0.5 × 2
    EXPECT_THROW(percentile_sorted({}, 0.5), std::logic_error);
    EXPECT_THROW(percentile_sorted(sorted, 1.5), std::logic_error);
    const std::vector<double> bad{1, std::nan("")};
    EXPECT_THROW(summarize(bad), std::logic_error);
    EXPECT_THROW(summarize({}), std::logic_error);
}

// 100,000 uniform(0, 1) draws: the p-quantile is p with standard error √(p(1 − p)/n)
// (0.0007 at p = 0.05, 0.0016 at the median); the mean 1/2 has standard error
// √(1/12/n) = 0.0009; sd → √(1/12) = 0.288675. Tolerances are 4–5 standard errors.
TEST(Summary, UniformDrawsHaveTheirKnownQuantiles) {
    const RandomStream stream(5);
    const std::size_t n = 100000;
    std::vector<double> draws(n);
    for (std::size_t d = 0; d < n; ++d) draws[d] = stream.uniform(d, 0);
    const Summary s = summarize(draws);
    EXPECT_NEAR(s.p5, 0.05, 0.003);
    EXPECT_NEAR(s.p10, 0.10, 0.004);
    EXPECT_NEAR(s.p50, 0.50, 0.007);
    EXPECT_NEAR(s.p90, 0.90, 0.004);
    EXPECT_NEAR(s.p95, 0.95, 0.003);
    EXPECT_NEAR(s.mean, 0.5, 0.004);
    EXPECT_NEAR(s.sd, std::sqrt(1.0 / 12), 0.003);
}

// Outputs per draw collected in slots by draw index, whichever order they were filled:
// the same summary, bit for bit; a column of a matrix equals the column on its own.
TEST(Summary, ColumnsAndFillOrderDoNotMatter) {
    const RandomStream stream(17);
    const std::size_t draws = 1001, outputs = 3;
    std::vector<double> forward(draws * outputs), backward(draws * outputs);
    for (std::size_t d = 0; d < draws; ++d)
        for (std::size_t o = 0; o < outputs; ++o)
            forward[d * outputs + o] = 1e9 * stream.uniform(d, static_cast<std::uint32_t>(o));
    for (std::size_t d = draws; d-- > 0;)
        for (std::size_t o = outputs; o-- > 0;)
            backward[d * outputs + o] = 1e9 * stream.uniform(d, static_cast<std::uint32_t>(o));
    const std::vector<Summary> a = summarize_columns(forward, outputs);
    const std::vector<Summary> b = summarize_columns(backward, outputs);
    ASSERT_EQ(a.size(), outputs);
    for (std::size_t o = 0; o < outputs; ++o) {
        std::vector<double> column(draws);
        for (std::size_t d = 0; d < draws; ++d) column[d] = forward[d * outputs + o];
        const Summary alone = summarize(column);
        for (const Summary* s : {&a[o], &b[o]}) {
            EXPECT_EQ(s->mean, alone.mean);
            EXPECT_EQ(s->sd, alone.sd);
            EXPECT_EQ(s->p5, alone.p5);
            EXPECT_EQ(s->p50, alone.p50);
            EXPECT_EQ(s->p95, alone.p95);
        }
    }
    EXPECT_THROW(summarize_columns(forward, 2), std::logic_error);  // 3003 is not draws × 2
}

// The percentiles come from order statistics put in place by selection, not a full sort:
// for every size from 1 to 40 and a few larger ones, with ties and zeros of both signs,
// each equals percentile_sorted on the fully sorted draws.
TEST(Summary, SelectedOrderStatisticsEqualAFullSort) {
    std::size_t checked = 0;
    for (std::size_t n = 1; n <= 1000; n += (n < 40 ? 1 : 320)) {  // 1..40, 360, 680, 1000
        std::vector<double> draws(n);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t k = (i * 7919 + 13) % 17;  // values repeat
            draws[i] = k == 3 ? -0.0 : k == 4 ? 0.0 : static_cast<double>(k) * 1.5 - 6.0;
        }
        std::vector<double> sorted = draws;
        for (double& x : sorted) x = x == 0 ? 0.0 : x;
        std::sort(sorted.begin(), sorted.end());
        const Summary s = summarize(draws);
        EXPECT_EQ(s.p5, percentile_sorted(sorted, 0.05)) << n;
        EXPECT_EQ(s.p10, percentile_sorted(sorted, 0.10)) << n;
        EXPECT_EQ(s.p50, percentile_sorted(sorted, 0.50)) << n;
        EXPECT_EQ(s.p90, percentile_sorted(sorted, 0.90)) << n;
        EXPECT_EQ(s.p95, percentile_sorted(sorted, 0.95)) << n;
        ++checked;
    }
    EXPECT_EQ(checked, 43u);
}

}  // namespace
}  // namespace subsim::mc
