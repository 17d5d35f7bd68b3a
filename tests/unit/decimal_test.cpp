#include <gtest/gtest.h>

#include "subsim/core/decimal.hpp"

using subsim::Decimal;

TEST(Decimal, ParsesPercentagesExactly) {
    const auto rate = Decimal::parse("4.5%");
    ASSERT_TRUE(rate);
    EXPECT_EQ(rate->units, 45);  // 4.5% = 0.045 = 45 / 10^3
    EXPECT_EQ(rate->scale, 3);
    EXPECT_EQ(*Decimal::parse("70%"), Decimal::percent(70));
    EXPECT_EQ(*Decimal::parse("70.000%"), Decimal::percent(70));
    EXPECT_EQ(*Decimal::parse("0.7"), Decimal::percent(70));
    EXPECT_EQ(*Decimal::parse("100%"), Decimal::one());
    EXPECT_EQ(Decimal::parse("-5%")->units, -5);
}

TEST(Decimal, RejectsWhatIsNotANumber) {
    using E = Decimal::ParseError;
    E why{};
    EXPECT_FALSE(Decimal::parse("abc", &why));
    EXPECT_EQ(why, E::not_number);
    EXPECT_FALSE(Decimal::parse("1.2.3"));
    EXPECT_FALSE(Decimal::parse("%"));
    EXPECT_FALSE(Decimal::parse(""));
    EXPECT_FALSE(Decimal::parse("1e5"));
    EXPECT_FALSE(Decimal::parse("99999999999999999999999", &why));
    EXPECT_EQ(why, E::too_large);
    EXPECT_FALSE(Decimal::parse("0.0000000000001%", &why));  // 15 decimal places
    EXPECT_EQ(why, E::too_many_places);
    // 31 decimal places + 2 for the percent: its digits overflow too, but the reason to
    // give is the places, not the size (4.5% is not large).
    EXPECT_FALSE(Decimal::parse("4.5000000000000000000000000000001%", &why));
    EXPECT_EQ(why, E::too_many_places);
    // A decimal comma (Vietnamese habit) gets its own reason, so the message can say so.
    EXPECT_FALSE(Decimal::parse("30,5%", &why));
    EXPECT_EQ(why, E::comma_decimal);
    EXPECT_FALSE(Decimal::parse("1,234,5", &why));
    EXPECT_EQ(why, E::not_number);
}

TEST(Decimal, ExactValuesWithTrailingZerosAreAccepted) {
    // 70.00% is exactly 70%, however many zeros follow (issue: "too large" before).
    EXPECT_EQ(*Decimal::parse("70.00%"), Decimal::percent(70));
    EXPECT_EQ(*Decimal::parse("70.000000000000000000000000%"), Decimal::percent(70));
    EXPECT_EQ(*Decimal::parse("0000000000000000000000070%"), Decimal::percent(70));
    EXPECT_EQ(*Decimal::parse("100.0%"), Decimal::one());
}

TEST(Decimal, ComparesAndAddsAcrossScales) {
    // 70% + 30% = 100%: the near-poor top-up pays the rest, exactly.
    const auto sum = Decimal::add(Decimal::percent(70), *Decimal::parse("30%"));
    ASSERT_TRUE(sum);
    EXPECT_EQ(*sum, Decimal::one());
    // 70% + 30.5% = 100.5% > 100%
    EXPECT_GT(*Decimal::add(Decimal::percent(70), *Decimal::parse("30.5%")), Decimal::one());
    EXPECT_LT(*Decimal::parse("4.5%"), *Decimal::parse("5%"));
}

TEST(Decimal, FormatsAsPercent) {
    EXPECT_EQ(Decimal::parse("4.5%")->to_percent_string(), "4.5%");
    EXPECT_EQ(Decimal::percent(130).to_percent_string(), "130%");
    EXPECT_EQ(Decimal::one().to_percent_string(), "100%");
    // 96.398133...% to two places is 96.40
    EXPECT_EQ((Decimal{963981336, 9}).to_percent_fixed(2), "96.40");
    EXPECT_EQ(Decimal::percent(97).to_percent_fixed(2), "97.00");
    EXPECT_EQ(Decimal::parse("0.045")->to_string(), "0.045");
}
