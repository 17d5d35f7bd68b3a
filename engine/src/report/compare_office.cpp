// report.xlsx and report.html of `subsim compare`. The workbook holds the short compare
// CSVs as sheets and the three long ones (by commune, support changes, coverage)
// summarised, all communes included; totals as SUM formulas caching the CSV's totals;
// the page draws cost per year per scenario, the difference per year by payer, the
// communes that change most and who gains or loses support. Every number comes from a
// CSV cell (compare_tables.hpp): the page puts its CSV text in <data value="...">.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "compare_tables.hpp"
#include "html_page.hpp"
#include "office_xlsx.hpp"
#include "report_format.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim::report_detail {

namespace {

using Kind = CompareCell::Kind;

constexpr std::size_t kTopRows = 10;
constexpr int kChartWidth = 640;
constexpr int kChartHeight = 260;
constexpr int kChartBottom = 24;  ///< room for the years below
constexpr int kChartTop = 8;
constexpr const char* kScenarioColours[] = {"#7f7f7f", "#2e75b6", "#c55a11", "#70ad47", "#7030a0", "#bf9000"};

std::string tr(Lang lang, std::string_view key, std::initializer_list<i18n::Arg> args = {}) {
    return i18n::tr_in(lang, key, args);
}

Dong money_of(const CompareCell& c) { return c.csv.empty() ? 0 : std::stoll(c.csv); }

// ---- the workbook ------------------------------------------------------------------------

}  // namespace

void write_table_sheet(lxw_workbook* wb, const xlsx::Formats& f, Lang lang, const std::string& name,
                       const std::string& title, const std::vector<std::string>& notes, const CompareTable& t) {
    xlsx::Sheet sh(wb, name, f, lang);
    const lxw_row_t header = sh.preamble(title, notes);
    std::vector<std::string> headings = t.headings;
    if (headings.empty())
        for (const std::string& c : t.columns) headings.push_back(tr(lang, "office.col." + c));
    sh.header(header, headings);
    const lxw_row_t first = header + 1;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const CompareRow& row = t.rows[i];
        const auto r = static_cast<lxw_row_t>(first + i);
        for (std::size_t k = 0; k < row.cells.size(); ++k) {
            const CompareCell& cell = row.cells[k];
            const auto col = static_cast<lxw_col_t>(k);
            if (cell.kind == Kind::text) {
                sh.text(r, col, cell.shown.empty() ? cell.csv : cell.shown, row.total ? f.text_bold : f.text);
                if (row.total && cell.csv.empty()) sh.blank(r, col, f.text_bold);
                continue;
            }
            if (cell.csv.empty()) {
                if (row.total) sh.blank(r, col, f.text_bold);
                continue;
            }
            switch (cell.kind) {
                case Kind::money: {
                    if (!row.total || row.sum_of.empty()) {
                        sh.money(r, col, money_of(cell), row.total ? f.money_bold : f.money);
                        break;
                    }
                    std::vector<lxw_row_t> rows;
                    for (std::size_t s : row.sum_of) rows.push_back(static_cast<lxw_row_t>(first + s));
                    if (rows.back() - rows.front() + 1 == rows.size())  // one range: SUM(A5:A9)
                        sh.sum_rows(r, col, rows.front(), rows.back(), money_of(cell), f.money_bold);
                    else
                        sh.sum_cells(r, col, rows, money_of(cell), f.money_bold);
                    break;
                }
                case Kind::percent:
                    sh.number(r, col, cell.number(), row.total ? f.percent_bold : f.percent,
                              static_cast<double>(cell.csv.size() + 1));
                    break;
                case Kind::persons:
                    sh.number(r, col, cell.number(), row.total ? f.persons_bold : f.persons,
                              static_cast<double>(cell.csv.size() + cell.csv.size() / 4));
                    break;
                case Kind::integer:
                case Kind::text:
                    sh.number(r, col, cell.number(), nullptr, static_cast<double>(cell.csv.size()));
                    break;
            }
        }
    }
    sh.table(header, static_cast<lxw_row_t>(header + t.rows.size()), static_cast<lxw_col_t>(t.columns.size()));
    sh.finish();
}

