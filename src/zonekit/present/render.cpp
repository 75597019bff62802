#include "zonekit/present/render.hpp"
#include "zonekit/present/render_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/io/layer_styles.hpp"
#include "zonekit/io/palette.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <fmt/format.h>
#include <fontconfig/fontconfig.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <mutex>

namespace zk {

namespace render_detail {

// ---- Fonts ------------------------------------------------------------------------------------------------

// The family fontconfig gives for `family`, and whether it is that family (and not a substitute).
static bool font_installed(const std::string& family, std::string& matched) {
    static std::mutex mutex;
    const std::lock_guard<std::mutex> lock(mutex);
    FcPattern* pattern = FcPatternCreate();
    if (!pattern) return false;
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcPattern* match = FcFontMatch(nullptr, pattern, &result);
    FcPatternDestroy(pattern);
    if (!match) return false;
    bool same = false;
    FcChar8* name = nullptr;
    for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &name) == FcResultMatch; ++i) {
        const char* s = reinterpret_cast<const char*>(name);
        if (i == 0) matched = s;
        if (strcasecmp(s, family.c_str()) == 0) same = true;
    }
    FcPatternDestroy(match);
    return same;
}

void require_font(const std::string& family) {
    std::string matched;
    if (font_installed(family, matched)) return;
    throw OutputError(fmt::format(
        "the font '{}' is not installed{}: Chinese text would be drawn as empty boxes. Install Debian's "
        "fonts-noto-cjk (scripts/setup.sh does: sudo apt-get install fonts-noto-cjk)",
        family, matched.empty() ? "" : fmt::format(" (fontconfig offers '{}' instead)", matched)));
}

}  // namespace render_detail

using namespace render_detail;

namespace {

constexpr double pi = 3.14159265358979323846;

enum class Format { png, svg, pdf };

Format format_of(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".png") return Format::png;
    if (ext == ".svg") return Format::svg;
    if (ext == ".pdf") return Format::pdf;
    throw OutputError(fmt::format("cannot tell the picture format of '{}' from its extension: use .png, .svg or .pdf",
                                  path));
}

// ---- Geometry helpers -------------------------------------------------------------------------------------

struct KindCounts {
    std::int64_t polygons = 0, lines = 0, points = 0;
};

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

// ---- What is drawn ----------------------------------------------------------------------------------------

struct DrawFeature {
    GeomPtr geom;
    const Symbol* symbol = nullptr;
    std::string label;
    Box box;
    std::optional<std::string> value;  // of the style's field, until the symbol is chosen
};

struct DrawLayer {
    std::string name;     // the layer's own name
    std::string where;    // "'file' layer 'name'" for messages
    std::string role;     // "" = neutral
    const RoleStyle* style = nullptr;
    std::string title;
    int rank = 0;
    std::vector<DrawFeature> features;
    KindCounts kinds;
    bool findings() const { return role == "findings"; }
    GeometryKind kind() const {
        if (kinds.polygons == 0 && kinds.lines == 0 && kinds.points == 0) return style->geometry;
        if (kinds.points > kinds.polygons && kinds.points > kinds.lines) return GeometryKind::point;
        if (kinds.lines > kinds.polygons) return GeometryKind::line;
        return GeometryKind::polygon;
    }
};

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

std::string field_list(const OGRFeatureDefn* defn) {
    std::string fields;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        fields += (i ? ", " : "") + std::string(defn->GetFieldDefn(i)->GetNameRef());
    return fields.empty() ? "none" : fields;
}

struct Loaded {
    std::unique_ptr<GeosContext> ctx;  // first: destroyed after the geometries
    Crs crs;
    std::vector<DrawLayer> layers;     // in draw order
    std::optional<Box> data_box;
    std::vector<std::unique_ptr<RoleStyle>> styles;  // built from the data (districts), one per role
};

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

// ---- Text and shapes on a Cairo context --------------------------------------------------------------------

void marker_path(cairo_t* cr, const std::string& shape, double x, double y, double diameter) {
    const double r = diameter / 2;
    if (shape == "square") {
        cairo_rectangle(cr, x - r, y - r, diameter, diameter);
    } else if (shape == "triangle") {
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x + r * 0.866, y + r * 0.5);
        cairo_line_to(cr, x - r * 0.866, y + r * 0.5);
        cairo_close_path(cr);
    } else if (shape == "diamond") {
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x + r, y);
        cairo_line_to(cr, x, y + r);
        cairo_line_to(cr, x - r, y);
        cairo_close_path(cr);
    } else if (shape == "cross") {
        cairo_move_to(cr, x - r, y);
        cairo_line_to(cr, x + r, y);
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x, y + r);
    } else {
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * pi);
        cairo_close_path(cr);
    }
}

