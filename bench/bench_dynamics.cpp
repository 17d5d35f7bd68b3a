// Google Benchmark: the cohort-component projection and age windows at national size
// (3,321 units × 101 ages × 10 years, one combined sex). Registered into subsim_bench.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "subsim/population/cohort_component.hpp"

namespace {

using namespace subsim::dynamics;

constexpr int kNationalUnits = 3321;

/// A national-size input: each unit an exponential age profile of its own size, one life table
/// (Gompertz-like q_x), one fertility schedule, one migration rate for all and a few of their own.
ProjectionInput national_input() {
    ProjectionInput in;
    in.base_year = 2025;
    in.years = 10;
    in.units = kNationalUnits;
    in.sexes = 1;
    in.base.resize(static_cast<std::size_t>(kNationalUnits) * kAges);
    for (int u = 0; u < kNationalUnits; ++u) {
        const double size = 300.0 + static_cast<double>((u * 7919) % 1000);
        for (int x = 0; x < kAges; ++x)
            in.base[static_cast<std::size_t>(u) * kAges + x] = size * std::exp(-0.02 * x);
    }
    LifeTable t;
    std::vector<double> q(kAges);
    for (int x = 0; x < kAges; ++x) q[static_cast<std::size_t>(x)] = std::min(1.0, 0.0005 * std::exp(0.085 * x));
    q[0] = 0.015;
    t.values = {q};
    in.life_tables = {t};
    Fertility f;
    for (int a = 0; a < kFertileAges; ++a) f.asfr[static_cast<std::size_t>(a)] = 0.055;
    in.fertility = {f};
    in.female_fraction = 0.494;
    in.migration = {{kAllUnits, 2025, -0.0005}};
    for (int u = 0; u < kNationalUnits; u += 50) in.migration.push_back({u, 2028, 0.01});
    return in;
}

void BM_CohortComponentNational(benchmark::State& state) {
    const ProjectionInput in = national_input();
    for (auto _ : state) {
        const Projection p = project(in);
        benchmark::DoNotOptimize(p.total(p.last_year(), kNationalUnits - 1));
    }
    state.counters["units"] = kNationalUnits;
}

/// Four age-defined groups (under 6, 60–<80, 70–<75, 75+) per unit and year, after projecting.
void BM_AgeWindowsNational(benchmark::State& state) {
    const Projection p = project(national_input());
    const AgeWindow windows[] = {{0, 6}, {60, 80}, {70, 75}, {75, kOpenEnd}};
    for (auto _ : state) {
        double sum = 0.0;
        for (int y = p.base_year(); y < p.last_year(); ++y)
            for (int u = 0; u < p.units(); ++u)
                for (const AgeWindow& w : windows) sum += person_months(window_persons(p, y, u, w));
        benchmark::DoNotOptimize(sum);
    }
}

}  // namespace

BENCHMARK(BM_CohortComponentNational)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AgeWindowsNational)->Unit(benchmark::kMillisecond);
