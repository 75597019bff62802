#include "zonekit/project/run.hpp"
#include "zonekit/project/run_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/base/units.hpp"
#include "zonekit/checks/findings.hpp"
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/ops/area_table.hpp"
#include "zonekit/ops/overlay.hpp"
#include "zonekit/ops/tabulate.hpp"
#include "zonekit/ops/zone_stats.hpp"
#include "zonekit/present/export.hpp"
#include "zonekit/present/map_sheet.hpp"
#include "zonekit/present/qgis_project.hpp"
#include "zonekit/present/render.hpp"
#include "zonekit/present/report.hpp"
#include "zonekit/project/screen.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>

namespace zk {

namespace run_detail {

using json = nlohmann::ordered_json;

OpenLayer open_layer(const LayerSpec& spec) {
    Source source = Source::open(spec.path, spec.source);
    OGRLayer* layer = source.layer(spec.layer);
    return {std::move(source), layer};
}

const LayerSpec& declared(const Project& project, const std::string& name) {
    const LayerSpec* spec = project.layer(name);
    if (!spec) throw InputError(fmt::format("project file '{}': layer '{}' is not declared", project.path, name));
    return *spec;
}

ReadOptions read_options(const LayerSpec& spec) {
    ReadOptions read;
    read.where = spec.where;
    return read;
}

void Runner::plan_outputs() {
    const RunSpec& spec = m_project.run;
    std::vector<std::string> files = {"analysis.gpkg", "analysis.qgs", "report.md", "report.html", "summary.json"};
    if (spec.map) files.insert(files.end(), {"map.png", "map.svg"});
    if (!spec.sheet.empty()) files.push_back("sheet.pdf");
    for (const auto& g : spec.geojson) files.push_back(g + ".geojson");
    for (const auto& j : spec.areas) files.push_back(j.name + ".csv");
    for (const auto& j : spec.tables) files.push_back(j.name + ".csv");
    for (const auto& j : spec.counts) files.push_back(j.name + ".csv");
    for (const auto& j : spec.lengths) files.push_back(j.name + ".csv");
    if (m_project.screen.declared)
        for (const auto& f : screen_output_names()) files.push_back(f);
    for (const auto& f : files) check_output_path(target(f), m_out);
}

// The figures a comparison of several projects takes (compare.hpp), from what the run measured: the ellipsoidal
// area (the one the report signs) of the first layer of role boundary, of the first layer of each control line's
// role, and of each zone of the first [[areas]] table that groups the first layer of role districts by a field.
void Runner::fill_summary() {
    RunSummary& s = m_outcome.summary;
    auto first_of_role = [this](const std::string& role) -> const LayerResult* {
        for (const auto& l : m_layers)
            if (l.spec->role == role && l.total) return &l;
        return nullptr;
    };
    if (const LayerResult* county = first_of_role("boundary")) {
        s.county_layer = county->spec->name;
        s.county_m2 = county->total->ellip;
    }
    for (const auto& line : control_lines())
        if (const LayerResult* l = first_of_role(line.role)) {
            s.control_lines.push_back({line.name, l->total->ellip});
            s.control_layers.push_back(l->spec->name);
        }
    if (const LayerResult* zones = first_of_role("districts")) {
        s.zones_layer = zones->spec->name;
        for (const auto& r : m_areas)
            if (r.job->layer == zones->spec->name && !r.table.by.empty()) {
                s.zones_table = r.job->name;
                s.zone_field = r.table.by;
                for (const auto& g : r.table.groups) s.zones.push_back({g.key, g.areas.ellip});
                break;
            }
    }
    s.rules = m_outcome.rules;
    s.rules_failed = m_outcome.rules_failed;
    s.findings = m_outcome.findings;
}

void Runner::write_text(const std::string& file, const std::string& text) {
    write_text_file(staged(file), text, m_out);
    m_outcome.files.push_back(target(file));
}

void Runner::write_csv(const std::string& file, const std::string& text) {
    write_text(file, encode_csv(text, parse_csv_encoding(m_project.run.csv_encoding), target(file)));
}

MapSpec Runner::map_spec() const {
    MapSpec spec = map_spec_for(m_project);
    spec.title = m_title;
    spec.crs = m_crs;
    if (m_check)
        for (const auto& r : m_check->rules) {
            if (r.ok()) continue;  // findings below tolerance are in the report, not highlighted
            MapLayer layer;
            layer.path = staged("analysis.gpkg");
            layer.layer = r.name;
            layer.where = "below_tolerance = 0";  // nor on the map of a failing rule
            layer.role = "findings";
            layer.title = r.name;
            spec.layers.push_back(layer);
        }
    return spec;
}

namespace {
// The outputs an earlier run's summary.json lists ("files"); none when it is missing or not zonekit's.
std::vector<std::string> previous_outputs(const std::string& summary) {
    std::vector<std::string> out;
    std::ifstream in(summary, std::ios::binary);
    if (!in) return out;
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_object() || !j.contains("files") || !j["files"].is_array()) return out;
    for (const auto& f : j["files"])
        if (f.is_string()) out.push_back(f.get<std::string>());
    return out;
}
}  // namespace

RunOutcome Runner::run() {
    m_outcome.outdir = !m_options.outdir.empty() ? m_options.outdir : m_project.run.dir;
    if (m_outcome.outdir.empty())
        throw InputError(fmt::format("no output directory: pass -o OUTDIR or set dir in [outputs] of '{}'", m_project.path));
    m_title = !m_project.run.title.empty() ? m_project.run.title
              : !m_project.name.empty()    ? m_project.name
                                           : fs::path(m_project.path).stem().string();
    m_out.overwrite = m_options.overwrite;
    m_out.inputs.push_back(m_project.path);
    for (const auto& l : m_project.plan.layers) m_out.inputs.push_back(l.path);
    step("reading the layers");
    const std::vector<LayerInfo> infos = describe_layers(m_project.plan.layers);  // every input opens
    // Every output is written into a staging directory and put in place when all are complete; the output
    // directory is locked against another zonekit meanwhile.
    m_stage.emplace(m_outcome.outdir, m_out);
    plan_outputs();
    m_crs = choose_analysis_crs(infos, m_project.plan.crs, m_outcome.notes);
    m_outcome.crs = m_crs.label();
    for (std::size_t i = 0; i < infos.size(); ++i) m_layers.push_back({&m_project.plan.layers[i], infos[i], 0, {}});
    step("recording the input files");
    record_inputs();

    // The tables first: they are read-only, and a bad field name is found before anything is written.
    for (const auto& job : m_project.run.areas) measure_areas(job);
    for (const auto& job : m_project.run.tables) tabulate_job(job);
    for (const auto& job : m_project.run.counts) count_job(job);
    for (const auto& job : m_project.run.lengths) length_job(job);

    if (!m_project.plan.rules.empty()) {
        step("checking the rules");
        CheckOptions options;
        options.threads = m_options.threads;
        options.area = m_options.area;
        if (m_project.min_area) options.min_area = *m_project.min_area;
        m_check = run_check(m_ctx, m_project.plan, options);
        for (const auto& n : m_check->notes)
            if (std::find(m_outcome.notes.begin(), m_outcome.notes.end(), n) == m_outcome.notes.end())
                m_outcome.notes.push_back(n);
        for (const auto& r : m_check->rules) {
            for (const auto& n : r.notes) warn(r.name, n);
            ++m_outcome.rules;
            if (!r.ok()) ++m_outcome.rules_failed;
            m_outcome.findings += static_cast<std::size_t>(r.above);
        }
    }

    if (m_project.screen.declared) {
        step(fmt::format("screening the sites of layer '{}'", m_project.screen.sites.name));
        ScreenOptions options;
        options.threads = m_options.threads;
        options.area = m_options.area;
        m_screen = run_screen(m_project, m_project.screen, options);
        for (const auto& n : m_screen->notes)
            if (std::find(m_outcome.notes.begin(), m_outcome.notes.end(), n) == m_outcome.notes.end())
                m_outcome.notes.push_back(n);
        for (const auto& w : m_screen->warnings) warn("screen", w);
        for (const auto& site : m_screen->sites)
            if (!site.error.empty()) warn("screen", site.error);
        m_outcome.screen_sites = m_screen->sites.size();
        m_outcome.screen_forbidden = m_screen->count(Verdict::forbidden);
        m_outcome.screen_conditional = m_screen->count(Verdict::conditional);
        m_outcome.screen_errors = m_screen->errors();
    }

    {
        GpkgWriter gpkg(staged("analysis.gpkg"), m_out);
        for (auto& l : m_layers) {
            step(fmt::format("writing layer '{}'", l.spec->name));
            ExportOptions options;
            options.areas = l.info.geometry_type.find("Polygon") != std::string::npos;
            options.measure.skip_empty = true;
            options.measure.area = m_options.area;
            std::vector<std::string> warnings;
            const ExportedLayer exported = export_layer(gpkg, *l.spec, m_crs, options, warnings);
            l.written = exported.features;
            if (exported.areas) l.total = exported.total;
            for (const auto& w : warnings) warn(l.spec->name, w);
        }
        for (const auto& job : m_project.run.overlays) overlay_job(gpkg, job);
        write_tables(gpkg);
        if (m_check) add_findings_layers(m_ctx, gpkg, *m_check);
        step("writing analysis.gpkg");
        gpkg.finish();
        m_outcome.files.push_back(target("analysis.gpkg"));
    }
    {
        // analysis.qgs beside it: its layers in groups by role, styled as in layer_styles (qgis_project.hpp).
        step("writing analysis.qgs");
        std::vector<QgisSource> sources;
        for (const auto& l : m_layers) sources.push_back({l.spec->name, l.spec->role, false});
        if (m_check)
            for (const auto& r : m_check->rules) sources.push_back({r.name, "findings", true});
        write_text("analysis.qgs", qgis_project_xml(read_qgis_layers(staged("analysis.gpkg"), sources), m_crs,
                                                    "analysis.gpkg", m_title));
    }

    for (const auto& r : m_areas) write_csv(r.job->name + ".csv", area_table_csv(r.table, parse_area_unit(m_project.run.unit)));
    for (const auto& r : m_tables) write_csv(r.job->name + ".csv", tabulate_wide_csv(r.table));
    for (const auto& r : m_counts) write_csv(r.job->name + ".csv", zone_count_csv(r.table));
    for (const auto& r : m_lengths) write_csv(r.job->name + ".csv", zone_length_csv(r.table));

    for (const auto& name : m_project.run.geojson) {
        step(fmt::format("writing {}.geojson", name));
        ExportOptions options;
        options.crs = m_crs;
        options.output = m_out;
        options.output.keep_crs = m_project.run.keep_crs;
        LayerSpec from;
        from.name = name;
        from.path = staged("analysis.gpkg");
        from.layer = name;
        const ExportResult result = export_layers({from}, staged(name + ".geojson"), options);
        for (const auto& w : result.warnings) warn(name + ".geojson", w);
        m_outcome.files.push_back(target(name + ".geojson"));
    }

    std::map<std::string, std::string> svg;
    if (m_project.run.map) {
        step("drawing the map");
        const MapSpec spec = map_spec();
        RenderResult rendered;
        const std::string drawn = render_svg(spec, &rendered);
        for (const auto& w : rendered.warnings) warn("map", w);
        write_text("map.svg", drawn);
        render_map(spec, staged("map.png"), m_out);
        m_outcome.files.push_back(target("map.png"));
        svg["map.svg"] = add_hover_overlay(drawn, rendered, hover_layers());
        draw_insets(svg);
    }
    if (!m_project.run.sheet.empty()) {
        step("drawing the map sheet");
        SheetOptions sheet;
        sheet.format = parse_sheet_format(m_project.run.sheet);
        sheet.project = m_project.name;
        const SheetResult drawn = render_sheet(map_spec(), sheet, staged("sheet.pdf"), m_out);
        for (const auto& w : drawn.map.warnings) warn("sheet.pdf", w);
        m_outcome.files.push_back(target("sheet.pdf"));
    }

    if (m_screen) {
        step("writing the siting screen");
        const ScreenFiles files = write_screen_outputs(m_project, *m_screen, *m_stage, m_out,
                                                       fmt::format("{} — 项目选址合规性分析", m_title));
        for (const auto& w : files.warnings) warn("screen", w);
        for (const auto& f : files.files) m_outcome.files.push_back(target(f));
    }

    fill_summary();
    step("writing the report");
    const std::string md = report_markdown();
    write_text("report.md", md);
    write_text("report.html", markdown_to_html(md, m_title, svg));
    write_text_file(staged("summary.json"), summary_json(), m_out);
    m_outcome.files.push_back(target("summary.json"));
    // Outputs of the run before that this one no longer makes (a [[areas]] entry removed) go with the old ones.
    if (m_options.overwrite)
        for (const auto& f : previous_outputs(target("summary.json"))) m_stage->retire(f);
    step("putting the outputs in place");
    m_stage->commit();
    return m_outcome;
}


}  // namespace run_detail

RunOutcome run_project(const Project& project, const RunOptions& options) {
    run_detail::Runner runner(project, options);
    return runner.run();
}

}  // namespace zk
