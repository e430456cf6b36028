// Pacing what the client sends, so it never runs into natterd's flood limit: a token bucket like
// the server's (src/server/flood.cpp), charging what it charges (shared/message_cost.h), with a
// safety margin, and an outbox of messages
// waiting for it. Pure: time comes in as an argument (monotonic milliseconds).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "shared/message_cost.h"
#include "shared/protocol.h"

namespace natter::tui {

// natterd's defaults (shared/message_cost.h) less a margin, so clock drift, rounding and the ping
// the client sends on its own never matter.
struct PacerConfig {
    double burst = kDefaultFloodBurst * 2 / 3;  // 20
    double rate = kDefaultFloodRate * 5 / 6;    // 2.5 tokens per second
};


struct SendPacer {
    bool started = false;  // the bucket starts full at the first message of a connection
    double tokens = 0;
    std::uint64_t last_ms = 0;
};

// Milliseconds until a message of `cost` may go (0: now).
std::uint64_t pacer_wait_ms(const SendPacer& p, double cost, std::uint64_t now_ms,
                            const PacerConfig& c = {});
// Takes `cost` tokens if they are there, as natterd does (a message costing more than the whole
// bucket passes when it is full); false, taking nothing, if not yet.
bool pacer_take(SendPacer& p, double cost, std::uint64_t now_ms, const PacerConfig& c = {});

// Messages waiting for the pacer, in two queues. What the user asked for (typed lines, the
// answers they wait on, the mode question for the room shown) goes before the rejoins that follow
// a reconnect, so a line typed while fifty rooms are being joined again waits for its own tokens
// only (under a second for a line), never for the whole rejoin. Within a queue the order is kept.
struct Outbox {
    static constexpr std::size_t kMaxAsked = 1000;  // past it a line is dropped, and said so
    SendPacer pacer;
    PacerConfig config;
    std::deque<Message> asked;
    std::deque<Message> rejoins;  // the room shown first, then the bar's order

    bool empty() const { return asked.empty() && rejoins.empty(); }
};

// Queues the messages in `send` (the asked queue), then puts back in `send` what the pacer lets
// go now, in order. Messages that cost nothing go at once. Returns how many were dropped because
// the asked queue was full.
std::size_t release(Outbox& o, std::vector<Message>& send, std::uint64_t now_ms);
// When the next queued message may go, in milliseconds from now; nothing queued: UINT64_MAX.
std::uint64_t release_wait_ms(const Outbox& o, std::uint64_t now_ms);

}  // namespace natter::tui
