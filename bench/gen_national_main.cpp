// Writes the synthetic national scenario: gen_national DIR [COMMUNES] [PROVINCES]
#include <cstdlib>
#include <iostream>

#include "national_gen.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: gen_national DIR [COMMUNES] [PROVINCES]\n";
        return 2;
    }
    subsim::bench::NationalSpec spec;
    if (argc > 2) spec.communes = std::atoi(argv[2]);
    if (argc > 3) spec.provinces = std::atoi(argv[3]);
    if (spec.communes <= 0 || spec.provinces <= 0) {
        std::cerr << "gen_national: counts must be positive\n";
        return 2;
    }
    std::cout << subsim::bench::write_national_scenario(argv[1], spec) << "\n";
    return 0;
}
