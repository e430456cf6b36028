// Room modes over real sockets, with IRC and natter users in the same rooms: voice in a
// moderated room, no-external-messages (+n, on in a new room), invitations and invite-only rooms
// (+i), keys (+k), member limits (+l), bans (+b), the creation time after a mode query, and a
// topic set to what it already is.
#include <ctime>

#include "irc_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

// The next users list for `room` (skipping others).
UserList next_list(WireClient& c, const std::string& room) {
    for (;;) {
        auto u = c.wait_for<UserList>();
        if (!u) {
            ADD_FAILURE() << "no users list for " << room;
            return {};
        }
        if (u->room == room) return *u;
    }
}

bool voiced_in(const UserList& u, const std::string& nick) {
    for (const UserInfo& x : u.users)
        if (x.nick == nick) return x.voice;
    return false;
}

TEST(IrcModes, VoicedMembersSpeakInAModeratedRoom) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");  // creates #mod: its operator
    auto carol = s.user("carol");
    bob->send("JOIN #mod");
    expect_irc(*bob, "366");
    carol->send("JOIN #mod");
    expect_irc(*carol, "366");
    ann->send(Join{"#mod"});
    read_join_answer(*ann, "#mod");
    bob->send("MODE #mod +m");
    EXPECT_EQ(expect_irc(*carol, "MODE").param(1), "+m");
    carol->send("PRIVMSG #mod :may I?");
    EXPECT_EQ(expect_irc(*carol, "404").param(1), "#mod");
    // Only an operator gives voice.
    carol->send("MODE #mod +v carol");
    EXPECT_EQ(expect_irc(*carol, "482").param(1), "#mod");
    bob->send("MODE #mod +v carol");
    IrcMsg v = expect_irc(*carol, "MODE");
    EXPECT_EQ(v.nick(), "bob");
    EXPECT_EQ(v.param(0), "#mod");
    EXPECT_EQ(v.param(1), "+v");
    EXPECT_EQ(v.param(2), "carol");
    EXPECT_TRUE(voiced_in(next_list(*ann, "#mod"), "carol")) << "natter members get the fresh list";
    carol->send("PRIVMSG #mod :thank you");
    IrcMsg said = expect_irc(*bob, "PRIVMSG");
    EXPECT_EQ(said.nick(), "carol");
    EXPECT_EQ(said.last(), "thank you");
    // natter users are held to the same rule.
    ann->send(Say{"and me?", "#mod"});
    expect_error(*ann, err::kNotOperator);
    bob->send("MODE #mod +v ann");
    EXPECT_TRUE(voiced_in(next_list(*ann, "#mod"), "ann"));
    ann->send(Say{"thanks", "#mod"});
    EXPECT_EQ(expect_irc(*carol, "PRIVMSG").last(), "thanks");
    // Names and who show voice; voice does not set a locked topic.
    carol->send("NAMES #mod");
    EXPECT_EQ(expect_irc(*carol, "353").last(), "+ann @bob +carol");
    bob->send("MODE #mod +t");
    expect_irc(*carol, "MODE");
    carol->send("TOPIC #mod :mine");
    expect_irc(*carol, "482");
    // Voice goes with the member: parting and coming back, carol is silent again.
    carol->send("PART #mod");
    expect_irc(*carol, "PART");
    carol->send("JOIN #mod");
    EXPECT_EQ(expect_irc(*carol, "353").last(), "+ann @bob carol");
    carol->send("PRIVMSG #mod :still?");
    expect_irc(*carol, "404");
    expect_clean_exit(s.natterd);
}

