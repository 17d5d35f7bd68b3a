// report.xlsx and report.html as people open them. The real binary writes the reports of
// An Giang (Vietnamese, as of 15/8/2018), Ninh Bình (English, as of 15/8/2026) and a
// copy of An Giang whose unit names are hostile; then
//  - headless LibreOffice opens each workbook with formulas recalculated and writes every
//    sheet as CSV: each sheet's figures must equal the CSV reports, and the
//    reconciliation form's columns must add up;
//  - headless Chromium renders each page: every figure in the DOM is a CSV value, the
//    page fetches nothing (its network log shows no request made by the page), and a
//    screenshot is taken (tests/e2e/README: look at it when the layout changes);
//  - hostile names stay text everywhere (no formula, no script).
// Converting takes seconds, so everything is produced once, when the program starts (the
// program is one ctest test). Without soffice or chromium the tests are skipped, or fail
// when SUBSIM_REQUIRE_OFFICE=1 (CI sets it).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "../crash/process.hpp"
#include "subsim/core/date.hpp"
#include "subsim/i18n/i18n.hpp"

namespace subsim {
namespace {

namespace fs = std::filesystem;
using testing::read_bytes;

// ---- the environment ---------------------------------------------------------------------

std::optional<fs::path> find_program(const std::vector<std::string>& names) {
    const char* path = std::getenv("PATH");
    if (path == nullptr) return std::nullopt;
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');)
        for (const std::string& name : names) {
            const fs::path candidate = fs::path(dir) / name;
            if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        }
    return std::nullopt;
}

bool office_required() {
    const char* v = std::getenv("SUBSIM_REQUIRE_OFFICE");
    return v != nullptr && std::string(v) == "1";
}

/// Runs argv (under `timeout`), stdout/stderr to files; returns the exit status.
int run(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err,
        const std::vector<std::string>& env_extra = {}, const fs::path& cwd = {}) {
    testing::SpawnOptions o;
    o.env = testing::environment("SOURCE_DATE_EPOCH", env_extra);
    o.stdout_file = out;
    o.stderr_file = err;
    o.working_dir = cwd;
    std::vector<std::string> args{"/usr/bin/timeout", "300"};
    args.insert(args.end(), argv.begin(), argv.end());
    const int status = testing::wait_for(testing::spawn(args, o));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void write_text(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

// ---- CSV ---------------------------------------------------------------------------------

using Rows = std::vector<std::vector<std::string>>;

/// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks.
Rows parse_csv(const std::string& text) {
    Rows rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            row.push_back(field);
            field.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            row.push_back(field);
            rows.push_back(row);
            row.clear();
            field.clear();
            any = false;
        } else {
            field += c;
            any = true;
        }
    }
    if (any || !field.empty()) {
        row.push_back(field);
        rows.push_back(row);
    }
    return rows;
}

/// A CSV report with named columns.
struct Csv {
    std::vector<std::string> header;
    Rows rows;
    std::size_t col(const std::string& name) const {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) throw std::runtime_error("no column " + name);
        return static_cast<std::size_t>(it - header.begin());
    }
};

Csv read_csv(const fs::path& p) {
    Rows all = parse_csv(read_bytes(p));
    Csv c;
    if (all.empty()) return c;
    c.header = all.front();
    c.rows.assign(all.begin() + 1, all.end());
    return c;
}

long long whole(const std::string& text) {
    if (text.empty()) return 0;
    return std::llround(std::stod(text));
}
/// A decimal text as hundredths ("95.95" → 9595; "255169" → 25516900).
long long hundredths(const std::string& text) { return text.empty() ? 0 : std::llround(std::stod(text) * 100.0); }

/// A percentage cell as LibreOffice writes it ("95.06%", or the fraction 0.9506) in
/// hundredths of a percent.
long long percent_hundredths(const std::string& text) {
    if (!text.empty() && text.back() == '%') return hundredths(text.substr(0, text.size() - 1));
    return std::llround(std::stod(text) * 10000.0);
}

bool blank(const std::vector<std::string>& row) {
    return std::all_of(row.begin(), row.end(), [](const std::string& s) { return s.empty(); });
}
bool is_number(const std::string& s) {
    if (s.empty()) return false;
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return end != nullptr && *end == '\0';
}

// ---- the runs ----------------------------------------------------------------------------

struct OfficeRun {
    std::string name;  ///< file stem for the converted sheets
    Lang lang = Lang::vi;
    Date as_of;
    fs::path out;
    std::map<std::string, Csv> csv;  ///< report CSVs by file name
    std::map<std::string, Rows> sheets;  ///< the workbook's sheets, as LibreOffice saw them
    std::string html;
    std::string dom;
    std::string netlog;
    fs::path screenshot;

