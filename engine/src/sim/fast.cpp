// The double-precision twin of run.cpp's kernel (see fast.hpp): the same overlaps rule,
// the same roundings where the exact path rounds, so that at the scenario's own values
// the two agree to within a đồng per line. What does not change from draw to draw (which
// rules are in force and apply, which enrolment slot a cohort uses, who arrives when in
// time-limited groups) is worked out once, here, into flat lists; a run only does the
// arithmetic.
#include "subsim/sim/fast.hpp"

#include <algorithm>
#include <cmath>

#include "compiled_impl.hpp"

namespace subsim {

namespace {

/// Half-up rounding of a value the exact path computes as a decimal: a product of
/// decimals that is exactly k + ½ may come out of binary arithmetic a few ulps below;
/// nudging by 2⁻⁵⁰ of the value puts it back on the tie, while a value that is not a tie
/// is at least 10⁻¹² of a unit away from one and keeps its rounding.
/// Every value rounded here is a cost, a count of persons or an amount: never negative
/// and far below 2⁶³, so truncation towards zero is the floor.
inline double floor_non_negative(double x) { return static_cast<double>(static_cast<std::int64_t>(x)); }
inline double round_half_up(double x) { return floor_non_negative(x * (1.0 + 0x1p-50) + 0.5); }

/// A budget line active in a segment: the rule's slot (its amount) and payer.
struct ActiveLine {
    std::uint32_t rule;
    std::uint32_t payer;
    std::uint32_t k;  ///< its place among the group's rules (run_lines' layout)
};

/// A group with lines in a segment and leaf.
/// enrol_slot of a group whose enrolment is its take-up curve's rate.
constexpr std::uint32_t kTakeupSlot = 0xFFFFFFFFu;

struct ActiveGroup {
    std::uint32_t group;
    std::uint32_t enrol_slot;  ///< or kTakeupSlot
    std::uint32_t first_line;  ///< into Impl::lines
    std::uint32_t lines;
};

/// One segment of one year for one leaf.
struct Cell {
    std::uint32_t first_group;  ///< into Impl::groups_active
    std::uint32_t groups;
};

/// An overlap in a cell, with where its two groups' packages are (-1: no package).
struct CellOverlap {
    int group_a, group_b;
    int active_a, active_b;  ///< into Impl::groups_active
    double persons;
};

}  // namespace

struct FastModel::Impl {
    const CompiledScenario::Impl& c;
    std::size_t groups = 0;
    std::size_t leaves = 0;
    std::vector<double> persons;   ///< [year][leaf][group], headcount units
    std::vector<char> is_amount;   ///< per rule: a fixed amount (else a share)
    std::vector<std::uint32_t> segment0;  ///< per year: its first segment in cells (× leaves)
    std::vector<Cell> cells;       ///< [year segment][leaf]
    std::vector<std::vector<CellOverlap>> cell_overlaps;  ///< per cell
    std::vector<ActiveGroup> groups_active;
    std::vector<ActiveLine> lines;
    std::vector<int> tl_groups;    ///< the groups whose persons change month by month (time-limited, by age)
    std::vector<int> tl_index;     ///< per group: its place in tl_groups, or -1
    /// Persons of each of those groups on the 1st of each month, per year and leaf
    /// ([year][leaf] → [month][group]); empty where all are zero.
    std::vector<std::vector<double>> tl_persons;
    /// The slots take-up rates depend on: base salaries, contribution rates, and the rules
    /// of the groups with a take-up curve.
    std::vector<std::size_t> takeup_slots;

