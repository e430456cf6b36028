// The IRC session (irc_session.h): its command table, registration, joining, parting and
// talking. Queries, modes and operators, and output are in irc_session_queries.cpp,
// irc_session_ops.cpp and irc_session_out.cpp.
#include "server/irc_session.h"

#include <algorithm>
#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "server/irc_numerics.h"
#include "server/irc_session_detail.h"
#include "server/irc_text.h"
#include "shared/text.h"

namespace natter::server::irc {

using namespace detail;

void apply(ChatCore& core, ClientId id, const CoreCall& call, Millis now, Outputs& out) {
    std::visit(
        [&](const auto& c) {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, SetAway>) core.set_away(id, c.text);
            else if constexpr (std::is_same_v<T, KickMember>) core.kick_from_room(id, c.room, c.nick, c.reason, now, out);
            else if constexpr (std::is_same_v<T, SetRoomMode>) core.set_room_mode(id, c.room, c.mode, c.on, c.nick, now, out);
            else if constexpr (std::is_same_v<T, SetServerOperator>) core.set_server_operator(id, c.on);
            else if constexpr (std::is_same_v<T, SetUserHost>) core.set_userhost(id, c.userhost);
            else core.kill(id, c.nick, c.reason, now, out);
        },
        call);
}

// ---- the command table -------------------------------------------------------------------------

struct Session::Row {
    const char* name;
    std::size_t min_params;    // fewer: ERR_NEEDMOREPARAMS (handlers check what else they need)
    bool before_registration;  // usable before RPL_WELCOME (else ERR_NOTREGISTERED)
    FloodCost cost;            // besides the costs of the core messages it sends
    void (Session::*handler)(const Line&, const ChatCore&, const Directory&, Work&);
};

const std::vector<Session::Row>& Session::table() {
    // PONG and QUIT are free, as in the native protocol: a client must always be able to answer a
    // ping and to leave. Queries cost like the native "who" (2), the rest 1.
    static const std::vector<Row> rows = {
        {"CAP", 1, true, 1, &Session::cap},
        {"PASS", 1, true, 1, &Session::pass},
        {"NICK", 0, true, 1, &Session::nick_cmd},
        {"USER", 4, true, 1, &Session::user},
        {"PING", 0, true, 1, &Session::ping},
        {"PONG", 0, true, 0, &Session::pong},
        {"QUIT", 0, true, 0, &Session::quit},
        {"JOIN", 1, false, 0, &Session::join},
        {"PART", 1, false, 0, &Session::part},
        {"PRIVMSG", 0, false, 0, &Session::privmsg},
        {"NOTICE", 0, false, 0, &Session::notice},
        {"NAMES", 0, false, 0, &Session::names},
        {"WHO", 0, false, 0, &Session::who},
        {"WHOIS", 0, false, 2, &Session::whois},
        {"WHOWAS", 1, false, 2, &Session::whowas},
        {"TOPIC", 1, false, 0, &Session::topic},
        {"LIST", 0, false, 0, &Session::list},
        {"MODE", 1, false, 1, &Session::mode},
        {"ISON", 1, false, 1, &Session::ison},
        {"USERHOST", 1, false, 1, &Session::userhost},
        {"LUSERS", 0, false, 1, &Session::lusers},
        {"MOTD", 0, false, 1, &Session::motd},
        {"VERSION", 0, false, 1, &Session::version},
        {"AWAY", 0, false, 1, &Session::away},
        {"KICK", 2, false, 1, &Session::kick},
        {"INVITE", 2, false, 0, &Session::invite},
        // A wrong OPER password costs a tenth of the burst: guessing is slow.
        {"OPER", 2, false, 3, &Session::oper},
        {"KILL", 1, false, 1, &Session::kill},
        {"TIME", 0, false, 1, &Session::time},
        {"INFO", 0, false, 1, &Session::info},
        {"HELP", 0, false, 1, &Session::help},
        {"HELPOP", 0, false, 1, &Session::help},
    };
    return rows;
}

std::vector<std::string> Session::command_names() {
    std::vector<std::string> names;
    for (const Row& r : table()) names.emplace_back(r.name);
    return names;
}

Session::Session(const Config& config, std::uint64_t id) : config_(config), id_(id) {}

