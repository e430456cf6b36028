#include "tui/screen_state.h"

#include <algorithm>

#include "shared/text.h"
#include "tui/display_width.h"
#include "tui/log_view.h"

namespace natter::tui {

ScreenState::ScreenState(std::string addr, std::string n)
    : address(std::move(addr)), nick(std::move(n)) {}

void add_entry(ScreenState& s, Entry e) {
    s.log.add(std::move(e));
    s.dirty.log = true;
    if (!s.log.at_bottom()) s.dirty.status = true;  // the "new messages below" count changed
}

void note(ScreenState& s, EntryKind kind, std::string_view text, std::uint64_t now_ms) {
    Entry e;
    e.kind = kind;
    e.ts = now_ms;
    e.text = displayable_lines(text);
    add_entry(s, std::move(e));
}

namespace {

bool user_less(const UserInfo& a, const UserInfo& b) {
    const std::string fa = text::fold_case(a.nick), fb = text::fold_case(b.nick);
    return fa != fb ? fa < fb : a.nick < b.nick;
}

std::vector<UserInfo>::iterator find_user(ScreenState& s, std::string_view nick) {
    return std::find_if(s.users.begin(), s.users.end(),
                        [&](const UserInfo& u) { return u.nick == nick; });
}

}  // namespace

void set_users(ScreenState& s, std::vector<UserInfo> users) {
    if (users.size() > ScreenState::kMaxUsers) users.resize(ScreenState::kMaxUsers);
    std::sort(users.begin(), users.end(), user_less);
    s.users = std::move(users);
    s.dirty.users = s.dirty.status = true;
}

std::uint64_t online_count(const ScreenState& s) {
    return s.online_total > s.users.size() ? s.online_total : s.users.size();
}

void user_joined(ScreenState& s, std::string_view nick) {
    if (find_user(s, nick) != s.users.end() || s.users.size() >= ScreenState::kMaxUsers) return;
    UserInfo u{std::string(nick), false};
    s.users.insert(std::upper_bound(s.users.begin(), s.users.end(), u, user_less), u);
    s.dirty.users = s.dirty.status = true;
}

void user_left(ScreenState& s, std::string_view nick) {
    auto it = find_user(s, nick);
    if (it == s.users.end()) return;
    s.users.erase(it);
    s.dirty.users = s.dirty.status = true;
}

void user_renamed(ScreenState& s, std::string_view from, std::string_view to) {
    auto it = find_user(s, from);
    const bool ignoring = it != s.users.end() && it->ignoring;
    if (it != s.users.end()) s.users.erase(it);
    user_joined(s, to);
    user_ignoring(s, to, ignoring);
    for (auto& sp : s.speakers)
        if (sp == from) sp = std::string(to);
}

void user_ignoring(ScreenState& s, std::string_view nick, bool on) {
    auto it = find_user(s, nick);
    if (it == s.users.end() || it->ignoring == on) return;
    it->ignoring = on;
    s.dirty.users = true;
}

void spoke(ScreenState& s, std::string_view nick) {
    auto it = std::find(s.speakers.begin(), s.speakers.end(), nick);
    if (it != s.speakers.end()) s.speakers.erase(it);
    s.speakers.insert(s.speakers.begin(), std::string(nick));
    if (s.speakers.size() > ScreenState::kMaxSpeakers) s.speakers.pop_back();
}

std::vector<std::string> completion_nicks(const ScreenState& s) {
    std::vector<std::string> out;
    auto online = [&](const std::string& n) {
        return std::any_of(s.users.begin(), s.users.end(),
                           [&](const UserInfo& u) { return u.nick == n; });
    };
    auto usable = [&](const std::string& n) { return n != s.nick && !text::nick_problem(n); };
    for (const auto& n : s.speakers)
        if (usable(n) && online(n)) out.push_back(n);
    for (const auto& u : s.users)
        if (usable(u.nick) && std::find(out.begin(), out.end(), u.nick) == out.end())
            out.push_back(u.nick);
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
