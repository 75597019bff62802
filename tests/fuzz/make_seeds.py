#!/usr/bin/python3
"""Write the seed inputs of the fuzz targets (committed; run again only to change them):

  tests/fuzz/corpus-geometry/  one control byte + WKB (see fuzz_geometry.cpp): squares, holes, multipolygons,
                               bow-ties, unclosed and short rings, NaN, 1e300, Z, M, curves, collections, points,
                               lines, empties — in EPSG:4544 (near the fixed square) and EPSG:4490.
  tests/fuzz/corpus-project/   project files: the bundled ones, the bad-input corpus's ones, and small variants.

/usr/bin/python3 tests/fuzz/make_seeds.py  (Debian's python3 with python3-gdal)
"""
import glob
import os
import shutil
import struct

from osgeo import ogr

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")


def geometry_seeds():
    out = os.path.join(HERE, "corpus-geometry")
    for f in glob.glob(os.path.join(out, "seed-*")):
        os.remove(f)
    m = [(500000, 3400000, 100), (103.60, 30.70, 0.01)]  # near the fixed B of each CRS

    def sq(x, y, s, dx=0.0, dy=0.0):
        x, y = x + dx * s, y + dy * s
        return "(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, y, x + s, y + s)

    def shapes(x, y, s):
        h = s / 2
        return {
            "square": "POLYGON" + sq(x, y, s),
            "straddling": "POLYGON" + sq(x, y, s, 0.5, 0.5),
            "outside": "POLYGON" + sq(x, y, s, 3, 3),
            "hole": "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}),({4} {5},{6} {5},{6} {7},{4} {7},{4} {5}))".format(
                x - h, y - h, x + s + h, y + s + h, x + h / 2, y + h / 2, x + h, y + h),
            "multi": "MULTIPOLYGON(" + sq(x, y, s, -0.5, 0) + "," + sq(x, y, s, 1.2, 0) + ")",
            "bowtie": "POLYGON(({0} {1},{2} {3},{2} {1},{0} {3},{0} {1}))".format(x, y, x + s, y + s),
            "line": "LINESTRING({0} {1},{2} {3})".format(x, y, x + s, y + s),
            "point": "POINT({0} {1})".format(x + h, y + h),
            "collection": "GEOMETRYCOLLECTION(POLYGON" + sq(x, y, s, 0.5, 0) + ",LINESTRING({0} {1},{2} {3}))".format(
                x, y, x + s, y),
            "z": "POLYGON Z(({0} {1} 1,{2} {1} 2,{2} {3} 3,{0} {3} 4,{0} {1} 1))".format(x, y, x + s, y + s),
            "m": "MULTIPOLYGON M((({0} {1} 1,{2} {1} 2,{2} {3} 3,{0} {3} 4,{0} {1} 1)))".format(x, y, x + s, y + s),
            "curve": "CURVEPOLYGON(CIRCULARSTRING({0} {1},{2} {1},{0} {1}))".format(x, y, x + s),
            "multisurface": "MULTISURFACE(CURVEPOLYGON(COMPOUNDCURVE(CIRCULARSTRING({0} {1},{2} {3},{4} {1}),"
                            "({4} {1},{0} {1}))))".format(x, y, x + h, y + h, x + s),
            "empty": "POLYGON EMPTY",
            "empty_multi": "MULTIPOLYGON EMPTY",
            "triangle_tin": "TIN Z((({0} {1} 0,{2} {1} 0,{0} {3} 0,{0} {1} 0)))".format(x, y, x + s, y + s),
        }

    n = 0
    for crs in (0, 1):
        for name, wkt in shapes(*m[crs]).items():
            g = ogr.CreateGeometryFromWkt(wkt)
            for control in (crs, crs | 2, crs | (1 << 2) | 2, crs | (6 << 2)):
                with open(os.path.join(out, "seed-%s-%d-%02x" % (name, crs, control)), "wb") as f:
                    f.write(bytes([control]) + g.ExportToIsoWkb())
                n += 1
    # WKB that OGR's geometry builders would not make: an unclosed ring, a 3-point ring, NaN, 1e300, a ring count
    # larger than the data, big-endian.
    x, y, s = m[0]
    raw = {
        "unclosed": (1, 3, 1, [4], [(x, y), (x + s, y), (x + s, y + s), (x, y + s)]),
        "short": (1, 3, 1, [3], [(x, y), (x + s, y), (x, y)]),
        "nan": (1, 3, 1, [5], [(x, y), (float("nan"), y), (x + s, y + s), (x, y + s), (x, y)]),
        "huge": (1, 3, 1, [5], [(0, 0), (1e300, 0), (1e300, 1e300), (0, 1e300), (0, 0)]),
        "inf": (1, 3, 1, [5], [(x, y), (float("inf"), y), (x + s, y + s), (x, y + s), (x, y)]),
    }
    for name, (order, gtype, nrings, counts, pts) in raw.items():
        body = struct.pack("<BII", order, gtype, nrings)
        for c in counts:
            body += struct.pack("<I", c)
        for px, py in pts:
            body += struct.pack("<dd", px, py)
        for control in (0, 2):
            with open(os.path.join(out, "seed-raw-%s-%02x" % (name, control)), "wb") as f:
                f.write(bytes([control]) + body)
            n += 1
    big = ogr.CreateGeometryFromWkt(shapes(*m[0])["hole"]).ExportToWkb(ogr.wkbXDR)
    with open(os.path.join(out, "seed-raw-bigendian-00"), "wb") as f:
        f.write(b"\0" + big)
    return n + 1


def project_seeds():
    out = os.path.join(HERE, "corpus-project")
    for f in glob.glob(os.path.join(out, "seed-*")):
        os.remove(f)
    files = sorted(glob.glob(os.path.join(ROOT, "layers", "chongzhou", "*.toml")) +
                   glob.glob(os.path.join(ROOT, "tests", "data", "bad", "*.toml")))
    for p in files:
        shutil.copyfile(p, os.path.join(out, "seed-" + os.path.basename(p)))
    extra = {
        "seed-every-rule.toml": """[project]
name = "x"
crs = "EPSG:4544"
min_area = 0.5

[layers.b]
path = "b.gpkg"
key = "name"
[layers.r]
path = "p.gpkg"
layer = "r"
where = "code <> 'X'"
assume_crs = "EPSG:4490"
encoding = "GBK"
role = "redline"
[layers.f]
path = "/abs/p.gpkg"
layer = "f"

[[rules]]
rule = "no-overlap"
layers = ["r", "f"]
[[rules]]
rule = "no-self-overlap"
layer = "r"
[[rules]]
rule = "covers"
boundary = "b"
layers = ["r", "f"]
[[rules]]
rule = "within"
layer = "r"
boundary = "b"
[[rules]]
rule = "valid"
layers = ["b", "r"]
[[rules]]
rule = "slivers"
layer = "f"
max_width = 2.0
min_area = 3
[[rules]]
rule = "clearance"
layer = "r"
from = "f"
distance = 50
description = "keep apart"
[[rules]]
rule = "sanxian"
boundary = "b"
layers = ["r", "f", "b"]

[outputs]
dir = "out"
""",
        "seed-inline.toml": 'layers = { a = { path = "a.gpkg" } }\nrules = [ { rule = "valid", layer = "a" } ]\n',
        "seed-unicode.toml": '[layers."红线"]\npath = "红线.gpkg"\n[[rules]]\nrule = "valid"\nlayer = "红线"\n',
    }
    for name, text in extra.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)
    return len(files) + len(extra)


if __name__ == "__main__":
    print("geometry seeds: %d, project seeds: %d" % (geometry_seeds(), project_seeds()))
