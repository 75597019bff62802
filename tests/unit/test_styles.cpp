// The built-in styles, and styles from the data: districts' categories from a layer's values (stable colours
// for any count), fields found in any case, the QML/SLD written for them, and the role a layer's name suggests.
#include "zonekit/base/roles.hpp"
#include "zonekit/geometry/crs.hpp"
#include "zonekit/io/gpkg_writer.hpp"
#include "zonekit/io/layer_styles.hpp"
#include "zonekit/io/palette.hpp"
#include "zonekit/io/styles.hpp"
#include "zonekit/project/project.hpp"

#include "support/gdal_read.hpp"

#include <catch2/catch.hpp>
#include <cpl_minixml.h>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>

// The rows of a GeoPackage's layer_styles table: layer name → (styleQML, styleSLD); each must be the default.
static std::map<std::string, std::pair<std::string, std::string>> default_style_rows(const std::string& path) {
    const GDALDatasetUniquePtr ds = zk::test::open_read(path);
    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    REQUIRE(styles);
    std::map<std::string, std::pair<std::string, std::string>> rows;
    for (auto& f : *styles) {
        CHECK(f->GetFieldAsInteger("useAsDefault") == 1);
        rows[f->GetFieldAsString("f_table_name")] = {f->GetFieldAsString("styleQML"), f->GetFieldAsString("styleSLD")};
    }
    return rows;
}

TEST_CASE("styles/ travels inside the library", "[styles]") {
    const auto palette = zk::embedded_file("palette.json");
    REQUIRE(palette);
    CHECK(palette->front() == '{');
    CHECK(palette->find("\"roles\"") != std::string_view::npos);
    CHECK(palette->find("天府粮仓核心示范区") != std::string_view::npos);  // UTF-8 bytes kept
    for (const char* role : {"boundary", "districts", "redline", "farmland", "urban", "parcels", "findings"}) {
        const auto qml = zk::embedded_file(std::string(role) + ".qml");
        const auto sld = zk::embedded_file(std::string(role) + ".sld");
        REQUIRE(qml);
        REQUIRE(sld);
        CHECK(qml->find("<qgis") != std::string_view::npos);
        CHECK(sld->find("StyledLayerDescriptor") != std::string_view::npos);
        CHECK(qml->back() != '\0');
    }
    CHECK_FALSE(zk::embedded_file("nonexistent.qml"));
}

// ---- Styles from the data (issue #11) ----------------------------------------------------------------------

