#!/usr/bin/python3
"""Make layers/chongzhou/conflicts.gpkg: the bundled Chongzhou layers (ILLUSTRATIVE, NOT OFFICIAL) with conflicts
of known size planted in them, for `zonekit check layers/chongzhou/conflicts.toml` (which must fail, exit 1).

Everything is written in EPSG:4544 (CGCS2000 / 3-degree Gauss-Kruger CM 105E, metres), so the planted rectangles
have exact planar areas there (zonekit's analysis CRS for these layers is EPSG:4544 too):

  farmland  + YJJBNT99: a 200 m x 100 m rectangle lying inside red line STHX04  -> overlap 20,000 m2
  urban     + KFBJ99:   a 200 m x 150 m rectangle straddling a straight county edge, 50 m of it outside
                        -> outside the county 10,000 m2
  redline   + STHX99:   a bow-tie (100 m square, ring crossing itself at its centre) -> invalid, "Self-intersection"
                        at the centre; MakeValid area 5,000 m2
  districts D3 - a 100 m x 50 m hole (a gap in the zoning)                          -> gap 5,000 m2
  districts D4 - a 0.5 m x 200 m hole (a sliver gap)                                 -> gap 100 m2, sliver 100 m2
  districts D2 + a 40 m x 50 m rectangle inside D3 (a second part of D2)            -> overlap D2/D3 2,000 m2

Places are found by a fixed search (no randomness); the script checks every planted size with OGR and prints them.
Output is byte-identical per run. Run with Debian's python3:  /usr/bin/python3 scripts/make_conflicts.py
"""
import os
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
gdal.SetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00.000Z")

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "layers", "chongzhou")
SRC = os.path.join(ROOT, "chongzhou.gpkg")
OUT = os.path.join(ROOT, "conflicts.gpkg")


def srs(code):
    s = osr.SpatialReference()
    s.ImportFromEPSG(code)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


GEO, GK = srs(4490), srs(4544)
TO_GK = osr.CoordinateTransformation(GEO, GK)


def rect(x0, y0, x1, y1):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)):
        ring.AddPoint_2D(x, y)
    g = ogr.Geometry(ogr.wkbPolygon)
    g.AddGeometry(ring)
    return g


def poly(pts):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in list(pts) + [pts[0]]:
        ring.AddPoint_2D(x, y)
    g = ogr.Geometry(ogr.wkbPolygon)
    g.AddGeometry(ring)
    return g


def multi(*polys):
    m = ogr.Geometry(ogr.wkbMultiPolygon)
    for p in polys:
        if ogr.GT_Flatten(p.GetGeometryType()) == ogr.wkbPolygon:
            m.AddGeometry(p)
        else:
            for i in range(p.GetGeometryCount()):
                m.AddGeometry(p.GetGeometryRef(i).Clone())
    return m


def read(name):
    ds = ogr.Open(SRC)
    lyr = ds.GetLayerByName(name)
    rows = []
    for f in lyr:
        g = f.GetGeometryRef().Clone()
        g.Transform(TO_GK)
        rows.append(({"name": f.GetField("name"), "code": f.GetField("code") if lyr.GetLayerDefn().GetFieldIndex("code") >= 0 else None}, g))
    return rows


def fail(msg):
    print("make_conflicts: " + msg, file=sys.stderr)
    sys.exit(1)


def near(a, b, tol=1e-6):
    return abs(a - b) <= tol * max(1.0, abs(b))


