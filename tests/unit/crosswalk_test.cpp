// Crosswalks between old and new units: exact weights, largest-remainder carrying with
// its tie-break, population-weighted rates, old-district aggregation, validation, and the
// crosswalks shipped with the scenarios. Every expected figure is worked out by hand in
// the comment beside it.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "subsim/io/crosswalk_csv.hpp"
#include "subsim/io/csv.hpp"
#include "subsim/model/crosswalk.hpp"

namespace subsim {
namespace {

Decimal pct(const char* text) { return *Decimal::parse(text); }

DatedUnit unit(std::string code, std::string name = {}) {
    DatedUnit u;
    u.code = std::move(code);
    u.name = name.empty() ? "Unit " + u.code : std::move(name);
    u.where = {"units.csv", 0, 0};
    return u;
}

/// A toy of two new units A, B and three old communes:
///   o1 (district D1) goes whole into A;
///   o2 (district D1) is split between A and B;
///   o3 (district D2) goes whole into B.
struct Toy {
    CrosswalkInput in;
    int line = 1;

    Toy() {
        in.new_units = {unit("A"), unit("B")};
        in.old_units = {unit("o1"), unit("o2"), unit("o3")};
        in.file = {"crosswalk.csv", 0, 0};
        in.columns = {1, 3, 5, 7, 0, 0};
        row("A", "o1", false, "D1");
        row("A", "o2", true, "D1");
        row("B", "o2", true, "D1");
        row("B", "o3", false, "D2");
    }
    CrosswalkRow& row(std::string new_code, std::string old_code, bool split, std::string district = "D1") {
        CrosswalkRow r;
        r.new_code = std::move(new_code);
        r.old_code = std::move(old_code);
        r.split = split;
        r.old_district = std::move(district);
        r.old_province = "P";
        r.where = {"crosswalk.csv", ++line, 0};
        in.rows.push_back(std::move(r));
        return in.rows.back();
    }
};

/// One old commune split among the new units `news` (in that order), with `weights`
/// (percentages) or equal shares when empty.
CrosswalkInput split_of_one(std::vector<std::string> news, std::vector<const char*> weights = {}) {
    CrosswalkInput in;
    for (const auto& n : news) in.new_units.push_back(unit(n));
    in.weights = weights.empty() ? CrosswalkWeights::equal : CrosswalkWeights::given;
    int line = 1;
    for (std::size_t i = 0; i < news.size(); ++i) {
        CrosswalkRow r;
        r.new_code = news[i];
        r.old_code = "X";
        r.split = news.size() > 1;
        r.old_district = "D";
        r.where = {"crosswalk.csv", ++line, 0};
        if (!weights.empty()) r.weight = pct(weights[i]);
        in.rows.push_back(r);
    }
    return in;
}

std::vector<CrosswalkProblem> problems(const CrosswalkInput& in) {
    std::vector<CrosswalkProblem> out;
    for (const auto& i : check_crosswalk(in)) out.push_back(i.problem);
    return out;
}

// ---------------------------------------------------------------- carrying counts

// 1,001 persons, split 50/50: 1,001 / 2 = 500.5 each. Both take 500; the odd person
// left over has equal remainders (½ and ½) on both sides, so it goes to the new unit
// that comes first in the new division's order.
TEST(CrosswalkCarry, TheOddPersonOfAHalvedCommuneGoesToTheFirstNewUnit) {
    const Crosswalk ab = build_crosswalk(split_of_one({"A", "B"}));
    EXPECT_EQ(ab.carry_to_new(std::vector<std::int64_t>{1001}), (std::vector<std::int64_t>{501, 500}));
    // The order of the division decides, not the codes: B first gets the odd person.
    const Crosswalk ba = build_crosswalk(split_of_one({"B", "A"}));
    EXPECT_EQ(ba.new_code(0), "B");
    EXPECT_EQ(ba.carry_to_new(std::vector<std::int64_t>{1001}), (std::vector<std::int64_t>{501, 500}));
    // Given 50% / 50% is the same split.
    const Crosswalk given = build_crosswalk(split_of_one({"A", "B"}, {"50%", "50%"}));
    EXPECT_EQ(given.carry_to_new(std::vector<std::int64_t>{1001}), (std::vector<std::int64_t>{501, 500}));
    // Equal shares are an assumption the reports must state.
    EXPECT_EQ(ab.assumed_splits(), (std::vector<int>{0}));
    EXPECT_TRUE(given.assumed_splits().empty());
    const auto w = ab.assumption_warnings();
    ASSERT_EQ(w.size(), 1u);
    EXPECT_NE(w[0].message.en.find("1/2 of the old unit"), std::string::npos) << w[0].message.en;
    EXPECT_NE(w[0].message.vi.find("giả định"), std::string::npos) << w[0].message.vi;
}

TEST(CrosswalkCarry, ThreeWaySplitsGiveTheLeftoverToTheLargestRemainders) {
    // 20% / 30% / 50% of 7 persons = 1.4, 2.1, 3.5 → 1 + 2 + 3 = 6; the one left goes to
    // the largest remainder, 0.5 (C): 1, 2, 4.
    const Crosswalk c = build_crosswalk(split_of_one({"A", "B", "C"}, {"20%", "30%", "50%"}));
    EXPECT_EQ(c.carry_to_new(std::vector<std::int64_t>{7}), (std::vector<std::int64_t>{1, 2, 4}));
    // A negative figure (a correction) splits as its magnitude: −1, −2, −4.
    EXPECT_EQ(c.carry_to_new(std::vector<std::int64_t>{-7}), (std::vector<std::int64_t>{-1, -2, -4}));
    // 35% / 35% / 30% of 10 = 3.5, 3.5, 3 → 9; the remainders 0.5 and 0.5 tie: A first.
    const Crosswalk t = build_crosswalk(split_of_one({"A", "B", "C"}, {"35%", "35%", "30%"}));
    EXPECT_EQ(t.carry_to_new(std::vector<std::int64_t>{10}), (std::vector<std::int64_t>{4, 3, 3}));
    // Equal thirds: 11 / 3 = 3.67 each → 9, two left, all remainders equal → A and B:
    // 4, 4, 3; and 1,000 / 3 → 334, 333, 333.
    const Crosswalk e = build_crosswalk(split_of_one({"A", "B", "C"}));
    EXPECT_EQ(e.carry_to_new(std::vector<std::int64_t>{11}), (std::vector<std::int64_t>{4, 4, 3}));
    EXPECT_EQ(e.carry_to_new(std::vector<std::int64_t>{1000}), (std::vector<std::int64_t>{334, 333, 333}));
    // Exact thirds, not 333,333 ppm: 3,000,000 đồng → 1,000,000 each, nothing left over.
    EXPECT_EQ(e.old_total(0), 3);
    EXPECT_EQ(e.carry_to_new(std::vector<std::int64_t>{3'000'000}),
              (std::vector<std::int64_t>{1'000'000, 1'000'000, 1'000'000}));
}

TEST(CrosswalkCarry, OldUnitsAddUpInTheNewUnitsAndTotalsAreKept) {
    Toy toy;
    const Crosswalk c = build_crosswalk(toy.in);
    ASSERT_EQ(c.links().size(), 4u);
    // o1 = 100 → A; o2 = 1,001 → 501 A + 500 B; o3 = 50 → B.
    // A = 100 + 501 = 601, B = 500 + 50 = 550; 601 + 550 = 1,151 = 100 + 1,001 + 50.
    const std::vector<std::int64_t> persons{100, 1001, 50};
    EXPECT_EQ(c.split_old(persons), (std::vector<std::int64_t>{100, 501, 500, 50}));
    EXPECT_EQ(c.carry_to_new(persons), (std::vector<std::int64_t>{601, 550}));
}

// Headcounts carry whole persons as persons: 1,001 persons (10,010,000 units) halve into
// 501 and 500 persons. A projected 1,001.5001 persons (10,015,001 units) carries its
// 1,001 persons the same way and its 5,001 units of a person as 2,501 + 2,500 units:
// A = 5,012,501, B = 5,002,500 (sum 10,015,001).
TEST(CrosswalkCarry, HeadcountsKeepWholePersonsWhole) {
    const Crosswalk c = build_crosswalk(split_of_one({"A", "B"}));
    EXPECT_EQ(c.carry_headcount_to_new(std::vector<Headcount>{headcount_of_persons(1001)}),
              (std::vector<Headcount>{headcount_of_persons(501), headcount_of_persons(500)}));
    EXPECT_EQ(c.carry_headcount_to_new(std::vector<Headcount>{10'015'001}),
              (std::vector<Headcount>{5'012'501, 5'002'500}));
}

// Population weights: X (1,001 persons) split 600 into A and 401 into B. Its 1,001
// persons carry back exactly; 500 near-poor persons split 500 × 600 / 1,001 = 299.70 and
// 500 × 401 / 1,001 = 200.30 → 299 + 200 = 499, the one left to the larger remainder
// (0.70, A): 300 and 200. No assumption is made, either way.
TEST(CrosswalkCarry, PopulationWeightsSplitByThePersonsOfTheParts) {
    CrosswalkInput in = split_of_one({"A", "B"});
    in.weights = CrosswalkWeights::population;
    in.columns.population = 8;
    in.rows[0].population = 600;
    in.rows[1].population = 401;
    const Crosswalk c = build_crosswalk(in);
    EXPECT_EQ(c.carry_to_new(std::vector<std::int64_t>{1001}), (std::vector<std::int64_t>{600, 401}));
    EXPECT_EQ(c.carry_to_new(std::vector<std::int64_t>{500}), (std::vector<std::int64_t>{300, 200}));
    EXPECT_TRUE(c.assumed_splits().empty());
    EXPECT_FALSE(c.back_weights_assumed());
}

// ---------------------------------------------------------------- new → old, and old districts

// Budgets of the new units back to the old communes and districts (equal shares).
// A's parts: o1 (all of it) and o2 (half of it): back weights 1 : ½ = 2 : 1.
//   A = 1,000,003 đ: o1 2,000,006 / 3 = 666,668 rem 2; o2 1,000,003 / 3 = 333,334 rem 1;
//   666,668 + 333,334 = 1,000,002, the đồng left to the larger remainder (o1): 666,669.
// B's parts: o2 (half) and o3 (all): 1 : 2.
//   B = 700,001 đ: o2 700,001 / 3 = 233,333 rem 2; o3 1,400,002 / 3 = 466,667 rem 1;
//   700,000, the đồng left to o2: 233,334.
// Old communes: o1 666,669; o2 333,334 + 233,334 = 566,668; o3 466,667 (Σ 1,700,004 =
// 1,000,003 + 700,001). Districts: D1 = o1 + o2 = 1,233,337; D2 = o3 = 466,667.
TEST(CrosswalkAggregate, OldDistrictsAreTheSumOfTheirCommunes) {
    Toy toy;
    const Crosswalk c = build_crosswalk(toy.in);
    const std::vector<std::int64_t> budget{1'000'003, 700'001};
    const auto communes = c.aggregate_to_old(budget);
    EXPECT_EQ(communes, (std::vector<std::int64_t>{666'669, 566'668, 466'667}));
    const UnitGroups& districts = c.old_districts();
    ASSERT_EQ(districts.size(), 2u);
    EXPECT_EQ(districts.names, (std::vector<std::string>{"D1", "D2"}));
    EXPECT_EQ(districts.group_of, (std::vector<int>{0, 0, 1}));
    EXPECT_EQ(districts.sum(communes), (std::vector<std::int64_t>{1'233'337, 466'667}));
    EXPECT_EQ(c.old_provinces().sum(communes), (std::vector<std::int64_t>{1'700'004}));
    EXPECT_TRUE(c.back_weights_assumed());
}

// With the old communes' populations known (o1 100, o2 1,001, o3 50), the parts hold
// 100, 501 | 500, 50 persons. B's 550,000 đ then splits 500 : 50 → 500,000 to o2 and
// 50,000 to o3; A's 601,000 đ splits 100 : 501 → 100,000 and 501,000.
TEST(CrosswalkAggregate, PartPopulationsWeighTheWayBack) {
    Toy toy;
    const Crosswalk c = build_crosswalk(toy.in);
    const auto parts = c.split_old(std::vector<std::int64_t>{100, 1001, 50});
    EXPECT_EQ(c.aggregate_to_old(std::vector<std::int64_t>{601'000, 550'000}, parts),
              (std::vector<std::int64_t>{100'000, 501'000 + 500'000, 50'000}));
}

// A district's cards (1,000) spread over its communes by population: D1 = o1 (100
// persons) + o2 (1,001): 1,000 × 100 / 1,101 = 90.83 → 90, 1,000 × 1,001 / 1,101 = 909.17
// → 909; 999, one left to the larger remainder (0.83, o1): 91 and 909. D2's 40 go to o3.
TEST(CrosswalkAggregate, DistrictFiguresSpreadOverTheirCommunesByPopulation) {
    Toy toy;
    const Crosswalk c = build_crosswalk(toy.in);
    const auto spread = c.old_districts().spread(std::vector<std::int64_t>{1000, 40}, std::vector<std::int64_t>{100, 1001, 50});
    EXPECT_EQ(spread, (std::vector<std::int64_t>{91, 909, 40}));
}

// ---------------------------------------------------------------- rates

// Targets carried by population-weighted means. A's parts: o1 with 100 persons at 90%
// and half of o2 with 501 persons at 95%: (100 × 0.90 + 501 × 0.95) / 601 = 565.95 / 601
// = 0.941680… → 94.17%. B's parts: half of o2 (500 persons, 95%) and o3 (50 persons, no
// target): 95% over the 500 persons that have one.
TEST(CrosswalkRates, RatesAreCarriedByPopulationWeightedMeans) {
    Toy toy;
    const Crosswalk c = build_crosswalk(toy.in);
    const auto parts = c.split_old(std::vector<std::int64_t>{100, 1001, 50});
    const std::vector<std::optional<Decimal>> targets{pct("90%"), pct("95%"), std::nullopt};
    const auto carried = c.rates_to_new(targets, parts);
    ASSERT_EQ(carried.size(), 2u);
    ASSERT_TRUE(carried[0].rate);
    EXPECT_EQ(*carried[0].rate, pct("94.17%"));
    EXPECT_EQ(carried[0].persons, 601);
    EXPECT_EQ(carried[0].persons_with_rate, 601);
    ASSERT_TRUE(carried[1].rate);
    EXPECT_EQ(*carried[1].rate, pct("95%"));
    EXPECT_EQ(carried[1].persons, 550);
    EXPECT_EQ(carried[1].persons_with_rate, 500);
    // District targets reach the communes first: D1 96.5%, D2 92.1% → o1, o2 96.5%, o3 92.1%;
    // then A = 96.5% and B = (500 × 0.965 + 50 × 0.921) / 550 = (482.5 + 46.05) / 550
    // = 528.55 / 550 = 0.961 → 96.10%.
    const auto from_districts = c.rates_to_new(c.old_districts().inherit(std::vector<std::optional<Decimal>>{pct("96.5%"), pct("92.1%")}), parts);
    EXPECT_EQ(*from_districts[0].rate, pct("96.5%"));
    EXPECT_EQ(*from_districts[1].rate, pct("96.1%"));
    // And back: coverage of A 94% and B 98% to the old communes, by the same parts:
    // o2 = (501 × 0.94 + 500 × 0.98) / 1,001 = (470.94 + 490) / 1,001 = 0.959980… → 96.00%.
    const auto back = c.rates_to_old(std::vector<std::optional<Decimal>>{pct("94%"), pct("98%")}, parts);
    EXPECT_EQ(*back[0].rate, pct("94%"));
    EXPECT_EQ(*back[1].rate, pct("96%"));
    EXPECT_EQ(back[1].persons, 1001);
    EXPECT_EQ(*back[2].rate, pct("98%"));
}

// The mean of 90.00% and 90.01% over one person each is 90.005%, exactly half-way at
// hundredths of a percent: half-up 90.01%, half-even 90.00%, down 90.00%.
TEST(CrosswalkRates, TheStatedRoundingDecidesHalfWayMeans) {
    const Crosswalk c = build_crosswalk(split_of_one({"A"}));
    CrosswalkInput in;
    in.new_units = {unit("A")};
    for (const char* old : {"x", "y"}) {
        CrosswalkRow r;
        r.new_code = "A";
        r.old_code = old;
        r.where = {"crosswalk.csv", 2, 0};
        in.rows.push_back(r);
    }
    const Crosswalk two = build_crosswalk(in);
    const std::vector<std::optional<Decimal>> rates{pct("90%"), pct("90.01%")};
    const std::vector<std::int64_t> one_each{1, 1};
    EXPECT_EQ(*two.rates_to_new(rates, one_each, {4, Rounding::half_up})[0].rate, pct("90.01%"));
    EXPECT_EQ(*two.rates_to_new(rates, one_each, {4, Rounding::half_even})[0].rate, pct("90%"));
    EXPECT_EQ(*two.rates_to_new(rates, one_each, {4, Rounding::down})[0].rate, pct("90%"));
    EXPECT_EQ(*two.rates_to_new(rates, one_each, {6, Rounding::half_up})[0].rate, pct("90.005%"));
    // A unit whose parts have no persons has no carried rate.
    EXPECT_FALSE(c.rates_to_new(std::vector<std::optional<Decimal>>{pct("90%")}, std::vector<std::int64_t>{0})[0].rate);
}

// ---------------------------------------------------------------- validation

TEST(CrosswalkCheck, TheToyIsValid) {
    Toy toy;
    EXPECT_TRUE(check_crosswalk(toy.in).empty());
}

TEST(CrosswalkCheck, ARowNamingAUnitInNeitherDivision) {
    Toy toy;
    toy.row("Z", "o1", false);   // new code Z is not a new unit
    toy.row("B", "o9", false);   // o9 is not an old unit
    const auto issues = check_crosswalk(toy.in);
    ASSERT_GE(issues.size(), 2u);
    EXPECT_EQ(issues[0].problem, CrosswalkProblem::unknown_unit);
    EXPECT_EQ(issues[0].key, "new_code");
    EXPECT_EQ(to_string(issues[0].where), "crosswalk.csv:6:1");
    EXPECT_NE(issues[0].message.en.find("\"Z\" is not a unit of the new division"), std::string::npos)
        << issues[0].message.en;
    EXPECT_EQ(issues[1].problem, CrosswalkProblem::unknown_unit);
    EXPECT_EQ(issues[1].key, "old_code");
    EXPECT_EQ(to_string(issues[1].where), "crosswalk.csv:7:3");
    // build_crosswalk refuses with the first reason, as the loader reports it.
    try {
        build_crosswalk(toy.in);
        FAIL() << "expected a ScenarioError";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(e.to_string(Lang::en), "crosswalk.csv:6:1: new_code: code \"Z\" is not a unit of the new division");
        EXPECT_NE(e.to_string(Lang::vi).find("không phải là đơn vị nào của các đơn vị hành chính mới"),
                  std::string::npos);
    }
}

// 60% + 30% = 90%: a tenth of the commune would be lost.
TEST(CrosswalkCheck, SplitWeightsMustAddUpToExactlyOneHundredPercent) {
    CrosswalkInput in = split_of_one({"A", "B"}, {"60%", "30%"});
    in.columns.weight = 8;
    auto issues = check_crosswalk(in);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].problem, CrosswalkProblem::weights_not_100);
    EXPECT_EQ(issues[0].key, "weight");
    EXPECT_EQ(to_string(issues[0].where), "crosswalk.csv:2:8");
    EXPECT_NE(issues[0].message.en.find("add up to 90%, not 100%"), std::string::npos) << issues[0].message.en;
    EXPECT_NE(issues[0].message.vi.find("cộng lại là 90%"), std::string::npos) << issues[0].message.vi;
    // 33.3333% × 3 = 99.9999% is not 100% either: thirds are written as equal shares.
    EXPECT_EQ(problems(split_of_one({"A", "B", "C"}, {"33.3333%", "33.3333%", "33.3333%"})),
              (std::vector<CrosswalkProblem>{CrosswalkProblem::weights_not_100}));
    // 33.3333% + 33.3333% + 33.3334% is.
    EXPECT_TRUE(problems(split_of_one({"A", "B", "C"}, {"33.3333%", "33.3333%", "33.3334%"})).empty());
    // A missing weight and one out of range.
    CrosswalkInput missing = split_of_one({"A", "B"}, {"60%", "40%"});
    missing.rows[1].weight.reset();
    EXPECT_EQ(problems(missing), (std::vector<CrosswalkProblem>{CrosswalkProblem::weight_missing}));
    EXPECT_EQ(problems(split_of_one({"A", "B"}, {"120%", "-20%"})),
              (std::vector<CrosswalkProblem>{CrosswalkProblem::weight_out_of_range,
                                             CrosswalkProblem::weight_out_of_range}));
}

TEST(CrosswalkCheck, AnOldUnitCarriedNowhereAndANewUnitFedByNothing) {
    Toy toy;
    toy.in.old_units.push_back(unit("o4", "Xã Bốn"));
    toy.in.old_units.back().where = {"old-units.csv", 5, 1};
    toy.in.new_units.push_back(unit("C", "Phường Ba"));
    const auto issues = check_crosswalk(toy.in);
    ASSERT_EQ(issues.size(), 2u);
    EXPECT_EQ(issues[0].problem, CrosswalkProblem::old_unit_carried_nowhere);
    EXPECT_EQ(to_string(issues[0].where), "old-units.csv:5:1");
    EXPECT_NE(issues[0].message.en.find("old unit \"o4\" (Xã Bốn) goes into no new unit: its persons would be lost"),
              std::string::npos)
        << issues[0].message.en;
    EXPECT_EQ(issues[1].problem, CrosswalkProblem::new_unit_fed_by_nothing);
    EXPECT_NE(issues[1].message.en.find("new unit \"C\" (Phường Ba) is formed from no old unit"), std::string::npos)
        << issues[1].message.en;
}

TEST(CrosswalkCheck, RowsThatContradictEachOther) {
    {
        Toy toy;  // o1 is marked whole but also goes into B
        toy.row("B", "o1", false);
        EXPECT_EQ(problems(toy.in), (std::vector<CrosswalkProblem>{CrosswalkProblem::whole_but_split,
                                                                   CrosswalkProblem::whole_but_split}));
    }
    {
        Toy toy;  // o3 is marked part but goes into B only
        toy.in.rows[3].split = true;
        EXPECT_EQ(problems(toy.in), (std::vector<CrosswalkProblem>{CrosswalkProblem::part_but_single}));
    }
    {
        Toy toy;  // the same pair twice
        toy.row("B", "o3", false, "D2");
        const auto issues = check_crosswalk(toy.in);
        ASSERT_EQ(issues.size(), 1u);
        EXPECT_EQ(issues[0].problem, CrosswalkProblem::duplicate_row);
        EXPECT_NE(issues[0].message.en.find("at line 5"), std::string::npos) << issues[0].message.en;
    }
    {
        Toy toy;  // o2 in two districts
        toy.in.rows[2].old_district = "D2";
        EXPECT_EQ(problems(toy.in), (std::vector<CrosswalkProblem>{CrosswalkProblem::two_districts}));
    }
    {
        Toy toy;  // a population column the equal rule does not read
        toy.in.columns.population = 8;
        EXPECT_EQ(problems(toy.in), (std::vector<CrosswalkProblem>{CrosswalkProblem::weight_unused}));
    }
    {
        Toy toy;  // population weights need every part's persons, and some persons
        toy.in.weights = CrosswalkWeights::population;
        for (auto& r : toy.in.rows) r.population = 10;
        toy.in.rows[1].population.reset();
        EXPECT_EQ(problems(toy.in), (std::vector<CrosswalkProblem>{CrosswalkProblem::population_missing}));
        toy.in.rows[1].population = 0;
        toy.in.rows[2].population = 0;
        EXPECT_EQ(problems(toy.in), (std::vector<CrosswalkProblem>{CrosswalkProblem::population_zero}));
    }
}

TEST(CrosswalkCheck, TheTableReaderChecksEachCell) {
    const CsvTable ok = parse_csv("cw.csv",
                                  "new_code,old_code,part,weight\n"
                                  "A,00123,part,50%\n"
                                  "B,00123,part,50%\n");
    const CrosswalkTable t = read_crosswalk_table(ok);
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0].old_code, "00123");  // codes keep their zeros
    EXPECT_TRUE(t.rows[0].split);
    EXPECT_EQ(*t.rows[1].weight, pct("50%"));
    EXPECT_EQ(t.columns.weight, 4);
    EXPECT_EQ(to_string(t.rows[1].where), "cw.csv:3");
    const auto error_of = [](const char* text) {
        try {
            read_crosswalk_table(parse_csv("cw.csv", text));
        } catch (const ScenarioError& e) {
            return e.to_string(Lang::en);
        }
        return std::string();
    };
    EXPECT_EQ(error_of("new_code,old_code,part\nA,1,half\n"),
              "cw.csv:2:3: part: \"half\" is not one of whole, part");
    EXPECT_EQ(error_of("new_code,old_code,part,weight\nA,1,part,50\n"),
              "cw.csv:2:4: weight: \"50\" is a bare number; write a percentage such as 50%");
    EXPECT_EQ(error_of("new_code,old_code,part,population\nA,1,whole,1.5\n"),
              "cw.csv:2:4: population: \"1.5\" is not a whole non-negative number");
    EXPECT_NE(error_of("new_code,old_code,part,share\nA,1,whole,1\n").find("cw.csv:1:4: share: unexpected column"),
              std::string::npos);
    EXPECT_NE(error_of("new_code,part\nA,whole\n").find("old_code"), std::string::npos);
}

// ---------------------------------------------------------------- validity periods

/// Thành phố Ninh Bình (369) and Huyện Hoa Lư (374) until 2024-12-31, then Thành phố Hoa
/// Lư (374) from 2025-01-01 to 2025-06-30.
std::vector<DatedUnit> hoa_lu_units() {
    std::vector<DatedUnit> units{unit("369", "Thành phố Ninh Bình"), unit("374", "Huyện Hoa Lư"),
                                 unit("374", "Thành phố Hoa Lư")};
    units[0].valid.to = Date{2024, 12, 31};
    units[1].valid.to = Date{2024, 12, 31};
    units[2].valid = {Date{2025, 1, 1}, Date{2025, 6, 30}};
    return units;
}

// Code 374 was Huyện Hoa Lư until 2024-12-31 and Thành phố Hoa Lư from 2025-01-01 (NQ
// 1318/NQ-UBTVQH15): one code, two units, periods that do not overlap.
TEST(CrosswalkValidity, OneCodeMayNameSuccessiveUnits) {
    std::vector<DatedUnit> units = hoa_lu_units();
    units[2].where = {"units.csv", 8, 1};
    EXPECT_TRUE(check_validity_periods(units).empty());
    EXPECT_EQ(find_valid_unit(units, "374", {2024, 12, 31}), 1);
    EXPECT_EQ(find_valid_unit(units, "374", {2025, 1, 1}), 2);
    EXPECT_EQ(find_valid_unit(units, "374", {2025, 7, 1}), -1);

    // The city starting on 2024-12-31 would overlap the district by one day.
    units[2].valid.from = Date{2024, 12, 31};
    auto issues = check_validity_periods(units);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].problem, CrosswalkProblem::periods_overlap);
    EXPECT_EQ(to_string(issues[0].where), "units.csv:8:1");
    EXPECT_NE(issues[0].message.en.find("\"374\" has two overlapping validity periods: … – 2024-12-31 and "
                                        "2024-12-31 – 2025-06-30"),
              std::string::npos)
        << issues[0].message.en;
    // A period that ends before it starts.
    units[2].valid = {Date{2025, 6, 30}, Date{2025, 1, 1}};
    issues = check_validity_periods(units);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].problem, CrosswalkProblem::period_reversed);
}

TEST(CrosswalkValidity, InputsKeyedOnUnitsThatAreNotValidThen) {
    std::vector<DatedUnit> units = hoa_lu_units();
    const std::vector<DatedKey> keys{{"369", {2024, 1, 1}, {"targets.csv", 4, 2}, "unit_code"},
                                     {"374", {2025, 1, 1}, {"targets.csv", 5, 2}, "unit_code"},
                                     {"369", {2025, 1, 1}, {"targets.csv", 6, 2}, "unit_code"},
                                     {"999", {2025, 1, 1}, {"targets.csv", 7, 2}, "unit_code"}};
    const auto issues = check_keys_valid(units, keys);
    ASSERT_EQ(issues.size(), 2u);
    EXPECT_EQ(issues[0].problem, CrosswalkProblem::not_valid_on_date);
    EXPECT_EQ(issues[0].error().to_string(Lang::en),
              "targets.csv:6:2: unit_code: unit \"369\" (Thành phố Ninh Bình) is not valid on 2025-01-01 "
              "(valid … – 2024-12-31)");
    EXPECT_EQ(issues[1].problem, CrosswalkProblem::unknown_unit);
}

// ---------------------------------------------------------------- shipped data

std::string source(const std::string& rel) { return std::string(SUBSIM_SOURCE_DIR) + "/" + rel; }

CsvTable read(const std::string& rel) { return read_csv_file(source(rel), rel); }

/// Units of a units.csv with validity columns (or none), optionally of one level.
std::vector<DatedUnit> units_of(const CsvTable& t, std::string_view level = {}) {
    const int code = t.require_column("code"), name = t.require_column("name"), lvl = t.require_column("level");
    const int from = t.column("valid_from"), to = t.column("valid_to");
    std::vector<DatedUnit> out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        if (!level.empty() && row[static_cast<std::size_t>(lvl)] != level) continue;
        DatedUnit u = unit(row[static_cast<std::size_t>(code)], row[static_cast<std::size_t>(name)]);
        if (from >= 0 && !row[static_cast<std::size_t>(from)].empty()) u.valid.from = Date::parse(row[static_cast<std::size_t>(from)]);
        if (to >= 0 && !row[static_cast<std::size_t>(to)].empty()) u.valid.to = Date::parse(row[static_cast<std::size_t>(to)]);
        u.where = t.where(r, 0);
        out.push_back(std::move(u));
    }
    return out;
}