namespace {

// Seven zone names of a made-up county, none of them the Chongzhou sample's, in no particular order.
const std::vector<std::string> seven_zones = {"生态保护区", "城镇发展区", "农田保护区", "矿产能源发展区",
                                              "乡村发展区", "生态控制区", "其他保护利用区"};
const std::vector<std::string> bundled_zones = {"天府粮仓核心示范区", "先进制造业集聚区", "城市中央活力区",
                                                "大青城古镇文旅产业区", "大熊猫国家公园（崇州）片区"};

std::tuple<int, int, int> rgb(const zk::Rgba& c) { return {c.r, c.g, c.b}; }

struct XmlDeleter {
    void operator()(CPLXMLNode* n) const { CPLDestroyXMLNode(n); }
};

// The QML's categories (value → symbol name) and the names of its symbols, read with GDAL's XML parser (a
// QML that is not well-formed XML fails the REQUIRE).
struct QmlCategories {
    std::string attr;
    std::vector<std::pair<std::string, std::string>> categories;  // value, symbol
    std::map<std::string, std::string> labels;                    // value → label
    std::set<std::string> symbols;                                // names in <symbols>
    std::map<std::string, std::string> colour;                    // symbol name → its SimpleFill "color"
};

QmlCategories parse_qml(const std::string& qml) {
    std::unique_ptr<CPLXMLNode, XmlDeleter> root(CPLParseXMLString(qml.c_str()));
    REQUIRE(root);
    const CPLXMLNode* renderer = CPLGetXMLNode(root.get(), "=qgis.renderer-v2");
    REQUIRE(renderer);
    QmlCategories out;
    out.attr = CPLGetXMLValue(renderer, "attr", "");
    CHECK(std::string(CPLGetXMLValue(renderer, "type", "")) == "categorizedSymbol");
    for (const CPLXMLNode* c = CPLGetXMLNode(renderer, "categories")->psChild; c; c = c->psNext) {
        if (c->eType != CXT_Element || std::string(c->pszValue) != "category") continue;
        out.categories.emplace_back(CPLGetXMLValue(c, "value", "?"), CPLGetXMLValue(c, "symbol", "?"));
        out.labels[CPLGetXMLValue(c, "value", "?")] = CPLGetXMLValue(c, "label", "");
    }
    for (const CPLXMLNode* s = CPLGetXMLNode(renderer, "symbols")->psChild; s; s = s->psNext) {
        if (s->eType != CXT_Element || std::string(s->pszValue) != "symbol") continue;
        const std::string name = CPLGetXMLValue(s, "name", "?");
        out.symbols.insert(name);
        if (const CPLXMLNode* layer = CPLGetXMLNode(s, "layer"))
            for (const CPLXMLNode* p = layer->psChild; p; p = p->psNext)
                if (p->eType == CXT_Element && std::string(CPLGetXMLValue(p, "k", "")) == "color")
                    out.colour[name] = CPLGetXMLValue(p, "v", "");
    }
    return out;
}

std::string colour_text(const zk::Rgba& c) { return fmt::format("{},{},{},{}", c.r, c.g, c.b, c.a); }

// An in-memory layer with string fields and no geometry.
struct MemLayer {
    GDALDatasetUniquePtr ds;
    OGRLayer* layer = nullptr;
    MemLayer(const std::vector<std::string>& fields, const std::vector<std::vector<const char*>>& rows) {
        GDALAllRegister();
        ds.reset(GetGDALDriverManager()->GetDriverByName("Memory")->Create("", 0, 0, 0, GDT_Unknown, nullptr));
        layer = ds->CreateLayer("zones", nullptr, wkbPolygon, nullptr);
        for (const auto& f : fields) {
            OGRFieldDefn fd(f.c_str(), OFTString);
            REQUIRE(layer->CreateField(&fd) == OGRERR_NONE);
        }
        for (const auto& row : rows) {
            OGRFeature f(layer->GetLayerDefn());
            for (std::size_t i = 0; i < row.size(); ++i)
                if (row[i]) f.SetField(static_cast<int>(i), row[i]);
            REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
        }
    }
};

}  // namespace

