/// gen_ninh_binh: writes the ILLUSTRATIVE population tables of the Ninh Bình 2026
/// scenario (cohorts.csv, population.csv, inflows.csv, overlaps.csv, targets.csv)
/// from the commune list in <dir>/units.csv.
///
///   build/release/gen_ninh_binh scenarios/ninh-binh-2026
///
/// Nothing here is an official statistic: per-commune populations and group sizes
/// (đối tượng) are NOT published. Every share below is derived from a sourced
/// province-level figure (docs/domain.md §10, docs/demography-and-takeup.md §2) or is
/// a labelled assumption, and is spread across the 129 communes with seeded noise.
///
/// Determinism: std::mt19937_64 with a fixed seed, and our own uniform / normal
/// transforms using only + − × ÷ (no std::*_distribution, no libm calls), so the
/// output is byte-identical on every standard library. Compiled with
/// -ffp-contract=off (no fused multiply-add).
///
/// Invariants written into the tables (checked before anything is written):
/// - per commune and year: Σ cohorts − Σ overlaps == population (the overlap rows
///   count persons present in two cohorts; the engine pays them once);
/// - every overlap is no larger than either of its groups;
/// - the population-weighted commune targets equal the province target to within
///   1/10,000 of a percentage point (so `subsim validate` does not warn).
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace subsim::synth {
namespace {

// ---- Fixed inputs ---------------------------------------------------------------------

constexpr std::uint64_t kSeed = 20260101;
constexpr int kFirstYear = 2026;
constexpr int kLastYear = 2030;
constexpr int kYears = kLastYear - kFirstYear + 1;
constexpr const char* kProvinceCode = "37";

/// Population of merged Ninh Bình cited for the merger (NQ 202/2025/QH15 scheme;
/// domain.md §7, §10): the base used throughout.
constexpr std::int64_t kProvincePopulation2026 = 4'412'264;
/// Statistical population quoted in Sept. 2025 (thoibaotaichinhvietnam.vn; domain.md §10a
/// row 1). Sourced counts (elderly, pupils, HIV, villages, Party members) were reported
/// against this population; we read them as shares of it and apply the shares to the
/// 4,412,264 base ("scaled to that base"), so that e.g. the elderly share stays 20.3%.
constexpr double kStatisticalPopulation = 3'820'000.0;

/// Former-province weights for spreading the base (domain.md §10a row 1): Nam Định
/// ≈1,894,000 (2024, derived from GRDP; low), Ninh Bình 1,010,700 (2022 GSO yearbook;
/// medium-low), Hà Nam the residual 3,820,000 − 1,894,000 − 1,010,700 = 915,300 (low).
constexpr double kWeightNamDinh = 1'894'000.0;
constexpr double kWeightNinhBinh = 1'010'700.0;
constexpr double kWeightHaNam = 915'300.0;

/// Assumption: a ward (phường) holds on average 1.5× the people of a rural commune (xã)
/// of the same former province (wards absorbed the former towns and cities).
constexpr double kWardSizeFactor = 1.5;
/// Assumption: commune population grows 0.3% a year 2026–2030 (UN WPP 2024 medium
/// variant: national +0.5%/yr 2026→2030, 102,458 → 104,502 thousand; Nam Định's
/// average population fell every year 2011–2020, i.e. net out-migration; we take less
/// than the national rate). Integer arithmetic: p × 1003 / 1000, half up.
constexpr std::int64_t kGrowthPerMille = 1003;

// Sourced counts (domain.md §10a), on the 3.82 M statistical base.
constexpr double kElderly60Plus = 775'678.0;   ///< 60+, merged, 2025 (vietnam.vn; medium)
constexpr double kPupils = 739'423.0;          ///< HSSV-age pupils excl. preschool, 1/7/2025 (§10b)
constexpr double kPeopleWithHiv = 4'186.0;     ///< resident PLHIV, 15/10/2025 (CDC via suckhoedoisong; medium)
constexpr double kVillagesProxy = 4'527.0;     ///< elderly associations ≈ villages + residential groups (low)
constexpr double kPartyMembers = 240'000.0;    ///< ">240,000", 1/10/2025 (nld.com.vn; medium)

/// National age structure, UN WPP 2017 medium variant, 2025 shares in % of population
/// (demography-and-takeup.md §2b): 60–64 4.90, 65–69 3.98, 70–74 2.68, 75+ 1.40 + 0.89 +
/// 0.61 + 0.37 + 0.13 + 0.04 = 3.44; 60+ = 15.00. The Ninh Bình age splits were NOT
/// FOUND (§10c), so the national split of the 60+ is applied to Ninh Bình's 60+.
constexpr double kNational60Plus = 15.00;
constexpr double kNational70To74 = 2.68;
constexpr double kNational75Plus = 3.44;

/// Assumption: 20% of people aged 60+ draw a pension or SI allowance; their cards are
/// paid by the SI fund (Law 51/2024 Art. 12 cl. 2), so they sit in the employee group.
constexpr double kPensionerShareOfElderly = 0.20;

/// Poverty (domain.md §10a row 2; §10b): merged Ninh Bình 2025, poor 0.96% and near-poor
/// 1.91% of households (medium); persons per household 3.18 (old Ninh Bình 1,010,700
/// people / 317,935 households), poor 1.84 and near-poor 2.34 persons per household
/// (Ninh Bình city 2022; high). Share of persons = household share × size / 3.18.
constexpr double kPoorShare = 0.0096 * 1.84 / 3.18;
constexpr double kNearPoorShare = 0.0191 * 2.34 / 3.18;

/// Children under 6 (100% central): 6 birth cohorts at an assumed crude birth rate of
/// 14‰ (GSO 2024 national 13.5‰; the Red River Delta's TFR is above replacement and
/// Nam Định's was 2.56 in 2023), i.e. 8.4% of the population.
constexpr double kChildrenShare = 6 * 0.014;

/// Other fully state-paid groups (Law 51/2024 Art. 12 cl. 3: people with meritorious
/// services, veterans, monthly social-assistance recipients other than the social
/// pension, ATK residents, relatives of military and police, militia, deputies...).
/// Assumption: 4.5% of the population (no Ninh Bình count found).
constexpr double kOtherStatePaidShare = 0.045;

/// Members of agri/forestry/fishery/salt households with average living standard
/// (hộ nông, lâm, ngư, diêm nghiệp có mức sống trung bình) holding a card through that
/// group. Sourced bounds (domain.md §10a row 8; §10b): 11.3% of households (Ninh Bình
/// city 2022, high) to 24.4% (old province 2017, wider definition) × 3.21 / 3.18 persons
/// → 11.4%–24.6% of people. Assumption: 12.5% of rural-commune people, of whom about two
/// thirds are not in an earlier group (children, pupils, 75+) → 8.5%; wards 3.5%.
constexpr double kAgriShareCommune = 0.085;
constexpr double kAgriShareWard = 0.035;

/// Party members with 30+ years of membership: NOT FOUND. Assumption: 30% of the
/// >240,000 members, half of whom hold no other card (not pensioners, merit, 75+).
constexpr double kPartyThirtyYearsShare = 0.30 * 0.50;
/// Assumption: 15% of those members are aged 70–74 (overlap with the aged group).
constexpr double kPartyAged70To74Share = 0.15;

/// Non-specialised roles: 3 per village or residential group (NĐ 33/2023/NĐ-CP Art. 34
/// cl. 2: Party cell secretary, village/group head, Front committee head); 4 association
/// heads per village (Women's, Farmers', Veterans' heads and Youth Union secretary:
/// seeds plan §II.8). Assumption: a residential group (ward) serves 0.8× and a village
/// 1.1× the people of the average unit.
constexpr int kWorkersPerVillage = 3;
constexpr int kHeadsPerVillage = 4;
constexpr double kVillageWeightWard = 0.8;
constexpr double kVillageWeightCommune = 1.1;

/// People working for a wage or salary (employer-paid group), share of population
/// excluding pensioners. Assumption: 30% in wards, 18% in rural communes (industrial
/// parks of Hà Nam and Nam Định; national compulsory SI ≈ 18%).
constexpr double kEmployeeShareWard = 0.30;
constexpr double kEmployeeShareCommune = 0.18;

/// Leprosy patients on the CDC list: "tens at most" (domain.md §10b: no active cases in
/// old Ninh Bình in 2023; 89 residents at the regional centre in 2011). Assumption: 60.
constexpr int kLeprosyPatients = 60;
/// Human-trafficking victims confirmed per month, province-wide. NOT FOUND; assumption: 3.
constexpr int kTraffickingPerMonth = 3;

/// Coverage target path of the province (percent × 100): 95.0 in 2026 rising by 0.5 pp
/// a year to 97.0 in 2030 (assumption: the plan's goal "đảm bảo chỉ tiêu tỷ lệ bao phủ
/// BHYT đến năm 2030"; the old province's 2025 target was 95.0, see
/// data/ninh-binh-2022-2025-coverage-targets.csv).
constexpr std::array<std::int64_t, kYears> kProvinceTarget{9500, 9550, 9600, 9650, 9700};

/// Yearly trends of group shares (assumptions, compounding from 2026):
constexpr double kTrendChildren = -0.015;  ///< births falling (WPP CBR 13.4‰ 2024 → 12.8‰ 2026)
constexpr double kTrendPoor = -0.10;       ///< poverty reduction
constexpr double kTrendNearPoor = -0.08;
constexpr double kTrendElderly75 = 0.03;   ///< ageing
constexpr double kTrend70To74 = 0.04;      ///< the 1952–56 birth cohorts reach 70 (WPP 1.72% → 2.68%, 2020 → 2025)
constexpr double kTrendAgri = -0.03;       ///< households leaving agriculture
constexpr double kTrendEmployees = 0.01;   ///< formalisation

// ---- Deterministic random numbers ---------------------------------------------------

class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}
    /// Uniform in [0, 1): the top 53 bits of one draw.
    double uniform() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
    /// Approximately standard normal: Irwin–Hall sum of 12 uniforms minus 6 (no libm).
    double normal() {
        double sum = 0.0;
        for (int i = 0; i < 12; ++i) sum += uniform();
        return sum - 6.0;
    }
    /// A multiplicative noise factor 1 + sd × z, clamped to [lo, hi].
    double factor(double sd, double lo, double hi) { return std::clamp(1.0 + sd * normal(), lo, hi); }

private:
    std::mt19937_64 engine_;
};

