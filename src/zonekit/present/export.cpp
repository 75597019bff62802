#include "zonekit/present/export.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"
#include "zonekit/base/roles.hpp"
#include "zonekit/io/layer_styles.hpp"

#include <fmt/format.h>

#include <functional>

namespace zk {

namespace {

const std::vector<ExtraField> area_fields = {{"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}};

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// The type a layer is written as: polygons as MultiPolygon, lines as MultiLineString (a Shapefile's
// "Polygon"/"LineString" layers hold multi-part features too), points as they are; wkbUnknown otherwise.
OGRwkbGeometryType written_type(OGRwkbGeometryType type) {
    switch (wkbFlatten(type)) {
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbCurvePolygon:
    case wkbMultiSurface:
    case wkbPolyhedralSurface:
    case wkbTIN:
    case wkbTriangle:
        return wkbMultiPolygon;
    case wkbLineString:
    case wkbMultiLineString:
    case wkbCircularString:
    case wkbCompoundCurve:
    case wkbMultiCurve:
        return wkbMultiLineString;
    case wkbPoint:
        return wkbPoint;
    case wkbMultiPoint:
        return wkbMultiPoint;
    default:
        return wkbUnknown;
    }
}

// For a layer that does not declare its geometry type (CSV, some GeoJSON): the type its features share.
OGRwkbGeometryType type_of_features(OGRLayer* layer) {
    OGRwkbGeometryType common = wkbNone;
    bool multi_point = false;
    layer->SetAttributeFilter(nullptr);
    layer->ResetReading();
    for (;;) {
        OGRFeatureUniquePtr f(layer->GetNextFeature());
        if (!f) break;
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || g->IsEmpty()) continue;
        OGRwkbGeometryType t = written_type(g->getGeometryType());
        if (t == wkbMultiPoint) {
            multi_point = true;
            t = wkbPoint;
        }
        if (common == wkbNone) common = t;
        else if (common != t) common = wkbUnknown;
    }
    layer->ResetReading();
    if (common == wkbNone) return wkbUnknown;
    return common == wkbPoint && multi_point ? wkbMultiPoint : common;
}

OGRGeometryUniquePtr conform(OGRGeometryUniquePtr g, OGRwkbGeometryType type) {
    if (!g || type == wkbUnknown || type == wkbPoint || wkbFlatten(g->getGeometryType()) == type) return g;
    return OGRGeometryUniquePtr(OGRGeometryFactory::forceTo(g.release(), type));
}

// One layer opened for export, and what will be done with it.
struct LayerPlan {
    const LayerSpec* spec = nullptr;
    Source source;
    OGRLayer* layer = nullptr;
    OGRwkbGeometryType type = wkbUnknown;
    bool areas = false;
    std::string name{};
};

LayerPlan plan_layer(const LayerSpec& spec, bool want_areas, std::vector<std::string>& warnings) {
    LayerPlan p{&spec, Source::open(spec.path, spec.source)};
    p.layer = p.source.layer(spec.layer);
    p.name = spec.name.empty() ? p.layer->GetName() : spec.name;
    if (p.layer->GetGeomType() == wkbNone)
        throw InputError(fmt::format("layer '{}' in '{}' has no geometry (an attribute table); export writes layers "
                                     "with geometries",
                                     p.layer->GetName(), spec.path));
    p.type = written_type(p.layer->GetGeomType());
    if (p.type == wkbUnknown) p.type = type_of_features(p.layer);
    p.areas = want_areas && p.type == wkbMultiPolygon;
    if (want_areas && !p.areas)
        warnings.push_back(fmt::format("layer '{}' in '{}' holds {} geometries, not polygons: it is written without "
                                       "area fields",
                                       p.layer->GetName(), spec.path,
                                       p.type == wkbUnknown ? "mixed" : OGRGeometryTypeToName(p.type)));
    return p;
}

ExportedLayer describe(const LayerPlan& p) {
    ExportedLayer out;
    out.source = p.spec->path;
    out.source_layer = p.layer->GetName();
    out.name = p.name;
    out.role = p.spec->role;
    out.geometry_type = OGRGeometryTypeToName(p.type);
    out.areas = p.areas;
    return out;
}

// Called with each feature read (its attributes in the source's field order), its geometry in the target
// CRS (null for none) and its areas (null without area fields).
using PutFeature = std::function<void(const OGRFeature&, OGRGeometryUniquePtr, const Areas*)>;

void stream_layer(LayerPlan& p, const Crs& crs, const ExportOptions& options, const PutFeature& put,
                  ExportedLayer& out, std::vector<std::string>& warnings) {
    std::size_t flattened = 0;
    if (p.areas) {
        ReadOptions read;
        read.where = p.spec->where;
        LayerReader reader(p.source, p.layer, crs, read);
        if (p.layer->GetFeatureCount(TRUE) == 0) return;  // an empty layer: nothing to measure, written empty
        MeasureOptions measure = options.measure;
        measure.by.clear();
        const AreaTable table =
            measure_layer(reader, crs, measure, [&](GeosContext& ctx, const Feature& f, const GEOSGeometry* g, const Areas& a) {
                OGRGeometryUniquePtr geom;
                if (g) {
                    geom.reset(OGRGeometryFactory::createFromGEOS(ctx.handle(), const_cast<GEOSGeometry*>(g)));
                    if (!geom) throw InputError(fmt::format("{}: its geometry cannot be converted back from GEOS",
                                                            reader.where(f.fid)));
                }
                put(*f.ogr, conform(std::move(geom), p.type), &a);
                ++out.features;
            });
        out.total = table.total.areas;
        warnings.insert(warnings.end(), table.warnings.begin(), table.warnings.end());  // Z/M flattening among them
    } else {
        ReadOptions read;
        read.where = p.spec->where;
        read.defer_geos = true;  // the OGR geometry, transformed, is written as it is (no repair: a copy)
        read.validate = false;
        LayerReader reader(p.source, p.layer, crs, read);
        GeosContext ctx;
        Feature f;
        while (reader.next(ctx, f)) {
            OGRGeometryUniquePtr geom(f.ogr->StealGeometry());
            put(*f.ogr, conform(std::move(geom), p.type), nullptr);
            ++out.features;
        }
        flattened = reader.flattened();
        if (std::string damaged = damaged_warning(reader); !damaged.empty()) warnings.push_back(std::move(damaged));
    }
    if (flattened > 0)
        warnings.push_back(fmt::format("layer '{}' in '{}': {} geometr{} with Z or M written in 2D", p.layer->GetName(),
                                       p.spec->path, flattened, flattened == 1 ? "y" : "ies"));
}

ExportedLayer write_to_gpkg(GpkgWriter& writer, LayerPlan& p, const Crs& crs, const ExportOptions& options,
                            std::vector<std::string>& warnings) {
    ExportedLayer out = describe(p);
    const OGRFeatureDefn* source_fields = p.layer->GetLayerDefn();
    const int n = writer.add_layer(p.name, crs, p.type, source_fields, p.areas ? area_fields : std::vector<ExtraField>{},
                                   p.spec->role);
    writer.set_style_key(n, p.spec->key);
    const OGRFeatureDefn* defn = writer.layer(n)->GetLayerDefn();
    const int source_count = source_fields->GetFieldCount();
    const int plan = defn->GetFieldIndex("plan_m2"), ellip = defn->GetFieldIndex("ellip_m2"),
              geod = defn->GetFieldIndex("geod_m2");
    stream_layer(
        p, crs, options,
        [&](const OGRFeature& source, OGRGeometryUniquePtr geom, const Areas* a) {
            OGRFeatureUniquePtr f = writer.new_feature(n);
            for (int i = 0; i < source_count; ++i)
                if (source.IsFieldSetAndNotNull(i)) f->SetField(i, source.GetRawFieldRef(i));
            if (a) {
                f->SetField(plan, a->plan);
                f->SetField(ellip, a->ellip);
                f->SetField(geod, a->geod);
            }
            f->SetFID(source.GetFID());  // as ogr2ogr does: findings' fid_a/fid_b still name these features
            writer.write(n, *f, std::move(geom));
        },
        out, warnings);
    out.styled = role_has_style(out.role);
    return out;
}

ExportedLayer write_single(const std::string& output, LayerPlan& p, const Crs& crs, const ExportOptions& options,
                           std::vector<std::string>& warnings) {
    ExportedLayer out = describe(p);
    LayerWriter writer(output, p.name, crs, p.type, p.layer->GetLayerDefn(),
                       p.areas ? area_fields : std::vector<ExtraField>{}, options.output);
    const std::vector<double> none;
    stream_layer(
        p, crs, options,
        [&](const OGRFeature& source, OGRGeometryUniquePtr geom, const Areas* a) {
            if (a) writer.write(&source, std::move(geom), {a->plan, a->ellip, a->geod});
            else writer.write(&source, std::move(geom), none);
        },
        out, warnings);
    writer.finish();
    out.renamed = writer.renamed_fields();
    warnings.insert(warnings.end(), writer.warnings().begin(), writer.warnings().end());
    return out;
}

std::string format_note(const std::string& driver, const Crs& crs, const ExportOptions& options) {
    if (driver == "GeoJSON")
        return options.output.keep_crs
                   ? fmt::format("GeoJSON in {} with a \"crs\" member (--keep-crs; not RFC 7946)", crs.label())
                   : "GeoJSON per RFC 7946: WGS 84 longitude/latitude, 7 decimals, exterior rings counter-clockwise";
    if (driver == "ESRI Shapefile")
        return output_encoding(options.output.encoding) == "GBK"
                   ? fmt::format("Shapefile in {}, text in GBK (.cpg 936, DBF language driver id 0x4D)", crs.label())
                   : fmt::format("Shapefile in {}, text in UTF-8 (.cpg UTF-8)", crs.label());
    if (driver == "CSV") return fmt::format("CSV in UTF-8, geometry as WKT (column WKT) in {}", crs.label());
    if (driver == "GPKG")
        return fmt::format("GeoPackage in {}: a spatial index per layer, QGIS styles by role in layer_styles",
                           crs.label());
    return fmt::format("{} in {}", driver, crs.label());
}

}  // namespace

std::vector<LayerSpec> source_layer_specs(const std::string& path, const SourceOptions& source,
                                          const std::vector<std::string>& names, const std::string& role) {
    if (!role.empty()) require_layer_role(role, names.empty() ? path : join(names));
    const Source src = Source::open(path, source);
    std::vector<LayerSpec> specs;
    auto add = [&](OGRLayer* layer) {
        LayerSpec spec;
        spec.name = layer->GetName();
        spec.path = path;
        spec.layer = layer->GetName();
        spec.source = source;
        spec.role = role.empty() ? guess_role(spec.name) : role;
        specs.push_back(std::move(spec));
    };
    if (!names.empty()) {
        for (const auto& name : names) add(src.layer(name));
    } else {
        for (const auto& name : src.layer_names()) {
            OGRLayer* layer = src.layer(name);
            if (layer->GetGeomType() != wkbNone) add(layer);
        }
        if (specs.empty())
            throw InputError(fmt::format("'{}' holds no layer with geometries (layers: {})", path, join(src.layer_names())));
    }
    return specs;
}

ExportedLayer export_layer(GpkgWriter& writer, const LayerSpec& layer, const Crs& crs, const ExportOptions& options,
                           std::vector<std::string>& warnings) {
    LayerPlan p = plan_layer(layer, options.areas, warnings);
    return write_to_gpkg(writer, p, crs, options, warnings);
}

ExportResult export_layers(const std::vector<LayerSpec>& layers, const std::string& output,
                           const ExportOptions& options) {
    ExportResult result;
    result.path = output;
    result.driver = driver_for(output);
    if (layers.empty()) throw InputError(fmt::format("nothing to export to '{}': no layers given", output));
    if (result.driver != "GPKG" && layers.size() > 1) {
        std::vector<std::string> names;
        for (const auto& l : layers) names.push_back(l.name.empty() ? l.layer : l.name);
        throw InputError(fmt::format("'{}' ({}) holds one layer, but {} were given ({}). Pick one with --layer, or "
                                     "write a GeoPackage (.gpkg), which holds them all",
                                     output, result.driver, layers.size(), join(names)));
    }
    ExportOptions opts = options;
    opts.output.encoding = output_encoding(options.output.encoding);
    opts.output.role.clear();
    for (const auto& l : layers) opts.output.inputs.push_back(l.path);
    check_output_path(output, opts.output);
    if (opts.output.encoding != "UTF-8" && result.driver != "ESRI Shapefile")
        result.warnings.push_back(fmt::format("the {} encoding applies to Shapefiles only; '{}' ({}) is written in "
                                              "UTF-8",
                                              opts.output.encoding, output, result.driver));
    if (opts.output.keep_crs && result.driver != "GeoJSON")
        result.notes.push_back(fmt::format("keep_crs changes GeoJSON only; {} always keeps the CRS", result.driver));

    std::vector<LayerPlan> plans;
    std::vector<LayerInfo> infos;
    for (const auto& spec : layers) {
        plans.push_back(plan_layer(spec, opts.areas, result.warnings));
        infos.push_back(plans.back().source.describe(plans.back().layer));
    }
    result.crs = choose_analysis_crs(infos, opts.crs, result.notes);

    if (result.driver == "GPKG") {
        GpkgWriter writer(output, opts.output);
        for (auto& p : plans) result.layers.push_back(write_to_gpkg(writer, p, result.crs, opts, result.warnings));
        writer.finish();
    } else {
        result.layers.push_back(write_single(output, plans.front(), result.crs, opts, result.warnings));
    }
    result.notes.push_back(format_note(result.driver, result.crs, opts));
    return result;
}

}  // namespace zk
