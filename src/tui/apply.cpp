#include "tui/apply.h"

#include <type_traits>

#include "shared/text.h"
#include "tui/commands.h"
#include "tui/display_width.h"
#include "tui/log_view.h"

namespace natter::tui {

namespace {

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

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

void print_users(ScreenState& s, std::uint64_t now) {
    std::string line = std::to_string(s.users.size()) + " online:";
    for (std::size_t i = 0; i < s.users.size(); ++i) {
        line += (i ? ", " : " ") + s.users[i].nick;
        if (s.users[i].nick == s.nick) line += " (you)";
        if (s.users[i].ignoring) line += " (ignoring group messages)";
    }
    note(s, EntryKind::Info, line, now);
}

bool is_me(const ScreenState& s, std::string_view nick) { return nick == s.nick; }

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
                s.who_pending = 0;
                s.incoming.clear();
                note(s, EntryKind::Info, "connected to " + s.address + " (" + w.server +
                                             ") as " + w.nick, now);
                if (!w.motd.empty()) note(s, EntryKind::Info, w.motd, now);
                if (!s.stashed.empty() && s.input.empty()) s.input.set(s.stashed);
                s.stashed.clear();
                // After a reconnect, the server has forgotten our ignore mode.
                if (s.ignoring) fx.send.push_back(SetIgnore{true});
                s.dirty.all();
            },
            [&](const Error& e) {
                if (s.link == Link::LoggingIn || s.link == Link::AskingNick) {
                    ask_for_nick(s, e.text.empty() ? e.code : e.text, now);
                    return;
                }
                note(s, EntryKind::Error, e.text.empty() ? e.code : e.text, now);
            },
            [&](const GroupMessage& g) {
                Entry e = chat_entry(EntryKind::Group, g.ts, g.from, g.text);
                e.own = is_me(s, g.from);
                e.mention = !e.own && mentions(g.text, s.nick);
                fx.bell = e.mention;
                if (!e.own) spoke(s, g.from);
                add_entry(s, std::move(e));
            },
            [&](const Action& a) {
                Entry e = chat_entry(EntryKind::Action, a.ts, a.from, a.text);
                e.own = is_me(s, a.from);
                e.mention = !e.own && mentions(a.text, s.nick);
                fx.bell = e.mention;
                if (!e.own) spoke(s, a.from);
                add_entry(s, std::move(e));
            },
            [&](const PrivateMessage& p) {
                const bool out = is_me(s, p.from);
                Entry e = chat_entry(out ? EntryKind::PrivateOut : EntryKind::PrivateIn, p.ts,
                                     p.from, p.text);
                e.to = displayable(p.to);
                e.own = out;
                if (!out) {
                    fx.bell = true;
                    spoke(s, p.from);
                }
                add_entry(s, std::move(e));
            },
            [&](const UserList& u) {
                for (const auto& user : u.users)
                    if (s.incoming.size() < ScreenState::kMaxUsers) s.incoming.push_back(user);
                if (u.more) return;
                const std::size_t received = s.incoming.size();
                set_users(s, std::move(s.incoming));
                s.incoming.clear();
                // Past the server's presence limit only the first chunk comes, with the total.
                s.online_total = u.total > received ? u.total : 0;
                if (s.login_list_pending) {
                    s.login_list_pending = false;
                } else if (s.who_pending > 0) {
                    --s.who_pending;
                    print_users(s, now);
                }
            },
            [&](const IgnoreState& i) {
                s.ignoring = i.on;
                user_ignoring(s, s.nick, i.on);
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
            [&](const Joined& j) {
                user_joined(s, j.nick);
                Entry e = chat_entry(EntryKind::Joined, j.ts, j.nick, "");
                add_entry(s, std::move(e));
            },
            [&](const Left& l) {
                user_left(s, l.nick);
                add_entry(s, chat_entry(EntryKind::Left, l.ts, l.nick, l.reason));
            },
            [&](const Renamed& r) {
                user_renamed(s, r.from, r.to);
                Entry e = chat_entry(EntryKind::Renamed, r.ts, r.from, "");
                e.to = displayable(r.to);
                if (is_me(s, r.from)) {
                    s.nick = r.to;
                    e.own = true;
                    s.dirty.status = true;
                }
                add_entry(s, std::move(e));
            },
            [&](const IgnoreChanged& i) {
                user_ignoring(s, i.nick, i.on);
                if (is_me(s, i.nick)) return;  // IgnoreState already said so
                add_entry(s, chat_entry(EntryKind::IgnoreChanged, i.ts, i.nick, i.on ? "on" : "off"));
            },
            [&](const Bye& b) {
                note(s, EntryKind::Info,
                     "the server says goodbye" + (b.reason.empty() ? "" : ": " + b.reason), now);
            },
            [&](const Ping& p) { fx.send.push_back(Pong{p.token}); },
            [&](const Pong&) {},
            // Client-to-server messages never come from a server (the decoder refuses them).
            [&](const auto&) {},
        },
        m);
    return fx;
}

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
    auto needs_server = [&]() {
        if (online) return true;
        note(s, EntryKind::Error, "not connected: nothing was sent; your line is kept", now);
        return false;
    };
    bool done = true;
    std::visit(Overload{
                   [&](const intent::SendGroup& g) {
                       if ((done = needs_server())) fx.send.push_back(Say{g.text});
                   },
                   [&](const intent::SendPrivate& p) {
                       if ((done = needs_server())) fx.send.push_back(Tell{p.to, p.text});
                   },
                   [&](const intent::SendAction& m) {
                       if ((done = needs_server())) fx.send.push_back(Me{m.text});
                   },
                   [&](const intent::ChangeNick& n) {
                       if ((done = needs_server())) fx.send.push_back(ChangeNick{n.nick});
                   },
                   [&](const intent::ListUsers&) {
                       if ((done = needs_server())) {
                           fx.send.push_back(Who{});
                           ++s.who_pending;
                       }
                   },
                   [&](const intent::SetIgnore& i) {
                       if ((done = needs_server()))
                           fx.send.push_back(SetIgnore{i.on.value_or(!s.ignoring)});
                   },
                   [&](const intent::Quit& q) {
                       if (online) fx.send.push_back(Quit{q.reason});
                       fx.quit = true;
                       s.quitting = true;
                   },
                   [&](const intent::Clear&) {
                       s.log.clear();
                       s.dirty.log = s.dirty.status = true;
                   },
                   [&](const intent::Help& h) {
                       for (const auto& line : help_lines(h.topic))
                           note(s, EntryKind::Info, line, now);
                   },
                   [&](const intent::Error& e) {
                       note(s, EntryKind::Error, e.text, now);
                       done = false;  // keep the line so it can be fixed
                   },
                   [&](const intent::Nothing&) { s.input.clear(); },
               },
               a);
    if (done) s.input.submit();
    // Sending or asking for something means you want to see the answer.
    if (!fx.send.empty() && !s.log.at_bottom()) {
        s.log.scroll_to_bottom();
        s.dirty.log = s.dirty.status = true;
    }
}

}  // namespace

