/// report.html: one self-contained page for council members: headline figures, cost per
/// year stacked by payer (SVG drawn here), cost per policy point, top communes, coverage
/// against target, the assumptions. Inline CSS and SVG only: no script, no font, image
/// or style sheet fetched from anywhere. Prints on A4 (print CSS), reads on a phone.
///
/// Every number shown is a CSV value: each sits in a <data value="..."> element whose
/// value is the CSV text (budget_by_year_payer.csv, budget_by_rule.csv,
/// budget_by_unit.csv, coverage.csv, provenance.csv), so a test can check them all.
/// Every text from the scenario is escaped.
#include <algorithm>
#include <map>
#include <cstdint>
#include <numeric>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "division_reports.hpp"
#include "html_page.hpp"
#include "report_format.hpp"
#include "report_tables.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {

namespace {

using report_detail::html_escape;
using namespace report_detail::html;  // the style, <data> cells, bars, coordinates
using report_detail::ReportTables;

constexpr std::size_t kTopUnits = 10;
constexpr int kChartWidth = 640;
constexpr int kChartHeight = 280;
constexpr int kChartTop = 28;     ///< room for the totals above the bars
constexpr int kChartBottom = 24;  ///< room for the years below



std::string tr(Lang lang, std::string_view key, std::initializer_list<i18n::Arg> args = {}) {
    return i18n::tr_in(lang, key, args);
}


/// `v` đồng as a number in the headline unit, without the unit: "1.263.600",
/// "103,98" (triệu), "0,104" (tỷ).
std::string number_in_unit(Dong v, MoneyUnit unit, Lang lang) {
    switch (unit) {
        case MoneyUnit::million:
            return report_detail::hundredths_text(report_detail::divide_half_up_64(v, 10'000), lang);
        case MoneyUnit::billion: {
            const std::int64_t thousandths = report_detail::divide_half_up_64(v, 1'000'000);
            const std::uint64_t magnitude = report_detail::magnitude64(thousandths);
            std::string text = thousandths < 0 ? "-" : "";
            text += report_detail::grouped_text(static_cast<std::int64_t>(magnitude / 1000), lang);
            text += lang == Lang::vi ? ',' : '.';
            const std::string frac = std::to_string(magnitude % 1000);
            return text + std::string(3 - frac.size(), '0') + frac;
        }
        case MoneyUnit::dong: break;
    }
    return report_detail::grouped_text(v, lang);
}

std::string unit_words(MoneyUnit unit, Lang lang) {
    switch (unit) {
        case MoneyUnit::million: return tr(lang, "report.unit.million");
        case MoneyUnit::billion: return tr(lang, "report.unit.billion");
        case MoneyUnit::dong: break;
    }
    return tr(lang, "report.unit.dong");
}

/// `v` đồng in the headline unit: "1.263.600 đ", "103,98 triệu đồng", "0,104 tỷ đồng".
std::string money_in_unit(Dong v, MoneyUnit unit, Lang lang) {
    if (unit == MoneyUnit::dong) return money_text(v, lang);
    return number_in_unit(v, unit, lang) + " " + unit_words(unit, lang);
}



class Page {
public:
    Page(const Results& r, const ReportOptions& o, const ReportTables& t)
        : r_(r), o_(o), lang_(o.lang), s_(*r.scenario), t_(t) {}

    void write(std::ostream& out) {
        head();
        headline();
        by_year();
        by_rule();
        top_units();
        coverage();
        divisions();
        assumptions();
        warnings();
        footer();
        out << html_;
    }

private:
    std::string tr(std::string_view key, std::initializer_list<i18n::Arg> args = {}) const {
        return i18n::tr_in(lang_, key, args);
    }
    std::string esc(std::string_view text) const { return html_escape(text); }
    std::string title() const {
        const std::string& t = s_.title.in(lang_);
        return t.empty() ? s_.id : t;
    }
    std::string years_text() const {
        return s_.first_year == s_.last_year ? std::to_string(s_.first_year)
                                             : std::to_string(s_.first_year) + "–" + std::to_string(s_.last_year);
    }
    std::string payer_name(std::size_t column) const { return report_detail::payer_label(s_, t_.payers[column], lang_); }
    std::string colour(std::size_t column) const {
        const Payer& p = s_.payers.at(static_cast<std::size_t>(t_.payers[column]));
        if (!p.declared) return kLevelColours[report_detail::level_column(p.level)];
        return kExtraColours[column % std::size(kExtraColours)];
    }
    void head() {
        page_start(html_, lang_, title());
        html_ += "<header>\n<h1>" + esc(title()) + "</h1>\n";
        html_ += "<p class=\"meta\">" + esc(tr("report.summary.scenario")) + ": " + esc(s_.id) + " · " +
                 esc(tr("report.summary.years")) + ": " + esc(years_text()) + "</p>\n";
        if (s_.illustrative_population) html_ += "<p class=\"warning\">" + esc(tr("report.note.illustrative")) + "</p>\n";
        if (!s_.data_note.in(lang_).empty()) html_ += "<p class=\"meta\">" + esc(s_.data_note.in(lang_)) + "</p>\n";
        html_ += "</header>\n";
    }

    void card(const std::string& label, const std::string& value_html, bool total = false) {
        html_ += std::string("<div class=\"card") + (total ? " total" : "") + "\"><div class=\"label\">" + esc(label) +
                 "</div><div class=\"value\">" + value_html + "</div></div>\n";
    }

    void headline() {
        html_ += "<section id=\"headline\">\n<h2>" + esc(tr("report.html.headline")) + "</h2>\n<div class=\"cards\">\n";
        card(tr("report.summary.period_total", {years_text()}),
             data(std::to_string(t_.period_total), money_in_unit(t_.period_total, o_.money_unit, lang_)), true);
        for (std::size_t p = 0; p < t_.payers.size(); ++p)
            card(tr("report.summary.of_which", {payer_name(p)}),
                 data(std::to_string(t_.period_payer[p]), money_in_unit(t_.period_payer[p], o_.money_unit, lang_)));
        for (const CoverageRow& c : r_.coverage) {
            const Unit& u = s_.units().at(static_cast<std::size_t>(c.unit));
            if (c.year != s_.last_year || u.parent >= 0 || c.population <= 0) continue;
            std::string value = percent_data(static_cast<std::int64_t>(report_detail::divide_half_up(c.enrolled, c.population)), lang_);
            if (c.target)
                value += " <small>(" + esc(tr("report.col.target")) + " " +
                         percent_data(static_cast<std::int64_t>(report_detail::percent_hundredths(*c.target)), lang_) +
                         ")</small>";
            card(tr("report.summary.coverage", {c.year, u.name}), value);
        }
        html_ += "</div>\n</section>\n";
    }

    void by_year() {
        html_ += "<section id=\"by-year\">\n<h2>" + esc(tr("report.html.by_year")) + "</h2>\n";
        const std::size_t payers = t_.payers.size();
        // The chart: one stacked bar per year, totals above (in the headline unit).
        const Dong top = t_.year_total.empty() ? 0 : *std::max_element(t_.year_total.begin(), t_.year_total.end());
        const std::size_t n = t_.years.size();
        const double slot = (kChartWidth - kAxisGutter) / static_cast<double>(std::max<std::size_t>(n, 1));
        const double bar = slot * 0.62;
        const double plot = kChartHeight - kChartTop - kChartBottom;
        html_ += "<figure>\n<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(kChartWidth) + " " +
                 std::to_string(kChartHeight) + "\" role=\"img\" aria-label=\"" + esc(tr("report.html.by_year_chart")) +
                 "\">\n";
        const ValueAxis axis = value_axis(
            0.0, static_cast<double>(top),
            [&](double v) { return kChartHeight - kChartBottom - plot * v / static_cast<double>(top); }, kAxisGutter, kChartWidth,
            lang_);
        html_ += axis.lines;
        html_ += "<line x1=\"" + num(kAxisGutter) + "\" y1=\"" + num(kChartHeight - kChartBottom) + "\" x2=\"" + std::to_string(kChartWidth) +
                 "\" y2=\"" + num(kChartHeight - kChartBottom) + "\" stroke=\"#888\" stroke-width=\"1\"/>\n";
        for (std::size_t y = 0; y < n; ++y) {
            const double x = kAxisGutter + slot * static_cast<double>(y) + (slot - bar) / 2;
            double base = kChartHeight - kChartBottom;
            for (std::size_t p = 0; p < payers; ++p) {
                const Dong v = t_.year_payer[y * payers + p];
                if (v <= 0 || top <= 0) continue;
                const double h = plot * static_cast<double>(v) / static_cast<double>(top);
                base -= h;
                html_ += "<rect x=\"" + num(x) + "\" y=\"" + num(base) + "\" width=\"" + num(bar) + "\" height=\"" + num(h) +
                         "\" fill=\"" + colour(p) + "\"><title>" + esc(std::to_string(t_.years[y]) + " — " + payer_name(p) +
                                                                        ": " + money_text(v, lang_)) +
                         "</title></rect>\n";
            }
            const std::string label = number_in_unit(t_.year_total[y], o_.money_unit, lang_);
            if (static_cast<double>(char_count(label)) * kCharWidth <= slot)
                html_ += "<text x=\"" + num(x + bar / 2) + "\" y=\"" + num(base - 6) +
                         "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1a1a1a\">" + esc(label) + "</text>\n";
            html_ += "<text x=\"" + num(x + bar / 2) + "\" y=\"" + num(kChartHeight - 6) +
                     "\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1a1a1a\">" + std::to_string(t_.years[y]) +
                     "</text>\n";
        }
        html_ += axis.labels + "</svg>\n<figcaption class=\"legend\"><span>" + esc(tr("report.html.bar_totals", {unit_words(o_.money_unit, lang_)})) +
                 "</span>" + axis_legend(axis, lang_);
        for (std::size_t p = 0; p < payers; ++p)
            html_ += legend_entry(colour(p), payer_name(p));
        html_ += "</figcaption>\n</figure>\n";
        // The table: budget_by_year_payer.csv.
        html_ += "<div class=\"scroll\"><table>\n<thead><tr><th>" + esc(tr("report.col.year")) + "</th>";
        for (std::size_t p = 0; p < payers; ++p) html_ += "<th class=\"num\">" + esc(payer_name(p)) + "</th>";
        html_ += "<th class=\"num\">" + esc(tr("report.total")) + "</th></tr></thead>\n<tbody>\n";
        for (std::size_t y = 0; y < n; ++y) {
            html_ += "<tr><td>" + std::to_string(t_.years[y]) + "</td>";
            for (std::size_t p = 0; p < payers; ++p)
                html_ += "<td class=\"num\">" + money_data(t_.year_payer[y * payers + p], lang_) + "</td>";
            html_ += "<td class=\"num\">" + money_data(t_.year_total[y], lang_) + "</td></tr>\n";
        }
        html_ += "<tr class=\"total\"><td>" + esc(tr("report.col.period")) + "</td>";
        for (std::size_t p = 0; p < payers; ++p) html_ += "<td class=\"num\">" + money_data(t_.period_payer[p], lang_) + "</td>";
        html_ += "<td class=\"num\">" + money_data(t_.period_total, lang_) + "</td></tr>\n</tbody></table></div>\n</section>\n";
    }


    void by_rule() {
        html_ += "<section id=\"by-rule\">\n<h2>" + esc(tr("report.html.by_rule")) + "</h2>\n";
        if (t_.rules.empty()) {
            html_ += "<p>" + esc(tr("report.html.no_data")) + "</p>\n</section>\n";
            return;
        }
        Dong top = 0;
        for (const auto& rr : t_.rules) top = std::max(top, rr.total);
        // Whole period per rule: budget_by_rule.csv's rows with year "all" (each year's
        // figures are in the workbook's policy sheet and the same CSV).
        html_ += "<div class=\"scroll\"><table>\n<thead><tr><th class=\"label\">" + esc(tr("report.col.rule")) +
                 "</th><th>" + esc(tr("report.col.payer")) + "</th><th class=\"num\">" + esc(tr("report.col.period")) +
                 "</th><th></th></tr></thead>\n<tbody>\n";
        for (const auto& rr : t_.rules) {
            const Rule& rule = s_.rules.at(static_cast<std::size_t>(rr.rule));
            const Payer& payer = s_.payers.at(static_cast<std::size_t>(rule.payer));
            html_ += "<tr><td class=\"label\">" + esc(report_detail::rule_label(s_, rr.rule, lang_)) +
                     "</td><td class=\"nowrap\">" + esc(report_detail::payer_label(s_, rule.payer, lang_)) +
                     "</td><td class=\"num\">" + money_data(rr.total, lang_) + "</td><td class=\"bar\">" +
                     bar_svg(rr.total, top, kLevelColours[report_detail::level_column(payer.level)]) + "</td></tr>\n";
        }
        html_ += "</tbody></table></div>\n</section>\n";
    }

    void top_units() {
        // Whole-period cost per leaf unit: budget_by_unit.csv's rows with year "all", payer "total".
        const std::vector<Dong>& cost = t_.unit_period_cost;
        const std::vector<char>& seen = t_.unit_period_seen;
        std::vector<int> units;
        for (std::size_t u = 0; u < s_.units().size(); ++u)
            if (seen[u]) units.push_back(static_cast<int>(u));
        std::stable_sort(units.begin(), units.end(), [&](int a, int b) {
            return cost[static_cast<std::size_t>(a)] > cost[static_cast<std::size_t>(b)];
        });
        if (units.size() > kTopUnits) units.resize(kTopUnits);
        html_ += "<section id=\"top-units\">\n<h2>" +
                 esc(tr("report.html.top_units", {static_cast<int>(units.size())})) + "</h2>\n";
        if (units.empty()) {
            html_ += "<p>" + esc(tr("report.html.no_data")) + "</p>\n</section>\n";
            return;
        }
        const Dong top = cost[static_cast<std::size_t>(units.front())];
        html_ += "<div class=\"scroll\"><table>\n<thead><tr><th>#</th><th>" + esc(tr("report.col.unit_code")) + "</th><th>" +
                 esc(report_detail::unit_level_heading(report_detail::shown_units(s_, s_.units().size()), lang_)) +
                 "</th><th class=\"num\">" + esc(tr("report.col.period")) + "</th><th></th></tr></thead>\n<tbody>\n";
        for (std::size_t k = 0; k < units.size(); ++k) {
            const Unit& u = s_.units()[static_cast<std::size_t>(units[k])];
            const Dong v = cost[static_cast<std::size_t>(units[k])];
            html_ += "<tr><td>" + std::to_string(k + 1) + "</td><td>" + esc(u.code) + "</td><td>" + esc(u.name) +
                     "</td><td class=\"num\">" + money_data(v, lang_) + "</td><td class=\"bar\">" +
                     bar_svg(v, top, kLevelColours[0]) + "</td></tr>\n";
        }
        html_ += "</tbody></table></div>\n</section>\n";
    }

    void coverage() {
        html_ += "<section id=\"coverage\">\n<h2>" + esc(tr("report.html.coverage", {s_.last_year})) + "</h2>\n";
        std::vector<const CoverageRow*> rows;
        for (const CoverageRow* c : t_.coverage)
            if (c->year == s_.last_year) rows.push_back(c);
        if (rows.empty()) {
            html_ += "<p>" + esc(tr("report.html.no_data")) + "</p>\n</section>\n";
            return;
        }
        // The bars start a little below the lowest coverage or target shown (a multiple of
        // 10%), so that differences of a point or two are visible.
        std::int64_t lowest = 10'000;
        for (const CoverageRow* c : rows) {
            if (c->population > 0)
                lowest = std::min(lowest, static_cast<std::int64_t>(report_detail::divide_half_up(c->enrolled, c->population)));
            if (c->target) lowest = std::min(lowest, static_cast<std::int64_t>(report_detail::percent_hundredths(*c->target)));
        }
        const std::int64_t axis_from = std::clamp<std::int64_t>((lowest - 500) / 1000 * 1000, 0, 9000);
        html_ += "<div class=\"scroll\"><table>\n<thead><tr><th>" + esc(tr("report.col.unit_code")) + "</th><th>" +
                 esc(report_detail::unit_level_heading(t_.shown, lang_)) + "</th><th class=\"num\">" +
                 esc(tr("report.col.coverage")) + "</th><th class=\"num\">" + esc(tr("report.col.target")) +
                 "</th><th class=\"num\">" + esc(tr("report.col.gap")) + "</th><th class=\"bar\">" +
                 report_detail::hundredths_text(axis_from, lang_) + "% – 100%</th></tr></thead>\n<tbody>\n";
        for (const CoverageRow* c : rows) {
            const Unit& u = s_.units().at(static_cast<std::size_t>(c->unit));
            const bool parent = std::find(t_.shown.units.begin(), t_.shown.units.end(), c->unit) == t_.shown.units.end();
            html_ += std::string(parent ? "<tr class=\"total\">" : "<tr>") + "<td>" + esc(u.code) + "</td><td>" +
                     esc(u.name) + "</td>";
            std::int64_t have = -1, want = -1;
            if (c->population > 0) {
                have = static_cast<std::int64_t>(report_detail::divide_half_up(c->enrolled, c->population));
                html_ += "<td class=\"num\">" + percent_data(have, lang_) + "</td>";
            } else {
                html_ += "<td class=\"num\">—</td>";
            }
            if (c->target) {
                want = static_cast<std::int64_t>(report_detail::percent_hundredths(*c->target));
                html_ += "<td class=\"num\">" + percent_data(want, lang_) + "</td>";
            } else {
                html_ += "<td class=\"num\">—</td>";
            }
            const std::int64_t gap = report_detail::gap_persons(*c);
            html_ += "<td class=\"num\">" + data(std::to_string(gap), report_detail::grouped_text(gap, lang_));
            if (gap > 0) html_ += " <span class=\"below\">" + esc(tr("report.html.below")) + "</span>";
            html_ += "</td><td class=\"bar\">" + coverage_bar(have, want, axis_from) + "</td></tr>\n";
        }
        html_ += "</tbody></table></div>\n</section>\n";
    }

    /// Reports on other divisions (--by): the last year's coverage against target, gap and
    /// budget per division unit, with the notes on how split units were apportioned.
    void divisions() {
        if (t_.divisions == nullptr) return;
        for (const DivisionTables& d : *t_.divisions) {
            html_ += "<section class=\"division\">\n<h2>" + esc(tr("division.title", {report_detail::division_label(s_, d.spec, lang_)})) + " — " +
                     std::to_string(s_.last_year) + "</h2>\n";
            if (!d.notes.empty()) {
                html_ += "<ul class=\"notes\">\n";
                for (const Text& n : d.notes) html_ += "<li>" + esc(n.in(lang_)) + "</li>\n";
                html_ += "</ul>\n";
            }
            std::map<int, Dong> cost;
            for (const auto& b : d.budget)
                if (b.year == s_.last_year) cost[b.unit] = add_dong(cost[b.unit], b.cost);
            html_ += "<div class=\"scroll\"><table>\n<thead><tr><th>" + esc(tr("report.col.unit_code")) + "</th><th>" +
                     esc(tr("division.col.unit")) + "</th><th class=\"num\">" + esc(tr("report.col.coverage")) +
                     "</th><th class=\"num\">" + esc(tr("report.col.target")) + "</th><th class=\"num\">" +
                     esc(tr("report.col.gap")) + "</th><th class=\"num\">" + esc(tr("division.col.cost")) +
                     "</th></tr></thead>\n<tbody>\n";
            for (const auto& c : d.coverage) {
                if (c.year != s_.last_year) continue;
                const auto& u = d.units.at(static_cast<std::size_t>(c.unit));
                html_ += "<tr><td>" + esc(u.code) + "</td><td>" + esc(u.name) + "</td><td class=\"num\">";
                html_ += c.population > 0
                             ? percent_data(static_cast<std::int64_t>(report_detail::divide_half_up(c.enrolled, c.population)), lang_)
                             : std::string("—");
                html_ += "</td><td class=\"num\">";
                if (c.target) {
                    html_ += percent_data(static_cast<std::int64_t>(report_detail::percent_hundredths(*c.target)), lang_);
                    if (c.target_year != c.year) html_ += " (" + std::to_string(c.target_year) + ")";
                } else {
                    html_ += "—";
                }
                html_ += "</td><td class=\"num\">" + data(std::to_string(c.gap), report_detail::grouped_text(c.gap, lang_)) +
                         "</td><td class=\"num\">" + data(std::to_string(cost[c.unit]), report_detail::grouped_text(cost[c.unit], lang_)) +
                         "</td></tr>\n";
            }
            html_ += "</tbody></table></div>\n</section>\n";
        }
    }

    /// Coverage (hundredths of a percent) as a bar over [from, 100%], the target as a dark
    /// mark; -1: none.
    static std::string coverage_bar(std::int64_t have, std::int64_t want, std::int64_t from) {
        const auto x = [&](std::int64_t v) {
            return std::clamp(100.0 * static_cast<double>(v - from) / static_cast<double>(10'000 - from), 0.0, 100.0);
        };
        std::string svg = "<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
                          "<rect x=\"0\" y=\"1\" width=\"100\" height=\"8\" fill=\"#eeeeee\"/>";
        if (have >= 0)
            svg += "<rect x=\"0\" y=\"1\" width=\"" + num(x(have)) + "\" height=\"8\" fill=\"" +
                   std::string(want >= 0 && have < want ? "#c55a11" : "#2e75b6") + "\"/>";
        if (want >= 0)
            svg += "<rect x=\"" + num(std::clamp(x(want) - 0.5, 0.0, 99.0)) + "\" y=\"0\" width=\"1\" height=\"10\" fill=\"#1a1a1a\"/>";
        return svg + "</svg>";
    }

    std::string value_html(const report_detail::AssumptionRow& a) const {
        using Type = report_detail::AssumptionRow::Type;
        switch (a.type) {
            case Type::money: return data(a.value, money_text(a.money, lang_));
            case Type::share: return data(a.value, report_detail::percent_text(a.share, lang_));
            case Type::text: break;
        }
        return data(a.value, a.shown_text(lang_));
    }

    void assumptions() {
        html_ += "<section id=\"assumptions\">\n<h2>" + esc(tr("report.html.assumptions")) + "</h2>\n<p>" +
                 esc(tr("report.note.assumed")) + "</p>\n";
        html_ += "<div class=\"scroll\"><table>\n<thead><tr><th class=\"label\">" + esc(tr("report.col.item")) + "</th><th>" +
                 esc(tr("report.col.from")) + "</th><th class=\"num\">" + esc(tr("report.col.value")) + "</th><th>" +
                 esc(tr("report.col.payer")) + "</th><th>" + esc(tr("report.col.reference")) + "</th><th>" +
                 esc(tr("report.col.confidence")) + "</th></tr></thead>\n<tbody>\n";
        for (const report_detail::AssumptionRow& a : report_detail::assumption_rows(s_, lang_)) {
            std::string dates = report_detail::date_label(a.from, lang_);
            if (a.to) dates += " – " + report_detail::date_label(*a.to, lang_);
            html_ += std::string(a.assumed() ? "<tr class=\"assumed\">" : "<tr>") + "<td class=\"label\">" + esc(a.label) + "</td><td>" +
                     esc(dates) + "</td><td class=\"num\">" + value_html(a) + "</td><td>" +
                     (a.payer >= 0 ? esc(report_detail::payer_label(s_, a.payer, lang_)) : "") + "</td><td>" +
                     esc(a.provenance->reference) + "</td><td>" +
                     esc(report_detail::confidence_label(a.provenance->confidence, lang_)) + "</td></tr>\n";
        }
        html_ += "</tbody></table></div>\n</section>\n";
    }

    void warnings() {
        html_ += "<section id=\"warnings\">\n<h2>" + esc(tr("report.html.warnings")) + "</h2>\n";
        if (r_.warnings.empty()) {
            html_ += "<p>" + esc(tr("report.summary.no_warnings")) + "</p>\n</section>\n";
            return;
        }
        html_ += "<ul>\n";
        for (const Warning& w : r_.warnings) html_ += "<li>" + esc(w.to_string(lang_)) + "</li>\n";
        html_ += "</ul>\n</section>\n";
    }

    void footer() {
        html_ += "<footer>\n<p>" + esc(tr("report.html.footer", {o_.program_version})) + "</p>\n";
        if (!s_.provenance_note.empty())
            html_ += "<p>" + esc(tr("report.summary.sources")) + ": " + esc(s_.provenance_note) + "</p>\n";
        html_ += "</footer>\n</main>\n</body>\n</html>\n";
    }


    const Results& r_;
    const ReportOptions& o_;
    Lang lang_;
    const Scenario& s_;
    const ReportTables& t_;
    std::string html_;
};

}  // namespace

namespace report_detail {

void write_html_report(std::ostream& out, const Results& r, const ReportOptions& o, const ReportTables& tables) {
    Page(r, o, tables).write(out);
}

}  // namespace report_detail

void write_html_report(std::ostream& out, const Results& r, const ReportOptions& o) {
    report_detail::write_html_report(out, r, o, report_detail::build_report_tables(r, o));
}

}  // namespace subsim
