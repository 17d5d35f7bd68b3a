#pragma once
/// The tiny scenario the loader and pipeline harnesses start from: one province, two
/// communes (one poor), four groups (one time-limited), every rule kind (share, amount,
/// `when`, a declared payer, the commune payer), growth, enrolment rates, overlaps,
/// inflows, targets and a schedule. Also the seed of both corpora.
#include <filesystem>
#include <string_view>

#include "fuzz_common.hpp"

namespace subsim::fuzz {

inline constexpr std::string_view kTinyScenarioYaml = R"fixture(scenario:
  id: fuzz-tiny
  title: {vi: "Kịch bản nhỏ", en: "Tiny scenario"}
  years: {from: 2026, to: 2027}
  provenance: "illustrative: fuzzing fixture"
  illustrative_population: true
  data_note: {vi: "Minh họa", en: "Illustrative"}
parameters:
  rounding: half_even
  base_salary:
    - {from: 2024-07-01, value: 2340000, reference: "NĐ 73/2024/NĐ-CP", confidence: high}
    - {from: 2026-07-01, value: 2530000, reference: "assumption", confidence: assumption}
  contribution_rate:
    - {from: 2014-07-01, value: 4.5%, reference: "NĐ 105/2014/NĐ-CP", confidence: high}
  household_reduction:
    - {from: 2014-07-01, value: [100%, 70%, 60%, 50%, 40%], reference: "NĐ 105/2014", confidence: high}
payers:
  - {id: district, name: {vi: "Ngân sách huyện", en: "District budget"}, level: province}
units: {file: units.csv}
groups:
  - {id: poor, name: {vi: "Hộ nghèo", en: "Poor"}}
  - {id: near_poor, name: {vi: "Hộ cận nghèo", en: "Near-poor"}}
  - {id: students, name: {vi: "Học sinh", en: "Students"}}
  - {id: victims, name: {vi: "Nạn nhân", en: "Victims"}, duration_months: 12}
cohorts:
  file: cohorts.csv
  growth:
    - {group: near_poor, from: 2027-01-01, rate: -5%, reference: "assumption", confidence: assumption}
  inflows: {file: inflows.csv}
  overlaps: {file: overlaps.csv}
population: {file: population.csv}
enrolment:
  default: 100%
  rates:
    - {group: students, from: 2026-01-01, share: 90%, reference: "assumption", confidence: assumption}
    - {group: students, unit: "13291", from: 2026-01-01, share: 95.5%, reference: "assumption", confidence: assumption}
rules:
  - {id: poor_central, label: {vi: "NSTW 100% hộ nghèo", en: "Central 100% poor"}, reference: "Law 51/2024", confidence: high, groups: [poor], share: 100%, payer: central, from: 2025-07-01}
  - {id: near_poor_central, label: {vi: "NSTW 70%", en: "Central 70%"}, reference: "Law 51/2024", confidence: high, groups: [near_poor], share: 70%, payer: central, from: 2025-07-01}
  - {id: near_poor_province, label: {vi: "Tỉnh 30%", en: "Province 30%"}, reference: "assumption", confidence: assumption, groups: [near_poor], when: {poor_commune: false}, share: 30%, payer: province, from: 2026-01-01, to: 2027-06-30}
  - {id: students_central, label: {vi: "NSTW 50%", en: "Central 50%"}, reference: "Law 51/2024", confidence: high, groups: [students], share: 50%, payer: central, from: 2025-07-01}
  - {id: students_commune, label: {vi: "Xã 10.000 đ", en: "Commune 10,000"}, reference: "assumption", confidence: assumption, groups: [students], amount: 10000, payer: commune, from: 2026-01-01}
  - {id: victims_district, label: {vi: "Huyện 100%", en: "District 100%"}, reference: "assumption", confidence: assumption, groups: [victims], share: 100%, payer: district, from: 2026-01-01}
targets: {file: targets.csv}
schedule:
  quarters: [[1, 3], [4, 6], [7, 9], [10, 12]]
)fixture";

inline constexpr std::string_view kTinyUnitsCsv = R"fixture(code,name,level,parent,poor_commune
37,Ninh Bình,province,,false
13285,Phường Phủ Lý,commune,37,false
13291,"Xã Kim Bảng, Hà Nam",commune,37,true
)fixture";

inline constexpr std::string_view kTinyCohortsCsv = R"fixture(year,unit_code,group,persons
2026,13285,poor,120
2026,13285,near_poor,345
2026,13285,students,1001
2026,13291,poor,7
2026,13291,near_poor,0
2026,13291,students,333
)fixture";

inline constexpr std::string_view kTinyInflowsCsv = R"fixture(month,unit_code,group,persons
2026-01,13285,victims,1
2026-08,13291,victims,3
)fixture";

inline constexpr std::string_view kTinyOverlapsCsv = R"fixture(year,unit_code,group_a,group_b,persons
2026,13285,near_poor,students,24
)fixture";

inline constexpr std::string_view kTinyPopulationCsv = R"fixture(year,unit_code,population
2026,13285,42793
2026,13291,38593
2027,13285,43000
)fixture";

inline constexpr std::string_view kTinyTargetsCsv = R"fixture(year,unit_code,target_pct
2026,37,95
2026,13285,93.89
2026,13291,96.5
)fixture";

/// Writes the tiny scenario's CSV tables (not the YAML) into `dir`.
inline void write_tiny_tables(const std::filesystem::path& dir) {
    write_file(dir / "units.csv", kTinyUnitsCsv);
    write_file(dir / "cohorts.csv", kTinyCohortsCsv);
    write_file(dir / "inflows.csv", kTinyInflowsCsv);
    write_file(dir / "overlaps.csv", kTinyOverlapsCsv);
    write_file(dir / "population.csv", kTinyPopulationCsv);
    write_file(dir / "targets.csv", kTinyTargetsCsv);
}

}  // namespace subsim::fuzz
