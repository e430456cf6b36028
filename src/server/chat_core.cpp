#include "server/chat_core.h"

#include <algorithm>
#include <utility>

#include "server/commands.h"
#include "shared/text.h"

namespace natter::server {

// A quit reason goes to everyone: keep it short and on one line. The codec has already refused
// invalid UTF-8 and NUL; control characters (newlines included) become spaces, and it is cut at a
// code point boundary.
std::string clean_reason(std::string_view raw) {
    std::string out;
    out.reserve(raw.size() < kMaxReasonBytes ? raw.size() : kMaxReasonBytes);
    for (std::size_t i = 0; i < raw.size();) {
        const std::size_t start = i;
        const char32_t cp = text::decode_one(raw, i);
        if (cp == text::kInvalid) continue;
        const std::size_t len = i - start;
        if (out.size() + len > kMaxReasonBytes) break;
        if (text::is_control(cp)) out += ' ';
        else out.append(raw.substr(start, len));
    }
    return out;
}


ChatCore::ChatCore(CoreConfig config)
    : config_(std::move(config)),
      next_message_id_(std::max<std::uint64_t>(config_.first_message_id, 1)),
      lobby_key_(text::room_key(kLobby)) {
    rooms_[lobby_key_].name = kLobby;
    rooms_[lobby_key_].created = config_.started;
    for (const StoredRoom& r : config_.restore) restore_room(r);
    config_.restore.clear();
}

void ChatCore::connect(ClientId id, Millis now, bool join_lobby) {
    Client& c = clients_[id];
    c = Client{};
    c.errors_since = now;
    c.join_lobby = join_lobby;
}

bool ChatCore::logged_in(ClientId id) const {
    auto it = clients_.find(id);
    return it != clients_.end() && it->second.logged_in;
}

const std::string* ChatCore::nick(ClientId id) const {
    auto it = clients_.find(id);
    if (it == clients_.end() || !it->second.logged_in) return nullptr;
    return &it->second.nick;
}

void ChatCore::disconnect(ClientId id, std::string_view reason, Millis now, Outputs& out) {
    if (clients_.count(id) == 0) return;
    remove(id, reason, now, out);
}

void ChatCore::handle(ClientId id, const Message& msg, Millis now, Outputs& out) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    Client& c = it->second;
    const CommandRow* row = command_row(msg);
    if (row == nullptr) {
        // The decoder only lets client types through; this is a caller's mistake, still refused.
        refuse(id, c, err::kUnknownType, std::string("clients may not send \"") + type_name(msg) + "\"",
               now, out);
        return;
    }
    if (!c.logged_in && !row->before_login) {
        refuse(id, c, err::kNotLoggedIn,
               std::string("log in first: send hello with a nickname (\"") + row->name +
                   "\" needs a login)",
               now, out);
        return;
    }
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (message_index_v<T> < message_index_v<Welcome>) on(id, c, m, now, out);
        },
        msg);
}

void ChatCore::bad_line(ClientId id, const DecodeError& error, Millis now, Outputs& out) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    out.notes.push_back({id, "bad line: " + error.code + ": " + error.text});
    refuse(id, it->second, error.code.c_str(), error.text, now, out);
}

void ChatCore::line_too_long(ClientId id, Millis now, Outputs& out) {
    if (clients_.count(id) == 0) return;
    kick(id, err::kFrameTooLong,
         "line longer than " + std::to_string(kMaxFrameBytes) + " bytes; closing the connection",
         "line over " + std::to_string(kMaxFrameBytes) + " bytes", now, out);
}

// ---- the messages ------------------------------------------------------------------------------

void ChatCore::on(ClientId id, Client& c, const Hello& m, Millis now, Outputs& out) {
    if (c.logged_in) {
        refuse(id, c, err::kAlreadyLoggedIn, "you are already logged in as " + c.nick, now, out);
        return;
    }
    if (m.version != kProtocolVersion) {
        refuse(id, c, err::kBadVersion,
               "this server speaks protocol version " + std::to_string(kProtocolVersion) +
                   ", not " + std::to_string(m.version),
               now, out);
        return;
    }
    const char* code = nullptr;
    std::string why;
    if (nick_refused(id, m.nick, code, why)) {
        refuse(id, c, code, std::move(why), now, out);
        return;
    }
    c.logged_in = true;
    c.ignoring = false;
    c.nick = m.nick;
    c.fold = text::fold_case(m.nick);
    c.skeleton = text::nick_skeleton(m.nick);
    c.slot = online_.size();
    online_.push_back(id);
    peak_online_ = std::max(peak_online_, online_.size());
    by_fold_.emplace(c.fold, id);
    by_skeleton_.emplace(c.skeleton, id);

    out.deliveries.push_back({{id}, Welcome{c.nick, config_.server_name, config_.motd, kProtocolVersion}});
    out.notes.push_back({id, "logged in as " + c.nick});
    if (c.join_lobby) join(id, c, lobby_key_, kLobby, now, out);
}

