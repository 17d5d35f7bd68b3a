#pragma once
/// How many threads the engine's stages use by default.

namespace subsim {

/// SUBSIM_THREADS if set to a positive number (at most 64), else the number of cores.
/// Every stage gives the same output whatever the count.
int default_threads();

}  // namespace subsim
