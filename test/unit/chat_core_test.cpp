// The chat core on its own: every feature and every refusal, without a socket or a clock.
#include "server/chat_core.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "server/commands.h"
#include "shared/text.h"

using namespace natter;
using namespace natter::server;

namespace {

constexpr Millis kNow = 1'700'000'000'000;

class Core : public ::testing::Test {
protected:
    Core() : core(CoreConfig{"natterd test", "hello motd", 10, 60'000}) {}

    // Connects `id` and logs it in; fails the test if the login is refused.
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

    ChatCore core;
};

// The messages of type T in the outputs, each with its recipients (sorted).
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

// The only Error in the outputs, sent to `id`.
Error only_error(const Outputs& o, ClientId id) {
    auto errors = sent<Error>(o);
    EXPECT_EQ(errors.size(), 1u);
    if (errors.empty()) return {};
    EXPECT_EQ(errors[0].first, std::vector<ClientId>{id});
    return errors[0].second;
}

std::vector<ClientId> ids(std::initializer_list<ClientId> l) { return std::vector<ClientId>(l); }

}  // namespace

// ---- login -------------------------------------------------------------------------------------

TEST_F(Core, HelloWelcomesWithUserListAndTellsTheOthers) {
    login(1, "alice");
    core.connect(2, kNow);
    Outputs o = handle(2, Hello{"Bob", kProtocolVersion});
    ASSERT_TRUE(core.logged_in(2));
    ASSERT_GE(o.deliveries.size(), 3u);
    // Welcome first, then the #lobby join answer (its list) to the newcomer; the join to the
    // others and to the newcomer itself.
    const auto* w = std::get_if<Welcome>(&o.deliveries[0].msg);
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(o.deliveries[0].to, ids({2}));
    EXPECT_EQ(w->nick, "Bob");
    EXPECT_EQ(w->server, "natterd test");
    EXPECT_EQ(w->motd, "hello motd");
    EXPECT_EQ(w->version, kProtocolVersion);
    auto lists = sent<UserList>(o);
    ASSERT_EQ(lists.size(), 1u);
    EXPECT_EQ(lists[0].first, ids({2}));
    EXPECT_FALSE(lists[0].second.more);
    ASSERT_EQ(lists[0].second.users.size(), 2u);
    EXPECT_EQ(lists[0].second.users[0].nick, "alice");
    EXPECT_EQ(lists[0].second.users[1].nick, "Bob");
    EXPECT_EQ(lists[0].second.room, kLobby);
    auto joins = sent<Joined>(o);
    ASSERT_EQ(joins.size(), 1u);
    EXPECT_EQ(joins[0].first, ids({1, 2}));
    EXPECT_EQ(joins[0].second.room, kLobby);
    EXPECT_EQ(joins[0].second.nick, "Bob");
    EXPECT_EQ(joins[0].second.ts, kNow);
    EXPECT_EQ(*core.nick(2), "Bob");
    EXPECT_EQ(core.online(), 2u);
}

TEST_F(Core, ClientConnectedWithoutLobbyJoinsNoRoomButIsOnline) {
    login(1, "alice");
    core.connect(2, kNow, false);  // as IRC clients are: they choose their rooms
    Outputs o = handle(2, Hello{"bob", kProtocolVersion});
    ASSERT_TRUE(core.logged_in(2));
    EXPECT_EQ(sent<Welcome>(o).size(), 1u);
    EXPECT_TRUE(sent<Joined>(o).empty());
    EXPECT_TRUE(sent<UserList>(o).empty());
    EXPECT_TRUE(core.rooms_of(2).empty());
    // Still online: a private message reaches it, and the whole list shows it.
    o = handle(1, Tell{"bob", "psst"});
    ASSERT_EQ(sent<PrivateMessage>(o).size(), 1u);
    EXPECT_EQ(sent<PrivateMessage>(o)[0].first, ids({1, 2}));
    o = handle(1, Who{""});
    ASSERT_EQ(sent<UserList>(o).size(), 1u);
    EXPECT_EQ(sent<UserList>(o)[0].second.users.size(), 2u);
    // The lobby's talk does not reach it until it joins.
    o = handle(1, Say{"hi all", "#lobby"});
    ASSERT_EQ(sent<GroupMessage>(o).size(), 1u);
    EXPECT_EQ(sent<GroupMessage>(o)[0].first, ids({1}));
    handle(2, Join{"#lobby"});
    o = handle(1, Say{"hi again", "#lobby"});
    EXPECT_EQ(sent<GroupMessage>(o)[0].first, ids({1, 2}));
}

TEST_F(Core, FirstUserHearsOnlyOfItsOwnJoinAndSeesOnlyItself) {
    core.connect(1, kNow);
    Outputs o = handle(1, Hello{"alice", kProtocolVersion});
    auto joins = sent<Joined>(o);
    ASSERT_EQ(joins.size(), 1u);
    EXPECT_EQ(joins[0].first, ids({1}));
    auto lists = sent<UserList>(o);
    ASSERT_EQ(lists.size(), 1u);
    EXPECT_EQ(lists[0].second.users, (std::vector<UserInfo>{{"alice", false}}));
}

TEST_F(Core, UnicodeNicknamesAreWelcome) {
    login(1, "渡辺");
    login(2, "Ёжик");
    login(3, "たなか");
    EXPECT_EQ(*core.nick(1), "渡辺");
}

TEST_F(Core, TakenNicknameIsRefusedCaseInsensitivelyAndRetryWorks) {
    login(1, "alice");
    core.connect(2, kNow);
    Outputs o = handle(2, Hello{"ALICE", kProtocolVersion});
    EXPECT_FALSE(core.logged_in(2));
    Error e = only_error(o, 2);
    EXPECT_EQ(e.code, err::kNickTaken);
    EXPECT_EQ(e.text, "the nickname ALICE is taken");
    EXPECT_TRUE(sent<Joined>(o).empty());
    EXPECT_TRUE(o.closes.empty()) << "a refused hello leaves the connection open";
    handle(2, Hello{"alice2", kProtocolVersion});
    EXPECT_TRUE(core.logged_in(2));
}

TEST_F(Core, LookAlikeNicknameIsTaken) {
    login(1, "ace");
    core.connect(2, kNow);
    // Wholly Cyrillic: а (U+0430), с (U+0441), е (U+0435).
    Outputs o = handle(2, Hello{"\u0430\u0441\u0435", kProtocolVersion});
    EXPECT_FALSE(core.logged_in(2));
    Error e = only_error(o, 2);
    EXPECT_EQ(e.code, err::kNickTaken);
    EXPECT_NE(e.text.find("looks too much like ace"), std::string::npos) << e.text;
    // Digits posing as letters, too.
    login(3, "bob");
    o = handle(2, Hello{"b0b", kProtocolVersion});
    EXPECT_EQ(only_error(o, 2).code, err::kNickTaken);
}

TEST_F(Core, InvalidNicknamesAreRefusedWithTheReason) {
    core.connect(1, kNow);
    for (const char* bad : {"", "two words", "tab\tnick", "esc\x1b[31m", "zero\u200bwidth",
                            "bidi\u202eevil", "abcdefghijklmnopqrstuvwxyz", "mixed\u0430", "9lives"}) {
        Outputs o = handle(1, Hello{bad, kProtocolVersion});
        Error e = only_error(o, 1);
        EXPECT_EQ(e.code, err::kNickInvalid) << bad;
        EXPECT_FALSE(e.text.empty());
        EXPECT_FALSE(core.logged_in(1)) << bad;
    }
}

TEST_F(Core, WrongProtocolVersionIsRefused) {
    core.connect(1, kNow);
    Outputs o = handle(1, Hello{"alice", kProtocolVersion + 1});
    EXPECT_EQ(only_error(o, 1).code, err::kBadVersion);
    EXPECT_FALSE(core.logged_in(1));
}

TEST_F(Core, SecondHelloIsRefused) {
    login(1, "alice");
    Outputs o = handle(1, Hello{"other", kProtocolVersion});
    EXPECT_EQ(only_error(o, 1).code, err::kAlreadyLoggedIn);
    EXPECT_EQ(*core.nick(1), "alice");
}

TEST_F(Core, OnlySomeMessagesBeforeLogin) {
    core.connect(1, kNow);
    for (const Message& m : std::vector<Message>{Say{"hi"}, Tell{"x", "hi"}, Me{"waves"}, ChangeNick{"x"},
                                                 Who{}, SetIgnore{true}}) {
        Outputs o = handle(1, m);
        EXPECT_EQ(only_error(o, 1).code, err::kNotLoggedIn) << type_name(m);
        core.connect(1, kNow);  // reset the error count
    }
    EXPECT_EQ(sent<Pong>(handle(1, Ping{"t"})).size(), 1u);
    EXPECT_TRUE(handle(1, Pong{"t"}).empty());
    EXPECT_EQ(sent<HelpAnswer>(handle(1, HelpRequest{})).size(), 1u);
    Outputs o = handle(1, Quit{});
    EXPECT_EQ(sent<Bye>(o).size(), 1u);
    ASSERT_EQ(o.closes.size(), 1u);
    EXPECT_TRUE(sent<Left>(o).empty()) << "nobody saw them arrive";
}

// ---- chat --------------------------------------------------------------------------------------

TEST_F(Core, SayGoesToEveryoneWithIdAndTimeIncludingTheSender) {
    login(1, "alice");
    login(2, "bob");
    login(3, "carol");
    core.connect(4, kNow);  // not logged in: gets nothing
    Outputs o = handle(1, Say{"hello all"}, kNow + 5);
    auto msgs = sent<GroupMessage>(o);
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].first, ids({1, 2, 3}));
    EXPECT_EQ(msgs[0].second.from, "alice");
    EXPECT_EQ(msgs[0].second.text, "hello all");
    EXPECT_EQ(msgs[0].second.ts, kNow + 5);
    const auto first_id = msgs[0].second.id;
    auto again = sent<GroupMessage>(handle(2, Say{"and again"}));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_GT(again[0].second.id, first_id);
}

