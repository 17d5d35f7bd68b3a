// Sensitivity runs on the fixture scenario (scenario_fixture.hpp): a tornado worked out
// by hand, determinism across thread counts, common random numbers for variants, and
// the inputs that are refused.
#include <gtest/gtest.h>

#include "scenario_fixture.hpp"
#include "subsim/core/executor.hpp"
#include "subsim/mc/sensitivity.hpp"

using namespace subsim;
using namespace subsim::testing;

namespace {

UncertaintyEntry uniform_share(const std::string& rule, double low, double high) {
    UncertaintyEntry e;
    e.target = "rules." + rule + ".share";
    e.distribution = mc::UniformSpec{low, high};
    e.reference = "test";
    e.confidence = "assumption";
    e.where = {"fixture.yaml", 30, 3};
    return e;
}

std::size_t output(const SensitivityResult& r, const std::string& name) {
    const auto it = std::find(r.outputs.begin(), r.outputs.end(), name);
    EXPECT_NE(it, r.outputs.end()) << name;
    return static_cast<std::size_t>(it - r.outputs.begin());
}

}  // namespace

// The province pays aged_province (100% of the contribution for people aged 70–74) and
// 30% for the near-poor. Uncertain: aged_province's share, uniform on [50%, 100%]:
// P5 = 52.5%, P95 = 97.5%.
// Aged persons paid: 2026 50 − 10 (the near-poor overlap: 100% vs ≤ 100%, near_poor
// declared first) = 40; 2027 the rows carry forward without the overlap row = 50.
// At 52.5%: 105,300 × 0.525 = 55,282.5 → 55,283; 113,850 × 0.525 = 59,771.25 → 59,771.
//   2026: 40 × (6 × 55,283 + 6 × 59,771) = 40 × (331,698 + 358,626) = 40 × 690,324 = 27,612,960
//   2027: 50 × 12 × 59,771 = 50 × 717,252 = 35,862,600
// At 97.5%: 105,300 × 0.975 = 102,667.5 → 102,668; 113,850 × 0.975 = 111,003.75 → 111,004.
//   2026: 40 × (6 × 102,668 + 6 × 111,004) = 40 × (616,008 + 666,024) = 40 × 1,282,032 = 51,281,280
//   2027: 50 × 12 × 111,004 = 50 × 1,332,048 = 66,602,400
// Swing of the province's whole-period cost: (51,281,280 + 66,602,400) − (27,612,960 +
// 35,862,600) = 117,883,680 − 63,475,560 = 54,408,120 (the near-poor 30% is the same at both).
TEST(Sensitivity, TornadoOfOneShareWorkedByHand) {
    Scenario s = small_scenario();
    s.uncertainty = {uniform_share("aged_province", 0.5, 1.0)};
    SensitivityOptions o;
    o.draws = 200;
    const SensitivityResult r = run_sensitivity({s}, Executor(1), o);
    int rows = 0;
    for (const TornadoRow& row : r.tornado) {
        if (row.output != "cost:all:province") continue;
        ++rows;
        EXPECT_DOUBLE_EQ(row.low_value, 0.525);
        EXPECT_DOUBLE_EQ(row.high_value, 0.975);
        EXPECT_DOUBLE_EQ(row.swing, 54'408'120.0);
    }
    EXPECT_EQ(rows, 1);
    // The 2026 province cost at P5 and P95, near-poor 30% included (unchanged): the
    // near-poor 30% for 2026 is 100 + 20 persons × (6 × 31,590 + 6 × 34,155) = 120 × 394,470 = 47,336,400.
    for (const TornadoRow& row : r.tornado)
        if (row.output == "cost:2026:province") {
            EXPECT_DOUBLE_EQ(row.at_low, 27'612'960.0 + 47'336'400.0);
            EXPECT_DOUBLE_EQ(row.at_high, 51'281'280.0 + 47'336'400.0);
        }
    // Central does not depend on the province's share: no swing.
    for (const TornadoRow& row : r.tornado)
        if (row.output == "cost:all:central") EXPECT_EQ(row.swing, 0.0);
}

