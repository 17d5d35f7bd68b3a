// Distributions by their own inverse CDFs: quantiles at points worked out by hand, the
// normal quantile against an independent implementation, and every parameter error with
// its message in both languages.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>

#include "subsim/mc/distribution.hpp"
#include "subsim/mc/random.hpp"

namespace subsim::mc {
namespace {

const double kPi = 3.14159265358979323846;

Decimal pct(std::int64_t p) { return Decimal::percent(p); }

// ---- the standard normal ---------------------------------------------------------------

TEST(NormalQuantile, KnownValues) {
    // Φ⁻¹(0.975) = 1.959963984540054 (the 95% two-sided critical value, to 16 digits).
    EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 2e-15);
    EXPECT_NEAR(normal_quantile(0.025), -1.959963984540054, 2e-15);
    EXPECT_EQ(normal_quantile(0.5), 0.0);  // q = 0: the central rational function is q · P/Q
    // Φ(1) = 0.841344746068542948…, so Φ⁻¹ of it is 1.
    EXPECT_NEAR(normal_quantile(0.841344746068542948), 1.0, 4e-15);
    // Tails: Φ⁻¹(10^-10) = −6.361340902404056 (AS 241's third region, r > 5 for p < e^-25).
    EXPECT_NEAR(normal_quantile(1e-10), -6.361340902404056, 1e-13);
    EXPECT_NEAR(normal_quantile(1e-300), -37.0471, 1e-4);
    EXPECT_EQ(normal_quantile(0.0), -std::numeric_limits<double>::infinity());
    EXPECT_EQ(normal_quantile(1.0), std::numeric_limits<double>::infinity());
}

// Against Boost.Math's normal quantile (−√2 · erfc⁻¹(2p), a different algorithm), over
// p from 10^-15 to 1 − 10^-15, and the round trip through Φ: relative agreement 10^-14.
TEST(NormalQuantile, AgreesWithAnIndependentImplementation) {
    const boost::math::normal standard;
    int checked = 0;
    for (double p : {1e-15, 1e-12, 1e-8, 1e-5, 0.001, 0.01, 0.05, 0.074, 0.075, 0.076, 0.1, 0.3, 0.4999, 0.5001, 0.7,
                     0.9, 0.925, 0.95, 0.99, 0.999, 1 - 1e-6, 1 - 1e-10}) {
        const double ours = normal_quantile(p), theirs = boost::math::quantile(standard, p);
        EXPECT_NEAR(ours, theirs, 1e-14 * std::max(1.0, std::fabs(theirs))) << "p = " << p;
        EXPECT_NEAR(normal_cdf(ours), p, 1e-14 * std::max(p, 1e-3)) << "p = " << p;
        ++checked;
    }
    EXPECT_EQ(checked, 22);
}

// ---- each distribution ---------------------------------------------------------------

TEST(Distribution, Uniform) {
    // low + u (high − low): u = 1/4 on [−π, π] is −π + π/2 = −π/2.
    const Distribution d(UniformSpec{-kPi, kPi});
    EXPECT_DOUBLE_EQ(d.quantile(0.25), -kPi / 2);
    EXPECT_DOUBLE_EQ(d.quantile(0.5), 0.0);
    EXPECT_EQ(Distribution(UniformSpec{3, 3}).quantile(0.7), 3.0);  // low == high: a constant
}

TEST(Distribution, Normal) {
    // mean + sd · Φ⁻¹(u): 100 + 15 × 1.959963984540054 = 129.39945976810081.
    const Distribution d(NormalSpec{100, 15, {}, {}});
    EXPECT_NEAR(d.quantile(0.975), 129.39945976810081, 1e-12);
    EXPECT_EQ(d.quantile(0.5), 100.0);
    EXPECT_EQ(Distribution(NormalSpec{7, 0, {}, {}}).quantile(0.9), 7.0);  // sd 0: the constant mean
}

TEST(Distribution, TruncatedNormalHalfNormal) {
    // N(0, 1) truncated to [0, ∞): the half-normal, Q(u) = Φ⁻¹((1 + u)/2);
    // u = 0.95 → Φ⁻¹(0.975) = 1.959963984540054.
    const Distribution d(NormalSpec{0, 1, 0.0, {}});
    EXPECT_NEAR(d.quantile(0.95), 1.959963984540054, 2e-15);
    // u = 0.5 → Φ⁻¹(0.75) = 0.6744897501960817.
    EXPECT_NEAR(d.quantile(0.5), 0.6744897501960817, 1e-15);
}

/// P(X ≤ x) for N(mean, sd) truncated to [low, high], from erfc (not from the quantile).
double truncated_cdf(double x, double mean, double sd, double low, double high) {
    const auto phi = [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); };
    const auto upper = [](double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); };  // 1 − Φ(z), accurate
    const double za = (low - mean) / sd, zb = (high - mean) / sd, z = (x - mean) / sd;
    if (za > 0) return (upper(za) - upper(z)) / (upper(za) - upper(zb));
    return (phi(z) - phi(za)) / (phi(zb) - phi(za));
}

