// The IRC translation layer over the real chat core, without sockets (test/support/irc_hub.h):
// registration, the context that turns one core error into different numerics, what each IRC
// client sees of the core's deliveries, and the shared rendering made once per delivery.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/irc_hub.h"
#include "server/irc_help.h"
#include "server/irc_line.h"
#include "server/memory_store.h"

using namespace natter;
using namespace natter::server;
using natter::testing::IrcHub;

namespace {

// The lines of a byte string, parsed; fails the test on a line breaking the rules.
std::vector<irc::Line> lines_of(const std::string& bytes) {
    std::vector<irc::Line> out;
    std::size_t i = 0;
    while (i < bytes.size()) {
        const auto end = bytes.find("\r\n", i);
        EXPECT_NE(end, std::string::npos) << "no CRLF in " << bytes.substr(i);
        if (end == std::string::npos) break;
        const std::string line = bytes.substr(i, end - i);
        EXPECT_LE(line.size() + 2, irc::kMaxLineBytes + (line[0] == '@' ? line.find(' ') + 1 : 0)) << line;
        EXPECT_EQ(line.find('\n'), std::string::npos);
        auto p = irc::parse_line(line);
        EXPECT_TRUE(std::holds_alternative<irc::Line>(p)) << line;
        if (std::holds_alternative<irc::Line>(p)) out.push_back(std::get<irc::Line>(p));
        i = end + 2;
    }
    return out;
}

std::vector<std::string> commands(const std::string& bytes) {
    std::vector<std::string> out;
    for (const auto& l : lines_of(bytes)) out.push_back(l.command);
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

class IrcSession : public ::testing::Test {
protected:
    void irc_user(ClientId id, const std::string& nick) {
        hub.connect_irc(id);
        hub.line(id, "NICK " + nick);
        hub.line(id, "USER " + nick + " 0 * :" + nick);
        ASSERT_TRUE(hub.session(id).registered()) << hub.take(id);
        // Where natter clients are from login.
        hub.line(id, "JOIN #lobby");
        hub.take(id);
    }
    void natter_user(ClientId id, const std::string& nick) {
        hub.connect_natter(id);
        hub.natter_sends(id, Hello{nick, kProtocolVersion});
        ASSERT_TRUE(hub.core().logged_in(id));
        hub.take_natter(id);
    }
    IrcHub hub;
};

TEST_F(IrcSession, RegistrationWaitsForNickUserAndCapEnd) {
    hub.connect_irc(1);
    hub.line(1, "CAP LS 302");
    hub.line(1, "NICK ann");
    hub.line(1, "USER ann 0 * :Ann");
    EXPECT_FALSE(hub.session(1).registered());
    EXPECT_EQ(commands(hub.take(1)), std::vector<std::string>{"CAP"});
    hub.line(1, "CAP END");
    const auto got = commands(hub.take(1));
    ASSERT_GE(got.size(), 9u);
    EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + 4), (std::vector<std::string>{"001", "002", "003", "004"}));
    EXPECT_TRUE(has(got, "005"));
    // Registration joins no room (natter clients are put in #lobby, IRC clients choose).
    EXPECT_FALSE(has(got, "JOIN"));
    EXPECT_EQ(got.back(), "376");
    EXPECT_TRUE(hub.core().rooms_of(1).empty());
    EXPECT_EQ(hub.session(1).nick(), "ann");
    EXPECT_TRUE(hub.directory().is_irc("ANN"));
}

TEST_F(IrcSession, TakenNicknameRefusedBeforeAndAtHello) {
    natter_user(1, "bob");
    hub.connect_irc(2);
    hub.line(2, "NICK Bob");
    auto l = lines_of(hub.take(2));
    ASSERT_EQ(l.size(), 1u);
    EXPECT_EQ(l[0].command, "433");
    EXPECT_EQ(l[0].params[1], "Bob");
    hub.line(2, "NICK bobby");
    hub.line(2, "USER b 0 * :b");
    EXPECT_TRUE(hub.session(2).registered());
}

TEST_F(IrcSession, OneCoreErrorDifferentNumericsByContext) {
    irc_user(1, "ann");
    irc_user(2, "bob");
    hub.line(2, "JOIN #club");
    hub.take(1);
    hub.take(2);
    hub.line(1, "PRIVMSG #club :hi");
    hub.line(1, "PART #club");
    hub.line(1, "TOPIC #club :mine");
    hub.line(1, "NOTICE #club :hi");
    const auto l = lines_of(hub.take(1));
    ASSERT_EQ(l.size(), 3u);  // the NOTICE gets no error
    EXPECT_EQ(l[0].command, "404");
    EXPECT_EQ(l[1].command, "442");
    EXPECT_EQ(l[2].command, "442");
    for (const auto& x : l) EXPECT_EQ(x.params[1], "#club");
}

