// The chat core's room modes beyond operators, without a socket: voice (who may speak in a
// moderated room), no-external-messages (+n, on in a new room), invitations and invite-only
// rooms (+i), keys (+k), member limits (+l), bans (+b), and a room's creation time.
#include "server/chat_core.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace natter;
using namespace natter::server;

namespace {

constexpr Millis kStart = 1'700'000'000'000;
constexpr Millis kNow = kStart + 60'000;

class RoomModesTest : public ::testing::Test {
protected:
    RoomModesTest() : core(config()) {}
    static CoreConfig config() {
        CoreConfig c;
        c.started = kStart;
        return c;
    }
    void login(ClientId id, const std::string& nick) {
        core.connect(id, kNow);
        Outputs o;
        core.handle(id, Hello{nick, kProtocolVersion}, kNow, o);
        ASSERT_TRUE(core.logged_in(id));
    }
    Outputs handle(ClientId id, const Message& m, Millis now = kNow) {
        Outputs o;
        core.handle(id, m, now, o);
        return o;
    }
    Outputs mode(ClientId by, char m, bool on, const std::string& nick = "") {
        Outputs o;
        core.set_room_mode(by, "#r", m, on, nick, kNow, o);
        return o;
    }
    static std::string error_code(const Outputs& o) {
        for (const Delivery& d : o.deliveries)
            if (const auto* e = std::get_if<Error>(&d.msg)) return e->code;
        return "";
    }
    template <class T>
    static std::vector<Delivery> sent(const Outputs& o) {
        std::vector<Delivery> r;
        for (const Delivery& d : o.deliveries)
            if (std::holds_alternative<T>(d.msg)) r.push_back(d);
        return r;
    }
    // The member list sent in `o` says `nick` has voice.
    static bool listed_with_voice(const Outputs& o, const std::string& nick) {
        for (const Delivery& d : sent<UserList>(o))
            for (const UserInfo& u : std::get<UserList>(d.msg).users)
                if (u.nick == nick) return u.voice;
        return false;
    }
    // ann (1) creates #r, so is its operator; bob (2) and cyd (3) join it; dan (4) does not.
    void room_of_four() {
        login(1, "ann");
        login(2, "bob");
        login(3, "cyd");
        login(4, "dan");
        handle(1, Join{"#r"});
        handle(2, Join{"#r"});
        handle(3, Join{"#r"});
    }
    ChatCore core;
};

TEST_F(RoomModesTest, OnlyOperatorsGiveVoiceAndOnlyToMembers) {
    room_of_four();
    EXPECT_EQ(error_code(mode(2, 'v', true, "cyd")), err::kNotOperator);
    EXPECT_EQ(error_code(mode(1, 'v', true, "dan")), err::kUserNotInRoom);
    EXPECT_EQ(error_code(mode(1, 'v', true, "nobody")), err::kNoSuchNick);
    EXPECT_FALSE(core.is_voiced("#r", 3));
    Outputs o = mode(1, 'v', true, "CYD");
    EXPECT_EQ(error_code(o), "");
    ASSERT_EQ(o.mode_changes.size(), 1u);
    const ModeChange& m = o.mode_changes[0];
    EXPECT_EQ(m.mode, 'v');
    EXPECT_TRUE(m.on);
    EXPECT_EQ(m.nick, "cyd");
    EXPECT_EQ(m.by, "ann");
    auto to = m.to;
    std::sort(to.begin(), to.end());
    EXPECT_EQ(to, (std::vector<ClientId>{1, 2, 3}));
    EXPECT_TRUE(core.is_voiced("#r", 3));
    EXPECT_FALSE(core.is_operator("#r", 3));
    // natter members see it in the fresh member list.
    EXPECT_TRUE(listed_with_voice(o, "cyd"));
    EXPECT_FALSE(listed_with_voice(o, "bob"));
    // Giving what it has changes nothing and tells nobody.
    o = mode(1, 'v', true, "cyd");
    EXPECT_TRUE(o.empty());
    o = mode(1, 'v', false, "cyd");
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_FALSE(o.mode_changes[0].on);
    EXPECT_FALSE(core.is_voiced("#r", 3));
}

TEST_F(RoomModesTest, VoicedMembersSpeakInAModeratedRoomButDoNotSetALockedTopic) {
    room_of_four();
    mode(1, 'm', true);
    mode(1, 't', true);
    EXPECT_EQ(error_code(handle(3, Say{"may I?", "#r"})), err::kNotOperator);
    EXPECT_EQ(error_code(handle(3, Me{"waves", "#r"})), err::kNotOperator);
    mode(1, 'v', true, "cyd");
    Outputs o = handle(3, Say{"thank you", "#r"});
    EXPECT_EQ(error_code(o), "");
    EXPECT_EQ(sent<GroupMessage>(o).size(), 1u);
    EXPECT_EQ(error_code(handle(3, Me{"bows", "#r"})), "");
    EXPECT_EQ(error_code(handle(2, Say{"and me?", "#r"})), err::kNotOperator);
    EXPECT_EQ(error_code(handle(1, Say{"operators always may", "#r"})), "");
    // Voice is not operator status: +t still refuses.
    EXPECT_EQ(error_code(handle(3, TopicRequest{"#r", std::string("mine")})), err::kNotOperator);
    // An operator with voice too is listed as both.
    mode(1, 'v', true, "ann");
    EXPECT_TRUE(core.is_voiced("#r", 1));
    EXPECT_TRUE(core.is_operator("#r", 1));
}

TEST_F(RoomModesTest, VoiceIsForgottenWhenTheMemberLeaves) {
    room_of_four();
    mode(1, 'm', true);
    mode(1, 'v', true, "cyd");
    handle(3, Part{"#r", ""});
    handle(3, Join{"#r"});
    EXPECT_FALSE(core.is_voiced("#r", 3));
    EXPECT_EQ(error_code(handle(3, Say{"again?", "#r"})), err::kNotOperator);
    // Also when it quits.
    mode(1, 'v', true, "bob");
    Outputs o;
    core.disconnect(2, "gone", kNow, o);
    login(2, "bob");
    handle(2, Join{"#r"});
    EXPECT_FALSE(core.is_voiced("#r", 2));
}

TEST_F(RoomModesTest, ANewRoomTakesMessagesFromItsMembersOnlyUntilMinusN) {
    room_of_four();
    ASSERT_NE(core.room_modes("#r"), nullptr);
    EXPECT_TRUE(core.room_modes("#r")->no_external);
    EXPECT_TRUE(core.room_modes("#lobby")->no_external);
    EXPECT_EQ(error_code(handle(4, Say{"from outside", "#r"})), err::kNotInRoom);
    EXPECT_EQ(error_code(mode(2, 'n', false)), err::kNotOperator);
    Outputs o = mode(1, 'n', false);
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].mode, 'n');
    EXPECT_FALSE(o.mode_changes[0].on);
    EXPECT_FALSE(core.room_modes("#r")->no_external);
    // Now anyone online may speak to it: the members hear it, the sender gets its echo, and the
    // sender does not become a member.
    o = handle(4, Say{"from outside", "#r"});
    EXPECT_EQ(error_code(o), "");
    auto msgs = sent<GroupMessage>(o);
    ASSERT_EQ(msgs.size(), 1u);
    auto to = msgs[0].to;
    std::sort(to.begin(), to.end());
    EXPECT_EQ(to, (std::vector<ClientId>{1, 2, 3, 4}));
    EXPECT_EQ(std::get<GroupMessage>(msgs[0].msg).room, "#r");
    EXPECT_EQ(core.rooms_of(4), std::vector<std::string>{"#lobby"});
    EXPECT_EQ(error_code(handle(4, Me{"waves in", "#R"})), "");
    // A member's message goes to each member once.
    msgs = sent<GroupMessage>(handle(2, Say{"inside", "#r"}));
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].to.size(), 3u);
    // Moderation still applies to those outside; and -n does not let anyone set the topic.
    mode(1, 'm', true);
    EXPECT_EQ(error_code(handle(4, Say{"still?", "#r"})), err::kNotOperator);
    EXPECT_EQ(error_code(handle(4, TopicRequest{"#r", std::string("mine")})), err::kNotInRoom);
    // A room that does not exist is not in reach either way.
    EXPECT_EQ(error_code(handle(4, Say{"hello?", "#nowhere"})), err::kNotInRoom);
    // +n again.
    mode(1, 'm', false);
    mode(1, 'n', true);
    EXPECT_EQ(error_code(handle(4, Say{"from outside", "#r"})), err::kNotInRoom);
}

