// Variants: small files that extend a scenario and change it by id. A toy base with
// two communes; each test writes a variant beside it and checks what the loader made
// of it, or the message it refused it with.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "subsim/core/executor.hpp"
#include "subsim/engine.hpp"
#include "subsim/io/scenario_loader.hpp"
#include "subsim/variant/compare.hpp"

namespace subsim {
namespace {
namespace fs = std::filesystem;

constexpr const char* kBase = R"(scenario:
  id: toy
  title: {vi: "Thử", en: "Toy"}
  years: {from: 2026, to: 2027}
  provenance: "unit test"
parameters:
  base_salary:
    - {from: 2024-07-01, value: 2340000, reference: "NĐ 73/2024/NĐ-CP", confidence: high}
    - {from: 2026-07-01, value: 2530000, reference: "NĐ 161/2026/NĐ-CP", confidence: medium}
  contribution_rate:
    - {from: 2014-07-01, value: 4.5%, reference: "NĐ 105/2014", confidence: high}
units:
  - {code: "37", name: "Tỉnh", level: province}
  - {code: "001", name: "Xã A", level: commune, parent: "37"}
  - {code: "002", name: "Xã B", level: commune, parent: "37"}
groups:
  - {id: near_poor, name: {vi: "Cận nghèo", en: "Near-poor"}}
  - {id: aged_70_74, name: {vi: "70-74", en: "Aged 70-74"}}
cohorts: {file: cohorts.csv}
population: {file: population.csv}
rules:
  - {id: np_central, label: {vi: "TW 70%", en: "Central 70%"}, reference: "Law 51/2024", confidence: high,
     groups: [near_poor], share: 70%, payer: central, from: 2025-07-01}
  - {id: np_province, label: {vi: "Tỉnh 30%", en: "Province 30%"}, reference: "assumption", confidence: assumption,
     groups: [near_poor], share: 30%, payer: province, from: 2026-01-01}
  - {id: aged_province, label: {vi: "Tỉnh 100%", en: "Province 100%"}, reference: "assumption", confidence: assumption,
     groups: [aged_70_74], share: 100%, payer: province, from: 2026-01-01}
)";

class VariantTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("subsim-variant-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
                "scenarios";
        fs::remove_all(root_.parent_path());
        fs::create_directories(root_ / "toy" / "variants");
        write(root_ / "toy" / "scenario.yaml", kBase);
        write(root_ / "toy" / "cohorts.csv",
              "year,unit_code,group,persons\n2026,001,near_poor,100\n2026,001,aged_70_74,50\n2026,002,near_poor,20\n");
        write(root_ / "toy" / "population.csv", "year,unit_code,population\n2026,001,1000\n2026,002,500\n");
    }
    void TearDown() override { fs::remove_all(root_.parent_path()); }

    static void write(const fs::path& p, const std::string& text) {
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
    }
    fs::path variant(const std::string& name, const std::string& body) {
        const fs::path p = root_ / "toy" / "variants" / (name + ".yaml");
        write(p, body);
        return p;
    }
    std::string error_of(const fs::path& p) {
        try {
            const Scenario s = load_scenario(p.string());
            (void)engine::validate(s, Executor::serial());
        } catch (const ScenarioError& e) {
            return e.what();
        }
        return "";
    }
    /// The warnings validate() gives the scenario at `p` that contain `part` (English).
    static std::vector<std::string> warnings_with(const fs::path& p, const std::string& part) {
        const Scenario s = load_scenario(p.string());
        std::vector<std::string> found;
        for (const Warning& w : engine::validate(s, Executor::serial()))
            if (const std::string text = w.to_string(Lang::en); text.find(part) != std::string::npos) found.push_back(text);
        return found;
    }
    static const Rule& rule(const Scenario& s, const std::string& id) {
        const int r = s.find_rule(id);
        EXPECT_GE(r, 0) << id;
        return s.rules.at(static_cast<std::size_t>(r));
    }

    fs::path root_;
};

constexpr const char* kHeader = R"(extends: ../scenario.yaml
scenario: {id: toy-v, title: {vi: "Phương án", en: "Variant"}, rationale: {vi: "Lý do", en: "Why"}}
)";

