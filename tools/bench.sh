#!/usr/bin/env bash
# Whole-process timings of `subsim run` (wall time and peak memory from
# /usr/bin/time -v), median of N runs, as a Markdown table for README; then the
# Google Benchmark programs.
#   bash tools/bench.sh [RUNS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-11}
build=build/release
cmake --build "$build" --target subsim gen_national subsim_bench >/dev/null
data=$build/bench-data
"$build/gen_national" "$data/national" 3321 34 >/dev/null
for n in 100 1000 10000; do "$build/gen_national" "$data/national-$n" "$n" 34 >/dev/null; done

measure() {  # name scenario
  local name=$1 scenario=$2 walls=() mems=() start end
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$data/time.txt" "$build/subsim" run "$scenario" --out "$data/out-$name" >/dev/null 2>&1
    end=$(date +%s%N)
    walls+=("$(( (end - start) / 1000000 ))")
    mems+=("$(awk '{printf "%.1f", $1/1024}' "$data/time.txt")")
  done
  local wall mem
  wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mem=$(printf '%s\n' "${mems[@]}" | sort -n | tail -1)
  printf '| %s | %s ms | %s MiB |\n' "$name" "$wall" "$mem"
}

echo "| scenario (whole \`subsim run\` process, median of $runs) | wall | peak memory (max) |"
echo "|---|---|---|"
measure an-giang-2016-2020 scenarios/an-giang-2016-2020/scenario.yaml
[ -f scenarios/ninh-binh-2026/scenario.yaml ] && measure ninh-binh-2026 scenarios/ninh-binh-2026/scenario.yaml
[ -f scenarios/lao-cai-2024/scenario.yaml ] && measure lao-cai-2024 scenarios/lao-cai-2024/scenario.yaml
for n in 100 1000; do measure "national-$n-communes" "$data/national-$n/scenario.yaml"; done
measure national-3321-communes "$data/national/scenario.yaml"
measure national-10000-communes "$data/national-10000/scenario.yaml"

echo
"$build/subsim_bench" --benchmark_min_time=0.2
