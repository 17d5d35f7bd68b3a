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

/// What the reports on other divisions need from a run given one year at a time
/// (ReportWriter): each year's totals per unit and payer, and the carried figures.
class DivisionInput {
public:
    explicit DivisionInput(const Scenario& s) : s_(s) {}
    /// The part's figures of `year`; `units`: keep its unit totals (some division asked).
    void add(const Results& part, int year, bool units);
    const std::vector<CarriedFigure>& carried() const { return carried_; }
    /// The tables of every division `o.by` asks for, with the run's coverage rows.
    std::vector<DivisionTables> build(const std::vector<CoverageRow>& coverage, const ReportOptions& o) const;

private:
    const Scenario& s_;
    std::vector<UnitPayerTotal> unit_totals_;
    std::vector<CarriedFigure> carried_;
};

/// A crosswalk level in words ("đơn vị cấp huyện cũ", "former districts").
std::string level_label(CrosswalkLevel level, Lang lang);
/// How a crosswalk weighs the parts of a split unit, in words.
std::string weights_label(CrosswalkWeights weights, Lang lang);
/// What summary.md calls a kind of carried figure: words, then the id provenance.csv
/// uses (carried_<id>): "số người theo nhóm (cohort)".
std::string carried_kind_label(CarriedFigure::Kind kind, Lang lang);
/// What headings and sheet names call division `d`: its level in words (with the
/// crosswalk's id when the scenario has several), or an attribute's name as units.csv
/// writes it (an attribute has no label). File names keep `d.spec.stem`.
std::string division_label(const Scenario& s, const DivisionSpec& d, Lang lang);

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
