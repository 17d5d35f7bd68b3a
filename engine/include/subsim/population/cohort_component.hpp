#pragma once
/// Cohort-component projection by single-year age, and the persons of an age window on the
/// first day of each month (groups defined by age: aged 70 to under 75, children under 6, 75+).
///
/// Conventions (double precision; the loader quantizes to Headcount afterwards):
///
/// - The population P(t) is counted on 1 January of year t by completed age x = 0..99 and the
///   open group 100+ (index 100), per unit and sex (one combined sex, or male and female).
/// - Net migration of year t happens on 1 January, just after the count: M_x = m × P_x(t), where m
///   is the unit's rate in force for year t (a fraction of the 1 January population; migrants have
///   that population's age and sex structure). They then live the year like residents.
/// - Deaths: of the A_x = P_x + M_x persons aged x, D_x = A_x × q_x die during the year and
///   E_x = A_x − D_x are aged x + 1 on the next 1 January; E_99 + E_100 form the next 100+.
/// - Births during the year: B = Σ_{x=15..49} f_x × ½ (W_x + W'_x), with W_x the women aged x after
///   migration and W'_x the surviving women aged x on the next 1 January (the mean female
///   population of the year), or B given per unit and year. With two sexes, boys = B·srb/(1+srb)
///   and girls = B/(1+srb); with one combined sex, W = female_fraction × persons. Births are spread
///   evenly over the year: one survives to 1 January with probability 1 − (1 − a0)·q_0 (= L_0/l_0).
/// - Mass balance per unit and year: start + births + migration − deaths = end, where deaths
///   include the infants born in the year who die before 1 January.
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "subsim/core/text.hpp"

namespace subsim::dynamics {

inline constexpr int kAges = 101;           ///< ages 0..99 and the open group 100+
inline constexpr int kOpenAge = 100;        ///< index of the open group 100+
inline constexpr int kOpenEnd = 101;        ///< window end meaning "no upper bound"
inline constexpr int kFirstFertileAge = 15;
inline constexpr int kLastFertileAge = 49;
inline constexpr int kFertileAges = kLastFertileAge - kFirstFertileAge + 1;  // 35
inline constexpr int kMale = 0;             ///< sex index with two sexes
inline constexpr int kFemale = 1;
inline constexpr int kCombined = 0;         ///< sex index with one combined sex
inline constexpr int kAllSexes = -1;        ///< "summed over sexes" in queries
inline constexpr int kAllUnits = -1;        ///< a migration step for every unit

/// A figure not given (a missing age). Tables start filled with it; check() reports what is left.
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// ---- validation ranges (README / notes state the reasons) ------------------------------
inline constexpr double kMaxFertility = 1.0;            ///< births per woman-year, 0..1
inline constexpr double kMinSexRatioAtBirth = 0.9;      ///< boys per girl
inline constexpr double kMaxSexRatioAtBirth = 1.3;
inline constexpr double kMaxMigrationRate = 0.5;        ///< |net migration| per year, −50%..+50%
/// The age table of a unit may differ from its stated population by at most this share
/// (or one person, whichever is larger).
inline constexpr double kTotalTolerance = 0.005;

/// How survival is given in a life table.
enum class SurvivalForm {
    qx,  ///< q_x: probability that a person aged x on 1 January dies within the year; ages 0..100
    sx,  ///< s_x = 1 − q_x: probability of being alive (and aged x+1) on the next 1 January; ages 0..100
    lx,  ///< l_x: survivors to exact age x of a cohort (any radix); ages 0..101, q_x = 1 − l_{x+1}/l_x
};

/// A life table for one population (one entry per sex). For qx and sx the value at age 100 is the
/// yearly rate of everyone in the open group 100+; lx needs l_101 for it.
struct LifeTable {
    SurvivalForm form = SurvivalForm::qx;
    std::vector<std::vector<double>> values;  ///< [sex][age]: 101 values (qx, sx) or 102 (lx)
    double a0 = 0.1;  ///< share of the first year lived by infants who die in it (0..1)
};

/// Age-specific fertility of women aged 15..49, births per woman per year.
struct Fertility {
    std::array<double, kFertileAges> asfr{};
};

/// Net migration rate for the years from `from_year` on, until a later step (per year, fraction
/// of the 1 January population; + in, − out). A unit's own steps take precedence over the steps
/// for all units; a year before every step has no migration.
struct MigrationStep {
    int unit = kAllUnits;
    int from_year = 0;
    double rate = 0.0;
};

/// Everything a projection needs. Dense tables; `base` is indexed (unit × sexes + sex) × 101 + age.
struct ProjectionInput {
    int base_year = 0;  ///< P(base_year) is given; years projected: base_year .. base_year + years − 1
    int years = 0;
    int units = 0;
    int sexes = 1;       ///< 1 (combined) or 2 (kMale, kFemale)
    std::vector<double> base;           ///< persons, size units × sexes × 101; kMissing = not given
    std::vector<double> stated_total;   ///< the unit's stated population (empty or kMissing: not checked)
    std::vector<LifeTable> life_tables;
    std::vector<int> life_table_of_unit;  ///< index into life_tables per unit (empty: all use [0])
    std::vector<Fertility> fertility;
    std::vector<int> fertility_of_unit;   ///< index into fertility per unit (empty: all use [0])
    std::vector<double> births;           ///< units × years (unit-major); non-empty: replaces fertility
    std::vector<MigrationStep> migration;
    double sex_ratio_at_birth = 1.05;     ///< boys per girl (two sexes)
    double female_fraction = 0.5;         ///< women among persons aged 15–49 (one combined sex)
};

/// A NaN-filled age table for `units` × `sexes` (fill it, then check() finds the missing ages).
std::vector<double> empty_age_table(int units, int sexes);

/// What a problem is about, so the loader can point at the file, line and key it read it from.
enum class InputPart { population, stated_total, life_table, fertility, births, migration, parameter, age_band };

/// One reason the input cannot be projected.
struct Problem {
    InputPart part = InputPart::parameter;
    int item = -1;  ///< unit (population, stated_total, births), table (life_table, fertility), step, band
    int sex = -1;
    int age = -1;
    int year = 0;   ///< births: the year
    std::string key;  ///< "persons", "qx", "sx", "lx", "asfr", "rate", "births", "total", "a0", "from", "to", ...
    Text message;
};

/// Every problem in the input (empty: project() may run). Checks: figures finite and ≥ 0; every
/// age given; survival probabilities in 0–1 and l_x positive at 0 and non-increasing; fertility
/// 0–1 per woman-year; sex ratio at birth 0.9–1.3; migration −50%..+50% a year, one step per
/// unit and year; female_fraction in (0, 1); a0 in 0–1; a unit's age table within 0.5% (or one
/// person) of its stated population. Shapes (vector sizes, indexes) are programmer errors (assert).
std::vector<Problem> check(const ProjectionInput& input);

/// Yearly death probabilities q_0..q_100 of one sex, converted from the table's form.
std::array<double, kAges> death_probabilities(const LifeTable& table, int sex);

/// Components of one unit's change over one year (persons, all sexes).
struct Components {
    double start = 0;      ///< 1 January of the year
    double births = 0;
    double deaths = 0;     ///< including infants born in the year
    double migration = 0;  ///< net, signed
    double end = 0;        ///< 1 January of the next year
};

/// Result: population on 1 January of base_year .. base_year + years, and the components.
class Projection {
public:
    int base_year() const { return base_year_; }
    int years() const { return years_; }
    int units() const { return units_; }
    int sexes() const { return sexes_; }
    /// The last 1 January counted (base_year + years).
    int last_year() const { return base_year_ + years_; }

