#pragma once
/// Loads a scenario YAML (and the CSV files it names) into a Scenario, checking syntax,
/// types, unknown keys, references and paths. The only place that includes yaml-cpp.
#include <string>

#include "subsim/model/scenario.hpp"

namespace subsim {

struct LoadOptions {
    /// Scenario root (--root). Empty: the nearest enclosing folder named `scenarios`,
    /// else the scenario file's own folder. Relative paths in the scenario may not
    /// leave it; absolute paths are refused.
    std::string root;
    /// Threads for reading the CSV tables alongside the YAML. 0: SUBSIM_THREADS, else
    /// the number of cores. The scenario (and any error) is the same for any value.
    int threads = 0;
};

/// Throws ScenarioError (file, line, column, key path) on any invalid input. A variant
/// (a file with `extends:`) is loaded with the chain of scenarios it extends.
Scenario load_scenario(const std::string& path, const LoadOptions& options = {});

/// Several scenarios at once: a file extended by several variants (or named twice) is
/// read once, and its bulk data shared.
std::vector<Scenario> load_scenarios(const std::vector<std::string>& paths, const LoadOptions& options = {});

/// Reads a file whose top-level `uncertainty:` lists what sensitivity runs vary
/// (--uncertainty FILE); its entries replace the scenario's own.
void load_uncertainty_file(Scenario& s, const std::string& path, const LoadOptions& options = {});

/// Loads from text (tests and fuzzing): `path` names the file for messages and is
/// where relative CSV paths resolve from.
Scenario load_scenario_text(const std::string& path, const std::string& yaml_text,
                            const LoadOptions& options = {});

}  // namespace subsim