    explicit Impl(const CompiledScenario::Impl& compiled)
        : c(compiled), groups(static_cast<std::size_t>(compiled.groups)), leaves(compiled.leaves.size()) {
        persons.resize(static_cast<std::size_t>(c.years) * leaves * groups);
        for (int y = 0; y < c.years; ++y)
            for (std::size_t l = 0; l < leaves; ++l)
                for (std::size_t g = 0; g < groups; ++g)
                    persons[(static_cast<std::size_t>(y) * leaves + l) * groups + g] =
                        static_cast<double>(c.persons.at(c.first_year + y, c.leaves[l], static_cast<int>(g)));
        for (int r = 0; r < c.rules; ++r)
            is_amount.push_back(c.slots[static_cast<std::size_t>(c.rule_slot0 + r)].kind == SlotKind::rule_amount ? 1 : 0);
        for (int y = 0; y < c.years; ++y) {
            segment0.push_back(static_cast<std::uint32_t>(cells.size() / std::max<std::size_t>(leaves, 1)));
            for (const SegmentPlan& seg : c.plans[static_cast<std::size_t>(y)])
                for (std::size_t l = 0; l < leaves; ++l) {
                    // A unit not valid in the segment's months has nothing costed.
                    if (!seg.valid(l)) {
                        cells.push_back(Cell{static_cast<std::uint32_t>(groups_active.size()), 0});
                        cell_overlaps.emplace_back();
                        continue;
                    }
                    cells.push_back(lay_out(seg, c.leaves[l]));
                    const Cell& cell = cells.back();
                    std::vector<CellOverlap> ov;
                    for (const OverlapRef& o : c.overlaps[c.year_leaf(y, static_cast<int>(l))])
                        ov.push_back({o.group_a, o.group_b, active_index(cell, o.group_a), active_index(cell, o.group_b),
                                      static_cast<double>(o.persons)});
                    cell_overlaps.push_back(std::move(ov));
                }
        }
        for (int k = 0; k < c.rule_slot0; ++k) takeup_slots.push_back(static_cast<std::size_t>(k));
        for (std::size_t g = 0; g < groups; ++g)
            if (c.takeup_of_group[g] >= 0)
                for (int r : c.rules_of_group[g]) takeup_slots.push_back(static_cast<std::size_t>(c.rule_slot0 + r));
        tl_index.assign(groups, -1);
        for (std::size_t g = 0; g < groups; ++g)
            if (c.monthly[g]) {
                tl_index[g] = static_cast<int>(tl_groups.size());
                tl_groups.push_back(static_cast<int>(g));
            }
        tl_persons.resize(static_cast<std::size_t>(c.years) * leaves);
        for (int y = 0; y < c.years; ++y)
            for (std::size_t l = 0; l < leaves; ++l) {
                if (tl_groups.empty() || (c.inflows[l].empty() && c.age_groups == 0)) continue;
                auto& v = tl_persons[static_cast<std::size_t>(y) * leaves + l];
                v.assign(12 * tl_groups.size(), 0.0);
                for (int m = 1; m <= 12; ++m) {
                    const int idx = YearMonth{c.first_year + y, m}.index();
                    for (std::size_t t = 0; t < tl_groups.size(); ++t) {
                        const int g = tl_groups[t];
                        double& cell = v[static_cast<std::size_t>(m - 1) * tl_groups.size() + t];
                        if (c.age_group[static_cast<std::size_t>(g)] >= 0) {
                            cell = static_cast<double>(c.age_persons_at(y, static_cast<int>(l), g, m));
                            continue;
                        }
                        for (const InflowRef& f : c.inflows[l])
                            if (f.group == g && f.month_index <= idx && idx < f.month_index + c.duration[static_cast<std::size_t>(g)])
                                cell += static_cast<double>(f.persons);
                    }
                }
            }
    }

