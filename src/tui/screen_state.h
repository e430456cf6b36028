// The whole view as a value: the room bar's entries (each with its log and members), the input
// line, the link to the server and the dirty flags that say which panes to redraw. apply.h
// changes it; renderer.h draws it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "shared/protocol.h"
#include "tui/completion.h"
#include "tui/input_line.h"
#include "tui/message_log.h"
#include "tui/send_pacer.h"
#include "tui/tabs.h"

namespace natter::tui {

enum class Link {
    Connecting,  // TCP connect in progress
    LoggingIn,   // hello sent, waiting for welcome
    AskingNick,  // the nickname was refused: the input line asks for another
    Online,
    Offline,     // lost or refused; a reconnect is scheduled
};

struct Dirty {
    bool log = true, users = true, status = true, input = true, bar = true;
    void all() { log = users = status = input = bar = true; }
    bool any() const { return log || users || status || input || bar; }
    void clear() { log = users = status = input = bar = false; }
};

struct ScreenState {
    static constexpr std::size_t kMaxSpeakers = 64;
    static constexpr std::size_t kMaxKnownRooms = 1000;   // from /rooms, for completion
    static constexpr std::size_t kMaxPendingJoins = 16;  // the oldest is forgotten first

    ScreenState(std::string address, std::string nick);

    // The room bar's entries, never empty: #lobby is the first until you leave it.
    std::vector<Tab> tabs;
    std::size_t current = 0;
    std::uint64_t activity = 0;  // counts posts, for Tab::last_active

    Tab& tab() { return tabs[current]; }
    const Tab& tab() const { return tabs[current]; }
    MessageLog& log() { return tab().log; }
    const MessageLog& log() const { return tab().log; }
    // Who the user pane lists: the current room's members.
    const std::vector<UserInfo>& users() const { return tab().members; }

    std::vector<UserInfo> incoming;   // chunks of a users answer without a room still arriving
    // A server from before rooms sends its users list (without a room) after welcome: it is
    // #lobby's. A server with rooms says "joined" first, which ends the wait.
    bool login_list_pending = false;
    // /ls answers to print in the log, by room key ("" for everyone online).
    std::map<std::string, int> who_pending;
    // /mode questions typed, by room key: their answers are printed in the log; the question
    // asked on joining a room is for the status bar alone.
    std::map<std::string, int> modes_pending;
    // Rooms /join asked for (by tab key), with the room key typed if any: when the server says
    // we joined one, it is shown (and its tab keeps the room key, to join it again after a
    // reconnect).
    struct PendingJoin {
        std::string tab;
        std::string room_key;
    };
    std::vector<PendingJoin> join_pending;
    int rooms_pending = 0;                 // /rooms answers to print
    std::vector<RoomInfo> rooms_incoming;  // chunks of a rooms answer still arriving
    std::vector<std::string> known_rooms;  // every room in the last /rooms answer (completion)
    std::vector<std::string> speakers;     // who spoke recently, most recent first (completion)

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
    // What waits to be sent, paced under the server's flood limit (pace() in apply.h); emptied
    // when the connection goes.
    Outbox outbox;

    // The log window's size: scrolling counts wrapped rows at this width.
    int log_width = 80;
    int log_height = 20;

    Dirty dirty;
};

// Adds an entry to an entry of the bar (time `now_ms` for a local notice), keeping the dirty
// flags right. In an entry not shown, a message from someone else counts as unread; one that
// mentions you or a private message to you sets the mention marker.
void post(ScreenState& s, std::size_t tab, Entry e);
// The same, in the entry shown.
void add_entry(ScreenState& s, Entry e);
void note(ScreenState& s, EntryKind kind, std::string_view text, std::uint64_t now_ms);

// Shows another entry: its unread count and mention marker are cleared.
void switch_tab(ScreenState& s, std::size_t index);
// The entry for a room or person, opened (at the end of the bar) if there is none. A private
// conversation past kMaxPrivateTabs closes the one quiet the longest; past kMaxRoomTabs, or for a
// name the rules refuse (a hostile server), nothing opens: kNoTab.
std::size_t open_tab(ScreenState& s, TabKind kind, std::string_view name);
// Removes an entry; the one before it is shown if it was. The last entry is only emptied.
void close_tab(ScreenState& s, std::size_t index);
// Where something goes that belongs to no entry: #lobby if it is there, else the entry shown.
std::size_t fallback_tab(const ScreenState& s);

// Records that someone spoke, for completion order.
void spoke(ScreenState& s, std::string_view nick);
// Nicknames to complete, best first: recent speakers, then the current room's members, then
// everyone else known; never yourself, never a name the nickname rule refuses.
std::vector<std::string> completion_nicks(const ScreenState& s);
// Room names to complete: the rooms in the bar, then the others from the last /rooms.
std::vector<std::string> completion_rooms(const ScreenState& s);

// Whether `text` mentions `nick`: case-insensitively, not as part of a longer ASCII word.
bool mentions(std::string_view text, std::string_view nick);

}  // namespace natter::tui
