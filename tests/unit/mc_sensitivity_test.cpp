// Sobol' indices by the Saltelli design: test functions with analytic indices (Ishigami,
// the Sobol' G-function, a product of two uniforms), bootstrap interval coverage, several
// outputs in one pass, and independence from evaluation order.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "subsim/mc/saltelli.hpp"

namespace subsim::mc {
namespace {

const double kPi = 3.14159265358979323846;

using Model = std::function<void(const double* x, double* y)>;

/// Evaluates every point of the design (the caller's side: here in order; the module
/// does not care) and returns outputs[p * n_outputs + o].
std::vector<double> evaluate(const SaltelliDesign& design, const std::vector<Distribution>& dists,
                             std::size_t n_outputs, const Model& model) {
    std::vector<double> outputs(design.points() * n_outputs);
    std::vector<double> x(design.inputs());
    for (std::size_t p = 0; p < design.points(); ++p) {
        design.values(p, dists, x);
        model(x.data(), &outputs[p * n_outputs]);
    }
    return outputs;
}

BootstrapOptions no_bootstrap() {
    BootstrapOptions o;
    o.resamples = 0;
    return o;
}

// ---- design ----------------------------------------------------------------------------

TEST(SaltelliDesign, PointLayout) {
    // k = 3: each base row has 5 points: A, B, AB_1, AB_2, AB_3.
    const SaltelliDesign d(8, 3, 1);
    EXPECT_EQ(d.points(), 40u);
    EXPECT_EQ(d.points_per_row(), 5u);
    std::vector<double> u(3);
    const std::size_t row = 6;
    d.unit_point(row * 5 + 0, u);
    EXPECT_EQ(u, (std::vector<double>{d.a(row, 0), d.a(row, 1), d.a(row, 2)}));
    d.unit_point(row * 5 + 1, u);
    EXPECT_EQ(u, (std::vector<double>{d.b(row, 0), d.b(row, 1), d.b(row, 2)}));
    d.unit_point(row * 5 + 3, u);  // AB_2: A with column 2 (index 1) from B
    EXPECT_EQ(u, (std::vector<double>{d.a(row, 0), d.b(row, 1), d.a(row, 2)}));
    d.unit_point(row * 5 + 4, u);  // AB_3
    EXPECT_EQ(u, (std::vector<double>{d.a(row, 0), d.a(row, 1), d.b(row, 2)}));
    // A and B are different Sobol' dimensions, not copies.
    EXPECT_NE(d.a(row, 0), d.b(row, 0));
    // values() maps through the quantile functions: uniform on [10, 20] is 10 + 10u.
    const std::vector<Distribution> dists(3, Distribution(UniformSpec{10, 20}));
    std::vector<double> x(3);
    d.values(row * 5 + 3, dists, x);
    EXPECT_DOUBLE_EQ(x[1], 10 + 10 * d.b(row, 1));
    EXPECT_THROW(d.unit_point(40, u), std::logic_error);
    EXPECT_THROW(SaltelliDesign(1, 3, 1), std::logic_error);
    EXPECT_THROW(SaltelliDesign(8, 0, 1), std::logic_error);
}

// With N = 2^m Sobol' rows, each column of A (and of B) has one value in each of the N
// intervals [c/N, (c+1)/N): a stratified sample of every input.
TEST(SaltelliDesign, SobolColumnsAreStratified) {
    const std::size_t n = 256;
    const SaltelliDesign d(n, 4, 3);
    int columns = 0;
    for (std::size_t i = 0; i < 4; ++i)
        for (int matrix = 0; matrix < 2; ++matrix, ++columns) {
            std::vector<int> count(n, 0);
            for (std::size_t j = 0; j < n; ++j)
                ++count[static_cast<std::size_t>((matrix == 0 ? d.a(j, i) : d.b(j, i)) * static_cast<double>(n))];
            for (std::size_t c = 0; c < n; ++c) ASSERT_EQ(count[c], 1) << "column " << i << " cell " << c;
        }
    EXPECT_EQ(columns, 8);
}

// ---- test functions with known indices -------------------------------------------------

// Ishigami: f = sin x1 + a sin² x2 + b x3⁴ sin x1, x_i ~ U[−π, π], a = 7, b = 0.1.
//   V   = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2 = 6.125 + 1.948182 + 5.271406 + 0.5 = 13.844588
//   V1  = (1 + bπ⁴/5)²/2 = 2.948182²/2 = 4.345888
//   V2  = a²/8 = 6.125,  V3 = 0
//   V13 = b²π⁸ (1/18 − 1/50) = 8b²π⁸/225 = 3.373700 (the only interaction)
//   S1 = (0.3139, 0.4424, 0);  ST = ((V1 + V13)/V, V2/V, V13/V) = (0.5576, 0.4424, 0.2437)
// N = 2^12 Owen-scrambled Sobol' rows (N (k + 2) = 20,480 evaluations): over 20 seeds the
// largest error of any index was 0.010; the test allows 0.02 on four seeds.
TEST(SobolIndices, Ishigami) {
    const double a = 7, b = 0.1, pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
    const double V = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
    const double V1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5), V2 = a * a / 8, V13 = 8 * b * b * pi8 / 225;
    const double s1[3] = {V1 / V, V2 / V, 0.0};
    const double st[3] = {(V1 + V13) / V, V2 / V, V13 / V};
    // The closed forms give the published values.
    EXPECT_NEAR(s1[0], 0.3139, 1e-4);
    EXPECT_NEAR(s1[1], 0.4424, 1e-4);
    EXPECT_NEAR(st[0], 0.5576, 1e-4);
    EXPECT_NEAR(st[2], 0.2437, 1e-4);

