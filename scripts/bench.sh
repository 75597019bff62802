#!/usr/bin/env bash
# Benchmark of the overlay engine and the siting screen against the I/O floor (issue 3).
#
#   scripts/bench.sh [N]          N parcels (default 100000); ZK_BUILD_DIR picks the build (default build/)
#
# Builds zonekit if needed, generates N parcels with scripts/make_parcels.py (cached under
# $ZK_BUILD_DIR/bench/), then times, whole-process, 3 rounds of the commands below, each round running each once
# in turn (wall seconds and peak resident memory from /usr/bin/time -f '%e %M'; a command whose first run takes
# over 30 s runs in the first round only), and takes the median of each:
#   (a) ogr2ogr -f GPKG copy of the parcels — the I/O floor;
#   (b) zonekit overlay intersection parcels districts -o out.gpkg --overwrite;
#   (c) zonekit tabulate districts parcels --zone-field name --class-field dlbm (ZONES first, as in issue 3);
#   (d) the same intersection the SpatiaLite way, as a GIS user would do it with GDAL alone (issue 13): one
#       ogr2ogr -dialect SQLite statement, run natively by SQLite with SpatiaLite's functions on the parcels
#       GeoPackage with districts.gpkg ATTACHed (-oo PRELUDE_STATEMENTS), the parcels' R-tree joined against
#       each district's envelope, then ST_Intersects and ST_Intersection (the SQL is printed on stderr), written
#       to a GeoPackage (layer intersection, MultiPolygon);
# and prints each as a multiple of (a) (the median of the rounds' ratios: a machine whose speed drifts slows
# both alike), then (d) / (b): how many times as fast zonekit overlay is as the
# SpatiaLite way. (b) and (c) are skipped, with a message, when this zonekit has no such command; (d) when
# GDAL's SQLite has no SpatiaLite. A command that fails gets the row "failed".
#
# Then the siting screen, for each count S of SCREEN_SITES (default: 10000, and N too when N > 10000; N alone
# when N < 10000): S sites made by scripts/make_bench_sites.py (rectangles and irregular polygons of 0.5-20 ha
# over the county, EPSG:4490, field id; cached like the parcels), timed the same way:
#   (a) ogr2ogr -f GPKG copy of the sites — the I/O floor, as above (every site read and written once);
#   (b) zonekit screen layers/chongzhou/project.toml SITES --layer sites --id-field id --preset sanxian
#       --clearance rivers=50 --protect trees=15 --maps 0 -o OUTDIR --overwrite (exit 1, "a site is forbidden
#       or conditional", counts as success);
#   (c) at the first count only: the same with the default --maps 200, and the seconds the 200 report maps add.
# Skipped, with a message, when this zonekit has no 'screen' command; SCREEN_SITES=0 skips it.
#
# Last, the goals of issue 13, set at N = 10^6 parcels (at another N they are printed as indicative only), each
# "met" or "not met", compared as the table prints them: overlay (b) ≤ 1.0 × (a); (d) / (b) ≥ 2 (zonekit at
# least twice as fast as the SpatiaLite way); tabulate (c) ≤ 0.3 × (a); peak memory of (b) and (c) < 200 MB.
# A goal not met is no failure: the exit status is 0, or 1 when a timed command failed (2: cannot run at all).
#
# Environment: RUNS (default 3); BENCH_LONG (default 30: seconds of a first run past which it is not
# repeated); ZK_BUILD_DIR; ZK_NO_BUILD=1 uses $ZK_BUILD_DIR/src/zonekit as it is (no configure, no build);
# ZK_BENCH_DIR the cache of generated data and the scratch space (default $ZK_BUILD_DIR/bench; the screen of
# 100000 sites writes about 0.9 GB there while it runs); SCREEN_SITES, e.g. "10000 100000".
set -euo pipefail

N=${1:-100000}
RUNS=${RUNS:-3}
LONG=${BENCH_LONG:-30}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${ZK_BUILD_DIR:-$ROOT/build}
ZK=$BUILD/src/zonekit
BENCH=${ZK_BENCH_DIR:-$BUILD/bench}
TIME=/usr/bin/time

