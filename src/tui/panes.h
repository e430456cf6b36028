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

// The user pane: the members of the room shown, with a header ("3 here"), yours marked with '*',
// the room's operator with '@', those ignoring group messages with "(i)"; "+N more" when they do
// not all fit. For a private conversation: "private", the other person and you.
std::vector<Row> user_pane_rows(const ScreenState& s, int width, int height);
// The width the user pane would like: its longest row.
int user_pane_width(const ScreenState& s);

// The status bar: nickname, server, connection state, the room shown with its modes and how many
// are in it ("#ops(+mnt) (3)") or the conversation, ignore mode, "loading history", "more below",
// and the room's topic.
Row status_row(const ScreenState& s, int width);

// The text before the input line: "> ", "nickname> " while asking for one, "[3 lines] > " for a
// multi-line paste.
std::string prompt(const ScreenState& s);

// Cuts displayable text to at most `width` columns, ending in "…" when something was cut.
std::string fit(const std::string& s, int width);

}  // namespace natter::tui
