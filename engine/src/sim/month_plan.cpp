#include "month_plan.hpp"

#include <algorithm>

#include "subsim/i18n/i18n.hpp"

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
                            i18n::tr(salary == nullptr ? "parameters.no_base_salary" : "parameters.no_rate",
                                     {d.to_string(), s.first_year, s.last_year}));
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

    // Enrolment: per group, the latest entry on or before `d` (a later entry in the file
    // wins a tie); a unit-specific entry beats the group-wide one.
    const std::size_t groups = s.groups().size();
    st.enrol_group.assign(groups, s.default_enrolment);
    st.enrol_unit.assign(groups, {});
    std::vector<const EnrolmentRate*> group_wide(groups, nullptr);
    std::vector<std::vector<const EnrolmentRate*>> unit_specific(groups);
    for (const auto& e : s.enrolment) {
        if (d < e.from) continue;
        const auto g = static_cast<std::size_t>(e.group);
        if (e.unit < 0) {
            if (group_wide[g] == nullptr || group_wide[g]->from <= e.from) group_wide[g] = &e;
        } else {
            unit_specific[g].push_back(&e);
        }
    }
    for (std::size_t g = 0; g < groups; ++g) {
        if (group_wide[g] != nullptr) st.enrol_group[g] = group_wide[g]->share;
        auto& entries = unit_specific[g];
        // Stable sort by (unit, from): the last entry of each unit is the one in force.
        std::stable_sort(entries.begin(), entries.end(), [](const EnrolmentRate* a, const EnrolmentRate* b) {
            return a->unit != b->unit ? a->unit < b->unit : a->from < b->from;
        });
        for (const EnrolmentRate* e : entries) {
            auto& v = st.enrol_unit[g];
            if (!v.empty() && v.back().first == e->unit) v.back().second = e->share;
            else v.emplace_back(e->unit, e->share);
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
