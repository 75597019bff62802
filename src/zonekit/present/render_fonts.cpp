// Fonts: the map's family checked with fontconfig before anything is drawn.
#include "zonekit/present/render_internal.hpp"

#include "zonekit/base/error.hpp"

#include <fmt/format.h>
#include <fontconfig/fontconfig.h>
#include <strings.h>

#include <mutex>

namespace zk::render_detail {

// The family fontconfig gives for `family`, and whether it is that family (and not a substitute).
static bool font_installed(const std::string& family, std::string& matched) {
    static std::mutex mutex;
    const std::lock_guard<std::mutex> lock(mutex);
    FcPattern* pattern = FcPatternCreate();
    if (!pattern) return false;
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcPattern* match = FcFontMatch(nullptr, pattern, &result);
    FcPatternDestroy(pattern);
    if (!match) return false;
    bool same = false;
    FcChar8* name = nullptr;
    for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &name) == FcResultMatch; ++i) {
        const char* s = reinterpret_cast<const char*>(name);
        if (i == 0) matched = s;
        if (strcasecmp(s, family.c_str()) == 0) same = true;
    }
    FcPatternDestroy(match);
    return same;
}

void require_font(const std::string& family) {
    std::string matched;
    if (font_installed(family, matched)) return;
    throw OutputError(fmt::format(
        "the font '{}' is not installed{}: Chinese text would be drawn as empty boxes. Install Debian's "
        "fonts-noto-cjk (scripts/setup.sh does: sudo apt-get install fonts-noto-cjk)",
        family, matched.empty() ? "" : fmt::format(" (fontconfig offers '{}' instead)", matched)));
}

}  // namespace zk::render_detail
