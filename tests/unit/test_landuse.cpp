// The 三调 classification (TD/T 1055-2019 附录 A) as the land-use tables use it: lookups by code and name, the
// survey's order with 湿地 gathered from four GB/T 21010 first levels, first-level subtotals that add up to
// the printed cells at every level; and the encodings a CSV table is written in.
#include "zonekit/base/error.hpp"
#include "zonekit/base/landuse_classes.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/ops/tabulate.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

using namespace zk;

TEST_CASE("landuse: a class by code, by name, by both; suffixed codes belong to their base class", "[landuse]") {
    const auto paddy = landuse_class("0101");
    REQUIRE(paddy);
    CHECK(paddy->name == "水田");
    CHECK(paddy->group_code == "01");
    CHECK(paddy->group_name == "耕地");
    CHECK(landuse_class("水田")->code == "0101");
    CHECK(landuse_class(" 0101 水田 ")->code == "0101");
    CHECK(landuse_class("0101水田")->code == "0101");
    CHECK_FALSE(landuse_class("0101 旱地"));  // a code with another class's name is not trusted
    // 湿地 (00) gathers classes whose codes start 03, 04, 06 and 11.
    for (const char* code : {"0303", "0304", "0306", "0402", "0603", "1105", "1106", "1108"})
        CHECK(landuse_class(code)->group_code == "00");
    CHECK(landuse_class("内陆滩涂")->group_name == "湿地");
    // 可调整 (K) and 养殖 (A) codes: their base class, the code kept as written.
    const auto k = landuse_class("0201k");
    REQUIRE(k);
    CHECK(k->code == "0201K");
    CHECK(k->name == "可调整果园");
    CHECK(k->group_code == "02");
    CHECK(landuse_class("1104A")->group_code == "11");
    CHECK(landuse_class("05H1")->name == "商业服务业设施用地");
    CHECK_FALSE(landuse_class("paddy"));
    CHECK_FALSE(landuse_class(""));
    CHECK_FALSE(landuse_class("9999"));
}

TEST_CASE("landuse: values in the survey's order, first levels as the survey groups them", "[landuse]") {
    const std::vector<std::string> values = {"1203", "0101", "1106", "0303", "其它", "0201K", "0201", "0102"};
    const LanduseOrder o = order_landuse(values);
    REQUIRE(o.recognized);
    std::vector<std::string> ordered;
    for (std::size_t i : o.order) ordered.push_back(values[i]);
    // 湿地 first (0303 before 1106 in the survey's list), then 耕地, 种植园用地 (K after its base), 其他土地,
    // and the value that is not a class last.
    CHECK(ordered == std::vector<std::string>{"0303", "1106", "0101", "0102", "0201", "0201K", "1203", "其它"});
    std::vector<std::string> groups;
    for (const auto& g : o.groups) groups.push_back(g.code + g.name);
    CHECK(groups == std::vector<std::string>{"00湿地", "01耕地", "02种植园用地", "12其他土地", "未识别地类"});
    CHECK(o.codes[4].empty());
    CHECK(o.names[4] == "其它");
    CHECK(o.names[2] == "内陆滩涂");
    // Values none of which is a class keep their order and have no groups.
    const LanduseOrder plain = order_landuse({"b", "a"});
    CHECK_FALSE(plain.recognized);
    CHECK(plain.order == std::vector<std::size_t>{0, 1});
    CHECK(plain.groups.empty());
}

namespace {
// Reads a wide CSV's numeric columns as integers of the last decimal, keyed by "level|code|class".
std::vector<std::pair<std::string, std::vector<long long>>> read_wide(const std::string& csv) {
    std::vector<std::pair<std::string, std::vector<long long>>> rows;
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) cells.push_back(cell);
        std::vector<long long> values;
        for (std::size_t i = 3; i < cells.size(); ++i) {
            std::string digits = cells[i];
            digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
            values.push_back(std::stoll(digits));
        }
        rows.emplace_back(cells[0] + "|" + cells[1] + "|" + cells[2], values);
    }
    return rows;
}
}  // namespace

