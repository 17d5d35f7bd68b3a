/// report.xlsx: what a finance officer opens. The first sheet is the reconciliation form
/// finance and BHXH agencies settle on (one block per year; rows = supported groups;
/// cards, contribution due, paid by participants, paid by the state split by budget,
/// transferred and still to transfer); then a summary and the aggregate tables. Every
/// figure is a sum of budget lines (report_tables.hpp), so it equals the CSV files; every
/// total is a SUM formula whose cached value is the total written, to the đồng.
///
/// Numbers are numbers: đồng with the format "#,##0", which Excel and LibreOffice show
/// with the viewer's own separators (1.263.600 on a Vietnamese system, 1,263,600 on an
/// English one); persons "#,##0.00"; percentages "0.00%". Text, even text a spreadsheet
/// would take for a formula, is a text cell (Sheet::text), never evaluated.
#include <xlsxwriter.h>

#include <algorithm>
#include <map>
#include <cmath>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "division_reports.hpp"
#include "office_xlsx.hpp"
#include "report_format.hpp"
#include "report_tables.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {

namespace {

using report_detail::AssumptionRow;
using report_detail::kQuarterCount;
using report_detail::ReconciliationRow;
using report_detail::ReportTables;
using namespace report_detail::xlsx;  // Sheet, Formats, cell names, limits

/// Writes the sheets of one workbook.
class WorkbookWriter {
public:
    WorkbookWriter(lxw_workbook* wb, const Results& r, const ReportOptions& o, const ReportTables& t)
        : wb_(wb), s_(*r.scenario), r_(r), o_(o), lang_(o.lang), t_(t), f_(wb, o.money_unit) {}

    void write() {
        reconciliation();
        summary();
        by_year();
        by_rule();
        by_unit();
        quarterly();
        quarterly_by_unit();
        commune_bills();
        coverage();
        divisions();
        assumptions();
    }

private:
    std::string tr(std::string_view key, std::initializer_list<i18n::Arg> args = {}) const {
        return i18n::tr_in(lang_, key, args);
    }
    std::string scenario_line() const {
        const std::string& title = s_.title.in(lang_);
        return (title.empty() ? s_.id : title);
    }
    std::string years_text() const {
        return s_.first_year == s_.last_year ? std::to_string(s_.first_year)
                                             : std::to_string(s_.first_year) + "–" + std::to_string(s_.last_year);
    }
    std::vector<std::string> illustrative() const {
        if (!s_.illustrative_population) return {};
        return {tr("report.note.illustrative")};
    }
    std::string as_of_note() const {
        return t_.as_of ? tr("report.form.as_of", {report_detail::date_label(*t_.as_of, lang_)}) : tr("report.form.no_as_of");
    }
    std::string aggregated_note() const {
        return tr("report.note.aggregated", {i18n::grouped(static_cast<std::int64_t>(report_detail::kMaxShownUnits)).in(lang_),
                                             report_detail::unit_level_heading(t_.shown, lang_)});
    }
    std::vector<std::string> unit_notes(std::vector<std::string> notes) const {
        if (!t_.shown.leaves) notes.push_back(aggregated_note());
        return notes;
    }
    std::string level_key(std::string_view prefix) const {
        switch (t_.shown.level) {
            case UnitLevel::province: return std::string(prefix) + ".province";
            case UnitLevel::district: return std::string(prefix) + ".district";
            case UnitLevel::commune: break;
        }
        return std::string(prefix) + ".commune";
    }
    std::string payer_name(std::size_t column) const { return report_detail::payer_label(s_, t_.payers[column], lang_); }
    const Unit& unit_of_slot(std::size_t slot) const { return s_.units().at(static_cast<std::size_t>(t_.shown.units[slot])); }

    // ---- the reconciliation form ----------------------------------------------------------

    void reconciliation_row(Sheet& sh, lxw_row_t row, int year, const ReconciliationRow& x) {
        const Formats& f = sh.formats();
        sh.integer(row, 0, year);
        sh.text(row, 1, report_detail::reconciliation_label(s_, x, lang_), f.text);
        sh.persons(row, 2, report_detail::yearly_hundredths(x.person_months), f.persons);
        sh.money(row, 3, x.due, f.money);
        sh.money(row, 4, x.participants(), f.money);
        sh.money(row, 5, x.state, f.money);
        for (int v = 0; v < report_detail::kLevelCount; ++v)
            sh.money(row, static_cast<lxw_col_t>(6 + v), x.state_by_level[static_cast<std::size_t>(v)], f.money);
        sh.money(row, 9, x.transferred, f.money);
        sh.money(row, 10, x.to_transfer(), f.money);
    }

