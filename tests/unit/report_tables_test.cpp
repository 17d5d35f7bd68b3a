// The tables the workbook and the page show (report_tables.hpp): the reconciliation
// form, the as-of rule, the units shown, and the text-safety helpers. Figures are worked
// out in office_fixture.hpp and below.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "office_fixture.hpp"
#include "report/report_format.hpp"  // private header: tests see engine/src
#include "report/report_tables.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {
namespace {

namespace rd = report_detail;
using namespace office_fixture;  // NOLINT: test file

class ReportTables : public ::testing::Test {
protected:
    Scenario scenario = make_scenario();
    Results results = make_results(scenario);
};

TEST_F(ReportTables, QuarterEndsFollowTheSchedule) {
    EXPECT_EQ(rd::quarter_end(scenario, 2026, 0), (Date{2026, 3, 31}));
    EXPECT_EQ(rd::quarter_end(scenario, 2028, 0), (Date{2028, 3, 31}));
    EXPECT_EQ(rd::quarter_end(scenario, 2026, 3), (Date{2026, 12, 31}));
    // A schedule whose first quarter is January–April ends it on 30 April.
    scenario.quarter_of_month = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3};
    EXPECT_EQ(rd::quarter_end(scenario, 2026, 0), (Date{2026, 4, 30}));
    EXPECT_EQ(rd::quarter_end(scenario, 2026, 1), (Date{2026, 7, 31}));
}

TEST_F(ReportTables, AQuarterIsTransferredOnceItHasEnded) {
    using Q = std::array<bool, 4>;
    EXPECT_EQ(rd::transferred_quarters(scenario, 2026, Date{2026, 3, 30}), (Q{false, false, false, false}));
    EXPECT_EQ(rd::transferred_quarters(scenario, 2026, Date{2026, 3, 31}), (Q{true, false, false, false}));
    EXPECT_EQ(rd::transferred_quarters(scenario, 2026, Date{2026, 8, 15}), (Q{true, true, false, false}));
    EXPECT_EQ(rd::transferred_quarters(scenario, 2026, Date{2027, 1, 1}), (Q{true, true, true, true}));
    EXPECT_EQ(rd::transferred_quarters(scenario, 2027, Date{2026, 12, 31}), (Q{false, false, false, false}));
    EXPECT_EQ(rd::transferred_quarters(scenario, 2026, std::nullopt), (Q{false, false, false, false}));
}

TEST_F(ReportTables, AsOfDateIsTheOptionElseTheRunDate) {
    ReportOptions o;
    o.generated_at = "2026-08-15T10:20:30Z";
    EXPECT_EQ(report_as_of(o), (Date{2026, 8, 15}));
    o.as_of = Date{2025, 12, 31};
    EXPECT_EQ(report_as_of(o), (Date{2025, 12, 31}));
    EXPECT_EQ(report_as_of(ReportOptions{}), std::nullopt);
}

TEST_F(ReportTables, MoneyUnitsParse) {
    EXPECT_EQ(parse_money_unit("dong"), MoneyUnit::dong);
    EXPECT_EQ(parse_money_unit("trieu"), MoneyUnit::million);
    EXPECT_EQ(parse_money_unit("triệu"), MoneyUnit::million);
    EXPECT_EQ(parse_money_unit("billion"), MoneyUnit::billion);
    EXPECT_EQ(parse_money_unit("tỷ"), MoneyUnit::billion);
    EXPECT_EQ(parse_money_unit("nghìn"), std::nullopt);
}

TEST_F(ReportTables, SupportKindFromTheRulesInForce) {
    rd::SupportClassifier classify(scenario);
    // Xã An near-poor: 73,710 + 31,590 = 105,300 = the contribution → full.
    EXPECT_EQ(classify.kind(2026, 1, 0), rd::SupportKind::full);
    // Xã Bình near-poor: 73,710 + 10,530 = 84,240 < 105,300 → partial.
    EXPECT_EQ(classify.kind(2026, 2, 0), rd::SupportKind::partial);
    EXPECT_EQ(classify.kind(2026, 1, 1), rd::SupportKind::full);  // children: 100%
    EXPECT_TRUE(classify.partly_supported_category(0));   // a 70% rule covers the near-poor
    EXPECT_FALSE(classify.partly_supported_category(1));  // children: 100% rules only
    // The top-up ends on 30 June: from July Xã An's near-poor get 70% only → partial year.
    scenario.rules[1].to = Date{2026, 6, 30};
    rd::SupportClassifier again(scenario);
    EXPECT_EQ(again.kind(2026, 1, 0), rd::SupportKind::partial);
}

