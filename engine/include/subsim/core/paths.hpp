#pragma once
/// Path helpers shared by the loader (inputs may not leave the scenario root) and the
/// output folder (--out may not hold an input).
#include <filesystem>

namespace subsim {

/// True when `p` is `prefix` or lies below it, comparing whole components (so
/// `/a/bc` is not below `/a/b`); a trailing separator on `prefix` is ignored.
inline bool starts_with_path(const std::filesystem::path& p, const std::filesystem::path& prefix) {
    auto pi = p.begin();
    for (auto qi = prefix.begin(); qi != prefix.end(); ++qi, ++pi) {
        if (qi->empty()) continue;  // trailing separator
        if (pi == p.end() || *pi != *qi) return false;
    }
    return true;
}

}  // namespace subsim
