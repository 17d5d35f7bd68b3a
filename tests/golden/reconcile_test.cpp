// Reconciliation of every shipped scenario: each aggregate the reports print must be the
// exact sum (to the đồng) of the budget lines it is built from. The scenarios are found
// at run time (every scenarios/*/scenario.yaml), so a newly added scenario is checked
// without touching this file.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "subsim/io/scenario_loader.hpp"
#include "subsim/model/scenario.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/sim/costing.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {
namespace {

namespace fs = std::filesystem;

constexpr int kQuarters = 4;
constexpr int kTotalPayer = -1;  // totals_by_year_payer's "total" row

/// One shipped scenario, loaded, validated and simulated once for the whole program.
struct Shipped {
    std::string path;
    Scenario scenario;
    Results results;
};

std::vector<std::string> scenario_paths() {
    std::vector<std::string> paths;
    const fs::path root = fs::path(SUBSIM_SOURCE_DIR) / "scenarios";
    if (!fs::is_directory(root)) return paths;
    for (const auto& entry : fs::directory_iterator(root)) {
        if (!entry.is_directory()) continue;
        const fs::path file = entry.path() / "scenario.yaml";
        if (fs::is_regular_file(file)) paths.push_back(file.string());
    }
    std::sort(paths.begin(), paths.end());  // deterministic order of checks
    return paths;
}

/// Loads every scenario on first use. A scenario that fails to load, validate or
/// simulate is a test failure (reported by the test that needs it), not a crash.
const std::vector<std::unique_ptr<Shipped>>& shipped() {
    static const std::vector<std::unique_ptr<Shipped>> all = [] {
        std::vector<std::unique_ptr<Shipped>> loaded;
        for (const auto& path : scenario_paths()) {
            auto s = std::make_unique<Shipped>();
            s->path = path;
            try {
                s->scenario = load_scenario(path);
                (void)validate(s->scenario);
                s->results = simulate(s->scenario);
            } catch (const ScenarioError& e) {
                ADD_FAILURE() << path << ": " << e.what();
                continue;
            } catch (const std::exception& e) {
                ADD_FAILURE() << path << ": unexpected exception: " << e.what();
                continue;
            }
            loaded.push_back(std::move(s));
        }
        return loaded;
    }();
    return all;
}

int root_of(const Scenario& s, int unit) {
    int u = unit;
    // A parent chain longer than the number of units would be a cycle: stop there.
    for (std::size_t steps = 0; s.units()[u].parent >= 0 && steps <= s.units().size(); ++steps) {
        u = s.units()[u].parent;
    }
    return u;
}

TEST(Reconcile, EveryShippedScenarioLoadsAndSimulates) {
    const auto paths = scenario_paths();
    // The An Giang scenario is always shipped; more join as they are added.
    ASSERT_FALSE(paths.empty());
    EXPECT_TRUE(std::any_of(paths.begin(), paths.end(), [](const std::string& p) {
        return p.find("an-giang-2016-2020") != std::string::npos;
    }));
    EXPECT_EQ(shipped().size(), paths.size()) << "some scenario failed to load or simulate";
    for (const auto& s : shipped()) {
        SCOPED_TRACE(s->path);
        EXPECT_EQ(s->results.scenario, &s->scenario);
        EXPECT_FALSE(s->results.lines.empty()) << "a shipped scenario should cost something";
    }
}

TEST(Reconcile, LinesAreSortedUniqueAndInLeafUnits) {
    for (const auto& s : shipped()) {
        SCOPED_TRACE(s->path);
        const auto& lines = s->results.lines;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const auto& l = lines[i];
            EXPECT_TRUE(s->scenario.is_leaf(l.unit)) << "line in non-leaf unit " << l.unit;
            EXPECT_GE(l.cost, 0);
            EXPECT_EQ(l.payer, s->scenario.rules.at(l.rule).payer) << "a line's payer is its rule's";
            if (i == 0) continue;
            const auto& p = lines[i - 1];
            EXPECT_LT(std::tie(p.year, p.unit, p.group, p.rule), std::tie(l.year, l.unit, l.group, l.rule))
                << "lines not sorted or duplicated at index " << i;
        }
    }
}

TEST(Reconcile, QuartersSumToEachLine) {
    for (const auto& s : shipped()) {
        SCOPED_TRACE(s->path);
        for (const auto& l : s->results.lines) {
            Dong sum = 0;
            for (Dong q : l.quarter_cost) sum += q;
            EXPECT_EQ(sum, l.cost) << "year " << l.year << " unit " << l.unit << " group " << l.group
                                   << " rule " << l.rule;
        }
    }
}

