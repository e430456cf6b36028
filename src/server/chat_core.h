// The chat logic, pure: state (who is connected, who is logged in under which nickname, who is
// in which room, who ignores group messages, the next message id) plus an event (a client
// connected, sent a message, sent a bad line, went away) gives the messages to send and the
// connections to close. No sockets, no clock (the caller passes `now`): every feature and refusal
// is a unit test. Room history goes through a RoomStore (room_store.h) the caller hands in; the
// core marks the deliveries that must wait until the store's batch is durable.
//
// The handlers are spread over three files: chat_core.cpp (login, nicknames, private messages,
// errors, leaving), chat_core_rooms.cpp (rooms, room messages, presence per room) and
// chat_core_history.cpp (history pages and search).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/room_store.h"
#include "shared/codec.h"
#include "shared/protocol.h"

namespace natter::server {

using ClientId = std::uint64_t;  // given by the caller; never reused

// One message for one or many clients. A broadcast is one Delivery, so the shell encodes it once.
struct Delivery {
    std::vector<ClientId> to;
    Message msg;
    // Not 0: this is what `durable_for` wrote to the store (a room message, a topic). Nobody may
    // receive it before the store's batch has committed; if the commit fails, `durable_for` gets
    // a not_stored error instead.
    ClientId durable_for = 0;
};

// Close a connection once everything queued for it (usually an error and a bye) has gone out.
// The core has already forgotten the client and told the others.
struct CloseAction {
    ClientId id;
    std::string reason;  // for the log
};

// Something worth a log line.
struct Note {
    ClientId id;
    std::string text;
};

// A change of a room's modes, operators or voiced members, for the members' IRC clients (IRC's
// MODE line). The natter protocol has no such message: natter members get the room's fresh
// member list instead when an operator or a voiced member changes.
struct ModeChange {
    std::vector<ClientId> to;
    std::string room;
    std::string by;       // who changed it
    char mode = 0;        // 'o', 'v', 'b', 'i', 'k', 'l', 'm', 'n', 's', 't'
    bool on = false;
    // For 'o' and 'v': whom it is about; for 'k': the key ("*" for -k); for +l: the limit; for
    // 'b': the mask.
    std::string nick;
};

// What one event produced. Deliveries are in order; closes take effect after them.
struct Outputs {
    std::vector<Delivery> deliveries;
    std::vector<CloseAction> closes;
    std::vector<Note> notes;
    std::vector<ModeChange> mode_changes;  // after the deliveries
    void clear() {
        deliveries.clear();
        closes.clear();
        notes.clear();
        mode_changes.clear();
    }
    bool empty() const { return deliveries.empty() && closes.empty() && notes.empty() && mode_changes.empty(); }
};


// A ban (IRC's MODE #room +b mask): who matches `mask` (nick!user@host, '*' and '?' as
// wildcards, case ignored) may neither join the room nor speak in it. natter users are
// nick!natter@natter.
struct RoomBan {
    std::string mask;  // as set, completed ("ann" is "ann!*@*")
    std::string by;    // who set it
    Millis ts = 0;
    std::string fold;  // the mask with its case folded, for matching
};

// Refusals only the IRC listener's requests can earn (natter clients have no KILL).
namespace irc_err {
constexpr const char* kNoPrivileges = "no_privileges";  // KILL by someone who is no server operator
}  // namespace irc_err

// A quit or part reason made fit to go to everyone: one line, at most kMaxReasonBytes.
std::string clean_reason(std::string_view raw);

struct CoreConfig {
    std::string server_name = "natterd";  // sent in the welcome, e.g. "natterd 0.1.0"
    std::string motd;
    // A client that earns this many errors within the window is disconnected.
    unsigned max_errors = 10;
    Millis error_window_ms = 60'000;
    // Past this many users online, presence goes quiet: joins, leaves, renames and ignore changes
    // are no longer told to everyone, and a newcomer gets only the first chunk of the user list
    // (with the total). Each such broadcast costs one delivery per user, so a crowd of N logging
    // in would cost N^2 (IRC's auditorium mode and large-guild gateways do the same).
    std::size_t presence_limit = 500;

