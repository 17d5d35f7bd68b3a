/// The canonical CSV reports: tidy, one fact per row, plain numbers, UTF-8.
#include <algorithm>
#include <ostream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "report_format.hpp"
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

/// The scenario's names as CSV fields, escaped once per writer instead of once per row,
/// kept in one arena with CsvWriter::kPaddedCopy readable bytes after each name so that
/// a short name is copied with one fixed-size copy (CsvWriter::padded()). Lookups are
/// bounds-checked like Scenario's vectors (std::out_of_range).
class EscapedNames {
public:
    explicit EscapedNames(const Scenario& s) {
        for (const Unit& u : s.units()) unit_codes_.push_back(add(u.code));
        for (const Unit& u : s.units()) unit_names_.push_back(add(u.name));
        for (const Group& g : s.groups()) groups_.push_back(add(g.id));
        for (const Rule& r : s.rules) rules_.push_back(add(r.id));
        for (const Payer& p : s.payers) payers_.push_back(add(p.id));
        total_ = add("total");
        arena_.append(CsvWriter::kPaddedCopy, '\0');
    }

    std::string_view unit_code(int unit) const { return view(unit_codes_.at(static_cast<std::size_t>(unit))); }
    std::string_view unit_name(int unit) const { return view(unit_names_.at(static_cast<std::size_t>(unit))); }
    std::string_view group(int group) const { return view(groups_.at(static_cast<std::size_t>(group))); }
    std::string_view rule(int rule) const { return view(rules_.at(static_cast<std::size_t>(rule))); }
    /// The payer's id, or "total" for payer -1 (a total row).
    std::string_view payer(int payer) const {
        return view(payer < 0 ? total_ : payers_.at(static_cast<std::size_t>(payer)));
    }

private:
    struct Name {
        std::size_t begin, size;
    };
    Name add(const std::string& text) {
        const std::string field = report_detail::csv_field(text);
        const Name name{arena_.size(), field.size()};
        arena_ += field;
        return name;
    }
    std::string_view view(Name n) const { return std::string_view(arena_).substr(n.begin, n.size); }

    std::string arena_;  ///< every name, then kPaddedCopy bytes of padding
    std::vector<Name> unit_codes_, unit_names_, groups_, rules_, payers_;
    Name total_{};
};

void require_scale(const Decimal& d) {
    if (d.scale < 0 || d.scale > Decimal::kMaxScale) throw std::invalid_argument("decimal scale out of range");
}

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

/// Whole persons still to enrol to reach the target: ⌈target × population − enrolled⌉,
/// 0 when met or without a target. Worked in units of 1 / (10^4 · 10^scale) person.
std::int64_t gap_persons(const CoverageRow& row) {
    if (!row.target) return 0;
    require_scale(*row.target);
    const __int128 target_scale = report_detail::power_of_ten(row.target->scale);
    const __int128 needed = static_cast<__int128>(row.target->units) * row.population * kHeadcountScale;
    const __int128 have = static_cast<__int128>(row.enrolled) * target_scale;
    const __int128 gap = needed - have;
    if (gap <= 0) return 0;
    const __int128 unit = target_scale * kHeadcountScale;
    return static_cast<std::int64_t>((gap + unit - 1) / unit);
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

CsvTable budget_lines_table(const Results& r) {
    return CsvTable({"year", "unit_code", "unit_name", "group", "rule", "payer", "enrolled_persons", "person_months",
                     "cost_vnd"},
                    r.lines.size(),
                    [&r, names = EscapedNames(scenario_of(r))](CsvWriter& w, std::size_t begin, std::size_t end) {
                        for (std::size_t i = begin; i < end; ++i) {
                            const BudgetLine& l = r.lines[i];
                            w.integer(l.year).padded(names.unit_code(l.unit)).padded(names.unit_name(l.unit));
                            w.padded(names.group(l.group)).padded(names.rule(l.rule)).padded(names.payer(l.payer));
                            w.yearly_persons(l.person_months).headcount(l.person_months).integer(l.cost);
                            w.end_row();
                        }
                    });
}

CsvTable cohort_costs_table(const Results& r) {
    return CsvTable({"year", "unit_code", "group", "enrolled_persons", "person_months", "contribution_due_vnd",
                     "state_paid_vnd", "participant_paid_vnd"},
                    r.cohort_costs.size(),
                    [&r, names = EscapedNames(scenario_of(r))](CsvWriter& w, std::size_t begin, std::size_t end) {
                        for (std::size_t i = begin; i < end; ++i) {
                            const CohortCost& c = r.cohort_costs[i];
                            w.integer(c.year).padded(names.unit_code(c.unit)).padded(names.group(c.group));
                            w.yearly_persons(c.person_months).headcount(c.person_months);
                            w.integer(c.contribution_due).integer(c.state_paid).integer(c.participant_paid());
                            w.end_row();
                        }
                    });
}

}  // namespace report_detail

void write_budget_lines_csv(std::ostream& out, const Results& r) { report_detail::budget_lines_table(r).write(out); }