TEST_CASE("districts: a category per value of the data, distinct colours, the same for the same values",
          "[styles][districts]") {
    const zk::RoleStyle& base = zk::Palette::builtin().role("districts");
    REQUIRE(base.categories_from_data);
    REQUIRE(base.data_colours.size() >= 7);

    std::vector<std::string> values = seven_zones;
    values.push_back("城镇发展区");  // repeats and NULL-like "" do not make categories
    values.push_back("");
    const zk::RoleStyle a = base.with_values(values);
    REQUIRE(a.categories.size() == 7);
    // In sorted (byte) order, each with the next data colour, its label the value; "other" stays.
    std::vector<std::string> sorted = seven_zones;
    std::sort(sorted.begin(), sorted.end());
    std::set<std::tuple<int, int, int>> fills;
    for (std::size_t i = 0; i < 7; ++i) {
        INFO(i);
        CHECK(a.categories[i].value == sorted[i]);
        CHECK(a.categories[i].label == sorted[i]);
        REQUIRE(a.categories[i].fill);
        CHECK(*a.categories[i].fill == base.data_colours[i]);
        CHECK(a.categories[i].fill->a == 140);  // as soft as the bundled districts
        REQUIRE(a.categories[i].stroke);
        CHECK(a.categories[i].stroke->r == a.categories[i].fill->r * 65 / 100);
        fills.insert(rgb(*a.categories[i].fill));
    }
    CHECK(fills.size() == 7);
    CHECK(fills.count(rgb(*a.other.fill)) == 0);
    for (const auto& c : base.categories) CHECK(fills.count(rgb(*c.fill)) == 0);
    CHECK(a.symbol_for(std::string_view("矿产能源发展区")).value == "矿产能源发展区");
    CHECK(a.symbol_for(std::string_view("不存在的分区")).label == "其他 other");

    // The order of the features does not matter: shuffled values give the same categories.
    std::mt19937 random(11);
    for (int round = 0; round < 3; ++round) {
        std::shuffle(values.begin(), values.end(), random);
        const zk::RoleStyle b = base.with_values(values);
        REQUIRE(b.categories.size() == 7);
        for (std::size_t i = 0; i < 7; ++i) {
            CHECK(b.categories[i].value == a.categories[i].value);
            CHECK(b.categories[i].fill == a.categories[i].fill);
        }
    }

    // The bundled names keep their colours (and their order first); new names take the data colours from the
    // first, whatever bundled names are also there.
    std::vector<std::string> mixed = {"城镇发展区", "城市中央活力区", "生态保护区", "天府粮仓核心示范区"};
    const zk::RoleStyle m = base.with_values(mixed);
    REQUIRE(m.categories.size() == 4);
    CHECK(m.categories[0].value == "天府粮仓核心示范区");
    CHECK(m.categories[0].fill == zk::Rgba{238, 196, 72, 140});
    CHECK(m.categories[1].value == "城市中央活力区");
    CHECK(m.categories[1].fill == zk::Rgba{236, 112, 99, 140});
    CHECK(m.categories[2].value == "城镇发展区");  // sorted: 城镇 (U+57CE) before 生态 (U+751F)
    CHECK(m.categories[2].fill == base.data_colours[0]);
    CHECK(m.categories[3].fill == base.data_colours[1]);
    const zk::RoleStyle all = base.with_values(bundled_zones);
    REQUIRE(all.categories.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) CHECK(all.categories[i].fill == base.categories[i].fill);

    // A style without categories from the data (parcels) is unchanged.
    CHECK(zk::Palette::builtin().role("parcels").with_values({"0101"}).categories.size() ==
          zk::Palette::builtin().role("parcels").categories.size());
}

TEST_CASE("districts: any number of categories gets distinct colours, the same every time", "[styles][districts]") {
    const zk::RoleStyle& base = zk::Palette::builtin().role("districts");
    std::vector<std::string> many;
    for (int i = 0; i < 300; ++i) many.push_back(fmt::format("分区{:03}", i));
    const zk::RoleStyle s = base.with_values(many);
    REQUIRE(s.categories.size() == 300);
    std::set<std::tuple<int, int, int>> fills;
    for (const auto& c : base.categories) fills.insert(rgb(*c.fill));
    fills.insert(rgb(*base.other.fill));
    for (const auto& c : s.categories) {
        INFO(c.value);
        CHECK(fills.insert(rgb(*c.fill)).second);  // none taken twice, none a bundled or "other" colour
        CHECK(c.fill->a == 140);
    }
    CHECK(base.data_fills(300) == base.data_fills(300));
    const auto first = base.data_fills(20), more = base.data_fills(40);
    CHECK(std::equal(first.begin(), first.end(), more.begin()));  // a longer list starts with the shorter
}

