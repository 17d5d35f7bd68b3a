#include "subsim/mc/random.hpp"

#include <Random123/philox.h>

#include <stdexcept>

namespace subsim::mc {
namespace {

/// Marks the counter of the key derivation ("subsimmc" in ASCII), so that it cannot
/// collide with a draw's counter under the raw seed.
constexpr std::uint32_t kDeriveTag1 = 0x73756273;  // "subs"
constexpr std::uint32_t kDeriveTag2 = 0x696d6d63;  // "immc"

std::uint64_t join(std::uint32_t high, std::uint32_t low) {
    return (static_cast<std::uint64_t>(high) << 32) | low;
}

}  // namespace

Bits128 philox4x32_10(const Bits128& counter, const std::array<std::uint32_t, 2>& key) {
    const r123::Philox4x32_R<10> philox;
    const r123::Philox4x32_R<10>::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
    const r123::Philox4x32_R<10>::key_type k = {{key[0], key[1]}};
    const auto r = philox(c, k);
    return {r[0], r[1], r[2], r[3]};
}

double unit_interval(std::uint64_t bits) {
    constexpr double kStep = 1.0 / 9007199254740992.0;  // 2^-53
    const std::uint64_t m = bits >> 11;                  // top 53 bits
    if (m == 0) return kStep / 2;                        // 2^-54: never 0
    return static_cast<double>(m) * kStep;               // exact: m < 2^53
}

RandomStream::RandomStream(std::uint64_t seed, Purpose purpose) {
    const Bits128 derived = philox4x32_10(
        {static_cast<std::uint32_t>(purpose), kDeriveTag1, kDeriveTag2, 0},
        {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
    key_ = {derived[0], derived[1]};
}

Bits128 RandomStream::bits(std::uint64_t draw, std::uint32_t input, std::uint32_t unit) const {
    return philox4x32_10({static_cast<std::uint32_t>(draw), static_cast<std::uint32_t>(draw >> 32), input, unit},
                         key_);
}

double RandomStream::uniform(std::uint64_t draw, std::uint32_t input, std::uint32_t unit) const {
    const Bits128 b = bits(draw, input, unit);
    return unit_interval(join(b[0], b[1]));
}

void RandomStream::fill(std::uint64_t first_draw, std::size_t draws, std::uint32_t inputs, std::span<double> out,
                        std::uint32_t unit) const {
    if (out.size() != draws * inputs) throw std::logic_error("RandomStream::fill: output size is not draws × inputs");
    for (std::size_t d = 0; d < draws; ++d)
        for (std::uint32_t i = 0; i < inputs; ++i) out[d * inputs + i] = uniform(first_draw + d, i, unit);
}

double uniform(std::uint64_t seed, std::uint64_t draw, std::uint32_t input, std::uint32_t unit) {
    return RandomStream(seed).uniform(draw, input, unit);
}

std::uint64_t scale_to_range(std::uint64_t bits, std::uint64_t n) {
    // High 64 bits of the 128-bit product bits × n, from 32-bit halves (portable).
    const std::uint64_t b_lo = bits & 0xFFFFFFFFu, b_hi = bits >> 32;
    const std::uint64_t n_lo = n & 0xFFFFFFFFu, n_hi = n >> 32;
    const std::uint64_t lo_lo = b_lo * n_lo;
    const std::uint64_t hi_lo = b_hi * n_lo;
    const std::uint64_t lo_hi = b_lo * n_hi;
    const std::uint64_t hi_hi = b_hi * n_hi;
    const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFu) + lo_hi;  // ≤ 2^64 − 1: no overflow
    return hi_hi + (hi_lo >> 32) + (cross >> 32);
}

}  // namespace subsim::mc
