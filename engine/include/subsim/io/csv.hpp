#pragma once
/// RFC 4180 CSV: comma separated, first row is the header, optional UTF-8 BOM,
/// double-quoted fields may hold commas, quotes ("") and newlines. Every value is text;
/// callers convert and report errors with the row's line and the column's name.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "subsim/core/error.hpp"

namespace subsim {

struct CsvTable {
    std::string file;  ///< display path used in messages
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;  ///< each row has header.size() fields
    std::vector<int> row_lines;                  ///< 1-based line where each row starts

    /// Column index by name, or -1.
    int column(std::string_view name) const;
    /// Column index by name; throws ScenarioError (file, line 1, key = name) if absent.
    int require_column(std::string_view name) const;
    /// Location of a cell, for messages.
    SourceLocation where(std::size_t row, int column) const;
};

/// Limits that keep hostile input bounded.
inline constexpr std::size_t kMaxCsvBytes = 512u << 20;   ///< 512 MiB
inline constexpr std::size_t kMaxCsvFieldBytes = 1u << 16; ///< 64 KiB per field

/// Parses `content`. Throws ScenarioError for an empty file, a missing header, a row
/// with the wrong number of fields, an unterminated quote, or a field over the limit.
CsvTable parse_csv(std::string display_path, std::string_view content);

/// Reads and parses a file (throws ScenarioError if it cannot be read).
CsvTable read_csv_file(const std::string& path, const std::string& display_path);

/// Strict conversions used by loaders: a whole non-negative number of persons
/// (digits only, at most kMaxPersonsPerRow); nullopt on anything else.
std::optional<std::int64_t> parse_count(std::string_view text);

}  // namespace subsim
