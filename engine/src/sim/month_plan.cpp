#include "month_plan.hpp"

#include <algorithm>
#include <tuple>

namespace subsim::detail {

Decimal MonthState::enrolment(int group, int unit) const {
    const auto& specific = enrol_unit[static_cast<std::size_t>(group)];
    if (!specific.empty()) {
        auto it = std::lower_bound(specific.begin(), specific.end(), unit,
                                   [](const auto& p, int u) { return p.first < u; });
        if (it != specific.end() && it->first == unit) return it->second;
    }
    return enrol_group[static_cast<std::size_t>(group)];
}

MonthState month_state(const Scenario& s, int year, int month) {
    const Date d{year, month, 1};
    MonthState st;
    const auto* salary = s.parameters.base_salary.at(d);
    const auto* rate = s.parameters.contribution_rate.at(d);
    if (salary == nullptr || rate == nullptr) {
        const SourceLocation where =
            salary == nullptr
                ? (s.parameters.base_salary.entries.empty() ? s.where : s.parameters.base_salary.entries.front().where)
                : (s.parameters.contribution_rate.entries.empty() ? s.where
                                                                   : s.parameters.contribution_rate.entries.front().where);
        throw ScenarioError(where, salary == nullptr ? "parameters.base_salary" : "parameters.contribution_rate",
                            std::string(salary == nullptr ? "no base salary" : "no contribution rate") +
                                " is in force on " + d.to_string() + " (simulated years " +
                                std::to_string(s.first_year) + "–" + std::to_string(s.last_year) + ")");
    }
    st.contribution = exact_product(rate->value, Decimal::whole(salary->value));

    const std::size_t rules = s.rules.size();
    st.rule_in_force.assign(rules, 0);
    st.rule_amount.assign(rules, 0);
    for (std::size_t r = 0; r < rules; ++r) {
        const Rule& rule = s.rules[r];
        if (!rule.in_force(d)) continue;
        st.rule_in_force[r] = 1;
        st.rule_amount[r] = rule.amount ? *rule.amount
                                        : round_product(st.contribution, *rule.share, s.parameters.rounding);
    }

    const std::size_t groups = s.groups.size();
    st.enrol_group.assign(groups, s.default_enrolment);
    st.enrol_unit.assign(groups, {});
    std::vector<Date> group_from(groups, Date{0, 1, 1});
    std::vector<char> group_set(groups, 0);
    for (const auto& e : s.enrolment) {
        if (d < e.from) continue;
        const auto g = static_cast<std::size_t>(e.group);
        if (e.unit < 0) {
            if (!group_set[g] || group_from[g] <= e.from) {
                st.enrol_group[g] = e.share;
                group_from[g] = e.from;
                group_set[g] = 1;
            }
        } else {
            st.enrol_unit[g].emplace_back(e.unit, e.share);
        }
    }
    // Unit-specific: keep, per unit, the entry with the latest `from` (stable on ties: last wins).
    for (std::size_t g = 0; g < groups; ++g) {
        auto& v = st.enrol_unit[g];
        if (v.empty()) continue;
        std::vector<std::tuple<int, Date, std::size_t, Decimal>> tmp;
        std::size_t idx = 0;
        for (const auto& e : s.enrolment)
            if (e.unit >= 0 && static_cast<std::size_t>(e.group) == g && !(d < e.from))
                tmp.emplace_back(e.unit, e.from, idx++, e.share);
        std::sort(tmp.begin(), tmp.end(), [](const auto& a, const auto& b) {
            if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
            if (std::get<1>(a) != std::get<1>(b)) return std::get<1>(a) < std::get<1>(b);
            return std::get<2>(a) < std::get<2>(b);
        });
        v.clear();
        for (const auto& t : tmp) {
            if (!v.empty() && v.back().first == std::get<0>(t)) v.back().second = std::get<3>(t);
            else v.emplace_back(std::get<0>(t), std::get<3>(t));
        }
    }
    return st;
}

std::vector<Segment> plan_year(const Scenario& s, int year) {
    std::vector<Segment> out;
    for (int m = 1; m <= 12; ++m) {
        MonthState st = month_state(s, year, m);
        const int q = s.quarter_of_month[static_cast<std::size_t>(m - 1)];
        if (!out.empty() && out.back().state == st) {
            Segment& seg = out.back();
            seg.last_month = m;
            ++seg.months;
            ++seg.months_in_quarter[static_cast<std::size_t>(q)];
            continue;
        }
        Segment seg;
        seg.year = year;
        seg.first_month = seg.last_month = m;
        seg.months = 1;
        seg.months_in_quarter[static_cast<std::size_t>(q)] = 1;
        seg.state = std::move(st);
        out.push_back(std::move(seg));
    }
    return out;
}

}  // namespace subsim::detail
