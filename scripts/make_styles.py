#!/usr/bin/env python3
"""Generates /work/main/styles/*.qml, *.sld and palette.json from one spec (run: python3 scripts/make_styles.py)."""
import json, os
from xml.sax.saxutils import escape, quoteattr

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "styles")
PX_PER_MM = 1 / 0.28          # SE standardized rendering pixel = 0.28 mm
QGIS_VERSION = "3.22.16-Białowieża"

# ---------------------------------------------------------------- spec
def sym(fill=None, stroke=None, width=0.26, dash=None, hatch=None, marker=None):
    """fill/stroke: (r,g,b,a) 0-255 or None. dash: list of mm (dash, gap, ...). hatch, marker: dict."""
    return {"fill": list(fill) if fill else None, "stroke": list(stroke) if stroke else None,
            "stroke_width_mm": width, "dash_mm": dash, "hatch": hatch, "marker": marker}

def darker(c, f=0.65, a=255):
    return (int(c[0] * f), int(c[1] * f), int(c[2] * f), a)

LABEL_DISTRICTS = {"field": "name", "font": "Noto Sans CJK SC", "size_pt": 10, "bold": True,
                   "color": [40, 40, 40, 255], "halo": [255, 255, 255, 220], "halo_mm": 0.8}

DISTRICTS = [
    ("天府粮仓核心示范区", (238, 196, 72)),
    ("先进制造业集聚区", (112, 140, 214)),
    ("城市中央活力区", (236, 112, 99)),
    ("大青城古镇文旅产业区", (80, 184, 172)),
    ("大熊猫国家公园（崇州）片区", (96, 166, 84)),
]
DISTRICT_ALPHA = 140
# Districts take their categories from the data (zonekit reads the values of the layer's field): the names above
# keep their colours; any other value gets the next of these, in the sorted order of those values (then
# generated colours at golden-angle hue steps). Soft, told apart from each other and from the names above.
DISTRICT_DATA_COLOURS = [
    (166, 118, 196), (245, 150, 60), (222, 119, 174), (110, 190, 230), (178, 196, 64), (166, 124, 82),
    (190, 170, 230), (60, 140, 160), (250, 180, 170), (150, 220, 170), (215, 190, 140), (120, 130, 150),
]

FINDINGS = [
    ("no-overlap", (255, 0, 255), "图层间重叠"),
    ("no-self-overlap", (255, 20, 147), "图层内自重叠"),
    ("covers", (255, 140, 0), "未完全覆盖（缝隙）"),
    ("within", (0, 210, 255), "超出范围"),
    ("valid", (255, 0, 0), "几何无效"),
    ("slivers", (160, 255, 0), "细碎图斑"),
    ("clearance", (0, 90, 255), "间距不足"),
]
FINDING_ALPHA = 110

