// Internals shared by the siting screen's rules (screen_rules.cpp) and its engine (screen.cpp). Not installed.
#pragma once

#include "zonekit/io/source.hpp"
#include "zonekit/project/screen.hpp"

#include <string>

namespace zk::screen_detail {

// The declared layer that is the sites layer: the same file and layer.
bool is_sites(const LayerSpec& l, const LayerSpec& sites);

// The field whose values are a layer's classes in by_class: `by`, else for land-use parcels their 三调 code
// (DLBM, any case) or name (DLMC), else the layer's key.
std::string class_field_of(const ScreenSpec& spec, const LayerSpec& layer, const LayerInfo& info);

}  // namespace zk::screen_detail
