#include "temp_dir.hpp"

#include <fmt/format.h>

#include <random>

namespace fs = std::filesystem;

namespace zk::test {

TempDir::TempDir() {
    std::random_device rd;
    m_path = fs::temp_directory_path() / fmt::format("zonekit-test-{:08x}{:08x}", rd(), rd());
    fs::create_directories(m_path);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

}  // namespace zk::test
