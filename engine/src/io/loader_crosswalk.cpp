// The crosswalk side of the scenario loader: a `crosswalks:` entry's table checked
// against the scenario's units and bound to them, and tables keyed on another division
// (`by:`) carried onto the scenario's units. No yaml-cpp here.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "loader_detail.hpp"
#include "subsim/core/unicode.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/io/crosswalk_csv.hpp"

namespace subsim::loader_detail {

namespace {

std::vector<bool> leaf_flags_of(const Scenario& s) {
    std::vector<bool> leaf(s.units().size(), true);
    for (const auto& u : s.units())
        if (u.parent >= 0) leaf[static_cast<std::size_t>(u.parent)] = false;
    return leaf;
}

DatedUnit dated(const Unit& u) { return {u.code, u.name, u.valid, u.code_where}; }

/// The row of the crosswalk table that first names district / province `name`.
SourceLocation first_row_naming(const CrosswalkTable& t, const std::string& name, bool district, int column) {
    for (const CrosswalkRow& r : t.rows)
        if ((district ? r.old_district : r.old_province) == name) {
            SourceLocation at = r.where;
            at.column = column;
            return at;
        }
    return {};
}

/// Binds the groups of a level (old districts or provinces, by name) to the scenario's
/// units of `unit_level` valid on the old side's last day.
std::vector<int> bind_groups(const UnitGroups& groups, UnitLevel unit_level, const Scenario& s, Date last_old,
                             const CrosswalkTable& t, bool district, const std::string& file) {
    std::vector<int> out(groups.size(), -1);
    std::map<std::string, std::vector<int>> by_name;
    for (std::size_t u = 0; u < s.units().size(); ++u) {
        const Unit& unit = s.units()[u];
        if (unit.level == unit_level && unit.valid_on(last_old)) by_name[unit.name].push_back(static_cast<int>(u));
    }
    std::map<int, std::size_t> group_of_unit;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const std::string name = to_nfc(groups.names[g]);
        const auto it = by_name.find(name);
        const int column = district ? t.columns.old_district : 0;
        if (it == by_name.end()) {
            SourceLocation at = first_row_naming(t, groups.names[g], district, column);
            if (at.file.empty()) at = {file, 1, 0};
            fail(at, district ? "old_district" : "old_province",
                 i18n::tr("merger.level_unit_unknown",
                          {i18n::quoted(groups.names[g]), std::string(to_string(unit_level)), last_old.to_string()}));
        }
        // Districts of one name in several provinces: the one in the group's province.
        const std::string parent = g < groups.parents.size() ? to_nfc(groups.parents[g]) : std::string();
        out[g] = it->second.front();
        for (int u : it->second) {
            const int p = s.units()[static_cast<std::size_t>(u)].parent;
            if (!parent.empty() && p >= 0 && s.units()[static_cast<std::size_t>(p)].name == parent) out[g] = u;
        }
        // Two groups on one unit would each carry its persons: one district written with
        // two provinces (a mistyped old_province) counted it twice.
        const auto [bound, fresh] = group_of_unit.emplace(out[g], g);
        if (!fresh && district) {
            const std::string& other = groups.parents[bound->second];
            const auto row_of = [&](const std::string& province) {
                for (const CrosswalkRow& r : t.rows)
                    if (r.old_district == groups.names[g] && r.old_province == province) return r.where;
                return SourceLocation{file, 1, 0};
            };
            SourceLocation at = row_of(groups.parents[g]);
            at.column = t.columns.old_province;
            fail(at, "old_province",
                 i18n::tr("crosswalk.district_two_provinces", {i18n::quoted(groups.names[g]), i18n::quoted(groups.parents[g]),
                                                               i18n::quoted(other), row_of(other).line}));
        }
    }
    return out;
}

}  // namespace