TEST_F(Core, IgnoreModeSkipsGroupChatButNotTheSendersEchoNorPrivates) {
    login(1, "alice");
    login(2, "bob");
    login(3, "carol");
    Outputs o = handle(2, SetIgnore{true});
    auto states = sent<IgnoreState>(o);
    ASSERT_EQ(states.size(), 1u);
    EXPECT_EQ(states[0].first, ids({2}));
    EXPECT_TRUE(states[0].second.on);
    auto changes = sent<IgnoreChanged>(o);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].first, ids({1, 3}));
    EXPECT_EQ(changes[0].second.nick, "bob");
    EXPECT_TRUE(changes[0].second.on);

    EXPECT_EQ(sent<GroupMessage>(handle(1, Say{"hi"}))[0].first, ids({1, 3}));
    EXPECT_EQ(sent<Action>(handle(1, Me{"waves"}))[0].first, ids({1, 3}));
    // An ignoring sender still gets its own echo.
    EXPECT_EQ(sent<GroupMessage>(handle(2, Say{"me too"}))[0].first, ids({1, 2, 3}));
    // Private messages reach an ignoring user.
    EXPECT_EQ(sent<PrivateMessage>(handle(1, Tell{"bob", "psst"}))[0].first, ids({1, 2}));
    // The who list shows it.
    auto lists = sent<UserList>(handle(1, Who{}));
    ASSERT_EQ(lists.size(), 1u);
    EXPECT_EQ(lists[0].second.users,
              (std::vector<UserInfo>{{"alice", false}, {"bob", true}, {"carol", false}}));

    // Off again: everyone hears it, and bob gets group chat again.
    o = handle(2, SetIgnore{false});
    EXPECT_FALSE(sent<IgnoreState>(o)[0].second.on);
    EXPECT_EQ(sent<IgnoreChanged>(o)[0].first, ids({1, 3}));
    EXPECT_EQ(sent<GroupMessage>(handle(1, Say{"back?"}))[0].first, ids({1, 2, 3}));
}

