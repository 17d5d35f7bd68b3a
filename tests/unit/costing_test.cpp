#include <gtest/gtest.h>

#include <array>
#include <map>
#include <numeric>
#include <tuple>
#include <vector>

#include "scenario_fixture.hpp"
#include "subsim/core/executor.hpp"
#include "subsim/sim/compiled.hpp"
#include "subsim/sim/costing.hpp"
#include "subsim/sim/fast.hpp"

using namespace subsim;
using namespace subsim::testing;

namespace {

Dong line_cost_of(const Results& r, int year, int unit, const std::string& rule) {
    const int ri = r.scenario->find_rule(rule);
    Dong total = 0;
    for (const auto& l : r.lines)
        if (l.year == year && l.unit == unit && l.rule == ri) total += l.cost;
    return total;
}

Dong payer_total(const Results& r, int year, int payer) {
    for (const auto& t : totals_by_year_payer(r))
        if (t.year == year && t.payer == payer) return t.cost;
    return -1;
}

}  // namespace

// Contribution: 4.5% × 2,340,000 = 105,300 (Jan–Jun 2026); 4.5% × 2,530,000 = 113,850 (Jul–Dec).
// Near-poor central 70%: 73,710 / 79,695; province 30%: 31,590 / 34,155.
// Year 2026 per near-poor person: central 6×73,710 + 6×79,695 = 442,260 + 478,170 = 920,430;
//                                 province 6×31,590 + 6×34,155 = 189,540 + 204,930 = 394,470.
TEST(Costing, SplitsTheYearAtTheBaseSalaryChange) {
    const Scenario s = small_scenario();
    const Results r = simulate(s);
    EXPECT_EQ(line_cost_of(r, 2026, kA, "np_central"), 100 * 920430);  // 92,043,000
    EXPECT_EQ(line_cost_of(r, 2026, kA, "np_province"), 100 * 394470);  // 39,447,000
    EXPECT_EQ(line_cost_of(r, 2026, kB, "np_central"), 20 * 920430);    // 18,408,600
    // 2027 is projected with growth 0 from 2026 and is all at 2,530,000:
    // 12 × 79,695 = 956,340 per person.
    EXPECT_EQ(line_cost_of(r, 2027, kB, "np_central"), 20 * 956340);
}

// Near-poor package: 70% + 30% = 100%; aged 70–74 package: 100% province. A tie: the group
// declared first (near_poor) keeps the 10 overlapping persons, so aged_70_74 costs
// 40 × (6×105,300 + 6×113,850) = 40 × 1,314,900 = 52,596,000, not 50 × ….
TEST(Costing, HighestBenefitBreaksTiesByDeclarationOrder) {
    const Scenario s = small_scenario();
    const Results r = simulate(s);
    EXPECT_EQ(line_cost_of(r, 2026, kA, "aged_province"), 52596000);
    EXPECT_EQ(line_cost_of(r, 2026, kA, "np_central"), 92043000);  // near-poor keeps all 100
    // The 10 persons move in both month segments of 2026 (the base salary changes on
    // 1 July): 10 × 6 person-months in each, one row per segment.
    ASSERT_EQ(r.transfers.size(), 2u);
    const std::array<int, 2> first_months{1, 7};
    for (std::size_t i = 0; i < 2; ++i) {
        const OverlapTransfer& t = r.transfers[i];
        EXPECT_EQ(t.kept_group, kNearPoor);
        EXPECT_EQ(t.dropped_group, kAged);
        EXPECT_EQ(t.first_month, first_months[i]);
        EXPECT_EQ(t.person_months, headcount_of_persons(10 * 6));
    }
}

