// Google Benchmark programs. Figures go in README (see tools/bench.sh for the
// whole-process timings with peak memory).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>

#include "national_gen.hpp"
#include "subsim/io/scenario_loader.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/population/projection.hpp"
#include "subsim/report/reports.hpp"
#include "subsim/sim/costing.hpp"

namespace fs = std::filesystem;
using namespace subsim;

namespace {

std::string source(const std::string& rel) { return std::string(SUBSIM_SOURCE_DIR) + "/" + rel; }

fs::path scratch() {
    static const fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / ("subsim-bench-" + std::to_string(::getpid()));
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

}  // namespace

/// The synthetic national scenario with `communes` communes, generated once per size.
std::string bench::national_scenario(int communes) {
    static std::map<int, std::string> paths;
    auto it = paths.find(communes);
    if (it != paths.end()) return it->second;
    bench::NationalSpec spec;
    spec.communes = communes;
    const std::string path = bench::write_national_scenario((scratch() / ("national-" + std::to_string(communes))).string(), spec);
    return paths[communes] = path;
}

namespace {

std::string national(int communes) { return bench::national_scenario(communes); }

void end_to_end(benchmark::State& state, const std::string& path) {
    const fs::path out = scratch() / "out";
    for (auto _ : state) {
        const Scenario s = load_scenario(path);
        validate(s);
        const Results r = simulate(s);
        publish(out, [&](const fs::path& dir) { write_reports(dir, r, {Lang::vi, "bench", "2026-01-01T00:00:00Z"}); });
    }
}

void costing_only(benchmark::State& state, const std::string& path) {
    const Scenario s = load_scenario(path);
    validate(s);
    std::size_t lines = 0;
    for (auto _ : state) {
        const Results r = simulate(s);
        lines = r.lines.size();
        benchmark::DoNotOptimize(lines);
    }
    state.counters["lines"] = static_cast<double>(lines);
}

void BM_AnGiang_EndToEnd(benchmark::State& st) { end_to_end(st, source("scenarios/an-giang-2016-2020/scenario.yaml")); }
void BM_AnGiang_Costing(benchmark::State& st) { costing_only(st, source("scenarios/an-giang-2016-2020/scenario.yaml")); }
void BM_NinhBinh_EndToEnd(benchmark::State& st) { end_to_end(st, source("scenarios/ninh-binh-2026/scenario.yaml")); }
void BM_NinhBinh_Costing(benchmark::State& st) { costing_only(st, source("scenarios/ninh-binh-2026/scenario.yaml")); }
void BM_National_EndToEnd(benchmark::State& st) { end_to_end(st, national(3321)); }
void BM_National_Costing(benchmark::State& st) { costing_only(st, national(3321)); }
void BM_National_Load(benchmark::State& st) {
    const std::string path = national(3321);
    for (auto _ : st) benchmark::DoNotOptimize(load_scenario(path).units().size());
}

void BM_National_Validate(benchmark::State& st) {
    const Scenario s = load_scenario(national(3321));
    for (auto _ : st) benchmark::DoNotOptimize(validate(s).size());
}
void BM_National_Projection(benchmark::State& st) {
    const Scenario s = load_scenario(national(3321));
    for (auto _ : st) benchmark::DoNotOptimize(project_cohorts(s).at(s.last_year, 0, 0));
}
/// Writing and publishing the reports (replacing the previous run's folder).
void BM_National_Reports(benchmark::State& st) {
    const Scenario s = load_scenario(national(3321));
    validate(s);
    const Results r = simulate(s);
    const fs::path out = scratch() / "out-reports";
    for (auto _ : st)
        publish(out, [&](const fs::path& dir) { write_reports(dir, r, {Lang::vi, "bench", "2026-01-01T00:00:00Z"}); });
}

/// report.xlsx and report.html alone (what the people's reports add to a run): the
/// tables they share are worked out by each writer here, as a single call would.
void office_reports(benchmark::State& st, const std::string& path) {
    const Scenario s = load_scenario(path);
    validate(s);
    const Results r = simulate(s);
    const fs::path file = scratch() / "report.xlsx";
    ReportOptions o{Lang::vi, "bench", "2026-08-15T00:00:00Z"};
    for (auto _ : st) {
        write_xlsx_report(file, r, o);
        std::ostringstream html;
        write_html_report(html, r, o);
        benchmark::DoNotOptimize(html.str().size());
    }
    st.counters["xlsx_bytes"] = static_cast<double>(fs::file_size(file));
}
void BM_NinhBinh_OfficeReports(benchmark::State& st) { office_reports(st, source("scenarios/ninh-binh-2026/scenario.yaml")); }
void BM_National_OfficeReports(benchmark::State& st) { office_reports(st, national(3321)); }

/// Costing time against commune count: should grow linearly.
void BM_Costing_Communes(benchmark::State& st) {
    const int communes = static_cast<int>(st.range(0));
    const Scenario s = load_scenario(national(communes));
    for (auto _ : st) benchmark::DoNotOptimize(simulate(s).lines.size());
    st.SetComplexityN(communes);
}

}  // namespace

BENCHMARK(BM_AnGiang_EndToEnd)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnGiang_Costing)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_NinhBinh_EndToEnd)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NinhBinh_Costing)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NinhBinh_OfficeReports)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_National_Load)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_National_Validate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_National_Projection)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_National_Costing)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_National_Reports)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_National_OfficeReports)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_National_EndToEnd)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Costing_Communes)->Arg(100)->Arg(300)->Arg(1000)->Arg(3000)->Arg(10000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

BENCHMARK_MAIN();
