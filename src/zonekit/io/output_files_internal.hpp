// Internals shared by the pieces of output_files.cpp (putting outputs in place), output_checked_fs.cpp (the
// checked writes and the file system GDAL writes through) and output_names.cpp (names as the file system
// compares them). Not installed.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace zk::output_detail {

inline constexpr const char* shapefile_sidecars[] = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"};

// ---- Checked writes (output_checked_fs.cpp) ---------------------------------------------------------------

// The first failure recorded for a file at or under `prefix` (a temporary directory), and that file; removed
// unless `keep`.
std::optional<std::pair<std::string, int>> take_failure(const std::string& prefix, bool keep = false);
// Writes all of `data` at `offset` (or at the file position when offset < 0); 0 or the errno of the failure.
int write_all(int fd, const char* data, std::size_t size, off_t offset);
int sync_file(const std::filesystem::path& file);
void sync_dir(const std::filesystem::path& dir);

// ---- Names as the file system compares them (output_names.cpp) --------------------------------------------

// The file names (lower case) a file at `path` stands for: a Shapefile's every sidecar, else its own name.
std::vector<std::string> family_names(const std::filesystem::path& path);
// The directory `path` is in, resolved (symlinks, `.`, `..`) as far as it exists.
std::filesystem::path resolved_dir(const std::filesystem::path& path);
// The files in `dir` whose names are among `lower_names` in any letter case.
std::vector<std::filesystem::path> existing_in_any_case(const std::filesystem::path& dir,
                                                        const std::vector<std::string>& lower_names);

}  // namespace zk::output_detail
