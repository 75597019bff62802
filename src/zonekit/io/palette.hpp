// The map styles of styles/palette.json, typed: per layer role a single symbol or categories chosen by a field
// (exact value, then prefix, then "other"), the role's title, its geometry, labels, and the stacking order.
// The same colours are in styles/<role>.qml and .sld (scripts/make_styles.py writes all three).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

struct Rgba {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;  // a = 255 opaque
    bool operator==(const Rgba&) const = default;
};

struct Hatch {
    Rgba color;
    double angle_deg = 45;   // counter-clockwise from the x axis
    double spacing_mm = 2;
    double width_mm = 0.25;
};

struct Marker {
    std::string shape = "circle";  // circle, square, triangle, diamond, cross (QGIS/SLD names)
    double size_mm = 2.5;          // diameter
};

// How one feature is drawn. A colour that is absent is not drawn.
struct Symbol {
    std::string value;   // the field value (categories) or prefix (prefixes); "" for single symbols / other
    std::string label;   // legend text
    std::optional<Rgba> fill;
    std::optional<Rgba> stroke;
    double stroke_width_mm = 0.26;
    std::vector<double> dash_mm;   // dash, gap, …; empty = solid
    std::optional<Hatch> hatch;
    std::optional<Marker> marker;  // for points; absent: a default circle
};

struct LabelStyle {
    std::string field;
    std::string font = "Noto Sans CJK SC";
    double size_pt = 10;
    bool bold = false;
    Rgba color;
    Rgba halo{255, 255, 255, 255};
    double halo_mm = 0.8;
};

enum class GeometryKind { polygon, line, point };

struct RoleStyle {
    std::string role;
    std::string title;             // e.g. "规划分区 planning districts"
    GeometryKind geometry = GeometryKind::polygon;
    std::string field;             // "" = one symbol for every feature
    Symbol symbol;                 // when field is empty
    std::vector<Symbol> categories;  // exact values
    std::vector<Symbol> prefixes;    // then the value's start (e.g. "01" for 0103 and 0101K)
    Symbol other;                    // then anything else, NULL included
    std::optional<LabelStyle> label;
    // Categories from the data (districts): a layer's style has one category per value of its field (see
    // with_values); `categories` are then the colours of values known in advance.
    bool categories_from_data = false;
    // The fills of values that `categories` do not name, in their sorted order ("data_colours"); more values
    // get generated colours (data_fills).
    std::vector<Rgba> data_colours;

    bool categorized() const { return !field.empty(); }
    // The symbol for a feature whose `field` holds `value` (nullopt = NULL); the single symbol when the role
    // is not categorized.
    const Symbol& symbol_for(const std::optional<std::string_view>& value) const;
    // This style with exactly one category per distinct value of `values` (any order, repeats allowed; "" is
    // left to `other`, as QGIS's empty category holds everything unmatched): first the values that
    // `categories` name, with their symbols, in the palette's order; then the others in sorted (byte) order,
    // the i-th with fill data_fills(i) (alpha and outline width of `other`, outline 0.65 × the fill). The
    // same values give the same style whatever their order. For a style without categories_from_data, a copy.
    RoleStyle with_values(std::vector<std::string> values) const;
    // The first `n` fills of values the categories do not name: data_colours, then colours at golden-angle
    // (137.5°) hue steps, each different from every earlier one and from the categories' and other's fills.
    std::vector<Rgba> data_fills(std::size_t n) const;
};

class Palette {
public:
    // Parses palette.json text. `origin` names it in messages. Throws InputError on a missing or mistyped
    // member, naming the role and the member.
    static Palette parse(std::string_view json, const std::string& origin);
    // The palette built into the library (styles/palette.json).
    static const Palette& builtin();

    const std::vector<RoleStyle>& roles() const { return m_roles; }
    // The role's style, or nullptr.
    const RoleStyle* find(std::string_view role) const;
    // The role's style; throws InputError listing the roles when it is unknown.
    const RoleStyle& role(std::string_view role) const;
    // Bottom to top.
    const std::vector<std::string>& draw_order() const { return m_draw_order; }
    // The role's place in the stack (lower = drawn first): its position in draw_order; a role that is not
    // listed (or "") goes just below "findings", or on top when findings are not listed.
    int draw_rank(std::string_view role) const;
    // The style for role `role` and attribute value `value`.
    const Symbol& style_for(std::string_view role, const std::optional<std::string_view>& value) const {
        return this->role(role).symbol_for(value);
    }

private:
    std::vector<RoleStyle> m_roles;
    std::vector<std::string> m_draw_order;
};

// The style of a layer that has no role: neutral grey, for any geometry.
const RoleStyle& neutral_style();

}  // namespace zk