TEST_F(IrcSession, NoEchoUnlessAskedAndSharedRenderedOnce) {
    irc_user(1, "ann");
    irc_user(2, "bob");
    irc_user(3, "cat");
    natter_user(4, "dan");
    for (ClientId id : {1, 2, 3}) hub.take(id);
    const int before = hub.shared_renders();
    hub.line(1, "PRIVMSG #lobby :hello");
    EXPECT_EQ(hub.take(1), "");
    const std::string to_bob = hub.take(2);
    EXPECT_EQ(to_bob, ":ann!~ann@irc PRIVMSG #lobby :hello\r\n");
    EXPECT_EQ(hub.take(3), to_bob);
    EXPECT_EQ(hub.shared_renders(), before + 1);
    const auto natter = hub.take_natter(4);
    ASSERT_EQ(natter.size(), 1u);
    EXPECT_EQ(std::get<GroupMessage>(natter[0]).text, "hello");
    hub.line(1, "CAP REQ echo-message");
    hub.take(1);
    hub.line(1, "PRIVMSG #lobby :again");
    EXPECT_EQ(hub.take(1), ":ann!~ann@irc PRIVMSG #lobby :again\r\n");
}

TEST_F(IrcSession, NoticesStayNoticesForIrcAndAreMarkedForNatter) {
    irc_user(1, "ann");
    irc_user(2, "bob");
    natter_user(3, "cyd");
    hub.take(1);
    hub.take(2);
    hub.line(1, "NOTICE #lobby :hello there");
    EXPECT_EQ(hub.take(1), "") << "no echo without echo-message";
    EXPECT_EQ(hub.take(2), ":ann!~ann@irc NOTICE #lobby :hello there\r\n");
    auto natter = hub.take_natter(3);
    ASSERT_EQ(natter.size(), 1u);
    EXPECT_TRUE(std::get<GroupMessage>(natter[0]).notice);
    // With echo-message the echo is a NOTICE too.
    hub.line(1, "CAP REQ echo-message");
    hub.take(1);
    hub.line(1, "NOTICE #lobby :again");
    EXPECT_EQ(hub.take(1), ":ann!~ann@irc NOTICE #lobby :again\r\n");
    hub.take(2);
    hub.take_natter(3);
    // Private notices, both ways.
    hub.line(2, "NOTICE cyd :psst");
    natter = hub.take_natter(3);
    ASSERT_EQ(natter.size(), 1u);
    EXPECT_TRUE(std::get<PrivateMessage>(natter[0]).notice);
    hub.natter_sends(3, Tell{"bob", "automatic answer", true});
    EXPECT_EQ(hub.take(2), ":cyd!natter@natter NOTICE bob :automatic answer\r\n");
    hub.natter_sends(3, Say{"a natter bot's notice", "#lobby", true});
    EXPECT_EQ(hub.take(2), ":cyd!natter@natter NOTICE #lobby :a natter bot's notice\r\n");
    hub.take(1);
    // A PRIVMSG is still a PRIVMSG.
    hub.line(2, "PRIVMSG #lobby :plain");
    EXPECT_EQ(hub.take(1), ":bob!~bob@irc PRIVMSG #lobby :plain\r\n");
}

TEST(IrcSessionHistory, AReplayedNoticeIsANotice) {
    MemoryStore store;
    CoreConfig config;
    config.store = &store;
    IrcHub hub(config);
    hub.connect_irc(1);
    hub.line(1, "NICK bot");
    hub.line(1, "USER bot 0 * :bot");
    hub.line(1, "JOIN #ci");
    hub.line(1, "NOTICE #ci :build 12 passed");
    hub.line(1, "PRIVMSG #ci :and a word");
    hub.connect_irc(2);
    hub.line(2, "CAP REQ server-time");
    hub.line(2, "NICK ann");
    hub.line(2, "USER ann 0 * :ann");
    hub.line(2, "CAP END");
    hub.take(2);
    hub.line(2, "JOIN #ci");
    const auto l = lines_of(hub.take(2));
    std::vector<std::string> replay;
    for (const auto& x : l)
        if (x.command == "NOTICE" || x.command == "PRIVMSG") replay.push_back(x.command + " " + x.params.back());
    EXPECT_EQ(replay, (std::vector<std::string>{"NOTICE build 12 passed", "PRIVMSG and a word"}));
}

