// The double-precision twin of run.cpp's kernel (see fast.hpp): the same overlaps rule,
// the same roundings where the exact path rounds, so that at the scenario's own values
// the two agree to within a đồng per line. What does not change from draw to draw (which
// rules are in force and apply, which enrolment slot a cohort uses, who arrives when in
// time-limited groups) is worked out once, here, into flat lists; a run only does the
// arithmetic.
#include "subsim/sim/fast.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "compiled_impl.hpp"

namespace subsim {

namespace {

/// Half-up rounding of a value the exact path computes as a decimal: a product of
/// decimals that is exactly k + ½ may come out of binary arithmetic a few ulps below;
/// nudging by 2⁻⁵⁰ of the value puts it back on the tie, while a value that is not a tie
/// is at least 10⁻¹² of a unit away from one and keeps its rounding.
/// Every value rounded here is a cost, a count of persons or an amount: never negative,
/// so truncation towards zero is the floor. Past 2⁶³ the conversion is undefined, so a
/// single run (`Guard`: how the scenario is checked at the top of its uncertain ranges,
/// before any draw, and may meet such values) first caps the value at 2⁶², which the
/// check then refuses. Batched draws (four lanes) convert directly: every value they
/// see has passed that check, and the test and select cost them 10% more instructions
/// (a sensitivity study: 1.46 → 1.60 billion in run_batch). Should a take-up curve still
/// carry a draw past 2⁶³, x86-64 returns INT64_MIN and run_sensitivity refuses the study.
template <bool Guard>
inline double floor_non_negative(double x) {
    if constexpr (Guard) x = std::min(x, 0x1p62);
    return static_cast<double>(static_cast<std::int64_t>(x));
}
template <bool Guard>
inline double round_half_up(double x) { return floor_non_negative<Guard>(x * (1.0 + 0x1p-50) + 0.5); }

/// A budget line active in a segment: the rule's slot (its amount) and payer.
struct ActiveLine {
    std::uint32_t rule;
    std::uint32_t payer;
    std::uint32_t k;  ///< its place among the group's rules (run_lines' layout)
};

/// A group with lines in a segment and leaf.
/// enrol_slot of a group whose enrolment is its take-up curve's rate.
constexpr std::uint32_t kTakeupSlot = 0xFFFFFFFFu;

/// A group without a package in a cell, while the model is laid out.
constexpr std::uint32_t kNoPackage = 0xFFFFFFFFu;

/// A month memo entry: scale, share, persons dropped, up to 12 months' enrolled persons,
/// then (at kMemoAny) 1 if any of them is not 0.
constexpr std::size_t kMemo = 16;
constexpr std::size_t kMemoAny = 15;

/// Sets of take-up rates a Scratch keeps (more than the lanes of a batch).
constexpr std::size_t kTakeupEntries = 2 * FastModel::kLanes;

struct ActiveGroup {
    std::uint32_t group;
    std::uint32_t enrol_slot;  ///< or kTakeupSlot
    std::uint32_t first_line;  ///< into Impl::lines
    std::uint32_t lines;
};

/// The rules of an active group in a segment, in line order: its package is the sum of
/// their amounts. Groups of many cells share one (overlaps compare packages).
struct PackageSet {
    std::uint32_t segment;  ///< in its year's plan
    std::vector<std::uint32_t> rules;
};

/// One segment of one year for one leaf.
struct Cell {
    std::uint32_t first_group;  ///< into Impl::groups_active
    std::uint32_t groups;
};

/// An overlap in a cell, with its two groups' packages.
struct CellOverlap {
    int group_a, group_b;
    std::uint32_t package_a, package_b;  ///< into Impl::packages; packages.size(): no package (0)
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
    /// Per active group whose persons change month by month: its entry in a scratch's
    /// month memo (others: unused).
    std::vector<std::uint32_t> memo_index;
    std::size_t memo_entries = 0;
    /// Per such group: where its lines' entries start in a scratch's line memo.
    std::vector<std::uint32_t> line_memo_index;
    std::size_t line_memo_entries = 0;
    std::vector<ActiveLine> lines;
    /// The packages overlaps compare, per year in a range of their own
    /// (package0[y] .. package0[y + 1]).
    std::vector<PackageSet> packages;
    std::vector<std::uint32_t> package0;
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
            package0.push_back(static_cast<std::uint32_t>(packages.size()));
            std::map<std::pair<std::uint32_t, std::vector<std::uint32_t>>, std::uint32_t> package_of;
            for (std::size_t seg_index = 0; seg_index < c.plans[static_cast<std::size_t>(y)].size(); ++seg_index) {
                const SegmentPlan& seg = c.plans[static_cast<std::size_t>(y)][seg_index];
                // The package of an active group, numbered on first use.
                const auto package = [&](int active) {
                    if (active < 0) return kNoPackage;
                    const ActiveGroup& ag = groups_active[static_cast<std::size_t>(active)];
                    PackageSet set{static_cast<std::uint32_t>(seg_index), {}};
                    for (std::uint32_t j = 0; j < ag.lines; ++j) set.rules.push_back(lines[ag.first_line + j].rule);
                    const auto [it, added] = package_of.try_emplace({set.segment, set.rules}, static_cast<std::uint32_t>(packages.size()));
                    if (added) packages.push_back(std::move(set));
                    return it->second;
                };
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
                        ov.push_back({o.group_a, o.group_b, package(active_index(cell, o.group_a)), package(active_index(cell, o.group_b)),
                                      static_cast<double>(o.persons)});
                    cell_overlaps.push_back(std::move(ov));
                }
            }
        }
        package0.push_back(static_cast<std::uint32_t>(packages.size()));
        // A group without a package (not in force in the cell) reads the entry after the
        // last package, which every run sets to 0.
        for (auto& ov : cell_overlaps)
            for (CellOverlap& o : ov) {
                if (o.package_a == kNoPackage) o.package_a = static_cast<std::uint32_t>(packages.size());
                if (o.package_b == kNoPackage) o.package_b = static_cast<std::uint32_t>(packages.size());
            }
        for (int k = 0; k < c.rule_slot0; ++k) takeup_slots.push_back(static_cast<std::size_t>(k));
        for (std::size_t g = 0; g < groups; ++g)
            if (c.takeup_of_group[g] >= 0)
                for (int r : c.rules_of_group[g]) takeup_slots.push_back(static_cast<std::size_t>(c.rule_slot0 + r));
        memo_index.assign(groups_active.size(), 0);
        line_memo_index.assign(groups_active.size(), 0);
        for (std::size_t i = 0; i < groups_active.size(); ++i)
            if (c.monthly[groups_active[i].group]) {
                memo_index[i] = static_cast<std::uint32_t>(memo_entries++);
                line_memo_index[i] = static_cast<std::uint32_t>(line_memo_entries);
                line_memo_entries += groups_active[i].lines;
            }
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

