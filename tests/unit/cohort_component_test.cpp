// Cohort-component projection and age windows: figures worked out by hand in each test.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <stdexcept>
#include <vector>

#include "subsim/population/cohort_component.hpp"

using namespace subsim::dynamics;

namespace {

/// One unit, one combined sex, every age 0 except those set; q = `q_all` at every age.
ProjectionInput toy(int years, double q_all = 0.0) {
    ProjectionInput in;
    in.base_year = 2025;
    in.years = years;
    in.units = 1;
    in.sexes = 1;
    in.base.assign(kAges, 0.0);
    LifeTable t;
    t.form = SurvivalForm::qx;
    t.values = {std::vector<double>(kAges, q_all)};
    t.a0 = 0.1;
    in.life_tables = {t};
    in.births.assign(static_cast<std::size_t>(years), 0.0);  // no births unless a test says so
    return in;
}

double& q_at(ProjectionInput& in, int age, int sex = 0) { return in.life_tables[0].values[static_cast<std::size_t>(sex)][static_cast<std::size_t>(age)]; }
double& base_at(ProjectionInput& in, int unit, int age, int sex = 0) {
    return in.base[(static_cast<std::size_t>(unit) * in.sexes + sex) * kAges + age];
}

bool has_problem(const std::vector<Problem>& ps, InputPart part, const std::string& key, int age = -2) {
    for (const Problem& p : ps)
        if (p.part == part && p.key == key && (age == -2 || p.age == age)) return true;
    return false;
}

}  // namespace

TEST(CohortComponent, ThreeAgeToyWorkedByHand) {
    ProjectionInput in = toy(1);
    base_at(in, 0, 0) = 1000;
    base_at(in, 0, 1) = 800;
    base_at(in, 0, 2) = 600;
    q_at(in, 0) = 0.1;
    q_at(in, 1) = 0.05;
    q_at(in, 2) = 0.5;
    in.life_tables[0].a0 = 0.5;
    in.births = {200};
    in.migration = {{kAllUnits, 2025, 0.10}};
    ASSERT_TRUE(check(in).empty());
    const Projection p = project(in);
    // Migration on 1 January: +10% of 1000, 800, 600 → 1100, 880, 660 (+240 persons).
    // Deaths: 1100 × 0.1 = 110; 880 × 0.05 = 44; 660 × 0.5 = 330.
    // Survivors age one year: 990 aged 1, 836 aged 2, 330 aged 3 on 1 January 2026.
    // Births 200; an infant survives with 1 − (1 − a0)·q0 = 1 − 0.5 × 0.1 = 0.95 → 190 aged 0,
    // 10 infant deaths. Deaths in all: 110 + 44 + 330 + 10 = 494.
    EXPECT_NEAR(p.persons(2026, 0, 0), 190.0, 1e-9);
    EXPECT_NEAR(p.persons(2026, 0, 1), 990.0, 1e-9);
    EXPECT_NEAR(p.persons(2026, 0, 2), 836.0, 1e-9);
    EXPECT_NEAR(p.persons(2026, 0, 3), 330.0, 1e-9);
    EXPECT_NEAR(p.persons(2026, 0, 4), 0.0, 1e-12);
    const Components& c = p.components(2025, 0);
    EXPECT_NEAR(c.start, 2400.0, 1e-9);
    EXPECT_NEAR(c.migration, 240.0, 1e-9);
    EXPECT_NEAR(c.deaths, 494.0, 1e-9);
    EXPECT_NEAR(c.births, 200.0, 1e-9);
    // 2400 + 200 + 240 − 494 = 2346 = 190 + 990 + 836 + 330.
    EXPECT_NEAR(c.end, 2346.0, 1e-9);
    EXPECT_NEAR(p.total(2026, 0), 2346.0, 1e-9);
}

