#include "subsim/mc/sobol.hpp"

#include <stdexcept>

#include <boost/random/sobol.hpp>

#include "subsim/mc/random.hpp"

namespace subsim::mc {

std::vector<std::uint64_t> sobol_bits(std::size_t points, std::size_t dimensions) {
    if (dimensions == 0 || dimensions > kMaxSobolDimensions)
        throw std::logic_error("sobol_bits: dimensions outside 1 … 3667");
    if (points > kMaxSobolPoints) throw std::logic_error("sobol_bits: more than 2^31 points");
    std::vector<std::uint64_t> out(points * dimensions, 0);  // point 0: the origin
    if (points <= 1) return out;
    // boost::random::sobol skips the origin and yields the points of Gray-code index
    // 1, 2, 3, … (Sobol' indices 1, 3, 2, 6, …), one coordinate per call.
    boost::random::sobol engine(dimensions);
    for (std::size_t p = 1; p < points; ++p)
        for (std::size_t j = 0; j < dimensions; ++j) out[p * dimensions + j] = engine();
    return out;
}

std::uint64_t owen_scramble(std::uint64_t x, const RandomStream& stream, std::uint32_t dimension) {
    if ((x & 0xFFFFFFFFu) != 0) throw std::logic_error("owen_scramble: low 32 bits not zero");
    const auto hi = static_cast<std::uint32_t>(x >> 32);
    std::uint32_t flips = 0;
    // Levels d … d + 6 share one Philox call keyed by the d bits above level d; level d + j
    // takes bit (2^j − 1) + (the j bits of x at levels d … d + j − 1) of its 128 bits.
    for (unsigned d = 0; d < 32; d += 7) {
        const std::uint32_t prefix = d == 0 ? 0u : hi >> (32 - d);
        const Bits128 bits = stream.bits(prefix, dimension, d);
        const unsigned levels = d + 7 <= 32 ? 7u : 32u - d;
        for (unsigned j = 0; j < levels; ++j) {
            const std::uint32_t below = j == 0 ? 0u : (hi >> (32 - d - j)) & ((1u << j) - 1u);
            const std::uint32_t pos = ((1u << j) - 1u) + below;
            const std::uint32_t flip = (bits[pos >> 5] >> (pos & 31u)) & 1u;
            flips |= flip << (31 - (d + j));
        }
    }
    const Bits128 tail = stream.bits(hi, dimension, 32);
    return (static_cast<std::uint64_t>(hi ^ flips) << 32) | tail[0];
}

std::vector<double> scrambled_sobol(std::size_t points, std::size_t dimensions, std::uint64_t seed) {
    const std::vector<std::uint64_t> raw = sobol_bits(points, dimensions);
    const RandomStream stream(seed, Purpose::scramble);
    std::vector<double> out(raw.size());
    for (std::size_t p = 0; p < points; ++p)
        for (std::size_t j = 0; j < dimensions; ++j)
            out[p * dimensions + j] =
                unit_interval(owen_scramble(raw[p * dimensions + j], stream, static_cast<std::uint32_t>(j)));
    return out;
}

}  // namespace subsim::mc