namespace {

std::string variant_list(const Comparison& c, Lang lang) {
    std::string out;
    for (const ScenarioRun& v : c.variants) {
        const std::string& title = v.scenario->title.in(lang);
        out += (out.empty() ? "" : "; ") + v.scenario->id + (title.empty() ? "" : " — " + title);
    }
    return out;
}

std::string base_title(const Comparison& c, Lang lang) {
    const std::string& title = c.base.scenario->title.in(lang);
    return title.empty() ? c.base.scenario->id : title;
}

// ---- the page ----------------------------------------------------------------------------

/// One bar series of a chart: its name, colour and a value per category (CSV cells).
struct Series {
    std::string name;
    std::string colour;
    std::vector<const CompareCell*> values;
};

class ComparePage {
public:
    ComparePage(const Comparison& c, const ReportOptions& o, const CompareTables& t)
        : c_(c), lang_(o.lang), o_(o), t_(t) {}

    void write(std::ostream& out) {
        const std::string title = tr(lang_, "compare.heading", {base_title(c_, lang_)});
        html::page_start(html_, lang_, title);
        html_ += "<header>\n<h1>" + esc(title) + "</h1>\n<p class=\"meta\">" + esc(tr(lang_, "compare.base")) + ": " +
                 esc(c_.base.scenario->id) + " · " + esc(tr(lang_, "compare.variant")) + ": " + esc(variant_list(c_, lang_)) +
                 "</p>\n";
        if (c_.base.scenario->illustrative_population)
            html_ += "<p class=\"warning\">" + esc(tr(lang_, "compare.illustrative")) + "</p>\n";
        html_ += "</header>\n";
        cost_per_year();
        for (std::size_t v = 0; v < c_.variants.size(); ++v) difference_by_payer(v);
        top_units();
        support();
        warnings();
        html::page_end(html_, lang_, o_.program_version, "compare.files");
        out << html_;
    }

private:
    std::string esc(std::string_view text) const { return html_escape(text); }
    std::string money(const CompareCell& c) const { return html::data(c.csv, html::money_text(money_of(c), lang_)); }
    std::string percent(const CompareCell& c) const {
        if (c.csv.empty()) return "—";
        const std::int64_t hundredths = std::llround(std::stod(c.csv) * 100.0);
        return html::data(c.csv, hundredths_text(hundredths, lang_) + "%");
    }
    const std::string& variant_id(std::size_t v) const { return c_.variants[v].scenario->id; }

    /// Rows of compare_by_year_payer.csv of variant `v` for `payer`, one per year, then
    /// the whole period's.
    std::vector<const CompareRow*> year_rows(std::size_t v, const std::string& payer) const {
        const CompareTable& t = t_.by_year_payer;
        const std::size_t pc = t.column("payer"), vc = t.column("variant");
        std::vector<const CompareRow*> rows;
        for (const CompareRow& r : t.rows)
            if (r.cells[pc].csv == payer && r.cells[vc].csv == variant_id(v)) rows.push_back(&r);
        return rows;
    }

