#pragma once
/// Private to the report writers: the files, run.json keys, summary sections and
/// provenance rows for crosswalks, carried figures and reports on other divisions.
#include <ostream>
#include <string>
#include <vector>

#include "subsim/report/divisions.hpp"
#include "subsim/report/reports.hpp"
#include "subsim/sim/results.hpp"

namespace subsim::report_detail {

/// The tables of every division `o.by` asks for.
std::vector<DivisionTables> build_divisions(const Results& r, const ReportOptions& o);
/// "budget_by_old_district.csv", "coverage_by_old_district.csv".
std::string division_budget_file(const DivisionTables& t);
std::string division_coverage_file(const DivisionTables& t);
/// year, unit_code, unit_name, payer, payer_label, cost_vnd, apportioned_vnd: per year,
/// unit and payer, a `total` row per year and unit, then the whole period (year `all`).
void write_division_budget_csv(std::ostream& out, const Results& r, const DivisionTables& t, Lang lang);
/// year, unit_code, unit_name, population, enrolled, coverage_pct, target_pct,
/// target_year, gap_persons, apportioned.
void write_division_coverage_csv(std::ostream& out, const DivisionTables& t);
/// provenance.csv rows (kind carried_*), one per carried figure.
void write_carried_provenance(std::ostream& out, const Results& r, Lang lang);
/// run.json keys "crosswalks", "carried", "divisions" (each line ends ",\n"); nothing
/// when the scenario has no crosswalk and nothing is carried or broken down.
void write_merger_json(std::ostream& out, const Results& r, const std::vector<DivisionTables>& divisions);
/// summary.md: the crosswalks and their assumptions, the carried figures, each division.
void write_merger_summary(std::ostream& out, const Results& r, const ReportOptions& o,
                          const std::vector<DivisionTables>& divisions);

}  // namespace subsim::report_detail
