// zonekit export SRC -o OUT — convert layers with zonekit's conventions: the analysis CRS, GeoPackage with
// spatial index and QGIS styles by role, RFC 7946 GeoJSON, Shapefile with .prj/.cpg and reported field names,
// CSV with WKT; optionally with the three areas as fields.
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/present/export.hpp"
#include "zonekit/project/project.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace zk::cli {

namespace {
struct ExportArgs {
    std::string source;
    OutputFlags output;
    std::vector<std::string> layers;
    std::string role;
    bool keep_crs = false;
    std::string out_encoding = "UTF-8";
    bool areas = false;
    bool skip_empty = false;
    WorkFlags work;
    InputFlags input;
};

Outcome run_export(const ExportArgs& args, const Reporter& report) {
    ExportOptions options;
    options.crs = args.input.requested_crs();
    options.areas = args.areas;
    options.measure.skip_empty = args.skip_empty;
    options.measure.area.densify_m = args.work.densify;
    options.output.overwrite = args.output.overwrite;
    options.output.keep_crs = args.keep_crs;
    options.output.encoding = args.out_encoding;

    const auto specs = source_layer_specs(args.source, args.input.source_options(), args.layers, args.role);
    const ExportResult result = export_layers(specs, args.output.path, options);

    report.notes(result.notes);
    report.warnings(result.warnings);
    for (const auto& l : result.layers) {
        report.renamed_fields(l.renamed, args.output.path);
        std::string what = fmt::format("{} feature(s) of '{}'", l.features, l.source_layer);
        if (l.name != l.source_layer && result.driver == "GPKG") what += fmt::format(" as layer '{}'", l.name);
        if (l.areas) what += " with plan_m2, ellip_m2, geod_m2";
        if (l.styled) what += fmt::format(", styled as '{}'", l.role);
        report.note("wrote " + what);
    }
    report.note(fmt::format("wrote '{}' ({}, {} layer{})", args.output.path, result.driver, result.layers.size(),
                            result.layers.size() == 1 ? "" : "s"));
    return Outcome::done;
}
}  // namespace

Runner setup_export(CLI::App& app) {
    auto args = std::make_shared<ExportArgs>();
    app.add_option("SRC", args->source, "Layer source (any format GDAL reads)")->required();
    args->output.add_to(app, {.help = "Output: .gpkg (every layer, spatial index, QGIS styles by role), .geojson "
                                      "(RFC 7946), .shp, .csv (geometry as WKT), .fgb or .kml; the last four hold "
                                      "one layer",
                              .required = true});
    app.add_option("--layer", args->layers, "Layer to export (repeat for several; default: every layer)");
    std::vector<std::string> roles = layer_roles();
    app.add_option("--role", args->role,
                   "Style every exported layer as this role in a GeoPackage (default: a layer named like "
                   "a role gets that role's style)")
        ->check(CLI::IsMember(roles));
    app.add_flag("--keep-crs", args->keep_crs,
                 "GeoJSON: write the analysis CRS (with a \"crs\" member) instead of RFC 7946 WGS 84 "
                 "longitude/latitude");
    app.add_option("--out-encoding", args->out_encoding,
                   "Text encoding of a Shapefile output: UTF-8 (.cpg UTF-8) or GBK (.cpg 936 and DBF "
                   "language driver id 0x4D). --encoding is the input's")
        ->check(CLI::IsMember({"UTF-8", "GBK"}, CLI::ignore_case))
        ->capture_default_str();
    app.add_flag("--areas", args->areas, "Add plan_m2, ellip_m2 and geod_m2 (m²) to polygon layers");
    app.add_flag("--skip-empty", args->skip_empty,
                 "With --areas: write features without geometry with area 0 instead of stopping");
    args->work.add_to(app, {.densify = "With --areas: longest edge (m) before ellip/geod are measured; 0 = bare "
                                       "vertices"});
    args->input.add_to(app, {});
    return [args](const Reporter& report) { return run_export(*args, report); };
}

}  // namespace zk::cli
