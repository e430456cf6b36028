// The chat logic, pure: state (who is connected, who is logged in under which nickname, who
// ignores the room, the next message id) plus an event (a client connected, sent a message, sent
// a bad line, went away) gives the messages to send and the connections to close. No sockets, no
// clock (the caller passes `now`), no I/O: every feature and refusal is a unit test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "shared/codec.h"
#include "shared/protocol.h"

namespace natter::server {

using ClientId = std::uint64_t;  // given by the caller; never reused
using Millis = std::uint64_t;    // milliseconds since the Unix epoch

// One message for one or many clients. A broadcast is one Delivery, so the shell encodes it once.
struct Delivery {
    std::vector<ClientId> to;
    Message msg;
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

// What one event produced. Deliveries are in order; closes take effect after them.
struct Outputs {
    std::vector<Delivery> deliveries;
    std::vector<CloseAction> closes;
    std::vector<Note> notes;
    void clear() {
        deliveries.clear();
        closes.clear();
        notes.clear();
    }
    bool empty() const { return deliveries.empty() && closes.empty() && notes.empty(); }
};

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
};

class ChatCore {
public:
    explicit ChatCore(CoreConfig config);

    // A connection was accepted; it may now send hello.
    void connect(ClientId id, Millis now);

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
    // Every logged-in client, in no particular order.
    const std::vector<ClientId>& online_ids() const { return online_; }
    // False while the crowd is past the presence limit (see CoreConfig::presence_limit).
    bool presence_broadcast_allowed() const { return !presence_quiet_; }

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
    void on(ClientId, Client&, const Ping&, Millis, Outputs&);
    void on(ClientId, Client&, const Pong&, Millis, Outputs&);

    // Refuses with an Error; counts it, and past the limit disconnects. Returns false when the
    // client was disconnected (the reference is then dangling).
    bool refuse(ClientId id, Client& c, const char* code, std::string text, Millis now, Outputs& out);
    // Why a nickname cannot be taken by `id` now (code and text), or false when it can.
    bool nick_refused(ClientId id, const std::string& nick, const char*& code, std::string& text) const;
    // The user list in chunks, each carrying the total; with `first_only`, just the first chunk.
    void send_user_list(const std::vector<ClientId>& to, bool first_only, Outputs& out) const;
    // Enters or leaves quiet presence after the crowd changed size; on a change everyone online
    // has been sent a fresh list, and true is returned.
    bool update_presence_mode(Outputs& out);
    // Every logged-in client except `except` (0: none), skipping those in ignore mode if asked.
    std::vector<ClientId> audience(ClientId except, bool skip_ignoring) const;
    // Forgets a client; tells the others it left if it was logged in.
    void remove(ClientId id, std::string_view reason, Millis now, Outputs& out);
    // Error, bye, and close.
    void kick(ClientId id, const char* code, std::string text, std::string_view reason, Millis now,
              Outputs& out);

    CoreConfig config_;
    std::unordered_map<ClientId, Client> clients_;
    std::vector<ClientId> online_;                        // logged in, dense for fan-out
    std::map<std::string, ClientId> by_fold_;             // sorted: the who list, and tell lookup
    std::unordered_map<std::string, ClientId> by_skeleton_;  // spoof-proof uniqueness
    std::uint64_t next_message_id_ = 1;
    bool presence_quiet_ = false;  // past the presence limit: see update_presence_mode()
};

}  // namespace natter::server
