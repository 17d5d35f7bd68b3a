#include "subsim/core/threads.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace subsim {

int default_threads() {
    constexpr int kMaxThreads = 64;
    if (const char* env = std::getenv("SUBSIM_THREADS")) {
        const int n = std::atoi(env);
        if (n > 0) return std::min(n, kMaxThreads);
    }
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : static_cast<int>(std::min<unsigned>(hw, kMaxThreads));
}

}  // namespace subsim
