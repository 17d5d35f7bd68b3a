// report.xlsx and report.html of a sensitivity study. The workbook holds the CSV tables
// (percentiles per year × payer, the variants' difference, the tornado, Sobol' indices,
// the range per commune); the page draws a fan chart of the total cost per year (P5–P95
// and P10–P90 bands, the P50 line, the baseline) and the tornado of the whole period's
// total. Every number comes from a CSV cell (sensitivity_tables.hpp).
#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "html_page.hpp"
#include "office_xlsx.hpp"
#include "report_format.hpp"
#include "sensitivity_tables.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim::report_detail {

namespace {

constexpr int kFanWidth = 640;
constexpr int kFanHeight = 280;
constexpr int kFanLeft = 8;
constexpr int kFanTop = 12;
constexpr int kFanBottom = 24;
constexpr int kTornadoWidth = 640;
constexpr int kTornadoLabel = 230;  ///< room for the inputs' names
constexpr int kTornadoRow = 22;
constexpr std::size_t kLabelChars = 32;
constexpr const char* kOuterBand = "#c6dbef";
constexpr const char* kInnerBand = "#6baed6";
constexpr const char* kMedian = "#08306b";
constexpr const char* kBaseline = "#c55a11";

std::string tr(Lang lang, std::string_view key, std::initializer_list<i18n::Arg> args = {}) {
    return i18n::tr_in(lang, key, args);
}

std::string title_of(const Scenario& base, Lang lang) {
    const std::string& title = base.title.in(lang);
    return tr(lang, "sensitivity.heading", {title.empty() ? base.id : title});
}

double value(const CompareCell& c) { return c.number(); }

/// Text cut to `chars` code points with an ellipsis (chart labels).
std::string shortened(const std::string& text, std::size_t chars) {
    if (html::char_count(text) <= chars) return text;
    std::size_t n = 0, at = 0;
    for (; at < text.size(); ++at)
        if ((static_cast<unsigned char>(text[at]) & 0xC0) != 0x80 && n++ == chars - 1) break;
    return text.substr(0, at) + "…";
}

class SensitivityPage {
public:
    SensitivityPage(const SensitivityResult& r, const Scenario& base, const ReportOptions& o, const SensitivityTables& t)
        : r_(r), base_(base), o_(o), lang_(o.lang), t_(t) {}

    void write(std::ostream& out) {
        const std::string title = title_of(base_, lang_);
        html::page_start(html_, lang_, title);
        html_ += "<header>\n<h1>" + esc(title) + "</h1>\n<p class=\"meta\">" +
                 esc(tr(lang_, "sensitivity.intro", {i18n::grouped(static_cast<std::int64_t>(r_.draws)), std::to_string(r_.seed)})) +
                 "</p>\n";
        if (base_.illustrative_population) html_ += "<p class=\"warning\">" + esc(tr(lang_, "compare.illustrative")) + "</p>\n";
        html_ += "</header>\n";
        fan();
        percentiles();
        tornado();
        html::page_end(html_, lang_, o_.program_version, "sensitivity.files");
        out << html_;
    }

private:
    std::string esc(std::string_view text) const { return html_escape(text); }
    std::string money(const CompareCell& c) const {
        return html::data(c.csv, html::money_text(static_cast<Dong>(std::llround(value(c))), lang_));
    }
    static std::string shown(const CompareCell& c) { return c.shown.empty() ? c.csv : c.shown; }