# 三调 (TD/T 1055-2019 work classification) codes; colours follow the 三调/土地利用现状图 hue convention.
P_STROKE = (128, 128, 128, 255)
PARCEL_CLASSES = [  # (prefix, first-level name, prefix colour, [(code, name, colour)])
    ("01", "耕地", (255, 245, 140), [("0101", "水田", (255, 255, 100)), ("0102", "水浇地", (255, 232, 120)),
                                   ("0103", "旱地", (255, 250, 185))]),
    ("02", "园地", (255, 200, 140), [("0201", "果园", (255, 184, 100)), ("0202", "茶园", (240, 166, 130)),
                                   ("0204", "其他园地", (255, 212, 176))]),
    ("03", "林地", (90, 180, 110), [("0301", "乔木林地", (49, 163, 84)), ("0302", "竹林地", (110, 190, 90)),
                                  ("0305", "灌木林地", (150, 205, 140)), ("0307", "其他林地", (185, 222, 170))]),
    ("04", "草地", (210, 235, 150), [("0401", "天然牧草地", (195, 228, 125)), ("0403", "人工牧草地", (215, 238, 150)),
                                   ("0404", "其他草地", (228, 242, 180))]),
    ("05", "商服用地", (240, 110, 110), [("05H1", "商业服务业设施用地", (235, 85, 85)),
                                     ("0508", "物流仓储用地", (222, 140, 190))]),
    ("06", "工矿用地", (228, 145, 95), [("0601", "工业用地", (235, 150, 90)), ("0602", "采矿用地", (196, 120, 80))]),
    ("07", "住宅用地", (245, 165, 165), [("0701", "城镇住宅用地", (240, 145, 145)),
                                     ("0702", "农村宅基地", (250, 192, 180))]),
    ("08", "公共管理与公共服务用地", (235, 135, 175),
     [("08H1", "机关团体新闻出版用地", (228, 110, 160)), ("08H2", "科教文卫用地", (242, 155, 195)),
      ("0809", "公用设施用地", (200, 110, 150)), ("0810", "公园与绿地", (150, 215, 140))]),
    ("09", "特殊用地", (190, 120, 110), []),
    ("10", "交通运输用地", (170, 170, 170), [("1001", "铁路用地", (120, 120, 120)), ("1003", "公路用地", (150, 150, 150)),
                                       ("1004", "城镇村道路用地", (182, 182, 182)), ("1006", "农村道路", (205, 205, 205))]),
    ("11", "水域及水利设施用地", (140, 200, 240),
     [("1101", "河流水面", (115, 185, 240)), ("1103", "水库水面", (90, 165, 228)), ("1104", "坑塘水面", (150, 208, 245)),
      ("1107", "沟渠", (175, 222, 250)), ("1109", "水工建筑用地", (80, 135, 195))]),
    ("12", "其他土地", (225, 210, 180), [("1202", "设施农用地", (218, 200, 150)), ("1203", "田坎", (235, 222, 190)),
                                     ("1206", "裸土地", (210, 188, 165)), ("1207", "裸岩石砾地", (200, 198, 188))]),
]

def A(c, a=255):
    return (c[0], c[1], c[2], a)

ROLES = {}
ROLES["boundary"] = {
    "title": "行政区界 county boundary", "field": None,
    "symbol": sym(None, (30, 30, 30, 255), 0.8, dash=[4.0, 1.0, 0.8, 1.0])}
ROLES["districts"] = {
    "title": "规划分区 planning districts", "field": "name", "match": "exact", "label": LABEL_DISTRICTS,
    "categories": [{"value": v, "label": v, **sym(A(c, DISTRICT_ALPHA), darker(c), 0.4)} for v, c in DISTRICTS],
    "other": {"value": "", "label": "其他 other", **sym((190, 190, 190, DISTRICT_ALPHA), (110, 110, 110, 255), 0.4)},
    "categories_from_data": True, "data_colours": [list(A(c, DISTRICT_ALPHA)) for c in DISTRICT_DATA_COLOURS]}
ROLES["redline"] = {
    "title": "生态保护红线 ecological protection red line", "field": None,
    "symbol": sym((230, 0, 0, 50), (220, 0, 0, 255), 0.6,
                  hatch={"color": [220, 0, 0, 255], "angle": 45, "spacing_mm": 2.0, "width_mm": 0.25})}
ROLES["farmland"] = {
    "title": "永久基本农田 permanent basic farmland", "field": None,
    "symbol": sym((245, 210, 60, 160), (180, 140, 0, 255), 0.4)}
ROLES["urban"] = {
    "title": "城镇开发边界 urban development boundary", "field": None,
    "symbol": sym((220, 150, 220, 40), (170, 0, 170, 255), 1.0)}
ROLES["findings"] = {
    "title": "检查结果 check findings", "field": "rule", "match": "exact",
    "categories": [{"value": v, "label": f"{v} {d}", **sym(A(c, FINDING_ALPHA), A(c), 0.6)} for v, c, d in FINDINGS],
    "other": {"value": "", "label": "其他 other", **sym((255, 255, 0, FINDING_ALPHA), (255, 255, 0, 255), 0.6)}}

pcats, pprefixes = [], []
for prefix, pname, pcol, codes in PARCEL_CLASSES:
    for code, name, col in codes:
        pcats.append({"value": code, "label": f"{code} {name}", **sym(A(col), P_STROKE, 0.1)})
    pprefixes.append({"value": prefix, "label": f"{prefix} {pname}" + ("（其他二级类）" if codes else ""),
                      **sym(A(pcol), P_STROKE, 0.1)})