TEST(IrcModes, MinusNLetsAnyoneOnlineSpeakToTheRoom) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");
    auto carol = s.user("carol");
    bob->send("JOIN #closed");
    expect_irc(*bob, "366");
    // +n by default: those outside are refused.
    bob->send("MODE #closed");
    EXPECT_EQ(expect_irc(*bob, "324").param(2), "+n");
    carol->send("PRIVMSG #closed :let me in");
    EXPECT_EQ(expect_irc(*carol, "404").param(1), "#closed");
    ann->send(Say{"let me in", "#closed"});
    expect_error(*ann, err::kNotInRoom);
    carol->send("MODE #closed -n");
    expect_irc(*carol, "442");
    bob->send("MODE #closed -n");
    IrcMsg m = expect_irc(*bob, "MODE");
    EXPECT_EQ(m.param(0), "#closed");
    EXPECT_EQ(m.param(1), "-n");
    carol->send("PRIVMSG #closed :hello from outside");
    IrcMsg got = expect_irc(*bob, "PRIVMSG");
    EXPECT_EQ(got.nick(), "carol");
    EXPECT_EQ(got.param(0), "#closed");
    EXPECT_EQ(got.last(), "hello from outside");
    // A natter user outside gets its echo, the acknowledgement, and stays outside.
    ann->send(Say{"me too", "#closed"});
    auto echo = next_chat(*ann);
    ASSERT_TRUE(echo.has_value());
    EXPECT_EQ(std::get<GroupMessage>(*echo).room, "#closed");
    EXPECT_EQ(expect_irc(*bob, "PRIVMSG").last(), "me too");
    bob->send("NAMES #closed");
    EXPECT_EQ(expect_irc(*bob, "353").last(), "@bob");
    bob->send("MODE #closed");
    EXPECT_EQ(expect_irc(*bob, "324").param(2), "+");
    expect_clean_exit(s.natterd);
}

TEST(IrcModes, AnInviteOnlyRoomLetsInWhomItsOperatorsInvite) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");  // creates #club: its operator
    auto carol = s.user("carol");
    bob->send("JOIN #club");
    expect_irc(*bob, "366");
    bob->send("MODE #club +i");
    EXPECT_EQ(expect_irc(*bob, "MODE").param(1), "+i");
    bob->send("MODE #club");
    EXPECT_EQ(expect_irc(*bob, "324").param(2), "+in");
    carol->send("JOIN #club");
    EXPECT_EQ(expect_irc(*carol, "473").param(1), "#club");
    ann->send(Join{"#club"});
    expect_error(*ann, err::kInviteOnly);
    // Errors: nobody by that name, someone already in, an inviter outside.
    bob->send("INVITE nobody #club");
    EXPECT_EQ(expect_irc(*bob, "401").param(1), "nobody");
    bob->send("INVITE bob #club");
    expect_irc(*bob, "443");
    carol->send("INVITE ann #club");
    EXPECT_EQ(expect_irc(*carol, "442").param(1), "#club");
    // The IRC invitee gets an INVITE from the inviter, the inviter 341.
    bob->send("INVITE carol #club");
    IrcMsg inviting = expect_irc(*bob, "341");
    EXPECT_EQ(inviting.param(1), "carol");
    EXPECT_EQ(inviting.param(2), "#club");
    IrcMsg inv = expect_irc(*carol, "INVITE");
    EXPECT_EQ(inv.nick(), "bob");
    EXPECT_EQ(inv.param(0), "carol");
    EXPECT_EQ(inv.param(1), "#club");
    carol->send("JOIN #club");
    expect_irc(*carol, "366");
    // A member who is not an operator may not invite to an invite-only room.
    carol->send("INVITE ann #club");
    EXPECT_EQ(expect_irc(*carol, "482").param(1), "#club");
    // A natter invitee gets an invited, and may join.
    bob->send("INVITE ann #club");
    expect_irc(*bob, "341");
    const Invited got = expect<Invited>(*ann);
    EXPECT_EQ(got.room, "#club");
    EXPECT_EQ(got.by, "bob");
    EXPECT_EQ(got.nick, "ann");
    ann->send(Join{"#club"});
    read_join_answer(*ann, "#club");
    EXPECT_EQ(expect_irc(*bob, "JOIN").nick(), "ann");
    // A natter member who is no operator may not invite to it either; once bob makes ann an
    // operator she may, and the IRC invitee hears it from ann!natter@natter.
    auto dave = s.user("dave");
    ann->send(Invite{"#club", "dave"});
    expect_error(*ann, err::kNotOperator);
    bob->send("MODE #club +o ann");
    expect_irc(*bob, "MODE");
    ann->send(Invite{"#club", "dave"});
    const Invited echo = expect<Invited>(*ann);
    EXPECT_EQ(echo.by, "ann");
    EXPECT_EQ(echo.nick, "dave");
    IrcMsg from_ann = expect_irc(*dave, "INVITE");
    EXPECT_EQ(from_ann.prefix, "ann!natter@natter");
    EXPECT_EQ(from_ann.param(1), "#club");
    expect_clean_exit(s.natterd);
}

