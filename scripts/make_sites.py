#!/usr/bin/python3
"""Make layers/chongzhou/sites.gpkg: ILLUSTRATIVE, NOT OFFICIAL proposed project sites (选址) in Chongzhou for
`zonekit screen`, with five planted cases whose figures are known by construction, independently of zonekit.

Reads layers/chongzhou/chongzhou.gpkg (EPSG:4490) and writes, in EPSG:4490 (lon, lat):
  sites        MultiPolygon; id (XM01..XM35), name, kind
  site_points  Point; id (XM36..XM38), name, kind, radius_m (Real)
and layers/chongzhou/sites_planted.json with the planted figures.

zonekit's analysis CRS for these layers is EPSG:4544 (CGCS2000 / 3-degree Gauss-Kruger CM 105E): it reprojects the
lon/lat vertices to EPSG:4544 and takes every edge as straight there. So every site is built as an exact shape in
EPSG:4544 metres and only its corners are transformed to EPSG:4490 (no densifying: a rectangle stays 4 corners; the
round trip moves a corner by nanometres). The plan's stored rings and lines have a vertex every <= 50 m; a run of
consecutive vertices that is straight in EPSG:4544 (to 0.1 mm) is treated as one straight edge below.

Planted cases (EPSG:4544 plane; "clear of X by d" = no feature of X within d metres of the site):
  XM01 inside_redline      200 m x 150 m rectangle (axis-aligned) inside one red-line polygon, >= 300 m from its
                           edges and from every farmland, urban, river, tree and other red-line feature.
                           take of redline = 30,000 m2 (the whole site); farmland 0; urban 0 (outside urban 30,000 m2).
  XM02 straddles_farmland  300 m x 200 m rectangle on a straight farmland edge (a run >= 500 m), aligned with it,
                           centred on its middle, 120 m into the farmland and 80 m out; clear of other farmland,
                           redline, urban, rivers and trees by 300 m. take of farmland = 300 x 120 = 36,000 m2.
  XM03 near_river          100 m x 100 m square, wholly inside the urban boundary, its edge facing a river parallel
                           to a straight river run at exactly 10.0 m, centred on the run's middle; clear of redline,
                           farmland, trees and other rivers by 200 m; the rest of the river >= 30 m away.
                           distance to rivers = 10.0 m. The run is 243 m (味江 in KFBJ02), not >= 300 m: no straight
                           river run inside the urban boundary is that long (see RIVER_RUN_MIN).
  XM04 over_tree           120 m x 120 m square (axis-aligned) centred exactly on an ancient tree, wholly inside the
                           urban boundary; no other tree within 200 m; clear of redline, farmland, rivers by 200 m.
  XM05 clean               150 m x 100 m rectangle (axis-aligned) inside the urban boundary (>= 50 m from its edge),
                           clear of redline, farmland, rivers and trees by 200 m. Expected verdict: allowed.
Point sites (site_points; facts, not planted sizes): XM36 a pumping station 30.0 m from a straight river run
(radius 50 m, so it reaches the river); XM37 a telecom mast inside the urban boundary, clear of everything by
300 m (radius 30 m); XM38 an irrigation station inside farmland, its 40 m circle >= 200 m inside it.
Where they land (fixed by the searches): XM01 in STHX04, XM02 on an edge of YJJBNT01, XM03 by 味江 in KFBJ02,
XM04 on tree GSMM016 in KFBJ01, XM05 in KFBJ01; sites_planted.json has the coordinates.
XM06..XM35 are placed by random.Random(SEED) in fixed districts and straddle whatever they fall on.

Places are found by fixed searches; every planted figure is checked with OGR/GEOS on the geometry read back from
sites.gpkg (transformed to EPSG:4544) and any miss exits 1. Output is byte-identical per run.
Run with Debian's python3 (python3-gdal):  /usr/bin/python3 scripts/make_sites.py
"""
import json
import math
import os
import random
import re
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
gdal.SetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00.000Z")  # stable gpkg_contents.last_change

SEED = 20240510
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "layers", "chongzhou")
SRC = os.path.join(ROOT, "chongzhou.gpkg")
OUT = os.path.join(ROOT, "sites.gpkg")
JSON_OUT = os.path.join(ROOT, "sites_planted.json")
STRAIGHT_TOL = 1e-4  # m: a vertex this close to the chord of a run keeps the run straight
AREA_REL = 1e-6      # relative tolerance of the OGR checks of planted areas
DIST_TOL = 1e-6      # m: tolerance of the OGR check of the planted distance
# XM03: the shortest straight river run the 100 m square may face. No straight run of the bundled rivers inside
# the urban boundary reaches 300 m (the longest there are 234-243 m; the 330-362 m runs all lie 1.9 km or more
# outside it), and a square inside the urban boundary is preferred (then the river is its only issue). With a
# run of >= 200 m the facing edge (100 m, centred) stays >= 50 m from both ends of the run, so the closest
# points are on the run's interior; the rest of the river is checked to be >= 30 m from the square.
RIVER_RUN_MIN = 200.0


def srs(code):
    s = osr.SpatialReference()
    s.ImportFromEPSG(code)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)  # lon,lat order everywhere
    return s


GEO, GK = srs(4490), srs(4544)
TO_GK, TO_GEO = osr.CoordinateTransformation(GEO, GK), osr.CoordinateTransformation(GK, GEO)