TEST_F(VariantTest, ChangesRulesByIdAndSharesTheData) {
    const fs::path p = variant("a", std::string(kHeader) + R"(rules:
  aged_province: {to: 2026-12-31}
  aged_half: {label: {vi: "Tỉnh 50%", en: "Province 50%"}, reference: "option", confidence: assumption,
              groups: [aged_70_74], share: 50%, payer: province, from: 2027-01-01}
  np_province: {remove: true}
)");
    const std::vector<Scenario> both = load_scenarios({(root_ / "toy" / "scenario.yaml").string(), p.string()});
    const Scenario& base = both[0];
    const Scenario& v = both[1];
    EXPECT_EQ(v.id, "toy-v");
    EXPECT_EQ(v.rationale.en, "Why");
    EXPECT_EQ(v.data.get(), base.data.get()) << "the bulk data is shared, not copied";
    ASSERT_EQ(v.rules.size(), 3u);  // 3 − 1 removed + 1 added
    EXPECT_EQ(rule(v, "aged_province").to, (Date{2026, 12, 31}));
    EXPECT_EQ(rule(v, "aged_half").share, Decimal::percent(50));
    EXPECT_EQ(v.find_rule("np_province"), -1);
    EXPECT_EQ(base.rules.size(), 3u) << "the base is unchanged";
    EXPECT_FALSE(rule(base, "aged_province").to.has_value());
    // The provisions, in the order written.
    ASSERT_EQ(v.provisions.size(), 3u);
    EXPECT_EQ(v.provisions[0].key, "rules.aged_province");
    EXPECT_EQ(v.provisions[1].key, "rules.aged_half");
    EXPECT_EQ(v.provisions[2].key, "rules.np_province");
    // The patched rule names the variant's line (line 4: "  aged_province: {to: ...}").
    EXPECT_EQ(rule(v, "aged_province").where.line, 4);
    EXPECT_NE(rule(v, "aged_province").where.file.find("variants/a.yaml"), std::string::npos);
}

TEST_F(VariantTest, DatedParametersAreAddedOrReplacedByDate) {
    const fs::path p = variant("d", std::string(kHeader) + R"(parameters:
  contribution_rate:
    - {from: 2027-01-01, value: 5.1%, reference: "MoH proposal, not law", confidence: low}
  base_salary:
    - {from: 2026-07-01, value: 2600000, reference: "what if", confidence: assumption}
)");
    const Scenario v = load_scenario(p.string());
    ASSERT_EQ(v.parameters.contribution_rate.entries.size(), 2u);
    EXPECT_EQ(v.parameters.contribution_rate.entries[1].value, *Decimal::parse("5.1%"));
    ASSERT_EQ(v.parameters.base_salary.entries.size(), 2u) << "same date: replaced, not added";
    EXPECT_EQ(v.parameters.base_salary.entries[1].value, 2'600'000);
}

TEST_F(VariantTest, AVariantThatChangesNothingCostsTheSameToTheDong) {
    const fs::path p = variant("same", std::string(kHeader));
    const Scenario base = load_scenario((root_ / "toy" / "scenario.yaml").string());
    const Scenario v = load_scenario(p.string());
    const Executor ex(1);
    const Totals a = run_totals(compile(base, ex), ex);
    const Totals b = run_totals(compile(v, ex), ex);
    EXPECT_EQ(a.year_payer, b.year_payer);
    EXPECT_EQ(a.year_leaf_payer, b.year_leaf_payer);
    // Not vacuous: the base costs something. 2026 central: 100 + 20 near-poor × 70%
    // × (6 × 105,300 + 6 × 113,850) = 120 × 920,430 = 110,451,600.
    EXPECT_EQ(a.cost(2026, 0), 110'451'600);
}

TEST_F(VariantTest, UnknownRuleGetsTheNearestId) {
    const fs::path p = variant("typo", std::string(kHeader) + "rules:\n  aged_provinc: {to: 2026-12-31}\n");
    const std::string e = error_of(p);
    EXPECT_NE(e.find("variants/typo.yaml:4:"), std::string::npos) << e;
    EXPECT_NE(e.find("no rule \"aged_provinc\" to change"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean \"aged_province\""), std::string::npos) << e;
}

