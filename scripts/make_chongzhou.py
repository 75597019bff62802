#!/usr/bin/python3
"""Generate the ILLUSTRATIVE, NOT OFFICIAL sample data for Chongzhou (崇州市, Sichuan): chongzhou.gpkg
(EPSG:4490, lon/lat) and a GBK Shapefile copy of the districts (no .cpg, DBF LDID 0x4D) in layers/chongzhou/.
Shapes are fixed formulas plus random.Random(SEED), built in EPSG:4544 (CGCS2000 3-degree GK CM 105E, metres)
in a local km frame centred on 103.60E 30.70N; partitions come from noding shared lines (GEOS) and
polygonizing. Before they are stored in lon/lat, lines and rings get a vertex at least every SEGMENT_M metres:
an edge is straight in the CRS it is stored in (zonekit follows it so), and a 50 m edge straight in EPSG:4544
is straight in EPSG:4490 to within 0.03 mm, so partitions made in EPSG:4544 stay partitions in EPSG:4490. Everything is read back and verified; any failure exits 1. Output is byte-identical per run.
Run with Debian's python3 (apt-get install -y python3-gdal):  /usr/bin/python3 scripts/make_chongzhou.py
"""
import collections
import glob
import math
import os
import random
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
gdal.SetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00.000Z")  # stable gpkg_contents.last_change

SEED = 510184
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "layers", "chongzhou")
GPKG = os.path.join(ROOT, "chongzhou.gpkg")
SHP = os.path.join(ROOT, "districts_gbk", "districts.shp")
TARGET_KM2 = 1090.0
SEGMENT_M = 50.0

def srs(code=None, proj4=None):
    s = osr.SpatialReference()
    s.ImportFromEPSG(code) if code else s.ImportFromProj4(proj4)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)  # lon,lat order everywhere
    return s

GEO, GK = srs(4490), srs(4544)
LAEA = srs(proj4="+proj=laea +lat_0=30.7 +lon_0=103.6 +ellps=GRS80 +units=m +no_defs")  # equal-area
TO_GEO, TO_GK, TO_LAEA = (osr.CoordinateTransformation(GK, GEO), osr.CoordinateTransformation(GEO, GK),
                          osr.CoordinateTransformation(GK, LAEA))
X0, Y0 = TO_GK.TransformPoint(103.60, 30.70)[:2]

def xy(u, v):  # local km -> EPSG:4544 metres
    return (X0 + u * 1000.0, Y0 + v * 1000.0)

def line(pts, gtype=ogr.wkbLineString):
    g = ogr.Geometry(gtype)
    for p in pts:
        g.AddPoint_2D(*p)
    return g

def polygon(pts):
    g = ogr.Geometry(ogr.wkbPolygon)
    g.AddGeometry(line(list(pts) + [pts[0]], ogr.wkbLinearRing))
    return g

def point(x, y):
    return line([(x, y)], ogr.wkbPoint)

def parts(g):
    """Polygon parts (clones) of any polygonal geometry or collection."""
    if g is None or g.IsEmpty():
        return []
    if ogr.GT_Flatten(g.GetGeometryType()) == ogr.wkbPolygon:
        return [g.Clone()]
    return [q for i in range(g.GetGeometryCount()) for q in parts(g.GetGeometryRef(i))]

def area(g):
    return sum(p.GetArea() for p in parts(g))

def multi(polys, min_area=0.0):
    m = ogr.Geometry(ogr.wkbMultiPolygon)
    for q in (q for p in polys for q in parts(p) if q.GetArea() > min_area):
        m.AddGeometry(q)
    return m

def geodesic_km2(g):
    h = g.Clone()
    h.Transform(TO_LAEA)  # ellipsoidal Lambert azimuthal equal-area => planar area == area on the ellipsoid
    return h.GetArea() / 1e6

def node(lines):
    """Node lines/rings/multi-lines against each other (GEOS overlay union with one of their own points)."""
    m = ogr.Geometry(ogr.wkbMultiLineString)
    for ln in lines:
        for sub in [ln.GetGeometryRef(i) for i in range(ln.GetGeometryCount())] or [ln]:
            m.AddGeometry(line(sub.GetPoints()))
    return m.Union(point(*m.GetGeometryRef(0).GetPoint_2D(0)))

