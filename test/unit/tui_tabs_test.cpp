// The room bar's entries: names and their identity, /switch resolution, bounds, closing, member
// lists, and how the bar is drawn (labels, counts, marks, overflow).
#include <clocale>

#include <gtest/gtest.h>

#include "tui/display_width.h"
#include "tui/room_bar.h"
#include "tui/screen_state.h"
#include "tui/tabs.h"

using namespace natter;
using namespace natter::tui;

namespace {

const bool kLocale = std::setlocale(LC_ALL, "C.UTF-8") != nullptr;

std::string text_of(const Row& r) {
    std::string s;
    for (const auto& sp : r.spans) s += sp.text;
    return s;
}

// Lobby, #rust, @bob, #ops.
ScreenState bar() {
    ScreenState s("h:1", "me");
    open_tab(s, TabKind::Room, "#rust");
    open_tab(s, TabKind::Private, "bob");
    open_tab(s, TabKind::Room, "#ops");
    return s;
}

Entry chat(EntryKind kind, const std::string& text, bool mention = false) {
    Entry e;
    e.kind = kind;
    e.from = "alice";
    e.text = text;
    e.mention = mention;
    return e;
}

}  // namespace

TEST(TuiTabs, StartWithTheLobby) {
    ASSERT_TRUE(kLocale);
    ScreenState s("h:1", "me");
    ASSERT_EQ(s.tabs.size(), 1u);
    EXPECT_EQ(s.tab().name, "#lobby");
    EXPECT_EQ(s.tab().kind, TabKind::Room);
}

TEST(TuiTabs, NamesAreTheSameWhateverTheCaseOrLookAlikes) {
    ScreenState s = bar();
    EXPECT_EQ(find_tab(s.tabs, TabKind::Room, "#RUST"), 1u);
    EXPECT_EQ(find_tab(s.tabs, TabKind::Room, "#rest"), kNoTab);
    EXPECT_EQ(find_tab(s.tabs, TabKind::Room, "#0ps"), 3u);        // 0 looks like o
    EXPECT_EQ(find_tab(s.tabs, TabKind::Room, "#\u043eps"), 3u);  // and so does Cyrillic o
    EXPECT_EQ(find_tab(s.tabs, TabKind::Private, "BOB"), 2u);
    EXPECT_EQ(find_tab(s.tabs, TabKind::Room, "bob"), kNoTab);
    // Opening one that is there returns it.
    EXPECT_EQ(open_tab(s, TabKind::Room, "#Rust"), 1u);
    EXPECT_EQ(s.tabs.size(), 4u);
}

TEST(TuiTabs, SwitchResolvesNamesNumbersAndUniquePrefixes) {
    ScreenState s = bar();
    EXPECT_EQ(resolve_tab(s.tabs, "#rust"), 1u);
    EXPECT_EQ(resolve_tab(s.tabs, "rust"), 1u);
    EXPECT_EQ(resolve_tab(s.tabs, "bob"), 2u);
    EXPECT_EQ(resolve_tab(s.tabs, "@Bob"), 2u);
    EXPECT_EQ(resolve_tab(s.tabs, "4"), 3u);
    EXPECT_EQ(resolve_tab(s.tabs, "ru"), 1u);
    EXPECT_EQ(resolve_tab(s.tabs, "#o"), 3u);
    EXPECT_EQ(resolve_tab(s.tabs, "b"), 2u);
    EXPECT_EQ(resolve_tab(s.tabs, "9"), kNoTab);
    EXPECT_EQ(resolve_tab(s.tabs, "zed"), kNoTab);
    EXPECT_EQ(resolve_tab(s.tabs, "@rust"), kNoTab) << "@ is only for conversations";
    open_tab(s, TabKind::Room, "#robots");
    EXPECT_EQ(resolve_tab(s.tabs, "r"), kNoTab) << "ambiguous: #rust and #robots";
    EXPECT_EQ(resolve_tab(s.tabs, "ro"), 4u);
    // A room whose name is a number is still found by name.
    open_tab(s, TabKind::Room, "#2026");
    EXPECT_EQ(resolve_tab(s.tabs, "2026"), 5u);
    EXPECT_EQ(resolve_tab(s.tabs, "#2026"), 5u);
}

