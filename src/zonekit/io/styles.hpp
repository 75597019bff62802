// The files of styles/ (QML, SLD, palette.json), built into the library so that an installed zonekit styles
// its outputs without the source tree.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace zk {

// The bytes of styles/NAME (e.g. "districts.qml", "palette.json"), or nullopt.
std::optional<std::string_view> embedded_file(std::string_view name);
std::vector<std::string_view> embedded_file_names();

}  // namespace zk
