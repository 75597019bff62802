// The findings of a check as features: one layer per rule in a GeoPackage, with the fields of
// finding_field_names() (zonekit/checks/check.hpp), styled with the role "findings".
#pragma once

#include "zonekit/checks/check.hpp"
#include "zonekit/io/gpkg_writer.hpp"

namespace zk {

// Adds one layer per rule of `result` (named after the rule) to `gpkg`, with every finding.
void add_findings_layers(GeosContext& ctx, GpkgWriter& gpkg, const CheckResult& result);

}  // namespace zk
