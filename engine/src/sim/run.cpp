// Running a compiled scenario: one kernel, month segment by month segment, writing into
// a sink. Years are independent and run in parallel on the executor, each into its own
// part of the output, so the output is the same whatever the thread count.
#include "subsim/sim/run.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <future>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <tuple>

#include "compiled_impl.hpp"
#include "subsim/core/executor.hpp"

namespace subsim {

Dong Totals::year_total(int year) const {
    Dong total = 0;
    for (int p = 0; p < payers; ++p) total = add_dong(total, cost(year, p));
    return total;
}

Headcount Totals::insured_average(int year, int leaf) const {
    return round_quotient(insured[static_cast<std::size_t>(year - first_year) * leaves.size() + static_cast<std::size_t>(leaf)],
                          12, Rounding::half_up);
}

namespace {

using Impl = CompiledScenario::Impl;

/// What a run's slot values make of the plan: per year and segment the contribution and
/// each rule's amount per person-month; enrolment shares and group scales by slot.
struct RunValues {
    const SlotValues& values;
    std::vector<std::vector<Decimal>> contribution;        ///< [year][segment]
    std::vector<std::vector<std::vector<Dong>>> amount;    ///< [year][segment][rule], 0 if not in force
    std::vector<Decimal> scale;                            ///< per group
    std::vector<char> scaled;                              ///< per group: scale ≠ 1
    const CompiledScenario::Impl& c;
    /// Take-up groups' enrolment, [year][segment][leaf × curve], to 10⁻⁶.
    std::vector<std::vector<std::vector<Decimal>>> takeup;

    RunValues(const Impl& compiled, const SlotValues& v) : values(v), c(compiled) {
        contribution.resize(static_cast<std::size_t>(c.years));
        amount.resize(static_cast<std::size_t>(c.years));
        for (int y = 0; y < c.years; ++y) {
            for (const SegmentPlan& seg : c.plans[static_cast<std::size_t>(y)]) {
                const Decimal contrib = exact_product(v[static_cast<std::size_t>(seg.rate_slot)], v[static_cast<std::size_t>(seg.salary_slot)]);
                contribution[static_cast<std::size_t>(y)].push_back(contrib);
                std::vector<Dong> amounts(static_cast<std::size_t>(c.rules), 0);
                for (int r = 0; r < c.rules; ++r) {
                    if (!seg.rule_in_force[static_cast<std::size_t>(r)]) continue;
                    const Decimal& value = v[static_cast<std::size_t>(c.rule_slot0 + r)];
                    amounts[static_cast<std::size_t>(r)] =
                        c.slots[static_cast<std::size_t>(c.rule_slot0 + r)].kind == SlotKind::rule_amount
                            ? round_to_dong(value, c.rounding)
                            : round_product(contrib, value, c.rounding);
                }
                amount[static_cast<std::size_t>(y)].push_back(std::move(amounts));
            }
        }
        for (int g = 0; g < c.groups; ++g) {
            scale.push_back(v[static_cast<std::size_t>(c.cohort_scale_slot0 + g)]);
            scaled.push_back(scale.back() == Decimal::one() ? 0 : 1);
        }
        if (!c.curves.empty()) {
            std::vector<std::vector<double>> contrib(contribution.size());
            std::vector<std::vector<std::vector<double>>> amounts(amount.size());
            for (std::size_t y = 0; y < contribution.size(); ++y) {
                for (const Decimal& d : contribution[y]) contrib[y].push_back(d.to_double());
                for (const auto& seg : amount[y]) amounts[y].emplace_back(seg.begin(), seg.end());
            }
            const auto rates = takeup_rates(c, contrib, amounts);
            takeup.resize(rates.size());
            for (std::size_t y = 0; y < rates.size(); ++y)
                for (const auto& seg : rates[y]) {
                    takeup[y].emplace_back();
                    for (double r : seg) takeup[y].back().push_back(Decimal{static_cast<std::int64_t>(std::llround(r * 1e6)), 6});
                }
        }
    }

