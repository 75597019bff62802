#!/usr/bin/python3
"""Make tests/data/bad/: small broken or awkward inputs that zonekit must meet with a clear message and exit
code 2 (or a warning and a correct result where the input is usable), never a crash.

  /usr/bin/python3 scripts/make_bad_corpus.py [--out DIR]      (default DIR = tests/data/bad)

Each case is a function below that writes its file(s) and returns one line for DIR/README.md: the case, how it
is made, what zonekit does with it. tests/cli/test_bad_input_cli.cpp runs every command on them (the expected
outcome of each case is written there too, and the test fails when a file here is not covered by a case).

The files are committed; the generator is only needed to change them. Python 3 stdlib + osgeo (Debian's
python3-gdal, /usr/bin/python3). Output is byte-identical per run: GeoPackage timestamps are fixed
(OGR_CURRENT_DATE), DBF dates are fixed, GeoPackages are VACUUMed into 512-byte pages to keep them small.

Coordinates: projected cases are 100 m squares near (500000, 3400000) in EPSG:4544 (CGCS2000 / 3-degree
Gauss-Kruger CM 105E), 10,000 m2 each; geographic cases are 0.01 degree cells near 103.6E 30.7N in EPSG:4490.
"""
import argparse
import json
import os
import sqlite3
import struct

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
gdal.SetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00.000Z")

HERE = os.path.dirname(os.path.abspath(__file__))
X0, Y0 = 500000.0, 3400000.0
README_HEAD = """# tests/data/bad — the bad-input corpus

Made by `scripts/make_bad_corpus.py` (`/usr/bin/python3 scripts/make_bad_corpus.py`; byte-identical per run; do
not edit by hand). `tests/cli/test_bad_input_cli.cpp` runs them through every command and checks, for each: the
exit code (2, or 0/1 with a warning and a correct result where the input is usable), a message that names the
file (and the layer and feature where there is one) and says what to do, no raw GDAL/GEOS text, no crash and
no sanitizer report (the suite also runs under ASan+UBSan), and the input's bytes unchanged. A file added here
without a case in that test fails it.

Projected cases are 100 m squares (10,000 m²) near (500000, 3400000) in EPSG:4544; geographic ones 0.01° cells
near 103.6°E 30.7°N in EPSG:4490.

| case | files | how it is made | expected (`zonekit area` unless said) |
|---|---|---|---|
"""


def srs(code):
    s = osr.SpatialReference()
    s.ImportFromEPSG(code)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def square(i, size=100.0):
    x, y = X0 + 200.0 * i, Y0
    return "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, y, x + size, y + size)


def cell(i):
    x, y = 103.60 + 0.02 * i, 30.70
    return "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, y, x + 0.01, y + 0.01)