    /// The fan chart: one point per year of the total cost.
    void fan() {
        const CompareTable& t = t_.distribution;
        const std::size_t yc = t.column("year"), pc = t.column("payer");
        std::vector<const CompareRow*> rows;
        for (const CompareRow& row : t.rows)
            if (row.cells[pc].csv == "total" && row.cells[yc].csv != "all") rows.push_back(&row);
        html_ += "<section id=\"fan\">\n<h2>" + esc(tr(lang_, "office.sens.fan")) + "</h2>\n";
        if (rows.empty()) {
            html_ += "<p>" + esc(tr(lang_, "report.html.no_data")) + "</p>\n</section>\n";
            return;
        }
        const auto at = [&](const CompareRow* row, const char* column) { return value(row->cells[t.column(column)]); };
        double low = at(rows.front(), "p5"), high = at(rows.front(), "p95");
        for (const CompareRow* row : rows) {
            low = std::min({low, at(row, "p5"), at(row, "baseline")});
            high = std::max({high, at(row, "p95"), at(row, "baseline")});
        }
        const double pad = std::max((high - low) * 0.08, 1.0);
        low = std::max(0.0, low - pad);
        high += pad;
        const double plot_h = kFanHeight - kFanTop - kFanBottom;
        const double slot = (kFanWidth - 2 * kFanLeft - html::kAxisGutter) / static_cast<double>(rows.size());
        const auto x_of = [&](std::size_t i) { return kFanLeft + html::kAxisGutter + slot * (static_cast<double>(i) + 0.5); };
        const auto y_of = [&](double v) { return kFanTop + plot_h * (high - v) / (high - low); };
        const auto band = [&](const char* lower, const char* upper, const char* fill) {
            std::string points;
            for (std::size_t i = 0; i < rows.size(); ++i)
                points += html::num(x_of(i)) + "," + html::num(y_of(at(rows[i], upper))) + " ";
            for (std::size_t i = rows.size(); i-- > 0;)
                points += html::num(x_of(i)) + "," + html::num(y_of(at(rows[i], lower))) + " ";
            points.pop_back();
            html_ += "<polygon points=\"" + points + "\" fill=\"" + fill + "\" stroke=\"" + fill + "\" stroke-width=\"6\" stroke-linejoin=\"round\"/>\n";
        };
        html_ += "<figure>\n<svg class=\"chart\" id=\"fan-chart\" viewBox=\"0 0 " + std::to_string(kFanWidth) + " " +
                 std::to_string(kFanHeight) + "\" role=\"img\" aria-label=\"" + esc(tr(lang_, "office.sens.fan")) + "\">\n";
        const html::ValueAxis axis = html::value_axis(low, high, y_of, kFanLeft + html::kAxisGutter, kFanWidth, lang_);
        html_ += axis.lines;
        band("p5", "p95", kOuterBand);
        band("p10", "p90", kInnerBand);
        std::string median;
        for (std::size_t i = 0; i < rows.size(); ++i)
            median += (i ? " " : "") + html::num(x_of(i)) + "," + html::num(y_of(at(rows[i], "p50")));
        html_ += "<polyline points=\"" + median + "\" fill=\"none\" stroke=\"" + kMedian + "\" stroke-width=\"2.5\"/>\n";
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const CompareRow& row = *rows[i];
            html_ += "<circle cx=\"" + html::num(x_of(i)) + "\" cy=\"" + html::num(y_of(at(rows[i], "p50"))) + "\" r=\"3.5\" fill=\"" +
                     kMedian + "\"><title>" + esc(row.cells[yc].csv + " — P50: " +
                                                  html::money_text(static_cast<Dong>(std::llround(at(rows[i], "p50"))), lang_)) +
                     "</title></circle>\n";
            html_ += "<rect x=\"" + html::num(x_of(i) - 4) + "\" y=\"" + html::num(y_of(at(rows[i], "baseline")) - 1) +
                     "\" width=\"8\" height=\"2\" fill=\"" + kBaseline + "\"/>\n";
            html_ += "<text x=\"" + html::num(x_of(i)) + "\" y=\"" + std::to_string(kFanHeight - 6) +
                     "\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1a1a1a\">" + esc(row.cells[yc].csv) + "</text>\n";
        }
        html_ += axis.labels + "</svg>\n<figcaption class=\"legend\">" + html::legend_entry(kOuterBand, tr(lang_, "office.sens.band90")) +
                 html::legend_entry(kInnerBand, tr(lang_, "office.sens.band80")) +
                 html::legend_entry(kMedian, tr(lang_, "office.sens.median")) +
                 html::legend_entry(kBaseline, tr(lang_, "office.sens.baseline")) + html::axis_legend(axis, lang_) + "</figcaption>\n</figure>\n</section>\n";
    }

