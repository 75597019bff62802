// A GeoPackage read with SQLite itself, below GDAL: its R*Tree, triggers and extension rows as stored.
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

namespace zk::test {

// A database opened read-only; fails the test when SQLite cannot open it.
class SqliteDb {
public:
    explicit SqliteDb(const std::string& path);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    // The rows of a query, each column as text ("NULL" when null).
    std::vector<std::vector<std::string>> rows(const std::string& sql) const;
    // The one value of a query that gives one row.
    std::string one(const std::string& sql) const;

private:
    sqlite3* m_db = nullptr;
};

}  // namespace zk::test
