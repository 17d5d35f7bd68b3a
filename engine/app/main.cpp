#include <iostream>

#include "subsim/cli/cli.hpp"

int main(int argc, char** argv) { return subsim::run_cli(argc, argv, std::cout, std::cerr); }
