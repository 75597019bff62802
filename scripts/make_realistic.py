#!/usr/bin/env python3
"""Write tests/data/realistic/: realistic plan layers in lon/lat (GeoJSON) and their expected areas, computed here
independently of zonekit (issue #11, "Real plan data, right answers").

Python 3 standard library only. All randomness is random.Random(11); every file is byte-identical on every run.

The layers (see tests/data/realistic/README.md for what each plants):
  county.geojson            a ragged star-shaped county outline, ~1,800 vertices ~100 m apart, EPSG:4490
  districts.geojson         the county cut along lon = 103.62 and (east half) lat = 30.63: three districts that
                            partition it exactly in lon/lat, the west one with a T-junction on the cut
  county_selftouch.geojson  the outline with a pinched loop (an enclave traced by the exterior ring)
  redline.geojson           red lines: one with a hole, a bow-tie, a GeometryCollection (polygon + line + 2 points)
  rivers.geojson            two rivers (LineString), ~100 m vertex spacing
  trees.geojson             ancient trees (Point)
  county_4326.geojson, districts_4326.geojson   RFC 7946 copies (no crs member: WGS 84)
  expected.json             every polygon's area on the CGCS2000 ellipsoid, edges straight in lon/lat
  project.toml, project_selftouch.toml, README.md

Areas: for a ring, A = sum over edges of (lam2 - lam1) * int_0^1 F(phi(t)) dt with phi linear along the edge and
F(phi) = b^2 [sin phi / (2 (1 - e^2 sin^2 phi)) + ln((1 + e sin phi)/(1 - e sin phi)) / (4e)], the integral of
M N cos phi. Since sum(dlam) = 0 exactly around a ring (differences of stored coordinates are exact), F is replaced
by G(phi) = F(phi) - F(phi0) = int_phi0^phi M N cos, evaluated by Gauss-Legendre, which keeps ~16 digits of the small
terms. Cross-checked by (1) 8- vs 16-point rules and (2) an ellipsoidal Lambert azimuthal equal-area projection
(Snyder's formulas) of the edges subdivided 64x and 128x, shoelace, Richardson-extrapolated.

Run from anywhere:  python3 scripts/make_realistic.py
"""
import json
import math
import os
import random
import sys

SEED = 11
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "realistic")

# CGCS2000 ellipsoid
A_AX = 6378137.0
INV_F = 298.257222101
FLAT = 1.0 / INV_F
B_AX = A_AX * (1.0 - FLAT)
E2 = FLAT * (2.0 - FLAT)
ECC = math.sqrt(E2)

LON0, LAT0 = 103.62, 30.63  # the county's centre; the cuts run along lon = LON0 and (east half) lat = LAT0
PHI0 = math.radians(LAT0)
DEG = math.pi / 180.0
# metres per degree at the centre (used only to shape things in a local metric frame)
_W0 = math.sqrt(1.0 - E2 * math.sin(PHI0) ** 2)
MY = A_AX * (1.0 - E2) / _W0 ** 3 * DEG
MX = A_AX / _W0 * math.cos(PHI0) * DEG

CRS_4490 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}}


def ll(x, y):
    """Local metres east/north of the centre -> (lon, lat) rounded to 1e-9 degree (the stored values)."""
    return (round(LON0 + x / MX, 9), round(LAT0 + y / MY, 9))


def local(p):
    """(lon, lat) -> local metres (approximate, for shaping and distance checks only)."""
    return ((p[0] - LON0) * MX, (p[1] - LAT0) * MY)


# ---- Gauss-Legendre nodes on [0, 1] ------------------------------------------------------------------------

def gauss_legendre(n):
    """Nodes and weights on [0, 1] (Newton on P_n from the Chebyshev guess)."""
    nodes = []
    for i in range(1, n + 1):
        x = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = n * (x * p1 - p0) / (x * x - 1.0)
            dx = p1 / dp
            x -= dx
            if abs(dx) < 1e-16:
                break
        p0, p1 = 1.0, x
        for k in range(2, n + 1):
            p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
        dp = n * (x * p1 - p0) / (x * x - 1.0)
        w = 2.0 / ((1.0 - x * x) * dp * dp)
        nodes.append(((1.0 - x) / 2.0, w / 2.0))
    nodes.sort()
    return nodes


GL = {n: gauss_legendre(n) for n in (8, 16)}


def mn_cos(phi):
    """M N cos(phi) = b^2 cos(phi) / (1 - e^2 sin^2 phi)^2, the derivative of F."""
    s = math.sin(phi)
    w = 1.0 - E2 * s * s
    return B_AX * B_AX * math.cos(phi) / (w * w)


def G(u, rule):
    """F(phi0 + u) - F(phi0) for u in radians, as u * mean of M N cos over [phi0, phi0 + u]."""
    return u * sum(w * mn_cos(PHI0 + u * x) for x, w in rule)


def F_closed(phi):
    s = math.sin(phi)
    return B_AX * B_AX * (s / (2.0 * (1.0 - E2 * s * s)) + math.log((1.0 + ECC * s) / (1.0 - ECC * s)) / (4.0 * ECC))


def closed_form_trapezoid(ring, k):
    """|sum dlam * F| with F in closed form, each edge subdivided k times, trapezoid rule (a third method)."""
    terms = []
    m = len(ring)
    for i in range(m):
        (lon1, lat1), (lon2, lat2) = ring[i], ring[(i + 1) % m]
        f = [F_closed((lat1 + j / k * (lat2 - lat1)) * DEG) for j in range(k + 1)]
        terms.append((lon2 - lon1) / k * (math.fsum(f) - 0.5 * (f[0] + f[-1])))
    return abs(math.fsum(terms) * DEG)