TEST_F(RoomModesTest, UnknownModesAreRefused) {
    room_of_four();
    EXPECT_EQ(error_code(mode(1, 'q', true)), err::kUnknownMode);
    EXPECT_EQ(error_code(mode(1, 'x', true)), err::kUnknownMode);
}

TEST_F(RoomModesTest, AnInviteOnlyRoomLetsInWhomItsOperatorsInvited) {
    room_of_four();
    login(5, "eve");
    EXPECT_EQ(error_code(mode(2, 'i', true)), err::kNotOperator);
    Outputs o = mode(1, 'i', true);
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].mode, 'i');
    EXPECT_TRUE(core.room_modes("#r")->invite_only);
    EXPECT_EQ(error_code(handle(4, Join{"#r"})), err::kInviteOnly);
    // A member who is no operator may not invite to it; an operator may.
    Outputs inv;
    core.invite(2, "#r", "dan", kNow, inv);
    EXPECT_EQ(error_code(inv), err::kNotOperator);
    inv = Outputs{};
    core.invite(1, "#R", "DAN", kNow, inv);
    EXPECT_EQ(error_code(inv), "");
    auto invited = sent<Invited>(inv);
    ASSERT_EQ(invited.size(), 1u);
    EXPECT_EQ(invited[0].to, (std::vector<ClientId>{4, 1}));  // the invitee and the inviter only
    const Invited& i = std::get<Invited>(invited[0].msg);
    EXPECT_EQ(i.room, "#r");
    EXPECT_EQ(i.by, "ann");
    EXPECT_EQ(i.nick, "dan");
    // The invitation lets dan in once; eve, not invited, stays out.
    EXPECT_EQ(error_code(handle(5, Join{"#r"})), err::kInviteOnly);
    EXPECT_EQ(error_code(handle(4, Join{"#r"})), "");
    handle(4, Part{"#r", ""});
    EXPECT_EQ(error_code(handle(4, Join{"#r"})), err::kInviteOnly);
    // -i opens it again.
    mode(1, 'i', false);
    EXPECT_EQ(error_code(handle(5, Join{"#r"})), "");
}