    // ---- rooms and history ----
    // Where room messages and topics are kept (not owned); nullptr: no history at all.
    RoomStore* store = nullptr;
    std::size_t history_on_join = 50;       // messages sent on joining a room
    std::size_t history_page_bytes = kHistoryPageBytes;  // text per page, at most
    std::size_t max_rooms = 10000;          // rooms known at once (a join past it is refused)
    std::uint64_t first_message_id = 1;     // above every stored id
    std::vector<StoredRoom> restore = {};   // rooms from the store, known from the start
    // When the core starts: the creation time of #lobby and of the restored rooms (the store does
    // not keep one).
    Millis started = 0;
};

// A nickname given up (its holder quit, was disconnected or renamed), for IRC's WHOWAS.
struct Departure {
    std::string nick;
    ClientId id = 0;
    Millis ts = 0;
};

class ChatCore {
public:
    explicit ChatCore(CoreConfig config);

    // A connection was accepted; it may now send hello. natter clients are put in #lobby at
    // login (it is their group chat); IRC clients join what they ask for, as on any IRC server,
    // so they pass join_lobby = false.
    void connect(ClientId id, Millis now, bool join_lobby = true);

    // The connection is gone or being dropped by the shell (peer closed, timeout, output cap...).
    // Tells everyone else if the client was logged in. Unknown ids are ignored.
    void disconnect(ClientId id, std::string_view reason, Millis now, Outputs& out);

    // A decoded message from a client. Messages from unknown ids are ignored.
    void handle(ClientId id, const Message& msg, Millis now, Outputs& out);

    // A line that did not decode: the client gets the error and the connection stays usable,
    // until it has too many errors.
    void bad_line(ClientId id, const DecodeError& error, Millis now, Outputs& out);

    // A line over the frame limit: error, bye, close.
    void line_too_long(ClientId id, Millis now, Outputs& out);

    bool known(ClientId id) const { return clients_.count(id) != 0; }
    bool logged_in(ClientId id) const;
    // The nickname of a logged-in client, or nullptr.
    const std::string* nick(ClientId id) const;
    std::size_t connected() const { return clients_.size(); }
    std::size_t online() const { return online_.size(); }
    // The most clients logged in at once since the start (IRC's LUSERS tells it).
    std::size_t peak_online() const { return peak_online_; }
    // The latest nicknames given up, oldest first, at most kMaxDepartures.
    static constexpr std::size_t kMaxDepartures = 1024;
    const std::deque<Departure>& departures() const { return departures_; }
    // Every logged-in client, in no particular order.
    const std::vector<ClientId>& online_ids() const { return online_; }
    // False while #lobby is past the presence limit (see CoreConfig::presence_limit); every
    // client joins #lobby at login, so this is the crowd's presence mode.
    bool presence_broadcast_allowed() const;

    // A room known from the store, at start: it exists with its topic and modes, nobody in it.
    void restore_room(const StoredRoom& room);
    // The names of the rooms a client is in, in the order it joined them.
    std::vector<std::string> rooms_of(ClientId id) const;
    // How many rooms are known (with or without members).
    std::size_t room_count() const { return rooms_.size(); }

