#!/usr/bin/env bash
# Runs every test: the Release suite, the whole suite again under AddressSanitizer +
# UndefinedBehaviorSanitizer (clang-14), and a bounded libFuzzer run of each harness.
#   bash tools/test.sh                 # everything (CI runs exactly this)
#   SUBSIM_FUZZ_SECONDS=0 bash tools/test.sh   # skip fuzzing (default: 30 s per harness)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jobs=$(nproc)
fuzz_seconds=${SUBSIM_FUZZ_SECONDS:-30}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== Release build and tests"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$jobs"
# LibreOffice and Chromium are installed by tools/setup.sh: the office test must not skip.
SUBSIM_REQUIRE_OFFICE=1 ctest --test-dir build/release --output-on-failure -j"$jobs" | tee -a "$log"

echo "== Sanitizer build (ASan + UBSan, clang-14) and tests"
# -O1 and line tables only: the sanitizers' reports keep file:line, and the build (most
# of CI's time on 2 cores) is much shorter than with -O2 -g.
CC=clang-14 CXX=clang++-14 cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DSUBSIM_SANITIZE=ON -DSUBSIM_FUZZ=ON -DSUBSIM_BUILD_BENCH=OFF >/dev/null
cmake --build build/asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j"$jobs" -E OfficeTest | tee -a "$log"

if [ "$fuzz_seconds" -gt 0 ] && [ -x tests/fuzz/run.sh ]; then
  echo "== Bounded fuzzing (${fuzz_seconds}s per harness)"
  bash tests/fuzz/run.sh build/asan "$fuzz_seconds"
fi
# One plain closing line: every ctest case of both builds (fuzzing is pass/fail above).
passed=$(awk '/tests passed, 0 tests failed out of/ {n += $NF} END {print n + 0}' "$log")
echo "tests: $passed passed, 0 failed"
