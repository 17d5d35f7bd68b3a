/// gen_ninh_binh: writes the population tables of the Ninh Bình 2026 scenario
/// (population.csv, cohorts.csv, overlaps.csv, inflows.csv, targets.csv) from
///   <dir>/units.csv                               the 129 communes and wards
///   <dir>/demography/commune-population-2025.csv  their OFFICIAL 2025 populations (sum 4,412,264)
///   <dir>/demography/ages-2025.csv, life-table.csv, fertility.csv, parameters.csv
///                                                 the inputs of the scenario's demography block
///
///   build/release/gen_ninh_binh scenarios/ninh-binh-2026
///
/// What is official and what is not:
/// - population.csv: 2025 = the official commune figures, unchanged; 2026–2030 = the
///   cohort-component projection of those figures (the same projection the engine runs for
///   the age groups, subsim/population/cohort_component.hpp, with the scenario's demography
///   inputs): each commune's mean of its 12 monthly totals (1st of each month), to the
///   nearest person. The split by age behind it is illustrative (ages-2025.csv).
/// - cohorts.csv, overlaps.csv, inflows.csv, targets.csv: ILLUSTRATIVE. Group sizes per commune
///   are not published; every share below is derived from a sourced province-level figure
///   (docs/domain.md §10, docs/demography-and-takeup.md) or is a labelled assumption, spread
///   over the communes with seeded noise.
/// - The three age groups (children_under_6, aged_70_74, social_pension_elderly) have NO
///   cohort rows: the engine takes them from the projection month by month. This program
///   runs the same projection only to size the other groups around them (pensioners, the
///   age profile of the poor and near-poor, pupils) and to keep every commune's books
///   balanced; the band shares below must equal the scenario's `age_bands`.
///
/// Determinism: std::mt19937_64 with a fixed seed, our own uniform / normal transforms using
/// only + − × ÷ (no std::*_distribution, no libm calls in this file), compiled with
/// -ffp-contract=off. The projection is the engine's own code.
///
/// Invariants written into the tables (checked before anything is written):
/// - per commune and year: Σ cohort rows + the age groups' yearly mean persons (rounded)
///   − Σ overlaps == population (overlap rows count persons present in two groups; the
///   engine pays them once);
/// - every overlap is no larger than either of its groups (an age group: its fewest persons
///   in any month), and all overlaps of a group together fit in it;
/// - the 2025 rows are the official figures and add up to 4,412,264;
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

#include "subsim/population/cohort_component.hpp"

