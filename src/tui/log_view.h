// How the message log looks: each entry formatted into styled text and wrapped into rows of a
// given width. Pure: the renderer copies these rows to the screen cell by cell, and tests (and a
// fuzz target) inspect them without a terminal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tui/message_log.h"

namespace natter::tui {

// What a piece of text is; the renderer picks colours and attributes for it (or, with NO_COLOR,
// attributes only).
enum class Role : std::uint8_t {
    Text, Time, Nick, OwnNick, Private, Notice, Info, Error, Mention, Marker,
    History,     // a message from a room's history: dimmed
    Current,     // the room bar's entry being shown
    Unread,      // a room bar entry with unread messages
};

struct Style {
    Role role = Role::Text;
    std::uint8_t colour = 0;  // for Nick: the nickname's colour, 0 .. kNickColours - 1
    bool operator==(const Style& o) const { return role == o.role && colour == o.colour; }
    bool operator!=(const Style& o) const { return !(*this == o); }
};

constexpr int kNickColours = 6;

// A stable colour for a nickname: the same on every screen and in every session, whatever the case.
std::uint8_t nick_colour(std::string_view nick);

// "HH:MM" in local time for a time stamp in ms since the epoch.
std::string clock_text(std::uint64_t ts_ms);
// "YYYY-MM-DD HH:MM" in local time.
std::string date_time_text(std::uint64_t ts_ms);
// Whether two time stamps fall on the same local day (history from another day shows its date).
bool same_local_day(std::uint64_t a_ms, std::uint64_t b_ms);

struct Span {
    std::string text;  // displayable, no '\n'
    Style style;
    bool operator==(const Span& o) const { return text == o.text && style == o.style; }
};

struct Row {
    std::vector<Span> spans;
    int width = 0;  // columns used, at most the width asked for
};

// One entry as a single styled text: the prefix (time, nickname) then the message.
struct Formatted {
    std::string text;
    std::vector<std::pair<std::size_t, Style>> runs;  // style from this byte on
    int indent = 0;  // columns before the message text: continuation rows line up under it
};
Formatted format_entry(const Entry& e);

// The rows an entry takes at `width` columns (at least 1 row).
std::vector<Row> entry_rows(const Entry& e, int width);
int entry_row_count(const Entry& e, int width);

// The rows to show in a log window of width x height, oldest at the top, ending at the log's
// scroll position. Fewer than `height` rows when the log is short.
std::vector<Row> visible_rows(const MessageLog& log, int width, int height);

// Received text drawn at a width: displayable_lines, wrapped, split into rows. The whole text path
// from network bytes to screen cells, as a function (the fuzz target's entry point).
std::vector<Row> text_rows(std::string_view raw, int width);

}  // namespace natter::tui
