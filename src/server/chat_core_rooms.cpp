// The chat core's rooms: joining, parting, topics, the room list, room messages and presence
// per room. See chat_core.h.
#include <algorithm>
#include <optional>
#include <utility>

#include "server/chat_core.h"
#include "shared/text.h"

namespace natter::server {

namespace {

// A topic is shown on one line of a status bar: no control character at all (not even a tab or
// a newline, which chat texts may have), and short.
std::optional<std::string> topic_problem(std::string_view topic) {
    if (topic.size() > kMaxTopicBytes)
        return "a topic is at most " + std::to_string(kMaxTopicBytes) + " bytes";
    for (std::size_t i = 0; i < topic.size();) {
        const char32_t cp = text::decode_one(topic, i);
        if (cp == text::kInvalid) return std::string("the topic is not valid UTF-8");
        if (text::is_control(cp)) return std::string("a topic is one line without control characters");
    }
    return std::nullopt;
}

}  // namespace

bool ChatCore::presence_broadcast_allowed() const { return !rooms_.at(lobby_key_).quiet; }

void ChatCore::restore_room(const StoredRoom& stored) {
    // A name today's rule refuses stays in the store, unreachable, rather than be mangled.
    if (text::room_problem(stored.name)) return;
    Room& r = rooms_[text::room_key(stored.name)];
    if (r.name.empty()) {
        r.name = stored.name;
        r.modes = stored.modes;
        r.modes.invite_only = false;  // nobody could be invited into an empty room
    }
    if (r.created == 0) r.created = config_.started;
    r.topic = stored.topic;
    r.topic_by = stored.topic_by;
    r.topic_ts = stored.topic_ts;
    r.has_history = r.has_history || stored.has_history;
}

std::vector<std::string> ChatCore::rooms_of(ClientId id) const {
    std::vector<std::string> names;
    auto it = clients_.find(id);
    if (it == clients_.end()) return names;
    for (const std::string& key : it->second.rooms) names.push_back(rooms_.at(key).name);
    return names;
}

ChatCore::Room* ChatCore::find_room(const std::string& name) {
    if (text::room_problem(name)) return nullptr;
    auto it = rooms_.find(text::room_key(name));
    return it == rooms_.end() ? nullptr : &it->second;
}

ChatCore::Room* ChatCore::joined_room(const Client& c, const std::string& name) {
    for (const std::string& key : c.rooms) {
        Room& r = rooms_.at(key);
        if (r.name == name) return &r;
    }
    return nullptr;
}

ChatCore::Room* ChatCore::member_room(ClientId id, Client& c, const std::string& name, Millis now,
                                      Outputs& out) {
    if (Room* r = joined_room(c, name)) return r;
    if (auto why = text::room_problem(name)) {
        refuse(id, c, err::kRoomInvalid, *why, now, out);
        return nullptr;
    }
    const std::string key = text::room_key(name);
    if (std::find(c.rooms.begin(), c.rooms.end(), key) == c.rooms.end()) {
        refuse(id, c, err::kNotInRoom, "you are not in " + name + " (join it first)", now, out);
        return nullptr;
    }
    return &rooms_.at(key);
}

// ---- room messages -----------------------------------------------------------------------------

void ChatCore::room_message(ClientId id, Client& c, const std::string& room, const std::string& text,
                            bool action, bool notice, Millis now, Outputs& out) {
    // Members may speak; in a room without +n anyone online may.
    Room* r = joined_room(c, room);
    bool outsider = false;
    if (r == nullptr) {
        r = find_room(room);
        if (r != nullptr && !r->modes.no_external)
            outsider = std::find(r->members.begin(), r->members.end(), id) == r->members.end();
        else if ((r = member_room(id, c, room, now, out)) == nullptr)
            return;
    }
    if (!r->bans.empty() && !is_op(*r, id) && !has_voice(*r, id) && is_banned(*r, id)) {
        refuse(id, c, err::kBanned, "you are banned from " + r->name + ": you may not speak in it", now, out);
        return;
    }
    if (r->modes.moderated && !is_op(*r, id) && !has_voice(*r, id)) {
        refuse(id, c, err::kNotOperator, r->name + " is moderated: only its operators and voiced members may speak",
               now, out);
        return;
    }
    if (auto why = text::text_problem(text)) {
        refuse(id, c, err::kBadText, *why, now, out);
        return;
    }
    const std::uint64_t msg_id = next_message_id_++;
    ClientId durable = 0;
    if (config_.store != nullptr) {
        if (!config_.store->append(StoredMessage{msg_id, now, r->name, c.nick, text, action, notice})) {
            // The server's trouble, not the client's mistake: not counted as its error.
            out.deliveries.push_back({{id}, Error{err::kNotStored,
                                                  "the server could not store your message, so it was not "
                                                  "sent (is its disk full?); try again later"}});
            out.notes.push_back({id, "could not store a message in " + r->name});
            return;
        }
        r->has_history = true;
        durable = id;
    }
    // The sender always gets its echo, even in ignore mode or from outside the room: it carries
    // the server's id and time, and it says the message is stored.
    std::vector<ClientId> to = members(*r, true);
    if (c.ignoring || outsider) to.push_back(id);
    if (action) out.deliveries.push_back({std::move(to), Action{msg_id, now, c.nick, text, r->name, false}, durable});
    else out.deliveries.push_back({std::move(to), GroupMessage{msg_id, now, c.nick, text, r->name, false, notice}, durable});
}

std::vector<ClientId> ChatCore::members(const Room& r, bool skip_ignoring) const {
    std::vector<ClientId> to;
    to.reserve(r.members.size());
    for (ClientId m : r.members) {
        if (skip_ignoring && clients_.at(m).ignoring) continue;
        to.push_back(m);
    }
    return to;
}

// ---- joining and leaving -----------------------------------------------------------------------

void ChatCore::on(ClientId id, Client& c, const Join& m, Millis now, Outputs& out) {
    if (auto why = text::room_problem(m.room)) {
        refuse(id, c, err::kRoomInvalid, *why, now, out);
        return;
    }
    const std::string key = text::room_key(m.room);
    const bool member = std::find(c.rooms.begin(), c.rooms.end(), key) != c.rooms.end();
    if (!member && c.rooms.size() >= kMaxRoomsPerClient) {
        refuse(id, c, err::kTooManyRooms,
               "you are in " + std::to_string(kMaxRoomsPerClient) + " rooms already; part one first", now, out);
        return;
    }
    auto found = rooms_.find(key);
    if (!member && found != rooms_.end()) {
        const Room& r = found->second;
        const bool invited = std::find(r.invited.begin(), r.invited.end(), id) != r.invited.end();
        if (is_banned(r, id)) {
            refuse(id, c, err::kBanned, "you are banned from " + r.name, now, out);
            return;
        }
        if (r.modes.invite_only && !invited) {
            refuse(id, c, err::kInviteOnly, r.name + " is invite-only: an operator must invite you", now, out);
            return;
        }
        if (!r.modes.key.empty() && m.key != r.modes.key) {
            refuse(id, c, err::kBadKey, r.name + " has a key: /join " + r.name + " key", now, out);
            return;
        }
        if (r.modes.limit != 0 && r.members.size() >= r.modes.limit && !invited) {
            refuse(id, c, err::kRoomFull,
                   r.name + " is full: its operators let in " + std::to_string(r.modes.limit) + " at most", now, out);
            return;
        }
    }
    if (found == rooms_.end() && rooms_.size() >= config_.max_rooms) {
        refuse(id, c, err::kTooManyRooms,
               "the server keeps " + std::to_string(config_.max_rooms) + " rooms already; join one of them",
               now, out);
        return;
    }
    join(id, c, key, m.room, now, out);
}

void ChatCore::join(ClientId id, Client& c, const std::string& key, const std::string& name, Millis now,
                    Outputs& out) {
    auto it = rooms_.find(key);
    if (it == rooms_.end()) {
        it = rooms_.emplace(key, Room{}).first;
        it->second.name = name;
        it->second.created = now;
        out.notes.push_back({id, "created " + name});
    }
    Room& r = it->second;
    const bool again = std::find(c.rooms.begin(), c.rooms.end(), key) != c.rooms.end();
    bool changed = false;
    if (!again) {
        // The first one in an empty room is its operator; #lobby has none (everyone is its first).
        if (r.members.empty() && key != lobby_key_) r.op = id;
        r.members.push_back(id);
        r.invited.erase(std::remove(r.invited.begin(), r.invited.end(), id), r.invited.end());
        c.rooms.push_back(key);
        changed = update_room_presence(r, config_.presence_limit);
    }
    // The answer, in order: joined, topic, users, history, history_end. The members hear of the
    // newcomer unless the room is quiet (or just went quiet: then they get the list instead).
    if (!again && !r.quiet) out.deliveries.push_back({r.members, Joined{now, c.nick, r.name}});
    else out.deliveries.push_back({{id}, Joined{now, c.nick, r.name}});
    if (!r.topic.empty()) out.deliveries.push_back({{id}, Topic{r.topic_ts, r.name, r.topic_by, r.topic}});
    if (changed) send_room_list(r, r.members, r.quiet, out);
    else send_room_list(r, {id}, r.quiet, out);
    send_join_history(id, c, r, out);
}

void ChatCore::on(ClientId id, Client& c, const Part& m, Millis now, Outputs& out) {
    Room* r = member_room(id, c, m.room, now, out);
    if (r == nullptr) return;
    const std::string key = text::room_key(r->name);
    const std::string reason = clean_reason(m.reason);
    const bool tell = leave_room(id, key, out);
    std::vector<ClientId> to = tell ? r->members : std::vector<ClientId>{};
    to.push_back(id);
    out.deliveries.push_back({std::move(to), Left{now, c.nick, reason, r->name}});
    out.notes.push_back({id, "parted " + r->name});
    c.rooms.erase(std::find(c.rooms.begin(), c.rooms.end(), key));
    forget_if_unused(key);  // r may dangle from here
}

bool ChatCore::leave_room(ClientId id, const std::string& key, Outputs& out) {
    Room& r = rooms_.at(key);
    auto it = std::find(r.members.begin(), r.members.end(), id);
    if (it != r.members.end()) {
        *it = r.members.back();
        r.members.pop_back();
    }
    if (r.op == id) r.op = 0;
    r.more_ops.erase(std::remove(r.more_ops.begin(), r.more_ops.end(), id), r.more_ops.end());
    r.voiced.erase(std::remove(r.voiced.begin(), r.voiced.end(), id), r.voiced.end());
    if (r.members.empty()) {
        // An empty room locks out nobody who knows its key: it stops being invite-only (nobody
        // is left to invite) and forgets its bans (a ban of everyone would shut it for good).
        // Its key stays, with its history behind it, and its other settings.
        r.invited.clear();
        r.modes.invite_only = false;
        r.bans.clear();
    }
    const bool changed = update_room_presence(r, config_.presence_limit);
    if (changed) send_room_list(r, r.members, r.quiet, out);
    return !changed && !r.quiet;
}

void ChatCore::forget_if_unused(const std::string& key) {
    auto it = rooms_.find(key);
    if (it == rooms_.end() || key == lobby_key_) return;
    const Room& r = it->second;
    if (!r.members.empty() || !r.topic.empty() || r.has_history) return;
    // Settings were stored when they changed: a room of this name created later must not find
    // them at the next start.
    if (r.modes != RoomModes{} && config_.store != nullptr) config_.store->save_room(StoredRoom{r.name, "", "", 0, false, {}});
    rooms_.erase(it);
}

bool ChatCore::store_room(const Room& r) {
    return config_.store == nullptr ||
           config_.store->save_room(StoredRoom{r.name, r.topic, r.topic_by, r.topic_ts, false, r.modes});
}

// ---- topics and lists ----------------------------------------------------------------------------

void ChatCore::on(ClientId id, Client& c, const TopicRequest& m, Millis now, Outputs& out) {
    if (auto why = text::room_problem(m.room)) {
        refuse(id, c, err::kRoomInvalid, *why, now, out);
        return;
    }
    Room* r = find_room(m.room);
    if (r == nullptr || hidden_from(*r, id)) {
        refuse(id, c, err::kNoSuchRoom, "there is no room " + m.room, now, out);
        return;
    }
    if (!m.text) {
        out.deliveries.push_back({{id}, Topic{r->topic_ts, r->name, r->topic_by, r->topic}});
        return;
    }
    r = member_room(id, c, m.room, now, out);
    if (r == nullptr) return;
    if (r->modes.topic_lock && !is_op(*r, id)) {
        refuse(id, c, err::kNotOperator, "only the operators of " + r->name + " may set its topic", now, out);
        return;
    }
    if (auto why = topic_problem(*m.text)) {
        refuse(id, c, err::kBadText, *why, now, out);
        return;
    }
    // The topic it already has: nothing changes, nothing is stored, nobody hears of it (not even
    // the setter: IRC servers answer nothing either).
    if (*m.text == r->topic) return;
    ClientId durable = 0;
    if (config_.store != nullptr) {
        if (!config_.store->save_room(StoredRoom{r->name, *m.text, c.nick, now, false, r->modes})) {
            out.deliveries.push_back({{id}, Error{err::kNotStored,
                                                  "the server could not store the topic, so it is unchanged "
                                                  "(is its disk full?); try again later"}});
            return;
        }
        durable = id;
    }
    r->topic = *m.text;
    r->topic_by = c.nick;
    r->topic_ts = now;
    // Not presence: every member hears of it, however big the room.
    out.deliveries.push_back({r->members, Topic{now, r->name, c.nick, r->topic}, durable});
    out.notes.push_back({id, "set the topic of " + r->name});
}

void ChatCore::on(ClientId id, Client&, const ListRooms&, Millis, Outputs& out) {
    std::vector<std::pair<std::string, const Room*>> sorted;
    sorted.reserve(rooms_.size());
    for (const auto& [key, r] : rooms_) {
        // A secret room (IRC's +s) is listed to its members only.
        if (hidden_from(r, id)) continue;
        sorted.emplace_back(text::fold_case(r.name), &r);
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    RoomList chunk;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const Room& r = *sorted[i].second;
        chunk.rooms.push_back({r.name, r.members.size(), r.topic});
        if (chunk.rooms.size() == kRoomsPerChunk || i + 1 == sorted.size()) {
            chunk.more = i + 1 != sorted.size();
            out.deliveries.push_back({{id}, std::move(chunk)});
            chunk = RoomList{};
        }
    }
}

void ChatCore::send_room_list(const Room& r, const std::vector<ClientId>& to, bool first_only,
                              Outputs& out) const {
    if (to.empty()) return;
    // The members in name order, as many as will be sent. A big room (the lobby holds everyone)
    // walks the sorted nickname index and skips those elsewhere, so a quiet crowd's newcomer costs
    // one chunk's worth: sorting every member at every login cost O(N log N) a login (10,000
    // logins took 12 s). A small room sorts its few members.
    const std::size_t want = first_only ? std::min(kUsersPerChunk, r.members.size()) : r.members.size();
    std::vector<ClientId> order;
    order.reserve(want);
    if (r.members.size() * 4 >= by_fold_.size()) {
        const std::string key = text::room_key(r.name);
        for (auto it = by_fold_.begin(); it != by_fold_.end() && order.size() < want; ++it) {
            const std::vector<std::string>& in = clients_.at(it->second).rooms;
            if (std::find(in.begin(), in.end(), key) != in.end()) order.push_back(it->second);
        }
    } else {
        std::vector<std::pair<const std::string*, ClientId>> sorted;
        sorted.reserve(r.members.size());
        for (ClientId m : r.members) sorted.emplace_back(&clients_.at(m).fold, m);
        std::partial_sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(want), sorted.end(),
                          [](const auto& a, const auto& b) { return *a.first < *b.first; });
        for (std::size_t i = 0; i < want; ++i) order.push_back(sorted[i].second);
    }
    UserList chunk;
    chunk.room = r.name;
    chunk.total = r.members.size();
    if (order.empty()) {
        out.deliveries.push_back({to, std::move(chunk)});
        return;
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        const ClientId m = order[i];
        const Client& member = clients_.at(m);
        chunk.users.push_back({member.nick, member.ignoring, is_op(r, m), has_voice(r, m)});
        const bool last = i + 1 == r.members.size();
        if (chunk.users.size() == kUsersPerChunk || last) {
            chunk.more = !last && !first_only;
            out.deliveries.push_back({to, std::move(chunk)});
            if (first_only) return;
            chunk = UserList{};
            chunk.room = r.name;
            chunk.total = r.members.size();
        }
    }
}

// ---- presence ------------------------------------------------------------------------------------

bool ChatCore::update_room_presence(Room& r, std::size_t limit) {
    const std::size_t n = r.members.size();
    const std::size_t resume_at = limit - limit / 10;
    if (!r.quiet && n > limit) {
        r.quiet = true;
        return true;
    }
    if (r.quiet && n <= resume_at) {
        r.quiet = false;
        return true;
    }
    return false;
}

std::vector<ClientId> ChatCore::neighbours(ClientId id, const Client& c) {
    ++mark_;
    clients_.at(id).mark = mark_;
    std::vector<ClientId> to;
    for (const std::string& key : c.rooms) {
        const Room& r = rooms_.at(key);
        if (r.quiet) continue;
        for (ClientId m : r.members) {
            Client& other = clients_.at(m);
            if (other.mark == mark_) continue;
            other.mark = mark_;
            to.push_back(m);
        }
    }
    return to;
}

}  // namespace natter::server
