/// gen_ninh_binh_ages: writes the demography inputs of the Ninh Bình 2026 scenario
/// (scenarios/ninh-binh-2026/demography/) from the official commune totals in
/// <dir>/commune-population-2025.csv:
///
///   build/release/gen_ninh_binh_ages scenarios/ninh-binh-2026/demography
///
/// writes
///   ages-2025.csv           unit_code,age,persons  population by single-year age 0..100 (100 = 100+) per
///                                                  commune; each commune's 101 ages add up EXACTLY to its
///                                                  official total (the scenario's demography.ages file)
///   life-table.csv          sex,age,qx             yearly probability of dying by single-year age, both sexes
///                                                  (the scenario's demography.life_table: one sex, as the
///                                                  age table)
///   life-table-by-sex.csv   sex,age,qx             the same for male and female, for an age table by sex
///   fertility.csv           age,asfr               births per woman per year, ages 15..49
///
/// What is official: the 129 commune totals (sum 4,412,264; high confidence). What is ILLUSTRATIVE:
/// the split by age (no commune age table is published). Sources (docs/demography-and-takeup.md):
///   - age structure: §2b, UN WPP 2017 medium variant, Viet Nam, 1 July 2025, both sexes, 5-year
///     groups (github.com/cran/wpp2017, popMprojMed.txt + popFprojMed.txt, country 704);
///     medium-low confidence: an old revision (65+ 10.1% against GSO's 9.3% in 2024);
///   - tilted to Ninh Bình's one sourced age figure: 775,678 people aged 60+ in the merged province
///     in 2025 (docs/domain.md §10a, vietnam.vn, National Committee on Ageing; medium), i.e.
///     17.58% of the official 4,412,264, against 15.00% in the national shape: the 5-year groups
///     60+ are multiplied by 1.1721 and those under 60 by 0.9696 before interpolation (the count
///     is used as it is: the 20.3% printed beside it is a share of the 3.82 M statistical
///     population, domain.md §10);
///   - life table: §2c, UN WPP 2024 central death rates nMx for 2020–2025 (github.com/PPgp/wpp2024,
///     data-raw/mxM5.txt, mxF5.txt, mxB5.txt) and the q_0 derived there;
///   - fertility: §3a, UN WPP 2024 ASFR for 2025 (TFR 1.88; data-raw/percentASFR5.txt).
///
/// Method:
///   - 5-year groups (tilted) → single years: monotone cubic (Fritsch–Carlson) interpolation of the
///     cumulative age distribution at ages 0, 5, ..., 100 (tangents: mean of the neighbouring
///     groups' densities; at 0 the first group's; at 100 the 95–99 density × its ratio to 90–94),
///     single-year counts = differences of the interpolated cumulative at whole ages. Group totals
///     are kept exactly and every single year is ≥ 0; 100+ is the WPP 100+ group as it is.
///   - each commune: the national single-year profile times a seeded factor per 5-year group
///     (1 + 0.04·z, clamped to 0.88–1.12: communes differ a little), rescaled to the commune's official
///     total and rounded to whole persons by largest remainder (ties to the younger age).
///   - single-year q_x = 1 − exp(−nMx) for each age of a group (constant force within the group);
///     q_0 as derived in §2c; age 100 = 1 − exp(−M_100+), the yearly rate of the open group.
///   - ASFR: each age of a 5-year group takes the group's rate (rates are already per woman-year).
///
/// Determinism: std::mt19937_64 with a fixed seed, our own uniform / normal / exp (only + − × ÷),
/// compiled with -ffp-contract=off: the files are byte-identical on every machine.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace subsim::synth {
namespace {

constexpr std::uint64_t kSeed = 20250101;
constexpr int kAges = 101;
constexpr int kGroups = 21;  // 0-4, ..., 95-99, 100+
constexpr std::int64_t kProvinceTotal = 4'412'264;
constexpr std::size_t kCommunes = 129;

/// UN WPP 2017, medium variant, Viet Nam, 1 July 2025, both sexes, thousands (§2b "Total 2025").
constexpr std::array<double, kGroups> kWpp2025{7494, 7608, 7678, 7170, 6533, 6834, 8632, 8501, 7785, 6992, 6429,
                                               5696, 5037, 4094, 2751, 1438, 910,  626,  380,  137,  40};
/// The groups add up to 102,765; §2b prints a total of 102,764 (each group is rounded to thousands).
constexpr double kWpp2025GroupSum = 102765;
/// Groups 60–64 … 100+ (index 12 on) hold 15,413 of the 102,765: 15.00%.
constexpr int kFirstGroup60 = 12;
/// Ninh Bình's 60+ (domain.md §10a: 775,678 in 2025, medium) as a share of the official total.
constexpr double kNinhBinh60Plus = 775'678.0;

/// UN WPP 2024 nMx 2020–2025 by 5-year group (§2c): index 0 = age 0, 1 = 1–4, 2 = 5–9, ..., 21 = 100+.
constexpr std::array<double, 22> kMxMale{0.01795, 0.00147, 0.00120, 0.00088, 0.00170, 0.00246, 0.00248, 0.00271,
                                         0.00305, 0.00388, 0.00511, 0.00798, 0.01075, 0.01701, 0.02697, 0.04298,
                                         0.07028, 0.11470, 0.18839, 0.29004, 0.44268, 0.59050};
constexpr std::array<double, 22> kMxFemale{0.01234, 0.00115, 0.00041, 0.00033, 0.00051, 0.00071, 0.00081, 0.00090,
                                           0.00108, 0.00160, 0.00210, 0.00326, 0.00440, 0.00713, 0.01229, 0.02137,
                                           0.03731, 0.06656, 0.11485, 0.18574, 0.28536, 0.44116};
constexpr std::array<double, 22> kMxBoth{0.01529, 0.00132, 0.00082, 0.00061, 0.00111, 0.00159, 0.00165, 0.00181,
                                         0.00207, 0.00273, 0.00359, 0.00556, 0.00741, 0.01157, 0.01863, 0.03016,
                                         0.04956, 0.08195, 0.13415, 0.20544, 0.30280, 0.44883};
/// q_0 derived in §2c from m_0 with Coale–Demeny a_0.
constexpr double kQ0Male = 0.01766, kQ0Female = 0.01221, kQ0Both = 0.01508;

/// UN WPP 2024 ASFR 2025 by 5-year group of the mother, 15–19 ... 45–49 (§3a; per woman-year).
constexpr std::array<double, 7> kAsfr2025{0.0342, 0.1100, 0.1179, 0.0732, 0.0342, 0.0052, 0.0007};

// ---- deterministic numbers ----------------------------------------------------------------

class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}
    double uniform() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
    /// Approximately standard normal: Irwin–Hall sum of 12 uniforms minus 6 (no libm).
    double normal() {
        double sum = 0.0;
        for (int i = 0; i < 12; ++i) sum += uniform();
        return sum - 6.0;
    }

