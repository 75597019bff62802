// The siting screen's screen.gpkg: the sites with their own fields, verdicts and measures, what each takes from
// each layer, the closest pairs of the clearances, and the protected points near the sites.
#include "zonekit/project/screen.hpp"
#include "zonekit/project/screen_internal.hpp"

#include "zonekit/base/text.hpp"
#include "zonekit/io/gpkg_writer.hpp"

#include <fmt/format.h>

namespace zk::screen_detail {

void write_gpkg(GeosContext& ctx, const ScreenResult& result, const std::string& path, const OutputOptions& options) {
    GpkgWriter gpkg(path, options);
    std::vector<ExtraField> extra = {{"site_id", OFTString},     {"verdict", OFTString},      {"verdict_zh", OFTString},
                                     {"reasons", OFTString},     {"error", OFTString},        {"area_plan_m2", OFTReal},
                                     {"area_ellip_m2", OFTReal}, {"area_geod_m2", OFTReal},   {"area_ha", OFTReal},
                                     {"area_mu", OFTReal}};
    for (const auto& l : result.take_layers)
        for (const char* f : {"_m2", "_share", "_outside_m2"}) extra.push_back({l + f, OFTReal});
    for (const auto& l : result.distance_layers) {
        extra.push_back({l + "_dist_m", OFTReal});
        extra.push_back({l + "_kept", OFTInteger});
    }
    for (const auto& l : result.point_layers) {
        extra.push_back({l + "_count", OFTInteger});
        extra.push_back({l + "_ids", OFTString});
    }
    const int sites = gpkg.add_layer("sites", result.analysis, wkbMultiPolygon, result.sites_defn.get(), extra, "sites");
    const int pieces = gpkg.add_layer(
        "site_pieces", result.analysis, wkbMultiPolygon, nullptr,
        {{"site_id", OFTString}, {"layer", OFTString}, {"role", OFTString}, {"class", OFTString}, {"feature_fid", OFTInteger64},
         {"whole", OFTInteger}, {"plan_m2", OFTReal}, {"ellip_m2", OFTReal}, {"geod_m2", OFTReal}, {"share", OFTReal}},
        "site_pieces");
    const int lines = gpkg.add_layer("site_distances", result.analysis, wkbLineString, nullptr,
                                     {{"site_id", OFTString}, {"layer", OFTString}, {"feature", OFTString},
                                      {"m", OFTReal}, {"plan_m", OFTReal}, {"clearance_m", OFTReal}, {"kept", OFTInteger}});
    const int pts = gpkg.add_layer("site_points", result.analysis, wkbPoint, nullptr,
                                   {{"site_id", OFTString}, {"layer", OFTString}, {"point_id", OFTString},
                                    {"radius_m", OFTReal}, {"distance_m", OFTReal}, {"inside", OFTInteger}});
    const auto h = ctx.handle();
    for (const auto& s : result.sites) {
        OGRFeatureUniquePtr f = gpkg.new_feature(sites);
        if (s.attributes)
            for (int i = 0; i < s.attributes->GetFieldCount(); ++i) {
                const int to = f->GetFieldIndex(s.attributes->GetFieldDefnRef(i)->GetNameRef());
                if (to < 0) continue;
                if (s.attributes->IsFieldSetAndNotNull(i)) f->SetField(to, s.attributes->GetRawFieldRef(i));
            }
        f->SetField("site_id", s.id.c_str());
        const bool polygonal = s.geom && is_polygonal(ctx, s.geom.get());
        if (!s.error.empty()) {
            f->SetField("error", s.error.c_str());
            gpkg.write(ctx, sites, *f, polygonal ? s.geom.get() : nullptr);
            continue;
        }
        f->SetField("verdict", verdict_name(s.verdict));
        f->SetField("verdict_zh", verdict_label(s.verdict));
        f->SetField("reasons", join(s.reasons, "；").c_str());
        f->SetField("area_plan_m2", s.area.plan);
        f->SetField("area_ellip_m2", s.area.ellip);
        f->SetField("area_geod_m2", s.area.geod);
        f->SetField("area_ha", ha(s.area.ellip));
        f->SetField("area_mu", mu(s.area.ellip));
        for (const auto& t : s.takes) {
            f->SetField((t.layer + "_m2").c_str(), t.areas.ellip);
            f->SetField((t.layer + "_share").c_str(), t.share);
            f->SetField((t.layer + "_outside_m2").c_str(), t.outside.ellip);
        }
        for (const auto& d : s.distances) {
            if (d.found) f->SetField((d.layer + "_dist_m").c_str(), d.m);
            f->SetField((d.layer + "_kept").c_str(), d.kept ? 1 : 0);
        }
        for (const auto& l : result.point_layers) {
            f->SetField((l + "_count").c_str(), static_cast<int>(points_count(s, l)));
            f->SetField((l + "_ids").c_str(), points_ids(s, l).c_str());
        }
        gpkg.write(ctx, sites, *f, s.geom.get());
        for (const auto& p : s.pieces) {
            OGRFeatureUniquePtr pf = gpkg.new_feature(pieces);
            pf->SetField("site_id", s.id.c_str());
            pf->SetField("layer", p.layer.c_str());
            pf->SetField("role", p.role.c_str());
            pf->SetField("class", p.value.c_str());
            pf->SetField("feature_fid", static_cast<GIntBig>(p.fid));
            pf->SetField("whole", p.whole ? 1 : 0);
            pf->SetField("plan_m2", p.areas.plan);
            pf->SetField("ellip_m2", p.areas.ellip);
            pf->SetField("geod_m2", p.areas.geod);
            pf->SetField("share", s.area.ellip > 0 ? p.areas.ellip / s.area.ellip : 0.0);
            gpkg.write(ctx, pieces, *pf, p.whole ? s.geom.get() : p.geom.get());
        }
        for (const auto& d : s.distances) {
            if (!d.found) continue;
            OGRFeatureUniquePtr lf = gpkg.new_feature(lines);
            lf->SetField("site_id", s.id.c_str());
            lf->SetField("layer", d.layer.c_str());
            lf->SetField("feature", d.key.empty() ? std::to_string(d.fid).c_str() : d.key.c_str());
            lf->SetField("m", d.m);
            lf->SetField("plan_m", d.plan_m);
            if (d.clearance_m) lf->SetField("clearance_m", *d.clearance_m);
            lf->SetField("kept", d.kept ? 1 : 0);
            GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, 2, 2);
            GEOSCoordSeq_setXY_r(h, seq, 0, d.site_x, d.site_y);
            GEOSCoordSeq_setXY_r(h, seq, 1, d.layer_x, d.layer_y);
            GeomPtr line = own(ctx, GEOSGeom_createLineString_r(h, seq));
            gpkg.write(ctx, lines, *lf, line.get());
        }
        for (const auto& p : s.points) {
            OGRFeatureUniquePtr pf = gpkg.new_feature(pts);
            pf->SetField("site_id", s.id.c_str());
            pf->SetField("layer", p.layer.c_str());
            pf->SetField("point_id", p.id.c_str());
            pf->SetField("radius_m", p.radius_m);
            pf->SetField("distance_m", p.distance_m);
            pf->SetField("inside", p.inside ? 1 : 0);
            GeomPtr pt = own(ctx, GEOSGeom_createPointFromXY_r(h, p.x, p.y));
            gpkg.write(ctx, pts, *pf, pt.get());
        }
    }
    gpkg.finish();
}

}  // namespace zk::screen_detail
