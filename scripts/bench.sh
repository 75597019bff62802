#!/usr/bin/env bash
# Benchmark of the overlay engine against the I/O floor (issue 3).
#
#   scripts/bench.sh [N]          N parcels (default 100000); ZK_BUILD_DIR picks the build (default build/)
#
# Builds zonekit if needed, generates N parcels with scripts/make_parcels.py (cached under
# $ZK_BUILD_DIR/bench/), then times, whole-process, the median of 3 runs (wall seconds and peak resident
# memory from /usr/bin/time -f '%e %M'):
#   (a) ogr2ogr -f GPKG copy of the parcels — the I/O floor;
#   (b) zonekit overlay intersection parcels districts -o out.gpkg --overwrite;
#   (c) zonekit tabulate districts parcels --zone-field name --class-field dlbm (ZONES first, as in issue 3);
# and prints each as a multiple of (a). (b) and (c) are skipped, with a message, when this zonekit has no
# such command.
set -euo pipefail

N=${1:-100000}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${ZK_BUILD_DIR:-$ROOT/build}
ZK=$BUILD/src/zonekit
BENCH=$BUILD/bench
TIME=/usr/bin/time

die() { echo "bench.sh: $*" >&2; exit 2; }
[[ $N =~ ^[0-9]+$ && $N -gt 0 ]] || die "N must be a positive whole number, not '$N'"
[[ -x $TIME ]] || die "$TIME is missing (apt-get install -y time)"
command -v ogr2ogr >/dev/null || die "ogr2ogr is missing (apt-get install -y gdal-bin)"
[[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import osgeo' 2>/dev/null ||
    die "Debian's python3-gdal is missing (apt-get install -y python3-gdal)"

if [[ ! -f $BUILD/CMakeCache.txt ]]; then
    echo "bench.sh: configuring $BUILD (Release)" >&2
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
echo "bench.sh: building zonekit in $BUILD" >&2
cmake --build "$BUILD" --target zonekit_cli -j"$(nproc)" >/dev/null

mkdir -p "$BENCH"
PARCELS=$BENCH/parcels_$N.gpkg
DISTRICTS=$BENCH/districts.gpkg
if [[ ! -f $PARCELS || ! -f $DISTRICTS ]]; then
    echo "bench.sh: generating $N parcels into $BENCH (cached for later runs)" >&2
    /usr/bin/python3 "$ROOT/scripts/make_parcels.py" "$N" --out "$BENCH"
fi
WORK=$(mktemp -d "$BENCH/run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# time_runs NAME CMD… — runs CMD $RUNS times (removing $WORK/out.* before each), prints "median_s peak_kb".
time_runs() {
    local name=$1; shift
    local times=() mems=() i
    for ((i = 1; i <= RUNS; i++)); do
        rm -f "$WORK"/out.*
        if ! $TIME -f '%e %M' -o "$WORK/time" "$@" >"$WORK/stdout" 2>"$WORK/stderr"; then
            echo "bench.sh: $name failed:" >&2
            tail -5 "$WORK/stderr" >&2
            return 1
        fi
        read -r t m < <(tail -1 "$WORK/time")
        times+=("$t"); mems+=("$m")
    done
    local med peak
    med=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p")
    peak=$(printf '%s\n' "${mems[@]}" | sort -g | tail -1)
    echo "$med $peak"
}

has_command() { "$ZK" "$1" --help >/dev/null 2>&1; }

echo "bench.sh: $(ogrinfo -so "$PARCELS" parcels | grep -m1 'Feature Count' | sed 's/.*: //') parcels × 5 districts," \
     "median of $RUNS runs on $(nproc) cores" >&2
declare -A T M
read -r T[a] M[a] < <(time_runs "(a) ogr2ogr" ogr2ogr -f GPKG "$WORK/out.gpkg" "$PARCELS")
ROWS=("a|(a) ogr2ogr -f GPKG copy (I/O floor)")
if has_command overlay; then
    if r=$(time_runs "(b) overlay" "$ZK" overlay intersection "$PARCELS" "$DISTRICTS" -o "$WORK/out.gpkg" --overwrite); then
        read -r T[b] M[b] <<<"$r"
        ROWS+=("b|(b) zonekit overlay intersection")
    fi
else
    echo "bench.sh: skipping (b) and (c): this zonekit has no 'overlay' command yet" >&2
fi
if has_command tabulate; then
    if r=$(time_runs "(c) tabulate" "$ZK" tabulate "$DISTRICTS" "$PARCELS" --zone-field name --class-field dlbm); then
        read -r T[c] M[c] <<<"$r"
        ROWS+=("c|(c) zonekit tabulate")
    fi
elif has_command overlay; then
    echo "bench.sh: skipping (c): this zonekit has no 'tabulate' command yet" >&2
fi

printf '\n%-40s %10s %8s %10s\n' "parcels: $N" "median s" "× (a)" "peak MB"
for row in "${ROWS[@]}"; do
    k=${row%%|*}
    awk -v name="${row#*|}" -v t="${T[$k]}" -v a="${T[a]}" -v m="${M[$k]}" \
        'BEGIN { printf "%-40s %10.2f %8s %10.1f\n", name, t, (a > 0 ? sprintf("%.2f", t / a) : "-"), m / 1024 }'
done
