#include "subsim/sim/costing.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <thread>
#include <tuple>

#include "month_plan.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/core/threads.hpp"
#include "subsim/population/projection.hpp"

namespace subsim {

Decimal contribution_on(const Scenario& s, Date d) {
    return detail::month_state(s, d.year, d.month).contribution;
}

namespace {

using detail::Segment;

/// Per-line accumulator while a unit × year is costed.
struct LineAcc {
    Headcount person_months = 0;
    std::array<Dong, 4> quarter_cost{};
};

struct CohortAcc {
    Headcount person_months = 0;  ///< supported months only
    Dong due = 0;
    bool supported = false;
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

class Simulator {
public:
    explicit Simulator(const Scenario& s) : s_(s), table_(project_cohorts(s)) {
        const auto groups = s.groups().size();
        rules_of_group_.resize(groups);
        for (std::size_t r = 0; r < s.rules.size(); ++r)
            for (int g : s.rules[r].groups) rules_of_group_[static_cast<std::size_t>(g)].push_back(static_cast<int>(r));
        for (auto& v : rules_of_group_) {
            std::sort(v.begin(), v.end());
            v.erase(std::unique(v.begin(), v.end()), v.end());
        }
        offset_.resize(groups + 1, 0);
        for (std::size_t g = 0; g < groups; ++g) offset_[g + 1] = offset_[g] + rules_of_group_[g].size();
        match_.resize(s.rules.size() * s.units().size());
        for (std::size_t r = 0; r < s.rules.size(); ++r)
            for (std::size_t u = 0; u < s.units().size(); ++u)
                match_[u * s.rules.size() + r] = s.rules[r].condition.matches(s.units()[u]) ? 1 : 0;
        insured_pm_.assign(static_cast<std::size_t>(s.year_count()) * s.units().size(), 0);
        std::vector<char> has_child(s.units().size(), 0);
        for (const auto& u : s.units())
            if (u.parent >= 0) has_child[static_cast<std::size_t>(u.parent)] = 1;
        for (std::size_t u = 0; u < s.units().size(); ++u)
            if (!has_child[u]) leaves_.push_back(static_cast<int>(u));
        // Time-limited inflows by unit, for quick access.
        inflows_of_unit_.resize(s.units().size());
        for (const auto& f : s.inflows()) inflows_of_unit_[static_cast<std::size_t>(f.unit)].push_back(&f);
        overlaps_of_year_unit_.resize(static_cast<std::size_t>(s.year_count()) * s.units().size());
        for (const auto& o : s.overlaps())
            if (o.year >= s.first_year && o.year <= s.last_year)
                overlaps_of_year_unit_[static_cast<std::size_t>(o.year - s.first_year) * s.units().size() +
                                       static_cast<std::size_t>(o.unit)]
                    .push_back(&o);
        plan_output();
    }

    /// Years are independent: they are costed on `threads` threads, each year writing
    /// its lines straight into its own stretch of the output (sized in advance, see
    /// plan_output()), so the results are the same whatever the thread count and no
    /// line is copied from a per-thread buffer. The stretches are then closed up.
    Results run(int threads) {
        const auto years = static_cast<std::size_t>(s_.year_count());
        Results res;
        res.scenario = &s_;
        res.lines.resize(line_at_[years]);  // uninitialised: pages are touched by the year that fills them
        res.cohort_costs.resize(cohort_at_[years]);
        std::vector<YearOut> outs(years);
        for (std::size_t i = 0; i < years; ++i) {
            outs[i].lines = res.lines.data() + line_at_[i];
            outs[i].line_capacity = line_at_[i + 1] - line_at_[i];
            outs[i].cohorts = res.cohort_costs.data() + cohort_at_[i];
            outs[i].cohort_capacity = cohort_at_[i + 1] - cohort_at_[i];
        }
        std::vector<std::exception_ptr> errors(years);
        auto work = [&](std::size_t worker, std::size_t workers) {
            Scratch scratch;
            for (std::size_t i = worker; i < years; i += workers) {
                try {
                    if (plan_errors_[i]) std::rethrow_exception(plan_errors_[i]);
                    const int year = s_.first_year + static_cast<int>(i);
                    for (int u : leaves_) cost_unit(outs[i], scratch, plans_[i], year, u);
                } catch (...) {
                    errors[i] = std::current_exception();
                }
            }
        };
        const std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), std::max<std::size_t>(years, 1));
        std::vector<std::thread> pool;
        for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(work, w, workers);
        work(0, workers);
        for (auto& t : pool) t.join();
        for (const auto& e : errors)  // the earliest year's error, whatever the timing
            if (e) std::rethrow_exception(e);