TEST_F(Core, SettingTheSameIgnoreModeAnswersButTellsNobody) {
    login(1, "alice");
    login(2, "bob");
    Outputs o = handle(2, SetIgnore{false});
    EXPECT_EQ(sent<IgnoreState>(o).size(), 1u);
    EXPECT_TRUE(sent<IgnoreChanged>(o).empty());
}

TEST_F(Core, BadTextIsRefused) {
    login(1, "alice");
    login(2, "bob");
    for (const std::string& bad : {std::string(), std::string(kMaxTextBytes + 1, 'x'),
                                   std::string("bell\a"), std::string("esc\x1b[2J")}) {
        Outputs o = handle(1, Say{bad});
        EXPECT_EQ(only_error(o, 1).code, err::kBadText);
        EXPECT_TRUE(sent<GroupMessage>(o).empty());
        o = handle(1, Me{bad});
        EXPECT_EQ(only_error(o, 1).code, err::kBadText);
        o = handle(1, Tell{"bob", bad});
        EXPECT_EQ(only_error(o, 1).code, err::kBadText);
        EXPECT_TRUE(sent<PrivateMessage>(o).empty());
        if (::testing::Test::HasFailure()) break;
        // Three errors each round: log in afresh to stay under the error limit.
        core.disconnect(1, "reset", kNow, o);
        login(1, "alice");
    }
    // Newlines and tabs are fine in text, and so is the longest text.
    EXPECT_EQ(sent<GroupMessage>(handle(1, Say{"two\nlines\tand a tab"})).size(), 1u);
    EXPECT_EQ(sent<GroupMessage>(handle(1, Say{std::string(kMaxTextBytes, 'x')})).size(), 1u);
}

