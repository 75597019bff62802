// The picture's layout: the title, the map frame at the extent's aspect, the legend panel beside it fitted to its
// height, the scale bar's length and the sentence on grid and true north.
#include "zonekit/present/render_parts.hpp"

#include "zonekit/base/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace zk::render_detail {

// The legend's entries: layers top-most first; layers of the same role and title share one entry; a
// categorized role lists the categories that are drawn, in the palette's order.
std::vector<LegendGroup> legend_groups(const std::vector<DrawLayer>& layers) {
    struct Group {
        const RoleStyle* style;
        std::string role, title;
        GeometryKind kind;
        std::vector<char> used;
    };
    std::vector<Group> groups;
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        const DrawLayer& l = *it;
        if (l.features.empty()) continue;
        auto g = std::find_if(groups.begin(), groups.end(),
                              [&](const Group& x) { return x.role == l.role && x.title == l.title && x.style == l.style; });
        const std::vector<const Symbol*> symbols = legend_symbols(*l.style);
        if (g == groups.end()) {
            groups.push_back({l.style, l.role, l.title, l.kind(), std::vector<char>(symbols.size(), 0)});
            g = groups.end() - 1;
        }
        for (const auto& f : l.features)
            for (std::size_t i = 0; i < symbols.size(); ++i)
                if (symbols[i] == f.symbol) g->used[i] = 1;
    }
    std::vector<LegendGroup> out;
    for (const auto& g : groups) {
        const std::vector<const Symbol*> symbols = legend_symbols(*g.style);
        LegendGroup lg;
        if (!g.style->categorized()) {
            lg.items.push_back({symbols.front(), g.kind, g.title, {}});
        } else {
            lg.heading = g.title;
            for (std::size_t i = 0; i < symbols.size(); ++i)
                if (g.used[i]) lg.items.push_back({symbols[i], g.kind, symbols[i]->label, {}});
        }
        out.push_back(std::move(lg));
    }
    return out;
}

