// Every aggregate is a sum of budget lines (checked integer addition), so totals
// reconcile with their parts to the đồng by construction.
#include <algorithm>
#include <map>
#include <tuple>

#include "subsim/model/scenario.hpp"
#include "subsim/sim/results.hpp"

namespace subsim {

std::vector<YearPayerTotal> totals_by_year_payer(const Results& r) {
    const int payers = r.scenario ? static_cast<int>(r.scenario->payers.size()) : 0;
    std::map<int, std::vector<Dong>> by_year;
    std::vector<Dong>* v = nullptr;
    int v_year = 0;
    for (const auto& l : r.lines) {
        if (v == nullptr || l.year != v_year) {  // lines come sorted by year: look up rarely
            v_year = l.year;
            v = &by_year[l.year];
            if (v->empty()) v->assign(static_cast<std::size_t>(payers), 0);
        }
        (*v)[static_cast<std::size_t>(l.payer)] = add_dong((*v)[static_cast<std::size_t>(l.payer)], l.cost);
    }
    std::vector<YearPayerTotal> out;
    if (r.scenario) {  // every simulated year appears, even with no cost
        for (int y = r.scenario->first_year; y <= r.scenario->last_year; ++y)
            if (by_year[y].empty()) by_year[y].assign(static_cast<std::size_t>(payers), 0);
    }
    for (const auto& [year, v] : by_year) {
        Dong total = 0;
        for (int p = 0; p < payers; ++p) {
            const Dong c = v[static_cast<std::size_t>(p)];
            total = add_dong(total, c);
            const auto& payer = r.scenario->payers[static_cast<std::size_t>(p)];
            // Built-in payers no rule uses are left out; declared ones always appear.
            bool used = payer.declared;
            for (const auto& rule : r.scenario->rules) used = used || rule.payer == p;
            if (used) out.push_back({year, p, c});
        }
        out.push_back({year, -1, total});
    }
    return out;
}

namespace {

/// Per-year dense sums over cells of `cells_per_year`, remembering which cells had a line.
/// Indexing by the output order avoids ordered maps of ~10^5 keys on national runs.
class YearTables {
public:
    explicit YearTables(std::size_t cells_per_year) : cells_(cells_per_year) {}
    void add(int year, std::size_t cell, Dong cost) {
        if (current_ == nullptr || year != current_year_) {  // lines come sorted by year: look up rarely
            current_year_ = year;
            current_ = &tables_[year];
            if (current_->cost.empty()) {
                current_->cost.assign(cells_, 0);
                current_->seen.assign(cells_, 0);
            }
        }
        current_->cost[cell] = add_dong(current_->cost[cell], cost);
        current_->seen[cell] = 1;
    }
    /// Calls f(year, cell, cost) for every cell that had a line, in (year, cell) order.
    template <class F>
    void for_each(F f) const {
        for (const auto& [year, t] : tables_)
            for (std::size_t c = 0; c < cells_; ++c)
                if (t.seen[c]) f(year, c, t.cost[c]);
    }

private:
    struct Table {
        std::vector<Dong> cost;
        std::vector<unsigned char> seen;
    };
    std::size_t cells_;
    std::map<int, Table> tables_;  // node-based: current_ stays valid as years are added
    Table* current_ = nullptr;
    int current_year_ = 0;
};

}  // namespace

std::vector<UnitPayerTotal> totals_by_unit(const Results& r) {
    if (!r.scenario) return {};
    const std::size_t payers = r.scenario->payers.size();
    YearTables t(r.scenario->units().size() * payers);  // cell = unit × payers + payer
    for (const auto& l : r.lines)
        t.add(l.year, static_cast<std::size_t>(l.unit) * payers + static_cast<std::size_t>(l.payer), l.cost);
    std::vector<UnitPayerTotal> out;
    t.for_each([&](int year, std::size_t cell, Dong cost) {
        out.push_back({year, static_cast<int>(cell / payers), static_cast<int>(cell % payers), cost});
    });
    return out;
}

std::vector<QuarterTotal> totals_by_quarter(const Results& r) {
    if (!r.scenario) return {};
    const std::size_t payers = r.scenario->payers.size();
    const std::size_t units = r.scenario->units().size();
    // A line's four quarters sit side by side: cell = (payer × units + unit) × 4 + quarter;
    // the rows come out in (year, quarter, payer, unit) order all the same.
    const std::size_t cells = payers * units * 4;
    std::map<int, std::vector<Dong>> cost;  // per year
    std::map<int, std::vector<unsigned char>> seen;  // per year and (payer, unit)
    Dong* c = nullptr;
    unsigned char* any = nullptr;
    int year = 0;
    for (const BudgetLine& l : r.lines) {
        if (c == nullptr || l.year != year) {  // lines come sorted by year: look up rarely
            year = l.year;
            std::vector<Dong>& v = cost[year];
            std::vector<unsigned char>& w = seen[year];
            if (v.empty()) {
                v.assign(cells, 0);
                w.assign(payers * units, 0);
            }
            c = v.data();
            any = w.data();
        }
        const std::size_t pu = static_cast<std::size_t>(l.payer) * units + static_cast<std::size_t>(l.unit);
        Dong* q = c + pu * 4;
        for (std::size_t k = 0; k < 4; ++k) q[k] = add_dong(q[k], l.quarter_cost[k]);
        any[pu] = 1;
    }
    std::vector<QuarterTotal> out;
    for (const auto& [y, v] : cost) {
        const std::vector<unsigned char>& w = seen[y];
        for (std::size_t k = 0; k < 4; ++k)
            for (std::size_t pu = 0; pu < payers * units; ++pu)
                if (w[pu])
                    out.push_back({y, static_cast<int>(k), static_cast<int>(pu / units), static_cast<int>(pu % units), v[pu * 4 + k]});
    }
    return out;
}

std::vector<RuleTransfer> rule_transfers(const Results& r) {
    if (!r.scenario) return {};
    const Scenario& s = *r.scenario;
    const std::size_t rules = s.rules.size(), groups = s.groups().size();
    // Which rules cover which groups, and (once per unit, whatever the year) which rules'
    // conditions a unit meets.
    std::vector<char> covers(rules * groups, 0);
    for (std::size_t i = 0; i < rules; ++i)
        for (int g : s.rules[i].groups)
            if (g >= 0 && static_cast<std::size_t>(g) < groups) covers[i * groups + static_cast<std::size_t>(g)] = 1;
    std::vector<std::vector<char>> matches_of_unit(s.units().size());
    const auto matching = [&](int unit) -> const std::vector<char>& {
        std::vector<char>& m = matches_of_unit.at(static_cast<std::size_t>(unit));
        if (m.empty() && rules > 0) {
            m.resize(rules);
            for (std::size_t i = 0; i < rules; ++i)
                m[i] = s.rules[i].condition.matches(s.units()[static_cast<std::size_t>(unit)]) ? 1 : 0;
        }
        return m;
    };
    std::vector<std::vector<std::size_t>> rules_of(groups);  // the rules covering each group
    for (std::size_t i = 0; i < rules; ++i)
        for (std::size_t g = 0; g < groups; ++g)
            if (covers[i * groups + g] != 0) rules_of[g].push_back(i);
    std::map<std::pair<int, int>, std::pair<Headcount, Headcount>> acc;  // (year, rule) -> gained, lost
    for (const auto& t : r.transfers) {
        const std::vector<char>& matches = matching(t.unit);
        const auto covered = [&](std::size_t rule, int group) {
            return group >= 0 && static_cast<std::size_t>(group) < groups &&
                   covers[rule * groups + static_cast<std::size_t>(group)] != 0;
        };
        // Only rules in force in the transfer's months gain or lose its persons (a rule
        // that ended, or starts later, moves nobody); a rule covering both groups neither.
        const Date first_day{t.year, t.first_month, 1};
        const auto move = [&](int group, int other, bool gained) {
            if (group < 0 || static_cast<std::size_t>(group) >= groups) return;
            for (std::size_t i : rules_of[static_cast<std::size_t>(group)]) {
                if (!matches[i] || covered(i, other) || !s.rules[i].in_force(first_day)) continue;
                auto& a = acc[{t.year, static_cast<int>(i)}];
                if (gained) a.first = add_dong(a.first, t.person_months);
                else a.second = add_dong(a.second, t.person_months);
            }
        };
        move(t.kept_group, t.dropped_group, true);
        move(t.dropped_group, t.kept_group, false);
    }
    std::vector<RuleTransfer> out;
    for (const auto& [k, v] : acc) out.push_back({k.first, k.second, v.first, v.second});
    return out;
}

}  // namespace subsim
