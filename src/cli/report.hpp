// The one place that writes messages for the user on stderr: notes, warnings and errors, each line
// "zonekit VERB: …" ("zonekit VERB: warning: …" for a warning; "zonekit: …" when there is no command).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace zk {
struct FieldRename;
}  // namespace zk

namespace zk::cli {

// Each distinct message is printed once per run (a layer's warning found by several rules or tables is said
// once); -q/--quiet silences notes and warnings, never errors. Text that is not UTF-8 (a path in GBK bytes) is
// shown escaped (\xNN). Safe from any thread (GDAL's messages come from its workers).
class Reporter {
public:
    explicit Reporter(std::string verb) : m_verb(std::move(verb)) {}
    const std::string& verb() const { return m_verb; }

    void note(const std::string& message) const;
    void warn(const std::string& message) const;
    void error(const std::string& message) const;
    void notes(const std::vector<std::string>& messages) const;
    void warnings(const std::vector<std::string>& messages) const;
    // One warning per field a Shapefile output holds under a shorter name (LayerWriter::renamed_fields()).
    void renamed_fields(const std::vector<FieldRename>& renamed, const std::string& path) const;
    // A progress line for `fraction` done (0…1), redrawn in place; nothing for a step too small to see.
    std::function<void(double)> progress_bar() const;

private:
    std::string m_verb;  // "" for zonekit itself
};

void set_quiet(bool quiet);

// True when stderr is a terminal (progress is shown then).
bool stderr_is_terminal();

}  // namespace zk::cli
