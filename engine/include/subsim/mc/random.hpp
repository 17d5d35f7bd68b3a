#pragma once
/// Counter-based random numbers for sensitivity draws: Philox4x32-10 (Random123).
///
/// Every random number is a pure function of (seed, purpose, draw index, input index,
/// unit index): no generator state, no sequence to advance. Draw 7 of input 2 is the
/// same number whether it is computed alone, in a batch, on any thread, on any machine
/// and with any standard library (Philox is integer arithmetic only; no std::
/// distribution is used anywhere in subsim::mc).
///
///     const mc::RandomStream draws(seed);               // Purpose::draws
///     double u = draws.uniform(draw, input, unit);      // strictly inside (0, 1)
///     double x = distribution.quantile(u);              // subsim/mc/distribution.hpp
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace subsim::mc {

/// What a stream of random numbers is for. Each purpose has its own Philox key derived
/// from the seed, so the draws of a run, its Saltelli design, the scrambling of its
/// Sobol' points and its bootstrap resamples never reuse each other's numbers.
enum class Purpose : std::uint32_t {
    draws = 0,      ///< Monte Carlo draws of the inputs
    design = 1,     ///< plain Monte Carlo Saltelli matrices A and B
    scramble = 2,   ///< Owen scrambling of Sobol' points
    bootstrap = 3,  ///< row indices of bootstrap resamples
};

/// 128 random bits: Philox4x32's four 32-bit output words.
using Bits128 = std::array<std::uint32_t, 4>;

/// The raw Philox4x32-10 block function (Salmon et al. 2011): `counter` enciphered under
/// `key`. Exposed for the known-answer tests that pin subsim to the published algorithm.
Bits128 philox4x32_10(const Bits128& counter, const std::array<std::uint32_t, 2>& key);

/// A uniform double strictly inside (0, 1) from 64 random bits, with 53-bit resolution:
/// m = the top 53 bits, u = m / 2^53 for m = 1 … 2^53 − 1; m = 0 (probability 2^−53)
/// gives 2^−54 so that u is never 0. The largest value is 1 − 2^−53 < 1. Exact (no
/// rounding): every such u is a double.
double unit_interval(std::uint64_t bits);

/// The random numbers of one seed and purpose.
///
/// Counter layout: (draw low 32 bits, draw high 32 bits, input, unit); key: two words
/// derived from (seed, purpose) by one Philox call. Thread-safe (const, no state).
class RandomStream {
public:
    explicit RandomStream(std::uint64_t seed, Purpose purpose = Purpose::draws);

    /// 128 random bits for (draw, input, unit).
    Bits128 bits(std::uint64_t draw, std::uint32_t input, std::uint32_t unit = 0) const;
    /// A uniform in (0, 1) for (draw, input, unit): unit_interval of output words 0 and 1
    /// (word 0 the high half).
    double uniform(std::uint64_t draw, std::uint32_t input, std::uint32_t unit = 0) const;
    /// Uniforms for draws first_draw … first_draw + draws − 1 and inputs 0 … inputs − 1,
    /// row-major (out[d * inputs + i]); element for element equal to uniform().
    void fill(std::uint64_t first_draw, std::size_t draws, std::uint32_t inputs, std::span<double> out,
              std::uint32_t unit = 0) const;

    const std::array<std::uint32_t, 2>& key() const { return key_; }

private:
    std::array<std::uint32_t, 2> key_;
};

/// Shorthand for RandomStream(seed).uniform(draw, input, unit).
double uniform(std::uint64_t seed, std::uint64_t draw, std::uint32_t input, std::uint32_t unit = 0);

/// floor(bits · n / 2^64): an index in [0, n) from 64 random bits (multiply-shift; the
/// bias is below n / 2^64, about 10^−15 for a million rows).
std::uint64_t scale_to_range(std::uint64_t bits, std::uint64_t n);

}  // namespace subsim::mc
