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
#pragma once

#include <gdal_priv.h>

#include <string>
#include <vector>

namespace zk {

struct StyledLayer {
    std::string layer;  // the table name in the GeoPackage
    std::string role;   // one of layer_roles(); "" = no style
};

// The role a layer gets from its name alone: the name itself when it is one of layer_roles(), else "".
std::string role_from_layer_name(const std::string& layer_name);

// Throws OutputError for a role that is not "" and not one of layer_roles(), naming `layer` and the roles.
void require_layer_role(const std::string& role, const std::string& layer);

// True when styles/<role>.qml is built in (rivers and points have no style yet).
bool role_has_style(const std::string& role);

// Adds one row per layer whose role has a style to the `layer_styles` table of `gpkg` (a GeoPackage open for
// update, not inside a transaction), creating the table when it is missing. styleName is the layer's name,
// styleQML/styleSLD the embedded styles/<role>.qml and .sld, useAsDefault 1 (a previous default of the same
// layer is cleared), update_time NULL (so outputs are reproducible). Returns the number of rows written. `path` names the file in messages. Throws OutputError
// naming the file and layer, e.g. for a layer that is not in the GeoPackage or an unknown role.
int write_layer_styles(GDALDataset& gpkg, const std::vector<StyledLayer>& layers, const std::string& path);

}  // namespace zk
