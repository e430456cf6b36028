// The presence limit of the chat core: past it, joins, leaves, renames and ignore changes stop
// being told to everyone, newcomers get only the first chunk of the user list with the total, and
// everything resumes (with a fresh list for everyone) once the crowd is back under 90% of it.
#include "server/chat_core.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace natter;
using namespace natter::server;

namespace {

constexpr Millis kNow = 1'700'000'000'000;

CoreConfig config_with_limit(std::size_t limit) {
    CoreConfig c{"natterd test", "motd", 10, 60'000};
    c.presence_limit = limit;
    return c;
}

class Presence : public ::testing::Test {
protected:
    explicit Presence(std::size_t limit = 4) : core(config_with_limit(limit)) {}

    Outputs login(ClientId id, const std::string& nick) {
        core.connect(id, kNow);
        Outputs o;
        core.handle(id, Hello{nick, kProtocolVersion}, kNow, o);
        EXPECT_TRUE(core.logged_in(id)) << nick << " was refused";
        return o;
    }
    Outputs handle(ClientId id, const Message& m) {
        Outputs o;
        core.handle(id, m, kNow, o);
        return o;
    }
    Outputs drop(ClientId id) {
        Outputs o;
        core.disconnect(id, "gone", kNow, o);
        return o;
    }

    ChatCore core;
};

// Sizes of the limit used by the fixtures below.
class SmallPresence : public Presence {
protected:
    SmallPresence() : Presence(4) {}
};
class ChunkedPresence : public Presence {
protected:
    ChunkedPresence() : Presence(kUsersPerChunk + 10) {}
};

template <class T>
std::vector<std::pair<std::vector<ClientId>, T>> sent(const Outputs& o) {
    std::vector<std::pair<std::vector<ClientId>, T>> r;
    for (const Delivery& d : o.deliveries)
        if (const T* t = std::get_if<T>(&d.msg)) {
            auto to = d.to;
            std::sort(to.begin(), to.end());
            r.emplace_back(std::move(to), *t);
        }
    return r;
}

std::vector<ClientId> range(ClientId first, ClientId last) {
    std::vector<ClientId> v;
    for (ClientId i = first; i <= last; ++i) v.push_back(i);
    return v;
}

std::string nick_of(ClientId i) { return "user" + std::to_string(1000 + i); }

}  // namespace

TEST_F(SmallPresence, AtTheLimitEveryJoinIsStillBroadcastWithTheFullList) {
    for (ClientId i = 1; i <= 3; ++i) login(i, nick_of(i));
    Outputs o = login(4, nick_of(4));  // 4 online: at the limit, not past it
    EXPECT_TRUE(core.presence_broadcast_allowed());
    auto joins = sent<Joined>(o);
    ASSERT_EQ(joins.size(), 1u);
    EXPECT_EQ(joins[0].first, range(1, 4));  // the newcomer hears of its own join (to #lobby) too
    auto lists = sent<UserList>(o);
    ASSERT_EQ(lists.size(), 1u);
    EXPECT_EQ(lists[0].first, std::vector<ClientId>{4});
    EXPECT_EQ(lists[0].second.users.size(), 4u);
    EXPECT_EQ(lists[0].second.total, 4u);
    EXPECT_FALSE(lists[0].second.more);
}

TEST_F(SmallPresence, CrossingTheLimitSendsEveryoneTheFirstChunkInsteadOfAJoin) {
    for (ClientId i = 1; i <= 4; ++i) login(i, nick_of(i));
    Outputs o = login(5, nick_of(5));
    EXPECT_FALSE(core.presence_broadcast_allowed());
    auto joins = sent<Joined>(o);  // only the newcomer's own
    ASSERT_EQ(joins.size(), 1u);
    EXPECT_EQ(joins[0].first, std::vector<ClientId>{5});
    ASSERT_TRUE(std::holds_alternative<Welcome>(o.deliveries.at(0).msg));
    auto lists = sent<UserList>(o);
    ASSERT_EQ(lists.size(), 1u);
    EXPECT_EQ(lists[0].first, range(1, 5));  // the newcomer's list is the same delivery
    EXPECT_EQ(lists[0].second.total, 5u);
    EXPECT_FALSE(lists[0].second.more);
}

TEST_F(SmallPresence, PastTheLimitOnlyTheNewcomerHearsOfItsLogin) {
    for (ClientId i = 1; i <= 5; ++i) login(i, nick_of(i));
    Outputs o = login(6, nick_of(6));
    for (const Delivery& d : o.deliveries) EXPECT_EQ(d.to, std::vector<ClientId>{6});
    auto lists = sent<UserList>(o);
    ASSERT_EQ(lists.size(), 1u);
    EXPECT_EQ(lists[0].second.total, 6u);
}

TEST_F(SmallPresence, PastTheLimitRenamesAndIgnoreChangesStayPrivate) {
    for (ClientId i = 1; i <= 5; ++i) login(i, nick_of(i));
    Outputs o = handle(2, ChangeNick{"zed"});
    auto renames = sent<Renamed>(o);
    ASSERT_EQ(renames.size(), 1u);
    EXPECT_EQ(renames[0].first, std::vector<ClientId>{2});
    EXPECT_EQ(renames[0].second.to, "zed");
    EXPECT_EQ(*core.nick(2), "zed");

    o = handle(3, SetIgnore{true});
    EXPECT_TRUE(sent<IgnoreChanged>(o).empty());
    ASSERT_EQ(sent<IgnoreState>(o).size(), 1u);

    // The partner of a private conversation sees the new name on the next message.
    o = handle(2, Tell{nick_of(1), "hi"});
    auto pm = sent<PrivateMessage>(o);
    ASSERT_EQ(pm.size(), 1u);
    EXPECT_EQ(pm[0].second.from, "zed");
    // Group messages are not presence: still everyone (but the one ignoring).
    auto msgs = sent<GroupMessage>(handle(1, Say{"hello"}));
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].first, (std::vector<ClientId>{1, 2, 4, 5}));
}

