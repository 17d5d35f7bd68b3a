// The crosswalk at national size: 10,035 former communes (63 former provinces, 696
// former districts) into 3,321 new communes, with 1.5% of the former communes split in
// two. Synthetic data, generated here with a fixed seed.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "subsim/model/crosswalk.hpp"

namespace {

using namespace subsim;

constexpr int kOldCommunes = 10'035;
constexpr int kNewCommunes = 3'321;
constexpr int kOldDistricts = 696;
constexpr int kOldProvinces = 63;

struct National {
    CrosswalkInput input;
    std::vector<std::int64_t> old_population;
    std::vector<Headcount> old_near_poor;
    std::vector<std::optional<Decimal>> district_target;
    std::vector<std::int64_t> new_budget;
};

/// Fixed-seed generator (64-bit LCG, high bits).
struct Lcg {
    std::uint64_t state;
    std::uint64_t next() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 33;
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

const National& national() {
    static const National n = [] {
        National out;
        Lcg rng{20250701};
        for (int i = 0; i < kNewCommunes; ++i) {
            DatedUnit u;
            u.code = std::to_string(30'000 + i);
            u.name = "Xã mới " + u.code;
            u.valid.from = Date{2025, 7, 1};
            out.input.new_units.push_back(std::move(u));
        }
        // Old commune i goes into new commune i × 3,321 / 10,035 (about three each, in
        // blocks, as mergers join neighbours); one in 66 is split with the next new unit.
        int line = 1;
        for (int i = 0; i < kOldCommunes; ++i) {
            const int target = static_cast<int>(static_cast<std::int64_t>(i) * kNewCommunes / kOldCommunes);
            const bool split = rng.below(66) == 0 && target + 1 < kNewCommunes;
            const int district = static_cast<int>(static_cast<std::int64_t>(i) * kOldDistricts / kOldCommunes);
            const int province = district * kOldProvinces / kOldDistricts;
            for (int part = 0; part < (split ? 2 : 1); ++part) {
                CrosswalkRow r;
                r.new_code = out.input.new_units[static_cast<std::size_t>(target + part)].code;
                r.old_code = std::to_string(10'000 + i);
                r.old_name = "Xã " + r.old_code;
                r.old_district = "Huyện " + std::to_string(district);
                r.old_province = "Tỉnh " + std::to_string(province);
                r.split = split;
                r.where = {"crosswalk.csv", ++line, 0};
                out.input.rows.push_back(std::move(r));
            }
            out.old_population.push_back(2'000 + rng.below(28'000));
            out.old_near_poor.push_back(headcount_of_persons(rng.below(900)) + rng.below(10'000));
        }
        for (int d = 0; d < kOldDistricts; ++d) out.district_target.push_back(Decimal{9'000 + rng.below(1'000), 4});
        for (int i = 0; i < kNewCommunes; ++i) out.new_budget.push_back(1'000'000'000 + rng.below(1'000'000'000));
        return out;
    }();
    return n;
}

/// Check and build the crosswalk: indexes, validation, weights, links.
void BM_CrosswalkNationalBuild(benchmark::State& state) {
    const National& n = national();
    std::size_t links = 0;
    for (auto _ : state) {
        const Crosswalk c = build_crosswalk(n.input);
        links = c.links().size();
        benchmark::DoNotOptimize(links);
    }
    state.counters["links"] = static_cast<double>(links);
}

/// Apply it: old populations and near-poor headcounts to the new communes, the old
/// districts' targets to the new communes (population-weighted), the new communes'
/// budgets back to the old communes and districts.
void BM_CrosswalkNational(benchmark::State& state) {
    const National& n = national();
    const Crosswalk c = build_crosswalk(n.input);
    for (auto _ : state) {
        const auto parts = c.split_old(n.old_population);
        const auto population = c.sum_by_new(parts);
        const auto near_poor = c.carry_headcount_to_new(n.old_near_poor);
        const auto targets = c.rates_to_new(c.old_districts().inherit(n.district_target), parts);
        const auto budget_old = c.aggregate_to_old(n.new_budget, parts);
        const auto budget_districts = c.old_districts().sum(budget_old);
        benchmark::DoNotOptimize(population.data());
        benchmark::DoNotOptimize(near_poor.data());
        benchmark::DoNotOptimize(targets.data());
        benchmark::DoNotOptimize(budget_districts.data());
    }
    state.counters["old"] = static_cast<double>(c.old_count());
    state.counters["new"] = static_cast<double>(c.new_count());
    state.counters["links"] = static_cast<double>(c.links().size());
}

}  // namespace

BENCHMARK(BM_CrosswalkNationalBuild)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CrosswalkNational)->Unit(benchmark::kMillisecond);