    std::string tr(std::string_view key, std::initializer_list<i18n::Arg> args = {}) const {
        return i18n::tr_in(lang, key, args);
    }
    const Csv& report(const std::string& file) const { return csv.at(file); }
    /// The rows of a sheet after its heading row (whose first cell is `first_heading`),
    /// blank rows dropped.
    Rows table(const std::string& sheet_key, const std::string& first_heading) const {
        const auto it = sheets.find(tr(sheet_key));
        if (it == sheets.end()) throw std::runtime_error("no sheet " + tr(sheet_key));
        Rows rows;
        bool in_table = false;
        for (const auto& row : it->second) {
            if (!in_table) {
                in_table = !row.empty() && row[0] == first_heading;
                continue;
            }
            if (!blank(row)) rows.push_back(row);
        }
        return rows;
    }
};

struct Office {
    bool ready = false;
    std::string why;  ///< what is missing or went wrong
    fs::path root;
    OfficeRun an_giang, ninh_binh, hostile;
    OfficeRun compare;  ///< subsim compare of Ninh Bình with variant (a), in English
    std::string control_netlog;  ///< a page that does fetch something
};

Office* office = nullptr;

constexpr const char* kAnGiangEpoch = "1534291200";   // 2018-08-15T00:00:00Z
constexpr const char* kNinhBinhEpoch = "1786752000";  // 2026-08-15T00:00:00Z (2026-01-01 + 226 days)

std::string lo_profile_xcu() {
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
)";
}

void prepare(Office& o) {
    const auto soffice = find_program({"soffice", "libreoffice"});
    const auto chromium = find_program({"chromium", "chromium-browser", "google-chrome"});
    if (!soffice || !chromium) {
        o.why = std::string("not installed:") + (soffice ? "" : " soffice") + (chromium ? "" : " chromium");
        return;
    }
    o.root = fs::temp_directory_path() / ("subsim-office-" + std::to_string(::getpid()));
    fs::remove_all(o.root);
    fs::create_directories(o.root / "sheets");
    const fs::path log = o.root / "log";

    // The hostile scenario: An Giang with three district names changed.
    const fs::path source = fs::path(SUBSIM_SOURCE_DIR) / "scenarios/an-giang-2016-2020";
    const fs::path hostile_dir = o.root / "scenarios" / "hostile";
    fs::create_directories(hostile_dir);
    for (const auto& e : fs::directory_iterator(source)) fs::copy_file(e.path(), hostile_dir / e.path().filename());
    std::string units = read_bytes(hostile_dir / "units.csv");
    const auto rename = [&](const std::string& from, const std::string& to) {
        const std::size_t at = units.find(from);
        if (at == std::string::npos) throw std::runtime_error("units.csv: no " + from);
        units.replace(at, from.size(), to);
    };
    rename("883,Thành phố Long Xuyên,", "883,<script>alert(1)</script>,");
    rename("884,Thành phố Châu Đốc,", "884,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",");
    rename("886,Huyện An Phú,", "886,+1,");
    fs::remove(hostile_dir / "units.csv");
    write_text(hostile_dir / "units.csv", units);

    struct Job {
        OfficeRun* run;
        std::string name;
        fs::path scenario;
        Lang lang;
        const char* epoch;
        Date as_of;
    };
    const std::vector<Job> jobs = {
        {&o.an_giang, "ag", source / "scenario.yaml", Lang::vi, kAnGiangEpoch, {2018, 8, 15}},
        {&o.ninh_binh, "nb", fs::path(SUBSIM_SOURCE_DIR) / "scenarios/ninh-binh-2026/scenario.yaml", Lang::en,
         kNinhBinhEpoch, {2026, 8, 15}},
        {&o.hostile, "hostile", hostile_dir / "scenario.yaml", Lang::vi, kAnGiangEpoch, {2018, 8, 15}},
    };
    std::vector<std::string> convert{soffice->string(), "-env:UserInstallation=file://" + (o.root / "lo").string(),
                                     "--headless", "--norestore", "--convert-to",
                                     "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
                                     "--outdir", (o.root / "sheets").string()};
    for (const Job& j : jobs) {
        OfficeRun& r = *j.run;
        r.name = j.name;
        r.lang = j.lang;
        r.as_of = j.as_of;
        r.out = o.root / j.name;
        const int rc = run({SUBSIM_BINARY, "run", j.scenario.string(), "--out", r.out.string(), "--lang",
                            j.lang == Lang::vi ? "vi" : "en"},
                           log, log.string() + ".err", {std::string("SOURCE_DATE_EPOCH=") + j.epoch});
        if (rc != 0) {
            o.why = "subsim run " + j.name + " failed: " + read_bytes(log.string() + ".err");
            return;
        }
        for (const auto& e : fs::directory_iterator(r.out))
            if (e.path().extension() == ".csv") r.csv[e.path().filename().string()] = read_csv(e.path());
        r.html = read_bytes(r.out / "report.html");
        fs::copy_file(r.out / "report.xlsx", o.root / (j.name + ".xlsx"));
        convert.push_back((o.root / (j.name + ".xlsx")).string());
    }

    // A comparison's workbook too: Ninh Bình against variant (a).
    {
        OfficeRun& r = o.compare;
        r.name = "cmp";
        r.lang = Lang::en;
        r.out = o.root / "cmp";
        const fs::path nb = fs::path(SUBSIM_SOURCE_DIR) / "scenarios/ninh-binh-2026";
        const int rc = run({SUBSIM_BINARY, "compare", (nb / "scenario.yaml").string(),
                            (nb / "variants/aged-70-74-half.yaml").string(), "--out", r.out.string(), "--lang", "en"},
                           log, log.string() + ".err", {std::string("SOURCE_DATE_EPOCH=") + kNinhBinhEpoch});
        if (rc != 0) {
            o.why = "subsim compare failed: " + read_bytes(log.string() + ".err");
            return;
        }
        for (const auto& e : fs::directory_iterator(r.out))
            if (e.path().extension() == ".csv") r.csv[e.path().filename().string()] = read_csv(e.path());
        fs::copy_file(r.out / "report.xlsx", o.root / "cmp.xlsx");
        convert.push_back((o.root / "cmp.xlsx").string());
    }

    // LibreOffice: recalculate on load (a fresh profile that says so), every sheet to CSV.
    fs::create_directories(o.root / "lo" / "user");
    write_text(o.root / "lo" / "user" / "registrymodifications.xcu", lo_profile_xcu());
    if (run(convert, log, log.string() + ".err", {"HOME=" + (o.root / "lo").string()}) != 0) {
        o.why = "soffice failed: " + read_bytes(log.string() + ".err");
        return;
    }
    std::vector<OfficeRun*> converted;
    for (const Job& j : jobs) converted.push_back(j.run);
    converted.push_back(&o.compare);
    for (OfficeRun* r : converted)
        for (const auto& e : fs::directory_iterator(o.root / "sheets")) {
            const std::string file = e.path().filename().string();
            const std::string prefix = r->name + "-";
            if (file.rfind(prefix, 0) != 0 || e.path().extension() != ".csv") continue;
            const std::string sheet = file.substr(prefix.size(), file.size() - prefix.size() - 4);
            r->sheets[sheet] = parse_csv(read_bytes(e.path()));
        }

    // Chromium: DOM, network log, one screenshot.
    const auto chrome = [&](const fs::path& page, const std::string& tag, bool screenshot, std::string* dom,
                            std::string* netlog) {
        std::vector<std::string> args{chromium->string(),
                                      "--headless",
                                      "--no-sandbox",
                                      "--disable-gpu",
                                      "--no-first-run",
                                      "--disable-background-networking",
                                      "--disable-component-update",
                                      "--disable-sync",
                                      "--user-data-dir=" + (o.root / ("chrome-" + tag)).string(),
                                      "--log-net-log=" + (o.root / (tag + ".netlog.json")).string(),
                                      "--window-size=1200,1600",
                                      "--dump-dom"};
        if (screenshot) args.push_back("--screenshot=" + (o.root / (tag + ".png")).string());
        args.push_back("file://" + page.string());
        const fs::path dom_file = o.root / (tag + ".dom.html");
        if (run(args, dom_file, o.root / (tag + ".chrome.err"), {"HOME=" + o.root.string()}) != 0)
            throw std::runtime_error("chromium failed on " + page.string());
        if (dom) *dom = read_bytes(dom_file);
        if (netlog) *netlog = read_bytes(o.root / (tag + ".netlog.json"));
    };
    try {
        chrome(o.an_giang.out / "report.html", "ag", false, &o.an_giang.dom, &o.an_giang.netlog);
        chrome(o.ninh_binh.out / "report.html", "nb", true, &o.ninh_binh.dom, &o.ninh_binh.netlog);
        o.ninh_binh.screenshot = o.root / "nb.png";
        chrome(o.hostile.out / "report.html", "hostile", false, &o.hostile.dom, &o.hostile.netlog);
        // A control page that does fetch: the network check must see it.
        write_text(o.root / "control.html",
                   "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\"></body></html>\n");
        chrome(o.root / "control.html", "control", false, nullptr, &o.control_netlog);
    } catch (const std::exception& e) {
        o.why = e.what();
        return;
    }
    o.ready = true;
}

class OfficeTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (office == nullptr) {
            office = new Office();
            prepare(*office);
        }
    }
    void SetUp() override {
        if (office->ready) return;
        if (office_required()) GTEST_FAIL() << "SUBSIM_REQUIRE_OFFICE=1 but " << office->why;
        GTEST_SKIP() << office->why;
    }
    static std::vector<const OfficeRun*> runs() { return {&office->an_giang, &office->ninh_binh}; }
};

