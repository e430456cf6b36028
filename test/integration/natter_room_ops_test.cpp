// Room operators on natter's own protocol, over real sockets: a natter operator kicks and changes
// modes, natter members get a "mode" message for each change and IRC members the MODE line, an
// IRC operator's changes reach natter members the same way, a mode query answers "modes", and a
// room keeps its key and settings across a restart.
#include <cstdlib>

#include "irc_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

// Joins `room` and reads the answer.
void joined(WireClient& c, const std::string& room) {
    c.send(Join{room});
    read_join_answer(c, room);
}

// The next mode change `by` made (skipping those of others).
ModeChanged next_change_by(WireClient& c, const std::string& by) {
    for (;;) {
        auto m = c.wait_for<ModeChanged>();
        if (!m) {
            ADD_FAILURE() << "no mode change by " << by;
            return {};
        }
        if (m->by == by) return *m;
    }
}

}  // namespace

TEST(NatterRoomOps, AnOperatorModeratesAndKicks) {
    NatterdProcess natterd;
    auto ann = join(natterd.port(), "ann");
    auto bob = join(natterd.port(), "bob");
    joined(*ann, "#ops");  // ann creates it: its operator
    joined(*bob, "#ops");
    // bob is no operator.
    bob->send(ModeRequest{"#ops", "+t", ""});
    expect_error(*bob, err::kNotOperator);
    bob->send(Kick{"#ops", "ann", "mutiny"});
    expect_error(*bob, err::kNotOperator);

    ann->send(ModeRequest{"#ops", "+m", ""});
    for (WireClient* c : {ann.get(), bob.get()}) {
        const ModeChanged m = expect<ModeChanged>(*c);
        EXPECT_EQ(m.room, "#ops");
        EXPECT_EQ(m.by, "ann");
        EXPECT_EQ(m.change, "+m");
        EXPECT_EQ(m.arg, "");
        EXPECT_GT(m.ts, 0u);
    }
    bob->send(Say{"may I?", "#ops"});
    expect_error(*bob, err::kNotOperator);
    ann->send(ModeRequest{"#ops", "+v", "bob"});
    EXPECT_EQ(expect<ModeChanged>(*bob).arg, "bob");
    bob->send(Say{"thank you", "#ops"});
    EXPECT_EQ(expect<GroupMessage>(*ann).text, "thank you");

    ann->send(ModeRequest{"#ops", "+k", "s3cret"});
    EXPECT_EQ(expect<ModeChanged>(*bob).arg, "s3cret");
    bob->send(ModeRequest{"#ops", "", ""});
    const RoomModesInfo info = expect<RoomModesInfo>(*bob);
    EXPECT_EQ(info.modes, "+kmn");
    EXPECT_EQ(info.key, "s3cret");

    ann->send(Kick{"#ops", "bob", "too noisy"});
    for (WireClient* c : {ann.get(), bob.get()}) {
        const Left l = expect<Left>(*c);
        EXPECT_EQ(l.nick, "bob");
        EXPECT_EQ(l.room, "#ops");
        EXPECT_EQ(l.by, "ann");
        EXPECT_EQ(l.reason, "too noisy");
    }
    bob->send(Say{"hello?", "#ops"});
    expect_error(*bob, err::kNotInRoom);
    // The key keeps him out now.
    bob->send(Join{"#ops"});
    expect_error(*bob, err::kBadKey);
    bob->send(Join{"#ops", "s3cret"});
    EXPECT_EQ(expect<Joined>(*bob).room, "#ops");
    expect_clean_exit(natterd);
}

