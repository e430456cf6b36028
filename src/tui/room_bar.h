// The room bar: one row listing every entry (joined rooms and private conversations) with its
// number for Alt-1..9, its unread count and mention marker, the shown one highlighted. Pure; the
// renderer draws the row.
#pragma once

#include <string>

#include "tui/log_view.h"
#include "tui/screen_state.h"

namespace natter::tui {

// What the bar says for entry `index`: "2:#rust", "3:@bob(4)", "4:#ops(2!)" ("!": a mention or a
// private message to you among the unread).
std::string room_bar_label(const ScreenState& s, std::size_t index);

// The bar at `width` columns. When the entries do not all fit, the ones around the shown entry
// are, with "<" or ">" for those cut off on either side (highlighted when they hold unread
// messages or mentions).
Row room_bar_row(const ScreenState& s, int width);

}  // namespace natter::tui
