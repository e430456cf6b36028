// Typing into a natter client that runs in a tmux session, as a person would, for the end-to-end
// tests.
#pragma once

#include <string>

#include "tmux_driver.h"

namespace natter::testing {

// Sends a line: types it, presses Enter once the input line shows it, then waits until the input
// line is empty again. Keys sent back to back could otherwise reach natter in one read, where an
// Enter followed by more input counts as a line break inside a paste. Fails the test (gtest
// assertions) when either wait runs out.
void send_line(TmuxDriver& tmux, const std::string& session, const std::string& line);

}  // namespace natter::testing
