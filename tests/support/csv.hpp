// CSV tables that zonekit writes, read back as text (none of the fixtures' cells holds a quoted comma).
#pragma once

#include <string>
#include <vector>

namespace zk::test {

// The cells of one line: split at every comma, a trailing comma giving a last, empty cell.
std::vector<std::string> csv_cells(const std::string& line);

// The lines of a CSV text, without their line ends ("\n" or "\r\n").
std::vector<std::string> csv_lines(const std::string& text);

}  // namespace zk::test
