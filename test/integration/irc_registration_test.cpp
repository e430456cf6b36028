// The IRC listener's registration over real sockets: numerics, ISUPPORT, MOTD, CAP, PASS, the
// nickname rule and its collisions with natter users, and what is refused before registration.
#include <algorithm>

#include "irc_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

bool has_token(const std::vector<IrcMsg>& lines, const std::string& token) {
    for (const IrcMsg& m : with_command(lines, "005"))
        if (std::find(m.params.begin(), m.params.end(), token) != m.params.end()) return true;
    return false;
}

TEST(IrcRegistration, WelcomeNumericsISupportAndMotdJoinNothing) {
    IrcServer s({"--motd", "hello from the test", "--server-name", "irc.test"});
    IrcClient c(s.irc);
    std::vector<IrcMsg> seen;
    ASSERT_TRUE(c.register_as("alice", "", &seen));
    for (const char* n : {"001", "002", "003", "004", "005", "375", "372", "376"}) {
        const auto got = with_command(seen, n);
        ASSERT_FALSE(got.empty()) << "no " << n;
        EXPECT_EQ(got[0].prefix, "irc.test") << n;
        EXPECT_EQ(got[0].param(0), "alice") << n;
    }
    EXPECT_EQ(with_command(seen, "004")[0].param(1), "irc.test");
    for (const char* t : {"CASEMAPPING=rfc7613", "CHANTYPES=#", "NICKLEN=24", "CHANNELLEN=32", "TOPICLEN=390",
                          "PREFIX=(ov)@+", "CHANMODES=b,k,l,imnst", "CHANLIMIT=#:50", "UTF8ONLY"})
        EXPECT_TRUE(has_token(seen, t)) << t;
    EXPECT_NE(with_command(seen, "372")[0].last().find("hello from the test"), std::string::npos);
    // The MOTD ends with where natter users talk; an IRC client joins nothing by itself (a
    // natter client is put in #lobby), so nothing comes after the MOTD.
    EXPECT_NE(with_command(seen, "372").back().last().find("/join #lobby"), std::string::npos);
    EXPECT_EQ(seen.back().command, "376");
    EXPECT_TRUE(answers(c).empty());
    ASSERT_TRUE(c.join("#lobby"));
    c.send("NAMES #lobby");
    EXPECT_EQ(expect_irc(c, "353").last(), "alice");
    expect_clean_exit(s.natterd);
}

TEST(IrcRegistration, CapNegotiationHoldsRegistrationUntilEnd) {
    IrcServer s;
    IrcClient c(s.irc);
    c.send("CAP LS 302");
    IrcMsg ls = expect_irc(c, "CAP");
    EXPECT_EQ(ls.param(1), "LS");
    EXPECT_NE(ls.last().find("server-time"), std::string::npos);
    c.send("NICK carol");
    c.send("USER carol 0 * :Carol");
    // Registration waits for CAP END.
    for (const IrcMsg& m : answers(c)) EXPECT_NE(m.command, "001") << m.raw;
    c.send("CAP REQ :server-time multi-prefix");
    IrcMsg ack = expect_irc(c, "CAP");
    EXPECT_EQ(ack.param(1), "ACK");
    EXPECT_EQ(ack.last(), "server-time multi-prefix");
    c.send("CAP REQ :server-time no-such-cap");
    IrcMsg nak = expect_irc(c, "CAP");
    EXPECT_EQ(nak.param(1), "NAK");
    c.send("CAP END");
    EXPECT_EQ(expect_irc(c, "001").param(0), "carol");
    c.send("CAP LIST");
    IrcMsg list = expect_irc(c, "CAP");
    EXPECT_EQ(list.param(1), "LIST");
    EXPECT_EQ(list.last(), "multi-prefix server-time");
    c.send("CAP FROB");
    EXPECT_EQ(expect_irc(c, "410").param(1), "FROB");
}

