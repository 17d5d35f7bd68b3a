#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "scenario_fixture.hpp"
#include "subsim/engine.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/sim/costing.hpp"

using namespace subsim;
using namespace subsim::testing;

namespace {
/// The first error engine::validate() finds (model checks, compile, a totals run), or "".
std::string error_of(const Scenario& s) {
    try {
        engine::validate(s, Executor::serial());
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(Validate, AcceptsTheFixture) { EXPECT_EQ(error_of(small_scenario()), ""); }

TEST(Validate, SharesOverOneHundredPercentNameTheRules) {
    Scenario s = small_scenario();
    s.rules[1].share = pct("40%");  // 70% + 40% = 110%
    const std::string e = error_of(s);
    EXPECT_NE(e.find("110%"), std::string::npos) << e;
    EXPECT_NE(e.find("over 100%"), std::string::npos) << e;
    EXPECT_NE(e.find("np_central 70%"), std::string::npos) << e;
    EXPECT_NE(e.find("np_province 40%"), std::string::npos) << e;
    EXPECT_NE(e.find("rules[1].share"), std::string::npos) << e;
    // A commune the rules pay for is named, not the province above it (the first unit).
    EXPECT_NE(e.find("in unit A (Commune A)"), std::string::npos) << e;
}

// 66.67% and 33.33% of 105,300 đồng are 70,203.51 and 35,096.49: half-up 70,204 + 35,096 =
// 105,300, but rounded up 70,204 + 35,097 = 105,301, one đồng more than the contribution
// for every card the budgets pay.
TEST(Validate, AmountsThatAddUpToMoreThanTheContributionOnceRoundedAreAnError) {
    Scenario s = small_scenario();
    s.rules[0].share = pct("66.67%");
    s.rules[1].share = pct("33.33%");
    EXPECT_EQ(error_of(s), "");
    s.parameters.rounding = Rounding::up;
    const std::string e = error_of(s);
    EXPECT_NE(e.find("105,301"), std::string::npos) << e;
    EXPECT_NE(e.find("once each amount is rounded, more than the contribution of 105,300"), std::string::npos) << e;
    EXPECT_NE(e.find("np_central 66.67% + np_province 33.33%"), std::string::npos) << e;
    EXPECT_NE(e.find("rules[1].share"), std::string::npos) << e;
}

// Commune A says poor_commune = false; B has no value (a blank cell): B counts as false and
// gets the 30% rule too, which a forgotten cell should not decide in silence.
TEST(Validate, AUnitWithoutAValueAConditionReadsIsAWarning) {
    Scenario s = small_scenario();
    s.rules[1].condition.equals = {{"poor_commune", "false"}};
    const auto missing = [&] {
        int found = 0;
        for (const Warning& w : engine::validate(s, Executor::serial()))
            if (w.key == "rules[1].when.poor_commune") {
                ++found;
                const std::string en = w.to_string(Lang::en);
                EXPECT_NE(en.find("1 lowest-level units have no value for poor_commune (the first: B (Commune B)), which rule "
                                  "\"np_province\"'s condition reads: they count as false"),
                          std::string::npos)
                    << en;
            }
        return found;
    };
    EXPECT_EQ(missing(), 1);
    s.data_mut().units[kB].attributes = {{"poor_commune", "true"}};
    EXPECT_EQ(missing(), 0);
}

TEST(Validate, SharesOnlyAddUpWhereBothRulesApply) {
    Scenario s = small_scenario();
    s.rules[1].share = pct("40%");
    s.rules[1].condition.equals = {{"poor_commune", "true"}};  // no commune is poor
    EXPECT_EQ(error_of(s), "");
}

TEST(Validate, AYearWithNoBaseSalaryIsAnError) {
    Scenario s = small_scenario();
    s.parameters.base_salary.entries.erase(s.parameters.base_salary.entries.begin());  // only from 2026-07-01
    const std::string e = error_of(s);
    EXPECT_NE(e.find("no base salary"), std::string::npos) << e;
    EXPECT_NE(e.find("2026-01-01"), std::string::npos) << e;
}

TEST(Validate, CommunePayerNeedsCommunes) {
    Scenario s = small_scenario();
    s.rules[2].payer = kCommune;
    EXPECT_EQ(error_of(s), "");
    for (auto& u : s.data_mut().units) u.level = UnitLevel::district;
    EXPECT_NE(error_of(s).find("no unit of this scenario has level commune"), std::string::npos);
}

TEST(Validate, DeclaredPayerWithoutRule) {
    Scenario s = small_scenario();
    s.payers.push_back({"district", {"Huyện", "District"}, PayerLevel::province, true, {"fixture.yaml", 9, 5}});
    const std::string e = error_of(s);
    EXPECT_NE(e.find("fixture.yaml:9:5"), std::string::npos) << e;
    EXPECT_NE(e.find("no rule is paid by it"), std::string::npos) << e;
}

TEST(Validate, OverlapLargerThanAGroup) {
    Scenario s = small_scenario();
    s.data_mut().overlaps[0].persons = 60;  // aged_70_74 has 50
    const std::string e = error_of(s);
    EXPECT_NE(e.find("overlaps.csv:2:"), std::string::npos) << e;
    EXPECT_NE(e.find("larger than group \"aged_70_74\""), std::string::npos) << e;
}

// Rows built in code are checked too (the loader refuses this row at its cell already).
// With the file's header known, the message names the cell's column (group_b is the
// fourth); without it, the file and line only.
TEST(Validate, AnOverlapOfAGroupWithItselfNamesTheCell) {
    Scenario s = small_scenario();
    s.data_mut().overlaps[0].group_b = kNearPoor;
    EXPECT_EQ(error_of(s), "overlaps.csv:2: group_b: a group cannot overlap itself (\"near_poor\")");
    s.data_mut().set_file_columns(s.data_mut().overlaps[0].where.file, {"year", "unit_code", "group_a", "group_b", "persons"});
    EXPECT_EQ(error_of(s), "overlaps.csv:2:4: group_b: a group cannot overlap itself (\"near_poor\")");
}

// Each year's bound is about 0.6 × the largest whole đồng (9.22 × 10^18): 460,000,000
// aged persons in A × (a rule amount of 10^9 đồng + at most 113,851 đồng of contribution)
// × 12 months ≈ 5.52 × 10^18. 2026 alone fits; with 2027 the period does not, so 2027 is
// named (the years are bounded side by side, then checked in order).
TEST(Validate, BoundOfThePeriodNamesTheYearItIsPassedIn) {
    Scenario s = small_scenario();
    s.data_mut().cohorts[1].persons = 460'000'000;  // A, aged_70_74
    s.rules[2].amount = 1'000'000'000;               // aged_province
    s.data_mut().population[0].persons = 1'000'000'000;  // A: room for them
    const std::string e = error_of(s);
    EXPECT_NE(e.find("the cost up to the end of 2027 could pass"), std::string::npos) << e;
    EXPECT_NE(e.find("unit A (Commune A), group \"aged_70_74\""), std::string::npos) << e;
    // One year of it fits.
    s.last_year = 2026;
    EXPECT_EQ(error_of(s), "");
}

// Overlaps in a year without cohort rows (2027, projected: the 2026 figures carried
// unchanged) are checked when the scenario is compiled. Rows of a group in one cell add
// up: 30 + 30 = 60 overlapped aged_70_74 persons in A, which has 50; the second row
// (line 3) is the one refused, with the sum so far.
TEST(Validate, OverlapRowsOfACellAddUp) {
    Scenario s = small_scenario();
    const auto file = s.data_mut().file_id("overlaps.csv");
    s.data_mut().overlaps = {{2027, kA, kNearPoor, kAged, 30, {file, 2}}, {2027, kA, kNearPoor, kAged, 30, {file, 3}}};
    const std::string e = error_of(s);
    EXPECT_NE(e.find("overlaps.csv:3:"), std::string::npos) << e;
    EXPECT_NE(e.find("overlap of 60 persons is larger than group \"aged_70_74\" (50 persons) in unit A (Commune A) in 2027"), std::string::npos) << e;
}

// The group's size (checked when compiled) is written in each language's style, as the
// overlap is: A's 1,200 near-poor of 2026 are carried into 2027 unchanged, and 1,201
// overlap; scaled by 110.01% the group holds 1,200 × 1.1001 = 1,320.12 persons, and
// 1,321 overlap. (It read "(1200 persons)" and "(1320.12 người)".)
TEST(Validate, AProjectedGroupSizeIsWrittenInEachLanguagesStyle) {
    Scenario s = small_scenario();
    s.data_mut().cohorts[0].persons = 1200;              // A, near_poor
    s.data_mut().cohorts[1].persons = 2000;              // A, aged_70_74: room for every overlap below
    s.data_mut().population[0].persons = 100000;         // A: room for them
    const auto file = s.data_mut().file_id("overlaps.csv");
    s.data_mut().overlaps = {{2027, kA, kNearPoor, kAged, 1201, {file, 2}}};
    const auto refusal = [&] {
        try {
            engine::validate(s, Executor::serial());
        } catch (const ScenarioError& e) {
            return e.message();
        }
        return Text{"(accepted)", "(accepted)"};
    };
    Text t = refusal();
    EXPECT_EQ(t.en, "overlap of 1,201 persons is larger than group \"near_poor\" (1,200 persons) in unit A (Commune A) in 2027");
    EXPECT_EQ(t.vi, "số người trùng 1.201 lớn hơn nhóm \"near_poor\" (1.200 người) ở đơn vị A (Commune A) năm 2027");
    s.cohort_scales = {{kNearPoor, pct("110.01%"), {}, {}}};
    s.data_mut().overlaps[0].persons = 1321;
    t = refusal();
    EXPECT_EQ(t.en, "overlap of 1,321 persons is larger than group \"near_poor\" (1,320.12 persons) in unit A (Commune A) in 2027");
    EXPECT_EQ(t.vi, "số người trùng 1.321 lớn hơn nhóm \"near_poor\" (1.320,12 người) ở đơn vị A (Commune A) năm 2027");
    s.data_mut().overlaps[0].persons = 1320;
    EXPECT_EQ(refusal().en, "(accepted)");
}

// Two cells over their groups in 2027 (checked when compiled): B's row comes first in
// the file (line 2: 5 aged persons where B has 3), A's second (line 3: 60 where A has 50). The first row in file order is
// refused, although A's cell comes first in the compiled layout.
TEST(Validate, FirstOverlapRowInFileOrderIsRefused) {
    Scenario s = small_scenario();
    s.data_mut().cohorts.push_back({2026, kB, kAged, 3, {}});
    const auto file = s.data_mut().file_id("overlaps.csv");
    s.data_mut().overlaps = {{2027, kB, kNearPoor, kAged, 5, {file, 2}}, {2027, kA, kNearPoor, kAged, 60, {file, 3}}};
    const std::string e = error_of(s);
    EXPECT_NE(e.find("overlaps.csv:2:"), std::string::npos) << e;
    EXPECT_NE(e.find("overlap of 5 persons is larger than group \"aged_70_74\" (3 persons) in unit B (Commune B) in 2027"), std::string::npos) << e;
}

// Children A (200 people, 90%) and B (30 people, 80%) imply (200×90 + 30×80) / 230
// = 20,400 / 230 = 88.695…% → 88.70%, against the province's own 95%.
TEST(Validate, WarnsWhenChildrenTargetsDoNotAddUp) {
    Scenario s = small_scenario();
    s.targets = {{2026, kA, pct("90%"), {}}, {2026, kB, pct("80%"), {}}, {2026, kP, pct("95%"), {s.data_mut().file_id("targets.csv"), 4}}};
    const auto w = validate(s);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_NE(w[0].message.en.find("88.70%"), std::string::npos) << w[0].message.en;
    EXPECT_NE(w[0].message.en.find("95.00%"), std::string::npos) << w[0].message.en;
    s.targets[2].target = *Decimal::parse("88.7%");
    EXPECT_TRUE(validate(s).empty());
}

// ---------------------------------------------------------------- warnings
// Each test below makes one change to the fixture and checks the one warning it causes:
// its key, where it points and its text in both languages (from the catalogue).

namespace {
std::vector<Warning> warnings_of(const Scenario& s) { return engine::validate(s, Executor::serial()); }
}  // namespace

TEST(ValidateWarnings, TheFixtureHasNone) { EXPECT_TRUE(warnings_of(small_scenario()).empty()); }

// A 2027 population row is used by no year of a scenario that ends in 2026: a mistyped year?
// Not in a variant that only shortens its base's 2026–2027: the row is the base's.
TEST(ValidateWarnings, RowsOfTheBasesYearsAreNotUnusedInAShorterVariant) {
    Scenario base = small_scenario();
    base.data_mut().population.push_back({2027, kA, 200, {}});
    Scenario shorter = base;
    shorter.last_year = 2026;
    const auto unused = [](const std::vector<Warning>& w) {
        return std::count_if(w.begin(), w.end(), [](const Warning& x) { return x.message.en.find("used by no year") != std::string::npos; });
    };
    EXPECT_EQ(unused(warnings_of(shorter)), 1);
    shorter.base = std::make_shared<const Scenario>(base);
    EXPECT_EQ(unused(warnings_of(shorter)), 0);
}

// aged_province only for units with province_seat = true: only P has it (A and B lack it,
// which counts as false), and P has communes under it, so no lowest-level unit matches.
TEST(ValidateWarnings, ARuleThatAppliesToNoUnit) {
    Scenario s = small_scenario();
    s.data_mut().units[kP].attributes = {{"province_seat", "true"}};
    s.rules[2].condition.equals = {{"province_seat", "true"}};
    s.rules[2].condition.where = {{"fixture.yaml", 31, 20}};
    s.rules[2].where = {"fixture.yaml", 27, 5};
    const auto w = warnings_of(s);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].key, "rules[2]");
    EXPECT_EQ(to_string(w[0].where), "fixture.yaml:27:5");
    EXPECT_EQ(w[0].message.en, "rule \"aged_province\" applies to no lowest-level unit: it costs nothing");
    EXPECT_EQ(w[0].message.vi, "quy tắc \"aged_province\" không áp dụng cho đơn vị cấp thấp nhất nào: chi phí luôn bằng 0");
}

// traf_central in force 2025-07-01 … 2025-12-31: no month of 2026–2027 has it.
TEST(ValidateWarnings, ARuleNeverInForceInTheSimulatedYears) {
    Scenario s = small_scenario();
    s.rules[3].to = Date{2025, 12, 31};
    s.rules[3].where = {"fixture.yaml", 40, 5};
    const auto w = warnings_of(s);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].key, "rules[3]");
    EXPECT_EQ(to_string(w[0].where), "fixture.yaml:40:5");
    EXPECT_EQ(w[0].message.en, "rule \"traf_central\" (from 2025-07-01 to 2025-12-31) is never in force in the "
                               "simulated years 2026–2027: it costs nothing");
    EXPECT_EQ(w[0].message.vi, "quy tắc \"traf_central\" (từ 2025-07-01 đến 2025-12-31) không có hiệu lực trong các "
                               "năm mô phỏng 2026–2027: chi phí bằng 0");
}

