// Core messages as IRC lines, for the messages whose IRC form is the same for every IRC
// recipient (a room message, a join, a part, a quit, a rename, a topic change): the shell renders
// such a delivery once and queues the same bytes for every IRC recipient, as it encodes it once
// as JSON for the natter ones. What depends on the recipient (numerics, join answers) is the
// session's (irc_session.h).
//
// Also the directory of IRC users' idents (the user@host part of "nick!user@host"); everyone not
// in it is a natter client and shows as "nick!natter@natter".
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/chat_core.h"
#include "shared/protocol.h"

namespace natter::server::irc {

// What every IRC line natterd sends needs to know about the server.
struct Config {
    std::string server_name = "natter.local";  // the prefix of numerics (--server-name)
    std::string version = "natterd-0.1.0";
    std::string network = "natter";
    std::string password;  // empty: PASS is not needed
    std::string created;   // for RPL_CREATED, e.g. "2026-01-31 12:00:00 UTC"
    std::string motd;      // empty: the MOTD holds only the line about #lobby
    // Who may become a server operator with OPER name password (--irc-oper-file).
    struct Oper {
        std::string name;
        std::string password;
    };
    std::vector<Oper> opers;
};

// How one user shows to IRC clients: nick!user@host, and a real name in WHO and WHOIS.
struct Ident {
    std::string user;
    std::string host;
    std::string realname;
};

class Directory {
public:
    // Records an IRC user (id) under its nickname; replaces what was there.
    void add(std::string_view nick, std::uint64_t id, Ident ident);
    // Moves an entry to a new nickname (a rename), if there is one under `from`.
    void rename(std::string_view from, std::string_view to);
    // Forgets the entry under `nick` if it is id's (a newer user may hold the nickname by now).
    // The ident stays known by id for a while (ident_of), for WHOWAS.
    void remove(std::string_view nick, std::uint64_t id);

    bool is_irc(std::string_view nick) const;
    // The ident of an IRC user, or the one every natter client has.
    const Ident& ident(std::string_view nick) const;
    // The same by connection id: online IRC users and the last kMaxGone who left.
    const Ident& ident_of(std::uint64_t id) const;
    static constexpr std::size_t kMaxGone = 1024;
    // "nick!user@host".
    std::string prefix(std::string_view nick) const;
    std::size_t size() const { return by_fold_.size(); }

private:
    std::unordered_map<std::string, std::uint64_t> by_fold_;  // online IRC users' ids
    std::unordered_map<std::uint64_t, Ident> idents_;         // theirs, and the gone ones'
    std::deque<std::uint64_t> gone_;                          // the gone ids, oldest first
};

// The IRC lines of a core message that looks the same to every IRC recipient (see
// irc_session.h's View::Shared), CRLF-terminated; empty for any other message.
std::string render_shared(const Message& m, const Directory& dir, const Config& config);

// ":by!user@host MODE #room +o nick": a room's mode change; or several, made by one MODE line
// of one client in one room, as one line (":op MODE #room +ik-l key").
std::string mode_line(const ModeChange& m, const Directory& dir);
std::string mode_line(const std::vector<ModeChange>& changes, const Directory& dir);

// What becomes of a text too long for one line: Split into several (natter's texts, up to 4096
// bytes and several lines, lose nothing), or Cut to one (an IRC client's line, too long only
// because the relayed prefix is longer than the sender's: cut as IRC servers cut it).
enum class Overflow { Split, Cut };

// A room message's text as PRIVMSG lines (NOTICE lines for a `notice`) from `prefix` to `target`
// (a room or a nickname), made to fit the line limit as `overflow` says; `action` wraps each as
// a CTCP ACTION; `tags` (escaped, without '@') go on every line.
std::string privmsg_lines(std::string_view prefix, std::string_view target, std::string_view text,
                          bool action, std::string_view tags = {}, bool notice = false,
                          Overflow overflow = Overflow::Split);

// "ERROR :Closing link: ..." (a connection's last line) and the server's idle PING.
std::string error_line(std::string_view reason);
std::string ping_line(const Config& config);

// "2026-01-31T12:00:00.123Z": the IRCv3 server-time of a time stamp in ms since the epoch.
std::string server_time(std::uint64_t unix_ms);
// "Thu Nov 26 2026 04:26:05 UTC": the same for people (TIME, WHOWAS).
std::string human_time(std::uint64_t unix_ms);

// The same CRLF-terminated lines (untagged, as render_shared makes them), each with "@time=..."
// in front: what a client that negotiated server-time gets of a shared rendering.
std::string with_time_tag(std::string_view lines, std::uint64_t unix_ms);

// A core message's own time stamp (ms since the epoch), or 0 for one without.
std::uint64_t message_time(const Message& m);

}  // namespace natter::server::irc
