// Tabulation against hand calculations; 面积平差 (adjustment to a control area) worked by hand and checked
// for exact sums; the Chongzhou parcels tabulated by district give the districts' own areas.
#include "zonekit/base/error.hpp"
#include "zonekit/geometry/area.hpp"
#include "zonekit/io/source.hpp"
#include "zonekit/ops/tabulate.hpp"

#include "support/gdal_write.hpp"
#include "support/temp_dir.hpp"
#include "support/wkt.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <random>

using namespace zk;

namespace {
const double X0 = 400000, Y0 = 3390000;
std::string poly(double x1, double y1, double x2, double y2) { return zk::test::Wkt{X0, Y0}.rect(x1, y1, x2, y2); }

Tabulation hand_tabulation() {
    // Measured (m²): zone Z1 has a = 1.5, b = 1.0, c = 0.5; zone Z2 has a = 2.0. Nothing uncovered.
    Tabulation t;
    t.zones = {"Z1", "Z2"};
    t.zone_area = {3.0, 2.0};
    t.classes = {"a", "b", "c"};
    t.area = {{1.5, 1.0, 0.5}, {2.0, 0.0, 0.0}};
    return t;
}
}  // namespace

TEST_CASE("tabulate: apportion: largest remainders, ties to the larger part, then the earlier", "[tabulate]") {
    CHECK(apportion({1, 1, 1}, 10) == std::vector<long long>{4, 3, 3});
    CHECK(apportion({1, 2, 1}, 10) == std::vector<long long>{3, 5, 2});  // 2.5, 5, 2.5 → tie of .5: the earlier
    CHECK(apportion({0.2, 0.7, 0.1}, 7) == std::vector<long long>{1, 5, 1});  // 1.4, 4.9, 0.7 → 1, 4, 0 + 2 left
    CHECK(apportion({3, 0, 1}, 4) == std::vector<long long>{3, 0, 1});
    CHECK(apportion({0, 0}, 0) == std::vector<long long>{0, 0});
    CHECK_THROWS_AS(apportion({0, 0}, 5), InputError);
}

TEST_CASE("tabulate: 面积平差 worked by hand: 5.00 m² measured, 5.01 m² control", "[tabulate]") {
    // In units of 0.01 m² the control is 501.
    // Zones: Z1 = 3/5 × 501 = 300.6, Z2 = 2/5 × 501 = 200.4 → floors 300 + 200 = 500; the unit left goes to the
    // larger remainder (Z1): Z1 = 301, Z2 = 200.
    // Z1's cells: a = 1.5/3 × 301 = 150.5, b = 100.33, c = 50.17 → floors 150 + 100 + 50 = 300; the unit left
    // goes to the largest remainder (a, .5): a = 151, b = 100, c = 50. Z2: a = 200.
    // Adjustments (adjusted − measured as printed): a in Z1 +0.01, the rest 0. Shares: a in Z1 = 1.51/3.01 =
    // 50.17 % of the zone and 1.51/3.51 = 43.02 % of class a.
    const TabulateTable t = make_table(hand_tabulation(), AreaUnit::m2, 5.01);
    REQUIRE(t.adjusted);
    REQUIRE(t.classes == std::vector<std::string>{"a", "b", "c", "(none)"});
    CHECK(t.units[0] == std::vector<long long>{151, 100, 50, 0});
    CHECK(t.units[1] == std::vector<long long>{200, 0, 0, 0});
    CHECK(t.zone_total[0] == 3.01);
    CHECK(t.zone_total[1] == 2.0);
    CHECK(t.total == 5.01);
    CHECK(tabulate_csv(t) ==
          "zone,code,class,area_m2,pct_zone,pct_class,adjust_m2\n"
          "Z1,,a,1.51,50.17,43.02,0.01\n"
          "Z1,,b,1.00,33.22,100.00,0.00\n"
          "Z1,,c,0.50,16.61,100.00,0.00\n"
          "Z1,,(none),0.00,0.00,0.00,0.00\n"
          "Z2,,a,2.00,100.00,56.98,0.00\n"
          "Z2,,(none),0.00,0.00,0.00,0.00\n");
    // Classes as rows, zones as columns, the totals on both margins (class a: 1.51 + 2.00 = 3.51).
    const std::string md = tabulate_markdown(t);
    CHECK_THAT(md, Catch::Contains("| 代码 *code* | 地类 *class* | Z1 | Z2 | 合计 *total* |"));
    CHECK_THAT(md, Catch::Contains("|  | a | 1.51 | 2.00 | 3.51 |"));
    CHECK_THAT(md, Catch::Contains("|  | c | 0.50 | 0.00 | 0.50 |"));
    CHECK_THAT(md, Catch::Contains("|  | **合计 total** | **3.01** | **2.00** | **5.01** |"));
    CHECK(tabulate_wide_csv(t) ==
          "level,code,class,Z1_m2,Z2_m2,total_m2\n"
          ",,a,1.51,2.00,3.51\n"
          ",,b,1.00,0.00,1.00\n"
          ",,c,0.50,0.00,0.50\n"
          "未覆盖,,未被地类覆盖 (none),0.00,0.00,0.00\n"
          "合计,,合计 total,3.01,2.00,5.01\n");
    // A control below the measured total takes units away the same way: 4.99 → Z1 = 299.4 → 299,
    // Z2 = 199.6 → 199 + 1 = 200; Z1: a = 149.5 → 149, b = 99.67 → 99 + 1, c = 49.83 → 49 + 1.
    const TabulateTable down = make_table(hand_tabulation(), AreaUnit::m2, 4.99);
    CHECK(down.units[0] == std::vector<long long>{149, 100, 50, 0});
    CHECK(down.units[1] == std::vector<long long>{200, 0, 0, 0});
}

