// What a message from the server, or a change of the connection, does to the screen state.
// Keys and typed lines are in apply_input.cpp.
#include "tui/apply.h"

#include <algorithm>

#include "shared/text.h"
#include "tui/display_width.h"
#include "tui/history.h"
#include "tui/log_view.h"
#include "tui/overload.h"
#include "tui/room_modes.h"

namespace natter::tui {

namespace {

// Lists printed by /ls and /rooms stop here: the log is for reading, not for a dump.
constexpr std::size_t kMaxRoomsShown = 500;
constexpr std::size_t kMaxRoomsKept = 10000;
// Rejoins past this many after a reconnect are said in the log: they take seconds.
constexpr std::size_t kQuietRejoins = 8;

Entry chat_entry(EntryKind kind, std::uint64_t ts, std::string_view from, std::string_view text) {
    Entry e;
    e.kind = kind;
    e.ts = ts;
    e.from = displayable(from);
    e.text = displayable_lines(text);
    return e;
}

void ask_for_nick(ScreenState& s, std::string_view why, std::uint64_t now) {
    if (s.link != Link::AskingNick) {
        s.stashed = s.input.text();
        s.input.clear();
    }
    s.link = Link::AskingNick;
    note(s, EntryKind::Error, std::string("nickname \"") + std::string(s.nick) + "\" refused: " +
                                  std::string(why),
         now);
    note(s, EntryKind::Info, "type another nickname and press Enter", now);
    s.dirty.status = s.dirty.input = true;
}

bool is_me(const ScreenState& s, std::string_view nick) { return nick == s.nick; }

// "3 online: alice (ignoring group messages), bob, me (you)", or "... in #rust: ann (op), bob
// (voice), ...".
void print_users(ScreenState& s, const std::string& where, const std::vector<UserInfo>& users,
                 std::uint64_t now) {
    std::string line = std::to_string(users.size()) + " " + where + ":";
    for (std::size_t i = 0; i < users.size(); ++i) {
        line += (i ? ", " : " ") + users[i].nick;
        if (users[i].nick == s.nick) line += " (you)";
        if (users[i].op) line += " (op)";
        else if (users[i].voice) line += " (voice)";
        if (users[i].ignoring) line += " (ignoring group messages)";
    }
    note(s, EntryKind::Info, line, now);
}

void print_rooms(ScreenState& s, const std::vector<RoomInfo>& rooms, std::uint64_t now) {
    note(s, EntryKind::Info,
         std::to_string(rooms.size()) + (rooms.size() == 1 ? " room" : " rooms") +
             (rooms.empty() ? "" : ":"),
         now);
    for (std::size_t i = 0; i < rooms.size() && i < kMaxRoomsShown; ++i) {
        const RoomInfo& r = rooms[i];
        std::string line = r.room + "  " + std::to_string(r.members) + " online";
        if (!r.topic.empty()) line += "  " + r.topic;  // note() makes it all displayable
        note(s, EntryKind::Info, line, now);
    }
    if (rooms.size() > kMaxRoomsShown)
        note(s, EntryKind::Info, "... and " + std::to_string(rooms.size() - kMaxRoomsShown) + " more",
             now);
}

// The entry of the bar a room's message belongs to: opened if needed (a server that sends
// messages for a room first), or #lobby when no entry can open.
std::size_t room_tab(ScreenState& s, std::string_view room) {
    const std::size_t t = open_tab(s, TabKind::Room, room);
    return t != kNoTab ? t : fallback_tab(s);
}

void members_changed(ScreenState& s, std::size_t t) {
    if (t == s.current) s.dirty.users = s.dirty.status = true;
}

// A room message, live or from history.
void room_message(ScreenState& s, Effects& fx, EntryKind kind, std::uint64_t id, std::uint64_t ts,
                  const std::string& from, const std::string& text, const std::string& room,
                  bool history, bool notice, std::uint64_t now) {
    Entry e = chat_entry(kind, ts, from, text);
    e.id = id;
    e.notice = notice;
    e.own = is_me(s, from);
    e.mention = !e.own && mentions(text, s.nick);
    const std::size_t t = room_tab(s, room);
    if (history) {
        // Collected until history_end says where the page goes.
        e.dated = !same_local_day(ts, now);
        Tab& tab = s.tabs[t];
        if (tab.page.size() < Tab::kMaxPendingEntries) tab.page.push_back(std::move(e));
        return;
    }
    fx.bell = e.mention;
    if (!e.own) spoke(s, from);
    post(s, t, std::move(e));
}

void private_message(ScreenState& s, Effects& fx, const PrivateMessage& p) {
    const bool out = is_me(s, p.from);
    Entry e = chat_entry(out ? EntryKind::PrivateOut : EntryKind::PrivateIn, p.ts, p.from, p.text);
    e.to = displayable(p.to);
    e.notice = p.notice;
    e.own = out;
    if (!out) {
        fx.bell = true;
        spoke(s, p.from);
    }
    // Its own entry in the bar (opened by the first message either way); while a room is shown, a
    // copy there too, so a private message is never missed and "@nick text" shows where it was typed.
    const std::size_t t = open_tab(s, TabKind::Private, out ? p.to : p.from);
    if (t == kNoTab) {  // a name the rules refuse (a hostile server): shown where we are
        post(s, s.current, std::move(e));
        return;
    }
    if (t != s.current && s.tab().kind == TabKind::Room) post(s, s.current, e);
    post(s, t, std::move(e));
}

// Appends a users chunk, bounded; true when the list is complete.
bool take_chunk(std::vector<UserInfo>& into, const UserList& u) {
    for (const auto& user : u.users)
        if (into.size() < kMaxMembers) into.push_back(user);
    return !u.more;
}

void user_list(ScreenState& s, const UserList& u, std::uint64_t now) {
    if (u.room.empty()) {
        // Everyone online: the answer to "/ls -a", or from a server without rooms #lobby's list.
        if (!take_chunk(s.incoming, u)) return;
        std::vector<UserInfo> list = std::move(s.incoming);
        s.incoming.clear();
        if (s.login_list_pending) {
            s.login_list_pending = false;
            const std::size_t t = open_tab(s, TabKind::Room, kLobby);
            if (t == kNoTab) return;
            Tab& lobby = s.tabs[t];
            lobby.joined = true;
            // Past the server's presence limit only the first chunk comes, with the total.
            lobby.total = u.total > list.size() ? u.total : 0;
            set_members(lobby.members, std::move(list));
            members_changed(s, t);
            return;
        }
        auto pending = s.who_pending.find("");
        if (pending != s.who_pending.end() && pending->second > 0) {
            --pending->second;
            print_users(s, "online", list, now);
        }
        return;
    }
    const std::size_t t = find_tab(s.tabs, TabKind::Room, u.room);
    std::vector<UserInfo>& acc = t != kNoTab ? s.tabs[t].incoming : s.incoming;
    if (!take_chunk(acc, u)) return;
    std::vector<UserInfo> list = std::move(acc);
    acc.clear();
    s.login_list_pending = false;
    auto pending = s.who_pending.find(tab_key(TabKind::Room, u.room));
    if (pending != s.who_pending.end() && pending->second > 0) {
        --pending->second;
        print_users(s, "in " + displayable(u.room), list, now);
    }
    if (t == kNoTab) return;
    Tab& tab = s.tabs[t];
    tab.total = u.total > list.size() ? u.total : 0;
    set_members(tab.members, std::move(list));
    members_changed(s, t);
}

void joined(ScreenState& s, const Joined& j) {
    const bool me = is_me(s, j.nick);
    const std::size_t t = me ? open_tab(s, TabKind::Room, j.room) : find_tab(s.tabs, TabKind::Room, j.room);
    if (t == kNoTab) return;  // someone joined a room we are not in, or one we cannot show
    Tab& tab = s.tabs[t];
    if (me) {
        if (!tab.joined) tab.modes_wanted = true;  // asked once shown: ask_modes_of_room_shown
        tab.joined = true;
        s.login_list_pending = false;  // a server with rooms: its lists name them
        const std::string key = tab_key(TabKind::Room, j.room);
        auto want = std::find_if(s.join_pending.begin(), s.join_pending.end(),
                                 [&](const ScreenState::PendingJoin& p) { return p.tab == key; });
        if (want != s.join_pending.end()) {
            tab.room_key = want->room_key;
            s.join_pending.erase(want);
            switch_tab(s, t);
        }
        if (t == s.current) s.dirty.status = true;
    }
    if (add_member(tab.members, j.nick)) members_changed(s, t);
    post(s, t, chat_entry(EntryKind::Joined, j.ts, j.nick, ""));
}

void left(ScreenState& s, const Left& l, std::uint64_t now) {
    Entry e = chat_entry(EntryKind::Left, l.ts, l.nick, l.reason);
    e.to = displayable(l.by);  // an operator removed them
    if (!l.room.empty()) {
        const std::size_t t = find_tab(s.tabs, TabKind::Room, l.room);
        if (t == kNoTab) return;
        if (is_me(s, l.nick)) {
            const std::string title = tab_title(s.tabs[t]);
            close_tab(s, t);
            note(s, l.by.empty() ? EntryKind::Info : EntryKind::Error,
                 (l.by.empty() ? "you left " + title : "you were removed from " + title + " by " + l.by) +
                     (l.reason.empty() ? "" : " (" + l.reason + ")"),
                 now);
            return;
        }
        if (remove_member(s.tabs[t].members, l.nick)) members_changed(s, t);
        post(s, t, std::move(e));
        return;
    }
    // Gone from the server: from every room they were in, and said in their conversation too.
    bool shown = false;
    for (std::size_t i = 0; i < s.tabs.size(); ++i) {
        Tab& tab = s.tabs[i];
        const bool here = tab.kind == TabKind::Room ? remove_member(tab.members, l.nick)
                                                    : same_name(tab, TabKind::Private, l.nick);
        if (!here) continue;
        if (tab.kind == TabKind::Room) members_changed(s, i);
        post(s, i, e);
        shown = true;
    }
    if (!shown) post(s, fallback_tab(s), std::move(e));
}

void renamed(ScreenState& s, const Renamed& r) {
    const bool me = is_me(s, r.from);
    Entry e = chat_entry(EntryKind::Renamed, r.ts, r.from, "");
    e.to = displayable(r.to);
    e.own = me;
    if (me) {
        s.nick = r.to;
        s.dirty.status = s.dirty.users = true;
    }
    bool shown = false;
    for (std::size_t i = 0; i < s.tabs.size(); ++i) {
        Tab& tab = s.tabs[i];
        if (tab.kind == TabKind::Room) {
            if (!rename_member(tab.members, r.from, r.to)) continue;
            members_changed(s, i);
        } else {
            if (!same_name(tab, TabKind::Private, r.from)) continue;
            // The conversation follows the person, unless one with the new name is open.
            if (!text::nick_problem(r.to) && find_tab(s.tabs, TabKind::Private, r.to) == kNoTab) {
                rename_tab(tab, r.to);
                s.dirty.bar = s.dirty.status = true;
            }
        }
        post(s, i, e);
        shown = true;
    }
    if (!shown) post(s, me ? s.current : fallback_tab(s), std::move(e));
    for (auto& sp : s.speakers)
        if (sp == r.from) sp = r.to;
}

void ignore_changed(ScreenState& s, const IgnoreChanged& c) {
    bool shown = false;
    const bool me = is_me(s, c.nick);  // IgnoreState already said so
    const Entry e = chat_entry(EntryKind::IgnoreChanged, c.ts, c.nick, c.on ? "on" : "off");
    for (std::size_t i = 0; i < s.tabs.size(); ++i) {
        Tab& tab = s.tabs[i];
        if (tab.kind != TabKind::Room || !has_member(tab.members, c.nick)) continue;
        if (set_member_ignoring(tab.members, c.nick, c.on) && i == s.current) s.dirty.users = true;
        if (!me) post(s, i, e);
        shown = true;
    }
    if (!shown && !me) post(s, fallback_tab(s), e);
}

void topic(ScreenState& s, const Topic& tp, std::uint64_t now) {
    Entry e;
    e.kind = EntryKind::Topic;
    e.ts = tp.ts ? tp.ts : now;  // when it was set: on joining, that may be long ago
    e.dated = !same_local_day(e.ts, now);
    e.from = displayable(tp.by);
    e.to = displayable(tp.room);
    e.text = displayable(tp.text);
    const std::size_t t = find_tab(s.tabs, TabKind::Room, tp.room);
    if (t == kNoTab) {
        add_entry(s, std::move(e));
        return;
    }
    s.tabs[t].topic = e.text;
    if (t == s.current) s.dirty.status = true;
    post(s, t, std::move(e));
}

// A room's mode changed: said in its log, in words, and in the status bar's letters. A new key is
// kept, to join again with it.
void mode_changed(ScreenState& s, const ModeChanged& m, std::uint64_t now) {
    const std::size_t t = find_tab(s.tabs, TabKind::Room, m.room);
    if (t == kNoTab) return;  // a room we are not in, or one we cannot show
    if (m.change == "+k") s.tabs[t].room_key = m.arg;
    if (m.change == "-k") s.tabs[t].room_key.clear();
    change_setting(s.tabs[t].modes, m.change);
    if (t == s.current) s.dirty.status = true;
    Entry e;
    e.kind = EntryKind::Mode;
    e.ts = m.ts ? m.ts : now;
    e.from = displayable(m.by);
    e.text = displayable(mode_change_words(m.change, m.arg, s.nick));
    e.own = is_me(s, m.by);
    post(s, t, std::move(e));
}

// A room's modes: kept for the status bar; and when /mode asked, printed in the room's log, or
// the one shown for a room not in the bar.
void room_modes(ScreenState& s, const RoomModesInfo& r, std::uint64_t now) {
    const std::size_t t = find_tab(s.tabs, TabKind::Room, r.room);
    if (t != kNoTab && s.tabs[t].joined) {
        Tab& tab = s.tabs[t];
        if (!r.key.empty()) tab.room_key = r.key;
        else if (r.modes.find('k') == std::string::npos) tab.room_key.clear();
        tab.modes = setting_letters(r.modes);
        tab.modes_wanted = false;  // known: no need to ask
        if (t == s.current) s.dirty.status = true;
    }
    // Answers come in the order asked. One nobody typed a /mode for answers the question asked
    // on joining. (A typed question refused with an error leaves its count, which prints the
    // next answer for that room once: better than swallowing one a person asked for.)
    const auto typed = s.modes_pending.find(tab_key(TabKind::Room, r.room));
    if (typed == s.modes_pending.end()) return;
    if (--typed->second <= 0) s.modes_pending.erase(typed);
    Entry e;
    e.kind = EntryKind::Info;
    e.ts = now;
    e.text = displayable(room_modes_words(r));
    post(s, t != kNoTab ? t : s.current, std::move(e));
}

void history_end(ScreenState& s, const HistoryEnd& h) {
    const std::size_t t = find_tab(s.tabs, TabKind::Room, h.room);
    if (t == kNoTab) return;
    merge_history(s.tabs[t], h.more);
    if (t == s.current) s.dirty.log = s.dirty.status = true;
}

void found(ScreenState& s, const Found& f) {
    const std::size_t t = find_tab(s.tabs, TabKind::Room, f.room);
    if (t == kNoTab) return;
    Entry e = chat_entry(f.action ? EntryKind::Action : EntryKind::Group, f.ts, f.from, f.text);
    e.own = is_me(s, f.from);
    e.notice = f.notice;
    e.dated = true;  // results span days: always with their date
    Tab& tab = s.tabs[t];
    if (tab.found.size() < Tab::kMaxPendingEntries) tab.found.push_back(std::move(e));
}

void search_end(ScreenState& s, const SearchEnd& se) {
    const std::size_t t = find_tab(s.tabs, TabKind::Room, se.room);
    if (t == kNoTab) return;
    show_search_results(s.tabs[t], se.more);
    if (t == s.current) s.dirty.log = s.dirty.status = true;
}

void room_list(ScreenState& s, const RoomList& r, std::uint64_t now) {
    for (const auto& room : r.rooms)
        if (s.rooms_incoming.size() < kMaxRoomsKept) s.rooms_incoming.push_back(room);
    if (r.more) return;
    std::vector<RoomInfo> rooms = std::move(s.rooms_incoming);
    s.rooms_incoming.clear();
    // Completion offers the rooms of the last answer.
    s.known_rooms.clear();
    for (const auto& room : rooms)
        if (!text::room_problem(room.room) && s.known_rooms.size() < ScreenState::kMaxKnownRooms)
            s.known_rooms.push_back(room.room);
    if (s.rooms_pending > 0) {
        --s.rooms_pending;
        print_rooms(s, rooms, now);
    }
}

// After a reconnect, every room in the bar is joined again (natterd joins #lobby by itself):
// through the outbox's rejoin queue, paced, the room shown first so it is the first back. Many
// rooms take a while (thirty in about seventeen seconds): the log says so once.
void queue_rejoins(ScreenState& s, std::uint64_t now) {
    auto wanted = [](const Tab& t) { return t.kind == TabKind::Room && !same_name(t, TabKind::Room, kLobby); };
    s.outbox.rejoins.clear();
    if (wanted(s.tab())) s.outbox.rejoins.push_back(Join{s.tab().name, s.tab().room_key});
    for (std::size_t i = 0; i < s.tabs.size(); ++i)
        if (i != s.current && wanted(s.tabs[i])) s.outbox.rejoins.push_back(Join{s.tabs[i].name, s.tabs[i].room_key});
    if (s.outbox.rejoins.size() > kQuietRejoins)
        note(s, EntryKind::Info,
             "rejoining " + std::to_string(s.outbox.rejoins.size()) +
                 " rooms, about one a second to stay under the server's flood limit",
             now);
}

}  // namespace

Effects apply_message(ScreenState& s, const Message& m, std::uint64_t now) {
    Effects fx;
    std::visit(
        Overload{
            [&](const Welcome& w) {
                s.nick = w.nick;
                s.server = displayable(w.server);
                s.link = Link::Online;
                s.link_note.clear();
                s.login_list_pending = true;
                s.who_pending.clear();
                s.modes_pending.clear();
                s.incoming.clear();
                note(s, EntryKind::Info, "connected to " + s.address + " (" + w.server +
                                             ") as " + w.nick, now);
                if (!w.motd.empty()) note(s, EntryKind::Info, w.motd, now);
                if (!s.stashed.empty() && s.input.empty()) s.input.set(s.stashed);
                s.stashed.clear();
                // After a reconnect, the server has forgotten our ignore mode and our rooms
                // (it joins us to #lobby by itself).
                if (s.ignoring) fx.send.push_back(SetIgnore{true});
                queue_rejoins(s, now);
                s.dirty.all();
            },
            [&](const Error& e) {
                if (s.link == Link::LoggingIn || s.link == Link::AskingNick) {
                    ask_for_nick(s, e.text.empty() ? e.code : e.text, now);
                    return;
                }
                // An error does not say which request it answers; one may have been a history
                // request (history_unavailable, not_in_room), which must not block the next.
                for (auto& t : s.tabs) t.history_asked = false;
                s.dirty.status = true;
                note(s, EntryKind::Error, e.text.empty() ? e.code : e.text, now);
            },
            [&](const GroupMessage& g) {
                room_message(s, fx, EntryKind::Group, g.id, g.ts, g.from, g.text, g.room, g.history, g.notice, now);
            },
            [&](const Action& a) {
                room_message(s, fx, EntryKind::Action, a.id, a.ts, a.from, a.text, a.room, a.history, false, now);
            },
            [&](const PrivateMessage& p) { private_message(s, fx, p); },
            [&](const UserList& u) { user_list(s, u, now); },
            [&](const IgnoreState& i) {
                s.ignoring = i.on;
                for (std::size_t t = 0; t < s.tabs.size(); ++t)
                    if (set_member_ignoring(s.tabs[t].members, s.nick, i.on) && t == s.current)
                        s.dirty.users = true;
                note(s, EntryKind::Info,
                     i.on ? "ignore mode on: group messages are not shown; private messages "
                            "still arrive (/i again to stop)"
                          : "ignore mode off: group messages are shown again",
                     now);
                s.dirty.status = true;
            },
            [&](const HelpAnswer& h) {
                for (const auto& c : h.commands)
                    note(s, EntryKind::Info, c.usage + "  " + c.summary, now);
            },
            [&](const Joined& j) { joined(s, j); },
            [&](const Left& l) { left(s, l, now); },
            [&](const Renamed& r) { renamed(s, r); },
            [&](const IgnoreChanged& i) { ignore_changed(s, i); },
            [&](const Bye& b) {
                note(s, EntryKind::Info,
                     "the server says goodbye" + (b.reason.empty() ? "" : ": " + b.reason), now);
            },
            [&](const RoomList& r) { room_list(s, r, now); },
            [&](const Topic& t) { topic(s, t, now); },
            [&](const HistoryEnd& h) { history_end(s, h); },
            [&](const Found& f) { found(s, f); },
            [&](const SearchEnd& e) { search_end(s, e); },
            [&](const Invited& i) {
                if (is_me(s, i.by)) note(s, EntryKind::Info, "you invited " + i.nick + " to " + i.room, now);
                else note(s, EntryKind::Info, i.by + " invites you to " + i.room + " \u2014 /join " + i.room, now);
            },
            [&](const ModeChanged& m) { mode_changed(s, m, now); },
            [&](const RoomModesInfo& r) { room_modes(s, r, now); },
            [&](const Ping& p) { fx.send.push_back(Pong{p.token}); },
            [&](const Pong&) {},
            // Client-to-server messages never come from a server (the decoder refuses them).
            [&](const auto&) {},
        },
        m);
    ask_modes_of_room_shown(s, fx);
    return fx;
}

void ask_modes_of_room_shown(ScreenState& s, Effects& fx) {
    Tab& t = s.tab();
    if (s.link != Link::Online || s.quitting || t.kind != TabKind::Room || !t.joined || !t.modes_wanted)
        return;
    t.modes_wanted = false;
    fx.send.push_back(ModeRequest{t.name});
}

void pace(ScreenState& s, Effects& fx, std::uint64_t mono_ms, std::uint64_t now_ms) {
    const std::size_t dropped = release(s.outbox, fx.send, mono_ms);
    if (dropped)
        note(s, EntryKind::Error,
             std::to_string(dropped) + (dropped == 1 ? " line" : " lines") +
                 " not sent: too many are waiting to be sent already",
             now_ms);
}

Effects apply_connected(ScreenState& s, std::uint64_t) {
    Effects fx;
    s.outbox = Outbox{};  // a new connection: the server's bucket is full again
    s.link = Link::LoggingIn;
    s.link_note.clear();
    s.dirty.status = true;
    fx.send.push_back(Hello{s.nick, kProtocolVersion});
    return fx;
}

void apply_disconnected(ScreenState& s, std::string_view why, std::uint64_t now) {
    const bool was_up = s.link == Link::Online || s.link == Link::LoggingIn ||
                        s.link == Link::AskingNick;
    if (s.link == Link::AskingNick) {
        // The prompt goes away with the connection; the refused nickname stays the one to try.
        if (s.input.empty()) s.input.set(s.stashed);
        s.stashed.clear();
    }
    s.link = Link::Offline;
    s.link_note = displayable(why);
    s.incoming.clear();
    s.who_pending.clear();
    s.modes_pending.clear();
    s.join_pending.clear();
    s.outbox = Outbox{};  // what waits is for a server that is gone; rejoins are queued again
    s.rooms_pending = 0;
    s.rooms_incoming.clear();
    s.login_list_pending = false;
    // Who is where is unknown until we are back; empty panes say so honestly. The entries and
    // their logs stay: the rooms are joined again after the next welcome.
    for (auto& t : s.tabs) {
        t.members.clear();
        t.incoming.clear();
        t.total = 0;
        t.joined = false;
        t.modes.clear();  // asked again after joining again
        t.modes_wanted = false;
        t.page.clear();
        t.found.clear();
        t.history_asked = false;
    }
    if (was_up) note(s, EntryKind::Error, "disconnected: " + std::string(why) + "; reconnecting", now);
    s.dirty.all();
}

void apply_connecting(ScreenState& s) {
    s.link = Link::Connecting;
    s.dirty.status = true;
}

}  // namespace natter::tui
