#include <gtest/gtest.h>

#include "scenario_fixture.hpp"
#include "subsim/engine.hpp"
#include "subsim/model/validate.hpp"

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