private:
    std::mt19937_64 engine_;
};

/// exp(−x) for 0 ≤ x ≤ 1 by its Taylor series (converged far below the 8 decimals written).
double exp_neg(double x) {
    if (x < 0.0 || x > 1.0) throw std::logic_error("exp_neg out of range");
    double term = 1.0, sum = 1.0;
    for (int n = 1; n < 30; ++n) {
        term *= -x / n;
        sum += term;
    }
    return sum;
}

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

/// National single-year profile (thousands) from the 5-year groups: monotone cubic Hermite
/// (Fritsch–Carlson) interpolation of the cumulative distribution at 0, 5, ..., 100.
std::array<double, kAges> single_years(const std::array<double, kGroups>& groups) {
    constexpr int kKnots = kGroups;  // 0, 5, ..., 100
    std::array<double, kKnots> y{};  // cumulative below each knot
    for (int i = 1; i < kKnots; ++i) y[i] = y[i - 1] + groups[i - 1];
    std::array<double, kKnots - 1> d{};  // secant slopes (persons per year of age)
    for (int i = 0; i + 1 < kKnots; ++i) d[i] = (y[i + 1] - y[i]) / 5.0;
    std::array<double, kKnots> m{};
    m[0] = d[0];
    // At 100 the density keeps falling at the rate it fell from 90–94 to 95–99 (geometric), so
    // the 95–99 years do not turn up before the open group.
    m[kKnots - 1] = d[kKnots - 2] * d[kKnots - 2] / d[kKnots - 3];
    for (int i = 1; i + 1 < kKnots; ++i) m[i] = (d[i - 1] + d[i]) / 2.0;
    // Fritsch–Carlson: tangents at most 3× the secant on each side keep the curve monotone.
    for (int i = 0; i + 1 < kKnots; ++i) {
        m[i] = std::min(m[i], 3.0 * d[i]);
        m[i + 1] = std::min(m[i + 1], 3.0 * d[i]);
    }
    auto cumulative = [&](int age) {  // interpolated cumulative below exact age `age`, 0..100
        const int i = std::min(age / 5, kKnots - 2);
        const double t = (age - 5.0 * i) / 5.0;
        const double t2 = t * t, t3 = t2 * t;
        return (2 * t3 - 3 * t2 + 1) * y[i] + (t3 - 2 * t2 + t) * 5.0 * m[i] + (-2 * t3 + 3 * t2) * y[i + 1] +
               (t3 - t2) * 5.0 * m[i + 1];
    };
    std::array<double, kAges> out{};
    for (int x = 0; x < 100; ++x) out[x] = cumulative(x + 1) - cumulative(x);
    out[100] = groups[kGroups - 1];
    for (double v : out)
        if (v < 0.0) throw std::logic_error("negative single-year count");
    // Check: the groups are kept.
    for (int g = 0; g + 1 < kGroups; ++g) {
        double sum = 0.0;
        for (int x = 5 * g; x < 5 * g + 5; ++x) sum += out[x];
        if (sum - groups[g] > 1e-6 || groups[g] - sum > 1e-6) throw std::logic_error("group total not kept");
    }
    return out;
}

