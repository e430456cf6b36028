// What a key, or a typed line sent with Enter, does to the screen state and what goes to the
// server. Server messages are in apply.cpp.
#include <algorithm>

#include "shared/text.h"
#include "tui/apply.h"
#include "tui/commands.h"
#include "tui/display_width.h"
#include "tui/history.h"
#include "tui/log_view.h"
#include "tui/overload.h"

namespace natter::tui {

namespace {

// Enter while asking for a nickname: try the one typed.
void submit_nick(ScreenState& s, Effects& fx, std::uint64_t now) {
    std::string typed = s.input.utf8();
    while (!typed.empty() && (typed.back() == ' ' || typed.back() == '\n')) typed.pop_back();
    while (!typed.empty() && (typed.front() == ' ' || typed.front() == '\n')) typed.erase(0, 1);
    if (typed.empty()) return;
    if (auto why = text::nick_problem(typed)) {
        note(s, EntryKind::Error, "cannot use that nickname: " + *why, now);
        return;
    }
    s.input.clear();
    s.nick = typed;
    s.link = Link::LoggingIn;
    s.dirty.status = s.dirty.input = true;
    fx.send.push_back(Hello{typed, kProtocolVersion});
}

void submit_line(ScreenState& s, Effects& fx, std::uint64_t now) {
    const Intent a = parse_input(s.input.utf8());
    const bool online = s.link == Link::Online;
    Tab& here = s.tab();
    const bool in_room = here.kind == TabKind::Room;
    bool done = true;
    // A refusal keeps the line, so it can be fixed or sent later.
    auto refuse = [&](const std::string& why) {
        note(s, EntryKind::Error, why, now);
        done = false;
    };
    auto needs_server = [&]() {
        if (online) return true;
        refuse("not connected: nothing was sent; your line is kept");
        return false;
    };
    auto needs_room = [&](const char* what) {
        if (in_room) return true;
        refuse(std::string(what) + " in rooms, not in a private conversation (/w #room)");
        return false;
    };
    std::visit(Overload{
                   [&](const intent::SendGroup& g) {
                       if (!needs_server()) return;
                       if (in_room) fx.send.push_back(Say{g.text, here.name});
                       else fx.send.push_back(Tell{here.name, g.text});  // to that person
                   },
                   [&](const intent::SendPrivate& p) {
                       if (needs_server()) fx.send.push_back(Tell{p.to, p.text});
                   },
                   [&](const intent::SendAction& m) {
                       if (needs_room("/me works") && needs_server())
                           fx.send.push_back(Me{m.text, here.name});
                   },
                   [&](const intent::ChangeNick& n) {
                       if (needs_server()) fx.send.push_back(ChangeNick{n.nick});
                   },
                   [&](const intent::ListUsers& l) {
                       if (!needs_server()) return;
                       if (l.everyone || !in_room) {
                           fx.send.push_back(Who{});
                           ++s.who_pending[""];
                       } else {
                           fx.send.push_back(Who{here.name});
                           ++s.who_pending[tab_key(TabKind::Room, here.name)];
                       }
                   },
                   [&](const intent::SetIgnore& i) {
                       if (needs_server()) fx.send.push_back(SetIgnore{i.on.value_or(!s.ignoring)});
                   },
                   [&](const intent::JoinRoom& j) {
                       const std::size_t t = find_tab(s.tabs, TabKind::Room, j.room);
                       if (t != kNoTab && s.tabs[t].joined) {
                           switch_tab(s, t);  // there already: just show it
                           return;
                       }
                       if (!needs_server()) return;
                       fx.send.push_back(Join{j.room, j.key});
                       // A refused join leaves its key here (an error does not say what it
                       // refused): the oldest goes when there are too many.
                       if (s.join_pending.size() >= ScreenState::kMaxPendingJoins)
                           s.join_pending.erase(s.join_pending.begin());
                       s.join_pending.push_back({tab_key(TabKind::Room, j.room), j.key});
                   },
                   [&](const intent::PartRoom& p) {
                       if (p.room.empty() && !in_room) {
                           // Closing a private conversation is local: the server keeps none.
                           const std::string title = tab_title(here);
                           close_tab(s, s.current);
                           note(s, EntryKind::Info, "closed the conversation " + title, now);
                           return;
                       }
                       if (needs_server()) fx.send.push_back(Part{p.room.empty() ? here.name : p.room, p.reason});
                   },
                   [&](const intent::ListRooms&) {
                       if (!needs_server()) return;
                       fx.send.push_back(ListRooms{});
                       ++s.rooms_pending;
                   },
                   [&](const intent::Topic& t) {
                       if (!needs_room("topics are") || !needs_server()) return;
                       // The server answers a topic it already has with nothing: say so here.
                       if (t.text && *t.text == here.topic) {
                           note(s, EntryKind::Info,
                                here.name + (here.topic.empty() ? " has no topic" : " has that topic already"), now);
                           return;
                       }
                       fx.send.push_back(TopicRequest{here.name, t.text});
                   },
                   [&](const intent::SwitchTo& w) {
                       const std::size_t t = resolve_tab(s.tabs, w.name);
                       if (t == kNoTab) {
                           refuse("no room or conversation \"" + text::sanitize_for_terminal(w.name) +
                                  "\" in the bar (or more than one starts so); /join #room joins one");
                           return;
                       }
                       switch_tab(s, t);
                   },
                   [&](const intent::InviteTo& i) {
                       if (i.room.empty() && !needs_room("invitations are")) return;
                       if (!needs_server()) return;
                       fx.send.push_back(Invite{i.room.empty() ? here.name : i.room, i.nick});
                   },
                   [&](const intent::KickOut& k) {
                       if (k.room.empty() && !needs_room("/kick works")) return;
                       if (!needs_server()) return;
                       fx.send.push_back(Kick{k.room.empty() ? here.name : k.room, k.nick, k.reason});
                   },
                   [&](const intent::RoomModes& m) {
                       if (m.room.empty() && !needs_room("modes are")) return;
                       if (!needs_server()) return;
                       const std::string room = m.room.empty() ? here.name : m.room;
                       if (m.changes.empty()) {
                           fx.send.push_back(ModeRequest{room});
                           ++s.modes_pending[tab_key(TabKind::Room, room)];  // its answer is printed
                       }
                       for (const auto& c : m.changes) fx.send.push_back(ModeRequest{room, c.change, c.arg});
                   },
                   [&](const intent::SearchRoom& q) {
                       if (!needs_room("/search works") || !needs_server()) return;
                       here.search_words = displayable(q.words);
                       fx.send.push_back(Search{here.name, q.words, 0});
                   },
                   [&](const intent::Quit& q) {
                       if (online) fx.send.push_back(Quit{q.reason});
                       fx.quit = true;
                       s.quitting = true;
                   },
                   [&](const intent::Clear&) {
                       here.log.clear();
                       here.separated = here.full = false;
                       s.dirty.log = s.dirty.status = true;
                   },
                   [&](const intent::Help& h) {
                       for (const auto& line : help_lines(h.topic))
                           note(s, EntryKind::Info, line, now);
                   },
                   [&](const intent::Error& e) { refuse(e.text); },
                   [&](const intent::Nothing&) { s.input.clear(); },
               },
               a);
    if (done) s.input.submit();
    // Sending or asking for something means you want to see the answer.
    if (!fx.send.empty() && !s.log().at_bottom()) {
        s.log().scroll_to_bottom();
        s.dirty.log = s.dirty.status = true;
    }
}

// Rows of the log window the scrollback may fill: one fewer while scrolled up, for the marker.
int content_height(const ScreenState& s, bool scrolled) {
    return std::max(1, scrolled ? s.log_height - 1 : s.log_height);
}

// Scrolled to the oldest line of a room: ask the server for the page before it. The answer goes
// in above (merge_history) and the view stays where it is.
void load_older(ScreenState& s, Effects& fx) {
    Tab& t = s.tab();
    if (s.link != Link::Online || !wants_older(t)) return;
    const int w = s.log_width;
    const auto rows = [w](const Entry& e) { return entry_row_count(e, w); };
    if (!t.log.at_top(content_height(s, !t.log.at_bottom()), rows)) return;
    t.history_asked = true;
    fx.send.push_back(HistoryRequest{t.name, oldest_id(t.log), 0});
    s.dirty.status = true;  // "loading history"
}

void scroll_up(ScreenState& s, Effects& fx, int n) {
    const int w = s.log_width;
    s.log().scroll_up(n, content_height(s, true), [w](const Entry& e) { return entry_row_count(e, w); });
    s.dirty.log = s.dirty.status = true;
    load_older(s, fx);
}

}  // namespace

Effects apply_key(ScreenState& s, const Key& k, std::uint64_t now) {
    Effects fx;
    if (k.code != KeyCode::Tab) s.completer.reset();
    const int w = s.log_width;
    auto rows = [w](const Entry& e) { return entry_row_count(e, w); };
    auto scrolled = [&]() { s.dirty.log = s.dirty.status = true; };
    const std::size_t n = s.tabs.size();
    s.dirty.input = true;  // nearly every key changes the line; drawing one line is cheap
    switch (k.code) {
        case KeyCode::Char: s.input.insert(k.ch); break;
        case KeyCode::Paste: s.input.insert_text(k.text); break;
        case KeyCode::Newline: s.input.insert_text("\n"); break;
        case KeyCode::Enter:
            if (s.link == Link::AskingNick) submit_nick(s, fx, now);
            else submit_line(s, fx, now);
            break;
        case KeyCode::Tab: {
            CompletionSources from{completion_nicks(s), completion_rooms(s), {}};
            for (const auto& t : s.tabs) from.tabs.push_back(t.name);
            s.completer.complete_from(s.input, from);
            break;
        }
        case KeyCode::Backspace: s.input.backspace(); break;
        case KeyCode::Delete: s.input.del(); break;
        case KeyCode::Left: s.input.left(); break;
        case KeyCode::Right: s.input.right(); break;
        case KeyCode::Home: s.input.home(); break;
        case KeyCode::End: s.input.end(); break;
        case KeyCode::WordLeft: s.input.word_left(); break;
        case KeyCode::WordRight: s.input.word_right(); break;
        case KeyCode::Up: s.input.history_up(); break;
        case KeyCode::Down: s.input.history_down(); break;
        case KeyCode::KillToStart: s.input.kill_to_start(); break;
        case KeyCode::KillToEnd: s.input.kill_to_end(); break;
        case KeyCode::KillWordBack: s.input.kill_word_back(); break;
        case KeyCode::Yank: s.input.yank(); break;
        case KeyCode::PageUp: scroll_up(s, fx, std::max(1, s.log_height - 1)); break;
        case KeyCode::PageDown: s.log().scroll_down(std::max(1, s.log_height - 1), rows); scrolled(); break;
        case KeyCode::WheelUp: scroll_up(s, fx, 3); break;
        case KeyCode::WheelDown: s.log().scroll_down(3, rows); scrolled(); break;
        case KeyCode::Escape: s.log().scroll_to_bottom(); scrolled(); break;
        case KeyCode::SwitchTab:
            if (k.ch >= 1 && k.ch <= n) switch_tab(s, k.ch - 1);
            break;
        case KeyCode::NextTab: switch_tab(s, (s.current + 1) % n); break;
        case KeyCode::PrevTab: switch_tab(s, (s.current + n - 1) % n); break;
        case KeyCode::Redraw: fx.redraw_all = true; s.dirty.all(); break;
        case KeyCode::Interrupt:
            if (s.link == Link::Online) fx.send.push_back(Quit{});
            fx.quit = true;
            s.quitting = true;
            break;
        case KeyCode::EndOfInput:
            if (s.input.empty()) {
                if (s.link == Link::Online) fx.send.push_back(Quit{});
                fx.quit = true;
                s.quitting = true;
            } else {
                s.input.del();
            }
            break;
    }
    ask_modes_of_room_shown(s, fx);
    return fx;
}

}  // namespace natter::tui
