#pragma once
/// Private: the tables of `subsim compare`, built once and written three ways: as the
/// compare CSV files, as report.xlsx sheets and (some rows) on report.html. A cell keeps
/// its CSV text; the workbook and the page read their numbers back from that text, so
/// every number they show is the CSV's value.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "subsim/report/reports.hpp"
#include "subsim/variant/compare.hpp"

struct lxw_workbook;

namespace subsim::report_detail {

namespace xlsx {
struct Formats;
}

/// A cell of a report table (the compare tables, and the sensitivity study's too).
struct CompareCell {
    /// How the workbook writes the CSV text: text (a text cell, never a formula), a whole number
    /// or any plain number (a year, an order, persons, an input value), đồng, a percentage with two decimals ("15.62" is
    /// 15.62%), persons with two decimals. Numeric text may be empty (no value).
    enum class Kind { text, integer, money, percent, persons };
    Kind kind = Kind::text;
    std::string csv;    ///< the CSV field's text (unescaped)
    std::string shown;  ///< text: what the workbook and the page show instead (a label), if not empty
    bool numeric() const { return kind != Kind::text; }
    /// The number the CSV text holds (a percentage as a fraction of one: "15.62" → 0.1562).
    double number() const;
};

struct CompareRow {
    std::vector<CompareCell> cells;
    bool total = false;
    /// A total row: each đồng cell is the sum of the đồng cells of these rows (indices
    /// into the table), which the workbook writes as a SUM formula.
    std::vector<std::size_t> sum_of;
};

struct CompareTable {
    std::string file;                  ///< compare_by_year_payer.csv, …
    std::vector<std::string> columns;  ///< the CSV header's names
    /// The workbook's headings, if not the catalogue's office.col.<column> (a sheet with
    /// a column per payer, year or scenario).
    std::vector<std::string> headings;
    /// A workbook sheet summarising `file` (it is not written as a CSV).
    bool summary = false;
    std::vector<CompareRow> rows;
    /// The column `name`'s index; throws std::out_of_range if absent.
    std::size_t column(std::string_view name) const;
    void write_csv(std::ostream& out) const;
};

struct CompareTables {
    CompareTable by_year_payer, by_unit, by_rule, stacked, coverage, support;
    /// The workbook's sheets for the three long tables, summarised from them (the CSVs
    /// keep every row): per variant and commune the difference by payer over the period
    /// and by year; support changes summed over communes; coverage with a column per
    /// scenario.
    CompareTable unit_sheet, support_sheet, coverage_sheet;
};

CompareTables build_compare_tables(const Comparison& c, const ReportOptions& o);

/// `t` as a sheet named `name` (compare_office.cpp): title and notes above, headings
/// from the catalogue (office.col.<CSV column>), numbers as numbers, each total row's
/// đồng cells as a SUM of its rows caching the CSV's value; frozen headings, a filter.
void write_table_sheet(lxw_workbook* wb, const xlsx::Formats& f, Lang lang, const std::string& name,
                       const std::string& title, const std::vector<std::string>& notes, const CompareTable& t);

/// Runs independent report-writing tasks on the report writers' threads (publish.cpp:
/// `threads` as ReportOptions::threads: --threads, else SUBSIM_THREADS or the cores, at
/// most 4), each task taken whole by one thread; after
/// a failure no new task starts, `on_failure` runs, and the first failure in task order
/// is rethrown. Each task writes its own file, so the files do not depend on the timing.
void run_report_tasks(const std::vector<std::function<void()>>& tasks, int threads,
                      const std::function<void()>& on_failure = [] {});

/// report.xlsx and report.html of a comparison (compare_office.cpp).
void write_compare_xlsx(const std::filesystem::path& path, const Comparison& c, const ReportOptions& o,
                        const CompareTables& t);
void write_compare_html(std::ostream& out, const Comparison& c, const ReportOptions& o, const CompareTables& t);

}  // namespace subsim::report_detail
