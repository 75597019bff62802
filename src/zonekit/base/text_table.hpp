// Cells of the tables zonekit writes: CSV fields quoted per RFC 4180, Markdown cells escaped (| * `); and the
// encoding of a CSV file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zk {

inline std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

// One record of a CSV file: the fields quoted as needed, separated by commas, ended by CRLF (RFC 4180).
inline std::string csv_record(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
    return out + "\r\n";
}

inline std::string md_cell(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|' || c == '*' || c == '`') out += '\\', out += c;
        else if (c == '\n') out += ' ';
        else out += c;
    }
    return out;
}

// How a CSV file is encoded. Excel on a Chinese Windows reads UTF-8 only with a byte-order mark, and GBK
// (code page 936) always; scripts usually want plain UTF-8.
enum class CsvEncoding { utf8_bom, utf8, gbk };

// "utf-8-bom" (also "utf8-bom", "bom"), "utf-8" ("utf8"), "gbk" ("cp936"), any case. Throws InputError otherwise.
CsvEncoding parse_csv_encoding(std::string_view text);

// The bytes of a CSV file holding `utf8`. Throws OutputError naming `path` when GBK cannot hold a character
// of the text (the first one is named), so that nothing is written with '?' in place of a name.
std::string encode_csv(const std::string& utf8, CsvEncoding encoding, const std::string& path);

}  // namespace zk
