/// The canonical CSV reports: tidy, one fact per row, plain numbers, UTF-8.
#include <algorithm>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "report_format.hpp"
#include "report_tables.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {

using report_detail::csv_row;
using report_detail::CsvWriter;
using report_detail::scenario_of;

namespace {

/// Percentages in coverage.csv have two decimals.
constexpr int kPercentDecimals = 2;

const Unit& unit_at(const Scenario& s, int unit) { return s.units().at(static_cast<std::size_t>(unit)); }
const Group& group_at(const Scenario& s, int group) { return s.groups().at(static_cast<std::size_t>(group)); }
const Rule& rule_at(const Scenario& s, int rule) { return s.rules.at(static_cast<std::size_t>(rule)); }

/// The scenario's names and labels as CSV fields, made spreadsheet-safe and escaped once
/// per writer instead of once per row, kept in one arena with CsvWriter::kPaddedCopy
/// readable bytes after each name so that a short name is copied with one fixed-size copy
/// (CsvWriter::padded()). Labels are in `lang`. Lookups are bounds-checked like
/// Scenario's vectors (std::out_of_range).
class EscapedNames {
public:
    explicit EscapedNames(const Scenario& s, Lang lang = Lang::vi) {
        for (const Unit& u : s.units()) unit_codes_.push_back(add(u.code));
        for (const Unit& u : s.units()) unit_names_.push_back(add(u.name));
        for (const Group& g : s.groups()) groups_.push_back(add(g.id));
        for (const Rule& r : s.rules) rules_.push_back(add(r.id));
        for (const Payer& p : s.payers) payers_.push_back(add(p.id));
        for (std::size_t g = 0; g < s.groups().size(); ++g)
            group_labels_.push_back(add(report_detail::group_label(s, static_cast<int>(g), lang)));
        for (std::size_t r = 0; r < s.rules.size(); ++r)
            rule_labels_.push_back(add(report_detail::rule_label(s, static_cast<int>(r), lang)));
        for (std::size_t p = 0; p < s.payers.size(); ++p)
            payer_labels_.push_back(add(report_detail::payer_label(s, static_cast<int>(p), lang)));
        total_ = add("total");
        total_label_ = add(i18n::tr_in(lang, "report.total"));
        arena_.append(CsvWriter::kPaddedCopy, '\0');
    }

    std::string_view unit_code(int unit) const { return view(unit_codes_.at(static_cast<std::size_t>(unit))); }
    std::string_view unit_name(int unit) const { return view(unit_names_.at(static_cast<std::size_t>(unit))); }
    std::string_view group(int group) const { return view(groups_.at(static_cast<std::size_t>(group))); }
    std::string_view group_label(int group) const { return view(group_labels_.at(static_cast<std::size_t>(group))); }
    std::string_view rule(int rule) const { return view(rules_.at(static_cast<std::size_t>(rule))); }
    std::string_view rule_label(int rule) const { return view(rule_labels_.at(static_cast<std::size_t>(rule))); }
    /// The payer's id, or "total" for payer -1 (a total row).
    std::string_view payer(int payer) const {
        return view(payer < 0 ? total_ : payers_.at(static_cast<std::size_t>(payer)));
    }
    /// The payer's name, or "Tổng cộng" / "Total" for payer -1.
    std::string_view payer_label(int payer) const {
        return view(payer < 0 ? total_label_ : payer_labels_.at(static_cast<std::size_t>(payer)));
    }

private:
    struct Name {
        std::size_t begin, size;
    };
    Name add(const std::string& text) {
        const std::string field = report_detail::csv_field(report_detail::spreadsheet_text(text));
        const Name name{arena_.size(), field.size()};
        arena_ += field;
        return name;
    }
    std::string_view view(Name n) const { return std::string_view(arena_).substr(n.begin, n.size); }