// From 15 March: 1 March is before it, 1 April the first first-of-month in force, so
// the rule counts from April; with no end, to December of the last simulated year.
// Ending on 14 September: in force on 1 September, so September still counts.
TEST(ValidateWarnings, ARuleStartingOnTheFifteenthStatesTheMonthsItCounts) {
    Scenario s = small_scenario();
    s.rules[1].from = Date{2026, 3, 15};
    s.rules[1].where = {"fixture.yaml", 18, 5};
    auto w = warnings_of(s);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].key, "rules[1]");
    EXPECT_EQ(to_string(w[0].where), "fixture.yaml:18:5");
    EXPECT_EQ(w[0].message.en, "rule \"np_province\" is in force from 2026-03-15 to …; a month counts when the rule "
                               "is in force on its first day, so it counts from 2026-04 to 2027-12");
    EXPECT_EQ(w[0].message.vi, "quy tắc \"np_province\" có hiệu lực từ 2026-03-15 đến …; một tháng được tính khi quy "
                               "tắc có hiệu lực vào ngày đầu tháng, nên quy tắc được tính từ tháng 2026-04 đến tháng 2027-12");
    s.rules[1].to = Date{2026, 9, 14};
    w = warnings_of(s);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].message.en, "rule \"np_province\" is in force from 2026-03-15 to 2026-09-14; a month counts when "
                               "the rule is in force on its first day, so it counts from 2026-04 to 2026-09");
}

