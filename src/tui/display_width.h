// How many terminal columns text takes, and how received text is made fit to draw.
// Widths come from wcwidth(3), so the program (or test) must have set a UTF-8 LC_CTYPE first.
#pragma once

#include <string>
#include <string_view>

namespace natter::tui {

// Columns one code point takes: 0 (combining marks, joiners), 1, or 2 (East Asian wide, most
// emoji); -1 when the terminal cannot show it (unassigned, controls, separators).
int codepoint_width(char32_t cp);

// Columns that displayable text (see displayable()) takes on one line.
int display_width(std::string_view s);

// Makes text received from the network safe and measurable, one line at a time (no '\n' in the
// result): text::sanitize_for_terminal, then every code point with no width becomes U+FFFD and a
// zero-width mark with nothing to sit on gets a space under it. Afterwards every code point has
// width 0, 1 or 2, and a width-0 one always follows a visible one.
std::string displayable(std::string_view raw);

// The same for text that may hold several lines: each line made displayable, joined with '\n'.
std::string displayable_lines(std::string_view raw);

}  // namespace natter::tui
