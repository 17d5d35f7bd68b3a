/// The canonical CSV reports: tidy, one fact per row, plain numbers, UTF-8.
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <tuple>

#include "report_format.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {

using report_detail::csv_row;
using report_detail::fixed_point;
using report_detail::scenario_of;
using report_detail::yearly_persons_text;

namespace {

/// Percentages in coverage.csv have two decimals.
constexpr int kPercentDecimals = 2;

std::string year_text(int year) { return std::to_string(year); }
std::string money(Dong v) { return std::to_string(v); }

const std::string& payer_id(const Scenario& s, int payer) {
    static const std::string kTotal = "total";
    return payer < 0 ? kTotal : s.payers.at(static_cast<std::size_t>(payer)).id;
}

const Unit& unit_at(const Scenario& s, int unit) { return s.units.at(static_cast<std::size_t>(unit)); }
const Group& group_at(const Scenario& s, int group) { return s.groups.at(static_cast<std::size_t>(group)); }
const Rule& rule_at(const Scenario& s, int rule) { return s.rules.at(static_cast<std::size_t>(rule)); }

/// Enrolled / population × 100 to two decimals, half-up: enrolled (× 10^4 persons) ÷
/// population is exactly the percentage in hundredths. Empty for no population.
std::string coverage_percent(Headcount enrolled, std::int64_t population) {
    if (population <= 0) return "";
    return fixed_point(report_detail::divide_half_up(enrolled, population), kPercentDecimals);
}

void require_scale(const Decimal& d) {
    if (d.scale < 0 || d.scale > Decimal::kMaxScale) throw std::invalid_argument("decimal scale out of range");
}

/// The target (a fraction of one) as a percentage with two decimals, half-up.
std::string target_percent(const std::optional<Decimal>& target) {
    if (!target) return "";
    return fixed_point(report_detail::percent_hundredths(*target), kPercentDecimals);
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

}  // namespace

void write_budget_lines_csv(std::ostream& out, const Results& r) {
    const Scenario& s = scenario_of(r);
    write_header(out, {"year", "unit_code", "unit_name", "group", "rule", "payer", "enrolled_persons",
                       "person_months", "cost_vnd"});
    for (const BudgetLine& l : r.lines) {
        const Unit& u = unit_at(s, l.unit);
        out << csv_row({year_text(l.year), u.code, u.name, group_at(s, l.group).id, rule_at(s, l.rule).id,
                        payer_id(s, l.payer), yearly_persons_text(l.person_months),
                        format_headcount(l.person_months, 4), money(l.cost)});
    }
}

void write_budget_by_year_payer_csv(std::ostream& out, const Results& r) {
    const Scenario& s = scenario_of(r);
    write_header(out, {"year", "payer", "cost_vnd"});
    for (const YearPayerTotal& t : totals_by_year_payer(r))
        out << csv_row({year_text(t.year), payer_id(s, t.payer), money(t.cost)});
}

void write_budget_by_unit_csv(std::ostream& out, const Results& r) {
    const Scenario& s = scenario_of(r);
    write_header(out, {"year", "unit_code", "unit_name", "payer", "cost_vnd"});
    for (const UnitPayerTotal& t : totals_by_unit(r)) {
        const Unit& u = unit_at(s, t.unit);
        out << csv_row({year_text(t.year), u.code, u.name, payer_id(s, t.payer), money(t.cost)});
    }
}

void write_budget_by_quarter_csv(std::ostream& out, const Results& r) {
    const Scenario& s = scenario_of(r);
    write_header(out, {"year", "quarter", "payer", "unit_code", "cost_vnd"});
    for (const QuarterTotal& t : totals_by_quarter(r)) {
        out << csv_row({year_text(t.year), std::to_string(t.quarter + 1), payer_id(s, t.payer),
                        unit_at(s, t.unit).code, money(t.cost)});
    }
}

void write_coverage_csv(std::ostream& out, const Results& r) {
    const Scenario& s = scenario_of(r);
    write_header(out, {"year", "unit_code", "unit_name", "population", "enrolled", "coverage_pct", "target_pct",
                       "gap_persons"});
    for (const CoverageRow& c : r.coverage) {
        const Unit& u = unit_at(s, c.unit);
        out << csv_row({year_text(c.year), u.code, u.name, std::to_string(c.population),
                        report_detail::persons_text(c.enrolled), coverage_percent(c.enrolled, c.population),
                        target_percent(c.target), std::to_string(gap_persons(c))});
    }
}

void write_cohort_costs_csv(std::ostream& out, const Results& r) {
    const Scenario& s = scenario_of(r);
    write_header(out, {"year", "unit_code", "group", "enrolled_persons", "person_months", "contribution_due_vnd",
                       "state_paid_vnd", "participant_paid_vnd"});
    for (const CohortCost& c : r.cohort_costs) {
        out << csv_row({year_text(c.year), unit_at(s, c.unit).code, group_at(s, c.group).id,
                        yearly_persons_text(c.person_months), format_headcount(c.person_months, 4),
                        money(c.contribution_due), money(c.state_paid), money(c.participant_paid())});
    }
}

void write_commune_bills_csv(std::ostream& out, const Results& r) {
    const Scenario& s = scenario_of(r);
    write_header(out, {"year", "unit_code", "unit_name", "rule", "enrolled_persons", "cost_vnd"});
    struct Bill {
        Headcount person_months = 0;
        Dong cost = 0;
    };
    // A rule may cover several groups: a commune's bill per rule sums its lines.
    std::map<std::tuple<int, int, int>, Bill> bills;
    for (const BudgetLine& l : r.lines) {
        if (s.payers.at(static_cast<std::size_t>(l.payer)).level != PayerLevel::commune) continue;
        Bill& b = bills[{l.year, l.unit, l.rule}];
        b.person_months = add_dong(b.person_months, l.person_months);
        b.cost = add_dong(b.cost, l.cost);
    }
    for (const auto& [key, bill] : bills) {
        const auto& [year, unit, rule] = key;
        const Unit& u = unit_at(s, unit);
        out << csv_row({year_text(year), u.code, u.name, rule_at(s, rule).id, yearly_persons_text(bill.person_months),
                        money(bill.cost)});
    }
}

void write_overlaps_csv(std::ostream& out, const Results& r) {
    const Scenario& s = scenario_of(r);
    write_header(out, {"year", "rule", "payer", "persons_gained", "persons_lost"});
    for (const RuleTransfer& t : rule_transfers(r)) {
        const Rule& rule = rule_at(s, t.rule);
        out << csv_row({year_text(t.year), rule.id, payer_id(s, rule.payer), yearly_persons_text(t.gained),
                        yearly_persons_text(t.lost)});
    }
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
