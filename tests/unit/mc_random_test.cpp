// Counter-based random numbers (Philox4x32-10) and Owen-scrambled Sobol' points: the
// published known answers, the bit layout, and determinism (a draw is a pure function of
// seed, draw, input and unit).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <vector>

#include "subsim/mc/random.hpp"
#include "subsim/mc/sobol.hpp"

namespace subsim::mc {
namespace {

// ---- Philox --------------------------------------------------------------------------

// Known-answer vectors from Random123's tests/kat_vectors (columns: counter[4], key[2],
// expected[4]), the three "philox4x32 10" lines.
TEST(Philox, MatchesThePublishedKnownAnswers) {
    EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}), (Bits128{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
    EXPECT_EQ(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
              (Bits128{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
    EXPECT_EQ(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
              (Bits128{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

// The layout is part of the reproducibility promise: a stream's key is Philox of
// (purpose, "subs", "immc", 0) under (seed low, seed high); draw d of input i, unit g is
// Philox of (d low, d high, i, g) under that key; u takes words 0 (high) and 1 (low).
TEST(RandomStream, KeyAndCounterLayoutAreAsDocumented) {
    const std::uint64_t seed = 0x0123456789abcdefULL;
    const Bits128 derived = philox4x32_10({3, 0x73756273, 0x696d6d63, 0}, {0x89abcdef, 0x01234567});
    const RandomStream stream(seed, Purpose::bootstrap);
    EXPECT_EQ(stream.key(), (std::array<std::uint32_t, 2>{derived[0], derived[1]}));

    const RandomStream draws(seed);
    const std::uint64_t draw = (std::uint64_t{5} << 32) | 7;  // high word 5, low word 7
    const Bits128 expected = philox4x32_10({7, 5, 2, 9}, draws.key());
    EXPECT_EQ(draws.bits(draw, 2, 9), expected);
    const std::uint64_t joined = (std::uint64_t{expected[0]} << 32) | expected[1];
    EXPECT_EQ(draws.uniform(draw, 2, 9), unit_interval(joined));
    EXPECT_EQ(uniform(seed, draw, 2, 9), draws.uniform(draw, 2, 9));
}

// u = m / 2^53 with m the top 53 of 64 bits; m = 0 gives 2^-54.
TEST(UnitInterval, IsStrictlyInsideWith53BitSteps) {
    const double step = std::ldexp(1.0, -53);
    EXPECT_EQ(unit_interval(0), std::ldexp(1.0, -54));                 // m = 0: never 0
    EXPECT_EQ(unit_interval(0x7FF), std::ldexp(1.0, -54));             // low 11 bits ignored
    EXPECT_EQ(unit_interval(std::uint64_t{1} << 11), step);            // m = 1
    EXPECT_EQ(unit_interval(std::uint64_t{1} << 63), 0.5);             // m = 2^52
    EXPECT_EQ(unit_interval(std::numeric_limits<std::uint64_t>::max()), 1.0 - step);  // m = 2^53 − 1
    EXPECT_LT(unit_interval(std::numeric_limits<std::uint64_t>::max()), 1.0);
    // Adjacent values of m give adjacent multiples of 2^-53, even just below 1.
    const std::uint64_t top = std::numeric_limits<std::uint64_t>::max() - (std::uint64_t{1} << 11);
    EXPECT_EQ(unit_interval(std::numeric_limits<std::uint64_t>::max()) - unit_interval(top), step);
}

TEST(RandomStream, SameCoordinatesSameBitsOthersDiffer) {
    const RandomStream a(42), b(42);
    EXPECT_EQ(a.bits(1000, 3, 7), b.bits(1000, 3, 7));
    EXPECT_EQ(a.uniform(1000, 3, 7), b.uniform(1000, 3, 7));
    const double u = a.uniform(1000, 3, 7);
    EXPECT_NE(u, a.uniform(1001, 3, 7));              // another draw
    EXPECT_NE(u, a.uniform(1000, 4, 7));              // another input
    EXPECT_NE(u, a.uniform(1000, 3, 8));              // another unit
    EXPECT_NE(u, RandomStream(43).uniform(1000, 3, 7));  // another seed
    EXPECT_NE(u, RandomStream(42, Purpose::design).uniform(1000, 3, 7));  // another purpose
    // Draw indices above 2^32 are not folded onto small ones.
    EXPECT_NE(a.uniform(5, 0), a.uniform((std::uint64_t{1} << 32) + 5, 0));

    // 4,000 uniforms: all distinct and inside (0, 1).
    std::set<double> seen;
    for (std::uint64_t d = 0; d < 1000; ++d)
        for (std::uint32_t i = 0; i < 4; ++i) {
            const double v = a.uniform(d, i);
            EXPECT_GT(v, 0.0);
            EXPECT_LT(v, 1.0);
            seen.insert(v);
        }
    EXPECT_EQ(seen.size(), 4000u);
}

TEST(RandomStream, ADrawAloneEqualsTheSameDrawInABatch) {
    const RandomStream stream(2026);
    const std::size_t draws = 50;
    const std::uint32_t inputs = 4;
    std::vector<double> batch(draws * inputs);
    stream.fill(1000, draws, inputs, batch, 3);
    std::size_t checked = 0;
    for (std::size_t d = 0; d < draws; ++d)
        for (std::uint32_t i = 0; i < inputs; ++i, ++checked)
            EXPECT_EQ(batch[d * inputs + i], stream.uniform(1000 + d, i, 3)) << d << ", " << i;
    EXPECT_EQ(checked, 200u);
    // Computed in reverse order (another thread schedule): the same numbers.
    std::vector<double> reverse(draws * inputs);
    for (std::size_t d = draws; d-- > 0;)
        for (std::uint32_t i = inputs; i-- > 0;) reverse[d * inputs + i] = RandomStream(2026).uniform(1000 + d, i, 3);
    EXPECT_EQ(reverse, batch);
    std::vector<double> wrong_size(3);
    EXPECT_THROW(stream.fill(0, 2, 2, wrong_size), std::logic_error);
}

TEST(ScaleToRange, IsTheHighHalfOfTheProduct) {
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    EXPECT_EQ(scale_to_range(0, 10), 0u);
    EXPECT_EQ(scale_to_range(std::uint64_t{1} << 63, 10), 5u);  // ½ · 10
    EXPECT_EQ(scale_to_range(max, 10), 9u);                     // (2^64 − 1)·10 / 2^64 = 9.99…
    // (2^64 − 1)² / 2^64 = 2^64 − 2 + 2^-64 → 2^64 − 2.
    EXPECT_EQ(scale_to_range(max, max), max - 1);
    // 2^32 · (2^32 + 3) / 2^64 = 1 + 3 · 2^-32 → 1.
    EXPECT_EQ(scale_to_range(std::uint64_t{1} << 32, (std::uint64_t{1} << 32) + 3), 1u);
}

// ---- Sobol' --------------------------------------------------------------------------

// Dimension 1 has direction numbers 1/2, 1/4, 1/8, …; dimension 2 (polynomial x + 1,
// m = 1, 3, 5, …) has 1/2, 3/4, 5/8, …. Point p is the XOR of the direction numbers of
// the bits of its Gray code g = p ^ (p >> 1):
//   p = 0, g = 0: (0, 0)
//   p = 1, g = 1: (1/2, 1/2)
//   p = 2, g = 3: (1/2 ^ 1/4, 1/2 ^ 3/4) = (0.11b, 0.01b) = (3/4, 1/4)
//   p = 3, g = 2: (1/4, 3/4)
//   p = 4, g = 6: (1/4 ^ 1/8, 3/4 ^ 5/8) = (0.011b, 0.011b) = (3/8, 3/8)
TEST(Sobol, FirstPointsByHand) {
    const std::vector<std::uint64_t> bits = sobol_bits(5, 2);
    const double two64 = 18446744073709551616.0;
    const double expected[5][2] = {{0, 0}, {0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}};
    for (std::size_t p = 0; p < 5; ++p)
        for (std::size_t j = 0; j < 2; ++j)
            EXPECT_EQ(static_cast<double>(bits[p * 2 + j]) / two64, expected[p][j]) << p << ", " << j;
    EXPECT_THROW(sobol_bits(4, 0), std::logic_error);
    EXPECT_THROW(sobol_bits(4, 3668), std::logic_error);
}

/// Cell index of u among 2^level equal cells.
std::size_t cell(double u, int level) { return static_cast<std::size_t>(std::ldexp(u, level)); }

// The first 2^m Sobol' points form a (0, m, 2)-net in dimensions 1–2 and have one point
// per interval [c/2^m, (c+1)/2^m) in each dimension. Owen scrambling permutes the
// elementary intervals, so the scrambled points keep both properties.
TEST(Sobol, OwenScramblingKeepsTheNet) {
    const int m = 10;
    const std::size_t n = std::size_t{1} << m, dims = 6;
    const std::vector<double> u = scrambled_sobol(n, dims, 7);
    ASSERT_EQ(u.size(), n * dims);
    for (std::size_t j = 0; j < dims; ++j) {
        std::vector<int> count(n, 0);
        for (std::size_t p = 0; p < n; ++p) ++count[cell(u[p * dims + j], m)];
        EXPECT_EQ(*std::min_element(count.begin(), count.end()), 1) << "dimension " << j;
        EXPECT_EQ(*std::max_element(count.begin(), count.end()), 1) << "dimension " << j;
    }
    // Boxes of 2^-a × 2^-(m−a): exactly one point each, for every a.
    for (int a = 0; a <= m; ++a) {
        std::vector<int> count(n, 0);
        for (std::size_t p = 0; p < n; ++p)
            ++count[(cell(u[p * dims], a) << (m - a)) | cell(u[p * dims + 1], m - a)];
        EXPECT_EQ(*std::max_element(count.begin(), count.end()), 1) << "a = " << a;
    }
}

// Scrambling randomises: one point (the origin, unscrambled) lands uniformly on (0, 1)
// across seeds. Over 2,000 seeds its mean is 0.5 with standard error
// √(1/12 / 2000) = 0.0065; |error| < 0.03 is over 4.5 standard errors. Its low bits are
// random too (a digital shift of only the top bits would leave 2^-32 structure).
TEST(Sobol, ScrambledOriginIsUniformAcrossSeeds) {
    double sum = 0;
    int below_quarter = 0;
    std::set<std::uint32_t> low_words;
    for (std::uint64_t seed = 0; seed < 2000; ++seed) {
        const std::vector<double> u = scrambled_sobol(1, 1, seed);
        sum += u[0];
        if (u[0] < 0.25) ++below_quarter;
        low_words.insert(static_cast<std::uint32_t>(owen_scramble(0, RandomStream(seed, Purpose::scramble), 0)));
    }
    EXPECT_NEAR(sum / 2000, 0.5, 0.03);
    // Binomial(2000, 1/4): mean 500, sd 19.4.
    EXPECT_NEAR(below_quarter, 500, 80);
    EXPECT_GT(low_words.size(), 1990u);
}

TEST(Sobol, SameSeedSamePointsOtherSeedOtherPoints) {
    EXPECT_EQ(scrambled_sobol(64, 3, 11), scrambled_sobol(64, 3, 11));
    EXPECT_NE(scrambled_sobol(64, 3, 11), scrambled_sobol(64, 3, 12));
    // The first points of a longer run are the points of a shorter one.
    const std::vector<double> long_run = scrambled_sobol(128, 3, 11);
    const std::vector<double> short_run = scrambled_sobol(64, 3, 11);
    EXPECT_TRUE(std::equal(short_run.begin(), short_run.end(), long_run.begin()));
    EXPECT_THROW(owen_scramble(1, RandomStream(1, Purpose::scramble), 0), std::logic_error);
}

}  // namespace
}  // namespace subsim::mc
