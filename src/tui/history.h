// A room's past in its scrollback: pages of history from the server put in place (above what is
// there, or below it after a reconnect), the "--- history ---" separator and the "beginning of
// #room" line, and /search results. Pure functions on one entry of the room bar.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "tui/message_log.h"
#include "tui/tabs.h"

namespace natter::tui {

// The smallest and largest server id in a log (0 when it holds no message with one).
std::uint64_t oldest_id(const MessageLog& log);
std::uint64_t newest_id(const MessageLog& log);

// The log starts with the "beginning of #room" line: the server has nothing older.
bool at_beginning(const Tab& t);

// Whether scrolling above the oldest line should ask the server for the page before it: a room
// we are in, not at its beginning, no request out, and room in the scrollback.
bool wants_older(const Tab& t);

// A line of its own, "--- text ---".
Entry separator(std::string text, EntryKind kind = EntryKind::Separator);

struct Merged {
    std::size_t above = 0;  // entries put above the oldest
    std::size_t below = 0;  // entries put below the newest (missed while disconnected)
};
// Puts the page collected in t.page (closed by history_end; `more`: older ones exist) in place by
// id: messages older than the oldest in the log go above it, newer than the newest below it (a
// reconnect's page), the rest are already there. The first history above live messages gets the
// "--- history ---" separator under it; without `more` the "beginning of #room" line goes on top.
// What does not fit the scrollback's bounds is dropped and `full` set. Clears the page.
Merged merge_history(Tab& t, bool more);

// Shows the results collected in t.found (closed by search_end; `more`: older matches exist) at
// the bottom of the log, between a header and a footer. Clears them.
void show_search_results(Tab& t, bool more);

}  // namespace natter::tui
