// The finer points of the IRC listener's answers over real sockets, where RFC 2812 and the
// modern IRC rules say exactly what a client may rely on: one RPL_ENDOFNAMES for a NAMES of
// several channels, the secret channel's '@', userhost-in-names, LUSERS' current and peak counts,
// USERHOST's away mark, KICK of channel/nick pairs, an empty real name, invalid UTF-8 answered
// with WARN, LIST of the channels that exist, server-time on live messages, WHO masks, and
// WHOWAS, TIME, INFO and HELP.
#include <algorithm>

#include "irc_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

TEST(IrcQueries, NamesOfSeveralChannelsEndOnceAndMarkSecretOnes) {
    IrcServer s;
    auto bob = s.user("bob");
    ASSERT_TRUE(bob->join("#a"));
    ASSERT_TRUE(bob->join("#b"));
    bob->send("MODE #b +s");
    bob->send("NAMES #a,#b,#nope");
    const std::vector<IrcMsg> got = answers(*bob);
    const auto names = with_command(got, "353");
    ASSERT_EQ(names.size(), 2u);
    EXPECT_EQ(names[0].param(1), "=");
    EXPECT_EQ(names[0].param(2), "#a");
    EXPECT_EQ(names[0].last(), "@bob");
    EXPECT_EQ(names[1].param(1), "@");  // #b is secret (RFC 2812 3.2.5)
    EXPECT_EQ(names[1].param(2), "#b");
    const auto ends = with_command(got, "366");
    ASSERT_EQ(ends.size(), 1u);
    EXPECT_EQ(ends[0].param(1), "#a,#b,#nope");
    // One channel that does not exist: its end alone.
    bob->send("NAMES #nope");
    EXPECT_EQ(expect_irc(*bob, "366").param(1), "#nope");
    // To an outsider the secret channel is one that does not exist: no names, no members, no topic.
    auto eve = s.user("eve");
    eve->send("NAMES #b");
    std::vector<IrcMsg> seen = answers(*eve);
    EXPECT_TRUE(with_command(seen, "353").empty());
    EXPECT_EQ(with_command(seen, "366").size(), 1u);
    eve->send("WHO #b");
    seen = answers(*eve);
    EXPECT_TRUE(with_command(seen, "352").empty());
    EXPECT_EQ(with_command(seen, "315").size(), 1u);
    eve->send("TOPIC #b");
    EXPECT_EQ(expect_irc(*eve, "403").param(1), "#b");
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, UserhostInNamesWhenNegotiated) {
    IrcServer s;
    auto ann = s.natter("ann");
    IrcClient c(s.irc);
    c.send("CAP LS 302");
    c.send("CAP REQ :userhost-in-names");
    EXPECT_EQ(expect_irc(c, "CAP").param(1), "LS");
    IrcMsg ack = expect_irc(c, "CAP");
    EXPECT_EQ(ack.param(1), "ACK");
    c.send("CAP END");
    ASSERT_TRUE(c.register_as("uhn"));
    c.send("JOIN #lobby");
    IrcMsg names = expect_irc(c, "353");
    EXPECT_EQ(names.last(), "ann!natter@natter uhn!~uhn@irc");
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, LusersCountsUsersAndTheirPeak) {
    IrcServer s;
    auto bob = s.user("bob");
    {
        auto cat = s.user("cat");
        bob->send("LUSERS");
        const std::vector<IrcMsg> got = answers(*bob);
        ASSERT_EQ(with_command(got, "265").size(), 1u);
        EXPECT_EQ(with_command(got, "265")[0].param(1), "2");
        EXPECT_EQ(with_command(got, "265")[0].param(2), "2");
        cat->send("QUIT :bye");
        ASSERT_TRUE(cat->wait_closed());
    }
    expect_irc(*bob, "QUIT");
    bob->send("LUSERS");
    const std::vector<IrcMsg> got = answers(*bob);
    for (const char* n : {"265", "266"}) {
        const auto line = with_command(got, n);
        ASSERT_EQ(line.size(), 1u) << n;
        EXPECT_EQ(line[0].param(1), "1") << n;  // now
        EXPECT_EQ(line[0].param(2), "2") << n;  // the most at once
    }
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, UserhostMarksAwayUsers) {
    IrcServer s;
    auto bob = s.user("bob");
    auto cat = s.user("cat");
    cat->send("AWAY :lunch");
    expect_irc(*cat, "306");
    bob->send("USERHOST cat bob");
    EXPECT_EQ(expect_irc(*bob, "302").last(), "cat=-~cat@irc bob=+~bob@irc");
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, KickPairsChannelsWithNicknames) {
    IrcServer s;
    auto op = s.user("op");
    auto x = s.user("x");
    auto y = s.user("y");
    ASSERT_TRUE(op->join("#a"));
    ASSERT_TRUE(op->join("#b"));
    ASSERT_TRUE(x->join("#a"));
    ASSERT_TRUE(y->join("#b"));
    op->send("KICK #a,#b x,y :out");
    IrcMsg kx = expect_irc(*x, "KICK");
    EXPECT_EQ(kx.param(0), "#a");
    EXPECT_EQ(kx.param(1), "x");
    EXPECT_EQ(kx.last(), "out");
    IrcMsg ky = expect_irc(*y, "KICK");
    EXPECT_EQ(ky.param(0), "#b");
    EXPECT_EQ(ky.param(1), "y");
    // Two channels for three nicknames pair up with nothing: a malformed request.
    op->send("KICK #a,#b x,y,z");
    EXPECT_EQ(expect_irc(*op, "461").param(1), "KICK");
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, EmptyRealNameIsRefused) {
    IrcServer s;
    IrcClient c(s.irc);
    c.send("NICK nameless");
    c.send("USER u 0 * :");
    EXPECT_EQ(expect_irc(c, "461").param(1), "USER");
    // The registration can still be completed properly.
    c.send("USER u 0 * :A Name");
    EXPECT_EQ(expect_irc(c, "001").param(0), "nameless");
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, InvalidUtf8IsReplacedAndTheSenderWarned) {
    IrcServer s;
    auto bob = s.user("bob");
    auto cat = s.user("cat");
    bob->send("PRIVMSG cat :hi\xAA");
    IrcMsg warn = expect_irc(*bob, "WARN");
    EXPECT_EQ(warn.param(0), "PRIVMSG");
    EXPECT_EQ(warn.param(1), "INVALID_UTF8");
    EXPECT_EQ(expect_irc(*cat, "PRIVMSG").last(), "hi\xEF\xBF\xBD");
    // A NOTICE is never answered, not even with a warning.
    bob->send("NOTICE cat :ho\xAA");
    EXPECT_TRUE(cat->wait_for([](const IrcMsg& m) { return m.last() == "ho\xEF\xBF\xBD"; }).has_value());
    EXPECT_TRUE(with_command(answers(*bob), "WARN").empty());
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, ListShowsChannelsWithMembers) {
    IrcServer s;
    auto bob = s.user("bob");
    ASSERT_TRUE(bob->join("#kept"));
    bob->send("TOPIC #kept :kept for its topic");
    expect_irc(*bob, "TOPIC");
    bob->send("PART #kept");
    expect_irc(*bob, "PART");
    bob->send("LIST");
    auto rooms = with_command(answers(*bob), "322");
    ASSERT_EQ(rooms.size(), 1u);
    EXPECT_EQ(rooms[0].param(1), "#lobby");
    // Asked for by name, the kept room is there, empty.
    bob->send("LIST #kept");
    rooms = with_command(answers(*bob), "322");
    ASSERT_EQ(rooms.size(), 1u);
    EXPECT_EQ(rooms[0].param(1), "#kept");
    EXPECT_EQ(rooms[0].param(2), "0");
    EXPECT_EQ(rooms[0].last(), "kept for its topic");
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, ServerTimeTagsLiveMessages) {
    IrcServer s;
    auto ann = s.natter("ann");
    IrcClient timed(s.irc);
    timed.send("CAP REQ :server-time");
    timed.send("CAP END");
    ASSERT_TRUE(timed.register_as("timed"));
    ASSERT_TRUE(timed.join("#lobby"));
    auto plain = s.user("plain");
    IrcMsg join = expect_irc(timed, "JOIN");
    EXPECT_EQ(join.nick(), "plain");
    EXPECT_EQ(join.tags.rfind("time=", 0), 0u) << join.raw;
    plain->send("PRIVMSG #lobby :now");
    plain->send("PRIVMSG timed :psst");
    IrcMsg room = expect_irc(timed, "PRIVMSG");
    EXPECT_EQ(room.last(), "now");
    EXPECT_EQ(room.tags.rfind("time=", 0), 0u) << room.raw;
    IrcMsg priv = expect_irc(timed, "PRIVMSG");
    EXPECT_EQ(priv.last(), "psst");
    EXPECT_EQ(priv.tags.rfind("time=", 0), 0u) << priv.raw;
    ann->send(Say{"from natter", "#lobby"});
    IrcMsg untagged = expect_irc(*plain, "PRIVMSG");
    EXPECT_EQ(untagged.last(), "from natter");
    EXPECT_TRUE(untagged.tags.empty()) << untagged.raw;
    EXPECT_EQ(expect_irc(timed, "PRIVMSG").tags.rfind("time=", 0), 0u);
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, WhoMasksMatchNicknamesAndIdents) {
    IrcServer s;
    auto ann = s.natter("Annie");
    auto bob = s.user("bob");
    auto cat = s.user("cathy");
    cat->send("AWAY :out");
    expect_irc(*cat, "306");
    auto nicks = [](const std::vector<IrcMsg>& got) {
        std::vector<std::string> n;
        for (const IrcMsg& m : with_command(got, "352")) n.push_back(m.param(5) + " " + m.param(6));
        std::sort(n.begin(), n.end());
        return n;
    };
    bob->send("WHO *");
    std::vector<IrcMsg> got = answers(*bob);
    EXPECT_EQ(nicks(got), (std::vector<std::string>{"Annie H", "bob H", "cathy G"}));
    EXPECT_EQ(with_command(got, "315")[0].param(1), "*");
    // Nicknames ignore case; '?' is one character; the end names the mask as sent.
    bob->send("WHO ANN*");
    got = answers(*bob);
    EXPECT_EQ(nicks(got), std::vector<std::string>{"Annie H"});
    EXPECT_EQ(with_command(got, "315")[0].param(1), "ANN*");
    bob->send("WHO c?thy");
    EXPECT_EQ(nicks(answers(*bob)), std::vector<std::string>{"cathy G"});
    // User names and hosts: every IRC user's host is "irc", every natter user's "natter".
    bob->send("WHO *natter*");
    EXPECT_EQ(nicks(answers(*bob)), std::vector<std::string>{"Annie H"});
    bob->send("WHO x*");
    got = answers(*bob);
    EXPECT_TRUE(with_command(got, "352").empty());
    EXPECT_EQ(with_command(got, "315").size(), 1u);
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, WhowasRemembersNicknamesGivenUp) {
    IrcServer s;
    auto bob = s.user("bob");
    {
        IrcClient gone(s.irc);
        gone.send("NICK dora");
        gone.send("USER explorer 0 * :Dora the Explorer");
        expect_irc(gone, "376");
        gone.send("NICK dorothy");
        expect_irc(gone, "NICK");
        gone.send("QUIT :later");
        ASSERT_TRUE(gone.wait_closed());
    }
    auto ann = s.natter("ann");
    ann->send(ChangeNick{"annie"});
    expect<Renamed>(*ann);
    // Newest first: the quit as dorothy, then the rename from dora; natter users too.
    bob->send("WHOWAS dora");
    std::vector<IrcMsg> got = answers(*bob);
    auto users = with_command(got, "314");
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].param(1), "dora");
    EXPECT_EQ(users[0].param(2), "~explorer");
    EXPECT_EQ(users[0].last(), "Dora the Explorer");
    EXPECT_EQ(with_command(got, "312").size(), 1u);
    EXPECT_EQ(with_command(got, "369")[0].param(1), "dora");
    bob->send("WHOWAS DOROTHY");
    EXPECT_EQ(expect_irc(*bob, "314").param(1), "dorothy");
    bob->send("WHOWAS ann 1");
    got = answers(*bob);
    ASSERT_EQ(with_command(got, "314").size(), 1u);
    EXPECT_EQ(with_command(got, "314")[0].param(2), "natter");
    bob->send("WHOWAS nobody");
    got = answers(*bob);
    EXPECT_EQ(with_command(got, "406").size(), 1u);
    EXPECT_EQ(with_command(got, "369").size(), 1u);
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, TimeAndInfo) {
    IrcServer s({"--server-name", "irc.test"});
    auto bob = s.user("bob");
    bob->send("TIME");
    IrcMsg t = expect_irc(*bob, "391");
    EXPECT_EQ(t.param(1), "irc.test");
    EXPECT_NE(t.last().find("UTC"), std::string::npos);
    bob->send("INFO");
    std::vector<IrcMsg> got = answers(*bob);
    EXPECT_GE(with_command(got, "371").size(), 1u);
    EXPECT_EQ(with_command(got, "374").size(), 1u);
    expect_clean_exit(s.natterd);
}

TEST(IrcQueries, HelpListsTheCommandsAndExplainsOne) {
    IrcServer s;
    auto bob = s.user("bob");
    bob->send("HELP");
    std::vector<IrcMsg> got = answers(*bob);
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(got.front().command, "704");
    EXPECT_EQ(with_command(got, "706").size(), 1u);
    std::string index;
    for (const IrcMsg& m : with_command(got, "705")) index += m.last() + " ";
    for (const char* command : {"JOIN", "PRIVMSG", "MODE", "KICK", "WHOIS", "HELP"})
        EXPECT_NE(index.find(command), std::string::npos) << command << " missing from " << index;
    bob->send("HELP mode");
    got = answers(*bob);
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(got.front().param(1), "MODE");
    bob->send("HELP NOSUCHCOMMAND");
    EXPECT_EQ(expect_irc(*bob, "524").param(1), "NOSUCHCOMMAND");
    expect_clean_exit(s.natterd);
}

}  // namespace
