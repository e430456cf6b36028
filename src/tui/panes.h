// What the small panes say: the status bar, the user list, the prompt, and the log pane with its
// "new messages below" marker. Pure functions of the screen state, drawn by the renderer.
#pragma once

#include <string>
#include <vector>

#include "tui/log_view.h"
#include "tui/screen_state.h"

namespace natter::tui {

// The log pane's rows: the visible part of the log, and while scrolled up a marker row at the
// bottom saying how many messages are below.
std::vector<Row> log_pane_rows(const ScreenState& s, int width, int height);

// The user pane: a header ("3 online") then one row per user, yours marked with '*', those
// ignoring group messages marked "(i)"; "+N more" when they do not all fit.
std::vector<Row> user_pane_rows(const ScreenState& s, int width, int height);
// The width the user pane would like: its longest row.
int user_pane_width(const ScreenState& s);

// The status bar: server, nickname, connection state, ignore mode, "more below".
Row status_row(const ScreenState& s, int width);

// The text before the input line: "> ", "nickname> " while asking for one, "[3 lines] > " for a
// multi-line paste.
std::string prompt(const ScreenState& s);

// Cuts displayable text to at most `width` columns, ending in "…" when something was cut.
std::string fit(const std::string& s, int width);

}  // namespace natter::tui
