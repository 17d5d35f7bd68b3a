#pragma once
/// The `subsim` command line, as a library call so tests reach it.
#include <ostream>

namespace subsim {

/// Exit status: 0 success, 2 invalid input (usage or scenario), 1 internal error.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace subsim
