// What zonekit is and what it runs on: its version and the versions of the libraries it is linked with, as
// they report themselves at run time (the loaded GDAL may be newer than the headers it was built against).
#pragma once

#include <string>

namespace zk {

// "0.1.0"
const char* zonekit_version();
// "GDAL 3.6.2, GEOS 3.11.1, PROJ 9.1.1, Cairo 1.16.0, SQLite 3.40.1"
std::string library_versions();
// The date outputs are stamped with (the report's title block, the map sheet): SOURCE_DATE_EPOCH (seconds) when
// set, for reproducible outputs, else now; YYYY-MM-DD in UTC.
std::string stamp_date();

}  // namespace zk
