// The QML and SLD text of the styles, as scripts/make_styles.py writes it: a categorized style built from a
// layer's values, and an embedded style with its fields spelled as in the layer.
#include "zonekit/io/layer_styles.hpp"
#include "zonekit/io/layer_styles_internal.hpp"

#include "zonekit/io/palette.hpp"

#include <fmt/format.h>

#include <cmath>

namespace zk {

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    if (from.empty() || from == to) return text;
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}
// ---- XML text as scripts/make_styles.py writes it ---------------------------------------------------------

// Valid UTF-8 that XML 1.0 allows: other bytes and control characters become U+FFFD.
std::string xml_safe(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = n > 0 && i + n <= s.size();
        for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
        if (ok && n == 1) ok = c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
        if (ok && n == 2) ok = c >= 0xC2;
        if (ok && n == 3) {  // no overlong forms, no surrogates, not U+FFFE/U+FFFF
            const auto c1 = static_cast<unsigned char>(s[i + 1]);
            ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0) &&
                 !(c == 0xEF && c1 == 0xBF && static_cast<unsigned char>(s[i + 2]) >= 0xBE);
        }
        if (ok && n == 4) {
            const auto c1 = static_cast<unsigned char>(s[i + 1]);
            ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90) && c <= 0xF4;
        }
        if (ok) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

// Element text (xml.sax.saxutils.escape).
std::string xml_text(std::string_view s) {
    std::string out;
    for (char c : xml_safe(s)) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else out += c;
    }
    return out;
}

// An attribute value with its double quotes (quoteattr, but always double-quoted).
std::string xml_attr(std::string_view s) {
    std::string out = "\"";
    for (char c : xml_text(s)) {
        if (c == '"') out += "&quot;";
        else if (c == '\n') out += "&#10;";
        else if (c == '\r') out += "&#13;";
        else if (c == '\t') out += "&#9;";
        else out += c;
    }
    return out + "\"";
}

// Python's ("%.3f" % x).rstrip("0").rstrip(".").
std::string num(double x) {
    std::string s = fmt::format("{:.3f}", x);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s.empty() || s == "-0" ? "0" : s;
}

// Millimetres in SE pixels of 0.28 mm, to 2 decimals.
std::string px(double mm) { return num(std::round(mm / 0.28 * 100) / 100); }

std::string rgba(const Rgba& c) { return fmt::format("{},{},{},{}", c.r, c.g, c.b, c.a); }
std::string hex(const Rgba& c) { return fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b); }

constexpr const char* qgis_version = "3.22.16-Białowieża";
constexpr const char* map_unit_scale = "3x:0,0,0,0,0,0";

std::string prop(const std::string& ind, const char* k, const std::string& v) {
    return fmt::format("{}<prop k=\"{}\" v={}/>\n", ind, k, xml_attr(v));
}

// A simple fill with its outline (the districts' symbols).
std::string qml_fill_symbol(const std::string& name, const Symbol& s, const std::string& ind) {
    const std::string i2 = ind + "  ", i3 = ind + "    ";
    std::string out = fmt::format("{}<symbol type=\"fill\" name=\"{}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n",
                                  ind, name);
    out += i2 + "<layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
    out += prop(i3, "color", rgba(s.fill.value_or(Rgba{0, 0, 0, 0})));
    out += prop(i3, "joinstyle", "bevel");
    out += prop(i3, "outline_color", rgba(s.stroke.value_or(Rgba{0, 0, 0, 0})));
    out += prop(i3, "outline_style", s.stroke ? "solid" : "no");
    out += prop(i3, "outline_width", num(s.stroke_width_mm));
    out += prop(i3, "outline_width_unit", "MM");
    out += prop(i3, "style", s.fill ? "solid" : "no");
    out += i2 + "</layer>\n";
    return out + ind + "</symbol>\n";
}

