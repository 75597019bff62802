#include "sqlite_read.hpp"

#include <catch2/catch.hpp>

namespace zk::test {

SqliteDb::SqliteDb(const std::string& path) {
    INFO("opening " << path);
    REQUIRE(sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
}

SqliteDb::~SqliteDb() { sqlite3_close(m_db); }

std::vector<std::vector<std::string>> SqliteDb::rows(const std::string& sql) const {
    sqlite3_stmt* s = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(m_db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    std::vector<std::vector<std::string>> out;
    while (sqlite3_step(s) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(s); ++i) {
            const unsigned char* t = sqlite3_column_text(s, i);
            row.emplace_back(t ? reinterpret_cast<const char*>(t) : "NULL");
        }
        out.push_back(row);
    }
    sqlite3_finalize(s);
    return out;
}

std::string SqliteDb::one(const std::string& sql) const {
    const auto r = rows(sql);
    INFO(sql);
    REQUIRE(r.size() == 1);
    return r[0][0];
}

}  // namespace zk::test