        // Close up the stretches: a line is left out when nobody is enrolled under it.
        std::size_t lines = 0, cohorts = 0;
        for (std::size_t i = 0; i < years; ++i) {
            const YearOut& out = outs[i];
            if (lines != line_at_[i])
                std::memmove(res.lines.data() + lines, out.lines, out.line_count * sizeof(BudgetLine));
            if (cohorts != cohort_at_[i])
                std::memmove(res.cohort_costs.data() + cohorts, out.cohorts, out.cohort_count * sizeof(CohortCost));
            lines += out.line_count;
            cohorts += out.cohort_count;
            res.transfers.insert(res.transfers.end(), out.transfers.begin(), out.transfers.end());
        }
        res.lines.resize(lines);
        res.cohort_costs.resize(cohorts);
        build_coverage(res);
        std::sort(res.transfers.begin(), res.transfers.end(), [](const OverlapTransfer& a, const OverlapTransfer& b) {
            return std::tie(a.year, a.unit, a.kept_group, a.dropped_group) <
                   std::tie(b.year, b.unit, b.kept_group, b.dropped_group);
        });
        return res;
    }

private:
    /// One year's share of the output: where its lines go and how many it wrote.
    struct YearOut {
        BudgetLine* lines = nullptr;
        std::size_t line_capacity = 0, line_count = 0;
        CohortCost* cohorts = nullptr;
        std::size_t cohort_capacity = 0, cohort_count = 0;
        std::vector<OverlapTransfer> transfers;
    };

    /// Plans every year's month segments and bounds its output: a line for each leaf and
    /// (group, rule) pair whose rule applies to the leaf and is in force in some month of
    /// the year (exact but for pairs nobody is enrolled under), and a cohort row for each
    /// leaf and group with such a pair (exact). A year whose plan fails reports its error
    /// when costed, so the earliest year's error wins as before.
    void plan_output() {
        const auto years = static_cast<std::size_t>(s_.year_count());
        const std::size_t rules = s_.rules.size();
        plans_.resize(years);
        plan_errors_.resize(years);
        line_at_.assign(years + 1, 0);
        cohort_at_.assign(years + 1, 0);
        std::vector<std::size_t> leaves_matching(rules, 0);
        for (int u : leaves_)
            for (std::size_t r = 0; r < rules; ++r) leaves_matching[r] += applies(static_cast<int>(r), u) ? 1 : 0;
        std::vector<char> in_force(rules);
        for (std::size_t i = 0; i < years; ++i) {
            std::size_t lines = 0, cohorts = 0;
            try {
                plans_[i] = detail::plan_year(s_, s_.first_year + static_cast<int>(i));
                std::fill(in_force.begin(), in_force.end(), 0);
                for (const Segment& seg : plans_[i])
                    for (std::size_t r = 0; r < rules; ++r) in_force[r] |= seg.state.rule_in_force[r];
                for (std::size_t g = 0; g < s_.groups().size(); ++g)
                    for (int r : rules_of_group_[g])
                        if (in_force[static_cast<std::size_t>(r)]) lines += leaves_matching[static_cast<std::size_t>(r)];
                for (int u : leaves_)
                    for (std::size_t g = 0; g < s_.groups().size(); ++g)
                        for (int r : rules_of_group_[g])
                            if (in_force[static_cast<std::size_t>(r)] && applies(r, u)) {
                                ++cohorts;
                                break;
                            }
            } catch (...) {
                plan_errors_[i] = std::current_exception();
                lines = cohorts = 0;
            }
            line_at_[i + 1] = line_at_[i] + lines;
            cohort_at_[i + 1] = cohort_at_[i] + cohorts;
        }
    }

