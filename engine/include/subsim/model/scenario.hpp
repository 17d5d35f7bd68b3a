#pragma once
/// The scenario as immutable domain data ("what"): dated parameters, units, groups,
/// payers, subsidy rules, cohorts, enrolment, population, targets. No computation here
/// beyond lookups; the simulator ("how") lives in sim/.
#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <cstdint>
#include <optional>
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
#include "subsim/model/crosswalk.hpp"
#include "subsim/model/uncertainty.hpp"
#include "subsim/population/takeup.hpp"

namespace subsim {

/// How much to trust a number. `assumption` and `illustrative` say plainly that the
/// figure is not from a legal or statistical source.
enum class Confidence { high, medium_high, medium, low, assumption, illustrative };
std::string_view to_string(Confidence c);

/// Legal reference and confidence carried by every parameter value and rule.
struct Provenance {
    std::string reference;  ///< e.g. "NĐ 73/2024/NĐ-CP, Art. 3 cl. 2"
    Confidence confidence = Confidence::assumption;
    std::string note;       ///< free text (optional)
};

/// A value that holds from `from` until the next entry's `from`.
template <class T>
struct DatedValue {
    Date from;
    T value;
    Provenance provenance;
    SourceLocation where;
};

/// Entries sorted by `from`, strictly increasing (the loader guarantees it).
template <class T>
struct Timeline {
    std::vector<DatedValue<T>> entries;

    /// The entry in force on `d`, or nullptr if none has started yet.
    const DatedValue<T>* at(Date d) const {
        const DatedValue<T>* found = nullptr;
        for (const auto& e : entries) {
            if (e.from <= d) found = &e;
            else break;
        }
        return found;
    }
};

/// Dated legal parameters.
struct Parameters {
    Timeline<Dong> base_salary;                         ///< lương cơ sở, đồng per month
    Timeline<Decimal> contribution_rate;                ///< mức đóng, fraction of base salary (0.045)
    Timeline<std::vector<Decimal>> household_reduction; ///< household schedule (1st, 2nd, ... person), informational
    Rounding rounding = Rounding::half_up;
    SourceLocation rounding_where;
};

enum class UnitLevel { province, district, commune };
std::string_view to_string(UnitLevel l);

/// An administrative area. Attributes are text; booleans are "true"/"false".
struct Unit {
    std::string code;  ///< official code, always text ("00123" keeps its zeros)
    std::string name;
    UnitLevel level = UnitLevel::district;
    int parent = -1;   ///< index into Scenario::units, -1 for a root
    std::vector<std::pair<std::string, std::string>> attributes;  ///< sorted by name
    /// Days the unit exists (`valid_from`/`valid_to`, inclusive; open ends: always). A
    /// unit is costed, and counted in coverage, in the months whose first day it is
    /// valid on. One code may name several units whose periods do not overlap.
    ValidityPeriod valid;
    SourceLocation where;
    SourceLocation code_where;  ///< its code's cell or value (messages about the unit as a whole)