// Parallel lines over the device-space box, anchored at the page origin (adjacent polygons' hatches line up).
void hatch_lines(Painter& p, const Hatch& h, double x0, double y0, double x1, double y1) {
    cairo_t* cr = p.cr();
    const double a = h.angle_deg * pi / 180;
    const double dx = std::cos(a), dy = -std::sin(a);  // counter-clockwise on the map: y is down on the page
    const double nx = -dy, ny = dx;
    const double spacing = p.mm(h.spacing_mm);
    double lo = std::numeric_limits<double>::max(), hi = -lo, tlo = lo, thi = -lo;
    for (double x : {x0, x1})
        for (double y : {y0, y1}) {
            lo = std::min(lo, x * nx + y * ny);
            hi = std::max(hi, x * nx + y * ny);
            tlo = std::min(tlo, x * dx + y * dy);
            thi = std::max(thi, x * dx + y * dy);
        }
    if ((hi - lo) / spacing > 100000) return;
    for (double k = std::ceil(lo / spacing); k <= std::floor(hi / spacing); ++k) {
        const double ox = k * spacing * nx, oy = k * spacing * ny;
        cairo_move_to(cr, ox + tlo * dx, oy + tlo * dy);
        cairo_line_to(cr, ox + thi * dx, oy + thi * dy);
    }
    p.colour(h.color);
    cairo_set_line_width(cr, p.mm(h.width_mm));
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_stroke(cr);
}

void set_stroke(Painter& p, const Symbol& s, double extra_width_mm = 0) {
    cairo_t* cr = p.cr();
    cairo_set_line_width(cr, std::max(p.mm(s.stroke_width_mm + extra_width_mm), 0.5));
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    if (s.dash_mm.empty()) {
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(cr, nullptr, 0, 0);
    } else {
        std::vector<double> dashes;
        for (double d : s.dash_mm) dashes.push_back(p.mm(d));
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        cairo_set_dash(cr, dashes.data(), static_cast<int>(dashes.size()), 0);
    }
}

// ---- Layout -----------------------------------------------------------------------------------------------

// One symbol and its text in the legend.
struct LegendCell {
    const Symbol* symbol = nullptr;
    GeometryKind geometry = GeometryKind::polygon;
    std::string text;
    std::vector<std::string> lines;  // text wrapped to the cell
};

// A layer's (or a role's) entry: a heading and its categories, or one symbol with the title as its text.
struct LegendGroup {
    std::string heading;  // "" for a single symbol
    std::vector<LegendCell> items;
};

// A line of the legend: a heading, or one or two cells side by side.
struct LegendRow {
    enum class Kind { heading, items } kind = Kind::items;
    std::vector<std::string> lines;  // heading
    std::vector<LegendCell> cells;
    double cell_width = 0;
    double height = 0;
};

struct Layout {
    double width = 0, height = 0;
    double margin = 0;
    double title_y = 0;  // middle of the title line
    Box frame;           // map frame, device px (y down)
    Box legend;          // legend panel, device px
    Box extent;          // in the map CRS, with the frame's aspect
    double scale = 1;    // px per metre
    std::vector<LegendRow> rows;
    std::size_t rows_shown = 0;
    double legend_font = 1;  // factor on the legend's text sizes when it must shrink to fit
    double scale_bar_m = 0;
    std::string convergence;  // sentence on grid vs true north, or ""
};

// Text sizes (pt) and legend measures (mm).
constexpr double title_pt = 16, legend_title_pt = 11, heading_pt = 9, item_pt = 8.5, footer_pt = 7;
constexpr double margin_mm = 4, pad_mm = 3, swatch_w_mm = 7, swatch_h_mm = 4, swatch_gap_mm = 2.2, cell_gap_mm = 3;
// A categorized entry with at least this many categories may list them in two columns.
constexpr std::size_t two_up_min = 6;

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

// The legend's rows for a panel `legend_w` wide (L.convergence set), fitted to a height.
class LegendFitter {
public:
    LegendFitter(Painter& p, const std::vector<LegendGroup>& groups, const Crs& crs, Layout& L, double legend_w)
        : m_p(p), m_groups(groups), m_crs(crs), m_l(L), m_pad(p.mm(pad_mm)), m_text_w(legend_w - 2 * m_pad) {}

    // The height the legend needs at text size factor f (L.rows set to its rows); with two_up, long category
    // lists take two columns.
    double needed(double f, bool two_up) {
        m_l.rows = rows_for(f, two_up);
        double total = m_p.pt(legend_title_pt * f) * 1.8 + footer_height(f) + 2 * m_pad;
        for (const auto& r : m_l.rows) total += r.height;
        return total;
    }

    // Fits the legend into `height`: one column; then long category lists in two columns; then smaller text
    // down to min_f. Sets L.rows and L.legend_font; returns the height needed.
    double fit(double height, double min_f) {
        double f = 1.0;
        bool two_up = false;
        double need = needed(f, two_up);
        if (need > height) {
            const double paired = needed(f, true);
            if (paired < need) {
                two_up = true;
                need = paired;
            } else {
                need = needed(f, false);
            }
        }
        while (need > height && f > min_f + 1e-9) {
            f = std::max(min_f, f * 0.92);
            need = needed(f, two_up);
        }
        m_l.legend_font = f;
        return need;
    }