TEST_CASE("districts QML and SLD: every value a category with a symbol; the bundled file byte for byte",
          "[styles][districts][qml]") {
    const zk::RoleStyle& base = zk::Palette::builtin().role("districts");
    // The generator writes what scripts/make_styles.py wrote for the five bundled names.
    const zk::RoleStyle bundled = base.with_values(bundled_zones);
    CHECK(zk::categorized_qml(bundled) == std::string(*zk::embedded_file("districts.qml")));
    CHECK(zk::categorized_sld(bundled) == std::string(*zk::embedded_file("districts.sld")));

    const zk::RoleStyle seven = base.with_values(seven_zones);
    const std::string qml = zk::categorized_qml(seven);
    const QmlCategories q = parse_qml(qml);
    CHECK(q.attr == "name");
    REQUIRE(q.categories.size() == 8);  // the seven, then "" (QGIS: every other value, NULL included)
    CHECK(q.categories.back().first == "");
    CHECK(q.labels.at("") == "其他 other");
    std::set<std::string> colours;
    for (const auto& zone : seven_zones) {
        INFO(zone);
        auto it = std::find_if(q.categories.begin(), q.categories.end(), [&](const auto& c) { return c.first == zone; });
        REQUIRE(it != q.categories.end());
        CHECK(q.labels.at(zone) == zone);
        CHECK(q.symbols.count(it->second) == 1);
        const auto& symbol = *std::find_if(seven.categories.begin(), seven.categories.end(),
                                           [&](const zk::Symbol& c) { return c.value == zone; });
        CHECK(q.colour.at(it->second) == colour_text(*symbol.fill));
        colours.insert(q.colour.at(it->second));
    }
    CHECK(colours.size() == 7);
    CHECK(qml.find("labelsEnabled=\"1\"") != std::string::npos);
    CHECK(qml.find("fieldName=\"name\"") != std::string::npos);

    const std::string sld = zk::categorized_sld(seven);
    std::unique_ptr<CPLXMLNode, XmlDeleter> doc(CPLParseXMLString(sld.c_str()));
    REQUIRE(doc);
    for (const auto& zone : seven_zones)
        CHECK(sld.find("<ogc:Literal>" + zone + "</ogc:Literal></ogc:PropertyIsEqualTo>") != std::string::npos);
    CHECK(sld.find("<ogc:PropertyIsNull>") != std::string::npos);

    // Values that XML must escape, a single category and none: still well-formed, the value kept.
    const zk::RoleStyle odd = base.with_values({"A&B <\"区\">"});
    const QmlCategories o = parse_qml(zk::categorized_qml(odd));
    REQUIRE(o.categories.size() == 2);
    CHECK(o.categories[0].first == "A&B <\"区\">");
    std::unique_ptr<CPLXMLNode, XmlDeleter> odd_sld(CPLParseXMLString(zk::categorized_sld(odd).c_str()));
    CHECK(odd_sld);
    const QmlCategories none = parse_qml(zk::categorized_qml(base.with_values({})));
    CHECK(none.categories.size() == 1);
    std::unique_ptr<CPLXMLNode, XmlDeleter> none_sld(CPLParseXMLString(zk::categorized_sld(base.with_values({})).c_str()));
    CHECK(none_sld);
}