TEST(IrcRegistration, OnlyRegistrationCommandsBeforeWelcome) {
    IrcServer s;
    IrcClient c(s.irc);
    c.send("JOIN #rust");
    c.send("PRIVMSG #lobby :hi");
    c.send("WHOIS bob");
    const auto got = answers(c);  // PING is allowed before registration
    EXPECT_EQ(with_command(got, "451").size(), 3u);
    c.send("USER onlyuser");
    EXPECT_EQ(expect_irc(c, "461").param(1), "USER");
    c.send("NICK");
    expect_irc(c, "431");
    ASSERT_TRUE(c.register_as("dave"));
    c.send("USER dave 0 * :again");
    expect_irc(c, "462");
    c.send("PASS late");
    expect_irc(c, "462");
    c.send("FROBNICATE now");
    EXPECT_EQ(expect_irc(c, "421").param(1), "FROBNICATE");
}

TEST(IrcRegistration, PasswordWhenConfigured) {
    IrcServer s({"--irc-password", "s3cret"});
    {
        IrcClient none(s.irc);
        EXPECT_FALSE(none.register_as("nopass"));
        EXPECT_TRUE(none.wait_closed());
    }
    {
        IrcClient wrong(s.irc);
        wrong.send("PASS guess");
        wrong.send("NICK wrongpass");
        wrong.send("USER w 0 * :w");
        expect_irc(wrong, "464");
        EXPECT_NE(expect_irc(wrong, "ERROR").last().find("bad password"), std::string::npos);
        EXPECT_TRUE(wrong.wait_closed());
    }
    IrcClient right(s.irc);
    EXPECT_TRUE(right.register_as("rightpass", "s3cret"));
    // A natter client needs no IRC password.
    auto ann = s.natter("ann");
    expect_clean_exit(s.natterd);
}

TEST(IrcRegistration, NicknamesFollowNattersRule) {
    IrcServer s;
    IrcClient c(s.irc);
    for (const char* bad : {"bad[nick]", "1abc", "a|b", "trop_long_aaaaaaaaaaaaaaaaaaaaaaaa"}) {
        c.send(std::string("NICK ") + bad);
        IrcMsg m = expect_irc(c, "432");
        EXPECT_EQ(m.param(1), bad);
    }
    // A nickname in another script is fine, as for natter clients.
    EXPECT_TRUE(c.register_as("Зоя"));
}

TEST(IrcRegistration, NicknameCollisionsBetweenIrcAndNatterUsers) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bill = s.natter("bill");
    IrcClient c(s.irc);
    c.send("USER x 0 * :x");
    for (const char* taken : {"ann", "ANN", "bi1l" /* looks the same as bill */}) {
        c.send(std::string("NICK ") + taken);
        IrcMsg m = expect_irc(c, "433");
        EXPECT_EQ(m.param(1), taken);
    }
    c.send("NICK ann2");
    EXPECT_EQ(expect_irc(c, "001").param(0), "ann2");
    // The other way round: a natter client cannot take an IRC user's nickname.
    WireClient late(s.natterd.port());
    EXPECT_FALSE(late.login("ANN2").has_value());
    ASSERT_TRUE(late.last_error().has_value());
    EXPECT_EQ(late.last_error()->code, err::kNickTaken);
    // Nor can an IRC user rename to a natter user's nickname.
    c.send("NICK Ann");
    EXPECT_EQ(expect_irc(c, "433").param(1), "Ann");
}

TEST(IrcRegistration, NickChangesReachBothSides) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    auto carol = s.user("carol");
    bob->send("NICK robert");
    IrcMsg self = expect_irc(*bob, "NICK");
    EXPECT_EQ(self.nick(), "bob");
    EXPECT_EQ(self.last(), "robert");
    IrcMsg seen = expect_irc(*carol, "NICK");
    EXPECT_EQ(seen.prefix, "bob!~bob@irc");
    EXPECT_EQ(seen.last(), "robert");
    Renamed r = expect<Renamed>(*ann);
    EXPECT_EQ(r.from, "bob");
    EXPECT_EQ(r.to, "robert");
    // And a natter rename reaches IRC users.
    ann->send(ChangeNick{"anna"});
    IrcMsg n = expect_irc(*carol, "NICK");
    EXPECT_EQ(n.prefix, "ann!natter@natter");
    EXPECT_EQ(n.last(), "anna");
    // The renamed IRC user still speaks under its new name, with its own ident.
    bob->send("PRIVMSG #lobby :new name");
    IrcMsg said = expect_irc(*carol, "PRIVMSG");
    EXPECT_EQ(said.prefix, "robert!~bob@irc");
    expect_clean_exit(s.natterd);
}

}  // namespace
