// The chat core's rooms and history, without a socket, a clock or a database: joining, parting,
// topics, lists, per-room delivery and presence, and what goes to (and comes from) the store.
#include "server/chat_core.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "server/memory_store.h"

using namespace natter;
using namespace natter::server;

namespace {

constexpr Millis kNow = 1'700'000'000'000;

class Rooms : public ::testing::Test {
protected:
    explicit Rooms(bool with_store = true) : core(make_config(with_store)) {}

    CoreConfig make_config(bool with_store) {
        CoreConfig c{"natterd test", "motd", 1000, 60'000};
        c.store = with_store ? &store : nullptr;
        c.history_on_join = 3;
        c.presence_limit = 4;
        c.max_rooms = 6;
        return c;
    }

    void login(ClientId id, const std::string& nick) {
        core.connect(id, kNow);
        Outputs o = handle(id, Hello{nick, kProtocolVersion});
        ASSERT_TRUE(core.logged_in(id)) << nick << " was refused";
    }
    Outputs handle(ClientId id, const Message& m, Millis now = kNow) {
        Outputs o;
        core.handle(id, m, now, o);
        return o;
    }
    Outputs drop(ClientId id) {
        Outputs o;
        core.disconnect(id, "gone", kNow, o);
        return o;
    }

    MemoryStore store;
    ChatCore core;
};

class RoomsWithoutHistory : public Rooms {
protected:
    RoomsWithoutHistory() : Rooms(false) {}
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

std::string error_code(const Outputs& o) {
    auto e = sent<Error>(o);
    return e.size() == 1 ? e[0].second.code : "(" + std::to_string(e.size()) + " errors)";
}

// The type names of what `id` receives, in order.
std::vector<std::string> types_to(const Outputs& o, ClientId id) {
    std::vector<std::string> names;
    for (const Delivery& d : o.deliveries)
        if (std::find(d.to.begin(), d.to.end(), id) != d.to.end()) names.push_back(type_name(d.msg));
    return names;
}

using Ids = std::vector<ClientId>;

}  // namespace

// ---- joining -------------------------------------------------------------------------------------

TEST_F(Rooms, LoginJoinsTheLobbyWithTheWholeJoinAnswer) {
    core.connect(1, kNow);
    Outputs o = handle(1, Hello{"ann", kProtocolVersion});
    EXPECT_EQ(types_to(o, 1), (std::vector<std::string>{"welcome", "joined", "users", "history_end"}));
    EXPECT_EQ(core.rooms_of(1), std::vector<std::string>{"#lobby"});
    auto users = sent<UserList>(o);
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].second.room, "#lobby");
    EXPECT_FALSE(users[0].second.users.at(0).op) << "#lobby has no operator";
}

TEST_F(Rooms, JoinCreatesTheRoomAndOnlyItsMembersHear) {
    login(1, "ann");
    login(2, "bob");
    login(3, "cyd");
    Outputs o = handle(1, Join{"#Rust"});
    EXPECT_EQ(types_to(o, 1), (std::vector<std::string>{"joined", "users", "history_end"}));
    EXPECT_TRUE(types_to(o, 2).empty()) << "bob is not in #Rust";
    auto users = sent<UserList>(o);
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].second.room, "#Rust");
    EXPECT_EQ(users[0].second.users, (std::vector<UserInfo>{{"ann", false, true}})) << "the creator is op";

    // Another spelling, even a look-alike, is the same room, which keeps its creator's spelling.
    o = handle(2, Join{"#rUSt"});
    auto joins = sent<Joined>(o);
    ASSERT_EQ(joins.size(), 1u);
    EXPECT_EQ(joins[0].first, (Ids{1, 2}));
    EXPECT_EQ(joins[0].second.room, "#Rust");
    EXPECT_EQ(joins[0].second.nick, "bob");
    users = sent<UserList>(o);
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].first, (Ids{2}));
    EXPECT_EQ(users[0].second.users, (std::vector<UserInfo>{{"ann", false, true}, {"bob", false, false}}));
    EXPECT_EQ(core.rooms_of(2), (std::vector<std::string>{"#lobby", "#Rust"}));
}