TEST_F(IrcSession, RenamesMoveTheIdent) {
    irc_user(1, "ann");
    irc_user(2, "bob");
    hub.line(1, "NICK anna");
    EXPECT_EQ(hub.take(2), ":ann!~ann@irc NICK :anna\r\n");
    hub.line(1, "PRIVMSG #lobby :renamed");
    EXPECT_EQ(hub.take(2), ":anna!~ann@irc PRIVMSG #lobby :renamed\r\n");
    EXPECT_FALSE(hub.directory().is_irc("ann"));
    EXPECT_TRUE(hub.directory().is_irc("anna"));
}

TEST_F(IrcSession, OperatorChangesAreModeLinesNotNames) {
    irc_user(1, "ann");
    irc_user(2, "bob");
    natter_user(3, "cat");
    hub.line(1, "JOIN #ops");
    hub.line(2, "JOIN #ops");
    hub.natter_sends(3, Join{"#ops"});
    hub.take(1);
    hub.take(2);
    hub.take_natter(3);
    hub.line(1, "MODE #ops +o bob");
    EXPECT_EQ(hub.take(2), ":ann!~ann@irc MODE #ops +o bob\r\n");  // no unasked NAMES
    const auto natter = hub.take_natter(3);
    ASSERT_EQ(natter.size(), 1u);
    const auto& users = std::get<UserList>(natter[0]).users;
    EXPECT_TRUE(std::any_of(users.begin(), users.end(), [](const UserInfo& u) { return u.nick == "bob" && u.op; }));
}

TEST_F(IrcSession, VoiceIsAModeLineAndAPrefix) {
    irc_user(1, "ann");
    irc_user(2, "bob");
    natter_user(3, "cyd");
    hub.line(1, "JOIN #v");
    hub.line(2, "JOIN #v");
    hub.natter_sends(3, Join{"#v"});
    hub.take(1);
    hub.take(2);
    hub.take_natter(3);
    // Only operators give voice; to members only.
    hub.line(2, "MODE #v +v bob");
    EXPECT_EQ(commands(hub.take(2)), std::vector<std::string>{"482"});
    hub.line(1, "MODE #v +v nobody");
    EXPECT_EQ(commands(hub.take(1)), std::vector<std::string>{"401"});
    hub.line(1, "MODE #v +v");
    EXPECT_EQ(commands(hub.take(1)), std::vector<std::string>{"461"});
    hub.line(2, "PART #v");
    hub.take(1);
    hub.take(2);
    hub.take_natter(3);
    hub.line(1, "MODE #v +v bob");
    const auto l = lines_of(hub.take(1));
    ASSERT_EQ(l.size(), 1u);
    EXPECT_EQ(l[0].command, "441");
    EXPECT_EQ(l[0].params[1], "bob");
    EXPECT_EQ(l[0].params[2], "#v");
    hub.line(2, "JOIN #v");
    hub.take(1);
    hub.take(2);
    hub.take_natter(3);
    hub.line(1, "MODE #v +v bob");
    EXPECT_EQ(hub.take(2), ":ann!~ann@irc MODE #v +v bob\r\n");  // no unasked NAMES
    EXPECT_EQ(hub.take(1), ":ann!~ann@irc MODE #v +v bob\r\n");
    const auto natter = hub.take_natter(3);
    ASSERT_EQ(natter.size(), 1u);
    const auto& users = std::get<UserList>(natter[0]).users;
    EXPECT_TRUE(std::any_of(users.begin(), users.end(), [](const UserInfo& u) { return u.nick == "bob" && u.voice; }));
    // The highest prefix without multi-prefix, all of them with it.
    hub.line(1, "MODE #v +v ann");
    hub.take(1);
    hub.take(2);
    hub.line(2, "NAMES #v");
    auto names = lines_of(hub.take(2));
    ASSERT_FALSE(names.empty());
    EXPECT_EQ(names[0].params.back(), "@ann +bob cyd");
    hub.line(2, "CAP REQ multi-prefix");
    hub.take(2);
    hub.line(2, "NAMES #v");
    names = lines_of(hub.take(2));
    ASSERT_FALSE(names.empty());
    EXPECT_EQ(names[0].params.back(), "@+ann +bob cyd");
    hub.line(2, "WHO #v");
    std::vector<std::string> flags;
    for (const auto& x : lines_of(hub.take(2)))
        if (x.command == "352") flags.push_back(x.params[5] + " " + x.params[6]);
    EXPECT_EQ(flags, (std::vector<std::string>{"ann H@+", "bob H+", "cyd H"}));
    hub.line(1, "WHO #v");
    flags.clear();
    for (const auto& x : lines_of(hub.take(1)))
        if (x.command == "352") flags.push_back(x.params[5] + " " + x.params[6]);
    EXPECT_EQ(flags, (std::vector<std::string>{"ann H@", "bob H+", "cyd H"}));
    hub.line(1, "WHOIS bob");
    std::string rooms;
    for (const auto& x : lines_of(hub.take(1)))
        if (x.command == "319") rooms = x.params.back();
    EXPECT_EQ(rooms, "#lobby +#v");
}