TEST_F(SmallPresence, LeavingAQuietCrowdTellsNobodyUntilItIsSmallAgain) {
    for (ClientId i = 1; i <= 6; ++i) login(i, nick_of(i));
    Outputs o = drop(6);  // 5 left: still past the limit
    EXPECT_TRUE(o.deliveries.empty());
    EXPECT_FALSE(core.presence_broadcast_allowed());

    o = drop(5);  // 4 left: back to 90% of the limit (4 - 4/10 = 4): everyone gets the list
    EXPECT_TRUE(core.presence_broadcast_allowed());
    EXPECT_TRUE(sent<Left>(o).empty());
    auto lists = sent<UserList>(o);
    ASSERT_EQ(lists.size(), 1u);
    EXPECT_EQ(lists[0].first, range(1, 4));
    EXPECT_EQ(lists[0].second.users.size(), 4u);
    EXPECT_EQ(lists[0].second.total, 4u);

    o = drop(4);  // presence is told again
    auto lefts = sent<Left>(o);
    ASSERT_EQ(lefts.size(), 1u);
    EXPECT_EQ(lefts[0].first, range(1, 3));
    o = login(7, nick_of(7));
    ASSERT_EQ(sent<Joined>(o).size(), 1u);
}

TEST_F(ChunkedPresence, QuietNewcomersGetOneChunkAndWhoStillGetsEveryone) {
    const std::size_t limit = kUsersPerChunk + 10;
    for (ClientId i = 1; i <= limit; ++i) login(i, nick_of(i));
    Outputs o = login(limit + 1, nick_of(limit + 1));
    auto lists = sent<UserList>(o);
    ASSERT_EQ(lists.size(), 1u);
    EXPECT_EQ(lists[0].first.size(), limit + 1);
    EXPECT_EQ(lists[0].second.users.size(), kUsersPerChunk);
    EXPECT_FALSE(lists[0].second.more);
    EXPECT_EQ(lists[0].second.total, limit + 1);

    lists = sent<UserList>(handle(3, Who{}));
    ASSERT_EQ(lists.size(), 2u);
    EXPECT_TRUE(lists[0].second.more);
    EXPECT_FALSE(lists[1].second.more);
    EXPECT_EQ(lists[0].second.users.size() + lists[1].second.users.size(), limit + 1);
    for (const auto& l : lists) {
        EXPECT_EQ(l.first, std::vector<ClientId>{3});
        EXPECT_EQ(l.second.total, limit + 1);
    }
}

TEST_F(ChunkedPresence, ResumingSendsEveryoneEveryChunk) {
    const std::size_t limit = kUsersPerChunk + 10;
    for (ClientId i = 1; i <= limit + 1; ++i) login(i, nick_of(i));
    const std::size_t resume_at = limit - limit / 10;
    Outputs o;
    for (ClientId i = limit + 1; i > resume_at + 1; --i) {
        o = drop(i);
        EXPECT_TRUE(o.deliveries.empty());
    }
    o = drop(resume_at + 1);
    auto lists = sent<UserList>(o);
    ASSERT_EQ(lists.size(), 1u + (resume_at - 1) / kUsersPerChunk);
    std::size_t users = 0;
    for (const auto& l : lists) {
        EXPECT_EQ(l.first, range(1, resume_at));
        EXPECT_EQ(l.second.total, resume_at);
        users += l.second.users.size();
    }
    EXPECT_EQ(users, resume_at);
    EXPECT_FALSE(lists.back().second.more);
}