    // Sets L.rows_shown: every row, or those that fit in `height` with room for "… n more".
    void show(double need, double height) {
        const double f = m_l.legend_font;
        m_l.rows_shown = m_l.rows.size();
        if (need <= height) return;
        double used = m_p.pt(legend_title_pt * f) * 1.8 + footer_height(f) + 2 * m_pad +
                      m_p.pt(item_pt * f) * 1.5;  // room for "… n more"
        std::size_t n = 0;
        while (n < m_l.rows.size() && used + m_l.rows[n].height <= height) used += m_l.rows[n++].height;
        m_l.rows_shown = n;
    }

private:
    std::vector<LegendRow> rows_for(double f, bool two_up) {
        Painter& p = m_p;
        const double swatch_w = p.mm(swatch_w_mm), gap = p.mm(swatch_gap_mm);
        std::vector<LegendRow> rows;
        for (const auto& g : m_groups) {
            if (!g.heading.empty()) {
                p.font(heading_pt * f, true);
                LegendRow r;
                r.kind = LegendRow::Kind::heading;
                r.lines = p.wrap(g.heading, m_text_w);
                r.height = p.pt(heading_pt * f) * 1.5 * static_cast<double>(r.lines.size()) + p.mm(1.0) * f;
                rows.push_back(std::move(r));
            }
            const std::size_t n = g.items.size();
            const bool pair = two_up && n >= two_up_min;
            const std::size_t down = pair ? (n + 1) / 2 : n;
            const double cell_w = pair ? (m_text_w - p.mm(cell_gap_mm)) / 2 : m_text_w;
            p.font(item_pt * f, false);
            const double line_h = p.pt(item_pt * f) * 1.45;
            for (std::size_t i = 0; i < down; ++i) {
                LegendRow r;
                r.cell_width = cell_w;
                for (std::size_t j : {i, i + down}) {
                    if (j >= n || (j != i && !pair)) continue;
                    LegendCell c = g.items[j];
                    c.lines = p.wrap(c.text, cell_w - (swatch_w + gap) * f);
                    r.height = std::max({r.height, line_h * static_cast<double>(c.lines.size()),
                                         p.mm(swatch_h_mm + 1.2) * f});
                    r.cells.push_back(std::move(c));
                }
                rows.push_back(std::move(r));
            }
        }
        return rows;
    }

    double footer_height(double f) {
        m_p.font(footer_pt * f, false);
        const double line_h = m_p.pt(footer_pt * f) * 1.4;
        std::size_t n = m_p.wrap(fmt::format("坐标系 CRS {} {}", m_crs.label(), m_crs.name()), m_text_w).size();
        if (!m_l.convergence.empty()) n += m_p.wrap(m_l.convergence, m_text_w).size();
        return line_h * static_cast<double>(n) + m_p.mm(2);
    }

    Painter& m_p;
    const std::vector<LegendGroup>& m_groups;
    const Crs& m_crs;
    Layout& m_l;
    double m_pad, m_text_w;
};

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

// ---- Drawing ----------------------------------------------------------------------------------------------

class MapDrawer {
public:
    MapDrawer(Painter& p, const Layout& layout, GeosContext& ctx) : m_p(p), m_cr(p.cr()), m_l(layout), m_ctx(ctx) {}

    double px(double x) const { return m_l.frame.min_x + (x - m_l.extent.min_x) * m_l.scale; }
    double py(double y) const { return m_l.frame.min_y + (m_l.extent.max_y - y) * m_l.scale; }

    // Appends the linear parts (rings, lines) of `g` to the current path; `polygonal` selects which.
    void trace(const GEOSGeometry* g, bool polygonal) {
        GEOSContextHandle_t h = m_ctx.handle();
        switch (GEOSGeomTypeId_r(h, g)) {
        case GEOS_POLYGON:
            if (!polygonal) return;
            trace_ring(GEOSGetExteriorRing_r(h, g), true);
            for (int i = 0, n = GEOSGetNumInteriorRings_r(h, g); i < n; ++i)
                trace_ring(GEOSGetInteriorRingN_r(h, g, i), true);
            return;
        case GEOS_LINESTRING:
        case GEOS_LINEARRING:
            if (!polygonal) trace_ring(g, false);
            return;
        case GEOS_MULTIPOLYGON:
        case GEOS_MULTILINESTRING:
        case GEOS_GEOMETRYCOLLECTION:
            for (int i = 0, n = GEOSGetNumGeometries_r(h, g); i < n; ++i) trace(GEOSGetGeometryN_r(h, g, i), polygonal);
            return;
        default: return;
        }
    }

    template <class Fn>
    void each_point(const GEOSGeometry* g, Fn&& fn) {
        GEOSContextHandle_t h = m_ctx.handle();
        const int type = GEOSGeomTypeId_r(h, g);
        if (type == GEOS_POINT) {
            double x = 0, y = 0;
            if (GEOSGeomGetX_r(h, g, &x) == 1 && GEOSGeomGetY_r(h, g, &y) == 1) fn(px(x), py(y));
        } else if (type == GEOS_MULTIPOINT || type == GEOS_GEOMETRYCOLLECTION) {
            for (int i = 0, n = GEOSGetNumGeometries_r(h, g); i < n; ++i) each_point(GEOSGetGeometryN_r(h, g, i), fn);
        }
    }

