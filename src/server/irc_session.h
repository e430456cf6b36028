// One IRC client's side of the translation between IRC and the chat core, pure: no socket, no
// clock. The chat core stays the only chat implementation (nickname rule, rooms, private
// messages, presence, ignore, flood costs); a session only turns IRC lines into core messages and
// the core's messages for this client into IRC lines.
//
// In: on_line() parses a line and answers with Work: replies to send at once (registration,
// numerics the session can answer itself) and core messages, each with the Context that says
// how to read the core's answers to it ("no_such_nick" is 401 to a PRIVMSG, "not_in_room" is 404
// to a PRIVMSG but 442 to a PART). The shell hands each message to the core with the context set.
//
// Out: for every core message delivered to this client, view() says whether its IRC form is the
// one every IRC recipient gets (Shared: the shell renders it once, irc_render.h), one of this
// client's own (Own: render()), or nothing at all (Skip: an echo the client did not ask for, a
// natter-only message); observe() then keeps track of the nickname and rooms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "server/chat_core.h"
#include "server/flood.h"
#include "server/irc_line.h"
#include "server/irc_render.h"
#include "shared/protocol.h"

namespace natter::server::irc {

// Which IRC request the core's next answers to this client belong to.
struct Context {
    enum class Kind {
        None,      // unasked: presence changes, someone else's actions
        Register,  // the hello that completes registration
        Message,   // PRIVMSG
        Notice,    // NOTICE: never answered with an error (RFC 2812 3.3.2)
        Join,
        Part,
        Nick,
        Names,
        Who,
        TopicQuery,
        TopicSet,
        List,
        Kick,
        Mode,
        Kill,
        Invite,
    };
    Kind kind = Kind::None;
    std::string target;                // the channel or nickname as the client wrote it
    std::vector<std::string> filter = {};  // LIST: only these channels (room keys); empty: all
    std::string nick = "";             // KICK, INVITE, MODE +o and +v: the nickname it is about
    // NAMES: what the RPL_ENDOFNAMES closing this answer names (the whole list asked for, as
    // one 366 ends a NAMES of several rooms), or empty when another room's answer follows.
    std::string names_end = "";
    char mode = 0;  // MODE: the mode being changed
};

// What IRC asks of the chat core beyond natter's messages (chat_core_ops.cpp).
struct SetAway { std::string text; };
struct KickMember { std::string room; std::string nick; std::string reason; };
struct SetRoomMode { std::string room; char mode; bool on; std::string nick; };
struct SetServerOperator { bool on; };
struct KillUser { std::string nick; std::string reason; };
struct SetUserHost { std::string userhost; };  // the client's user@host, for bans
using CoreCall = std::variant<SetAway, KickMember, SetRoomMode, SetServerOperator, KillUser, SetUserHost>;

// Carries out a core call for client `id`.
void apply(ChatCore& core, ClientId id, const CoreCall& call, Millis now, Outputs& out);

struct Step {
    std::string reply;               // lines for this client, sent before the message
    std::optional<Message> message;  // for the chat core, answered under `context`
    Context context;
    std::optional<CoreCall> call = std::nullopt;  // or this, answered the same way
};

struct Work {
    std::vector<Step> steps;
    FloodCost cost = 0;  // the line's price in the flood bucket (the core messages' included)
    std::string close;   // not empty: close the connection after the replies, for this reason
};

enum class View { Skip, Shared, Own };

// The capabilities a client may ask for with CAP REQ.
struct Caps {
    bool multi_prefix = false;
    bool server_time = false;   // time tags; with it, room history is replayed on JOIN
    bool echo_message = false;  // the client's own PRIVMSGs come back to it
    bool batch = false;         // history replay comes inside a "chathistory" batch
    bool userhost_in_names = false;  // RPL_NAMREPLY lists nick!user@host
};

class Session {
public:
    Session(const Config& config, std::uint64_t id);

    Framer& framer() { return framer_; }

    // One line from the client (without its line end), at `now` (ms since the epoch: TIME).
    Work on_line(std::string_view line, const ChatCore& core, const Directory& dir, Millis now);
    // A line over the length limit: ERR_INPUTTOOLONG; the connection stays.
    Work on_too_long() const;

    // The context of the message being handed to the core (see the top of this file).
    void set_context(Context c) { context_ = std::move(c); }
    void clear_context() { context_ = Context{}; }

    View view(const Message& m) const;
    // The lines of an Own message for this client.
    std::string render(const Message& m, const ChatCore& core, const Directory& dir);
    // Every message delivered to this client goes through here after rendering.
    void observe(const Message& m, Directory& dir);