TEST(TuiTabs, NamesTheRulesRefuseOpenNothing) {
    ScreenState s("h:1", "me");
    EXPECT_EQ(open_tab(s, TabKind::Room, "no-hash"), kNoTab);
    EXPECT_EQ(open_tab(s, TabKind::Room, "#bad\x1b[2J"), kNoTab);
    EXPECT_EQ(open_tab(s, TabKind::Private, "two words"), kNoTab);
    EXPECT_EQ(s.tabs.size(), 1u);
}

TEST(TuiTabs, RoomsAreBoundedAndTheQuietestConversationMakesWay) {
    ScreenState s("h:1", "me");
    for (std::size_t i = 0; i < kMaxRoomTabs + 10; ++i) open_tab(s, TabKind::Room, "#r" + std::to_string(i));
    EXPECT_EQ(s.tabs.size(), kMaxRoomTabs);
    ScreenState p("h:1", "me");
    for (std::size_t i = 0; i < kMaxPrivateTabs; ++i) open_tab(p, TabKind::Private, "u" + std::to_string(i));
    ASSERT_EQ(p.tabs.size(), kMaxPrivateTabs + 1);
    // u0 speaks again: u1 is now the quietest and makes way for the newcomer.
    post(p, find_tab(p.tabs, TabKind::Private, "u0"), chat(EntryKind::PrivateIn, "again"));
    switch_tab(p, find_tab(p.tabs, TabKind::Private, "u5"));
    const std::size_t t = open_tab(p, TabKind::Private, "newcomer");
    ASSERT_NE(t, kNoTab);
    EXPECT_EQ(p.tabs.size(), kMaxPrivateTabs + 1);
    EXPECT_EQ(find_tab(p.tabs, TabKind::Private, "u1"), kNoTab);
    EXPECT_NE(find_tab(p.tabs, TabKind::Private, "u0"), kNoTab);
    EXPECT_EQ(p.tab().name, "u5") << "the entry shown stays shown";
}

TEST(TuiTabs, UnreadCountsAndMentionMarks) {
    ScreenState s = bar();
    post(s, 1, chat(EntryKind::Group, "one"));
    post(s, 1, chat(EntryKind::Group, "two"));
    Entry own = chat(EntryKind::Group, "mine");
    own.own = true;
    post(s, 1, own);
    post(s, 1, chat(EntryKind::Joined, ""));  // presence is not unread
    Entry old = chat(EntryKind::Group, "from history");
    old.history = true;
    post(s, 1, old);
    EXPECT_EQ(s.tabs[1].unread, 2u);
    EXPECT_FALSE(s.tabs[1].mention);
    post(s, 3, chat(EntryKind::Action, "waves at me", true));
    EXPECT_TRUE(s.tabs[3].mention);
    post(s, 2, chat(EntryKind::PrivateIn, "psst"));
    EXPECT_TRUE(s.tabs[2].mention) << "a private message to you marks its entry";
    // What is shown counts nothing.
    post(s, 0, chat(EntryKind::Group, "here"));
    EXPECT_EQ(s.tabs[0].unread, 0u);
    EXPECT_EQ(room_bar_label(s, 1), "2:#rust(2)");
    EXPECT_EQ(room_bar_label(s, 2), "3:@bob(1!)");
    EXPECT_EQ(room_bar_label(s, 3), "4:#ops(1!)");
    // Showing an entry clears them.
    switch_tab(s, 1);
    EXPECT_EQ(s.tabs[1].unread, 0u);
    EXPECT_EQ(room_bar_label(s, 1), "2:#rust");
    EXPECT_TRUE(s.dirty.log && s.dirty.bar && s.dirty.users && s.dirty.status);
}