ScenarioCrosswalk bind_crosswalk(const CrosswalkSpec& spec, const CsvCells& cells, const Scenario& s) {
    ScenarioCrosswalk x;
    x.id = spec.id;
    x.name = spec.name;
    x.file = spec.file;
    x.change = spec.change;
    x.weights = spec.weights;
    x.provenance = spec.provenance;
    x.where = spec.where;
    x.scenario_levels = spec.levels;
    const Date last_old = spec.change.previous_day();
    CrosswalkTable table = read_crosswalk_table(cells.to_table());

    const bool has_new = x.has(CrosswalkLevel::new_unit);
    const bool has_commune = x.has(CrosswalkLevel::old_commune);
    const bool has_district = x.has(CrosswalkLevel::old_district);
    const bool has_province = x.has(CrosswalkLevel::old_province);
    const bool has_old = has_commune || has_district || has_province;
    const std::vector<bool> leaf = leaf_flags_of(s);

    CrosswalkInput in;
    in.new_division = x.name;
    in.old_division = {};
    in.weights = spec.weights;
    in.file = {spec.file, 1, 0};
    in.columns = table.columns;
    std::vector<int> new_scenario, old_scenario;
    if (has_new) {
        // The scenario's lowest-level units that begin on the change date (all of them
        // valid then, when the scenario holds no old side).
        for (std::size_t u = 0; u < s.units().size(); ++u) {
            const Unit& unit = s.units()[u];
            if (!leaf[u] || !unit.valid_on(spec.change) || (has_old && unit.valid_on(last_old))) continue;
            in.new_units.push_back(dated(unit));
            new_scenario.push_back(static_cast<int>(u));
        }
    } else {
        // The new division is the table's own.
        std::set<std::string_view> seen;
        for (const CrosswalkRow& r : table.rows)
            if (seen.insert(r.new_code).second) in.new_units.push_back({r.new_code, r.new_name, {}, r.where});
    }
    if (has_commune) {
        for (std::size_t u = 0; u < s.units().size(); ++u) {
            const Unit& unit = s.units()[u];
            if (!leaf[u] || !unit.valid_on(last_old) || (has_new && unit.valid_on(spec.change))) continue;
            in.old_units.push_back(dated(unit));
            old_scenario.push_back(static_cast<int>(u));
        }
    }
    in.rows = std::move(table.rows);
    x.table = std::make_shared<const Crosswalk>(build_crosswalk(in));
    table.rows = std::move(in.rows);
    const Crosswalk& cw = *x.table;

    x.new_unit.assign(cw.new_count(), -1);
    if (has_new)
        for (std::size_t n = 0; n < cw.new_count(); ++n) x.new_unit[n] = new_scenario[n];
    x.old_unit.assign(cw.old_count(), -1);
    if (has_commune)
        for (std::size_t o = 0; o < cw.old_count(); ++o) x.old_unit[o] = old_scenario[o];
    x.district_unit.assign(cw.old_districts().size(), -1);
    x.province_unit.assign(cw.old_provinces().size(), -1);
    if (has_district)
        x.district_unit = bind_groups(cw.old_districts(), UnitLevel::district, s, last_old, table, true, spec.file);
    if (has_province)
        x.province_unit = bind_groups(cw.old_provinces(), UnitLevel::province, s, last_old, table, false, spec.file);

    // An old commune of the scenario lies in the district the crosswalk says.
    if (has_commune && has_district) {
        const UnitGroups& districts = cw.old_districts();
        for (std::size_t o = 0; o < cw.old_count(); ++o) {
            const int district = x.district_unit[static_cast<std::size_t>(districts.group_of[o])];
            bool inside = false;
            for (int p = s.units()[static_cast<std::size_t>(x.old_unit[o])].parent; p >= 0 && !inside;
                 p = s.units()[static_cast<std::size_t>(p)].parent)
                inside = p == district;
            if (inside) continue;
            const Unit& unit = s.units()[static_cast<std::size_t>(x.old_unit[o])];
            const Unit& d = s.units()[static_cast<std::size_t>(district)];
            fail(unit.code_where, "parent",
                 i18n::tr("merger.commune_outside_district", {i18n::quoted(unit.code), unit.name, d.code + " " + d.name}));
        }
    }

    // The scenario's old lowest-level units when they are districts (or provinces): each
    // must be carried somewhere.
    const auto require_carried = [&](const std::vector<int>& bound, UnitLevel level) {
        std::vector<char> bound_unit(s.units().size(), 0);
        for (int u : bound)
            if (u >= 0) bound_unit[static_cast<std::size_t>(u)] = 1;
        for (std::size_t u = 0; u < s.units().size(); ++u) {
            const Unit& unit = s.units()[u];
            if (!leaf[u] || unit.level != level || !unit.valid_on(last_old) || (has_new && unit.valid_on(spec.change))) continue;
            if (bound_unit[u]) continue;
            fail(unit.code_where, "old_code", i18n::tr("crosswalk.old_unit_carried_nowhere", {i18n::quoted(unit.code), unit.name}));
        }
        for (int u : bound)
            if (u >= 0 && !leaf[static_cast<std::size_t>(u)] && !has_commune)
                fail(s.units()[static_cast<std::size_t>(u)].code_where, "old_district",
                     i18n::tr("merger.old_level_not_leaf", {i18n::quoted(s.units()[static_cast<std::size_t>(u)].code)}));
    };

    if (has_new && has_old) {
        if (has_commune) {
            x.carry = x.table;
            x.carry_old = x.old_unit;
        } else if (has_district) {
            require_carried(x.district_unit, UnitLevel::district);
            x.carry = std::make_shared<const Crosswalk>(cw.regroup_old(cw.old_districts()));
            x.carry_old = x.district_unit;
        } else {
            require_carried(x.province_unit, UnitLevel::province);
            x.carry = std::make_shared<const Crosswalk>(cw.regroup_old(cw.old_provinces()));
            x.carry_old = x.province_unit;
        }
        x.carry_new = x.new_unit;
    }
    return x;
}

