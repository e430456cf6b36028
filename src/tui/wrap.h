// Wrapping displayable text into rows by display width.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace natter::tui {

// One row of wrapped text: bytes [begin, end) of the input, `width` columns wide.
struct RowRange {
    std::size_t begin = 0;
    std::size_t end = 0;
    int width = 0;
    bool operator==(const RowRange& o) const {
        return begin == o.begin && end == o.end && width == o.width;
    }
};

// Wraps displayable text (see displayable_lines()) into rows: the first at most `first_width`
// columns, the others at most `width`. '\n' always ends a row. A row breaks after the last space
// that fits (the spaces at the break are dropped), or next to a wide character (CJK has no
// spaces); a word longer than a row is cut between characters. A wide character is never split
// and a mark stays with its base. Widths below 2 count as 2, so a wide character always fits.
// Empty text gives one empty row.
std::vector<RowRange> wrap(std::string_view text, int first_width, int width);

}  // namespace natter::tui