    /// A bar chart: bars per category side by side, one per series, up or down from zero.
    void bar_chart(const std::vector<std::string>& categories, const std::vector<Series>& series, const std::string& label) {
        Dong top = 0, bottom = 0;
        for (const Series& s : series)
            for (const CompareCell* c : s.values) {
                top = std::max(top, money_of(*c));
                bottom = std::min(bottom, money_of(*c));
            }
        const double span = static_cast<double>(top - bottom);
        const double plot = kChartHeight - kChartTop - kChartBottom;
        const auto y_of = [&](Dong v) {
            return span > 0 ? kChartTop + plot * static_cast<double>(top - v) / span : kChartTop + plot;
        };
        const std::size_t n = categories.size();
        const double slot = (kChartWidth - html::kAxisGutter) / static_cast<double>(std::max<std::size_t>(n, 1));
        const double group = slot * 0.7;
        const double bar = series.empty() ? group : group / static_cast<double>(series.size());
        html_ += "<figure>\n<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(kChartWidth) + " " +
                 std::to_string(kChartHeight) + "\" role=\"img\" aria-label=\"" + esc(label) + "\">\n";
        const html::ValueAxis axis = html::value_axis(
            static_cast<double>(bottom), static_cast<double>(top),
            [&](double v) { return kChartTop + plot * (static_cast<double>(top) - v) / span; }, html::kAxisGutter,
            kChartWidth, lang_);
        html_ += axis.lines;
        for (std::size_t k = 0; k < n; ++k) {
            const double x0 = html::kAxisGutter + slot * static_cast<double>(k) + (slot - group) / 2;
            for (std::size_t s = 0; s < series.size(); ++s) {
                const Dong v = money_of(*series[s].values[k]);
                const double y = std::min(y_of(v), y_of(0)), h = std::abs(y_of(v) - y_of(0));
                html_ += "<rect x=\"" + html::num(x0 + bar * static_cast<double>(s)) + "\" y=\"" + html::num(y) +
                         "\" width=\"" + html::num(bar * 0.92) + "\" height=\"" + html::num(h) + "\" fill=\"" +
                         series[s].colour + "\"><title>" +
                         esc(categories[k] + " — " + series[s].name + ": " + html::money_text(v, lang_)) + "</title></rect>\n";
            }
            html_ += "<text x=\"" + html::num(x0 + group / 2) + "\" y=\"" + std::to_string(kChartHeight - 6) +
                     "\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1a1a1a\">" + esc(categories[k]) + "</text>\n";
        }
        html_ += "<line x1=\"" + html::num(html::kAxisGutter) + "\" y1=\"" + html::num(y_of(0)) + "\" x2=\"" + std::to_string(kChartWidth) + "\" y2=\"" +
                 html::num(y_of(0)) + "\" stroke=\"#888\" stroke-width=\"1\"/>\n" + axis.labels + "</svg>\n<figcaption class=\"legend\">";
        for (const Series& s : series) html_ += html::legend_entry(s.colour, s.name);
        html_ += html::axis_legend(axis, lang_) + "</figcaption>\n</figure>\n";
    }

    void cost_per_year() {
        html_ += "<section id=\"by-year\">\n<h2>" + esc(tr(lang_, "office.compare.by_year")) + "</h2>\n";
        const CompareTable& t = t_.by_year_payer;
        const std::size_t yc = t.column("year"), bc = t.column("base_vnd"), xc = t.column("variant_vnd");
        const std::size_t dc = t.column("diff_vnd"), pc = t.column("diff_pct");
        std::vector<std::vector<const CompareRow*>> totals;  // per variant: each year's total, then the period's
        for (std::size_t v = 0; v < c_.variants.size(); ++v) totals.push_back(year_rows(v, "total"));
        if (totals.empty() || totals.front().size() < 2) {
            html_ += "<p>" + esc(tr(lang_, "report.html.no_data")) + "</p>\n</section>\n";
            return;
        }
        const std::size_t years = totals.front().size() - 1;
        std::vector<std::string> categories;
        std::vector<Series> series(1 + c_.variants.size());
        series[0] = Series{c_.base.scenario->id, kScenarioColours[0], {}};
        for (std::size_t v = 0; v < c_.variants.size(); ++v)
            series[v + 1] = Series{variant_id(v), kScenarioColours[1 + v % (std::size(kScenarioColours) - 1)], {}};
        for (std::size_t y = 0; y < years; ++y) {
            categories.push_back(totals[0][y]->cells[yc].csv);
            series[0].values.push_back(&totals[0][y]->cells[bc]);
            for (std::size_t v = 0; v < c_.variants.size(); ++v) series[v + 1].values.push_back(&totals[v][y]->cells[xc]);
        }
        bar_chart(categories, series, tr(lang_, "office.compare.by_year"));
        html_ += "<div class=\"scroll\"><table>\n<thead><tr><th>" + esc(tr(lang_, "office.col.year")) + "</th><th>" +
                 esc(tr(lang_, "office.col.variant")) + "</th><th class=\"num\">" + esc(tr(lang_, "office.col.base_vnd")) +
                 "</th><th class=\"num\">" + esc(tr(lang_, "office.col.variant_vnd")) + "</th><th class=\"num\">" +
                 esc(tr(lang_, "office.col.diff_vnd")) + "</th><th class=\"num\">" + esc(tr(lang_, "office.col.diff_pct")) +
                 "</th></tr></thead>\n<tbody>\n";
        for (std::size_t v = 0; v < totals.size(); ++v)
            for (const CompareRow* r : totals[v]) {
                const CompareCell& year = r->cells[yc];
                html_ += std::string(year.csv == "all" ? "<tr class=\"total\">" : "<tr>") + "<td>" +
                         esc(year.shown.empty() ? year.csv : year.shown) + "</td><td>" + esc(variant_id(v)) +
                         "</td><td class=\"num\">" + money(r->cells[bc]) + "</td><td class=\"num\">" + money(r->cells[xc]) +
                         "</td><td class=\"num\">" + money(r->cells[dc]) + "</td><td class=\"num\">" + percent(r->cells[pc]) +
                         "</td></tr>\n";
            }
        html_ += "</tbody></table></div>\n</section>\n";
    }

