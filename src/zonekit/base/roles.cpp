#include "zonekit/base/roles.hpp"

#include <array>
#include <cstddef>
#include <vector>

namespace zk {

const std::vector<std::string>& layer_roles() {
    static const std::vector<std::string> roles = {"boundary", "districts", "redline", "farmland", "urban",
                                                   "parcels",  "rivers",    "points",  "findings",
                                                   "sites",    "site_pieces"};
    return roles;
}

namespace {

struct Alias {
    const char* role;
    std::vector<const char*> names;  // whole names (lower case, after trimming digits and separators)
    std::vector<const char*> codes;  // standard codes: a word that is or starts with one
    std::vector<const char*> parts;  // Chinese names, contained anywhere
};

// The standard codes are those of the layers of a county's 国土空间规划 database (行政区 XZQ, 行政区界线
// XZQJX, 规划分区 GHFQ, 生态保护红线 STBHHX, 永久基本农田 YJJBNT, 城镇开发边界 CZKFBJ) and of the third land survey
// (地类图斑 DLTB).
const std::array<Alias, 9>& aliases() {
    static const std::array<Alias, 9> table = {{
        {"findings", {"findings", "finding", "errors"}, {}, {"检查结果"}},
        {"boundary",
         {"boundary", "boundaries", "county", "counties", "admin", "xzq", "xzqh", "xzqjx"},
         {"xzq"},
         {"行政区", "县界", "边界线", "行政界线"}},
        {"districts",
         {"districts", "district", "zones", "zoning", "ghfq", "gnfq", "fq"},
         {"ghfq", "gnfq"},
         {"规划分区", "功能分区", "分区"}},
        {"redline",
         {"redline", "red_line", "redlines", "stbhhx", "sthx", "ecological_redline"},
         {"stbhhx", "sthx"},
         {"生态保护红线", "红线"}},
        {"farmland",
         {"farmland", "yjjbnt", "jbnt", "basic_farmland", "permanent_farmland"},
         {"yjjbnt", "jbnt"},
         {"永久基本农田", "基本农田"}},
        {"urban", {"urban", "czkfbj", "kfbj", "urban_boundary", "ubg"}, {"czkfbj", "kfbj"}, {"城镇开发边界", "开发边界"}},
        {"parcels", {"parcels", "parcel", "dltb", "landuse", "land_use", "tb"}, {"dltb"}, {"地类图斑", "图斑", "地类"}},
        {"rivers", {"rivers", "river", "hl", "streams", "stream", "hydro", "water_lines", "sx"}, {}, {"河流", "水系"}},
        {"points", {"points", "point", "trees", "tree", "ancient_trees", "gsmm"}, {"gsmm"}, {"古树", "保护点"}},
    }};
    return table;
}

bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool separator_or_digit(char c) { return (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == ' '; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

std::string guess_role(std::string_view layer_name) {
    const std::string name = lower(layer_name);

    // 1. The whole name, less digits and separators at its ends.
    std::size_t b = 0, e = name.size();
    while (b < e && separator_or_digit(name[b])) ++b;
    while (e > b && separator_or_digit(name[e - 1])) --e;
    const std::string_view core = std::string_view(name).substr(b, e - b);
    for (const auto& a : aliases())
        for (const char* n : a.names)
            if (core == n) return a.role;

    // 2. Findings layers of `zonekit check`: the rule, then the layers ("no_overlap_redline_farmland").
    for (const char* rule : {"no_overlap_", "no_self_overlap_", "covers_", "within_", "valid_", "slivers_", "clearance_"})
        if (name.rfind(rule, 0) == 0) return "findings";

    // 3. A word (run of ASCII letters) that is or starts with a standard code, the first such word winning.
    for (std::size_t i = 0; i < name.size();) {
        if (!ascii_letter(name[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < name.size() && ascii_letter(name[j])) ++j;
        const std::string_view word = std::string_view(name).substr(i, j - i);
        for (const auto& a : aliases())
            for (const char* code : a.codes)
                if (word.rfind(code, 0) == 0) return a.role;
        i = j;
    }

    // 4. The longest Chinese name contained (the first in the name among equals).
    const char* best = nullptr;
    std::size_t best_length = 0, best_at = std::string::npos;
    for (const auto& a : aliases())
        for (const char* part : a.parts) {
            const std::size_t at = name.find(part);
            if (at == std::string::npos) continue;
            const std::size_t length = std::string_view(part).size();
            if (length > best_length || (length == best_length && at < best_at)) {
                best = a.role;
                best_length = length;
                best_at = at;
            }
        }
    return best ? best : std::string();
}

}  // namespace zk
