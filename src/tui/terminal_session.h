// Owns the terminal while natter runs: puts it into the mode natter needs (ncursesw, raw keys,
// bracketed paste, mouse wheel, a short ESC delay) and always puts it back, on every way out.
#pragma once

#include <string>

#include "tui/key_decoder.h"

namespace natter::tui {

class TerminalSession {
public:
    TerminalSession() = default;
    ~TerminalSession() { close(); }
    TerminalSession(const TerminalSession&) = delete;
    TerminalSession& operator=(const TerminalSession&) = delete;

    // Takes over the terminal on stdin/stdout. False (with the reason) if it cannot.
    bool open(std::string& error);
    // Gives the terminal back as it was. Safe to call twice.
    void close();

    bool colour() const { return colour_; }
    RuntimeKeyCodes key_codes() const { return codes_; }

private:
    bool open_ = false;
    void* screen_ = nullptr;  // ncurses' SCREEN
    bool colour_ = false;
    RuntimeKeyCodes codes_;
};

// For a fatal signal: switches bracketed paste and mouse reporting off, leaves the alternate
// screen and restores the terminal modes saved by open(). Async-signal-safe.
void emergency_terminal_restore();

}  // namespace natter::tui
