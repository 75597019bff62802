// zonekit render PROJECT.toml|SRC… -o map.png|.svg|.pdf — a map picture of a plan's layers in their styles.
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/present/map_sheet.hpp"
#include "zonekit/present/render.hpp"
#include "zonekit/project/project.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <sstream>

namespace zk::cli {

namespace {
struct RenderArgs {
    std::vector<std::string> inputs;
    OutputFlags output;
    std::vector<std::string> layers;
    std::string role;
    std::string title;
    std::string size;
    std::string extent;
    std::string sheet;
    double dpi = 150;
    InputFlags input;
};

Box parse_extent(const std::string& text) {
    std::vector<double> v;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        try {
            std::size_t used = 0;
            v.push_back(std::stod(item, &used));
            if (used != item.size()) v.clear();
        } catch (const std::exception&) {
            v.clear();
        }
        if (v.empty()) break;
    }
    if (v.size() != 4 || !(v[2] > v[0]) || !(v[3] > v[1]))
        throw InputError(fmt::format("--extent '{}' is not MIN_X,MIN_Y,MAX_X,MAX_Y in the map CRS (metres) with max > min",
                                     text));
    return {v[0], v[1], v[2], v[3]};
}

Outcome run_render(const RenderArgs& args, const Reporter& report) {
    const std::string& output = args.output.path;
    if (!args.sheet.empty() && lower_extension(output) != ".pdf")
        throw InputError(
            fmt::format("--sheet {} writes a PDF: give an output ending in .pdf, not '{}'", args.sheet, output));
    MapSpec spec;
    if (!args.size.empty()) parse_map_size(args.size, spec.width_px, spec.height_px);
    spec.dpi = args.dpi;
    spec.crs = args.input.requested_crs();
    if (!args.extent.empty()) spec.extent = parse_extent(args.extent);

    std::vector<std::string> sources;
    std::string project_path;
    for (const auto& in : args.inputs) {
        if (lower_extension(in) != ".toml") {
            sources.push_back(in);
            continue;
        }
        if (!project_path.empty())
            throw InputError(fmt::format("'{}' and '{}' are both project files: draw one project at a time", project_path,
                                         in));
        project_path = in;
    }
    if (!args.role.empty() && sources.size() != 1)
        throw InputError(fmt::format("--role gives the role of one source's layers, but {} sources were given: name "
                                     "one SRC, or declare the roles in a project file",
                                     sources.size()));

    // Which --layer names were used, to report those that match nothing.
    std::vector<char> matched(args.layers.size(), 0);
    auto wanted = [&](const std::string& name) {
        if (args.layers.empty()) return true;
        bool any = false;
        for (std::size_t i = 0; i < args.layers.size(); ++i)
            if (args.layers[i] == name) matched[i] = any = true;
        return any;
    };
    std::vector<std::string> available;

    OutputOptions out_options = args.output.options({});
    std::string project_name;
    if (!project_path.empty()) {
        const Project project = load_project(project_path);
        project_name = project.name;
        MapSpec from_project = map_spec_for(project);
        spec.title = from_project.title;
        if (!spec.crs) spec.crs = from_project.crs;
        out_options.inputs.push_back(project_path);
        for (std::size_t i = 0; i < project.plan.layers.size(); ++i) {
            available.push_back(project.plan.layers[i].name);
            if (!wanted(project.plan.layers[i].name)) continue;
            spec.layers.push_back(from_project.layers[i]);
            args.input.apply(spec.layers.back().source);
        }
    }
    for (const auto& path : sources) {
        const Source src = Source::open(path, args.input.source_options());
        for (const auto& name : src.layer_names()) {
            if (src.layer(name)->GetGeomType() == wkbNone) continue;  // an attribute table
            available.push_back(name);
            if (!wanted(name)) continue;
            MapLayer layer;
            layer.path = path;
            layer.layer = name;
            layer.role = args.role;
            layer.source = args.input.source_options();
            spec.layers.push_back(std::move(layer));
        }
    }
    for (std::size_t i = 0; i < args.layers.size(); ++i)
        if (!matched[i]) {
            std::string list;
            for (const auto& a : available) list += (list.empty() ? "" : ", ") + a;
            throw InputError(fmt::format("--layer '{}' is not a layer of the input{} (layers: {})", args.layers[i],
                                         args.inputs.size() > 1 ? "s" : "", list.empty() ? "none" : list));
        }
    if (spec.layers.empty())
        throw InputError(fmt::format("nothing to draw: {} hold(s) no layer with geometry",
                                     fmt::join(args.inputs.begin(), args.inputs.end(), ", ")));
    if (!args.title.empty()) spec.title = args.title;
    else if (spec.title.empty() && !sources.empty()) spec.title = std::filesystem::path(sources.front()).stem().string();

    if (!args.sheet.empty()) {
        SheetOptions sheet;
        sheet.format = parse_sheet_format(args.sheet);
        sheet.project = !project_name.empty() ? project_name : std::filesystem::path(sources.front()).stem().string();
        const SheetResult result = render_sheet(spec, sheet, output, out_options);
        report.notes(result.map.notes);
        report.warnings(result.map.warnings);
        report.note(fmt::format("wrote '{}' ({} sheet, {:.0f} × {:.0f} mm, {} features at 1:{:.0f}, map CRS {}, scale "
                                "bar {})",
                                output, sheet.format.name, sheet.format.width_mm, sheet.format.height_mm,
                                result.map.features_drawn, result.scale_denominator, result.map.crs,
                                scale_bar_label(result.map.scale_bar_m)));
        return Outcome::done;
    }
    const RenderResult result = render_map(spec, output, out_options);
    report.notes(result.notes);
    report.warnings(result.warnings);
    report.note(fmt::format("wrote '{}' ({} × {} px at {:g} dpi, {} features, map CRS {}, scale bar {})", output,
                            result.width_px, result.height_px, spec.dpi, result.features_drawn, result.crs,
                            scale_bar_label(result.scale_bar_m)));
    return Outcome::done;
}
}  // namespace

