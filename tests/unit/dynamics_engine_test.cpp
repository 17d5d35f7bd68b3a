// Age groups, take-up curves, ramps and solve, through the whole engine (loader → compile
// → run): small scenarios written out below, every expected figure worked out by hand in
// the comments. The base salary is 2,340,000 đ throughout unless a test says otherwise, so
// the monthly contribution is 4.5% × 2,340,000 = 105,300 đ (1,263,600 đ a year).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "subsim/core/error.hpp"
#include "subsim/core/executor.hpp"
#include "subsim/engine.hpp"
#include "subsim/solve/solve.hpp"

namespace subsim {
namespace {
namespace fs = std::filesystem;

class Dynamics : public ::testing::Test {
public:
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
    }

protected:
    fs::path dir;
    Executor executor{1};

    void SetUp() override {
        dir = fs::temp_directory_path() /
              ("subsim-dynamics-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    Scenario load(const std::string& name = "scenario.yaml") { return engine::load((dir / name).string()); }

    /// A payer's cost in a year, summed over the exact budget lines (checking some exist).
    Dong cost(const Results& r, int year, const std::string& payer) {
        const int p = r.scenario->find_payer(payer);
        Dong total = 0;
        int lines = 0;
        for (const BudgetLine& l : r.lines)
            if (l.year == year && l.payer == p) {
                total += l.cost;
                ++lines;
            }
        EXPECT_GT(lines, 0) << payer << " " << year;
        return total;
    }
    /// Enrolled person-months of a group in a year (whole persons).
    double person_months(const Results& r, int year, const std::string& group) {
        const Scenario& s = *r.scenario;
        int g = -1;
        for (std::size_t i = 0; i < s.groups().size(); ++i)
            if (s.groups()[i].id == group) g = static_cast<int>(i);
        EXPECT_GE(g, 0) << group;
        Headcount pm = 0;
        for (const CohortCost& c : r.cohort_costs)
            if (c.year == year && c.group == g) pm += c.person_months;
        return static_cast<double>(pm) / kHeadcountScale;
    }
    Results run(const Scenario& s) {
        std::vector<Warning> warnings;
        compiled_ = std::make_unique<CompiledScenario>(engine::compile(s, executor, warnings));
        return engine::run(*compiled_, executor);
    }

private:
    std::unique_ptr<CompiledScenario> compiled_;
};

/// Header shared by the scenarios below: years, a constant base salary, one province, one commune.
std::string header(int from, int to, const std::string& salary_rows = "") {
    return "scenario:\n  id: dyn\n  title: {vi: \"Thử\", en: \"Test\"}\n  years: {from: " + std::to_string(from) +
           ", to: " + std::to_string(to) +
           "}\n  provenance: \"unit test\"\nparameters:\n  base_salary:\n"
           "    - {from: 2024-07-01, value: 2340000, reference: \"NĐ 73/2024/NĐ-CP\", confidence: high}\n" +
           salary_rows +
           "  contribution_rate:\n    - {from: 2014-07-01, value: 4.5%, reference: \"NĐ 105/2014\", confidence: high}\n"
           "units:\n  - {code: \"37\", name: \"Tỉnh\", level: province}\n"
           "  - {code: \"001\", name: \"Xã A\", level: commune, parent: \"37\"}\n";
}

/// Ages 0–100 for commune 001, all zero but `age` with `persons`; survival 1 (q = 0) at every age.
void write_ages(Dynamics& t, int age, int persons) {
    std::string ages = "unit_code,age,persons\n", life = "sex,age,qx\n";
    for (int a = 0; a <= 100; ++a) {
        ages += "001," + std::to_string(a) + "," + std::to_string(a == age ? persons : 0) + "\n";
        life += "both," + std::to_string(a) + ",0\n";
    }
    t.write("ages.csv", ages);
    t.write("life.csv", life);
}

// ---- age groups -----------------------------------------------------------------------------

TEST_F(Dynamics, AgeGroupFillsMonthByMonthAndIsCostedByHand) {
    write_ages(*this, 69, 1200);
    write("population.csv", "year,unit_code,population\n2026,001,1200\n");
    write("scenario.yaml", header(2026, 2027,
                                  "    - {from: 2026-07-01, value: 2530000, reference: \"NĐ 161/2026/NĐ-CP\", confidence: medium}\n") +
                               R"(groups:
  - {id: aged_70_74, name: {vi: "70-74", en: "Aged 70-74"}, age: [70, 75]}
population: {file: population.csv}
demography:
  base_year: 2026
  ages: {file: ages.csv}
  life_table: {file: life.csv, form: qx}
  reference: "unit test"
  confidence: illustrative
rules:
  - {id: aged_province, label: {vi: "Tỉnh 100%", en: "Province 100%"}, reference: "test", confidence: assumption,
     groups: [aged_70_74], share: 100%, payer: province, from: 2026-01-01}
)");
    const Results r = run(load());
    // 1,200 aged 69 on 1 January 2026 turn 70 evenly through the year: on the 1st of month m,
    // 100 × (m − 1) are 70 (nobody dies: q = 0).
    // January–June: 100 × (0 + 1 + ... + 5) = 1,500 person-months × 105,300 = 157,950,000.
    // July–December (4.5% × 2,530,000 = 113,850): 100 × (6 + ... + 11) = 5,100 × 113,850 = 580,635,000.
    EXPECT_DOUBLE_EQ(person_months(r, 2026, "aged_70_74"), 6600.0);
    EXPECT_EQ(cost(r, 2026, "province"), 157'950'000 + 580'635'000);
    // 2027: all 1,200 are 70 on 1 January and stay in [70, 75) the whole year:
    // 14,400 person-months × 113,850 = 1,639,440,000.
    EXPECT_DOUBLE_EQ(person_months(r, 2027, "aged_70_74"), 14400.0);
    EXPECT_EQ(cost(r, 2027, "province"), 1'639'440'000);
}

TEST_F(Dynamics, AgeGroupWithCohortRowsIsRefused) {
    write_ages(*this, 69, 10);
    write("cohorts.csv", "year,unit_code,group,persons\n2026,001,aged_70_74,5\n");
    write("population.csv", "year,unit_code,population\n2026,001,10\n");
    write("scenario.yaml", header(2026, 2026) + R"(groups:
  - {id: aged_70_74, name: {vi: "70-74", en: "Aged 70-74"}, age: [70, 75]}
cohorts: {file: cohorts.csv}
population: {file: population.csv}
demography:
  base_year: 2026
  ages: {file: ages.csv}
  life_table: {file: life.csv, form: qx}
  reference: "unit test"
  confidence: illustrative
rules:
  - {id: aged_province, label: {vi: "Tỉnh", en: "Province"}, reference: "test", confidence: assumption,
     groups: [aged_70_74], share: 100%, payer: province, from: 2026-01-01}
)");
    const Scenario s = load();
    try {
        engine::validate(s, executor);
        FAIL() << "cohort rows for an age group were accepted";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(e.where().line, 2);
        EXPECT_NE(std::string(e.what()).find("cohorts.csv"), std::string::npos) << e.what();
        EXPECT_EQ(e.key(), "group");
    }
}

// ---- take-up --------------------------------------------------------------------------------

/// Near-poor, 1,000 persons all years; central pays 70%, the province `province_share` from
/// 2025 (until `province_to`, if given). Take-up: piecewise linear through (0 đ → 90%) and
/// (505,440 đ → 50%), observed 60% when people paid 20% (252,720 đ a year), jump 10% at zero,
/// ceiling 95%.
std::string takeup_scenario(int to_year, const std::string& province_share, const std::string& province_to,
                            const std::string& retention) {
    return header(2025, to_year) + R"(groups:
  - {id: near_poor, name: {vi: "Cận nghèo", en: "Near-poor"}}
cohorts: {file: cohorts.csv}
population: {file: population.csv}
enrolment:
  takeup:
    - {group: near_poor, shape: piecewise_linear, points: [[0, 90%], [505440, 50%]], observed: 60%,
       baseline_out_of_pocket: 252720, jump_at_zero: 10%, ceiling: 95%, reference: "test", confidence: low)" +
           retention + R"(}
rules:
  - {id: np_central, label: {vi: "TW 70%", en: "Central 70%"}, reference: "test", confidence: high,
     groups: [near_poor], share: 70%, payer: central, from: 2025-01-01}
  - {id: np_province, label: {vi: "Tỉnh", en: "Province"}, reference: "test", confidence: assumption,
     groups: [near_poor], share: )" +
           province_share + ", payer: province, from: 2025-01-01" + province_to + "}\n";
}

void write_near_poor(Dynamics& t, int to_year) {
    std::string cohorts = "year,unit_code,group,persons\n", population = "year,unit_code,population\n";
    for (int y = 2025; y <= to_year; ++y) {
        cohorts += std::to_string(y) + ",001,near_poor,1000\n";
        population += std::to_string(y) + ",001,5000\n";
    }
    t.write("cohorts.csv", cohorts);
    t.write("population.csv", population);
}

TEST_F(Dynamics, TakeupReturnsTheObservedRateAtTheBaseline) {
    write_near_poor(*this, 2025);
    // Province 10%: people pay 20% of 105,300 = 21,060 đ a month, 252,720 đ a year: the baseline.
    write("scenario.yaml", takeup_scenario(2025, "10%", "", ""));
    const Results r = run(load());
    // 60% of 1,000 = 600 enrolled all year: 7,200 person-months.
    EXPECT_DOUBLE_EQ(person_months(r, 2025, "near_poor"), 7200.0);
    // Central 70% × 105,300 = 73,710 × 7,200 = 530,712,000; province 10% = 10,530 × 7,200 = 75,816,000.
    EXPECT_EQ(cost(r, 2025, "central"), 530'712'000);
    EXPECT_EQ(cost(r, 2025, "province"), 75'816'000);
}

TEST_F(Dynamics, MoreSupportMeansMoreEnrolmentAndCost) {
    write_near_poor(*this, 2025);
    // Province 20%: people pay 10% = 10,530 đ a month, 126,360 đ a year. The line gives
    // 90% − 40% × 126,360 / 505,440 = 90% − 10% = 80%; calibration shifted it by −10%
    // (at 252,720 the line gives 70%, observed 60%): 70%, 700 enrolled, 8,400 person-months.
    write("scenario.yaml", takeup_scenario(2025, "20%", "", ""));
    const Results r = run(load());
    EXPECT_DOUBLE_EQ(person_months(r, 2025, "near_poor"), 8400.0);
    EXPECT_EQ(cost(r, 2025, "central"), 8400LL * 73'710);    // 619,164,000
    EXPECT_EQ(cost(r, 2025, "province"), 8400LL * 21'060);   // 176,904,000
}

TEST_F(Dynamics, FullSupportAddsTheJumpUnderTheCeiling) {
    write_near_poor(*this, 2025);
    // Province 30%: nothing to pay. Line 90% − 10% shift = 80%, + 10% jump = 90% (ceiling 95%).
    write("scenario.yaml", takeup_scenario(2025, "30%", "", ""));
    const Results r = run(load());
    EXPECT_DOUBLE_EQ(person_months(r, 2025, "near_poor"), 10800.0);
    EXPECT_EQ(cost(r, 2025, "province"), 10800LL * 31'590);  // 30% × 105,300 = 31,590
}

TEST_F(Dynamics, EnrolmentDecaysOverTheRetentionYearsAfterATopUpEnds) {
    write_near_poor(*this, 2027);
    // Province 20% in 2025 only: 70% enrolled (test above). From 2026 people pay 30%:
    // 31,590 × 12 = 379,080 đ; line 90% − 40% × 379,080 / 505,440 = 90% − 30% = 60%, shifted 50%.
    // Linear retention over 2 years: 2026 keeps (2 − 1)/2 of the gap: 50% + ½ × 20% = 60%;
    // 2027 keeps nothing: 50%.
    write("scenario.yaml", takeup_scenario(2027, "20%", ", to: 2025-12-31", ", retention: {years: 2, form: linear}"));
    const Results r = run(load());
    EXPECT_DOUBLE_EQ(person_months(r, 2025, "near_poor"), 8400.0);
    EXPECT_DOUBLE_EQ(person_months(r, 2026, "near_poor"), 7200.0);
    EXPECT_DOUBLE_EQ(person_months(r, 2027, "near_poor"), 6000.0);
    EXPECT_EQ(cost(r, 2027, "central"), 6000LL * 73'710);  // 442,260,000
}

TEST_F(Dynamics, TakeupGroupWithFixedEnrolmentIsRefused) {
    write_near_poor(*this, 2025);
    std::string text = takeup_scenario(2025, "10%", "", "");
    text.replace(text.find("enrolment:\n"), 11,
                 "enrolment:\n  rates:\n    - {group: near_poor, from: 2025-01-01, share: 80%, reference: \"x\", confidence: low}\n");
    write("scenario.yaml", text);
    try {
        engine::validate(load(), executor);
        FAIL() << "fixed enrolment beside a take-up curve was accepted";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(e.key(), "enrolment.rates[0].group");
        EXPECT_NE(std::string(e.what()).find("near_poor"), std::string::npos) << e.what();
    }
}

// ---- ramps ----------------------------------------------------------------------------------

TEST_F(Dynamics, RampClosesHalfTheGapEachYear) {
    write_near_poor(*this, 2027);
    write("scenario.yaml", header(2025, 2027) + R"(groups:
  - {id: near_poor, name: {vi: "Cận nghèo", en: "Near-poor"}}
cohorts: {file: cohorts.csv}
population: {file: population.csv}
enrolment:
  rates:
    - {group: near_poor, from: 2025-01-01, share: 60%, reference: "test", confidence: low}
  ramps:
    - {group: near_poor, from: 2026, target: 90%, close: 50%, reference: "plan", confidence: assumption}
rules:
  - {id: np_province, label: {vi: "Tỉnh", en: "Province"}, reference: "test", confidence: assumption,
     groups: [near_poor], share: 100%, payer: province, from: 2025-01-01}
)");
    const Results r = run(load());
    // 2025: 60% → 600 × 12 = 7,200 pm × 105,300 = 758,160,000.
    // 2026: 60% + ½ × (90% − 60%) = 75% → 9,000 pm → 947,700,000.
    // 2027: 75% + ½ × (90% − 75%) = 82.5% → 9,900 pm → 1,042,470,000.
    EXPECT_EQ(cost(r, 2025, "province"), 758'160'000);
    EXPECT_EQ(cost(r, 2026, "province"), 947'700'000);
    EXPECT_EQ(cost(r, 2027, "province"), 1'042'470'000);
}

// ---- solve ----------------------------------------------------------------------------------

/// Near-poor 1,000 of a population of 1,000 (so coverage = enrolment), take-up as above,
/// with the province's share to be solved for.
class Solve : public Dynamics {
protected:
    void SetUp() override {
        Dynamics::SetUp();
        write("cohorts.csv", "year,unit_code,group,persons\n2025,001,near_poor,1000\n");
        write("population.csv", "year,unit_code,population\n2025,001,1000\n");
        write("scenario.yaml", takeup_scenario(2025, "10%", "", ""));
    }
    SolveResult solve_for(SolveRequest q) { return solve(load(), q, executor); }
    /// The province's np_province share within `budget` for its 2025 cost.
    static SolveRequest budget_request(Dong budget) {
        SolveRequest q;
        q.rule = "np_province";
        q.kind = SolveRequest::Kind::budget;
        q.payer = "province";
        q.year = 2025;
        q.budget = budget;
        return q;
    }
    Totals totals_at(std::int64_t hundredths) {
        Scenario s = load();
        for (Rule& r : s.rules)
            if (r.id == "np_province") r.share = Decimal{hundredths, 4};
        std::vector<Warning> w;
        const CompiledScenario c = engine::compile(s, executor, w);
        return run_totals(c, executor);
    }
};

TEST_F(Solve, SmallestShareMeetingACoverageTarget) {
    SolveRequest q;
    q.rule = "np_province";
    q.kind = SolveRequest::Kind::coverage;
    q.target = *Decimal::parse("75%");
    q.year = 2025;
    const SolveResult r = solve_for(q);
    ASSERT_TRUE(r.found) << r.message.en;
    // Enrolment = 80% − 40% × p / 505,440 (after the −10% shift), p = (30% − x) × 1,263,600 a year.
    // 75% needs p ≤ 63,180 đ: 30% − x ≤ 5% → x ≥ 25%. At 25.00% exactly: p = 63,180, rate 75%.
    EXPECT_EQ(r.hundredths, 2500);
    EXPECT_EQ(share_text(r.hundredths), "25.00%");
    ASSERT_FALSE(r.path.empty());
    // Checked by running the scenario at the answer and 0.01 point below it.
    const Totals at = totals_at(r.hundredths), below = totals_at(r.hundredths - 1);
    EXPECT_GE(at.insured_average(2025, 0), 750 * kHeadcountScale);
    EXPECT_LT(below.insured_average(2025, 0), 750 * kHeadcountScale);
}

TEST_F(Solve, LargestShareWithinABudget) {
    // Province 10% costs 75,816,000 (TakeupReturnsTheObservedRateAtTheBaseline); 20% costs
    // 176,904,000. A budget of 100,000,000: the answer lies between.
    const SolveResult r = solve_for(budget_request(100'000'000));
    ASSERT_TRUE(r.found) << r.message.en;
    const Totals at = totals_at(r.hundredths), beyond = totals_at(r.hundredths + 1);
    const int province = load().find_payer("province");
    EXPECT_LE(at.cost(2025, province), 100'000'000);
    EXPECT_GT(beyond.cost(2025, province), 100'000'000);
    EXPECT_EQ(r.at_answer.cost, at.cost(2025, province));
    EXPECT_GT(r.hundredths, 1000);
    EXPECT_LT(r.hundredths, 2000);
}

// Beside a fixed 10,000 đ a month from the central budget, the province's share can rise to
// (105,300 − 10,000) ÷ 105,300 = 90.503…%: at 90.50% it pays 95,296.5 → 95,297 đ, 105,297 đ
// in all; at 90.51%, 95,307.03 đ, more than the contribution, which run refuses. A budget
// that holds any share gets 90.50% (it used to get 100%, a support run refused).
// Rounded up beside 66.67% central (105,300 × 66.67% = 70,203.51 → 70,204 đ), 33.33% gives
// 35,096.49 → 35,097 đ, 105,301 đ in all: the largest share is 33.32% (35,085.96 → 35,086).
TEST_F(Solve, TheLargestShareLeavesRoomForFixedAmountsAndRounding) {
    // The central rule written as `central`, with `parameters` added: solve's answer for a
    // budget that holds any share is `largest`, which run accepts, and 0.01 point more it refuses.
    const auto expect_largest = [&](const std::string& central, const std::string& parameters, std::int64_t largest) {
        std::string yaml = takeup_scenario(2025, "10%", "", "");
        const std::string from = "share: 70%, payer: central";
        yaml.replace(yaml.find(from), from.size(), central + ", payer: central");
        yaml.replace(yaml.find("  contribution_rate:"), 0, parameters);
        write("scenario.yaml", yaml);
        const SolveResult r = solve_for(budget_request(1'000'000'000'000));
        ASSERT_TRUE(r.found) << r.message.en;
        EXPECT_EQ(r.hundredths, largest) << central;
        EXPECT_NO_THROW(totals_at(largest));
        EXPECT_THROW(totals_at(largest + 1), ScenarioError);
    };
    expect_largest("amount: 10000", "", 9050);
    expect_largest("share: 66.67%", "  rounding: up\n", 3332);
}

TEST_F(Solve, NoShareReachesAnImpossibleTarget) {
    SolveRequest q;
    q.rule = "np_province";
    q.target = *Decimal::parse("96%");  // the ceiling is 95%
    q.year = 2025;
    const SolveResult r = solve_for(q);
    EXPECT_FALSE(r.found);
    EXPECT_FALSE(r.message.en.empty());
    EXPECT_FALSE(r.message.vi.empty());
}

TEST_F(Solve, TheAnswersTextCannotBecomeYamlAndItsIdFitsTheLimit) {
    // A payer's or unit's name reaches the answer's message; a newline in it ended the
    // comment line and the rest became keys of the variant (a contribution rate of 9%).
    Scenario s = load();
    s.id = std::string(62, 'a');  // 62 + "-solve" would pass the 64 characters an id may have
    SolveResult r;
    r.request.rule = "np_province";
    r.found = true;
    r.hundredths = 2500;
    r.message = Text{"xong\nparameters: {}", "done\nparameters: {contribution_rate: [{from: 2026-01-01, value: 9%}]}\r#"};
    const std::string yaml = solve_variant_yaml(s, r, "../scenario.yaml");
    EXPECT_EQ(yaml.find("\nparameters:"), std::string::npos) << yaml;
    EXPECT_EQ(yaml.rfind("# Written by `subsim solve`: done parameters: {contribution_rate: [{from: 2026-01-01, value: 9%}]} #\n", 0), 0u)
        << yaml;
    // The rationale keeps the text, escaped inside its quotes.
    EXPECT_NE(yaml.find("en: \"done\\nparameters: {contribution_rate: [{from: 2026-01-01, value: 9%}]}\\r#\"}"), std::string::npos)
        << yaml;
    // 58 a's + "-solve" = 64 characters.
    EXPECT_NE(yaml.find("\n  id: " + std::string(58, 'a') + "-solve\n"), std::string::npos) << yaml;
}

TEST_F(Solve, AGoalTheShareCannotMoveIsRefused) {
    // np_province from 2026 in a 2025 scenario: no share changes 2025's cost or coverage
    // (the answer was "100.00% is the largest share within the budget", or "0.00%").
    Scenario s = load();
    for (Rule& r : s.rules)
        if (r.id == "np_province") r.from = Date{2026, 1, 1};
    SolveRequest q = budget_request(100'000'000);
    try {
        (void)solve(s, q, executor);
        FAIL() << "answered";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("--vary: the share of rule \"np_province\" does not change this budget's cost in 2025"),
                  std::string::npos)
            << e.what();
    }
    q.kind = SolveRequest::Kind::coverage;
    q.target = *Decimal::parse("75%");
    try {
        (void)solve(s, q, executor);
        FAIL() << "answered";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("does not change the coverage in 2025"), std::string::npos) << e.what();
    }
}

TEST_F(Solve, IllPosedRequestsAreRefused) {
    SolveRequest q;
    q.rule = "np_provinse";  // misspelt: the nearest id is suggested
    q.target = *Decimal::parse("75%");
    q.year = 2025;
    try {
        solve_for(q);
        FAIL();
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.message().en).find("np_province"), std::string::npos) << e.message().en;
    }
    q.rule = "np_province";
    q.kind = SolveRequest::Kind::budget;
    q.payer = "central";  // np_province is paid by the province
    q.budget = 1;
    EXPECT_THROW(solve_for(q), ScenarioError);
    q.payer = "province";
    q.year = 2031;  // not simulated
    EXPECT_THROW(solve_for(q), ScenarioError);
}

}  // namespace
}  // namespace subsim
