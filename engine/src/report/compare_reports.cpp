// The reports of `subsim compare`: tidy CSV tables of base, variant and difference per
// year, payer, commune and policy point; the stacked estimate; coverage; support
// changes; a one-minute summary for council members; run.json with the manifest.
#include "subsim/report/compare_reports.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "compare_tables.hpp"
#include "report_format.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/report/output_folder.hpp"

namespace subsim {

namespace fs = std::filesystem;

namespace {

using report_detail::csv_field;

/// diff / base as a percentage with two decimals (half away from zero); empty if base is 0.
std::string percent_of(Dong diff, Dong base) {
    if (base == 0) return "";
    const __int128 hundredths = report_detail::divide_half_up(static_cast<__int128>(diff) * 10000, base);
    return report_detail::fixed_point(hundredths, 2);
}

std::string money_cell(Dong d) { return std::to_string(d); }

using report_detail::CompareCell;
using report_detail::CompareRow;
using report_detail::CompareTable;
using Kind = CompareCell::Kind;

/// A row of a compare table, cell by cell.
struct Line {
    CompareRow row;
    /// Room for one cell per column of `t` (no regrowth per cell, no more than a row needs).
    explicit Line(const CompareTable& t) { row.cells.reserve(t.columns.size()); }
    Line& add(Kind kind, std::string csv, std::string shown = {}) {
        row.cells.push_back(CompareCell{kind, std::move(csv), std::move(shown)});
        return *this;
    }
    Line& cell(std::string_view s) { return add(Kind::text, std::string(s)); }
    /// Text whose CSV value is a code ("all", "gains") and which the workbook shows as `shown`.
    Line& label(std::string csv, std::string shown) { return add(Kind::text, std::move(csv), std::move(shown)); }
    Line& number(Dong d) { return add(Kind::money, money_cell(d)); }
    Line& integer(std::string text) { return add(Kind::integer, std::move(text)); }
    Line& year(int y) { return integer(std::to_string(y)); }
    Line& all(Lang lang) { return label("all", i18n::tr_in(lang, "office.whole_period")); }
    Line& percent(std::string text) { return add(Kind::percent, std::move(text)); }
    Line& persons(std::string text) { return add(Kind::persons, std::move(text)); }
    /// A total row: its đồng cells are the sums of those of `rows`.
    Line& total_of(std::vector<std::size_t> rows) {
        row.total = true;
        row.sum_of = std::move(rows);
        return *this;
    }
    CompareRow done() { return std::move(row); }
};

/// Adds a row to `t`; returns its index.
std::size_t add(CompareTable& t, CompareRow row) {
    t.rows.push_back(std::move(row));
    return t.rows.size() - 1;
}

CompareTable table(std::string file, std::string_view header) {
    CompareTable t;
    t.file = std::move(file);
    std::size_t at = 0;
    while (at <= header.size()) {
        const std::size_t comma = std::min(header.find(',', at), header.size());
        t.columns.emplace_back(header.substr(at, comma - at));
        at = comma + 1;
    }
    return t;
}

/// Costs per (year, payer id), whole years, from a run's budget lines.
std::map<std::pair<int, std::string>, Dong> by_year_payer(const Results& r) {
    std::map<std::pair<int, std::string>, Dong> out;
    const Scenario& s = *r.scenario;
    for (const BudgetLine& l : r.lines) {
        Dong& cell = out[{l.year, s.payers[static_cast<std::size_t>(l.payer)].id}];
        cell = add_dong(cell, l.cost);
    }
    return out;
}

/// Payer ids in order: the base's used payers, then the variant's new ones.
std::vector<std::string> payer_ids(const Scenario& base, const Scenario& variant) {
    std::vector<std::string> ids;
    const auto add = [&](const Scenario& s) {
        for (std::size_t p = 0; p < s.payers.size(); ++p) {
            bool used = s.payers[p].declared;
            for (const Rule& r : s.rules) used = used || r.payer == static_cast<int>(p);
            if (used && std::find(ids.begin(), ids.end(), s.payers[p].id) == ids.end()) ids.push_back(s.payers[p].id);
        }
    };
    add(base);
    add(variant);
    return ids;
}

std::string payer_name(const Scenario& base, const Scenario& variant, const std::string& id, Lang lang) {
    for (const Scenario* s : {&base, &variant}) {
        const int p = s->find_payer(id);
        if (p >= 0) return s->payers[static_cast<std::size_t>(p)].name.in(lang);
    }
    return id;
}

std::vector<int> years_of(const Scenario& s) {
    std::vector<int> y;
    for (int i = s.first_year; i <= s.last_year; ++i) y.push_back(i);
    return y;
}

CompareTable by_year_payer_table(const Comparison& c, const ReportOptions& o) {
    CompareTable t = table("compare_by_year_payer.csv", "year,payer,payer_name,variant,base_vnd,variant_vnd,diff_vnd,diff_pct");
    const Scenario& base = *c.base.scenario;
    const auto base_costs = by_year_payer(c.base.results);
    for (const ScenarioRun& v : c.variants) {
        const Scenario& vs = *v.scenario;
        const auto costs = by_year_payer(v.results);
        const auto ids = payer_ids(base, vs);
        std::map<std::string, std::pair<Dong, Dong>> period;  // payer → (base, variant) over all years
        std::pair<Dong, Dong> period_total{0, 0};
        std::map<std::string, std::vector<std::size_t>> payer_rows;  // payer → its rows, year by year
        std::vector<std::size_t> period_rows;
        for (int year : years_of(base)) {
            Dong base_total = 0, variant_total = 0;
            std::vector<std::size_t> year_rows;
            for (const std::string& id : ids) {
                const auto bi = base_costs.find({year, id});
                const auto vi = costs.find({year, id});
                const Dong b = bi == base_costs.end() ? 0 : bi->second;
                const Dong x = vi == costs.end() ? 0 : vi->second;
                base_total = add_dong(base_total, b);
                variant_total = add_dong(variant_total, x);
                auto& p = period[id];
                p.first = add_dong(p.first, b);
                p.second = add_dong(p.second, x);
                year_rows.push_back(add(t, Line{t}.year(year).cell(id).cell(payer_name(base, vs, id, o.lang)).cell(vs.id)
                                               .number(b).number(x).number(x - b).percent(percent_of(x - b, b)).done()));
                payer_rows[id].push_back(year_rows.back());
            }
            period_total.first = add_dong(period_total.first, base_total);
            period_total.second = add_dong(period_total.second, variant_total);
            add(t, Line{t}.year(year).cell("total").cell(i18n::tr_in(o.lang, "compare.total")).cell(vs.id)
                       .number(base_total).number(variant_total).number(variant_total - base_total)
                       .percent(percent_of(variant_total - base_total, base_total)).total_of(std::move(year_rows)).done());
        }
        for (const std::string& id : ids) {
            const auto& [b, x] = period[id];
            period_rows.push_back(add(t, Line{t}.all(o.lang).cell(id).cell(payer_name(base, vs, id, o.lang)).cell(vs.id)
                                             .number(b).number(x).number(x - b).percent(percent_of(x - b, b))
                                             .total_of(payer_rows[id]).done()));
        }
        add(t, Line{t}.all(o.lang).cell("total").cell(i18n::tr_in(o.lang, "compare.total")).cell(vs.id)
                   .number(period_total.first).number(period_total.second).number(period_total.second - period_total.first)
                   .percent(percent_of(period_total.second - period_total.first, period_total.first))
                   .total_of(std::move(period_rows)).done());
    }
    return t;
}

/// Costs per (year, unit index, payer id) from a run's budget lines.
std::map<std::tuple<int, int, std::string>, Dong> by_unit(const Results& r) {
    std::map<std::tuple<int, int, std::string>, Dong> out;
    for (const BudgetLine& l : r.lines) {
        Dong& cell = out[{l.year, l.unit, r.scenario->payers[static_cast<std::size_t>(l.payer)].id}];
        cell = add_dong(cell, l.cost);
    }
    return out;
}

CompareTable by_unit_table(const Comparison& c) {
    CompareTable t = table("compare_by_unit.csv", "year,unit_code,unit_name,payer,variant,base_vnd,variant_vnd,diff_vnd,diff_pct");
    const Scenario& base = *c.base.scenario;
    const auto base_costs = by_unit(c.base.results);
    std::vector<char> leaf(base.units().size(), 1);
    for (const Unit& u : base.units())
        if (u.parent >= 0) leaf[static_cast<std::size_t>(u.parent)] = 0;
    for (std::size_t vi = 0; vi < c.variants.size(); ++vi) {
        const ScenarioRun& v = c.variants[vi];
        const auto costs = by_unit(v.results);
        const auto ids = payer_ids(base, *v.scenario);
        for (int year : years_of(base))
            for (std::size_t u = 0; u < base.units().size(); ++u) {
                if (!leaf[u]) continue;
                const int vu = c.unit_map[vi][u];
                if (vu < 0) continue;
                Dong bt = 0, xt = 0;
                std::vector<std::size_t> unit_rows;
                for (const std::string& id : ids) {
                    const auto bi = base_costs.find({year, static_cast<int>(u), id});
                    const auto xi = costs.find({year, vu, id});
                    const Dong b = bi == base_costs.end() ? 0 : bi->second;
                    const Dong x = xi == costs.end() ? 0 : xi->second;
                    bt = add_dong(bt, b);
                    xt = add_dong(xt, x);
                    if (b == 0 && x == 0) continue;
                    unit_rows.push_back(add(t, Line{t}.year(year).cell(base.units()[u].code).cell(base.units()[u].name).cell(id)
                                                   .cell(v.scenario->id).number(b).number(x).number(x - b)
                                                   .percent(percent_of(x - b, b)).done()));
                }
                add(t, Line{t}.year(year).cell(base.units()[u].code).cell(base.units()[u].name).cell("total")
                           .cell(v.scenario->id).number(bt).number(xt).number(xt - bt).percent(percent_of(xt - bt, bt))
                           .total_of(std::move(unit_rows)).done());
            }
    }
    return t;
}

/// Costs per (year, rule id) and each rule's payer id and label.
struct RuleCosts {
    std::map<std::pair<int, std::string>, Dong> cost;
};

RuleCosts by_rule(const Results& r) {
    RuleCosts out;
    for (const BudgetLine& l : r.lines) {
        Dong& cell = out.cost[{l.year, r.scenario->rules[static_cast<std::size_t>(l.rule)].id}];
        cell = add_dong(cell, l.cost);
    }
    return out;
}

CompareTable by_rule_table(const Comparison& c, const ReportOptions& o) {
    CompareTable t = table("compare_by_rule.csv", "year,rule,rule_label,payer,variant,base_vnd,variant_vnd,diff_vnd,diff_pct");
    const Scenario& base = *c.base.scenario;
    const RuleCosts base_costs = by_rule(c.base.results);
    for (const ScenarioRun& v : c.variants) {
        const Scenario& vs = *v.scenario;
        const RuleCosts costs = by_rule(v.results);
        // Rules by id: the base's in order, then the variant's new ones.
        std::vector<const Rule*> rules;
        for (const Rule& r : base.rules) rules.push_back(&r);
        for (const Rule& r : vs.rules)
            if (base.find_rule(r.id) < 0) rules.push_back(&r);
        for (int year : years_of(base)) {
            Dong bt = 0, xt = 0;
            std::vector<std::size_t> year_rows;
            for (const Rule* rule : rules) {
                const auto bi = base_costs.cost.find({year, rule->id});
                const auto xi = costs.cost.find({year, rule->id});
                const Dong b = bi == base_costs.cost.end() ? 0 : bi->second;
                const Dong x = xi == costs.cost.end() ? 0 : xi->second;
                bt = add_dong(bt, b);
                xt = add_dong(xt, x);
                // The rule as the variant has it (its label and payer may have changed).
                const int in_variant = vs.find_rule(rule->id);
                const Rule& shown = in_variant >= 0 ? vs.rules[static_cast<std::size_t>(in_variant)] : *rule;
                const Scenario& owner = in_variant >= 0 ? vs : base;
                year_rows.push_back(add(t, Line{t}.year(year).cell(rule->id).cell(shown.label.in(o.lang))
                                               .cell(owner.payers[static_cast<std::size_t>(shown.payer)].id).cell(vs.id)
                                               .number(b).number(x).number(x - b).percent(percent_of(x - b, b)).done()));
            }
            add(t, Line{t}.year(year).cell("total").cell(i18n::tr_in(o.lang, "compare.total")).cell("")
                       .cell(vs.id).number(bt).number(xt).number(xt - bt).percent(percent_of(xt - bt, bt))
                       .total_of(std::move(year_rows)).done());
        }
    }
    return t;
}

CompareTable stacked_table(const Comparison& c, const ReportOptions& o) {
    CompareTable t = table("compare_stacked.csv", "variant,order,provision,provision_label,year,payer,increment_vnd,alone_vnd");
    // The workbook shows the payer's name (the CSV keeps its id, or `total`): the column's
    // heading is the name's, not the id's.
    for (const std::string& column : t.columns)
        t.headings.push_back(i18n::tr_in(o.lang, column == "payer" ? std::string("office.col.payer_name") : "office.col." + column));
    const Scenario& base = *c.base.scenario;
    const std::size_t payers = c.payer_ids.size();
    const auto years = years_of(base);
    const std::string total_name = i18n::tr_in(o.lang, "compare.total");
    for (const StackedStep& step : c.stacked) {
        const Scenario& vs = *c.variants[static_cast<std::size_t>(step.variant)].scenario;
        const std::string& variant = vs.id;
        // A row (year -1: the whole period) adding up `sum_of` when not empty.
        const auto row = [&](int year, const std::string& payer, Dong inc, std::optional<Dong> alone,
                             std::vector<std::size_t> sum_of = {}) {
            Line line{t};
            line.cell(variant).integer(std::to_string(step.order)).cell(step.key).cell(step.label.in(o.lang));
            if (year < 0) line.all(o.lang);
            else line.year(year);
            line.label(payer, payer == "total" ? total_name : payer_name(base, vs, payer, o.lang)).number(inc)
                .add(Kind::money, alone ? money_cell(*alone) : std::string());
            if (payer == "total" || year < 0) line.total_of(std::move(sum_of));
            return add(t, line.done());
        };
        std::vector<Dong> period(payers, 0), period_alone(payers, 0);
        Dong period_total = 0, period_total_alone = 0;
        std::vector<std::vector<std::size_t>> payer_rows(payers);
        std::vector<std::size_t> year_total_rows;
        for (std::size_t y = 0; y < years.size(); ++y) {
            Dong total = 0, total_alone = 0;
            std::vector<std::size_t> year_rows;
            for (std::size_t p = 0; p < payers; ++p) {
                const Dong inc = step.increment[y * payers + p];
                const std::optional<Dong> alone = step.alone ? std::optional<Dong>((*step.alone)[y * payers + p]) : std::nullopt;
                total = add_dong(total, inc);
                period[p] = add_dong(period[p], inc);
                if (alone) {
                    total_alone = add_dong(total_alone, *alone);
                    period_alone[p] = add_dong(period_alone[p], *alone);
                }
                if (inc == 0 && alone.value_or(0) == 0) continue;
                year_rows.push_back(row(years[y], c.payer_ids[p], inc, alone));
                payer_rows[p].push_back(year_rows.back());
            }
            period_total = add_dong(period_total, total);
            if (step.alone) period_total_alone = add_dong(period_total_alone, total_alone);
            year_total_rows.push_back(row(years[y], "total", total,
                                          step.alone ? std::optional<Dong>(total_alone) : std::nullopt, std::move(year_rows)));
        }
        for (std::size_t p = 0; p < payers; ++p)
            if (period[p] != 0 || period_alone[p] != 0)
                row(-1, c.payer_ids[p], period[p], step.alone ? std::optional<Dong>(period_alone[p]) : std::nullopt,
                    payer_rows[p]);
        row(-1, "total", period_total, step.alone ? std::optional<Dong>(period_total_alone) : std::nullopt,
            std::move(year_total_rows));
    }
    return t;
}

void coverage_rows(CompareTable& t, const Results& r, const std::string& scenario) {
    const Scenario& s = *r.scenario;
    for (const CoverageRow& row : r.coverage) {
        const Unit& u = s.units()[static_cast<std::size_t>(row.unit)];
        Line line{t};
        line.year(row.year).cell(u.code).cell(u.name).cell(scenario).integer(std::to_string(row.population))
            .persons(report_detail::persons_text(row.enrolled));
        if (row.population > 0) {
            // Hundredths of a percent: enrolled persons (× 10,000 in a Headcount) / population.
            const __int128 hundredths = report_detail::divide_half_up(static_cast<__int128>(row.enrolled), row.population);
            line.percent(report_detail::fixed_point(hundredths, 2));
        } else {
            line.percent("");
        }
        if (row.target && row.population > 0) {
            line.percent(report_detail::fixed_point(report_detail::percent_hundredths(*row.target), 2));
            // Persons short of the target, rounded up: target × population − enrolled.
            const __int128 needed = static_cast<__int128>(row.target->units) * row.population * kHeadcountScale;
            __int128 scale = 1;
            for (int i = 0; i < row.target->scale; ++i) scale *= 10;
            const __int128 gap_h = (needed + scale - 1) / scale - row.enrolled;
            const __int128 gap = gap_h <= 0 ? 0 : (gap_h + kHeadcountScale - 1) / kHeadcountScale;
            line.integer(std::to_string(static_cast<long long>(gap)));
        } else {
            line.percent("").integer("");
        }
        add(t, line.done());
    }
}

CompareTable coverage_table(const Comparison& c) {
    CompareTable t = table("compare_coverage.csv",
                           "year,unit_code,unit_name,scenario,population,enrolled_persons,coverage_pct,target_pct,gap_persons");
    coverage_rows(t, c.base.results, c.base.scenario->id);
    for (const ScenarioRun& v : c.variants) coverage_rows(t, v.results, v.scenario->id);
    return t;
}

/// The unit codes, group ids and payer ids of every scenario of a comparison, sorted: a
/// (year, unit, group) key of ranks orders as the (year, code, id) text would, without a
/// string per row.
struct SupportNames {
    std::vector<std::string> codes, groups, payers;