def blob(uc, vc, r, k, n=48, aspect=1.0, rot=0.0):
    """Irregular closed shape around (uc, vc) km; k selects fixed wiggle phases."""
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        f = r * (1 + 0.12 * math.sin(2 * t + k) + 0.07 * math.sin(3 * t + 2 * k) + 0.04 * math.sin(5 * t + 3 * k))
        x, y = f * math.cos(t) * aspect, f * math.sin(t)
        pts.append(xy(uc + x * math.cos(rot) - y * math.sin(rot), vc + x * math.sin(rot) + y * math.cos(rot)))
    return polygon(pts)

# ---------------------------------------------------------------- county: rotated ellipse + harmonics
def county_ring(scale):
    a, b, phi, pts = 22.0, 15.8, math.radians(145), []  # major axis NW-SE
    for i in range(140):
        t = 2 * math.pi * i / 140
        r = a * b / math.hypot(b * math.cos(t - phi), a * math.sin(t - phi))
        r *= (1 + 0.07 * math.sin(2 * t + 0.4) + 0.05 * math.sin(3 * t + 1.9) + 0.035 * math.sin(5 * t + 0.7)
              + 0.02 * math.sin(9 * t + 2.3) + 0.012 * math.sin(17 * t + 1.1))
        pts.append(xy(scale * r * math.cos(t), scale * r * math.sin(t)))
    return polygon(pts)

def make_county():
    s = 1.0
    for _ in range(3):  # scale to the target geodesic area
        s *= math.sqrt(TARGET_KM2 / geodesic_km2(county_ring(s)))
    return county_ring(s)

# ---------------------------------------------------------------- districts: shared split lines
DISTRICTS = [("D1", "天府粮仓核心示范区"), ("D2", "先进制造业集聚区"), ("D3", "城市中央活力区"),
             ("D4", "大青城古镇文旅产业区"), ("D5", "大熊猫国家公园（崇州）片区")]
L1 = lambda v: -5.5 + 1.3 * math.sin(v / 4.0) + 0.5 * math.sin(v / 1.6 + 1)   # u of the west split (D5 | rest)
L2 = lambda u: -5.0 + 0.9 * math.sin(u / 3.5 + 1.0) + 0.4 * math.sin(u / 1.3)  # v of the south split (D1 below)
L3 = lambda v: 9.0 + 1.0 * math.sin(v / 3.0 + 2.0) + 0.4 * math.sin(v / 1.2)   # u of the east split (D2 right)

def make_districts(county):
    city = blob(8.0, -3.0, 3.9, 0.8, n=40)  # D3 ring around 崇阳
    steps = [x * 0.5 for x in range(-80, 81)]
    split = [line([xy(L1(v), v) for v in steps]), line([xy(u, L2(u)) for u in steps if u > -12]),
             line([xy(L3(v), v) for v in steps if v > -9]), city.Boundary()]
    groups = {c: [] for c, _ in DISTRICTS}
    for f in parts(node([county.Boundary()] + split).Polygonize()):
        p = f.PointOnSurface()
        if county.Contains(p):
            u, v = (p.GetX() - X0) / 1000, (p.GetY() - Y0) / 1000
            c = "D3" if city.Contains(p) else "D5" if u < L1(v) else "D1" if v < L2(u) else "D2" if u > L3(v) else "D4"
            groups[c].append(f)
    return {c: multi([multi(fs).UnionCascaded()]) for c, fs in groups.items()}

# ---------------------------------------------------------------- control lines (三条控制线)
CONTROLS = {  # layer: (code prefix, [(name, u, v, r, aspect, rotation)])
    "urban": ("KFBJ", [("崇州中心城区城镇开发边界", 7.8, -2.8, 3.0, 1.2, 0.0), ("崇州经济开发区城镇开发边界", 13.5, 3.5, 2.6, 1.4, 0.4),
                       ("羊马组团城镇开发边界", 16.5, -2.5, 1.4, 1.0, 0.0)]),
    "redline": ("STHX", [("大熊猫栖息地生态保护红线", -15.0, 11.0, 6.0, 1.5, -0.6), ("鞍子河水源涵养生态保护红线", -9.5, 3.0, 3.2, 1.3, 0.0),
                         ("凤栖山生物多样性维护生态保护红线", -3.0, 10.5, 1.8, 1.0, 0.0), ("西河湿地生态保护红线", 8.5, -8.0, 1.0, 2.0, -0.6)]),
    "farmland": ("YJJBNT", [("隆兴永久基本农田保护片", 4.0, -9.0, 3.2, 1.3, 0.0), ("桤泉永久基本农田保护片", 11.0, -6.5, 2.6, 1.3, 0.3),
                            ("白头永久基本农田保护片", -1.5, -8.0, 2.0, 1.3, 0.6), ("集贤永久基本农田保护片", 15.0, -10.5, 2.2, 1.3, 0.9),
                            ("三江永久基本农田保护片", 9.0, -14.0, 2.0, 1.3, 1.2), ("廖家永久基本农田保护片", 17.5, 6.5, 1.8, 1.3, 1.5),
                            ("观胜永久基本农田保护片", 12.0, 9.5, 1.5, 1.3, 1.8)]),
}