void ChatCore::on(ClientId id, Client& c, const Say& m, Millis now, Outputs& out) {
    room_message(id, c, m.room, m.text, false, m.notice, now, out);
}

void ChatCore::on(ClientId id, Client& c, const Me& m, Millis now, Outputs& out) {
    room_message(id, c, m.room, m.text, true, false, now, out);
}

ClientId ChatCore::online_or_refuse(ClientId id, Client& c, const std::string& nick, Millis now, Outputs& out) {
    const ClientId found = find_nick(nick);
    if (found == 0)
        refuse(id, c, err::kNoSuchNick,
               "nobody called " + text::sanitize_for_terminal(nick.substr(0, kMaxNickBytes)) + " is online", now, out);
    return found;
}

void ChatCore::on(ClientId id, Client& c, const Tell& m, Millis now, Outputs& out) {
    const ClientId to = online_or_refuse(id, c, m.to, now, out);
    if (to == 0) return;
    if (auto why = text::text_problem(m.text)) {
        refuse(id, c, err::kBadText, *why, now, out);
        return;
    }
    const std::string& to_nick = clients_.at(to).nick;
    std::vector<ClientId> recipients{to};
    if (to != id) recipients.push_back(id);
    out.deliveries.push_back(
        {std::move(recipients), PrivateMessage{next_message_id_++, now, c.nick, to_nick, m.text, m.notice}});
}

void ChatCore::on(ClientId id, Client& c, const ChangeNick& m, Millis now, Outputs& out) {
    const char* code = nullptr;
    std::string why;
    if (nick_refused(id, m.nick, code, why)) {
        refuse(id, c, code, std::move(why), now, out);
        return;
    }
    std::string old = c.nick;
    depart(id, c, now);
    by_fold_.erase(c.fold);
    by_skeleton_.erase(c.skeleton);
    c.nick = m.nick;
    c.fold = text::fold_case(m.nick);
    c.skeleton = text::nick_skeleton(m.nick);
    by_fold_.emplace(c.fold, id);
    by_skeleton_.emplace(c.skeleton, id);
    // Those who share a room with the renamer, where presence is not quiet; a private partner
    // or a quiet crowd sees the new name on the next message.
    std::vector<ClientId> to = neighbours(id, c);
    to.push_back(id);
    out.deliveries.push_back({std::move(to), Renamed{now, old, c.nick}});
    out.notes.push_back({id, "renamed " + old + " to " + c.nick});
}

// The whole list, whatever the crowd: asked for, it is one client's cost, not everyone's.
void ChatCore::on(ClientId id, Client& c, const Who& m, Millis now, Outputs& out) {
    if (m.room.empty()) {
        send_user_list({id}, false, out);
        return;
    }
    if (auto why = text::room_problem(m.room)) {
        refuse(id, c, err::kRoomInvalid, *why, now, out);
        return;
    }
    const Room* r = visible_room(id, m.room);
    if (r == nullptr) {
        refuse(id, c, err::kNoSuchRoom, "there is no room " + m.room, now, out);
        return;
    }
    send_room_list(*r, {id}, false, out);
}

void ChatCore::on(ClientId id, Client& c, const SetIgnore& m, Millis now, Outputs& out) {
    const bool changed = c.ignoring != m.on;
    c.ignoring = m.on;
    out.deliveries.push_back({{id}, IgnoreState{m.on}});
    // Asking for the mode one already has changes nothing the others need to hear about.
    if (changed) {
        std::vector<ClientId> others = neighbours(id, c);
        if (!others.empty()) out.deliveries.push_back({std::move(others), IgnoreChanged{now, c.nick, m.on}});
    }
}

void ChatCore::on(ClientId id, Client&, const HelpRequest&, Millis, Outputs& out) {
    out.deliveries.push_back({{id}, help_answer()});
}

void ChatCore::on(ClientId id, Client&, const Quit& m, Millis now, Outputs& out) {
    const std::string reason = clean_reason(m.reason);
    out.deliveries.push_back({{id}, Bye{"goodbye"}});
    remove(id, reason.empty() ? "quit" : "quit: " + reason, now, out);
    out.closes.push_back({id, reason.empty() ? "quit" : "quit: " + reason});
}

