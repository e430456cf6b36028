#include "tui/screen_state.h"

#include <algorithm>
#include <set>

#include "shared/text.h"
#include "tui/display_width.h"
#include "tui/log_view.h"

namespace natter::tui {

ScreenState::ScreenState(std::string addr, std::string n)
    : address(std::move(addr)), nick(std::move(n)) {
    tabs.push_back(make_tab(TabKind::Room, kLobby));
}

void post(ScreenState& s, std::size_t i, Entry e) {
    if (i >= s.tabs.size()) i = s.current;
    Tab& t = s.tabs[i];
    const bool chat = e.kind == EntryKind::Group || e.kind == EntryKind::Action ||
                      e.kind == EntryKind::PrivateIn || e.kind == EntryKind::PrivateOut;
    const bool counts = chat && !e.history && !e.own;
    const bool marks = counts && (e.mention || e.kind == EntryKind::PrivateIn);
    if (chat && !e.history) t.last_active = ++s.activity;
    t.log.add(std::move(e));
    if (i == s.current) {
        s.dirty.log = true;
        if (!t.log.at_bottom()) s.dirty.status = true;  // the "new messages below" count changed
    } else if (counts) {
        ++t.unread;
        t.mention = t.mention || marks;
        s.dirty.bar = true;
    }
}

void add_entry(ScreenState& s, Entry e) { post(s, s.current, std::move(e)); }

void note(ScreenState& s, EntryKind kind, std::string_view text, std::uint64_t now_ms) {
    Entry e;
    e.kind = kind;
    e.ts = now_ms;
    e.text = displayable_lines(text);
    add_entry(s, std::move(e));
}

void switch_tab(ScreenState& s, std::size_t index) {
    if (index >= s.tabs.size()) return;
    s.current = index;
    s.tabs[index].unread = 0;
    s.tabs[index].mention = false;
    s.completer.reset();
    s.dirty.all();
}

std::size_t open_tab(ScreenState& s, TabKind kind, std::string_view name) {
    const std::size_t found = find_tab(s.tabs, kind, name);
    if (found != kNoTab) return found;
    if (kind == TabKind::Room ? text::room_problem(name).has_value() : text::nick_problem(name).has_value())
        return kNoTab;
    const auto count = static_cast<std::size_t>(std::count_if(
        s.tabs.begin(), s.tabs.end(), [&](const Tab& t) { return t.kind == kind; }));
    if (kind == TabKind::Room && count >= kMaxRoomTabs) return kNoTab;
    if (kind == TabKind::Private && count >= kMaxPrivateTabs) {
        std::size_t quiet = kNoTab;
        for (std::size_t i = 0; i < s.tabs.size(); ++i) {
            if (s.tabs[i].kind != TabKind::Private || i == s.current) continue;
            if (quiet == kNoTab || s.tabs[i].last_active < s.tabs[quiet].last_active) quiet = i;
        }
        if (quiet == kNoTab) return kNoTab;
        close_tab(s, quiet);
    }
    s.tabs.push_back(make_tab(kind, name));
    s.tabs.back().last_active = ++s.activity;
    s.dirty.bar = true;
    return s.tabs.size() - 1;
}

void close_tab(ScreenState& s, std::size_t index) {
    if (index >= s.tabs.size()) return;
    if (s.tabs.size() == 1) {
        Tab& t = s.tabs[0];
        t.joined = false;
        t.members.clear();
        t.incoming.clear();
        t.total = 0;
        t.modes.clear();
        t.modes_wanted = false;
        s.dirty.all();
        return;
    }
    const bool shown = index == s.current;
    s.tabs.erase(s.tabs.begin() + static_cast<std::ptrdiff_t>(index));
    if (index < s.current || (shown && s.current > 0)) --s.current;
    if (shown) switch_tab(s, s.current);
    s.dirty.all();
}

std::size_t fallback_tab(const ScreenState& s) {
    const std::size_t lobby = find_tab(s.tabs, TabKind::Room, kLobby);
    return lobby != kNoTab ? lobby : s.current;
}

void spoke(ScreenState& s, std::string_view nick) {
    auto it = std::find(s.speakers.begin(), s.speakers.end(), nick);
    if (it != s.speakers.end()) s.speakers.erase(it);
    s.speakers.insert(s.speakers.begin(), std::string(nick));
    if (s.speakers.size() > ScreenState::kMaxSpeakers) s.speakers.pop_back();
}

std::vector<std::string> completion_nicks(const ScreenState& s) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    auto known = [&](const std::string& n) {
        return std::any_of(s.tabs.begin(), s.tabs.end(), [&](const Tab& t) {
            return has_member(t.members, n) || (t.kind == TabKind::Private && t.name == n);
        });
    };
    auto take = [&](const std::string& n) {
        if (n != s.nick && !text::nick_problem(n) && seen.insert(n).second) out.push_back(n);
    };
    for (const auto& n : s.speakers)
        if (known(n)) take(n);
    for (const auto& u : s.users()) take(u.nick);
    for (const auto& t : s.tabs) {
        if (t.kind == TabKind::Private) take(t.name);
        for (const auto& u : t.members) take(u.nick);
    }
    return out;
}

std::vector<std::string> completion_rooms(const ScreenState& s) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    auto take = [&](const std::string& r) {
        if (!text::room_problem(r) && seen.insert(text::room_key(r)).second) out.push_back(r);
    };
    for (const auto& t : s.tabs)
        if (t.kind == TabKind::Room) take(t.name);
    for (const auto& r : s.known_rooms) take(r);
    return out;
}

bool mentions(std::string_view text, std::string_view nick) {
    if (nick.empty()) return false;
    const std::string t = text::fold_case(text), n = text::fold_case(nick);
    auto word_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    };
    for (std::size_t at = t.find(n); at != std::string::npos; at = t.find(n, at + 1)) {
        const bool before = at == 0 || !word_char(t[at - 1]);
        const bool after = at + n.size() >= t.size() || !word_char(t[at + n.size()]);
        if (before && after) return true;
    }
    return false;
}

}  // namespace natter::tui
