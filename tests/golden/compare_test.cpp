// Comparing the shipped Ninh Bình variants with the baseline: a difference worked out by
// hand for one commune and year, the properties every comparison must have, and the
// exact and totals sinks agreeing on every shipped scenario.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "subsim/core/executor.hpp"
#include "subsim/engine.hpp"
#include "subsim/sim/fast.hpp"
#include "subsim/variant/compare.hpp"

namespace subsim {
namespace {
namespace fs = std::filesystem;

const std::string kDir = SUBSIM_SOURCE_DIR "/scenarios/ninh-binh-2026/";
constexpr const char* kCommune = "14743";  // Xã Yên Mạc (see ninh_binh_test.cpp for its data)

std::shared_ptr<const Scenario> load(const std::string& relative) {
    return std::make_shared<const Scenario>(load_scenario(kDir + relative));
}

/// A shipped scenario or variant (not an uncertainty file beside them).
bool is_scenario_file(const fs::path& p) {
    return p.extension() == ".yaml" && (p.filename() == "scenario.yaml" || p.parent_path().filename() == "variants");
}

/// The cost of one commune, year and payer in a run.
Dong cost(const Results& r, const std::string& unit, int year, const std::string& payer) {
    const Scenario& s = *r.scenario;
    const int u = s.find_unit(unit), p = s.find_payer(payer);
    Dong total = 0;
    int lines = 0;
    for (const BudgetLine& l : r.lines)
        if (l.unit == u && l.year == year && l.payer == p) {
            total += l.cost;
            ++lines;
        }
    EXPECT_GT(lines, 0) << unit << " " << year << " " << payer;
    return total;
}

// Variant (a): the province pays 50% instead of 100% for people aged 70–<75 from 2027.
// Xã Yên Mạc, 2027 (contribution 4.5% × 2,530,000 = 113,850 đồng a month all year):
// aged_70_74 1,543 persons; overlaps near_poor 23, agri_average 109, party_30_years 72.
// - Baseline: the aged package (100% province) ties with the Party package (100%
//   commune) and the aged group is declared first, so the 72 stay with the province:
//   aged paid 1,543 − 23 − 109 − 72 = 1,411 × 1,366,200 = 1,927,708,200 (province);
//   Party paid 480 − 72 = 408 × 1,366,200 = 557,409,600 (commune).
// - Variant: the aged package is 50% = 56,925 a month = 683,100 a year; near-poor
//   (100%) and agri (100%) still win their overlaps, and now so does the Party package
//   (100% commune > 50%): the 72 move to the commune budget.
//   aged paid 1,543 − 23 − 109 − 72 = 1,339 × 683,100 = 914,670,900 (province);
//   (683,100 × 1,300 = 888,030,000; × 39 = 26,640,900)
//   Party paid 480 × 1,366,200 = 655,776,000 (commune).
// Province: 914,670,900 − 1,927,708,200 = −1,013,037,300.
// Commune: 655,776,000 − 557,409,600 = +98,366,400 (= 72 × 1,366,200).
// Central: unchanged.
constexpr Dong kProvinceDiff = 914'670'900 - 1'927'708'200;
constexpr Dong kCommuneDiff = 655'776'000 - 557'409'600;
static_assert(kProvinceDiff == -1'013'037'300 && kCommuneDiff == 72 * 1'366'200);

TEST(Compare, AgedHalfVariantForOneCommuneWorkedByHand) {
    const Comparison c = compare(load("scenario.yaml"), {load("variants/aged-70-74-half.yaml")}, Executor(2));
    const Results& base = c.base.results;
    const Results& v = c.variants[0].results;
    EXPECT_EQ(cost(v, kCommune, 2027, "province") - cost(base, kCommune, 2027, "province"), kProvinceDiff);
    EXPECT_EQ(cost(v, kCommune, 2027, "commune") - cost(base, kCommune, 2027, "commune"), kCommuneDiff);
    EXPECT_EQ(cost(v, kCommune, 2027, "central"), cost(base, kCommune, 2027, "central"));
    // 2026 is before the change: identical.
    EXPECT_EQ(cost(v, kCommune, 2026, "province"), cost(base, kCommune, 2026, "province"));
}

/// Year × payer totals of a run's lines.
std::map<std::pair<int, int>, Dong> totals(const Results& r) {
    std::map<std::pair<int, int>, Dong> t;
    for (const BudgetLine& l : r.lines) t[{l.year, l.payer}] += l.cost;
    return t;
}

TEST(Compare, StackedIncrementsSumExactlyToTheDifference) {
    const Comparison c = compare(load("scenario.yaml"),
                                 {load("variants/aged-70-74-half.yaml"), load("variants/contribution-5-1.yaml")}, Executor(2));
    const auto base = totals(c.base.results);
    std::size_t checked = 0;
    for (std::size_t v = 0; v < c.variants.size(); ++v) {
        const auto variant = totals(c.variants[v].results);
        const Scenario& s = *c.base.scenario;
        for (int y = s.first_year; y <= s.last_year; ++y)
            for (std::size_t p = 0; p < s.payers.size(); ++p) {
                Dong sum = 0;
                int steps = 0;
                for (const StackedStep& step : c.stacked)
                    if (step.variant == static_cast<int>(v)) {
                        sum += step.increment[static_cast<std::size_t>(y - s.first_year) * s.payers.size() + p];
                        ++steps;
                    }
                const std::pair<int, int> key{y, static_cast<int>(p)};
                const Dong diff = (variant.count(key) ? variant.at(key) : 0) - (base.count(key) ? base.at(key) : 0);
                EXPECT_EQ(sum, diff) << "variant " << v << " year " << y << " payer " << p;
                EXPECT_EQ(steps, v == 0 ? 2 : 1);  // (a) has two provisions, (d) one
                ++checked;
            }
    }
    EXPECT_EQ(checked, 2u * 5u * 3u);
    // (d) raises the contribution by 5.1/4.5 from 2027: 2027 central budget grows by
    // exactly 0.6/4.5 = 2/15 of its 100%-paid and share-paid lines (every amount is
    // contribution × share; all are whole đồng, so no rounding differs) — checked as
    // 15 × increment = 2 × baseline central 2027.
    const Scenario& s = *c.base.scenario;
    const std::size_t central = static_cast<std::size_t>(s.find_payer("central"));
    for (const StackedStep& step : c.stacked)
        if (step.variant == 1) {
            const Dong inc = step.increment[static_cast<std::size_t>(2027 - s.first_year) * s.payers.size() + central];
            EXPECT_EQ(15 * inc, 2 * base.at({2027, static_cast<int>(central)}));
        }
}

TEST(Compare, SwappingBaseAndVariantNegatesEveryDifference) {
    const auto base = load("scenario.yaml");
    const auto variant = load("variants/near-poor-from-2027.yaml");
    const Comparison ab = compare(base, {variant}, Executor(1));
    const Comparison ba = compare(variant, {base}, Executor(1));
    const auto a = totals(ab.base.results), b = totals(ab.variants[0].results);
    const auto b2 = totals(ba.base.results), a2 = totals(ba.variants[0].results);
    EXPECT_EQ(a, a2);
    EXPECT_EQ(b, b2);
    bool some_difference = false;
    for (const auto& [key, cost] : a) {
        const Dong forward = (b.count(key) ? b.at(key) : 0) - cost;
        const Dong backward = cost - (b.count(key) ? b.at(key) : 0);
        EXPECT_EQ(forward, -backward);
        some_difference = some_difference || forward != 0;
    }
    EXPECT_TRUE(some_difference) << "variant (b) moves the near-poor top-up to 2027";
    // (b) as base and the scenario as variant: the scenario does not extend (b), so the
    // stacked estimate is one step, the whole scenario.
    ASSERT_EQ(ba.stacked.size(), 1u);
    EXPECT_EQ(ba.stacked[0].key, "scenario");
}

TEST(Compare, TwoVariantsWithOneIdAreRefused) {
    const auto v = load("variants/near-poor-from-2027.yaml");
    EXPECT_THROW(compare(load("scenario.yaml"), {v, v}, Executor(1)), ScenarioError);
}

TEST(Compare, DifferentUnitListsAreRefused) {
    const auto base = load("scenario.yaml");
    Scenario fewer = *base;
    fewer.id = "fewer-units";
    fewer.base = nullptr;
    ScenarioData& data = fewer.data_mut();  // a copy: the base keeps its units
    data.units.pop_back();
    try {
        compare(base, {std::make_shared<const Scenario>(fewer)}, Executor(1));
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find(base->units().back().code), std::string::npos) << e.what();
    }
    EXPECT_EQ(base->units().size(), 130u);
}

TEST(Sinks, TotalsAgreeWithTheExactLinesOnEveryShippedScenario) {
    std::size_t scenarios = 0;
    for (const auto& entry : fs::recursive_directory_iterator(SUBSIM_SOURCE_DIR "/scenarios")) {
        if (!is_scenario_file(entry.path())) continue;
        const Scenario s = load_scenario(entry.path().string());
        const Executor ex(2);
        const CompiledScenario c = compile(s, ex);
        const Results r = run_exact(c, ex);
        const Totals t = run_totals(c, ex);
        const auto exact = totals(r);
        for (int y = s.first_year; y <= s.last_year; ++y)
            for (std::size_t p = 0; p < s.payers.size(); ++p) {
                const std::pair<int, int> key{y, static_cast<int>(p)};
                EXPECT_EQ(t.cost(y, static_cast<int>(p)), exact.count(key) ? exact.at(key) : 0) << entry.path();
            }
        ++scenarios;
    }
    EXPECT_GE(scenarios, 7u) << "3 scenarios and 4 Ninh Bình variants";
}

TEST(Sinks, CompilingOnceAndRunningTwiceGivesIdenticalResults) {
    const Scenario s = load_scenario(kDir + "scenario.yaml");
    const Executor ex(2);
    const CompiledScenario c = compile(s, ex);
    const Results a = run_exact(c, ex);
    const Results b = run_exact(c, ex);
    ASSERT_EQ(a.lines.size(), b.lines.size());
    ASSERT_GT(a.lines.size(), 1000u);
    for (std::size_t i = 0; i < a.lines.size(); ++i) {
        EXPECT_EQ(a.lines[i].cost, b.lines[i].cost);
        EXPECT_EQ(a.lines[i].person_months, b.lines[i].person_months);
    }
    EXPECT_EQ(run_totals(c, ex).year_payer, run_totals(c, Executor::serial()).year_payer);
}

TEST(Sinks, TheDoublePathAgreesWithTheExactOneWithinADongPerLine) {
    std::size_t scenarios = 0, lines = 0;
    for (const auto& entry : fs::recursive_directory_iterator(SUBSIM_SOURCE_DIR "/scenarios")) {
        if (!is_scenario_file(entry.path())) continue;
        const Scenario s = load_scenario(entry.path().string());
        const Executor ex(1);
        const CompiledScenario c = compile(s, ex);
        const Results r = run_exact(c, ex);
        const FastModel fast(c);
        const std::vector<double> baseline = fast.baseline();
        const std::vector<double> approx = fast.run_lines(baseline.data());
        // Where each exact line sits in the fast model's [year][leaf][group × rule] layout.
        std::vector<int> leaf_of(s.units().size(), -1);
        int leaves = 0;
        for (std::size_t u = 0; u < s.units().size(); ++u)
            if (s.is_leaf(static_cast<int>(u))) leaf_of[u] = leaves++;
        std::vector<std::vector<int>> rules_of(s.groups().size());
        for (std::size_t ru = 0; ru < s.rules.size(); ++ru)
            for (int g : s.rules[ru].groups) rules_of[static_cast<std::size_t>(g)].push_back(static_cast<int>(ru));
        std::vector<std::size_t> offset(s.groups().size() + 1, 0);
        for (std::size_t g = 0; g < s.groups().size(); ++g) {
            std::sort(rules_of[g].begin(), rules_of[g].end());
            offset[g + 1] = offset[g] + rules_of[g].size();
        }
        ASSERT_EQ(offset.back(), static_cast<std::size_t>(fast.lines_per_leaf()));
        double exact_sum = 0, fast_sum = 0;
        for (const BudgetLine& l : r.lines) {
            const auto& group_rules = rules_of[static_cast<std::size_t>(l.group)];
            const auto k = static_cast<std::size_t>(std::find(group_rules.begin(), group_rules.end(), l.rule) - group_rules.begin());
            const std::size_t at = (static_cast<std::size_t>(l.year - s.first_year) * static_cast<std::size_t>(leaves) +
                                    static_cast<std::size_t>(leaf_of[static_cast<std::size_t>(l.unit)])) * offset.back() +
                                   offset[static_cast<std::size_t>(l.group)] + k;
            EXPECT_LE(std::abs(approx[at] - static_cast<double>(l.cost)), 1.0) << entry.path() << " line " << lines;
            exact_sum += static_cast<double>(l.cost);
            ++lines;
        }
        for (double x : approx) fast_sum += x;
        EXPECT_NEAR(fast_sum, exact_sum, 1.0 * static_cast<double>(r.lines.size())) << "no line the exact path left out";
        ++scenarios;
    }
    EXPECT_GE(scenarios, 7u);
    EXPECT_GT(lines, 10000u);
}

}  // namespace
}  // namespace subsim
