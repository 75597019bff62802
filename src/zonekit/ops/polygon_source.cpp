#include "zonekit/ops/polygon_source.hpp"

#include "zonekit/base/error.hpp"

#include <fmt/format.h>

namespace zk {

namespace {
bool clearly_not_polygonal(OGRwkbGeometryType type) {
    const auto flat = wkbFlatten(type);
    return flat == wkbPoint || flat == wkbMultiPoint || flat == wkbLineString || flat == wkbMultiLineString ||
           flat == wkbCircularString || flat == wkbCompoundCurve || flat == wkbMultiCurve;
}
}  // namespace

PolygonReader::PolygonReader(LayerReader& reader, std::string purpose, std::string hint)
    : m_reader(reader), m_purpose(std::move(purpose)), m_hint(std::move(hint)) {}

bool PolygonReader::next(GeosContext& ctx, Feature& f) {
    if (!m_reader.next(ctx, f)) return false;
    if (m_first) {
        // Said of the layer, once, when it is declared as points or lines (on its first feature: an empty layer
        // of any type measures nothing).
        m_first = false;
        const LayerInfo& info = m_reader.info();
        const OGRwkbGeometryType type = f.ogr ? f.ogr->GetDefnRef()->GetGeomType() : wkbUnknown;
        if (clearly_not_polygonal(type))
            throw InputError(fmt::format("layer '{}' in '{}' holds {} geometries; {}{}", info.name, info.source,
                                         OGRGeometryTypeToName(type), m_purpose, m_hint));
    }
    if (!is_polygonal_or_empty(ctx, f))
        throw InputError(fmt::format("{} is a {}, not a polygon; {}", m_reader.where(f.fid),
                                     geometry_type_name(ctx, f), m_purpose));
    return true;
}

FeatureSource PolygonReader::source() {
    return [this](GeosContext& ctx, Feature& f) { return next(ctx, f); };
}

}  // namespace zk
