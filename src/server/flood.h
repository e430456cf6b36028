// Flood control, pure: what each message costs, and a per-connection token bucket that says
// whether a message may go through now, must be refused with "slow down", or whether the client
// has kept flooding long enough to be disconnected. No clock and no sockets: the server passes
// the time and acts on the verdict, so every rule here is a unit test.
//
// The bucket holds up to `burst` messages' worth of tokens and refills at `rate` messages per
// second. A message passes when the bucket holds its cost. A person typing never notices it; a
// paste is one message however many lines it has. What costs more is what costs others more:
// private messages and mentions (they notify someone), nickname changes (everyone is told, and
// renaming in circles is the classic way to spam a user list), user lists (a big answer).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "server/timeouts.h"
#include "shared/message_cost.h"
#include "shared/protocol.h"

namespace natter::server {

// Costs and tokens are counted in messages: a plain say costs 1.
using FloodCost = double;

struct FloodConfig {
    bool enabled = true;
    double rate = kDefaultFloodRate;    // messages per second, sustained
    double burst = kDefaultFloodBurst;  // messages at once after a quiet spell: the bucket's size
    // A client refused this many times within the window is disconnected: it is not a person
    // who pasted too much, it is a program that does not listen.
    unsigned max_refusals = 10;
    Duration refusal_window = std::chrono::seconds(10);
};

// What one message costs is message_cost() in shared/message_cost.h, which natter paces itself by.

// One connection's bucket. It starts full on first use.
struct FloodBucket {
    bool started = false;
    double tokens = 0;
    TimePoint last;              // when tokens was last brought up to date
    unsigned refusals = 0;       // within the current refusal window
    TimePoint refusals_since;
};

enum class FloodVerdict {
    Pass,        // take it: the cost has been paid
    SlowDown,    // drop it and tell the client
    Disconnect,  // drop it, tell the client, close the connection
};

struct FloodDecision {
    FloodVerdict verdict = FloodVerdict::Pass;
    Duration wait{};          // SlowDown: how long until this message would have passed
    unsigned refusals = 0;    // refusals in the window, this one included
};

// Decides on a message of cost `cost` arriving at `now`, updating the bucket. A cost above the
// bucket's size passes when the bucket is full (and empties it), so no message is impossible.
FloodDecision admit(FloodBucket& bucket, FloodCost cost, TimePoint now, const FloodConfig& config);

// The texts of the errors: "slow down: ..." for people, with what to do about it.
std::string slow_down_text(const FloodDecision& d, const FloodConfig& config);
std::string flood_disconnect_text(const FloodDecision& d, const FloodConfig& config);

}  // namespace natter::server
