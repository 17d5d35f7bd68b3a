#include "subsim/population/cohort_component.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>

#include "subsim/core/decimal.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim::dynamics {

namespace {

using Ages = Eigen::Array<double, kAges, 1>;
using ConstAgesMap = Eigen::Map<const Ages>;
using AgesMap = Eigen::Map<Ages>;

/// A figure in each language's style, up to six decimals: "0,015" (vi), "0.015" (en).
Text number(double v) {
    if (!std::isfinite(v)) return same_text(std::isnan(v) ? "NaN" : (v > 0 ? "inf" : "-inf"));
    if (std::fabs(v) >= 1e12) return same_text(std::to_string(v));
    const Decimal d{static_cast<std::int64_t>(std::llround(v * 1e6)), 6};
    std::string en = d.normalized().to_string();
    std::string vi = en;
    std::replace(vi.begin(), vi.end(), '.', ',');
    return Text{vi, en};
}

/// Persons: whole numbers grouped (1.234.567), fractions as number().
Text persons_text(double v) {
    if (std::isfinite(v) && std::fabs(v) < 9e15 && v == std::floor(v)) return i18n::grouped(static_cast<std::int64_t>(v));
    return number(v);
}

Text percent_text(double share) {
    if (!std::isfinite(share) || std::fabs(share) >= 1e10) return number(share);
    return i18n::percent(Decimal{static_cast<std::int64_t>(std::llround(share * 1e6)), 6}.normalized());
}

Text sex_text(int sexes, int sex) {
    if (sexes == 1) return i18n::tr("dynamics.sex_both");
    return sex == kMale ? i18n::tr("dynamics.sex_male") : i18n::tr("dynamics.sex_female");
}

const char* form_key(SurvivalForm f) {
    switch (f) {
        case SurvivalForm::qx: return "qx";
        case SurvivalForm::sx: return "sx";
        case SurvivalForm::lx: return "lx";
    }
    return "qx";
}

int value_count(SurvivalForm f) { return f == SurvivalForm::lx ? kAges + 1 : kAges; }

void check_life_table(const LifeTable& t, int index, int sexes, std::vector<Problem>& out) {
    auto add = [&](int sex, int age, std::string key, Text message) {
        out.push_back({InputPart::life_table, index, sex, age, 0, std::move(key), std::move(message)});
    };
    if (static_cast<int>(t.values.size()) != sexes) {
        add(-1, -1, "sex", i18n::tr("dynamics.sex_count", {static_cast<int>(t.values.size()), sexes}));
        return;
    }
    if (!(t.a0 >= 0.0 && t.a0 <= 1.0)) add(-1, -1, "a0", i18n::tr("dynamics.a0_range", {number(t.a0)}));
    const std::string key = form_key(t.form);
    const int n = value_count(t.form);
    for (int s = 0; s < sexes; ++s) {
        const std::vector<double>& v = t.values[static_cast<std::size_t>(s)];
        if (static_cast<int>(v.size()) != n) {
            add(s, -1, key, i18n::tr("dynamics.value_count", {n, static_cast<int>(v.size()), sex_text(sexes, s)}));
            continue;
        }
        for (int x = 0; x < n; ++x) {
            const double q = v[static_cast<std::size_t>(x)];
            if (std::isnan(q)) {
                add(s, x, key, i18n::tr("dynamics.age_missing", {x, sex_text(sexes, s)}));
            } else if (t.form != SurvivalForm::lx) {
                if (!(q >= 0.0 && q <= 1.0))
                    add(s, x, key, i18n::tr("dynamics.survival_range", {key, x, number(q), sex_text(sexes, s)}));
            } else if (!std::isfinite(q) || q < 0.0) {
                add(s, x, key, i18n::tr("dynamics.lx_negative", {x, number(q), sex_text(sexes, s)}));
            } else if (x == 0 && !(q > 0.0)) {
                add(s, x, key, i18n::tr("dynamics.lx_first", {sex_text(sexes, s)}));
            } else if (x > 0) {
                const double before = v[static_cast<std::size_t>(x - 1)];
                if (std::isfinite(before) && q > before)
                    add(s, x, key,
                        i18n::tr("dynamics.lx_increasing", {number(before), x - 1, number(q), x, sex_text(sexes, s)}));
            }
        }
    }
}

/// The migration rate of (unit, year): the unit's own latest step on or before the year, else
/// the latest all-units step, else 0.
class MigrationRates {
public:
    MigrationRates(const std::vector<MigrationStep>& steps, int units) : own_(static_cast<std::size_t>(units)) {
        for (const MigrationStep& s : steps) {
            auto& list = s.unit == kAllUnits ? all_ : own_[static_cast<std::size_t>(s.unit)];
            list.emplace_back(s.from_year, s.rate);
        }
        std::sort(all_.begin(), all_.end());
        for (auto& l : own_) std::sort(l.begin(), l.end());
    }
    double rate(int unit, int year) const {
        const auto& own = own_[static_cast<std::size_t>(unit)];
        if (const double* r = latest(own, year)) return *r;
        if (const double* r = latest(all_, year)) return *r;
        return 0.0;
    }

private:
    using Steps = std::vector<std::pair<int, double>>;
    static const double* latest(const Steps& steps, int year) {
        const double* found = nullptr;
        for (const auto& [from, rate] : steps) {
            if (from > year) break;
            found = &rate;
        }
        return found;
    }
    Steps all_;
    std::vector<Steps> own_;
};

int table_of(const std::vector<int>& of_unit, int unit) {
    return of_unit.empty() ? 0 : of_unit[static_cast<std::size_t>(unit)];
}

}  // namespace