Work Session::on_line(std::string_view raw, const ChatCore& core, const Directory& dir, Millis now) {
    now_ = now;
    Work w;
    Parsed parsed = parse_line(raw);
    if (auto* e = std::get_if<ParseError>(&parsed)) {
        // Blank lines mean nothing; a line without a usable command gets what an unknown one does.
        w.cost = 1;
        if (*e != ParseError::Empty) reply(w, rpl::kErrUnknownCommand, {"*", "Unknown command"});
        return w;
    }
    const Line& line = std::get<Line>(parsed);
    const auto& rows = table();
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return line.command == r.name; });
    if (row == rows.end()) {
        w.cost = 1;
        if (registered_) reply(w, rpl::kErrUnknownCommand, {line.command, "Unknown command"});
        else reply(w, rpl::kErrNotRegistered, {"You have not registered"});
        return w;
    }
    w.cost = row->cost;
    if (!registered_ && !row->before_registration) {
        reply(w, rpl::kErrNotRegistered, {"You have not registered"});
    } else if (line.params.size() < row->min_params) {
        reply(w, rpl::kErrNeedMoreParams, {row->name, "Not enough parameters"});
    } else {
        (this->*(row->handler))(line, core, dir, w);
        for (const Step& s : w.steps)
            if (s.message) w.cost += message_cost(*s.message);
    }
    // A line that became no core message (a PRIVMSG to nobody, a NOTICE that errs in silence)
    // still costs one: only PONG and QUIT are free.
    if (w.cost == 0 && line.command != "PONG" && line.command != "QUIT") w.cost = 1;
    return w;
}

Work Session::on_too_long() const {
    Work w;
    w.cost = 1;
    reply(w, rpl::kErrInputTooLong, {"Input line was too long"});
    return w;
}

// ---- registration ------------------------------------------------------------------------------

void Session::cap(const Line& l, const ChatCore&, const Directory&, Work& w) {
    const std::string sub = ascii_upper(l.params[0]);
    const std::string target = me();
    if (sub == "LS") {
        if (!registered_) cap_negotiating_ = true;
        w.steps.push_back({format_line(config_.server_name, "CAP", {target, "LS", kCapabilities}), {}, {}});
    } else if (sub == "LIST") {
        std::string on;
        auto add = [&](bool enabled, const char* name) {
            if (!enabled) return;
            if (!on.empty()) on += ' ';
            on += name;
        };
        add(caps_.batch, "batch");
        add(caps_.echo_message, "echo-message");
        add(caps_.multi_prefix, "multi-prefix");
        add(caps_.server_time, "server-time");
        add(caps_.userhost_in_names, "userhost-in-names");
        w.steps.push_back({format_line(config_.server_name, "CAP", {target, "LIST", on}), {}, {}});
    } else if (sub == "REQ") {
        if (!registered_) cap_negotiating_ = true;
        const std::string asked = l.params.size() > 1 ? l.params[1] : std::string();
        // All or nothing: one unknown capability refuses the whole request.
        Caps next = caps_;
        bool ok = true;
        std::size_t i = 0;
        while (i < asked.size() && ok) {
            std::size_t end = asked.find(' ', i);
            if (end == std::string::npos) end = asked.size();
            std::string_view name = std::string_view(asked).substr(i, end - i);
            i = end + 1;
            if (name.empty()) continue;
            const bool enable = name[0] != '-';
            if (!enable) name.remove_prefix(1);
            if (name == "batch") next.batch = enable;
            else if (name == "echo-message") next.echo_message = enable;
            else if (name == "multi-prefix") next.multi_prefix = enable;
            else if (name == "server-time") next.server_time = enable;
            else if (name == "userhost-in-names") next.userhost_in_names = enable;
            else ok = false;
        }
        if (ok) caps_ = next;
        w.steps.push_back({format_line(config_.server_name, "CAP", {target, ok ? "ACK" : "NAK", asked}), {}, {}});
    } else if (sub == "END") {
        cap_negotiating_ = false;
        try_register(w);
    } else {
        reply(w, rpl::kErrInvalidCapCmd, {l.params[0], "Invalid CAP command"});
    }
}

void Session::pass(const Line& l, const ChatCore&, const Directory&, Work& w) {
    if (registered_) {
        reply(w, rpl::kErrAlreadyRegistered, {"You may not reregister"});
        return;
    }
    password_ = l.params[0];
}

