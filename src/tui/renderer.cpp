#include "tui/renderer.h"

#include <cstdlib>
#include <cwchar>

#include "shared/text.h"
#include "tui/display_width.h"
#include "tui/panes.h"
#include "tui/room_bar.h"

namespace natter::tui {

namespace {

// Colour pairs. 1..kNickColours are the nickname colours.
enum Pair : short {
    kPairPrivate = kNickColours + 1,
    kPairError,
    kPairInfo,
    kPairMention,
    kPairStatus,
    kPairMarker,
};

constexpr short kNickPalette[kNickColours] = {COLOR_RED,  COLOR_GREEN,   COLOR_YELLOW,
                                              COLOR_BLUE, COLOR_MAGENTA, COLOR_CYAN};

WINDOW* make(const Rect& r) { return r.empty() ? nullptr : newwin(r.h, r.w, r.y, r.x); }

// The line between the log and the user pane. In a UTF-8 locale it is drawn as the character
// U+2502 itself rather than the terminal's line-drawing set: a TERM that does not match the real
// terminal (xterm-256color inside tmux, say) would otherwise show a column of 'x'.
void draw_separator(WINDOW* w, int height) {
    if (MB_CUR_MAX > 1) {
        cchar_t line;
        const wchar_t glyph[] = {L'\u2502', L'\0'};
        setcchar(&line, glyph, A_NORMAL, 0, nullptr);
        mvwvline_set(w, 0, 0, &line, height);
    } else {
        mvwvline(w, 0, 0, ACS_VLINE, height);
    }
}

}  // namespace

Renderer::Renderer(bool colour) : colour_(colour) {
    if (colour_) {
        for (short i = 0; i < kNickColours; ++i) init_pair(static_cast<short>(i + 1), kNickPalette[i], -1);
        init_pair(kPairPrivate, COLOR_MAGENTA, -1);
        init_pair(kPairError, COLOR_RED, -1);
        init_pair(kPairInfo, COLOR_CYAN, -1);
        init_pair(kPairMention, COLOR_BLACK, COLOR_YELLOW);
        init_pair(kPairStatus, COLOR_WHITE, COLOR_BLUE);
        init_pair(kPairMarker, COLOR_BLACK, COLOR_YELLOW);
    }
}

Renderer::~Renderer() { free_windows(); }

void Renderer::free_windows() {
    for (WINDOW** w : {&bar_, &log_, &border_, &users_, &status_, &input_}) {
        if (*w) delwin(*w);
        *w = nullptr;
    }
}

void Renderer::relayout(ScreenState& s) {
    free_windows();
    users_width_ = user_pane_width(s);
    layout_ = compute_layout(LINES, COLS, users_width_);
    bar_ = make(layout_.bar);
    log_ = make(layout_.log);
    border_ = make(layout_.border);
    users_ = make(layout_.users);
    status_ = make(layout_.status);
    input_ = make(layout_.input);
    for (WINDOW* w : {bar_, log_, border_, users_, status_, input_})
        if (w) leaveok(w, w != input_ ? TRUE : FALSE);
    s.log_width = std::max(1, layout_.log.w);
    s.log_height = std::max(1, layout_.log.h);
    s.dirty.all();
    // Everything moved: the old contents of the terminal mean nothing now.
    clearok(curscr, TRUE);
}

attr_t Renderer::attr_for(Style st, short& pair) const {
    pair = 0;
    switch (st.role) {
        case Role::Text: return A_NORMAL;
        case Role::Time: return A_DIM;
        case Role::Nick:
            if (colour_) pair = static_cast<short>(st.colour % kNickColours + 1);
            return A_BOLD;
        case Role::OwnNick: return A_BOLD | A_UNDERLINE;
        case Role::Private:
            if (colour_) pair = kPairPrivate;
            return A_BOLD;
        case Role::Notice: return A_DIM;
        case Role::Info:
            if (colour_) pair = kPairInfo;
            return A_NORMAL;
        case Role::Error:
            if (colour_) pair = kPairError;
            return A_BOLD;
        case Role::Mention:
            if (colour_) pair = kPairMention;
            return colour_ ? A_BOLD : A_BOLD | A_REVERSE;
        case Role::Marker:
            if (colour_) pair = kPairMarker;
            return colour_ ? A_BOLD : A_REVERSE;
        case Role::History: return A_DIM;
        case Role::Current: return A_BOLD | A_REVERSE;
        case Role::Unread: return A_BOLD;
    }
    return A_NORMAL;
}

// Writes a row of displayable text cell by cell: one cchar_t per character with its marks, so
// ncurses puts wide characters and combining marks exactly where the wrap computed them.
// `base` is added to every cell's attributes; a non-zero `bar_pair` overrides the roles' colours.
void Renderer::put_row(WINDOW* w, int y, const Row& row, int width, attr_t base, short bar_pair) {
    wmove(w, y, 0);
    int col = 0;
    for (const auto& span : row.spans) {
        short pair = 0;
        const attr_t attr = base | attr_for(span.style, pair);
        if (bar_pair) pair = bar_pair;
        const std::string& t = span.text;
        for (std::size_t i = 0; i < t.size();) {
            wchar_t wc[CCHARW_MAX + 1] = {};
            const char32_t cp = text::decode_one(t, i);
            int cw = codepoint_width(cp);
            wc[0] = static_cast<wchar_t>(cw < 0 ? text::kReplacement : cp);
            if (cw <= 0) cw = 1;  // displayable text has no lone marks; never draw a zero-width cell
            int n = 1;
            while (i < t.size()) {
                std::size_t j = i;
                const char32_t m = text::decode_one(t, j);
                if (codepoint_width(m) != 0) break;
                if (n < CCHARW_MAX) wc[n++] = static_cast<wchar_t>(m);
                i = j;
            }
            if (col + cw > width) return;  // never past the window's edge
            cchar_t cc;
            setcchar(&cc, wc, attr, pair, nullptr);
            wadd_wch(w, &cc);
            col += cw;
        }
    }
    if (col < width) wclrtoeol(w);
}

void Renderer::draw_rows(WINDOW* w, const std::vector<Row>& rows, const Rect& r, bool bottom) {
    const int n = static_cast<int>(rows.size());
    const int start = bottom && n < r.h ? r.h - n : 0;
    int y = 0;
    for (; y < start; ++y) {
        wmove(w, y, 0);
        wclrtoeol(w);
    }
    for (const auto& row : rows) {
        if (y >= r.h) break;
        put_row(w, y++, row, r.w);
    }
    for (; y < r.h; ++y) {
        wmove(w, y, 0);
        wclrtoeol(w);
    }
}

void Renderer::draw(ScreenState& s, bool full) {
    // A longer nickname may want a wider user pane.
    if (s.dirty.users && user_pane_width(s) != users_width_) {
        const int want = user_pane_width(s);
        if (compute_layout(LINES, COLS, want).users.w != layout_.users.w) relayout(s);
        users_width_ = want;
    }
    if (full) {
        clearok(curscr, TRUE);
        s.dirty.all();
    }
    if (!s.dirty.any()) return;
    if (s.dirty.bar && bar_) {
        put_row(bar_, 0, room_bar_row(s, layout_.bar.w), layout_.bar.w);
        wnoutrefresh(bar_);
    }
    if (s.dirty.log && log_) {
        draw_rows(log_, log_pane_rows(s, layout_.log.w, layout_.log.h), layout_.log, true);
        wnoutrefresh(log_);
    }
    if (s.dirty.users && users_) {
        draw_rows(users_, user_pane_rows(s, layout_.users.w, layout_.users.h), layout_.users, false);
        wnoutrefresh(users_);
        if (border_) {
            draw_separator(border_, layout_.border.h);
            wnoutrefresh(border_);
        }
    }
    if (s.dirty.status && status_) {
        // The bar: white on blue, or reverse video without colour.
        const attr_t bar = colour_ ? A_NORMAL : A_REVERSE;
        const short pair = colour_ ? kPairStatus : 0;
        wbkgdset(status_, static_cast<chtype>(' ') | bar | static_cast<chtype>(COLOR_PAIR(pair)));
        put_row(status_, 0, status_row(s, layout_.status.w), layout_.status.w, bar, pair);
        wnoutrefresh(status_);
    }
    if (input_) {
        if (s.dirty.input) {
            const std::string p = fit(prompt(s), layout_.input.w);
            const int pw = display_width(p);
            const int room = layout_.input.w - pw;
            Row row;
            row.spans.push_back({p, Style{Role::Info, 0}});
            InputView v;
            if (room > 0) {
                v = s.input.view(room);
                row.spans.push_back({v.text, Style{}});
            }
            put_row(input_, 0, row, layout_.input.w);
            wmove(input_, 0, room > 0 ? pw + v.cursor_col : layout_.input.w - 1);
        }
        // Last, so the terminal's cursor ends up in the input line.
        wnoutrefresh(input_);
    }
    doupdate();
    s.dirty.clear();
}

void Renderer::bell() { beep(); }

}  // namespace natter::tui
