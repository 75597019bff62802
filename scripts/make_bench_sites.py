#!/usr/bin/python3
"""Generate N deterministic proposed project sites (选址) over Chongzhou for benchmarking `zonekit screen`.

  /usr/bin/python3 scripts/make_bench_sites.py N [--out DIR] [--seed S]

writes DIR/sites_N.gpkg (layer `sites`: fields id, kind, area_ha; MultiPolygon, EPSG:4490 lon/lat, like
layers/chongzhou/sites.gpkg), default DIR = build/bench. The county is that of layers/chongzhou/chongzhou.gpkg
(ILLUSTRATIVE, NOT OFFICIAL; see its README).

Each site is built in EPSG:4544 metres and only its corners are transformed to EPSG:4490 (no densifying):
  centre   uniform in the county's envelope, kept when it falls inside the county (tested on a 10 m row
           lattice) and, as in make_parcels.py, more often towards the eastern plains; sites near the
           boundary may reach past it, and sites may overlap each other (they are independent proposals);
  area     log-uniform in 0.5-20 ha (more small sites than large), exact in the EPSG:4544 plane;
  shape    40 % rectangles (aspect 1-3, any rotation), 60 % irregular star-shaped polygons of 5-12 vertices
           (radii 0.65-1.35 of the mean, angles jittered; always simple, hence valid).
Ids are S0000001, S0000002, … in order. Python 3 stdlib + osgeo (Debian's python3-gdal); the same N and seed
give the same file.
"""
import argparse
import math
import os
import random
import sys
import time

from osgeo import gdal, ogr, osr

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no scripts/__pycache__
import make_parcels  # noqa: E402  (its county reader and scanline test)

gdal.UseExceptions()
ogr.UseExceptions()
gdal.SetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00.000Z")  # stable gpkg_contents.last_change

GEO, GK = make_parcels.srs(4490), make_parcels.GK
MIN_HA, MAX_HA = 0.5, 20.0


def shoelace(pts):
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]))


def site_shape(rng, area_m2):
    """Corners (counter-clockwise, around (0, 0)) of a site of exactly area_m2 in the plane, and its kind."""
    if rng.random() < 0.4:
        aspect = rng.uniform(1.0, 3.0)
        w = math.sqrt(area_m2 * aspect)
        h = area_m2 / w
        a = rng.uniform(0, math.pi)
        c, s = math.cos(a), math.sin(a)
        pts = [(x * c - y * s, x * s + y * c) for x, y in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2),
                                                             (-w / 2, h / 2))]
        return pts, "rect"
    k = rng.randint(5, 12)
    a0 = rng.uniform(0, 2 * math.pi)
    step = 2 * math.pi / k
    pts = []
    for i in range(k):  # strictly increasing angles (jitter < half a step): a star-shaped, simple ring
        a = a0 + step * (i + rng.uniform(-0.35, 0.35))
        r = rng.uniform(0.65, 1.35)
        pts.append((r * math.cos(a), r * math.sin(a)))
    f = math.sqrt(area_m2 / shoelace(pts))
    return [(x * f, y * f) for x, y in pts], "irregular"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "build", "bench"))
    ap.add_argument("--seed", type=int, default=20240510)
    a = ap.parse_args()
    if a.n <= 0:
        ap.error("N must be positive")
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    rng = random.Random(a.seed * 1000003 + a.n)
    (_, county), = make_parcels.read_sample("county")
    minx, maxx, miny, maxy = county.GetEnvelope()
    rows = make_parcels.scanline_inside(make_parcels.exterior(county))
    if county.GetGeometryCount() != 1:
        sys.exit("make_bench_sites: the county is expected to be one polygon")
    to_geo = osr.CoordinateTransformation(GK, GEO)

    path = os.path.join(a.out, "sites_%d.gpkg" % a.n)
    tmp = path + ".tmp.gpkg"
    if os.path.exists(tmp):
        os.remove(tmp)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
    lyr = ds.CreateLayer("sites", GEO, ogr.wkbMultiPolygon)
    lyr.CreateField(ogr.FieldDefn("id", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("kind", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("area_ha", ogr.OFTReal))
    defn = lyr.GetLayerDefn()
    ds.StartTransaction()
    total_ha, kinds = 0.0, {"rect": 0, "irregular": 0}
    lo, hi = math.log(MIN_HA * 1e4), math.log(MAX_HA * 1e4)
    for i in range(1, a.n + 1):
        while True:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if rng.random() < 0.45 + 0.55 * (x - minx) / (maxx - minx) and rows(x, round(y, -1)):
                break
        area = math.exp(rng.uniform(lo, hi))
        pts, kind = site_shape(rng, area)
        geo = to_geo.TransformPoints([(x + px, y + py) for px, py in pts])
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for p in geo + geo[:1]:
            ring.AddPoint_2D(p[0], p[1])
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometryDirectly(ring)
        mpoly = ogr.Geometry(ogr.wkbMultiPolygon)
        mpoly.AddGeometryDirectly(poly)
        f = ogr.Feature(defn)
        f.SetField(0, "S%07d" % i)
        f.SetField(1, kind)
        f.SetField(2, round(area / 1e4, 4))
        f.SetGeometryDirectly(mpoly)
        lyr.CreateFeature(f)
        total_ha += area / 1e4
        kinds[kind] += 1
        if i % 50000 == 0:
            ds.CommitTransaction()
            ds.StartTransaction()
    ds.CommitTransaction()
    ds = None
    os.replace(tmp, path)
    print("%s: %d sites (%d rectangles, %d irregular), %.0f ha in all (mean %.2f ha), %.1f s"
          % (path, a.n, kinds["rect"], kinds["irregular"], total_ha, total_ha / a.n, time.time() - t0),
          file=sys.stderr)


if __name__ == "__main__":
    main()
