#pragma once
/// Crosswalks between two divisions of one territory: the units of a scenario and the
/// units of another division (before and after a merger of communes, districts,
/// provinces). On 1 July 2025 Viet Nam abolished districts and merged communes; plans,
/// targets and counts written before are keyed on units that no longer exist. A
/// crosswalk carries such figures onto the new units, and new-unit figures back onto the
/// old ones, exactly.
///
/// The division with the newer units is called "new", the other "old", whichever of the
/// two is the scenario's own. One row of a crosswalk table says that (part of) an old
/// unit went into a new unit:
///
///     new_code,new_name,old_code,old_name,old_district,old_province,part[,weight][,population]
///
/// **Weights are exact integers.** Every old unit's rows carry integer weights w with a
/// per-old-unit total W; the share of the old unit going into a row's new unit is w / W,
/// exactly. Given percentages (50%, 33.3333%) become their decimal units at the old
/// unit's common scale (W = 10^scale), population weights are the parts' persons
/// (W = their sum), equal shares are 1 each (W = number of parts). No weight is ever
/// rounded: 1/3 stays 1/3, which neither a Decimal nor parts per million can hold.
///
/// **Carrying counts** (persons, headcount, đồng) is one largest-remainder apportionment
/// per unit: each part gets floor(amount × w / W); the units left over go one each to
/// the parts with the largest remainders; equal remainders go to the earlier part in
/// the receiving division's order (new-unit order when carrying old → new, old-unit
/// order when aggregating new → old). Totals are preserved exactly per unit.
///
/// **Rates** are population-weighted means over the parts, exact rationals rounded once
/// to a stated scale.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "subsim/core/date.hpp"
#include "subsim/core/decimal.hpp"
#include "subsim/core/error.hpp"
#include "subsim/core/headcount.hpp"
#include "subsim/core/money.hpp"
#include "subsim/core/text.hpp"

namespace subsim {

// ---------------------------------------------------------------- validity periods

/// Days a unit exists (inclusive). An open end means "before/after any date of
/// interest": the old communes are valid to 2025-06-30, the new ones from 2025-07-01.
struct ValidityPeriod {
    std::optional<Date> from;
    std::optional<Date> to;

