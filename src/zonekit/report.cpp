#include "zonekit/report.hpp"

#include <fmt/format.h>

#include <sstream>
#include <string_view>
#include <vector>

namespace zk {

std::string html_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

namespace {

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

// **bold** and `code` inside escaped text.
std::string inline_html(std::string_view text) {
    std::string out;
    bool bold = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '`') {
            const auto end = text.find('`', i + 1);
            if (end != std::string_view::npos) {
                out += "<code>" + html_escape(std::string(text.substr(i + 1, end - i - 1))) + "</code>";
                i = end;
                continue;
            }
        }
        if (text.substr(i, 2) == "**") {
            out += bold ? "</strong>" : "<strong>";
            bold = !bold;
            ++i;
            continue;
        }
        out += html_escape(std::string(1, text[i]));
    }
    if (bold) out += "</strong>";
    return out;
}

std::vector<std::string> table_cells(std::string_view line) {
    line = trim(line);
    if (!line.empty() && line.front() == '|') line.remove_prefix(1);
    if (!line.empty() && line.back() == '|') line.remove_suffix(1);
    std::vector<std::string> cells;
    std::string cell;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
            cell += '|';
            ++i;
        } else if (line[i] == '|') {
            cells.emplace_back(trim(cell));
            cell.clear();
        } else {
            cell += line[i];
        }
    }
    cells.emplace_back(trim(cell));
    return cells;
}

bool is_separator_row(std::string_view line) {
    line = trim(line);
    if (line.empty() || line.front() != '|') return false;
    for (char c : line)
        if (c != '|' && c != '-' && c != ':' && c != ' ') return false;
    return line.find('-') != std::string_view::npos;
}

const char* css = R"(body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;max-width:72rem;
margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{border-bottom:2px solid #444}h2{border-bottom:1px solid #bbb;margin-top:2rem}
table{border-collapse:collapse;margin:0.8rem 0;font-size:0.9rem}th,td{border:1px solid #ccc;padding:0.2rem 0.5rem}
th{background:#f0f0f0}tr:nth-child(even) td{background:#fafafa}td.r,th.r{text-align:right}td.c,th.c{text-align:center}
code{background:#f3f3f3;padding:0 0.2rem}figure{margin:1rem 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}
.scroll{overflow-x:auto})";

}  // namespace

std::string markdown_to_html(const std::string& markdown, const std::string& title,
                             const std::map<std::string, std::string>& inline_svg) {
    std::vector<std::string> lines;
    {
        std::istringstream in(markdown);
        std::string line;
        while (std::getline(in, line)) lines.push_back(line);
    }
    std::string body;
    std::string paragraph;
    bool in_list = false;
    auto flush_paragraph = [&] {
        if (!paragraph.empty()) body += "<p>" + inline_html(paragraph) + "</p>\n";
        paragraph.clear();
    };
    auto close_list = [&] {
        if (in_list) body += "</ul>\n";
        in_list = false;
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = trim(lines[i]);
        if (line.empty()) {
            flush_paragraph();
            close_list();
            continue;
        }
        if (line.front() == '#') {
            std::size_t level = 0;
            while (level < line.size() && line[level] == '#') ++level;
            if (level <= 6 && level < line.size() && line[level] == ' ') {
                flush_paragraph();
                close_list();
                body += fmt::format("<h{0}>{1}</h{0}>\n", level, inline_html(trim(line.substr(level))));
                continue;
            }
        }
        if (line.substr(0, 2) == "![" && line.back() == ')') {
            const auto mid = line.find("](");
            if (mid != std::string_view::npos) {
                flush_paragraph();
                close_list();
                const std::string alt(line.substr(2, mid - 2));
                const std::string src(line.substr(mid + 2, line.size() - mid - 3));
                const auto svg = inline_svg.find(src);
                if (svg != inline_svg.end()) {
                    std::string_view doc = svg->second;
                    if (doc.substr(0, 5) == "<?xml") doc.remove_prefix(std::min(doc.size(), doc.find("?>") + 2));
                    body += "<figure>\n" + std::string(trim(doc)) + "\n<figcaption>" + inline_html(alt) +
                            "</figcaption></figure>\n";
                } else {
                    body += fmt::format("<figure><img src=\"{}\" alt=\"{}\"></figure>\n", html_escape(src),
                                        html_escape(alt));
                }
                continue;
            }
        }
        if (line.substr(0, 2) == "- ") {
            flush_paragraph();
            if (!in_list) body += "<ul>\n";
            in_list = true;
            body += "<li>" + inline_html(line.substr(2)) + "</li>\n";
            continue;
        }
        if (line.front() == '|' && i + 1 < lines.size() && is_separator_row(lines[i + 1])) {
            flush_paragraph();
            close_list();
            const auto header = table_cells(line);
            const auto seps = table_cells(lines[i + 1]);
            std::vector<std::string> align;
            for (const auto& s : seps) {
                const bool left = !s.empty() && s.front() == ':', right = !s.empty() && s.back() == ':';
                align.push_back(right && left ? " class=\"c\"" : right ? " class=\"r\"" : "");
            }
            auto cls = [&align](std::size_t k) { return k < align.size() ? align[k] : std::string(); };
            body += "<div class=\"scroll\"><table>\n<thead><tr>";
            for (std::size_t k = 0; k < header.size(); ++k) body += "<th" + cls(k) + ">" + inline_html(header[k]) + "</th>";
            body += "</tr></thead>\n<tbody>\n";
            i += 2;
            for (; i < lines.size() && !trim(lines[i]).empty() && trim(lines[i]).front() == '|'; ++i) {
                const auto cells = table_cells(lines[i]);
                body += "<tr>";
                for (std::size_t k = 0; k < cells.size(); ++k) body += "<td" + cls(k) + ">" + inline_html(cells[k]) + "</td>";
                body += "</tr>\n";
            }
            --i;
            body += "</tbody></table></div>\n";
            continue;
        }
        close_list();
        if (!paragraph.empty()) paragraph += ' ';
        paragraph += line;
    }
    flush_paragraph();
    close_list();
    return fmt::format("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n"
                       "<style>\n{}\n</style>\n</head>\n<body>\n{}</body>\n</html>\n",
                       html_escape(title), css, body);
}

}  // namespace zk
