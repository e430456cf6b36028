#include "tui/send_pacer.h"

#include <algorithm>
#include <cmath>

#include "shared/message_cost.h"

namespace natter::tui {

namespace {

// As in flood.cpp: a message sent at exactly the refill rate is never held by a rounding error.
constexpr double kEpsilon = 1e-9;

// The bucket's tokens at `now`, refilled up to the burst.
double tokens_at(const SendPacer& p, std::uint64_t now, const PacerConfig& c) {
    if (!p.started) return c.burst;
    const double elapsed = now > p.last_ms ? static_cast<double>(now - p.last_ms) / 1000.0 : 0.0;
    return std::min(c.burst, p.tokens + elapsed * c.rate);
}

}  // namespace

std::uint64_t pacer_wait_ms(const SendPacer& p, double cost, std::uint64_t now, const PacerConfig& c) {
    const double need = std::min(cost, c.burst);
    const double have = tokens_at(p, now, c);
    if (cost <= 0 || have + kEpsilon >= need) return 0;
    if (c.rate <= 0) return UINT64_MAX;
    return static_cast<std::uint64_t>(std::ceil((need - have) / c.rate * 1000.0));
}

bool pacer_take(SendPacer& p, double cost, std::uint64_t now, const PacerConfig& c) {
    if (cost <= 0) return true;
    if (pacer_wait_ms(p, cost, now, c) > 0) return false;
    p.tokens = std::max(0.0, tokens_at(p, now, c) - cost);
    p.started = true;
    p.last_ms = std::max(p.last_ms, now);
    return true;
}

std::size_t release(Outbox& o, std::vector<Message>& send, std::uint64_t now) {
    std::size_t dropped = 0;
    std::vector<Message> out;
    for (auto& m : send) {
        if (message_cost(m) <= 0) out.push_back(std::move(m));
        else if (o.asked.size() < Outbox::kMaxAsked) o.asked.push_back(std::move(m));
        else ++dropped;
    }
    for (auto* q : {&o.asked, &o.rejoins}) {
        while (!q->empty() && pacer_take(o.pacer, message_cost(q->front()), now, o.config)) {
            out.push_back(std::move(q->front()));
            q->pop_front();
        }
        if (!q->empty()) break;  // the rejoins wait while anything asked does
    }
    send = std::move(out);
    return dropped;
}

std::uint64_t release_wait_ms(const Outbox& o, std::uint64_t now) {
    const std::deque<Message>& q = !o.asked.empty() ? o.asked : o.rejoins;
    if (q.empty()) return UINT64_MAX;
    return pacer_wait_ms(o.pacer, message_cost(q.front()), now, o.config);
}

}  // namespace natter::tui