/// Sums of a CSV's `value` column by a key built from the row.
template <class Key>
std::map<Key, long long> sum_by(const Csv& c, const std::string& value, Key (*key)(const Csv&, const std::vector<std::string>&)) {
    std::map<Key, long long> sums;
    for (const auto& row : c.rows) sums[key(c, row)] += whole(row[c.col(value)]);
    return sums;
}

// ---- the workbook ------------------------------------------------------------------------

TEST_F(OfficeTest, EverySheetWasConverted) {
    for (const OfficeRun* r : runs()) {
        SCOPED_TRACE(r->name);
        for (const char* key : {"report.sheet.reconciliation", "report.sheet.summary", "report.sheet.by_year",
                                "report.sheet.by_rule", "report.sheet.quarterly", "report.sheet.commune_bills",
                                "report.sheet.coverage", "report.sheet.assumptions"})
            EXPECT_TRUE(r->sheets.count(r->tr(key))) << r->tr(key);
        // Ten sheets, and one per report division (--by, or the scenario's `reports: by:`).
        std::size_t divisions = 0;
        for (const auto& [file, csv] : r->csv) divisions += file.rfind("budget_by_old_", 0) == 0 ? 1 : 0;
        EXPECT_EQ(r->sheets.size(), 10u + divisions);
    }
}

/// The first quarters of `year` ended by `as_of` under the calendar quarters both
/// scenarios use: a quarter q (1..4) ends on the last day of month 3q.
bool quarter_done(int year, int quarter, Date as_of) {
    const int month = 3 * quarter;
    return Date{year, month, Date::days_in_month(year, month)} <= as_of;
}