    /// The groups and lines in force for a unit in a segment.
    Cell lay_out(const SegmentPlan& seg, int unit) {
        Cell cell{static_cast<std::uint32_t>(groups_active.size()), 0};
        for (std::size_t g = 0; g < groups; ++g) {
            const auto& group_rules = c.rules_of_group[g];
            ActiveGroup ag{static_cast<std::uint32_t>(g), 0, static_cast<std::uint32_t>(lines.size()), 0};
            for (std::size_t k = 0; k < group_rules.size(); ++k) {
                const int r = group_rules[k];
                if (!seg.rule_in_force[static_cast<std::size_t>(r)] || !c.applies(r, unit)) continue;
                lines.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(c.rule_payer[static_cast<std::size_t>(r)]),
                                 static_cast<std::uint32_t>(k)});
                ++ag.lines;
            }
            if (ag.lines == 0) continue;
            const auto& by_unit = seg.enrol_unit_slot[g];
            const int slot = !by_unit.empty() && by_unit[static_cast<std::size_t>(unit)] >= 0 ? by_unit[static_cast<std::size_t>(unit)]
                                                                                            : seg.enrol_slot[g];
            ag.enrol_slot = c.takeup_of_group[g] >= 0 ? kTakeupSlot : static_cast<std::uint32_t>(slot);
            groups_active.push_back(ag);
            ++cell.groups;
        }
        return cell;
    }

    int active_index(const Cell& cell, int group) const {
        for (std::uint32_t i = 0; i < cell.groups; ++i)
            if (static_cast<int>(groups_active[cell.first_group + i].group) == group) return static_cast<int>(cell.first_group + i);
        return -1;
    }

    /// Package amount of an active group (the sum of its lines' amounts), 0 for none.
    double package(int active, const double* amount) const {
        if (active < 0) return 0;
        const ActiveGroup& ag = groups_active[static_cast<std::size_t>(active)];
        double total = 0;
        for (std::uint32_t j = 0; j < ag.lines; ++j) total += amount[lines[ag.first_line + j].rule];
        return total;
    }

    /// Costs every year; `sink.line(year, leaf, group, k, payer, cost)` per active line.
    template <class Sink>
    void run(const double* slots, const double* leaf_group_scale, FastModel::Scratch& s, Sink& sink) const {
        const auto rules = static_cast<std::size_t>(c.rules);
        s.base.resize(groups);
        s.persons.resize(groups);
        for (int y = 0; y < c.years; ++y) {
            const auto& plan = c.plans[static_cast<std::size_t>(y)];
            s.amount.assign(plan.size() * rules, 0.0);
            for (std::size_t seg = 0; seg < plan.size(); ++seg) {
                const double contribution = slots[plan[seg].rate_slot] * slots[plan[seg].salary_slot];
                for (std::size_t r = 0; r < rules; ++r) {
                    if (!plan[seg].rule_in_force[r]) continue;
                    const double v = slots[static_cast<std::size_t>(c.rule_slot0) + r];
                    s.amount[seg * rules + r] = is_amount[r] ? round_half_up(v) : round_half_up(contribution * v);
                }
            }
            if (y == 0 && !c.curves.empty()) s.takeup_at = takeup_entry(slots, s);
            for (std::size_t leaf = 0; leaf < leaves; ++leaf) {
                const double* p = &persons[(static_cast<std::size_t>(y) * leaves + leaf) * groups];
                for (std::size_t g = 0; g < groups; ++g) {
                    double h = p[g];
                    const double scale = slots[static_cast<std::size_t>(c.cohort_scale_slot0) + g] *
                                         (leaf_group_scale ? leaf_group_scale[leaf * groups + g] : 1.0);
                    if (scale != 1.0) h = round_half_up(h * scale);
                    s.base[g] = c.monthly[g] ? 0.0 : h;
                }
                const auto& tl = tl_persons[static_cast<std::size_t>(y) * leaves + leaf];
                for (std::size_t seg = 0; seg < plan.size(); ++seg) {
                    const SegmentPlan& sp = plan[seg];
                    const double* amount = &s.amount[seg * rules];
                    const std::size_t cell_index = (segment0[static_cast<std::size_t>(y)] + seg) * leaves + leaf;
                    const Cell& cell = cells[cell_index];
                    const auto& overlaps = cell_overlaps[cell_index];
                    const double* persons_now = s.base.data();
                    s.dropped.clear();
                    if (!overlaps.empty()) {
                        // The highest-benefit rule for persons in two groups (as run.cpp):
                        // groups constant over the segment lose them here, the others month
                        // by month below.
                        s.persons = s.base;
                        for (const CellOverlap& o : overlaps) {
                            const double a = package(o.active_a, amount);
                            const double b = package(o.active_b, amount);
                            const bool a_wins = a > b || (a == b && o.group_a < o.group_b);
                            const auto dropped = static_cast<std::size_t>(a_wins ? o.group_b : o.group_a);
                            if (c.monthly[dropped]) s.dropped.emplace_back(dropped, o.persons);
                            else s.persons[dropped] -= std::min(o.persons, s.persons[dropped]);
                        }
                        persons_now = s.persons.data();
                    }
                    // Groups other than the time-limited ones are constant over the
                    // segment: costed once for all its months.
                    for (std::uint32_t i = 0; i < cell.groups; ++i) {
                        const ActiveGroup& ag = groups_active[cell.first_group + i];
                        const double h = persons_now[ag.group];
                        if (h != 0) cost_group(ag, amount, slots, h, sp.months, y, leaf, sink, seg, &s);
                    }
                    if (tl.empty()) continue;
                    // Groups whose persons change month by month (time-limited, by age):
                    // each month's enrolled persons rounded as run.cpp rounds them, then
                    // each line's monthly costs summed in one tight loop.
                    for (std::uint32_t i = 0; i < cell.groups; ++i) {
                        const ActiveGroup& ag = groups_active[cell.first_group + i];
                        if (!c.monthly[ag.group]) continue;
                        const auto t = static_cast<std::size_t>(tl_index[ag.group]);
                        const double scale = slots[static_cast<std::size_t>(c.cohort_scale_slot0) + ag.group] *
                                             (leaf_group_scale ? leaf_group_scale[leaf * groups + ag.group] : 1.0);
                        const double share = share_of(ag, slots, y, seg, leaf, s);
                        // Persons the overlaps take from this group: taking p1, then p2, …
                        // (each at most what is left) leaves max(h − (p1 + p2 + …), 0);
                        // headcounts are whole numbers of 1/10,000 person, exact in a double.
                        double drop = 0;
                        for (const auto& [dropped, persons] : s.dropped)
                            if (dropped == ag.group) drop += persons;
                        const std::size_t stride = tl_groups.size();
                        const double* month_persons = &tl[static_cast<std::size_t>(sp.first_month - 1) * stride + t];
                        const int n = sp.last_month - sp.first_month + 1;
                        double enrolled[12];
                        double enrolled_sum = 0;
                        if (scale != 1.0) {
                            for (int k = 0; k < n; ++k) {
                                const double h = std::max(round_half_up(month_persons[k * stride] * scale) - drop, 0.0);
                                enrolled[k] = round_half_up(h * share);
                                enrolled_sum += enrolled[k];
                            }
                        } else {
                            for (int k = 0; k < n; ++k) {
                                const double h = std::max(month_persons[k * stride] - drop, 0.0);
                                enrolled[k] = round_half_up(h * share);
                                enrolled_sum += enrolled[k];
                            }
                        }
                        if (enrolled_sum == 0) continue;
                        for (std::uint32_t j = 0; j < ag.lines; ++j) {
                            const ActiveLine& line = lines[ag.first_line + j];
                            const double a = amount[line.rule];
                            double total = 0;
                            for (int k = 0; k < n; ++k) total += floor_non_negative((enrolled[k] * a + 5000.0) * 1e-4);
                            sink.line(y, leaf, ag.group, line.k, line.payer, total);
                        }
                    }
                }
                sink.end_leaf(y, leaf);
            }
        }
    }

    /// Take-up rates of every year for the run's slot values (empty without curves).
    std::vector<std::vector<std::vector<double>>> takeup_for(const double* slots) const {
        if (c.curves.empty()) return {};
        const auto rules = static_cast<std::size_t>(c.rules);
        std::vector<std::vector<double>> contribution(static_cast<std::size_t>(c.years));
        std::vector<std::vector<std::vector<double>>> amount(static_cast<std::size_t>(c.years));
        for (int y = 0; y < c.years; ++y)
            for (const SegmentPlan& seg : c.plans[static_cast<std::size_t>(y)]) {
                const double contrib = slots[seg.rate_slot] * slots[seg.salary_slot];
                contribution[static_cast<std::size_t>(y)].push_back(contrib);
                std::vector<double> a(rules, 0.0);
                for (std::size_t r = 0; r < rules; ++r) {
                    if (!seg.rule_in_force[r]) continue;
                    const double v = slots[static_cast<std::size_t>(c.rule_slot0) + r];
                    a[r] = is_amount[r] ? round_half_up(v) : round_half_up(contrib * v);
                }
                amount[static_cast<std::size_t>(y)].push_back(std::move(a));
            }
        return takeup_rates(c, contribution, amount);
    }

    /// The cache entry of `s` holding the take-up rates for these slot values: they depend
    /// on the parameter and rule slots only (what people pay), which repeat across draws.
    std::size_t takeup_entry(const double* slots, FastModel::Scratch& s) const {
        constexpr std::size_t kEntries = 16;
        const auto same = [&](const std::vector<double>& key) {
            for (std::size_t k = 0; k < takeup_slots.size(); ++k)
                if (key[k] != slots[takeup_slots[k]]) return false;
            return true;
        };
        for (std::size_t i = 0; i < s.takeup_keys.size(); ++i)
            if (same(s.takeup_keys[i])) return i;
        std::size_t i = s.takeup_keys.size();
        if (i < kEntries) {
            s.takeup_keys.emplace_back();
            s.takeup_rates.emplace_back();
        } else {
            i = s.takeup_next++ % kEntries;
        }
        s.takeup_keys[i].clear();
        for (const std::size_t k : takeup_slots) s.takeup_keys[i].push_back(slots[k]);
        s.takeup_rates[i] = takeup_for(slots);
        return i;
    }

    /// The enrolment share of an active group: its take-up rate, or its enrolment slot.
    double share_of(const ActiveGroup& ag, const double* slots, int y, std::size_t seg, std::size_t leaf,
                    const FastModel::Scratch& s) const {
        if (ag.enrol_slot != kTakeupSlot) return slots[ag.enrol_slot];
        const auto t = static_cast<std::size_t>(c.takeup_of_group[ag.group]);
        return s.takeup_rates[s.takeup_at][static_cast<std::size_t>(y)][seg][leaf * c.curves.size() + t];
    }

    template <class Sink>
    void cost_group(const ActiveGroup& ag, const double* amount, const double* slots, double persons, int months, int y,
                    std::size_t leaf, Sink& sink, std::size_t seg, const FastModel::Scratch* s) const {
        const double share = share_of(ag, slots, y, seg, leaf, *s);
        const double enrolled = round_half_up(persons * share);
        for (std::uint32_t j = 0; j < ag.lines; ++j) {
            const ActiveLine& line = lines[ag.first_line + j];
            const double monthly = floor_non_negative((enrolled * amount[line.rule] + 5000.0) * 1e-4);
            sink.line(y, leaf, ag.group, line.k, line.payer, monthly * months);
        }
    }
};

