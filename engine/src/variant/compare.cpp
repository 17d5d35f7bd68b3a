#include "subsim/variant/compare.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "subsim/core/executor.hpp"
#include "subsim/engine.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim {

namespace {

ScenarioRun run_scenario(std::shared_ptr<const Scenario> s, const Executor& executor) {
    ScenarioRun r;
    r.scenario = std::move(s);
    r.compiled = std::make_unique<CompiledScenario>(engine::compile(*r.scenario, executor, r.warnings));
    r.results = engine::run(*r.compiled, executor);
    r.results.warnings = r.warnings;
    return r;
}

/// Totals per base year × payer (payers by id; a payer the scenario lacks costs 0).
/// [year][payer] over the base's years and the comparison's payers (`ids`), from `s`'s totals.
std::vector<Dong> year_payer_totals(const Scenario& base, const std::vector<std::string>& ids, const Scenario& s,
                                    const Totals& t) {
    std::vector<Dong> out(static_cast<std::size_t>(base.year_count()) * ids.size(), 0);
    for (std::size_t p = 0; p < ids.size(); ++p) {
        const int q = s.find_payer(ids[p]);
        if (q < 0) continue;
        for (int y = base.first_year; y <= base.last_year; ++y)
            if (y >= t.first_year && y < t.first_year + t.years)
                out[static_cast<std::size_t>(y - base.first_year) * ids.size() + p] = t.cost(y, q);
    }
    return out;
}

std::vector<Dong> difference(const std::vector<Dong>& a, const std::vector<Dong>& b) {
    std::vector<Dong> d(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (__builtin_sub_overflow(a[i], b[i], &d[i])) throw ArithmeticOverflow{};
    }
    return d;
}

/// Totals of `s` as compiled and run into the totals sink (no budget lines).
std::vector<Dong> totals_of(const Scenario& base, const std::vector<std::string>& ids, const Scenario& s,
                            const Executor& executor) {
    std::vector<Warning> ignored;
    const CompiledScenario c = engine::compile(s, executor, ignored);
    return year_payer_totals(base, ids, s, run_totals(c, executor));
}

/// The provisions from `base` to `variant` along the chain of scenarios the variant
/// extends, in the order they apply; nullopt if the variant does not extend the base.
std::optional<std::vector<const Provision*>> provisions_between(const Scenario& base, const Scenario& variant) {
    std::vector<const Scenario*> chain;
    for (const Scenario* s = &variant; s != nullptr; s = s->base.get()) {
        if (s->id == base.id && s != &variant) {
            std::vector<const Provision*> out;
            for (auto it = chain.rbegin(); it != chain.rend(); ++it)
                for (const Provision& p : (*it)->provisions) out.push_back(&p);
            return out;
        }
        chain.push_back(s);
    }
    return std::nullopt;
}

/// The stacked steps of variant v; `base_t`: the base's totals (year_payer_totals).
std::vector<StackedStep> stack_variant(const Comparison& cmp, int v, const std::vector<Dong>& base_t, const Executor& executor) {
    std::vector<StackedStep> out;
    const Scenario& base = *cmp.base.scenario;
    const Scenario& variant = *cmp.variants[static_cast<std::size_t>(v)].scenario;
    const std::vector<Dong> variant_t =
        year_payer_totals(base, cmp.payer_ids, variant, run_totals(*cmp.variants[static_cast<std::size_t>(v)].compiled, executor));
    const auto provisions = provisions_between(base, variant);
    if (!provisions || provisions->empty()) {
        // Not built on the base (or nothing changed): the whole scenario is one step.
        out.push_back({v, 1, "scenario", i18n::tr("compare.whole_scenario", {variant.id}), difference(variant_t, base_t),
                       difference(variant_t, base_t)});
        return out;
    }
    Scenario current = base;
    current.base = nullptr;
    std::vector<Dong> previous = base_t;
    // Provisions that cannot stand as a step of their own (a payer added for a rule that
    // comes next: the scenario between them is invalid) are joined with the next one.
    std::string joined_key;
    std::vector<Text> joined_labels;
    int steps = 0;
    for (std::size_t i = 0; i < provisions->size(); ++i) {
        const Provision& p = *(*provisions)[i];
        p.apply(current);
        const std::string key = joined_key.empty() ? p.key : joined_key + " + " + p.key;
        std::vector<Text> labels = joined_labels;
        labels.push_back(p.label);
        const Text label = labels.size() == 1 ? p.label : i18n::join(labels, "; ");
        // The last step is the variant itself: its totals are already known, and equal.
        std::optional<std::vector<Dong>> now;
        if (i + 1 == provisions->size()) {
            now = variant_t;
        } else {
            try {
                now = totals_of(base, cmp.payer_ids, current, executor);
            } catch (const ScenarioError&) {
            }
        }
        if (!now) {
            joined_key = key;
            joined_labels = std::move(labels);
            continue;
        }
        const bool joined = !joined_key.empty();
        joined_key.clear();
        joined_labels.clear();
        StackedStep step{v, ++steps, key, label, difference(*now, previous), std::nullopt};
        previous = *now;
        // A joined step has no figure alone (its first provision is invalid by itself).
        if (joined) {
            out.push_back(std::move(step));
            continue;
        }
        // The provision alone: on the base, without the ones before it. The first one
        // alone is the first step (the same scenario): its increment.
        if (i == 0) {
            step.alone = step.increment;
            out.push_back(std::move(step));
            continue;
        }
        try {
            Scenario alone = base;
            alone.base = nullptr;
            p.apply(alone);
            step.alone = difference(totals_of(base, cmp.payer_ids, alone, executor), base_t);
        } catch (const std::out_of_range&) {
            // It changes something an earlier provision adds: it cannot stand alone.
        } catch (const ScenarioError&) {
            // Alone it makes an invalid scenario (e.g. shares over 100%): no figure.
        }
        out.push_back(std::move(step));
    }
    return out;
}

std::string years_text(const Scenario& s) {
    std::string text = std::to_string(s.first_year);
    text.append("–").append(std::to_string(s.last_year));
    return text;
}

void check_same_years(const Scenario& base, const Scenario& variant) {
    if (variant.first_year == base.first_year && variant.last_year == base.last_year) return;
    // A year only one of them costs would read as a saving (or cost) of 100%.
    throw ScenarioError(variant.years_where, "scenario.years",
                        i18n::tr("compare.years_differ", {variant.id, years_text(variant), base.id, years_text(base)}));
}

/// Base unit → variant unit by code; the first unit in only one of them is an error
/// unless allowed (then a warning lists them).
std::vector<int> map_units(const Scenario& base, const Scenario& variant, const CompareOptions& options,
                           std::vector<Warning>& warnings) {
    std::map<std::string, int> by_code;
    for (std::size_t u = 0; u < variant.units().size(); ++u) by_code.emplace(variant.units()[u].code, static_cast<int>(u));
    std::vector<int> map(base.units().size(), -1);
    std::vector<std::string> only_base, only_variant;
    for (std::size_t u = 0; u < base.units().size(); ++u) {
        const auto it = by_code.find(base.units()[u].code);
        if (it == by_code.end()) only_base.push_back(base.units()[u].code);
        else map[u] = it->second;
    }
    std::set<std::string> base_codes;
    for (const Unit& u : base.units()) base_codes.insert(u.code);
    for (const Unit& u : variant.units())
        if (!base_codes.count(u.code)) only_variant.push_back(u.code);
    const bool same_order = only_base.empty() && only_variant.empty() && base.units().size() == variant.units().size();
    if (same_order) return map;
    if (only_base.size() == base.units().size())  // not even --allow-unit-changes: nothing to compare
        throw ScenarioError(variant.where, "units", i18n::tr("compare.no_common_units", {variant.id, base.id}));
    if (!options.allow_unit_changes) {
        const bool missing = !only_base.empty();
        const std::string code = missing ? only_base.front() : only_variant.front();
        throw ScenarioError(variant.where, "units",
                            i18n::tr(missing ? "compare.unit_missing" : "compare.unit_extra",
                                     {i18n::quoted(code), variant.id, base.id}));
    }
    const auto list = [](const std::vector<std::string>& v) {
        std::string out;
        for (std::size_t i = 0; i < v.size() && i < 10; ++i) out += (i ? ", " : "") + v[i];
        if (v.size() > 10) out += ", …";
        return out.empty() ? std::string("—") : out;
    };
    warnings.push_back({variant.where, "units",
                        i18n::tr("compare.units_differ", {variant.id, base.id, list(only_base), list(only_variant)})});
    return map;
}

}  // namespace