def make_controls(county):
    """Urban first, then red line, then farmland; every polygon keeps a 30 m gap to all earlier ones."""
    inner, taken, out, k = county.Buffer(-20), ogr.Geometry(ogr.wkbMultiPolygon), {}, 0
    for layer, (prefix, items) in CONTROLS.items():
        out[layer] = []
        for i, (name, u, v, r, asp, rot) in enumerate(items):
            k += 1
            g = blob(u, v, r, 0.7 * k, aspect=asp, rot=rot).Intersection(inner).Difference(taken.Buffer(30))
            g = multi([g], 1e4)  # drop crumbs under 1 ha
            if not g.IsEmpty():
                out[layer].append((name, "%s%02d" % (prefix, i + 1), g))
                taken = multi([taken.Union(g)])
    return out

# ---------------------------------------------------------------- parcels (三调图斑)
DLMC = {"0101": "水田", "0102": "水浇地", "0103": "旱地", "0201": "果园", "0202": "茶园", "0301": "乔木林地",
        "0302": "竹林地", "0305": "灌木林地", "0307": "其他林地", "0404": "其他草地", "05H1": "商业服务业设施用地",
        "0508": "物流仓储用地", "0601": "工业用地", "0602": "采矿用地", "0701": "城镇住宅用地", "0702": "农村宅基地",
        "08H1": "机关团体新闻出版用地", "08H2": "科教文卫用地", "0810": "公园与绿地", "09": "特殊用地",
        "1001": "铁路用地", "1003": "公路用地", "1004": "城镇村道路用地", "1006": "农村道路", "1101": "河流水面",
        "1103": "水库水面", "1104": "坑塘水面", "1107": "沟渠", "1202": "设施农用地", "1207": "裸岩石砾地"}
MIX = {  # weighted land-use mixes "code:weight"
    "urbanD3": "0701:30 05H1:20 08H2:12 08H1:6 0810:10 1004:12 1101:4",
    "urbanD2": "0601:55 0508:15 0701:10 1003:10 05H1:6 1001:4",
    "urban": "0701:40 0702:20 05H1:20 0601:20",
    "farmland": "0101:60 0102:15 0103:5 1202:5 1104:6 1107:5 1006:4",
    "redline": "0301:60 0305:14 0302:10 0404:6 1101:5 1207:5",
    "D5": "0301:52 0302:12 0305:12 0307:8 0404:5 1207:4 1103:3 0602:2 1101:2",
    "D4": "0301:22 0302:10 0202:15 0201:10 0103:10 0702:12 0307:6 09:5 1006:5 1104:5",
    "D3": "0701:28 05H1:14 0702:10 0101:12 08H2:8 0810:6 1004:12 1101:5 0102:5",
    "D2": "0601:22 0101:22 0102:10 0702:15 1003:10 0508:10 1202:6 1001:5",
    "D1": "0101:48 0102:10 0103:5 0702:15 1104:7 1107:5 1006:5 1202:5",
}

def pick(rng, key):
    items = [t.split(":") for t in MIX[key].split()]
    return rng.choices([c for c, _ in items], weights=[int(w) for _, w in items])[0]

def circumcentre(a, b, c):
    d = 2 * (a[0] * (b[1] - c[1]) + b[0] * (c[1] - a[1]) + c[0] * (a[1] - b[1]))
    sa, sb, sc = a[0] ** 2 + a[1] ** 2, b[0] ** 2 + b[1] ** 2, c[0] ** 2 + c[1] ** 2
    return ((sa * (b[1] - c[1]) + sb * (c[1] - a[1]) + sc * (a[1] - b[1])) / d,
            (sa * (c[0] - b[0]) + sb * (a[0] - c[0]) + sc * (b[0] - a[0])) / d)

