#include "tui/room_bar.h"

#include <vector>

#include "tui/display_width.h"
#include "tui/panes.h"

namespace natter::tui {

namespace {

// An entry's label is cut to this many columns, so one long name cannot push the others away.
constexpr int kMaxLabelColumns = 28;

Style label_style(const ScreenState& s, std::size_t i) {
    const Tab& t = s.tabs[i];
    if (i == s.current) return {Role::Current, 0};
    if (t.mention) return {Role::Mention, 0};
    if (t.unread) return {Role::Unread, 0};
    return {Role::Text, 0};
}

void add(Row& r, const std::string& text, Style st, int width) {
    const std::string t = fit(text, width - r.width);
    if (t.empty()) return;
    r.width += display_width(t);
    r.spans.push_back({t, st});
}

}  // namespace

std::string room_bar_label(const ScreenState& s, std::size_t i) {
    const Tab& t = s.tabs[i];
    std::string label = std::to_string(i + 1) + ":" + tab_title(t);
    if (t.unread) label += "(" + std::to_string(t.unread) + (t.mention ? "!" : "") + ")";
    return fit(label, kMaxLabelColumns);
}

Row room_bar_row(const ScreenState& s, int width) {
    Row r;
    const std::size_t n = s.tabs.size();
    if (width <= 0 || n == 0) return r;
    std::vector<std::string> labels;
    std::vector<int> widths;
    for (std::size_t i = 0; i < n; ++i) {
        labels.push_back(room_bar_label(s, i));
        widths.push_back(display_width(labels.back()));
    }
    // The widest run of entries around the shown one that fits, with room for the markers.
    auto span = [&](std::size_t lo, std::size_t hi) {
        int w = 0;
        for (std::size_t i = lo; i <= hi; ++i) w += widths[i] + 1;  // a space before each
        return w + (lo > 0 ? 2 : 0) + (hi + 1 < n ? 2 : 0);
    };
    std::size_t lo = s.current, hi = s.current;
    for (bool grew = true; grew;) {
        grew = false;
        if (hi + 1 < n && span(lo, hi + 1) <= width) ++hi, grew = true;
        if (lo > 0 && span(lo - 1, hi) <= width) --lo, grew = true;
    }
    // A marker for the entries cut off on one side, as loud as the loudest of them.
    auto marker = [&](std::size_t from, std::size_t to, const char* text) {
        Style st{Role::Text, 0};
        for (std::size_t i = from; i < to; ++i) {
            if (s.tabs[i].mention) st = {Role::Mention, 0};
            else if (s.tabs[i].unread && st.role == Role::Text) st = {Role::Unread, 0};
        }
        add(r, text, st, width);
    };
    if (lo > 0) marker(0, lo, "<");
    for (std::size_t i = lo; i <= hi; ++i) {
        add(r, " ", {Role::Text, 0}, width);
        add(r, labels[i], label_style(s, i), width);
    }
    if (hi + 1 < n) {
        add(r, " ", {Role::Text, 0}, width);
        marker(hi + 1, n, ">");
    }
    return r;
}

}  // namespace natter::tui
