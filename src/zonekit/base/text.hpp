// Text that must be UTF-8 (JSON): paths and names that are not, e.g. a directory named in GBK bytes.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace zk {

// `s` with its ASCII letters in lower case (other bytes as they are): names compared as DBF readers and
// case-insensitive file systems compare them.
std::string ascii_lower(std::string s);

// `s` itself when it is valid UTF-8 (as JSON requires: no overlong forms, no surrogates); otherwise each byte
// that is not part of a valid sequence written as the text \xNN (e.g. "\xb2\xe2/a.geojson"), the rest kept.
std::string escape_non_utf8(std::string_view s);

// Every string in a JSON document (values and object keys), through escape_non_utf8.
template <class Json>
void escape_non_utf8_strings(Json& j) {
    if (j.is_string()) {
        const auto& s = j.template get_ref<const typename Json::string_t&>();
        std::string escaped = escape_non_utf8(s);
        if (escaped != s) j = std::move(escaped);
    } else if (j.is_array()) {
        for (auto& v : j) escape_non_utf8_strings(v);
    } else if (j.is_object()) {
        bool keys_ok = true;
        for (auto it = j.begin(); it != j.end(); ++it) {
            keys_ok = keys_ok && escape_non_utf8(it.key()) == it.key();
            escape_non_utf8_strings(it.value());
        }
        if (!keys_ok) {
            Json fixed = Json::object();
            for (auto it = j.begin(); it != j.end(); ++it) fixed[escape_non_utf8(it.key())] = std::move(it.value());
            j = std::move(fixed);
        }
    }
}

// A JSON document as text (indented by 2, with a final newline): strings that are not UTF-8 escaped as above,
// and anything left that is not UTF-8 replaced (U+FFFD) rather than thrown (nlohmann's type_error 316).
template <class Json>
std::string json_text(Json j) {
    escape_non_utf8_strings(j);
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace zk