std::int64_t round_half_up(double x) {
    if (x < 0) throw std::logic_error("negative count");
    return static_cast<std::int64_t>(x + 0.5);
}

double compound(double rate, int years) {
    double f = 1.0;
    for (int i = 0; i < years; ++i) f *= 1.0 + rate;
    return f;
}

// ---- Input -------------------------------------------------------------------------------

struct Commune {
    std::string code;
    std::string former_province;
    bool ward = false;
};

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') { cell += '"'; ++i; }
            else if (c == '"') quoted = false;
            else cell += c;
        } else if (c == '"') quoted = true;
        else if (c == ',') { out.push_back(cell); cell.clear(); }
        else if (c != '\r') cell += c;
    }
    out.push_back(cell);
    return out;
}

std::vector<Commune> read_communes(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::string line;
    std::getline(in, line);
    const auto header = split_csv_line(line);
    auto column = [&](const std::string& name) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) throw std::runtime_error(path + ": no column " + name);
        return static_cast<std::size_t>(it - header.begin());
    };
    const auto c_code = column("code"), c_level = column("level"), c_kind = column("kind"),
               c_former = column("former_province");
    std::vector<Commune> out;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto cells = split_csv_line(line);
        if (cells.size() != header.size()) throw std::runtime_error(path + ": bad row " + line);
        if (cells[c_level] != "commune") continue;
        out.push_back({cells[c_code], cells[c_former], cells[c_kind] == "phuong"});
    }
    if (out.size() != 129) throw std::runtime_error(path + ": expected the 129 communes of Ninh Bình");
    return out;
}