// The merged Ninh Bình: 129 communes (scenarios/ninh-binh-2026/units.csv) from 398
// former communes of Hà Nam, Nam Định and Ninh Bình in 404 rows; six former communes
// were split in two (Quang Trung 13285, Hòa Mạc 13324, Tiên Nội 13354, Hoàng Đông 13357,
// Tiên Ngoại 13363, Gia Tân 14503): 392 + 2 × 6 = 404.
TEST(CrosswalkData, NinhBinh2026CrosswalkCoversEveryCommune) {
    CrosswalkInput in;
    in.new_units = units_of(read("scenarios/ninh-binh-2026/units.csv"), "commune");
    ASSERT_EQ(in.new_units.size(), 129u);
    const CrosswalkTable t = read_crosswalk_table(read("scenarios/ninh-binh-2026/crosswalk.csv"));
    in.rows = t.rows;
    in.columns = t.columns;
    const auto issues = check_crosswalk(in);
    for (const auto& i : issues) ADD_FAILURE() << i.error().to_string(Lang::en);
    const Crosswalk c = build_crosswalk(in);
    EXPECT_EQ(c.old_count(), 398u);
    EXPECT_EQ(c.links().size(), 404u);
    std::set<std::string> split;
    for (int o : c.assumed_splits()) split.insert(c.old_code(o));
    EXPECT_EQ(split, (std::set<std::string>{"13285", "13324", "13354", "13357", "13363", "14503"}));
    // 6 former districts of Hà Nam, 9 of Nam Định, 7 of Ninh Bình (as of 2025-06-30).
    EXPECT_EQ(c.old_districts().size(), 22u);
    EXPECT_EQ(c.old_provinces().names, (std::vector<std::string>{"Tỉnh Hà Nam", "Tỉnh Nam Định", "Tỉnh Ninh Bình"}));
}

