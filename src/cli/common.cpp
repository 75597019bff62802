#include "common.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"
#include "zonekit/base/text_table.hpp"
#include "zonekit/geometry/crs.hpp"
#include "zonekit/io/output.hpp"
#include "zonekit/io/output_files.hpp"
#include "zonekit/io/source.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>

namespace zk::cli {

const char* const allow_remote_help =
    "Read remote and database sources (/vsicurl/, /vsis3/, http(s)://, ftp://, PG:, MySQL:, …); without it they "
    "are refused and zonekit makes no network or database connection";

void InputFlags::add_to(CLI::App& app, bool with_crs) {
    app.add_option("--encoding", encoding,
                   "Text encoding of a Shapefile's attributes (e.g. GBK, UTF-8); default: from .cpg, the DBF "
                   "language driver id, or detected");
    app.add_option("--assume-crs", assume_crs,
                   "CRS of a layer that has none, or that replaces one flagged as wrong (EPSG:n)");
    app.add_flag("--allow-remote", allow_remote, allow_remote_help);
    repair.add_to(app);
    if (with_crs)
        app.add_option("--crs", crs,
                       "Analysis CRS (EPSG:n, projected); default: the projected CRS of the data, or the CGCS2000 "
                       "3-degree Gauss–Kruger zone nearest the data");
}

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

SourceOptions InputFlags::source_options() const {
    SourceOptions options;
    options.encoding = encoding;
    options.allow_remote = allow_remote;
    repair.apply(options);
    if (!assume_crs.empty()) options.assume_crs = Crs::from_user_text(assume_crs);
    return options;
}

std::optional<Crs> InputFlags::requested_crs() const {
    if (crs.empty()) return std::nullopt;
    return Crs::from_user_text(crs);
}

namespace {
bool g_quiet = false;
std::mutex g_said_mutex;  // GDAL's messages may come from any thread
std::set<std::string>& said() {
    static std::set<std::string> lines;
    return lines;
}
void print_once(const std::string& line) {
    std::lock_guard lock(g_said_mutex);
    if (g_quiet || !said().insert(line).second) return;
    std::fputs(escape_non_utf8(line).c_str(), stderr);
}
}  // namespace

void set_quiet(bool quiet) { g_quiet = quiet; }

void warn(const std::string& verb, const std::string& message) {
    print_once(fmt::format("zonekit {}: warning: {}\n", verb, message));
}

void error(const std::string& verb, const std::string& message) {
    std::lock_guard lock(g_said_mutex);
    const std::string who = verb.empty() ? "zonekit" : "zonekit " + verb;
    std::fputs(escape_non_utf8(fmt::format("{}: {}\n", who, message)).c_str(), stderr);
}

void say(const char* format, ...) {
    va_list args;
    va_start(args, format);
    char buffer[1024];
    va_list copy;
    va_copy(copy, args);
    const int n = std::vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);
    std::string line;
    if (n >= 0 && static_cast<std::size_t>(n) < sizeof buffer) {
        line.assign(buffer, static_cast<std::size_t>(n));
    } else if (n >= 0) {
        line.resize(static_cast<std::size_t>(n) + 1);
        std::vsnprintf(line.data(), line.size(), format, copy);
        line.resize(static_cast<std::size_t>(n));
    }
    va_end(copy);
    print_once(line);
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void report_renamed_fields(const std::string& verb, const std::vector<FieldRename>& renamed, const std::string& path) {
    for (const auto& r : renamed)
        warn(verb, fmt::format("field '{}' is written as '{}' in '{}': a Shapefile field name holds at most 10 bytes",
                               r.original, r.written, path));
}

void TableOutput::add_to(CLI::App& app) {
    app.add_option("--format", format, "Table format (default: from -o's extension, else md)")
        ->check(CLI::IsMember({"csv", "json", "md"}));
    app.add_option("--csv-encoding", csv_encoding,
                   "Encoding of a CSV file: utf-8-bom (Excel reads the names), utf-8 (for scripts) or gbk")
        ->check(CLI::IsMember({"utf-8-bom", "utf-8", "gbk"}))
        ->capture_default_str();
}

std::string TableOutput::resolved_format() const {
    if (!format.empty()) return format;
    if (output.empty()) return "md";
    std::string ext = std::filesystem::path(output).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".csv" || ext == ".json" || ext == ".md") return ext.substr(1);
    throw InputError(fmt::format("cannot tell the format of '{}': use .csv, .json or .md, or say --format", output));
}

void TableOutput::write(const std::string& text, const OutputOptions& options) const {
    if (output.empty()) {
        std::fputs(text.c_str(), stdout);
        return;
    }
    const bool csv = resolved_format() == "csv";
    write_text_file(output, csv ? encode_csv(text, parse_csv_encoding(csv_encoding), output) : text, options);
}

}  // namespace zk::cli