    void reconciliation() {
        Sheet sh(wb_, tr("report.sheet.reconciliation"), f_, lang_);
        const Formats& f = sh.formats();
        const lxw_row_t header = sh.preamble(
            tr("report.form.title"),
            {scenario_line() + " (" + years_text() + ")", tr("report.form.units"), as_of_note(), tr("report.form.checks")},
            illustrative());
        sh.header(header, {tr("report.col.year"), tr("report.col.group"), tr("report.col.cards"), tr("report.col.due"),
                           tr("report.col.participants"), tr("report.col.state"), tr("report.col.central"),
                           tr("report.col.province"), tr("report.col.commune"), tr("report.col.transferred"),
                           tr("report.col.to_transfer")});
        lxw_row_t row = header + 1;
        for (std::size_t b = 0; b < t_.reconciliation.size(); ++b) {
            const report_detail::ReconciliationYear& block = t_.reconciliation[b];
            if (b > 0) ++row;  // a blank row between years
            const lxw_row_t first = row;
            std::int64_t cards = 0;  // Σ of the rows' cards as shown (hundredths), what SUM gives
            for (const ReconciliationRow& x : block.rows) {
                reconciliation_row(sh, row++, block.year, x);
                cards += report_detail::yearly_hundredths(x.person_months);
            }
            const lxw_row_t last = row - 1;
            const ReconciliationRow& total = block.total;
            sh.integer(row, 0, block.year, f.text_bold);
            sh.text(row, 1, report_detail::total_label(s_, t_.shown, lang_), f.text_bold);
            sh.sum_persons(row, 2, first, last, cards, f.persons_bold);
            sh.sum_rows(row, 3, first, last, total.due, f.money_bold);
            sh.sum_rows(row, 4, first, last, total.participants(), f.money_bold);
            sh.sum_rows(row, 5, first, last, total.state, f.money_bold);
            for (int v = 0; v < report_detail::kLevelCount; ++v)
                sh.sum_rows(row, static_cast<lxw_col_t>(6 + v), first, last, total.state_by_level[static_cast<std::size_t>(v)],
                            f.money_bold);
            sh.sum_rows(row, 9, first, last, total.transferred, f.money_bold);
            sh.sum_rows(row, 10, first, last, total.to_transfer(), f.money_bold);
            ++row;
        }
        sh.table(header, row - 1, 11, 2);
        sh.finish();
    }

    // ---- summary --------------------------------------------------------------------------

    std::string unit_name() const {
        switch (o_.money_unit) {
            case MoneyUnit::million: return tr("report.unit.million");
            case MoneyUnit::billion: return tr("report.unit.billion");
            case MoneyUnit::dong: break;
        }
        return tr("report.unit.dong");
    }

