// Reads a file of the source tree (a man page, say) from a unit test.
#pragma once

#include <string>

namespace natter::testing {

// The contents of `relative` (e.g. "man/natter.1"), looked for from the working directory (make
// runs tests from the top of the checkout) and from $NATTER_BUILD upwards; empty if not found.
std::string read_repo_file(const std::string& relative);

}  // namespace natter::testing