std::string qml_labeling(const LabelStyle& l) {
    const Rgba halo{l.halo.r, l.halo.g, l.halo.b, 255};
    return fmt::format(
        R"(  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName={} isExpression="0" fontFamily={} namedStyle="{}" fontWeight="{}" fontItalic="0" fontSize="{}" fontSizeUnit="Point" fontSizeMapUnitScale="{}" textColor="{}" textOpacity="1" blendMode="0" multilineHeight="1" allowHtml="0" capitalization="0" fontKerning="1" fontLetterSpacing="0" fontWordSpacing="0" fontStrikeout="0" fontUnderline="0" previewBkgrdColor="255,255,255,255" textOrientation="horizontal" useSubstitutions="0">
        <text-buffer bufferDraw="1" bufferSize="{}" bufferSizeUnits="MM" bufferSizeMapUnitScale="{}" bufferColor="{}" bufferOpacity="{}" bufferNoFill="1" bufferJoinStyle="128" bufferBlendMode="0"/>
        <shadow shadowDraw="0"/>
        <substitutions/>
      </text-style>
      <text-format wrapChar="" autoWrapLength="0" useMaxLineLengthForAutoWrap="1" multilineAlign="1" formatNumbers="0" decimals="3" plussign="0" addDirectionSymbol="0" placeDirectionSymbol="0" reverseDirectionSymbol="0" leftDirectionSymbol="&lt;" rightDirectionSymbol="&gt;"/>
      <placement placement="1" centroidWhole="0" centroidInside="1" fitInPolygonOnly="0" quadOffset="4" xOffset="0" yOffset="0" offsetUnits="MM" dist="0" distUnits="MM" priority="5" repeatDistance="0" overrunDistance="0" polygonPlacementFlags="2" placementFlags="10" rotationAngle="0" preserveRotation="1" layerType="PolygonGeometry"/>
      <rendering obstacle="1" obstacleType="1" obstacleFactor="1" displayAll="0" upsidedownLabels="0" labelPerPart="0" mergeLines="0" limitNumLabels="0" maxNumLabels="2000" minFeatureSize="0" drawLabels="1" fontLimitPixelSize="0" fontMinPixelSize="3" fontMaxPixelSize="10000" scaleVisibility="0" scaleMin="0" scaleMax="0" zIndex="0" unplacedVisibility="0"/>
    </settings>
  </labeling>
)",
        xml_attr(l.field), xml_attr(l.font), l.bold ? "Bold" : "Regular", l.bold ? 75 : 50, num(l.size_pt),
        map_unit_scale, rgba(l.color), num(l.halo_mm), map_unit_scale, rgba(halo), num(l.halo.a / 255.0));
}

std::string svg_param(const std::string& ind, const char* name, const std::string& value) {
    return fmt::format("{}<se:SvgParameter name=\"{}\">{}</se:SvgParameter>\n", ind, name, xml_text(value));
}

std::string sld_stroke(const Rgba& c, double width_mm, const std::string& ind) {
    std::string out = ind + "<se:Stroke>\n" + svg_param(ind + "  ", "stroke", hex(c));
    if (c.a != 255) out += svg_param(ind + "  ", "stroke-opacity", num(c.a / 255.0));
    out += svg_param(ind + "  ", "stroke-width", px(width_mm)) + svg_param(ind + "  ", "stroke-linejoin", "bevel");
    return out + ind + "</se:Stroke>\n";
}

std::string sld_polygon(const Symbol& s, const std::string& ind) {
    const std::string i1 = ind + "  ", i2 = ind + "    ";
    if (!s.fill && !s.stroke) return {};
    std::string out = ind + "<se:PolygonSymbolizer>\n";
    if (s.fill) {
        out += i1 + "<se:Fill>\n" + svg_param(i2, "fill", hex(*s.fill));
        if (s.fill->a != 255) out += svg_param(i2, "fill-opacity", num(s.fill->a / 255.0));
        out += i1 + "</se:Fill>\n";
    }
    if (s.stroke) out += sld_stroke(*s.stroke, s.stroke_width_mm, i1);
    return out + ind + "</se:PolygonSymbolizer>\n";
}