    void draw_feature(const DrawLayer& layer, const DrawFeature& f) {
        const Symbol& s = *f.symbol;
        const bool findings = layer.findings();
        KindCounts k;
        count_kinds(m_ctx, f.geom.get(), k);
        const double x0 = px(f.box.min_x), x1 = px(f.box.max_x), y0 = py(f.box.max_y), y1 = py(f.box.min_y);

        if (k.polygons > 0) {
            if (findings && s.stroke) {  // a light halo under the outline lifts the finding off the map
                cairo_new_path(m_cr);
                trace(f.geom.get(), true);
                m_p.colour(Rgba{255, 255, 255, 210});
                set_stroke(m_p, s, 1.0);
                cairo_set_dash(m_cr, nullptr, 0, 0);
                cairo_stroke(m_cr);
            }
            cairo_new_path(m_cr);
            cairo_set_fill_rule(m_cr, CAIRO_FILL_RULE_EVEN_ODD);
            trace(f.geom.get(), true);
            if (s.fill) {
                m_p.colour(*s.fill);
                cairo_fill_preserve(m_cr);
            }
            if (s.hatch) {
                cairo_save(m_cr);
                cairo_clip(m_cr);
                hatch_lines(m_p, *s.hatch, std::max(x0, m_l.frame.min_x), std::max(y0, m_l.frame.min_y),
                            std::min(x1, m_l.frame.max_x), std::min(y1, m_l.frame.max_y));
                cairo_restore(m_cr);
                cairo_new_path(m_cr);
                trace(f.geom.get(), true);
            }
            if (s.stroke) {
                m_p.colour(*s.stroke);
                set_stroke(m_p, s);
                cairo_stroke(m_cr);
            }
            cairo_new_path(m_cr);
        }
        if (k.lines > 0) {
            const Rgba colour = s.stroke ? *s.stroke : s.fill ? *s.fill : Rgba{100, 100, 100, 255};
            if (findings) {
                cairo_new_path(m_cr);
                trace(f.geom.get(), false);
                m_p.colour(Rgba{255, 255, 255, 210});
                set_stroke(m_p, s, 1.0);
                cairo_stroke(m_cr);
            }
            cairo_new_path(m_cr);
            trace(f.geom.get(), false);
            m_p.colour(colour);
            set_stroke(m_p, s);
            cairo_stroke(m_cr);
        }
        if (k.points > 0) {
            const Marker marker = s.marker ? *s.marker : Marker{"circle", findings ? 3.0 : 2.2};
            each_point(f.geom.get(), [&](double x, double y) { draw_marker(s, marker, x, y); });
        }
        // A finding too small to see at this scale gets a ring around it.
        if (findings && std::max(x1 - x0, y1 - y0) < m_p.mm(2.5) && (k.polygons > 0 || k.lines > 0)) {
            const Rgba colour = s.stroke ? *s.stroke : s.fill ? *s.fill : Rgba{255, 0, 255, 255};
            const double cx = 0.5 * (x0 + x1), cy = 0.5 * (y0 + y1);
            cairo_new_path(m_cr);
            cairo_arc(m_cr, cx, cy, m_p.mm(2.5), 0, 2 * pi);
            cairo_set_dash(m_cr, nullptr, 0, 0);
            m_p.colour(Rgba{255, 255, 255, 210});
            cairo_set_line_width(m_cr, m_p.mm(1.1));
            cairo_stroke_preserve(m_cr);
            m_p.colour(colour);
            cairo_set_line_width(m_cr, m_p.mm(0.5));
            cairo_stroke(m_cr);
        }
    }

    void draw_marker(const Symbol& s, const Marker& marker, double x, double y) {
        const double d = m_p.mm(marker.size_mm);
        cairo_new_path(m_cr);
        marker_path(m_cr, marker.shape, x, y, d);
        const bool line_only = marker.shape == "cross";
        if (s.fill && !line_only) {
            m_p.colour(*s.fill);
            cairo_fill_preserve(m_cr);
        }
        if (s.stroke || line_only) {
            m_p.colour(s.stroke ? *s.stroke : s.fill ? *s.fill : Rgba{});
            cairo_set_dash(m_cr, nullptr, 0, 0);
            cairo_set_line_width(m_cr, std::max(m_p.mm(line_only ? 0.5 : s.stroke_width_mm), 0.5));
            cairo_stroke(m_cr);
        }
        cairo_new_path(m_cr);
    }

    // A symbol in the legend, in a box at (x, y) of w × h.
    void swatch(const Symbol& s, GeometryKind kind, double x, double y, double w, double h) {
        cairo_new_path(m_cr);
        if (kind == GeometryKind::point) {
            const Marker marker = s.marker ? *s.marker : Marker{"circle", 2.4};
            draw_marker(s, marker, x + w / 2, y + h / 2);
            return;
        }
        if (kind == GeometryKind::line || (!s.fill && !s.hatch)) {  // an outline only (a boundary): a line
            cairo_move_to(m_cr, x, y + h / 2);
            cairo_line_to(m_cr, x + w, y + h / 2);
            m_p.colour(s.stroke ? *s.stroke : s.fill ? *s.fill : Rgba{});
            set_stroke(m_p, s);
            cairo_stroke(m_cr);
            return;
        }
        cairo_rectangle(m_cr, x, y, w, h);
        if (s.fill) {
            m_p.colour(*s.fill);
            cairo_fill_preserve(m_cr);
        }
        if (s.hatch) {
            cairo_save(m_cr);
            cairo_clip(m_cr);
            hatch_lines(m_p, *s.hatch, x, y, x + w, y + h);
            cairo_restore(m_cr);
            cairo_rectangle(m_cr, x, y, w, h);
        }
        if (s.stroke) {
            m_p.colour(*s.stroke);
            set_stroke(m_p, s);
            cairo_stroke(m_cr);
        }
        cairo_new_path(m_cr);
    }

private:
    void trace_ring(const GEOSGeometry* ring, bool close) {
        GEOSContextHandle_t h = m_ctx.handle();
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
        unsigned int n = 0;
        if (!seq || GEOSCoordSeq_getSize_r(h, seq, &n) == 0 || n == 0) return;
        double lx = 0, ly = 0;
        for (unsigned int i = 0; i < n; ++i) {
            double x = 0, y = 0;
            GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
            const double X = px(x), Y = py(y);
            if (i == 0) {
                cairo_move_to(m_cr, X, Y);
            } else if (i + 1 == n || std::abs(X - lx) + std::abs(Y - ly) > 0.3) {
                cairo_line_to(m_cr, X, Y);
            } else {
                continue;
            }
            lx = X;
            ly = Y;
        }
        if (close) cairo_close_path(m_cr);
    }