    /// The enrolment share of a cohort in a segment: its take-up curve's rate, else the
    /// share in force (the unit's own, its nearest ancestor's, the group's, the default).
    const Decimal& enrolment(int year, int seg_index, const SegmentPlan& seg, int group, int unit, int leaf) const {
        const int t = c.takeup_of_group.empty() ? -1 : c.takeup_of_group[static_cast<std::size_t>(group)];
        if (t >= 0)
            return takeup[static_cast<std::size_t>(year)][static_cast<std::size_t>(seg_index)]
                         [static_cast<std::size_t>(leaf) * c.curves.size() + static_cast<std::size_t>(t)];
        const auto& by_unit = seg.enrol_unit_slot[static_cast<std::size_t>(group)];
        if (!by_unit.empty()) {
            const int slot = by_unit[static_cast<std::size_t>(unit)];
            if (slot >= 0) return values[static_cast<std::size_t>(slot)];
        }
        return values[static_cast<std::size_t>(seg.enrol_slot[static_cast<std::size_t>(group)])];
    }
};

/// round(enrolled × contribution) for one month; the contribution is usually whole đồng.
Dong contribution_cost(Headcount enrolled, const Decimal& contribution, Rounding rounding) {
    if (contribution.scale == 0) return line_cost(enrolled, contribution.units, rounding);
    __int128 den = kHeadcountScale;
    for (int i = 0; i < contribution.scale; ++i) den *= 10;
    return round_quotient(static_cast<__int128>(enrolled) * contribution.units, den, rounding);
}

Headcount mul_checked(Headcount a, std::int64_t b) {
    Headcount r;
    if (__builtin_mul_overflow(a, b, &r)) throw ArithmeticOverflow{};
    return r;
}

struct LineAcc {
    Headcount person_months = 0;
    std::array<Dong, 4> quarter_cost{};
};

struct CohortAcc {
    Headcount person_months = 0;  ///< supported months only
    Dong due = 0;
    bool supported = false;
};

/// An overlap as resolved in a segment: who keeps the persons, who drops them.
struct Resolved {
    int kept;
    int dropped;
    Headcount persons;
};

/// Per-thread buffers reused from one unit to the next (no allocation per cell).
struct Scratch {
    std::vector<LineAcc> lines;
    std::vector<CohortAcc> cohorts;
    std::vector<Headcount> base, persons;
    std::vector<Resolved> resolved;
};

/// Costs one year of a compiled scenario into `sink` (ExactYear or TotalsYear).
template <class Sink>
class YearKernel {
public:
    YearKernel(const Impl& c, const RunValues& v, int year_index, Sink& sink)
        : c_(c), v_(v), y_(year_index), year_(c.first_year + year_index), sink_(sink) {}

    void run() {
        Scratch scratch;
        for (std::size_t leaf = 0; leaf < c_.leaves.size(); ++leaf) cost_unit(scratch, static_cast<int>(leaf));
    }

private:
    /// State amount per person-month of a group's package in a unit and segment.
    Dong package_amount(int seg, int group, int unit) const {
        const auto& plan = c_.plans[static_cast<std::size_t>(y_)][static_cast<std::size_t>(seg)];
        const auto& amounts = v_.amount[static_cast<std::size_t>(y_)][static_cast<std::size_t>(seg)];
        Dong total = 0;
        for (int r : c_.rules_of_group[static_cast<std::size_t>(group)])
            if (plan.rule_in_force[static_cast<std::size_t>(r)] && c_.applies(r, unit))
                total = add_dong(total, amounts[static_cast<std::size_t>(r)]);
        return total;
    }

    Headcount inflow_persons(int leaf, int group, int month) const {
        const int idx = YearMonth{year_, month}.index();
        const int duration = c_.duration[static_cast<std::size_t>(group)];
        Headcount total = 0;
        for (const InflowRef& f : c_.inflows[static_cast<std::size_t>(leaf)])
            if (f.group == group && f.month_index <= idx && idx < f.month_index + duration) total = add_dong(total, f.persons);
        return total;
    }

