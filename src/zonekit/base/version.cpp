#include "zonekit/base/version.hpp"

#include <cairo.h>
#include <gdal.h>
#include <geos_c.h>
#include <proj.h>
#include <sqlite3.h>

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>

namespace zk {

const char* zonekit_version() { return "0.1.0"; }

std::string library_versions() {
    std::string geos = GEOSversion();  // "3.11.1-CAPI-1.17.1"
    geos = geos.substr(0, geos.find("-CAPI"));
    return fmt::format("GDAL {}, GEOS {}, PROJ {}, Cairo {}, SQLite {}", GDALVersionInfo("RELEASE_NAME"), geos,
                       proj_info().version, cairo_version_string(), sqlite3_libversion());
}

std::string stamp_date() {
    std::time_t now = std::time(nullptr);
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) now = static_cast<std::time_t>(std::atoll(epoch));
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

}  // namespace zk
