#include "zonekit/checks/findings.hpp"

namespace zk {

void add_findings_layers(GeosContext& ctx, GpkgWriter& gpkg, const CheckResult& result) {
    const std::vector<ExtraField> fields = {
        {"rule", OFTString},    {"layer_a", OFTString}, {"fid_a", OFTInteger64}, {"key_a", OFTString},
        {"layer_b", OFTString}, {"fid_b", OFTInteger64}, {"key_b", OFTString},  {"plan_m2", OFTReal},
        {"ellip_m2", OFTReal},  {"pt_x", OFTReal},      {"pt_y", OFTReal},      {"lon", OFTReal},
        {"lat", OFTReal},       {"below_tolerance", OFTInteger},
        {"detail", OFTString}};
    for (const auto& r : result.rules) {
        const int n = gpkg.add_layer(r.name, result.analysis, r.geometry_type(), nullptr, fields, "findings");
        for (const auto& f : r.findings) {
            OGRFeatureUniquePtr feature = gpkg.new_feature(n);
            feature->SetField("rule", f.rule.c_str());
            feature->SetField("layer_a", f.layer_a.c_str());
            if (f.fid_a >= 0) feature->SetField("fid_a", static_cast<GIntBig>(f.fid_a));
            if (!f.key_a.empty()) feature->SetField("key_a", f.key_a.c_str());
            if (!f.layer_b.empty()) feature->SetField("layer_b", f.layer_b.c_str());
            if (f.fid_b >= 0) feature->SetField("fid_b", static_cast<GIntBig>(f.fid_b));
            if (!f.key_b.empty()) feature->SetField("key_b", f.key_b.c_str());
            feature->SetField("plan_m2", f.plan_m2);
            feature->SetField("ellip_m2", f.ellip_m2);
            feature->SetField("pt_x", f.pt_x);
            feature->SetField("pt_y", f.pt_y);
            feature->SetField("lon", f.lon);
            feature->SetField("lat", f.lat);
            feature->SetField("below_tolerance", f.below_tolerance ? 1 : 0);
            if (!f.detail.empty()) feature->SetField("detail", f.detail.c_str());
            gpkg.write(ctx, n, *feature, f.geom.get());
        }
    }
}

}  // namespace zk
