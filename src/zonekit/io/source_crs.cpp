// The CRS of the layers: the message for a layer without one, a Gauss–Kruger zone prefix that does not match,
// and the analysis CRS chosen for a set of layers.
#include "zonekit/io/source.hpp"
#include "zonekit/io/source_internal.hpp"

#include "zonekit/base/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace zk {

using namespace source_detail;

std::optional<std::string> zone_prefix_problem(const LayerInfo& info) {
    if (!info.has_extent || !info.crs.is_transverse_mercator()) return std::nullopt;
    const double fe = info.crs.false_easting();
    const bool prefixed_crs = fe >= 1.0e6;
    const bool prefixed_coords = info.min_x >= 1.0e7 && info.max_x < 1.0e8;
    const bool plain_coords = info.max_x < 1.0e7;
    if (!prefixed_crs && prefixed_coords) {
        const int zone = static_cast<int>(info.min_x / 1.0e6);
        return fmt::format("layer '{}' in '{}' has 8-digit eastings ({:.0f}…) with a zone prefix ({}), but its CRS {} "
                           "has none (false easting {:.0f}): the coordinates probably belong to the prefixed zone {} "
                           "CRS (CGCS2000 3-degree: EPSG:{}). Name the right one with --assume-crs EPSG:n",
                           info.name, info.source, info.min_x, zone, info.crs.label(), fe, zone,
                           zone >= 25 && zone <= 45 ? 4513 + zone - 25 : 0);
    }
    if (prefixed_crs && plain_coords) {
        return fmt::format("layer '{}' in '{}' has 6-digit eastings ({:.0f}…) without a zone prefix, but its CRS {} "
                           "expects one (false easting {:.0f}). Name the right CRS with --assume-crs EPSG:n (CGCS2000 "
                           "3-degree without prefix: EPSG:4534–4554)",
                           info.name, info.source, info.min_x, info.crs.label(), fe);
    }
    return std::nullopt;
}

std::string no_crs_message(const LayerInfo& info) {
    const bool prj = lower(fs::path(info.source).extension().string()) == ".shp" && sidecar_of(info.source, ".prj");
    return fmt::format("layer '{}' in '{}' has no CRS{}. Say what it is with --assume-crs EPSG:n (e.g. EPSG:4490 for "
                       "CGCS2000 longitude/latitude, EPSG:4543 for CGCS2000 Gauss–Kruger CM 102°E)",
                       info.name, info.source, prj ? " that GDAL can read (its .prj is not a CRS definition)" : "");
}

namespace {
void add_once(std::vector<std::string>& list, std::string text) {
    if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(std::move(text));
}
}  // namespace

Crs choose_analysis_crs(const std::vector<LayerInfo>& layers, const std::optional<Crs>& requested,
                        std::vector<std::string>& notes) {
    for (const auto& info : layers)
        if (info.crs.empty()) throw InputError(no_crs_message(info));
    for (const auto& info : layers) notes.insert(notes.end(), info.notes.begin(), info.notes.end());
    Crs chosen;
    if (requested) {
        chosen = *requested;
        notes.push_back(fmt::format("analysis CRS {} ({}), as asked with --crs", chosen.label(), chosen.name()));
    } else {
        for (const auto& info : layers)
            if (info.crs.is_projected()) {
                chosen = info.crs;
                notes.push_back(fmt::format("analysis CRS {} ({}), the CRS of layer '{}'", chosen.label(),
                                            chosen.name(), info.name));
                break;
            }
        if (chosen.empty()) {
            double lon_min = 1e300, lon_max = -1e300;
            for (const auto& info : layers) {
                if (!info.has_extent || info.crs.empty()) continue;
                if (!info.warnings.empty()) throw InputError(info.warnings.front());
                double xs[4] = {info.min_x, info.max_x, info.min_x, info.max_x};
                double ys[4] = {info.min_y, info.min_y, info.max_y, info.max_y};
                if (!info.crs.is_geographic()) {
                    Transform to_geo(info.crs, info.crs.geographic());
                    to_geo.transform(4, xs, ys);
                }
                for (double x : xs) {
                    lon_min = std::min(lon_min, x);
                    lon_max = std::max(lon_max, x);
                }
            }
            if (lon_min > lon_max)
                throw InputError("cannot choose an analysis CRS: no layer has both a CRS and an extent. Name one "
                                 "with --crs EPSG:n");
            const double centre = 0.5 * (lon_min + lon_max);
            const int code = cgcs2000_gk3_epsg(centre);
            chosen = Crs::from_epsg(code);
            notes.push_back(fmt::format("analysis CRS {} ({}): the CGCS2000 3-degree Gauss–Kruger zone whose central "
                                        "meridian ({:.0f}°E) is nearest the data's centre ({:.4f}°E)",
                                        chosen.label(), chosen.name(), chosen.central_meridian(), centre));
        }
    }
    for (const auto& info : layers) {
        if (info.crs.empty() || info.crs.same_as(chosen)) continue;
        notes.push_back(fmt::format("layer '{}' is reprojected from {} to {}; its edges, straight in {}, are followed "
                                    "to within 1 cm (densified in the source CRS)",
                                    info.name, info.crs.label(), chosen.label(), info.crs.label()));
        if (transform_quality(info.crs, chosen).ballpark)
            add_once(notes, fmt::format(
                "{} → {} is a ballpark transformation (PROJ has no parameters or grid between the two datums here and "
                "takes them as equal): positions may be off by up to about 1 m (WGS 84 and CGCS2000 agree to that "
                "order); areas change by far less than the tolerance",
                info.crs.label(), chosen.label()));
    }
    return chosen;
}

}  // namespace zk
