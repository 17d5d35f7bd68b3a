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

std::uint32_t ScenarioData::file_id(const std::string& file) {
    for (std::size_t i = 0; i < files.size(); ++i)
        if (files[i] == file) return static_cast<std::uint32_t>(i);
    files.push_back(file);
    return static_cast<std::uint32_t>(files.size() - 1);
}

SourceLocation ScenarioData::where(RowRef r) const {
    return {r.file < files.size() ? files[r.file] : std::string(), r.line, 0};
}

int ScenarioData::find_unit(std::string_view code) const {
    return find_index(units, code, [](const Unit& u) -> const std::string& { return u.code; });
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
    else if (data.use_count() > 1) data = std::make_shared<ScenarioData>(*data);
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
