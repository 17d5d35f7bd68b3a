// The 2025 merger through the whole product at national size: a scenario holding the
// 10,035 former communes (696 districts) to 2025-06-30 and the 3,321 new communes from
// 2025-07-01, a crosswalk of 10,177 rows (1.5% of the former communes split in two),
// one supported group. Written to a temporary folder once (synthetic, fixed seed), then:
//   - BM_MergerNationalLoad: load the scenario (the crosswalk read, checked against the
//     scenario's units and bound to them, the district-level crosswalk built);
//   - BM_MergerNationalRun: compile and cost 2025 (persons carried on 2025-07-01);
//   - BM_MergerNationalByDistrict: the run reported by former district (--by old_district);
//   - BM_MergerNationalCarryDistrictTargets: targets keyed on the 696 former districts
//     carried onto the new communes as population-weighted means, through the loader.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <variant>

#include "subsim/core/executor.hpp"
#include "subsim/engine.hpp"
#include "subsim/io/scenario_loader.hpp"
#include "subsim/report/divisions.hpp"
#include "subsim/sim/compiled.hpp"
#include "subsim/sim/run.hpp"

namespace {

using namespace subsim;
namespace fs = std::filesystem;

constexpr int kOldCommunes = 10'035;
constexpr int kNewCommunes = 3'321;
constexpr int kOldDistricts = 696;

struct Lcg {
    std::uint64_t state;
    std::uint64_t next() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 33;
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

constexpr const char* kHeader = R"Y(scenario:
  id: national-merger
  title: {vi: "Toàn quốc qua sáp nhập", en: "National across the merger"}
  years: {from: 2025, to: 2025}
  provenance: "synthetic (bench)"
parameters:
  base_salary:
    - {from: 2024-07-01, value: 2340000, reference: "NĐ 73/2024/NĐ-CP", confidence: high}
  contribution_rate:
    - {from: 2014-07-01, value: 4.5%, reference: "NĐ 105/2014", confidence: high}
units: {file: units.csv}
groups:
  - {id: near_poor, name: {vi: "Cận nghèo", en: "Near-poor"}}
rules:
  - {id: near_poor_central, label: {vi: "NSTW 70%", en: "Central 70%"}, reference: "Law 51/2024", confidence: high,
     groups: [near_poor], share: 70%, payer: central, from: 2018-12-01}
)Y";

/// The folder with the national scenario (written on first use, removed at exit).
struct Folder {
    fs::path dir = fs::temp_directory_path() / ("subsim-bench-merger-" + std::to_string(::getpid()));
    Folder() {
        fs::create_directories(dir);
        Lcg rng{20250701};
        std::ofstream units(dir / "units.csv"), cw(dir / "crosswalk.csv"), cohorts(dir / "cohorts.csv"),
            population(dir / "population.csv"), targets(dir / "district-targets.csv");
        units << "code,name,level,parent,valid_from,valid_to\nVN,Việt Nam,province,,,\n";
        for (int d = 0; d < kOldDistricts; ++d) units << "D" << d << ",Huyện " << d << ",district,VN,,2025-06-30\n";
        for (int i = 0; i < kOldCommunes; ++i)
            units << 10'000 + i << ",Xã " << 10'000 + i << ",commune,D"
                  << static_cast<std::int64_t>(i) * kOldDistricts / kOldCommunes << ",,2025-06-30\n";
        for (int i = 0; i < kNewCommunes; ++i) units << 30'000 + i << ",Xã mới " << 30'000 + i << ",commune,VN,2025-07-01,\n";
        cw << "new_code,new_name,old_code,old_name,old_district,old_province,part\n";
        cohorts << "year,unit_code,group,persons\n";
        population << "year,unit_code,population\n";
        for (int i = 0; i < kOldCommunes; ++i) {
            const int target = static_cast<int>(static_cast<std::int64_t>(i) * kNewCommunes / kOldCommunes);
            const bool split = rng.below(66) == 0 && target + 1 < kNewCommunes;
            const auto district = static_cast<std::int64_t>(i) * kOldDistricts / kOldCommunes;
            for (int part = 0; part < (split ? 2 : 1); ++part)
                cw << 30'000 + target + part << ",Xã mới," << 10'000 + i << ",Xã," << "Huyện " << district << ",Việt Nam,"
                   << (split ? "part" : "whole") << "\n";
            const int people = 2'000 + rng.below(28'000);
            population << "2025," << 10'000 + i << "," << people << "\n";
            cohorts << "2025," << 10'000 + i << ",near_poor," << rng.below(900) << "\n";
        }
        targets << "year,unit_code,target_pct\n";
        for (int d = 0; d < kOldDistricts; ++d) targets << "2025,Huyện " << d << "," << 90 + rng.below(10) << "\n";
        const std::string crosswalk = R"Y(crosswalks:
  - {id: m, file: crosswalk.csv, division: {vi: "Xã mới", en: "New communes"}, change: 2025-07-01, weights: equal,
     reference: "synthetic", confidence: assumption, scenario_units: [old_commune, old_district, new]}
)Y";
        std::ofstream(dir / "scenario.yaml") << kHeader << crosswalk
                                             << "cohorts: {file: cohorts.csv}\npopulation: {file: population.csv}\n";
        // The new communes only, with the former districts' targets carried onto them.
        std::ofstream(dir / "targets.yaml")
            << std::string(kHeader)
            << R"Y(crosswalks:
  - {id: m, file: crosswalk.csv, division: {vi: "Xã cũ", en: "Old communes"}, change: 2025-07-01, weights: equal,
     reference: "synthetic", confidence: assumption, scenario_units: [new]}
cohorts: {file: new-cohorts.csv}
population: {file: population.csv, by: {crosswalk: m, level: old_commune}}
targets: {file: district-targets.csv, by: {crosswalk: m, level: old_district}}
)Y";
        std::ofstream(dir / "new-units.csv");
        std::ofstream nc(dir / "new-cohorts.csv");
        nc << "year,unit_code,group,persons\n";
        for (int i = 0; i < kNewCommunes; ++i) nc << "2025," << 30'000 + i << ",near_poor,100\n";
    }
    ~Folder() { fs::remove_all(dir); }
    std::string path(const char* name) const { return (dir / name).string(); }
};

