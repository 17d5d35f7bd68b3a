#pragma once
// Synthetic national-size scenario for benchmarks and scale tests: provinces ×
// communes × 20 groups × 10 years, with mid-year rule and base-salary changes and
// overlaps. Seeded and deterministic (splitmix64, no std distributions). The data are
// generated at bench time, never committed: they are not real figures.
#include <cstdint>
#include <string>

namespace subsim::bench {

struct NationalSpec {
    int provinces = 34;
    int communes = 3321;
    int groups = 20;
    int first_year = 2026;
    int years = 10;
    std::uint64_t seed = 20261122;
};

/// Writes scenario.yaml and its CSV files into `dir` (created if needed).
/// Returns the path of scenario.yaml.
std::string write_national_scenario(const std::string& dir, const NationalSpec& spec);

/// The national scenario with `communes` communes (34 provinces), written once per size
/// into the benchmark's scratch folder; returns the path of its scenario.yaml.
std::string national_scenario(int communes);

}  // namespace subsim::bench