    void difference_by_payer(std::size_t v) {
        const CompareTable& t = t_.by_year_payer;
        const std::size_t yc = t.column("year"), payc = t.column("payer"), nc = t.column("payer_name");
        const std::size_t dc = t.column("diff_vnd"), vc = t.column("variant");
        html_ += "<section class=\"difference\">\n<h2>" + esc(tr(lang_, "office.compare.by_payer", {variant_id(v)})) + "</h2>\n";
        // Payers in the CSV's order; each payer's rows per year (the whole period's last).
        std::vector<std::string> payers;
        std::vector<std::string> names;
        std::vector<std::string> years;
        for (const CompareRow& r : t.rows) {
            if (r.cells[vc].csv != variant_id(v)) continue;
            const std::string& id = r.cells[payc].csv;
            if (id != "total" && std::find(payers.begin(), payers.end(), id) == payers.end()) {
                payers.push_back(id);
                names.push_back(r.cells[nc].csv);
            }
            if (r.cells[yc].csv != "all" && std::find(years.begin(), years.end(), r.cells[yc].csv) == years.end())
                years.push_back(r.cells[yc].csv);
        }
        std::vector<Series> series;
        std::vector<std::vector<const CompareRow*>> rows;
        for (std::size_t p = 0; p < payers.size(); ++p) {
            rows.push_back(year_rows(v, payers[p]));
            Series s{names[p], html::kExtraColours[p % std::size(html::kExtraColours)], {}};
            for (std::size_t y = 0; y < years.size() && y < rows.back().size(); ++y) s.values.push_back(&rows.back()[y]->cells[dc]);
            series.push_back(std::move(s));
        }
        bar_chart(years, series, tr(lang_, "office.compare.by_payer", {variant_id(v)}));
        const std::vector<const CompareRow*> totals = year_rows(v, "total");
        html_ += "<div class=\"scroll\"><table>\n<thead><tr><th>" + esc(tr(lang_, "office.col.year")) + "</th>";
        for (const std::string& n : names) html_ += "<th class=\"num\">" + esc(n) + "</th>";
        html_ += "<th class=\"num\">" + esc(tr(lang_, "compare.total")) + "</th></tr></thead>\n<tbody>\n";
        for (std::size_t y = 0; y < totals.size(); ++y) {
            const CompareCell& year = totals[y]->cells[yc];
            html_ += std::string(year.csv == "all" ? "<tr class=\"total\">" : "<tr>") + "<td>" +
                     esc(year.shown.empty() ? year.csv : year.shown) + "</td>";
            for (const auto& r : rows) html_ += "<td class=\"num\">" + (y < r.size() ? money(r[y]->cells[dc]) : "") + "</td>";
            html_ += "<td class=\"num\">" + money(totals[y]->cells[dc]) + "</td></tr>\n";
        }
        html_ += "</tbody></table></div>\n</section>\n";
    }

