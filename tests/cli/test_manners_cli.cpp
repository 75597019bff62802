// The CLI's manners: a mistyped command gets the nearest one, --version names the libraries, usage lines say
// "zonekit", the man pages and the bash completion are made from the same declarations as --help (each page
// holds every option its command's --help lists, and groff reads each without a warning), and
// `cmake --install` places the binary, the man pages, the completion and the styles.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <regex>
#include <set>

using namespace zk::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> commands = {"info",  "area",    "overlay", "tabulate", "dissolve", "buffer", "count",
                                           "length", "check",  "resolve", "export",   "render",   "run",    "screen"};

// The long options a --help text lists ("  -o,--output TEXT  …", "  --overwrite  …").
std::set<std::string> long_options(const std::string& help) {
    std::set<std::string> out;
    const std::regex option(R"((^|[ ,])--([a-z][a-z0-9-]*))");
    std::istringstream lines(help);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("  -", 0) != 0) continue;  // option lines start with two spaces and a dash
        const std::string head = line.substr(0, line.find("  ", 2));
        for (std::sregex_iterator it(head.begin(), head.end(), option), end; it != end; ++it) out.insert((*it)[2]);
    }
    return out;
}

int shell(const std::string& command, std::string* output = nullptr) {
    TempDir io;
    const int status = std::system((command + " >" + io / "out" + " 2>&1").c_str());
    if (output) *output = read_file(io / "out");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("manners: a mistyped command, no command, --version, usage lines", "[manners]") {
    const auto typo = run_zonekit({"aera", "x.gpkg"});
    CHECK(typo.exit_code == 2);
    CHECK_THAT(typo.err, Contains("zonekit: unknown command 'aera' — did you mean 'area'?"));
    const auto typo2 = run_zonekit({"-q", "scren", "p.toml"});
    CHECK(typo2.exit_code == 2);
    CHECK_THAT(typo2.err, Contains("did you mean 'screen'?"));
    const auto far = run_zonekit({"frobnicate"});
    CHECK(far.exit_code == 2);
    CHECK_THAT(far.err, Contains("unknown command 'frobnicate' (commands: info, area,"));

    const auto none = run_zonekit({});
    CHECK(none.exit_code == 2);
    for (const auto& c : commands) CHECK_THAT(none.err, Contains("  " + c + " "));
    CHECK_THAT(none.err, Contains("3 an output is incomplete"));  // one meaning per exit status, 3 its own

    const auto version = run_zonekit({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(std::regex_search(version.out, std::regex(R"(^zonekit \d+\.\d+\.\d+ \(GDAL 3\.\d+\.\d+, GEOS 3\.\d+\.\d+, PROJ 9\.\d+\.\d+, Cairo 1\.\d+\.\d+, SQLite 3\.\d+\.\d+\))")));

    for (const auto& c : commands) {
        const auto help = run_zonekit({c, "--help"});
        CHECK(help.exit_code == 0);
        CHECK_THAT(help.out, Contains("Usage: zonekit " + c + " "));
    }
}

TEST_CASE("manners: man pages and bash completion from the option declarations", "[manners]") {
    TempDir dir;
    REQUIRE(run_zonekit({"--write-docs", dir / "docs"}).exit_code == 0);
    for (const auto& c : commands) {
        INFO(c);
        const std::string page = read_file(dir / ("docs/man1/zonekit-" + c + ".1"));
        REQUIRE(!page.empty());
        CHECK_THAT(page, StartsWith(".TH ZONEKIT-"));
        // Every long option of the command's --help is on its page (roff spells '-' as '\-').
        for (const auto& o : long_options(run_zonekit({c, "--help"}).out)) {
            std::string roffed = "\\-\\-";
            for (char ch : o) roffed += ch == '-' ? std::string("\\-") : std::string(1, ch);
            CHECK_THAT(page, Contains(roffed));
        }
        // groff reads it without a warning.
        std::string warnings;
        CHECK(shell(fmt::format("groff -man -Tutf8 -ww -z '{}'", dir / ("docs/man1/zonekit-" + c + ".1")), &warnings) == 0);
        CHECK(warnings.empty());
    }
    const std::string top = read_file(dir / "docs/man1/zonekit.1");
    CHECK_THAT(top, Contains(".SH EXIT STATUS\n0 done") && Contains("3 an output is incomplete"));
    for (const auto& c : commands) CHECK_THAT(top, Contains("zonekit\\-" + c));

    // The completion script, sourced in bash, completes commands, then each command's options.
    const std::string script = dir / "docs/completions/zonekit";
    CHECK(read_file(script) == run_zonekit({"--completion", "bash"}).out);
    const auto complete = [&](const std::string& words, int cword) {
        std::string out;
        shell(fmt::format("bash -c 'source \"{}\"; COMP_WORDS=({}); COMP_CWORD={}; _zonekit; echo \"${{COMPREPLY[*]}}\"'",
                          script, words, cword),
              &out);
        return out;
    };
    CHECK(complete("zonekit ar", 1) == "area\n");
    CHECK(complete("zonekit s", 1) == "screen\n");
    CHECK(complete("zonekit -q screen p.toml --cle", 4) == "--clearance\n");
    CHECK_THAT(complete("zonekit overlay --", 2), Contains("--keep-fields") && Contains("--overwrite"));
}

TEST_CASE("manners: cmake --install places the binary, man pages, completion and styles", "[manners][install]") {
    TempDir prefix;
    std::string out;
    REQUIRE(shell(fmt::format("cmake --install '{}' --prefix '{}'", ZK_BUILD_DIR, prefix.path().string()), &out) == 0);
    INFO(out);
    const fs::path p = prefix.path();
    CHECK(fs::exists(p / "bin/zonekit"));
    CHECK(fs::exists(p / "share/man/man1/zonekit.1"));
    CHECK(fs::exists(p / "share/man/man1/zonekit-screen.1"));
    CHECK(fs::exists(p / "share/bash-completion/completions/zonekit"));
    CHECK(fs::exists(p / "share/zonekit/styles/districts.qml"));
    CHECK(fs::exists(p / "share/zonekit/styles/palette.json"));
    std::string version;
    CHECK(shell(fmt::format("ASAN_OPTIONS=detect_leaks=0 '{}' --version", (p / "bin/zonekit").string()), &version) == 0);
    CHECK_THAT(version, StartsWith("zonekit "));
    std::string man;
    CHECK(shell(fmt::format("MANWIDTH=80 man -l '{}' | head -5", (p / "share/man/man1/zonekit-area.1").string()), &man) == 0);
    CHECK_THAT(man, Contains("zonekit-area"));
}
