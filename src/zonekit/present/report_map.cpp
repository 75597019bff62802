#include "zonekit/present/report_map.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/present/report.hpp"

#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <memory>

namespace zk {

namespace {

struct Frame {
    Box world, px;
    double sx = 1, sy = 1;  // pixels per metre
    Frame(const Box& w, const Box& p) : world(w), px(p) {
        sx = (p.max_x - p.min_x) / std::max(1e-9, w.max_x - w.min_x);
        sy = (p.max_y - p.min_y) / std::max(1e-9, w.max_y - w.min_y);
    }
    double x(double wx) const { return px.min_x + (wx - world.min_x) * sx; }
    double y(double wy) const { return px.min_y + (world.max_y - wy) * sy; }
};

void ring_path(const OGRLinearRing& ring, const Frame& f, std::string& d) {
    const int n = ring.getNumPoints();
    for (int i = 0; i < n; ++i)
        d += fmt::format("{}{:.1f} {:.1f}", i == 0 ? "M" : "L", f.x(ring.getX(i)), f.y(ring.getY(i)));
    if (n > 0) d += "Z";
}

void geometry_path(const OGRGeometry* g, const Frame& f, std::string& d) {
    if (!g) return;
    switch (wkbFlatten(g->getGeometryType())) {
    case wkbPolygon: {
        const auto* p = g->toPolygon();
        if (p->getExteriorRing()) ring_path(*p->getExteriorRing(), f, d);
        for (int i = 0; i < p->getNumInteriorRings(); ++i) ring_path(*p->getInteriorRing(i), f, d);
        break;
    }
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const auto* part : *g->toGeometryCollection()) geometry_path(part, f, d);
        break;
    case wkbPoint: {  // a small square to point at
        const auto* p = g->toPoint();
        d += fmt::format("M{0:.1f} {1:.1f}h8v8h-8Z", f.x(p->getX()) - 4, f.y(p->getY()) - 4);
        break;
    }
    default: break;  // lines are not named under the pointer
    }
}

}  // namespace

std::string add_hover_overlay(const std::string& svg, const RenderResult& drawn, const std::vector<HoverLayer>& layers) {
    const Frame frame(drawn.extent, drawn.frame_px);
    const double tolerance = 1.0 / std::max(frame.sx, 1e-12);  // a pixel, in metres
    std::string overlay = "<g class=\"zk-hover\" fill=\"#000\" fill-opacity=\"0\" stroke=\"none\">\n";
    for (const auto& l : layers) {
        GDALDatasetUniquePtr ds(GDALDataset::Open(l.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        OGRLayer* layer = ds ? (l.layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(l.layer.c_str())) : nullptr;
        if (!layer) throw InputError(fmt::format("'{}': layer '{}' cannot be read for the report's map", l.path, l.layer));
        if (!l.where.empty()) layer->SetAttributeFilter(l.where.c_str());
        layer->SetSpatialFilterRect(drawn.extent.min_x, drawn.extent.min_y, drawn.extent.max_x, drawn.extent.max_y);
        const int key = l.key.empty() ? -1 : layer->GetLayerDefn()->GetFieldIndex(l.key.c_str());
        for (auto& feature : *layer) {
            const OGRGeometry* g = feature->GetGeometryRef();
            if (!g) continue;
            std::unique_ptr<OGRGeometry> simple(g->SimplifyPreserveTopology(tolerance));
            std::string d;
            geometry_path(simple ? simple.get() : g, frame, d);
            if (d.empty()) continue;
            const std::string name = key >= 0 && feature->IsFieldSetAndNotNull(key)
                                         ? std::string(feature->GetFieldAsString(key))
                                         : fmt::format("#{}", feature->GetFID());
            overlay += fmt::format("<path fill-rule=\"evenodd\" d=\"{}\"><title>{}：{}</title></path>\n", d,
                                   html_escape(l.title), html_escape(name));
        }
    }
    overlay += "</g>\n";
    const auto end = svg.rfind("</svg>");
    if (end == std::string::npos) return svg;
    return svg.substr(0, end) + overlay + svg.substr(end);
}

}  // namespace zk