TEST_F(Rooms, JoiningAgainAnswersOnlyTheJoiner) {
    login(1, "ann");
    login(2, "bob");
    handle(1, Join{"#go"});
    handle(2, Join{"#go"});
    Outputs o = handle(2, Join{"#GO"});
    for (const Delivery& d : o.deliveries) EXPECT_EQ(d.to, Ids{2}) << type_name(d.msg);
    EXPECT_EQ(types_to(o, 2), (std::vector<std::string>{"joined", "users", "history_end"}));
}

TEST_F(Rooms, BadNamesAndLimitsAreRefused) {
    login(1, "ann");
    EXPECT_EQ(error_code(handle(1, Join{"rust"})), err::kRoomInvalid);
    EXPECT_EQ(error_code(handle(1, Join{"#a b"})), err::kRoomInvalid);
    EXPECT_EQ(error_code(handle(1, Join{"#" + std::string(40, 'x')})), err::kRoomInvalid);
    // The server keeps at most max_rooms (6, #lobby included).
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(sent<Error>(handle(1, Join{"#r" + std::to_string(i)})).empty());
    EXPECT_EQ(core.room_count(), 6u);
    EXPECT_EQ(error_code(handle(1, Join{"#one-too-many"})), err::kTooManyRooms);
    // Joining a room that exists is still fine.
    login(2, "bob");
    EXPECT_TRUE(sent<Error>(handle(2, Join{"#r0"})).empty());
}

TEST_F(Rooms, AClientIsInAtMostTheRoomLimit) {
    CoreConfig c{"natterd test", "motd", 1000, 60'000};
    c.max_rooms = 1000;
    ChatCore big(c);
    big.connect(1, kNow);
    Outputs o;
    big.handle(1, Hello{"ann", kProtocolVersion}, kNow, o);
    for (std::size_t i = 1; i < kMaxRoomsPerClient; ++i) big.handle(1, Join{"#r" + std::to_string(i)}, kNow, o);
    EXPECT_EQ(big.rooms_of(1).size(), kMaxRoomsPerClient);
    o.clear();
    big.handle(1, Join{"#more"}, kNow, o);
    EXPECT_EQ(error_code(o), err::kTooManyRooms);
}

// ---- messages ------------------------------------------------------------------------------------

TEST_F(Rooms, MessagesGoToTheRoomOnly) {
    login(1, "ann");
    login(2, "bob");
    login(3, "cyd");
    handle(1, Join{"#rust"});
    handle(2, Join{"#rust"});
    Outputs o = handle(1, Say{"borrowck!", "#rust"});
    auto msgs = sent<GroupMessage>(o);
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].first, (Ids{1, 2}));
    EXPECT_EQ(msgs[0].second.room, "#rust");
    EXPECT_FALSE(msgs[0].second.history);
    // No room named: #lobby, everyone.
    msgs = sent<GroupMessage>(handle(3, Say{"hi"}));
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].first, (Ids{1, 2, 3}));
    EXPECT_EQ(msgs[0].second.room, "#lobby");
    auto acts = sent<Action>(handle(2, Me{"waves", "#RUST"}));
    ASSERT_EQ(acts.size(), 1u);
    EXPECT_EQ(acts[0].first, (Ids{1, 2}));
    EXPECT_EQ(acts[0].second.room, "#rust");
    // Not a member, or not a room.
    o = handle(3, Say{"let me in", "#rust"});
    EXPECT_EQ(error_code(o), err::kNotInRoom);
    EXPECT_TRUE(sent<GroupMessage>(o).empty());
    EXPECT_EQ(error_code(handle(3, Say{"x", "#nowhere"})), err::kNotInRoom);
    EXPECT_EQ(error_code(handle(3, Me{"x", "rust"})), err::kRoomInvalid);
}

TEST_F(Rooms, IgnoreModeStopsEveryRoomButNotTheEcho) {
    login(1, "ann");
    login(2, "bob");
    handle(1, Join{"#rust"});
    handle(2, Join{"#rust"});
    handle(2, SetIgnore{true});
    for (const char* room : {"#lobby", "#rust"}) {
        auto msgs = sent<GroupMessage>(handle(1, Say{"x", room}));
        ASSERT_EQ(msgs.size(), 1u);
        EXPECT_EQ(msgs[0].first, Ids{1}) << room;
    }
    auto echo = sent<GroupMessage>(handle(2, Say{"from the ignorer", "#rust"}));
    ASSERT_EQ(echo.size(), 1u);
    EXPECT_EQ(echo[0].first, (Ids{1, 2}));
}

