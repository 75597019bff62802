// Dissolve: the union of a layer's polygons per value of a field, with the three areas of each group.
#pragma once

#include "zonekit/geometry/area.hpp"
#include "zonekit/geometry/geos_context.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/feature_defn.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace zk {

// Unions polygonal geometries into one (a MultiPolygon, possibly empty) with GEOS's unary union
// (cascaded, OverlayNG). `coverage` uses GEOS's coverage union instead, which is much faster but only
// correct when the polygons do not overlap (they may share edges), e.g. survey parcels.
GeomPtr union_polygons(GeosContext& ctx, std::vector<GeomPtr> parts, bool coverage = false);

struct DissolveGroup {
    std::string key;             // the field's value as text, "(null)" for a null value
    OGRFeatureUniquePtr first;   // the group's first feature (its attributes carry the field's value)
    std::int64_t count = 0;      // features in the group
    GeomPtr geom;                // the union
    Areas areas;
};

struct DissolveOptions {
    std::string by;              // group by this field
    bool coverage = false;       // inputs form a coverage: use the coverage union
    AreaOptions area;
};

struct DissolveResult {
    std::vector<DissolveGroup> groups;  // in sorted key order (numeric for number fields; nulls first)
    std::int64_t features = 0;
    std::vector<std::string> warnings;
};

// Reads every feature of `reader` and dissolves them per value of options.by. Throws InputError for a
// missing field, a layer that is not polygonal, invalid polygons (unless the reader repairs them).
// Features without geometry are counted in their group, with a warning.
DissolveResult dissolve_layer(GeosContext& ctx, LayerReader& reader, const Crs& analysis,
                              const DissolveOptions& options);

// The output's attributes: the field `by` of the layer read (with its type), in a definition named `layer`;
// and a group's row of it. Throws InputError when the layer has no such field.
class DissolveSchema {
public:
    DissolveSchema(const OGRFeatureDefn* source, const std::string& by, const std::string& layer,
                   const std::string& where);
    const OGRFeatureDefn* defn() const { return m_defn.get(); }
    OGRFeatureUniquePtr row(const DissolveGroup& group) const;

private:
    FeatureDefnPtr m_defn;
    int m_by = -1;  // the field's index in the source
};

}  // namespace zk
