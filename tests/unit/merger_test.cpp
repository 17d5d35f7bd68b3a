// Units that change (issue 12): a split commune carried through the loader, a toy year
// that straddles a merger costed by hand month by month, reports by former district
// equal to the sum of their parts. Every expected figure is worked out in the comments.
//
// Contribution per person-month in 2025: 4.5% × 2,340,000 = 105,300 đ (NĐ 73/2024).
// Near-poor, central 70%: 105,300 × 70% = 73,710 đ a person-month.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <variant>

#include "subsim/engine.hpp"
#include "subsim/io/scenario_loader.hpp"
#include "subsim/model/validate.hpp"
#include "subsim/report/divisions.hpp"
#include "subsim/report/reports.hpp"
#include "subsim/sim/costing.hpp"
#include "subsim/sim/results.hpp"
#include "scenario_fixture.hpp"
#include "xlsx_reader.hpp"

namespace subsim {
namespace {
namespace fs = std::filesystem;

constexpr Dong kNearPoorPerMonth = 73'710;  // 4.5% × 2,340,000 × 70%
static_assert(2'340'000 * 45 / 1000 == 105'300);
static_assert(105'300 * 70 / 100 == kNearPoorPerMonth);

/// A folder of scenario files, removed afterwards.
class Folder {
public:
    Folder() {
        static int counter = 0;
        dir_ = fs::temp_directory_path() / ("subsim-merger-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    ~Folder() { fs::remove_all(dir_); }
    void write(const std::string& name, const std::string& text) const { std::ofstream(dir_ / name) << text; }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    Scenario load(const std::string& yaml) const {
        write("scenario.yaml", yaml);
        return load_scenario(path("scenario.yaml"), LoadOptions{dir_.string(), 1});
    }

private:
    fs::path dir_;
};

constexpr const char* kHeader = R"(scenario:
  id: toy
  title: {vi: "Thử", en: "Toy"}
  years: {from: 2025, to: 2025}
  provenance: "unit test"
parameters:
  base_salary:
    - {from: 2024-07-01, value: 2340000, reference: "NĐ 73/2024/NĐ-CP", confidence: high}
  contribution_rate:
    - {from: 2014-07-01, value: 4.5%, reference: "NĐ 105/2014", confidence: high}
groups:
  - {id: near_poor, name: {vi: "Cận nghèo", en: "Near-poor"}}
rules:
  - id: near_poor_central
    label: {vi: "NSTW 70%", en: "Central 70%"}
    reference: "Law 51/2024 Art. 12 cl. 4 pt a"
    confidence: high
    groups: [near_poor]
    share: 70%
    payer: central
    from: 2018-12-01
)";

// Old commune A (district D1) was split between new communes X and Y; B (D2) went whole
// into Y. The crosswalk lists Y before X: the tie-break follows the scenario's order of
// the new units (X first), not the file's.
constexpr const char* kCrosswalk =
    "new_code,new_name,old_code,old_name,old_district,old_province,part\n"
    "Y,Xã Y,A,Xã A,Huyện D1,Tỉnh T,part\n"
    "Y,Xã Y,B,Xã B,Huyện D2,Tỉnh T,whole\n"
    "X,Xã X,A,Xã A,Huyện D1,Tỉnh T,part\n";

// ---------------------------------------------------------------- through the loader

TEST(MergerLoader, SplitCommuneOf1001PersonsCarriedByLargestRemainder) {
    // Cohorts keyed on the old communes, carried onto the scenario's new communes X, Y.
    // A: 1,001 near-poor, split 50/50: 1,001 × ½ = 500.5 each → floors 500 + 500 = 1,000;
    // the 1 person left goes to the larger remainder, and the two remainders are equal
    // (½ each): the tie goes to the earlier new unit in the scenario's order, X.
    //   X = 501, Y = 500 from A + 200 from B (whole) = 700; 501 + 700 = 1,201 = 1,001 + 200.
    Folder f;
    f.write("crosswalk.csv", kCrosswalk);
    f.write("old-cohorts.csv", "year,unit_code,group,persons\n2025,A,near_poor,1001\n2025,B,near_poor,200\n");
    f.write("population.csv", "year,unit_code,population\n2025,X,5000\n2025,Y,7000\n");
    const Scenario s = f.load(std::string(kHeader) + R"(units:
  - {code: "T", name: "Tỉnh T", level: province}
  - {code: "X", name: "Xã X", level: commune, parent: "T"}
  - {code: "Y", name: "Xã Y", level: commune, parent: "T"}
crosswalks:
  - {id: m, file: crosswalk.csv, division: {vi: "Xã cũ", en: "Old communes"}, scenario_units: [new],
     change: 2025-07-01, weights: equal, reference: "test", confidence: medium}
cohorts: {file: old-cohorts.csv, by: {crosswalk: m, level: old_commune}}
population: {file: population.csv}
)");
    std::map<std::string, std::int64_t> persons;
    for (const CohortRow& c : s.cohorts()) persons[s.units()[c.unit].code] += c.persons;
    ASSERT_EQ(persons.size(), 2u);
    EXPECT_EQ(persons["X"], 501);
    EXPECT_EQ(persons["Y"], 700);
    EXPECT_EQ(persons["X"] + persons["Y"], 1'001 + 200);
    // Both figures are marked as carried, and as resting on the equal-split assumption.
    ASSERT_EQ(s.data->carried.size(), 2u);
    for (const CarriedFigure& c : s.data->carried) {
        EXPECT_EQ(c.kind, CarriedFigure::Kind::cohort);
        EXPECT_TRUE(c.assumed);
        EXPECT_FALSE(c.at_change);
    }
    // The split is reported as an assumption by validate().
    bool warned = false;
    for (const Warning& w : validate(s)) warned = warned || w.message.en.find("1/2 of the old unit") != std::string::npos;
    EXPECT_TRUE(warned);
}

TEST(MergerLoader, DistrictTargetsCarriedAsPopulationWeightedMeans) {
    // Targets keyed on old districts: D1 = 90%, D2 = 96%. With populations keyed on the
    // old communes (A 4,000; B 2,000), the parts are A→X 2,000, A→Y 2,000, B→Y 2,000:
    //   X: 90% (all from D1);  Y: (2,000 × 90% + 2,000 × 96%) / 4,000 = 93%.
    Folder f;
    f.write("crosswalk.csv", kCrosswalk);
    f.write("cohorts.csv", "year,unit_code,group,persons\n2025,X,near_poor,1\n2025,Y,near_poor,1\n");
    f.write("old-population.csv", "year,unit_code,population\n2025,A,4000\n2025,B,2000\n");
    f.write("district-targets.csv", "year,unit_code,target_pct\n2025,Huyện D1,90\n2025,Huyện D2,96\n");
    const Scenario s = f.load(std::string(kHeader) + R"(units:
  - {code: "T", name: "Tỉnh T", level: province}
  - {code: "X", name: "Xã X", level: commune, parent: "T"}
  - {code: "Y", name: "Xã Y", level: commune, parent: "T"}
crosswalks:
  - {id: m, file: crosswalk.csv, division: {vi: "Xã cũ", en: "Old communes"}, scenario_units: [new],
     change: 2025-07-01, weights: equal, reference: "test", confidence: medium}
cohorts: {file: cohorts.csv}
population: {file: old-population.csv, by: {crosswalk: m, level: old_commune}}
targets: {file: district-targets.csv, by: {crosswalk: m, level: old_district}}
)");
    std::map<std::string, Decimal> target;
    for (const TargetRow& t : s.targets) target[s.units()[t.unit].code] = t.target;
    ASSERT_EQ(target.size(), 2u);
    EXPECT_EQ(target["X"], Decimal::parse("0.9").value());
    EXPECT_EQ(target["Y"], Decimal::parse("0.93").value());
    // Population: X = 2,000 (half of A), Y = 2,000 + 2,000 = 4,000.
    std::map<std::string, std::int64_t> population;
    for (const PopulationRow& p : s.population()) population[s.units()[p.unit].code] = p.persons;
    EXPECT_EQ(population["X"], 2'000);
    EXPECT_EQ(population["Y"], 4'000);
}

// ---------------------------------------------------------------- a year across a merger

/// Old communes A, B valid to 2025-06-30; new communes X, Y from 2025-07-01; province T all
/// year. A holds 1,001 near-poor, B 200.
constexpr const char* kStraddleUnits = R"(units:
  - {code: "T", name: "Tỉnh T", level: province}
  - {code: "D1", name: "Huyện D1", level: district, parent: "T", valid_to: 2025-06-30}
  - {code: "D2", name: "Huyện D2", level: district, parent: "T", valid_to: 2025-06-30}
  - {code: "A", name: "Xã A", level: commune, parent: "D1", valid_to: 2025-06-30}
  - {code: "B", name: "Xã B", level: commune, parent: "D2", valid_to: 2025-06-30}
  - {code: "X", name: "Xã X", level: commune, parent: "T", valid_from: 2025-07-01}
  - {code: "Y", name: "Xã Y", level: commune, parent: "T", valid_from: 2025-07-01}
crosswalks:
  - {id: m, file: crosswalk.csv, division: {vi: "Xã mới", en: "New communes"},
     scenario_units: [old_commune, old_district, new], change: 2025-07-01, weights: equal,
     reference: "test", confidence: medium}
cohorts: {file: cohorts.csv}
population: {file: population.csv}
targets: {file: targets.csv}
)";

class Straddle : public ::testing::Test {
protected:
    void SetUp() override {
        f_.write("crosswalk.csv", kCrosswalk);
        f_.write("cohorts.csv", "year,unit_code,group,persons\n2025,A,near_poor,1001\n2025,B,near_poor,200\n");
        f_.write("population.csv", "year,unit_code,population\n2025,A,4000\n2025,B,2000\n");
        f_.write("targets.csv", "year,unit_code,target_pct\n2025,D1,90\n2025,D2,96\n2025,T,92\n");
        s_ = f_.load(std::string(kHeader) + kStraddleUnits);
        (void)validate(s_);
        r_ = simulate(s_);
    }
    int unit(const char* code) const { return s_.find_unit(code); }
    Dong cost(const char* code, int quarter = -1) const {
        Dong sum = 0;
        for (const BudgetLine& l : r_.lines)
            if (l.unit == unit(code)) sum += quarter < 0 ? l.cost : l.quarter_cost[static_cast<std::size_t>(quarter)];
        return sum;
    }

    Folder f_;
    Scenario s_;
    Results r_;
};

TEST_F(Straddle, OldUnitsCostJanuaryToJuneAndNewUnitsJulyToDecember) {
    // Month by month, January–June (old communes):
    //   A: 1,001 × 73,710 = 73,783,710 a month; × 6 = 442,702,260
    //   B:   200 × 73,710 = 14,742,000 a month; × 6 =  88,452,000
    // July–December (new communes, persons carried on 2025-07-01: X 501, Y 500 + 200 = 700):
    //   X:   501 × 73,710 = 36,928,710 a month; × 6 = 221,572,260
    //   Y:   700 × 73,710 = 51,597,000 a month; × 6 = 309,582,000
    EXPECT_EQ(cost("A"), 442'702'260);
    EXPECT_EQ(cost("B"), 88'452'000);
    EXPECT_EQ(cost("X"), 221'572'260);
    EXPECT_EQ(cost("Y"), 309'582'000);
    static_assert(1'001 * kNearPoorPerMonth * 6 == 442'702'260);
    static_assert(501 * kNearPoorPerMonth * 6 == 221'572'260);
    static_assert(700 * kNearPoorPerMonth * 6 == 309'582'000);
    // Nobody counted twice or lost: H2 = H1 = 1,201 × 73,710 × 6 = 531,154,260, and the
    // year's provincial total is the two halves: 1,062,308,520.
    EXPECT_EQ(cost("X") + cost("Y"), cost("A") + cost("B"));
    Dong year = 0;
    for (const YearPayerTotal& t : totals_by_year_payer(r_))
        if (t.year == 2025 && t.payer < 0) year = t.cost;
    EXPECT_EQ(year, 1'062'308'520);
    EXPECT_EQ(cost("A") + cost("B") + cost("X") + cost("Y"), year);
    // Quarters: the old communes are paid in Q1–Q2 only, the new ones in Q3–Q4.
    EXPECT_EQ(cost("A", 2) + cost("A", 3) + cost("B", 2) + cost("B", 3), 0);
    EXPECT_EQ(cost("X", 0) + cost("X", 1) + cost("Y", 0) + cost("Y", 1), 0);
    EXPECT_EQ(cost("A", 0), 3 * 73'783'710);
    EXPECT_EQ(cost("X", 3), 3 * 36'928'710);
}

TEST_F(Straddle, CoverageOfEachUnitOverItsMonthsAndOfTheProvinceOverTheYear) {
    // Population carried on 2025-07-01: A 4,000 → X 2,000 + Y 2,000; B 2,000 → Y:
    // X 2,000, Y 4,000. The province (no row of its own) counts each child for its months:
    // (4,000 × 6 + 2,000 × 6 [districts] + 2,000 × 6 + 4,000 × 6 [new communes]) / 12 = 6,000.
    // Insured: A averages 1,001 over its 6 months; the province 1,201 over its 12.
    // Targets: D1 90%, D2 96% for 2025; the new communes get the population-weighted mean
    // of their parts' targets (A's is its district's): X 90%, Y (2,000 × 90% + 2,000 × 96%)
    // / 4,000 = 93%.
    bool saw_a = false, saw_t = false, saw_y = false;
    for (const CoverageRow& c : r_.coverage) {
        if (c.unit == unit("A")) {
            saw_a = true;
            EXPECT_EQ(c.months, 6);
            EXPECT_EQ(c.population, 4'000);
            EXPECT_EQ(c.enrolled, headcount_of_persons(1'001));
        }
        if (c.unit == unit("T")) {
            saw_t = true;
            EXPECT_EQ(c.months, 12);
            EXPECT_EQ(c.population, 6'000);
            EXPECT_EQ(c.enrolled, headcount_of_persons(1'201));
        }
        if (c.unit == unit("Y")) {
            saw_y = true;
            EXPECT_EQ(c.population, 4'000);
            EXPECT_EQ(c.enrolled, headcount_of_persons(700));
            ASSERT_TRUE(c.target.has_value());
            EXPECT_EQ(*c.target, Decimal::parse("0.93").value());
        }
    }
    EXPECT_TRUE(saw_a && saw_t && saw_y);
    // The persons carried on the change date are listed as carried.
    std::int64_t carried = 0;
    int figures = 0;
    for (const CarriedFigure& c : r_.carried)
        if (c.kind == CarriedFigure::Kind::cohort && c.at_change) {
            carried += c.persons;
            ++figures;
        }
    EXPECT_EQ(figures, 2);
    EXPECT_EQ(carried, headcount_of_persons(1'201));
}

TEST_F(Straddle, ByOldDistrictIsTheSumOfItsParts) {
    // D1: January–June A (442,702,260); July–December the part of X and Y that came
    // from A. X came wholly from A: 221,572,260. Y's 309,582,000 is apportioned by the
    // persons each part brought on 2025-07-01 (population: A→Y 2,000, B→Y 2,000): half
    // each, 154,791,000. D1 = 442,702,260 + 221,572,260 + 154,791,000 = 819,065,520.
    // D2 = 88,452,000 + 154,791,000 = 243,243,000. D1 + D2 = 1,062,308,520, the year.
    auto division = resolve_division(s_, "old-district");
    ASSERT_TRUE(std::holds_alternative<DivisionSpec>(division));
    const DivisionTables t = build_division_tables(r_, std::get<DivisionSpec>(division));
    ASSERT_EQ(t.units.size(), 2u);
    EXPECT_EQ(t.units[0].code, "D1");
    EXPECT_EQ(t.units[1].code, "D2");
    std::map<int, Dong> by_unit;
    int rows = 0;
    for (const auto& b : t.budget) {
        by_unit[b.unit] += b.cost;
        ++rows;
    }
    ASSERT_GT(rows, 0);
    EXPECT_EQ(by_unit[0], 819'065'520);
    EXPECT_EQ(by_unit[1], 243'243'000);
    EXPECT_EQ(by_unit[0] + by_unit[1], 1'062'308'520);
    // Coverage across the change: D1's population is 4,000 all year (A's 4,000 for six
    // months, then X's 2,000 + the 2,000 of Y that came from A). Insured person-months:
    // A 1,001 × 6 = 6,006; X 501 × 6 = 3,006; Y's 700 × 6 = 4,200 split 2,100 / 2,100 by
    // the parts' persons; D1 = (6,006 + 3,006 + 2,100) / 12 = 11,112 / 12 = 926.
    int d1_rows = 0;
    for (const auto& c : t.coverage) {
        if (c.unit != 0) continue;
        ++d1_rows;
        EXPECT_EQ(c.population, 4'000);
        EXPECT_EQ(c.enrolled, headcount_of_persons(926));
        ASSERT_TRUE(c.target.has_value());
        EXPECT_EQ(*c.target, Decimal::parse("0.9").value());
        EXPECT_TRUE(c.apportioned);
    }
    EXPECT_EQ(d1_rows, 1);  // 2025 only
    // The notes say how split units were apportioned.
    ASSERT_FALSE(t.notes.empty());
    EXPECT_NE(t.notes.front().en.find("persons each part brought on 2025-07-01"), std::string::npos);
}

TEST_F(Straddle, TheReportFolderHasTheDivisionAndEveryCarriedFigure) {
    // Through write_reports (the same writer the command line streams years into):
    // budget_by_old_district.csv's whole-period totals are D1 819,065,520 and D2
    // 243,243,000 (worked out above); provenance.csv lists the persons carried on
    // 2025-07-01: X 501, Y 700 near-poor (plus populations and targets).
    ReportOptions o;
    o.lang = Lang::en;
    o.by.push_back(std::get<DivisionSpec>(resolve_division(s_, "old_district")));
    const std::string dir = f_.path("reports");
    fs::create_directories(dir);
    write_reports(dir, r_, o);
    std::ifstream budget(fs::path(dir) / "budget_by_old_district.csv");
    // Rows end "…,payer,payer_label,cost_vnd,apportioned_vnd": the cost is the second field
    // from the right (names before it may hold quoted commas).
    std::map<std::string, std::string> period;  // unit code → whole-period total
    std::string line;
    while (std::getline(budget, line)) {
        if (line.rfind("all,", 0) != 0 || line.find(",total,") == std::string::npos) continue;
        const std::size_t last = line.rfind(','), before = line.rfind(',', last - 1);
        period[line.substr(4, line.find(',', 4) - 4)] = line.substr(before + 1, last - before - 1);
    }
    ASSERT_EQ(period.size(), 2u);
    EXPECT_EQ(period["D1"], "819065520");
    EXPECT_EQ(period["D2"], "243243000");
    std::ifstream provenance(fs::path(dir) / "provenance.csv");
    std::map<std::string, std::string> carried;  // id → value
    while (std::getline(provenance, line))
        if (line.rfind("carried_cohort,", 0) == 0) {
            const std::string id = line.substr(15, line.find(',', 15) - 15);
            carried[id] = line.substr(line.find("2025-07-01,") + 11, line.find(',', line.find("2025-07-01,") + 11) - line.find("2025-07-01,") - 11);
        }
    ASSERT_EQ(carried.size(), 2u);
    EXPECT_EQ(carried["X:near_poor"], "501.00");
    EXPECT_EQ(carried["Y:near_poor"], "700.00");
}

std::string file_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST_F(Straddle, DivisionsAndCrosswalkSettingsInWordsInEveryReport) {
    // `--by old_district`: summary.md, report.html and the workbook's sheet call it by its
    // level in words, not by the id old_district (which stays in the file names); the
    // crosswalk's weights and the scenario's levels are words too, as are the kinds of
    // carried figure (with provenance.csv's id) and the dates in the notes.
    struct Expected {
        Lang lang;
        std::string heading, page_heading, sheet, crosswalk, carried, note;
    };
    const std::vector<Expected> cases{
        {Lang::vi, "### Tổng hợp theo đơn vị cấp huyện cũ\n", "<h2>Tổng hợp theo đơn vị cấp huyện cũ: kinh phí, tỷ lệ bao phủ",
         "Theo đơn vị cấp huyện cũ",
         "; tỷ trọng: chia đều phần bị tách (giả định); đơn vị của kịch bản: đơn vị cấp xã cũ, đơn vị cấp huyện cũ, "
         "đơn vị hành chính mới. Căn cứ: test",
         "\n- số người theo nhóm (cohort): 2 số liệu chuyển vào ngày đổi đơn vị theo bảng m ",
         "được phân bổ theo số người mỗi phần mang sang ngày 01/07/2025\n"},
        {Lang::en, "### Broken down by former districts\n", "<h2>Broken down by former districts: budget, coverage",
         "By former districts",
         "; weights: equal parts of a split unit (an assumption); the scenario's units: former communes, former districts, "
         "new units. Source: test",
         "\n- persons by group (cohort): 2 figures carried on the change date with crosswalk m ",
         "apportioned by the persons each part brought on 2025-07-01\n"}};
    for (const Expected& e : cases) {
        ReportOptions o;
        o.lang = e.lang;
        o.by.push_back(std::get<DivisionSpec>(resolve_division(s_, "old_district")));
        const fs::path dir = f_.path(e.lang == Lang::vi ? "vi" : "en");
        fs::create_directories(dir);
        write_reports(dir, r_, o);
        const std::string md = file_text(dir / "summary.md"), html = file_text(dir / "report.html");
        EXPECT_NE(md.find(e.heading), std::string::npos) << md;
        EXPECT_NE(md.find(e.crosswalk), std::string::npos) << md;
        EXPECT_NE(md.find(e.carried), std::string::npos) << md;
        EXPECT_NE(md.find(e.note), std::string::npos) << md;
        EXPECT_NE(md.find("budget_by_old_district.csv"), std::string::npos) << "file names keep the id";
        EXPECT_EQ(md.find("theo old_district"), std::string::npos);
        EXPECT_EQ(md.find("by old_district"), std::string::npos);
        EXPECT_EQ(md.find(": equal;"), std::string::npos);
        EXPECT_NE(html.find(e.page_heading), std::string::npos);
        const std::vector<std::string> sheets = testing::Workbook((dir / "report.xlsx").string()).sheet_names();
        EXPECT_NE(std::find(sheets.begin(), sheets.end(), e.sheet), sheets.end()) << e.sheet;
        for (const std::string& name : sheets) EXPECT_EQ(name.find("old_district"), std::string::npos) << name;
    }
}

TEST(MergerDivisions, NewUnitsAggregatedByAnAttributeAndOnEqualShares) {
    // Scenario units are the new communes only (like ninh-binh-2026). X has 300 near-poor,
    // Y 101: a year at 73,710 a person-month: X 300 × 73,710 × 12 = 265,356,000;
    // Y 101 × 73,710 × 12 = 89,336,520.
    // By old district, with no population of the old communes: X came wholly from A (D1);
    // Y from half of A (D1) and all of B (D2). The back weights take A and B as of equal
    // size: ½ of A : 1 B = 1 : 2, so Y goes ⅓ to D1 and ⅔ to D2:
    //   89,336,520 / 3 = 29,778,840 exactly; D1 = 265,356,000 + 29,778,840 = 295,134,840;
    //   D2 = 59,557,680. Σ = 354,692,520 = 265,356,000 + 89,336,520.
    Folder f;
    f.write("crosswalk.csv", kCrosswalk);
    f.write("cohorts.csv", "year,unit_code,group,persons\n2025,X,near_poor,300\n2025,Y,near_poor,101\n");
    f.write("population.csv", "year,unit_code,population\n2025,X,1000\n2025,Y,1000\n");
    const Scenario s = f.load(std::string(kHeader) + R"(units:
  - {code: "T", name: "Tỉnh T", level: province}
  - {code: "X", name: "Xã X", level: commune, parent: "T", attributes: {zone: north}}
  - {code: "Y", name: "Xã Y", level: commune, parent: "T", attributes: {zone: north}}
crosswalks:
  - {id: m, file: crosswalk.csv, division: {vi: "Xã cũ", en: "Old communes"}, scenario_units: [new],
     change: 2025-07-01, weights: equal, reference: "test", confidence: medium}
cohorts: {file: cohorts.csv}
population: {file: population.csv}
)");
    static_assert(300 * kNearPoorPerMonth * 12 == 265'356'000);
    static_assert(101 * kNearPoorPerMonth * 12 == 89'336'520);
    const Results r = simulate(s);
    auto division = resolve_division(s, "old_district");
    ASSERT_TRUE(std::holds_alternative<DivisionSpec>(division));
    const DivisionTables t = build_division_tables(r, std::get<DivisionSpec>(division));
    std::map<std::string, Dong> cost;
    for (const auto& b : t.budget) cost[t.units[b.unit].code] += b.cost;
    ASSERT_EQ(cost.size(), 2u);
    EXPECT_EQ(cost["Huyện D1"], 295'134'840);
    EXPECT_EQ(cost["Huyện D2"], 59'557'680);
    EXPECT_TRUE(t.assumed);  // equal-size old communes, and A split in equal parts
    // By an attribute: both communes are "north": the whole year's cost.
    auto zone = resolve_division(s, "zone");
    ASSERT_TRUE(std::holds_alternative<DivisionSpec>(zone));
    const DivisionTables z = build_division_tables(r, std::get<DivisionSpec>(zone));
    ASSERT_EQ(z.units.size(), 1u);
    Dong north = 0;
    for (const auto& b : z.budget) north += b.cost;
    EXPECT_EQ(north, 354'692'520);
    // A name that is neither a level nor an attribute is refused, in both languages.
    auto bad = resolve_division(s, "old-distrikt");
    ASSERT_TRUE(std::holds_alternative<Text>(bad));
    EXPECT_NE(std::get<Text>(bad).en.find("old-distrikt"), std::string::npos);
    EXPECT_FALSE(std::get<Text>(bad).vi.empty());
}

// By an attribute only some communes have (the fixture: A's poor_commune is false, B has
// none): B's figures go to a row named as having no value, not "outside the crosswalk".
// B's near-poor in 2026: 20 × 920,430 central = 18,408,600 and 20 × 394,470 province = 7,889,400.
TEST(AttributeDivision, UnitsWithoutTheAttributeHaveNoValueNotNoCrosswalk) {
    const Scenario s = subsim::testing::small_scenario();
    const Results r = simulate(s);
    auto division = resolve_division(s, "poor_commune");
    ASSERT_TRUE(std::holds_alternative<DivisionSpec>(division));
    const DivisionTables t = build_division_tables(r, std::get<DivisionSpec>(division));
    ASSERT_EQ(t.units.size(), 2u);
    EXPECT_EQ(t.units[0].code, "false");
    EXPECT_EQ(t.units[1].code, "");
    EXPECT_EQ(t.units[1].name, "không có giá trị / no value");
    Dong none = 0;
    for (const auto& b : t.budget)
        if (b.unit == 1 && b.year == 2026) none += b.cost;
    EXPECT_EQ(none, 18'408'600 + 7'889'400);
}

// ---------------------------------------------------------------- the command line

int run_subsim(const std::string& args) {
    const int status = std::system((std::string("'") + SUBSIM_BINARY + "' " + args + " >/dev/null 2>&1").c_str());
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(MergerCli, ByWritesTheDivisionTablesAndRefusesAnUnknownDivision) {
    Folder f;
    const std::string scenario = std::string(SUBSIM_SOURCE_DIR) + "/scenarios/lao-cai-2024-2025/scenario.yaml";
    const std::string out = f.path("out");
    EXPECT_EQ(run_subsim("run '" + scenario + "' --by old-district --by new --out '" + out + "'"), 0);
    for (const char* file : {"budget_by_old_district.csv", "coverage_by_old_district.csv", "budget_by_new.csv",
                             "coverage_by_new.csv", "report.xlsx", "report.html", "run.json"})
        EXPECT_TRUE(fs::exists(fs::path(out) / file)) << file;
    // Neither a crosswalk level nor an attribute: a usage error, exit 2, nothing written.
    const std::string out2 = f.path("out2");
    EXPECT_EQ(run_subsim("run '" + scenario + "' --by old-distrikt --out '" + out2 + "'"), 2);
    EXPECT_FALSE(fs::exists(out2));
}

}  // namespace
}  // namespace subsim
