// The client past the server's presence limit: a partial user list with a total shows the total
// and how many are not listed; a whole list (or a small crowd) behaves as before.
#include <clocale>

#include <gtest/gtest.h>

#include "shared/protocol.h"
#include "tui/apply.h"
#include "tui/panes.h"

using namespace natter;
using namespace natter::tui;

namespace {

constexpr std::uint64_t kNow = 1700000000000;

const bool kLocale = std::setlocale(LC_ALL, "C.UTF-8") != nullptr;

std::string text_of(const Row& r) {
    std::string s;
    for (const auto& sp : r.spans) s += sp.text;
    return s;
}

std::vector<UserInfo> users(int n) {
    std::vector<UserInfo> v;
    for (int i = 0; i < n; ++i) v.push_back({"user" + std::to_string(100 + i), false});
    return v;
}

ScreenState welcomed() {
    ScreenState s("localhost:6288", "user100");
    apply_connected(s, kNow);
    apply_message(s, Welcome{"user100", "natterd", "", kProtocolVersion}, kNow);
    apply_message(s, Joined{kNow, "user100", "#lobby"}, kNow);
    return s;
}

// #lobby's list, as a server with rooms sends it (after welcome and whenever it changes).
UserList list(std::vector<UserInfo> u, bool more, std::uint64_t total) {
    UserList l;
    l.room = "#lobby";
    l.users = std::move(u);
    l.more = more;
    l.total = total;
    return l;
}

}  // namespace

TEST(TuiPresence, APartialListShowsTheTotalAndHowManyAreNotListed) {
    ASSERT_TRUE(kLocale);
    ScreenState s = welcomed();
    apply_message(s, list(users(5), false, 1234), kNow);
    EXPECT_EQ(s.users().size(), 5u);
    EXPECT_EQ(member_count(s.tab()), 1234u);

    auto rows = user_pane_rows(s, 20, 30);  // room for all five and the marker
    ASSERT_EQ(rows.size(), 7u);
    EXPECT_EQ(text_of(rows[0]), "1234 here");
    EXPECT_EQ(text_of(rows[1]), "*user100");
    EXPECT_EQ(text_of(rows[5]), " user104");
    EXPECT_EQ(text_of(rows[6]), "+1229 more");

    rows = user_pane_rows(s, 20, 4);  // header, two users, marker
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(text_of(rows[3]), "+1232 more");

    EXPECT_NE(text_of(status_row(s, 200)).find("| #lobby (1234)"), std::string::npos);
    EXPECT_GE(user_pane_width(s), static_cast<int>(std::string("1234 here").size()));
}

TEST(TuiPresence, AWholeListAfterwardsEndsThePartialView) {
    ScreenState s = welcomed();
    apply_message(s, list(users(3), false, 600), kNow);
    EXPECT_EQ(member_count(s.tab()), 600u);
    // The crowd shrank: the server sends everyone the whole list, in chunks.
    apply_message(s, list(users(2), true, 3), kNow);
    EXPECT_EQ(member_count(s.tab()), 600u) << "a list is only replaced once complete";
    apply_message(s, list({{"zoe", false}}, false, 3), kNow);
    EXPECT_EQ(s.tab().total, 0u);
    EXPECT_EQ(member_count(s.tab()), 3u);
    auto rows = user_pane_rows(s, 20, 30);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(text_of(rows[0]), "3 here");
    // Below the limit, joins and leaves keep the count.
    apply_message(s, Joined{kNow, "amy"}, kNow);
    EXPECT_EQ(member_count(s.tab()), 4u);
    apply_message(s, Left{kNow, "zoe", "quit"}, kNow);
    EXPECT_EQ(member_count(s.tab()), 3u);
    EXPECT_EQ(text_of(user_pane_rows(s, 20, 30)[0]), "3 here");
}

TEST(TuiPresence, AListWithoutTotalOrWithASmallerOneIsWhole) {
    ScreenState s = welcomed();
    apply_message(s, list(users(4), false, 0), kNow);  // an older server: no total
    EXPECT_EQ(member_count(s.tab()), 4u);
    apply_message(s, list(users(4), false, 2), kNow);  // a confused one: the list wins
    EXPECT_EQ(member_count(s.tab()), 4u);
    auto rows = user_pane_rows(s, 20, 30);
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(text_of(rows[0]), "4 here");
}