    /// The highest-benefit rule: persons in two groups get the package with the higher
    /// state amount per person-month in the segment; on a tie, the group declared first.
    /// Works out who keeps whom, and records the persons moved (`months` months).
    void resolve_overlaps(int seg, int leaf, int unit, int months, std::vector<Resolved>& out) {
        const auto& plan = c_.plans[static_cast<std::size_t>(y_)][static_cast<std::size_t>(seg)];
        out.clear();
        for (const OverlapRef& o : c_.overlaps[c_.year_leaf(y_, leaf)]) {
            const Dong a = package_amount(seg, o.group_a, unit);
            const Dong b = package_amount(seg, o.group_b, unit);
            const bool a_wins = a > b || (a == b && o.group_a < o.group_b);
            const int kept = a_wins ? o.group_a : o.group_b;
            const int dropped = a_wins ? o.group_b : o.group_a;
            out.push_back({kept, dropped, o.persons});
            const Headcount enrolled = apply_share(o.persons, v_.enrolment(y_, seg, plan, kept, unit, leaf));
            sink_.transfer(year_, unit, kept, dropped, mul_checked(enrolled, months), plan.first_month);
        }
    }

    /// Takes the persons of overlaps out of the groups that drop them (`monthly`: only the
    /// groups whose persons change month by month, else only the others). compile()
    /// proved every group holds its overlaps at the scenario's own values; scaled groups
    /// (sensitivity) stop at zero.
    void apply_overlaps(const std::vector<Resolved>& resolved, std::vector<Headcount>& persons, bool monthly) const {
        for (const Resolved& r : resolved) {
            if ((c_.monthly[static_cast<std::size_t>(r.dropped)] != 0) != monthly) continue;
            Headcount& p = persons[static_cast<std::size_t>(r.dropped)];
            p -= std::min(p, r.persons);
        }
    }

    /// Costs `months` identical months (split by quarter) for one unit and its groups
    /// (`monthly_only`: only those whose persons change month by month; the others have
    /// none in a month of their own, and costing nobody changes nothing).
    void cost_months(int seg, int unit, const std::vector<Headcount>& persons, int months,
                     const std::array<int, 4>& in_quarter, Scratch& s, Headcount& insured_pm, bool monthly_only) {
        const auto& plan = c_.plans[static_cast<std::size_t>(y_)][static_cast<std::size_t>(seg)];
        const auto& amounts = v_.amount[static_cast<std::size_t>(y_)][static_cast<std::size_t>(seg)];
        const Decimal& contribution = v_.contribution[static_cast<std::size_t>(y_)][static_cast<std::size_t>(seg)];
        for (int g = 0; g < c_.groups; ++g) {
            if (monthly_only && c_.monthly[static_cast<std::size_t>(g)] == 0) continue;
            const Headcount enrolled = apply_share(persons[static_cast<std::size_t>(g)], v_.enrolment(y_, seg, plan, g, unit, leaf_));
            const Headcount pm = mul_checked(enrolled, months);
            insured_pm = add_dong(insured_pm, pm);
            bool any = false;
            // The group's lines are rounded cumulatively: line k costs round(enrolled ×
            // (a₁ + … + a_k)) − round(enrolled × (a₁ + … + a_{k−1})), so that together they
            // cost round(enrolled × their whole package), never more than the contribution
            // due when the package is not (two halves of .5 đồng each rounded up would be).
            Dong package = 0;    // a₁ + … + a_k
            Dong rounded = 0;    // round(enrolled × (a₁ + … + a_{k−1}))
            const auto& group_rules = c_.rules_of_group[static_cast<std::size_t>(g)];
            for (std::size_t k = 0; k < group_rules.size(); ++k) {
                const int r = group_rules[k];
                if (!plan.rule_in_force[static_cast<std::size_t>(r)] || !c_.applies(r, unit)) continue;
                any = true;
                package = add_dong(package, amounts[static_cast<std::size_t>(r)]);
                const Dong upto = line_cost(enrolled, package, c_.rounding);
                const Dong monthly = upto - rounded;
                rounded = upto;
                LineAcc& acc = s.lines[c_.line_offset[static_cast<std::size_t>(g)] + k];
                acc.person_months = add_dong(acc.person_months, pm);
                for (std::size_t q = 0; q < 4; ++q)
                    if (in_quarter[q]) acc.quarter_cost[q] = add_dong(acc.quarter_cost[q], mul_checked(monthly, in_quarter[q]));
            }
            if (!any) continue;
            // Contribution due at the statutory rate, rounded per monthly line like costs.
            const Dong due = contribution_cost(enrolled, contribution, c_.rounding);
            CohortAcc& acc = s.cohorts[static_cast<std::size_t>(g)];
            acc.supported = true;
            acc.person_months = add_dong(acc.person_months, pm);
            acc.due = add_dong(acc.due, mul_checked(due, months));
        }
    }

