// The QML of the layers of a QGIS project: a layer drawn in the colours of its role's style (or plain grey), and
// the parts of a stored QML that go into the project's <maplayer>.
#include "zonekit/present/qgis_internal.hpp"

#include "zonekit/base/error.hpp"

#include <cpl_minixml.h>
#include <fmt/format.h>

#include <memory>

namespace zk {

using namespace qgis_detail;

namespace {

std::string rgba(const Rgba& c) { return fmt::format("{},{},{},{}", c.r, c.g, c.b, c.a); }

std::string marker_layer(const Rgba& color, const std::string& ind) {
    return fmt::format(
        "{0}<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
        "{0}  <prop k=\"angle\" v=\"0\"/>\n{0}  <prop k=\"color\" v=\"{1}\"/>\n{0}  <prop k=\"joinstyle\" v=\"bevel\"/>\n"
        "{0}  <prop k=\"name\" v=\"circle\"/>\n{0}  <prop k=\"offset\" v=\"0,0\"/>\n{0}  <prop k=\"offset_unit\" v=\"MM\"/>\n"
        "{0}  <prop k=\"outline_color\" v=\"255,255,255,255\"/>\n{0}  <prop k=\"outline_style\" v=\"solid\"/>\n"
        "{0}  <prop k=\"outline_width\" v=\"0.3\"/>\n{0}  <prop k=\"outline_width_unit\" v=\"MM\"/>\n"
        "{0}  <prop k=\"scale_method\" v=\"diameter\"/>\n{0}  <prop k=\"size\" v=\"3\"/>\n"
        "{0}  <prop k=\"size_unit\" v=\"MM\"/>\n{0}</layer>\n",
        ind, rgba(color));
}

std::string line_layer(const Rgba& color, double width_mm, const std::string& ind) {
    return fmt::format(
        "{0}<layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
        "{0}  <prop k=\"capstyle\" v=\"round\"/>\n{0}  <prop k=\"joinstyle\" v=\"round\"/>\n"
        "{0}  <prop k=\"line_color\" v=\"{1}\"/>\n{0}  <prop k=\"line_style\" v=\"solid\"/>\n"
        "{0}  <prop k=\"line_width\" v=\"{2}\"/>\n{0}  <prop k=\"line_width_unit\" v=\"MM\"/>\n{0}</layer>\n",
        ind, rgba(color), width_mm);
}

std::string fill_layer(const Rgba& fill, const Rgba& outline, const std::string& ind) {
    return fmt::format(
        "{0}<layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
        "{0}  <prop k=\"color\" v=\"{1}\"/>\n{0}  <prop k=\"joinstyle\" v=\"bevel\"/>\n"
        "{0}  <prop k=\"outline_color\" v=\"{2}\"/>\n{0}  <prop k=\"outline_style\" v=\"solid\"/>\n"
        "{0}  <prop k=\"outline_width\" v=\"0.26\"/>\n{0}  <prop k=\"outline_width_unit\" v=\"MM\"/>\n"
        "{0}  <prop k=\"style\" v=\"solid\"/>\n{0}</layer>\n",
        ind, rgba(fill), rgba(outline));
}

// A symbol of `geometry` in `s`'s colours: a point in its outline colour (opaque), a line in its outline
// colour and width (at least 0.6 mm), a fill as the symbol's fill and outline.
std::string symbol_xml(const std::string& name, QgisGeometry geometry, const Symbol& s, const std::string& ind) {
    Rgba color = s.stroke.value_or(s.fill.value_or(Rgba{128, 128, 128, 255}));
    color.a = 255;
    const char* type = geometry == QgisGeometry::point ? "marker" : geometry == QgisGeometry::line ? "line" : "fill";
    std::string out = fmt::format("{}<symbol type=\"{}\" name=\"{}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n",
                                  ind, type, esc(name));
    if (geometry == QgisGeometry::point) out += marker_layer(color, ind + "  ");
    else if (geometry == QgisGeometry::line) out += line_layer(color, std::max(0.6, s.stroke_width_mm), ind + "  ");
    else out += fill_layer(s.fill.value_or(Rgba{0, 0, 0, 0}), color, ind + "  ");
    return out + ind + "</symbol>\n";
}

}  // namespace

namespace qgis_detail {

// A QML for a layer of `geometry` drawn in the colours of `style` (categorized on `field` when the style is
// and the layer has the field, else its single symbol or "other").
std::string palette_qml(const RoleStyle& style, QgisGeometry geometry, const std::string& field) {
    std::string out = fmt::format("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"{}\" "
                                  "styleCategories=\"Symbology|Labeling\" labelsEnabled=\"0\">\n",
                                  qgis_version);
    if (style.categorized() && !field.empty()) {
        std::vector<const Symbol*> cats;
        for (const auto& c : style.categories) cats.push_back(&c);
        cats.push_back(&style.other);
        out += fmt::format("  <renderer-v2 type=\"categorizedSymbol\" attr=\"{}\" forceraster=\"0\" symbollevels=\"0\" "
                           "enableorderby=\"0\" referencescale=\"-1\">\n    <categories>\n",
                           esc(field));
        for (std::size_t i = 0; i < cats.size(); ++i)
            out += fmt::format("      <category render=\"true\" value=\"{}\" label=\"{}\" symbol=\"{}\"/>\n",
                               esc(i + 1 == cats.size() ? std::string() : cats[i]->value), esc(cats[i]->label), i);
        out += "    </categories>\n    <symbols>\n";
        for (std::size_t i = 0; i < cats.size(); ++i) out += symbol_xml(std::to_string(i), geometry, *cats[i], "      ");
        out += "    </symbols>\n";
    } else {
        out += "  <renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\" "
               "referencescale=\"-1\">\n    <symbols>\n";
        out += symbol_xml("0", geometry, style.categorized() ? style.other : style.symbol, "      ");
        out += "    </symbols>\n";
    }
    out += "    <rotation/>\n    <sizescale/>\n  </renderer-v2>\n  <blendMode>0</blendMode>\n"
           "  <featureBlendMode>0</featureBlendMode>\n";
    return out + "</qgis>\n";
}

// One plain grey symbol of the layer's geometry (a layer without a stored style).
std::string plain_qml(QgisGeometry geometry) {
    Symbol s;
    s.fill = Rgba{190, 190, 190, 140};
    s.stroke = Rgba{90, 90, 90, 255};
    RoleStyle style;
    style.symbol = s;
    return palette_qml(style, geometry, {});
}

QmlParts qml_parts(const std::string& qml, const std::string& layer) {
    struct Free {
        void operator()(CPLXMLNode* n) const { CPLDestroyXMLNode(n); }
    };
    std::unique_ptr<CPLXMLNode, Free> tree(CPLParseXMLString(qml.c_str()));
    const CPLXMLNode* root = nullptr;
    for (const CPLXMLNode* n = tree.get(); n; n = n->psNext)
        if (n->eType == CXT_Element && std::string_view(n->pszValue) == "qgis") root = n;
    const std::size_t open = qml.find("<qgis");
    const std::size_t close = qml.rfind("</qgis>");
    if (!root || open == std::string::npos)
        throw OutputError(fmt::format("the style of layer '{}' is not a QGIS style (QML): it has no <qgis> element", layer));
    QmlParts parts;
    for (const CPLXMLNode* a = root->psChild; a; a = a->psNext)
        if (a->eType == CXT_Attribute && a->psChild && std::string_view(a->pszValue) != "version" &&
            std::string_view(a->pszValue) != "styleCategories")
            parts.attributes.emplace_back(a->pszValue, a->psChild->pszValue ? a->psChild->pszValue : "");
    // The end of the start tag: the first '>' outside quotes.
    char quote = 0;
    std::size_t i = open;
    for (; i < qml.size(); ++i) {
        const char c = qml[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            break;
        }
    }
    if (i < qml.size() && qml[i - 1] != '/' && close != std::string::npos && close > i) {
        parts.body = qml.substr(i + 1, close - i - 1);
        while (!parts.body.empty() && (parts.body.front() == '\n' || parts.body.front() == '\r'))
            parts.body.erase(parts.body.begin());
        while (!parts.body.empty() && (parts.body.back() == ' ' || parts.body.back() == '\n')) parts.body.pop_back();
    }
    return parts;
}

}  // namespace qgis_detail

}  // namespace zk
