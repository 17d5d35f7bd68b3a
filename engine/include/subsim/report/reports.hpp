#pragma once
/// Reports: CSV is canonical (tidy, one fact per row, plain numbers, UTF-8); run.json
/// and summary.md render the same results. Writers take streams so each is unit-tested
/// on a std::ostringstream; publish() puts a whole folder in place atomically.
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

#include "subsim/model/scenario.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {

struct ReportOptions {
    Lang lang = Lang::vi;
    std::string program_version;
    std::string generated_at;  ///< ISO 8601 timestamp; appears only in run.json
};

void write_budget_lines_csv(std::ostream& out, const Results& r);
void write_budget_by_year_payer_csv(std::ostream& out, const Results& r);
void write_budget_by_unit_csv(std::ostream& out, const Results& r);
void write_budget_by_quarter_csv(std::ostream& out, const Results& r);
void write_coverage_csv(std::ostream& out, const Results& r);
void write_cohort_costs_csv(std::ostream& out, const Results& r);
void write_commune_bills_csv(std::ostream& out, const Results& r);
void write_overlaps_csv(std::ostream& out, const Results& r);
void write_provenance_csv(std::ostream& out, const Scenario& s);
/// `files`: the manifest, every file the run wrote in its folder (run.json included).
void write_run_json(std::ostream& out, const Results& r, const ReportOptions& o,
                    const std::vector<std::string>& files = {"run.json"});
void write_summary_md(std::ostream& out, const Results& r, const ReportOptions& o);

/// Writes every report into `dir` (an existing, empty folder).
void write_reports(const std::filesystem::path& dir, const Results& r, const ReportOptions& o);

struct PublishOptions {
    /// false: skip renameat2(RENAME_EXCHANGE) and take the two-rename fallback that file
    /// systems without it (NFS, SMB, some FUSE) get (tests force it with this).
    bool exchange = true;
    /// Tests only: runs between the fallback's two renames (to simulate a kill there).
    std::function<void()> between_renames;
};

/// Replaces `out_dir` as a whole: `write` fills a hidden temporary sibling folder,
/// which is then swapped into place atomically (renameat2 RENAME_EXCHANGE) and the old
/// folder removed. If `write` throws, nothing at `out_dir` changes. Reports a killed
/// run left aside are put back, and stale temporary folders removed, first. Refuses
/// (ScenarioError, key "--out") a target that is a symbolic link, not a folder, or a
/// folder holding anything an earlier run did not write (see output_folder.hpp).
void publish(const std::filesystem::path& out_dir,
             const std::function<void(const std::filesystem::path&)>& write,
             const PublishOptions& options = {});

/// "1.263.600 đ" (vi) or "1,263,600 VND" (en).
std::string format_money(Dong v, Lang lang);

}  // namespace subsim
