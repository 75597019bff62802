#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the bundled Chongzhou layers (illustrative
# shapes, not official — see layers/chongzhou/README.md): `zonekit run layers/chongzhou/project.toml`, which
# measures every layer, tabulates land use by district, checks the plan, and writes a styled GeoPackage,
# GeoJSON, tables, a map, a report and summary.json; then the same on the project with planted conflicts;
# then the siting screen of the bundled proposed sites (`zonekit screen`).
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
echo "== zonekit run layers/chongzhou/project.toml layers/chongzhou/conflicts.toml -o $out/compare --jobs 2   (two projects compared)"
set +e
"$zonekit" -q run layers/chongzhou/project.toml layers/chongzhou/conflicts.toml -o "$out/compare" --jobs 2 --overwrite
rc=$?
set -e
echo "(exit code $rc: one of the two fails its rules; the comparison is in $out/compare/index.html and comparison.csv)"
[ "$rc" -eq 1 ] || exit 1
echo
screen_args=(layers/chongzhou/project.toml layers/chongzhou/sites.gpkg --layer sites --id-field id --preset sanxian
             --clearance rivers=50 --protect trees=15)
echo "== zonekit screen ${screen_args[*]} -o $out/screen   (35 proposed project sites)"
set +e
"$zonekit" -q screen "${screen_args[@]}" -o "$out/screen" --overwrite
rc=$?
set -e
echo "(exit code $rc: some sites are forbidden or conditional)"
[ "$rc" -eq 1 ] || exit 1
echo
echo "The siting screen's report: $out/screen/screen.html — one page per site: its map, what it takes from each"
echo "  control line, zone and land-use class, its distance to the rivers, the ancient trees near it, its verdict"
echo
echo "The main job's outputs are in $out/chongzhou:"
echo "  report.html  — open in a browser, or print it on A4 (self-contained: in Chinese, tables, checks, the map inline)"
echo "  analysis.qgs — open in QGIS: every layer of analysis.gpkg in its group, styled"
echo "  map.png      — the map; inset_*.png of the conflicts — each finding up close"
echo "  summary.json, *.csv, *.geojson"