    bool registered() const { return registered_; }
    // The registered nickname (following renames), or empty before registration.
    const std::string& nick() const { return nick_; }
    const Caps& caps() const { return caps_; }

    // The commands this listener understands, for the man page test.
    static std::vector<std::string> command_names();

private:
    struct Row;
    static const std::vector<Row>& table();

    // ---- commands (one per row of the table) ----
    void cap(const Line&, const ChatCore&, const Directory&, Work&);
    void pass(const Line&, const ChatCore&, const Directory&, Work&);
    void nick_cmd(const Line&, const ChatCore&, const Directory&, Work&);
    void user(const Line&, const ChatCore&, const Directory&, Work&);
    void ping(const Line&, const ChatCore&, const Directory&, Work&);
    void pong(const Line&, const ChatCore&, const Directory&, Work&);
    void quit(const Line&, const ChatCore&, const Directory&, Work&);
    void join(const Line&, const ChatCore&, const Directory&, Work&);
    void part(const Line&, const ChatCore&, const Directory&, Work&);
    void privmsg(const Line&, const ChatCore&, const Directory&, Work&);
    void notice(const Line&, const ChatCore&, const Directory&, Work&);
    void names(const Line&, const ChatCore&, const Directory&, Work&);
    void who(const Line&, const ChatCore&, const Directory&, Work&);
    void whois(const Line&, const ChatCore&, const Directory&, Work&);
    void whowas(const Line&, const ChatCore&, const Directory&, Work&);
    void topic(const Line&, const ChatCore&, const Directory&, Work&);
    void list(const Line&, const ChatCore&, const Directory&, Work&);
    void mode(const Line&, const ChatCore&, const Directory&, Work&);
    void ison(const Line&, const ChatCore&, const Directory&, Work&);
    void userhost(const Line&, const ChatCore&, const Directory&, Work&);
    void lusers(const Line&, const ChatCore&, const Directory&, Work&);
    void motd(const Line&, const ChatCore&, const Directory&, Work&);
    void version(const Line&, const ChatCore&, const Directory&, Work&);
    void away(const Line&, const ChatCore&, const Directory&, Work&);
    void kick(const Line&, const ChatCore&, const Directory&, Work&);
    void invite(const Line&, const ChatCore&, const Directory&, Work&);
    void oper(const Line&, const ChatCore&, const Directory&, Work&);
    void kill(const Line&, const ChatCore&, const Directory&, Work&);
    void time(const Line&, const ChatCore&, const Directory&, Work&);
    void info(const Line&, const ChatCore&, const Directory&, Work&);
    void help(const Line&, const ChatCore&, const Directory&, Work&);

    // PRIVMSG and NOTICE.
    void message(const Line&, bool is_notice, const ChatCore&, Work&);
    void channel_mode(const Line&, const ChatCore&, Work&);
    // Sends hello once NICK, USER (and PASS, and CAP END when negotiating) are in.
    void try_register(Work&);

    // ---- replies ----
    std::string me() const;  // the nickname numerics are addressed to ("*" before registration)
    std::string numeric(const char* code, std::vector<std::string> params) const;
    void reply(Work& w, const char* code, std::vector<std::string> params) const;
    std::string isupport_lines() const;
    std::string motd_lines() const;
    std::string welcome_lines() const;
    std::string error_reply(const Error& e) const;
    std::string user_list_lines(const UserList& u, const ChatCore& core, const Directory& dir) const;
    std::string topic_lines(const Topic& t) const;
    std::string room_list_lines(const RoomList& r) const;
    std::string history_line(const std::string& prefix, const std::string& room,
                             const std::string& text, bool action, bool notice, std::uint64_t ts);

    const Config& config_;
    std::uint64_t id_;
    Framer framer_;
    Context context_;
    Caps caps_;
    Millis now_ = 0;  // the time of the line being handled

    // Registration.
    bool registered_ = false;
    bool cap_negotiating_ = false;  // CAP LS or REQ seen and no CAP END yet: registration waits
    std::optional<std::string> password_;
    std::string wanted_nick_;  // NICK before registration
    bool have_user_ = false;
    Ident ident_;

    std::string nick_;             // as registered (follows renames)
    std::map<std::string, std::string> rooms_;  // the rooms this client is in: key -> name
    std::string joining_;          // the room whose join answer is arriving, or empty
    std::string batch_;            // the open history batch's reference, or empty
    std::uint64_t next_batch_ = 1;
    bool invisible_ = false;       // user mode +i (accepted; natter hides no one)
};

}  // namespace natter::server::irc