TEST_CASE("tabulate: the table without adjustment: CSV, JSON and Markdown", "[tabulate]") {
    Tabulation tab = hand_tabulation();
    tab.zone_area = {4.0, 2.0};  // Z1 has 1 m² covered by no class
    const TabulateTable t = make_table(tab, AreaUnit::m2);
    CHECK_FALSE(t.adjusted);
    CHECK(tabulate_csv(t) ==
          "zone,code,class,area_m2,pct_zone,pct_class\n"
          "Z1,,a,1.50,37.50,42.86\n"
          "Z1,,b,1.00,25.00,100.00\n"
          "Z1,,c,0.50,12.50,100.00\n"
          "Z1,,(none),1.00,25.00,100.00\n"
          "Z2,,a,2.00,100.00,57.14\n"
          "Z2,,(none),0.00,0.00,0.00\n");
    const auto j = nlohmann::json::parse(tabulate_json(t));
    CHECK(j["unit"] == "m2");
    CHECK(j["method"] == "plan");
    REQUIRE(j["rows"].size() == 6);
    CHECK(j["rows"][3]["class"] == "(none)");
    CHECK(j["rows"][3]["area"] == 1.0);
    std::vector<std::string> keys;
    for (auto it = j["rows"][0].begin(); it != j["rows"][0].end(); ++it) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    CHECK(keys == std::vector<std::string>{"area", "class", "pct_class", "pct_zone", "zone"});
    const auto adjusted = nlohmann::json::parse(tabulate_json(make_table(hand_tabulation(), AreaUnit::m2, 5.01)));
    CHECK(adjusted["rows"][0]["area"] == 1.51);
    CHECK(adjusted["rows"][0]["adjust"] == 0.01);
    CHECK(adjusted["rows"][0].contains("adjust"));
}