// The aged rule changes on 1 July 2026: 100% to 30 June, then 50% (aged_half). The
// near-poor keep the 10 persons in both groups all year (a tie at 100%, then 100% against
// 50%): 10 × 6 = 60 person-months lost by each aged rule, each in the months it is in
// force, and 10 × 12 = 120 gained by each near-poor rule. (Each aged rule used to be shown
// losing all 120, the one that had ended as much as the one in force.)
TEST(Costing, OnlyRulesInForceGainOrLosePersons) {
    Scenario s = small_scenario();
    s.rules[2].to = Date{2026, 6, 30};
    s.rules.push_back(make_rule("aged_half", {kAged}, "50%", kProvince, Date{2026, 7, 1}));
    const Results r = simulate(s);
    std::map<std::string, std::pair<Headcount, Headcount>> moved;  // rule → (gained, lost) in 2026
    for (const RuleTransfer& t : rule_transfers(r))
        if (t.year == 2026) moved[s.rules[static_cast<std::size_t>(t.rule)].id] = {t.gained, t.lost};
    const Headcount none = 0;
    EXPECT_EQ(moved["aged_province"], std::make_pair(none, headcount_of_persons(60)));
    EXPECT_EQ(moved["aged_half"], std::make_pair(none, headcount_of_persons(60)));
    EXPECT_EQ(moved["np_central"], std::make_pair(headcount_of_persons(120), none));
    EXPECT_EQ(moved["np_province"], std::make_pair(headcount_of_persons(120), none));
    EXPECT_EQ(moved.size(), 4u);
}

TEST(Costing, HighestBenefitPrefersTheLargerPackage) {
    Scenario s = small_scenario();
    s.rules[1].share = pct("20%");  // near-poor package now 90% < aged 100%
    const Results r = simulate(s);
    // aged keeps all 50: 50 × 1,314,900 = 65,745,000; near-poor loses 10 → 90 persons
    EXPECT_EQ(line_cost_of(r, 2026, kA, "aged_province"), 65745000);
    EXPECT_EQ(line_cost_of(r, 2026, kA, "np_central"), 90 * 920430);
}

// Two persons enter in March 2026 for 12 months: months 3–6 at 50% × 105,300 = 52,650 and
// months 7–12 at 50% × 113,850 = 56,925 → 2 × (4×52,650 + 6×56,925) = 2 × 552,150 = 1,104,300.
// In 2027 they count in January and February: 2 × 2 × 56,925 = 227,700.
TEST(Costing, TimeLimitedSupportFollowsInflows) {
    const Scenario s = small_scenario();
    const Results r = simulate(s);
    EXPECT_EQ(line_cost_of(r, 2026, kA, "traf_central"), 1104300);
    EXPECT_EQ(line_cost_of(r, 2027, kA, "traf_central"), 227700);
}

// Province 2026: A near-poor 39,447,000 + A aged 52,596,000 + B near-poor 20 × 394,470 = 7,889,400
// = 99,932,400. Central: 92,043,000 + 1,104,300 + 18,408,600 = 111,555,900.
TEST(Costing, TotalsByPayerAreSumsOfLines) {
    const Scenario s = small_scenario();
    const Results r = simulate(s);
    EXPECT_EQ(payer_total(r, 2026, kProvince), 99932400);
    EXPECT_EQ(payer_total(r, 2026, kCentral), 111555900);
    EXPECT_EQ(payer_total(r, 2026, -1), 99932400 + 111555900);
}

// Q1 2026 province in A: near-poor 100 × 3 × 31,590 = 9,477,000 + aged 40 × 3 × 105,300 = 12,636,000.
TEST(Costing, QuartersSplitTheYearExactly) {
    const Scenario s = small_scenario();
    const Results r = simulate(s);
    Dong q1 = -1;
    for (const auto& q : totals_by_quarter(r))
        if (q.year == 2026 && q.quarter == 0 && q.payer == kProvince && q.unit == kA) q1 = q.cost;
    EXPECT_EQ(q1, 9477000 + 12636000);
    for (const auto& l : r.lines)
        EXPECT_EQ(std::accumulate(l.quarter_cost.begin(), l.quarter_cost.end(), Dong{0}), l.cost);
}