TEST_F(RoomModesTest, InvitationsComeFromMembersToThoseOutside) {
    room_of_four();
    auto invite = [&](ClientId by, const std::string& room, const std::string& nick) {
        Outputs o;
        core.invite(by, room, nick, kNow, o);
        return error_code(o);
    };
    // In a room that is not invite-only any member may invite.
    EXPECT_EQ(invite(2, "#r", "dan"), "");
    EXPECT_EQ(invite(4, "#r", "ann"), err::kNotInRoom);
    EXPECT_EQ(invite(1, "#r", "bob"), err::kAlreadyInRoom);
    EXPECT_EQ(invite(1, "#r", "nobody"), err::kNoSuchNick);
    EXPECT_EQ(invite(1, "#nowhere", "dan"), err::kNoSuchRoom);
    EXPECT_EQ(invite(1, "nohash", "dan"), err::kRoomInvalid);
    // natter users invite with a message of their own.
    login(5, "eve");
    const Outputs natter_invite = handle(3, Invite{"#r", "eve"});
    EXPECT_EQ(error_code(natter_invite), "");
    ASSERT_EQ(sent<Invited>(natter_invite).size(), 1u);
    EXPECT_EQ(sent<Invited>(natter_invite)[0].to, (std::vector<ClientId>{5, 3}));
    // When the room empties, its invitations are forgotten and +i is cleared, even in a room
    // natterd keeps for its history: an empty room locks nobody out.
    mode(1, 'i', true);
    EXPECT_EQ(invite(1, "#r", "dan"), "");
    core.restore_room(StoredRoom{"#r", "kept", "ann", 1, true, {}});  // so the room outlives its members
    for (ClientId id : {1, 2, 3}) handle(id, Part{"#r", ""});
    ASSERT_NE(core.room_modes("#r"), nullptr);
    EXPECT_FALSE(core.room_modes("#r")->invite_only);
    login(6, "fay");
    EXPECT_EQ(error_code(handle(6, Join{"#r"})), "");
    EXPECT_TRUE(core.is_operator("#r", 6));
    Outputs o;
    core.set_room_mode(6, "#r", 'i', true, "", kNow, o);
    EXPECT_EQ(error_code(handle(4, Join{"#r"})), err::kInviteOnly);
}