/// The national groups tilted so that 60+ is Ninh Bình's sourced share (775,678 of 4,412,264),
/// the total unchanged: 60+ groups × t / s60, the others × (1 − t) / (1 − s60).
std::array<double, kGroups> ninh_binh_groups() {
    double old60 = 0.0;
    for (int g = kFirstGroup60; g < kGroups; ++g) old60 += kWpp2025[g];
    const double s60 = old60 / kWpp2025GroupSum;                        // 0.149983
    const double t = kNinhBinh60Plus / static_cast<double>(kProvinceTotal);  // 0.175800
    std::array<double, kGroups> out{};
    for (int g = 0; g < kGroups; ++g) out[g] = kWpp2025[g] * (g >= kFirstGroup60 ? t / s60 : (1.0 - t) / (1.0 - s60));
    return out;
}

// ---- input ---------------------------------------------------------------------------------

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

struct Commune {
    std::string code;  ///< text: leading zeros are kept
    std::int64_t population = 0;
};

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
    const auto c_code = column("code"), c_pop = column("population");
    std::vector<Commune> out;
    std::int64_t sum = 0;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto cells = split_csv_line(line);
        if (cells.size() != header.size()) throw std::runtime_error(path + ": bad row " + line);
        const std::int64_t p = std::stoll(cells[c_pop]);
        out.push_back({cells[c_code], p});
        sum += p;
    }
    if (out.size() != kCommunes || sum != kProvinceTotal)
        throw std::runtime_error(path + ": expected the 129 communes of Ninh Bình summing to 4,412,264");
    return out;
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// ---- outputs -------------------------------------------------------------------------------

