/// libFuzzer harness: the whole pipeline on the tiny scenario (fuzz_fixture.hpp) whose
/// data tables are the fuzz input. The bytes are split at NUL bytes into, in order,
/// cohorts.csv, population.csv, overlaps.csv and inflows.csv; a table the input does
/// not reach keeps the fixture's content. Then load → validate → simulate (results must
/// reconcile) → write_reports into an empty folder (language chosen by the input length).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_checks.hpp"
#include "fuzz_common.hpp"
#include "fuzz_fixture.hpp"
#include "subsim/io/scenario_loader.hpp"
#include "subsim/engine.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/report/reports.hpp"
#include "subsim/sim/costing.hpp"

namespace {

using namespace subsim;
namespace fs = std::filesystem;

constexpr char kTableSeparator = '\0';
constexpr const char* kFuzzedTables[] = {"cohorts.csv", "population.csv", "overlaps.csv", "inflows.csv"};

struct Fixture {
    fuzz::ScratchDir scratch{"subsim-fuzz-pipeline"};
    fs::path root = scratch.path() / "scenarios";
    fs::path scenario = root / "scenario.yaml";
    fs::path out = scratch.path() / "out";
    LoadOptions options;

    Fixture() {
        fs::create_directories(root);
        fuzz::write_file(scenario, fuzz::kTinyScenarioYaml);
        fuzz::write_tiny_tables(root);  // units.csv and targets.csv stay as they are
        options.root = root.string();
    }
};

Fixture& fixture() {
    static Fixture f;  // its folder is removed when the fuzzer exits
    return f;
}

std::vector<std::string_view> split_tables(std::string_view input) {
    std::vector<std::string_view> parts;
    while (parts.size() + 1 < std::size(kFuzzedTables)) {
        const std::size_t cut = input.find(kTableSeparator);
        if (cut == std::string_view::npos) break;
        parts.push_back(input.substr(0, cut));
        input.remove_prefix(cut + 1);
    }
    parts.push_back(input);
    return parts;
}

/// The fixture's content of each fuzzed table, in kFuzzedTables order.
constexpr std::string_view kFixtureTables[] = {fuzz::kTinyCohortsCsv, fuzz::kTinyPopulationCsv,
                                               fuzz::kTinyOverlapsCsv, fuzz::kTinyInflowsCsv};
static_assert(std::size(kFixtureTables) == std::size(kFuzzedTables));

void write_tables(const Fixture& f, std::string_view input) {
    const std::vector<std::string_view> parts = split_tables(input);
    for (std::size_t i = 0; i < std::size(kFuzzedTables); ++i)
        fuzz::write_file(f.root / kFuzzedTables[i], i < parts.size() ? parts[i] : kFixtureTables[i]);
}

void fresh_folder(const fs::path& dir) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec || !fs::create_directory(dir)) fuzz::finding("cannot make the report folder " + dir.string());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)fixture();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Fixture& f = fixture();
    write_tables(f, std::string_view(reinterpret_cast<const char*>(data), size));
    fuzz::expect_clean([&] {
        const Scenario scenario = load_scenario(f.scenario.string(), f.options);
        (void)engine::validate(scenario, Executor::serial());
        const Results results = simulate(scenario);
        fuzz::check_results(results);
        fresh_folder(f.out);
        const ReportOptions options{size % 2 == 0 ? Lang::vi : Lang::en, "fuzz", "2026-01-01T00:00:00Z"};
        write_reports(f.out, results, options);
    });
    return 0;
}
