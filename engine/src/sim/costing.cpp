#include "subsim/sim/costing.hpp"

#include "subsim/core/executor.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/sim/compiled.hpp"
#include "subsim/sim/run.hpp"

namespace subsim {

Decimal contribution_on(const Scenario& s, Date d) {
    const auto* salary = s.parameters.base_salary.at(d);
    const auto* rate = s.parameters.contribution_rate.at(d);
    if (salary == nullptr)
        throw ScenarioError(s.where, "parameters.base_salary",
                            i18n::tr("parameters.no_base_salary", {d.to_string(), s.first_year, s.last_year}));
    if (rate == nullptr)
        throw ScenarioError(s.where, "parameters.contribution_rate",
                            i18n::tr("parameters.no_rate", {d.to_string(), s.first_year, s.last_year}));
    return exact_product(rate->value, Decimal::whole(salary->value));
}

Results simulate(const Scenario& scenario, const SimOptions& options) {
    const Executor executor(options.threads);
    const CompiledScenario compiled = compile(scenario, executor);
    Results r = run_exact(compiled, executor);
    r.scenario = &scenario;  // the caller's, which outlives the compiled copy
    return r;
}

}  // namespace subsim
