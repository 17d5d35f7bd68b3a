/// The canonical CSV reports: tidy, one fact per row, plain numbers, UTF-8.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "csv_streams.hpp"
#include "report_format.hpp"
#include "report_tables.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {

using report_detail::csv_row;
using report_detail::CsvWriter;
using report_detail::scenario_of;

namespace report_detail {

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


std::shared_ptr<const EscapedNames> escaped_names(const Scenario& s, Lang lang) {
    return std::make_shared<const EscapedNames>(s, lang);
}

}  // namespace report_detail

using report_detail::EscapedNames;

namespace {

/// Percentages in coverage.csv have two decimals.
constexpr int kPercentDecimals = 2;

const Rule& rule_at(const Scenario& s, int rule) { return s.rules.at(static_cast<std::size_t>(rule)); }

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

// ---- the year-major reports as streams ---------------------------------------------------

namespace report_detail {

namespace {

/// The whole period's year field.
constexpr std::string_view kAllYears = "all";

bool in_year(int row_year, std::optional<int> year) { return !year || row_year == *year; }

}  // namespace

CsvTable budget_lines_table(const Results& r, std::shared_ptr<const EscapedNames> names) {
    // Ids only (and the unit's name): labels are in labels.csv. This is the largest file
    // (a national run writes some 700,000 rows a decade), so every column counts.
    return CsvTable({"year", "unit_code", "unit_name", "group", "rule", "payer", "enrolled_persons", "person_months",
                     "cost_vnd"},
                    r.lines.size(), [&r, names = std::move(names)](CsvWriter& w, std::size_t begin, std::size_t end) {
                        for (std::size_t i = begin; i < end; ++i) {
                            const BudgetLine& l = r.lines[i];
                            w.integer(l.year).padded(names->unit_code(l.unit)).padded(names->unit_name(l.unit));
                            w.padded(names->group(l.group)).padded(names->rule(l.rule)).padded(names->payer(l.payer));
                            w.yearly_persons(l.person_months).headcount(l.person_months).integer(l.cost);
                            w.end_row();
                        }
                    });
}

CsvTable cohort_costs_table(const Results& r, std::shared_ptr<const EscapedNames> names) {
    return CsvTable({"year", "unit_code", "group", "enrolled_persons", "person_months", "contribution_due_vnd",
                     "state_paid_vnd", "participant_paid_vnd"},
                    r.cohort_costs.size(),
                    [&r, names = std::move(names)](CsvWriter& w, std::size_t begin, std::size_t end) {
                        for (std::size_t i = begin; i < end; ++i) {
                            const CohortCost& c = r.cohort_costs[i];
                            w.integer(c.year).padded(names->unit_code(c.unit)).padded(names->group(c.group));
                            w.yearly_persons(c.person_months).headcount(c.person_months);
                            w.integer(c.contribution_due).integer(c.state_paid).integer(c.participant_paid());
                            w.end_row();
                        }
                    });
}

CsvTable budget_lines_table(const Results& r, Lang lang) { return budget_lines_table(r, escaped_names(scenario_of(r), lang)); }
CsvTable cohort_costs_table(const Results& r, Lang lang) { return cohort_costs_table(r, escaped_names(scenario_of(r), lang)); }

// budget_by_year_payer.csv: per year and payer, a total row per year, then the whole
// period per payer (and total) in the order of a year's rows.
YearPayerStream::YearPayerStream(const Scenario& s, std::shared_ptr<const EscapedNames> names)
    : s_(s), names_(std::move(names)) {}

void YearPayerStream::header(CsvWriter& w) { w.header({"year", "payer", "payer_label", "cost_vnd"}); }

void YearPayerStream::add(CsvWriter& w, const Results& part, std::optional<int> year) {
    for (const YearPayerTotal& t : totals_by_year_payer(part)) {
        if (!in_year(t.year, year)) continue;
        w.integer(t.year).padded(names_->payer(t.payer)).padded(names_->payer_label(t.payer)).integer(t.cost);
        w.end_row();
        totals_.push_back(t);
    }
}

void YearPayerStream::finish(CsvWriter& w) {
    std::vector<int> order;
    std::vector<Dong> period(s_.payers.size() + 1, 0);  // index payer + 1; 0 = total
    for (const YearPayerTotal& t : totals_) {
        Dong& sum = period.at(static_cast<std::size_t>(t.payer + 1));
        if (std::find(order.begin(), order.end(), t.payer) == order.end()) order.push_back(t.payer);
        sum = add_dong(sum, t.cost);
    }
    for (int payer : order) {
        w.text(kAllYears).padded(names_->payer(payer)).padded(names_->payer_label(payer));
        w.integer(period[static_cast<std::size_t>(payer + 1)]);
        w.end_row();
    }
}

namespace {

/// budget_by_unit.csv: per year, leaf unit and payer, a `total` row per unit and year;
/// then the whole period the same way.
class UnitStream : public CsvStream {
public:
    UnitStream(const Scenario& s, std::shared_ptr<const EscapedNames> names)
        : s_(s),
          names_(std::move(names)),
          payers_(s.payers.size()),
          period_(s.units().size() * (payers_ + 1), 0),
          seen_(s.units().size() * (payers_ + 1), 0) {}