TEST_F(VariantTest, UnknownGroupAndParameterGetTheNearestName) {
    const std::string g = error_of(variant("g", std::string(kHeader) + "rules:\n  np_central: {groups: [near_pour]}\n"));
    EXPECT_NE(g.find("did you mean \"near_poor\""), std::string::npos) << g;
    const std::string p = error_of(variant("p", std::string(kHeader) + "parameters:\n  contribution_rates: []\n"));
    EXPECT_NE(p.find("did you mean \"contribution_rate\""), std::string::npos) << p;
}

TEST_F(VariantTest, FieldOfTheWrongTypeNamesTheVariantLine) {
    const std::string e = error_of(variant("t", std::string(kHeader) + "rules:\n  np_central: {share: lots}\n"));
    EXPECT_NE(e.find("variants/t.yaml:4:"), std::string::npos) << e;
    EXPECT_NE(e.find("rules.np_central.share"), std::string::npos) << e;
}

TEST_F(VariantTest, APatchedEndBeforeTheRulesStartNamesTheField) {
    // aged_province starts 2026-01-01 in the base; the patch gives only `to:`.
    const std::string to = error_of(variant("to", std::string(kHeader) + "rules:\n  aged_province: {to: 2025-12-31}\n"));
    EXPECT_NE(to.find("variants/to.yaml:4:"), std::string::npos) << to;
    EXPECT_NE(to.find("2025-12-31 is before from 2026-01-01"), std::string::npos) << to;
    // Only `from:` patched, past the base's end (np_central has none: give one first).
    const std::string from = error_of(
        variant("from", std::string(kHeader) + "rules:\n  np_province: {from: 2027-06-01, to: 2027-01-31}\n"));
    EXPECT_NE(from.find("2027-01-31 is before from 2027-06-01"), std::string::npos) << from;
}

TEST_F(VariantTest, AVariantAddingAPayerForANewRuleIsComparedAsOneStep) {
    // A district budget takes 20 of the province's 100% for the aged 70-74. Between the
    // provisions the scenario is invalid (a payer no rule uses; then 80% + nothing), so
    // stacking joins them into one step; the new payer has its own increments.
    const fs::path p = variant("district", std::string(kHeader) +
        "payers:\n  - {id: district, name: {vi: \"Huyện\", en: \"District\"}, level: province}\n"
        "rules:\n  aged_province: {share: 80%}\n"
        "  aged_district: {label: {vi: \"Huyện 20%\", en: \"District 20%\"}, reference: \"assumption\", "
        "confidence: assumption, groups: [aged_70_74], share: 20%, payer: district, from: 2026-01-01}\n");
    const auto base = std::make_shared<const Scenario>(load_scenario((root_ / "toy" / "scenario.yaml").string()));
    const auto v = std::make_shared<const Scenario>(load_scenario(p.string()));
    const Comparison c = compare(base, {v}, Executor::serial());
    ASSERT_EQ(c.payer_ids, (std::vector<std::string>{"central", "province", "commune", "district"}));
    // 50 persons aged 70-74 in commune 001, 100% enrolled. 20% of the contribution:
    // 2026: 6 × 20% × 4.5% × 2,340,000 + 6 × 20% × 4.5% × 2,530,000 = 6 × 21,060 + 6 × 22,770
    //       = 262,980 đ a person → 13,149,000 đ; 2027: 12 × 22,770 = 273,240 → 13,662,000 đ.
    const std::vector<Dong> expected = {0, -13'149'000, 0, 13'149'000,   // 2026: central, province, commune, district
                                        0, -13'662'000, 0, 13'662'000};  // 2027
    int steps = 0;
    for (const StackedStep& step : c.stacked) {
        ++steps;
        EXPECT_EQ(step.key, "payers.district + rules.aged_province + rules.aged_district");
        EXPECT_FALSE(step.alone.has_value());
        EXPECT_EQ(step.increment, expected);
    }
    EXPECT_EQ(steps, 1);
}