namespace subsim::synth {
namespace {

namespace dyn = subsim::dynamics;

// ---- Fixed inputs ---------------------------------------------------------------------

constexpr std::uint64_t kSeed = 20260101;
constexpr int kBaseYear = 2025;  ///< the official commune figures (read as 1 January 2025: parameters.csv)
constexpr int kFirstYear = 2026;
constexpr int kLastYear = 2030;
constexpr int kYears = kLastYear - kFirstYear + 1;
constexpr const char* kProvinceCode = "37";

/// The 129 official commune populations add up to this (merger scheme, sapnhap.bando.com.vn;
/// domain.md §7; shared/data/ninh-binh-2025-commune-population.csv; high).
constexpr std::int64_t kProvincePopulation2025 = 4'412'264;

// Sourced counts for merged Ninh Bình (domain.md §10a), used as counts: the commune totals
// are now the official 4,412,264, and these counts describe the same province. (The 3.82 M
// "statistical population" quoted beside some of them is not used: the 20.3% elderly share
// printed with the 60+ count is a share of it; ages-2025.csv carries the count itself.)
constexpr double kPupils = 739'423.0;          ///< HSSV-age pupils and learners excl. preschool, 1/7/2025 (§10b; medium)
constexpr double kPeopleWithHiv = 4'186.0;     ///< resident PLHIV, 15/10/2025 (CDC via suckhoedoisong; medium)
constexpr double kVillagesProxy = 4'527.0;     ///< elderly associations ≈ villages + residential groups (low)
constexpr double kPartyMembers = 240'000.0;    ///< ">240,000", 1/10/2025 (nld.com.vn; medium)

/// Age-group shares: MUST equal the `age_bands` of scenario.yaml.
/// Assumption: 20% of people aged 60+ draw a pension or SI allowance; their cards are paid by
/// the SI fund (Law 51/2024 Art. 12 cl. 2), so they sit in employees_pensioners and are not
/// in the province's aged_70_74 group (80% of [70, 75)) nor on the social pension.
constexpr double kPensionerShareOfElderly = 0.20;
constexpr double kAgedBandShare = 0.80;               ///< aged_70_74: 80% of [70, 75)
constexpr double kSocialPension75Share = 0.80;        ///< social_pension_elderly: 80% of [75, 101)
/// ... and the poor or near-poor aged 70–74 without a pension (social pension from 70 for
/// them, Law 41/2024 Arts. 21–22; domain.md §3a): 80% × (0.5555% + 1.4055%) = 1.5688% of
/// [70, 75), rounded to 1.57% (the 2026 poverty shares below; held for 2026–2030).
constexpr double kSocialPension70Share = 0.0157;

/// Poverty (domain.md §10a row 2; §10b): merged Ninh Bình 2025, poor 0.96% and near-poor
/// 1.91% of households (medium); persons per household 3.18 (old Ninh Bình 1,010,700
/// people / 317,935 households), poor 1.84 and near-poor 2.34 persons per household
/// (Ninh Bình city 2022; high). Share of persons = household share × size / 3.18. The
/// cohorts count the members NOT in an earlier state-paid age group: children under 6 and
/// those on the social pension (80% of the 70+) are paid as such.
constexpr double kPoorShare = 0.0096 * 1.84 / 3.18;
constexpr double kNearPoorShare = 0.0191 * 2.34 / 3.18;

/// Other fully state-paid groups (Law 51/2024 Art. 12 cl. 3: people with meritorious
/// services, veterans, monthly social-assistance recipients other than the social
/// pension, ATK residents, relatives of military and police, militia, deputies...).
/// Assumption: 4.5% of the population (no Ninh Bình count found).
constexpr double kOtherStatePaidShare = 0.045;

/// Members of agri/forestry/fishery/salt households with average living standard
/// (hộ nông, lâm, ngư, diêm nghiệp có mức sống trung bình): all members of the listed
/// households, not only card holders (enrolment follows a take-up curve). Sourced bounds
/// (domain.md §10a row 8; §10b): 11.3% of households (Ninh Bình city 2022, high) to 24.4%
/// (old province 2017, wider definition) × 3.21 / 3.18 persons → 11.4%–24.6% of people.
/// Assumption: 12.5% of rural-commune people, of whom about two thirds are not in an earlier
/// group (children, pupils, 75+) → 8.5%; wards 3.5%.
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

/// Pupils: the province's 739,423 pupils and learners over its projected persons aged 6–18
/// on 1 July 2025 give a ratio applied to each commune's persons aged 6–18 (so pupils follow
/// the commune's and the year's children).
constexpr dyn::AgeWindow kSchoolAges{6, 19};

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

/// Take-up the scenario's curves give in the baseline (enrolment.takeup of scenario.yaml):
/// 98% (the ceiling) for the near-poor and agri-average households, whose support the
/// council tops up to 100%, and ≈99.1% for pupils paying half. Used ONLY to aim each
/// commune's coverage near its target: the members who do not take up hold no card, so
/// the `uninsured` remainder is that much smaller. The engine computes the real rates.
constexpr double kNonTakersNearPoor = 0.02;
constexpr double kNonTakersAgri = 0.02;
constexpr double kNonTakersStudents = 0.009;

/// Yearly trends of group shares (assumptions, compounding from 2026):
constexpr double kTrendPoor = -0.10;       ///< poverty reduction
constexpr double kTrendNearPoor = -0.08;
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

std::int64_t round_down(double x) {
    if (x < 0) throw std::logic_error("negative count");
    return static_cast<std::int64_t>(x);
}

double compound(double rate, int years) {
    double f = 1.0;
    for (int i = 0; i < years; ++i) f *= 1.0 + rate;
    return f;
}

// ---- Input -------------------------------------------------------------------------------

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

/// A CSV file as rows of named cells (header line first).
struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::size_t column(const std::string& name, const std::string& path) const {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) throw std::runtime_error(path + ": no column " + name);
        return static_cast<std::size_t>(it - header.begin());
    }
};

