// The jobs of `zonekit run` (run_internal.hpp): each calls the same library function as its command —
// measure_layer, tabulate_layer, count_in_zones, length_in_zones, overlay_layer — and keeps the result for
// the report; write_tables writes the tables into analysis.gpkg.
#include "zonekit/project/run_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/units.hpp"
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/ops/area_table.hpp"
#include "zonekit/ops/overlay.hpp"
#include "zonekit/ops/tabulate.hpp"
#include "zonekit/ops/zone_stats.hpp"

#include <fmt/format.h>

#include <functional>
#include <optional>

namespace zk::run_detail {

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
        const LayerArea measured = layer_area(reader, m_crs, m_options.area, method);
        for (const auto& w : measured.warnings) warn(job.name, w);
        control = from_square_metres(measured.m2, unit);
        control_note = fmt::format("control area {} {}: the {} area of layer '{}'", fixed(*control, display_decimals(unit)),
                                   unit_name(unit), job.method.empty() ? m_project.run.method : job.method,
                                   job.control_layer);
    }

    LayerReader zone_reader(zone_open.source, zone_open.layer, m_crs, read_options(zone_spec));
    ReadOptions class_read = read_options(class_spec);
    class_read.defer_geos = true;
    class_read.only_fields = std::vector<std::string>{job.class_field};
    LayerReader class_reader(class_open.source, class_open.layer, m_crs, class_read);
    std::vector<std::int64_t> skipped;
    const ZoneLayer zones = load_zones(m_ctx, zone_reader, skipped);
    if (!skipped.empty())
        warn(job.name, fmt::format("{} feature(s) of '{}' have no geometry and take no part", skipped.size(), job.zones));
    TabulateOptions options;
    options.method = method;
    options.threads = m_options.threads;
    options.area = m_options.area;
    const Tabulation tab = tabulate_layer(class_reader, zones, m_crs, zone_key, class_key, options);
    TabulateTable table = make_table(tab, unit, control);
    for (const auto& w : table.warnings) warn(job.name, w);
    for (const auto& w : issue_warnings(class_reader)) warn(job.name, w);
    for (const auto& p : tab.stats.problems)
        warn(job.name, fmt::format("feature {} of '{}' × zone feature {} of '{}': {} (missing from the table)", p.a_fid,
                                   job.classes, p.b_fid, job.zones, p.message));
    m_outcome.missing_pieces += tab.stats.problems.size();
    m_tables.push_back({&job, std::move(table), control_note});
}

void Runner::zone_stat_job(const ZoneStatJob& job, const std::function<void(LayerReader&, LayerReader&)>& measure) {
    const LayerSpec& zone_spec = declared(m_project, job.zones);
    const LayerSpec& spec = declared(m_project, job.layer);
    OpenLayer zone_open = open_layer(zone_spec);
    OpenLayer open = open_layer(spec);
    LayerReader zone_reader(zone_open.source, zone_open.layer, m_crs, read_options(zone_spec));
    LayerReader reader(open.source, open.layer, m_crs, read_options(spec));
    measure(reader, zone_reader);
}

void Runner::count_job(const ZoneStatJob& job) {
    step(fmt::format("counting '{}' per '{}'", job.layer, job.zones));
    zone_stat_job(job, [&](LayerReader& points, LayerReader& zones) {
        ZoneCountTable table = count_in_zones(m_ctx, points, zones, job.zone_field);
        table.points_layer = job.layer;
        table.zones_layer = job.zones;
        table.crs = m_outcome.crs;
        for (const auto& w : table.warnings) warn(job.name, w);
        m_counts.push_back({&job, std::move(table)});
    });
}

void Runner::length_job(const ZoneStatJob& job) {
    step(fmt::format("measuring '{}' per '{}'", job.layer, job.zones));
    zone_stat_job(job, [&](LayerReader& lines, LayerReader& zones) {
        ZoneLengthTable table = length_in_zones(m_ctx, lines, zones, job.zone_field, m_crs, m_options.area.densify_m);
        table.lines_layer = job.layer;
        table.zones_layer = job.zones;
        table.crs = m_outcome.crs;
        for (const auto& w : table.warnings) warn(job.name, w);
        m_lengths.push_back({&job, std::move(table)});
    });
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
    OverlayResult result{&job, 0, {}};
    result.stats = overlay_layer(a_reader, zones, m_crs, options, [&](GeosContext& c, const OverlayPiece& p) {
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
    for (const auto& p : result.stats.problems) {
        const std::string which =
            p.a_fid >= 0 ? fmt::format("feature {} of '{}'{}", p.a_fid, job.a,
                                       p.b_fid >= 0 ? fmt::format(" × feature {} of '{}'", p.b_fid, job.b) : "")
                         : fmt::format("the part of feature {} of '{}' not covered by '{}'", p.b_fid, job.b, job.a);
        warn(job.name, fmt::format("{}: {} (missing from the output)", which, p.message));
    }
    m_outcome.missing_pieces += result.stats.problems.size();
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

}  // namespace zk::run_detail