    std::string arena_;  ///< every name, then kPaddedCopy bytes of padding
    std::vector<Name> unit_codes_, unit_names_, groups_, rules_, payers_, group_labels_, rule_labels_, payer_labels_;
    Name total_{}, total_label_{};
};


/// Enrolled / population × 100 to two decimals, half-up: enrolled (× 10^4 persons) ÷
/// population is exactly the percentage in hundredths. Empty for no population.
void coverage_percent_field(CsvWriter& w, Headcount enrolled, std::int64_t population) {
    if (population <= 0) {
        w.text("");
        return;
    }
    w.fixed(report_detail::divide_half_up(enrolled, population), kPercentDecimals);
}

/// The target (a fraction of one) as a percentage with two decimals, half-up.
void target_percent_field(CsvWriter& w, const std::optional<Decimal>& target) {
    if (!target) {
        w.text("");
        return;
    }
    w.fixed(report_detail::percent_hundredths(*target), kPercentDecimals);
}

void write_header(std::ostream& out, std::initializer_list<std::string_view> columns) {
    out << csv_row(columns);
}

/// A commune's bill for one year and rule: the sum of its lines under that rule.
struct CommuneBill {
    int year = 0;
    int unit = 0;
    int rule = 0;
    Headcount person_months = 0;
    Dong cost = 0;
};

bool same_year_and_unit(const BudgetLine& a, const BudgetLine& b) { return a.year == b.year && a.unit == b.unit; }
bool before_in_year_and_unit(const BudgetLine& a, const BudgetLine& b) {
    return std::tie(a.year, a.unit) < std::tie(b.year, b.unit);
}

/// Sums commune-paid lines, given in (year, unit) order, into bills one (year, unit)
/// block at a time with a small per-rule table.
class CommuneBillBuilder {
public:
    explicit CommuneBillBuilder(std::size_t rules) : bill_of_rule_(rules, -1) {}

    void add(const BudgetLine& l) {
        if (previous_ != nullptr && !same_year_and_unit(*previous_, l)) close_block();
        previous_ = &l;
        int& slot = bill_of_rule_.at(static_cast<std::size_t>(l.rule));
        if (slot < 0) {
            slot = static_cast<int>(bills_.size());
            bills_.push_back({l.year, l.unit, l.rule, 0, 0});
        }
        CommuneBill& bill = bills_[static_cast<std::size_t>(slot)];
        bill.person_months = add_dong(bill.person_months, l.person_months);
        bill.cost = add_dong(bill.cost, l.cost);
    }

    std::vector<CommuneBill> finish() {
        close_block();
        return std::move(bills_);
    }

private:
    /// Orders the block's bills by rule and clears their entries in bill_of_rule_.
    void close_block() {
        const auto first = bills_.begin() + static_cast<std::ptrdiff_t>(block_start_);
        std::sort(first, bills_.end(), [](const CommuneBill& a, const CommuneBill& b) { return a.rule < b.rule; });
        for (auto it = first; it != bills_.end(); ++it) bill_of_rule_[static_cast<std::size_t>(it->rule)] = -1;
        block_start_ = bills_.size();
    }

    std::vector<CommuneBill> bills_;
    std::vector<int> bill_of_rule_;  ///< index into bills_, in the current block
    std::size_t block_start_ = 0;    ///< the current block's first bill
    const BudgetLine* previous_ = nullptr;
};

/// Bills of communes paid by the commune budget, ordered by year, unit and rule. A rule
/// may cover several groups: a commune's bill per rule sums its lines, in line order.
/// The lines come sorted by year and unit (Results says so) and are then summed in one
/// pass; if they are not, they are sorted here first.
std::vector<CommuneBill> commune_bills(const Scenario& s, const Results& r) {
    std::vector<char> is_commune(s.payers.size());
    for (std::size_t p = 0; p < s.payers.size(); ++p) is_commune[p] = s.payers[p].level == PayerLevel::commune;
    const auto commune_paid = [&](const BudgetLine& l) { return is_commune.at(static_cast<std::size_t>(l.payer)) != 0; };

    CommuneBillBuilder in_order(s.rules.size());
    const BudgetLine* previous = nullptr;
    bool sorted = true;
    for (const BudgetLine& l : r.lines) {
        if (!commune_paid(l)) continue;
        if (previous != nullptr && before_in_year_and_unit(l, *previous)) {
            sorted = false;
            break;
        }
        in_order.add(l);
        previous = &l;
    }
    if (sorted) return in_order.finish();

    std::vector<const BudgetLine*> lines;
    for (const BudgetLine& l : r.lines)
        if (commune_paid(l)) lines.push_back(&l);
    // Stable: lines of one key keep their order, so sums are taken in the same order.
    std::stable_sort(lines.begin(), lines.end(),
                     [](const BudgetLine* a, const BudgetLine* b) { return before_in_year_and_unit(*a, *b); });
    CommuneBillBuilder builder(s.rules.size());
    for (const BudgetLine* l : lines) builder.add(*l);
    return builder.finish();
}

}  // namespace

