// The whole view as a value: the log, who is online, the input line, the link to the server and
// the dirty flags that say which panes to redraw. apply.h changes it; renderer.h draws it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/protocol.h"
#include "tui/completion.h"
#include "tui/input_line.h"
#include "tui/message_log.h"

namespace natter::tui {

enum class Link {
    Connecting,  // TCP connect in progress
    LoggingIn,   // hello sent, waiting for welcome
    AskingNick,  // the nickname was refused: the input line asks for another
    Online,
    Offline,     // lost or refused; a reconnect is scheduled
};

struct Dirty {
    bool log = true, users = true, status = true, input = true;
    void all() { log = users = status = input = true; }
    bool any() const { return log || users || status || input; }
};

struct ScreenState {
    static constexpr std::size_t kMaxUsers = 100000;     // a hostile server cannot exhaust memory
    static constexpr std::size_t kMaxSpeakers = 64;

    ScreenState(std::string address, std::string nick);

    MessageLog log;
    std::vector<UserInfo> users;      // who is online, sorted case-insensitively
    std::vector<UserInfo> incoming;   // chunks of a users answer still arriving
    // How many are online when the server sent only part of the list (past its presence limit,
    // where it also stops telling joins and leaves); 0 while `users` is the whole list.
    std::uint64_t online_total = 0;
    bool login_list_pending = false;  // the next complete users answer is the one after welcome
    int who_pending = 0;              // /ls answers to print in the log
    std::vector<std::string> speakers;  // who spoke recently, most recent first (completion)

    InputLine input;
    Completer completer;
    std::u32string stashed;  // the line being typed when the nickname prompt took the input

    std::string address;  // host:port, as given
    std::string server;   // the server's name from welcome
    std::string nick;     // ours: registered, or the one to try next
    Link link = Link::Connecting;
    std::string link_note;  // why we are offline
    bool ignoring = false;  // ignore mode: no group messages
    bool quitting = false;

    // The log window's size: scrolling counts wrapped rows at this width.
    int log_width = 80;
    int log_height = 20;

    Dirty dirty;
};

// Appends a log entry (time `now_ms` for a local notice), keeping the dirty flags right.
void add_entry(ScreenState& s, Entry e);
void note(ScreenState& s, EntryKind kind, std::string_view text, std::uint64_t now_ms);

// Who is online, kept sorted the way the server sorts (case-insensitively).
void set_users(ScreenState& s, std::vector<UserInfo> users);
// How many are online: the server's total while the list is partial, else the list's size.
std::uint64_t online_count(const ScreenState& s);
void user_joined(ScreenState& s, std::string_view nick);
void user_left(ScreenState& s, std::string_view nick);
void user_renamed(ScreenState& s, std::string_view from, std::string_view to);
void user_ignoring(ScreenState& s, std::string_view nick, bool on);

// Records that someone spoke, for completion order.
void spoke(ScreenState& s, std::string_view nick);
// Nicknames to complete, best first: recent speakers, then everyone else online; never yourself,
// never a name the nickname rule refuses (a hostile server could send one).
std::vector<std::string> completion_nicks(const ScreenState& s);

// Whether `text` mentions `nick`: case-insensitively, not as part of a longer ASCII word.
bool mentions(std::string_view text, std::string_view nick);

}  // namespace natter::tui