def make_parcels(county, districts, controls, rng):
    """Voronoi cells (dual of the GEOS Delaunay triangulation) of seeded points, noded with the district
    boundaries and polygonized; slivers under 0.1 km2 are merged into a neighbour of the same district."""
    mp, (minx, maxx, miny, maxy), n = ogr.Geometry(ogr.wkbMultiPoint), county.GetEnvelope(), 0
    while n < 330:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if rng.random() < 0.45 + 0.55 * (x - minx) / (maxx - minx) and county.Contains(point(x, y)):
            mp.AddGeometry(point(x, y))  # denser towards the eastern plains
            n += 1
    for i in range(24):  # far guard points keep every county cell bounded
        mp.AddGeometry(point(*xy(70 * math.cos(i * math.pi / 12), 70 * math.sin(i * math.pi / 12))))
    edges = {}
    for tri in parts(mp.DelaunayTriangulation()):
        a, b, c = tri.GetGeometryRef(0).GetPoints()[:3]
        cc = circumcentre(a, b, c)  # computed once per triangle => shared Voronoi vertices are identical
        for e in ((a, b), (b, c), (c, a)):
            edges.setdefault(tuple(sorted(e)), []).append(cc)
    vor = [line(cs) for cs in edges.values() if len(cs) == 2 and cs[0] != cs[1]]
    faces = []  # [district code, polygon]
    for f in parts(node(vor + [g.Boundary() for g in districts.values()]).Polygonize()):
        p = f.PointOnSurface()
        if county.Contains(p):
            faces.append([next(c for c, g in districts.items() if g.Contains(p)), f])
    while min(f.GetArea() for _, f in faces) < 1e5:
        i = min(range(len(faces)), key=lambda k: faces[k][1].GetArea())
        d, f = faces[i]
        j = max((f.Boundary().Intersection(g.Boundary()).Length(), j) for j, (e, g) in enumerate(faces)
                if j != i and e == d and f.Intersects(g))[1]
        faces[j][1] = faces[j][1].Union(f)
        del faces[i]
    faces.sort(key=lambda df: (round(-df[1].PointOnSurface().GetY(), -2), round(df[1].PointOnSurface().GetX(), -2)))
    out = []  # numbered north-to-south, west-to-east
    for i, (d, f) in enumerate(faces):
        p, key = f.PointOnSurface(), d
        for layer in ("urban", "redline", "farmland"):
            if any(g.Contains(p) for _, _, g in controls[layer]):
                key = "urban" + d if layer == "urban" and d in ("D2", "D3") else layer
                break
        code = pick(rng, key)
        out.append(("510184%06d" % (i + 1), code, DLMC[code], multi([f])))
    return out

# ---------------------------------------------------------------- rivers, ancient trees
RIVERS = [("西河", [(-17, 16), (-10, 9.5), (-4, 4), (1, -2), (7, -7), (15, -12), (24, -17)]),
          ("文井江", [(-25, 6), (-17, 2.5), (-9, -1), (-3, -4.5), (4, -11), (11, -19)]),
          ("味江", [(-19, 18), (-11, 12), (-4, 8), (3, 6.5), (10, 4), (18, 1), (27, -2)]),
          ("羊马河", [(3, 13), (8, 7), (12, 1), (16, -5), (21, -12), (26, -18)])]
TREES = [("银杏", 120, 1200, 10), ("桢楠", 150, 800, 8), ("柏木", 100, 900, 7), ("黄葛树", 100, 500, 5),
         ("香樟", 100, 600, 5), ("皂荚", 100, 400, 3), ("红豆杉", 200, 1000, 3), ("罗汉松", 100, 500, 2),
         ("桂花", 100, 400, 3), ("枫杨", 100, 300, 2)]  # species, min age, max age, weight
TREE_CLUSTERS = [(-3, 8.5, 1.5, 14), (8, -3, 1.5, 7), (-12, 9, 3, 6), (6, -9, 3, 6), (14, 3, 2.5, 5)]  # u, v, sd, n

def make_rivers(county):
    inner, out = county.Buffer(-50), []
    for name, pts in RIVERS:
        dense = []
        for (u1, v1), (u2, v2) in zip(pts, pts[1:]):
            ln = math.hypot(u2 - u1, v2 - v1)
            nu, nv = -(v2 - v1) / ln, (u2 - u1) / ln
            for k in range(int(ln / 0.2)):  # gentle meander, zero at the control points
                s = k * 0.2
                m = 0.3 * math.sin(2 * math.pi * s / 2.7 + len(name) + u1) * math.sin(math.pi * s / ln)
                dense.append(xy(u1 + (u2 - u1) * s / ln + nu * m, v1 + (v2 - v1) * s / ln + nv * m))
        clipped = line(dense + [xy(*pts[-1])]).Intersection(inner)
        pieces = [clipped.GetGeometryRef(i).Clone() for i in range(clipped.GetGeometryCount())] or [clipped]
        out.append((name, max(pieces, key=lambda g: g.Length())))
    return out

