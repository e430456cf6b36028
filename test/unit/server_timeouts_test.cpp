// The timeout rules, as a pure function of a connection's time stamps.
#include "server/timeouts.h"

#include <gtest/gtest.h>

using namespace natter::server;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 = TimePoint() + 1000s;

Timeouts cfg() {
    Timeouts t;
    t.login = 30s;
    t.ping_interval = 60s;
    t.ping_timeout = 20s;
    return t;
}

ConnectionTimes at(TimePoint connected) {
    ConnectionTimes t;
    t.connected = t.last_input = t.close_by = connected;
    return t;
}

}  // namespace

TEST(ServerTimeouts, LoginTimeout) {
    ConnectionTimes t = at(t0);
    t.last_input = t0 + 29s;  // chatter without logging in does not extend it
    Verdict v = check_timeouts(Phase::AwaitingHello, t, t0 + 29s, cfg());
    EXPECT_EQ(v.kind, Verdict::Kind::Nothing);
    EXPECT_EQ(v.next, t0 + 30s);
    v = check_timeouts(Phase::AwaitingHello, t, t0 + 30s, cfg());
    EXPECT_EQ(v.kind, Verdict::Kind::Close);
    EXPECT_STREQ(v.reason, "login timeout");
}

TEST(ServerTimeouts, IdleLoggedInClientIsPingedThenClosed) {
    ConnectionTimes t = at(t0);
    t.last_input = t0 + 10s;
    Verdict v = check_timeouts(Phase::LoggedIn, t, t0 + 69s, cfg());
    EXPECT_EQ(v.kind, Verdict::Kind::Nothing);
    EXPECT_EQ(v.next, t0 + 70s);
    v = check_timeouts(Phase::LoggedIn, t, t0 + 70s, cfg());
    EXPECT_EQ(v.kind, Verdict::Kind::SendPing);
    EXPECT_EQ(v.next, t0 + 90s) << "the ping's own deadline";
    t.ping_sent = t0 + 70s;
    v = check_timeouts(Phase::LoggedIn, t, t0 + 89s, cfg());
    EXPECT_EQ(v.kind, Verdict::Kind::Nothing);
    EXPECT_EQ(v.next, t0 + 90s);
    v = check_timeouts(Phase::LoggedIn, t, t0 + 90s, cfg());
    EXPECT_EQ(v.kind, Verdict::Kind::Close);
    EXPECT_STREQ(v.reason, "ping timeout");
}

TEST(ServerTimeouts, LoggedInClientsHaveNoLoginDeadline) {
    ConnectionTimes t = at(t0);
    t.last_input = t0 + 100s;
    EXPECT_EQ(check_timeouts(Phase::LoggedIn, t, t0 + 120s, cfg()).kind, Verdict::Kind::Nothing);
}

TEST(ServerTimeouts, ClosingConnectionsGiveUpFlushingAtTheirDeadline) {
    ConnectionTimes t = at(t0);
    t.close_by = t0 + 2s;
    Verdict v = check_timeouts(Phase::Closing, t, t0 + 1s, cfg());
    EXPECT_EQ(v.kind, Verdict::Kind::Nothing);
    EXPECT_EQ(v.next, t0 + 2s);
    EXPECT_EQ(check_timeouts(Phase::Closing, t, t0 + 2s, cfg()).kind, Verdict::Kind::Close);
}