TEST_F(Rooms, PrivateMessagesAreNotInRoomsAndNotStored) {
    login(1, "ann");
    login(2, "bob");
    handle(1, Part{"#lobby"});
    auto pm = sent<PrivateMessage>(handle(2, Tell{"ann", "psst"}));
    ASSERT_EQ(pm.size(), 1u);
    EXPECT_EQ(pm[0].first, (Ids{1, 2}));
    EXPECT_TRUE(store.messages().empty());
}

// ---- leaving ---------------------------------------------------------------------------------------

TEST_F(Rooms, PartTellsTheRoomAndForgetsARoomWithNothingToKeep) {
    login(1, "ann");
    login(2, "bob");
    login(3, "cyd");
    handle(1, Join{"#tmp"});
    handle(2, Join{"#tmp"});
    Outputs o = handle(1, Part{"#TMP", "lunch\nnow"});
    auto left = sent<Left>(o);
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].first, (Ids{1, 2}));
    EXPECT_EQ(left[0].second.room, "#tmp");
    EXPECT_EQ(left[0].second.reason, "lunch now") << "one line";
    EXPECT_EQ(core.rooms_of(1), std::vector<std::string>{"#lobby"});
    EXPECT_EQ(error_code(handle(1, Part{"#tmp"})), err::kNotInRoom);
    EXPECT_EQ(core.room_count(), 2u);
    handle(2, Part{"#tmp"});
    EXPECT_EQ(core.room_count(), 1u) << "an empty room without topic or history is forgotten";
    // Parting #lobby is allowed; messages there then no longer reach.
    handle(3, Part{"#lobby"});
    auto msgs = sent<GroupMessage>(handle(1, Say{"hi"}));
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].first, (Ids{1, 2}));
    EXPECT_EQ(error_code(handle(3, Say{"hi"})), err::kNotInRoom);
}

TEST_F(Rooms, ARoomWithATopicOrHistoryOutlivesItsMembers) {
    login(1, "ann");
    handle(1, Join{"#kept"});
    handle(1, TopicRequest{"#kept", std::string("stays")});
    handle(1, Join{"#said"});
    handle(1, Say{"stays too", "#said"});
    handle(1, Part{"#kept"});
    handle(1, Part{"#said"});
    EXPECT_EQ(core.room_count(), 3u);
    auto rooms = sent<RoomList>(handle(1, ListRooms{}));
    ASSERT_EQ(rooms.size(), 1u);
    EXPECT_EQ(rooms[0].second.rooms,
              (std::vector<RoomInfo>{{"#kept", 0, "stays"}, {"#lobby", 1, ""}, {"#said", 0, ""}}));
}

TEST_F(Rooms, QuittingTellsEveryoneWhoSharedARoomOnce) {
    login(1, "ann");
    login(2, "bob");
    login(3, "cyd");
    login(4, "dee");
    handle(4, Part{"#lobby"});  // dee shares no room with ann
    handle(1, Join{"#a"});
    handle(2, Join{"#a"});
    handle(1, Join{"#b"});
    handle(2, Join{"#b"});
    Outputs o = drop(1);
    auto left = sent<Left>(o);
    ASSERT_EQ(left.size(), 1u) << "one notice, not one per room";
    EXPECT_EQ(left[0].first, (Ids{2, 3}));
    EXPECT_EQ(left[0].second.room, "") << "left the server";
    EXPECT_EQ(left[0].second.reason, "gone");
    // The rooms lost their member.
    auto users = sent<UserList>(handle(2, Who{"#a"}));
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].second.users, (std::vector<UserInfo>{{"bob", false, false}})) << "the op left: none now";
}

TEST_F(Rooms, RenamesAndIgnoreChangesGoToThoseWhoShareARoom) {
    login(1, "ann");
    login(2, "bob");
    login(3, "cyd");
    handle(3, Part{"#lobby"});
    auto r = sent<Renamed>(handle(1, ChangeNick{"anne"}));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].first, (Ids{1, 2}));
    auto i = sent<IgnoreChanged>(handle(2, SetIgnore{true}));
    ASSERT_EQ(i.size(), 1u);
    EXPECT_EQ(i[0].first, (Ids{1}));
}

