// Rooms over real sockets: join, part and topic notices, per-room delivery, room and member
// lists, and history on join (with the original ids and times), paging back to the very first
// message, and search.
#include <algorithm>
#include <string>
#include <vector>

#include "server_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

// Joins `room` and reads the whole join answer; returns the history messages in it.
struct JoinAnswer {
    std::vector<UserInfo> users;
    std::optional<Topic> topic;
    std::vector<GroupMessage> history;
    HistoryEnd end;
};

JoinAnswer join_room(WireClient& c, const std::string& room, const std::string& nick) {
    c.send(Join{room});
    JoinAnswer a;
    // What comes before our own joined (the rest of an earlier answer) is not this answer.
    std::string name;  // the room's name as the server spells it
    bool joined = false;
    const bool done = receive_until(c, [&](const Message& m) {
        if (const auto* j = std::get_if<Joined>(&m); j && j->nick == nick && !joined) {
            joined = true;
            name = j->room;
        }
        if (!joined) return false;
        if (const auto* t = std::get_if<Topic>(&m); t && t->room == name) a.topic = *t;
        if (const auto* u = std::get_if<UserList>(&m); u && u->room == name)
            a.users.insert(a.users.end(), u->users.begin(), u->users.end());
        if (const auto* g = std::get_if<GroupMessage>(&m); g && g->history && g->room == name) a.history.push_back(*g);
        if (const auto* e = std::get_if<HistoryEnd>(&m); e && e->room == name) {
            a.end = *e;
            return true;
        }
        return false;
    }, 10000ms);
    EXPECT_TRUE(done) << "no history_end after joining " << room;
    EXPECT_TRUE(joined) << "no joined for " << nick << " in " << room;
    return a;
}

// Says `text` in `room` and waits for the echo: the acknowledgement, with the message's id.
GroupMessage say(WireClient& c, const std::string& room, const std::string& text) {
    c.send(Say{text, room});
    GroupMessage echo;
    const bool got = receive_until(c, [&](const Message& m) {
        const auto* g = std::get_if<GroupMessage>(&m);
        if (g == nullptr || g->history || g->text != text) return false;
        echo = *g;
        return true;
    }, 10000ms);
    EXPECT_TRUE(got) << "no echo for " << text;
    return echo;
}

// Everything `c` receives up to the pong for `token` (natterd answers in order).
std::vector<Message> drain(WireClient& c, const std::string& token) {
    std::vector<Message> got;
    c.send(Ping{token});
    const bool answered = receive_until(c, [&](const Message& m) {
        if (const auto* p = std::get_if<Pong>(&m); p != nullptr && p->token == token) return true;
        got.push_back(m);
        return false;
    }, 10000ms);
    EXPECT_TRUE(answered) << "no pong " << token;
    return got;
}

template <class T>
std::vector<T> all_of(const std::vector<Message>& ms) {
    std::vector<T> r;
    for (const auto& m : ms)
        if (const auto* t = std::get_if<T>(&m)) r.push_back(*t);
    return r;
}

}  // namespace

TEST(Rooms, JoinPartTopicAndPerRoomDelivery) {
    NatterdProcess natterd;
    auto ann = join(natterd.port(), "ann");
    auto bob = join(natterd.port(), "bob");
    auto cyd = join(natterd.port(), "cyd");
    for (auto* c : {ann.get(), bob.get(), cyd.get()}) drain(*c, "settled");

    JoinAnswer a = join_room(*ann, "#Rust", "ann");
    ASSERT_EQ(a.users.size(), 1u);
    EXPECT_TRUE(a.users[0].op) << "the creator is the operator";
    EXPECT_EQ(a.end.count, 0u);
    JoinAnswer b = join_room(*bob, "#rust", "bob");
    EXPECT_EQ(b.users.size(), 2u);
    auto heard = all_of<Joined>(drain(*ann, "1"));
    ASSERT_EQ(heard.size(), 1u);
    EXPECT_EQ(heard[0].nick, "bob");
    EXPECT_EQ(heard[0].room, "#Rust");
    EXPECT_TRUE(all_of<Joined>(drain(*cyd, "1")).empty()) << "cyd is not in #Rust";

    // A message to the room reaches its members only; #lobby still reaches everyone.
    const GroupMessage echo = say(*ann, "#Rust", "borrowck");
    EXPECT_EQ(echo.room, "#Rust");
    auto to_bob = all_of<GroupMessage>(drain(*bob, "2"));
    ASSERT_EQ(to_bob.size(), 1u);
    EXPECT_EQ(to_bob[0].id, echo.id);
    EXPECT_FALSE(to_bob[0].history);
    EXPECT_TRUE(all_of<GroupMessage>(drain(*cyd, "2")).empty());
    cyd->send(Say{"me too", "#Rust"});
    EXPECT_EQ(expect_error(*cyd, err::kNotInRoom).code, err::kNotInRoom);
    say(*cyd, kLobby, "lobby");
    EXPECT_EQ(all_of<GroupMessage>(drain(*ann, "3")).size(), 1u);

    // The topic: every member hears; anyone may ask; the next joiner gets it.
    bob->send(TopicRequest{"#rust", std::string("ownership and borrowing")});
    EXPECT_EQ(expect<Topic>(*bob).text, "ownership and borrowing");  // handled: now ask ann
    auto topics = all_of<Topic>(drain(*ann, "4"));
    ASSERT_EQ(topics.size(), 1u);
    EXPECT_EQ(topics[0].by, "bob");
    EXPECT_EQ(topics[0].text, "ownership and borrowing");
    cyd->send(TopicRequest{"#RUST", std::nullopt});
    EXPECT_EQ(expect<Topic>(*cyd).text, "ownership and borrowing");
    JoinAnswer c = join_room(*cyd, "#rust", "cyd");
    ASSERT_TRUE(c.topic.has_value());
    EXPECT_EQ(c.topic->text, "ownership and borrowing");
    EXPECT_EQ(c.history.size(), 1u) << "the room's one message";

    // Parting: the room hears it with the reason; the room list shows the counts.
    bob->send(Part{"#rust", "lunch"});
    EXPECT_EQ(expect<Left>(*bob).room, "#Rust") << "the one who parts hears it too";
    auto left = all_of<Left>(drain(*ann, "5"));
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].nick, "bob");
    EXPECT_EQ(left[0].room, "#Rust");
    EXPECT_EQ(left[0].reason, "lunch");
    ann->send(ListRooms{});
    RoomList rooms = expect<RoomList>(*ann);
    EXPECT_EQ(rooms.rooms, (std::vector<RoomInfo>{{"#lobby", 3, ""}, {"#Rust", 2, "ownership and borrowing"}}));
    ann->send(Who{"#rust"});
    UserList members = expect<UserList>(*ann);
    EXPECT_EQ(members.room, "#Rust");
    ASSERT_EQ(members.users.size(), 2u);
    expect_clean_exit(natterd);
}

