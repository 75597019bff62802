#include "check_report.hpp"

namespace zk::test {

const nlohmann::json* rule_entry(const nlohmann::json& doc, const std::string& rule,
                                 const std::vector<std::string>& layers) {
    for (const auto& r : doc["rules"])
        if (r["rule"] == rule && r["layers"] == nlohmann::json(layers)) return &r;
    return nullptr;
}

}  // namespace zk::test
