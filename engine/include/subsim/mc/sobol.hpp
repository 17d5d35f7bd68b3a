#pragma once
/// Quasi-random points: the Sobol' sequence (Boost.Random's `sobol`, Joe–Kuo direction
/// numbers, up to 3667 dimensions), randomised by Owen's nested uniform scrambling with
/// Philox bits, so that every point is uniform on (0, 1)^d, estimates are unbiased, and a
/// seed gives the same points on every machine.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace subsim::mc {

class RandomStream;

/// The largest number of points (indices must fit the 32 scrambled levels).
inline constexpr std::size_t kMaxSobolPoints = std::size_t{1} << 31;
/// The most dimensions Boost.Random's Sobol' tables cover.
inline constexpr std::size_t kMaxSobolDimensions = 3667;

/// Points 0 … points − 1 of the unscrambled sequence as 64-bit binary fractions
/// (coordinate = value / 2^64), row-major: out[p * dimensions + j]. Point 0 is the origin;
/// points come in Gray-code order (point p is the Sobol' point of index p ^ (p >> 1)),
/// so the first 2^m points are exactly the first 2^m of the sequence (a (t, m, d)-net).
std::vector<std::uint64_t> sobol_bits(std::size_t points, std::size_t dimensions);

/// Owen's nested uniform scrambling of one coordinate in dimension `dimension`: bit
/// level ℓ (from the most significant, ℓ < 32) is flipped by a random bit that depends on
/// (dimension, ℓ, the ℓ bits above it); the 32 bits below level 32 are random bits keyed
/// by the 32 bits above (what nested scrambling gives to the all-zero tail of a point of
/// index < 2^32). One Philox call serves 7 levels (127 tree nodes), so a coordinate
/// costs 6 calls. `x` must have its low 32 bits zero (true of sobol_bits for fewer than
/// 2^32 points).
std::uint64_t owen_scramble(std::uint64_t x, const RandomStream& stream, std::uint32_t dimension);

/// Owen-scrambled Sobol' points in (0, 1)^d (unit_interval of the scrambled bits),
/// row-major, from a RandomStream(seed, Purpose::scramble).
std::vector<double> scrambled_sobol(std::size_t points, std::size_t dimensions, std::uint64_t seed);

}  // namespace subsim::mc
