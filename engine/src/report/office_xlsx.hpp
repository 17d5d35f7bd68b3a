#pragma once
/// Private: the workbook pieces every report.xlsx writer shares (run, compare,
/// sensitivity): formats, a worksheet that writes text as text cells and fits its
/// columns, SUM formulas with cached totals, and a workbook whose "created" time comes
/// from the run date (never the clock), so that the same inputs give the same bytes.
/// Only report sources include it: libxlsxwriter stays out of public headers.
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "report_format.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/report/reports.hpp"

namespace subsim::report_detail::xlsx {

/// Excel's limits: rows per sheet, characters per cell, arguments per function.
inline constexpr lxw_row_t kExcelRows = 1'048'576;
inline constexpr std::size_t kMaxCellChars = 32'767;
inline constexpr std::size_t kMaxSheetName = 31;  ///< Excel's limit on a sheet's name
inline constexpr std::size_t kMaxSumArguments = 255;

inline constexpr double kMinWidth = 8;
inline constexpr double kMaxWidth = 60;
inline constexpr double kHeaderWrapWidth = 16;  ///< headers wrap: they widen a column up to this
inline constexpr double kRowHeight = 15;        ///< points per line of text
inline constexpr std::uint8_t kPaperA4 = 9;

inline constexpr lxw_color_t kHeaderFill = 0xDDEBF7;
inline constexpr lxw_color_t kTotalFill = 0xF2F2F2;
inline constexpr lxw_color_t kAssumedFill = 0xFFF2CC;
inline constexpr lxw_color_t kWarningColour = 0xC00000;

/// Characters a text takes on screen (UTF-8 code points).
inline std::size_t display_width(std::string_view text) {
    std::size_t n = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

/// At most Excel's cell length, not cutting a UTF-8 sequence.
inline std::string_view cell_text(std::string_view text) {
    if (text.size() <= kMaxCellChars) return text;
    std::size_t end = kMaxCellChars;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

/// `name` cut to Excel's 31 characters (whole UTF-8 characters, no trailing space) and
/// without the characters a sheet name may not hold ([ ] : * ? / \\ become '-').
inline std::string fit_sheet_name(std::string name) {
    for (char& c : name)
        if (c == '[' || c == ']' || c == ':' || c == '*' || c == '?' || c == '/' || c == '\\') c = '-';
    std::size_t chars = 0;
    for (std::size_t i = 0; i < name.size(); ++i)
        if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80 && ++chars > kMaxSheetName) {
            name.resize(i);
            break;
        }
    while (!name.empty() && name.back() == ' ') name.pop_back();
    return name;
}

inline std::size_t money_width(Dong v) {
    const std::string digits = std::to_string(report_detail::magnitude64(v));
    return digits.size() + (digits.size() - 1) / 3 + (v < 0 ? 1 : 0);
}

inline std::string column_name(lxw_col_t col) {
    std::string name;
    for (unsigned c = col + 1; c > 0; c = (c - 1) / 26) name.insert(name.begin(), static_cast<char>('A' + (c - 1) % 26));
    return name;
}

inline std::string cell_name(lxw_row_t row, lxw_col_t col) { return column_name(col) + std::to_string(row + 1); }

inline double as_number(Dong v) { return static_cast<double>(v); }
inline double hundredths_number(std::int64_t h) { return static_cast<double>(h) / 100.0; }

inline void check(lxw_error e) {
    if (e != LXW_NO_ERROR) throw std::runtime_error(std::string("report.xlsx: ") + lxw_strerror(e));
}

struct Formats {
    lxw_format* title;
    lxw_format* subtitle;
    lxw_format* note;
    lxw_format* warning;
    lxw_format* header;
    lxw_format* text;
    lxw_format* text_bold;
    lxw_format* money;
    lxw_format* money_bold;
    lxw_format* persons;
    lxw_format* persons_bold;
    lxw_format* percent;
    lxw_format* percent_bold;
    lxw_format* headline;  ///< money in the chosen unit
    lxw_format* assumed_text;
    lxw_format* assumed_money;
    std::array<lxw_format*, 5> share;          ///< percent with 0..4 decimals
    std::array<lxw_format*, 5> assumed_share;

    Formats(lxw_workbook* wb, MoneyUnit unit) {
        const auto make = [&] { return workbook_add_format(wb); };
        title = make();
        format_set_bold(title);
        format_set_font_size(title, 13);
        subtitle = make();
        format_set_bold(subtitle);
        note = make();
        format_set_italic(note);
        warning = make();
        format_set_bold(warning);
        format_set_font_color(warning, kWarningColour);
        header = make();
        format_set_bold(header);
        format_set_text_wrap(header);
        format_set_align(header, LXW_ALIGN_CENTER);
        format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);
        format_set_bg_color(header, kHeaderFill);
        format_set_border(header, LXW_BORDER_THIN);
        // Plain text takes the default format: libxlsxwriter looks a format that equals
        // another (here, the default) up in a hash table at every cell instead of once.
        text = nullptr;
        text_bold = make();
        format_set_bold(text_bold);
        format_set_bg_color(text_bold, kTotalFill);
        money = make();
        format_set_num_format(money, "#,##0");
        money_bold = make();
        format_set_num_format(money_bold, "#,##0");
        format_set_bold(money_bold);
        format_set_bg_color(money_bold, kTotalFill);
        persons = make();
        format_set_num_format(persons, "#,##0.00");
        persons_bold = make();
        format_set_num_format(persons_bold, "#,##0.00");
        format_set_bold(persons_bold);
        format_set_bg_color(persons_bold, kTotalFill);
        percent = make();
        format_set_num_format(percent, "0.00%");
        percent_bold = make();
        format_set_num_format(percent_bold, "0.00%");
        format_set_bold(percent_bold);
        headline = make();
        // A trailing comma divides the shown value by 1,000: the cell keeps whole đồng.
        format_set_num_format(headline, unit == MoneyUnit::million   ? "#,##0.00,,"
                                        : unit == MoneyUnit::billion ? "#,##0.000,,,"
                                                                     : "#,##0");
        format_set_bold(headline);
        assumed_text = make();
        format_set_bg_color(assumed_text, kAssumedFill);
        assumed_money = make();
        format_set_num_format(assumed_money, "#,##0");
        format_set_bg_color(assumed_money, kAssumedFill);
        static constexpr const char* kShareFormats[] = {"0%", "0.0%", "0.00%", "0.000%", "0.0000%"};
        for (std::size_t d = 0; d < share.size(); ++d) {
            share[d] = d == 2 ? percent : make();  // "0.00%" is `percent` (no duplicate format)
            if (d != 2) format_set_num_format(share[d], kShareFormats[d]);
            assumed_share[d] = make();
            format_set_num_format(assumed_share[d], kShareFormats[d]);
            format_set_bg_color(assumed_share[d], kAssumedFill);
        }
    }
};

/// One worksheet: text written through it is a text cell (never a formula), column widths
/// follow what is written, rows past Excel's limit are dropped (and said so).
class Sheet {
public:
    Sheet(lxw_workbook* wb, const std::string& name, const Formats& f, Lang lang)
        : ws_(workbook_add_worksheet(wb, unique_name(wb, name).c_str())), f_(f), lang_(lang) {
        if (ws_ == nullptr) throw std::runtime_error("report.xlsx: cannot add sheet " + name);
    }