TEST_CASE("tabulate: adjusted tables add up exactly at every level", "[tabulate]") {
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> area(0, 5e6);
    Tabulation tab;
    for (int z = 0; z < 7; ++z) tab.zones.push_back(fmt::format("zone {}", z));
    for (int c = 0; c < 23; ++c) tab.classes.push_back(fmt::format("{:04d}", c));
    tab.area.assign(7, std::vector<double>(23, 0));
    for (int z = 0; z < 7; ++z) {
        double sum = 0;
        for (int c = 0; c < 23; ++c) sum += tab.area[z][c] = (c % 3 == z % 3) ? 0.0 : area(rng);
        tab.zone_area.push_back(sum * 1.01);
    }
    for (AreaUnit unit : {AreaUnit::ha, AreaUnit::mu, AreaUnit::km2, AreaUnit::m2}) {
        const double control = 12345.678901;  // in `unit`, more decimals than are printed
        const TabulateTable t = make_table(tab, unit, control);
        long long p = 1;
        for (int i = 0; i < t.decimals; ++i) p *= 10;
        const long long total = std::llround(control * static_cast<double>(p));
        long long all = 0;
        for (std::size_t z = 0; z < t.zones.size(); ++z) {
            long long zone = 0;
            for (long long u : t.units[z]) zone += u;
            CHECK(zone == std::llround(t.zone_total[z] * static_cast<double>(p)));
            all += zone;
        }
        CHECK(all == total);
        // The printed CSV adds up too: read the area column back as integers of the last decimal.
        const std::string csv = tabulate_csv(t);
        long long printed = 0;
        std::size_t pos = csv.find('\n') + 1;
        while (pos < csv.size()) {
            const std::size_t end = csv.find('\n', pos);
            const std::string line = csv.substr(pos, end - pos);
            std::size_t c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.find(',', c2 + 1),
                        c4 = line.find(',', c3 + 1);
            std::string a = line.substr(c3 + 1, c4 - c3 - 1);
            a.erase(std::remove(a.begin(), a.end(), '.'), a.end());
            printed += std::stoll(a);
            pos = end + 1;
        }
        CHECK(printed == total);
    }
}

TEST_CASE("tabulate: tabulate zones by hand: two zones, three class features, an uncovered remainder", "[tabulate]") {
    GeosContext ctx;
    // Z1 = 0..100 × 0..100, Z2 = 100..200 × 0..100 (10000 m² each).
    std::vector<Zone> zones;
    zones.push_back(Zone{1, nullptr, from_wkt(ctx, poly(0, 0, 100, 100)), {}});
    zones.push_back(Zone{2, nullptr, from_wkt(ctx, poly(100, 0, 200, 100)), {}});
    ZoneLayer layer(ctx, std::move(zones));
    // "paddy" 50..150 × 0..100 (5000 in each zone), "forest" 0..50 × 0..40 (2000 in Z1),
    // "forest" 150..200 × 0..100 (5000 in Z2), "paddy" outside both zones.
    const std::vector<std::pair<std::string, std::string>> classes = {{"paddy", poly(50, 0, 150, 100)},
                                                                      {"forest", poly(0, 0, 50, 40)},
                                                                      {"forest", poly(150, 0, 200, 100)},
                                                                      {"paddy", poly(300, 0, 400, 100)}};
    for (unsigned threads : {1u, 2u}) {
        std::size_t next = 0;
        FeatureSource source = [&](GeosContext& c, Feature& f) {
            if (next >= classes.size()) return false;
            f.fid = static_cast<std::int64_t>(next);
            f.geom = from_wkt(c, classes[next].second);
            ++next;
            return true;
        };
        TabulateOptions options;
        options.threads = threads;
        const Tabulation tab = tabulate(
            source, layer, Crs::from_epsg(4544), [](const Zone& z) { return fmt::format("Z{}", z.fid); },
            [&](const Feature& f) { return classes[static_cast<std::size_t>(f.fid)].first; }, options);
        REQUIRE(tab.zones == std::vector<std::string>{"Z1", "Z2"});
        REQUIRE(tab.classes == std::vector<std::string>{"forest", "paddy"});
        CHECK(tab.zone_area[0] == Approx(10000).epsilon(1e-12));
        CHECK(tab.area[0][0] == Approx(2000).epsilon(1e-12));
        CHECK(tab.area[0][1] == Approx(5000).epsilon(1e-12));
        CHECK(tab.area[1][0] == Approx(5000).epsilon(1e-12));
        CHECK(tab.area[1][1] == Approx(5000).epsilon(1e-12));
        const TabulateTable t = make_table(tab, AreaUnit::m2);
        CHECK(tabulate_csv(t) ==
              "zone,code,class,area_m2,pct_zone,pct_class\n"
              "Z1,,forest,2000.00,20.00,28.57\n"
              "Z1,,paddy,5000.00,50.00,50.00\n"
              "Z1,,(none),3000.00,30.00,100.00\n"
              "Z2,,forest,5000.00,50.00,71.43\n"
              "Z2,,paddy,5000.00,50.00,50.00\n"
              "Z2,,(none),0.00,0.00,0.00\n");
    }
}