class Corpus:
    def __init__(self, out):
        self.out = out
        self.rows = []

    def path(self, name):
        return os.path.join(self.out, name)

    def remove(self, *names):
        for n in names:
            if os.path.exists(self.path(n)):
                os.remove(self.path(n))

    def row(self, case, files, how, expected):
        self.rows.append("| {} | {} | {} | {} |".format(case, ", ".join("`%s`" % f for f in files), how, expected))

    # A GeoPackage layer of (geometry, name) features; geometry is WKT, an ogr.Geometry, or None.
    def gpkg(self, name, layer, features, code=4544, gtype=ogr.wkbPolygon, fields=("name",)):
        p = self.path(name)
        self.remove(name)
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(p)
        lyr = ds.CreateLayer(layer, srs(code) if code else None, gtype, options=["SPATIAL_INDEX=NO"])
        for f in fields:
            lyr.CreateField(ogr.FieldDefn(f, ogr.OFTString))
        for geom, *values in features:
            feat = ogr.Feature(lyr.GetLayerDefn())
            for k, v in enumerate(values):
                feat.SetField(k, v)
            if geom is not None:
                feat.SetGeometry(ogr.CreateGeometryFromWkt(geom) if isinstance(geom, str) else geom)
            lyr.CreateFeature(feat)
        ds = None
        compact(p)
        return p

    def shapefile(self, stem, features, code=4544, encoding="UTF-8"):
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            self.remove(stem + ext)
        ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(self.path(stem + ".shp"))
        lyr = ds.CreateLayer(stem, srs(code) if code else None, ogr.wkbPolygon, options=["ENCODING=" + encoding])
        lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
        for geom, value in features:
            feat = ogr.Feature(lyr.GetLayerDefn())
            feat.SetField(0, value)
            feat.SetGeometry(ogr.CreateGeometryFromWkt(geom))
            lyr.CreateFeature(feat)
        ds = None
        fix_dbf_date(self.path(stem + ".dbf"))

    def text(self, name, content):
        with open(self.path(name), "wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)


def compact(path):
    con = sqlite3.connect(path)
    con.execute("PRAGMA page_size=512")
    con.execute("VACUUM")
    con.close()


def fix_dbf_date(path):
    with open(path, "r+b") as f:
        f.seek(1)
        f.write(bytes([124, 1, 1]))  # 2024-01-01


def truncate(path, size):
    with open(path, "r+b") as f:
        f.truncate(size)


def dbf(fields, records, ldid=0):
    """A dBASE III file: fields are (name bytes, width) character fields; records are lists of bytes."""
    header_len = 32 + 32 * len(fields) + 1
    record_len = 1 + sum(w for _, w in fields)
    out = bytearray(struct.pack("<B3BIHH", 3, 124, 1, 1, len(records), header_len, record_len))
    out += bytes(17) + bytes([ldid]) + bytes(2)
    for name, width in fields:
        out += name[:10].ljust(11, b"\0") + b"C" + bytes(4) + bytes([width, 0]) + bytes(14)
    out += b"\r"
    for rec in records:
        out += b" " + b"".join(v[:w].ljust(w, b" ") for v, (_, w) in zip(rec, fields))
    out += b"\x1a"
    return bytes(out)


def geojson(features, crs=None):
    doc = {"type": "FeatureCollection"}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    doc["features"] = features
    return json.dumps(doc, ensure_ascii=False, indent=1)


def gj_feature(name, coords, gtype="Polygon"):
    return {"type": "Feature", "properties": {"name": name}, "geometry": {"type": gtype, "coordinates": coords}}


def ring(i):
    x, y = X0 + 200.0 * i, Y0
    return [[x, y], [x + 100, y], [x + 100, y + 100], [x, y + 100], [x, y]]


def make(c):
    # ---- damaged files ----------------------------------------------------------------------------------
    p = c.gpkg("truncated.gpkg", "zones", [(square(i), "z%d" % i) for i in range(40)])
    truncate(p, os.path.getsize(p) // 2)
    c.row("truncated GeoPackage", ["truncated.gpkg"], "40 squares, cut to half its bytes",
          "exit 2: cannot read it (GDAL: database disk image is malformed)")
    c.text("zero_bytes.gpkg", b"")
    c.row("zero-byte GeoPackage", ["zero_bytes.gpkg"], "an empty file", "exit 2: the file is empty (0 bytes); copy it again")

    c.shapefile("truncated", [(square(i), "z%d" % i) for i in range(3)])
    truncate(c.path("truncated.shp"), 100 + 8 + 60)  # header, then half of the first record
    c.row("truncated Shapefile", ["truncated.shp", ".shx", ".dbf", ".prj", ".cpg"],
          "3 squares, `.shp` cut inside the first record",
          "exit 2: feature 0 has a damaged geometry, which GDAL cannot read (its fread error); `--skip-damaged` leaves "
          "features 0–2 out, and then nothing is left to measure")
    c.shapefile("zero_bytes", [(square(0), "z0")])
    truncate(c.path("zero_bytes.shp"), 0)
    c.row("zero-byte Shapefile", ["zero_bytes.shp", ".shx", ".dbf", ".prj", ".cpg"],
          "a good shapefile whose `.shp` is emptied", "exit 2: the file is empty (0 bytes)")
    c.shapefile("truncated_dbf", [(square(i), "z%d" % i) for i in range(3)])
    truncate(c.path("truncated_dbf.dbf"), os.path.getsize(c.path("truncated_dbf.dbf")) - 90)
    c.row("truncated `.dbf`", ["truncated_dbf.shp", ".shx", ".dbf", ".prj", ".cpg"],
          "3 squares, `.dbf` cut inside the second record",
          "exit 2: cannot read the layer (GDAL's fread error); the file may be truncated or damaged")

    text = geojson([gj_feature("z%d" % i, [ring(i)]) for i in range(3)], "urn:ogc:def:crs:EPSG::4544")
    c.text("truncated.geojson", text[: len(text) // 2])
    c.row("truncated GeoJSON", ["truncated.geojson"], "3 squares, text cut in half",
          "exit 2: cannot read, with GDAL's parse error")
    c.text("zero_bytes.geojson", b"")
    c.row("zero-byte GeoJSON", ["zero_bytes.geojson"], "an empty file", "exit 2: the file is empty (0 bytes)")
    c.text("not_geojson.geojson", "[1, 2, 3]\n")
    c.row("JSON that is not GeoJSON", ["not_geojson.geojson"], "`[1, 2, 3]`", "exit 2: cannot read")

    c.shapefile("no_shx", [(square(0), "z0")])
    c.remove("no_shx.shx")
    c.row("Shapefile without `.shx`", ["no_shx.shp", ".dbf", ".prj", ".cpg"], "the `.shx` deleted",
          "exit 2: the `.shx` is missing: copy a Shapefile's files together, or let GDAL rebuild it "
          "(`ogrinfo --config SHAPE_RESTORE_SHX YES`, which writes it beside the `.shp`; zonekit never does)")
    c.shapefile("no_dbf", [(square(0), "z0"), (square(1), "z1")])
    c.remove("no_dbf.dbf", "no_dbf.cpg")
    c.row("Shapefile without `.dbf`", ["no_dbf.shp", ".shx", ".prj"], "the `.dbf` deleted",
          "exit 2: the `.dbf`, its attribute table, is missing")
    # The .shx (the index of the shapes) and the .dbf (the attributes) disagree on how many records there are.
    c.shapefile("shx_short", [(square(i), "z%d" % i) for i in range(4)])
    shx = c.path("shx_short.shx")
    truncate(shx, 100 + 8)  # the header and the first record's entry
    with open(shx, "r+b") as f:
        f.seek(24)
        f.write(struct.pack(">i", (100 + 8) // 2))  # the file length, in 16-bit words
    c.row("`.shx` shorter than the `.dbf`", ["shx_short.shp", ".shx", ".dbf", ".prj", ".cpg"],
          "4 squares; the `.shx` cut to its first record (header length fixed)",
          "exit 2: the `.shx` lists 1 record and the `.dbf` 4: rebuild the `.shx` "
          "(`ogrinfo --config SHAPE_RESTORE_SHX YES`) or copy the Shapefile's files again")
    c.shapefile("shx_long", [(square(i), "z%d" % i) for i in range(3)])
    dbf_path = c.path("shx_long.dbf")
    with open(dbf_path, "r+b") as f:
        head = f.read(12)
        header_len, record_len = struct.unpack("<HH", head[8:12])
        f.seek(4)
        f.write(struct.pack("<I", 2))  # 2 records
        f.truncate(header_len + 2 * record_len)
        f.seek(header_len + 2 * record_len)
        f.write(b"\x1a")
    c.row("`.dbf` shorter than the `.shx`", ["shx_long.shp", ".shx", ".dbf", ".prj", ".cpg"],
          "3 squares; the `.dbf` cut to its first 2 records (header count fixed)",
          "exit 2: the `.shx` lists 3 records and the `.dbf` 2: rebuild the `.shx` or copy the Shapefile's files "
          "again")

    p = c.gpkg("corrupt_blob.gpkg", "zones", [(square(0), "good"), (square(1), "bad")])
    con = sqlite3.connect(p)
    con.execute("UPDATE zones SET geom = X'4750000100000000DEADBEEF0102' WHERE fid = 2")
    con.commit()
    con.close()
    c.row("corrupt geometry blob", ["corrupt_blob.gpkg"],
          "feature 2's GeoPackage geometry replaced by a header and 6 garbage bytes",
          "exit 2: feature 2 has a damaged geometry, which GDAL cannot read (Unable to read geometry); `--skip-empty` "
          "does not pass it; `--skip-damaged` leaves it out, says so, and measures the rest (10,000 m²)")

    # ---- coordinates ------------------------------------------------------------------------------------
    x, y = X0, Y0
    c.text("nan_coords.geojson", '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": '
           '"urn:ogc:def:crs:EPSG::4544"}}, "features": [\n{"type": "Feature", "properties": {"name": "nan"}, '
           '"geometry": {"type": "Polygon", "coordinates": [[[%.1f, %.1f], [NaN, %.1f], [%.1f, %.1f], [%.1f, %.1f]]]}}'
           ']}\n' % (x, y, y, x + 100, y + 100, x, y))
    c.row("NaN coordinate (GeoJSON)", ["nan_coords.geojson"], "`NaN` written as a coordinate",
          "exit 2: feature 0 has a coordinate that is not a number (NaN)")
    c.text("infinity_coords.geojson", '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": '
           '"urn:ogc:def:crs:EPSG::4544"}}, "features": [\n{"type": "Feature", "properties": {"name": "inf"}, '
           '"geometry": {"type": "Polygon", "coordinates": [[[%.1f, %.1f], [Infinity, %.1f], [%.1f, %.1f], '
           '[%.1f, %.1f]]]}}]}\n' % (x, y, y, x + 100, y + 100, x, y))
    c.row("Infinity coordinate (GeoJSON)", ["infinity_coords.geojson"], "`Infinity` written as a coordinate",
          "exit 2: feature 0 has coordinates that are not finite")
    g = ogr.Geometry(ogr.wkbPolygon)
    r = ogr.Geometry(ogr.wkbLinearRing)
    for px, py in ((x, y), (float("nan"), y), (x + 100, y + 100), (x, y)):
        r.AddPoint_2D(px, py)
    g.AddGeometry(r)
    c.gpkg("nan_coords.gpkg", "zones", [(square(0), "good"), (g, "nan")])
    c.row("NaN coordinate (GeoPackage)", ["nan_coords.gpkg"], "a WKB ring with a NaN x",
          "exit 2: feature 2 has a coordinate that is not a number (NaN)")
    c.text("string_coords.geojson", geojson([gj_feature("strings", [[[str(a), str(b)] for a, b in ring(0)]])],
                                            "urn:ogc:def:crs:EPSG::4544"))
    c.row("strings as coordinates (GeoJSON)", ["string_coords.geojson"], '`["500000.0", "3400000.0"]`',
          "exit 2: feature 0 has a damaged geometry, which GDAL cannot read (Invalid 'y' coordinate …); "
          "`--skip-damaged`")
    c.gpkg("huge_coords.gpkg", "zones", [(square(0), "good"),
                                          ("POLYGON((0 0,1e300 0,1e300 1e300,0 1e300,0 0))", "huge")])
    c.row("huge coordinates, projected", ["huge_coords.gpkg"], "a square of side 1e300 in EPSG:4544",
          "exit 2: feature 2 has coordinates that are absurdly large")
    c.text("huge_coords_4490.geojson", geojson([gj_feature("huge", [[[0, 0], [1e300, 0], [1e300, 1e300],
                                                                      [0, 1e300], [0, 0]]])]))
    c.row("huge coordinates, geographic", ["huge_coords_4490.geojson"], "a square of side 1e300 in WGS 84",
          "exit 2: coordinates beyond ±180°/±90° in a geographic CRS: the CRS is wrong (`--assume-crs`) or "
          "features are broken")
    c.text("far_coords.geojson", geojson([gj_feature("far", [[[0, 0], [2e8, 0], [2e8, 2e8], [0, 2e8], [0, 0]]])],
                                         "urn:ogc:def:crs:EPSG::4544"))
    c.row("coordinates 200,000 km away, projected", ["far_coords.geojson"], "a square of side 2×10⁸ m in EPSG:4544",
          "exit 2: feature 0 is more than 100,000 km from the CRS's origin: no real place (`--assume-crs`)")

    # ---- geometry -----------------------------------------------------------------------------------------
    c.text("unclosed_ring.geojson", geojson([gj_feature("open", [ring(0)[:4]])], "urn:ogc:def:crs:EPSG::4544"))
    c.row("unclosed ring (GeoJSON)", ["unclosed_ring.geojson"], "a square's ring without its closing point",
          "exit 0: the ring is closed and feature 0 listed as repaired (10,000 m²); exit 2 with `--strict`")
    g = ogr.Geometry(ogr.wkbPolygon)
    r = ogr.Geometry(ogr.wkbLinearRing)
    for px, py in ring(1)[:4]:
        r.AddPoint_2D(px, py)
    g.AddGeometry(r)
    c.gpkg("unclosed_ring.gpkg", "zones", [(square(0), "good"), (g, "open")])
    c.row("unclosed ring (GeoPackage)", ["unclosed_ring.gpkg"], "a WKB ring of 4 points, last ≠ first",
          "exit 0: the ring is closed and feature 2 listed as repaired (20,000 m² in all); exit 2 with `--strict`")
    c.gpkg("short_ring.gpkg", "zones", [(square(0), "good"),
                                         ("POLYGON((%f %f,%f %f,%f %f))" % (x, y, x + 100, y, x, y), "short")])
    c.row("ring of fewer than 4 points", ["short_ring.gpkg"], "a closed ring of 3 points",
          "exit 0: feature 2 (Too few points) is repaired to nothing and listed (10,000 m² in all); exit 2 with "
          "`--strict`")
    c.gpkg("empty_geometry.gpkg", "zones", [(square(0), "good"), ("POLYGON EMPTY", "empty")])
    c.row("empty geometry", ["empty_geometry.gpkg"], "`POLYGON EMPTY`",
          "exit 2: feature 2: empty geometry; `--skip-empty` counts it as 0 (10,000 m²)")
    c.gpkg("null_geometry.gpkg", "zones", [(square(0), "good"), (None, "null")])
    c.row("null geometry", ["null_geometry.gpkg"], "no geometry",
          "exit 2: feature 2: null geometry; `--skip-empty` counts it as 0 (10,000 m²)")
    c.gpkg("geometry_collection.gpkg", "zones",
           [(square(0), "good"), ("GEOMETRYCOLLECTION(%s,LINESTRING(%f %f,%f %f))"
                                  % (square(1), x, y, x + 50, y + 50), "gc")], gtype=ogr.wkbUnknown)
    c.row("GeometryCollection", ["geometry_collection.gpkg"], "a polygon and a line in one GeometryCollection",
          "exit 0 with a warning: its polygon is measured, its line is not (20,000 m² in all); `overlay`, "
          "`tabulate` and `check no-overlap` stop (exit 2) naming feature 2")
    c.gpkg("polygon_z.gpkg", "zones",
           [("POLYGON Z((%f %f 5,%f %f 6,%f %f 7,%f %f 8,%f %f 5))" % (x, y, x + 100, y, x + 100, y + 100, x,
                                                                      y + 100, x, y), "z")], gtype=ogr.wkbPolygon25D)
    c.row("3D polygon", ["polygon_z.gpkg"], "POLYGON Z", "exit 0: warns that Z is dropped; 10,000 m²")
    c.gpkg("polygon_m.gpkg", "zones",
           [("POLYGON M((%f %f 5,%f %f 6,%f %f 7,%f %f 8,%f %f 5))" % (x, y, x + 100, y, x + 100, y + 100, x,
                                                                      y + 100, x, y), "m")], gtype=ogr.wkbPolygonM)
    c.row("M polygon", ["polygon_m.gpkg"], "POLYGON M", "exit 0: warns that M is dropped; 10,000 m²")
    c.gpkg("mixed_types.gpkg", "zones", [(square(0), "polygon"), ("POINT(%f %f)" % (x, y), "point"),
                                          ("LINESTRING(%f %f,%f %f)" % (x, y, x + 10, y), "line")],
           gtype=ogr.wkbUnknown)
    c.row("mixed geometry types", ["mixed_types.gpkg"], "a polygon, a point and a line in one layer",
          "exit 2: feature 2 is a Point; area measures polygons")
    c.gpkg("curve_polygon.gpkg", "zones",
           [("CURVEPOLYGON(CIRCULARSTRING(%f %f,%f %f,%f %f))" % (x, y, x + 100, y, x, y), "circle")],
           gtype=ogr.wkbCurvePolygon)
    c.row("curved polygon", ["curve_polygon.gpkg"], "a circle of diameter 100 m as a CURVEPOLYGON",
          "exit 0: linearised by GDAL (a vertex every 4°): 7,847.74 m² (the circle: 7,853.98)")

    # ---- attributes and text ------------------------------------------------------------------------------
    c.shapefile("duplicate_fields", [(square(0), "a"), (square(1), "b")])
    c.text("duplicate_fields.dbf", dbf([(b"NAME", 10), (b"NAME", 10)],
                                       [[b"a", b"first"], [b"b", b"second"]]))
    c.row("duplicate field names", ["duplicate_fields.shp", ".shx", ".dbf", ".prj", ".cpg"],
          "a `.dbf` with two fields called `NAME`",
          "exit 0, and said: the second is read (and written) as `NAME_2`")
    c.shapefile("gbk_no_cpg", [(square(0), "x"), (square(1), "y")])
    c.remove("gbk_no_cpg.cpg")
    c.text("gbk_no_cpg.dbf", dbf([("名称".encode("gbk"), 20), (b"CODE", 6)],
                                 [["城市中央活力区".encode("gbk"), b"D1"], ["天府粮仓".encode("gbk"), b"D2"]]))
    c.row("GBK names and values, no `.cpg`", ["gbk_no_cpg.shp", ".shx", ".dbf", ".prj"],
          "field `名称` and its values in GBK, language driver id 0, no `.cpg`",
          "exit 0: detected as CP936 and said so; `--by 名称` gives 城市中央活力区, 天府粮仓")

    # ---- CRS ------------------------------------------------------------------------------------------------
    c.shapefile("no_crs", [(square(0), "z0")])
    c.remove("no_crs.prj")
    c.row("no CRS", ["no_crs.shp", ".shx", ".dbf", ".cpg"], "no `.prj`",
          "exit 2: names the layer, asks for `--assume-crs EPSG:n`")
    c.gpkg("crs_4544.gpkg", "zones", [(square(0), "gk")])
    c.row("layers in different CRSs", ["crs_4544.gpkg", "crs_4490.geojson"],
          "a square in EPSG:4544, and that square's corners in EPSG:4490",
          "exit 0 (overlay, tabulate, check): both read in EPSG:4544, one said to be reprojected")
    to_geo = osr.CoordinateTransformation(srs(4544), srs(4490))
    corners = [list(to_geo.TransformPoint(px, py)[:2]) for px, py in ring(0)]
    c.text("crs_4490.geojson", geojson([gj_feature("geo", [[[round(v, 10) for v in pt] for pt in corners]])],
                                       "urn:ogc:def:crs:EPSG::4490"))
    c.text("unknown_epsg.geojson", geojson([gj_feature("z0", [ring(0)])], "urn:ogc:def:crs:EPSG::99999"))
    c.row("unknown EPSG code", ["unknown_epsg.geojson"], "`crs` names EPSG:99999",
          "exit 2: coordinates beyond ±180°/±90° for the WGS 84 GDAL falls back to, with GDAL's `crs not found`; "
          "`--assume-crs EPSG:4544` gives 10,000 m²")
    c.shapefile("garbage_prj", [(square(0), "z0")])
    c.text("garbage_prj.prj", "PROJCS[\"nonsense\",GEOGCS[\n")
    c.row("unreadable `.prj`", ["garbage_prj.shp", ".shx", ".dbf", ".prj", ".cpg"], "a `.prj` cut short",
          "exit 2: no CRS that GDAL can read (the `.prj` is not a CRS); `--assume-crs`")

    # ---- project files ---------------------------------------------------------------------------------------
    c.gpkg("plan.gpkg", "zones", [(square(0), "z0"), (square(1), "z1")])
    c.row("(a good layer for the project files)", ["plan.gpkg"], "two squares", "exit 0")
    good_layers = '[layers.a]\npath = "plan.gpkg"\nlayer = "zones"\n\n[layers.b]\npath = "plan.gpkg"\nlayer = "zones"\n'
    rule = '\n[[rules]]\nrule = "no-overlap"\nlayers = ["a", "b"]\n'
    projects = [
        ("syntax_error.toml", good_layers + '\n[[rules]\nrule = "valid"\n', "a `[[rules]` header without its `]`",
         "exit 2: TOML syntax error with line and column"),
        ("missing_key.toml", '[layers.a]\nlayer = "zones"\n' + '\n[[rules]]\nrule = "valid"\nlayer = "a"\n',
         "a layer without `path`", "exit 2: `[layers.a] needs 'path'` with line"),
        ("wrong_type.toml", '[layers.a]\npath = 42\n' + '\n[[rules]]\nrule = "valid"\nlayer = "a"\n',
         "`path = 42`", "exit 2: 'path' must be a string, with line and column"),
        ("wrong_type_list.toml", good_layers + '\n[[rules]]\nrule = "no-overlap"\nlayers = "a, b"\n',
         "`layers = \"a, b\"`", "exit 2: must be a list of layer names"),
        ("unknown_rule.toml", good_layers + '\n[[rules]]\nrule = "no-overlaps"\nlayers = ["a", "b"]\n',
         "`rule = \"no-overlaps\"`", "exit 2: unknown rule, the rules listed"),
        ("missing_layer.toml", good_layers + '\n[[rules]]\nrule = "valid"\nlayer = "c"\n', "a rule naming layer `c`",
         "exit 2: the rule names an undeclared layer, the layers listed"),
        ("missing_file.toml", good_layers.replace("plan.gpkg", "nowhere.gpkg", 1) + rule,
         "a layer whose file does not exist", "exit 2: file not found, with the project file's layer and line"),
        ("bad_layer_file.toml", good_layers.replace("plan.gpkg", "truncated.gpkg", 1) + rule,
         "a layer in `truncated.gpkg`", "exit 2: cannot read, names the file, the layer and its line"),
        ("unknown_epsg.toml", good_layers + 'assume_crs = "EPSG:99999"\n' + rule, "`assume_crs = \"EPSG:99999\"`",
         "exit 2: unknown CRS, with line and column"),
        ("empty.toml", "", "an empty file", "exit 2: no layers declared"),
        ("not_utf8.toml", ('[layers.a]\npath = "plan.gpkg"\nkey = "名称"\n').encode("gbk") + rule.encode(),
         "a key in GBK bytes", "exit 2: TOML syntax error (not UTF-8) with line and column"),
    ]
    for name, content, how, expected in projects:
        c.text(name, content)
        c.row("project file: " + how, [name], how, expected + " (`check`, `resolve`)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "..", "tests", "data", "bad"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    c = Corpus(args.out)
    make(c)
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as f:
        f.write(README_HEAD + "\n".join(c.rows) + "\n")
    total = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print("wrote %d cases, %d files, %d bytes to %s" % (len(c.rows), len(os.listdir(args.out)), total, args.out))


if __name__ == "__main__":
    main()