std::vector<double> empty_age_table(int units, int sexes) {
    return std::vector<double>(static_cast<std::size_t>(units) * sexes * kAges, kMissing);
}

std::array<double, kAges> death_probabilities(const LifeTable& table, int sex) {
    const std::vector<double>& v = table.values.at(static_cast<std::size_t>(sex));
    std::array<double, kAges> q{};
    for (int x = 0; x < kAges; ++x) {
        const auto i = static_cast<std::size_t>(x);
        switch (table.form) {
            case SurvivalForm::qx: q[i] = v[i]; break;
            case SurvivalForm::sx: q[i] = 1.0 - v[i]; break;
            case SurvivalForm::lx: q[i] = v[i] > 0.0 ? 1.0 - v[i + 1] / v[i] : 1.0; break;
        }
    }
    return q;
}

std::vector<Problem> check(const ProjectionInput& in) {
    assert(in.sexes == 1 || in.sexes == 2);
    assert(in.units >= 0 && in.years >= 0);
    assert(in.base.size() == static_cast<std::size_t>(in.units) * in.sexes * kAges);
    assert(in.stated_total.empty() || in.stated_total.size() == static_cast<std::size_t>(in.units));
    assert(in.life_table_of_unit.empty() || in.life_table_of_unit.size() == static_cast<std::size_t>(in.units));
    assert(in.fertility_of_unit.empty() || in.fertility_of_unit.size() == static_cast<std::size_t>(in.units));
    assert(in.births.empty() || in.births.size() == static_cast<std::size_t>(in.units) * in.years);
    std::vector<Problem> out;

    // Population by age, and its total against the stated one.
    for (int u = 0; u < in.units; ++u) {
        double sum = 0.0;
        bool complete = true;
        for (int s = 0; s < in.sexes; ++s)
            for (int x = 0; x < kAges; ++x) {
                const double v = in.base[(static_cast<std::size_t>(u) * in.sexes + s) * kAges + x];
                if (std::isnan(v)) {
                    out.push_back({InputPart::population, u, s, x, 0, "age",
                                   i18n::tr("dynamics.age_missing", {x, sex_text(in.sexes, s)})});
                    complete = false;
                } else if (!std::isfinite(v) || v < 0.0) {
                    out.push_back({InputPart::population, u, s, x, 0, "persons",
                                   i18n::tr("dynamics.persons_negative", {persons_text(v), x})});
                    complete = false;
                } else {
                    sum += v;
                }
            }
        if (!complete || in.stated_total.empty()) continue;
        const double stated = in.stated_total[static_cast<std::size_t>(u)];
        if (std::isnan(stated)) continue;
        const double tolerance = std::max(kTotalTolerance * std::fabs(stated), 1.0);
        if (!(std::fabs(sum - stated) <= tolerance))
            out.push_back({InputPart::stated_total, u, -1, -1, 0, "persons",
                           i18n::tr("dynamics.total_mismatch",
                                    {persons_text(sum), persons_text(stated), persons_text(sum - stated),
                                     percent_text(kTotalTolerance)})});
    }

    // Life tables.
    if (in.life_tables.empty() && in.units > 0)
        out.push_back({InputPart::life_table, -1, -1, -1, 0, "qx", i18n::tr("dynamics.no_life_table")});
    for (std::size_t i = 0; i < in.life_tables.size(); ++i)
        check_life_table(in.life_tables[i], static_cast<int>(i), in.sexes, out);
    for (int u = 0; u < in.units; ++u)
        assert(table_of(in.life_table_of_unit, u) >= 0 &&
               (in.life_tables.empty() || table_of(in.life_table_of_unit, u) < static_cast<int>(in.life_tables.size())));

    // Births: given, or from fertility.
    if (!in.births.empty()) {
        for (int u = 0; u < in.units; ++u)
            for (int k = 0; k < in.years; ++k) {
                const double b = in.births[static_cast<std::size_t>(u) * in.years + k];
                if (!std::isfinite(b) || b < 0.0)
                    out.push_back({InputPart::births, u, -1, -1, in.base_year + k, "births",
                                   i18n::tr("dynamics.births_negative", {in.base_year + k, number(b)})});
            }
    } else {
        if (in.fertility.empty() && in.units > 0)
            out.push_back({InputPart::fertility, -1, -1, -1, 0, "asfr", i18n::tr("dynamics.no_fertility")});
        for (std::size_t i = 0; i < in.fertility.size(); ++i)
            for (int a = 0; a < kFertileAges; ++a) {
                const double f = in.fertility[i].asfr[static_cast<std::size_t>(a)];
                const int age = kFirstFertileAge + a;
                if (std::isnan(f))
                    out.push_back({InputPart::fertility, static_cast<int>(i), kFemale, age, 0, "asfr",
                                   i18n::tr("dynamics.age_missing", {age, i18n::tr("dynamics.sex_female")})});
                else if (!(f >= 0.0 && f <= kMaxFertility))
                    out.push_back({InputPart::fertility, static_cast<int>(i), kFemale, age, 0, "asfr",
                                   i18n::tr("dynamics.fertility_range", {age, number(f)})});
            }
        for (int u = 0; u < in.units; ++u)
            assert(in.fertility.empty() || (table_of(in.fertility_of_unit, u) >= 0 &&
                                             table_of(in.fertility_of_unit, u) < static_cast<int>(in.fertility.size())));
        if (in.sexes == 1 && !(in.female_fraction > 0.0 && in.female_fraction < 1.0))
            out.push_back({InputPart::parameter, -1, -1, -1, 0, "female_fraction",
                           i18n::tr("dynamics.female_fraction_range", {number(in.female_fraction)})});
    }
    if (in.sexes == 2 &&
        !(in.sex_ratio_at_birth >= kMinSexRatioAtBirth && in.sex_ratio_at_birth <= kMaxSexRatioAtBirth))
        out.push_back({InputPart::parameter, -1, -1, -1, 0, "sex_ratio_at_birth",
                       i18n::tr("dynamics.sex_ratio_range",
                                {number(in.sex_ratio_at_birth), number(kMinSexRatioAtBirth), number(kMaxSexRatioAtBirth)})});

    // Migration steps.
    std::map<std::pair<int, int>, int> seen;
    for (std::size_t i = 0; i < in.migration.size(); ++i) {
        const MigrationStep& m = in.migration[i];
        assert(m.unit == kAllUnits || (m.unit >= 0 && m.unit < in.units));
        if (!(m.rate >= -kMaxMigrationRate && m.rate <= kMaxMigrationRate))
            out.push_back({InputPart::migration, static_cast<int>(i), -1, -1, m.from_year, "rate",
                           i18n::tr("dynamics.migration_range",
                                    {percent_text(m.rate), m.from_year, percent_text(kMaxMigrationRate)})});
        const auto [it, fresh] = seen.emplace(std::pair{m.unit, m.from_year}, static_cast<int>(i));
        if (!fresh)
            out.push_back({InputPart::migration, static_cast<int>(i), -1, -1, m.from_year, "from",
                           i18n::tr("dynamics.migration_duplicate", {m.from_year})});
    }
    return out;
}

