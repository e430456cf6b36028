// The IRC session's channel modes, kicks, invitations and server operators (MODE, KICK, INVITE,
// OPER, KILL): each change is a core call, answered like any core message.
#include "server/irc_session.h"

#include <string>
#include <vector>

#include "server/irc_numerics.h"
#include "server/irc_session_detail.h"
#include "shared/text.h"

namespace natter::server::irc {

using namespace detail;

// ---- modes, kicks, invitations, operators -----------------------------------------------------

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

}  // namespace natter::server::irc
