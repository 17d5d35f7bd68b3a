#pragma once
// Private to report/: the hidden sibling folders publish() uses beside a report folder.
//   .<name>.tmp-<pid>-<n>   a run's new reports, being written
//   .<name>.old-<pid>-<n>   the previous reports, moved aside (file systems without an
//                           atomic exchange only), until the new ones are in place
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace subsim::publish_detail {

inline constexpr std::string_view kTempMarker = ".tmp-";
inline constexpr std::string_view kOldMarker = ".old-";

/// A hidden sibling of `<parent>/<name>` with `marker`, and the pid that made it.
struct Sibling {
    std::filesystem::path path;
    long pid = 0;
    unsigned long counter = 0;  ///< the n in -<pid>-<n>: later folders of one process have larger n
};

/// The sibling folders of `<parent>/<name>` named exactly `.<name><marker><pid>-<n>`
/// (any process; not links).
std::vector<Sibling> siblings(const std::filesystem::path& parent, const std::string& name, std::string_view marker);

/// True if `s` is subsim's own: a temporary folder holding kWritingMarker, or a folder
/// that a run could replace (empty, or a report folder whose manifest lists every file
/// in it). A folder of the user's that merely has such a name is not.
bool own_sibling(const Sibling& s, std::string_view marker);

/// True if `pid` names a running process other than this one.
bool process_alive(long pid);

/// `out_dir` split into its parent folder and its own name; throws std::invalid_argument
/// for "", "." and ".." as the last component (a trailing slash is allowed).
std::pair<std::filesystem::path, std::string> split_target(const std::filesystem::path& out_dir);

}  // namespace subsim::publish_detail
