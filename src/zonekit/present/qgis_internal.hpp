// Internals shared by qgis_project.cpp (the project file) and qgis_styles.cpp (the QML of its layers). Not
// installed.
#pragma once

#include "zonekit/io/palette.hpp"
#include "zonekit/present/qgis_project.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zk::qgis_detail {

inline constexpr const char* qgis_version = "3.22.16-Białowieża";  // as layer_styles.cpp writes its QML

// `s` as XML text and attribute values.
std::string esc(std::string_view s);

// A QML for a layer of `geometry` drawn in the colours of `style` (categorized on `field` when the style is
// and the layer has the field, else its single symbol or "other").
std::string palette_qml(const RoleStyle& style, QgisGeometry geometry, const std::string& field);
// One plain grey symbol of the layer's geometry (a layer without a stored style).
std::string plain_qml(QgisGeometry geometry);

// The style elements of a QML document: its root's attributes (but version and styleCategories) and the text
// of its children.
struct QmlParts {
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string body;
};

QmlParts qml_parts(const std::string& qml, const std::string& layer);

}  // namespace zk::qgis_detail
