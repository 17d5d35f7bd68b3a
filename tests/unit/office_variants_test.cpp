// report.xlsx and report.html of `subsim compare` and `subsim sensitivity`, read back
// with the small ZIP reader: the sheets in both languages, totals that are the CSV's,
// hostile unit names kept as text and escaped, no script on the pages.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "subsim/core/executor.hpp"
#include "subsim/engine.hpp"
#include "subsim/mc/sensitivity.hpp"
#include "subsim/report/compare_reports.hpp"
#include "subsim/report/sensitivity_reports.hpp"
#include "subsim/variant/compare.hpp"
#include "xlsx_reader.hpp"

namespace subsim {
namespace {

namespace fs = std::filesystem;
using testing::Workbook;

const std::string kDir = SUBSIM_SOURCE_DIR "/scenarios/ninh-binh-2026/";

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> cells;
    std::istringstream in(line);
    std::string cell;
    while (std::getline(in, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    return cells;
}

/// The CSV's rows (header dropped) split at commas (the files read here quote nothing).
std::vector<std::vector<std::string>> csv_rows(const fs::path& p) {
    std::istringstream in(read_text(p));
    std::string line;
    std::getline(in, line);
    std::vector<std::vector<std::string>> rows;
    while (std::getline(in, line)) rows.push_back(split(line));
    return rows;
}

class OfficeVariants : public ::testing::Test {
protected:
    void TearDown() override { fs::remove_all(dir); }
    fs::path folder(const std::string& name) {
        const fs::path p = dir / name;
        fs::create_directories(p);
        return p;
    }
    fs::path dir = fs::temp_directory_path() / ("subsim-office-variants-" + std::to_string(::getpid()));
};

std::shared_ptr<const Scenario> load(const std::string& relative) {
    return std::make_shared<const Scenario>(load_scenario(kDir + relative));
}

TEST_F(OfficeVariants, CompareWorkbookSheetsAndWholePeriodDifference) {
    const Comparison c = compare(load("scenario.yaml"), {load("variants/aged-70-74-half.yaml")}, Executor(2));
    const fs::path vi = folder("vi"), en = folder("en");
    write_compare_reports(vi, c, ReportOptions{Lang::vi, "9.9.9", "2026-07-01T00:00:00Z"});
    write_compare_reports(en, c, ReportOptions{Lang::en, "9.9.9", "2026-07-01T00:00:00Z"});
    const Workbook wb_vi((vi / "report.xlsx").string()), wb_en((en / "report.xlsx").string());
    EXPECT_EQ(wb_vi.sheet_names(), (std::vector<std::string>{"Theo năm và nguồn", "Theo chính sách", "Theo xã",
                                                             "Cộng dần từng điểm", "Thay đổi hỗ trợ", "Bao phủ"}));
    EXPECT_EQ(wb_en.sheet_names(), (std::vector<std::string>{"By year and payer", "By policy point", "By commune",
                                                             "Stacked provisions", "Support changes", "Coverage"}));
    // The CSV's whole-period total row: all,total,…,base,variant,diff,pct.
    std::vector<std::string> total;
    for (const auto& row : csv_rows(vi / "compare_by_year_payer.csv"))
        if (row.size() == 8 && row[0] == "all" && row[1] == "total") total = row;
    ASSERT_EQ(total.size(), 8u);
    const long long base = std::stoll(total[4]), variant = std::stoll(total[5]), diff = std::stoll(total[6]);
    EXPECT_EQ(diff, variant - base);
    EXPECT_LT(diff, 0) << "the province pays half for the aged 70–74 from 2027: the variant costs less";
    // The same row in the workbook: column A "Cả giai đoạn", B "total", E..G sums caching the CSV's figures.
    int found = 0;
    for (int r = 1; r < 200; ++r) {
        const std::string n = std::to_string(r);
        if (wb_vi.cell(0, "A" + n).value != "Cả giai đoạn" || wb_vi.cell(0, "B" + n).value != "total") continue;
        ++found;
        const Workbook::Cell e = wb_vi.cell(0, "E" + n), f = wb_vi.cell(0, "F" + n), g = wb_vi.cell(0, "G" + n);
        EXPECT_EQ(std::stoll(e.value), base);
        EXPECT_EQ(std::stoll(f.value), variant);
        EXPECT_EQ(std::stoll(g.value), diff);
        EXPECT_EQ(g.formula.rfind("SUM(", 0), 0u) << g.formula;
    }
    EXPECT_EQ(found, 1);
    // The page: the same figure as <data>, charts, no script.
    const std::string html = read_text(vi / "report.html");
    EXPECT_NE(html.find("<data value=\"" + total[6] + "\">"), std::string::npos);
    EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    // run.json lists both.
    const std::string run = read_text(vi / "run.json");
    EXPECT_NE(run.find("\"report.html\""), std::string::npos);
    EXPECT_NE(run.find("\"report.xlsx\""), std::string::npos);
}

// The three long tables are summarised in the workbook (the CSVs keep every row):
// "By commune" holds per commune the difference over the period (per payer and in all)
// and per year; "Support changes" sums support_changes.csv over communes; "Coverage" puts
// the scenarios' coverage side by side. Each figure is checked against the CSVs here.
TEST_F(OfficeVariants, CompareWorkbookSummarisesTheLongTablesFromTheirCsvs) {
    const Comparison c = compare(load("scenario.yaml"), {load("variants/aged-70-74-half.yaml")}, Executor(2));
    const fs::path out = folder("sheets");
    write_compare_reports(out, c, ReportOptions{Lang::en, "9.9.9", "2026-07-01T00:00:00Z"});
    const Workbook wb((out / "report.xlsx").string());
    const auto header_row = [&](std::size_t sheet, const std::string& first) {
        for (int r = 1; r < 20; ++r)
            if (wb.cell(sheet, "A" + std::to_string(r)).value == first) return r;
        return -1;
    };

    // By commune (sheet 2): A variant, B code, C name, D.. the payers over the period, then
    // their total, then 2026..2030. Columns here: central, province, commune, total (G), 2026 (H) .. 2030 (L).
    const int h = header_row(2, "Variant");
    ASSERT_GT(h, 0);
    EXPECT_EQ(wb.cell(2, "D" + std::to_string(h)).value, "Difference over the period: Central budget (đồng)");
    EXPECT_EQ(wb.cell(2, "G" + std::to_string(h)).value, "Difference over the period: Total (đồng)");
    EXPECT_EQ(wb.cell(2, "I" + std::to_string(h)).value, "Difference in 2027, all payers (đồng)");
    // Xã Yên Mạc (14743): its 2027 difference is the CSV's (2027, 14743, total) diff_vnd,
    // its whole-period difference the sum of the CSV's five total rows.
    long long csv_2027 = 0, csv_period = 0;
    int csv_rows_seen = 0;
    for (const auto& row : csv_rows(out / "compare_by_unit.csv"))
        if (row.size() == 9 && row[1] == "14743" && row[3] == "total") {
            csv_period += std::stoll(row[7]);
            if (row[0] == "2027") csv_2027 = std::stoll(row[7]);
            ++csv_rows_seen;
        }
    EXPECT_EQ(csv_rows_seen, 5);
    EXPECT_LT(csv_2027, 0) << "the province pays half for the aged 70–74 from 2027";
    int found = 0, total_row = -1;
    for (int r = h + 1; r < h + 400; ++r) {
        const std::string n = std::to_string(r);
        if (wb.cell(2, "B" + n).value == "14743") {
            ++found;
            EXPECT_EQ(std::stoll(wb.cell(2, "I" + n).value), csv_2027);
            EXPECT_EQ(std::stoll(wb.cell(2, "G" + n).value), csv_period);
            EXPECT_EQ(std::stoll(wb.cell(2, "H" + n).value), 0) << "nothing changes in 2026";
        }
        if (wb.cell(2, "C" + n).value == "Total") total_row = r;
    }
    EXPECT_EQ(found, 1);
    ASSERT_GT(total_row, 0);
    // The variant's total row: SUM of its communes, equal to the whole-period total
    // difference of compare_by_year_payer.csv (every đồng is costed in some commune).
    long long period_diff = 0;
    for (const auto& row : csv_rows(out / "compare_by_year_payer.csv"))
        if (row.size() == 8 && row[0] == "all" && row[1] == "total") period_diff = std::stoll(row[6]);
    const Workbook::Cell g = wb.cell(2, "G" + std::to_string(total_row));
    EXPECT_EQ(std::stoll(g.value), period_diff);
    EXPECT_EQ(g.formula.rfind("SUM(", 0), 0u) << g.formula;
    EXPECT_NE(period_diff, 0);

    // Support changes (sheet 4): the units column counts the CSV's rows, and the
    // differences (last column, M) add up to the CSV's.
    const int hs = header_row(4, "Variant");
    ASSERT_GT(hs, 0);
    EXPECT_EQ(wb.cell(4, "H" + std::to_string(hs)).value, "Units");
    long long csv_diff = 0, csv_count = 0;
    for (const auto& row : csv_rows(out / "support_changes.csv")) {
        csv_diff += std::stoll(row.back());
        ++csv_count;
    }
    long long sheet_diff = 0, sheet_units = 0;
    int sheet_rows = 0;
    for (int r = hs + 1; !wb.cell(4, "A" + std::to_string(r)).value.empty(); ++r) {
        sheet_units += std::stoll(wb.cell(4, "H" + std::to_string(r)).value);
        sheet_diff += std::stoll(wb.cell(4, "M" + std::to_string(r)).value);
        ++sheet_rows;
    }
    EXPECT_GT(sheet_rows, 0);
    EXPECT_LT(sheet_rows, csv_count) << "summed over communes";
    EXPECT_EQ(sheet_units, csv_count);
    EXPECT_EQ(sheet_diff, csv_diff);

    // Coverage (sheet 5): one row per year and unit, F the baseline's coverage and G the
    // variant's, as fractions of one (the CSV's percentage / 100).
    const int hc = header_row(5, "Year");
    ASSERT_GT(hc, 0);
    EXPECT_EQ(wb.cell(5, "G" + std::to_string(hc)).value, "Coverage (%): ninh-binh-2026-aged-70-74-half");
    int checked = 0;
    for (const auto& row : csv_rows(out / "compare_coverage.csv")) {
        if (row.size() != 9 || row[1] != "14743" || row[0] != "2030") continue;
        const int column = row[3] == "ninh-binh-2026" ? 0 : 1;
        for (int r = hc + 1; r < hc + 800; ++r) {
            const std::string n = std::to_string(r);
            if (wb.cell(5, "A" + n).value != "2030" || wb.cell(5, "B" + n).value != "14743") continue;
            EXPECT_NEAR(std::stod(wb.cell(5, std::string(column == 0 ? "F" : "G") + n).value), std::stod(row[6]) / 100.0, 1e-12);
            ++checked;
        }
    }
    EXPECT_EQ(checked, 2);
}

TEST_F(OfficeVariants, CompareSheetsShowPayersByNameAndTheCsvsByIdInBothLanguages) {
    // Agri-average +20%: its support is central 30% + province 70%. "Support changes"
    // shows the payers of a row by name, joined with " + "; "Stacked provisions" shows
    // each payer's name and the total row as a total, under the heading of a name. The
    // CSVs keep the ids ("central+province", "total").
    const Comparison c = compare(load("scenario.yaml"), {load("variants/agri-average-plus-20.yaml")}, Executor(2));
    struct Expected {
        Lang lang;
        std::string both, province, total, heading;
    };
    for (const Expected& e : {Expected{Lang::vi, "Ngân sách trung ương + Ngân sách tỉnh", "Ngân sách tỉnh", "Tổng", "Ngân sách"},
                              Expected{Lang::en, "Central budget + Provincial budget", "Provincial budget", "Total", "Budget"}}) {
        const fs::path out = folder(e.lang == Lang::vi ? "payers-vi" : "payers-en");
        write_compare_reports(out, c, ReportOptions{e.lang, "9.9.9", "2026-07-01T00:00:00Z"});
        const Workbook wb((out / "report.xlsx").string());
        // Support changes (sheet 4): the agri-average rows, F and G (baseline, variant payers).
        int agri = 0, province = 0;
        for (int r = 1; r < 200; ++r) {
            const std::string n = std::to_string(r), group = wb.cell(4, "C" + n).value;
            const std::string before = wb.cell(4, "F" + n).value, after = wb.cell(4, "G" + n).value;
            if (group == "agri_average") {
                ++agri;
                EXPECT_EQ(before, e.both);
                EXPECT_EQ(after, e.both);
            } else if (group == "aged_70_74") {
                ++province;
                EXPECT_EQ(before, e.province);
            }
            for (const std::string& id : {"central", "province", "commune", "central+province"}) {
                EXPECT_NE(before, id) << r;
                EXPECT_NE(after, id) << r;
            }
        }
        EXPECT_EQ(agri, 5) << "one row a year, summed over communes";
        EXPECT_EQ(province, 5);
        // Stacked provisions (sheet 3): F is the payer's name; the header row has "Budget".
        int header = -1, totals = 0, named = 0;
        for (int r = 1; r < 200; ++r) {
            const std::string f = wb.cell(3, "F" + std::to_string(r)).value;
            if (f == e.heading) header = r;
            if (f == e.total) ++totals;
            if (f == e.province) ++named;
            EXPECT_NE(f, "total");
            EXPECT_NE(f, "province");
        }
        EXPECT_GT(header, 0);
        EXPECT_EQ(totals, 6) << "a total per year and the whole period's";
        EXPECT_GT(named, 0);
        // The CSVs: ids (labels before them may hold quoted commas: look for the cell).
        const auto has = [](const std::vector<std::string>& row, const std::string& cell) {
            return std::find(row.begin(), row.end(), cell) != row.end();
        };
        int csv_both = 0, csv_total = 0;
        for (const auto& row : csv_rows(out / "support_changes.csv"))
            if (row[4] == "agri_average" && has(row, "central+province")) ++csv_both;
        for (const auto& row : csv_rows(out / "compare_stacked.csv"))
            if (has(row, "total")) ++csv_total;
        EXPECT_GT(csv_both, 100);
        EXPECT_EQ(csv_total, 6);
    }
}

TEST_F(OfficeVariants, CompareCoverageIsAPercentageOfThePopulation) {
    const Comparison c = compare(load("scenario.yaml"), {load("variants/aged-70-74-half.yaml")}, Executor(2));
    const fs::path out = folder("coverage");
    write_compare_reports(out, c, ReportOptions{Lang::en, "9.9.9", "2026-07-01T00:00:00Z"});
    // year,unit_code,unit_name,scenario,population,enrolled_persons,coverage_pct,target_pct,gap_persons:
    // coverage_pct = enrolled / population × 100, two decimals (e.g. 4,204,211.06 of 4,434,783 is 94.80).
    int checked = 0;
    for (const auto& row : csv_rows(out / "compare_coverage.csv")) {
        if (row.size() != 9 || row[6].empty()) continue;
        const double population = std::stod(row[4]), enrolled = std::stod(row[5]), pct = std::stod(row[6]);
        ASSERT_GT(population, 0);
        EXPECT_NEAR(pct, 100.0 * enrolled / population, 0.006) << row[0] << " " << row[1] << " " << row[3];
        EXPECT_LE(pct, 100.0);
        ++checked;
    }
    EXPECT_GT(checked, 100);
}

TEST_F(OfficeVariants, TheSummarysLargestCommuneChangesAreAmongTheUnitsInCommon) {
    // Variant (a) with Phường Nam Định (13669, its largest commune change) under another
    // code: compared with --allow-unit-changes, 13669 is only in the base and Z13669 only
    // in the variant. The summary ranked each at its whole cost (a "change" of the full
    // amount) although compare_by_unit.csv compares the units in common only.
    const auto half = load("variants/aged-70-74-half.yaml");
    Scenario renamed = *half;
    ScenarioData& data = renamed.data_mut();  // a copy: the base keeps its codes
    const int u = renamed.find_unit("13669");
    ASSERT_GE(u, 0);
    data.units[static_cast<std::size_t>(u)].code = "Z13669";
    const Comparison c = compare(load("scenario.yaml"), {std::make_shared<const Scenario>(renamed)}, Executor(2),
                                 CompareOptions{true});
    const fs::path out = folder("renamed");
    write_compare_reports(out, c, ReportOptions{Lang::en, "9.9.9", "2026-07-01T00:00:00Z"});
    const std::string summary = read_text(out / "summary.md");
    const std::size_t table = summary.find("The communes that change most");
    ASSERT_NE(table, std::string::npos) << summary;
    const std::string ranked = summary.substr(table, summary.find("\n\n", summary.find("|---", table)) - table);
    EXPECT_EQ(ranked.find("13669"), std::string::npos) << ranked;
    EXPECT_NE(ranked.find("| 14329 Phường Hoa Lư |"), std::string::npos) << ranked;
    // The totals are each scenario's own; the summary says how much of the difference the
    // two unmatched units make, and what is left on the units in common is the sum of
    // compare_by_unit.csv's differences (which covers those units only).
    const std::string lead = "on the units in common the difference is ";
    const std::size_t at = summary.find(lead);
    ASSERT_NE(at, std::string::npos) << summary;
    EXPECT_NE(summary.find("1 units only in the variant (costing "), std::string::npos) << summary;
    EXPECT_NE(summary.find(" and 1 only in the baseline ("), std::string::npos) << summary;
    std::string digits;
    for (std::size_t i = at + lead.size(); i < summary.size() && summary[i] != ' '; ++i)
        if (summary[i] != ',') digits += summary[i];
    Dong common = 0;
    int rows = 0;
    for (const auto& row : csv_rows(out / "compare_by_unit.csv")) {
        if (row.size() != 9 || row[0] == "year" || row[0] == "all" || row[3] == "total") continue;
        EXPECT_NE(row[1], "13669");
        EXPECT_NE(row[1], "Z13669");
        common += std::stoll(row[7]);
        ++rows;
    }
    EXPECT_GT(rows, 100);
    EXPECT_EQ(std::stoll(digits), common) << summary.substr(at, 120);
    // Nobody gains or loses support in a unit only one of them has.
    for (const auto& row : csv_rows(out / "support_changes.csv")) {
        ASSERT_GE(row.size(), 3u);
        EXPECT_NE(row[2], "13669");
        EXPECT_NE(row[2], "Z13669");
    }
}

TEST_F(OfficeVariants, CompareKeepsHostileUnitNamesAsTextAndEscaped) {
    const auto loaded = load("scenario.yaml");
    Scenario hostile = *loaded;
    ScenarioData& data = hostile.data_mut();  // a copy
    for (std::size_t u = 0; u < data.units.size(); ++u)
        data.units[u].name = u % 2 == 0 ? "<script>alert(1)</script>" : "=HYPERLINK(\"http://x\")";
    const Comparison c = compare(std::make_shared<const Scenario>(hostile), {load("variants/aged-70-74-half.yaml")}, Executor(2));
    const fs::path out = folder("hostile");
    write_compare_reports(out, c, ReportOptions{Lang::en, "9.9.9", "2026-07-01T00:00:00Z"});
    const std::string html = read_text(out / "report.html");
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    const Workbook wb((out / "report.xlsx").string());
    // The commune sheet (2): column C holds unit names, the formula-like ones as text
    // cells, as written (no formula, no leading quote).
    int quoted = 0, scripts = 0;
    for (int r = 1; r < 400; ++r) {
        const Workbook::Cell name = wb.cell(2, "C" + std::to_string(r));
        EXPECT_TRUE(name.formula.empty()) << r;
        if (name.value == "=HYPERLINK(\"http://x\")" && name.type == "s") ++quoted;
        if (name.value == "<script>alert(1)</script>") ++scripts;
    }
    EXPECT_GT(quoted, 0);
    EXPECT_GT(scripts, 0);
    for (std::size_t k = 0; k < wb.sheet_names().size(); ++k)
        EXPECT_EQ(wb.sheet(k).find("HYPERLINK(&quot;http://x&quot;)</f>"), std::string::npos) << k;
}

TEST_F(OfficeVariants, SensitivityWorkbookCellsAreTheCsvValues) {
    const std::vector<Scenario> scenarios{load_scenario(kDir + "scenario.yaml")};
    ASSERT_FALSE(scenarios.front().uncertainty.empty());
    SensitivityOptions so;
    so.draws = 200;
    so.seed = 1;
    so.sobol_rows = 32;
    const SensitivityResult r = run_sensitivity(scenarios, Executor(2), so);
    const fs::path out = folder("sens");
    write_sensitivity_reports(out, r, scenarios.front(), ReportOptions{Lang::en, "9.9.9", "2026-07-01T00:00:00Z"});
    const Workbook wb((out / "report.xlsx").string());
    EXPECT_EQ(wb.sheet_names(), (std::vector<std::string>{"Cost percentiles", "Tornado", "Sobol indices", "Range by commune"}));
    // Sheet 0 holds cost_distribution.csv row by row below its heading row (column A "Year").
    int header = 0;
    for (int k = 1; k < 20 && header == 0; ++k)
        if (wb.cell(0, "A" + std::to_string(k)).value == "Year") header = k;
    ASSERT_GT(header, 0);
    const auto rows = csv_rows(out / "cost_distribution.csv");
    ASSERT_FALSE(rows.empty());
    int checked = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string n = std::to_string(header + 1 + static_cast<int>(i));
        ASSERT_EQ(rows[i].size(), 10u);
        if (rows[i][0] != "all") EXPECT_EQ(wb.cell(0, "A" + n).value, rows[i][0]);
        if (rows[i][1] == "total") EXPECT_EQ(wb.cell(0, "B" + n).value, "Total");
        for (int col = 2; col < 10; ++col) {
            const std::string ref = std::string(1, static_cast<char>('A' + col)) + n;
            EXPECT_EQ(std::stoll(wb.cell(0, ref).value), std::stoll(rows[i][static_cast<std::size_t>(col)])) << ref;
            ++checked;
        }
    }
    EXPECT_EQ(checked, static_cast<int>(rows.size()) * 8);
    // The tornado sheet (1): the swing of its first row is tornado.csv's.
    const auto tornado = csv_rows(out / "tornado.csv");
    ASSERT_FALSE(tornado.empty());
    EXPECT_EQ(std::stoll(wb.cell(1, "H" + std::to_string(header + 1)).value), std::stoll(tornado.front()[7]));
    const std::string html = read_text(out / "report.html");
    EXPECT_NE(html.find("id=\"fan-chart\""), std::string::npos);
    EXPECT_NE(html.find("<polygon"), std::string::npos);
    EXPECT_NE(html.find("id=\"tornado-chart\""), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace subsim
