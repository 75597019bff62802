// Removing overlaps between layers by priority: where features of layers overlap, the higher layer keeps the
// area and the lower layers are erased there. Every erased piece is recorded (which feature lost how much to
// which), so the correction can be audited.
#pragma once

#include "zonekit/checks/check.hpp"
#include "zonekit/ops/overlay.hpp"

#include <string>
#include <vector>

namespace zk {

// One feature of a corrected layer.
struct ResolvedFeature {
    std::int64_t fid = 0;
    std::string key;
    OGRFeatureUniquePtr attributes;
    GeomPtr geom;          // the corrected geometry; null when the feature was erased entirely
    bool changed = false;
};

struct ResolvedLayer {
    LayerSpec spec;
    FeatureDefnPtr defn;   // the source layer's fields
    std::vector<ResolvedFeature> features;
};

// A piece of a lower feature given to a higher one.
struct MovedPiece {
    std::string kept_layer, erased_layer;
    std::int64_t kept_fid = 0, erased_fid = 0;
    std::string kept_key, erased_key;
    double plan_m2 = 0, ellip_m2 = 0;
    GeomPtr geom;
};

// Totals per pair of layers (kept, erased).
struct MovedPair {
    std::string kept_layer, erased_layer;
    std::int64_t pieces = 0, features = 0;  // pieces, and distinct features of the erased layer that lost area
    double plan_m2 = 0, ellip_m2 = 0;
};

struct ResolveResult {
    Crs analysis;
    std::vector<ResolvedLayer> layers;   // in priority order
    std::vector<MovedPiece> moved;       // by erased layer, erased feature, then kept layer and feature
    std::vector<MovedPair> pairs;        // by priority of the kept layer, then of the erased layer
    std::int64_t erased_entirely = 0;
    std::vector<RuleResult> verification;  // no-overlap on the corrected layers, pairwise
    std::vector<std::string> notes;
    std::vector<std::string> warnings;     // features left out (damaged geometry, --skip-damaged)
};

struct ResolveOptions {
    std::vector<std::string> priority;  // layer names, highest first (at least two)
    std::optional<Crs> crs;
    unsigned threads = 0;
    double min_area = 1.0;              // tolerance of the verification
    AreaOptions area;
};

// Throws InputError for a priority naming an undeclared layer (or one twice), or non-polygonal features.
ResolveResult resolve_overlaps(GeosContext& ctx, const std::vector<LayerSpec>& layers, const ResolveOptions& options);

}  // namespace zk
