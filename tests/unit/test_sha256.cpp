// SHA-256 against the test vectors published with FIPS 180-2 (appendix B) and the empty message.
#include "zonekit/base/error.hpp"
#include "zonekit/base/sha256.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace zk;

TEST_CASE("sha256: FIPS 180-2 test vectors", "[sha256]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: a file is read in blocks and hashed as its bytes", "[sha256]") {
    const auto path = std::filesystem::temp_directory_path() / "zk_sha256_test.bin";
    {
        std::ofstream out(path, std::ios::binary);
        out << std::string(1000000, 'a');  // more than one read block, not a multiple of it
    }
    CHECK(file_sha256(path.string()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    std::filesystem::remove(path);
    CHECK_THROWS_AS(file_sha256(path.string()), InputError);
}