    /// Unit-major, so one unit's rules share a cache line or two.
    bool applies(int rule, int unit) const { return match_[static_cast<std::size_t>(unit) * s_.rules.size() + rule] != 0; }

    /// State amount per person-month of a group's package in a unit and month.
    Dong package_amount(const detail::MonthState& st, int group, int unit) const {
        Dong total = 0;
        for (int r : rules_of_group_[static_cast<std::size_t>(group)])
            if (st.rule_in_force[static_cast<std::size_t>(r)] && applies(r, unit))
                total = add_dong(total, st.rule_amount[static_cast<std::size_t>(r)]);
        return total;
    }

    bool supported(const detail::MonthState& st, int group, int unit) const {
        for (int r : rules_of_group_[static_cast<std::size_t>(group)])
            if (st.rule_in_force[static_cast<std::size_t>(r)] && applies(r, unit)) return true;
        return false;
    }

    /// Persons of a time-limited group in a unit in a month.
    Headcount inflow_persons(int group, int unit, int year, int month) const {
        const int duration = s_.groups()[static_cast<std::size_t>(group)].duration_months;
        const int idx = YearMonth{year, month}.index();
        Headcount total = 0;
        for (const Inflow* f : inflows_of_unit_[static_cast<std::size_t>(unit)])
            if (f->group == group && f->month.index() <= idx && idx < f->month.index() + duration)
                total = add_dong(total, headcount_of_persons(f->persons));
        return total;
    }

    /// Costs `months` identical months (split by quarter) for one unit and its groups.
    void cost_months(const detail::MonthState& st, int unit, const std::vector<Headcount>& persons, int months,
                     const std::array<int, 4>& in_quarter, std::vector<LineAcc>& lines,
                     std::vector<CohortAcc>& cohorts, Headcount& insured_pm) {
        const Rounding rounding = s_.parameters.rounding;
        for (std::size_t g = 0; g < s_.groups().size(); ++g) {
            const Headcount enrolled = apply_share(persons[g], st.enrolment(static_cast<int>(g), unit));
            const Headcount pm = mul_checked(enrolled, months);
            insured_pm = add_dong(insured_pm, pm);
            bool any = false;
            for (std::size_t k = 0; k < rules_of_group_[g].size(); ++k) {
                const int r = rules_of_group_[g][k];
                if (!st.rule_in_force[static_cast<std::size_t>(r)] || !applies(r, unit)) continue;
                any = true;
                const Dong monthly = line_cost(enrolled, st.rule_amount[static_cast<std::size_t>(r)], rounding);
                LineAcc& acc = lines[offset_[g] + k];
                acc.person_months = add_dong(acc.person_months, pm);
                for (std::size_t q = 0; q < 4; ++q)
                    if (in_quarter[q]) acc.quarter_cost[q] = add_dong(acc.quarter_cost[q], mul_checked(monthly, in_quarter[q]));
            }
            if (!any) continue;
            // Contribution due at the statutory rate, rounded per monthly line like costs.
            const Dong due = contribution_cost(enrolled, st.contribution, rounding);
            CohortAcc& c = cohorts[g];
            c.supported = true;
            c.person_months = add_dong(c.person_months, pm);
            c.due = add_dong(c.due, mul_checked(due, months));
        }
    }

