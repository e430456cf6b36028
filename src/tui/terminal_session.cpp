#include "tui/terminal_session.h"

#include <curses.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace natter::tui {

namespace {

// Terminal modes before we changed them, for emergency_terminal_restore().
struct termios g_saved_modes;
volatile bool g_have_saved_modes = false;

constexpr char kPasteOn[] = "\x1b[?2004h";
// Bracketed paste off, every mouse mode off, cursor visible, normal screen.
constexpr char kRestore[] = "\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?25h\x1b[?1049l\r\n";

void write_all(const char* s, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(STDOUT_FILENO, s, n);
        if (w <= 0) return;
        s += w;
        n -= static_cast<std::size_t>(w);
    }
}

// The key code ncurses gives a named extended key (e.g. "kLFT5", Ctrl-Left), or 0.
int extended_key(const char* name) {
    char* seq = tigetstr(name);
    if (seq == nullptr || seq == reinterpret_cast<char*>(-1)) return 0;
    const int code = key_defined(seq);
    return code > 0 ? code : 0;
}

}  // namespace

void emergency_terminal_restore() {
    write_all(kRestore, sizeof kRestore - 1);
    if (g_have_saved_modes) tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_modes);
}

bool TerminalSession::open(std::string& error) {
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        error = "natter needs a terminal (stdin and stdout must be a tty)";
        return false;
    }
    if (tcgetattr(STDIN_FILENO, &g_saved_modes) == 0) g_have_saved_modes = true;
    SCREEN* screen = newterm(nullptr, stdout, stdin);
    if (screen == nullptr) {
        const char* term = std::getenv("TERM");
        error = std::string("cannot use terminal type \"") + (term ? term : "") + "\"";
        return false;
    }
    open_ = true;
    screen_ = screen;
    raw();  // Ctrl-C and Ctrl-D arrive as keys and leave cleanly
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);  // ESC alone reacts at once
    // ncurses knows nothing of bracketed paste; teach it the two markers as keys of our own.
    define_key("\x1b[200~", kKeyPasteBegin);
    define_key("\x1b[201~", kKeyPasteEnd);
    codes_.ctrl_left = extended_key("kLFT5");
    codes_.ctrl_right = extended_key("kRIT5");
    mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, nullptr);
    mouseinterval(0);
    const char* no_colour = std::getenv("NO_COLOR");
    colour_ = has_colors() && !(no_colour && *no_colour);
    if (colour_) {
        start_color();
        use_default_colors();
    }
    refresh();
    write_all(kPasteOn, sizeof kPasteOn - 1);
    return true;
}

void TerminalSession::close() {
    if (!open_) return;
    open_ = false;
    mousemask(0, nullptr);
    endwin();
    write_all("\x1b[?2004l", 8);
    delscreen(static_cast<SCREEN*>(screen_));
    screen_ = nullptr;
}

}  // namespace natter::tui
