#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the bundled Chongzhou layers (illustrative
# shapes, not official — see layers/chongzhou/README.md): `zonekit run layers/chongzhou/project.toml`, which
# measures every layer, tabulates land use by district, checks the plan, and writes a styled GeoPackage,
# GeoJSON, tables, a map, a report and summary.json; then the same on the project with planted conflicts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
zonekit="${ZK_BUILD_DIR:-build}/src/zonekit"
out="${ZK_DEMO_OUT:-out/demo}"
mkdir -p "$out"

echo "== zonekit info layers/chongzhou/chongzhou.gpkg --layer districts"
"$zonekit" info layers/chongzhou/chongzhou.gpkg --layer districts
echo
echo "== zonekit run layers/chongzhou/project.toml -o $out/chongzhou   (the plan as bundled: every rule holds)"
"$zonekit" run layers/chongzhou/project.toml -o "$out/chongzhou" --overwrite --progress
echo
echo "== zonekit run layers/chongzhou/conflicts.toml -o $out/conflicts   (planted conflicts: exit code 1)"
set +e
"$zonekit" run layers/chongzhou/conflicts.toml -o "$out/conflicts" --overwrite
rc=$?
set -e
echo "(exit code $rc: findings above tolerance; every output is still written)"
[ "$rc" -eq 1 ] || exit 1
echo
echo "The main job's outputs are in $out/chongzhou:"
echo "  report.html  — open in a browser (self-contained: tables, checks, the map inline)"
echo "  map.png      — the map; analysis.gpkg — open in QGIS, every layer styled"
echo "  summary.json, *.csv, *.geojson"
