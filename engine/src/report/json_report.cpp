/// run.json: what was run, on which inputs, with which totals. Written by hand with a
/// fixed key order; `generated_at` is the only field that changes between runs.
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>

#include "division_reports.hpp"
#include "report_format.hpp"
#include "subsim/report/output_folder.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {

namespace {

constexpr std::string_view kReplacementCharacter = "\\ufffd";

/// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not valid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char min_second = 0x80, max_second = 0xBF;
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) min_second = 0xA0;  // no overlong forms
        if (lead == 0xED) max_second = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) min_second = 0x90;
        if (lead == 0xF4) max_second = 0x8F;  // at most U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    if (byte(i + 1) < min_second || byte(i + 1) > max_second) return 0;
    for (std::size_t k = i + 2; k < i + length; ++k)
        if (byte(k) < 0x80 || byte(k) > 0xBF) return 0;
    return length;
}

void append_escaped_ascii(std::string& out, char c) {
    switch (c) {
        case '"': out += "\\\""; return;
        case '\\': out += "\\\\"; return;
        case '\b': out += "\\b"; return;
        case '\f': out += "\\f"; return;
        case '\n': out += "\\n"; return;
        case '\r': out += "\\r"; return;
        case '\t': out += "\\t"; return;
        default: break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
        char buffer[8];
        std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
        out += buffer;
        return;
    }
    out += c;
}

}  // namespace

namespace report_detail {

/// A JSON string literal. Valid UTF-8 passes through; invalid bytes become U+FFFD.
std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += kReplacementCharacter;
            ++i;
        } else if (length == 1) {
            append_escaped_ascii(out, text[i]);
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    out += '"';
    return out;
}

}  // namespace report_detail

namespace {

using report_detail::json_string;

template <class Items, class WriteItem>
void write_array(std::ostream& out, std::string_view key, const Items& items, WriteItem write_item) {
    out << "  " << json_string(key) << ": [";
    if (items.empty()) {
        out << "]";
        return;
    }
    bool first = true;
    for (const auto& item : items) {
        out << (first ? "\n    " : ",\n    ");
        write_item(item);
        first = false;
    }
    out << "\n  ]";
}

}  // namespace

namespace report_detail {

void write_run_json(std::ostream& out, const Results& r, const ReportOptions& o,
                    const std::vector<YearPayerTotal>& totals, const std::vector<std::string>& files,
                    const std::vector<DivisionTables>* divisions) {
    const Scenario& s = report_detail::scenario_of(r);
    out << "{\n";
    // What subsim wrote here: a later run replaces this folder only if it holds nothing else.
    out << "  \"manifest\": {\"program\": " << json_string(kProgramName) << ", \"files\": [";
    for (std::size_t i = 0; i < files.size(); ++i) out << (i == 0 ? "" : ", ") << json_string(files[i]);
    out << "]},\n";
    // The command that wrote the folder: another command's run does not replace it.
    out << "  \"kind\": " << json_string(report_kind_name(ReportKind::run)) << ",\n";
    out << "  \"scenario_id\": " << json_string(s.id) << ",\n";
    out << "  \"title\": {\"vi\": " << json_string(s.title.vi) << ", \"en\": " << json_string(s.title.en) << "},\n";
    out << "  \"years\": {\"from\": " << s.first_year << ", \"to\": " << s.last_year << "},\n";
    out << "  \"program_version\": " << json_string(o.program_version) << ",\n";
    out << "  \"generated_at\": " << json_string(o.generated_at) << ",\n";
    out << "  \"illustrative_population\": " << (s.illustrative_population ? "true" : "false") << ",\n";
    write_array(out, "inputs", s.inputs, [&](const InputFile& f) {
        out << "{\"path\": " << json_string(f.path) << ", \"sha256\": " << json_string(f.sha256) << "}";
    });
    out << ",\n";
    write_array(out, "totals", totals, [&](const YearPayerTotal& t) {
        const std::string payer = t.payer < 0 ? "total" : s.payers.at(static_cast<std::size_t>(t.payer)).id;
        out << "{\"year\": " << t.year << ", \"payer\": " << json_string(payer) << ", \"cost_vnd\": " << t.cost
            << "}";
    });
    out << ",\n";
    write_merger_json(out, r, divisions != nullptr ? *divisions : build_divisions(r, o));
    write_array(out, "warnings", r.warnings, [&](const Warning& w) { out << json_string(w.to_string(Lang::en)); });
    out << "\n}\n";
}

}  // namespace report_detail

void write_run_json(std::ostream& out, const Results& r, const ReportOptions& o,
                    const std::vector<std::string>& files) {
    (void)report_detail::scenario_of(r);  // throws before the totals would read a missing scenario
    report_detail::write_run_json(out, r, o, totals_by_year_payer(r), files);
}

}  // namespace subsim
