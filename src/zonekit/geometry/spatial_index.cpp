#include "zonekit/geometry/spatial_index.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <iterator>
#include <utility>

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace zk {

namespace {
using Point = bg::model::point<double, 2, bg::cs::cartesian>;
using BgBox = bg::model::box<Point>;
using Value = std::pair<BgBox, std::size_t>;

BgBox to_bg(const Box& b) { return BgBox(Point(b.min_x, b.min_y), Point(b.max_x, b.max_y)); }
}  // namespace

struct BoxIndex::Tree {
    bgi::rtree<Value, bgi::quadratic<16>> rtree;
};

Box envelope_of(GeosContext& ctx, const GEOSGeometry* g) {
    Box b;
    if (GEOSisEmpty_r(ctx.handle(), g) == 1) ctx.fail("the envelope of an empty geometry");
    if (!GEOSGeom_getXMin_r(ctx.handle(), g, &b.min_x) || !GEOSGeom_getYMin_r(ctx.handle(), g, &b.min_y) ||
        !GEOSGeom_getXMax_r(ctx.handle(), g, &b.max_x) || !GEOSGeom_getYMax_r(ctx.handle(), g, &b.max_y))
        ctx.fail("cannot compute a geometry's envelope");
    return b;
}

BoxIndex::BoxIndex() : m_tree(std::make_unique<Tree>()) {}

BoxIndex::BoxIndex(const std::vector<Box>& boxes) {
    std::vector<Value> values;
    values.reserve(boxes.size());
    for (std::size_t i = 0; i < boxes.size(); ++i) values.emplace_back(to_bg(boxes[i]), i);
    // The range constructor packs the tree (bulk loading), which queries faster than one built by inserts.
    m_tree = std::make_unique<Tree>(Tree{bgi::rtree<Value, bgi::quadratic<16>>(values.begin(), values.end())});
}

BoxIndex::BoxIndex(BoxIndex&&) noexcept = default;
BoxIndex& BoxIndex::operator=(BoxIndex&&) noexcept = default;
BoxIndex::~BoxIndex() = default;

void BoxIndex::query(const Box& box, std::vector<std::size_t>& out) const {
    out.clear();
    thread_local std::vector<Value> hits;
    hits.clear();
    m_tree->rtree.query(bgi::intersects(to_bg(box)), std::back_inserter(hits));
    for (const auto& v : hits) out.push_back(v.second);
    std::sort(out.begin(), out.end());
}

std::size_t BoxIndex::size() const { return m_tree->rtree.size(); }

GeomIndex::GeomIndex(GeosContext& ctx, const std::vector<const GEOSGeometry*>& geoms) {
    m_boxes.reserve(geoms.size());
    std::vector<Box> boxes;
    std::vector<std::size_t> items;
    for (std::size_t i = 0; i < geoms.size(); ++i) {
        if (!geoms[i] || GEOSisEmpty_r(ctx.handle(), geoms[i]) == 1) {
            m_boxes.emplace_back();
            continue;
        }
        // Computing the envelope here also caches it in the geometry before threads read it.
        m_boxes.push_back(envelope_of(ctx, geoms[i]));
        boxes.push_back(m_boxes.back());
        items.push_back(i);
    }
    if (items.size() < geoms.size()) m_items = std::move(items);
    m_tree = BoxIndex(boxes);
}

void GeomIndex::query(const Box& box, std::vector<std::size_t>& out) const {
    m_tree.query(box, out);
    if (!m_items.empty())
        for (std::size_t& hit : out) hit = m_items[hit];  // the items ascend with the tree's, so out stays sorted
}

void GeomIndex::query(GeosContext& ctx, const GEOSGeometry* g, std::vector<std::size_t>& out) const {
    out.clear();
    if (!g || GEOSisEmpty_r(ctx.handle(), g) == 1) return;
    query(envelope_of(ctx, g), out);
}

const PreparedGeom& PreparedCopies::get(GeosContext& ctx, std::size_t i, const GEOSGeometry* g) {
    if (!m_prepared[i]) {
        GEOSGeometry* copy = GEOSGeom_clone_r(ctx.handle(), g);
        if (!copy) ctx.fail("cannot copy a geometry to prepare it");
        m_prepared[i] = std::make_unique<PreparedGeom>(ctx, own(ctx, copy));
    }
    return *m_prepared[i];
}

}  // namespace zk