TEST(Costing, CustomQuarterScheduleMovesMonths) {
    Scenario s = small_scenario();
    s.quarter_of_month = {0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3};  // quarters of 2, 3, 3, 4 months
    const Results r = simulate(s);
    const int ri = s.find_rule("np_province");
    for (const auto& l : r.lines)
        if (l.year == 2026 && l.unit == kB && l.rule == ri) {
            EXPECT_EQ(l.quarter_cost[0], 20 * 2 * 31590);                 // Jan, Feb
            EXPECT_EQ(l.quarter_cost[2], 20 * (31590 + 2 * 34155));        // Jun, Jul, Aug
        }
}

// Enrolment 90% of B's 20 near-poor = 18 cardholders: 18 × 920,430 = 16,567,740.
TEST(Costing, EnrolmentShareScalesPersons) {
    Scenario s = small_scenario();
    s.enrolment = {{kNearPoor, kB, {2026, 1, 1}, pct("90%"), {}, {}}};
    const Results r = simulate(s);
    EXPECT_EQ(line_cost_of(r, 2026, kB, "np_central"), 16567740);
    EXPECT_EQ(line_cost_of(r, 2026, kA, "np_central"), 92043000);  // A keeps the 100% default
}

// Cohort costs: near-poor in A, due = 100 × (6×105,300 + 6×113,850) = 131,490,000, all paid
// by the state (70% + 30%), participants 0.
// A group's lines are rounded together. B: 343 near-poor persons, 90% enrolled = 308.7
// cardholders (take-up and enrolment shares give fractions of persons).
// Jan–Jun: 308.7 × 73,710 = 22,754,277 and 308.7 × 31,590 = 9,751,833, both exact.
// Jul–Dec: 308.7 × 79,695 = 24,601,846.5 → 24,601,847 (central, half-up). The province's
// 30% alone, 308.7 × 34,155 = 10,543,648.5, would round to 10,543,649: one đồng more than
// the due allows, 308.7 × 113,850 = 35,145,495. Rounded with the line before it, the
// province pays 35,145,495 − 24,601,847 = 10,543,648 a month.
// 2026: central 6 × 22,754,277 + 6 × 24,601,847 = 136,525,662 + 147,611,082 = 284,136,744;
//       province 6 × 9,751,833 + 6 × 10,543,648 = 58,510,998 + 63,261,888 = 121,772,886;
//       due 6 × 32,506,110 + 6 × 35,145,495 = 195,036,660 + 210,872,970 = 405,909,630,
//       = 284,136,744 + 121,772,886: the participants pay 0, not −6.
namespace {
Scenario fractional_cardholders() {
    Scenario s = small_scenario();
    s.data_mut().cohorts[2].persons = 343;  // B's near-poor
    s.data_mut().population[1].persons = 400;
    s.enrolment = {{kNearPoor, kB, {2026, 1, 1}, pct("90%"), {}, {}}};
    return s;
}
}  // namespace

TEST(Costing, APackageSplitAmongPayersNeverCostsMoreThanTheContributionDue) {
    const Scenario s = fractional_cardholders();
    const Results r = simulate(s);
    EXPECT_EQ(line_cost_of(r, 2026, kB, "np_central"), 284136744);
    EXPECT_EQ(line_cost_of(r, 2026, kB, "np_province"), 121772886);
    int lines = 0;
    for (const auto& l : r.lines)
        if (l.year == 2026 && l.unit == kB && l.rule == s.find_rule("np_province")) {
            ++lines;
            EXPECT_EQ(l.quarter_cost[2], 3 * 10543648);  // Jul–Sep
            EXPECT_EQ(l.quarter_cost[3], 3 * 10543648);  // Oct–Dec
        }
    EXPECT_EQ(lines, 1);
    bool found = false;
    for (const auto& c : r.cohort_costs)
        if (c.year == 2026 && c.unit == kB && c.group == kNearPoor) {
            found = true;
            EXPECT_EQ(c.contribution_due, 405909630);
            EXPECT_EQ(c.state_paid, 405909630);
            EXPECT_EQ(c.participant_paid(), 0);
        }
    EXPECT_TRUE(found);
}