Projection project(const ProjectionInput& in) {
    if (const auto problems = check(in); !problems.empty())
        throw std::invalid_argument("project(): invalid input: " + problems.front().message.en);

    Projection p;
    p.base_year_ = in.base_year;
    p.years_ = in.years;
    p.units_ = in.units;
    p.sexes_ = in.sexes;
    const std::size_t block = static_cast<std::size_t>(in.units) * in.sexes * kAges;
    p.population_.assign(block * (static_cast<std::size_t>(in.years) + 1), 0.0);
    std::copy(in.base.begin(), in.base.end(), p.population_.begin());
    p.open_survivors_.assign(static_cast<std::size_t>(in.years) * in.units * in.sexes, 0.0);
    p.components_.assign(static_cast<std::size_t>(in.years) * in.units, Components{});

    // Yearly death probabilities per (life table, sex), and infant survival of a birth.
    const int sexes = in.sexes;
    std::vector<Ages> q(in.life_tables.size() * static_cast<std::size_t>(sexes));
    std::vector<double> infant_death(q.size());  // (1 − a0) q_0
    for (std::size_t t = 0; t < in.life_tables.size(); ++t)
        for (int s = 0; s < sexes; ++s) {
            const auto arr = death_probabilities(in.life_tables[t], s);
            const std::size_t k = t * sexes + s;
            q[k] = ConstAgesMap(arr.data());
            infant_death[k] = (1.0 - in.life_tables[t].a0) * arr[0];
        }
    // Fertility as a full-length age profile (zero outside 15..49).
    std::vector<Ages> fert(in.fertility.size(), Ages::Zero());
    for (std::size_t i = 0; i < in.fertility.size(); ++i)
        for (int a = 0; a < kFertileAges; ++a)
            fert[i](kFirstFertileAge + a) = in.fertility[i].asfr[static_cast<std::size_t>(a)];
    const MigrationRates migration(in.migration, in.units);
    const bool births_given = !in.births.empty();
    // Share of births by sex.
    const double boys = sexes == 2 ? in.sex_ratio_at_birth / (1.0 + in.sex_ratio_at_birth) : 1.0;
    const double girls = sexes == 2 ? 1.0 / (1.0 + in.sex_ratio_at_birth) : 0.0;

    Ages after_migration[2];
    Ages survivors[2];
    for (int k = 0; k < in.years; ++k) {
        const int year = in.base_year + k;
        for (int u = 0; u < in.units; ++u) {
            const double m = migration.rate(u, year);
            const int lt = table_of(in.life_table_of_unit, u);
            Components c;
            double women_exposure = 0.0;  // Σ f_x × mean women aged x (before births)
            for (int s = 0; s < sexes; ++s) {
                const ConstAgesMap start(p.population_.data() + p.cell(year, u, s));
                AgesMap next(p.population_.data() + p.cell(year + 1, u, s));
                const Ages& qs = q[static_cast<std::size_t>(lt) * sexes + s];
                Ages& a = after_migration[s];
                Ages& e = survivors[s];
                a = start * (1.0 + m);
                e = a * (1.0 - qs);
                c.start += start.sum();
                c.migration += (a - start).sum();
                c.deaths += (a - e).sum();
                next.segment<kAges - 2>(1) = e.head<kAges - 2>();       // x → x + 1 for x = 0..98
                next(kOpenAge) = e(kOpenAge - 1) + e(kOpenAge);          // 99 and 100+ → 100+
                p.open_survivors_[(static_cast<std::size_t>(k) * in.units + u) * sexes + s] = e(kOpenAge);
                if (!births_given && (sexes == 1 || s == kFemale)) {
                    const Ages& f = fert[static_cast<std::size_t>(table_of(in.fertility_of_unit, u))];
                    const double share = sexes == 1 ? in.female_fraction : 1.0;
                    // Ages 15..49 of `next` are survivors only (births enter at age 0).
                    women_exposure += share * 0.5 *
                                      (f.segment<kFertileAges>(kFirstFertileAge) *
                                       (a.segment<kFertileAges>(kFirstFertileAge) +
                                        next.segment<kFertileAges>(kFirstFertileAge)))
                                          .sum();
                }
            }
            const double births =
                births_given ? in.births[static_cast<std::size_t>(u) * in.years + k] : women_exposure;
            c.births = births;
            for (int s = 0; s < sexes; ++s) {
                const double born = births * (s == kFemale && sexes == 2 ? girls : boys);
                const double dying = born * infant_death[static_cast<std::size_t>(lt) * sexes + s];
                p.population_[p.cell(year + 1, u, s)] = born - dying;
                c.deaths += dying;
            }
            for (int s = 0; s < sexes; ++s) c.end += ConstAgesMap(p.population_.data() + p.cell(year + 1, u, s)).sum();
            p.components_[static_cast<std::size_t>(k) * in.units + u] = c;
        }
    }
    return p;
}

