#include "zonekit/checks/resolve.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/geometry/geom_ops.hpp"
#include "zonekit/geometry/worker_pool.hpp"

#include <fmt/format.h>

#include <set>

namespace zk {

namespace {

ResolvedLayer read_layer(GeosContext& ctx, const LayerSpec& spec, const Crs& analysis, std::vector<std::string>& notes,
                         std::vector<std::string>& warnings) {
    Source src = Source::open(spec.path, spec.source);
    OGRLayer* layer = src.layer(spec.layer);
    ResolvedLayer out;
    out.spec = spec;
    OGRFeatureDefn* defn = layer->GetLayerDefn()->Clone();
    defn->Reference();
    out.defn.reset(defn);
    const int key_index = spec.key.empty() ? -1 : defn->GetFieldIndex(spec.key.c_str());
    if (!spec.key.empty() && key_index < 0)
        throw InputError(fmt::format("key field '{}' of layer '{}' is not a field of '{}'", spec.key, spec.name, spec.path));
    ReadOptions read;
    read.where = spec.where;
    read.validate = false;  // repaired here, so that each repaired feature is marked changed
    LayerReader reader(src, layer, analysis, read);
    Feature f;
    std::size_t repaired = 0;
    while (reader.next(ctx, f)) {
        ResolvedFeature r;
        r.fid = f.fid;
        if (key_index >= 0 && f.ogr->IsFieldSetAndNotNull(key_index)) r.key = f.ogr->GetFieldAsString(key_index);
        if (f.geom && GEOSisEmpty_r(ctx.handle(), f.geom.get()) != 1) {
            if (!is_polygonal(ctx, f.geom.get()))
                throw InputError(fmt::format("{}: resolve works on polygons", reader.where(f.fid)));
            if (const Validity v = check_validity(ctx, f.geom.get()); !v.valid) {
                if (spec.source.strict)
                    throw invalid_polygon_refusal(reader.where(f.fid), v, spec.source.make_valid_method);
                f.geom = make_valid_polygonal(ctx, f.geom.get(), spec.source.make_valid_method);
                r.changed = true;
                ++repaired;
            }
            r.geom = std::move(f.geom);
        }
        f.ogr->SetGeometryDirectly(nullptr);
        r.attributes = std::move(f.ogr);
        out.features.push_back(std::move(r));
    }
    if (repaired > 0)
        notes.push_back(fmt::format("{} invalid feature(s) of '{}' were repaired (MakeValid) before resolving", repaired,
                                    spec.name));
    if (std::string damaged = damaged_warning(reader); !damaged.empty()) warnings.push_back(std::move(damaged));
    return out;
}

BoxIndex index_of(GeosContext& ctx, const ResolvedLayer& layer, std::vector<std::size_t>& items) {
    std::vector<Box> boxes;
    items.clear();
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        const auto& g = layer.features[i].geom;
        if (!g || GEOSisEmpty_r(ctx.handle(), g.get()) == 1) continue;
        boxes.push_back(envelope_of(ctx, g.get()));
        items.push_back(i);
    }
    return BoxIndex(boxes);
}

}  // namespace

