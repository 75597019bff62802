// zonekit resolve PROJECT.toml --priority a,b,c -o OUT — remove overlaps between layers by priority, with an
// audit of the area moved per pair of layers and per feature.
#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/checks/resolve.hpp"
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/project/project.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <optional>

namespace fs = std::filesystem;

namespace zk::cli {

namespace {
struct ResolveArgs {
    std::string project;
    std::string priority;
    OutputFlags output;
    double min_area = 1.0;
    WorkFlags work;
    InputFlags input;
};

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        std::string part = text.substr(start, end - start);
        while (!part.empty() && part.front() == ' ') part.erase(part.begin());
        while (!part.empty() && part.back() == ' ') part.pop_back();
        if (!part.empty()) out.push_back(part);
        start = end + 1;
    }
    return out;
}

void write_layer(GeosContext& ctx, GpkgWriter& w, const ResolvedLayer& layer, const Crs& crs) {
    const int n = w.add_layer(layer.spec.name, crs, wkbMultiPolygon, layer.defn.get(), {}, layer.spec.role);
    for (const auto& f : layer.features) {
        if (f.changed && !f.geom) continue;  // erased entirely: in the audit
        OGRFeatureUniquePtr out = w.new_feature(n);
        for (int i = 0; i < layer.defn->GetFieldCount() && f.attributes; ++i)
            if (f.attributes->IsFieldSetAndNotNull(i)) out->SetField(i, f.attributes->GetRawFieldRef(i));
        w.write(ctx, n, *out, f.geom.get());
    }
}

void write_audit(GeosContext& ctx, GpkgWriter& w, const ResolveResult& r) {
    const int pieces = w.add_layer("resolve_audit", r.analysis, wkbMultiPolygon, nullptr,
                                   {{"kept_layer", OFTString}, {"kept_fid", OFTInteger64}, {"kept_key", OFTString},
                                    {"erased_layer", OFTString}, {"erased_fid", OFTInteger64}, {"erased_key", OFTString},
                                    {"plan_m2", OFTReal}, {"ellip_m2", OFTReal}});
    for (const auto& p : r.moved) {
        OGRFeatureUniquePtr f = w.new_feature(pieces);
        f->SetField("kept_layer", p.kept_layer.c_str());
        f->SetField("kept_fid", static_cast<GIntBig>(p.kept_fid));
        f->SetField("kept_key", p.kept_key.c_str());
        f->SetField("erased_layer", p.erased_layer.c_str());
        f->SetField("erased_fid", static_cast<GIntBig>(p.erased_fid));
        f->SetField("erased_key", p.erased_key.c_str());
        f->SetField("plan_m2", p.plan_m2);
        f->SetField("ellip_m2", p.ellip_m2);
        w.write(ctx, pieces, *f, p.geom.get());
    }
    const int pairs = w.add_layer("resolve_pairs", r.analysis, wkbNone, nullptr,
                                  {{"kept_layer", OFTString}, {"erased_layer", OFTString}, {"pieces", OFTInteger64},
                                   {"features", OFTInteger64}, {"plan_m2", OFTReal}, {"ellip_m2", OFTReal}});
    for (const auto& p : r.pairs) {
        OGRFeatureUniquePtr f = w.new_feature(pairs);
        f->SetField("kept_layer", p.kept_layer.c_str());
        f->SetField("erased_layer", p.erased_layer.c_str());
        f->SetField("pieces", static_cast<GIntBig>(p.pieces));
        f->SetField("features", static_cast<GIntBig>(p.features));
        f->SetField("plan_m2", p.plan_m2);
        f->SetField("ellip_m2", p.ellip_m2);
        w.write(ctx, pairs, *f, nullptr);
    }
}