def fail(msg):
    print("make_sites: VERIFY FAILED: " + msg, file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------- geometry helpers (EPSG:4544 metres)
def ring(pts):
    r = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in list(pts) + [pts[0]]:
        r.AddPoint_2D(x, y)
    return r


def poly(outer, *holes):
    g = ogr.Geometry(ogr.wkbPolygon)
    g.AddGeometry(ring(outer))
    for h in holes:
        g.AddGeometry(ring(h))
    return g


def multi(*polys):
    m = ogr.Geometry(ogr.wkbMultiPolygon)
    for p in polys:
        m.AddGeometry(p)
    return m


def point(x, y):
    p = ogr.Geometry(ogr.wkbPoint)
    p.AddPoint_2D(x, y)
    return p


def segment(a, b):
    g = ogr.Geometry(ogr.wkbLineString)
    g.AddPoint_2D(*a)
    g.AddPoint_2D(*b)
    return g


def frame(cx, cy, ux, uy, pts):
    """Local (s along u, t along the left normal of u) -> EPSG:4544 around (cx, cy)."""
    return [(cx + s * ux - t * uy, cy + s * uy + t * ux) for s, t in pts]


def rect_pts(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]  # counter-clockwise


def union(geoms):
    """All parts of the geometries in one Multi* (polygons dissolved); an empty MultiPolygon for none."""
    kinds = {ogr.wkbPolygon: ogr.wkbMultiPolygon, ogr.wkbLineString: ogr.wkbMultiLineString,
             ogr.wkbPoint: ogr.wkbMultiPoint}
    flat = [ogr.GT_Flatten(g.GetGeometryType()) for g in geoms]
    part = {ogr.wkbMultiPolygon: ogr.wkbPolygon, ogr.wkbMultiLineString: ogr.wkbLineString,
            ogr.wkbMultiPoint: ogr.wkbPoint}
    base = {part.get(t, t) for t in flat}
    if not geoms:
        return ogr.Geometry(ogr.wkbMultiPolygon)
    if len(base) != 1:
        raise ValueError("mixed geometry types")
    b = base.pop()
    m = ogr.Geometry(kinds[b])
    for g, t in zip(geoms, flat):
        for q in ([g] if t == b else [g.GetGeometryRef(i) for i in range(g.GetGeometryCount())]):
            m.AddGeometry(q.Clone())
    return m.UnionCascaded() if b == ogr.wkbPolygon else m


def lines_of(g):
    """Rings or line strings of a (multi)polygon / (multi)line, as lists of (x, y)."""
    t = ogr.GT_Flatten(g.GetGeometryType())
    if t in (ogr.wkbLineString, ogr.wkbLinearRing):
        return [[p[:2] for p in g.GetPoints()]]
    return [pts for i in range(g.GetGeometryCount()) for pts in lines_of(g.GetGeometryRef(i))]


def straight_runs(pts):
    """Maximal runs pts[i..j] of consecutive vertices lying on the chord pts[i]-pts[j] (to STRAIGHT_TOL)."""
    runs, i, n = [], 0, len(pts)
    while i < n - 1:
        j = i + 1
        while j + 1 < n:
            (ax, ay), (bx, by) = pts[i], pts[j + 1]
            ln = math.hypot(bx - ax, by - ay)
            if not all(abs((bx - ax) * (pts[k][1] - ay) - (by - ay) * (pts[k][0] - ax)) / ln < STRAIGHT_TOL
                       for k in range(i + 1, j + 1)):
                break
            j += 1
        runs.append((i, j))
        i = j
    return runs


def far(g, h, d):
    """True when g and h are at least d apart (an empty g is far from everything; GEOS says 0 for it)."""
    return g.IsEmpty() or g.Distance(h) >= d


def near(got, want, rel=AREA_REL):
    return abs(got - want) <= rel * max(1.0, abs(want))


# ---------------------------------------------------------------- the plan, in EPSG:4544
def read_plan():
    ds = ogr.Open(SRC)
    plan = {}
    for name in ("county", "districts", "redline", "farmland", "urban", "rivers", "trees"):
        lyr = ds.GetLayerByName(name)
        if lyr.GetSpatialRef().GetAuthorityCode(None) != "4490":
            fail(name + ": SRS is not EPSG:4490")
        rows = []
        for f in lyr:
            g = f.GetGeometryRef().Clone()
            g.AssignSpatialReference(GEO)
            g.Transform(TO_GK)
            g.AssignSpatialReference(None)
            rows.append((f.items(), g))
        plan[name] = rows
    return plan


class Plan:
    def __init__(self, rows):
        self.rows = rows
        self.county = rows["county"][0][1]
        self.all = {n: union([g for _, g in rows[n]]) for n in rows if n != "county"}
        self.key = {"redline": "code", "farmland": "code", "urban": "code", "districts": "code",
                    "rivers": "name", "trees": "id"}

    def others(self, layer, keep):
        """The union of a layer's features except the one whose key is `keep`."""
        k = self.key[layer]
        return union([g for it, g in self.rows[layer] if it[k] != keep])

    def clear(self, g, layers, d):
        """True when no feature of the layers is within d metres of g."""
        return all(g.Distance(self.all[n]) >= d for n in layers)

    def containing(self, layer, g):
        return [it[self.key[layer]] for it, f in self.rows[layer] if f.Contains(g)]

    def district_of(self, g):
        ds = self.containing("districts", g)
        return ds[0] if len(ds) == 1 else None


# ---------------------------------------------------------------- planted cases
def grid(env, step):
    x0, x1, y0, y1 = env
    y = math.floor(y0 / step) * step + step
    while y < y1:
        x = math.floor(x0 / step) * step + step
        while x < x1:
            yield x, y
            x += step
        y += step


def plant_inside_redline(plan, taken):
    """XM01: 200 x 150 rectangle >= 300 m inside one red-line polygon and from everything else."""
    for it, red in sorted(plan.rows["redline"], key=lambda r: r[0]["code"], reverse=True):
        inner = red.Buffer(-300)
        others = plan.others("redline", it["code"])
        best = None
        for x, y in grid(inner.GetEnvelope(), 100.0):
            g = poly(rect_pts(x - 100.0, y - 75.0, x + 100.0, y + 75.0))
            if not inner.Contains(g) or g.Distance(others) < 300 or not far(taken, g, 500):
                continue
            if not plan.clear(g, ("farmland", "urban", "rivers", "trees"), 300.0):
                continue
            # prefer the place farthest from the trees and rivers (a quiet spot), then the first in grid order
            score = min(g.Distance(plan.all["trees"]), g.Distance(plan.all["rivers"]))
            if best is None or score > best[0] + 1e-9:
                best = (score, x, y, g)
        if best:
            _, x, y, g = best
            return dict(geom=g, cx=x, cy=y, feature=it["code"], feature_name=it["name"])
    fail("XM01: no place inside a red-line polygon")


def plant_straddles_farmland(plan, taken):
    """XM02: 300 x 200 rectangle on a straight farmland edge run (>= 500 m): 120 m in, 80 m out."""
    cands = []
    for it, farm in plan.rows["farmland"]:
        for pts in lines_of(farm):
            for i, j in straight_runs(pts):
                (ax, ay), (bx, by) = pts[i], pts[j]
                ln = math.hypot(bx - ax, by - ay)
                if ln >= 500.0:
                    cands.append((-ln, it["code"], i, j, (ax, ay), (bx, by)))
    cands.sort()
    for negln, code, i, j, (ax, ay), (bx, by) in cands:
        farm = [g for it, g in plan.rows["farmland"] if it["code"] == code][0]
        ln = -negln
        ux, uy = (bx - ax) / ln, (by - ay) / ln
        mx, my = (ax + bx) / 2, (ay + by) / 2
        # t > 0 (left of a->b) must point into the farmland
        if not farm.Contains(point(mx - uy * 1.0, my + ux * 1.0)):
            ux, uy, (ax, ay), (bx, by) = -ux, -uy, (bx, by), (ax, ay)
        if not farm.Contains(point(mx - uy * 1.0, my + ux * 1.0)):
            continue
        corners = frame(mx, my, ux, uy, rect_pts(-150.0, -80.0, 150.0, 120.0))
        g = poly(corners)
        inside = poly(frame(mx, my, ux, uy, rect_pts(-150.0, 0.0, 150.0, 120.0)))
        outside = poly(frame(mx, my, ux, uy, rect_pts(-150.0, -80.0, 150.0, 0.0)))
        if not plan.county.Contains(g.Buffer(300.0)) or not far(taken, g, 500):
            continue
        if g.Distance(plan.others("farmland", code)) < 300.0:
            continue
        if not plan.clear(g, ("redline", "urban", "rivers", "trees"), 300.0):
            continue
        if inside.Difference(farm).GetArea() > 1e-3 or outside.Intersection(farm).GetArea() > 1e-3:
            continue  # a hole, a bend or another edge of the polygon reaches into the rectangle
        if not near(g.Intersection(farm).GetArea(), 36000.0):
            continue
        return dict(geom=g, cx=mx + (-uy) * 20.0, cy=my + ux * 20.0, feature=code, edge=[(ax, ay), (bx, by)],
                    edge_len=ln, mid=(mx, my))
    fail("XM02: no straight farmland edge of >= 500 m with a clear neighbourhood")


def plant_near_river(plan, taken):
    """XM03: 100 m square, edge parallel to a straight river run (>= RIVER_RUN_MIN) at 10.0 m, preferably inside
    the urban boundary: the longest such run first, the first place inside the urban boundary wins."""
    best_outside = None
    cands = []
    for it, river in plan.rows["rivers"]:
        pts = lines_of(river)[0]
        for i, j in straight_runs(pts):
            ln = math.hypot(pts[j][0] - pts[i][0], pts[j][1] - pts[i][1])
            if ln >= RIVER_RUN_MIN:
                cands.append((-ln, it["name"], i, j, pts))
    cands.sort(key=lambda c: (c[0], c[1], c[2]))
    for negln, name, i, j, pts in cands:
        (ax, ay), (bx, by) = pts[i], pts[j]
        ln = -negln
        ux, uy = (bx - ax) / ln, (by - ay) / ln
        mx, my = (ax + bx) / 2, (ay + by) / 2
        rest = ogr.Geometry(ogr.wkbMultiLineString)  # the river without the run
        for k in list(range(0, i)) + list(range(j, len(pts) - 1)):
            rest.AddGeometry(segment(pts[k], pts[k + 1]))
        for side in (1.0, -1.0):
            vx, vy = ux * side, uy * side  # the square lies left of v, i.e. at t in [10, 110]
            g = poly(frame(mx, my, vx, vy, rect_pts(-50.0, 10.0, 50.0, 110.0)))
            if not plan.county.Contains(g.Buffer(200.0)) or not far(taken, g, 500):
                continue
            if not plan.clear(g, ("redline", "farmland", "trees"), 200.0):
                continue
            if g.Distance(plan.others("rivers", name)) < 200.0 or g.Distance(rest) < 10.0 + 20.0:
                continue
            if not near(g.Distance(plan.all["rivers"]), 10.0, 1e-7):
                continue
            urban = plan.containing("urban", g.Buffer(20.0))
            found = dict(geom=g, cx=mx - vy * 60.0, cy=my + vx * 60.0, feature=name, run=[pts[i], pts[j]],
                         run_len=ln, rest=rest, facing=frame(mx, my, vx, vy, [(-50.0, 10.0), (50.0, 10.0)]),
                         urban=urban[0] if urban else None)
            if urban:
                return found
            best_outside = best_outside or found
    if best_outside:
        return best_outside
    fail("XM03: no straight river run of >= %g m with a clear neighbourhood" % RIVER_RUN_MIN)


def plant_over_tree(plan, taken):
    """XM04: 120 m square centred on a tree, inside the urban boundary, no other tree within 200 m."""
    fallback = None
    for it, tree in sorted(plan.rows["trees"], key=lambda r: r[0]["id"]):
        x, y = tree.GetX(), tree.GetY()
        g = poly(rect_pts(x - 60.0, y - 60.0, x + 60.0, y + 60.0))
        if not plan.county.Contains(g.Buffer(200.0)) or not far(taken, g, 500):
            continue
        if g.Distance(plan.others("trees", it["id"])) < 200.0:
            continue
        if not plan.clear(g, ("redline", "farmland", "rivers"), 200.0):
            continue
        urban = plan.containing("urban", g.Buffer(20.0))
        found = dict(geom=g, cx=x, cy=y, feature=it["id"], species=it["species"], age=it["age"],
                     urban=urban[0] if urban else None)
        if urban:
            return found
        fallback = fallback or found
    if fallback:
        return fallback
    fail("XM04: no tree with a clear neighbourhood")


def plant_clean(plan, taken):
    """XM05: 150 x 100 rectangle >= 50 m inside the urban boundary, >= 200 m from redline/farmland/rivers/trees."""
    for it, urb in sorted(plan.rows["urban"], key=lambda r: r[0]["code"]):
        inner = urb.Buffer(-50.0)
        for x, y in grid(inner.GetEnvelope(), 50.0):
            g = poly(rect_pts(x - 75.0, y - 50.0, x + 75.0, y + 50.0))
            if inner.Contains(g) and far(taken, g, 500) and \
                    plan.clear(g, ("redline", "farmland", "rivers", "trees"), 200.0):
                return dict(geom=g, cx=x, cy=y, feature=it["code"])
    fail("XM05: no clean place inside the urban boundary")


# ---------------------------------------------------------------- the other sites (illustrative)
# (district, name, kind, shape, hectares); shapes: rect, L, poly (7-12 vertices), blob (16-24 vertices),
# corridor:LENGTH (m), multi (two parts), hole (a rectangle with a hole), river:NAME (a strip along that river)
OTHERS = [
    ("D3", "竹林公园", "公共服务", "blob", 12.0),
    ("D3", "高铁片区道路工程", "基础设施", "corridor:1800", 7.2),
    ("D3", "罨画池历史街区更新", "文旅", "rect", 6.0),
    ("D3", "崇阳街道邻里中心", "公共服务", "L", 3.0),
    ("D3", "中心城区污水处理厂扩建", "基础设施", "rect", 5.0),
    ("D3", "市民体育中心", "公共服务", "hole", 15.0),
    ("D2", "经开区智能家居产业园", "产业", "rect", 28.0),
    ("D2", "电子信息产业园二期", "产业", "L", 18.0),
    ("D2", "羊马组团安置小区", "居住", "poly", 9.0),
    ("D2", "经开区物流仓储中心", "产业", "rect", 12.0),
    ("D2", "110千伏变电站", "基础设施", "rect", 1.2),
    ("D2", "味江河道生态修复工程", "生态修复", "river:味江", 14.0),
    ("D1", "隆兴镇示范村建设", "村庄", "multi", 8.0),
    ("D1", "桤泉镇高标准农田配套设施", "基础设施", "rect", 2.0),
    ("D1", "集贤乡农产品冷链物流中心", "产业", "rect", 6.0),
    ("D1", "三江镇川西林盘保护修复", "村庄", "blob", 9.0),
    ("D1", "白头镇五星村示范村建设", "村庄", "poly", 5.0),
    ("D1", "西河河道生态修复工程", "生态修复", "river:西河", 18.0),
    ("D1", "天府粮仓数字农业展示中心", "产业", "rect", 3.0),
    ("D4", "街子古镇游客中心", "文旅", "L", 4.0),
    ("D4", "凤栖山森林康养基地", "文旅", "blob", 20.0),
    ("D4", "元通古镇停车场", "基础设施", "rect", 1.5),
    ("D4", "怀远镇竹编产业园", "产业", "poly", 10.0),
    ("D4", "文井江镇乡村道路改造", "基础设施", "corridor:2000", 6.0),
    ("D4", "道明镇竹艺村示范村建设", "村庄", "poly", 6.0),
    ("D5", "鞍子河矿山生态修复", "生态修复", "blob", 25.0),
    ("D5", "大熊猫国家公园入口社区", "村庄", "rect", 8.0),
    ("D5", "九龙沟景区游步道", "文旅", "corridor:1500", 1.5),
    ("D5", "苟家水电站退出生态修复", "生态修复", "poly", 3.0),
    ("D5", "鸡冠山应急避难场所", "公共服务", "rect", 1.0),
]


def shoelace(pts):
    return 0.5 * sum(pts[k - 1][0] * pts[k][1] - pts[k][0] * pts[k - 1][1] for k in range(len(pts)))


def shape_at(rng, shape, ha, cx, cy, plan):
    """A polygon of about `ha` hectares at (cx, cy), in EPSG:4544, or None."""
    a = ha * 1e4
    th = rng.uniform(0, math.pi)
    ux, uy = math.cos(th), math.sin(th)
    if shape == "rect":
        asp = rng.uniform(1.0, 2.5)
        w = math.sqrt(a / asp)
        return poly(frame(cx, cy, ux, uy, rect_pts(-w * asp / 2, -w / 2, w * asp / 2, w / 2)))
    if shape == "L":  # an L of 3 equal squares of side s
        s = math.sqrt(a / 3)
        return poly(frame(cx, cy, ux, uy, [(-s, -s), (s, -s), (s, 0), (0, 0), (0, s), (-s, s)]))
    if shape in ("poly", "blob"):
        n = rng.randint(7, 12) if shape == "poly" else rng.randint(16, 24)
        pts = []
        for k in range(n):
            t = 2 * math.pi * k / n + rng.uniform(-0.25, 0.25) * 2 * math.pi / n
            r = rng.uniform(0.75, 1.25)
            pts.append((r * math.cos(t), r * math.sin(t)))
        k = math.sqrt(a / shoelace(pts))
        return poly(frame(cx, cy, ux, uy, [(x * k, y * k) for x, y in pts]))
    if shape.startswith("corridor:"):
        ln = float(shape.split(":")[1])
        w = a / ln
        return poly(frame(cx, cy, ux, uy, rect_pts(-ln / 2, -w / 2, ln / 2, w / 2)))
    if shape == "multi":  # two rectangles, 60 % and 40 % of the area, 150 m apart
        s1, s2 = math.sqrt(0.6 * a), math.sqrt(0.4 * a)
        p1 = poly(frame(cx, cy, ux, uy, rect_pts(-s1 - 75, -s1 / 2, -75, s1 / 2)))
        p2 = poly(frame(cx, cy, ux, uy, rect_pts(75, -s2 / 2, 75 + s2, s2 / 2)))
        return multi(p1, p2)
    if shape == "hole":  # a 1.6:1 rectangle with a central hole of 1/9 of its outer area
        w = math.sqrt(a * 9 / 8 / 1.6)
        ln = 1.6 * w
        return poly(frame(cx, cy, ux, uy, rect_pts(-ln / 2, -w / 2, ln / 2, w / 2)),
                    frame(cx, cy, ux, uy, rect_pts(-ln / 6, w / 6, ln / 6, -w / 6)))  # hole clockwise
    if shape.startswith("river:"):  # a 150 m wide strip centred on a straight piece of the river, along it
        name = shape.split(":")[1]
        river = [g for it, g in plan.rows["rivers"] if it["name"] == name][0]
        pts = lines_of(river)[0]
        k = rng.randrange(len(pts) // 5, 4 * len(pts) // 5)
        (ax, ay), (bx, by) = pts[k], pts[k + 1]
        d = math.hypot(bx - ax, by - ay)
        ux, uy = (bx - ax) / d, (by - ay) / d
        ln = a / 150.0
        return poly(frame((ax + bx) / 2, (ay + by) / 2, ux, uy, rect_pts(-ln / 2, -75, ln / 2, 75)))
    raise ValueError(shape)


def place_others(plan, rng, taken):
    dist = {it["code"]: g for it, g in plan.rows["districts"]}
    inner = plan.county.Buffer(-100.0)
    out = []
    for district, name, kind, shape, ha in OTHERS:
        zone = dist[district]
        x0, x1, y0, y1 = zone.GetEnvelope()
        for _ in range(2000):
            cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if not zone.Contains(point(cx, cy)):
                continue
            g = shape_at(rng, shape, ha, cx, cy, plan)
            if g is None or not inner.Contains(g) or not g.IsValid():
                continue
            if not g.Centroid().Within(zone) or not far(taken, g, 150.0):
                continue
            break
        else:
            fail("could not place " + name)
        out.append((name, kind, g))
        taken = taken.Union(g)
    return out, taken


# ---------------------------------------------------------------- point sites
def place_points(plan, taken):
    out = []
    # XM36: a pumping station 30.0 m from the middle of the longest straight run of 西河 that is clear
    xihe = [g for it, g in plan.rows["rivers"] if it["name"] == "西河"][0]
    pts = lines_of(xihe)[0]
    runs = sorted(straight_runs(pts), key=lambda r: -math.hypot(pts[r[1]][0] - pts[r[0]][0],
                                                                pts[r[1]][1] - pts[r[0]][1]))
    for i, j in runs:
        (ax, ay), (bx, by) = pts[i], pts[j]
        ln = math.hypot(bx - ax, by - ay)
        ux, uy = (bx - ax) / ln, (by - ay) / ln
        mx, my = (ax + bx) / 2, (ay + by) / 2
        p = point(mx - uy * 30.0, my + ux * 30.0)
        if ln >= 200 and far(taken, p, 300) and near(p.Distance(xihe), 30.0, 1e-7) and \
                plan.clear(p, ("redline", "farmland", "urban", "trees"), 100.0):
            out.append(dict(id="XM36", name="西河提灌泵站", kind="基础设施", radius=50.0, geom=p,
                            fact=dict(river="西河", river_plan_m=30.0, run=[pts[i], pts[j]], run_len=ln)))
            break
    else:
        fail("XM36: no place by 西河")
    # XM37: a telecom mast inside the urban boundary, everything else >= 300 m away
    for it, urb in sorted(plan.rows["urban"], key=lambda r: r[0]["code"], reverse=True):
        inner = urb.Buffer(-300.0)
        hit = None
        for x, y in grid(inner.GetEnvelope(), 100.0):
            p = point(x, y)
            if inner.Contains(p) and far(taken, p, 300) and \
                    plan.clear(p, ("redline", "farmland", "rivers", "trees"), 300.0):
                hit = p
                break
        if hit:
            out.append(dict(id="XM37", name="5G通信基站", kind="基础设施", radius=30.0, geom=hit,
                            fact=dict(urban=it["code"])))
            break
    else:
        fail("XM37: no place inside the urban boundary")
    # XM38: an irrigation station deep inside farmland
    for it, farm in sorted(plan.rows["farmland"], key=lambda r: r[0]["code"]):
        inner = farm.Buffer(-240.0)
        hit = None
        for x, y in grid(inner.GetEnvelope(), 100.0):
            p = point(x, y)
            if inner.Contains(p) and far(taken, p, 300) and plan.clear(p, ("rivers", "trees"), 240.0):
                hit = p
                break
        if hit:
            out.append(dict(id="XM38", name="高标准农田灌溉提灌站", kind="基础设施", radius=40.0, geom=hit,
                            fact=dict(farmland=it["code"])))
            break
    else:
        fail("XM38: no place inside farmland")
    return out


# ---------------------------------------------------------------- write
def to_geo(g):
    h = g.Clone()
    h.AssignSpatialReference(GK)
    h.Transform(TO_GEO)
    h.AssignSpatialReference(None)
    return h


def lonlat(x, y):
    lon, lat = TO_GEO.TransformPoint(x, y)[:2]
    return [round(lon, 10), round(lat, 10)]


def write(sites, points):
    if os.path.exists(OUT):
        os.remove(OUT)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(OUT)
    lyr = ds.CreateLayer("sites", GEO, ogr.wkbMultiPolygon)
    for fname in ("id", "name", "kind"):
        lyr.CreateField(ogr.FieldDefn(fname, ogr.OFTString))
    for sid, name, kind, g in sites:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("id", sid)
        f.SetField("name", name)
        f.SetField("kind", kind)
        m = g.Clone() if ogr.GT_Flatten(g.GetGeometryType()) == ogr.wkbMultiPolygon else multi(g.Clone())
        f.SetGeometry(to_geo(m))
        lyr.CreateFeature(f)
    lyr = ds.CreateLayer("site_points", GEO, ogr.wkbPoint)
    for fname, ftype in (("id", ogr.OFTString), ("name", ogr.OFTString), ("kind", ogr.OFTString),
                         ("radius_m", ogr.OFTReal)):
        lyr.CreateField(ogr.FieldDefn(fname, ftype))
    for p in points:
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in (("id", p["id"]), ("name", p["name"]), ("kind", p["kind"]), ("radius_m", p["radius"])):
            f.SetField(k, v)
        f.SetGeometry(to_geo(p["geom"]))
        lyr.CreateFeature(f)
    ds = None


# ---------------------------------------------------------------- verify (reads sites.gpkg back)
def read_back():
    ds = ogr.Open(OUT)
    got = {}
    for lname, gtype in (("sites", ogr.wkbMultiPolygon), ("site_points", ogr.wkbPoint)):
        lyr = ds.GetLayerByName(lname)
        if lyr is None or lyr.GetSpatialRef() is None or lyr.GetSpatialRef().GetAuthorityCode(None) != "4490":
            fail(lname + ": missing, or SRS is not EPSG:4490")
        if lyr.GetGeomType() != gtype:
            fail(lname + ": wrong geometry type")
        for f in lyr:
            g = f.GetGeometryRef().Clone()
            if not g.IsValid():
                fail("%s %s: invalid geometry" % (lname, f.GetField("id")))
            g.AssignSpatialReference(GEO)
            g.Transform(TO_GK)
            g.AssignSpatialReference(None)
            got[f.GetField("id")] = (f.items(), g)
    return got


def take(plan, layer, g):
    return g.Intersection(plan.all[layer]).GetArea()


def verify(plan, planted, sites, points):
    got = read_back()
    ids = [s[0] for s in sites] + [p["id"] for p in points]
    if sorted(got) != sorted(ids) or len(set(ids)) != len(ids):
        fail("ids read back differ")
    for sid, name, kind, g in sites:
        items, h = got[sid]
        if items["name"] != name or items["kind"] != kind:
            fail(sid + ": attributes read back differ")
        if not near(h.GetArea(), g.GetArea(), 1e-9) or h.SymDifference(g).GetArea() > 1e-3:
            fail(sid + ": geometry moved in the lon/lat round trip")
        if not h.Within(plan.county):
            fail(sid + ": not within the county")
        n = sum(lines_of(h)[k].__len__() - 1 for k in range(len(lines_of(h))))
        if not 4 <= n <= 48:
            fail("%s: %d vertices" % (sid, n))
    # planted: every figure from the construction, checked here by GEOS on the read-back geometry
    C = lambda sid: got[sid][1]
    g = C("XM01")
    p = planted["XM01"]
    if not near(g.GetArea(), 30000.0) or plan.containing("redline", g) != [p["feature"]]:
        fail("XM01: not within exactly one red-line polygon, or area %.6f" % g.GetArea())
    if not near(take(plan, "redline", g), 30000.0) or take(plan, "farmland", g) > 0 or take(plan, "urban", g) > 0:
        fail("XM01: takes wrong")
    if g.Distance(plan.others("redline", p["feature"])) < 300.0:
        fail("XM01: another red-line polygon within 300 m")
    if sum(1 for _, r in plan.rows["redline"] if r.Intersects(g)) != 1:
        fail("XM01: intersects more than one red-line feature")
    reds = [r for it, r in plan.rows["redline"] if it["code"] == p["feature"]]
    if g.Distance(reds[0].Boundary()) < 300.0 or not plan.clear(g, ("farmland", "urban", "rivers", "trees"), 300):
        fail("XM01: too close to something")
    if g.Distance(plan.all["trees"]) < 100 or g.Distance(plan.all["rivers"]) < 200:
        fail("XM01: tree within 100 m or river within 200 m")
    g = C("XM02")
    p = planted["XM02"]
    farm = [f for it, f in plan.rows["farmland"] if it["code"] == p["feature"]][0]
    t = g.Intersection(farm).GetArea()
    if not near(g.GetArea(), 60000.0) or not near(t, 36000.0) or not near(take(plan, "farmland", g), 36000.0):
        fail("XM02: farmland take %.9f m2 (want 36000)" % t)
    if take(plan, "redline", g) > 0 or take(plan, "urban", g) > 0 or \
            g.Distance(plan.others("farmland", p["feature"])) < 300 or \
            not plan.clear(g, ("redline", "urban", "rivers", "trees"), 300):
        fail("XM02: something else within 300 m")
    g = C("XM03")
    p = planted["XM03"]
    d = g.Distance(plan.all["rivers"])
    if not near(g.GetArea(), 10000.0) or abs(d - 10.0) > DIST_TOL:
        fail("XM03: distance to rivers %.9f m (want 10.0)" % d)
    if not plan.clear(g, ("redline", "farmland", "trees"), 200) or \
            g.Distance(plan.others("rivers", p["feature"])) < 200:
        fail("XM03: something else within 200 m")
    if p["urban"] and (plan.containing("urban", g) != [p["urban"]] or not near(take(plan, "urban", g), 10000.0)):
        fail("XM03: not wholly inside the urban boundary")
    if g.Distance(p["rest"]) < 30.0:
        fail("XM03: the river outside its straight run comes within 30 m")
    (fx0, fy0), (fx1, fy1) = p["facing"]
    (rx0, ry0), (rx1, ry1) = p["run"]
    if abs((fx1 - fx0) * (ry1 - ry0) - (fy1 - fy0) * (rx1 - rx0)) > 1e-6 * 100.0 * p["run_len"]:
        fail("XM03: the facing edge is not parallel to the river run")
    river = [r for it, r in plan.rows["rivers"] if it["name"] == p["feature"]][0]
    for q in p["facing"]:
        if abs(point(*q).Distance(river) - 10.0) > DIST_TOL:
            fail("XM03: a corner of the facing edge is not 10.0 m from the river")
    g = C("XM04")
    p = planted["XM04"]
    tree = [t for it, t in plan.rows["trees"] if it["id"] == p["feature"]][0]
    hits = [it["id"] for it, t in plan.rows["trees"] if g.Distance(t) < 200.0]
    if hits != [p["feature"]] or not tree.Within(g) or g.Centroid().Distance(tree) > 1e-6:
        fail("XM04: trees within 200 m %r, or not centred on the tree" % hits)
    if not near(g.GetArea(), 14400.0) or not plan.clear(g, ("redline", "farmland", "rivers"), 200):
        fail("XM04: area or neighbourhood wrong")
    if p["urban"] and (plan.containing("urban", g) != [p["urban"]] or not near(take(plan, "urban", g), 14400.0)):
        fail("XM04: not wholly inside the urban boundary")
    g = C("XM05")
    p = planted["XM05"]
    if not near(g.GetArea(), 15000.0) or plan.containing("urban", g.Buffer(50.0)) != [p["feature"]] or \
            not plan.clear(g, ("redline", "farmland", "rivers", "trees"), 200) or \
            not near(take(plan, "urban", g), 15000.0):
        fail("XM05: not clean")
    for sid, p in planted.items():  # the centroids given in the JSON
        c = got[sid][1].Centroid()
        if math.hypot(c.GetX() - p["cx"], c.GetY() - p["cy"]) > 1e-6:
            fail("%s: centroid (%.6f, %.6f), constructed (%.6f, %.6f)" % (sid, c.GetX(), c.GetY(), p["cx"], p["cy"]))
    for pt in points:
        items, h = got[pt["id"]]
        if h.Distance(pt["geom"]) > 1e-6 or items["radius_m"] != pt["radius"]:
            fail(pt["id"] + ": read back differs")
    f36 = points[0]["fact"]
    xihe = [r for it, r in plan.rows["rivers"] if it["name"] == "西河"][0]
    if abs(got["XM36"][1].Distance(xihe) - 30.0) > DIST_TOL:
        fail("XM36: distance to 西河 %.9f" % got["XM36"][1].Distance(xihe))
    f36["river_plan_m"] = 30.0
    def deep(layer, key, p, d):  # p inside the feature, at least d from its edges
        f = [g for it, g in plan.rows[layer] if it[plan.key[layer]] == key][0]
        return plan.containing(layer, p) == [key] and f.Boundary().Distance(p) >= d
    p37, p38 = got["XM37"][1], got["XM38"][1]
    if not deep("urban", points[1]["fact"]["urban"], p37, 300.0) or \
            not plan.clear(p37, ("redline", "farmland", "rivers", "trees"), 300.0):
        fail("XM37: not clear")
    if not deep("farmland", points[2]["fact"]["farmland"], p38, 240.0) or \
            not plan.clear(p38, ("rivers", "trees"), 240.0):
        fail("XM38: its circle is not deep inside farmland")
    return got


# ---------------------------------------------------------------- main
def main():
    plan = Plan(read_plan())
    taken = ogr.Geometry(ogr.wkbMultiPolygon)
    planted = {}
    for sid, fn in (("XM01", plant_inside_redline), ("XM02", plant_straddles_farmland),
                    ("XM03", plant_near_river), ("XM04", plant_over_tree), ("XM05", plant_clean)):
        planted[sid] = fn(plan, taken)
        taken = taken.Union(planted[sid]["geom"])
    xm01, xm02, xm03, xm04, xm05 = (planted["XM0%d" % k] for k in range(1, 6))
    red_names = {"STHX01": "熊猫谷生态旅游接待站", "STHX02": "鞍子河小水电站扩建", "STHX03": "凤栖山观景平台",
                 "STHX04": "西河湿地游客服务中心"}
    sites = [("XM01", red_names[xm01["feature"]], "文旅", xm01["geom"]),
             ("XM02", "高标准农田智慧灌溉管理中心", "基础设施", xm02["geom"]),
             ("XM03", "%s滨河绿道驿站" % xm03["feature"], "公共服务", xm03["geom"]),
             ("XM04", "古树保护广场", "公共服务", xm04["geom"]),
             ("XM05", "城市社区综合服务中心", "公共服务", xm05["geom"])]
    rng = random.Random(SEED)
    others, taken = place_others(plan, rng, taken)
    sites += [("XM%02d" % (6 + k), name, kind, g) for k, (name, kind, g) in enumerate(others)]
    points = place_points(plan, taken)
    write(sites, points)
    verify(plan, planted, sites, points)

    # ---- the planted figures (construction values; each checked above with GEOS)
    names = {sid: (name, kind) for sid, name, kind, _ in sites}

    def common(case, shape, area, d):
        x, y = d["cx"], d["cy"]
        sid = [k for k, v in planted.items() if v is d][0]
        return {"case": case, "layer": "sites", "name": names[sid][0], "kind": names[sid][1], "shape": shape,
                "site_plan_m2": area,
                "centroid_4544": [round(x, 6), round(y, 6)], "centroid_lonlat": lonlat(x, y),
                "district": plan.district_of(d["geom"])}

    def rnd(pts):
        return [[round(a, 6), round(b, 6)] for a, b in pts]

    js = {"note": "Planted screening cases of sites.gpkg (ILLUSTRATIVE, NOT OFFICIAL). Figures are planar, in "
                  "EPSG:4544, from the construction in scripts/make_sites.py (checked there with GEOS); "
                  "ellipsoidal figures differ by the Gauss-Kruger scale factor. clear_of_m: no feature of the "
                  "layer within that many metres of the site.",
          "crs": {"plane": "EPSG:4544", "stored": "EPSG:4490"}, "sites": {}, "points": {}}
    s = js["sites"]
    s["XM01"] = dict(common("inside_redline", "rectangle 200 m x 150 m, axis-aligned", 30000.0, xm01),
                     take={"layer": "redline", "key": xm01["feature"], "m2": 30000.0},
                     takes_m2={"redline": 30000.0, "farmland": 0.0, "urban": 0.0}, outside_m2={"urban": 30000.0},
                     clear_of_m={"redline_edge": 300.0, "farmland": 300.0, "urban": 300.0, "rivers": 300.0,
                                 "trees": 300.0})
    s["XM02"] = dict(common("straddles_farmland", "rectangle 300 m x 200 m aligned with a farmland edge, 120 m in, "
                            "80 m out", 60000.0, xm02),
                     take={"layer": "farmland", "key": xm02["feature"], "m2": 36000.0},
                     takes_m2={"redline": 0.0, "farmland": 36000.0, "urban": 0.0}, outside_m2={"urban": 60000.0,
                                                                                               "farmland": 24000.0},
                     edge_4544=rnd(xm02["edge"]), edge_m=round(xm02["edge_len"], 3),
                     clear_of_m={"other_farmland": 300.0, "redline": 300.0, "urban": 300.0, "rivers": 300.0,
                                 "trees": 300.0})
    in_urban = 10000.0 if xm03["urban"] else 0.0
    s["XM03"] = dict(common("near_river", "square 100 m, an edge parallel to a straight river run at 10 m",
                            10000.0, xm03),
                     distance={"layer": "rivers", "key": xm03["feature"], "plan_m": 10.0},
                     river_run_4544=rnd(xm03["run"]), river_run_m=round(xm03["run_len"], 3),
                     facing_edge_4544=rnd(xm03["facing"]),
                     closest="the whole facing edge is 10.0 m from the run (parallel): the closest pair is not "
                             "unique; the rest of the river is >= 30 m from the site",
                     takes_m2={"redline": 0.0, "farmland": 0.0, "urban": in_urban},
                     outside_m2={"urban": 10000.0 - in_urban}, urban=xm03["urban"],
                     clear_of_m={"redline": 200.0, "farmland": 200.0, "trees": 200.0, "other_rivers": 200.0})
    in_urban = 14400.0 if xm04["urban"] else 0.0
    s["XM04"] = dict(common("over_tree", "square 120 m centred on the tree, axis-aligned", 14400.0, xm04),
                     trees=[xm04["feature"]], tree={"id": xm04["feature"], "species": xm04["species"],
                                                    "age": xm04["age"], "offset_from_edges_m": 60.0},
                     takes_m2={"redline": 0.0, "farmland": 0.0, "urban": in_urban},
                     outside_m2={"urban": 14400.0 - in_urban}, urban=xm04["urban"],
                     clear_of_m={"other_trees": 200.0, "redline": 200.0, "farmland": 200.0, "rivers": 200.0})
    s["XM05"] = dict(common("clean", "rectangle 150 m x 100 m, axis-aligned", 15000.0, xm05),
                     takes_m2={"redline": 0.0, "farmland": 0.0, "urban": 15000.0}, outside_m2={"urban": 0.0},
                     urban=xm05["feature"], expected_verdict="allowed",
                     clear_of_m={"urban_edge": 50.0, "redline": 200.0, "farmland": 200.0, "rivers": 200.0,
                                 "trees": 200.0})
    for p in points:
        x, y = p["geom"].GetX(), p["geom"].GetY()
        e = {"layer": "site_points", "name": p["name"], "radius_m": p["radius"],
             "point_4544": [round(x, 6), round(y, 6)], "point_lonlat": lonlat(x, y)}
        f = p["fact"]
        if p["id"] == "XM36":
            e.update(distance={"layer": "rivers", "key": "西河", "point_plan_m": 30.0},
                     river_run_4544=rnd(f["run"]), river_run_m=round(f["run_len"], 3),
                     note="the point is 30.0 m from a straight run of the river, so its 50 m circle reaches it",
                     clear_of_m={"redline": 100.0, "farmland": 100.0, "urban": 100.0, "trees": 100.0})
        elif p["id"] == "XM37":
            e.update(urban=f["urban"], note="the circle is wholly inside the urban boundary",
                     clear_of_m={"urban_edge": 300.0, "redline": 300.0, "farmland": 300.0, "rivers": 300.0,
                                 "trees": 300.0})
        else:
            e.update(farmland=f["farmland"], note="the circle is wholly inside the farmland polygon",
                     clear_of_m={"farmland_edge": 240.0, "rivers": 240.0, "trees": 240.0})
        js["points"][p["id"]] = e
    text = json.dumps(js, ensure_ascii=False, indent=2)
    text = re.sub(r"\[\s+([-0-9.e]+),\s+([-0-9.e]+)\s+\]", r"[\1, \2]", text)  # [x, y] on one line
    with open(JSON_OUT, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")

    # ---- summary
    print("sites: %d polygons, %d points -> %s" % (len(sites), len(points), os.path.relpath(OUT)))
    for sid, val in s.items():
        extra = val.get("take") or val.get("distance") or {"trees": val.get("trees")}
        print("  %s %-18s %8.1f m2  %s  centroid %s  %s  urban=%s" % (
            sid, val["case"], val["site_plan_m2"], json.dumps(extra, ensure_ascii=False),
            val["centroid_4544"], val["centroid_lonlat"], val.get("urban")))
    print("other sites (OGR, for information):")
    for sid, name, kind, g in sites[5:]:
        print("  %s %-16s %-6s %6.2f ha  redline %8.0f  farmland %8.0f  urban %8.0f  river %6.0f m  %s" % (
            sid, name, kind, g.GetArea() / 1e4, take(plan, "redline", g), take(plan, "farmland", g),
            take(plan, "urban", g), g.Distance(plan.all["rivers"]), plan.district_of(g)))
    for p in points:
        print("  %s %s r=%.0f m" % (p["id"], p["name"], p["radius"]))
    print("OK: all checks passed; wrote %s" % os.path.relpath(JSON_OUT))


if __name__ == "__main__":
    main()