    void header(CsvWriter& w) override { w.header({"year", "unit_code", "unit_name", "payer", "payer_label", "cost_vnd"}); }

    void add(CsvWriter& w, const Results& part, std::optional<int> year) override {
        const std::vector<UnitPayerTotal> totals = totals_by_unit(part);
        for (std::size_t i = 0; i < totals.size(); ++i) {
            const UnitPayerTotal& t = totals[i];
            if (!in_year(t.year, year)) continue;
            row(w, {}, t.year, t.unit, t.payer, t.cost);
            add_period(t.unit, t.payer, t.cost);
            const bool last_of_block =
                i + 1 == totals.size() || totals[i + 1].year != t.year || totals[i + 1].unit != t.unit;
            if (!last_of_block) continue;
            Dong block = 0;  // the (year, unit) block's payers, summed
            for (std::size_t k = i + 1; k-- > 0 && totals[k].year == t.year && totals[k].unit == t.unit;)
                block = add_dong(block, totals[k].cost);
            row(w, {}, t.year, t.unit, -1, block);
            add_period(t.unit, -1, block);
        }
    }

    void finish(CsvWriter& w) override {
        for (std::size_t u = 0; u < s_.units().size(); ++u)
            for (std::size_t k = 1; k <= payers_ + 1; ++k) {
                const std::size_t p = k % (payers_ + 1);  // payers first, the total last
                const std::size_t cell = u * (payers_ + 1) + p;
                if (seen_[cell]) row(w, kAllYears, 0, static_cast<int>(u), static_cast<int>(p) - 1, period_[cell]);
            }
    }

private:
    void row(CsvWriter& w, std::string_view year_text, int year, int unit, int payer, Dong cost) {
        if (year_text.empty()) w.integer(year);
        else w.text(year_text);
        w.padded(names_->unit_code(unit)).padded(names_->unit_name(unit));
        w.padded(names_->payer(payer)).padded(names_->payer_label(payer)).integer(cost);
        w.end_row();
    }
    void add_period(int unit, int payer, Dong cost) {
        const std::size_t k = static_cast<std::size_t>(unit) * (payers_ + 1) + static_cast<std::size_t>(payer + 1);
        period_.at(k) = add_dong(period_[k], cost);
        seen_[k] = 1;
    }

    const Scenario& s_;
    std::shared_ptr<const EscapedNames> names_;
    std::size_t payers_;
    std::vector<Dong> period_;  ///< unit × (payers + 1) + payer + 1; 0 = total
    std::vector<char> seen_;
};

/// budget_by_rule.csv: per year (ordered) and rule, persons and cost; then the whole period.
class RuleStream : public CsvStream {
public:
    RuleStream(const Scenario& s, std::shared_ptr<const EscapedNames> names)
        : s_(s), names_(std::move(names)), period_(s.rules.size(), 0), seen_(s.rules.size(), 0) {}

    void header(CsvWriter& w) override {
        w.header({"year", "rule", "rule_label", "payer", "payer_label", "enrolled_persons", "cost_vnd"});
    }

    void add(CsvWriter& w, const Results& part, std::optional<int> year) override {
        const std::size_t rules = s_.rules.size();
        std::map<int, std::vector<std::pair<Headcount, Dong>>> by_year;
        for (const BudgetLine& l : part.lines) {
            if (!in_year(l.year, year)) continue;
            auto& cells = by_year[l.year];
            if (cells.empty()) cells.assign(rules, {-1, 0});
            auto& [pm, cost] = cells.at(static_cast<std::size_t>(l.rule));
            pm = add_dong(std::max<Headcount>(pm, 0), l.person_months);
            cost = add_dong(cost, l.cost);
            period_[static_cast<std::size_t>(l.rule)] = add_dong(period_[static_cast<std::size_t>(l.rule)], l.cost);
            seen_[static_cast<std::size_t>(l.rule)] = 1;
        }
        for (const auto& [y, cells] : by_year)
            for (std::size_t k = 0; k < rules; ++k) {
                if (cells[k].first < 0) continue;
                w.integer(y);
                names_of(w, static_cast<int>(k));
                w.yearly_persons(cells[k].first).integer(cells[k].second);
                w.end_row();
            }
    }