const Folder& folder() {
    static const Folder f;
    return f;
}

LoadOptions options() { return LoadOptions{folder().dir.string(), 1}; }

void BM_MergerNationalLoad(benchmark::State& state) {
    for (auto _ : state) {
        const Scenario s = load_scenario(folder().path("scenario.yaml"), options());
        benchmark::DoNotOptimize(s.data->crosswalks.front().table->links().size());
    }
}

void BM_MergerNationalRun(benchmark::State& state) {
    const Scenario s = load_scenario(folder().path("scenario.yaml"), options());
    const Executor ex(1);
    for (auto _ : state) {
        const CompiledScenario c = compile(s, ex);
        const Results r = run_exact(c, ex);
        benchmark::DoNotOptimize(r.lines.size());
    }
}

void BM_MergerNationalByDistrict(benchmark::State& state) {
    const Scenario s = load_scenario(folder().path("scenario.yaml"), options());
    const Executor ex(1);
    const CompiledScenario c = compile(s, ex);
    const Results r = run_exact(c, ex);
    const DivisionSpec spec = std::get<DivisionSpec>(resolve_division(s, "old_district"));
    for (auto _ : state) benchmark::DoNotOptimize(build_division_tables(r, spec).budget.size());
}

void BM_MergerNationalCarryDistrictTargets(benchmark::State& state) {
    // The units file of targets.yaml: the province and the new communes only.
    {
        std::ofstream units(folder().dir / "new-units.csv");
        units << "code,name,level,parent\nVN,Việt Nam,province,\n";
        for (int i = 0; i < kNewCommunes; ++i) units << 30'000 + i << ",Xã mới " << 30'000 + i << ",commune,VN\n";
        std::string yaml;
        {
            std::ifstream in(folder().dir / "targets.yaml");
            yaml.assign(std::istreambuf_iterator<char>(in), {});
        }
        const auto at = yaml.find("units: {file: units.csv}");
        if (at != std::string::npos) yaml.replace(at, 24, "units: {file: new-units.csv}");
        std::ofstream(folder().dir / "targets.yaml") << yaml;
    }
    std::size_t carried = 0;
    for (auto _ : state) {
        const Scenario s = load_scenario(folder().path("targets.yaml"), options());
        carried = s.targets.size();
        benchmark::DoNotOptimize(carried);
    }
    state.counters["targets"] = static_cast<double>(carried);
}

}  // namespace

BENCHMARK(BM_MergerNationalLoad)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MergerNationalRun)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MergerNationalByDistrict)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MergerNationalCarryDistrictTargets)->Unit(benchmark::kMillisecond);
