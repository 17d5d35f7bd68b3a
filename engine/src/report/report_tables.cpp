#include "report_tables.hpp"

#include <unordered_map>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "report_format.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim {

std::optional<MoneyUnit> parse_money_unit(std::string_view text) {
    if (text == "dong" || text == "đồng" || text == "vnd") return MoneyUnit::dong;
    if (text == "trieu" || text == "triệu" || text == "million") return MoneyUnit::million;
    if (text == "ty" || text == "tỷ" || text == "billion") return MoneyUnit::billion;
    return std::nullopt;
}

std::optional<Date> report_as_of(const ReportOptions& o) {
    if (o.as_of) return o.as_of;
    constexpr std::size_t kDateLength = 10;  // "YYYY-MM-DD" at the start of the timestamp
    if (o.generated_at.size() < kDateLength) return std::nullopt;
    return Date::parse(std::string_view(o.generated_at).substr(0, kDateLength));
}

namespace report_detail {

namespace {

constexpr int kMonths = 12;
constexpr std::size_t kMaskBits = 64;

std::size_t index_of(int i) { return static_cast<std::size_t>(i); }

}  // namespace

int level_column(PayerLevel level) {
    switch (level) {
        case PayerLevel::central: return 0;
        case PayerLevel::province: return 1;
        case PayerLevel::commune: return 2;
    }
    return 1;
}

// ---- the as-of rule ------------------------------------------------------------------

Date quarter_end(const Scenario& s, int year, int quarter) {
    int last = 0;
    for (int m = 1; m <= kMonths; ++m)
        if (s.quarter_of_month[index_of(m - 1)] == quarter) last = m;
    if (last == 0) throw std::logic_error("transfer schedule has an empty quarter");
    return Date{year, last, Date::days_in_month(year, last)};
}

std::array<bool, kQuarterCount> transferred_quarters(const Scenario& s, int year, const std::optional<Date>& as_of) {
    std::array<bool, kQuarterCount> done{};
    if (!as_of) return done;
    for (int q = 0; q < kQuarterCount; ++q) done[index_of(q)] = quarter_end(s, year, q) <= *as_of;
    return done;
}

// ---- SupportClassifier ---------------------------------------------------------------

SupportClassifier::SupportClassifier(const Scenario& s)
    : s_(s), rules_of_group_(s.groups().size()), partial_category_(s.groups().size(), false) {
    for (std::size_t r = 0; r < s.rules.size(); ++r) {
        const Rule& rule = s.rules[r];
        const bool partial = !rule.share || *rule.share < Decimal::one();
        for (int g : rule.groups) {
            if (g < 0 || index_of(g) >= s.groups().size()) continue;
            rules_of_group_[index_of(g)].push_back(static_cast<int>(r));
            if (partial) partial_category_[index_of(g)] = true;
        }
    }
    const std::size_t groups = s.groups().size();
    match_mask_.assign(s.units().size() * groups, 0);
    for (std::size_t u = 0; u < s.units().size(); ++u)
        for (std::size_t g = 0; g < groups; ++g) {
            const auto& rules = rules_of_group_[g];
            if (rules.size() > kMaskBits) continue;
            std::uint64_t mask = 0;
            for (std::size_t k = 0; k < rules.size(); ++k)
                if (s.rules[index_of(rules[k])].condition.matches(s.units()[u])) mask |= std::uint64_t{1} << k;
            match_mask_[u * groups + g] = mask;
        }
    memo_.resize(static_cast<std::size_t>(std::max(s.year_count(), 0)) * groups);
}

SupportKind SupportClassifier::compute(int year, int unit, int group) const {
    const auto& rules = rules_of_group_.at(index_of(group));
    const Unit& u = s_.units().at(index_of(unit));
    const Rounding rounding = s_.parameters.rounding;
    for (int m = 1; m <= kMonths; ++m) {
        const Date d{year, m, 1};
        const auto* salary = s_.parameters.base_salary.at(d);
        const auto* rate = s_.parameters.contribution_rate.at(d);
        if (salary == nullptr || rate == nullptr) continue;  // the costing refuses such months
        const Decimal contribution = exact_product(rate->value, Decimal::whole(salary->value));
        const Dong due = round_to_dong(contribution, rounding);
        Dong state = 0;
        bool supported = false;
        for (int r : rules) {
            const Rule& rule = s_.rules[index_of(r)];
            if (!rule.in_force(d) || !rule.condition.matches(u)) continue;
            supported = true;
            state = add_dong(state, rule.amount ? *rule.amount : round_product(contribution, *rule.share, rounding));
        }
        if (supported && state < due) return SupportKind::partial;
    }
    return SupportKind::full;
}

SupportKind SupportClassifier::kind(int year, int unit, int group) {
    // A unit's lines of a group come one after another: the last answer first.
    if (year == last_year_ && unit == last_unit_ && group == last_group_) return last_kind_;
    last_kind_ = lookup(year, unit, group);
    last_year_ = year;
    last_unit_ = unit;
    last_group_ = group;
    return last_kind_;
}

SupportKind SupportClassifier::lookup(int year, int unit, int group) {
    const std::size_t groups = s_.groups().size();
    const auto g = index_of(group);
    if (rules_of_group_.at(g).size() > kMaskBits || year < s_.first_year || year > s_.last_year)
        return compute(year, unit, group);
    const std::uint64_t mask = match_mask_.at(index_of(unit) * groups + g);
    auto& seen = memo_[index_of(year - s_.first_year) * groups + g];
    for (const auto& [m, k] : seen)
        if (m == mask) return k;
    const SupportKind k = compute(year, unit, group);
    seen.emplace_back(mask, k);
    return k;
}

// ---- shown units -----------------------------------------------------------------------

ShownUnits shown_units(const Scenario& s, std::size_t max_units) {
    const std::size_t n = s.units().size();
    std::vector<char> has_child(n, 0);
    for (const Unit& u : s.units())
        if (u.parent >= 0 && index_of(u.parent) < n) has_child[index_of(u.parent)] = 1;
    std::vector<int> current;
    for (std::size_t u = 0; u < n; ++u)
        if (!has_child[u]) current.push_back(static_cast<int>(u));

    ShownUnits shown;
    while (current.size() > max_units) {
        std::vector<char> taken(n, 0);
        std::vector<int> next;
        for (int u : current) {
            const int up = s.units()[index_of(u)].parent >= 0 ? s.units()[index_of(u)].parent : u;
            if (!taken[index_of(up)]) {
                taken[index_of(up)] = 1;
                next.push_back(up);
            }
        }
        if (next.size() == current.size()) break;  // roots only: nothing to go up to
        std::sort(next.begin(), next.end());
        current = std::move(next);
        shown.leaves = false;
    }

    const auto root_of_unit = [&](int u) {
        for (std::size_t steps = 0; s.units()[index_of(u)].parent >= 0 && steps <= n; ++steps) u = s.units()[index_of(u)].parent;
        return u;
    };
    std::stable_sort(current.begin(), current.end(),
                     [&](int a, int b) { return root_of_unit(a) < root_of_unit(b); });
    shown.units = current;
    std::vector<int> slot_of_shown(n, -1);
    for (std::size_t k = 0; k < current.size(); ++k) {
        slot_of_shown[index_of(current[k])] = static_cast<int>(k);
        const int root = root_of_unit(current[k]);
        shown.root_of.push_back(root);
        if (shown.roots.empty() || shown.roots.back() != root) shown.roots.push_back(root);
        if (root != current[k]) shown.subtotal_per_root = true;
    }
    if (shown.roots.size() < 2) shown.subtotal_per_root = false;
    shown.slot_of.assign(n, -1);
    for (std::size_t u = 0; u < n; ++u) {
        int a = static_cast<int>(u);
        for (std::size_t steps = 0; steps <= n; ++steps) {
            if (slot_of_shown[index_of(a)] >= 0) {
                shown.slot_of[u] = slot_of_shown[index_of(a)];
                break;
            }
            if (s.units()[index_of(a)].parent < 0) break;
            a = s.units()[index_of(a)].parent;
        }
    }
    if (!current.empty()) shown.level = s.units()[index_of(current.front())].level;
    return shown;
}

// ---- the tables ------------------------------------------------------------------------

ReportTables build_report_tables(const Results& r, const ReportOptions& o) {
    const Scenario& s = scenario_of(r);
    ReportTables t;
    t.scenario = &s;
    t.as_of = report_as_of(o);
    for (int y = s.first_year; y <= s.last_year; ++y) {
        t.years.push_back(y);
        t.transferred.push_back(transferred_quarters(s, y, t.as_of));
    }
    const std::size_t years = t.years.size();
    if (years == 0) return t;

    // Payer columns and year × payer totals: exactly budget_by_year_payer.csv's rows.
    const std::vector<YearPayerTotal> totals = totals_by_year_payer(r);
    std::vector<int> column_of(s.payers.size(), -1);
    for (const YearPayerTotal& x : totals)
        if (x.payer >= 0 && column_of[index_of(x.payer)] < 0) {
            column_of[index_of(x.payer)] = 0;
            t.payers.push_back(x.payer);
        }
    std::sort(t.payers.begin(), t.payers.end());
    for (std::size_t k = 0; k < t.payers.size(); ++k) column_of[index_of(t.payers[k])] = static_cast<int>(k);
    const std::size_t payers = t.payers.size();
    t.year_payer.assign(years * payers, 0);
    t.year_total.assign(years, 0);
    t.period_payer.assign(payers, 0);
    for (const YearPayerTotal& x : totals) {
        if (x.year < s.first_year || x.year > s.last_year) continue;
        const std::size_t y = t.year_index(x.year);
        if (x.payer < 0) {
            t.year_total[y] = x.cost;
            t.period_total = add_dong(t.period_total, x.cost);
        } else if (column_of[index_of(x.payer)] >= 0) {
            const auto p = index_of(column_of[index_of(x.payer)]);
            t.year_payer[y * payers + p] = x.cost;
            t.period_payer[p] = add_dong(t.period_payer[p], x.cost);
        }
    }

    t.shown = shown_units(s);
    const std::size_t slots = t.slots();
    t.unit_payer.assign(years * slots * payers, 0);
    t.unit_seen.assign(years * slots, 0);
    t.quarter_payer.assign(years * kQuarterCount * payers, 0);
    t.unit_quarter.assign(years * payers * slots * kQuarterCount, 0);
    t.unit_quarter_seen.assign(years * payers * slots, 0);

    // Rules and commune bills, dense per year.
    std::vector<RuleRow> rule_rows(s.rules.size());
    std::vector<char> rule_seen(s.rules.size(), 0);
    for (std::size_t k = 0; k < s.rules.size(); ++k) {
        rule_rows[k].rule = static_cast<int>(k);
        rule_rows[k].cost.assign(years, 0);
        rule_rows[k].person_months.assign(years, 0);
    }
    std::vector<int> commune_rule_of(s.rules.size(), -1);
    std::vector<int> commune_rules;
    for (std::size_t k = 0; k < s.rules.size(); ++k)
        if (s.payers.at(index_of(s.rules[k].payer)).level == PayerLevel::commune) {
            commune_rule_of[k] = static_cast<int>(commune_rules.size());
            commune_rules.push_back(static_cast<int>(k));
        }
    const std::size_t bill_cells = slots * commune_rules.size();
    std::vector<CommuneBillRow> bill_acc(years * bill_cells);
    std::vector<char> bill_seen(years * bill_cells, 0);

    // The reconciliation form: (group, kind) accumulators per year.
    SupportClassifier classify(s);
    const std::size_t groups = s.groups().size();
    std::vector<ReconciliationRow> form(years * groups * 2);
    std::vector<char> form_present(groups * 2, 0);
    const auto form_cell = [&](std::size_t y, int group, SupportKind k) -> ReconciliationRow& {
        const std::size_t row = index_of(group) * 2 + (k == SupportKind::partial ? 1 : 0);
        form_present[row] = 1;
        return form[y * groups * 2 + row];
    };
    for (const CohortCost& c : r.cohort_costs) {
        if (c.year < s.first_year || c.year > s.last_year) continue;
        ReconciliationRow& row = form_cell(t.year_index(c.year), c.group, classify.kind(c.year, c.unit, c.group));
        row.person_months = add_dong(row.person_months, c.person_months);
        row.due = add_dong(row.due, c.contribution_due);
    }

    int cached_year = 0, cached_unit = -1, cached_group = -1;
    SupportKind cached_kind = SupportKind::full;
    for (const BudgetLine& l : r.lines) {
        if (l.year < s.first_year || l.year > s.last_year) continue;
        const std::size_t y = t.year_index(l.year);
        const auto& done = t.transferred[y];
        Dong transferred = 0;
        for (int q = 0; q < kQuarterCount; ++q)
            if (done[index_of(q)]) transferred = add_dong(transferred, l.quarter_cost[index_of(q)]);
        t.period_transferred = add_dong(t.period_transferred, transferred);

        RuleRow& rr = rule_rows.at(index_of(l.rule));
        rule_seen[index_of(l.rule)] = 1;
        rr.cost[y] = add_dong(rr.cost[y], l.cost);
        rr.person_months[y] = add_dong(rr.person_months[y], l.person_months);
        rr.total = add_dong(rr.total, l.cost);

        const int column = column_of.at(index_of(l.payer));
        const int slot = t.shown.slot_of.at(index_of(l.unit));
        if (slot >= 0) {
            const auto sl = index_of(slot);
            t.unit_seen[y * slots + sl] = 1;
            if (column >= 0) {
                const auto p = index_of(column);
                Dong& cell = t.unit_payer[(y * slots + sl) * payers + p];
                cell = add_dong(cell, l.cost);
                t.unit_quarter_seen[(y * payers + p) * slots + sl] = 1;
                for (int q = 0; q < kQuarterCount; ++q) {
                    Dong& uq = t.unit_quarter[((y * payers + p) * slots + sl) * kQuarterCount + index_of(q)];
                    uq = add_dong(uq, l.quarter_cost[index_of(q)]);
                }
            }
            const int cr = commune_rule_of[index_of(l.rule)];
            if (cr >= 0) {
                const std::size_t cell = y * bill_cells + sl * commune_rules.size() + index_of(cr);
                CommuneBillRow& b = bill_acc[cell];
                if (!bill_seen[cell]) b = {l.year, slot, l.rule, 0, 0};
                bill_seen[cell] = 1;
                b.person_months = add_dong(b.person_months, l.person_months);
                b.cost = add_dong(b.cost, l.cost);
            }
        }
        if (column >= 0)
            for (int q = 0; q < kQuarterCount; ++q) {
                Dong& cell = t.quarter_payer[(y * kQuarterCount + index_of(q)) * payers + index_of(column)];
                cell = add_dong(cell, l.quarter_cost[index_of(q)]);
            }

        if (l.year != cached_year || l.unit != cached_unit || l.group != cached_group) {
            cached_year = l.year;
            cached_unit = l.unit;
            cached_group = l.group;
            cached_kind = classify.kind(l.year, l.unit, l.group);
        }
        ReconciliationRow& row = form_cell(y, l.group, cached_kind);
        Dong& level = row.state_by_level[index_of(level_column(s.payers.at(index_of(l.payer)).level))];
        level = add_dong(level, l.cost);
        row.state = add_dong(row.state, l.cost);
        row.transferred = add_dong(row.transferred, transferred);
    }

    for (std::size_t k = 0; k < rule_rows.size(); ++k)
        if (rule_seen[k]) t.rules.push_back(std::move(rule_rows[k]));
    for (std::size_t i = 0; i < bill_acc.size(); ++i)
        if (bill_seen[i]) t.commune_bills.push_back(bill_acc[i]);

    // Coverage: shown units and every unit above them.
    std::vector<char> covered(s.units().size(), 0);
    for (int u : t.shown.units)
        for (int a = u, steps = 0; a >= 0 && steps <= static_cast<int>(s.units().size()); a = s.units()[index_of(a)].parent, ++steps)
            covered[index_of(a)] = 1;
    for (const CoverageRow& c : r.coverage)
        if (c.unit >= 0 && index_of(c.unit) < covered.size() && covered[index_of(c.unit)]) t.coverage.push_back(&c);

    t.unit_period_cost.assign(s.units().size(), 0);
    t.unit_period_seen.assign(s.units().size(), 0);
    for (const BudgetLine& l : r.lines) {
        const std::size_t u = index_of(l.unit);
        t.unit_period_cost.at(u) = add_dong(t.unit_period_cost[u], l.cost);
        t.unit_period_seen[u] = 1;
    }

    for (std::size_t y = 0; y < years; ++y) {
        ReconciliationYear block;
        block.year = t.years[y];
        for (std::size_t g = 0; g < groups; ++g)
            for (int k = 0; k < 2; ++k) {
                if (!form_present[g * 2 + index_of(k)]) continue;
                ReconciliationRow row = form[y * groups * 2 + g * 2 + index_of(k)];
                row.group = static_cast<int>(g);
                row.kind = k == 0 ? SupportKind::full : SupportKind::partial;
                row.show_kind = classify.partly_supported_category(static_cast<int>(g));
                ReconciliationRow& total = block.total;
                total.person_months = add_dong(total.person_months, row.person_months);
                total.due = add_dong(total.due, row.due);
                for (std::size_t v = 0; v < kLevelCount; ++v)
                    total.state_by_level[v] = add_dong(total.state_by_level[v], row.state_by_level[v]);
                total.state = add_dong(total.state, row.state);
                total.transferred = add_dong(total.transferred, row.transferred);
                block.rows.push_back(row);
            }
        t.reconciliation.push_back(std::move(block));
    }
    return t;
}

// ---- one year at a time -------------------------------------------------------------------

namespace {

/// What tells condensed rows apart: everything the tables read of a row but its unit,
/// which only counts through its shown slot and its kind of support.
struct CondensedKey {
    int year, slot, group, rule, payer;
    bool partial;
    bool operator==(const CondensedKey&) const = default;
};

struct CondensedKeyHash {
    std::size_t operator()(const CondensedKey& k) const noexcept {
        std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the fields
        for (const int v : {k.year, k.slot, k.group, k.rule, k.payer, k.partial ? 1 : 0}) {
            h ^= static_cast<std::uint32_t>(v);
            h *= 1099511628211ull;
        }
        return static_cast<std::size_t>(h);
    }
};

}  // namespace

/// Where a condensed row is: a dense table for the current year, by shown slot, group,
/// rule (none for cohort rows) and kind of support, emptied when the year changes; and a
/// hash map of every key, for a payer other than the one a cell holds and for a year met
/// again.
struct TablesInput::Index {
    std::unordered_map<CondensedKey, std::size_t, CondensedKeyHash> lines;    ///< → row of condensed_.lines
    std::unordered_map<CondensedKey, std::size_t, CondensedKeyHash> cohorts;  ///< → row of condensed_.cohort_costs
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    std::size_t slots = 0, groups = 0, rules = 0;
    int year = std::numeric_limits<int>::min();  ///< the year the dense tables hold
    std::vector<std::uint32_t> line_row;    ///< [((slot × groups + group) × rules + rule) × 2 + partial]
    std::vector<std::uint32_t> cohort_row;  ///< [(slot × groups + group) × 2 + partial]