namespace report_detail {

CsvTable budget_lines_table(const Results& r, Lang lang) {
    return CsvTable({"year", "unit_code", "unit_name", "group", "group_label", "rule", "rule_label", "payer",
                     "payer_label", "enrolled_persons", "person_months", "cost_vnd"},
                    r.lines.size(),
                    [&r, names = EscapedNames(scenario_of(r), lang)](CsvWriter& w, std::size_t begin, std::size_t end) {
                        for (std::size_t i = begin; i < end; ++i) {
                            const BudgetLine& l = r.lines[i];
                            w.integer(l.year).padded(names.unit_code(l.unit)).padded(names.unit_name(l.unit));
                            w.padded(names.group(l.group)).padded(names.group_label(l.group));
                            w.padded(names.rule(l.rule)).padded(names.rule_label(l.rule));
                            w.padded(names.payer(l.payer)).padded(names.payer_label(l.payer));
                            w.yearly_persons(l.person_months).headcount(l.person_months).integer(l.cost);
                            w.end_row();
                        }
                    });
}

CsvTable cohort_costs_table(const Results& r, Lang lang) {
    return CsvTable({"year", "unit_code", "unit_name", "group", "group_label", "enrolled_persons", "person_months",
                     "contribution_due_vnd", "state_paid_vnd", "participant_paid_vnd"},
                    r.cohort_costs.size(),
                    [&r, names = EscapedNames(scenario_of(r), lang)](CsvWriter& w, std::size_t begin, std::size_t end) {
                        for (std::size_t i = begin; i < end; ++i) {
                            const CohortCost& c = r.cohort_costs[i];
                            w.integer(c.year).padded(names.unit_code(c.unit)).padded(names.unit_name(c.unit));
                            w.padded(names.group(c.group)).padded(names.group_label(c.group));
                            w.yearly_persons(c.person_months).headcount(c.person_months);
                            w.integer(c.contribution_due).integer(c.state_paid).integer(c.participant_paid());
                            w.end_row();
                        }
                    });
}

}  // namespace report_detail

void write_budget_lines_csv(std::ostream& out, const Results& r, Lang lang) {
    report_detail::budget_lines_table(r, lang).write(out);
}

namespace {

/// The whole period's year field.
constexpr std::string_view kAllYears = "all";

}  // namespace

namespace report_detail {

void write_budget_by_year_payer_csv(std::ostream& out, const Results& r, const std::vector<YearPayerTotal>& totals,
                                    Lang lang) {
    const Scenario& s = scenario_of(r);
    const EscapedNames names(s, lang);
    CsvWriter w(out);
    w.header({"year", "payer", "payer_label", "cost_vnd"});
    // Whole period: per payer (and total), in the order of a year's rows.
    std::vector<int> order;
    std::vector<Dong> period(s.payers.size() + 1, 0);  // index payer + 1; 0 = total
    for (const YearPayerTotal& t : totals) {
        w.integer(t.year).padded(names.payer(t.payer)).padded(names.payer_label(t.payer)).integer(t.cost);
        w.end_row();
        Dong& sum = period.at(static_cast<std::size_t>(t.payer + 1));
        if (std::find(order.begin(), order.end(), t.payer) == order.end()) order.push_back(t.payer);
        sum = add_dong(sum, t.cost);
    }
    for (int payer : order) {
        w.text(kAllYears).padded(names.payer(payer)).padded(names.payer_label(payer));
        w.integer(period[static_cast<std::size_t>(payer + 1)]);
        w.end_row();
    }
    w.finish();
}

}  // namespace report_detail