void Session::nick_cmd(const Line& l, const ChatCore& core, const Directory&, Work& w) {
    if (l.params.empty() || l.params[0].empty()) {
        reply(w, rpl::kErrNoNicknameGiven, {"No nickname given"});
        return;
    }
    const std::string& wanted = l.params[0];
    if (!sane(wanted)) {
        reply(w, rpl::kErrErroneusNickname, {text::sanitize_for_terminal(wanted), "Erroneous nickname"});
        return;
    }
    if (auto why = text::nick_problem(wanted)) {
        reply(w, rpl::kErrErroneusNickname, {wanted, "Erroneous nickname: " + *why});
        return;
    }
    if (registered_) {
        if (wanted == nick_) return;  // no change at all
        w.steps.push_back({{}, Message{ChangeNick{wanted}}, Context{Context::Kind::Nick, wanted, {}}});
        return;
    }
    // Before registration the core only checks the nickname at hello; a taken one is refused here
    // already, as IRC clients expect (the hello would be refused the same way).
    if (!core.nick_available(id_, wanted)) {
        reply(w, rpl::kErrNicknameInUse, {wanted, "Nickname is already in use"});
        return;
    }
    wanted_nick_ = wanted;
    try_register(w);
}

void Session::user(const Line& l, const ChatCore&, const Directory&, Work& w) {
    if (registered_ || have_user_) {
        reply(w, rpl::kErrAlreadyRegistered, {"You may not reregister"});
        return;
    }
    // An empty real name is refused like a missing one (the modern IRC rule: it MUST NOT be
    // empty), so a client that sends "USER u 0 * :" learns of it.
    if (l.params[3].empty()) {
        reply(w, rpl::kErrNeedMoreParams, {"USER", "Not enough parameters"});
        return;
    }
    std::string user = clean_username(l.params[0], kMaxUserBytes);
    if (user.empty()) user = "user";
    ident_.user = "~" + user;  // no ident lookup: the '~' says so, as on every IRC server
    ident_.host = "irc";
    ident_.realname = clean_realname(l.params[3], kMaxRealnameBytes);
    have_user_ = true;
    try_register(w);
}

void Session::try_register(Work& w) {
    if (registered_ || cap_negotiating_ || wanted_nick_.empty() || !have_user_) return;
    if (!config_.password.empty() && password_ != config_.password) {
        reply(w, rpl::kErrPasswdMismatch, {"Password incorrect"});
        w.steps.back().reply += error_line("bad password");
        w.close = "bad password";
        return;
    }
    w.steps.push_back({{}, Message{Hello{wanted_nick_, kProtocolVersion}}, Context{Context::Kind::Register, wanted_nick_, {}}});
    // Bans match nick!user@host: the core learns this client's.
    w.steps.push_back({{}, std::nullopt, {}, CoreCall{SetUserHost{ident_.user + "@" + ident_.host}}});
}

// ---- connection --------------------------------------------------------------------------------

void Session::ping(const Line& l, const ChatCore&, const Directory&, Work& w) {
    if (l.params.empty() || l.params[0].empty()) {
        reply(w, rpl::kErrNoOrigin, {"No origin specified"});
        return;
    }
    w.steps.push_back({format_line(config_.server_name, "PONG", {config_.server_name, l.params[0]}), {}, {}});
}

// The shell has already counted the line as a sign of life; nothing to answer.
void Session::pong(const Line&, const ChatCore&, const Directory&, Work&) {}

void Session::quit(const Line& l, const ChatCore&, const Directory&, Work& w) {
    w.steps.push_back({{}, Message{Quit{l.params.empty() ? std::string() : clean_reason(l.params[0])}}, {}});
}

// ---- rooms -------------------------------------------------------------------------------------

