#pragma once
/// The one place work is spread over threads (oneTBB, kept out of this header). An
/// executor is made once, from the thread count the user asked for, and passed to every
/// stage that runs in parallel; nothing reads the environment deep inside. Every stage
/// gives the same output whatever the count: tasks write their own slots and results
/// are combined in index order.
#include <cstddef>
#include <functional>
#include <memory>

namespace subsim {

class Executor {
public:
    /// `threads` ≥ 1, or 0 for default_threads() (SUBSIM_THREADS, else the cores).
    explicit Executor(int threads = 0);
    ~Executor();
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;

    int threads() const { return threads_; }

    /// Runs fn(i) for every i in [0, n), in parallel. If some throw, the exception of
    /// the smallest i is rethrown once all have finished (the same whatever the timing).
    void for_each(std::size_t n, const std::function<void(std::size_t)>& fn) const;

    /// As for_each, with the worker running each call: fn(i, worker), worker in
    /// [0, threads()), and no two calls at once on one worker. For per-worker caches whose
    /// contents do not change results (which worker runs which i depends on timing).
    /// fn must not wait on this executor: a worker waiting in a nested for_each may take
    /// up another i of this loop.
    void for_each_worker(std::size_t n, const std::function<void(std::size_t, std::size_t)>& fn) const;

    /// A single-threaded executor for callers that run many small jobs themselves.
    static const Executor& serial();

private:
    struct Impl;
    int threads_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace subsim
