#include "zonekit/present/qgis_project.hpp"
#include "zonekit/present/qgis_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"
#include "zonekit/io/layer_styles.hpp"
#include "zonekit/io/palette.hpp"

#include <cpl_minixml.h>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

namespace zk {

namespace qgis_detail {

std::string esc(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else if (c == '\n') out += "&#10;";
        else if (c == '\r') out += "&#13;";
        else if (c == '\t') out += "&#9;";
        else out += c;
    }
    return out;
}

}  // namespace qgis_detail

using namespace qgis_detail;

namespace {

// Coordinates in their shortest round-trip form: the same GeoPackage gives the same text.
std::string coord(double x) { return fmt::format("{}", x); }

int geometry_rank(QgisGeometry g) { return static_cast<int>(g); }  // point, line, polygon, unknown, none

const char* geometry_attribute(QgisGeometry g) {
    switch (g) {
        case QgisGeometry::point: return "Point";
        case QgisGeometry::line: return "Line";
        case QgisGeometry::polygon: return "Polygon";
        case QgisGeometry::unknown: return "Unknown geometry";
        case QgisGeometry::none: break;
    }
    return "No geometry";
}

// QGIS's name of an OGR geometry type (QgsWkbTypes::displayString).
std::string wkb_name(OGRwkbGeometryType type) {
    const OGRwkbGeometryType flat = wkbFlatten(type);
    std::string name;
    switch (flat) {
        case wkbPoint: name = "Point"; break;
        case wkbLineString: name = "LineString"; break;
        case wkbPolygon: name = "Polygon"; break;
        case wkbMultiPoint: name = "MultiPoint"; break;
        case wkbMultiLineString: name = "MultiLineString"; break;
        case wkbMultiPolygon: name = "MultiPolygon"; break;
        case wkbGeometryCollection: name = "GeometryCollection"; break;
        case wkbNone: return "NoGeometry";
        default: return "Unknown";
    }
    if (wkbHasZ(type)) name += "Z";
    if (wkbHasM(type)) name += "M";
    return name;
}

// The geometry kind of an OGR type; unknown for a collection or an unknown type.
QgisGeometry kind_of(OGRwkbGeometryType type) {
    switch (wkbFlatten(type)) {
        case wkbPoint:
        case wkbMultiPoint: return QgisGeometry::point;
        case wkbLineString:
        case wkbMultiLineString: return QgisGeometry::line;
        case wkbPolygon:
        case wkbMultiPolygon: return QgisGeometry::polygon;
        case wkbNone: return QgisGeometry::none;
        default: return QgisGeometry::unknown;
    }
}

// ---- The CRS ---------------------------------------------------------------------------------------------

std::string spatialrefsys(const Crs& crs, const std::string& ind) {
    const OGRSpatialReference& srs = crs.srs();
    std::string wkt, proj4;
    {
        char* text = nullptr;
        const char* const options[] = {"FORMAT=WKT2_2019", "MULTILINE=NO", nullptr};
        if (srs.exportToWkt(&text, options) == OGRERR_NONE && text) wkt = text;
        CPLFree(text);
        text = nullptr;
        GdalErrorCapture quiet;  // a CRS PROJ cannot put as a PROJ string leaves it empty
        if (srs.exportToProj4(&text) == OGRERR_NONE && text) proj4 = text;
        CPLFree(text);
    }
    std::string acronym;
    if (const std::size_t at = proj4.find("+proj="); at != std::string::npos)
        acronym = proj4.substr(at + 6, proj4.find(' ', at) - at - 6);
    std::string ellipsoid;
    if (const char* auth = srs.GetAuthorityName("GEOGCS|DATUM|SPHEROID"))
        if (const char* code = srs.GetAuthorityCode("GEOGCS|DATUM|SPHEROID")) ellipsoid = fmt::format("{}:{}", auth, code);
    const std::optional<int> epsg = crs.epsg();
    const std::string i1 = ind + "  ";
    std::string out = ind + "<spatialrefsys>\n";
    out += fmt::format("{}<wkt>{}</wkt>\n", i1, esc(wkt));
    out += fmt::format("{}<proj4>{}</proj4>\n", i1, esc(proj4));
    out += fmt::format("{}<srid>{}</srid>\n", i1, epsg.value_or(0));
    out += fmt::format("{}<authid>{}</authid>\n", i1, epsg ? fmt::format("EPSG:{}", *epsg) : std::string());
    out += fmt::format("{}<description>{}</description>\n", i1, esc(crs.name()));
    out += fmt::format("{}<projectionacronym>{}</projectionacronym>\n", i1, esc(acronym));
    out += fmt::format("{}<ellipsoidacronym>{}</ellipsoidacronym>\n", i1, esc(ellipsoid));
    out += fmt::format("{}<geographicflag>{}</geographicflag>\n", i1, crs.is_geographic() ? "true" : "false");
    return out + ind + "</spatialrefsys>\n";
}

// ---- Layers ------------------------------------------------------------------------------------------------

std::string legend_name(const QgisLayer& l) { return l.title.empty() ? l.table : l.title; }

std::string datasource(const QgisLayer& l, const std::string& gpkg_file) {
    std::string s = fmt::format("./{}|layername={}", gpkg_file, l.table);
    if (!l.geometry_part.empty()) s += "|geometrytype=" + l.geometry_part;
    return s;
}

// A layer id: its number and its name's ASCII letters and digits (QGIS's ids are a name and a UUID; these are
// made from the order, so the same layers give the same ids).
std::string layer_id(const QgisLayer& l, std::size_t n) {
    std::string id = fmt::format("zk{:03}_", n);
    for (char c : legend_name(l))
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') id += c;
    return id;
}

std::string extent_xml(const char* tag, double xmin, double ymin, double xmax, double ymax, const std::string& ind) {
    return fmt::format("{0}<{1}>\n{0}  <xmin>{2}</xmin>\n{0}  <ymin>{3}</ymin>\n{0}  <xmax>{4}</xmax>\n"
                       "{0}  <ymax>{5}</ymax>\n{0}</{1}>\n",
                       ind, tag, coord(xmin), coord(ymin), coord(xmax), coord(ymax));
}

std::string maplayer_xml(const QgisLayer& l, const std::string& id, const std::string& srs, const std::string& gpkg_file) {
    const std::string ind = "    ", i1 = ind + "  ";
    std::vector<std::pair<std::string, std::string>> attributes = {
        {"type", "vector"},
        {"geometry", geometry_attribute(l.geometry)},
        {"wkbType", l.wkb_type},
        {"hasScaleBasedVisibilityFlag", "0"},
        {"minScale", "100000000"},
        {"maxScale", "0"},
        {"readOnly", "0"},
        {"styleCategories", "AllStyleCategories"},
        {"labelsEnabled", "0"},
    };
    QmlParts style;
    if (l.geometry != QgisGeometry::none) style = qml_parts(l.qml.empty() ? plain_qml(l.geometry) : l.qml, l.table);
    for (const auto& [k, v] : style.attributes) {
        auto it = std::find_if(attributes.begin(), attributes.end(), [&k = k](const auto& a) { return a.first == k; });
        if (it != attributes.end()) it->second = v;
        else attributes.emplace_back(k, v);
    }
    std::string out = ind + "<maplayer";
    for (const auto& [k, v] : attributes) out += fmt::format(" {}=\"{}\"", k, esc(v));
    out += ">\n";
    if (l.has_extent) out += extent_xml("extent", l.xmin, l.ymin, l.xmax, l.ymax, i1);
    out += fmt::format("{}<id>{}</id>\n", i1, esc(id));
    out += fmt::format("{}<datasource>{}</datasource>\n", i1, esc(datasource(l, gpkg_file)));
    out += fmt::format("{}<keywordList>\n{}  <value></value>\n{}</keywordList>\n", i1, i1, i1);
    out += fmt::format("{}<layername>{}</layername>\n", i1, esc(legend_name(l)));
    if (l.geometry != QgisGeometry::none) out += i1 + "<srs>\n" + srs + i1 + "</srs>\n";
    out += i1 + "<provider encoding=\"UTF-8\">ogr</provider>\n";
    out += i1 + "<flags>\n" + i1 + "  <Identifiable>1</Identifiable>\n" + i1 + "  <Removable>1</Removable>\n" + i1 +
           "  <Searchable>1</Searchable>\n" + i1 + "  <Private>0</Private>\n" + i1 + "</flags>\n";
    if (!style.body.empty()) out += style.body + "\n";
    return out + ind + "</maplayer>\n";
}

}  // namespace