namespace report_detail {

void write_budget_by_year_payer_csv(std::ostream& out, const Results& r, const std::vector<YearPayerTotal>& totals) {
    const EscapedNames names(scenario_of(r));
    CsvWriter w(out);
    w.header({"year", "payer", "cost_vnd"});
    for (const YearPayerTotal& t : totals) {
        w.integer(t.year).padded(names.payer(t.payer)).integer(t.cost);
        w.end_row();
    }
    w.finish();
}

}  // namespace report_detail

void write_budget_by_year_payer_csv(std::ostream& out, const Results& r) {
    (void)scenario_of(r);  // throws before the totals would read a missing scenario
    report_detail::write_budget_by_year_payer_csv(out, r, totals_by_year_payer(r));
}

void write_budget_by_unit_csv(std::ostream& out, const Results& r) {
    const EscapedNames names(scenario_of(r));
    CsvWriter w(out);
    w.header({"year", "unit_code", "unit_name", "payer", "cost_vnd"});
    for (const UnitPayerTotal& t : totals_by_unit(r)) {
        w.integer(t.year).padded(names.unit_code(t.unit)).padded(names.unit_name(t.unit));
        w.padded(names.payer(t.payer)).integer(t.cost);
        w.end_row();
    }
    w.finish();
}

void write_budget_by_quarter_csv(std::ostream& out, const Results& r) {
    const EscapedNames names(scenario_of(r));
    CsvWriter w(out);
    w.header({"year", "quarter", "payer", "unit_code", "cost_vnd"});
    for (const QuarterTotal& t : totals_by_quarter(r)) {
        w.integer(t.year).integer(t.quarter + 1).padded(names.payer(t.payer)).padded(names.unit_code(t.unit));
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
        w.integer(gap_persons(c));
        w.end_row();
    }
    w.finish();
}

void write_cohort_costs_csv(std::ostream& out, const Results& r) { report_detail::cohort_costs_table(r).write(out); }

void write_commune_bills_csv(std::ostream& out, const Results& r) {
    const Scenario& s = scenario_of(r);
    const EscapedNames names(s);
    CsvWriter w(out);
    w.header({"year", "unit_code", "unit_name", "rule", "enrolled_persons", "cost_vnd"});
    for (const CommuneBill& b : commune_bills(s, r)) {
        w.integer(b.year).padded(names.unit_code(b.unit)).padded(names.unit_name(b.unit));
        w.padded(names.rule(b.rule)).yearly_persons(b.person_months).integer(b.cost);
        w.end_row();
    }
    w.finish();
}

void write_overlaps_csv(std::ostream& out, const Results& r) {
    const Scenario& s = scenario_of(r);
    const EscapedNames names(s);
    CsvWriter w(out);
    w.header({"year", "rule", "payer", "persons_gained", "persons_lost"});
    for (const RuleTransfer& t : rule_transfers(r)) {
        w.integer(t.year).padded(names.rule(t.rule)).padded(names.payer(rule_at(s, t.rule).payer));
        w.yearly_persons(t.gained).yearly_persons(t.lost);
        w.end_row();
    }
    w.finish();
}

namespace {

std::string confidence_id(Confidence c) { return std::string(report_detail::confidence_label(c, Lang::en)); }

void provenance_row(std::ostream& out, std::string_view kind, std::string_view id, Date from,
                    std::string_view value, const Provenance& p) {
    out << csv_row({kind, id, from.to_string(), value, p.reference, confidence_id(p.confidence)});
}

std::string reduction_schedule(const std::vector<Decimal>& shares) {
    std::string text;
    for (const Decimal& d : shares) {
        if (!text.empty()) text += ';';
        text += d.to_percent_string();
    }
    return text;
}

std::string rule_value(const Rule& rule) {
    if (rule.share) return rule.share->to_percent_string();
    if (rule.amount) return std::to_string(*rule.amount);
    return "";
}

}  // namespace

void write_provenance_csv(std::ostream& out, const Scenario& s) {
    write_header(out, {"kind", "id", "from", "value", "reference", "confidence"});
    const Parameters& p = s.parameters;
    for (const auto& e : p.base_salary.entries)
        provenance_row(out, "base_salary", "base_salary", e.from, std::to_string(e.value), e.provenance);
    for (const auto& e : p.contribution_rate.entries)
        provenance_row(out, "contribution_rate", "contribution_rate", e.from, e.value.to_percent_string(),
                       e.provenance);
    for (const auto& e : p.household_reduction.entries)
        provenance_row(out, "household_reduction", "household_reduction", e.from, reduction_schedule(e.value),
                       e.provenance);
    for (const EnrolmentRate& e : s.enrolment) {
        std::string id = group_at(s, e.group).id;
        if (e.unit >= 0) id += ":" + unit_at(s, e.unit).code;
        provenance_row(out, "enrolment_rate", id, e.from, e.share.to_percent_string(), e.provenance);
    }
    for (const GrowthRate& g : s.growth)
        provenance_row(out, "growth_rate", group_at(s, g.group).id, g.from, g.rate.to_percent_string(), g.provenance);
    for (const Rule& rule : s.rules) provenance_row(out, "rule", rule.id, rule.from, rule_value(rule), rule.provenance);
}

}  // namespace subsim