// ---- topics and lists --------------------------------------------------------------------------------

TEST_F(Rooms, TopicIsSetByMembersToldToMembersAndShownOnJoin) {
    login(1, "ann");
    login(2, "bob");
    handle(1, Join{"#rust"});
    Outputs o = handle(1, TopicRequest{"#rust", std::string("borrowck")}, kNow + 5);
    auto topics = sent<Topic>(o);
    ASSERT_EQ(topics.size(), 1u);
    EXPECT_EQ(topics[0].first, Ids{1});
    EXPECT_EQ(topics[0].second.text, "borrowck");
    EXPECT_EQ(topics[0].second.by, "ann");
    EXPECT_EQ(topics[0].second.ts, kNow + 5);
    EXPECT_EQ(o.deliveries.back().durable_for, 1u) << "a topic is stored: held until durable";
    ASSERT_EQ(store.rooms().count("#rust"), 1u);
    EXPECT_EQ(store.rooms().at("#rust").topic, "borrowck");
    // Asking needs no membership; setting does.
    topics = sent<Topic>(handle(2, TopicRequest{"#rust", std::nullopt}));
    ASSERT_EQ(topics.size(), 1u);
    EXPECT_EQ(topics[0].first, Ids{2});
    EXPECT_EQ(topics[0].second.text, "borrowck");
    EXPECT_EQ(error_code(handle(2, TopicRequest{"#rust", std::string("mine")})), err::kNotInRoom);
    EXPECT_EQ(error_code(handle(2, TopicRequest{"#nowhere", std::nullopt})), err::kNoSuchRoom);
    EXPECT_EQ(error_code(handle(1, TopicRequest{"#rust", std::string("two\nlines")})), err::kBadText);
    EXPECT_EQ(error_code(handle(1, TopicRequest{"#rust", std::string(kMaxTopicBytes + 1, 'x')})), err::kBadText);
    // The topic it has already: nothing changes, nothing is stored, nobody hears (the setter
    // neither).
    const std::size_t stored = store.pending();
    o = handle(1, TopicRequest{"#rust", std::string("borrowck")}, kNow + 9);
    EXPECT_TRUE(o.deliveries.empty());
    EXPECT_EQ(store.pending(), stored);
    EXPECT_EQ(sent<Topic>(handle(1, TopicRequest{"#rust", std::nullopt}))[0].second.ts, kNow + 5);
    // The joiner gets it between joined and users.
    o = handle(2, Join{"#rust"});
    EXPECT_EQ(types_to(o, 2), (std::vector<std::string>{"joined", "topic", "users", "history_end"}));
    // An empty text clears it, and everyone in the room hears.
    topics = sent<Topic>(handle(2, TopicRequest{"#rust", std::string()}));
    ASSERT_EQ(topics.size(), 1u);
    EXPECT_EQ(topics[0].first, (Ids{1, 2}));
    EXPECT_EQ(topics[0].second.text, "");
}

TEST_F(Rooms, WhoListsARoomOrEveryone) {
    login(1, "ann");
    login(2, "bob");
    handle(2, Join{"#go"});
    auto users = sent<UserList>(handle(1, Who{"#GO"}));
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].second.room, "#go");
    EXPECT_EQ(users[0].second.users, (std::vector<UserInfo>{{"bob", false, true}}));
    EXPECT_EQ(users[0].second.total, 1u);
    users = sent<UserList>(handle(1, Who{}));
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].second.room, "");
    EXPECT_EQ(users[0].second.users.size(), 2u);
    EXPECT_EQ(error_code(handle(1, Who{"#nowhere"})), err::kNoSuchRoom);
    EXPECT_EQ(error_code(handle(1, Who{"nowhere"})), err::kRoomInvalid);
}