    const std::vector<Distribution> dists(3, Distribution(UniformSpec{-kPi, kPi}));
    const Model ishigami = [&](const double* x, double* y) {
        y[0] = std::sin(x[0]) + a * std::sin(x[1]) * std::sin(x[1]) + b * std::pow(x[2], 4) * std::sin(x[0]);
    };
    int checked = 0;
    for (std::uint64_t seed : {1, 2, 3, 4}) {
        const SaltelliDesign design(4096, 3, seed);
        const SobolIndices r = sobol_indices(design, evaluate(design, dists, 1, ishigami), 1, no_bootstrap());
        EXPECT_NEAR(r.outputs[0].variance, V, 0.3);
        for (std::size_t i = 0; i < 3; ++i, ++checked) {
            EXPECT_NEAR(r.outputs[0].first_order[i].value, s1[i], 0.02) << "S1 " << i << " seed " << seed;
            EXPECT_NEAR(r.outputs[0].total[i].value, st[i], 0.02) << "ST " << i << " seed " << seed;
        }
    }
    EXPECT_EQ(checked, 12);
}

// Sobol' G-function: g = Π_i (|4x_i − 2| + a_i)/(1 + a_i), x_i ~ U[0, 1].
// Each factor has mean 1 and variance V_i = 1/(3(1 + a_i)²), and the factors are
// independent, so V = Π(1 + V_i) − 1, S1_i = V_i / V, ST_i = V_i Π_{j≠i}(1 + V_j) / V.
// a = (0, 1, 4.5, 9, 99, 99): V_i = 1/3, 1/12, 1/90.75, 1/300, 1/30000, 1/30000;
// Π(1 + V_i) = 4/3 · 13/12 · 1.0110193 · 1.0033333 · 1.0000333² = 1.465326, V = 0.465326;
// S1 = (0.7163, 0.1791, 0.0237, 0.0072, 0.0001, 0.0001),
// ST = (0.7873, 0.2422, 0.0343, 0.0105, 0.0001, 0.0001).
// N = 2^12 rows: over 20 seeds the largest error was 0.004; the test allows 0.01.
TEST(SobolIndices, GFunction) {
    const double a[6] = {0, 1, 4.5, 9, 99, 99};
    double v[6], product = 1;
    for (int i = 0; i < 6; ++i) {
        v[i] = 1 / (3 * (1 + a[i]) * (1 + a[i]));
        product *= 1 + v[i];
    }
    const double V = product - 1;
    EXPECT_NEAR(V, 0.465326, 1e-6);
    EXPECT_NEAR(v[0] / V, 0.7163, 1e-4);
    EXPECT_NEAR(v[0] * product / (1 + v[0]) / V, 0.7873, 1e-4);

    const std::vector<Distribution> dists(6, Distribution(UniformSpec{0, 1}));
    const Model g = [&](const double* x, double* y) {
        double r = 1;
        for (int i = 0; i < 6; ++i) r *= (std::fabs(4 * x[i] - 2) + a[i]) / (1 + a[i]);
        y[0] = r;
    };
    const SaltelliDesign design(4096, 6, 2026);
    const SobolIndices r = sobol_indices(design, evaluate(design, dists, 1, g), 1, no_bootstrap());
    for (int i = 0; i < 6; ++i) {
        EXPECT_NEAR(r.outputs[0].first_order[i].value, v[i] / V, 0.01) << i;
        EXPECT_NEAR(r.outputs[0].total[i].value, v[i] * product / (1 + v[i]) / V, 0.01) << i;
    }
}

// Persons × share: Y = X1 X2, X1 ~ U[80,000, 120,000] persons, X2 ~ U[0.5, 0.9].
//   μ1 = 100,000, σ1² = 40,000²/12 = 1.6e9/12;  μ2 = 0.7, σ2² = 0.4²/12 = 0.16/12.
//   E[Y | X1] = μ2 X1 → V1 = μ2² σ1² = 0.49 × 1.6e9/12 = 7.84e8/12
//   E[Y | X2] = μ1 X2 → V2 = μ1² σ2² = 1e10 × 0.16/12 = 1.6e9/12
//   V = E[X1²]E[X2²] − μ1²μ2² = V1 + V2 + σ1²σ2², σ1²σ2² = 2.56e8/144 = 2.1333e7/12
//   12 V = 7.84e8 + 1.6e9 + 0.21333e8 = 2.405333e9
//   S1 = (0.325942, 0.665188);  ST = ((V1 + σ1²σ2²)/V, (V2 + σ1²σ2²)/V) = (0.334812, 0.674058)
// The output's mean (70,000) is 5 times its standard deviation (√V = 14,158): the case
// where an uncentred S1 estimator is noisy. N = 2^10: the largest error over 20 seeds was 0.0013.
TEST(SobolIndices, ProductOfTwoUniforms) {
    const double var1 = 1.6e9 / 12, var2 = 0.16 / 12, mu1 = 1e5, mu2 = 0.7;
    const double V1 = mu2 * mu2 * var1, V2 = mu1 * mu1 * var2, V12 = var1 * var2, V = V1 + V2 + V12;
    EXPECT_NEAR(V1 / V, 0.325942, 1e-6);
    EXPECT_NEAR((V2 + V12) / V, 0.674058, 1e-6);

    const std::vector<Distribution> dists{Distribution(UniformSpec{80000, 120000}), Distribution(UniformSpec{0.5, 0.9})};
    const Model product = [](const double* x, double* y) { y[0] = x[0] * x[1]; };
    const SaltelliDesign design(1024, 2, 5);
    const SobolIndices r = sobol_indices(design, evaluate(design, dists, 1, product), 1, no_bootstrap());
    const OutputIndices& out = r.outputs[0];
    EXPECT_NEAR(out.mean, mu1 * mu2, 50);  // 70,000
    EXPECT_NEAR(out.variance, V, 0.01 * V);
    EXPECT_NEAR(out.first_order[0].value, V1 / V, 0.005);
    EXPECT_NEAR(out.first_order[1].value, V2 / V, 0.005);
    EXPECT_NEAR(out.total[0].value, (V1 + V12) / V, 0.005);
    EXPECT_NEAR(out.total[1].value, (V2 + V12) / V, 0.005);
}

// Centring: adding 10^9 to every output changes no index (beyond rounding), where the raw
// Saltelli numerator mean(f_B (f_ABi − f_A)) would move by 10^9 × mean(f_ABi − f_A).
TEST(SobolIndices, ShiftingTheOutputChangesNothing) {
    const std::vector<Distribution> dists(3, Distribution(UniformSpec{-kPi, kPi}));
    const Model plain = [](const double* x, double* y) { y[0] = std::sin(x[0]) + 7 * std::sin(x[1]) * std::sin(x[1]); };
    const Model shifted = [&](const double* x, double* y) {
        plain(x, y);
        y[0] += 1e9;
    };
    const SaltelliDesign design(512, 3, 8);
    const SobolIndices a = sobol_indices(design, evaluate(design, dists, 1, plain), 1, no_bootstrap());
    const SobolIndices b = sobol_indices(design, evaluate(design, dists, 1, shifted), 1, no_bootstrap());
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_NEAR(a.outputs[0].first_order[i].value, b.outputs[0].first_order[i].value, 1e-6);
        EXPECT_NEAR(a.outputs[0].total[i].value, b.outputs[0].total[i].value, 1e-6);
    }
    EXPECT_NEAR(b.outputs[0].mean - a.outputs[0].mean, 1e9, 1e-3);
}

