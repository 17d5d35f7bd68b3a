// Comparing the shipped Ninh Bình variants with the baseline: a difference worked out by
// hand for one commune and year, the properties every comparison must have, and the
// exact and totals sinks agreeing on every shipped scenario.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

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
// Xã Yên Mạc, 2027 (contribution 4.5% × 2,530,000 = 113,850 đồng a month all year; the
// commune's inputs and the projection's monthly persons aged 70–74 are in ninh_binh_test.cpp):
// aged_70_74 = 80% of the projection, A(m) = 647.8120 … 687.1870 persons (Jan … Dec);
// overlaps social_pension_elderly 12, agri_average 69, party_30_years 26.
// - Baseline: the aged package (100% province) ties with the Party package (100%
//   commune) and the aged group is declared first, so the 26 stay with the province:
//   aged paid A(m) − 12 − 69 = A(m) − 81 a month, 801,275,570 in the year (province);
//   Party paid 174 − 26 = 148 × 1,366,200 = 202,197,600 (commune).
// - Variant: the aged package is 50% = 56,925 a month; the social pension (100% central)
//   and agri (100%) still win their overlaps, and now so does the Party package (100%
//   commune > 50%): the 26 move to the commune budget. Aged paid A(m) − 107 a month:
//   Jan 540.8120 × 56,925 = 30,785,723.1 → 30,785,723   Jul 562.2892 × 56,925 = 32,008,312.71 → 32,008,313
//   Feb 544.3915 × 56,925 = 30,989,486.1375 → 30,989,486 Aug 565.8688 × 56,925 = 32,212,081.44 → 32,212,081
//   Mar 547.9711 × 56,925 = 31,193,254.8675 → 31,193,255 Sep 569.4483 × 56,925 = 32,415,844.4775 → 32,415,844
//   Apr 551.5506 × 56,925 = 31,397,017.905 → 31,397,018  Oct 573.0279 × 56,925 = 32,619,613.2075 → 32,619,613
//   May 555.1301 × 56,925 = 31,600,780.9425 → 31,600,781 Nov 576.6074 × 56,925 = 32,823,376.245 → 32,823,376
//   Jun 558.7097 × 56,925 = 31,804,549.6725 → 31,804,550 Dec 580.1870 × 56,925 = 33,027,144.975 → 33,027,145
//   Jan–Jun 30,785,723 + 30,989,486 + 31,193,255 + 31,397,018 + 31,600,781 + 31,804,550 = 187,770,813
//   Jul–Dec 32,008,313 + 32,212,081 + 32,415,844 + 32,619,613 + 32,823,376 + 33,027,145 = 195,106,372
//   year 187,770,813 + 195,106,372 = 382,877,185 (province);
//   Party paid 174 × 1,366,200 = 237,718,800 (commune).
// Province: 382,877,185 − 801,275,570 = −418,398,385.
// Commune: 237,718,800 − 202,197,600 = +35,521,200 (= 26 × 1,366,200).
// Central: unchanged.
constexpr Dong kAgedHalf2027 = 187'770'813 + 195'106'372;
static_assert(kAgedHalf2027 == 382'877'185);
constexpr Dong kProvinceDiff = kAgedHalf2027 - 801'275'570;
constexpr Dong kCommuneDiff = 237'718'800 - 202'197'600;
static_assert(kProvinceDiff == -418'398'385 && kCommuneDiff == 26 * 1'366'200);

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
    // (d) raises the contribution by 5.1/4.5 from 2027: 4.5% × 2,530,000 = 113,850 becomes
    // 5.1% × 2,530,000 = 129,030 = 113,850 × 17/15, and every share of it stays whole đồng.
    // (1) Groups of whole persons at a fixed enrolment (poor households, other state-paid,
    //     village workers, trafficking victims): each monthly line grows by exactly 2/15,
    //     checked on the 2027 central lines as 15 × increment = 2 × baseline.
    // (2) Groups with fractions of a person (the age groups from the projection; near-poor and
    //     agri-average at their 98% take-up, e.g. 203.84 persons): the same 2/15 up to the
    //     rounding of each monthly line to the đồng (half a đồng in each run), so
    //     |15 × increment − 2 × baseline| ≤ 15 × (monthly lines). Their take-up does not move:
    //     fully supported, the person pays 0 đ at either rate.
    // (3) Pupils pay half, more at 5.1%, so fewer enrol: their central lines grow by less.
    const Scenario& s = *c.base.scenario;
    const int central = s.find_payer("central");
    std::vector<int> kind(s.groups().size(), 0);
    for (std::size_t g = 0; g < s.groups().size(); ++g) kind[g] = s.groups()[g].by_age() ? 1 : 0;
    for (const TakeupEntry& t : s.takeup) kind[static_cast<std::size_t>(t.group)] = 1;
    kind[static_cast<std::size_t>(s.find_group("students"))] = 2;
    std::map<int, Dong> base_central, variant_central;
    std::map<int, std::int64_t> monthly_lines;
    for (const BudgetLine& l : c.base.results.lines)
        if (l.year == 2027 && l.payer == central) {
            base_central[kind[static_cast<std::size_t>(l.group)]] += l.cost;
            monthly_lines[kind[static_cast<std::size_t>(l.group)]] += 12;
        }
    for (const BudgetLine& l : c.variants[1].results.lines)
        if (l.year == 2027 && l.payer == central) variant_central[kind[static_cast<std::size_t>(l.group)]] += l.cost;
    for (int k : {0, 1, 2}) ASSERT_GT(base_central[k], 0) << k;
    EXPECT_EQ(15 * (variant_central[0] - base_central[0]), 2 * base_central[0]);
    EXPECT_LE(std::abs(15 * (variant_central[1] - base_central[1]) - 2 * base_central[1]), 15 * monthly_lines[1]);
    EXPECT_GT(variant_central[2], base_central[2]);
    EXPECT_LT(15 * (variant_central[2] - base_central[2]), 2 * base_central[2]);
    // The stacked step of (d) is the whole central difference.
    const std::size_t central_index = static_cast<std::size_t>(central);
    Dong difference = 0;
    for (int k : {0, 1, 2}) difference += variant_central[k] - base_central[k];
    int steps = 0;
    for (const StackedStep& step : c.stacked)
        if (step.variant == 1) {
            EXPECT_EQ(step.increment[static_cast<std::size_t>(2027 - s.first_year) * s.payers.size() + central_index], difference);
            ++steps;
        }
    EXPECT_EQ(steps, 1);
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

