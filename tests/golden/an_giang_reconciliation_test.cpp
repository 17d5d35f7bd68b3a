// Golden test: the reconciliation form (report.xlsx's first sheet) of An Giang 2018,
// near-poor row, worked out by hand from scenarios/an-giang-2016-2020.
//
// Participants (cohorts.csv, 2018, near_poor, the 11 districts):
//   9,808 + 3,419 + 11,478 + 8,595 + 12,407 + 12,761 + 5,534 + 5,376 + 11,040 + 9,938
//   + 10,603 = 100,959 persons, all insured all year (enrolment 100%): 100,959 cards.
// Contribution 4.5% of the base salary: 1,300,000 to June → 58,500 a month;
//   1,390,000 from 1 July 2018 (NĐ 72/2018) → 62,550 a month.
// Rules: near_poor_central 70% (central budget) and near_poor_province_topup 30%
//   (provincial budget): 70% + 30% = 100%, so the row is "supported 100%" and the
//   participants pay nothing.
//   central:  70% × 58,500 = 40,950;  70% × 62,550 = 43,785
//   province: 30% × 58,500 = 17,550;  30% × 62,550 = 18,765
// Per person in 2018:
//   due      6 × 58,500 + 6 × 62,550 = 351,000 + 375,300 = 726,300
//   central  6 × 40,950 + 6 × 43,785 = 245,700 + 262,710 = 508,410
//   province 6 × 17,550 + 6 × 18,765 = 105,300 + 112,590 = 217,890   (508,410 + 217,890 = 726,300)
// For 100,959 persons (whole persons × whole đồng: no rounding anywhere):
//   due      100,959 × 726,300 = 72,630,000,000 + 959 × 726,300 (696,521,700) = 73,326,521,700
//   central  100,959 × 508,410 = 50,841,000,000 + 959 × 508,410 (487,565,190) = 51,328,565,190
//   province 100,959 × 217,890 = 21,789,000,000 + 959 × 217,890 (208,956,510) = 21,997,956,510
// As of 15 August 2018 the first two quarters (ended 31 March and 30 June) are
// transferred, the third (ends 30 September) and fourth are not:
//   transferred      100,959 × 6 × 58,500 = 100,959 × 351,000 = 35,436,609,000
//   still to transfer 100,959 × 6 × 62,550 = 100,959 × 375,300 = 37,889,912,700
//   (35,436,609,000 + 37,889,912,700 = 73,326,521,700 = the state's share.)
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "golden_suite.hpp"
#include "report/report_tables.hpp"  // private header: tests see engine/src
#include "subsim/report/reports.hpp"

namespace subsim {
namespace {

constexpr Headcount kCards = 100'959;
constexpr Dong kDue = 73'326'521'700;
constexpr Dong kCentral = 51'328'565'190;
constexpr Dong kProvince = 21'997'956'510;
constexpr Dong kTransferred = 35'436'609'000;
constexpr Dong kToTransfer = 37'889'912'700;
static_assert(kCentral + kProvince == kDue && kTransferred + kToTransfer == kDue);
static_assert(kCards * 726'300 == kDue && kCards * 508'410 == kCentral && kCards * 217'890 == kProvince);
static_assert(kCards * 351'000 == kTransferred && kCards * 375'300 == kToTransfer);

class AnGiangReconciliation : public golden::GoldenSuite<AnGiangReconciliation> {
public:
    static constexpr const char* kScenario = SUBSIM_SOURCE_DIR "/scenarios/an-giang-2016-2020/scenario.yaml";

protected:
    static ReportOptions options() {
        ReportOptions o;
        o.lang = Lang::vi;
        o.generated_at = "2026-01-01T00:00:00Z";
        o.as_of = Date{2018, 8, 15};
        return o;
    }
};

TEST_F(AnGiangReconciliation, NearPoor2018RowByHand) {
    const report_detail::ReportTables t = report_detail::build_report_tables(r(), options());
    const report_detail::ReconciliationRow* row = nullptr;
    int near_poor_rows = 0;
    for (const auto& block : t.reconciliation)
        if (block.year == 2018)
            for (const auto& x : block.rows)
                if (x.group == group("near_poor")) {
                    row = &x;
                    ++near_poor_rows;
                }
    ASSERT_EQ(near_poor_rows, 1) << "every near-poor participant is supported 100%: one row";
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->kind, report_detail::SupportKind::full);
    EXPECT_EQ(report_detail::reconciliation_label(s(), *row, Lang::vi),
              "Người thuộc hộ cận nghèo — được hỗ trợ 100% mức đóng");
    EXPECT_EQ(row->person_months, kCards * 12 * kHeadcountScale);
    EXPECT_EQ(report_detail::yearly_hundredths(row->person_months), kCards * 100);
    EXPECT_EQ(row->due, kDue);
    EXPECT_EQ(row->participants(), 0);
    EXPECT_EQ(row->state, kDue);
    EXPECT_EQ(row->state_by_level, (std::array<Dong, 3>{kCentral, kProvince, 0}));
    EXPECT_EQ(row->transferred, kTransferred);
    EXPECT_EQ(row->to_transfer(), kToTransfer);
}

TEST_F(AnGiangReconciliation, EveryFormRowAddsUp) {
    const report_detail::ReportTables t = report_detail::build_report_tables(r(), options());
    ASSERT_EQ(t.reconciliation.size(), 5u);  // 2016–2020
    int rows = 0;
    for (const auto& block : t.reconciliation) {
        Dong due = 0;
        for (const auto& x : block.rows) {
            ++rows;
            EXPECT_EQ(x.state_by_level[0] + x.state_by_level[1] + x.state_by_level[2], x.state);
            EXPECT_EQ(x.participants() + x.state, x.due);
            EXPECT_GE(x.participants(), 0);
            EXPECT_GE(x.transferred, 0);
            EXPECT_GE(x.to_transfer(), 0);
            due += x.due;
        }
        EXPECT_EQ(block.total.due, due);
        // 2016 and 2017 are over by 15 August 2018: all transferred; 2019–2020 nothing.
        if (block.year < 2018) EXPECT_EQ(block.total.transferred, block.total.state) << block.year;
        if (block.year > 2018) EXPECT_EQ(block.total.transferred, 0) << block.year;
    }
    EXPECT_EQ(rows, 5 * 8);  // 8 supported groups a year (household, employees, other have no rule)
}

}  // namespace
}  // namespace subsim
