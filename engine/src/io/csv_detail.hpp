#pragma once
/// Private to the io folder: a parsed CSV kept as one text buffer plus cell offsets, so
/// large tables cost no string (and no allocation) per cell. The scenario loader reads
/// these; parse_csv() turns one into the public CsvTable.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "subsim/io/csv.hpp"

namespace subsim::csv_detail {

/// Where a field's text lies in CsvCells' buffer.
struct Span {
    std::uint32_t begin = 0;
    std::uint32_t size = 0;
};

class CsvCells {
public:
    const std::string& file() const { return file_; }
    const std::vector<std::string>& header() const { return header_; }
    std::size_t row_count() const { return row_lines_.size(); }
    int row_line(std::size_t row) const { return row_lines_[row]; }

    /// The text of a cell (a view into this table; valid while the table lives).
    std::string_view cell(std::size_t row, std::size_t column) const {
        const Span s = cells_[row * header_.size() + column];
        return {buffer_.data() + s.begin, s.size};
    }

    /// As CsvTable::column / require_column / where.
    int column(std::string_view name) const;
    int require_column(std::string_view name) const;
    SourceLocation where(std::size_t row, int column) const;

    CsvTable to_table() const;

private:
    friend CsvCells parse_csv_cells(std::string display_path, std::string text);

    std::string file_;
    std::string buffer_;  ///< the file's text, then the unescaped text of quoted fields
    std::vector<std::string> header_;
    std::vector<Span> cells_;  ///< row by row, header_.size() per row
    std::vector<int> row_lines_;
};

/// Parses `text` (kept as the table's buffer) with exactly parse_csv's checks and messages.
CsvCells parse_csv_cells(std::string display_path, std::string text);

}  // namespace subsim::csv_detail