ROLES["parcels"] = {
    "title": "三调图斑 land-use parcels", "field": "dlbm", "match": "exact code, else first two characters, else other",
    "categories": pcats, "prefixes": pprefixes,
    "other": {"value": "", "label": "其他 other", **sym((220, 220, 220, 255), P_STROKE, 0.1)}}
# Lines and points: the geometry is named; every other role is polygons.
ROLES["rivers"] = {
    "title": "河流水系 rivers", "field": None, "geometry": "line",
    "symbol": sym(None, (30, 120, 210, 255), 0.7)}
ROLES["points"] = {
    "title": "保护点位（古树名木等） protected points", "field": None, "geometry": "point",
    "symbol": sym((20, 120, 40, 255), (255, 255, 255, 255), 0.3, marker={"shape": "circle", "size_mm": 2.6})}

# Siting screen (zonekit screen, screen.gpkg): the sites coloured by their verdict, and the pieces of each site cut
# by the plan's layers coloured by the role of the layer that cut them.
SITE_ALPHA = 150
VERDICTS = [  # mildest last, so the legend reads from the worst
    ("forbidden", "禁止", (215, 25, 28)),
    ("conditional", "有条件允许", (253, 174, 97)),
    ("allowed", "允许", (26, 150, 65)),
]
LABEL_SITES = {"field": "id", "font": "Noto Sans CJK SC", "size_pt": 9, "bold": True,
               "color": [40, 40, 40, 255], "halo": [255, 255, 255, 220], "halo_mm": 0.8}
ROLES["sites"] = {
    "title": "选址地块 proposed sites", "field": "verdict", "match": "exact", "label": LABEL_SITES,
    "categories": [{"value": v, "label": f"{zh} {v}", **sym(A(c, SITE_ALPHA), darker(c), 0.6)} for v, zh, c in VERDICTS],
    "other": {"value": "", "label": "错误或其他 error, other", **sym((160, 160, 160, SITE_ALPHA), (90, 90, 90, 255), 0.6)}}

def _piece(role, fill_alpha=None, width=None):
    """The symbol of a piece cut by a layer of `role`: that role's own symbol, its fill made `fill_alpha`."""
    s = dict(ROLES[role]["symbol"])
    if fill_alpha is not None and s["fill"]:
        s["fill"] = s["fill"][:3] + [fill_alpha]
    if width is not None:
        s["stroke_width_mm"] = width
    return s

PIECE_ALPHA = 120
SITE_PIECES = [  # (role, label, symbol): the roles' colours, semi-transparent, outlines thinner than the sites'
    ("redline", "生态保护红线", _piece("redline", 90, 0.4)),
    ("farmland", "永久基本农田", _piece("farmland", 160, 0.4)),
    ("urban", "城镇开发边界", _piece("urban", PIECE_ALPHA, 0.4)),
    ("districts", "规划分区", sym((190, 170, 230, PIECE_ALPHA), darker((190, 170, 230)), 0.3)),
    ("parcels", "三调图斑", sym((215, 190, 140, PIECE_ALPHA), darker((215, 190, 140)), 0.3)),
    ("boundary", "行政区界", sym(None, (30, 30, 30, 255), 0.4, dash=[4.0, 1.0, 0.8, 1.0])),
]
ROLES["site_pieces"] = {
    "title": "选址占用 pieces of sites by plan layer", "field": "role", "match": "exact",
    "categories": [{"value": v, "label": f"{zh} {v}", **s} for v, zh, s in SITE_PIECES],
    "other": {"value": "", "label": "其他 other", **sym((190, 190, 190, PIECE_ALPHA), (110, 110, 110, 255), 0.3)}}

def geometry(r):
    return r.get("geometry", "polygon")

# ---------------------------------------------------------------- helpers
def rgba(c):
    return ",".join(str(x) for x in c)

def hexc(c):
    return "#%02x%02x%02x" % tuple(c[:3])

def num(x):
    s = ("%.3f" % x).rstrip("0").rstrip(".")
    return s if s else "0"

def px(mm):
    return num(round(mm * PX_PER_MM, 2))

def props(d, ind):
    return "".join(f'{ind}<prop k="{k}" v={quoteattr(str(v))}/>\n' for k, v in d.items())

US = "3x:0,0,0,0,0,0"

