// The IRC session's output: numerics and replies, and the IRC form of what the core sends this
// client (view, render, observe; see irc_session.h).
#include "server/irc_session.h"

#include <algorithm>
#include <string>
#include <type_traits>
#include <variant>

#include "server/irc_numerics.h"
#include "server/irc_session_detail.h"
#include "shared/text.h"

namespace natter::server::irc {

using namespace detail;

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
    if (c == err::kInvalidModeParam)
        return numeric(rpl::kErrInvalidModeParam, {target, std::string(1, context_.mode), "*", e.text});
    if (c == err::kBanned) {
        if (kind == K::Message) return numeric(rpl::kErrCannotSendToChan, {target, "Cannot send to channel (+b)"});
        return numeric(rpl::kErrBannedFromChan, {target, "Cannot join channel (+b)"});
    }
    if (c == err::kListFull) return numeric(rpl::kErrBanListFull, {target, "b", "Channel ban list is full"});
    if (c == err::kRoomFull) return numeric(rpl::kErrChannelIsFull, {target, "Cannot join channel (+l)"});
    if (c == err::kInviteOnly) return numeric(rpl::kErrInviteOnlyChan, {target, "Cannot join channel (+i)"});
    if (c == err::kUserNotInRoom) return numeric(rpl::kErrUserNotInChannel, {context_.nick, target, "They aren't on that channel"});
    if (c == err::kUnknownMode) return numeric(rpl::kErrUnknownMode, {"*", "is unknown mode char to me"});
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