namespace {

// The angle from grid north to true north at (x, y) of `crs`, in degrees (positive: true north lies east of
// grid north), or nullopt when it cannot be computed.
std::optional<double> grid_convergence(const Crs& crs, double x, double y) {
    try {
        const Crs geo = crs.geographic();
        Transform to_geo(crs, geo), from_geo(geo, crs);
        double lon = x, lat = y;
        if (!to_geo.transform(1, &lon, &lat)) return std::nullopt;
        double x2 = lon, y2 = lat + 0.01;
        if (!from_geo.transform(1, &x2, &y2)) return std::nullopt;
        return std::atan2(x2 - x, y2 - y) * 180 / pi;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

// The map's extent: as asked (checked), or the data plus a 4 % margin.
Box extent_of(const MapSpec& spec, const Loaded& data, const Crs& crs) {
    Box ext;
    if (spec.extent) {
        ext = *spec.extent;
        if (!(ext.max_x > ext.min_x) || !(ext.max_y > ext.min_y))
            throw InputError(fmt::format("the map extent {} {} … {} {} is empty: give min_x,min_y,max_x,max_y with max > "
                                         "min, in the map CRS {}",
                                         ext.min_x, ext.min_y, ext.max_x, ext.max_y, crs.label()));
    } else {
        ext = *data.data_box;
        const double size = std::max(ext.max_x - ext.min_x, ext.max_y - ext.min_y);
        const double m = size > 0 ? 0.04 * size : 500.0;
        ext.min_x -= m;
        ext.min_y -= m;
        ext.max_x += m;
        ext.max_y += m;
    }
    return ext;
}

// The legend footer's sentence on grid and true north at the centre of `ext`, or "".
std::string convergence_text(const Crs& crs, const Box& ext) {
    const double cx = 0.5 * (ext.min_x + ext.max_x), cy = 0.5 * (ext.min_y + ext.max_y);
    if (auto c = grid_convergence(crs, cx, cy))
        return std::abs(*c) < 0.005
                   ? std::string("指北针为格网北 grid north，与真北一致")
                   : fmt::format("指北针为格网北 grid north；真北偏{} {:.2f}°", *c > 0 ? "东" : "西", std::abs(*c));
    return {};
}

Layout make_layout(Painter& p, const MapSpec& spec, const Loaded& data, const Crs& crs) {
    Layout L;
    L.width = spec.width_px;
    L.margin = p.mm(margin_mm);
    const double pad = p.mm(pad_mm);
    double top = L.margin;
    if (!spec.title.empty()) {
        p.font(title_pt, true);
        L.title_y = L.margin + p.pt(title_pt) * 0.75;
        top = L.margin + p.pt(title_pt) * 1.5 + p.mm(2);
    }

    const Box ext = extent_of(spec, data, crs);

    // The legend: its natural width (one column, nothing wrapped), clamped.
    const std::vector<LegendGroup> groups = legend_groups(data.layers);
    const double swatch_w = p.mm(swatch_w_mm), gap = p.mm(swatch_gap_mm);
    p.font(legend_title_pt, true);
    double natural = p.width("图例 Legend");
    for (const auto& g : groups) {
        p.font(heading_pt, true);
        if (!g.heading.empty()) natural = std::max(natural, p.width(g.heading));
        p.font(item_pt, false);
        for (const auto& c : g.items) natural = std::max(natural, swatch_w + gap + p.width(c.text));
    }
    const double legend_w =
        std::min(std::max(natural + 2 * pad, p.mm(40)), std::min(0.42 * L.width, p.mm(90)));
    const double frame_w = L.width - legend_w - 3 * L.margin;
    if (frame_w < 40)
        throw InputError(fmt::format("--size {} px wide leaves no room for the map beside its legend ({:.0f} px at {} "
                                     "dpi): make it wider or lower --dpi",
                                     spec.width_px, legend_w, spec.dpi));

    // Footer: the CRS and north.
    const double cx = 0.5 * (ext.min_x + ext.max_x), cy = 0.5 * (ext.min_y + ext.max_y);
    L.convergence = convergence_text(crs, ext);
    LegendFitter legend(p, groups, crs, L, legend_w);

    // The frame: as tall as asked, or as the extent's aspect makes it.
    const bool fixed = spec.height_px > 0;
    double frame_h;
    if (fixed) {
        L.height = spec.height_px;
        frame_h = L.height - top - L.margin;
        if (frame_h < 40)
            throw InputError(fmt::format("--size {}x{} leaves no room for the map below its title: make it taller",
                                         spec.width_px, spec.height_px));
    } else {
        const double aspect = (ext.max_y - ext.min_y) / (ext.max_x - ext.min_x);
        frame_h = std::clamp(frame_w * aspect, 0.25 * frame_w, 4.0 * frame_w);
    }
    // Fit the legend beside the frame (text down to 75 %, or 60 % when the height is fixed); then a taller
    // picture, or the last rows left out.
    const double need = legend.fit(frame_h, fixed ? 0.6 : 0.75);
    if (!fixed) {
        frame_h = std::max(frame_h, need);
        L.height = std::ceil(top + frame_h + L.margin);
        frame_h = L.height - top - L.margin;
    }
    legend.show(need, frame_h);

    if (L.width * L.height > 150e6)
        throw InputError(fmt::format("the picture would be {:.0f} × {:.0f} px, more than 150 million pixels: give a "
                                     "smaller --size (or a height), or an extent closer to square",
                                     L.width, L.height));
    L.frame = {L.margin, top, L.margin + frame_w, top + frame_h};
    L.legend = {L.frame.max_x + L.margin, top, L.frame.max_x + L.margin + legend_w, top + frame_h};

    // Widen the extent to the frame's aspect (no stretching), about its centre.
    const double sx = frame_w / (ext.max_x - ext.min_x), sy = frame_h / (ext.max_y - ext.min_y);
    L.scale = std::min(sx, sy);
    const double half_w = 0.5 * frame_w / L.scale, half_h = 0.5 * frame_h / L.scale;
    L.extent = {cx - half_w, cy - half_h, cx + half_w, cy + half_h};
    L.scale_bar_m = scale_bar_length(0.25 * frame_w / L.scale);
    return L;
}

}  // namespace zk::render_detail