    void summary() {
        Sheet sh(wb_, tr("report.sheet.summary"), f_, lang_);
        const Formats& f = sh.formats();
        lxw_row_t row = 0;
        sh.text(row++, 0, scenario_line(), f.title, false);
        for (const std::string& w : illustrative()) sh.text(row++, 0, w, f.warning, false);
        ++row;
        const auto pair = [&](const std::string& key, const std::string& value) {
            if (value.empty()) return;
            sh.text(row, 0, key, f.subtitle);
            sh.text(row, 1, value, f.text, false);
            ++row;
        };
        pair(tr("report.summary.scenario"), s_.id);
        pair(tr("report.summary.years"), years_text());
        if (!o_.program_version.empty()) pair(tr("report.summary.version"), "subsim " + o_.program_version);
        pair(tr("report.summary.as_of"), t_.as_of ? report_detail::date_label(*t_.as_of, lang_) : "—");
        pair(tr("report.summary.money_unit"), unit_name());
        pair(tr("report.summary.sources"), s_.provenance_note);
        pair(tr("report.summary.data_note"), s_.data_note.in(lang_));
        ++row;

        sh.text(row++, 0, tr("report.summary.headline", {unit_name()}), f.title, false);
        const auto figure = [&](const std::string& label, Dong v) {
            sh.text(row, 0, label, f.text);
            sh.money(row, 1, v, f.headline);
            ++row;
        };
        figure(tr("report.summary.period_total", {years_text()}), t_.period_total);
        for (std::size_t p = 0; p < t_.payers.size(); ++p)
            figure(tr("report.summary.of_which", {payer_name(p)}), t_.period_payer[p]);
        for (std::size_t y = 0; y < t_.years.size(); ++y)
            figure(tr("report.summary.year_total", {t_.years[y]}), t_.year_total[y]);
        if (t_.as_of) {
            figure(tr("report.summary.transferred", {report_detail::date_label(*t_.as_of, lang_)}), t_.period_transferred);
            figure(tr("report.summary.to_transfer"), t_.period_total - t_.period_transferred);
        }
        for (const CoverageRow* c : t_.coverage) {
            if (c->year != s_.last_year || s_.units().at(static_cast<std::size_t>(c->unit)).parent >= 0) continue;
            const std::string& name = s_.units().at(static_cast<std::size_t>(c->unit)).name;
            if (c->population > 0) {
                sh.text(row, 0, tr("report.summary.coverage", {c->year, name}), f.text);
                sh.number(row++, 1, static_cast<double>(report_detail::divide_half_up(c->enrolled, c->population)) / 10000.0,
                          f.percent_bold, 8);
            }
            if (c->target) {
                sh.text(row, 0, tr("report.summary.target", {c->year, name}), f.text);
                sh.number(row++, 1, static_cast<double>(report_detail::percent_hundredths(*c->target)) / 10000.0,
                          f.percent_bold, 8);
            }
        }
        ++row;
        sh.text(row++, 0, tr("report.summary.warnings"), f.title, false);
        if (r_.warnings.empty()) sh.text(row++, 0, tr("report.summary.no_warnings"), f.text, false);
        for (const Warning& w : r_.warnings) sh.text(row++, 0, w.to_string(lang_), f.text, false);
        ++row;
        sh.text(row, 0, tr("report.note.csv"), f.note, false);
        sh.finish();
    }

    // ---- by year and payer ------------------------------------------------------------------

    void by_year() {
        Sheet sh(wb_, tr("report.sheet.by_year"), f_, lang_);
        const Formats& f = sh.formats();
        const lxw_row_t header = sh.preamble(tr("report.title.by_year"), {scenario_line()}, illustrative());
        std::vector<std::string> names{tr("report.col.year")};
        for (std::size_t p = 0; p < t_.payers.size(); ++p) names.push_back(payer_name(p));
        names.push_back(tr("report.total"));
        sh.header(header, names);
        const auto payers = static_cast<lxw_col_t>(t_.payers.size());
        lxw_row_t row = header + 1;
        const lxw_row_t first = row;
        for (std::size_t y = 0; y < t_.years.size(); ++y, ++row) {
            sh.integer(row, 0, t_.years[y]);
            for (lxw_col_t p = 0; p < payers; ++p) sh.money(row, p + 1, t_.year_payer[y * payers + p], f.money);
            sh.sum_across(row, payers + 1, 1, payers, t_.year_total[y], f.money_bold);
        }
        const lxw_row_t last = row - 1;
        sh.text(row, 0, tr("report.col.period"), f.text_bold);
        for (lxw_col_t p = 0; p < payers; ++p) sh.sum_rows(row, p + 1, first, last, t_.period_payer[p], f.money_bold);
        sh.sum_rows(row, payers + 1, first, last, t_.period_total, f.money_bold);
        sh.table(header, row, payers + 2, 1);
        sh.finish();
    }

    // ---- by policy point --------------------------------------------------------------------

    void by_rule() {
        Sheet sh(wb_, tr("report.sheet.by_rule"), f_, lang_);
        const Formats& f = sh.formats();
        const lxw_row_t header = sh.preamble(tr("report.title.by_rule"), {scenario_line()}, illustrative());
        std::vector<std::string> names{tr("report.col.rule"), tr("report.col.rule_id"), tr("report.col.payer")};
        for (int y : t_.years) names.push_back(std::to_string(y));
        names.push_back(tr("report.col.period"));
        sh.header(header, names);
        const auto years = static_cast<lxw_col_t>(t_.years.size());
        constexpr lxw_col_t kFirstYear = 3;
        lxw_row_t row = header + 1;
        const lxw_row_t first = row;
        std::vector<Dong> column_total(t_.years.size(), 0);
        Dong all = 0;
        for (const report_detail::RuleRow& rr : t_.rules) {
            const Rule& rule = s_.rules.at(static_cast<std::size_t>(rr.rule));
            sh.text(row, 0, report_detail::rule_label(s_, rr.rule, lang_), f.text);
            sh.text(row, 1, rule.id, f.text);
            sh.text(row, 2, report_detail::payer_label(s_, rule.payer, lang_), f.text);
            for (lxw_col_t y = 0; y < years; ++y) {
                sh.money(row, kFirstYear + y, rr.cost[y], f.money);
                column_total[y] = add_dong(column_total[y], rr.cost[y]);
            }
            sh.sum_across(row, kFirstYear + years, kFirstYear, kFirstYear + years - 1, rr.total, f.money_bold);
            all = add_dong(all, rr.total);
            ++row;
        }
        const lxw_row_t last = row - 1;
        sh.text(row, 0, tr("report.total"), f.text_bold);
        for (lxw_col_t y = 0; y < years; ++y) sh.sum_rows(row, kFirstYear + y, first, last, column_total[y], f.money_bold);
        sh.sum_rows(row, kFirstYear + years, first, last, all, f.money_bold);
        sh.table(header, row, kFirstYear + years + 1, 1);
        sh.finish();
    }

