// Room modes over real sockets, with IRC and natter users in the same rooms: the creation time
// after a mode query, and a topic set to what it already is.
#include <ctime>

#include "irc_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

TEST(IrcModes, AModeQueryEndsWithTheCreationTime) {
    IrcServer s;
    auto bob = s.user("bob");
    const long before = static_cast<long>(std::time(nullptr));
    bob->send("JOIN #new");
    expect_irc(*bob, "366");
    const long after = static_cast<long>(std::time(nullptr));
    bob->send("MODE #new");
    const auto lines = answers(*bob);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].command, "324");
    EXPECT_EQ(lines[1].command, "329");
    EXPECT_EQ(lines[1].param(1), "#new");
    const long created = std::stol(lines[1].param(2));
    EXPECT_GE(created, before);
    EXPECT_LE(created, after);
    // #lobby was created when natterd started.
    bob->send("MODE #lobby");
    const auto lobby = with_command(answers(*bob), "329");
    ASSERT_EQ(lobby.size(), 1u);
    EXPECT_LE(std::stol(lobby[0].param(2)), before);
}

TEST(IrcModes, TheTopicItAlreadyHasIsNotSentAgain) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    auto carol = s.user("carol");
    bob->send("TOPIC #lobby :T0P1C");
    expect_irc(*bob, "TOPIC");
    expect_irc(*carol, "TOPIC");
    EXPECT_EQ(expect<Topic>(*ann).text, "T0P1C");
    bob->send("TOPIC #lobby :T0P1C");
    for (const IrcMsg& m : answers(*bob)) EXPECT_NE(m.command, "TOPIC") << m.raw;
    for (const IrcMsg& m : answers(*carol)) EXPECT_NE(m.command, "TOPIC") << m.raw;
    ann->send(TopicRequest{kLobby, std::string("T0P1C")});
    // The next topic ann hears is a real change: nothing came for the two that changed nothing.
    bob->send("TOPIC #lobby :another");
    EXPECT_EQ(expect<Topic>(*ann).text, "another");
    EXPECT_EQ(expect_irc(*carol, "TOPIC").last(), "another");
    expect_clean_exit(s.natterd);
}

}  // namespace
