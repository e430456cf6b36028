#include "server/flood.h"

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <variant>

namespace natter::server {

namespace {

// Refill and comparison are in doubles: allow for rounding, so a client sending at exactly the
// sustained rate is never refused by a rounding error.
constexpr double kEpsilon = 1e-9;

// A number for people: at most two decimals, no trailing zeros ("3", "0.5", "1.25").
std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

double seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

FloodDecision admit(FloodBucket& b, FloodCost cost, TimePoint now, const FloodConfig& config) {
    FloodDecision d;
    if (!config.enabled || cost <= 0) return d;
    const double capacity = config.burst;
    if (!b.started) {
        b.started = true;
        b.tokens = capacity;
        b.last = now;
    } else if (now > b.last) {
        b.tokens = std::min(capacity, b.tokens + seconds(now - b.last) * config.rate);
        b.last = now;
    }
    // More than the whole bucket passes when the bucket is full: nothing is impossible to send.
    const double need = std::min(cost, capacity);
    if (b.tokens + kEpsilon >= need) {
        b.tokens = std::max(0.0, b.tokens - cost);
        return d;
    }
    if (b.refusals == 0 || now - b.refusals_since >= config.refusal_window) {
        b.refusals = 0;
        b.refusals_since = now;
    }
    d.refusals = ++b.refusals;
    if (config.rate > 0)
        d.wait = std::chrono::duration_cast<Duration>(std::chrono::duration<double>((need - b.tokens) / config.rate));
    d.verdict = b.refusals >= config.max_refusals ? FloodVerdict::Disconnect : FloodVerdict::SlowDown;
    return d;
}

std::string slow_down_text(const FloodDecision& d, const FloodConfig& config) {
    const unsigned left = config.max_refusals > d.refusals ? config.max_refusals - d.refusals : 0;
    return "slow down: message dropped; wait " + number(std::max(seconds(d.wait), 0.01)) +
           " s (this server takes " + number(config.rate) + " messages per second, " +
           number(config.burst) + " at once; " + std::to_string(left) + " more refusals within " +
           number(seconds(config.refusal_window)) + " s and you are disconnected)";
}

std::string flood_disconnect_text(const FloodDecision& d, const FloodConfig& config) {
    return "slow down: " + std::to_string(d.refusals) + " messages refused within " +
           number(seconds(config.refusal_window)) + " s; closing the connection";
}

}  // namespace natter::server