    // ---- operators, modes and away (chat_core_ops.cpp): what IRC clients ask for ----
    // The logged-in client holding `nick` (compared case-insensitively), or 0.
    ClientId find_nick(std::string_view nick) const;
    // Whether `id` may take `nick` now: it follows the rule and nobody else holds a lookalike.
    bool nick_available(ClientId id, const std::string& nick) const;
    // The name of the room called `name` (as created: "#Rust" for "#rust"), or "" if none.
    std::string room_name(std::string_view name) const;
    // A room's modes (nullptr: no such room), whether `id` is one of its operators or voiced
    // members, and when the room was created (0: no such room).
    const RoomModes* room_modes(std::string_view name) const;
    bool is_operator(std::string_view room, ClientId id) const;
    bool is_voiced(std::string_view room, ClientId id) const;
    Millis room_created(std::string_view name) const;
    // A client's away message ("" when present). Setting "" comes back.
    const std::string& away(ClientId id) const;
    void set_away(ClientId id, std::string_view text);
    // An operator removes `nick` from a room: every member (and `nick`) gets a left with `by`.
    void kick_from_room(ClientId by, const std::string& room, const std::string& nick, std::string_view reason,
                        Millis now, Outputs& out);
    // A member invites `nick` to a room (only an operator when the room is +i; natter's invite,
    // IRC's INVITE): both get an
    // invited. The invitation lets `nick` into the room once, even when it is invite-only or full
    // (+l; a key it still needs); it is
    // used up by joining, and forgotten when the room empties, which also clears +i (at most
    // kMaxInvitations per room, the oldest forgotten first).
    static constexpr std::size_t kMaxInvitations = 100;
    void invite(ClientId by, const std::string& room, const std::string& nick, Millis now, Outputs& out);
    // A room key: 1 to kMaxKeyBytes printable ASCII characters, no space or comma (IRC's JOIN
    // lists keys with commas).
    static constexpr std::size_t kMaxKeyBytes = 23;
    static bool key_valid(std::string_view key);
    // A client's user@host for bans: natter@natter unless the IRC listener says otherwise.
    void set_userhost(ClientId id, std::string userhost);
    // A room's bans, oldest first (nullptr: no such room); at most kMaxBans, each mask at most
    // kMaxBanMaskBytes.
    static constexpr std::size_t kMaxBans = 100;
    static constexpr std::size_t kMaxBanMaskBytes = 100;
    const std::vector<RoomBan>* room_bans(std::string_view name) const;
    // The highest member limit (+l) a room may have.
    static constexpr std::size_t kMaxLimit = 100000;
    // An operator sets or clears a room mode ('i', 'm', 'n', 's', 't'; 'k' with its key in
    // `nick`, '+l' with its limit there, in decimal, 'b' with a mask there; each refused with
    // invalid_mode_param if it breaks the rule), makes `nick` an operator or
    // not ('o'), or gives or takes its voice ('v'). Changes go to the members as mode_changes; a
    // change of operators or voice also sends the members the fresh member list.
    void set_room_mode(ClientId by, const std::string& room, char mode, bool on, const std::string& nick,
                       Millis now, Outputs& out);

    // ---- server operators (chat_core_admin.cpp): IRC's OPER and KILL ----
    // Makes a logged-in client a server operator or an ordinary user again (the IRC session
    // checks the credentials first).
    void set_server_operator(ClientId id, bool on);
    bool is_server_operator(ClientId id) const;
    std::size_t server_operators() const;
    // A server operator disconnects `nick` (natter or IRC client alike): the victim is told by
    // whom and why, and whoever shares a room with it sees it quit with "Killed (by (reason))".
    void kill(ClientId by, const std::string& nick, std::string_view reason, Millis now, Outputs& out);

private:
    struct Client {
        bool logged_in = false;
        bool ignoring = false;
        std::string nick;        // as registered
        std::string fold;        // fold_case(nick): key of by_fold_
        std::string skeleton;    // nick_skeleton(nick): key of by_skeleton_
        std::size_t slot = 0;    // index in online_ while logged in
        unsigned errors = 0;     // errors in the current window
        Millis errors_since = 0; // start of the window
        std::vector<std::string> rooms;  // keys of the rooms it is in, in the order joined
        std::uint64_t mark = 0;  // scratch for audiences over several rooms (see neighbours())
        std::string away;        // away message, "" when present
        bool join_lobby = true;  // joins #lobby at login (see connect())
        bool server_operator = false;  // may KILL (set_server_operator)
        std::string userhost = "natter@natter";  // for bans (set_userhost)
    };

