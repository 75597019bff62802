#include "docs.hpp"

#include "common.hpp"

#include "zonekit/base/version.hpp"
#include "zonekit/io/output_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace zk::cli {

namespace {

std::vector<const CLI::App*> commands(const CLI::App& app) {
    return app.get_subcommands([](const CLI::App*) { return true; });
}

// Text for roff: backslashes written as \e, a line that would start a request (. or ') guarded, '-' as \-,
// and every character outside ASCII as \[uXXXX], so that groff reads the page without a preprocessor.
std::string roff(const std::string& text) {
    std::string out;
    bool line_start = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (line_start && (c == '.' || c == '\'')) out += "\\&";
        line_start = c == '\n';
        if (c == '\\') {
            out += "\\e";
        } else if (c == '-') {
            out += "\\-";
        } else if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            const int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
            std::uint32_t cp = extra == 3 ? c & 0x07u : extra == 2 ? c & 0x0Fu : c & 0x1Fu;
            bool ok = extra > 0 && i + static_cast<std::size_t>(extra) < text.size();
            for (int k = 1; ok && k <= extra; ++k) {
                const auto cc = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
                ok = (cc & 0xC0u) == 0x80u;
                cp = (cp << 6) | (cc & 0x3Fu);
            }
            if (!ok) {
                out += "?";  // not UTF-8: the declarations are ours, so this does not happen
                continue;
            }
            out += fmt::format("\\[u{:04X}]", cp);
            i += static_cast<std::size_t>(extra);
        }
    }
    return out;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// "-o, --output PATH" for an option's heading; positionals by name.
std::string option_heading(const CLI::Option& o) {
    std::string names;
    for (const auto& s : o.get_snames()) names += (names.empty() ? "" : ", ") + ("\\fB\\-" + s + "\\fR");
    for (const auto& l : o.get_lnames()) names += (names.empty() ? "" : ", ") + ("\\fB\\-\\-" + roff(l) + "\\fR");
    if (names.empty()) return "\\fI" + roff(o.get_name(true)) + "\\fR";
    const std::string type = o.get_type_name();  // "" for a flag
    if (o.get_expected_max() != 0 && !type.empty()) names += " \\fI" + roff(type) + "\\fR";
    return names;
}

void options_section(std::string& out, const CLI::App& app, bool positionals) {
    for (const CLI::Option* o : app.get_options()) {
        if (o->get_group().empty() || o->get_positional() != positionals) continue;
        if (!positionals && o->nonpositional() == false) continue;
        std::string text = o->get_description();
        if (!o->get_default_str().empty()) text += fmt::format(" (default: {})", o->get_default_str());
        if (o->get_required()) text += !text.empty() && text.back() == '.' ? " Required." : ". Required.";
        out += ".TP\n" + option_heading(*o) + "\n" + roff(text) + "\n";
    }
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string man_page(const CLI::App& app, const CLI::App* sub) {
    const std::string name = sub ? "zonekit-" + sub->get_name() : "zonekit";
    std::string out = fmt::format(".TH {} 1 \"\" \"zonekit {}\" \"zonekit manual\"\n", upper(name), zonekit_version());
    std::string summary = sub ? sub->get_description() : app.get_description();
    if (const std::string self = "zonekit — "; summary.rfind(self, 0) == 0) summary.erase(0, self.size());
    out += ".SH NAME\n" + roff(name) + " \\- " + roff(summary) + "\n";
    out += ".SH SYNOPSIS\n";
    if (!sub) {
        out += ".B zonekit\n[\\fB\\-q\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR] ...\n";
        out += ".SH COMMANDS\n";
        for (const CLI::App* c : commands(app))
            out += fmt::format(".TP\n\\fBzonekit {}\\fR\n{}. See \\fBzonekit\\-{}\\fR(1).\n", roff(c->get_name()),
                               roff(c->get_description()), roff(c->get_name()));
        out += ".SH OPTIONS\n";
        options_section(out, app, false);
    } else {
        out += ".B zonekit " + roff(sub->get_name()) + "\n[\\fIOPTIONS\\fR]";
        for (const CLI::Option* o : sub->get_options())
            if (o->get_positional())
                out += o->get_required() ? " \\fI" + roff(o->get_name(true)) + "\\fR"
                                         : " [\\fI" + roff(o->get_name(true)) + "\\fR]";
        out += "\n.SH DESCRIPTION\n" + roff(sub->get_description()) + "\n";
        out += ".SH ARGUMENTS\n";
        options_section(out, *sub, true);
        out += ".SH OPTIONS\n";
        options_section(out, *sub, false);
        if (!sub->get_footer().empty()) out += ".SH NOTES\n" + roff(sub->get_footer()) + "\n";
    }
    out += ".SH EXIT STATUS\n" + roff(exit_status_help) + "\n";
    out += ".SH SEE ALSO\n";
    if (sub) out += "\\fBzonekit\\fR(1); ";
    out += "the README of zonekit, and \\fBogrinfo\\fR(1) for the layers of a source.\n";
    return out;
}

std::string bash_completion(const CLI::App& app) {
    const auto words = [](const CLI::App& a) {
        std::string w;
        for (const CLI::Option* o : a.get_options()) {
            if (o->get_group().empty()) continue;
            for (const auto& s : o->get_snames()) w += (w.empty() ? "-" : " -") + s;
            for (const auto& l : o->get_lnames()) w += (w.empty() ? "--" : " --") + l;
        }
        return w;
    };
    std::string names;
    for (const CLI::App* c : commands(app)) names += (names.empty() ? "" : " ") + c->get_name();
    std::string out = "# bash completion for zonekit (made by `zonekit --completion bash`)\n"
                      "_zonekit() {\n"
                      "    local cur=${COMP_WORDS[COMP_CWORD]} cmd= i\n"
                      "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
                      "        case ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac\n"
                      "    done\n"
                      "    local opts\n"
                      "    case $cmd in\n";
    out += fmt::format("        '') opts='{} {}' ;;\n", names, words(app));
    for (const CLI::App* c : commands(app)) out += fmt::format("        {}) opts='{}' ;;\n", c->get_name(), words(*c));
    out += "        *) opts= ;;\n"
           "    esac\n"
           "    if [[ -z $cmd || $cur == -* ]]; then\n"
           "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
           "    else\n"
           "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
           "    fi\n"
           "}\n"
           "complete -o filenames -o bashdefault -F _zonekit zonekit\n";
    return out;
}

void write_docs(const CLI::App& app, const std::string& dir) {
    namespace fs = std::filesystem;
    fs::create_directories(fs::path(dir) / "man1");
    fs::create_directories(fs::path(dir) / "completions");
    OutputOptions options;
    options.overwrite = true;
    write_text_file((fs::path(dir) / "man1" / "zonekit.1").string(), man_page(app, nullptr), options);
    for (const CLI::App* c : commands(app))
        write_text_file((fs::path(dir) / "man1" / ("zonekit-" + c->get_name() + ".1")).string(), man_page(app, c), options);
    write_text_file((fs::path(dir) / "completions" / "zonekit").string(), bash_completion(app), options);
}

std::string closest_command(const CLI::App& app, const std::string& word) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const CLI::App* c : commands(app)) {
        const std::size_t d = edit_distance(word, c->get_name());
        if (d < best_d) {
            best_d = d;
            best = c->get_name();
        }
    }
    return best;
}

}  // namespace zk::cli
