// The HTML form of zonekit's Markdown reports: one self-contained file (inline CSS, pictures inline), so a
// report can be mailed or opened from a USB stick as it is.
#pragma once

#include <map>
#include <string>

namespace zk {

// Converts the Markdown zonekit writes — ATX headings, paragraphs, "- " lists, pipe tables (with :---:
// alignment), **bold**, *English in small type*, `code`, [links](to), and images on a line of their own — into
// an HTML5 document titled `title`, with styles for the screen and for printing on A4. An image whose target is
// a key of `inline_svg` is replaced by that SVG document (its XML declaration dropped) in a figure, links to
// that target go to the figure, and a few lines of script let each inline map pan, zoom and name the feature
// under the pointer; other images stay links. Text is escaped; nothing else of Markdown is interpreted.
std::string markdown_to_html(const std::string& markdown, const std::string& title,
                             const std::map<std::string, std::string>& inline_svg = {});

// Escapes & < > " for HTML text and attribute values.
std::string html_escape(const std::string& text);

}  // namespace zk