Runner setup_render(CLI::App& app) {
    auto args = std::make_shared<RenderArgs>();
    app.add_option("INPUT", args->inputs,
                   "A project file (.toml: its layers with their roles) and/or layer sources (every layer "
                   "is drawn; its role is guessed from its name)")
        ->required();
    args->output.add_to(app, {.help = "The picture: .png, .svg or .pdf", .required = true});
    app.add_option("--layer", args->layers,
                   "Draw only this layer (a declared name of the project, or a layer name of a source); "
                   "repeat for more");
    app.add_option("--role", args->role, "The role (style) of the layers of the one SRC given")
        ->check(CLI::IsMember(layer_roles()));
    app.add_option("--title", args->title, "Title at the top (default: the project's name, or the file's)");
    auto* sheet = app.add_option("--sheet", args->sheet,
                                 "Write a print-ready PDF sheet of this paper size instead of a picture: "
                                 "A3 or A4 landscape, A3-portrait or A4-portrait; the map at a round "
                                 "scale, legend, scale bar, north arrow, title block and locator map")
                      ->check(CLI::IsMember(sheet_format_names(), CLI::ignore_case));
    app.add_option("--size", args->size,
                   "Picture size in pixels, WIDTHxHEIGHT (default 1600 wide, height from the map's extent; "
                   "1600 alone does the same)")
        ->check(CLI::Validator(
            [](std::string& text) {
                try {
                    int w = 0, h = 0;
                    parse_map_size(text, w, h);
                } catch (const InputError& e) {
                    return std::string(e.what());
                }
                return std::string();
            },
            "WxH", "size"))
        ->excludes(sheet);
    app.add_option("--dpi", args->dpi, "Resolution: scales line widths (mm) and text (pt)")
        ->capture_default_str()
        ->check(CLI::Range(36.0, 1200.0));
    app.add_option("--extent", args->extent,
                   "The area to show, MIN_X,MIN_Y,MAX_X,MAX_Y in the map CRS (default: all layers and a "
                   "margin)");
    args->input.add_to(app, {});
    app.footer(
        "The map is drawn in a projected CRS in metres: --crs, else the project's crs, else the CGCS2000 "
        "Gauss–Kruger zone of the data. Layers are stacked in the palette's order (parcels, districts, "
        "farmland, redline, urban, rivers, boundary, points, findings); the legend is in Chinese with "
        "Noto Sans CJK SC (Debian's fonts-noto-cjk). --encoding and --assume-crs apply to SRC layers; a "
        "project's layers take theirs from the project file.");
    return [args](const Reporter& report) { return run_render(*args, report); };
}

}  // namespace zk::cli
