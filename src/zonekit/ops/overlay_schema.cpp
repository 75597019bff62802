// The names of the overlay operations, the output's attributes (which fields each side keeps, renamed where
// they clash) and the progress text: the parts of overlay.hpp around the engine (overlay.cpp).
#include "zonekit/ops/overlay.hpp"

#include "zonekit/base/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

namespace zk {

OverlayOp parse_overlay_op(std::string_view text) {
    if (text == "intersection") return OverlayOp::intersection;
    if (text == "union") return OverlayOp::union_;
    if (text == "identity") return OverlayOp::identity;
    if (text == "difference") return OverlayOp::difference;
    if (text == "symdifference" || text == "symmetric_difference") return OverlayOp::symdifference;
    if (text == "clip") return OverlayOp::clip;
    if (text == "erase") return OverlayOp::erase;
    throw InputError(fmt::format("unknown overlay operation '{}'. Use one of intersection, union, identity, "
                                 "difference, symdifference, clip, erase",
                                 text));
}

const char* overlay_op_name(OverlayOp op) {
    switch (op) {
        case OverlayOp::intersection: return "intersection";
        case OverlayOp::union_: return "union";
        case OverlayOp::identity: return "identity";
        case OverlayOp::difference: return "difference";
        case OverlayOp::symdifference: return "symdifference";
        case OverlayOp::clip: return "clip";
        case OverlayOp::erase: return "erase";
    }
    return "intersection";
}

bool keeps_both_sides(OverlayOp op) {
    return op == OverlayOp::intersection || op == OverlayOp::union_ || op == OverlayOp::identity ||
           op == OverlayOp::symdifference;
}

// ---- Attributes ----------------------------------------------------------------------------------------

KeepFields parse_keep_fields(std::string_view text) {
    KeepFields keep;
    int side = 0;  // 1 = a, 2 = b
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view token = text.substr(start, end - start);
        start = end + 1;
        while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
        while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
        if (token.size() >= 2 && (token[0] == 'a' || token[0] == 'b' || token[0] == 'A' || token[0] == 'B') &&
            token[1] == ':') {
            side = (token[0] == 'a' || token[0] == 'A') ? 1 : 2;
            (side == 1 ? keep.a_all : keep.b_all) = false;
            token.remove_prefix(2);
        }
        if (token.empty()) continue;
        if (side == 0)
            throw InputError(fmt::format("--keep-fields '{}': name the side first, e.g. a:dlbm,dlmc,b:name", text));
        (side == 1 ? keep.a : keep.b).emplace_back(token);
    }
    return keep;
}

namespace {
std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<int> kept_fields(const OGRFeatureDefn* defn, bool all, const std::vector<std::string>& names,
                             const std::string& layer) {
    std::vector<int> out;
    if (!defn) return out;
    if (all) {
        for (int i = 0; i < defn->GetFieldCount(); ++i) out.push_back(i);
        return out;
    }
    for (const auto& name : names) {
        const int i = defn->GetFieldIndex(name.c_str());
        if (i < 0)
            throw InputError(fmt::format("--keep-fields: field '{}' not found in layer '{}' (fields: {})", name, layer,
                                         field_names_of(defn)));
        if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
    }
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace

OverlaySchema::OverlaySchema(OverlayOp op, const OGRFeatureDefn* a, const OGRFeatureDefn* b, const KeepFields& keep,
                             const std::string& a_name, const std::string& b_name)
    : m_defn(new_feature_defn("overlay")) {
    m_defn->SetGeomType(wkbNone);
    const bool both = keeps_both_sides(op);
    const std::vector<int> a_fields = kept_fields(a, keep.a_all, keep.a, a_name);
    const std::vector<int> b_fields = both ? kept_fields(b, keep.b_all, keep.b, b_name) : std::vector<int>{};

    std::set<std::string> reserved = {"a_fid", "plan_m2", "ellip_m2", "geod_m2"};
    if (both) reserved.insert("b_fid");
    std::set<std::string> a_names, b_names;
    for (int i : a_fields) a_names.insert(lower(a->GetFieldDefn(i)->GetNameRef()));
    for (int i : b_fields) b_names.insert(lower(b->GetFieldDefn(i)->GetNameRef()));
    std::set<std::string> taken = reserved;

    auto add = [&](const OGRFeatureDefn* src, int i, const char* prefix, const std::set<std::string>& other,
                   const char* side, const std::string& layer, std::vector<std::pair<int, int>>& map) {
        const std::string original = src->GetFieldDefn(i)->GetNameRef();
        std::string name = original;
        const bool clash = other.count(lower(name)) > 0 || reserved.count(lower(name)) > 0;
        if (clash) name = prefix + original;
        for (int n = 2; taken.count(lower(name)); ++n) name = fmt::format("{}{}_{}", clash ? prefix : "", original, n);
        if (name != original)
            m_renames.push_back(fmt::format("field '{}' of {} ('{}') is written as '{}'{}", original, side, layer, name,
                                            other.count(lower(original)) ? " (both layers have it)"
                                                                         : " (the name is taken)"));
        taken.insert(lower(name));
        OGRFieldDefn fd(src->GetFieldDefn(i));
        fd.SetName(name.c_str());
        m_defn->AddFieldDefn(&fd);
        map.emplace_back(i, m_defn->GetFieldCount() - 1);
    };
    for (int i : a_fields) add(a, i, "a_", b_names, "A", a_name, m_a_map);
    for (int i : b_fields) add(b, i, "b_", a_names, "B", b_name, m_b_map);
    OGRFieldDefn a_fid("a_fid", OFTInteger64);
    m_defn->AddFieldDefn(&a_fid);
    m_a_fid = m_defn->GetFieldCount() - 1;
    if (both) {
        OGRFieldDefn b_fid("b_fid", OFTInteger64);
        m_defn->AddFieldDefn(&b_fid);
        m_b_fid = m_defn->GetFieldCount() - 1;
    }
}

OGRFeatureUniquePtr OverlaySchema::make(const OverlayPiece& piece) const {
    OGRFeatureUniquePtr f(new OGRFeature(m_defn.get()));
    if (piece.a) {
        if (const OGRFeature* src = piece.a->ogr.get())
            for (auto [from, to] : m_a_map)
                if (src->IsFieldSetAndNotNull(from)) f->SetField(to, src->GetRawFieldRef(from));
        f->SetField(m_a_fid, static_cast<GIntBig>(piece.a->fid));
    }
    if (piece.b && m_b_fid >= 0) {
        if (const OGRFeature* src = piece.b->ogr.get())
            for (auto [from, to] : m_b_map)
                if (src->IsFieldSetAndNotNull(from)) f->SetField(to, src->GetRawFieldRef(from));
        f->SetField(m_b_fid, static_cast<GIntBig>(piece.b->fid));
    }
    return f;
}

std::string progress_text(double from, double to) {
    auto tick = [](double x) { return x < 0 ? -1 : static_cast<int>(std::floor(std::min(1.0, x) * 40.0 + 1e-9)); };
    std::string out;
    for (int k = tick(from) + 1; k <= tick(to); ++k) {
        if (k % 4 == 0) out += std::to_string(k / 4 * 10);
        else out += ".";
        if (k == 40) out += " - done.\n";
    }
    return out;
}

}  // namespace zk
