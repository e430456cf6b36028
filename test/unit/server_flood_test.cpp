// Flood control: message costs and the token bucket, with made-up time stamps.
#include "server/flood.h"

#include <gtest/gtest.h>

using namespace natter;
using namespace natter::server;
using namespace std::chrono_literals;

namespace {

FloodConfig config(double rate, double burst, unsigned max_refusals = 10) {
    FloodConfig c;
    c.rate = rate;
    c.burst = burst;
    c.max_refusals = max_refusals;
    c.refusal_window = 10s;
    return c;
}

const TimePoint t0 = TimePoint{} + 1000s;

}  // namespace

TEST(FloodCost, PlainChatCostsOneWhateverItsLength) {
    EXPECT_EQ(message_cost(Say{"hi"}), 1);
    EXPECT_EQ(message_cost(Me{"waves"}), 1);
    // A pasted block of many lines is one message.
    std::string paste;
    for (int i = 0; i < 100; ++i) paste += "line " + std::to_string(i) + "\n";
    EXPECT_EQ(message_cost(Say{paste}), 1);
}

TEST(FloodCost, PrivateMessagesMentionsAndRenamesCostMore) {
    EXPECT_EQ(message_cost(Tell{"bob", "psst"}), 2);
    EXPECT_EQ(message_cost(Say{"@bob look"}), 2);
    EXPECT_EQ(message_cost(Say{"@bob and @carol, look"}), 3);
    EXPECT_EQ(message_cost(Tell{"bob", "tell @carol"}), 3);
    EXPECT_EQ(message_cost(Say{"@渡辺 さん"}), 2);
    // Mass mentions cost at most five more.
    std::string all;
    for (int i = 0; i < 50; ++i) all += "@user" + std::to_string(i) + " ";
    EXPECT_EQ(message_cost(Say{all}), 6);
    EXPECT_EQ(message_cost(ChangeNick{"x"}), 10);
    EXPECT_EQ(message_cost(Who{}), 2);
    EXPECT_EQ(message_cost(SetIgnore{true}), 2);
    EXPECT_EQ(message_cost(Hello{"x", 1}), 1);
    EXPECT_EQ(message_cost(HelpRequest{}), 1);
    EXPECT_EQ(message_cost(Ping{"t"}), 1);
}

TEST(FloodCost, RoomsTopicsHistoryAndSearch) {
    EXPECT_EQ(message_cost(Join{"#rust"}), 2);
    EXPECT_EQ(message_cost(Part{"#rust", ""}), 1);
    EXPECT_EQ(message_cost(ListRooms{}), 2);
    TopicRequest ask;
    ask.room = "#rust";
    EXPECT_EQ(message_cost(ask), 1);
    TopicRequest set = ask;
    set.text = "news";
    EXPECT_EQ(message_cost(set), 3);
    EXPECT_EQ(message_cost(HistoryRequest{"#rust", 0, 0}), 2);
    EXPECT_EQ(message_cost(Search{"#rust", "word", 0}), 3);
    Say in_room;
    in_room.room = "#rust";
    in_room.text = "@ann hi";
    EXPECT_EQ(message_cost(in_room), 2);
}

TEST(FloodCost, AnswersAndLeavingAreFree) {
    EXPECT_EQ(message_cost(Pong{"t"}), 0);
    EXPECT_EQ(message_cost(Quit{"bye"}), 0);
}

TEST(FloodCost, WhatIsNotAMention) {
    EXPECT_EQ(count_mentions("mail me@example.org"), 0);
    EXPECT_EQ(count_mentions("@"), 0);
    EXPECT_EQ(count_mentions("@ bob"), 0);
    EXPECT_EQ(count_mentions("@1st"), 0);
    EXPECT_EQ(count_mentions("ends with @"), 0);
    EXPECT_EQ(count_mentions("@@bob"), 1);
    EXPECT_EQ(count_mentions("(@bob)"), 1);
    EXPECT_EQ(count_mentions("@_under"), 1);
}

TEST(FloodBucket, StartsFullThenRefusesWithTheTimeToWait) {
    const FloodConfig c = config(2, 5);
    FloodBucket b;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(admit(b, 1, t0, c).verdict, FloodVerdict::Pass) << i;
    FloodDecision d = admit(b, 1, t0, c);
    EXPECT_EQ(d.verdict, FloodVerdict::SlowDown);
    EXPECT_EQ(d.refusals, 1u);
    EXPECT_NEAR(std::chrono::duration<double>(d.wait).count(), 0.5, 1e-6);  // 2 per second
    // Half a second later one more fits, and only one.
    EXPECT_EQ(admit(b, 1, t0 + 500ms, c).verdict, FloodVerdict::Pass);
    EXPECT_EQ(admit(b, 1, t0 + 500ms, c).verdict, FloodVerdict::SlowDown);
    // After a long pause the bucket is full again, but no fuller.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(admit(b, 1, t0 + 1h, c).verdict, FloodVerdict::Pass) << i;
    EXPECT_EQ(admit(b, 1, t0 + 1h, c).verdict, FloodVerdict::SlowDown);
}

