// Scenario loader: a small complete scenario read back value by value, error
// locations worked out by hand from the text below, and the path rules (--root).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "subsim/engine.hpp"
#include "subsim/io/scenario_loader.hpp"
#include "subsim/io/sha256.hpp"

namespace subsim {
namespace {
namespace fs = std::filesystem;

// Line numbers matter: the tests below name them. Line 1 is "scenario:".
constexpr const char* kScenario = R"(scenario:
  id: demo-2026
  title: {vi: "Ví dụ", en: "Example"}
  years: {from: 2026, to: 2027}
  provenance: "unit test"
parameters:
  base_salary:
    - {from: 2024-07-01, value: 2340000, reference: "NĐ 73/2024/NĐ-CP", confidence: high}
    - {from: 2026-07-01, value: 2530000, reference: "NĐ 161/2026/NĐ-CP", confidence: medium}
  contribution_rate:
    - {from: 2014-07-01, value: 4.5%, reference: "NĐ 105/2014", confidence: high}
payers:
  - {id: district, name: {vi: "Ngân sách huyện", en: "District budget"}, level: province}
units:
  - {code: "37", name: "Ninh Bình", level: province}
  - {code: "13285", name: "Phường Phủ Lý", level: commune, parent: "37",
     attributes: {poor_commune: False, former_district: "Thành phố Phủ Lý"}}
  - {code: "00123", name: "Xã A", level: commune, parent: "37"}
groups:
  - {id: near_poor, name: {vi: "Cận nghèo", en: "Near-poor"}}
  - {id: victims, name: {vi: "Nạn nhân", en: "Victims"}, duration_months: 12}
cohorts:
  file: cohorts.csv
  growth:
    - {group: near_poor, from: 2027-01-01, rate: -5%, reference: "assumption", confidence: assumption}
  inflows: {file: data/inflows.csv}
population: {file: population.csv}
enrolment:
  default: 100%
  rates:
    - {group: near_poor, unit: "00123", from: 2026-01-01, share: 95%, reference: "assumption", confidence: assumption}
rules:
  - id: near_poor_central
    label: {vi: "NSTW 70%", en: "Central 70%"}
    reference: "Law 51/2024 Art. 12 cl. 4 pt a"
    confidence: high
    groups: [near_poor]
    when: {poor_commune: false}
    share: 70%
    payer: central
    from: 2025-07-01
  - id: victims_district
    label: {vi: "Huyện", en: "District"}
    reference: "illustrative"
    confidence: illustrative
    groups: [victims]
    amount: 50000
    payer: district
    from: 2026-01-01
    to: 2026-12-31
targets: {file: targets.csv}
schedule:
  quarters: [[1, 2], [3, 6], [7, 9], [10, 12]]
)";

constexpr const char* kCohorts = "year,unit_code,group,persons\n2026,13285,near_poor,1200\n2026,00123,near_poor,300\n";
constexpr const char* kInflows = "month,unit_code,group,persons\n2026-03,00123,victims,2\n";
constexpr const char* kPopulation = "year,unit_code,population\n2026,37,50000\n2026,13285,42793\n";
constexpr const char* kTargets = "year,unit_code,target_pct\r\n2026,37,95\r\n2026,13285,95.5%\r\n";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << "test text lacks: " << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

void write(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

class LoaderTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        base_ = fs::temp_directory_path() /
                ("subsim-loader-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
        fs::remove_all(base_);
        demo_ = base_ / "scenarios" / "demo";
        write(demo_ / "cohorts.csv", kCohorts);
        write(demo_ / "data" / "inflows.csv", kInflows);
        write(demo_ / "population.csv", kPopulation);
        write(demo_ / "targets.csv", kTargets);
        write(base_ / "outside" / "cohorts.csv", kCohorts);
        yaml_path_ = (demo_ / "scenario.yaml").string();
    }
    void TearDown() override { fs::remove_all(base_); }

    Scenario load(const std::string& text, const LoadOptions& options = {}) {
        write(yaml_path_, text);
        return load_scenario(yaml_path_, options);
    }

    /// The message of the ScenarioError that loading `text` throws.
    std::string error_of(const std::string& text, const LoadOptions& options = {}) {
        try {
            load(text, options);
        } catch (const ScenarioError& e) {
            return e.what();
        }
        return "(no error)";
    }

    fs::path base_, demo_;
    std::string yaml_path_;
};

TEST_F(LoaderTest, ReadsHeaderAndParameters) {
    const Scenario s = load(kScenario);
    EXPECT_EQ(s.id, "demo-2026");
    EXPECT_EQ(s.title.vi, "Ví dụ");
    EXPECT_EQ(s.title.en, "Example");
    EXPECT_EQ(s.first_year, 2026);
    EXPECT_EQ(s.last_year, 2027);
    EXPECT_FALSE(s.illustrative_population);
    EXPECT_EQ(s.parameters.rounding, Rounding::half_up);

    const auto& base = s.parameters.base_salary.entries;
    ASSERT_EQ(base.size(), 2u);
    EXPECT_EQ(base[0].from, (Date{2024, 7, 1}));
    EXPECT_EQ(base[0].value, 2340000);
    EXPECT_EQ(base[0].provenance.reference, "NĐ 73/2024/NĐ-CP");
    EXPECT_EQ(base[0].provenance.confidence, Confidence::high);
    EXPECT_EQ(base[0].where.line, 8);
    EXPECT_EQ(base[1].from, (Date{2026, 7, 1}));
    EXPECT_EQ(base[1].value, 2530000);
    EXPECT_EQ(base[1].provenance.confidence, Confidence::medium);

    // 4.5% is 45 thousandths, exactly.
    ASSERT_EQ(s.parameters.contribution_rate.entries.size(), 1u);
    EXPECT_EQ(s.parameters.contribution_rate.entries[0].value, (Decimal{45, 3}));
    EXPECT_TRUE(s.parameters.household_reduction.entries.empty());
}

TEST_F(LoaderTest, ReadsPayersUnitsAndGroups) {
    const Scenario s = load(kScenario);
    ASSERT_EQ(s.payers.size(), 4u);
    EXPECT_EQ(s.payers[0].id, "central");
    EXPECT_EQ(s.payers[0].name.vi, "Ngân sách trung ương");
    EXPECT_EQ(s.payers[0].level, PayerLevel::central);
    EXPECT_EQ(s.payers[1].id, "province");
    EXPECT_EQ(s.payers[1].name.en, "Provincial budget");
    EXPECT_EQ(s.payers[2].id, "commune");
    EXPECT_EQ(s.payers[2].name.vi, "Ngân sách xã");
    EXPECT_FALSE(s.payers[2].declared);
    EXPECT_EQ(s.payers[3].id, "district");
    EXPECT_EQ(s.payers[3].level, PayerLevel::province);
    EXPECT_TRUE(s.payers[3].declared);

    ASSERT_EQ(s.units().size(), 3u);
    EXPECT_EQ(s.units()[0].parent, -1);
    EXPECT_EQ(s.units()[1].parent, 0);
    EXPECT_EQ(s.units()[1].level, UnitLevel::commune);
    EXPECT_EQ(s.units()[2].code, "00123");  // leading zeros kept
    // Sorted by name; YAML's False becomes "false".
    const std::vector<std::pair<std::string, std::string>> attributes{
        {"former_district", "Thành phố Phủ Lý"}, {"poor_commune", "false"}};
    EXPECT_EQ(s.units()[1].attributes, attributes);
    EXPECT_TRUE(s.units()[2].attributes.empty());

    ASSERT_EQ(s.groups().size(), 2u);
    EXPECT_EQ(s.groups()[0].duration_months, 0);
    EXPECT_EQ(s.groups()[1].duration_months, 12);
    EXPECT_EQ(s.groups()[1].where.line, 21);
}

TEST_F(LoaderTest, ReadsRules) {
    const Scenario s = load(kScenario);
    ASSERT_EQ(s.rules.size(), 2u);
    const Rule& central = s.rules[0];
    EXPECT_EQ(central.id, "near_poor_central");
    ASSERT_TRUE(central.share.has_value());
    EXPECT_EQ(*central.share, (Decimal{70, 2}));  // 70% = 70/100
    EXPECT_FALSE(central.amount.has_value());
    EXPECT_EQ(central.payer, 0);
    EXPECT_EQ(central.groups, std::vector<int>{0});
    EXPECT_EQ(central.condition.equals, (std::vector<std::pair<std::string, std::string>>{{"poor_commune", "false"}}));
    EXPECT_EQ(central.from, (Date{2025, 7, 1}));
    EXPECT_FALSE(central.to.has_value());
    EXPECT_EQ(central.where.line, 33);
    EXPECT_EQ(central.share_where.line, 39);
    EXPECT_EQ(central.share_where.column, 12);  // "    share: 70%": the value starts at column 12

    const Rule& district = s.rules[1];
    EXPECT_FALSE(district.share.has_value());
    ASSERT_TRUE(district.amount.has_value());
    EXPECT_EQ(*district.amount, 50000);
    EXPECT_EQ(district.payer, 3);
    ASSERT_TRUE(district.to.has_value());
    EXPECT_EQ(*district.to, (Date{2026, 12, 31}));
    EXPECT_EQ(district.provenance.confidence, Confidence::illustrative);
}

TEST_F(LoaderTest, ReadsTablesEnrolmentTargetsAndSchedule) {
    const Scenario s = load(kScenario);
    ASSERT_EQ(s.cohorts().size(), 2u);
    EXPECT_EQ(s.cohorts()[1].year, 2026);
    EXPECT_EQ(s.cohorts()[1].unit, 2);
    EXPECT_EQ(s.cohorts()[1].group, 0);
    EXPECT_EQ(s.cohorts()[1].persons, 300);
    EXPECT_EQ(s.cohorts()[1].where.line, 3);

    ASSERT_EQ(s.growth.size(), 1u);
    EXPECT_EQ(s.growth[0].rate, (Decimal{-5, 2}));
    EXPECT_EQ(s.growth[0].from, (Date{2027, 1, 1}));

    ASSERT_EQ(s.inflows().size(), 1u);
    EXPECT_EQ(s.inflows()[0].month, (YearMonth{2026, 3}));
    EXPECT_EQ(s.inflows()[0].group, 1);
    EXPECT_EQ(s.inflows()[0].persons, 2);

    ASSERT_EQ(s.population().size(), 2u);
    EXPECT_EQ(s.population()[1].persons, 42793);

    EXPECT_EQ(s.default_enrolment, Decimal::percent(100));
    ASSERT_EQ(s.enrolment.size(), 1u);
    EXPECT_EQ(s.enrolment[0].unit, 2);
    EXPECT_EQ(s.enrolment[0].share, (Decimal{95, 2}));

    // targets.csv has CRLF line ends; 95 → 0.95 and "95.5%" → 0.955.
    ASSERT_EQ(s.targets.size(), 2u);
    EXPECT_EQ(s.targets[0].target, (Decimal{95, 2}));
    EXPECT_EQ(s.targets[1].target, (Decimal{955, 3}));

    // [[1, 2], [3, 6], [7, 9], [10, 12]]: Jan-Feb, Mar-Jun, Jul-Sep, Oct-Dec.
    const std::array<int, 12> quarters{0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3};
    EXPECT_EQ(s.quarter_of_month, quarters);
}

TEST_F(LoaderTest, RecordsEveryInputWithItsHash) {
    const Scenario s = load(kScenario);
    ASSERT_EQ(s.inputs.size(), 5u);
    // Paths are relative to the root: the enclosing folder named "scenarios".
    EXPECT_EQ(s.inputs[0].path, "demo/scenario.yaml");
    EXPECT_EQ(s.inputs[0].sha256, sha256_hex(kScenario));
    EXPECT_EQ(s.inputs[1].path, "demo/cohorts.csv");
    EXPECT_EQ(s.inputs[1].sha256, sha256_hex(kCohorts));
    EXPECT_EQ(s.inputs[2].path, "demo/data/inflows.csv");
    EXPECT_EQ(s.inputs[2].sha256, sha256_hex(kInflows));
    EXPECT_EQ(s.inputs[3].path, "demo/population.csv");
    EXPECT_EQ(s.inputs[4].path, "demo/targets.csv");
    EXPECT_EQ(s.inputs[4].sha256, sha256_hex(kTargets));
}

TEST_F(LoaderTest, UnitsFromCsv) {
    write(demo_ / "units.csv",
          "code,name,level,parent,poor_commune,former_district\n"
          "37,Ninh Bình,province,,,\n"
          "13285,Phường Phủ Lý,commune,37,TRUE,\"Thành phố Phủ Lý, Hà Nam\"\n"
          "00123,Xã A,commune,37,false,\n");
    const std::string units_inline =
        "  - {code: \"37\", name: \"Ninh Bình\", level: province}\n"
        "  - {code: \"13285\", name: \"Phường Phủ Lý\", level: commune, parent: \"37\",\n"
        "     attributes: {poor_commune: False, former_district: \"Thành phố Phủ Lý\"}}\n"
        "  - {code: \"00123\", name: \"Xã A\", level: commune, parent: \"37\"}\n";
    const Scenario s = load(replaced(replaced(kScenario, units_inline, ""), "units:\n", "units: {file: units.csv}\n"));
    ASSERT_EQ(s.units().size(), 3u);
    EXPECT_EQ(s.units()[1].parent, 0);
    const std::vector<std::pair<std::string, std::string>> attributes{
        {"former_district", "Thành phố Phủ Lý, Hà Nam"}, {"poor_commune", "true"}};
    EXPECT_EQ(s.units()[1].attributes, attributes);
    // An empty cell is no attribute at all.
    EXPECT_EQ(s.units()[2].attributes, (std::vector<std::pair<std::string, std::string>>{{"poor_commune", "false"}}));
    EXPECT_EQ(s.units()[0].where.line, 2);
    EXPECT_EQ(s.inputs[1].path, "demo/units.csv");
}

TEST_F(LoaderTest, UnitsCsvHasAtMost64AttributeColumns) {
    // Each unit keeps its own copy of every attribute: bounded at 64 columns. Columns
    // 5..68 are a0..a63 (64 attributes: loaded); a 65th, a64 in column 69, is refused.
    const auto units_with = [](int attributes) {
        std::string header = "code,name,level,parent", province = "37,Ninh Bình,province,", commune = "13285,Phường Phủ Lý,commune,37";
        for (int i = 0; i < attributes; ++i) {
            header += ",a" + std::to_string(i);
            province += ",";
            commune += ",x";
        }
        return header + "\n" + province + "\n" + commune + "\n00123,Xã A,commune,37" + std::string(static_cast<std::size_t>(attributes), ',') + "\n";
    };
    const std::string units_inline =
        "  - {code: \"37\", name: \"Ninh Bình\", level: province}\n"
        "  - {code: \"13285\", name: \"Phường Phủ Lý\", level: commune, parent: \"37\",\n"
        "     attributes: {poor_commune: False, former_district: \"Thành phố Phủ Lý\"}}\n"
        "  - {code: \"00123\", name: \"Xã A\", level: commune, parent: \"37\"}\n";
    const std::string from_csv = replaced(replaced(kScenario, units_inline, ""), "units:\n", "units: {file: units.csv}\n");
    // At the limit the demo may still be refused for something else (its rules name
    // poor_commune, which these units lack), never for the columns.
    write(demo_ / "units.csv", units_with(64));
    const std::string at_limit = error_of(from_csv);
    EXPECT_EQ(at_limit.find("attribute columns"), std::string::npos) << at_limit;
    write(demo_ / "units.csv", units_with(65));
    EXPECT_EQ(error_of(from_csv), (demo_ / "units.csv").string() + ":1:69: a64: the unit list has too many attribute columns (at most 64)");
}

TEST_F(LoaderTest, ErrorsPointAtFileLineColumnAndKey) {
    const std::string& p = yaml_path_;
    EXPECT_EQ(error_of(replaced(kScenario, "share: 70%", "share: 130%")),
              p + ":39:12: rules[0].share: 130% is over 100%");
    EXPECT_EQ(error_of(replaced(kScenario, "share: 70%", "share: 0.7")),
              p + ":39:12: rules[0].share: \"0.7\" is a bare number; write a percentage such as 70%");
    // "    - {from: 2026-07-01" on line 9: the date starts at column 13.
    EXPECT_EQ(error_of(replaced(kScenario, "from: 2026-07-01", "from: 2024-02-30")),
              p + ":9:14: parameters.base_salary[1].from: \"2024-02-30\" is not a date that exists");
    EXPECT_EQ(error_of(replaced(kScenario, "from: 2026-07-01", "from: 2024-07-01")),
              p + ":9:14: parameters.base_salary[1].from: 2024-07-01 is not after the previous entry's "
                  "2024-07-01 (entries must be in increasing date order)");
    EXPECT_EQ(error_of(replaced(kScenario, "    to: 2026-12-31", "    to: 2025-12-31")),
              p + ":50:9: rules[1].to: 2025-12-31 is before from 2026-01-01 (the rule would never be in force)");
    EXPECT_EQ(error_of(replaced(kScenario, "    payer: district", "    payer: distrct")),
              p + ":48:12: rules[1].payer: unknown payer \"distrct\" (did you mean \"district\"?)");
    EXPECT_EQ(error_of(replaced(kScenario, "groups: [victims]", "groups: [victim]")),
              p + ":46:14: rules[1].groups[0]: unknown group \"victim\" (did you mean \"victims\"?)");
    EXPECT_EQ(error_of(replaced(kScenario, "    amount: 50000", "    amout: 50000")),
              p + ":47:5: rules[1].amout: unknown key \"amout\" (did you mean \"amount\"?)");
    // The rule mapping starts at "id" on line 42, column 5.
    EXPECT_EQ(error_of(replaced(kScenario, "    payer: district\n", "")),
              p + ":42:5: rules[1]: missing required key \"payer\"");
    EXPECT_EQ(error_of(replaced(kScenario, "    payer: district\n", "    payer: district\n    payer: central\n")),
              p + ":49:5: rules[1].payer: duplicate key \"payer\" (first at line 48)");
    EXPECT_EQ(error_of(replaced(kScenario, "id: victims,", "id: near_poor,")),
              p + ":21:10: groups[1].id: duplicate id \"near_poor\" (first at line 20)");
    EXPECT_EQ(error_of(replaced(kScenario, "  - {code: \"00123\"", "  - {code: \"13285\"")),
              p + ":18:12: units[2].code: duplicate unit code \"13285\" (first at line 16)");
    EXPECT_EQ(error_of(replaced(kScenario, "value: 2340000", "value: 10000000000000000000")),
              p + ":8:33: parameters.base_salary[0].value: \"10000000000000000000\" is too large");
    EXPECT_EQ(error_of(replaced(kScenario,
                                "contribution_rate:\n    - {from: 2014-07-01, value: 4.5%, reference: \"NĐ 105/2014\", confidence: high}",
                                "contribution_rate: {from: 2014-07-01, value: 4.5%}")),
              p + ":10:22: parameters.contribution_rate: expected a list, found a mapping");
}

// An uncertainty entry may only draw values the scenario accepts for its target (what
// `run` refuses as a value, `sensitivity` must not draw): each end of the distribution's
// support is checked at the key that sets it. kScenario has 53 lines, so "uncertainty:" is
// line 54 and the entry line 55; columns counted on the entry's line ("  - {" is 5 characters).
TEST_F(LoaderTest, AnUncertainDistributionMustStayWithinItsTargetsValues) {
    const std::string& p = yaml_path_;
    const auto with = [](const std::string& entry) { return std::string(kScenario) + "uncertainty:\n" + entry + "\n"; };
    const std::string tail = ": no draw may leave that range; bound the distribution (low and high within it)";
    // Negative cohort scales: "-5" after "  - {target: cohorts.scale, dist: uniform, low: " (48 characters).
    EXPECT_EQ(error_of(with("  - {target: cohorts.scale, dist: uniform, low: -5, high: -1, reference: x, confidence: low}")),
              p + ":55:49: uncertainty[0].low: low \"-5\" is outside the values a scenario accepts for \"cohorts.scale\" (0% to 1000%)" + tail);
    // A scale up to 20 (2000%), above the 1000% a variant's cohorts.scale may set.
    EXPECT_EQ(error_of(with("  - {target: cohorts.near_poor.scale, dist: uniform, low: 1, high: 20, reference: x, confidence: low}")),
              p + ":55:68: uncertainty[0].high: high \"20\" is outside the values a scenario accepts for \"cohorts.near_poor.scale\" (0% to 1000%)" + tail);
    EXPECT_EQ(error_of(with("  - {target: rules.near_poor_central.share, dist: uniform, low: -500%, high: 0%, reference: x, confidence: low}")),
              p + ":55:65: uncertainty[0].low: low \"-500%\" is outside the values a scenario accepts for \"rules.near_poor_central.share\" (0% to 100%)" + tail);
    // A contribution rate up to 200%.
    EXPECT_EQ(error_of(with("  - {target: parameters.contribution_rate, from: 2026-01-01, dist: uniform, low: 0, high: 2, reference: x, confidence: low}")),
              p + ":55:91: uncertainty[0].high: high \"2\" is outside the values a scenario accepts for \"parameters.contribution_rate\" (0% to 100%)" + tail);
    // A negative base salary (the loader accepts 1 to 10^9 đồng).
    EXPECT_EQ(error_of(with("  - {target: parameters.base_salary, from: 2026-07-01, dist: uniform, low: -1000000, high: 2, reference: x, confidence: low}")),
              p + ":55:76: uncertainty[0].low: low \"-1000000\" is outside the values a scenario accepts for \"parameters.base_salary\" (1 VND to 1,000,000,000 VND)" + tail);
    // Enrolment up to 150%.
    EXPECT_EQ(error_of(with("  - {target: enrolment.near_poor, dist: triangular, low: 0, mode: 1, high: 1.5, reference: x, confidence: low}")),
              p + ":55:76: uncertainty[0].high: high \"1.5\" is outside the values a scenario accepts for \"enrolment.near_poor\" (0% to 100%)" + tail);
    // A fixed amount above 10^9 đồng a person-month.
    EXPECT_EQ(error_of(with("  - {target: rules.victims_district.amount, dist: uniform, low: 0, high: 1000000001, reference: x, confidence: low}")),
              p + ":55:74: uncertainty[0].high: high \"1000000001\" is outside the values a scenario accepts for \"rules.victims_district.amount\" (0 VND to 1,000,000,000 VND)" + tail);
    // A discrete value: the message points at the value itself.
    EXPECT_EQ(error_of(with("  - {target: parameters.base_salary, from: 2026-07-01, dist: discrete, values: [2530000, 10000000000000], probs: [50%, 50%], reference: x, confidence: low}")),
              p + ":55:90: uncertainty[0].values[1]: values \"10000000000000\" is outside the values a scenario accepts for \"parameters.base_salary\" (1 VND to 1,000,000,000 VND)" + tail);
    // A beta's default range [0, 1] starts below the smallest base salary: no low key, so the entry is named.
    EXPECT_EQ(error_of(with("  - {target: parameters.base_salary, from: 2026-07-01, dist: beta, alpha: 2, beta: 2, reference: x, confidence: low}")),
              p + ":55:5: uncertainty[0].low: low 0 is outside the values a scenario accepts for \"parameters.base_salary\" (1 VND to 1,000,000,000 VND)" + tail);
    // Unbounded ends: an untruncated normal (even mean 1, sd 5%) and a lognormal, at `dist`.
    EXPECT_EQ(error_of(with("  - {target: cohorts.near_poor.scale, dist: normal, mean: 1, sd: 0.05, reference: x, confidence: low}")),
              p + ":55:45: uncertainty[0].dist: \"cohorts.near_poor.scale\": a normal distribution without low: and high: can draw values outside "
                  "0% to 1000%, the range a scenario accepts for this target; truncate it with low: and high: within that range");
    EXPECT_EQ(error_of(with("  - {target: cohorts.near_poor.scale, dist: normal, mean: 1, sd: 0.05, high: 1.2, reference: x, confidence: low}")),
              p + ":55:45: uncertainty[0].dist: \"cohorts.near_poor.scale\": a normal distribution without low: can draw values outside "
                  "0% to 1000%, the range a scenario accepts for this target; truncate it with low: and high: within that range");
    EXPECT_EQ(error_of(with("  - {target: cohorts.scale, dist: lognormal, meanlog: 0, sdlog: 0.1, reference: x, confidence: low}")),
              p + ":55:35: uncertainty[0].dist: \"cohorts.scale\": a lognormal distribution without high: can draw values above 1000%, "
                  "the largest a scenario accepts for this target; truncate it with high: (and low: if needed) within 0% to 1000%");
    // Truncated, its ends are checked like the others': high 12 is 1200%; a base salary
    // needs low: (its values are above 0, but a salary must be at least 1 đồng).
    EXPECT_EQ(error_of(with("  - {target: cohorts.scale, dist: lognormal, meanlog: 0, sdlog: 0.1, high: 12, reference: x, confidence: low}")),
              p + ":55:76: uncertainty[0].high: high \"12\" is outside the values a scenario accepts for \"cohorts.scale\" (0% to 1000%)" + tail);
    EXPECT_EQ(error_of(with("  - {target: parameters.base_salary, from: 2026-07-01, dist: lognormal, meanlog: 14.7, sdlog: 0.1, high: 5000000, "
                            "reference: x, confidence: low}")),
              p + ":55:5: uncertainty[0].low: low 0 is outside the values a scenario accepts for \"parameters.base_salary\" "
                  "(1 VND to 1,000,000,000 VND)" + tail);
    // A bound at or below 0 holds nothing of a lognormal (low: 0 is no bound).
    EXPECT_EQ(error_of(with("  - {target: cohorts.scale, dist: lognormal, meanlog: 0, sdlog: 0.1, low: -1, high: 2, reference: x, confidence: low}")),
              p + ":55:75: uncertainty[0].low: low of a lognormal distribution cannot be -1: its values are above 0");
    // sdlog 0: always e^50 (about 5.2 × 10^21).
    const std::string e50 = error_of(with("  - {target: cohorts.scale, dist: lognormal, meanlog: 50, sdlog: 0, reference: x, confidence: low}"));
    EXPECT_EQ(e50.rfind(p + ":55:55: uncertainty[0].meanlog: meanlog e^\"50\" = 5.18", 0), 0u) << e50;
    EXPECT_NE(e50.find("e+21 is outside the values a scenario accepts for \"cohorts.scale\" (0% to 1000%)"), std::string::npos) << e50;
    // Vietnamese: the same refusal, in the catalogue's words.
    try {
        load(with("  - {target: cohorts.scale, dist: uniform, low: -5, high: -1, reference: x, confidence: low}"));
        ADD_FAILURE() << "accepted";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(e.to_string(Lang::vi), p + ":55:49: uncertainty[0].low: low \"-5\" nằm ngoài các giá trị kịch bản chấp nhận cho "
                                             "\"cohorts.scale\" (từ 0% đến 1000%): các lần rút không được vượt ra ngoài khoảng đó; "
                                             "hãy giới hạn phân phối (low và high trong khoảng đó)");
    }
    // Within the ranges: loaded. A truncated normal, a lognormal of sdlog 0 at e^0 = 1, a
    // discrete salary, shares and enrolment at their ends.
    const Scenario s = load(std::string(kScenario) + "uncertainty:\n"
        "  - {target: cohorts.near_poor.scale, dist: normal, mean: 1, sd: 0.05, low: 0.85, high: 1.15, reference: x, confidence: low}\n"
        "  - {target: cohorts.scale, dist: lognormal, meanlog: 0, sdlog: 0, reference: x, confidence: low}\n"
        "  - {target: parameters.base_salary, from: 2026-07-01, dist: discrete, values: [1, 1000000000], probs: [50%, 50%], reference: x, confidence: low}\n"
        "  - {target: rules.near_poor_central.share, dist: uniform, low: 0%, high: 100%, reference: x, confidence: low}\n"
        "  - {target: enrolment.near_poor, dist: beta, alpha: 2, beta: 3, reference: x, confidence: low}\n"
        "  - {target: cohorts.near_poor.scale, dist: uniform, low: 0, high: 1000%, reference: x, confidence: low}\n"
        "  - {target: cohorts.scale, dist: lognormal, meanlog: 0, sdlog: 0.1, low: 0.5, high: 2, reference: x, confidence: low}\n");
    EXPECT_EQ(s.uncertainty.size(), 7u);
}

TEST_F(LoaderTest, CsvErrorsNameTheCsvCell) {
    const std::string csv = (demo_ / "cohorts.csv").string();
    write(demo_ / "cohorts.csv", "year,unit_code,group,persons\n2026,13285,near_poor,1200\n2026,13286,near_poor,-3\n");
    EXPECT_EQ(error_of(kScenario),
              csv + ":3:2: unit_code: \"13286\" is not in the unit list (did you mean \"13285\"?)");
    write(demo_ / "cohorts.csv", "year,unit_code,group,persons\n2026,13285,near_poor,-3\n");
    EXPECT_EQ(error_of(kScenario), csv + ":2:4: persons: \"-3\" is not a whole non-negative number (a count of persons cannot be negative)");
    write(demo_ / "cohorts.csv", "year,unit_code,group,persons\n2026,13285,near_poor,1\n2026,13285,near_poor,2\n");
    EXPECT_EQ(error_of(kScenario), csv + ":3:1: year,unit_code,group: duplicate row for year 2026, unit 13285, "
                                         "group near_poor (first at line 2)");
    // Figures belong to the lowest-level units: "37" has communes under it.
    write(demo_ / "cohorts.csv", "year,unit_code,group,persons\n2026,37,near_poor,1\n");
    EXPECT_NE(error_of(kScenario).find(csv + ":2:2: unit_code: \"37\" has units under it"), std::string::npos);
    write(demo_ / "targets.csv", "year,unit_code,target_pct\n2026,37,100.5\n");
    write(demo_ / "cohorts.csv", kCohorts);
    EXPECT_EQ(error_of(kScenario), (demo_ / "targets.csv").string() + ":2:3: target_pct: \"100.5\" is over 100%");
}

// The first problem in file order is the one reported, whether it is a duplicate row or
// a bad value (duplicates are checked after the values, so both orders are worth a test).
TEST_F(LoaderTest, FirstProblemInFileOrderWinsBetweenDuplicateAndBadValue) {
    const std::string csv = (demo_ / "cohorts.csv").string();
    // Line 3 repeats line 2; line 4 has a bad count: the duplicate comes first.
    write(demo_ / "cohorts.csv",
          "year,unit_code,group,persons\n2026,13285,near_poor,1\n2026,13285,near_poor,2\n2026,00123,near_poor,x\n");
    EXPECT_EQ(error_of(kScenario), csv + ":3:1: year,unit_code,group: duplicate row for year 2026, unit 13285, "
                                         "group near_poor (first at line 2)");
    // Line 3 has the bad count; line 4 repeats line 2: the bad count comes first.
    write(demo_ / "cohorts.csv",
          "year,unit_code,group,persons\n2026,13285,near_poor,1\n2026,00123,near_poor,x\n2026,13285,near_poor,2\n");
    EXPECT_EQ(error_of(kScenario), csv + ":3:4: persons: \"x\" is not a whole non-negative number");
    // A bad row itself is reported for its value even when its key repeats an earlier row.
    write(demo_ / "cohorts.csv", "year,unit_code,group,persons\n2026,13285,near_poor,1\n2026,13285,near_poor,x\n");
    EXPECT_EQ(error_of(kScenario), csv + ":3:4: persons: \"x\" is not a whole non-negative number");
    // Of two duplicates, the one on the earlier line is reported, naming its first row.
    write(demo_ / "cohorts.csv",
          "year,unit_code,group,persons\n2026,13285,near_poor,1\n2026,00123,near_poor,1\n"
          "2026,00123,near_poor,1\n2026,13285,near_poor,1\n");
    EXPECT_EQ(error_of(kScenario), csv + ":4:1: year,unit_code,group: duplicate row for year 2026, unit 00123, "
                                         "group near_poor (first at line 3)");
}

// The tables after the units are read on helper threads while the YAML goes on; the
// error reported is still the first in document order (cohorts, inflows, population,
// enrolment, targets), on one thread or several.
TEST_F(LoaderTest, TablesReadInParallelReportTheFirstErrorInDocumentOrder) {
    const std::string cohorts = (demo_ / "cohorts.csv").string();
    const std::string population = (demo_ / "population.csv").string();
    const std::string bad_enrolment = replaced(kScenario, "  default: 100%", "  default: 150%");
    for (int threads : {1, 2, 8}) {
        SCOPED_TRACE(threads);
        const LoadOptions options{"", threads};
        // Two bad tables: the earlier one wins, however long the other takes.
        write(demo_ / "population.csv", "year,unit_code,population\n2026,37,many\n");
        write(demo_ / "targets.csv", "year,unit_code,target_pct\n2026,37,101\n");
        EXPECT_EQ(error_of(kScenario, options),
                  population + ":2:3: population: \"many\" is not a whole non-negative number");
        // A bad table before a bad YAML value: the table's error.
        write(demo_ / "cohorts.csv", "year,unit_code,group,persons\n2026,13285,near_poor,-3\n");
        EXPECT_EQ(error_of(bad_enrolment, options), cohorts + ":2:4: persons: \"-3\" is not a whole non-negative number (a count of persons cannot be negative)");
        // Tables good, YAML bad after them: the YAML's error.
        write(demo_ / "cohorts.csv", kCohorts);
        write(demo_ / "population.csv", kPopulation);
        write(demo_ / "targets.csv", kTargets);
        const std::string yaml_error = error_of(bad_enrolment, options);
        EXPECT_EQ(yaml_error.rfind(yaml_path_ + ":", 0), 0u) << yaml_error;
        EXPECT_NE(yaml_error.find("enrolment.default"), std::string::npos) << yaml_error;
        // And a good scenario lists its inputs in document order.
        const Scenario s = load(kScenario, options);
        ASSERT_EQ(s.inputs.size(), 5u);
        EXPECT_EQ(s.inputs[1].path, "demo/cohorts.csv");
        EXPECT_EQ(s.inputs[2].path, "demo/data/inflows.csv");
        EXPECT_EQ(s.inputs[3].path, "demo/population.csv");
        EXPECT_EQ(s.inputs[4].path, "demo/targets.csv");
        EXPECT_EQ(s.cohorts().size(), 2u);
        EXPECT_EQ(s.targets.size(), 2u);
    }
}

TEST_F(LoaderTest, DuplicateRowsAreRefusedInEveryTable) {
    // The same unit and year in another group, or another year, is not a duplicate.
    write(demo_ / "cohorts.csv",
          "year,unit_code,group,persons\n2026,13285,near_poor,1\n2026,13285,victims,1\n2027,13285,near_poor,1\n");
    EXPECT_EQ(load(kScenario).cohorts().size(), 3u);

    write(demo_ / "data" / "inflows.csv",
          "month,unit_code,group,persons\n2026-03,00123,victims,2\n2026-04,00123,victims,2\n2026-03,00123,victims,5\n");
    EXPECT_EQ(error_of(kScenario), (demo_ / "data" / "inflows.csv").string() +
                                       ":4:1: month,unit_code,group: duplicate row for month 2026-03, unit 00123, "
                                       "group victims (first at line 2)");
    write(demo_ / "data" / "inflows.csv", kInflows);

    write(demo_ / "population.csv", "year,unit_code,population\n2026,37,50000\n2026,37,50001\n");
    EXPECT_EQ(error_of(kScenario), (demo_ / "population.csv").string() +
                                       ":3:1: year,unit_code: duplicate row for year 2026, unit 37 (first at line 2)");
    write(demo_ / "population.csv", kPopulation);

    write(demo_ / "targets.csv", "year,unit_code,target_pct\n2026,13285,95\n2027,13285,95\n2026,13285,90\n");
    EXPECT_EQ(error_of(kScenario), (demo_ / "targets.csv").string() +
                                       ":4:1: year,unit_code: duplicate row for year 2026, unit 13285 (first at line 2)");
}

TEST_F(LoaderTest, OverlapPairsAreDuplicatesInEitherOrder) {
    const std::string csv = (demo_ / "overlaps.csv").string();
    const std::string with_overlaps =
        replaced(kScenario, "  inflows: {file: data/inflows.csv}\n",
                 "  inflows: {file: data/inflows.csv}\n  overlaps: {file: overlaps.csv}\n");
    // near_poor/victims on line 2 and victims/near_poor on line 3 are the same pair.
    write(demo_ / "overlaps.csv",
          "year,unit_code,group_a,group_b,persons\n2026,13285,near_poor,victims,5\n2026,13285,victims,near_poor,6\n");
    EXPECT_EQ(error_of(with_overlaps),
              csv + ":3:1: year,unit_code,group_a,group_b: duplicate row for year 2026, unit 13285, groups victims "
                    "and near_poor (first at line 2)");
    write(demo_ / "overlaps.csv",
          "year,unit_code,group_a,group_b,persons\n2026,13285,near_poor,victims,5\n2026,00123,near_poor,victims,6\n");
    const Scenario s = load(with_overlaps);
    ASSERT_EQ(s.overlaps().size(), 2u);
    EXPECT_EQ(s.overlaps()[1].unit, 2);  // "00123" is the third unit
    EXPECT_EQ(s.overlaps()[1].persons, 6);
    EXPECT_EQ(s.overlaps()[1].where.line, 3);
}

// Overlap and inflow rows are also checked after loading (validate(), and compile() for
// projected years). Those messages name the cell as the loader's do: file, line, and the
// column of the value at fault, taken from the file's own header (the columns below are
// not in the usual order: persons is the first).
TEST_F(LoaderTest, OverlapAndInflowRowErrorsNameTheCell) {
    const std::string overlaps = (demo_ / "overlaps.csv").string();
    const std::string inflows = (demo_ / "data" / "inflows.csv").string();
    std::string text = replaced(kScenario, "  inflows: {file: data/inflows.csv}\n",
                                "  inflows: {file: data/inflows.csv}\n  overlaps: {file: overlaps.csv}\n");
    text = replaced(text, "  - {id: victims,", "  - {id: students, name: {vi: \"Học sinh\", en: \"Students\"}}\n  - {id: victims,");
    // 13285: 1,200 near-poor and 50 students in 2026; near-poor -5% from 2027.
    write(demo_ / "cohorts.csv", std::string(kCohorts) + "2026,13285,students,50\n");
    const auto error_after_load = [&](Lang lang = Lang::en) {
        try {
            const Scenario s = load(text);
            engine::validate(s, Executor::serial());
        } catch (const ScenarioError& e) {
            return e.to_string(lang);
        }
        return std::string("(no error)");
    };
    const std::string header = "persons,group_b,year,group_a,unit_code\n";

    // The loader's own checks, for comparison: group_b is the second column; a duplicate
    // row is named at its first key column (year, the third; month, the fourth).
    write(demo_ / "overlaps.csv", header + "5,near_poor,2026,near_poor,13285\n");
    EXPECT_EQ(error_after_load(), overlaps + ":2:2: group_b: a group cannot overlap itself (\"near_poor\")");
    write(demo_ / "overlaps.csv", header + "5,students,2026,near_poor,13285\n6,near_poor,2026,students,13285\n");
    EXPECT_EQ(error_after_load(), overlaps + ":3:3: year,unit_code,group_a,group_b: duplicate row for year 2026, unit "
                                             "13285, groups students and near_poor (first at line 2)");
    write(demo_ / "overlaps.csv", header + "5,students,2026,near_poor,13285\n");
    write(demo_ / "data" / "inflows.csv", "persons,group,unit_code,month\n2,victims,00123,2026-03\n5,victims,00123,2026-03\n");
    EXPECT_EQ(error_after_load(), inflows + ":3:4: month,unit_code,group: duplicate row for month 2026-03, unit 00123, "
                                            "group victims (first at line 2)");
    write(demo_ / "data" / "inflows.csv", kInflows);
    // A time-limited group (victims, 12 months) in group_a, the fourth column.
    write(demo_ / "overlaps.csv", header + "5,near_poor,2026,victims,13285\n");
    EXPECT_EQ(error_after_load(), overlaps + ":2:4: group_a: overlaps with time-limited groups are not supported");
    write(demo_ / "overlaps.csv", header + "5,victims,2026,near_poor,13285\n");
    EXPECT_EQ(error_after_load(), overlaps + ":2:2: group_b: overlaps with time-limited groups are not supported");
    // Larger than a group in a year with cohort rows (validate()): line 2 fits (00123 has
    // no students row: checked against the projection), line 3 has 60 of 13285's 50 students.
    write(demo_ / "overlaps.csv", header + "20,students,2026,near_poor,00123\n60,students,2026,near_poor,13285\n");
    EXPECT_EQ(error_after_load(), overlaps + ":3:1: persons: overlap of 60 persons is larger than group \"students\" "
                                             "(50 persons) in unit 13285 (Phường Phủ Lý) in 2026");
    // In a projected year (compile()): 1,200 near-poor × (1 − 5%) = 1,140 in 2027; 1,141 do not fit.
    write(demo_ / "overlaps.csv", header + "1141,students,2027,near_poor,13285\n");
    EXPECT_EQ(error_after_load(), overlaps + ":2:1: persons: overlap of 1,141 persons is larger than group \"near_poor\" "
                                             "(1,140 persons) in unit 13285 (Phường Phủ Lý) in 2027");
    EXPECT_EQ(error_after_load(Lang::vi), overlaps + ":2:1: persons: số người trùng 1.141 lớn hơn nhóm \"near_poor\" "
                                                     "(1.140 người) ở đơn vị 13285 (Phường Phủ Lý) năm 2027");
    write(demo_ / "overlaps.csv", header + "50,students,2027,near_poor,13285\n");
    EXPECT_EQ(error_after_load(), "(no error)");

    // Inflows are for time-limited groups: near_poor's row (line 3) at its group cell, the second column.
    write(demo_ / "data" / "inflows.csv", "persons,group,unit_code,month\n2,victims,00123,2026-03\n3,near_poor,00123,2026-04\n");
    EXPECT_EQ(error_after_load(), inflows + ":3:2: group: group \"near_poor\" has no duration_months: inflows are only "
                                            "for time-limited groups");

    // Warnings about rows no simulated year uses point at the year (or month) cell.
    write(demo_ / "overlaps.csv", header + "50,students,2027,near_poor,13285\n5,students,2030,near_poor,00123\n");
    write(demo_ / "data" / "inflows.csv", "persons,group,unit_code,month\n2,victims,00123,2026-03\n2,victims,00123,2031-01\n");
    std::vector<std::string> unused;
    for (const Warning& w : engine::validate(load(text), Executor::serial()))
        if (w.message.en.find("used by no year") != std::string::npos) unused.push_back(w.to_string(Lang::en));
    EXPECT_EQ(unused, (std::vector<std::string>{
                          overlaps + ":3:3: year: 1 rows of overlaps.csv are used by no year of 2026–2027 (the first of "
                                     "them here): a mistyped year?",
                          inflows + ":3:4: month: 1 rows of inflows.csv are used by no year of 2026–2027 (the first of "
                                    "them here): a mistyped year?"}));
}

TEST_F(LoaderTest, PathsMayNotBeAbsoluteOrLeaveTheRoot) {
    EXPECT_NE(error_of(replaced(kScenario, "file: population.csv", "file: /etc/hostname"))
                  .find(":27:20: population.file: \"/etc/hostname\" is an absolute path"),
              std::string::npos);
    EXPECT_NE(error_of(replaced(kScenario, "file: population.csv", "file: ../../outside/cohorts.csv"))
                  .find("population.file: \"../../outside/cohorts.csv\" leaves the scenario root"),
              std::string::npos);
    EXPECT_NE(error_of(replaced(kScenario, "file: population.csv", "file: nope.csv"))
                  .find("population.file: \"nope.csv\" does not exist"),
              std::string::npos);
}

TEST_F(LoaderTest, RootOptionNarrowsOrWidensTheRoot) {
    // A sibling folder inside scenarios/ is fine with the default root...
    write(base_ / "scenarios" / "shared" / "population.csv", kPopulation);
    const std::string text = replaced(kScenario, "file: population.csv", "file: ../shared/population.csv");
    const Scenario s = load(text);
    EXPECT_EQ(s.inputs[3].path, "shared/population.csv");
    // ...but not when --root is the scenario's own folder.
    EXPECT_NE(error_of(text, LoadOptions{demo_.string()}).find("leaves the scenario root"), std::string::npos);
    // --root above scenarios/ admits ../../outside and measures paths from there.
    const std::string outside = replaced(kScenario, "file: cohorts.csv", "file: ../../outside/cohorts.csv");
    const Scenario wide = load(outside, LoadOptions{base_.string()});
    EXPECT_EQ(wide.inputs[0].path, "scenarios/demo/scenario.yaml");
    EXPECT_EQ(wide.inputs[1].path, "outside/cohorts.csv");
}

TEST_F(LoaderTest, SymlinkOutOfTheRootIsRefused) {
    fs::create_symlink(base_ / "outside" / "cohorts.csv", demo_ / "link.csv");
    EXPECT_NE(error_of(replaced(kScenario, "file: cohorts.csv", "file: link.csv")).find("leaves the scenario root"),
              std::string::npos);
    // A link that stays inside the root is fine.
    fs::create_symlink(demo_ / "cohorts.csv", demo_ / "inside.csv");
    EXPECT_EQ(load(replaced(kScenario, "file: cohorts.csv", "file: inside.csv")).cohorts().size(), 2u);
}

TEST_F(LoaderTest, WithoutAScenariosFolderTheRootIsTheScenarioFolder) {
    const fs::path plain = base_ / "plain";
    write(plain / "cohorts.csv", kCohorts);
    write(plain / "data" / "inflows.csv", kInflows);
    write(plain / "population.csv", kPopulation);
    write(plain / "targets.csv", kTargets);
    yaml_path_ = (plain / "s.yaml").string();
    EXPECT_EQ(load(kScenario).inputs[0].path, "s.yaml");
    EXPECT_NE(error_of(replaced(kScenario, "file: cohorts.csv", "file: ../outside/cohorts.csv"))
                  .find("leaves the scenario root"),
              std::string::npos);
}

// ---------------------------------------------------------------- Unicode and spreadsheet habits

// The same words typed precomposed (NFC, "ờ" as one character) and decomposed (NFD, "o" +
// horn + grave), as two keyboards or a Mac file system give them.
constexpr const char* kPhuLyNfc = "Phường Phủ Lý";
constexpr const char* kPhuLyNfd = "Phu\u031Bo\u031B\u0300ng Phu\u0309 Ly\u0301";
constexpr const char* kFormerNfc = "Thành phố Phủ Lý";
constexpr const char* kFormerNfd = "Tha\u0300nh pho\u0302\u0301 Phu\u0309 Ly\u0301";

TEST_F(LoaderTest, NfcAndNfdSpellingsOfTheSameWordsMatch) {
    // Not vacuous: the two spellings differ byte for byte.
    ASSERT_NE(std::string(kPhuLyNfc), std::string(kPhuLyNfd));
    ASSERT_NE(std::string(kFormerNfc), std::string(kFormerNfd));
    const std::string condition_nfc = std::string("    when: {poor_commune: false, former_district: \"") + kFormerNfc + "\"}";
    const std::string condition_nfd = std::string("    when: {poor_commune: false, former_district: \"") + kFormerNfd + "\"}";
    // Units written decomposed, the rule's condition precomposed...
    const std::string units_nfd =
        replaced(replaced(kScenario, std::string("name: \"") + kPhuLyNfc + "\"", std::string("name: \"") + kPhuLyNfd + "\""),
                 std::string("former_district: \"") + kFormerNfc + "\"}}", std::string("former_district: \"") + kFormerNfd + "\"}}");
    const Scenario a = load(replaced(units_nfd, "    when: {poor_commune: false}", condition_nfc));
    EXPECT_EQ(a.units()[1].name, kPhuLyNfc);  // stored in NFC
    ASSERT_NE(a.units()[1].attribute("former_district"), nullptr);
    EXPECT_EQ(*a.units()[1].attribute("former_district"), kFormerNfc);
    EXPECT_TRUE(a.rules[0].condition.matches(a.units()[1]));
    // ...and the other way round.
    const Scenario b = load(replaced(kScenario, "    when: {poor_commune: false}", condition_nfd));
    EXPECT_EQ(b.rules[0].condition.equals[0], (std::pair<std::string, std::string>{"former_district", kFormerNfc}));
    EXPECT_TRUE(b.rules[0].condition.matches(b.units()[1]));
    EXPECT_FALSE(b.rules[0].condition.matches(b.units()[2]));  // "00123" has no former_district

    // A units table saved decomposed matches the precomposed condition too.
    write(demo_ / "units.csv", std::string("code,name,level,parent,poor_commune,former_district\n"
                                           "37,Ninh Bình,province,,,\n"
                                           "13285,") + kPhuLyNfd + ",commune,37,false," + kFormerNfd + "\n"
                                           "00123,Xã A,commune,37,false,\n");
    const std::string units_inline =
        "  - {code: \"37\", name: \"Ninh Bình\", level: province}\n"
        "  - {code: \"13285\", name: \"Phường Phủ Lý\", level: commune, parent: \"37\",\n"
        "     attributes: {poor_commune: False, former_district: \"Thành phố Phủ Lý\"}}\n"
        "  - {code: \"00123\", name: \"Xã A\", level: commune, parent: \"37\"}\n";
    const Scenario c = load(replaced(replaced(replaced(kScenario, units_inline, ""), "units:\n", "units: {file: units.csv}\n"),
                                     "    when: {poor_commune: false}", condition_nfc));
    EXPECT_EQ(c.units()[1].name, kPhuLyNfc);
    EXPECT_TRUE(c.rules[0].condition.matches(c.units()[1]));
}

// Codes are text and may hold Vietnamese letters: a table naming a code decomposed finds
// the unit listed precomposed.
TEST_F(LoaderTest, NfdCodesInATableFindTheNfcUnit) {
    const std::string nfc = std::string("HN-") + kPhuLyNfc, nfd = std::string("HN-") + kPhuLyNfd;
    write(demo_ / "cohorts.csv", "year,unit_code,group,persons\n2026," + nfd + ",near_poor,1200\n");
    write(demo_ / "population.csv", "year,unit_code,population\n2026,37,50000\n2026," + nfd + ",42793\n");
    write(demo_ / "targets.csv", "year,unit_code,target_pct\n2026," + nfd + ",95\n");
    const Scenario s = load(replaced(kScenario, "code: \"13285\"", "code: \"" + nfc + "\""));
    ASSERT_EQ(s.cohorts().size(), 1u);
    EXPECT_EQ(s.cohorts()[0].unit, 1);
    EXPECT_EQ(s.population()[1].unit, 1);
    EXPECT_EQ(s.targets[0].unit, 1);
}

// An inline unit's `parent` is compared in NFC, as codes are: a parent code typed
// decomposed still finds its unit (the units.csv path does the same).
TEST_F(LoaderTest, AnNfdParentCodeFindsItsNfcUnit) {
    const std::string nfc = std::string("HN-") + kPhuLyNfc, nfd = std::string("HN-") + kPhuLyNfd;
    write(demo_ / "population.csv", "year,unit_code,population\n2026," + nfc + ",50000\n2026,13285,42793\n");
    write(demo_ / "targets.csv", "year,unit_code,target_pct\n2026," + nfc + ",95\n");
    std::string text = replaced(kScenario, "{code: \"37\", name: \"Ninh Bình\"", "{code: \"" + nfc + "\", name: \"Ninh Bình\"");
    text = replaced(text, "level: commune, parent: \"37\",\n", "level: commune, parent: \"" + nfd + "\",\n");
    text = replaced(text, "level: commune, parent: \"37\"}", "level: commune, parent: \"" + nfc + "\"}");
    const Scenario s = load(text);
    EXPECT_EQ(s.units()[1].parent, 0);
    EXPECT_EQ(s.units()[2].parent, 0);
}

// Excel's "CSV UTF-8" starts the file with a byte-order mark: still the header "year".
TEST_F(LoaderTest, AUtf8ByteOrderMarkInACsvIsAccepted) {
    write(demo_ / "cohorts.csv", std::string("\xEF\xBB\xBF") + kCohorts);
    write(demo_ / "population.csv", "\xEF\xBB\xBFyear,unit_code,population\r\n2026,37,50000\r\n2026,13285,42793\r\n");
    const Scenario s = load(kScenario);
    ASSERT_EQ(s.cohorts().size(), 2u);
    EXPECT_EQ(s.cohorts()[0].year, 2026);
    EXPECT_EQ(s.cohorts()[0].persons, 1200);
    ASSERT_EQ(s.population().size(), 2u);
    EXPECT_EQ(s.population()[1].persons, 42793);
}

// "70.00%" is 70% (7/10), shown as 70% in reports.
TEST_F(LoaderTest, TrailingZerosInAPercentageAreTheSameShare) {
    const Scenario s = load(replaced(kScenario, "share: 70%", "share: 70.00%"));
    ASSERT_TRUE(s.rules[0].share.has_value());
    EXPECT_EQ(*s.rules[0].share, (Decimal{7, 1}));
    EXPECT_EQ(s.rules[0].share->to_percent_string(), "70%");
}

TEST(LoaderText, HostileYamlGivesCleanErrors) {
    auto message = [](const std::string& text) -> std::string {
        try {
            load_scenario_text("x.yaml", text);
        } catch (const ScenarioError& e) {
            return e.what();
        }
        return "(no error)";
    };
    EXPECT_EQ(message(""), "x.yaml:1:1: the file is empty (expected a scenario)");
    EXPECT_EQ(message("# only a comment\n"), "x.yaml:1:1: the file is empty (expected a scenario)");
    EXPECT_NE(message(std::string(100000, '[') + std::string(100000, ']')).find("nested more than 64 deep"),
              std::string::npos);
    EXPECT_NE(message("a: &x [1, 2]\nb: *x\n").find("x.yaml:2:4: YAML aliases"), std::string::npos);
    EXPECT_NE(message("a: [1, 2\nb: 3\n").find("x.yaml:2:"), std::string::npos);
    EXPECT_NE(message("a: 1\n---\nb: 2\n").find("more than one YAML document"), std::string::npos);
    // A file whose top is no mapping (a list, a CSV table read as one value) is no scenario.
    EXPECT_EQ(message("- 1\n"), "x.yaml:1:1: \"x.yaml\" is not a scenario (a YAML file of keys scenario, parameters, …)");
    EXPECT_EQ(message("year,unit_code,group,persons\n2026,00001,near_poor,100\n"),
              "x.yaml:1:1: \"x.yaml\" is not a scenario (a YAML file of keys scenario, parameters, …)");
}

}  // namespace
}  // namespace subsim
