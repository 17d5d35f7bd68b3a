// Take-up curves, retention and ramps: figures worked out by hand in each test.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "subsim/population/takeup.hpp"

using namespace subsim;
using namespace subsim::dynamics;

namespace {

// Near-poor at 70% central support: contribution 4.5% × 2,340,000 = 105,300 đ a month,
// 1,263,600 đ a year; the person pays 30% = 379,080 đ a year.
constexpr Dong kNearPoorPays = 379'080;

TakeupSpec near_poor_logistic() {
    TakeupSpec s;
    s.shape = TakeupShape::logistic;
    s.slope_per_million = -2.5;
    s.ceiling = 0.98;
    s.jump_at_zero = 0.40;
    s.baseline_out_of_pocket = kNearPoorPays;
    s.observed_rate = 0.35;
    return s;
}

TakeupSpec line(std::vector<PricePoint> pts, Dong baseline, double observed, double ceiling = 1.0, double jump = 0.0) {
    TakeupSpec s;
    s.shape = TakeupShape::piecewise_linear;
    s.points = std::move(pts);
    s.baseline_out_of_pocket = baseline;
    s.observed_rate = observed;
    s.ceiling = ceiling;
    s.jump_at_zero = jump;
    return s;
}

bool has_key(const std::vector<TakeupProblem>& ps, const std::string& key) {
    for (const auto& p : ps)
        if (p.key == key) return true;
    return false;
}

}  // namespace

TEST(Takeup, CalibratedLogisticReturnsTheObservedRateAtTheBaseline) {
    const TakeupCurve c = TakeupCurve::calibrate(near_poor_logistic());
    EXPECT_NEAR(c.rate(kNearPoorPays), 0.35, 1e-12);
    // σ0 = 0.35 / 0.98 = 5/14; logit = ln(5/9) = −0.587786665; α = logit − β·p0/10^6
    // = −0.587786665 + 2.5 × 0.37908 = −0.587786665 + 0.9477 = 0.359913335.
    EXPECT_NEAR(c.intercept(), 0.359913335, 1e-9);
    // At p = 0 without the jump: 0.98 / (1 + e^−0.359913335) = 0.98 × 0.589020 = 0.577240.
    EXPECT_NEAR(c.smooth(0), 0.98 / (1.0 + std::exp(-0.359913335)), 1e-9);
}