    // ---- per unit, with totals per root ------------------------------------------------------

    /// Slots in display order, split into blocks per root (one block when no subtotals).
    std::vector<std::vector<std::size_t>> root_blocks() const {
        std::vector<std::vector<std::size_t>> blocks;
        for (std::size_t slot = 0; slot < t_.slots(); ++slot) {
            const bool new_block = blocks.empty() ||
                                   (t_.shown.subtotal_per_root && t_.shown.root_of[slot] != t_.shown.root_of[slot - 1]);
            if (new_block) blocks.emplace_back();
            blocks.back().push_back(slot);
        }
        return blocks;
    }

    /// Writes one total row: `label` in `label_col`, then for each money column either a
    /// SUM over [first, last] rows or over the given subtotal rows.
    struct TotalSpec {
        lxw_col_t col;
        Dong value;
    };
    void total_row(Sheet& sh, lxw_row_t row, lxw_col_t label_col, const std::string& label, int year,
                   const std::vector<TotalSpec>& cols, lxw_row_t first, lxw_row_t last,
                   const std::vector<lxw_row_t>* subtotal_rows = nullptr, const std::string* payer = nullptr) {
        const Formats& f = sh.formats();
        if (year > 0) sh.integer(row, 0, year, f.text_bold);
        if (payer != nullptr) sh.text(row, 1, *payer, f.text_bold);
        sh.text(row, label_col, label, f.text_bold);
        for (const TotalSpec& c : cols) {
            if (subtotal_rows != nullptr) sh.sum_cells(row, c.col, *subtotal_rows, c.value, f.money_bold);
            else sh.sum_rows(row, c.col, first, last, c.value, f.money_bold);
        }
    }

    /// Rows per root block with subtotals and a grand total. `rows_of(slot, row)` writes a
    /// slot's row and returns its money per column (or nothing to skip the slot).
    template <class WriteSlot>
    lxw_row_t blocks_with_totals(Sheet& sh, lxw_row_t row, int year, lxw_col_t label_col,
                                 const std::vector<lxw_col_t>& money_cols, WriteSlot write_slot,
                                 const std::string* payer = nullptr) {
        std::vector<lxw_row_t> subtotals;
        std::vector<Dong> grand(money_cols.size(), 0);
        for (const auto& block : root_blocks()) {
            const lxw_row_t first = row;
            std::vector<Dong> sums(money_cols.size(), 0);
            for (std::size_t slot : block) {
                std::vector<Dong> values;
                if (!write_slot(slot, row, values)) continue;
                for (std::size_t k = 0; k < values.size() && k < sums.size(); ++k) sums[k] = add_dong(sums[k], values[k]);
                ++row;
            }
            std::vector<TotalSpec> cols;
            for (std::size_t k = 0; k < money_cols.size(); ++k) {
                cols.push_back({money_cols[k], sums[k]});
                grand[k] = add_dong(grand[k], sums[k]);
            }
            if (t_.shown.subtotal_per_root) {
                const std::string& root = s_.units().at(static_cast<std::size_t>(t_.shown.root_of[block.front()])).name;
                total_row(sh, row, label_col, tr("report.subtotal_of", {root}), year, cols, first, row - 1, nullptr, payer);
                subtotals.push_back(row++);
            } else {
                total_row(sh, row, label_col, report_detail::total_label(s_, t_.shown, lang_), year, cols, first, row - 1,
                          nullptr, payer);
                ++row;
            }
        }
        if (t_.shown.subtotal_per_root) {
            std::vector<TotalSpec> cols;
            for (std::size_t k = 0; k < money_cols.size(); ++k) cols.push_back({money_cols[k], grand[k]});
            total_row(sh, row, label_col, tr("report.total"), year, cols, 0, 0, &subtotals, payer);
            ++row;
        }
        return row;
    }

