// Layout for every terminal size, and what the log, user and status panes show.
#include <clocale>
#include <cstdlib>
#include <ctime>

#include <gtest/gtest.h>

#include "tui/display_width.h"
#include "tui/layout.h"
#include "tui/log_view.h"
#include "tui/panes.h"

using namespace natter;
using namespace natter::tui;

namespace {

const bool kLocale = [] {
    setenv("TZ", "UTC", 1);
    tzset();
    return std::setlocale(LC_ALL, "C.UTF-8") != nullptr;
}();

std::string text_of(const Row& r) {
    std::string s;
    for (const auto& sp : r.spans) s += sp.text;
    return s;
}

bool inside(const Rect& r, int rows, int cols) {
    return r.empty() || (r.y >= 0 && r.x >= 0 && r.y + r.h <= rows && r.x + r.w <= cols);
}

bool overlap(const Rect& a, const Rect& b) {
    if (a.empty() || b.empty()) return false;
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

}  // namespace

TEST(Layout, WideTerminalHasEveryPane) {
    ASSERT_TRUE(kLocale);
    const Layout l = compute_layout(30, 100, 16);
    EXPECT_EQ(l.input, (Rect{29, 0, 1, 100}));
    EXPECT_EQ(l.status, (Rect{28, 0, 1, 100}));
    EXPECT_EQ(l.bar, (Rect{0, 0, 1, 100}));
    EXPECT_EQ(l.users, (Rect{1, 84, 27, 16}));
    EXPECT_EQ(l.border, (Rect{1, 83, 27, 1}));
    EXPECT_EQ(l.log, (Rect{1, 0, 27, 83}));
}

TEST(Layout, NarrowTerminalHidesTheUserPane) {
    const Layout l = compute_layout(24, 59, 16);
    EXPECT_TRUE(l.users.empty());
    EXPECT_EQ(l.log, (Rect{1, 0, 21, 59}));
}

TEST(Layout, EverySizeDownToOneByOneIsSane) {
    for (int rows = 0; rows <= 40; ++rows) {
        for (int cols = 0; cols <= 130; ++cols) {
            for (int uw : {0, 12, 30}) {
                const Layout l = compute_layout(rows, cols, uw);
                const Rect all[] = {l.bar, l.log, l.border, l.users, l.status, l.input};
                for (const Rect& r : all) {
                    EXPECT_TRUE(inside(r, rows, cols)) << rows << "x" << cols;
                }
                for (const Rect& a : all) {
                    for (const Rect& b : all) {
                        if (&a != &b) {
                            EXPECT_FALSE(overlap(a, b)) << rows << "x" << cols;
                        }
                    }
                }
                if (rows >= 1 && cols >= 1) {
                    EXPECT_FALSE(l.input.empty());
                }
                // The bar only when the log keeps two rows.
                EXPECT_EQ(!l.bar.empty(), rows >= kMinRowsForBar && cols >= 1) << rows << "x" << cols;
                if (!l.bar.empty()) {
                    EXPECT_GE(l.log.h, 2);
                }
            }
        }
    }
}

TEST(LogView, FormatsAndWrapsUnderTheText) {
    Entry e;
    e.kind = EntryKind::Group;
    e.ts = 1700000000000;
    e.from = "alice";
    e.text = "one two three four five six";
    auto rows = entry_rows(e, 30);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(text_of(rows[0]), "22:13 <alice> one two three");
    EXPECT_EQ(text_of(rows[1]), "              four five six");
    for (const auto& r : rows) EXPECT_LE(r.width, 30);
    EXPECT_EQ(static_cast<int>(rows.size()), entry_row_count(e, 30));
    // In a narrow window the prefix would take too much: continuations indent by 2.
    rows = entry_rows(e, 20);
    ASSERT_GE(rows.size(), 2u);
    EXPECT_EQ(text_of(rows[1]).substr(0, 3), "  t");
    // The nickname has its colour, the time its own role.
    EXPECT_EQ(rows[0].spans[0].style.role, Role::Time);
    EXPECT_EQ(rows[0].spans[2].style, (Style{Role::Nick, nick_colour("alice")}));
}

TEST(LogView, NickColoursAreStableAndCaseInsensitive) {
    EXPECT_EQ(nick_colour("alice"), nick_colour("ALICE"));
    EXPECT_LT(nick_colour("bob"), kNickColours);
    int differ = 0;
    for (auto n : {"bob", "carol", "dave", "eve", "mallory", "trent"})
        differ += nick_colour(n) != nick_colour("alice");
    EXPECT_GT(differ, 0);
}

TEST(LogView, ChineseMessageWrapsByWidth) {
    Entry e;
    e.kind = EntryKind::Group;
    e.from = "张伟";
    e.text = "这是一条很长的中文消息，用来测试按显示宽度换行。";
    for (int width : {10, 21, 30, 40}) {
        const auto rows = entry_rows(e, width);
        std::string joined;
        for (const auto& r : rows) {
            EXPECT_LE(r.width, width);
            EXPECT_EQ(r.width, display_width(text_of(r)));
            joined += text_of(r);
        }
        // Nothing lost: every character of the message is on some row.
        std::string stripped;
        for (char c : joined)
            if (c != ' ') stripped += c;
        EXPECT_NE(stripped.find("这是一条很长的中文消息"), std::string::npos) << width;
    }
}

TEST(LogView, VisibleRowsEndAtTheBottom) {
    MessageLog log;
    for (int i = 0; i < 50; ++i) {
        Entry e;
        e.kind = EntryKind::Info;
        e.text = "line " + std::to_string(i);
        log.add(e);
    }
    const auto rows = visible_rows(log, 40, 5);
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_NE(text_of(rows.back()).find("line 49"), std::string::npos);
    EXPECT_NE(text_of(rows.front()).find("line 45"), std::string::npos);
    EXPECT_TRUE(visible_rows(log, 0, 5).empty());
    EXPECT_TRUE(visible_rows(log, 40, 0).empty());
}

TEST(Panes, UserPaneMarksYouAndIgnorersAndFits) {
    ScreenState s("h:1", "me");
    s.tab().members = {{"alice", true}, {"me", false}, {"张伟", false}};
    auto rows = user_pane_rows(s, 14, 10);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(text_of(rows[0]), "3 here");
    EXPECT_EQ(text_of(rows[1]), " alice (i)");
    EXPECT_EQ(text_of(rows[2]), "*me");
    EXPECT_EQ(text_of(rows[3]), " 张伟");
    // Operators and voiced members (IRC's +v: they may speak in a moderated room).
    s.tab().members = {{"alice", false, true, true}, {"bob", false, false, true}, {"cyd", false}};
    rows = user_pane_rows(s, 14, 10);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(text_of(rows[1]), "@alice");
    EXPECT_EQ(text_of(rows[2]), "+bob");
    EXPECT_EQ(text_of(rows[3]), " cyd");
    // Too many for the height: the last row says how many more.
    for (int i = 0; i < 20; ++i) s.tab().members.push_back({"user" + std::to_string(i), false});
    rows = user_pane_rows(s, 14, 6);
    ASSERT_EQ(rows.size(), 6u);
    EXPECT_EQ(text_of(rows.back()), "+19 more");
    for (const auto& r : rows) EXPECT_LE(r.width, 14);
    // A long nickname is cut to the width.
    s.tab().members = {{"averyveryverylongnickname", false}};
    rows = user_pane_rows(s, 12, 5);
    EXPECT_LE(rows[1].width, 12);
    EXPECT_NE(text_of(rows[1]).find("\u2026"), std::string::npos);
}

TEST(Panes, StatusBarSaysWhereWeAre) {
    ScreenState s("example.org:6288", "me");
    EXPECT_NE(text_of(status_row(s, 200)).find("connecting"), std::string::npos);
    s.link = Link::Online;
    s.tab().members = {{"me", false}};
    const std::string st = text_of(status_row(s, 200));
    EXPECT_NE(st.find("me @ example.org:6288"), std::string::npos);
    EXPECT_NE(st.find("online"), std::string::npos);
    EXPECT_LE(status_row(s, 10).width, 10);
}

TEST(Panes, StatusBarShowsTheRoomsModesAfterItsName) {
    ScreenState s("example.org:6288", "me");
    s.link = Link::Online;
    s.tab().joined = true;
    s.tab().members = {{"me", false}, {"bob", false}};
    EXPECT_NE(text_of(status_row(s, 200)).find("| #lobby (2)"), std::string::npos) << "none known: the name alone";
    s.tab().modes = "kmnt";
    s.tab().room_key = "beer";
    s.tab().topic = "welcome";
    const std::string st = text_of(status_row(s, 200));
    EXPECT_NE(st.find("| #lobby(+kmnt) (2) | welcome"), std::string::npos) << st;
    EXPECT_EQ(st.find("beer"), std::string::npos) << "never the key";
    // Narrow: cut to the width, the modes before the topic.
    for (int w : {1, 10, 30, 42, 50}) EXPECT_LE(status_row(s, w).width, w) << w;
    const std::string narrow = text_of(status_row(s, 52));
    EXPECT_NE(narrow.find("#lobby(+kmnt)"), std::string::npos) << narrow;
    EXPECT_EQ(narrow.find("welcome"), std::string::npos) << narrow;
    // Not joined, or offline: what we knew is not shown as if it were still so.
    s.tab().joined = false;
    EXPECT_EQ(text_of(status_row(s, 200)).find("+kmnt"), std::string::npos);
    s.tab().joined = true;
    s.link = Link::Offline;
    EXPECT_EQ(text_of(status_row(s, 200)).find("+kmnt"), std::string::npos);
}

TEST(Panes, FitCutsByColumns) {
    EXPECT_EQ(fit("hello", 10), "hello");
    EXPECT_EQ(fit("hello world", 6), "hello\u2026");
    EXPECT_EQ(fit("中文中文", 5), "中文\u2026");
    EXPECT_EQ(fit("abc", 0), "");
}
