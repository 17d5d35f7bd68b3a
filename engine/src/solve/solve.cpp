#include "subsim/solve/solve.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "../sim/compiled_impl.hpp"
#include "subsim/core/executor.hpp"
#include "subsim/core/unicode.hpp"
#include "subsim/engine.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim {

std::string share_text(std::int64_t hundredths) {
    const std::string frac = std::to_string(hundredths % 100);
    return std::to_string(hundredths / 100) + "." + (frac.size() < 2 ? "0" : "") + frac + "%";
}

namespace {

using Impl = CompiledScenario::Impl;

[[noreturn]] void refuse(const std::string& key, Text message) { throw ScenarioError({}, key, std::move(message)); }

/// Whether the rule at `hundredths` (of a percent) fits one cohort beside `others`, the
/// other rules in force for it, as compile() checks every cohort (Package::excess).
bool fits(const Impl& c, const Decimal& contribution, const Package& others, std::int64_t hundredths) {
    Package with = others;
    return with.add_share(Decimal{hundredths, 4}, contribution, c.rounding) &&
           with.excess(contribution, c.rounding) == Package::Excess::none;
}

/// The largest share (hundredths of a percent) the rule can take without pushing any
/// cohort it pays for past the contribution with the other rules in force beside it
/// (shares, fixed amounts and rounding, as run and validate check them): the answer of
/// solve is always a share run accepts.
std::int64_t room_for(const Impl& c, int rule) {
    std::int64_t most = 10000;
    for (const auto& plan : c.plans)
        for (const SegmentPlan& seg : plan) {
            if (!seg.rule_in_force[static_cast<std::size_t>(rule)]) continue;
            const Decimal contribution = exact_product(c.slots[static_cast<std::size_t>(seg.rate_slot)].value,
                                                       c.slots[static_cast<std::size_t>(seg.salary_slot)].value);
            for (int g : c.scenario.rules[static_cast<std::size_t>(rule)].groups)
                for (int u : c.leaves) {
                    if (!c.applies(rule, u)) continue;
                    Package others;
                    for (int r : c.rules_of_group[static_cast<std::size_t>(g)]) {
                        if (r == rule || !seg.rule_in_force[static_cast<std::size_t>(r)] || !c.applies(r, u)) continue;
                        (void)others.add(c.scenario.rules[static_cast<std::size_t>(r)], contribution, c.rounding);  // compile() checked it
                    }
                    if (fits(c, contribution, others, most)) continue;
                    // Fitting is monotone in the share: the largest that fits, by bisection.
                    std::int64_t low = -1, high = most;  // fits(low) (or low < 0), !fits(high)
                    while (high - low > 1) {
                        const std::int64_t mid = low + (high - low) / 2;
                        (fits(c, contribution, others, mid) ? low : high) = mid;
                    }
                    most = std::max<std::int64_t>(low, 0);
                }
        }
    return std::max<std::int64_t>(most, 0);
}

}  // namespace

