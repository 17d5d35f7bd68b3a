// Benchmarks of the compiled engine: a compiled scenario run again (exact totals sink,
// double-precision model), as variants, solves and sensitivity draws use it.
#include <benchmark/benchmark.h>

#include "subsim/core/executor.hpp"
#include "subsim/engine.hpp"
#include "subsim/sim/fast.hpp"
#include "national_gen.hpp"

namespace {

using namespace subsim;

const std::string kNinhBinh = SUBSIM_SOURCE_DIR "/scenarios/ninh-binh-2026/scenario.yaml";

/// Running a compiled Ninh Bình scenario again into the totals sink (target: < 2 ms).
void BM_NinhBinh_CompiledTotalsRun(benchmark::State& st) {
    const Scenario s = load_scenario(kNinhBinh);
    const Executor ex(1);
    const CompiledScenario c = compile(s, ex);
    for (auto _ : st) benchmark::DoNotOptimize(run_totals(c, ex).year_payer.data());
}

/// Compiling Ninh Bình (model checks not included).
void BM_NinhBinh_Compile(benchmark::State& st) {
    const Scenario s = load_scenario(kNinhBinh);
    const Executor ex(1);
    for (auto _ : st) benchmark::DoNotOptimize(compile(s, ex).slots().size());
}

/// One double-precision run of a scenario (one sensitivity draw).
void fast_run(benchmark::State& st, const std::string& path) {
    const Scenario s = load_scenario(path);
    const Executor ex(1);
    const CompiledScenario c = compile(s, ex);
    const FastModel m(c);
    const std::vector<double> slots = m.baseline();
    FastModel::Outputs out;
    FastModel::Scratch scratch;
    for (auto _ : st) {
        m.run(slots.data(), nullptr, out, scratch);
        benchmark::DoNotOptimize(out.year_payer.data());
    }
}

void BM_NinhBinh_FastRun(benchmark::State& st) { fast_run(st, kNinhBinh); }
void BM_National_FastRun(benchmark::State& st) { fast_run(st, bench::national_scenario(3321)); }

}  // namespace

BENCHMARK(BM_NinhBinh_CompiledTotalsRun)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NinhBinh_Compile)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NinhBinh_FastRun)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_National_FastRun)->Unit(benchmark::kMillisecond);
