// natterd over real sockets: login, group and private chat, ignore mode, nicknames, who, help,
// leaving, with 2, 3 and 50 clients.
#include <set>
#include <vector>

#include "server_test_util.h"

using namespace natter;
using namespace natter::itest;

TEST(ServerChat, TwoClientsChat) {
    NatterdProcess natterd({"--motd", "welcome, testers"});
    WireClient alice(natterd.port());
    auto w = alice.login("alice");
    ASSERT_TRUE(w);
    EXPECT_EQ(w->motd, "welcome, testers");
    EXPECT_EQ(w->version, kProtocolVersion);
    EXPECT_EQ(w->server.rfind("natterd ", 0), 0u);
    EXPECT_EQ(alice.users(), (std::vector<UserInfo>{{"alice", false}}));

    auto bob = join(natterd.port(), "bob");
    EXPECT_EQ(bob->users(), (std::vector<UserInfo>{{"alice", false}, {"bob", false}}));
    EXPECT_EQ(expect<Joined>(alice).nick, "bob");

    alice.send(Say{"hello bob"});
    auto to_bob = expect<GroupMessage>(*bob);
    auto echo = expect<GroupMessage>(alice);
    EXPECT_EQ(to_bob.from, "alice");
    EXPECT_EQ(to_bob.text, "hello bob");
    EXPECT_GT(to_bob.ts, 0u);
    EXPECT_EQ(echo.id, to_bob.id) << "the sender's echo carries the server's id";
    EXPECT_EQ(echo.ts, to_bob.ts);

    bob->send(Say{"hi alice ☃"});
    auto to_alice = expect<GroupMessage>(alice);
    EXPECT_EQ(to_alice.text, "hi alice ☃");
    EXPECT_GT(to_alice.id, to_bob.id);
    EXPECT_EQ(expect<GroupMessage>(*bob).id, to_alice.id);

    alice.send(Me{"waves"});
    auto act = expect<Action>(*bob);
    EXPECT_EQ(act.from, "alice");
    EXPECT_EQ(act.text, "waves");
    EXPECT_EQ(expect<Action>(alice).id, act.id);
    EXPECT_TRUE(natterd.alive());
    expect_clean_exit(natterd);
}

TEST(ServerChat, PrivateMessagesReachOnlyTheirTarget) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    auto bob = join(natterd.port(), "Bob");
    auto carol = join(natterd.port(), "carol");

    alice->send(Tell{"BOB", "psst"});
    auto pm = expect<PrivateMessage>(*bob);
    EXPECT_EQ(pm.from, "alice");
    EXPECT_EQ(pm.to, "Bob");
    EXPECT_EQ(pm.text, "psst");
    EXPECT_EQ(expect<PrivateMessage>(*alice).id, pm.id);

    // Carol's next chat message is the group message sent after the private one.
    alice->send(Say{"sentinel"});
    auto next = next_chat(*carol);
    ASSERT_TRUE(next);
    ASSERT_TRUE(std::holds_alternative<GroupMessage>(*next));
    EXPECT_EQ(std::get<GroupMessage>(*next).text, "sentinel");

    alice->send(Tell{"nobody", "hello?"});
    expect_error(*alice, err::kNoSuchNick);
    expect_clean_exit(natterd);
}

TEST(ServerChat, IgnoreModeStopsGroupChatButNotPrivates) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    auto bob = join(natterd.port(), "bob");

    bob->send(SetIgnore{true});
    EXPECT_TRUE(expect<IgnoreState>(*bob).on);
    auto changed = expect<IgnoreChanged>(*alice);
    EXPECT_EQ(changed.nick, "bob");
    EXPECT_TRUE(changed.on);

    alice->send(Say{"not for bob"});
    alice->send(Tell{"bob", "but this is"});
    auto next = next_chat(*bob);
    ASSERT_TRUE(next);
    ASSERT_TRUE(std::holds_alternative<PrivateMessage>(*next)) << type_name(*next);
    EXPECT_EQ(std::get<PrivateMessage>(*next).text, "but this is");

    // Bob still gets the echo of what he says himself.
    bob->send(Say{"I can talk"});
    EXPECT_EQ(expect<GroupMessage>(*bob).text, "I can talk");

    alice->send(Who{});
    auto users = expect<UserList>(*alice);
    EXPECT_EQ(users.users, (std::vector<UserInfo>{{"alice", false}, {"bob", true}}));

    bob->send(SetIgnore{false});
    EXPECT_FALSE(expect<IgnoreState>(*bob).on);
    EXPECT_FALSE(expect<IgnoreChanged>(*alice).on);
    alice->send(Say{"welcome back"});
    next = next_chat(*bob);
    ASSERT_TRUE(next);
    ASSERT_TRUE(std::holds_alternative<GroupMessage>(*next));
    EXPECT_EQ(std::get<GroupMessage>(*next).text, "welcome back");
    expect_clean_exit(natterd);
}

