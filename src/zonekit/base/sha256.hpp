// SHA-256 (FIPS 180-4) of bytes and of files, for the report's record of which input files it was made from.
#pragma once

#include <string>
#include <string_view>

namespace zk {

// The digest of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

// The digest of the file at `path`, read in blocks. Throws InputError naming the file when it cannot be read.
std::string file_sha256(const std::string& path);

}  // namespace zk