TEST(CohortComponent, BirthsFromFertilityUseTheMeanFemalePopulation) {
    ProjectionInput in = toy(1);
    in.sexes = 2;
    in.base = empty_age_table(1, 2);
    for (double& v : in.base) v = 0.0;
    base_at(in, 0, 25, kMale) = 1000;
    base_at(in, 0, 25, kFemale) = 1000;
    LifeTable t;
    t.values = {std::vector<double>(kAges, 0.0), std::vector<double>(kAges, 0.0)};
    t.values[0][0] = t.values[1][0] = 0.02;
    t.a0 = 0.1;
    in.life_tables = {t};
    in.births.clear();
    Fertility f;
    f.asfr[25 - kFirstFertileAge] = 0.1;
    f.asfr[26 - kFirstFertileAge] = 0.2;
    in.fertility = {f};
    in.sex_ratio_at_birth = 1.1;
    ASSERT_TRUE(check(in).empty());
    const Projection p = project(in);
    // Women aged 25: 1000 on 1 January, 0 at the end of the year; aged 26: 0 and 1000.
    // B = 0.1 × ½(1000 + 0) + 0.2 × ½(0 + 1000) = 50 + 100 = 150.
    // Boys 150 × 1.1/2.1 = 550/7; girls 150/2.1 = 500/7. Survival to 1 January
    // 1 − (1 − 0.1) × 0.02 = 0.982: boys 540.1/7, girls 491/7.
    EXPECT_NEAR(p.components(2025, 0).births, 150.0, 1e-9);
    EXPECT_NEAR(p.persons(2026, 0, 0, kMale), 540.1 / 7.0, 1e-9);
    EXPECT_NEAR(p.persons(2026, 0, 0, kFemale), 491.0 / 7.0, 1e-9);
    EXPECT_NEAR(p.persons(2026, 0, 0), 1031.1 / 7.0, 1e-9);
    EXPECT_NEAR(p.persons(2026, 0, 26, kFemale), 1000.0, 1e-9);
    // Infant deaths 150 × 0.018 = 2.7.
    EXPECT_NEAR(p.components(2025, 0).deaths, 2.7, 1e-9);
}

TEST(CohortComponent, CombinedSexBirthsUseTheFemaleFraction) {
    ProjectionInput in = toy(1);
    base_at(in, 0, 30) = 2000;
    in.births.clear();
    Fertility f;
    f.asfr[30 - kFirstFertileAge] = 0.1;
    f.asfr[31 - kFirstFertileAge] = 0.1;
    in.fertility = {f};
    in.female_fraction = 0.5;
    ASSERT_TRUE(check(in).empty());
    const Projection p = project(in);
    // Women = 0.5 × persons: aged 30 1000 → 0, aged 31 0 → 1000.
    // B = 0.1 × ½ × 1000 + 0.1 × ½ × 1000 = 100; q = 0, so 100 aged 0 on 1 January 2026.
    EXPECT_NEAR(p.components(2025, 0).births, 100.0, 1e-9);
    EXPECT_NEAR(p.persons(2026, 0, 0), 100.0, 1e-9);
}