TEST(Sensitivity, SameSeedSameResultsWhateverTheThreadCount) {
    Scenario s = small_scenario();
    UncertaintyEntry scale;
    scale.target = "cohorts.near_poor.scale";
    scale.distribution = mc::NormalSpec{1.0, 0.1, 0.5, 1.5};
    scale.per = UncertaintyEntry::Per::unit;
    s.uncertainty = {uniform_share("aged_province", 0.5, 1.0), scale};
    SensitivityOptions o;
    o.draws = 1000;
    o.seed = 42;
    o.sobol_rows = 64;
    const SensitivityResult one = run_sensitivity({s}, Executor(1), o);
    const SensitivityResult two = run_sensitivity({s}, Executor(2), o);
    ASSERT_EQ(one.base.size(), two.base.size());
    for (std::size_t i = 0; i < one.base.size(); ++i) {
        EXPECT_EQ(one.base[i].mean, two.base[i].mean);
        EXPECT_EQ(one.base[i].p5, two.base[i].p5);
        EXPECT_EQ(one.base[i].p95, two.base[i].p95);
    }
    ASSERT_TRUE(one.sobol && two.sobol);
    EXPECT_EQ(one.sobol->outputs[0].first_order[0].value, two.sobol->outputs[0].first_order[0].value);
    // Not vacuous: the province's cost does vary.
    EXPECT_GT(one.base[output(one, "cost:all:province")].sd, 0.0);
    // Another seed, other draws.
    o.seed = 43;
    EXPECT_NE(run_sensitivity({s}, Executor(2), o).base[output(one, "cost:all:province")].mean,
              one.base[output(one, "cost:all:province")].mean);
}

TEST(Sensitivity, AVariantThatChangesNothingDiffersByExactlyZeroInEveryDraw) {
    Scenario s = small_scenario();
    s.uncertainty = {uniform_share("aged_province", 0.5, 1.0)};
    Scenario same = s;
    same.id = "same";
    SensitivityOptions o;
    o.draws = 500;
    const SensitivityResult r = run_sensitivity({s, same}, Executor(2), o);
    ASSERT_EQ(r.difference.size(), 1u);
    for (const mc::Summary& d : r.difference[0]) {
        EXPECT_EQ(d.mean, 0.0);
        EXPECT_EQ(d.sd, 0.0);
        EXPECT_EQ(d.p5, 0.0);
        EXPECT_EQ(d.p95, 0.0);
    }
    // A variant cutting the central support for trafficking victims (no overlap, nothing
    // to do with the uncertain share) differs by the same amount in every draw: on common
    // random numbers its difference has no spread at all, while the cost itself varies.
    Scenario cut = s;
    cut.id = "cut";
    cut.rules[static_cast<std::size_t>(cut.find_rule("traf_central"))].share = pct("25%");
    const SensitivityResult c = run_sensitivity({s, cut}, Executor(2), o);
    const std::size_t central = output(c, "cost:all:central");
    const std::size_t total = output(c, "cost:all:total");
    EXPECT_EQ(c.difference[0][central].sd, 0.0);
    EXPECT_LT(c.difference[0][central].mean, 0.0);
    EXPECT_GT(c.base[total].sd, 1'000'000.0);
}

