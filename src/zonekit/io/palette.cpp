#include "zonekit/io/palette.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/io/styles.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace zk {

namespace {

using nlohmann::json;

class Reader {
public:
    explicit Reader(std::string origin) : m_origin(std::move(origin)) {}

    [[noreturn]] void fail(const std::string& where, const std::string& what) const {
        throw InputError(fmt::format("palette '{}': {}: {}", m_origin, where, what));
    }

    const json& member(const json& obj, const char* key, const std::string& where) const {
        auto it = obj.find(key);
        if (it == obj.end()) fail(where, fmt::format("'{}' is missing", key));
        return *it;
    }

    std::string string(const json& obj, const char* key, const std::string& where, bool required = true) const {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) {
            if (required) fail(where, fmt::format("'{}' is missing", key));
            return {};
        }
        if (!it->is_string()) fail(where, fmt::format("'{}' must be a string", key));
        return it->get<std::string>();
    }

    double number(const json& obj, const char* key, const std::string& where, double fallback) const {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) return fallback;
        if (!it->is_number()) fail(where, fmt::format("'{}' must be a number", key));
        const double v = it->get<double>();
        if (!(v >= 0)) fail(where, fmt::format("'{}' must not be negative", key));
        return v;
    }

    std::optional<Rgba> colour(const json& obj, const char* key, const std::string& where) const {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) return std::nullopt;
        if (!it->is_array() || it->size() != 4)
            fail(where, fmt::format("'{}' must be [r, g, b, a] with values 0-255, or null", key));
        std::uint8_t c[4];
        for (std::size_t i = 0; i < 4; ++i) {
            const json& v = (*it)[i];
            if (!v.is_number_integer() || v.get<int>() < 0 || v.get<int>() > 255)
                fail(where, fmt::format("'{}' must be [r, g, b, a] with values 0-255, or null", key));
            c[i] = static_cast<std::uint8_t>(v.get<int>());
        }
        return Rgba{c[0], c[1], c[2], c[3]};
    }

    Symbol symbol(const json& obj, const std::string& where, bool with_value) const {
        if (!obj.is_object()) fail(where, "must be an object");
        Symbol s;
        if (with_value) {
            s.value = string(obj, "value", where);
            s.label = string(obj, "label", where);
        }
        s.fill = colour(obj, "fill", where);
        s.stroke = colour(obj, "stroke", where);
        s.stroke_width_mm = number(obj, "stroke_width_mm", where, 0.26);
        if (auto it = obj.find("dash_mm"); it != obj.end() && !it->is_null()) {
            if (!it->is_array()) fail(where, "'dash_mm' must be a list of millimetres");
            for (const json& d : *it) {
                if (!d.is_number() || !(d.get<double>() >= 0)) fail(where, "'dash_mm' must be a list of millimetres");
                s.dash_mm.push_back(d.get<double>());
            }
        }
        if (auto it = obj.find("hatch"); it != obj.end() && !it->is_null()) {
            const std::string w = where + " hatch";
            if (!it->is_object()) fail(w, "must be an object");
            Hatch h;
            auto c = colour(*it, "color", w);
            if (!c) fail(w, "'color' is missing");
            h.color = *c;
            auto a = it->find("angle");
            if (a != it->end() && !a->is_number()) fail(w, "'angle' must be a number of degrees");
            if (a != it->end()) h.angle_deg = a->get<double>();
            h.spacing_mm = number(*it, "spacing_mm", w, 2.0);
            h.width_mm = number(*it, "width_mm", w, 0.25);
            if (!(h.spacing_mm > 0)) fail(w, "'spacing_mm' must be positive");
            s.hatch = h;
        }
        if (auto it = obj.find("marker"); it != obj.end() && !it->is_null()) {
            const std::string w = where + " marker";
            if (!it->is_object()) fail(w, "must be an object");
            Marker m;
            m.shape = string(*it, "shape", w, false);
            if (m.shape.empty()) m.shape = "circle";
            m.size_mm = number(*it, "size_mm", w, 2.5);
            s.marker = m;
        }
        return s;
    }

private:
    std::string m_origin;
};

}  // namespace

const Symbol& RoleStyle::symbol_for(const std::optional<std::string_view>& value) const {
    if (!categorized()) return symbol;
    if (!value) return other;
    for (const auto& c : categories)
        if (c.value == *value) return c;
    for (const auto& p : prefixes)
        if (!p.value.empty() && value->substr(0, p.value.size()) == p.value) return p;
    return other;
}