    void by_unit() {
        Sheet sh(wb_, tr(level_key("report.sheet.by_unit")), f_, lang_);
        const Formats& f = sh.formats();
        const lxw_row_t header = sh.preamble(tr("report.title.by_unit"), unit_notes({scenario_line()}), illustrative());
        std::vector<std::string> names{tr("report.col.year"), tr("report.col.unit_code"),
                                       report_detail::unit_level_heading(t_.shown, lang_)};
        for (std::size_t p = 0; p < t_.payers.size(); ++p) names.push_back(payer_name(p));
        names.push_back(tr("report.total"));
        sh.header(header, names);
        const std::size_t payers = t_.payers.size();
        std::vector<lxw_col_t> money_cols;
        for (std::size_t k = 0; k <= payers; ++k) money_cols.push_back(static_cast<lxw_col_t>(3 + k));
        lxw_row_t row = header + 1;
        for (std::size_t y = 0; y < t_.years.size(); ++y) {
            row = blocks_with_totals(sh, row, t_.years[y], 2, money_cols,
                                     [&](std::size_t slot, lxw_row_t at, std::vector<Dong>& values) {
                                         if (!t_.unit_seen[y * t_.slots() + slot]) return false;
                                         const Unit& u = unit_of_slot(slot);
                                         sh.integer(at, 0, t_.years[y]);
                                         sh.text(at, 1, u.code, f.text);
                                         sh.text(at, 2, u.name, f.text);
                                         Dong total = 0;
                                         for (std::size_t p = 0; p < payers; ++p) {
                                             const Dong v = t_.unit_cost(y, slot, p);
                                             sh.money(at, static_cast<lxw_col_t>(3 + p), v, f.money);
                                             values.push_back(v);
                                             total = add_dong(total, v);
                                         }
                                         sh.sum_across(at, static_cast<lxw_col_t>(3 + payers), 3,
                                                       static_cast<lxw_col_t>(2 + payers), total, f.money_bold);
                                         values.push_back(total);
                                         return true;
                                     });
        }
        sh.table(header, row - 1, static_cast<lxw_col_t>(4 + payers), 3);
        sh.finish();
    }

    // ---- quarterly transfers ----------------------------------------------------------------

    void quarterly() {
        Sheet sh(wb_, tr("report.sheet.quarterly"), f_, lang_);
        const Formats& f = sh.formats();
        const lxw_row_t header =
            sh.preamble(tr("report.title.quarterly"), {scenario_line(), as_of_note()}, illustrative());
        std::vector<std::string> names{tr("report.col.year"), tr("report.col.quarter"), tr("report.col.quarter_end")};
        for (std::size_t p = 0; p < t_.payers.size(); ++p) names.push_back(payer_name(p));
        names.push_back(tr("report.total"));
        names.push_back(tr("report.col.status"));
        sh.header(header, names);
        const std::size_t payers = t_.payers.size();
        const auto total_col = static_cast<lxw_col_t>(3 + payers);
        lxw_row_t row = header + 1;
        for (std::size_t y = 0; y < t_.years.size(); ++y) {
            const lxw_row_t first = row;
            std::vector<Dong> year_sum(payers + 1, 0);
            for (int q = 0; q < kQuarterCount; ++q, ++row) {
                sh.integer(row, 0, t_.years[y]);
                sh.integer(row, 1, q + 1);
                sh.text(row, 2, report_detail::date_label(report_detail::quarter_end(s_, t_.years[y], q), lang_), f.text);
                Dong total = 0;
                for (std::size_t p = 0; p < payers; ++p) {
                    const Dong v = t_.quarter_cost(y, q, p);
                    sh.money(row, static_cast<lxw_col_t>(3 + p), v, f.money);
                    total = add_dong(total, v);
                    year_sum[p] = add_dong(year_sum[p], v);
                }
                year_sum[payers] = add_dong(year_sum[payers], total);
                sh.sum_across(row, total_col, 3, static_cast<lxw_col_t>(2 + payers), total, f.money_bold);
                sh.text(row, total_col + 1,
                        tr(t_.transferred[y][static_cast<std::size_t>(q)] ? "report.col.transferred" : "report.col.to_transfer"),
                        f.text);
            }
            const lxw_row_t last = row - 1;
            sh.integer(row, 0, t_.years[y], f.text_bold);
            sh.text(row, 1, tr("report.col.whole_year"), f.text_bold);
            for (std::size_t p = 0; p <= payers; ++p)
                sh.sum_rows(row, static_cast<lxw_col_t>(3 + p), first, last, year_sum[p], f.money_bold);
            ++row;
        }
        sh.table(header, row - 1, total_col + 2, 2);
        sh.finish();
    }

