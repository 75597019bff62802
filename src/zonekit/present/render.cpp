#include "zonekit/present/render.hpp"
#include "zonekit/present/render_drawer.hpp"
#include "zonekit/present/render_internal.hpp"

#include "zonekit/base/error.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <memory>

namespace zk {

using namespace render_detail;

namespace {

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