die() { echo "bench.sh: $*" >&2; exit 2; }
[[ $N =~ ^[0-9]+$ && $N -gt 0 ]] || die "N must be a positive whole number, not '$N'"
if [[ -z ${SCREEN_SITES+set} ]]; then
    if ((N < 10000)); then SCREEN_SITES=$N; elif ((N == 10000)); then SCREEN_SITES=10000; else SCREEN_SITES="10000 $N"; fi
fi
for S in $SCREEN_SITES; do
    [[ $S =~ ^[0-9]+$ ]] || die "SCREEN_SITES holds '$S', not a whole number"
done
[[ -x $TIME ]] || die "$TIME is missing (apt-get install -y time)"
command -v ogr2ogr >/dev/null || die "ogr2ogr is missing (apt-get install -y gdal-bin)"
[[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import osgeo' 2>/dev/null ||
    die "Debian's python3-gdal is missing (apt-get install -y python3-gdal)"

if [[ ${ZK_NO_BUILD:-0} == 1 ]]; then
    [[ -x $ZK ]] || die "ZK_NO_BUILD=1, but there is no $ZK"
    echo "bench.sh: using $ZK as built (ZK_NO_BUILD=1)" >&2
else
    if [[ ! -f $BUILD/CMakeCache.txt ]]; then
        echo "bench.sh: configuring $BUILD (Release)" >&2
        cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    echo "bench.sh: building zonekit in $BUILD" >&2
    cmake --build "$BUILD" --target zonekit_cli -j"$(nproc)" >/dev/null
fi

mkdir -p "$BENCH"
PARCELS=$BENCH/parcels_$N.gpkg
DISTRICTS=$BENCH/districts.gpkg
if [[ ! -f $PARCELS || ! -f $DISTRICTS ]]; then
    echo "bench.sh: generating $N parcels into $BENCH (cached for later runs)" >&2
    /usr/bin/python3 "$ROOT/scripts/make_parcels.py" "$N" --out "$BENCH"
fi
WORK=$(mktemp -d "$BENCH/run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# The commands to time are declared first (add_cmd), then run in rounds (run_rounds): each round runs every
# command once, in order, so that a machine whose speed drifts during the benchmark (a shared VM's does, by 20 %
# within minutes) slows the floor and the command compared with it alike. A row's multiple of another is the
# median over the rounds of the two times taken in the same round.
declare -A T M COUNT NAME OK TIMES MEMS
FAILED=0  # a command that failed: the script goes on, prints its row as "failed", and exits 1 at the end
ROWS=()
# add_cmd KEY LABEL NAME [--ok=STATUSES] CMD… — a command to time (exit status 0, or one of the comma-separated
# STATUSES, is success), shown as row KEY|LABEL of ROWS.
add_cmd() {
    local key=$1 label=$2 name=$3 ok=0; shift 3
    if [[ $1 == --ok=* ]]; then ok=${1#--ok=}; shift; fi
    ROWS+=("$key|$label")
    NAME[$key]=$name
    OK[$key]=$ok
    declare -g -a "CMD_$key=()"
    local -n cmd="CMD_$key"
    cmd=("$@")
}
# run_once KEY — runs its command once (removing $WORK/out.* before), appends its wall seconds and peak resident
# KB (/usr/bin/time -f '%e %M') to TIMES[KEY] and MEMS[KEY], keeps its stdout in $WORK/stdout.KEY; on a failure
# says so and returns 1.
run_once() {
    local key=$1 rc=0 t m
    local -n cmd="CMD_$key"
    rm -rf "$WORK"/out.*
    $TIME -f '%e %M' -o "$WORK/time" "${cmd[@]}" >"$WORK/stdout.$key" 2>"$WORK/stderr" || rc=$?
    if [[ ,${OK[$key]}, != *,$rc,* ]]; then
        echo "bench.sh: ${NAME[$key]} failed (exit status $rc):" >&2
        tail -5 "$WORK/stderr" >&2
        return 1
    fi
    read -r t m < <(tail -1 "$WORK/time")
    TIMES[$key]+="$t "
    MEMS[$key]+="$m "
}
# median WORDS… — the median of the numbers given (the lower middle one of an even count).
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
# run_rounds [--after=KEY:CMD]… KEY… — $RUNS rounds of the KEYs in order; a command whose first run took over $LONG
# seconds, or that failed, is not run again (TIMES gets "-" for a round it sat out). After a command's first run,
# the hook given for its KEY runs (to read its output files before the next command removes them). Then T[KEY]
# is the median seconds, M[KEY] the peak KB; a failed command has no T and sets FAILED.
run_rounds() {
    local -A after=() once=() dead=()
    while [[ $1 == --after=* ]]; do local h=${1#--after=}; after[${h%%:*}]=${h#*:}; shift; done
    local r key
    for ((r = 1; r <= RUNS; r++)); do
        for key in "$@"; do
            if [[ -n ${dead[$key]:-} || -n ${once[$key]:-} ]]; then TIMES[$key]+="- "; continue; fi  # not run
            if ! run_once "$key"; then dead[$key]=1; FAILED=1; continue; fi
            if ((r == 1)); then
                [[ -n ${after[$key]:-} ]] && eval "${after[$key]}"
                local first=${TIMES[$key]%% *}
                awk -v t="$first" -v l="$LONG" 'BEGIN { exit !(t > l) }' && once[$key]=1  # a long command: once is enough
            fi
        done
    done
    for key in "$@"; do
        [[ -n ${dead[$key]:-} ]] && continue
        local times=() t
        for t in ${TIMES[$key]}; do [[ $t != - ]] && times+=("$t"); done
        T[$key]=$(median "${times[@]}")
        M[$key]=$(printf '%s\n' ${MEMS[$key]} | sort -g | tail -1)
    done
}
# ratio KEY BASE — the median over the rounds where both ran of KEY's seconds / BASE's; "" when there is none.
ratio() {
    local -a k=(${TIMES[$1]:-}) b=(${TIMES[$2]:-}) q=()
    local i
    for ((i = 0; i < ${#k[@]} && i < ${#b[@]}; i++)); do
        [[ ${k[i]} == - || ${b[i]} == - ]] && continue
        q+=("$(awk -v x="${k[i]}" -v y="${b[i]}" 'BEGIN { if (y > 0) printf "%.6f", x / y }')")
    done
    ((${#q[@]} > 0)) && median "${q[@]}" || true
}

has_command() { "$ZK" "$1" --help >/dev/null 2>&1; }

echo "bench.sh: $(ogrinfo -so "$PARCELS" parcels | grep -m1 'Feature Count' | sed 's/.*: //') parcels × 5 districts," \
     "$RUNS rounds of (a) to (d), the median of each (a command over ${LONG} s runs in the first round only), on" \
     "$(nproc) cores" >&2
# feature_count GPKG LAYER — the layer's feature count, as ogrinfo -so reports it.
feature_count() { ogrinfo -so "$1" "$2" | sed -n 's/^Feature Count: //p'; }
add_cmd a "(a) ogr2ogr -f GPKG copy (I/O floor)" "(a) ogr2ogr" ogr2ogr -f GPKG "$WORK/out.gpkg" "$PARCELS"
KEYS=(a)
if has_command overlay; then
    add_cmd b "(b) zonekit overlay intersection" "(b) overlay" \
        "$ZK" overlay intersection "$PARCELS" "$DISTRICTS" -o "$WORK/out.gpkg" --overwrite
    KEYS+=(b)
else
    echo "bench.sh: skipping (b) and (c): this zonekit has no 'overlay' command yet" >&2
fi
if has_command tabulate; then
    add_cmd c "(c) zonekit tabulate" "(c) tabulate" \
        "$ZK" tabulate "$DISTRICTS" "$PARCELS" --zone-field name --class-field dlbm
    KEYS+=(c)
elif has_command overlay; then
    echo "bench.sh: skipping (c): this zonekit has no 'tabulate' command yet" >&2
fi

# (d) the same intersection overlay the SpatiaLite way, with GDAL alone: one SQLite-dialect statement run by
# SQLite itself on the parcels GeoPackage (GDAL's GPKG driver executes -dialect SQLite natively, with
# SpatiaLite's ST_ functions reading GeoPackage geometry blobs), the districts file ATTACHed by the
# PRELUDE_STATEMENTS open option. The parcels' R-tree rtree_parcels_<geom> is joined against each district's
# envelope, so only the parcels whose boxes meet the district's box are read and tested; ST_Intersects then
# ST_Intersection. Every input field but the areas zonekit adds; the layer is MultiPolygon, as zonekit's.
geometry_column() { ogrinfo -so "$1" "$2" | sed -n 's/^Geometry Column = //p'; }
fid_column() { ogrinfo -so "$1" "$2" | sed -n 's/^FID Column = //p'; }
if ogrinfo -q "$PARCELS" -dialect SQLite -sql 'SELECT spatialite_version()' >/dev/null 2>&1; then
    PG=$(geometry_column "$PARCELS" parcels) PF=$(fid_column "$PARCELS" parcels) DG=$(geometry_column "$DISTRICTS" districts)
    SQL="SELECT ST_Intersection(p.\"$PG\", d.\"$DG\") AS geom, p.bsm, p.dlbm, p.dlmc, d.name, d.code
FROM dist.districts AS d
JOIN \"rtree_parcels_$PG\" AS r
  ON r.minx <= ST_MaxX(d.\"$DG\") AND r.maxx >= ST_MinX(d.\"$DG\")
 AND r.miny <= ST_MaxY(d.\"$DG\") AND r.maxy >= ST_MinY(d.\"$DG\")
JOIN parcels AS p ON p.\"$PF\" = r.id
WHERE ST_Intersects(p.\"$PG\", d.\"$DG\")"
    echo "bench.sh: (d) runs: $(tr '\n' ' ' <<<"$SQL")" >&2
    add_cmd d "(d) ogr2ogr -dialect SQLite ST_Intersection (SpatiaLite way)" "(d) SpatiaLite" \
        ogr2ogr -f GPKG -nln intersection -nlt MULTIPOLYGON "$WORK/out.gpkg" "$PARCELS" \
        -oo "PRELUDE_STATEMENTS=ATTACH DATABASE '${DISTRICTS//\'/\'\'}' AS dist" -dialect SQLite -sql "$SQL"
    KEYS+=(d)
else
    echo "bench.sh: skipping (d): this GDAL's SQLite has no SpatiaLite (SELECT spatialite_version() fails)" >&2
fi
run_rounds --after='b:COUNT[b]=$(feature_count "$WORK/out.gpkg" intersection)' \
           --after='d:COUNT[d]=$(feature_count "$WORK/out.gpkg" intersection)' "${KEYS[@]}"
[[ -n ${COUNT[b]:-} || -n ${COUNT[d]:-} ]] &&
    echo "bench.sh: features written: (b) ${COUNT[b]:--}, (d) ${COUNT[d]:--}" >&2

# print_table TITLE KEY|LABEL… — the rows' median seconds, their multiple of the first row's (the median of the
# rounds' ratios, X[KEY]), peak MB; a row whose command failed says so.
declare -A X
print_table() {
    local title=$1; shift
    local floor=${1%%|*} row k
    printf '\n%-60s %10s %8s %10s\n' "$title" "median s" "× (a)" "peak MB"
    for row in "$@"; do
        k=${row%%|*}
        if [[ -z ${T[$k]:-} ]]; then printf '%-60s %10s\n' "${row#*|}" failed; continue; fi
        X[$k]=$(ratio "$k" "$floor")
        awk -v name="${row#*|}" -v t="${T[$k]}" -v x="${X[$k]}" -v m="${M[$k]}" \
            'BEGIN { printf "%-60s %10.2f %8s %10.1f\n", name, t, (x != "" ? sprintf("%.2f", x) : "-"), m / 1024 }'
    done
}

print_table "parcels: $N" "${ROWS[@]}"
DB=$([[ -n ${T[b]:-} && -n ${T[d]:-} ]] && ratio d b || true)
if [[ -n $DB ]]; then
    awk -v q="$DB" 'BEGIN { printf "(d) / (b) = %.2f: zonekit overlay is %.2f times as fast as the SpatiaLite way\n", q, q }'
fi

# ---- the siting screen --------------------------------------------------------------------------------------
screen_bench() {
    [[ -z ${SCREEN_SITES// /} || ${SCREEN_SITES// /} =~ ^0+$ ]] && return 0
    if ! has_command screen; then
        echo "bench.sh: skipping the screen: this zonekit has no 'screen' command yet" >&2
        return 0
    fi
    local project=$ROOT/layers/chongzhou/project.toml first=1 S sites
    local screen=(screen "$project" --layer sites --id-field id --preset sanxian --clearance rivers=50 --protect trees=15
                  -o "$WORK/out.screen" --overwrite)
    for S in $SCREEN_SITES; do
        ((10#$S > 0)) || continue
        S=$((10#$S))
        sites=$BENCH/sites_$S.gpkg
        if [[ ! -f $sites ]]; then
            echo "bench.sh: generating $S sites into $BENCH (cached for later runs)" >&2
            /usr/bin/python3 "$ROOT/scripts/make_bench_sites.py" "$S" --out "$BENCH"
        fi
        echo "bench.sh: screen of $S sites against $project, $RUNS rounds (a command over ${LONG} s runs in the first" \
             "only)" >&2
        ROWS=()
        add_cmd "s${S}a" "(a) ogr2ogr -f GPKG copy of the sites" "screen $S (a) ogr2ogr" \
            ogr2ogr -f GPKG "$WORK/out.gpkg" "$sites"
        add_cmd "s${S}b" "(b) zonekit screen --maps 0" "screen $S (b) --maps 0" --ok=0,1 \
            "$ZK" "${screen[@]:0:2}" "$sites" "${screen[@]:2}" --maps 0
        local keys=("s${S}a" "s${S}b")
        if ((first)); then
            add_cmd "s${S}c" "(c) zonekit screen --maps 200 (default)" "screen $S (c) --maps 200" --ok=0,1 \
                "$ZK" "${screen[@]:0:2}" "$sites" "${screen[@]:2}" --maps 200
            keys+=("s${S}c")
        fi
        run_rounds "${keys[@]}"
        [[ -n ${T[s${S}b]:-} ]] && echo "bench.sh: $(head -1 "$WORK/stdout.s${S}b")" >&2
        print_table "screen: $S sites" "${ROWS[@]}"
        if [[ -n ${T[s${S}c]:-} && -n ${T[s${S}b]:-} ]]; then
            awk -v b="${T[s${S}b]}" -v c="${T[s${S}c]}" -v q="$(ratio "s${S}c" "s${S}b")" -v n=$((S < 200 ? S : 200)) 'BEGIN {
                printf "%-60s %10.2f   (%.0f ms a map, (c) = %.2f × (b))\n", "    the " n " report maps add (c) − (b)", c - b,
                       1000 * (c - b) / n, q }'
        fi
        first=0
    done
}
screen_bench

# ---- the goals of issue 13, set at 10^6 parcels: met or not met (a goal missed is no failure) ----------------
# Each ratio is compared as printed (2 decimals), each memory as printed (MB, 1 decimal).
echo
if ((N == 1000000)); then echo "goals at 10^6 parcels:"; else echo "goals at 10^6 parcels (this run has $N: indicative only):"; fi
awk -v xb="${X[b]:-}" -v xc="${X[c]:-}" -v db="${DB:-}" -v mb="${M[b]:-}" -v mc="${M[c]:-}" '
    function shown(x, decimals) { return sprintf("%." decimals "f", x) + 0 }
    function goal(ok, text) { printf "  %-8s %s\n", (ok ? "met" : "not met"), text }
    BEGIN {
        if (xb != "") { x = shown(xb, 2); goal(x <= 1.0, "overlay (b) ≤ 1.0 × (a): " sprintf("%.2f", x) " × (a)") }
        else goal(0, "overlay (b) ≤ 1.0 × (a): not measured")
        if (db != "") { x = shown(db, 2); goal(x >= 2, "SpatiaLite way (d) ≥ 2 × overlay (b): (d) / (b) = " sprintf("%.2f", x)) }
        else goal(0, "SpatiaLite way (d) ≥ 2 × overlay (b): not measured")
        if (xc != "") { x = shown(xc, 2); goal(x <= 0.3, "tabulate (c) ≤ 0.3 × (a): " sprintf("%.2f", x) " × (a)") }
        else goal(0, "tabulate (c) ≤ 0.3 × (a): not measured")
        if (mb != "" && mc != "") {
            x = shown(mb / 1024, 1); y = shown(mc / 1024, 1)
            goal(x < 200 && y < 200, "peak memory of (b) and (c) < 200 MB: " sprintf("%.1f MB and %.1f MB", x, y))
        } else goal(0, "peak memory of (b) and (c) < 200 MB: not measured")
    }'
((FAILED == 0)) || echo "bench.sh: a command failed (its row says so)" >&2
exit "$FAILED"