TEST(Rooms, HistoryOnJoinPagingToTheFirstMessageAndSearch) {
    NatterdProcess natterd({"--history", "20", "--no-flood-limit"});
    auto ann = join(natterd.port(), "ann");
    join_room(*ann, "#log", "ann");
    std::vector<GroupMessage> said;
    for (int i = 1; i <= 130; ++i)
        said.push_back(say(*ann, "#log", (i == 77 ? "deploy on friday, number " : "line ") + std::to_string(i)));
    for (std::size_t i = 1; i < said.size(); ++i) ASSERT_GT(said[i].id, said[i - 1].id);

    auto bob = join(natterd.port(), "bob");
    JoinAnswer b = join_room(*bob, "#log", "bob");
    ASSERT_EQ(b.history.size(), 20u);
    EXPECT_TRUE(b.end.more);
    for (std::size_t i = 0; i < 20; ++i) {
        const GroupMessage& h = b.history[i];
        const GroupMessage& s = said[110 + i];
        EXPECT_EQ(h.id, s.id);
        EXPECT_EQ(h.ts, s.ts) << "the original time";
        EXPECT_EQ(h.text, s.text);
        EXPECT_EQ(h.from, "ann");
        EXPECT_EQ(h.room, "#log");
    }

    // Page back until the server says there is no more: every message, once, in order.
    std::vector<GroupMessage> pages = b.history;
    for (int n = 0; n < 20 && b.end.more; ++n) {
        bob->send(HistoryRequest{"#log", pages.front().id, 50});
        std::vector<GroupMessage> page;
        HistoryEnd end;
        ASSERT_TRUE(receive_until(*bob, [&](const Message& m) {
            if (const auto* g = std::get_if<GroupMessage>(&m); g && g->history) page.push_back(*g);
            if (const auto* e = std::get_if<HistoryEnd>(&m)) {
                end = *e;
                return true;
            }
            return false;
        }, 10000ms));
        EXPECT_EQ(end.count, page.size());
        EXPECT_LE(page.size(), 50u);
        pages.insert(pages.begin(), page.begin(), page.end());
        b.end = end;
    }
    ASSERT_EQ(pages.size(), said.size());
    for (std::size_t i = 0; i < said.size(); ++i) EXPECT_EQ(pages[i].id, said[i].id);
    EXPECT_EQ(pages.front().text, "line 1");

    // Search: the one message with both words, with its time and author. natterd indexes in
    // the background, a moment behind the messages: ask again until it is there (or 10 s).
    std::vector<Found> found;
    SearchEnd se;
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    do {
        found.clear();
        bob->send(Search{"#log", "FRIDAY deplo", 0});
        ASSERT_TRUE(receive_until(*bob, [&](const Message& m) {
            if (const auto* f = std::get_if<Found>(&m)) found.push_back(*f);
            if (const auto* e = std::get_if<SearchEnd>(&m)) {
                se = *e;
                return true;
            }
            return false;
        }, 10000ms));
    } while (found.empty() && std::chrono::steady_clock::now() < give_up);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].id, said[76].id);
    EXPECT_EQ(found[0].ts, said[76].ts);
    EXPECT_EQ(found[0].from, "ann");
    EXPECT_EQ(se.count, 1u);
    EXPECT_FALSE(se.more);
    // Private messages are not history.
    ann->send(Tell{"bob", "secret"});
    expect<PrivateMessage>(*bob);
    bob->send(Search{"#log", "secret", 0});
    EXPECT_EQ(expect<SearchEnd>(*bob).count, 0u);
    expect_clean_exit(natterd);
}

TEST(Rooms, WithoutHistoryRoomsStillWork) {
    NatterdProcess natterd({"--no-history"});
    auto ann = join(natterd.port(), "ann");
    say(*ann, kLobby, "not kept");
    auto bob = join(natterd.port(), "bob");
    JoinAnswer b = join_room(*bob, "#x", "bob");
    EXPECT_EQ(b.end.count, 0u);
    bob->send(HistoryRequest{"#x", 0, 0});
    expect_error(*bob, err::kHistoryUnavailable);
    expect_clean_exit(natterd);
}
