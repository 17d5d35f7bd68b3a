#pragma once
/// Private to the report writers: the tables report.xlsx and report.html show, worked out
/// once from the results (every figure a checked sum of budget lines or cohort rows, so
/// it equals what the CSV files hold). The reconciliation form, the as-of rule for
/// "transferred", the units shown and their totals are defined here, once, for both.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "subsim/core/date.hpp"
#include "subsim/core/headcount.hpp"
#include "subsim/core/money.hpp"
#include "subsim/model/scenario.hpp"
#include "subsim/report/reports.hpp"
#include "subsim/sim/results.hpp"

namespace subsim::report_detail {

inline constexpr int kQuarterCount = 4;

/// Per-unit tables show at most this many units. A run with more leaf units (a national
/// run has 3,321 communes) shows their parents instead (provinces), the level closest to
/// the leaves with at most this many units; per-commune figures stay in the CSV files.
/// 600 holds any one province, before the 2025 merger too (Hà Nội had 579 communes);
/// a workbook listing 1,000 communes' quarterly transfers took 2 s and 190 MiB to write.
inline constexpr std::size_t kMaxShownUnits = 600;

/// The payer levels, in the form's column order: central, province, commune.
inline constexpr int kLevelCount = 3;
int level_column(PayerLevel level);

// ---- the as-of rule ------------------------------------------------------------------

/// The last day of quarter `quarter` (0..3) of `year` under the scenario's transfer
/// schedule (the last calendar month mapped to that quarter).
Date quarter_end(const Scenario& s, int year, int quarter);

/// Which quarters of `year` count as transferred by `as_of`: those whose last day is on
/// or before it (a quarter is transferred in arrears, once it has ended). No date: none.
std::array<bool, kQuarterCount> transferred_quarters(const Scenario& s, int year, const std::optional<Date>& as_of);

// ---- the reconciliation form's rows ----------------------------------------------------

/// Whether a cohort's participants pay nothing (the state's amounts per person-month add
/// up to at least the contribution in every month of the year it is supported) or part.
enum class SupportKind { full, partial };

/// Classifies (year, unit, group) cohorts from the scenario's rules and parameters, the
/// way the costing computes amounts (per rule: share × contribution rounded by the
/// scenario's rule, or the fixed amount). Results are remembered per distinct case.
class SupportClassifier {
public:
    explicit SupportClassifier(const Scenario& s);
    SupportKind kind(int year, int unit, int group);
    /// True when some rule covering `group` pays less than the whole contribution (a share
    /// below 100% or a fixed amount): the form then names the kind in the group's rows.
    bool partly_supported_category(int group) const { return partial_category_.at(static_cast<std::size_t>(group)); }

private:
    SupportKind lookup(int year, int unit, int group);
    SupportKind compute(int year, int unit, int group) const;