Outcome run_resolve(const ResolveArgs& args, const Reporter& report) {
    Project project = load_project(args.project);
    for (auto& l : project.plan.layers) args.input.apply(l.source);
    ResolveOptions options;
    options.priority = split(args.priority);
    for (const auto& name : options.priority)
        if (!project.layer(name)) {
            std::string known;
            for (const auto& l : project.plan.layers) known += (known.empty() ? "" : ", ") + l.name;
            throw InputError(fmt::format("--priority names layer '{}', which project file '{}' does not declare "
                                         "(layers: {})",
                                         name, args.project, known));
        }
    options.threads = args.work.threads;
    options.min_area = args.min_area;
    options.area.densify_m = args.work.densify;
    options.crs = project.plan.crs;
    if (const auto crs = args.input.requested_crs()) options.crs = crs;

    OutputOptions out_options = args.output.options(layer_paths(project.plan.layers));
    out_options.inputs.push_back(args.project);
    const std::string& output = args.output.path;
    const std::string ext = lower_extension(output);
    const bool single = ext == ".gpkg";
    std::error_code ec;
    // A directory gets one GeoPackage per layer and the audit, put in place together (output_files.hpp).
    std::optional<StagedOutputs> stage;
    std::vector<std::string> files;
    if (single) {
        check_output_path(output, out_options);
    } else {
        if (!ext.empty() && !fs::is_directory(output, ec))
            throw InputError(fmt::format("-o '{}': give a .gpkg file or a directory", output));
        stage.emplace(output, out_options);
        for (const auto& name : options.priority) files.push_back(name + ".gpkg");
        files.push_back("resolve_audit.gpkg");
        for (const auto& f : files) check_output_path(stage->target(f), out_options);
    }

    GeosContext ctx;
    const ResolveResult result = resolve_overlaps(ctx, project.plan.layers, options);
    report.notes(result.notes);
    report.warnings(result.warnings);

    if (single) {
        GpkgWriter w(output, out_options);
        for (const auto& layer : result.layers) write_layer(ctx, w, layer, result.analysis);
        write_audit(ctx, w, result);
        w.finish();
    } else {
        for (const auto& layer : result.layers) {
            GpkgWriter w(stage->path(layer.spec.name + ".gpkg"), out_options);
            write_layer(ctx, w, layer, result.analysis);
            w.finish();
        }
        GpkgWriter w(stage->path("resolve_audit.gpkg"), out_options);
        write_audit(ctx, w, result);
        w.finish();
        stage->commit();
    }

    std::string out = "| kept | erased | pieces | features | plan m² | ellip m² |\n|---|---|---:|---:|---:|---:|\n";
    for (const auto& p : result.pairs)
        out += fmt::format("| {} | {} | {} | {} | {:.2f} | {:.2f} |\n", md_cell(p.kept_layer), md_cell(p.erased_layer),
                           p.pieces, p.features, p.plan_m2, p.ellip_m2);
    bool clean = true;
    for (const auto& v : result.verification) {
        clean = clean && v.ok();
        out += fmt::format("{} {}: {} finding(s) above {} m²", v.ok() ? "ok" : "FAIL", v.name, v.above, v.min_area);
        if (v.below > 0) out += fmt::format(", {} below ({:.6f} m²)", v.below, v.below_m2);
        out += "\n";
    }
    std::fputs(out.c_str(), stdout);
    report.note(fmt::format("moved {} piece(s); {} feature(s) erased entirely; wrote '{}' (in {})", result.moved.size(),
                            result.erased_entirely, output, result.analysis.label()));
    if (clean) return Outcome::done;
    report.warn("the corrected layers still overlap above tolerance (see above)");
    return Outcome::findings;
}
}  // namespace

Runner setup_resolve(CLI::App& app) {
    auto args = std::make_shared<ResolveArgs>();
    app.add_option("PROJECT", args->project, "Project file (.toml) declaring the layers")->required();
    app.add_option("--priority", args->priority,
                   "Layers, highest first, comma-separated (e.g. redline,farmland,urban): a lower layer is "
                   "erased where a higher one overlaps it")
        ->required();
    args->output.add_to(app, {.help = "A .gpkg (corrected layers, resolve_audit per piece, resolve_pairs per pair) "
                                      "or a directory (LAYER.gpkg each, resolve_audit.gpkg)",
                              .required = true,
                              .overwrite = OutputFlags::replace_outputs});
    app.add_option("--min-area", args->min_area, "Tolerance (m²) of the no-overlap check of the result")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    args->work.add_to(app, {.threads = true, .densify = WorkFlags::densify_ellip});
    args->input.add_to(
        app, {.sources = false, .remote = false, .crs = "Analysis CRS (EPSG:n, projected), also of the outputs"});
    app.footer("Exit status: 0 done and the corrected set passes no-overlap, 1 it does not, 2 bad input.");
    return [args](const Reporter& report) { return run_resolve(*args, report); };
}

}  // namespace zk::cli
