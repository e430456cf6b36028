// IRC and natter users chatting through one natterd over real sockets: rooms as channels,
// messages and private messages both ways, topics, names, who, whois, list, away, kick, modes,
// quits, and the numerics for what is refused.
#include "irc_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

// The next chat message from `nick` (natter clients get their own messages back too).
std::optional<Message> next_chat_from(WireClient& c, const std::string& nick) {
    for (;;) {
        auto m = next_chat(c);
        if (!m) return m;
        const std::string from = std::visit(
            [](const auto& x) -> std::string {
                if constexpr (std::is_same_v<std::decay_t<decltype(x)>, GroupMessage> ||
                              std::is_same_v<std::decay_t<decltype(x)>, PrivateMessage> ||
                              std::is_same_v<std::decay_t<decltype(x)>, Action>)
                    return x.from;
                return "";
            },
            *m);
        if (from == nick) return m;
    }
}

TEST(IrcChat, LobbyMessagesCrossBothWays) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    EXPECT_EQ(expect<Joined>(*ann).nick, "bob");
    ann->send(Say{"hello from natter", "#lobby"});
    IrcMsg m = expect_irc(*bob, "PRIVMSG");
    EXPECT_EQ(m.prefix, "ann!natter@natter");
    EXPECT_EQ(m.param(0), "#lobby");
    EXPECT_EQ(m.last(), "hello from natter");
    bob->send("PRIVMSG #lobby :hello from IRC, ünïcödé ✓");
    auto got = next_chat_from(*ann, "bob");
    ASSERT_TRUE(got.has_value());
    const auto* g = std::get_if<GroupMessage>(&*got);
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->from, "bob");
    EXPECT_EQ(g->room, "#lobby");
    EXPECT_EQ(g->text, "hello from IRC, ünïcödé ✓");
    // No echo of its own message for an IRC client that did not ask for echo-message.
    for (const IrcMsg& a : answers(*bob)) EXPECT_NE(a.command, "PRIVMSG") << a.raw;
    // Actions both ways.
    bob->send("PRIVMSG #lobby :\x01" "ACTION waves\x01");
    auto act = next_chat_from(*ann, "bob");
    ASSERT_TRUE(act.has_value());
    ASSERT_TRUE(std::holds_alternative<Action>(*act));
    EXPECT_EQ(std::get<Action>(*act).text, "waves");
    ann->send(Me{"bows", "#lobby"});
    EXPECT_EQ(expect_irc(*bob, "PRIVMSG").last(), "\x01" "ACTION bows\x01");
    expect_clean_exit(s.natterd);
}

TEST(IrcChat, EchoMessageWhenNegotiated) {
    IrcServer s;
    IrcClient c(s.irc);
    c.send("CAP REQ :echo-message");
    c.send("CAP END");
    ASSERT_TRUE(c.register_as("echo"));
    ASSERT_TRUE(c.join("#lobby"));
    c.send("PRIVMSG #lobby :me too");
    IrcMsg m = expect_irc(c, "PRIVMSG");
    EXPECT_EQ(m.nick(), "echo");
    EXPECT_EQ(m.last(), "me too");
}

TEST(IrcChat, PrivateMessagesBothWays) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    ann->send(Tell{"bob", "psst, bob"});
    IrcMsg m = expect_irc(*bob, "PRIVMSG");
    EXPECT_EQ(m.nick(), "ann");
    EXPECT_EQ(m.param(0), "bob");
    EXPECT_EQ(m.last(), "psst, bob");
    bob->send("PRIVMSG ANN :psst back");
    PrivateMessage p = std::get<PrivateMessage>(next_chat_from(*ann, "bob").value_or(PrivateMessage{}));
    EXPECT_EQ(p.from, "bob");
    EXPECT_EQ(p.to, "ann");
    EXPECT_EQ(p.text, "psst back");
    // Between two IRC users too, and several targets at once.
    auto carol = s.user("carol");
    bob->send("PRIVMSG carol,ann :to you both");
    EXPECT_EQ(expect_irc(*carol, "PRIVMSG").last(), "to you both");
    EXPECT_EQ(expect<PrivateMessage>(*ann).text, "to you both");
    // natter has no private action: it arrives as words.
    bob->send("PRIVMSG ann :\x01" "ACTION winks\x01");
    EXPECT_EQ(expect<PrivateMessage>(*ann).text, "* bob winks");
    expect_clean_exit(s.natterd);
}