    /// Starts the dense tables on `y` (the rows of other years stay reachable by hash).
    void begin_year(int y) {
        if (y == year) return;
        year = y;
        std::fill(line_row.begin(), line_row.end(), kNone);
        std::fill(cohort_row.begin(), cohort_row.end(), kNone);
    }
};

TablesInput::TablesInput(const Scenario& s)
    : s_(s),
      shown_(shown_units(s)),
      classify_(s),
      unit_cost_(s.units().size(), 0),
      unit_seen_(s.units().size(), 0),
      index_(std::make_unique<Index>()) {
    condensed_.scenario = &s;
    Index& x = *index_;
    x.slots = shown_.units.size();
    x.groups = s.groups().size();
    x.rules = s.rules.size();
    // A dense table only while it stays small (600 shown communes, 20 groups, 40 rules:
    // 960,000 cells of 4 bytes); beyond that, the hash map alone.
    constexpr std::size_t kMaxDense = std::size_t{1} << 20;
    if (x.slots > 0 && x.groups > 0 && x.rules > 0 && x.slots * x.groups <= kMaxDense / 2 &&
        x.slots * x.groups * x.rules <= kMaxDense / 2) {
        x.line_row.assign(x.slots * x.groups * x.rules * 2, Index::kNone);
        x.cohort_row.assign(x.slots * x.groups * 2, Index::kNone);
    }
}

TablesInput::~TablesInput() = default;

namespace {

/// The row of `into` summed under `key`: the one the dense cell `dense` (if any) holds
/// when `same` accepts it, else the one `hashed` finds; a new row (a copy of `row`) when
/// neither has it. An empty cell is given the row. Returns the row and whether it is new.
template <class Rows, class Row = typename Rows::value_type, class Same>
std::pair<Row*, bool> condensed_row(Rows& into, std::uint32_t* dense, const CondensedKey& key,
                                    std::unordered_map<CondensedKey, std::size_t, CondensedKeyHash>& hashed,
                                    const Row& row, Same same) {
    constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    if (dense != nullptr && *dense != kNone && same(into[*dense])) return {&into[*dense], false};
    const auto [it, fresh] = hashed.try_emplace(key, into.size());
    if (fresh) into.push_back(row);
    if (dense != nullptr && *dense == kNone && it->second < kNone) *dense = static_cast<std::uint32_t>(it->second);
    return {&into[it->second], fresh};
}

}  // namespace

void TablesInput::add(const Results& part) {
    Index& x = *index_;
    const bool dense = !x.line_row.empty();
    for (const CohortCost& c : part.cohort_costs) {
        const bool partial = classify_.kind(c.year, c.unit, c.group) == SupportKind::partial;
        const int slot = shown_.slot_of.at(index_of(c.unit));
        const CondensedKey key{c.year, slot, c.group, -1, -1, partial};
        std::uint32_t* cell = nullptr;
        if (dense && slot >= 0) {
            x.begin_year(c.year);
            cell = &x.cohort_row[(index_of(slot) * x.groups + index_of(c.group)) * 2 + (partial ? 1 : 0)];
        }
        const auto [into, fresh] =
            condensed_row(condensed_.cohort_costs, cell, key, x.cohorts, c, [](const CohortCost&) { return true; });
        if (fresh) continue;
        into->person_months = add_dong(into->person_months, c.person_months);
        into->contribution_due = add_dong(into->contribution_due, c.contribution_due);
        into->state_paid = add_dong(into->state_paid, c.state_paid);
    }
    for (const BudgetLine& l : part.lines) {
        const std::size_t u = index_of(l.unit);
        unit_cost_.at(u) = add_dong(unit_cost_[u], l.cost);
        unit_seen_[u] = 1;
        const bool partial = classify_.kind(l.year, l.unit, l.group) == SupportKind::partial;
        const int slot = shown_.slot_of.at(u);
        const CondensedKey key{l.year, slot, l.group, l.rule, l.payer, partial};
        std::uint32_t* cell = nullptr;
        if (dense && slot >= 0) {
            x.begin_year(l.year);
            cell = &x.line_row[((index_of(slot) * x.groups + index_of(l.group)) * x.rules + index_of(l.rule)) * 2 +
                               (partial ? 1 : 0)];
        }
        const auto [into, fresh] = condensed_row(condensed_.lines, cell, key, x.lines, l,
                                                 [&](const BudgetLine& r) { return r.payer == l.payer; });
        if (fresh) continue;
        into->person_months = add_dong(into->person_months, l.person_months);
        for (std::size_t q = 0; q < into->quarter_cost.size(); ++q)
            into->quarter_cost[q] = add_dong(into->quarter_cost[q], l.quarter_cost[q]);
        into->cost = add_dong(into->cost, l.cost);
    }
}

void TablesInput::fill_unit_costs(ReportTables& t) const {
    t.unit_period_cost = unit_cost_;
    t.unit_period_seen = unit_seen_;
}

// ---- coverage ----------------------------------------------------------------------------

std::int64_t gap_persons(const CoverageRow& row) {
    if (!row.target) return 0;
    if (row.target->scale < 0 || row.target->scale > Decimal::kMaxScale)
        throw std::invalid_argument("decimal scale out of range");
    // Worked in units of 1 / (10^4 · 10^scale) person.
    const __int128 target_scale = power_of_ten(row.target->scale);
    const __int128 needed = static_cast<__int128>(row.target->units) * row.population * kHeadcountScale;
    const __int128 have = static_cast<__int128>(row.enrolled) * target_scale;
    const __int128 gap = needed - have;
    if (gap <= 0) return 0;
    const __int128 unit = target_scale * kHeadcountScale;
    return static_cast<std::int64_t>((gap + unit - 1) / unit);
}

// ---- assumptions ---------------------------------------------------------------------

bool AssumptionRow::assumed() const {
    return provenance != nullptr &&
           (provenance->confidence == Confidence::assumption || provenance->confidence == Confidence::illustrative);
}

std::string AssumptionRow::shown_text(Lang lang) const {
    std::string shown = value;
    if (lang == Lang::vi)
        for (char& c : shown) c = c == '.' ? ',' : c == ';' ? ' ' : c;
    return shown;
}

std::vector<AssumptionRow> assumption_rows(const Scenario& s, Lang lang) {
    std::vector<AssumptionRow> rows;
    const auto add = [&](std::string kind, std::string id, std::string label, Date from, const Provenance& p) {
        AssumptionRow a;
        a.kind = std::move(kind);
        a.id = std::move(id);
        a.label = std::move(label);
        a.from = from;
        a.provenance = &p;
        rows.push_back(std::move(a));
        return &rows.back();
    };
    const Parameters& p = s.parameters;
    for (const auto& e : p.base_salary.entries) {
        AssumptionRow* a = add("base_salary", "base_salary", i18n::tr_in(lang, "report.param.base_salary"), e.from, e.provenance);
        a->value = std::to_string(e.value);
        a->type = AssumptionRow::Type::money;
        a->money = e.value;
    }
    for (const auto& e : p.contribution_rate.entries) {
        AssumptionRow* a = add("contribution_rate", "contribution_rate", i18n::tr_in(lang, "report.param.contribution_rate"),
                               e.from, e.provenance);
        a->value = e.value.to_percent_string();
        a->type = AssumptionRow::Type::share;
        a->share = e.value;
    }
    for (const auto& e : p.household_reduction.entries) {
        AssumptionRow* a = add("household_reduction", "household_reduction",
                               i18n::tr_in(lang, "report.param.household_reduction"), e.from, e.provenance);
        for (const Decimal& d : e.value) {
            if (!a->value.empty()) a->value += ';';
            a->value += d.to_percent_string();
        }
    }
    for (const EnrolmentRate& e : s.enrolment) {
        std::string id = s.groups().at(index_of(e.group)).id;
        std::string label = i18n::tr_in(lang, "report.param.enrolment_rate", {group_label(s, e.group, lang)});
        if (e.unit >= 0) {
            id += ":" + s.units().at(index_of(e.unit)).code;
            label += " (" + s.units().at(index_of(e.unit)).name + ")";
        }
        AssumptionRow* a = add("enrolment_rate", std::move(id), std::move(label), e.from, e.provenance);
        a->value = e.share.to_percent_string();
        a->type = AssumptionRow::Type::share;
        a->share = e.share;
    }
    for (const GrowthRate& g : s.growth) {
        AssumptionRow* a = add("growth_rate", s.groups().at(index_of(g.group)).id,
                               i18n::tr_in(lang, "report.param.growth_rate", {group_label(s, g.group, lang)}), g.from,
                               g.provenance);
        a->value = g.rate.to_percent_string();
        a->type = AssumptionRow::Type::share;
        a->share = g.rate;
    }
    // Modelled enrolment: take-up curves and ramps (their figures are responses, not data).
    const Date first_day{s.first_year, 1, 1};
    for (const TakeupEntry& t : s.takeup) {
        AssumptionRow* a = add("takeup", s.groups().at(index_of(t.group)).id,
                               i18n::tr_in(lang, "report.param.takeup", {group_label(s, t.group, lang)}), first_day,
                               t.provenance);
        const auto pct = [](double r) { return fixed_point(static_cast<std::int64_t>(std::llround(r * 10000)), 2) + "%"; };
        const dynamics::TakeupSpec& sp = t.spec;
        a->value = std::string(sp.shape == dynamics::TakeupShape::logistic ? "logistic" : "piecewise_linear") +
                   ";observed=" + pct(sp.observed_rate) + ";baseline_out_of_pocket=" + std::to_string(sp.baseline_out_of_pocket);
        if (sp.shape == dynamics::TakeupShape::logistic)
            a->value += ";slope_per_million=" + fixed_point(static_cast<std::int64_t>(std::llround(sp.slope_per_million * 10000)), 4);
        else
            for (const dynamics::PricePoint& pt : sp.points) {
                // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on ";" + std::to_string(…).
                a->value += ';';
                a->value += std::to_string(pt.out_of_pocket);
                a->value += '=';
                a->value += pct(pt.rate);
            }
        a->value += ";ceiling=" + pct(sp.ceiling) + ";jump_at_zero=" + pct(sp.jump_at_zero);
        if (t.retention) a->value += ";retention_years=" + std::to_string(t.retention_form.years);
    }
    for (const EnrolmentRamp& r : s.ramps) {
        std::string id = s.groups().at(index_of(r.group)).id;
        std::string label = i18n::tr_in(lang, "report.param.ramp", {group_label(s, r.group, lang)});
        if (r.unit >= 0) {
            id += ":" + s.units().at(index_of(r.unit)).code;
            label += " (" + s.units().at(index_of(r.unit)).name + ")";
        }
        AssumptionRow* a = add("enrolment_ramp", std::move(id), std::move(label), Date{r.from_year, 1, 1}, r.provenance);
        a->value = "target=" + r.target.to_percent_string() + ";close=" + r.close.to_percent_string();
    }
    if (s.data && s.data->demography) {
        const Demography& d = *s.data->demography;
        AssumptionRow* a = add("demography", "demography", i18n::tr_in(lang, "report.param.demography"),
                               Date{d.base_year, 1, 1}, d.provenance);
        a->value = "base_year=" + std::to_string(d.base_year);
        for (const Demography::Migration& m : d.migration) {
            std::string id = "all", where = i18n::tr_in(lang, "report.param.every_unit");
            if (m.unit >= 0) {
                id = s.units().at(index_of(m.unit)).code;
                where = s.units().at(index_of(m.unit)).name;
            }
            AssumptionRow* mig = add("migration", std::move(id), i18n::tr_in(lang, "report.param.migration", {where}),
                                     Date{m.from_year, 1, 1}, m.provenance);
            mig->value = m.rate_text;
        }
    }
    for (std::size_t k = 0; k < s.rules.size(); ++k) {
        const Rule& rule = s.rules[k];
        AssumptionRow* a = add("rule", rule.id, rule_label(s, static_cast<int>(k), lang), rule.from, rule.provenance);
        a->to = rule.to;
        a->payer = rule.payer;
        if (rule.share) {
            a->value = rule.share->to_percent_string();
            a->type = AssumptionRow::Type::share;
            a->share = *rule.share;
        } else if (rule.amount) {
            a->value = std::to_string(*rule.amount);
            a->type = AssumptionRow::Type::money;
            a->money = *rule.amount;
        }
    }
    return rows;
}

// ---- labels ------------------------------------------------------------------------------

namespace {

std::string text_or_id(const Text& text, Lang lang, const std::string& id) {
    const std::string& t = text.in(lang);
    return t.empty() ? id : t;
}

}  // namespace

std::string group_label(const Scenario& s, int group, Lang lang) {
    const Group& g = s.groups().at(index_of(group));
    return text_or_id(g.name, lang, g.id);
}

std::string rule_label(const Scenario& s, int rule, Lang lang) {
    const Rule& r = s.rules.at(index_of(rule));
    return text_or_id(r.label, lang, r.id);
}

std::string payer_label(const Scenario& s, int payer, Lang lang) {
    const Payer& p = s.payers.at(index_of(payer));
    return text_or_id(p.name, lang, p.id);
}

std::string reconciliation_label(const Scenario& s, const ReconciliationRow& row, Lang lang) {
    const std::string name = group_label(s, row.group, lang);
    if (!row.show_kind) return name;
    return i18n::tr_in(lang, row.kind == SupportKind::full ? "report.kind.full" : "report.kind.partial", {name});
}

std::string total_label(const Scenario& s, const ShownUnits& shown, Lang lang) {
    if (shown.roots.size() == 1) return i18n::tr_in(lang, "report.total_of", {s.units().at(index_of(shown.roots.front())).name});
    return i18n::tr_in(lang, "report.total");
}

std::string unit_level_heading(const ShownUnits& shown, Lang lang) {
    switch (shown.level) {
        case UnitLevel::commune: return i18n::tr_in(lang, "report.level.commune");
        case UnitLevel::district: return i18n::tr_in(lang, "report.level.district");
        case UnitLevel::province: return i18n::tr_in(lang, "report.level.province");
    }
    return i18n::tr_in(lang, "report.level.commune");
}

std::string grouped_text(std::int64_t v, Lang lang) { return format_grouped(v, lang == Lang::vi ? '.' : ','); }

std::string hundredths_text(std::int64_t hundredths, Lang lang) {
    const std::uint64_t magnitude = magnitude64(hundredths);
    std::string text = hundredths < 0 ? "-" : "";
    text += format_grouped(static_cast<std::int64_t>(magnitude / 100), lang == Lang::vi ? '.' : ',');
    text += lang == Lang::vi ? ',' : '.';
    const auto cents = static_cast<int>(magnitude % 100);
    text += static_cast<char>('0' + cents / 10);
    text += static_cast<char>('0' + cents % 10);
    return text;
}

std::string date_label(Date d, Lang lang) { return date_text(d, lang); }

std::int64_t yearly_hundredths(Headcount person_months) {
    constexpr std::uint64_t kPerYearlyHundredth = (kHeadcountScale / 100) * kMonthsPerYear;
    return divide_half_up_64(person_months, kPerYearlyHundredth);
}

}  // namespace report_detail
}  // namespace subsim