    void quarterly_by_unit() {
        Sheet sh(wb_, tr(level_key("report.sheet.quarterly_unit")), f_, lang_);
        const Formats& f = sh.formats();
        const lxw_row_t header = sh.preamble(tr("report.title.quarterly_unit"),
                                             unit_notes({scenario_line(), as_of_note()}), illustrative());
        std::vector<std::string> names{tr("report.col.year"), tr("report.col.payer"), tr("report.col.unit_code"),
                                       report_detail::unit_level_heading(t_.shown, lang_)};
        for (int q = 1; q <= kQuarterCount; ++q) names.push_back(tr("report.col.quarter_n", {q}));
        names.push_back(tr("report.col.whole_year"));
        sh.header(header, names);
        constexpr lxw_col_t kFirstQuarter = 4;
        std::vector<lxw_col_t> money_cols;
        for (lxw_col_t k = 0; k <= kQuarterCount; ++k) money_cols.push_back(kFirstQuarter + k);
        lxw_row_t row = header + 1;
        for (std::size_t y = 0; y < t_.years.size(); ++y)
            for (std::size_t p = 0; p < t_.payers.size(); ++p) {
                bool any = false;
                for (std::size_t slot = 0; slot < t_.slots() && !any; ++slot)
                    any = t_.unit_quarter_seen[(y * t_.payers.size() + p) * t_.slots() + slot] != 0;
                if (!any) continue;
                const std::string payer = payer_name(p);
                row = blocks_with_totals(sh, row, t_.years[y], 3, money_cols,
                                         [&](std::size_t slot, lxw_row_t at, std::vector<Dong>& values) {
                                             if (!t_.unit_quarter_seen[(y * t_.payers.size() + p) * t_.slots() + slot])
                                                 return false;
                                             const Unit& u = unit_of_slot(slot);
                                             sh.integer(at, 0, t_.years[y]);
                                             sh.text(at, 1, payer, f.text);
                                             sh.text(at, 2, u.code, f.text);
                                             sh.text(at, 3, u.name, f.text);
                                             Dong total = 0;
                                             for (int q = 0; q < kQuarterCount; ++q) {
                                                 const Dong v = t_.unit_quarter_cost(y, p, slot, q);
                                                 sh.money(at, kFirstQuarter + static_cast<lxw_col_t>(q), v, f.money);
                                                 values.push_back(v);
                                                 total = add_dong(total, v);
                                             }
                                             sh.sum_across(at, kFirstQuarter + kQuarterCount, kFirstQuarter,
                                                           kFirstQuarter + kQuarterCount - 1, total, f.money_bold);
                                             values.push_back(total);
                                             return true;
                                         },
                                         &payer);  // total rows name the payer too
            }
        sh.table(header, row - 1, kFirstQuarter + kQuarterCount + 1, 4);
        sh.finish();
    }

    // ---- commune bills ------------------------------------------------------------------------

    void commune_bills() {
        Sheet sh(wb_, tr("report.sheet.commune_bills"), f_, lang_);
        const Formats& f = sh.formats();
        std::vector<std::string> notes = unit_notes({scenario_line()});
        if (t_.commune_bills.empty()) notes.push_back(tr("report.note.no_commune_bills"));
        const lxw_row_t header = sh.preamble(tr("report.title.commune_bills"), notes, illustrative());
        sh.header(header, {tr("report.col.year"), tr("report.col.unit_code"),
                           report_detail::unit_level_heading(t_.shown, lang_), tr("report.col.rule"),
                           tr("report.col.rule_id"), tr("report.col.persons"), tr("report.col.amount")});
        lxw_row_t row = header + 1;
        std::size_t i = 0;
        const auto& bills = t_.commune_bills;
        while (i < bills.size()) {
            const int year = bills[i].year;
            const lxw_row_t first = row;
            Dong total = 0;
            for (; i < bills.size() && bills[i].year == year; ++i, ++row) {
                const report_detail::CommuneBillRow& b = bills[i];
                const Unit& u = unit_of_slot(static_cast<std::size_t>(b.slot));
                sh.integer(row, 0, year);
                sh.text(row, 1, u.code, f.text);
                sh.text(row, 2, u.name, f.text);
                sh.text(row, 3, report_detail::rule_label(s_, b.rule, lang_), f.text);
                sh.text(row, 4, s_.rules.at(static_cast<std::size_t>(b.rule)).id, f.text);
                sh.persons(row, 5, report_detail::yearly_hundredths(b.person_months), f.persons);
                sh.money(row, 6, b.cost, f.money);
                total = add_dong(total, b.cost);
            }
            total_row(sh, row, 2, report_detail::total_label(s_, t_.shown, lang_), year, {{6, total}}, first, row - 1);
            ++row;
        }
        sh.table(header, row - 1, 7, 3);
        sh.finish();
    }

