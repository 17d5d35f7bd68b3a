#pragma once
/// Errors that end an operation, and warnings that do not. Every message about input
/// names the file, line (and column where there is one) and key path, and is written in
/// both languages (from the catalogue, subsim/i18n/i18n.hpp).
#include <stdexcept>
#include <string>
#include <vector>

#include "subsim/core/text.hpp"

namespace subsim {

/// Where something came from in the input. line/column are 1-based; 0 = not known.
struct SourceLocation {
    std::string file;  ///< path as the user named it (relative to the working directory or the scenario root)
    int line = 0;
    int column = 0;
};

/// "file:line:column" (omits what is unknown).
std::string to_string(const SourceLocation& loc);

/// Invalid or inconsistent input. Exit status 2.
class ScenarioError : public std::runtime_error {
public:
    /// `key` is the key path, e.g. "rules[2].share" or, for CSV, the column name.
    ScenarioError(SourceLocation where, std::string key, Text message);
    const SourceLocation& where() const { return where_; }
    const std::string& key() const { return key_; }
    const Text& message() const { return message_; }
    /// "file:line:column: key: message" in `lang`; what() is the English one.
    std::string to_string(Lang lang) const;

private:
    SourceLocation where_;
    std::string key_;
    Text message_;
};

/// A finding that does not stop the run (e.g. children's targets not adding up).
struct Warning {
    SourceLocation where;
    std::string key;
    Text message;
    /// "file:line:column: key: message" in `lang` (no default: a report renders it in its own language).
    std::string to_string(Lang lang) const;
};

}  // namespace subsim