TEST(Takeup, CalibratedPiecewiseShiftsTheLine) {
    // Points (0, 50%), (1,000,000, 10%): the line gives 30% at 500,000; observed 35% → δ = +5 pp.
    const TakeupCurve c = TakeupCurve::calibrate(line({{0, 0.5}, {1'000'000, 0.1}}, 500'000, 0.35));
    EXPECT_NEAR(c.intercept(), 0.05, 1e-15);
    EXPECT_NEAR(c.rate(500'000), 0.35, 1e-12);
    EXPECT_NEAR(c.rate(0), 0.55, 1e-12);          // 50% + 5 pp
    EXPECT_NEAR(c.rate(250'000), 0.45, 1e-12);    // 40% + 5 pp
    EXPECT_NEAR(c.rate(2'000'000), 0.15, 1e-12);  // flat beyond the last point: 10% + 5 pp
}

TEST(Takeup, CurvesAreMonotone) {
    const TakeupCurve lg = TakeupCurve::calibrate(near_poor_logistic());
    const TakeupCurve pl = TakeupCurve::calibrate(
        line({{0, 0.9}, {300'000, 0.6}, {600'000, 0.6}, {1'500'000, 0.1}}, 300'000, 0.6, 0.95, 0.05));
    int steps = 0;
    double prev_lg = lg.rate(0), prev_pl = pl.rate(0);
    for (Dong p = 5'000; p <= 3'000'000; p += 5'000, ++steps) {
        EXPECT_LE(lg.rate(p), prev_lg) << p;
        EXPECT_LE(pl.rate(p), prev_pl) << p;
        prev_lg = lg.rate(p);
        prev_pl = pl.rate(p);
    }
    EXPECT_EQ(steps, 600);
    EXPECT_LT(lg.rate(3'000'000), lg.rate(0));
}

TEST(Takeup, JumpAtZeroPrice) {
    // Line (0, 60%) → (1,000,000, 20%); 40% at 500,000 as observed: δ = 0. Jump 30 pp, ceiling 95%.
    const TakeupCurve c = TakeupCurve::calibrate(line({{0, 0.6}, {1'000'000, 0.2}}, 500'000, 0.4, 0.95, 0.3));
    EXPECT_NEAR(c.rate(0), 0.9, 1e-12);  // 60% + 30 pp
    // One đồng to pay: no jump, 60% − 40 pp × 10^-6.
    EXPECT_NEAR(c.rate(1), 0.6 - 0.4e-6, 1e-12);
    // A jump of 50 pp would pass the ceiling: min(95%, 60% + 50 pp) = 95%.
    const TakeupCurve capped = TakeupCurve::calibrate(line({{0, 0.6}, {1'000'000, 0.2}}, 500'000, 0.4, 0.95, 0.5));
    EXPECT_NEAR(capped.rate(0), 0.95, 1e-12);
}

TEST(Takeup, CalibrationAtFullSupportIncludesTheJump) {
    // Observed 95% when the person pays nothing, jump 40 pp: the smooth part is 55% at 0.
    TakeupSpec s = near_poor_logistic();
    s.baseline_out_of_pocket = 0;
    s.observed_rate = 0.95;
    const TakeupCurve c = TakeupCurve::calibrate(s);
    EXPECT_NEAR(c.rate(0), 0.95, 1e-12);
    EXPECT_NEAR(c.smooth(0), 0.55, 1e-12);
}

TEST(Takeup, CeilingCapsTheCurve) {
    // Pupils: line (0, 100%) → (1,000,000, 50%); 90% at 200,000 as observed (δ = 0); ceiling 92%.
    const TakeupCurve c = TakeupCurve::calibrate(line({{0, 1.0}, {1'000'000, 0.5}}, 200'000, 0.9, 0.92));
    EXPECT_NEAR(c.rate(0), 0.92, 1e-12);        // 100% cut to 92%
    EXPECT_NEAR(c.rate(100'000), 0.92, 1e-12);  // 95% cut to 92%
    EXPECT_NEAR(c.rate(200'000), 0.90, 1e-12);
    // A logistic curve's asymptote is the ceiling itself.
    TakeupSpec pupils;
    pupils.slope_per_million = -1.0;
    pupils.ceiling = 0.995;
    pupils.baseline_out_of_pocket = 631'800;
    pupils.observed_rate = 0.98;
    pupils.jump_at_zero = 0.5;
    const TakeupCurve lg = TakeupCurve::calibrate(pupils);
    EXPECT_NEAR(lg.rate(0), 0.995, 1e-12);  // jump cut to the ceiling
    EXPECT_LT(lg.rate(1), 0.995);
}

TEST(Takeup, SlopeFromAnElasticity) {
    // ε = −0.6 at p0 = 379,080, observed 35%, ceiling 98%:
    // β = −0.6 / (0.37908 × (1 − 5/14)) = −0.6 / (0.37908 × 9/14) = −0.6 / 0.243694286 = −2.462102.
    const double beta = logistic_slope_for_elasticity(-0.6, kNearPoorPays, 0.35, 0.98);
    EXPECT_NEAR(beta, -2.462102, 1e-6);
    TakeupSpec s = near_poor_logistic();
    s.slope_per_million = beta;
    const TakeupCurve c = TakeupCurve::calibrate(s);
    // Point elasticity at the baseline from a centred difference of ±1,000 đ.
    const double slope = (c.rate(kNearPoorPays + 1000) - c.rate(kNearPoorPays - 1000)) / 2000.0;
    EXPECT_NEAR(slope * static_cast<double>(kNearPoorPays) / 0.35, -0.6, 1e-4);
}

TEST(Takeup, RetentionAfterATopUpEndsLinear) {
    // With the top-up 90%; the curve without it 30%. Linear over N = 3 years:
    // year 1: 30% + 60 pp × 2/3 = 70%; year 2: 30% + 60 pp × 1/3 = 50%; year 3 and later: 30%.
    const std::vector<double> curve{0.3, 0.3, 0.3, 0.3};
    const auto r = retention_path(0.9, curve, {RetentionForm::linear, 3, 0.0});
    ASSERT_EQ(r.size(), 4u);
    EXPECT_NEAR(r[0], 0.7, 1e-12);
    EXPECT_NEAR(r[1], 0.5, 1e-12);
    EXPECT_NEAR(r[2], 0.3, 1e-12);
    EXPECT_NEAR(r[3], 0.3, 1e-12);
}

TEST(Takeup, RetentionAfterATopUpEndsGeometric) {
    // Keep half the gap each year, cut after N = 3: 30% + 60 pp × ½ = 60%; + 60 pp × ¼ = 45%; 30%.
    const std::vector<double> curve{0.3, 0.3, 0.3};
    const auto r = retention_path(0.9, curve, {RetentionForm::geometric, 3, 0.5});
    ASSERT_EQ(r.size(), 3u);
    EXPECT_NEAR(r[0], 0.6, 1e-12);
    EXPECT_NEAR(r[1], 0.45, 1e-12);
    EXPECT_NEAR(r[2], 0.3, 1e-12);
    // If the new curve is above the old rate (the price fell), the curve applies at once.
    const std::vector<double> higher{0.95};
    EXPECT_NEAR(retention_path(0.9, higher, {RetentionForm::geometric, 3, 0.5})[0], 0.95, 1e-12);
}

TEST(Takeup, RampClosesAShareOfTheGapEachYear) {
    // From 30% toward 70%, closing 50% of the gap a year: 30 + 20 = 50%; 50 + 10 = 60%; 60 + 5 = 65%.
    const std::vector<double> target{0.7, 0.7, 0.7};
    const auto r = ramp_path(0.3, target, 0.5);
    ASSERT_EQ(r.size(), 3u);
    EXPECT_NEAR(r[0], 0.5, 1e-12);
    EXPECT_NEAR(r[1], 0.6, 1e-12);
    EXPECT_NEAR(r[2], 0.65, 1e-12);
    // A changing target: 65% → 40%, closing half: 52.5%.
    const std::vector<double> down{0.4};
    EXPECT_NEAR(ramp_path(0.65, down, 0.5)[0], 0.525, 1e-12);
}

// ---- validation ---------------------------------------------------------------------------

TEST(TakeupValidation, CurveThatRisesWithThePrice) {
    const auto ps = check(line({{0, 0.5}, {500'000, 0.6}}, 0, 0.5));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].key, "points");
    EXPECT_EQ(ps[0].index, 1);
    EXPECT_EQ(ps[0].message.en,
              "enrolment rises from 50% to 60% as the out-of-pocket amount rises from 0 VND to 500,000 VND: enrolment must "
              "not rise with the price");
    EXPECT_EQ(ps[0].message.vi,
              "tỷ lệ tham gia tăng từ 50% lên 60% khi số tiền tự đóng tăng từ 0 đ lên 500.000 đ: tỷ lệ tham gia không được "
              "tăng theo số tiền phải đóng");
    EXPECT_THROW(TakeupCurve::calibrate(line({{0, 0.5}, {500'000, 0.6}}, 0, 0.5)), std::invalid_argument);
}

TEST(TakeupValidation, PositiveLogisticSlope) {
    TakeupSpec s = near_poor_logistic();
    s.slope_per_million = 0.8;
    const auto ps = check(s);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].key, "slope");
    EXPECT_EQ(ps[0].message.en,
              "the slope 0.8 is positive: enrolment would rise as people pay more; the slope must be 0 or below");
}

TEST(TakeupValidation, RatesOutsideZeroToOneAndCeilingBelowObserved) {
    TakeupSpec s = near_poor_logistic();
    s.observed_rate = 1.2;
    s.jump_at_zero = -0.1;
    auto ps = check(s);
    EXPECT_TRUE(has_key(ps, "observed_rate"));
    EXPECT_TRUE(has_key(ps, "jump_at_zero"));
    EXPECT_EQ(ps.size(), 2u);
    s = near_poor_logistic();
    s.ceiling = 0.3;  // below the observed 35%
    ps = check(s);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].message.en, "the enrolment ceiling 30% is below the observed enrolment rate 35%");
    EXPECT_EQ(ps[0].message.vi, "mức trần tỷ lệ tham gia 30% thấp hơn tỷ lệ tham gia quan sát được 35%");
    s.ceiling = 0.0;
    EXPECT_TRUE(has_key(check(s), "ceiling"));
    const auto pts = check(line({{0, 0.5}, {100, -0.1}}, 0, 0.5));
    EXPECT_TRUE(has_key(pts, "points"));
}

TEST(TakeupValidation, ShapesThatCannotBeCalibrated) {
    // Logistic with observed = ceiling: σ would have to be 1.
    TakeupSpec s = near_poor_logistic();
    s.observed_rate = 0.98;
    auto ps = check(s);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].key, "observed_rate");
    // At full support the observed rate must include the jump: 30% observed, jump 40 pp.
    s = near_poor_logistic();
    s.baseline_out_of_pocket = 0;
    s.observed_rate = 0.3;
    ps = check(s);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].key, "jump_at_zero");
    // Too few points, points out of order.
    EXPECT_TRUE(has_key(check(line({{0, 0.5}}, 0, 0.5)), "points"));
    const auto order = check(line({{100, 0.5}, {100, 0.4}}, 100, 0.5));
    ASSERT_EQ(order.size(), 1u);
    EXPECT_EQ(order[0].index, 1);
}

TEST(TakeupValidation, RetentionAndRamp) {
    EXPECT_TRUE(has_key(check(Retention{RetentionForm::linear, 0, 0.5}), "years"));
    EXPECT_TRUE(has_key(check(Retention{RetentionForm::geometric, 3, 1.0}), "keep_per_year"));
    EXPECT_TRUE(check(Retention{RetentionForm::linear, 3, 1.0}).empty());  // keep is not used by linear
    EXPECT_TRUE(has_key(check_ramp(0.0), "close_share"));
    EXPECT_TRUE(has_key(check_ramp(1.5), "close_share"));
    EXPECT_TRUE(check_ramp(1.0).empty());
}