// ---- Allocation helpers ----------------------------------------------------------------

/// Splits `total` in proportion to `weights` (largest remainder; ties to the lower index).
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights) {
    double sum = 0.0;
    for (double w : weights) sum += w;
    std::vector<std::int64_t> out(weights.size());
    std::vector<std::pair<double, std::size_t>> rest;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double exact = static_cast<double>(total) * weights[i] / sum;
        out[i] = static_cast<std::int64_t>(exact);
        given += out[i];
        rest.push_back({exact - static_cast<double>(out[i]), i});
    }
    std::stable_sort(rest.begin(), rest.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < total; ++k, ++given) ++out[rest[k].second];
    return out;
}

// ---- Groups (declaration order of scenario.yaml) ---------------------------------------

enum Group : int {
    kEmployees, kChildren, kPoor, kSocialPension, kOtherStatePaid, kNearPoor, kStudents, kAgri,
    kVillageWorkers, kTrafficking, kAged70To74, kParty30, kAssociationHeads, kHiv, kLeprosy,
    kHousehold, kUninsured, kGroupCount
};
constexpr std::array<const char*, kGroupCount> kGroupId{
    "employees_pensioners", "children_under_6", "poor_households", "social_pension_elderly",
    "other_state_paid", "near_poor", "students", "agri_average", "village_workers",
    "trafficking_victims", "aged_70_74", "party_30_years", "association_heads", "hiv_aids",
    "leprosy", "household_self_paid", "uninsured"};

