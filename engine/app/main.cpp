#include <malloc.h>

#include <iostream>

#include "subsim/cli/cli.hpp"

int main(int argc, char** argv) {
    // Two malloc arenas for the whole process. The costing threads do not allocate in
    // their hot loops; the report writers do (compare's workbook and tables, side by side)
    // and contend for a single arena: compare with ten variants took longer on two threads
    // than on one. With an arena per thread a year's freed report buffers stay with the
    // thread that freed them and the next year's are taken fresh elsewhere: the national
    // run's peak memory is 73 MiB with one arena, 76 MiB with two, 84 MiB with the default
    // (README, Performance).
    mallopt(M_ARENA_MAX, 2);
    return subsim::run_cli(argc, argv, std::cout, std::cerr);
}
