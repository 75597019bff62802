#include "zonekit/present/map_sheet.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/version.hpp"
#include "zonekit/present/render_internal.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

namespace zk {

using namespace render_detail;

namespace {

constexpr double pt_per_mm = 72.0 / 25.4;

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

void rectangle(cairo_t* cr, const Box& b) { cairo_rectangle(cr, b.min_x, b.min_y, b.max_x - b.min_x, b.max_y - b.min_y); }

void outline(Painter& p, const Box& b, double width_mm, const Rgba& colour) {
    cairo_new_path(p.cr());
    rectangle(p.cr(), b);
    p.colour(colour);
    cairo_set_line_width(p.cr(), p.mm(width_mm));
    cairo_set_dash(p.cr(), nullptr, 0, 0);
    cairo_stroke(p.cr());
}

const Rgba rule_colour{90, 90, 90, 255};

// One row of the title block: a label and its value (wrapped), or a title line.
struct TitleRow {
    std::string label, value;
    std::vector<std::string> lines;
    double height = 0;
};

// The title block: the title (bold, wrapped) over a table of label | value rows with rules between them, like a
// drawing's 图签. Its text shrinks until it fits the box. Returns the lines drawn.
std::vector<std::string> draw_title_block(Painter& p, const Box& box, const std::string& title,
                                          const std::vector<std::pair<std::string, std::string>>& rows, double base_pt) {
    const double pad = p.mm(2.5);
    const double width = box.max_x - box.min_x;
    double f = 1.0;
    std::vector<std::string> title_lines;
    std::vector<TitleRow> table;
    double label_w = 0, title_h = 0;
    for (int attempt = 0; attempt < 12; ++attempt) {
        const double title_pt = base_pt * 1.55 * f, body_pt = base_pt * f;
        p.font(title_pt, true);
        title_lines = title.empty() ? std::vector<std::string>{} : p.wrap(title, width - 2 * pad);
        title_h = title_lines.empty() ? 0 : p.pt(title_pt) * 1.35 * static_cast<double>(title_lines.size()) + 2 * pad;
        p.font(body_pt, false);
        label_w = 0;
        for (const auto& [label, value] : rows) label_w = std::max(label_w, p.width(label));
        label_w += 2 * pad;
        table.clear();
        double total = title_h;
        for (const auto& [label, value] : rows) {
            TitleRow r{label, value, p.wrap(value, width - label_w - 2 * pad), 0};
            if (r.lines.empty()) r.lines.push_back("");
            r.height = std::max(p.pt(body_pt) * 1.3 * static_cast<double>(r.lines.size()), p.pt(body_pt) * 1.3) +
                       p.mm(2.2);
            total += r.height;
            table.push_back(std::move(r));
        }
        if (total <= box.max_y - box.min_y || f < 0.55) break;
        f *= 0.92;
    }
    cairo_t* cr = p.cr();
    cairo_new_path(cr);
    rectangle(cr, box);
    p.colour(Rgba{255, 255, 255, 255});
    cairo_fill(cr);
    std::vector<std::string> drawn;
    double y = box.min_y;
    if (!title_lines.empty()) {
        const double title_pt = base_pt * 1.55 * f;
        p.font(title_pt, true);
        const double line_h = p.pt(title_pt) * 1.35;
        double ly = y + pad + line_h / 2;
        for (const auto& l : title_lines) {
            p.text(l, box.min_x + width / 2, ly, 0.5, text_colour);
            drawn.push_back(l);
            ly += line_h;
        }
        y += title_h;
    }
    // The rows fill the rest of the box evenly.
    double used = 0;
    for (const auto& r : table) used += r.height;
    const double extra = table.empty() ? 0 : std::max(0.0, (box.max_y - y - used) / static_cast<double>(table.size()));
    const double body_pt = base_pt * f;
    p.font(body_pt, false);
    const double line_h = p.pt(body_pt) * 1.3;
    for (const auto& r : table) {
        const double h = r.height + extra;
        cairo_new_path(cr);
        cairo_move_to(cr, box.min_x, y);
        cairo_line_to(cr, box.max_x, y);
        cairo_move_to(cr, box.min_x + label_w, y);
        cairo_line_to(cr, box.min_x + label_w, y + h);
        p.colour(rule_colour);
        cairo_set_line_width(cr, p.mm(0.2));
        cairo_set_dash(cr, nullptr, 0, 0);
        cairo_stroke(cr);
        p.text(r.label, box.min_x + pad, y + h / 2, 0, text_colour);
        double ly = y + h / 2 - line_h * static_cast<double>(r.lines.size() - 1) / 2;
        for (const auto& l : r.lines) {
            p.text(l, box.min_x + label_w + pad, ly, 0, text_colour);
            ly += line_h;
        }
        drawn.push_back(r.label + " " + r.value);
        y += h;
    }
    outline(p, box, 0.4, rule_colour);
    return drawn;
}

std::string scale_text(double denominator) {
    const auto n = static_cast<long long>(std::llround(denominator));
    return fmt::format("1:{}", n);
}

}  // namespace

const std::vector<std::string>& sheet_format_names() {
    static const std::vector<std::string> names = {"A3", "A4", "A3-portrait", "A4-portrait"};
    return names;
}

SheetFormat parse_sheet_format(std::string_view text) {
    const std::string t = lower(text);
    // ISO 216: A4 is 210 × 297 mm, A3 297 × 420 mm.
    if (t == "a3") return {"A3", 420, 297};
    if (t == "a4") return {"A4", 297, 210};
    if (t == "a3-portrait") return {"A3-portrait", 297, 420};
    if (t == "a4-portrait") return {"A4-portrait", 210, 297};
    throw InputError(fmt::format("sheet '{}' is not a sheet size: use A3 or A4 (landscape), A3-portrait or A4-portrait",
                                 text));
}

SheetLayout sheet_layout(const SheetFormat& format) {
    SheetLayout L;
    L.width_pt = format.width_mm * pt_per_mm;
    L.height_pt = format.height_mm * pt_per_mm;
    L.margin_pt = 10 * pt_per_mm;
    const double gap = 5 * pt_per_mm;
    const double x0 = L.margin_pt, y0 = L.margin_pt, x1 = L.width_pt - L.margin_pt, y1 = L.height_pt - L.margin_pt;
    // Sizes grow with the paper: 1 on A4, √2 on A3.
    const double s = std::min(format.width_mm, format.height_mm) / 210.0;
    if (format.width_mm >= format.height_mm) {
        // Landscape: the map on the left; on the right, the locator, the legend and the title block.
        const double column = 74 * s * pt_per_mm;
        L.map = {x0, y0, x1 - column - gap, y1};
        L.locator = {x1 - column, y0, x1, y0 + column * 0.72};
        L.title_block = {x1 - column, y1 - 50 * std::sqrt(s) * pt_per_mm, x1, y1};
        L.legend = {x1 - column, L.locator.max_y + gap, x1, L.title_block.min_y - gap};
    } else {
        // Portrait: the map on top; below it the locator, the legend and the title block side by side.
        const double band = 70 * s * pt_per_mm;
        L.map = {x0, y0, x1, y1 - band - gap};
        L.locator = {x0, y1 - band, x0 + band * 0.8, y1};
        L.title_block = {x1 - 64 * s * pt_per_mm, y1 - band, x1, y1};
        L.legend = {L.locator.max_x + gap, y1 - band, L.title_block.min_x - gap, y1};
    }
    return L;
}

double round_scale(double denominator) {
    if (!(denominator > 0) || !std::isfinite(denominator)) return 1;
    const double p = std::pow(10.0, std::floor(std::log10(denominator)));
    for (double m : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
        if (m * p >= denominator * (1 - 1e-12)) return m * p;
    return 10 * p;
}

LocatorView locator_view(const Box& frame, const Box& all_layers, const Box& main_extent, double min_rect) {
    LocatorView v;
    Box show{std::min(all_layers.min_x, main_extent.min_x), std::min(all_layers.min_y, main_extent.min_y),
             std::max(all_layers.max_x, main_extent.max_x), std::max(all_layers.max_y, main_extent.max_y)};
    const double fw = frame.max_x - frame.min_x, fh = frame.max_y - frame.min_y;
    const double w = std::max(show.max_x - show.min_x, 1.0), h = std::max(show.max_y - show.min_y, 1.0);
    v.scale = std::min(fw / w, fh / h);
    const double cx = 0.5 * (show.min_x + show.max_x), cy = 0.5 * (show.min_y + show.max_y);
    v.extent = {cx - 0.5 * fw / v.scale, cy - 0.5 * fh / v.scale, cx + 0.5 * fw / v.scale, cy + 0.5 * fh / v.scale};
    auto px = [&](double x) { return frame.min_x + (x - v.extent.min_x) * v.scale; };
    auto py = [&](double y) { return frame.min_y + (v.extent.max_y - y) * v.scale; };
    v.rect = {px(main_extent.min_x), py(main_extent.max_y), px(main_extent.max_x), py(main_extent.min_y)};
    // Too small to see (a map zoomed far in): grown about its centre.
    for (auto [lo, hi] : {std::pair{&v.rect.min_x, &v.rect.max_x}, std::pair{&v.rect.min_y, &v.rect.max_y}})
        if (*hi - *lo < min_rect) {
            const double c = 0.5 * (*lo + *hi);
            *lo = c - min_rect / 2;
            *hi = c + min_rect / 2;
        }
    v.rect = {std::max(v.rect.min_x, frame.min_x), std::max(v.rect.min_y, frame.min_y),
              std::min(v.rect.max_x, frame.max_x), std::min(v.rect.max_y, frame.max_y)};
    return v;
}

SheetResult render_sheet(const MapSpec& spec, const SheetOptions& options, const std::string& path,
                         const OutputOptions& output) {
    if (lower(std::filesystem::path(path).extension().string()) != ".pdf")
        throw InputError(fmt::format("a map sheet is a PDF: '{}' must end in .pdf", path));
    OutputOptions out_options = output;
    for (const auto& l : spec.layers) out_options.inputs.push_back(l.path);
    check_output_path(path, out_options);

    SheetResult result;
    MapSpec whole = spec;
    whole.clip_to_extent = false;  // the locator shows every layer whole
    MapDataPtr data = load_map_data(whole, result.map);
    const Crs& crs = map_crs(*data);
    const SheetLayout L = sheet_layout(options.format);
    result.layout = L;
    const bool a3 = std::min(options.format.width_mm, options.format.height_mm) > 250;

    // The main map at a round scale: the requested extent fits the frame, about its centre.
    const Box asked = requested_extent(spec, *data);
    const double fw = L.map.max_x - L.map.min_x, fh = L.map.max_y - L.map.min_y;
    const double metres_per_pt = std::max((asked.max_x - asked.min_x) / fw, (asked.max_y - asked.min_y) / fh);
    result.scale_denominator = round_scale(metres_per_pt * pt_per_mm * 1000);
    MapFrame map;
    map.frame = L.map;
    map.scale = pt_per_mm * 1000 / result.scale_denominator;  // pt per metre on the ground
    const double cx = 0.5 * (asked.min_x + asked.max_x), cy = 0.5 * (asked.min_y + asked.max_y);
    map.extent = {cx - 0.5 * fw / map.scale, cy - 0.5 * fh / map.scale, cx + 0.5 * fw / map.scale,
                  cy + 0.5 * fh / map.scale};
    map.scale_bar_m = scale_bar_length(0.25 * fw / map.scale);
    result.map.extent = map.extent;
    result.map.frame_px = L.map;
    result.map.legend_px = L.legend;
    result.map.scale_bar_m = map.scale_bar_m;
    result.map.width_px = static_cast<int>(std::lround(L.width_pt));
    result.map.height_px = static_cast<int>(std::lround(L.height_pt));

    const std::string date = options.date.empty() ? stamp_date() : options.date;
    const std::vector<std::pair<std::string, std::string>> rows = {
        {"项目", options.project},
        {"日期", date},
        {"坐标系", fmt::format("{} {}", crs.label(), crs.name())},
        {"比例尺", scale_text(result.scale_denominator)},
        {"软件", fmt::format("zonekit {}", zonekit_version())},
        {"制图单位", ""},
        {"审核", ""},
    };

    std::string bytes;
    SurfacePtr surface(cairo_pdf_surface_create_for_stream(append_to_string, &bytes, L.width_pt, L.height_pt));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw OutputError(fmt::format("cannot make a {} sheet: {}", options.format.name,
                                      cairo_status_to_string(cairo_surface_status(surface.get()))));
    if (!spec.title.empty()) cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, spec.title.c_str());
    const std::string creator = fmt::format("zonekit {}", zonekit_version());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, creator.c_str());
    // The date stamped on the sheet, not the clock: the same inputs and SOURCE_DATE_EPOCH give the same file.
    const std::string created = date + "T00:00:00Z";
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
    {
        CairoPtr cr(cairo_create(surface.get()));
        Painter p(cr.get(), 72, spec.font, &result.map.warnings);  // one device unit = one point
        result.map.features_drawn = draw_map_frame(p, *data, map);

        // The locator: every layer small, the main map's extent as a red rectangle.
        result.locator = locator_view(L.locator, full_extent(*data), map.extent, p.mm(1.2));
        MapFrame loc;
        loc.frame = L.locator;
        loc.extent = result.locator.extent;
        loc.scale = result.locator.scale;
        loc.north_arrow = false;
        loc.labels = false;
        draw_map_frame(p, *data, loc);
        cairo_new_path(cr.get());
        rectangle(cr.get(), result.locator.rect);
        p.colour(Rgba{215, 25, 28, 255});
        cairo_set_line_width(cr.get(), p.mm(0.5));
        cairo_set_dash(cr.get(), nullptr, 0, 0);
        cairo_stroke(cr.get());
        p.font(a3 ? 8 : 7, true);
        p.text("位置图", L.locator.min_x + p.mm(1.5), L.locator.min_y + p.mm(3), 0, text_colour,
               Rgba{255, 255, 255, 230}, p.mm(0.5));

        result.legend_hidden = draw_legend_panel(p, *data, L.legend, map.extent, 0.6);
        result.title_block = draw_title_block(p, L.title_block, spec.title, rows, a3 ? 9 : 7.5);
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw OutputError(fmt::format("drawing the sheet failed: {}", cairo_status_to_string(cairo_status(cr.get()))));
    }
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw OutputError(fmt::format("writing the sheet '{}' failed: {}", path,
                                      cairo_status_to_string(cairo_surface_status(surface.get()))));
    if (result.legend_hidden > 0)
        result.map.warnings.push_back(fmt::format("the sheet's legend leaves out its last {} entries for want of room: "
                                                  "use a larger sheet (A3)",
                                                  result.legend_hidden));
    write_text_file(path, bytes, out_options);
    return result;
}

}  // namespace zk