TEST_F(IrcSession, PrefixModesInIsupportAndMyInfo) {
    hub.connect_irc(1);
    hub.line(1, "NICK ann");
    hub.line(1, "USER ann 0 * :Ann");
    std::string prefix, chanmodes;
    std::vector<std::string> myinfo;
    for (const auto& x : lines_of(hub.take(1))) {
        if (x.command == "004") myinfo = x.params;
        if (x.command != "005") continue;
        for (const auto& p : x.params) {
            if (p.rfind("PREFIX=", 0) == 0) prefix = p;
            if (p.rfind("CHANMODES=", 0) == 0) chanmodes = p;
        }
    }
    EXPECT_EQ(prefix, "PREFIX=(ov)@+");
    EXPECT_EQ(chanmodes, "CHANMODES=b,k,l,imnst");
    ASSERT_EQ(myinfo.size(), 6u);
    EXPECT_EQ(myinfo[4], "mnostv");
    EXPECT_EQ(myinfo[5], "ov");
}

TEST_F(IrcSession, AModeQueryAnswersTheModesAndTheCreationTime) {
    irc_user(1, "ann");
    hub.line(1, "JOIN #q");
    hub.take(1);
    hub.line(1, "MODE #q");
    const auto l = lines_of(hub.take(1));
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[0].command, "324");
    EXPECT_EQ(l[0].params[1], "#q");
    EXPECT_EQ(l[1].command, "329");
    EXPECT_EQ(l[1].params[1], "#q");
    EXPECT_NE(hub.core().room_created("#q"), 0u);
    EXPECT_EQ(l[1].params[2], std::to_string(hub.core().room_created("#q") / 1000));
}

TEST_F(IrcSession, NoExternalMessagesIsARealMode) {
    irc_user(1, "ann");
    irc_user(2, "bob");
    hub.line(1, "JOIN #n");
    hub.take(1);
    hub.line(1, "MODE #n");
    auto l = lines_of(hub.take(1));
    ASSERT_FALSE(l.empty());
    EXPECT_EQ(l[0].params, (std::vector<std::string>{"ann", "#n", "+n"}));
    hub.line(2, "PRIVMSG #n :from outside");
    EXPECT_EQ(commands(hub.take(2)), std::vector<std::string>{"404"});
    EXPECT_EQ(hub.take(1), "");
    hub.line(1, "MODE #n -n");
    EXPECT_EQ(hub.take(1), ":ann!~ann@irc MODE #n -n\r\n");
    hub.line(2, "PRIVMSG #n :from outside");
    EXPECT_EQ(hub.take(2), "") << "no echo without echo-message";
    EXPECT_EQ(hub.take(1), ":bob!~bob@irc PRIVMSG #n :from outside\r\n");
    hub.line(1, "MODE #n");
    l = lines_of(hub.take(1));
    ASSERT_FALSE(l.empty());
    EXPECT_EQ(l[0].params[2], "+");
    hub.line(1, "MODE #n +nt");
    EXPECT_EQ(commands(hub.take(1)), (std::vector<std::string>{"MODE", "MODE"}));
    hub.line(1, "MODE #n");
    EXPECT_EQ(lines_of(hub.take(1))[0].params[2], "+nt");
}

TEST_F(IrcSession, TheSameTopicAgainChangesNothingAndSaysNothing) {
    irc_user(1, "ann");
    irc_user(2, "bob");
    natter_user(3, "cyd");
    hub.take(1);
    hub.take(2);
    hub.line(1, "TOPIC #lobby :T0P1C");
    EXPECT_EQ(commands(hub.take(1)), std::vector<std::string>{"TOPIC"});
    EXPECT_EQ(commands(hub.take(2)), std::vector<std::string>{"TOPIC"});
    EXPECT_EQ(hub.take_natter(3).size(), 1u);
    hub.line(1, "TOPIC #lobby :T0P1C");
    EXPECT_EQ(hub.take(1), "");
    EXPECT_EQ(hub.take(2), "");
    EXPECT_TRUE(hub.take_natter(3).empty());
    hub.line(2, "TOPIC #lobby :T0P1C");
    EXPECT_EQ(hub.take(2), "");
    hub.line(2, "TOPIC #lobby :another");
    EXPECT_EQ(commands(hub.take(1)), std::vector<std::string>{"TOPIC"});
}

