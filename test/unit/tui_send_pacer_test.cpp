// The client's send pacer: its token bucket with an injected clock, its costs against natterd's
// own (flood.cpp, linked here only to check the mirror), and the outbox's queues.
#include <gtest/gtest.h>

#include "server/flood.h"
#include "shared/protocol.h"
#include "tui/send_pacer.h"

using namespace natter;
using namespace natter::tui;

namespace {

constexpr std::uint64_t kT0 = 1000000;

std::vector<Message> joins(int n, const std::string& prefix = "#r") {
    std::vector<Message> v;
    for (int i = 0; i < n; ++i) v.push_back(Join{prefix + std::to_string(i)});
    return v;
}

std::string room_of(const Message& m) { return std::get<Join>(m).room; }

}  // namespace

TEST(TuiSendPacer, AFullBucketLetsTheBurstGoThenTheRate) {
    SendPacer p;
    const PacerConfig c;  // burst 20, 2.5 per second
    for (int i = 0; i < 10; ++i) EXPECT_TRUE(pacer_take(p, 2, kT0, c)) << i;
    EXPECT_FALSE(pacer_take(p, 2, kT0, c)) << "the bucket is empty";
    EXPECT_EQ(pacer_wait_ms(p, 2, kT0, c), 800u) << "2 tokens at 2.5 per second";
    EXPECT_EQ(pacer_wait_ms(p, 1, kT0, c), 400u);
    EXPECT_FALSE(pacer_take(p, 2, kT0 + 799, c));
    EXPECT_TRUE(pacer_take(p, 2, kT0 + 800, c));
    EXPECT_FALSE(pacer_take(p, 2, kT0 + 800, c));
}

TEST(TuiSendPacer, AQuietSpellRefillsUpToTheBurstOnly) {
    SendPacer p;
    const PacerConfig c{10, 2};
    EXPECT_TRUE(pacer_take(p, 10, kT0, c));
    int passed = 0;
    while (pacer_take(p, 1, kT0 + 3600000, c)) ++passed;  // an hour later
    EXPECT_EQ(passed, 10);
}

TEST(TuiSendPacer, AMessageCostingMoreThanTheBucketPassesWhenItIsFull) {
    SendPacer p;
    const PacerConfig c{5, 1};
    EXPECT_EQ(pacer_wait_ms(p, 10, kT0, c), 0u);
    EXPECT_TRUE(pacer_take(p, 10, kT0, c));
    EXPECT_EQ(pacer_wait_ms(p, 10, kT0, c), 5000u) << "until the bucket is full again";
    EXPECT_TRUE(pacer_take(p, 0, kT0, c)) << "free messages always pass";
}

TEST(TuiSendPacer, TheClientAssumesLessThanNatterdAllows) {
    // natterd charges by the same table (shared/message_cost.h); the client's bucket is smaller
    // and slower than natterd's default, so what the client lets go natterd always admits.
    const PacerConfig c;
    EXPECT_LT(c.burst, kDefaultFloodBurst);
    EXPECT_LT(c.rate, kDefaultFloodRate);
    EXPECT_GT(c.rate, 0);
}

