// report.xlsx on the hand-made case of office_fixture.hpp, read back with a small ZIP
// reader (no LibreOffice here: tests/e2e/office_test.cpp recalculates real workbooks).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "office_fixture.hpp"
#include "report/office_xlsx.hpp"
#include "subsim/i18n/i18n.hpp"
#include "subsim/report/reports.hpp"
#include "xlsx_reader.hpp"

namespace subsim {
namespace {

using namespace office_fixture;  // NOLINT: test file
using testing::Workbook;

class XlsxReport : public ::testing::Test {
protected:
    void SetUp() override { options.as_of = Date{2026, 6, 30}; }
    void TearDown() override { std::filesystem::remove(path); }

    Workbook write() {
        write_xlsx_report(path, results, options);
        return Workbook(path.string());
    }

    Scenario scenario = make_scenario();
    Results results = make_results(scenario);
    ReportOptions options{Lang::vi, "9.9.9", "2026-07-01T00:00:00Z"};
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("subsim-xlsx-test-" + std::to_string(::getpid()) + ".xlsx");
};

constexpr std::size_t kForm = 0, kByYear = 2, kByUnit = 4;

TEST_F(XlsxReport, SheetsInVietnameseReconciliationFormFirst) {
    const Workbook wb = write();
    EXPECT_EQ(wb.sheet_names(),
              (std::vector<std::string>{"Đối chiếu BHXH", "Tổng quan", "Theo năm và nguồn", "Theo chính sách", "Theo xã",
                                        "Chuyển theo quý", "Chuyển theo quý - xã", "Ngân sách xã chi",
                                        "Bao phủ và chỉ tiêu", "Căn cứ và giả định"}));
}

TEST_F(XlsxReport, SheetsInEnglish) {
    options.lang = Lang::en;
    const Workbook wb = write();
    ASSERT_EQ(wb.sheet_names().size(), 10u);
    EXPECT_EQ(wb.sheet_names()[0], "Reconciliation");
    EXPECT_EQ(wb.sheet_names()[4], "By commune");
    EXPECT_EQ(wb.cell(kForm, "B8").value, "Near-poor household members — supported 100%");
}

TEST_F(XlsxReport, ReconciliationFormRowsAndSumFormulas) {
    // Title, four notes, a blank row: the heading is row 7, the rows 8–10, the total row 11.
    const Workbook wb = write();
    EXPECT_EQ(wb.cell(kForm, "B7").value, "Đối tượng do NSNN đóng, hỗ trợ đóng");
    EXPECT_EQ(wb.cell(kForm, "A8").value, "2026");
    EXPECT_EQ(wb.cell(kForm, "B8").value, "Người thuộc hộ cận nghèo — được hỗ trợ 100% mức đóng");
    EXPECT_EQ(wb.cell(kForm, "C8").value, "10");          // 120 person-months / 12 cards
    EXPECT_EQ(wb.cell(kForm, "D8").value, "12636000");    // due
    EXPECT_EQ(wb.cell(kForm, "E8").value, "0");           // participants
    EXPECT_EQ(wb.cell(kForm, "H8").value, "3790800");     // province
    EXPECT_EQ(wb.cell(kForm, "J8").value, "6318000");     // transferred (Q1, Q2)
    EXPECT_EQ(wb.cell(kForm, "B9").value, "Người thuộc hộ cận nghèo — được hỗ trợ một phần mức đóng");
    EXPECT_EQ(wb.cell(kForm, "E9").value, "1263600");     // 6,318,000 − 5,054,400
    EXPECT_EQ(wb.cell(kForm, "I9").value, "631800");      // commune
    EXPECT_EQ(wb.cell(kForm, "B10").value, "Trẻ em dưới 6 tuổi");
    // The total row: SUM formulas with the totals cached.
    EXPECT_EQ(wb.cell(kForm, "B11").value, "Tổng cộng Ninh Bình");
    const auto total = [&](const char* col, const char* cached) {
        const Workbook::Cell c = wb.cell(kForm, std::string(col) + "11");
        EXPECT_EQ(c.formula, "SUM(" + std::string(col) + "8:" + col + "10)") << col;
        EXPECT_EQ(c.value, cached) << col;
    };
    total("C", "17");
    total("D", "21481200");
    total("E", "1263600");
    total("F", "20217600");
    total("G", "15795000");
    total("H", "3790800");
    total("I", "631800");
    total("J", "10108800");
    total("K", "10108800");
    const std::string& xml = wb.sheet(kForm);
    EXPECT_NE(xml.find("<autoFilter ref=\"A7:K11\"/>"), std::string::npos);
    EXPECT_NE(xml.find("state=\"frozen\""), std::string::npos);
    EXPECT_NE(xml.find("ySplit=\"7\""), std::string::npos);
    EXPECT_NE(xml.find("<cols>"), std::string::npos) << "column widths";
}

TEST_F(XlsxReport, ByYearRowTotalsAndWholePeriod) {
    const Workbook wb = write();
    EXPECT_EQ(wb.cell(kByYear, "B4").value, "Ngân sách trung ương");
    EXPECT_EQ(wb.cell(kByYear, "A5").value, "2026");
    EXPECT_EQ(wb.cell(kByYear, "B5").value, "15795000");
    EXPECT_EQ(wb.cell(kByYear, "E5").formula, "SUM(B5:D5)");
    EXPECT_EQ(wb.cell(kByYear, "E5").value, "20217600");  // 15,795,000 + 3,790,800 + 631,800
    EXPECT_EQ(wb.cell(kByYear, "A6").value, "Cả giai đoạn");
    EXPECT_EQ(wb.cell(kByYear, "E6").formula, "SUM(E5:E5)");
    EXPECT_EQ(wb.cell(kByYear, "E6").value, "20217600");
}

TEST_F(XlsxReport, ByUnitWithProvinceTotal) {
    const Workbook wb = write();
    // Xã An: central 8,845,200 + 2,527,200 = 11,372,400; province 3,790,800; total 15,163,200.
    EXPECT_EQ(wb.cell(kByUnit, "C5").value, "Xã An");
    EXPECT_EQ(wb.cell(kByUnit, "D5").value, "11372400");
    EXPECT_EQ(wb.cell(kByUnit, "G5").value, "15163200");
    EXPECT_EQ(wb.cell(kByUnit, "C7").value, "Tổng cộng Ninh Bình");
    EXPECT_EQ(wb.cell(kByUnit, "G7").formula, "SUM(G5:G6)");
    EXPECT_EQ(wb.cell(kByUnit, "G7").value, "20217600");
}

TEST_F(XlsxReport, ScenarioTextIsTextNeverAFormula) {
    scenario.data_mut().units[1].name = "=HYPERLINK(\"http://x\",\"y\")";
    scenario.data_mut().units[2].name = "+1";
    scenario.data_mut().groups[1].name.vi = "<script>alert(1)</script>";
    const Workbook wb = write();
    // Text cells holding the names as written: no formula, and no leading quote (a
    // shared-string cell is never evaluated; a quote would show as part of the name).
    const Workbook::Cell evil = wb.cell(kByUnit, "C5");
    EXPECT_EQ(evil.type, "s");
    EXPECT_EQ(evil.value, "=HYPERLINK(\"http://x\",\"y\")");
    EXPECT_TRUE(evil.formula.empty());
    EXPECT_EQ(wb.cell(kByUnit, "C6").type, "s");
    EXPECT_EQ(wb.cell(kByUnit, "C6").value, "+1");
    EXPECT_EQ(wb.cell(kForm, "B10").value, "<script>alert(1)</script>");
    std::size_t formulas = 0;
    for (std::size_t k = 0; k < wb.sheet_names().size(); ++k) {
        const std::string& xml = wb.sheet(k);
        for (std::size_t at = xml.find("<f>"); at != std::string::npos; at = xml.find("<f>", at + 1)) {
            ++formulas;
            EXPECT_EQ(xml.compare(at, 7, "<f>SUM("), 0) << "only SUM formulas: " << xml.substr(at, 60);
        }
    }
    EXPECT_GT(formulas, 10u);
}

TEST_F(XlsxReport, NumberFormatsAndMoneyUnit) {
    options.money_unit = MoneyUnit::million;
    const Workbook wb = write();
    const std::string& styles = wb.part("xl/styles.xml");
    EXPECT_NE(styles.find("formatCode=\"#,##0\""), std::string::npos);
    EXPECT_NE(styles.find("formatCode=\"#,##0.00\""), std::string::npos);
    EXPECT_NE(styles.find("formatCode=\"#,##0.00,,\""), std::string::npos) << "triệu: the cell keeps đồng";
    EXPECT_NE(styles.find("FFFFF2CC"), std::string::npos) << "assumptions are highlighted";
    EXPECT_NE(wb.sheet(1).find("<v>20217600</v>"), std::string::npos) << "the summary's total in whole đồng";
}

TEST_F(XlsxReport, SameInputsSameBytes) {
    write_xlsx_report(path, results, options);
    const std::string first = testing::read_file_bytes(path.string());
    std::filesystem::remove(path);
    write_xlsx_report(path, results, options);
    EXPECT_EQ(testing::read_file_bytes(path.string()), first);
}

// Every part of the workbook is deflated at zlib's fastest level (xlsx_zip.cpp): in each
// local file header (signature 0x04034b50), method 8 (deflate) and general-purpose flag
// bits 1-2 = 11, "super fast" in the ZIP format's words; zlib's default level would
// leave them 00. The parts still read back (the other tests read this workbook).
TEST_F(XlsxReport, PartsAreDeflatedAtTheFastestLevel) {
    write_xlsx_report(path, results, options);
    const std::string b = testing::read_file_bytes(path.string());
    int parts = 0;
    for (std::size_t at = 0; at + 30 <= b.size();) {
        if (testing::le(b, at, 4) != 0x04034b50) break;  // the central directory comes next
        const std::uint32_t flags = testing::le(b, at + 6, 2), method = testing::le(b, at + 8, 2);
        EXPECT_EQ(method, 8u) << "part " << parts;
        EXPECT_EQ(flags & 6u, 6u) << "part " << parts << " flags " << flags;
        ASSERT_EQ(flags & 8u, 0u) << "sizes in the local header, not in a data descriptor";
        ++parts;
        const std::size_t name = testing::le(b, at + 26, 2), extra = testing::le(b, at + 28, 2);
        at += 30 + name + extra + testing::le(b, at + 18, 4);  // the compressed data
    }
    EXPECT_GE(parts, 10);  // content types, rels, workbook, styles, sheets, …
}

TEST_F(XlsxReport, SheetNamesThatCollideGetANumber) {
    // Excel compares sheet names without case, and division sheets are cut to 31
    // characters: "By A" and "By a", or two long attribute names, would meet (the
    // workbook could not be written: an internal error).
    lxw_workbook* wb = workbook_new(path.string().c_str());
    ASSERT_NE(wb, nullptr);
    const report_detail::xlsx::Formats formats(wb, MoneyUnit::dong);
    const std::string long_name = "By abcdefghijklmnopqrstuvwxyz0123";  // 34 characters
    const std::vector<std::string> asked = {"By A", "By a", long_name.substr(0, 31), long_name.substr(0, 31), "By a"};
    for (const std::string& name : asked) report_detail::xlsx::Sheet sheet(wb, name, formats, Lang::en);
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
    // "By abcdefghijklmnopqrstuvwxyz01" is 31 characters; with " (2)" it keeps 27 of them.
    EXPECT_EQ(Workbook(path.string()).sheet_names(),
              (std::vector<std::string>{"By A", "By a (2)", "By abcdefghijklmnopqrstuvwxyz01", "By abcdefghijklmnopqrstuvwx (2)",
                                        "By a (3)"}));
}

// ---- warnings and text values in the report's language ----------------------------------

/// Column `col` of rows 1..100 of sheet k (the cells' texts or numbers, "" where empty).
std::vector<std::string> column(const Workbook& wb, std::size_t k, const std::string& col) {
    std::vector<std::string> out;
    for (int r = 1; r <= 100; ++r) out.push_back(wb.cell(k, col + std::to_string(r)).value);
    return out;
}

bool contains(const std::vector<std::string>& cells, const std::string& text) {
    return std::find(cells.begin(), cells.end(), text) != cells.end();
}

constexpr std::size_t kSummary = 1, kAssumptions = 9;

TEST_F(XlsxReport, WarningsInTheReportLanguage) {
    // A warning the validation gives (a rule applying to no unit): the summary.md,
    // workbook and page of a Vietnamese report show its Vietnamese text, an English one
    // its English text; run.json keeps the English one whatever the language.
    results.warnings.clear();
    results.warnings.push_back({{"scenario.yaml", 253, 26}, "rules[5].when.poor_commune",
                                i18n::tr("condition.value_unused", {i18n::quoted("np_poor"), "poor_commune", "true"})});
    const std::string vi = "scenario.yaml:253:26: rules[5].when.poor_commune: quy tắc \"np_poor\" không áp dụng cho "
                           "đơn vị nào: không đơn vị nào có poor_commune = true";
    const std::string en = "scenario.yaml:253:26: rules[5].when.poor_commune: rule \"np_poor\" applies to no unit: "
                           "no unit has poor_commune = true";
    for (const Lang lang : {Lang::vi, Lang::en}) {
        options.lang = lang;
        const std::string& want = lang == Lang::vi ? vi : en;
        const std::string& other = lang == Lang::vi ? en : vi;
        std::ostringstream md, html, json;
        write_summary_md(md, results, options);
        write_html_report(html, results, options);
        write_run_json(json, results, options);
        EXPECT_NE(md.str().find("- " + want + "\n"), std::string::npos) << md.str();
        EXPECT_EQ(md.str().find(lang == Lang::vi ? "applies to no unit" : "không áp dụng"), std::string::npos);
        // The page escapes the quotes.
        std::string escaped = want;
        for (std::size_t at = escaped.find('"'); at != std::string::npos; at = escaped.find('"', at))
            escaped.replace(at, 1, "&quot;");
        EXPECT_NE(html.str().find("<li>" + escaped + "</li>"), std::string::npos) << html.str();
        EXPECT_EQ(html.str().find(lang == Lang::vi ? "applies to no unit" : "không áp dụng"), std::string::npos);
        const Workbook wb = write();
        const std::vector<std::string> a = column(wb, kSummary, "A");
        EXPECT_TRUE(contains(a, want)) << (lang == Lang::vi ? "vi" : "en");
        EXPECT_FALSE(contains(a, other));
        EXPECT_NE(json.str().find("\"scenario.yaml:253:26: rules[5].when.poor_commune: rule \\\"np_poor\\\" applies to no unit"),
                  std::string::npos)
            << json.str();
    }
}

TEST_F(XlsxReport, TextValuesOfAssumptionsWithoutQuoteAndInTheLanguagesDecimals) {
    // A migration rate "-0.05%" (text a spreadsheet would read as a formula) and a take-up
    // curve, written as text: no leading quote in the workbook (a text cell is never
    // evaluated), decimal commas in Vietnamese; provenance.csv keeps "-0.05%".
    Demography d;
    d.base_year = 2025;
    Demography::Migration m;
    m.from_year = 2025;
    m.rate_text = "-0.05%";
    d.migration.push_back(m);
    scenario.data_mut().demography = d;
    TakeupEntry t;
    t.group = 0;
    t.spec.shape = dynamics::TakeupShape::logistic;
    t.spec.observed_rate = 0.203;
    t.spec.baseline_out_of_pocket = 379'080;
    t.spec.slope_per_million = -0.5;
    t.spec.ceiling = 0.98;
    t.spec.jump_at_zero = 0.1;
    scenario.takeup.push_back(t);
    options.lang = Lang::vi;
    {
        const std::vector<std::string> f = column(write(), kAssumptions, "F");
        EXPECT_TRUE(contains(f, "-0,05%"));
        EXPECT_TRUE(contains(f, "logistic observed=20,30% baseline_out_of_pocket=379080 slope_per_million=-0,5000 "
                                "ceiling=98,00% jump_at_zero=10,00%"));
        for (const std::string& v : f) EXPECT_NE(v.rfind('\'', 0), 0u) << v;
    }
    options.lang = Lang::en;
    {
        const std::vector<std::string> f = column(write(), kAssumptions, "F");
        EXPECT_TRUE(contains(f, "-0.05%"));
        EXPECT_TRUE(contains(f, "logistic;observed=20.30%;baseline_out_of_pocket=379080;slope_per_million=-0.5000;"
                                "ceiling=98.00%;jump_at_zero=10.00%"));
        for (const std::string& v : f) EXPECT_NE(v.rfind('\'', 0), 0u) << v;
    }
    std::ostringstream csv;
    write_provenance_csv(csv, scenario, Lang::vi);
    EXPECT_NE(csv.str().find(",2025-01-01,-0.05%,"), std::string::npos) << csv.str();
    EXPECT_NE(csv.str().find(",logistic;observed=20.30%;"), std::string::npos) << csv.str();
}

TEST(XlsxSheetName, CutToThirtyOneCharactersAndWithoutForbiddenOnes) {
    using report_detail::xlsx::fit_sheet_name;
    // 31 characters (not bytes: "đơn vị cấp huyện cũ" has 2- and 3-byte ones), then the
    // space at the cut dropped.
    EXPECT_EQ(fit_sheet_name("Theo đơn vị cấp huyện cũ (bảng communes-2025)"), "Theo đơn vị cấp huyện cũ (bảng");
    EXPECT_EQ(fit_sheet_name("Theo đơn vị cấp huyện cũ"), "Theo đơn vị cấp huyện cũ");
    EXPECT_EQ(fit_sheet_name("By a/b: [c]*?\\"), "By a-b- -c----");
}

TEST_F(XlsxReport, RefusesAFileItCannotCreate) {
    EXPECT_THROW(write_xlsx_report("/nonexistent-folder/report.xlsx", results, options), std::runtime_error);
}

}  // namespace
}  // namespace subsim