TEST_F(VariantTest, ExtendsMustExistStayInsideTheRootAndNotLoop) {
    const std::string missing = error_of(variant("m", "extends: ../nope.yaml\nscenario: {id: x, title: {vi: a, en: b}}\n"));
    EXPECT_NE(missing.find("does not exist"), std::string::npos) << missing;
    // A file that is no scenario (a CSV table reads as one YAML text): said at the extends.
    const std::string table = error_of(variant("t", "extends: ../cohorts.csv\nscenario: {id: x, title: {vi: a, en: b}}\n"));
    EXPECT_NE(table.find("variants/t.yaml:1:10: extends: "), std::string::npos) << table;
    EXPECT_NE(table.find("cohorts.csv\" is not a scenario"), std::string::npos) << table;
    // A folder exists: it is not a file, which is what the message says.
    const std::string folder = error_of(variant("f", "extends: ../variants\nscenario: {id: x, title: {vi: a, en: b}}\n"));
    EXPECT_NE(folder.find("variants/f.yaml:1:10: extends: \"../variants\" is not a regular file"), std::string::npos) << folder;
    const std::string outside = error_of(variant("o", "extends: ../../../../etc/hostname\nscenario: {id: x, title: {vi: a, en: b}}\n"));
    EXPECT_NE(outside.find("leaves the scenario root"), std::string::npos) << outside;
    variant("loop1", "extends: loop2.yaml\nscenario: {id: l1, title: {vi: a, en: b}}\n");
    const std::string loop = error_of(variant("loop2", "extends: loop1.yaml\nscenario: {id: l2, title: {vi: a, en: b}}\n"));
    EXPECT_NE(loop.find("extend each other in a loop"), std::string::npos) << loop;
}

TEST_F(VariantTest, ChainsAreAllowed) {
    variant("first", std::string(kHeader) + "rules:\n  np_province: {share: 20%}\n");
    const fs::path second = variant("second", R"(extends: first.yaml
scenario: {id: toy-w, title: {vi: "Hai", en: "Two"}}
rules:
  aged_province: {share: 60%}
)");
    const Scenario v = load_scenario(second.string());
    EXPECT_EQ(rule(v, "np_province").share, Decimal::percent(20));
    EXPECT_EQ(rule(v, "aged_province").share, Decimal::percent(60));
    ASSERT_NE(v.base, nullptr);
    EXPECT_EQ(v.base->id, "toy-v");
    ASSERT_NE(v.base->base, nullptr);
    EXPECT_EQ(v.base->base->id, "toy");
}

TEST_F(VariantTest, AVariantNeedsItsOwnIdAndCannotChangeTheData) {
    const std::string same = error_of(variant("s", "extends: ../scenario.yaml\nscenario: {id: toy, title: {vi: a, en: b}}\n"));
    EXPECT_NE(same.find("a variant needs its own id"), std::string::npos) << same;
    const std::string units = error_of(variant("u", std::string(kHeader) + "units: []\n"));
    EXPECT_NE(units.find("a variant cannot change units"), std::string::npos) << units;
}