    void cost_unit(Scratch& s, int leaf) {
        leaf_ = leaf;
        const int unit = c_.leaves[static_cast<std::size_t>(leaf)];
        const auto groups = static_cast<std::size_t>(c_.groups);
        s.lines.assign(c_.line_offset[groups], LineAcc{});
        s.cohorts.assign(groups, CohortAcc{});
        s.base.resize(groups);
        Headcount insured_pm = 0;
        // Groups whose persons are the same all year; the others (time-limited, by age)
        // are costed month by month.
        bool monthly = c_.age_groups > 0;
        for (std::size_t g = 0; g < groups; ++g) {
            Headcount h = c_.monthly[g] ? 0 : c_.persons.at(year_, unit, static_cast<int>(g));
            if (v_.scaled[g]) h = apply_share(h, v_.scale[g]);
            s.base[g] = h;
            monthly = monthly || (c_.time_limited[g] && !c_.inflows[static_cast<std::size_t>(leaf)].empty());
        }
        const auto& plan = c_.plans[static_cast<std::size_t>(y_)];
        for (std::size_t seg = 0; seg < plan.size(); ++seg) {
            const SegmentPlan& p = plan[seg];
            if (!p.valid(static_cast<std::size_t>(leaf))) continue;  // the unit does not exist in these months
            resolve_overlaps(static_cast<int>(seg), leaf, unit, p.months, s.resolved);
            s.persons = s.base;
            apply_overlaps(s.resolved, s.persons, false);
            cost_months(static_cast<int>(seg), unit, s.persons, p.months, p.months_in_quarter, s, insured_pm, false);
            if (!monthly) continue;
            for (int m = p.first_month; m <= p.last_month; ++m) {
                for (std::size_t g = 0; g < groups; ++g) {
                    if (c_.monthly[g] == 0) continue;  // not costed month by month
                    Headcount h = 0;
                    if (c_.time_limited[g]) h = inflow_persons(leaf, static_cast<int>(g), m);
                    else if (c_.age_group[g] >= 0) h = c_.age_persons_at(y_, leaf, static_cast<int>(g), m);
                    if (h != 0 && v_.scaled[g]) h = apply_share(h, v_.scale[g]);
                    s.persons[g] = h;
                }
                apply_overlaps(s.resolved, s.persons, true);
                std::array<int, 4> in_quarter{};
                in_quarter[static_cast<std::size_t>(c_.quarter_of_month[static_cast<std::size_t>(m - 1)])] = 1;
                cost_months(static_cast<int>(seg), unit, s.persons, 1, in_quarter, s, insured_pm, true);
            }
        }
        for (std::size_t g = 0; g < groups; ++g) {
            Dong state = 0;  // what the budgets pay for the group: the sum of its lines
            const auto& group_rules = c_.rules_of_group[g];
            for (std::size_t k = 0; k < group_rules.size(); ++k) {
                const LineAcc& acc = s.lines[c_.line_offset[g] + k];
                Dong cost = 0;
                for (Dong q : acc.quarter_cost) cost = add_dong(cost, q);
                if (acc.person_months == 0 && cost == 0) continue;
                const int r = group_rules[k];
                sink_.line(BudgetLine{year_, unit, static_cast<int>(g), r, c_.rule_payer[static_cast<std::size_t>(r)],
                                      acc.person_months, acc.quarter_cost, cost},
                           leaf);
                state = add_dong(state, cost);
            }
            if (s.cohorts[g].supported)
                sink_.cohort(CohortCost{year_, unit, static_cast<int>(g), s.cohorts[g].person_months, s.cohorts[g].due, state});
        }
        sink_.insured(leaf, insured_pm);
    }

