#include "zonekit/run.hpp"

#include "zonekit/area_table.hpp"
#include "zonekit/check_output.hpp"
#include "zonekit/error.hpp"
#include "zonekit/export.hpp"
#include "zonekit/findings.hpp"
#include "zonekit/map_sheet.hpp"
#include "zonekit/output.hpp"
#include "zonekit/overlay.hpp"
#include "zonekit/qgis_project.hpp"
#include "zonekit/render.hpp"
#include "zonekit/report.hpp"
#include "zonekit/report_map.hpp"
#include "zonekit/roles.hpp"
#include "zonekit/screen.hpp"
#include "zonekit/sha256.hpp"
#include "zonekit/text_table.hpp"
#include "zonekit/tabulate.hpp"
#include "zonekit/units.hpp"
#include "zonekit/version.hpp"
#include "zonekit/zone_stats.hpp"
#include "zonekit/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>

namespace fs = std::filesystem;

namespace zk {

namespace {

using json = nlohmann::ordered_json;

struct OpenLayer {
    Source source;
    OGRLayer* layer = nullptr;
};

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

// The results of the jobs, kept for the report and summary.json.
struct AreaResult {
    const AreaJob* job;
    AreaTable table;
};
struct TableResult {
    const TableJob* job;
    TabulateTable table;
    std::string control_note;
};
struct CountResult {
    const ZoneStatJob* job;
    ZoneCountTable table;
};
struct LengthResult {
    const ZoneStatJob* job;
    ZoneLengthTable table;
};
struct OverlayResult {
    const OverlayJob* job;
    std::int64_t features = 0;
    OverlayStats stats;
};
struct LayerResult {
    const LayerSpec* spec;
    LayerInfo info;
    std::int64_t written = 0;
    std::optional<Areas> total;  // the sum of its features' areas, for a polygonal layer
};

// One file an input layer is read from, for the report's record of its sources.
struct InputFile {
    std::string layer;  // the layer's name in the project ("" on the further files of the same layer)
    std::string file;
    std::string source_layer;
    std::int64_t features = -1;  // on the layer's first file
    std::uintmax_t bytes = 0;
    std::string sha256;          // "" for a remote source
};

class Runner {
public:
    Runner(const Project& project, const RunOptions& options) : m_project(project), m_options(options) {}

    RunOutcome run();

private:
    // Adds a warning about `subject` unless the same was said already (e.g. zone straddling, found by the
    // table of a layer and again when the layer is written).
    void warn(const std::string& subject, const std::string& text) {
        if (std::find(m_said.begin(), m_said.end(), text) != m_said.end()) return;
        m_said.push_back(text);
        m_outcome.warnings.push_back(fmt::format("{}: {}", subject, text));
    }
    void step(const std::string& what) const {
        if (m_options.step) m_options.step(what);
    }
    // Where output `file` ends up, and where it is written until the run is complete (output_files.hpp).
    std::string target(const std::string& file) const { return (fs::path(m_outcome.outdir) / file).string(); }
    std::string staged(const std::string& file) const { return m_stage->path(file); }
    void plan_outputs();
    void fill_summary();
    void measure_areas(const AreaJob& job);
    void tabulate_job(const TableJob& job);
    void count_job(const ZoneStatJob& job);
    void length_job(const ZoneStatJob& job);
    void overlay_job(GpkgWriter& gpkg, const OverlayJob& job);
    void write_tables(GpkgWriter& gpkg);
    void write_text(const std::string& file, const std::string& text);
    void write_csv(const std::string& file, const std::string& text);  // in the project's csv_encoding
    void record_inputs();
    void draw_insets(std::map<std::string, std::string>& svg);
    std::string report_markdown() const;
    std::string title_block() const;
    std::vector<HoverLayer> hover_layers() const;
    std::string summary_json() const;
    MapSpec map_spec() const;

