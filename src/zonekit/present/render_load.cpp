// The map's layers read into the map CRS and styled: each feature with its symbol and label, each layer with its
// role, title and draw rank.
#include "zonekit/present/render_parts.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/io/layer_styles.hpp"

#include <fmt/format.h>
#include <strings.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace zk::render_detail {

void count_kinds(GeosContext& ctx, const GEOSGeometry* g, KindCounts& k) {
    switch (GEOSGeomTypeId_r(ctx.handle(), g)) {
    case GEOS_POINT:
    case GEOS_MULTIPOINT: ++k.points; break;
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
    case GEOS_MULTILINESTRING: ++k.lines; break;
    case GEOS_POLYGON:
    case GEOS_MULTIPOLYGON: ++k.polygons; break;
    case GEOS_GEOMETRYCOLLECTION: {
        const int n = GEOSGetNumGeometries_r(ctx.handle(), g);
        for (int i = 0; i < n; ++i) count_kinds(ctx, GEOSGetGeometryN_r(ctx.handle(), g, i), k);
        break;
    }
    default: break;
    }
}

bool meets(const Box& a, const Box& b) {
    return a.min_x <= b.max_x && b.min_x <= a.max_x && a.min_y <= b.max_y && b.min_y <= a.max_y;
}

void extend(std::optional<Box>& acc, const Box& b) {
    if (!acc) {
        acc = b;
        return;
    }
    acc->min_x = std::min(acc->min_x, b.min_x);
    acc->min_y = std::min(acc->min_y, b.min_y);
    acc->max_x = std::max(acc->max_x, b.max_x);
    acc->max_y = std::max(acc->max_y, b.max_y);
}

// The symbols of a style in legend order: categories, prefixes, other (or the single symbol).
std::vector<const Symbol*> legend_symbols(const RoleStyle& style) {
    std::vector<const Symbol*> out;
    if (!style.categorized()) {
        out.push_back(&style.symbol);
        return out;
    }
    for (const auto& c : style.categories) out.push_back(&c);
    for (const auto& p : style.prefixes) out.push_back(&p);
    out.push_back(&style.other);
    return out;
}

namespace {

std::string field_list(const OGRFeatureDefn* defn) {
    std::string fields;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        fields += (i ? ", " : "") + std::string(defn->GetFieldDefn(i)->GetNameRef());
    return fields.empty() ? "none" : fields;
}

// The symbol of each feature; a role whose categories come from the data gets one style from the values of
// all its layers (one legend entry, the same colours as the layers' QML in a GeoPackage when it is one layer).
void choose_symbols(Loaded& out) {
    std::vector<std::pair<const RoleStyle*, RoleStyle*>> built;  // palette style → its style from the data
    for (const auto& l : out.layers) {
        if (!l.style->categories_from_data || !l.style->categorized()) continue;
        if (std::any_of(built.begin(), built.end(), [&](const auto& b) { return b.first == l.style; })) continue;
        std::vector<std::string> values;
        for (const auto& other : out.layers)
            if (other.style == l.style)
                for (const auto& f : other.features)
                    if (f.value) values.push_back(*f.value);
        out.styles.push_back(std::make_unique<RoleStyle>(l.style->with_values(std::move(values))));
        built.emplace_back(l.style, out.styles.back().get());
    }
    for (auto& l : out.layers) {
        for (const auto& b : built)
            if (b.first == l.style) l.style = b.second;
        std::map<std::string, const Symbol*, std::less<>> memo;
        for (auto& f : l.features) {
            if (!f.value) {
                f.symbol = &l.style->symbol_for(std::nullopt);
                continue;
            }
            auto it = memo.find(*f.value);
            if (it == memo.end()) it = memo.emplace(*f.value, &l.style->symbol_for(std::string_view(*f.value))).first;
            f.symbol = it->second;
            f.value.reset();
        }
    }
}

void require_metres(const Crs& crs) {
    if (crs.is_projected()) {
        const double unit = crs.srs().GetLinearUnits();
        if (std::abs(unit - 1.0) < 1e-9) return;
        throw InputError(fmt::format("the map CRS {} ({}) measures in units of {} m, not metres: a map needs a "
                                     "projected CRS in metres. Name one with --crs EPSG:n (e.g. the CGCS2000 "
                                     "Gauss–Kruger zone of the data, EPSG:4534–4554)",
                                     crs.label(), crs.name(), unit));
    }
    throw InputError(fmt::format("the map CRS {} ({}) is not projected: a map needs a projected CRS in metres. Leave "
                                 "--crs out to have the data's CGCS2000 Gauss–Kruger zone chosen, or name one "
                                 "(EPSG:4534–4554)",
                                 crs.label(), crs.name()));
}

}  // namespace