// ---------------------------------------------------------------- levels

int find_level_unit(const ScenarioCrosswalk& x, CrosswalkLevel level, std::string_view name, Text* hint) {
    NameIndex index;
    const Crosswalk& cw = *x.table;
    switch (level) {
        case CrosswalkLevel::new_unit:
            for (std::size_t n = 0; n < cw.new_count(); ++n) index.add(cw.new_code(static_cast<int>(n)), static_cast<int>(n));
            break;
        case CrosswalkLevel::old_commune:
            for (std::size_t o = 0; o < cw.old_count(); ++o) index.add(cw.old_code(static_cast<int>(o)), static_cast<int>(o));
            break;
        case CrosswalkLevel::old_district:
        case CrosswalkLevel::old_province: {
            const UnitGroups& g = level == CrosswalkLevel::old_district ? cw.old_districts() : cw.old_provinces();
            std::map<std::string, int> count;
            for (const auto& n : g.names) ++count[n];
            for (std::size_t i = 0; i < g.size(); ++i) {
                if (count[g.names[i]] == 1) index.add(g.names[i], static_cast<int>(i));
                if (!g.parents[i].empty()) index.add(g.names[i] + ", " + g.parents[i], static_cast<int>(i));
            }
            break;
        }
    }
    const std::string key = is_ascii(name) ? std::string(name) : to_nfc(name);
    const int found = index.find(key);
    if (found < 0 && hint != nullptr) *hint = index.hint(key);
    return found;
}

// ---------------------------------------------------------------- carrying

namespace {

/// The crosswalk at `level`: the table itself for old communes, regrouped for districts
/// and provinces (members of equal size).
std::shared_ptr<const Crosswalk> at_level(const ScenarioCrosswalk& x, CrosswalkLevel level) {
    switch (level) {
        case CrosswalkLevel::old_district: return std::make_shared<const Crosswalk>(x.table->regroup_old(x.table->old_districts()));
        case CrosswalkLevel::old_province: return std::make_shared<const Crosswalk>(x.table->regroup_old(x.table->old_provinces()));
        default: return x.table;
    }
}

/// Part populations of `year` at `level` (one per link of `cw`): the old communes'
/// given populations summed per link of the regrouped crosswalk, or the back weights
/// (old units of equal size within each new unit: `assumed`).
std::vector<std::int64_t> part_weights(const ScenarioCrosswalk& x, CrosswalkLevel level, const Crosswalk& cw, int year,
                                       bool& assumed) {
    const std::vector<std::int64_t>* given = x.part_population_in(year);
    std::vector<std::int64_t> out(cw.links().size(), 0);
    if (given == nullptr) {
        assumed = true;
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = cw.links()[i].back_weight;
        return out;
    }
    assumed = false;
    if (level == CrosswalkLevel::old_commune || level == CrosswalkLevel::new_unit) return *given;
    const UnitGroups& g = level == CrosswalkLevel::old_district ? x.table->old_districts() : x.table->old_provinces();
    const auto links = x.table->links();
    for (std::size_t i = 0; i < links.size(); ++i) {
        const int group = g.group_of[static_cast<std::size_t>(links[i].old_unit)];
        const auto begin = cw.links_of_old(group);
        for (std::size_t k = 0; k < begin.size(); ++k)
            if (begin[k].new_unit == links[i].new_unit) {
                const std::size_t at = static_cast<std::size_t>(&begin[k] - cw.links().data());
                out[at] += (*given)[i];
                break;
            }
    }
    return out;
}

/// True if carrying at `level` into new unit `n` rests on an assumption: equal shares of a
/// split commune (weights: equal), or old communes of equal size within a district or
/// province.
bool carry_assumed(const ScenarioCrosswalk& x, CrosswalkLevel level, const Crosswalk& cw, std::size_t n) {
    if (level == CrosswalkLevel::old_district || level == CrosswalkLevel::old_province) return true;
    (void)x;
    return cw.new_unit_assumed(static_cast<int>(n));
}

}  // namespace

