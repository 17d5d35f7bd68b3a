#pragma once
// A hand-made scenario and results for the people's reports (report tables, report.xlsx,
// report.html). Every figure is worked out here, by hand; the tests assert them.
//
// Year 2026; province "37" Ninh Bình with communes "001" Xã An (top_up: true) and "002"
// Xã Bình. Contribution 4.5% × 2,340,000 = 105,300 đồng per person-month; per person-month
// 70% = 73,710, 30% = 31,590, 10% = 10,530, 100% = 105,300.
// Rules: near_poor_central 70% (central, everywhere); near_poor_topup 30% (province,
// communes with top_up: true); near_poor_commune 10% (commune budget, top_up: false);
// children_central 100% (central).
//  - Xã An, near_poor: 10 persons all year = 120 person-months (1,200,000 units).
//      central  10 × 73,710 × 12 = 8,845,200   (a quarter: 10 × 73,710 × 3 = 2,211,300)
//      province 10 × 31,590 × 12 = 3,790,800   (a quarter: 947,700)
//      due      10 × 105,300 × 12 = 12,636,000 = the state's 8,845,200 + 3,790,800:
//      70% + 30% = 100%, the participants pay nothing → "supported 100%".
//  - Xã Bình, near_poor: 5 persons = 60 person-months (600,000 units).
//      central  5 × 73,710 × 12 = 4,422,600   (a quarter: 1,105,650)
//      commune  5 × 10,530 × 12 = 631,800     (a quarter: 157,950)
//      due      5 × 105,300 × 12 = 6,318,000; state 5,054,400; participants 1,263,600
//      (70% + 10% = 80%) → "supported partly".
//  - Xã An, children: 2 persons = 24 person-months (240,000 units).
//      central  2 × 105,300 × 12 = 2,527,200   (a quarter: 631,800); due the same.
// Year totals: central 8,845,200 + 4,422,600 + 2,527,200 = 15,795,000; province 3,790,800;
// commune 631,800; all 20,217,600.
#include <optional>
#include <string>
#include <utility>

#include "subsim/model/scenario.hpp"
#include "subsim/report/reports.hpp"
#include "subsim/sim/results.hpp"

namespace subsim::office_fixture {

inline constexpr Dong kAnCentral = 8'845'200, kAnProvince = 3'790'800, kAnDue = 12'636'000;
inline constexpr Dong kBinhCentral = 4'422'600, kBinhCommune = 631'800, kBinhDue = 6'318'000;
inline constexpr Dong kChildren = 2'527'200;

inline Provenance source(std::string reference, Confidence c) { return {std::move(reference), c, ""}; }

inline Rule rule(std::string id, Text label, int group, Decimal share, int payer,
                 std::vector<std::pair<std::string, std::string>> when, Confidence c = Confidence::high) {
    Rule r;
    r.id = std::move(id);
    r.label = std::move(label);
    r.provenance = source("NĐ 188/2025/NĐ-CP", c);
    r.groups = {group};
    r.condition.equals = std::move(when);
    r.share = share;
    r.payer = payer;
    r.from = {2025, 7, 1};
    return r;
}

inline Scenario make_scenario() {
    Scenario s;
    s.id = "office-2026";
    s.title = {"Thử nghiệm báo cáo 2026", "Report test 2026"};
    s.first_year = s.last_year = 2026;
    s.provenance_note = "Hand-made";
    s.parameters.base_salary.entries.push_back({{2024, 7, 1}, 2'340'000, source("NĐ 73/2024/NĐ-CP", Confidence::high), {}});
    s.parameters.contribution_rate.entries.push_back(
        {{2014, 7, 1}, Decimal{45, 3}, source("NĐ 105/2014/NĐ-CP", Confidence::high), {}});
    s.data_mut().units.push_back({"37", "Ninh Bình", UnitLevel::province, -1, {}, {}});
    s.data_mut().units.push_back({"001", "Xã An", UnitLevel::commune, 0, {{"top_up", "true"}}, {}});
    s.data_mut().units.push_back({"002", "Xã Bình", UnitLevel::commune, 0, {}, {}});
    s.data_mut().groups.push_back({"near_poor", {"Người thuộc hộ cận nghèo", "Near-poor household members"}, 0, {}});
    s.data_mut().groups.push_back({"children", {"Trẻ em dưới 6 tuổi", "Children under 6"}, 0, {}});
    s.payers.push_back({"central", {"Ngân sách trung ương", "Central budget"}, PayerLevel::central, false, {}});
    s.payers.push_back({"province", {"Ngân sách tỉnh", "Provincial budget"}, PayerLevel::province, false, {}});
    s.payers.push_back({"commune", {"Ngân sách xã", "Commune budget"}, PayerLevel::commune, false, {}});
    s.rules.push_back(rule("near_poor_central", {"NSTW hỗ trợ 70% cho người cận nghèo", "Central 70% for the near-poor"}, 0,
                           Decimal::percent(70), 0, {}));
    s.rules.push_back(rule("near_poor_topup", {"NS tỉnh hỗ trợ thêm 30%", "Province +30%"}, 0, Decimal::percent(30), 1,
                           {{"top_up", "true"}}, Confidence::assumption));
    s.rules.push_back(rule("near_poor_commune", {"NS xã hỗ trợ thêm 10%", "Commune +10%"}, 0, Decimal::percent(10), 2,
                           {{"top_up", "false"}}, Confidence::assumption));
    s.rules.push_back(rule("children_central", {"NSNN đóng 100% cho trẻ em dưới 6 tuổi", "State pays 100% for children"}, 1,
                           Decimal::percent(100), 0, {}));
    return s;
}

/// Quarters of equal months: a quarter is a quarter of the year.
inline std::array<Dong, 4> quarters(Dong year) { return {year / 4, year / 4, year / 4, year / 4}; }

inline Results make_results(const Scenario& s) {
    Results r;
    r.scenario = &s;
    // Sorted by year, unit, group, rule.
    r.lines.push_back({2026, 1, 0, 0, 0, 1'200'000, quarters(kAnCentral), kAnCentral});
    r.lines.push_back({2026, 1, 0, 1, 1, 1'200'000, quarters(kAnProvince), kAnProvince});
    r.lines.push_back({2026, 1, 1, 3, 0, 240'000, quarters(kChildren), kChildren});
    r.lines.push_back({2026, 2, 0, 0, 0, 600'000, quarters(kBinhCentral), kBinhCentral});
    r.lines.push_back({2026, 2, 0, 2, 2, 600'000, quarters(kBinhCommune), kBinhCommune});
    r.cohort_costs.push_back({2026, 1, 0, 1'200'000, kAnDue, kAnCentral + kAnProvince});
    r.cohort_costs.push_back({2026, 1, 1, 240'000, kChildren, kChildren});
    r.cohort_costs.push_back({2026, 2, 0, 600'000, kBinhDue, kBinhCentral + kBinhCommune});
    // Province 17 of 20 insured (85%), target 90%; Xã An 12 of 12; Xã Bình 5 of 8.
    r.coverage.push_back({2026, 0, 20, 170'000, Decimal::percent(90)});
    r.coverage.push_back({2026, 1, 12, 120'000, std::nullopt});
    r.coverage.push_back({2026, 2, 8, 50'000, std::nullopt});
    return r;
}

}  // namespace subsim::office_fixture