TEST(IrcChat, RoomsAreChannels) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    bob->send("JOIN #rust,#go");
    IrcMsg j = expect_irc(*bob, "JOIN");
    EXPECT_EQ(j.param(0), "#rust");
    IrcMsg names = expect_irc(*bob, "353");
    EXPECT_EQ(names.param(2), "#rust");
    EXPECT_EQ(names.last(), "@bob");  // the creator is its operator
    EXPECT_EQ(expect_irc(*bob, "366").param(1), "#rust");
    EXPECT_EQ(expect_irc(*bob, "JOIN").param(0), "#go");
    // A natter user joins: the IRC member sees it.
    ann->send(Join{"#rust"});
    IrcMsg aj = expect_irc(*bob, "JOIN");
    EXPECT_EQ(aj.prefix, "ann!natter@natter");
    EXPECT_EQ(aj.param(0), "#rust");
    // The topic, set from IRC, reaches both.
    bob->send("TOPIC #rust :borrow checker questions welcome");
    IrcMsg t = expect_irc(*bob, "TOPIC");
    EXPECT_EQ(t.nick(), "bob");
    EXPECT_EQ(t.last(), "borrow checker questions welcome");
    Topic nt = expect<Topic>(*ann);
    EXPECT_EQ(nt.by, "bob");
    EXPECT_EQ(nt.text, "borrow checker questions welcome");
    // A newcomer from IRC gets topic, who set it, and names.
    auto carol = s.user("carol");
    carol->send("JOIN #RUST");
    IrcMsg cj = expect_irc(*carol, "JOIN");
    EXPECT_EQ(cj.param(0), "#rust");  // the room keeps its creator's spelling
    IrcMsg topic = expect_irc(*carol, "332");
    EXPECT_EQ(topic.last(), "borrow checker questions welcome");
    IrcMsg who_time = expect_irc(*carol, "333");
    EXPECT_EQ(who_time.param(2), "bob");
    IrcMsg cn = expect_irc(*carol, "353");
    EXPECT_EQ(cn.last(), "ann @bob carol");
    // Room messages go to the room only.
    carol->send("PRIVMSG #rust :in rust");
    auto got = next_chat(*ann);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(std::get<GroupMessage>(*got).room, "#rust");
    EXPECT_EQ(expect_irc(*bob, "PRIVMSG").param(0), "#rust");
    // Topic and names on request.
    carol->send("TOPIC #rust");
    EXPECT_EQ(expect_irc(*carol, "332").last(), "borrow checker questions welcome");
    carol->send("NAMES #rust");
    EXPECT_EQ(expect_irc(*carol, "353").last(), "ann @bob carol");
    EXPECT_EQ(expect_irc(*carol, "366").param(1), "#rust");
    // Parting, with a reason, seen by both kinds.
    carol->send("PART #rust :off to lunch");
    IrcMsg part = expect_irc(*bob, "PART");
    EXPECT_EQ(part.nick(), "carol");
    EXPECT_EQ(part.last(), "off to lunch");
    EXPECT_EQ(expect_irc(*carol, "PART").param(0), "#rust");
    Left l = expect<Left>(*ann);
    EXPECT_EQ(l.nick, "carol");
    EXPECT_EQ(l.room, "#rust");
    EXPECT_EQ(l.reason, "off to lunch");
    // A natter part reaches the IRC member.
    ann->send(Part{"#rust", "bye"});
    IrcMsg ap = expect_irc(*bob, "PART");
    EXPECT_EQ(ap.nick(), "ann");
    EXPECT_EQ(ap.last(), "bye");
    expect_clean_exit(s.natterd);
}