TEST_CASE("landuse: a 三调 table adjusted to its control: every subtotal is the sum of the cells printed under it",
          "[landuse][tabulate]") {
    // Two zones; classes from 湿地 (0303, 1106), 耕地 (0101, 0102), 林地 (0301) and one unknown class. The areas
    // are thirds of a hectare, so no cell is a round number and every level has rounding to absorb.
    Tabulation tab;
    tab.zones = {"北区", "南区"};
    tab.classes = {"0101", "0102", "0301", "0303", "1106", "田坎X"};  // byte order, as tabulate gives them
    const double third = 10000.0 / 3;
    tab.area = {{7 * third, 5 * third, 11 * third, 2 * third, 4 * third, third},
                {13 * third, 0, 8 * third, 5 * third, 7 * third, 2 * third}};
    tab.zone_area = {31 * third, 36 * third};  // Z1 has 1 third uncovered
    const double control = 22.34;             // ha; measured 67 thirds = 22.333… ha
    const TabulateTable t = make_table(tab, AreaUnit::ha, control);
    REQUIRE(t.adjusted);
    REQUIRE(t.groups.size() == 4);
    CHECK(t.groups[0].name == "湿地");
    CHECK(t.groups[3].name == "未识别地类");
    // Classes in the survey's order: 0303, 1106 (湿地), 0101, 0102 (耕地), 0301 (林地), the unknown one.
    CHECK(t.class_codes == std::vector<std::string>{"0303", "1106", "0101", "0102", "0301", "", ""});

    const std::string csv = tabulate_wide_csv(t);
    CHECK(csv.rfind("level,code,class,北区_ha,南区_ha,total_ha\n", 0) == 0);
    const auto rows = read_wide(csv);
    // Walk the rows: a 一级 row is followed by its 二级 rows, whose printed values must sum to it exactly;
    // the subtotals plus the uncovered row sum to the grand total, which is the control.
    std::vector<long long> sub, sum_of_subtotals(3, 0), grand;
    std::size_t classes_seen = 0;
    auto close_group = [&](const std::vector<long long>& group_row) {
        CHECK(sub == group_row);
        for (std::size_t i = 0; i < 3; ++i) sum_of_subtotals[i] += group_row[i];
    };
    std::vector<long long> current;
    for (const auto& [key, values] : rows) {
        REQUIRE(values.size() == 3);
        // Each row's total column is the sum of its zone columns.
        CHECK(values[0] + values[1] == values[2]);
        if (key.rfind("一级|", 0) == 0) {
            if (!current.empty()) close_group(current);
            current = values;
            sub.assign(3, 0);
        } else if (key.rfind("二级|", 0) == 0) {
            for (std::size_t i = 0; i < 3; ++i) sub[i] += values[i];
            ++classes_seen;
        } else if (key.rfind("未覆盖|", 0) == 0) {
            close_group(current);
            for (std::size_t i = 0; i < 3; ++i) sum_of_subtotals[i] += values[i];
        } else if (key.rfind("合计|", 0) == 0) {
            grand = values;
        }
    }
    CHECK(classes_seen == 6);
    CHECK(sum_of_subtotals == grand);
    CHECK(grand[2] == 223400);  // the control, 22.34 ha, printed with the 4 decimals of hectares
    // 湿地's first rows as the survey prints them.
    CHECK(rows[0].first == "一级|00|湿地");
    CHECK(rows[1].first == "二级|0303|红树林地");
    CHECK(rows[2].first == "二级|1106|内陆滩涂");
    CHECK(rows[rows.size() - 3].first == "二级||田坎X");
    // The long CSV names the class as the survey does, its code beside it.
    const std::string long_csv = tabulate_csv(t);
    CHECK(long_csv.rfind("zone,code,class,area_ha,pct_zone,pct_class,adjust_ha\n", 0) == 0);
    CHECK_THAT(long_csv, Catch::Contains("\n北区,0303,红树林地,") && Catch::Contains("\n南区,,田坎X,") &&
                             Catch::Contains("\n北区,,(none),"));
}

TEST_CASE("landuse: CSV encodings: a BOM for Excel, plain UTF-8, GBK checked to hold every name", "[landuse][csv]") {
    const std::string text = "class\n水田\n";
    CHECK(encode_csv(text, CsvEncoding::utf8, "t.csv") == text);
    CHECK(encode_csv(text, CsvEncoding::utf8_bom, "t.csv") == "\xEF\xBB\xBF" + text);
    // GB 2312 (and so GBK) code table: 水 = 0xCBAE, 田 = 0xCCEF.
    CHECK(encode_csv(text, CsvEncoding::gbk, "t.csv") == "class\n\xCB\xAE\xCC\xEF\n");
    // U+20000 (𠀀, CJK Extension B) is outside GBK: refused, naming the file and the line.
    try {
        (void)encode_csv("class\n水田\n\xF0\xA0\x80\x80地\n", CsvEncoding::gbk, "out/t.csv");
        FAIL("no error");
    } catch (const OutputError& e) {
        CHECK_THAT(e.what(), Catch::Contains("out/t.csv"));
        CHECK_THAT(e.what(), Catch::Contains("\xF0\xA0\x80\x80地"));
    }
    CHECK(parse_csv_encoding("UTF-8-BOM") == CsvEncoding::utf8_bom);
    CHECK(parse_csv_encoding("cp936") == CsvEncoding::gbk);
    CHECK_THROWS_AS(parse_csv_encoding("latin1"), InputError);
}