TEST_CASE("a layer's style: its field found in any case, districts' values read from the layer",
          "[styles][districts][fields]") {
    const zk::RoleStyle& districts = zk::Palette::builtin().role("districts");
    const zk::RoleStyle& parcels = zk::Palette::builtin().role("parcels");

    // Districts named in NAME (upper case), features in any order: the seven categories, labels by NAME.
    std::vector<std::vector<const char*>> rows;
    for (auto it = seven_zones.rbegin(); it != seven_zones.rend(); ++it) rows.push_back({it->c_str(), "x"});
    rows.push_back({nullptr, "x"});
    MemLayer upper({"NAME", "code"}, rows);
    const zk::RoleStyle s = zk::layer_style(districts, *upper.layer);
    CHECK(s.field == "NAME");
    REQUIRE(s.label);
    CHECK(s.label->field == "NAME");
    REQUIRE(s.categories.size() == 7);
    const zk::RoleStyle expected = districts.with_values(seven_zones);
    for (std::size_t i = 0; i < 7; ++i) {
        CHECK(s.categories[i].value == expected.categories[i].value);
        CHECK(s.categories[i].fill == expected.categories[i].fill);
    }
    CHECK(parse_qml(zk::categorized_qml(s)).attr == "NAME");

    // No name field: a plan database's GHFQMC; else the key; else nothing (all "other").
    MemLayer ghfq({"BSM", "GHFQDM", "ghfqmc"}, {{"1", "D01", "城镇发展区"}, {"2", "D02", "生态保护区"}});
    CHECK(zk::style_field(*ghfq.layer->GetLayerDefn(), districts) == "ghfqmc");
    CHECK(zk::layer_style(districts, *ghfq.layer).categories.size() == 2);
    MemLayer keyed({"BSM", "zone"}, {{"1", "城镇发展区"}});
    CHECK(zk::style_field(*keyed.layer->GetLayerDefn(), districts, "ZONE") == "zone");
    CHECK(zk::style_field(*keyed.layer->GetLayerDefn(), districts) == "");
    MemLayer codes({"BSM", "GHFQDM"}, {{"1", "D01"}});
    CHECK(zk::style_field(*codes.layer->GetLayerDefn(), districts) == "GHFQDM");

    // Parcels by their 三调 code in any case; the QML and SLD read the layer's spelling.
    for (const char* field : {"dlbm", "DLBM", "Dlbm"}) {
        INFO(field);
        MemLayer layer({"BSM", field}, {{"1", "0101"}});
        const zk::RoleStyle p = zk::layer_style(parcels, *layer.layer);
        CHECK(p.field == field);
        CHECK(p.symbol_for(std::string_view("0101")).label == "0101 水田");
        CHECK(zk::find_field(*layer.layer->GetLayerDefn(), "dlbm") == 1);
    }
    MemLayer both({"dlbm", "DLBM2"}, {});
    CHECK(zk::find_field(*both.layer->GetLayerDefn(), "DLBM") == 0);
    CHECK(zk::find_field(*both.layer->GetLayerDefn(), "dlb") == -1);
}