namespace {

/// Sums a leaf's lines per payer in a small array that stays in the first-level cache,
/// and adds them to the run's totals once per leaf and year: the hot loop then has no
/// long chain of additions into one memory cell.
struct TotalsSink {
    std::size_t payers;
    FastModel::Outputs& out;
    std::vector<double> acc = std::vector<double>(payers, 0.0);
    void line(int, std::size_t, std::uint32_t, std::uint32_t, std::uint32_t payer, double cost) { acc[payer] += cost; }
    void end_leaf(int y, std::size_t leaf) {
        double total = 0;
        for (std::size_t p = 0; p < payers; ++p) {
            out.year_payer[static_cast<std::size_t>(y) * payers + p] += acc[p];
            total += acc[p];
            acc[p] = 0;
        }
        out.leaf_total[leaf] += total;
    }
};

struct LinesSink {
    const CompiledScenario::Impl& c;
    std::vector<double>& lines;
    void end_leaf(int, std::size_t) {}
    void line(int y, std::size_t leaf, std::uint32_t g, std::uint32_t k, std::uint32_t, double cost) {
        const std::size_t per_leaf = c.line_offset.back();
        lines[(static_cast<std::size_t>(y) * c.leaves.size() + leaf) * per_leaf + c.line_offset[g] + k] += cost;
    }
};

}  // namespace