    /// Persons aged `age` (kOpenAge = 100+) on 1 January of `year`; `sex` or kAllSexes.
    double persons(int year, int unit, int age, int sex = kAllSexes) const;
    /// All persons of the unit on 1 January of `year`.
    double total(int year, int unit) const;
    /// The 101 ages of one unit and sex on 1 January of `year`.
    std::span<const double> ages(int year, int unit, int sex) const;
    /// Change over `year` (base_year .. last_year − 1).
    const Components& components(int year, int unit) const;
    /// Persons already 100+ on 1 January of `year` who are alive on the next 1 January.
    double open_survivors(int year, int unit, int sex) const;

private:
    friend Projection project(const ProjectionInput& input);
    std::size_t cell(int year, int unit, int sex) const {
        return ((static_cast<std::size_t>(year - base_year_) * units_ + unit) * sexes_ + sex) * kAges;
    }
    int base_year_ = 0, years_ = 0, units_ = 0, sexes_ = 1;
    std::vector<double> population_;      ///< (years + 1) × units × sexes × 101
    std::vector<double> open_survivors_;  ///< years × units × sexes
    std::vector<Components> components_;  ///< years × units
};

/// Projects. Precondition: check(input) is empty (otherwise throws std::invalid_argument).
Projection project(const ProjectionInput& input);

// ---- age windows -------------------------------------------------------------------------

/// Ages [from, to): 0 ≤ from < to ≤ 101; to = kOpenEnd (101) means "and older" (takes 100+).
struct AgeWindow {
    int from = 0;
    int to = kOpenEnd;
};

/// Persons on the 1st of months 1..12 (index 0 = 1 January).
using MonthlyPersons = std::array<double, 12>;

/// Persons in `window` on the 1st of each month of `year` (base_year .. last_year − 1).
///
/// Birthdays are spread evenly over the 12 months: of the persons aged x on 1 January, the
/// share f = (m − 1)/12 has turned x + 1 by the 1st of month m. The cohort itself moves linearly
/// from its 1 January size P_x to its size at the end of the year E_x (deaths and migration spread
/// evenly): C_x(m) = (1 − f)·P_x + f·E_x. So the window holds, on the 1st of month m,
///     Σ_x C_x(m) × [(1 − f)·1{x in window} + f·1{x + 1 in window}]
/// plus, if the window starts at 0, f × the births of the year alive on the next 1 January.
/// 100+ stays 100+. On 1 January it is exactly the count; month 13 would be next year's count.
MonthlyPersons window_persons(const Projection& p, int year, int unit, AgeWindow window, int sex = kAllSexes);

/// Person-months of a year: the sum of the twelve 1st-of-month counts.
double person_months(const MonthlyPersons& monthly);

/// A share of the persons in an age band (e.g. near-poor: 2% of ages 0–59, 3% of 60+).
struct BandRate {
    AgeWindow window;
    double rate = 0.0;
};

/// Σ over bands of rate × window_persons(band). Precondition: check_bands(bands) is empty.
MonthlyPersons banded_persons(const Projection& p, int year, int unit, std::span<const BandRate> bands,
                              int sex = kAllSexes);

/// Problems with the bands of one group definition: bounds, overlapping windows, rates
/// outside 0–1. (A group of several windows with rate 1 is checked the same way.)
std::vector<Problem> check_bands(std::span<const BandRate> bands);

}  // namespace subsim::dynamics
