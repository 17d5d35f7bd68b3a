// Golden test: An Giang 2016–2020 (QĐ 2435/QĐ-UBND, 31/8/2016), scenarios/an-giang-2016-2020.
//
// Every expected figure below is worked out by hand from the plan's tables (Phụ lục 1
// and 2, typed in here from the seed document) and the legal parameters, with the
// arithmetic in the comments. Nothing is copied from the program's output.
//
// Parameters used throughout (contribution = 4.5% × base salary, per person-month):
//   base salary 1,150,000 (to 30/4/2016): 100% 51,750 | 70% 36,225 | 30% 15,525
//   base salary 1,210,000 (1/5/2016 –)  : 100% 54,450 | 70% 38,115 | 30% 16,335
//   base salary 1,300,000 (1/7/2017 –)  : 100% 58,500 | 70% 40,950 | 30% 17,550
//   base salary 1,390,000 (1/7/2018 –)  : 100% 62,550 | 70% 43,785 | 30% 18,765
//   base salary 1,490,000 (1/7/2019 –)  : 100% 67,050 | 70% 46,935 | 30% 20,115
// e.g. 4.5% × 1,210,000 = 54,450; × 70% = 38,115; × 30% = 16,335 (domain.md §2).
// Shares: poor, children under 6, social protection, merit, difficult area 100% central;
// near-poor 70% central + 30% province; students and agri households 30% central;
// household, employees, other: no support.
#include <gtest/gtest.h>

#include "golden_suite.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <numeric>
#include <string>