    struct Room {
        std::string name;                // as created: "#Rust"
        std::string topic;
        std::string topic_by;
        Millis topic_ts = 0;
        std::vector<ClientId> members;   // dense, for fan-out
        ClientId op = 0;                 // its operator (first member of an empty room), or 0
        std::vector<ClientId> more_ops;  // operators made by an operator (IRC's MODE +o)
        std::vector<ClientId> voiced;    // may speak when moderated (IRC's MODE +v)
        std::vector<ClientId> invited;   // may join once though +i (see invite()), oldest first
        std::vector<RoomBan> bans;       // +b, oldest first
        RoomModes modes;
        Millis created = 0;              // created, or known since the server started
        bool quiet = false;              // past the presence limit: see update_room_presence()
        bool has_history = false;        // something was stored: keep the room when it empties
    };

    void on(ClientId, Client&, const Hello&, Millis, Outputs&);
    void on(ClientId, Client&, const Say&, Millis, Outputs&);
    void on(ClientId, Client&, const Tell&, Millis, Outputs&);
    void on(ClientId, Client&, const Me&, Millis, Outputs&);
    void on(ClientId, Client&, const ChangeNick&, Millis, Outputs&);
    void on(ClientId, Client&, const Who&, Millis, Outputs&);
    void on(ClientId, Client&, const SetIgnore&, Millis, Outputs&);
    void on(ClientId, Client&, const HelpRequest&, Millis, Outputs&);
    void on(ClientId, Client&, const Quit&, Millis, Outputs&);
    void on(ClientId, Client&, const Join&, Millis, Outputs&);
    void on(ClientId, Client&, const Part&, Millis, Outputs&);
    void on(ClientId, Client&, const ListRooms&, Millis, Outputs&);
    void on(ClientId, Client&, const TopicRequest&, Millis, Outputs&);
    void on(ClientId, Client&, const HistoryRequest&, Millis, Outputs&);
    void on(ClientId, Client&, const Search&, Millis, Outputs&);
    void on(ClientId, Client&, const Invite&, Millis, Outputs&);
    void on(ClientId, Client&, const Kick&, Millis, Outputs&);
    void on(ClientId, Client&, const ModeRequest&, Millis, Outputs&);
    void on(ClientId, Client&, const Ping&, Millis, Outputs&);
    void on(ClientId, Client&, const Pong&, Millis, Outputs&);

