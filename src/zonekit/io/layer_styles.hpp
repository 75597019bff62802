// QGIS's `layer_styles` table in a GeoPackage: the style of styles/<role>.qml (and .sld) stored per layer with
// useAsDefault = 1, so QGIS draws each layer styled as soon as it opens it.
//
// The table is the one QGIS itself creates (QgsOgrProviderMetadata::saveStyle): made through GDAL as an
// attribute table (wkbNone, registered in gpkg_contents with data_type 'attributes') with the primary key `id`
// and the columns f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256),
// f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN,
// description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT (now). QGIS finds a layer's
// default style by f_table_schema = '' (not NULL), f_table_name = the layer's name and f_geometry_column = its
// geometry column, so those are written exactly so.
//
// Styles from the data: a role whose palette style has categories_from_data (districts) gets a QML and an SLD
// written for the layer, with one category per distinct value of its field (RoleStyle::with_values: the
// bundled names keep their colours, other values get the palette's data colours in sorted order). Other roles
// get the embedded files, with the field spelled as the layer spells it (DLBM, Dlbm, dlbm).
#pragma once

#include "zonekit/io/palette.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <string>
#include <string_view>
#include <vector>

namespace zk {

struct StyledLayer {
    std::string layer;  // the table name in the GeoPackage
    std::string role;   // one of layer_roles(); "" = no style
    std::string key{};  // the layer's key field (a project's `key = …`): see style_field
};

// The index of field `name`: the field of exactly that name, else the first whose name is the same without
// regard to ASCII case; -1 when there is none.
int find_field(const OGRFeatureDefn& defn, std::string_view name);

// The field (as the layer spells it) that a categorized `style` reads in a layer with fields `defn`, or ""
// when there is none (every feature is then drawn as "other"). Any case of the style's own field (name, dlbm,
// rule); for a style with categories_from_data (districts), failing that, in this order: the zone-name fields
// of a plan database (GHFQMC, GNFQMC, FQMC, 规划分区名称, 分区名称, 名称), then the layer's `key` field, then
// the zone-code fields (GHFQDM, GNFQDM, FQDM).
std::string style_field(const OGRFeatureDefn& defn, const RoleStyle& style, std::string_view key = {});

// `style` reading `field` (as the layer spells it): its field, and its label field too when that is the
// style's field in any case (districts label the value they are coloured by).
RoleStyle respelled(const RoleStyle& style, const std::string& field);

// The distinct values (GetFieldAsString, not NULL) of field `index` over every feature of `layer`, sorted.
std::vector<std::string> distinct_values(OGRLayer& layer, int index);

// The style of role `style.role` for `layer`: for a categorized style, reading the field style_field finds
// (respelled); with categories_from_data, with one category per value of that field (with_values); a label
// field of another name as the layer spells it.
RoleStyle layer_style(const RoleStyle& style, OGRLayer& layer, std::string_view key = {});

// A categorized polygon style (exact categories and "other", simple fills, optional labels) as QGIS 3.22
// QML and as SLD 1.1, in the form of scripts/make_styles.py: the palette's districts style with its five
// values gives styles/districts.qml and .sld byte for byte.
std::string categorized_qml(const RoleStyle& style);
std::string categorized_sld(const RoleStyle& style);

// Throws OutputError for a role that is not "" and not one of layer_roles(), naming `layer` and the roles.
void require_layer_role(const std::string& role, const std::string& layer);

// True when styles/<role>.qml is built in (rivers and points have no style yet).
bool role_has_style(const std::string& role);

// Adds one row per layer whose role has a style to the `layer_styles` table of `gpkg` (a GeoPackage open for
// update, not inside a transaction), creating the table when it is missing. styleName is the layer's name,
// styleQML/styleSLD the embedded styles/<role>.qml and .sld (the field respelled as in the layer), or for
// districts the styles built from the layer's values (layer_style, categorized_qml/sld), useAsDefault 1 (a previous default of the same
// layer is cleared), update_time NULL (so outputs are reproducible). Returns the number of rows written. `path` names the file in messages. Throws OutputError
// naming the file and layer, e.g. for a layer that is not in the GeoPackage or an unknown role.
int write_layer_styles(GDALDataset& gpkg, const std::vector<StyledLayer>& layers, const std::string& path);

}  // namespace zk
