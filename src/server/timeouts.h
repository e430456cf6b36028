// The per-connection deadlines, as a pure function of a connection's time stamps: the server
// sweeps every connection with it (at most a few times a second) instead of keeping a timer per
// client. Unit-tested without a clock.
#pragma once

#include <chrono>
#include <optional>

namespace natter::server {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

enum class Phase { AwaitingHello, LoggedIn, Closing };

struct Timeouts {
    Duration login = std::chrono::seconds(30);         // AwaitingHello longer than this: closed
    Duration ping_interval = std::chrono::seconds(60);  // LoggedIn and silent this long: pinged
    Duration ping_timeout = std::chrono::seconds(30);   // no input this long after a ping: closed
};

struct ConnectionTimes {
    TimePoint connected;
    TimePoint last_input;
    std::optional<TimePoint> ping_sent;  // a server ping is outstanding since then
    TimePoint close_by;                  // Closing: give up flushing at this time
};

struct Verdict {
    enum class Kind { Nothing, SendPing, Close } kind = Kind::Nothing;
    const char* reason = "";  // for Close: what the others and the log are told
    TimePoint next;           // when this connection next needs a look (after acting on kind)
};

// What to do with one connection at `now`. `next` assumes the caller did what `kind` says
// (after a SendPing it is the ping timeout's deadline).
Verdict check_timeouts(Phase phase, const ConnectionTimes& t, TimePoint now, const Timeouts& cfg);

}  // namespace natter::server