    /// Costs every year of B runs at once (lanes): the cells, groups and lines are walked
    /// once, and each step does every lane's arithmetic, lane by lane exactly as a run of
    /// its own would (so a lane's result does not depend on its neighbours).
    /// `slots[b]`: lane b's slot values; `scale[b]`: its per leaf × group factors or
    /// nullptr. `sink.line(year, leaf, group, k, payer, cost[B])` per active line.
    template <std::size_t B, class Sink>
    void run(const double* const* slots, const double* const* scale, FastModel::Scratch& s, Sink& sink) const {
        const auto rules = static_cast<std::size_t>(c.rules);
        const auto cohort_scale = static_cast<std::size_t>(c.cohort_scale_slot0);
        s.base.resize(groups * B);
        s.persons.resize(groups * B);
        s.drop.resize(groups * B);
        s.lane_takeup.resize(B);
        s.package.resize((packages.size() + 1) * B);
        if (s.owner != this) {  // rates cached for another model's slots are not this one's
            s.takeup_keys.clear();
            s.takeup_rates.clear();
            s.takeup_next = 0;
            // Month memo: no entry matches a NaN scale.
            s.month_memo.assign(memo_entries * kMemo, std::numeric_limits<double>::quiet_NaN());
            s.line_memo.assign(line_memo_entries * 2, std::numeric_limits<double>::quiet_NaN());
            s.owner = this;
        }
        double cost[B];
        for (int y = 0; y < c.years; ++y) {
            const auto& plan = c.plans[static_cast<std::size_t>(y)];
            s.amount.assign(plan.size() * rules * B, 0.0);
            for (std::size_t seg = 0; seg < plan.size(); ++seg)
                for (std::size_t b = 0; b < B; ++b) {
                    const double* v = slots[b];
                    const double contribution = v[plan[seg].rate_slot] * v[plan[seg].salary_slot];
                    for (std::size_t r = 0; r < rules; ++r) {
                        if (!plan[seg].rule_in_force[r]) continue;
                        const double x = v[static_cast<std::size_t>(c.rule_slot0) + r];
                        s.amount[(seg * rules + r) * B + b] = is_amount[r] ? round_half_up<B == 1>(x) : round_half_up<B == 1>(contribution * x);
                    }
                }
            // Package amounts (the sum of a group's lines' amounts, in line order) of
            // the year's overlaps; the last entry is 0 for a group without one.
            for (std::uint32_t k = package0[static_cast<std::size_t>(y)]; k < package0[static_cast<std::size_t>(y) + 1]; ++k) {
                const PackageSet& set = packages[k];
                for (std::size_t b = 0; b < B; ++b) {
                    double total = 0;
                    for (const std::uint32_t r : set.rules) total += s.amount[(set.segment * rules + r) * B + b];
                    s.package[k * B + b] = total;
                }
            }
            std::fill_n(s.package.end() - B, B, 0.0);
            if (y == 0 && !c.curves.empty()) {
                s.takeup_used.assign(kTakeupEntries, 0);
                for (std::size_t b = 0; b < B; ++b) s.lane_takeup[b] = takeup_entry(slots[b], s);
            }
            for (std::size_t leaf = 0; leaf < leaves; ++leaf) {
                const double* p = &persons[(static_cast<std::size_t>(y) * leaves + leaf) * groups];
                for (std::size_t g = 0; g < groups; ++g) {
                    if (c.monthly[g]) {  // costed month by month below
                        std::fill_n(&s.base[g * B], B, 0.0);
                        continue;
                    }
                    for (std::size_t b = 0; b < B; ++b) {
                        double h = p[g];
                        const double f = slots[b][cohort_scale + g] * (scale[b] ? scale[b][leaf * groups + g] : 1.0);
                        if (f != 1.0) h = round_half_up<B == 1>(h * f);
                        s.base[g * B + b] = h;
                    }
                }
                const auto& tl = tl_persons[static_cast<std::size_t>(y) * leaves + leaf];
                for (std::size_t seg = 0; seg < plan.size(); ++seg) {
                    const SegmentPlan& sp = plan[seg];
                    const double* amount = &s.amount[seg * rules * B];
                    const std::size_t cell_index = (segment0[static_cast<std::size_t>(y)] + seg) * leaves + leaf;
                    const Cell& cell = cells[cell_index];
                    const auto& overlaps = cell_overlaps[cell_index];
                    const double* persons_now = s.base.data();
                    if (!overlaps.empty()) {
                        // The highest-benefit rule for persons in two groups (as run.cpp):
                        // groups constant over the segment lose them here, the others month
                        // by month below (`drop`: what the overlaps take from them).
                        s.persons = s.base;
                        std::fill(s.drop.begin(), s.drop.end(), 0.0);
                        for (const CellOverlap& o : overlaps) {
                            const double* pa = &s.package[o.package_a * B];
                            const double* pd = &s.package[o.package_b * B];
                            for (std::size_t b = 0; b < B; ++b) {
                                const double a = pa[b];
                                const double d = pd[b];
                                const bool a_wins = a > d || (a == d && o.group_a < o.group_b);
                                const auto dropped = static_cast<std::size_t>(a_wins ? o.group_b : o.group_a);
                                if (c.monthly[dropped]) s.drop[dropped * B + b] += o.persons;
                                else s.persons[dropped * B + b] -= std::min(o.persons, s.persons[dropped * B + b]);
                            }
                        }
                        persons_now = s.persons.data();
                    }
                    // Groups other than the time-limited ones are constant over the
                    // segment: costed once for all its months.
                    for (std::uint32_t i = 0; i < cell.groups; ++i) {
                        const ActiveGroup& ag = groups_active[cell.first_group + i];
                        if (c.monthly[ag.group]) continue;
                        const double* h = &persons_now[ag.group * B];
                        double share[B], enrolled[B];
                        bool any = false;
                        for (std::size_t b = 0; b < B; ++b) {
                            share[b] = share_of(ag, slots[b], y, seg, leaf, s, b);
                            any = any || h[b] != 0;
                        }
                        if (!any) continue;
                        // No person, no cost: enrolled 0 costs floor(0.5) = 0 đồng.
                        for (std::size_t b = 0; b < B; ++b) enrolled[b] = round_half_up<B == 1>(h[b] * share[b]);
                        const double months = sp.months;
                        // Lines rounded cumulatively, as run.cpp rounds them: each costs
                        // round(enrolled × package so far) less what the lines before it cost.
                        double package[B], rounded[B];
                        {  // the first line: the package so far is its own amount
                            const ActiveLine& line = lines[ag.first_line];
                            const double* a = &amount[line.rule * B];
                            for (std::size_t b = 0; b < B; ++b) {
                                package[b] = a[b];
                                rounded[b] = floor_non_negative<B == 1>((enrolled[b] * a[b] + 5000.0) * 1e-4);
                                cost[b] = rounded[b] * months;
                            }
                            sink.line(y, leaf, ag.group, line.k, line.payer, cost);
                        }
                        for (std::uint32_t j = 1; j < ag.lines; ++j) {
                            const ActiveLine& line = lines[ag.first_line + j];
                            const double* a = &amount[line.rule * B];
                            for (std::size_t b = 0; b < B; ++b) {
                                package[b] += a[b];
                                const double upto = floor_non_negative<B == 1>((enrolled[b] * package[b] + 5000.0) * 1e-4);
                                cost[b] = (upto - rounded[b]) * months;
                                rounded[b] = upto;
                            }
                            sink.line(y, leaf, ag.group, line.k, line.payer, cost);
                        }
                    }
                    if (tl.empty()) continue;
                    // Groups whose persons change month by month (time-limited, by age):
                    // each month's enrolled persons rounded as run.cpp rounds them, then
                    // each line's monthly costs summed in one tight loop.
                    const std::size_t stride = tl_groups.size();
                    const int n = sp.last_month - sp.first_month + 1;
                    for (std::uint32_t i = 0; i < cell.groups; ++i) {
                        const ActiveGroup& ag = groups_active[cell.first_group + i];
                        if (!c.monthly[ag.group]) continue;
                        const auto t = static_cast<std::size_t>(tl_index[ag.group]);
                        const double* month_persons = &tl[static_cast<std::size_t>(sp.first_month - 1) * stride + t];
                        // The month memo of this group in this cell: the scale, share and
                        // persons dropped it was last computed for, its enrolled persons month
                        // by month, and whether any is not 0. A lane with the same three gets
                        // the same persons (the same arithmetic on the same numbers); most
                        // draws vary neither the age groups' shares nor their scale. Lanes
                        // that miss compute their own; the memo takes the last of them when
                        // no lane of the batch reads it.
                        double* memo = &s.month_memo[memo_index[cell.first_group + i] * kMemo];
                        double own[B][12];
                        const double* enrolled[B];
                        bool hit = false;
                        int nonzero = 0;
                        std::size_t missed = B;
                        int missed_any = 0;
                        double key[3];
                        for (std::size_t b = 0; b < B; ++b) {
                            const double f = slots[b][cohort_scale + ag.group] * (scale[b] ? scale[b][leaf * groups + ag.group] : 1.0);
                            const double share = share_of(ag, slots[b], y, seg, leaf, s, b);
                            // Persons the overlaps take from this group: taking p1, then p2, …
                            // (each at most what is left) leaves max(h − (p1 + p2 + …), 0);
                            // headcounts are whole numbers of 1/10,000 person, exact in a double.
                            const double drop = overlaps.empty() ? 0.0 : s.drop[ag.group * B + b];
                            if (memo[0] == f && memo[1] == share && memo[2] == drop) {
                                enrolled[b] = memo + 3;
                                nonzero |= memo[kMemoAny] != 0 ? 1 : 0;
                                hit = true;
                                continue;
                            }
                            double sum = 0;  // of non-negative whole numbers: 0 only if all are
                            for (int k = 0; k < n; ++k) {
                                const double m = month_persons[static_cast<std::size_t>(k) * stride];
                                const double h = std::max((f != 1.0 ? round_half_up<B == 1>(m * f) : m) - drop, 0.0);
                                own[b][k] = round_half_up<B == 1>(h * share);
                                sum += own[b][k];
                            }
                            enrolled[b] = own[b];
                            missed_any = sum != 0 ? 1 : 0;
                            nonzero |= missed_any;
                            missed = b;
                            key[0] = f;
                            key[1] = share;
                            key[2] = drop;
                        }
                        // Each line's cost for the memo's persons: the amount it was last
                        // computed for and the cost (the year's amounts take few values).
                        double* line_memo = &s.line_memo[static_cast<std::size_t>(line_memo_index[cell.first_group + i]) * 2];
                        if (!hit && missed < B) {
                            std::copy_n(key, 3, memo);
                            std::copy_n(own[missed], n, memo + 3);
                            memo[kMemoAny] = missed_any;
                            std::fill_n(line_memo, 2 * ag.lines, std::numeric_limits<double>::quiet_NaN());
                        }
                        if (nonzero == 0) continue;
                        // Lines rounded cumulatively month by month (see above): the memo keeps,
                        // per line, the package so far and the months' rounded cost of it.
                        double package[B] = {}, before[B] = {};
                        for (std::uint32_t j = 0; j < ag.lines; ++j) {
                            const ActiveLine& line = lines[ag.first_line + j];
                            const double* a = &amount[line.rule * B];
                            for (std::size_t b = 0; b < B; ++b) {
                                package[b] += a[b];
                                const bool from_memo = enrolled[b] == memo + 3;
                                double upto;
                                if (from_memo && line_memo[2 * j] == package[b]) {
                                    upto = line_memo[2 * j + 1];
                                } else {
                                    upto = 0;
                                    for (int k = 0; k < n; ++k) upto += floor_non_negative<B == 1>((enrolled[b][k] * package[b] + 5000.0) * 1e-4);
                                    if (from_memo) {
                                        line_memo[2 * j] = package[b];
                                        line_memo[2 * j + 1] = upto;
                                    }
                                }
                                cost[b] = upto - before[b];
                                before[b] = upto;
                            }
                            sink.line(y, leaf, ag.group, line.k, line.payer, cost);
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
                    a[r] = is_amount[r] ? round_half_up<true>(v) : round_half_up<true>(contrib * v);
                }
                amount[static_cast<std::size_t>(y)].push_back(std::move(a));
            }
        return takeup_rates(c, contribution, amount);
    }

    /// The cache entry of `s` holding the take-up rates for these slot values: they depend
    /// on the parameter and rule slots only (what people pay), which repeat across draws.
    std::size_t takeup_entry(const double* slots, FastModel::Scratch& s) const {
        const auto same = [&](const std::vector<double>& key) {
            for (std::size_t k = 0; k < takeup_slots.size(); ++k)
                if (key[k] != slots[takeup_slots[k]]) return false;
            return true;
        };
        for (std::size_t i = 0; i < s.takeup_keys.size(); ++i)
            if (same(s.takeup_keys[i])) {
                s.takeup_used[i] = 1;
                return i;
            }
        std::size_t i = s.takeup_keys.size();
        if (i < kTakeupEntries) {
            s.takeup_keys.emplace_back();
            s.takeup_rates.emplace_back();
        } else {
            // Round robin over the entries no lane of this batch uses (there are more
            // entries than lanes).
            do i = s.takeup_next++ % kTakeupEntries;
            while (s.takeup_used[i] != 0);
        }
        s.takeup_used[i] = 1;
        s.takeup_keys[i].clear();
        for (const std::size_t k : takeup_slots) s.takeup_keys[i].push_back(slots[k]);
        s.takeup_rates[i] = takeup_for(slots);
        return i;
    }

    /// The enrolment share of an active group in lane b: its take-up rate, or its enrolment slot.
    double share_of(const ActiveGroup& ag, const double* slots, int y, std::size_t seg, std::size_t leaf,
                    const FastModel::Scratch& s, std::size_t b) const {
        if (ag.enrol_slot != kTakeupSlot) return slots[ag.enrol_slot];
        const auto t = static_cast<std::size_t>(c.takeup_of_group[ag.group]);
        return s.takeup_rates[s.lane_takeup[b]][static_cast<std::size_t>(y)][seg][leaf * c.curves.size() + t];
    }
};

namespace {

/// Sums a leaf's lines per payer (and lane) in a small array that stays in the
/// first-level cache, and adds them to each run's totals once per leaf and year: the hot
/// loop then has no long chain of additions into one memory cell.
template <std::size_t B>
struct TotalsSink {
    std::size_t payers;
    FastModel::Outputs* const* out;  ///< per lane
    std::vector<double> acc = std::vector<double>(payers * B, 0.0);
    void line(int, std::size_t, std::uint32_t, std::uint32_t, std::uint32_t payer, const double* cost) {
        double* a = &acc[payer * B];
        for (std::size_t b = 0; b < B; ++b) a[b] += cost[b];
    }
    void end_leaf(int y, std::size_t leaf) {
        for (std::size_t b = 0; b < B; ++b) {
            double total = 0;
            for (std::size_t p = 0; p < payers; ++p) {
                out[b]->year_payer[static_cast<std::size_t>(y) * payers + p] += acc[p * B + b];
                total += acc[p * B + b];
                acc[p * B + b] = 0;
            }
            out[b]->leaf_total[leaf] += total;
        }
    }
};

struct LinesSink {
    const CompiledScenario::Impl& c;
    std::vector<double>& lines;
    void end_leaf(int, std::size_t) {}
    void line(int y, std::size_t leaf, std::uint32_t g, std::uint32_t k, std::uint32_t, const double* cost) {
        const std::size_t per_leaf = c.line_offset.back();
        lines[(static_cast<std::size_t>(y) * c.leaves.size() + leaf) * per_leaf + c.line_offset[g] + k] += cost[0];
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
    Outputs* lane[1] = {&out};
    run_batch(1, &slots, &leaf_group_scale, lane, scratch);
}

void FastModel::run_batch(std::size_t n, const double* const* slots, const double* const* leaf_group_scale,
                          Outputs* const* out, Scratch& scratch) const {
    const auto years = static_cast<std::size_t>(impl_->c.years), payers = static_cast<std::size_t>(impl_->c.payers);
    for (std::size_t b = 0; b < n; ++b) {
        out[b]->year_payer.assign(years * payers, 0.0);
        out[b]->leaf_total.assign(impl_->c.leaves.size(), 0.0);
    }
    if (n == 1) {
        TotalsSink<1> sink{payers, out};
        impl_->run<1>(slots, leaf_group_scale, scratch, sink);
        return;
    }
    // Lanes past n repeat the first run; their outputs go to the scratch.
    const double* lane_slots[kLanes];
    const double* lane_scale[kLanes];
    Outputs* lane_out[kLanes];
    for (std::size_t done = 0; done < n; done += kLanes) {
        const std::size_t m = std::min(kLanes, n - done);
        for (std::size_t b = 0; b < kLanes; ++b) {
            const std::size_t i = done + (b < m ? b : 0);
            lane_slots[b] = slots[i];
            lane_scale[b] = leaf_group_scale[i];
            lane_out[b] = b < m ? out[i] : &scratch.spare[b];
        }
        for (std::size_t b = m; b < kLanes; ++b) {
            lane_out[b]->year_payer.assign(years * payers, 0.0);
            lane_out[b]->leaf_total.assign(impl_->c.leaves.size(), 0.0);
        }
        TotalsSink<kLanes> sink{payers, lane_out};
        impl_->run<kLanes>(lane_slots, lane_scale, scratch, sink);
    }
}

std::vector<double> FastModel::run_lines(const double* slots) const {
    std::vector<double> lines(static_cast<std::size_t>(impl_->c.years) * impl_->c.leaves.size() * impl_->c.line_offset.back(), 0.0);
    LinesSink sink{impl_->c, lines};
    Scratch scratch;
    const double* no_scale = nullptr;
    impl_->run<1>(&slots, &no_scale, scratch, sink);
    return lines;
}

}  // namespace subsim