TEST_F(Core, TellFindsTheTargetCaseInsensitivelyAndEchoes) {
    login(1, "alice");
    login(2, "Bob");
    login(3, "carol");
    Outputs o = handle(1, Tell{"BOB", "psst"}, kNow + 7);
    auto pms = sent<PrivateMessage>(o);
    ASSERT_EQ(pms.size(), 1u);
    EXPECT_EQ(pms[0].first, ids({1, 2}));
    EXPECT_EQ(pms[0].second.from, "alice");
    EXPECT_EQ(pms[0].second.to, "Bob") << "the registered spelling";
    EXPECT_EQ(pms[0].second.text, "psst");
    EXPECT_EQ(pms[0].second.ts, kNow + 7);
    EXPECT_GT(pms[0].second.id, 0u);
}

TEST_F(Core, TellToSelfArrivesOnce) {
    login(1, "alice");
    auto pms = sent<PrivateMessage>(handle(1, Tell{"alice", "note to self"}));
    ASSERT_EQ(pms.size(), 1u);
    EXPECT_EQ(pms[0].first, ids({1}));
}

TEST_F(Core, TellToNobodyIsRefused) {
    login(1, "alice");
    core.connect(2, kNow);  // connected but not logged in: not a target
    Outputs o = handle(1, Tell{"ghost", "hello?"});
    Error e = only_error(o, 1);
    EXPECT_EQ(e.code, err::kNoSuchNick);
    EXPECT_NE(e.text.find("ghost"), std::string::npos);
    // An invalid nickname cannot be anyone either, and its bytes are neutralised in the answer.
    e = only_error(handle(1, Tell{"\x1b[2Jx", "hello?"}), 1);
    EXPECT_EQ(e.code, err::kNoSuchNick);
    EXPECT_EQ(e.text.find('\x1b'), std::string::npos);
    // A look-alike is not the same person for delivery purposes.
    login(3, "ace");
    EXPECT_EQ(only_error(handle(1, Tell{"\u0430\u0441\u0435", "hi"}), 1).code, err::kNoSuchNick);
}

TEST_F(Core, MeIsAnAction) {
    login(1, "alice");
    login(2, "bob");
    auto acts = sent<Action>(handle(1, Me{"waves"}));
    ASSERT_EQ(acts.size(), 1u);
    EXPECT_EQ(acts[0].first, ids({1, 2}));
    EXPECT_EQ(acts[0].second.from, "alice");
    EXPECT_EQ(acts[0].second.text, "waves");
}

// ---- nicknames ---------------------------------------------------------------------------------

TEST_F(Core, ChangeNickTellsEveryoneAndFreesTheOldName) {
    login(1, "alice");
    login(2, "bob");
    Outputs o = handle(1, ChangeNick{"alicia"}, kNow + 3);
    auto rn = sent<Renamed>(o);
    ASSERT_EQ(rn.size(), 1u);
    EXPECT_EQ(rn[0].first, ids({1, 2}));
    EXPECT_EQ(rn[0].second.from, "alice");
    EXPECT_EQ(rn[0].second.to, "alicia");
    EXPECT_EQ(rn[0].second.ts, kNow + 3);
    EXPECT_EQ(*core.nick(1), "alicia");
    // The new name is the one messages carry and tell finds.
    EXPECT_EQ(sent<GroupMessage>(handle(1, Say{"hi"}))[0].second.from, "alicia");
    EXPECT_EQ(sent<PrivateMessage>(handle(2, Tell{"ALICIA", "yo"})).size(), 1u);
    EXPECT_EQ(only_error(handle(2, Tell{"alice", "yo"}), 2).code, err::kNoSuchNick);
    // The old name is free again.
    login(3, "alice");
}

