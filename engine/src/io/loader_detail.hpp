#pragma once
/// Private to the scenario loader: paths, name lookups with suggestions, and the
/// CSV tables a scenario names. No yaml-cpp here.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "csv_detail.hpp"
#include "subsim/core/unicode.hpp"
#include "subsim/model/scenario.hpp"

namespace subsim::loader_detail {

/// Largest scenario YAML we read (hostile input stays bounded).
inline constexpr std::uintmax_t kMaxYamlBytes = 16u << 20;  // 16 MiB
/// Years a scenario, a cohort row or a target may name.
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2200;
/// Levels of units below the root (province > district > commune needs 3).
inline constexpr int kMaxUnitDepth = 8;

[[noreturn]] void fail(const SourceLocation& where, std::string key, Text message);

/// "\"30,5%\" uses a comma: write decimals with a dot (30.5%)" and the other reasons.
Text decimal_problem(const Text& quoted, Decimal::ParseError why);

using subsim::edit_distance;  // core/unicode.hpp

/// Names (unit codes, group ids, ...) to indices, with a nearest-name suggestion.
class NameIndex {
public:
    /// false if `name` is already present.
    bool add(const std::string& name, int index);
    int find(std::string_view name) const;  ///< -1 if absent
    /// ` (did you mean "x"?)` for the nearest close name, or empty. A code typed
    /// without its leading zeros ("80" for "080") gets the zero-padded code. Error path
    /// only: it measures the distance to every name.
    Text hint(std::string_view name) const;

private:
    /// Hashes std::string and std::string_view alike, so find() needs no copy.
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, int, Hash, std::equal_to<>> index_;
    std::vector<std::string> names_;
};

/// Where the scenario lives: the root that `file:` paths may not leave.
struct PathContext {
    std::filesystem::path root_lexical;    ///< absolute, lexically normal
    std::filesystem::path root_canonical;  ///< weakly canonical (symlinks resolved)
    std::filesystem::path scenario_dir;    ///< absolute, lexically normal
    std::filesystem::path display_dir;     ///< the scenario's folder as the user named it

    static PathContext make(const std::string& scenario_path, const std::string& root_option);
    /// The path relative to the root, for Scenario::inputs.
    std::string relative_to_root(const std::filesystem::path& absolute) const;
};

using csv_detail::CsvCells;

/// A CSV file a scenario names: its record for Scenario::inputs and its cells.
struct ScenarioTable {
    InputFile input;
    CsvCells cells;
};

/// Resolves a `file:` value written at `where` (key path `key`), checks it stays inside
/// the root, reads it, hashes it and parses it as CSV. Touches nothing shared, so
/// several tables can be read at once.
ScenarioTable read_scenario_table(const PathContext& paths, const std::string& relative,
                                  const SourceLocation& where, const std::string& key);

/// Adds `input` to `inputs` unless the same file is already there.
void record_input(std::vector<InputFile>& inputs, InputFile input);

/// A text file a scenario names (YAML beside it), checked like a table's path, recorded
/// in `inputs`; its text, which must be UTF-8.
std::string read_scenario_text(const PathContext& paths, const std::string& relative, const SourceLocation& where,
                               const std::string& key, std::vector<InputFile>& inputs);

/// The file a `file:` value names, as messages show it (no I/O).
std::string display_path(const PathContext& paths, const std::string& relative);

/// read_scenario_table(), recording the file in `inputs`.
CsvCells read_scenario_csv(const PathContext& paths, const std::string& relative,
                           const SourceLocation& where, const std::string& key,
                           std::vector<InputFile>& inputs);

/// Unit and group lookups shared by the table readers.
struct Lookups {
    NameIndex units;
    NameIndex groups;
};

/// A unit as read, before parents are resolved.
struct UnitDraft {
    Unit unit;
    std::string parent_code;  ///< empty for a root
    SourceLocation code_where;
    std::string code_key;
    SourceLocation parent_where;
    std::string parent_key;
};

/// Reads units.csv: code, name, level, parent, then attribute columns.
std::vector<UnitDraft> read_unit_table(const CsvCells& t);
/// Checks codes are unique, resolves parents, refuses cycles; fills s.units() and lookups.
void resolve_units(std::vector<UnitDraft> drafts, Scenario& s, Lookups& lookups);

std::optional<UnitLevel> parse_unit_level(std::string_view text);
/// "true"/"false" in any YAML 1.2 spelling → lower case; anything else unchanged.
std::string normalize_attribute_value(std::string value);
bool is_identifier(std::string_view text);

/// Table loaders: each fills one vector of the scenario (or its data), rows located by
/// `file` (an id in ScenarioData::files, given out on the main thread) and line.
void load_cohort_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, Scenario& s);
void load_inflow_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, Scenario& s);
void load_overlap_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, Scenario& s);
void load_population_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, Scenario& s);
void load_target_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, Scenario& s);

/// Demography tables. Ages: unit_code, age (0..100, 100 = 100+), persons, and sex
/// (male/female) when the table gives two sexes; lowest-level units only, every age once.
void load_age_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, const Scenario& s, Demography& d);
/// Life table: sex (both, or male and female), age, and a column named by the form (qx, sx, lx).
void load_life_table(const CsvCells& t, Demography& d);
/// Fertility: age (15..49), asfr (births per woman per year).
void load_fertility_table(const CsvCells& t, Demography& d);

}  // namespace subsim::loader_detail
