// The land-use classes of the third national land survey (第三次全国国土调查工作分类, TD/T 1055-2019 附录 A):
// their codes, names and first-level classes (一级类), for ordering land-use tables the way the survey's own
// tables are ordered and for their first-level subtotals.
//
// The survey's first levels are not the first two digits of the code: 00 湿地 gathers 0303, 0304, 0306, 0402,
// 0603, 1105, 1106 and 1108 from four GB/T 21010 first-level classes. Codes with a suffix letter (0201K 可调整果园,
// 1104A 养殖坑塘) belong to the class without it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

struct LanduseClass {
    std::string code;        // "0101", "05H1", "0201K"
    std::string name;        // "水田"
    std::string group_code;  // first level: "01"
    std::string group_name;  // "耕地"
    int order = 0;           // position in the survey's tables
};

// The class of a value of a land-use field: a code (DLBM, "0101", "0201K"), a name (DLMC, "水田"), or both
// ("0101 水田"). nullopt for a value that is none of these.
std::optional<LanduseClass> landuse_class(std::string_view value);

// Classes in the survey's order, grouped by first level.
struct LanduseGroup {
    std::string code, name;            // "00" "湿地"; "" "未识别地类" for values that are not 三调 classes
    std::vector<std::size_t> members;  // indices into the values given, in the survey's order
};
struct LanduseOrder {
    bool recognized = false;            // some value is a 三调 class; otherwise `order` is the input order
    std::vector<std::size_t> order;     // every index, in the survey's order (unrecognized ones last, in input order)
    std::vector<LanduseGroup> groups;   // when recognized: the first levels present, then the unrecognized ones
    std::vector<std::string> codes;     // per input value: its code, "" when not a 三调 class
    std::vector<std::string> names;     // per input value: its name, else the value itself
};

// Orders `values` (e.g. a table's classes, byte-sorted) as the survey does.
LanduseOrder order_landuse(const std::vector<std::string>& values);

}  // namespace zk