void write_budget_by_year_payer_csv(std::ostream& out, const Results& r, Lang lang) {
    (void)scenario_of(r);  // throws before the totals would read a missing scenario
    report_detail::write_budget_by_year_payer_csv(out, r, totals_by_year_payer(r), lang);
}

void write_budget_by_unit_csv(std::ostream& out, const Results& r, Lang lang) {
    const Scenario& s = scenario_of(r);
    const EscapedNames names(s, lang);
    CsvWriter w(out);
    w.header({"year", "unit_code", "unit_name", "payer", "payer_label", "cost_vnd"});
    const std::size_t payers = s.payers.size();
    // Whole period per unit × payer (index unit × (payers + 1) + payer + 1; 0 = total).
    std::vector<Dong> period(s.units().size() * (payers + 1), 0);
    std::vector<char> seen(s.units().size() * (payers + 1), 0);
    const auto row = [&](std::string_view year_text, int year, int unit, int payer, Dong cost) {
        if (year_text.empty()) w.integer(year);
        else w.text(year_text);
        w.padded(names.unit_code(unit)).padded(names.unit_name(unit));
        w.padded(names.payer(payer)).padded(names.payer_label(payer)).integer(cost);
        w.end_row();
    };
    const auto add_period = [&](int unit, int payer, Dong cost) {
        const std::size_t k = static_cast<std::size_t>(unit) * (payers + 1) + static_cast<std::size_t>(payer + 1);
        period.at(k) = add_dong(period[k], cost);
        seen[k] = 1;
    };
    const std::vector<UnitPayerTotal> totals = totals_by_unit(r);
    for (std::size_t i = 0; i < totals.size(); ++i) {
        const UnitPayerTotal& t = totals[i];
        row({}, t.year, t.unit, t.payer, t.cost);
        add_period(t.unit, t.payer, t.cost);
        const bool last_of_block =
            i + 1 == totals.size() || totals[i + 1].year != t.year || totals[i + 1].unit != t.unit;
        if (!last_of_block) continue;
        Dong block = 0;  // the (year, unit) block's payers, summed
        for (std::size_t k = i + 1; k-- > 0 && totals[k].year == t.year && totals[k].unit == t.unit;)
            block = add_dong(block, totals[k].cost);
        row({}, t.year, t.unit, -1, block);
        add_period(t.unit, -1, block);
    }
    for (std::size_t u = 0; u < s.units().size(); ++u)
        for (std::size_t k = 1; k <= payers + 1; ++k) {
            const std::size_t p = k % (payers + 1);  // payers first, the total last
            const std::size_t cell = u * (payers + 1) + p;
            if (seen[cell]) row(kAllYears, 0, static_cast<int>(u), static_cast<int>(p) - 1, period[cell]);
        }
    w.finish();
}

void write_budget_by_rule_csv(std::ostream& out, const Results& r, Lang lang) {
    const Scenario& s = scenario_of(r);
    const EscapedNames names(s, lang);
    const std::size_t rules = s.rules.size();
    // Per year (ordered) and rule: person-months and cost; then the whole period.
    std::map<int, std::vector<std::pair<Headcount, Dong>>> by_year;
    std::vector<Dong> period(rules, 0);
    std::vector<char> seen(rules, 0);
    for (const BudgetLine& l : r.lines) {
        auto& cells = by_year[l.year];
        if (cells.empty()) cells.assign(rules, {-1, 0});
        auto& [pm, cost] = cells.at(static_cast<std::size_t>(l.rule));
        pm = add_dong(std::max<Headcount>(pm, 0), l.person_months);
        cost = add_dong(cost, l.cost);
        period[static_cast<std::size_t>(l.rule)] = add_dong(period[static_cast<std::size_t>(l.rule)], l.cost);
        seen[static_cast<std::size_t>(l.rule)] = 1;
    }
    CsvWriter w(out);
    w.header({"year", "rule", "rule_label", "payer", "payer_label", "enrolled_persons", "cost_vnd"});
    const auto names_of = [&](int rule) {
        const int payer = rule_at(s, rule).payer;
        w.padded(names.rule(rule)).padded(names.rule_label(rule)).padded(names.payer(payer));
        w.padded(names.payer_label(payer));
    };
    for (const auto& [year, cells] : by_year)
        for (std::size_t k = 0; k < rules; ++k) {
            if (cells[k].first < 0) continue;
            w.integer(year);
            names_of(static_cast<int>(k));
            w.yearly_persons(cells[k].first).integer(cells[k].second);
            w.end_row();
        }
    for (std::size_t k = 0; k < rules; ++k) {
        if (!seen[k]) continue;
        w.text(kAllYears);
        names_of(static_cast<int>(k));
        w.text("").integer(period[k]);
        w.end_row();
    }
    w.finish();
}