SolveResult solve(const Scenario& s, const SolveRequest& request, const Executor& executor) {
    SolveResult res;
    res.request = request;
    // ---- the request must make sense
    const int rule = s.find_rule(request.rule);
    if (rule < 0) {
        std::vector<std::string> ids;
        for (const Rule& r : s.rules) ids.push_back(r.id);
        std::string best;
        std::size_t best_d = 0;
        for (const std::string& id : ids) {
            const std::size_t d = edit_distance(request.rule, id);
            if (best.empty() || d < best_d) {
                best = id;
                best_d = d;
            }
        }
        refuse("--vary", i18n::tr("solve.unknown_rule", {i18n::quoted(request.rule),
                                                         best.empty() ? Text{} : i18n::tr("hint.did_you_mean", {i18n::quoted(best)})}));
    }
    const Rule& r = s.rules[static_cast<std::size_t>(rule)];
    if (!r.share) refuse("--vary", i18n::tr("solve.fixed_amount", {i18n::quoted(r.id)}));
    if (request.year < s.first_year || request.year > s.last_year)
        refuse(request.kind == SolveRequest::Kind::budget ? "--year" : "--by",
               i18n::tr("solve.year_outside", {request.year, s.first_year, s.last_year}));
    int payer = -1, unit = -1;
    if (request.kind == SolveRequest::Kind::budget) {
        payer = s.find_payer(request.payer);
        if (payer < 0) refuse("--payer", i18n::tr("payer.unknown", {i18n::quoted(request.payer), Text{}}));
        if (payer != r.payer)
            refuse("--payer", i18n::tr("solve.payer_not_rules", {i18n::quoted(request.payer), i18n::quoted(r.id),
                                                                  i18n::quoted(s.payers[static_cast<std::size_t>(r.payer)].id)}));
        if (request.budget < 0) refuse("--budget", i18n::tr("solve.negative_budget"));
    } else {
        if (request.target.is_negative() || request.target > Decimal::one())
            refuse("--target", i18n::tr("solve.target_range", {i18n::percent(request.target)}));
        if (!request.unit.empty()) {
            unit = s.find_unit(request.unit);
            if (unit < 0) refuse("--unit", i18n::tr("unit.unknown", {i18n::quoted(request.unit), Text{}}));
        }
    }

    std::vector<Warning> ignored;
    const CompiledScenario compiled = engine::compile(s, executor, ignored);
    const Impl& c = compiled.impl();
    const int slot = compiled.find_slot("rules." + r.id + ".share");
    res.max_hundredths = room_for(c, rule);
    const int y = request.year - s.first_year;

    // The leaves counted, and the population they are measured against.
    std::vector<int> leaves;
    std::int64_t population = 0;
    const auto& units = s.units();
    for (std::size_t leaf = 0; leaf < c.leaves.size(); ++leaf) {
        bool inside = unit < 0;
        for (int p = c.leaves[leaf]; p >= 0 && !inside; p = units[static_cast<std::size_t>(p)].parent) inside = p == unit;
        if (inside) leaves.push_back(static_cast<int>(leaf));
    }
    if (unit >= 0) {
        population = c.population[static_cast<std::size_t>(y)][static_cast<std::size_t>(unit)];
    } else {
        for (int u = 0; u < c.units; ++u)
            if (units[static_cast<std::size_t>(u)].parent < 0) population += c.population[static_cast<std::size_t>(y)][static_cast<std::size_t>(u)];
    }
    if (request.kind == SolveRequest::Kind::coverage && population <= 0)
        refuse("--unit", i18n::tr("solve.no_population", {request.unit.empty() ? std::string("—") : request.unit, request.year}));

    std::map<std::int64_t, SolveStep> tried;  // each share is run once; the path lists it once
    const auto evaluate = [&](std::int64_t h) {
        if (const auto it = tried.find(h); it != tried.end()) return it->second;
        SlotValues values = compiled.baseline();
        values[static_cast<std::size_t>(slot)] = Decimal{h, 4}.normalized();
        const Totals t = run_totals(compiled, executor, &values);
        SolveStep step;
        step.hundredths = h;
        step.cost = request.kind == SolveRequest::Kind::budget ? t.cost(request.year, payer) : t.year_total(request.year);
        Headcount insured = 0;
        for (int leaf : leaves) insured += t.insured_average(request.year, leaf);
        if (population > 0) step.coverage = Decimal{static_cast<std::int64_t>((static_cast<__int128>(insured) * 10000 + population / 2) / population), 8};
        if (request.kind == SolveRequest::Kind::budget) {
            step.meets = step.cost <= request.budget;
        } else {
            // insured / (population × 10⁴) ≥ target, compared exactly.
            __int128 scale = 1;
            for (int i = 0; i < request.target.scale; ++i) scale *= 10;
            step.meets = static_cast<__int128>(insured) * scale >=
                         static_cast<__int128>(request.target.units) * population * kHeadcountScale;
        }
        res.path.push_back(step);
        tried.emplace(h, step);
        return step;
    };

    // Coverage: the smallest share that meets the target. Budget: the largest within it.
    const bool coverage = request.kind == SolveRequest::Kind::coverage;
    std::int64_t lo = 0, hi = res.max_hundredths;
    const SolveStep at_lo = evaluate(lo);
    const SolveStep at_hi = hi == lo ? at_lo : evaluate(hi);
    // A goal the share cannot move (the rule not in force that year, or applying to no
    // unit counted) has no answer to give: any share would do, or none.
    const bool moves = coverage ? at_lo.coverage != at_hi.coverage : at_lo.cost != at_hi.cost;
    if (hi > lo && !moves)
        refuse("--vary", i18n::tr(coverage ? "solve.no_effect_coverage" : "solve.no_effect_budget",
                                  {i18n::quoted(r.id), request.year}));
    const auto what = [&] {
        if (!coverage)
            return i18n::tr("solve.what_budget", {i18n::money(request.budget), s.payers[static_cast<std::size_t>(payer)].name, request.year});
        if (unit < 0) return i18n::tr("solve.what_coverage", {i18n::percent(request.target, 2), request.year});
        const Unit& u = units[static_cast<std::size_t>(unit)];
        return i18n::tr("solve.what_coverage_unit", {i18n::percent(request.target, 2), request.year, u.code + " (" + u.name + ")"});
    };
    const auto pct = [](std::int64_t h) { return i18n::percent(Decimal{h, 4}, 2); };
    if (coverage ? !at_hi.meets : !at_lo.meets) {
        res.found = false;
        res.message = coverage ? i18n::tr("solve.none_coverage", {r.id, pct(hi), what()})
                               : i18n::tr("solve.none_budget", {r.id, what()});
        res.at_answer = coverage ? at_hi : at_lo;
        return res;
    }
    if (coverage && at_lo.meets) {
        hi = lo;
    } else if (!coverage && at_hi.meets) {
        lo = hi;
    } else {
        // Invariant (coverage): lo fails, hi meets. (budget): lo meets, hi fails.
        while (hi - lo > 1) {
            const std::int64_t mid = lo + (hi - lo) / 2;
            const bool meets = evaluate(mid).meets;
            if (coverage == meets) hi = mid;
            else lo = mid;
        }
    }
    res.found = true;
    res.hundredths = coverage ? hi : lo;
    // The answer and one step beyond it, as run (and recorded) afresh.
    res.at_answer = evaluate(res.hundredths);
    const std::int64_t beyond = coverage ? res.hundredths - 1 : res.hundredths + 1;
    if (beyond >= 0 && beyond <= res.max_hundredths) res.beyond = evaluate(beyond);
    res.message = i18n::tr(coverage ? "solve.found_coverage" : "solve.found_budget", {r.id, pct(res.hundredths), what()});
    return res;
}