    Painter& m_p;
    cairo_t* m_cr;
    const Layout& m_l;
    GeosContext& m_ctx;
};

struct Label {
    std::string text;
    double x = 0, y = 0;
    const LabelStyle* style = nullptr;
};

// Headings and symbols of the legend rows that did not fit.
std::size_t hidden_entries(const Layout& L) {
    std::size_t n = 0;
    for (std::size_t i = L.rows_shown; i < L.rows.size(); ++i) n += std::max<std::size_t>(1, L.rows[i].cells.size());
    return n;
}

void draw_scale_bar(Painter& p, const Layout& L) {
    cairo_t* cr = p.cr();
    const double metres = L.scale_bar_m;
    const double bar = metres * L.scale;
    const double h = p.mm(1.6);
    const double x = L.frame.min_x + p.mm(6);
    const double y = L.frame.max_y - p.mm(6) - h;
    // 1 and 2 × 10^k split in 4, 5 × 10^k in 5.
    const double lead = metres / std::pow(10.0, std::floor(std::log10(metres) + 1e-9));
    const int parts = lead > 4.5 ? 5 : 4;
    p.font(8, false);
    const std::string end = scale_bar_label(metres);
    const double label_h = p.pt(8) * 1.4;
    // A white box behind it.
    cairo_new_path(cr);
    cairo_rectangle(cr, x - p.mm(2), y - label_h - p.mm(1.5), bar + p.width(end) / 2 + p.mm(5), h + label_h + p.mm(3.5));
    p.colour(Rgba{255, 255, 255, 215});
    cairo_fill(cr);
    for (int i = 0; i < parts; ++i) {
        cairo_rectangle(cr, x + bar * i / parts, y, bar / parts, h);
        p.colour(i % 2 == 0 ? Rgba{33, 33, 33, 255} : Rgba{255, 255, 255, 255});
        cairo_fill(cr);
    }
    cairo_rectangle(cr, x, y, bar, h);
    p.colour(Rgba{33, 33, 33, 255});
    cairo_set_line_width(cr, p.mm(0.2));
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_stroke(cr);
    p.text("0", x, y - label_h / 2 - p.mm(0.3), 0.5, text_colour);
    p.text(end, x + bar, y - label_h / 2 - p.mm(0.3), 0.5, text_colour);
}

void draw_north_arrow(Painter& p, const Layout& L) {
    cairo_t* cr = p.cr();
    const double h = p.mm(11), w = p.mm(6);
    const double cx = L.frame.max_x - p.mm(6) - w / 2;
    const double top = L.frame.min_y + p.mm(6) + p.pt(10) * 1.3;
    p.font(10, true);
    p.text("N", cx, L.frame.min_y + p.mm(6) + p.pt(10) * 0.5, 0.5, text_colour, Rgba{255, 255, 255, 230}, p.mm(0.6));
    auto outline = [&] {
        cairo_new_path(cr);
        cairo_move_to(cr, cx, top);
        cairo_line_to(cr, cx + w / 2, top + h);
        cairo_line_to(cr, cx, top + 0.72 * h);
        cairo_line_to(cr, cx - w / 2, top + h);
        cairo_close_path(cr);
    };
    outline();
    p.colour(Rgba{255, 255, 255, 230});
    cairo_set_line_width(cr, p.mm(1.2));
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_stroke_preserve(cr);
    p.colour(Rgba{255, 255, 255, 255});
    cairo_fill(cr);
    cairo_new_path(cr);  // the left half dark
    cairo_move_to(cr, cx, top);
    cairo_line_to(cr, cx, top + 0.72 * h);
    cairo_line_to(cr, cx - w / 2, top + h);
    cairo_close_path(cr);
    p.colour(Rgba{33, 33, 33, 255});
    cairo_fill(cr);
    outline();
    cairo_set_line_width(cr, p.mm(0.25));
    cairo_stroke(cr);
}