    /// The rows with the largest differences first (ties in the CSV's order), at most kTopRows.
    static std::vector<const CompareRow*> largest(std::vector<const CompareRow*> rows, std::size_t diff_column) {
        std::stable_sort(rows.begin(), rows.end(), [&](const CompareRow* a, const CompareRow* b) {
            return std::llabs(money_of(a->cells[diff_column])) > std::llabs(money_of(b->cells[diff_column]));
        });
        if (rows.size() > kTopRows) rows.resize(kTopRows);
        return rows;
    }

    void top_units() {
        const CompareTable& t = t_.by_unit;
        const std::size_t yc = t.column("year"), pc = t.column("payer"), dc = t.column("diff_vnd");
        const int year = c_.base.scenario->last_year;
        html_ += "<section id=\"top-units\">\n<h2>" + esc(tr(lang_, "office.compare.top_units", {year})) + "</h2>\n";
        std::vector<const CompareRow*> rows;
        for (const CompareRow& r : t.rows)
            if (r.cells[pc].csv == "total" && r.cells[yc].csv == std::to_string(year) && money_of(r.cells[dc]) != 0)
                rows.push_back(&r);
        rows = largest(std::move(rows), dc);
        if (rows.empty()) {
            html_ += "<p>" + esc(tr(lang_, "office.compare.no_change")) + "</p>\n</section>\n";
            return;
        }
        Dong widest = 0;
        for (const CompareRow* r : rows) widest = std::max<Dong>(widest, std::llabs(money_of(r->cells[dc])));
        html_ += "<div class=\"scroll\"><table>\n<thead><tr><th>" + esc(tr(lang_, "office.col.variant")) + "</th><th>" +
                 esc(tr(lang_, "office.col.unit_code")) + "</th><th>" + esc(tr(lang_, "office.col.unit_name")) +
                 "</th><th class=\"num\">" + esc(tr(lang_, "office.col.base_vnd")) + "</th><th class=\"num\">" +
                 esc(tr(lang_, "office.col.variant_vnd")) + "</th><th class=\"num\">" + esc(tr(lang_, "office.col.diff_vnd")) +
                 "</th><th class=\"num\">" + esc(tr(lang_, "office.col.diff_pct")) + "</th><th class=\"bar\"></th></tr></thead>\n<tbody>\n";
        for (const CompareRow* r : rows) {
            const Dong d = money_of(r->cells[dc]);
            html_ += "<tr><td>" + esc(r->cells[t.column("variant")].csv) + "</td><td>" + esc(r->cells[t.column("unit_code")].csv) +
                     "</td><td>" + esc(r->cells[t.column("unit_name")].csv) + "</td><td class=\"num\">" +
                     money(r->cells[t.column("base_vnd")]) + "</td><td class=\"num\">" +
                     money(r->cells[t.column("variant_vnd")]) + "</td><td class=\"num\">" + money(r->cells[dc]) +
                     "</td><td class=\"num\">" + percent(r->cells[t.column("diff_pct")]) + "</td><td class=\"bar\">" +
                     html::bar_svg(std::llabs(d), widest, d < 0 ? html::kLevelColours[1] : html::kExtraColours[0]) +
                     "</td></tr>\n";
        }
        html_ += "</tbody></table></div>\n</section>\n";
    }