// A variant without `uncertainty:` keeps its base's entries (scenarios/README.md). One that
// names a rule the variant removes, or turns from a share into an amount, is refused as
// an entry of the variant's own naming a missing rule is: at the inherited entry (kBase has
// 27 lines: "uncertainty:" is line 28, the entries lines 29 and 30, each at column 5),
// naming the variant's change (line 4 of the variant: kHeader is two lines, then "rules:").
TEST_F(VariantTest, InheritedUncertaintyOnARuleTheVariantRemovesIsRefused) {
    write(root_ / "toy" / "scenario.yaml",
          std::string(kBase) + "uncertainty:\n"
              "  - {target: cohorts.near_poor.scale, dist: uniform, low: 0.9, high: 1.1, reference: x, confidence: low}\n"
              "  - {target: rules.aged_province.share, dist: uniform, low: 50%, high: 100%, reference: x, confidence: low}\n");
    const fs::path removed = variant("rm", std::string(kHeader) + "rules:\n  aged_province: {remove: true}\n");
    const std::string e = error_of(removed);
    EXPECT_NE(e.find("toy/scenario.yaml:30:5: uncertainty[1].target: \"rules.aged_province.share\" is an uncertain input "
                     "inherited from the base scenario, but this variant removes rule aged_province ("),
              std::string::npos) << e;
    EXPECT_NE(e.find("variants/rm.yaml:4); give the variant its own uncertainty: block (uncertainty: [] for none)"), std::string::npos) << e;
    // A share turned into a fixed amount: the inherited .share names nothing either.
    const std::string a = error_of(variant("amt", std::string(kHeader) + "rules:\n  aged_province: {amount: 50000}\n"));
    EXPECT_NE(a.find("toy/scenario.yaml:30:5: uncertainty[1].target: \"rules.aged_province.share\" is an uncertain input "
                     "inherited from the base scenario, but this variant changes rule aged_province ("),
              std::string::npos) << a;
    EXPECT_NE(a.find("variants/amt.yaml:4) so that it has amount instead; give the variant its own uncertainty: block"), std::string::npos) << a;
    // With its own block (even an empty one) the variant is accepted; a variant leaving the
    // rule alone keeps both entries.
    EXPECT_EQ(error_of(variant("own", std::string(kHeader) + "rules:\n  aged_province: {remove: true}\nuncertainty: []\n")), "");
    const fs::path kept = variant("kept", std::string(kHeader) + "rules:\n  np_province: {share: 20%}\n");
    EXPECT_EQ(error_of(kept), "");
    EXPECT_EQ(load_scenario(kept.string()).uncertainty.size(), 2u);
}

TEST_F(VariantTest, PatchedSharesAreValidatedLikeAScenario) {
    // 70% central + 40% province = 110% for the near-poor.
    const std::string e = error_of(variant("over", std::string(kHeader) + "rules:\n  np_province: {share: 40%}\n"));
    EXPECT_NE(e.find("over 100%"), std::string::npos) << e;
    EXPECT_NE(e.find("variants/over.yaml:4:"), std::string::npos) << e;
}

TEST_F(VariantTest, DatesStayWithinTheYearsTablesAccept) {
    // "No end" written as 9999-12-31 (line 4, the value at column 23): as a table's year,
    // outside 1900–2200; leaving `to` out says it.
    const std::string e = error_of(variant("far", std::string(kHeader) + "rules:\n  aged_province: {to: 9999-12-31}\n"));
    EXPECT_NE(e.find("variants/far.yaml:4:23: rules.aged_province.to: \"9999-12-31\" is outside the years 1900 to 2200"),
              std::string::npos)
        << e;
}

TEST_F(VariantTest, AVariantCannotRemoveEveryRule) {
    // `rules: []` is refused in a scenario; removing the toy's three rules one by one is too.
    const std::string e = error_of(variant("none", std::string(kHeader) +
                                                       "rules:\n  np_central: {remove: true}\n  np_province: {remove: true}\n"
                                                       "  aged_province: {remove: true}\n"));
    EXPECT_NE(e.find("variants/none.yaml:4:3: rules: the variant removes every rule"), std::string::npos) << e;
    EXPECT_EQ(error_of(variant("two", std::string(kHeader) + "rules:\n  np_central: {remove: true}\n"
                                                            "  np_province: {remove: true}\n")),
              "")
        << "one rule left is a scenario";
}