    bool contains(Date d) const { return (!from || *from <= d) && (!to || d <= *to); }
    bool overlaps(const ValidityPeriod& other) const;
    /// "2025-01-01 – 2025-06-30"; an open end is "…".
    std::string to_string() const;
};

/// A unit of one division: its code (text, "00123" keeps its zeros), name, validity.
/// One code may name several units in succession (code 374 was Huyện Hoa Lư until
/// 2024-12-31 and Thành phố Hoa Lư from 2025-01-01); their periods may not overlap.
struct DatedUnit {
    std::string code;
    std::string name;
    ValidityPeriod valid;
    SourceLocation where;
};

/// The unit with `code` valid on `on`, or -1.
int find_valid_unit(std::span<const DatedUnit> units, std::string_view code, Date on);

/// An input row keyed on a unit at a date (a target for 2025 keyed on a district: the
/// date is 2025-01-01).
struct DatedKey {
    std::string code;
    Date on;
    SourceLocation where;
    std::string key;  ///< the column, for messages
};

// ---------------------------------------------------------------- crosswalk rows

/// How the weights of an old unit split among several new units are found.
enum class CrosswalkWeights {
    given,       ///< a `weight` column: the share of the OLD unit going to each new unit
    population,  ///< a `population` column: persons of each part (every row)
    equal,       ///< equal shares of a split unit: an assumption, reported as one
};
std::optional<CrosswalkWeights> parse_crosswalk_weights(std::string_view text);
std::string_view to_string(CrosswalkWeights w);

/// One row: (part of) an old unit that went into a new unit.
struct CrosswalkRow {
    std::string new_code;
    std::string new_name;
    std::string old_code;
    std::string old_name;
    std::string old_district;  ///< the old unit's district (name as the source gives it)
    std::string old_province;
    bool split = false;        ///< `part` column: "part" (split among new units) or "whole"
    std::optional<Decimal> weight;            ///< share of the old unit (0 < w ≤ 1)
    std::optional<std::int64_t> population;   ///< persons of this part
    SourceLocation where;      ///< file and line (column 0)
};

/// 1-based columns of a crosswalk file, for messages; 0 = not in the file.
struct CrosswalkColumns {
    int new_code = 0;
    int old_code = 0;
    int old_district = 0;
    int part = 0;
    int weight = 0;
    int population = 0;
    int old_province = 0;
};

struct CrosswalkTable {
    std::vector<CrosswalkRow> rows;
    CrosswalkColumns columns;
};

// read_crosswalk_table() (io/crosswalk_csv.hpp) reads one from CSV.

// ---------------------------------------------------------------- problems

enum class CrosswalkProblem {
    unknown_unit,            ///< a row names a code that is not in its division
    duplicate_unit,          ///< a division lists a code twice
    duplicate_row,           ///< the same (old, new) pair twice
    whole_but_split,         ///< marked whole, but the old unit goes into several new units
    part_but_single,         ///< marked part, but the old unit goes into one new unit only
    weight_missing,          ///< weights: given, a split row without a weight
    weight_out_of_range,     ///< a weight ≤ 0% or > 100%
    weights_not_100,         ///< a split unit's weights do not add up to exactly 100%
    weight_unused,           ///< a weight or population column the chosen rule does not read
    population_missing,      ///< weights: population, a row without its part's persons
    population_zero,         ///< weights: population, the parts of an old unit hold nobody
    two_districts,           ///< one old unit in two old districts (or provinces)
    old_unit_carried_nowhere,///< an old unit no row carries: its persons would be lost
    new_unit_fed_by_nothing, ///< a new unit no row feeds
    period_reversed,         ///< valid_to before valid_from
    periods_overlap,         ///< two periods of one code overlap
    not_valid_on_date,       ///< an input keyed on a unit at a date when it is not valid
};

/// A reason a crosswalk (or a dated input) is refused, with where and which key; the
/// loader throws error().
struct CrosswalkIssue {
    CrosswalkProblem problem;
    SourceLocation where;
    std::string key;
    Text message;
    ScenarioError error() const { return ScenarioError(where, key, message); }
};

/// Periods that end before they start; two units with one code whose periods overlap.
std::vector<CrosswalkIssue> check_validity_periods(std::span<const DatedUnit> units);

/// Inputs keyed on a code no unit has, or on a unit at a date when it is not valid
/// (a 2025 target keyed on Thành phố Ninh Bình, which ended on 2024-12-31).
std::vector<CrosswalkIssue> check_keys_valid(std::span<const DatedUnit> units, std::span<const DatedKey> keys);

// ---------------------------------------------------------------- the crosswalk

/// What build_crosswalk() reads.
struct CrosswalkInput {
    Text new_division;  ///< named in messages: {"các xã, phường từ 1/7/2025", "the communes from 1 July 2025"}
    Text old_division;
    std::vector<DatedUnit> new_units;  ///< the new division; its order breaks ties
    std::vector<DatedUnit> old_units;  ///< the old division; empty: the rows' old codes, first-seen order
    std::vector<CrosswalkRow> rows;
    CrosswalkColumns columns;
    CrosswalkWeights weights = CrosswalkWeights::equal;
    SourceLocation file;  ///< the crosswalk file (for units with no location of their own)
};

/// Every reason the input is not a usable crosswalk, in row order then unit order
/// (empty: build_crosswalk() succeeds).
std::vector<CrosswalkIssue> check_crosswalk(const CrosswalkInput& input);

/// Old units grouped one level up (old communes → old districts or old provinces).
struct UnitGroups {
    std::vector<std::string> names;    ///< one per group, first-seen order (a district's name)
    std::vector<std::string> parents;  ///< the group's own parent (the district's province), or empty
    std::vector<int> group_of;         ///< per member: index into names