def simple_line(color, width, dash, ind):
    d = {"capstyle": "flat" if dash else "square", "joinstyle": "round" if dash else "bevel",
         "line_color": rgba(color), "line_style": "solid", "line_width": num(width), "line_width_unit": "MM",
         "use_custom_dash": 1 if dash else 0}
    if dash:
        d.update({"customdash": ";".join(num(x) for x in dash), "customdash_unit": "MM"})
    return props(d, ind)

def qml_line_symbol(name, s, ind):
    return (f'{ind}<symbol type="line" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">\n'
            f'{ind}  <layer class="SimpleLine" enabled="1" locked="0" pass="0">\n'
            + simple_line(s["stroke"], s["stroke_width_mm"], s["dash_mm"], ind + "    ")
            + f"{ind}  </layer>\n{ind}</symbol>\n")

def qml_marker_symbol(name, s, ind):
    m = s["marker"]
    d = {"angle": 0, "color": rgba(s["fill"] or (0, 0, 0, 0)), "joinstyle": "bevel", "name": m["shape"],
         "offset": "0,0", "offset_unit": "MM", "outline_color": rgba(s["stroke"] or (0, 0, 0, 0)),
         "outline_style": "solid" if s["stroke"] else "no", "outline_width": num(s["stroke_width_mm"]),
         "outline_width_unit": "MM", "scale_method": "diameter", "size": num(m["size_mm"]), "size_unit": "MM"}
    return (f'{ind}<symbol type="marker" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">\n'
            f'{ind}  <layer class="SimpleMarker" enabled="1" locked="0" pass="0">\n'
            + props(d, ind + "    ") + f"{ind}  </layer>\n{ind}</symbol>\n")

def qml_symbol(name, s, ind="      ", geom="polygon"):
    if geom == "line":
        return qml_line_symbol(name, s, ind)
    if geom == "point":
        return qml_marker_symbol(name, s, ind)
    i2, i3 = ind + "  ", ind + "    "
    out = f'{ind}<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">\n'
    simple = not s["dash_mm"] and not s["hatch"]
    nlayers = 0
    if s["fill"] or simple:
        nlayers = 1
        outline = simple and s["stroke"]
        out += f'{i2}<layer class="SimpleFill" enabled="1" locked="0" pass="0">\n'
        out += props({"color": rgba(s["fill"] or (0, 0, 0, 0)), "joinstyle": "bevel",
                      "outline_color": rgba(s["stroke"] or (0, 0, 0, 0)),
                      "outline_style": "solid" if outline else "no",
                      "outline_width": num(s["stroke_width_mm"]), "outline_width_unit": "MM",
                      "style": "solid" if s["fill"] else "no"}, i3)
        out += f"{i2}</layer>\n"
    if s["hatch"]:
        h = s["hatch"]
        out += f'{i2}<layer class="LinePatternFill" enabled="1" locked="0" pass="0">\n'
        out += props({"angle": h["angle"], "color": rgba(h["color"]), "distance": num(h["spacing_mm"]),
                      "distance_unit": "MM", "line_width": num(h["width_mm"]), "line_width_unit": "MM",
                      "offset": 0, "offset_unit": "MM"}, i3)
        out += f'{i3}<symbol type="line" name="@{name}@{nlayers}" alpha="1" clip_to_extent="1" force_rhr="0">\n'
        out += f'{i3}  <layer class="SimpleLine" enabled="1" locked="0" pass="0">\n'
        out += simple_line(h["color"], h["width_mm"], None, i3 + "    ")
        out += f"{i3}  </layer>\n{i3}</symbol>\n{i2}</layer>\n"
    if not simple and s["stroke"]:
        out += f'{i2}<layer class="SimpleLine" enabled="1" locked="0" pass="0">\n'
        out += simple_line(s["stroke"], s["stroke_width_mm"], s["dash_mm"], i3)
        out += f"{i2}</layer>\n"
    return out + f"{ind}</symbol>\n"

