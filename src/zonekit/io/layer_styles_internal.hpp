// Internals shared by layer_styles.cpp (the layer_styles table) and layer_styles_xml.cpp (the QML and SLD text).
// Not installed.
#pragma once

#include "zonekit/io/palette.hpp"

#include <string>

namespace zk::style_detail {

// The embedded QML or SLD of `base` with its field and label field spelled as in `style`.
std::string respell(std::string text, const RoleStyle& base, const RoleStyle& style);

}  // namespace zk::style_detail
