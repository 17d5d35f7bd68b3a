/// summary.md: a short human summary in Vietnamese or English. Renders the same
/// results as the CSV files (totals come from the same aggregates).
#include <algorithm>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "division_reports.hpp"
#include "report_format.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {

using report_detail::markdown_cell;
using report_detail::markdown_text;

namespace {

/// Every label the summary prints, in one language (from the catalogue: summary.*).
struct Labels {
    std::string scenario;
    std::string years;
    std::string version;
    std::string sources;
    std::string illustrative;
    std::string totals_heading;
    std::string year;
    std::string total;
    std::string no_costs;
    std::string coverage_heading;
    std::string unit;
    std::string population;
    std::string enrolled;
    std::string coverage;
    std::string target;
    std::string no_coverage;
    std::string parameters_heading;
    std::string parameter;
    std::string from;
    std::string value;
    std::string reference;
    std::string confidence;
    std::string base_salary;
    std::string contribution_rate;
    std::string household_reduction;
    std::string enrolment_rate;
    std::string growth_rate;
    std::string per_person_month;
    std::string warnings_heading;
    std::string no_warnings;
};

Labels labels_for(Lang lang) {
    const auto t = [lang](std::string_view key) { return i18n::tr_in(lang, std::string("summary.") + std::string(key)); };
    Labels l;
    l.scenario = t("scenario");
    l.years = t("years");
    l.version = t("version");
    l.sources = t("sources");
    l.illustrative = t("illustrative");
    l.totals_heading = t("totals_heading");
    l.year = t("year");
    l.total = t("total");
    l.no_costs = t("no_costs");
    l.coverage_heading = t("coverage_heading");
    l.unit = t("unit");
    l.population = t("population");
    l.enrolled = t("enrolled");
    l.coverage = t("coverage");
    l.target = t("target");
    l.no_coverage = t("no_coverage");
    l.parameters_heading = t("parameters_heading");
    l.parameter = t("parameter");
    l.from = t("from");
    l.value = t("value");
    l.reference = t("reference");
    l.confidence = t("confidence");
    l.base_salary = t("base_salary");
    l.contribution_rate = t("contribution_rate");
    l.household_reduction = t("household_reduction");
    l.enrolment_rate = t("enrolment_rate");
    l.growth_rate = t("growth_rate");
    l.per_person_month = t("per_person_month");
    l.warnings_heading = t("warnings_heading");
    l.no_warnings = t("no_warnings");
    return l;
}


char group_separator(Lang lang) { return lang == Lang::vi ? '.' : ','; }
char decimal_separator(Lang lang) { return lang == Lang::vi ? ',' : '.'; }

/// A non-negative fixed-point value in hundredths, grouped: vi "1.234,56", en "1,234.56".
std::string grouped_hundredths(__int128 hundredths, Lang lang) {
    const bool negative = hundredths < 0;
    const __int128 magnitude = negative ? -hundredths : hundredths;
    const auto whole = static_cast<std::int64_t>(magnitude / 100);
    const auto cents = static_cast<int>(magnitude % 100);
    std::string text = format_grouped(whole, group_separator(lang));
    text += decimal_separator(lang);
    text += static_cast<char>('0' + cents / 10);
    text += static_cast<char>('0' + cents % 10);
    return negative ? "-" + text : text;
}

std::string text_or(const std::string& text, const std::string& fallback) { return text.empty() ? fallback : text; }

std::string payer_name(const Scenario& s, int payer, Lang lang) {
    const Payer& p = s.payers.at(static_cast<std::size_t>(payer));
    return text_or(p.name.in(lang), p.id);
}

void write_table_row(std::ostream& out, const std::vector<std::string>& cells) {
    out << "|";
    for (const std::string& c : cells) out << " " << markdown_cell(c) << " |";
    out << "\n";
}

/// Header row plus alignment row; the first `left` columns are left-aligned, the rest right.
void write_table_header(std::ostream& out, const std::vector<std::string>& cells, std::size_t left) {
    write_table_row(out, cells);
    out << "|";
    for (std::size_t i = 0; i < cells.size(); ++i) out << (i < left ? "---|" : "---:|");
    out << "\n";
}

void write_header(std::ostream& out, const Scenario& s, const ReportOptions& o, const Labels& L) {
    out << "# " << markdown_text(text_or(s.title.in(o.lang), s.id)) << "\n\n";
    if (s.illustrative_population) out << "> " << L.illustrative << "\n\n";
    out << "- " << L.scenario << ": `" << s.id << "`\n";
    out << "- " << L.years << ": " << s.first_year;
    if (s.last_year != s.first_year) out << "–" << s.last_year;
    out << "\n";
    if (!o.program_version.empty()) out << "- " << L.version << ": subsim " << o.program_version << "\n";
    if (!s.provenance_note.empty()) out << "- " << L.sources << ": " << markdown_text(s.provenance_note) << "\n";
    out << "\n";
}

void write_totals(std::ostream& out, const Results& r, const ReportOptions& o, const Labels& L,
                  const std::vector<YearPayerTotal>& totals) {
    const Scenario& s = *r.scenario;
    out << "## " << L.totals_heading << "\n\n";
    if (totals.empty()) {
        out << L.no_costs << "\n\n";
        return;
    }
    std::vector<int> payers;  // columns: payers that appear, in scenario order
    std::map<std::pair<int, int>, Dong> cost;
    std::vector<int> years;
    for (const YearPayerTotal& t : totals) {
        cost[{t.year, t.payer}] = t.cost;
        if (t.payer >= 0 && std::find(payers.begin(), payers.end(), t.payer) == payers.end()) payers.push_back(t.payer);
        if (std::find(years.begin(), years.end(), t.year) == years.end()) years.push_back(t.year);
    }
    std::sort(payers.begin(), payers.end());
    std::vector<std::string> header{L.year};
    for (int p : payers) header.push_back(payer_name(s, p, o.lang));
    header.push_back(L.total);
    write_table_header(out, header, 1);
    for (int year : years) {
        std::vector<std::string> row{std::to_string(year)};
        for (int p : payers) {
            const auto it = cost.find({year, p});
            row.push_back(format_money(it == cost.end() ? 0 : it->second, o.lang));
        }
        const auto total = cost.find({year, -1});
        row.push_back("**" + format_money(total == cost.end() ? 0 : total->second, o.lang) + "**");
        write_table_row(out, row);
    }
    out << "\n";
}

std::string coverage_cell(const CoverageRow& c, Lang lang) {
    if (c.population <= 0) return "—";
    return grouped_hundredths(report_detail::divide_half_up(c.enrolled, c.population), lang) + "%";
}

std::string target_cell(const CoverageRow& c, Lang lang) {
    if (!c.target) return "—";
    return grouped_hundredths(report_detail::percent_hundredths(*c.target), lang) + "%";
}

void write_coverage(std::ostream& out, const Results& r, const ReportOptions& o, const Labels& L) {
    const Scenario& s = *r.scenario;
    out << "## " << L.coverage_heading << "\n\n";
    std::vector<const CoverageRow*> rows;
    for (const CoverageRow& c : r.coverage)
        if (s.units().at(static_cast<std::size_t>(c.unit)).parent < 0) rows.push_back(&c);
    if (rows.empty()) {
        out << L.no_coverage << "\n\n";
        return;
    }
    if (!s.data_note.in(o.lang).empty()) out << "_" << markdown_text(s.data_note.in(o.lang)) << "_\n\n";
    write_table_header(out, {L.year, L.unit, L.population, L.enrolled, L.coverage, L.target}, 2);
    for (const CoverageRow* c : rows) {
        const Unit& u = s.units().at(static_cast<std::size_t>(c->unit));
        write_table_row(out, {std::to_string(c->year), u.name, format_grouped(c->population, group_separator(o.lang)),
                              grouped_hundredths(report_detail::divide_half_up(c->enrolled, kHeadcountScale / 100), o.lang),
                              coverage_cell(*c, o.lang), target_cell(*c, o.lang)});
    }
    out << "\n";
}

std::string rule_value_text(const Rule& rule, Lang lang, const Labels& L) {
    if (rule.share) return report_detail::percent_text(*rule.share, lang);
    if (rule.amount) return format_money(*rule.amount, lang) + L.per_person_month;
    return "—";
}

std::string rule_dates(const Rule& rule, Lang lang) {
    std::string text = report_detail::date_text(rule.from, lang);
    if (rule.to) text += " – " + report_detail::date_text(*rule.to, lang);
    return text;
}

void write_parameter_row(std::ostream& out, const std::string& name, const std::string& from,
                         const std::string& value, const Provenance& p, Lang lang) {
    write_table_row(out, {name, from, value, p.reference, std::string(report_detail::confidence_label(p.confidence, lang))});
}

void write_parameters(std::ostream& out, const Scenario& s, Lang lang, const Labels& L) {
    using report_detail::date_text;
    using report_detail::percent_text;
    out << "## " << L.parameters_heading << "\n\n";
    write_table_header(out, {L.parameter, L.from, L.value, L.reference, L.confidence}, 5);
    const Parameters& p = s.parameters;
    for (const auto& e : p.base_salary.entries)
        write_parameter_row(out, L.base_salary, date_text(e.from, lang), format_money(e.value, lang), e.provenance, lang);
    for (const auto& e : p.contribution_rate.entries)
        write_parameter_row(out, L.contribution_rate, date_text(e.from, lang), percent_text(e.value, lang), e.provenance,
                            lang);
    for (const auto& e : p.household_reduction.entries) {
        std::string schedule;
        for (const Decimal& d : e.value) schedule += (schedule.empty() ? "" : "; ") + percent_text(d, lang);
        write_parameter_row(out, L.household_reduction, date_text(e.from, lang), schedule, e.provenance, lang);
    }
    for (const EnrolmentRate& e : s.enrolment) {
        std::string name = std::string(L.enrolment_rate) + ": " + s.groups().at(static_cast<std::size_t>(e.group)).name.in(lang);
        if (e.unit >= 0) name += " (" + s.units().at(static_cast<std::size_t>(e.unit)).name + ")";
        write_parameter_row(out, name, date_text(e.from, lang), percent_text(e.share, lang), e.provenance, lang);
    }
    for (const GrowthRate& g : s.growth) {
        const std::string name =
            std::string(L.growth_rate) + ": " + s.groups().at(static_cast<std::size_t>(g.group)).name.in(lang);
        write_parameter_row(out, name, date_text(g.from, lang), percent_text(g.rate, lang), g.provenance, lang);
    }
    for (const Rule& rule : s.rules) {
        const std::string name = text_or(rule.label.in(lang), rule.id) + " — " + payer_name(s, rule.payer, lang);
        write_parameter_row(out, name, rule_dates(rule, lang), rule_value_text(rule, lang, L), rule.provenance, lang);
    }
    out << "\n";
}

void write_warnings(std::ostream& out, const Results& r, Lang lang, const Labels& L) {
    out << "## " << L.warnings_heading << "\n\n";
    if (r.warnings.empty()) {
        out << L.no_warnings << "\n";
        return;
    }
    for (const Warning& w : r.warnings) out << "- " << markdown_cell(w.to_string(lang)) << "\n";
}

}  // namespace

std::string format_money(Dong v, Lang lang) {
    return lang == Lang::vi ? format_grouped(v, '.') + " đ" : format_grouped(v, ',') + " VND";
}

namespace report_detail {

void write_summary_md(std::ostream& out, const Results& r, const ReportOptions& o,
                      const std::vector<YearPayerTotal>& totals, const std::vector<DivisionTables>* divisions) {
    const Scenario& s = scenario_of(r);
    const Labels& L = labels_for(o.lang);
    write_header(out, s, o, L);
    write_totals(out, r, o, L, totals);
    write_coverage(out, r, o, L);
    write_merger_summary(out, r, o, divisions != nullptr ? *divisions : build_divisions(r, o));
    write_parameters(out, s, o.lang, L);
    write_warnings(out, r, o.lang, L);
}

}  // namespace report_detail

void write_summary_md(std::ostream& out, const Results& r, const ReportOptions& o) {
    (void)report_detail::scenario_of(r);  // throws before the totals would read a missing scenario
    report_detail::write_summary_md(out, r, o, totals_by_year_payer(r));
}

}  // namespace subsim