struct OverlapRow { int a; int b; std::int64_t persons; };

struct CommuneYear {
    std::int64_t population = 0;
    std::array<std::int64_t, kGroupCount> persons{};
    std::vector<OverlapRow> overlaps;
    std::int64_t target = 0;  ///< percent × 100
};

/// Per-commune features drawn once (the same commune keeps its profile over the years).
struct Profile {
    double size = 1.0;
    std::array<double, kGroupCount> noise{};
    double target_offset = 0.0;  ///< percentage points
    std::array<double, kYears> coverage_gap{};  ///< realised minus target, pp
};

constexpr double kPercentOf60Plus70To74 = kNational70To74 / kNational60Plus;
constexpr double kPercentOf60Plus75Plus = kNational75Plus / kNational60Plus;

class Generator {
public:
    explicit Generator(std::vector<Commune> communes) : communes_(std::move(communes)), rng_(kSeed) {}

    void run() {
        draw_profiles();
        spread_population();
        spread_villages();
        build_cohorts();
        set_targets();
        draw_leprosy();
        draw_trafficking();
        check();
    }

    void write(const std::string& dir) const;

private:
    std::size_t n() const { return communes_.size(); }

    void draw_profiles() {
        profiles_.resize(n());
        for (std::size_t c = 0; c < n(); ++c) {
            Profile& p = profiles_[c];
            p.size = (communes_[c].ward ? kWardSizeFactor : 1.0) * rng_.factor(0.30, 0.45, 1.9);
            for (int g = 0; g < kGroupCount; ++g) {
                const bool poverty = g == kPoor || g == kNearPoor;
                p.noise[g] = poverty ? rng_.factor(0.35, 0.3, 1.9) : rng_.factor(0.12, 0.7, 1.3);
            }
            // Wards aim a little higher (more formal employment); ±0.8 pp spread.
            p.target_offset = std::clamp(0.8 * rng_.normal(), -2.0, 2.0) + (communes_[c].ward ? 0.3 : 0.0);
            for (int y = 0; y < kYears; ++y) p.coverage_gap[y] = -0.8 + 1.1 * rng_.uniform();
        }
    }

    void spread_population() {
        const std::vector<double> province_weights{kWeightHaNam, kWeightNamDinh, kWeightNinhBinh};
        const std::array<const char*, 3> names{"Tỉnh Hà Nam", "Tỉnh Nam Định", "Tỉnh Ninh Bình"};
        const auto totals = apportion(kProvincePopulation2026, province_weights);
        population_.assign(kYears, std::vector<std::int64_t>(n(), 0));
        for (std::size_t f = 0; f < names.size(); ++f) {
            std::vector<std::size_t> members;
            std::vector<double> weights;
            for (std::size_t c = 0; c < n(); ++c)
                if (communes_[c].former_province == names[f]) { members.push_back(c); weights.push_back(profiles_[c].size); }
            if (members.empty()) throw std::runtime_error(std::string("no commune of ") + names[f]);
            const auto split = apportion(totals[f], weights);
            for (std::size_t k = 0; k < members.size(); ++k) population_[0][members[k]] = split[k];
        }
        for (int y = 1; y < kYears; ++y)
            for (std::size_t c = 0; c < n(); ++c)
                population_[y][c] = (population_[y - 1][c] * kGrowthPerMille + 500) / 1000;
    }

