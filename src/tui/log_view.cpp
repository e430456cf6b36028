#include "tui/log_view.h"

#include <algorithm>
#include <ctime>

#include "shared/text.h"
#include "tui/display_width.h"
#include "tui/wrap.h"

namespace natter::tui {

std::uint8_t nick_colour(std::string_view nick) {
    // FNV-1a over the case-folded nickname: stable across runs and machines.
    std::uint32_t h = 2166136261u;
    for (unsigned char c : text::fold_case(nick)) {
        h ^= c;
        h *= 16777619u;
    }
    return static_cast<std::uint8_t>(h % kNickColours);
}

std::string clock_text(std::uint64_t ts_ms) {
    const std::time_t t = static_cast<std::time_t>(ts_ms / 1000);
    std::tm tm{};
    if (!localtime_r(&t, &tm)) return "--:--";
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", tm.tm_hour % 24, tm.tm_min % 60);
    return buf;
}

namespace {

bool local(std::uint64_t ts_ms, std::tm& tm) {
    const std::time_t t = static_cast<std::time_t>(ts_ms / 1000);
    return localtime_r(&t, &tm) != nullptr;
}

}  // namespace

std::string date_time_text(std::uint64_t ts_ms) {
    std::tm tm{};
    if (!local(ts_ms, tm)) return "----------" " --:--";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", (tm.tm_year + 1900) % 10000,
                  (tm.tm_mon % 12) + 1, tm.tm_mday % 32, tm.tm_hour % 24, tm.tm_min % 60);
    return buf;
}

bool same_local_day(std::uint64_t a_ms, std::uint64_t b_ms) {
    std::tm a{}, b{};
    if (!local(a_ms, a) || !local(b_ms, b)) return true;
    return a.tm_year == b.tm_year && a.tm_yday == b.tm_yday;
}

namespace {

class Builder {
public:
    void add(std::string_view s, Style st) {
        if (s.empty()) return;
        if (f.runs.empty() || f.runs.back().second != st) f.runs.emplace_back(f.text.size(), st);
        f.text += s;
    }
    Formatted f;
};

Style nick_style(const Entry& e, std::string_view nick) {
    if (e.own) return {Role::OwnNick, 0};
    return {Role::Nick, nick_colour(nick)};
}

}  // namespace

Formatted format_entry(const Entry& e) {
    Builder b;
    if (e.kind == EntryKind::Separator || e.kind == EntryKind::Beginning) {
        // A line of its own, without a time.
        b.add("--- " + e.text + " ---", {Role::Notice, 0});
        return b.f;
    }
    b.add(e.dated ? date_time_text(e.ts) : clock_text(e.ts), {Role::Time, 0});
    b.add(" ", {Role::Text, 0});
    const Style body = e.mention ? Style{Role::Mention, 0} : Style{Role::Text, 0};
    const Style notice{Role::Notice, 0};
    switch (e.kind) {
        case EntryKind::Group:
            // A notice, as IRC clients show one: the author in dashes.
            b.add(e.notice ? "-" + e.from + "-" : "<" + e.from + ">", nick_style(e, e.from));
            b.add(" ", {Role::Text, 0});
            b.f.indent = display_width(b.f.text);
            b.add(e.text, body);
            break;
        case EntryKind::Action:
            b.add("* " + e.from, nick_style(e, e.from));
            b.add(" ", {Role::Text, 0});
            b.f.indent = display_width(b.f.text);
            b.add(e.text, body);
            break;
        case EntryKind::PrivateIn:
            b.add(e.notice ? "-" + e.from + " \u2192 you-" : "[" + e.from + " \u2192 you]", {Role::Private, 0});
            b.add(" ", {Role::Text, 0});
            b.f.indent = display_width(b.f.text);
            b.add(e.text, {Role::Text, 0});
            break;
        case EntryKind::PrivateOut:
            b.add(e.notice ? "-you \u2192 " + e.to + "-" : "[you \u2192 " + e.to + "]", {Role::Private, 0});
            b.add(" ", {Role::Text, 0});
            b.f.indent = display_width(b.f.text);
            b.add(e.text, {Role::Text, 0});
            break;
        case EntryKind::Joined:
            b.f.indent = display_width(b.f.text);
            b.add("\u2192 " + e.from + " joined", notice);
            break;
        case EntryKind::Left:
            b.f.indent = display_width(b.f.text);
            b.add("\u2190 " + e.from + (e.to.empty() ? " left" : " was removed by " + e.to) +
                      (e.text.empty() ? "" : " (" + e.text + ")"),
                  notice);
            break;
        case EntryKind::Renamed:
            b.f.indent = display_width(b.f.text);
            b.add(e.from + " is now known as " + e.to, notice);
            break;
        case EntryKind::IgnoreChanged:
            b.f.indent = display_width(b.f.text);
            b.add(e.from + (e.text == "on" ? " ignores group messages"
                                           : " receives group messages again"),
                  notice);
            break;
        case EntryKind::Info:
            b.add("--", {Role::Info, 0});
            b.add(" ", {Role::Text, 0});
            b.f.indent = display_width(b.f.text);
            b.add(e.text, {Role::Info, 0});
            break;
        case EntryKind::Error:
            b.add("!!", {Role::Error, 0});
            b.add(" ", {Role::Text, 0});
            b.f.indent = display_width(b.f.text);
            b.add(e.text, {Role::Error, 0});
            break;
        case EntryKind::Topic:
            b.f.indent = display_width(b.f.text);
            if (e.text.empty())
                b.add(e.from.empty() ? e.to + " has no topic" : e.from + " cleared the topic of " + e.to,
                      notice);
            else
                b.add("topic of " + e.to + ": " + e.text + (e.from.empty() ? "" : " (set by " + e.from + ")"),
                      {Role::Info, 0});
            break;
        case EntryKind::Mode:
            b.f.indent = display_width(b.f.text);
            b.add(e.from + " " + e.text, {Role::Info, 0});
            break;
        case EntryKind::Separator:
        case EntryKind::Beginning:
            break;  // handled above
    }
    if (e.history) {
        // Dimmed as a whole: the past, not the conversation going on.
        for (auto& run : b.f.runs) run.second = Style{Role::History, 0};
    }
    return b.f;
}

