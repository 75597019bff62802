#!/usr/bin/python3
"""Generate a deterministic, county-like tessellation of N land-use parcels (三调图斑) for benchmarks.

  /usr/bin/python3 scripts/make_parcels.py N [--out DIR] [--kind voronoi|grid] [--seed S]

writes DIR/parcels_N.gpkg (layer `parcels`: fields bsm, dlbm, dlmc; MultiPolygon, EPSG:4544) and
DIR/districts.gpkg (layer `districts`: the five planning districts, fields name, code, EPSG:4544), default
DIR = build/bench. The county and districts are those of layers/chongzhou/chongzhou.gpkg (ILLUSTRATIVE,
NOT OFFICIAL; see its README), projected to EPSG:4544.

Kinds (default: voronoi up to 200,000 parcels, grid above, where Python Voronoi cells get slow):
  voronoi  Voronoi cells of N seeded random points in the county, built as the dual of GEOS's Delaunay
           triangulation (GDAL 3.6 has no VoronoiDiagram): one circumcentre per triangle, so neighbouring
           cells share identical vertices; cells are clipped to the county.
  grid     a jittered grid of quadrilaterals with shared vertices (each grid vertex moved at random by up
           to 30 % of a cell), N cells in the county's envelope clipped to the county (only cells near
           the boundary are cut; the others are decided by scanlines across the county ring).
Land-use codes (DLBM, Third National Land Survey classification) are drawn from weighted mixes that
change from the western mountains (forest) to the eastern plains (paddy, built-up land).
Python 3 stdlib + osgeo (Debian's python3-gdal); the same N, kind and seed give the same features.
"""
import argparse
import math
import os
import random
import struct
import sys
import time

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
gdal.SetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00.000Z")  # stable gpkg_contents.last_change

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "layers", "chongzhou", "chongzhou.gpkg")

DLMC = {"0101": "水田", "0102": "水浇地", "0103": "旱地", "0201": "果园", "0202": "茶园", "0301": "乔木林地",
        "0302": "竹林地", "0305": "灌木林地", "0307": "其他林地", "0404": "其他草地", "05H1": "商业服务业设施用地",
        "0508": "物流仓储用地", "0601": "工业用地", "0602": "采矿用地", "0701": "城镇住宅用地", "0702": "农村宅基地",
        "08H2": "科教文卫用地", "0810": "公园与绿地", "1003": "公路用地", "1004": "城镇村道路用地", "1006": "农村道路",
        "1101": "河流水面", "1103": "水库水面", "1104": "坑塘水面", "1107": "沟渠", "1202": "设施农用地",
        "1207": "裸岩石砾地"}
MIXES = [  # from west (mountains) to east (plains, city, industry)
    "0301:52 0302:12 0305:12 0307:8 0404:5 1207:4 1103:3 0602:2 1101:2",
    "0301:22 0302:10 0202:15 0201:10 0103:10 0702:12 0307:6 1006:5 1104:5",
    "0101:48 0102:10 0103:5 0702:15 1104:7 1107:5 1006:5 1202:5",
    "0701:20 05H1:10 0702:10 0101:20 08H2:5 0810:5 1004:10 1101:5 0102:5 1003:5 0601:5",
    "0601:22 0101:22 0102:10 0702:15 1003:10 0508:10 1202:6 1101:5",
]
MIXES = [([c for c, _ in (t.split(":") for t in m.split())], [int(w) for _, w in (t.split(":") for t in m.split())])
         for m in MIXES]


def srs(code):
    s = osr.SpatialReference()
    s.ImportFromEPSG(code)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


GK = srs(4544)


def read_sample(layer):
    ds = ogr.Open(SAMPLE)
    lyr = ds.GetLayerByName(layer)
    ct = osr.CoordinateTransformation(lyr.GetSpatialRef(), GK)
    out = []
    for f in lyr:
        g = f.GetGeometryRef().Clone()
        g.Transform(ct)
        out.append((f.items(), g))
    return out


def polygon(ring):
    r = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ring:
        r.AddPoint_2D(x, y)
    r.AddPoint_2D(*ring[0])
    p = ogr.Geometry(ogr.wkbPolygon)
    p.AddGeometryDirectly(r)
    return p