void ChatCore::on(ClientId id, Client& c, const Ping& m, Millis now, Outputs& out) {
    if (m.token.size() > kMaxTokenBytes) {
        refuse(id, c, err::kBadField,
               "ping: token longer than " + std::to_string(kMaxTokenBytes) + " bytes", now, out);
        return;
    }
    out.deliveries.push_back({{id}, Pong{m.token}});
}

// Any input is activity; the shell has already noted it. Nothing to answer.
void ChatCore::on(ClientId, Client&, const Pong&, Millis, Outputs&) {}

// ---- helpers -----------------------------------------------------------------------------------

bool ChatCore::refuse(ClientId id, Client& c, const char* code, std::string text, Millis now,
                      Outputs& out) {
    if (now - c.errors_since >= config_.error_window_ms || now < c.errors_since) {
        c.errors_since = now;
        c.errors = 0;
    }
    ++c.errors;
    out.deliveries.push_back({{id}, Error{code, std::move(text)}});
    if (c.errors < config_.max_errors) return true;
    kick(id, err::kTooManyErrors,
         std::to_string(c.errors) + " errors within " + std::to_string(config_.error_window_ms / 1000) +
             " seconds; closing the connection",
         "too many errors", now, out);
    return false;
}

bool ChatCore::nick_refused(ClientId id, const std::string& nick, const char*& code,
                            std::string& text) const {
    if (auto why = text::nick_problem(nick)) {
        code = err::kNickInvalid;
        text = *why;
        return true;
    }
    auto it = by_skeleton_.find(text::nick_skeleton(nick));
    if (it != by_skeleton_.end() && it->second != id) {
        code = err::kNickTaken;
        text = "the nickname " + nick + " is taken";
        const std::string& holder = clients_.at(it->second).nick;
        if (text::fold_case(holder) != text::fold_case(nick))
            text += " (it looks too much like " + holder + ")";
        return true;
    }
    return false;
}

void ChatCore::send_user_list(const std::vector<ClientId>& to, bool first_only, Outputs& out) const {
    if (to.empty()) return;
    UserList chunk;
    chunk.users.reserve(std::min(kUsersPerChunk, by_fold_.size()));
    std::size_t left = by_fold_.size();
    for (const auto& [fold, id] : by_fold_) {
        const Client& c = clients_.at(id);
        chunk.users.push_back({c.nick, c.ignoring});
        --left;
        if (chunk.users.size() == kUsersPerChunk || left == 0) {
            chunk.more = left != 0 && !first_only;
            chunk.total = by_fold_.size();
            out.deliveries.push_back({to, std::move(chunk)});
            if (first_only) return;
            chunk = UserList{};
        }
    }
}


void ChatCore::depart(ClientId id, const Client& c, Millis now) {
    if (departures_.size() == kMaxDepartures) departures_.pop_front();
    departures_.push_back({c.nick, id, now});
}

void ChatCore::remove(ClientId id, std::string_view reason, Millis now, Outputs& out) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    Client& c = it->second;
    if (c.logged_in) {
        depart(id, c, now);
        // Swap-remove from the dense list, fixing the moved client's slot.
        const ClientId last = online_.back();
        online_[c.slot] = last;
        clients_.at(last).slot = c.slot;
        online_.pop_back();
        by_fold_.erase(c.fold);
        by_skeleton_.erase(c.skeleton);
        // One "left" without a room for everyone who shared a room with it. Leaving a quiet room
        // tells its members nothing, unless it ends the quiet: then they get the list instead.
        ++mark_;
        c.mark = mark_;
        std::vector<ClientId> others;
        for (const std::string& key : c.rooms) {
            if (leave_room(id, key, out)) {
                for (ClientId m : rooms_.at(key).members) {
                    Client& other = clients_.at(m);
                    if (other.mark == mark_) continue;
                    other.mark = mark_;
                    others.push_back(m);
                }
            }
            forget_if_unused(key);
        }
        c.rooms.clear();
        if (!others.empty())
            out.deliveries.push_back({std::move(others), Left{now, c.nick, std::string(reason), ""}});
        out.notes.push_back({id, c.nick + " left (" + std::string(reason) + ")"});
    }
    clients_.erase(it);
}

void ChatCore::kick(ClientId id, const char* code, std::string text, std::string_view reason,
                    Millis now, Outputs& out) {
    out.deliveries.push_back({{id}, Error{code, std::move(text)}});
    out.deliveries.push_back({{id}, Bye{std::string(reason)}});
    remove(id, reason, now, out);
    out.closes.push_back({id, std::string(reason)});
}

}  // namespace natter::server