TEST(CohortComponent, MassBalancePerUnitAndYear) {
    ProjectionInput in;
    in.base_year = 2025;
    in.years = 10;
    in.units = 7;
    in.sexes = 2;
    in.base = empty_age_table(in.units, 2);
    for (int u = 0; u < in.units; ++u)
        for (int s = 0; s < 2; ++s)
            for (int x = 0; x < kAges; ++x)
                base_at(in, u, x, s) = (1000.0 + 37.0 * u + 11.0 * s) * std::exp(-0.03 * x) + 0.5 * (x % 7);
    LifeTable lx;
    lx.form = SurvivalForm::lx;
    for (int s = 0; s < 2; ++s) {
        std::vector<double> l(kAges + 1);
        l[0] = 100000;
        for (int x = 1; x <= kAges; ++x) l[static_cast<std::size_t>(x)] = l[static_cast<std::size_t>(x - 1)] * (1.0 - (0.001 + 0.0006 * x * (1 + s) / 2));
        lx.values.push_back(l);
    }
    in.life_tables = {lx};
    Fertility f;
    for (int a = 0; a < kFertileAges; ++a) f.asfr[static_cast<std::size_t>(a)] = 0.06;
    in.fertility = {f};
    in.sex_ratio_at_birth = 1.10;
    in.migration = {{kAllUnits, 2025, -0.004}, {kAllUnits, 2028, 0.012}, {3, 2030, -0.05}};
    ASSERT_TRUE(check(in).empty());
    const Projection p = project(in);
    int checked = 0;
    for (int y = 2025; y < 2035; ++y)
        for (int u = 0; u < in.units; ++u) {
            const Components& c = p.components(y, u);
            EXPECT_NEAR(c.start + c.births + c.migration - c.deaths, c.end, 1e-6) << y << " unit " << u;
            EXPECT_NEAR(c.end, p.total(y + 1, u), 1e-6);
            EXPECT_NEAR(c.start, p.total(y, u), 1e-6);
            EXPECT_GT(c.births, 0.0);
            ++checked;
        }
    EXPECT_EQ(checked, 70);
    // Unit 3 from 2030 has its own rate: −5% of its 1 January 2030 population.
    EXPECT_NEAR(p.components(2030, 3).migration, -0.05 * p.total(2030, 3), 1e-6);
}

TEST(CohortComponent, OpenGroupKeepsItsSurvivors) {
    ProjectionInput in = toy(2);
    base_at(in, 0, 99) = 10;
    base_at(in, 0, 100) = 20;
    q_at(in, 99) = 0.5;
    q_at(in, 100) = 0.25;
    const Projection p = project(in);
    // 2026: 100+ = 10 × (1 − 0.5) + 20 × (1 − 0.25) = 5 + 15 = 20; of them 15 were already 100+.
    EXPECT_NEAR(p.persons(2026, 0, kOpenAge), 20.0, 1e-12);
    EXPECT_NEAR(p.open_survivors(2025, 0, kCombined), 15.0, 1e-12);
    EXPECT_NEAR(p.persons(2026, 0, 99), 0.0, 1e-12);
    // 2027: nobody was 99; 20 × 0.75 = 15.
    EXPECT_NEAR(p.persons(2027, 0, kOpenAge), 15.0, 1e-12);
    // Deaths 2025: 5 + 5 = 10; 30 − 10 = 20.
    EXPECT_NEAR(p.components(2025, 0).deaths, 10.0, 1e-12);
}

TEST(CohortComponent, MigrationSignAndDatedSteps) {
    ProjectionInput in = toy(2);
    in.units = 2;
    in.base.assign(2 * kAges, 0.0);
    base_at(in, 0, 30) = 1000;
    base_at(in, 1, 30) = 1000;
    in.births.assign(4, 0.0);
    // All units +5% from 2026; unit 1 −10% from 2025 (its own step wins in 2026 too).
    in.migration = {{kAllUnits, 2026, 0.05}, {1, 2025, -0.10}};
    ASSERT_TRUE(check(in).empty());
    const Projection p = project(in);
    EXPECT_NEAR(p.components(2025, 0).migration, 0.0, 1e-12);    // no step yet
    EXPECT_NEAR(p.components(2026, 0).migration, 50.0, 1e-9);    // +5% × 1000: in-migration
    EXPECT_NEAR(p.components(2025, 1).migration, -100.0, 1e-9);  // −10% × 1000: out-migration
    EXPECT_NEAR(p.components(2026, 1).migration, -90.0, 1e-9);   // −10% × 900
    EXPECT_NEAR(p.persons(2027, 1, 32), 810.0, 1e-9);            // 1000 × 0.9 × 0.9, aged 30 → 32
    EXPECT_NEAR(p.persons(2027, 0, 32), 1050.0, 1e-9);
}

