// What is wrong with a layer's features: the scan of its geometries (zonekit info, check) and the warnings and
// refusals for null, damaged, invalid, repaired and collection geometries.
#include "zonekit/io/source.hpp"
#include "zonekit/io/source_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"

#include <fmt/format.h>

namespace zk {

using namespace source_detail;

GeometryStats scan_geometries(const Source& source, OGRLayer* layer, const std::string& where, std::size_t max_listed) {
    GeometryStats stats;
    GdalErrorCapture capture;
    if (!where.empty() && layer->SetAttributeFilter(where.c_str()) != OGRERR_NONE)
        throw InputError(fmt::format("--where '{}' is not a valid filter for layer '{}' in '{}': {}", where,
                                     layer->GetName(), source.path(), capture.last_error()));
    GeosContext ctx;
    layer->ResetReading();
    auto note = [&](FeatureIssue issue) {
        if (stats.first_problems.size() < max_listed) stats.first_problems.push_back(std::move(issue));
    };
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (;;) {
        GdalErrorCapture reading;  // what GDAL says while reading this feature
        OGRFeatureUniquePtr feature(layer->GetNextFeature());
        if (!feature) break;
        ++stats.features;
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (defn->GetFieldDefn(i)->GetType() == OFTString && feature->IsFieldSetAndNotNull(i) &&
                !is_valid_utf8(feature->GetFieldAsString(i)))
                ++stats.non_utf8_text;
        const OGRGeometry* g = feature->GetGeometryRef();
        const std::int64_t fid = feature->GetFID();
        // The test of LayerReader::next: no geometry and an error while reading is damaged, not null.
        if (!g && reading.has_error()) {
            ++stats.damaged;
            note(FeatureIssue::of(FeatureIssue::Kind::damaged, fid, clause(reading.last_error())));
            continue;
        }
        if (!g) {
            ++stats.null_geometries;
            note(FeatureIssue::of(FeatureIssue::Kind::null_geometry, fid));
            continue;
        }
        if (g->IsEmpty()) {
            ++stats.empty_geometries;
            note(FeatureIssue::of(FeatureIssue::Kind::empty_geometry, fid));
            continue;
        }
        std::unique_ptr<OGRGeometry> linear;
        if (OGR_GT_IsNonLinear(g->getGeometryType())) {
            linear.reset(g->getLinearGeometry());
            g = linear.get();
        }
        GEOSGeometry* raw = g->exportToGEOS(ctx.handle());
        if (!raw) {
            ++stats.unreadable;
            ++stats.invalid;
            std::string cause = ctx.take_error();
            note(FeatureIssue::of(FeatureIssue::Kind::invalid, fid, cause.empty() ? std::string("unreadable geometry") : cause));
            continue;
        }
        GeomPtr geom = own(ctx, raw);
        Validity v = check_validity(ctx, geom.get());
        if (!v.valid) {
            ++stats.invalid;
            note(FeatureIssue::located(FeatureIssue::Kind::invalid, fid, v));
        }
    }
    layer->SetAttributeFilter(nullptr);
    layer->ResetReading();
    return stats;
}

InputError invalid_polygon_refusal(const std::string& where, const Validity& v, MakeValidMethod method) {
    return InputError(fmt::format("{} is an invalid polygon: {}{}. --strict refuses invalid polygons; without it "
                                  "zonekit repairs them (MakeValid, {} method) and lists them",
                                  where, v.reason,
                                  v.has_location ? fmt::format(" at ({:.3f} {:.3f})", v.x, v.y) : std::string(),
                                  make_valid_method_name(method)));
}

std::string describe(const FeatureIssue& issue) {
    switch (issue.kind) {
        case FeatureIssue::Kind::null_geometry: return fmt::format("feature {}: null geometry", issue.fid);
        case FeatureIssue::Kind::damaged:
            return fmt::format("feature {}: damaged geometry, GDAL cannot read it ({})", issue.fid, issue.reason);
        case FeatureIssue::Kind::empty_geometry: return fmt::format("feature {}: empty geometry", issue.fid);
        case FeatureIssue::Kind::collection:
            return fmt::format("feature {}: a GeometryCollection; dropped {}", issue.fid, issue.reason);
        case FeatureIssue::Kind::invalid:
        case FeatureIssue::Kind::repaired: {
            std::string text = fmt::format("feature {}: {}{}", issue.fid,
                                           issue.kind == FeatureIssue::Kind::repaired ? "repaired, was " : "",
                                           issue.reason);
            if (issue.has_location) text += fmt::format(" at ({:.3f} {:.3f})", issue.x, issue.y);
            if (issue.kind == FeatureIssue::Kind::repaired && !issue.method.empty())
                text += fmt::format("; {} repair, {:.1f} m² decided by it", issue.method, issue.changed_m2);
            return text;
        }
    }
    return "";
}

std::string list_issues(const std::vector<FeatureIssue>& issues, FeatureIssue::Kind a, FeatureIssue::Kind b,
                        std::size_t& count) {
    std::string text;
    count = 0;
    for (const auto& issue : issues) {
        if (issue.kind != a && issue.kind != b) continue;
        if (++count <= 5) text += "\n  " + describe(issue);
    }
    if (count > 5) text += fmt::format("\n  … and {} more", count - 5);
    return text;
}

namespace {
std::string damaged_warning(const LayerInfo& info, const std::vector<FeatureIssue>& issues) {
    std::size_t n = 0;
    const std::string listed = list_issues(issues, FeatureIssue::Kind::damaged, FeatureIssue::Kind::damaged, n);
    if (n == 0) return "";
    return fmt::format("layer '{}' in '{}': {} feature(s) with damaged geometry left out (--skip-damaged): GDAL cannot "
                       "read their geometry, so they are in no result:{}",
                       info.name, info.source, n, listed);
}
}  // namespace

std::string damaged_warning(const LayerReader& reader) { return damaged_warning(reader.info(), reader.issues()); }

std::string damaged_left_out(const LayerReader& reader) {
    const std::size_t n = reader.count(FeatureIssue::Kind::damaged);
    if (n == 0) return "";
    return fmt::format(" other than the {} with damaged geometry left out (--skip-damaged)", n);
}

std::vector<std::string> issue_warnings(const LayerReader& reader) {
    std::vector<std::string> out;
    const LayerInfo& info = reader.info();
    const std::vector<FeatureIssue> issues = reader.issues();
    if (std::string damaged = damaged_warning(info, issues); !damaged.empty()) out.push_back(std::move(damaged));
    std::size_t n = 0;
    std::string listed = list_issues(issues, FeatureIssue::Kind::repaired, FeatureIssue::Kind::repaired, n);
    if (n > 0)
        out.push_back(fmt::format("{} invalid polygon{} of layer '{}' in '{}' {} repaired (GEOS MakeValid; the area "
                                  "each repair decided is the part the linework and structure readings disagree "
                                  "on; --strict refuses invalid polygons instead):{}",
                                  n, n == 1 ? "" : "s", info.name, info.source, n == 1 ? "was" : "were", listed));
    listed = list_issues(issues, FeatureIssue::Kind::collection, FeatureIssue::Kind::collection, n);
    if (n > 0)
        out.push_back(fmt::format("{} feature{} of layer '{}' in '{}' {} GeometryCollection{} (as other tools' repairs "
                                  "leave them): only {} parts of the highest dimension are used:{}",
                                  n, n == 1 ? "" : "s", info.name, info.source, n == 1 ? "is a" : "are",
                                  n == 1 ? "" : "s", n == 1 ? "its" : "their", listed));
    if (reader.flattened() > 0)
        out.push_back(fmt::format("{} geometries of layer '{}' with Z or M values were read in 2D", reader.flattened(),
                                  info.name));
    return out;
}
}  // namespace zk