TEST_F(OfficeTest, ReconciliationFormEqualsTheCsvsAndAddsUp) {
    for (const OfficeRun* r : runs()) {
        SCOPED_TRACE(r->name);
        const Csv& cohorts = r->report("cohort_costs.csv");
        const Csv& lines = r->report("budget_lines.csv");
        const Csv& quarters = r->report("budget_by_quarter.csv");
        // Per (year, group label): person-months, due, state, participants; per level.
        struct Expected {
            long long pm_ten_thousandths = 0, due = 0, state = 0, participants = 0;
            long long level[3] = {0, 0, 0};
        };
        // The two detail files carry group ids; labels.csv names them in the run's language.
        const Csv& labels = r->report("labels.csv");
        std::map<std::string, std::string> group_label;
        for (const auto& row : labels.rows)
            if (row[labels.col("kind")] == "group") group_label[row[labels.col("id")]] = row[labels.col(r->lang == Lang::vi ? "label_vi" : "label_en")];
        ASSERT_FALSE(group_label.empty());
        std::map<std::pair<int, std::string>, Expected> expected;
        for (const auto& row : cohorts.rows) {
            Expected& e = expected[{std::stoi(row[0]), group_label.at(row[cohorts.col("group")])}];
            e.pm_ten_thousandths += std::llround(std::stod(row[cohorts.col("person_months")]) * 10000.0);
            e.due += whole(row[cohorts.col("contribution_due_vnd")]);
            e.state += whole(row[cohorts.col("state_paid_vnd")]);
            e.participants += whole(row[cohorts.col("participant_paid_vnd")]);
        }
        for (const auto& row : lines.rows) {
            const std::string payer = row[lines.col("payer")];
            const int level = payer == "central" ? 0 : payer == "province" ? 1 : 2;
            expected[{std::stoi(row[0]), group_label.at(row[lines.col("group")])}].level[level] += whole(row[lines.col("cost_vnd")]);
        }
        std::map<int, long long> transferred;
        for (const auto& row : quarters.rows)
            if (quarter_done(std::stoi(row[0]), std::stoi(row[1]), r->as_of))
                transferred[std::stoi(row[0])] += whole(row[quarters.col("cost_vnd")]);

        const std::string total = r->tr("report.total_of", {r->name == "ag" ? "An Giang" : "Ninh Bình"});
        std::map<std::pair<int, std::string>, Expected> seen;
        std::map<int, std::vector<long long>> column_sums;
        int group_rows = 0, total_rows = 0;
        for (const auto& row : r->table("report.sheet.reconciliation", r->tr("report.col.year"))) {
            ASSERT_EQ(row.size(), 11u);
            const int year = std::stoi(row[0]);
            const long long due = whole(row[3]), participants = whole(row[4]), state = whole(row[5]);
            const long long central = whole(row[6]), province = whole(row[7]), commune = whole(row[8]);
            const long long sent = whole(row[9]), to_send = whole(row[10]);
            // The form's columns add up on every row, totals included.
            EXPECT_EQ(due, participants + state) << row[1];
            EXPECT_EQ(state, central + province + commune) << row[1];
            EXPECT_EQ(sent + to_send, state) << row[1];
            if (row[1] == total) {
                ++total_rows;
                const auto& sums = column_sums[year];
                ASSERT_EQ(sums.size(), 11u);
                EXPECT_EQ(hundredths(row[2]), sums[2]) << year;  // SUM recalculated by LibreOffice
                for (std::size_t c = 3; c < 11; ++c) EXPECT_EQ(whole(row[c]), sums[c]) << year << " column " << c;
                EXPECT_EQ(sent, transferred[year]) << year << ": quarters ended by the as-of date";
                continue;
            }
            ++group_rows;
            auto& sums = column_sums[year];
            sums.resize(11, 0);
            sums[2] += hundredths(row[2]);
            for (std::size_t c = 3; c < 11; ++c) sums[c] += whole(row[c]);
            // The row's group: its label is the group's, maybe with the kind after " — ".
            std::string label = row[1];
            if (const std::size_t dash = label.find(" — "); dash != std::string::npos) label = label.substr(0, dash);
            Expected& s = seen[{year, label}];
            s.pm_ten_thousandths += hundredths(row[2]);  // cards, in hundredths, summed over kinds
            s.due += due;
            s.state += state;
            s.participants += participants;
            s.level[0] += central;
            s.level[1] += province;
            s.level[2] += commune;
        }
        EXPECT_EQ(total_rows, 5);
        EXPECT_GT(group_rows, 20);
        ASSERT_EQ(seen.size(), expected.size());
        for (const auto& [key, e] : expected) {
            SCOPED_TRACE(std::to_string(key.first) + " " + key.second);
            const auto it = seen.find(key);
            ASSERT_NE(it, seen.end());
            // Cards: person-months / 12 to 2 decimals, rounded half-up.
            EXPECT_EQ(it->second.pm_ten_thousandths, (e.pm_ten_thousandths + 600) / 1200);
            EXPECT_EQ(it->second.due, e.due);
            EXPECT_EQ(it->second.state, e.state);
            EXPECT_EQ(it->second.participants, e.participants);
            for (int v = 0; v < 3; ++v) EXPECT_EQ(it->second.level[v], e.level[v]) << "level " << v;
        }
    }
}