    /// `name`, or, if the workbook has a sheet of that name already (Excel compares them
    /// without case; two attributes cut to 31 characters can meet), "name (2)", "(3)", …
    /// cut to fit 31 characters.
    static std::string unique_name(lxw_workbook* wb, const std::string& name) {
        if (workbook_validate_sheet_name(wb, name.c_str()) != LXW_ERROR_SHEETNAME_ALREADY_USED) return name;
        for (int n = 2; n < 1000; ++n) {
            const std::string suffix = " (" + std::to_string(n) + ")";
            std::size_t keep = std::min(name.size(), kMaxSheetName - suffix.size());
            while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep;  // whole UTF-8 characters
            const std::string candidate = name.substr(0, keep) + suffix;
            if (workbook_validate_sheet_name(wb, candidate.c_str()) == LXW_NO_ERROR) return candidate;
        }
        return name;
    }

    const Formats& formats() const { return f_; }

    /// False (and the sheet marked truncated) past Excel's last row but one: the last
    /// row is kept for the note that says so (rows are written in order, the note last).
    bool room(lxw_row_t row) {
        if (row + 1 < kExcelRows) return true;
        truncated_ = true;
        return false;
    }

    /// Text from anywhere, as a shared-string cell: a spreadsheet shows it as written and
    /// never evaluates it, so formula-like text ("=HYPERLINK(…)", "-0.05%") needs no quote
    /// (the CSVs' leading "'" would show as a character of the value).
    void text(lxw_row_t row, lxw_col_t col, std::string_view value, lxw_format* format = nullptr, bool fit = true) {
        if (!room(row) || value.empty()) return;
        const std::string cut(cell_text(value));
        check(worksheet_write_string(ws_, row, col, cut.c_str(), format));
        if (fit) widen(col, static_cast<double>(display_width(cut)));
    }
    /// An empty cell with a format (a highlighted row's gaps).
    void blank(lxw_row_t row, lxw_col_t col, lxw_format* format) {
        if (room(row)) check(worksheet_write_blank(ws_, row, col, format));
    }
    void money(lxw_row_t row, lxw_col_t col, Dong v, lxw_format* format) {
        if (!room(row)) return;
        check(worksheet_write_number(ws_, row, col, as_number(v), format));
        widen(col, static_cast<double>(money_width(v)));
    }
    void number(lxw_row_t row, lxw_col_t col, double v, lxw_format* format, double width) {
        if (!room(row)) return;
        check(worksheet_write_number(ws_, row, col, v, format));
        widen(col, width);
    }
    void integer(lxw_row_t row, lxw_col_t col, std::int64_t v, lxw_format* format = nullptr) {
        number(row, col, static_cast<double>(v), format, static_cast<double>(std::to_string(v).size()));
    }
    /// Persons to 2 decimals, from hundredths.
    void persons(lxw_row_t row, lxw_col_t col, std::int64_t hundredths, lxw_format* format) {
        number(row, col, hundredths_number(hundredths), format,
               static_cast<double>(money_width(hundredths / 100) + 3));
    }
    /// A formula with its cached value.
    void formula(lxw_row_t row, lxw_col_t col, const std::string& f, double cached, lxw_format* format,
                 double width) {
        if (!room(row)) return;
        check(worksheet_write_formula_num(ws_, row, col, f.c_str(), format, cached));
        widen(col, width);
    }
    /// =SUM(col first:col last) caching `cached` (whole đồng); 0 without rows.
    void sum_rows(lxw_row_t row, lxw_col_t col, lxw_row_t first, lxw_row_t last, Dong cached, lxw_format* format) {
        if (first > last) return money(row, col, 0, format);
        formula(row, col, "=SUM(" + cell_name(first, col) + ":" + cell_name(last, col) + ")", as_number(cached), format,
                static_cast<double>(money_width(cached)));
    }
    /// As sum_rows() for persons (hundredths).
    void sum_persons(lxw_row_t row, lxw_col_t col, lxw_row_t first, lxw_row_t last, std::int64_t hundredths,
                     lxw_format* format) {
        if (first > last) return persons(row, col, 0, format);
        formula(row, col, "=SUM(" + cell_name(first, col) + ":" + cell_name(last, col) + ")",
                hundredths_number(hundredths), format, static_cast<double>(money_width(hundredths / 100) + 3));
    }
    /// =SUM(c1,c2,...) over the given rows of `col` (in groups of 255 arguments, added).
    void sum_cells(lxw_row_t row, lxw_col_t col, const std::vector<lxw_row_t>& rows, Dong cached, lxw_format* format) {
        if (rows.empty()) return money(row, col, 0, format);
        std::string f = "=";
        for (std::size_t i = 0; i < rows.size(); i += kMaxSumArguments) {
            if (i > 0) f += "+";
            f += "SUM(";
            for (std::size_t k = i; k < std::min(rows.size(), i + kMaxSumArguments); ++k) {
                if (k > i) f += ',';
                f += cell_name(rows[k], col);
            }
            f += ")";
        }
        formula(row, col, f, as_number(cached), format, static_cast<double>(money_width(cached)));
    }
    /// =SUM(first col:last col) along a row.
    void sum_across(lxw_row_t row, lxw_col_t col, lxw_col_t first, lxw_col_t last, Dong cached, lxw_format* format) {
        if (first > last) return money(row, col, 0, format);
        formula(row, col, "=SUM(" + cell_name(row, first) + ":" + cell_name(row, last) + ")", as_number(cached), format,
                static_cast<double>(money_width(cached)));
    }