namespace {
const std::string findings_group = "检查结果", land_use_group = "现状用地", districts_group = "规划分区",
                  control_lines_group = "三区三线", admin_group = "行政区划";
}  // namespace

// The legend's order is this list alone (the groups are named, not numbered, below).
const std::vector<std::string>& qgis_groups() {
    // As zonekit's own map stacks them (styles/palette.json draw_order): the boundary's outline above the
    // control lines above the districts' fills above the land use, so that no fill hides a line.
    static const std::vector<std::string> groups = {findings_group, admin_group, control_lines_group, districts_group,
                                                    land_use_group};
    return groups;
}

const std::string& qgis_group(const QgisLayer& layer) {
    if (!layer.input || layer.role == "findings") return findings_group;
    if (layer.role == "boundary") return admin_group;
    if (layer.role == "redline" || layer.role == "farmland" || layer.role == "urban") return control_lines_group;
    if (layer.role == "districts") return districts_group;
    return land_use_group;
}

std::vector<QgisLayer> read_qgis_layers(const std::string& gpkg_path, const std::vector<QgisSource>& sources) {
    gdal_init();
    GdalErrorCapture capture;
    GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) throw OutputError(fmt::format("cannot read '{}' for its QGIS project: {}", gpkg_path, capture.last_error()));

    // The default style of each layer, as QGIS would find it.
    std::map<std::string, std::string> styles;
    if (ds->GetLayerByName("layer_styles")) {
        OGRLayer* rows = ds->ExecuteSQL("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault = 1 "
                                        "ORDER BY id",
                                        nullptr, nullptr);
        if (!rows)
            throw OutputError(fmt::format("cannot read the layer_styles table of '{}': {}", gpkg_path, capture.last_error()));
        for (auto& f : *rows) styles[f->GetFieldAsString(0)] = f->GetFieldAsString(1);
        ds->ReleaseResultSet(rows);
    }

    std::vector<QgisLayer> out;
    for (OGRLayer* layer : ds->GetLayers()) {
        const std::string name = layer->GetName();
        if (name == "layer_styles") continue;
        QgisLayer l;
        l.table = name;
        l.input = false;
        for (const auto& s : sources)
            if (s.table == name) {
                l.role = s.findings ? "findings" : s.role;
                l.input = !s.findings;
            }
        if (auto it = styles.find(name); it != styles.end()) l.qml = it->second;
        const OGRwkbGeometryType type = layer->GetGeomType();
        l.geometry = kind_of(type);
        l.wkb_type = wkb_name(type);
        // Findings above tolerance, for a findings layer that can tell.
        const int below = l.role == "findings" ? find_field(*layer->GetLayerDefn(), "below_tolerance") : -1;
        if (l.geometry != QgisGeometry::unknown) {
            l.features = layer->GetFeatureCount();
            if (below >= 0 && l.features > 0) {
                std::int64_t above = 0;
                for (auto& f : *layer)
                    if (f->GetFieldAsInteger(below) == 0) ++above;
                l.visible = above > 0;
            }
            OGREnvelope env;
            if (l.geometry != QgisGeometry::none && l.features > 0 && layer->GetExtent(&env, TRUE) == OGRERR_NONE) {
                l.has_extent = true;
                l.xmin = env.MinX, l.ymin = env.MinY, l.xmax = env.MaxX, l.ymax = env.MaxY;
            }
            out.push_back(std::move(l));
            continue;
        }
        // Mixed types: one layer per kind present, as QGIS splits such a layer (|geometrytype=).
        struct Part {
            std::int64_t features = 0, above = 0;
            OGREnvelope env;
        };
        std::array<Part, 3> parts;  // point, line, polygon
        for (auto& f : *layer) {
            const OGRGeometry* g = f->GetGeometryRef();
            if (!g || g->IsEmpty()) continue;
            const QgisGeometry k = kind_of(g->getGeometryType());
            if (k != QgisGeometry::point && k != QgisGeometry::line && k != QgisGeometry::polygon) continue;
            Part& p = parts[static_cast<std::size_t>(k)];
            OGREnvelope e;
            g->getEnvelope(&e);
            p.env.Merge(e);
            ++p.features;
            if (below < 0 || f->GetFieldAsInteger(below) == 0) ++p.above;
        }
        const auto present = std::count_if(parts.begin(), parts.end(), [](const Part& p) { return p.features > 0; });
        for (std::size_t k = 0; k < parts.size(); ++k) {
            if (parts[k].features == 0) continue;
            QgisLayer part = l;
            if (present > 1) part.title = fmt::format("{}（{}）", l.table, k == 0 ? "点" : k == 1 ? "线" : "面");
            part.visible = parts[k].above > 0;
            part.geometry = static_cast<QgisGeometry>(k);
            part.geometry_part = k == 0 ? "Point" : k == 1 ? "LineString" : "Polygon";
            part.wkb_type = k == 0 ? "MultiPoint" : k == 1 ? "MultiLineString" : "MultiPolygon";
            part.features = parts[k].features;
            part.has_extent = true;
            part.xmin = parts[k].env.MinX, part.ymin = parts[k].env.MinY;
            part.xmax = parts[k].env.MaxX, part.ymax = parts[k].env.MaxY;
            // Points and lines in the colours of the role's style (the stored style draws polygons).
            if (part.geometry != QgisGeometry::polygon) {
                part.qml.clear();
                if (const RoleStyle* style = Palette::builtin().find(part.role)) {
                    const int field = style->categorized() ? find_field(*layer->GetLayerDefn(), style->field) : -1;
                    part.qml = palette_qml(*style, part.geometry,
                                           field < 0 ? std::string() : layer->GetLayerDefn()->GetFieldDefn(field)->GetNameRef());
                }
            }
            out.push_back(std::move(part));
        }
        if (present == 0) {  // no features with a point, line or polygon: one layer, of unknown type
            l.features = layer->GetFeatureCount();
            out.push_back(std::move(l));
        }
    }
    return out;
}

