// Report writers on a tiny scenario and results built by hand. Every expected figure is
// worked out in the comments from the inputs, never copied from the program's output.
//
// The case: year 2026, province "37" with one commune "13285"; contribution
// 4.5% × 2,340,000 = 105,300 đồng per person-month.
//  - near_poor in 13285: 101 persons × 95% enrolment = 95.95 persons, all 12 months
//    → 95.95 × 12 = 1,151.4 person-months (11,514,000 headcount units).
//    Rule near_poor_central (central pays 70%): 70% × 105,300 = 73,710 per person-month;
//    per month 95.95 × 73,710 = 7,072,474.5 → 7,072,475 (half-up);
//    per quarter 3 × 7,072,475 = 21,217,425; year 12 × 7,072,475 = 84,869,700.
//    Contribution due: 95.95 × 105,300 = 10,103,535 a month × 12 = 121,242,420;
//    participants pay 121,242,420 − 84,869,700 = 36,372,720.
//  - students in 13285: 50 persons all year plus 5 in January only
//    → 50 × 12 + 5 = 605 person-months (6,050,000 units); yearly average 605 / 12 = 50.4166… → 50.42.
//    Rule students_commune (commune pays 30%): 30% × 105,300 = 31,590 per person-month;
//    Q1 (150 + 5) × 31,590 = 4,896,450; Q2..Q4 150 × 31,590 = 4,738,500;
//    year 4,896,450 + 3 × 4,738,500 = 19,111,950.
//    Contribution due: 55 × 105,300 + 11 × 50 × 105,300 = 5,791,500 + 57,915,000 = 63,706,500;
//    participants pay 63,706,500 − 19,111,950 = 44,594,550.
//  - 2026 total: 84,869,700 + 19,111,950 = 103,981,650.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