def qml_labeling(lab):
    c, h = lab["color"], lab["halo"]
    return f'''  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="{lab["field"]}" isExpression="0" fontFamily="{lab["font"]}" namedStyle="{"Bold" if lab["bold"] else "Regular"}" fontWeight="{75 if lab["bold"] else 50}" fontItalic="0" fontSize="{num(lab["size_pt"])}" fontSizeUnit="Point" fontSizeMapUnitScale="{US}" textColor="{rgba(c)}" textOpacity="1" blendMode="0" multilineHeight="1" allowHtml="0" capitalization="0" fontKerning="1" fontLetterSpacing="0" fontWordSpacing="0" fontStrikeout="0" fontUnderline="0" previewBkgrdColor="255,255,255,255" textOrientation="horizontal" useSubstitutions="0">
        <text-buffer bufferDraw="1" bufferSize="{num(lab["halo_mm"])}" bufferSizeUnits="MM" bufferSizeMapUnitScale="{US}" bufferColor="{rgba(h[:3] + [255])}" bufferOpacity="{num(h[3] / 255)}" bufferNoFill="1" bufferJoinStyle="128" bufferBlendMode="0"/>
        <shadow shadowDraw="0"/>
        <substitutions/>
      </text-style>
      <text-format wrapChar="" autoWrapLength="0" useMaxLineLengthForAutoWrap="1" multilineAlign="1" formatNumbers="0" decimals="3" plussign="0" addDirectionSymbol="0" placeDirectionSymbol="0" reverseDirectionSymbol="0" leftDirectionSymbol="&lt;" rightDirectionSymbol="&gt;"/>
      <placement placement="1" centroidWhole="0" centroidInside="1" fitInPolygonOnly="0" quadOffset="4" xOffset="0" yOffset="0" offsetUnits="MM" dist="0" distUnits="MM" priority="5" repeatDistance="0" overrunDistance="0" polygonPlacementFlags="2" placementFlags="10" rotationAngle="0" preserveRotation="1" layerType="PolygonGeometry"/>
      <rendering obstacle="1" obstacleType="1" obstacleFactor="1" displayAll="0" upsidedownLabels="0" labelPerPart="0" mergeLines="0" limitNumLabels="0" maxNumLabels="2000" minFeatureSize="0" drawLabels="1" fontLimitPixelSize="0" fontMinPixelSize="3" fontMaxPixelSize="10000" scaleVisibility="0" scaleMin="0" scaleMax="0" zIndex="0" unplacedVisibility="0"/>
    </settings>
  </labeling>
'''

def qml(role, r):
    has_label = "label" in r
    out = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
    out += (f'<qgis version="{QGIS_VERSION}" styleCategories="Symbology|Labeling" '
            f'labelsEnabled="{1 if has_label else 0}">\n')
    if "symbol" in r:
        out += ('  <renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0" '
                'referencescale="-1">\n    <symbols>\n')
        out += qml_symbol("0", r["symbol"], geom=geometry(r)) + "    </symbols>\n"
    else:
        cats = r["categories"] + r.get("prefixes", []) + [r["other"]]
        attr = r["field"]
        if "prefixes" in r:   # exact code, else first two characters (the first-level class)
            codes = ",".join(f"'{c['value']}'" for c in r["categories"])
            attr = f'CASE WHEN "{r["field"]}" IN ({codes}) THEN "{r["field"]}" ELSE left("{r["field"]}", 2) END'
        out += (f'  <renderer-v2 type="categorizedSymbol" attr={quoteattr(attr)} forceraster="0" symbollevels="0" '
                'enableorderby="0" referencescale="-1">\n    <categories>\n')
        for i, c in enumerate(cats):
            out += f'      <category render="true" value={quoteattr(c["value"])} label={quoteattr(c["label"])} symbol="{i}"/>\n'
        out += "    </categories>\n    <symbols>\n"
        out += "".join(qml_symbol(str(i), c, geom=geometry(r)) for i, c in enumerate(cats))
        out += ("    </symbols>\n    <source-symbol>\n" + qml_symbol("0", r["other"], geom=geometry(r))
                + "    </source-symbol>\n")
    out += "    <rotation/>\n    <sizescale/>\n  </renderer-v2>\n"
    if has_label:
        out += qml_labeling(r["label"])
    out += "  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n"
    out += f"  <layerGeometryType>{ {'point': 0, 'line': 1, 'polygon': 2}[geometry(r)] }</layerGeometryType>\n</qgis>\n"
    return out

