#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/ or $FUZZ_BUILD_DIR) and runs each for a
# bounded time: scripts/fuzz.sh [seconds-per-target, default 60] [target...]
# FUZZ_BUILD_DIR overrides the build folder; FUZZ_SKIP_BUILD=1 uses it as it is
# (scripts/test.sh builds the fuzz targets with its sanitizer build). Targets run one per core
# at a time, each logging to <build>/fuzz-logs/<target>.log. New inputs go to
# <build>/corpus-run/<target>/ (the checked-in seed corpus stays untouched); a crash fails the run
# with the crashing input saved in <build>/crashes/ -- add it under
# tests/fuzz/regressions/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${1:-60}
shift || true
jobs=$(nproc 2>/dev/null || echo 2)
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  CC=clang CXX=clang++ cmake -S . -B $build_dir -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DVPUCOST_BUILD_FUZZERS=ON -DVPUCOST_BUILD_TESTS=OFF -DVPUCOST_BUILD_BENCH=OFF >/dev/null
  cmake --build $build_dir -j "$jobs" >/dev/null
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for exe in $build_dir/tests/fuzz/fuzz_*; do targets+=("$(basename "$exe" | sed 's/^fuzz_//')"); done
fi
mkdir -p $build_dir/crashes
# The file targets write each input to a scratch file (the loaders take paths) and save models
# with fsync: on tmpfs that costs nothing, on ext4 it made model_file 3x slower.
scratch=${TMPDIR:-/tmp}
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then scratch=/dev/shm; fi
# One target per core at a time: the targets are single-threaded, so the same
# fuzzing time per target costs half the wall time on a 2-core CI machine.
mkdir -p $build_dir/fuzz-logs
fuzz_one() {
  local t=$1 run_corpus=$build_dir/corpus-run/$1
  mkdir -p "$run_corpus"
  TMPDIR=$scratch ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=1} \
  $build_dir/tests/fuzz/fuzz_"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=1048576 \
    -print_final_stats=1 -artifact_prefix=$build_dir/crashes/"$t"- \
    "$run_corpus" tests/fuzz/corpus/"$t" >$build_dir/fuzz-logs/"$t".log 2>&1 || true
}
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  echo "fuzz: $t for ${seconds}s"
  fuzz_one "$t" &
  running=$((running + 1))
done
wait
found=0
for t in "${targets[@]}"; do
  echo "fuzz: $t"
  grep -E "^stat::number_of_executed_units|ERROR|SUMMARY|Done" $build_dir/fuzz-logs/"$t".log || true
  if ls $build_dir/crashes/"$t"-* >/dev/null 2>&1; then
    echo "fuzz: $t found a crash: $(ls $build_dir/crashes/"$t"-*) (log: $build_dir/fuzz-logs/$t.log)" >&2
    found=1
  fi
done
exit $found