TEST(IrcModes, ARoomWithAKeyLetsInThoseWhoGiveIt) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");  // creates #vault: its operator
    auto carol = s.user("carol");
    bob->send("JOIN #vault");
    expect_irc(*bob, "366");
    bob->send("MODE #vault +k :with space");
    IrcMsg bad = expect_irc(*bob, "696");
    EXPECT_EQ(bad.param(1), "#vault");
    EXPECT_EQ(bad.param(2), "k");
    bob->send("MODE #vault +k beer");
    IrcMsg set = expect_irc(*bob, "MODE");
    EXPECT_EQ(set.param(1), "+k");
    EXPECT_EQ(set.param(2), "beer");
    // Members see the key in 324, others only that there is one.
    bob->send("MODE #vault");
    IrcMsg is = expect_irc(*bob, "324");
    EXPECT_EQ(is.param(2), "+kn");
    EXPECT_EQ(is.param(3), "beer");
    carol->send("MODE #vault");
    is = expect_irc(*carol, "324");
    EXPECT_EQ(is.param(2), "+kn");
    EXPECT_EQ(is.params.size(), 3u);
    carol->send("JOIN #vault");
    EXPECT_EQ(expect_irc(*carol, "475").param(1), "#vault");
    carol->send("JOIN #vault wine");
    EXPECT_EQ(expect_irc(*carol, "475").param(1), "#vault");
    // Keys pair up with the rooms: #open needs none.
    carol->send("JOIN #open,#vault ,beer");
    EXPECT_EQ(expect_irc(*carol, "JOIN").param(0), "#open");
    EXPECT_EQ(expect_irc(*carol, "JOIN").param(0), "#vault");
    ann->send(Join{"#vault"});
    expect_error(*ann, err::kBadKey);
    ann->send(Join{"#vault", "beer"});
    read_join_answer(*ann, "#vault");
    bob->send("MODE #vault -k *");
    EXPECT_EQ(expect_irc(*carol, "MODE").param(1), "-k");
    bob->send("MODE #vault");
    EXPECT_EQ(expect_irc(*bob, "324").param(2), "+n");
    expect_clean_exit(s.natterd);
}

TEST(IrcModes, AFullRoomRefusesJoins) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");  // creates #small: its operator
    auto carol = s.user("carol");
    bob->send("JOIN #small");
    expect_irc(*bob, "366");
    bob->send("MODE #small +l 0");
    IrcMsg bad = expect_irc(*bob, "696");
    EXPECT_EQ(bad.param(2), "l");
    bob->send("MODE #small +l 2");
    IrcMsg set = expect_irc(*bob, "MODE");
    EXPECT_EQ(set.param(1), "+l");
    EXPECT_EQ(set.param(2), "2");
    bob->send("MODE #small");
    IrcMsg is = expect_irc(*bob, "324");
    EXPECT_EQ(is.param(2), "+ln");
    EXPECT_EQ(is.param(3), "2");
    carol->send("JOIN #small");
    expect_irc(*carol, "366");
    ann->send(Join{"#small"});
    expect_error(*ann, err::kRoomFull);
    carol->send("PART #small");
    expect_irc(*carol, "PART");
    ann->send(Join{"#small"});
    read_join_answer(*ann, "#small");
    carol->send("JOIN #small");
    EXPECT_EQ(expect_irc(*carol, "471").param(1), "#small");
    bob->send("MODE #small -l");
    IrcMsg lifted = expect_irc(*bob, "MODE");
    EXPECT_EQ(lifted.param(1), "-l");
    EXPECT_EQ(lifted.params.size(), 2u);
    carol->send("JOIN #small");
    expect_irc(*carol, "366");
    expect_clean_exit(s.natterd);
}