    /// Applies the highest-benefit rule to overlapping persons for one month state.
    void resolve_overlaps(const detail::MonthState& st, int year, int unit, std::vector<Headcount>& persons,
                          int months, YearOut& res) {
        const auto& list = overlaps_of_year_unit_[static_cast<std::size_t>(year - s_.first_year) * s_.units().size() +
                                                  static_cast<std::size_t>(unit)];
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Overlap& o = *list[i];
            const Dong a = package_amount(st, o.group_a, unit);
            const Dong b = package_amount(st, o.group_b, unit);
            // Higher state amount wins; on a tie the group declared first.
            const bool a_wins = a > b || (a == b && o.group_a < o.group_b);
            const int kept = a_wins ? o.group_a : o.group_b;
            const int dropped = a_wins ? o.group_b : o.group_a;
            const Headcount h = headcount_of_persons(o.persons);
            auto& p = persons[static_cast<std::size_t>(dropped)];
            if (p < h)
                throw ScenarioError(s_.where_of(o.where), "persons",
                                    i18n::tr("overlap.larger_than_projected", {i18n::grouped(o.persons),
                                             i18n::quoted(s_.groups()[static_cast<std::size_t>(dropped)].id),
                                             s_.units()[static_cast<std::size_t>(unit)].code, year}));
            p -= h;
            const Headcount enrolled = apply_share(h, st.enrolment(kept, unit));
            record_transfer(res, year, unit, kept, dropped, mul_checked(enrolled, months));
        }
    }

    void record_transfer(YearOut& res, int year, int unit, int kept, int dropped, Headcount pm) {
        for (auto it = res.transfers.rbegin(); it != res.transfers.rend(); ++it) {
            if (it->year != year || it->unit != unit) break;
            if (it->kept_group == kept && it->dropped_group == dropped) {
                it->person_months = add_dong(it->person_months, pm);
                return;
            }
        }
        res.transfers.push_back({year, unit, kept, dropped, pm});
    }

    /// Per-thread buffers reused from one unit to the next (no allocation per cell).
    struct Scratch {
        std::vector<LineAcc> lines;
        std::vector<CohortAcc> cohorts;
        std::vector<Headcount> base, persons;
    };

    void cost_unit(YearOut& res, Scratch& scratch, const std::vector<Segment>& plan, int year, int unit) {
        const std::size_t groups = s_.groups().size();
        auto& lines = scratch.lines;
        auto& cohorts = scratch.cohorts;
        auto& base = scratch.base;
        auto& persons = scratch.persons;
        lines.assign(offset_[groups], LineAcc{});
        cohorts.assign(groups, CohortAcc{});
        base.resize(groups);
        Headcount insured_pm = 0;

        bool time_limited = false;
        for (std::size_t g = 0; g < groups; ++g) {
            base[g] = table_.at(year, unit, static_cast<int>(g));
            if (s_.groups()[g].duration_months > 0) time_limited = true;
        }
        time_limited = time_limited && !inflows_of_unit_[static_cast<std::size_t>(unit)].empty();
        for (const Segment& seg : plan) {
            if (!time_limited) {
                persons = base;
                resolve_overlaps(seg.state, year, unit, persons, seg.months, res);
                cost_months(seg.state, unit, persons, seg.months, seg.months_in_quarter, lines, cohorts, insured_pm);
                continue;
            }
            for (int m = seg.first_month; m <= seg.last_month; ++m) {  // inflows change monthly
                persons = base;
                for (std::size_t g = 0; g < groups; ++g)
                    if (s_.groups()[g].duration_months > 0)
                        persons[g] = inflow_persons(static_cast<int>(g), unit, year, m);
                resolve_overlaps(seg.state, year, unit, persons, 1, res);
                std::array<int, 4> in_quarter{};
                in_quarter[static_cast<std::size_t>(s_.quarter_of_month[static_cast<std::size_t>(m - 1)])] = 1;
                cost_months(seg.state, unit, persons, 1, in_quarter, lines, cohorts, insured_pm);
            }
        }

        for (std::size_t g = 0; g < groups; ++g) {
            Dong state = 0;  // what the budgets pay for the group: the sum of its lines
            for (std::size_t k = 0; k < rules_of_group_[g].size(); ++k) {
                const LineAcc& acc = lines[offset_[g] + k];
                Dong cost = 0;
                for (Dong q : acc.quarter_cost) cost = add_dong(cost, q);
                if (acc.person_months == 0 && cost == 0) continue;
                const int r = rules_of_group_[g][k];
                if (res.line_count == res.line_capacity) throw std::logic_error("budget lines over their bound");
                res.lines[res.line_count++] = {year,  unit, static_cast<int>(g), r, s_.rules[static_cast<std::size_t>(r)].payer,
                                               acc.person_months, acc.quarter_cost, cost};
                state = add_dong(state, cost);
            }
            if (cohorts[g].supported) {
                if (res.cohort_count == res.cohort_capacity) throw std::logic_error("cohort rows over their bound");
                res.cohorts[res.cohort_count++] = {year, unit, static_cast<int>(g), cohorts[g].person_months, cohorts[g].due,
                                                   state};
            }
        }
        insured_pm_[static_cast<std::size_t>(year - s_.first_year) * s_.units().size() + static_cast<std::size_t>(unit)] =
            insured_pm;
    }

