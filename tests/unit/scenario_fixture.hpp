#pragma once
// A small scenario built in code (no loader), shared by the engine's unit tests.
// Province P with communes A and B; groups near_poor, aged_70_74 and a time-limited
// trafficking_victims group; base salary 2,340,000 from 2024-07-01, 2,530,000 from 2026-07-01.
#include "subsim/model/scenario.hpp"

namespace subsim::testing {

inline Decimal pct(const char* text) { return *Decimal::parse(text); }

inline Rule make_rule(std::string id, std::vector<int> groups, const char* share, int payer, Date from) {
    Rule r;
    r.id = std::move(id);
    r.label = {r.id, r.id};
    r.groups = std::move(groups);
    r.share = pct(share);
    r.payer = payer;
    r.from = from;
    r.where = {"fixture.yaml", 1, 1};
    r.share_where = {"fixture.yaml", 1, 1};
    return r;
}

enum : int { kCentral = 0, kProvince = 1, kCommune = 2 };
enum : int { kNearPoor = 0, kAged = 1, kTrafficking = 2 };
enum : int { kP = 0, kA = 1, kB = 2 };

inline Scenario small_scenario() {
    Scenario s;
    s.id = "fixture";
    s.title = {"Thử", "Fixture"};
    s.first_year = 2026;
    s.last_year = 2027;
    s.where = {"fixture.yaml", 0, 0};
    s.parameters.base_salary.entries = {{{2024, 7, 1}, 2340000, {}, {}}, {{2026, 7, 1}, 2530000, {}, {}}};
    s.parameters.contribution_rate.entries = {{{2014, 7, 1}, pct("4.5%"), {}, {}}};
    s.data_mut().units = {{"P", "Province", UnitLevel::province, -1, {}, {}},
               {"A", "Commune A", UnitLevel::commune, kP, {{"poor_commune", "false"}}, {}},
               {"B", "Commune B", UnitLevel::commune, kP, {}, {}}};
    s.data_mut().groups = {{"near_poor", {"Cận nghèo", "Near-poor"}, 0, {}},
                {"aged_70_74", {"70-74", "Aged 70-74"}, 0, {}},
                {"trafficking_victims", {"Nạn nhân", "Trafficking victims"}, 12, {}}};
    s.payers = {{"central", {"TW", "Central"}, PayerLevel::central, false, {}},
                {"province", {"Tỉnh", "Province"}, PayerLevel::province, false, {}},
                {"commune", {"Xã", "Commune"}, PayerLevel::commune, false, {}}};
    const Date from{2025, 7, 1};
    s.rules = {make_rule("np_central", {kNearPoor}, "70%", kCentral, from),
               make_rule("np_province", {kNearPoor}, "30%", kProvince, from),
               make_rule("aged_province", {kAged}, "100%", kProvince, from),
               make_rule("traf_central", {kTrafficking}, "50%", kCentral, from)};
    s.data_mut().cohorts = {{2026, kA, kNearPoor, 100, {}}, {2026, kA, kAged, 50, {}}, {2026, kB, kNearPoor, 20, {}}};
    s.data_mut().overlaps = {{2026, kA, kNearPoor, kAged, 10, {s.data_mut().file_id("overlaps.csv"), 2}}};
    s.data_mut().inflows = {{{2026, 3}, kA, kTrafficking, 2, {}}};
    s.data_mut().population = {{2026, kA, 200, {}}, {2026, kB, 30, {}}};
    return s;
}

}  // namespace subsim::testing
