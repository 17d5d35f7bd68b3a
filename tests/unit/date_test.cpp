#include <gtest/gtest.h>

#include "subsim/core/date.hpp"

using subsim::Date;
using subsim::YearMonth;

TEST(Date, ParsesRealDays) {
    const auto d = Date::parse("2024-07-01");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->year, 2024);
    EXPECT_EQ(d->month, 7);
    EXPECT_EQ(d->day, 1);
    EXPECT_EQ(d->to_string(), "2024-07-01");
}

TEST(Date, RejectsDaysThatDoNotExist) {
    EXPECT_FALSE(Date::parse("2024-02-30"));
    EXPECT_FALSE(Date::parse("2023-02-29"));  // 2023 is not a leap year
    EXPECT_TRUE(Date::parse("2024-02-29"));   // 2024 is
    EXPECT_FALSE(Date::parse("1900-02-29"));  // century, not divisible by 400
    EXPECT_TRUE(Date::parse("2000-02-29"));
    EXPECT_FALSE(Date::parse("2024-13-01"));
    EXPECT_FALSE(Date::parse("2024-04-31"));
    EXPECT_FALSE(Date::parse("2024-7-1"));
    EXPECT_FALSE(Date::parse("2024-07-01x"));
    EXPECT_FALSE(Date::parse(""));
    EXPECT_FALSE(Date::parse("+024-07-01"));
}

TEST(Date, OrdersChronologically) {
    EXPECT_LT((Date{2016, 4, 30}), (Date{2016, 5, 1}));
    EXPECT_LT((Date{2015, 12, 31}), (Date{2016, 1, 1}));
    EXPECT_EQ((Date{2016, 12, 31}).next_day(), (Date{2017, 1, 1}));
    EXPECT_EQ((Date{2024, 2, 28}).next_day(), (Date{2024, 2, 29}));
}

TEST(YearMonth, IndexIsDenseAndRoundTrips) {
    const YearMonth m{2026, 7};
    EXPECT_EQ(m.index(), 2026 * 12 + 6);
    EXPECT_EQ(YearMonth::from_index(m.index()), m);
    EXPECT_EQ((YearMonth{2026, 12}).index() + 1, (YearMonth{2027, 1}).index());
    EXPECT_EQ(YearMonth::parse("2026-07"), m);
    EXPECT_FALSE(YearMonth::parse("2026-13"));
    EXPECT_EQ(m.to_string(), "2026-07");
}
