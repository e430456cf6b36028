// Draws the screen state with ncurses: one window per pane, only the dirty ones redrawn, each
// wnoutrefresh'ed and then one doupdate per loop turn. The only code that writes to the screen.
#pragma once

#include <curses.h>

#include "tui/layout.h"
#include "tui/log_view.h"
#include "tui/screen_state.h"

namespace natter::tui {

class Renderer {
public:
    explicit Renderer(bool colour);
    ~Renderer();
    Renderer(const Renderer&) = delete;
    Renderer& operator=(const Renderer&) = delete;

    // The terminal changed size (or the user pane wants another width): new windows, all dirty.
    void relayout(ScreenState& s);
    // Draws what is dirty and clears the flags. `full` repaints the whole terminal (Ctrl-L).
    void draw(ScreenState& s, bool full = false);
    void bell();

private:
    void draw_rows(WINDOW* w, const std::vector<Row>& rows, const Rect& r, bool bottom_aligned);
    void put_row(WINDOW* w, int y, const Row& row, int width, attr_t base = A_NORMAL,
                 short bar_pair = 0);
    attr_t attr_for(Style st, short& pair) const;
    void free_windows();

    bool colour_;
    Layout layout_;
    int users_width_ = 0;
    WINDOW* bar_ = nullptr;
    WINDOW* log_ = nullptr;
    WINDOW* border_ = nullptr;
    WINDOW* users_ = nullptr;
    WINDOW* status_ = nullptr;
    WINDOW* input_ = nullptr;
};

}  // namespace natter::tui
