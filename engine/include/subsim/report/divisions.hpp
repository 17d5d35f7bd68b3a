#pragma once
/// Reports on another division (`run --by old-district`): the budget, coverage against
/// target and gap of a run, aggregated to the units of a crosswalk level (old communes,
/// old districts, old provinces, new units) or to the values of a unit attribute
/// (`former_district`). A plan written on the districts abolished in 2025 can so be
/// followed on the new communes.
///
/// Every figure is a sum of the run's own figures: a unit that lies wholly in one
/// division unit is added to it; a unit split between several (a new commune formed from
/// communes of two former districts, a split commune) is apportioned by largest
/// remainder, so each division total is exact to the đồng and the division units add up
/// to the run's total. How the parts are weighed (the persons each part brought on the
/// change date, a population keyed on the old communes, or the crosswalk's weights
/// alone, an assumption) is stated in the tables' notes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "subsim/core/decimal.hpp"
#include "subsim/core/headcount.hpp"
#include "subsim/core/money.hpp"
#include "subsim/core/text.hpp"
#include "subsim/model/scenario.hpp"

namespace subsim {

struct Results;

/// A division to report on, resolved against a scenario.
struct DivisionSpec {
    std::string text;        ///< as given ("old-district", "communes-2025:old_district", "former_district")
    int crosswalk = -1;      ///< a crosswalk level: index into ScenarioData::crosswalks; -1: an attribute
    CrosswalkLevel level = CrosswalkLevel::old_district;
    std::string attribute;   ///< a unit attribute's name
    /// The file names' stem: "old_district", "communes-2025_old_district", "former_district".
    std::string stem;
};

/// `text` as a division of `s`: a crosswalk level (`old-district`, `old_commune`, `new`,
/// or `ID:LEVEL` when the scenario has several crosswalks) or the name of an attribute
/// some lowest-level unit has. The error (both languages) otherwise.
std::variant<DivisionSpec, Text> resolve_division(const Scenario& s, std::string_view text);

/// The message for `d` if `before` has the same breakdown already (another spelling of
/// one crosswalk level, or one attribute twice: its files and sheet would collide).
std::optional<Text> repeated_division(const std::vector<DivisionSpec>& before, const DivisionSpec& d);

/// The scenario's own `reports: {by: [...]}` resolved (resolve_division()); throws
/// ScenarioError at the first item that is neither a level nor an attribute, naming the
/// item's line (in the file that writes it: a variant's, or its base's). `validate` and
/// `run` both call it, so that validate refuses what run would.
std::vector<DivisionSpec> scenario_divisions(const Scenario& s);

/// The tables of one division.
struct DivisionTables {
    DivisionSpec spec;
    struct Unit {
        std::string code;  ///< a code, or for districts and provinces the crosswalk's name
        std::string name;
    };
    std::vector<Unit> units;  ///< division units, in the crosswalk's (or first-seen) order
    /// Budget per year, division unit and payer: cost, and how much of it was apportioned
    /// from units split between division units.
    struct Budget {
        int year = 0;
        int unit = 0;
        int payer = 0;
        Dong cost = 0;
        Dong apportioned = 0;
    };
    std::vector<Budget> budget;  ///< by year, unit, payer; only cells with a cost or a line
    /// Coverage per year and division unit: population and insured persons as yearly
    /// averages (a unit valid part of the year counts for its months), the target in
    /// force (or, for a former unit after it ended, its last target, with its year).
    struct Coverage {
        int year = 0;
        int unit = 0;
        std::int64_t population = 0;
        Headcount enrolled = 0;
        std::optional<Decimal> target;
        int target_year = 0;   ///< the year the target was set for (≠ year: a former unit's last target)
        std::int64_t gap = 0;  ///< whole persons still to enrol (as coverage.csv)
        bool apportioned = false;  ///< some part came from a unit split between division units
    };
    std::vector<Coverage> coverage;
    /// What the reader must know: how split units were apportioned, which assumptions.
    std::vector<Text> notes;
    bool assumed = false;  ///< some apportioning rests on an assumption
};

/// Aggregates a run to a division (exact: Σ units = the run's totals, per year and payer).
DivisionTables build_division_tables(const Results& r, const DivisionSpec& spec);

}  // namespace subsim