double Projection::persons(int year, int unit, int age, int sex) const {
    assert(year >= base_year_ && year <= last_year() && unit >= 0 && unit < units_ && age >= 0 && age < kAges);
    if (sex != kAllSexes) return population_[cell(year, unit, sex) + static_cast<std::size_t>(age)];
    double sum = 0.0;
    for (int s = 0; s < sexes_; ++s) sum += population_[cell(year, unit, s) + static_cast<std::size_t>(age)];
    return sum;
}

double Projection::total(int year, int unit) const {
    assert(year >= base_year_ && year <= last_year() && unit >= 0 && unit < units_);
    double sum = 0.0;
    for (int s = 0; s < sexes_; ++s) sum += ConstAgesMap(population_.data() + cell(year, unit, s)).sum();
    return sum;
}

std::span<const double> Projection::ages(int year, int unit, int sex) const {
    assert(year >= base_year_ && year <= last_year() && unit >= 0 && unit < units_ && sex >= 0 && sex < sexes_);
    return {population_.data() + cell(year, unit, sex), static_cast<std::size_t>(kAges)};
}

const Components& Projection::components(int year, int unit) const {
    assert(year >= base_year_ && year < last_year() && unit >= 0 && unit < units_);
    return components_[static_cast<std::size_t>(year - base_year_) * units_ + unit];
}

