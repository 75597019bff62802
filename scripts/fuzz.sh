#!/usr/bin/env bash
# Fuzzes zonekit with libFuzzer: builds tests/fuzz/fuzz_<target> with clang (-DZK_FUZZ=ON: libFuzzer, ASan and
# UBSan) into build-fuzz/, then runs each target for SECONDS (default 60) on a copy of its kept corpus, and
# prints per target the executions run and the crashes found.
#
#   scripts/fuzz.sh [SECONDS] [TARGET…]        targets: project geometry (default: both)
#
# A crash input is saved under build-fuzz/crashes/<target>/. To keep it as a regression test (CTest replays it
# in every build, without clang), fix the bug, then copy the input into tests/fuzz/regressions-<target>/.
# New corpus entries found while fuzzing stay in build-fuzz/corpus/<target>/ (not committed).
# Needs clang and libclang-rt-14-dev (installed here when missing, like scripts/setup.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(project geometry)
build="${ZK_FUZZ_BUILD_DIR:-build-fuzz}"

scripts/setup.sh
missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fuzz: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== build the fuzz targets with clang (${build})"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DZK_FUZZ=ON \
  -DZK_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
summary=()
failed=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  crashes="$build/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  cp -n tests/fuzz/corpus-"$t"/* "$corpus"/ 2>/dev/null || true
  [ -d tests/fuzz/regressions-"$t" ] && cp -n tests/fuzz/regressions-"$t"/* "$corpus"/ 2>/dev/null || true
  log="$build/fuzz_$t.log"
  echo "== fuzz_$t for ${seconds} s (log: $log)"
  set +e
  # -fork keeps fuzzing after a crash (each crash is saved); -ignore_crashes counts them instead of stopping.
  "$build/tests/fuzz/fuzz_$t" "$corpus" -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
    -ignore_ooms=1 -timeout=20 -rss_limit_mb=4096 -max_len=4096 -artifact_prefix="$crashes/" -print_final_stats=1 \
    >"$log" 2>&1
  rc=$?
  set -e
  # In fork mode the parent prints "#N ... exec/s" lines: take the last count of executions.
  execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  [ -z "$execs" ] && execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | paste -sd+ | bc)
  ncrash=$(find "$crashes" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  summary+=("$(printf '%-10s %12s executions  %3d crash/leak/timeout input(s) in %s  (libFuzzer exit %d)' \
    "$t" "${execs:-?}" "$ncrash" "$crashes" "$rc")")
  [ "$ncrash" -gt 0 ] && failed=1
done
echo "== summary (${seconds} s per target)"
printf '%s\n' "${summary[@]}"
exit $failed