std::string sld_rule(const std::string& name, const std::string& title, const std::string& filter, const Symbol& s,
                     const std::string& ind) {
    std::string out = fmt::format("{0}<se:Rule>\n{0}  <se:Name>{1}</se:Name>\n{0}  <se:Description>\n"
                                  "{0}    <se:Title>{2}</se:Title>\n{0}  </se:Description>\n",
                                  ind, xml_text(name), xml_text(title));
    if (!filter.empty())
        out += fmt::format("{0}  <ogc:Filter xmlns:ogc=\"http://www.opengis.net/ogc\">\n{1}{0}  </ogc:Filter>\n", ind,
                           filter);
    return out + sld_polygon(s, ind + "  ") + ind + "</se:Rule>\n";
}

std::string sld_equal(const std::string& field, const std::string& value, const std::string& ind) {
    return fmt::format("{}<ogc:PropertyIsEqualTo><ogc:PropertyName>{}</ogc:PropertyName><ogc:Literal>{}</ogc:Literal>"
                       "</ogc:PropertyIsEqualTo>\n",
                       ind, xml_text(field), xml_text(value));
}

std::string sld_labels(const LabelStyle& l, const std::string& ind) {
    const std::string i = ind + "    ";
    std::string out = fmt::format("{0}<se:Rule>\n{0}  <se:Name>labels</se:Name>\n{0}  <se:TextSymbolizer>\n"
                                  "{1}<se:Label>\n{1}  <ogc:PropertyName>{2}</ogc:PropertyName>\n{1}</se:Label>\n"
                                  "{1}<se:Font>\n",
                                  ind, i, xml_text(l.field));
    out += svg_param(i + "  ", "font-family", l.font) + svg_param(i + "  ", "font-size", px(l.size_pt * 25.4 / 72));
    if (l.bold) out += svg_param(i + "  ", "font-weight", "bold");
    out += fmt::format("{0}</se:Font>\n{0}<se:LabelPlacement>\n{0}  <se:PointPlacement>\n{0}    <se:AnchorPoint>\n"
                       "{0}      <se:AnchorPointX>0.5</se:AnchorPointX>\n{0}      <se:AnchorPointY>0.5</se:AnchorPointY>\n"
                       "{0}    </se:AnchorPoint>\n{0}  </se:PointPlacement>\n{0}</se:LabelPlacement>\n"
                       "{0}<se:Halo>\n{0}  <se:Radius>{1}</se:Radius>\n{0}  <se:Fill>\n",
                       i, px(l.halo_mm));
    out += svg_param(i + "    ", "fill", hex(l.halo)) + svg_param(i + "    ", "fill-opacity", num(l.halo.a / 255.0));
    out += fmt::format("{0}  </se:Fill>\n{0}</se:Halo>\n{0}<se:Fill>\n", i) + svg_param(i + "  ", "fill", hex(l.color));
    return out + fmt::format("{0}</se:Fill>\n{1}  </se:TextSymbolizer>\n{1}</se:Rule>\n", i, ind);
}

}  // namespace

namespace style_detail {

// The embedded QML or SLD of `base` with its field and label field spelled as in `style`.
std::string respell(std::string text, const RoleStyle& base, const RoleStyle& style) {
    auto swap = [&](const std::string& from, const std::string& to) {
        if (from == to || from.empty()) return;
        const std::string f = xml_text(from), t = xml_text(to);
        text = replace_all(std::move(text), "attr=\"" + f + "\"", "attr=" + xml_attr(to));
        text = replace_all(std::move(text), "fieldName=\"" + f + "\"", "fieldName=" + xml_attr(to));
        text = replace_all(std::move(text), "&quot;" + f + "&quot;", "&quot;" + replace_all(t, "\"", "&quot;") + "&quot;");
        text = replace_all(std::move(text), "<ogc:PropertyName>" + f + "</ogc:PropertyName>",
                           "<ogc:PropertyName>" + t + "</ogc:PropertyName>");
    };
    swap(base.field, style.field);
    if (base.label && style.label && base.label->field != base.field) swap(base.label->field, style.label->field);
    return text;
}

}  // namespace style_detail