TEST(CohortComponent, LifeTableFormsConvertToDeathProbabilities) {
    LifeTable lx;
    lx.form = SurvivalForm::lx;
    std::vector<double> l(kAges + 1, 0.0);
    // l_0 = 100,000, l_1 = 90,000, l_2 = 81,000, l_3 = 0: q_0 = 0.1, q_1 = 0.1, q_2 = 1.
    l[0] = 100000;
    l[1] = 90000;
    l[2] = 81000;
    lx.values = {l};
    const auto q = death_probabilities(lx, 0);
    EXPECT_NEAR(q[0], 0.1, 1e-15);
    EXPECT_NEAR(q[1], 0.1, 1e-15);
    EXPECT_NEAR(q[2], 1.0, 1e-15);
    EXPECT_NEAR(q[50], 1.0, 1e-15);  // l_50 = 0: nobody left, q taken as 1
    LifeTable sx;
    sx.form = SurvivalForm::sx;
    sx.values = {std::vector<double>(kAges, 0.97)};
    EXPECT_NEAR(death_probabilities(sx, 0)[40], 0.03, 1e-15);  // q = 1 − s
}

// ---- age windows ---------------------------------------------------------------------------

TEST(AgeWindow, PeopleTurning70EnterInTheirBirthdayMonth) {
    ProjectionInput in = toy(1);
    base_at(in, 0, 69) = 1200;
    const Projection p = project(in);
    // 1,200 aged 69 on 1 January; by the 1st of month m, (m − 1)/12 of them have turned 70:
    // 100 × (m − 1) in [70, 75): 0, 100, ..., 1,100.
    const MonthlyPersons w = window_persons(p, 2025, 0, {70, 75});
    for (int m = 1; m <= 12; ++m) EXPECT_NEAR(w[static_cast<std::size_t>(m - 1)], 100.0 * (m - 1), 1e-9) << m;
    // Person-months: 100 × (0 + 1 + ... + 11) = 100 × 66 = 6,600.
    EXPECT_NEAR(person_months(w), 6600.0, 1e-9);
    // The rest are still 60–69: 1,200 − 100 × (m − 1); 14,400 − 6,600 = 7,800 person-months.
    EXPECT_NEAR(person_months(window_persons(p, 2025, 0, {60, 70})), 7800.0, 1e-9);
}

TEST(AgeWindow, DeathsDuringTheYearAreSpreadEvenly) {
    ProjectionInput in = toy(1);
    base_at(in, 0, 69) = 1200;
    q_at(in, 69) = 0.1;
    const Projection p = project(in);
    // The cohort goes from 1,200 to 1,080 linearly: C(m) = 1,200 − 120 f, f = (m − 1)/12, and f of
    // it is 70+: f × (1,200 − 120 f). Month 7 (f = ½): ½ × 1,140 = 570.
    const MonthlyPersons w = window_persons(p, 2025, 0, {70, 75});
    EXPECT_NEAR(w[6], 570.0, 1e-9);
    EXPECT_NEAR(w[0], 0.0, 1e-12);
    // Σ f = 66/12 = 5.5 → 6,600; Σ f² = (0 + 1 + 4 + ... + 121)/144 = 506/144;
    // person-months = 6,600 − 120 × 506/144 = 6,600 − 421.666… = 6,178.333…
    EXPECT_NEAR(person_months(w), 6600.0 - 120.0 * 506.0 / 144.0, 1e-9);
}

TEST(AgeWindow, ChildrenUnderSixCountBirthsAsTheyHappen) {
    ProjectionInput in = toy(1);
    base_at(in, 0, 5) = 600;
    in.births = {1200};
    in.life_tables[0].values[0][0] = 0.0;
    const Projection p = project(in);
    // Under 6 on the 1st of month m: the 600 aged 5 minus those who turned 6, 600 − 50(m − 1),
    // plus the births so far, 1,200 × (m − 1)/12 = 100(m − 1): 600 + 50(m − 1).
    const MonthlyPersons w = window_persons(p, 2025, 0, {0, 6});
    EXPECT_NEAR(w[0], 600.0, 1e-9);
    EXPECT_NEAR(w[11], 1150.0, 1e-9);
    // 12 × 600 + 50 × 66 = 10,500 person-months.
    EXPECT_NEAR(person_months(w), 10500.0, 1e-9);
}

