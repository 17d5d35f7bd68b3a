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
    NameIndex units;  ///< code → the first unit with that code
    NameIndex groups;
    /// Per unit: the next unit with the same code (a code reused after a change of
    /// units, with a validity period that does not overlap), or -1.
    std::vector<int> next_same_code;
};

/// The unit a row of `year` keyed on the code of unit `first` means: among the units
/// with that code, the one valid on 1 January of the year, else the first one valid
/// later in the year; -1 if none is valid in the year.
int unit_in_year(const Lookups& lookups, const std::vector<Unit>& units, int first, int year);
/// The unit with the code of unit `first` valid on `d`, or -1.
int unit_on(const Lookups& lookups, const std::vector<Unit>& units, int first, Date d);
/// "2022-01-01 – 2024-12-31; 2025-01-01 – …": the periods of every unit with that code.
std::string periods_of(const Lookups& lookups, const std::vector<Unit>& units, int first);

/// A unit as read, before parents are resolved.
struct UnitDraft {
    Unit unit;
    std::string parent_code;  ///< empty for a root
    SourceLocation code_where;
    std::string code_key;
    SourceLocation parent_where;
    std::string parent_key;
    SourceLocation valid_from_where, valid_to_where;
    std::string valid_from_key, valid_to_key;
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

// ---------------------------------------------------------------- crosswalks (loader_crosswalk.cpp)

/// A `crosswalks:` entry as read from the YAML, before its table is read.
struct CrosswalkSpec {
    std::string id;
    Text name;
    std::string file;  ///< the table, as messages name it
    Date change;
    CrosswalkWeights weights = CrosswalkWeights::equal;
    Provenance provenance;
    SourceLocation where;
    std::vector<CrosswalkLevel> levels;
    SourceLocation levels_where;
    std::string levels_key;
};

/// Reads the crosswalk table, checks it against the scenario's units (crosswalk.hpp's
/// checks: unknown units, weights, old units carried nowhere, new units fed by nothing)
/// and binds its levels to them. Throws ScenarioError naming the file, line and column.
ScenarioCrosswalk bind_crosswalk(const CrosswalkSpec& spec, const CsvCells& table, const Scenario& s);

/// A row of a table keyed on a level of a crosswalk (`by:`).
struct KeyedRow {
    int year = 0;
    int key = 0;  ///< index of the level's unit (old commune, old district group, …)
    int group = -1;
    int group_b = -1;
    std::int64_t persons = 0;
    Decimal rate;
    RowRef where;
};

/// A table keyed on another division: read on a helper thread, carried onto the
/// scenario's units on the main thread once every table is in.
struct KeyedTable {
    CarriedFigure::Kind kind = CarriedFigure::Kind::cohort;
    int crosswalk = 0;
    CrosswalkLevel level = CrosswalkLevel::old_commune;
    std::string file;
    std::vector<KeyedRow> rows;
};

/// Reads a keyed table (same columns as the plain table of its kind; `unit_code` holds
/// the level's code, or for districts and provinces its name as the crosswalk writes
/// it, "Huyện Nho Quan" or "Huyện Nho Quan, Tỉnh Ninh Bình"). Refuses a key that is no
/// unit of the level and a row for a year when the level's units are not valid.
void load_keyed_table(const CsvCells& t, std::uint32_t file, const Lookups& lookups, const Scenario& s, KeyedTable& out);

/// Carries a keyed table onto the scenario's new units: counts by largest remainder
/// (whole persons, totals kept), rates by population-weighted means; appends the rows
/// and records every carried figure in s.data->carried. Rows of years before the new
/// units exist are kept for the division reports (targets) or left out with a warning.
void carry_keyed_table(const KeyedTable& t, Scenario& s, std::vector<Warning>& warnings);

/// Enrolment shares keyed on old units (`enrolment: {by: ...}`): carried as
/// unit-specific shares of the new units (population-weighted means, units without an
/// entry of their own taking the group-wide share in force).
struct KeyedEnrolment {
    int group = 0;
    int key = 0;
    Date from;
    Decimal share;
    Provenance provenance;
    SourceLocation where;
};
void carry_enrolment(const std::vector<KeyedEnrolment>& entries, int crosswalk, CrosswalkLevel level, Scenario& s);

/// The index of `name` among the units of `level` of a crosswalk, or -1; `hint` gets the
/// nearest name for messages.
int find_level_unit(const ScenarioCrosswalk& x, CrosswalkLevel level, std::string_view name, Text* hint = nullptr);

}  // namespace subsim::loader_detail