void draw_legend(Painter& p, MapDrawer& drawer, const Layout& L, const Crs& crs) {
    cairo_t* cr = p.cr();
    const double f = L.legend_font;
    const double pad = p.mm(pad_mm);
    const Box& b = L.legend;
    cairo_new_path(cr);
    cairo_rectangle(cr, b.min_x, b.min_y, b.max_x - b.min_x, b.max_y - b.min_y);
    p.colour(Rgba{255, 255, 255, 255});
    cairo_fill_preserve(cr);
    p.colour(Rgba{90, 90, 90, 255});
    cairo_set_line_width(cr, p.mm(0.3));
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_stroke(cr);
    cairo_save(cr);
    cairo_rectangle(cr, b.min_x, b.min_y, b.max_x - b.min_x, b.max_y - b.min_y);
    cairo_clip(cr);

    double y = b.min_y + pad;
    p.font(legend_title_pt * f, true);
    p.text("图例 Legend", b.min_x + pad, y + p.pt(legend_title_pt * f) * 0.6, 0, text_colour);
    y += p.pt(legend_title_pt * f) * 1.8;
    const double swatch_w = p.mm(swatch_w_mm) * f, swatch_h = p.mm(swatch_h_mm) * f, gap = p.mm(swatch_gap_mm) * f;
    for (std::size_t i = 0; i < L.rows_shown; ++i) {
        const LegendRow& r = L.rows[i];
        if (r.kind == LegendRow::Kind::heading) {
            p.font(heading_pt * f, true);
            const double line_h = p.pt(heading_pt * f) * 1.5;
            double ly = y + p.mm(1.0) * f + line_h / 2;
            for (const auto& line : r.lines) {
                p.text(line, b.min_x + pad, ly, 0, text_colour);
                ly += line_h;
            }
        } else {
            for (std::size_t k = 0; k < r.cells.size(); ++k) {
                const LegendCell& c = r.cells[k];
                const double x = b.min_x + pad + static_cast<double>(k) * (r.cell_width + p.mm(cell_gap_mm));
                drawer.swatch(*c.symbol, c.geometry, x, y + (r.height - swatch_h) / 2, swatch_w, swatch_h);
                p.font(item_pt * f, false);
                const double line_h = p.pt(item_pt * f) * 1.45;
                double ly = y + (r.height - line_h * static_cast<double>(c.lines.size())) / 2 + line_h / 2;
                for (const auto& line : c.lines) {
                    p.text(line, x + swatch_w + gap, ly, 0, text_colour);
                    ly += line_h;
                }
            }
        }
        y += r.height;
    }
    if (L.rows_shown < L.rows.size()) {
        p.font(item_pt * f, false);
        p.text(fmt::format("… 另有 {} 项 more", hidden_entries(L)), b.min_x + pad,
               y + p.pt(item_pt * f) * 0.75, 0, text_colour);
    }

    // Footer: the CRS and north, at the bottom of the panel.
    p.font(footer_pt * f, false);
    const double line_h = p.pt(footer_pt * f) * 1.4;
    std::vector<std::string> lines = p.wrap(fmt::format("坐标系 CRS {} {}", crs.label(), crs.name()), b.max_x - b.min_x - 2 * pad);
    if (!L.convergence.empty())
        for (auto& l : p.wrap(L.convergence, b.max_x - b.min_x - 2 * pad)) lines.push_back(l);
    double fy = b.max_y - pad - line_h * static_cast<double>(lines.size()) + line_h / 2;
    for (const auto& l : lines) {
        p.text(l, b.min_x + pad, fy, 0, Rgba{90, 90, 90, 255});
        fy += line_h;
    }
    cairo_restore(cr);
}

struct Prepared {
    Loaded data;
    Layout layout;
};

// Loads the layers and lays the picture out (text measured on a scratch surface with the same font options).
Prepared prepare(const MapSpec& spec, RenderResult& result) {
    if (spec.width_px < 100 || spec.width_px > 20000)
        throw InputError(fmt::format("map width {} px is outside 100…20000", spec.width_px));
    if (spec.height_px != 0 && (spec.height_px < 100 || spec.height_px > 20000))
        throw InputError(fmt::format("map height {} px is outside 100…20000 (or 0: from the extent)", spec.height_px));
    if (!(spec.dpi >= 36 && spec.dpi <= 1200))
        throw InputError(fmt::format("--dpi {} is outside 36…1200", spec.dpi));
    require_font(spec.font);
    Prepared out{load(spec, result), {}};
    SurfacePtr scratch(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4));
    CairoPtr cr(cairo_create(scratch.get()));
    Painter p(cr.get(), spec.dpi, spec.font, nullptr);
    out.layout = make_layout(p, spec, out.data, out.data.crs);
    result.width_px = static_cast<int>(out.layout.width);
    result.height_px = static_cast<int>(out.layout.height);
    result.extent = out.layout.extent;
    result.frame_px = out.layout.frame;
    result.legend_px = out.layout.legend;
    result.scale_bar_m = out.layout.scale_bar_m;
    result.legend.clear();
    for (const auto& g : legend_groups(out.data.layers)) {
        if (!g.heading.empty()) result.legend.push_back(g.heading);
        for (const auto& item : g.items) result.legend.push_back(item.text);
    }
    return out;
}