    void spread_villages() {
        const double scale = static_cast<double>(kProvincePopulation2026) / kStatisticalPopulation;
        const auto villages_total = round_half_up(kVillagesProxy * scale);
        std::vector<double> weights(n());
        for (std::size_t c = 0; c < n(); ++c)
            weights[c] = static_cast<double>(population_[0][c]) *
                         (communes_[c].ward ? kVillageWeightWard : kVillageWeightCommune);
        villages_ = apportion(villages_total, weights);
    }

    void build_cohorts() {
        const double elderly_share = kElderly60Plus / kStatisticalPopulation;  // 20.3%
        const double pupils_share = kPupils / kStatisticalPopulation;          // 19.36%
        const double hiv_share = kPeopleWithHiv / kStatisticalPopulation;      // 0.11%
        const double party_share = kPartyMembers / kStatisticalPopulation * kPartyThirtyYearsShare;
        cells_.assign(kYears, std::vector<CommuneYear>(n()));
        for (int y = 0; y < kYears; ++y) {
            for (std::size_t c = 0; c < n(); ++c) {
                const Profile& pr = profiles_[c];
                const bool ward = communes_[c].ward;
                CommuneYear& cell = cells_[y][c];
                cell.population = population_[y][c];
                const double pop = static_cast<double>(cell.population);
                auto size = [&](int g, double share) { return round_half_up(pop * share * pr.noise[g]); };
                auto& p = cell.persons;
                const double band_70_74 = elderly_share * kPercentOf60Plus70To74 * compound(kTrend70To74, y);
                const double band_75 = elderly_share * kPercentOf60Plus75Plus * compound(kTrendElderly75, y);
                p[kChildren] = size(kChildren, kChildrenShare * compound(kTrendChildren, y));
                p[kPoor] = size(kPoor, kPoorShare * compound(kTrendPoor, y));
                // 75+ on the social pension: all 75+ hold free cards (vietnam.vn, 2025),
                // less the pensioners (SI fund) counted with employees.
                p[kSocialPension] = size(kSocialPension, band_75 * (1.0 - kPensionerShareOfElderly));
                p[kOtherStatePaid] = size(kOtherStatePaid, kOtherStatePaidShare);
                p[kNearPoor] = size(kNearPoor, kNearPoorShare * compound(kTrendNearPoor, y));
                p[kStudents] = size(kStudents, pupils_share);
                p[kAgri] = size(kAgri, (ward ? kAgriShareWard : kAgriShareCommune) * compound(kTrendAgri, y));
                p[kVillageWorkers] = villages_[c] * kWorkersPerVillage;
                p[kAssociationHeads] = villages_[c] * kHeadsPerVillage;
                p[kAged70To74] = size(kAged70To74, band_70_74 * (1.0 - kPensionerShareOfElderly));
                p[kParty30] = size(kParty30, party_share);
                p[kHiv] = size(kHiv, hiv_share * (ward ? 1.5 : 0.8));
                p[kEmployees] = size(kEmployees, (ward ? kEmployeeShareWard : kEmployeeShareCommune) *
                                                     compound(kTrendEmployees, y)) +
                                round_half_up(pop * elderly_share * kPensionerShareOfElderly);
                // Overlaps: persons in two cohorts, paid once by the highest-benefit rule.
                // Near-poor and agri-average members aged 70–74 (the national 70–74 share of
                // the population; those already on the social pension are in that group);
                // near-poor pupils (the pupils' share); Party members aged 70–74 (15%).
                const double share_70_74 = band_70_74;
                cell.overlaps = {
                    {kNearPoor, kStudents, round_half_up(static_cast<double>(p[kNearPoor]) * pupils_share)},
                    {kNearPoor, kAged70To74, round_half_up(static_cast<double>(p[kNearPoor]) * share_70_74)},
                    {kAgri, kAged70To74, round_half_up(static_cast<double>(p[kAgri]) * share_70_74)},
                    {kAged70To74, kParty30, round_half_up(static_cast<double>(p[kParty30]) * kPartyAged70To74Share)},
                };
                // Realised coverage: the target plus a seeded gap of −0.8 … +0.3 pp.
                // (Targets are set later; use the province path plus the commune offset.)
                const double coverage_pct = std::min(
                    99.5, static_cast<double>(kProvinceTarget[y]) / 100.0 + pr.target_offset + pr.coverage_gap[y]);
                p[kUninsured] = round_half_up(pop * (100.0 - coverage_pct) / 100.0);
            }
        }
    }