    /// The attribute's value, or nullptr if the unit does not have it.
    const std::string* attribute(std::string_view name) const;
    bool valid_on(Date d) const { return valid.contains(d); }
    /// Months of `year` on whose first day the unit is valid (0..12).
    int months_valid(int year) const;
    /// Valid on some day of `year`.
    bool valid_in(int year) const;
};

/// A population group (đối tượng).
/// An age band of a group defined by age: persons aged [from, to) (to = 101: and older)
/// in the cohort-component projection, times `share` (100% for a plain age window).
struct AgeBand {
    int from = 0;
    int to = 101;
    Decimal share = Decimal::one();
    SourceLocation where;
};

/// A population group (đối tượng).
struct Group {
    std::string id;
    Text name;
    /// > 0: time-limited support; persons come from dated inflows and count for this
    /// many months from their inflow month (trafficking victims: 12).
    int duration_months = 0;
    /// Non-empty: the group is defined by age (`age: [70, 75]`, or `age_bands:` with a
    /// share of each band); its persons come from the projection, month by month.
    std::vector<AgeBand> age_bands;
    SourceLocation where;
    bool by_age() const { return !age_bands.empty(); }
};

enum class PayerLevel { central, province, commune };
std::string_view to_string(PayerLevel l);

/// Who pays a rule. `central`, `province` and `commune` always exist; a scenario may
/// declare more (each must be used by a rule).
struct Payer {
    std::string id;
    Text name;
    PayerLevel level = PayerLevel::province;
    bool declared = false;  ///< declared in the scenario (not built in)
    SourceLocation where;
};

/// A condition on unit attributes: every (name, value) must match. A missing
/// attribute matches "false" and nothing else.
struct Condition {
    std::vector<std::pair<std::string, std::string>> equals;  ///< sorted by name; values in NFC
    std::vector<SourceLocation> where;  ///< where each value is written (same order)
    bool matches(const Unit& u) const;
    bool empty() const { return equals.empty(); }
};

/// A subsidy: who it covers, what share (or fixed amount) of the contribution it
/// pays, who pays, and when it is in force.
struct Rule {
    std::string id;
    Text label;
    Provenance provenance;
    std::vector<int> groups;       ///< indices into Scenario::groups
    Condition condition;
    std::optional<Decimal> share;  ///< fraction of the contribution (0.70)
    std::optional<Dong> amount;    ///< or a fixed amount per person-month
    int payer = 0;                 ///< index into Scenario::payers
    Date from;
    std::optional<Date> to;        ///< last day in force (inclusive)
    SourceLocation where;          ///< the rule's mapping in the YAML
    SourceLocation share_where;    ///< its share/amount value

