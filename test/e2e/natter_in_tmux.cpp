#include "natter_in_tmux.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace natter::testing {

void send_line(TmuxDriver& tmux, const std::string& session, const std::string& line) {
    // The input line shows the start of the text: up to 12 bytes, cut at a character boundary.
    std::size_t cut = std::min<std::size_t>(line.size(), 12);
    while (cut > 0 && cut < line.size() && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    const std::string shown = "> " + line.substr(0, cut);
    tmux.type(session, line);
    ASSERT_TRUE(tmux.wait_until(session, [&](const std::string& s) {
        return last_rows(s, 1).front().rfind(shown, 0) == 0;
    })) << tmux.screen(session);
    tmux.press(session, "Enter");
    ASSERT_TRUE(tmux.wait_until(session, [](const std::string& s) {
        return last_rows(s, 1).front() == ">";
    })) << tmux.screen(session);
}

}  // namespace natter::testing
