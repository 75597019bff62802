// The option groups that commands share, each declared by one call so that a name, its help and its default
// are the same in every command: input (reading layers), work (threads, progress, densify) and output (-o,
// --overwrite, and for tables --format and --csv-encoding).
#pragma once

#include "report.hpp"
#include "zonekit/io/source.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zk {
class Crs;
struct SourceOptions;
struct OutputOptions;
struct LayerSpec;
}  // namespace zk

namespace zk::cli {

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

// Options of a command that reads layers: --where (when `where` is its help), --encoding and --assume-crs
// (for sources named on the command line), the repair flags, --allow-remote and --crs (when `crs` is its help).
struct InputFlags {
    static constexpr const char* crs_help =
        "Analysis CRS (EPSG:n, projected); default: the projected CRS of the data, or the CGCS2000 3-degree "
        "Gauss–Kruger zone nearest the data";
    struct Parts {
        const char* where = nullptr;
        bool sources = true;  // --encoding, --assume-crs
        bool remote = true;   // --allow-remote
        const char* crs = crs_help;
    };
    std::string where;
    std::string encoding;
    std::string assume_crs;
    std::string crs;
    bool allow_remote = false;  // --allow-remote: read remote and database sources (refused by default)
    RepairFlags repair;
    void add_to(CLI::App& app, const Parts& parts);
    SourceOptions source_options() const;
    // A project's layer as these flags say: repaired as asked, remote sources allowed or not.
    void apply(SourceOptions& options) const;
    std::optional<Crs> requested_crs() const;
};

// A command's one input layer: opened with the input flags, in the analysis CRS its data and --crs choose
// (`notes` says how, for the command to report), read with --where and the one invalid-geometry policy.
struct InputLayer {
    InputLayer(const std::string& path, const std::string& layer_name, const InputFlags& input);
    Source source;
    OGRLayer* layer;
    std::vector<std::string> notes;
    Crs analysis;
    LayerReader reader;
};

// A command's layer and the zones it is counted or measured in (count, length): both opened with the input
// flags, in the analysis CRS the two choose; --where filters the layer, not the zones.
struct ZonedInput {
    ZonedInput(const std::string& path, const std::string& layer_name, const std::string& zones_path,
               const std::string& zones_layer_name, const InputFlags& input);
    Source source, zones_source;
    OGRLayer *layer, *zones_layer;
    std::vector<std::string> notes;
    Crs analysis;
    LayerReader reader, zone_reader;
};

// --threads, --progress (when `progress` is its help) and --densify (when `densify` is its help).
struct WorkFlags {
    static constexpr const char* densify_areas =
        "Longest edge (m, in the analysis CRS) before ellip/geod are measured; 0 = bare vertices";
    static constexpr const char* densify_ellip =
        "Longest edge (m, in the analysis CRS) before ellip areas are measured; 0 = bare vertices";
    static constexpr const char* show_progress =
        "Show progress on stderr even when it is not a terminal";
    struct Parts {
        bool threads = false;
        const char* progress = nullptr;
        const char* densify = densify_areas;
    };
    unsigned threads = 0;  // 0 = all cores
    bool progress = false;
    double densify;  // m; set before add_to, which shows it as the default
    WorkFlags();
    void add_to(CLI::App& app, const Parts& parts);
    // Progress is shown on a terminal, or anywhere with --progress.
    bool shows_progress() const;
    // report.progress_bar() when progress is shown, else nothing.
    std::function<void(double)> progress_bar(const Reporter& report) const;
};

// -o and --overwrite.
struct OutputFlags {
    static constexpr const char* replace_output = "Replace an existing output";
    static constexpr const char* replace_outputs = "Replace existing outputs";
    struct Parts {
        const char* help = nullptr;  // -o's
        bool required = false;
        const char* overwrite = replace_output;
    };
    std::string path;  // -o; "" = none (stdout for a table)
    bool overwrite = false;
    void add_to(CLI::App& app, const Parts& parts);
    // The options to write with: --overwrite, and the inputs an output may not replace.
    OutputOptions options(std::vector<std::string> inputs) const;
};

// A path's extension in lower case, with its dot (".gpkg"); "" for none.
std::string lower_extension(const std::string& path);

// The files of `layers`, which no output may replace.
std::vector<std::string> layer_paths(const std::vector<LayerSpec>& layers);

// A table written by a command (area, count, length, tabulate) to -o or stdout, in one format chosen one way:
// --format, else -o's extension (.csv .json .md), else Markdown. CSV files in --csv-encoding (UTF-8 with a
// BOM by default, so Excel reads the names); tables on stdout are plain UTF-8.
struct TableOutput : OutputFlags {
    std::string format;  // --format
    std::string csv_encoding = "utf-8-bom";
    // Declares -o, --overwrite, --format and --csv-encoding.
    void add_to(CLI::App& app, const Parts& parts);
    // The format to write; throws InputError when --format is not given and -o's extension says none.
    // `also` is what else -o may be, for that message (area's layer).
    std::string resolved_format(const std::string& also = "") const;
    // Writes `text` (in resolved_format()) to -o atomically, or to stdout.
    void write(const std::string& text, const OutputOptions& options) const;
};

}  // namespace zk::cli