TEST(IrcChat, QueriesWhoWhoisListLusersVersion) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    bob->send("JOIN #ops");
    expect_irc(*bob, "366");
    ann->send(Join{"#ops"});
    expect_irc(*bob, "JOIN");
    bob->send("WHO #ops");
    std::vector<IrcMsg> who = answers(*bob);
    auto rows = with_command(who, "352");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].param(5), "ann");
    EXPECT_EQ(rows[0].param(6), "H");
    EXPECT_EQ(rows[1].param(5), "bob");
    EXPECT_EQ(rows[1].param(6), "H@");
    EXPECT_EQ(rows[1].param(2), "~bob");
    EXPECT_EQ(rows[1].last(), "0 bob the tester");
    EXPECT_EQ(with_command(who, "315").size(), 1u);
    bob->send("WHOIS ann");
    std::vector<IrcMsg> whois = answers(*bob);
    ASSERT_EQ(with_command(whois, "311").size(), 1u);
    EXPECT_EQ(with_command(whois, "311")[0].param(1), "ann");
    ASSERT_EQ(with_command(whois, "319").size(), 1u);
    EXPECT_EQ(with_command(whois, "319")[0].last(), "#lobby #ops");
    EXPECT_EQ(with_command(whois, "312").size(), 1u);
    EXPECT_EQ(with_command(whois, "318").size(), 1u);
    bob->send("WHOIS nobody");
    std::vector<IrcMsg> none = answers(*bob);
    EXPECT_EQ(with_command(none, "401").size(), 1u);
    EXPECT_EQ(with_command(none, "318").size(), 1u);
    bob->send("LIST");
    std::vector<IrcMsg> list = answers(*bob);
    auto rooms = with_command(list, "322");
    ASSERT_EQ(rooms.size(), 2u);
    EXPECT_EQ(rooms[0].param(1), "#lobby");
    EXPECT_EQ(rooms[0].param(2), "2");
    EXPECT_EQ(rooms[1].param(1), "#ops");
    EXPECT_EQ(with_command(list, "323").size(), 1u);
    bob->send("ISON ann nobody bob");
    EXPECT_EQ(expect_irc(*bob, "303").last(), "ann bob");
    bob->send("LUSERS");
    EXPECT_NE(expect_irc(*bob, "251").last().find("2 users"), std::string::npos);
    bob->send("VERSION");
    EXPECT_EQ(expect_irc(*bob, "351").param(1), "natterd-0.1.0.");
    bob->send("MOTD");
    expect_irc(*bob, "376");
    bob->send("MODE #ops");
    EXPECT_EQ(expect_irc(*bob, "324").param(2), "+n");
    bob->send("MODE #ops b");
    expect_irc(*bob, "368");
    bob->send("MODE bob");
    EXPECT_EQ(expect_irc(*bob, "221").param(1), "+");
    bob->send("MODE ann +i");
    expect_irc(*bob, "502");
}

TEST(IrcChat, RefusalsAsNumerics) {
    IrcServer s;
    auto bob = s.user("bob");
    auto carol = s.user("carol");
    carol->send("JOIN #closed");
    expect_irc(*carol, "366");
    bob->send("PRIVMSG nobody :hi");
    EXPECT_EQ(expect_irc(*bob, "401").param(1), "nobody");
    bob->send("PRIVMSG #nowhere :hi");
    EXPECT_EQ(expect_irc(*bob, "403").param(1), "#nowhere");
    bob->send("PRIVMSG #closed :let me in");
    EXPECT_EQ(expect_irc(*bob, "404").param(1), "#closed");
    bob->send("PRIVMSG");
    expect_irc(*bob, "411");
    bob->send("PRIVMSG #lobby");
    expect_irc(*bob, "412");
    bob->send("PRIVMSG #lobby :");
    expect_irc(*bob, "412");
    bob->send("PART #closed");
    EXPECT_EQ(expect_irc(*bob, "442").param(1), "#closed");
    bob->send("JOIN #bad.name!");
    EXPECT_EQ(expect_irc(*bob, "403").param(1), "#bad.name!");
    bob->send("JOIN");
    EXPECT_EQ(expect_irc(*bob, "461").param(1), "JOIN");
    bob->send("KICK #closed carol");
    EXPECT_EQ(expect_irc(*bob, "442").param(1), "#closed");
    bob->send("TOPIC #nowhere :x");
    EXPECT_EQ(expect_irc(*bob, "403").param(1), "#nowhere");
    // NOTICE is never answered with an error (RFC 2812 3.3.2).
    bob->send("NOTICE nobody :hi");
    bob->send("NOTICE #nowhere :hi");
    bob->send("NOTICE #closed :hi");
    bob->send("NOTICE");
    EXPECT_TRUE(answers(*bob).empty());
    expect_clean_exit(s.natterd);
}