// A base salary from 10 July: 1 July still has 2,340,000, so the new value applies from August.
// B's near-poor, central 70%, 2026: 7 months × 4.5% × 2,340,000 × 70% = 7 × 73,710 = 515,970, and
// 5 × 4.5% × 2,530,000 × 70% = 5 × 79,695 = 398,475: 20 persons × 914,445 = 18,288,900.
TEST(ValidateWarnings, ABaseSalaryStartingOnTheTenthAppliesFromTheNextMonth) {
    Scenario s = small_scenario();
    s.parameters.base_salary.entries[1].from = Date{2026, 7, 10};
    s.parameters.base_salary.entries[1].where = {"fixture.yaml", 9, 7};
    const auto w = warnings_of(s);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].key, "parameters.base_salary");
    EXPECT_EQ(to_string(w[0].where), "fixture.yaml:9:7");
    EXPECT_EQ(w[0].message.en, "the value is in force from 2026-07-10; a month uses the value in force on its first "
                               "day, so this one applies from 2026-08");
    EXPECT_EQ(w[0].message.vi, "giá trị có hiệu lực từ 2026-07-10; một tháng dùng giá trị có hiệu lực vào ngày đầu "
                               "tháng, nên giá trị này được áp dụng từ tháng 2026-08");
    const Results r = simulate(s);
    Dong b_central = 0;
    int lines = 0;
    for (const auto& l : r.lines)
        if (l.year == 2026 && l.unit == kB && l.rule == 0) {
            b_central += l.cost;
            ++lines;
        }
    ASSERT_GT(lines, 0);
    EXPECT_EQ(b_central, 18288900);
}