TEST(NatterRoomOps, ChangesCrossBetweenNatterAndIrc) {
    IrcServer s;
    auto ann = s.natter("ann");
    auto irv = s.user("irv");
    joined(*ann, "#mixed");  // ann, a natter user, operates it
    irv->send("JOIN #mixed");
    expect_irc(*irv, "366");
    // ann's changes reach the IRC member as MODE lines.
    ann->send(ModeRequest{"#mixed", "+t", ""});
    IrcMsg t = expect_irc(*irv, "MODE");
    EXPECT_EQ(t.nick(), "ann");
    EXPECT_EQ(t.param(0), "#mixed");
    EXPECT_EQ(t.param(1), "+t");
    ann->send(ModeRequest{"#mixed", "+o", "irv"});
    IrcMsg o = expect_irc(*irv, "MODE");
    EXPECT_EQ(o.param(1), "+o");
    EXPECT_EQ(o.param(2), "irv");
    // The IRC operator's changes reach ann as one mode message each, in order.
    irv->send("MODE #mixed +l-t 5");
    ModeChanged first = next_change_by(*ann, "irv");
    EXPECT_EQ(first.by, "irv");
    EXPECT_EQ(first.change, "+l");
    EXPECT_EQ(first.arg, "5");
    ModeChanged second = expect<ModeChanged>(*ann);
    EXPECT_EQ(second.change, "-t");
    // And the IRC operator kicks the natter one.
    irv->send("KICK #mixed ann :your turn");
    const Left l = expect<Left>(*ann);
    EXPECT_EQ(l.by, "irv");
    EXPECT_EQ(l.reason, "your turn");
    expect_clean_exit(s.natterd);
}

TEST(NatterRoomOps, BadRequestsAreAnsweredAndHarmNothing) {
    NatterdProcess natterd;
    auto ann = join(natterd.port(), "ann");
    joined(*ann, "#ops");
    ann->send(ModeRequest{"#ops", "+x", ""});
    expect_error(*ann, err::kUnknownMode);
    ann->send(ModeRequest{"#ops", "+k", ""});
    expect_error(*ann, err::kInvalidModeParam);
    ann->send(ModeRequest{"#ops", "+l", "lots"});
    expect_error(*ann, err::kInvalidModeParam);
    ann->send_raw(R"({"type":"mode","room":"#ops","change":["+m"]})" "\n");
    expect_error(*ann, err::kBadField);
    ann->send(ModeRequest{"#nowhere", "", ""});
    expect_error(*ann, err::kNoSuchRoom);
    ann->send(ModeRequest{"#ops", "", ""});
    EXPECT_EQ(expect<RoomModesInfo>(*ann).modes, "+n") << "nothing changed";
    expect_clean_exit(natterd);
}

TEST(NatterRoomOps, ARoomKeepsItsKeyAndSettingsAcrossARestart) {
    char tmpl[] = "/tmp/natter-room-ops-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    const std::string data = tmpl;
    {
        NatterdProcess natterd({"--data", data});
        auto ann = join(natterd.port(), "ann");
        joined(*ann, "#vault");
        ann->send(Say{"the plan is in the usual place", "#vault"});
        expect<GroupMessage>(*ann);
        ann->send(ModeRequest{"#vault", "+k", "s3cret"});
        expect<ModeChanged>(*ann);
        ann->send(ModeRequest{"#vault", "+t", ""});
        expect<ModeChanged>(*ann);
        expect_clean_exit(natterd);
    }
    NatterdProcess natterd({"--data", data});
    auto eve = join(natterd.port(), "eve");
    eve->send(Join{"#vault"});
    expect_error(*eve, err::kBadKey);
    eve->send(ModeRequest{"#vault", "", ""});
    const RoomModesInfo outside = expect<RoomModesInfo>(*eve);
    EXPECT_EQ(outside.modes, "+knt");
    EXPECT_EQ(outside.key, "");
    eve->send(Join{"#vault", "s3cret"});
    const GroupMessage kept = expect<GroupMessage>(*eve);
    EXPECT_TRUE(kept.history);
    EXPECT_EQ(kept.text, "the plan is in the usual place");
    expect_clean_exit(natterd);
    (void)!std::system(("rm -rf '" + data + "'").c_str());
}