    void build_coverage(Results& res) {
        const auto pop = project_population(s_);
        const std::size_t units = s_.units().size();
        // Targets by year × unit (the loader refuses a second target for the same pair).
        std::vector<const Decimal*> target_of(static_cast<std::size_t>(s_.year_count()) * units, nullptr);
        for (const auto& t : s_.targets)
            if (t.year >= s_.first_year && t.year <= s_.last_year)
                target_of[static_cast<std::size_t>(t.year - s_.first_year) * units + static_cast<std::size_t>(t.unit)] = &t.target;
        res.coverage.reserve(target_of.size());
        for (int year = s_.first_year; year <= s_.last_year; ++year) {
            std::vector<Headcount> enrolled(units, 0);
            // Leaves: yearly average, rounded half-up; parents: the sum of their leaves.
            for (int u : leaves_) {
                const Headcount avg = round_quotient(insured_pm_[static_cast<std::size_t>(year - s_.first_year) * s_.units().size() + static_cast<std::size_t>(u)], 12, Rounding::half_up);
                for (int p = u; p >= 0; p = s_.units()[static_cast<std::size_t>(p)].parent)
                    enrolled[static_cast<std::size_t>(p)] = add_dong(enrolled[static_cast<std::size_t>(p)], avg);
            }
            for (std::size_t u = 0; u < units; ++u) {
                CoverageRow row;
                row.year = year;
                row.unit = static_cast<int>(u);
                row.population = pop[static_cast<std::size_t>(year - s_.first_year)][u];
                row.enrolled = enrolled[u];
                if (const Decimal* t = target_of[static_cast<std::size_t>(year - s_.first_year) * units + u]) row.target = *t;
                res.coverage.push_back(row);
            }
        }
    }

    const Scenario& s_;
    CohortTable table_;
    std::vector<std::vector<int>> rules_of_group_;
    std::vector<std::size_t> offset_;
    std::vector<char> match_;
    std::vector<int> leaves_;
    std::vector<std::vector<const Inflow*>> inflows_of_unit_;
    std::vector<std::vector<const Overlap*>> overlaps_of_year_unit_;
    std::vector<Headcount> insured_pm_;
    std::vector<std::vector<Segment>> plans_;        ///< per year
    std::vector<std::exception_ptr> plan_errors_;    ///< per year
    std::vector<std::size_t> line_at_, cohort_at_;  ///< per year: first line / cohort row (bounds' prefix sums)
};

}  // namespace

Results simulate(const Scenario& scenario, const SimOptions& options) {
    try {
        return Simulator(scenario).run(options.threads > 0 ? options.threads : default_threads());
    } catch (const ArithmeticOverflow&) {
        // Only absurd inputs get here (the loader caps each row): say so as bad input.
        throw ScenarioError(scenario.where, "cohorts", i18n::tr("sim.overflow"));
    }
}

}  // namespace subsim
