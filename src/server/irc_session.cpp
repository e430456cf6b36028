#include "server/irc_session.h"

#include <algorithm>
#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "server/irc_numerics.h"
#include "server/irc_text.h"
#include "shared/text.h"

namespace natter::server::irc {

namespace {

// What the listener tells clients in ISUPPORT, and enforces.
constexpr std::size_t kMaxTargets = 4;       // PRIVMSG/NOTICE targets per line
constexpr std::size_t kMaxJoinsPerLine = 10;  // channels in one JOIN or PART
constexpr std::size_t kTopicLen = 390;       // what fits in a TOPIC line with a long prefix
constexpr std::size_t kMaxUserBytes = 10;    // USER's username, as most servers
constexpr std::size_t kMaxRealnameBytes = 100;
constexpr std::size_t kMaxReasonBytes = 256;
constexpr std::size_t kMaxModes = 4;        // mode changes per MODE line
constexpr std::size_t kMaxWhoMatches = 200;  // users in the answer to a WHO mask
constexpr std::size_t kMaxWhowasEntries = 20;  // entries in the answer to a WHOWAS
constexpr const char* kCapabilities = "batch echo-message multi-prefix server-time userhost-in-names";

// A name from the client that the core may look at: valid UTF-8, no NUL or control character.
bool sane(std::string_view s) {
    if (!text::valid_utf8(s)) return false;
    for (std::size_t i = 0; i < s.size();) {
        if (text::is_control(text::decode_one(s, i))) return false;
    }
    return true;
}

bool is_channel(std::string_view target) { return !target.empty() && target[0] == '#'; }

// WHO's flags: H(ere) or G(one, away), '*' for a server operator, then the member's prefix in
// the room ('@', '+').
std::string who_flags(const ChatCore& core, ClientId id, const std::string& room_prefix) {
    std::string f = core.away(id).empty() ? "H" : "G";
    if (core.is_server_operator(id)) f += '*';
    return f + room_prefix;
}

// The key of a room or a nickname for comparisons; "" for a name that breaks the rule.
std::string room_key_of(std::string_view room) {
    return sane(room) && !text::room_problem(room) ? text::room_key(room) : std::string();
}
std::string fold_nick(std::string_view nick) {
    return sane(nick) && !text::nick_problem(nick) ? text::fold_case(nick) : std::string();
}

// The logged-in client holding `nick` (compared case-insensitively), or 0.
ClientId find_online(const ChatCore& core, std::string_view nick) {
    return sane(nick) ? core.find_nick(nick) : 0;
}

// "+klnst": a room's modes as RPL_CHANNELMODEIS shows them ("+" for none); their parameters go
// in `params`, the key only to members.
std::string mode_string(const RoomModes& m, bool member, std::vector<std::string>& params) {
    std::string s = "+";
    if (m.invite_only) s += 'i';
    if (!m.key.empty()) {
        s += 'k';
        if (member) params.push_back(m.key);
    }
    if (m.limit != 0) {
        s += 'l';
        params.push_back(std::to_string(m.limit));
    }
    if (m.moderated) s += 'm';
    if (m.no_external) s += 'n';
    if (m.secret) s += 's';
    if (m.topic_lock) s += 't';
    return s;
}

// A member's prefix in NAMES, WHO and WHOIS: the highest ("@" over "+"), or with multi-prefix
// all of them, highest first.
std::string member_prefix(bool op, bool voice, bool multi_prefix) {
    std::string p;
    if (op) p += '@';
    if (voice && (multi_prefix || !op)) p += '+';
    return p;
}

std::string clean_reason(std::string_view raw) {
    return std::string(utf8_prefix(text_from_irc(raw), kMaxReasonBytes));
}

}  // namespace

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

// ---- queries -----------------------------------------------------------------------------------

void Session::who(const Line& l, const ChatCore& core, const Directory& dir, Work& w) {
    const std::string mask = l.params.empty() ? std::string("*") : l.params[0];
    if (is_channel(mask) && sane(mask)) {
        w.steps.push_back({{}, Message{Who{mask}}, Context{Context::Kind::Who, mask, {}}});
        return;
    }
    if (!sane(mask)) {
        reply(w, rpl::kEndOfWho, {"*", "End of /WHO list"});
        return;
    }
    auto row = [&](ClientId id) {
        const std::string& n = *core.nick(id);
        const Ident& i = dir.ident(n);
        reply(w, rpl::kWhoReply, {"*", i.user, i.host, config_.server_name, n, who_flags(core, id, ""), "0 " + i.realname});
    };
    if (!has_wildcards(mask) && mask != "0") {
        // One nickname: its line, if it is online.
        const ClientId id = find_online(core, mask);
        if (id != 0) row(id);
    } else {
        // A mask ("*", "ann*", "*@irc"...) against each user's nickname (case folded), username,
        // host and real name (ASCII case ignored), as modern servers match it. natter lists
        // everyone online to anyone (/ls), so no one is hidden; the answer is capped all the same.
        const std::string folded = mask == "0" ? std::string("*") : text::fold_case(mask);
        const std::string lower = ascii_lower(mask == "0" ? std::string("*") : mask);
        std::size_t shown = 0;
        for (ClientId id : core.online_ids()) {
            if (shown == kMaxWhoMatches) break;
            const std::string& n = *core.nick(id);
            const Ident& i = dir.ident(n);
            if (mask_matches(folded, text::fold_case(n)) || mask_matches(lower, ascii_lower(i.user)) ||
                mask_matches(lower, ascii_lower(i.host)) || mask_matches(lower, ascii_lower(i.realname))) {
                row(id);
                ++shown;
            }
        }
    }
    reply(w, rpl::kEndOfWho, {mask, "End of /WHO list"});
}

void Session::whois(const Line& l, const ChatCore& core, const Directory& dir, Work& w) {
    if (l.params.empty()) {
        reply(w, rpl::kErrNoNicknameGiven, {"No nickname given"});
        return;
    }
    // "WHOIS server nick" asks a given server: there is only this one.
    const std::string& target = l.params.size() > 1 ? l.params[1] : l.params[0];
    const std::string shown = sane(target) ? target : text::sanitize_for_terminal(target);
    const ClientId id = find_online(core, target);
    if (id == 0) {
        reply(w, rpl::kErrNoSuchNick, {shown, "No such nick/channel"});
        reply(w, rpl::kEndOfWhois, {shown, "End of /WHOIS list"});
        return;
    }
    const std::string& n = *core.nick(id);
    const Ident& i = dir.ident(n);
    reply(w, rpl::kWhoisUser, {n, i.user, i.host, "*", i.realname});
    // Its rooms, except secret ones this client is not in.
    std::string rooms;
    for (const std::string& room : core.rooms_of(id)) {
        const RoomModes* modes = core.room_modes(room);
        if (modes != nullptr && modes->secret && rooms_.count(text::room_key(room)) == 0) continue;
        std::string shown =
            member_prefix(core.is_operator(room, id), core.is_voiced(room, id), caps_.multi_prefix) + room;
        if (!rooms.empty() && rooms.size() + 1 + shown.size() > 400) {
            reply(w, rpl::kWhoisChannels, {n, rooms});
            rooms.clear();
        }
        if (!rooms.empty()) rooms += ' ';
        rooms += shown;
    }
    if (!rooms.empty()) reply(w, rpl::kWhoisChannels, {n, rooms});
    reply(w, rpl::kWhoisServer, {n, config_.server_name, dir.is_irc(n) ? "natterd, IRC listener" : "natterd, natter client"});
    if (core.is_server_operator(id)) reply(w, rpl::kWhoisOperator, {n, "is an IRC operator"});
    if (!core.away(id).empty()) reply(w, rpl::kAway, {n, core.away(id)});
    reply(w, rpl::kEndOfWhois, {n, "End of /WHOIS list"});
}

void Session::whowas(const Line& l, const ChatCore& core, const Directory& dir, Work& w) {
    // The nicknames given up lately (natterd remembers the last ChatCore::kMaxDepartures), newest
    // first, as many as asked for ("WHOWAS nick 2"; none or 0 or less: all, up to a cap).
    const std::string shown = sane(l.params[0]) ? l.params[0] : text::sanitize_for_terminal(l.params[0]);
    const std::string key = fold_nick(l.params[0]);
    long wanted = l.params.size() > 1 ? std::strtol(l.params[1].c_str(), nullptr, 10) : 0;
    if (wanted <= 0 || wanted > static_cast<long>(kMaxWhowasEntries)) wanted = kMaxWhowasEntries;
    long found = 0;
    const auto& gone = core.departures();
    for (auto it = gone.rbegin(); !key.empty() && it != gone.rend() && found < wanted; ++it) {
        if (text::fold_case(it->nick) != key) continue;
        const Ident& i = dir.ident_of(it->id);
        reply(w, rpl::kWhowasUser, {it->nick, i.user, i.host, "*", i.realname});
        reply(w, rpl::kWhoisServer, {it->nick, config_.server_name, human_time(it->ts)});
        ++found;
    }
    if (found == 0) reply(w, rpl::kErrWasNoSuchNick, {shown, "There was no such nickname"});
    reply(w, rpl::kEndOfWhowas, {shown, "End of WHOWAS"});
}

void Session::time(const Line&, const ChatCore&, const Directory&, Work& w) {
    reply(w, rpl::kTime, {config_.server_name, human_time(now_)});
}

void Session::info(const Line&, const ChatCore&, const Directory&, Work& w) {
    for (const std::string& line : {config_.version + ": the natter chat server",
                                    std::string("natter is terminal chat for people who share a machine;"),
                                    std::string("natter and IRC clients meet in the same rooms, served by one"),
                                    std::string("poll() loop, with room history in SQLite. See natterd(1).")})
        reply(w, rpl::kInfo, {line});
    reply(w, rpl::kEndOfInfo, {"End of INFO list"});
}

void Session::mode(const Line& l, const ChatCore& core, const Directory&, Work& w) {
    const std::string& target = l.params[0];
    if (!sane(target)) {
        reply(w, rpl::kErrNoSuchNick, {text::sanitize_for_terminal(target), "No such nick/channel"});
        return;
    }
    if (is_channel(target)) {
        channel_mode(l, core, w);
        return;
    }
    if (fold_nick(target).empty() || fold_nick(target) != fold_nick(nick_)) {
        if (find_online(core, target) == 0) reply(w, rpl::kErrNoSuchNick, {target, "No such nick/channel"});
        else reply(w, rpl::kErrUsersDontMatch, {"Can't change mode for other users"});
        return;
    }
    const bool oper = core.is_server_operator(id_);
    if (l.params.size() == 1) {
        reply(w, rpl::kUModeIs, {std::string("+") + (invisible_ ? "i" : "") + (oper ? "o" : "")});
        return;
    }
    // User mode i is accepted (it changes nothing: natter lists everyone online to anyone), o is
    // OPER's to give and the user's to drop; any other user mode is unknown.
    bool adding = true;
    std::string changed;
    char changed_sign = 0;
    bool unknown = false;
    for (char c : l.params[1]) {
        if (c == '+' || c == '-') {
            adding = c == '+';
        } else if (c == 'i') {
            if (invisible_ != adding) {
                invisible_ = adding;
                const char sign = adding ? '+' : '-';
                if (sign != changed_sign) changed += sign;
                changed_sign = sign;
                changed += 'i';
            }
        } else if (c == 'o') {
            // "+o" is for OPER to give (RFC 2812 3.1.5: ignored here); "-o" gives it up.
            if (!adding && oper) {
                w.steps.push_back({{}, std::nullopt, {}, CoreCall{SetServerOperator{false}}});
                if (changed_sign != '-') changed += '-';
                changed_sign = '-';
                changed += 'o';
            }
        } else {
            unknown = true;
        }
    }
    if (unknown) reply(w, rpl::kErrUModeUnknownFlag, {"Unknown MODE flag"});
    if (!changed.empty()) w.steps.push_back({format_line(nick_, "MODE", {nick_, changed}), {}, {}});
}

void Session::channel_mode(const Line& l, const ChatCore& core, Work& w) {
    const std::string& target = l.params[0];
    const std::string room = core.room_name(target);
    if (room.empty()) {
        reply(w, rpl::kErrNoSuchChannel, {target, "No such channel"});
        return;
    }
    if (l.params.size() == 1) {
        std::vector<std::string> params{room, ""};
        params[1] = mode_string(*core.room_modes(room), rooms_.count(room_key_of(room)) != 0, params);
        reply(w, rpl::kChannelModeIs, std::move(params));
        reply(w, rpl::kCreationTime, {room, std::to_string(core.room_created(room) / 1000)});
        return;
    }
    // List queries ("MODE #room b"): the bans; natterd keeps no exception or invitation lists.
    const std::string& modes = l.params[1];
    const std::string bare = !modes.empty() && (modes[0] == '+' || modes[0] == '-') ? modes.substr(1) : modes;
    if (l.params.size() == 2 && (bare == "b" || bare == "e" || bare == "I")) {
        if (bare == "b") {
            if (const std::vector<RoomBan>* bans = core.room_bans(room))
                for (const RoomBan& b : *bans) reply(w, rpl::kBanList, {room, b.mask, b.by, std::to_string(b.ts / 1000)});
            reply(w, rpl::kEndOfBanList, {room, "End of channel ban list"});
        } else if (bare == "e") reply(w, rpl::kEndOfExceptList, {room, "End of channel exception list"});
        else reply(w, rpl::kEndOfInvExList, {room, "End of channel invite list"});
        return;
    }
    // Changes: each one a core call, at most kMaxModes per line.
    bool on = true;
    std::size_t arg = 2;
    std::size_t changes = 0;
    for (char c : modes) {
        if (c == '+' || c == '-') {
            on = c == '+';
            continue;
        }
        if (c == 'e' || c == 'I') {
            // Setting a list entry: natterd keeps none. Its argument is used up all the same.
            if (arg < l.params.size()) ++arg;
            reply(w, rpl::kErrUnknownMode, {std::string(1, c), "natterd keeps no exception or invite lists"});
            continue;
        }
        if (c != 'b' && c != 'i' && c != 'k' && c != 'l' && c != 'm' && c != 'n' && c != 's' && c != 't' && c != 'o' && c != 'v') {
            reply(w, rpl::kErrUnknownMode, {std::string(1, c), "is unknown mode char to me"});
            continue;
        }
        std::string nick;
        if (c == 'b') {
            // Without a mask, part of a list query ("MODE #room +bn"): nothing to change.
            if (arg >= l.params.size()) continue;
            nick = l.params[arg++];
        } else if (c == 'l' && on) {
            // +l has a parameter, -l none (CHANMODES type C).
            if (arg >= l.params.size()) {
                reply(w, rpl::kErrNeedMoreParams, {"MODE", "Not enough parameters"});
                continue;
            }
            nick = l.params[arg++];
        } else if (c == 'k') {
            // A key always has a parameter (CHANMODES type B); -k's is not looked at.
            if (arg < l.params.size()) {
                nick = l.params[arg++];
            } else if (on) {
                reply(w, rpl::kErrNeedMoreParams, {"MODE", "Not enough parameters"});
                continue;
            }
        } else if (c == 'o' || c == 'v') {
            if (arg >= l.params.size()) {
                reply(w, rpl::kErrNeedMoreParams, {"MODE", "Not enough parameters"});
                continue;
            }
            nick = l.params[arg++];
            if (!sane(nick)) {
                reply(w, rpl::kErrNoSuchNick, {text::sanitize_for_terminal(nick), "No such nick/channel"});
                continue;
            }
        }
        if (++changes > kMaxModes) break;
        Context context{Context::Kind::Mode, room, {}, nick};
        context.mode = c;
        w.steps.push_back({{}, std::nullopt, std::move(context), CoreCall{SetRoomMode{room, c, on, nick}}});
    }
}

void Session::away(const Line& l, const ChatCore&, const Directory&, Work& w) {
    const std::string text = l.params.empty() ? std::string() : clean_reason(l.params[0]);
    w.steps.push_back({{}, std::nullopt, {}, CoreCall{SetAway{text}}});
    if (text.empty()) reply(w, rpl::kUnAway, {"You are no longer marked as being away"});
    else reply(w, rpl::kNowAway, {"You have been marked as being away"});
}

void Session::kick(const Line& l, const ChatCore& core, const Directory&, Work& w) {
    // "KICK #a nick1,nick2" kicks each from #a; "KICK #a,#b nick1,nick2" pairs them up
    // (RFC 2812 3.2.8). Any other shape is a malformed request.
    std::vector<std::string> rooms = split_list(l.params[0]);
    std::vector<std::string> nicks = split_list(l.params[1]);
    if (rooms.empty() || nicks.empty() || (rooms.size() != 1 && rooms.size() != nicks.size())) {
        reply(w, rpl::kErrNeedMoreParams, {"KICK", "Not enough parameters"});
        return;
    }
    if (nicks.size() > kMaxTargets) nicks.resize(kMaxTargets);
    const std::string reason = l.params.size() > 2 ? clean_reason(l.params[2]) : nick_;
    for (std::size_t i = 0; i < nicks.size(); ++i) {
        const std::string& asked = rooms.size() == 1 ? rooms[0] : rooms[i];
        const std::string room = core.room_name(asked);
        if (room.empty()) {
            reply(w, rpl::kErrNoSuchChannel, {sane(asked) ? asked : "*", "No such channel"});
            continue;
        }
        const std::string& nick = nicks[i];
        if (!sane(nick)) {
            reply(w, rpl::kErrNoSuchNick, {text::sanitize_for_terminal(nick), "No such nick/channel"});
            continue;
        }
        w.steps.push_back({{}, std::nullopt, Context{Context::Kind::Kick, room, {}, nick}, CoreCall{KickMember{room, nick, reason}}});
    }
}

void Session::invite(const Line& l, const ChatCore&, const Directory&, Work& w) {
    // "INVITE nick #room": the core checks the rest (membership, +i, the invitee).
    const std::string& nick = l.params[0];
    const std::string& room = l.params[1];
    if (!sane(nick)) {
        reply(w, rpl::kErrNoSuchNick, {text::sanitize_for_terminal(nick), "No such nick/channel"});
        return;
    }
    if (!sane(room) || !is_channel(room)) {
        reply(w, rpl::kErrNoSuchChannel, {text::sanitize_for_terminal(room), "No such channel"});
        return;
    }
    w.steps.push_back({{}, Message{Invite{room, nick}}, Context{Context::Kind::Invite, room, {}, nick}});
}

namespace {
// Compares without stopping at the first difference, so the time taken says nothing about how
// much of a guessed password was right.
bool same_secret(std::string_view a, std::string_view b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}
}  // namespace

void Session::oper(const Line& l, const ChatCore&, const Directory&, Work& w) {
    if (config_.opers.empty()) {
        reply(w, rpl::kErrNoOperHost, {"No operators are configured on this server"});
        return;
    }
    bool ok = false;
    for (const Config::Oper& o : config_.opers) {
        // Both compared every time, for every entry: how long it takes tells nothing.
        const bool name_ok = same_secret(o.name, l.params[0]);
        const bool password_ok = same_secret(o.password, l.params[1]);
        ok = (name_ok && password_ok) || ok;
    }
    if (!ok) {
        reply(w, rpl::kErrPasswdMismatch, {"Password incorrect"});
        return;
    }
    w.steps.push_back({{}, std::nullopt, {}, CoreCall{SetServerOperator{true}}});
    reply(w, rpl::kYoureOper, {"You are now an IRC operator"});
    w.steps.back().reply += format_line(nick_, "MODE", {nick_, "+o"});
}

void Session::kill(const Line& l, const ChatCore&, const Directory&, Work& w) {
    const std::string& nick = l.params[0];
    if (!sane(nick)) {
        reply(w, rpl::kErrNoSuchNick, {text::sanitize_for_terminal(nick), "No such nick/channel"});
        return;
    }
    const std::string reason = l.params.size() > 1 ? clean_reason(l.params[1]) : std::string();
    w.steps.push_back({{}, std::nullopt, Context{Context::Kind::Kill, nick, {}, nick}, CoreCall{KillUser{nick, reason}}});
}

void Session::ison(const Line& l, const ChatCore& core, const Directory&, Work& w) {
    std::string online;
    for (const std::string& p : l.params)
        for (const std::string& n : split_list(p)) {
            std::size_t start = 0;
            // ISON takes nicknames separated by spaces, in one or several parameters.
            while (start < n.size()) {
                std::size_t end = n.find(' ', start);
                if (end == std::string::npos) end = n.size();
                const std::string one = n.substr(start, end - start);
                start = end + 1;
                const ClientId id = find_online(core, one);
                if (id == 0) continue;
                if (!online.empty()) online += ' ';
                online += *core.nick(id);
            }
        }
    reply(w, rpl::kIsOn, {online});
}

void Session::userhost(const Line& l, const ChatCore& core, const Directory& dir, Work& w) {
    std::string out;
    for (std::size_t i = 0; i < l.params.size() && i < 5; ++i) {
        const ClientId id = find_online(core, l.params[i]);
        if (id == 0) continue;
        const std::string& n = *core.nick(id);
        const Ident& ident = dir.ident(n);
        if (!out.empty()) out += ' ';
        // '+' here, '-' away (RFC 2812 6.2, RPL_USERHOST).
        out += n + (core.away(id).empty() ? "=+" : "=-") + ident.user + "@" + ident.host;
    }
    reply(w, rpl::kUserHost, {out});
}

void Session::lusers(const Line&, const ChatCore& core, const Directory&, Work& w) {
    const std::string users = std::to_string(core.online());
    const std::string unknown = std::to_string(core.connected() - core.online());
    reply(w, rpl::kLuserClient, {"There are " + users + " users and 0 invisible on 1 servers"});
    reply(w, rpl::kLuserOp, {std::to_string(core.server_operators()), "operator(s) online"});
    reply(w, rpl::kLuserUnknown, {unknown, "unknown connection(s)"});
    reply(w, rpl::kLuserChannels, {std::to_string(core.room_count()), "channels formed"});
    reply(w, rpl::kLuserMe, {"I have " + users + " clients and 0 servers"});
    // One server: the local and the global counts are the same.
    const std::string peak = std::to_string(core.peak_online());
    reply(w, rpl::kLocalUsers, {users, peak, "Current local users " + users + ", max " + peak});
    reply(w, rpl::kGlobalUsers, {users, peak, "Current global users " + users + ", max " + peak});
}

void Session::motd(const Line&, const ChatCore&, const Directory&, Work& w) {
    w.steps.push_back({motd_lines(), {}, {}});
}

void Session::version(const Line&, const ChatCore&, const Directory&, Work& w) {
    reply(w, rpl::kVersion, {config_.version + ".", config_.server_name, "natter chat server, IRC listener"});
    w.steps.back().reply += isupport_lines();
}

// ---- replies -----------------------------------------------------------------------------------

std::string Session::me() const {
    if (!nick_.empty()) return nick_;
    return "*";
}

std::string Session::numeric(const char* code, std::vector<std::string> params) const {
    params.insert(params.begin(), me());
    return format_line(config_.server_name, code, params);
}

void Session::reply(Work& w, const char* code, std::vector<std::string> params) const {
    w.steps.push_back({numeric(code, std::move(params)), {}, {}});
}

std::string Session::isupport_lines() const {
    const std::vector<std::string> tokens = {
        "AWAYLEN=" + std::to_string(kMaxReasonBytes),
        "CASEMAPPING=rfc7613",
        "CHANLIMIT=#:" + std::to_string(kMaxRoomsPerClient),
        "CHANMODES=b,k,l,imnst",
        "CHANNELLEN=" + std::to_string(kMaxRoomCodepoints),
        "CHANTYPES=#",
        "KICKLEN=" + std::to_string(kMaxReasonBytes),
        "MAXTARGETS=" + std::to_string(kMaxTargets),
        "MODES=" + std::to_string(kMaxModes),
        "NETWORK=" + config_.network,
        "NICKLEN=" + std::to_string(kMaxNickCodepoints),
        "PREFIX=(ov)@+",
        "TARGMAX=PRIVMSG:4,NOTICE:4,JOIN:10,PART:10,NAMES:10,KICK:4,WHOIS:1",
        "TOPICLEN=" + std::to_string(kTopicLen),
        "UTF8ONLY",
    };
    std::string out;
    // At most 12 tokens per line keeps every line well within 512 bytes.
    for (std::size_t i = 0; i < tokens.size(); i += 12) {
        std::vector<std::string> params(tokens.begin() + static_cast<std::ptrdiff_t>(i),
                                        tokens.begin() + static_cast<std::ptrdiff_t>(std::min(i + 12, tokens.size())));
        params.push_back("are supported by this server");
        out += numeric(rpl::kISupport, params);
    }
    return out;
}

std::string Session::motd_lines() const {
    std::string out = numeric(rpl::kMotdStart, {"- " + config_.server_name + " Message of the day - "});
    for (const std::string& piece : split_for_irc(config_.motd, 400)) out += numeric(rpl::kMotd, {"- " + piece});
    // IRC clients join nothing at login (natter clients are put in #lobby); this line is how a
    // newcomer from IRC finds where everyone talks.
    out += numeric(rpl::kMotd, {"- natter users talk in #lobby: /join #lobby"});
    out += numeric(rpl::kEndOfMotd, {"End of /MOTD command."});
    return out;
}

std::string Session::welcome_lines() const {
    std::string out;
    out += numeric(rpl::kWelcome, {"Welcome to the " + config_.network + " IRC network, " + nick_});
    out += numeric(rpl::kYourHost, {"Your host is " + config_.server_name + ", running version " + config_.version});
    out += numeric(rpl::kCreated, {"This server was created " + config_.created});
    out += format_line(config_.server_name, rpl::kMyInfo, {nick_, config_.server_name, config_.version, "io", "mnostv", "ov"}, false);
    out += isupport_lines();
    out += motd_lines();
    return out;
}

// The numeric for a core error, read in the context of the request it answers.
std::string Session::error_reply(const Error& e) const {
    using K = Context::Kind;
    const K kind = context_.kind;
    if (kind == K::Notice) return {};
    const std::string& target = context_.target;
    const std::string& c = e.code;
    if (c == err::kNickInvalid) return numeric(rpl::kErrErroneusNickname, {target, "Erroneous nickname: " + e.text});
    if (c == err::kNickTaken) return numeric(rpl::kErrNicknameInUse, {target, "Nickname is already in use"});
    if (c == err::kNoSuchNick)
        return numeric(rpl::kErrNoSuchNick, {context_.nick.empty() ? target : context_.nick, "No such nick/channel"});
    if (c == err::kRoomInvalid) return numeric(rpl::kErrNoSuchChannel, {target, "No such channel: " + e.text});
    if (c == err::kNoSuchRoom) {
        if (kind == K::Names)
            return context_.names_end.empty() ? std::string() : numeric(rpl::kEndOfNames, {context_.names_end, "End of /NAMES list"});
        if (kind == K::Who) return numeric(rpl::kEndOfWho, {target, "End of /WHO list"});
        return numeric(rpl::kErrNoSuchChannel, {target, "No such channel"});
    }
    if (c == err::kNotInRoom) {
        if (kind == K::Message) return numeric(rpl::kErrCannotSendToChan, {target, "Cannot send to channel (join it first)"});
        return numeric(rpl::kErrNotOnChannel, {target, "You're not on that channel"});
    }
    if (c == err::kNotOperator) {
        if (kind == K::Message) return numeric(rpl::kErrCannotSendToChan, {target, "Cannot send to channel (+m)"});
        return numeric(rpl::kErrChanOPrivsNeeded, {target, "You're not channel operator"});
    }
    if (c == err::kAlreadyInRoom) return numeric(rpl::kErrUserOnChannel, {context_.nick, target, "is already on channel"});
    if (c == err::kBadKey) return numeric(rpl::kErrBadChannelKey, {target, "Cannot join channel (+k)"});
    if (c == irc_err::kInvalidModeParam)
        return numeric(rpl::kErrInvalidModeParam, {target, std::string(1, context_.mode), "*", e.text});
    if (c == err::kBanned) {
        if (kind == K::Message) return numeric(rpl::kErrCannotSendToChan, {target, "Cannot send to channel (+b)"});
        return numeric(rpl::kErrBannedFromChan, {target, "Cannot join channel (+b)"});
    }
    if (c == irc_err::kListFull) return numeric(rpl::kErrBanListFull, {target, "b", "Channel ban list is full"});
    if (c == err::kRoomFull) return numeric(rpl::kErrChannelIsFull, {target, "Cannot join channel (+l)"});
    if (c == err::kInviteOnly) return numeric(rpl::kErrInviteOnlyChan, {target, "Cannot join channel (+i)"});
    if (c == irc_err::kUserNotInRoom) return numeric(rpl::kErrUserNotInChannel, {context_.nick, target, "They aren't on that channel"});
    if (c == irc_err::kUnknownMode) return numeric(rpl::kErrUnknownMode, {"*", "is unknown mode char to me"});
    if (c == irc_err::kNoPrivileges) return numeric(rpl::kErrNoPrivileges, {"Permission Denied- You're not an IRC operator"});
    if (c == err::kTooManyRooms) return numeric(rpl::kErrTooManyChannels, {target, "You have joined too many channels"});
    if (c == err::kAlreadyLoggedIn) return numeric(rpl::kErrAlreadyRegistered, {"You may not reregister"});
    if (c == err::kNotLoggedIn) return numeric(rpl::kErrNotRegistered, {"You have not registered"});
    // Everything else (slow down, not stored, too many errors...) in words, from the server.
    return format_line(config_.server_name, "NOTICE", {me(), e.code + ": " + e.text});
}

std::string Session::user_list_lines(const UserList& u, const ChatCore& core, const Directory& dir) const {
    using K = Context::Kind;
    std::string out;
    if (context_.kind == K::Who) {
        for (const UserInfo& user : u.users) {
            const Ident& i = dir.ident(user.nick);
            out += numeric(rpl::kWhoReply, {u.room, i.user, i.host, config_.server_name, user.nick,
                                            who_flags(core, core.find_nick(user.nick), member_prefix(user.op, user.voice, caps_.multi_prefix)),
                                            "0 " + i.realname});
        }
        if (!u.more) out += numeric(rpl::kEndOfWho, {context_.target, "End of /WHO list"});
        return out;
    }
    // NAMES, a join answer, or the room's list sent unasked (the presence limit was crossed).
    // A secret room's symbol is '@' (RFC 2812 3.2.5).
    const RoomModes* modes = core.room_modes(u.room);
    const std::string symbol = modes != nullptr && modes->secret ? "@" : "=";
    const std::string head = numeric(rpl::kNamReply, {symbol, u.room, ""});
    const std::size_t room = kMaxLineBytes - head.size();  // head ends in " :\r\n": what names may add
    std::string names;
    for (const UserInfo& user : u.users) {
        const std::string name = member_prefix(user.op, user.voice, caps_.multi_prefix) +
                                 (caps_.userhost_in_names ? dir.prefix(user.nick) : user.nick);
        if (!names.empty() && names.size() + 1 + name.size() > room) {
            out += numeric(rpl::kNamReply, {symbol, u.room, names});
            names.clear();
        }
        if (!names.empty()) names += ' ';
        names += name;
    }
    if (!names.empty()) out += numeric(rpl::kNamReply, {symbol, u.room, names});
    if (u.more) return out;
    if (context_.kind != K::Names) out += numeric(rpl::kEndOfNames, {u.room, "End of /NAMES list"});
    else if (!context_.names_end.empty()) out += numeric(rpl::kEndOfNames, {context_.names_end, "End of /NAMES list"});
    return out;
}

std::string Session::topic_lines(const Topic& t) const {
    if (t.text.empty()) return numeric(rpl::kNoTopic, {t.room, "No topic is set"});
    std::string out = numeric(rpl::kTopic, {t.room, t.text});
    out += format_line(config_.server_name, rpl::kTopicWhoTime,
                       {me(), t.room, t.by.empty() ? config_.server_name : t.by, std::to_string(t.ts / 1000)}, false);
    return out;
}

std::string Session::room_list_lines(const RoomList& r) const {
    std::string out;
    for (const RoomInfo& room : r.rooms) {
        const auto& f = context_.filter;
        if (!f.empty() && std::find(f.begin(), f.end(), text::room_key(room.room)) == f.end()) continue;
        // An IRC channel exists while someone is in it: rooms natterd keeps for their history
        // or topic, empty now, are listed only when asked for by name.
        if (f.empty() && room.members == 0) continue;
        out += numeric(rpl::kList, {room.room, std::to_string(room.members), room.topic});
    }
    if (!r.more) out += numeric(rpl::kListEnd, {"End of /LIST"});
    return out;
}

std::string Session::history_line(const std::string& prefix, const std::string& room,
                                  const std::string& text, bool action, bool notice, std::uint64_t ts) {
    std::string out;
    std::string tags = "time=" + server_time(ts);
    if (caps_.batch) {
        if (batch_.empty()) {
            batch_ = "h" + std::to_string(next_batch_++);
            out += format_line(config_.server_name, "BATCH", {"+" + batch_, "chathistory", room}, false);
        }
        tags += ";batch=" + batch_;
    }
    out += privmsg_lines(prefix, room, text, action, tags, notice);
    return out;
}

// ---- what the core sends -----------------------------------------------------------------------

View Session::view(const Message& msg) const {
    return std::visit(
        [&](const auto& m) -> View {
            using T = std::decay_t<decltype(m)>;
            using K = Context::Kind;
            if constexpr (std::is_same_v<T, GroupMessage> || std::is_same_v<T, Action>) {
                if (m.history) return caps_.server_time ? View::Own : View::Skip;
                // natter echoes a room message to its sender; IRC only with echo-message.
                if (!caps_.echo_message && !nick_.empty() && text::fold_case(m.from) == text::fold_case(nick_))
                    return View::Skip;
                return View::Shared;
            } else if constexpr (std::is_same_v<T, PrivateMessage>) {
                const bool to_self = text::fold_case(m.to) == text::fold_case(m.from);
                if (!caps_.echo_message && !to_self && !nick_.empty() && text::fold_case(m.from) == text::fold_case(nick_))
                    return View::Skip;
                return View::Shared;
            } else if constexpr (std::is_same_v<T, Joined> || std::is_same_v<T, Left> || std::is_same_v<T, Renamed>) {
                return View::Shared;
            } else if constexpr (std::is_same_v<T, Topic>) {
                const std::string key = text::room_key(m.room);
                if (key == joining_) return m.text.empty() ? View::Skip : View::Own;
                if (context_.kind == K::TopicQuery) return View::Own;
                return View::Shared;
            } else if constexpr (std::is_same_v<T, UserList>) {
                // Asked for (NAMES, WHO) or part of a join answer. Lists sent unasked (an operator
                // changed, the room crossed the presence limit) are natter's: IRC clients learn
                // of operators from MODE, and an unasked NAMES would print in their windows.
                if (context_.kind == K::Who || context_.kind == K::Names) return View::Own;
                if (!m.room.empty() && text::room_key(m.room) == joining_) return View::Own;
                return View::Skip;
            } else if constexpr (std::is_same_v<T, RoomList>) {
                return context_.kind == K::List ? View::Own : View::Skip;
            } else if constexpr (std::is_same_v<T, Welcome> || std::is_same_v<T, Error> || std::is_same_v<T, Bye> ||
                                 std::is_same_v<T, Invited>) {
                return View::Own;
            } else if constexpr (std::is_same_v<T, HistoryEnd>) {
                return batch_.empty() ? View::Skip : View::Own;
            } else {
                // Pong (PING is answered by the session), ignore mode, help, search: natter's own.
                return View::Skip;
            }
        },
        msg);
}

std::string Session::render(const Message& msg, const ChatCore& core, const Directory& dir) {
    return std::visit(
        [&](const auto& m) -> std::string {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, GroupMessage>) {
                return history_line(dir.prefix(m.from), m.room, m.text, false, m.notice, m.ts);
            } else if constexpr (std::is_same_v<T, Action>) {
                return history_line(dir.prefix(m.from), m.room, m.text, true, false, m.ts);
            } else if constexpr (std::is_same_v<T, Topic>) {
                return topic_lines(m);
            } else if constexpr (std::is_same_v<T, UserList>) {
                return user_list_lines(m, core, dir);
            } else if constexpr (std::is_same_v<T, RoomList>) {
                return room_list_lines(m);
            } else if constexpr (std::is_same_v<T, Welcome>) {
                nick_ = m.nick;  // the numerics are addressed to it from now on
                return welcome_lines();
            } else if constexpr (std::is_same_v<T, Error>) {
                return error_reply(m);
            } else if constexpr (std::is_same_v<T, Bye>) {
                return error_line(m.reason);
            } else if constexpr (std::is_same_v<T, Invited>) {
                // The inviter hears RPL_INVITING, the invitee an INVITE from the inviter.
                if (!nick_.empty() && text::fold_case(m.by) == text::fold_case(nick_))
                    return numeric(rpl::kInviting, {m.nick, m.room});
                return format_line(dir.prefix(m.by), "INVITE", {m.nick, m.room}, false);
            } else if constexpr (std::is_same_v<T, HistoryEnd>) {
                std::string out = format_line(config_.server_name, "BATCH", {"-" + batch_}, false);
                batch_.clear();
                return out;
            } else {
                return std::string();
            }
        },
        msg);
}

void Session::observe(const Message& msg, Directory& dir) {
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, Welcome>) {
                registered_ = true;
                nick_ = m.nick;
                dir.add(nick_, id_, ident_);
            } else if constexpr (std::is_same_v<T, Renamed>) {
                if (!nick_.empty() && text::fold_case(m.from) == text::fold_case(nick_)) {
                    dir.rename(m.from, m.to);
                    nick_ = m.to;
                }
            } else if constexpr (std::is_same_v<T, Joined>) {
                if (!nick_.empty() && text::fold_case(m.nick) == text::fold_case(nick_)) {
                    rooms_[text::room_key(m.room)] = m.room;
                    joining_ = text::room_key(m.room);
                }
            } else if constexpr (std::is_same_v<T, Left>) {
                if (!m.room.empty() && !nick_.empty() && text::fold_case(m.nick) == text::fold_case(nick_)) {
                    rooms_.erase(text::room_key(m.room));
                }
            } else if constexpr (std::is_same_v<T, HistoryEnd>) {
                if (text::room_key(m.room) == joining_) joining_.clear();
                batch_.clear();
            }
        },
        msg);
}

}  // namespace natter::server::irc
