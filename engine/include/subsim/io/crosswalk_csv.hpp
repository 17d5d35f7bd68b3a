#pragma once
/// Reading a crosswalk table (model/crosswalk.hpp) from CSV.
#include "subsim/io/csv.hpp"
#include "subsim/model/crosswalk.hpp"

namespace subsim {

/// Reads a crosswalk CSV. Columns: new_code, old_code and part (whole|part) required;
/// new_name, old_name, old_district, old_province, weight (a percentage: "50%"),
/// population (whole persons) optional; any other column is an error. Throws
/// ScenarioError (file, line, column, key = the column) for a cell that is not what its
/// column needs. Relations between rows are checked by check_crosswalk().
CrosswalkTable read_crosswalk_table(const CsvTable& csv);

}  // namespace subsim