def ring_signed_area(ring, n=8):
    """Signed area (m^2, CCW positive) of a ring of (lon, lat) without the closing repeat, edges straight in
    lon/lat, on the CGCS2000 ellipsoid."""
    rule = GL[n]
    terms = []
    m = len(ring)
    for i in range(m):
        (lon1, lat1), (lon2, lat2) = ring[i], ring[(i + 1) % m]
        dlon = lon2 - lon1  # exact: nearby doubles
        if dlon == 0.0:
            continue
        d1, d2 = (lat1 - LAT0) * DEG, (lat2 - LAT0) * DEG
        inner = sum(w * G(d1 + t * (d2 - d1), rule) for t, w in rule)
        terms.append(dlon * inner)
    return -math.fsum(terms) * DEG  # Green: the area of a CCW ring is -sum(dlam * F)


def polygon_area(rings, n=8):
    """|exterior| - sum |holes|."""
    return abs(ring_signed_area(rings[0], n)) - sum(abs(ring_signed_area(h, n)) for h in rings[1:])


# ---- second method: ellipsoidal Lambert azimuthal equal-area (Snyder 1987, pp. 187-188) ------------------------

def _q(phi):
    s = math.sin(phi)
    return (1.0 - E2) * (s / (1.0 - E2 * s * s) - math.log((1.0 - ECC * s) / (1.0 + ECC * s)) / (2.0 * ECC))


_QP = _q(math.pi / 2)
_RQ = A_AX * math.sqrt(_QP / 2.0)
_BETA1 = math.asin(_q(PHI0) / _QP)
_M1 = math.cos(PHI0) / math.sqrt(1.0 - E2 * math.sin(PHI0) ** 2)
_D = A_AX * _M1 / (_RQ * math.cos(_BETA1))


def laea(lon, lat):
    phi, dl = lat * DEG, (lon - LON0) * DEG
    beta = math.asin(_q(phi) / _QP)
    b = _RQ * math.sqrt(2.0 / (1.0 + math.sin(_BETA1) * math.sin(beta) + math.cos(_BETA1) * math.cos(beta) * math.cos(dl)))
    return (b * _D * math.cos(beta) * math.sin(dl),
            (b / _D) * (math.cos(_BETA1) * math.sin(beta) - math.sin(_BETA1) * math.cos(beta) * math.cos(dl)))


def laea_ring_area(ring, k):
    pts = []
    m = len(ring)
    for i in range(m):
        (lon1, lat1), (lon2, lat2) = ring[i], ring[(i + 1) % m]
        for j in range(k):
            t = j / k
            pts.append(laea(lon1 + t * (lon2 - lon1), lat1 + t * (lat2 - lat1)))
    n = len(pts)
    return 0.5 * math.fsum(pts[i][0] * (pts[(i + 1) % n][1] - pts[i - 1][1]) for i in range(n))


# ---- ring checks (in lon/lat, where the edges are straight) ------------------------------------------------

def _orient(a, b, c):
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _seg_meet(p1, p2, p3, p4):
    d1, d2, d3, d4 = _orient(p3, p4, p1), _orient(p3, p4, p2), _orient(p1, p2, p3), _orient(p1, p2, p4)
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and d1 and d2 and d3 and d4:
        return True

    def on(a, b, c):
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])
    return ((d1 == 0 and on(p3, p4, p1)) or (d2 == 0 and on(p3, p4, p2)) or (d3 == 0 and on(p1, p2, p3))
            or (d4 == 0 and on(p1, p2, p4)))


def ring_meetings(ring, cell=0.004):
    """Where non-adjacent edges of a ring meet: (touches at a shared vertex, other meetings), as sorted lists of
    (i, j) edge pairs; edge i runs from ring[i] to ring[i+1]."""
    m = len(ring)
    grid = {}
    for i in range(m):
        a, b = ring[i], ring[(i + 1) % m]
        for gx in range(int(math.floor(min(a[0], b[0]) / cell)), int(math.floor(max(a[0], b[0]) / cell)) + 1):
            for gy in range(int(math.floor(min(a[1], b[1]) / cell)), int(math.floor(max(a[1], b[1]) / cell)) + 1):
                grid.setdefault((gx, gy), []).append(i)
    touches, crossings, seen = [], [], set()
    for edges in grid.values():
        for x in range(len(edges)):
            for y in range(x + 1, len(edges)):
                i, j = min(edges[x], edges[y]), max(edges[x], edges[y])
                if j - i == 1 or (i == 0 and j == m - 1) or (i, j) in seen:
                    continue
                seen.add((i, j))
                p1, p2, p3, p4 = ring[i], ring[(i + 1) % m], ring[j], ring[(j + 1) % m]
                if not _seg_meet(p1, p2, p3, p4):
                    continue
                shared = {p1, p2} & {p3, p4}
                (touches if shared else crossings).append((i, j))
    return sorted(touches), sorted(crossings)


def inside(pt, ring):
    """Point in ring (even-odd), lon/lat."""
    x, y = pt
    c = False
    m = len(ring)
    for i in range(m):
        (x1, y1), (x2, y2) = ring[i], ring[(i + 1) % m]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            c = not c
    return c


def check(cond, what):
    if not cond:
        sys.exit("make_realistic.py: check failed: " + what)


# ---- shapes -----------------------------------------------------------------------------------------------

