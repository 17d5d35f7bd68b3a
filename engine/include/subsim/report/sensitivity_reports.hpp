#pragma once
/// The reports of `subsim sensitivity`: cost_distribution.csv,
/// difference_distribution.csv (with variants), cost_distribution_by_unit.csv,
/// tornado.csv, sobol.csv (when asked), draws.csv (--keep-draws), summary.md and run.json.
#include <filesystem>

#include "subsim/mc/sensitivity.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {

void write_sensitivity_reports(const std::filesystem::path& dir, const SensitivityResult& r, const Scenario& base,
                               const ReportOptions& o);

}  // namespace subsim