# ---------------------------------------------------------------- SLD (as QGIS writes it: SLD 1.1 + SE 1.1 + FE)
def svg(name, val, ind):
    return f'{ind}<se:SvgParameter name="{name}">{escape(str(val))}</se:SvgParameter>\n'

def sld_stroke(color, width, dash, ind):
    out = f"{ind}<se:Stroke>\n" + svg("stroke", hexc(color), ind + "  ")
    if color[3] != 255:
        out += svg("stroke-opacity", num(color[3] / 255), ind + "  ")
    out += svg("stroke-width", px(width), ind + "  ") + svg("stroke-linejoin", "round" if dash else "bevel", ind + "  ")
    if dash:
        out += svg("stroke-linecap", "butt", ind + "  ")
        out += svg("stroke-dasharray", " ".join(px(d) for d in dash), ind + "  ")
    return out + f"{ind}</se:Stroke>\n"

def sld_symbolizers(s, ind, geom="polygon"):
    i1, i2, i3 = ind + "  ", ind + "    ", ind + "      "
    if geom == "line":
        return (f"{ind}<se:LineSymbolizer>\n" + sld_stroke(s["stroke"], s["stroke_width_mm"], s["dash_mm"], i1)
                + f"{ind}</se:LineSymbolizer>\n")
    if geom == "point":
        m = s["marker"]
        out = (f"{ind}<se:PointSymbolizer>\n{i1}<se:Graphic>\n{i2}<se:Mark>\n"
               f"{i3}<se:WellKnownName>{m['shape']}</se:WellKnownName>\n")
        if s["fill"]:
            out += f"{i3}<se:Fill>\n" + svg("fill", hexc(s["fill"]), i3 + "  ")
            if s["fill"][3] != 255:
                out += svg("fill-opacity", num(s["fill"][3] / 255), i3 + "  ")
            out += f"{i3}</se:Fill>\n"
        if s["stroke"]:
            out += sld_stroke(s["stroke"], s["stroke_width_mm"], None, i3)
        return out + (f"{i2}</se:Mark>\n{i2}<se:Size>{px(m['size_mm'])}</se:Size>\n{i1}</se:Graphic>\n"
                      f"{ind}</se:PointSymbolizer>\n")
    out = ""
    if s["fill"] or (s["stroke"] and not s["hatch"]):
        out += f"{ind}<se:PolygonSymbolizer>\n"
        if s["fill"]:
            out += f"{i1}<se:Fill>\n" + svg("fill", hexc(s["fill"]), i2)
            if s["fill"][3] != 255:
                out += svg("fill-opacity", num(s["fill"][3] / 255), i2)
            out += f"{i1}</se:Fill>\n"
        if s["stroke"] and not s["hatch"]:
            out += sld_stroke(s["stroke"], s["stroke_width_mm"], s["dash_mm"], i1)
        out += f"{ind}</se:PolygonSymbolizer>\n"
    if s["hatch"]:
        h = s["hatch"]
        out += (f"{ind}<se:PolygonSymbolizer>\n{i1}<se:Fill>\n{i2}<se:GraphicFill>\n{i3}<se:Graphic>\n"
                f"{i3}  <se:Mark>\n{i3}    <se:WellKnownName>horline</se:WellKnownName>\n")
        out += sld_stroke(h["color"], h["width_mm"], None, i3 + "    ")
        out += (f"{i3}  </se:Mark>\n{i3}  <se:Size>{px(h['spacing_mm'])}</se:Size>\n"
                f"{i3}  <se:Rotation><ogc:Literal>{h['angle']}</ogc:Literal></se:Rotation>\n"
                f"{i3}</se:Graphic>\n{i2}</se:GraphicFill>\n{i1}</se:Fill>\n")
        out += sld_stroke(s["stroke"], s["stroke_width_mm"], s["dash_mm"], i1)
        out += f"{ind}</se:PolygonSymbolizer>\n"
    return out

def eq(field, v, ind):
    return (f"{ind}<ogc:PropertyIsEqualTo><ogc:PropertyName>{field}</ogc:PropertyName>"
            f"<ogc:Literal>{escape(v)}</ogc:Literal></ogc:PropertyIsEqualTo>\n")