TEST(TuiTabs, TheBarHighlightsTheShownAndMarksUnread) {
    ScreenState s = bar();
    post(s, 1, chat(EntryKind::Group, "x"));
    post(s, 3, chat(EntryKind::Group, "x", true));
    const Row r = room_bar_row(s, 80);
    EXPECT_EQ(text_of(r), " 1:#lobby 2:#rust(1) 3:@bob 4:#ops(1!)");
    auto role_of = [&](const std::string& label) {
        for (const auto& sp : r.spans)
            if (sp.text == label) return sp.style.role;
        ADD_FAILURE() << "no " << label;
        return Role::Error;
    };
    EXPECT_EQ(role_of("1:#lobby"), Role::Current);
    EXPECT_EQ(role_of("2:#rust(1)"), Role::Unread);
    EXPECT_EQ(role_of("3:@bob"), Role::Text);
    EXPECT_EQ(role_of("4:#ops(1!)"), Role::Mention);
}

TEST(TuiTabs, ANarrowBarKeepsTheShownInViewWithMarkers) {
    ScreenState s("h:1", "me");
    for (int i = 0; i < 30; ++i) open_tab(s, TabKind::Room, "#room" + std::to_string(i));
    post(s, 2, chat(EntryKind::Group, "hey me", true));  // off to the left later
    switch_tab(s, 20);
    for (int width : {1, 5, 12, 20, 40, 80}) {
        const Row r = room_bar_row(s, width);
        const std::string t = text_of(r);
        EXPECT_LE(r.width, width);
        if (width >= 12) {
            EXPECT_NE(t.find("21:#room19"), std::string::npos) << width << ": " << t;
        }
        if (width >= 20) {
            EXPECT_EQ(t.rfind("<", 0), 0u) << t;
            EXPECT_EQ(t.back(), '>') << t;
            EXPECT_EQ(r.spans.front().style.role, Role::Mention) << "a mention is hidden on the left";
        }
    }
    // Long names are cut, so one cannot push every other entry away.
    ScreenState l("h:1", "me");
    open_tab(l, TabKind::Room, "#" + std::string(31, 'x'));
    EXPECT_LE(display_width(room_bar_label(l, 1)), 28);
}

TEST(TuiTabs, ClosingMovesToTheNeighbourAndKeepsTheLast) {
    ScreenState s = bar();
    switch_tab(s, 3);
    close_tab(s, 1);
    EXPECT_EQ(s.tab().name, "#ops") << "closing another entry keeps the one shown";
    close_tab(s, s.current);
    EXPECT_EQ(s.tab().name, "bob");
    close_tab(s, 0);
    EXPECT_EQ(s.tab().name, "bob");
    ASSERT_EQ(s.tabs.size(), 1u);
    s.tab().members = {{"bob", false}};
    close_tab(s, 0);
    EXPECT_EQ(s.tabs.size(), 1u) << "the bar is never empty";
    EXPECT_TRUE(s.tab().members.empty());
}

TEST(TuiTabs, MemberListsStaySortedAndBounded) {
    std::vector<UserInfo> m;
    EXPECT_TRUE(add_member(m, "bob"));
    EXPECT_TRUE(add_member(m, "Alice"));
    EXPECT_FALSE(add_member(m, "bob"));
    EXPECT_TRUE(add_member(m, "carol"));
    EXPECT_EQ(m[0].nick, "Alice");
    EXPECT_TRUE(rename_member(m, "carol", "aaron"));
    EXPECT_EQ(m[0].nick, "aaron");
    EXPECT_TRUE(set_member_ignoring(m, "bob", true));
    EXPECT_FALSE(set_member_ignoring(m, "bob", true));
    EXPECT_TRUE(m[2].ignoring);
    EXPECT_TRUE(remove_member(m, "Alice"));
    EXPECT_FALSE(remove_member(m, "Alice"));
    std::vector<UserInfo> many(kMaxMembers + 5, UserInfo{"x", false, false});
    set_members(m, many);
    EXPECT_EQ(m.size(), kMaxMembers);
    EXPECT_FALSE(add_member(m, "one more"));
}
