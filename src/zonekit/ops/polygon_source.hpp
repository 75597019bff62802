// The one polygonal-only source: a layer read for an engine that works on polygons (area, dissolve, overlay,
// tabulate), which refuses a layer of points or lines and a feature that is neither polygonal nor empty with
// an InputError naming the layer or the feature. Features without geometry pass: the engines count them.
#pragma once

#include "zonekit/io/source.hpp"

#include <functional>
#include <string>

namespace zk {

// Supplies features one at a time (false at the end), e.g. LayerReader::next. A feature whose GEOS conversion
// was deferred (Feature::deferred) is converted on a worker thread.
using FeatureSource = std::function<bool(GeosContext&, Feature&)>;

class PolygonReader {
public:
    // `purpose` ends the messages, e.g. "overlay cuts polygons"; `hint` follows a refused layer's message, e.g.
    // ". For lines use `zonekit length`, for points `zonekit count`".
    PolygonReader(LayerReader& reader, std::string purpose, std::string hint = {});
    // The next feature, false at the end.
    bool next(GeosContext& ctx, Feature& f);
    // next() as a FeatureSource for the overlay and tabulation engines (this reader must outlive it).
    FeatureSource source();
    LayerReader& reader() { return m_reader; }

private:
    LayerReader& m_reader;
    std::string m_purpose, m_hint;
    bool m_first = true;
};

}  // namespace zk
