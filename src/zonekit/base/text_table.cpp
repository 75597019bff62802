#include "zonekit/base/text_table.hpp"

#include "zonekit/base/error.hpp"

#include <cpl_error.h>
#include <cpl_string.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace zk {

CsvEncoding parse_csv_encoding(std::string_view text) {
    std::string t(text);
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (t == "utf-8-bom" || t == "utf8-bom" || t == "bom") return CsvEncoding::utf8_bom;
    if (t == "utf-8" || t == "utf8") return CsvEncoding::utf8;
    if (t == "gbk" || t == "cp936") return CsvEncoding::gbk;
    throw InputError(fmt::format("unknown CSV encoding '{}': use utf-8-bom (for Excel, the default), utf-8 or gbk", text));
}

namespace {

std::string recode(const std::string& text, const char* from, const char* to) {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    std::unique_ptr<char, decltype(&CPLFree)> out(CPLRecode(text.c_str(), from, to), &CPLFree);
    CPLPopErrorHandler();
    return out ? std::string(out.get()) : std::string();
}

}  // namespace

std::string encode_csv(const std::string& utf8, CsvEncoding encoding, const std::string& path) {
    switch (encoding) {
    case CsvEncoding::utf8: return utf8;
    case CsvEncoding::utf8_bom: return "\xEF\xBB\xBF" + utf8;
    case CsvEncoding::gbk: break;
    }
    const std::string gbk = recode(utf8, CPL_ENC_UTF8, "GBK");
    if (recode(gbk, "GBK", CPL_ENC_UTF8) == utf8) return gbk;
    // Name the first line that does not survive the round trip.
    std::size_t start = 0;
    while (start < utf8.size()) {
        std::size_t end = utf8.find('\n', start);
        if (end == std::string::npos) end = utf8.size();
        const std::string line = utf8.substr(start, end - start);
        if (recode(recode(line, CPL_ENC_UTF8, "GBK"), "GBK", CPL_ENC_UTF8) != line)
            throw OutputError(fmt::format("'{}': GBK cannot hold a character of the line \"{}\"; write it with "
                                          "--csv-encoding utf-8-bom (Excel reads that too)",
                                          path, line));
        start = end + 1;
    }
    throw OutputError(fmt::format("'{}': the table could not be encoded in GBK; use --csv-encoding utf-8-bom", path));
}

}  // namespace zk
