#!/usr/bin/env bash
# Installs what zonekit needs from Debian 12's packages, if anything is missing. Idempotent; quiet when all
# is there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libgdal-dev gdal-bin libgeos-dev libproj-dev proj-data libsqlite3-dev
  libboost-dev catch2 libcli11-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev
  libcairo2-dev libfontconfig-dev fonts-noto-cjk
  libjemalloc-dev            # the zonekit binary's allocator (CMakeLists.txt, ZK_JEMALLOC)
  groff-base man-db          # the man pages' tests read them with groff and man
  chromium poppler-utils     # the siting screen's report is printed to PDF and read back in a test
  python3-qgis               # QGIS 3.22's Python API opens analysis.qgs offscreen in a test (/usr/bin/python3)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