TEST(FloodBucket, PrivateMessagesRunOutSooner) {
    const FloodConfig c = config(1, 10);
    FloodBucket says, tells;
    int said = 0, told = 0;
    for (int i = 0; i < 20; ++i) {
        said += admit(says, message_cost(Say{"hi"}), t0, c).verdict == FloodVerdict::Pass;
        told += admit(tells, message_cost(Tell{"bob", "hi"}), t0, c).verdict == FloodVerdict::Pass;
    }
    EXPECT_EQ(said, 10);
    EXPECT_EQ(told, 5);
}

TEST(FloodBucket, ACostAboveTheBurstPassesOnAFullBucketOnly) {
    const FloodConfig c = config(1, 4);
    FloodBucket b;
    EXPECT_EQ(admit(b, 10, t0, c).verdict, FloodVerdict::Pass);  // full: passes, empties it
    EXPECT_EQ(admit(b, 1, t0, c).verdict, FloodVerdict::SlowDown);
    EXPECT_EQ(admit(b, 10, t0 + 3s, c).verdict, FloodVerdict::SlowDown);
    EXPECT_EQ(admit(b, 10, t0 + 4s, c).verdict, FloodVerdict::Pass);
}

TEST(FloodBucket, RenamingInCirclesIsSlowedDown) {
    const FloodConfig c = config(3, 30);
    FloodBucket b;
    int renamed = 0;
    for (int i = 0; i < 10; ++i) renamed += admit(b, message_cost(ChangeNick{"x"}), t0, c).verdict == FloodVerdict::Pass;
    EXPECT_EQ(renamed, 3);
}

TEST(FloodBucket, FreeMessagesAlwaysPass) {
    const FloodConfig c = config(1, 1, 2);
    FloodBucket b;
    EXPECT_EQ(admit(b, 1, t0, c).verdict, FloodVerdict::Pass);
    EXPECT_EQ(admit(b, 1, t0, c).verdict, FloodVerdict::SlowDown);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(admit(b, message_cost(Pong{"p"}), t0, c).verdict, FloodVerdict::Pass);
    EXPECT_EQ(admit(b, message_cost(Quit{}), t0, c).verdict, FloodVerdict::Pass);
}

TEST(FloodBucket, KeepingToTheRateIsNeverRefused) {
    const FloodConfig c = config(3, 30);
    FloodBucket b;
    // Use up the burst, then send for ten minutes at exactly the sustained rate.
    for (int i = 0; i < 30; ++i) ASSERT_EQ(admit(b, 1, t0, c).verdict, FloodVerdict::Pass);
    const auto step = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(1.0 / 3));
    TimePoint t = t0;
    for (int i = 0; i < 1800; ++i) {
        t += step + 1ns;
        ASSERT_EQ(admit(b, 1, t, c).verdict, FloodVerdict::Pass) << i;
    }
}

TEST(FloodBucket, PersistentExcessDisconnects) {
    const FloodConfig c = config(1, 2, 4);
    FloodBucket b;
    admit(b, 2, t0, c);
    EXPECT_EQ(admit(b, 1, t0, c).verdict, FloodVerdict::SlowDown);
    EXPECT_EQ(admit(b, 1, t0 + 10ms, c).verdict, FloodVerdict::SlowDown);
    EXPECT_EQ(admit(b, 1, t0 + 20ms, c).verdict, FloodVerdict::SlowDown);
    const FloodDecision d = admit(b, 1, t0 + 30ms, c);
    EXPECT_EQ(d.verdict, FloodVerdict::Disconnect);
    EXPECT_EQ(d.refusals, 4u);
}

TEST(FloodBucket, RefusalsSpreadOverTimeAreForgiven) {
    const FloodConfig c = config(1, 1, 3);
    FloodBucket b;
    TimePoint t = t0;
    // One refusal now and then, each window holding two: never disconnected.
    for (int i = 0; i < 20; ++i) {
        admit(b, 1, t, c);  // passes: the bucket refilled meanwhile
        EXPECT_EQ(admit(b, 1, t, c).verdict, FloodVerdict::SlowDown) << i;
        t += 6s;
    }
}

TEST(FloodBucket, SwitchedOffEverythingPasses) {
    FloodConfig c = config(1, 1, 1);
    c.enabled = false;
    FloodBucket b;
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(admit(b, 10, t0, c).verdict, FloodVerdict::Pass);
}

TEST(FloodBucket, ErrorTextsSayWhatToDo) {
    const FloodConfig c = config(3, 30, 10);
    FloodDecision d;
    d.verdict = FloodVerdict::SlowDown;
    d.wait = 1500ms;
    d.refusals = 4;
    const std::string t = slow_down_text(d, c);
    EXPECT_EQ(t.rfind("slow down: ", 0), 0u) << t;
    EXPECT_NE(t.find("wait 1.5 s"), std::string::npos) << t;
    EXPECT_NE(t.find("3 messages per second, 30 at once"), std::string::npos) << t;
    EXPECT_NE(t.find("6 more refusals"), std::string::npos) << t;
    d.refusals = 10;
    const std::string bye = flood_disconnect_text(d, c);
    EXPECT_EQ(bye.rfind("slow down: ", 0), 0u) << bye;
    EXPECT_NE(bye.find("10 messages refused within 10 s"), std::string::npos) << bye;
}