// Lào Cai: 319 former communes into 99 new ones, none split. The former province's nine
// districts are the nine district units of scenarios/lao-cai-2024, by name.
TEST(CrosswalkData, LaoCaiCrosswalkMatchesTheScenarioDistricts) {
    const CrosswalkTable t = read_crosswalk_table(read("scenarios/lao-cai-2024/crosswalk.csv"));
    CrosswalkInput in;
    std::set<std::string> seen;
    for (const auto& r : t.rows)
        if (seen.insert(r.new_code).second) in.new_units.push_back(unit(r.new_code, r.new_name));
    in.rows = t.rows;
    in.columns = t.columns;
    const Crosswalk c = build_crosswalk(in);
    EXPECT_EQ(c.new_count(), 99u);
    EXPECT_EQ(c.old_count(), 319u);
    EXPECT_TRUE(c.assumed_splits().empty());
    std::set<std::string> lao_cai_districts;
    const UnitGroups& d = c.old_districts();
    for (std::size_t g = 0; g < d.size(); ++g)
        if (d.parents[g] == "Tỉnh Lào Cai") lao_cai_districts.insert(d.names[g]);
    std::set<std::string> scenario_districts;
    for (const auto& u : units_of(read("scenarios/lao-cai-2024/units.csv"), "district")) scenario_districts.insert(u.name);
    EXPECT_EQ(scenario_districts.size(), 9u);
    EXPECT_EQ(lao_cai_districts, scenario_districts);
}

