#pragma once
/// The reports of a comparison (subsim compare): compare_by_year_payer.csv,
/// compare_by_unit.csv, compare_by_rule.csv, compare_stacked.csv, compare_coverage.csv,
/// support_changes.csv, summary.md and run.json, written into `dir` (an empty folder;
/// publish() puts it in place).
#include <filesystem>

#include "subsim/report/reports.hpp"
#include "subsim/variant/compare.hpp"

namespace subsim {

void write_compare_reports(const std::filesystem::path& dir, const Comparison& c, const ReportOptions& o);

}  // namespace subsim