TEST(Reconcile, TotalsByYearPayerAreSumsOfLines) {
    for (const auto& s : shipped()) {
        SCOPED_TRACE(s->path);
        std::map<std::pair<int, int>, Dong> by_year_payer;  // payer -1 = year total
        Dong all_lines = 0;
        for (const auto& l : s->results.lines) {
            by_year_payer[{l.year, l.payer}] += l.cost;
            by_year_payer[{l.year, kTotalPayer}] += l.cost;
            all_lines += l.cost;
        }
        const auto rows = totals_by_year_payer(s->results);
        std::map<std::pair<int, int>, Dong> reported;
        Dong payer_rows = 0;
        Dong total_rows = 0;
        for (const auto& r : rows) {
            EXPECT_TRUE(reported.emplace(std::pair{r.year, r.payer}, r.cost).second)
                << "duplicate row year " << r.year << " payer " << r.payer;
            (r.payer == kTotalPayer ? total_rows : payer_rows) += r.cost;
        }
        EXPECT_EQ(payer_rows, all_lines);
        EXPECT_EQ(total_rows, all_lines);
        for (const auto& [key, cost] : by_year_payer) {
            auto it = reported.find(key);
            ASSERT_NE(it, reported.end()) << "no row for year " << key.first << " payer " << key.second;
            EXPECT_EQ(it->second, cost) << "year " << key.first << " payer " << key.second;
        }
        for (const auto& [key, cost] : reported) {
            if (!by_year_payer.count(key)) EXPECT_EQ(cost, 0) << "year " << key.first << " payer " << key.second;
        }
        // Every simulated year has its total row.
        for (int y = s->scenario.first_year; y <= s->scenario.last_year; ++y) {
            EXPECT_TRUE(reported.count({y, kTotalPayer})) << "no total row for " << y;
        }
    }
}

TEST(Reconcile, TotalsByUnitAreSumsOfLines) {
    for (const auto& s : shipped()) {
        SCOPED_TRACE(s->path);
        std::map<std::tuple<int, int, int>, Dong> expected;
        Dong all_lines = 0;
        for (const auto& l : s->results.lines) {
            expected[{l.year, l.unit, l.payer}] += l.cost;
            all_lines += l.cost;
        }
        std::map<std::tuple<int, int, int>, Dong> reported;
        Dong sum = 0;
        for (const auto& r : totals_by_unit(s->results)) {
            EXPECT_TRUE(s->scenario.is_leaf(r.unit)) << "unit row for non-leaf " << r.unit;
            EXPECT_TRUE(reported.emplace(std::tuple{r.year, r.unit, r.payer}, r.cost).second);
            sum += r.cost;
        }
        EXPECT_EQ(sum, all_lines);
        for (const auto& [key, cost] : expected) {
            auto it = reported.find(key);
            ASSERT_NE(it, reported.end());
            EXPECT_EQ(it->second, cost) << "year " << std::get<0>(key) << " unit " << std::get<1>(key)
                                        << " payer " << std::get<2>(key);
        }
        for (const auto& [key, cost] : reported) {
            if (!expected.count(key)) EXPECT_EQ(cost, 0);
        }
    }
}

TEST(Reconcile, TotalsByQuarterAreSumsOfLineQuarters) {
    for (const auto& s : shipped()) {
        SCOPED_TRACE(s->path);
        // (year, quarter, payer, unit) -> cost, and (year, payer, unit) -> year cost.
        std::map<std::tuple<int, int, int, int>, Dong> expected;
        std::map<std::tuple<int, int, int>, Dong> year_cost;
        for (const auto& l : s->results.lines) {
            for (int q = 0; q < kQuarters; ++q) expected[{l.year, q, l.payer, l.unit}] += l.quarter_cost[q];
            year_cost[{l.year, l.payer, l.unit}] += l.cost;
        }
        std::map<std::tuple<int, int, int, int>, Dong> reported;
        std::map<std::tuple<int, int, int>, Dong> reported_year;
        for (const auto& r : totals_by_quarter(s->results)) {
            ASSERT_GE(r.quarter, 0);
            ASSERT_LT(r.quarter, kQuarters);
            EXPECT_TRUE(reported.emplace(std::tuple{r.year, r.quarter, r.payer, r.unit}, r.cost).second);
            reported_year[{r.year, r.payer, r.unit}] += r.cost;
        }
        for (const auto& [key, cost] : expected) {
            auto it = reported.find(key);
            const Dong got = it == reported.end() ? 0 : it->second;  // an all-zero quarter may be omitted
            EXPECT_EQ(got, cost) << "year " << std::get<0>(key) << " quarter " << std::get<1>(key) << " payer "
                                 << std::get<2>(key) << " unit " << std::get<3>(key);
        }
        for (const auto& [key, cost] : reported) {
            if (!expected.count(key)) EXPECT_EQ(cost, 0);
        }
        // The four quarters of a (year, payer, unit) add up to that year's line cost.
        for (const auto& [key, cost] : year_cost) {
            EXPECT_EQ(reported_year[key], cost) << "year " << std::get<0>(key) << " payer " << std::get<1>(key)
                                                << " unit " << std::get<2>(key);
        }
    }
}

