// Sensitivity runs on the compiled scenario (see mc/sensitivity.hpp).
#include "subsim/mc/sensitivity.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

#include "../sim/compiled_impl.hpp"
#include "subsim/core/executor.hpp"
#include "subsim/engine.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/mc/random.hpp"
#include "subsim/sim/fast.hpp"

namespace subsim {

namespace {

using Per = UncertaintyEntry::Per;

/// A scenario's dated entry at `from`, added with the value then in force if absent: the
/// baseline is unchanged, and the entry gets a slot a draw can change.
template <class T>
void ensure_entry(Timeline<T>& t, Date from, const SourceLocation& where) {
    for (const auto& e : t.entries)
        if (e.from == from) return;
    const auto* in_force = t.at(from);
    if (in_force == nullptr) return;  // before the first entry: nothing to vary (compile refuses it anyway)
    DatedValue<T> v = *in_force;
    v.from = from;
    v.where = where;
    v.provenance.note = "added for an uncertainty entry";
    auto it = std::find_if(t.entries.begin(), t.entries.end(), [&](const auto& e) { return from < e.from; });
    t.entries.insert(it, std::move(v));
}

/// Makes every value an entry varies a slot of its own.
Scenario prepare(const Scenario& original, const std::vector<UncertaintyEntry>& entries) {
    Scenario s = original;
    for (const UncertaintyEntry& e : entries) {
        if (e.target == "parameters.base_salary" && e.from) ensure_entry(s.parameters.base_salary, *e.from, e.where);
        if (e.target == "parameters.contribution_rate" && e.from) ensure_entry(s.parameters.contribution_rate, *e.from, e.where);
        // enrolment.GROUP varies the group-wide shares: give the group one if it has none.
        const auto enrol = [&](int g) {
            for (const EnrolmentRate& r : s.enrolment)
                if (r.group == g && r.unit < 0) return;
            s.enrolment.push_back({g, -1, Date{s.first_year, 1, 1}, s.default_enrolment, {}, e.where});
        };
        if (e.target == "enrolment.every_group")
            for (std::size_t g = 0; g < s.groups().size(); ++g) enrol(static_cast<int>(g));
        else if (e.target.rfind("enrolment.", 0) == 0 && e.target != "enrolment.default") {
            const int g = s.find_group(e.target.substr(10));
            if (g >= 0) enrol(g);
        }
    }
    return s;
}

/// Where an entry's drawn values go in one scenario: slots (with the sub-draw index each
/// uses: 0, or the group for per-group entries) and, for per-unit group scales, the group.
struct Binding {
    std::vector<std::pair<int, std::uint32_t>> slots;  ///< (slot, sub-draw)
    int unit_scale_group = -1;                         ///< per: unit on cohorts.GROUP.scale
};

std::vector<Binding> bind_entries(const CompiledScenario& c, const std::vector<UncertaintyEntry>& entries) {
    const Scenario& s = c.scenario();
    std::vector<Binding> out(entries.size());
    const auto& slots = c.slots();
    for (std::size_t k = 0; k < entries.size(); ++k) {
        const UncertaintyEntry& e = entries[k];
        Binding& b = out[k];
        const auto add_named = [&](const std::string& name, std::uint32_t sub) {
            const int slot = c.find_slot(name);
            if (slot >= 0) b.slots.emplace_back(slot, sub);
        };
        if (e.target.rfind("parameters.", 0) == 0 && e.from) {
            add_named(e.target + "@" + e.from->to_string(), 0);
        } else if (e.target.rfind("rules.", 0) == 0 || e.target == "enrolment.default") {
            add_named(e.target, 0);
        } else if (e.target == "cohorts.scale") {
            for (std::size_t g = 0; g < s.groups().size(); ++g)
                add_named("cohorts." + s.groups()[g].id + ".scale", e.per == Per::group ? static_cast<std::uint32_t>(g) : 0);
        } else if (e.target.rfind("cohorts.", 0) == 0) {
            const std::string group = e.target.substr(8, e.target.size() - 8 - 6);  // cohorts.G.scale
            if (e.per == Per::unit) b.unit_scale_group = s.find_group(group);
            else add_named(e.target, 0);
        } else if (e.target.rfind("enrolment.", 0) == 0) {
            const bool every = e.target == "enrolment.every_group";
            for (std::size_t i = 0; i < slots.size(); ++i) {
                if (slots[i].kind != SlotKind::enrolment) continue;
                const EnrolmentRate& r = s.enrolment[static_cast<std::size_t>(slots[i].index)];
                const std::string& id = s.groups()[static_cast<std::size_t>(r.group)].id;
                if (every || e.target == "enrolment." + id)
                    b.slots.emplace_back(static_cast<int>(i), every && e.per == Per::group ? static_cast<std::uint32_t>(r.group) : 0);
            }
        }
    }
    return out;
}

/// The largest value a distribution can take (infinity if unbounded).
double upper_bound(const mc::DistributionSpec& spec) {
    struct V {
        double operator()(const mc::UniformSpec& d) const { return d.high; }
        double operator()(const mc::NormalSpec& d) const { return d.high.value_or(std::numeric_limits<double>::infinity()); }
        double operator()(const mc::LogNormalSpec& d) const {
            if (d.sdlog == 0) return std::exp(d.meanlog);
            return d.high.value_or(std::numeric_limits<double>::infinity());
        }
        double operator()(const mc::TriangularSpec& d) const { return d.high; }
        double operator()(const mc::BetaSpec& d) const { return d.high; }
        double operator()(const mc::DiscreteSpec& d) const { return *std::max_element(d.values.begin(), d.values.end()); }
    };
    return std::visit(V{}, spec);
}

/// An uncertain share must not be able to push a cohort's support over 100%: refused
/// (rather than truncated) with the rules it would add up with.
void check_shares(const CompiledScenario& compiled, const std::vector<UncertaintyEntry>& entries) {
    const CompiledScenario::Impl& c = compiled.impl();
    const Scenario& s = compiled.scenario();
    std::vector<double> most(static_cast<std::size_t>(c.rules), 0.0);
    std::vector<int> entry_of(static_cast<std::size_t>(c.rules), -1);
    for (int r = 0; r < c.rules; ++r) most[static_cast<std::size_t>(r)] = c.slots[static_cast<std::size_t>(c.rule_slot0 + r)].value.to_double();
    for (std::size_t k = 0; k < entries.size(); ++k) {
        const std::string& t = entries[k].target;
        if (t.rfind("rules.", 0) != 0 || t.size() < 6 || t.compare(t.size() - 6, 6, ".share") != 0) continue;
        const int r = s.find_rule(t.substr(6, t.size() - 12));
        if (r < 0) continue;
        most[static_cast<std::size_t>(r)] = upper_bound(entries[k].distribution);
        entry_of[static_cast<std::size_t>(r)] = static_cast<int>(k);
    }
    for (const auto& plan : c.plans)
        for (const SegmentPlan& seg : plan)
            for (int u : c.leaves)
                for (int g = 0; g < c.groups; ++g) {
                    double total = 0;
                    int uncertain = -1;
                    std::string rules;
                    for (int r : c.rules_of_group[static_cast<std::size_t>(g)]) {
                        if (!seg.rule_in_force[static_cast<std::size_t>(r)] || !c.applies(r, u)) continue;
                        if (c.slots[static_cast<std::size_t>(c.rule_slot0 + r)].kind != SlotKind::rule_share) continue;
                        total += most[static_cast<std::size_t>(r)];
                        if (entry_of[static_cast<std::size_t>(r)] >= 0) uncertain = entry_of[static_cast<std::size_t>(r)];
                        rules += (rules.empty() ? "" : " + ") + s.rules[static_cast<std::size_t>(r)].id;
                    }
                    if (uncertain < 0 || total <= 1.0 + 1e-12) continue;
                    const UncertaintyEntry& e = entries[static_cast<std::size_t>(uncertain)];
                    throw ScenarioError(e.where, "uncertainty[" + std::to_string(uncertain) + "]",
                                        i18n::tr("uncertainty.share_over_100",
                                                 {i18n::quoted(e.target), i18n::quoted(s.groups()[static_cast<std::size_t>(g)].id), rules}));
                }
}

/// One scenario of the study: compiled, its double-precision model, where draws go.
struct Study {
    std::unique_ptr<CompiledScenario> compiled;
    std::unique_ptr<FastModel> model;
    std::vector<Binding> bindings;
    std::vector<double> baseline;
    std::vector<int> payer_of_base;  ///< base payer → this scenario's payer, -1 if absent
};

/// The values of entry k for one draw: sub-draw j (unit or group) from Philox, with a
/// common factor mixed in through a Gaussian copula.
class Draws {
public:
    Draws(const std::vector<UncertaintyEntry>& entries, std::uint64_t seed) : entries_(entries), seed_(seed) {
        for (const UncertaintyEntry& e : entries) {
            dists_.emplace_back(e.distribution);
            int f = -1;
            if (!e.factor.empty()) {
                const auto it = std::find(factors_.begin(), factors_.end(), e.factor);
                f = static_cast<int>(it - factors_.begin());
                if (it == factors_.end()) factors_.push_back(e.factor);
            }
            factor_of_.push_back(f);
        }
    }
    double uniform(std::uint64_t draw, std::size_t k, std::uint32_t sub) const {
        const double u = mc::uniform(seed_, draw, static_cast<std::uint32_t>(k), sub);
        const int f = factor_of_[k];
        if (f < 0) return u;
        constexpr std::uint32_t kFactorInputs = 1u << 20;  // factors' streams, apart from the entries'
        const double uf = mc::uniform(seed_, draw, kFactorInputs + static_cast<std::uint32_t>(f), 0);
        const double w = entries_[k].loading;
        const double z = std::sqrt(w) * mc::normal_quantile(uf) + std::sqrt(1.0 - w) * mc::normal_quantile(u);
        return std::clamp(mc::normal_cdf(z), 0x1p-53, 1.0 - 0x1p-53);
    }
    double value(std::uint64_t draw, std::size_t k, std::uint32_t sub) const { return dists_[k].quantile(uniform(draw, k, sub)); }
    const mc::Distribution& distribution(std::size_t k) const { return dists_[k]; }

private:
    const std::vector<UncertaintyEntry>& entries_;
    std::uint64_t seed_;
    std::vector<mc::Distribution> dists_;
    std::vector<std::string> factors_;
    std::vector<int> factor_of_;
};

/// Per-thread buffers for one run of one scenario.
struct Worker {
    std::vector<double> slots;
    std::vector<double> scale;  ///< leaves × groups
    FastModel::Outputs out;
    FastModel::Scratch scratch;  ///< for single runs (baseline, tornado)
};

/// Sets a study's slots (and unit scales) for input values given per entry by
/// `value(k, sub)`; entries `varied(k)` says no to keep their baseline.
template <class Value, class Varied>
void apply_values(const Study& st, const std::vector<UncertaintyEntry>& entries, Value value, Varied varied, Worker& w) {
    w.slots = st.baseline;
    bool scaled = false;
    for (std::size_t k = 0; k < entries.size(); ++k) {
        if (!varied(k)) continue;
        const Binding& b = st.bindings[k];
        for (const auto& [slot, sub] : b.slots) w.slots[static_cast<std::size_t>(slot)] = value(k, sub);
        if (b.unit_scale_group >= 0) {
            const auto groups = static_cast<std::size_t>(st.model->groups());
            const auto leaves = static_cast<std::size_t>(st.model->leaves());
            if (!scaled) w.scale.assign(leaves * groups, 1.0);
            scaled = true;
            for (std::size_t l = 0; l < leaves; ++l)
                w.scale[l * groups + static_cast<std::size_t>(b.unit_scale_group)] = value(k, static_cast<std::uint32_t>(l));
        }
    }
    if (!scaled) w.scale.clear();
}

/// Runs m (at most FastModel::kLanes) draws of a study in one batch: draw b's value of
/// entry k (sub-draw sub) is value(b, k, sub); its outputs land in w[b].out.
template <class Value>
void run_lanes(const Study& st, const std::vector<UncertaintyEntry>& entries, std::size_t m, Value value,
               std::vector<Worker>& w, FastModel::Scratch& scratch) {
    const double* slots[FastModel::kLanes];
    const double* scale[FastModel::kLanes];
    FastModel::Outputs* out[FastModel::kLanes];
    for (std::size_t b = 0; b < m; ++b) {
        apply_values(st, entries, [&](std::size_t k, std::uint32_t sub) { return value(b, k, sub); }, [](std::size_t) { return true; },
                     w[b]);
        slots[b] = w[b].slots.data();
        scale[b] = w[b].scale.empty() ? nullptr : w[b].scale.data();
        out[b] = &w[b].out;
    }
    st.model->run_batch(m, slots, scale, out, scratch);
}

/// Outputs in base years × (base payers + total), then the whole period.
void outputs_of(const Study& st, const Study& base, const FastModel::Outputs& out, double* dest) {
    const auto years = static_cast<std::size_t>(base.model->years());
    const auto payers = static_cast<std::size_t>(base.model->payers());
    const auto own_payers = static_cast<std::size_t>(st.model->payers());
    const int year_shift = st.compiled->scenario().first_year - base.compiled->scenario().first_year;
    std::vector<double> all(payers + 1, 0.0);
    for (std::size_t y = 0; y < years; ++y) {
        double total = 0;
        const long own_year = static_cast<long>(y) - year_shift;
        for (std::size_t p = 0; p < payers; ++p) {
            const int q = st.payer_of_base[p];
            double v = 0;
            if (q >= 0 && own_year >= 0 && own_year < st.model->years())
                v = out.year_payer[static_cast<std::size_t>(own_year) * own_payers + static_cast<std::size_t>(q)];
            dest[y * (payers + 1) + p] = v;
            total += v;
            all[p] += v;
        }
        dest[y * (payers + 1) + payers] = total;
        all[payers] += total;
    }
    for (std::size_t p = 0; p <= payers; ++p) dest[years * (payers + 1) + p] = all[p];
}

/// The largest cost a study may add up: 2^62 đồng. Costs are doubles during the draws
/// and whole đồng (64-bit) in the reports; below 2^62 a difference of two costs, a spread
/// or a tornado swing also fits in 64 bits.
constexpr double kMaxStudyCost = 0x1p62;

bool too_large(double v) { return !(std::fabs(v) < kMaxStudyCost); }

/// A study's whole-period cost (every payer) with the entries `varied(k)` says yes to at
/// their largest values, the others at the baseline.
template <class Varied>
double cost_at_top(const Study& st, const std::vector<UncertaintyEntry>& entries, const std::vector<double>& top, Varied varied) {
    Worker w;
    apply_values(st, entries, [&](std::size_t k, std::uint32_t) { return top[k]; }, varied, w);
    st.model->run(w.slots.data(), w.scale.empty() ? nullptr : w.scale.data(), w.out, w.scratch);
    double total = 0;
    for (double v : w.out.year_payer) total += v;
    return total;
}

/// Refuses a cost past kMaxStudyCost, at the entry that alone at its largest value costs
/// the most (the one to bound); `top` holds each entry's largest value.
[[noreturn]] void refuse_too_large(const Study& st, const std::vector<UncertaintyEntry>& entries, const std::vector<double>& top) {
    std::size_t worst = 0;
    double most = -1;
    for (std::size_t k = 0; k < entries.size(); ++k) {
        const double c = std::isfinite(top[k]) ? cost_at_top(st, entries, top, [&](std::size_t j) { return j == k; })
                                               : std::numeric_limits<double>::infinity();
        if (!(c <= most)) {
            most = c;
            worst = k;
        }
        if (std::isinf(most)) break;
    }
    const UncertaintyEntry& e = entries[worst];
    throw ScenarioError(e.where, "uncertainty[" + std::to_string(worst) + "]",
                        i18n::tr("uncertainty.cost_too_large",
                                 {i18n::quoted(e.target), i18n::money(static_cast<std::int64_t>(kMaxStudyCost))}));
}

/// Every entry at the largest value it can draw (costs grow with shares, amounts, the
/// salary, the rate, group sizes and enrolment): the whole-period cost must stay below
/// kMaxStudyCost, or the draws could not be added up and reported in whole đồng.
/// (A take-up curve can make a cost fall as a value rises; run_sensitivity checks the
/// draws themselves too.)
void check_ceiling(const Study& st, const std::vector<UncertaintyEntry>& entries) {
    std::vector<double> top;
    for (const UncertaintyEntry& e : entries) top.push_back(upper_bound(e.distribution));
    for (double t : top)
        if (!std::isfinite(t)) refuse_too_large(st, entries, top);
    if (too_large(cost_at_top(st, entries, top, [](std::size_t) { return true; }))) refuse_too_large(st, entries, top);
}

/// A variant that sets a value an inherited entry draws (the contribution rate from
/// 2027, a group's scale, a rule's share) keeps its own value in every draw: the draws
/// would otherwise replace it in the variant as in the base, and its difference would be
/// 0 however large the change. Its other inputs are drawn as the base's are. Each value
/// kept is a warning naming the variant's line. (The slot values of base and variant
/// differ exactly where the variant changed what the entry draws.)
void keep_variant_values(std::vector<Study>& studies, const std::vector<Scenario>& scenarios,
                         const std::vector<UncertaintyEntry>& entries, std::vector<Warning>& warnings) {
    const Study& base = studies.front();
    for (std::size_t i = 1; i < studies.size(); ++i) {
        Study& st = studies[i];
        const Scenario& v = scenarios[i];
        for (std::size_t k = 0; k < entries.size(); ++k) {
            auto& own = st.bindings[k].slots;
            const auto& theirs = base.bindings[k].slots;
            bool changed = own.size() != theirs.size();  // e.g. enrolment rows the variant added
            for (std::size_t j = 0; !changed && j < own.size(); ++j)
                changed = own[j].second != theirs[j].second ||
                          st.baseline[static_cast<std::size_t>(own[j].first)] != base.baseline[static_cast<std::size_t>(theirs[j].first)];
            if (!changed) continue;
            own.clear();  // not drawn in this variant: its own value stands
            const UncertaintyEntry& e = entries[k];
            const std::string key = e.target + (e.from ? "@" + e.from->to_string() : std::string());
            SourceLocation where = v.where;
            for (const Provision& p : v.provisions)
                if (p.key == key || p.key == e.target || (e.target.rfind("enrolment.", 0) == 0 && p.key.rfind("enrolment.", 0) == 0))
                    where = p.where;
            warnings.push_back({where, "uncertainty[" + std::to_string(k) + "]",
                                i18n::tr("uncertainty.variant_keeps_value", {i18n::quoted(key), same_text(v.id)})});
        }
    }
}

/// `v` as a Decimal (its shortest fixed-point digits), or nullopt.
std::optional<Decimal> decimal_of(double v) {
    char buffer[128];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed);
    if (ec != std::errc{}) return std::nullopt;
    return Decimal::parse(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
}

/// Draws count persons a unit's population cannot hold if, with every entry at its largest
/// value (the group scales, shares and enrolment that raise enrolment most; per-unit scales
/// at their largest in every unit at once), enrolment passes the population somewhere: a
/// warning naming the unit and year where coverage is highest, run exactly on the study's
/// compiled scenario. (run and validate refuse coverage over 100% at the scenario's own
/// values; draws are not checked one by one.)
void warn_coverage_at_top(const Study& st, const std::vector<UncertaintyEntry>& entries, const Executor& executor,
                          std::vector<Warning>& warnings) {
    if (entries.empty()) return;
    const CompiledScenario& compiled = *st.compiled;
    const Scenario& s = compiled.scenario();
    SlotValues values = compiled.baseline();
    SourceLocation where = entries.front().where;
    for (std::size_t k = 0; k < entries.size(); ++k) {
        const std::optional<Decimal> top = decimal_of(upper_bound(entries[k].distribution));
        if (!top) return;
        const Binding& b = st.bindings[k];
        for (const auto& [slot, sub] : b.slots) values[static_cast<std::size_t>(slot)] = *top;
        if (b.unit_scale_group >= 0) {
            const int slot = compiled.find_slot("cohorts." + s.groups()[static_cast<std::size_t>(b.unit_scale_group)].id + ".scale");
            if (slot >= 0) values[static_cast<std::size_t>(slot)] = exact_product(values[static_cast<std::size_t>(slot)], *top);
        }
        const std::string& t = entries[k].target;
        if (t.rfind("cohorts.", 0) == 0 || t.rfind("enrolment.", 0) == 0) where = entries[k].where;
    }
    Totals totals;
    try {
        totals = run_totals(compiled, executor, &values);
    } catch (const std::exception&) {
        return;  // past the range of đồng: check_ceiling has refused the study already
    }
    const std::vector<CoverageRow> rows = coverage_from(compiled.impl(), totals.insured, false);
    const CoverageRow* worst = nullptr;  // the highest coverage over 100%
    for (const CoverageRow& row : rows) {
        if (row.population <= 0 || row.enrolled <= headcount_of_persons(row.population)) continue;
        if (worst == nullptr ||
            static_cast<__int128>(row.enrolled) * worst->population > static_cast<__int128>(worst->enrolled) * row.population)
            worst = &row;
    }
    if (worst == nullptr) return;
    // Coverage in hundredths of a percent, rounded half-up.
    const auto hundredths =
        static_cast<std::int64_t>((static_cast<__int128>(worst->enrolled) + worst->population / 2) / worst->population);
    const Unit& u = s.units()[static_cast<std::size_t>(worst->unit)];
    warnings.push_back({where, "uncertainty",
                        i18n::tr("uncertainty.coverage_at_top",
                                 {same_text(s.id), i18n::fixed(worst->enrolled, 4, 2), u.code + " (" + u.name + ")", worst->year,
                                  i18n::join({i18n::fixed(hundredths, 2, 2), same_text("%")}, ""), i18n::grouped(worst->population)})});
}

}  // namespace

void check_uncertainty(const Scenario& s, const Executor& executor) {
    if (s.uncertainty.empty()) return;
    std::vector<Warning> ignored;
    Study st;
    st.compiled = std::make_unique<CompiledScenario>(engine::compile(prepare(s, s.uncertainty), executor, ignored));
    st.bindings = bind_entries(*st.compiled, s.uncertainty);
    check_shares(*st.compiled, s.uncertainty);
    st.model = std::make_unique<FastModel>(*st.compiled);
    st.baseline = st.model->baseline();
    check_ceiling(st, s.uncertainty);
}

SensitivityResult run_sensitivity(const std::vector<Scenario>& scenarios, const Executor& executor,
                                  const SensitivityOptions& options) {
    SensitivityResult res;
    const Scenario& base_scenario = scenarios.front();
    const std::vector<UncertaintyEntry>& entries = base_scenario.uncertainty;
    res.inputs = entries;
    res.draws = options.draws;
    res.seed = options.seed;

    std::vector<Study> studies;
    for (const Scenario& s : scenarios) {
        Study st;
        std::vector<Warning> ignored;
        st.compiled = std::make_unique<CompiledScenario>(engine::compile(prepare(s, entries), executor, ignored));
        st.model = std::make_unique<FastModel>(*st.compiled);
        st.bindings = bind_entries(*st.compiled, entries);
        st.baseline = st.model->baseline();
        res.scenario_ids.push_back(s.id);
        studies.push_back(std::move(st));
    }
    for (Study& st : studies)
        for (const Payer& p : base_scenario.payers) st.payer_of_base.push_back(st.compiled->scenario().find_payer(p.id));
    keep_variant_values(studies, scenarios, entries, res.warnings);
    for (const Study& st : studies) check_shares(*st.compiled, entries);
    for (const Study& st : studies) check_ceiling(st, entries);
    for (const Study& st : studies) warn_coverage_at_top(st, entries, executor, res.warnings);

    // Output names.
    const Study& base = studies.front();
    const auto years = static_cast<std::size_t>(base.model->years());
    const auto payers = static_cast<std::size_t>(base.model->payers());
    const std::size_t n_out = (years + 1) * (payers + 1);
    for (std::size_t y = 0; y <= years; ++y)
        for (std::size_t p = 0; p <= payers; ++p)
            res.outputs.push_back("cost:" + (y == years ? std::string("all") : std::to_string(base_scenario.first_year + static_cast<int>(y))) +
                                  ":" + (p == payers ? std::string("total") : base_scenario.payers[p].id));
    // The Sobol' outputs asked for must exist, whether or not a design is run (--sobol 0).
    std::vector<std::size_t> chosen;
    for (const std::string& name : options.sobol_outputs) {
        const auto it = std::find(res.outputs.begin(), res.outputs.end(), name);
        if (it == res.outputs.end())
            throw ScenarioError({}, "--sobol-output", i18n::tr("sensitivity.unknown_output", {i18n::quoted(name), res.outputs.front(), res.outputs.back()}));
        chosen.push_back(static_cast<std::size_t>(it - res.outputs.begin()));
    }
    if (chosen.empty())
        for (std::size_t o = 0; o < n_out; ++o) chosen.push_back(o);
    const auto& leaves = base.compiled->impl().leaves;
    for (int u : leaves) {
        res.unit_codes.push_back(base_scenario.units()[static_cast<std::size_t>(u)].code);
        res.unit_names.push_back(base_scenario.units()[static_cast<std::size_t>(u)].name);
    }

    // Baseline.
    {
        Worker w;
        w.slots = base.baseline;
        base.model->run(w.slots.data(), nullptr, w.out, w.scratch);
        res.baseline.resize(n_out);
        outputs_of(base, base, w.out, res.baseline.data());
    }

    const Draws draws(entries, options.seed);
    const std::uint64_t n = options.draws;
    const std::size_t n_var = studies.size() - 1;
    std::vector<double> base_out(n * n_out), unit_out(n * leaves.size());
    std::vector<double> var_out(n_var * n * n_out);
    if (options.keep_draws) res.draw_inputs.assign(n * entries.size(), 0.0);
    std::size_t sobol_points = 0;
    std::unique_ptr<mc::SaltelliDesign> design;
    if (options.sobol_rows > 0 && !entries.empty()) {
        design = std::make_unique<mc::SaltelliDesign>(options.sobol_rows, entries.size(), options.seed);
        sobol_points = design->points();
    }
    const std::uint64_t total_runs = n * studies.size() + 2 * entries.size() + sobol_points;
    std::atomic<std::uint64_t> done{0};
    std::mutex progress_lock;
    const auto report = [&](std::uint64_t runs) {
        const std::uint64_t now = done += runs;
        if (options.progress) {
            std::lock_guard<std::mutex> lock(progress_lock);
            options.progress(now, total_runs);
        }
    };

    // The draws, in chunks; every draw writes its own rows. Within a chunk, a study runs
    // FastModel::kLanes draws at a time (run_batch: one walk of the cells for them all).
    // Each worker thread keeps its buffers from chunk to chunk, and a scratch per study
    // (its take-up rates are its own): their caches only save work, so the results do
    // not depend on which worker ran which chunk. Small chunks keep the two halves of
    // the work even.
    constexpr std::uint64_t kChunk = 64;
    constexpr std::size_t kLanes = FastModel::kLanes;
    const auto workers = static_cast<std::size_t>(executor.threads());
    std::vector<std::vector<Worker>> worker_lanes(workers, std::vector<Worker>(kLanes));
    std::vector<std::vector<FastModel::Scratch>> worker_scratch(workers);
    for (auto& per_study : worker_scratch) per_study.resize(studies.size());
    const std::size_t chunks = static_cast<std::size_t>((n + kChunk - 1) / kChunk);
    executor.for_each_worker(chunks, [&](std::size_t chunk, std::size_t worker) {
        std::vector<Worker>& w = worker_lanes[worker];
        std::vector<FastModel::Scratch>& scratch = worker_scratch[worker];
        const std::uint64_t first = chunk * kChunk, last = std::min(n, first + kChunk);
        for (std::uint64_t i0 = first; i0 < last; i0 += kLanes) {
            const auto m = static_cast<std::size_t>(std::min<std::uint64_t>(kLanes, last - i0));
            for (std::size_t s = 0; s < studies.size(); ++s) {
                const Study& st = studies[s];
                run_lanes(st, entries, m, [&](std::size_t b, std::size_t k, std::uint32_t sub) { return draws.value(i0 + b, k, sub); },
                          w, scratch[s]);
                for (std::size_t b = 0; b < m; ++b) {
                    const std::uint64_t i = i0 + b;
                    if (s == 0) {
                        outputs_of(st, base, w[b].out, &base_out[i * n_out]);
                        std::copy(w[b].out.leaf_total.begin(), w[b].out.leaf_total.end(),
                                  unit_out.begin() + static_cast<std::ptrdiff_t>(i * leaves.size()));
                    } else {
                        outputs_of(st, base, w[b].out, &var_out[((s - 1) * n + i) * n_out]);
                    }
                }
            }
            if (options.keep_draws)
                for (std::uint64_t i = i0; i < i0 + m; ++i)
                    for (std::size_t k = 0; k < entries.size(); ++k) res.draw_inputs[i * entries.size() + k] = draws.value(i, k, 0);
        }
        report((last - first) * studies.size());
    });

    // Draws past kMaxStudyCost (where a take-up curve made the top of the ranges cost
    // less than some draw): refused like the ceiling, never reported.
    const auto top_values = [&] {
        std::vector<double> top;
        for (const UncertaintyEntry& e : entries) top.push_back(upper_bound(e.distribution));
        return top;
    };
    if (std::any_of(base_out.begin(), base_out.end(), too_large) || std::any_of(unit_out.begin(), unit_out.end(), too_large))
        refuse_too_large(base, entries, top_values());
    for (std::size_t v = 0; v < n_var; ++v)
        if (std::any_of(var_out.begin() + static_cast<std::ptrdiff_t>(v * n * n_out),
                        var_out.begin() + static_cast<std::ptrdiff_t>((v + 1) * n * n_out), too_large))
            refuse_too_large(studies[v + 1], entries, top_values());
    res.base = mc::summarize_columns(base_out, n_out, executor);
    for (std::size_t v = 0; v < n_var; ++v) {
        std::vector<double> diff(n * n_out);
        for (std::size_t i = 0; i < n * n_out; ++i) diff[i] = var_out[v * n * n_out + i] - base_out[i];
        res.difference.push_back(mc::summarize_columns(diff, n_out, executor));
    }
    res.unit_total = mc::summarize_columns(unit_out, leaves.size(), executor);
    if (options.keep_draws) res.draw_outputs = base_out;

    // Tornado: each input at its P5 and P95, the others at the baseline.
    {
        std::vector<std::vector<double>> at(entries.size() * 2, std::vector<double>(n_out));
        executor.for_each(entries.size() * 2, [&](std::size_t job) {
            const std::size_t k = job / 2;
            const double u = job % 2 == 0 ? 0.05 : 0.95;
            const double v = draws.distribution(k).quantile(u);
            Worker w;
            apply_values(base, entries, [&](std::size_t, std::uint32_t) { return v; }, [&](std::size_t kk) { return kk == k; }, w);
            base.model->run(w.slots.data(), w.scale.empty() ? nullptr : w.scale.data(), w.out, w.scratch);
            outputs_of(base, base, w.out, at[job].data());
            report(1);
        });
        for (const std::vector<double>& a : at)
            if (std::any_of(a.begin(), a.end(), too_large)) refuse_too_large(base, entries, top_values());
        for (std::size_t o = 0; o < n_out; ++o) {
            std::vector<TornadoRow> rows;
            for (std::size_t k = 0; k < entries.size(); ++k) {
                TornadoRow row;
                row.input = static_cast<int>(k);
                row.output = res.outputs[o];
                row.low_value = draws.distribution(k).quantile(0.05);
                row.high_value = draws.distribution(k).quantile(0.95);
                row.at_low = at[2 * k][o];
                row.at_high = at[2 * k + 1][o];
                row.swing = std::abs(row.at_high - row.at_low);
                rows.push_back(row);
            }
            std::stable_sort(rows.begin(), rows.end(), [](const TornadoRow& a, const TornadoRow& b) { return a.swing > b.swing; });
            res.tornado.insert(res.tornado.end(), rows.begin(), rows.end());
        }
    }

    // Sobol' indices on the chosen outputs.
    if (design) {
        for (std::size_t o : chosen) res.sobol_outputs.push_back(res.outputs[o]);
        const std::size_t points = design->points();
        std::vector<double> values(points * chosen.size());
        const std::size_t sobol_chunks = (points + kChunk - 1) / kChunk;
        executor.for_each_worker(sobol_chunks, [&](std::size_t chunk, std::size_t worker) {
            std::vector<Worker>& w = worker_lanes[worker];
            FastModel::Scratch& scratch = worker_scratch[worker].front();  // the base study's
            std::vector<std::vector<double>> u(kLanes, std::vector<double>(entries.size()));
            std::vector<double> all(n_out);
            const std::size_t first = chunk * kChunk, last = std::min(points, first + kChunk);
            for (std::size_t p0 = first; p0 < last; p0 += kLanes) {
                const std::size_t m = std::min(kLanes, last - p0);
                for (std::size_t b = 0; b < m; ++b) design->unit_point(p0 + b, u[b]);
                run_lanes(base, entries, m,
                          [&](std::size_t b, std::size_t k, std::uint32_t) { return draws.distribution(k).quantile(u[b][k]); }, w,
                          scratch);
                for (std::size_t b = 0; b < m; ++b) {
                    outputs_of(base, base, w[b].out, all.data());
                    for (std::size_t j = 0; j < chosen.size(); ++j) values[(p0 + b) * chosen.size() + j] = all[chosen[j]];
                }
            }
            report(last - first);
        });
        if (std::any_of(values.begin(), values.end(), too_large)) refuse_too_large(base, entries, top_values());
        mc::BootstrapOptions b;
        b.resamples = options.bootstrap;
        b.converged_width = options.converged_width;
        b.seed = options.seed;
        res.sobol = mc::sobol_indices(*design, values, chosen.size(), b);
        res.sobol_rows = options.sobol_rows;
    }
    return res;
}

}  // namespace subsim