TEST(AgeWindow, OpenEndedWindowIncludesThe100Plus) {
    ProjectionInput in = toy(1);
    base_at(in, 0, 74) = 100;
    base_at(in, 0, 100) = 50;
    q_at(in, 100) = 0.2;
    const Projection p = project(in);
    // Month 7 (f = ½): entering 100 × ½ = 50; the 100+ go from 50 to 40: 50 − 10 × ½ = 45.
    const MonthlyPersons w = window_persons(p, 2025, 0, {75, kOpenEnd});
    EXPECT_NEAR(w[6], 95.0, 1e-9);
    EXPECT_NEAR(w[0], 50.0, 1e-9);
    // [75, 100) leaves the 100+ out: month 7 is the 50 who turned 75.
    EXPECT_NEAR(window_persons(p, 2025, 0, {75, 100})[6], 50.0, 1e-9);
}

TEST(AgeWindow, BandedRatesForMixedGroups) {
    ProjectionInput in = toy(1);
    base_at(in, 0, 30) = 1000;
    base_at(in, 0, 59) = 1200;
    const Projection p = project(in);
    // Near-poor: 2% of ages 0–59 and 3% of 60+. Ages 0–59 on the 1st of month m: 2,200 − 100(m − 1);
    // 60+: 100(m − 1). 0.02 × (2,200 − 100(m − 1)) + 0.03 × 100(m − 1) = 44 + (m − 1).
    const std::vector<BandRate> bands{{{0, 60}, 0.02}, {{60, kOpenEnd}, 0.03}};
    ASSERT_TRUE(check_bands(bands).empty());
    const MonthlyPersons w = banded_persons(p, 2025, 0, bands);
    EXPECT_NEAR(w[0], 44.0, 1e-9);
    EXPECT_NEAR(w[11], 55.0, 1e-9);
    // 12 × 44 + 66 = 594 person-months.
    EXPECT_NEAR(person_months(w), 594.0, 1e-9);
}

TEST(AgeWindow, BandsThatOverlapOrAreEmptyAreRefused) {
    const std::vector<BandRate> overlap{{{0, 60}, 0.02}, {{50, kOpenEnd}, 0.03}};
    const auto a = check_bands(overlap);
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].item, 1);
    EXPECT_EQ(a[0].message.en, "the age window [50, 101) overlaps [0, 60) in the same group definition");
    const std::vector<BandRate> bad{{{60, 60}, 0.5}, {{70, 102}, 0.5}, {{0, 6}, 1.5}};
    const auto b = check_bands(bad);
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b[0].key, "ages");
    EXPECT_EQ(b[1].key, "ages");
    EXPECT_EQ(b[2].key, "rate");
    EXPECT_EQ(b[2].message.en, "the rate 150% of ages [0, 6) is outside 0–100%");
    EXPECT_EQ(b[2].message.vi, "tỷ lệ 150% của nhóm tuổi [0, 6) nằm ngoài khoảng 0–100%");
    // Adjacent windows share no age: [0, 60) and [60, 101) are fine.
    const std::vector<BandRate> adjacent{{{0, 60}, 0.02}, {{60, kOpenEnd}, 0.03}};
    EXPECT_TRUE(check_bands(adjacent).empty());
}

// ---- validation ------------------------------------------------------------------------------