    const Project& m_project;
    const RunOptions& m_options;
    RunOutcome m_outcome;
    OutputOptions m_out;
    std::optional<StagedOutputs> m_stage;
    Crs m_crs;
    GeosContext m_ctx;
    std::string m_title;
    std::vector<LayerResult> m_layers;
    std::vector<AreaResult> m_areas;
    std::vector<TableResult> m_tables;
    std::vector<CountResult> m_counts;
    std::vector<LengthResult> m_lengths;
    std::vector<OverlayResult> m_overlays;
    std::optional<CheckResult> m_check;
    std::optional<ScreenResult> m_screen;
    std::vector<std::string> m_said;
    std::vector<InputFile> m_inputs;
    std::map<std::pair<std::string, std::size_t>, std::string> m_insets;  // (rule, i) → its inset's file
};

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

void Runner::measure_areas(const AreaJob& job) {
    const LayerSpec& spec = declared(m_project, job.layer);
    step(fmt::format("measuring '{}'", job.layer));
    OpenLayer open = open_layer(spec);
    LayerReader reader(open.source, open.layer, m_crs, read_options(spec));
    MeasureOptions options;
    options.by = job.by;
    options.skip_empty = true;
    options.area = m_options.area;
    AreaTable table = measure_layer(reader, m_crs, options);
    for (const auto& w : table.warnings) warn(job.name, w);
    m_areas.push_back({&job, std::move(table)});
}

void Runner::tabulate_job(const TableJob& job) {
    const AreaUnit unit = parse_area_unit(job.unit.empty() ? m_project.run.unit : job.unit);
    const AreaMethod method = parse_area_method(job.method.empty() ? m_project.run.method : job.method);
    step(fmt::format("tabulating '{}' by '{}'", job.classes, job.zones));
    const LayerSpec& zone_spec = declared(m_project, job.zones);
    const LayerSpec& class_spec = declared(m_project, job.classes);
    OpenLayer zone_open = open_layer(zone_spec);
    OpenLayer class_open = open_layer(class_spec);
    const ZoneKey zone_key = zone_key_by_field(zone_open.layer->GetLayerDefn(), job.zone_field, job.zones);
    const ClassKey class_key = class_key_by_field(class_open.layer->GetLayerDefn(), job.class_field, job.classes);

    std::optional<double> control;
    std::string control_note;
    if (job.control) {
        control = job.control;
        control_note = fmt::format("control area {} {} (given)", fixed(*job.control, display_decimals(unit)),
                                   unit_name(unit));
    } else if (!job.control_layer.empty()) {
        const LayerSpec& c = declared(m_project, job.control_layer);
        OpenLayer open = open_layer(c);
        LayerReader reader(open.source, open.layer, m_crs, read_options(c));
        MeasureOptions options;
        options.area = m_options.area;
        const AreaTable t = measure_layer(reader, m_crs, options);
        control = from_square_metres(pick(t.total.areas, method), unit);
        control_note = fmt::format("control area {} {}: the {} area of layer '{}'", fixed(*control, display_decimals(unit)),
                                   unit_name(unit), job.method.empty() ? m_project.run.method : job.method,
                                   job.control_layer);
    }

    LayerReader zone_reader(zone_open.source, zone_open.layer, m_crs, read_options(zone_spec));
    ReadOptions class_read = read_options(class_spec);
    class_read.defer_geos = true;
    LayerReader class_reader(class_open.source, class_open.layer, m_crs, class_read);
    std::vector<std::int64_t> skipped;
    const ZoneLayer zones = load_zones(m_ctx, zone_reader, skipped);
    if (!skipped.empty())
        warn(job.name, fmt::format("{} feature(s) of '{}' have no geometry and take no part", skipped.size(), job.zones));
    TabulateOptions options;
    options.method = method;
    options.threads = m_options.threads;
    options.area = m_options.area;
    const FeatureSource source = [&class_reader](GeosContext& c, Feature& f) {
        if (!class_reader.next(c, f)) return false;
        if (!is_polygonal_or_empty(c, f))
            throw InputError(fmt::format("{} is not a polygon: a table measures the areas of polygon classes",
                                         class_reader.where(f.fid)));
        return true;
    };
    const Tabulation tab = tabulate(source, zones, m_crs, zone_key, class_key, options);
    TabulateTable table = make_table(tab, unit, control);
    for (const auto& w : table.warnings) warn(job.name, w);
    for (const auto& w : issue_warnings(class_reader)) warn(job.name, w);
    m_tables.push_back({&job, std::move(table), control_note});
}

void Runner::count_job(const ZoneStatJob& job) {
    step(fmt::format("counting '{}' per '{}'", job.layer, job.zones));
    const LayerSpec& zone_spec = declared(m_project, job.zones);
    const LayerSpec& spec = declared(m_project, job.layer);
    OpenLayer zone_open = open_layer(zone_spec);
    OpenLayer open = open_layer(spec);
    LayerReader zone_reader(zone_open.source, zone_open.layer, m_crs, read_options(zone_spec));
    LayerReader reader(open.source, open.layer, m_crs, read_options(spec));
    std::vector<std::string> warnings;
    const ZoneSet zones = read_zones(m_ctx, zone_reader, job.zone_field, warnings);
    ZoneCountTable table = count_per_zone(m_ctx, zones, reader);
    table.points_layer = job.layer;
    table.zones_layer = job.zones;
    table.zone_field = job.zone_field;
    table.crs = m_outcome.crs;
    warnings.insert(warnings.end(), table.warnings.begin(), table.warnings.end());
    for (const auto& w : warnings) warn(job.name, w);
    m_counts.push_back({&job, std::move(table)});
}

void Runner::length_job(const ZoneStatJob& job) {
    step(fmt::format("measuring '{}' per '{}'", job.layer, job.zones));
    const LayerSpec& zone_spec = declared(m_project, job.zones);
    const LayerSpec& spec = declared(m_project, job.layer);
    OpenLayer zone_open = open_layer(zone_spec);
    OpenLayer open = open_layer(spec);
    LayerReader zone_reader(zone_open.source, zone_open.layer, m_crs, read_options(zone_spec));
    LayerReader reader(open.source, open.layer, m_crs, read_options(spec));
    std::vector<std::string> warnings;
    const ZoneSet zones = read_zones(m_ctx, zone_reader, job.zone_field, warnings);
    ZoneLengthTable table = length_per_zone(m_ctx, zones, reader, m_crs, m_options.area.densify_m);
    table.lines_layer = job.layer;
    table.zones_layer = job.zones;
    table.zone_field = job.zone_field;
    table.crs = m_outcome.crs;
    warnings.insert(warnings.end(), table.warnings.begin(), table.warnings.end());
    for (const auto& w : warnings) warn(job.name, w);
    m_lengths.push_back({&job, std::move(table)});
}

void Runner::overlay_job(GpkgWriter& gpkg, const OverlayJob& job) {
    step(fmt::format("overlay {} of '{}' by '{}'", job.op, job.a, job.b));
    const OverlayOp op = parse_overlay_op(job.op);
    const LayerSpec& a_spec = declared(m_project, job.a);
    const LayerSpec& b_spec = declared(m_project, job.b);
    OpenLayer a_open = open_layer(a_spec);
    OpenLayer b_open = open_layer(b_spec);
    ReadOptions a_read = read_options(a_spec);
    a_read.defer_geos = true;
    LayerReader a_reader(a_open.source, a_open.layer, m_crs, a_read);
    LayerReader b_reader(b_open.source, b_open.layer, m_crs, read_options(b_spec));
    std::vector<std::int64_t> skipped;
    const ZoneLayer zones = load_zones(m_ctx, b_reader, skipped);
    const KeepFields keep = job.keep_fields.empty() ? KeepFields{} : parse_keep_fields(job.keep_fields);
    const OverlaySchema schema(op, a_open.layer->GetLayerDefn(), b_open.layer->GetLayerDefn(), keep, job.a, job.b);
    for (const auto& r : schema.renames()) warn(job.name, r);
    const int n = gpkg.add_layer(job.name, m_crs, wkbMultiPolygon, schema.defn(),
                                 {{"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}}, a_spec.role);
    const int fields = schema.defn()->GetFieldCount();

    OverlayOptions options;
    options.op = op;
    options.threads = m_options.threads;
    options.area = m_options.area;
    const FeatureSource source = [&a_reader](GeosContext& c, Feature& f) {
        if (!a_reader.next(c, f)) return false;
        if (!is_polygonal_or_empty(c, f))
            throw InputError(fmt::format("{} is a {}: overlay cuts polygons", a_reader.where(f.fid),
                                         geometry_type_name(c, f)));
        return true;
    };
    OverlayResult result{&job, 0, {}};
    result.stats = run_overlay(source, zones, m_crs, options, [&](GeosContext& c, const OverlayPiece& p) {
        OGRFeatureUniquePtr made = schema.make(p);
        OGRFeatureUniquePtr feature = gpkg.new_feature(n);
        for (int i = 0; i < fields; ++i)
            if (made->IsFieldSetAndNotNull(i)) feature->SetField(i, made->GetRawFieldRef(i));
        feature->SetField(fields, p.areas.plan);
        feature->SetField(fields + 1, p.areas.ellip);
        feature->SetField(fields + 2, p.areas.geod);
        gpkg.write(c, n, *feature, p.geom);
        ++result.features;
    });
    for (const auto& p : result.stats.problems)
        warn(job.name, fmt::format("feature {} of '{}'{}: {} (missing from the output)", p.a_fid, job.a,
                                   p.b_fid >= 0 ? fmt::format(" × {}", p.b_fid) : "", p.message));
    if (result.stats.a_without_geometry > 0)
        warn(job.name, fmt::format("{} feature(s) of '{}' have no geometry", result.stats.a_without_geometry, job.a));
    for (const auto& w : issue_warnings(a_reader)) warn(job.name, w);
    m_overlays.push_back(std::move(result));
}

// Each table as an attribute layer of analysis.gpkg (and as NAME.csv beside it).
void Runner::write_tables(GpkgWriter& gpkg) {
    for (const auto& r : m_areas) {
        const int n = gpkg.add_layer(r.job->name, m_crs, wkbNone, nullptr,
                                     {{r.table.by.empty() ? "feature" : r.table.by, OFTString},
                                      {"count", OFTInteger64},
                                      {"plan_m2", OFTReal},
                                      {"ellip_m2", OFTReal},
                                      {"geod_m2", OFTReal}});
        auto row = [&](const AreaRow& a) {
            OGRFeatureUniquePtr f = gpkg.new_feature(n);
            f->SetField(0, a.key.c_str());
            f->SetField(1, static_cast<GIntBig>(a.count));
            f->SetField(2, a.areas.plan);
            f->SetField(3, a.areas.ellip);
            f->SetField(4, a.areas.geod);
            gpkg.write(m_ctx, n, *f, nullptr);
        };
        for (const auto& g : r.table.groups) row(g);
        row(r.table.total);
    }
    for (const auto& r : m_tables) {
        std::vector<ExtraField> fields = {{"zone", OFTString},     {"class", OFTString},    {"area", OFTReal},
                                          {"pct_zone", OFTReal},   {"pct_class", OFTReal}};
        if (r.table.adjusted) fields.push_back({"adjust", OFTReal});
        const int n = gpkg.add_layer(r.job->name, m_crs, wkbNone, nullptr, fields);
        for (const auto& row : r.table.rows) {
            OGRFeatureUniquePtr f = gpkg.new_feature(n);
            f->SetField(0, row.zone.c_str());
            f->SetField(1, row.cls.c_str());
            f->SetField(2, row.area);
            f->SetField(3, row.pct_zone);
            f->SetField(4, row.pct_class);
            if (r.table.adjusted) f->SetField(5, row.adjust);
            gpkg.write(m_ctx, n, *f, nullptr);
        }
    }
    for (const auto& r : m_counts) {
        const int n = gpkg.add_layer(r.job->name, m_crs, wkbNone, nullptr, {{"zone", OFTString}, {"count", OFTInteger64}});
        for (const auto& row : r.table.rows) {
            OGRFeatureUniquePtr f = gpkg.new_feature(n);
            f->SetField(0, row.zone.c_str());
            f->SetField(1, static_cast<GIntBig>(row.count));
            gpkg.write(m_ctx, n, *f, nullptr);
        }
    }
    for (const auto& r : m_lengths) {
        const int n = gpkg.add_layer(r.job->name, m_crs, wkbNone, nullptr,
                                     {{"zone", OFTString}, {"plan_m", OFTReal}, {"geod_m", OFTReal}});
        for (const auto& row : r.table.rows) {
            OGRFeatureUniquePtr f = gpkg.new_feature(n);
            f->SetField(0, row.zone.c_str());
            f->SetField(1, row.length.plan);
            f->SetField(2, row.length.geod);
            gpkg.write(m_ctx, n, *f, nullptr);
        }
    }
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

// "| a | b |" rows of a Markdown table, from cells already in Markdown (data escaped with md_cell).
std::string md_row(const std::vector<std::string>& cells) {
    std::string s = "|";
    for (const auto& c : cells) s += " " + c + " |";
    return s + "\n";
}

// Headings one level deeper, for a report embedded in this one.
std::string demote_headings(const std::string& md) {
    std::string out;
    std::size_t start = 0;
    while (start < md.size()) {
        std::size_t end = md.find('\n', start);
        if (end == std::string::npos) end = md.size();
        const std::string line = md.substr(start, end - start);
        out += (line.rfind('#', 0) == 0 ? "#" : "") + line + "\n";
        start = end + 1;
    }
    return out;
}

void Runner::record_inputs() {
    std::map<std::string, std::string> hashed;  // file → digest, a file shared by layers hashed once
    for (const auto& l : m_layers) {
        const std::string& path = l.spec->path;
        const bool remote = path.rfind("/vsicurl", 0) == 0 || path.find("://") != std::string::npos;
        const std::vector<std::string> files = remote ? std::vector<std::string>{path} : open_layer(*l.spec).source.files();
        for (std::size_t i = 0; i < files.size(); ++i) {
            InputFile f{i == 0 ? l.spec->name : "", files[i], i == 0 ? l.info.name : "", i == 0 ? l.info.feature_count : -1, 0,
                        ""};
            std::error_code ec;
            if (!remote && fs::is_regular_file(files[i], ec)) {
                f.bytes = fs::file_size(files[i], ec);
                auto it = hashed.find(files[i]);
                if (it == hashed.end()) it = hashed.emplace(files[i], file_sha256(files[i])).first;
                f.sha256 = it->second;
            }
            m_inputs.push_back(std::move(f));
        }
    }
}

// Each finding above tolerance of a failing rule (the first `inset_limit` of each) drawn up close: its
// neighbourhood at a scale where it is plainly visible, as inset_RULE_N.png beside the report and inline in
// report.html.
void Runner::draw_insets(std::map<std::string, std::string>& svg) {
    constexpr std::size_t inset_limit = 10;
    if (!m_check || !m_project.run.map) return;
    const MapSpec base = map_spec();
    for (const auto& r : m_check->rules) {
        if (r.ok()) continue;
        std::size_t n = 0;
        for (const auto& f : r.findings) {
            if (f.below_tolerance || n >= inset_limit) break;
            MapSpec spec = base;
            // The finding fills about a third of the picture, and the picture is at least 300 m across.
            Box box{f.pt_x, f.pt_y, f.pt_x, f.pt_y};
            if (f.geom) box = envelope_of(m_ctx, f.geom.get());
            const double side = std::max({3 * (box.max_x - box.min_x), 3 * (box.max_y - box.min_y), 300.0});
            const double cx = (box.min_x + box.max_x) / 2, cy = (box.min_y + box.max_y) / 2;
            spec.extent = Box{cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2};
            spec.clip_to_extent = true;
            spec.width_px = 900;
            spec.height_px = 0;
            spec.title = fmt::format("{} #{} — {:.6f}°E {:.6f}°N", rule_kind_title(r.spec.kind), n + 1, f.lon, f.lat);
            const std::string file = fmt::format("inset_{}_{}.png", r.name, n + 1);
            step(fmt::format("drawing {}", file));
            render_map(spec, staged(file), m_out);
            m_outcome.files.push_back(target(file));
            svg[file] = render_svg(spec);
            m_insets[{r.name, n}] = file;
            ++n;
        }
    }
}

// The layers named under the pointer on the report's map: the zones and control lines as written to
// analysis.gpkg, then the findings of failing rules (on top).
std::vector<HoverLayer> Runner::hover_layers() const {
    std::vector<HoverLayer> out;
    for (const char* role : {"boundary", "districts", "urban", "farmland", "redline", "points"})
        for (const auto& l : m_layers)
            if ((l.spec->role.empty() ? guess_role(l.spec->name) : l.spec->role) == role)
                out.push_back({staged("analysis.gpkg"), l.spec->name, l.spec->name, l.spec->key, ""});
    if (m_check)
        for (const auto& r : m_check->rules)
            if (!r.ok()) out.push_back({staged("analysis.gpkg"), r.name, rule_kind_title(r.spec.kind), "key_a", "below_tolerance = 0"});
    return out;
}

std::string Runner::title_block() const {
    std::string date;
    {
        std::time_t now = std::time(nullptr);
        if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) now = static_cast<std::time_t>(std::atoll(epoch));
        std::tm tm{};
        gmtime_r(&now, &tm);
        char text[32];
        std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
        date = text;
    }
    std::string md = md_row({"项目 *project*", "内容 *value*"}) + "|---|---|\n";
    md += md_row({"项目文件 *project file*", md_cell(fs::path(m_project.path).filename().string())});
    md += md_row({"日期 *date*", date});
    md += md_row({"软件 *software*", fmt::format("zonekit {}; {}", zonekit_version(), library_versions())});
    md += md_row({"分析坐标系 *analysis CRS*", md_cell(fmt::format("{} ({})", m_outcome.crs, m_crs.name()))});
    md += md_row({"面积方法 *area methods*",
                  fmt::format("平面 plan：分析坐标系下的平面面积；椭球 ellip：国土调查椭球面积计算公式（CGCS2000 椭球）；"
                              "测地 geod：Karney 测地线面积；边加密 {} m", m_options.area.densify_m)});
    if (m_check)
        md += md_row({"检查结论 *checks*", fmt::format("**{}** — {} 条规则中 {} 条通过", m_outcome.ok() ? "通过 PASS" : "不通过 FAIL",
                                                        m_outcome.rules, m_outcome.rules - m_outcome.rules_failed)});
    md += "\n### 输入数据 *Input files*\n\n";
    md += md_row({"图层 *layer*", "文件 *file*", "源图层 *source layer*", "要素 *features*", "字节 *bytes*", "SHA-256"});
    md += "|---|---|---|---:|---:|---|\n";
    for (const auto& f : m_inputs)
        md += "| " + md_cell(f.layer) + " | " + md_cell(fs::path(f.file).filename().string()) + " | " + md_cell(f.source_layer) +
              " | " + (f.features >= 0 ? std::to_string(f.features) : "") + " | " + std::to_string(f.bytes) + " | " +
              (f.sha256.empty() ? "—" : "`" + f.sha256 + "`") + " |\n";
    return md + "\n";
}

std::string Runner::report_markdown() const {
    const AreaUnit ha = AreaUnit::ha, mu = AreaUnit::mu;
    std::string md = fmt::format("# {}\n\n国土空间规划检查与面积报告 *Spatial plan check and area report*\n\n", m_title);
    md += title_block();
    if (m_project.run.map) md += "![总图 map](map.svg)\n\n";

    md += "## 图层 *Layers*\n\n";
    md += md_row({"图层 *layer*", "类型 *role*", "来源 *source*", "要素 *features*", "源坐标系 *source CRS*", "写出 *written*"});
    md += "|---|---|---|---:|---|---:|\n";
    for (const auto& l : m_layers)
        md += md_row({md_cell(l.spec->name), l.spec->role.empty() ? "—" : md_cell(l.spec->role),
                      md_cell(fmt::format("{} : {}", fs::path(l.info.source).filename().string(), l.info.name)),
                      std::to_string(l.info.feature_count), l.info.crs.empty() ? "none" : md_cell(l.info.crs.label()),
                      std::to_string(l.written)});
    md += "\n";

    if (!m_areas.empty()) md += "## 面积 *Areas*\n\n";
    for (const auto& r : m_areas) {
        const std::string key = r.table.by.empty() ? "要素 *feature*" : md_cell(r.table.by);
        md += fmt::format("### {} — {}{}\n\n", r.job->name, r.job->layer, r.table.by.empty() ? "" : fmt::format(" × {}", r.table.by));
        md += md_row({key, "个数 *count*", "平面 公顷 *plan ha*", "椭球 公顷 *ellip ha*", "测地 公顷 *geod ha*", "平面 亩 *plan mu*",
                      "椭球 亩 *ellip mu*", "测地 亩 *geod mu*", "占比 % *share*"});
        md += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        auto row = [&](const AreaRow& a, bool total) {
            const int dh = display_decimals(ha), dm = display_decimals(mu);
            const double share = r.table.total.areas.ellip > 0 ? 100.0 * a.areas.ellip / r.table.total.areas.ellip : 0;
            md += md_row({total ? "**合计 total**" : md_cell(a.key), std::to_string(a.count),
                          fixed(from_square_metres(a.areas.plan, ha), dh), fixed(from_square_metres(a.areas.ellip, ha), dh),
                          fixed(from_square_metres(a.areas.geod, ha), dh), fixed(from_square_metres(a.areas.plan, mu), dm),
                          fixed(from_square_metres(a.areas.ellip, mu), dm), fixed(from_square_metres(a.areas.geod, mu), dm),
                          fixed(share, 2)});
        };
        for (const auto& g : r.table.groups) row(g, false);
        row(r.table.total, true);
        md += "\n";
    }

    if (!m_tables.empty()) md += "## 地类 *Land use by zone*\n\n";
    for (const auto& r : m_tables) {
        md += fmt::format("### {} — {} ({}) × {} ({})\n\n", r.job->name, r.job->zones, r.job->zone_field, r.job->classes,
                          r.job->class_field);
        std::string table = tabulate_markdown(r.table);
        if (r.table.adjusted) md += fmt::format("控制面积 *control area*：{}。\n\n", r.control_note);
        md += table + "\n";
    }

    if (!m_counts.empty() || !m_lengths.empty()) md += "## 点与线 *Points and lines per zone*\n\n";
    for (const auto& r : m_counts)
        md += fmt::format("### {} — {} / {}\n\n{}\n", r.job->name, r.job->layer, r.job->zone_field, zone_count_markdown(r.table));
    for (const auto& r : m_lengths)
        md += fmt::format("### {} — {} / {}\n\n{}\n", r.job->name, r.job->layer, r.job->zone_field, zone_length_markdown(r.table));

    if (!m_overlays.empty()) {
        md += "## 叠加 *Overlays*\n\n";
        md += md_row({"结果 *result*", "运算 *operation*", "A", "B", "要素 *features*", "整体取用 *whole*", "切割 *cut*",
                      "舍去线点 *dropped*"});
        md += "|---|---|---|---|---:|---:|---:|---:|\n";
        for (const auto& r : m_overlays)
            md += md_row({md_cell(r.job->name), r.job->op, md_cell(r.job->a), md_cell(r.job->b), std::to_string(r.features),
                          std::to_string(r.stats.taken_whole), std::to_string(r.stats.overlays),
                          std::to_string(r.stats.lower_dim_dropped)});
        md += "\n";
    }

    if (m_screen) {
        md += "## 选址 *Siting screen*\n\n";
        md += fmt::format("{} 个选址（图层 {}）：禁止 **{}**，有条件允许 **{}**，允许 **{}**，错误 {}。每个选址一页见 "
                          "[screen.html](screen.html)；数据见 screen.csv、screen.json、screen.gpkg。\n\n",
                          m_screen->sites.size(), m_project.screen.sites.name, m_screen->count(Verdict::forbidden),
                          m_screen->count(Verdict::conditional), m_screen->count(Verdict::allowed), m_screen->errors());
        md += md_row({"选址 *site*", "结论 *verdict*", "原因 *reasons*"});
        md += md_row({"---", "---", "---"});
        for (const auto& site : m_screen->sites)
            if (site.error.empty() && site.verdict != Verdict::allowed) {
                std::string reasons;
                for (const auto& r : site.reasons) reasons += (reasons.empty() ? "" : "；") + r;
                md += md_row({md_cell(site.id), verdict_name(site.verdict), md_cell(reasons)});
            }
        md += "\n";
    }
    if (m_check) {
        CheckReportOptions options;
        options.notes = false;  // they are in the notes section below, once
        if (!m_insets.empty())
            options.inset = [this](const RuleResult& r, std::size_t i) {
                const auto it = m_insets.find({r.name, i});
                return it == m_insets.end() ? std::string() : fmt::format("[图 {}]({})", i + 1, it->second);
            };
        md += "## 检查 *Checks*\n\n" + demote_headings(demote_headings(check_report_markdown(*m_check, options))) + "\n";
        if (!m_insets.empty()) {
            md += "### 近景图 *Findings up close*\n\n";
            for (const auto& r : m_check->rules)
                for (std::size_t i = 0; m_insets.count({r.name, i}); ++i)
                    md += fmt::format("![{} {} #{}]({})\n\n", rule_kind_title(r.spec.kind), md_cell(r.name), i + 1,
                                      m_insets.at({r.name, i}));
        }
    }

    md += "## 说明 *Notes and warnings*\n\n";
    for (const auto& n : m_outcome.notes) md += "- " + md_cell(n) + "\n";
    for (const auto& w : m_outcome.warnings) md += "- **注意 warning:** " + md_cell(w) + "\n";
    if (m_outcome.notes.empty() && m_outcome.warnings.empty()) md += "无 *None*。\n";
    return md;
}

std::string Runner::summary_json() const {
    json j;
    j["project"] = m_project.path;
    j["title"] = m_title;
    j["crs"] = m_outcome.crs;
    j["densify_m"] = m_options.area.densify_m;
    json files = json::array();
    for (const auto& f : m_outcome.files) files.push_back(fs::path(f).filename().string());
    files.push_back("summary.json");
    j["files"] = files;
    json layers = json::array();
    for (const auto& l : m_layers)
        layers.push_back({{"name", l.spec->name},
                          {"role", l.spec->role},
                          {"source", l.info.source},
                          {"layer", l.info.name},
                          {"features", l.info.feature_count},
                          {"crs", l.info.crs.empty() ? "" : l.info.crs.label()}});
    j["layers"] = layers;
    json areas = json::array();
    for (const auto& r : m_areas) {
        json a = json::parse(area_table_json(r.table, AreaUnit::m2));
        a["name"] = r.job->name;
        areas.push_back(a);
    }
    j["areas"] = areas;
    // A table's own JSON (as its command writes it) with the job's name.
    auto named = [](const std::string& text, const std::string& name) {
        json t = json::parse(text);
        t["name"] = name;
        return t;
    };
    json tables = json::array();
    for (const auto& r : m_tables) {
        json t = named(tabulate_json(r.table), r.job->name);
        if (r.table.adjusted) t["control"] = r.control_note;
        tables.push_back(t);
    }
    j["tables"] = tables;
    json counts = json::array();
    for (const auto& r : m_counts) counts.push_back(named(zone_count_json(r.table), r.job->name));
    j["counts"] = counts;
    json lengths = json::array();
    for (const auto& r : m_lengths) lengths.push_back(named(zone_length_json(r.table), r.job->name));
    j["lengths"] = lengths;
    json overlays = json::array();
    for (const auto& r : m_overlays)
        overlays.push_back({{"name", r.job->name},
                            {"op", r.job->op},
                            {"a", r.job->a},
                            {"b", r.job->b},
                            {"features", r.features},
                            {"taken_whole", r.stats.taken_whole},
                            {"overlays", r.stats.overlays},
                            {"lower_dim_dropped", r.stats.lower_dim_dropped},
                            {"problems", r.stats.problems.size()}});
    j["overlays"] = overlays;
    json checks = m_check ? json::parse(check_report_json(*m_check)) : json::object();
    checks["ok"] = m_outcome.ok();
    j["checks"] = checks;
    if (m_screen)
        j["screen"] = {{"sites", m_screen->sites.size()},
                       {"forbidden", m_screen->count(Verdict::forbidden)},
                       {"conditional", m_screen->count(Verdict::conditional)},
                       {"allowed", m_screen->count(Verdict::allowed)},
                       {"error", m_screen->errors()}};
    j["notes"] = m_outcome.notes;
    j["warnings"] = m_outcome.warnings;
    j["comparison"] = json::parse(run_summary_json(m_outcome.summary));
    return json_text(std::move(j));
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

}  // namespace

RunOutcome run_project(const Project& project, const RunOptions& options) {
    Runner runner(project, options);
    return runner.run();
}

}  // namespace zk
