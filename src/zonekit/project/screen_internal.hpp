// Internals shared by the siting screen's rules (screen_rules.cpp), its engine (screen.cpp) and its outputs
// (screen_tables.cpp, screen_gpkg.cpp, screen_output.cpp). Not installed.
#pragma once

#include "zonekit/io/output.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/project/screen.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace zk::screen_detail {

// The declared layer that is the sites layer: the same file and layer.
bool is_sites(const LayerSpec& l, const LayerSpec& sites);

// The field whose values are a layer's classes in by_class: `by`, else for land-use parcels their 三调 code
// (DLBM, any case) or name (DLMC), else the layer's key.
std::string class_field_of(const ScreenSpec& spec, const LayerSpec& layer, const LayerInfo& info);

// ---- Shared by the outputs (screen_tables.cpp, screen_gpkg.cpp, screen_output.cpp) ------------------------

double ha(double m2);
double mu(double m2);
// The ids of the protected points of `layer` near the site, separated by ';', and how many they are.
std::string points_ids(const SiteResult& site, const std::string& layer);
std::size_t points_count(const SiteResult& site, const std::string& layer);
std::string join(const std::vector<std::string>& v, const std::string& sep);

// screen.gpkg: the sites with their verdicts and measures, what each takes, the closest pairs, the points.
void write_gpkg(GeosContext& ctx, const ScreenResult& result, const std::string& path, const OutputOptions& options);

}  // namespace zk::screen_detail