ResolveResult resolve_overlaps(GeosContext& ctx, const std::vector<LayerSpec>& layers, const ResolveOptions& options) {
    if (options.priority.size() < 2)
        throw InputError("--priority needs at least two layers, highest first (e.g. redline,farmland,urban)");
    std::vector<LayerSpec> specs;
    std::set<std::string> seen;
    std::string known;
    for (const auto& l : layers) known += (known.empty() ? "" : ", ") + l.name;
    for (const auto& name : options.priority) {
        if (!seen.insert(name).second) throw InputError(fmt::format("--priority names layer '{}' twice", name));
        const LayerSpec* spec = nullptr;
        for (const auto& l : layers)
            if (l.name == name) spec = &l;
        if (!spec) throw InputError(fmt::format("--priority names layer '{}', which is not declared (layers: {})", name, known));
        specs.push_back(*spec);
    }
    ResolveResult result;
    result.analysis = choose_analysis_crs(describe_layers(specs), options.crs, result.notes);
    for (const auto& spec : specs)
        result.layers.push_back(read_layer(ctx, spec, result.analysis, result.notes, result.warnings));

    struct Slot {
        std::vector<MovedPiece> pieces;
        GeomPtr geom;
        bool changed = false;
    };
    std::vector<BoxIndex> indexes;
    std::vector<std::vector<std::size_t>> items(result.layers.size());
    WorkerPool pool(options.threads);
    for (std::size_t m = 0; m < result.layers.size(); ++m) {
        ResolvedLayer& lower = result.layers[m];
        std::vector<Slot> slots(lower.features.size());
        pool.for_each(lower.features.size(), [&](GeosContext& w, std::size_t i) {
            const ResolvedFeature& f = lower.features[i];
            if (!f.geom) return;
            const auto h = w.handle();
            GeomPtr cur = clone(w, f.geom.get());
            bool changed = false;
            std::vector<std::size_t> candidates;
            const Box box = envelope_of(w, f.geom.get());
            for (std::size_t k = 0; k < m && cur; ++k) {
                const ResolvedLayer& higher = result.layers[k];
                indexes[k].query(box, candidates);
                for (std::size_t c : candidates) {
                    if (!cur) break;
                    const ResolvedFeature& g = higher.features[items[k][c]];
                    const char meets = GEOSIntersects_r(h, cur.get(), g.geom.get());
                    if (meets == 2) w.fail(fmt::format("cannot test {} feature {} against {} feature {}", lower.spec.name,
                                                       f.fid, higher.spec.name, g.fid));
                    if (meets == 0) continue;
                    const std::string what = fmt::format("{} feature {} and {} feature {}", lower.spec.name, f.fid,
                                                         higher.spec.name, g.fid);
                    GeomPtr piece = polygonal_cut(w, Cut::intersection, cur.get(), g.geom.get(), what);
                    if (!piece) continue;
                    MovedPiece p;
                    p.kept_layer = higher.spec.name;
                    p.kept_fid = g.fid;
                    p.kept_key = g.key;
                    p.erased_layer = lower.spec.name;
                    p.erased_fid = f.fid;
                    p.erased_key = f.key;
                    p.geom = adopt(ctx, std::move(piece));
                    slots[i].pieces.push_back(std::move(p));
                    cur = polygonal_cut(w, Cut::difference, cur.get(), g.geom.get(), what);
                    changed = true;
                }
            }
            if (changed) {
                slots[i].changed = true;
                if (cur) slots[i].geom = adopt(ctx, std::move(cur));
            }
        });
        for (std::size_t i = 0; i < slots.size(); ++i) {
            if (!slots[i].changed) continue;
            lower.features[i].geom = std::move(slots[i].geom);
            lower.features[i].changed = true;
            if (!lower.features[i].geom) ++result.erased_entirely;
        }
        for (auto& s : slots)
            for (auto& p : s.pieces) result.moved.push_back(std::move(p));
        indexes.push_back(index_of(ctx, lower, items[m]));
    }

    // Areas of the moved pieces, and totals per pair in priority order.
    AreaMeter meter(result.analysis, options.area);
    for (auto& p : result.moved) {
        const Areas a = meter.measure(ctx, p.geom.get());
        p.plan_m2 = a.plan;
        p.ellip_m2 = a.ellip;
    }
    for (std::size_t k = 0; k < result.layers.size(); ++k)
        for (std::size_t m = k + 1; m < result.layers.size(); ++m) {
            MovedPair pair;
            pair.kept_layer = result.layers[k].spec.name;
            pair.erased_layer = result.layers[m].spec.name;
            std::set<std::int64_t> features;
            for (const auto& p : result.moved)
                if (p.kept_layer == pair.kept_layer && p.erased_layer == pair.erased_layer) {
                    ++pair.pieces;
                    features.insert(p.erased_fid);
                    pair.plan_m2 += p.plan_m2;
                    pair.ellip_m2 += p.ellip_m2;
                }
            pair.features = static_cast<std::int64_t>(features.size());
            result.pairs.push_back(pair);
        }

    // The corrected set, checked again: no-overlap, pairwise.
    LayerSet set;
    std::vector<std::string> names;
    for (const auto& layer : result.layers) {
        std::vector<CheckFeature> features;
        for (const auto& f : layer.features)
            if (f.geom && GEOSisEmpty_r(ctx.handle(), f.geom.get()) != 1)
                features.push_back(make_check_feature(ctx, f.fid, f.key, clone(ctx, f.geom.get())));
        set.layers.emplace_back(ctx, layer.spec.name, std::move(features));
        names.push_back(layer.spec.name);
    }
    CheckOptions check;
    check.threads = options.threads;
    check.min_area = options.min_area;
    check.area = options.area;
    for (const auto& rule : pairwise_no_overlap(names))
        result.verification.push_back(run_rule(ctx, rule, set, result.analysis, check));
    return result;
}

}  // namespace zk