TEST_F(OfficeTest, AnGiangNearPoor2018RowInTheWorkbook) {
    // Worked out in tests/golden/an_giang_reconciliation_test.cpp: 100,959 cards; due
    // 100,959 × 726,300 = 73,326,521,700 = central 100,959 × 508,410 = 51,328,565,190
    // + province 100,959 × 217,890 = 21,997,956,510; as of 15/8/2018 (the run date here)
    // transferred 100,959 × 351,000 = 35,436,609,000, still to transfer
    // 100,959 × 375,300 = 37,889,912,700.
    const OfficeRun& r = office->an_giang;
    int found = 0;
    for (const auto& row : r.table("report.sheet.reconciliation", r.tr("report.col.year"))) {
        if (row[0] != "2018" || row[1] != "Người thuộc hộ cận nghèo — được hỗ trợ 100% mức đóng") continue;
        ++found;
        EXPECT_EQ(hundredths(row[2]), 10'095'900);
        EXPECT_EQ(whole(row[3]), 73'326'521'700);
        EXPECT_EQ(whole(row[4]), 0);
        EXPECT_EQ(whole(row[5]), 73'326'521'700);
        EXPECT_EQ(whole(row[6]), 51'328'565'190);
        EXPECT_EQ(whole(row[7]), 21'997'956'510);
        EXPECT_EQ(whole(row[8]), 0);
        EXPECT_EQ(whole(row[9]), 35'436'609'000);
        EXPECT_EQ(whole(row[10]), 37'889'912'700);
    }
    EXPECT_EQ(found, 1);
}

std::pair<std::string, std::string> year_payer(const Csv& c, const std::vector<std::string>& row) {
    return {row[0], row[c.col("payer_label")]};
}

TEST_F(OfficeTest, SummaryAndByYearEqualBudgetByYearPayer) {
    for (const OfficeRun* r : runs()) {
        SCOPED_TRACE(r->name);
        const Csv& c = r->report("budget_by_year_payer.csv");
        const auto expected = sum_by(c, "cost_vnd", &year_payer);
        const std::string total = r->tr("report.total");
        // By year: header names the payers; one row per year, then the whole period.
        const auto& sheet = r->sheets.at(r->tr("report.sheet.by_year"));
        std::vector<std::string> heading;
        for (const auto& row : sheet)
            if (!row.empty() && row[0] == r->tr("report.col.year")) heading = row;
        ASSERT_GE(heading.size(), 3u);
        int checked = 0;
        for (const auto& row : r->table("report.sheet.by_year", r->tr("report.col.year"))) {
            const std::string year = row[0] == r->tr("report.col.period") ? "all" : row[0];
            for (std::size_t k = 1; k < heading.size() && !heading[k].empty(); ++k) {
                const std::string payer = heading[k] == total ? total : heading[k];
                ASSERT_TRUE(expected.count({year, payer})) << year << " " << payer;
                EXPECT_EQ(whole(row[k]), expected.at({year, payer})) << year << " " << payer;
                ++checked;
            }
        }
        EXPECT_EQ(checked, static_cast<int>(heading.size() - 1) * 6);  // 5 years and the period
        // Summary: the whole period, each payer, each year.
        std::map<std::string, long long> summary;
        for (const auto& row : r->sheets.at(r->tr("report.sheet.summary")))
            if (row.size() >= 2 && is_number(row[1])) summary[row[0]] = whole(row[1]);
        const std::string years = r->name == "ag" ? "2016–2020" : "2026–2030";
        EXPECT_EQ(summary.at(r->tr("report.summary.period_total", {years})), expected.at({"all", total}));
        for (int y = std::stoi(years.substr(0, 4)); y <= std::stoi(years.substr(years.size() - 4)); ++y)
            EXPECT_EQ(summary.at(r->tr("report.summary.year_total", {y})), expected.at({std::to_string(y), total}));
        long long sent = 0;
        for (const auto& row : r->report("budget_by_quarter.csv").rows)
            if (quarter_done(std::stoi(row[0]), std::stoi(row[1]), r->as_of)) sent += whole(row.back());
        const std::string as_of = r->lang == Lang::vi ? "15/08/2018" : "2026-08-15";
        EXPECT_EQ(summary.at(r->tr("report.summary.transferred", {as_of})), sent);
        EXPECT_EQ(summary.at(r->tr("report.summary.to_transfer")), expected.at({"all", total}) - sent);
    }
}

std::pair<std::string, std::string> year_rule(const Csv& c, const std::vector<std::string>& row) {
    return {row[0], row[c.col("rule")]};
}

TEST_F(OfficeTest, ByPolicyPointEqualsBudgetByRule) {
    for (const OfficeRun* r : runs()) {
        SCOPED_TRACE(r->name);
        const auto expected = sum_by(r->report("budget_by_rule.csv"), "cost_vnd", &year_rule);
        const auto& sheet = r->sheets.at(r->tr("report.sheet.by_rule"));
        std::vector<std::string> heading;
        for (const auto& row : sheet)
            if (!row.empty() && row[0] == r->tr("report.col.rule")) heading = row;
        ASSERT_EQ(heading.size(), 3u + 5u + 1u);  // rule, id, payer, 5 years, whole period
        std::vector<long long> column_sums(heading.size(), 0);
        int rules = 0;
        for (const auto& row : r->table("report.sheet.by_rule", r->tr("report.col.rule"))) {
            if (row[0] == r->tr("report.total")) {
                for (std::size_t k = 3; k < heading.size(); ++k) EXPECT_EQ(whole(row[k]), column_sums[k]) << k;
                continue;
            }
            ++rules;
            for (std::size_t k = 3; k < heading.size(); ++k) {
                const std::string year = k + 1 == heading.size() ? "all" : heading[k];
                const auto it = expected.find({year, row[1]});
                EXPECT_EQ(whole(row[k]), it == expected.end() ? 0 : it->second) << row[1] << " " << year;
                column_sums[k] += whole(row[k]);
            }
        }
        int rules_with_lines = 0;
        for (const auto& row : r->report("budget_by_rule.csv").rows) rules_with_lines += row[0] == "all" ? 1 : 0;
        EXPECT_EQ(rules, rules_with_lines);
        EXPECT_GT(rules, 5);
    }
}

std::tuple<std::string, std::string, std::string> year_unit_payer(const Csv& c, const std::vector<std::string>& row) {
    return {row[0], row[c.col("unit_code")], row[c.col("payer_label")]};
}

TEST_F(OfficeTest, ByUnitEqualsBudgetByUnit) {
    for (const OfficeRun* r : runs()) {
        SCOPED_TRACE(r->name);
        const auto expected = sum_by(r->report("budget_by_unit.csv"), "cost_vnd", &year_unit_payer);
        const auto by_year = sum_by(r->report("budget_by_year_payer.csv"), "cost_vnd", &year_payer);
        const std::string key = r->name == "ag" ? "report.sheet.by_unit.district" : "report.sheet.by_unit.commune";
        const auto& sheet = r->sheets.at(r->tr(key));
        std::vector<std::string> heading;
        for (const auto& row : sheet)
            if (!row.empty() && row[0] == r->tr("report.col.year")) heading = row;
        ASSERT_GE(heading.size(), 5u);
        int units = 0, totals = 0;
        for (const auto& row : r->table(key, r->tr("report.col.year"))) {
            for (std::size_t k = 3; k < heading.size(); ++k) {
                const std::string payer = heading[k];
                if (row[1].empty()) {  // the province total row: budget_by_year_payer.csv
                    EXPECT_EQ(whole(row[k]), by_year.at({row[0], payer})) << row[0] << " " << payer;
                    continue;
                }
                const auto it = expected.find({row[0], row[1], payer});
                EXPECT_EQ(whole(row[k]), it == expected.end() ? 0 : it->second) << row[0] << " " << row[1] << " " << payer;
            }
            (row[1].empty() ? totals : units)++;
        }
        EXPECT_EQ(totals, 5);
        EXPECT_EQ(units, 5 * (r->name == "ag" ? 11 : 129));
    }
}

TEST_F(OfficeTest, QuarterlySheetsEqualBudgetByQuarter) {
    for (const OfficeRun* r : runs()) {
        SCOPED_TRACE(r->name);
        const Csv& q = r->report("budget_by_quarter.csv");
        std::map<std::tuple<std::string, std::string, std::string>, long long> province;  // year, quarter, payer
        std::map<std::tuple<std::string, std::string, std::string, std::string>, long long> unit;  // + code
        for (const auto& row : q.rows) {
            const long long v = whole(row[q.col("cost_vnd")]);
            province[{row[0], row[1], row[q.col("payer_label")]}] += v;
            unit[{row[0], row[1], row[q.col("payer_label")], row[q.col("unit_code")]}] += v;
        }
        const auto by_year = sum_by(r->report("budget_by_year_payer.csv"), "cost_vnd", &year_payer);
        // Province totals: one row per year and quarter, then the year.
        const auto& sheet = r->sheets.at(r->tr("report.sheet.quarterly"));
        std::vector<std::string> heading;
        for (const auto& row : sheet)
            if (!row.empty() && row[0] == r->tr("report.col.year")) heading = row;
        int rows = 0;
        for (const auto& row : r->table("report.sheet.quarterly", r->tr("report.col.year"))) {
            for (std::size_t k = 3; k + 2 < heading.size(); ++k) {  // payers (the total and status follow)
                if (row[1] == r->tr("report.col.whole_year")) {
                    EXPECT_EQ(whole(row[k]), by_year.at({row[0], heading[k]}));
                } else {
                    EXPECT_EQ(whole(row[k]), (province[{row[0], row[1], heading[k]}])) << row[0] << " Q" << row[1];
                }
            }
            const bool done = row[1] != r->tr("report.col.whole_year") &&
                              quarter_done(std::stoi(row[0]), std::stoi(row[1]), r->as_of);
            if (row[1] != r->tr("report.col.whole_year"))
                EXPECT_EQ(row.back(), r->tr(done ? "report.col.transferred" : "report.col.to_transfer"));
            ++rows;
        }
        EXPECT_EQ(rows, 5 * 5);
        // Per unit: Q1..Q4 per (year, payer, unit); the whole year is their sum.
        const std::string key =
            r->name == "ag" ? "report.sheet.quarterly_unit.district" : "report.sheet.quarterly_unit.commune";
        int unit_rows = 0;
        for (const auto& row : r->table(key, r->tr("report.col.year"))) {
            if (row[2].empty()) continue;  // total rows (checked by the recalculated sums below)
            long long year_sum = 0;
            for (int k = 1; k <= 4; ++k) {
                const long long v = whole(row[static_cast<std::size_t>(3 + k)]);
                EXPECT_EQ(v, (unit[{row[0], std::to_string(k), row[1], row[2]}])) << row[0] << " " << row[2];
                year_sum += v;
            }
            EXPECT_EQ(whole(row[8]), year_sum);
            ++unit_rows;
        }
        EXPECT_GT(unit_rows, 5 * 11);
    }
}

TEST_F(OfficeTest, CommuneBillsEqualTheirCsv) {
    const OfficeRun& r = office->ninh_binh;
    const Csv& c = r.report("commune_bills.csv");
    std::map<std::tuple<std::string, std::string, std::string>, std::pair<long long, long long>> expected;
    for (const auto& row : c.rows)
        expected[{row[0], row[c.col("unit_code")], row[c.col("rule")]}] = {hundredths(row[c.col("enrolled_persons")]),
                                                                            whole(row[c.col("cost_vnd")])};
    int rows = 0;
    for (const auto& row : r.table("report.sheet.commune_bills", r.tr("report.col.year"))) {
        if (row[1].empty()) continue;  // a year's total
        const auto& e = expected.at({row[0], row[1], row[4]});
        EXPECT_EQ(hundredths(row[5]), e.first);
        EXPECT_EQ(whole(row[6]), e.second);
        ++rows;
    }
    EXPECT_EQ(static_cast<std::size_t>(rows), c.rows.size());
    EXPECT_GT(rows, 0);
}

TEST_F(OfficeTest, CoverageAndAssumptionsEqualTheirCsvs) {
    for (const OfficeRun* r : runs()) {
        SCOPED_TRACE(r->name);
        const Csv& c = r->report("coverage.csv");
        std::map<std::pair<std::string, std::string>, const std::vector<std::string>*> expected;
        for (const auto& row : c.rows) expected[{row[0], row[c.col("unit_code")]}] = &row;
        int rows = 0;
        for (const auto& row : r->table("report.sheet.coverage", r->tr("report.col.year"))) {
            const auto& e = *expected.at({row[0], row[1]});
            EXPECT_EQ(row[2], e[c.col("unit_name")]);
            EXPECT_EQ(whole(row[4]), whole(e[c.col("population")]));
            EXPECT_EQ(hundredths(row[5]), hundredths(e[c.col("enrolled")]));
            // Percentages are fractions in the workbook (0.9506, shown 95.06%) ↔ 95.06.
            if (!e[c.col("coverage_pct")].empty())
                EXPECT_EQ(percent_hundredths(row[6]), hundredths(e[c.col("coverage_pct")]));
            if (!e[c.col("target_pct")].empty())
                EXPECT_EQ(percent_hundredths(row[7]), hundredths(e[c.col("target_pct")]));
            EXPECT_EQ(whole(row[8]), whole(e[c.col("gap_persons")]));
            ++rows;
        }
        EXPECT_EQ(static_cast<std::size_t>(rows), c.rows.size());

        const Csv& p = r->report("provenance.csv");
        const Rows sheet = r->table("report.sheet.assumptions", r->tr("report.col.kind"));
        ASSERT_EQ(sheet.size(), p.rows.size());
        for (std::size_t k = 0; k < sheet.size(); ++k) {
            EXPECT_EQ(sheet[k][1], p.rows[k][p.col("id")]);
            EXPECT_EQ(sheet[k][2], p.rows[k][p.col("label")]);
            EXPECT_EQ(sheet[k][7], p.rows[k][p.col("reference")]);
        }
    }
}

// ---- the page ----------------------------------------------------------------------------

std::vector<std::string> data_values(const std::string& dom) {
    static const std::regex data(R"re(<data value="([^"]*)">)re");
    std::vector<std::string> values;
    for (auto it = std::sregex_iterator(dom.begin(), dom.end(), data); it != std::sregex_iterator(); ++it)
        values.push_back((*it)[1].str());
    return values;
}

TEST_F(OfficeTest, PageFiguresAreCsvValues) {
    for (const OfficeRun* r : runs()) {
        SCOPED_TRACE(r->name);
        std::set<std::string> fields;
        for (const auto& [file, csv] : r->csv)  // every CSV of the run (by-division tables too)
            if (file != "budget_lines.csv" && file != "cohort_costs.csv")
                for (const auto& row : csv.rows) fields.insert(row.begin(), row.end());
        const std::vector<std::string> values = data_values(r->dom);
        EXPECT_GT(values.size(), 50u);
        for (const std::string& v : values) EXPECT_TRUE(fields.count(v)) << v << " is in no CSV";
        // The headline: the whole period's total.
        const auto all = sum_by(r->report("budget_by_year_payer.csv"), "cost_vnd", &year_payer);
        EXPECT_NE(r->dom.find("<data value=\"" + std::to_string(all.at({"all", r->tr("report.total")})) + "\">"),
                  std::string::npos);
    }
}

TEST_F(OfficeTest, PageFetchesNothing) {
    // The check can see a page's request: the control page's image is one.
    EXPECT_NE(office->control_netlog.find("\"initiator\":\"null\""), std::string::npos);
    for (const OfficeRun* r : {&office->an_giang, &office->ninh_binh, &office->hostile}) {
        SCOPED_TRACE(r->name);
        ASSERT_FALSE(r->netlog.empty());
        EXPECT_EQ(r->netlog.find("\"initiator\":\"null\""), std::string::npos) << "the page made a request";
        for (const char* banned : {"<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import"})
            EXPECT_EQ(r->html.find(banned), std::string::npos) << banned;
        if (r != &office->hostile) {
            EXPECT_EQ(r->html.find("http://"), std::string::npos);
            EXPECT_EQ(r->html.find("https://"), std::string::npos);
        }
    }
    // The screenshot (1200 × 1600) was taken: a PNG.
    const std::string png = read_bytes(office->ninh_binh.screenshot);
    EXPECT_EQ(png.rfind("\x89PNG", 0), 0u);
    EXPECT_GT(png.size(), 20'000u);
}

// ---- hostile names -----------------------------------------------------------------------

TEST_F(OfficeTest, HostileNamesStayText) {
    const OfficeRun& r = office->hostile;
    // CSV: the formula-like names get a quote; the script is just text.
    const std::string units = read_bytes(r.out / "budget_by_unit.csv");
    EXPECT_NE(units.find(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",central,"), std::string::npos);
    EXPECT_NE(units.find(",886,'+1,central,"), std::string::npos);
    EXPECT_NE(units.find(",<script>alert(1)</script>,"), std::string::npos);
    // XLSX, as LibreOffice reads it after recalculating: text cells as written (no quote
    // in front), no formula result.
    std::set<std::string> cells;
    for (const auto& [name, rows] : r.sheets)
        for (const auto& row : rows) cells.insert(row.begin(), row.end());
    EXPECT_TRUE(cells.count("=HYPERLINK(\"http://x\",\"y\")"));
    EXPECT_TRUE(cells.count("+1"));
    EXPECT_TRUE(cells.count("<script>alert(1)</script>"));
    EXPECT_FALSE(cells.count("y")) << "HYPERLINK was evaluated";
    // HTML: escaped in the file, text in the rendered DOM.
    EXPECT_NE(r.html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_EQ(r.dom.find("<script"), std::string::npos);
    EXPECT_NE(r.dom.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(r.dom.find("=HYPERLINK(\"http://x\",\"y\")"), std::string::npos);
    EXPECT_EQ(r.dom.find("<a "), std::string::npos);
}

// ---- the comparison's workbook -------------------------------------------------------------

TEST_F(OfficeTest, CompareWorkbookRecalculatesToItsCsv) {
    // "By year and payer" as LibreOffice recalculated it (total rows are SUM formulas) against
    // compare_by_year_payer.csv: year, payer, payer_name, variant, base, variant, diff, diff %.
    const OfficeRun& r = office->compare;
    const Csv& csv = r.report("compare_by_year_payer.csv");
    const Rows rows = r.table("office.sheet.by_year_payer", r.tr("office.col.year"));
    ASSERT_EQ(rows.size(), csv.rows.size());
    std::size_t totals = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& want = csv.rows[i];
        const auto& got = rows[i];
        ASSERT_GE(got.size(), 7u) << "row " << i;
        EXPECT_EQ(got[1], want[csv.col("payer")]) << "row " << i;
        EXPECT_EQ(whole(got[4]), whole(want[csv.col("base_vnd")])) << "row " << i;
        EXPECT_EQ(whole(got[5]), whole(want[csv.col("variant_vnd")])) << "row " << i;
        EXPECT_EQ(whole(got[6]), whole(want[csv.col("diff_vnd")])) << "row " << i;
        EXPECT_EQ(whole(got[6]), whole(got[5]) - whole(got[4])) << "row " << i;
        if (want[csv.col("payer")] == "total") ++totals;
    }
    EXPECT_EQ(totals, 6u);  // five years and the whole period
    // "By commune" as LibreOffice recalculated it: the variant's total row (SUM of its
    // communes, column G: the difference over the period, all payers) is the CSV's
    // whole-period total difference.
    std::string period_diff;
    for (const auto& want : csv.rows)
        if (want[csv.col("year")] == "all" && want[csv.col("payer")] == "total") period_diff = want[csv.col("diff_vnd")];
    ASSERT_FALSE(period_diff.empty());
    const Rows units = r.table("office.sheet.by_unit", r.tr("office.col.variant"));
    std::size_t commune_rows = 0, total_rows = 0;
    for (const auto& got : units) {
        if (got.size() < 7) continue;
        if (got[2] == r.tr("compare.total")) {
            ++total_rows;
            EXPECT_EQ(whole(got[6]), whole(period_diff));
        } else {
            ++commune_rows;
        }
    }
    EXPECT_EQ(total_rows, 1u);
    EXPECT_GT(commune_rows, 100u);
    // Every sheet of the comparison was converted.
    for (const char* key : {"office.sheet.by_year_payer", "office.sheet.by_rule", "office.sheet.by_unit",
                            "office.sheet.stacked", "office.sheet.support", "office.sheet.coverage"})
        EXPECT_TRUE(r.sheets.count(r.tr(key))) << r.tr(key);
}

}  // namespace
}  // namespace subsim

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    const int rc = RUN_ALL_TESTS();
    if (subsim::office != nullptr && subsim::office->ready && std::getenv("SUBSIM_KEEP_OFFICE") == nullptr)
        std::filesystem::remove_all(subsim::office->root);
    return rc;
}
