// What the commands share: a registry entry per command, common options, messages and exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zk {
class Crs;
struct SourceOptions;
struct FieldRename;
struct OutputOptions;
}  // namespace zk

namespace zk::cli {

enum ExitCode { ok = 0, violations = 1, bad_input = 2 };

struct Command {
    const char* name;
    const char* summary;
    // Declares the command's options on `app` and returns the function that runs it.
    std::function<std::function<int()>(CLI::App& app)> setup;
};

Command info_command();
Command area_command();
Command dissolve_command();
Command buffer_command();
Command count_command();
Command length_command();
Command overlay_command();
Command tabulate_command();
Command check_command();
Command resolve_command();
Command render_command();
Command export_command();
Command run_command();
Command screen_command();

// How invalid polygons are treated, the same in every command: --strict refuses them (exit 2), otherwise
// they are repaired with MakeValid by --make-valid-method (linework by default) and listed. Damaged geometries
// (GDAL cannot read them) are refused (exit 2) unless --skip-damaged, which leaves them out and counts them.
struct RepairFlags {
    bool strict = false;
    std::string method = "linework";
    bool make_valid = false;  // accepted for scripts written before repair became the default; changes nothing
    bool skip_damaged = false;
    void add_to(CLI::App& app);
    void apply(SourceOptions& options) const;
};

// --allow-remote's help, shared by InputFlags and `zonekit run`.
extern const char* const allow_remote_help;

// Options that every command reading layers takes.
struct InputFlags {
    std::string encoding;
    std::string assume_crs;
    std::string crs;
    bool allow_remote = false;  // --allow-remote: read remote and database sources (refused by default)
    RepairFlags repair;
    void add_to(CLI::App& app, bool with_crs = true);
    SourceOptions source_options() const;
    std::optional<Crs> requested_crs() const;
};

// A table written by a command (area, count, length, tabulate): --format, else from -o's extension (.csv
// .json .md), else Markdown; CSV files in --csv-encoding (UTF-8 with a BOM by default, so Excel reads the
// names). Tables on stdout are plain UTF-8.
struct TableOutput {
    std::string output;   // -o; "" = stdout
    std::string format;   // --format
    std::string csv_encoding = "utf-8-bom";
    // Declares --format and --csv-encoding (the command declares -o, which may take other kinds of output).
    void add_to(CLI::App& app);
    // The format to write; throws InputError when -o's extension says none and --format is not given.
    std::string resolved_format() const;
    // Writes `text` (in resolved_format()) to -o atomically, or to stdout.
    void write(const std::string& text, const OutputOptions& options) const;
};

// Messages for the user go to stderr, prefixed with "zonekit <verb>: ". Each distinct message is printed
// once per run (a layer's warning found by several rules or tables is said once); -q/--quiet silences notes
// and warnings, never errors.
void warn(const std::string& verb, const std::string& message);
// An error, always printed ("zonekit VERB: …"; "zonekit: …" for an empty verb). Text that is not UTF-8 (a path in GBK bytes) is shown escaped (\xNN) in every message.
void error(const std::string& verb, const std::string& message);
// A note (printf-style, one line with its newline), printed once and not at all with -q.
void say(const char* format, ...) __attribute__((format(printf, 1, 2)));
void set_quiet(bool quiet);

// True when stderr is a terminal (progress is shown then).
bool stderr_is_terminal();

// One warning per field a Shapefile output holds under a shorter name (LayerWriter::renamed_fields()).
void report_renamed_fields(const std::string& verb, const std::vector<FieldRename>& renamed, const std::string& path);

}  // namespace zk::cli