void carry_keyed_table(const KeyedTable& t, Scenario& s, std::vector<Warning>& warnings) {
    ScenarioData& data = s.data_mut();
    ScenarioCrosswalk& x = data.crosswalks[static_cast<std::size_t>(t.crosswalk)];
    const std::shared_ptr<const Crosswalk> cw = at_level(x, t.level);
    const int first_new_year = x.change.year;
    const std::size_t old_count = cw->old_count();

    // Rows by (year, group, group_b), in file order within each.
    std::map<std::tuple<int, int, int>, std::vector<const KeyedRow*>> sets;
    const KeyedRow* early = nullptr;
    for (const KeyedRow& r : t.rows) {
        if (t.kind == CarriedFigure::Kind::target && t.level != CrosswalkLevel::new_unit)
            x.level_targets.push_back({t.level, r.year, r.key, r.rate});
        if (r.year < first_new_year) {
            if (early == nullptr) early = &r;
            continue;  // the new units do not exist yet
        }
        // A target for a year the scenario does not simulate serves the reports by the
        // level only (a former district's last target); it is not carried.
        if (t.kind == CarriedFigure::Kind::target && (r.year < s.first_year || r.year > s.last_year)) continue;
        sets[{r.year, r.group, r.group_b}].push_back(&r);
    }
    if (early != nullptr && t.kind != CarriedFigure::Kind::target)
        warnings.push_back({s.where_of(early->where, "year"), "year",
                            i18n::tr("merger.rows_before_change", {early->year, x.change.to_string(), i18n::quoted(x.id)})});

    const auto record = [&](CarriedFigure f) {
        f.crosswalk = t.crosswalk;
        f.level = t.level;
        data.carried.push_back(std::move(f));
    };
    const auto parts_of = [&](std::size_t n, const std::vector<char>& present) {
        int parts = 0;
        for (int id : cw->links_of_new(static_cast<int>(n)))
            parts += present[static_cast<std::size_t>(cw->links()[static_cast<std::size_t>(id)].old_unit)] ? 1 : 0;
        return parts;
    };

    // Targets a table keyed on the scenario's own units already gives are kept as given.
    std::set<std::pair<int, int>> own_targets;
    if (t.kind == CarriedFigure::Kind::target)
        for (const TargetRow& row : s.targets) own_targets.insert({row.year, row.unit});
    for (const auto& [key, rows] : sets) {
        const int year = std::get<0>(key), group = std::get<1>(key), group_b = std::get<2>(key);
        std::vector<char> present(old_count, 0);
        if (t.kind == CarriedFigure::Kind::target) {
            std::vector<std::optional<Decimal>> per_old(old_count);
            for (const KeyedRow* r : rows) {
                per_old[static_cast<std::size_t>(r->key)] = r->rate;
                present[static_cast<std::size_t>(r->key)] = 1;
            }
            bool assumed = false;
            const std::vector<std::int64_t> weights = part_weights(x, t.level, *cw, year, assumed);
            const std::vector<CarriedRate> rates = cw->rates_to_new(per_old, weights);
            for (std::size_t n = 0; n < rates.size(); ++n) {
                if (!rates[n].rate || x.new_unit[n] < 0 || own_targets.count({year, x.new_unit[n]})) continue;
                s.targets.push_back({year, x.new_unit[n], *rates[n].rate, rows.front()->where});
                CarriedFigure f;
                f.kind = t.kind;
                f.year = year;
                f.unit = x.new_unit[n];
                f.rate = rates[n].rate;
                f.parts = parts_of(n, present);
                f.assumed = assumed || carry_assumed(x, t.level, *cw, n) || (rates[n].persons_with_rate < rates[n].persons);
                record(std::move(f));
            }
            continue;
        }
        std::vector<std::int64_t> per_old(old_count, 0);
        for (const KeyedRow* r : rows) {
            per_old[static_cast<std::size_t>(r->key)] = r->persons;
            present[static_cast<std::size_t>(r->key)] = 1;
        }
        const std::vector<std::int64_t> per_link = cw->split_old(per_old);
        if (t.kind == CarriedFigure::Kind::population && t.level == CrosswalkLevel::old_commune) {
            auto it = std::find_if(x.part_population.begin(), x.part_population.end(),
                                   [&](const auto& p) { return p.first == year; });
            if (it == x.part_population.end()) x.part_population.emplace_back(year, per_link);
            else it->second = per_link;
        }
        const std::vector<std::int64_t> per_new = cw->sum_by_new(per_link);
        for (std::size_t n = 0; n < per_new.size(); ++n) {
            const int parts = parts_of(n, present);
            if (parts == 0 || x.new_unit[n] < 0) continue;
            const int unit = x.new_unit[n];
            const RowRef where = rows.front()->where;
            switch (t.kind) {
                case CarriedFigure::Kind::cohort: data.cohorts.push_back({year, unit, group, per_new[n], where}); break;
                case CarriedFigure::Kind::population: data.population.push_back({year, unit, per_new[n], where}); break;
                case CarriedFigure::Kind::overlap: data.overlaps.push_back({year, unit, group, group_b, per_new[n], where}); break;
                default: break;
            }
            CarriedFigure f;
            f.kind = t.kind;
            f.year = year;
            f.unit = unit;
            f.group = group;
            f.group_b = group_b;
            f.persons = per_new[n];
            f.parts = parts;
            f.assumed = carry_assumed(x, t.level, *cw, n);
            record(std::move(f));
        }
    }
}