def like(field, v, ind):
    return (f'{ind}<ogc:PropertyIsLike wildCard="%" singleChar="_" escape="\\">'
            f"<ogc:PropertyName>{field}</ogc:PropertyName>"
            f"<ogc:Literal>{escape(v)}%</ogc:Literal></ogc:PropertyIsLike>\n")

def rule(name, title, filt, s, ind="        ", geom="polygon"):
    out = f"{ind}<se:Rule>\n{ind}  <se:Name>{escape(name)}</se:Name>\n"
    out += f"{ind}  <se:Description>\n{ind}    <se:Title>{escape(title)}</se:Title>\n{ind}  </se:Description>\n"
    if filt == "else":
        out += f"{ind}  <se:ElseFilter/>\n"
    elif filt:
        out += f'{ind}  <ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">\n{filt}{ind}  </ogc:Filter>\n'
    return out + sld_symbolizers(s, ind + "  ", geom) + f"{ind}</se:Rule>\n"

def sld_text(lab, ind="        "):
    i = ind + "    "
    c, h = lab["color"], lab["halo"]
    size_px = px(lab["size_pt"] * 25.4 / 72)
    return (f"{ind}<se:Rule>\n{ind}  <se:Name>labels</se:Name>\n{ind}  <se:TextSymbolizer>\n"
            f"{i}<se:Label>\n{i}  <ogc:PropertyName>{lab['field']}</ogc:PropertyName>\n{i}</se:Label>\n"
            f"{i}<se:Font>\n" + svg("font-family", lab["font"], i + "  ") + svg("font-size", size_px, i + "  ")
            + (svg("font-weight", "bold", i + "  ") if lab["bold"] else "") + f"{i}</se:Font>\n"
            f"{i}<se:LabelPlacement>\n{i}  <se:PointPlacement>\n{i}    <se:AnchorPoint>\n"
            f"{i}      <se:AnchorPointX>0.5</se:AnchorPointX>\n{i}      <se:AnchorPointY>0.5</se:AnchorPointY>\n"
            f"{i}    </se:AnchorPoint>\n{i}  </se:PointPlacement>\n{i}</se:LabelPlacement>\n"
            f"{i}<se:Halo>\n{i}  <se:Radius>{px(lab['halo_mm'])}</se:Radius>\n{i}  <se:Fill>\n"
            + svg("fill", hexc(h), i + "    ") + svg("fill-opacity", num(h[3] / 255), i + "    ")
            + f"{i}  </se:Fill>\n{i}</se:Halo>\n{i}<se:Fill>\n" + svg("fill", hexc(c), i + "  ")
            + f"{i}</se:Fill>\n{ind}  </se:TextSymbolizer>\n{ind}</se:Rule>\n")

def sld(role, r):
    out = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<StyledLayerDescriptor xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" '
           'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:se="http://www.opengis.net/se" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.1.0" '
           'xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">\n'
           f"  <NamedLayer>\n    <se:Name>{role}</se:Name>\n    <UserStyle>\n      <se:Name>{role}</se:Name>\n"
           f"      <se:Description>\n        <se:Title>{escape(r['title'])}</se:Title>\n      </se:Description>\n"
           "      <se:FeatureTypeStyle>\n")
    f, ind = r["field"], "            "
    if "symbol" in r:
        out += rule(role, r["title"], None, r["symbol"], geom=geometry(r))
    else:
        for c in r["categories"]:
            out += rule(c["value"], c["label"], eq(f, c["value"], ind), c)
        for p in r.get("prefixes", []):
            same = [c for c in r["categories"] if c["value"].startswith(p["value"])]
            if same:   # prefix match minus the codes that have their own rule (SLD rules are not exclusive)
                ors = "".join(eq(f, c["value"], ind + "      ") for c in same)
                inner = ors if len(same) == 1 else f"{ind}    <ogc:Or>\n{ors}{ind}    </ogc:Or>\n"
                filt = (f"{ind}<ogc:And>\n" + like(f, p["value"], ind + "  ") + f"{ind}  <ogc:Not>\n"
                        + (inner if len(same) > 1 else eq(f, same[0]["value"], ind + "    "))
                        + f"{ind}  </ogc:Not>\n{ind}</ogc:And>\n")
            else:
                filt = like(f, p["value"], ind)
            out += rule(p["value"] + "*", p["label"], filt, p)
        # "other": an explicit complement, not <se:ElseFilter/>, which QGIS 3.22 ignores on import
        i2 = ind + "      "
        if "prefixes" in r:
            terms = "".join(like(f, p["value"], i2) for p in r["prefixes"])
        else:
            terms = "".join(eq(f, c["value"], i2) for c in r["categories"])
        filt = (f"{ind}<ogc:Or>\n{ind}  <ogc:Not>\n{ind}    <ogc:Or>\n{terms}{ind}    </ogc:Or>\n{ind}  </ogc:Not>\n"
                f"{ind}  <ogc:PropertyIsNull><ogc:PropertyName>{f}</ogc:PropertyName></ogc:PropertyIsNull>\n"
                f"{ind}</ogc:Or>\n")
        out += rule("other", r["other"]["label"], filt, r["other"])
    if "label" in r:
        out += sld_text(r["label"])
    return out + "      </se:FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n</StyledLayerDescriptor>\n"

