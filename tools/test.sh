#!/usr/bin/env bash
# Runs every test: the Release suite, the whole suite again under AddressSanitizer +
# UndefinedBehaviorSanitizer (clang-14), and a bounded libFuzzer run of each harness.
#   bash tools/test.sh                 # everything (CI runs exactly this)
#   SUBSIM_FUZZ_SECONDS=0 bash tools/test.sh   # skip fuzzing
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jobs=$(nproc)
fuzz_seconds=${SUBSIM_FUZZ_SECONDS:-45}

echo "== Release build and tests"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$jobs"
ctest --test-dir build/release --output-on-failure -j"$jobs"

echo "== Sanitizer build (ASan + UBSan, clang-14) and tests"
CC=clang-14 CXX=clang++-14 cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSUBSIM_SANITIZE=ON -DSUBSIM_FUZZ=ON -DSUBSIM_BUILD_BENCH=OFF >/dev/null
cmake --build build/asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j"$jobs"

if [ "$fuzz_seconds" -gt 0 ] && [ -x tests/fuzz/run.sh ]; then
  echo "== Bounded fuzzing (${fuzz_seconds}s per harness)"
  bash tests/fuzz/run.sh build/asan "$fuzz_seconds"
fi
echo "== All tests passed"
