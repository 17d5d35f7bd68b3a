// report.html on the hand-made case of office_fixture.hpp: self-contained, escaped, and
// every figure a CSV value.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "office_fixture.hpp"
#include "subsim/report/reports.hpp"

namespace subsim {
namespace {

using namespace office_fixture;  // NOLINT: test file

class HtmlReport : public ::testing::Test {
protected:
    std::string page() {
        std::ostringstream out;
        write_html_report(out, results, options);
        return out.str();
    }

    Scenario scenario = make_scenario();
    Results results = make_results(scenario);
    ReportOptions options{Lang::vi, "9.9.9", "2026-07-01T00:00:00Z"};
};

/// The value attributes of every <data> element.
std::vector<std::string> data_values(const std::string& html) {
    static const std::regex data(R"re(<data value="([^"]*)">)re");
    std::vector<std::string> values;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), data); it != std::sregex_iterator(); ++it)
        values.push_back((*it)[1].str());
    return values;
}

/// Every field of every line of a CSV text (fields are not quoted in the cases used).
std::set<std::string> csv_fields(const std::string& csv) {
    std::set<std::string> fields;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
        std::istringstream row(line);
        for (std::string f; std::getline(row, f, ',');) fields.insert(f);
    }
    return fields;
}

TEST_F(HtmlReport, SelfContainedPageWithNothingFetched) {
    const std::string html = page();
    EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"vi\">", 0), 0u);
    EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_NE(html.find("name=\"viewport\""), std::string::npos) << "reads on a phone";
    EXPECT_NE(html.find("@media print"), std::string::npos) << "prints on A4";
    EXPECT_NE(html.find("@page{size:A4"), std::string::npos);
    EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);
    for (const char* banned : {"<script", "http://", "https://", "<link", "<img", "url(", "@import", "<iframe", "src="})
        EXPECT_EQ(html.find(banned), std::string::npos) << banned;
}

TEST_F(HtmlReport, FiguresInVietnameseStyleAndEveryOneIsACsvValue) {
    const std::string html = page();
    // Whole period 20,217,600 đồng; the central budget 15,795,000.
    EXPECT_NE(html.find("<data value=\"20217600\">20.217.600 đ</data>"), std::string::npos);
    EXPECT_NE(html.find("<data value=\"15795000\">15.795.000 đ</data>"), std::string::npos);
    // Coverage 17 of 20 = 85.00%, target 90.00%, 1 person short.
    EXPECT_NE(html.find("<data value=\"85.00\">85,00%</data>"), std::string::npos);
    EXPECT_NE(html.find("<data value=\"90.00\">90,00%</data>"), std::string::npos);
    EXPECT_NE(html.find("Ngân sách trung ương"), std::string::npos);
    EXPECT_NE(html.find("Ngân sách xã"), std::string::npos);

    std::set<std::string> fields;
    const auto add = [&](auto write) {
        std::ostringstream out;
        write(out);
        const auto f = csv_fields(out.str());
        fields.insert(f.begin(), f.end());
    };
    add([&](std::ostream& o) { write_budget_by_year_payer_csv(o, results); });
    add([&](std::ostream& o) { write_budget_by_rule_csv(o, results); });
    add([&](std::ostream& o) { write_budget_by_unit_csv(o, results); });
    add([&](std::ostream& o) { write_coverage_csv(o, results); });
    add([&](std::ostream& o) { write_provenance_csv(o, scenario); });
    const std::vector<std::string> values = data_values(html);
    EXPECT_GT(values.size(), 20u);
    for (const std::string& v : values) EXPECT_TRUE(fields.count(v)) << v << " is in no CSV";
}

TEST_F(HtmlReport, HeadlineInMillionsOrBillionsKeepsTheExactValue) {
    options.money_unit = MoneyUnit::million;
    // 20,217,600 đồng = 20.2176 triệu → 20,22 (half-up to hundredths).
    EXPECT_NE(page().find("<data value=\"20217600\">20,22 triệu đồng</data>"), std::string::npos);
    options.money_unit = MoneyUnit::billion;
    // = 0.0202176 tỷ → 0,020.
    EXPECT_NE(page().find("<data value=\"20217600\">0,020 tỷ đồng</data>"), std::string::npos);
}

TEST_F(HtmlReport, English) {
    options.lang = Lang::en;
    const std::string html = page();
    EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
    EXPECT_NE(html.find("<data value=\"20217600\">20,217,600 VND</data>"), std::string::npos);
    EXPECT_NE(html.find("<data value=\"85.00\">85.00%</data>"), std::string::npos);
    EXPECT_EQ(html.find("Ngân sách trung ương"), std::string::npos);
}

TEST_F(HtmlReport, ScenarioTextIsEscaped) {
    scenario.data_mut().units[1].name = "<script>alert(1)</script>";
    scenario.data_mut().units[2].name = "=HYPERLINK(\"http://x\",\"y\")";
    scenario.title.vi = "Tiêu đề <img src=x onerror=alert(1)>";
    scenario.rules[0].provenance.reference = "NĐ \"188\" & <b>";
    const std::string html = page();
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("<b>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html.find("=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)"), std::string::npos);
    EXPECT_NE(html.find("<title>Tiêu đề &lt;img src=x onerror=alert(1)&gt;</title>"), std::string::npos);
    EXPECT_NE(html.find("NĐ &quot;188&quot; &amp; &lt;b&gt;"), std::string::npos);
}

TEST_F(HtmlReport, IllustrativeDataSaidAtTheTop) {
    EXPECT_EQ(page().find("Có số liệu minh họa"), std::string::npos);
    scenario.illustrative_population = true;
    const std::string html = page();
    const std::size_t warning = html.find("<p class=\"warning\">Có số liệu minh họa: một phần số đối tượng hoặc dân số");
    ASSERT_NE(warning, std::string::npos);
    EXPECT_LT(warning, html.find("<section id=\"headline\">"));
}

}  // namespace
}  // namespace subsim
