// Room history for IRC clients: replayed on JOIN only to a client that negotiated server-time
// (each message with its original time, inside a chathistory batch when batch was negotiated
// too); a client that did not gets none, as IRC clients expect.
#include "irc_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

// An IRC client that asks for these capabilities before registering.
std::unique_ptr<IrcClient> with_caps(IrcServer& s, const std::string& nick, const std::string& caps) {
    auto c = std::make_unique<IrcClient>(s.irc);
    c->send("CAP LS 302");
    c->send("CAP REQ :" + caps);
    c->send("CAP END");
    EXPECT_TRUE(c->register_as(nick));
    return c;
}

TEST(IrcHistory, ReplayedOnJoinOnlyWithServerTime) {
    IrcServer s;
    auto ann = s.natter("ann");
    ann->send(Join{"#log"});
    expect<HistoryEnd>(*ann);
    ann->send(Say{"first", "#log"});
    ann->send(Me{"stretches", "#log"});
    ann->send(Say{"third", "#log"});
    // The third one's echo means all three are stored.
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(next_chat(*ann).has_value());

    auto plain = s.user("plain");
    plain->send("JOIN #log");
    std::vector<IrcMsg> got = answers(*plain);
    EXPECT_TRUE(with_command(got, "PRIVMSG").empty());
    EXPECT_TRUE(with_command(got, "BATCH").empty());
    EXPECT_EQ(with_command(got, "366").size(), 1u);

    auto timed = with_caps(s, "timed", "server-time");
    timed->send("JOIN #log");
    got = answers(*timed);
    auto replay = with_command(got, "PRIVMSG");
    ASSERT_EQ(replay.size(), 3u);
    EXPECT_EQ(replay[0].last(), "first");
    EXPECT_EQ(replay[1].last(), "\x01" "ACTION stretches\x01");
    EXPECT_EQ(replay[2].last(), "third");
    for (const IrcMsg& m : replay) {
        EXPECT_EQ(m.nick(), "ann");
        EXPECT_EQ(m.param(0), "#log");
        ASSERT_EQ(m.tags.rfind("time=", 0), 0u) << m.raw;
        EXPECT_EQ(m.tags.size(), 29u) << m.raw;  // time=YYYY-MM-DDThh:mm:ss.sssZ
    }
    EXPECT_TRUE(with_command(got, "BATCH").empty());

    auto batched = with_caps(s, "batched", "server-time batch");
    batched->send("JOIN #log");
    got = answers(*batched);
    auto batches = with_command(got, "BATCH");
    ASSERT_EQ(batches.size(), 2u);
    const std::string ref = batches[0].param(0).substr(1);
    EXPECT_EQ(batches[0].param(0), "+" + ref);
    EXPECT_EQ(batches[0].param(1), "chathistory");
    EXPECT_EQ(batches[0].param(2), "#log");
    EXPECT_EQ(batches[1].param(0), "-" + ref);
    replay = with_command(got, "PRIVMSG");
    ASSERT_EQ(replay.size(), 3u);
    for (const IrcMsg& m : replay) EXPECT_NE(m.tags.find(";batch=" + ref), std::string::npos) << m.raw;
    // Live messages afterwards carry their time too, outside any batch; a client without
    // server-time gets them untagged.
    ann->send(Say{"live now", "#log"});
    IrcMsg live = expect_irc(*batched, "PRIVMSG");
    EXPECT_EQ(live.last(), "live now");
    EXPECT_EQ(live.tags.rfind("time=", 0), 0u) << live.raw;
    EXPECT_EQ(live.tags.find("batch"), std::string::npos) << live.raw;
    IrcMsg untagged = expect_irc(*plain, "PRIVMSG");
    EXPECT_EQ(untagged.last(), "live now");
    EXPECT_TRUE(untagged.tags.empty()) << untagged.raw;
    expect_clean_exit(s.natterd);
}

}  // namespace