// A variant that sets the value an inherited entry draws keeps its own value in every
// draw: aged_province fixed at 50% while the base draws it from [50%, 100%]. At 50%:
// 105,300 × 0.5 = 52,650 and 113,850 × 0.5 = 56,925; aged persons 40 in 2026, 50 in 2027:
//   40 × (6 × 52,650 + 6 × 56,925) + 50 × 12 × 56,925 = 26,298,000 + 34,155,000 = 60,453,000;
// with the near-poor 30% (2026: 120 × 394,470 = 47,336,400; 2027: 120 × 12 × 34,155 =
// 49,183,200) the variant's province pays 156,972,600 over the period in every draw. Its
// difference is that less the base's draw: never above 0, and as spread as the base. (The
// draws used to replace the variant's 50% too, and the difference was 0 in every draw.)
TEST(Sensitivity, AVariantKeepsTheValueItSetsAndSaysSo) {
    Scenario s = small_scenario();
    s.uncertainty = {uniform_share("aged_province", 0.5, 1.0)};
    Scenario half = s;
    half.id = "half";
    half.where = {"half.yaml", 1, 1};
    half.rules[static_cast<std::size_t>(half.find_rule("aged_province"))].share = pct("50%");
    SensitivityOptions o;
    o.draws = 500;
    const SensitivityResult r = run_sensitivity({s, half}, Executor(2), o);
    const std::size_t province = output(r, "cost:all:province");
    const mc::Summary& d = r.difference[0][province];
    EXPECT_NEAR(d.mean + r.base[province].mean, 156'972'600.0, 1.0);
    EXPECT_NEAR(d.sd, r.base[province].sd, 1.0);
    EXPECT_GT(d.sd, 1'000'000.0);
    EXPECT_LE(d.p95, 0.0);
    EXPECT_LT(d.mean, -1'000'000.0);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0].key, "uncertainty[0]");
    EXPECT_EQ(r.warnings[0].where.file, "half.yaml");
    const std::string en = r.warnings[0].to_string(Lang::en);
    EXPECT_NE(en.find("variant half sets \"rules.aged_province.share\" itself"), std::string::npos) << en;
    // The base's own study is unchanged by the variant beside it.
    const SensitivityResult alone = run_sensitivity({s}, Executor(2), o);
    EXPECT_EQ(alone.base[province].mean, r.base[province].mean);
    EXPECT_TRUE(alone.warnings.empty());
}

// Group sizes drawn up to twice their size: B's 20 near-poor become 40 against a population
// of 30 (133.33%); A's 100 become 200, with 40 aged and 1.6667 trafficking victims (2 persons
// × 10 months ÷ 12), 241.67 of 200 (120.83%). The warning names the highest, B in 2026. Up
// to 1.5 times, A's 2027 has 150 near-poor, 50 aged (no overlap row that year) and 0.33
// victims (2 × 2 months ÷ 12): 200.33 of 200, still a warning; up to 1.4 times, A holds
// 140 + 50 + 0.33 = 190.33 in 2027, 140 + 40 + 1.67 = 181.67 in 2026, and B 28 of 30: none.
TEST(Sensitivity, CoverageOverThePopulationAtTheTopOfTheRangesIsAWarning) {
    Scenario s = small_scenario();
    UncertaintyEntry scale;
    scale.target = "cohorts.near_poor.scale";
    scale.distribution = mc::UniformSpec{1.0, 2.0};
    scale.reference = "test";
    scale.confidence = "assumption";
    scale.where = {"fixture.yaml", 31, 5};
    s.uncertainty = {scale};
    SensitivityOptions o;
    o.draws = 50;
    const SensitivityResult r = run_sensitivity({s}, Executor(1), o);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0].where.line, 31);
    const std::string en = r.warnings[0].to_string(Lang::en);
    EXPECT_NE(en.find("enrols 40.00 persons in unit B (Commune B) in 2026, 133.33% of its population of 30"), std::string::npos) << en;
    s.uncertainty[0].distribution = mc::UniformSpec{1.0, 1.5};
    const SensitivityResult just_over = run_sensitivity({s}, Executor(1), o);
    ASSERT_EQ(just_over.warnings.size(), 1u);
    EXPECT_NE(just_over.warnings[0].to_string(Lang::en).find("enrols 200.33 persons in unit A (Commune A) in 2027, 100.17%"),
              std::string::npos);
    s.uncertainty[0].distribution = mc::UniformSpec{1.0, 1.4};
    const SensitivityResult within = run_sensitivity({s}, Executor(1), o);
    EXPECT_TRUE(within.warnings.empty()) << within.warnings.front().to_string(Lang::en);
}

TEST(Sensitivity, AShareThatCouldPassOneHundredPercentIsRefused) {
    Scenario s = small_scenario();
    // np_central 70% + np_province up to 40% = 110%.
    s.uncertainty = {uniform_share("np_province", 0.2, 0.4)};
    try {
        run_sensitivity({s}, Executor(1), SensitivityOptions{});
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("fixture.yaml:30:3"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("over 100%"), std::string::npos) << e.what();
    }
}