    /// Column headings (wrapped) on `row`, the row tall enough for the longest heading
    /// wrapped at the narrowest width its column can get (the height is set with the
    /// row, before the final widths are known).
    void header(lxw_row_t row, const std::vector<std::string>& names) {
        if (!room(row)) return;
        double lines = 1;
        for (const std::string& name : names) {
            const auto chars = static_cast<double>(display_width(name));
            const double narrowest = std::max(kMinWidth, std::min(kHeaderWrapWidth, chars) + 2) - 1;
            lines = std::max(lines, std::ceil(chars / narrowest));
        }
        check(worksheet_set_row(ws_, row, kRowHeight * lines, nullptr));
        for (std::size_t c = 0; c < names.size(); ++c) {
            const auto col = static_cast<lxw_col_t>(c);
            check(worksheet_write_string(ws_, row, col, std::string(cell_text(names[c])).c_str(), f_.header));
            widen(col, std::min(kHeaderWrapWidth, static_cast<double>(display_width(names[c]))));
        }
    }

    /// Title, notes and a blank row; returns the header row.
    lxw_row_t preamble(const std::string& title, const std::vector<std::string>& notes,
                       const std::vector<std::string>& warnings = {}) {
        lxw_row_t row = 0;
        text(row++, 0, title, f_.title, false);
        for (const std::string& w : warnings) text(row++, 0, w, f_.warning, false);
        for (const std::string& n : notes) text(row++, 0, n, f_.note, false);
        return row + 1;
    }

