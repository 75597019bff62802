// GDAL's messages never reach the terminal raw: while a GdalErrorCapture lives on a thread, GDAL's errors and
// warnings on that thread are collected, so zonekit can put them into its own messages with their context.
#pragma once

#include <string>
#include <vector>

namespace zk {

class GdalErrorCapture {
public:
    GdalErrorCapture();
    GdalErrorCapture(const GdalErrorCapture&) = delete;
    GdalErrorCapture& operator=(const GdalErrorCapture&) = delete;
    ~GdalErrorCapture();

    // Messages collected since construction or the last take(), oldest first.
    std::vector<std::string> take();
    // The most recent error message (not warnings), or "" — for appending to a zonekit message.
    std::string last_error() const;
    // True when GDAL reported an error (not a warning) on this thread since construction.
    bool has_error() const;

    struct State;  // public so GDAL's C callback can reach it

private:
    State* m_state;
};

// Registers GDAL's drivers once (thread-safe) and sets process-wide options zonekit relies on.
void gdal_init();

}  // namespace zk