TEST(IrcModes, BannedUsersNeitherJoinNorSpeak) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto bob = s.user("bob");  // creates #quiet: its operator
    auto carol = s.user("carol");
    bob->send("JOIN #quiet");
    expect_irc(*bob, "366");
    carol->send("JOIN #quiet");
    expect_irc(*carol, "366");
    bob->send("MODE #quiet +b carol!*@irc");
    IrcMsg set = expect_irc(*carol, "MODE");
    EXPECT_EQ(set.param(1), "+b");
    EXPECT_EQ(set.param(2), "carol!*@irc");
    carol->send("PRIVMSG #quiet :hello?");
    EXPECT_EQ(expect_irc(*carol, "404").param(1), "#quiet");
    // natter users are nick!natter@natter.
    EXPECT_EQ(expect_irc(*bob, "MODE").param(2), "carol!*@irc");
    bob->send("MODE #quiet +b *!natter@natter");
    EXPECT_EQ(expect_irc(*bob, "MODE").param(2), "*!natter@natter");
    ann->send(Join{"#quiet"});
    expect_error(*ann, err::kBanned);
    bob->send("MODE #quiet b");
    const auto lines = answers(*bob);
    const auto list = with_command(lines, "367");
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].param(2), "carol!*@irc");
    EXPECT_EQ(list[0].param(3), "bob");
    EXPECT_EQ(list[1].param(2), "*!natter@natter");
    EXPECT_EQ(with_command(lines, "368").size(), 1u);
    carol->send("PART #quiet");
    expect_irc(*carol, "PART");
    carol->send("JOIN #quiet");
    EXPECT_EQ(expect_irc(*carol, "474").param(1), "#quiet");
    bob->send("MODE #quiet -b carol!*@irc");
    EXPECT_EQ(expect_irc(*bob, "MODE").param(1), "-b");
    carol->send("JOIN #quiet");
    expect_irc(*carol, "366");
    expect_clean_exit(s.natterd);
}

TEST(IrcModes, OneModeLineComesBackAsOne) {
    IrcServer s;
    auto bob = s.user("bob");  // creates #many: its operator
    auto carol = s.user("carol");
    bob->send("JOIN #many");
    expect_irc(*bob, "366");
    carol->send("JOIN #many");
    expect_irc(*carol, "366");
    // What changes comes as one line, with its parameters in order; what does not (+n) is left
    // out.
    bob->send("MODE #many +intk-s+lv key 5 carol");
    IrcMsg m = expect_irc(*carol, "MODE");
    EXPECT_EQ(m.nick(), "bob");
    EXPECT_EQ(m.param(0), "#many");
    EXPECT_EQ(m.param(1), "+itk");
    EXPECT_EQ(m.param(2), "key");
    EXPECT_EQ(m.params.size(), 3u) << "MODES=4: the rest of the line is not applied";
    bob->send("MODE #many -ik+v * carol");
    m = expect_irc(*carol, "MODE");
    EXPECT_EQ(m.param(1), "-ik+v") << m.raw;
    EXPECT_EQ(m.param(2), "*");
    EXPECT_EQ(m.param(3), "carol");
    for (const IrcMsg& x : answers(*carol)) EXPECT_NE(x.command, "MODE") << x.raw;
    expect_clean_exit(s.natterd);
}

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