namespace {

// HSL (h in degrees, s and l in 0…1) to RGB.
Rgba from_hsl(double h, double s, double l, std::uint8_t alpha) {
    const double c = (1 - std::abs(2 * l - 1)) * s;
    const double hp = std::fmod(h, 360.0) / 60.0;
    const double x = c * (1 - std::abs(std::fmod(hp, 2.0) - 1));
    double r = 0, g = 0, b = 0;
    if (hp < 1) r = c, g = x;
    else if (hp < 2) r = x, g = c;
    else if (hp < 3) g = c, b = x;
    else if (hp < 4) g = x, b = c;
    else if (hp < 5) r = x, b = c;
    else r = c, b = x;
    const double m = l - c / 2;
    auto byte = [](double v) { return static_cast<std::uint8_t>(std::clamp(std::lround(v * 255), 0L, 255L)); };
    return {byte(r + m), byte(g + m), byte(b + m), alpha};
}

bool same_rgb(const Rgba& a, const Rgba& b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

}  // namespace

std::vector<Rgba> RoleStyle::data_fills(std::size_t n) const {
    const std::uint8_t alpha = other.fill ? other.fill->a : 255;
    std::vector<Rgba> used;
    for (const auto& c : categories)
        if (c.fill) used.push_back(*c.fill);
    if (other.fill) used.push_back(*other.fill);
    std::vector<Rgba> out;
    for (std::size_t i = 0; i < n && i < data_colours.size(); ++i) {
        out.push_back(data_colours[i]);
        out.back().a = alpha;
        used.push_back(out.back());
    }
    // Then hues 137.5° apart (the golden angle: each new hue falls in the widest gap left), soft like the
    // palette's, at three lightnesses in turn; a colour already taken is skipped.
    constexpr double golden_angle = 137.50776405003785;
    constexpr double lightness[] = {0.62, 0.5, 0.74};
    for (std::size_t k = 0; out.size() < n; ++k) {
        const Rgba c = from_hsl(15 + static_cast<double>(k) * golden_angle, 0.55, lightness[k % 3], alpha);
        if (std::any_of(used.begin(), used.end(), [&](const Rgba& u) { return same_rgb(u, c); })) continue;
        out.push_back(c);
        used.push_back(c);
    }
    return out;
}

RoleStyle RoleStyle::with_values(std::vector<std::string> values) const {
    RoleStyle out = *this;
    if (!categories_from_data || !categorized()) return out;
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    values.erase(std::remove(values.begin(), values.end(), std::string()), values.end());
    out.categories.clear();
    std::vector<const std::string*> others;
    for (const auto& c : categories)
        if (std::binary_search(values.begin(), values.end(), c.value)) out.categories.push_back(c);
    for (const auto& v : values)
        if (std::none_of(categories.begin(), categories.end(), [&](const Symbol& c) { return c.value == v; }))
            others.push_back(&v);
    const std::vector<Rgba> fills = data_fills(others.size());
    for (std::size_t i = 0; i < others.size(); ++i) {
        Symbol s;
        s.value = *others[i];
        s.label = *others[i];
        s.fill = fills[i];
        const Rgba& f = fills[i];
        auto dark = [](std::uint8_t v) { return static_cast<std::uint8_t>(v * 65 / 100); };
        s.stroke = Rgba{dark(f.r), dark(f.g), dark(f.b), 255};
        s.stroke_width_mm = other.stroke_width_mm;
        out.categories.push_back(std::move(s));
    }
    return out;
}

Palette Palette::parse(std::string_view text, const std::string& origin) {
    const Reader r(origin);
    json doc;
    try {
        doc = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
        throw InputError(fmt::format("palette '{}' is not valid JSON: {}", origin, e.what()));
    }
    if (!doc.is_object()) r.fail("top level", "must be an object");
    Palette p;
    const json& order = r.member(doc, "draw_order", "top level");
    if (!order.is_array()) r.fail("draw_order", "must be a list of roles");
    for (const json& o : order) {
        if (!o.is_string()) r.fail("draw_order", "must be a list of roles");
        p.m_draw_order.push_back(o.get<std::string>());
    }
    const json& roles = r.member(doc, "roles", "top level");
    if (!roles.is_object()) r.fail("roles", "must be an object of role: style");
    for (const auto& [name, obj] : roles.items()) {
        const std::string where = fmt::format("role '{}'", name);
        if (!obj.is_object()) r.fail(where, "must be an object");
        RoleStyle role;
        role.role = name;
        role.title = r.string(obj, "title", where);
        const std::string geometry = r.string(obj, "geometry", where, false);
        if (geometry.empty() || geometry == "polygon") role.geometry = GeometryKind::polygon;
        else if (geometry == "line") role.geometry = GeometryKind::line;
        else if (geometry == "point") role.geometry = GeometryKind::point;
        else r.fail(where, fmt::format("geometry '{}' is not polygon, line or point", geometry));
        role.field = r.string(obj, "field", where, false);
        if (role.categorized()) {
            const json& cats = r.member(obj, "categories", where);
            if (!cats.is_array()) r.fail(where, "'categories' must be a list");
            std::size_t i = 0;
            for (const json& c : cats)
                role.categories.push_back(r.symbol(c, fmt::format("{} category {}", where, ++i), true));
            if (auto it = obj.find("prefixes"); it != obj.end()) {
                if (!it->is_array()) r.fail(where, "'prefixes' must be a list");
                i = 0;
                for (const json& c : *it)
                    role.prefixes.push_back(r.symbol(c, fmt::format("{} prefix {}", where, ++i), true));
            }
            role.other = r.symbol(r.member(obj, "other", where), where + " other", true);
            if (auto it = obj.find("categories_from_data"); it != obj.end() && !it->is_null()) {
                if (!it->is_boolean()) r.fail(where, "'categories_from_data' must be true or false");
                role.categories_from_data = it->get<bool>();
            }
            if (auto it = obj.find("data_colours"); it != obj.end() && !it->is_null()) {
                if (!it->is_array()) r.fail(where, "'data_colours' must be a list of [r, g, b, a]");
                for (std::size_t k = 0; k < it->size(); ++k) {
                    const json wrap = {{"c", (*it)[k]}};
                    auto c = r.colour(wrap, "c", fmt::format("{} data colour {}", where, k + 1));
                    if (!c) r.fail(where, "'data_colours' must be a list of [r, g, b, a]");
                    role.data_colours.push_back(*c);
                }
            }
        } else {
            role.symbol = r.symbol(obj, where, false);
            role.symbol.label = role.title;
        }
        if (auto it = obj.find("label"); it != obj.end() && !it->is_null()) {
            const std::string w = where + " label";
            if (!it->is_object()) r.fail(w, "must be an object");
            LabelStyle l;
            l.field = r.string(*it, "field", w);
            l.font = r.string(*it, "font", w, false);
            if (l.font.empty()) l.font = "Noto Sans CJK SC";
            l.size_pt = r.number(*it, "size_pt", w, 10);
            if (auto b = it->find("bold"); b != it->end()) {
                if (!b->is_boolean()) r.fail(w, "'bold' must be true or false");
                l.bold = b->get<bool>();
            }
            if (auto c = r.colour(*it, "color", w)) l.color = *c;
            if (auto c = r.colour(*it, "halo", w)) l.halo = *c;
            else l.halo.a = 0;
            l.halo_mm = r.number(*it, "halo_mm", w, 0.8);
            role.label = l;
        }
        p.m_roles.push_back(std::move(role));
    }
    for (const auto& o : p.m_draw_order)
        if (!p.find(o)) r.fail("draw_order", fmt::format("names '{}', which has no style in 'roles'", o));
    return p;
}

const Palette& Palette::builtin() {
    static const Palette palette = [] {
        const auto text = embedded_file("palette.json");
        if (!text) throw InputError("the built-in styles hold no palette.json (a broken build: re-run cmake)");
        return parse(*text, "palette.json (built in)");
    }();
    return palette;
}

const RoleStyle* Palette::find(std::string_view name) const {
    for (const auto& r : m_roles)
        if (r.role == name) return &r;
    return nullptr;
}

const RoleStyle& Palette::role(std::string_view name) const {
    if (const RoleStyle* r = find(name)) return *r;
    std::string list;
    for (const auto& r : m_roles) list += (list.empty() ? "" : ", ") + r.role;
    throw InputError(fmt::format("unknown role '{}' (roles: {})", name, list));
}

int Palette::draw_rank(std::string_view name) const {
    auto at = [this](std::string_view n) {
        return static_cast<int>(std::find(m_draw_order.begin(), m_draw_order.end(), n) - m_draw_order.begin());
    };
    const int n = static_cast<int>(m_draw_order.size());
    if (const int i = at(name); i < n) return 2 * i;
    if (const int f = at("findings"); f < n) return 2 * f - 1;
    return 2 * n;
}

const RoleStyle& neutral_style() {
    static const RoleStyle style = [] {
        RoleStyle s;
        s.title = "";
        s.symbol.fill = Rgba{200, 200, 200, 110};
        s.symbol.stroke = Rgba{100, 100, 100, 255};
        s.symbol.stroke_width_mm = 0.3;
        s.symbol.marker = Marker{"circle", 2.2};
        return s;
    }();
    return style;
}

}  // namespace zk
