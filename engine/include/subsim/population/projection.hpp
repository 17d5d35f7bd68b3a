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
CohortTable project_cohorts(const Scenario& s);

/// Population per [year][unit] for coverage: given values, carried forward from the
/// last given year; a parent with no value of its own sums its children.
std::vector<std::vector<std::int64_t>> project_population(const Scenario& s);

}  // namespace subsim
