#include <malloc.h>

#include <iostream>

#include "subsim/cli/cli.hpp"

int main(int argc, char** argv) {
    // One malloc arena for the whole process. The worker threads do not allocate in their
    // hot loops, so sharing one arena costs no measurable time; but with an arena per thread
    // a year's freed report buffers stay with the thread that freed them and the next
    // year's are taken fresh elsewhere: the national run's peak memory is 73 MiB with one
    // arena and 84 MiB with the default (README, Performance).
    mallopt(M_ARENA_MAX, 1);
    return subsim::run_cli(argc, argv, std::cout, std::cerr);
}