def make_trees(county, rng):
    inner, out = county.Buffer(-200), []
    for cu, cv, sd, k in TREE_CLUSTERS:  # 街子古镇, 崇阳, western valleys, southern villages, east
        while k:
            p = point(*xy(rng.gauss(cu, sd), rng.gauss(cv, sd)))
            if inner.Contains(p):
                sp, lo, hi, _ = rng.choices(TREES, weights=[t[3] for t in TREES])[0]
                out.append(("GSMM%03d" % (len(out) + 1), sp, rng.randrange(lo, hi + 1, 10), p))
                k -= 1
    return out

# ---------------------------------------------------------------- write
S, I, NC = ogr.OFTString, ogr.OFTInteger, [("name", ogr.OFTString), ("code", ogr.OFTString)]

def write_layer(ds, name, gtype, fields, rows, opts=()):
    lyr = ds.CreateLayer(name, GEO, gtype, options=list(opts))
    for fname, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(fname, ftype))
    for row in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        for (fname, _), val in zip(fields, row[:-1]):
            f.SetField(fname, val)
        g = row[-1].Clone()
        if g.GetDimension() > 0:
            g.Segmentize(SEGMENT_M)
        f.SetGeometry(g)
        f.GetGeometryRef().Transform(TO_GEO)
        lyr.CreateFeature(f)

def main():
    rng, county = random.Random(SEED), make_county()
    districts, controls = make_districts(county), make_controls(county)
    parcels = make_parcels(county, districts, controls, rng)
    drows = [(name, c, districts[c]) for c, name in DISTRICTS]
    if os.path.exists(GPKG):
        os.remove(GPKG)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(GPKG)  # spatial index is on by default
    mp = ogr.wkbMultiPolygon
    write_layer(ds, "county", mp, [("name", S), ("xzqdm", S)], [("崇州市", "510184", multi([county]))])
    write_layer(ds, "districts", mp, NC, drows)
    for lname in ("redline", "farmland", "urban"):
        write_layer(ds, lname, mp, NC, controls[lname])
    write_layer(ds, "parcels", mp, [("bsm", S), ("dlbm", S), ("dlmc", S)], parcels)
    write_layer(ds, "rivers", ogr.wkbLineString, [("name", S)], make_rivers(county))
    write_layer(ds, "trees", ogr.wkbPoint, [("id", S), ("species", S), ("age", I)], make_trees(county, rng))
    ds = None
    os.makedirs(os.path.dirname(SHP), exist_ok=True)
    for fn in glob.glob(SHP[:-4] + ".*"):
        os.remove(fn)
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(SHP)
    write_layer(ds, "districts", ogr.wkbPolygon, NC, drows, ["ENCODING=CP936", "DBF_DATE_LAST_UPDATE=2024-01-01"])
    ds = None
    if os.path.exists(SHP[:-4] + ".cpg"):
        os.remove(SHP[:-4] + ".cpg")  # GDAL writes "CP936" there; readers must rely on the LDID byte
    with open(SHP[:-4] + ".dbf", "r+b") as fh:
        fh.seek(29)
        fh.write(b"\x4d")  # DBF language driver id 0x4D = CP936 (GBK); GDAL 3.6 leaves 0x00
    verify()

# ---------------------------------------------------------------- verify (reads the files back)
def fail(msg):
    print("VERIFY FAILED:", msg, file=sys.stderr)
    sys.exit(1)

def read(ds, name):
    lyr = ds.GetLayerByName(name)
    if lyr is None or lyr.GetSpatialRef() is None or lyr.GetSpatialRef().GetAuthorityCode(None) != "4490":
        fail(name + ": missing, or SRS is not EPSG:4490")
    rows = []
    for f in lyr:
        geo = f.GetGeometryRef().Clone()
        if not geo.IsValid():
            fail("%s fid %d: invalid geometry" % (name, f.GetFID()))
        g = geo.Clone()
        g.AssignSpatialReference(GEO)
        g.Transform(TO_GK)
        rows.append((f.items(), g, geo))
    return rows

