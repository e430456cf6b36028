// Where each pane goes for a terminal of a given size. Pure, so every size (down to 1x1) is tested.
#pragma once

namespace natter::tui {

struct Rect {
    int y = 0, x = 0, h = 0, w = 0;
    bool empty() const { return h <= 0 || w <= 0; }
    bool operator==(const Rect& o) const { return y == o.y && x == o.x && h == o.h && w == o.w; }
};

struct Layout {
    Rect bar;     // the room bar, the top row; empty when the terminal is short
    Rect log;     // the message log, left
    Rect border;  // the one-column line between the log and the user pane
    Rect users;   // the online users, right; empty when the terminal is narrow
    Rect status;  // one row above the input line
    Rect input;   // the bottom row
};

// The user pane shows when the terminal has at least this many columns.
constexpr int kMinColsForUsers = 60;
// The room bar shows when the terminal has at least this many rows (the log keeps two).
constexpr int kMinRowsForBar = 5;

// `users_width` is what the user pane would like (its longest line); it is kept between 12 and
// 24 columns. A terminal too small for a pane leaves that pane empty: one row is only the input
// line, two rows add the status bar, three the log, five the room bar.
Layout compute_layout(int rows, int cols, int users_width);

}  // namespace natter::tui
