// Room modes over real sockets, with IRC and natter users in the same rooms: a topic set to what
// it already is.
#include "irc_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

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