    const Impl& c_;
    const RunValues& v_;
    const int y_;
    const int year_;
    Sink& sink_;
    int leaf_ = 0;  ///< the leaf being costed
};

// ---- the exact sink: every line, in its year's pre-sized stretch of the output

struct ExactYear {
    BudgetLine* lines = nullptr;
    std::size_t line_capacity = 0, line_count = 0;
    CohortCost* cohorts = nullptr;
    std::size_t cohort_capacity = 0, cohort_count = 0;
    std::vector<OverlapTransfer> transfers;
    Headcount* insured_pm = nullptr;  ///< per leaf

    void line(const BudgetLine& l, int) {
        if (line_count == line_capacity) throw std::logic_error("budget lines over their bound");
        lines[line_count++] = l;
    }
    void cohort(const CohortCost& c) {
        if (cohort_count == cohort_capacity) throw std::logic_error("cohort rows over their bound");
        cohorts[cohort_count++] = c;
    }
    void insured(int leaf, Headcount pm) { insured_pm[leaf] = pm; }
    void transfer(int year, int unit, int kept, int dropped, Headcount pm, int first_month) {
        for (auto it = transfers.rbegin(); it != transfers.rend(); ++it) {
            if (it->year != year || it->unit != unit) break;
            if (it->kept_group == kept && it->dropped_group == dropped && it->first_month == first_month) {
                it->person_months = add_dong(it->person_months, pm);
                return;
            }
        }
        transfers.push_back({year, unit, kept, dropped, pm, first_month});
    }
};

// ---- the totals sink

struct TotalsYear {
    Dong* year_payer = nullptr;       ///< [payer]
    Dong* year_leaf_payer = nullptr;  ///< [leaf][payer]
    Dong* year_rule = nullptr;        ///< [rule]
    Headcount* insured_pm = nullptr;  ///< [leaf]
    int payers = 0;

