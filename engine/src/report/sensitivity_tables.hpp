#pragma once
/// Private: the tables of a sensitivity study, built once and written as the CSV files
/// (cost_distribution.csv, difference_distribution.csv, cost_distribution_by_unit.csv,
/// tornado.csv, sobol.csv) and as report.xlsx and report.html (sensitivity_office.cpp),
/// which read their numbers back from the CSV text.
#include <filesystem>
#include <optional>
#include <ostream>

#include "compare_tables.hpp"
#include "subsim/mc/sensitivity.hpp"

namespace subsim::report_detail {

struct SensitivityTables {
    CompareTable distribution;
    std::optional<CompareTable> difference;  ///< with variants
    CompareTable by_unit;
    CompareTable tornado;
    std::optional<CompareTable> sobol;  ///< when indices were computed
};

SensitivityTables build_sensitivity_tables(const SensitivityResult& r, const Scenario& base, const ReportOptions& o);

void write_sensitivity_xlsx(const std::filesystem::path& path, const SensitivityResult& r, const Scenario& base,
                            const ReportOptions& o, const SensitivityTables& t);
void write_sensitivity_html(std::ostream& out, const SensitivityResult& r, const Scenario& base, const ReportOptions& o,
                            const SensitivityTables& t);

}  // namespace subsim::report_detail
