#pragma once
/// Reports: CSV is canonical (tidy, one fact per row, plain numbers, UTF-8); run.json
/// and summary.md render the same results. Writers take streams so each is unit-tested
/// on a std::ostringstream; publish() puts a whole folder in place atomically.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "subsim/model/scenario.hpp"
#include "subsim/report/divisions.hpp"
#include "subsim/report/output_folder.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {

/// How report.xlsx and report.html show the headline (summary) figures: in đồng, in
/// millions (triệu đồng) or in billions (tỷ đồng). Tables always show whole đồng.
enum class MoneyUnit { dong, million, billion };

/// "dong" | "trieu" | "million" | "ty" | "billion" (also "triệu", "tỷ", "đồng"); nullopt otherwise.
std::optional<MoneyUnit> parse_money_unit(std::string_view text);

struct ReportOptions {
    Lang lang = Lang::vi;
    std::string program_version;
    std::string generated_at;  ///< ISO 8601 timestamp; appears only in run.json
    /// The date "transferred / still to transfer" is worked out at (--as-of). Unset: the
    /// date of `generated_at` (the run date, which SOURCE_DATE_EPOCH fixes). A quarter of
    /// the transfer schedule counts as transferred when its last day is on or before it.
    std::optional<Date> as_of = std::nullopt;
    MoneyUnit money_unit = MoneyUnit::dong;  ///< headline figures (--money-unit)
    /// Reports on other divisions (--by): budget_by_<stem>.csv and coverage_by_<stem>.csv
    /// each, and a section in summary.md, run.json, report.xlsx and report.html.
    std::vector<DivisionSpec> by = {};
    /// Threads the report writers may use (--threads; 0: SUBSIM_THREADS, else the number
    /// of cores; at most 4). The files are the same whatever the count.
    int threads = 0;
};

/// The as-of date the reports use: `o.as_of`, else the date of `o.generated_at`, else
/// nullopt (then nothing counts as transferred).
std::optional<Date> report_as_of(const ReportOptions& o);

// CSV writers. Labels (group_label, rule_label, payer_label, provenance's label) are in
// `lang`; the two largest files (budget_lines.csv, cohort_costs.csv) carry ids only, and
// labels.csv gives every id's label in both languages. Text from the scenario that a
// spreadsheet would take for a formula (starting with = + - @, a tab or a carriage
// return) is prefixed with a single quote.
void write_budget_lines_csv(std::ostream& out, const Results& r, Lang lang = Lang::vi);
/// Groups, rules and payers: kind, id, label_vi, label_en.
void write_labels_csv(std::ostream& out, const Scenario& s);
/// Per year and payer, a `total` row per year, then the whole period (year `all`).
void write_budget_by_year_payer_csv(std::ostream& out, const Results& r, Lang lang = Lang::vi);
/// Per year, leaf unit and payer, a `total` row per unit and year, then the whole period
/// (year `all`) the same way.
void write_budget_by_unit_csv(std::ostream& out, const Results& r, Lang lang = Lang::vi);
/// Per year and rule (policy point), then the whole period (year `all`, no persons).
void write_budget_by_rule_csv(std::ostream& out, const Results& r, Lang lang = Lang::vi);
void write_budget_by_quarter_csv(std::ostream& out, const Results& r, Lang lang = Lang::vi);
void write_coverage_csv(std::ostream& out, const Results& r);
void write_cohort_costs_csv(std::ostream& out, const Results& r, Lang lang = Lang::vi);
void write_commune_bills_csv(std::ostream& out, const Results& r, Lang lang = Lang::vi);
void write_overlaps_csv(std::ostream& out, const Results& r, Lang lang = Lang::vi);
void write_provenance_csv(std::ostream& out, const Scenario& s, Lang lang = Lang::vi);
/// `files`: the manifest, every file the run wrote in its folder (run.json included).
void write_run_json(std::ostream& out, const Results& r, const ReportOptions& o,
                    const std::vector<std::string>& files = {"run.json"});
void write_summary_md(std::ostream& out, const Results& r, const ReportOptions& o);

/// report.xlsx: the BHXH reconciliation form, summary and aggregate tables for people
/// (see xlsx_report.cpp). Writes the file `path`; throws std::runtime_error on failure.
void write_xlsx_report(const std::filesystem::path& path, const Results& r, const ReportOptions& o);
/// report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched).
void write_html_report(std::ostream& out, const Results& r, const ReportOptions& o);

/// Writes every report into `dir` (an existing, empty folder).
void write_reports(const std::filesystem::path& dir, const Results& r, const ReportOptions& o);

/// Writes every report into `dir` (an existing, empty folder) from a run given one year
/// at a time, in year order (run_exact_by_year): memory holds a year's rows, never the
/// whole run's. The folder is byte-identical to write_reports() of the whole run, and the
/// same whatever the thread count. write_reports() is this, fed the years of `r`.
class ReportWriter {
public:
    ReportWriter(const std::filesystem::path& dir, const Scenario& s, const ReportOptions& o);
    ~ReportWriter();
    ReportWriter(const ReportWriter&) = delete;
    ReportWriter& operator=(const ReportWriter&) = delete;
    /// The rows of `year` (every row of `part` should be of that year; others are ignored
    /// by the yearly tables). Call for every simulated year, in order.
    void add_year(const Results& part, int year);
    /// The whole-period rows, and the files made from the whole run (report.xlsx,
    /// report.html, summary.md, run.json last); `warnings` are the run's.
    void finish(const std::vector<Warning>& warnings);
    /// add_year(part, year) for the last year, then finish(warnings): the same files, with
    /// the workbook and the page written while the last year's rows are formatted.
    void finish_with(const Results& part, int year, const std::vector<Warning>& warnings);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

struct PublishOptions {
    /// false: skip renameat2(RENAME_EXCHANGE) and take the two-rename fallback that file
    /// systems without it (NFS, SMB, some FUSE) get (tests force it with this).
    bool exchange = true;
    /// Tests only: runs between the fallback's two renames (to simulate a kill there).
    std::function<void()> between_renames;
    /// Threads that may remove the replaced folder's files (--threads; 0: the default).
    int threads = 0;
    /// The command writing: a folder another command wrote is not replaced.
    ReportKind kind = ReportKind::run;
};

/// Replaces `out_dir` as a whole: `write` fills a hidden temporary sibling folder,
/// which is then swapped into place atomically (renameat2 RENAME_EXCHANGE) and the old
/// folder removed. If `write` throws, nothing at `out_dir` changes. Reports a killed
/// run left aside are put back, and stale temporary folders removed, first. Refuses
/// (ScenarioError, key "--out") a target that is a symbolic link, not a folder, a
/// folder holding anything an earlier run did not write, or another command's report
/// folder (see output_folder.hpp).
void publish(const std::filesystem::path& out_dir,
             const std::function<void(const std::filesystem::path&)>& write,
             const PublishOptions& options = {});

/// "1.263.600 đ" (vi) or "1,263,600 VND" (en).
std::string format_money(Dong v, Lang lang);

}  // namespace subsim