// ---- bootstrap intervals ---------------------------------------------------------------

// Y = X1 X2 with X1 ~ U[0, 2], X2 ~ U[0, 1]: μ1 = 1, σ1² = 1/3, μ2 = 1/2, σ2² = 1/12;
// V1 = μ2²σ1² = 1/12, V2 = μ1²σ2² = 1/12, V12 = σ1²σ2² = 1/36, V = 7/36;
// S1 = (1/12)/(7/36) = 3/7 for both inputs, ST = (1/12 + 1/36)/(7/36) = 4/7.
// Plain Monte Carlo rows (independent, as the row bootstrap assumes; with Sobol' rows the
// intervals are wider than the error, see the note), N = 256, B = 500, seeds 1 … 100: each
// of the four 95% intervals must contain its true index in 90 … 99 of the 100 runs
// (Binomial(100, 0.95) has 90 … 99 with probability 0.97; the estimators' bias at
// N = 256 is about 0.01 against interval half-widths of about 0.1).
TEST(SobolIndices, BootstrapIntervalsCoverTheTruth) {
    const std::vector<Distribution> dists{Distribution(UniformSpec{0, 2}), Distribution(UniformSpec{0, 1})};
    const Model product = [](const double* x, double* y) { y[0] = x[0] * x[1]; };
    const double truth[4] = {3.0 / 7, 3.0 / 7, 4.0 / 7, 4.0 / 7};
    int covered[4] = {0, 0, 0, 0};
    int runs = 0;
    for (std::uint64_t seed = 1; seed <= 100; ++seed, ++runs) {
        const SaltelliDesign design(256, 2, seed, Sampling::monte_carlo);
        BootstrapOptions options;
        options.resamples = 500;
        options.seed = 1000 + seed;
        const SobolIndices r = sobol_indices(design, evaluate(design, dists, 1, product), 1, options);
        const OutputIndices& o = r.outputs[0];
        const IndexEstimate* e[4] = {&o.first_order[0], &o.first_order[1], &o.total[0], &o.total[1]};
        for (int i = 0; i < 4; ++i) {
            EXPECT_LE(e[i]->low, e[i]->high);
            if (e[i]->low <= truth[i] && truth[i] <= e[i]->high) ++covered[i];
        }
    }
    EXPECT_EQ(runs, 100);
    for (int i = 0; i < 4; ++i) {
        EXPECT_GE(covered[i], 90) << "index " << i;
        EXPECT_LE(covered[i], 99) << "index " << i;
    }
}