// The report writers' private formatting helpers (not public interface).
#include "report/report_format.hpp"  // private header: tests see engine/src
#include "subsim/model/scenario.hpp"
#include "subsim/report/reports.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {
namespace {

constexpr Headcount kNearPoorPersonMonths = 11'514'000;  // 1,151.4 person-months
constexpr Headcount kStudentPersonMonths = 6'050'000;    // 605 person-months
constexpr Dong kNearPoorCost = 84'869'700;
constexpr Dong kStudentCost = 19'111'950;

Provenance source(std::string reference, Confidence confidence) { return {std::move(reference), confidence, ""}; }

Scenario make_scenario() {
    Scenario s;
    s.id = "test-2026";
    s.title = {"Thử nghiệm 2026", "Test 2026"};
    s.first_year = 2026;
    s.last_year = 2026;
    s.provenance_note = "Hand-made test case";
    s.where = {"scenario.yaml", 0, 0};

    s.parameters.base_salary.entries.push_back(
        {{2024, 7, 1}, 2'340'000, source("NĐ 73/2024/NĐ-CP", Confidence::high), {}});
    s.parameters.contribution_rate.entries.push_back(
        {{2014, 7, 1}, Decimal{45, 3}, source("NĐ 146/2018/NĐ-CP", Confidence::high), {}});
    s.parameters.household_reduction.entries.push_back(
        {{2014, 7, 1},
         {Decimal::percent(100), Decimal::percent(70), Decimal::percent(60), Decimal::percent(50), Decimal::percent(40)},
         source("NĐ 146/2018/NĐ-CP Art. 7", Confidence::high),
         {}});

    s.data_mut().units.push_back({"37", "Ninh Bình", UnitLevel::province, -1, {}, {}});
    s.data_mut().units.push_back({"13285", "Phường Phủ Lý, Hà Nam", UnitLevel::commune, 0, {}, {}});

    s.data_mut().groups.push_back({"near_poor", {"Người thuộc hộ cận nghèo", "Near-poor household members"}, 0, {}});
    s.data_mut().groups.push_back({"students", {"Học sinh, sinh viên", "Students"}, 0, {}});

    s.payers.push_back({"central", {"Ngân sách trung ương", "Central budget"}, PayerLevel::central, false, {}});
    s.payers.push_back({"province", {"Ngân sách tỉnh", "Provincial budget"}, PayerLevel::province, false, {}});
    s.payers.push_back({"commune", {"Ngân sách xã", "Commune budget"}, PayerLevel::commune, false, {}});

    Rule central;
    central.id = "near_poor_central";
    central.label = {"NSTW hỗ trợ 70% cho người cận nghèo", "Central 70% for the near-poor"};
    central.provenance = source("Luật 51/2024/QH15 Đ.12", Confidence::high);
    central.groups = {0};
    central.share = Decimal::percent(70);
    central.payer = 0;
    central.from = {2025, 7, 1};
    s.rules.push_back(central);

    Rule commune;
    commune.id = "students_commune";
    commune.label = {"Xã hỗ trợ 30% cho học sinh", "Commune 30% for students"};
    commune.provenance = source("NQ 25/2025/NQ-HĐND, Art. 2", Confidence::medium);
    commune.groups = {1};
    commune.share = Decimal::percent(30);
    commune.payer = 2;
    commune.from = {2026, 1, 1};
    commune.to = Date{2026, 12, 31};
    s.rules.push_back(commune);

    s.enrolment.push_back({0, 1, {2026, 1, 1}, Decimal::percent(95), source("assumption: as in 2025", Confidence::assumption), {}});
    s.growth.push_back({1, {2027, 1, 1}, Decimal{-15, 3}, source("assumption | no data", Confidence::assumption), {}});
    s.inputs.push_back({"scenario.yaml", "ab12"});
    s.inputs.push_back({"cohorts.csv", "cd34"});
    return s;
}

Results make_results(const Scenario& s) {
    Results r;
    r.scenario = &s;
    r.lines.push_back({2026, 1, 0, 0, 0, kNearPoorPersonMonths, {21'217'425, 21'217'425, 21'217'425, 21'217'425},
                       kNearPoorCost});
    r.lines.push_back({2026, 1, 1, 1, 2, kStudentPersonMonths, {4'896'450, 4'738'500, 4'738'500, 4'738'500},
                       kStudentCost});
    r.cohort_costs.push_back({2026, 1, 0, kNearPoorPersonMonths, 121'242'420, kNearPoorCost});
    r.cohort_costs.push_back({2026, 1, 1, kStudentPersonMonths, 63'706'500, kStudentCost});
    // Province: 912.3456 persons of 1,000, no target. Commune: 760.44 of 800, target 96%.
    r.coverage.push_back({2026, 0, 1000, 9'123'456, std::nullopt});
    r.coverage.push_back({2026, 1, 800, 7'604'400, Decimal::percent(96)});
    r.warnings.push_back({{"scenario.yaml", 12, 3}, "targets", same_text("children's targets add up to 95.50%, not 96.00%")});
    return r;
}

template <class Write>
std::string render(Write write) {
    std::ostringstream out;
    write(out);
    return out.str();
}

class ReportTest : public ::testing::Test {
protected:
    Scenario scenario = make_scenario();
    Results results = make_results(scenario);
    ReportOptions options{Lang::vi, "9.9.9", "2026-01-02T03:04:05Z"};
};

TEST_F(ReportTest, BudgetLinesOneRowPerLineWithYearlyAverageAndPersonMonths) {
    // enrolled_persons: 1,151.4 / 12 = 95.95; 605 / 12 = 50.4166… → 50.42.
    // The unit name holds a comma, so it is quoted.
    EXPECT_EQ(render([&](std::ostream& o) { write_budget_lines_csv(o, results); }),
              "year,unit_code,unit_name,group,rule,payer,enrolled_persons,person_months,cost_vnd\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",near_poor,near_poor_central,central,95.95,1151.4,84869700\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",students,students_commune,commune,50.42,605,19111950\n");
}

TEST_F(ReportTest, YearlyAverageIsRoundedOnceFromTheExactValue) {
    // 0.0599 person-months (599 units) / 12 = 0.00499… persons → 0.00. Rounding first to
    // 1/10,000 (0.0050) and then to 2 places would wrongly give 0.01.
    // 0.06 person-months (600 units) / 12 = 0.005 exactly → 0.01 (half-up).
    results.lines = {{2026, 1, 0, 0, 0, 599, {}, 0}, {2026, 1, 1, 1, 2, 600, {}, 0}};
    EXPECT_EQ(render([&](std::ostream& o) { write_budget_lines_csv(o, results); }),
              "year,unit_code,unit_name,group,rule,payer,enrolled_persons,person_months,cost_vnd\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",near_poor,near_poor_central,central,0.00,0.0599,0\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",students,students_commune,commune,0.01,0.06,0\n");
}

TEST_F(ReportTest, BudgetByYearPayerHasATotalRowAndTheWholePeriod) {
    // The province budget pays no rule, so it has no row; total 103,981,650. One year:
    // the whole period ("all") is that year.
    EXPECT_EQ(render([&](std::ostream& o) { write_budget_by_year_payer_csv(o, results); }),
              "year,payer,payer_label,cost_vnd\n"
              "2026,central,Ngân sách trung ương,84869700\n"
              "2026,commune,Ngân sách xã,19111950\n"
              "2026,total,Tổng cộng,103981650\n"
              "all,central,Ngân sách trung ương,84869700\n"
              "all,commune,Ngân sách xã,19111950\n"
              "all,total,Tổng cộng,103981650\n");
}

TEST_F(ReportTest, BudgetByYearPayerWholePeriodAddsTheYears) {
    // A second year with 1,000 đồng of central support (a made-up line): the whole period
    // is 84,869,700 + 1,000 = 84,870,700 central; commune 19,111,950 + 0 (no 2027 line, so
    // 2027 shows 0); total 103,981,650 + 1,000 = 103,982,650. English labels.
    scenario.last_year = 2027;
    results.lines.push_back({2027, 1, 0, 0, 0, 0, {1000, 0, 0, 0}, 1000});
    EXPECT_EQ(render([&](std::ostream& o) { write_budget_by_year_payer_csv(o, results, Lang::en); }),
              "year,payer,payer_label,cost_vnd\n"
              "2026,central,Central budget,84869700\n"
              "2026,commune,Commune budget,19111950\n"
              "2026,total,Total,103981650\n"
              "2027,central,Central budget,1000\n"
              "2027,commune,Commune budget,0\n"
              "2027,total,Total,1000\n"
              "all,central,Central budget,84870700\n"
              "all,commune,Commune budget,19111950\n"
              "all,total,Total,103982650\n");
}

TEST_F(ReportTest, BudgetByUnitWithTotalsPerUnitAndTheWholePeriod) {
    // 84,869,700 + 19,111,950 = 103,981,650 for the commune in 2026 and over the period.
    EXPECT_EQ(render([&](std::ostream& o) { write_budget_by_unit_csv(o, results); }),
              "year,unit_code,unit_name,payer,payer_label,cost_vnd\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",central,Ngân sách trung ương,84869700\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",commune,Ngân sách xã,19111950\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",total,Tổng cộng,103981650\n"
              "all,13285,\"Phường Phủ Lý, Hà Nam\",central,Ngân sách trung ương,84869700\n"
              "all,13285,\"Phường Phủ Lý, Hà Nam\",commune,Ngân sách xã,19111950\n"
              "all,13285,\"Phường Phủ Lý, Hà Nam\",total,Tổng cộng,103981650\n");
    // A 2027 line of 1,000 đồng (central): its own year block, and the period adds it:
    // central 84,869,700 + 1,000 = 84,870,700; total 103,981,650 + 1,000 = 103,982,650.
    results.lines.push_back({2027, 1, 0, 0, 0, 0, {1000, 0, 0, 0}, 1000});
    EXPECT_EQ(render([&](std::ostream& o) { write_budget_by_unit_csv(o, results); }),
              "year,unit_code,unit_name,payer,payer_label,cost_vnd\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",central,Ngân sách trung ương,84869700\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",commune,Ngân sách xã,19111950\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",total,Tổng cộng,103981650\n"
              "2027,13285,\"Phường Phủ Lý, Hà Nam\",central,Ngân sách trung ương,1000\n"
              "2027,13285,\"Phường Phủ Lý, Hà Nam\",total,Tổng cộng,1000\n"
              "all,13285,\"Phường Phủ Lý, Hà Nam\",central,Ngân sách trung ương,84870700\n"
              "all,13285,\"Phường Phủ Lý, Hà Nam\",commune,Ngân sách xã,19111950\n"
              "all,13285,\"Phường Phủ Lý, Hà Nam\",total,Tổng cộng,103982650\n");
}

TEST_F(ReportTest, BudgetByRulePerYearAndWholePeriod) {
    // One line per rule: near_poor_central 95.95 persons, 84,869,700; students_commune
    // 50.42 persons, 19,111,950. A 2027 line of near_poor_central (24 person-months = 2.00
    // persons, 1,000 đồng) makes the period 84,870,700. The period has no persons.
    results.lines.push_back({2027, 1, 0, 0, 0, 240'000, {1000, 0, 0, 0}, 1000});
    EXPECT_EQ(render([&](std::ostream& o) { write_budget_by_rule_csv(o, results, Lang::en); }),
              "year,rule,rule_label,payer,payer_label,enrolled_persons,cost_vnd\n"
              "2026,near_poor_central,Central 70% for the near-poor,central,Central budget,95.95,84869700\n"
              "2026,students_commune,Commune 30% for students,commune,Commune budget,50.42,19111950\n"
              "2027,near_poor_central,Central 70% for the near-poor,central,Central budget,2.00,1000\n"
              "all,near_poor_central,Central 70% for the near-poor,central,Central budget,,84870700\n"
              "all,students_commune,Commune 30% for students,commune,Commune budget,,19111950\n");
}

TEST_F(ReportTest, BudgetByQuarterNumbersQuartersFromOne) {
    // Central: 21,217,425 each quarter. Commune: 4,896,450 then 4,738,500 three times.
    EXPECT_EQ(render([&](std::ostream& o) { write_budget_by_quarter_csv(o, results); }),
              "year,quarter,payer,payer_label,unit_code,unit_name,cost_vnd\n"
              "2026,1,central,Ngân sách trung ương,13285,\"Phường Phủ Lý, Hà Nam\",21217425\n"
              "2026,1,commune,Ngân sách xã,13285,\"Phường Phủ Lý, Hà Nam\",4896450\n"
              "2026,2,central,Ngân sách trung ương,13285,\"Phường Phủ Lý, Hà Nam\",21217425\n"
              "2026,2,commune,Ngân sách xã,13285,\"Phường Phủ Lý, Hà Nam\",4738500\n"
              "2026,3,central,Ngân sách trung ương,13285,\"Phường Phủ Lý, Hà Nam\",21217425\n"
              "2026,3,commune,Ngân sách xã,13285,\"Phường Phủ Lý, Hà Nam\",4738500\n"
              "2026,4,central,Ngân sách trung ương,13285,\"Phường Phủ Lý, Hà Nam\",21217425\n"
              "2026,4,commune,Ngân sách xã,13285,\"Phường Phủ Lý, Hà Nam\",4738500\n");
}

TEST_F(ReportTest, CoverageComputesPercentAndGapExactly) {
    // Province: 912.3456 → 912.35 enrolled; 912.3456 / 1,000 = 91.23456% → 91.23; no target, gap 0.
    // Commune: 760.44 / 800 = 95.055% exactly → 95.06 (half-up; truncation would say 95.05);
    // target 96% of 800 = 768 persons; 768 − 760.44 = 7.56 → 8 persons (rounded up).
    EXPECT_EQ(render([&](std::ostream& o) { write_coverage_csv(o, results); }),
              "year,unit_code,unit_name,population,enrolled,coverage_pct,target_pct,gap_persons\n"
              "2026,37,Ninh Bình,1000,912.35,91.23,,0\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",800,760.44,95.06,96.00,8\n");
}

TEST_F(ReportTest, CoverageGapIsZeroWhenTargetMetAndPercentEmptyWithoutPopulation) {
    // 90% of 1,000 = 900 ≤ 912.3456: met → 0. Exactly at target: 95.5% of 800 = 764 persons
    // enrolled 764.0000 → gap 0; one 1/10,000 person short → gap 1 (any shortfall is a person).
    // A target of 95.125% (scale 5) shows as 95.13 (half-up).
    results.coverage = {{2026, 0, 1000, 9'123'456, Decimal::percent(90)},
                        {2026, 1, 800, 7'640'000, Decimal{955, 3}},
                        {2026, 1, 800, 7'639'999, Decimal{95125, 5}},
                        {2027, 1, 0, 0, std::nullopt}};
    // Third row: 95.125% of 800 = 761 persons; 761 − 763.9999 < 0 → 0.
    // Its coverage: 7,639,999 / 800 = 9,549.99875 → 9,550 → 95.50.
    EXPECT_EQ(render([&](std::ostream& o) { write_coverage_csv(o, results); }),
              "year,unit_code,unit_name,population,enrolled,coverage_pct,target_pct,gap_persons\n"
              "2026,37,Ninh Bình,1000,912.35,91.23,90.00,0\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",800,764.00,95.50,95.50,0\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",800,764.00,95.50,95.13,0\n"
              "2027,13285,\"Phường Phủ Lý, Hà Nam\",0,0.00,,,0\n");
    // 95.5% of 800 = 764 persons; 763.9999 enrolled leaves 0.0001 → 1 person.
    results.coverage = {{2026, 1, 800, 7'639'999, Decimal{955, 3}}};
    EXPECT_EQ(render([&](std::ostream& o) { write_coverage_csv(o, results); }),
              "year,unit_code,unit_name,population,enrolled,coverage_pct,target_pct,gap_persons\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",800,764.00,95.50,95.50,1\n");
}

TEST_F(ReportTest, CohortCostsReconcileDueStateAndParticipant) {
    EXPECT_EQ(render([&](std::ostream& o) { write_cohort_costs_csv(o, results); }),
              "year,unit_code,group,enrolled_persons,person_months,contribution_due_vnd,state_paid_vnd,"
              "participant_paid_vnd\n"
              "2026,13285,near_poor,95.95,1151.4,121242420,84869700,36372720\n"
              "2026,13285,students,50.42,605,63706500,19111950,44594550\n");
}

TEST_F(ReportTest, CommuneBillsListOnlyCommunePaidLinesSummedPerRule) {
    EXPECT_EQ(render([&](std::ostream& o) { write_commune_bills_csv(o, results); }),
              "year,unit_code,unit_name,rule,rule_label,enrolled_persons,cost_vnd\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",students_commune,Xã hỗ trợ 30% cho học sinh,50.42,19111950\n");
    // If students_commune also covered near_poor, a second line of the same rule adds up:
    // 605 + 1,151.4 = 1,756.4 person-months / 12 = 146.3666… → 146.37; 19,111,950 + 1,000 = 19,112,950.
    results.lines.push_back({2026, 1, 0, 1, 2, kNearPoorPersonMonths, {1000, 0, 0, 0}, 1000});
    EXPECT_EQ(render([&](std::ostream& o) { write_commune_bills_csv(o, results); }),
              "year,unit_code,unit_name,rule,rule_label,enrolled_persons,cost_vnd\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",students_commune,Xã hỗ trợ 30% cho học sinh,146.37,19112950\n");
}

TEST_F(ReportTest, CommuneBillsAreOrderedByYearUnitAndRuleWhateverTheLineOrder) {
    // A second commune rule "a_commune" (index 2, sorts after students_commune by index,
    // not by name) and a line for the province (unit 0) in 2025, given last.
    Rule extra = scenario.rules[1];
    extra.id = "a_commune";
    scenario.rules.push_back(extra);
    results.lines.push_back({2026, 1, 0, 2, 2, 1'200'000, {}, 500});  // 120 pm / 12 = 10.00 persons
    results.lines.push_back({2025, 0, 1, 1, 2, 12'000, {}, 7});       // 1.2 pm / 12 = 0.10 persons
    // Expected: 2025 before 2026; in 2026 unit 13285 students_commune (rule 1) before
    // a_commune (rule 2).
    EXPECT_EQ(render([&](std::ostream& o) { write_commune_bills_csv(o, results); }),
              "year,unit_code,unit_name,rule,rule_label,enrolled_persons,cost_vnd\n"
              "2025,37,Ninh Bình,students_commune,Xã hỗ trợ 30% cho học sinh,0.10,7\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",students_commune,Xã hỗ trợ 30% cho học sinh,50.42,19111950\n"
              "2026,13285,\"Phường Phủ Lý, Hà Nam\",a_commune,Xã hỗ trợ 30% cho học sinh,10.00,500\n");
}

TEST_F(ReportTest, CommuneBillsHeaderOnlyWithoutCommunePayer) {
    results.lines.pop_back();
    EXPECT_EQ(render([&](std::ostream& o) { write_commune_bills_csv(o, results); }),
              "year,unit_code,unit_name,rule,rule_label,enrolled_persons,cost_vnd\n");
}

TEST_F(ReportTest, OverlapsShowPersonsGainedAndLostPerRule) {
    EXPECT_EQ(render([&](std::ostream& o) { write_overlaps_csv(o, results); }),
              "year,rule,rule_label,payer,payer_label,persons_gained,persons_lost\n");
    // 2 persons in both groups all year: 24 person-months move from students to near_poor;
    // 24 / 12 = 2.00 persons gained by near_poor_central and lost by students_commune.
    results.transfers.push_back({2026, 1, 0, 1, 240'000});
    EXPECT_EQ(render([&](std::ostream& o) { write_overlaps_csv(o, results); }),
              "year,rule,rule_label,payer,payer_label,persons_gained,persons_lost\n"
              "2026,near_poor_central,NSTW hỗ trợ 70% cho người cận nghèo,central,Ngân sách trung ương,2.00,0.00\n"
              "2026,students_commune,Xã hỗ trợ 30% cho học sinh,commune,Ngân sách xã,0.00,2.00\n");
}

TEST_F(ReportTest, ProvenanceGivesEveryNumberItsSource) {
    EXPECT_EQ(render([&](std::ostream& o) { write_provenance_csv(o, scenario); }),
              "kind,id,label,from,value,reference,confidence\n"
              "base_salary,base_salary,Lương cơ sở,2024-07-01,2340000,NĐ 73/2024/NĐ-CP,high\n"
              "contribution_rate,contribution_rate,Mức đóng BHYT (tỷ lệ trên lương cơ sở),2014-07-01,4.5%,"
              "NĐ 146/2018/NĐ-CP,high\n"
              "household_reduction,household_reduction,Giảm trừ mức đóng theo hộ gia đình,2014-07-01,"
              "100%;70%;60%;50%;40%,NĐ 146/2018/NĐ-CP Art. 7,high\n"
              "enrolment_rate,near_poor:13285,\"Tỷ lệ tham gia: Người thuộc hộ cận nghèo (Phường Phủ Lý, Hà Nam)\","
              "2026-01-01,95%,assumption: as in 2025,assumption\n"
              "growth_rate,students,\"Tốc độ tăng hằng năm: Học sinh, sinh viên\",2027-01-01,-1.5%,"
              "assumption | no data,assumption\n"
              "rule,near_poor_central,NSTW hỗ trợ 70% cho người cận nghèo,2025-07-01,70%,Luật 51/2024/QH15 Đ.12,high\n"
              "rule,students_commune,Xã hỗ trợ 30% cho học sinh,2026-01-01,30%,\"NQ 25/2025/NQ-HĐND, Art. 2\","
              "medium\n");
}

TEST_F(ReportTest, ProvenanceShowsFixedAmountsInDong) {
    scenario.rules[1].share.reset();
    scenario.rules[1].amount = 50'000;
    const std::string text = render([&](std::ostream& o) { write_provenance_csv(o, scenario); });
    EXPECT_NE(text.find("rule,students_commune,Xã hỗ trợ 30% cho học sinh,2026-01-01,50000,"), std::string::npos)
        << text;
}

TEST_F(ReportTest, RunJsonHasStableKeysAndTotals) {
    scenario.illustrative_population = true;
    EXPECT_EQ(render([&](std::ostream& o) { write_run_json(o, results, options); }),
              "{\n"
              "  \"manifest\": {\"program\": \"subsim\", \"files\": [\"run.json\"]},\n"
              "  \"kind\": \"run\",\n"
              "  \"scenario_id\": \"test-2026\",\n"
              "  \"title\": {\"vi\": \"Thử nghiệm 2026\", \"en\": \"Test 2026\"},\n"
              "  \"years\": {\"from\": 2026, \"to\": 2026},\n"
              "  \"program_version\": \"9.9.9\",\n"
              "  \"generated_at\": \"2026-01-02T03:04:05Z\",\n"
              "  \"illustrative_population\": true,\n"
              "  \"inputs\": [\n"
              "    {\"path\": \"scenario.yaml\", \"sha256\": \"ab12\"},\n"
              "    {\"path\": \"cohorts.csv\", \"sha256\": \"cd34\"}\n"
              "  ],\n"
              "  \"totals\": [\n"
              "    {\"year\": 2026, \"payer\": \"central\", \"cost_vnd\": 84869700},\n"
              "    {\"year\": 2026, \"payer\": \"commune\", \"cost_vnd\": 19111950},\n"
              "    {\"year\": 2026, \"payer\": \"total\", \"cost_vnd\": 103981650}\n"
              "  ],\n"
              "  \"warnings\": [\n"
              "    \"scenario.yaml:12:3: targets: children's targets add up to 95.50%, not 96.00%\"\n"
              "  ]\n"
              "}\n");
}

TEST_F(ReportTest, RunJsonEscapesStringsAndReplacesInvalidUtf8) {
    scenario.title.en = "A \"b\" \\ c\n\td\x01 \xff end";
    results.warnings.clear();
    scenario.inputs.clear();
    const std::string text = render([&](std::ostream& o) { write_run_json(o, results, options); });
    EXPECT_NE(text.find("\"en\": \"A \\\"b\\\" \\\\ c\\n\\td\\u0001 \\ufffd end\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"inputs\": [],\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\"warnings\": []\n}"), std::string::npos) << text;
}

TEST_F(ReportTest, SummaryInVietnamese) {
    scenario.illustrative_population = true;
    scenario.data_note = {"Dân số năm 2025 giữ nguyên.", "Population held at 2025."};
    EXPECT_EQ(render([&](std::ostream& o) { write_summary_md(o, results, options); }),
              "# Thử nghiệm 2026\n"
              "\n"
              "> **Có số liệu minh họa:** một phần số đối tượng hoặc dân số được tạo ra để minh họa, không phải số "
              "liệu chính thức (xem ghi chú dữ liệu bên dưới).\n"
              "\n"
              "- Kịch bản: `test-2026`\n"
              "- Giai đoạn: 2026\n"
              "- Phiên bản: subsim 9.9.9\n"
              "- Nguồn số liệu: Hand-made test case\n"
              "\n"
              "## Chi ngân sách hỗ trợ đóng BHYT theo năm\n"
              "\n"
              "| Năm | Ngân sách trung ương | Ngân sách xã | Tổng |\n"
              "|---|---:|---:|---:|\n"
              "| 2026 | 84.869.700 đ | 19.111.950 đ | **103.981.650 đ** |\n"
              "\n"
              "## Bao phủ BHYT so với mục tiêu\n"
              "\n"
              "_Dân số năm 2025 giữ nguyên._\n"
              "\n"
              "| Năm | Đơn vị | Dân số | Người tham gia (bình quân năm) | Tỷ lệ bao phủ | Mục tiêu |\n"
              "|---|---|---:|---:|---:|---:|\n"
              "| 2026 | Ninh Bình | 1.000 | 912,35 | 91,23% | — |\n"
              "\n"
              "## Tham số và căn cứ\n"
              "\n"
              "| Tham số | Từ ngày | Giá trị | Căn cứ | Độ tin cậy |\n"
              "|---|---|---|---|---|\n"
              "| Lương cơ sở | 01/07/2024 | 2.340.000 đ | NĐ 73/2024/NĐ-CP | cao |\n"
              "| Mức đóng BHYT | 01/07/2014 | 4,5% | NĐ 146/2018/NĐ-CP | cao |\n"
              "| Giảm trừ theo hộ gia đình | 01/07/2014 | 100%; 70%; 60%; 50%; 40% | NĐ 146/2018/NĐ-CP Art. 7 | cao |\n"
              "| Tỷ lệ tham gia: Người thuộc hộ cận nghèo (Phường Phủ Lý, Hà Nam) | 01/01/2026 | 95% | "
              "assumption: as in 2025 | giả định |\n"
              "| Tốc độ tăng hằng năm: Học sinh, sinh viên | 01/01/2027 | -1,5% | assumption \\| no data | giả định |\n"
              "| NSTW hỗ trợ 70% cho người cận nghèo — Ngân sách trung ương | 01/07/2025 | 70% | "
              "Luật 51/2024/QH15 Đ.12 | cao |\n"
              "| Xã hỗ trợ 30% cho học sinh — Ngân sách xã | 01/01/2026 – 31/12/2026 | 30% | "
              "NQ 25/2025/NQ-HĐND, Art. 2 | trung bình |\n"
              "\n"
              "## Cảnh báo\n"
              "\n"
              "- scenario.yaml:12:3: targets: children's targets add up to 95.50%, not 96.00%\n");
}

TEST_F(ReportTest, SummaryInEnglish) {
    options.lang = Lang::en;
    scenario.illustrative_population = true;
    scenario.rules[1].share.reset();
    scenario.rules[1].amount = 31'590;
    results.warnings.clear();
    const std::string text = render([&](std::ostream& o) { write_summary_md(o, results, options); });
    EXPECT_EQ(text.rfind("# Test 2026\n\n> **Illustrative data:** some group or population figures", 0), 0u) << text;
    EXPECT_NE(text.find("| Year | Central budget | Commune budget | Total |\n"
                        "|---|---:|---:|---:|\n"
                        "| 2026 | 84,869,700 VND | 19,111,950 VND | **103,981,650 VND** |\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("| 2026 | Ninh Bình | 1,000 | 912.35 | 91.23% | — |\n"), std::string::npos) << text;
    // A target of 96.5% shows with two decimals, like the coverage beside it.
    results.coverage[0].target = Decimal{965, 3};
    const std::string with_target = render([&](std::ostream& o) { write_summary_md(o, results, options); });
    EXPECT_NE(with_target.find("| 2026 | Ninh Bình | 1,000 | 912.35 | 91.23% | 96.50% |\n"), std::string::npos)
        << with_target;
    EXPECT_NE(text.find("| Base salary | 2024-07-01 | 2,340,000 VND | NĐ 73/2024/NĐ-CP | high |\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("| Contribution rate | 2014-07-01 | 4.5% |"), std::string::npos) << text;
    EXPECT_NE(text.find("| Commune 30% for students — Commune budget | 2026-01-01 – 2026-12-31 | 31,590 VND/person/month |"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("## Warnings\n\nNo warnings.\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("minh họa"), std::string::npos) << "no Vietnamese labels in English output";
}

TEST_F(ReportTest, SummaryWithoutIllustrativeDataHasNoSuchLine) {
    const std::string text = render([&](std::ostream& o) { write_summary_md(o, results, options); });
    EXPECT_EQ(text.find("Illustrative data"), std::string::npos) << text;
}

TEST(FormatMoney, VietnameseAndEnglishGrouping) {
    // 4.5% × 2,340,000 × 12 = 1,263,600 đồng a year.
    EXPECT_EQ(format_money(1'263'600, Lang::vi), "1.263.600 đ");
    EXPECT_EQ(format_money(1'263'600, Lang::en), "1,263,600 VND");
    EXPECT_EQ(format_money(0, Lang::vi), "0 đ");
    EXPECT_EQ(format_money(-105'300, Lang::en), "-105,300 VND");
}

TEST_F(ReportTest, WriteReportsWritesWhatTheStreamWritersWrite) {
    // write_reports() writes the files on several threads; each must hold exactly the
    // text of its stream writer.
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("subsim-report-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    write_reports(dir, results, options);
    const auto file_text = [&](const char* name) {
        std::ifstream in(dir / name, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const auto csv = [&](void (*write)(std::ostream&, const Results&, Lang)) {
        return render([&](std::ostream& o) { write(o, results, options.lang); });
    };
    EXPECT_EQ(file_text("budget_lines.csv"), csv(write_budget_lines_csv));
    EXPECT_EQ(file_text("budget_by_year_payer.csv"), csv(write_budget_by_year_payer_csv));
    EXPECT_EQ(file_text("budget_by_unit.csv"), csv(write_budget_by_unit_csv));
    EXPECT_EQ(file_text("budget_by_quarter.csv"), csv(write_budget_by_quarter_csv));
    EXPECT_EQ(file_text("budget_by_rule.csv"), csv(write_budget_by_rule_csv));
    EXPECT_EQ(file_text("coverage.csv"), render([&](std::ostream& o) { write_coverage_csv(o, results); }));
    EXPECT_EQ(file_text("cohort_costs.csv"), csv(write_cohort_costs_csv));
    EXPECT_EQ(file_text("commune_bills.csv"), csv(write_commune_bills_csv));
    EXPECT_EQ(file_text("overlaps.csv"), csv(write_overlaps_csv));
    EXPECT_EQ(file_text("provenance.csv"), render([&](std::ostream& o) { write_provenance_csv(o, scenario); }));
    EXPECT_EQ(file_text("labels.csv"), render([&](std::ostream& o) { write_labels_csv(o, scenario); }));
    const std::vector<std::string> manifest = {"budget_by_quarter.csv", "budget_by_rule.csv", "budget_by_unit.csv",
                                               "budget_by_year_payer.csv", "budget_lines.csv", "cohort_costs.csv",
                                               "commune_bills.csv",     "coverage.csv",       "labels.csv",         "overlaps.csv",
                                               "provenance.csv",        "report.html",        "report.xlsx",
                                               "run.json",              "summary.md"};
    EXPECT_EQ(file_text("run.json"), render([&](std::ostream& o) { write_run_json(o, results, options, manifest); }));
    EXPECT_EQ(file_text("summary.md"), render([&](std::ostream& o) { write_summary_md(o, results, options); }));
    EXPECT_EQ(file_text("report.html"), render([&](std::ostream& o) { write_html_report(o, results, options); }));
    EXPECT_EQ(file_text("report.xlsx").rfind("PK\x03\x04", 0), 0u) << "report.xlsx is a ZIP file";
    EXPECT_NE(file_text("budget_lines.csv").find("84869700"), std::string::npos);  // not two empty files
    std::filesystem::remove_all(dir);
}

TEST_F(ReportTest, LabelsGiveEveryIdInBothLanguages) {
    EXPECT_EQ(render([&](std::ostream& o) { write_labels_csv(o, scenario); }),
              "kind,id,label_vi,label_en\n"
              "group,near_poor,Người thuộc hộ cận nghèo,Near-poor household members\n"
              "group,students,\"Học sinh, sinh viên\",Students\n"
              "rule,near_poor_central,NSTW hỗ trợ 70% cho người cận nghèo,Central 70% for the near-poor\n"
              "rule,students_commune,Xã hỗ trợ 30% cho học sinh,Commune 30% for students\n"
              "payer,central,Ngân sách trung ương,Central budget\n"
              "payer,province,Ngân sách tỉnh,Provincial budget\n"
              "payer,commune,Ngân sách xã,Commune budget\n");
}

TEST_F(ReportTest, ReportsFedYearByYearEqualTheWholeRunsReports) {
    // Two years: 2027 repeats 2026's lines at half the cost (whole đồng: 84,869,700 / 2 =
    // 42,434,850; 19,111,950 / 2 = 9,555,975). Fed one year at a time (as `subsim run`
    // does), every yearly table must be the whole-run writer's bytes, and its whole-period
    // rows the sums: near-poor central 84,869,700 + 42,434,850 = 127,304,550.
    scenario.last_year = 2027;
    const std::size_t first_lines = results.lines.size();
    for (std::size_t i = 0; i < first_lines; ++i) {
        BudgetLine l = results.lines[i];
        l.year = 2027;
        l.cost /= 2;
        for (Dong& q : l.quarter_cost) q = 0;
        l.quarter_cost[0] = l.cost;
        results.lines.push_back(l);
    }
    results.coverage.push_back({2027, 0, 1000, 9'000'000, std::nullopt});
    results.coverage.push_back({2027, 1, 800, 7'000'000, Decimal::percent(96)});
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("subsim-report-years-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    // The rows of one year, as run_exact_by_year hands them over.
    const auto part_of = [&](int year) {
        Results part;
        part.scenario = &scenario;
        for (const BudgetLine& l : results.lines)
            if (l.year == year) part.lines.push_back(l);
        for (const CohortCost& c : results.cohort_costs)
            if (c.year == year) part.cohort_costs.push_back(c);
        for (const CoverageRow& c : results.coverage)
            if (c.year == year) part.coverage.push_back(c);
        return part;
    };
    {
        ReportWriter writer(dir, scenario, options);
        for (int year : {2026, 2027}) writer.add_year(part_of(year), year);
        writer.finish(results.warnings);
    }
    const auto file_text = [&](const char* name) {
        std::ifstream in(dir / name, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const auto csv = [&](void (*write)(std::ostream&, const Results&, Lang)) {
        return render([&](std::ostream& o) { write(o, results, options.lang); });
    };
    int compared = 0;
    for (const auto& [name, write] : std::vector<std::pair<const char*, void (*)(std::ostream&, const Results&, Lang)>>{
             {"budget_lines.csv", write_budget_lines_csv},
             {"budget_by_year_payer.csv", write_budget_by_year_payer_csv},
             {"budget_by_unit.csv", write_budget_by_unit_csv},
             {"budget_by_rule.csv", write_budget_by_rule_csv},
             {"budget_by_quarter.csv", write_budget_by_quarter_csv},
             {"cohort_costs.csv", write_cohort_costs_csv},
             {"commune_bills.csv", write_commune_bills_csv}}) {
        EXPECT_EQ(file_text(name), csv(write)) << name;
        ++compared;
    }
    EXPECT_EQ(compared, 7);
    EXPECT_EQ(file_text("coverage.csv"), render([&](std::ostream& o) { write_coverage_csv(o, results); }));
    EXPECT_NE(file_text("budget_by_year_payer.csv").find("all,central,Ngân sách trung ương,127304550\n"), std::string::npos)
        << file_text("budget_by_year_payer.csv");
    EXPECT_NE(file_text("budget_by_year_payer.csv").find("2027,central,Ngân sách trung ương,42434850\n"), std::string::npos);
    EXPECT_EQ(file_text("summary.md"), render([&](std::ostream& o) { write_summary_md(o, results, options); }));
    EXPECT_EQ(file_text("report.html"), render([&](std::ostream& o) { write_html_report(o, results, options); }));

    // finish_with() for the last year (the workbook written while that year's rows are
    // formatted) leaves the same files, byte for byte.
    const std::filesystem::path dir2 = dir.string() + "-with";
    std::filesystem::remove_all(dir2);
    std::filesystem::create_directories(dir2);
    {
        ReportWriter writer(dir2, scenario, options);
        writer.add_year(part_of(2026), 2026);
        writer.finish_with(part_of(2027), 2027, results.warnings);
    }
    std::vector<std::string> names, names2;
    for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
    for (const auto& e : std::filesystem::directory_iterator(dir2)) names2.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    std::sort(names2.begin(), names2.end());
    EXPECT_EQ(names2, names);
    ASSERT_GE(names.size(), 10u);  // the CSVs, report.xlsx, report.html, summary.md, run.json
    for (const std::string& name : names) {
        std::ifstream in(dir2 / name, std::ios::binary);
        EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), file_text(name.c_str())) << name;
    }
    std::filesystem::remove_all(dir);
    std::filesystem::remove_all(dir2);
}

/// A fresh, empty folder of its own for a test, removed when the test ends.
class TempFolder {
public:
    explicit TempFolder(const std::string& name)
        : path_(std::filesystem::temp_directory_path() /
                ("subsim-" + name + "-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempFolder() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::string file_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

/// What write_csv_in_chunks() puts in a file for `table`, `chunks` and `threads`.
std::string chunked(const report_detail::CsvTable& table, std::size_t chunks, unsigned threads) {
    const TempFolder dir("chunked-csv");
    const std::filesystem::path path = dir.path() / "table.csv";
    report_detail::write_csv_in_chunks(path, table, chunks, threads);
    return file_text(path);
}

TEST_F(ReportTest, ChunkedWriterWritesWhatTheStreamWriterWrites) {
    // Two lines and two cohorts: 1 chunk, 2 chunks of one row, and 3 or 50 chunks asked
    // for (more than the rows), each on 1, 2 and 4 threads: always the stream writer's bytes.
    const std::string lines = render([&](std::ostream& o) { write_budget_lines_csv(o, results); });
    const std::string cohorts = render([&](std::ostream& o) { write_cohort_costs_csv(o, results); });
    ASSERT_NE(lines.find("84869700"), std::string::npos);  // the hand-checked text of BudgetLines… above
    ASSERT_NE(cohorts.find("121242420"), std::string::npos);
    const report_detail::CsvTable lines_table = report_detail::budget_lines_table(results);
    const report_detail::CsvTable cohorts_table = report_detail::cohort_costs_table(results);
    for (std::size_t chunks : {1, 2, 3, 50}) {
        for (unsigned threads : {1u, 2u, 4u}) {
            SCOPED_TRACE("chunks " + std::to_string(chunks) + ", threads " + std::to_string(threads));
            EXPECT_EQ(chunked(lines_table, chunks, threads), lines);
            EXPECT_EQ(chunked(cohorts_table, chunks, threads), cohorts);
        }
    }
}

TEST_F(ReportTest, ChunkedWriterWithASingleRowOrNone) {
    // One line: the near-poor line of the case, 95.95 persons, 1,151.4 person-months,
    // 84,869,700 đồng; asked for 1 or 7 chunks.
    results.lines.resize(1);
    const std::string one_line =
        "year,unit_code,unit_name,group,rule,payer,enrolled_persons,person_months,cost_vnd\n"
        "2026,13285,\"Phường Phủ Lý, Hà Nam\",near_poor,near_poor_central,central,95.95,1151.4,84869700\n";
    ASSERT_EQ(render([&](std::ostream& o) { write_budget_lines_csv(o, results); }), one_line);
    for (std::size_t chunks : {1, 7}) {
        for (unsigned threads : {1u, 2u}) {
            EXPECT_EQ(chunked(report_detail::budget_lines_table(results), chunks, threads), one_line)
                << chunks << " chunks, " << threads << " threads";
        }
    }
    // No rows at all: the header alone, as the stream writer writes it.
    results.cohort_costs.clear();
    const std::string header_only =
        "year,unit_code,group,enrolled_persons,person_months,contribution_due_vnd,state_paid_vnd,"
        "participant_paid_vnd\n";
    EXPECT_EQ(render([&](std::ostream& o) { write_cohort_costs_csv(o, results); }), header_only);
    EXPECT_EQ(chunked(report_detail::cohort_costs_table(results), 4, 2), header_only);
}

TEST_F(ReportTest, ChunkedWriterKeepsTheRowOrderOfManyRows) {
    // 3,000 lines, line i costing i đồng: however the rows are split, they come out in
    // order, row i ending in ",i\n" (the shared text of every row is checked above).
    const BudgetLine model = results.lines.front();
    results.lines.clear();
    for (int i = 0; i < 3'000; ++i) {
        BudgetLine l = model;
        l.cost = i;
        results.lines.push_back(l);
    }
    const std::string expected = render([&](std::ostream& o) { write_budget_lines_csv(o, results); });
    std::size_t at = expected.find('\n') + 1;  // after the header
    for (int i = 0; i < 3'000; ++i) {
        const std::size_t end = expected.find('\n', at);
        const std::string tail = "," + std::to_string(i);
        ASSERT_EQ(expected.compare(end - tail.size(), tail.size(), tail), 0) << "row " << i;
        at = end + 1;
    }
    EXPECT_EQ(at, expected.size());
    const report_detail::CsvTable table = report_detail::budget_lines_table(results);
    for (std::size_t chunks : {1, 7, 64, 2'999, 3'000, 7'777}) {
        for (unsigned threads : {1u, 2u, 3u}) {
            const std::string text = chunked(table, chunks, threads);
            EXPECT_EQ(text.size(), expected.size()) << chunks << " chunks, " << threads << " threads";
            EXPECT_TRUE(text == expected) << chunks << " chunks, " << threads << " threads";
        }
    }
}

TEST_F(ReportTest, ChunkedWriterRefusesAFileItCannotCreate) {
    const TempFolder dir("chunked-missing");
    EXPECT_THROW(report_detail::write_csv_in_chunks(dir.path() / "no-such-folder" / "table.csv",
                                                    report_detail::budget_lines_table(results), 2, 2),
                 std::runtime_error);
}

TEST_F(ReportTest, ChunkedWriterStopsAtAWriteError) {
    // /dev/full refuses every write (ENOSPC): the first chunk to be written fails, the
    // other threads stop (none waits forever for its turn) and the error is reported.
    if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    const BudgetLine model = results.lines.front();
    results.lines.assign(3'000, model);
    const report_detail::CsvTable table = report_detail::budget_lines_table(results);
    for (unsigned threads : {1u, 2u, 4u})
        EXPECT_THROW(report_detail::write_csv_in_chunks("/dev/full", table, 300, threads), std::runtime_error)
            << threads << " threads";
}

TEST_F(ReportTest, CsvTableRefusesRowsOutOfRange) {
    const report_detail::CsvTable table = report_detail::budget_lines_table(results);  // 2 rows
    std::ostringstream out;
    report_detail::CsvWriter w(out);
    EXPECT_THROW(table.format(w, 0, 3), std::out_of_range);
    EXPECT_THROW(table.format(w, 2, 1), std::out_of_range);
    EXPECT_NO_THROW(table.format(w, 2, 2));
}

TEST_F(ReportTest, WritersRefuseResultsWithoutScenario) {
    results.scenario = nullptr;
    std::ostringstream out;
    EXPECT_THROW(write_budget_lines_csv(out, results), std::invalid_argument);
    EXPECT_THROW(write_summary_md(out, results, options), std::invalid_argument);
}

// ---- Formatting helpers ---------------------------------------------------------------

namespace rd = report_detail;

TEST(FixedPoint, ExactPlacesWithALeadingZeroAndSign) {
    rd::NumberBuffer b;
    EXPECT_EQ(rd::format_fixed_point(b, 1230, 2), "12.30");  // 1230 / 100
    EXPECT_EQ(rd::format_fixed_point(b, -5, 2), "-0.05");    // -5 / 100
    EXPECT_EQ(rd::format_fixed_point(b, 0, 2), "0.00");
    EXPECT_EQ(rd::format_fixed_point(b, 7, 0), "7");
    EXPECT_EQ(rd::format_fixed_point(b, 12345, 2, ','), "123,45");
    EXPECT_EQ(rd::fixed_point(-120, 3), "-0.120");
    EXPECT_THROW(rd::format_fixed_point(b, 1, 39), std::invalid_argument);
}

TEST(FixedPoint, ValuesBeyondSixtyFourBits) {
    rd::NumberBuffer b;
    const __int128 ten_to_20 = rd::power_of_ten(20);  // 100,000,000,000,000,000,000 > 2^64 ≈ 1.8 × 10^19
    // (10^20 + 1) / 100 = 10^18 + 0.01.
    EXPECT_EQ(rd::format_fixed_point(b, ten_to_20 + 1, 2), "1000000000000000000.01");
    EXPECT_EQ(rd::format_fixed_point(b, -ten_to_20, 0), "-100000000000000000000");
    // The largest __int128, 2^127 − 1, with 38 decimals: 39 digits, one before the point.
    const __int128 max = std::numeric_limits<__int128>::max();
    EXPECT_EQ(rd::format_fixed_point(b, max, 38), "1.70141183460469231731687303715884105727");
    // 38 decimals of 1: a zero before the point and 37 zeros after it.
    EXPECT_EQ(rd::format_fixed_point(b, -1, 38), "-0.00000000000000000000000000000000000001");
}

TEST(TrimmedDecimal, DropsTrailingFractionalZerosOnly) {
    rd::NumberBuffer b;
    EXPECT_EQ(rd::format_trimmed_decimal(b, 123'400, 4), "12.34");   // 12.3400
    EXPECT_EQ(rd::format_trimmed_decimal(b, 120'000, 4), "12");      // 12.0000
    EXPECT_EQ(rd::format_trimmed_decimal(b, 100'000, 4), "10");      // zeros before the point stay
    EXPECT_EQ(rd::format_trimmed_decimal(b, -5, 4), "-0.0005");
    EXPECT_EQ(rd::format_trimmed_decimal(b, 0, 4), "0");
    EXPECT_EQ(rd::format_trimmed_decimal(b, 11'514'000, 4), "1151.4");  // 1,151.4 person-months
    EXPECT_EQ(rd::format_trimmed_decimal(b, 700, 0), "700");             // no point: nothing trimmed
    // −2^63 / 10^4 = −922,337,203,685,477.5808.
    EXPECT_EQ(rd::format_trimmed_decimal(b, std::numeric_limits<std::int64_t>::min(), 4), "-922337203685477.5808");
    EXPECT_THROW(rd::format_trimmed_decimal(b, 1, Decimal::kMaxScale + 1), std::invalid_argument);
}

TEST(TrimmedDecimal, MatchesFormatHeadcount) {
    rd::NumberBuffer b;
    for (Headcount h : {Headcount{0}, Headcount{1}, Headcount{-1}, Headcount{10}, Headcount{99'990}, Headcount{6'050'000},
                        Headcount{-123'450}, std::numeric_limits<Headcount>::max()})
        EXPECT_EQ(rd::format_trimmed_decimal(b, h, 4), format_headcount(h, 4)) << static_cast<long long>(h);
}

TEST(PersonsText, YearlyAverageAndPersonsRoundHalfAwayFromZero) {
    rd::NumberBuffer b;
    // 11,514,000 units = 1,151.4 person-months; / 12 = 95.95 persons.
    EXPECT_EQ(rd::format_yearly_persons(b, 11'514'000), "95.95");
    // 600 units = 0.06 person-months; / 12 = 0.005 → 0.01; −0.005 → −0.01; 599 → 0.00499… → 0.00.
    EXPECT_EQ(rd::format_yearly_persons(b, 600), "0.01");
    EXPECT_EQ(rd::format_yearly_persons(b, -600), "-0.01");
    EXPECT_EQ(rd::format_yearly_persons(b, 599), "0.00");
    // 9,123,456 units = 912.3456 persons → 912.35; with a decimal comma 912,35.
    EXPECT_EQ(rd::format_persons(b, 9'123'456), "912.35");
    EXPECT_EQ(rd::format_persons(b, 9'123'456, ','), "912,35");
    EXPECT_EQ(rd::persons_text(7'604'400), "760.44");
}

TEST(DivideHalfUp, SixtyFourAndOneHundredTwentyEightBits) {
    EXPECT_EQ(rd::divide_half_up(25, 10), 3);  // 2.5 → 3
    EXPECT_EQ(rd::divide_half_up(-25, 10), -3);
    EXPECT_EQ(rd::divide_half_up(24, 10), 2);
    // (10^30 + 5) / 10 = 10^29 + 0.5 → 10^29 + 1.
    const __int128 ten_to_30 = rd::power_of_ten(30);
    EXPECT_TRUE(rd::divide_half_up(ten_to_30 + 5, 10) == rd::power_of_ten(29) + 1);
    EXPECT_TRUE(rd::divide_half_up(-ten_to_30 - 5, 10) == -rd::power_of_ten(29) - 1);
    // A divisor beyond 64 bits: 3 × 10^20 / 10^20 = 3.
    EXPECT_TRUE(rd::divide_half_up(3 * rd::power_of_ten(20), rd::power_of_ten(20)) == 3);
}

std::string written(const std::function<void(rd::CsvWriter&)>& write) {
    std::ostringstream out;
    rd::CsvWriter w(out);
    write(w);
    w.finish();
    return out.str();
}

TEST(CsvWriter, SeparatesQuotesAndFormatsFields) {
    EXPECT_EQ(written([](rd::CsvWriter& w) {
                  w.header({"a", "b,c"});
                  w.text("x,y").text("say \"hi\"").text("").text("plain").end_row();
                  w.integer(std::numeric_limits<std::int64_t>::min()).integer(0).escaped("\"as,is\"").end_row();
                  w.fixed(-5, 2).headcount(11'514'000).yearly_persons(600).persons(9'123'456).end_row();
              }),
              "a,\"b,c\"\n"
              "\"x,y\",\"say \"\"hi\"\"\",,plain\n"
              "-9223372036854775808,0,\"as,is\"\n"
              "-0.05,1151.4,0.01,912.35\n");
    EXPECT_EQ(rd::csv_row({"1", "a\nb", "c\rd"}), "1,\"a\nb\",\"c\rd\"\n");
}

TEST(CsvWriter, TextLargerThanItsBufferPassesThroughInOrder) {
    // 100,000 rows of 17 bytes (1.7 MB) and one 1,000,000-byte field: far more than the
    // buffer holds, so it is handed on many times, also in the middle of a row.
    const std::string big(1'000'000, 'z');
    const std::string text = written([&](rd::CsvWriter& w) {
        for (int i = 0; i < 100'000; ++i) w.integer(1'234'567'890).text("x,y").end_row();
        w.integer(7).text(big).end_row();
    });
    std::string expected;
    for (int i = 0; i < 100'000; ++i) expected += "1234567890,\"x,y\"\n";
    expected += "7," + big + "\n";
    EXPECT_EQ(text.size(), expected.size());
    EXPECT_TRUE(text == expected);
}

TEST(CsvWriter, InMemoryKeepsEverythingUntilTaken) {
    // 100,000 rows of 17 bytes (1.7 MB) and a 1,000,000-byte field: far beyond the
    // first buffer, which grows; take() hands over the whole text and starts afresh.
    const std::string big(1'000'000, 'z');
    rd::CsvWriter w(rd::TextBuffer(16));
    for (int i = 0; i < 100'000; ++i) w.integer(1'234'567'890).text("x,y").end_row();
    w.integer(7).text(big).end_row();
    w.finish();  // without a stream: nothing to do, nothing lost
    rd::TextBuffer text = w.take();
    std::string expected;
    for (int i = 0; i < 100'000; ++i) expected += "1234567890,\"x,y\"\n";
    expected += "7," + big + "\n";
    EXPECT_EQ(text.size(), expected.size());
    EXPECT_TRUE(text.text() == expected);

    w.integer(-1).text("a").end_row();  // a fresh start: no comma carried over
    EXPECT_EQ(w.take().text(), "-1,a\n");
    // A taken buffer can be handed back for reuse; its old text is dropped.
    rd::CsvWriter again(std::move(text));
    again.persons(7'604'400).end_row();  // 760.44 persons
    EXPECT_EQ(again.take().text(), "760.44\n");
}

TEST(CsvWriter, NumberFieldsMatchTheFormattingHelpers) {
    // The writer formats these fields inline; they must read exactly as the helpers.
    constexpr Headcount kMin = std::numeric_limits<Headcount>::min();
    constexpr Headcount kMax = std::numeric_limits<Headcount>::max();
    rd::NumberBuffer b;
    for (Headcount h : {Headcount{0}, Headcount{1}, Headcount{-1}, Headcount{5}, Headcount{-5}, Headcount{49},
                        Headcount{50}, Headcount{-50}, Headcount{599}, Headcount{600}, Headcount{-600},
                        Headcount{10'000}, Headcount{-123'450}, Headcount{99'990}, Headcount{6'050'000},
                        Headcount{11'514'000}, Headcount{9'123'456}, kMin, kMin + 1, kMax, kMax - 1}) {
        SCOPED_TRACE(static_cast<long long>(h));
        EXPECT_EQ(written([&](rd::CsvWriter& w) { w.headcount(h).end_row(); }),
                  std::string(rd::format_trimmed_decimal(b, h, 4)) + "\n");
        EXPECT_EQ(written([&](rd::CsvWriter& w) { w.yearly_persons(h).end_row(); }),
                  std::string(rd::format_yearly_persons(b, h)) + "\n");
        EXPECT_EQ(written([&](rd::CsvWriter& w) { w.persons(h).end_row(); }),
                  std::string(rd::format_persons(b, h)) + "\n");
    }
    // The extremes worked out by hand. 2^63 − 1 = 9,223,372,036,854,775,807 units:
    //  as persons 922,337,203,685,477.5807; ÷ 100 = 92,233,720,368,547,758.07 hundredths → …758;
    //  ÷ 1,200 (per yearly hundredth) = 7,686,143,364,045,646.505… → …647.
    EXPECT_EQ(written([&](rd::CsvWriter& w) { w.headcount(kMax).persons(kMax).yearly_persons(kMax).end_row(); }),
              "922337203685477.5807,922337203685477.58,76861433640456.47\n");
    // −2^63 = −9,223,372,036,854,775,808: ÷ 1,200 = −7,686,143,364,045,646.506… → −…647.
    EXPECT_EQ(written([&](rd::CsvWriter& w) { w.headcount(kMin).persons(kMin).yearly_persons(kMin).end_row(); }),
              "-922337203685477.5808,-922337203685477.58,-76861433640456.47\n");
    // −50 units = −0.005 persons → −0.01 (half away from zero); −49 → −0.0049 → 0.00, no sign.
    EXPECT_EQ(written([&](rd::CsvWriter& w) { w.persons(-50).persons(-49).end_row(); }), "-0.01,0.00\n");
}

TEST(WriteInteger, SameTextAsToChars) {
    // Every power of ten, one less and one more, the extremes, and 200,000 values of
    // every length from a fixed pseudo-random sequence: the text of std::to_chars.
    std::vector<std::int64_t> values = {0, std::numeric_limits<std::int64_t>::min(),
                                        std::numeric_limits<std::int64_t>::max()};
    for (std::int64_t p = 1; p <= std::numeric_limits<std::int64_t>::max() / 10; p *= 10) {
        for (std::int64_t v : {p - 1, p, p + 1, 10 * p - 1}) {
            values.push_back(v);
            values.push_back(-v);
        }
    }
    std::uint64_t state = 12345;
    for (int i = 0; i < 200'000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;  // Knuth's MMIX LCG
        const int digits = 1 + i % 19;
        std::uint64_t limit = 1;
        for (int d = 0; d < digits; ++d) limit *= 10;
        const auto v = static_cast<std::int64_t>((state >> 1) % limit);
        values.push_back(i % 2 == 0 ? v : -v);
    }
    char expected[24];
    char got[24];
    for (std::int64_t v : values) {
        const char* expected_end = std::to_chars(expected, expected + sizeof expected, v).ptr;
        const char* got_end = rd::write_integer(got, v);
        ASSERT_EQ(std::string_view(got, static_cast<std::size_t>(got_end - got)),
                  std::string_view(expected, static_cast<std::size_t>(expected_end - expected)))
            << static_cast<long long>(v);
    }
    // The largest unsigned value, 2^64 − 1, has 20 digits.
    const char* end = rd::write_unsigned(got, std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(std::string_view(got, static_cast<std::size_t>(end - got)), "18446744073709551615");
}

}  // namespace
}  // namespace subsim