double Projection::open_survivors(int year, int unit, int sex) const {
    assert(year >= base_year_ && year < last_year() && unit >= 0 && unit < units_ && sex >= 0 && sex < sexes_);
    return open_survivors_[(static_cast<std::size_t>(year - base_year_) * units_ + unit) * sexes_ + sex];
}

// ---- age windows ----------------------------------------------------------------------------

MonthlyPersons window_persons(const Projection& p, int year, int unit, AgeWindow w, int sex) {
    assert(w.from >= 0 && w.from < w.to && w.to <= kOpenEnd);
    assert(year >= p.base_year() && year < p.last_year());
    const int first_sex = sex == kAllSexes ? 0 : sex;
    const int last_sex = sex == kAllSexes ? p.sexes() - 1 : sex;
    // Cohorts by their age x on 1 January (x = −1: born during the year), sizes P_x (start) and
    // E_x (end of year). A cohort is "inside" if both x and x+1 are in the window, "entering" if
    // only x+1 is, "leaving" if only x is. 100+ ages into itself.
    auto in_window = [&](int age) { return age >= w.from && age < w.to; };
    double inside_start = 0, inside_end = 0;   // Σ P_x, Σ E_x of inside cohorts
    double enter_start = 0, enter_end = 0;     // of entering cohorts
    double leave_start = 0, leave_end = 0;     // of leaving cohorts
    double newborn_end = 0;                    // births alive on the next 1 January (if from == 0)
    for (int s = first_sex; s <= last_sex; ++s) {
        const std::span<const double> now = p.ages(year, unit, s);
        const std::span<const double> next = p.ages(year + 1, unit, s);
        const double open_kept = p.open_survivors(year, unit, s);
        auto end_of = [&](int x) {  // E_x
            if (x < kOpenAge - 1) return next[static_cast<std::size_t>(x + 1)];
            if (x == kOpenAge - 1) return next[kOpenAge] - open_kept;
            return open_kept;
        };
        if (w.from == 0) newborn_end += next[0];
        // Only cohorts aged from − 1 .. to − 1 can touch the window.
        const int lo = std::max(w.from - 1, 0);
        const int hi = std::min(w.to - 1, kOpenAge);
        for (int x = lo; x <= hi; ++x) {
            const bool here = in_window(x);
            const bool later = in_window(std::min(x + 1, kOpenAge));
            const double start = now[static_cast<std::size_t>(x)];
            const double end = end_of(x);
            if (here && later) { inside_start += start; inside_end += end; }
            else if (later) { enter_start += start; enter_end += end; }
            else if (here) { leave_start += start; leave_end += end; }
        }
    }
    MonthlyPersons out{};
    for (int m = 1; m <= 12; ++m) {
        const double f = (m - 1) / 12.0;
        const double inside = (1.0 - f) * inside_start + f * inside_end;
        const double entering = f * ((1.0 - f) * enter_start + f * enter_end);
        const double leaving = (1.0 - f) * ((1.0 - f) * leave_start + f * leave_end);
        out[static_cast<std::size_t>(m - 1)] = inside + entering + leaving + f * newborn_end;
    }
    return out;
}