/// True if every interval is narrower than `width`, checked here from the intervals.
bool all_narrower(const SobolIndices& r, double width) {
    for (const OutputIndices& o : r.outputs)
        for (const auto* list : {&o.first_order, &o.total})
            for (const IndexEstimate& e : *list)
                if (!(e.high - e.low < width)) return false;
    return true;
}

// The persons × share model again. The row bootstrap treats Sobol' rows as independent,
// so its intervals have Monte Carlo width (half-width ≈ 2 standard errors ∝ 1/√N) even
// where the scrambled points are far more accurate: at N = 2^10 the widest interval is
// 0.12 (the error is 0.001), at N = 2^12 about 0.06, at N = 16 about 1.
TEST(SobolIndices, ConvergedMeansEveryIntervalIsNarrowerThanTheWidth) {
    const std::vector<Distribution> dists{Distribution(UniformSpec{80000, 120000}), Distribution(UniformSpec{0.5, 0.9})};
    const Model product = [](const double* x, double* y) { y[0] = x[0] * x[1]; };
    const SaltelliDesign many(4096, 2, 1), few(16, 2, 1);
    const std::vector<double> y_many = evaluate(many, dists, 1, product), y_few = evaluate(few, dists, 1, product);

    const SobolIndices good = sobol_indices(many, y_many, 1);  // defaults: B = 1000, 95%, width 0.1
    EXPECT_TRUE(good.converged);
    EXPECT_TRUE(all_narrower(good, 0.1));
    EXPECT_LT(good.widest_interval, 0.1);
    // The intervals hold the estimates.
    for (const IndexEstimate& e : good.outputs[0].first_order) {
        EXPECT_LE(e.low, e.value);
        EXPECT_GE(e.high, e.value);
    }

    const SobolIndices poor = sobol_indices(few, y_few, 1);
    EXPECT_FALSE(poor.converged);
    EXPECT_FALSE(all_narrower(poor, 0.1));
    EXPECT_GE(poor.widest_interval, 0.1);

    BootstrapOptions strict;
    strict.converged_width = 1e-4;
    const SobolIndices tight = sobol_indices(many, y_many, 1, strict);
    EXPECT_FALSE(tight.converged);
    EXPECT_EQ(tight.widest_interval, good.widest_interval);  // same seed, same resamples

    const SobolIndices none = sobol_indices(many, y_many, 1, no_bootstrap());
    EXPECT_FALSE(none.converged);
    EXPECT_TRUE(std::isnan(none.outputs[0].total[0].low));
    EXPECT_EQ(none.outputs[0].total[0].value, good.outputs[0].total[0].value);
}