TEST_F(Rooms, RoomListIsSortedAndChunked) {
    CoreConfig c{"natterd test", "motd", 1000, 60'000};
    c.max_rooms = 1000;
    ChatCore big(c);
    Outputs o;
    for (ClientId id = 1; id <= 3; ++id) {
        big.connect(id, kNow);
        big.handle(id, Hello{"u" + std::to_string(id), kProtocolVersion}, kNow, o);
        for (std::size_t i = 0; i < kMaxRoomsPerClient - 1; ++i)
            big.handle(id, Join{"#r" + std::to_string(id) + "-" + std::to_string(100 + i)}, kNow, o);
    }
    o.clear();
    big.handle(1, ListRooms{}, kNow, o);
    auto chunks = sent<RoomList>(o);
    ASSERT_EQ(chunks.size(), 2u);
    EXPECT_EQ(chunks[0].second.rooms.size(), kRoomsPerChunk);
    EXPECT_TRUE(chunks[0].second.more);
    EXPECT_FALSE(chunks[1].second.more);
    EXPECT_EQ(chunks[0].second.rooms.size() + chunks[1].second.rooms.size(), 3 * (kMaxRoomsPerClient - 1) + 1);
    EXPECT_EQ(chunks[0].second.rooms[0].room, "#lobby");
    EXPECT_EQ(chunks[0].second.rooms[0].members, 3u);
}

// ---- presence per room ---------------------------------------------------------------------------

TEST_F(Rooms, ABigRoomGoesQuietWhileASmallOneStillHears) {
    for (ClientId id = 1; id <= 5; ++id) login(id, "u" + std::to_string(id));  // #lobby: 5 > 4
    EXPECT_FALSE(core.presence_broadcast_allowed());
    handle(1, Join{"#small"});
    Outputs o = handle(2, Join{"#small"});
    auto joins = sent<Joined>(o);
    ASSERT_EQ(joins.size(), 1u);
    EXPECT_EQ(joins[0].first, (Ids{1, 2})) << "#small is under the limit";
    // A rename reaches the small room's members, not the quiet lobby's.
    auto r = sent<Renamed>(handle(2, ChangeNick{"two"}));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].first, (Ids{1, 2}));
    // Quitting: only those who share a room that is not quiet.
    auto left = sent<Left>(drop(2));
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].first, (Ids{1}));
    // Back at 4 (90% of the limit rounds to 4): #lobby speaks again, with a fresh list for all.
    EXPECT_TRUE(core.presence_broadcast_allowed());
}

// ---- storage and durability -----------------------------------------------------------------------

TEST_F(Rooms, RoomMessagesAreStoredAndHeldForTheirAuthor) {
    login(1, "ann");
    Outputs o = handle(1, Say{"kept", "#lobby"}, kNow + 7);
    ASSERT_EQ(store.messages().size(), 1u);
    const StoredMessage m = store.messages()[0];  // a copy: the store grows below
    EXPECT_EQ(m.room, "#lobby");
    EXPECT_EQ(m.from, "ann");
    EXPECT_EQ(m.text, "kept");
    EXPECT_EQ(m.ts, kNow + 7);
    EXPECT_FALSE(m.action);
    auto msgs = sent<GroupMessage>(o);
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].second.id, m.id);
    EXPECT_EQ(o.deliveries.back().durable_for, 1u);
    handle(1, Me{"nods"});
    ASSERT_EQ(store.messages().size(), 2u);
    EXPECT_TRUE(store.messages()[1].action);
    EXPECT_GT(store.messages()[1].id, m.id);
}

// A notice (IRC's NOTICE, or a say or tell marked so) keeps its mark everywhere: live, private,
// stored, replayed and found, so that no bot ever answers one.
TEST_F(Rooms, NoticesKeepTheirMarkLiveStoredReplayedAndFound) {
    login(1, "bot");
    login(2, "ann");
    auto msgs = sent<GroupMessage>(handle(1, Say{"build 12 passed", "#lobby", true}));
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].first, (Ids{1, 2}));
    EXPECT_TRUE(msgs[0].second.notice);
    EXPECT_FALSE(sent<GroupMessage>(handle(2, Say{"thanks"}))[0].second.notice);
    ASSERT_EQ(store.messages().size(), 2u);
    EXPECT_TRUE(store.messages()[0].notice);
    EXPECT_FALSE(store.messages()[1].notice);
    auto priv = sent<PrivateMessage>(handle(1, Tell{"ann", "your build passed", true}));
    ASSERT_EQ(priv.size(), 1u);
    EXPECT_TRUE(priv[0].second.notice);
    EXPECT_EQ(store.messages().size(), 2u) << "private messages are not stored";
    login(3, "cyd");
    Outputs o = handle(3, HistoryRequest{"#lobby", 0, 0});
    auto page = sent<GroupMessage>(o);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_TRUE(page[0].second.history);
    EXPECT_TRUE(page[0].second.notice);
    EXPECT_FALSE(page[1].second.notice);
    auto found = sent<Found>(handle(3, Search{"#lobby", "build", 0}));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_TRUE(found[0].second.notice);
}

