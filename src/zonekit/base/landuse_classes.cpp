#include "zonekit/base/landuse_classes.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <tuple>

namespace zk {

namespace {

struct Row {
    const char* code;
    const char* name;
    const char* group;
};

struct Group {
    const char* code;
    const char* name;
};

// 第三次全国国土调查工作分类, in the order of the survey's tables.
constexpr std::array<Group, 13> groups = {{{"00", "湿地"},
                                           {"01", "耕地"},
                                           {"02", "种植园用地"},
                                           {"03", "林地"},
                                           {"04", "草地"},
                                           {"05", "商业服务业用地"},
                                           {"06", "工矿用地"},
                                           {"07", "住宅用地"},
                                           {"08", "公共管理与公共服务用地"},
                                           {"09", "特殊用地"},
                                           {"10", "交通运输用地"},
                                           {"11", "水域及水利设施用地"},
                                           {"12", "其他土地"}}};

constexpr std::array<Row, 56> rows = {{
    {"0303", "红树林地", "00"},         {"0304", "森林沼泽", "00"},
    {"0306", "灌丛沼泽", "00"},         {"0402", "沼泽草地", "00"},
    {"0603", "盐田", "00"},             {"1105", "沿海滩涂", "00"},
    {"1106", "内陆滩涂", "00"},         {"1108", "沼泽地", "00"},
    {"0101", "水田", "01"},             {"0102", "水浇地", "01"},
    {"0103", "旱地", "01"},             {"0201", "果园", "02"},
    {"0202", "茶园", "02"},             {"0203", "橡胶园", "02"},
    {"0204", "其他园地", "02"},         {"0301", "乔木林地", "03"},
    {"0302", "竹林地", "03"},           {"0305", "灌木林地", "03"},
    {"0307", "其他林地", "03"},         {"0401", "天然牧草地", "04"},
    {"0403", "人工牧草地", "04"},       {"0404", "其他草地", "04"},
    {"05H1", "商业服务业设施用地", "05"}, {"0508", "物流仓储用地", "05"},
    {"0601", "工业用地", "06"},         {"0602", "采矿用地", "06"},
    {"0701", "城镇住宅用地", "07"},     {"0702", "农村宅基地", "07"},
    {"08H1", "机关团体新闻出版用地", "08"}, {"08H2", "科教文卫用地", "08"},
    {"0809", "公用设施用地", "08"},     {"0810", "公园与绿地", "08"},
    {"09", "特殊用地", "09"},           {"1001", "铁路用地", "10"},
    {"1002", "轨道交通用地", "10"},     {"1003", "公路用地", "10"},
    {"1004", "城镇村道路用地", "10"},   {"1005", "交通服务场站用地", "10"},
    {"1006", "农村道路", "10"},         {"1007", "机场用地", "10"},
    {"1008", "港口码头用地", "10"},     {"1009", "管道运输用地", "10"},
    {"1101", "河流水面", "11"},         {"1102", "湖泊水面", "11"},
    {"1103", "水库水面", "11"},         {"1104", "坑塘水面", "11"},
    {"1107", "沟渠", "11"},             {"1109", "水工建筑用地", "11"},
    {"1110", "冰川及永久积雪", "11"},   {"1201", "空闲地", "12"},
    {"1202", "设施农用地", "12"},       {"1203", "田坎", "12"},
    {"1204", "盐碱地", "12"},           {"1205", "沙地", "12"},
    {"1206", "裸土地", "12"},           {"1207", "裸岩石砾地", "12"},
}};

const char* group_name(std::string_view code) {
    for (const auto& g : groups)
        if (code == g.code) return g.name;
    return "";
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

LanduseClass make(std::size_t i, std::string code) {
    const Row& r = rows[i];
    return {std::move(code), r.name, r.group, group_name(r.group), static_cast<int>(i)};
}

// A code, exact or with one suffix letter (0201K, 1104A): the class, keeping the code as written.
std::optional<LanduseClass> by_code(std::string_view text) {
    const std::string code = upper(trim(text));
    if (code.empty()) return std::nullopt;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (code == rows[i].code) return make(i, code);
    const char last = code.back();
    if (code.size() >= 3 && std::isalpha(static_cast<unsigned char>(last))) {
        const std::string base = code.substr(0, code.size() - 1);
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (base == rows[i].code) {
                LanduseClass c = make(i, code);
                c.name = code.back() == 'K' ? std::string("可调整") + rows[i].name : std::string(rows[i].name);
                return c;
            }
    }
    return std::nullopt;
}

std::optional<LanduseClass> by_name(std::string_view text) {
    text = trim(text);
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (text == rows[i].name) return make(i, rows[i].code);
    return std::nullopt;
}

}  // namespace

std::optional<LanduseClass> landuse_class(std::string_view value) {
    value = trim(value);
    if (auto c = by_code(value)) return c;
    if (auto c = by_name(value)) return c;
    // "0101 水田" / "0101水田": a code, then its own name.
    std::size_t n = 0;
    while (n < value.size() && std::isalnum(static_cast<unsigned char>(value[n]))) ++n;
    if (n > 0 && n < value.size()) {
        auto c = by_code(value.substr(0, n));
        const std::string_view rest = trim(value.substr(n));
        if (c && (rest == c->name || rest == rows[static_cast<std::size_t>(c->order)].name)) return c;
    }
    return std::nullopt;
}

LanduseOrder order_landuse(const std::vector<std::string>& values) {
    LanduseOrder out;
    std::vector<std::optional<LanduseClass>> classes;
    for (const auto& v : values) {
        classes.push_back(landuse_class(v));
        out.codes.push_back(classes.back() ? classes.back()->code : "");
        out.names.push_back(classes.back() ? classes.back()->name : v);
        out.recognized = out.recognized || classes.back().has_value();
    }
    out.order.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) out.order[i] = i;
    if (!out.recognized) return out;

    // Known classes by their row (suffixed codes after their base), then the rest in input order.
    auto key = [&](std::size_t i) {
        return classes[i] ? std::make_tuple(0, classes[i]->order, classes[i]->code) : std::make_tuple(1, 0, std::string());
    };
    std::stable_sort(out.order.begin(), out.order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    for (std::size_t i : out.order) {
        const std::string code = classes[i] ? classes[i]->group_code : "";
        if (out.groups.empty() || out.groups.back().code != code)  // unrecognized ones are last, with code ""
            out.groups.push_back({code, classes[i] ? classes[i]->group_name : "未识别地类", {}});
        out.groups.back().members.push_back(i);
    }
    return out;
}

}  // namespace zk
