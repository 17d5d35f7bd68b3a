#!/usr/bin/env bash
# Runs every libFuzzer harness for a while on a COPY of its committed seed corpus (the
# committed corpus never grows here). Exits non-zero on any finding (crash, sanitizer
# report, unexpected exception, timeout, out-of-memory) and prints the reproducer path.
#
#   tests/fuzz/run.sh <build-dir> <seconds-per-harness>
#
# <build-dir> is configured with clang and -DSUBSIM_SANITIZE=ON -DSUBSIM_FUZZ=ON and
# built with the `fuzzers` target. Reproduce a finding with: <build-dir>/fuzz/<harness> <file>
set -u

if [[ $# -ne 2 || ! "$2" =~ ^[0-9]+$ || "$2" -eq 0 ]]; then
  echo "usage: $0 <build-dir> <seconds-per-harness>" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd) || exit 2
seconds=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
harnesses=(fuzz_csv fuzz_loader fuzz_pipeline)

for h in "${harnesses[@]}"; do
  if [[ ! -x "$build_dir/fuzz/$h" ]]; then
    echo "missing $build_dir/fuzz/$h (build the 'fuzzers' target with -DSUBSIM_FUZZ=ON)" >&2
    exit 2
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/subsim-fuzz-run.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
findings_dir="$build_dir/fuzz-findings"
mkdir -p "$findings_dir"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
for h in "${harnesses[@]}"; do
  corpus="$work/corpus-$h"
  mkdir -p "$corpus" "$work/tmp-$h"
  cp -R "$here/corpus/$h/." "$corpus/"
  log="$findings_dir/$h.log"
  echo "== $h: ${seconds}s on a copy of tests/fuzz/corpus/$h ($(ls "$corpus" | wc -l) seeds); log $log"
  TMPDIR="$work/tmp-$h" "$build_dir/fuzz/$h" "$corpus" \
      -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$findings_dir/$h-" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  if [[ $rc -ne 0 ]]; then
    status=1
    echo "!! $h: FINDING (exit status $rc)"
    grep -E "^(==[0-9]+==ERROR|==subsim-fuzz==|SUMMARY|.*runtime error|ALARM|.*-timeout)" "$log" | head -5
    grep -Eo "(Test unit written to|written to) [^ ]+" "$log" | sed 's/^/   reproducer: /' | sort -u
    echo "   reproduce: $build_dir/fuzz/$h <reproducer>"
  else
    grep -E "^(stat::number_of_executed_units|Done [0-9]+ runs)" "$log" | sed 's/^/   /'
    echo "   ok"
  fi
done
exit $status