    std::size_t size() const { return names.size(); }
    /// Σ of the members of each group (exact; throws ArithmeticOverflow).
    std::vector<std::int64_t> sum(std::span<const std::int64_t> per_member) const;
    /// Each group's amount over its members in proportion to `member_weight` (persons),
    /// largest remainder, ties to the earlier member; a group whose members weigh 0 in
    /// total is split equally.
    std::vector<std::int64_t> spread(std::span<const std::int64_t> per_group,
                                     std::span<const std::int64_t> member_weight) const;
    /// Each member takes its group's value (a district's target for its communes).
    std::vector<std::optional<Decimal>> inherit(std::span<const std::optional<Decimal>> per_group) const;
};

/// How a carried rate is rounded: to `scale` decimal places of the fraction (scale 4 is
/// hundredths of a percent, 94.71%), by `rounding`.
struct RateRounding {
    int scale = 4;
    Rounding rounding = Rounding::half_up;
};

/// A rate carried to a unit: the population-weighted mean of the rates of its parts.
struct CarriedRate {
    std::optional<Decimal> rate;         ///< none when no part with a rate has persons
    std::int64_t persons = 0;            ///< persons of all the unit's parts
    std::int64_t persons_with_rate = 0;  ///< persons of the parts that have a rate
};

/// A checked crosswalk. Indices: new units 0..new_count()-1 in the new division's
/// order, old units 0..old_count()-1 in the old division's order.
class Crosswalk {
public:
    /// One part: old unit → new unit. share of the old unit = weight / old_total(old_unit);
    /// share of the new unit (for aggregating back) = back_weight / new_total(new_unit).
    struct Link {
        int old_unit = 0;
        int new_unit = 0;
        std::int64_t weight = 0;
        std::int64_t back_weight = 0;
    };

    std::size_t new_count() const { return new_codes_.size(); }
    std::size_t old_count() const { return old_codes_.size(); }
    const std::string& new_code(int i) const { return new_codes_[i]; }
    const std::string& old_code(int i) const { return old_codes_[i]; }
    const std::string& old_name(int i) const { return old_names_[i]; }
    int find_new(std::string_view code) const;  ///< -1 if absent (a linear scan: for lookups, not loops)
    int find_old(std::string_view code) const;  ///< -1 if absent (a linear scan)
    CrosswalkWeights weights() const { return weights_; }

    /// Every part, by old unit, then new unit.
    std::span<const Link> links() const { return links_; }
    std::span<const Link> links_of_old(int old_unit) const;
    /// Indices into links() of the parts of a new unit, by old unit.
    std::span<const int> links_of_new(int new_unit) const;
    std::int64_t old_total(int old_unit) const { return old_total_[old_unit]; }
    std::int64_t new_total(int new_unit) const { return new_total_[new_unit]; }

    /// Old units split by the equal-shares assumption (weights: equal), in old order.
    std::vector<int> assumed_splits() const;
    /// True when some part of new unit `new_unit` comes from an old unit split by the
    /// equal-shares assumption (its figures carried there rest on it).
    bool new_unit_assumed(int new_unit) const;
    /// True when aggregating new → old without part populations rests on an assumption:
    /// the parts of a new unit are taken in proportion to the shares of their old units
    /// (old units of equal size). False for weights: population.
    bool back_weights_assumed() const { return weights_ != CrosswalkWeights::population; }
    /// One warning per old unit split by assumption, naming it and the 1/n share.
    std::vector<Warning> assumption_warnings() const;

    // ---- counts: persons, headcount, đồng; totals preserved exactly per unit

    /// Each old unit's amount over its parts (forward weights): one value per link.
    std::vector<std::int64_t> split_old(std::span<const std::int64_t> per_old) const;
    /// Each new unit's amount over its parts (back weights): one value per link.
    std::vector<std::int64_t> split_new(std::span<const std::int64_t> per_new) const;
    /// Each new unit's amount over its parts in proportion to `part_weight` (one per
    /// link, e.g. split_old(old population)); a new unit whose parts weigh 0 falls back
    /// to the back weights.
    std::vector<std::int64_t> split_new(std::span<const std::int64_t> per_new,
                                        std::span<const std::int64_t> part_weight) const;