void write_ages(const std::string& dir, const std::vector<Commune>& communes) {
    double wpp_sum = 0.0;
    for (double v : kWpp2025) wpp_sum += v;
    if (wpp_sum != kWpp2025GroupSum) throw std::logic_error("WPP groups do not add up to 102,765");
    const std::array<double, kAges> profile = single_years(ninh_binh_groups());
    Random rng(kSeed);
    std::ostringstream out;
    out << "unit_code,age,persons\n";
    std::int64_t province = 0, province60 = 0;
    for (const Commune& c : communes) {
        std::array<double, kGroups> factor{};
        for (double& f : factor) f = std::clamp(1.0 + 0.04 * rng.normal(), 0.88, 1.12);
        std::vector<double> weights(kAges);
        for (int x = 0; x < kAges; ++x) weights[x] = profile[x] * factor[std::min(x / 5, kGroups - 1)];
        const auto persons = apportion(c.population, weights);
        std::int64_t sum = 0;
        for (int x = 0; x < kAges; ++x) {
            out << c.code << ',' << x << ',' << persons[x] << '\n';
            sum += persons[x];
            if (x >= 60) province60 += persons[x];
        }
        if (sum != c.population) throw std::logic_error("commune " + c.code + " does not add up");
        province += sum;
    }
    if (province != kProvinceTotal) throw std::logic_error("province does not add up");
    // The commune factors move the province's 60+ a little: keep it within 0.5% of the sourced count.
    const double off = static_cast<double>(province60) / kNinhBinh60Plus - 1.0;
    if (off > 0.005 || off < -0.005) throw std::logic_error("60+ strays from 775,678");
    std::ofstream(dir + "/ages-2025.csv", std::ios::binary) << out.str();
}

/// Both sexes in life-table.csv (the scenario's age table has one combined sex, and the loader
/// takes a life table with as many sexes as the age table); male and female in
/// life-table-by-sex.csv, for an age table by sex.
void write_life_table(const std::string& dir) {
    struct Sex { const char* name; const std::array<double, 22>* mx; double q0; };
    const auto rows = [](std::ostringstream& out, const Sex& s) {
        for (int x = 0; x < kAges; ++x) {
            // Group index: 0 = age 0, 1 = 1–4, 2 + (x − 5)/5 for 5..99, 21 = 100+.
            const int g = x == 0 ? 0 : x < 5 ? 1 : x < 100 ? 2 + (x - 5) / 5 : 21;
            const double q = x == 0 ? s.q0 : 1.0 - exp_neg((*s.mx)[g]);
            out << s.name << ',' << x << ',' << fixed(q, 8) << '\n';
        }
    };
    std::ostringstream both, by_sex;
    both << "sex,age,qx\n";
    by_sex << "sex,age,qx\n";
    rows(both, {"both", &kMxBoth, kQ0Both});
    rows(by_sex, {"male", &kMxMale, kQ0Male});
    rows(by_sex, {"female", &kMxFemale, kQ0Female});
    std::ofstream(dir + "/life-table.csv", std::ios::binary) << both.str();
    std::ofstream(dir + "/life-table-by-sex.csv", std::ios::binary) << by_sex.str();
}

void write_fertility(const std::string& dir) {
    std::ostringstream out;
    out << "age,asfr\n";
    for (int x = 15; x <= 49; ++x) out << x << ',' << fixed(kAsfr2025[(x - 15) / 5], 4) << '\n';
    std::ofstream(dir + "/fertility.csv", std::ios::binary) << out.str();
}

}  // namespace
}  // namespace subsim::synth

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: gen_ninh_binh_ages <scenarios/ninh-binh-2026/demography>\n";
        return 2;
    }
    try {
        const std::string dir = argv[1];
        const auto communes = subsim::synth::read_communes(dir + "/commune-population-2025.csv");
        subsim::synth::write_ages(dir, communes);
        subsim::synth::write_life_table(dir);
        subsim::synth::write_fertility(dir);
    } catch (const std::exception& e) {
        std::cerr << "gen_ninh_binh_ages: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