    /// A table of summaries: the given text columns, then the numbers.
    void summary_table(const CompareTable& t, const std::vector<std::string>& text_columns,
                       const std::vector<std::string>& number_columns, bool totals_only) {
        const std::size_t pc = t.column("payer");
        html_ += "<div class=\"scroll\"><table>\n<thead><tr>";
        for (const std::string& c : text_columns) html_ += "<th>" + esc(tr(lang_, "office.col." + c)) + "</th>";
        for (const std::string& c : number_columns) html_ += "<th class=\"num\">" + esc(tr(lang_, "office.col." + c)) + "</th>";
        html_ += "</tr></thead>\n<tbody>\n";
        for (const CompareRow& row : t.rows) {
            const bool total = row.cells[pc].csv == "total";
            if (totals_only && !total) continue;
            html_ += total ? "<tr class=\"total\">" : "<tr>";
            for (const std::string& c : text_columns) html_ += "<td>" + esc(shown(row.cells[t.column(c)])) + "</td>";
            for (const std::string& c : number_columns) html_ += "<td class=\"num\">" + money(row.cells[t.column(c)]) + "</td>";
            html_ += "</tr>\n";
        }
        html_ += "</tbody></table></div>\n";
    }

    void percentiles() {
        html_ += "<section id=\"percentiles\">\n<h2>" + esc(tr(lang_, "office.sens.percentiles")) + "</h2>\n";
        summary_table(t_.distribution, {"year", "payer"}, {"baseline", "mean", "sd", "p5", "p10", "p50", "p90", "p95"}, false);
        html_ += "</section>\n";
        if (!t_.difference) return;
        for (std::size_t v = 1; v < r_.scenario_ids.size(); ++v) {
            html_ += "<section class=\"difference\">\n<h2>" +
                     esc(tr(lang_, "sensitivity.difference_heading", {r_.scenario_ids[v]})) + "</h2>\n";
            CompareTable one = *t_.difference;
            const std::size_t vc = one.column("variant");
            one.rows.erase(std::remove_if(one.rows.begin(), one.rows.end(),
                                          [&](const CompareRow& row) { return row.cells[vc].csv != r_.scenario_ids[v]; }),
                           one.rows.end());
            summary_table(one, {"year", "payer"}, {"mean", "p5", "p50", "p95"}, true);
            html_ += "</section>\n";
        }
    }