TEST_F(Core, ChangeNickToADifferentCaseOfYourOwnIsAllowed) {
    login(1, "alice");
    auto rn = sent<Renamed>(handle(1, ChangeNick{"Alice"}));
    ASSERT_EQ(rn.size(), 1u);
    EXPECT_EQ(rn[0].second.to, "Alice");
    EXPECT_EQ(*core.nick(1), "Alice");
}

TEST_F(Core, ChangeNickRefusals) {
    login(1, "alice");
    login(2, "bob");
    EXPECT_EQ(only_error(handle(1, ChangeNick{"BOB"}), 1).code, err::kNickTaken);
    EXPECT_EQ(only_error(handle(1, ChangeNick{"b0b"}), 1).code, err::kNickTaken);
    EXPECT_EQ(only_error(handle(1, ChangeNick{"a b"}), 1).code, err::kNickInvalid);
    EXPECT_EQ(only_error(handle(1, ChangeNick{""}), 1).code, err::kNickInvalid);
    EXPECT_EQ(*core.nick(1), "alice");
}

// ---- who ---------------------------------------------------------------------------------------

TEST_F(Core, WhoIsSortedCaseInsensitivelyInChunks) {
    const std::size_t n = kUsersPerChunk * 2 + 5;
    for (std::size_t i = 0; i < n; ++i) {
        // Mixed case so that a byte-order sort would differ from a case-insensitive one.
        std::string nick = (i % 2 ? "U" : "u") + std::to_string(100000 + (n - i));
        login(i + 1, nick);
    }
    auto lists = sent<UserList>(handle(1, Who{}));
    ASSERT_EQ(lists.size(), 3u);
    EXPECT_TRUE(lists[0].second.more);
    EXPECT_TRUE(lists[1].second.more);
    EXPECT_FALSE(lists[2].second.more);
    EXPECT_EQ(lists[0].second.users.size(), kUsersPerChunk);
    EXPECT_EQ(lists[2].second.users.size(), 5u);
    std::vector<std::string> all;
    for (const auto& l : lists) {
        EXPECT_EQ(l.first, ids({1}));
        for (const auto& u : l.second.users) all.push_back(u.nick);
    }
    ASSERT_EQ(all.size(), n);
    for (std::size_t i = 1; i < all.size(); ++i)
        EXPECT_LT(all[i - 1].substr(1), all[i].substr(1)) << all[i - 1] << " before " << all[i];
}

// ---- help, ping --------------------------------------------------------------------------------