void write_budget_by_quarter_csv(std::ostream& out, const Results& r, Lang lang) {
    const EscapedNames names(scenario_of(r), lang);
    CsvWriter w(out);
    w.header({"year", "quarter", "payer", "payer_label", "unit_code", "unit_name", "cost_vnd"});
    for (const QuarterTotal& t : totals_by_quarter(r)) {
        w.integer(t.year).integer(t.quarter + 1).padded(names.payer(t.payer)).padded(names.payer_label(t.payer));
        w.padded(names.unit_code(t.unit)).padded(names.unit_name(t.unit));
        w.integer(t.cost);
        w.end_row();
    }
    w.finish();
}

void write_coverage_csv(std::ostream& out, const Results& r) {
    const EscapedNames names(scenario_of(r));
    CsvWriter w(out);
    w.header({"year", "unit_code", "unit_name", "population", "enrolled", "coverage_pct", "target_pct",
              "gap_persons"});
    for (const CoverageRow& c : r.coverage) {
        w.integer(c.year).padded(names.unit_code(c.unit)).padded(names.unit_name(c.unit)).integer(c.population);
        w.persons(c.enrolled);
        coverage_percent_field(w, c.enrolled, c.population);
        target_percent_field(w, c.target);
        w.integer(report_detail::gap_persons(c));
        w.end_row();
    }
    w.finish();
}

void write_cohort_costs_csv(std::ostream& out, const Results& r, Lang lang) {
    report_detail::cohort_costs_table(r, lang).write(out);
}

void write_commune_bills_csv(std::ostream& out, const Results& r, Lang lang) {
    const Scenario& s = scenario_of(r);
    const EscapedNames names(s, lang);
    CsvWriter w(out);
    w.header({"year", "unit_code", "unit_name", "rule", "rule_label", "enrolled_persons", "cost_vnd"});
    for (const CommuneBill& b : commune_bills(s, r)) {
        w.integer(b.year).padded(names.unit_code(b.unit)).padded(names.unit_name(b.unit));
        w.padded(names.rule(b.rule)).padded(names.rule_label(b.rule)).yearly_persons(b.person_months).integer(b.cost);
        w.end_row();
    }
    w.finish();
}

void write_overlaps_csv(std::ostream& out, const Results& r, Lang lang) {
    const Scenario& s = scenario_of(r);
    const EscapedNames names(s, lang);
    CsvWriter w(out);
    w.header({"year", "rule", "rule_label", "payer", "payer_label", "persons_gained", "persons_lost"});
    for (const RuleTransfer& t : rule_transfers(r)) {
        const int payer = rule_at(s, t.rule).payer;
        w.integer(t.year).padded(names.rule(t.rule)).padded(names.rule_label(t.rule));
        w.padded(names.payer(payer)).padded(names.payer_label(payer));
        w.yearly_persons(t.gained).yearly_persons(t.lost);
        w.end_row();
    }
    w.finish();
}

void write_provenance_csv(std::ostream& out, const Scenario& s, Lang lang) {
    using report_detail::spreadsheet_text;
    write_header(out, {"kind", "id", "label", "from", "value", "reference", "confidence"});
    for (const report_detail::AssumptionRow& a : report_detail::assumption_rows(s, lang))
        out << csv_row({a.kind, spreadsheet_text(a.id), spreadsheet_text(a.label), a.from.to_string(), a.value,
                        spreadsheet_text(a.provenance->reference),
                        report_detail::confidence_label(a.provenance->confidence, Lang::en)});
}

}  // namespace subsim
