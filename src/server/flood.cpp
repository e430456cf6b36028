#include "server/flood.h"

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <variant>

namespace natter::server {

namespace {

constexpr int kMaxMentionSurcharge = 5;
// Refill and comparison are in doubles: allow for rounding, so a client sending at exactly the
// sustained rate is never refused by a rounding error.
constexpr double kEpsilon = 1e-9;

bool ascii_alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

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

int count_mentions(std::string_view text) {
    int n = 0;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '@') continue;
        if (i > 0 && ascii_alnum(static_cast<unsigned char>(text[i - 1]))) continue;  // an address
        const auto next = static_cast<unsigned char>(text[i + 1]);
        if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '_' || next >= 0x80)
            ++n;
    }
    return n;
}

FloodCost message_cost(const Message& m) {
    auto with_mentions = [](double base, std::string_view text) {
        return base + std::min(count_mentions(text), kMaxMentionSurcharge);
    };
    return std::visit(
        [&](const auto& msg) -> FloodCost {
            using T = std::decay_t<decltype(msg)>;
            if constexpr (std::is_same_v<T, Say> || std::is_same_v<T, Me>) return with_mentions(1, msg.text);
            else if constexpr (std::is_same_v<T, Tell>) return with_mentions(2, msg.text);
            else if constexpr (std::is_same_v<T, Invite> || std::is_same_v<T, Kick>) return 2;  // it reaches someone
            else if constexpr (std::is_same_v<T, ModeRequest>) return msg.change.empty() ? 1 : 2;
            else if constexpr (std::is_same_v<T, ChangeNick>) return 10;
            else if constexpr (std::is_same_v<T, Who> || std::is_same_v<T, SetIgnore> ||
                               std::is_same_v<T, Join> || std::is_same_v<T, ListRooms> ||
                               std::is_same_v<T, HistoryRequest>)
                return 2;
            else if constexpr (std::is_same_v<T, TopicRequest>) return msg.text ? 3 : 1;
            else if constexpr (std::is_same_v<T, Search>) return 3;
            else if constexpr (std::is_same_v<T, Pong> || std::is_same_v<T, Quit>) return 0;
            else return 1;  // hello, help, ping; and anything the core refuses anyway
        },
        m);
}

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