    explicit SupportNames(const Comparison& c) {
        const auto add = [&](const Scenario& s) {
            for (const Unit& u : s.units()) codes.push_back(u.code);
            for (const Group& g : s.groups()) groups.push_back(g.id);
            for (const Payer& p : s.payers) payers.push_back(p.id);
        };
        add(*c.base.scenario);
        for (const ScenarioRun& v : c.variants) add(*v.scenario);
        for (auto* v : {&codes, &groups, &payers}) {
            std::sort(v->begin(), v->end());
            v->erase(std::unique(v->begin(), v->end()), v->end());
        }
    }
    static std::uint32_t rank(const std::vector<std::string>& sorted, const std::string& x) {
        return static_cast<std::uint32_t>(std::lower_bound(sorted.begin(), sorted.end(), x) - sorted.begin());
    }
};

/// (year, unit rank, group rank): orders as (year, unit code, group id).
using SupportKey = std::tuple<int, std::uint32_t, std::uint32_t>;

/// Per (year, unit, group): supported persons (yearly average), the state's cost and
/// the payers that pay for it (their ranks in SupportNames::payers, ascending).
struct Support {
    Headcount person_months = 0;
    Dong state = 0;
    std::vector<std::uint32_t> payers;
};

std::map<SupportKey, Support> support_of(const Results& r, const SupportNames& names) {
    const Scenario& s = *r.scenario;
    std::vector<std::uint32_t> unit_rank, group_rank, payer_rank;
    for (const Unit& u : s.units()) unit_rank.push_back(SupportNames::rank(names.codes, u.code));
    for (const Group& g : s.groups()) group_rank.push_back(SupportNames::rank(names.groups, g.id));
    for (const Payer& p : s.payers) payer_rank.push_back(SupportNames::rank(names.payers, p.id));
    std::map<SupportKey, Support> out;
    const auto key = [&](int year, int unit, int group) {
        return SupportKey{year, unit_rank[static_cast<std::size_t>(unit)], group_rank[static_cast<std::size_t>(group)]};
    };
    for (const CohortCost& c : r.cohort_costs) {
        Support& x = out[key(c.year, c.unit, c.group)];
        x.person_months = c.person_months;
        x.state = c.state_paid;
    }
    for (const BudgetLine& l : r.lines) {
        if (l.cost <= 0) continue;
        auto& payers = out[key(l.year, l.unit, l.group)].payers;
        const std::uint32_t p = payer_rank[static_cast<std::size_t>(l.payer)];
        const auto at = std::lower_bound(payers.begin(), payers.end(), p);
        if (at == payers.end() || *at != p) payers.insert(at, p);
    }
    return out;
}

std::string joined(const std::vector<std::uint32_t>& payers, const SupportNames& names) {
    std::string out;
    for (std::uint32_t p : payers) out += (out.empty() ? "" : "+") + names.payers[p];
    return out;
}

CompareTable support_table(const Comparison& c, const ReportOptions& o) {
    CompareTable t = table("support_changes.csv",
                           "variant,year,unit_code,unit_name,group,group_label,change,base_persons,variant_persons,"
                           "base_payers,variant_payers,base_state_vnd,variant_state_vnd,diff_vnd");
    const Scenario& base = *c.base.scenario;
    const SupportNames names(c);
    // The base's unit and group of each rank (-1: only a variant has it).
    std::vector<int> base_unit, base_group;
    for (const std::string& code : names.codes) base_unit.push_back(base.find_unit(code));
    for (const std::string& id : names.groups) base_group.push_back(base.find_group(id));
    const auto base_support = support_of(c.base.results, names);
    const Support none;
    for (const ScenarioRun& v : c.variants) {
        const auto support = support_of(v.results, names);
        // Both maps in key order at once: every key of either, in the order of the text keys.
        auto bi = base_support.begin();
        auto xi = support.begin();
        while (bi != base_support.end() || xi != support.end()) {
            const bool take_b = xi == support.end() || (bi != base_support.end() && bi->first <= xi->first);
            const bool take_x = bi == base_support.end() || (xi != support.end() && xi->first <= bi->first);
            const auto [year, ur, gr] = take_b ? bi->first : xi->first;
            const Support& b = take_b ? bi->second : none;
            const Support& x = take_x ? xi->second : none;
            if (take_b) ++bi;
            if (take_x) ++xi;
            const char* change = nullptr;
            if (b.person_months == 0 && x.person_months > 0) change = "gains";
            else if (b.person_months > 0 && x.person_months == 0) change = "loses";
            else if (b.payers != x.payers) change = "payer_changes";
            else if (b.person_months < x.person_months) change = "more_persons";
            else if (b.person_months > x.person_months) change = "fewer_persons";
            else if (b.state != x.state) change = "amount_changes";
            if (change == nullptr) continue;
            const int u = base_unit[ur], g = base_group[gr];
            // Units in common only, as compare_by_unit.csv: persons of a unit only one
            // scenario has neither gain nor lose support (--allow-unit-changes lists them).
            if (u < 0 || v.scenario->find_unit(names.codes[ur]) < 0) continue;
            add(t, Line{t}.cell(v.scenario->id).year(year).cell(names.codes[ur])
                       .cell(u >= 0 ? base.units()[static_cast<std::size_t>(u)].name : std::string())
                       .cell(names.groups[gr]).cell(g >= 0 ? base.groups()[static_cast<std::size_t>(g)].name.in(o.lang) : std::string())
                       .label(change, i18n::tr_in(o.lang, std::string("office.change.") + change))
                       .persons(report_detail::yearly_persons_text(b.person_months))
                       .persons(report_detail::yearly_persons_text(x.person_months)).cell(joined(b.payers, names))
                       .cell(joined(x.payers, names)).number(b.state).number(x.state).number(x.state - b.state).done());
        }
    }
    return t;
}

// ---- the workbook's sheets for the long tables: summaries of the CSVs' rows

Dong dong_of(const CompareCell& c) { return c.csv.empty() ? 0 : std::stoll(c.csv); }

/// Persons with two decimals ("1788.64") as hundredths, exactly.
long long hundredths_of(const std::string& text) {
    if (text.empty()) return 0;
    const std::size_t dot = text.find('.');
    if (dot == std::string::npos) return std::stoll(text) * 100;
    const std::string frac = (text.substr(dot + 1) + "00").substr(0, 2);
    return std::stoll(text.substr(0, dot)) * 100 + std::stoll(frac);
}

/// The commune sheet: per variant and commune, the difference of each payer and of all
/// payers over the whole period, and of all payers year by year (sums of
/// compare_by_unit.csv's diff_vnd); a total row per variant (SUM of its communes).
CompareTable unit_sheet(const Comparison& c, const CompareTable& by_unit, const ReportOptions& o) {
    const Scenario& base = *c.base.scenario;
    const std::vector<int> years = years_of(base);
    std::vector<std::string> ids;  // payers of every variant, the base's first
    for (const ScenarioRun& v : c.variants)
        for (const std::string& id : payer_ids(base, *v.scenario))
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    std::string header = "variant,unit_code,unit_name";
    for (const std::string& id : ids) header += ",diff_vnd:" + id;
    header += ",diff_vnd:total";
    for (int y : years) header += ",diff_vnd:" + std::to_string(y);
    CompareTable t = table(by_unit.file, header);
    t.summary = true;
    t.headings = {i18n::tr_in(o.lang, "office.col.variant"), i18n::tr_in(o.lang, "office.col.unit_code"),
                  i18n::tr_in(o.lang, "office.col.unit_name")};
    for (const std::string& id : ids) {
        std::string name = id;
        for (const ScenarioRun& v : c.variants) name = payer_name(base, *v.scenario, id, o.lang);
        t.headings.push_back(i18n::tr_in(o.lang, "office.compare.diff_period_payer", {name}));
    }
    t.headings.push_back(i18n::tr_in(o.lang, "office.compare.diff_period_payer", {i18n::tr_in(o.lang, "compare.total")}));
    for (int y : years) t.headings.push_back(i18n::tr_in(o.lang, "office.compare.diff_year", {y}));

    const std::size_t yc = by_unit.column("year"), cc = by_unit.column("unit_code"), nc = by_unit.column("unit_name"),
                      pc = by_unit.column("payer"), vc = by_unit.column("variant"), dc = by_unit.column("diff_vnd");
    struct UnitDiff {
        std::string code, name;
        std::vector<Dong> payer, year;
    };
    for (const ScenarioRun& v : c.variants) {
        std::vector<UnitDiff> units;
        std::map<std::string, std::size_t> at;  // unit code → its place in units
        for (const CompareRow& row : by_unit.rows) {
            if (row.cells[vc].csv != v.scenario->id) continue;
            const std::string& code = row.cells[cc].csv;
            auto [it, fresh] = at.try_emplace(code, units.size());
            if (fresh) units.push_back({code, row.cells[nc].csv, std::vector<Dong>(ids.size(), 0), std::vector<Dong>(years.size(), 0)});
            UnitDiff& u = units[it->second];
            const Dong d = dong_of(row.cells[dc]);
            const std::string& payer = row.cells[pc].csv;
            if (payer == "total") {
                const int y = std::stoi(row.cells[yc].csv);
                u.year[static_cast<std::size_t>(y - base.first_year)] = add_dong(u.year[static_cast<std::size_t>(y - base.first_year)], d);
            } else {
                const auto p = static_cast<std::size_t>(std::find(ids.begin(), ids.end(), payer) - ids.begin());
                if (p < ids.size()) u.payer[p] = add_dong(u.payer[p], d);
            }
        }
        std::vector<std::size_t> rows;
        std::vector<Dong> payer_total(ids.size(), 0), year_total(years.size(), 0);
        Dong all_total = 0;
        for (const UnitDiff& u : units) {
            Line line{t};
            line.cell(v.scenario->id).cell(u.code).cell(u.name);
            Dong all = 0;
            for (std::size_t p = 0; p < ids.size(); ++p) {
                line.number(u.payer[p]);
                all = add_dong(all, u.payer[p]);
                payer_total[p] = add_dong(payer_total[p], u.payer[p]);
            }
            line.number(all);
            all_total = add_dong(all_total, all);
            for (std::size_t y = 0; y < years.size(); ++y) {
                line.number(u.year[y]);
                year_total[y] = add_dong(year_total[y], u.year[y]);
            }
            rows.push_back(add(t, line.done()));
        }
        Line total{t};
        total.cell(v.scenario->id).cell("").cell(i18n::tr_in(o.lang, "compare.total"));
        for (Dong d : payer_total) total.number(d);
        total.number(all_total);
        for (Dong d : year_total) total.number(d);
        add(t, total.total_of(std::move(rows)).done());
    }
    return t;
}

/// Payers as support_changes.csv joins their ids ("central+province"), in words:
/// "Ngân sách trung ương + Ngân sách tỉnh".
std::string payer_names(const Scenario& base, const Scenario& variant, const std::string& ids, Lang lang) {
    std::string out;
    for (std::size_t at = 0; at < ids.size();) {
        const std::size_t plus = std::min(ids.find('+', at), ids.size());
        out += (out.empty() ? "" : " + ") + payer_name(base, variant, ids.substr(at, plus - at), lang);
        at = plus + 1;
    }
    return out;
}

/// The support sheet: support_changes.csv summed over communes, per variant, year, group,
/// change and payers before and after (by name; the CSV has their ids), with the number
/// of communes.
CompareTable support_sheet(const Comparison& c, const CompareTable& support, const ReportOptions& o) {
    CompareTable t = table(support.file,
                           "variant,year,group,group_label,change,base_payers,variant_payers,units,base_persons,"
                           "variant_persons,base_state_vnd,variant_state_vnd,diff_vnd");
    t.summary = true;
    const auto col = [&](std::string_view name) { return support.column(name); };
    const std::size_t vc = col("variant"), yc = col("year"), gc = col("group"), lc = col("group_label"), chc = col("change"),
                      bpc = col("base_payers"), vpc = col("variant_payers"), bnc = col("base_persons"),
                      vnc = col("variant_persons"), bsc = col("base_state_vnd"), vsc = col("variant_state_vnd"),
                      dc = col("diff_vnd");
    struct Sum {
        const CompareRow* first = nullptr;
        long long units = 0, base_persons = 0, variant_persons = 0;
        Dong base = 0, variant = 0, diff = 0;
    };
    std::map<std::string, std::size_t> variant_order;
    for (const ScenarioRun& v : c.variants) variant_order.emplace(v.scenario->id, variant_order.size());
    const Scenario& base = *c.base.scenario;
    using Key = std::tuple<std::size_t, int, std::string, std::string, std::string, std::string>;
    std::map<Key, Sum> sums;
    for (const CompareRow& row : support.rows) {
        const auto& x = row.cells;
        Sum& s = sums[Key{variant_order[x[vc].csv], std::stoi(x[yc].csv), x[gc].csv, x[chc].csv, x[bpc].csv, x[vpc].csv}];
        if (s.first == nullptr) s.first = &row;
        ++s.units;
        s.base_persons += hundredths_of(x[bnc].csv);
        s.variant_persons += hundredths_of(x[vnc].csv);
        s.base = add_dong(s.base, dong_of(x[bsc]));
        s.variant = add_dong(s.variant, dong_of(x[vsc]));
        s.diff = add_dong(s.diff, dong_of(x[dc]));
    }
    for (const auto& [key, s] : sums) {
        const auto& x = s.first->cells;
        const Scenario& vs = *c.variants[std::get<0>(key)].scenario;
        add(t, Line{t}.cell(x[vc].csv).integer(x[yc].csv).cell(x[gc].csv).cell(x[lc].csv).label(x[chc].csv, x[chc].shown)
                   .label(x[bpc].csv, payer_names(base, vs, x[bpc].csv, o.lang))
                   .label(x[vpc].csv, payer_names(base, vs, x[vpc].csv, o.lang)).integer(std::to_string(s.units))
                   .persons(report_detail::fixed_point(s.base_persons, 2)).persons(report_detail::fixed_point(s.variant_persons, 2))
                   .number(s.base).number(s.variant).number(s.diff).done());
    }
    return t;
}

/// The coverage sheet: per year and unit, the population and target, and each scenario's
/// coverage (compare_coverage.csv's coverage_pct) side by side.
CompareTable coverage_sheet(const Comparison& c, const CompareTable& coverage, const ReportOptions& o) {
    std::vector<std::string> ids{c.base.scenario->id};
    for (const ScenarioRun& v : c.variants) ids.push_back(v.scenario->id);
    std::string header = "year,unit_code,unit_name,population,target_pct";
    for (std::size_t i = 0; i < ids.size(); ++i) header += ",coverage_pct:" + std::to_string(i);
    CompareTable t = table(coverage.file, header);
    t.summary = true;
    for (const char* k : {"year", "unit_code", "unit_name", "population", "target_pct"})
        t.headings.push_back(i18n::tr_in(o.lang, std::string("office.col.") + k));
    for (const std::string& id : ids) t.headings.push_back(i18n::tr_in(o.lang, "office.compare.coverage_of", {id}));
    const std::size_t yc = coverage.column("year"), cc = coverage.column("unit_code"), nc = coverage.column("unit_name"),
                      sc = coverage.column("scenario"), pc = coverage.column("population"), tc = coverage.column("target_pct"),
                      vc = coverage.column("coverage_pct");
    std::map<std::string, std::size_t> scenario_col;
    for (std::size_t i = 0; i < ids.size(); ++i) scenario_col.emplace(ids[i], i);
    std::map<std::pair<std::string, std::string>, std::size_t> at;  // (year, unit code) → row
    std::vector<std::vector<std::string>> pct;                      // per row: per scenario
    for (const CompareRow& row : coverage.rows) {
        const auto& x = row.cells;
        auto [it, fresh] = at.try_emplace({x[yc].csv, x[cc].csv}, t.rows.size());
        if (fresh) {
            // The base's rows come first: its population and target.
            add(t, Line{t}.integer(x[yc].csv).cell(x[cc].csv).cell(x[nc].csv).integer(x[pc].csv).percent(x[tc].csv).done());
            pct.emplace_back(ids.size());
        }
        const auto s = scenario_col.find(x[sc].csv);
        if (s != scenario_col.end()) pct[it->second][s->second] = x[vc].csv;
    }
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        for (const std::string& p : pct[r]) t.rows[r].cells.push_back(CompareCell{Kind::percent, p, {}});
    return t;
}

// ---- summary.md: what a council member reads in a minute

std::string md(std::string_view s) { return report_detail::markdown_cell(s); }

void write_summary(std::ostream& out, const Comparison& c, const ReportOptions& o) {
    const Lang lang = o.lang;
    const auto t = [lang](std::string_view key, std::initializer_list<i18n::Arg> args = {}) { return i18n::tr_in(lang, key, args); };
    const Scenario& base = *c.base.scenario;
    out << "# " << md(t("compare.heading", {base.title.in(lang)})) << "\n\n";
    if (base.illustrative_population) out << "> " << md(t("compare.illustrative")) << "\n\n";
    out << "- " << t("compare.base") << ": `" << base.id << "` — " << md(base.title.in(lang)) << "\n";
    for (const ScenarioRun& v : c.variants) {
        out << "- " << t("compare.variant") << ": `" << v.scenario->id << "` — " << md(v.scenario->title.in(lang));
        if (!v.scenario->rationale.in(lang).empty()) out << ". " << md(v.scenario->rationale.in(lang));
        out << "\n";
    }
    out << "- " << t("compare.version", {o.program_version}) << "\n\n";
    const auto base_costs = by_year_payer(c.base.results);
    const auto base_units = by_unit(c.base.results);
    for (const ScenarioRun& v : c.variants) {
        const Scenario& vs = *v.scenario;
        const auto costs = by_year_payer(v.results);
        const auto ids = payer_ids(base, vs);
        out << "## " << md(vs.title.in(lang)) << "\n\n";
        out << "| " << t("compare.year") << " | " << t("compare.payer") << " | " << md(base.id) << " | " << md(vs.id) << " | "
            << t("compare.difference") << " |\n|---|---|---:|---:|---:|\n";
        Dong whole = 0;
        std::map<std::string, Dong> diff_by_payer;
        for (int year : years_of(base)) {
            Dong bt = 0, xt = 0;
            for (const std::string& id : ids) {
                const auto bi = base_costs.find({year, id});
                const auto xi = costs.find({year, id});
                const Dong b = bi == base_costs.end() ? 0 : bi->second;
                const Dong x = xi == costs.end() ? 0 : xi->second;
                bt += b;
                xt += x;
                diff_by_payer[id] += x - b;
                if (b == 0 && x == 0) continue;
                out << "| " << year << " | " << md(payer_name(base, vs, id, lang)) << " | " << format_money(b, lang) << " | "
                    << format_money(x, lang) << " | " << format_money(x - b, lang) << " |\n";
            }
            whole += xt - bt;
            out << "| " << year << " | **" << t("compare.total") << "** | **" << format_money(bt, lang) << "** | **"
                << format_money(xt, lang) << "** | **" << format_money(xt - bt, lang) << "** |\n";
        }
        out << "\n"
            << md(whole == 0 ? t("compare.no_difference")
                             : t(whole < 0 ? "compare.saves" : "compare.costs_more", {i18n::money(whole < 0 ? -whole : whole).in(lang)}))
            << "\n";
        for (const auto& [id, d] : diff_by_payer) {
            if (d == 0) continue;
            out << "- " << md(t(d > 0 ? "compare.payer_pays_more" : "compare.payer_pays_less",
                                {payer_name(base, vs, id, lang), i18n::money(d > 0 ? d : -d).in(lang)}))
                << "\n";
        }
        // The communes that change most (whole period, all payers), among the units both
        // scenarios have, as compare_by_unit.csv (--allow-unit-changes lists the others).
        const auto units = by_unit(v.results);
        std::map<std::string, Dong> by_code;
        for (const auto& [k, cost] : units) by_code[vs.units()[static_cast<std::size_t>(std::get<1>(k))].code] += cost;
        for (const auto& [k, cost] : base_units) by_code[base.units()[static_cast<std::size_t>(std::get<1>(k))].code] -= cost;
        std::set<std::string_view> base_codes, variant_codes;
        for (const Unit& u : base.units()) base_codes.insert(u.code);
        for (const Unit& u : vs.units()) variant_codes.insert(u.code);
        // With --allow-unit-changes the totals above are each scenario's own: say how much of
        // the difference is the units only one of them has.
        std::set<std::string> only_base, only_variant;
        Dong only_base_cost = 0, only_variant_cost = 0;
        for (const auto& [k, cost] : base_units) {
            const Unit& u = base.units()[static_cast<std::size_t>(std::get<1>(k))];
            if (!variant_codes.count(u.code)) only_base.insert(u.code), only_base_cost = add_dong(only_base_cost, cost);
        }
        for (const auto& [k, cost] : units) {
            const Unit& u = vs.units()[static_cast<std::size_t>(std::get<1>(k))];
            if (!base_codes.count(u.code)) only_variant.insert(u.code), only_variant_cost = add_dong(only_variant_cost, cost);
        }
        if (!only_base.empty() || !only_variant.empty()) {
            const Dong outside = only_variant_cost - only_base_cost;
            out << "\n"
                << md(t("compare.units_not_in_common",
                        {static_cast<long>(only_variant.size()), i18n::money(only_variant_cost).in(lang),
                         static_cast<long>(only_base.size()), i18n::money(only_base_cost).in(lang),
                         i18n::money(whole - outside).in(lang)}))
                << "\n";
        }
        std::erase_if(by_code, [&](const auto& entry) {
            return !base_codes.count(entry.first) || !variant_codes.count(entry.first);
        });
        std::vector<std::pair<std::string, Dong>> ranked(by_code.begin(), by_code.end());
        ranked.erase(std::remove_if(ranked.begin(), ranked.end(), [](const auto& p) { return p.second == 0; }), ranked.end());
        std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
            return (a.second < 0 ? -a.second : a.second) > (b.second < 0 ? -b.second : b.second);
        });
        if (!ranked.empty()) {
            out << "\n" << t("compare.top_communes") << "\n\n| " << t("compare.unit") << " | " << t("compare.difference")
                << " |\n|---|---:|\n";
            for (std::size_t i = 0; i < ranked.size() && i < 5; ++i) {
                const int u = base.find_unit(ranked[i].first);
                out << "| " << md(ranked[i].first + " " + (u >= 0 ? base.units()[static_cast<std::size_t>(u)].name : std::string()))
                    << " | " << format_money(ranked[i].second, lang) << " |\n";
            }
        }
        out << "\n";
    }
    if (!c.warnings.empty()) {
        out << "## " << t("compare.warnings") << "\n\n";
        for (const Warning& w : c.warnings) out << "- " << md(w.to_string(lang)) << "\n";
        out << "\n";
    }
    out << md(t("compare.files")) << "\n";
}