// The double-precision model rounds the lines the same way: at the scenario's own values
// its totals per year and payer are the exact ones, to the đồng (2026's province:
// A's 100 × 394,470 = 39,447,000, A's aged 52,596,000 and B's 121,772,886 above).
TEST(Costing, TheFastModelRoundsAPackageAsTheExactRunDoes) {
    const Scenario s = fractional_cardholders();
    const Executor ex(1);
    const CompiledScenario c = compile(s, ex);
    const FastModel fast(c);
    FastModel::Outputs out;
    FastModel::Scratch scratch;
    const std::vector<double> slots = fast.baseline();
    fast.run(slots.data(), nullptr, out, scratch);
    ASSERT_EQ(out.year_payer.size(), static_cast<std::size_t>(fast.years() * fast.payers()));
    EXPECT_EQ(out.year_payer[kProvince], 39447000.0 + 52596000.0 + 121772886.0);
    const Results r = simulate(s);
    std::vector<Dong> exact(out.year_payer.size(), 0);
    for (const auto& l : r.lines) exact[static_cast<std::size_t>((l.year - s.first_year) * fast.payers() + l.payer)] += l.cost;
    for (std::size_t k = 0; k < exact.size(); ++k) EXPECT_EQ(out.year_payer[k], static_cast<double>(exact[k])) << k;
}

TEST(Costing, CohortCostsCarryTheReconciliationColumns) {
    const Scenario s = small_scenario();
    const Results r = simulate(s);
    bool found = false;
    for (const auto& c : r.cohort_costs)
        if (c.year == 2026 && c.unit == kA && c.group == kNearPoor) {
            found = true;
            EXPECT_EQ(c.contribution_due, 131490000);
            EXPECT_EQ(c.state_paid, 131490000);
            EXPECT_EQ(c.participant_paid(), 0);
            EXPECT_EQ(c.person_months, headcount_of_persons(1200));
        }
    EXPECT_TRUE(found);
}

// Coverage in A, 2026: near-poor 100 + aged 40 (10 moved) + trafficking 2 persons × 10 months
// = 1,700 person-months → 141.6667 average (rounded half-up at 1/10,000). Province = A + B (20).
TEST(Costing, CoverageCountsEachInsuredPersonOnce) {
    const Scenario s = small_scenario();
    const Results r = simulate(s);
    for (const auto& c : r.coverage) {
        if (c.year != 2026) continue;
        if (c.unit == kA) {
            EXPECT_EQ(c.enrolled, 1416667);
            EXPECT_EQ(c.population, 200);
        }
        if (c.unit == kP) {
            EXPECT_EQ(c.enrolled, 1416667 + 200000);
            EXPECT_EQ(c.population, 230);  // no row of its own: A + B
        }
    }
}

TEST(Costing, FixedAmountRulesPayTheAmount) {
    Scenario s = small_scenario();
    s.rules[1].share.reset();
    s.rules[1].amount = 20000;  // 20,000 đồng per person-month
    const Results r = simulate(s);
    EXPECT_EQ(line_cost_of(r, 2026, kB, "np_province"), 20 * 12 * 20000);
}

TEST(Costing, ResultsDoNotDependOnTheThreadCount) {
    Scenario s = small_scenario();
    s.last_year = 2030;
    const Results one = simulate(s, {1});
    for (int threads : {2, 3, 8}) {
        const Results many = simulate(s, {threads});
        ASSERT_EQ(one.lines.size(), many.lines.size());
        for (std::size_t i = 0; i < one.lines.size(); ++i) {
            EXPECT_EQ(one.lines[i].year, many.lines[i].year);
            EXPECT_EQ(one.lines[i].unit, many.lines[i].unit);
            EXPECT_EQ(one.lines[i].rule, many.lines[i].rule);
            EXPECT_EQ(one.lines[i].cost, many.lines[i].cost);
            EXPECT_EQ(one.lines[i].person_months, many.lines[i].person_months);
        }
        ASSERT_EQ(one.transfers.size(), many.transfers.size());
        ASSERT_EQ(one.coverage.size(), many.coverage.size());
        for (std::size_t i = 0; i < one.coverage.size(); ++i) EXPECT_EQ(one.coverage[i].enrolled, many.coverage[i].enrolled);
    }
}

