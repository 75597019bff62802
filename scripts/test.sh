#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through CTest: once in the normal build, and once
# built with AddressSanitizer + UndefinedBehaviorSanitizer (any report fails the run). ZK_NO_SANITIZE=1 skips
# the second pass.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== build and test (RelWithDebInfo)"
scripts/build.sh
(cd "${ZK_BUILD_DIR:-build}" && ctest --output-on-failure -j"$(nproc)")

if [ "${ZK_NO_SANITIZE:-0}" != 1 ]; then
  echo "== build and test with AddressSanitizer + UndefinedBehaviorSanitizer"
  ZK_BUILD_DIR="${ZK_ASAN_BUILD_DIR:-build-asan}" scripts/build.sh -DCMAKE_BUILD_TYPE=Debug -DZK_SANITIZE=ON
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  (cd "${ZK_ASAN_BUILD_DIR:-build-asan}" && ctest --output-on-failure -j"$(nproc)")
fi