# ---------------------------------------------------------------- palette.json
def pal_entry(s):
    keys = ("value", "label", "fill", "stroke", "stroke_width_mm", "dash_mm", "hatch", "marker")
    return {k: s[k] for k in keys if k in s and (s[k] is not None or k in ("fill", "stroke"))}

def palette():
    roles = {}
    for role, r in ROLES.items():
        e = {"title": r["title"], "field": r["field"], "geometry": geometry(r)}
        if "symbol" in r:
            e.update(pal_entry(r["symbol"]))
        else:
            e["match"] = r["match"]
            e["categories"] = [pal_entry(c) for c in r["categories"]]
            if "prefixes" in r:
                e["prefixes"] = [pal_entry(c) for c in r["prefixes"]]
            e["other"] = pal_entry(r["other"])
            if r.get("categories_from_data"):
                e["categories_from_data"] = True
                e["data_colours"] = r["data_colours"]
        if "label" in r:
            e["label"] = r["label"]
        roles[role] = e
    return {"version": 1,
            "units": {"colour": "[r, g, b, a], 0-255, a = 255 opaque; null = not drawn",
                      "stroke_width_mm": "millimetres on the map (SLD files use pixels of 0.28 mm)",
                      "dash_mm": "dash, gap, dash, gap ... in millimetres; absent = solid",
                      "marker": "points: shape (QGIS/SLD well-known name) and size_mm, the diameter; fill and stroke "
                                "as for polygons"},
            # bottom to top: the zoning under the control lines, so their colours and the hatch stay clear; a
            # siting screen's sites over the plan (each site's verdict outline over its pieces), findings on top
            "draw_order": ["parcels", "districts", "farmland", "redline", "urban", "rivers", "boundary", "points",
                           "site_pieces", "sites", "findings"],
            "roles": roles}

os.makedirs(OUT, exist_ok=True)
for role, r in ROLES.items():
    with open(f"{OUT}/{role}.qml", "w", encoding="utf-8") as fh:
        fh.write(qml(role, r))
    with open(f"{OUT}/{role}.sld", "w", encoding="utf-8") as fh:
        fh.write(sld(role, r))

def compact_json(o):
    # one line per category/entry keeps the file short and diffable
    def one(x):
        return json.dumps(x, ensure_ascii=False, separators=(", ", ": "))
    def dump(x, ind):
        pad = "  " * (ind + 1)
        if isinstance(x, dict) and any(isinstance(v, (dict, list)) and not is_leaf(v) for v in x.values()):
            return "{\n" + ",\n".join(f"{pad}{one(k)}: {dump(v, ind + 1)}" for k, v in x.items()) + "\n" + "  " * ind + "}"
        if isinstance(x, list) and not is_leaf(x):
            return "[\n" + ",\n".join(pad + dump(v, ind + 1) for v in x) + "\n" + "  " * ind + "]"
        return one(x)
    def is_leaf(v):   # numbers/strings, flat lists, and category-like objects go on one line
        if isinstance(v, list):
            return all(not isinstance(e, (dict, list)) for e in v)
        if isinstance(v, dict):
            return "value" in v or all(not isinstance(e, dict) for e in v.values())
        return True
    return dump(o, 0) + "\n"

with open(f"{OUT}/palette.json", "w", encoding="utf-8") as fh:
    fh.write(compact_json(palette()))