// B loses its population row: its coverage cannot be computed. The warning names the
// population table (its header line; it named the top of the scenario) and the unit's code.
TEST(ValidateWarnings, ALeafUnitWithNoPopulationRow) {
    Scenario s = small_scenario();
    ScenarioData& data = s.data_mut();
    data.files.push_back("population.csv");
    data.population = {{2026, kA, 200, {static_cast<std::uint32_t>(data.files.size() - 1), 2}}};
    const auto w = warnings_of(s);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].key, "population");
    EXPECT_EQ(w[0].where.file, "population.csv");
    EXPECT_EQ(w[0].where.line, 1);
    EXPECT_EQ(w[0].message.en, "1 lowest-level units have no population row (their coverage cannot be computed): B");
    EXPECT_EQ(w[0].message.vi, "1 đơn vị cấp thấp nhất không có dòng dân số (không tính được tỷ lệ bao phủ của các "
                               "đơn vị này): B");
}

// P's own 200 is below A's 200 + B's 30 = 230 (and still above the 161.67 persons its
// communes insure, so no coverage error).
TEST(ValidateWarnings, AParentPopulationBelowItsChildren) {
    Scenario s = small_scenario();
    const std::uint32_t file = s.data_mut().file_id("population.csv");
    s.data_mut().population.push_back({2026, kP, 200, {file, 4}});
    const auto w = warnings_of(s);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].key, "population");
    EXPECT_EQ(to_string(w[0].where), "population.csv:4");
    EXPECT_EQ(w[0].message.en, "2026 P (Province): its population (200) is below the sum of its sub-units' (230)");
    EXPECT_EQ(w[0].message.vi, "năm 2026, P (Province): dân số của đơn vị (200) nhỏ hơn tổng dân số các đơn vị cấp "
                               "dưới (230)");
}