    bool in_force(Date d) const { return from <= d && (!to || d <= *to); }
    bool covers(int group) const;
};

/// Share of a cohort holding a card; the most specific entry wins (unit over all
/// units), then the latest `from`. Default: Scenario::default_enrolment.
struct EnrolmentRate {
    int group = 0;
    int unit = -1;  ///< -1: every unit
    Date from;
    Decimal share;
    Provenance provenance;
    SourceLocation where;
};

/// Enrolment that answers to the subsidy: the group's enrolment share is a take-up curve
/// of what the person still pays a year (population/takeup.hpp), instead of a fixed share.
struct TakeupEntry {
    int group = 0;
    dynamics::TakeupSpec spec;
    bool retention = false;        ///< after a local top-up ends, enrolment decays over years
    dynamics::Retention retention_form;
    Provenance provenance;
    SourceLocation where;
};

/// Enrolment moving toward a target: from 1 January of `from_year`, each year closes
/// `close` of the gap between the share then in force and `target`.
struct EnrolmentRamp {
    int group = 0;
    int unit = -1;  ///< -1: every unit
    int from_year = 0;
    Decimal target;
    Decimal close;
    Provenance provenance;
    SourceLocation where;
};

/// Yearly growth of a group's headcount, applied to years projected past the last
/// given year: a year Y uses the rate in force on 1 January of Y.
struct GrowthRate {
    int group = 0;
    Date from;
    Decimal rate;  ///< 0.015 = +1.5% a year; may be negative
    Provenance provenance;
    SourceLocation where;
};

/// Where a data row came from: a file (an index into ScenarioData::files) and a line.
/// Bulk tables hold hundreds of thousands of rows; a string per row would cost more
/// than the row. ScenarioData::where() turns it into a SourceLocation for messages, with
/// the column of the cell a message is about (from the file's header, kept once a file).
struct RowRef {
    std::uint32_t file = 0;
    std::int32_t line = 0;
};

/// A factor on a group's persons in every unit and year (a variant's "10% more people
/// aged 70–74"; a sensitivity draw's uncertainty about group sizes): 110% = 1.1 × persons.
struct CohortScale {
    int group = 0;
    Decimal scale;
    Provenance provenance;
    SourceLocation where;
};

struct CohortRow {
    int year = 0;
    int unit = 0;
    int group = 0;
    std::int64_t persons = 0;
    RowRef where;
};

/// Persons entering a time-limited group in a month.
struct Inflow {
    YearMonth month;
    int unit = 0;
    int group = 0;
    std::int64_t persons = 0;
    RowRef where;
};

/// Persons counted in both groups in a unit and year; they get one package only.
struct Overlap {
    int year = 0;
    int unit = 0;
    int group_a = 0;
    int group_b = 0;
    std::int64_t persons = 0;
    RowRef where;
};

struct PopulationRow {
    int year = 0;
    int unit = 0;
    std::int64_t persons = 0;
    RowRef where;
};

struct TargetRow {
    int year = 0;
    int unit = 0;
    Decimal target;  ///< fraction of population (0.95)
    RowRef where;
};

/// An input file and its SHA-256, for run.json.
struct InputFile {
    std::string path;  ///< relative to the scenario root
    std::string sha256;
};

/// The inputs of a cohort-component projection (population/cohort_component.hpp): the
/// base population by single-year age of each lowest-level unit, survival, fertility,
/// migration. Ages are kept as read; compile() projects them.
struct Demography {
    int base_year = 0;
    int sexes = 1;                               ///< 1 (one combined sex) or 2 (male, female)
    std::vector<int> units;                      ///< the scenario units given ages, in the table's order
    std::vector<double> ages;                    ///< units × sexes × 101 (NaN: not given)
    std::vector<RowRef> unit_rows;               ///< per unit: its first row in the ages table
    std::string life_table_form = "qx";          ///< qx, sx or lx
    std::vector<std::vector<double>> life_table; ///< [sex][age]
    double a0 = 0.1;
    std::vector<double> fertility;               ///< ASFR at ages 15..49 (empty: births not modelled)
    double sex_ratio_at_birth = 1.05;
    double female_fraction = 0.5;
    struct Migration {
        int unit = -1;  ///< -1: every unit
        int from_year = 0;
        double rate = 0;
        std::string rate_text;  ///< the rate as written, as a percentage ("-0.05%")
        Provenance provenance;  ///< its reference and confidence (repeated in provenance.csv)
        SourceLocation where;
    };
    std::vector<Migration> migration;
    Provenance provenance;
    SourceLocation where;        ///< the demography block
    SourceLocation ages_where;   ///< its `ages` key, etc., for messages
    SourceLocation life_where;
    SourceLocation fertility_where;
};

/// A level of a crosswalk table: its new units, or its old communes, districts and
/// provinces (the last two named by the table's `old_district`/`old_province` columns).
enum class CrosswalkLevel { new_unit, old_commune, old_district, old_province };
/// "new", "old_commune", "old_district", "old_province".
std::string_view to_string(CrosswalkLevel l);
/// Those names, with `-` for `_` accepted ("old-district"); "new_commune" is "new".
std::optional<CrosswalkLevel> parse_crosswalk_level(std::string_view text);

/// A crosswalk a scenario declares (`crosswalks:`), bound to the scenario's units.
struct ScenarioCrosswalk {
    std::string id;
    Text name;                ///< the division it relates the scenario to
    std::string file;         ///< as messages name it
    Date change;              ///< first day of the new units; the old ones end the day before
    CrosswalkWeights weights = CrosswalkWeights::equal;
    Provenance provenance;
    SourceLocation where;
    /// The levels whose units are the scenario's own (matched by code for `new` and
    /// `old_commune`, by name for `old_district` and `old_province`).
    std::vector<CrosswalkLevel> scenario_levels;
    std::shared_ptr<const Crosswalk> table;  ///< old communes → new units, as in the file
    std::vector<int> new_unit;       ///< per new unit of `table`: the scenario unit, or -1
    std::vector<int> old_unit;       ///< per old commune of `table`: the scenario unit, or -1
    std::vector<int> district_unit;  ///< per old district (table->old_districts()): scenario unit or -1
    std::vector<int> province_unit;  ///< per old province (table->old_provinces()): scenario unit or -1
    /// When the scenario holds both sides: its old leaves → its new leaves. On `change`
    /// the persons (and population, targets, overlaps, inflows still running) of the old
    /// leaves are carried to the new ones with it.
    std::shared_ptr<const Crosswalk> carry;
    std::vector<int> carry_old, carry_new;  ///< scenario unit of each old / new unit of `carry`
    /// Persons of each link of `table` (its parts) by year, when the scenario gives a
    /// population keyed on the old communes (`by:`): they weight carried rates and
    /// apportion new-unit figures back to the old units. Empty: the back weights (old
    /// communes of equal size), an assumption the reports state.
    std::vector<std::pair<int, std::vector<std::int64_t>>> part_population;
    /// Targets keyed on a level (`targets: {by: ...}`), kept for the reports by that level.
    struct LevelTarget {
        CrosswalkLevel level = CrosswalkLevel::old_district;
        int year = 0;
        int key = 0;  ///< index of the level's unit
        Decimal target;
    };
    std::vector<LevelTarget> level_targets;