TEST(CohortValidation, SurvivalOutsideZeroToOne) {
    ProjectionInput in = toy(1);
    q_at(in, 72) = 1.2;
    const auto ps = check(in);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].part, InputPart::life_table);
    EXPECT_EQ(ps[0].age, 72);
    EXPECT_EQ(ps[0].key, "qx");
    EXPECT_EQ(ps[0].message.en, "the qx probability at age 72 (both sexes) is 1.2, outside 0–1");
    EXPECT_EQ(ps[0].message.vi, "xác suất qx ở tuổi 72 (chung hai giới) là 1,2, nằm ngoài khoảng 0–1");
    EXPECT_THROW(project(in), std::invalid_argument);
}

TEST(CohortValidation, LxMustNotRise) {
    ProjectionInput in = toy(1);
    std::vector<double> l(kAges + 1, 500.0);
    l[0] = 1000;
    l[10] = 600;  // rises from 500 at age 9
    in.life_tables[0].form = SurvivalForm::lx;
    in.life_tables[0].values = {l};
    const auto ps = check(in);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].age, 10);
    EXPECT_EQ(ps[0].key, "lx");
}

TEST(CohortValidation, MissingAgesAreNamed) {
    ProjectionInput in = toy(1);
    in.base = empty_age_table(1, 1);
    for (int x = 0; x < kAges; ++x)
        if (x != 50) base_at(in, 0, x) = 10;
    in.life_tables[0].values[0][100] = kMissing;
    const auto ps = check(in);
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_TRUE(has_problem(ps, InputPart::population, "age", 50));
    EXPECT_TRUE(has_problem(ps, InputPart::life_table, "qx", 100));
    EXPECT_EQ(ps[0].message.en, "no figure for age 50 (both sexes)");
}

TEST(CohortValidation, FertilityAndMigrationRanges) {
    ProjectionInput in = toy(1);
    in.births.clear();
    Fertility f;
    f.asfr[30 - kFirstFertileAge] = 1.5;  // above 1 birth per woman-year
    in.fertility = {f};
    in.female_fraction = 1.0;
    in.migration = {{kAllUnits, 2025, 0.6}, {kAllUnits, 2025, -0.1}};
    const auto ps = check(in);
    EXPECT_TRUE(has_problem(ps, InputPart::fertility, "asfr", 30));
    EXPECT_TRUE(has_problem(ps, InputPart::parameter, "female_fraction"));
    EXPECT_TRUE(has_problem(ps, InputPart::migration, "rate"));  // +60% > +50%
    EXPECT_TRUE(has_problem(ps, InputPart::migration, "from"));  // two steps from 2025
    EXPECT_EQ(ps.size(), 4u);
    for (const Problem& p : ps)
        if (p.key == "rate")
            EXPECT_EQ(p.message.en, "the net migration rate of 60% from 2025 is outside −50% to +50% a year");
}

TEST(CohortValidation, SexRatioAtBirthRange) {
    ProjectionInput in = toy(1);
    in.sexes = 2;
    in.base.assign(2 * kAges, 0.0);
    in.life_tables[0].values = {std::vector<double>(kAges, 0.0), std::vector<double>(kAges, 0.0)};
    in.sex_ratio_at_birth = 1.5;
    const auto ps = check(in);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].key, "sex_ratio_at_birth");
}

TEST(CohortValidation, AgeTableAgainstStatedTotal) {
    ProjectionInput in = toy(1);
    base_at(in, 0, 40) = 10000;
    // Tolerance 0.5%: 10,050 differs by 50 = 0.4975% (allowed); 10,051 by 51 (refused).
    in.stated_total = {10050};
    EXPECT_TRUE(check(in).empty());
    in.stated_total = {10051};
    const auto ps = check(in);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].part, InputPart::stated_total);
    EXPECT_EQ(ps[0].message.en,
              "the age table adds up to 10,000 persons, but the unit's population is 10,051 (difference -51, more than the allowed 0.5%)");
    EXPECT_EQ(ps[0].message.vi,
              "tổng dân số theo độ tuổi là 10.000 người, nhưng dân số của đơn vị là 10.051 người (chênh -51, vượt mức sai lệch cho phép 0,5%)");
    // Small units: at least one person of slack.
    ProjectionInput small = toy(1);
    base_at(small, 0, 40) = 10;
    small.stated_total = {11};
    EXPECT_TRUE(check(small).empty());
}