// ---- several outputs, evaluation order -----------------------------------------------

// One design, three outputs evaluated together: Ishigami; a budget-sized linear output
// 10^12 + 10^10 x1 (only x1 matters: every other index is exactly 0, since
// f_ABi − f_A = 0 for i ≠ 1); and a constant (V = 0: indices 0 with intervals [0, 0]).
// Each output's result equals, bit for bit, the output analysed alone with the same
// bootstrap seed.
TEST(SobolIndices, SeveralOutputsInOnePass) {
    const std::vector<Distribution> dists(3, Distribution(UniformSpec{-kPi, kPi}));
    const Model three = [](const double* x, double* y) {
        y[0] = std::sin(x[0]) + 7 * std::sin(x[1]) * std::sin(x[1]) + 0.1 * std::pow(x[2], 4) * std::sin(x[0]);
        y[1] = 1e12 + 1e10 * x[0];
        y[2] = 5.0;
    };
    const SaltelliDesign design(512, 3, 4);
    const std::vector<double> all = evaluate(design, dists, 3, three);
    BootstrapOptions options;
    options.resamples = 200;
    options.seed = 77;
    const SobolIndices together = sobol_indices(design, all, 3, options);
    ASSERT_EQ(together.outputs.size(), 3u);

    for (std::size_t o = 0; o < 3; ++o) {
        std::vector<double> one(design.points());
        for (std::size_t p = 0; p < design.points(); ++p) one[p] = all[p * 3 + o];
        const SobolIndices alone = sobol_indices(design, one, 1, options);
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_EQ(together.outputs[o].first_order[i].value, alone.outputs[0].first_order[i].value);
            EXPECT_EQ(together.outputs[o].first_order[i].low, alone.outputs[0].first_order[i].low);
            EXPECT_EQ(together.outputs[o].total[i].high, alone.outputs[0].total[i].high);
        }
        EXPECT_EQ(together.outputs[o].variance, alone.outputs[0].variance);
    }
    const OutputIndices& linear = together.outputs[1];
    EXPECT_NEAR(linear.first_order[0].value, 1.0, 0.02);
    EXPECT_NEAR(linear.total[0].value, 1.0, 0.02);
    for (std::size_t i = 1; i < 3; ++i) {
        EXPECT_EQ(linear.first_order[i].value, 0.0);
        EXPECT_EQ(linear.total[i].value, 0.0);
    }
    const OutputIndices& constant = together.outputs[2];
    EXPECT_EQ(constant.variance, 0.0);
    EXPECT_EQ(constant.mean, 5.0);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(constant.first_order[i].value, 0.0);
        EXPECT_EQ(constant.total[i].low, 0.0);
        EXPECT_EQ(constant.total[i].high, 0.0);
    }
    EXPECT_THROW(sobol_indices(design, all, 2, options), std::logic_error);  // not points × 2
    std::vector<double> broken = all;
    broken[7] = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW(sobol_indices(design, broken, 3, options), std::logic_error);
}

// The caller may evaluate points in any order (threads): filling the slots backwards, and
// rebuilding the design from its seed, gives the same indices bit for bit.
TEST(SobolIndices, EvaluationOrderDoesNotMatter) {
    const std::vector<Distribution> dists{Distribution(NormalSpec{100, 10, 0.0, {}}), Distribution(BetaSpec{2, 5, 0, 1}),
                                          Distribution(TriangularSpec{0, 1, 3})};
    const auto model = [](const double* x, double* y) { y[0] = x[0] * x[1] + x[2]; };
    const SaltelliDesign design(256, 3, 21);
    const std::vector<double> forward = evaluate(design, dists, 1, model);

    const SaltelliDesign again(256, 3, 21);
    std::vector<double> backward(again.points());
    std::vector<double> x(3);
    for (std::size_t p = again.points(); p-- > 0;) {
        again.values(p, dists, x);
        model(x.data(), &backward[p]);
    }
    EXPECT_EQ(forward, backward);
    BootstrapOptions options;
    options.resamples = 100;
    const SobolIndices a = sobol_indices(design, forward, 1, options);
    const SobolIndices b = sobol_indices(again, backward, 1, options);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(a.outputs[0].first_order[i].value, b.outputs[0].first_order[i].value);
        EXPECT_EQ(a.outputs[0].total[i].low, b.outputs[0].total[i].low);
    }
    EXPECT_EQ(a.widest_interval, b.widest_interval);
}

}  // namespace
}  // namespace subsim::mc