    bool has(CrosswalkLevel l) const;
    /// The last day of the old units (the day before `change`).
    Date last_old_day() const { return change.previous_day(); }
    /// The part populations of the latest year on or before `year`, or nullptr.
    const std::vector<std::int64_t>* part_population_in(int year) const;
};

/// A figure carried from one division to another (an input keyed on old units, or the
/// persons of the old units on the change date). Reports list every one as carried.
struct CarriedFigure {
    enum class Kind { target, population, cohort, overlap, inflow, enrolment };
    Kind kind = Kind::cohort;
    int crosswalk = 0;      ///< index into ScenarioData::crosswalks
    CrosswalkLevel level = CrosswalkLevel::old_commune;  ///< what the figure was keyed on
    int year = 0;           ///< or the month's year (inflows), the entry's year (enrolment)
    int unit = 0;           ///< the scenario unit it was carried to
    int group = -1;         ///< or -1
    int group_b = -1;       ///< overlaps: the other group
    std::int64_t persons = 0;       ///< counts: whole persons (or Headcount for the change, see `headcount`)
    bool headcount = false;         ///< persons is a Headcount (× 10,000)
    std::optional<Decimal> rate;    ///< targets, enrolment shares
    int parts = 0;          ///< the old units it came from
    bool assumed = false;   ///< rests on the equal-share or equal-size assumption
    bool at_change = false; ///< carried on the change date (not from an input table)
};
std::string_view to_string(CarriedFigure::Kind k);

/// The bulk data of a scenario: units, groups and the tables keyed on them. Read once
/// and shared, never copied, by every variant of the scenario (variants change Policy).
/// What compile() derives from bulk data alone, kept with the data so that scenarios
/// sharing it (a base and its variants, the steps of a stacked estimate) derive it once
/// (sim/compile.cpp). A copy of the data starts without it: the copy may be changed.
class CompileMemo {
public:
    CompileMemo() = default;
    CompileMemo(const CompileMemo&) {}
    CompileMemo& operator=(const CompileMemo&) {
        clear();
        return *this;
    }
    /// The age groups' persons per month for a scenario's years, or null.
    std::shared_ptr<const std::vector<Headcount>> age_persons(int first_year, int years) const;
    void keep_age_persons(int first_year, int years, std::shared_ptr<const std::vector<Headcount>> persons) const;

private:
    void clear();
    struct Entry {
        int first_year, years;
        std::shared_ptr<const std::vector<Headcount>> persons;
    };
    mutable std::mutex lock_;
    mutable std::vector<Entry> entries_;
};

struct ScenarioData {
    std::vector<std::string> files;  ///< RowRef::file → the file as messages name it
    /// RowRef::file → the file's header (column names in file order), where the loader
    /// recorded it; empty for rows built in code (their messages then name no column).
    std::vector<std::vector<std::string>> file_columns;
    std::vector<Unit> units;
    std::vector<Group> groups;
    std::vector<CohortRow> cohorts;
    std::vector<Inflow> inflows;
    std::vector<Overlap> overlaps;
    std::vector<PopulationRow> population;
    std::optional<Demography> demography;
    std::vector<ScenarioCrosswalk> crosswalks;
    /// Figures the loader carried from inputs keyed on other divisions (`by:`).
    std::vector<CarriedFigure> carried;
    CompileMemo memo;