// A NOTICE stays a notice: IRC clients get a NOTICE, natter clients a message marked notice,
// private or to a room, and a natter bot's notices reach IRC as NOTICE.
TEST(IrcChat, NoticesReachBothKindsAsNotices) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    auto carol = s.user("carol");
    bob->send("NOTICE #lobby :a notice");
    IrcMsg n = expect_irc(*carol, "NOTICE");
    EXPECT_EQ(n.nick(), "bob");
    EXPECT_EQ(n.param(0), "#lobby");
    EXPECT_EQ(n.last(), "a notice");
    auto got = next_chat(*ann);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(std::get<GroupMessage>(*got).text, "a notice");
    EXPECT_TRUE(std::get<GroupMessage>(*got).notice);
    bob->send("NOTICE ann :privately");
    got = next_chat(*ann);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(std::get<PrivateMessage>(*got).text, "privately");
    EXPECT_TRUE(std::get<PrivateMessage>(*got).notice);
    ann->send(Tell{"carol", "an automatic answer", true});
    n = expect_irc(*carol, "NOTICE");
    EXPECT_EQ(n.param(0), "carol");
    EXPECT_EQ(n.last(), "an automatic answer");
    ann->send(Say{"build 812 passed", "#lobby", true});
    EXPECT_EQ(expect_irc(*bob, "NOTICE").last(), "build 812 passed");
    // A PRIVMSG is still one.
    bob->send("PRIVMSG #lobby :plain");
    EXPECT_EQ(expect_irc(*carol, "PRIVMSG").last(), "plain");
    expect_clean_exit(s.natterd);
}

TEST(IrcChat, OperatorsKickAndModes) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");    // creates #ops: its operator
    auto carol = s.user("carol");
    bob->send("JOIN #ops");
    expect_irc(*bob, "366");
    carol->send("JOIN #ops");
    expect_irc(*carol, "366");
    ann->send(Join{"#ops"});
    expect<HistoryEnd>(*ann);
    // A non-operator may not change modes or kick.
    carol->send("MODE #ops +m");
    EXPECT_EQ(expect_irc(*carol, "482").param(1), "#ops");
    carol->send("KICK #ops ann");
    expect_irc(*carol, "482");
    // Moderated: only operators speak; natter users are refused too.
    bob->send("MODE #ops +mt");
    IrcMsg m = expect_irc(*carol, "MODE");
    EXPECT_EQ(m.nick(), "bob");
    EXPECT_EQ(m.param(1), "+mt") << "one MODE line for the whole change";
    bob->send("MODE #ops");
    EXPECT_EQ(expect_irc(*bob, "324").param(2), "+mnt");
    carol->send("PRIVMSG #ops :may I?");
    EXPECT_EQ(expect_irc(*carol, "404").param(1), "#ops");
    ann->send(Say{"may I?", "#ops"});
    expect_error(*ann, err::kNotOperator);
    ann->send(TopicRequest{"#ops", std::string("new topic")});
    expect_error(*ann, err::kNotOperator);
    carol->send("TOPIC #ops :new topic");
    expect_irc(*carol, "482");
    // Operator status given to carol: she may speak and kick; ann's list shows it.
    bob->send("MODE #ops +o carol");
    IrcMsg op = expect_irc(*carol, "MODE");
    EXPECT_EQ(op.param(1), "+o");
    EXPECT_EQ(op.param(2), "carol");
    UserList ul = expect<UserList>(*ann);
    bool carol_op = false;
    for (const UserInfo& u : ul.users) carol_op = carol_op || (u.nick == "carol" && u.op);
    EXPECT_TRUE(carol_op);
    carol->send("KICK #ops ann :too quiet");
    IrcMsg k = expect_irc(*bob, "KICK");
    EXPECT_EQ(k.nick(), "carol");
    EXPECT_EQ(k.param(0), "#ops");
    EXPECT_EQ(k.param(1), "ann");
    EXPECT_EQ(k.last(), "too quiet");
    Left kicked = expect<Left>(*ann);
    EXPECT_EQ(kicked.nick, "ann");
    EXPECT_EQ(kicked.room, "#ops");
    EXPECT_EQ(kicked.by, "carol");
    EXPECT_EQ(kicked.reason, "too quiet");
    ann->send(Say{"still here?", "#ops"});
    expect_error(*ann, err::kNotInRoom);
    // Kicking someone not in the room, or nobody.
    carol->send("KICK #ops ann");
    IrcMsg not_there = expect_irc(*carol, "441");
    EXPECT_EQ(not_there.param(1), "ann");
    EXPECT_EQ(not_there.param(2), "#ops");
    carol->send("KICK #ops nobody");
    EXPECT_EQ(expect_irc(*carol, "401").param(1), "nobody");
    carol->send("MODE #ops +z");
    EXPECT_EQ(expect_irc(*carol, "472").param(1), "z");
    // An IRC user kicked sees its own KICK.
    carol->send("KICK #ops bob :your turn");
    IrcMsg self = expect_irc(*bob, "KICK");
    EXPECT_EQ(self.param(1), "bob");
    expect_clean_exit(s.natterd);
}

