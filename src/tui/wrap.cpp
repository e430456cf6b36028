#include "tui/wrap.h"

#include <algorithm>

#include "shared/text.h"
#include "tui/display_width.h"

namespace natter::tui {

namespace {

// One character as the terminal draws it: a base code point and the marks after it.
struct Cluster {
    std::size_t begin;
    std::size_t end;
    int width;
    bool space;
};

Cluster next_cluster(std::string_view s, std::size_t i) {
    Cluster c{i, i, 0, false};
    const char32_t base = text::decode_one(s, c.end);
    c.space = base == ' ';
    const int w = codepoint_width(base);
    c.width = w < 0 ? 1 : w;
    while (c.end < s.size()) {
        std::size_t j = c.end;
        const char32_t cp = text::decode_one(s, j);
        if (cp == '\n' || codepoint_width(cp) != 0) break;
        c.end = j;
    }
    return c;
}

}  // namespace

std::vector<RowRange> wrap(std::string_view text, int first_width, int width) {
    first_width = std::max(first_width, 2);
    width = std::max(width, 2);
    std::vector<RowRange> rows;
    std::size_t i = 0;
    bool first = true;
    while (true) {
        const int limit = first ? first_width : width;
        first = false;
        RowRange row{i, i, 0};
        // The last place the row may end softly: it ends at b_end, the next row starts at b_next.
        bool have_break = false;
        std::size_t b_end = 0, b_next = 0;
        int b_width = 0;
        bool prev_wide = false, prev_space = false, wrapped = false;
        while (i < text.size() && text[i] != '\n') {
            const Cluster c = next_cluster(text, i);
            const bool wide = c.width == 2;
            if (row.end > row.begin) {
                if (c.space && !prev_space) {
                    // Before a run of spaces; the run itself is dropped if the row ends here.
                    std::size_t j = i;
                    while (j < text.size() && text[j] == ' ') ++j;
                    have_break = true, b_end = row.end, b_width = row.width, b_next = j;
                } else if (!c.space && (wide || prev_wide)) {
                    have_break = true, b_end = row.end, b_width = row.width, b_next = i;
                }
            }
            if (row.width + c.width > limit) {
                wrapped = true;
                if (have_break) {
                    row.end = b_end, row.width = b_width;
                    i = b_next;
                } else if (row.end == row.begin) {
                    row.end = i = c.end, row.width = c.width;  // unreachable with limit >= 2
                }
                break;  // otherwise cut the word before this character
            }
            row.end = i = c.end;
            row.width += c.width;
            prev_wide = wide, prev_space = c.space;
        }
        rows.push_back(row);
        if (wrapped) {
            if (i >= text.size()) break;
            if (text[i] == '\n') ++i;  // the row already ended here; no empty row for it
            continue;
        }
        if (i >= text.size()) break;
        ++i;  // past the '\n'
    }
    return rows;
}

}  // namespace natter::tui