    void tornado() {
        const CompareTable& t = t_.tornado;
        const std::size_t oc = t.column("output"), ic = t.column("input");
        const std::size_t lo = t.column("cost_at_p5"), hi = t.column("cost_at_p95"), sw = t.column("swing");
        std::vector<const CompareRow*> rows;
        for (const CompareRow& row : t.rows)
            if (row.cells[oc].csv == "cost:all:total") rows.push_back(&row);
        html_ += "<section id=\"tornado\">\n<h2>" + esc(tr(lang_, "office.sens.tornado")) + "</h2>\n";
        if (rows.empty()) {
            html_ += "<p>" + esc(tr(lang_, "report.html.no_data")) + "</p>\n</section>\n";
            return;
        }
        // The baseline of the whole period's total: the centre line.
        double centre = 0;
        const CompareTable& d = t_.distribution;
        for (const CompareRow& row : d.rows)
            if (row.cells[d.column("year")].csv == "all" && row.cells[d.column("payer")].csv == "total")
                centre = value(row.cells[d.column("baseline")]);
        double low = centre, high = centre;
        for (const CompareRow* row : rows) {
            low = std::min({low, value(row->cells[lo]), value(row->cells[hi])});
            high = std::max({high, value(row->cells[lo]), value(row->cells[hi])});
        }
        const double span = high > low ? high - low : 1.0;
        const double plot_w = kTornadoWidth - kTornadoLabel - 10;
        const auto x_of = [&](double v) { return kTornadoLabel + plot_w * (v - low) / span; };
        const int height = static_cast<int>(rows.size()) * kTornadoRow + 8;
        html_ += "<figure>\n<svg class=\"chart\" id=\"tornado-chart\" viewBox=\"0 0 " + std::to_string(kTornadoWidth) + " " +
                 std::to_string(height) + "\" role=\"img\" aria-label=\"" + esc(tr(lang_, "office.sens.tornado")) + "\">\n";
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const CompareRow& row = *rows[i];
            const double a = value(row.cells[lo]), b = value(row.cells[hi]);
            const double y = 4 + kTornadoRow * static_cast<double>(i);
            const std::string& name = row.cells[ic].csv;
            html_ += "<text x=\"" + std::to_string(kTornadoLabel - 6) + "\" y=\"" + html::num(y + kTornadoRow * 0.65) +
                     "\" font-size=\"11\" text-anchor=\"end\" fill=\"#1a1a1a\">" + esc(shortened(name, kLabelChars)) + "</text>\n";
            html_ += "<rect x=\"" + html::num(x_of(std::min(a, b))) + "\" y=\"" + html::num(y + 3) + "\" width=\"" +
                     html::num(std::max(x_of(std::max(a, b)) - x_of(std::min(a, b)), 0.5)) + "\" height=\"" +
                     std::to_string(kTornadoRow - 6) + "\" fill=\"" + html::kLevelColours[1] + "\"><title>" +
                     esc(name + ": " + html::money_text(static_cast<Dong>(std::llround(a)), lang_) + " – " +
                         html::money_text(static_cast<Dong>(std::llround(b)), lang_)) +
                     "</title></rect>\n";
        }
        html_ += "<line x1=\"" + html::num(x_of(centre)) + "\" y1=\"0\" x2=\"" + html::num(x_of(centre)) + "\" y2=\"" +
                 std::to_string(height) + "\" stroke=\"" + kBaseline + "\" stroke-width=\"1.5\"/>\n</svg>\n";
        html_ += "<figcaption class=\"legend\">" + html::legend_entry(kBaseline, tr(lang_, "office.sens.baseline")) +
                 "</figcaption>\n</figure>\n";
        html_ += "<div class=\"scroll\"><table>\n<thead><tr><th>" + esc(tr(lang_, "office.col.rank")) + "</th><th class=\"label\">" +
                 esc(tr(lang_, "office.col.input")) + "</th><th class=\"num\">" + esc(tr(lang_, "office.col.cost_at_p5")) +
                 "</th><th class=\"num\">" + esc(tr(lang_, "office.col.cost_at_p95")) + "</th><th class=\"num\">" +
                 esc(tr(lang_, "office.col.swing")) + "</th></tr></thead>\n<tbody>\n";
        for (const CompareRow* row : rows)
            html_ += "<tr><td>" + esc(row->cells[t.column("rank")].csv) + "</td><td class=\"label\">" + esc(row->cells[ic].csv) +
                     "</td><td class=\"num\">" + money(row->cells[lo]) + "</td><td class=\"num\">" + money(row->cells[hi]) +
                     "</td><td class=\"num\">" + money(row->cells[sw]) + "</td></tr>\n";
        html_ += "</tbody></table></div>\n</section>\n";
    }

    const SensitivityResult& r_;
    const Scenario& base_;
    const ReportOptions& o_;
    Lang lang_;
    const SensitivityTables& t_;
    std::string html_;
};

}  // namespace

void write_sensitivity_xlsx(const std::filesystem::path& path, const SensitivityResult& r, const Scenario& base,
                            const ReportOptions& o, const SensitivityTables& t) {
    const Lang lang = o.lang;
    const std::string title = title_of(base, lang);
    auto wb = xlsx::open_workbook(path, title, o);
    const xlsx::Formats f(wb.get(), o.money_unit);
    std::vector<std::string> notes{tr(lang, "sensitivity.intro", {i18n::grouped(static_cast<std::int64_t>(r.draws)), std::to_string(r.seed)})};
    if (base.illustrative_population) notes.push_back(tr(lang, "compare.illustrative"));
    const auto sheet = [&](std::string_view key, const CompareTable& table) {
        const std::string name = tr(lang, std::string("office.sheet.") + std::string(key));
        std::vector<std::string> sheet_notes = notes;
        sheet_notes.push_back(tr(lang, "office.note.csv", {table.file}));
        write_table_sheet(wb.get(), f, lang, name, title + " — " + name, sheet_notes, table);
    };
    sheet("percentiles", t.distribution);
    if (t.difference) sheet("difference", *t.difference);
    sheet("tornado", t.tornado);
    if (t.sobol) sheet("sobol", *t.sobol);
    sheet("by_unit_range", t.by_unit);
    xlsx::close_workbook(std::move(wb), path);
}

void write_sensitivity_html(std::ostream& out, const SensitivityResult& r, const Scenario& base, const ReportOptions& o,
                            const SensitivityTables& t) {
    SensitivityPage(r, base, o, t).write(out);
}

}  // namespace subsim::report_detail
