#include "subsim/mc/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <fmt/format.h>

#include "subsim/i18n/i18n.hpp"

namespace subsim::mc {
namespace {

/// Boost.Math evaluates in double, not long double: long double is 80-bit on x86-64 and
/// 64- or 128-bit elsewhere, which would make beta quantiles differ between machines.
using BetaPolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>,
                                                 boost::math::policies::promote_float<false>>;

/// The smallest probability a truncated normal's interval may hold: below it the
/// interval lies more than about 37 standard deviations from the mean and Φ underflows.
constexpr double kMinTruncatedMass = 1e-300;

/// A parameter value for a message: whole numbers grouped in each language's style
/// ("120.000" / "120,000"), others as the shortest decimal that reads back exactly,
/// with a decimal comma in Vietnamese ("0,25" / "0.25").
Text number(double x) {
    if (std::isnan(x)) return same_text("NaN");
    if (std::isinf(x)) return same_text(x > 0 ? "+∞" : "−∞");
    if (x == std::trunc(x) && std::fabs(x) < 1e15) return i18n::grouped(static_cast<std::int64_t>(x));
    std::string en = fmt::format("{}", x);
    std::string vi = en;
    std::replace(vi.begin(), vi.end(), '.', ',');
    return Text{vi, en};
}

std::optional<ParameterProblem> problem(std::string key, Text message) {
    return ParameterProblem{std::move(key), std::move(message)};
}

std::optional<ParameterProblem> finite(const char* key, double x) {
    if (std::isfinite(x)) return std::nullopt;
    return problem(key, i18n::tr("mc.not_finite", {number(x)}));
}

std::optional<ParameterProblem> bounds(double low, double high) {
    if (auto p = finite("low", low)) return p;
    if (auto p = finite("high", high)) return p;
    if (low > high) return problem("low", i18n::tr("mc.low_above_high", {number(low), number(high)}));
    return std::nullopt;
}

/// Standardised truncation bounds of a normal with sd > 0 (−∞/+∞ where absent).
std::pair<double, double> standard_bounds(const NormalSpec& n) {
    const double inf = std::numeric_limits<double>::infinity();
    const double za = n.low ? (*n.low - n.mean) / n.sd : -inf;
    const double zb = n.high ? (*n.high - n.mean) / n.sd : inf;
    return {za, zb};
}

/// Φ at the start of the interval and the interval's probability, computed in the tail
/// where they are small (and so accurate): an interval above the mean is reflected to
/// [−zb, −za] under −X.
struct TruncatedMass {
    double cdf_low;
    double cdf_high;
    double mass;
    bool reflected;
};
TruncatedMass truncated_mass(double za, double zb) {
    if (za > 0) {
        const double lo = normal_cdf(-zb), hi = normal_cdf(-za);
        return {lo, hi, hi - lo, true};
    }
    const double lo = normal_cdf(za), hi = normal_cdf(zb);
    return {lo, hi, hi - lo, false};
}

std::optional<ParameterProblem> check_spec(const UniformSpec& s) { return bounds(s.low, s.high); }

std::optional<ParameterProblem> check_spec(const NormalSpec& s) {
    if (auto p = finite("mean", s.mean)) return p;
    if (auto p = finite("sd", s.sd)) return p;
    if (s.sd < 0) return problem("sd", i18n::tr("mc.sd_negative", {number(s.sd)}));
    if (s.low)
        if (auto p = finite("low", *s.low)) return p;
    if (s.high)
        if (auto p = finite("high", *s.high)) return p;
    if (s.low && s.high && *s.low > *s.high)
        return problem("low", i18n::tr("mc.low_above_high", {number(*s.low), number(*s.high)}));
    if (!s.low && !s.high) return std::nullopt;
    const std::string key = s.low ? "low" : "high";
    const Text lo = s.low ? number(*s.low) : same_text("−∞");
    const Text hi = s.high ? number(*s.high) : same_text("+∞");
    if (s.sd == 0) {
        if ((s.low && s.mean < *s.low) || (s.high && s.mean > *s.high))
            return problem(key, i18n::tr("mc.truncation_empty", {lo, hi, number(s.mean), number(s.sd)}));
        return std::nullopt;
    }
    const auto [za, zb] = standard_bounds(s);
    if (!(truncated_mass(za, zb).mass >= kMinTruncatedMass))
        return problem(key, i18n::tr("mc.truncation_empty", {lo, hi, number(s.mean), number(s.sd)}));
    return std::nullopt;
}

/// A log-normal's log: the normal exp() of which it is, truncated to the logs of its
/// bounds (low 0 or absent: unbounded below).
NormalSpec log_of(const LogNormalSpec& s) {
    NormalSpec n{s.meanlog, s.sdlog, std::nullopt, std::nullopt};
    if (s.low && *s.low > 0) n.low = std::log(*s.low);
    if (s.high && *s.high > 0) n.high = std::log(*s.high);
    return n;
}

std::optional<ParameterProblem> check_spec(const LogNormalSpec& s) {
    if (auto p = finite("meanlog", s.meanlog)) return p;
    if (auto p = finite("sdlog", s.sdlog)) return p;
    if (s.sdlog < 0) return problem("sdlog", i18n::tr("mc.sd_negative", {number(s.sdlog)}));
    if (s.low)
        if (auto p = finite("low", *s.low)) return p;
    if (s.high)
        if (auto p = finite("high", *s.high)) return p;
    // The values are above 0: a bound at or below 0 holds nothing (low 0 is no bound).
    if (s.low && *s.low < 0) return problem("low", i18n::tr("mc.lognormal_bound", {"low", number(*s.low)}));
    if (s.high && !(*s.high > 0)) return problem("high", i18n::tr("mc.lognormal_bound", {"high", number(*s.high)}));
    if (auto p = check_spec(log_of(s))) {
        // As the normal's, with the bounds as written.
        const Text lo = s.low ? number(*s.low) : same_text("0");
        const Text hi = s.high ? number(*s.high) : same_text("+∞");
        if (p->key == "low" || p->key == "high")
            return problem(p->key, i18n::tr("mc.lognormal_truncation_empty", {lo, hi, number(s.meanlog), number(s.sdlog)}));
        return p;
    }
    return std::nullopt;
}

std::optional<ParameterProblem> check_spec(const TriangularSpec& s) {
    if (auto p = bounds(s.low, s.high)) return p;
    if (auto p = finite("mode", s.mode)) return p;
    if (s.mode < s.low || s.mode > s.high)
        return problem("mode", i18n::tr("mc.mode_outside", {number(s.mode), number(s.low), number(s.high)}));
    return std::nullopt;
}

std::optional<ParameterProblem> check_spec(const BetaSpec& s) {
    if (auto p = finite("alpha", s.alpha)) return p;
    if (auto p = finite("beta", s.beta)) return p;
    if (!(s.alpha > 0)) return problem("alpha", i18n::tr("mc.shape_not_positive", {"alpha", number(s.alpha)}));
    if (!(s.beta > 0)) return problem("beta", i18n::tr("mc.shape_not_positive", {"beta", number(s.beta)}));
    return bounds(s.low, s.high);
}

std::optional<ParameterProblem> check_spec(const DiscreteSpec& s) {
    if (s.values.empty()) return problem("values", i18n::tr("mc.values_empty"));
    for (double v : s.values)
        if (auto p = finite("values", v)) return p;
    if (s.probabilities.size() != s.values.size())
        return problem("probabilities",
                       i18n::tr("mc.probabilities_count", {s.values.size(), s.probabilities.size()}));
    Decimal sum = Decimal::whole(0);
    bool overflow = false;
    for (const Decimal& p : s.probabilities) {
        if (p.is_negative()) return problem("probabilities", i18n::tr("mc.probability_negative", {i18n::percent(p)}));
        if (const auto next = Decimal::add(sum, p)) sum = *next;
        else overflow = true;
    }
    if (overflow || sum != Decimal::one()) {
        const Text total = overflow ? same_text("> 100%") : i18n::percent(sum);
        return problem("probabilities", i18n::tr("mc.probabilities_sum", {total}));
    }
    return std::nullopt;
}

/// AS 241 polynomials, Horner form, highest coefficient first written last.
double poly7(const double (&c)[8], double x) {
    double v = c[7];
    for (int i = 6; i >= 0; --i) v = v * x + c[i];
    return v;
}

}  // namespace

// ---- standard normal ---------------------------------------------------------------

double normal_quantile(double p) {
    // Wichura, M. J. (1988). Algorithm AS 241: The percentage points of the normal
    // distribution. Applied Statistics 37(3), 477–484. PPND16 coefficients.
    static constexpr double a[8] = {3.3871328727963666080e0,   1.3314166789178437745e+2, 1.9715909503065514427e+3,
                                    1.3731693765509461125e+4,  4.5921953931549871457e+4, 6.7265770927008700853e+4,
                                    3.3430575583588128105e+4,  2.5090809287301226727e+3};
    static constexpr double b[8] = {1.0,                       4.2313330701600911252e+1, 6.8718700749205790830e+2,
                                    5.3941960214247511077e+3,  2.1213794301586595867e+4, 3.9307895800092710610e+4,
                                    2.8729085735721942674e+4,  5.2264952788528545610e+3};
    static constexpr double c[8] = {1.42343711074968357734e0,  4.63033784615654529590e0,  5.76949722146069140550e0,
                                    3.64784832476320460504e0,  1.27045825245236838258e0,  2.41780725177450611770e-1,
                                    2.27238449892691845833e-2, 7.74545014278341407640e-4};
    static constexpr double d[8] = {1.0,                       2.05319162663775882187e0,  1.67638483018380384940e0,
                                    6.89767334985100004550e-1, 1.48103976427480074590e-1, 1.51986665636164571966e-2,
                                    5.47593808499534494600e-4, 1.05075007164441684324e-9};
    static constexpr double e[8] = {6.65790464350110377720e0,  5.46378491116411436990e0,  1.78482653991729133580e0,
                                    2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
                                    2.71155556874348757815e-5, 2.01033439929228813265e-7};
    static constexpr double f[8] = {1.0,                       5.99832206555887937690e-1, 1.36929880922735805310e-1,
                                    1.48753612908506148525e-2, 7.86869131145613259100e-4, 1.84631831751005468180e-5,
                                    1.42151175831644588870e-7, 2.04426310338993978564e-15};
    if (std::isnan(p)) return p;
    if (p <= 0) return -std::numeric_limits<double>::infinity();
    if (p >= 1) return std::numeric_limits<double>::infinity();
    const double q = p - 0.5;
    if (std::fabs(q) <= 0.425) {
        const double r = 0.180625 - q * q;
        return q * poly7(a, r) / poly7(b, r);
    }
    double r = q < 0 ? p : 1.0 - p;
    r = std::sqrt(-std::log(r));
    double value;
    if (r <= 5.0) {
        r -= 1.6;
        value = poly7(c, r) / poly7(d, r);
    } else {
        r -= 5.0;
        value = poly7(e, r) / poly7(f, r);
    }
    return q < 0 ? -value : value;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// ---- validation ----------------------------------------------------------------------

std::optional<ParameterProblem> check(const DistributionSpec& spec) {
    return std::visit([](const auto& s) { return check_spec(s); }, spec);
}

// ---- Distribution --------------------------------------------------------------------

Distribution::Distribution(DistributionSpec spec) : spec_(std::move(spec)) {
    if (const auto p = check(spec_))
        throw std::invalid_argument("mc::Distribution: invalid " + p->key + ": " + p->message.en);
    std::optional<NormalSpec> truncated;  // a normal, or a log-normal's log, with bounds
    if (const auto* n = std::get_if<NormalSpec>(&spec_)) truncated = *n;
    if (const auto* l = std::get_if<LogNormalSpec>(&spec_)) truncated = log_of(*l);
    if (const auto* n = truncated ? &*truncated : nullptr; n && n->sd > 0 && (n->low || n->high)) {
        const auto [za, zb] = standard_bounds(*n);
        const TruncatedMass m = truncated_mass(za, zb);
        cdf_low_ = m.cdf_low;
        cdf_high_ = m.cdf_high;
        cdf_mass_ = m.mass;
        reflected_ = m.reflected;
    }
    if (const auto* d = std::get_if<DiscreteSpec>(&spec_)) {
        // Sort by value (stable: equal values merge in the order given), then accumulate
        // the exact decimal probabilities so that the last cumulative value is exactly 1.
        std::vector<std::size_t> order(d->values.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t x, std::size_t y) { return d->values[x] < d->values[y]; });
        Decimal sum = Decimal::whole(0);
        for (std::size_t idx : order) {
            sum = *Decimal::add(sum, d->probabilities[idx]);  // check() saw no overflow
            if (!sorted_values_.empty() && sorted_values_.back() == d->values[idx]) {
                cumulative_.back() = sum.to_double();
            } else {
                sorted_values_.push_back(d->values[idx]);
                cumulative_.push_back(sum.to_double());
            }
        }
        cumulative_.back() = 1.0;
    }
}

double Distribution::quantile(double u) const {
    if (!(u > 0 && u < 1)) throw std::invalid_argument("mc::Distribution::quantile: u is not inside (0, 1)");
    struct Visitor {
        const Distribution& self;
        double u;
        double operator()(const UniformSpec& s) const { return s.low + u * (s.high - s.low); }
        double operator()(const NormalSpec& s) const { return normal(s); }
        /// The normal's quantile (also a log-normal's log, truncated as log_of() says).
        double normal(const NormalSpec& s) const {
            if (s.sd == 0) return s.mean;
            if (!s.low && !s.high) return s.mean + s.sd * normal_quantile(u);
            // Inverse CDF of the truncated normal: Φ⁻¹(Φ(a) + u·(Φ(b) − Φ(a))); above the
            // mean, by reflection: −Φ⁻¹(Φ(−a) − u·(Φ(−a) − Φ(−b))).
            double x;
            if (self.reflected_) {
                const double p = self.cdf_high_ - u * self.cdf_mass_;
                x = s.mean - s.sd * normal_quantile(p);
            } else {
                const double p = self.cdf_low_ + u * self.cdf_mass_;
                x = s.mean + s.sd * normal_quantile(p);
            }
            // Rounding may step a hair outside: the bounds are part of the distribution.
            if (s.low && x < *s.low) x = *s.low;
            if (s.high && x > *s.high) x = *s.high;
            return x;
        }
        double operator()(const LogNormalSpec& s) const {
            if (!s.low && !s.high) return std::exp(s.meanlog + s.sdlog * normal_quantile(u));
            double x = std::exp(normal(log_of(s)));
            if (s.low && x < *s.low) x = *s.low;  // exp() may step a hair outside
            if (s.high && x > *s.high) x = *s.high;
            return x;
        }
        double operator()(const TriangularSpec& s) const {
            const double width = s.high - s.low;
            if (width == 0) return s.low;
            const double at_mode = (s.mode - s.low) / width;  // F(mode)
            if (u <= at_mode) return s.low + std::sqrt(u * width * (s.mode - s.low));
            return s.high - std::sqrt((1.0 - u) * width * (s.high - s.mode));
        }
        double operator()(const BetaSpec& s) const {
            const double x = boost::math::ibeta_inv(s.alpha, s.beta, u, BetaPolicy());
            return s.low + (s.high - s.low) * x;
        }
        double operator()(const DiscreteSpec&) const {
            // The smallest value whose cumulative probability reaches u.
            const auto it = std::lower_bound(self.cumulative_.begin(), self.cumulative_.end(), u);
            const auto i = static_cast<std::size_t>(it - self.cumulative_.begin());
            return self.sorted_values_[std::min(i, self.sorted_values_.size() - 1)];
        }
    };
    return std::visit(Visitor{*this, u}, spec_);
}

}  // namespace subsim::mc