    /// A table from `header_row` to `last_row` over `columns`: frozen heading, filter.
    void table(lxw_row_t header_row, lxw_row_t last_row, lxw_col_t columns, lxw_col_t frozen_columns = 0) {
        worksheet_freeze_panes(ws_, header_row + 1, frozen_columns);
        const lxw_row_t last = std::min<lxw_row_t>(std::max(last_row, header_row), kExcelRows - 1);
        if (columns > 0) check(worksheet_autofilter(ws_, header_row, 0, last, columns - 1));
        check(worksheet_repeat_rows(ws_, header_row, header_row));
    }

    /// Column widths, page setup, and a note in the last row if rows were dropped.
    void finish() {
        for (std::size_t c = 0; c < widths_.size(); ++c) {
            const double w = std::clamp(widths_[c] + 2, kMinWidth, kMaxWidth);
            check(worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w, nullptr));
        }
        worksheet_set_landscape(ws_);
        worksheet_set_paper(ws_, kPaperA4);
        worksheet_fit_to_pages(ws_, 1, 0);
        if (truncated_)
            check(worksheet_write_string(
                ws_, kExcelRows - 1, 0,
                i18n::tr_in(lang_, "report.note.truncated", {i18n::grouped(kExcelRows).in(lang_)}).c_str(), f_.warning));
    }

private:
    void widen(lxw_col_t col, double width) {
        if (widths_.size() <= col) widths_.resize(col + 1, 0);
        widths_[col] = std::max(widths_[col], width);
    }

    lxw_worksheet* ws_;
    const Formats& f_;
    Lang lang_;
    std::vector<double> widths_;
    bool truncated_ = false;
};

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
inline std::int64_t days_from_civil(Date d) {
    const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (d.month + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/// The workbook's "created" property: the run date at midnight UTC (never the clock,
/// so that two runs on a day write the same bytes).
inline std::time_t created_time(const ReportOptions& o) {
    constexpr std::int64_t kSecondsPerDay = 86'400;
    std::optional<Date> d;
    if (o.generated_at.size() >= 10) d = Date::parse(std::string_view(o.generated_at).substr(0, 10));
    if (!d) d = report_as_of(o);
    if (!d) d = Date{2000, 1, 1};
    return static_cast<std::time_t>(std::max<std::int64_t>(days_from_civil(*d) * kSecondsPerDay, 1));
}

/// The zlib level workbooks are deflated with (xlsx_zip.cpp): 1, the fastest.
inline constexpr int kZipLevel = 1;
/// Defined beside the level's hook, so that any program writing workbooks links it.
bool fast_zip_linked();

struct WorkbookCloser {
    void operator()(lxw_workbook* wb) const { workbook_close(wb); }
};

/// A new workbook at `path` with its title, author and the reproducible "created" time.
inline std::unique_ptr<lxw_workbook, WorkbookCloser> open_workbook(const std::filesystem::path& path,
                                                                   const std::string& title, const ReportOptions& o) {
    // Not libxlsxwriter's constant-memory mode: its inline strings made Ninh Bình's
    // workbook 17% larger and a quarter slower to write than the shared-string table.
    // (The sheets are written row by row all the same.)
    (void)fast_zip_linked();
    std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new(path.c_str()));
    if (!wb) throw std::runtime_error("cannot create " + path.string());
    lxw_doc_properties properties{};
    properties.title = const_cast<char*>(title.c_str());
    properties.author = const_cast<char*>("subsim");
    properties.created = created_time(o);
    check(workbook_set_properties(wb.get(), &properties));
    return wb;
}

/// Closes the workbook (libxlsxwriter writes the file now); throws if it cannot.
inline void close_workbook(std::unique_ptr<lxw_workbook, WorkbookCloser> wb, const std::filesystem::path& path) {
    const lxw_error e = workbook_close(wb.release());
    if (e != LXW_NO_ERROR) throw std::runtime_error("cannot write " + path.string() + ": " + lxw_strerror(e));
}

}  // namespace subsim::report_detail::xlsx