TEST(Compare, DifferentYearsAreRefusedNamingBoth) {
    const auto base = load("scenario.yaml");  // 2026–2030
    Scenario shorter = *base;
    shorter.id = "to-2029";
    shorter.base = nullptr;
    shorter.last_year = 2029;
    try {
        compare(base, {std::make_shared<const Scenario>(shorter)}, Executor(1), CompareOptions{true});
        FAIL() << "accepted: 2030 would read as a saving of the whole year";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("to-2029 covers 2026–2029 and ninh-binh-2026 covers 2026–2030"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Compare, NoUnitInCommonIsRefusedEvenWhenUnitChangesAreAllowed) {
    const auto base = load("scenario.yaml");
    Scenario other = *base;
    other.id = "elsewhere";
    other.base = nullptr;
    for (Unit& u : other.data_mut().units) u.code = "X" + u.code;
    const auto variant = std::make_shared<const Scenario>(other);
    try {
        compare(base, {variant}, Executor(1), CompareOptions{true});
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("elsewhere and ninh-binh-2026 have no unit in common"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(base->units().front().code, variant->units().front().code.substr(1)) << "the base keeps its codes";
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

// run_batch walks the cells once for up to eight runs: each run's outputs must be those
// run() gives it alone, bit for bit, including a batch that is not full (11 = 8 + 3) and
// runs whose take-up rates differ (the first parameter slot, a salary or rate, varies).
// One scratch serving two models (base, then a variant that starts the near-poor top-up
// later: the near-poor's take-up answers to it) must not hand the variant the base's
// cached take-up rates.
TEST(Sinks, BatchedRunsEqualSingleRunsAndEachModelHasItsOwnTakeupRates) {
    const Executor ex(1);
    const CompiledScenario base_c = compile(*load("scenario.yaml"), ex);
    const CompiledScenario var_c = compile(*load("variants/near-poor-from-2027.yaml"), ex);
    const FastModel base(base_c), variant(var_c);
    constexpr std::size_t kRuns = 11;
    std::vector<std::vector<double>> slots(kRuns, base.baseline());
    for (std::size_t i = 0; i < kRuns; ++i) slots[i][0] *= 1.0 + 0.01 * static_cast<double>(i % 4);
    std::vector<double> scale(static_cast<std::size_t>(base.leaves() * base.groups()), 1.0);
    for (std::size_t k = 0; k < scale.size(); ++k) scale[k] = 0.9 + 0.001 * static_cast<double>(k % 200);
    std::vector<const double*> slot_ptr, scale_ptr;
    std::vector<FastModel::Outputs> batch(kRuns);
    std::vector<FastModel::Outputs*> out_ptr;
    for (std::size_t i = 0; i < kRuns; ++i) {
        slot_ptr.push_back(slots[i].data());
        scale_ptr.push_back(i % 3 == 0 ? scale.data() : nullptr);
        out_ptr.push_back(&batch[i]);
    }
    FastModel::Scratch shared;
    base.run_batch(kRuns, slot_ptr.data(), scale_ptr.data(), out_ptr.data(), shared);
    std::size_t compared = 0;
    for (std::size_t i = 0; i < kRuns; ++i) {
        FastModel::Outputs alone;
        FastModel::Scratch fresh;
        base.run(slot_ptr[i], scale_ptr[i], alone, fresh);
        ASSERT_EQ(alone.year_payer.size(), batch[i].year_payer.size());
        for (std::size_t k = 0; k < alone.year_payer.size(); ++k, ++compared) EXPECT_EQ(alone.year_payer[k], batch[i].year_payer[k]) << i;
        EXPECT_EQ(alone.leaf_total, batch[i].leaf_total) << i;
    }
    EXPECT_EQ(compared, kRuns * static_cast<std::size_t>(base.years() * base.payers()));
    // Not vacuous: the runs differ from one another.
    EXPECT_NE(batch[0].year_payer, batch[1].year_payer);
    // Again, in reverse order, on the scratch the first batch warmed: its memos (persons
    // month by month, each line's cost for the amount it last saw) now answer most lanes,
    // and the results stay the same.
    std::vector<FastModel::Outputs> again(kRuns);
    std::vector<const double*> rev_slots(slot_ptr.rbegin(), slot_ptr.rend()), rev_scale(scale_ptr.rbegin(), scale_ptr.rend());
    std::vector<FastModel::Outputs*> rev_out;
    for (std::size_t i = 0; i < kRuns; ++i) rev_out.push_back(&again[kRuns - 1 - i]);
    base.run_batch(kRuns, rev_slots.data(), rev_scale.data(), rev_out.data(), shared);
    for (std::size_t i = 0; i < kRuns; ++i) {
        EXPECT_EQ(again[i].year_payer, batch[i].year_payer) << i;
        EXPECT_EQ(again[i].leaf_total, batch[i].leaf_total) << i;
    }
    // Persons that change under the memo: unscaled twice (the second run's line costs are
    // memoised), then scaled twice (the memo takes the scaled persons, and the second run
    // must not reuse the unscaled persons' line costs).
    {
        FastModel::Scratch warm;
        FastModel::Outputs out, fresh_out;
        const double* none = nullptr;
        const double* scaled = scale.data();
        for (const double* sc : {none, none, scaled, scaled}) base.run(slot_ptr[0], sc, out, warm);
        FastModel::Scratch fresh_scratch;
        base.run(slot_ptr[0], scale.data(), fresh_out, fresh_scratch);
        EXPECT_EQ(out.year_payer, fresh_out.year_payer);
        EXPECT_EQ(out.leaf_total, fresh_out.leaf_total);
    }

    // The variant after the base on the same scratch, and on a fresh one.
    const std::vector<double> vb = variant.baseline();
    FastModel::Outputs after_base, alone, base_out;
    base.run(base.baseline().data(), nullptr, base_out, shared);
    variant.run(vb.data(), nullptr, after_base, shared);
    FastModel::Scratch fresh;
    variant.run(vb.data(), nullptr, alone, fresh);
    EXPECT_EQ(after_base.year_payer, alone.year_payer);
    // The variant's 2026 (first year) differs from the base's for the central budget too:
    // without the province's top-up fewer near-poor enrol, and the centre pays its share
    // for fewer people.
    const int central = var_c.scenario().find_payer("central");
    ASSERT_GE(central, 0);
    EXPECT_LT(alone.year_payer[static_cast<std::size_t>(central)], base_out.year_payer[static_cast<std::size_t>(base_c.scenario().find_payer("central"))]);
}

// compile() projects the age groups once per bulk data and years (ScenarioData::memo):
// a variant sharing the base's data reuses the projection; a copy of the data, or data
// changed in place through data_mut(), starts without it.
TEST(CompileMemo, VariantsShareTheProjectionAndChangedDataForgetsIt) {
    const Executor ex(1);
    // Loaded together, as `compare` loads them: the shared inputs are read once.
    std::vector<Scenario> both = load_scenarios({kDir + "scenario.yaml", kDir + "variants/aged-70-74-half.yaml"});
    ASSERT_EQ(both.size(), 2u);
    const auto base = std::make_shared<const Scenario>(std::move(both[0]));
    const auto variant = std::make_shared<const Scenario>(std::move(both[1]));
    ASSERT_EQ(base->data, variant->data) << "a variant shares its base's bulk data";
    EXPECT_EQ(base->data->memo.age_persons(2026, 5), nullptr);
    (void)compile(*base, ex);
    const auto kept = base->data->memo.age_persons(2026, 5);
    ASSERT_NE(kept, nullptr);
    EXPECT_FALSE(kept->empty());
    (void)compile(*variant, ex);
    EXPECT_EQ(variant->data->memo.age_persons(2026, 5), kept) << "the variant used the base's projection";
    // A copy made to change the data starts empty.
    Scenario copy = *variant;
    copy.data_mut();
    EXPECT_NE(copy.data, base->data);
    EXPECT_EQ(copy.data->memo.age_persons(2026, 5), nullptr);
    // Data changed in place (its only owner) forgets what was derived from it.
    Scenario solo = load_scenario(kDir + "scenario.yaml");
    (void)compile(solo, ex);
    ASSERT_NE(solo.data->memo.age_persons(2026, 5), nullptr);
    solo.data_mut();
    EXPECT_EQ(solo.data->memo.age_persons(2026, 5), nullptr);
}

}  // namespace
}  // namespace subsim
