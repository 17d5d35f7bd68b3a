#include <gtest/gtest.h>

#include "scenario_fixture.hpp"
#include "subsim/population/projection.hpp"

using namespace subsim;
using namespace subsim::testing;

TEST(Projection, GivenYearsAreExactAndLaterYearsCarryForward) {
    const Scenario s = small_scenario();
    const CohortTable t = project_cohorts(s);
    EXPECT_EQ(t.at(2026, kA, kNearPoor), headcount_of_persons(100));
    EXPECT_EQ(t.at(2027, kA, kNearPoor), headcount_of_persons(100));  // growth 0 by default
    EXPECT_EQ(t.at(2027, kB, kAged), 0);                               // never given
}

TEST(Projection, GrowthRatesCompoundFromTheLastGivenYear) {
    Scenario s = small_scenario();
    s.last_year = 2028;
    s.growth = {{kNearPoor, {2027, 1, 1}, pct("10%"), {}, {}}, {kNearPoor, {2028, 1, 1}, pct("-50%"), {}, {}}};
    const CohortTable t = project_cohorts(s);
    EXPECT_EQ(t.at(2027, kA, kNearPoor), headcount_of_persons(110));  // 100 × 1.1
    EXPECT_EQ(t.at(2028, kA, kNearPoor), headcount_of_persons(55));   // 110 × 0.5
    EXPECT_EQ(t.at(2027, kA, kAged), headcount_of_persons(50));       // other groups unchanged
}

TEST(Projection, RowsBeforeTheFirstYearSeedTheProjection) {
    Scenario s = small_scenario();
    s.data_mut().cohorts = {{2023, kA, kNearPoor, 1000, {}}};
    s.growth = {{kNearPoor, {2020, 1, 1}, pct("1%"), {}, {}}};
    const CohortTable t = project_cohorts(s);
    // 1000 × 1.01^3 = 1030.301
    EXPECT_EQ(t.at(2026, kA, kNearPoor), 10303010);
}

TEST(Projection, PopulationCarriesForwardAndParentsSumChildren) {
    const Scenario s = small_scenario();
    const auto pop = project_population(s);
    EXPECT_EQ(pop[1][kA], 200);  // 2027 carried from 2026
    EXPECT_EQ(pop[0][kP], 230);
}