double person_months(const MonthlyPersons& monthly) {
    double sum = 0.0;
    for (double v : monthly) sum += v;
    return sum;
}

MonthlyPersons banded_persons(const Projection& p, int year, int unit, std::span<const BandRate> bands, int sex) {
    MonthlyPersons out{};
    for (const BandRate& b : bands) {
        const MonthlyPersons in_band = window_persons(p, year, unit, b.window, sex);
        for (std::size_t m = 0; m < out.size(); ++m) out[m] += b.rate * in_band[m];
    }
    return out;
}

std::vector<Problem> check_bands(std::span<const BandRate> bands) {
    std::vector<Problem> out;
    for (std::size_t i = 0; i < bands.size(); ++i) {
        const BandRate& b = bands[i];
        const int item = static_cast<int>(i);
        if (!(b.window.from >= 0 && b.window.from < b.window.to && b.window.to <= kOpenEnd)) {
            out.push_back({InputPart::age_band, item, -1, -1, 0, "ages",
                           i18n::tr("dynamics.window_bounds", {b.window.from, b.window.to})});
            continue;
        }
        if (!(b.rate >= 0.0 && b.rate <= 1.0))
            out.push_back({InputPart::age_band, item, -1, -1, 0, "rate",
                           i18n::tr("dynamics.band_rate_range", {percent_text(b.rate), b.window.from, b.window.to})});
        for (std::size_t j = 0; j < i; ++j) {
            const AgeWindow& o = bands[j].window;
            if (!(o.from >= 0 && o.from < o.to && o.to <= kOpenEnd)) continue;
            if (b.window.from < o.to && o.from < b.window.to)
                out.push_back({InputPart::age_band, item, -1, -1, 0, "ages",
                               i18n::tr("dynamics.window_overlap", {b.window.from, b.window.to, o.from, o.to})});
        }
    }
    return out;
}

}  // namespace subsim::dynamics
