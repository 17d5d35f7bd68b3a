#include "subsim/population/takeup.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "subsim/core/decimal.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim::dynamics {

namespace {

constexpr double kMillion = 1'000'000.0;

/// A share as a percentage in each language's style ("94,71%" / "94.71%"), up to 4 places.
Text percent_text(double share) {
    if (!std::isfinite(share) || std::fabs(share) >= 1e10) return same_text(std::to_string(share));
    return i18n::percent(Decimal{static_cast<std::int64_t>(std::llround(share * 1e6)), 6}.normalized());
}

/// A plain number in each language's style, up to six decimals.
Text number(double v) {
    if (!std::isfinite(v) || std::fabs(v) >= 1e12) return same_text(std::to_string(v));
    const std::string en = Decimal{static_cast<std::int64_t>(std::llround(v * 1e6)), 6}.normalized().to_string();
    std::string vi = en;
    std::replace(vi.begin(), vi.end(), '.', ',');
    return Text{vi, en};
}

bool is_rate(double r) { return r >= 0.0 && r <= 1.0; }

/// The value the smooth part must take at the baseline for rate(baseline) = observed.
double smooth_target(const TakeupSpec& s) {
    return s.baseline_out_of_pocket <= 0 ? s.observed_rate - s.jump_at_zero : s.observed_rate;
}

double piecewise(const std::vector<PricePoint>& pts, Dong p) {
    if (p <= pts.front().out_of_pocket) return pts.front().rate;
    if (p >= pts.back().out_of_pocket) return pts.back().rate;
    const auto it = std::upper_bound(pts.begin(), pts.end(), p,
                                     [](Dong v, const PricePoint& pt) { return v < pt.out_of_pocket; });
    const PricePoint& hi = *it;
    const PricePoint& lo = *(it - 1);
    const double t = static_cast<double>(p - lo.out_of_pocket) / static_cast<double>(hi.out_of_pocket - lo.out_of_pocket);
    return lo.rate + t * (hi.rate - lo.rate);
}

double logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace

std::vector<TakeupProblem> check(const TakeupSpec& s) {
    std::vector<TakeupProblem> out;
    auto add = [&](std::string key, int index, Text message) { out.push_back({std::move(key), index, std::move(message)}); };
    const bool ceiling_ok = s.ceiling > 0.0 && s.ceiling <= 1.0;
    if (!ceiling_ok) add("ceiling", -1, i18n::tr("takeup.ceiling_range", {percent_text(s.ceiling)}));
    const bool observed_ok = is_rate(s.observed_rate);
    if (!observed_ok) add("observed_rate", -1, i18n::tr("takeup.rate_range", {"observed_rate", percent_text(s.observed_rate)}));
    const bool jump_ok = is_rate(s.jump_at_zero);
    if (!jump_ok) add("jump_at_zero", -1, i18n::tr("takeup.rate_range", {"jump_at_zero", percent_text(s.jump_at_zero)}));
    if (ceiling_ok && observed_ok && s.ceiling < s.observed_rate)
        add("ceiling", -1, i18n::tr("takeup.ceiling_below_observed", {percent_text(s.ceiling), percent_text(s.observed_rate)}));
    const bool baseline_ok = s.baseline_out_of_pocket >= 0;
    if (!baseline_ok)
        add("baseline_out_of_pocket", -1, i18n::tr("takeup.negative_price", {i18n::money(s.baseline_out_of_pocket)}));

    bool shape_ok = true;
    if (s.shape == TakeupShape::logistic) {
        if (!std::isfinite(s.slope_per_million)) {
            add("slope", -1, i18n::tr("takeup.not_finite", {"slope"}));
            shape_ok = false;
        } else if (s.slope_per_million > 0.0) {
            add("slope", -1, i18n::tr("takeup.slope_sign", {number(s.slope_per_million)}));
            shape_ok = false;
        }
    } else {
        const auto& pts = s.points;
        if (pts.size() < 2) {
            add("points", -1, i18n::tr("takeup.too_few_points", {static_cast<unsigned long>(pts.size())}));
            shape_ok = false;
        }
        for (std::size_t i = 0; i < pts.size(); ++i) {
            const int index = static_cast<int>(i);
            if (pts[i].out_of_pocket < 0) {
                add("points", index, i18n::tr("takeup.negative_price", {i18n::money(pts[i].out_of_pocket)}));
                shape_ok = false;
            }
            if (!is_rate(pts[i].rate)) {
                add("points", index, i18n::tr("takeup.rate_range", {"rate", percent_text(pts[i].rate)}));
                shape_ok = false;
                continue;
            }
            if (i == 0) continue;
            const PricePoint& before = pts[i - 1];
            if (pts[i].out_of_pocket <= before.out_of_pocket) {
                add("points", index,
                    i18n::tr("takeup.points_order", {i18n::money(pts[i].out_of_pocket), i18n::money(before.out_of_pocket)}));
                shape_ok = false;
            } else if (is_rate(before.rate) && pts[i].rate > before.rate) {
                add("points", index,
                    i18n::tr("takeup.not_monotone", {percent_text(before.rate), percent_text(pts[i].rate),
                                                     i18n::money(before.out_of_pocket), i18n::money(pts[i].out_of_pocket)}));
                shape_ok = false;
            }
        }
    }

    // Can a curve of this shape return the observed rate at the baseline?
    if (ceiling_ok && observed_ok && jump_ok && baseline_ok && shape_ok && s.ceiling >= s.observed_rate) {
        const double target = smooth_target(s);
        if (s.baseline_out_of_pocket == 0 && target < 0.0)
            add("jump_at_zero", -1,
                i18n::tr("takeup.jump_above_observed", {percent_text(s.jump_at_zero), percent_text(s.observed_rate)}));
        else if (s.shape == TakeupShape::logistic && !(target > 0.0 && target < s.ceiling))
            add("observed_rate", -1,
                i18n::tr("takeup.logistic_observed", {percent_text(s.ceiling), percent_text(target)}));
    }
    return out;
}

TakeupCurve TakeupCurve::calibrate(const TakeupSpec& spec) {
    if (const auto problems = check(spec); !problems.empty())
        throw std::invalid_argument("TakeupCurve::calibrate: " + problems.front().message.en);
    TakeupCurve c;
    c.spec_ = spec;
    const double target = smooth_target(spec);
    const double p0 = static_cast<double>(spec.baseline_out_of_pocket) / kMillion;
    if (spec.shape == TakeupShape::logistic) {
        const double share = target / spec.ceiling;  // σ(α + β·p0) must equal this
        c.intercept_ = std::log(share / (1.0 - share)) - spec.slope_per_million * p0;
    } else {
        c.intercept_ = target - piecewise(spec.points, spec.baseline_out_of_pocket);
    }
    return c;
}

double TakeupCurve::smooth(Dong out_of_pocket) const {
    const Dong p = std::max<Dong>(out_of_pocket, 0);
    if (spec_.shape == TakeupShape::logistic)
        return spec_.ceiling * logistic(intercept_ + spec_.slope_per_million * (static_cast<double>(p) / kMillion));
    return std::clamp(piecewise(spec_.points, p) + intercept_, 0.0, spec_.ceiling);
}

double TakeupCurve::rate(Dong out_of_pocket) const {
    const double s = smooth(out_of_pocket);
    return std::min(spec_.ceiling, out_of_pocket <= 0 ? s + spec_.jump_at_zero : s);
}

double logistic_slope_for_elasticity(double elasticity, Dong baseline_out_of_pocket, double observed_rate,
                                     double ceiling) {
    if (!(baseline_out_of_pocket > 0 && observed_rate > 0.0 && observed_rate < ceiling && elasticity <= 0.0))
        throw std::invalid_argument("logistic_slope_for_elasticity: needs p0 > 0, 0 < observed < ceiling, elasticity <= 0");
    const double p0 = static_cast<double>(baseline_out_of_pocket) / kMillion;
    return elasticity / (p0 * (1.0 - observed_rate / ceiling));
}

std::vector<TakeupProblem> check(const Retention& r) {
    std::vector<TakeupProblem> out;
    if (r.years < 1) out.push_back({"years", -1, i18n::tr("takeup.retention_years", {r.years})});
    if (r.form == RetentionForm::geometric && !(r.keep_per_year >= 0.0 && r.keep_per_year < 1.0))
        out.push_back({"keep_per_year", -1, i18n::tr("takeup.keep_range", {percent_text(r.keep_per_year)})});
    return out;
}

std::vector<double> retention_path(double with_topup, std::span<const double> curve_after, const Retention& r) {
    if (!check(r).empty()) throw std::invalid_argument("retention_path: invalid retention");
    std::vector<double> out;
    out.reserve(curve_after.size());
    double keep = 1.0;  // keep^k
    for (std::size_t i = 0; i < curve_after.size(); ++i) {
        const int k = static_cast<int>(i) + 1;
        double weight = 0.0;
        if (r.form == RetentionForm::linear) {
            weight = static_cast<double>(std::max(r.years - k, 0)) / r.years;
        } else {
            keep *= r.keep_per_year;
            weight = k < r.years ? keep : 0.0;
        }
        const double curve = curve_after[i];
        out.push_back(curve + std::max(0.0, with_topup - curve) * weight);
    }
    return out;
}

std::vector<TakeupProblem> check_ramp(double close_share) {
    std::vector<TakeupProblem> out;
    if (!(close_share > 0.0 && close_share <= 1.0))
        out.push_back({"close_share", -1, i18n::tr("takeup.ramp_share", {percent_text(close_share)})});
    return out;
}

std::vector<double> ramp_path(double start, std::span<const double> targets, double close_share) {
    if (!check_ramp(close_share).empty()) throw std::invalid_argument("ramp_path: invalid share");
    std::vector<double> out;
    out.reserve(targets.size());
    double r = start;
    for (double target : targets) {
        r += close_share * (target - r);
        out.push_back(r);
    }
    return out;
}

}  // namespace subsim::dynamics