Effects apply_key(ScreenState& s, const Key& k, std::uint64_t now) {
    Effects fx;
    if (k.code != KeyCode::Tab) s.completer.reset();
    const int w = s.log_width;
    auto rows = [w](const Entry& e) { return entry_row_count(e, w); };
    auto scrolled = [&]() { s.dirty.log = s.dirty.status = true; };
    s.dirty.input = true;  // nearly every key changes the line; drawing one line is cheap
    switch (k.code) {
        case KeyCode::Char: s.input.insert(k.ch); break;
        case KeyCode::Paste: s.input.insert_text(k.text); break;
        case KeyCode::Newline: s.input.insert_text("\n"); break;
        case KeyCode::Enter:
            if (s.link == Link::AskingNick) submit_nick(s, fx, now);
            else submit_line(s, fx, now);
            break;
        case KeyCode::Tab: s.completer.complete(s.input, completion_nicks(s)); break;
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
        case KeyCode::PageUp: s.log.scroll_up(std::max(1, s.log_height - 1), s.log_height, rows); scrolled(); break;
        case KeyCode::PageDown: s.log.scroll_down(std::max(1, s.log_height - 1), rows); scrolled(); break;
        case KeyCode::WheelUp: s.log.scroll_up(3, s.log_height, rows); scrolled(); break;
        case KeyCode::WheelDown: s.log.scroll_down(3, rows); scrolled(); break;
        case KeyCode::Escape: s.log.scroll_to_bottom(); scrolled(); break;
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
    return fx;
}

Effects apply_connected(ScreenState& s, std::uint64_t) {
    Effects fx;
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
    s.who_pending = 0;
    s.login_list_pending = false;
    // Who is online is unknown until we are back; an empty pane says so honestly.
    set_users(s, {});
    if (was_up) note(s, EntryKind::Error, "disconnected: " + std::string(why) + "; reconnecting", now);
    s.dirty.all();
}

void apply_connecting(ScreenState& s) {
    s.link = Link::Connecting;
    s.dirty.status = true;
}

}  // namespace natter::tui
