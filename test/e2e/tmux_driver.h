// Drives real programs inside tmux for end-to-end tests: a private tmux server (its own socket,
// no user configuration), one session per program at a fixed size, keys in with send-keys, the
// screen out with capture-pane, and polling until what a person would see appears.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace natter::testing {

// Runs argv (no shell) and returns its exit status (-1 if it could not run or took over 10 s);
// stdout goes into *out when given.
int run_program(const std::vector<std::string>& argv, std::string* out = nullptr);

class TmuxDriver {
public:
    TmuxDriver();   // a fresh socket under /tmp, named after this process
    ~TmuxDriver();  // kills this tmux server and everything in it
    TmuxDriver(const TmuxDriver&) = delete;
    TmuxDriver& operator=(const TmuxDriver&) = delete;

    // Starts a session running a shell command at cols x rows.
    bool start(const std::string& session, const std::string& command, int cols = 100,
               int rows = 30);
    // Types text literally (UTF-8 included).
    void type(const std::string& session, const std::string& text);
    // Presses named keys: "Enter", "C-c", "PPage", "Escape"...
    void press(const std::string& session, const std::string& key);
    // Pastes text as the terminal would, with bracketed-paste markers if the program asked.
    void paste(const std::string& session, const std::string& text);
    void resize(const std::string& session, int cols, int rows);
    // The screen as plain text, one line per row.
    std::string screen(const std::string& session);
    // The screen with colours and attributes as escape sequences (capture-pane -e).
    std::string screen_with_attributes(const std::string& session);
    // A tmux format evaluated for the session's pane, e.g. "#{pane_title}".
    std::string pane_format(const std::string& session, const std::string& format);

    // Polls the screen until `pred` holds (true) or the timeout passes (false).
    bool wait_until(const std::string& session, const std::function<bool(const std::string&)>& pred,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
    bool wait_for_text(const std::string& session, const std::string& text,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

    const std::string& socket() const { return socket_; }

private:
    std::vector<std::string> base(std::vector<std::string> args) const;
    std::string target(const std::string& session) const { return "=" + session + ":"; }

    std::string socket_;
};

// The part of each screen row right of the last vertical line (the user pane), joined by '\n'.
std::string user_pane_of(const std::string& screen);
// The last `n` rows of a screen.
std::vector<std::string> last_rows(const std::string& screen, std::size_t n);

}  // namespace natter::testing