void Session::join(const Line& l, const ChatCore&, const Directory&, Work& w) {
    if (l.params[0] == "0") {
        // "JOIN 0": leave every room.
        for (const auto& [key, room] : rooms_)
            w.steps.push_back({{}, Message{Part{room, ""}}, Context{Context::Kind::Part, room, {}}});
        return;
    }
    std::vector<std::string> rooms = split_list(l.params[0]);
    if (rooms.size() > kMaxJoinsPerLine) rooms.resize(kMaxJoinsPerLine);
    // "JOIN #a,#b key1,key2": the keys pair up with the rooms, in order.
    // An empty key ("JOIN #a,#b ,key2") keeps its place.
    std::vector<std::string> keys;
    if (l.params.size() > 1)
        for (std::size_t i = 0; i <= l.params[1].size() && keys.size() < rooms.size();) {
            const std::size_t end = std::min(l.params[1].find(',', i), l.params[1].size());
            keys.push_back(l.params[1].substr(i, end - i));
            i = end + 1;
        }
    for (std::size_t i = 0; i < rooms.size(); ++i) {
        const std::string& room = rooms[i];
        if (!sane(room) || !is_channel(room)) {
            reply(w, rpl::kErrNoSuchChannel, {text::sanitize_for_terminal(room), "No such channel"});
            continue;
        }
        // Joining a room again would repeat its whole join answer; IRC servers say nothing.
        const std::string key = room_key_of(room);
        if (!key.empty() && rooms_.count(key) != 0) continue;
        const std::string room_key = i < keys.size() && sane(keys[i]) ? keys[i] : std::string();
        w.steps.push_back({{}, Message{Join{room, room_key}}, Context{Context::Kind::Join, room, {}}});
    }
}

void Session::part(const Line& l, const ChatCore&, const Directory&, Work& w) {
    std::vector<std::string> rooms = split_list(l.params[0]);
    if (rooms.size() > kMaxJoinsPerLine) rooms.resize(kMaxJoinsPerLine);
    const std::string reason = l.params.size() > 1 ? clean_reason(l.params[1]) : std::string();
    for (const std::string& room : rooms) {
        if (!sane(room) || !is_channel(room)) {
            reply(w, rpl::kErrNoSuchChannel, {text::sanitize_for_terminal(room), "No such channel"});
            continue;
        }
        w.steps.push_back({{}, Message{Part{room, reason}}, Context{Context::Kind::Part, room, {}}});
    }
}

void Session::topic(const Line& l, const ChatCore&, const Directory&, Work& w) {
    const std::string& room = l.params[0];
    if (!sane(room) || !is_channel(room)) {
        reply(w, rpl::kErrNoSuchChannel, {text::sanitize_for_terminal(room), "No such channel"});
        return;
    }
    if (l.params.size() == 1) {
        w.steps.push_back({{}, Message{TopicRequest{room, std::nullopt}}, Context{Context::Kind::TopicQuery, room, {}}});
        return;
    }
    const std::string text(utf8_prefix(text_from_irc(l.params[1]), kTopicLen));
    w.steps.push_back({{}, Message{TopicRequest{room, text}}, Context{Context::Kind::TopicSet, room, {}}});
}

void Session::names(const Line& l, const ChatCore&, const Directory&, Work& w) {
    if (l.params.empty()) {
        // Listing every room's members at once is a flood; modern servers answer the end only.
        reply(w, rpl::kEndOfNames, {"*", "End of /NAMES list"});
        return;
    }
    std::vector<std::string> rooms = split_list(l.params[0]);
    if (rooms.size() > kMaxJoinsPerLine) rooms.resize(kMaxJoinsPerLine);
    // Each room's names, then one RPL_ENDOFNAMES for the whole list (RFC 2812 3.2.5); a room
    // that does not exist or breaks the name rule adds nothing.
    std::string asked;
    for (const std::string& room : rooms) asked += (asked.empty() ? "" : ",") + room;
    if (!sane(asked)) asked = text::sanitize_for_terminal(asked);
    for (std::size_t i = 0; i < rooms.size(); ++i) {
        const std::string end = i + 1 == rooms.size() ? asked : std::string();
        if (!sane(rooms[i]) || !is_channel(rooms[i])) {
            if (!end.empty()) reply(w, rpl::kEndOfNames, {end, "End of /NAMES list"});
            continue;
        }
        w.steps.push_back({{}, Message{Who{rooms[i]}}, Context{Context::Kind::Names, rooms[i], {}, "", end}});
    }
}