// The map in L.frame: the features that meet L.extent, clipped to the frame, with their labels, the scale bar
// and the north arrow as asked, then the frame's outline. Returns how many features were drawn.
int draw_frame(Painter& p, const Loaded& data, const Layout& L, bool labels, bool scale_bar, bool arrow) {
    cairo_t* cr = p.cr();
    GeosContext& ctx = *data.ctx;
    MapDrawer drawer(p, L, ctx);
    cairo_save(cr);
    cairo_rectangle(cr, L.frame.min_x, L.frame.min_y, L.frame.max_x - L.frame.min_x, L.frame.max_y - L.frame.min_y);
    cairo_clip(cr);
    std::vector<Label> placed_labels;
    int drawn = 0;
    for (const auto& layer : data.layers) {
        for (const auto& f : layer.features) {
            if (!meets(f.box, L.extent)) continue;
            drawer.draw_feature(layer, f);
            ++drawn;
            if (labels && layer.style->label && !f.label.empty()) {
                GeomPtr at = own(ctx, GEOSPointOnSurface_r(ctx.handle(), f.geom.get()));
                double x = 0, y = 0;
                if (at && GEOSGeomGetX_r(ctx.handle(), at.get(), &x) == 1 && GEOSGeomGetY_r(ctx.handle(), at.get(), &y) == 1)
                    placed_labels.push_back({f.label, drawer.px(x), drawer.py(y), &*layer.style->label});
            }
        }
    }
    // Labels on top, each where it does not cover one already placed.
    std::vector<Box> placed;
    for (const auto& l : placed_labels) {
        p.font(l.style->size_pt, l.style->bold);
        const double w = p.width(l.text), h = p.pt(l.style->size_pt) * 1.2;
        const Box box{l.x - w / 2, l.y - h / 2, l.x + w / 2, l.y + h / 2};
        if (box.min_x < L.frame.min_x || box.max_x > L.frame.max_x || box.min_y < L.frame.min_y ||
            box.max_y > L.frame.max_y)
            continue;
        if (std::any_of(placed.begin(), placed.end(), [&](const Box& o) { return meets(o, box); })) continue;
        placed.push_back(box);
        p.text(l.text, l.x, l.y, 0.5, l.style->color, l.style->halo, p.mm(l.style->halo_mm));
    }
    if (scale_bar && L.scale_bar_m > 0) draw_scale_bar(p, L);
    if (arrow) draw_north_arrow(p, L);
    cairo_restore(cr);

    cairo_new_path(cr);
    cairo_rectangle(cr, L.frame.min_x, L.frame.min_y, L.frame.max_x - L.frame.min_x, L.frame.max_y - L.frame.min_y);
    p.colour(Rgba{90, 90, 90, 255});
    cairo_set_line_width(cr, p.mm(0.3));
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_stroke(cr);

    return drawn;
}

void draw_map(cairo_t* cr, const MapSpec& spec, Prepared& prep, RenderResult& result) {
    const Layout& L = prep.layout;
    GeosContext& ctx = *prep.data.ctx;
    Painter p(cr, spec.dpi, spec.font, &result.warnings);
    MapDrawer drawer(p, L, ctx);

    cairo_rectangle(cr, 0, 0, L.width, L.height);
    p.colour(Rgba{255, 255, 255, 255});
    cairo_fill(cr);

    if (!spec.title.empty()) {
        p.font(title_pt, true);
        p.text(spec.title, L.width / 2, L.title_y, 0.5, text_colour);
    }

    const int drawn = draw_frame(p, prep.data, L, true, true, true);
    draw_legend(p, drawer, L, prep.data.crs);
    result.features_drawn = drawn;
    if (L.rows_shown < L.rows.size())
        result.warnings.push_back(fmt::format("the legend leaves out its last {} entries for want of room: make the "
                                              "picture taller (--size) or lower --dpi",
                                              hidden_entries(L)));
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        throw OutputError(fmt::format("drawing the map failed: {}", cairo_status_to_string(cairo_status(cr))));
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// Cairo names each SVG surface group after the surface's process-wide serial number (<g id="surface8">), so
// a second map drawn by the same process would differ; nothing refers to these ids, so they are renamed in
// document order.
void stable_surface_ids(std::string& svg) {
    const std::string key = "<g id=\"surface";
    std::size_t pos = 0;
    int n = 0;
    while ((pos = svg.find(key, pos)) != std::string::npos) {
        const std::size_t start = pos + 7;  // after <g id="
        const std::size_t end = svg.find('"', start);
        if (end == std::string::npos) break;
        const std::string id = ++n == 1 ? "map" : fmt::format("map-{}", n);
        svg.replace(start, end - start, id);
        pos = start + id.size();
    }
}

std::string render_bytes(const MapSpec& spec, Format format, RenderResult& result) {
    Prepared prep = prepare(spec, result);
    const double w = prep.layout.width, h = prep.layout.height;
    std::string bytes;
    SurfacePtr surface;
    if (format == Format::png) {
        surface.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(w), static_cast<int>(h)));
    } else if (format == Format::svg) {
        surface.reset(cairo_svg_surface_create_for_stream(append_to_string, &bytes, w, h));
        cairo_svg_surface_restrict_to_version(surface.get(), CAIRO_SVG_VERSION_1_1);
        cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
    } else {
        surface.reset(cairo_pdf_surface_create_for_stream(append_to_string, &bytes, w * 72 / spec.dpi, h * 72 / spec.dpi));
        if (!spec.title.empty()) cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, spec.title.c_str());
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "zonekit");
    }
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw OutputError(fmt::format("cannot make a {} × {} px picture: {}", w, h,
                                      cairo_status_to_string(cairo_surface_status(surface.get()))));
    {
        CairoPtr cr(cairo_create(surface.get()));
        if (format == Format::pdf) cairo_scale(cr.get(), 72 / spec.dpi, 72 / spec.dpi);
        draw_map(cr.get(), spec, prep, result);
    }
    if (format == Format::png) {
        cairo_surface_flush(surface.get());
        if (cairo_surface_write_to_png_stream(surface.get(), append_to_string, &bytes) != CAIRO_STATUS_SUCCESS)
            throw OutputError("cannot encode the map as PNG");
    } else {
        cairo_surface_finish(surface.get());
    }
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw OutputError(fmt::format("writing the map failed: {}",
                                      cairo_status_to_string(cairo_surface_status(surface.get()))));
    if (format == Format::svg) stable_surface_ids(bytes);
    return bytes;
}

}  // namespace