std::string categorized_qml(const RoleStyle& style) {
    std::vector<const Symbol*> cats;
    for (const auto& c : style.categories) cats.push_back(&c);
    cats.push_back(&style.other);
    std::string out = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
    out += fmt::format("<qgis version=\"{}\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"{}\">\n", qgis_version,
                       style.label ? 1 : 0);
    out += fmt::format("  <renderer-v2 type=\"categorizedSymbol\" attr={} forceraster=\"0\" symbollevels=\"0\" "
                       "enableorderby=\"0\" referencescale=\"-1\">\n    <categories>\n",
                       xml_attr(style.field));
    for (std::size_t i = 0; i < cats.size(); ++i) {
        // "" is QGIS's category of every value the others do not hold, NULL included: "other".
        const bool other = i + 1 == cats.size();
        out += fmt::format("      <category render=\"true\" value={} label={} symbol=\"{}\"/>\n",
                           xml_attr(other ? std::string() : cats[i]->value), xml_attr(cats[i]->label), i);
    }
    out += "    </categories>\n    <symbols>\n";
    for (std::size_t i = 0; i < cats.size(); ++i) out += qml_fill_symbol(std::to_string(i), *cats[i], "      ");
    out += "    </symbols>\n    <source-symbol>\n" + qml_fill_symbol("0", style.other, "      ") + "    </source-symbol>\n";
    out += "    <rotation/>\n    <sizescale/>\n  </renderer-v2>\n";
    if (style.label) out += qml_labeling(*style.label);
    out += "  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n";
    return out + "  <layerGeometryType>2</layerGeometryType>\n</qgis>\n";
}

std::string categorized_sld(const RoleStyle& style) {
    std::string out = fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
        "xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:se=\"http://www.opengis.net/se\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1.0\" "
        "xsi:schemaLocation=\"http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
        "  <NamedLayer>\n    <se:Name>{0}</se:Name>\n    <UserStyle>\n      <se:Name>{0}</se:Name>\n"
        "      <se:Description>\n        <se:Title>{1}</se:Title>\n      </se:Description>\n"
        "      <se:FeatureTypeStyle>\n",
        xml_text(style.role), xml_text(style.title));
    const std::string ind = "        ", f_ind = ind + "    ";
    for (const auto& c : style.categories)
        out += sld_rule(c.value, c.label, sld_equal(style.field, c.value, f_ind), c, ind);
    // "other": an explicit complement, not <se:ElseFilter/>, which QGIS 3.22 ignores on import.
    std::string filter;
    const std::string is_null = fmt::format("{}  <ogc:PropertyIsNull><ogc:PropertyName>{}</ogc:PropertyName>"
                                            "</ogc:PropertyIsNull>\n",
                                            f_ind, xml_text(style.field));
    if (style.categories.size() == 1) {
        filter = fmt::format("{0}<ogc:Or>\n{0}  <ogc:Not>\n{1}{0}  </ogc:Not>\n{2}{0}</ogc:Or>\n", f_ind,
                             sld_equal(style.field, style.categories.front().value, f_ind + "    "), is_null);
    } else if (style.categories.size() > 1) {
        std::string terms;
        for (const auto& c : style.categories) terms += sld_equal(style.field, c.value, f_ind + "      ");
        filter = fmt::format("{0}<ogc:Or>\n{0}  <ogc:Not>\n{0}    <ogc:Or>\n{1}{0}    </ogc:Or>\n{0}  </ogc:Not>\n{2}"
                             "{0}</ogc:Or>\n",
                             f_ind, terms, is_null);
    }
    out += sld_rule("other", style.other.label, filter, style.other, ind);
    if (style.label) out += sld_labels(*style.label, ind);
    return out + "      </se:FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n</StyledLayerDescriptor>\n";
}

}  // namespace zk
