// The one polygonal-only source: a layer read for an engine that works on polygons (area, dissolve, overlay,
// tabulate), which refuses a layer of points or lines and a feature that is neither polygonal nor empty with
// an InputError naming the layer or the feature. Features without geometry pass: the engines count them.
// And the read-ahead thread the streaming engines (overlay, tabulate) read such a source through.
#pragma once

#include "zonekit/io/source.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

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

// Reads a source ahead on a thread of its own, chunk by chunk, so that reading (GDAL, SQLite, WKB) runs beside
// the calling thread's writing: read and written on one thread, the two added up to the whole time of an
// overlay. A few chunks ahead at most. The features' GEOS geometries are owned through this reader's context,
// so it must outlive them (declare it before what holds them). A feature neither polygonal nor empty is an
// InputError; an error reading is raised by next() in its place in the source.
class ReadAhead {
public:
    ReadAhead(const FeatureSource& source, std::size_t chunk_size, std::size_t depth);
    ReadAhead(const ReadAhead&) = delete;
    ReadAhead& operator=(const ReadAhead&) = delete;
    ~ReadAhead();
    // The next chunk of features into `out` (empty at the end). False at the end.
    bool next(std::vector<Feature>& out);

private:
    void read();

    GeosContext m_ctx;  // first: destroyed after every feature read through it
    const FeatureSource& m_source;
    const std::size_t m_chunk, m_depth;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::vector<Feature>> m_chunks;
    std::exception_ptr m_failure;
    bool m_end = false, m_stop = false;
    std::thread m_thread;  // last: started when everything it uses is made
};

}  // namespace zk
