#include "zonekit/ops/polygon_source.hpp"

#include "zonekit/base/error.hpp"

#include <fmt/format.h>

#include <utility>

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

ReadAhead::ReadAhead(const FeatureSource& source, std::size_t chunk_size, std::size_t depth)
    : m_source(source), m_chunk(chunk_size), m_depth(depth), m_thread([this] { read(); }) {}

ReadAhead::~ReadAhead() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

bool ReadAhead::next(std::vector<Feature>& out) {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [this] { return !m_chunks.empty() || m_end; });
    if (m_chunks.empty()) {
        if (m_failure) std::rethrow_exception(std::exchange(m_failure, nullptr));
        return false;
    }
    out = std::move(m_chunks.front());
    m_chunks.pop_front();
    m_cv.notify_all();
    return true;
}

void ReadAhead::read() {
    try {
        for (bool more = true; more;) {
            std::vector<Feature> chunk;
            chunk.reserve(m_chunk);
            while (chunk.size() < m_chunk) {
                Feature f;
                if (!m_source(m_ctx, f)) {
                    more = false;
                    break;
                }
                if (!is_polygonal_or_empty(m_ctx, f))
                    throw InputError(fmt::format("feature {} is a {}: overlay cuts polygons (Polygon, MultiPolygon)",
                                                 f.fid, geometry_type_name(m_ctx, f)));
                // Attributes are enough from here on, unless a worker still needs the OGR geometry.
                if (f.ogr && !f.deferred) f.ogr->SetGeometryDirectly(nullptr);
                chunk.push_back(std::move(f));
            }
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return m_stop || m_chunks.size() < m_depth; });
            if (m_stop) return;
            if (!chunk.empty()) m_chunks.push_back(std::move(chunk));
            m_cv.notify_all();
        }
    } catch (...) {
        std::lock_guard lock(m_mutex);
        m_failure = std::current_exception();
    }
    std::lock_guard lock(m_mutex);
    m_end = true;
    m_cv.notify_all();
}

}  // namespace zk