TEST_F(RoomModesTest, ARoomWithAKeyLetsInThoseWhoGiveIt) {
    room_of_four();
    EXPECT_EQ(error_code(mode(2, 'k', true, "beer")), err::kNotOperator);
    // A key is printable ASCII, without space or comma, 1 to 23 bytes.
    for (const std::string& bad : std::vector<std::string>{"", "with space", "a,b", std::string(24, 'k'), "caf\xc3\xa9", "tab\tkey"})
        EXPECT_EQ(error_code(mode(1, 'k', true, bad)), err::kInvalidModeParam) << bad;
    EXPECT_TRUE(core.room_modes("#r")->key.empty());
    Outputs o = mode(1, 'k', true, std::string(23, 'k'));
    ASSERT_EQ(o.mode_changes.size(), 1u);
    o = mode(1, 'k', true, "beer");
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].mode, 'k');
    EXPECT_EQ(o.mode_changes[0].nick, "beer");
    EXPECT_EQ(core.room_modes("#r")->key, "beer");
    EXPECT_TRUE(mode(1, 'k', true, "beer").mode_changes.empty());  // the same key: no change
    EXPECT_EQ(error_code(handle(4, Join{"#r"})), err::kBadKey);
    EXPECT_EQ(error_code(handle(4, Join{"#r", "Beer"})), err::kBadKey);  // keys are case-sensitive
    EXPECT_EQ(error_code(handle(4, Join{"#r", "beer"})), "");
    // Members need no key to "join" again.
    EXPECT_EQ(error_code(handle(2, Join{"#r"})), "");
    // -k takes any parameter and clears it.
    o = mode(1, 'k', false, "whatever");
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].nick, "*");
    EXPECT_TRUE(core.room_modes("#r")->key.empty());
    login(5, "eve");
    EXPECT_EQ(error_code(handle(5, Join{"#r"})), "");
    EXPECT_TRUE(mode(1, 'k', false).mode_changes.empty());
    // A room kept for its history keeps its key when it empties: the key guards the history.
    mode(1, 'k', true, "beer");
    core.restore_room(StoredRoom{"#r", "kept", "ann", 1, true, {}});
    for (ClientId id : {1, 2, 3, 4, 5}) handle(id, Part{"#r", ""});
    EXPECT_EQ(core.room_modes("#r")->key, "beer");
    EXPECT_EQ(error_code(handle(4, Join{"#r"})), err::kBadKey);
    EXPECT_EQ(error_code(handle(4, Join{"#r", "beer"})), "");
    EXPECT_TRUE(core.is_operator("#r", 4)) << "who opens the empty room with its key operates it";
}

TEST_F(RoomModesTest, AFullRoomLetsInOnlyThoseInvited) {
    room_of_four();  // ann, bob and cyd in #r
    login(5, "eve");
    EXPECT_EQ(error_code(mode(2, 'l', true, "3")), err::kNotOperator);
    for (const std::string& bad : std::vector<std::string>{"", "0", "-1", "abc", "3x", "100001", "99999999999999999999"})
        EXPECT_EQ(error_code(mode(1, 'l', true, bad)), err::kInvalidModeParam) << bad;
    EXPECT_EQ(core.room_modes("#r")->limit, 0u);
    Outputs o = mode(1, 'l', true, "3");
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].mode, 'l');
    EXPECT_EQ(o.mode_changes[0].nick, "3");
    EXPECT_EQ(core.room_modes("#r")->limit, 3u);
    EXPECT_EQ(error_code(handle(4, Join{"#r"})), err::kRoomFull);
    // An invitation lets one more in.
    Outputs inv;
    core.invite(1, "#r", "dan", kNow, inv);
    EXPECT_EQ(error_code(handle(4, Join{"#r"})), "");
    EXPECT_EQ(error_code(handle(5, Join{"#r"})), err::kRoomFull);
    // A lower limit keeps those in; a part makes room only below the limit.
    mode(1, 'l', true, "2");
    handle(4, Part{"#r", ""});
    EXPECT_EQ(error_code(handle(5, Join{"#r"})), err::kRoomFull);
    handle(3, Part{"#r", ""});
    handle(2, Part{"#r", ""});
    EXPECT_EQ(error_code(handle(5, Join{"#r"})), "");
    // -l lifts it.
    o = mode(1, 'l', false);
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].nick, "");
    EXPECT_EQ(core.room_modes("#r")->limit, 0u);
    EXPECT_TRUE(mode(1, 'l', false).mode_changes.empty());
    EXPECT_EQ(error_code(handle(4, Join{"#r"})), "");
}