// The former Ninh Bình province for the 2022–2025 plan: validity periods, targets keyed on
// units valid on 1 January of their year, and the illustrative population of the old
// communes = the official 2025 population of the new communes carried back.
//   Phường Nam Hoa Lư (14359, 53,514 persons) = five whole former communes:
//   53,514 / 5 = 10,702.8 → 10,702 × 5 = 53,510, four left, equal remainders → the four
//   lowest codes: 14356, 14359, 14551, 14554 = 10,703; 14557 = 10,702.
//   Gia Tân (14503) was halved: Xã Gia Vân (25,920) = 14479 + 14488 + ½ 14503, weights
//   2 : 2 : 1 → 10,368, 10,368, 5,184; Phường Tây Hoa Lư (46,648) = 14437 + ½ 14503 +
//   14521 + 14530 + 14533 + 14542, weights 2 : 1 : 2 : 2 : 2 : 2 (total 11):
//   93,296 / 11 = 8,481 rem 5, 46,648 / 11 = 4,240 rem 8; 5 × 8,481 + 4,240 = 46,645,
//   three left: 14503 (rem 8) → 4,241, then 14437 and 14521 (rem 5, lowest codes) → 8,482.
//   Gia Tân = 5,184 + 4,241 = 9,425.
TEST(CrosswalkData, NinhBinh2022To2025) {
    const std::string dir = "scenarios/ninh-binh-2022-2025/";
    const std::vector<DatedUnit> all = units_of(read(dir + "units.csv"));
    for (const auto& i : check_validity_periods(all)) ADD_FAILURE() << i.error().to_string(Lang::en);

    // Targets: year Y keyed on the unit valid on Y-01-01.
    const CsvTable targets = read(dir + "targets.csv");
    std::vector<DatedKey> keys;
    for (std::size_t r = 0; r < targets.rows.size(); ++r)
        keys.push_back({targets.rows[r][1], {std::stoi(targets.rows[r][0]), 1, 1}, targets.where(r, 1), "unit_code"});
    ASSERT_EQ(keys.size(), 35u);  // 9 units × 3 years + 8 in 2025 (Ninh Bình city and Hoa Lư as one)
    for (const auto& i : check_keys_valid(all, keys)) ADD_FAILURE() << i.error().to_string(Lang::en);
    keys.push_back({"369", {2025, 1, 1}, {"targets.csv", 99, 2}, "unit_code"});
    EXPECT_EQ(check_keys_valid(all, keys).size(), 1u);

    // The old division: communes valid on 2025-06-30; the new: the 39 communes they formed.
    CrosswalkInput in;
    for (const auto& u : all)
        if (u.valid.contains({2025, 6, 30}) && u.code.size() == 5) in.old_units.push_back(u);
    EXPECT_EQ(in.old_units.size(), 125u);
    const CsvTable pop2025 = read(dir + "population-2025.csv");
    std::vector<std::int64_t> new_population;
    for (std::size_t r = 0; r < pop2025.rows.size(); ++r) {
        in.new_units.push_back(unit(pop2025.rows[r][0], pop2025.rows[r][1]));
        new_population.push_back(std::stoll(pop2025.rows[r][2]));
    }
    EXPECT_EQ(in.new_units.size(), 39u);
    const CrosswalkTable t = read_crosswalk_table(read(dir + "crosswalk.csv"));
    in.rows = t.rows;
    in.columns = t.columns;
    for (const auto& i : check_crosswalk(in)) ADD_FAILURE() << i.error().to_string(Lang::en);
    const Crosswalk c = build_crosswalk(in);
    const auto old_population = c.aggregate_to_old(new_population);

    std::map<std::string, std::int64_t> by_code;
    for (std::size_t o = 0; o < c.old_count(); ++o) by_code[c.old_code(static_cast<int>(o))] = old_population[o];
    EXPECT_EQ(by_code["14356"], 10'703);
    EXPECT_EQ(by_code["14554"], 10'703);
    EXPECT_EQ(by_code["14557"], 10'702);
    EXPECT_EQ(by_code["14479"], 10'368);
    EXPECT_EQ(by_code["14437"], 8'482);
    EXPECT_EQ(by_code["14530"], 8'481);
    EXPECT_EQ(by_code["14503"], 9'425);

    // population.csv holds the same figure for every year 2022–2025.
    const CsvTable shipped = read(dir + "population.csv");
    std::size_t rows = 0;
    for (const auto& row : shipped.rows) {
        ++rows;
        EXPECT_EQ(std::stoll(row[2]), by_code.at(row[1])) << row[0] << " " << row[1];
    }
    EXPECT_EQ(rows, 4u * 125u);
}

}  // namespace
}  // namespace subsim