TEST_F(VariantTest, AGrowthRateThatChangesNoFigureIsWarnedAbout) {
    // The toy simulates 2026–2027 and cohorts.csv gives 2026 only: a rate from 2027 grows
    // 2027's near-poor, one from 2028 grows nothing.
    const auto growth_warnings = [&](const std::string& name, const std::string& from) {
        const std::string rate = "{group: near_poor, from: " + from + ", rate: 2%, reference: \"assumption\", confidence: low}";
        return warnings_with(variant(name, std::string(kHeader) + "cohorts: {growth: [" + rate + "]}\n"), ": cohorts.growth[");
    };
    EXPECT_TRUE(growth_warnings("grows", "2027-01-01").empty());
    const auto late = growth_warnings("late", "2028-01-01");
    ASSERT_EQ(late.size(), 1u);
    EXPECT_NE(late[0].find("variants/late.yaml:3:20: cohorts.growth[0]: "), std::string::npos) << late[0];
    EXPECT_NE(late[0].find("the growth rate of group \"near_poor\" from 2028-01-01 applies to no year of 2026–2027"),
              std::string::npos)
        << late[0];
    // With 2027 given for both communes that have near-poor persons, nothing is grown.
    write(root_ / "toy" / "cohorts.csv",
          "year,unit_code,group,persons\n2026,001,near_poor,100\n2026,001,aged_70_74,50\n2026,002,near_poor,20\n"
          "2027,001,near_poor,101\n2027,002,near_poor,21\n");
    const auto given = growth_warnings("given", "2027-01-01");
    ASSERT_EQ(given.size(), 1u);
    EXPECT_NE(given[0].find("from 2027-01-01 changes no figure: cohorts.csv gives the group's persons for every year "
                            "2027–2027"),
              std::string::npos)
        << given[0];
}

TEST_F(VariantTest, CoverageOverThePopulationNamesTheVariantsChange) {
    // Xã A: population 1,000; near-poor 100 × 1000% = 1,000 and aged 50, all enrolled:
    // 1,050 persons, coverage 105.00%. The population row is named, and so is the
    // variant's scale that caused it (line 3).
    const std::string e = error_of(variant(
        "scaled", std::string(kHeader) +
                      "cohorts: {scale: [{group: near_poor, scale: 1000%, reference: \"assumption\", confidence: low}]}\n"));
    EXPECT_NE(e.find("population.csv:2:3: population: enrolled persons 1,050.00 exceed the population 1,000 of unit 001 "
                     "(Xã A) in 2026 (coverage 105.00%); the variant changes cohorts.near_poor.scale ("),
              std::string::npos)
        << e;
    EXPECT_NE(e.find("variants/scaled.yaml:3): check these changes"), std::string::npos) << e;
}

TEST_F(VariantTest, ACohortStartingAfterTheFirstYearIsWarnedAbout) {
    // Xã B's near-poor only from 2027 (line 4): in 2026 it counts nobody.
    write(root_ / "toy" / "cohorts.csv",
          "year,unit_code,group,persons\n2026,001,near_poor,100\n2026,001,aged_70_74,50\n2027,002,near_poor,20\n");
    const std::vector<std::string> late = warnings_with(root_ / "toy" / "scenario.yaml", "starts in");
    ASSERT_EQ(late.size(), 1u);
    EXPECT_NE(late[0].find("toy/cohorts.csv:4:1: year: the cohort of group near_poor in unit 002 (Xã B) starts in 2027, after "
                           "the first year 2026: the years before count nobody (1 such unit and group pairs)"),
              std::string::npos)
        << late[0];
}

TEST_F(VariantTest, RowsNoYearUsesAreWarnedAbout) {
    // The toy simulates 2026–2027: a 2030 population row and two 2031 cohort rows (lines
    // 4 and 5) are never used (figures carry forward, not back), a mistyped year?
    write(root_ / "toy" / "population.csv", "year,unit_code,population\n2026,001,1000\n2026,002,500\n2030,002,510\n");
    write(root_ / "toy" / "cohorts.csv",
          "year,unit_code,group,persons\n2026,001,near_poor,100\n2026,001,aged_70_74,50\n2026,002,near_poor,20\n"
          "2031,001,near_poor,90\n2031,002,near_poor,25\n");
    const std::vector<std::string> unused = warnings_with(root_ / "toy" / "scenario.yaml", "used by no year");
    ASSERT_EQ(unused.size(), 2u);
    EXPECT_NE(unused[0].find("toy/population.csv:4:1: year: 1 rows of population.csv are used by no year of 2026–2027"),
              std::string::npos)
        << unused[0];
    EXPECT_NE(unused[1].find("toy/cohorts.csv:5:1: year: 2 rows of cohorts.csv are used by no year of 2026–2027"), std::string::npos)
        << unused[1];
}

