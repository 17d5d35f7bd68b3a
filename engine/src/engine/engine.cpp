#include "subsim/engine.hpp"

#include "../sim/compiled_impl.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/mc/sensitivity.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/report/divisions.hpp"

namespace subsim::engine {

Scenario load(const std::string& path, const LoadOptions& options) { return load_scenario(path, options); }

CompiledScenario compile(const Scenario& s, const Executor& executor, std::vector<Warning>& warnings) {
    std::vector<Warning> found = subsim::validate(s);
    warnings.insert(warnings.end(), found.begin(), found.end());
    CompiledScenario compiled = subsim::compile(s, executor);
    warnings.insert(warnings.end(), compiled.warnings().begin(), compiled.warnings().end());
    return compiled;
}

namespace {

/// Coverage rows from a totals run, the same rows run_exact() builds (without targets).
std::vector<CoverageRow> coverage_of(const CompiledScenario::Impl& c, const Totals& t) {
    return coverage_from(c, t.insured, false);
}

}  // namespace

namespace {

/// What the variants in `s`'s chain change that can raise the enrolled persons (cohort
/// scales and growth, enrolment), as "key (file:line)", for a coverage message.
std::string enrolment_changes(const Scenario& s) {
    std::string out;
    int shown = 0;
    for (const Scenario* v = &s; v != nullptr; v = v->base.get())
        for (const Provision& p : v->provisions) {
            if (p.key.rfind("cohorts.", 0) != 0 && p.key.rfind("enrolment.", 0) != 0) continue;
            if (shown++ == 3) return out + ", …";
            out += (out.empty() ? "" : ", ") + p.key + " (" + p.where.file + ":" + std::to_string(p.where.line) + ")";
        }
    return out;
}

}  // namespace

void check_figures(const CompiledScenario& compiled, const std::vector<CoverageRow>& coverage) {
    const Scenario& s = compiled.scenario();
    // The population row in force for a unit and year (the latest on or before it).
    const auto population_row = [&](int unit, int year) -> const PopulationRow* {
        const PopulationRow* best = nullptr;
        for (const PopulationRow& p : s.population())
            if (p.unit == unit && p.year <= year && (best == nullptr || p.year >= best->year)) best = &p;
        return best;
    };
    for (const CoverageRow& row : coverage) {
        if (row.population <= 0) continue;  // no population: warned about by validate()
        if (row.enrolled <= headcount_of_persons(row.population)) continue;
        const PopulationRow* p = population_row(row.unit, row.year);
        const Unit& u = s.units()[static_cast<std::size_t>(row.unit)];
        const SourceLocation where = p != nullptr ? s.where_of(p->where, "population") : u.where;
        // Coverage in hundredths of a percent, rounded half-up: enrolled (× 10,000) / population.
        const std::int64_t hundredths = static_cast<std::int64_t>(
            (static_cast<__int128>(row.enrolled) + row.population / 2) / row.population);
        const Text coverage = i18n::join({i18n::fixed(hundredths, 2, 2), same_text("%")}, "");
        const std::string changes = enrolment_changes(s);
        if (!changes.empty())  // the data file is named, but a variant's change is the likelier cause
            throw ScenarioError(where, "population",
                                i18n::tr("coverage.over_population_variant",
                                         {i18n::fixed(row.enrolled, 4, 2), i18n::grouped(row.population),
                                          u.code + " (" + u.name + ")", row.year, coverage, changes}));
        throw ScenarioError(where, "population",
                            i18n::tr("coverage.over_population",
                                     {i18n::fixed(row.enrolled, 4, 2), i18n::grouped(row.population),
                                      u.code + " (" + u.name + ")", row.year, coverage}));
    }
}

void check_run(const CompiledScenario& compiled, const Executor& executor) {
    // In the order a streamed run meets them (check_uncertainty_entries() first), so that
    // validate and run name the same fault first.
    check_uncertainty_entries(compiled, executor);
    const Totals totals = run_totals(compiled, executor);
    check_figures(compiled, coverage_of(compiled.impl(), totals));
}

void check_uncertainty_entries(const CompiledScenario& compiled, const Executor& executor) {
    // What `sensitivity` would refuse in the scenario's own uncertainty entries: the scenario
    // is refused whole, by validate and run alike.
    check_uncertainty(compiled.scenario(), executor);
}

std::vector<Warning> validate(const Scenario& s, const Executor& executor) {
    (void)scenario_divisions(s);  // reports.by: run resolves it before costing
    std::vector<Warning> warnings;
    const CompiledScenario compiled = compile(s, executor, warnings);
    check_run(compiled, executor);
    return warnings;
}

Results run(const CompiledScenario& compiled, const Executor& executor) {
    Results r = run_exact(compiled, executor);
    check_figures(compiled, r.coverage);
    return r;
}

}  // namespace subsim::engine