    /// Old units' counts carried to the new units (Σ of split_old per new unit).
    std::vector<std::int64_t> carry_to_new(std::span<const std::int64_t> per_old) const;
    /// Headcounts carried so that whole persons stay whole: each old headcount's whole
    /// persons are apportioned as persons, its fraction of a person (projections only)
    /// as headcount units, both by largest remainder.
    std::vector<Headcount> carry_headcount_to_new(std::span<const Headcount> per_old) const;
    /// New units' figures (đồng, persons) aggregated to the old units (Σ of split_new).
    std::vector<std::int64_t> aggregate_to_old(std::span<const std::int64_t> per_new) const;
    std::vector<std::int64_t> aggregate_to_old(std::span<const std::int64_t> per_new,
                                               std::span<const std::int64_t> part_weight) const;

    /// Per-link amounts summed per new unit / per old unit.
    std::vector<std::int64_t> sum_by_new(std::span<const std::int64_t> per_link) const;
    std::vector<std::int64_t> sum_by_old(std::span<const std::int64_t> per_link) const;

    // ---- rates: population-weighted means

    /// Rates of old units carried to the new units, weighted by the persons of each part
    /// (`part_population`, one per link). Parts of an old unit without a rate are left
    /// out of the mean (CarriedRate says how many persons that was).
    std::vector<CarriedRate> rates_to_new(std::span<const std::optional<Decimal>> per_old,
                                          std::span<const std::int64_t> part_population,
                                          RateRounding rounding = {}) const;
    /// Rates of new units aggregated to the old units, the same way.
    std::vector<CarriedRate> rates_to_old(std::span<const std::optional<Decimal>> per_new,
                                          std::span<const std::int64_t> part_population,
                                          RateRounding rounding = {}) const;

    // ---- the level above the old units

    /// Old units grouped by old district (the rows' old_province + old_district; each
    /// old unit is in one). A figure on a new unit reaches the old districts as
    /// old_districts().sum(aggregate_to_old(x)): the districts add up to their communes.
    const UnitGroups& old_districts() const { return districts_; }
    /// Old units grouped by old province.
    const UnitGroups& old_provinces() const { return provinces_; }

    /// The same crosswalk one level up: its old units are `groups` (old_districts() or
    /// old_provinces()), in their order, named by the groups' names. A group's share
    /// going into a new unit is its members' shares weighted by `member_weight`
    /// (persons per member; empty: members of equal size, an assumption), exactly, as
    /// integers: w'(g, n) = Σ m_c × w(c, n) × L / W(c), W'(g) = Σ m_c × L with L the lcm of
    /// the members' W. Back weights are the members' back weights summed, so each new
    /// unit's total is unchanged. Its old_districts() are the groups themselves and its
    /// old_provinces() the groups' parents. Throws ArithmeticOverflow.
    Crosswalk regroup_old(const UnitGroups& groups, std::span<const std::int64_t> member_weight = {}) const;

private:
    friend Crosswalk build_crosswalk(const CrosswalkInput& input);

    CrosswalkWeights weights_ = CrosswalkWeights::equal;
    std::vector<std::string> new_codes_;
    std::vector<std::string> old_codes_;
    std::vector<std::string> old_names_;
    std::vector<std::pair<int, SourceLocation>> split_where_;  ///< split old units: first row
    std::vector<Link> links_;
    std::vector<int> old_begin_;   ///< links_[old_begin_[o] .. old_begin_[o+1])
    std::vector<int> new_begin_;   ///< new_links_[new_begin_[n] .. new_begin_[n+1])
    std::vector<int> new_links_;
    std::vector<std::int64_t> old_total_;
    std::vector<std::int64_t> new_total_;
    UnitGroups districts_;
    UnitGroups provinces_;
};

/// Checks and builds. Throws the first issue of check_crosswalk() as a ScenarioError.
Crosswalk build_crosswalk(const CrosswalkInput& input);

}  // namespace subsim
