// Executor::for_each_worker: every index once, on a worker in [0, threads()), and never two
// calls at once on one worker (so a per-worker cache needs no lock).
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "subsim/core/executor.hpp"

namespace subsim {
namespace {

void check_workers(int threads) {
    const Executor ex(threads);
    constexpr std::size_t kCalls = 2000;
    std::vector<std::atomic<int>> visits(kCalls);
    std::vector<std::atomic<int>> busy(static_cast<std::size_t>(threads));
    std::atomic<int> overlapping{0}, out_of_range{0};
    std::vector<double> sink(static_cast<std::size_t>(threads), 0.0);
    ex.for_each_worker(kCalls, [&](std::size_t i, std::size_t worker) {
        if (worker >= static_cast<std::size_t>(threads)) {
            ++out_of_range;
            return;
        }
        if (busy[worker].exchange(1) != 0) ++overlapping;
        for (int k = 0; k < 200; ++k) sink[worker] += std::sqrt(static_cast<double>(i + static_cast<std::size_t>(k)));
        busy[worker] = 0;
        ++visits[i];
    });
    EXPECT_EQ(out_of_range.load(), 0);
    EXPECT_EQ(overlapping.load(), 0);
    std::size_t once = 0;
    for (const auto& v : visits) once += v.load() == 1 ? 1 : 0;
    EXPECT_EQ(once, kCalls);
}

TEST(Executor, ForEachWorkerVisitsEveryIndexOnceOnOneWorkerAtATime) {
    check_workers(1);
    check_workers(2);
    check_workers(4);  // more threads than this machine's cores
}

TEST(Executor, ForEachWorkerRethrowsTheSmallestIndexError) {
    const Executor ex(2);
    try {
        ex.for_each_worker(100, [](std::size_t i, std::size_t) {
            if (i == 17 || i == 60) throw std::runtime_error(std::to_string(i));
        });
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "17");
    }
}

}  // namespace
}  // namespace subsim
