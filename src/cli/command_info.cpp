// zonekit info SRC — layers, geometry type, count, CRS, extent, fields, encoding, geometry health.
#include "common.hpp"

#include "zonekit/base/text.hpp"
#include "zonekit/io/source.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace zk::cli {

namespace {
struct InfoArgs {
    std::string source;
    std::string layer;
    bool json = false;
    InputFlags input;
};

Outcome run_info(const InfoArgs& args) {
    Source source = Source::open(args.source, args.input.source_options());
    std::vector<std::string> names = args.layer.empty() ? source.layer_names() : std::vector<std::string>{args.layer};
    std::vector<LayerInfo> infos;
    std::vector<GeometryStats> stats;
    for (const auto& name : names) {
        OGRLayer* layer = source.layer(name);
        infos.push_back(source.describe(layer));
        stats.push_back(scan_geometries(source, layer, args.input.where));
    }
    std::vector<std::string> notes;
    std::string analysis_error;
    try {
        bool any_crs = false;
        for (const auto& info : infos) any_crs = any_crs || !info.crs.empty();
        if (any_crs) choose_analysis_crs(infos, args.input.requested_crs(), notes);
    } catch (const std::exception& e) {
        analysis_error = e.what();
    }

    if (args.json) {
        nlohmann::ordered_json j;
        j["source"] = args.source;
        j["layers"] = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < infos.size(); ++i) {
            const auto& info = infos[i];
            const auto& st = stats[i];
            nlohmann::ordered_json l;
            l["name"] = info.name;
            l["driver"] = info.driver;
            l["geometry_type"] = info.geometry_type;
            l["feature_count"] = info.feature_count;
            l["crs"] = info.crs.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(info.crs.label());
            l["crs_name"] = info.crs.name();
            if (info.has_extent) l["extent"] = {info.min_x, info.min_y, info.max_x, info.max_y};
            l["fields"] = nlohmann::ordered_json::array();
            for (const auto& f : info.fields) l["fields"].push_back({{"name", f.name}, {"type", f.type}});
            l["encoding"] = info.encoding;
            l["null_geometries"] = st.null_geometries;
            l["empty_geometries"] = st.empty_geometries;
            l["invalid_geometries"] = st.invalid;
            l["damaged_geometries"] = st.damaged;
            l["problems"] = nlohmann::ordered_json::array();
            for (const auto& p : st.first_problems) l["problems"].push_back(describe(p));
            l["warnings"] = info.warnings;
            j["layers"].push_back(std::move(l));
        }
        j["analysis"] = notes;
        std::fputs(json_text(std::move(j)).c_str(), stdout);
        return Outcome::done;
    }

    std::string out = fmt::format("{}\n", args.source);
    for (std::size_t i = 0; i < infos.size(); ++i) {
        const auto& info = infos[i];
        const auto& st = stats[i];
        out += fmt::format("\nlayer '{}' ({})\n", info.name, info.driver);
        out += fmt::format("  geometry   {}\n", info.geometry_type);
        out += fmt::format("  features   {}{}\n", info.feature_count,
                           args.input.where.empty() ? "" : fmt::format(" ({} match --where)", st.features));
        if (info.crs.empty()) out += "  crs        none — pass --assume-crs EPSG:n to use this layer\n";
        else
            out += fmt::format("  crs        {} — {}{}\n", info.crs.label(), info.crs.name(),
                               info.crs_assumed ? " (assumed, --assume-crs)" : "");
        if (info.has_extent)
            out += fmt::format("  extent     {:.{}f}, {:.{}f} … {:.{}f}, {:.{}f}\n", info.min_x,
                               info.crs.is_geographic() ? 7 : 3, info.min_y, info.crs.is_geographic() ? 7 : 3,
                               info.max_x, info.crs.is_geographic() ? 7 : 3, info.max_y,
                               info.crs.is_geographic() ? 7 : 3);
        else out += "  extent     (none: no geometries)\n";
        out += fmt::format("  encoding   {}\n", info.encoding);
        if (st.non_utf8_text > 0)
            out += fmt::format("             {} text values are not valid UTF-8: pass --encoding (e.g. GBK)\n",
                               st.non_utf8_text);
        out += fmt::format("  fields     {}\n", info.fields.empty() ? "(none)" : "");
        for (const auto& f : info.fields) out += fmt::format("    {:<20} {}\n", f.name, f.type);
        out += fmt::format("  geometries {} null, {} empty, {} invalid{}\n", st.null_geometries, st.empty_geometries,
                           st.invalid,
                           st.damaged > 0 ? fmt::format(", {} damaged (GDAL cannot read them: commands stop on them "
                                                        "unless --skip-damaged)",
                                                        st.damaged)
                                          : std::string());
        for (const auto& p : st.first_problems) out += fmt::format("    {}\n", describe(p));
        for (const auto& w : info.warnings) out += fmt::format("  warning    {}\n", w);
    }
    if (!notes.empty() || !analysis_error.empty()) {
        out += "\nanalysis\n";
        for (const auto& n : notes) out += fmt::format("  {}\n", n);
        if (!analysis_error.empty()) out += fmt::format("  {}\n", analysis_error);
    }
    std::fputs(out.c_str(), stdout);
    return Outcome::done;
}
}  // namespace

Runner setup_info(CLI::App& app) {
    auto args = std::make_shared<InfoArgs>();
    app.add_option("SRC", args->source, "Any vector source GDAL reads")->required();
    app.add_option("--layer", args->layer, "Describe only this layer");
    app.add_flag("--json", args->json, "Print JSON instead of text");
    args->input.add_to(app, {.where = "OGR SQL attribute filter for the geometry scan"});
    return [args](const Reporter&) { return run_info(*args); };
}

}  // namespace zk::cli