void carry_enrolment(const std::vector<KeyedEnrolment>& entries, int crosswalk, CrosswalkLevel level, Scenario& s) {
    if (entries.empty()) return;
    ScenarioCrosswalk& x = s.data_mut().crosswalks[static_cast<std::size_t>(crosswalk)];
    const std::shared_ptr<const Crosswalk> cw = at_level(x, level);
    std::map<std::pair<int, Date>, std::vector<const KeyedEnrolment*>> sets;
    for (const KeyedEnrolment& e : entries) sets[{e.group, e.from}].push_back(&e);
    for (const auto& [key, set] : sets) {
        const auto [group, from] = key;
        // Units without an entry of their own: the group-wide share in force, or the default.
        Decimal fallback = s.default_enrolment;
        const EnrolmentRate* wide = nullptr;
        for (const EnrolmentRate& e : s.enrolment)
            if (e.group == group && e.unit < 0 && e.from <= from && (wide == nullptr || wide->from <= e.from)) wide = &e;
        if (wide != nullptr) fallback = wide->share;
        std::vector<std::optional<Decimal>> per_old(cw->old_count(), fallback);
        for (const KeyedEnrolment* e : set) per_old[static_cast<std::size_t>(e->key)] = e->share;
        const Date start = std::max(from, x.change);
        bool assumed = false;
        const std::vector<std::int64_t> weights = part_weights(x, level, *cw, start.year, assumed);
        const std::vector<CarriedRate> rates = cw->rates_to_new(per_old, weights, RateRounding{6, Rounding::half_up});
        for (std::size_t n = 0; n < rates.size(); ++n) {
            if (!rates[n].rate || x.new_unit[n] < 0) continue;
            const KeyedEnrolment& first = *set.front();
            EnrolmentRate e{group, x.new_unit[n], start, rates[n].rate->normalized(), first.provenance, first.where};
            e.provenance.note = (e.provenance.note.empty() ? "" : e.provenance.note + "; ") + "carried from " +
                                std::string(to_string(level)) + " via crosswalk " + x.id;
            s.enrolment.push_back(std::move(e));
            CarriedFigure f;
            f.kind = CarriedFigure::Kind::enrolment;
            f.crosswalk = crosswalk;
            f.level = level;
            f.year = start.year;
            f.unit = x.new_unit[n];
            f.group = group;
            f.rate = rates[n].rate->normalized();
            f.parts = static_cast<int>(cw->links_of_new(static_cast<int>(n)).size());
            f.assumed = assumed;
            s.data_mut().carried.push_back(std::move(f));
        }
    }
}

}  // namespace subsim::loader_detail
