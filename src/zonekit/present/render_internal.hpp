// Internals of render.cpp shared with the map sheet (map_sheet.cpp): the Cairo handles, the text painter, and
// the map's layers loaded once and drawn into any frame on any page (features, legend, scale bar, north
// arrow). Not installed; not for the CLI.
#pragma once

#include "zonekit/geometry/crs.hpp"
#include "zonekit/geometry/spatial_index.hpp"
#include "zonekit/io/palette.hpp"
#include "zonekit/present/render.hpp"

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zk::render_detail {

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct FontOptionsDeleter {
    void operator()(cairo_font_options_t* o) const { cairo_font_options_destroy(o); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;

// Throws OutputError when fontconfig has no font of `family` (it would substitute one without Chinese glyphs).
void require_font(const std::string& family);

inline const Rgba text_colour{33, 33, 33, 255};

// Text and sizes on a Cairo context at `dpi` device units per inch (72 on a PDF page in points).
class Painter {
public:
    Painter(cairo_t* cr, double dpi, std::string font, std::vector<std::string>* warnings)
        : m_cr(cr), m_mm(dpi / 25.4), m_pt(dpi / 72.0), m_font(std::move(font)), m_warnings(warnings) {
        std::unique_ptr<cairo_font_options_t, FontOptionsDeleter> options(cairo_font_options_create());
        // Unhinted metrics: the same layout on every surface (PNG, SVG, PDF) and on every run.
        cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
        cairo_font_options_set_antialias(options.get(), CAIRO_ANTIALIAS_GRAY);
        cairo_set_font_options(m_cr, options.get());
    }

    cairo_t* cr() const { return m_cr; }
    double mm(double v) const { return v * m_mm; }
    double pt(double v) const { return v * m_pt; }

    void colour(const Rgba& c) const {
        cairo_set_source_rgba(m_cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a / 255.0);
    }
    void font(double size_pt, bool bold) {
        cairo_select_font_face(m_cr, m_font.c_str(), CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(m_cr, pt(size_pt));
    }
    double width(const std::string& text) const {
        cairo_text_extents_t e;
        cairo_text_extents(m_cr, text.c_str(), &e);
        return e.x_advance;
    }
    // Offset from a line's vertical middle to its baseline, for the current font (a CJK ideograph's box).
    double middle_to_baseline() const {
        cairo_text_extents_t e;
        cairo_text_extents(m_cr, "国", &e);
        return -(e.y_bearing + e.height / 2);
    }
    // Draws `text` with its left edge (align 0), centre (0.5) or right edge (1) at x, its middle at y.
    void text(const std::string& text, double x, double y, double align, const Rgba& colour_,
              const std::optional<Rgba>& halo = std::nullopt, double halo_px = 0) {
        if (text.empty()) return;
        check_glyphs(text);
        const double w = width(text);
        cairo_move_to(m_cr, x - align * w, y + middle_to_baseline());
        if (halo && halo->a > 0 && halo_px > 0) {
            // The halo is the glyphs' outline stroked; the text itself is shown as text, so that a PDF keeps it
            // searchable (pdftotext finds the N of the north arrow and the districts' names).
            cairo_save(m_cr);
            cairo_text_path(m_cr, text.c_str());
            colour(*halo);
            cairo_set_line_width(m_cr, 2 * halo_px);
            cairo_set_line_join(m_cr, CAIRO_LINE_JOIN_ROUND);
            cairo_stroke(m_cr);
            cairo_restore(m_cr);
            cairo_move_to(m_cr, x - align * w, y + middle_to_baseline());
        }
        colour(colour_);
        cairo_show_text(m_cr, text.c_str());
    }
    // Splits `text` at spaces into lines no wider than `max_width` (a word wider than that keeps its line).
    std::vector<std::string> wrap(const std::string& text, double max_width) const {
        std::vector<std::string> lines;
        if (width(text) <= max_width) return {text};
        std::string line;
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t end = text.find(' ', start);
            if (end == std::string::npos) end = text.size();
            const std::string word = text.substr(start, end - start);
            const std::string candidate = line.empty() ? word : line + " " + word;
            if (!line.empty() && width(candidate) > max_width) {
                lines.push_back(line);
                line = word;
            } else {
                line = candidate;
            }
            // A word wider than a whole line (Chinese has no spaces: 天府粮仓核心示范区 in a narrow legend
            // column) is broken between characters, each line taking as many as fit (at least one).
            while (width(line) > max_width) {
                std::size_t cut = 0;
                while (cut < line.size()) {
                    std::size_t next = cut + 1;
                    while (next < line.size() && (static_cast<unsigned char>(line[next]) & 0xC0) == 0x80) ++next;
                    if (cut > 0 && width(line.substr(0, next)) > max_width) break;
                    cut = next;
                }
                if (cut >= line.size()) break;
                lines.push_back(line.substr(0, cut));
                line = line.substr(cut);
            }
            start = end + 1;
        }
        if (!line.empty()) lines.push_back(line);
        return lines;
    }

private:
    // Warns (once per text) when the font has no glyph for a character: it would be drawn as a box (tofu).
    void check_glyphs(const std::string& text) {
        if (!m_warnings) return;
        cairo_glyph_t* glyphs = nullptr;
        int count = 0;
        cairo_scaled_font_t* font = cairo_get_scaled_font(m_cr);
        if (cairo_scaled_font_text_to_glyphs(font, 0, 0, text.c_str(), -1, &glyphs, &count, nullptr, nullptr,
                                             nullptr) != CAIRO_STATUS_SUCCESS)
            return;
        bool missing = false;
        for (int i = 0; i < count; ++i)
            if (glyphs[i].index == 0) missing = true;
        cairo_glyph_free(glyphs);
        if (!missing) return;
        const std::string w = fmt::format("the font '{}' has no glyph for some characters of '{}': they are drawn as "
                                          "empty boxes",
                                          m_font, text);
        if (std::find(m_warnings->begin(), m_warnings->end(), w) == m_warnings->end()) m_warnings->push_back(w);
    }

    cairo_t* m_cr;
    double m_mm, m_pt;
    std::string m_font;
    std::vector<std::string>* m_warnings;
};

// The layers of a MapSpec, read and styled, in draw order (render.cpp's loader).
struct MapData;
struct MapDataDeleter {
    void operator()(MapData* d) const;
};
using MapDataPtr = std::unique_ptr<MapData, MapDataDeleter>;

// Loads the layers (notes, warnings and the map CRS go to `result`). Throws as render_map does.
MapDataPtr load_map_data(const MapSpec& spec, RenderResult& result);
const Crs& map_crs(const MapData& data);
// All the layers' features plus a 4 % margin (in the map CRS).
Box full_extent(const MapData& data);
// spec.extent (checked: not empty), else full_extent.
Box requested_extent(const MapSpec& spec, const MapData& data);
// The legend's texts in order (headings and categories), as RenderResult::legend.
std::vector<std::string> legend_texts(const MapData& data);

// A map in a frame on the page: `extent` (map CRS) shown in `frame` (device units, y down) at `scale` device
// units per metre.
struct MapFrame {
    Box frame;
    Box extent;
    double scale = 1;
    double scale_bar_m = 0;  // 0: no scale bar
    bool north_arrow = true;
    bool labels = true;
};
// Draws the features meeting the extent clipped to the frame (with labels, scale bar and north arrow as asked)
// and the frame's outline; returns how many features were drawn.
int draw_map_frame(Painter& p, const MapData& data, const MapFrame& frame);

// Draws the legend ("图例 Legend", the entries, the CRS and north in its footer) in `panel`, shrinking its text
// down to `min_font` and pairing long lists; returns how many entries were left out for want of room.
std::size_t draw_legend_panel(Painter& p, const MapData& data, const Box& panel, const Box& map_extent,
                              double min_font);

}  // namespace zk::render_detail
