#pragma once
/// Private to the report writers: the year-major CSV reports as streams. A run's results
/// arrive one year at a time (run_exact_by_year) or whole; each stream formats the rows
/// of what it is given and, at the end, the whole-period rows (year "all"). Feeding the
/// years of a run in order gives exactly the file the whole run gives: the public
/// write_*_csv functions are a stream fed once.
#include <memory>
#include <optional>
#include <vector>

#include "report_format.hpp"
#include "subsim/core/text.hpp"
#include "subsim/sim/results.hpp"

namespace subsim::report_detail {

class EscapedNames;

/// A CSV report written in pieces: header(), then add() per part in year order, then
/// finish(). `year`: the part holds that year only (its rows are filtered to it);
/// nullopt: the part is the whole run.
class CsvStream {
public:
    virtual ~CsvStream() = default;
    virtual void header(CsvWriter& w) = 0;
    virtual void add(CsvWriter& w, const Results& part, std::optional<int> year) = 0;
    virtual void finish(CsvWriter& w) { (void)w; }
};

/// The names every stream of one run shares (escaped once).
std::shared_ptr<const EscapedNames> escaped_names(const Scenario& s, Lang lang);

/// budget_by_year_payer.csv. totals() are the rows seen so far (totals_by_year_payer of
/// the run once every year was added), for run.json, summary.md and the workbook.
class YearPayerStream : public CsvStream {
public:
    YearPayerStream(const Scenario& s, std::shared_ptr<const EscapedNames> names);
    void header(CsvWriter& w) override;
    void add(CsvWriter& w, const Results& part, std::optional<int> year) override;
    void finish(CsvWriter& w) override;
    const std::vector<YearPayerTotal>& totals() const { return totals_; }

private:
    const Scenario& s_;
    std::shared_ptr<const EscapedNames> names_;
    std::vector<YearPayerTotal> totals_;
};

std::unique_ptr<CsvStream> budget_by_unit_stream(const Scenario& s, std::shared_ptr<const EscapedNames> names);
std::unique_ptr<CsvStream> budget_by_rule_stream(const Scenario& s, std::shared_ptr<const EscapedNames> names);
std::unique_ptr<CsvStream> budget_by_quarter_stream(const Scenario& s, std::shared_ptr<const EscapedNames> names);
std::unique_ptr<CsvStream> commune_bills_stream(const Scenario& s, std::shared_ptr<const EscapedNames> names);
std::unique_ptr<CsvStream> coverage_stream(const Scenario& s, std::shared_ptr<const EscapedNames> names);
std::unique_ptr<CsvStream> overlaps_stream(const Scenario& s, std::shared_ptr<const EscapedNames> names);

/// budget_lines.csv and cohort_costs.csv rows of `r` with shared names.
CsvTable budget_lines_table(const Results& r, std::shared_ptr<const EscapedNames> names);
CsvTable cohort_costs_table(const Results& r, std::shared_ptr<const EscapedNames> names);

}  // namespace subsim::report_detail