    // ---- coverage ---------------------------------------------------------------------------

    std::string level_name(UnitLevel level) const {
        switch (level) {
            case UnitLevel::province: return tr("report.level.province");
            case UnitLevel::district: return tr("report.level.district");
            case UnitLevel::commune: break;
        }
        return tr("report.level.commune");
    }

    void coverage() {
        Sheet sh(wb_, tr("report.sheet.coverage"), f_, lang_);
        const Formats& f = sh.formats();
        std::vector<std::string> notes = unit_notes({scenario_line()});
        if (!s_.data_note.in(lang_).empty()) notes.push_back(s_.data_note.in(lang_));
        const lxw_row_t header = sh.preamble(tr("report.title.coverage"), notes, illustrative());
        sh.header(header, {tr("report.col.year"), tr("report.col.unit_code"), report_detail::unit_level_heading(t_.shown, lang_),
                           tr("report.col.level"), tr("report.col.population"), tr("report.col.enrolled"),
                           tr("report.col.coverage"), tr("report.col.target"), tr("report.col.gap")});
        lxw_row_t row = header + 1;
        for (const CoverageRow* c : t_.coverage) {
            const Unit& u = s_.units().at(static_cast<std::size_t>(c->unit));
            const bool parent = std::find(t_.shown.units.begin(), t_.shown.units.end(), c->unit) == t_.shown.units.end();
            lxw_format* text = parent ? f.text_bold : f.text;
            sh.integer(row, 0, c->year);
            sh.text(row, 1, u.code, text);
            sh.text(row, 2, u.name, text);
            sh.text(row, 3, level_name(u.level), text);
            sh.integer(row, 4, c->population, f.money);
            sh.persons(row, 5, report_detail::divide_half_up_64(c->enrolled, kHeadcountScale / 100), f.persons);
            if (c->population > 0)
                sh.number(row, 6, static_cast<double>(report_detail::divide_half_up(c->enrolled, c->population)) / 10000.0,
                          f.percent, 8);
            if (c->target)
                sh.number(row, 7, static_cast<double>(report_detail::percent_hundredths(*c->target)) / 10000.0, f.percent, 8);
            sh.integer(row, 8, report_detail::gap_persons(*c), f.money);
            ++row;
        }
        sh.table(header, row - 1, 9, 3);
        sh.finish();
    }

    // ---- reports on other divisions (--by) ---------------------------------------------------

    /// One sheet per division: coverage against target, gap and the year's budget of each
    /// division unit; the notes say how split units were apportioned.
    void divisions() {
        if (t_.divisions == nullptr) return;
        for (const DivisionTables& d : *t_.divisions) {
            const std::string label = report_detail::division_label(s_, d.spec, lang_);
            Sheet sh(wb_, fit_sheet_name(tr("division.sheet", {label})), f_, lang_);
            const Formats& f = sh.formats();
            std::vector<std::string> notes{scenario_line()};
            for (const Text& n : d.notes) notes.push_back(n.in(lang_));
            const lxw_row_t header = sh.preamble(tr("division.title", {label}), notes, illustrative());
            sh.header(header, {tr("report.col.year"), tr("report.col.unit_code"), tr("division.col.unit"),
                               tr("report.col.population"), tr("report.col.enrolled"), tr("report.col.coverage"),
                               tr("report.col.target"), tr("division.col.target_year"), tr("report.col.gap"),
                               tr("division.col.cost")});
            std::map<std::pair<int, int>, Dong> cost;  // (year, unit) → all payers
            for (const auto& b : d.budget) cost[{b.year, b.unit}] = add_dong(cost[{b.year, b.unit}], b.cost);
            lxw_row_t row = header + 1;
            for (const auto& c : d.coverage) {
                const auto& u = d.units.at(static_cast<std::size_t>(c.unit));
                sh.integer(row, 0, c.year);
                sh.text(row, 1, u.code, f.text);
                sh.text(row, 2, u.name, f.text);
                sh.integer(row, 3, c.population, f.money);
                sh.persons(row, 4, report_detail::divide_half_up_64(c.enrolled, kHeadcountScale / 100), f.persons);
                if (c.population > 0)
                    sh.number(row, 5, static_cast<double>(report_detail::divide_half_up(c.enrolled, c.population)) / 10000.0,
                              f.percent, 8);
                if (c.target) {
                    sh.number(row, 6, static_cast<double>(report_detail::percent_hundredths(*c.target)) / 10000.0, f.percent, 8);
                    sh.integer(row, 7, c.target_year);
                }
                sh.integer(row, 8, c.gap, f.money);
                sh.money(row, 9, cost[{c.year, c.unit}], f.money);
                ++row;
            }
            sh.table(header, row - 1, 10, 3);
            sh.finish();
        }
    }

