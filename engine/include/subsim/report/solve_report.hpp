#pragma once
/// The report of `subsim solve`: solve.json (the rule, the share as a percentage, the
/// cost and coverage at it, the path), variant.yaml (the scenario at the answer, to
/// compare) and run.json with the manifest.
#include <filesystem>
#include <string>

#include "subsim/solve/solve.hpp"

namespace subsim {

void write_solve_report(const std::filesystem::path& dir, const Scenario& s, const SolveResult& r,
                        const std::string& extends_path, const std::string& program_version, const std::string& generated_at);

}  // namespace subsim
