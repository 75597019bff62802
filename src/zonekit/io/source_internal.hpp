// Internals shared by the pieces of source.cpp (opening), source_crs.cpp, source_issues.cpp and source_read.cpp.
// Not installed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace zk::source_detail {

std::string lower(std::string s);

// A sidecar of a Shapefile (e.g. ".shx"), in either case, if it exists.
std::optional<std::filesystem::path> sidecar_of(const std::filesystem::path& path, const std::string& ext);

// GDAL's message as part of a zonekit sentence: without its trailing full stop.
std::string clause(std::string text);

}  // namespace zk::source_detail