TEST_F(VariantTest, AnAmountOverTheContributionIsRefusedInEachLanguagesNumbers) {
    // January 2026: 4.5% × 2,340,000 = 105,300 đồng a month; a fixed 200,000 is more.
    const fs::path p = variant("amount", std::string(kHeader) + "rules:\n  aged_province: {amount: 200000}\n");
    try {
        const Scenario s = load_scenario(p.string());
        (void)engine::validate(s, Executor::serial());
        FAIL() << "accepted";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("adds up to more than the contribution of 105,300 đồng"), std::string::npos) << e.what();
        EXPECT_NE(e.to_string(Lang::vi).find("vượt mức đóng 105.300 đồng"), std::string::npos) << e.to_string(Lang::vi);
    }
}

/// A toy rule for `group`, paid by the province at `share`: `r<i>` in a variant's `rules:`.
std::string added_rule(int i, const std::string& group, const std::string& share) {
    return "  r" + std::to_string(i) + ": {label: {vi: a, en: b}, reference: \"assumption\", confidence: low, groups: [" +
           group + "], share: " + share + ", payer: province, from: 2026-01-01}\n";
}

TEST_F(VariantTest, RulesAndBudgetLinesAreBounded) {
    // 3 base rules + 997 = 1,000 rules: allowed; one more is refused at the variant's rules.
    std::string at_limit = std::string(kHeader) + "rules:\n";
    for (int i = 0; i < 997; ++i) at_limit += added_rule(i, "near_poor", "0%");
    EXPECT_EQ(error_of(variant("limit", at_limit)), "");
    const std::string over = error_of(variant("over", at_limit + added_rule(997, "near_poor", "0%")));
    EXPECT_NE(over.find("variants/over.yaml:4:3: rules: too many rules (at most 1,000)"), std::string::npos) << over;

    // Budget lines a year: lowest-level units × (group, rule) pairs in force. 3,001
    // communes × 1,000 rules of one group = 3,001,000 lines in 2026, over the 3,000,000 a
    // year allowed (memory holds two years' lines while they are written).
    std::string units = "code,name,level,parent\n37,Tỉnh,province,\n";
    std::string population = "year,unit_code,population\n";
    std::string cohorts = "year,unit_code,group,persons\n";
    for (int u = 0; u < 3001; ++u) {
        const std::string code = "c" + std::to_string(u);
        units += code + ",Xã " + std::to_string(u) + ",commune,37\n";
        population += "2026," + code + ",100\n";
        cohorts += "2026," + code + ",near_poor,1\n";
    }
    write(root_ / "big" / "units.csv", units);
    write(root_ / "big" / "population.csv", population);
    write(root_ / "big" / "cohorts.csv", cohorts);
    std::string big = R"(scenario:
  id: big
  title: {vi: "Lớn", en: "Big"}
  years: {from: 2026, to: 2026}
  provenance: "unit test"
parameters:
  base_salary: [{from: 2024-07-01, value: 2340000, reference: "NĐ 73/2024/NĐ-CP", confidence: high}]
  contribution_rate: [{from: 2014-07-01, value: 4.5%, reference: "NĐ 105/2014", confidence: high}]
units: {file: units.csv}
groups: [{id: near_poor, name: {vi: "Cận nghèo", en: "Near-poor"}}]
cohorts: {file: cohorts.csv}
population: {file: population.csv}
rules:
)";
    for (int i = 0; i < 1000; ++i)
        big += "  - {id: r" + std::to_string(i) +
               ", label: {vi: a, en: b}, reference: \"assumption\", confidence: low, groups: [near_poor], share: 0%, "
               "payer: province, from: 2026-01-01}\n";
    write(root_ / "big" / "scenario.yaml", big);
    const std::string lines = error_of(root_ / "big" / "scenario.yaml");
    EXPECT_NE(lines.find("big/scenario.yaml:1:1: rules: 2026 would have 3,001,000 budget lines"), std::string::npos)
        << lines;
    EXPECT_NE(lines.find("more than the 3,000,000 allowed"), std::string::npos) << lines;
}

}  // namespace
}  // namespace subsim