    const Scenario& s_;
    std::vector<std::vector<int>> rules_of_group_;
    std::vector<bool> partial_category_;
    /// Per unit × group: which of the group's rules the unit meets (bit k = k-th rule),
    /// when the group has at most 64 rules.
    std::vector<std::uint64_t> match_mask_;
    /// Per (year, group): (mask, kind) pairs already worked out.
    std::vector<std::vector<std::pair<std::uint64_t, SupportKind>>> memo_;
    /// The last question and its answer.
    int last_year_ = 0, last_unit_ = -1, last_group_ = -1;
    SupportKind last_kind_ = SupportKind::full;
};

/// One row of the form: a supported group (and kind) in one year, or a total.
struct ReconciliationRow {
    int group = -1;  ///< -1: the total row
    SupportKind kind = SupportKind::full;
    bool show_kind = false;       ///< the label names the kind ("supported 100%" / "partly")
    Headcount person_months = 0;  ///< cards = person_months / 12 (yearly average persons)
    Dong due = 0;                 ///< contribution due at the statutory rate
    std::array<Dong, kLevelCount> state_by_level{};  ///< central, province, commune budgets
    Dong state = 0;                                  ///< paid by the state (all budgets)
    Dong transferred = 0;                            ///< quarters transferred by the as-of date
    Dong participants() const { return due - state; }
    Dong to_transfer() const { return state - transferred; }
};

struct ReconciliationYear {
    int year = 0;
    std::vector<ReconciliationRow> rows;  ///< the same (group, kind) rows every year
    ReconciliationRow total;
};

// ---- units shown ---------------------------------------------------------------------

struct ShownUnits {
    std::vector<int> units;     ///< shown units, grouped by root, then in scenario order
    std::vector<int> slot_of;   ///< per scenario unit: its slot in `units` (a leaf: its shown ancestor's), or -1
    std::vector<int> root_of;   ///< per slot: the root unit above it (itself for a root)
    bool leaves = true;         ///< the leaf units themselves (else their ancestors)
    UnitLevel level = UnitLevel::commune;  ///< the first shown unit's level
    std::vector<int> roots;     ///< roots with shown units, in slot order
    /// Totals per root before the grand total: several roots, shown units below them.
    bool subtotal_per_root = false;
};

ShownUnits shown_units(const Scenario& s, std::size_t max_units = kMaxShownUnits);

// ---- all the tables ------------------------------------------------------------------

struct RuleRow {
    int rule = 0;
    std::vector<Dong> cost;                 ///< per year index
    std::vector<Headcount> person_months;   ///< per year index
    Dong total = 0;
};

struct CommuneBillRow {
    int year = 0;
    int slot = 0;
    int rule = 0;
    Headcount person_months = 0;
    Dong cost = 0;
};

struct ReportTables {
    const Scenario* scenario = nullptr;
    std::optional<Date> as_of;
    std::vector<int> years;   ///< first_year..last_year
    std::vector<int> payers;  ///< payer columns: the payers budget_by_year_payer.csv lists, scenario order
    std::vector<std::array<bool, kQuarterCount>> transferred;  ///< per year index

    // By year and payer: [year index × payers + payer column].
    std::vector<Dong> year_payer;
    std::vector<Dong> year_total;
    std::vector<Dong> period_payer;
    Dong period_total = 0;
    Dong period_transferred = 0;  ///< all payers, quarters transferred by as_of

    std::vector<RuleRow> rules;  ///< rules with at least one budget line, scenario order

    ShownUnits shown;
    /// By shown unit: [(year index × slots + slot) × payers + payer column].
    std::vector<Dong> unit_payer;
    /// Quarterly, province totals: [(year index × 4 + quarter) × payers + payer column].
    std::vector<Dong> quarter_payer;
    /// Quarterly per shown unit: [((year index × payers + payer column) × slots + slot) × 4 + quarter].
    std::vector<Dong> unit_quarter;
    /// Slots with at least one budget line of the payer column in the year (rows to show).
    std::vector<char> unit_quarter_seen;  ///< [(year index × payers + payer column) × slots + slot]
    std::vector<char> unit_seen;          ///< [year index × slots + slot]: any line

    std::vector<CommuneBillRow> commune_bills;  ///< commune-level payers, by year, slot, rule
    std::vector<const CoverageRow*> coverage;   ///< shown units and their ancestors, (year, unit) order

    std::vector<ReconciliationYear> reconciliation;
    /// Reports on other divisions (--by), when the writer was given them; else nullptr.
    const std::vector<DivisionTables>* divisions = nullptr;
    /// Whole-period cost per scenario unit (its own budget lines), and whether it has any.
    std::vector<Dong> unit_period_cost;
    std::vector<char> unit_period_seen;

