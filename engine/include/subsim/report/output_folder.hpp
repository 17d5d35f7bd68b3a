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

/// Throws ScenarioError (key "--out") if `out_dir` may not be replaced by a run:
/// - it is a symbolic link (its target would be replaced through it);
/// - it is, or is above, the folder of any of `inputs` (the run would delete its own
///   scenario or tables);
/// - it exists and is not a folder;
/// - it is a non-empty folder holding anything that no earlier subsim run wrote: a
///   report folder has a run.json whose manifest names the program and every file in it.
void check_output_folder(const std::filesystem::path& out_dir, const std::vector<std::filesystem::path>& inputs);

/// Only the manifest part of check_output_folder(): for publish(), just before the swap.
void check_replaceable_contents(const std::filesystem::path& out_dir, const std::string& shown_as);

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