TEST_CASE("layer_styles rows: districts from the layer's values, parcels' field as the layer spells it",
          "[styles][gpkg]") {
    namespace fs = std::filesystem;
    std::random_device rd;
    const fs::path dir = fs::temp_directory_path() / fmt::format("zk-styles-{:08x}", rd());
    fs::create_directories(dir);
    const std::string path = (dir / "styled.gpkg").string();
    const zk::Crs crs = zk::Crs::from_epsg(4544);
    {
        zk::GpkgWriter w(path, {});
        const int d = w.add_layer("GHFQ", crs, wkbMultiPolygon, nullptr, {{"GHFQMC", OFTString}}, "districts");
        const int p = w.add_layer("DLTB", crs, wkbMultiPolygon, nullptr, {{"DLBM", OFTString}}, "parcels");
        for (const auto& zone : seven_zones) {
            auto f = w.new_feature(d);
            f->SetField("GHFQMC", zone.c_str());
            w.write(d, *f, nullptr);
        }
        auto f = w.new_feature(p);
        f->SetField("DLBM", "0101");
        w.write(p, *f, nullptr);
        w.finish();
        CHECK(w.styled() == 2);
    }
    {
        auto rows = default_style_rows(path);
        REQUIRE(rows.count("GHFQ"));
        const QmlCategories q = parse_qml(rows["GHFQ"].first);
        CHECK(q.attr == "GHFQMC");
        CHECK(q.categories.size() == 8);
        for (const auto& zone : seven_zones) CHECK(q.labels.count(zone) == 1);
        CHECK(rows["GHFQ"].second.find("<ogc:PropertyName>GHFQMC</ogc:PropertyName>") != std::string::npos);
        REQUIRE(rows.count("DLTB"));
        const std::string& qml = rows["DLTB"].first;
        CHECK(qml.find("&quot;DLBM&quot;") != std::string::npos);
        CHECK(qml.find("&quot;dlbm&quot;") == std::string::npos);
        CHECK(rows["DLTB"].second.find("<ogc:PropertyName>DLBM</ogc:PropertyName>") != std::string::npos);
        CHECK(rows["DLTB"].second.find("<ogc:PropertyName>dlbm</ogc:PropertyName>") == std::string::npos);
        std::unique_ptr<CPLXMLNode, XmlDeleter> parsed(CPLParseXMLString(qml.c_str()));
        CHECK(parsed);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}

TEST_CASE("the role a layer's name suggests: standard codes, Chinese names, and names that suggest none",
          "[styles][roles]") {
    using zk::guess_role;
    // The plan database's codes, in any case, alone or as the start of a word.
    CHECK(guess_role("XZQ") == "boundary");
    CHECK(guess_role("XZQJX") == "boundary");
    CHECK(guess_role("xzqh") == "boundary");
    CHECK(guess_role("GHFQ") == "districts");
    CHECK(guess_role("STBHHX") == "redline");
    CHECK(guess_role("YJJBNT") == "farmland");
    CHECK(guess_role("CZKFBJ") == "urban");
    CHECK(guess_role("DLTB") == "parcels");
    CHECK(guess_role("Ghfq") == "districts");
    CHECK(guess_role("dltb") == "parcels");
    CHECK(guess_role("XZQ_510184") == "boundary");
    CHECK(guess_role("510184GHFQ") == "districts");
    CHECK(guess_role("cz_Stbhhx_2023") == "redline");
    CHECK(guess_role("YJJBNT保护图斑") == "farmland");
    CHECK(guess_role("CZKFBJ-v2") == "urban");
    CHECK(guess_role("DLTBGX") == "parcels");  // 地类图斑更新: the word starts with the code
    // Chinese names anywhere in the name, the longest one deciding.
    CHECK(guess_role("行政区") == "boundary");
    CHECK(guess_role("崇州市行政区") == "boundary");
    CHECK(guess_role("规划分区") == "districts");
    CHECK(guess_role("生态保护红线") == "redline");
    CHECK(guess_role("永久基本农田") == "farmland");
    CHECK(guess_role("城镇开发边界") == "urban");
    CHECK(guess_role("城镇开发边界线") == "urban");  // not boundary for its 边界线
    CHECK(guess_role("永久基本农田保护红线") == "farmland");  // not redline for its 红线
    CHECK(guess_role("三调地类图斑") == "parcels");
    CHECK(guess_role("河流") == "rivers");
    CHECK(guess_role("水系2020") == "rivers");
    CHECK(guess_role("古树名木") == "points");
    // What it knew before: English names (whole, less digits and separators), findings layers.
    CHECK(guess_role("districts") == "districts");
    CHECK(guess_role("districts_2035") == "districts");
    CHECK(guess_role("County") == "boundary");
    CHECK(guess_role("trees") == "points");
    CHECK(guess_role("RedLine") == "redline");
    CHECK(guess_role("no_overlap_redline_farmland") == "findings");
    CHECK(guess_role("covers_county_districts") == "findings");
    // Names that suggest nothing: a code inside a word, English words among others, unrelated names.
    CHECK(guess_role("TXZQ") == "");
    CHECK(guess_role("czghfq") == "");
    CHECK(guess_role("abcdltb") == "");
    CHECK(guess_role("county_roads") == "");
    CHECK(guess_role("roads") == "");
    CHECK(guess_role("tbl") == "");
    CHECK(guess_role("XZ") == "");
    CHECK(guess_role("") == "");
    CHECK(guess_role("2035") == "");
    CHECK(guess_role("道路") == "");
}

// ---- Siting screen (screen.gpkg): sites by verdict, the pieces of each site by the role of the plan layer ------

TEST_CASE("sites are categorized on verdict, site pieces on the plan layer's role", "[styles][screen]") {
    const auto& roles = zk::layer_roles();
    for (const char* role : {"sites", "site_pieces"}) {
        INFO(role);
        CHECK(std::find(roles.begin(), roles.end(), role) != roles.end());
        CHECK(zk::role_has_style(role));
        CHECK(zk::embedded_file(std::string(role) + ".sld"));
        CHECK_NOTHROW(zk::require_layer_role(role, "layer"));
    }
    const zk::Palette& palette = zk::Palette::builtin();
    const auto& order = palette.draw_order();
    const auto rank = [&](const char* role) { return std::find(order.begin(), order.end(), role) - order.begin(); };
    CHECK(rank("points") < rank("site_pieces"));
    CHECK(rank("site_pieces") < rank("sites"));
    CHECK(rank("sites") < rank("findings"));
    CHECK(rank("findings") + 1 == static_cast<std::ptrdiff_t>(order.size()));

    // The palette: exact values of `verdict`, labels by `id`, anything else (an "error" site, NULL) grey.
    const zk::RoleStyle& sites = palette.role("sites");
    CHECK(sites.field == "verdict");
    CHECK(sites.geometry == zk::GeometryKind::polygon);
    CHECK_FALSE(sites.categories_from_data);
    CHECK(sites.prefixes.empty());
    REQUIRE(sites.categories.size() == 3);
    CHECK(sites.symbol_for(std::string_view("forbidden")).fill == zk::Rgba{215, 25, 28, 150});
    CHECK(sites.symbol_for(std::string_view("conditional")).fill == zk::Rgba{253, 174, 97, 150});
    CHECK(sites.symbol_for(std::string_view("allowed")).fill == zk::Rgba{26, 150, 65, 150});
    CHECK(sites.symbol_for(std::string_view("forbidden")).label == "禁止 forbidden");
    CHECK(sites.symbol_for(std::string_view("conditional")).label == "有条件允许 conditional");
    CHECK(sites.symbol_for(std::string_view("allowed")).label == "允许 allowed");
    for (const auto& c : sites.categories) {
        INFO(c.value);
        REQUIRE(c.stroke);
        CHECK(c.stroke->a == 255);
        CHECK(c.stroke_width_mm == Approx(0.6));
    }
    CHECK(sites.symbol_for(std::string_view("forbidden")).stroke->r < 215);  // a darker red outline
    CHECK(&sites.symbol_for(std::string_view("error")) == &sites.other);
    CHECK(&sites.symbol_for(std::string_view("Forbidden")) == &sites.other);  // exact match
    CHECK(&sites.symbol_for(std::nullopt) == &sites.other);
    REQUIRE(sites.other.fill);
    CHECK(sites.other.fill->r == sites.other.fill->g);
    CHECK(sites.other.fill->g == sites.other.fill->b);
    REQUIRE(sites.label);
    CHECK(sites.label->field == "id");

    // The QML: a categorized renderer on verdict with the three values and QGIS's "" (every other value), each
    // with its symbol in the palette's colour; the SLD a rule per value and the complement.
    const std::string qml(*zk::embedded_file("sites.qml"));
    const QmlCategories q = parse_qml(qml);
    CHECK(q.attr == "verdict");
    REQUIRE(q.categories.size() == 4);
    CHECK(q.categories[0].first == "forbidden");
    CHECK(q.categories[1].first == "conditional");
    CHECK(q.categories[2].first == "allowed");
    CHECK(q.categories[3].first == "");
    for (const auto& [value, symbol] : q.categories) {
        INFO(value);
        CHECK(q.symbols.count(symbol) == 1);
        const zk::Symbol& s = value.empty() ? sites.other : sites.symbol_for(std::string_view(value));
        CHECK(q.colour.at(symbol) == colour_text(*s.fill));
        CHECK(q.labels.at(value) == s.label);
    }
    CHECK(qml.find("fieldName=\"id\"") != std::string::npos);
    const std::string sld(*zk::embedded_file("sites.sld"));
    std::unique_ptr<CPLXMLNode, XmlDeleter> sld_doc(CPLParseXMLString(sld.c_str()));
    CHECK(sld_doc);
    for (const char* v : {"forbidden", "conditional", "allowed"})
        CHECK(sld.find(fmt::format("<ogc:PropertyName>verdict</ogc:PropertyName><ogc:Literal>{}</ogc:Literal>", v)) !=
              std::string::npos);
    CHECK(sld.find("<ogc:PropertyIsNull><ogc:PropertyName>verdict</ogc:PropertyName>") != std::string::npos);
    CHECK(sld.find("<ogc:PropertyName>id</ogc:PropertyName>") != std::string::npos);
    // Simple fills and a label: the form the library writes, byte for byte as scripts/make_styles.py wrote it.
    CHECK(zk::categorized_qml(sites) == qml);
    CHECK(zk::categorized_sld(sites) == sld);

    // Site pieces: one category per plan role, each in the colours of that role's own style.
    const zk::RoleStyle& pieces = palette.role("site_pieces");
    CHECK(pieces.field == "role");
    const QmlCategories pq = parse_qml(std::string(*zk::embedded_file("site_pieces.qml")));
    CHECK(pq.attr == "role");
    for (const char* role : {"boundary", "districts", "redline", "farmland", "urban", "parcels"}) {
        INFO(role);
        const zk::Symbol& s = pieces.symbol_for(std::string_view(role));
        CHECK(s.value == role);
        CHECK(std::count_if(pq.categories.begin(), pq.categories.end(), [&](const auto& c) { return c.first == role; }) == 1);
    }
    for (const char* role : {"redline", "farmland", "urban"}) {
        INFO(role);
        const zk::Symbol& own = palette.role(role).symbol;
        const zk::Symbol& s = pieces.symbol_for(std::string_view(role));
        REQUIRE(s.fill);
        CHECK(rgb(*s.fill) == rgb(*own.fill));
        CHECK(s.fill->a < 255);
        CHECK(s.stroke == own.stroke);
    }
    CHECK(pieces.symbol_for(std::string_view("redline")).hatch);
    CHECK_FALSE(pieces.symbol_for(std::string_view("boundary")).fill);
    CHECK(&pieces.symbol_for(std::string_view("rivers")) == &pieces.other);
    std::unique_ptr<CPLXMLNode, XmlDeleter> pieces_sld(CPLParseXMLString(std::string(*zk::embedded_file("site_pieces.sld")).c_str()));
    CHECK(pieces_sld);
}

TEST_CASE("layer_styles rows of screen.gpkg: sites and pieces styled, their fields as the layers spell them",
          "[styles][screen][gpkg]") {
    namespace fs = std::filesystem;
    std::random_device rd;
    const fs::path dir = fs::temp_directory_path() / fmt::format("zk-styles-screen-{:08x}", rd());
    fs::create_directories(dir);
    const std::string path = (dir / "screen.gpkg").string();
    const zk::Crs crs = zk::Crs::from_epsg(4544);
    {
        zk::GpkgWriter w(path, {});
        const int s = w.add_layer("sites", crs, wkbMultiPolygon, nullptr, {{"ID", OFTString}, {"VERDICT", OFTString}},
                                  "sites");
        const int p = w.add_layer("site_pieces", crs, wkbMultiPolygon, nullptr, {{"site", OFTString}, {"role", OFTString}},
                                  "site_pieces");
        auto f = w.new_feature(s);
        f->SetField("ID", "A-1");
        f->SetField("VERDICT", "forbidden");
        w.write(s, *f, nullptr);
        auto g = w.new_feature(p);
        g->SetField("site", "A-1");
        g->SetField("role", "redline");
        w.write(p, *g, nullptr);
        w.finish();
        CHECK(w.styled() == 2);
    }
    {
        auto rows = default_style_rows(path);
        REQUIRE(rows.count("sites"));
        const QmlCategories q = parse_qml(rows["sites"].first);
        CHECK(q.attr == "VERDICT");
        CHECK(q.categories.size() == 4);
        CHECK(rows["sites"].first.find("fieldName=\"ID\"") != std::string::npos);
        CHECK(rows["sites"].second.find("<ogc:PropertyName>VERDICT</ogc:PropertyName>") != std::string::npos);
        CHECK(rows["sites"].second.find("<ogc:PropertyName>verdict</ogc:PropertyName>") == std::string::npos);
        CHECK(rows["sites"].second.find("<ogc:PropertyName>ID</ogc:PropertyName>") != std::string::npos);
        REQUIRE(rows.count("site_pieces"));
        CHECK(rows["site_pieces"].first == std::string(*zk::embedded_file("site_pieces.qml")));
        CHECK(rows["site_pieces"].second == std::string(*zk::embedded_file("site_pieces.sld")));
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}