TEST_F(Rooms, AMessageThatCannotBeStoredIsNotSent) {
    login(1, "ann");
    login(2, "bob");
    store.fail_appends = true;
    Outputs o = handle(1, Say{"lost?"});
    EXPECT_EQ(error_code(o), err::kNotStored);
    EXPECT_TRUE(sent<GroupMessage>(o).empty());
    EXPECT_EQ(error_code(handle(1, TopicRequest{"#lobby", std::string("t")})), err::kNotStored);
    // Not the client's fault: it may go on trying without being disconnected for errors.
    for (int i = 0; i < 20; ++i) handle(1, Say{"again"});
    EXPECT_TRUE(core.logged_in(1));
    store.fail_appends = false;
    EXPECT_EQ(sent<GroupMessage>(handle(1, Say{"now"})).size(), 1u);
}

TEST_F(RoomsWithoutHistory, NothingIsHeldAndHistoryIsUnavailable) {
    login(1, "ann");
    Outputs o = handle(1, Say{"hi"});
    ASSERT_EQ(o.deliveries.size(), 1u);
    EXPECT_EQ(o.deliveries[0].durable_for, 0u);
    EXPECT_EQ(error_code(handle(1, HistoryRequest{"#lobby", 0, 0})), err::kHistoryUnavailable);
    EXPECT_EQ(error_code(handle(1, Search{"#lobby", "hi", 0})), err::kHistoryUnavailable);
    auto ends = sent<HistoryEnd>(handle(1, Join{"#x"}));
    ASSERT_EQ(ends.size(), 1u);
    EXPECT_EQ(ends[0].second.count, 0u);
    EXPECT_FALSE(ends[0].second.more);
}

TEST_F(Rooms, JoiningSendsTheLatestHistoryOldestFirst) {
    login(1, "ann");
    handle(1, Join{"#h"});
    for (int i = 1; i <= 5; ++i) handle(1, Say{"m" + std::to_string(i), "#h"}, kNow + i);
    handle(1, Me{"m6", "#h"}, kNow + 6);
    login(2, "bob");
    Outputs o = handle(2, Join{"#h"});
    EXPECT_EQ(types_to(o, 2), (std::vector<std::string>{"joined", "users", "message", "message", "action",
                                                         "history_end"}));
    auto msgs = sent<GroupMessage>(o);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_TRUE(msgs[0].second.history);
    EXPECT_EQ(msgs[0].second.text, "m4");
    EXPECT_EQ(msgs[0].second.ts, kNow + 4) << "the original time";
    EXPECT_EQ(msgs[0].second.room, "#h");
    auto acts = sent<Action>(o);
    ASSERT_EQ(acts.size(), 1u);
    EXPECT_TRUE(acts[0].second.history);
    auto end = sent<HistoryEnd>(o);
    ASSERT_EQ(end.size(), 1u);
    EXPECT_EQ(end[0].second.count, 3u);
    EXPECT_TRUE(end[0].second.more);
    // In ignore mode: no messages, but "more" says there are some.
    login(3, "cyd");
    handle(3, SetIgnore{true});
    o = handle(3, Join{"#h"});
    EXPECT_TRUE(sent<GroupMessage>(o).empty());
    end = sent<HistoryEnd>(o);
    ASSERT_EQ(end.size(), 1u);
    EXPECT_EQ(end[0].second.count, 0u);
    EXPECT_TRUE(end[0].second.more);
}

