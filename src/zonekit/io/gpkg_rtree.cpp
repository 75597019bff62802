#include "zonekit/io/gpkg_rtree.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/gdal_errors.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>

namespace zk {

namespace {

// A cell of an R*Tree node: a feature id (leaf) or a child's index in the level below (inner node), and the
// box as SQLite stores it for a 2-D float tree: minx, maxx, miny, maxy.
using Cell = RtreeEntry;

// Doubles to floats rounded outwards, as SQLite's rtreeValueDown/rtreeValueUp do, so the float box covers
// the exact one.
float down(double v) {
    float f = static_cast<float>(v);
    if (static_cast<double>(f) > v) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
    return f;
}
float up(double v) {
    float f = static_cast<float>(v);
    if (static_cast<double>(f) < v) f = std::nextafter(f, std::numeric_limits<float>::infinity());
    return f;
}

double center(const Cell& c, int axis) {
    return 0.5 * (static_cast<double>(c.box[2 * axis]) + static_cast<double>(c.box[2 * axis + 1]));
}

void sort_by(std::vector<Cell>::iterator from, std::vector<Cell>::iterator to, int axis) {
    std::sort(from, to, [axis](const Cell& a, const Cell& b) {
        const double ca = center(a, axis), cb = center(b, axis);
        return ca != cb ? ca < cb : a.id < b.id;  // ties by id: the same tree every time
    });
}

// Sort-tile-recursive packing of one level: cells into groups of at most `fanout` (each a node), ordered
// by slab of x, then y within the slab. Returns the groups' start offsets into the reordered `cells`.
std::vector<std::size_t> pack(std::vector<Cell>& cells, std::size_t fanout) {
    const std::size_t n = cells.size();
    const std::size_t nodes = (n + fanout - 1) / fanout;
    const auto slabs = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
    const std::size_t per_slab = ((nodes + slabs - 1) / slabs) * fanout;
    sort_by(cells.begin(), cells.end(), 0);
    std::vector<std::size_t> starts;
    for (std::size_t s = 0; s < n; s += per_slab) {
        const std::size_t e = std::min(n, s + per_slab);
        sort_by(cells.begin() + static_cast<std::ptrdiff_t>(s), cells.begin() + static_cast<std::ptrdiff_t>(e), 1);
        for (std::size_t g = s; g < e; g += fanout) starts.push_back(g);
    }
    return starts;
}

struct Level {
    std::vector<Cell> cells;          // in node order
    std::vector<std::size_t> starts;  // node k holds cells[starts[k] .. starts[k+1])
    std::size_t nodes() const { return starts.size(); }
    std::size_t end(std::size_t k) const { return k + 1 < starts.size() ? starts[k + 1] : cells.size(); }
};

void put_be16(unsigned char* p, unsigned v) {
    p[0] = static_cast<unsigned char>(v >> 8);
    p[1] = static_cast<unsigned char>(v);
}
void put_be64(unsigned char* p, std::uint64_t v) {
    for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<unsigned char>(v);
}
void put_be_float(unsigned char* p, float f) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    for (int i = 3; i >= 0; --i, bits >>= 8) p[i] = static_cast<unsigned char>(bits);
}

// A name inside an SQL string literal.
std::string sql_string(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out;
}

std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

struct DbCloser {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

class Db {
public:
    explicit Db(const std::string& path) : m_path(path) {
        sqlite3* db = nullptr;
        const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
        m_db.reset(db);
        if (rc != SQLITE_OK) fail("cannot open it to add the spatial index");
    }
    void exec(const std::string& sql) {
        if (sqlite3_exec(m_db.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
            fail("cannot build the spatial index");
    }
    Stmt prepare(const std::string& sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(m_db.get(), sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
            fail("cannot build the spatial index");
        return Stmt(s);
    }
    void step(sqlite3_stmt* s) {
        if (sqlite3_step(s) != SQLITE_DONE) fail("cannot build the spatial index");
        sqlite3_reset(s);
    }
    void insert2(sqlite3_stmt* s, std::int64_t a, std::int64_t b) {
        sqlite3_bind_int64(s, 1, a);
        sqlite3_bind_int64(s, 2, b);
        step(s);
    }
    std::int64_t integer(const std::string& sql) {
        Stmt s = prepare(sql);
        if (sqlite3_step(s.get()) != SQLITE_ROW) fail("cannot build the spatial index");
        return sqlite3_column_int64(s.get(), 0);
    }
    [[noreturn]] void fail(const char* what) {
        throw OutputError(fmt::format("'{}': {}: {}", m_path, what, m_db ? sqlite3_errmsg(m_db.get()) : "out of memory"));
    }

private:
    std::string m_path;
    std::unique_ptr<sqlite3, DbCloser> m_db;
};

// The triggers GDAL 3.6 writes with a spatial index (GeoPackage 1.2 rtree extension), byte for byte.
std::vector<std::string> rtree_triggers(const std::string& table, const std::string& geom, const std::string& fid) {
    const std::string rtree = "rtree_" + table + "_" + geom;
    const std::string t = quoted(table), c = quoted(geom), i = quoted(fid), r = quoted(rtree);
    const std::string values =
        fmt::format("VALUES (NEW.{i},ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}),ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}))",
                    fmt::arg("i", i), fmt::arg("c", c));
    auto name = [&](const char* suffix) { return quoted(rtree + "_" + suffix); };
    return {
        fmt::format("CREATE TRIGGER {} AFTER INSERT ON {} WHEN (new.{} NOT NULL AND NOT ST_IsEmpty(NEW.{})) BEGIN "
                    "INSERT OR REPLACE INTO {} {}; END",
                    name("insert"), t, c, c, r, values),
        fmt::format("CREATE TRIGGER {} AFTER UPDATE OF {} ON {} WHEN OLD.{} = NEW.{} AND (NEW.{} NOTNULL AND NOT "
                    "ST_IsEmpty(NEW.{})) BEGIN INSERT OR REPLACE INTO {} {}; END",
                    name("update1"), c, t, i, i, c, c, r, values),
        fmt::format("CREATE TRIGGER {} AFTER UPDATE OF {} ON {} WHEN OLD.{} = NEW.{} AND (NEW.{} ISNULL OR "
                    "ST_IsEmpty(NEW.{})) BEGIN DELETE FROM {} WHERE id = OLD.{}; END",
                    name("update2"), c, t, i, i, c, c, r, i),
        fmt::format("CREATE TRIGGER {} AFTER UPDATE ON {} WHEN OLD.{} != NEW.{} AND (NEW.{} NOTNULL AND NOT "
                    "ST_IsEmpty(NEW.{})) BEGIN DELETE FROM {} WHERE id = OLD.{}; INSERT OR REPLACE INTO {} {}; END",
                    name("update3"), t, i, i, c, c, r, i, r, values),
        fmt::format("CREATE TRIGGER {} AFTER UPDATE ON {} WHEN OLD.{} != NEW.{} AND (NEW.{} ISNULL OR "
                    "ST_IsEmpty(NEW.{})) BEGIN DELETE FROM {} WHERE id IN (OLD.{}, NEW.{}); END",
                    name("update4"), t, i, i, c, c, r, i, i),
        fmt::format("CREATE TRIGGER {} AFTER DELETE ON {} WHEN old.{} NOT NULL BEGIN DELETE FROM {} WHERE id = "
                    "OLD.{}; END",
                    name("delete"), t, c, r, i),
    };
}

}  // namespace

RtreeEntry rtree_entry(std::int64_t id, double minx, double maxx, double miny, double maxy) {
    return {id, {down(minx), up(maxx), down(miny), up(maxy)}};
}

void RtreeCollector::add(std::int64_t fid, const OGRGeometry* g) {
    if (m_overflow || !g || g->IsEmpty()) return;
    if (m_entries.size() >= m_limit) {
        m_overflow = true;
        std::vector<RtreeEntry>().swap(m_entries);
        return;
    }
    OGREnvelope e;
    g->getEnvelope(&e);
    m_entries.push_back(rtree_entry(fid, e.MinX, e.MaxX, e.MinY, e.MaxY));
}

void RtreeCollector::before_close(GDALDataset& ds, OGRLayer& layer, const std::string& target) {
    m_table = layer.GetName();
    m_geom_column = layer.GetGeometryColumn();
    m_fid_column = layer.GetFIDColumn();
    if (!m_overflow) return;
    GdalErrorCapture capture;
    const std::string sql = fmt::format("SELECT CreateSpatialIndex('{}', '{}')", sql_string(m_table),
                                        sql_string(m_geom_column));
    ds.ReleaseResultSet(ds.ExecuteSQL(sql.c_str(), nullptr, nullptr));
    if (capture.has_error())
        throw OutputError(fmt::format("cannot create the spatial index of layer '{}' in '{}': {}", m_table, target,
                                      capture.last_error()));
}

void RtreeCollector::after_close(const std::string& path) {
    if (!m_overflow) create_gpkg_rtree(path, m_table, m_geom_column, m_fid_column, std::move(m_entries));
}

void create_gpkg_rtree(const std::string& path, const std::string& table, const std::string& geom_column,
                       const std::string& fid_column, std::vector<RtreeEntry> entries) {
    const std::string rtree = quoted("rtree_" + table + "_" + geom_column);
    Db db(path);
    db.exec("BEGIN");
    db.exec(fmt::format("CREATE VIRTUAL TABLE {} USING rtree(id, minx, maxx, miny, maxy)", rtree));
    // Every node has the size of the root SQLite just made (page size − 64, at most 51 cells of 24 bytes).
    const std::string node_table = quoted("rtree_" + table + "_" + geom_column + "_node");
    const auto node_size = static_cast<std::size_t>(
        db.integer(fmt::format("SELECT length(data) FROM {} WHERE nodeno = 1", node_table)));
    constexpr std::size_t cell_size = 8 + 4 * 4;
    const std::size_t fanout = node_size > 4 ? (node_size - 4) / cell_size : 0;
    if (fanout < 2) db.fail("unexpected R*Tree node size");

    Level leaves;
    leaves.cells = std::move(entries);
    leaves.cells.erase(std::remove_if(leaves.cells.begin(), leaves.cells.end(),
                                      [](const Cell& c) { return std::any_of(c.box, c.box + 4, [](float v) { return std::isnan(v); }); }),
                       leaves.cells.end());

    if (!leaves.cells.empty()) {
        // Levels bottom-up until one node (the root) holds the top: each inner cell is a child's box and index.
        std::vector<Level> levels;
        levels.push_back(std::move(leaves));
        levels.back().starts = pack(levels.back().cells, fanout);
        while (levels.back().nodes() > 1) {
            const Level& below = levels.back();
            Level up_level;
            up_level.cells.reserve(below.nodes());
            for (std::size_t k = 0; k < below.nodes(); ++k) {
                Cell c{static_cast<std::int64_t>(k), {0, 0, 0, 0}};
                for (std::size_t j = below.starts[k]; j < below.end(k); ++j) {
                    const float* b = below.cells[j].box;
                    if (j == below.starts[k]) std::copy(b, b + 4, c.box);
                    c.box[0] = std::min(c.box[0], b[0]);
                    c.box[1] = std::max(c.box[1], b[1]);
                    c.box[2] = std::min(c.box[2], b[2]);
                    c.box[3] = std::max(c.box[3], b[3]);
                }
                up_level.cells.push_back(c);
            }
            up_level.starts = pack(up_level.cells, fanout);
            levels.push_back(std::move(up_level));
        }
        // Node numbers: the root is 1 (as SQLite requires), then each level below, top-down.
        std::vector<std::int64_t> first(levels.size());
        std::int64_t next = 1;
        for (std::size_t l = levels.size(); l-- > 0;) {
            first[l] = next;
            next += static_cast<std::int64_t>(levels[l].nodes());
        }
        Stmt node = db.prepare(fmt::format("INSERT OR REPLACE INTO {} (nodeno, data) VALUES (?, ?)", node_table));
        Stmt parent = db.prepare(fmt::format("INSERT INTO {} (nodeno, parentnode) VALUES (?, ?)",
                                             quoted("rtree_" + table + "_" + geom_column + "_parent")));
        Stmt rowid = db.prepare(fmt::format("INSERT INTO {} (rowid, nodeno) VALUES (?, ?)",
                                            quoted("rtree_" + table + "_" + geom_column + "_rowid")));
        std::vector<unsigned char> blob(node_size);
        // Each feature's leaf, inserted into the _rowid table by ascending id after the nodes: SQLite appends
        // at the end of a B-tree without searching it, where ids in node order would land all over it.
        std::vector<std::pair<std::int64_t, std::int64_t>> leaf_of;
        leaf_of.reserve(levels.front().cells.size());
        const unsigned depth = static_cast<unsigned>(levels.size() - 1);
        for (std::size_t l = levels.size(); l-- > 0;) {
            const Level& level = levels[l];
            for (std::size_t k = 0; k < level.nodes(); ++k) {
                const std::int64_t number = first[l] + static_cast<std::int64_t>(k);
                std::fill(blob.begin(), blob.end(), 0);
                if (number == 1) put_be16(blob.data(), depth);
                put_be16(blob.data() + 2, static_cast<unsigned>(level.end(k) - level.starts[k]));
                unsigned char* p = blob.data() + 4;
                for (std::size_t j = level.starts[k]; j < level.end(k); ++j, p += cell_size) {
                    const Cell& c = level.cells[j];
                    const std::int64_t id = l == 0 ? c.id : first[l - 1] + c.id;
                    put_be64(p, static_cast<std::uint64_t>(id));
                    for (int d = 0; d < 4; ++d) put_be_float(p + 8 + 4 * d, c.box[d]);
                    if (l == 0) leaf_of.emplace_back(id, number);
                    else db.insert2(parent.get(), id, number);
                }
                sqlite3_bind_int64(node.get(), 1, number);
                sqlite3_bind_blob(node.get(), 2, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
                db.step(node.get());
            }
        }
        std::sort(leaf_of.begin(), leaf_of.end());
        for (const auto& [id, number] : leaf_of) db.insert2(rowid.get(), id, number);
    }

    for (const auto& sql : rtree_triggers(table, geom_column, fid_column)) db.exec(sql);
    db.exec("CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT,column_name TEXT,extension_name TEXT NOT "
            "NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,CONSTRAINT ge_tce UNIQUE "
            "(table_name, column_name, extension_name))");
    Stmt ext = db.prepare("INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
                          "VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', "
                          "'write-only')");
    sqlite3_bind_text(ext.get(), 1, table.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ext.get(), 2, geom_column.c_str(), -1, SQLITE_TRANSIENT);
    db.step(ext.get());
    db.exec("COMMIT");
}

}  // namespace zk
