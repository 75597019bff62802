// Area units planners sign in: m², 公顷 (ha), 亩 (mu = 10000/15 m²), km².
#pragma once

#include <string>
#include <string_view>

namespace zk {

enum class AreaUnit { m2, ha, mu, km2 };

// Parses "m2", "ha", "mu", "km2" (also "公顷", "亩"). Throws InputError naming the value otherwise.
AreaUnit parse_area_unit(std::string_view text);
std::string unit_name(AreaUnit unit);     // "m2", "ha", "mu", "km2"
std::string unit_label(AreaUnit unit);    // "m²", "公顷 (ha)", "亩 (mu)", "km²"
double square_metres_per(AreaUnit unit);  // 1, 10000, 10000/15, 1e6
double from_square_metres(double m2, AreaUnit unit);
int display_decimals(AreaUnit unit);      // fixed decimals for CSV and Markdown

}  // namespace zk
