#pragma once
// Shared by the golden tests: a shipped scenario loaded, validated and simulated once per
// test suite, with lookups by code and id. Expected figures stay in each test file,
// worked out by hand.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "subsim/io/scenario_loader.hpp"
#include "subsim/model/scenario.hpp"
#include "subsim/engine.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/sim/costing.hpp"
#include "subsim/sim/results.hpp"

namespace subsim::golden {

/// A scenario and what the engine makes of it. Results point into the scenario, so
/// they live together.
struct Loaded {
    explicit Loaded(const std::string& path)
        : scenario(load_scenario(path)), warnings(engine::validate(scenario, Executor::serial())), results(simulate(scenario)) {}
    Scenario scenario;
    std::vector<Warning> warnings;
    Results results;
};

/// CRTP base: `Suite::kScenario` names the scenario file.
template <class Suite>
class GoldenSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite() { loaded_ = std::make_unique<Loaded>(Suite::kScenario); }
    static void TearDownTestSuite() { loaded_.reset(); }

    static const Scenario& s() { return loaded_->scenario; }
    static const Results& r() { return loaded_->results; }
    static const std::vector<Warning>& warnings() { return loaded_->warnings; }

    static int unit(const char* code) { return found(s().find_unit(code), code); }
    static int group(const char* id) { return found(s().find_group(id), id); }
    static int payer(const char* id) { return found(s().find_payer(id), id); }
    static int rule(const char* id) { return found(s().find_rule(id), id); }

    /// A payer's yearly cost in one unit, from totals_by_unit (0 if it pays nothing there).
    static Dong unit_payer_total(int year, int unit_index, int payer_index) {
        Dong sum = 0;
        int rows = 0;
        for (const auto& t : totals_by_unit(r()))
            if (t.year == year && t.unit == unit_index && t.payer == payer_index) {
                sum += t.cost;
                ++rows;
            }
        EXPECT_LE(rows, 1) << "duplicate unit totals";
        return sum;
    }

    static const CoverageRow* coverage(int year, const char* unit_code) {
        const int u = unit(unit_code);
        for (const auto& c : r().coverage)
            if (c.year == year && c.unit == u) return &c;
        return nullptr;
    }

private:
    static int found(int index, const char* key) {
        EXPECT_GE(index, 0) << key << " is not in the scenario";
        return index;
    }
    inline static std::unique_ptr<Loaded> loaded_;
};

}  // namespace subsim::golden
