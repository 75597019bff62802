#include "options.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/geometry/area.hpp"
#include "zonekit/geometry/crs.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/output_files.hpp"
#include "zonekit/io/source.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

namespace zk::cli {

void RepairFlags::add_to(CLI::App& app) {
    app.add_flag("--strict", strict,
                 "Refuse invalid polygons (exit 2, naming the feature) instead of repairing them with MakeValid");
    app.add_option("--make-valid-method", method,
                   "How invalid polygons are repaired: linework (default; as PostGIS ST_MakeValid and QGIS's Fix "
                   "geometries) or structure")
        ->check(CLI::IsMember({"linework", "structure"}));
    app.add_flag("--make-valid", make_valid, "Accepted for older scripts: invalid polygons are repaired by default");
    app.add_flag("--skip-damaged", skip_damaged,
                 "Leave out features whose geometry GDAL cannot read (a damaged file), counted in a warning, instead "
                 "of stopping (exit 2, naming the feature)");
}

void RepairFlags::apply(SourceOptions& options) const {
    options.strict = strict;
    options.make_valid_method = *parse_make_valid_method(method);
    options.skip_damaged = skip_damaged;
}

void InputFlags::add_to(CLI::App& app, const Parts& parts) {
    if (parts.where) app.add_option("--where", where, parts.where);
    if (parts.sources) {
        app.add_option("--encoding", encoding,
                       "Text encoding of a Shapefile's attributes (e.g. GBK, UTF-8); default: from .cpg, the DBF "
                       "language driver id, or detected");
        app.add_option("--assume-crs", assume_crs,
                       "CRS of a layer that has none, or that replaces one flagged as wrong (EPSG:n)");
    }
    if (parts.remote)
        app.add_flag("--allow-remote", allow_remote,
                     "Read remote and database sources (/vsicurl/, /vsis3/, http(s)://, ftp://, PG:, MySQL:, …); "
                     "without it they are refused and zonekit makes no network or database connection");
    repair.add_to(app);
    if (parts.crs) app.add_option("--crs", crs, parts.crs);
}

SourceOptions InputFlags::source_options() const {
    SourceOptions options;
    options.encoding = encoding;
    apply(options);
    if (!assume_crs.empty()) options.assume_crs = Crs::from_user_text(assume_crs);
    return options;
}

void InputFlags::apply(SourceOptions& options) const {
    repair.apply(options);
    options.allow_remote = allow_remote;
}

std::optional<Crs> InputFlags::requested_crs() const {
    if (crs.empty()) return std::nullopt;
    return Crs::from_user_text(crs);
}

namespace {
ReadOptions where(const std::string& filter) {
    ReadOptions read;
    read.where = filter;
    return read;
}
}  // namespace

InputLayer::InputLayer(const std::string& path, const std::string& layer_name, const InputFlags& input)
    : source(Source::open(path, input.source_options())),
      layer(source.layer(layer_name)),
      analysis(choose_analysis_crs({source.describe(layer)}, input.requested_crs(), notes)),
      reader(source, layer, analysis, where(input.where)) {}

ZonedInput::ZonedInput(const std::string& path, const std::string& layer_name, const std::string& zones_path,
                       const std::string& zones_layer_name, const InputFlags& input)
    : source(Source::open(path, input.source_options())),
      zones_source(Source::open(zones_path, input.source_options())),
      layer(source.layer(layer_name)),
      zones_layer(zones_source.layer(zones_layer_name)),
      analysis(choose_analysis_crs({source.describe(layer), zones_source.describe(zones_layer)}, input.requested_crs(),
                                   notes)),
      reader(source, layer, analysis, where(input.where)),
      zone_reader(zones_source, zones_layer, analysis, {}) {}

WorkFlags::WorkFlags() : densify(AreaOptions{}.densify_m) {}

void WorkFlags::add_to(CLI::App& app, const Parts& parts) {
    if (parts.threads)
        app.add_option("--threads", threads, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u));
    if (parts.progress) app.add_flag("--progress", progress, parts.progress);
    if (parts.densify)
        app.add_option("--densify", densify, parts.densify)->check(CLI::NonNegativeNumber)->capture_default_str();
}

bool WorkFlags::shows_progress() const { return progress || stderr_is_terminal(); }

std::function<void(double)> WorkFlags::progress_bar(const Reporter& report) const {
    if (!shows_progress()) return {};
    return report.progress_bar();
}

void OutputFlags::add_to(CLI::App& app, const Parts& parts) {
    CLI::Option* o = app.add_option("-o,--output", path, parts.help);
    if (parts.required) o->required();
    app.add_flag("--overwrite", overwrite, parts.overwrite);
}

OutputOptions OutputFlags::options(std::vector<std::string> inputs) const {
    OutputOptions options;
    options.overwrite = overwrite;
    options.inputs = std::move(inputs);
    return options;
}

std::string lower_extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

std::vector<std::string> layer_paths(const std::vector<LayerSpec>& layers) {
    std::vector<std::string> paths;
    for (const auto& l : layers) paths.push_back(l.path);
    return paths;
}

void TableOutput::add_to(CLI::App& app, const Parts& parts) {
    app.add_option("--format", format, "Table format (default: from -o's extension, else md)")
        ->check(CLI::IsMember({"csv", "json", "md"}));
    app.add_option("--csv-encoding", csv_encoding,
                   "Encoding of a CSV file: utf-8-bom (Excel reads the names), utf-8 (for scripts) or gbk")
        ->check(CLI::IsMember({"utf-8-bom", "utf-8", "gbk"}))
        ->capture_default_str();
    OutputFlags::add_to(app, parts);
}

std::string TableOutput::resolved_format(const std::string& also) const {
    if (!format.empty()) return format;
    if (path.empty()) return "md";
    const std::string ext = lower_extension(path);
    if (ext == ".csv" || ext == ".json" || ext == ".md") return ext.substr(1);
    throw InputError(fmt::format("cannot tell the format of '{}': use .csv, .json or .md{}, or say --format", path,
                                 also.empty() ? "" : " for the table, or " + also));
}

void TableOutput::write(const std::string& text, const OutputOptions& options) const {
    if (path.empty()) {
        std::fputs(text.c_str(), stdout);
        return;
    }
    const bool csv = resolved_format() == "csv";
    write_text_file(path, csv ? encode_csv(text, parse_csv_encoding(csv_encoding), path) : text, options);
}

}  // namespace zk::cli
