#pragma once
/// Headcount projection: persons per year × unit × group as a dense table.
#include <vector>

#include "subsim/core/headcount.hpp"
#include "subsim/model/scenario.hpp"

namespace subsim {

/// Dense [year][unit][group] table of persons (Headcount units).
class CohortTable {
public:
    CohortTable() : CohortTable(0, 0, 0, 0) {}
    CohortTable(int first_year, int years, int units, int groups);
    Headcount& at(int year, int unit, int group) { return data_[index(year, unit, group)]; }
    Headcount at(int year, int unit, int group) const { return data_[index(year, unit, group)]; }
    int first_year() const { return first_year_; }
    int years() const { return years_; }
    int units() const { return units_; }
    int groups() const { return groups_; }

private:
    std::size_t index(int year, int unit, int group) const {
        return (static_cast<std::size_t>(year - first_year_) * units_ + unit) * groups_ + group;
    }
    int first_year_, years_, units_, groups_;
    std::vector<Headcount> data_;
};

/// Given years are taken as they are; a year not given is projected from the last
/// given year by the group's dated growth rates (floating point, quantized to
/// headcount resolution). Pairs with no row on or before a year have no persons.
/// On the change date of a crosswalk whose both sides are the scenario's units, the new
/// units that have no row of their own that year take the old units' persons of that
/// year, carried with the crosswalk (whole persons by largest remainder, fractions of a
/// person likewise; Σ new = Σ old per group exactly), and are projected on from there.
/// `carried`, if given, receives every figure so carried.
CohortTable project_cohorts(const Scenario& s, std::vector<CarriedFigure>* carried = nullptr);

/// Population per [year][unit] for coverage: given values, carried forward from the
/// last given year; the new units of a change within the scenario take the old units'
/// population of the change year (largest remainder) unless they have their own; a
/// parent with no value of its own sums its children, each weighted by the months of
/// the year it is valid over the parent's (rounded half-up), so a province whose
/// districts end in June and whose new communes begin in July counts its people once.
std::vector<std::vector<std::int64_t>> project_population(const Scenario& s, std::vector<CarriedFigure>* carried = nullptr);

}  // namespace subsim