TEST_F(Core, HelpListsEveryClientMessageFromTheTable) {
    login(1, "alice");
    auto help = sent<HelpAnswer>(handle(1, HelpRequest{}));
    ASSERT_EQ(help.size(), 1u);
    const auto& cmds = help[0].second.commands;
    ASSERT_EQ(cmds.size(), command_table().size());
    std::vector<std::string> names;
    for (const auto& c : cmds) {
        names.push_back(c.name);
        EXPECT_FALSE(c.summary.empty());
        // The usage is a real message of that type: it decodes.
        Decoded d = decode_line(c.usage, Direction::ClientToServer);
        ASSERT_TRUE(std::holds_alternative<Message>(d)) << c.usage;
        EXPECT_EQ(type_name(std::get<Message>(d)), c.name);
    }
    for (const char* n : {"hello", "say", "tell", "me", "nick", "who", "ignore", "help", "quit", "ping", "pong"})
        EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

TEST_F(Core, PingGetsThePongWithTheSameToken) {
    login(1, "alice");
    auto pongs = sent<Pong>(handle(1, Ping{"tok-42"}));
    ASSERT_EQ(pongs.size(), 1u);
    EXPECT_EQ(pongs[0].first, ids({1}));
    EXPECT_EQ(pongs[0].second.token, "tok-42");
    EXPECT_EQ(only_error(handle(1, Ping{std::string(kMaxTokenBytes + 1, 't')}), 1).code, err::kBadField);
}

// ---- leaving -----------------------------------------------------------------------------------

TEST_F(Core, QuitSaysByeClosesAndTellsTheOthersWithTheReason) {
    login(1, "alice");
    login(2, "bob");
    Outputs o = handle(1, Quit{"off to lunch"}, kNow + 9);
    auto byes = sent<Bye>(o);
    ASSERT_EQ(byes.size(), 1u);
    EXPECT_EQ(byes[0].first, ids({1}));
    EXPECT_EQ(byes[0].second.reason, "goodbye");
    auto lefts = sent<Left>(o);
    ASSERT_EQ(lefts.size(), 1u);
    EXPECT_EQ(lefts[0].first, ids({2}));
    EXPECT_EQ(lefts[0].second.nick, "alice");
    EXPECT_EQ(lefts[0].second.reason, "quit: off to lunch");
    EXPECT_EQ(lefts[0].second.ts, kNow + 9);
    ASSERT_EQ(o.closes.size(), 1u);
    EXPECT_EQ(o.closes[0].id, 1u);
    EXPECT_FALSE(core.known(1));
    EXPECT_EQ(core.online(), 1u);
    // Gone for good: further messages from that id are ignored, and the name is free.
    EXPECT_TRUE(handle(1, Say{"still here?"}).empty());
    login(3, "alice");
}

TEST_F(Core, QuitWithoutReasonAndWithAHostileOne) {
    login(1, "alice");
    login(2, "bob");
    login(3, "carol");
    EXPECT_EQ(sent<Left>(handle(1, Quit{}))[0].second.reason, "quit");
    const std::string reason = sent<Left>(handle(2, Quit{"line\nbreak\x1b[2J" + std::string(1000, 'x')}))[0].second.reason;
    EXPECT_EQ(reason.find('\n'), std::string::npos);
    EXPECT_EQ(reason.find('\x1b'), std::string::npos);
    EXPECT_LE(reason.size(), std::string("quit: ").size() + kMaxReasonBytes);
    EXPECT_EQ(reason.rfind("quit: line break [2Jxx", 0), 0u) << reason;
}

TEST_F(Core, QuitReasonIsCutOnACodePointBoundary) {
    login(1, "alice");
    login(2, "bob");
    std::string snowmen;
    for (int i = 0; i < 200; ++i) snowmen += "\u2603";  // 3 bytes each, 600 in all
    const std::string reason = sent<Left>(handle(1, Quit{snowmen}))[0].second.reason;
    EXPECT_TRUE(text::valid_utf8(reason));
    EXPECT_EQ(reason.size(), std::string("quit: ").size() + (kMaxReasonBytes / 3) * 3);
}

TEST_F(Core, DisconnectTellsTheOthersOnlyForLoggedInClients) {
    login(1, "alice");
    login(2, "bob");
    core.connect(3, kNow);
    Outputs o;
    core.disconnect(3, "connection closed", kNow, o);
    EXPECT_TRUE(o.deliveries.empty());
    EXPECT_FALSE(core.known(3));
    core.disconnect(1, "ping timeout", kNow + 1, o);
    auto lefts = sent<Left>(o);
    ASSERT_EQ(lefts.size(), 1u);
    EXPECT_EQ(lefts[0].first, ids({2}));
    EXPECT_EQ(lefts[0].second.nick, "alice");
    EXPECT_EQ(lefts[0].second.reason, "ping timeout");
    EXPECT_TRUE(o.closes.empty()) << "the shell is already closing it";
    o.clear();
    core.disconnect(1, "again", kNow, o);
    EXPECT_TRUE(o.empty());
    // The remaining user's fan-out no longer includes the departed one.
    EXPECT_EQ(sent<GroupMessage>(handle(2, Say{"alone"}))[0].first, ids({2}));
}

TEST_F(Core, ManyLeavesKeepTheOnlineListConsistent) {
    for (ClientId id = 1; id <= 20; ++id) login(id, "user" + std::to_string(id));
    Outputs o;
    for (ClientId id : {5u, 1u, 20u, 13u, 2u}) core.disconnect(id, "gone", kNow, o);
    auto msgs = sent<GroupMessage>(handle(3, Say{"who is left"}));
    ASSERT_EQ(msgs.size(), 1u);
    std::vector<ClientId> want;
    for (ClientId id = 1; id <= 20; ++id)
        if (id != 5 && id != 1 && id != 20 && id != 13 && id != 2) want.push_back(id);
    EXPECT_EQ(msgs[0].first, want);
    EXPECT_EQ(core.online(), 15u);
}

// ---- bad input ---------------------------------------------------------------------------------

TEST_F(Core, BadLinesAreAnsweredAndTheConnectionStays) {
    login(1, "alice");
    Outputs o;
    core.bad_line(1, DecodeError{err::kBadJson, "not a JSON object"}, kNow, o);
    Error e = only_error(o, 1);
    EXPECT_EQ(e.code, err::kBadJson);
    EXPECT_EQ(e.text, "not a JSON object");
    EXPECT_TRUE(o.closes.empty());
    EXPECT_TRUE(core.logged_in(1));
}

TEST_F(Core, TooManyErrorsInAMinuteDisconnect) {
    login(1, "alice");
    login(2, "bob");
    Outputs o;
    for (int i = 0; i < 9; ++i) core.bad_line(1, DecodeError{err::kBadJson, "nope"}, kNow + i, o);
    EXPECT_TRUE(o.closes.empty());
    EXPECT_EQ(sent<Error>(o).size(), 9u);
    o.clear();
    core.bad_line(1, DecodeError{err::kBadJson, "nope"}, kNow + 10, o);
    auto errors = sent<Error>(o);
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[1].second.code, err::kTooManyErrors);
    ASSERT_EQ(sent<Bye>(o).size(), 1u);
    EXPECT_EQ(sent<Bye>(o)[0].first, ids({1}));
    ASSERT_EQ(o.closes.size(), 1u);
    EXPECT_EQ(o.closes[0].id, 1u);
    auto lefts = sent<Left>(o);
    ASSERT_EQ(lefts.size(), 1u);
    EXPECT_EQ(lefts[0].first, ids({2}));
    EXPECT_EQ(lefts[0].second.reason, "too many errors");
    EXPECT_FALSE(core.known(1));
}

