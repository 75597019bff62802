#include "zonekit/version.hpp"

#include <cairo.h>
#include <gdal.h>
#include <geos_c.h>
#include <proj.h>
#include <sqlite3.h>

#include <fmt/format.h>

namespace zk {

const char* zonekit_version() { return "0.1.0"; }

std::string library_versions() {
    std::string geos = GEOSversion();  // "3.11.1-CAPI-1.17.1"
    geos = geos.substr(0, geos.find("-CAPI"));
    return fmt::format("GDAL {}, GEOS {}, PROJ {}, Cairo {}, SQLite {}", GDALVersionInfo("RELEASE_NAME"), geos,
                       proj_info().version, cairo_version_string(), sqlite3_libversion());
}

}  // namespace zk
