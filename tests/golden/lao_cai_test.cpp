// Golden case: Lào Cai 2024 (scenarios/lao-cai-2024), district Huyện Bảo Thắng (086).
//
// Sourced inputs (UBND Lào Cai 2024 plan, district annex): population 2023 112,957,
// cards at 31/12/2023 106,022, target 2024 96.7%; province 779,919 / 736,020 / 97.0%.
// Illustrative inputs typed from cohorts.csv / overlaps.csv: near_poor 1,835,
// elderly_60_79 3,953, ethnic_special 0, near_poor × elderly_60_79 overlap 110.
// Every expected figure is worked out by hand below.
//
// Contribution per person-month = 4.5% × base salary:
//   Jan–Jun 2024: 4.5% × 1,800,000 = 81,000   (NĐ 24/2023)
//   Jul–Dec 2024: 4.5% × 2,340,000 = 105,300  (NĐ 73/2024, from 2024-07-01)
#include <gtest/gtest.h>

#include "golden_suite.hpp"

#include <string>

#include "subsim/io/scenario_loader.hpp"
#include "subsim/model/scenario.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/sim/costing.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {
namespace {

constexpr const char* kScenarioPath = SUBSIM_SOURCE_DIR "/scenarios/lao-cai-2024/scenario.yaml";
constexpr const char* kDistrict = "086";  // Huyện Bảo Thắng

// Near-poor top-up, NQ 09/2019/NQ-HĐND (province 30%):
//   Jan–Jun: 81,000 × 30% = 24,300;  Jul–Dec: 105,300 × 30% = 31,590
//   per person 2024: 6 × 24,300 + 6 × 31,590 = 145,800 + 189,540 = 335,340
//   district: 1,835 × 335,340 = 615,348,900  (335,340×1800 = 603,612,000; ×35 = 11,736,900)
constexpr Dong kNearPoorTopUpPerMonthH1 = 24'300;
constexpr Dong kNearPoorTopUpPerMonthH2 = 31'590;
constexpr Dong kNearPoorTopUp2024 = 615'348'900;
static_assert(6 * kNearPoorTopUpPerMonthH1 + 6 * kNearPoorTopUpPerMonthH2 == 335'340);

// Elderly 60–<80, NQ 25/2022/NQ-HĐND (province 50%):
//   Jan–Jun: 81,000 × 50% = 40,500;  Jul–Dec: 105,300 × 50% = 52,650
//   per person 2024: 6 × 40,500 + 6 × 52,650 = 243,000 + 315,900 = 558,900
//   The 110 near-poor aged 60–79 take the near-poor package (70% + 30% = 100% > 50%),
//   so 3,953 − 110 = 3,843 persons: 3,843 × 558,900 = 2,147,852,700
//   (558,900×3800 = 2,123,820,000; ×43 = 24,032,700)
constexpr Dong kElderly2024 = 2'147'852'700;
// Province payer in Bảo Thắng: 615,348,900 + 2,147,852,700 + 0 (ethnic_special) = 2,763,201,600
constexpr Dong kProvince2024 = 2'763'201'600;
static_assert(kNearPoorTopUp2024 + kElderly2024 == kProvince2024);

class LaoCaiGolden : public golden::GoldenSuite<LaoCaiGolden> {
public:
    static constexpr const char* kScenario = kScenarioPath;

protected:
    static int district() { return s().find_unit(kDistrict); }

    static Dong rule_cost(const char* rule_id) {
        const int rule_index = rule(rule_id);
        Dong sum = 0;
        for (const auto& line : r().lines)
            if (line.year == 2024 && line.unit == district() && line.rule == rule_index) sum += line.cost;
        return sum;
    }
};

TEST_F(LaoCaiGolden, UnitsAreTheProvinceAndNineDistricts) {
    const Scenario& sc = s();
    ASSERT_EQ(sc.units().size(), 10u);
    const int province = sc.find_unit("10");
    ASSERT_GE(province, 0);
    EXPECT_EQ(sc.units()[province].level, UnitLevel::province);
    ASSERT_GE(district(), 0);
    EXPECT_EQ(sc.units()[district()].name, "Huyện Bảo Thắng");
    EXPECT_EQ(sc.units()[district()].level, UnitLevel::district);
    EXPECT_EQ(sc.units()[district()].parent, province);
}

TEST_F(LaoCaiGolden, DistrictTargetsDoNotAddUpToTheProvinceTarget) {
    // Weighted by 2023 population, the districts' 2024 targets give
    //   Σ pop × target / Σ pop = 75,182,736 / 779,919 ≈ 96.398% → "96.40%"
    // (150,654×96.5 + 82,342×98.0 + 67,260×97.2 + 39,312×96.5 + 68,553×98.0
    //  + 112,957×96.7 + 91,100×96.05 + 72,070×97.7 + 95,671×92.1 = 75,182,736)
    // against the plan's 97.00% for the province.
    bool found = false;
    for (const auto& w : warnings()) {
        const std::string text = w.to_string(Lang::en);
        if (text.find("96.40%") != std::string::npos && text.find("97.00%") != std::string::npos) found = true;
    }
    EXPECT_TRUE(found) << "expected a warning naming 96.40% and 97.00%";
}

TEST_F(LaoCaiGolden, NearPoorTopUpOfOneDistrict) {
    EXPECT_EQ(rule_cost("near_poor_province"), kNearPoorTopUp2024);
}

TEST_F(LaoCaiGolden, ElderlySupportAfterTheHighestBenefitRule) {
    EXPECT_EQ(rule_cost("nq25_2022_elderly"), kElderly2024);
    EXPECT_EQ(rule_cost("nq25_2022_ethnic_special"), 0);
}

TEST_F(LaoCaiGolden, ProvinceBillOfOneDistrict) {
    const int province_payer = s().find_payer("province");
    Dong cost = 0;
    for (const auto& t : totals_by_unit(r()))
        if (t.year == 2024 && t.unit == district() && t.payer == province_payer) cost += t.cost;
    EXPECT_EQ(cost, kProvince2024);
}

TEST_F(LaoCaiGolden, CoverageCarriesThe2023PopulationForward) {
    // Bảo Thắng: population 2023 112,957 carried to 2024; insured = cards 106,022
    // (Σ cohorts − overlap − uninsured: the uninsured 6,935 = 112,957 − 106,022 enrol at 0%).
    bool seen = false;
    for (const auto& c : r().coverage) {
        if (c.year != 2024 || c.unit != district()) continue;
        seen = true;
        EXPECT_EQ(c.population, 112'957);
        EXPECT_EQ(c.enrolled, headcount_of_persons(106'022));
        ASSERT_TRUE(c.target.has_value());
        EXPECT_EQ(*c.target, Decimal::parse("0.967").value());
    }
    EXPECT_TRUE(seen);
    // The province row sums its districts: 779,919 people, 736,020 cards.
    const int province = s().find_unit("10");
    for (const auto& c : r().coverage) {
        if (c.year != 2024 || c.unit != province) continue;
        EXPECT_EQ(c.population, 779'919);
        EXPECT_EQ(c.enrolled, headcount_of_persons(736'020));
    }
}

}  // namespace
}  // namespace subsim
