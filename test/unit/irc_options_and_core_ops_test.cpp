// The IRC listener's options, and the chat core's operators, modes, kick and away (what IRC
// asks of the core) without a socket.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "server/chat_core.h"
#include "server/options.h"

using namespace natter;
using namespace natter::server;

namespace {

constexpr Millis kNow = 1'700'000'000'000;

TEST(IrcOptions, OffByDefaultAndParsed) {
    auto d = std::get<Options>(parse_options({}));
    EXPECT_FALSE(d.irc);
    EXPECT_EQ(d.irc_bind, "127.0.0.1");
    EXPECT_EQ(d.server_name, "natter.local");
    auto o = std::get<Options>(parse_options({"--irc-port", "0", "--irc-bind=::1", "--irc-password", "pw",
                                              "--server-name", "irc.example-1.org"}));
    EXPECT_TRUE(o.irc);
    EXPECT_EQ(o.irc_port, 0);
    EXPECT_EQ(o.irc_bind, "::1");
    EXPECT_EQ(o.irc_password, "pw");
    EXPECT_EQ(o.server_name, "irc.example-1.org");
}

TEST(IrcOptions, RefusesWhatWouldBreakALine) {
    for (std::vector<std::string> bad : {std::vector<std::string>{"--irc-port", "65536"},
                                         {"--irc-port", "x"},
                                         {"--irc-bind", ""},
                                         {"--irc-password", "two words"},
                                         {"--irc-password", ""},
                                         {"--irc-password", std::string(129, 'p')},
                                         {"--server-name", "a b"},
                                         {"--server-name", "nick!user"},
                                         {"--server-name", ""}}) {
        auto p = parse_options(bad);
        ASSERT_TRUE(std::holds_alternative<Exit>(p)) << bad[0] << " " << bad[1];
        EXPECT_EQ(std::get<Exit>(p).status, 2);
    }
}

class IrcCoreOps : public ::testing::Test {
protected:
    IrcCoreOps() : core(config()) {}
    static CoreConfig config() {
        CoreConfig c;
        c.presence_limit = 3;  // #big below goes quiet with four members
        return c;
    }
    void login(ClientId id, const std::string& nick) {
        core.connect(id, kNow);
        Outputs o;
        core.handle(id, Hello{nick, kProtocolVersion}, kNow, o);
        ASSERT_TRUE(core.logged_in(id));
    }
    Outputs handle(ClientId id, const Message& m) {
        Outputs o;
        core.handle(id, m, kNow, o);
        return o;
    }
    static const Error* error_in(const Outputs& o) {
        for (const Delivery& d : o.deliveries)
            if (const auto* e = std::get_if<Error>(&d.msg)) return e;
        return nullptr;
    }
    ChatCore core;
};

TEST_F(IrcCoreOps, LookupsByNicknameAndRoom) {
    login(1, "Ann");
    EXPECT_EQ(core.find_nick("ann"), 1u);
    EXPECT_EQ(core.find_nick("bob"), 0u);
    EXPECT_EQ(core.find_nick("bad nick"), 0u);
    EXPECT_FALSE(core.nick_available(2, "ANN"));
    EXPECT_TRUE(core.nick_available(1, "ANN"));  // one's own, in another case
    EXPECT_TRUE(core.nick_available(2, "bob"));
    handle(1, Join{"#Rust"});
    EXPECT_EQ(core.room_name("#rust"), "#Rust");
    EXPECT_EQ(core.room_name("#nope"), "");
    EXPECT_TRUE(core.is_operator("#rust", 1));
    EXPECT_FALSE(core.is_operator("#lobby", 1));  // #lobby has no operator
}

TEST_F(IrcCoreOps, OnlyOperatorsKickAndTheKickIsALeftWithBy) {
    login(1, "ann");
    login(2, "bob");
    login(3, "cat");
    handle(1, Join{"#r"});
    handle(2, Join{"#r"});
    handle(3, Join{"#r"});
    Outputs o;
    core.kick_from_room(2, "#r", "cat", "no", kNow, o);
    ASSERT_NE(error_in(o), nullptr);
    EXPECT_EQ(error_in(o)->code, err::kNotOperator);
    o.clear();
    core.kick_from_room(1, "#r", "CAT", "spam", kNow, o);
    ASSERT_EQ(o.deliveries.size(), 1u);
    const Left& l = std::get<Left>(o.deliveries[0].msg);
    EXPECT_EQ(l.nick, "cat");
    EXPECT_EQ(l.by, "ann");
    EXPECT_EQ(l.reason, "spam");
    EXPECT_EQ(l.room, "#r");
    auto to = o.deliveries[0].to;
    std::sort(to.begin(), to.end());
    EXPECT_EQ(to, (std::vector<ClientId>{1, 2, 3}));
    EXPECT_EQ(core.rooms_of(3), std::vector<std::string>{"#lobby"});
    o.clear();
    core.kick_from_room(1, "#r", "cat", "", kNow, o);
    EXPECT_EQ(error_in(o)->code, err::kUserNotInRoom);
}

TEST_F(IrcCoreOps, ModesRefuseNatterUsersToo) {
    login(1, "ann");
    login(2, "bob");
    handle(1, Join{"#r"});
    handle(2, Join{"#r"});
    Outputs o;
    core.set_room_mode(2, "#r", 'm', true, "", kNow, o);
    EXPECT_EQ(error_in(o)->code, err::kNotOperator);
    o.clear();
    core.set_room_mode(1, "#r", 'm', true, "", kNow, o);
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].mode, 'm');
    EXPECT_TRUE(core.room_modes("#r")->moderated);
    EXPECT_EQ(error_in(handle(2, Say{"hi", "#r"}))->code, err::kNotOperator);
    // Setting what is already set changes nothing and tells nobody.
    o.clear();
    core.set_room_mode(1, "#r", 'm', true, "", kNow, o);
    EXPECT_TRUE(o.mode_changes.empty());
    // +o: bob may now speak; natter members get the fresh list.
    o.clear();
    core.set_room_mode(1, "#r", 'o', true, "bob", kNow, o);
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].nick, "bob");
    EXPECT_TRUE(std::any_of(o.deliveries.begin(), o.deliveries.end(),
                            [](const Delivery& d) { return std::holds_alternative<UserList>(d.msg); }));
    EXPECT_EQ(error_in(handle(2, Say{"hi", "#r"})), nullptr);
    o.clear();
    core.set_room_mode(1, "#r", 'x', true, "", kNow, o);
    EXPECT_EQ(error_in(o)->code, err::kUnknownMode);
    // +t: only operators set the topic.
    o.clear();
    core.set_room_mode(1, "#r", 'o', false, "bob", kNow, o);
    core.set_room_mode(1, "#r", 't', true, "", kNow, o);
    EXPECT_EQ(error_in(handle(2, TopicRequest{"#r", std::string("mine")}))->code, err::kNotOperator);
    EXPECT_EQ(error_in(handle(1, TopicRequest{"#r", std::string("mine")})), nullptr);
}

TEST_F(IrcCoreOps, AwayIsOneShortLine) {
    login(1, "ann");
    EXPECT_EQ(core.away(1), "");
    core.set_away(1, "out\nfor lunch");
    EXPECT_EQ(core.away(1), "out for lunch");
    core.set_away(1, "");
    EXPECT_EQ(core.away(1), "");
    core.set_away(99, "nobody");  // unknown ids are ignored
    EXPECT_EQ(core.away(99), "");
}

}  // namespace
