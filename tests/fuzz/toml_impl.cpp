// Debian's toml++ is a shared library, compiled without coverage instrumentation; the libFuzzer target of the
// project-file parser compiles toml++'s parser into itself (it takes precedence over the library's), so
// libFuzzer sees inside it. Only in the ZK_FUZZ build.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