Loaded load(const MapSpec& spec, RenderResult& result) {
    if (spec.layers.empty()) throw InputError("nothing to draw: no layers were given");
    const Palette& palette = Palette::builtin();
    const auto& roles = layer_roles();
    std::vector<std::unique_ptr<Source>> sources;
    std::vector<OGRLayer*> ogr_layers;
    std::vector<LayerInfo> infos;
    for (const auto& ml : spec.layers) {
        if (!ml.role.empty() && std::find(roles.begin(), roles.end(), ml.role) == roles.end()) {
            std::string list;
            for (const auto& r : roles) list += (list.empty() ? "" : ", ") + r;
            throw InputError(fmt::format("unknown role '{}' for '{}'{} (roles: {})", ml.role, ml.path,
                                         ml.layer.empty() ? "" : fmt::format(" layer '{}'", ml.layer), list));
        }
        sources.push_back(std::make_unique<Source>(Source::open(ml.path, ml.source)));
        OGRLayer* layer = sources.back()->layer(ml.layer);
        ogr_layers.push_back(layer);
        infos.push_back(sources.back()->describe(layer));
    }

    Loaded out;
    out.ctx = std::make_unique<GeosContext>();
    GeosContext& ctx = *out.ctx;
    out.crs = choose_analysis_crs(infos, spec.crs, result.notes);
    require_metres(out.crs);
    result.crs = out.crs.label();

    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        const MapLayer& ml = spec.layers[i];
        const LayerInfo& info = infos[i];
        DrawLayer dl;
        dl.name = info.name;
        dl.where = fmt::format("'{}' layer '{}'", ml.path, info.name);
        dl.role = ml.role.empty() ? guess_role(info.name) : ml.role;
        dl.style = dl.role.empty() ? &neutral_style() : &palette.role(dl.role);
        dl.title = !ml.title.empty() ? ml.title : dl.role.empty() ? info.name : dl.style->title;
        dl.rank = palette.draw_rank(dl.role);
        if (dl.role.empty())
            result.warnings.push_back(fmt::format("{} has no role (and its name suggests none): it is drawn in neutral "
                                                  "grey. Give it one of: {}",
                                                  dl.where, [&] {
                                                      std::string list;
                                                      for (const auto& r : roles) list += (list.empty() ? "" : ", ") + r;
                                                      return list;
                                                  }()));

        // The fields read, found without regard to case (DLBM, dlbm); districts may read another field
        // (style_field: GHFQMC, the key, …) and are labelled by it.
        const OGRFeatureDefn* defn = ogr_layers[i]->GetLayerDefn();
        int value_index = -1, label_index = -1;
        if (dl.style->categorized()) {
            const std::string field = style_field(*defn, *dl.style, ml.key);
            value_index = field.empty() ? -1 : find_field(*defn, field);
            if (value_index < 0)
                result.warnings.push_back(fmt::format("{} has no field '{}', which the style of role '{}' reads: every "
                                                      "feature is drawn as '{}' (fields: {})",
                                                      dl.where, dl.style->field, dl.role, dl.style->other.label,
                                                      field_list(defn)));
            else if (dl.style->label && strcasecmp(dl.style->label->field.c_str(), dl.style->field.c_str()) == 0)
                label_index = value_index;  // labelled by the field it is coloured by
        }
        if (dl.style->label && label_index < 0) {
            label_index = find_field(*defn, dl.style->label->field);
            if (label_index < 0)
                result.warnings.push_back(fmt::format("{} has no field '{}' for labels: it is drawn without labels",
                                                      dl.where, dl.style->label->field));
        }

        if (spec.extent && spec.clip_to_extent && !dl.style->categories_from_data && !info.crs.empty()) {
            // The extent's outline (corners and edge midpoints) in the layer's CRS, widened by 1 %.
            const Box& e = *spec.extent;
            std::vector<double> xs = {e.min_x, e.max_x, e.max_x, e.min_x, (e.min_x + e.max_x) / 2, e.max_x,
                                      (e.min_x + e.max_x) / 2, e.min_x};
            std::vector<double> ys = {e.min_y, e.min_y, e.max_y, e.max_y, e.min_y, (e.min_y + e.max_y) / 2,
                                      e.max_y, (e.min_y + e.max_y) / 2};
            if (Transform(out.crs, info.crs).transform(xs.size(), xs.data(), ys.data())) {
                const auto [x0, x1] = std::minmax_element(xs.begin(), xs.end());
                const auto [y0, y1] = std::minmax_element(ys.begin(), ys.end());
                const double mx = (*x1 - *x0) / 100, my = (*y1 - *y0) / 100;
                ogr_layers[i]->SetSpatialFilterRect(*x0 - mx, *y0 - my, *x1 + mx, *y1 + my);
            }
        }
        ReadOptions read;
        read.where = ml.where;
        read.validate = false;  // drawn as drawn
        LayerReader reader(*sources[i], ogr_layers[i], out.crs, read);
        Feature f;
        while (reader.next(ctx, f)) {
            if (!f.geom || GEOSisEmpty_r(ctx.handle(), f.geom.get()) == 1) continue;
            DrawFeature df;
            if (value_index >= 0 && f.ogr->IsFieldSetAndNotNull(value_index))
                df.value = f.ogr->GetFieldAsString(value_index);
            if (label_index >= 0 && f.ogr->IsFieldSetAndNotNull(label_index))
                df.label = f.ogr->GetFieldAsString(label_index);
            df.box = envelope_of(ctx, f.geom.get());
            count_kinds(ctx, f.geom.get(), dl.kinds);
            extend(out.data_box, df.box);
            df.geom = std::move(f.geom);
            dl.features.push_back(std::move(df));
        }
        if (std::string w = damaged_warning(reader); !w.empty()) result.warnings.push_back(std::move(w));
        out.layers.push_back(std::move(dl));
    }
    choose_symbols(out);
    std::stable_sort(out.layers.begin(), out.layers.end(),
                     [](const DrawLayer& a, const DrawLayer& b) { return a.rank < b.rank; });
    if (!out.data_box && !spec.extent) {
        std::string names;
        for (const auto& l : out.layers) names += (names.empty() ? "" : ", ") + l.where;
        throw InputError(fmt::format("nothing to draw: the layers hold no features with geometry ({}){}", names,
                                     std::any_of(spec.layers.begin(), spec.layers.end(),
                                                 [](const MapLayer& l) { return !l.where.empty(); })
                                         ? "; check the --where filters"
                                         : ""));
    }
    return out;
}

}  // namespace zk::render_detail