namespace {

// Cuts the styled text [begin, end) into spans.
void append_spans(const Formatted& f, std::size_t begin, std::size_t end, Row& row) {
    for (std::size_t r = 0; r < f.runs.size(); ++r) {
        const std::size_t rb = f.runs[r].first;
        const std::size_t re = r + 1 < f.runs.size() ? f.runs[r + 1].first : f.text.size();
        const std::size_t b = std::max(rb, begin), e = std::min(re, end);
        if (b < e) row.spans.push_back({f.text.substr(b, e - b), f.runs[r].second});
    }
}

// Continuation rows line up under the text, unless the prefix takes too much of a narrow window.
int indent_for(const Formatted& f, int width) {
    if (width < 8) return 0;
    return f.indent <= width / 2 ? f.indent : 2;
}

std::vector<Row> rows_of(const Formatted& f, int width) {
    width = std::max(width, 2);
    const int indent = indent_for(f, width);
    const auto ranges = wrap(f.text, width, width - indent);
    std::vector<Row> rows;
    rows.reserve(ranges.size());
    for (std::size_t k = 0; k < ranges.size(); ++k) {
        Row row;
        if (k > 0 && indent > 0) {
            row.spans.push_back({std::string(static_cast<std::size_t>(indent), ' '), {}});
            row.width = indent;
        }
        append_spans(f, ranges[k].begin, ranges[k].end, row);
        row.width += ranges[k].width;
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

std::vector<Row> entry_rows(const Entry& e, int width) { return rows_of(format_entry(e), width); }

int entry_row_count(const Entry& e, int width) {
    const Formatted f = format_entry(e);
    width = std::max(width, 2);
    const int indent = indent_for(f, width);
    return static_cast<int>(wrap(f.text, width, width - indent).size());
}

std::vector<Row> visible_rows(const MessageLog& log, int width, int height) {
    std::vector<Row> out;
    if (height <= 0 || width <= 0) return out;
    const auto b = log.bottom([width](const Entry& e) { return entry_row_count(e, width); });
    if (!b) return out;
    auto [i, row] = *b;
    // Collect upward from the bottom row, then put them in order.
    std::vector<Row> rev;
    while (static_cast<int>(rev.size()) < height) {
        std::vector<Row> rows = entry_rows(log.at(i), width);
        for (int r = std::min(row, static_cast<int>(rows.size()) - 1);
             r >= 0 && static_cast<int>(rev.size()) < height; --r)
            rev.push_back(std::move(rows[static_cast<std::size_t>(r)]));
        if (i == 0) break;
        --i;
        row = 1 << 30;
    }
    out.assign(std::make_move_iterator(rev.rbegin()), std::make_move_iterator(rev.rend()));
    return out;
}

std::vector<Row> text_rows(std::string_view raw, int width) {
    Formatted f;
    f.text = displayable_lines(raw);
    f.runs.emplace_back(0, Style{});
    return rows_of(f, width);
}

}  // namespace natter::tui
