// Errors raised by the zonekit library. The library never prints and never exits: every failure is an
// exception that carries a message written for the planner (what failed, where, why, what to do).
#pragma once

#include <stdexcept>
#include <string>

namespace zk {

// Bad input or usage: a missing file or layer, an invalid geometry, an unknown unit. The CLI exits 2.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A failure inside GEOS that was captured from its message handler.
class GeosError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A failure while writing an output.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace zk
