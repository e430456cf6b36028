#include "tui/tabs.h"

#include <algorithm>

#include "shared/text.h"
#include "tui/display_width.h"

namespace natter::tui {

Tab make_tab(TabKind kind, std::string_view name) {
    Tab t;
    t.kind = kind;
    t.name = std::string(name);
    t.key = tab_key(kind, name);
    return t;
}

void rename_tab(Tab& t, std::string_view name) {
    t.name = std::string(name);
    t.key = tab_key(t.kind, name);
}

std::string tab_key(TabKind kind, std::string_view name) {
    return kind == TabKind::Room ? text::room_key(name) : text::fold_case(name);
}

bool same_name(const Tab& t, TabKind kind, std::string_view name) {
    return t.kind == kind && t.key == tab_key(kind, name);
}

std::size_t find_tab(const std::vector<Tab>& tabs, TabKind kind, std::string_view name) {
    const std::string key = tab_key(kind, name);
    for (std::size_t i = 0; i < tabs.size(); ++i)
        if (tabs[i].kind == kind && tabs[i].key == key) return i;
    return kNoTab;
}

namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && s.size() <= 4 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The name without its sigil, case-folded: what a prefix is matched against.
std::string bare(const Tab& t) {
    std::string_view n = t.name;
    if (t.kind == TabKind::Room && !n.empty() && n[0] == '#') n.remove_prefix(1);
    return text::fold_case(n);
}

}  // namespace

std::size_t resolve_tab(const std::vector<Tab>& tabs, std::string_view what) {
    if (what.empty()) return kNoTab;
    if (all_digits(what)) {
        const std::size_t n = static_cast<std::size_t>(std::stoul(std::string(what)));
        if (n >= 1 && n <= tabs.size()) return n - 1;  // else perhaps a room like #2026
    }
    if (what[0] == '@') return find_tab(tabs, TabKind::Private, what.substr(1));
    if (what[0] == '#') {
        const std::size_t i = find_tab(tabs, TabKind::Room, what);
        if (i != kNoTab) return i;
    } else {
        std::size_t i = find_tab(tabs, TabKind::Private, what);
        if (i != kNoTab) return i;
        i = find_tab(tabs, TabKind::Room, "#" + std::string(what));
        if (i != kNoTab) return i;
    }
    // The start of exactly one name.
    std::string_view prefix = what[0] == '#' ? what.substr(1) : what;
    const std::string p = text::fold_case(prefix);
    std::size_t found = kNoTab;
    for (std::size_t i = 0; i < tabs.size(); ++i) {
        if (what[0] == '#' && tabs[i].kind != TabKind::Room) continue;
        if (bare(tabs[i]).compare(0, p.size(), p) != 0) continue;
        if (found != kNoTab) return kNoTab;  // ambiguous
        found = i;
    }
    return found;
}

std::string tab_title(const Tab& t) {
    return t.kind == TabKind::Room ? displayable(t.name) : "@" + displayable(t.name);
}

namespace {

bool user_less(const UserInfo& a, const UserInfo& b) {
    const std::string fa = text::fold_case(a.nick), fb = text::fold_case(b.nick);
    return fa != fb ? fa < fb : a.nick < b.nick;
}

std::vector<UserInfo>::iterator find_member(std::vector<UserInfo>& list, std::string_view nick) {
    return std::find_if(list.begin(), list.end(), [&](const UserInfo& u) { return u.nick == nick; });
}

}  // namespace

void set_members(std::vector<UserInfo>& list, std::vector<UserInfo> users) {
    if (users.size() > kMaxMembers) users.resize(kMaxMembers);
    std::sort(users.begin(), users.end(), user_less);
    list = std::move(users);
}

bool has_member(const std::vector<UserInfo>& list, std::string_view nick) {
    return std::any_of(list.begin(), list.end(), [&](const UserInfo& u) { return u.nick == nick; });
}

bool add_member(std::vector<UserInfo>& list, std::string_view nick) {
    if (has_member(list, nick) || list.size() >= kMaxMembers) return false;
    UserInfo u{std::string(nick), false};
    list.insert(std::upper_bound(list.begin(), list.end(), u, user_less), u);
    return true;
}

bool remove_member(std::vector<UserInfo>& list, std::string_view nick) {
    auto it = find_member(list, nick);
    if (it == list.end()) return false;
    list.erase(it);
    return true;
}

bool rename_member(std::vector<UserInfo>& list, std::string_view from, std::string_view to) {
    auto it = find_member(list, from);
    if (it == list.end()) return false;
    UserInfo u = *it;
    list.erase(it);
    u.nick = std::string(to);
    if (!has_member(list, to)) list.insert(std::upper_bound(list.begin(), list.end(), u, user_less), u);
    return true;
}

bool set_member_ignoring(std::vector<UserInfo>& list, std::string_view nick, bool on) {
    auto it = find_member(list, nick);
    if (it == list.end() || it->ignoring == on) return false;
    it->ignoring = on;
    return true;
}

std::uint64_t member_count(const Tab& t) {
    return t.total > t.members.size() ? t.total : t.members.size();
}

}  // namespace natter::tui