// Rows for 2025 and 2030 lie outside 2026–2027; the warning counts both and points at the first.
TEST(ValidateWarnings, TargetRowsOutsideTheSimulatedYears) {
    Scenario s = small_scenario();
    const std::uint32_t file = s.data_mut().file_id("targets.csv");
    s.targets = {{2025, kA, pct("95%"), {file, 2}}, {2026, kA, pct("95%"), {file, 3}}, {2030, kB, pct("90%"), {file, 4}}};
    const auto w = warnings_of(s);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].key, "year");
    EXPECT_EQ(to_string(w[0].where), "targets.csv:2");
    EXPECT_EQ(w[0].message.en, "2 target rows are for years outside the simulated 2026–2027 and are not used");
    EXPECT_EQ(w[0].message.vi, "2 dòng chỉ tiêu thuộc các năm ngoài giai đoạn mô phỏng 2026–2027 và không được dùng");
}

// No commune is poor (A says false, B has no attribute, which counts as false): a rule for
// poor communes is a warning, not an error; it is not warned about twice. A value that is
// not a boolean and no unit has ("yes") is an error.
TEST(ValidateWarnings, AWhenValueTrueThatNoUnitHasIsAWarning) {
    Scenario s = small_scenario();
    s.rules[0].condition.equals = {{"poor_commune", "true"}};
    s.rules[0].condition.where = {{"fixture.yaml", 14, 29}};
    EXPECT_EQ(error_of(s), "");
    const auto w = warnings_of(s);
    ASSERT_EQ(w.size(), 2u);
    // First: B has no value (AUnitWithoutAValueAConditionReadsIsAWarning).
    EXPECT_EQ(w[0].key, "rules[0].when.poor_commune");
    EXPECT_NE(w[0].message.en.find("1 lowest-level units have no value for poor_commune"), std::string::npos);
    EXPECT_EQ(w[1].key, "rules[0].when.poor_commune");
    EXPECT_EQ(to_string(w[1].where), "fixture.yaml:14:29");
    EXPECT_EQ(w[1].message.en, "rule \"np_central\" applies to no unit: no unit has poor_commune = true");
    EXPECT_EQ(w[1].message.vi, "quy tắc \"np_central\" không áp dụng cho đơn vị nào: không đơn vị nào có poor_commune = true");

    s.rules[0].condition.equals = {{"poor_commune", "yes"}};
    EXPECT_EQ(error_of(s), "fixture.yaml:14:29: rules[0].when.poor_commune: no unit has the value \"yes\" for the "
                           "attribute \"poor_commune\" (the units have: false)");
}