Table read_table(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    Table t;
    std::string line;
    std::getline(in, line);
    t.header = split_csv_line(line);
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto cells = split_csv_line(line);
        if (cells.size() != t.header.size()) throw std::runtime_error(path + ": bad row " + line);
        t.rows.push_back(std::move(cells));
    }
    return t;
}

struct Commune {
    std::string code;
    std::string former_province;
    bool ward = false;
    std::int64_t official = 0;  ///< 2025, commune-population-2025.csv
};

std::vector<Commune> read_communes(const std::string& dir) {
    const std::string units_path = dir + "/units.csv";
    const Table units = read_table(units_path);
    const auto c_code = units.column("code", units_path), c_level = units.column("level", units_path),
               c_kind = units.column("kind", units_path), c_former = units.column("former_province", units_path);
    std::vector<Commune> out;
    for (const auto& cells : units.rows)
        if (cells[c_level] == "commune") out.push_back({cells[c_code], cells[c_former], cells[c_kind] == "phuong", 0});
    if (out.size() != 129) throw std::runtime_error(units_path + ": expected the 129 communes of Ninh Bình");

    const std::string pop_path = dir + "/demography/commune-population-2025.csv";
    const Table pop = read_table(pop_path);
    const auto p_code = pop.column("code", pop_path), p_pop = pop.column("population", pop_path);
    std::map<std::string, std::int64_t> official;
    std::int64_t sum = 0;
    for (const auto& cells : pop.rows) {
        const std::int64_t p = std::stoll(cells[p_pop]);
        if (!official.emplace(cells[p_code], p).second) throw std::runtime_error(pop_path + ": duplicate " + cells[p_code]);
        sum += p;
    }
    if (official.size() != 129 || sum != kProvincePopulation2025)
        throw std::runtime_error(pop_path + ": expected 129 communes summing to 4,412,264");
    for (Commune& c : out) {
        const auto it = official.find(c.code);
        if (it == official.end()) throw std::runtime_error(pop_path + ": no row for " + c.code);
        c.official = it->second;
    }
    return out;
}

