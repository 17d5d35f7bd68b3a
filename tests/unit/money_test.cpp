#include <gtest/gtest.h>

#include "subsim/core/headcount.hpp"
#include "subsim/core/money.hpp"

using namespace subsim;

namespace {
Decimal pct(const char* text) { return *Decimal::parse(text); }
}  // namespace

TEST(Money, ContributionIsRateTimesBaseSalaryExactly) {
    // 4.5% × 2,340,000 = 105,300 đồng per person-month (domain.md §2)
    EXPECT_EQ(exact_product(pct("4.5%"), Decimal::whole(2340000)), Decimal::whole(105300));
    // 4.5% × 2,530,000 = 113,850
    EXPECT_EQ(exact_product(pct("4.5%"), Decimal::whole(2530000)), Decimal::whole(113850));
}

TEST(Money, SharesOfTheContributionMatchTheLegalTable) {
    const Decimal c = Decimal::whole(105300);  // 4.5% × 2,340,000
    EXPECT_EQ(round_product(c, pct("70%"), Rounding::half_up), 73710);  // 105,300 × 0.7
    EXPECT_EQ(round_product(c, pct("30%"), Rounding::half_up), 31590);
    EXPECT_EQ(round_product(c, pct("50%"), Rounding::half_up), 52650);
    // 4.5% × 1,150,000 = 51,750; × 30% = 15,525
    EXPECT_EQ(round_product(exact_product(pct("4.5%"), Decimal::whole(1150000)), pct("30%"), Rounding::half_up), 15525);
}

TEST(Money, RoundingModesDifferOnlyWhereTheyShould) {
    // 4.5% × 1,000,001 = 45,000.045; × 10% = 4,500.0045 → 4,500 half-up, 4,501 up.
    const Decimal c = exact_product(pct("4.5%"), Decimal::whole(1000001));
    EXPECT_EQ(round_product(c, pct("10%"), Rounding::half_up), 4500);
    EXPECT_EQ(round_product(c, pct("10%"), Rounding::up), 4501);
    EXPECT_EQ(round_product(c, pct("10%"), Rounding::down), 4500);
    // 2.5 → 3 half-up, 2 half-even; 3.5 → 4 both.
    EXPECT_EQ(round_to_dong(*Decimal::parse("2.5"), Rounding::half_up), 3);
    EXPECT_EQ(round_to_dong(*Decimal::parse("2.5"), Rounding::half_even), 2);
    EXPECT_EQ(round_to_dong(*Decimal::parse("3.5"), Rounding::half_even), 4);
    EXPECT_EQ(round_to_dong(*Decimal::parse("2.4999"), Rounding::half_up), 2);
}

TEST(Money, LineCostRoundsOncePerLine) {
    // 950.95 enrolled persons (95% of 1,001) × 31,590 đồng = 30,040,510.5 → 30,040,511 half-up
    const Headcount enrolled = apply_share(headcount_of_persons(1001), pct("95%"));
    EXPECT_EQ(enrolled, 9509500);  // 950.95 × 10,000
    EXPECT_EQ(line_cost(enrolled, 31590, Rounding::half_up), 30040511);
    EXPECT_EQ(line_cost(enrolled, 31590, Rounding::half_even), 30040510);
}

TEST(Money, OverflowIsAnErrorNeverAWrap) {
    EXPECT_THROW(add_dong(INT64_MAX, 1), ArithmeticOverflow);
    EXPECT_THROW(line_cost(INT64_MAX, 1000000, Rounding::half_up), ArithmeticOverflow);
    EXPECT_THROW(headcount_from_double(1e300), ArithmeticOverflow);
}

TEST(Money, FormatsGroupedDigits) {
    EXPECT_EQ(format_grouped(1263600, '.'), "1.263.600");
    EXPECT_EQ(format_grouped(105300, ','), "105,300");
    EXPECT_EQ(format_grouped(999, '.'), "999");
    EXPECT_EQ(format_grouped(-1000, '.'), "-1.000");
    EXPECT_EQ(format_headcount(9509500, 2), "950.95");
    EXPECT_EQ(format_headcount(12340000, 4), "1234");
}
