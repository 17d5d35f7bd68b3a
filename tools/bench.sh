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

# The other commands, whole process (median of RUNS): compare with the four shipped
# variants and with ten, solve, and sensitivity at 10,000 draws (1 and 2 threads; draws
# only: --sobol 0, the Sobol' design is timed apart below).
nb=scenarios/ninh-binh-2026
mkdir -p "$data/variants10"
for i in $(seq 1 10); do   # ten variants: the four shipped ones, and six shares of the 70-74 rule
  if [ "$i" -le 4 ]; then v=$(ls $nb/variants/*.yaml | sed -n "${i}p"); sed "s|^extends: .*|extends: ../../../../$nb/scenario.yaml|; s|^\(  *id: \)\(.*\)|\1\2-b$i|" "$v" > "$data/variants10/v$i.yaml"
  else sed "s|^extends: .*|extends: ../../../../$nb/scenario.yaml|; s|^\(  *id: \)\(.*\)|\1\2-s$i|; s|share: 50%|share: $((i * 10))%|" $nb/variants/aged-70-74-half.yaml > "$data/variants10/v$i.yaml"; fi
done
timed() {  # name command...
  local name=$1 walls=() mems=() start end; shift
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$data/time.txt" "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    walls+=("$(( (end - start) / 1000000 ))")
    mems+=("$(awk '{printf "%.1f", $1/1024}' "$data/time.txt")")
  done
  printf '| %s | %s ms | %s MiB |\n' "$name" \
    "$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
    "$(printf '%s\n' "${mems[@]}" | sort -n | tail -1)"
}
echo
echo "| command (whole process, median of $runs) | wall | peak memory (max) |"
echo "|---|---|---|"
timed "compare Ninh Bình + 4 shipped variants" "$build/subsim" compare $nb/scenario.yaml $nb/variants/*.yaml --out "$data/out-cmp4" --root .
timed "compare Ninh Bình + 10 variants" "$build/subsim" compare $nb/scenario.yaml "$data"/variants10/v*.yaml --out "$data/out-cmp10" --root .
timed "solve Ninh Bình (70–74 share within 450 billion đồng for the province in 2027)" "$build/subsim" solve \
  $nb/scenario.yaml --vary nq25_b_aged_70_74.share --budget 450000000000 --payer province --year 2027 --out "$data/out-solve"
timed "solve Ninh Bình (agri-average top-up for 96.5% coverage by 2030)" "$build/subsim" solve $nb/scenario.yaml \
  --vary nq25_dd_agri_average.share --target 'coverage>=96.5%' --by 2030 --out "$data/out-solve2"
timed "sensitivity Ninh Bình, 10,000 draws, 2 threads" "$build/subsim" sensitivity $nb/scenario.yaml \
  --draws 10000 --sobol 0 --seed 1 --threads 2 --out "$data/out-sens2"
timed "sensitivity Ninh Bình, 10,000 draws, 1 thread" "$build/subsim" sensitivity $nb/scenario.yaml \
  --draws 10000 --sobol 0 --seed 1 --threads 1 --out "$data/out-sens1"

# National sensitivity: 20 uncertain inputs (16 group sizes, 3 provincial shares, the 2028
# base salary; synthetic ranges), 1,000 draws; and a Sobol' design of N = 64 rows
# (64 × 22 runs) from which README scales the time of N = 8,192.
{
  echo "uncertainty:"
  for g in $(seq 0 15); do
    echo "  - {target: cohorts.g$g.scale, dist: normal, mean: 1, sd: 0.05, low: 0.85, high: 1.15, reference: \"synthetic\", confidence: illustrative}"
  done
  echo "  - {target: rules.province_g4.share, dist: uniform, low: 20%, high: 30%, reference: \"synthetic\", confidence: illustrative}"
  echo "  - {target: rules.province_g7.share, dist: uniform, low: 30%, high: 50%, reference: \"synthetic\", confidence: illustrative}"
  echo "  - {target: rules.province_g9.share, dist: uniform, low: 30%, high: 50%, reference: \"synthetic\", confidence: illustrative}"
  echo "  - {target: parameters.base_salary, from: 2028-07-01, dist: discrete, values: [2720000, 2900000], probs: [50%, 50%], reference: \"synthetic\", confidence: illustrative}"
} > "$data/national/uncertainty.yaml"
timed "sensitivity national, 20 inputs, 1,000 draws, 2 threads" "$build/subsim" sensitivity "$data/national/scenario.yaml" \
  --uncertainty "$data/national/uncertainty.yaml" --root "$data" --draws 1000 --sobol 0 --seed 1 --out "$data/out-nsens"
timed "sensitivity national, 20 inputs, Sobol' N = 64 (1,408 runs) + 100 draws, 2 threads" "$build/subsim" sensitivity \
  "$data/national/scenario.yaml" --uncertainty "$data/national/uncertainty.yaml" --root "$data" --draws 100 --sobol 64 \
  --sobol-output cost:all:total --seed 1 --out "$data/out-nsobol"

# Release 0.1.0 side by side with this build on the national synthetic scenario, runs
# interleaved (new, old, new, old, ...) so that both see the same moments of a shared VM.
# 0.1.0 is built once from its commit into build/v0.1.0 (needs the git history).
v010=9462bee40cd4aa6b6f54bad0a500f2f1ede4a0fe
if git cat-file -e "$v010^{commit}" 2>/dev/null; then
  if [ ! -x build/v0.1.0/build/subsim ]; then
    rm -rf build/v0.1.0/src && mkdir -p build/v0.1.0
    git archive "$v010" | tar -x -C build/v0.1.0 --one-top-level=src
    cmake -S build/v0.1.0/src -B build/v0.1.0/build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DSUBSIM_BUILD_TESTS=OFF -DSUBSIM_BUILD_BENCH=OFF >/dev/null
    cmake --build build/v0.1.0/build --target subsim >/dev/null
  fi
  # Two floors beside them: `validate` (load, validate, compile and every year's totals:
  # the computing a run cannot skip, writing nothing), and copying 0.1.0's own output
  # files from the page cache into a fresh folder that then replaces the previous copy,
  # kept as 0.1.0 keeps its own reports: every file and the folder fsynced before the
  # rename, the replaced folder deleted (the writing any program producing those files
  # under 0.1.0's crash-safety contract cannot skip).
  nw=() nm=() ow=() om=() vw=() cw=()
  for _ in $(seq "$runs"); do
    for which in new old validate copy; do
      bin=$build/subsim; [ "$which" = old ] && bin=build/v0.1.0/build/subsim
      start=$(date +%s%N)
      case $which in
        validate) "$bin" validate "$data/national/scenario.yaml" >/dev/null 2>&1 ;;
        copy) rm -rf "$data/out-copy.new" && mkdir "$data/out-copy.new" &&
              for f in "$data"/out-old/*; do cat "$f" > "$data/out-copy.new/${f##*/}"; done &&
              sync "$data/out-copy.new"/* "$data/out-copy.new" &&
              { [ ! -d "$data/out-copy" ] || mv "$data/out-copy" "$data/out-copy.gone"; } &&
              mv "$data/out-copy.new" "$data/out-copy" && rm -rf "$data/out-copy.gone" ;;
        *) /usr/bin/time -f '%M' -o "$data/time.txt" "$bin" run "$data/national/scenario.yaml" --out "$data/out-$which" >/dev/null 2>&1 ;;
      esac
      end=$(date +%s%N)
      w=$(( (end - start) / 1000000 )); m=$(awk '{printf "%.1f", $1/1024}' "$data/time.txt")
      case $which in
        new) nw+=("$w"); nm+=("$m") ;;
        old) ow+=("$w"); om+=("$m") ;;
        validate) vw+=("$w") ;;
        copy) cw+=("$w") ;;
      esac
    done
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  echo
  echo "| national synthetic, 3,321 communes, interleaved, median of $runs | wall | peak memory (median) |"
  echo "|---|---|---|"
  echo "| release 0.1.0 | $(med "${ow[@]}") ms | $(med "${om[@]}") MiB |"
  echo "| this build | $(med "${nw[@]}") ms | $(med "${nm[@]}") MiB |"
  echo "| floor: this build's \`validate\` (writes nothing) | $(med "${vw[@]}") ms | |"
  echo "| floor: copying 0.1.0's output files durably into a fresh folder replacing the last copy (\`cat\`, \`sync\`, \`mv\`, \`rm\`) | $(med "${cw[@]}") ms | |"
fi

echo
"$build/subsim_bench" --benchmark_min_time=0.2
