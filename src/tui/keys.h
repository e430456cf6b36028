// A key press (or paste, or wheel turn) as the pure core sees it, independent of ncurses.
#pragma once

#include <string>

namespace natter::tui {

enum class KeyCode {
    Char,        // a typed character: Key::ch
    Paste,       // a bracketed paste: Key::text, possibly many lines
    Enter,
    Newline,     // Enter inside an unbracketed paste burst: a line break, not a send
    Tab,
    Backspace,
    Delete,
    Left, Right, Home, End, WordLeft, WordRight,
    Up, Down,
    PageUp, PageDown, WheelUp, WheelDown,
    KillToStart,   // Ctrl-U
    KillToEnd,     // Ctrl-K
    KillWordBack,  // Ctrl-W
    Yank,          // Ctrl-Y
    Redraw,        // Ctrl-L
    Escape,
    Interrupt,     // Ctrl-C
    EndOfInput,    // Ctrl-D
    SwitchTab,     // Alt-1 .. Alt-9: Key::ch is the number in the room bar
    NextTab,       // Ctrl-N
    PrevTab,       // Ctrl-P
};

struct Key {
    KeyCode code = KeyCode::Char;
    char32_t ch = 0;
    std::string text;

    static Key of(KeyCode c) { return Key{c, 0, {}}; }
    static Key typed(char32_t c) { return Key{KeyCode::Char, c, {}}; }
    static Key paste(std::string t) { return Key{KeyCode::Paste, 0, std::move(t)}; }
    static Key tab_number(int n) { return Key{KeyCode::SwitchTab, static_cast<char32_t>(n), {}}; }
};

}  // namespace natter::tui