    /// Targets in percent × 100: province path + commune offset, then nudged so the
    /// population-weighted mean equals the province target (integer arithmetic).
    void set_targets() {
        for (int y = 0; y < kYears; ++y) {
            auto& row = cells_[y];
            std::int64_t pop_total = 0;
            for (const auto& cell : row) pop_total += cell.population;
            for (std::size_t c = 0; c < n(); ++c)
                row[c].target = kProvinceTarget[y] + round_half_up(100.0 * (profiles_[c].target_offset + 3.0)) - 300;
            // error = T × P − Σ p_c t_c, in (percent × 100) × persons
            __int128 error = static_cast<__int128>(kProvinceTarget[y]) * pop_total;
            for (const auto& cell : row) error -= static_cast<__int128>(cell.population) * cell.target;
            // Spread the mean shift over everyone first, then correct the remainder from
            // the largest communes down.
            const auto shift = static_cast<std::int64_t>(error / pop_total);
            for (auto& cell : row) { cell.target += shift; error -= static_cast<__int128>(cell.population) * shift; }
            std::vector<std::size_t> order(n());
            for (std::size_t c = 0; c < n(); ++c) order[c] = c;
            std::stable_sort(order.begin(), order.end(),
                             [&](std::size_t a, std::size_t b) { return row[a].population > row[b].population; });
            for (std::size_t c : order) {
                const auto steps = static_cast<std::int64_t>(error / row[c].population);
                row[c].target += steps;
                error -= static_cast<__int128>(row[c].population) * steps;
            }
            for (std::size_t c : order) {  // one more pass: at most one step each, toward zero error
                if (error == 0) break;
                const __int128 pc = row[c].population;
                if (2 * (error > 0 ? error : -error) >= pc) {
                    const int step = error > 0 ? 1 : -1;
                    row[c].target += step;
                    error -= pc * step;
                }
            }
            residual_[y] = static_cast<double>(error) / static_cast<double>(pop_total) / 100.0;
        }
        // Household (self-paying) group: the remainder, once targets and cohorts are set.
        for (auto& row : cells_)
            for (auto& cell : row) {
                std::int64_t counted = 0;
                for (int g = 0; g < kGroupCount; ++g) if (g != kHousehold) counted += cell.persons[g];
                for (const auto& o : cell.overlaps) counted -= o.persons;
                cell.persons[kHousehold] = cell.population - counted;
            }
    }

    void draw_leprosy() {
        std::vector<double> cumulative(n());
        double sum = 0.0;
        for (std::size_t c = 0; c < n(); ++c) { sum += static_cast<double>(population_[0][c]); cumulative[c] = sum; }
        for (int i = 0; i < kLeprosyPatients; ++i) {
            const std::size_t c = pick(cumulative, sum);
            for (auto& row : cells_) ++row[c].persons[kLeprosy];
        }
        // Leprosy patients hold no other card here: take them out of the household group.
        for (auto& row : cells_)
            for (auto& cell : row) cell.persons[kHousehold] -= cell.persons[kLeprosy];
    }

    void draw_trafficking() {
        std::vector<double> cumulative(n());
        double sum = 0.0;
        for (std::size_t c = 0; c < n(); ++c) { sum += static_cast<double>(population_[0][c]); cumulative[c] = sum; }
        for (int y = kFirstYear; y <= kLastYear; ++y)
            for (int m = 1; m <= 12; ++m)
                for (int i = 0; i < kTraffickingPerMonth; ++i) ++inflows_[{y * 100 + m, pick(cumulative, sum)}];
    }