TEST(CohortValidation, NegativePersonsAndBirths) {
    ProjectionInput in = toy(2);
    base_at(in, 0, 3) = -1;
    in.births = {10, -2};
    const auto ps = check(in);
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_TRUE(has_problem(ps, InputPart::population, "persons", 3));
    EXPECT_TRUE(has_problem(ps, InputPart::births, "births"));
    EXPECT_EQ(ps[1].year, 2026);
}

// ---- shipped data ----------------------------------------------------------------------------

namespace {

std::vector<std::vector<std::string>> read_simple_csv(const std::string& rel) {
    std::ifstream in(std::string(SUBSIM_SOURCE_DIR) + "/" + rel);
    EXPECT_TRUE(in.good()) << rel;
    std::vector<std::vector<std::string>> rows;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) cells.push_back(cell);
        rows.push_back(cells);
    }
    return rows;
}

}  // namespace

TEST(NinhBinhDemography, AgeTablesAddUpToTheOfficialCommuneTotals) {
    const std::string dir = "scenarios/ninh-binh-2026/demography/";
    const auto communes = read_simple_csv(dir + "commune-population-2025.csv");
    ASSERT_EQ(communes.size(), 129u);
    std::map<std::string, int> unit_of;
    ProjectionInput in;
    in.base_year = 2025;
    in.years = 5;
    in.units = 129;
    in.sexes = 1;
    in.base = empty_age_table(129, 1);
    double official = 0;
    for (const auto& row : communes) {
        unit_of[row[0]] = static_cast<int>(in.stated_total.size());
        in.stated_total.push_back(std::stod(row[2]));
        official += std::stod(row[2]);
    }
    // The 129 official totals add up to 4,412,264 (merger scheme figure).
    EXPECT_EQ(official, 4'412'264.0);
    const auto ages = read_simple_csv(dir + "ages-2025.csv");
    ASSERT_EQ(ages.size(), 129u * 101u);
    std::vector<long long> sum(129, 0);
    for (const auto& row : ages) {
        const int u = unit_of.at(row[0]);
        base_at(in, u, std::stoi(row[1])) = std::stod(row[2]);
        sum[static_cast<std::size_t>(u)] += std::stoll(row[2]);
    }
    for (int u = 0; u < 129; ++u) EXPECT_EQ(static_cast<double>(sum[static_cast<std::size_t>(u)]), in.stated_total[static_cast<std::size_t>(u)]);
    LifeTable t;
    t.values = {std::vector<double>(kAges, kMissing)};
    t.a0 = 0.09;
    int both_rows = 0;
    for (const auto& row : read_simple_csv(dir + "life-table.csv"))
        if (row[0] == "both") {
            t.values[0][static_cast<std::size_t>(std::stoi(row[1]))] = std::stod(row[2]);
            ++both_rows;
        }
    EXPECT_EQ(both_rows, 101);
    in.life_tables = {t};
    Fertility f;
    const auto fert = read_simple_csv(dir + "fertility.csv");
    ASSERT_EQ(fert.size(), static_cast<std::size_t>(kFertileAges));
    for (const auto& row : fert) f.asfr[static_cast<std::size_t>(std::stoi(row[0]) - kFirstFertileAge)] = std::stod(row[1]);
    in.fertility = {f};
    in.female_fraction = 0.4941;
    in.migration = {{kAllUnits, 2025, -0.0005}};
    const auto problems = check(in);
    EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front().message.en);
    const Projection p = project(in);
    int checked = 0;
    for (int y = 2025; y < 2030; ++y)
        for (int u = 0; u < 129; ++u, ++checked) {
            const Components& c = p.components(y, u);
            EXPECT_NEAR(c.start + c.births + c.migration - c.deaths, c.end, 1e-6);
        }
    EXPECT_EQ(checked, 645);
}