TEST(ServerChat, TakenNicknamesAreRefusedAndRetryWorks) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    WireClient other(natterd.port());
    EXPECT_FALSE(other.login("ALICE"));
    ASSERT_TRUE(other.last_error());
    EXPECT_EQ(other.last_error()->code, err::kNickTaken);
    EXPECT_NE(other.last_error()->text.find("taken"), std::string::npos);
    // Cyrillic а, palochka, і, с, е: looks like "alice".
    EXPECT_FALSE(other.login("\u0430\u04cf\u0456\u0441\u0435"));
    ASSERT_TRUE(other.last_error());
    EXPECT_EQ(other.last_error()->code, err::kNickTaken);
    EXPECT_FALSE(other.login("two words"));
    EXPECT_EQ(other.last_error()->code, err::kNickInvalid);
    EXPECT_FALSE(other.login("evil\u202e"));
    EXPECT_EQ(other.last_error()->code, err::kNickInvalid);
    // Same connection, a free name: accepted.
    EXPECT_TRUE(other.login("小明"));
    EXPECT_EQ(expect<Joined>(*alice).nick, "小明");
    expect_clean_exit(natterd);
}

TEST(ServerChat, RenameTellsEveryoneAndFreesTheOldName) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    auto bob = join(natterd.port(), "bob");
    alice->send(ChangeNick{"alicia"});
    auto seen_by_bob = expect<Renamed>(*bob);
    EXPECT_EQ(seen_by_bob.from, "alice");
    EXPECT_EQ(seen_by_bob.to, "alicia");
    EXPECT_EQ(expect<Renamed>(*alice).to, "alicia");

    bob->send(Tell{"alicia", "nice name"});
    EXPECT_EQ(expect<PrivateMessage>(*alice).to, "alicia");
    alice->send(ChangeNick{"BOB"});
    expect_error(*alice, err::kNickTaken);

    auto newcomer = join(natterd.port(), "alice");
    EXPECT_EQ(newcomer->users(), (std::vector<UserInfo>{{"alice", false}, {"alicia", false}, {"bob", false}}));
    expect_clean_exit(natterd);
}

TEST(ServerChat, BeforeLoginOnlyHelloPingHelpAndQuit) {
    NatterdProcess natterd;
    WireClient c(natterd.port());
    c.send(Say{"too early"});
    expect_error(c, err::kNotLoggedIn);
    c.send(Ping{"tok"});
    EXPECT_EQ(expect<Pong>(c).token, "tok");
    c.send(HelpRequest{});
    auto help = expect<HelpAnswer>(c);
    bool has_say = false;
    for (const auto& cmd : help.commands) has_say = has_say || (cmd.name == "say" && !cmd.usage.empty());
    EXPECT_TRUE(has_say);
    EXPECT_TRUE(c.login("late"));
    c.send(Hello{"again", kProtocolVersion});
    expect_error(c, err::kAlreadyLoggedIn);
    expect_clean_exit(natterd);
}

TEST(ServerChat, LeavingIsAnnouncedWithTheReason) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    {
        auto bob = join(natterd.port(), "bob");
        EXPECT_EQ(expect<Joined>(*alice).nick, "bob");
    }  // bob's socket closes without a word
    EXPECT_EQ(expect_left(*alice, "bob"), "connection closed");

    auto carol = join(natterd.port(), "carol");
    carol->send(Quit{"off to lunch"});
    EXPECT_EQ(expect<Bye>(*carol).reason, "goodbye");
    EXPECT_TRUE(carol->wait_closed());
    EXPECT_EQ(expect_left(*alice, "carol"), "quit: off to lunch");

    auto dave = join(natterd.port(), "dave");
    dave->send(Quit{});
    EXPECT_TRUE(dave->wait_closed());
    EXPECT_EQ(expect_left(*alice, "dave"), "quit");

    // Nobody is left behind in the list.
    alice->send(Who{});
    EXPECT_EQ(expect<UserList>(*alice).users, (std::vector<UserInfo>{{"alice", false}}));
    expect_clean_exit(natterd);
}

TEST(ServerChat, FiftyClientsEachSeeEveryMessageInOrder) {
    NatterdProcess natterd;
    constexpr int kClients = 50;
    std::vector<std::unique_ptr<WireClient>> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(join(natterd.port(), "user" + std::to_string(i)));
        ASSERT_FALSE(::testing::Test::HasFailure());
    }
    EXPECT_EQ(clients.back()->users().size(), static_cast<std::size_t>(kClients));
    for (int i = 0; i < kClients; ++i) clients[i]->send(Say{"from " + std::to_string(i)});
    for (int r = 0; r < kClients; ++r) {
        std::set<std::string> texts;
        std::uint64_t last_id = 0;
        for (int i = 0; i < kClients; ++i) {
            auto m = next_chat(*clients[r]);
            ASSERT_TRUE(m) << "client " << r << " got only " << i << " messages";
            const auto& g = std::get<GroupMessage>(*m);
            EXPECT_GT(g.id, last_id) << "ids increase in delivery order";
            last_id = g.id;
            texts.insert(g.text);
        }
        EXPECT_EQ(texts.size(), static_cast<std::size_t>(kClients)) << "client " << r;
    }
    EXPECT_TRUE(natterd.alive());
    expect_clean_exit(natterd);
}