TEST_F(RoomModesTest, BannedUsersNeitherJoinNorSpeak) {
    room_of_four();  // ann (operator), bob and cyd in #r; dan outside
    core.set_userhost(4, "~dan@irc");
    EXPECT_EQ(error_code(mode(2, 'b', true, "dan")), err::kNotOperator);
    for (const std::string& bad : std::vector<std::string>{"", "a b", "a,b", std::string(101, 'x'), "x\x01"})
        EXPECT_EQ(error_code(mode(1, 'b', true, bad)), err::kInvalidModeParam) << bad;
    // A bare nickname is completed to a mask; the case is ignored.
    Outputs o = mode(1, 'b', true, "DAN");
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].mode, 'b');
    EXPECT_EQ(o.mode_changes[0].nick, "DAN!*@*");
    EXPECT_TRUE(mode(1, 'b', true, "dan!*@*").mode_changes.empty()) << "the same ban again";
    EXPECT_EQ(error_code(handle(4, Join{"#r"})), err::kBanned);
    // Members who match may not speak; natter users are nick!natter@natter.
    mode(1, 'b', true, "*!natter@*");
    EXPECT_EQ(error_code(handle(2, Say{"hello", "#r"})), err::kBanned);
    // Voice lets them speak; operators are not silenced.
    mode(1, 'v', true, "bob");
    EXPECT_EQ(error_code(handle(2, Say{"hello", "#r"})), "");
    EXPECT_EQ(error_code(handle(1, Say{"hello", "#r"})), "");
    const auto* bans = core.room_bans("#r");
    ASSERT_NE(bans, nullptr);
    ASSERT_EQ(bans->size(), 2u);
    EXPECT_EQ((*bans)[0].mask, "DAN!*@*");
    EXPECT_EQ((*bans)[0].by, "ann");
    EXPECT_EQ((*bans)[1].mask, "*!natter@*");
    // -b takes one off (the mask as set, compared ignoring case).
    o = mode(1, 'b', false, "dan!*@*");
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].nick, "DAN!*@*");
    EXPECT_EQ(error_code(handle(4, Join{"#r"})), "");
    EXPECT_TRUE(mode(1, 'b', false, "nobody").mode_changes.empty());
    // The list is bounded.
    for (std::size_t i = core.room_bans("#r")->size(); i < ChatCore::kMaxBans; ++i)
        EXPECT_EQ(error_code(mode(1, 'b', true, "x" + std::to_string(i))), "");
    EXPECT_EQ(error_code(mode(1, 'b', true, "one-more")), err::kListFull);
}

TEST_F(RoomModesTest, ARoomKnowsWhenItWasCreated) {
    EXPECT_EQ(core.room_created("#lobby"), kStart);
    EXPECT_EQ(core.room_created("#nowhere"), 0u);
    login(1, "ann");
    handle(1, Join{"#New"}, kNow + 5);
    EXPECT_EQ(core.room_created("#new"), kNow + 5);
    // Joining it later changes nothing.
    login(2, "bob");
    handle(2, Join{"#new"}, kNow + 9);
    EXPECT_EQ(core.room_created("#new"), kNow + 5);
    // A room forgotten when it emptied is a new room when joined again.
    handle(1, Part{"#New", ""});
    handle(2, Part{"#new", ""});
    EXPECT_EQ(core.room_created("#new"), 0u);
    handle(2, Join{"#new"}, kNow + 20);
    EXPECT_EQ(core.room_created("#new"), kNow + 20);
    // A room from the store has been known since the start (the store keeps no creation time).
    core.restore_room(StoredRoom{"#old", "a topic", "ann", 42, true, {}});
    EXPECT_EQ(core.room_created("#old"), kStart);
}

}  // namespace