TEST(Reconcile, CohortStatePaidIsSumOfItsLines) {
    for (const auto& s : shipped()) {
        SCOPED_TRACE(s->path);
        std::map<std::tuple<int, int, int>, Dong> expected;
        for (const auto& l : s->results.lines) expected[{l.year, l.unit, l.group}] += l.cost;
        std::map<std::tuple<int, int, int>, Dong> reported;
        const auto& rows = s->results.cohort_costs;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& c = rows[i];
            EXPECT_TRUE(reported.emplace(std::tuple{c.year, c.unit, c.group}, c.state_paid).second)
                << "duplicate cohort row";
            EXPECT_GE(c.contribution_due, 0);
            if (i > 0) {
                const auto& p = rows[i - 1];
                EXPECT_LT(std::tie(p.year, p.unit, p.group), std::tie(c.year, c.unit, c.group));
            }
        }
        for (const auto& [key, paid] : expected) {
            auto it = reported.find(key);
            ASSERT_NE(it, reported.end()) << "no cohort row for year " << std::get<0>(key) << " unit "
                                          << std::get<1>(key) << " group " << std::get<2>(key);
            EXPECT_EQ(it->second, paid);
        }
        for (const auto& [key, paid] : reported) {
            if (!expected.count(key)) EXPECT_EQ(paid, 0);
        }
    }
}

TEST(Reconcile, LeafCoverageAddsUpToRoot) {
    // A unit's enrolled is its insured person-months averaged over its months in the year
    // (12 for a unit valid all year). A root's is the sum of its leaves' person-months,
    // each averaged over the root's months: when every leaf is valid as long as the root,
    // that is the sum of the leaves' own rows. A scenario across a change of units (old
    // communes January–June, new ones July–December) has leaves valid 6 months.
    for (const auto& s : shipped()) {
        SCOPED_TRACE(s->path);
        const Scenario& sc = s->scenario;
        std::map<std::pair<int, int>, Headcount> leaf_rows;    // (year, root) -> Σ leaves' rows
        std::map<std::pair<int, int>, Headcount> leaf_at_root; // (year, root) -> Σ round(pm / root months)
        std::map<std::pair<int, int>, bool> same_months;       // every leaf as long as the root
        std::map<std::pair<int, int>, const CoverageRow*> root_row;
        std::map<std::pair<int, int>, int> months_of;          // (year, unit) -> months
        const auto& rows = s->results.coverage;
        for (const auto& c : rows) months_of[{c.year, c.unit}] = c.months;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& c = rows[i];
            ASSERT_GE(c.unit, 0);
            ASSERT_LT(static_cast<std::size_t>(c.unit), sc.units().size());
            ASSERT_GT(c.months, 0);
            ASSERT_LE(c.months, 12);
            if (sc.units()[c.unit].parent < 0) root_row[{c.year, c.unit}] = &c;
            if (sc.is_leaf(c.unit)) {
                EXPECT_EQ(c.enrolled, round_quotient(c.person_months, c.months, Rounding::half_up));
                const std::pair<int, int> key{c.year, root_of(sc, c.unit)};
                const int root_months = months_of[key];
                ASSERT_GT(root_months, 0);
                leaf_rows[key] += c.enrolled;
                leaf_at_root[key] += round_quotient(c.person_months, root_months, Rounding::half_up);
                if (!same_months.count(key)) same_months[key] = true;
                same_months[key] = same_months[key] && c.months == root_months;
            }
            if (i > 0) {
                const auto& p = rows[i - 1];
                EXPECT_LT(std::tie(p.year, p.unit), std::tie(c.year, c.unit));
            }
        }
        ASSERT_FALSE(root_row.empty()) << "no coverage row for any root unit";
        for (const auto& [key, row] : root_row) {
            EXPECT_EQ(leaf_at_root[key], row->enrolled) << "year " << key.first << " root " << key.second;
            if (same_months[key]) EXPECT_EQ(leaf_rows[key], row->enrolled) << "year " << key.first << " root " << key.second;
        }
    }
}

TEST(Reconcile, SameInputsGiveIdenticalResults) {
    for (const auto& s : shipped()) {
        SCOPED_TRACE(s->path);
        const Results again = simulate(s->scenario);
        ASSERT_EQ(again.lines.size(), s->results.lines.size());
        for (std::size_t i = 0; i < again.lines.size(); ++i) {
            const auto& a = again.lines[i];
            const auto& b = s->results.lines[i];
            EXPECT_EQ(std::tie(a.year, a.unit, a.group, a.rule, a.payer, a.person_months, a.cost),
                      std::tie(b.year, b.unit, b.group, b.rule, b.payer, b.person_months, b.cost));
            EXPECT_EQ(a.quarter_cost, b.quarter_cost);
        }
    }
}

}  // namespace
}  // namespace subsim
