// The role (style) a layer's name suggests: the one guess used by `export`, `render`, `run` and project files
// (a layer declared without `role = …`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zk {

// The roles a layer can play, each with a style in styles/: boundary, districts, redline, farmland, urban,
// parcels, rivers, points, findings, sites, site_pieces.
const std::vector<std::string>& layer_roles();

// The role a layer named `layer_name` plays, or "" when the name says nothing. ASCII is compared without
// case. In this order:
//   1. the whole name, less leading and trailing digits and separators ("districts_2035", "2035-County"),
//      is a role or an alias of one: "county" → boundary, "zones" → districts, "trees" → points, the
//      standard codes of the plan database (XZQ, XZQJX, GHFQ, STBHHX, YJJBNT, CZKFBJ, DLTB, …) and a few
//      English and pinyin words;
//   2. a findings layer of `zonekit check`: the rule, then the layers ("no_overlap_redline_farmland");
//   3. a word of the name (a run of ASCII letters: digits, '_', '-', spaces and Chinese characters split
//      words) that is, or starts with, a standard code: "XZQ_510184", "510184GHFQ", "cz_dltb_2023",
//      "YJJBNT保护", "XZQJX" → boundary; a code inside a word is not one ("TXZQ", "czghfq" → nothing);
//   4. the longest Chinese name it contains: 行政区 → boundary, 规划分区 → districts, 生态保护红线 → redline,
//      永久基本农田 → farmland, 城镇开发边界 → urban, 地类图斑 → parcels, 河流/水系 → rivers, 古树 → points,
//      … (so 城镇开发边界线 is urban although it holds 边界线, and 永久基本农田保护红线 is farmland).
std::string guess_role(std::string_view layer_name);

}  // namespace zk