// An enrolment share for province P applies to its communes A and B. Near-poor, central 70%,
// 2026: 6 × 73,710 + 6 × 79,695 = 920,430 per person; 2027: 12 × 79,695 = 956,340.
// B: 90% × 20 = 18 persons → 16,567,740 (2026), 17,214,120 (2027).
// A: 90% × 100 = 90 persons (near-poor keeps the 10 it shares with aged 70–74) → 82,838,700.
// Aged 70–74 in A keeps the 100% default: 40 × (6 × 105,300 + 6 × 113,850) = 52,596,000.
TEST(Validate, AnEnrolmentShareForAParentAppliesToItsCommunes) {
    Scenario s = small_scenario();
    s.enrolment = {{kNearPoor, kP, {2026, 1, 1}, pct("90%"), {}, {}}};
    EXPECT_EQ(error_of(s), "");
    const Results r = simulate(s);
    std::map<std::tuple<int, int, int>, Dong> cost;  // (year, unit, rule)
    for (const auto& l : r.lines) cost[{l.year, l.unit, l.rule}] += l.cost;
    EXPECT_EQ((cost[{2026, kB, 0}]), 16567740);
    EXPECT_EQ((cost[{2027, kB, 0}]), 17214120);
    EXPECT_EQ((cost[{2026, kA, 0}]), 82838700);
    EXPECT_EQ((cost[{2026, kA, 2}]), 52596000);
}

// The coverage-over-population message writes persons and the coverage in each
// language's number style, rounded half-up (141.6667% shows as 141.67%). A 2026: 100 near-poor + 40 aged 70–74 + 2 trafficking victims × 10 months
// = 1,700 person-months / 12 = 141.6667 persons against a population of 100.
TEST(Validate, CoverageOverPopulationWritesNumbersInEachLanguagesStyle) {
    Scenario s = small_scenario();
    s.data_mut().population = {{2026, kA, 100, {}}, {2026, kB, 1000, {}}};  // P = 1,100 ≥ 161.67
    try {
        engine::validate(s, Executor::serial());
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(e.key(), "population");
        EXPECT_EQ(e.message().en, "enrolled persons 141.67 exceed the population 100 of unit A (Commune A) in 2026 "
                                  "(coverage 141.67%); check the population and the cohorts");
        EXPECT_EQ(e.message().vi, "số người tham gia BHYT 141,67 vượt dân số 100 của đơn vị A (Commune A) năm 2026 "
                                  "(tỷ lệ bao phủ 141,67%); hãy kiểm tra dân số và số đối tượng");
    }
    // 10,000 near-poor in A: 10,000 + 40 + 1.6667 = 10,041.6667 persons against 1,000.
    s.data_mut().cohorts[0].persons = 10000;
    s.data_mut().population = {{2026, kA, 1000, {}}, {2026, kB, 20000, {}}};  // P = 21,000
    try {
        engine::validate(s, Executor::serial());
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        EXPECT_NE(e.message().en.find("enrolled persons 10,041.67 exceed the population 1,000 of unit A"),
                  std::string::npos) << e.message().en;
        EXPECT_NE(e.message().vi.find("số người tham gia BHYT 10.041,67 vượt dân số 1.000 của đơn vị A"),
                  std::string::npos) << e.message().vi;
    }
}