def exterior(g):
    """Points of the outer ring of a (multi)polygon's first part."""
    if ogr.GT_Flatten(g.GetGeometryType()) == ogr.wkbMultiPolygon:
        g = g.GetGeometryRef(0)
    return g.GetGeometryRef(0).GetPoints()


def to_multi(g):
    if g is None or g.IsEmpty():
        return None
    t = ogr.GT_Flatten(g.GetGeometryType())
    if t == ogr.wkbPolygon:
        return ogr.ForceToMultiPolygon(g)
    if t == ogr.wkbMultiPolygon:
        return g
    m = ogr.Geometry(ogr.wkbMultiPolygon)  # a collection: keep its polygons
    for i in range(g.GetGeometryCount()):
        p = g.GetGeometryRef(i)
        if ogr.GT_Flatten(p.GetGeometryType()) == ogr.wkbPolygon and p.GetArea() > 0:
            m.AddGeometry(p)
    return m if m.GetGeometryCount() else None


def triangles(mp):
    """Triangles of GEOS's Delaunay triangulation of a MultiPoint, as ((x,y),(x,y),(x,y)), read from WKB."""
    wkb = mp.DelaunayTriangulation().ExportToWkb(ogr.wkbNDR)
    (n,) = struct.unpack_from("<I", wkb, 5)
    off = 9
    for _ in range(n):  # each: byte order, type, 1 ring, 4 points
        x0, y0, x1, y1, x2, y2 = struct.unpack_from("<6d", wkb, off + 13)
        yield (x0, y0), (x1, y1), (x2, y2)
        off += 13 + 64


def circumcentre(a, b, c):
    d = 2 * (a[0] * (b[1] - c[1]) + b[0] * (c[1] - a[1]) + c[0] * (a[1] - b[1]))
    sa, sb, sc = a[0] ** 2 + a[1] ** 2, b[0] ** 2 + b[1] ** 2, c[0] ** 2 + c[1] ** 2
    return ((sa * (b[1] - c[1]) + sb * (c[1] - a[1]) + sc * (a[1] - b[1])) / d,
            (sa * (c[0] - b[0]) + sb * (a[0] - c[0]) + sc * (b[0] - a[0])) / d)


def scanline_inside(ring):
    """A function (x, y) -> inside the ring, by crossings of the horizontal line at y (cached per y)."""
    segs = list(zip(ring, ring[1:] + ring[:1]))
    cache = {}

    def inside(x, y):
        xs = cache.get(y)
        if xs is None:
            xs = sorted(x1 + (y - y1) * (x2 - x1) / (y2 - y1) for (x1, y1), (x2, y2) in segs
                        if (y1 <= y < y2) or (y2 <= y < y1))
            cache[y] = xs
        k = 0
        while k < len(xs) and xs[k] < x:
            k += 1
        return k % 2 == 1
    return inside


def voronoi_cells(n, county, rng):
    minx, maxx, miny, maxy = county.GetEnvelope()
    inside = scanline_inside(exterior(county))
    seeds = []
    while len(seeds) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if rng.random() < 0.45 + 0.55 * (x - minx) / (maxx - minx) and inside(x, y):
            seeds.append((x, y))  # denser towards the eastern plains
    cx, cy, r = (minx + maxx) / 2, (miny + maxy) / 2, 2 * max(maxx - minx, maxy - miny)
    guards = [(cx + r * math.cos(i * math.pi / 12), cy + r * math.sin(i * math.pi / 12)) for i in range(24)]
    mp = ogr.Geometry(ogr.wkbMultiPoint)
    for x, y in seeds + guards:
        p = ogr.Geometry(ogr.wkbPoint)
        p.AddPoint_2D(x, y)
        mp.AddGeometryDirectly(p)
    index = {p: i for i, p in enumerate(seeds)}
    fans = [[] for _ in seeds]
    for tri in triangles(mp):
        cc = circumcentre(*tri)  # once per triangle: neighbouring cells share the vertex exactly
        for v in tri:
            i = index.get(v)
            if i is not None:
                fans[i].append(cc)
    for i, (sx, sy) in enumerate(seeds):
        ring = sorted(set(fans[i]), key=lambda c: math.atan2(c[1] - sy, c[0] - sx))
        yield (sx, sy), polygon(ring)