// ---- Shared with the map sheet (render_internal.hpp) -------------------------------------------------------

namespace render_detail {

struct MapData {
    Loaded loaded;
};

void MapDataDeleter::operator()(MapData* d) const { delete d; }

MapDataPtr load_map_data(const MapSpec& spec, RenderResult& result) {
    require_font(spec.font);
    MapDataPtr out(new MapData{load(spec, result)});
    result.legend = legend_texts(*out);
    return out;
}

const Crs& map_crs(const MapData& data) { return data.loaded.crs; }

Box full_extent(const MapData& data) {
    MapSpec whole;
    return extent_of(whole, data.loaded, data.loaded.crs);
}

Box requested_extent(const MapSpec& spec, const MapData& data) { return extent_of(spec, data.loaded, data.loaded.crs); }

std::vector<std::string> legend_texts(const MapData& data) {
    std::vector<std::string> out;
    for (const auto& g : legend_groups(data.loaded.layers)) {
        if (!g.heading.empty()) out.push_back(g.heading);
        for (const auto& item : g.items) out.push_back(item.text);
    }
    return out;
}

int draw_map_frame(Painter& p, const MapData& data, const MapFrame& frame) {
    Layout L;
    L.frame = frame.frame;
    L.extent = frame.extent;
    L.scale = frame.scale;
    L.scale_bar_m = frame.scale_bar_m;
    return draw_frame(p, data.loaded, L, frame.labels, frame.scale_bar_m > 0, frame.north_arrow);
}

std::size_t draw_legend_panel(Painter& p, const MapData& data, const Box& panel, const Box& map_extent,
                              double min_font) {
    Layout L;
    L.legend = panel;
    L.convergence = convergence_text(data.loaded.crs, map_extent);
    const std::vector<LegendGroup> groups = legend_groups(data.loaded.layers);
    LegendFitter legend(p, groups, data.loaded.crs, L, panel.max_x - panel.min_x);
    const double height = panel.max_y - panel.min_y;
    legend.show(legend.fit(height, min_font), height);
    MapDrawer drawer(p, L, *data.loaded.ctx);
    draw_legend(p, drawer, L, data.loaded.crs);
    return L.rows_shown < L.rows.size() ? hidden_entries(L) : 0;
}

}  // namespace render_detail

RenderResult render_map(const MapSpec& spec, const std::string& path, const OutputOptions& options) {
    const Format format = format_of(path);
    OutputOptions out_options = options;
    for (const auto& l : spec.layers) out_options.inputs.push_back(l.path);
    check_output_path(path, out_options);
    RenderResult result;
    const std::string bytes = render_bytes(spec, format, result);
    write_text_file(path, bytes, out_options);
    return result;
}

std::string render_svg(const MapSpec& spec, RenderResult* result) {
    RenderResult local;
    return render_bytes(spec, Format::svg, result ? *result : local);
}

std::string render_png(const MapSpec& spec, RenderResult* result) {
    RenderResult local;
    return render_bytes(spec, Format::png, result ? *result : local);
}

double scale_bar_length(double max_m) {
    if (!(max_m > 0) || !std::isfinite(max_m)) return 0;
    double p = std::pow(10.0, std::floor(std::log10(max_m)));
    // Guard against log10 rounding just below an exact power of ten.
    if (p * 10 <= max_m * (1 + 1e-12)) p *= 10;
    if (p > max_m * (1 + 1e-12)) p /= 10;
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= max_m * (1 + 1e-12)) return m * p;
    return p;
}

std::string scale_bar_label(double metres) {
    auto number = [](double v) {
        std::string s = fmt::format("{:.3f}", v);
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (!s.empty() && s.back() == '.') s.pop_back();
        return s;
    };
    if (metres >= 1000) return number(metres / 1000) + " km";
    return number(metres) + " m";
}

void parse_map_size(std::string_view text, int& width_px, int& height_px) {
    auto fail = [&] {
        throw InputError(fmt::format("size '{}' is not WIDTHxHEIGHT in pixels (e.g. 1600x1200, or 1600 for a height "
                                     "from the map's extent), each 100…20000",
                                     text));
    };
    auto number = [&](std::string_view s) {
        int v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size() || s.empty()) fail();
        if (v < 100 || v > 20000) fail();
        return v;
    };
    const std::size_t x = text.find_first_of("xX");
    if (x == std::string_view::npos) {
        width_px = number(text);
        height_px = 0;
        return;
    }
    width_px = number(text.substr(0, x));
    const std::string_view rest = text.substr(x + 1);
    height_px = rest.empty() ? 0 : number(rest);
}

}  // namespace zk