TEST_CASE("tabulate: the class layer is read for its class field only, and the layer reads all again after",
          "[tabulate]") {
    zk::test::TempDir dir;
    for (const char* driver : {"GPKG", "ESRI Shapefile"}) {
        const std::string path = dir / (std::string(driver) == "GPKG" ? "c.gpkg" : "c.shp");
        zk::test::write_layer(path, driver, "c", 4544, wkbPolygon, {"bsm", "DLBM", "dlmc"},
                              {{poly(0, 0, 10, 10), {"1", "0101", "paddy"}}});
        Source src = Source::open(path);
        OGRLayer* layer = src.layer("");
        const Crs analysis = Crs::from_epsg(4544);
        GeosContext ctx;
        Feature f;
        {
            ReadOptions only;
            only.only_fields = std::vector<std::string>{"dlbm"};  // found as GDAL finds a field: without case
            LayerReader reader(src, layer, analysis, only);
            REQUIRE(reader.next(ctx, f));
            CHECK(std::string(f.ogr->GetFieldAsString("DLBM")) == "0101");
            CHECK_FALSE(f.ogr->IsFieldSet(f.ogr->GetFieldIndex("bsm")));
            CHECK_FALSE(f.ogr->IsFieldSet(f.ogr->GetFieldIndex("dlmc")));
            CHECK(f.geom);
        }
        LayerReader all(src, layer, analysis, {});
        REQUIRE(all.next(ctx, f));
        CHECK(std::string(f.ogr->GetFieldAsString("bsm")) == "1");
        CHECK(std::string(f.ogr->GetFieldAsString("dlmc")) == "paddy");
    }
}

TEST_CASE("tabulate: Chongzhou parcels by district: zone totals are the districts' own areas", "[tabulate][chongzhou]") {
    const std::string gpkg = std::string(ZK_SOURCE_DIR) + "/layers/chongzhou/chongzhou.gpkg";
    Source src = Source::open(gpkg);
    OGRLayer* districts = src.layer("districts");
    OGRLayer* parcels = src.layer("parcels");
    std::vector<std::string> notes;
    const Crs analysis = choose_analysis_crs({src.describe(districts), src.describe(parcels)}, std::nullopt, notes);
    // The districts' own areas, measured directly.
    std::map<std::string, Areas> own;
    {
        LayerReader reader(src, districts, analysis, {});
        GeosContext ctx;
        AreaMeter meter(analysis);
        Feature f;
        const int name = districts->GetLayerDefn()->GetFieldIndex("name");
        while (reader.next(ctx, f)) own[f.ogr->GetFieldAsString(name)] += meter.measure(ctx, f.geom.get());
    }
    REQUIRE(own.size() == 5);
    for (AreaMethod method : {AreaMethod::plan, AreaMethod::geod}) {
        std::vector<std::vector<double>> first;
        for (unsigned threads : {1u, 2u}) {
            LayerReader zone_reader(src, districts, analysis, {});
            LayerReader class_reader(src, parcels, analysis, {});
            GeosContext ctx;
            std::vector<std::int64_t> skipped;
            const ZoneLayer zones = load_zones(ctx, zone_reader, skipped);
            TabulateOptions options;
            options.method = method;
            options.threads = threads;
            const Tabulation tab =
                tabulate([&](GeosContext& c, Feature& f) { return class_reader.next(c, f); }, zones, analysis,
                         zone_key_by_field(districts->GetLayerDefn(), "name", "districts"),
                         class_key_by_field(parcels->GetLayerDefn(), "dlbm", "parcels"), options);
            REQUIRE(tab.zones.size() == 5);
            CHECK(tab.stats.a_features == 386);
            for (std::size_t z = 0; z < tab.zones.size(); ++z) {
                double classes = 0;
                for (double a : tab.area[z]) classes += a;
                const double expected = pick(own[tab.zones[z]], method);
                CHECK(tab.zone_area[z] == Approx(expected).epsilon(1e-12));
                // The parcels partition the county: the classes fill each district.
                CHECK(classes == Approx(expected).epsilon(1e-9));
            }
            if (threads == 1) first = tab.area;
            else CHECK(tab.area == first);  // bit for bit
        }
    }
}
