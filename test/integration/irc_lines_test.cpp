// The IRC listener's line rules over real sockets: lines fed byte by byte, LF or CRLF, the
// 512-byte limit, UTF-8 through and invalid bytes never trouble, long natter texts cut to IRC
// lines, and the native protocol's protections (flood, login timeout, idle ping) for IRC too.
#include <random>

#include "irc_test_util.h"
#include "shared/text.h"

using namespace natter;
using namespace natter::itest;

namespace {

TEST(IrcLines, ByteByByteAndBareLineFeeds) {
    IrcServer s;
    auto ann = s.natter("ann");
    IrcClient c(s.irc);
    // Registration one byte per write, with bare LF line ends.
    const std::string reg = "NICK slow\nUSER slow 0 * :Slow Poke\n";
    for (char ch : reg) ASSERT_TRUE(c.send_raw(std::string(1, ch)));
    EXPECT_EQ(expect_irc(c, "001").param(0), "slow");
    expect_irc(c, "376");
    const std::string join = "JOIN #lobby\n";
    for (char ch : join) ASSERT_TRUE(c.send_raw(std::string(1, ch)));
    expect_irc(c, "366");
    const std::string line = "PRIVMSG #lobby :h\xC3\xA9llo, w\xC3\xB6rld \xE2\x9C\x93\r\n";
    for (char ch : line) ASSERT_TRUE(c.send_raw(std::string(1, ch)));
    EXPECT_EQ(expect<GroupMessage>(*ann).text, "h\xC3\xA9llo, w\xC3\xB6rld \xE2\x9C\x93");
    // Several lines in one write, and an old client's lone CR between them.
    c.send_raw("PRIVMSG #lobby :one\r\nPRIVMSG #lobby :two\rPRIVMSG #lobby :three\n");
    EXPECT_EQ(expect<GroupMessage>(*ann).text, "one");
    EXPECT_EQ(expect<GroupMessage>(*ann).text, "two");
    EXPECT_EQ(expect<GroupMessage>(*ann).text, "three");
    expect_clean_exit(s.natterd);
}

TEST(IrcLines, LinesOver512BytesAreRefusedAndTheConnectionStays) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    auto cat = s.user("cat");
    // 510 bytes before CRLF is the most a line may have. natter users get all of it; an IRC
    // user gets one line, cut where the longer relayed prefix ("bob!~bob@irc") makes it too
    // long, at a character boundary, as IRC servers cut it.
    const std::string head = "PRIVMSG #lobby :";
    const std::string text = std::string(510 - head.size() - 4, 'a') + "\xF0\x9F\x98\x83";
    bob->send(head + text);
    EXPECT_EQ(expect<GroupMessage>(*ann).text, text);
    IrcMsg relayed = expect_irc(*cat, "PRIVMSG");
    EXPECT_LE(relayed.raw.size() + 2, 512u);
    EXPECT_LT(relayed.last().size(), text.size());
    EXPECT_EQ(text.compare(0, relayed.last().size(), relayed.last()), 0);
    EXPECT_TRUE(text::valid_utf8(relayed.last()));
    bob->send(head + std::string(511 - head.size(), 'b'));
    expect_irc(*bob, "417");
    bob->send(head + std::string(100000, 'c'));
    expect_irc(*bob, "417");
    // Nothing of those reached anyone, and the connection still works.
    bob->send("PRIVMSG #lobby :still here");
    EXPECT_EQ(expect<GroupMessage>(*ann).text, "still here");
    EXPECT_EQ(expect_irc(*cat, "PRIVMSG").last(), "still here");
    expect_clean_exit(s.natterd);
}

