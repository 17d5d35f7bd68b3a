#pragma once
/// Errors that end an operation, and warnings that do not. Every message about input
/// names the file, line (and column for YAML) and key path.
#include <stdexcept>
#include <string>
#include <vector>

namespace subsim {

/// Where something came from in the input. line/column are 1-based; 0 = not known.
struct SourceLocation {
    std::string file;  ///< path as the user named it (relative to the working directory or the scenario root)
    int line = 0;
    int column = 0;
};

/// "file:line:column" (omits what is unknown).
std::string to_string(const SourceLocation& loc);

/// Invalid or inconsistent scenario input. Exit status 2.
class ScenarioError : public std::runtime_error {
public:
    /// `key` is the key path, e.g. "rules[2].share" or, for CSV, the column name.
    ScenarioError(SourceLocation where, std::string key, std::string message);
    const SourceLocation& where() const { return where_; }
    const std::string& key() const { return key_; }
    const std::string& message() const { return message_; }

private:
    SourceLocation where_;
    std::string key_;
    std::string message_;
};

/// A finding that does not stop the run (e.g. children's targets not adding up).
struct Warning {
    SourceLocation where;
    std::string key;
    std::string message;
    std::string to_string() const;  ///< "file:line:column: key: message"
};

}  // namespace subsim