TEST_F(IrcSession, WrongPasswordCloses) {
    hub.config().password = "pw";
    hub.connect_irc(1);
    hub.line(1, "PASS nope");
    hub.line(1, "NICK ann");
    hub.line(1, "USER ann 0 * :Ann");
    EXPECT_EQ(commands(hub.take(1)), (std::vector<std::string>{"464", "ERROR"}));
    EXPECT_TRUE(hub.closed(1));
    EXPECT_FALSE(hub.core().logged_in(1));
}

TEST_F(IrcSession, EveryLineButPongAndQuitCostsInTheFloodBucket) {
    irc_user(1, "ann");
    irc::Session& s = hub.session(1);
    auto cost = [&](const char* line) { return s.on_line(line, hub.core(), hub.directory(), 0).cost; };
    EXPECT_EQ(cost("PONG :x"), 0);
    EXPECT_GE(cost("NOTICE nobody :x"), 1);
    EXPECT_GE(cost("PRIVMSG nobody :x"), 1);
    EXPECT_GE(cost("JOIN"), 1);
    EXPECT_GE(cost("FROB"), 1);
    EXPECT_GE(cost(""), 1);
    EXPECT_EQ(cost("PRIVMSG #lobby :hi"), message_cost(Say{"hi", "#lobby"}));
    EXPECT_GE(cost("NICK other"), message_cost(ChangeNick{"other"}));
}

TEST_F(IrcSession, TooLongLineIs417) {
    irc_user(1, "ann");
    hub.too_long(1);
    EXPECT_EQ(commands(hub.take(1)), std::vector<std::string>{"417"});
}

}  // namespace

// HELP has a topic for every command the session understands (and none for one it does not), so
// the help cannot fall behind the command table.
TEST(IrcHelp, EveryCommandHasATopicAndEveryTopicACommand) {
    const std::vector<std::string> names = irc::Session::command_names();
    for (const std::string& name : names) {
        if (name == "HELPOP") continue;  // HELP's other name
        const irc::HelpTopic* t = irc::find_help(name);
        ASSERT_NE(t, nullptr) << "no HELP topic for " << name;
        EXPECT_GE(t->lines.size(), 2u) << name << ": a usage line and what it does";
        EXPECT_EQ(std::string(t->lines[0]).rfind(name, 0), 0u) << "the usage starts with the command: " << t->lines[0];
    }
    for (const irc::HelpTopic& t : irc::help_topics())
        EXPECT_TRUE(has(names, t.command)) << "HELP " << t.command << " describes no command";
    EXPECT_NE(irc::find_help("privmsg"), nullptr) << "case is ignored";
    EXPECT_EQ(irc::find_help("PRIVMSGX"), nullptr);
}

TEST_F(IrcSession, HelpAnswersAnIndexATopicOrNotFound) {
    irc_user(1, "ann");
    hub.line(1, "HELP");
    std::vector<irc::Line> got = lines_of(hub.take(1));
    ASSERT_GE(got.size(), 3u);
    EXPECT_EQ(got.front().command, "704");
    EXPECT_EQ(got.back().command, "706");
    for (std::size_t i = 1; i + 1 < got.size(); ++i) EXPECT_EQ(got[i].command, "705");
    for (const irc::Line& l : got) {
        ASSERT_EQ(l.params.size(), 3u);
        EXPECT_EQ(l.params[0], "ann");
        EXPECT_EQ(l.params[1], "*");
    }
    hub.line(1, "HELPOP privmsg");
    got = lines_of(hub.take(1));
    ASSERT_GE(got.size(), 3u);
    EXPECT_EQ(got.front().command, "704");
    EXPECT_EQ(got.front().params[1], "PRIVMSG");
    EXPECT_EQ(got.front().params[2].rfind("PRIVMSG target", 0), 0u);
    EXPECT_EQ(got.back().command, "706");
    // An unknown subject is said back cleaned: one word of printable ASCII.
    hub.line(1, "HELP :no such\x01thing");
    got = lines_of(hub.take(1));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].command, "524");
    EXPECT_EQ(got[0].params[1], "nosuchthing");
}