void Session::list(const Line& l, const ChatCore&, const Directory&, Work& w) {
    Context c{Context::Kind::List, {}, {}};
    if (!l.params.empty())
        for (const std::string& room : split_list(l.params[0])) {
            const std::string key = room_key_of(room);
            if (!key.empty()) c.filter.push_back(key);
        }
    if (!l.params.empty() && c.filter.empty()) {
        reply(w, rpl::kListEnd, {"End of /LIST"});
        return;
    }
    w.steps.push_back({{}, Message{ListRooms{}}, std::move(c)});
}

// ---- messages ----------------------------------------------------------------------------------

void Session::privmsg(const Line& l, const ChatCore& core, const Directory&, Work& w) { message(l, false, core, w); }
void Session::notice(const Line& l, const ChatCore& core, const Directory&, Work& w) { message(l, true, core, w); }

void Session::message(const Line& l, bool is_notice, const ChatCore& core, Work& w) {
    const char* command = is_notice ? "NOTICE" : "PRIVMSG";
    // NOTICE never gets an error reply (RFC 2812 3.3.2): bots answer with it to avoid loops.
    if (l.params.empty() || l.params[0].empty()) {
        if (!is_notice) reply(w, rpl::kErrNoRecipient, {std::string("No recipient given (") + command + ")"});
        return;
    }
    if (l.params.size() < 2 || l.params[1].empty()) {
        if (!is_notice) reply(w, rpl::kErrNoTextToSend, {"No text to send"});
        return;
    }
    const Ctcp ctcp = parse_ctcp(l.params[1]);
    // Of CTCP only ACTION (/me) means something in natter; the rest (VERSION, PING...) is not
    // relayed: natter clients would show it as garbage and could never answer it.
    if (ctcp.is_ctcp && ctcp.command != "ACTION") return;
    const std::string text = text_from_irc(ctcp.is_ctcp ? ctcp.argument : l.params[1]);
    if (text.find_first_not_of(' ') == std::string::npos) {
        if (!is_notice) reply(w, rpl::kErrNoTextToSend, {"No text to send"});
        return;
    }
    // UTF8ONLY is advertised: invalid bytes were replaced with U+FFFD, and the sender is told so
    // (IRCv3 utf8-only lets a server replace them if it warns).
    if (!is_notice && !text::valid_utf8(l.params[1]))
        w.steps.push_back({format_line(config_.server_name, "WARN",
                                       {command, "INVALID_UTF8", "Invalid UTF-8 was replaced with U+FFFD"}),
                           {}, {}});
    std::vector<std::string> targets = split_list(l.params[0]);
    if (targets.size() > kMaxTargets) {
        if (!is_notice) reply(w, rpl::kErrTooManyTargets, {targets[kMaxTargets], "Too many targets; at most 4"});
        targets.resize(kMaxTargets);
    }
    const Context::Kind kind = is_notice ? Context::Kind::Notice : Context::Kind::Message;
    for (const std::string& target : targets) {
        if (!sane(target)) {
            if (!is_notice) reply(w, rpl::kErrNoSuchNick, {text::sanitize_for_terminal(target), "No such nick/channel"});
            continue;
        }
        Message m;
        if (is_channel(target)) {
            if (core.room_name(target).empty()) {
                if (!is_notice) reply(w, rpl::kErrNoSuchChannel, {target, "No such channel"});
                continue;
            }
            if (ctcp.is_ctcp) m = Me{text, target};
            else m = Say{text, target, is_notice};
        } else {
            // natter has no private action: it arrives as "* nick waves".
            m = Tell{target, ctcp.is_ctcp ? "* " + nick_ + " " + text : text, is_notice};
        }
        w.steps.push_back({{}, std::move(m), Context{kind, target, {}}});
        if (!is_notice && !is_channel(target)) {
            const ClientId to = find_online(core, target);
            if (to != 0 && !core.away(to).empty())
                reply(w, rpl::kAway, {*core.nick(to), core.away(to)});
        }
    }
}

// ---- away ------------------------------------------------------------------------------------

void Session::away(const Line& l, const ChatCore&, const Directory&, Work& w) {
    const std::string text = l.params.empty() ? std::string() : clean_reason(l.params[0]);
    w.steps.push_back({{}, std::nullopt, {}, CoreCall{SetAway{text}}});
    if (text.empty()) reply(w, rpl::kUnAway, {"You are no longer marked as being away"});
    else reply(w, rpl::kNowAway, {"You have been marked as being away"});
}

}  // namespace natter::server::irc
