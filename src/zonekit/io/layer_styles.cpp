#include "zonekit/io/layer_styles.hpp"
#include "zonekit/io/layer_styles_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"
#include "zonekit/base/roles.hpp"
#include "zonekit/io/palette.hpp"
#include "zonekit/io/styles.hpp"

#include <cpl_string.h>
#include <fmt/format.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

namespace zk {

namespace {

constexpr const char* table_name = "layer_styles";

struct Column {
    const char* name;
    OGRFieldType type;
    int width;
    OGRFieldSubType subtype;
    const char* default_value;
};

// QGIS's columns, in its order, with its widths and types.
constexpr Column columns[] = {
    {"f_table_catalog", OFTString, 256, OFSTNone, nullptr},
    {"f_table_schema", OFTString, 256, OFSTNone, nullptr},
    {"f_table_name", OFTString, 256, OFSTNone, nullptr},
    {"f_geometry_column", OFTString, 256, OFSTNone, nullptr},
    {"styleName", OFTString, 30, OFSTNone, nullptr},
    {"styleQML", OFTString, 0, OFSTNone, nullptr},
    {"styleSLD", OFTString, 0, OFSTNone, nullptr},
    {"useAsDefault", OFTInteger, 0, OFSTBoolean, nullptr},
    {"description", OFTString, 0, OFSTNone, nullptr},
    {"owner", OFTString, 30, OFSTNone, nullptr},
    {"ui", OFTString, 30, OFSTNone, nullptr},
    {"update_time", OFTDateTime, 0, OFSTNone, "CURRENT_TIMESTAMP"},
};

OGRLayer* create_table(GDALDataset& gpkg, const std::string& path, GdalErrorCapture& capture) {
    CPLStringList options;
    options.SetNameValue("FID", "id");
    options.SetNameValue("SPATIAL_INDEX", "NO");
    OGRLayer* table = gpkg.CreateLayer(table_name, nullptr, wkbNone, options.List());
    if (!table)
        throw OutputError(fmt::format("cannot create the layer_styles table in '{}': {}", path, capture.last_error()));
    for (const Column& c : columns) {
        OGRFieldDefn field(c.name, c.type);
        field.SetWidth(c.width);
        field.SetSubType(c.subtype);
        if (c.default_value) field.SetDefault(c.default_value);
        if (table->CreateField(&field) != OGRERR_NONE)
            throw OutputError(fmt::format("cannot create column '{}' of the layer_styles table in '{}': {}", c.name, path,
                                          capture.last_error()));
    }
    return table;
}

std::string sql_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

// Clears useAsDefault of the rows already there for this layer (QGIS does the same before saving a default).
void clear_previous_default(OGRLayer& table, const std::string& layer, const std::string& geometry_column,
                            const std::string& path, GdalErrorCapture& capture) {
    const std::string filter = fmt::format("useAsDefault = 1 AND f_table_name = {} AND f_geometry_column = {}",
                                           sql_quoted(layer), sql_quoted(geometry_column));
    if (table.SetAttributeFilter(filter.c_str()) != OGRERR_NONE)
        throw OutputError(fmt::format("cannot read the layer_styles table of '{}': {}", path, capture.last_error()));
    std::vector<OGRFeatureUniquePtr> previous;
    table.ResetReading();
    while (OGRFeature* f = table.GetNextFeature()) previous.emplace_back(f);
    table.SetAttributeFilter(nullptr);
    for (auto& f : previous) {
        f->SetField("useAsDefault", 0);
        if (table.SetFeature(f.get()) != OGRERR_NONE)
            throw OutputError(fmt::format("cannot update the layer_styles table of '{}': {}", path, capture.last_error()));
    }
}

bool same_ascii_case_blind(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

using namespace style_detail;

int find_field(const OGRFeatureDefn& defn, std::string_view name) {
    const int n = defn.GetFieldCount();
    for (int i = 0; i < n; ++i)
        if (name == defn.GetFieldDefn(i)->GetNameRef()) return i;
    for (int i = 0; i < n; ++i)
        if (same_ascii_case_blind(name, defn.GetFieldDefn(i)->GetNameRef())) return i;
    return -1;
}

std::string style_field(const OGRFeatureDefn& defn, const RoleStyle& style, std::string_view key) {
    if (!style.categorized()) return {};
    auto spelled = [&](std::string_view name) -> std::string {
        if (name.empty()) return {};
        const int i = find_field(defn, name);
        return i < 0 ? std::string() : std::string(defn.GetFieldDefn(i)->GetNameRef());
    };
    if (std::string f = spelled(style.field); !f.empty() || !style.categories_from_data) return f;
    for (const char* name : {"GHFQMC", "GNFQMC", "FQMC", "规划分区名称", "分区名称", "名称"})
        if (std::string f = spelled(name); !f.empty()) return f;
    if (std::string f = spelled(key); !f.empty()) return f;
    for (const char* name : {"GHFQDM", "GNFQDM", "FQDM"})
        if (std::string f = spelled(name); !f.empty()) return f;
    return {};
}

RoleStyle respelled(const RoleStyle& style, const std::string& field) {
    RoleStyle out = style;
    if (field.empty()) return out;
    if (out.label && same_ascii_case_blind(out.label->field, style.field)) out.label->field = field;
    out.field = field;
    return out;
}

std::vector<std::string> distinct_values(OGRLayer& layer, int index) {
    std::set<std::string> seen;
    const OGRFeatureDefn* defn = layer.GetLayerDefn();
    if (index < 0 || index >= defn->GetFieldCount()) return {};
    // Only the one field is read.
    std::vector<std::string> names;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        if (i != index) names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    names.emplace_back("OGR_GEOMETRY");
    names.emplace_back("OGR_STYLE");
    std::vector<const char*> ignored;
    for (const auto& n : names) ignored.push_back(n.c_str());
    ignored.push_back(nullptr);
    layer.SetIgnoredFields(ignored.data());
    layer.ResetReading();
    for (;;) {
        OGRFeatureUniquePtr f(layer.GetNextFeature());
        if (!f) break;
        if (f->IsFieldSetAndNotNull(index)) seen.insert(f->GetFieldAsString(index));
    }
    layer.SetIgnoredFields(nullptr);
    layer.ResetReading();
    return {seen.begin(), seen.end()};
}

RoleStyle layer_style(const RoleStyle& style, OGRLayer& layer, std::string_view key) {
    const OGRFeatureDefn& defn = *layer.GetLayerDefn();
    RoleStyle out = style;
    std::string field;
    if (style.categorized()) {
        field = style_field(defn, style, key);
        out = respelled(style, field);
        if (style.categories_from_data)
            out = out.with_values(field.empty() ? std::vector<std::string>{} : distinct_values(layer, find_field(defn, field)));
    }
    if (out.label && (field.empty() || out.label->field != field)) {
        const int i = find_field(defn, out.label->field);
        if (i >= 0) out.label->field = defn.GetFieldDefn(i)->GetNameRef();
    }
    return out;
}
void require_layer_role(const std::string& role, const std::string& layer) {
    const auto& roles = layer_roles();
    if (role.empty() || std::find(roles.begin(), roles.end(), role) != roles.end()) return;
    std::string list;
    for (const auto& r : roles) list += (list.empty() ? "" : ", ") + r;
    throw OutputError(fmt::format("unknown role '{}' for layer '{}' (roles: {})", role, layer, list));
}

bool role_has_style(const std::string& role) {
    return !role.empty() && embedded_file(role + ".qml").has_value();
}

int write_layer_styles(GDALDataset& gpkg, const std::vector<StyledLayer>& layers, const std::string& path) {
    GdalErrorCapture capture;
    struct Row {
        const StyledLayer* layer;
        std::string geometry_column;
        std::string qml, sld;
        std::string description;
    };
    std::vector<Row> rows;
    for (const auto& l : layers) {
        if (l.role.empty()) continue;
        require_layer_role(l.role, l.layer);
        const auto qml = embedded_file(l.role + ".qml");
        if (!qml) continue;  // a role without a style (yet): the layer is drawn with QGIS's defaults
        OGRLayer* target = gpkg.GetLayerByName(l.layer.c_str());
        if (!target)
            throw OutputError(fmt::format("cannot style layer '{}' in '{}': there is no such layer", l.layer, path));
        const auto sld = embedded_file(l.role + ".sld");
        Row row{&l, target->GetGeometryColumn(), std::string(*qml), sld ? std::string(*sld) : std::string(),
                fmt::format("zonekit style of the role '{}' (styles/{}.qml)", l.role, l.role)};
        if (const RoleStyle* base = Palette::builtin().find(l.role); base && (base->categorized() || base->label)) {
            const RoleStyle style = layer_style(*base, *target, l.key);
            if (base->categories_from_data && base->geometry == GeometryKind::polygon) {
                row.qml = categorized_qml(style);
                row.sld = categorized_sld(style);
                row.description = fmt::format("zonekit style of the role '{}' (styles/{}.qml) with a category per "
                                              "value of '{}' in the layer ({})",
                                              l.role, l.role, style.field, style.categories.size());
            } else {
                row.qml = respell(std::move(row.qml), *base, style);
                row.sld = respell(std::move(row.sld), *base, style);
            }
        }
        rows.push_back(std::move(row));
    }
    if (rows.empty()) return 0;

    OGRLayer* table = gpkg.GetLayerByName(table_name);
    if (!table) table = create_table(gpkg, path, capture);
    const bool transaction = gpkg.StartTransaction() == OGRERR_NONE;
    for (const Row& row : rows) {
        clear_previous_default(*table, row.layer->layer, row.geometry_column, path, capture);
        OGRFeature feature(table->GetLayerDefn());
        feature.SetField("f_table_catalog", "");
        feature.SetField("f_table_schema", "");
        feature.SetField("f_table_name", row.layer->layer.c_str());
        feature.SetField("f_geometry_column", row.geometry_column.c_str());
        feature.SetField("styleName", row.layer->layer.c_str());
        feature.SetField("styleQML", row.qml.c_str());
        if (!row.sld.empty()) feature.SetField("styleSLD", row.sld.c_str());
        feature.SetField("useAsDefault", 1);
        feature.SetField("description", row.description.c_str());
        feature.SetField("owner", "");
        // update_time is NULL, not the time of writing, so that the same inputs give the same GeoPackage
        // features (QGIS reads it only to order styles that are not a layer's default).
        feature.SetFieldNull(feature.GetFieldIndex("update_time"));
        if (table->CreateFeature(&feature) != OGRERR_NONE)
            throw OutputError(fmt::format("cannot write the style of layer '{}' to the layer_styles table of '{}': {}",
                                          row.layer->layer, path, capture.last_error()));
    }
    if (transaction && gpkg.CommitTransaction() != OGRERR_NONE)
        throw OutputError(fmt::format("cannot commit the layer_styles table of '{}': {}", path, capture.last_error()));
    return static_cast<int>(rows.size());
}

}  // namespace zk
