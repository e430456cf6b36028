#include "tui/panes.h"

#include <algorithm>

#include "shared/text.h"
#include "tui/display_width.h"

namespace natter::tui {

std::string fit(const std::string& s, int width) {
    if (width <= 0) return {};
    if (display_width(s) <= width) return s;
    std::string out;
    int cols = 0;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t start = i;
        const int w = std::max(0, codepoint_width(text::decode_one(s, i)));
        if (cols + w > width - 1) break;
        out.append(s, start, i - start);
        cols += w;
    }
    return out + "\u2026";
}

namespace {

void add(Row& r, const std::string& text, Style st, int width) {
    const std::string t = fit(text, width - r.width);
    if (t.empty()) return;
    r.width += display_width(t);
    r.spans.push_back({t, st});
}

}  // namespace

std::vector<Row> log_pane_rows(const ScreenState& s, int width, int height) {
    if (width <= 0 || height <= 0) return {};
    const bool scrolled = !s.log().at_bottom();
    std::vector<Row> rows = visible_rows(s.log(), width, scrolled ? height - 1 : height);
    if (scrolled) {
        Row marker;
        const std::size_t n = s.log().unseen();
        add(marker,
            "\u2193 " + (n ? std::to_string(n) + " new message" + (n == 1 ? "" : "s") + " below"
                           : std::string("more below")) +
                " (PgDn, Esc) \u2193",
            {Role::Marker, 0}, width);
        rows.push_back(std::move(marker));
    }
    return rows;
}

namespace {

// The people a private conversation is between: them, then you.
std::vector<UserInfo> conversation_members(const ScreenState& s) {
    return {UserInfo{s.tab().name, false, false}, UserInfo{s.nick, s.ignoring, false}};
}

std::string user_pane_header(const ScreenState& s) {
    if (s.tab().kind == TabKind::Private) return "private";
    return std::to_string(member_count(s.tab())) + " here";
}

}  // namespace

std::vector<Row> user_pane_rows(const ScreenState& s, int width, int height) {
    std::vector<Row> rows;
    if (width <= 0 || height <= 0) return rows;
    const bool conversation = s.tab().kind == TabKind::Private;
    const std::vector<UserInfo> pair = conversation ? conversation_members(s) : std::vector<UserInfo>{};
    const std::vector<UserInfo>& users = conversation ? pair : s.users();
    Row header;
    add(header, user_pane_header(s), {Role::Info, 0}, width);
    rows.push_back(std::move(header));
    // Past the presence limit the list is partial: the total is more than the list.
    const std::uint64_t total = conversation ? users.size() : member_count(s.tab());
    const std::size_t room = static_cast<std::size_t>(height - 1);
    const bool all_fit = total <= room && users.size() == total;
    const std::size_t shown = all_fit ? users.size() : std::min(users.size(), room > 0 ? room - 1 : 0);
    for (std::size_t i = 0; i < shown; ++i) {
        const UserInfo& u = users[i];
        const bool me = u.nick == s.nick;
        Row r;
        const std::string suffix = u.ignoring ? " (i)" : "";
        const int suffix_w = static_cast<int>(suffix.size());
        add(r, me ? "*" : u.op ? "@" : u.voice ? "+" : " ", {me ? Role::OwnNick : Role::Text, 0}, width);
        const std::string nick = displayable(u.nick);
        add(r, fit(nick, std::max(1, width - r.width - suffix_w)),
            me ? Style{Role::OwnNick, 0} : Style{Role::Nick, nick_colour(u.nick)}, width);
        if (!suffix.empty()) add(r, suffix, {Role::Notice, 0}, width);
        rows.push_back(std::move(r));
    }
    if (!all_fit && room > 0) {
        Row more;
        add(more, "+" + std::to_string(total - shown) + " more", {Role::Notice, 0}, width);
        rows.push_back(std::move(more));
    }
    return rows;
}

int user_pane_width(const ScreenState& s) {
    int w = std::max(10, display_width(user_pane_header(s)));
    auto widen = [&](const UserInfo& u) {
        w = std::max(w, 1 + display_width(displayable(u.nick)) + (u.ignoring ? 4 : 0) + 1);
    };
    if (s.tab().kind == TabKind::Private) {
        for (const auto& u : conversation_members(s)) widen(u);
    } else {
        for (const auto& u : s.users()) widen(u);
    }
    return w;
}

Row status_row(const ScreenState& s, int width) {
    Row r;
    if (width <= 0) return r;
    const Style plain{Role::Text, 0};
    add(r, " " + displayable(s.nick), {Role::OwnNick, 0}, width);
    add(r, " @ " + displayable(s.address), plain, width);
    switch (s.link) {
        case Link::Connecting: add(r, " | connecting\u2026", {Role::Notice, 0}, width); break;
        case Link::LoggingIn: add(r, " | logging in\u2026", {Role::Notice, 0}, width); break;
        case Link::AskingNick: add(r, " | choose a nickname", {Role::Error, 0}, width); break;
        case Link::Online: add(r, " | online", plain, width); break;
        case Link::Offline:
            add(r, " | offline" + (s.link_note.empty() ? "" : ": " + s.link_note) +
                       ", reconnecting",
                {Role::Error, 0}, width);
            break;
    }
    const Tab& t = s.tab();
    if (t.kind == TabKind::Private) {
        add(r, " | private with " + displayable(t.name), {Role::Private, 0}, width);
    } else {
        // The room's settings right after its name, as irssi shows them: "#ops(+kmnt)". The
        // letters only: whoever looks over your shoulder does not read the key.
        std::string where = " | " + displayable(t.name);
        if (s.link == Link::Online && t.joined && !t.modes.empty()) where += "(+" + t.modes + ")";
        if (s.link == Link::Online)
            where += t.joined ? " (" + std::to_string(member_count(t)) + ")" : " (not joined)";
        add(r, where, plain, width);
    }
    if (s.ignoring) add(r, " | IGNORING group messages", {Role::Mention, 0}, width);
    if (t.history_asked) add(r, " | loading history\u2026", {Role::Notice, 0}, width);
    if (!t.log.at_bottom()) {
        const std::size_t n = t.log.unseen();
        add(r, " | more below" + (n ? " (" + std::to_string(n) + " new)" : std::string()),
            {Role::Marker, 0}, width);
        if (t.full) add(r, " | scrollback full", {Role::Notice, 0}, width);
    }
    // The topic last: it is the longest, and the bar cuts what does not fit.
    if (t.kind == TabKind::Room && !t.topic.empty()) add(r, " | " + t.topic, plain, width);
    return r;
}

std::string prompt(const ScreenState& s) {
    if (s.link == Link::AskingNick) return "nickname> ";
    const std::size_t lines = s.input.line_count();
    if (lines > 1) return "[" + std::to_string(lines) + " lines] > ";
    return "> ";
}

}  // namespace natter::tui