std::vector<std::vector<int>> check_comparable(const Scenario& base, const std::vector<const Scenario*>& variants,
                                               const CompareOptions& options, std::vector<Warning>& warnings) {
    std::set<std::string> ids{base.id};
    for (const Scenario* v : variants)
        if (!ids.insert(v->id).second)
            throw ScenarioError(v->id_where, "scenario.id", i18n::tr("compare.same_id", {i18n::quoted(v->id)}));
    for (const Scenario* v : variants) check_same_years(base, *v);
    std::vector<std::vector<int>> maps;
    for (const Scenario* v : variants) maps.push_back(map_units(base, *v, options, warnings));
    return maps;
}

Comparison compare(std::shared_ptr<const Scenario> base, const std::vector<std::shared_ptr<const Scenario>>& variants,
                   const Executor& executor, const CompareOptions& options) {
    Comparison cmp;
    std::vector<const Scenario*> others;
    for (const auto& v : variants) others.push_back(v.get());
    cmp.unit_map = check_comparable(*base, others, options, cmp.warnings);
    for (const Payer& p : base->payers) cmp.payer_ids.push_back(p.id);
    for (const auto& v : variants)
        for (const Payer& p : v->payers)
            if (std::find(cmp.payer_ids.begin(), cmp.payer_ids.end(), p.id) == cmp.payer_ids.end()) cmp.payer_ids.push_back(p.id);
    // The scenarios side by side (compiling is mostly serial), then the variants' stacked
    // steps side by side; each result has its own place, so the order is the arguments'.
    std::vector<ScenarioRun> runs(variants.size() + 1);
    executor.for_each(runs.size(), [&](std::size_t i) { runs[i] = run_scenario(i == 0 ? base : variants[i - 1], executor); });
    cmp.base = std::move(runs[0]);
    for (std::size_t i = 1; i < runs.size(); ++i) cmp.variants.push_back(std::move(runs[i]));
    const std::vector<Dong> base_t = year_payer_totals(*base, cmp.payer_ids, *base, run_totals(*cmp.base.compiled, executor));
    std::vector<std::vector<StackedStep>> steps(variants.size());
    executor.for_each(variants.size(), [&](std::size_t v) { steps[v] = stack_variant(cmp, static_cast<int>(v), base_t, executor); });
    for (std::vector<StackedStep>& v : steps) std::move(v.begin(), v.end(), std::back_inserter(cmp.stacked));
    return cmp;
}

}  // namespace subsim
