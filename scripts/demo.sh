#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the bundled Chongzhou layers (illustrative
# shapes, not official — see layers/chongzhou/README.md): what the data is, then the areas of the five
# planning districts in 公顷 and 亩.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
zonekit="${ZK_BUILD_DIR:-build}/src/zonekit"
data=layers/chongzhou/chongzhou.gpkg
out="${ZK_DEMO_OUT:-out/demo}"
mkdir -p "$out"

echo "== zonekit info $data --layer districts"
"$zonekit" info "$data" --layer districts
echo
echo "== zonekit area $data --layer districts --by name --unit ha"
"$zonekit" area "$data" --layer districts --by name --unit ha
echo
echo "== zonekit area $data --layer districts --by name --unit mu -o $out/district_areas.csv"
"$zonekit" area "$data" --layer districts --by name --unit mu -o "$out/district_areas.csv" --overwrite
cat "$out/district_areas.csv"
echo
echo "== zonekit area $data --layer districts -o $out/districts_area.gpkg"
"$zonekit" area "$data" --layer districts -o "$out/districts_area.gpkg" --overwrite >/dev/null
echo
echo "== zonekit check layers/chongzhou/project.toml (the plan as bundled: every rule holds)"
"$zonekit" check layers/chongzhou/project.toml -o "$out/findings.gpkg" --report "$out/check.md" --overwrite
echo
echo "== zonekit check layers/chongzhou/conflicts.toml (planted conflicts: exit code 1 and the findings)"
set +e
"$zonekit" check layers/chongzhou/conflicts.toml -o "$out/conflicts_findings.gpkg" --report "$out/conflicts.json" --overwrite
rc=$?
set -e
echo "(exit code $rc: findings above tolerance)"
[ "$rc" -eq 1 ] || exit 1
echo
echo "outputs: $out/district_areas.csv, $out/districts_area.gpkg, $out/findings.gpkg, $out/check.md,"
echo "         $out/conflicts_findings.gpkg, $out/conflicts.json"