def main():
    county = read("county")[0][1]
    districts = read("districts")
    lines = {n: read(n) for n in ("redline", "farmland", "urban")}
    controls = ogr.Geometry(ogr.wkbMultiPolygon)
    for rows in lines.values():
        for _, g in rows:
            controls = controls.Union(g)
    dist = {attrs["code"]: g for attrs, g in districts}

    def free(g, margin):
        """True when g (buffered by margin) stays clear of every control line and inside the county."""
        return county.Contains(g.Buffer(margin)) and not g.Buffer(margin).Intersects(controls)

    def search(region, size, margin, step=250.0):
        """The first grid point (west to east, south to north) where a size x size square fits in region."""
        x0, x1, y0, y1 = region.GetEnvelope()
        y = y0 + step
        while y < y1:
            x = x0 + step
            while x < x1:
                sq = rect(x, y, x + size, y + size)
                if region.Contains(sq.Buffer(margin)) and free(sq, margin):
                    return x, y
                x += step
            y += step
        fail("no free place found")

    # 1. farmland polygon inside red line STHX04 (its overlap is the whole rectangle)
    sthx04 = [g for a, g in lines["redline"] if a["code"] == "STHX04"][0]
    x0, y0, x1, y1 = None, None, None, None
    ex0, ex1, ey0, ey1 = sthx04.GetEnvelope()
    found = None
    y = ey0 + 100.0
    while y < ey1 and not found:
        x = ex0 + 100.0
        while x < ex1:
            r = rect(x, y, x + 200.0, y + 100.0)
            if sthx04.Contains(r.Buffer(50.0)):
                found = r
                break
            x += 100.0
        y += 100.0
    if not found:
        fail("no place inside STHX04")
    farmland_overlap = found

    # 2. urban polygon straddling a straight county edge: 200 m along it, 100 m inside, 50 m outside
    # (the stored outline has a vertex every 50 m along its straight edges: they are merged back first)
    merged = county.SimplifyPreserveTopology(0.01)  # kept alive: the ring below is a reference into it
    outline = merged.GetGeometryRef(0) if merged.GetGeometryType() == ogr.wkbMultiPolygon else merged
    ring = outline.GetGeometryRef(0)
    pts = [ring.GetPoint_2D(i) for i in range(ring.GetPointCount())]
    crossing = None
    for i in range(len(pts) - 1):
        (ax, ay), (bx, by) = pts[i], pts[i + 1]
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
        if length < 600.0:
            continue
        ux, uy = (bx - ax) / length, (by - ay) / length
        nx, ny = uy, -ux  # right of the edge
        mx, my = (ax + bx) / 2, (ay + by) / 2
        probe = ogr.Geometry(ogr.wkbPoint)
        probe.AddPoint_2D(mx + nx * 10.0, my + ny * 10.0)
        if county.Contains(probe):  # make n point outwards
            nx, ny = -nx, -ny
        sx, sy = mx - ux * 100.0, my - uy * 100.0
        ex, ey = mx + ux * 100.0, my + uy * 100.0
        g = poly([(sx - nx * 100.0, sy - ny * 100.0), (ex - nx * 100.0, ey - ny * 100.0),
                  (ex + nx * 50.0, ey + ny * 50.0), (sx + nx * 50.0, sy + ny * 50.0)])
        inside = g.Intersection(county)
        if g.Buffer(200.0).Intersects(controls):
            continue
        if not near(g.Difference(county).GetArea(), 10000.0, 1e-6):
            continue
        crossing = g
        break
    if not crossing:
        fail("no straight county edge to cross")

    # 3. bow-tie red line polygon in a free place in D5 (west)
    bx, by = search(dist["D5"], 100.0, 300.0)
    bowtie = poly([(bx, by), (bx + 100.0, by + 100.0), (bx + 100.0, by), (bx, by + 100.0)])

    # 4. districts: a 100 m x 50 m hole in D3, a 0.5 m x 200 m sliver hole in D4, a 40 m x 50 m part of D2 inside D3
    gx, gy = search(dist["D3"], 100.0, 100.0, 100.0)
    gap = rect(gx, gy, gx + 100.0, gy + 50.0)
    ox, oy = gx, gy + 200.0
    overlap = rect(ox, oy, ox + 40.0, oy + 50.0)
    if not dist["D3"].Contains(overlap.Buffer(50.0)):
        fail("overlap rectangle not inside D3")
    sx, sy = search(dist["D4"], 200.0, 100.0)
    sliver = rect(sx, sy, sx + 200.0, sy + 0.5)

    new_districts = []
    for attrs, g in districts:
        if attrs["code"] == "D3":
            g = g.Difference(gap)
        elif attrs["code"] == "D4":
            g = g.Difference(sliver)
        elif attrs["code"] == "D2":
            g = multi(g, overlap)
        new_districts.append((attrs, multi(g)))

    # Verify the planted sizes.
    checks = [
        ("farmland/redline overlap", farmland_overlap.Intersection(sthx04).GetArea(), 20000.0),
        ("urban outside county", crossing.Difference(county).GetArea(), 10000.0),
        ("bow-tie MakeValid area", bowtie.MakeValid().GetArea(), 5000.0),
        ("district gap", gap.GetArea(), 5000.0),
        ("district sliver gap", sliver.GetArea(), 100.0),
        ("district overlap", overlap.GetArea(), 2000.0),
    ]
    for what, got, want in checks:
        if not near(got, want, 1e-6):
            fail("{}: {} m2, expected {}".format(what, got, want))
    if bowtie.IsValid():
        fail("the bow-tie is valid")

    if os.path.exists(OUT):
        os.remove(OUT)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(OUT)

    def write(name, rows):
        lyr = ds.CreateLayer(name, GK, ogr.wkbMultiPolygon)
        lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
        lyr.CreateField(ogr.FieldDefn("code", ogr.OFTString))
        for attrs, g in rows:
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("name", attrs["name"])
            if attrs.get("code"):
                f.SetField("code", attrs["code"])
            f.SetGeometry(multi(g))
            lyr.CreateFeature(f)

    write("county", [({"name": "崇州市", "code": "510184"}, county)])
    write("districts", new_districts)
    write("redline", lines["redline"] + [({"name": "蝴蝶形错误图斑（植入）", "code": "STHX99"}, bowtie)])
    write("farmland", lines["farmland"] + [({"name": "与红线重叠的农田（植入）", "code": "YJJBNT99"}, farmland_overlap)])
    write("urban", lines["urban"] + [({"name": "越出县界的开发边界（植入）", "code": "KFBJ99"}, crossing)])
    ds = None

    for what, got, want in checks:
        print("{:<28} {:>12.3f} m2".format(what, got))
    print("bow-tie self-intersection at ({:.3f}, {:.3f})".format(bx + 50.0, by + 50.0))
    print("wrote " + os.path.relpath(OUT))


if __name__ == "__main__":
    main()
