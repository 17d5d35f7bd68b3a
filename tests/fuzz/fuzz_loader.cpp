/// libFuzzer harness: the input is a scenario YAML. It is loaded (load_scenario_text,
/// with a fixed scenario root holding the tiny scenario's CSV tables, so `file:`
/// references resolve), validated and, if it passes, simulated; the results must
/// reconcile (fuzz_checks.hpp). No report is written.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_checks.hpp"
#include "fuzz_common.hpp"
#include "fuzz_fixture.hpp"
#include "subsim/io/scenario_loader.hpp"
#include "subsim/engine.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/sim/costing.hpp"

namespace {

using namespace subsim;

namespace fs = std::filesystem;

/// Copies the CSV tables under `from` (recursively) to `to`, if `from` exists.
void copy_tables(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    if (!fs::is_directory(from, ec)) return;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(from)) {
        if (!e.is_regular_file() || e.path().extension() != ".csv") continue;
        const fs::path target = to / fs::relative(e.path(), from);
        fs::create_directories(target.parent_path());
        fs::copy_file(e.path(), target, fs::copy_options::overwrite_existing);
    }
}

/// The scenario root: <tmp>/subsim-fuzz-loader-XXXXXX/scenarios, holding the tiny
/// tables, and (when the source tree is at hand) the tables of the An Giang scenario
/// under an-giang-2016-2020/ and of tests/invalid under data/, so the seeds made from
/// them resolve their `file:` references.
struct Fixture {
    fuzz::ScratchDir scratch{"subsim-fuzz-loader"};
    std::filesystem::path root = scratch.path() / "scenarios";
    std::string scenario_path = (root / "scenario.yaml").string();
    LoadOptions options;

    Fixture() {
        std::filesystem::create_directories(root / "sub");
        fuzz::write_tiny_tables(root);
        fuzz::write_tiny_tables(root / "sub");  // for "sub/…" paths
        fuzz::write_file(scratch.path() / "outside.csv", fuzz::kTinyUnitsCsv);  // must stay unreachable
        const fs::path source(SUBSIM_SOURCE_DIR);
        copy_tables(source / "scenarios/an-giang-2016-2020", root / "an-giang-2016-2020");
        copy_tables(source / "tests/invalid/data", root / "data");
        options.root = root.string();
    }
};

Fixture& fixture() {
    static Fixture f;  // its folder is removed when the fuzzer exits
    return f;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)fixture();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Fixture& f = fixture();
    const std::string yaml(reinterpret_cast<const char*>(data), size);
    fuzz::expect_clean([&] {
        const Scenario scenario = load_scenario_text(f.scenario_path, yaml, f.options);
        (void)engine::validate(scenario, Executor::serial());
        const Results results = simulate(scenario);
        if (results.scenario != &scenario) fuzz::finding("results do not point at their scenario");
        fuzz::check_results(results);
    });
    return 0;
}