namespace {

/// Text inside a YAML double-quoted scalar: quotes, backslashes and every control
/// character escaped (a name read from a table cannot end the scalar or the line).
std::string yaml_quoted(std::string_view text) {
    std::string out = "\"";
    for (char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') out += '\\';
        if (byte < 0x20 || byte == 0x7f) {
            out += ch == '\n' ? std::string("\\n") : ch == '\r' ? std::string("\\r") : ch == '\t' ? std::string("\\t")
                                                                                             : fmt::format("\\x{:02x}", byte);
            continue;
        }
        out += ch;
    }
    return out + "\"";
}

/// `text` on one comment line: control characters (a newline in a unit's or payer's
/// name) become spaces, so nothing after `#` can become YAML.
std::string comment_text(std::string_view text) {
    std::string out(text);
    for (char& ch : out)
        if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) == 0x7f) ch = ' ';
    return out;
}

/// The answer's id: the base's with "-solve", the base's cut so that it stays within
/// the 64 characters an id may have.
std::string solve_id(const std::string& base) {
    constexpr std::size_t kMaxId = 64;
    const std::string suffix = "-solve";
    std::string id = base.substr(0, std::min(base.size(), kMaxId - suffix.size()));
    while (!id.empty() && id.back() == '-') id.pop_back();
    return id + suffix;
}

}  // namespace

std::string solve_variant_yaml(const Scenario& s, const SolveResult& r, const std::string& extends_path) {
    std::ostringstream out;
    const std::string share = share_text(r.hundredths);
    out << "# Written by `subsim solve`: " << comment_text(r.message.en) << "\n"
        << "# A variant: compare it with its base (subsim compare BASE THIS --root DIR covering both).\n"
        << "extends: " << yaml_quoted(extends_path) << "\n"
        << "scenario:\n"
        << "  id: " << solve_id(s.id) << "\n"
        << "  title: {vi: " << yaml_quoted(s.title.vi + " — " + r.request.rule + " " + share)
        << ", en: " << yaml_quoted(s.title.en + " — " + r.request.rule + " " + share) << "}\n"
        << "  rationale: {vi: " << yaml_quoted(r.message.vi) << ", en: " << yaml_quoted(r.message.en) << "}\n"
        << "rules:\n"
        << "  " << r.request.rule << ": {share: " << share << "}\n";
    return out.str();
}

}  // namespace subsim
