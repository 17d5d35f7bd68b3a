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
    for (const auto& l : r.lines) {
        auto& v = by_year[l.year];
        if (v.empty()) v.assign(static_cast<std::size_t>(payers), 0);
        v[static_cast<std::size_t>(l.payer)] = add_dong(v[static_cast<std::size_t>(l.payer)], l.cost);
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

std::vector<UnitPayerTotal> totals_by_unit(const Results& r) {
    std::map<std::tuple<int, int, int>, Dong> acc;
    for (const auto& l : r.lines) {
        Dong& c = acc[{l.year, l.unit, l.payer}];
        c = add_dong(c, l.cost);
    }
    std::vector<UnitPayerTotal> out;
    out.reserve(acc.size());
    for (const auto& [k, c] : acc) out.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), c});
    return out;
}

std::vector<QuarterTotal> totals_by_quarter(const Results& r) {
    std::map<std::tuple<int, int, int, int>, Dong> acc;
    for (const auto& l : r.lines)
        for (int q = 0; q < 4; ++q) {
            Dong& c = acc[{l.year, q, l.payer, l.unit}];
            c = add_dong(c, l.quarter_cost[static_cast<std::size_t>(q)]);
        }
    std::vector<QuarterTotal> out;
    out.reserve(acc.size());
    for (const auto& [k, c] : acc) out.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), c});
    return out;
}

std::vector<RuleTransfer> rule_transfers(const Results& r) {
    if (!r.scenario) return {};
    const Scenario& s = *r.scenario;
    std::map<std::pair<int, int>, std::pair<Headcount, Headcount>> acc;  // (year, rule) -> gained, lost
    for (const auto& t : r.transfers) {
        const Unit& unit = s.units[static_cast<std::size_t>(t.unit)];
        for (std::size_t i = 0; i < s.rules.size(); ++i) {
            const Rule& rule = s.rules[i];
            if (!rule.condition.matches(unit)) continue;
            if (rule.covers(t.kept_group) && !rule.covers(t.dropped_group)) {
                auto& a = acc[{t.year, static_cast<int>(i)}];
                a.first = add_dong(a.first, t.person_months);
            } else if (rule.covers(t.dropped_group) && !rule.covers(t.kept_group)) {
                auto& a = acc[{t.year, static_cast<int>(i)}];
                a.second = add_dong(a.second, t.person_months);
            }
        }
    }
    std::vector<RuleTransfer> out;
    for (const auto& [k, v] : acc) out.push_back({k.first, k.second, v.first, v.second});
    return out;
}

}  // namespace subsim
