// A packed R-tree over the envelopes of a fixed set of geometries (Boost.Geometry, built once with the range
// constructor, which packs it). Read-only after construction, so any number of threads may query it at once.
#pragma once

#include "zonekit/geometry/geos_context.hpp"

#include <cstddef>
#include <memory>
#include <vector>

namespace zk {

struct Box {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

// The envelope of a non-empty geometry. Throws GeosError for an empty one.
Box envelope_of(GeosContext& ctx, const GEOSGeometry* g);

class BoxIndex {
public:
    BoxIndex();
    explicit BoxIndex(const std::vector<Box>& boxes);  // item i is boxes[i]
    BoxIndex(BoxIndex&&) noexcept;
    BoxIndex& operator=(BoxIndex&&) noexcept;
    ~BoxIndex();

    // The items whose box meets `box` (edges included), ascending, into `out` (cleared first).
    void query(const Box& box, std::vector<std::size_t>& out) const;
    std::size_t size() const;

private:
    struct Tree;
    std::unique_ptr<Tree> m_tree;
};

}  // namespace zk