TEST_F(ReportTables, ReconciliationFormRowsAndColumnsAddUp) {
    ReportOptions o;
    o.as_of = Date{2026, 6, 30};  // Q1 and Q2 transferred (Q2 ends on 30 June)
    const rd::ReportTables t = rd::build_report_tables(results, o);
    ASSERT_EQ(t.reconciliation.size(), 1u);
    const auto& block = t.reconciliation[0];
    EXPECT_EQ(block.year, 2026);
    ASSERT_EQ(block.rows.size(), 3u);  // near-poor 100%, near-poor partly, children

    const rd::ReconciliationRow& full = block.rows[0];
    EXPECT_EQ(full.group, 0);
    EXPECT_EQ(full.kind, rd::SupportKind::full);
    EXPECT_TRUE(full.show_kind);
    EXPECT_EQ(rd::yearly_hundredths(full.person_months), 1000);  // 120 / 12 = 10.00 cards
    EXPECT_EQ(full.due, 12'636'000);
    EXPECT_EQ(full.participants(), 0);
    EXPECT_EQ(full.state, 12'636'000);
    EXPECT_EQ(full.state_by_level, (std::array<Dong, 3>{8'845'200, 3'790'800, 0}));
    // Two of four equal quarters: 2 × (2,211,300 + 947,700) = 6,318,000.
    EXPECT_EQ(full.transferred, 6'318'000);
    EXPECT_EQ(full.to_transfer(), 6'318'000);
    EXPECT_EQ(rd::reconciliation_label(scenario, full, Lang::vi),
              "Người thuộc hộ cận nghèo — được hỗ trợ 100% mức đóng");

    const rd::ReconciliationRow& partly = block.rows[1];
    EXPECT_EQ(partly.kind, rd::SupportKind::partial);
    EXPECT_EQ(rd::yearly_hundredths(partly.person_months), 500);  // 60 / 12 = 5.00 cards
    EXPECT_EQ(partly.due, 6'318'000);
    EXPECT_EQ(partly.participants(), 1'263'600);  // 6,318,000 − 5,054,400
    EXPECT_EQ(partly.state_by_level, (std::array<Dong, 3>{4'422'600, 0, 631'800}));
    EXPECT_EQ(partly.transferred, 2'527'200);  // 2 × (1,105,650 + 157,950)
    EXPECT_EQ(rd::reconciliation_label(scenario, partly, Lang::en), "Near-poor household members — supported partly");

    const rd::ReconciliationRow& children = block.rows[2];
    EXPECT_FALSE(children.show_kind);
    EXPECT_EQ(rd::reconciliation_label(scenario, children, Lang::vi), "Trẻ em dưới 6 tuổi");
    EXPECT_EQ(children.state, 2'527'200);
    EXPECT_EQ(children.transferred, 1'263'600);  // 2 × 631,800

    // Totals: cards 17.00; due 12,636,000 + 6,318,000 + 2,527,200 = 21,481,200;
    // state 12,636,000 + 5,054,400 + 2,527,200 = 20,217,600; central 15,795,000;
    // transferred 6,318,000 + 2,527,200 + 1,263,600 = 10,108,800.
    const rd::ReconciliationRow& total = block.total;
    EXPECT_EQ(rd::yearly_hundredths(total.person_months), 1700);
    EXPECT_EQ(total.due, 21'481'200);
    EXPECT_EQ(total.participants(), 1'263'600);
    EXPECT_EQ(total.state, 20'217'600);
    EXPECT_EQ(total.state_by_level, (std::array<Dong, 3>{15'795'000, 3'790'800, 631'800}));
    EXPECT_EQ(total.transferred, 10'108'800);
    EXPECT_EQ(total.to_transfer(), 10'108'800);
    EXPECT_EQ(t.period_transferred, 10'108'800);
    EXPECT_EQ(rd::total_label(scenario, t.shown, Lang::vi), "Tổng cộng Ninh Bình");
}

TEST_F(ReportTables, AggregatesPerPayerRuleUnitAndQuarter) {
    const rd::ReportTables t = rd::build_report_tables(results, ReportOptions{});
    ASSERT_EQ(t.payers, (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(t.year_payer, (std::vector<Dong>{15'795'000, 3'790'800, 631'800}));
    EXPECT_EQ(t.year_total, (std::vector<Dong>{20'217'600}));
    EXPECT_EQ(t.period_total, 20'217'600);
    EXPECT_EQ(t.period_transferred, 0);  // no as-of date: nothing transferred
    ASSERT_EQ(t.rules.size(), 4u);
    EXPECT_EQ(t.rules[0].total, 8'845'200 + 4'422'600);  // near_poor_central in both communes
    EXPECT_EQ(t.rules[0].person_months[0], 1'800'000);   // 120 + 60 person-months
    // Shown units: the two communes (leaves); Xã An pays 8,845,200 + 2,527,200 = 11,372,400 central.
    ASSERT_EQ(t.shown.units, (std::vector<int>{1, 2}));
    EXPECT_TRUE(t.shown.leaves);
    EXPECT_EQ(t.unit_cost(0, 0, 0), 11'372'400);
    EXPECT_EQ(t.unit_cost(0, 1, 2), 631'800);
    // Quarterly: central in a quarter 15,795,000 / 4 = 3,948,750; Xã Bình's commune 157,950.
    EXPECT_EQ(t.quarter_cost(0, 2, 0), 3'948'750);
    EXPECT_EQ(t.unit_quarter_cost(0, 2, 1, 3), 157'950);
    // Commune bills: Xã Bình, near_poor_commune, 5.00 persons, 631,800.
    ASSERT_EQ(t.commune_bills.size(), 1u);
    EXPECT_EQ(t.commune_bills[0].slot, 1);
    EXPECT_EQ(t.commune_bills[0].rule, 2);
    EXPECT_EQ(t.commune_bills[0].cost, 631'800);
    // Coverage: the province and both communes.
    EXPECT_EQ(t.coverage.size(), 3u);
    EXPECT_EQ(rd::gap_persons(*t.coverage[0]), 1);  // 90% × 20 = 18 − 17 = 1
}

TEST_F(ReportTables, ManyLeafUnitsAreShownByTheirParents) {
    // With room for one unit only, the two communes are shown as their province.
    const rd::ShownUnits shown = rd::shown_units(scenario, 1);
    EXPECT_FALSE(shown.leaves);
    EXPECT_EQ(shown.units, (std::vector<int>{0}));
    EXPECT_EQ(shown.slot_of, (std::vector<int>{0, 0, 0}));
    EXPECT_EQ(shown.level, UnitLevel::province);
    EXPECT_FALSE(shown.subtotal_per_root);
    // Two provinces, communes interleaved in the file: grouped by province, subtotals.
    scenario.data_mut().units.push_back({"38", "Thanh Hóa", UnitLevel::province, -1, {}, {}});
    scenario.data_mut().units.push_back({"003", "Xã Cẩm", UnitLevel::commune, 3, {}, {}});
    scenario.data_mut().units.push_back({"004", "Xã Dân", UnitLevel::commune, 0, {}, {}});
    const rd::ShownUnits two = rd::shown_units(scenario);
    EXPECT_EQ(two.units, (std::vector<int>{1, 2, 5, 4}));
    EXPECT_EQ(two.roots, (std::vector<int>{0, 3}));
    EXPECT_TRUE(two.subtotal_per_root);
    EXPECT_EQ(rd::total_label(scenario, two, Lang::en), "Total");
}

TEST_F(ReportTables, CondensedYearByYearGivesTheTablesOfTheWholeRun) {
    // 1,002 communes (over the 1,000 shown): the tables show the province, and the lines
    // fed one year at a time are summed per (shown unit, kind of support) — the tables
    // must be those of every line. Communes alternate An-like (top-up, 3 lines) and
    // Bình-like (commune +10%, 2 lines); 2027 repeats 2026.
    scenario.last_year = 2027;
    for (int k = 0; k < 1000; ++k)
        scenario.data_mut().units.push_back({"C" + std::to_string(k), "Xã " + std::to_string(k), UnitLevel::commune, 0,
                                             {{"top_up", k % 2 == 0 ? "true" : "false"}}, {}});
    Results whole;
    whole.scenario = &scenario;
    for (int year : {2026, 2027})
        for (int u = 1; u < static_cast<int>(scenario.units().size()); ++u) {
            const bool top_up = u == 1 || (u >= 3 && (u - 3) % 2 == 0);
            if (top_up) {
                whole.lines.push_back({year, u, 0, 0, 0, 1'200'000, quarters(kAnCentral), kAnCentral});
                whole.lines.push_back({year, u, 0, 1, 1, 1'200'000, quarters(kAnProvince), kAnProvince});
                whole.lines.push_back({year, u, 1, 3, 0, 240'000, quarters(kChildren), kChildren});
                whole.cohort_costs.push_back({year, u, 0, 1'200'000, kAnDue, kAnCentral + kAnProvince});
                whole.cohort_costs.push_back({year, u, 1, 240'000, kChildren, kChildren});
            } else {
                whole.lines.push_back({year, u, 0, 0, 0, 600'000, quarters(kBinhCentral), kBinhCentral});
                whole.lines.push_back({year, u, 0, 2, 2, 600'000, quarters(kBinhCommune), kBinhCommune});
                whole.cohort_costs.push_back({year, u, 0, 600'000, kBinhDue, kBinhCentral + kBinhCommune});
            }
        }
    ReportOptions o{Lang::vi, "9.9.9", "2027-08-15T00:00:00Z"};
    const rd::ReportTables expected = rd::build_report_tables(whole, o);
    ASSERT_FALSE(expected.shown.leaves) << "the province is shown";

    rd::TablesInput input(scenario);
    for (int year : {2026, 2027}) {
        Results part;
        part.scenario = &scenario;
        for (const BudgetLine& l : whole.lines)
            if (l.year == year) part.lines.push_back(l);
        for (const CohortCost& c : whole.cohort_costs)
            if (c.year == year) part.cohort_costs.push_back(c);
        input.add(part);
    }
    // Per year, 2,506 lines collapse to one per (group, rule, kind of support): at most
    // 2 groups × 4 rules × 2 kinds.
    EXPECT_LE(input.condensed().lines.size(), 2u * 2u * 4u);
    rd::ReportTables got = rd::build_report_tables(input.condensed(), o);
    input.fill_unit_costs(got);
    EXPECT_EQ(got.year_payer, expected.year_payer);
    EXPECT_EQ(got.period_total, expected.period_total);
    EXPECT_EQ(got.period_transferred, expected.period_transferred);
    EXPECT_EQ(got.unit_payer, expected.unit_payer);
    EXPECT_EQ(got.quarter_payer, expected.quarter_payer);
    EXPECT_EQ(got.unit_quarter, expected.unit_quarter);
    EXPECT_EQ(got.unit_period_cost, expected.unit_period_cost);
    ASSERT_EQ(got.rules.size(), expected.rules.size());
    for (std::size_t k = 0; k < got.rules.size(); ++k) {
        EXPECT_EQ(got.rules[k].cost, expected.rules[k].cost);
        EXPECT_EQ(got.rules[k].person_months, expected.rules[k].person_months);
    }
    ASSERT_EQ(got.commune_bills.size(), expected.commune_bills.size());
    for (std::size_t k = 0; k < got.commune_bills.size(); ++k)
        EXPECT_EQ(got.commune_bills[k].cost, expected.commune_bills[k].cost);
    ASSERT_EQ(got.reconciliation.size(), 2u);
    for (std::size_t y = 0; y < 2; ++y) {
        ASSERT_EQ(got.reconciliation[y].rows.size(), expected.reconciliation[y].rows.size());
        for (std::size_t k = 0; k < got.reconciliation[y].rows.size(); ++k) {
            const rd::ReconciliationRow& a = got.reconciliation[y].rows[k];
            const rd::ReconciliationRow& b = expected.reconciliation[y].rows[k];
            EXPECT_EQ(a.group, b.group);
            EXPECT_EQ(a.kind, b.kind);
            EXPECT_EQ(a.person_months, b.person_months);
            EXPECT_EQ(a.due, b.due);
            EXPECT_EQ(a.state_by_level, b.state_by_level);
            EXPECT_EQ(a.transferred, b.transferred);
        }
    }
    // 501 An-like communes a year: the province pays 501 × kAnProvince each year.
    EXPECT_EQ(got.rules[1].cost[0], 501 * kAnProvince);
}

// The condensed rows do not depend on the lines coming a year at a time or on a rule
// keeping one payer: every third commune's central line of rule 0 is booked to the
// province instead, and one part holds both years, year after year or interleaved line
// by line. The tables must still be those of every line: 1,002 communes, 2 years.
TEST_F(ReportTables, CondensedRowsWhateverTheOrderOfYearsAndPayers) {
    scenario.last_year = 2027;
    for (int k = 0; k < 1000; ++k)
        scenario.data_mut().units.push_back({"C" + std::to_string(k), "Xã " + std::to_string(k), UnitLevel::commune, 0,
                                             {{"top_up", "false"}}, {}});
    std::array<Results, 2> parts;  // year after year; interleaved
    std::size_t moved = 0;
    for (int order = 0; order < 2; ++order) {
        parts[order].scenario = &scenario;
        const int units = static_cast<int>(scenario.units().size());
        for (int k = 0; k < 2 * (units - 1); ++k) {
            const int year = order == 0 ? 2026 + k / (units - 1) : 2026 + k % 2;
            const int u = 1 + (order == 0 ? k % (units - 1) : k / 2);
            const int payer = u % 3 == 0 ? 1 : 0;
            moved += payer == 1 ? 1 : 0;
            parts[order].lines.push_back({year, u, 0, 0, payer, 600'000, quarters(kBinhCentral), kBinhCentral});
            parts[order].lines.push_back({year, u, 0, 2, 2, 600'000, quarters(kBinhCommune), kBinhCommune});
            parts[order].cohort_costs.push_back({year, u, 0, 600'000, kBinhDue, kBinhCentral + kBinhCommune});
        }
    }
    ASSERT_EQ(moved, 4u * 334u);
    const Results& whole = parts[0];
    ReportOptions o{Lang::vi, "9.9.9", "2027-08-15T00:00:00Z"};
    const rd::ReportTables expected = rd::build_report_tables(whole, o);
    ASSERT_FALSE(expected.shown.leaves) << "the province is shown";

    for (const Results& part : parts) {
        rd::TablesInput input(scenario);
        input.add(part);
        // Per year: (rule 0, central), (rule 0, province), (rule 2, commune), each one kind.
        EXPECT_LE(input.condensed().lines.size(), 2u * 3u * 2u);
        rd::ReportTables got = rd::build_report_tables(input.condensed(), o);
        input.fill_unit_costs(got);
        EXPECT_EQ(got.year_payer, expected.year_payer);
        EXPECT_EQ(got.unit_payer, expected.unit_payer);
        EXPECT_EQ(got.quarter_payer, expected.quarter_payer);
        EXPECT_EQ(got.unit_period_cost, expected.unit_period_cost);
        // Each year: 334 communes' central lines go to the province (u = 3, 6, …, 1002).
        const std::size_t p = got.payers.size();
        ASSERT_GE(p, 2u);
        EXPECT_EQ(got.year_payer[0 * p + 1], 334 * kBinhCentral);
        EXPECT_EQ(got.year_payer[1 * p + 1], 334 * kBinhCentral);
        EXPECT_EQ(got.year_payer[0 * p + 0], (1002 - 334) * kBinhCentral);
        ASSERT_EQ(got.reconciliation.size(), 2u);
        for (std::size_t y = 0; y < 2; ++y) {
            ASSERT_EQ(got.reconciliation[y].rows.size(), expected.reconciliation[y].rows.size());
            ASSERT_FALSE(got.reconciliation[y].rows.empty());
            EXPECT_EQ(got.reconciliation[y].total.due, 1002 * kBinhDue);
            EXPECT_EQ(got.reconciliation[y].total.state_by_level, expected.reconciliation[y].total.state_by_level);
        }
    }
}

TEST(SpreadsheetText, FormulaLikeTextGetsAQuote) {
    EXPECT_EQ(rd::spreadsheet_text("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
    EXPECT_EQ(rd::spreadsheet_text("+1"), "'+1");
    EXPECT_EQ(rd::spreadsheet_text("-2+3"), "'-2+3");
    EXPECT_EQ(rd::spreadsheet_text("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(rd::spreadsheet_text("\tx"), "'\tx");
    EXPECT_EQ(rd::spreadsheet_text("\rx"), "'\rx");
    EXPECT_EQ(rd::spreadsheet_text("Xã An = 1"), "Xã An = 1");  // only the first character counts
    EXPECT_EQ(rd::spreadsheet_text(""), "");
    EXPECT_EQ(rd::spreadsheet_text("<script>alert(1)</script>"), "<script>alert(1)</script>");
}

TEST(TextEscaping, HtmlAndMarkdown) {
    EXPECT_EQ(rd::html_escape("<script>alert('1')</script> & \"x\""),
              "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; &amp; &quot;x&quot;");
    EXPECT_EQ(rd::markdown_text("a\n# b | <i>c</i>\r\n| d |"), "a # b \\| &lt;i&gt;c&lt;/i&gt;  \\| d \\|");
}

TEST_F(ReportTables, CsvNeutralisesScenarioTextButNotNumbers) {
    scenario.data_mut().units[1].name = "=HYPERLINK(\"http://x\",\"y\")";
    scenario.data_mut().units[2].name = "+1";
    scenario.data_mut().units[2].code = "-002";
    results.lines.push_back({2026, 2, 1, 3, 0, 0, {-5, 0, 0, 0}, -5});  // a negative cost stays a number
    std::ostringstream out;
    write_budget_by_unit_csv(out, results);
    const std::string text = out.str();
    EXPECT_NE(text.find("2026,001,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",central,"), std::string::npos) << text;
    EXPECT_NE(text.find("2026,'-002,'+1,central,Ngân sách trung ương,4422595\n"), std::string::npos) << text;
    std::ostringstream lines;
    write_budget_lines_csv(lines, results);
    EXPECT_NE(lines.str().find(",0.00,0,-5\n"), std::string::npos) << lines.str();
}

TEST_F(ReportTables, SummaryEscapesTitleNotesAndCells) {
    scenario.title.vi = "Tiêu đề\n# Chèn tiêu đề\n| giả | bảng |\n<script>alert(1)</script>";
    scenario.provenance_note = "nguồn\n## x";
    scenario.data_mut().units[0].name = "<b>Tỉnh</b> | x";
    std::ostringstream out;
    ReportOptions o;
    write_summary_md(out, results, o);
    const std::string md = out.str();
    EXPECT_EQ(md.rfind("# Tiêu đề # Chèn tiêu đề \\| giả \\| bảng \\| &lt;script&gt;alert(1)&lt;/script&gt;\n", 0), 0u)
        << md;
    EXPECT_EQ(md.find("<script>"), std::string::npos);
    EXPECT_EQ(md.find("\n## x"), std::string::npos);
    EXPECT_EQ(md.find("\n| giả"), std::string::npos);
    EXPECT_NE(md.find("&lt;b&gt;Tỉnh&lt;/b&gt; \\| x"), std::string::npos) << md;
}

}  // namespace
}  // namespace subsim