    /// The index of `file` in `files`, added if new.
    std::uint32_t file_id(const std::string& file);
    /// Records the header of the file `id` names (the loader, on the main thread).
    void set_file_columns(std::uint32_t id, std::vector<std::string> header);
    /// The file, line and column of the cell in `column` (a header name) of row `r`;
    /// column 0 (none shown) if the file's header is unknown or lacks that name.
    SourceLocation where(RowRef r, std::string_view column) const;
    int find_unit(std::string_view code) const;   ///< -1 if absent (the first unit with the code)
    /// The unit with `code` valid on `d`, or -1.
    int find_unit(std::string_view code, Date d) const;
    int find_group(std::string_view id) const;    ///< -1 if absent
    bool is_leaf(int unit) const;                 ///< no other unit has it as parent
    /// Some unit has a validity period (a scenario across a change of units).
    bool has_validity() const;
};

struct Scenario;

/// One change a variant makes to the scenario it extends (a rule patched, added or
/// removed; a dated parameter value; an enrolment share; …), in the order written.
/// Comparisons add a variant's provisions to its base one at a time (stacked estimates).
struct Provision {
    std::string key;       ///< what it changes: "rules.ID", "parameters.contribution_rate@2027-01-01", …
    Text label;            ///< a short description in both languages
    SourceLocation where;  ///< where the variant file writes it
    /// Applies the change; throws std::out_of_range if what it changes is not there
    /// (a provision applied alone, without the ones before it).
    std::function<void(Scenario&)> apply;
};

/// A scenario: its header and policy (parameters, payers, rules, growth, enrolment,
/// targets, schedule), which a variant patches by id, over shared bulk data.
struct Scenario {
    // --- scenario: header
    std::string id;
    Text title;
    Text rationale;  ///< a variant's one-line reason (optional)
    int first_year = 0;
    int last_year = 0;
    std::string provenance_note;
    /// Set when cohorts/population are illustrative (generated) rather than official:
    /// every report then says "illustrative population data".
    bool illustrative_population = false;
    Text data_note;  ///< shown in reports next to population figures (optional)
    SourceLocation where;  ///< the scenario file itself
    SourceLocation id_where;     ///< its `scenario.id` (a variant's own)
    SourceLocation years_where;  ///< its `scenario.years` (a variant's, or inherited from its base)

    // --- policy
    Parameters parameters;
    std::vector<Payer> payers;  ///< built-ins first: central, province, commune
    std::vector<Rule> rules;
    std::vector<GrowthRate> growth;
    std::vector<EnrolmentRate> enrolment;
    Decimal default_enrolment = Decimal::percent(100);
    std::vector<TakeupEntry> takeup;     ///< groups whose enrolment answers to the price
    std::vector<EnrolmentRamp> ramps;    ///< enrolment moving toward targets
    std::vector<TargetRow> targets;
    std::vector<CohortScale> cohort_scales;  ///< at most one per group
    std::vector<UncertaintyEntry> uncertainty;  ///< what sensitivity runs vary
    /// Transfer schedule: quarter (0..3) of each calendar month (0..11).
    std::array<int, 12> quarter_of_month{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3};

    std::vector<InputFile> inputs;  ///< every file read (scenario, variants, tables)
    /// Extra report breakdowns (`reports: {by: [old_district]}`), as `run --by` takes them.
    std::vector<std::string> report_by;
    std::vector<SourceLocation> report_by_where;  ///< where each item is written (same order)
    /// What the loader found that does not stop a run (validate() returns it).
    std::vector<Warning> load_warnings;

    // --- a variant: the scenario it extends and its changes to it, in order
    std::shared_ptr<const Scenario> base;
    std::vector<Provision> provisions;

    // --- bulk data, shared
    std::shared_ptr<ScenarioData> data = std::make_shared<ScenarioData>();

    const std::vector<Unit>& units() const { return data->units; }
    const std::vector<Group>& groups() const { return data->groups; }
    const std::vector<CohortRow>& cohorts() const { return data->cohorts; }
    const std::vector<Inflow>& inflows() const { return data->inflows; }
    const std::vector<Overlap>& overlaps() const { return data->overlaps; }
    const std::vector<PopulationRow>& population() const { return data->population; }
    /// The data for changing (tests and the loader): copied first if another scenario
    /// shares it, so a variant never changes its base.
    ScenarioData& data_mut();
    /// The cell in `column` (a header name, as an error's key says it) of row `r`.
    SourceLocation where_of(RowRef r, std::string_view column) const { return data->where(r, column); }

    int year_count() const { return last_year - first_year + 1; }
    int find_unit(std::string_view code) const { return data->find_unit(code); }
    int find_unit(std::string_view code, Date d) const { return data->find_unit(code, d); }
    int find_group(std::string_view id) const { return data->find_group(id); }
    int find_payer(std::string_view id) const;    ///< -1 if absent
    /// The group's persons factor (1 unless cohort_scales says otherwise).
    Decimal cohort_scale(int group) const;
    int find_rule(std::string_view id) const;     ///< -1 if absent
    bool is_leaf(int unit) const { return data->is_leaf(unit); }
};

}  // namespace subsim