/// The projection input from the demography files, as the scenario's demography block gives them.
dyn::ProjectionInput read_demography(const std::string& dir, const std::vector<Commune>& communes) {
    const std::string d = dir + "/demography/";
    dyn::ProjectionInput in;
    in.base_year = kBaseYear;
    in.years = kLastYear + 1 - kBaseYear;  // as the engine: windows of 2026–2030 need 1 January 2031
    in.units = static_cast<int>(communes.size());
    in.sexes = 1;
    in.base = dyn::empty_age_table(in.units, 1);
    std::map<std::string, int> index;
    for (std::size_t i = 0; i < communes.size(); ++i) {
        index[communes[i].code] = static_cast<int>(i);
        in.stated_total.push_back(static_cast<double>(communes[i].official));
    }
    {
        const std::string path = d + "ages-2025.csv";
        const Table t = read_table(path);
        const auto cu = t.column("unit_code", path), ca = t.column("age", path), cp = t.column("persons", path);
        for (const auto& r : t.rows)
            in.base[static_cast<std::size_t>(index.at(r[cu])) * dyn::kAges + static_cast<std::size_t>(std::stoi(r[ca]))] =
                std::stod(r[cp]);
    }
    dyn::LifeTable life;
    life.values.assign(1, std::vector<double>(dyn::kAges, dyn::kMissing));
    {
        const std::string path = d + "life-table.csv";
        const Table t = read_table(path);
        const auto cs = t.column("sex", path), ca = t.column("age", path), cq = t.column("qx", path);
        for (const auto& r : t.rows) {
            if (r[cs] != "both") throw std::runtime_error(path + ": only `both` rows expected");
            life.values[0][static_cast<std::size_t>(std::stoi(r[ca]))] = std::stod(r[cq]);
        }
    }
    dyn::Fertility fert;
    {
        const std::string path = d + "fertility.csv";
        const Table t = read_table(path);
        const auto ca = t.column("age", path), cr = t.column("asfr", path);
        for (const auto& r : t.rows) fert.asfr[static_cast<std::size_t>(std::stoi(r[ca]) - dyn::kFirstFertileAge)] = std::stod(r[cr]);
    }
    {
        const std::string path = d + "parameters.csv";
        const Table t = read_table(path);
        const auto ck = t.column("key", path), cv = t.column("value", path);
        std::map<std::string, std::string> p;
        for (const auto& r : t.rows) p[r[ck]] = r[cv];
        if (p.at("base_date") != "2025-01-01") throw std::runtime_error(path + ": base_date must be 2025-01-01");
        in.sex_ratio_at_birth = std::stod(p.at("sex_ratio_at_birth"));
        in.female_fraction = std::stod(p.at("female_fraction"));
        life.a0 = std::stod(p.at("a0"));
        in.migration.push_back({dyn::kAllUnits, kBaseYear, std::stod(p.at("net_migration_rate"))});
    }
    in.life_tables.push_back(std::move(life));
    in.fertility.push_back(fert);
    if (const auto problems = dyn::check(in); !problems.empty())
        throw std::runtime_error("demography: " + problems.front().message.en);
    return in;
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

double mean(const dyn::MonthlyPersons& m) { return dyn::person_months(m) / 12.0; }

double fewest(const dyn::MonthlyPersons& m, double share) {
    double least = m[0] * share;
    for (double v : m) least = std::min(least, v * share);
    return least;
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
/// Groups defined by age (no cohort rows) and the time-limited group (inflows only).
bool has_cohort_rows(int g) { return g != kChildren && g != kSocialPension && g != kAged70To74 && g != kTrafficking; }

struct OverlapRow { int a; int b; std::int64_t persons; };

struct CommuneYear {
    std::int64_t population = 0;
    std::array<std::int64_t, kGroupCount> persons{};  ///< cohort rows; age groups: their yearly mean, rounded
    std::array<std::int64_t, kGroupCount> fewest{};   ///< age groups: fewest whole persons in any month
    std::vector<OverlapRow> overlaps;
    std::int64_t target = 0;  ///< percent × 100
};

/// Per-commune features drawn once (the same commune keeps its profile over the years).
struct Profile {
    std::array<double, kGroupCount> noise{};
    double target_offset = 0.0;  ///< percentage points
    std::array<double, kYears> coverage_gap{};  ///< realised minus target, pp
};

class Generator {
public:
    Generator(std::vector<Commune> communes, const dyn::ProjectionInput& demography)
        : communes_(std::move(communes)), projection_(dyn::project(demography)), rng_(kSeed) {}

    void run() {
        draw_profiles();
        set_population();
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
    int unit(std::size_t c) const { return static_cast<int>(c); }

    void draw_profiles() {
        profiles_.resize(n());
        for (std::size_t c = 0; c < n(); ++c) {
            Profile& p = profiles_[c];
            for (int g = 0; g < kGroupCount; ++g) {
                const bool poverty = g == kPoor || g == kNearPoor;
                p.noise[g] = poverty ? rng_.factor(0.35, 0.3, 1.9) : rng_.factor(0.12, 0.7, 1.3);
            }
            // Wards aim a little higher (more formal employment); ±0.8 pp spread.
            p.target_offset = std::clamp(0.8 * rng_.normal(), -2.0, 2.0) + (communes_[c].ward ? 0.3 : 0.0);
            for (int y = 0; y < kYears; ++y) p.coverage_gap[y] = -0.8 + 1.1 * rng_.uniform();
        }
    }

    /// 2026–2030: the mean of the projection's 12 monthly totals, to the nearest person.
    void set_population() {
        population_.assign(kYears, std::vector<std::int64_t>(n(), 0));
        for (int y = 0; y < kYears; ++y)
            for (std::size_t c = 0; c < n(); ++c)
                population_[y][c] = round_half_up(mean(dyn::window_persons(projection_, kFirstYear + y, unit(c), {0, dyn::kOpenEnd})));
    }

    void spread_villages() {
        const auto villages_total = round_half_up(kVillagesProxy);
        std::vector<double> weights(n());
        for (std::size_t c = 0; c < n(); ++c)
            weights[c] = static_cast<double>(communes_[c].official) *
                         (communes_[c].ward ? kVillageWeightWard : kVillageWeightCommune);
        villages_ = apportion(villages_total, weights);
    }

    void build_cohorts() {
        // Pupils per person aged 6–18, province-wide, on 1 July 2025 (month 7 of the projection).
        double school_2025 = 0.0;
        for (std::size_t c = 0; c < n(); ++c) school_2025 += dyn::window_persons(projection_, kBaseYear, unit(c), kSchoolAges)[6];
        const double pupils_ratio = kPupils / school_2025;
        const double province = static_cast<double>(kProvincePopulation2025);
        const double hiv_share = kPeopleWithHiv / province;
        const double party_share = kPartyMembers / province * kPartyThirtyYearsShare;
        cells_.assign(kYears, std::vector<CommuneYear>(n()));
        for (int y = 0; y < kYears; ++y) {
            const int year = kFirstYear + y;
            for (std::size_t c = 0; c < n(); ++c) {
                const Profile& pr = profiles_[c];
                const bool ward = communes_[c].ward;
                CommuneYear& cell = cells_[y][c];
                cell.population = population_[y][c];
                const double pop = static_cast<double>(cell.population);
                auto size = [&](int g, double share) { return round_half_up(pop * share * pr.noise[g]); };
                auto& p = cell.persons;

                // The projection: persons by month in the windows that matter.
                const auto under6 = dyn::window_persons(projection_, year, unit(c), {0, 6});
                const auto w70 = dyn::window_persons(projection_, year, unit(c), {70, 75});
                const auto w75 = dyn::window_persons(projection_, year, unit(c), {75, dyn::kOpenEnd});
                const auto w60 = dyn::window_persons(projection_, year, unit(c), {60, dyn::kOpenEnd});
                const auto school = dyn::window_persons(projection_, year, unit(c), kSchoolAges);
                const double m_under6 = mean(under6), m70 = mean(w70), m75 = mean(w75);

                // Age groups: yearly mean persons (for the books) and their fewest in a month.
                p[kChildren] = round_half_up(m_under6);
                p[kAged70To74] = round_half_up(kAgedBandShare * m70);
                p[kSocialPension] = round_half_up(kSocialPension70Share * m70 + kSocialPension75Share * m75);
                cell.fewest[kAged70To74] = round_down(fewest(w70, kAgedBandShare));
                {
                    double least = kSocialPension70Share * w70[0] + kSocialPension75Share * w75[0];
                    for (int m = 0; m < 12; ++m)
                        least = std::min(least, kSocialPension70Share * w70[m] + kSocialPension75Share * w75[m]);
                    cell.fewest[kSocialPension] = round_down(least);
                }

                // Share of people under 6 or on the social pension (80% of the 70+): poor and
                // near-poor members in them are paid as children or social pensioners.
                const double age_paid = (m_under6 + (1.0 - kPensionerShareOfElderly) * (m70 + m75)) / pop;
                p[kPoor] = size(kPoor, kPoorShare * compound(kTrendPoor, y) * (1.0 - age_paid));
                p[kNearPoor] = size(kNearPoor, kNearPoorShare * compound(kTrendNearPoor, y) * (1.0 - age_paid));
                p[kOtherStatePaid] = size(kOtherStatePaid, kOtherStatePaidShare);
                p[kStudents] = round_half_up(mean(school) * pupils_ratio * pr.noise[kStudents]);
                p[kAgri] = size(kAgri, (ward ? kAgriShareWard : kAgriShareCommune) * compound(kTrendAgri, y));
                p[kVillageWorkers] = villages_[c] * kWorkersPerVillage;
                p[kAssociationHeads] = villages_[c] * kHeadsPerVillage;
                p[kParty30] = size(kParty30, party_share);
                p[kHiv] = size(kHiv, hiv_share * (ward ? 1.5 : 0.8));
                p[kEmployees] = size(kEmployees, (ward ? kEmployeeShareWard : kEmployeeShareCommune) * compound(kTrendEmployees, y)) +
                                round_half_up(kPensionerShareOfElderly * mean(w60));

                // Overlaps: persons in two groups, paid once by the highest-benefit rule.
                // - poor and near-poor pupils (the pupils' share of the population): the
                //   poor/near-poor package (100%) beats the pupils' 50%;
                // - agri-average members aged 70–74 (the commune's 70–74 share): tie at 100%,
                //   agri_average is declared first (30% central + 70% province);
                // - Party members aged 70–74 (15%): tie at 100%, aged_70_74 is declared first;
                // - the poor or near-poor aged 70–74 on the social pension are also in
                //   aged_70_74's 80%: tie at 100%, the social pension is declared first
                //   (central budget) — the social pension's 70–74 part, fewest in a month.
                const double pupils_share = static_cast<double>(p[kStudents]) / pop;
                const std::int64_t sp_70 = round_down(fewest(w70, kSocialPension70Share));
                cell.overlaps = {
                    {kPoor, kStudents, round_half_up(static_cast<double>(p[kPoor]) * pupils_share)},
                    {kNearPoor, kStudents, round_half_up(static_cast<double>(p[kNearPoor]) * pupils_share)},
                    {kSocialPension, kAged70To74, sp_70},
                    {kAgri, kAged70To74, round_half_up(static_cast<double>(p[kAgri]) * m70 / pop)},
                    {kAged70To74, kParty30, round_half_up(static_cast<double>(p[kParty30]) * kPartyAged70To74Share)},
                };
                // Realised coverage: the target plus a seeded gap of −0.8 … +0.3 pp, with the
                // members of take-up groups who do not enrol counted among the uninsured.
                const double coverage_pct = std::min(
                    99.5, static_cast<double>(kProvinceTarget[y]) / 100.0 + pr.target_offset + pr.coverage_gap[y]);
                const double non_takers = kNonTakersNearPoor * static_cast<double>(p[kNearPoor]) +
                                          kNonTakersAgri * static_cast<double>(p[kAgri]) +
                                          kNonTakersStudents * static_cast<double>(p[kStudents]);
                p[kUninsured] = round_half_up(std::max(0.0, pop * (100.0 - coverage_pct) / 100.0 - non_takers));
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
        // Household (self-paying) group: the remainder, once every other group is set.
        for (auto& row : cells_)
            for (auto& cell : row) {
                std::int64_t counted = 0;
                for (int g = 0; g < kGroupCount; ++g) if (g != kHousehold && g != kTrafficking) counted += cell.persons[g];
                for (const auto& o : cell.overlaps) counted -= o.persons;
                cell.persons[kHousehold] = cell.population - counted;
            }
    }

    void draw_leprosy() {
        std::vector<double> cumulative(n());
        double sum = 0.0;
        for (std::size_t c = 0; c < n(); ++c) { sum += static_cast<double>(communes_[c].official); cumulative[c] = sum; }
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
        for (std::size_t c = 0; c < n(); ++c) { sum += static_cast<double>(communes_[c].official); cumulative[c] = sum; }
        for (int y = kFirstYear; y <= kLastYear; ++y)
            for (int m = 1; m <= 12; ++m)
                for (int i = 0; i < kTraffickingPerMonth; ++i) ++inflows_[{y * 100 + m, pick(cumulative, sum)}];
    }

    std::size_t pick(const std::vector<double>& cumulative, double sum) {
        const double u = rng_.uniform() * sum;
        const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
        return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()), n() - 1);
    }

    /// The size an overlap must fit in: a cohort, or an age group's fewest in any month.
    static std::int64_t capacity(const CommuneYear& cell, int g) {
        return has_cohort_rows(g) ? cell.persons[g] : cell.fewest[g];
    }

    void check() const {
        std::int64_t official = 0;
        for (const Commune& c : communes_) official += c.official;
        if (official != kProvincePopulation2025) throw std::runtime_error("official total is off");
        for (int y = 0; y < kYears; ++y) {
            if (residual_[y] > 0.0001 || residual_[y] < -0.0001)
                throw std::runtime_error("targets do not balance in " + std::to_string(kFirstYear + y));
            for (std::size_t c = 0; c < n(); ++c) {
                const CommuneYear& cell = cells_[y][c];
                std::int64_t sum = 0;
                for (int g = 0; g < kGroupCount; ++g) {
                    if (cell.persons[g] < 0) throw std::runtime_error("negative cohort in " + communes_[c].code);
                    if (g != kTrafficking) sum += cell.persons[g];
                }
                std::array<std::int64_t, kGroupCount> used{};
                for (const auto& o : cell.overlaps) {
                    if (o.persons > capacity(cell, o.a) || o.persons > capacity(cell, o.b))
                        throw std::runtime_error("overlap larger than a group in " + communes_[c].code);
                    used[o.a] += o.persons;
                    used[o.b] += o.persons;
                    sum -= o.persons;
                }
                for (int g = 0; g < kGroupCount; ++g)
                    if (used[g] > capacity(cell, g)) throw std::runtime_error("overlaps do not fit in a group in " + communes_[c].code);
                if (sum != cell.population) throw std::runtime_error("groups do not add up in " + communes_[c].code);
                if (cell.target > 10000 || cell.target < 8000) throw std::runtime_error("odd target in " + communes_[c].code);
            }
        }
    }

    std::vector<Commune> communes_;
    dyn::Projection projection_;
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
    // The base year: the official figures (the engine checks the age table against them).
    for (const Commune& c : communes_) population << kBaseYear << ',' << c.code << ',' << c.official << '\n';
    for (int y = 0; y < kYears; ++y) {
        const int year = kFirstYear + y;
        targets << year << ',' << kProvinceCode << ',' << percent_text(kProvinceTarget[y]) << '\n';
        for (std::size_t c = 0; c < n(); ++c) {
            const CommuneYear& cell = cells_[y][c];
            const std::string& code = communes_[c].code;
            population << year << ',' << code << ',' << cell.population << '\n';
            targets << year << ',' << code << ',' << percent_text(cell.target) << '\n';
            for (int g = 0; g < kGroupCount; ++g)
                if (has_cohort_rows(g)) cohorts << year << ',' << code << ',' << kGroupId[g] << ',' << cell.persons[g] << '\n';
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
        auto communes = subsim::synth::read_communes(dir);
        const auto demography = subsim::synth::read_demography(dir, communes);
        subsim::synth::Generator gen(std::move(communes), demography);
        gen.run();
        gen.write(dir);
    } catch (const std::exception& e) {
        std::cerr << "gen_ninh_binh: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