#include "subsim/core/date.hpp"
#include "subsim/core/decimal.hpp"
#include "subsim/core/headcount.hpp"
#include "subsim/core/money.hpp"
#include "subsim/io/scenario_loader.hpp"
#include "subsim/model/scenario.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/sim/costing.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {
namespace {

constexpr int kMonthsPerYear = 12;
constexpr int kTotalPayer = -1;

// ---- The legal parameters, typed in (domain.md §1, §2) ------------------------------

/// Lương cơ sở in force on the first day of (year, month).
constexpr Dong base_salary_on(int year, int month) {
    const int ym = year * 100 + month;
    if (ym < 2016'05) return 1'150'000;  // NĐ 66/2013, from 1/7/2013
    if (ym < 2017'07) return 1'210'000;  // NĐ 47/2016, from 1/5/2016
    if (ym < 2018'07) return 1'300'000;  // NĐ 47/2017, from 1/7/2017
    if (ym < 2019'07) return 1'390'000;  // NĐ 72/2018, from 1/7/2018
    return 1'490'000;                    // NĐ 38/2019, from 1/7/2019
}

/// 4.5% × base × share% per person-month: base × 45 × share / (1000 × 100).
/// Exact for every base salary here (checked below), so no rounding is involved.
constexpr Dong monthly_amount(Dong base, int share_pct) { return base * 45 * share_pct / 100'000; }
constexpr bool monthly_amount_is_exact(Dong base, int share_pct) {
    return base * 45 * share_pct % 100'000 == 0;
}

/// Σ over the months of `year` in `first..last` of the amount at `share_pct`.
constexpr Dong amount_over_months(int year, int first, int last, int share_pct) {
    Dong sum = 0;
    for (int m = first; m <= last; ++m) sum += monthly_amount(base_salary_on(year, m), share_pct);
    return sum;
}
constexpr Dong yearly_amount(int year, int share_pct) { return amount_over_months(year, 1, 12, share_pct); }

// The yearly per-person amounts used below, worked out by hand:
//   2016: 4 months at 1,150,000 + 8 at 1,210,000 (change on 1 May)
//         100%: 4 × 51,750 + 8 × 54,450 = 207,000 + 435,600 = 642,600
//          70%: 4 × 36,225 + 8 × 38,115 = 144,900 + 304,920 = 449,820
//          30%: 4 × 15,525 + 8 × 16,335 =  62,100 + 130,680 = 192,780
//   2019: 6 months at 1,390,000 + 6 at 1,490,000
//         100%: 6 × 62,550 + 6 × 67,050 = 375,300 + 402,300 = 777,600
//          70%: 6 × 43,785 + 6 × 46,935 = 262,710 + 281,610 = 544,320
//          30%: 6 × 18,765 + 6 × 20,115 = 112,590 + 120,690 = 233,280
//   2020: 12 months at 1,490,000
//         100%: 12 × 67,050 = 804,600;  70%: 12 × 46,935 = 563,220;  30%: 12 × 20,115 = 241,380
constexpr Dong k2016Full = 642'600, k2016Near = 449'820, k2016Thirty = 192'780;
constexpr Dong k2019Full = 777'600, k2019Near = 544'320, k2019Thirty = 233'280;
constexpr Dong k2020Full = 804'600, k2020Near = 563'220, k2020Thirty = 241'380;
static_assert(yearly_amount(2016, 100) == k2016Full && yearly_amount(2016, 70) == k2016Near &&
              yearly_amount(2016, 30) == k2016Thirty);
static_assert(yearly_amount(2019, 100) == k2019Full && yearly_amount(2019, 70) == k2019Near &&
              yearly_amount(2019, 30) == k2019Thirty);
static_assert(yearly_amount(2020, 100) == k2020Full && yearly_amount(2020, 70) == k2020Near &&
              yearly_amount(2020, 30) == k2020Thirty);

/// The share each rule of the scenario pays, as the plan and the law give it.
int rule_share_pct(const std::string& rule_id) {
    static const std::map<std::string, int> shares = {
        {"children_under_6_central", 100}, {"social_protection_central", 100},
        {"merit_central", 100},            {"poor_central", 100},
        {"difficult_area_central", 100},   {"near_poor_central", 70},
        {"near_poor_province_topup", 30},  {"students_central", 30},
        {"agri_household_average_central", 30},
    };
    auto it = shares.find(rule_id);
    return it == shares.end() ? -1 : it->second;
}

// ---- The scenario, loaded and simulated once --------------------------------------

class AnGiang : public golden::GoldenSuite<AnGiang> {
public:
    static constexpr const char* kScenario = SUBSIM_SOURCE_DIR "/scenarios/an-giang-2016-2020/scenario.yaml";

protected:
    static Dong year_payer_total(int year, int payer_index) {
        Dong found = -1;
        for (const auto& t : totals_by_year_payer(r())) {
            if (t.year == year && t.payer == payer_index) found = t.cost;
        }
        return found;
    }
    static const BudgetLine* line(int year, const char* unit_code, const char* group_id, const char* rule_id) {
        const int u = unit(unit_code), g = group(group_id), ru = s().find_rule(rule_id);
        for (const auto& l : r().lines) {
            if (l.year == year && l.unit == u && l.group == g && l.rule == ru) return &l;
        }
        return nullptr;
    }
    static const CohortCost* cohort(int year, const char* unit_code, const char* group_id) {
        const int u = unit(unit_code), g = group(group_id);
        for (const auto& c : r().cohort_costs) {
            if (c.year == year && c.unit == u && c.group == g) return &c;
        }
        return nullptr;
    }
};

// ---- Structure ----------------------------------------------------------------------

TEST_F(AnGiang, ScenarioHasTheProvinceElevenDistrictsElevenGroupsAndNineRules) {
    EXPECT_EQ(s().id, "an-giang-2016-2020");
    EXPECT_EQ(s().first_year, 2016);
    EXPECT_EQ(s().last_year, 2020);
    ASSERT_EQ(s().units().size(), 12u);  // 1 province + 11 districts
    const int province = unit("89");
    ASSERT_GE(province, 0);
    EXPECT_EQ(s().units()[province].parent, -1);
    EXPECT_EQ(s().units()[province].level, UnitLevel::province);
    // GSO district codes before 1/7/2025.
    for (const char* code : {"883", "884", "886", "887", "888", "889", "890", "891", "892", "893", "894"}) {
        const int u = unit(code);
        ASSERT_GE(u, 0) << code;
        EXPECT_EQ(s().units()[u].parent, province) << code;
        EXPECT_EQ(s().units()[u].level, UnitLevel::district) << code;
        EXPECT_TRUE(s().is_leaf(u)) << code;
    }
    EXPECT_EQ(s().groups().size(), 11u);
    EXPECT_EQ(s().rules.size(), 9u);
    // 5 years × 11 districts × 11 groups, each given by the plan.
    EXPECT_EQ(s().cohorts().size(), 5u * 11u * 11u);
    EXPECT_FALSE(s().illustrative_population);
}

TEST_F(AnGiang, DistrictTargetsWeightedByPopulationMatchTheProvinceTarget) {
    // e.g. 2018: Σ pop × target / Σ pop = 81.49998…% → 81.50%, the province's target.
    // Checked for every year by hand from Phụ lục 1, so validate() has nothing to warn about.
    for (const auto& w : warnings()) ADD_FAILURE() << w.to_string(Lang::en);
}

// ---- Monthly amounts ----------------------------------------------------------------

TEST_F(AnGiang, MonthlyAmountsMatchTheDomainTable) {
    static_assert(monthly_amount_is_exact(1'150'000, 30) && monthly_amount_is_exact(1'210'000, 70) &&
                  monthly_amount_is_exact(1'390'000, 30) && monthly_amount_is_exact(1'490'000, 70));
    // 4.5% × 1,150,000 = 51,750; × 70% = 36,225; × 30% = 15,525
    EXPECT_EQ(monthly_amount(1'150'000, 100), 51'750);
    EXPECT_EQ(monthly_amount(1'150'000, 70), 36'225);
    EXPECT_EQ(monthly_amount(1'150'000, 30), 15'525);
    // 4.5% × 1,210,000 = 54,450; × 70% = 38,115; × 30% = 16,335
    EXPECT_EQ(monthly_amount(1'210'000, 100), 54'450);
    EXPECT_EQ(monthly_amount(1'210'000, 70), 38'115);
    EXPECT_EQ(monthly_amount(1'210'000, 30), 16'335);
    // 4.5% × 1,300,000 = 58,500; × 70% = 40,950; × 30% = 17,550
    EXPECT_EQ(monthly_amount(1'300'000, 100), 58'500);
    EXPECT_EQ(monthly_amount(1'300'000, 70), 40'950);
    EXPECT_EQ(monthly_amount(1'300'000, 30), 17'550);
    // 4.5% × 1,390,000 = 62,550; × 70% = 43,785; × 30% = 18,765
    EXPECT_EQ(monthly_amount(1'390'000, 100), 62'550);
    EXPECT_EQ(monthly_amount(1'390'000, 70), 43'785);
    EXPECT_EQ(monthly_amount(1'390'000, 30), 18'765);
    // 4.5% × 1,490,000 = 67,050; × 70% = 46,935; × 30% = 20,115
    EXPECT_EQ(monthly_amount(1'490'000, 100), 67'050);
    EXPECT_EQ(monthly_amount(1'490'000, 70), 46'935);
    EXPECT_EQ(monthly_amount(1'490'000, 30), 20'115);
}

TEST_F(AnGiang, EngineContributionFollowsTheBaseSalaryTimeline) {
    // The day before and the day a new base salary applies.
    EXPECT_EQ(contribution_on(s(), Date{2016, 4, 30}), Decimal::whole(51'750));
    EXPECT_EQ(contribution_on(s(), Date{2016, 5, 1}), Decimal::whole(54'450));
    EXPECT_EQ(contribution_on(s(), Date{2017, 6, 30}), Decimal::whole(54'450));
    EXPECT_EQ(contribution_on(s(), Date{2017, 7, 1}), Decimal::whole(58'500));
    EXPECT_EQ(contribution_on(s(), Date{2018, 7, 1}), Decimal::whole(62'550));
    EXPECT_EQ(contribution_on(s(), Date{2019, 6, 1}), Decimal::whole(62'550));
    EXPECT_EQ(contribution_on(s(), Date{2019, 7, 1}), Decimal::whole(67'050));
    EXPECT_EQ(contribution_on(s(), Date{2020, 12, 1}), Decimal::whole(67'050));
}

TEST_F(AnGiang, In2020EachLineImpliesTheMonthlyAmountOfItsShare) {
    // 2020 has one base salary (1,490,000) all year, so cost / person-months is the
    // monthly amount itself: 67,050 (100%), 46,935 (70%), 20,115 (30%).
    int checked = 0;
    for (const auto& l : r().lines) {
        if (l.year != 2020 || l.person_months == 0) continue;
        const int share = rule_share_pct(s().rules[l.rule].id);
        ASSERT_GT(share, 0) << s().rules[l.rule].id;
        // Whole persons: person_months is a multiple of one person-month.
        ASSERT_EQ(l.person_months % kHeadcountScale, 0);
        const std::int64_t person_months = l.person_months / kHeadcountScale;
        ASSERT_EQ(l.cost % person_months, 0) << s().rules[l.rule].id;
        EXPECT_EQ(l.cost / person_months, monthly_amount(1'490'000, share)) << s().rules[l.rule].id;
        ++checked;
    }
    EXPECT_GT(checked, 0);
}

TEST_F(AnGiang, EveryLineIsPersonsTimesTheMonthlyAmountsOfItsYear) {
    // For every line: all plan participants are insured all year, so person-months =
    // persons × 12, and each quarter costs persons × Σ of its months' amounts.
    // E.g. 2016 Q2 at 70%: April at 36,225 + May, June at 38,115 = 112,455 per person.
    for (const auto& l : r().lines) {
        const std::string& rule_id = s().rules[l.rule].id;
        const int share = rule_share_pct(rule_id);
        ASSERT_GT(share, 0) << rule_id;
        ASSERT_EQ(l.person_months % (kMonthsPerYear * kHeadcountScale), 0) << rule_id;
        const std::int64_t persons = l.person_months / (kMonthsPerYear * kHeadcountScale);
        for (int q = 0; q < 4; ++q) {
            EXPECT_EQ(l.quarter_cost[q], persons * amount_over_months(l.year, 3 * q + 1, 3 * q + 3, share))
                << l.year << " Q" << (q + 1) << " " << rule_id;
        }
        EXPECT_EQ(l.cost, persons * yearly_amount(l.year, share)) << l.year << " " << rule_id;
    }
}

TEST_F(AnGiang, LongXuyen2016NearPoorCentralLineByQuarter) {
    // Long Xuyên (883), 2016, 9,664 near-poor persons, central 70%:
    //   Q1: 3 × 36,225 = 108,675 per person;       9,664 × 108,675 = 1,050,235,200
    //   Q2: 36,225 + 2 × 38,115 = 112,455;         9,664 × 112,455 = 1,086,765,120
    //   Q3, Q4: 3 × 38,115 = 114,345;              9,664 × 114,345 = 1,105,030,080
    //   year: 9,664 × 449,820 = 4,347,060,480 (= 1,050,235,200 + 1,086,765,120 + 2 × 1,105,030,080)
    const BudgetLine* l = line(2016, "883", "near_poor", "near_poor_central");
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->payer, payer("central"));
    EXPECT_EQ(l->person_months, 9'664LL * 12 * kHeadcountScale);
    EXPECT_EQ(l->quarter_cost[0], 1'050'235'200);
    EXPECT_EQ(l->quarter_cost[1], 1'086'765'120);
    EXPECT_EQ(l->quarter_cost[2], 1'105'030'080);
    EXPECT_EQ(l->quarter_cost[3], 1'105'030'080);
    EXPECT_EQ(l->cost, 4'347'060'480);
}

// ---- Province and district totals -----------------------------------------------------

TEST_F(AnGiang, ProvinceBudget2016IsTheNearPoorTopUp) {
    // Near-poor in 2016, Phụ lục 2 row 5, districts in the plan's order:
    // Long Xuyên, Châu Đốc, An Phú, Tân Châu, Phú Tân, Châu Phú, Tịnh Biên, Tri Tôn,
    // Chợ Mới, Châu Thành, Thoại Sơn.
    constexpr std::array<std::int64_t, 11> near_poor_2016 = {9'664, 3'364, 10'643, 8'337, 12'118, 12'277,
                                                             4'961, 4'651, 9'408, 10'761, 10'217};
    // 9,664 + 3,364 + 10,643 + 8,337 + 12,118 + 12,277 + 4,961 + 4,651 + 9,408 + 10,761 + 10,217 = 96,401
    const std::int64_t persons = std::accumulate(near_poor_2016.begin(), near_poor_2016.end(), std::int64_t{0});
    EXPECT_EQ(persons, 96'401);
    // Per person: 4 × 15,525 + 8 × 16,335 = 62,100 + 130,680 = 192,780
    // 96,401 × 192,780 = 96,401 × 200,000 − 96,401 × 7,220
    //                  = 19,280,200,000 − 696,015,220 = 18,584,184,780
    constexpr Dong expected = 18'584'184'780;
    EXPECT_EQ(persons * (4 * 15'525 + 8 * 16'335), expected);
    EXPECT_EQ(year_payer_total(2016, payer("province")), expected);
}

TEST_F(AnGiang, CentralAndTotal2016) {
    // Central 2016, province-wide (Σ of the district rows of Phụ lục 2):
    //  100% groups: children 255,169 + social protection 21,274 + merit 72,538 + poor 153,134
    //               + difficult area (3,382 An Phú + 13,579 Tịnh Biên + 24,183 Tri Tôn = 41,144)
    //               = 543,259 persons × 642,600 = 349,098,233,400
    //               (543,259 × 600,000 = 325,955,400,000; × 42,600 = 23,142,833,400)
    //  near-poor 70%: 96,401 × 449,820 = 43,380,450,000 − 96,401 × 180 (17,352,180) = 43,363,097,820
    //  30% groups: students 283,856 + agri households 51,890 = 335,746
    //               × 192,780 = 67,149,200,000 − 335,746 × 7,220 (2,424,086,120) = 64,725,113,880
    //  central = 349,098,233,400 + 43,363,097,820 + 64,725,113,880 = 457,186,445,100
    //  total   = 457,186,445,100 + 18,584,184,780 (province) = 475,770,629,880
    // (The plan's printed difficult-area total, 57,934, is not the sum of its districts; we use 41,144.)
    EXPECT_EQ(543'259LL * k2016Full + 96'401LL * k2016Near + 335'746LL * k2016Thirty, 457'186'445'100);
    EXPECT_EQ(year_payer_total(2016, payer("central")), 457'186'445'100);
    EXPECT_EQ(year_payer_total(2016, kTotalPayer), 475'770'629'880);
    // No rule is paid by the commune budget: its row is absent (-1 here) or zero.
    EXPECT_LE(year_payer_total(2016, payer("commune")), 0);
}

TEST_F(AnGiang, CentralAndProvince2020) {
    // 2020, one base salary all year (Σ of the district rows of Phụ lục 2, 2020):
    //  100% groups: 261,482 + 27,287 + 93,708 + 144,150 + 66,525 = 593,152
    //               × 804,600 = 474,521,600,000 + 593,152 × 4,600 (2,728,499,200) = 477,250,099,200
    //  near-poor 70%: 105,385 × 563,220 = 56,322,000,000 + 5,385 × 563,220 (3,032,939,700) = 59,354,939,700
    //  30% groups: 375,098 + 91,756 = 466,854
    //               × 241,380 = 112,044,960,000 + 466,854 × 1,380 (644,258,520) = 112,689,218,520
    //  central = 477,250,099,200 + 59,354,939,700 + 112,689,218,520 = 649,294,257,420
    //  province = 105,385 × 241,380 = 24,138,000,000 + 1,299,831,300 = 25,437,831,300
    // (District sums: poor 144,150 and near-poor 105,385; the plan prints 144,151 and 105,384.)
    EXPECT_EQ(593'152LL * k2020Full + 105'385LL * k2020Near + 466'854LL * k2020Thirty, 649'294'257'420);
    EXPECT_EQ(year_payer_total(2020, payer("central")), 649'294'257'420);
    EXPECT_EQ(year_payer_total(2020, payer("province")), 25'437'831'300);
    EXPECT_EQ(year_payer_total(2020, kTotalPayer), 649'294'257'420 + 25'437'831'300);
}

TEST_F(AnGiang, TriTon2019ByPayer) {
    // Tri Tôn (891), 2019, Phụ lục 2: children 17,378; social protection 2,670; merit 4,371;
    // poor 23,270; near-poor 5,730; difficult area 34,366; students 15,068; agri households 4,523.
    //  100%: 17,378 + 2,670 + 4,371 + 23,270 + 34,366 = 82,055
    //        × 777,600 = 65,644,000,000 − 82,055 × 22,400 (1,838,032,000) = 63,805,968,000
    //  near-poor 70%: 5,730 × 544,320 = 2,721,600,000 + 730 × 544,320 (397,353,600) = 3,118,953,600
    //  30%: 15,068 + 4,523 = 19,591
    //        × 233,280 = 4,665,600,000 − 409 × 233,280 (95,411,520) = 4,570,188,480
    //  central  = 63,805,968,000 + 3,118,953,600 + 4,570,188,480 = 71,495,110,080
    //  province = 5,730 × 233,280 = 1,166,400,000 + 170,294,400 = 1,336,694,400
    const Dong full = (17'378LL + 2'670 + 4'371 + 23'270 + 34'366) * k2019Full;
    EXPECT_EQ(full, 63'805'968'000);
    EXPECT_EQ(full + 5'730LL * k2019Near + (15'068LL + 4'523) * k2019Thirty, 71'495'110'080);
    EXPECT_EQ(5'730LL * k2019Thirty, 1'336'694'400);

    const int tri_ton = unit("891");
    EXPECT_EQ(unit_payer_total(2019, tri_ton, payer("central")), 71'495'110'080);
    EXPECT_EQ(unit_payer_total(2019, tri_ton, payer("province")), 1'336'694'400);
    EXPECT_EQ(unit_payer_total(2019, tri_ton, payer("commune")), 0);
}

TEST_F(AnGiang, UnsupportedGroupsHaveNoBudgetLines) {
    const int household = group("household"), employees = group("employees"), other = group("other");
    for (const auto& l : r().lines) {
        EXPECT_NE(l.group, household);
        EXPECT_NE(l.group, employees);
        EXPECT_NE(l.group, other);
    }
    for (const auto& c : r().cohort_costs) {
        if (c.group == household || c.group == employees || c.group == other) EXPECT_EQ(c.state_paid, 0);
    }
    // No commune budget in this scenario.
    for (const auto& l : r().lines) EXPECT_NE(l.payer, payer("commune"));
}

// ---- Reconciliation form columns (cohort costs) --------------------------------------

TEST_F(AnGiang, LongXuyen2016CohortCosts) {
    // Students, Long Xuyên 2016: 43,273 persons, 30% central.
    //   due  = 43,273 × 642,600 = 25,963,800,000 + 1,843,429,800 = 27,807,229,800
    //   paid = 43,273 × 192,780 =  8,654,600,000 −   312,431,060 =  8,342,168,940
    //   participant = 43,273 × 449,820 = 27,807,229,800 − 8,342,168,940 = 19,465,060,860
    const CohortCost* students = cohort(2016, "883", "students");
    ASSERT_NE(students, nullptr);
    EXPECT_EQ(students->person_months, 43'273LL * 12 * kHeadcountScale);
    EXPECT_EQ(students->contribution_due, 27'807'229'800);
    EXPECT_EQ(students->state_paid, 8'342'168'940);
    EXPECT_EQ(students->participant_paid(), 19'465'060'860);
    // Near-poor, Long Xuyên 2016: 9,664 persons, 70% central + 30% province = all of it.
    //   due = paid = 9,664 × 642,600 = 6,210,086,400; participant 0.
    const CohortCost* near_poor = cohort(2016, "883", "near_poor");
    ASSERT_NE(near_poor, nullptr);
    EXPECT_EQ(near_poor->contribution_due, 6'210'086'400);
    EXPECT_EQ(near_poor->state_paid, 6'210'086'400);
    EXPECT_EQ(near_poor->participant_paid(), 0);
}

// ---- Coverage -------------------------------------------------------------------------

TEST_F(AnGiang, LongXuyenCoverage2016) {
    // Long Xuyên 2016, all 11 groups of Phụ lục 2:
    // 29,084 + 1,531 + 7,128 + 4,850 + 9,664 + 0 + 43,273 + 28,180 + 67,175 + 722 + 14,763
    // = 206,370 (Phụ lục 1's participant target). Population 286,179.
    // 206,370 / 286,179 = 0.721122… → 72.11%, the plan's target for Long Xuyên.
    const CoverageRow* c = coverage(2016, "883");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->population, 286'179);
    EXPECT_EQ(c->enrolled, 206'370LL * kHeadcountScale);
    ASSERT_TRUE(c->target.has_value());
    EXPECT_EQ(*c->target, *Decimal::parse("72.11%"));
    // Coverage in basis points, rounded half up: (206,370 × 10,000 × 2 + 286,179) / (2 × 286,179) = 7,211
    const std::int64_t bp = (c->enrolled * 2 + c->population) / (2 * c->population);
    EXPECT_EQ(bp, 7'211);
}

TEST_F(AnGiang, ProvinceCoverage2016) {
    // Province 2016: population = Σ districts = 2,160,952 (Phụ lục 1 total);
    // participants = 1,523,471; 1,523,471 / 2,160,952 = 0.7049999… → 70.50%, the target.
    const CoverageRow* c = coverage(2016, "89");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->population, 2'160'952);
    EXPECT_EQ(c->enrolled, 1'523'471LL * kHeadcountScale);
    ASSERT_TRUE(c->target.has_value());
    EXPECT_EQ(*c->target, *Decimal::parse("70.5%"));
    const std::int64_t bp = (c->enrolled * 2 + c->population) / (2 * c->population);
    EXPECT_EQ(bp, 7'050);
}

}  // namespace
}  // namespace subsim