    void line(const BudgetLine& l, int leaf) {
        year_payer[l.payer] = add_dong(year_payer[l.payer], l.cost);
        Dong& cell = year_leaf_payer[static_cast<std::size_t>(leaf) * static_cast<std::size_t>(payers) + static_cast<std::size_t>(l.payer)];
        cell = add_dong(cell, l.cost);
        year_rule[l.rule] = add_dong(year_rule[l.rule], l.cost);
    }
    void cohort(const CohortCost&) {}
    void insured(int leaf, Headcount pm) { insured_pm[leaf] = pm; }
    void transfer(int, int, int, int, Headcount, int) {}
};

const SlotValues& values_or_baseline(const CompiledScenario& c, const SlotValues* values, SlotValues& storage) {
    if (values != nullptr) {
        if (values->size() != c.slots().size()) throw std::invalid_argument("slot values do not match the compiled scenario");
        return *values;
    }
    storage = c.baseline();
    return storage;
}

bool transfer_before(const OverlapTransfer& a, const OverlapTransfer& b) {
    return std::tie(a.year, a.unit, a.kept_group, a.dropped_group, a.first_month) <
           std::tie(b.year, b.unit, b.kept_group, b.dropped_group, b.first_month);
}

/// One year of the exact sink into `part` (its vectors reused from year to year: only
/// the rows a year writes are touched, so memory stays at the largest year's).
void run_exact_year(const Impl& c, const RunValues& v, int y, Results& part) {
    const std::size_t line_bound = c.line_bound[static_cast<std::size_t>(y)];
    const std::size_t cohort_bound = c.cohort_bound[static_cast<std::size_t>(y)];
    if (part.lines.size() < line_bound) part.lines.resize(line_bound);  // uninitialised rows
    if (part.cohort_costs.size() < cohort_bound) part.cohort_costs.resize(cohort_bound);
    std::vector<Headcount> insured(c.leaves.size(), 0);
    ExactYear out;
    out.lines = part.lines.data();
    out.line_capacity = line_bound;
    out.cohorts = part.cohort_costs.data();
    out.cohort_capacity = cohort_bound;
    out.insured_pm = insured.data();
    YearKernel<ExactYear>(c, v, y, out).run();
    part.lines.resize(out.line_count);
    part.cohort_costs.resize(out.cohort_count);
    part.transfers = std::move(out.transfers);
    std::sort(part.transfers.begin(), part.transfers.end(), transfer_before);
    part.coverage.clear();
    append_coverage_from(c, insured.data(), y, 1, true, part.coverage);
    // Every carried figure comes with the first year's part.
    part.carried.clear();
    if (y == 0) {
        part.carried = c.scenario.data->carried;
        part.carried.insert(part.carried.end(), c.carried.begin(), c.carried.end());
    }
}

}  // namespace

Results run_exact(const CompiledScenario& compiled, const Executor& executor, const SlotValues* values) {
    const Impl& c = compiled.impl();
    SlotValues storage;
    const RunValues v(c, values_or_baseline(compiled, values, storage));
    const auto years = static_cast<std::size_t>(c.years);
    std::vector<std::size_t> line_at(years + 1, 0), cohort_at(years + 1, 0);
    for (std::size_t i = 0; i < years; ++i) {
        line_at[i + 1] = line_at[i] + c.line_bound[i];
        cohort_at[i + 1] = cohort_at[i] + c.cohort_bound[i];
    }
    Results res;
    res.scenario = &c.scenario;
    res.lines.resize(line_at[years]);  // uninitialised: pages are touched by the year that fills them
    res.cohort_costs.resize(cohort_at[years]);
    std::vector<Headcount> insured(years * c.leaves.size(), 0);
    std::vector<ExactYear> outs(years);
    for (std::size_t i = 0; i < years; ++i) {
        outs[i].lines = res.lines.data() + line_at[i];
        outs[i].line_capacity = line_at[i + 1] - line_at[i];
        outs[i].cohorts = res.cohort_costs.data() + cohort_at[i];
        outs[i].cohort_capacity = cohort_at[i + 1] - cohort_at[i];
        outs[i].insured_pm = insured.data() + i * c.leaves.size();
    }
    executor.for_each(years, [&](std::size_t i) { YearKernel<ExactYear>(c, v, static_cast<int>(i), outs[i]).run(); });

    // Close up the stretches: a line is left out when nobody is enrolled under it.
    std::size_t lines = 0, cohorts = 0;
    for (std::size_t i = 0; i < years; ++i) {
        const ExactYear& out = outs[i];
        if (lines != line_at[i]) std::memmove(res.lines.data() + lines, out.lines, out.line_count * sizeof(BudgetLine));
        if (cohorts != cohort_at[i])
            std::memmove(res.cohort_costs.data() + cohorts, out.cohorts, out.cohort_count * sizeof(CohortCost));
        lines += out.line_count;
        cohorts += out.cohort_count;
        res.transfers.insert(res.transfers.end(), out.transfers.begin(), out.transfers.end());
    }
    res.lines.resize(lines);
    res.cohort_costs.resize(cohorts);
    res.coverage = coverage_from(c, insured, true);
    std::sort(res.transfers.begin(), res.transfers.end(), transfer_before);
    res.warnings = compiled.warnings();
    res.carried = c.scenario.data->carried;
    res.carried.insert(res.carried.end(), c.carried.begin(), c.carried.end());
    return res;
}

void append_coverage_from(const Impl& c, const Headcount* insured_pm, int first, int count, bool with_targets,
                          std::vector<CoverageRow>& rows) {
    const auto& units = c.scenario.units();
    const bool dated = c.scenario.data->has_validity();
    std::vector<Headcount> enrolled(static_cast<std::size_t>(c.units)), person_months(static_cast<std::size_t>(c.units));
    std::vector<int> months(static_cast<std::size_t>(c.units), 12);
    for (int y = first; y < first + count; ++y) {
        const int year = c.first_year + y;
        std::fill(enrolled.begin(), enrolled.end(), 0);
        std::fill(person_months.begin(), person_months.end(), 0);
        if (dated)
            for (int u = 0; u < c.units; ++u) months[static_cast<std::size_t>(u)] = units[static_cast<std::size_t>(u)].months_valid(year);
        for (std::size_t leaf = 0; leaf < c.leaves.size(); ++leaf) {
            const Headcount pm = insured_pm[static_cast<std::size_t>(y - first) * c.leaves.size() + leaf];
            for (int p = c.leaves[leaf]; p >= 0; p = units[static_cast<std::size_t>(p)].parent) {
                const int m = months[static_cast<std::size_t>(p)];
                if (m == 0) continue;
                // The leaf's average over the area's months (12: the yearly average).
                const Headcount avg = round_quotient(pm, m, Rounding::half_up);
                enrolled[static_cast<std::size_t>(p)] = add_dong(enrolled[static_cast<std::size_t>(p)], avg);
                person_months[static_cast<std::size_t>(p)] = add_dong(person_months[static_cast<std::size_t>(p)], pm);
            }
        }
        for (int u = 0; u < c.units; ++u) {
            if (months[static_cast<std::size_t>(u)] == 0) continue;  // the unit does not exist that year
            CoverageRow row;
            row.year = year;
            row.unit = u;
            row.population = c.population[static_cast<std::size_t>(y)][static_cast<std::size_t>(u)];
            row.enrolled = enrolled[static_cast<std::size_t>(u)];
            row.months = months[static_cast<std::size_t>(u)];
            row.person_months = person_months[static_cast<std::size_t>(u)];
            if (with_targets)
                if (const Decimal* t = c.target[static_cast<std::size_t>(y) * static_cast<std::size_t>(c.units) + static_cast<std::size_t>(u)])
                    row.target = *t;
            rows.push_back(row);
        }
    }
}

std::vector<CoverageRow> coverage_from(const Impl& c, const std::vector<Headcount>& insured_pm, bool with_targets) {
    std::vector<CoverageRow> rows;
    rows.reserve(static_cast<std::size_t>(c.years) * static_cast<std::size_t>(c.units));
    append_coverage_from(c, insured_pm.data(), 0, c.years, with_targets, rows);
    return rows;
}

void run_exact_by_year(const CompiledScenario& compiled, const Executor& executor,
                       const std::function<void(const Results&)>& consume, const SlotValues* values) {
    const Impl& c = compiled.impl();
    SlotValues storage;
    const RunValues v(c, values_or_baseline(compiled, values, storage));
    std::array<Results, 2> parts;
    for (Results& part : parts) part.scenario = &c.scenario;
    if (executor.threads() <= 1 || c.years == 1) {
        for (int y = 0; y < c.years; ++y) {
            run_exact_year(c, v, y, parts[0]);
            consume(parts[0]);
        }
        return;
    }
    // Two buffers: the next year is costed on its own thread while `consume` takes this one.
    std::future<void> next = std::async(std::launch::async, [&] { run_exact_year(c, v, 0, parts[0]); });
    for (int y = 0; y < c.years; ++y) {
        next.get();
        Results& ready = parts[static_cast<std::size_t>(y % 2)];
        if (y + 1 < c.years)
            next = std::async(std::launch::async,
                              [&, y] { run_exact_year(c, v, y + 1, parts[static_cast<std::size_t>((y + 1) % 2)]); });
        else  // the last year: the other buffer's memory goes back before `consume` needs more
            parts[static_cast<std::size_t>((y + 1) % 2)] = Results{};
        consume(ready);
    }
}

Totals run_totals(const CompiledScenario& compiled, const Executor& executor, const SlotValues* values) {
    const Impl& c = compiled.impl();
    SlotValues storage;
    const RunValues v(c, values_or_baseline(compiled, values, storage));
    Totals t;
    t.first_year = c.first_year;
    t.years = c.years;
    t.payers = c.payers;
    t.rules = c.rules;
    t.leaves = c.leaves;
    const auto years = static_cast<std::size_t>(c.years);
    const std::size_t leaves = c.leaves.size(), payers = static_cast<std::size_t>(c.payers);
    t.year_payer.assign(years * payers, 0);
    t.year_leaf_payer.assign(years * leaves * payers, 0);
    t.year_rule.assign(years * static_cast<std::size_t>(c.rules), 0);
    t.insured.assign(years * leaves, 0);
    std::vector<TotalsYear> outs(years);
    for (std::size_t i = 0; i < years; ++i)
        outs[i] = {t.year_payer.data() + i * payers, t.year_leaf_payer.data() + i * leaves * payers,
                   t.year_rule.data() + i * static_cast<std::size_t>(c.rules), t.insured.data() + i * leaves, c.payers};
    executor.for_each(years, [&](std::size_t i) { YearKernel<TotalsYear>(c, v, static_cast<int>(i), outs[i]).run(); });
    return t;
}

}  // namespace subsim
