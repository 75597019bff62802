// Names as the file system compares them: a file's family (a Shapefile's every sidecar), its spellings through
// links and letter case, and the check that an output is not one of the inputs and does not exist.
#include "zonekit/io/output_files.hpp"
#include "zonekit/io/output_files_internal.hpp"

#include "zonekit/base/error.hpp"
#include "zonekit/base/text.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>

namespace fs = std::filesystem;

namespace zk {

using namespace output_detail;

namespace output_detail {

// The file names (lower case) a file at `path` stands for: a Shapefile's every sidecar, else its own name.
std::vector<std::string> family_names(const fs::path& path) {
    const std::string name = ascii_lower(path.filename().string());
    const std::string ext = ascii_lower(path.extension().string());
    const bool shapefile = std::find(std::begin(shapefile_sidecars), std::end(shapefile_sidecars), ext) !=
                           std::end(shapefile_sidecars);
    if (!shapefile) return {name};
    const std::string stem = ascii_lower(path.stem().string());
    std::vector<std::string> out;
    for (const char* side : shapefile_sidecars) out.push_back(stem + side);
    return out;
}

// The directory `path` is in, resolved (symlinks, `.`, `..`) as far as it exists.
fs::path resolved_dir(const fs::path& path) {
    std::error_code ec;
    fs::path dir = path.parent_path();
    if (dir.empty()) dir = ".";
    fs::path out = fs::weakly_canonical(fs::absolute(dir, ec), ec);
    return ec ? fs::absolute(dir, ec).lexically_normal() : out;
}

// The files in `dir` whose names are among `lower_names` in any letter case.
std::vector<fs::path> existing_in_any_case(const fs::path& dir, const std::vector<std::string>& lower_names) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = ascii_lower(it->path().filename().string());
        if (std::find(lower_names.begin(), lower_names.end(), name) != lower_names.end()) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace output_detail

namespace {

// A file and the files of its family, as zonekit compares them with an output: the spellings the path is
// known by (as given and resolved through symlinks), each as a resolved directory and lower-case names,
// and the files of that family that exist (for st_dev/st_ino comparison).
struct FileFamily {
    std::vector<std::pair<fs::path, std::vector<std::string>>> spellings;
    std::vector<fs::path> existing;
};

FileFamily file_family(const std::string& path_text) {
    FileFamily f;
    std::error_code ec;
    const fs::path given(path_text);
    fs::path resolved = fs::weakly_canonical(fs::absolute(given, ec), ec);
    if (ec) resolved = given;
    for (const fs::path& p : {given, resolved}) {
        std::pair<fs::path, std::vector<std::string>> s{resolved_dir(p), family_names(p)};
        if (std::find(f.spellings.begin(), f.spellings.end(), s) != f.spellings.end()) continue;
        for (auto& e : existing_in_any_case(s.first, s.second)) f.existing.push_back(e);
        f.spellings.push_back(std::move(s));
    }
    if (fs::exists(given, ec)) f.existing.push_back(given);
    return f;
}

// A file of `output`'s family that is one of `input`'s (the same name in any case in the same directory, or
// the same file through a link), as a pair (output file, input file); nothing when they are apart.
std::optional<std::pair<std::string, std::string>> shared_file(const FileFamily& output, const FileFamily& input,
                                                                const std::string& output_text,
                                                                const std::string& input_text) {
    for (const auto& [odir, onames] : output.spellings)
        for (const auto& [idir, inames] : input.spellings) {
            std::error_code ec;
            if (odir != idir && !fs::equivalent(odir, idir, ec)) continue;
            for (const auto& n : onames)
                if (std::find(inames.begin(), inames.end(), n) != inames.end()) {
                    // Name the input's own file of that name when it exists, else the input.
                    std::string in = input_text;
                    for (const auto& e : input.existing)
                        if (ascii_lower(e.filename().string()) == n) in = e.string();
                    std::string out = output_text;
                    for (const auto& e : output.existing)
                        if (ascii_lower(e.filename().string()) == n) out = e.string();
                    return std::make_pair(out, in);
                }
        }
    for (const auto& o : output.existing)
        for (const auto& i : input.existing) {
            std::error_code ec;
            if (fs::equivalent(o, i, ec)) return std::make_pair(o.string(), i.string());
        }
    return std::nullopt;
}
}  // namespace

void check_output_path(const std::string& target, const OutputOptions& options) {
    const FileFamily out = file_family(target);
    for (const auto& input : options.inputs) {
        if (input.empty()) continue;
        if (auto shared = shared_file(out, file_family(input), target, input)) {
            const bool same = shared->second == input && fs::path(shared->first).filename() == fs::path(target).filename();
            throw OutputError(fmt::format(
                "output '{}' is also an input{}; inputs are never modified, even with --overwrite. Choose another "
                "output path",
                target,
                same ? std::string()
                     : fmt::format(": it names the same file as the input's '{}' (names are compared without letter "
                                   "case, through links, and a Shapefile by all its files)",
                                   shared->second)));
        }
    }
    std::error_code ec;
    if (!options.overwrite && !out.existing.empty()) {
        const std::string found = out.existing.front().string();
        if (found == target)
            throw OutputError(fmt::format("output '{}' exists. Pass --overwrite to replace it", target));
        throw OutputError(fmt::format("output '{}' exists as '{}' (file names are compared without letter case, and a "
                                      "Shapefile by all its files). Pass --overwrite to replace it",
                                      target, found));
    }
    fs::path parent = fs::path(target).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw OutputError(fmt::format("cannot write '{}': directory '{}' does not exist", target, parent.string()));
}


}  // namespace zk