    void support() {
        const CompareTable& t = t_.support;
        const std::size_t yc = t.column("year"), dc = t.column("diff_vnd"), cc = t.column("change");
        const int year = c_.base.scenario->last_year;
        html_ += "<section id=\"support\">\n<h2>" + esc(tr(lang_, "office.compare.support", {year})) + "</h2>\n";
        std::vector<const CompareRow*> rows;
        for (const CompareRow& r : t.rows)
            if (r.cells[yc].csv == std::to_string(year)) rows.push_back(&r);
        rows = largest(std::move(rows), dc);
        if (rows.empty()) {
            html_ += "<p>" + esc(tr(lang_, "office.compare.no_change")) + "</p>\n</section>\n";
            return;
        }
        html_ += "<div class=\"scroll\"><table>\n<thead><tr>";
        for (const char* c : {"variant", "unit_name", "group_label", "change"})
            html_ += "<th>" + esc(tr(lang_, std::string("office.col.") + c)) + "</th>";
        for (const char* c : {"base_persons", "variant_persons", "diff_vnd"})
            html_ += "<th class=\"num\">" + esc(tr(lang_, std::string("office.col.") + c)) + "</th>";
        html_ += "</tr></thead>\n<tbody>\n";
        for (const CompareRow* r : rows) {
            html_ += "<tr>";
            for (const char* c : {"variant", "unit_name", "group_label"}) html_ += "<td>" + esc(r->cells[t.column(c)].csv) + "</td>";
            html_ += "<td>" + esc(r->cells[cc].shown) + "</td>";
            for (const char* c : {"base_persons", "variant_persons"}) {
                const CompareCell& p = r->cells[t.column(c)];
                html_ += "<td class=\"num\">" +
                         html::data(p.csv, hundredths_text(std::llround(p.number() * 100.0), lang_)) + "</td>";
            }
            html_ += "<td class=\"num\">" + money(r->cells[dc]) + "</td></tr>\n";
        }
        html_ += "</tbody></table></div>\n</section>\n";
    }

    void warnings() {
        if (c_.warnings.empty()) return;
        html_ += "<section id=\"warnings\">\n<h2>" + esc(tr(lang_, "compare.warnings")) + "</h2>\n<ul>\n";
        for (const Warning& w : c_.warnings) html_ += "<li>" + esc(w.to_string(lang_)) + "</li>\n";
        html_ += "</ul>\n</section>\n";
    }

    const Comparison& c_;
    Lang lang_;
    const ReportOptions& o_;
    const CompareTables& t_;
    std::string html_;
};

}  // namespace

void write_compare_xlsx(const std::filesystem::path& path, const Comparison& c, const ReportOptions& o,
                        const CompareTables& t) {
    const Lang lang = o.lang;
    auto wb = xlsx::open_workbook(path, tr(lang, "compare.heading", {base_title(c, lang)}), o);
    const xlsx::Formats f(wb.get(), o.money_unit);
    std::vector<std::string> notes{tr(lang, "compare.base") + ": " + c.base.scenario->id + " — " + base_title(c, lang),
                                   tr(lang, "compare.variant") + ": " + variant_list(c, lang)};
    if (c.base.scenario->illustrative_population) notes.push_back(tr(lang, "compare.illustrative"));
    const auto sheet = [&](std::string_view key, const CompareTable& table) {
        const std::string name = tr(lang, std::string("office.sheet.") + std::string(key));
        std::vector<std::string> sheet_notes = notes;
        sheet_notes.push_back(tr(lang, table.summary ? "office.note.csv_summary" : "office.note.csv", {table.file}));
        write_table_sheet(wb.get(), f, lang, name, tr(lang, "compare.heading", {base_title(c, lang)}) + " — " + name, sheet_notes,
                    table);
    };
    sheet("by_year_payer", t.by_year_payer);
    sheet("by_rule", t.by_rule);
    sheet("by_unit", t.unit_sheet);
    sheet("stacked", t.stacked);
    sheet("support", t.support_sheet);
    sheet("coverage", t.coverage_sheet);
    xlsx::close_workbook(std::move(wb), path);
}

void write_compare_html(std::ostream& out, const Comparison& c, const ReportOptions& o, const CompareTables& t) {
    ComparePage(c, o, t).write(out);
}

}  // namespace subsim::report_detail