std::string qgis_project_xml(const std::vector<QgisLayer>& layers, const Crs& crs, const std::string& gpkg_file,
                             const std::string& title) {
    // The layers shown, group by group, in legend order.
    const auto& groups = qgis_groups();
    std::vector<std::vector<const QgisLayer*>> grouped(groups.size());
    for (const auto& l : layers) {
        if (l.role == "findings" && l.features == 0) continue;
        const std::string& g = qgis_group(l);
        grouped[static_cast<std::size_t>(std::find(groups.begin(), groups.end(), g) - groups.begin())].push_back(&l);
    }
    const Palette& palette = Palette::builtin();
    for (auto& g : grouped)
        std::stable_sort(g.begin(), g.end(), [&palette](const QgisLayer* a, const QgisLayer* b) {
            const auto key = [&palette](const QgisLayer* l) {
                return std::make_tuple(l->role == "findings" ? 0 : 1, geometry_rank(l->geometry),
                                       -palette.draw_rank(l->role));
            };
            return key(a) < key(b);
        });
    std::vector<const QgisLayer*> ordered;
    for (const auto& g : grouped) ordered.insert(ordered.end(), g.begin(), g.end());
    std::map<const QgisLayer*, std::string> ids;
    for (std::size_t i = 0; i < ordered.size(); ++i) ids[ordered[i]] = layer_id(*ordered[i], i + 1);

    bool has_extent = false;
    OGREnvelope extent;
    for (const QgisLayer* l : ordered)
        if (l->has_extent) {
            OGREnvelope e;
            e.MinX = l->xmin, e.MinY = l->ymin, e.MaxX = l->xmax, e.MaxY = l->ymax;
            extent.Merge(e);
            has_extent = true;
        }

    std::string out = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
    out += fmt::format("<qgis projectname=\"{}\" version=\"{}\">\n", esc(title), qgis_version);
    out += "  <homePath path=\"\"/>\n";
    out += fmt::format("  <title>{}</title>\n", esc(title));
    out += "  <projectCrs>\n" + spatialrefsys(crs, "    ") + "  </projectCrs>\n";

    // The layer tree: the groups, top to bottom, and the layers in each.
    out += "  <layer-tree-group>\n    <customproperties>\n      <Option/>\n    </customproperties>\n";
    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (grouped[g].empty()) continue;
        out += fmt::format("    <layer-tree-group checked=\"Qt::Checked\" expanded=\"1\" name=\"{}\">\n"
                           "      <customproperties>\n        <Option/>\n      </customproperties>\n",
                           esc(groups[g]));
        for (const QgisLayer* l : grouped[g])
            out += fmt::format("      <layer-tree-layer id=\"{}\" name=\"{}\" source=\"{}\" providerKey=\"ogr\" "
                               "checked=\"Qt::{}\" expanded=\"{}\" legend_exp=\"\" patch_size=\"-1,-1\" "
                               "legend_split_behavior=\"0\">\n        <customproperties>\n          <Option/>\n"
                               "        </customproperties>\n      </layer-tree-layer>\n",
                               esc(ids[l]), esc(legend_name(*l)), esc(datasource(*l, gpkg_file)),
                               l->visible ? "Checked" : "Unchecked", l->role == "parcels" ? 0 : 1);  // the parcels' legend is long
        out += "    </layer-tree-group>\n";
    }
    out += "    <custom-order enabled=\"0\">\n";
    for (const QgisLayer* l : ordered) out += fmt::format("      <item>{}</item>\n", esc(ids[l]));
    out += "    </custom-order>\n  </layer-tree-group>\n";

    const std::string srs = spatialrefsys(crs, "        ");
    out += "  <projectlayers>\n";
    for (const QgisLayer* l : ordered) out += maplayer_xml(*l, ids[l], srs, gpkg_file);
    out += "  </projectlayers>\n  <layerorder>\n";
    for (const QgisLayer* l : ordered) out += fmt::format("    <layer id=\"{}\"/>\n", esc(ids[l]));
    out += "  </layerorder>\n";

    out += "  <properties>\n    <Paths>\n      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n"
           "    <SpatialRefSys>\n      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n    </SpatialRefSys>\n"
           "  </properties>\n";
    if (has_extent) {
        // The view QGIS opens on: the canvas of the desktop application, and the project's default view.
        out += fmt::format("  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n    <units>{}</units>\n",
                           crs.is_geographic() ? "degrees" : "meters");
        out += extent_xml("extent", extent.MinX, extent.MinY, extent.MaxX, extent.MaxY, "    ");
        out += "    <rotation>0</rotation>\n    <destinationsrs>\n" + spatialrefsys(crs, "      ") +
               "    </destinationsrs>\n    <rendermaptile>0</rendermaptile>\n    <expressionContextScope/>\n"
               "  </mapcanvas>\n";
        out += fmt::format("  <ProjectViewSettings rotation=\"0\" UseProjectScales=\"0\">\n    <Scales/>\n"
                           "    <DefaultViewExtent xmin=\"{}\" ymin=\"{}\" xmax=\"{}\" ymax=\"{}\">\n",
                           coord(extent.MinX), coord(extent.MinY), coord(extent.MaxX), coord(extent.MaxY));
        out += spatialrefsys(crs, "      ") + "    </DefaultViewExtent>\n  </ProjectViewSettings>\n";
    }
    return out + "</qgis>\n";
}

}  // namespace zk