    std::size_t pick(const std::vector<double>& cumulative, double sum) {
        const double u = rng_.uniform() * sum;
        const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
        return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()), n() - 1);
    }

    void check() const {
        for (int y = 0; y < kYears; ++y) {
            if (residual_[y] > 0.0001 || residual_[y] < -0.0001)
                throw std::runtime_error("targets do not balance in " + std::to_string(kFirstYear + y));
            std::int64_t total = 0;
            for (std::size_t c = 0; c < n(); ++c) {
                const CommuneYear& cell = cells_[y][c];
                total += cell.population;
                std::int64_t sum = 0;
                for (auto v : cell.persons) {
                    if (v < 0) throw std::runtime_error("negative cohort in " + communes_[c].code);
                    sum += v;
                }
                for (const auto& o : cell.overlaps) {
                    if (o.persons > cell.persons[o.a] || o.persons > cell.persons[o.b])
                        throw std::runtime_error("overlap larger than a group in " + communes_[c].code);
                    sum -= o.persons;
                }
                if (sum != cell.population) throw std::runtime_error("cohorts do not add up in " + communes_[c].code);
                if (cell.target > 10000 || cell.target < 8000) throw std::runtime_error("odd target in " + communes_[c].code);
            }
            if (y == 0 && total != kProvincePopulation2026) throw std::runtime_error("province total is off");
        }
    }

    std::vector<Commune> communes_;
    Random rng_;
    std::vector<Profile> profiles_;
    std::vector<std::vector<std::int64_t>> population_;  ///< [year][commune]
    std::vector<std::int64_t> villages_;
    std::vector<std::vector<CommuneYear>> cells_;        ///< [year][commune]
    std::map<std::pair<int, std::size_t>, std::int64_t> inflows_;  ///< (yyyymm, commune) → persons
    std::array<double, kYears> residual_{};
};

std::string percent_text(std::int64_t hundredths) {
    std::string s = std::to_string(hundredths / 100);
    const auto frac = hundredths % 100;
    if (frac == 0) return s;
    if (frac % 10 == 0) return s + "." + std::to_string(frac / 10);
    return s + "." + (frac < 10 ? "0" : "") + std::to_string(frac);
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw std::runtime_error("cannot write " + path);
    out << text;
    if (!out) throw std::runtime_error("error writing " + path);
}

void Generator::write(const std::string& dir) const {
    std::ostringstream cohorts, population, overlaps, targets, inflows;
    cohorts << "year,unit_code,group,persons\n";
    population << "year,unit_code,population\n";
    overlaps << "year,unit_code,group_a,group_b,persons\n";
    targets << "year,unit_code,target_pct\n";
    inflows << "month,unit_code,group,persons\n";
    for (int y = 0; y < kYears; ++y) {
        const int year = kFirstYear + y;
        targets << year << ',' << kProvinceCode << ',' << percent_text(kProvinceTarget[y]) << '\n';
        for (std::size_t c = 0; c < n(); ++c) {
            const CommuneYear& cell = cells_[y][c];
            const std::string& code = communes_[c].code;
            population << year << ',' << code << ',' << cell.population << '\n';
            targets << year << ',' << code << ',' << percent_text(cell.target) << '\n';
            for (int g = 0; g < kGroupCount; ++g) {
                if (g == kTrafficking) continue;  // time-limited: from inflows.csv only
                cohorts << year << ',' << code << ',' << kGroupId[g] << ',' << cell.persons[g] << '\n';
            }
            for (const auto& o : cell.overlaps)
                overlaps << year << ',' << code << ',' << kGroupId[o.a] << ',' << kGroupId[o.b] << ',' << o.persons << '\n';
        }
    }
    for (const auto& [key, persons] : inflows_) {
        char month[16];
        std::snprintf(month, sizeof month, "%04d-%02d", key.first / 100, key.first % 100);
        inflows << month << ',' << communes_[key.second].code << ",trafficking_victims," << persons << '\n';
    }
    write_file(dir + "/cohorts.csv", cohorts.str());
    write_file(dir + "/population.csv", population.str());
    write_file(dir + "/overlaps.csv", overlaps.str());
    write_file(dir + "/targets.csv", targets.str());
    write_file(dir + "/inflows.csv", inflows.str());
}

}  // namespace
}  // namespace subsim::synth

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: gen_ninh_binh <scenario folder, e.g. scenarios/ninh-binh-2026>\n";
        return 2;
    }
    try {
        const std::string dir = argv[1];
        subsim::synth::Generator gen(subsim::synth::read_communes(dir + "/units.csv"));
        gen.run();
        gen.write(dir);
    } catch (const std::exception& e) {
        std::cerr << "gen_ninh_binh: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
