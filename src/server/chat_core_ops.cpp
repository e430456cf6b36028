// The chat core's room operators, room modes and away messages: what IRC clients ask for
// (KICK, MODE, AWAY, and the lookups of WHOIS, ISON and the like) and natter's own protocol does
// not. Natter clients still feel them: a kick is a "left" with its "by", a moderated room or a
// locked topic refuses them with not_operator. See chat_core.h.
#include <algorithm>

#include "server/chat_core.h"
#include "server/irc_text.h"
#include "shared/text.h"

namespace natter::server {

bool ChatCore::is_op(const Room& r, ClientId id) {
    return id != 0 && (r.op == id || std::find(r.more_ops.begin(), r.more_ops.end(), id) != r.more_ops.end());
}

bool ChatCore::has_voice(const Room& r, ClientId id) {
    return id != 0 && std::find(r.voiced.begin(), r.voiced.end(), id) != r.voiced.end();
}

bool ChatCore::is_banned(const Room& r, ClientId id) const {
    if (r.bans.empty()) return false;
    const Client& c = clients_.at(id);
    const std::string who = text::fold_case(c.nick + "!" + c.userhost);
    for (const RoomBan& b : r.bans)
        if (irc::mask_matches(b.fold, who)) return true;
    return false;
}

void ChatCore::set_userhost(ClientId id, std::string userhost) {
    auto it = clients_.find(id);
    if (it != clients_.end()) it->second.userhost = std::move(userhost);
}

const std::vector<RoomBan>* ChatCore::room_bans(std::string_view name) const {
    const Room* r = find_room(name);
    return r == nullptr ? nullptr : &r->bans;
}

const ChatCore::Room* ChatCore::find_room(std::string_view name) const {
    if (text::room_problem(name)) return nullptr;
    auto it = rooms_.find(text::room_key(name));
    return it == rooms_.end() ? nullptr : &it->second;
}

bool ChatCore::hidden_from(const Room& r, ClientId id) {
    return r.modes.secret && std::find(r.members.begin(), r.members.end(), id) == r.members.end();
}

const ChatCore::Room* ChatCore::visible_room(ClientId id, std::string_view name) const {
    const Room* r = find_room(name);
    return r != nullptr && !hidden_from(*r, id) ? r : nullptr;
}

ClientId ChatCore::find_nick(std::string_view nick) const {
    if (text::nick_problem(nick)) return 0;
    auto it = by_fold_.find(text::fold_case(nick));
    return it == by_fold_.end() ? 0 : it->second;
}

bool ChatCore::nick_available(ClientId id, const std::string& nick) const {
    const char* code = nullptr;
    std::string why;
    return !nick_refused(id, nick, code, why);
}

std::string ChatCore::room_name(std::string_view name) const {
    const Room* r = find_room(name);
    return r == nullptr ? std::string() : r->name;
}

const RoomModes* ChatCore::room_modes(std::string_view name) const {
    const Room* r = find_room(name);
    return r == nullptr ? nullptr : &r->modes;
}

bool ChatCore::is_operator(std::string_view room, ClientId id) const {
    const Room* r = find_room(room);
    return r != nullptr && is_op(*r, id);
}

bool ChatCore::is_voiced(std::string_view room, ClientId id) const {
    const Room* r = find_room(room);
    return r != nullptr && has_voice(*r, id);
}

Millis ChatCore::room_created(std::string_view name) const {
    const Room* r = find_room(name);
    return r == nullptr ? 0 : r->created;
}

const std::string& ChatCore::away(ClientId id) const {
    static const std::string present;
    auto it = clients_.find(id);
    return it == clients_.end() ? present : it->second.away;
}

void ChatCore::set_away(ClientId id, std::string_view text) {
    auto it = clients_.find(id);
    if (it == clients_.end() || !it->second.logged_in) return;
    // Shown to whoever writes to the client: one line, short.
    it->second.away = clean_reason(text);
}

void ChatCore::kick_from_room(ClientId by, const std::string& room, const std::string& nick, std::string_view reason,
                              Millis now, Outputs& out) {
    auto it = clients_.find(by);
    if (it == clients_.end() || !it->second.logged_in) return;
    Client& c = it->second;
    Room* r = member_room(by, c, room, now, out);
    if (r == nullptr) return;
    if (!is_op(*r, by)) {
        refuse(by, c, err::kNotOperator, "only the operators of " + r->name + " may remove someone from it", now, out);
        return;
    }
    const ClientId target = online_or_refuse(by, c, nick, now, out);
    if (target == 0) return;
    Client& t = clients_.at(target);
    const std::string key = text::room_key(r->name);
    const auto pos = std::find(t.rooms.begin(), t.rooms.end(), key);
    if (pos == t.rooms.end()) {
        refuse(by, c, err::kUserNotInRoom, t.nick + " is not in " + r->name, now, out);
        return;
    }
    const std::string name = r->name;
    // Like a part, except that the operator and the one removed hear of it even in a quiet room.
    const bool tell = leave_room(target, key, out);
    std::vector<ClientId> to = tell ? r->members : std::vector<ClientId>{};
    if (!tell && by != target) to.push_back(by);
    to.push_back(target);
    out.deliveries.push_back({std::move(to), Left{now, t.nick, clean_reason(reason), name, c.nick}});
    out.notes.push_back({by, "removed " + t.nick + " from " + name});
    t.rooms.erase(pos);
    forget_if_unused(key);  // r may dangle from here
}

void ChatCore::on(ClientId id, Client&, const Invite& m, Millis now, Outputs& out) { invite(id, m.room, m.nick, now, out); }

void ChatCore::on(ClientId id, Client&, const Kick& m, Millis now, Outputs& out) {
    kick_from_room(id, m.room, m.nick, m.reason, now, out);
}

void ChatCore::on(ClientId id, Client& c, const ModeRequest& m, Millis now, Outputs& out) {
    if (auto why = text::room_problem(m.room)) {
        refuse(id, c, err::kRoomInvalid, *why, now, out);
        return;
    }
    const Room* r = visible_room(id, m.room);
    if (r == nullptr) {
        refuse(id, c, err::kNoSuchRoom, "there is no room " + m.room, now, out);
        return;
    }
    const bool member = std::find(r->members.begin(), r->members.end(), id) != r->members.end();
    if (m.change.empty()) {
        RoomModesInfo info{r->name, mode_letters(r->modes), member ? r->modes.key : std::string(), r->modes.limit, {}};
        for (const RoomBan& b : r->bans) info.bans.push_back(b.mask);
        out.deliveries.push_back({{id}, std::move(info)});
        return;
    }
    if (m.change.size() != 2 || (m.change[0] != '+' && m.change[0] != '-')) {
        refuse(id, c, err::kUnknownMode, "a mode change is + or - and one letter, like +m", now, out);
        return;
    }
    const bool on = m.change[0] == '+';
    const char mode = m.change[1];
    // The changes that name something say so before anything else is checked.
    const bool needs_arg = mode == 'o' || mode == 'v' || mode == 'b' || (on && (mode == 'k' || mode == 'l'));
    if (needs_arg && m.arg.empty()) {
        const char* what = mode == 'k' ? "a key" : mode == 'l' ? "a number of members" : mode == 'b' ? "a mask" : "a nickname";
        refuse(id, c, err::kInvalidModeParam, m.change + " needs " + what, now, out);
        return;
    }
    set_room_mode(id, m.room, mode, on, m.arg, now, out);
}

void ChatCore::invite(ClientId by, const std::string& room, const std::string& nick, Millis now, Outputs& out) {
    auto it = clients_.find(by);
    if (it == clients_.end() || !it->second.logged_in) return;
    Client& c = it->second;
    if (!text::room_problem(room) && visible_room(by, room) == nullptr) {
        refuse(by, c, err::kNoSuchRoom, "there is no room " + room, now, out);
        return;
    }
    Room* r = member_room(by, c, room, now, out);
    if (r == nullptr) return;
    if (r->modes.invite_only && !is_op(*r, by)) {
        refuse(by, c, err::kNotOperator, r->name + " is invite-only: only its operators may invite", now, out);
        return;
    }
    const ClientId target = online_or_refuse(by, c, nick, now, out);
    if (target == 0) return;
    const Client& t = clients_.at(target);
    if (std::find(r->members.begin(), r->members.end(), target) != r->members.end()) {
        refuse(by, c, err::kAlreadyInRoom, t.nick + " is in " + r->name + " already", now, out);
        return;
    }
    if (std::find(r->invited.begin(), r->invited.end(), target) == r->invited.end()) {
        if (r->invited.size() >= kMaxInvitations) r->invited.erase(r->invited.begin());
        r->invited.push_back(target);
    }
    out.deliveries.push_back({{target, by}, Invited{now, r->name, c.nick, t.nick}});
    out.notes.push_back({by, "invited " + t.nick + " to " + r->name});
}

bool ChatCore::key_valid(std::string_view key) {
    if (key.empty() || key.size() > kMaxKeyBytes) return false;
    for (char ch : key)
        if (ch <= ' ' || ch > '~' || ch == ',') return false;
    return true;
}

void ChatCore::set_room_mode(ClientId by, const std::string& room, char mode, bool on, const std::string& nick,
                             Millis now, Outputs& out) {
    auto it = clients_.find(by);
    if (it == clients_.end() || !it->second.logged_in) return;
    Client& c = it->second;
    Room* r = member_room(by, c, room, now, out);
    if (r == nullptr) return;
    if (mode != 'b' && mode != 'i' && mode != 'k' && mode != 'l' && mode != 'm' && mode != 'n' && mode != 's' && mode != 't' && mode != 'o' && mode != 'v') {
        refuse(by, c, err::kUnknownMode, std::string("rooms have no mode ") + mode, now, out);
        return;
    }
    if (!is_op(*r, by)) {
        refuse(by, c, err::kNotOperator, "only the operators of " + r->name + " may change its modes", now, out);
        return;
    }
    const RoomModes before = r->modes;
    std::string about;
    if (mode == 'o' || mode == 'v') {
        const ClientId target = online_or_refuse(by, c, nick, now, out);
        if (target == 0) return;
        if (std::find(r->members.begin(), r->members.end(), target) == r->members.end()) {
            refuse(by, c, err::kUserNotInRoom, clients_.at(target).nick + " is not in " + r->name, now, out);
            return;
        }
        if (mode == 'o') {
            if (is_op(*r, target) == on) return;  // nothing changes, nobody hears of it
            if (on) {
                r->more_ops.push_back(target);
            } else {
                if (r->op == target) r->op = 0;
                r->more_ops.erase(std::remove(r->more_ops.begin(), r->more_ops.end(), target), r->more_ops.end());
            }
        } else {
            if (has_voice(*r, target) == on) return;
            if (on) r->voiced.push_back(target);
            else r->voiced.erase(std::remove(r->voiced.begin(), r->voiced.end(), target), r->voiced.end());
        }
        about = clients_.at(target).nick;
        // Natter clients see operators and voice in the member list: they get a fresh one.
        send_room_list(*r, r->members, r->quiet, out);
    } else if (mode == 'k') {
        if (on && !key_valid(nick)) {
            refuse(by, c, err::kInvalidModeParam,
                   "a key is 1 to " + std::to_string(kMaxKeyBytes) + " printable ASCII characters, no space or comma",
                   now, out);
            return;
        }
        if (!on && r->modes.key.empty()) return;
        if (on && r->modes.key == nick) return;
        r->modes.key = on ? nick : std::string();
        about = on ? nick : "*";
    } else if (mode == 'b') {
        bool fits = !nick.empty() && nick.size() <= kMaxBanMaskBytes && text::valid_utf8(nick);
        for (std::size_t i = 0; fits && i < nick.size();) {
            const char32_t cp = text::decode_one(nick, i);
            fits = !text::is_control(cp) && cp != ' ' && cp != ',';
        }
        if (!fits) {
            refuse(by, c, err::kInvalidModeParam,
                   "a ban mask is nick!user@host, at most " + std::to_string(kMaxBanMaskBytes) +
                       " bytes without spaces or commas",
                   now, out);
            return;
        }
        // "ann" bans ann!*@*, "*@host" bans *!*@host, "ann!u" bans ann!u@*.
        std::string mask = nick;
        if (mask.find('!') == std::string::npos && mask.find('@') == std::string::npos) mask += "!*@*";
        else if (mask.find('!') == std::string::npos) mask = "*!" + mask;
        else if (mask.find('@') == std::string::npos) mask += "@*";
        const std::string fold = text::fold_case(mask);
        auto same = std::find_if(r->bans.begin(), r->bans.end(), [&](const RoomBan& b) { return b.fold == fold; });
        if (on) {
            if (same != r->bans.end()) return;
            if (r->bans.size() >= kMaxBans) {
                refuse(by, c, err::kListFull, r->name + " has " + std::to_string(kMaxBans) + " bans already", now, out);
                return;
            }
            r->bans.push_back({mask, c.nick, now, fold});
            about = mask;
        } else {
            if (same == r->bans.end()) return;
            about = same->mask;
            r->bans.erase(same);
        }
    } else if (mode == 'l') {
        std::size_t limit = 0;
        if (on) {
            // Decimal digits only, 1 to kMaxLimit.
            const bool digits = !nick.empty() && nick.size() <= 6 &&
                                nick.find_first_not_of("0123456789") == std::string::npos;
            limit = digits ? std::stoul(nick) : 0;
            if (limit == 0 || limit > kMaxLimit) {
                refuse(by, c, err::kInvalidModeParam,
                       "a limit is a number of members from 1 to " + std::to_string(kMaxLimit), now, out);
                return;
            }
        }
        if (r->modes.limit == limit) return;
        r->modes.limit = limit;
        about = on ? std::to_string(limit) : std::string();
    } else {
        bool& flag = mode == 'i'   ? r->modes.invite_only
                     : mode == 'm' ? r->modes.moderated
                     : mode == 'n' ? r->modes.no_external
                     : mode == 's' ? r->modes.secret
                                   : r->modes.topic_lock;
        if (flag == on) return;
        flag = on;
    }
    if (r->modes != before && !store_room(*r)) {
        r->modes = before;
        out.deliveries.push_back({{by}, Error{err::kNotStored,
                                              "the server could not store the change, so " + r->name +
                                                  " is unchanged (is its disk full?); try again later"}});
        return;
    }
    out.mode_changes.push_back({r->members, r->name, c.nick, mode, on, about});
    out.notes.push_back({by, std::string(on ? "+" : "-") + mode + (about.empty() ? "" : " " + about) + " on " + r->name});
}

}  // namespace natter::server