TEST(Distribution, TruncatedNormalStaysWithinBoundsAndInvertsItsCdf) {
    struct Case {
        double mean, sd, low, high;
    };
    // An interval around the mean, one above it (worked in the reflected upper tail), one
    // far below it (Φ(a), Φ(b) ≈ 10^-23), and one 10 to 12 sd above the mean.
    const Case cases[] = {{0, 1, -1, 2}, {0, 1, 1, 3}, {50, 5, 0, 1}, {0, 1, 10, 12}};
    const RandomStream stream(99);
    int checked = 0;
    for (const Case& c : cases) {
        const Distribution d(NormalSpec{c.mean, c.sd, c.low, c.high});
        for (std::uint64_t i = 0; i < 500; ++i) {
            const double u = stream.uniform(i, 0);
            const double x = d.quantile(u);
            ASSERT_GE(x, c.low);
            ASSERT_LE(x, c.high);
            EXPECT_NEAR(truncated_cdf(x, c.mean, c.sd, c.low, c.high), u, 1e-9) << c.low << " " << u;
            ++checked;
        }
        // The extreme uniforms stay inside too.
        EXPECT_GE(d.quantile(std::ldexp(1.0, -54)), c.low);
        EXPECT_LE(d.quantile(1 - std::ldexp(1.0, -53)), c.high);
    }
    EXPECT_EQ(checked, 2000);
}

TEST(Distribution, LogNormalIsExpOfNormal) {
    // exp(meanlog + sdlog Φ⁻¹(u)): at u = 0.975, exp(0.5 + 0.2 × 1.959963984540054).
    const Distribution d(LogNormalSpec{0.5, 0.2});
    EXPECT_NEAR(d.quantile(0.975), std::exp(0.5 + 0.2 * 1.959963984540054), 1e-14);
    EXPECT_DOUBLE_EQ(d.quantile(0.5), std::exp(0.5));  // the median is e^meanlog
}

TEST(Distribution, Triangular) {
    // low 0, mode 1, high 4: F(mode) = 1/4.
    //   u ≤ 1/4: x = √(u · 4 · 1):  u = 1/16 → √(1/4) = 0.5;  u = 1/4 → 1 (the mode)
    //   u > 1/4: x = 4 − √((1 − u) · 4 · 3):  u = 5/8 → 4 − √4.5 = 1.8786796564403576
    //   (check: 1 − (4 − x)²/12 = 1 − 4.5/12 = 0.625).
    const Distribution d(TriangularSpec{0, 1, 4});
    EXPECT_DOUBLE_EQ(d.quantile(0.0625), 0.5);
    EXPECT_DOUBLE_EQ(d.quantile(0.25), 1.0);
    EXPECT_NEAR(d.quantile(0.625), 1.8786796564403576, 1e-15);
    // The mode at an end: low 2, mode 2, high 6: x = 6 − √((1 − u) · 16); u = 3/4 → 4.
    EXPECT_DOUBLE_EQ(Distribution(TriangularSpec{2, 2, 6}).quantile(0.75), 4.0);
}

TEST(Distribution, Beta) {
    EXPECT_NEAR(Distribution(BetaSpec{2, 2}).quantile(0.5), 0.5, 1e-15);  // symmetric
    EXPECT_NEAR(Distribution(BetaSpec{1, 1}).quantile(0.3), 0.3, 1e-15);  // Beta(1,1) is uniform
    // Beta(2, 1): F(x) = x², so Q(1/4) = 1/2. Beta(1, 2): F(x) = 1 − (1 − x)², Q(3/4) = 1/2.
    EXPECT_NEAR(Distribution(BetaSpec{2, 1}).quantile(0.25), 0.5, 1e-15);
    EXPECT_NEAR(Distribution(BetaSpec{1, 2}).quantile(0.75), 0.5, 1e-15);
    // Scaled to [10, 20]: the median of Beta(2, 2) is 15; Beta(2, 1) at 1/4 is 10 + 10 × 0.5.
    EXPECT_NEAR(Distribution(BetaSpec{2, 2, 10, 20}).quantile(0.5), 15.0, 1e-13);
    EXPECT_NEAR(Distribution(BetaSpec{2, 1, 10, 20}).quantile(0.25), 15.0, 1e-13);
}