def periodic_noise(rng, n, rho, sigma):
    """A smooth random walk of n steps made periodic (its drift removed)."""
    w, v = [], 0.0
    for _ in range(n + 1):
        v = rho * v + rng.gauss(0.0, sigma)
        w.append(v)
    return [w[i] - (w[n] - w[0]) * i / n for i in range(n)]


def radial_shape(rng, r_min, r_max, spacing):
    """Angles (increasing) and radii (metres) of a ragged star-shaped ring with vertices about `spacing` metres
    apart: a few large lobes, bays and headlands of a few hundred metres and a smooth random walk, rescaled to
    [r_min, r_max], then a little per-vertex jitter."""
    span = r_max - r_min
    terms = [(k, span * 0.25 * rng.uniform(0.4, 1.0) / k, rng.uniform(0, 2 * math.pi)) for k in range(1, 7)]
    terms += [(k, span * 0.06 * rng.uniform(0.3, 1.0) / (k / 7.0) ** 1.5, rng.uniform(0, 2 * math.pi))
              for k in range(7, 61)]
    coarse, fine = 2000, 20
    knots = periodic_noise(rng, coarse, 0.95, span * 0.0015)
    dense = coarse * fine
    walk = [knots[i // fine] + (knots[(i // fine + 1) % coarse] - knots[i // fine]) * (i % fine) / fine
            for i in range(dense)]
    thetas = [2 * math.pi * (i + 0.5) / dense for i in range(dense)]  # none on the axes through the centre
    raw = [sum(a * math.sin(k * t + p) for k, a, p in terms) + w for t, w in zip(thetas, walk)]
    lo, hi = min(raw), max(raw)
    radii = [r_min + (r - lo) / (hi - lo) * span for r in raw]
    arc = [0.0]
    for i in range(1, dense + 1):
        t0, t1, r0, r1 = thetas[i - 1], thetas[i % dense], radii[i - 1], radii[i % dense]
        arc.append(arc[-1] + math.hypot(r1 * math.cos(t1) - r0 * math.cos(t0), r1 * math.sin(t1) - r0 * math.sin(t0)))
    n = int(round(arc[-1] / spacing))
    out_t, out_r, j = [], [], 0
    for v in range(n):
        target = arc[-1] * (v + rng.uniform(-0.2, 0.2)) / n if v else 0.0
        while arc[j + 1] < target:
            j += 1
        out_t.append(thetas[j])
        out_r.append(radii[j] + rng.gauss(0.0, spacing * 0.1))
    return out_t, out_r


def blob(rng, cx, cy, r_min, r_max, spacing=80.0):
    """A ragged star-shaped CCW ring around (cx, cy) metres, as (lon, lat)."""
    thetas, radii = radial_shape(rng, r_min, r_max, spacing)
    return [ll(cx + r * math.cos(t), cy + r * math.sin(t)) for t, r in zip(thetas, radii)]


def make_county(rng):
    thetas, radii = radial_shape(rng, 22000.0, 32000.0, 100.0)
    ring = [ll(r * math.cos(t), r * math.sin(t)) for t, r in zip(thetas, radii)]
    # no vertex on or within 1 cm of the cut lines: each cut meets the outline strictly inside an edge
    check(all(abs(lon - LON0) > 1e-7 and (lon < LON0 or abs(lat - LAT0) > 1e-7) for lon, lat in ring),
          "no county vertex near the cut lines")
    return ring


# ---- Sutherland-Hodgman against the cut lines, each crossing computed once --------------------------------

_CROSSINGS = {}


def crossing(p, q, axis, value):
    """Where edge p-q meets lon = value (axis 0) or lat = value (axis 1); the same double whichever way the edge
    is walked."""
    key = (axis, value) + tuple(sorted((p, q)))
    if key not in _CROSSINGS:
        a, b = sorted((p, q))
        t = (value - a[axis]) / (b[axis] - a[axis])
        other = a[1 - axis] + t * (b[1 - axis] - a[1 - axis])
        _CROSSINGS[key] = (value, other) if axis == 0 else (other, value)
    return _CROSSINGS[key]


def clip(ring, axis, value, keep_below):
    def ins(p):
        return p[axis] <= value if keep_below else p[axis] >= value
    out = []
    for i in range(len(ring)):
        prev, cur = ring[i - 1], ring[i]
        if ins(cur):
            if not ins(prev):
                out.append(crossing(prev, cur, axis, value))
            out.append(cur)
        elif ins(prev):
            out.append(crossing(prev, cur, axis, value))
    return out


def rotate_to_start(ring, start):
    i = ring.index(start)
    return ring[i:] + ring[:i]


# ---- GeoJSON ------------------------------------------------------------------------------------------------

def coords(ring):
    return [list(p) for p in ring + [ring[0]]]


def polygon_json(rings):
    return {"type": "Polygon", "coordinates": [coords(r) for r in rings]}


def write_text(name, text):
    with open(os.path.join(ROOT, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_geojson(name, layer, features, crs=True):
    head = {"type": "FeatureCollection", "name": layer}
    if crs:
        head["crs"] = CRS_4490
    lines = []
    for fid, props, geom in features:
        lines.append(json.dumps({"type": "Feature", "id": fid, "properties": props, "geometry": geom},
                                ensure_ascii=False, sort_keys=True, separators=(",", ":")))
    text = json.dumps(head, ensure_ascii=False, sort_keys=True, separators=(",", ":"))[:-1]
    write_text(name, text + ',"features":[\n' + ",\n".join(lines) + "\n]}\n")


def m2(x):
    return round(x, 6)


def deg(p):
    return [round(p[0], 12), round(p[1], 12)]


# ---- the project files and the README ----------------------------------------------------------------------

PROJECT_WHAT = """# zonekit check tests/data/realistic/project.toml
#   the districts partition the county exactly (no gap, no overlap above 1 m²), the red lines lie inside it,
#   and the one planted invalid geometry is the bow-tie red line HX0003 (valid redline fails: exit 1)."""
SELFTOUCH_WHAT = """# zonekit check tests/data/realistic/project_selftouch.toml
#   as project.toml, with the boundary whose exterior ring touches itself at one vertex (an enclave traced as
#   a pinched loop): valid county reports "Ring Self-intersection" there as well."""

PROJECT = """# Realistic plan layers in lon/lat, made by scripts/make_realistic.py (see README.md); paths relative to this file.
{what}

[project]
name = "示例县国土空间规划（测试数据）"
min_area = 1.0          # m²

[layers.county]
path = "{boundary}"
key = "XZQMC"
role = "boundary"

[layers.districts]
path = "districts.geojson"
key = "FQMC"

[layers.redline]
path = "redline.geojson"
key = "BSM"

[layers.rivers]
path = "rivers.geojson"
key = "HDMC"

[layers.trees]
path = "trees.geojson"
key = "GSMMBH"
role = "points"

[[rules]]
rule = "covers"
boundary = "county"
layer = "districts"

[[rules]]
rule = "no-self-overlap"
layer = "districts"

[[rules]]
rule = "within"
layer = "redline"
boundary = "county"

[[rules]]
rule = "valid"
layers = ["county", "districts", "redline"]
"""

README = """# Realistic plan layers with known answers (issue #11)

**Made up, not any real county.** `scripts/make_realistic.py` writes every file here (Python 3 standard library
only, `random.Random(11)`; byte-identical on every run): `python3 scripts/make_realistic.py`. It checks what it
plants (simple rings, one crossing, one pinch, everything inside the county, red lines apart) and stops if not.

The layers are GeoJSON in lon/lat: **EPSG:4490** (CGCS2000) declared with the legacy member
`"crs": {{"type": "name", "properties": {{"name": "urn:ogc:def:crs:EPSG::4490"}}}}`, which GDAL 3.6 reads, and two
RFC 7946 copies without it (WGS 84). Vertices are rounded to 1e-9° (0.1 mm); the points where the cuts meet the
outline are computed once from the stored vertices and written at full double precision, the same on both sides.
Each feature has a GeoJSON `id`, which GDAL uses as its FID (1, 2, …).

| file | what it plants |
|---|---|
| `county.geojson` | 示例县 (`XZQDM` 510184, `XZQMC`): a ragged star-shaped outline around 103.62°E 30.63°N, radius 22–32 km, {n_county} vertices {step_min:.0f}–{step_max:.0f} m apart (mean {step_mean:.1f} m), counter-clockwise |
| `districts.geojson` | three districts (`FQDM`, `FQMC`): the county cut along the meridian 103.62°E, the east half cut along the parallel 30.63°N. In lon/lat they partition the county exactly. The west district's edge along the meridian has only its two ends, {top} and {bottom}; both east districts have the vertex (103.62, 30.63) on that edge (a T-junction). The cuts meet the outline inside its edges, at vertices county.geojson does not have |
| `county_selftouch.geojson` | the outline with a pinched loop: the exterior ring passes twice through {pinch} and between the two passes traces an enclave of {enclave:.6f} m² ({n_loop} vertices, clockwise, inside the county: a hole). GEOS: "Ring Self-intersection" at that vertex |
| `redline.geojson` | five red lines (`BSM`, `HXMC`) inside the county and kilometres apart: HX0001 has a hole; HX0003 is a bow-tie (GEOS "Self-intersection" at {cross}); HX0004 is a GeometryCollection of a polygon, a 150 m LineString hanging off one of its vertices and two Points (what other tools' MakeValid leave); the rest are valid polygons |
| `rivers.geojson` | two rivers (`HDMC`): {rivers}, vertices {river_min:.0f}–{river_max:.0f} m apart |
| `trees.geojson` | {trees} ancient trees (`GSMMBH`) |
| `county_4326.geojson`, `districts_4326.geojson` | RFC 7946 copies (no `crs`: WGS 84) of the county and the districts, same coordinates, same expected areas (CGCS2000 and WGS 84 differ by well under a metre here) |
| `expected.json` | the areas below and the planted points, for the tests (`tests/cli/test_realistic_cli.cpp`) |
| `project.toml` | county (boundary, key `XZQMC`), districts (`FQMC`), redline (`BSM`), rivers, trees; rules: covers county ⊇ districts, no-self-overlap districts, within redline ⊂ county, valid county, districts, redline. The right answer: only valid redline fails, with the bow-tie |
| `project_selftouch.toml` | the same with `county_selftouch.geojson` as the boundary |

## The expected areas

On the CGCS2000 ellipsoid (a = 6378137 m, 1/f = 298.257222101), for the region whose edges are straight in lon/lat
(what an edge means in the CRS the layer is stored in): for each ring, A = |Σ (λ₂ − λ₁) ∫₀¹ F(φ(t)) dt| with φ
linear along the edge and F(φ) = b²[sin φ / (2(1 − e² sin²φ)) + ln((1 + e sin φ)/(1 − e sin φ)) / (4e)], the
integral of M N cos φ; holes subtracted. F is used as F(φ) − F(30.63°), evaluated by 8-point Gauss–Legendre of
M N cos φ (Σ Δλ = 0 around a ring, so the constant drops out and the small terms keep their digits), and the edge
integral by 8-point Gauss–Legendre.

| feature | vertices | m² |
|---|---:|---:|
| county 示例县 | {n_county} | {county_m2:.6f} |
{districts}
| Σ districts | | {district_sum:.6f} |

Σ districts − county = {sum_check:.3g} m² in double precision (one unit in the last place of 2.27e9 m² is
4.8e-7 m²). The cut: {meridian_km:.6f} km along the meridian, {parallel_km:.6f} km along the parallel to {east}.

| red line | name | geometry | m² |
|---|---|---|---:|
{redline}

- bow-tie HX0003: the two lobes are {lobe_left:.6f} and {lobe_right:.6f} m², together {bowtie:.6f} m² (what
  MakeValid's LINEWORK method keeps); the ring's signed sum alone would give {signed:.6f} m²;
- GeometryCollection HX0004: its polygon, {gc:.6f} m²;
- self-touching county: {selftouch:.6f} m² = county − enclave.

How sure: 16 × 16 Gauss–Legendre points change no area by more than {gl:.1e} m². A second method, the county in an
ellipsoidal Lambert azimuthal equal-area projection (Snyder's formulas, centred on the county) with each edge
subdivided 64 and 128 times, shoelace, differs by {laea64:+.1e} and {laea128:+.1e} m², Richardson-extrapolated by
{laea:+.1e} m². A third, F in closed form with the trapezoid rule on edges subdivided 8 and 16 times,
Richardson-extrapolated, by {closed:+.1e} m². When the files were first written they were also read with GDAL
3.6 (Debian's python3-gdal) and projected with PROJ to Lambert azimuthal equal-area on GRS80 (the same a and f)
with 5 m chords: every valid polygon's area agreed within 0.002 m², GEOS found the districts' union equal to the
county and their pairwise intersections to be lines, and reported exactly the planted self-touch and crossing.
"""


# ---- main ---------------------------------------------------------------------------------------------------

def main():
    rng = random.Random(SEED)
    os.makedirs(ROOT, exist_ok=True)
    expected = {"ellipsoid": {"name": "CGCS2000", "a": A_AX, "inverse_flattening": INV_F},
                "edges": "straight in lon/lat (the CRS the layers are stored in)",
                "method": "sum over edges of dlam * int_0^1 F(phi(t)) dt, F the authalic integral of M N cos phi; "
                          "Gauss-Legendre 8 x 8 points; |signed sum| per ring, holes subtracted",
                "files": {}}

    # 1. county
    county = make_county(rng)
    t_c, c_c = ring_meetings(county)
    check(not t_c and not c_c, "county ring is simple")
    county_m2 = polygon_area([county])
    check(ring_signed_area(county) > 0, "county ring is CCW")
    steps = [math.dist(local(county[i]), local(county[i - 1])) for i in range(len(county))]

    # 2. districts: west = lon <= LON0; east = lon >= LON0, then cut at lat = LAT0
    west = clip(county, 0, LON0, True)
    east = clip(county, 0, LON0, False)
    north_east = clip(east, 1, LAT0, False)
    south_east = clip(east, 1, LAT0, True)
    centre = (LON0, LAT0)
    top = max((p for p in west if p[0] == LON0), key=lambda p: p[1])
    bottom = min((p for p in west if p[0] == LON0), key=lambda p: p[1])
    east_x = next(p for p in north_east if p[1] == LAT0 and p[0] > LON0)
    check(sum(1 for p in west if p[0] == LON0) == 2, "west district: only the two end vertices on the cut")
    check(centre in north_east and centre in south_east and centre not in west, "east districts hold the centre")
    check(east_x in south_east and top in north_east and bottom in south_east, "shared crossings")
    west = rotate_to_start(west, top)
    north_east = rotate_to_start(north_east, centre)
    south_east = rotate_to_start(south_east, centre)
    districts = [("01", "西部生态涵养区", west), ("02", "东北城镇发展区", north_east), ("03", "东南农业保障区", south_east)]
    for code, name, ring in districts:
        t, c = ring_meetings(ring)
        check(not t and not c and ring_signed_area(ring) > 0, "district %s is a simple CCW ring" % name)
    district_m2 = [polygon_area([r]) for _, _, r in districts]
    sum_check = math.fsum(district_m2) - county_m2

    # 3. the self-touching outline: an enclave traced by the exterior ring, pinched at one vertex
    def bearing(p):
        x, y = local(p)
        return math.atan2(y, x)
    k_p = min(range(len(county)), key=lambda i: abs(bearing(county[i]) - math.radians(-155)))  # west-south-west
    pinch = county[k_p]
    px, py = local(pinch)
    r_p = math.hypot(px, py)
    ux, uy = -px / r_p, -py / r_p  # inward
    tx, ty = -uy, ux
    length, width, n_side = 1500.0, 420.0, 15
    side1 = [(s, width * math.sin(math.pi * s / length) ** 1.5) for s in (length * j / n_side for j in range(1, n_side))]
    loop = ([ll(px + s * ux + w * tx, py + s * uy + w * ty) for s, w in side1] + [ll(px + length * ux, py + length * uy)]
            + [ll(px + s * ux - w * tx, py + s * uy - w * ty) for s, w in reversed(side1)])
    if ring_signed_area([pinch] + loop) > 0:  # the enclave is a hole: clockwise
        loop.reverse()
    selftouch = county[:k_p + 1] + loop + county[k_p:]
    t_s, c_s = ring_meetings(selftouch)
    def ends(i):
        return {selftouch[i], selftouch[(i + 1) % len(selftouch)]}
    check(not c_s and t_s and all(ends(i) & ends(j) == {pinch} for i, j in t_s),
          "self-touching outline meets itself only at the pinch vertex")
    enclave_m2 = abs(ring_signed_area([pinch] + loop))
    selftouch_m2 = abs(ring_signed_area(selftouch))
    check(abs(selftouch_m2 - (county_m2 - enclave_m2)) < 1e-3, "self-touching outline = county - enclave")

    # 4. red lines (all within 20 km of the centre; the county is at least 22 km out)
    redline = []
    outer = blob(rng, -10000.0, 8000.0, 2200.0, 3200.0)
    hole = list(reversed(blob(rng, -10000.0, 8200.0, 500.0, 800.0, 60.0)))
    redline.append(("HX0001", "西岭生态保护红线", [outer, hole]))
    redline.append(("HX0002", "东山水源涵养红线", [blob(rng, 9000.0, 9000.0, 1400.0, 2200.0)]))
    # the bow-tie: P1->P2 crosses P3->P4; ragged outer sides
    bx, by = 8000.0, -9000.0
    p1, p2, p3, p4 = (bx - 420, by - 310), (bx + 450, by + 280), (bx + 390, by - 330), (bx - 370, by + 350)
    right = [(bx + 450 + 260 * math.sin(math.pi * j / 8) + rng.uniform(-15, 15), by + 280 - 610 * j / 8)
             for j in range(1, 8)]
    left = [(bx - 370 - 170 * math.sin(math.pi * j / 8) + rng.uniform(-15, 15), by + 350 - 660 * j / 8)
            for j in range(1, 8)]
    P1, P2, P3, P4 = ll(*p1), ll(*p2), ll(*p3), ll(*p4)
    R, L = [ll(*p) for p in right], [ll(*p) for p in left]
    bowtie = [P1, P2] + R + [P3, P4] + L
    x1, y1, x2, y2 = P1[0] - LON0, P1[1] - LAT0, P2[0] - LON0, P2[1] - LAT0
    x3, y3, x4, y4 = P3[0] - LON0, P3[1] - LAT0, P4[0] - LON0, P4[1] - LAT0
    tt = ((x3 - x1) * (y4 - y3) - (y3 - y1) * (x4 - x3)) / ((x2 - x1) * (y4 - y3) - (y2 - y1) * (x4 - x3))
    cross = (LON0 + (x1 + tt * (x2 - x1)), LAT0 + (y1 + tt * (y2 - y1)))
    t_b, c_b = ring_meetings(bowtie)
    check(not t_b and c_b == [(0, 9)], "bow-tie: one crossing, of P1-P2 and P3-P4")
    lobe_right = abs(ring_signed_area([cross, P2] + R + [P3]))
    lobe_left = abs(ring_signed_area([cross, P4] + L + [P1]))
    redline.append(("HX0003", "南坝湿地红线（蝴蝶形）", [bowtie]))
    # the GeometryCollection: a polygon, a line hanging off a vertex (a collapsed spike), two points
    gc_poly = blob(rng, -9000.0, -10000.0, 900.0, 1400.0)
    gx, gy = local(gc_poly[20])
    gr = math.hypot(gx + 9000.0, gy + 10000.0)
    spike = [gc_poly[20], ll(gx + 150.0 * (gx + 9000.0) / gr, gy + 150.0 * (gy + 10000.0) / gr)]
    hx, hy = local(gc_poly[60])
    hr = math.hypot(hx + 9000.0, hy + 10000.0)
    gc_points = [gc_poly[45], ll(hx + 60.0 * (hx + 9000.0) / hr, hy + 60.0 * (hy + 10000.0) / hr)]
    redline.append(("HX0004", "北河岸线红线（修复遗留）", None))
    redline.append(("HX0005", "中部林地红线", [blob(rng, -1500.0, -15000.0, 1000.0, 1600.0)]))

    for code, _, rings in redline:
        if rings is None or code == "HX0003":
            continue
        for r in rings:
            t, c = ring_meetings(r)
            check(not t and not c, "red line %s: simple rings" % code)
        for hole_ring in rings[1:]:
            check(all(inside(p, rings[0]) for p in hole_ring), "red line %s: hole inside" % code)
    t, c = ring_meetings(gc_poly)
    check(not t and not c, "GeometryCollection polygon is simple")

    # 5. rivers and trees
    rivers = []
    for name, (xa, ya), (xb, yb), amp, wave in [("白鹭河", (-18000.0, 6500.0), (18000.0, 1500.0), 1100.0, 7000.0),
                                                ("青龙溪", (-16000.0, -4000.0), (16000.0, -10500.0), 800.0, 5000.0)]:
        base = math.hypot(xb - xa, yb - ya)
        nx, ny = -(yb - ya) / base, (xb - xa) / base
        phase = rng.uniform(0, 2 * math.pi)
        n = int(base * 1.15 / 100.0)
        pts = []
        for i in range(n + 1):
            s = i / n
            taper = math.sin(math.pi * s) ** 0.5
            off = taper * (amp * math.sin(2 * math.pi * s * base / wave + phase)
                           + 0.35 * amp * math.sin(2 * math.pi * s * base / (wave * 0.37) + 2 * phase))
            off += rng.gauss(0.0, 12.0) if 0 < i < n else 0.0
            pts.append(ll(xa + s * (xb - xa) + off * nx, ya + s * (yb - ya) + off * ny))
        rivers.append((name, pts))
    trees = []
    for i in range(8):
        r, t = 17000.0 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        trees.append(("5101840%04d" % (i + 1), ll(r * math.cos(t), r * math.sin(t))))

    everything = [p for _, _, rings in redline if rings for r in rings for p in r]
    everything += gc_poly + spike + gc_points + [p for _, pts in rivers for p in pts] + [p for _, p in trees]
    check(all(math.hypot(*local(p)) < 20000.0 for p in everything), "everything within 20 km of the centre")
    check(all(inside(p, county) for p in everything), "everything inside the county")
    check(not any(inside(p, [pinch] + loop) for p in everything), "nothing in the enclave")
    def bbox(points):
        return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))
    boxes = [bbox(r[0]) for _, _, r in redline if r] + [bbox(gc_poly + spike + gc_points)]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            check(a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], "red lines apart")

    # ---- write the layers --------------------------------------------------------------------------------
    county_feature = [(1, {"XZQDM": "510184", "XZQMC": "示例县"}, polygon_json([county]))]
    district_features = [(i + 1, {"FQDM": "510184" + code, "FQMC": name}, polygon_json([ring]))
                         for i, (code, name, ring) in enumerate(districts)]
    write_geojson("county.geojson", "county", county_feature)
    write_geojson("county_4326.geojson", "county", county_feature, crs=False)
    write_geojson("districts.geojson", "districts", district_features)
    write_geojson("districts_4326.geojson", "districts", district_features, crs=False)
    write_geojson("county_selftouch.geojson", "county",
                  [(1, {"XZQDM": "510184", "XZQMC": "示例县"}, polygon_json([selftouch]))])
    red_features = []
    for i, (code, name, rings) in enumerate(redline):
        if rings is None:
            geom = {"type": "GeometryCollection", "geometries": [
                polygon_json([gc_poly]), {"type": "LineString", "coordinates": [list(p) for p in spike]},
                {"type": "Point", "coordinates": list(gc_points[0])}, {"type": "Point", "coordinates": list(gc_points[1])}]}
        else:
            geom = polygon_json(rings)
        red_features.append((i + 1, {"BSM": code, "HXMC": name}, geom))
    write_geojson("redline.geojson", "redline", red_features)
    write_geojson("rivers.geojson", "rivers", [(i + 1, {"HDMC": name}, {"type": "LineString", "coordinates": [list(p) for p in pts]})
                                               for i, (name, pts) in enumerate(rivers)])
    write_geojson("trees.geojson", "trees", [(i + 1, {"GSMMBH": code}, {"type": "Point", "coordinates": list(p)})
                                             for i, (code, p) in enumerate(trees)])

    # ---- expected areas ----------------------------------------------------------------------------------
    def entry(fid, key_field, key, rings, area, **extra):
        e = {"fid": fid, key_field: key, "area_m2": m2(area), "vertices": sum(len(r) for r in rings),
             "rings": len(rings)}
        e.update(extra)
        return e

    county_entry = [entry(1, "XZQMC", "示例县", [county], county_m2)]
    district_entries = [entry(i + 1, "FQMC", name, [ring], a, FQDM="510184" + code)
                        for i, ((code, name, ring), a) in enumerate(zip(districts, district_m2))]
    red_entries = []
    for i, (code, name, rings) in enumerate(redline):
        if code == "HX0003":
            red_entries.append(entry(i + 1, "BSM", code, rings, lobe_left + lobe_right, invalid="Self-intersection",
                                     crossing=deg(cross), lobes_m2=[m2(lobe_left), m2(lobe_right)],
                                     signed_ring_m2=m2(ring_signed_area(bowtie))))
        elif rings is None:
            red_entries.append(entry(i + 1, "BSM", code, [gc_poly], polygon_area([gc_poly]),
                                     geometry="GeometryCollection", parts={"polygons": 1, "lines": 1, "points": 2},
                                     line_m=round(math.dist(local(spike[0]), local(spike[1])), 3)))
        else:
            red_entries.append(entry(i + 1, "BSM", code, rings, polygon_area(rings)))
    selftouch_entry = [entry(1, "XZQMC", "示例县", [selftouch], selftouch_m2, invalid="Ring Self-intersection",
                             pinch=deg(pinch), enclave_m2=m2(enclave_m2), enclave_vertices=len(loop) + 1)]
    for name, crs, entries in [("county.geojson", "EPSG:4490", county_entry),
                               ("county_4326.geojson", "EPSG:4326", county_entry),
                               ("districts.geojson", "EPSG:4490", district_entries),
                               ("districts_4326.geojson", "EPSG:4326", district_entries),
                               ("county_selftouch.geojson", "EPSG:4490", selftouch_entry),
                               ("redline.geojson", "EPSG:4490", red_entries)]:
        expected["files"][name] = {"crs": crs, "features": entries}

    # meridian arc from the bottom to the top crossing; parallel from the centre to the east crossing
    meridian_m = abs(top[1] - bottom[1]) * DEG * sum(
        w * A_AX * (1 - E2) / (1 - E2 * math.sin((bottom[1] + x * (top[1] - bottom[1])) * DEG) ** 2) ** 1.5
        for x, w in GL[16])
    parallel_m = (east_x[0] - LON0) * DEG * A_AX * math.cos(PHI0) / _W0

    # convergence and the second method
    diffs16 = [abs(polygon_area(r, 16) - a) for r, a in [([county], county_m2), ([selftouch], selftouch_m2)]
               + [([ring], a) for (_, _, ring), a in zip(districts, district_m2)]]
    laea64, laea128 = laea_ring_area(county, 64), laea_ring_area(county, 128)
    laea_rich = (4 * laea128 - laea64) / 3
    closed8, closed16 = closed_form_trapezoid(county, 8), closed_form_trapezoid(county, 16)
    closed = (4 * closed16 - closed8) / 3

    expected["checks"] = {
        "districts_sum_m2": m2(math.fsum(district_m2)),
        "districts_minus_county_m2": float("%.3e" % sum_check),
        "gauss_legendre_16_vs_8_max_m2": float("%.1e" % max(diffs16)) if max(diffs16) else 0.0,
        "county_laea_shoelace_m2": {"subdivided_64": m2(laea64), "subdivided_128": m2(laea128),
                                    "richardson": m2(laea_rich), "minus_expected": float("%.2e" % (laea_rich - county_m2))},
        "county_closed_form_trapezoid_m2": m2(closed),
    }
    expected["county"] = {"vertices": len(county), "edge_m": {"min": round(min(steps), 1), "mean": round(sum(steps) / len(steps), 1),
                                                              "max": round(max(steps), 1)},
                          "radius_km": {"min": round(min(math.hypot(*local(p)) for p in county) / 1000, 3),
                                        "max": round(max(math.hypot(*local(p)) for p in county) / 1000, 3)}}
    expected["cut"] = {"centre": [LON0, LAT0], "top": deg(top), "bottom": deg(bottom), "east": deg(east_x),
                       "meridian_km": round(meridian_m / 1000, 6), "parallel_km": round(parallel_m / 1000, 6),
                       "length_km": round((meridian_m + parallel_m) / 1000, 6)}
    expected["pinch_vertex"] = deg(pinch)
    expected["bowtie"] = {"BSM": "HX0003", "crossing": deg(cross), "lobes_m2": [m2(lobe_left), m2(lobe_right)],
                          "area_m2": m2(lobe_left + lobe_right)}
    expected["geometry_collection"] = {"BSM": "HX0004", "polygon_m2": m2(polygon_area([gc_poly])),
                                       "dropped": {"lines": 1, "points": 2}}
    expected["rivers"] = [{"HDMC": name, "vertices": len(pts)} for name, pts in rivers]
    expected["trees"] = len(trees)
    write_text("expected.json", json.dumps(expected, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    write_text("project.toml", PROJECT.format(boundary="county.geojson", what=PROJECT_WHAT))
    write_text("project_selftouch.toml", PROJECT.format(boundary="county_selftouch.geojson", what=SELFTOUCH_WHAT))

    river_steps = [math.dist(local(pts[i - 1]), local(pts[i])) for _, pts in rivers for i in range(1, len(pts))]
    write_text("README.md", README.format(
        county_km2=county_m2 / 1e6, county_m2=county_m2, n_county=len(county), step_min=min(steps),
        step_max=max(steps), step_mean=sum(steps) / len(steps),
        districts="\n".join("| %s `%s` | %d | %.6f |" % (name, "510184" + code, len(ring), a)
                            for (code, name, ring), a in zip(districts, district_m2)),
        district_sum=math.fsum(district_m2), sum_check=sum_check,
        top=deg(top), bottom=deg(bottom), east=deg(east_x), meridian_km=meridian_m / 1000, parallel_km=parallel_m / 1000,
        pinch=deg(pinch), enclave=enclave_m2, n_loop=len(loop) + 1, selftouch=selftouch_m2,
        redline="\n".join("| %s | %s | %s | %.6f |" % (e["BSM"], name, e.get("geometry", "Polygon") + (
            ", %d rings" % e["rings"] if e["rings"] > 1 else ""), e["area_m2"])
                           for e, (_, name, _) in zip(red_entries, redline)),
        cross=deg(cross), lobe_left=lobe_left, lobe_right=lobe_right, bowtie=lobe_left + lobe_right,
        signed=ring_signed_area(bowtie), gc=polygon_area([gc_poly]),
        rivers=", ".join("%s (%d vertices)" % (name, len(pts)) for name, pts in rivers),
        river_min=min(river_steps), river_max=max(river_steps), trees=len(trees),
        gl=max(diffs16), laea64=laea64 - county_m2, laea128=laea128 - county_m2, laea=laea_rich - county_m2,
        closed=closed - county_m2))

    print("county %d vertices, edges %.0f-%.0f m (mean %.1f), %.6f m2" % (len(county), min(steps), max(steps),
                                                                          sum(steps) / len(steps), county_m2))
    for (code, name, ring), a in zip(districts, district_m2):
        print("  district %s %s: %d vertices, %.6f m2" % (code, name, len(ring), a))
    print("  sum - county = %.3e m2; GL16 - GL8 max %.1e m2" % (sum_check, max(diffs16)))
    print("  LAEA 64x %.6f, 128x %.6f, Richardson %.6f (%+.2e); closed-form trapezoid %.6f (%+.2e)"
          % (laea64, laea128, laea_rich, laea_rich - county_m2, closed, closed - county_m2))
    print("self-touch: pinch %r, enclave %.6f m2, area %.6f m2" % (pinch, enclave_m2, selftouch_m2))
    print("bow-tie crossing %r, lobes %.6f + %.6f m2" % (cross, lobe_left, lobe_right))


if __name__ == "__main__":
    main()
