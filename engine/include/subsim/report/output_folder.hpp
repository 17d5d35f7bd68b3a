#pragma once
/// The report folder belongs to the user's file system: a run replaces it as a whole, so
/// it may only replace what subsim itself wrote there. These checks run before any work
/// (and again just before the swap); a refusal is bad input (exit 2, one line).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace subsim {

/// The name subsim writes into run.json's manifest ("program").
inline constexpr std::string_view kProgramName = "subsim";

/// The command whose reports a folder holds, as run.json's "kind" says it. A folder of
/// one command is never replaced by another's: default folders can meet (`run` of a
/// scenario whose id is `compare-x` would go to compare's `reports/compare-x`).
enum class ReportKind { run, compare, sensitivity, solve };

/// "run", "compare", "sensitivity", "solve": the command's name, and run.json's "kind"
/// (a run.json without "kind", as release 0.1.0 and runs before this field wrote it, is
/// a run's).
std::string_view report_kind_name(ReportKind kind);

/// Throws ScenarioError (key "--out") if `out_dir` may not be replaced by a run of the
/// command `kind`:
/// - it is a symbolic link (its target would be replaced through it);
/// - it is, or is above, the folder of any of `inputs` (the run would delete its own
///   scenario or tables);
/// - it exists and is not a folder;
/// - it is a non-empty folder holding anything that no earlier subsim run wrote: a
///   report folder has a run.json whose manifest names the program and every file in it;
/// - it is another command's report folder (whatever --out says: name another folder).
void check_output_folder(const std::filesystem::path& out_dir, const std::vector<std::filesystem::path>& inputs,
                         ReportKind kind);

/// Only the manifest part of check_output_folder(): for publish(), just before the swap.
void check_replaceable_contents(const std::filesystem::path& out_dir, const std::string& shown_as, ReportKind kind);

/// Puts back a report folder that a killed publish left aside (on file systems without
/// an atomic exchange, the old folder is moved aside before the new one is moved in):
/// if `out_dir` is missing and a `.<name>.old-<pid>-<n>` folder of a process that no
/// longer runs exists and is a report folder subsim wrote (its manifest lists every
/// file in it), it is renamed back. A folder of the user's with such a name is left
/// alone. Returns true if it restored one.
bool recover_output_folder(const std::filesystem::path& out_dir);

/// The file a run's hidden temporary folder holds while it is written (publish()):
/// what lets a later run tell a killed run's leftover from a folder of the user's
/// that merely has a similar name. Removed before the folder is moved into place, and
/// never listed in a manifest.
inline constexpr std::string_view kWritingMarker = ".subsim-writing";

/// The files a report folder's manifest lists: every regular file under `dir` (paths
/// relative to it, with '/'), but kWritingMarker, and run.json, sorted.
std::vector<std::string> manifest_listing(const std::filesystem::path& dir);

}  // namespace subsim