TEST(Sensitivity, APercentileOfTheDrawsMatchesTheDistribution) {
    // One uniform share on [50%, 100%] over 20,000 draws: the province's 2027 aged cost is
    // 50 × 12 × round(113,850 × share) — linear in the share but for rounding, so its P50
    // sits at the share's median 75%: 50 × 12 × 85,388 (113,850 × 0.75 = 85,387.5 → 85,388)
    // = 51,232,800, plus the near-poor 30%: 120 × 12 × 34,155 = 49,183,200 → 100,416,000.
    Scenario s = small_scenario();
    s.uncertainty = {uniform_share("aged_province", 0.5, 1.0)};
    SensitivityOptions o;
    o.draws = 20'000;
    const SensitivityResult r = run_sensitivity({s}, Executor(2), o);
    const mc::Summary& y = r.base[output(r, "cost:2027:province")];
    EXPECT_NEAR(y.p50, 100'416'000.0, 0.01 * 51'232'800.0);
    // P5 and P95 near the shares 52.5% and 97.5% (2027 aged: 35,862,600 and 66,602,400).
    EXPECT_NEAR(y.p5, 35'862'600.0 + 49'183'200.0, 0.01 * 51'232'800.0);
    EXPECT_NEAR(y.p95, 66'602'400.0 + 49'183'200.0, 0.01 * 51'232'800.0);
}

// --sobol-output names an output whether or not a Sobol' design is run: with --sobol 0
// (sobol_rows 0) a year the study lacks is refused too.
TEST(Sensitivity, AnUnknownSobolOutputIsRefusedWithOrWithoutADesign) {
    Scenario s = small_scenario();
    s.uncertainty = {uniform_share("aged_province", 0.5, 1.0)};
    SensitivityOptions o;
    o.draws = 10;
    int refused = 0;
    for (const std::uint64_t rows : {std::uint64_t{8}, std::uint64_t{0}}) {
        o.sobol_rows = rows;
        o.sobol_outputs = {"cost:2099:total"};
        try {
            run_sensitivity({s}, Executor(1), o);
            ADD_FAILURE() << "accepted with sobol_rows " << rows;
        } catch (const ScenarioError& e) {
            EXPECT_NE(std::string(e.what()).find("--sobol-output"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("\"cost:2099:total\""), std::string::npos) << e.what();
            ++refused;
        }
    }
    EXPECT_EQ(refused, 2);
    // A name the study has is accepted.
    o.sobol_outputs = {"cost:2027:total"};
    EXPECT_NO_THROW(run_sensitivity({s}, Executor(1), o));
}

// Entries built in code are not checked by the loader: a scale drawn up to 10^16 puts the
// fixture's costs (a few hundred persons, about 10^5 đồng a person-month) near 10^24 đồng,
// past the 2^62 = 4,611,686,018,427,387,904 đồng a study can add up and report in whole
// đồng. Refused (at the entry whose top costs most alone: the scale, not the share) by
// check_uncertainty, which validate and run call, and by run_sensitivity: never a report.
TEST(Sensitivity, ACostPastTheStudysRangeIsRefusedAtTheEntryThatDrivesIt) {
    Scenario s = small_scenario();
    UncertaintyEntry scale;
    scale.target = "cohorts.scale";
    scale.distribution = mc::UniformSpec{1.0, 1e16};
    scale.where = {"fixture.yaml", 31, 3};
    s.uncertainty = {uniform_share("aged_province", 0.5, 1.0), scale};
    const std::string expected = "fixture.yaml:31:3: uncertainty[1]: \"cohorts.scale\" can push the cost past "
                                 "4,611,686,018,427,387,904 VND, the most a sensitivity study can add up in whole đồng; "
                                 "bound the distribution (a lower high)";
    try {
        check_uncertainty(s, Executor(1));
        ADD_FAILURE() << "check_uncertainty accepted";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), expected);
    }
    SensitivityOptions o;
    o.draws = 20;
    try {
        run_sensitivity({s}, Executor(1), o);
        ADD_FAILURE() << "run_sensitivity accepted";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), expected);
    }
    // Up to 1000% the fixture is far from it: accepted.
    s.uncertainty[1].distribution = mc::UniformSpec{1.0, 10.0};
    EXPECT_NO_THROW(check_uncertainty(s, Executor(1)));
    EXPECT_NO_THROW(run_sensitivity({s}, Executor(1), o));
}