def grid_cells(n, county, rng):
    minx, maxx, miny, maxy = county.GetEnvelope()
    ring = exterior(county)
    inside = scanline_inside(ring)
    # Enough cells that about n of them fall in the county (its area over its envelope's).
    cell = math.sqrt(county.GetArea() / n)
    minx, miny = minx - cell, miny - cell  # a margin of one cell: jittered edge vertices stay outside
    nx, ny = int((maxx - minx) / cell) + 2, int((maxy - miny) / cell) + 2
    jit = [[(minx + (i + 0.6 * (rng.random() - 0.5)) * cell, miny + (j + 0.6 * (rng.random() - 0.5)) * cell)
            for i in range(nx + 1)] for j in range(ny + 1)]
    near = set()  # cells within one cell of the county boundary: cut exactly
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        steps = int(math.hypot(x2 - x1, y2 - y1) / (0.25 * cell)) + 1
        for k in range(steps + 1):
            x, y = x1 + (x2 - x1) * k / steps, y1 + (y2 - y1) * k / steps
            i, j = int((x - minx) / cell), int((y - miny) / cell)
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    near.add((i + di, j + dj))
    for j in range(ny):
        yc = miny + (j + 0.5) * cell
        for i in range(nx):
            q = [jit[j][i], jit[j][i + 1], jit[j + 1][i + 1], jit[j + 1][i]]
            if (i, j) in near or inside(minx + (i + 0.5) * cell, yc):
                yield (minx + (i + 0.5) * cell, yc), polygon(q), (i, j) in near


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "build", "bench"))
    ap.add_argument("--kind", choices=["voronoi", "grid"])
    ap.add_argument("--seed", type=int, default=510184)
    a = ap.parse_args()
    kind = a.kind or ("voronoi" if a.n <= 200000 else "grid")
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    rng = random.Random(a.seed * 1000003 + a.n)
    (_, county), = read_sample("county")
    county = county.GetGeometryRef(0).Clone() if county.GetGeometryCount() == 1 else county
    districts = read_sample("districts")
    minx, maxx, _, _ = county.GetEnvelope()

    dpath = os.path.join(a.out, "districts.gpkg")
    if not os.path.exists(dpath):
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(dpath)
        lyr = ds.CreateLayer("districts", GK, ogr.wkbMultiPolygon)
        for name in ("name", "code"):
            lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
        for items, g in districts:
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("name", items["name"])
            f.SetField("code", items["code"])
            f.SetGeometry(g)
            lyr.CreateFeature(f)
        ds = None

    path = os.path.join(a.out, "parcels_%d.gpkg" % a.n)
    tmp = path + ".tmp.gpkg"
    if os.path.exists(tmp):
        os.remove(tmp)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
    lyr = ds.CreateLayer("parcels", GK, ogr.wkbMultiPolygon)
    for name in ("bsm", "dlbm", "dlmc"):
        lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    defn = lyr.GetLayerDefn()
    ds.StartTransaction()
    written, area, cut = 0, 0.0, 0
    cells = voronoi_cells(a.n, county, rng) if kind == "voronoi" else grid_cells(a.n, county, rng)
    for item in cells:
        (sx, _), cellgeom = item[0], item[1]
        needs_cut = item[2] if kind == "grid" else not county.Contains(cellgeom)
        g = to_multi(cellgeom.Intersection(county)) if needs_cut else ogr.ForceToMultiPolygon(cellgeom)
        cut += needs_cut
        if g is None:
            continue
        band = min(len(MIXES) - 1, int(len(MIXES) * (sx - minx) / (maxx - minx)))
        code = rng.choices(MIXES[band][0], weights=MIXES[band][1])[0]
        written += 1
        f = ogr.Feature(defn)
        f.SetField(0, "510184%010d" % written)
        f.SetField(1, code)
        f.SetField(2, DLMC[code])
        f.SetGeometryDirectly(g)
        lyr.CreateFeature(f)
        area += g.GetArea()
        if written % 50000 == 0:
            ds.CommitTransaction()
            ds.StartTransaction()
    ds.CommitTransaction()
    ds = None
    os.replace(tmp, path)
    print("%s: %d %s parcels (%d cut by the county boundary), %.2f km2 (county %.2f km2), %.1f s"
          % (path, written, kind, cut, area / 1e6, county.GetArea() / 1e6, time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
