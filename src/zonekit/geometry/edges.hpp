// Edges keep their meaning across CRSs. An edge is straight in the CRS its layer is stored in; projected
// vertex by vertex, a long edge would become a chord of its true (curved) image, and a neighbour that has an
// extra vertex on the same line would bend there: two districts that partition a county exactly in lon/lat
// would show a gap or an overlap in Gauss–Krüger (about 14,000 m² along a 50 km cut).
//
// The rule: before a geometry is transformed, each edge is split where it crosses a fixed grid of the SOURCE
// CRS (every `grid_step`: 0.002° or 200 m), with the crossing computed the same way whichever direction the
// edge runs; then each piece whose image is longer than `max_piece` (50 m) is cut, in the source CRS, into
// equal parts no longer than that and enough of them that each part's image stays within `tolerance` (1 cm)
// of its chord. The parts of a piece depend only on its two ends, so collinear shared edges get the same new
// points on both sides (they differ only inside the one piece where a neighbour has an extra vertex, by the
// sagitta of a 50 m chord: micrometres). Every projected edge stays within 1 cm of the true image of the
// source edge, and the area between them is about ⅔·sagitta per metre of edge (under 1 m² along a 25 km
// edge in a Gauss–Krüger zone). Nothing is added when no transformation is needed.
#pragma once

#include "zonekit/geometry/crs.hpp"

#include <string>

class OGRGeometry;

namespace zk {

struct EdgeRule {
    double grid_step = 0;       // source-CRS units; 0 = choose for the CRS (0.002° or 200 m)
    double tolerance = 0.01;    // target-CRS units (metres): the largest deviation of a part from the true image
    double max_piece = 50;      // target-CRS units: longer pieces are cut into equal parts
    int max_parts = 10000;      // parts per grid piece, at most
};

// The grid step used for a source CRS: 0.002 degrees (about 200 m) for a geographic CRS, else 200 units of
// its linear unit converted from metres.
double edge_grid_step(const Crs& source);

// Transforms `g` in place with `t`, densifying its edges in the source CRS as described above. Returns false
// (and `error`) when a point cannot be transformed.
bool transform_keeping_edges(OGRGeometry& g, const Transform& t, const EdgeRule& rule, std::string& error);

}  // namespace zk
