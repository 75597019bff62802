// The JSON report of `zonekit check --report FILE.json`, looked up by rule.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace zk::test {

// The entry of a JSON check report for one rule and its layers, or nullptr.
const nlohmann::json* rule_entry(const nlohmann::json& doc, const std::string& rule, const std::vector<std::string>& layers);

}  // namespace zk::test