TEST_F(Rooms, PagingReachesTheFirstMessage) {
    login(1, "ann");
    handle(1, Join{"#p"});
    for (int i = 1; i <= 10; ++i) handle(1, Say{"m" + std::to_string(i), "#p"});
    std::vector<std::string> seen;
    std::uint64_t before = 0;
    for (int pages = 0; pages < 10; ++pages) {
        Outputs o = handle(1, HistoryRequest{"#p", before, 4});
        auto msgs = sent<GroupMessage>(o);
        std::vector<std::string> page;
        for (const auto& m : msgs) {
            EXPECT_TRUE(m.second.history);
            EXPECT_EQ(m.first, Ids{1});
            page.push_back(m.second.text);
        }
        seen.insert(seen.begin(), page.begin(), page.end());
        auto end = sent<HistoryEnd>(o);
        ASSERT_EQ(end.size(), 1u);
        EXPECT_EQ(end[0].second.count, msgs.size());
        if (!end[0].second.more) break;
        before = msgs.front().second.id;
    }
    std::vector<std::string> all;
    for (int i = 1; i <= 10; ++i) all.push_back("m" + std::to_string(i));
    EXPECT_EQ(seen, all);
    // A limit above the page maximum is clamped.
    for (int i = 0; i < 150; ++i) handle(1, Say{"x", "#p"});
    EXPECT_EQ(sent<GroupMessage>(handle(1, HistoryRequest{"#p", 0, 100000})).size(), kMaxHistoryPage);
    // Only members read a room's history.
    login(2, "bob");
    EXPECT_EQ(error_code(handle(2, HistoryRequest{"#p", 0, 0})), err::kNotInRoom);
    store.fail_reads = true;
    EXPECT_EQ(error_code(handle(1, HistoryRequest{"#p", 0, 0})), err::kHistoryUnavailable);
}

TEST_F(Rooms, SearchAnswersFoundsAndAnEnd) {
    login(1, "ann");
    handle(1, Say{"deploy on friday?"});
    handle(1, Say{"no deploy today"});
    handle(1, Me{"deploys friday anyway"});
    Outputs o = handle(1, Search{"#lobby", "deploy friday", 0});
    auto found = sent<Found>(o);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].second.text, "deploy on friday?");
    EXPECT_FALSE(found[0].second.action);
    EXPECT_TRUE(found[1].second.action);
    EXPECT_EQ(found[1].second.room, "#lobby");
    auto end = sent<SearchEnd>(o);
    ASSERT_EQ(end.size(), 1u);
    EXPECT_EQ(end[0].second.count, 2u);
    EXPECT_FALSE(end[0].second.more);
    EXPECT_EQ(types_to(o, 1).back(), "search_end");
    EXPECT_EQ(error_code(handle(1, Search{"#lobby", "   ", 0})), err::kBadText);
    EXPECT_EQ(error_code(handle(1, Search{"#lobby", std::string(kMaxSearchBytes + 1, 'a'), 0})), err::kBadText);
    EXPECT_EQ(error_code(handle(1, Search{"#lobby", "a\nb", 0})), err::kBadText);
    EXPECT_EQ(error_code(handle(1, Search{"#elsewhere", "a", 0})), err::kNotInRoom);
}

TEST(RoomsRestored, StoredRoomsAndIdsCarryOverARestart) {
    CoreConfig c{"natterd test", "motd", 10, 60'000};
    c.first_message_id = 500;
    ChatCore core(c);
    core.restore_room(StoredRoom{"#Old", "still here", "ann", 42, true, {}});
    core.restore_room(StoredRoom{"#lobby", "lobby topic", "bob", 43, true, {}});
    core.restore_room(StoredRoom{"not a room", "", "", 0, true, {}});  // refused by today's rule: skipped
    EXPECT_EQ(core.room_count(), 2u);
    Outputs o;
    core.connect(1, kNow);
    core.handle(1, Hello{"cyd", kProtocolVersion}, kNow, o);
    auto topics = sent<Topic>(o);
    ASSERT_EQ(topics.size(), 1u);
    EXPECT_EQ(topics[0].second.text, "lobby topic");
    o.clear();
    core.handle(1, Join{"#old"}, kNow, o);
    topics = sent<Topic>(o);
    ASSERT_EQ(topics.size(), 1u);
    EXPECT_EQ(topics[0].second.room, "#Old");
    EXPECT_EQ(topics[0].second.ts, 42u);
    o.clear();
    core.handle(1, Say{"next"}, kNow, o);
    auto msgs = sent<GroupMessage>(o);
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].second.id, 500u);
}
