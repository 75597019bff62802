#include "zonekit/base/units.hpp"

#include "zonekit/base/error.hpp"

#include <fmt/format.h>

namespace zk {

AreaUnit parse_area_unit(std::string_view text) {
    if (text == "m2" || text == "sqm") return AreaUnit::m2;
    if (text == "ha" || text == "公顷") return AreaUnit::ha;
    if (text == "mu" || text == "亩") return AreaUnit::mu;
    if (text == "km2") return AreaUnit::km2;
    throw InputError(fmt::format("unknown area unit '{}'. Use one of m2, ha, mu, km2", text));
}

std::string unit_name(AreaUnit unit) {
    switch (unit) {
        case AreaUnit::m2: return "m2";
        case AreaUnit::ha: return "ha";
        case AreaUnit::mu: return "mu";
        case AreaUnit::km2: return "km2";
    }
    return "m2";
}

std::string unit_label(AreaUnit unit) {
    switch (unit) {
        case AreaUnit::m2: return "m²";
        case AreaUnit::ha: return "公顷 (ha)";
        case AreaUnit::mu: return "亩 (mu)";
        case AreaUnit::km2: return "km²";
    }
    return "m²";
}

double square_metres_per(AreaUnit unit) {
    switch (unit) {
        case AreaUnit::m2: return 1.0;
        case AreaUnit::ha: return 10000.0;
        case AreaUnit::mu: return 10000.0 / 15.0;
        case AreaUnit::km2: return 1.0e6;
    }
    return 1.0;
}

double from_square_metres(double m2, AreaUnit unit) { return m2 / square_metres_per(unit); }

int display_decimals(AreaUnit unit) {
    switch (unit) {
        case AreaUnit::m2: return 2;
        case AreaUnit::ha: return 4;
        case AreaUnit::mu: return 3;
        case AreaUnit::km2: return 6;
    }
    return 2;
}

}  // namespace zk