    // ---- assumptions ------------------------------------------------------------------------

    void assumptions() {
        Sheet sh(wb_, tr("report.sheet.assumptions"), f_, lang_);
        const Formats& f = sh.formats();
        const lxw_row_t header =
            sh.preamble(tr("report.title.assumptions"), {scenario_line(), tr("report.note.assumed")}, illustrative());
        sh.header(header, {tr("report.col.kind"), tr("report.col.id"), tr("report.col.item"), tr("report.col.from"),
                           tr("report.col.to"), tr("report.col.value"), tr("report.col.payer"), tr("report.col.reference"),
                           tr("report.col.confidence")});
        lxw_row_t row = header + 1;
        for (const AssumptionRow& a : report_detail::assumption_rows(s_, lang_)) {
            const bool assumed = a.assumed();
            lxw_format* text = assumed ? f.assumed_text : f.text;
            sh.text(row, 0, tr(a.kind == "rule" ? "report.row_kind.rule" : "report.row_kind.parameter"), text);
            sh.text(row, 1, a.id, text);
            sh.text(row, 2, a.label, text);
            sh.text(row, 3, report_detail::date_label(a.from, lang_), text);
            if (a.to) sh.text(row, 4, report_detail::date_label(*a.to, lang_), text);
            switch (a.type) {
                case AssumptionRow::Type::money: sh.money(row, 5, a.money, assumed ? f.assumed_money : f.money); break;
                case AssumptionRow::Type::share: {
                    const int decimals = std::clamp(a.share.normalized().scale - 2, 0, 4);
                    lxw_format* format = (assumed ? f.assumed_share : f.share)[static_cast<std::size_t>(decimals)];
                    sh.number(row, 5, a.share.to_double(), format, 8);
                    break;
                }
                case AssumptionRow::Type::text: sh.text(row, 5, a.shown_text(lang_), text); break;
            }
            if (a.payer >= 0) sh.text(row, 6, report_detail::payer_label(s_, a.payer, lang_), text);
            sh.text(row, 7, a.provenance->reference, text);
            sh.text(row, 8, std::string(report_detail::confidence_label(a.provenance->confidence, lang_)), text);
            if (assumed) {  // fill the empty cells of a highlighted row too
                if (!a.to) sh.blank(row, 4, text);
                if (a.payer < 0) sh.blank(row, 6, text);
            }
            ++row;
        }
        sh.table(header, row - 1, 9, 3);
        sh.finish();
    }

    lxw_workbook* wb_;
    const Scenario& s_;
    const Results& r_;
    const ReportOptions& o_;
    Lang lang_;
    const ReportTables& t_;
    Formats f_;
};

}  // namespace

namespace report_detail {

void write_xlsx_report(const std::filesystem::path& path, const Results& r, const ReportOptions& o,
                       const ReportTables& tables) {
    auto wb = xlsx::open_workbook(path, report_detail::scenario_of(r).title.in(o.lang), o);
    WorkbookWriter(wb.get(), r, o, tables).write();
    xlsx::close_workbook(std::move(wb), path);
}

}  // namespace report_detail

void write_xlsx_report(const std::filesystem::path& path, const Results& r, const ReportOptions& o) {
    report_detail::write_xlsx_report(path, r, o, report_detail::build_report_tables(r, o));
}

}  // namespace subsim