    std::size_t slots() const { return shown.units.size(); }
    std::size_t year_index(int year) const { return static_cast<std::size_t>(year - years.front()); }
    Dong unit_cost(std::size_t y, std::size_t slot, std::size_t p) const {
        return unit_payer[(y * slots() + slot) * payers.size() + p];
    }
    Dong quarter_cost(std::size_t y, int q, std::size_t p) const {
        return quarter_payer[(y * kQuarterCount + static_cast<std::size_t>(q)) * payers.size() + p];
    }
    Dong unit_quarter_cost(std::size_t y, std::size_t p, std::size_t slot, int q) const {
        return unit_quarter[((y * payers.size() + p) * slots() + slot) * kQuarterCount + static_cast<std::size_t>(q)];
    }
};

/// Every table, from `r` (which must have a scenario) and the as-of date of `o`.
ReportTables build_report_tables(const Results& r, const ReportOptions& o);

/// What the tables need of a run, gathered one year at a time (a national run's budget
/// lines are not all held at once): budget lines and cohort rows summed over the units
/// that share a shown unit and a kind of support — the tables never tell such units
/// apart, so build_report_tables(condensed()) gives the tables of the whole run — and each
/// unit's whole-period cost. The sums are exact, so nothing differs but the row count.
class TablesInput {
public:
    explicit TablesInput(const Scenario& s);
    ~TablesInput();
    TablesInput(const TablesInput&) = delete;
    TablesInput& operator=(const TablesInput&) = delete;
    void add(const Results& part);
    /// The condensed lines and cohort rows (no coverage, transfers or warnings).
    const Results& condensed() const { return condensed_; }
    /// Sets the per-unit whole-period costs of `t` from the exact lines seen.
    void fill_unit_costs(ReportTables& t) const;

private:
    struct Index;
    const Scenario& s_;
    ShownUnits shown_;
    SupportClassifier classify_;
    Results condensed_;
    std::vector<Dong> unit_cost_;
    std::vector<char> unit_seen_;
    std::unique_ptr<Index> index_;
};

/// The workbook and the page from tables built once (write_reports() shares them).
void write_xlsx_report(const std::filesystem::path& path, const Results& r, const ReportOptions& o,
                       const ReportTables& tables);
void write_html_report(std::ostream& out, const Results& r, const ReportOptions& o, const ReportTables& tables);

// ---- coverage ------------------------------------------------------------------------

/// Whole persons still to enrol to reach the target: ⌈target × population − enrolled⌉,
/// 0 when met or without a target (coverage.csv's gap_persons).
std::int64_t gap_persons(const CoverageRow& row);

// ---- assumptions -----------------------------------------------------------------------

/// One dated parameter value or rule with its source: the rows of provenance.csv, the
/// workbook's Assumptions sheet and the page's assumptions table.
struct AssumptionRow {
    enum class Type { money, share, text };
    std::string kind;   ///< base_salary, contribution_rate, household_reduction, enrolment_rate, growth_rate, rule
    std::string id;     ///< the parameter or rule id ("near_poor:13285" for a unit's enrolment)
    std::string label;  ///< in the report language
    Date from;
    std::optional<Date> to;
    std::string value;  ///< as provenance.csv writes it: "2340000", "4.5%", "100%;70%"
    Type type = Type::text;
    Dong money = 0;     ///< Type::money (a base salary, a rule's fixed amount per person-month)
    Decimal share;      ///< Type::share
    int payer = -1;     ///< a rule's payer
    const Provenance* provenance = nullptr;
    /// Not from a legal or statistical source: confidence `assumption` or `illustrative`.
    bool assumed() const;
    /// Type::text's value as the workbook and the page show it: in Vietnamese with
    /// decimal commas and the parts apart ("-0,05%", "logistic observed=20,30% …"); in
    /// English as provenance.csv writes it.
    std::string shown_text(Lang lang) const;
};

std::vector<AssumptionRow> assumption_rows(const Scenario& s, Lang lang);

// ---- labels --------------------------------------------------------------------------

/// Names in one language, falling back to the id when the scenario gives none.
std::string group_label(const Scenario& s, int group, Lang lang);
std::string rule_label(const Scenario& s, int rule, Lang lang);
std::string payer_label(const Scenario& s, int payer, Lang lang);
/// The form's row label: the group's name, and the kind when `row.show_kind`.
std::string reconciliation_label(const Scenario& s, const ReconciliationRow& row, Lang lang);
/// "Tổng cộng An Giang" for one root, "Tổng cộng" for several.
std::string total_label(const Scenario& s, const ShownUnits& shown, Lang lang);
/// The word for the shown units' level: "xã" / "huyện" / "tỉnh" (as a column heading).
std::string unit_level_heading(const ShownUnits& shown, Lang lang);

/// Whole đồng in the language's style without a currency sign: "1.263.600" / "1,263,600".
std::string grouped_text(std::int64_t v, Lang lang);
/// Hundredths in the language's style: "95,95" / "95.95" (thousands grouped).
std::string hundredths_text(std::int64_t hundredths, Lang lang);
/// A date as the language writes it: "01/07/2018" / "2018-07-01".
std::string date_label(Date d, Lang lang);
/// Yearly-average persons (person-months / 12) in hundredths of a person, half-up.
std::int64_t yearly_hundredths(Headcount person_months);

}  // namespace subsim::report_detail
