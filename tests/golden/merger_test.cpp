// Every shipped scenario across a change of units reconciles: in the change year the new
// units' months and the old units' months add up to the year's provincial total (nobody
// counted twice or lost), the persons carried on the change date are the old units'
// persons, and every report by another division adds up to the run's totals. Scenarios
// are found at run time (every scenarios/*/scenario.yaml with a crosswalk).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sim/compiled_impl.hpp"
#include "subsim/core/executor.hpp"
#include "subsim/io/scenario_loader.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/report/divisions.hpp"
#include "subsim/sim/compiled.hpp"
#include "subsim/sim/costing.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {
namespace {

namespace fs = std::filesystem;

struct Shipped {
    std::string path;
    Scenario scenario;
    Results results;
};

/// Every shipped scenario that declares a crosswalk, loaded and simulated once.
const std::vector<std::unique_ptr<Shipped>>& with_crosswalks() {
    static const std::vector<std::unique_ptr<Shipped>> all = [] {
        std::vector<std::string> paths;
        for (const auto& entry : fs::directory_iterator(fs::path(SUBSIM_SOURCE_DIR) / "scenarios"))
            if (fs::is_regular_file(entry.path() / "scenario.yaml")) paths.push_back((entry.path() / "scenario.yaml").string());
        std::sort(paths.begin(), paths.end());
        std::vector<std::unique_ptr<Shipped>> loaded;
        for (const auto& path : paths) {
            auto s = std::make_unique<Shipped>();
            s->path = path;
            try {
                s->scenario = load_scenario(path);
                if (s->scenario.data->crosswalks.empty()) continue;
                (void)validate(s->scenario);
                s->results = simulate(s->scenario);
            } catch (const std::exception& e) {
                ADD_FAILURE() << path << ": " << e.what();
                continue;
            }
            loaded.push_back(std::move(s));
        }
        return loaded;
    }();
    return all;
}

TEST(MergerReconcile, TheShippedScenariosAcrossTheMergerAreFound) {
    std::vector<std::string> ids;
    for (const auto& s : with_crosswalks()) ids.push_back(s->scenario.id);
    EXPECT_NE(std::find(ids.begin(), ids.end(), "ninh-binh-2022-2025"), ids.end());
    EXPECT_NE(std::find(ids.begin(), ids.end(), "lao-cai-2024-2025"), ids.end());
}

TEST(MergerReconcile, NewUnitsSecondHalfPlusOldUnitsFirstHalfIsTheProvincialTotal) {
    int checked = 0;
    for (const auto& s : with_crosswalks()) {
        SCOPED_TRACE(s->path);
        const Scenario& sc = s->scenario;
        for (const ScenarioCrosswalk& x : sc.data->crosswalks) {
            if (!x.carry) continue;
            const int year = x.change.year;
            if (year < sc.first_year || year > sc.last_year) continue;
            std::vector<char> is_old(sc.units().size(), 0), is_new(sc.units().size(), 0);
            for (int u : x.carry_old) is_old[static_cast<std::size_t>(u)] = 1;
            for (int u : x.carry_new) is_new[static_cast<std::size_t>(u)] = 1;
            // The quarters wholly before and wholly after the change (July 1: Q1–Q2, Q3–Q4).
            std::array<bool, 4> before{true, true, true, true}, after{true, true, true, true};
            for (int m = 1; m <= 12; ++m) {
                const auto q = static_cast<std::size_t>(sc.quarter_of_month[static_cast<std::size_t>(m - 1)]);
                const bool old_month = Date{year, m, 1} < x.change;
                if (old_month) after[q] = false;
                else before[q] = false;
            }
            Dong old_cost = 0, new_cost = 0, other = 0, year_total = 0;
            for (const BudgetLine& l : s->results.lines) {
                if (l.year != year) continue;
                year_total += l.cost;
                if (is_old[static_cast<std::size_t>(l.unit)]) {
                    old_cost += l.cost;
                    for (std::size_t q = 0; q < 4; ++q)
                        if (after[q]) EXPECT_EQ(l.quarter_cost[q], 0) << "an old unit paid after the change";
                } else if (is_new[static_cast<std::size_t>(l.unit)]) {
                    new_cost += l.cost;
                    for (std::size_t q = 0; q < 4; ++q)
                        if (before[q]) EXPECT_EQ(l.quarter_cost[q], 0) << "a new unit paid before the change";
                } else {
                    other += l.cost;
                }
            }
            EXPECT_GT(old_cost, 0);
            EXPECT_GT(new_cost, 0);
            Dong reported = -1;
            for (const YearPayerTotal& t : totals_by_year_payer(s->results))
                if (t.year == year && t.payer < 0) reported = t.cost;
            EXPECT_EQ(old_cost + new_cost + other, reported);
            EXPECT_EQ(year_total, reported);
            ++checked;
        }
    }
    EXPECT_GE(checked, 2);
}

TEST(MergerReconcile, PersonsCarriedOnTheChangeDateAreTheOldUnitsPersons) {
    int checked = 0;
    for (const auto& s : with_crosswalks()) {
        SCOPED_TRACE(s->path);
        const Scenario& sc = s->scenario;
        const CompiledScenario compiled = compile(sc, Executor::serial());
        const auto& persons = compiled.impl().persons;
        for (std::size_t xi = 0; xi < sc.data->crosswalks.size(); ++xi) {
            const ScenarioCrosswalk& x = sc.data->crosswalks[xi];
            if (!x.carry || x.change.year < sc.first_year || x.change.year > sc.last_year) continue;
            const int year = x.change.year;
            for (std::size_t g = 0; g < sc.groups().size(); ++g) {
                Headcount old_persons = 0, new_persons = 0, carried = 0;
                for (int u : x.carry_old) old_persons += persons.at(year, u, static_cast<int>(g));
                for (int u : x.carry_new) new_persons += persons.at(year, u, static_cast<int>(g));
                for (const CarriedFigure& f : s->results.carried)
                    if (f.at_change && f.kind == CarriedFigure::Kind::cohort && f.crosswalk == static_cast<int>(xi) &&
                        f.group == static_cast<int>(g))
                        carried += f.persons;
                EXPECT_EQ(new_persons, old_persons) << "group " << sc.groups()[g].id;
                EXPECT_EQ(carried, old_persons) << "group " << sc.groups()[g].id;
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 0);
}

TEST(MergerReconcile, ReportsByEveryLevelAddUpToTheRunsTotals) {
    int checked = 0;
    for (const auto& s : with_crosswalks()) {
        SCOPED_TRACE(s->path);
        std::map<std::pair<int, int>, Dong> run;
        for (const YearPayerTotal& t : totals_by_year_payer(s->results))
            if (t.payer >= 0) run[{t.year, t.payer}] = t.cost;
        for (const char* level : {"old_commune", "old_district", "old_province", "new"}) {
            SCOPED_TRACE(level);
            auto spec = resolve_division(s->scenario, level);
            if (!std::holds_alternative<DivisionSpec>(spec)) continue;  // a level the crosswalk lacks
            const DivisionTables t = build_division_tables(s->results, std::get<DivisionSpec>(spec));
            std::map<std::pair<int, int>, Dong> by_division;
            for (const auto& b : t.budget) {
                by_division[{b.year, b.payer}] += b.cost;
                EXPECT_LE(b.apportioned, b.cost);
            }
            for (const auto& [key, cost] : run) EXPECT_EQ(by_division[key], cost) << key.first << " payer " << key.second;
            ++checked;
        }
    }
    EXPECT_GE(checked, 6);
}

TEST(MergerReconcile, LaoCai2024IsUnchangedInTheScenarioAcrossTheMerger) {
    // lao-cai-2024-2025 reads lao-cai-2024's cohorts, population and targets: its 2024
    // must be lao-cai-2024's to the đồng, district by district and rule by rule.
    const Scenario before = load_scenario(SUBSIM_SOURCE_DIR "/scenarios/lao-cai-2024/scenario.yaml");
    const Results r_before = simulate(before);
    const Shipped* across = nullptr;
    for (const auto& s : with_crosswalks())
        if (s->scenario.id == "lao-cai-2024-2025") across = s.get();
    ASSERT_NE(across, nullptr);
    std::map<std::pair<std::string, std::string>, Dong> a, b;  // (unit code, rule id) → 2024 cost
    for (const BudgetLine& l : r_before.lines)
        a[{before.units()[l.unit].code, before.rules[l.rule].id}] += l.cost;
    for (const BudgetLine& l : across->results.lines)
        if (l.year == 2024) b[{across->scenario.units()[l.unit].code, across->scenario.rules[l.rule].id}] += l.cost;
    ASSERT_FALSE(a.empty());
    EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace subsim