TEST(TuiSendPacer, TheOutboxKeepsOrderAndPutsWhatWasAskedBeforeRejoins) {
    Outbox o;
    for (auto& j : joins(30)) o.rejoins.push_back(j);
    std::vector<Message> send = {Hello{"me"}};
    release(o, send, kT0);
    ASSERT_EQ(send.size(), 10u) << "hello (1) and nine joins (18) of the 20 tokens";
    EXPECT_TRUE(std::holds_alternative<Hello>(send[0]));
    for (std::size_t i = 1; i < send.size(); ++i) EXPECT_EQ(room_of(send[i]), "#r" + std::to_string(i - 1));
    EXPECT_EQ(o.rejoins.size(), 21u);
    EXPECT_EQ(release_wait_ms(o, kT0), 400u) << "one token left; a join needs two";

    // A line typed now, and a pong, do not wait behind the 21 rejoins.
    send = {Say{"one"}, Pong{"p"}, Say{"two"}};
    release(o, send, kT0);
    ASSERT_EQ(send.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<Pong>(send[0])) << "free: at once";
    EXPECT_EQ(std::get<Say>(send[1]).text, "one");
    EXPECT_EQ(release_wait_ms(o, kT0), 400u) << "\"two\" is next; a join would need 800 ms";
    send.clear();
    release(o, send, kT0 + 400);
    ASSERT_EQ(send.size(), 1u);
    EXPECT_EQ(std::get<Say>(send[0]).text, "two");
    EXPECT_EQ(release_wait_ms(o, kT0 + 400), 800u);

    // The rest follow at the rate, in order, each when release_wait_ms says.
    std::uint64_t now = kT0 + 400;
    std::vector<std::string> rest;
    while (!o.empty()) {
        const std::uint64_t wait = release_wait_ms(o, now);
        ASSERT_NE(wait, UINT64_MAX);
        send.clear();
        release(o, send, now + wait - 1);
        EXPECT_TRUE(send.empty()) << "not a millisecond early";
        now += wait;
        release(o, send, now);
        ASSERT_FALSE(send.empty()) << "due when said";
        for (const auto& m : send) rest.push_back(room_of(m));
    }
    ASSERT_EQ(rest.size(), 21u);
    for (std::size_t i = 0; i < rest.size(); ++i) EXPECT_EQ(rest[i], "#r" + std::to_string(i + 9));
    EXPECT_EQ(release_wait_ms(o, now), UINT64_MAX) << "nothing queued: no wake-up";
}

TEST(TuiSendPacer, TheAskedQueueIsBounded) {
    Outbox o;
    std::vector<Message> send;
    for (std::size_t i = 0; i < Outbox::kMaxAsked + 30; ++i) send.push_back(Say{"x"});
    EXPECT_EQ(release(o, send, kT0), 30u);
    EXPECT_EQ(send.size(), 20u);
    EXPECT_EQ(o.asked.size(), Outbox::kMaxAsked - 20);
}

// What the pacer lets go is never refused by natterd with its default limits, however much is
// queued: a reconnect into the most rooms a client may be in, a mode question, and lines typed
// (with mentions) all along.
TEST(TuiSendPacer, NatterdNeverRefusesWhatThePacerLetsGo) {
    Outbox o;
    server::FloodBucket bucket;
    const server::FloodConfig config;
    const server::TimePoint start{};
    std::uint64_t now = kT0;
    std::size_t sent = 0;
    auto deliver = [&](const std::vector<Message>& send) {
        for (const Message& m : send) {
            const auto d = server::admit(bucket, message_cost(m),
                                         start + std::chrono::milliseconds(now - kT0), config);
            EXPECT_EQ(d.verdict, server::FloodVerdict::Pass) << "message " << sent << " at " << now - kT0 << " ms";
            ++sent;
        }
    };
    std::vector<Message> send = {Hello{"me"}, SetIgnore{true}};
    for (auto& j : joins(static_cast<int>(kMaxRoomsPerClient))) o.rejoins.push_back(j);
    release(o, send, now);
    deliver(send);
    std::uint64_t next_line = now;
    for (int step = 0; !o.empty() && step < 10000; ++step) {
        now += std::min<std::uint64_t>(release_wait_ms(o, now), 150);
        send.clear();
        if (now >= next_line) {  // someone typing a line (costing 3) every two seconds
            send.push_back(Say{"@ann @bob look"});
            next_line = now + 2000;
        }
        if (step == 1) send.push_back(ModeRequest{"#r0"});
        if (step == 7) send.push_back(ChangeNick{"me2"});
        release(o, send, now);
        deliver(send);
    }
    EXPECT_TRUE(o.empty());
    EXPECT_GT(sent, kMaxRoomsPerClient);
}
