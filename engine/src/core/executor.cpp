#include "subsim/core/executor.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <exception>
#include <stdexcept>
#include <vector>

#include "subsim/core/threads.hpp"

namespace subsim {

struct Executor::Impl {
    explicit Impl(int threads) : arena(threads) {}
    mutable oneapi::tbb::task_arena arena;
};

Executor::Executor(int threads)
    : threads_(threads > 0 ? threads : default_threads()), impl_(std::make_unique<Impl>(threads_)) {}

Executor::~Executor() = default;

void Executor::for_each(std::size_t n, const std::function<void(std::size_t)>& fn) const {
    if (n == 0) return;
    std::vector<std::exception_ptr> errors(n);
    const auto body = [&](std::size_t i) {
        try {
            fn(i);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    };
    if (threads_ <= 1 || n == 1) {
        for (std::size_t i = 0; i < n; ++i) body(i);
    } else {
        impl_->arena.execute([&] {
            oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, n, 1),
                                      [&](const oneapi::tbb::blocked_range<std::size_t>& r) {
                                          for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
                                      },
                                      oneapi::tbb::simple_partitioner());
        });
    }
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

void Executor::for_each_worker(std::size_t n, const std::function<void(std::size_t, std::size_t)>& fn) const {
    const bool serial = threads_ <= 1 || n == 1;
    for_each(n, [&](std::size_t i) {
        // Inside the executor's arena, a thread's slot is its index there (< threads_).
        const int slot = serial ? 0 : oneapi::tbb::this_task_arena::current_thread_index();
        if (slot < 0 || slot >= threads_) throw std::logic_error("for_each_worker: a call outside the executor's arena");
        fn(i, static_cast<std::size_t>(slot));
    });
}

const Executor& Executor::serial() {
    static const Executor one(1);
    return one;
}

}  // namespace subsim
