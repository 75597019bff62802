// The one index of a layer held in memory (overlay and tabulate's zones, count and length's zones, the check's
// and the screen's layers): a packed R-tree over the envelopes of a fixed set of geometries (Boost.Geometry,
// built once with the range constructor, which packs it), and prepared copies of the geometries per thread.
// The index is read-only after construction, so any number of threads may query it at once.
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

// The geometries of a layer held elsewhere, by their envelopes. Item i is geometry i of the layer.
class GeomIndex {
public:
    GeomIndex() = default;
    // A null or empty geometry gets an empty box and is never a candidate.
    GeomIndex(GeosContext& ctx, const std::vector<const GEOSGeometry*>& geoms);
    std::size_t size() const { return m_boxes.size(); }
    const Box& box(std::size_t i) const { return m_boxes[i]; }
    // The items whose box meets `box` (edges included), ascending, into `out` (cleared first).
    void query(const Box& box, std::vector<std::size_t>& out) const;
    // The items whose box meets the envelope of `g`; none for an empty `g`.
    void query(GeosContext& ctx, const GEOSGeometry* g, std::vector<std::size_t>& out) const;

private:
    std::vector<Box> m_boxes;
    std::vector<std::size_t> m_items;  // tree item → item, when some geometries are left out of the tree
    BoxIndex m_tree;
};

// One thread's prepared copies of a layer's geometries, each made the first time it is asked for (GEOS builds
// a prepared geometry's own indexes lazily, so one is never shared between threads).
class PreparedCopies {
public:
    explicit PreparedCopies(std::size_t n = 0) : m_prepared(n) {}
    std::size_t size() const { return m_prepared.size(); }
    // The prepared copy of item i, whose geometry is `g`.
    const PreparedGeom& get(GeosContext& ctx, std::size_t i, const GEOSGeometry* g);

private:
    std::vector<std::unique_ptr<PreparedGeom>> m_prepared;
};

}  // namespace zk