TEST_F(Core, ErrorsSpreadOverTimeAreForgiven) {
    login(1, "alice");
    Outputs o;
    for (int i = 0; i < 30; ++i)
        core.bad_line(1, DecodeError{err::kBadJson, "nope"}, kNow + static_cast<Millis>(i) * 10'000, o);
    EXPECT_TRUE(o.closes.empty());
    EXPECT_TRUE(core.logged_in(1));
}

TEST_F(Core, RefusalsCountAsErrorsToo) {
    core.connect(1, kNow);
    Outputs o;
    for (int i = 0; i < 10; ++i) core.handle(1, Say{"before login"}, kNow, o);
    EXPECT_EQ(o.closes.size(), 1u);
    EXPECT_FALSE(core.known(1));
}

TEST_F(Core, OversizedLineIsErrorByeClose) {
    login(1, "alice");
    login(2, "bob");
    Outputs o;
    core.line_too_long(1, kNow, o);
    Error e = sent<Error>(o).at(0).second;
    EXPECT_EQ(e.code, err::kFrameTooLong);
    EXPECT_EQ(sent<Bye>(o).size(), 1u);
    ASSERT_EQ(o.closes.size(), 1u);
    EXPECT_EQ(sent<Left>(o).at(0).first, ids({2}));
    // Bye comes after the error, both before the close.
    ASSERT_GE(o.deliveries.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<Error>(o.deliveries[0].msg));
    EXPECT_TRUE(std::holds_alternative<Bye>(o.deliveries[1].msg));
}

TEST_F(Core, ServerOnlyMessagesFromAClientAreRefused) {
    login(1, "alice");
    // The decoder never produces these from a client; the core still refuses them.
    EXPECT_EQ(only_error(handle(1, Welcome{}), 1).code, err::kUnknownType);
    EXPECT_EQ(only_error(handle(1, Bye{}), 1).code, err::kUnknownType);
}

TEST_F(Core, UnknownClientsAreIgnored) {
    Outputs o;
    core.handle(99, Say{"hi"}, kNow, o);
    core.bad_line(99, DecodeError{err::kBadJson, "x"}, kNow, o);
    core.line_too_long(99, kNow, o);
    core.disconnect(99, "x", kNow, o);
    EXPECT_TRUE(o.empty());
}
