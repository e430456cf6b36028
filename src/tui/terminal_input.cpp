#include "tui/terminal_input.h"

#include <curses.h>

namespace natter::tui {

std::vector<Key> TerminalInput::read(bool& resized) {
    resized = false;
    std::vector<RawKey> batch;
    wint_t ch = 0;
    for (int n = 0; n < kMaxKeysPerRead; ++n) {
        const int rc = wget_wch(stdscr, &ch);  // nodelay: ERR as soon as nothing is waiting
        if (rc == ERR) break;
        if (rc != KEY_CODE_YES) {
            batch.push_back(RawKey::ch(static_cast<char32_t>(ch)));
            continue;
        }
        if (ch == KEY_RESIZE) {
            resized = true;
            continue;
        }
        RawKey r = RawKey::code(static_cast<int>(ch));
        if (ch == KEY_MOUSE) {
            MEVENT ev;
            if (getmouse(&ev) == OK) {
                r.wheel_up = (ev.bstate & BUTTON4_PRESSED) != 0;
                r.wheel_down = (ev.bstate & BUTTON5_PRESSED) != 0;
            }
        }
        batch.push_back(r);
    }
    return decoder_.decode(batch);
}

}  // namespace natter::tui
