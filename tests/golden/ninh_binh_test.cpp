// Golden case: Ninh Bình 2026–2030 (scenarios/ninh-binh-2026), commune Xã Yên Mạc (14743).
//
// The commune's figures below are INPUT data typed from the generated CSV files
// (cohorts.csv, overlaps.csv, inflows.csv); every expected đồng amount is worked out by
// hand in the comments, never copied from the program's output.
//
// Per person-month contribution = 4.5% × base salary:
//   Jan–Jun 2026: 4.5% × 2,340,000 = 105,300   (NĐ 73/2024)
//   Jul 2026 on : 4.5% × 2,530,000 = 113,850   (NĐ 161/2026, from 2026-07-01)
// Shares of it:        105,300   113,850
//   100%               105,300   113,850
//    70%                73,710    79,695
//    50%                52,650    56,925
//    30%                31,590    34,155
// Per person and year:
//   2026 (6 + 6 months): 100% 6×105,300 + 6×113,850 = 631,800 + 683,100 = 1,314,900
//                         70%  6×73,710  + 6×79,695  = 442,260 + 478,170 =   920,430
//                         50%  6×52,650  + 6×56,925  = 315,900 + 341,550 =   657,450
//                         30%  6×31,590  + 6×34,155  = 189,540 + 204,930 =   394,470
//   2027 (12 months):     100% 12×113,850 = 1,366,200;  70% 12×79,695 = 956,340
//                          50% 12×56,925  =   683,100;  30% 12×34,155 = 409,860
#include <gtest/gtest.h>