TEST(Distribution, DiscreteSortsByValueAndAccumulates) {
    // Values 3, 1, 2 with 20%, 50%, 30%: sorted 1 (50%), 2 (30%), 3 (20%); cumulative
    // 0.5, 0.8, 1. Q(u) is the smallest value whose cumulative probability reaches u.
    const Distribution d(DiscreteSpec{{3, 1, 2}, {pct(20), pct(50), pct(30)}});
    EXPECT_EQ(d.quantile(0.05), 1.0);  // P5
    EXPECT_EQ(d.quantile(0.5), 1.0);
    EXPECT_EQ(d.quantile(0.500001), 2.0);
    EXPECT_EQ(d.quantile(0.8), 2.0);
    EXPECT_EQ(d.quantile(0.81), 3.0);
    EXPECT_EQ(d.quantile(0.95), 3.0);  // P95
    // A value listed twice counts once with both probabilities; a 0% value is never drawn.
    const Distribution e(DiscreteSpec{{5, 9, 5, 7}, {pct(25), pct(50), pct(25), pct(0)}});
    EXPECT_EQ(e.quantile(0.49), 5.0);
    EXPECT_EQ(e.quantile(0.51), 9.0);
}

TEST(Distribution, QuantileIsMonotone) {
    const Distribution dists[] = {
        Distribution(UniformSpec{1, 2}),         Distribution(NormalSpec{0, 1, -0.5, {}}),
        Distribution(LogNormalSpec{0, 1}),       Distribution(TriangularSpec{0, 3, 4}),
        Distribution(BetaSpec{0.5, 3, -1, 1}),   Distribution(DiscreteSpec{{4, 2}, {pct(40), pct(60)}})};
    int checked = 0;
    for (const Distribution& d : dists) {
        double previous = -std::numeric_limits<double>::infinity();
        for (int i = 1; i < 1000; ++i) {
            const double x = d.quantile(i / 1000.0);
            EXPECT_GE(x, previous) << i;
            previous = x;
            ++checked;
        }
    }
    EXPECT_EQ(checked, 6 * 999);
}

TEST(Distribution, QuantileNeedsUInsideTheUnitInterval) {
    const Distribution d(UniformSpec{0, 1});
    EXPECT_THROW((void)d.quantile(0.0), std::invalid_argument);
    EXPECT_THROW((void)d.quantile(1.0), std::invalid_argument);
    EXPECT_THROW((void)d.quantile(std::nan("")), std::invalid_argument);
}

// ---- parameter errors ------------------------------------------------------------------

void expect_problem(const DistributionSpec& spec, const std::string& key, const std::string& en) {
    const auto p = check(spec);
    ASSERT_TRUE(p.has_value()) << en;
    EXPECT_EQ(p->key, key);
    EXPECT_EQ(p->message.en, en);
    EXPECT_FALSE(p->message.vi.empty());
    EXPECT_THROW(Distribution{spec}, std::invalid_argument);
}

TEST(DistributionCheck, ValidSpecsHaveNoProblem) {
    EXPECT_FALSE(check(UniformSpec{0, 1}));
    EXPECT_FALSE(check(NormalSpec{0, 0, -1.0, 1.0}));
    EXPECT_FALSE(check(TriangularSpec{1, 1, 1}));
    EXPECT_FALSE(check(DiscreteSpec{{1, 2, 3}, {Decimal{3333, 4}, Decimal{3333, 4}, Decimal{3334, 4}}}));
}

TEST(DistributionCheck, NegativeStandardDeviation) {
    expect_problem(NormalSpec{10, -2, {}, {}}, "sd", "the standard deviation -2 is negative");
    expect_problem(LogNormalSpec{0, -0.5}, "sdlog", "the standard deviation -0.5 is negative");
    // Vietnamese: decimal comma.
    EXPECT_EQ(check(LogNormalSpec{0, -0.5})->message.vi, "độ lệch chuẩn -0,5 là số âm");
}

TEST(DistributionCheck, LowAboveHigh) {
    expect_problem(UniformSpec{5, 1}, "low", "the lower bound 5 is above the upper bound 1");
    expect_problem(NormalSpec{0, 1, 2.0, 1.0}, "low", "the lower bound 2 is above the upper bound 1");
    expect_problem(TriangularSpec{4, 4, 0}, "low", "the lower bound 4 is above the upper bound 0");
    expect_problem(BetaSpec{2, 2, 120000, 80000}, "low", "the lower bound 120,000 is above the upper bound 80,000");
    EXPECT_EQ(check(BetaSpec{2, 2, 120000, 80000})->message.vi, "cận dưới 120.000 lớn hơn cận trên 80.000");
}

TEST(DistributionCheck, ModeOutsideTheRange) {
    expect_problem(TriangularSpec{0, 5, 4}, "mode", "the mode 5 is outside [0, 4]");
    expect_problem(TriangularSpec{0, -0.25, 4}, "mode", "the mode -0.25 is outside [0, 4]");
    EXPECT_EQ(check(TriangularSpec{0, -0.25, 4})->message.vi,
              "giá trị có khả năng xảy ra nhất (mode) -0,25 nằm ngoài khoảng [0; 4]");
}