TEST(IrcChat, SecretRoomsAreListedToMembersOnly) {
    IrcServer s;
    auto bob = s.user("bob");
    auto carol = s.user("carol");
    bob->send("JOIN #hidden");
    expect_irc(*bob, "366");
    bob->send("MODE #hidden +s");
    expect_irc(*bob, "MODE");
    carol->send("LIST");
    for (const IrcMsg& m : with_command(answers(*carol), "322")) EXPECT_NE(m.param(1), "#hidden");
    bob->send("LIST");
    bool listed = false;
    for (const IrcMsg& m : with_command(answers(*bob), "322")) listed = listed || m.param(1) == "#hidden";
    EXPECT_TRUE(listed);
}

TEST(IrcChat, AwayAndQuit) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    auto carol = s.user("carol");
    bob->send("AWAY :at lunch");
    expect_irc(*bob, "306");
    carol->send("PRIVMSG bob :there?");
    IrcMsg away = expect_irc(*carol, "301");
    EXPECT_EQ(away.param(1), "bob");
    EXPECT_EQ(away.last(), "at lunch");
    carol->send("WHOIS bob");
    EXPECT_EQ(with_command(answers(*carol), "301").size(), 1u);
    bob->send("AWAY");
    expect_irc(*bob, "305");
    carol->send("PRIVMSG bob :back?");
    EXPECT_TRUE(with_command(answers(*carol), "301").empty());
    // Quitting: everyone sharing a room hears it, each in its protocol.
    bob->send("QUIT :gone fishing");
    EXPECT_NE(expect_irc(*bob, "ERROR").last().find("Closing link"), std::string::npos);
    EXPECT_TRUE(bob->wait_closed());
    IrcMsg q = expect_irc(*carol, "QUIT");
    EXPECT_EQ(q.prefix, "bob!~bob@irc");
    EXPECT_EQ(q.last(), "Quit: gone fishing");
    EXPECT_EQ(expect_left(*ann, "bob"), "quit: gone fishing");
    // A natter user's quit reaches IRC users.
    ann->send(Quit{"bye all"});
    IrcMsg aq = expect_irc(*carol, "QUIT");
    EXPECT_EQ(aq.nick(), "ann");
    EXPECT_EQ(aq.last(), "Quit: bye all");
    // A dropped connection is a quit too.
    carol.reset();
    expect_clean_exit(s.natterd);
}

}  // namespace