    // Refuses with an Error; counts it, and past the limit disconnects. Returns false when the
    // client was disconnected (the reference is then dangling).
    bool refuse(ClientId id, Client& c, const char* code, std::string text, Millis now, Outputs& out);
    // Why a nickname cannot be taken by `id` now (code and text), or false when it can.
    bool nick_refused(ClientId id, const std::string& nick, const char*& code, std::string& text) const;
    // The user list in chunks, each carrying the total; with `first_only`, just the first chunk.
    void send_user_list(const std::vector<ClientId>& to, bool first_only, Outputs& out) const;
    // ---- rooms (chat_core_rooms.cpp) ----
    // A room message (say or me) from `id` to `room`: checked, stored, delivered once durable.
    void room_message(ClientId id, Client& c, const std::string& room, const std::string& text,
                      bool action, bool notice, Millis now, Outputs& out);
    // The room called `name` if the client is in it; otherwise refuses (room_invalid or
    // not_in_room) and answers nullptr.
    Room* member_room(ClientId id, Client& c, const std::string& name, Millis now, Outputs& out);
    // The room of the client's called exactly `name` (the name the server gave it), or nullptr:
    // the usual case, with no rule to check and no key to compute.
    Room* joined_room(const Client& c, const std::string& name);
    // The room called `name`, or nullptr (also for an invalid name).
    Room* find_room(const std::string& name);
    // Puts a client in a room (creating it) and sends the join answer (see natter-protocol(7)).
    void join(ClientId id, Client& c, const std::string& key, const std::string& name, Millis now,
              Outputs& out);
    // The join answer's last part: the newest history (none in ignore mode) and history_end.
    void send_join_history(ClientId id, const Client& c, const Room& r, Outputs& out);
    // Takes a client out of one room (not out of Client::rooms: the caller does that). Returns
    // whether the remaining members may hear of it: the room is not quiet and did not just
    // change mode (then they were sent a fresh list instead).
    bool leave_room(ClientId id, const std::string& key, Outputs& out);
    // Forgets an empty room that has nothing worth keeping (no topic, no history), and the
    // settings stored for it, so that a room of that name starts afresh.
    void forget_if_unused(const std::string& key);
    // Stores a room's topic and modes (in the open batch); true without a store.
    bool store_room(const Room& r);
    // A room's member list in chunks (each with the total); with `first_only`, the first chunk.
    void send_room_list(const Room& r, const std::vector<ClientId>& to, bool first_only, Outputs& out) const;
    // Enters or leaves quiet presence after the room changed size; true on a change, and the
    // caller then sends every member a fresh list. Quiet starts past the limit and ends at 90%
    // of it: without the gap, one client joining and leaving at the limit would make the server
    // send the whole list to everyone each time.
    static bool update_room_presence(Room& r, std::size_t limit);
    // A page of history to one client, as history-marked messages and actions.
    static void send_page(ClientId to, const std::string& room, const HistoryPage& page, Outputs& out);
    // Everyone who shares a room with `id` where presence is not quiet (`id` itself excluded),
    // each once.
    std::vector<ClientId> neighbours(ClientId id, const Client& c);
    // The room's members, skipping those in ignore mode if asked.
    std::vector<ClientId> members(const Room& r, bool skip_ignoring) const;
    // ---- operators and modes (chat_core_ops.cpp) ----
    static bool is_op(const Room& r, ClientId id);
    static bool has_voice(const Room& r, ClientId id);
    // Whether a ban of the room matches the client.
    bool is_banned(const Room& r, ClientId id) const;
    const Room* find_room(std::string_view name) const;
    // The room called `name` as `id` may know it: nullptr when there is none, and when it is
    // secret (+s) and `id` is not in it (outsiders learn nothing of a secret room).
    const Room* visible_room(ClientId id, std::string_view name) const;
    // Whether `r` is secret and `id` is not in it: then `id` learns nothing of it.
    static bool hidden_from(const Room& r, ClientId id);
    // The logged-in client called `nick`; else refuses `id` with no_such_nick and answers 0.
    ClientId online_or_refuse(ClientId id, Client& c, const std::string& nick, Millis now, Outputs& out);
    // Remembers that a client gives up its nickname (see departures()).
    void depart(ClientId id, const Client& c, Millis now);
    // Forgets a client; tells the others it left if it was logged in.
    void remove(ClientId id, std::string_view reason, Millis now, Outputs& out);
    // Error, bye, and close.
    void kick(ClientId id, const char* code, std::string text, std::string_view reason, Millis now,
              Outputs& out);

    CoreConfig config_;
    std::unordered_map<ClientId, Client> clients_;
    std::vector<ClientId> online_;                        // logged in, dense for fan-out
    std::size_t peak_online_ = 0;                         // online_'s largest size
    std::deque<Departure> departures_;                    // see departures()
    std::map<std::string, ClientId> by_fold_;             // sorted: the who list, and tell lookup
    std::unordered_map<std::string, ClientId> by_skeleton_;  // spoof-proof uniqueness
    std::uint64_t next_message_id_ = 1;
    std::unordered_map<std::string, Room> rooms_;  // by text::room_key of the name
    std::string lobby_key_;                        // text::room_key(kLobby)
    std::uint64_t mark_ = 0;                       // see Client::mark
};

}  // namespace natter::server