    void finish(CsvWriter& w) override {
        for (std::size_t k = 0; k < s_.rules.size(); ++k) {
            if (!seen_[k]) continue;
            w.text(kAllYears);
            names_of(w, static_cast<int>(k));
            w.text("").integer(period_[k]);
            w.end_row();
        }
    }

private:
    void names_of(CsvWriter& w, int rule) {
        const int payer = rule_at(s_, rule).payer;
        w.padded(names_->rule(rule)).padded(names_->rule_label(rule)).padded(names_->payer(payer));
        w.padded(names_->payer_label(payer));
    }

    const Scenario& s_;
    std::shared_ptr<const EscapedNames> names_;
    std::vector<Dong> period_;
    std::vector<char> seen_;
};

class QuarterStream : public CsvStream {
public:
    explicit QuarterStream(std::shared_ptr<const EscapedNames> names) : names_(std::move(names)) {}
    void header(CsvWriter& w) override {
        w.header({"year", "quarter", "payer", "payer_label", "unit_code", "unit_name", "cost_vnd"});
    }
    void add(CsvWriter& w, const Results& part, std::optional<int> year) override {
        for (const QuarterTotal& t : totals_by_quarter(part)) {
            if (!in_year(t.year, year)) continue;
            w.integer(t.year).integer(t.quarter + 1).padded(names_->payer(t.payer)).padded(names_->payer_label(t.payer));
            w.padded(names_->unit_code(t.unit)).padded(names_->unit_name(t.unit));
            w.integer(t.cost);
            w.end_row();
        }
    }

private:
    std::shared_ptr<const EscapedNames> names_;
};

class CommuneBillsStream : public CsvStream {
public:
    CommuneBillsStream(const Scenario& s, std::shared_ptr<const EscapedNames> names) : s_(s), names_(std::move(names)) {}
    void header(CsvWriter& w) override {
        w.header({"year", "unit_code", "unit_name", "rule", "rule_label", "enrolled_persons", "cost_vnd"});
    }
    void add(CsvWriter& w, const Results& part, std::optional<int> year) override {
        for (const CommuneBill& b : commune_bills(s_, part)) {
            if (!in_year(b.year, year)) continue;
            w.integer(b.year).padded(names_->unit_code(b.unit)).padded(names_->unit_name(b.unit));
            w.padded(names_->rule(b.rule)).padded(names_->rule_label(b.rule)).yearly_persons(b.person_months).integer(b.cost);
            w.end_row();
        }
    }

private:
    const Scenario& s_;
    std::shared_ptr<const EscapedNames> names_;
};

class CoverageStream : public CsvStream {
public:
    explicit CoverageStream(std::shared_ptr<const EscapedNames> names) : names_(std::move(names)) {}
    void header(CsvWriter& w) override {
        w.header({"year", "unit_code", "unit_name", "population", "enrolled", "coverage_pct", "target_pct", "gap_persons"});
    }
    void add(CsvWriter& w, const Results& part, std::optional<int> year) override {
        for (const CoverageRow& c : part.coverage) {
            if (!in_year(c.year, year)) continue;
            w.integer(c.year).padded(names_->unit_code(c.unit)).padded(names_->unit_name(c.unit)).integer(c.population);
            w.persons(c.enrolled);
            coverage_percent_field(w, c.enrolled, c.population);
            target_percent_field(w, c.target);
            w.integer(gap_persons(c));
            w.end_row();
        }
    }

private:
    std::shared_ptr<const EscapedNames> names_;
};

class OverlapsStream : public CsvStream {
public:
    OverlapsStream(const Scenario& s, std::shared_ptr<const EscapedNames> names) : s_(s), names_(std::move(names)) {}
    void header(CsvWriter& w) override {
        w.header({"year", "rule", "rule_label", "payer", "payer_label", "persons_gained", "persons_lost"});
    }
    void add(CsvWriter& w, const Results& part, std::optional<int> year) override {
        for (const RuleTransfer& t : rule_transfers(part)) {
            if (!in_year(t.year, year)) continue;
            const int payer = rule_at(s_, t.rule).payer;
            w.integer(t.year).padded(names_->rule(t.rule)).padded(names_->rule_label(t.rule));
            w.padded(names_->payer(payer)).padded(names_->payer_label(payer));
            w.yearly_persons(t.gained).yearly_persons(t.lost);
            w.end_row();
        }
    }

private:
    const Scenario& s_;
    std::shared_ptr<const EscapedNames> names_;
};

}  // namespace

std::unique_ptr<CsvStream> budget_by_unit_stream(const Scenario& s, std::shared_ptr<const EscapedNames> names) {
    return std::make_unique<UnitStream>(s, std::move(names));
}
std::unique_ptr<CsvStream> budget_by_rule_stream(const Scenario& s, std::shared_ptr<const EscapedNames> names) {
    return std::make_unique<RuleStream>(s, std::move(names));
}
std::unique_ptr<CsvStream> budget_by_quarter_stream(const Scenario&, std::shared_ptr<const EscapedNames> names) {
    return std::make_unique<QuarterStream>(std::move(names));
}
std::unique_ptr<CsvStream> commune_bills_stream(const Scenario& s, std::shared_ptr<const EscapedNames> names) {
    return std::make_unique<CommuneBillsStream>(s, std::move(names));
}
std::unique_ptr<CsvStream> coverage_stream(const Scenario&, std::shared_ptr<const EscapedNames> names) {
    return std::make_unique<CoverageStream>(std::move(names));
}
std::unique_ptr<CsvStream> overlaps_stream(const Scenario& s, std::shared_ptr<const EscapedNames> names) {
    return std::make_unique<OverlapsStream>(s, std::move(names));
}

}  // namespace report_detail

namespace {

/// A whole run through one stream.
void write_whole(std::ostream& out, report_detail::CsvStream& stream, const Results& r) {
    CsvWriter w(out);
    stream.header(w);
    stream.add(w, r, std::nullopt);
    stream.finish(w);
    w.finish();
}

}  // namespace

void write_budget_lines_csv(std::ostream& out, const Results& r, Lang lang) {
    report_detail::budget_lines_table(r, lang).write(out);
}

void write_cohort_costs_csv(std::ostream& out, const Results& r, Lang lang) {
    report_detail::cohort_costs_table(r, lang).write(out);
}

void write_budget_by_year_payer_csv(std::ostream& out, const Results& r, Lang lang) {
    const Scenario& s = scenario_of(r);
    report_detail::YearPayerStream stream(s, report_detail::escaped_names(s, lang));
    write_whole(out, stream, r);
}

void write_budget_by_unit_csv(std::ostream& out, const Results& r, Lang lang) {
    const Scenario& s = scenario_of(r);
    write_whole(out, *report_detail::budget_by_unit_stream(s, report_detail::escaped_names(s, lang)), r);
}

void write_budget_by_rule_csv(std::ostream& out, const Results& r, Lang lang) {
    const Scenario& s = scenario_of(r);
    write_whole(out, *report_detail::budget_by_rule_stream(s, report_detail::escaped_names(s, lang)), r);
}

void write_budget_by_quarter_csv(std::ostream& out, const Results& r, Lang lang) {
    const Scenario& s = scenario_of(r);
    write_whole(out, *report_detail::budget_by_quarter_stream(s, report_detail::escaped_names(s, lang)), r);
}

void write_coverage_csv(std::ostream& out, const Results& r) {
    const Scenario& s = scenario_of(r);
    write_whole(out, *report_detail::coverage_stream(s, report_detail::escaped_names(s, Lang::vi)), r);
}

void write_commune_bills_csv(std::ostream& out, const Results& r, Lang lang) {
    const Scenario& s = scenario_of(r);
    write_whole(out, *report_detail::commune_bills_stream(s, report_detail::escaped_names(s, lang)), r);
}

void write_overlaps_csv(std::ostream& out, const Results& r, Lang lang) {
    const Scenario& s = scenario_of(r);
    write_whole(out, *report_detail::overlaps_stream(s, report_detail::escaped_names(s, lang)), r);
}

void write_labels_csv(std::ostream& out, const Scenario& s) {
    using report_detail::spreadsheet_text;
    write_header(out, {"kind", "id", "label_vi", "label_en"});
    for (const Group& g : s.groups())
        out << csv_row({"group", spreadsheet_text(g.id), spreadsheet_text(g.name.vi), spreadsheet_text(g.name.en)});
    for (const Rule& r : s.rules)
        out << csv_row({"rule", spreadsheet_text(r.id), spreadsheet_text(r.label.vi), spreadsheet_text(r.label.en)});
    for (const Payer& p : s.payers)
        out << csv_row({"payer", spreadsheet_text(p.id), spreadsheet_text(p.name.vi), spreadsheet_text(p.name.en)});
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
