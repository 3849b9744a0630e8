#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz/ (VEZA_FUZZ=ON: only the libraries they
# link, with ASan and UBSan) and runs each for a while on a working copy of its seed corpus,
# then prints per target the executions, their rate and the coverage (libFuzzer's cov and ft,
# after the seeds and at the end). Fails when a target finds anything: a sanitizer report, a
# crash, a leak, a timeout or a broken FUZZ_CHECK; the input is kept in build-fuzz/crashes/.
#
#   tests/fuzz/run-fuzzers.sh [--seconds N] [--build-only | --no-build] [TARGET...]
#
# Default: every target (tests/fuzz/fuzz_*.cpp), 60 s each. The working corpus is
# build-fuzz/corpus/<target>/: the repository's seeds are copied in and what the fuzzer finds
# stays there for the next run, so tests/fuzz/corpus/ only changes by hand.
# Environment: VEZA_FUZZ_BUILD_DIR (default <repo>/build-fuzz), VEZA_FUZZ_JOBS (build jobs).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fuzz_dir=$root/tests/fuzz
build_dir=${VEZA_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=60
build=yes
run=yes
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --build-only) run=no; shift ;;
    --no-build) build=no; shift ;;
    -*) echo "run-fuzzers.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [[ ${#targets[@]} -eq 0 ]]; then
  for source in "$fuzz_dir"/fuzz_*.cpp; do
    name=$(basename "$source" .cpp)
    targets+=("${name#fuzz_}")
  done
fi

if [[ $build == yes ]]; then
  # ccache hits across checkouts in different folders, as for the main build.
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
  export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  if [[ ! -f $build_dir/CMakeCache.txt ]]; then
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
          -DCMAKE_CXX_COMPILER=clang++-14 -DVEZA_FUZZ=ON \
          -DVEZA_BUILD_CONSOLE=OFF -DVEZA_BUILD_TESTS=OFF >/dev/null
  fi
  cmake --build "$build_dir" -j"${VEZA_FUZZ_JOBS:-$(nproc)}"
fi
[[ $run == yes ]] || exit 0

# Leaks are findings too; anything a sanitizer reports ends the run with the input saved. A
# smaller quarantine (use-after-free window) keeps a long run well under the RSS limit.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=64
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The figures of one run, from libFuzzer's log: "#N INITED cov: X ft: Y ..." after the seeds,
# "#N DONE cov: X ft: Y corp: C/S ..." at the end and the stat:: lines of -print_final_stats.
summarize() {
  local target=$1 log=$2 result=$3
  awk -v target="$target" -v result="$result" '
    /INITED/ { for (i = 1; i < NF; i++) { if ($i == "cov:") c0 = $(i+1); if ($i == "ft:") f0 = $(i+1) } }
    /DONE/   { for (i = 1; i < NF; i++) { if ($i == "cov:") c1 = $(i+1); if ($i == "ft:") f1 = $(i+1); if ($i == "corp:") corp = $(i+1) } }
    /^stat::number_of_executed_units:/ { runs = $2 }
    /^stat::average_exec_per_sec:/ { rate = $2 }
    END { printf "%-16s %10s %8s %6s -> %-6s %6s -> %-6s %10s  %s\n", target, runs, rate, c0, c1, f0, f1, corp, result }
  ' "$log"
}

mkdir -p "$build_dir/logs"
failed=()
summary=()
for target in "${targets[@]}"; do
  binary=$build_dir/tests/fuzz/fuzz_$target
  if [[ ! -x $binary ]]; then
    echo "run-fuzzers.sh: no $binary (build it: tests/fuzz/run-fuzzers.sh --build-only)" >&2
    exit 1
  fi
  work=$build_dir/corpus/$target
  crashes=$build_dir/crashes/$target
  log=$build_dir/logs/$target.log
  mkdir -p "$work" "$crashes"
  cp -n "$fuzz_dir/corpus/$target"/* "$work"/ 2>/dev/null || true
  options=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1
           -artifact_prefix="$crashes/")
  [[ -f $fuzz_dir/dicts/$target.dict ]] && options+=(-dict="$fuzz_dir/dicts/$target.dict")
  # Audio needs a few frames to get past the demuxer's probing; text targets stay at 4 KiB.
  [[ $target == audio_source ]] && options+=(-max_len=12288)
  echo "fuzz_$target: ${seconds}s on $(find "$work" -type f | wc -l) inputs" >&2
  if "$binary" "${options[@]}" "$work" >"$log" 2>&1; then
    summary+=("$(summarize "$target" "$log" ok)")
    # Only the inputs that add coverage go on to the next run, so the corpus does not pile up.
    merged=$(mktemp -d "$build_dir/corpus/.merge-$target.XXXXXX")
    if "$binary" -merge=1 "$merged" "$work" >"$log.merge" 2>&1; then
      rm -rf "$work" && mv "$merged" "$work"
    else
      rm -rf "$merged"
    fi
  else
    summary+=("$(summarize "$target" "$log" FAILED)")
    failed+=("$target")
    echo "---- fuzz_$target failed; the end of $log:" >&2
    tail -n 60 "$log" >&2
    echo "---- inputs kept in $crashes/ (replay: $binary $crashes/<file>)" >&2
  fi
done

printf "%-16s %10s %8s %16s %16s %10s  %s\n" target executions exec/s "cov seeds->end" "ft seeds->end" corpus result
printf "%s\n" "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "run-fuzzers.sh: findings in ${failed[*]}" >&2
  exit 1
fi
