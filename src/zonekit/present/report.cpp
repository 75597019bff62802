#include "zonekit/present/report.hpp"

#include <fmt/format.h>

#include <cctype>
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

// **bold**, *English in small type* (<em>), `code` and [links](to) inside escaped text; \* \` \| are the
// characters themselves.
// A link whose target is a figure of the page goes to the figure (`figures`: the inlined pictures' names).
using Figures = std::map<std::string, std::string>;

std::string figure_id(const std::string& name) {
    std::string id = "fig-";
    for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
    return id;
}

std::string inline_html(std::string_view text, const Figures* figures = nullptr) {
    std::string out;
    bool bold = false, em = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '*' || text[i + 1] == '`' || text[i + 1] == '|')) {
            out += text[++i];
            continue;
        }
        if (text[i] == '[') {  // [label](target)
            const auto mid = text.find("](", i);
            const auto end = mid == std::string_view::npos ? mid : text.find(')', mid);
            if (end != std::string_view::npos && text.find(']', i) == mid) {
                const std::string target(text.substr(mid + 2, end - mid - 2));
                const bool figure = figures && figures->count(target);
                out += "<a href=\"" + html_escape(figure ? "#" + figure_id(target) : target) + "\">" +
                       inline_html(text.substr(i + 1, mid - i - 1), figures) + "</a>";
                i = end;
                continue;
            }
        }
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
        if (text[i] == '*') {
            out += em ? "</em>" : "<em>";
            em = !em;
            continue;
        }
        out += html_escape(std::string(1, text[i]));
    }
    if (em) out += "</em>";
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
em{font-style:normal;font-size:0.78em;color:#666}
table{border-collapse:collapse;margin:0.8rem 0;font-size:0.9rem}th,td{border:1px solid #ccc;padding:0.2rem 0.5rem}
th{background:#f0f0f0}tr:nth-child(even) td{background:#fafafa}td.r,th.r{text-align:right}td.c,th.c{text-align:center}
td code{word-break:break-all}
code{background:#f3f3f3;padding:0 0.2rem}figure{margin:1rem 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}
figure svg.zk-map{cursor:grab}.zk-tools{font-size:0.8rem;color:#555;margin:0.2rem 0 1rem}
.scroll{overflow-x:auto}
@media print{@page{size:A4;margin:12mm 10mm}body{max-width:none;margin:0;padding:0;font-size:9pt;line-height:1.3}
h1{font-size:16pt}h2{font-size:12pt;margin-top:1rem;break-after:avoid}h3{font-size:10pt;break-after:avoid}
.scroll{overflow:visible}table{width:100%;font-size:6.5pt;margin:0.3rem 0}th,td{padding:1px 2px;overflow-wrap:anywhere}
tr{break-inside:avoid}figure{break-inside:avoid}figure svg{max-height:170mm}.zk-tools{display:none}})";

// Pan (drag), zoom (wheel, about the pointer), reset (double click) on each inline map, and the name of the
// feature under the pointer (the <title> of the overlay's paths, report_map.hpp) in a line below the map.
const char* script = R"(<script>
document.querySelectorAll('figure svg').forEach(function(s){
  var vb=s.viewBox&&s.viewBox.baseVal;if(!vb||!vb.width)return;
  s.classList.add('zk-map');var home=[vb.x,vb.y,vb.width,vb.height],drag=null;
  var info=document.createElement('div');info.className='zk-tools';
  info.textContent='滚轮缩放，拖动平移，双击复原 (wheel: zoom, drag: pan, double click: reset)';
  s.parentNode.insertBefore(info,s.nextSibling);var hint=info.textContent;
  function at(e){var r=s.getBoundingClientRect();return[vb.x+(e.clientX-r.left)/r.width*vb.width,vb.y+(e.clientY-r.top)/r.height*vb.height];}
  s.addEventListener('wheel',function(e){e.preventDefault();var p=at(e),k=e.deltaY<0?0.8:1.25;
    vb.x=p[0]-(p[0]-vb.x)*k;vb.y=p[1]-(p[1]-vb.y)*k;vb.width*=k;vb.height*=k;},{passive:false});
  s.addEventListener('mousedown',function(e){drag=[e.clientX,e.clientY];e.preventDefault();});
  window.addEventListener('mouseup',function(){drag=null;});
  s.addEventListener('mousemove',function(e){
    if(drag){var r=s.getBoundingClientRect();vb.x-=(e.clientX-drag[0])/r.width*vb.width;
      vb.y-=(e.clientY-drag[1])/r.height*vb.height;drag=[e.clientX,e.clientY];}
    var p=e.target.closest?e.target.closest('path'):null,t=p?p.querySelector('title'):null;
    info.textContent=t?t.textContent:hint;});
  s.addEventListener('dblclick',function(){vb.x=home[0];vb.y=home[1];vb.width=home[2];vb.height=home[3];});
});
</script>
)";

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
        if (!paragraph.empty()) body += "<p>" + inline_html(paragraph, &inline_svg) + "</p>\n";
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
                    body += "<figure id=\"" + figure_id(src) + "\">\n" + std::string(trim(doc)) + "\n<figcaption>" +
                            inline_html(alt) + "</figcaption></figure>\n";
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
            body += "<li>" + inline_html(line.substr(2), &inline_svg) + "</li>\n";
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
                for (std::size_t k = 0; k < cells.size(); ++k)
                    body += "<td" + cls(k) + ">" + inline_html(cells[k], &inline_svg) + "</td>";
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
                       "<style>\n{}\n</style>\n</head>\n<body>\n{}{}</body>\n</html>\n",
                       html_escape(title), css, body, inline_svg.empty() ? "" : script);
}

}  // namespace zk
