// Plain files in tests: read whole, written whole, a directory's contents, the source tree.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace zk::test {

// The bytes of a file ("" when it cannot be read).
std::string read_file(const std::string& path);

// Writes `text` as the whole file (a project file, a GeoJSON by hand); fails the test when it cannot.
void write_text(const std::string& path, const std::string& text);

// Every regular file under `dir` (recursively), by path relative to `dir`, with its bytes.
std::map<std::string, std::string> snapshot_files(const std::filesystem::path& dir);

// The project's source directory (for the bundled layers and tests/data).
std::string source_dir();

}  // namespace zk::test