TEST(IrcLines, InvalidBytesAndFormattingNeverPassAsTheyAre) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    bob->send("PRIVMSG #lobby :caf\xE9 \xFF\xFE ok");
    EXPECT_EQ(expect<GroupMessage>(*ann).text, "caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD ok");
    bob->send("PRIVMSG #lobby :\x02" "bold\x02 \x03" "04,12red\x03 \x1Bplain\x07");
    EXPECT_EQ(expect<GroupMessage>(*ann).text, "bold red plain");
    // Only formatting: nothing left to send.
    bob->send("PRIVMSG #lobby :\x02\x0F");
    expect_irc(*bob, "412");
    // A nickname or channel with invalid bytes is refused, not mangled.
    bob->send("NICK b\xFFob");
    expect_irc(*bob, "432");
    bob->send("JOIN #r\xC0\x80");
    expect_irc(*bob, "403");
    expect_clean_exit(s.natterd);
}

TEST(IrcLines, LongAndMultiLineNatterTextsBecomeSeveralLines) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    std::string text;
    for (int i = 0; i < 60; ++i) text += "word" + std::to_string(i) + " \xE2\x9C\x93 ";
    text += "\nsecond line\n\nthird";
    ann->send(Say{text, "#lobby"});
    std::string joined;
    int lines = 0;
    for (;;) {
        auto m = bob->receive();  // also checks each line's 512 bytes and CRLF
        ASSERT_TRUE(m.has_value());
        ASSERT_EQ(m->command, "PRIVMSG");
        ++lines;
        joined += m->last() + "|";
        if (m->last() == "third") break;
    }
    EXPECT_GE(lines, 4);
    EXPECT_NE(joined.find("|second line|third|"), std::string::npos) << joined;
    EXPECT_NE(joined.find("word59"), std::string::npos);
    expect_clean_exit(s.natterd);
}

TEST(IrcLines, GarbageCostsOneLineNeverTheServer) {
    IrcServer s({"--no-flood-limit"});
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    std::mt19937 rng(7);
    for (int i = 0; i < 300; ++i) {
        std::string junk;
        const int n = static_cast<int>(rng() % 300);
        for (int j = 0; j < n; ++j) junk += static_cast<char>(rng() % 256);
        bob->send_raw(junk + "\r\n");
    }
    bob->send_raw(":prefix.only\r\n@tag=x\r\n:p PRIVMSG\r\n   \r\n\r\n");
    // Still serving: both kinds of client.
    ASSERT_FALSE(bob->closed());
    auto carol = s.user("carol");
    carol->send("PRIVMSG #lobby :after the garbage");
    auto got = next_chat(*ann);
    while (got && std::get_if<GroupMessage>(&*got) && std::get<GroupMessage>(*got).from != "carol") got = next_chat(*ann);
    ASSERT_TRUE(got.has_value());
    EXPECT_TRUE(s.natterd.alive());
    expect_clean_exit(s.natterd);
}

TEST(IrcLines, FloodControlAppliesToIrcClients) {
    IrcServer s({"--flood-rate", "1", "--flood-burst", "5"});
    auto bob = s.user("bob");
    std::string burst;
    for (int i = 0; i < 40; ++i) burst += "PRIVMSG #lobby :flood " + std::to_string(i) + "\r\n";
    bob->send_raw(burst);
    IrcMsg slow = expect_irc(*bob, "NOTICE");
    EXPECT_NE(slow.last().find("slow_down"), std::string::npos) << slow.raw;
    EXPECT_TRUE(bob->wait_closed());
    EXPECT_NE(s.natterd.wait_for_log("flooding").find("flooding"), std::string::npos);
}

TEST(IrcLines, LoginTimeoutAndIdlePing) {
    IrcServer s({"--login-timeout", "0.3", "--ping-interval", "0.3", "--ping-timeout", "0.3"});
    IrcClient idle(s.irc);
    EXPECT_NE(expect_irc(idle, "ERROR").last().find("login"), std::string::npos);
    EXPECT_TRUE(idle.wait_closed());
    auto bob = s.user("bob");
    IrcMsg ping = expect_irc(*bob, "PING");
    bob->send("PONG :" + ping.last());
    // Answered: still connected at the next ping, which goes unanswered and closes it.
    expect_irc(*bob, "PING");
    EXPECT_NE(expect_irc(*bob, "ERROR").last().find("ping timeout"), std::string::npos);
    EXPECT_TRUE(bob->wait_closed());
}

}  // namespace
