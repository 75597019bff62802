#include "common.hpp"

#include "zonekit/crs.hpp"
#include "zonekit/output.hpp"
#include "zonekit/source.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace zk::cli {

void InputFlags::add_to(CLI::App& app, bool with_crs) {
    app.add_option("--encoding", encoding,
                   "Text encoding of a Shapefile's attributes (e.g. GBK, UTF-8); default: from .cpg, the DBF "
                   "language driver id, or detected");
    app.add_option("--assume-crs", assume_crs,
                   "CRS of a layer that has none, or that replaces one flagged as wrong (EPSG:n)");
    if (with_crs)
        app.add_option("--crs", crs,
                       "Analysis CRS (EPSG:n, projected); default: the projected CRS of the data, or the CGCS2000 "
                       "3-degree Gauss–Kruger zone nearest the data");
}

SourceOptions InputFlags::source_options() const {
    SourceOptions options;
    options.encoding = encoding;
    if (!assume_crs.empty()) options.assume_crs = Crs::from_user_text(assume_crs);
    return options;
}

std::optional<Crs> InputFlags::requested_crs() const {
    if (crs.empty()) return std::nullopt;
    return Crs::from_user_text(crs);
}

void warn(const std::string& verb, const std::string& message) {
    std::fprintf(stderr, "zonekit %s: warning: %s\n", verb.c_str(), message.c_str());
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void report_renamed_fields(const std::string& verb, const std::vector<FieldRename>& renamed, const std::string& path) {
    for (const auto& r : renamed)
        warn(verb, fmt::format("field '{}' is written as '{}' in '{}': a Shapefile field name holds at most 10 bytes",
                               r.original, r.written, path));
}

}  // namespace zk::cli
