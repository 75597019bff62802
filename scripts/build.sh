#!/usr/bin/env bash
# Configures and builds zonekit into build/ (or $ZK_BUILD_DIR). Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${ZK_BUILD_DIR:-build}"
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZK_WERROR="$werror" "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