void write_text_file(const fs::path& path, const std::function<void(std::ostream&)>& write) {
    std::ofstream out(path, std::ios::binary);
    write(out);
    out.flush();
    if (!out) throw fs::filesystem_error("cannot write", path, std::make_error_code(std::errc::io_error));
}

}  // namespace

namespace report_detail {

double CompareCell::number() const {
    if (csv.empty()) return 0;
    const double v = std::stod(csv);
    return kind == Kind::percent ? v / 100.0 : v;
}

std::size_t CompareTable::column(std::string_view name) const {
    const auto at = std::find(columns.begin(), columns.end(), name);
    if (at == columns.end()) throw std::out_of_range("no column " + std::string(name) + " in " + file);
    return static_cast<std::size_t>(at - columns.begin());
}

void CompareTable::write_csv(std::ostream& out) const {
    for (std::size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << columns[i];
    out << '\n';
    for (const CompareRow& row : rows) {
        for (std::size_t i = 0; i < row.cells.size(); ++i) out << (i ? "," : "") << csv_field(row.cells[i].csv);
        out << '\n';
    }
}

CompareTables build_compare_tables(const Comparison& c, const ReportOptions& o) {
    // Six independent tables: built side by side, the two largest (communes, support
    // changes) first.
    CompareTables t;
    run_report_tasks({[&] { t.by_unit = by_unit_table(c); }, [&] { t.support = support_table(c, o); },
                      [&] { t.coverage = coverage_table(c); }, [&] { t.by_rule = by_rule_table(c, o); },
                      [&] { t.by_year_payer = by_year_payer_table(c, o); }, [&] { t.stacked = stacked_table(c, o); }},
                     o.threads);
    run_report_tasks({[&] { t.unit_sheet = unit_sheet(c, t.by_unit, o); }, [&] { t.support_sheet = support_sheet(c, t.support, o); },
                      [&] { t.coverage_sheet = coverage_sheet(c, t.coverage, o); }},
                     o.threads);
    return t;
}

}  // namespace report_detail

void write_compare_reports(const fs::path& dir, const Comparison& c, const ReportOptions& o) {
    const report_detail::CompareTables tables = report_detail::build_compare_tables(c, o);
    // Every file is its own task (the workbook, the longest, first); run.json after them.
    std::vector<std::function<void()>> tasks{[&] { report_detail::write_compare_xlsx(dir / "report.xlsx", c, o, tables); }};
    for (const CompareTable* t : {&tables.by_unit, &tables.support, &tables.coverage, &tables.by_rule, &tables.by_year_payer,
                                  &tables.stacked})
        tasks.emplace_back([&dir, t] { write_text_file(dir / t->file, [&](std::ostream& out) { t->write_csv(out); }); });
    tasks.emplace_back([&] { write_text_file(dir / "summary.md", [&](std::ostream& out) { write_summary(out, c, o); }); });
    tasks.emplace_back([&] {
        write_text_file(dir / "report.html", [&](std::ostream& out) { report_detail::write_compare_html(out, c, o, tables); });
    });
    report_detail::run_report_tasks(tasks, o.threads);
    // run.json last: the manifest of what this folder holds.
    const std::vector<std::string> files = manifest_listing(dir);
    write_text_file(dir / "run.json", [&](std::ostream& out) {
        using report_detail::json_string;
        out << "{\n  \"manifest\": {\"program\": " << json_string(kProgramName) << ", \"files\": [";
        for (std::size_t i = 0; i < files.size(); ++i) out << (i ? ", " : "") << json_string(files[i]);
        out << "]},\n  \"kind\": " << json_string(report_kind_name(ReportKind::compare)) << ",\n  \"base\": "
            << json_string(c.base.scenario->id) << ",\n  \"variants\": [";
        for (std::size_t i = 0; i < c.variants.size(); ++i) out << (i ? ", " : "") << json_string(c.variants[i].scenario->id);
        out << "],\n  \"program_version\": " << json_string(o.program_version) << ",\n  \"generated_at\": "
            << json_string(o.generated_at) << ",\n  \"inputs\": [";
        std::set<std::string> seen;
        bool first = true;
        const auto inputs = [&](const Scenario& s) {
            for (const InputFile& f : s.inputs) {
                if (!seen.insert(f.path).second) continue;
                out << (first ? "\n    " : ",\n    ") << "{\"path\": " << json_string(f.path) << ", \"sha256\": " << json_string(f.sha256) << "}";
                first = false;
            }
        };
        inputs(*c.base.scenario);
        for (const ScenarioRun& v : c.variants) inputs(*v.scenario);
        out << "\n  ]\n}\n";
    });
}

}  // namespace subsim
