#!/usr/bin/python3
"""Opens a QGIS project written by `zonekit run` with QGIS's own Python API (Debian's python3-qgis, QGIS 3.22)
offscreen and checks what a planner would see:

  check_qgs.py PROJECT.qgs CRS [--groups G1,G2,...] [--group-layers GROUP=L1,L2,...]... [--findings L1,L2,...]

- every layer is valid (its data source opens: no missing layer) and has a renderer (styled); districts and
  parcels are categorized; a layer with a default style in analysis.gpkg's layer_styles has that very style
  (QgsFeatureRenderer.dump() of the project's layer equals that of the bare layer QGIS styles from the file);
- the project CRS's authid is CRS (e.g. EPSG:4544);
- the top-level groups are 检查结果, 行政区划, 三区三线, 规划分区, 现状用地 in that order, or --groups;
- --group-layers: the layers of GROUP, top to bottom, are exactly L1, L2, …;
- no findings layer (one whose renderer reads the field "rule") is empty or outside 检查结果; --findings
  L1,L2,…: exactly these findings layers are switched on (the others hold only findings below tolerance);
- every data source is a relative path to analysis.gpkg beside the project.

Prints each failure and exits 1 when there is one; 2 when it cannot run (python3-qgis missing).
"""
import argparse
import os
import sys
from xml.etree import ElementTree

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

try:
    from qgis.core import (QgsApplication, QgsLayerTreeGroup, QgsLayerTreeLayer, QgsMapLayerType, QgsProject,
                           QgsRenderContext, QgsVectorLayer)
except ImportError as e:  # not Debian's python, or python3-qgis missing
    print(f"check_qgs.py: cannot import qgis.core ({e}) with {sys.executable}: run scripts/setup.sh "
          "(it installs python3-qgis) and use Debian's /usr/bin/python3", file=sys.stderr)
    sys.exit(2)

DEFAULT_GROUPS = ["检查结果", "行政区划", "三区三线", "规划分区", "现状用地"]


def symbol_layers(renderer):
    """Every symbol layer of a renderer: its kind and all its properties (colours, widths, hatching, …)."""
    return [(sl.layerType(), sl.properties()) for sym in renderer.symbols(QgsRenderContext()) for sl in sym.symbolLayers()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("project")
    ap.add_argument("crs")
    ap.add_argument("--groups", default=",".join(DEFAULT_GROUPS))
    ap.add_argument("--group-layers", action="append", default=[])
    ap.add_argument("--findings", default=None, help="the findings layers switched on ('' = none)")
    args = ap.parse_args()

    failures = []

    def fail(text):
        failures.append(text)

    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    if not project.read(args.project):
        print(f"check_qgs.py: QGIS cannot read '{args.project}': {project.error()}", file=sys.stderr)
        return 1

    if project.crs().authid() != args.crs:
        fail(f"project CRS is '{project.crs().authid()}' ({project.crs().description()}), expected '{args.crs}'")

    root = project.layerTreeRoot()
    groups = [c for c in root.children() if isinstance(c, QgsLayerTreeGroup)]
    loose = [c.name() for c in root.children() if not isinstance(c, QgsLayerTreeGroup)]
    if loose:
        fail(f"layers outside any group: {loose}")
    names = [g.name() for g in groups]
    expected_groups = [g for g in args.groups.split(",") if g]
    if names != expected_groups:
        fail(f"groups are {names}, expected {expected_groups}")
    by_group = {g.name(): [c for c in g.children() if isinstance(c, QgsLayerTreeLayer)] for g in groups}

    for spec in args.group_layers:
        group, _, layers = spec.partition("=")
        want = [l for l in layers.split(",") if l]
        have = [n.name() for n in by_group.get(group, [])]
        if have != want:
            fail(f"group {group} holds {have}, expected {want}")

    findings_on = {}  # findings layer → switched on in the layer tree
    styled_as_stored = []  # layers whose style is the one layer_styles holds
    project_dir = os.path.dirname(os.path.abspath(args.project))
    gpkg = os.path.join(project_dir, "analysis.gpkg")
    with open(args.project, encoding="utf-8") as f:
        text = f.read()
    for node in root.findLayers():
        layer = node.layer()
        name = node.name()
        if layer is None:
            fail(f"layer '{name}': missing (the tree names a layer the project does not hold)")
            continue
        if not layer.isValid():
            fail(f"layer '{name}': not valid (source '{layer.source()}')")
            continue
        source = layer.source().split("|")[0]
        if os.path.abspath(source) != gpkg:
            fail(f"layer '{name}': source '{source}' is not analysis.gpkg beside the project")
        if layer.type() != QgsMapLayerType.VectorLayer:
            fail(f"layer '{name}': not a vector layer")
            continue
        if not layer.isSpatial():
            continue  # an attribute table: nothing to draw
        renderer = layer.renderer()
        if renderer is None:
            fail(f"layer '{name}': no renderer")
            continue
        kind = renderer.type()
        # The same style as the GeoPackage's own default (layer_styles), which QGIS loads for the bare layer.
        if "geometrytype=" not in layer.source():
            bare = QgsVectorLayer(layer.source(), "bare", "ogr")
            _, stored = bare.loadDefaultStyle()
            if stored and (bare.renderer().dump() != renderer.dump() or
                           symbol_layers(bare.renderer()) != symbol_layers(renderer) or
                           bare.labelsEnabled() != layer.labelsEnabled()):
                fail(f"layer '{name}': its style differs from the default style in analysis.gpkg's layer_styles")
            if stored:
                styled_as_stored.append(name)
        attr = renderer.classAttribute() if kind == "categorizedSymbol" else ""
        if name in ("districts", "parcels") and kind != "categorizedSymbol":
            fail(f"layer '{name}': renderer '{kind}', expected a categorized one")
        if attr == "rule":
            findings_on[name] = node.itemVisibilityChecked()
            if node.parent().name() != "检查结果":
                fail(f"findings layer '{name}' is in group '{node.parent().name()}', not 检查结果")
            if layer.featureCount() <= 0:
                fail(f"findings layer '{name}' is empty (empty findings layers are left out)")
    # As written (QGIS resolves them on reading): relative to the project, so the folder can move.
    for ds in ElementTree.fromstring(text).iter("datasource"):
        if ds.text and not ds.text.startswith("./analysis.gpkg|layername="):
            fail(f"data source '{ds.text}' is not relative to the project ('./analysis.gpkg|layername=…')")
    if args.findings is not None:
        want = [l for l in args.findings.split(",") if l]
        on = [n for n, checked in findings_on.items() if checked]
        if sorted(on) != sorted(want):
            fail(f"findings layers switched on: {on}, expected {want} (all findings layers: {list(findings_on)})")

    layers = len(root.findLayers())
    if failures:
        for f in failures:
            print(f"check_qgs.py: {args.project}: {f}", file=sys.stderr)
        return 1
    print(f"check_qgs.py: {args.project}: OK — {layers} layer(s) valid and styled in groups {names} "
          f"({len(styled_as_stored)} with the style stored in analysis.gpkg), CRS {args.crs}")
    return 0


if __name__ == "__main__":
    code = main()
    # Leave without tearing QGIS down (exitQgis after a project read can crash offscreen on exit).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