TEST(DistributionCheck, ShapeParametersMustBePositive) {
    expect_problem(BetaSpec{0, 2}, "alpha", "the shape parameter alpha = 0 must be greater than 0");
    expect_problem(BetaSpec{2, -1}, "beta", "the shape parameter beta = -1 must be greater than 0");
}

TEST(DistributionCheck, ProbabilitiesMustAddUpToExactly100Percent) {
    expect_problem(DiscreteSpec{{1, 2}, {pct(50), pct(30)}}, "probabilities",
                   "the probabilities add up to 80%, not 100%");
    // 33.33% three times is 99.99%: exact decimals, no tolerance.
    const Decimal third{3333, 4};
    expect_problem(DiscreteSpec{{1, 2, 3}, {third, third, third}}, "probabilities",
                   "the probabilities add up to 99.99%, not 100%");
    EXPECT_EQ(check(DiscreteSpec{{1, 2, 3}, {third, third, third}})->message.vi,
              "tổng các xác suất là 99,99%, không phải 100%");
    expect_problem(DiscreteSpec{{1, 2}, {pct(120), pct(-20)}}, "probabilities", "the probability -20% is negative");
    expect_problem(DiscreteSpec{{}, {}}, "values", "the list of values is empty");
    expect_problem(DiscreteSpec{{1, 2, 3}, {pct(50), pct(50)}}, "probabilities",
                   "3 values but 2 probabilities: each value needs exactly one probability");
}

TEST(DistributionCheck, NumbersMustBeFinite) {
    const double inf = std::numeric_limits<double>::infinity();
    expect_problem(NormalSpec{std::nan(""), 1, {}, {}}, "mean", "NaN is not a finite number");
    expect_problem(UniformSpec{0, inf}, "high", "+∞ is not a finite number");
    expect_problem(DiscreteSpec{{1, inf}, {pct(50), pct(50)}}, "values", "+∞ is not a finite number");
}

TEST(DistributionCheck, TruncationMustHoldProbability) {
    // N(0, 1) on [40, 50]: Φ(−40) ≈ 4 × 10^-350 underflows; nothing to draw from.
    expect_problem(NormalSpec{0, 1, 40.0, 50.0}, "low",
                   "the truncation [40, 50] holds practically no probability of a normal distribution with mean 0 "
                   "and standard deviation 1");
    // sd 0 is the constant mean, which must lie inside the truncation.
    expect_problem(NormalSpec{5, 0, {}, 4.0}, "high",
                   "the truncation [−∞, 4] holds practically no probability of a normal distribution with mean 5 "
                   "and standard deviation 0");
    EXPECT_FALSE(check(NormalSpec{0, 1, 10.0, 12.0}));  // 10 to 12 sd out: small, but there
}

TEST(Distribution, TruncatedLogNormalIsExpOfTheTruncatedNormalOfItsLog) {
    // meanlog 0, sdlog 1 truncated to [e^-1, e^1]: its log is N(0, 1) on [-1, 1], which
    // holds Φ(1) − Φ(−1) = 0.6826894921370859. Symmetric: the median stays e^0 = 1; at
    // u = 0.75 the log is Φ⁻¹(Φ(−1) + 0.75 × 0.6826894921370859)
    // = Φ⁻¹(0.15865525393145707 + 0.5120171191028144) = Φ⁻¹(0.6706723730342715)
    // = 0.4417705466865815 (Python's statistics.NormalDist().inv_cdf).
    const Distribution d(LogNormalSpec{0, 1, std::exp(-1.0), std::exp(1.0)});
    EXPECT_NEAR(d.quantile(0.5), 1.0, 1e-12);
    EXPECT_NEAR(d.quantile(0.75), std::exp(0.4417705466865815), 1e-9);
    EXPECT_GE(d.quantile(1e-12), std::exp(-1.0));
    EXPECT_LE(d.quantile(1 - 1e-12), std::exp(1.0));
    // Only high: low 0 is no bound; a bound at or below 0 holds nothing.
    const Distribution upper(LogNormalSpec{0, 1, 0.0, 2.0});
    EXPECT_LE(upper.quantile(1 - 1e-12), 2.0);
    EXPECT_GT(upper.quantile(1e-12), 0.0);
    expect_problem(LogNormalSpec{0, 1, std::nullopt, -1.0}, "high", "high of a lognormal distribution cannot be -1: its values are above 0");
    // ln 10^20 = 46.05: 46 standard deviations above meanlog, where Φ underflows.
    expect_problem(LogNormalSpec{0, 1, 1e20, 1e21}, "low",
                   "the truncation [1e+20, 1e+21] holds practically no probability of a lognormal distribution with meanlog 0 and sdlog 1");
}

}  // namespace
}  // namespace subsim::mc