def check_partition(name, rows, county):
    sd = area(multi([g for _, g, _ in rows]).UnionCascaded().SymDifference(county))
    if sd >= 1e-3:
        fail("%s: union differs from county by %.6g m2" % (name, sd))
    worst = 0.0
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            if rows[i][1].Intersects(rows[j][1]):
                worst = max(worst, area(rows[i][1].Intersection(rows[j][1])))
    if worst >= 1e-3:
        fail("%s: overlap of %.6g m2" % (name, worst))
    return sd, worst

def verify():
    ds = ogr.Open(GPKG)
    L = {n: read(ds, n) for n in ("county", "districts", "redline", "farmland", "urban", "parcels", "rivers", "trees")}
    county, geo_km2 = L["county"][0][1], geodesic_km2(L["county"][0][1])
    if len(L["county"]) != 1 or not 1050 <= geo_km2 <= 1130:
        fail("county: %d features, %.1f km2" % (len(L["county"]), geo_km2))
    e = L["county"][0][2].GetEnvelope()
    if not (103.3 < e[0] < e[1] < 103.9 and 30.45 < e[2] < e[3] < 30.95):
        fail("county is misplaced: %r" % (e,))
    if [it["code"] for it, g, _ in L["districts"] if g.GetGeometryCount() == 1] != [c for c, _ in DISTRICTS]:
        fail("districts: expected D1..D5, each a single polygon")
    sd_d, ov_d = check_partition("districts", L["districts"], county)
    sd_p, ov_p = check_partition("parcels", L["parcels"], county)
    if not (200 <= len(L["parcels"]) <= 600 and 20 <= len(L["trees"]) <= 60 and len(L["rivers"]) >= 3):
        fail("parcel/tree/river counts out of range")
    ctl = [(n, items["name"], g) for n in ("redline", "farmland", "urban") for items, g, _ in L[n]]
    for i, (n, nm, g) in enumerate(ctl):
        if not g.Within(county):
            fail("%s %s not within county" % (n, nm))
        for _, nm2, g2 in ctl[i + 1:]:
            if area(g.Intersection(g2)) >= 1e-6:
                fail("control lines %s / %s overlap" % (nm, nm2))
    for n in ("rivers", "trees"):
        for items, g, _ in L[n]:
            if not g.Within(county):
                fail("%s %s outside county" % (n, items))
    for items, g, _ in L["rivers"]:
        if sum(1 for _, d, _ in L["districts"] if d.Intersects(g)) < 2:
            fail("river %s crosses fewer than 2 districts" % items["name"])
    sds = ogr.Open(SHP)
    got = [f.GetField("name") for f in sds.GetLayer(0)]
    if got != [name for _, name in DISTRICTS]:
        fail("GBK shapefile names read back wrong: %r" % got)
    enc = sds.GetLayer(0).GetMetadataItem("ENCODING_FROM_LDID", "SHAPEFILE")
    if os.path.exists(SHP[:-4] + ".cpg") or open(SHP[:-4] + ".dbf", "rb").read()[29] != 0x4D or enc != "CP936":
        fail("shapefile has a .cpg or wrong LDID (%r)" % enc)
    km2 = lambda rows: sum(g.GetArea() for _, g, _ in rows) / 1e6
    print("county 崇州市: %.2f km2 geodesic, %.2f km2 in EPSG:4544" % (geo_km2, county.GetArea() / 1e6))
    for items, g, _ in L["districts"]:
        print("  %s %s: %.2f km2" % (items["code"], items["name"], g.GetArea() / 1e6))
    print("districts: union-vs-county symdiff %.3g m2, max pairwise overlap %.3g m2" % (sd_d, ov_d))
    print("parcels: %d, %.2f km2, symdiff %.3g m2, max overlap %.3g m2"
          % (len(L["parcels"]), km2(L["parcels"]), sd_p, ov_p))
    for n in ("redline", "farmland", "urban"):
        print("%s: %d features, %.2f km2" % (n, len(L[n]), km2(L[n])))
    print("rivers: %d, %.1f km; trees: %d" % (len(L["rivers"]), sum(g.Length() for _, g, _ in L["rivers"]) / 1e3,
                                             len(L["trees"])))
    counts = collections.Counter(items["dlbm"] for items, _, _ in L["parcels"])
    print("parcel dlbm counts:", " ".join("%s=%d" % kv for kv in sorted(counts.items())))
    print("OK: all checks passed")

if __name__ == "__main__":
    main()
