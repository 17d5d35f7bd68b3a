#include "subsim/model/scenario.hpp"

#include <algorithm>

namespace subsim {

std::string_view to_string(Confidence c) {
    switch (c) {
        case Confidence::high: return "high";
        case Confidence::medium_high: return "medium-high";
        case Confidence::medium: return "medium";
        case Confidence::low: return "low";
        case Confidence::assumption: return "assumption";
        case Confidence::illustrative: return "illustrative";
    }
    return "assumption";
}

std::string_view to_string(UnitLevel l) {
    switch (l) {
        case UnitLevel::province: return "province";
        case UnitLevel::district: return "district";
        case UnitLevel::commune: return "commune";
    }
    return "district";
}

std::string_view to_string(PayerLevel l) {
    switch (l) {
        case PayerLevel::central: return "central";
        case PayerLevel::province: return "province";
        case PayerLevel::commune: return "commune";
    }
    return "province";
}

const std::string* Unit::attribute(std::string_view name) const {
    auto it = std::lower_bound(attributes.begin(), attributes.end(), name,
                               [](const auto& kv, std::string_view n) { return kv.first < n; });
    if (it == attributes.end() || it->first != name) return nullptr;
    return &it->second;
}

int Unit::months_valid(int year) const {
    if (!valid.from && !valid.to) return 12;
    int months = 0;
    for (int m = 1; m <= 12; ++m) months += valid.contains(Date{year, m, 1}) ? 1 : 0;
    return months;
}

bool Unit::valid_in(int year) const {
    return (!valid.from || valid.from->year <= year) && (!valid.to || valid.to->year >= year);
}

std::string_view to_string(CrosswalkLevel l) {
    switch (l) {
        case CrosswalkLevel::new_unit: return "new";
        case CrosswalkLevel::old_commune: return "old_commune";
        case CrosswalkLevel::old_district: return "old_district";
        case CrosswalkLevel::old_province: return "old_province";
    }
    return "new";
}

std::optional<CrosswalkLevel> parse_crosswalk_level(std::string_view text) {
    std::string t(text);
    for (char& c : t)
        if (c == '-') c = '_';
    if (t == "new" || t == "new_commune" || t == "new_unit") return CrosswalkLevel::new_unit;
    if (t == "old_commune") return CrosswalkLevel::old_commune;
    if (t == "old_district") return CrosswalkLevel::old_district;
    if (t == "old_province") return CrosswalkLevel::old_province;
    return std::nullopt;
}

bool ScenarioCrosswalk::has(CrosswalkLevel l) const {
    return std::find(scenario_levels.begin(), scenario_levels.end(), l) != scenario_levels.end();
}

const std::vector<std::int64_t>* ScenarioCrosswalk::part_population_in(int year) const {
    const std::vector<std::int64_t>* best = nullptr;
    int best_year = 0;
    for (const auto& [y, parts] : part_population)
        if (y <= year && (best == nullptr || y >= best_year)) {
            best = &parts;
            best_year = y;
        }
    return best;
}

std::string_view to_string(CarriedFigure::Kind k) {
    switch (k) {
        case CarriedFigure::Kind::target: return "target";
        case CarriedFigure::Kind::population: return "population";
        case CarriedFigure::Kind::cohort: return "cohort";
        case CarriedFigure::Kind::overlap: return "overlap";
        case CarriedFigure::Kind::inflow: return "inflow";
        case CarriedFigure::Kind::enrolment: return "enrolment";
    }
    return "cohort";
}

bool Condition::matches(const Unit& u) const {
    for (const auto& [name, value] : equals) {
        const std::string* actual = u.attribute(name);
        if (actual == nullptr) {
            if (value != "false") return false;
        } else if (*actual != value) {
            return false;
        }
    }
    return true;
}

bool Rule::covers(int group) const {
    return std::find(groups.begin(), groups.end(), group) != groups.end();
}

namespace {
template <class V, class F>
int find_index(const V& v, std::string_view key, F field) {
    for (std::size_t i = 0; i < v.size(); ++i)
        if (field(v[i]) == key) return static_cast<int>(i);
    return -1;
}
}  // namespace

std::shared_ptr<const std::vector<Headcount>> CompileMemo::age_persons(int first_year, int years) const {
    const std::lock_guard<std::mutex> guard(lock_);
    for (const Entry& e : entries_)
        if (e.first_year == first_year && e.years == years) return e.persons;
    return nullptr;
}

void CompileMemo::keep_age_persons(int first_year, int years, std::shared_ptr<const std::vector<Headcount>> persons) const {
    const std::lock_guard<std::mutex> guard(lock_);
    for (const Entry& e : entries_)
        if (e.first_year == first_year && e.years == years) return;
    entries_.push_back({first_year, years, std::move(persons)});
}

void CompileMemo::clear() {
    const std::lock_guard<std::mutex> guard(lock_);
    entries_.clear();
}

std::uint32_t ScenarioData::file_id(const std::string& file) {
    for (std::size_t i = 0; i < files.size(); ++i)
        if (files[i] == file) return static_cast<std::uint32_t>(i);
    files.push_back(file);
    return static_cast<std::uint32_t>(files.size() - 1);
}

void ScenarioData::set_file_columns(std::uint32_t id, std::vector<std::string> header) {
    if (file_columns.size() <= id) file_columns.resize(static_cast<std::size_t>(id) + 1);
    file_columns[id] = std::move(header);
}

SourceLocation ScenarioData::where(RowRef r, std::string_view column) const {
    SourceLocation at{r.file < files.size() ? files[r.file] : std::string(), r.line, 0};
    if (r.file < file_columns.size()) {
        const std::vector<std::string>& header = file_columns[r.file];
        const auto it = std::find(header.begin(), header.end(), column);
        if (it != header.end()) at.column = static_cast<int>(it - header.begin()) + 1;
    }
    return at;
}

int ScenarioData::find_unit(std::string_view code) const {
    return find_index(units, code, [](const Unit& u) -> const std::string& { return u.code; });
}
int ScenarioData::find_unit(std::string_view code, Date d) const {
    for (std::size_t i = 0; i < units.size(); ++i)
        if (units[i].code == code && units[i].valid_on(d)) return static_cast<int>(i);
    return -1;
}
bool ScenarioData::has_validity() const {
    return std::any_of(units.begin(), units.end(), [](const Unit& u) { return u.valid.from || u.valid.to; });
}
int ScenarioData::find_group(std::string_view gid) const {
    return find_index(groups, gid, [](const Group& g) -> const std::string& { return g.id; });
}
bool ScenarioData::is_leaf(int unit) const {
    for (const auto& u : units)
        if (u.parent == unit) return false;
    return true;
}

ScenarioData& Scenario::data_mut() {
    if (!data) data = std::make_shared<ScenarioData>();
    else if (data.use_count() > 1) data = std::make_shared<ScenarioData>(*data);  // a copy: no memo
    else data->memo = CompileMemo();  // changed in place: what compile derived may no longer hold
    return *data;
}
int Scenario::find_payer(std::string_view pid) const {
    return find_index(payers, pid, [](const Payer& p) -> const std::string& { return p.id; });
}
Decimal Scenario::cohort_scale(int group) const {
    for (const CohortScale& c : cohort_scales)
        if (c.group == group) return c.scale;
    return Decimal::one();
}

int Scenario::find_rule(std::string_view rid) const {
    return find_index(rules, rid, [](const Rule& r) -> const std::string& { return r.id; });
}

}  // namespace subsim