FastModel::FastModel(const CompiledScenario& compiled) : impl_(std::make_unique<Impl>(compiled.impl())) {}
FastModel::~FastModel() = default;
FastModel::FastModel(FastModel&&) noexcept = default;

int FastModel::years() const { return impl_->c.years; }
int FastModel::payers() const { return impl_->c.payers; }
int FastModel::leaves() const { return static_cast<int>(impl_->c.leaves.size()); }
int FastModel::groups() const { return impl_->c.groups; }
int FastModel::slots() const { return static_cast<int>(impl_->c.slots.size()); }
int FastModel::lines_per_leaf() const { return static_cast<int>(impl_->c.line_offset.back()); }

std::vector<double> FastModel::baseline() const {
    std::vector<double> v;
    for (const Slot& s : impl_->c.slots) v.push_back(s.value.to_double());
    return v;
}

void FastModel::run(const double* slots, const double* leaf_group_scale, Outputs& out, Scratch& scratch) const {
    out.year_payer.assign(static_cast<std::size_t>(impl_->c.years) * static_cast<std::size_t>(impl_->c.payers), 0.0);
    out.leaf_total.assign(impl_->c.leaves.size(), 0.0);
    TotalsSink sink{static_cast<std::size_t>(impl_->c.payers), out};
    impl_->run(slots, leaf_group_scale, scratch, sink);
}

std::vector<double> FastModel::run_lines(const double* slots) const {
    std::vector<double> lines(static_cast<std::size_t>(impl_->c.years) * impl_->c.leaves.size() * impl_->c.line_offset.back(), 0.0);
    LinesSink sink{impl_->c, lines};
    Scratch scratch;
    impl_->run(slots, nullptr, scratch, sink);
    return lines;
}

}  // namespace subsim