#include "golden_suite.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include "subsim/io/scenario_loader.hpp"
#include "subsim/model/scenario.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/sim/costing.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {
namespace {

constexpr const char* kScenarioPath = SUBSIM_SOURCE_DIR "/scenarios/ninh-binh-2026/scenario.yaml";
constexpr const char* kCommune = "14743";  // Xã Yên Mạc (former Huyện Yên Mô)

// ---- Input data for Xã Yên Mạc (cohorts.csv / overlaps.csv / inflows.csv) ------------
// 2026: near_poor 649, agri_average 2,973, aged_70_74 1,480, party_30_years 478,
//       village_workers 192, association_heads 256, hiv_aids 44, leprosy 0, students 10,695.
//       Overlaps: near_poor×students 126, near_poor×aged_70_74 24,
//                 agri_average×aged_70_74 108, aged_70_74×party_30_years 72.
// 2027: near_poor 598, agri_average 2,893, aged_70_74 1,543, party_30_years 480,
//       village_workers 192, association_heads 256, hiv_aids 44, leprosy 0.
//       Overlaps: near_poor×students 116, near_poor×aged_70_74 23,
//                 agri_average×aged_70_74 109, aged_70_74×party_30_years 72.
// Trafficking victims: one inflow of 1 person in 2026-06 (counts June 2026 – May 2027);
// none other in 2026–2027.
//
// Highest benefit (state amount per person-month; ties go to the group declared first):
// - near-poor aged 70–74: near-poor package 70% central + 30% province = 100% of the
//   contribution, aged package 100% province: a tie, near_poor is declared first, so
//   these 24 persons (2026) are paid 70% central + 30% province and leave aged_70_74;
// - agri aged 70–74: 30% central + 70% province = 100% vs 100%: tie, agri_average first;
// - aged 70–74 × Party 30+: 100% province vs 100% commune: tie, aged_70_74 is declared
//   before party_30_years, so the 72 are paid by the province and leave party_30_years;
// - near-poor pupils: 100% vs 50% central: near_poor wins on amount.
// Aged persons paid by the province: 2026 1,480 − 24 − 108 = 1,348; 2027 1,543 − 23 − 109 = 1,411.
// Party persons paid by the commune: 2026 478 − 72 = 406; 2027 480 − 72 = 408.

// ---- Payer `province` --------------------------------------------------------------
// 2026:
//   near_poor 30%        649 × 394,470   =   256,011,030  (394,470×600 = 236,682,000; ×49 = 19,329,030)
//   aged_70_74 100%    1,348 × 1,314,900 = 1,772,485,200  (×1000 = 1,314,900,000; ×300 = 394,470,000; ×48 = 63,115,200)
//   agri_average 70%   2,973 × 920,430   = 2,736,438,390  (×3000 = 2,761,290,000 − ×27 = 24,851,610)
//   hiv_aids 100%         44 × 1,314,900 =    57,855,600
//   trafficking 50%   June 52,650 + Jul–Dec 6 × 56,925 = 52,650 + 341,550 = 394,200
//   total: 256,011,030 + 1,772,485,200 = 2,028,496,230; + 2,736,438,390 = 4,764,934,620;
//          + 57,855,600 = 4,822,790,220; + 394,200 = 4,823,184,420
constexpr Dong kProvince2026 = 4'823'184'420;
static_assert(Dong{0} + 256'011'030 + 1'772'485'200 + 2'736'438'390 + 57'855'600 + 394'200 == kProvince2026);
// 2027:
//   near_poor 30%        598 × 409,860   =   245,096,280  (409,860×600 = 245,916,000 − ×2 = 819,720)
//   aged_70_74 100%    1,411 × 1,366,200 = 1,927,708,200  (×1400 = 1,912,680,000; ×11 = 15,028,200)
//   agri_average 70%   2,893 × 956,340   = 2,766,691,620  (×2900 = 2,773,386,000 − ×7 = 6,694,380)
//   hiv_aids 100%         44 × 1,366,200 =    60,112,800
//   trafficking 50%   Jan–May 5 × 56,925 =       284,625
//   total: 245,096,280 + 1,927,708,200 = 2,172,804,480; + 2,766,691,620 = 4,939,496,100;
//          + 60,112,800 = 4,999,608,900; + 284,625 = 4,999,893,525
constexpr Dong kProvince2027 = 4'999'893'525;
static_assert(Dong{0} + 245'096'280 + 1'927'708'200 + 2'766'691'620 + 60'112'800 + 284'625 == kProvince2027);

// ---- Payer `commune` (the commune's own budget) -----------------------------------
// 2026:
//   party_30_years 100%     406 × 1,314,900 = 533,849,400  (×400 = 525,960,000; ×6 = 7,889,400)
//   village_workers 50%     192 × 657,450   = 126,230,400  (×200 = 131,490,000 − ×8 = 5,259,600)
//   association_heads 100%  256 × 1,314,900 = 336,614,400  (×250 = 328,725,000; ×6 = 7,889,400)
//   total 533,849,400 + 126,230,400 + 336,614,400 = 996,694,200
constexpr Dong kCommune2026 = 996'694'200;
static_assert(Dong{0} + 533'849'400 + 126'230'400 + 336'614'400 == kCommune2026);
// 2027:
//   party_30_years          408 × 1,366,200 = 557,409,600  (×400 = 546,480,000; ×8 = 10,929,600)
//   village_workers         192 × 683,100   = 131,155,200  (×200 = 136,620,000 − ×8 = 5,464,800)
//   association_heads       256 × 1,366,200 = 349,747,200  (×250 = 341,550,000; ×6 = 8,197,200)
//   total 557,409,600 + 131,155,200 + 349,747,200 = 1,038,312,000
constexpr Dong kCommune2027 = 1'038'312'000;
static_assert(Dong{0} + 557'409'600 + 131'155'200 + 349'747'200 == kCommune2027);

// ---- Province payer by quarter, 2026 ------------------------------------------------
// Q1 (Jan–Mar, 105,300): 3 × (649×31,590 + 1,348×105,300 + 2,973×73,710 + 44×105,300)
//   = 3 × (20,501,910 + 141,944,400 + 219,139,830 + 4,633,200) = 3 × 386,219,340 = 1,158,658,020
// Q2 (Apr–Jun): Q1 + the trafficking victim's June 52,650 = 1,158,710,670
// Q3 (Jul–Sep, 113,850): 3 × (649×34,155 + 1,348×113,850 + 2,973×79,695 + 44×113,850) + 3×56,925
//   = 3 × (22,166,595 + 153,469,800 + 236,933,235 + 5,009,400) + 170,775
//   = 3 × 417,579,030 + 170,775 = 1,252,737,090 + 170,775 = 1,252,907,865
// Q4 (Oct–Dec) = Q3 = 1,252,907,865
// Sum: 1,158,658,020 + 1,158,710,670 + 2 × 1,252,907,865 = 4,823,184,420 = kProvince2026.
constexpr Dong kProvinceQ1 = 1'158'658'020;
constexpr Dong kProvinceQ2 = 1'158'710'670;
constexpr Dong kProvinceQ3 = 1'252'907'865;
constexpr Dong kProvinceQ4 = 1'252'907'865;
static_assert(kProvinceQ1 + kProvinceQ2 + kProvinceQ3 + kProvinceQ4 == kProvince2026);

// ---- Central 70% for the near-poor, 2026 (includes the 24 aged 70–74 it kept) --------
//   649 × 920,430 = 597,359,070  (920,430×600 = 552,258,000; ×49 = 45,101,070)
constexpr Dong kNearPoorCentral2026 = 597'359'070;

class NinhBinhGolden : public golden::GoldenSuite<NinhBinhGolden> {
public:
    static constexpr const char* kScenario = kScenarioPath;

protected:
    /// The golden commune.
    static int commune() { return s().find_unit(kCommune); }
};

TEST_F(NinhBinhGolden, ScenarioShape) {
    const Scenario& sc = s();
    EXPECT_EQ(sc.id, "ninh-binh-2026");
    EXPECT_EQ(sc.first_year, 2026);
    EXPECT_EQ(sc.last_year, 2030);
    EXPECT_TRUE(sc.illustrative_population);
    // the province and its 129 communes and wards (97 xã + 32 phường)
    ASSERT_EQ(sc.units().size(), 130u);
    int communes = 0;
    for (const auto& u : sc.units()) communes += u.level == UnitLevel::commune ? 1 : 0;
    EXPECT_EQ(communes, 129);
    ASSERT_GE(commune(), 0);
    EXPECT_EQ(sc.units()[commune()].name, "Xã Yên Mạc");
    ASSERT_NE(sc.units()[commune()].attribute("poor_commune"), nullptr);
    EXPECT_EQ(*sc.units()[commune()].attribute("poor_commune"), "false");
    // every council rule is labelled an assumption
    int council = 0;
    for (const auto& r : sc.rules) {
        if (r.id.rfind("nq25_", 0) != 0) continue;
        ++council;
        EXPECT_EQ(r.provenance.confidence, Confidence::assumption) << r.id;
        EXPECT_NE(r.provenance.reference.find("NQ 25/2025/NQ-HĐND"), std::string::npos) << r.id;
    }
    EXPECT_EQ(council, 9);
}

TEST_F(NinhBinhGolden, PopulationIsTheMergerFigureAndTargetsAgree) {
    // 2026 population of the 129 communes adds up to 4,412,264 (domain.md §7, §10).
    std::int64_t total = 0;
    for (const auto& p : s().population())
        if (p.year == 2026 && s().units()[p.unit].level == UnitLevel::commune) total += p.persons;
    EXPECT_EQ(total, 4'412'264);
    // Population-weighted commune targets agree with the province's: no target warning.
    for (const auto& w : warnings()) {
        EXPECT_EQ(w.message.en.find("target"), std::string::npos) << w.to_string();
        EXPECT_EQ(w.key.find("target"), std::string::npos) << w.to_string();
    }
}

TEST_F(NinhBinhGolden, ProvinceBillOfOneCommune) {
    EXPECT_EQ(unit_payer_total(2026, commune(), payer("province")), kProvince2026);
    EXPECT_EQ(unit_payer_total(2027, commune(), payer("province")), kProvince2027);
}

TEST_F(NinhBinhGolden, CommuneBillOfOneCommune) {
    EXPECT_EQ(unit_payer_total(2026, commune(), payer("commune")), kCommune2026);
    EXPECT_EQ(unit_payer_total(2027, commune(), payer("commune")), kCommune2027);
}

TEST_F(NinhBinhGolden, NearPoorAged72IsPaidSeventyCentralThirtyProvince) {
    const Scenario& sc = s();
    const int near_poor = sc.find_group("near_poor");
    const int aged = sc.find_group("aged_70_74");
    const int central_rule = sc.find_rule("near_poor_central");
    const int aged_rule = sc.find_rule("nq25_b_aged_70_74");
    ASSERT_GE(near_poor, 0);
    ASSERT_GE(aged, 0);
    Dong central = 0;
    Headcount aged_pm = 0;
    for (const auto& line : r().lines) {
        if (line.year != 2026 || line.unit != commune()) continue;
        if (line.rule == central_rule) central += line.cost;
        if (line.rule == aged_rule) aged_pm += line.person_months;
    }
    // All 649 near-poor (the 24 aged 70–74 included) get the central 70%.
    EXPECT_EQ(central, kNearPoorCentral2026);
    // The aged rule pays 1,348 persons × 12 months.
    EXPECT_EQ(aged_pm, headcount_of_persons(1'348 * 12));
    // The transfer the highest-benefit rule made: 24 persons × 12 months from aged to near-poor.
    Headcount moved = -1;
    for (const auto& t : r().transfers)
        if (t.year == 2026 && t.unit == commune() && t.kept_group == near_poor && t.dropped_group == aged)
            moved = t.person_months;
    EXPECT_EQ(moved, headcount_of_persons(24 * 12));
    // ... and Party members aged 70–74 go to the aged group (tie, declared first): 72 × 12.
    const int party = sc.find_group("party_30_years");
    Headcount party_moved = -1;
    for (const auto& t : r().transfers)
        if (t.year == 2026 && t.unit == commune() && t.kept_group == aged && t.dropped_group == party)
            party_moved = t.person_months;
    EXPECT_EQ(party_moved, headcount_of_persons(72 * 12));
}

TEST_F(NinhBinhGolden, QuartersOfTheProvinceBill) {
    std::map<int, Dong> by_quarter;
    for (const auto& q : totals_by_quarter(r()))
        if (q.year == 2026 && q.unit == commune() && q.payer == payer("province")) by_quarter[q.quarter] += q.cost;
    EXPECT_EQ(by_quarter[0], kProvinceQ1);
    EXPECT_EQ(by_quarter[1], kProvinceQ2);
    EXPECT_EQ(by_quarter[2], kProvinceQ3);
    EXPECT_EQ(by_quarter[3], kProvinceQ4);
}

TEST_F(NinhBinhGolden, QuartersSumToTheYearForEveryCommuneAndPayer) {
    std::map<std::tuple<int, int, int>, Dong> quarters;
    for (const auto& q : totals_by_quarter(r())) quarters[{q.year, q.unit, q.payer}] += q.cost;
    std::size_t checked = 0;
    for (const auto& t : totals_by_unit(r())) {
        EXPECT_EQ((quarters[{t.year, t.unit, t.payer}]), t.cost) << t.year << " unit " << t.unit << " payer " << t.payer;
        ++checked;
    }
    EXPECT_GT(checked, 0u);
}

TEST_F(NinhBinhGolden, CommunesSumToTheProvinceTotal) {
    std::map<std::pair<int, int>, Dong> communes;  // (year, payer) → Σ over communes
    for (const auto& t : totals_by_unit(r())) communes[{t.year, t.payer}] += t.cost;
    std::map<int, Dong> all_payers;
    int rows = 0;
    for (const auto& t : totals_by_year_payer(r())) {
        if (t.payer == -1) {
            all_payers[t.year] = t.cost;
            continue;
        }
        EXPECT_EQ((communes[{t.year, t.payer}]), t.cost) << t.year << " payer " << t.payer;
        ++rows;
    }
    EXPECT_GT(rows, 0);
    for (int year = 2026; year <= 2030; ++year) {
        Dong sum = 0;
        for (const auto& [key, cost] : communes)
            if (key.first == year) sum += cost;
        EXPECT_EQ(all_payers[year], sum) << year;
    }
    // The commune bills are real costs in every year (rules from 2026-01-01).
    for (int year = 2026; year <= 2030; ++year) {
        EXPECT_GT((communes[{year, payer("province")}]), 0) << year;
        EXPECT_GT((communes[{year, payer("commune")}]), 0) << year;
    }
}

TEST_F(NinhBinhGolden, SameInputsSameResults) {
    const Results again = simulate(s());
    ASSERT_EQ(again.lines.size(), r().lines.size());
    for (std::size_t i = 0; i < again.lines.size(); ++i) {
        EXPECT_EQ(again.lines[i].cost, r().lines[i].cost);
        EXPECT_EQ(again.lines[i].person_months, r().lines[i].person_months);
    }
}

}  // namespace
}  // namespace subsim
