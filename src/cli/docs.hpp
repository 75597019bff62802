// The CLI's own documentation, made from the same option declarations as its --help: man pages (roff), a bash
// completion script, and the nearest command to a mistyped one.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace zk::cli {

// The man page (man(7) roff) of `zonekit` (sub = nullptr: its commands and global options) or of one command.
std::string man_page(const CLI::App& app, const CLI::App* sub);
// A bash completion script for `zonekit`: its commands, then each command's options, else file names.
std::string bash_completion(const CLI::App& app);
// Writes DIR/man1/zonekit.1, DIR/man1/zonekit-COMMAND.1 per command and DIR/completions/zonekit (replacing them).
void write_docs(const CLI::App& app, const std::string& dir);
// The command whose name is nearest `word` (edit distance at most 2, or a third of its length), or "".
std::string closest_command(const CLI::App& app, const std::string& word);

}  // namespace zk::cli