// Commune B has no aged persons and no trafficking inflows, so it has no line for
// aged_province or traf_central; A has all four rules (the trafficking inflow of March 2026
// lasts 12 months, into February 2027). Each year's lines follow the year before directly,
// sorted by unit, group and rule, on any thread count. Cohort rows exist for every group
// with a rule in force (3 groups × 2 communes × 2 years), enrolled or not.
TEST(Costing, LinesWhereNobodyIsEnrolledAreLeftOut) {
    const Scenario s = small_scenario();
    using Key = std::tuple<int, int, int>;  // year, unit, rule
    std::vector<Key> expected;
    for (int year : {2026, 2027}) {
        for (int rule : {0, 1, 2, 3}) expected.emplace_back(year, kA, rule);
        for (int rule : {0, 1}) expected.emplace_back(year, kB, rule);
    }
    for (int threads : {1, 2}) {
        const Results r = simulate(s, {threads});
        std::vector<Key> got;
        for (const BudgetLine& l : r.lines) got.emplace_back(l.year, l.unit, l.rule);
        EXPECT_EQ(got, expected) << threads << " thread(s)";
        ASSERT_EQ(r.cohort_costs.size(), 12u);
        EXPECT_EQ(r.cohort_costs[4].unit, kB);
        EXPECT_EQ(r.cohort_costs[4].group, kAged);
        EXPECT_EQ(r.cohort_costs[4].person_months, 0);
        EXPECT_EQ(r.cohort_costs[6].year, 2027);
    }
}

TEST(Costing, AnErrorInAnyYearStopsTheRun) {
    Scenario s = small_scenario();
    s.last_year = 2030;
    s.data_mut().overlaps.push_back({2029, kB, kNearPoor, kAged, 5, {s.data_mut().file_id("overlaps.csv"), 3}});  // B has no aged persons
    EXPECT_THROW(simulate(s, {2}), ScenarioError);
}

TEST(Costing, TotalsBeyondTheRangeOfDongAreBadInputNotAWrap) {
    Scenario s = small_scenario();
    // 9 × 10^14 persons: the yearly cost 9e14 × 920,430 ≈ 8.3 × 10^20 đồng cannot be represented.
    s.data_mut().cohorts[2].persons = 900'000'000'000'000;
    try {
        (void)simulate(s);
        FAIL() << "expected an error";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("too large"), std::string::npos) << e.what();
    }
}

// 10^9 persons (the per-row limit) in one cohort still cost exactly:
// 10^9 × 920,430 đồng = 920,430,000,000,000 đồng for 2026 (central 70%).
TEST(Costing, AThousandMillionPersonsAreCostedExactly) {
    Scenario s = small_scenario();
    s.data_mut().cohorts[2].persons = 1'000'000'000;
    const Results r = simulate(s);
    EXPECT_EQ(line_cost_of(r, 2026, kB, "np_central"), 920'430'000'000'000);
}

// Group-wide 80% everywhere; in B, 90% from January and 50% from July (unit-specific wins).
// A: 80 of 100 near-poor × 920,430 = 73,634,400.
// B: 18 × 6 × 73,710 + 10 × 6 × 79,695 = 7,960,680 + 4,781,700 = 12,742,380.
TEST(Costing, UnitSpecificEnrolmentBeatsGroupWideAndLaterDatesWin) {
    Scenario s = small_scenario();
    s.enrolment = {{kNearPoor, kB, {2026, 7, 1}, pct("50%"), {}, {}},
                   {kNearPoor, -1, {2026, 1, 1}, pct("80%"), {}, {}},
                   {kNearPoor, kB, {2026, 1, 1}, pct("90%"), {}, {}}};
    const Results r = simulate(s);
    EXPECT_EQ(line_cost_of(r, 2026, kA, "np_central"), 73634400);
    EXPECT_EQ(line_cost_of(r, 2026, kB, "np_central"), 12742380);
}
