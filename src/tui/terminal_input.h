// Reads the keyboard through ncurses (wget_wch, never waiting) and hands back keys: the shell
// around KeyDecoder, which does the actual decoding and is tested without a terminal.
#pragma once

#include <vector>

#include "tui/key_decoder.h"
#include "tui/keys.h"

namespace natter::tui {

class TerminalInput {
public:
    // Keys read per call at most, so a flood of input cannot starve the socket.
    static constexpr int kMaxKeysPerRead = 4096;

    explicit TerminalInput(RuntimeKeyCodes codes) : decoder_(codes) {}

    // Everything the terminal has sent so far, decoded. `resized` is set when ncurses reported a
    // new terminal size (KEY_RESIZE).
    std::vector<Key> read(bool& resized);

private:
    KeyDecoder decoder_;
};

}  // namespace natter::tui
