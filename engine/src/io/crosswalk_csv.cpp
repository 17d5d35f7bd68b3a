// Reading a crosswalk CSV (model/crosswalk.hpp's rows) from a parsed table.
#include "subsim/io/crosswalk_csv.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

#include "subsim/i18n/i18n.hpp"

namespace subsim {

CrosswalkTable read_crosswalk_table(const CsvTable& csv) {
    static constexpr std::string_view kColumns[] = {"new_code", "new_name", "old_code",   "old_name",  "old_district",
                                                    "old_province", "part", "weight", "population"};
    std::string all_columns;
    for (std::string_view c : kColumns) all_columns += (all_columns.empty() ? "" : ", ") + std::string(c);
    for (std::size_t c = 0; c < csv.header.size(); ++c) {
        const bool known = std::find(std::begin(kColumns), std::end(kColumns), csv.header[c]) != std::end(kColumns);
        if (!known)
            throw ScenarioError({csv.file, 1, static_cast<int>(c) + 1}, csv.header[c],
                                i18n::tr("table.unexpected_column", {i18n::quoted(csv.header[c]), all_columns}));
    }
    const int new_code = csv.require_column("new_code");
    const int old_code = csv.require_column("old_code");
    const int part = csv.require_column("part");
    const int new_name = csv.column("new_name");
    const int old_name = csv.column("old_name");
    const int old_district = csv.column("old_district");
    const int old_province = csv.column("old_province");
    const int weight = csv.column("weight");
    const int population = csv.column("population");

    CrosswalkTable table;
    table.columns = {new_code + 1, old_code + 1, old_district + 1, part + 1, weight + 1, population + 1, old_province + 1};
    table.rows.reserve(csv.rows.size());
    const auto cell = [&](const std::vector<std::string>& row, int c) -> std::string {
        return c >= 0 ? row[static_cast<std::size_t>(c)] : std::string();
    };
    for (std::size_t r = 0; r < csv.rows.size(); ++r) {
        const auto& row = csv.rows[r];
        CrosswalkRow out;
        out.where = csv.where(r, -1);
        out.new_code = cell(row, new_code);
        out.old_code = cell(row, old_code);
        for (int c : {new_code, old_code})
            if (row[static_cast<std::size_t>(c)].empty())
                throw ScenarioError(csv.where(r, c), csv.header[static_cast<std::size_t>(c)], i18n::tr("value.empty"));
        out.new_name = cell(row, new_name);
        out.old_name = cell(row, old_name);
        out.old_district = cell(row, old_district);
        out.old_province = cell(row, old_province);
        const std::string& p = row[static_cast<std::size_t>(part)];
        if (p == "part") out.split = true;
        else if (p != "whole")
            throw ScenarioError(csv.where(r, part), "part",
                                i18n::tr("value.not_one_of", {i18n::quoted(p), "whole, part"}));
        if (weight >= 0 && !row[static_cast<std::size_t>(weight)].empty()) {
            const std::string& w = row[static_cast<std::size_t>(weight)];
            const SourceLocation at = csv.where(r, weight);
            if (w.find('%') == std::string::npos) {
                if (Decimal::parse(w)) throw ScenarioError(at, "weight", i18n::tr("value.bare_number", {i18n::quoted(w), w}));
                throw ScenarioError(at, "weight", i18n::tr("value.not_percentage", {i18n::quoted(w)}));
            }
            Decimal::ParseError why{};
            const auto d = Decimal::parse(w, &why);
            if (!d) {
                switch (why) {
                    case Decimal::ParseError::comma_decimal:
                        throw ScenarioError(at, "weight", i18n::tr("value.comma_decimal", {i18n::quoted(w)}));
                    case Decimal::ParseError::too_many_places:
                        throw ScenarioError(at, "weight",
                                            i18n::tr("value.too_many_places", {i18n::quoted(w), Decimal::kMaxScale}));
                    case Decimal::ParseError::too_large:
                    case Decimal::ParseError::not_number:
                        break;
                }
                throw ScenarioError(at, "weight", i18n::tr("value.not_percentage", {i18n::quoted(w)}));
            }
            out.weight = *d;
        }
        if (population >= 0 && !row[static_cast<std::size_t>(population)].empty()) {
            const std::string& n = row[static_cast<std::size_t>(population)];
            const auto count = parse_count(n);
            if (!count)
                throw ScenarioError(csv.where(r, population), "population",
                                    i18n::tr("value.not_count", {i18n::quoted(n)}));
            out.population = *count;
        }
        table.rows.push_back(std::move(out));
    }
    return table;
}

}  // namespace subsim
